/* tstime.c: fast strict timestamp parsing and formatting. */
#include "tstime.h"
#include "tsd.h"

#include <math.h>
#include <stdio.h>
#include <time.h>
#include <string.h>

#define NS_PER_S 1000000000LL

/* Howard Hinnant's civil-date algorithms (a well-known public formula). */
int64_t tsd_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void tsd_civil_from_days(int64_t *y, unsigned *m, unsigned *d, int64_t z)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* n decimal digits (n <= 19, so the value fits in 64 bits unsigned): -1
 * when one is not a digit, -2 when the value is past INT64_MAX. */
static int digits(const char *s, size_t n, int64_t *out)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i] - '0';
		if (c > 9)
			return -1;
		v = v * 10 + c;
	}
	if (v > (uint64_t)INT64_MAX)
		return -2;
	*out = (int64_t)v;
	return 0;
}

static int parse_iso(int64_t *ns, tsd_tstyle *st, const char *s, size_t len)
{
	int64_t y, mo, d, h = 0, mi = 0, se = 0, frac = 0;
	size_t p = 10, nf = 0;
	static const unsigned mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (len < 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) ||
	    digits(s + 5, 2, &mo) || digits(s + 8, 2, &d))
		return TSD_EFORMAT;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return TSD_ERANGE;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return TSD_ERANGE;
	st->kind = TSD_T_ISO;
	st->sep = ' ';
	st->frac = 0;
	st->zone = 0;
	st->tzmin = 0;
	if (p < len) {
		if (s[p] != ' ' && s[p] != 'T')
			return TSD_EFORMAT;
		st->sep = (uint8_t)s[p++];
		if (len - p < 5 || digits(s + p, 2, &h) || s[p + 2] != ':' ||
		    digits(s + p + 3, 2, &mi))
			return TSD_EFORMAT;
		p += 5;
		if (p < len && s[p] == ':') {
			if (len - p < 3 || digits(s + p + 1, 2, &se))
				return TSD_EFORMAT;
			p += 3;
			if (p < len && (s[p] == '.' || s[p] == ',')) {
				p++;
				while (p < len && (unsigned)((unsigned char)s[p] - '0') < 10) {
					if (nf < 9)
						frac = frac * 10 + (s[p] - '0');
					nf++;
					p++;
				}
				if (nf == 0)
					return TSD_EFORMAT;
				st->frac = (uint8_t)(nf > 9 ? 9 : nf);
				for (size_t k = st->frac; k < 9; k++)
					frac *= 10;
			}
		}
		if (h > 24 || mi > 59 || se > 60 || (h == 24 && (mi || se || frac)))
			return TSD_ERANGE;
		if (p < len) {
			int64_t zh = 0, zm = 0;
			int sign;
			if (s[p] == 'Z' && p + 1 == len) {
				st->zone = 'Z';
				p++;
			} else if (s[p] == '+' || s[p] == '-') {
				sign = s[p] == '-' ? -1 : 1;
				size_t r = len - p - 1;
				const char *z = s + p + 1;
				if (r == 2 ? digits(z, 2, &zh) :
				    r == 4 ? digits(z, 2, &zh) || digits(z + 2, 2, &zm) :
				    r == 5 ? z[2] != ':' || digits(z, 2, &zh) || digits(z + 3, 2, &zm) : 1)
					return TSD_EFORMAT;
				if (zh > 23 || zm > 59)
					return TSD_ERANGE;
				st->zone = '+';
				st->tzmin = (int16_t)(sign * (zh * 60 + zm));
				p = len;
			} else {
				return TSD_EFORMAT;
			}
		}
	}
	if (p != len)
		return TSD_EFORMAT;
	int64_t secs = tsd_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
		       mi * 60 + se - (int64_t)st->tzmin * 60, v;
	if (__builtin_mul_overflow(secs, NS_PER_S, &v) || __builtin_add_overflow(v, frac, ns))
		return TSD_ERANGE; /* outside 1677..2262, what int64 ns can hold */
	return 0;
}

