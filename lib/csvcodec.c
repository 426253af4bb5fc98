/* csvcodec.c: CSV numbers, fields and lines on memory buffers. */
#include "csvcodec.h"
#include "tsd.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The line scan reads 16 bytes at a time where SSE2 is (every x86-64);
 * the sanitizer build (TSD_NO_CLONES) runs the portable loop instead, so
 * that make check tests it. */
#if defined(__SSE2__) && !defined(TSD_NO_CLONES)
#include <emmintrin.h>
#define LINE_SSE2 1
#endif

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

#if defined(__SIZEOF_INT128__)
/* m / 10^j (m > 0, j <= 19) correctly rounded, in integers: m * 2^sh is
 * divided by 10^j with sh chosen so the quotient has 63 or 64 bits (the
 * dividend then has at most 127); its top 53 bits are the mantissa, the
 * next one rounds, and the rest with the remainder break a tie (to even).
 * The result lies within 1e-19 .. 1.9e19: always a normal double. */
static double div_pow10(uint64_t m, int j)
{
	static const uint64_t p10[] = {
		1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
		100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
		10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
		100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL,
	};
	/* floor(2^(63 + bits of 10^j) / 10^j): in [2^63, 2^64) */
	static const uint64_t recip[] = {
		0,
		0xccccccccccccccccULL, 0xa3d70a3d70a3d70aULL, 0x83126e978d4fdf3bULL, 0xd1b71758e219652bULL,
		0xa7c5ac471b478423ULL, 0x8637bd05af6c69b5ULL, 0xd6bf94d5e57a42bcULL, 0xabcc77118461cefcULL,
		0x89705f4136b4a597ULL, 0xdbe6fecebdedd5beULL, 0xafebff0bcb24aafeULL, 0x8cbccc096f5088cbULL,
		0xe12e13424bb40e13ULL, 0xb424dc35095cd80fULL, 0x901d7cf73ab0acd9ULL, 0xe69594bec44de15bULL,
		0xb877aa3236a4b449ULL, 0x9392ee8e921d5d07ULL, 0xec1e4a7db69561a5ULL,
	};
	/* bits of 10^j */
	static const unsigned char p10bits[] = {
		1, 4, 7, 10, 14, 17, 20, 24, 27, 30, 34, 37, 40, 44, 47, 50, 54, 57, 60, 64,
	};
	uint64_t P = p10[j], q, mant, rest, half, bits;
	int L = 64 - __builtin_clzll(m), sh = 63 - L + p10bits[j], drop, e;
	unsigned __int128 x;
	double v;

	if (j) {
		/* The quotient by multiplication: (m * recip) >> L is q or q - 1
		 * (recip is short of the true ratio by under 1, and m < 2^L).
		 * When the bits it drops are not within one of a half or of a
		 * carry into the mantissa, both give the same rounding. */
		uint64_t qa = (uint64_t)(((unsigned __int128)m * recip[j]) >> L), d;
		drop = qa >> 63 ? 11 : 10;
		half = 1ULL << (drop - 1);
		d = qa & (2 * half - 1);
		if (d + 2 <= half || (d > half && d + 2 <= 2 * half)) {
			mant = (qa >> drop) + (d > half);
			goto build;
		}
	}
	x = (unsigned __int128)m << sh;
#if defined(__x86_64__)
	{
		/* the quotient fits in 64 bits: one divq, not libgcc's general
		 * 128-bit division */
		uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x, r;
		__asm__("divq %[p]" : "=a"(q), "=d"(r) : "a"(lo), "d"(hi), [p] "rm"(P) : "cc");
		rest = r != 0;
	}
#else
	q = (uint64_t)(x / P);
	rest = (uint64_t)(x % P) != 0;
#endif
	drop = q >> 63 ? 11 : 10;
	mant = q >> drop;
	half = 1ULL << (drop - 1);
	rest |= (q & (half - 1)) != 0;
	if ((q & half) && (rest || (mant & 1)))
		mant++;
build:
	e = drop - sh; /* the value is mant * 2^e */
	if (mant >> 53) {
		mant >>= 1;
		e++;
	}
	bits = (uint64_t)(e + 52 + 1023) << 52 | (mant & ((1ULL << 52) - 1));
	memcpy(&v, &bits, sizeof v);
	return v;
}
#endif

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static const uint64_t pow10u[] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000 };

