/* metrics.c: fidelity of a reduced series to its original: interpolation,
 * compression ratios, (normalised) RMSE, largest error, errors inside event
 * windows, peak retention, and merging of per-series figures. */
#include "metrics.h"
#include "select.h"
#include "tsd.h"

#include <math.h>
#include <string.h>

/* b - a as a double, exact whenever the int64 difference does not
 * overflow (any two times less than 292 years apart). */
static double tdiff(int64_t b, int64_t a)
{
	int64_t d;

	if (__builtin_sub_overflow(b, a, &d))
		return (double)b - (double)a;
	return (double)d;
}

/* Value of the reduced series at t, given j: the last index with
 * tr[j] <= t, or j = 0 with t < tr[0]. */
static double interp_seg(const int64_t *tr, const double *vr, size_t m,
			 size_t j, int64_t t)
{
	double f;

	if (t <= tr[j] || j + 1 == m)
		return vr[j];   /* exact hit, before the first, after the last */
	/* tr[j] < t < tr[j + 1] */
	f = tdiff(t, tr[j]) / tdiff(tr[j + 1], tr[j]);
	return vr[j] + f * (vr[j + 1] - vr[j]);
}

/* Random access: the same value the merge walk gives, O(log m). */
static double interp_at(const int64_t *tr, const double *vr, size_t m, int64_t t)
{
	size_t lo = 0, hi = m;   /* first index with tr[] > t lies in [lo, hi] */

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tr[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return interp_seg(tr, vr, m, lo ? lo - 1 : 0, t);
}

static int check_series(const int64_t *t, const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v && !isfinite(v[i]))
			return TSD_EINVAL;
		if (i && t[i] < t[i - 1])
			return TSD_EORDER;
	}
	return 0;
}

int tsd_metrics_interp(double *out, const int64_t *t, size_t n,
		       const int64_t *tr, const double *vr, size_t m)
{
	size_t i, j = 0;
	int err;

	if (!m || (n && (!out || !t)) || !tr || !vr)
		return TSD_EINVAL;
	if ((err = check_series(tr, NULL, m)) < 0)
		return err;
	for (i = 0; i < n; i++) {
		if (i && t[i] < t[i - 1])
			return TSD_EORDER;
		while (j + 1 < m && tr[j + 1] <= t[i])
			j++;
		out[i] = interp_seg(tr, vr, m, j, t[i]);
	}
	return 0;
}

void tsd_metrics_init(struct tsd_metrics *mt)
{
	memset(mt, 0, sizeof *mt);
	mt->vmin = INFINITY;
	mt->vmax = -INFINITY;
}

static double safe_ratio(double a, double b)
{
	return b > 0 ? a / b : 0;
}

static void derive(struct tsd_metrics *mt)
{
	mt->range = mt->n ? mt->vmax - mt->vmin : 0;
	mt->ratio_points = safe_ratio((double)mt->n, (double)mt->m);
	mt->ratio_bytes = mt->bytes_orig && mt->bytes_red ?
		(double)mt->bytes_orig / (double)mt->bytes_red : 0;
	mt->rmse = sqrt(safe_ratio(mt->sumsq, (double)mt->n));
	mt->nrmse = sqrt(safe_ratio(mt->sumsq_norm, (double)mt->n));
	mt->win_rmse = sqrt(safe_ratio(mt->win_sumsq, (double)mt->win_n));
	mt->win_nrmse = sqrt(safe_ratio(mt->win_sumsq_norm, (double)mt->win_n));
	mt->noise = sqrt(safe_ratio(mt->noise_sumsq_norm, (double)mt->n));
}

static int in_windows(int64_t t, const struct tsd_window *w, size_t nw)
{
	size_t k;

	for (k = 0; k < nw; k++)
		if (t >= w[k].start && t <= w[k].end)
			return 1;
	return 0;
}

/* First index with t[i] >= x. */
static size_t lower_bound(const int64_t *t, size_t n, int64_t x)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Is the value x, which the original takes at one or more samples in
 * [lo, hi), reproduced within tol at any of them? */
static int kept(const int64_t *t, const double *v, size_t lo, size_t hi,
		const int64_t *tr, const double *vr, size_t m, double x, double tol)
{
	size_t i;

	for (i = lo; i < hi; i++)
		if (v[i] == x && fabs(interp_at(tr, vr, m, t[i]) - x) <= tol)
			return 1;
	return 0;
}

static void peaks(struct tsd_metrics *mt, const int64_t *t, const double *v,
		  size_t n, const int64_t *tr, const double *vr, size_t m,
		  const struct tsd_window *w, size_t nw, double tol)
{
	size_t k, i, lo;
	double vmax, vmin;

	for (k = 0; k < nw; k++) {
		mt->windows++;
		lo = i = lower_bound(t, n, w[k].start);
		if (i == n || t[i] > w[k].end) {
			mt->windows_empty++;
			continue;
		}
		vmax = vmin = v[i];
		for (; i < n && t[i] <= w[k].end; i++) {
			if (v[i] > vmax)
				vmax = v[i];
			if (v[i] < vmin)
				vmin = v[i];
		}
		mt->peaks_total += 2;
		mt->peaks_kept += kept(t, v, lo, i, tr, vr, m, vmax, tol);
		mt->peaks_kept += kept(t, v, lo, i, tr, vr, m, vmin, tol);
	}
}

