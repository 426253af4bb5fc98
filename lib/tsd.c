/* tsd.c: error names and strict number parsing. */
#include "tsd.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *tsd_strerror(int err)
{
	switch (err) {
	case TSD_OK: return "success";
	case TSD_ENOMEM: return "out of memory";
	case TSD_EINVAL: return "invalid argument";
	case TSD_EIO: return "i/o error";
	case TSD_EFORMAT: return "malformed input";
	case TSD_ERANGE: return "value out of range";
	case TSD_ETRUNC: return "truncated input";
	case TSD_EVERSION: return "unsupported format version";
	case TSD_EORDER: return "records out of order";
	case TSD_ESIZE: return "size mismatch";
	case TSD_EUNSUP: return "unsupported";
	case TSD_ENOTFOUND: return "not found";
	case TSD_ELIMIT: return "limit reached";
	}
	return "unknown error";
}

int tsd_parse_double(double *out, const char *s)
{
	char *end;
	double v;

	if (!s || !*s)
		return TSD_EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end)
		return TSD_EINVAL;
	if (errno == ERANGE && isinf(v))
		return TSD_ERANGE;
	*out = v;
	return 0;
}

int tsd_parse_long(long *out, const char *s, long min, long max)
{
	char *end;
	long v;

	if (!s || !*s)
		return TSD_EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end)
		return TSD_EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return TSD_ERANGE;
	*out = v;
	return 0;
}

int tsd_parse_duration(int64_t *ns, const char *s)
{
	static const struct { const char *sfx; double mul; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
		{ "m", 60e9 }, { "min", 60e9 }, { "h", 3600e9 }, { "d", 86400e9 },
		{ "w", 604800e9 }, { "", 1e9 },
	};
	char *end;
	double v;
	size_t i;

	if (!s || !*s)
		return TSD_EINVAL;
	/* digits, an optional fraction, a unit: no sign, exponent or hex */
	i = strspn(s, "0123456789");
	if (i == 0)
		return TSD_EINVAL;
	if (s[i] == '.') {
		size_t f = strspn(s + i + 1, "0123456789");
		if (f == 0)
			return TSD_EINVAL;
		i += 1 + f;
	}
	if (strspn(s + i, "abcdefghijklmnopqrstuvwxyz") != strlen(s + i))
		return TSD_EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
		return TSD_EINVAL;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].sfx) == 0) {
			double x = v * units[i].mul;
			if (x > 9.2e18)
				return TSD_ERANGE;
			*ns = (int64_t)llround(x);
			return 0;
		}
	}
	return TSD_EINVAL;
}

int tsd_grow(void *arr, size_t *cap, size_t need, size_t elem)
{
	void **a = arr;
	size_t nc = *cap ? *cap : 16, bytes;
	char *q;

	if (need <= *cap)
		return 0;
	while (nc < need) {
		if (nc > SIZE_MAX / 2)
			return TSD_ERANGE;
		nc *= 2;
	}
	if (tsd_mul_size(&bytes, nc, elem) < 0)
		return TSD_ERANGE;
	if (!(q = realloc(*a, bytes)))
		return TSD_ENOMEM;
	memset(q + *cap * elem, 0, (nc - *cap) * elem);
	*a = q;
	*cap = nc;
	return 0;
}

typedef uint64_t v4u __attribute__((vector_size(32)));

TSD_HOT int tsd_all_finite(const double *v, size_t n)
{
	/* an exponent field of 0x7ff, plus one, carries into the sign bit */
	const uint64_t E = 0x7ff0000000000000u, ONE = 0x0010000000000000u;
	v4u a0 = { 0, 0, 0, 0 }, a1 = a0, b0, b1;
	uint64_t any = 0, b;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&b0, v + i, sizeof b0);
		memcpy(&b1, v + i + 4, sizeof b1);
		a0 |= (b0 & E) + ONE;
		a1 |= (b1 & E) + ONE;
	}
	for (; i < n; i++) {
		memcpy(&b, &v[i], sizeof b);
		any |= (b & E) + ONE;
	}
	a0 |= a1;
	any |= a0[0] | a0[1] | a0[2] | a0[3];
	return !(any >> 63);
}

typedef double v4d __attribute__((vector_size(32)));
typedef long long v4l __attribute__((vector_size(32)));

TSD_HOT size_t tsd_first_nan(const double *v, size_t n)
{
	size_t i = 0;

	for (; i + 4 <= n; i += 4) {
		v4d x;
		memcpy(&x, v + i, sizeof x);
		v4l nan = x != x;
		if (nan[0] | nan[1] | nan[2] | nan[3])
			break;
	}
	while (i < n && v[i] == v[i])
		i++;
	return i;
}