/* Eight bytes (the first in the low byte) that are all decimal digits
 * into their value, in *w; 0 when one is not a digit. */
static inline int eight_digits(uint64_t *w)
{
	uint64_t x = *w;

	if (((x & 0xF0F0F0F0F0F0F0F0ULL) |
	     (((x + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) >> 4)) != 0x3333333333333333ULL)
		return 0;
	x -= 0x3030303030303030ULL;
	x = x * 10 + (x >> 8); /* pairs */
	*w = ((x & 0x000000FF000000FFULL) * (100 + (1000000ULL << 32)) +
	      ((x >> 16) & 0x000000FF000000FFULL) * (1 + (10000ULL << 32))) >> 32;
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
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		/* eight significant digits at a time while they fit in m */
		while (m && nd + 8 <= 19 && e - p >= 8) {
			uint64_t w;
			memcpy(&w, p, 8);
			if (!eight_digits(&w))
				break;
			m = m * 100000000 + w;
			exp10 -= 8;
			nd += 8;
			p += 8;
			any = 1;
		}
		/* the last 1 to 7 digits of the field the same way: the eight
		 * bytes that end it, those before p made '0's */
		if (m && p < e && e - p < 8 && nd + (e - p) <= 19 && e - s >= 8) {
			int r = (int)(e - p);
			uint64_t w, low = ~0ULL >> (8 * r);
			memcpy(&w, e - 8, 8);
			w = (w & ~low) | (0x3030303030303030ULL & low);
			if (eight_digits(&w)) {
				m = m * pow10u[r] + w;
				exp10 -= r;
				nd += r;
				p = e;
			}
		}
#endif
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
#if defined(__SIZEOF_INT128__)
	if (any && p == e && nd <= 19 && exp10 >= -19 && exp10 <= 0 && m) {
		double v = div_pow10(m, -exp10);
		*out = neg ? -v : v;
		return 0;
	}
#endif
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

/* The search below works in y = a * 10^k, in [1e16, 1e17). A decimal
 * c * 10^(j - k) reads back as a when c * 10^j lies strictly inside
 * (lo, hi), the images of the midpoints between a and its neighbours
 * (a tie at a midpoint goes to the even mantissa). The midpoints have 54
 * bits, so lo and hi are a * 10^k with one rounding in 64 bits each (error
 * under 0.01 at this scale), and c * 10^j < 2^64 is exact: a candidate
 * further than MARGIN from both ends is decided by two comparisons; one
 * closer is checked exactly by x87_decimal. */
#define MARGIN 0.02L

typedef struct {
	long double y, lo, hi;
	int k;
	double a;
} fmt_ctx;

static long double scale(long double x, int k)
{
	return k < 0 ? x / p10l[-k] : x * p10l[k];
}

/* 1 reads back, 0 not, -1 undecided */
static int cand_ok(const fmt_ctx *f, uint64_t c, int j)
{
	long double x = (long double)c * p10l[j];

	if (x - f->lo > MARGIN && f->hi - x > MARGIN)
		return 1;
	if (x - f->lo < -MARGIN || f->hi - x < -MARGIN)
		return 0;
	return reads_back(c, j - f->k, f->a);
}

/* One candidate length: the integers around z = y / 10^(17 - p), the
 * nearer first (so that of two texts of one length the correctly rounded
 * one is printed, as printf would; near a half this gives up). 1 and
 * *m, *e10 set: one of them reads back as a; 0: neither; -1: undecided. */
static int try_digits(uint64_t *m, int *e10, const fmt_ctx *f, int p)
{
	static const long double inv10[] = {
		1e0L, 1e-1L, 1e-2L, 1e-3L, 1e-4L, 1e-5L, 1e-6L, 1e-7L, 1e-8L, 1e-9L, 1e-10L, 1e-11L,
		1e-12L, 1e-13L, 1e-14L, 1e-15L, 1e-16L,
	};
	int j = 17 - p, r;
	long double z = f->y * inv10[j], fr; /* near enough: both neighbours are tried */
	uint64_t fl = (uint64_t)z, c[2];

	fr = z - (long double)fl;
	if (fr > 0.499L && fr < 0.501L)
		return -1; /* which is nearer is for printf to say */
	if (fr < 0.5L)
		c[0] = fl, c[1] = fl + 1;
	else
		c[0] = fl + 1, c[1] = fl;
	for (int i = 0; i < 2; i++) {
		if (!c[i])
			continue;
		if ((r = cand_ok(f, c[i], j)) < 0)
			return -1;
		if (r) {
			*m = c[i];
			*e10 = j - f->k;
			return 1;
		}
	}
	return 0;
}

/* The shortest decimal m * 10^e10 that reads back as a (finite, > 0):
 * for p significant digits the candidates are the two integers around
 * y / 10^(17 - p). If some p-digit decimal reads back, so does one of
 * p + 1 digits, so p is found by bisection, tried first at 15 (data with
 * 16 or 17 digits is then two or three tries). Returns p, or 0 when this
 * cannot decide (the caller falls back to printf and strtod). */
static int shortest(uint64_t *mout, int *eout, double a)
{
	int e2, x, lo, hi, best = 0, r;
	uint64_t m;
	int e10;
	fmt_ctx f;

	if (!(a > 1e-280 && a < 1e280))
		return 0;
	frexp(a, &e2);
	x = (int)floor((e2 - 1) * 0.30102999566398120); /* log10(a), or one less */
	f.a = a;
	f.k = 16 - x;
	if (f.k < -27 || f.k > 27)
		return 0;
	f.y = scale(a, f.k);
	if (f.y >= 1e17L) {
		if (--f.k < -27)
			return 0;
		f.y = scale(a, f.k);
	}
	if (f.y < 1e16L || f.y >= 1e17L)
		return 0;
	/* the midpoints to the neighbours (a power of two has a nearer one below) */
	f.lo = scale(((long double)a + nextafter(a, 0)) / 2, f.k);
	f.hi = scale(((long double)a + nextafter(a, 2 * a)) / 2, f.k);
	if ((r = try_digits(&m, &e10, &f, 15)) < 0)
		return 0;
	if (r) {
		best = 15, *mout = m, *eout = e10;
		lo = 1, hi = 14;
	} else {
		lo = 16, hi = 17;
	}
	while (lo <= hi) {
		int p = lo == 16 ? 16 : (lo + hi) / 2;
		if ((r = try_digits(&m, &e10, &f, p)) < 0)
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

#if defined(__SIZEOF_INT128__)
/* The same shortest decimal, decided exactly in 128-bit integers, for
 * 1e-5 <= a < 1e17 (nearly all data). a = m2 * 2^-s with m2 < 2^53; for
 * 0 <= k <= 21, y = a * 10^k = N / 2^s with N = m2 * 10^k < 2^123 exact.
 * In units of 2^-(s+2), y is 4N and the midpoints to the neighbours are
 * 4N + 2 * 10^k above and 4N - 2 * 10^k (10^k at a power of two) below:
 * a candidate C * 10^(-k) reads back as a when 4C * 2^s lies strictly
 * between them, or on one with m2 even: see exact_try. Returns
 * the digits (15 stands for 15 or fewer) with *mout, *eout set; 0: not decided here (an exact
 * tie between two candidates, or a outside the range). */
typedef unsigned __int128 u128;

static const uint64_t p10u[] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
	100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
	10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL, 10000000000000000000ULL,
};

/* The multiples of 10^j (j <= 2) around y = q + R / 2^S, the nearer
 * first: 1 and *m the one that reads back divided by 10^j, 0 none, -1 a
 * tie between them (as printf would round it is for printf to say). */
static int exact_try(uint64_t *m, uint64_t q, u128 R, int S, u128 wh, u128 wl, int even, int j)
{
	uint64_t t = j == 2 ? 100 : j == 1 ? 10 : 1, cl = (j == 2 ? q / 100 : j == 1 ? q / 10 : q) * t, c[2];
	/* 2 * (y - cl) against t, in units of 2^-S */
	u128 twice = ((u128)(q - cl) << (S + 1)) + (R << 1), tt = (u128)t << S;

	if (twice == tt)
		return -1;
	c[0] = twice < tt ? cl : cl + t;
	c[1] = twice < tt ? cl + t : cl;
	for (int i = 0; i < 2; i++) {
		int64_t D = (int64_t)(c[i] - q);
		u128 diff;
		int hit;
		if (D > 16 || D < -16 || !c[i])
			continue;
		if (D >= 1) {
			diff = ((u128)D << S) - R;
			hit = diff < wh || (diff == wh && even);
		} else {
			diff = ((u128)(-D) << S) + R; /* y - C */
			hit = diff < wl || (diff == wl && even);
		}
		if (hit) {
			*m = c[i] / t;
			return 1;
		}
	}
	return 0;
}

static int shortest_exact(uint64_t *mout, int *eout, double a)
{
	uint64_t bits, m2, q;
	int be, s, k, S, x;
	u128 N, R, mask, wh, wl, pk = 0;

	if (!(a >= 1e-5 && a < 1e17))
		return 0;
	memcpy(&bits, &a, sizeof bits);
	be = (int)(bits >> 52 & 0x7ff);
	m2 = (bits & ((1ULL << 52) - 1)) | 1ULL << 52;
	s = 1075 - be; /* a = m2 * 2^-s */
	if (s < 0)
		return 0;
	x = (int)floor((be - 1023) * 0.30102999566398120); /* log10(a), or one less */
	k = 16 - x;
	for (int tries = 0;; tries++) {
		if (k < 0 || k > 21 || tries > 2)
			return 0;
		pk = k <= 19 ? (u128)p10u[k] : (u128)p10u[k - 19] * p10u[19];
		N = m2 * pk;
		q = (uint64_t)(N >> s);
		if (q >= 100000000000000000ULL)
			k--;
		else if (q < 10000000000000000ULL)
			k++;
		else
			break;
	}
	S = s + 2;
	mask = ((u128)1 << S) - 1;
	R = (N << 2) & mask;  /* y = q + R / 2^S */
	wh = 2 * pk;
	wl = (m2 == 1ULL << 52 && be > 1) ? pk : wh;
	int even = !(m2 & 1);
	/* If a decimal of 15 or fewer digits reads back, it is the only
	 * 15-digit one that does (the interval is narrower than their
	 * spacing): that candidate with its zeros stripped (the caller strips
	 * them). 16 digits are tried first: if none reads back, 17 do; if one
	 * does, 15 are tried. Two tries at most. */
	uint64_t mj[3];
	int r1 = exact_try(&mj[1], q, R, S, wh, wl, even, 1), r;
	if (r1 < 0)
		return 0;
	if (!r1) {
		if ((r = exact_try(&mj[0], q, R, S, wh, wl, even, 0)) <= 0)
			return 0;
		*mout = mj[0], *eout = -k;
		return 17;
	}
	if ((r = exact_try(&mj[2], q, R, S, wh, wl, even, 2)) < 0)
		return 0;
	if (r) {
		*mout = mj[2], *eout = 2 - k;
		return 15;
	}
	*mout = mj[1], *eout = 1 - k;
	return 16;
}
#endif

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static char *put_uint(char *d, uint64_t m)
{
	char t[24], *e = t + sizeof t, *p = e;
	size_t n;

	while (m >= 100) {
		unsigned r = (unsigned)(m % 100);
		m /= 100;
		p -= 2;
		memcpy(p, digit_pairs + 2 * r, 2);
	}
	if (m >= 10) {
		p -= 2;
		memcpy(p, digit_pairs + 2 * m, 2);
	} else {
		*--p = (char)('0' + m);
	}
	n = (size_t)(e - p);
	memcpy(d, p, n);
	return d + n;
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
		int e10, p;
#if defined(__SIZEOF_INT128__)
		p = shortest_exact(&m, &e10, fabs(v));
		if (!p)
#endif
			p = shortest(&m, &e10, fabs(v));
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

void tsd_csv_line_scan(tsd_csvline *l, const char *s, const char *e, int delim)
{
	const char *p = s;
	size_t nd = 0;
	unsigned q = 0;

#ifdef LINE_SSE2
	const __m128i vn = _mm_set1_epi8('\n'), vd = _mm_set1_epi8((char)delim), vq = _mm_set1_epi8('"');
	for (;; p += 16) {
		unsigned valid = 0xffff, mn, md, mq;
		__m128i x;
		if (e - p >= 16) {
			x = _mm_loadu_si128((const __m128i *)(const void *)p);
		} else if (p < e) {
			/* the last bytes, copied: no load past e */
			char t[16] = { 0 };
			memcpy(t, p, (size_t)(e - p));
			x = _mm_loadu_si128((const __m128i *)(const void *)t);
			valid = (1u << (e - p)) - 1;
		} else {
			break;
		}
		mn = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vn)) & valid;
		md = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd)) & valid;
		mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vq)) & valid;
		if (mn) {
			/* only what comes before the line end */
			md &= (mn & -mn) - 1;
			mq &= (mn & -mn) - 1;
		}
		q |= mq;
		for (; md; md &= md - 1, nd++)
			if (nd < 3)
				l->delim[nd] = p + __builtin_ctz(md);
		if (mn) {
			p += __builtin_ctz(mn);
			break;
		}
	}
	if (p > e)
		p = e;