int tsd_time_parse(int64_t *ns, tsd_tstyle *style, const char *s, size_t len)
{
	int forced = style->kind;
	size_t i = 0, dot = len;
	int neg = 0;

	while (len && (s[len - 1] == ' ' || s[len - 1] == '\r'))
		len--;
	while (len && *s == ' ')
		s++, len--;
	if (len == 0)
		return TSD_EFORMAT;
	if (len >= 10 && s[4] == '-')
		return parse_iso(ns, style, s, len);
	if (forced == TSD_T_ISO)
		return TSD_EFORMAT;
	if (s[0] == '-' || s[0] == '+')
		neg = s[0] == '-', i = 1;
	for (size_t k = i; k < len; k++)
		if (s[k] == '.') { dot = k; break; }
	if (dot == len) {
		int64_t v;
		size_t nd = len - i;
		int kind = forced;
		if (nd == 0 || nd > 19)
			return TSD_EFORMAT;
		int rc = digits(s + i, nd, &v);
		if (rc)
			return rc == -2 ? TSD_ERANGE : TSD_EFORMAT;
		if (kind == TSD_T_AUTO || kind == TSD_T_SF) {
			kind = v < 100000000000LL ? TSD_T_S :
			       v < 100000000000000LL ? TSD_T_MS :
			       v < 100000000000000000LL ? TSD_T_US : TSD_T_NS;
		}
		static const int64_t mul[] = { 0, 0, NS_PER_S, 1000000, 1000, 1 };
		if (v > INT64_MAX / mul[kind])
			return TSD_ERANGE;
		v *= mul[kind];
		*ns = neg ? -v : v;
		memset(style, 0, sizeof *style);
		style->kind = (uint8_t)kind;
		return 0;
	} else {
		int64_t ip, fp = 0;
		size_t ni = dot - i, nf = len - dot - 1, k;
		if (ni == 0 || ni > 11 || digits(s + i, ni, &ip) || nf == 0 || nf > 18)
			return TSD_EFORMAT;
		for (k = 0; k < nf; k++) {
			unsigned c = (unsigned char)s[dot + 1 + k] - '0';
			if (c > 9)
				return TSD_EFORMAT;
			if (k < 9)
				fp = fp * 10 + c;
		}
		for (k = nf; k < 9; k++)
			fp *= 10;
		int64_t v;
		if (__builtin_mul_overflow(ip, NS_PER_S, &v) || __builtin_add_overflow(v, fp, &v))
			return TSD_ERANGE;
		*ns = neg ? -v : v;
		memset(style, 0, sizeof *style);
		style->kind = TSD_T_SF;
		style->frac = (uint8_t)(nf > 9 ? 9 : nf);
		return 0;
	}
}

static int put_frac(char *b, int64_t fr, int nd)
{
	int64_t div = 100000000;
	int k;

	b[0] = '.';
	for (k = 1; k <= nd; k++) {
		b[k] = (char)('0' + (fr / div) % 10);
		div /= 10;
	}
	return nd + 1;
}

static int put2(char *b, unsigned v)
{
	b[0] = (char)('0' + v / 10);
	b[1] = (char)('0' + v % 10);
	return 2;
}

