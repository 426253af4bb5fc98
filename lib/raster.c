/* raster.c: line charts drawn into pixel canvases (Bresenham 1-bit,
 * Xiaolin Wu 8-bit anti-aliased) and chart comparison by differing
 * pixels and by SSIM / DSSIM. */
#include "raster.h"
#include "tsd.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SIDE_MAX (1u << 24)   /* keeps pixel arithmetic far from overflow */
#define SSIM_WIN 11           /* window side */
#define SSIM_SIGMA 1.5

struct canvas {
	unsigned char *px;
	long w, h;
	int mode;
};

int tsd_raster_length(size_t *len, size_t w, size_t h)
{
	if (!len || !w || !h)
		return TSD_EINVAL;
	if (w > SIDE_MAX || h > SIDE_MAX)
		return TSD_ERANGE;
	return tsd_mul_size(len, w, h);
}

int tsd_raster_view(struct tsd_raster_view *view, const int64_t *t,
		    const double *v, size_t n)
{
	size_t i;

	if (!view || !t || !v || !n)
		return TSD_EINVAL;
	view->tmin = view->tmax = t[0];
	view->vmin = view->vmax = v[0];
	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			return TSD_EINVAL;
		if (t[i] < view->tmin)
			view->tmin = t[i];
		if (t[i] > view->tmax)
			view->tmax = t[i];
		if (v[i] < view->vmin)
			view->vmin = v[i];
		if (v[i] > view->vmax)
			view->vmax = v[i];
	}
	return 0;
}

/* Put ink of coverage c (0..1) at (x, y), keeping the darker value. */
static void plot(struct canvas *cv, long x, long y, double c)
{
	unsigned char *p;
	int grey;

	if (x < 0 || y < 0 || x >= cv->w || y >= cv->h || !(c > 0))
		return;
	p = cv->px + (size_t)y * (size_t)cv->w + (size_t)x;
	if (cv->mode == TSD_RASTER_BIT) {
		*p = 1;
		return;
	}
	grey = 255 - (int)lround((c > 1 ? 1 : c) * 255);
	if (grey < *p)
		*p = (unsigned char)grey;
}

/* Liang-Barsky: clip the segment to [-1, w] x [-1, h]; 0 if it misses.
 * A clipped end is put exactly on the boundary it was clipped at, and an
 * unclipped end is kept as it was: with a far-off point, x0 + r * dx
 * alone would lose the small coordinates to cancellation. */
static int clip(double *x0, double *y0, double *x1, double *y1, long w, long h)
{
	double dx = *x1 - *x0, dy = *y1 - *y0, lo = 0, hi = 1;
	double p[4] = { -dx, dx, -dy, dy };
	double q[4] = { *x0 + 1, (double)w - *x0, *y0 + 1, (double)h - *y0 };
	double edge[4] = { -1, (double)w, -1, (double)h };
	int k, klo = -1, khi = -1;

	for (k = 0; k < 4; k++) {
		if (p[k] == 0) {
			if (q[k] < 0)
				return 0;
			continue;
		}
		double r = q[k] / p[k];
		if (p[k] < 0) {
			if (r > hi)
				return 0;
			if (r > lo)
				lo = r, klo = k;
		} else {
			if (r < lo)
				return 0;
			if (r < hi)
				hi = r, khi = k;
		}
	}
	if (khi >= 0) {
		*x1 = *x0 + hi * dx;
		*y1 = *y0 + hi * dy;
		if (khi < 2)
			*x1 = edge[khi];
		else
			*y1 = edge[khi];
	}
	if (klo >= 0) {
		*x0 = *x0 + lo * dx;
		*y0 = *y0 + lo * dy;
		if (klo < 2)
			*x0 = edge[klo];
		else
			*y0 = edge[klo];
	}
	return 1;
}

/* Integer line through every octant; always drawn from (x0, y0), so a
 * segment's pixels depend only on its endpoints in the order given. */
static void bresenham(struct canvas *cv, long x0, long y0, long x1, long y1)
{
	long dx = labs(x1 - x0), dy = -labs(y1 - y0);
	long sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	long err = dx + dy, e2;

	for (;;) {
		plot(cv, x0, y0, 1);
		if (x0 == x1 && y0 == y1)
			break;
		e2 = 2 * err;
		if (e2 >= dy) {
			err += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			err += dx;
			y0 += sy;
		}
	}
}

/* Plot along the major axis: (a, b) is (x, y), or (y, x) when steep. */
static void plot_ab(struct canvas *cv, int steep, long a, long b, double c)
{
	if (steep)
		plot(cv, b, a, c);
	else
		plot(cv, a, b, c);
}