#else
	for (; p < e && *p != '\n'; p++) {
		if (*p == delim) {
			if (nd < 3)
				l->delim[nd] = p;
			nd++;
		} else if (*p == '"') {
			q = 1;
		}
	}
#endif
	l->end = p;
	l->ndelim = nd;
	l->quoted = q != 0;
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
	/* every field's bytes and its NUL fit in twice the line; 8 more for
	 * the word-wide copy below, which may write up to 7 bytes past a field */
	need = 2 * (size_t)(e - s) + 2 + 8;
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
			/* fields are short: one pass that copies and looks for
			 * the delimiter and a stray quote beats three library calls */
			const char *b = a;
			char *d0 = d;
			int quote = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* eight bytes at a time: the lowest byte flagged by
			 * (x - 1) & ~x & 0x80.. is exactly the first zero byte
			 * of x (the ones above it may be false alarms) */
			const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
			const uint64_t dd = ones * (unsigned char)delim, qq = ones * (unsigned char)'"';
			while (e - b >= 8) {
				uint64_t w, xd, xq, hd, hq;
				memcpy(&w, b, 8);
				memcpy(d, &w, 8); /* the buffer has room: see need */
				xd = w ^ dd, xq = w ^ qq;
				hd = (xd - ones) & ~xd & highs;
				hq = (xq - ones) & ~xq & highs;
				if (hd) {
					int k = __builtin_ctzll(hd);
					if (hq && __builtin_ctzll(hq) < k)
						quote = 1;
					b += k / 8;
					d += k / 8;
					goto field_end;
				}
				quote |= hq != 0;
				b += 8;
				d += 8;
			}
