/* tool.c: messages, strict option values, and stream plumbing for tools. */
#include "tool.h"
#include "progress.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *tool_name = "tsdown";

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) || (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	return len;
}

size_t tool_escape(char *d, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, k = 0, len;

	while (i < n) {
		len = utf8_len(u + i, n - i);
		/* C0 controls, DEL, C1 controls (U+0080..U+009F) and bytes that
		 * are not UTF-8 are written as \xHH: a name can move no cursor */
		if (len == 0 || (len == 1 && (u[i] < 0x20 || u[i] == 0x7f)) ||
		    (len == 2 && u[i] == 0xc2 && u[i + 1] < 0xa0)) {
			if (len == 0)
				len = 1;
			for (size_t j = 0; j < len; j++)
				k += (size_t)sprintf(d + k, "\\x%02x", u[i + j]);
		} else {
			memcpy(d + k, u + i, len);
			k += len;
		}
		i += len;
	}
	d[k] = 0;
	return k;
}

static void vmsg(const char *fmt, va_list ap)
{
	int e = errno;
	size_t n = strlen(fmt);
	char small[2048], *m = small, *esc;
	va_list aq;
	int len;

	/* every message is escaped whole: series names, file names and the
	 * data quoted in library messages reach the terminal as text only */
	va_copy(aq, ap);
	len = vsnprintf(small, sizeof small, fmt, aq);
	va_end(aq);
	if (len < 0)
		len = 0;
	if ((size_t)len >= sizeof small && (m = malloc((size_t)len + 1)))
		vsnprintf(m, (size_t)len + 1, fmt, ap);
	else if (!m)
		m = small, len = sizeof small - 1;
	esc = malloc(4 * (size_t)len + 1);
	tool_progress_clear();
	fprintf(stderr, "%s: ", tool_name);
	if (esc) {
		tool_escape(esc, m, (size_t)len);
		fputs(esc, stderr);
	} else {
		fputs("(message lost: out of memory)", stderr);
	}
	if (n && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(e));
	fputc('\n', stderr);
	free(esc);
	if (m != small)
		free(m);
}

void tool_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

/* The writer of the run while it is open, so that an error still writes
 * out the whole records that came before it (never a part of one). */
static tsd_writer *current_w;

/* SIGTERM, SIGINT and SIGHUP stop a filter between two records: the
 * handler only notes the signal; the loop, at its next record (or a read
 * that the signal interrupted), writes out the whole records it holds and
 * exits with 128 + the signal. The writer's buffer only ever holds whole
 * records, and a write the signal interrupts is resumed, so the output
 * ends on a whole record (a whole frame) as it does at the end of input. */
static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
	stop_sig = sig;
}

static void catch_stop_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	static int done;
	struct sigaction sa, old;

	if (done)
		return;
	done = 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: a blocked read returns EINTR */
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		/* a tool with its own handler (the Kafka tools) keeps it, and an
		 * ignored signal (nohup) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(sigs[i], &sa, NULL);
	}
}

void tool_reset(void)
{
	current_w = NULL;
	stop_sig = 0;
}

_Noreturn static void stop_now(void)
{
	tsd_writer *w = current_w;
	int sig = stop_sig;

	current_w = NULL;
	if (w)
		tsd_writer_flush(w);
	fflush(stdout);
	exit(128 + sig);
}

void tool_die(int status, const char *fmt, ...)
{
	va_list ap;
	tsd_writer *w = current_w;

	if (stop_sig) /* an error caused by the signal (an interrupted read) */
		stop_now();
	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	current_w = NULL;
	if (w)
		tsd_writer_flush(w);
	exit(status);
}

void tool_help(const char *usage)
{
	if (fputs(usage, stdout) == EOF || fflush(stdout) || fclose(stdout))
		tool_die(EXIT_DATA, "write error:");
	exit(0);
}

void tool_bad_option(void)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", tool_name);
	exit(EXIT_USAGE);
}

void tool_deprecated(const char *old, const char *now)
{
	static const char *said[16];
	size_t i;

	for (i = 0; i < sizeof said / sizeof said[0] && said[i]; i++)
		if (!strcmp(said[i], old))
			return;
	if (i < sizeof said / sizeof said[0])
		said[i] = old;
	fprintf(stderr, "%s: %s is deprecated (one meaning per letter, see tsdown(7)): use %s\n",
		tool_name, old, now);
}

