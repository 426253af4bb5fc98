/* raster.h: draw a series as a line chart into a pixel canvas and compare
 * two charts, the way a plotting library's output would be compared.
 *
 * Canvas: w x h bytes, row-major, row 0 at the top; tsd_raster_length()
 * gives the size. Two modes:
 *   TSD_RASTER_BIT  1-bit chart, one byte per pixel: 0 paper, 1 ink.
 *                   Points are rounded to the nearest pixel and joined by
 *                   Bresenham lines (the M4 paper's rasterisation).
 *   TSD_RASTER_AA   8-bit grey as displayed: 255 white paper, 0 black
 *                   ink. Lines are anti-aliased with Xiaolin Wu's
 *                   algorithm on unrounded coordinates; each segment's
 *                   end pixels get full weight (a polyline joint is not
 *                   faded) and overlapping coverage keeps the darkest.
 *
 * Mapping (struct tsd_raster_view, normally the ORIGINAL's extent, shared
 * by the original's and the reduced series' charts):
 *   x = (t - tmin) / (tmax - tmin) * (w - 1)      0 .. w-1, left to right
 *   y = (vmax - v) / (vmax - vmin) * (h - 1)      h-1 .. 0, bottom to top
 * A zero time span puts every point at x = 0, a zero value span at the
 * middle row y = (h - 1) / 2. Points outside the view are drawn as far as
 * their lines cross the canvas (segments are clipped first, which may
 * move a clipped line's pixels by one against drawing it unclipped).
 * A lone point, or a zero-length segment, is one full pixel of ink.
 */
#ifndef TSD_RASTER_H
#define TSD_RASTER_H

#include <stddef.h>
#include <stdint.h>

enum tsd_raster_mode {
	TSD_RASTER_BIT = 0,
	TSD_RASTER_AA = 1,
};

struct tsd_raster_view {
	int64_t tmin, tmax;
	double vmin, vmax;
};

/* Bytes for a w x h canvas; TSD_ERANGE on overflow, TSD_EINVAL if 0. */
int tsd_raster_length(size_t *len, size_t w, size_t h);

/* The extent of a series (n >= 1, finite values). */
int tsd_raster_view(struct tsd_raster_view *view, const int64_t *t,
		    const double *v, size_t n);

/* Clear px (w * h bytes) to paper, then draw the series. t sorted
 * ascending is not required: points are joined in the order given. */
int tsd_raster_draw(unsigned char *px, const int64_t *t, const double *v,
		    size_t n, size_t w, size_t h,
		    const struct tsd_raster_view *view, int mode);

/* Number of pixels that differ between two canvases of the same mode;
 * 0 is the M4 paper's error-free chart (Jugel et al., VLDB 2014). */
int tsd_raster_diff_pixels(size_t *count, const unsigned char *a,
			   const unsigned char *b, size_t w, size_t h);

/* Mean SSIM of two 8-bit grey images (Wang, Bovik, Sheikh, Simoncelli,
 * IEEE TIP 2004): 11x11 Gaussian window, sigma 1.5, normalised to sum 1;
 * K1 = 0.01, K2 = 0.03, L = 255; only windows wholly inside the image
 * (w, h >= 11, else TSD_ESIZE), no downscaling; weighted (biased)
 * variances as in the paper's reference code. Identical images give
 * exactly 1. Allocates 55 * (w - 10) doubles of scratch (TSD_ENOMEM). */
int tsd_raster_ssim(double *ssim, const unsigned char *a,
		    const unsigned char *b, size_t w, size_t h);

/* DSSIM = (1 - SSIM) / 2, as in the MinMaxLTTB evaluation (Van Der
 * Donckt et al. 2023): 0 for identical charts. */
int tsd_raster_dssim(double *dssim, const unsigned char *a,
		     const unsigned char *b, size_t w, size_t h);

#endif
