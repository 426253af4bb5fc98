/* carry.h: what a coefficient tool carries from one window of a series to
 * the next (thresh --ratio's budget, merge's fit), made restartable.
 *
 * A stream that carries source positions (tsconsume) may be replayed from
 * one of them after a crash (tsconsume --positions reads it from the
 * store). So that the replay gives the same rows, the tool writes the
 * state of each series whose state changed since the last position as a
 * SAVE record just before the next position (lib/record.h); a sink stores
 * it with that position in one transaction (tsstore), and after a seek the
 * source writes it back as a LOAD record, which the tool takes before the
 * replayed windows. A revocation forgets every series' state (the stage
 * does not know which series came from which partition: with Kafka's eager
 * rebalancing every partition is revoked at once), so a series starts
 * afresh unless a LOAD follows.
 *
 *
 * A save also says up to what time the series' windows were applied (the
 * last window's last sample time). A stage that took a LOAD drops the
 * replayed windows of that series ending no later (tool_carry_skip): their
 * rows were written before the save, so they are in the store already.
 * That makes a save that overtook the position of its own partition (a
 * position of another partition came first and was committed alone) still
 * exact after a replay.
 *
 *     tool_carry_init(&cy, &io, "thresh", save, load, reset, arg)
 *     cl.ctl = tool_carry_ctl; cl.ctl_arg = &cy;   (tool_coefloop)
 *     for each window of series s, first and last time t0, t1:
 *         if (tool_carry_skip(&cy, s, t0)) continue;
 *         ... the window ...; tool_carry_touch(&cy, s, t1)
 */
#ifndef TSD_CARRY_H
#define TSD_CARRY_H

#include <stddef.h>
#include <stdint.h>

#include "tool.h"

typedef struct {
	tool_io *io;
	const char *stage;
	/* series s's state as text (no line end) in buf, cap bytes: its
	 * length, or -1 when it does not fit */
	int (*save)(uint32_t s, char *buf, size_t cap, void *arg);
	/* restore series s from text (n bytes): 0, or -1 when malformed */
	int (*load)(uint32_t s, const char *text, size_t n, void *arg);
	/* forget every series' state */
	void (*reset)(void *arg);
	void *arg;
	unsigned char *dirty;  /* (ndirty) by series: to be saved */
	int64_t *upto;         /* (ndirty) by series: last time applied */
	unsigned char *seen;   /* (ndirty) by series: 1 applied, 2 loaded */
	size_t ndirty;
	uint32_t *list;        /* (nlist) the dirty series, in order */
	size_t nlist, lcap;
	char *buf, *text;      /* TSD_CARRY_MAX + 1 bytes each */
	int big;               /* a state too long was met (warned once) */
} tool_carry;

void tool_carry_init(tool_carry *cy, tool_io *io, const char *stage,
		     int (*save)(uint32_t, char *, size_t, void *),
		     int (*load)(uint32_t, const char *, size_t, void *), void (*reset)(void *), void *arg);
void tool_carry_free(tool_carry *cy);
/* Series s's state changed: a window ending at time t1 was applied. */
void tool_carry_touch(tool_carry *cy, uint32_t s, int64_t t1);
/* 1: a window of s starting at t0 was applied before a LOAD of s (a
 * replay): drop it. */
int tool_carry_skip(tool_carry *cy, uint32_t s, int64_t t0);
/* A CONTROL record (the tool_coefloop ctl hook; arg: the tool_carry). */
void tool_carry_ctl(const tsd_rec *r, void *arg);

#endif