int tool_stdout_done(void)
{
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		tool_die(EXIT_DATA, "write error:");
	return 0;
}

void tool_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", tool_name);
	exit(EXIT_USAGE);
}

void tool_version(void)
{
	printf("%s (tsdown) %s\n", tool_name, TSD_VERSION);
	exit(tool_stdout_done());
}

long tool_long(const char *opt, const char *s, long min, long max)
{
	long v;
	int rc = tsd_parse_long(&v, s, min, max);

	if (rc == TSD_ERANGE)
		tool_usage_error("%s: '%s' out of range %ld..%ld", opt, s, min, max);
	if (rc)
		tool_usage_error("%s: '%s' is not an integer", opt, s);
	return v;
}

double tool_double(const char *opt, const char *s)
{
	double v;

	if (tsd_parse_double(&v, s))
		tool_usage_error("%s: '%s' is not a number", opt, s);
	if (!isfinite(v))
		tool_usage_error("%s: '%s' is not a finite number", opt, s);
	return v;
}

long long tool_duration(const char *opt, const char *s)
{
	int64_t ns;

	if (tsd_parse_duration(&ns, s) || ns <= 0)
		tool_usage_error("%s: '%s' is not a duration (e.g. 300, 5m, 1h, 250ms)", opt, s);
	return ns;
}

void tool_io_init(tool_io *io)
{
	memset(io, 0, sizeof *io);
	io->header = 1;
	io->in.order = TSD_ORDER_DROP;
	io->tab = tsd_series_new();
	if (!io->tab)
		tool_die(EXIT_DATA, "out of memory");
	io->in.tab = io->tab;
	tool_progress_mode(TOOL_PROGRESS_AUTO);
}

static int parse_delim(const char *arg)
{
	if (!strcmp(arg, "tab") || !strcmp(arg, "\\t") || !strcmp(arg, "\t"))
		return '\t';
	if (strlen(arg) != 1 || arg[0] == '"' || arg[0] == '\n' || arg[0] == '\r')
		tool_usage_error("-d: bad delimiter '%s' (one character, or 'tab')", arg);
	return (unsigned char)arg[0];
}

int tool_io_option(tool_io *io, int opt, const char *arg)
{
	switch (opt) {
	case 'o':
		if (!strcmp(arg, "csv"))
			io->out_format = TSD_FMT_CSV;
		else if (!strcmp(arg, "bin") || !strcmp(arg, "binary"))
			io->out_format = TSD_FMT_BIN;
		else
			tool_usage_error("-o: unknown output format '%s' (csv or bin)", arg);
		return 1;
	case 'd':
		io->in.delim = io->out_delim = parse_delim(arg);
		return 1;
	case 't':
		if (tsd_tstyle_parse(&io->out_tstyle, arg))
			tool_usage_error("-t: unknown time format '%s' (iso, iso-t, s, ms, us, ns, sf)", arg);
		return 1;
	case 'N':
		if (!*arg)
			tool_usage_error("-N: empty name");
		io->in.rename = arg;
		return 1;
	case 1001: {
		tsd_tstyle st;
		if (tsd_tstyle_parse(&st, arg) || st.kind < TSD_T_S || st.kind > TSD_T_NS)
			tool_usage_error("--time-unit: unknown unit '%s' (s, ms, us, ns)", arg);
		io->in.time_unit = st.kind;
		return 1;
	}
	case 1007:
		tool_progress_mode(TOOL_PROGRESS_ON);
		return 1;
	case 1008:
		tool_progress_mode(TOOL_PROGRESS_OFF);
		return 1;
	case 1002:
		if (!strcmp(arg, "single"))
			io->out_shape = TSD_SHAPE_SINGLE;
		else if (!strcmp(arg, "long"))
			io->out_shape = TSD_SHAPE_LONG;
		else
			tool_usage_error("--shape: unknown shape '%s' (single or long)", arg);
		return 1;
	case 1003:
		if (!strcmp(arg, "strict"))
			io->in.order = TSD_ORDER_STRICT;
		else if (!strcmp(arg, "dupok"))
			io->in.order = TSD_ORDER_DUPOK;
		else if (!strcmp(arg, "any"))
			io->in.order = TSD_ORDER_ANY;
		else if (!strcmp(arg, "drop"))
			io->in.order = TSD_ORDER_DROP;
		else
			tool_usage_error("--order: unknown order '%s' (drop, strict, dupok, any)", arg);
		return 1;
	case 1004:
		io->precision = (int)tool_long("--precision", arg, 1, 17);
		return 1;
	case 1005:
		io->header = 0;
		return 1;
	case 1006:
		tsd_series_set_max(io->tab, (uint32_t)tool_long("--max-series", arg, 1, TSD_SERIES_MAX_LIMIT));
		return 1;
	case 'V':
		tool_version();
	}
	return 0;
}

