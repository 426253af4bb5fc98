/* plotbuf.h: what a live chart keeps of many series: per pixel column, the
 * first, last, smallest and largest sample (M4), so that memory and the
 * cost of drawing stay O(columns x series) however long the stream runs.
 *
 * Time is cut into buckets of equal width aligned on the epoch; one bucket
 * is one pixel column of the chart. Two modes:
 *
 *   span > 0   a rolling window: buckets of width ceil(span / columns); each
 *              series keeps a ring of columns + 1 buckets ending at its
 *              latest bucket. The chart shows [tmax - span, tmax], tmax the
 *              latest time seen in any series (from the first sample while
 *              less than span has come); older samples are dropped.
 *   span == 0  all of the input: buckets start 1 ns wide and double in
 *              width (merging neighbours, which M4 allows exactly) whenever
 *              the data would need more than columns + 1 of them.
 *
 * Drawing a bucket with its first, extreme and last samples in time order
 * gives the same pixels as drawing every sample (M4, Jugel et al., VLDB
 * 2014): the polyline enters and leaves the column at the same heights and
 * covers the same vertical extent.
 *
 * Series are small ids (lib/series.h); their rings are allocated on the
 * first sample. Not thread-safe: callers that push from several threads
 * hold one lock around every call.
 */
#ifndef TSD_PLOTBUF_H
#define TSD_PLOTBUF_H

#include <stddef.h>
#include <stdint.h>

#define TSD_PLOTBUF_COLUMNS_MAX (1u << 20)

typedef struct tsd_plotbuf tsd_plotbuf;

/* columns: 1..TSD_PLOTBUF_COLUMNS_MAX; span: ns, >= 0 (0 = all input). */
int tsd_plotbuf_new(tsd_plotbuf **pb, size_t columns, int64_t span);
void tsd_plotbuf_free(tsd_plotbuf *pb);

/* Add one sample (v finite), or a gap marker (v NaN: the series' line
 * breaks at t; tsd_plotbuf_points gives the break as a NaN point). 0:
 * kept; 1: dropped, older than the window of its series; TSD_EINVAL
 * (infinite), TSD_ENOMEM, TSD_ERANGE (series id beyond TSD_SERIES_MAX). */
int tsd_plotbuf_push(tsd_plotbuf *pb, uint32_t series, int64_t t, double v);

/* Time shown: [*t0, *t1] in ns. TSD_ENOTFOUND before the first sample. */
int tsd_plotbuf_range(int64_t *t0, int64_t *t1, const tsd_plotbuf *pb);

/* Most points tsd_plotbuf_points can write for one series. */
size_t tsd_plotbuf_points_len(const tsd_plotbuf *pb);

/* The M4 points of one series inside the shown range, in time order, into
 * t[0..n-1] and v[0..n-1]; returns n (0 for a series never seen), or
 * TSD_ESIZE when cap < tsd_plotbuf_points_len(). */
long tsd_plotbuf_points(int64_t *t, double *v, const tsd_plotbuf *pb,
			uint32_t series, size_t cap);

/* Nonzero when the series got samples (or the buckets were widened) since
 * tsd_plotbuf_clear_changed(); 0 for an unknown series. */
int tsd_plotbuf_changed(const tsd_plotbuf *pb, uint32_t series);
void tsd_plotbuf_clear_changed(tsd_plotbuf *pb, uint32_t series);

/* One more than the largest series id pushed so far. */
uint32_t tsd_plotbuf_nseries(const tsd_plotbuf *pb);
/* Bytes held (for tests and stats): grows with series, not with samples. */
size_t tsd_plotbuf_bytes(const tsd_plotbuf *pb);
/* Current bucket width in ns. */
int64_t tsd_plotbuf_bucket_ns(const tsd_plotbuf *pb);

#endif
