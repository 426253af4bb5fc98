/* plotcmd.c: text for gnuplot. */
#include "plotcmd.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "stream.h"
#include "tsd.h"

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

/* Tick steps in seconds, and the label each one needs. */
static const struct {
	int64_t s;
	const char *fmt;      /* on one day */
	const char *fmt_days; /* across days */
	int chars;            /* widest line of the label */
} steps[] = {
	{ 1, "%H:%M:%S", "%H:%M:%S\\n%m-%d", 8 }, { 2, "%H:%M:%S", "%H:%M:%S\\n%m-%d", 8 },
	{ 5, "%H:%M:%S", "%H:%M:%S\\n%m-%d", 8 }, { 10, "%H:%M:%S", "%H:%M:%S\\n%m-%d", 8 },
	{ 15, "%H:%M:%S", "%H:%M:%S\\n%m-%d", 8 }, { 30, "%H:%M:%S", "%H:%M:%S\\n%m-%d", 8 },
	{ 60, "%H:%M", "%H:%M\\n%m-%d", 5 }, { 120, "%H:%M", "%H:%M\\n%m-%d", 5 },
	{ 300, "%H:%M", "%H:%M\\n%m-%d", 5 }, { 600, "%H:%M", "%H:%M\\n%m-%d", 5 },
	{ 900, "%H:%M", "%H:%M\\n%m-%d", 5 }, { 1800, "%H:%M", "%H:%M\\n%m-%d", 5 },
	{ 3600, "%H:%M", "%H:%M\\n%m-%d", 5 }, { 7200, "%H:%M", "%H:%M\\n%m-%d", 5 },
	{ 10800, "%H:%M", "%H:%M\\n%m-%d", 5 }, { 21600, "%H:%M", "%H:%M\\n%m-%d", 5 },
	{ 43200, "%H:%M", "%H:%M\\n%m-%d", 5 },
	{ 86400, "%m-%d", "%m-%d", 5 }, { 2 * 86400, "%m-%d", "%m-%d", 5 },
	{ 7 * 86400, "%m-%d", "%m-%d", 5 }, { 14 * 86400, "%m-%d", "%m-%d", 5 },
	{ 30 * 86400, "%Y-%m-%d", "%Y-%m-%d", 10 }, { 91 * 86400, "%Y-%m-%d", "%Y-%m-%d", 10 },
	{ 182 * 86400, "%Y-%m-%d", "%Y-%m-%d", 10 }, { 365 * 86400, "%Y", "%Y", 4 },
};

int tsd_plot_xtics(char *buf, size_t len, int64_t t0, int64_t t1, int chars)
{
	int64_t a = t0 / 1000000000, b = t1 / 1000000000, step = 0;
	size_t i, nsteps = sizeof steps / sizeof steps[0];
	int days = 0;

	if (t0 % 1000000000 < 0)
		a--;
	if (b <= a)
		b = a + 1;
	/* the smallest step whose labels (and two spaces) fit */
	for (i = 0; i < nsteps; i++) {
		int64_t n = (b - a) / steps[i].s + 1;
		if (n * (steps[i].chars + 2) <= chars && n >= 2)
			break;
		/* too few ticks at this step already: take it */
		if (n < 2)
			break;
	}
	if (i == nsteps) {
		/* years beyond the list: a multiple of a year */
		i = nsteps - 1;
		int64_t per = chars / (steps[i].chars + 2);
		step = ((b - a) / (per > 1 ? per - 1 : 1) / steps[i].s + 1) * steps[i].s;
	} else {
		step = steps[i].s;
	}
	/* the view crosses days (UTC): the date under times of day */
	days = (a - ((a % 86400) + 86400) % 86400) != (b - ((b % 86400) + 86400) % 86400);
	int64_t start = a - ((a % step) + step) % step;
	if (start < a)
		start += step;
	int n = snprintf(buf, len, "set xtics %" PRId64 ", %" PRId64 "\nset format x \"%s\"\n", start, step,
			 days ? steps[i].fmt_days : steps[i].fmt);
	return n < 0 || (size_t)n >= len ? TSD_ESIZE : n;
}

/* Length of the UTF-8 character at s (1..4) when it is well formed, 0
 * otherwise; *c1 set when it is a C1 control (U+0080..U+009F). */
static size_t utf8_len(const unsigned char *s, int *c1)
{
	unsigned c = s[0];
	size_t n, i;
	uint32_t cp;

	*c1 = 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	*c1 = cp <= 0x9f;
	return n;
}

