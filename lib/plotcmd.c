/* plotcmd.c: text for gnuplot. */
#include "plotcmd.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "stream.h"

size_t tsd_plot_time(char *p, int64_t ns)
{
	int64_t s = ns / 1000000000, f = ns % 1000000000;
	char tmp[32];
	size_t n = 0, k;
	uint64_t u;

	if (f < 0)
		f += 1000000000, s--;
	if (s < 0) {
		/* -1.5 s is s = -2, f = 0.5: print -(s + 1) and 1 - f */
		p[n++] = '-';
		if (f) {
			u = (uint64_t)(-(s + 1));
			f = 1000000000 - f;
		} else {
			u = (uint64_t)(-(s + 1)) + 1;
		}
	} else {
		u = (uint64_t)s;
	}
	k = 0;
	do
		tmp[k++] = (char)('0' + u % 10), u /= 10;
	while (u);
	while (k)
		p[n++] = tmp[--k];
	if (f) {
		int d = 9;
		while (f % 10 == 0)
			f /= 10, d--;
		p[n++] = '.';
		for (k = (size_t)d; k > 0; k--)
			p[n + k - 1] = (char)('0' + f % 10), f /= 10;
		n += (size_t)d;
	}
	return n;
}

const char *tsd_plot_time_format(int64_t extent)
{
	int64_t s = extent / 1000000000;

	if (s <= 900)
		return "%H:%M:%S";
	if (s <= 2 * 86400)
		return "%H:%M";
	if (s <= 20 * 86400)
		return "%m-%d\\n%H:%M";
	return "%Y\\n%m-%d"; /* two short lines: long dates would overlap */
}

const char *tsd_plot_quote(char *buf, size_t len, const char *s)
{
	size_t n = 0;

	buf[n++] = '"';
	for (; *s && n + 4 < len; s++) {
		if (*s == '"' || *s == '\\')
			buf[n++] = '\\';
		buf[n++] = (unsigned char)*s < ' ' ? ' ' : *s;
	}
	buf[n++] = '"';
	buf[n] = 0;
	return buf;
}

size_t tsd_plot_data_size(size_t n)
{
	/* "$dN << EOD\n" + a time, a space, a value and a line end a point + "EOD\n" */
	return 64 + n * (TSD_PLOT_TIME_MAX + 24);
}

size_t tsd_plot_data(char *p, uint32_t id, const int64_t *t, const double *v, size_t n)
{
	char *p0 = p;

	p += sprintf(p, "$d%" PRIu32 " << EOD\n", id);
	for (size_t j = 0; j < n; j++) {
		p += tsd_plot_time(p, t[j]);
		*p++ = ' ';
		p += tsd_format_double(p, v[j], 8);
		*p++ = '\n';
	}
	p += sprintf(p, "EOD\n");
	return (size_t)(p - p0);
}

int tsd_plot_has_term(const char *terms, const char *t)
{
	size_t n = strcspn(t, " \t");
	const char *p = terms;

	while (n && *p) {
		if ((p == terms || p[-1] == ' ') && strncmp(p, t, n) == 0 && (p[n] == ' ' || p[n] == 0))
			return 1;
		p++;
	}
	return 0;
}

const char *tsd_plot_term_package(const char *t)
{
	if (!strcmp(t, "qt") || !strcmp(t, "wxt"))
		return " (Debian: install gnuplot-qt)";
	if (!strcmp(t, "x11"))
		return " (Debian: install gnuplot-x11 or gnuplot-qt)";
	return "";
}

const char *tsd_plot_term_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (dot && !strcmp(dot, ".png"))
		return "pngcairo";
	if (dot && !strcmp(dot, ".svg"))
		return "svg";
	if (dot && !strcmp(dot, ".txt"))
		return "dumb";
	return NULL;
}