#endif
			while (b < e && *b != delim) {
				quote |= *b == '"';
				*d++ = *b++;
			}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
field_end:
#endif
			p = b;
			if (trim)
				while (d > d0 && is_blank(d[-1], tab))
					d--;
			if (quote) {
				row->why = "quote inside an unquoted field";
				return TSD_EFORMAT;
			}
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

/* ---------------------------------------------------------------- lines */

static char *put_int(char *d, int64_t x)
{
	if (x < 0) {
		*d++ = '-';
		return put_uint(d, (uint64_t)0 - (uint64_t)x);
	}
	return put_uint(d, (uint64_t)x);
}

/* A time as tsd_time_format writes it. A whole second in the plain ISO
 * style (no zone, no fraction) of the same minute as the last such time
 * written by this thread is that minute's 17 bytes and two digits. */
static int put_time(char *d, int64_t t, const tsd_tstyle *st)
{
	static __thread int64_t c_min = -1;
	static __thread uint8_t c_sep;
	static __thread char c_pre[17];
	int plain = (st->kind == TSD_T_AUTO || st->kind == TSD_T_ISO) && !st->frac && !st->zone && !st->tzmin &&
		    t >= 0 && t % 1000000000 == 0;
	int64_t sec = t / 1000000000, n;

	if (plain && sec / 60 == c_min && st->sep == c_sep) {
		unsigned ss = (unsigned)(sec % 60);
		memcpy(d, c_pre, 17);
		memcpy(d + 17, digit_pairs + 2 * ss, 2);
		d[19] = 0;
		return 19;
	}
	n = tsd_time_format(d, t, st);
	if (plain && n == 19) {
		memcpy(c_pre, d, 17);
		c_min = sec / 60;
		c_sep = st->sep;
	}
	return (int)n;
}