size_t tsd_plot_text(char *buf, size_t len, const char *s, int quote)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = 0, k;
	int c1 = 0;

	if (len < 3) {
		if (len)
			buf[0] = 0;
		return 0;
	}
	if (quote)
		buf[n++] = '\'';
	/* room kept for the closing quote and the NUL */
	while (*u) {
		k = *u < 0x20 || *u == 0x7f ? 0 : utf8_len(u, &c1);
		if (!k || c1) {
			/* one '?' for a control or a byte that is not UTF-8 */
			if (n + 1 + 2 > len)
				break;
			buf[n++] = '?';
			u += k ? k : 1;
			continue;
		}
		if (quote && *u == '\'') {
			if (n + 2 + 2 > len)
				break;
			buf[n++] = '\'';
			buf[n++] = '\'';
			u++;
			continue;
		}
		if (n + k + 2 > len)
			break;
		memcpy(buf + n, u, k);
		n += k;
		u += k;
	}
	if (quote)
		buf[n++] = '\'';
	buf[n] = 0;
	return n;
}

const char *tsd_plot_quote(char *buf, size_t len, const char *s)
{
	tsd_plot_text(buf, len, s, 1);
	return buf;
}

int tsd_plot_quote_path(char *buf, size_t len, const char *path)
{
	size_t n = 0;
	const unsigned char *u = (const unsigned char *)path;

	for (; *u; u++)
		if (*u < 0x20 || *u == 0x7f)
			return TSD_EINVAL;
	if (len < 3)
		return TSD_ESIZE;
	buf[n++] = '\'';
	for (u = (const unsigned char *)path; *u; u++) {
		if (n + 2 + 2 > len)
			return TSD_ESIZE;
		if (*u == '\'')
			buf[n++] = '\'';
		buf[n++] = (char)*u;
	}
	buf[n++] = '\'';
	buf[n] = 0;
	return 0;
}

static int term_word_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == ',' || c == ':' || c == '+' || c == '-';
}

int tsd_plot_term_check(const char *spec, size_t *name_len)
{
	const char *p = spec;

	while ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
		p++;
	if (p == spec || (*p && *p != ' '))
		return TSD_EINVAL;
	if (name_len)
		*name_len = (size_t)(p - spec);
	while (*p) {
		const char *w;
		p++; /* the one space before each word */
		if (*p == '\'') {
			/* a single-quoted string (a font name): gnuplot
			 * substitutes nothing in it; no quote or control
			 * character inside */
			for (p++; *p && *p != '\'' && (unsigned char)*p >= 0x20 && *p != 0x7f; p++)
				;
			if (*p != '\'' || (p[1] && p[1] != ' '))
				return TSD_EINVAL;
			p++;
			continue;
		}
		for (w = p; term_word_char((unsigned char)*p); p++)
			;
		if (p == w || (*p && *p != ' '))
			return TSD_EINVAL;
	}
	return 0;
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
		if (v[j] != v[j]) {
			*p++ = '\n'; /* a gap: a blank line breaks gnuplot's line */
			continue;
		}
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

void tsd_plot_colour(char *buf, size_t len, uint32_t group, int light)
{
	static const unsigned pal[10] = { 0x1f77b4, 0xd62728, 0x2ca02c, 0xff7f0e, 0x9467bd,
					  0x8c564b, 0xe377c2, 0x17becf, 0xbcbd22, 0x7f7f7f };
	unsigned rgb, c[3];

	if (group < 10) {
		rgb = pal[group];
	} else {
		/* hsv(h, 0.75, 0.75) */
		double h = fmod(group * 137.508, 360.0) / 60.0, v = 0.75, sat = 0.75;
		double f = h - floor(h), p = v * (1 - sat), q = v * (1 - sat * f), t = v * (1 - sat * (1 - f));
		double r, gg, b;
		switch ((int)h) {
		case 0: r = v, gg = t, b = p; break;
		case 1: r = q, gg = v, b = p; break;
		case 2: r = p, gg = v, b = t; break;
		case 3: r = p, gg = q, b = v; break;
		case 4: r = t, gg = p, b = v; break;
		default: r = v, gg = p, b = q; break;
		}
		rgb = (unsigned)(r * 255) << 16 | (unsigned)(gg * 255) << 8 | (unsigned)(b * 255);
	}
	c[0] = rgb >> 16 & 255, c[1] = rgb >> 8 & 255, c[2] = rgb & 255;
	if (light)
		for (int k = 0; k < 3; k++)
			c[k] = c[k] + (255 - c[k]) * 55 / 100;
	snprintf(buf, len, "rgb '#%02x%02x%02x'", c[0], c[1], c[2]);
}