int tsd_time_format(char *buf, int64_t ns, const tsd_tstyle *st)
{
	int64_t sec, fr, days, sod, y;
	unsigned mo, d;
	char *b = buf;
	int nd;

	/* An integer epoch style prints exactly when the time is a whole
	 * number of its unit; otherwise it falls back to seconds with a
	 * fraction, so that no precision is ever lost silently. */
	static const int64_t unit[] = { 0, 0, NS_PER_S, 1000000, 1000, 1 };
	if (st->kind >= TSD_T_S && st->kind <= TSD_T_NS) {
		if (ns % unit[st->kind] == 0)
			return sprintf(buf, "%lld", (long long)(ns / unit[st->kind]));
		tsd_tstyle sf = { .kind = TSD_T_SF, .frac = 9 };
		return tsd_time_format(buf, ns, &sf);
	}
	sec = ns / NS_PER_S;
	fr = ns % NS_PER_S;
	if (fr < 0)
		fr += NS_PER_S, sec--;
	nd = st->frac;
	if (st->kind == TSD_T_SF) {
		int n = sprintf(buf, "%lld", (long long)sec);
		if (nd == 0)
			nd = 1;
		n += put_frac(buf + n, fr, nd);
		buf[n] = 0;
		return n;
	}
	/* ISO, the default for an unknown style too */
	sec += (int64_t)st->tzmin * 60;
	days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
	sod = sec - days * 86400;
	{
		/* consecutive times mostly fall on the same day */
		static __thread int64_t c_days = INT64_MIN, c_y;
		static __thread unsigned c_mo, c_d;
		if (days != c_days) {
			tsd_civil_from_days(&c_y, &c_mo, &c_d, days);
			c_days = days;
		}
		y = c_y, mo = c_mo, d = c_d;
	}
	if (y < 0 || y > 9999)
		return sprintf(buf, "%lld", (long long)ns);
	b += put2(b, (unsigned)(y / 100));
	b += put2(b, (unsigned)(y % 100));
	*b++ = '-';
	b += put2(b, mo);
	*b++ = '-';
	b += put2(b, d);
	*b++ = st->sep == 'T' ? 'T' : ' ';
	b += put2(b, (unsigned)(sod / 3600));
	*b++ = ':';
	b += put2(b, (unsigned)(sod / 60 % 60));
	*b++ = ':';
	b += put2(b, (unsigned)(sod % 60));
	if (nd)
		b += put_frac(b, fr, nd);
	else if (fr)
		b += put_frac(b, fr, fr % 1000000 == 0 ? 3 : fr % 1000 == 0 ? 6 : 9);
	if (st->zone == 'Z') {
		*b++ = 'Z';
	} else if (st->zone == '+') {
		int m = st->tzmin < 0 ? -st->tzmin : st->tzmin;
		*b++ = st->tzmin < 0 ? '-' : '+';
		b += put2(b, (unsigned)(m / 60));
		*b++ = ':';
		b += put2(b, (unsigned)(m % 60));
	}
	*b = 0;
	return (int)(b - buf);
}

int tsd_tstyle_parse(tsd_tstyle *st, const char *name)
{
	static const struct { const char *n; uint8_t kind, sep, zone; } t[] = {
		{ "auto", TSD_T_AUTO, 0, 0 }, { "iso", TSD_T_ISO, ' ', 0 },
		{ "iso-t", TSD_T_ISO, 'T', 'Z' }, { "s", TSD_T_S, 0, 0 },
		{ "ms", TSD_T_MS, 0, 0 }, { "us", TSD_T_US, 0, 0 },
		{ "ns", TSD_T_NS, 0, 0 }, { "sf", TSD_T_SF, 0, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++) {
		if (strcmp(name, t[i].n) == 0) {
			memset(st, 0, sizeof *st);
			st->kind = t[i].kind;
			st->sep = t[i].sep;
			st->zone = t[i].zone;
			if (st->kind == TSD_T_SF)
				st->frac = 3;
			return 0;
		}
	}
	return TSD_EINVAL;
}

int64_t tsd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int tsd_time_parse_slow(tsd_tcache *c, int64_t *ns, tsd_tstyle *style, const char *s, size_t len)
{
	int rc, sod;

	c->valid = 0;
	if ((rc = tsd_time_parse(ns, style, s, len)) < 0)
		return rc;
	/* remember a plain ISO time's date, unless within two days of the
	 * end of what int64 nanoseconds hold */
	if (len == 19 && s[4] == '-' && style->kind == TSD_T_ISO && !style->zone && !style->frac &&
	    (sod = tsd_time_plain_sod(s)) >= 0 && *ns <= INT64_MAX - 2 * 86400 * 1000000000LL) {
		memcpy(c->text, s, 11);
		c->base = *ns - sod * 1000000000LL;
		c->valid = 1;
	}
	return 0;
}