static char *put_name(char *d, const tsd_csvenc *e, const char *name, size_t nl)
{
	d += tsd_csv_field(d, name, nl, e->delim);
	*d++ = (char)e->delim;
	return d;
}

size_t tsd_csv_sample_line(char *d0, const tsd_csvenc *e, const char *name, size_t nl, int64_t t, double v)
{
	char *d = d0;

	if (name)
		d = put_name(d, e, name, nl);
	d += put_time(d, t, e->tstyle);
	*d++ = (char)e->delim;
	if (!isnan(v)) /* a gap marker has an empty value */
		d += tsd_format_double(d, v, e->precision);
	*d++ = '\n';
	return (size_t)(d - d0);
}

/* series,window,kind, */
static char *row_start(char *d, const tsd_csvenc *e, const char *name, size_t nl, int64_t window)
{
	d = put_name(d, e, name, nl);
	d = put_int(d, window);
	*d++ = (char)e->delim;
	return d;
}

size_t tsd_csv_window_line(char *d0, const tsd_csvenc *e, const char *name, size_t nl, const tsd_window *w)
{
	char *d = row_start(d0, e, name, nl, w->window);
	size_t k;

	*d++ = 'W';
	if (w->flags & TSD_WIN_IRREGULAR)
		*d++ = 'I';
	if (w->flags & TSD_WIN_SELECTED)
		*d++ = 'S';
	if (w->flags & TSD_WIN_GAP)
		*d++ = 'G';
	*d++ = (char)e->delim;
	d = put_uint(d, w->levels);
	*d++ = (char)e->delim;
	d = put_uint(d, w->n);
	*d++ = (char)e->delim;
	d += put_time(d, w->t_first, e->tstyle);
	*d++ = (char)e->delim;
	d += put_time(d, w->t_last, e->tstyle);
	*d++ = (char)e->delim;
	k = strnlen(w->wavelet, TSD_WAVELET_NAME);
	memcpy(d, w->wavelet, k);
	d += k;
	*d++ = (char)e->delim;
	k = strnlen(w->mode, TSD_MODE_NAME);
	memcpy(d, w->mode, k);
	d += k;
	*d++ = '\n';
	return (size_t)(d - d0);
}