int tsd_metrics_series(struct tsd_metrics *out,
		       const int64_t *t, const double *v, size_t n,
		       const int64_t *tr, const double *vr, size_t m,
		       const struct tsd_window *w, size_t nw,
		       const struct tsd_metrics_opts *opt)
{
	static const struct tsd_metrics_opts defaults;
	struct tsd_metrics mt;
	double norm, tol;
	size_t i, j = 0, k;
	int err;

	if (!out || !n || !m || !t || !v || !tr || !vr || (nw && !w))
		return TSD_EINVAL;
	if (!opt)
		opt = &defaults;
	if (!(opt->peak_tol >= 0))
		return TSD_EINVAL;
	if ((err = check_series(t, v, n)) < 0 || (err = check_series(tr, vr, m)) < 0)
		return err;
	for (k = 0; k < nw; k++)
		if (w[k].end < w[k].start)
			return TSD_EINVAL;

	tsd_metrics_init(&mt);
	mt.series = 1;
	mt.n = n;
	mt.m = m;
	mt.bytes_orig = opt->bytes_orig;
	mt.bytes_red = opt->bytes_red;
	for (i = 0; i < n; i++) {
		if (v[i] < mt.vmin)
			mt.vmin = v[i];
		if (v[i] > mt.vmax)
			mt.vmax = v[i];
	}
	norm = mt.vmax - mt.vmin;
	if (norm == 0) {
		norm = 1;
		mt.flat = 1;
	}
	for (i = 0; i < n; i++) {
		double e, a;

		while (j + 1 < m && tr[j + 1] <= t[i])
			j++;
		e = interp_seg(tr, vr, m, j, t[i]) - v[i];
		a = fabs(e);
		mt.sumsq += e * e;
		mt.sumsq_norm += (e / norm) * (e / norm);
		if (a > mt.maxabs || i == 0) {
			mt.maxabs = a;
			mt.maxabs_idx = i;
			mt.maxabs_t = t[i];
		}
		if (nw && in_windows(t[i], w, nw)) {
			mt.win_sumsq += e * e;
			mt.win_sumsq_norm += (e / norm) * (e / norm);
			if (a > mt.win_maxabs || mt.win_n == 0) {
				mt.win_maxabs = a;
				mt.win_maxabs_idx = i;
				mt.win_maxabs_t = t[i];
			}
			mt.win_n++;
		}
	}
	tol = opt->peak_tol_rel ? opt->peak_tol * norm : opt->peak_tol;
	peaks(&mt, t, v, n, tr, vr, m, w, nw, tol);
	derive(&mt);
	*out = mt;
	return 0;
}

void tsd_metrics_merge(struct tsd_metrics *acc, const struct tsd_metrics *b)
{
	if (b->n && (b->maxabs > acc->maxabs || acc->n == 0)) {
		acc->maxabs = b->maxabs;
		acc->maxabs_series = acc->series + b->maxabs_series;
		acc->maxabs_idx = b->maxabs_idx;
		acc->maxabs_t = b->maxabs_t;
	}
	if (b->win_n && (b->win_maxabs > acc->win_maxabs || acc->win_n == 0)) {
		acc->win_maxabs = b->win_maxabs;
		acc->win_maxabs_series = acc->series + b->win_maxabs_series;
		acc->win_maxabs_idx = b->win_maxabs_idx;
		acc->win_maxabs_t = b->win_maxabs_t;
	}
	acc->series += b->series;
	acc->n += b->n;
	acc->m += b->m;
	acc->bytes_orig += b->bytes_orig;
	acc->bytes_red += b->bytes_red;
	acc->sumsq += b->sumsq;
	acc->sumsq_norm += b->sumsq_norm;
	acc->flat += b->flat;
	if (b->vmin < acc->vmin)
		acc->vmin = b->vmin;
	if (b->vmax > acc->vmax)
		acc->vmax = b->vmax;
	acc->win_n += b->win_n;
	acc->win_sumsq += b->win_sumsq;
	acc->win_sumsq_norm += b->win_sumsq_norm;
	acc->windows += b->windows;
	acc->windows_empty += b->windows_empty;
	acc->peaks_total += b->peaks_total;
	acc->peaks_kept += b->peaks_kept;
	acc->noise_sumsq_norm += b->noise_sumsq_norm;
	derive(acc);
}

int tsd_metrics_noise(double *q, double *work, const double *v, size_t n)
{
	double mn, mx, sigma, half;
	size_t i;
	int rc;

	if (!q || (n && !v) || (n > 1 && !work))
		return TSD_EINVAL;
	*q = 0;
	if (n < 2)
		return 0;
	mn = mx = v[0];
	for (i = 1; i < n; i++) {
		mn = v[i] < mn ? v[i] : mn;
		mx = v[i] > mx ? v[i] : mx;
	}
	if (!(mx > mn))
		return 0;
	/* differences over the range, both halved: no overflow */
	half = mx / 2 - mn / 2;
	for (i = 0; i + 1 < n; i++)
		work[i] = (v[i + 1] / 2 - v[i] / 2) / half;
	/* median(|d|) / 0.6745 (select.c's estimate; in place: it reads d[i]
	 * before writing work[i]) */
	if ((rc = tsd_select_sigma(&sigma, work, work, n - 1)) < 0)
		return rc;
	*q = sigma / sqrt(2);
	return 0;
}

void tsd_metrics_set_noise(struct tsd_metrics *mt, double q)
{
	mt->noise_sumsq_norm = (double)mt->n * q * q;
	mt->noise = q;
}
