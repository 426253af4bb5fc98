/* plotdraw.c: tsplot's drawing side (see plotdraw.h): gnuplot fed
 * through a pipe, the data-block files it loads, the chart published to
 * --output. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plotcmd.h"
#include "plotdraw.h"
#include "tool.h"

#define MSGLEN 8192

static void cleanup_files(tool_plotdraw *d);

void tool_plotdraw_show(const char *msg)
{
	const char *s = msg;

	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		size_t k = 0;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k < n)
			fprintf(stderr, "%s: gnuplot: %.*s\n", tool_name, (int)n, s);
		s += n + (nl != NULL);
	}
}

void tool_plotdraw_check_out(tool_plotdraw *d)
{
	int e = d->gp ? tsd_gnuplot_out_error(d->gp) : 0;

	if (e == EPIPE) {
		/* the reader of our output has gone (| head): end quietly */
		cleanup_files(d);
		exit(EXIT_DATA);
	}
	if (e) {
		errno = e;
		tool_plotdraw_die(d, "write error:");
	}
}

void tool_plotdraw_drain(tool_plotdraw *d)
{
	char msg[MSGLEN];
	size_t got;
	int rc;

	do {
		rc = tsd_gnuplot_read(d->gp, msg, sizeof msg, &got);
		if (got)
			tool_plotdraw_show(msg);
	} while (got);
	tool_plotdraw_check_out(d);
	if (rc == 1)
		tool_plotdraw_die(d, "gnuplot has exited");
	if (rc < 0)
		tool_plotdraw_die(d, "reading gnuplot's messages:");
}

static void drop_blocks(tool_plotdraw *d, int all);

static void cleanup_files(tool_plotdraw *d)
{
	drop_blocks(d, 1);
	if (d->tmp[0])
		unlink(d->tmp);
	if (d->tmpdir[0])
		rmdir(d->tmpdir);
}