size_t tsd_csv_times_line(char *d0, const tsd_csvenc *e, const char *name, size_t nl, const tsd_times *ts, uint32_t i)
{
	char *d = row_start(d0, e, name, nl, ts->window);

	*d++ = 'T';
	*d++ = (char)e->delim;
	*d++ = (char)e->delim;
	d = put_uint(d, i);
	*d++ = (char)e->delim;
	d += put_time(d, ts->t[i], e->tstyle);
	for (int k = 0; k < 3; k++)
		*d++ = (char)e->delim;
	*d++ = '\n';
	return (size_t)(d - d0);
}

size_t tsd_csv_coef_line(char *d0, const tsd_csvenc *e, const char *name, size_t nl, const tsd_coefs *c,
			 uint32_t i, const tsd_coef_place *pl)
{
	char *d = row_start(d0, e, name, nl, c->window);
	int64_t t0, t1;
	uint32_t k = c->start + i;

	tsd_coef_place_span(&t0, &t1, pl, c->level, k);
	*d++ = c->kind == TSD_COEF_A ? 'A' : 'D';
	*d++ = (char)e->delim;
	d = put_uint(d, c->level);
	*d++ = (char)e->delim;
	d = put_uint(d, k);
	*d++ = (char)e->delim;
	d += put_time(d, t0, e->tstyle);
	*d++ = (char)e->delim;
	d += put_time(d, t1, e->tstyle);
	*d++ = (char)e->delim;
	d += tsd_format_double(d, c->v[i], e->precision);
	*d++ = (char)e->delim;
	if (c->score)
		d += tsd_format_double(d, c->score[i], 0);
	*d++ = '\n';
	return (size_t)(d - d0);
}

size_t tsd_csv_end_line(char *d0, const tsd_csvenc *e, const char *name, size_t nl, const tsd_end *end)
{
	char *d = row_start(d0, e, name, nl, end->window);

	*d++ = 'E';
	for (int k = 0; k < 5; k++)
		*d++ = (char)e->delim;
	if (end->has_range)
		d += tsd_format_double(d, end->lo, 0);
	*d++ = (char)e->delim;
	if (end->has_range)
		d += tsd_format_double(d, end->hi, 0);
	*d++ = '\n';
	return (size_t)(d - d0);
}
