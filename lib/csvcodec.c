/* csvcodec.c: CSV numbers, fields and lines on memory buffers. */
#include "csvcodec.h"
#include "tsd.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- numbers */

static const double pow10tab[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#if LDBL_MANT_DIG == 64
static const long double p10l[] = {
	1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
	1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L,
	1e26L, 1e27L,
};

/* m * 10^e10 (m < 2^64, |e10| <= 27) rounded to the nearest double, when
 * that can be decided in x87 extended precision: there the mantissa and
 * the power of ten (5^27 < 2^64) are exact, so the quotient or product is
 * one correctly rounded 64-bit result. Rounding that again to 53 bits is
 * exact unless it lies next to a halfway point between two doubles. 1:
 * *out is the correctly rounded double; 0: undecided (ask strtod). */
static int x87_decimal(double *out, uint64_t m, int e10)
{
	long double x = (long double)m;
	uint64_t mant;

	if (e10 < -27 || e10 > 27)
		return 0;
	x = e10 < 0 ? x / p10l[-e10] : x * p10l[e10];
	if (x == 0) {
		*out = 0;
		return 1;
	}
	/* 1e-300 .. 1e300: no subnormal or overflowing double */
	if (!(x > 1e-300L && x < 1e300L))
		return 0;
	memcpy(&mant, &x, sizeof mant); /* the 64-bit significand, leading bit explicit */
	unsigned low = (unsigned)(mant & 0x7ff); /* the 11 bits rounding drops */
	if (low >= 0x3ff && low <= 0x401)
		return 0;
	*out = (double)x;
	return 1;
}
#endif

/* Clinger's fast path: a decimal with at most 15 significant digits (so
 * the mantissa is exact in a double) and a power of ten up to 22 is one
 * correctly rounded multiplication or division. 16 to 19 digits go
 * through x87_decimal where there is one; everything else to strtod. */
int tsd_scan_double(double *out, const char *s, size_t len)
{
	const char *p = s, *e = s + len;
	uint64_t m = 0;
	int nd = 0, exp10 = 0, neg = 0, any = 0;
	char tmp[400];
	char *end;

	if (p < e && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	while (p < e && (unsigned)(*p - '0') < 10) {
		if (nd < 19)
			m = m * 10 + (unsigned)(*p - '0');
		else
			exp10++;
		if (m)
			nd++;
		p++;
		any = 1;
	}
	if (p < e && *p == '.') {
		p++;
		while (p < e && (unsigned)(*p - '0') < 10) {
			if (nd < 19) {
				m = m * 10 + (unsigned)(*p - '0');
				exp10--;
			}
			if (m)
				nd++;
			p++;
			any = 1;
		}
	}
	if (any && p < e && (*p == 'e' || *p == 'E')) {
		const char *q = p + 1;
		int eneg = 0, ev = 0, ed = 0;
		if (q < e && (*q == '-' || *q == '+'))
			eneg = *q++ == '-';
		while (q < e && (unsigned)(*q - '0') < 10) {
			if (ev < 10000)
				ev = ev * 10 + (*q - '0');
			q++;
			ed++;
		}
		if (!ed)
			return TSD_EFORMAT;
		exp10 += eneg ? -ev : ev;
		p = q;
	}
	if (any && p == e && nd <= 15 && exp10 >= -22 && exp10 <= 22) {
		double v = (double)m;
		v = exp10 < 0 ? v / pow10tab[-exp10] : v * pow10tab[exp10];
		*out = neg ? -v : v;
		return 0;
	}
#if LDBL_MANT_DIG == 64
	if (any && p == e && nd <= 19) {
		double v;
		if (x87_decimal(&v, m, exp10)) {
			*out = neg ? -v : v;
			return 0;
		}
	}
#endif
	/* slow path: strtod on a NUL-terminated copy (also nan, inf), but
	 * not C's hexadecimal floats */
	if (len == 0 || len >= sizeof tmp || memchr(s, 'x', len) || memchr(s, 'X', len))
		return TSD_EFORMAT;
	memcpy(tmp, s, len);
	tmp[len] = 0;
	errno = 0;
	*out = strtod(tmp, &end);
	if (end != tmp + len)
		return TSD_EFORMAT;
	return 0;
}

/* The slow, always right way: %.15g, %.16g or %.17g, the first that reads
 * back as v. */
static int format_slow(char *buf, double v)
{
	int n = 0;

	for (int p = 15; p <= 17; p++) {
		n = sprintf(buf, "%.*g", p, v);
		if (p == 17 || strtod(buf, NULL) == v)
			break;
	}
	return n;
}

#if LDBL_MANT_DIG == 64
/* Does m * 10^e10 read back as a? 1 yes, 0 no, -1 undecided. */
static int reads_back(uint64_t m, int e10, double a)
{
	double x;

	if (!x87_decimal(&x, m, e10))
		return -1;
	return x == a;
}

/* One candidate length: the integers around z = y / 10^(17 - p), the
 * nearer first (an exact half goes to the even one, as printf does). 1 and
 * *m, *e10 set: one of them reads back as a; 0: neither; -1: undecided. */
static int try_digits(uint64_t *m, int *e10, long double y, int k, int p, double a)
{
	int j = 17 - p, r;
	long double z = y / p10l[j], fr;
	uint64_t f = (uint64_t)z, c[2];

	fr = z - (long double)f;
	if (fr < 0.5L || (fr == 0.5L && !(f & 1)))
		c[0] = f, c[1] = f + 1;
	else
		c[0] = f + 1, c[1] = f;
	for (int i = 0; i < 2; i++) {
		if (!c[i])
			continue;
		if ((r = reads_back(c[i], j - k, a)) < 0)
			return -1;
		if (r) {
			*m = c[i];
			*e10 = j - k;
			return 1;
		}
	}
	return 0;
}

/* The shortest decimal m * 10^e10 that reads back as a (finite, > 0):
 * y = a * 10^k lies in [1e16, 1e17), and for p significant digits the
 * candidates are the two integers around y / 10^(17 - p). If some p-digit
 * decimal reads back, so does one of p + 1 digits, so p is found by
 * bisection, tried first at 15 (data with 16 or 17 digits is then two or
 * three tries). Returns p, or 0 when this cannot decide (the caller falls
 * back to printf and strtod). */
static int shortest(uint64_t *mout, int *eout, double a)
{
	int e2, x, k, lo, hi, best = 0, r;
	uint64_t m;
	int e10;
	long double y;

	frexp(a, &e2);
	x = (int)floor((e2 - 1) * 0.30102999566398120); /* log10(a), or one less */
	k = 16 - x;
	if (k < -27 || k > 27)
		return 0;
	y = k < 0 ? (long double)a / p10l[-k] : (long double)a * p10l[k];
	if (y < 1e16L || y >= 1e17L) {
		k += y < 1e16L ? 1 : -1;
		if (k < -27 || k > 27)
			return 0;
		y = k < 0 ? (long double)a / p10l[-k] : (long double)a * p10l[k];
		if (y < 1e16L || y >= 1e17L)
			return 0;
	}
	if ((r = try_digits(&m, &e10, y, k, 15, a)) < 0)
		return 0;
	if (r) {
		best = 15, *mout = m, *eout = e10;
		lo = 1, hi = 14;
	} else {
		lo = 16, hi = 17;
	}
	while (lo <= hi) {
		int p = lo == 16 ? 16 : (lo + hi) / 2;
		if ((r = try_digits(&m, &e10, y, k, p, a)) < 0)
			return 0;
		if (r) {
			best = p, *mout = m, *eout = e10;
			hi = p - 1;
		} else {
			lo = p + 1;
		}
	}
	return best;
}
#endif

static char *put_uint(char *d, uint64_t m)
{
	char t[24];
	int n = 0;

	do
		t[n++] = (char)('0' + m % 10);
	while (m /= 10);
	while (n)
		*d++ = t[--n];
	return d;
}

int tsd_format_double(char *buf, double v, int precision)
{
	if (precision > 0)
		return snprintf(buf, TSD_DOUBLE_MAX, "%.*g", precision > 17 ? 17 : precision, v);
	if (v == 0)
		return sprintf(buf, "%s", signbit(v) ? "-0" : "0");
	if (!isfinite(v))
		return sprintf(buf, "%s", isnan(v) ? "nan" : v < 0 ? "-inf" : "inf");
#if LDBL_MANT_DIG == 64
	{
		uint64_t m;
		int e10, p = shortest(&m, &e10, fabs(v));
		if (p) {
			char dig[24], *d = buf;
			int nd, x, prec = p < 15 ? 15 : p;
			while (m % 10 == 0) {
				m /= 10;
				e10++;
			}
			nd = (int)(put_uint(dig, m) - dig);
			x = nd - 1 + e10; /* the decimal exponent */
			if (v < 0)
				*d++ = '-';
			if (x < -4 || x >= prec) {
				/* as %g: d.ddde+XX */
				*d++ = dig[0];
				if (nd > 1) {
					*d++ = '.';
					memcpy(d, dig + 1, (size_t)nd - 1);
					d += nd - 1;
				}
				*d++ = 'e';
				*d++ = x < 0 ? '-' : '+';
				if (x < 0)
					x = -x;
				if (x < 10)
					*d++ = '0';
				d = put_uint(d, (uint64_t)x);
			} else if (x < 0) {
				*d++ = '0';
				*d++ = '.';
				for (int i = -1; i > x; i--)
					*d++ = '0';
				memcpy(d, dig, (size_t)nd);
				d += nd;
			} else if (nd <= x + 1) {
				memcpy(d, dig, (size_t)nd);
				d += nd;
				for (int i = nd; i <= x; i++)
					*d++ = '0';
			} else {
				memcpy(d, dig, (size_t)x + 1);
				d += x + 1;
				*d++ = '.';
				memcpy(d, dig + x + 1, (size_t)(nd - x - 1));
				d += nd - x - 1;
			}
			*d = 0;
			return (int)(d - buf);
		}
	}
#endif
	return format_slow(buf, v);
}
/* CSV field: quote when it holds the delimiter, a quote or a line end. */
size_t tsd_csv_field(char *d, const char *s, size_t n, int delim)
{
	size_t i, k = 0;

	if (!memchr(s, delim, n) && !memchr(s, '"', n) && !memchr(s, '\n', n) && !memchr(s, '\r', n)) {
		memcpy(d, s, n);
		return n;
	}
	d[k++] = '"';
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			d[k++] = '"';
		d[k++] = s[i];
	}
	d[k++] = '"';
	return k;
}


/* ---------------------------------------------------------------- splitting */

size_t tsd_csv_record_len(const char *s, size_t avail, int delim, int *open)
{
	int inq = 0, start = 1; /* inside quotes; at the start of a field */

	*open = 0;
	for (size_t i = 0; i < avail; i++) {
		char c = s[i];
		if (inq) {
			if (c == '"') {
				if (i + 1 == avail)
					return 0; /* a doubled quote may be cut in two */
				if (s[i + 1] == '"')
					i++;
				else
					inq = 0;
			}
			continue;
		}
		if (c == '\n')
			return i + 1;
		if (c == '\r') {
			if (i + 1 == avail)
				return 0; /* a CR LF may be cut in two */
			return s[i + 1] == '\n' ? i + 2 : i + 1;
		}
		if (c == delim)
			start = 1;
		else if (start && c == '"')
			inq = 1, start = 0;
		else if (c != ' ' && c != '\t')
			start = 0;
	}
	*open = inq;
	return 0;
}

static int is_blank(char c, int tab) { return c == ' ' || (!tab && c == '\t'); }

int tsd_csv_split(tsd_csvrow *row, const char *s, size_t len, int delim, int flags)
{
	const char *e = s + len, *p = s;
	int trim = flags & TSD_CSV_TRIM, tab = delim == '\t';
	size_t need;

	if (e > s && e[-1] == '\n')
		e--;
	if (e > s && e[-1] == '\r')
		e--;
	row->n = 0;
	row->len = 0;
	if (e == s)
		return 0; /* an empty line holds no record */
	/* every field's bytes and its NUL fit in twice the line */
	need = 2 * (size_t)(e - s) + 2;
	if (need > row->cap) {
		char *nb = realloc(row->buf, need);
		if (!nb)
			return TSD_ENOMEM;
		row->buf = nb;
		row->cap = need;
	}
	for (;;) {
		const char *a = p;
		char *d = row->buf + row->len;
		size_t start = row->len;

		if (row->n == row->fcap) {
			size_t nc = row->fcap ? 2 * row->fcap : 16;
			size_t *no = realloc(row->off, nc * sizeof *no);
			if (!no)
				return TSD_ENOMEM;
			row->off = no;
			size_t *nl = realloc(row->flen, nc * sizeof *nl);
			if (!nl)
				return TSD_ENOMEM;
			row->flen = nl;
			row->fcap = nc;
		}
		if (trim)
			while (a < e && is_blank(*a, tab))
				a++;
		if (a < e && *a == '"') {
			a++;
			for (;;) {
				const char *q = memchr(a, '"', (size_t)(e - a));
				if (!q) {
					row->why = "unterminated quoted field";
					return TSD_EFORMAT;
				}
				memcpy(d, a, (size_t)(q - a));
				d += q - a;
				if (q + 1 < e && q[1] == '"') {
					*d++ = '"';
					a = q + 2;
					continue;
				}
				a = q + 1;
				break;
			}
			if (trim)
				while (a < e && is_blank(*a, tab))
					a++;
			if (a < e && *a != delim) {
				row->why = "text after a quoted field";
				return TSD_EFORMAT;
			}
			p = a;
		} else {
			const char *dl = a < e ? memchr(a, delim, (size_t)(e - a)) : NULL, *fe = dl ? dl : e, *b = fe;
			if (trim)
				while (b > a && is_blank(b[-1], tab))
					b--;
			if (b > a && memchr(a, '"', (size_t)(b - a))) {
				row->why = "quote inside an unquoted field";
				return TSD_EFORMAT;
			}
			memcpy(d, a, (size_t)(b - a));
			d += b - a;
			p = fe;
		}
		*d = 0;
		row->off[row->n] = start;
		row->flen[row->n++] = (size_t)(d - (row->buf + start));
		row->len = (size_t)(d - row->buf) + 1;
		if (p >= e)
			return (int)row->n;
		p++; /* the delimiter */
	}
}

void tsd_csvrow_free(tsd_csvrow *row)
{
	free(row->buf);
	free(row->off);
	free(row->flen);
	memset(row, 0, sizeof *row);
}