/* Xiaolin Wu's line: for each step along the major axis, split the ink
 * between the two pixels straddling the exact minor coordinate. */
static void wu(struct canvas *cv, double x0, double y0, double x1, double y1)
{
	int steep = fabs(y1 - y0) > fabs(x1 - x0);
	double t, grad, inter, yend;
	long a, a0, a1;

	if (steep) {
		t = x0, x0 = y0, y0 = t;
		t = x1, x1 = y1, y1 = t;
	}
	if (x0 > x1) {
		t = x0, x0 = x1, x1 = t;
		t = y0, y0 = y1, y1 = t;
	}
	grad = x1 > x0 ? (y1 - y0) / (x1 - x0) : 0;
	a0 = lround(x0);
	a1 = lround(x1);
	/* end pixels: the line's minor coordinate at the rounded column */
	yend = y0 + grad * ((double)a0 - x0);
	plot_ab(cv, steep, a0, (long)floor(yend), 1 - (yend - floor(yend)));
	plot_ab(cv, steep, a0, (long)floor(yend) + 1, yend - floor(yend));
	if (a1 != a0) {
		yend = y1 + grad * ((double)a1 - x1);
		plot_ab(cv, steep, a1, (long)floor(yend), 1 - (yend - floor(yend)));
		plot_ab(cv, steep, a1, (long)floor(yend) + 1, yend - floor(yend));
	}
	for (a = a0 + 1; a < a1; a++) {
		inter = y0 + grad * ((double)a - x0);
		plot_ab(cv, steep, a, (long)floor(inter), 1 - (inter - floor(inter)));
		plot_ab(cv, steep, a, (long)floor(inter) + 1, inter - floor(inter));
	}
}

static void segment(struct canvas *cv, double x0, double y0, double x1, double y1)
{
	/* a NaN would pass every clipping test and make a line of 2^63 steps */
	if (!isfinite(x0) || !isfinite(y0) || !isfinite(x1) || !isfinite(y1))
		return;
	if (x0 < -1 || y0 < -1 || x1 < -1 || y1 < -1 || x0 > cv->w ||
	    x1 > cv->w || y0 > cv->h || y1 > cv->h) {
		if (!clip(&x0, &y0, &x1, &y1, cv->w, cv->h))
			return;
	}
	if (cv->mode == TSD_RASTER_BIT)
		bresenham(cv, lround(x0), lround(y0), lround(x1), lround(y1));
	else if (x0 == x1 && y0 == y1)
		plot(cv, lround(x0), lround(y0), 1);
	else
		wu(cv, x0, y0, x1, y1);
}

/* b - a as a double; the int64 difference is exact below 2^53 ns (104
 * days) and only rounded once beyond. */
static double tdiff(int64_t b, int64_t a)
{
	int64_t d;

	if (__builtin_sub_overflow(b, a, &d))
		return (double)b - (double)a;
	return (double)d;
}

int tsd_raster_draw(unsigned char *px, const int64_t *t, const double *v,
		    size_t n, size_t w, size_t h,
		    const struct tsd_raster_view *view, int mode)
{
	struct canvas cv;
	double tspan, vspan, xprev = 0, yprev = 0;
	size_t len, i;
	int err;

	if (!px || (n && (!t || !v)) || !view)
		return TSD_EINVAL;
	if (mode != TSD_RASTER_BIT && mode != TSD_RASTER_AA)
		return TSD_EINVAL;
	if ((err = tsd_raster_length(&len, w, h)) < 0)
		return err;
	if (view->tmax < view->tmin || !isfinite(view->vmin) ||
	    !isfinite(view->vmax) || view->vmax < view->vmin)
		return TSD_EINVAL;
	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return TSD_EINVAL;
	memset(px, mode == TSD_RASTER_BIT ? 0 : 255, len);
	cv.px = px;
	cv.w = (long)w;
	cv.h = (long)h;
	cv.mode = mode;
	tspan = tdiff(view->tmax, view->tmin);
	/* in halves: vmax - vmin overflows for values near +-DBL_MAX (halving
	 * is exact, so the ratio is the same as in whole values) */
	vspan = view->vmax / 2 - view->vmin / 2;
	for (i = 0; i < n; i++) {
		double x, y;

		x = tspan > 0 ? tdiff(t[i], view->tmin) / tspan * (double)(w - 1) : 0;
		y = vspan > 0 ? (view->vmax / 2 - v[i] / 2) / vspan * (double)(h - 1) :
			(double)(h - 1) / 2;
		if (n == 1)
			segment(&cv, x, y, x, y);
		else if (i)
			segment(&cv, xprev, yprev, x, y);
		xprev = x;
		yprev = y;
	}
	return 0;
}

