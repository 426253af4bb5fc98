/* sax: Symbolic Aggregate approXimation words of every series' windows,
 * their decoding back to values, and the MINDIST between two words. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "csvcodec.h"
#include "paa.h"
#include "sax.h"
#include "saxword.h"
#include "tool.h"
#include "winloop.h"

static const char usage[] =
"usage: sax [options] [FILE...]\n"
"       sax -D [options] [WORDFILE...]\n"
"       sax --mindist WORD1 WORD2 -n SAMPLES [-a ALPHABET]\n"
"Write one SAX word per window of each series: the window is z-normalised,\n"
"averaged over groups (PAA) and each average mapped to a letter through\n"
"breakpoints that cut N(0,1) into equiprobable intervals. Rows:\n"
"  series,start,end,samples,group,alphabet,mean,std,word\n"
"\n"
"  -w, --window W         samples per window (256) or an event-time span (5m)\n"
"  -g, --group N          samples per symbol (default 8)\n"
"  -a, --alphabet N       alphabet size, 2..26 (default 8; up to 64 with --letters)\n"
"      --letters S        the symbols, in order (default abc...z)\n"
"  -Z, --no-znorm         encode raw values (data already normalised)\n"
"  -D, --decode           read words, write the time series they stand for\n"
"                         (each symbol's value at its group's centre time)\n"
"      --midpoint         decode to interval midpoints, not conditional means\n"
"      --mindist          print MINDIST(WORD1, WORD2) for words of N points\n"
"  -n, --points N         window length for --mindist\n"
"      --max-window N     most samples a time window may hold (default 1048576)\n"
WINLOOP_HELP
TOOL_COMMON_HELP
"Deprecated, for this release only: --samples for --points (see tsdown(7)).\n"
"\nExit status: 0 success, 1 bad input or write error, 2 usage error.\n";

static const char *letters = "abcdefghijklmnopqrstuvwxyz";

static int letter_index(int ch, int alpha)
{
	const char *p = ch ? strchr(letters, ch) : NULL;
	return p && p - letters < alpha ? (int)(p - letters) : -1;
}

static int mindist_mode(char **words, int nwords, long n, int alpha)
{
	size_t w;
	uint8_t *a, *b;
	double d;

	if (nwords != 2)
		tool_usage_error("--mindist: two words needed, %d given", nwords);
	if (n <= 0)
		tool_usage_error("--mindist: -n SAMPLES is required");
	w = strlen(words[0]);
	if (w == 0 || w != strlen(words[1]))
		tool_usage_error("--mindist: words of different lengths ('%s', '%s')", words[0], words[1]);
	if ((size_t)n < w)
		tool_usage_error("--mindist: %ld samples cannot make a word of %zu symbols", n, w);
	a = malloc(w);
	b = malloc(w);
	if (!a || !b)
		tool_die(EXIT_DATA, "out of memory");
	for (size_t i = 0; i < w; i++) {
		int x = letter_index(words[0][i], alpha), y = letter_index(words[1][i], alpha);
		if (x < 0 || y < 0)
			tool_usage_error("--mindist: '%c' is not a letter of the %d-symbol alphabet",
					 x < 0 ? words[0][i] : words[1][i], alpha);
		a[i] = (uint8_t)x;
		b[i] = (uint8_t)y;
	}
	if (tsd_sax_mindist(&d, a, b, w, (size_t)n, alpha) < 0)
		tool_die(EXIT_DATA, "cannot compute MINDIST");
	printf("%.17g\n", d);
	free(a);
	free(b);
	return tool_stdout_done();
}

/* Decode word rows from one file into samples. */
static void decode_file(tool_io *io, const char *path, int how, int delim)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	const char *name = strcmp(path, "-") ? path : "<stdin>";
	tsd_csvrow cl = { 0 };
	const char *F[9];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0;
	uint8_t sym[4096];
	int64_t t[4096];
	double v[4096];

	if (!f)
		tool_die(EXIT_DATA, "%s:", path);
	while ((len = getline(&line, &cap, f)) > 0) {
		tsd_saxword w = { .sym = sym };
		tsd_tstyle st = { 0 };
		long x;
		uint32_t s;
		int rc;

		lineno++;
		if (line[0] == '#' || line[0] == '\n' || (line[0] == '\r' && line[1] == '\n'))
			continue;
		rc = tsd_csv_split(&cl, line, (size_t)len, delim, TSD_CSV_TRIM);
		if (rc < 0)
			tool_die(EXIT_DATA, "%s:%ld: malformed quoting", name, lineno);
		if (lineno == 1 && rc > 0 && !strcmp(tsd_csvrow_field(&cl, 0), "series"))
			continue;
		if (rc != 9)
			tool_die(EXIT_DATA, "%s:%ld: expected 9 fields, found %d", name, lineno, rc);
		for (int i = 0; i < 9; i++)
			F[i] = tsd_csvrow_field(&cl, (size_t)i);
		if (!*F[0])
			tool_die(EXIT_DATA, "%s:%ld: empty series name", name, lineno);
		if (tsd_time_parse(&w.start, &st, F[1], strlen(F[1])) ||
		    tsd_time_parse(&w.end, &st, F[2], strlen(F[2])))
			tool_die(EXIT_DATA, "%s:%ld: bad time '%s' or '%s'", name, lineno, F[1], F[2]);
		if (!io->out_tstyle.kind)
			io->out_tstyle = st;
		if (tsd_parse_long(&x, F[3], 1, 1L << 30))
			tool_die(EXIT_DATA, "%s:%ld: bad sample count '%s'", name, lineno, F[3]);
		w.n = (size_t)x;
		if (tsd_parse_long(&x, F[4], 1, 1L << 30))
			tool_die(EXIT_DATA, "%s:%ld: bad group '%s'", name, lineno, F[4]);
		w.group = (size_t)x;
		if (tsd_parse_long(&x, F[5], 2, (long)strlen(letters)))
			tool_die(EXIT_DATA, "%s:%ld: bad alphabet size '%s'", name, lineno, F[5]);
		w.alpha = (int)x;
		if (tsd_parse_double(&w.mean, F[6]) || tsd_parse_double(&w.std, F[7]) || w.std < 0)
			tool_die(EXIT_DATA, "%s:%ld: bad mean '%s' or std '%s'", name, lineno, F[6], F[7]);
		w.m = strlen(F[8]);
		if (w.m > sizeof sym || w.m != tsd_paa_len(w.n, w.group))
			tool_die(EXIT_DATA, "%s:%ld: word of %zu symbols, but %zu samples in groups of %zu make %zu",
				 name, lineno, w.m, w.n, w.group, tsd_paa_len(w.n, w.group));
		for (size_t i = 0; i < w.m; i++) {
			int k = letter_index(F[8][i], w.alpha);
			if (k < 0)
				tool_die(EXIT_DATA, "%s:%ld: '%c' is not a letter of the %d-symbol alphabet",
					 name, lineno, F[8][i], w.alpha);
			sym[i] = (uint8_t)k;
		}
		if ((rc = tsd_saxword_decode(t, v, &w, how)) < 0)
			tool_die(EXIT_DATA, "%s:%ld: %s", name, lineno, tsd_strerror(rc));
		int ri = tsd_series_intern(&s, io->tab, F[0], strlen(F[0]));
		if (ri < 0) {
			char why[128];
			tool_die(EXIT_DATA, "%s:%ld: %s", name, lineno, tsd_series_why(why, sizeof why, io->tab, ri, strlen(F[0])));
		}
		for (int i = 0; i < rc; i++)
			tool_sample(io, s, t[i], v[i]);
	}
	if (ferror(f))
		tool_die(EXIT_DATA, "%s: read error:", name);
	if (f != stdin)
		fclose(f);
	free(line);
	tsd_csvrow_free(&cl);
}