void tool_io_files(tool_io *io, int argc, char **argv)
{
	static char *dash[] = { "-" };

	if (argc > 0) {
		io->files = argv;
		io->nfiles = argc;
	} else {
		io->files = dash;
		io->nfiles = 1;
	}
	if (io->nfiles > 1 && io->in.rename)
		tool_usage_error("-N: one name for several input files");
}

/* Larger pipe buffers mean fewer context switches between the stages of
 * a pipeline (Linux: F_SETPIPE_SZ; no harm where it fails). */
static void grow_pipe(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
	(void)fd;
#endif
}

static int idle_flush(void *arg)
{
	tool_io *io = arg;

	if (stop_sig) /* called before blocking, and when a signal interrupted a read */
		stop_now();
	return io->w ? tsd_writer_flush(io->w) : 0;
}

static void open_next(tool_io *io)
{
	const char *path = io->files[io->cur];
	int fd = 0, rc;

	catch_stop_signals();
	tsd_reader_opts o = io->in;
	char *base = io->base;

	if (strcmp(path, "-") != 0) {
		struct stat st;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			tool_die(EXIT_DATA, "%s:", path);
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			tool_die(EXIT_DATA, "%s:", path);
		}
	} else {
		grow_pipe(0);
	}
	o.name = path;
	if (io->nfiles > 1 && strcmp(path, "-") != 0) {
		/* several files: name single-series inputs after their files */
		const char *b = strrchr(path, '/');
		b = b ? b + 1 : path;
		snprintf(base, sizeof io->base, "%s", b);
		char *dot = strrchr(base, '.');
		if (dot && dot != base)
			*dot = 0;
		o.rename = base;
	}
	if ((rc = tsd_reader_open(&io->r, fd, &o)) < 0)
		tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
	tsd_reader_on_idle(io->r, idle_flush, io);
}

int tool_next(tool_io *io, tsd_rec *rec)
{
	if (stop_sig)
		stop_now();
	for (;;) {
		int rc;
		if (!io->r) {
			if (io->cur >= io->nfiles)
				return 0;
			open_next(io);
		}
		rc = tsd_reader_next(io->r, rec);
		if (rc > 0) {
			io->any_input = 1;
			tool_progress_tick();
			return 1;
		}
		if (rc < 0)
			tool_die(EXIT_DATA, "%s", tsd_reader_errmsg(io->r));
		/* this file is done */
		long first;
		uint64_t nd = tsd_reader_dropped(io->r, &first);
		if (nd)
			tool_warn("%s: %llu sample%s not later than the one before dropped (first at line %ld; see --order)",
				  strcmp(io->files[io->cur], "-") ? io->files[io->cur] : "<stdin>",
				  (unsigned long long)nd, nd == 1 ? "" : "s", first);
		if (!io->w && io->cur + 1 >= io->nfiles)
			tool_open_output(io); /* style of the last input */
		tsd_reader_close(io->r);
		io->r = NULL;
		io->cur++;
	}
}

/* The output style: the input's, as far as seen, with the options over it. */
static void out_style(tool_io *io, tsd_style *st)
{
	if (io->r)
		*st = *tsd_reader_style(io->r);
	if (!st->tstyle.kind)
		st->tstyle.kind = TSD_T_ISO, st->tstyle.sep = ' ';
	/* the input's shape: a single series stays two columns; several
	 * (wide, long, several files, or a coefficient stream that does not
	 * say it came from one series) come out long, which reads back */
	if (io->out_shape)
		st->shape = (uint8_t)io->out_shape;
	else if (st->shape != TSD_SHAPE_SINGLE || io->nfiles > 1)
		st->shape = TSD_SHAPE_LONG;
	if (io->out_tstyle.kind)
		st->tstyle = io->out_tstyle;
}