void tool_plotdraw_die(tool_plotdraw *d, const char *fmt, ...)
{
	va_list ap;
	int e = errno;
	char msg[MSGLEN];
	size_t got = 0;
	int st = 0;

	if (d->gp) {
		tsd_gnuplot_close(d->gp, &st, msg, sizeof msg, &got);
		d->gp = NULL;
		if (got)
			tool_plotdraw_show(msg);
	}
	cleanup_files(d);
	errno = e;
	fprintf(stderr, "%s: ", tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (fmt[strlen(fmt) - 1] == ':')
		fprintf(stderr, " %s", strerror(e));
	if (WIFSIGNALED(st))
		fprintf(stderr, " (killed by signal %d)", WTERMSIG(st));
	else if (WIFEXITED(st) && WEXITSTATUS(st))
		fprintf(stderr, " (status %d)", WEXITSTATUS(st));
	fputc('\n', stderr);
	exit(EXIT_DATA);
}

/* The data blocks of a refresh go to gnuplot through a file it loads,
 * not through its stdin: gnuplot reads commands from a pipe one byte per
 * read(2), which at 1000 series (megabytes of points a refresh) was what
 * held tsplot back; a loaded file is read through stdio's buffer. Files
 * are removed once gnuplot has passed the sync that follows them. */
static void block_path(const tool_plotdraw *d, char *buf, size_t len, long id)
{
	snprintf(buf, len, "%s/blocks-%ld.gp", d->tmpdir, id);
}

static void drop_blocks(tool_plotdraw *d, int all)
{
	int64_t synced = d->gp ? tsd_gnuplot_synced(d->gp) : INT64_MAX;
	int k = 0;

	for (int i = 0; i < d->nblk; i++) {
		if (all || d->blk[i].sync <= synced) {
			char p[sizeof d->tmpdir + 40];
			block_path(d, p, sizeof p, d->blk[i].id);
			unlink(p);
		} else {
			d->blk[k++] = d->blk[i];
		}
	}
	d->nblk = k;
}

/* Under the lock: data blocks of the changed series into a new file and
 * a command to load it. Returns the file's id (> 0), 0 when no series
 * changed, or < 0. */
static long send_data(tool_plotdraw *d)
{
	size_t cap = tsd_plotbuf_points_len(d->st->pb);
	uint32_t i;
	char path[sizeof d->tmpdir + 40], q[sizeof path * 2 + 3];
	FILE *f = NULL;
	long id = ++d->blk_seq;

	block_path(d, path, sizeof path, id);
	for (i = 0; i < d->st->nps; i++) {
		long n;
		size_t need;
		if (!tsd_plotbuf_changed(d->st->pb, i))
			continue;
		n = tsd_plotbuf_points(d->pt, d->pv, d->st->pb, i, cap);
		if (n < 0)
			goto failed;
		tsd_plotbuf_clear_changed(d->st->pb, i);
		need = tsd_plot_data_size((size_t)n);
		if (need > d->nscratch) {
			char *nb = realloc(d->scratch, need);
			if (!nb)
				goto failed;
			d->scratch = nb;
			d->nscratch = need;
		}
		if (!f && !(f = fopen(path, "we")))
			goto failed;
		size_t len = tsd_plot_data(d->scratch, i, d->pt, d->pv, (size_t)n);
		if (fwrite(d->scratch, 1, len, f) != len)
			goto failed;
		d->st->ps[i].sent = n > 0;
		if (n > 0)
			d->st->ps[i].sent_last = d->pt[n - 1];
	}
	if (!f)
		return 0;
	if (fclose(f) != 0) {
		f = NULL;
		goto failed;
	}
	if (tsd_plot_quote_path(q, sizeof q, path) < 0 || tsd_gnuplot_printf(d->gp, "load %s\n", q) < 0)
		return TSD_ENOMEM;
	return id;
failed:
	if (f)
		fclose(f);
	unlink(path);
	return TSD_EIO;
}

/* The key title of series i: its name, with the input's label when there
 * are several inputs; in a panel (titled with the name) the label only. */
static void curve_title(const tool_plotdraw *d, char *buf, size_t len, uint32_t i, int in_panel)
{
	const tool_plot_series *p = &d->st->ps[i];
	int several = d->labels[1] || p->input > 0;

	if (in_panel)
		snprintf(buf, len, "%s", several ? d->labels[p->input] : "");
	else if (several)
		snprintf(buf, len, "%s %s", p->name, d->labels[p->input]);
	else
		snprintf(buf, len, "%s", p->name);
}

static int curve(tool_plotdraw *d, uint32_t i, int first, int in_panel)
{
	char q[600], title[1100], lc[TSD_PLOT_COLOUR_MAX];
	const tool_plot_series *p = &d->st->ps[i];

	curve_title(d, title, sizeof title, i, in_panel);
	tsd_plot_colour(lc, sizeof lc, p->group, p->input == 0 && d->labels[1]);
	return tsd_gnuplot_printf(d->gp, "%s$d%" PRIu32 " using 1:2 with %s lc %s %s%s",
				  first ? "plot " : ", ", i,
				  p->input == 0 ? "lines lw 1" : "linespoints lw 1.5 pt 7 ps 0.4", lc,
				  *title ? "title " : "notitle",
				  *title ? tsd_plot_quote(q, sizeof q, title) : "");
}

static int group_order_cmp(const void *a, const void *b, void *groups)
{
	const char *x = tsd_series_name(groups, *(const uint32_t *)a);
	const char *y = tsd_series_name(groups, *(const uint32_t *)b);

	return strverscmp(x, y);
}

/* Under the lock: whether series i is drawn in [t0, ...]. */
static int shown(const tool_plotdraw *d, uint32_t i, int64_t t0)
{
	return d->st->ps[i].sent && d->st->ps[i].sent_last >= t0;
}

/* Under the lock: the plot command(s) for what is shown in [t0, t1]. One
 * chart with the key outside on the right, or one panel per series name
 * (--panels, or beyond TSPLOT_PANELS_AUTO names: a key of 50 names covers
 * the plot), panels in name order (s2 before s10). */
#define TSPLOT_PANELS_AUTO 10
#define TSPLOT_PANELS_MAX 100
static int send_plot(tool_plotdraw *d, int64_t t0, int64_t t1, int *ncurves)
{
	char a[40], b[40], xt[200];
	uint32_t ngroups = tsd_series_count(d->st->groups), gi, i, nshown = 0, *order = NULL;
	int rc = 0, any, panels, cols = 1, rows = 1, keych = 0, chars, pw = d->w, ph = d->h;
	int text = !strcmp(d->tname, "dumb");

	*ncurves = 0;
	a[tsd_plot_time(a, t0)] = 0;
	b[tsd_plot_time(b, t1 > t0 ? t1 : t0 + 1000000000)] = 0;
	if (ngroups && !(order = malloc(ngroups * sizeof *order)))
		return TSD_ENOMEM;
	/* the names shown, in name order */
	for (gi = 0; gi < ngroups; gi++)
		for (i = 0; i < d->st->nps; i++)
			if (d->st->ps[i].group == gi && shown(d, i, t0)) {
				order[nshown++] = gi;
				break;
			}
	qsort_r(order, nshown, sizeof *order, group_order_cmp, d->st->groups);
	/* automatic panels while each can still be read: up to
	 * TSPLOT_PANELS_MAX in a file or window, as many as leave 8 lines
	 * each in a text terminal; beyond, one chart without a key (its
	 * title says how many series) */
	int pmax = text ? d->h / 8 : TSPLOT_PANELS_MAX;
	panels = d->panels || (nshown > TSPLOT_PANELS_AUTO && (int)nshown <= pmax);
	int nokey = !panels && nshown > TSPLOT_PANELS_AUTO;
	if (panels && nshown > 16 && !text)
		cols = (int)((nshown + 15) / 16) > 4 ? 4 : (int)((nshown + 15) / 16);
	rows = panels ? (int)((nshown + (uint32_t)cols - 1) / (uint32_t)cols) : 1;
	/* a file chart of many panels grows to keep each readable, unless
	 * --size was given */
	if (panels && !text && !d->interactive && !d->size_given && nshown > 0) {
		pw = cols * 450 > 900 ? cols * 450 : 900;
		ph = rows * 180 + 40;
		if (ph < 500)
			ph = 500;
		if (pw != d->cur_w || ph != d->cur_h) {
			rc |= tsd_gnuplot_printf(d->gp, "set terminal %s%s%s size %d,%d\n", d->tname,
						 *d->topts ? " " : "", d->topts, pw, ph);
			d->cur_w = pw, d->cur_h = ph;
		}
	}
	/* x tics that fit the width of one plot area, in label characters:
	 * the terminal's characters, or about 9 px each; less the y labels
	 * and the key */
	for (i = 0; i < d->st->nps; i++) {
		char title[1100];
		if (!shown(d, i, t0))
			continue;
		curve_title(d, title, sizeof title, i, panels);
		int n = (int)strlen(title);
		if (n > keych)
			keych = n > 40 ? 40 : n;
	}
	chars = (text ? pw : pw / 9) / cols - 12 - (keych && !nokey ? keych + 8 : 0);
	if (chars < 10)
		chars = 10;
	if (tsd_plot_xtics(xt, sizeof xt, t0, t1 > t0 ? t1 : t0 + 1000000000, chars) < 0)
		xt[0] = 0;
	rc |= tsd_gnuplot_printf(d->gp, "set xrange [%s:%s]\n%s", a, b, xt);
	if (d->tty_dumb)
		rc |= tsd_gnuplot_printf(d->gp, "print \"\\033[H\\033[2J\"\n");
	if (d->file_out) {
		char qp[sizeof d->tmp * 2 + 3];
		if (tsd_plot_quote_path(qp, sizeof qp, d->tmp) < 0) {
			free(order);
			return TSD_EINVAL; /* checked when tmp was made */
		}
		rc |= tsd_gnuplot_printf(d->gp, "set output %s\n", qp);
	}
	if (panels) {
		if (!nshown) {
			free(order);
			return rc;
		}
		if (d->title) {
			char q[600];
			rc |= tsd_gnuplot_printf(d->gp, "unset title\nset multiplot layout %d,%d title %s\n", rows, cols,
						 tsd_plot_quote(q, sizeof q, d->title));
		} else {
			rc |= tsd_gnuplot_printf(d->gp, "set multiplot layout %d,%d\n", rows, cols);
		}
		/* panels of one input have their title and no key; margins in
		 * characters, the same in every panel */
		if (!d->labels[1])
			rc |= tsd_gnuplot_printf(d->gp, "unset key\n");
		rc |= tsd_gnuplot_printf(d->gp, "set tmargin 1.5\nset bmargin %d\n",
					 strstr(xt, "\\n") ? 3 : 2);
		for (uint32_t k = 0; k < nshown; k++) {
			char q[600];
			gi = order[k];
			any = 0;
			rc |= tsd_gnuplot_printf(d->gp, "set title %s offset 0,-0.5\n",
						 tsd_plot_quote(q, sizeof q, tsd_series_name(d->st->groups, gi)));
			for (i = 0; i < d->st->nps; i++) {
				if (d->st->ps[i].group != gi || !shown(d, i, t0))
					continue;
				rc |= curve(d, i, !any, 1);
				any = 1;
				++*ncurves;
			}
			if (any)
				rc |= tsd_gnuplot_printf(d->gp, "\n");
		}
		rc |= tsd_gnuplot_printf(d->gp, "unset multiplot\nunset title\nset key outside right top\n"
					 "unset tmargin\nunset bmargin\n");
		if (d->title) {
			char q[600];
			rc |= tsd_gnuplot_printf(d->gp, "set title %s\n", tsd_plot_quote(q, sizeof q, d->title));
		}
	} else {
		any = 0;
		if (nokey != d->nokey || (nokey && nshown != d->nokey_n)) {
			char q[600], t[700];
			snprintf(t, sizeof t, "%s%s%u series (no key beyond %d)", d->title ? d->title : "",
				 d->title ? ": " : "", nshown, TSPLOT_PANELS_AUTO);
			rc |= tsd_gnuplot_printf(d->gp, nokey ? "unset key\nset title %s\n" : "set key outside right top\n%s",
						 nokey ? tsd_plot_quote(q, sizeof q, t) : "");
			if (!nokey) {
				if (d->title)
					rc |= tsd_gnuplot_printf(d->gp, "set title %s\n", tsd_plot_quote(q, sizeof q, d->title));
				else
					rc |= tsd_gnuplot_printf(d->gp, "unset title\n");
			}
			d->nokey = nokey;
			d->nokey_n = nshown;
		}
		for (uint32_t k = 0; k < nshown; k++)
			for (i = 0; i < d->st->nps; i++) {
				if (d->st->ps[i].group != order[k] || !shown(d, i, t0))
					continue;
				rc |= curve(d, i, !any, 0);
				any = 1;
				++*ncurves;
			}
		if (any)
			rc |= tsd_gnuplot_printf(d->gp, "\n");
	}
	if (d->file_out)
		rc |= tsd_gnuplot_printf(d->gp, "unset output\n");
	free(order);
	return rc < 0 ? TSD_ENOMEM : 0;
}

/* Once gnuplot has written the chart into the private folder: copy it to
 * the output, a regular file replaced whole (a fresh mkstemp file in the
 * output's folder, renamed over it) or anything else (a device, a FIFO)
 * written in place; every write checked. */
static void publish(tool_plotdraw *d)
{
	char *buf = NULL, *tmp = NULL;
	size_t n = 0;
	struct stat st;
	int fd = -1, e;

	if (!d->output)
		return;
	{
		int in = open(d->tmp, O_RDONLY | O_CLOEXEC);
		if (in < 0 || fstat(in, &st) < 0)
			tool_plotdraw_die(d, "%s:", d->tmp);
		if (!(buf = malloc((size_t)st.st_size + 1)))
			tool_plotdraw_die(d, "out of memory");
		while (n < (size_t)st.st_size) {
			ssize_t r = read(in, buf + n, (size_t)st.st_size - n);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				tool_plotdraw_die(d, "%s:", d->tmp);
			n += (size_t)r;
		}
		close(in);
	}
	if (stat(d->output, &st) == 0 && !S_ISREG(st.st_mode)) {
		if ((fd = open(d->output, O_WRONLY | O_TRUNC | O_CLOEXEC)) < 0)
			tool_plotdraw_die(d, "%s:", d->output);
	} else {
		const char *sl = strrchr(d->output, '/');
		size_t dl = sl ? (size_t)(sl - d->output) + 1 : 0;
		mode_t um = umask(0);
		umask(um);
		if (asprintf(&tmp, "%.*s.%s.XXXXXX", (int)dl, d->output, sl ? sl + 1 : d->output) < 0)
			tool_plotdraw_die(d, "out of memory");
		if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
			e = errno;
			free(tmp);
			errno = e;
			tool_plotdraw_die(d, "%s:", d->output);
		}
		fchmod(fd, 0666 & ~um);
	}
	for (size_t off = 0; off < n;) {
		ssize_t w = write(fd, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto failed;
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto failed;
	}
	fd = -1;
	if (tmp && rename(tmp, d->output) < 0)
		goto failed;
	free(tmp);
	free(buf);
	return;
failed:
	e = errno ? errno : EIO;
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(buf);
	errno = e;
	tool_plotdraw_die(d, "%s:", d->output);
}

void tool_plotdraw_publish_ready(tool_plotdraw *d)
{
	if (!d->rename_sync || tsd_gnuplot_synced(d->gp) < d->rename_sync)
		return;
	d->rename_sync = 0;
	publish(d);
}

void tool_plotdraw_refresh(tool_plotdraw *d)
{
	int64_t t0, t1, s;
	int rc, n = 0;

	pthread_mutex_lock(&d->st->lock);
	if (tsd_plotbuf_range(&t0, &t1, d->st->pb) < 0) {
		pthread_mutex_unlock(&d->st->lock);
		return;
	}
	drop_blocks(d, 0);
	long blk = send_data(d);
	rc = blk < 0 ? (int)blk : 0;
	if (rc >= 0)
		rc = send_plot(d, t0, t1, &n);
	pthread_mutex_unlock(&d->st->lock);
	if (rc == TSD_EIO)
		tool_plotdraw_die(d, "%s:", d->tmpdir);
	if (rc < 0)
		tool_plotdraw_die(d, "%s", tsd_strerror(rc));
	if ((s = tsd_gnuplot_sync(d->gp)) < 0)
		tool_plotdraw_die(d, "%s", tsd_strerror((int)s));
	if (blk > 0) {
		if (d->nblk == (int)(sizeof d->blk / sizeof d->blk[0]))
			drop_blocks(d, 1); /* never: a refresh waits for the last one */
		d->blk[d->nblk].id = blk;
		d->blk[d->nblk++].sync = s;
	}
	if (tsd_gnuplot_send(d->gp) < 0)
		tool_plotdraw_die(d, "gnuplot has exited");
	if (!n)
		return; /* nothing to draw: the data blocks only */
	d->plot_sync = s;
	if (d->file_out)
		d->rename_sync = s;
	d->refreshes++;
}

/* The chart of an empty input: axes and "no data" (a cron job over a quiet
 * hour draws this, exit 0). */
void tool_plotdraw_empty(tool_plotdraw *d)
{
	int64_t s;
	int rc = 0;

	if (d->file_out) {
		char qp[sizeof d->tmp * 2 + 3];
		if (tsd_plot_quote_path(qp, sizeof qp, d->tmp) < 0)
			tool_plotdraw_die(d, "%s", tsd_strerror(TSD_EINVAL));
		rc |= tsd_gnuplot_printf(d->gp, "set output %s\n", qp);
	}
	rc |= tsd_gnuplot_printf(d->gp, "set label 1 'no data' at graph 0.5, 0.5 center\n"
				 "set format x ''\nset xrange [0:1]\nset yrange [0:1]\nplot 2 notitle\n"
				 "unset label 1\n");
	if (d->file_out)
		rc |= tsd_gnuplot_printf(d->gp, "unset output\n");
	if (rc < 0 || (s = tsd_gnuplot_sync(d->gp)) < 0)
		tool_plotdraw_die(d, "%s", tsd_strerror(TSD_ENOMEM));
	if (tsd_gnuplot_send(d->gp) < 0)
		tool_plotdraw_die(d, "gnuplot has exited");
	d->plot_sync = s;
	if (d->file_out)
		d->rename_sync = s;
}

int tool_plotdraw_busy(const tool_plotdraw *d)
{
	return tsd_gnuplot_synced(d->gp) < d->plot_sync;
}

static void start_gnuplot(tool_plotdraw *d)
{
	char err[512], terms[4096], *argv[3];
	char msg[MSGLEN];
	size_t got;
	int rc, n = 0;
	int64_t s;

	argv[n++] = (char *)(uintptr_t)(d->gnuplot ? d->gnuplot : "gnuplot");
	if (d->persist)
		argv[n++] = (char *)(uintptr_t)"-persist";
	argv[n] = NULL;
	/* a text chart on our stdout passes through us, so that a write
	 * error there is seen; a window's gnuplot may leave a child holding
	 * its stdout open (-persist), so it keeps ours */
	if (tsd_gnuplot_open(&d->gp, argv, d->interactive ? -1 : 1, err, sizeof err) < 0)
		tool_plotdraw_die(d, "%s%s", err, d->gnuplot ? "" : " (Debian: install gnuplot-nox or gnuplot-qt)");
	rc = tsd_gnuplot_query(d->gp, terms, sizeof terms, "GPVAL_TERMINALS", 20000);
	if (rc != 0) {
		if (rc == 2)
			tool_plotdraw_die(d, "'%s' did not answer within 20 s", argv[0]);
		if (rc == 1 || rc == TSD_EIO)
			tool_plotdraw_die(d, "'%s' exited at start", argv[0]);
		tool_plotdraw_die(d, "'%s' does not answer as gnuplot 5 does", argv[0]);
	}
	if (!d->term) {
		const char *disp = getenv("DISPLAY");
		if (disp && *disp && tsd_plot_has_term(terms, "qt"))
			tool_plotdraw_term(d, "qt");
		else if (disp && *disp && tsd_plot_has_term(terms, "x11"))
			tool_plotdraw_term(d, "x11");
		else
			tool_plotdraw_term(d, "dumb");
	}
	if (!tsd_plot_has_term(terms, d->tname))
		tool_plotdraw_die(d, "this gnuplot has no '%s' terminal%s", d->tname, tsd_plot_term_package(d->tname));
	/* the terminal and the fixed parts of the chart */
	if (!strcmp(d->tname, "dumb")) {
		if (!d->w) {
			struct winsize ws;
			if (!d->output && isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20 && ws.ws_row > 8)
				d->w = ws.ws_col - 1, d->h = ws.ws_row - 1;
			else
				d->w = 100, d->h = 30;
		}
		tsd_gnuplot_printf(d->gp, "set terminal dumb%s%s size %d,%d mono\n", *d->topts ? " " : "",
				   d->topts, d->w, d->h);
		d->tty_dumb = !d->output && isatty(1);
		if (d->tty_dumb)
			tsd_gnuplot_printf(d->gp, "set print \"-\"\n");
	} else if (d->interactive) {
		if (!d->w)
			d->w = 1000, d->h = 500;
		tsd_gnuplot_printf(d->gp, "set terminal %s%s%s size %d,%d noraise title 'tsplot'\n",
				   d->tname, *d->topts ? " " : "", d->topts, d->w, d->h);
	} else {
		if (!d->w)
			d->w = 900, d->h = d->panels ? 800 : 500;
		tsd_gnuplot_printf(d->gp, "set terminal %s%s%s size %d,%d\n", d->tname, *d->topts ? " " : "",
				   d->topts, d->w, d->h);
	}
	tsd_gnuplot_printf(d->gp, "set termoption noenhanced\nset xdata time\nset timefmt \"%%s\"\n"
			   "set grid\nset key outside right top\nset datafile separator whitespace\n");
	if (d->yrange)
		tsd_gnuplot_printf(d->gp, "set yrange [%s]\n", d->yrange);
	/* the same left margin in every panel, so their time axes line up */
	tsd_gnuplot_printf(d->gp, "set lmargin 10\n");
	d->cur_w = d->w, d->cur_h = d->h;
	if (d->title) {
		char q[600];
		tsd_gnuplot_printf(d->gp, "set title %s\n", tsd_plot_quote(q, sizeof q, d->title));
	}
	if ((s = tsd_gnuplot_sync(d->gp)) < 0 || tsd_gnuplot_send(d->gp) < 0)
		tool_plotdraw_die(d, "gnuplot has exited");
	rc = tsd_gnuplot_wait(d->gp, s, 20000, msg, sizeof msg, &got);
	if (got) {
		tool_plotdraw_show(msg);
		tool_plotdraw_die(d, "gnuplot refused the chart settings");
	}
	if (rc)
		tool_plotdraw_die(d, "gnuplot has exited");
}

void tool_plotdraw_term(tool_plotdraw *d, const char *spec)
{
	size_t n;

	if (tsd_plot_term_check(spec, &n) < 0 || n >= sizeof d->tname)
		tool_usage_error("-T: '%s' is not a terminal name followed by options (words of letters, "
				 "digits and _.,:+- after single spaces)", spec);
	d->term = spec;
	memcpy(d->tname, spec, n);
	d->tname[n] = 0;
	d->topts = spec[n] ? spec + n + 1 : "";
	d->interactive = !strcmp(d->tname, "qt") || !strcmp(d->tname, "x11") || !strcmp(d->tname, "wxt");
}

void tool_plotdraw_start(tool_plotdraw *d)
{
	/* gnuplot reads data and draws files in a private folder; each chart
	 * is then copied to --output (see publish) */
	const char *td = getenv("TMPDIR");
	char q[8];

	if (!td || !*td)
		td = "/tmp";
	if (strlen(td) > 3000 || tsd_plot_quote_path(q, sizeof q, td) == TSD_EINVAL)
		tool_die(EXIT_DATA, "TMPDIR: a folder name with a control character or too long");
	snprintf(d->tmpdir, sizeof d->tmpdir, "%s/tsplot-XXXXXX", td);
	if (!mkdtemp(d->tmpdir)) {
		d->tmpdir[0] = 0;
		tool_die(EXIT_DATA, "%s:", td);
	}
	if (d->output) {
		snprintf(d->tmp, sizeof d->tmp, "%s/chart.%s", d->tmpdir, strcmp(d->tname, "svg") ? "png" : "svg");
		d->file_out = 1;
	}
	start_gnuplot(d);
}

void tool_plotdraw_alloc(tool_plotdraw *d, int columns, int64_t span)
{
	int rc;

	if ((rc = tsd_plotbuf_new(&d->st->pb, (size_t)columns, span)) < 0)
		tool_plotdraw_die(d, "%s", tsd_strerror(rc));
	size_t cap = tsd_plotbuf_points_len(d->st->pb);
	if (!(d->pt = malloc(cap * sizeof *d->pt)) || !(d->pv = malloc(cap * sizeof *d->pv)))
		tool_plotdraw_die(d, "out of memory");
}

void tool_plotdraw_wait(tool_plotdraw *d)
{
	char msg[MSGLEN];
	size_t got;
	int rc;

	rc = tsd_gnuplot_wait(d->gp, d->plot_sync, -1, msg, sizeof msg, &got);
	if (got)
		tool_plotdraw_show(msg);
	if (rc == 1)
		tool_plotdraw_die(d, "gnuplot has exited");
	tool_plotdraw_publish_ready(d);
}

int tool_plotdraw_close(tool_plotdraw *d, int *status)
{
	char msg[MSGLEN];
	size_t got;
	int rc, e;

	rc = tsd_gnuplot_close(d->gp, status, msg, sizeof msg, &got);
	e = errno;
	d->gp = NULL;
	if (got)
		tool_plotdraw_show(msg);
	if (d->tmpdir[0])
		cleanup_files(d);
	errno = e;
	return rc;
}
