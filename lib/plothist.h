/* plothist.h: the recent samples of many series, kept whole (up to a bound
 * per series) so that any time range can be drawn again at any zoom: the
 * web page asks for [t0, t1] at its width in pixels and gets, per pixel
 * column, the first, smallest, largest and last sample of each series
 * (M4, Jugel et al., VLDB 2014): the polyline through them draws the same
 * pixels as every sample would.
 *
 * Each series is a ring of (time, value) in time order that grows by
 * doubling as samples come, up to cap points; then the oldest is dropped
 * for each new one. Memory: at most 16 bytes x cap x series.
 *
 * A range query finds its ends by binary search, so its cost follows the
 * samples inside the range, not the samples held.
 *
 * Not thread-safe: callers hold one lock around every call.
 */
#ifndef TSD_PLOTHIST_H
#define TSD_PLOTHIST_H

#include <stddef.h>
#include <stdint.h>

typedef struct tsd_plothist tsd_plothist;

/* cap: samples kept per series, >= 2. */
int tsd_plothist_new(tsd_plothist **h, size_t cap);
void tsd_plothist_free(tsd_plothist *h);

/* Add one sample (v finite), or a gap marker (v NaN: the series' line
 * breaks at t; tsd_plothist_m4 gives the break as a NaN point). 0: kept;
 * 1: dropped, earlier than the last sample of its series (a series is
 * kept in time order); TSD_EINVAL (infinite), TSD_ENOMEM, TSD_ERANGE
 * (series id beyond TSD_SERIES_MAX). */
int tsd_plothist_push(tsd_plothist *h, uint32_t series, int64_t t, double v);

/* Samples held for a series (0 for one never seen). */
size_t tsd_plothist_count(const tsd_plothist *h, uint32_t series);
/* Times held over all series: [*t0, *t1]. TSD_ENOTFOUND when empty. */
int tsd_plothist_range(int64_t *t0, int64_t *t1, const tsd_plothist *h);
/* Samples of one series in [t0, t1]. */
size_t tsd_plothist_count_in(const tsd_plothist *h, uint32_t series, int64_t t0, int64_t t1);

/* Most points tsd_plothist_m4 writes for `columns`. */
size_t tsd_plothist_m4_len(size_t columns);
/* The M4 points of one series for [t0, t1] (t0 < t1) cut into `columns`
 * equal columns, in time order, into t[0..n-1], v[0..n-1], with the
 * sample just before t0 and the one just after t1 (so that lines leave
 * the view at the right height). Returns n, or TSD_ESIZE when cap <
 * tsd_plothist_m4_len(columns), TSD_EINVAL for columns 0 or t1 <= t0. */
long tsd_plothist_m4(int64_t *t, double *v, size_t cap, const tsd_plothist *h,
		     uint32_t series, int64_t t0, int64_t t1, size_t columns);

/* One more than the largest series id pushed so far. */
uint32_t tsd_plothist_nseries(const tsd_plothist *h);
/* Bytes held (grows with the samples held, up to the bound). */
size_t tsd_plothist_bytes(const tsd_plothist *h);

#endif