void tool_open_output(tool_io *io)
{
	tsd_writer_opts o;
	int rc;

	catch_stop_signals();
	if (io->w)
		return;
	tsd_writer_defaults(&o);
	if (io->r && tsd_reader_format(io->r) == TSD_FMT_CSV && io->in.delim)
		o.delim = io->in.delim;
	out_style(io, &o.style);
	if (io->out_format)
		o.format = io->out_format;
	else if (io->r && tsd_reader_format(io->r) == TSD_FMT_BIN && !isatty(1))
		o.format = TSD_FMT_BIN; /* binary in, binary out unless -o csv
					 * (or a terminal, which shows CSV) */
	if (io->out_delim)
		o.delim = io->out_delim;
	o.precision = io->precision;
	o.header = io->header;
	o.tab = io->tab;
	grow_pipe(1);
	if ((rc = tsd_writer_open(&io->w, 1, &o)) < 0)
		tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
	current_w = io->w;
}

static void put_failed(tool_io *io, int rc)
{
	const char *msg = tsd_writer_errmsg(io->w);

	if (!strncmp(msg, "write error", 11))
		tool_die(EXIT_DATA, "%s", msg);
	tool_die(EXIT_DATA, "%s: %s", tool_where(io), msg);
}

void tool_put(tool_io *io, const tsd_rec *rec)
{
	if (!io->w)
		tool_open_output(io);
	if (!io->data_seen && rec->kind != TSD_REC_CONTROL && io->r) {
		/* positions may come before the first sample: the style is
		 * only known now */
		tsd_style st;
		memset(&st, 0, sizeof st);
		snprintf(st.time_name, sizeof st.time_name, "timestamp");
		out_style(io, &st);
		tsd_writer_set_style(io->w, &st);
		io->data_seen = 1;
	}
	int rc;
	if ((rc = tsd_writer_put(io->w, rec)) < 0)
		put_failed(io, rc);
	if (io->flush_each && (rc = tsd_writer_flush(io->w)) < 0)
		put_failed(io, rc);
	/* not inside a window: its WINDOW .. END go out whole */
	if (stop_sig && (rec->kind == TSD_REC_SAMPLE || rec->kind == TSD_REC_SAMPLES || rec->kind == TSD_REC_END))
		stop_now();
}

void tool_sample(tool_io *io, uint32_t series, int64_t t, double v)
{
	tsd_rec r;

	r.kind = TSD_REC_SAMPLE;
	r.s.series = series;
	r.s.t = t;
	r.s.v = v;
	tool_put(io, &r);
}

void tool_gap(tool_io *io, uint32_t series, int64_t t_last, int64_t t_next, int64_t step)
{
	int64_t t;

	if (t_next > t_last) /* halfway, without overflow */
		t = t_last + (int64_t)(((uint64_t)t_next - (uint64_t)t_last) / 2);
	else
		t = t_last + (step > 0 ? step : 1);
	tool_sample(io, series, t, NAN);
}

void tool_close_output(tool_io *io)
{
	tsd_writer *w = io->w;

	if (!w)
		return;
	if (tsd_writer_flush(w) < 0)
		tool_die(EXIT_DATA, "%s", tsd_writer_errmsg(w));
	current_w = NULL;
	io->w = NULL;
	if (tsd_writer_close(w) < 0)
		tool_die(EXIT_DATA, "write error");
}

void tool_finish(tool_io *io)
{
	tool_progress_end();
	if (!io->w)
		tool_open_output(io);
	tool_close_output(io);
	if (io->r)
		tsd_reader_close(io->r);
	io->r = NULL;
	tsd_series_free(io->tab);
	io->tab = NULL;
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		tool_die(EXIT_DATA, "write error:");
}

const char *tool_where(tool_io *io)
{
	static char end[300];

	if (io->r)
		return tsd_reader_where(io->r);
	if (!io->nfiles)
		return "<end of input>";
	const char *f = io->files[io->nfiles - 1];
	snprintf(end, sizeof end, "%s: end of input", strcmp(f, "-") ? f : "<stdin>");
	return end;
}

const char *tool_data_error(int rc)
{
	if (rc == TSD_ERANGE)
		return "values out of the range of double precision arithmetic";
	return tsd_strerror(rc);
}

void *tool_grow(void *p, size_t *cap, size_t want, size_t size)
{
	if (want <= *cap)
		return p;
	if (size && want > SIZE_MAX / size)
		tool_die(EXIT_DATA, "out of memory");
	if (!(p = realloc(p, want * size)))
		tool_die(EXIT_DATA, "out of memory");
	*cap = want;
	return p;
}
