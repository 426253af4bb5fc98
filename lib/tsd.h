/* tsd.h: what every tsdown module shares: version, error codes, helpers.
 *
 * The library never prints and never exits. Functions return 0 (or a
 * non-negative count) on success and one of the negative TSD_E* codes on
 * failure; tsd_strerror() names a code. Where context helps, a function
 * takes an errbuf/errlen pair and writes a one-line message into it.
 */
#ifndef TSD_H
#define TSD_H

#include <stddef.h>
#include <stdint.h>

#define TSD_VERSION "0.1.0"

/* Hot loops built twice on x86-64 Linux with GCC: one copy for AVX2
 * machines (x86-64-v3), one for the rest, picked at load time (glibc's
 * ifunc). The build stays portable. make check defines TSD_NO_CLONES, so
 * the sanitizers run the portable copy, the one make test does not reach
 * on an AVX2 machine. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
	defined(__linux__) && !defined(TSD_NO_CLONES)
#define TSD_CLONES 1
#define TSD_HOT __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define TSD_HOT
#endif

enum {
	TSD_OK = 0,
	TSD_ENOMEM = -1,   /* out of memory */
	TSD_EINVAL = -2,   /* invalid argument or option value */
	TSD_EIO = -3,      /* read or write error (errno is set) */
	TSD_EFORMAT = -4,  /* malformed input */
	TSD_ERANGE = -5,   /* value out of range */
	TSD_ETRUNC = -6,   /* input ends inside a record or frame */
	TSD_EVERSION = -7, /* unsupported format version */
	TSD_EORDER = -8,   /* records out of order */
	TSD_ESIZE = -9,    /* buffer too small or sizes do not match */
	TSD_EUNSUP = -10,  /* unsupported operation or kind */
	TSD_ENOTFOUND = -11, /* no such name */
	TSD_ELIMIT = -12,  /* a configured limit reached */
};

const char *tsd_strerror(int err);

/* Parse a whole string as a number; fail on trailing garbage. */
int tsd_parse_double(double *out, const char *s);
int tsd_parse_long(long *out, const char *s, long min, long max);
/* Parse a duration such as "300", "5m", "1.5h", "250ms", "2d" into ns.
 * A bare number is seconds. */
int tsd_parse_duration(int64_t *ns, const char *s);

/* Checked size arithmetic: return TSD_ERANGE on overflow. */
static inline int tsd_mul_size(size_t *out, size_t a, size_t b)
{
	if (b && a > SIZE_MAX / b)
		return TSD_ERANGE;
	*out = a * b;
	return 0;
}

/* Make the array *arr, of *cap elements of elem bytes, hold at least need
 * elements: the capacity doubles from 16 (so appends cost amortised O(1))
 * and the new elements are zero-filled. On failure (TSD_ENOMEM, or
 * TSD_ERANGE when the size overflows) the array is left as it was. One
 * home for the per-series arrays every module keeps by series id. */
int tsd_grow(void *arr, size_t *cap, size_t need, size_t elem);

/* 1 when every v[0..n) is finite (no NaN, no infinity), else 0: the
 * exponent fields tested without a branch, at memory speed. One home for
 * the check every reader and writer makes on every value. */
int tsd_all_finite(const double *v, size_t n);

/* The index of the first NaN in v[0..n), or n when there is none: four
 * values a step. (A NaN sample value is a gap marker in a run.) */
size_t tsd_first_nan(const double *v, size_t n);

#endif
