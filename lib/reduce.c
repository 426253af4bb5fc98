/* reduce.c: the reduced series of a window (the rule is in reduce.h). */
#include "reduce.h"
#include "tsd.h"

#include <math.h>

size_t tsd_reduce_coarse(size_t n, unsigned J)
{
	size_t B;

	if (J >= sizeof(size_t) * 8 - 1)
		return n ? 1 : 0;
	B = (size_t)1 << J;
	return n / B + (n % B != 0);
}

size_t tsd_reduce_len(size_t n, unsigned J, size_t kept)
{
	size_t c = tsd_reduce_coarse(n, J);

	return kept >= n - c ? n : c + kept;
}

/* The value at sample i of the line through the marked samples; flat
 * past the first and last. l and r are the marked neighbours (l < i < r),
 * SIZE_MAX when there is none on that side. */
static double line_at(const double *y, size_t l, size_t r, size_t i)
{
	if (l == SIZE_MAX)
		return r == SIZE_MAX ? 0 : y[r];
	if (r == SIZE_MAX)
		return y[l];
	return y[l] + (y[r] - y[l]) * (double)(i - l) / (double)(r - l);
}

static size_t next_mark(const unsigned char *mark, size_t n, size_t i)
{
	for (; i < n; i++)
		if (mark[i])
			return i;
	return SIZE_MAX;
}

/* The unmarked sample of [a, b] farthest from the line (of ties, the one
 * nearest the middle of [a, b]), or SIZE_MAX when all are marked. */
static size_t farthest(const double *y, const unsigned char *mark, size_t n, size_t a, size_t b)
{
	size_t l = SIZE_MAX, r, i, best = SIZE_MAX;
	double bdev = -1, bdist = 0, mid = ((double)a + (double)b) / 2;

	for (i = a; i-- > 0;)
		if (mark[i]) {
			l = i;
			break;
		}
	r = next_mark(mark, n, a);
	for (i = a; i <= b; i++) {
		if (mark[i]) {
			l = i;
			r = next_mark(mark, n, i + 1);
			continue;
		}
		double dev = fabs(y[i] - line_at(y, l, r, i));
		double dist = fabs((double)i - mid);
		if (dev > bdev || (dev == bdev && dist < bdist))
			best = i, bdev = dev, bdist = dist;
	}
	return best;
}

/* The unmarked sample nearest [a, b] outside it (left first on ties). */
static size_t nearest_free(const unsigned char *mark, size_t n, size_t a, size_t b)
{
	size_t d;

	for (d = 1; d <= n; d++) {
		int any = 0;
		if (a >= d) {
			any = 1;
			if (!mark[a - d])
				return a - d;
		}
		if (b + d < n) {
			any = 1;
			if (!mark[b + d])
				return b + d;
		}
		if (!any)
			break;
	}
	return SIZE_MAX;
}

int tsd_reduce(size_t *idx, unsigned char *mark, const double *y, size_t n,
	       const unsigned char *keep, const size_t *lens, unsigned J,
	       const tsd_wavelet *w, enum tsd_mode mode)
{
	size_t nb, B, b, i, got, off;
	unsigned band;

	if (!idx || !mark || !y || !n || (J && (!keep || !lens || !w)))
		return TSD_EINVAL;
	for (i = 0; i < n; i++)
		mark[i] = 0;
	nb = tsd_reduce_coarse(n, J);
	B = J >= sizeof(size_t) * 8 - 1 ? n : (size_t)1 << J;
	for (b = 0; b < nb; b++) {
		size_t s = b * B, e = s + B < n ? s + B - 1 : n - 1;
		mark[s + (e - s) / 2] = 1;
	}
	got = nb;
	off = J ? lens[0] : 0;
	for (band = 1; band <= J && got < n; band++) {
		unsigned level = J + 1 - band;
		for (size_t k = 0; k < lens[band] && got < n; k++) {
			size_t i0, i1, p;
			int rc;
			if (!keep[off + k])
				continue;
			if ((rc = tsd_dwt_support(&i0, &i1, n, level, k, w, mode)) < 0)
				return rc;
			p = farthest(y, mark, n, i0, i1);
			if (p == SIZE_MAX)
				p = nearest_free(mark, n, i0, i1);
			if (p == SIZE_MAX)
				break;
			mark[p] = 1;
			got++;
		}
		off += lens[band];
	}
	for (i = 0, b = 0; i < n; i++)
		if (mark[i])
			idx[b++] = i;
	return (int)b;
}
