/* ctlq.h: hold source positions (CONTROL records) back until the output
 * that covers them has been written.
 *
 * A windowing tool keeps samples in open windows; a position that arrives
 * after such a sample must not reach the sink before that sample's window
 * is emitted, or the sink would commit an offset whose data is not yet in
 * its output. The queue numbers the samples (each tsd_ctlq_hold is one),
 * tags each position with the number of samples read before it, and
 * releases a position once every sample read before it has left its window:
 *
 *     CONTROL read             tsd_ctlq_control(q, &rec.k)
 *     SAMPLE of series s       tsd_ctlq_hold(q, s)   (the sample is now held)
 *     window of s emitted      tsd_ctlq_done(q, s)   (all that s held is out)
 *     after writing outputs    while (tsd_ctlq_next(q, &rec) == 1) put(&rec)
 *
 * A count window completed by a sample: hold, then done. A time window
 * closed by a sample of the next window: done, then hold (the sample opens
 * the next window). Positions leave in the order they came. Memory: one
 * entry per queued position and per series, plus a FIFO of window starts.
 */
#ifndef TSD_CTLQ_H
#define TSD_CTLQ_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

typedef struct tsd_ctlq tsd_ctlq;

/* The end mark: the position a source (tsconsume) writes last when it ends
 * cleanly: partition -1, offset -1 (topic "-"). A stream that carried
 * positions and ends without it was cut short by a failure upstream: a
 * windowing tool must then not flush its open windows as if complete (their
 * samples will be read again after a restart), and a sink must not commit
 * what follows its last commit. */
void tsd_ctl_end(tsd_control *k);
int tsd_ctl_is_end(const tsd_control *k);

int tsd_ctlq_new(tsd_ctlq **q);
void tsd_ctlq_free(tsd_ctlq *q);
/* Queue a position (the topic is copied). */
int tsd_ctlq_control(tsd_ctlq *q, const tsd_control *k);
/* The next input sample belongs to series key and stays held in its open
 * window until tsd_ctlq_done(q, key). */
int tsd_ctlq_hold(tsd_ctlq *q, uint32_t key);
/* The same for n samples of series key in a row. */
int tsd_ctlq_hold_n(tsd_ctlq *q, uint32_t key, uint64_t n);
/* Everything series key held is now reflected in the output. */
void tsd_ctlq_done(tsd_ctlq *q, uint32_t key);
/* 1: the oldest releasable position is in *rec (kind CONTROL; its topic is
 * valid until the next call); 0: none may be released yet. */
int tsd_ctlq_next(tsd_ctlq *q, tsd_rec *rec);
/* 1 when positions were queued but no end mark: an end of input now means
 * that the source failed (see above). */
int tsd_ctlq_broken(const tsd_ctlq *q);
/* A revocation (TSD_CTL_REVOKE) of k's partition: its queued positions are
 * dropped, and the series that came from it hold nothing any more (the
 * caller discards their open windows). Their keys go into keys (cap of
 * them; tsd_ctlq_nkeys() is always enough); returns how many, or
 * TSD_ESIZE, TSD_ENOMEM. */
int tsd_ctlq_revoke(tsd_ctlq *q, const tsd_control *k, uint32_t *keys, size_t cap);
size_t tsd_ctlq_nkeys(const tsd_ctlq *q);
/* Positions queued and not yet released. */
size_t tsd_ctlq_pending(const tsd_ctlq *q);

#endif
