/* reorder.h: bounded lateness. Samples of a series that arrive out of
 * time order (several partitions of an unkeyed topic, clock skew between
 * senders) are held back up to a lateness of event time and given out in
 * time order, as a stream processor's watermark does:
 *
 *     watermark(s) = the latest time seen in series s - lateness
 *
 * A held sample leaves (tsd_reorder_pop) once its time is at or before
 * its series' watermark, earliest first (ties in arrival order). A sample
 * that comes when a later one of its series has already left, or at the
 * same time as one that has, is late: tsd_reorder_push says so and does
 * not hold it; the caller counts it and writes it aside, never drops it
 * silently. Memory: the samples of lateness worth of event time per series.
 */
#ifndef TSD_REORDER_H
#define TSD_REORDER_H

#include <stddef.h>
#include <stdint.h>

typedef struct tsd_reorder tsd_reorder;

/* lateness in ns, >= 0 (0: only samples already in order pass at once). */
int tsd_reorder_new(tsd_reorder **ro, int64_t lateness);
void tsd_reorder_free(tsd_reorder *ro);
/* Hold a sample of series (tag: the caller's, given back by pop). 0: held;
 * 1: late (not after the last sample given out of its series): not held;
 * TSD_ENOMEM, TSD_ERANGE (series id too large). */
int tsd_reorder_push(tsd_reorder *ro, uint32_t series, int64_t t, double v, uint64_t tag);
/* 1: the earliest held sample of series that may leave (at or before the
 * series' watermark; with flush, any) is in *t, *v, *tag and gone from the
 * buffer; 2: the same, but at the time of the sample given out before it
 * (a duplicate): late; 0: none may. */
int tsd_reorder_pop(tsd_reorder *ro, uint32_t series, int flush, int64_t *t, double *v, uint64_t *tag);
/* One more than the largest series id pushed. */
uint32_t tsd_reorder_nseries(const tsd_reorder *ro);
/* Samples held, in all series. */
size_t tsd_reorder_held(const tsd_reorder *ro);

#endif