int tsd_raster_diff_pixels(size_t *count, const unsigned char *a,
			   const unsigned char *b, size_t w, size_t h)
{
	size_t len, i, c = 0;
	int err;

	if (!count || !a || !b)
		return TSD_EINVAL;
	if ((err = tsd_raster_length(&len, w, h)) < 0)
		return err;
	for (i = 0; i < len; i++)
		c += a[i] != b[i];
	*count = c;
	return 0;
}

/* Horizontal pass of one image row pair: for each of the ow window
 * positions, the Gaussian-weighted sums of a, b, a^2, b^2 and ab. */
static void hpass(double *out, const double *g, const unsigned char *ra,
		  const unsigned char *rb, size_t ow)
{
	size_t x, k;

	for (x = 0; x < ow; x++) {
		double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
		for (k = 0; k < SSIM_WIN; k++) {
			double pa = ra[x + k], pb = rb[x + k];
			sa += g[k] * pa;
			sb += g[k] * pb;
			saa += g[k] * pa * pa;
			sbb += g[k] * pb * pb;
			sab += g[k] * pa * pb;
		}
		out[x] = sa;
		out[ow + x] = sb;
		out[2 * ow + x] = saa;
		out[3 * ow + x] = sbb;
		out[4 * ow + x] = sab;
	}
}

int tsd_raster_ssim(double *ssim, const unsigned char *a,
		    const unsigned char *b, size_t w, size_t h)
{
	const double c1 = (0.01 * 255) * (0.01 * 255);
	const double c2 = (0.03 * 255) * (0.03 * 255);
	double g[SSIM_WIN], gs = 0, total = 0;
	double *ring = NULL;   /* (SSIM_WIN, 5, ow): rows of hpass output */
	size_t len, ow, oh, x, y, k, ringlen;
	int err;

	if (!ssim || !a || !b)
		return TSD_EINVAL;
	if ((err = tsd_raster_length(&len, w, h)) < 0)
		return err;
	if (w < SSIM_WIN || h < SSIM_WIN)
		return TSD_ESIZE;
	ow = w - SSIM_WIN + 1;
	oh = h - SSIM_WIN + 1;
	if ((err = tsd_mul_size(&ringlen, ow, 5 * SSIM_WIN * sizeof *ring)) < 0)
		return err;
	ring = malloc(ringlen);
	if (!ring)
		return TSD_ENOMEM;
	for (k = 0; k < SSIM_WIN; k++) {
		double d = (double)k - (SSIM_WIN - 1) / 2;
		g[k] = exp(-d * d / (2 * SSIM_SIGMA * SSIM_SIGMA));
		gs += g[k];
	}
	for (k = 0; k < SSIM_WIN; k++)
		g[k] /= gs;
	for (y = 0; y < SSIM_WIN - 1; y++)
		hpass(ring + y * 5 * ow, g, a + y * w, b + y * w, ow);
	for (y = 0; y < oh; y++) {
		size_t last = y + SSIM_WIN - 1;
		hpass(ring + (last % SSIM_WIN) * 5 * ow, g, a + last * w,
		      b + last * w, ow);
		for (x = 0; x < ow; x++) {
			double s[5] = { 0, 0, 0, 0, 0 };
			double ma, mb, vaa, vbb, vab;
			size_t q;
			for (k = 0; k < SSIM_WIN; k++) {
				const double *r = ring + ((y + k) % SSIM_WIN) * 5 * ow;
				for (q = 0; q < 5; q++)
					s[q] += g[k] * r[q * ow + x];
			}
			ma = s[0];
			mb = s[1];
			vaa = s[2] - ma * ma;
			vbb = s[3] - mb * mb;
			vab = s[4] - ma * mb;
			total += (2 * ma * mb + c1) * (2 * vab + c2) /
				((ma * ma + mb * mb + c1) * (vaa + vbb + c2));
		}
	}
	free(ring);
	*ssim = total / ((double)ow * (double)oh);
	return 0;
}

int tsd_raster_dssim(double *dssim, const unsigned char *a,
		     const unsigned char *b, size_t w, size_t h)
{
	double s;
	int err;

	if (!dssim)
		return TSD_EINVAL;
	if ((err = tsd_raster_ssim(&s, a, b, w, h)) < 0)
		return err;
	*dssim = (1 - s) / 2;
	return 0;
}