static void put_field(FILE *f, const char *s, int delim)
{
	if (!strchr(s, delim) && !strchr(s, '"') && !strchr(s, '\n')) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

int main(int argc, char **argv)
{
	enum { O_LETTERS = 2000, O_MID, O_MINDIST, O_MAXWIN, O_SAMPLES };
	static const struct option lopts[] = {
		{ "window", required_argument, 0, 'w' }, { "group", required_argument, 0, 'g' },
		{ "alphabet", required_argument, 0, 'a' }, { "letters", required_argument, 0, O_LETTERS },
		{ "no-znorm", no_argument, 0, 'Z' }, { "decode", no_argument, 0, 'D' },
		{ "midpoint", no_argument, 0, O_MID }, { "mindist", no_argument, 0, O_MINDIST },
		{ "points", required_argument, 0, 'n' }, { "samples", required_argument, 0, O_SAMPLES }, { "max-window", required_argument, 0, O_MAXWIN },
		WINLOOP_LONG, TOOL_COMMON_LONG, { 0, 0, 0, 0 },
	};
	size_t count = 256, group = 8, max = TSD_WINDOW_MAX_DEFAULT;
	int64_t span = 0;
	int alpha = 8, znorm = 1, decode = 0, how = TSD_SAX_DECODE_MEAN, mindist = 0, c, rc;
	long nsamp = 0;
	tool_io io;

	tool_name = "sax";
	tool_io_init(&io);
	while ((c = getopt_long(argc, argv, "w:g:a:ZDn:hV" TOOL_COMMON_SHORT, lopts, NULL)) != -1) {
		if (tool_io_option(&io, c, optarg) || tool_winloop_option(c, optarg))
			continue;
		switch (c) {
		case 'w':
			tool_window_arg(&count, &span, optarg);
			break;
		case 'g': group = (size_t)tool_long("-g", optarg, 1, 1L << 30); break;
		case 'a': alpha = (int)tool_long("-a", optarg, 2, 64); break;
		case O_LETTERS:
			letters = optarg;
			if (strlen(letters) < 2 || strlen(letters) > 64)
				tool_usage_error("--letters: 2 to 64 symbols needed");
			for (const char *p = letters; *p; p++)
				if (strchr(p + 1, *p) || *p == ',' || *p == '"' || (unsigned char)*p <= ' ')
					tool_usage_error("--letters: '%c' repeated or not allowed", *p);
			break;
		case 'Z': znorm = 0; break;
		case 'D': decode = 1; break;
		case O_MID: how = TSD_SAX_DECODE_MID; break;
		case O_MINDIST: mindist = 1; break;
		case O_SAMPLES:
			tool_deprecated("--samples", "--points");
			/* fallthrough */
		case 'n': nsamp = tool_long("-n", optarg, 1, 1L << 30); break;
		case O_MAXWIN: max = tool_max_window_arg(optarg, TSD_WINDOW_MAX_LIMIT); break;
		case 'h':
			tool_help(usage);
		default:
			tool_bad_option();
		}
	}
	if (alpha > (int)strlen(letters))
		tool_usage_error("-a: alphabet of %d symbols but only %zu letters (see --letters)", alpha, strlen(letters));
	if (mindist)
		return mindist_mode(argv + optind, argc - optind, nsamp, alpha);
	if (decode) {
		int delim = io.in.delim ? io.in.delim : ',';
		if (!io.out_shape)
			io.out_shape = TSD_SHAPE_LONG;
		if (optind == argc)
			decode_file(&io, "-", how, delim);
		for (int i = optind; i < argc; i++)
			decode_file(&io, argv[i], how, delim);
		tool_finish(&io);
		return 0;
	}
	if (count && group > count)
		tool_usage_error("-g: group %zu is larger than the window %zu", group, count);

	/* encode */
	double bp[TSD_SAX_MAX_ALPHA];
	tool_winloop wl;
	tsd_win win;
	int partial;
	double *work = NULL;
	uint8_t *sym = NULL;
	size_t cap = 0;
	int delim = io.out_delim ? io.out_delim : ',';
	tsd_tstyle in_style = { .kind = TSD_T_ISO, .sep = ' ' };

	tool_io_files(&io, argc - optind, argv + optind);
	if (!io.out_format)
		io.out_format = TSD_FMT_CSV; /* words are text, even from binary input */
	tsd_sax_breakpoints(bp, alpha);
	tool_winloop_init(&wl, &io, count, span, max);
	if (io.header)
		printf("series%1$cstart%1$cend%1$csamples%1$cgroup%1$calphabet%1$cmean%1$cstd%1$cword\n", delim);
	while (tool_winloop_next(&wl, &win, &partial)) {
		if (win.n > cap) {
			cap = win.n;
			work = realloc(work, cap * sizeof *work);
			sym = realloc(sym, cap);
			if (!work || !sym)
				tool_die(EXIT_DATA, "out of memory");
		}
		tsd_saxword w = { .sym = sym };
		if ((rc = tsd_saxword_encode(&w, work, win.t, win.v, win.n, group, alpha, bp, znorm)) < 0)
			tool_die(EXIT_DATA, "%s: series '%s' window %lld: %s", tool_where(&io),
				 tsd_series_name(io.tab, win.series), (long long)win.index, tool_data_error(rc));
		char a[TSD_TIME_MAX], b[TSD_TIME_MAX], m[32], s[32];
		if (io.r && !io.out_tstyle.kind)
			in_style = tsd_reader_style(io.r)->tstyle;
		const tsd_tstyle *ts = io.out_tstyle.kind ? &io.out_tstyle : &in_style;
		tsd_time_format(a, w.start, ts);
		tsd_time_format(b, w.end, ts);
		tsd_format_double(m, w.mean, io.precision);
		tsd_format_double(s, w.std, io.precision);
		put_field(stdout, tsd_series_name(io.tab, win.series), delim);
		printf("%c%s%c%s%c%zu%c%zu%c%d%c%s%c%s%c", delim, a, delim, b, delim, w.n, delim, group, delim,
		       alpha, delim, m, delim, s, delim);
		for (size_t i = 0; i < w.m; i++)
			putchar(letters[sym[i]]);
		putchar('\n');
		if (tsd_ctlq_pending(wl.cq)) {
			/* positions go through the record writer: keep the order */
			if (fflush(stdout))
				tool_die(EXIT_DATA, "write error:");
			tool_winloop_done(&wl);
			if (io.w && tsd_writer_flush(io.w) < 0)
				tool_die(EXIT_DATA, "%s", tsd_writer_errmsg(io.w));
		}
	}
	tool_winloop_free(&wl);
	if (fflush(stdout))
		tool_die(EXIT_DATA, "write error:");
	tool_close_output(&io);
	free(work);
	free(sym);
	tsd_series_free(io.tab);
	if (fflush(stdout) || ferror(stdout) || fclose(stdout))
		tool_die(EXIT_DATA, "write error:");
	return 0;
}
