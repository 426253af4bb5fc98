/* window.h: cut each series of an interleaved stream into windows.
 *
 * Windows are either a fixed number of samples (window k of a series is
 * its samples k*count .. k*count+count-1) or a span of event time aligned
 * on the epoch (window k holds the samples with k*span <= t < (k+1)*span),
 * so that a restart from any point of a stream rebuilds the same windows.
 * Memory: one buffer per series, never more than max samples each.
 *
 * Gaps (outages, irregular sampling): a sample that comes more than the
 * gap threshold after the last sample of its series' open window follows
 * a gap. The open window is closed there (handed out short, with what it
 * has, flagged gap) and the sample starts a new window. The threshold is
 * fixed (tsd_winbuf_set_gap) or, by default, 10 times the median of the
 * open window's last 8 intervals and 3 times the longest of them, looked at
 * from its 4th interval on.
 * Only the window's own samples count, so a restart from a window
 * boundary (lib/ctlq.h) cuts the same windows. A gap right at the end of a
 * count window, or in a window's first 4 intervals with the automatic
 * threshold, is not seen. A count window so counts samples, not time:
 * irregular samples make windows of irregular duration, and a gap ends
 * one early. A time window split by a gap inside it comes out in two parts
 * with the same number.
 */
#ifndef TSD_WINDOW_H
#define TSD_WINDOW_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t series;
	int64_t index;       /* window number (count: k; time: floor(t/span)) */
	size_t n;            /* samples */
	const int64_t *t;    /* (n) */
	const double *v;     /* (n) */
	int first;           /* the first window handed out for this series (with
	                      * time windows, likely cut short at its start) */
	int gap;             /* 1: closed by a gap (an outage) after its last sample */
	int64_t gap_to;      /* then: the time of the first sample after the gap */
} tsd_win;

/* Samples a time window may hold: the default, and the most that
 * --max-window may ask for. */
#define TSD_WINDOW_MAX_DEFAULT (1u << 20)
#define TSD_WINDOW_MAX_LIMIT (1u << 30)

typedef struct tsd_winbuf tsd_winbuf;

/* count > 0 and span == 0: count windows; count == 0 and span > 0: time
 * windows holding at most max samples (TSD_ERANGE past that). */
int tsd_winbuf_new(tsd_winbuf **wb, size_t count, int64_t span, size_t max);
/* The gap threshold: ns > 0 a fixed interval, 0 automatic (the default),
 * < 0 no gap detection. */
void tsd_winbuf_set_gap(tsd_winbuf *wb, int64_t ns);
/* A gap marker (at time t) came in the input for series: the open window
 * closes, flagged gap. 1 with a window in *out, or 0. */
int tsd_winbuf_break(tsd_winbuf *wb, tsd_win *out, uint32_t series, int64_t t);
void tsd_winbuf_free(tsd_winbuf *wb);
/* Add a sample. Returns 1 when this sample completed or closed a window,
 * which is then in *out (valid until the next call), 0 otherwise, or a
 * negative code. A time window closes when a sample of a later window
 * arrives; that sample starts the next one. */
int tsd_winbuf_push(tsd_winbuf *wb, tsd_win *out, uint32_t series, int64_t t, double v);
/* Add a run of n samples of one series (times t[i], or t0 + i * dt when t
 * is NULL), in order. Stops at the first window the run completes or
 * closes: returns 1 with that window in *out, or 0 when the whole run went
 * in; *used is the number of samples taken either way. */
int tsd_winbuf_push_run(tsd_winbuf *wb, tsd_win *out, size_t *used, uint32_t series,
			const int64_t *t, int64_t t0, int64_t dt, const double *v, size_t n);
/* At end of input: each call hands out one partial window still open, in
 * series order; 0 when none is left. */
int tsd_winbuf_flush(tsd_winbuf *wb, tsd_win *out);
/* Discard the open window of a series (its source partition went away:
 * the series will be read again from an earlier point); its next sample
 * opens a window. Returns the number of samples discarded. */
size_t tsd_winbuf_drop(tsd_winbuf *wb, uint32_t series);
/* Parse a window option: "256" (samples) or a duration "5m", "300s". */
int tsd_window_parse(size_t *count, int64_t *span, const char *s);

#endif
