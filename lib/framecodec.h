/* framecodec.h: walking a binary frame stream held in memory.
 *
 * A tsd_fdec turns the frames at the start of a byte buffer into records:
 * it checks stream headers, keeps the map from the stream's series ids to
 * the caller's series table (NAME frames) and the stream style (STYLE),
 * skips frame kinds it does not know, and gives the ids of data records in
 * the caller's table. It never reads a file: when the buffer holds less
 * than a whole frame it says how many bytes it needs, and the caller (the
 * fd reader in stream.c, or the Kafka payload decoder) gets them.
 */
#ifndef TSD_FRAMECODEC_H
#define TSD_FRAMECODEC_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "record.h"
#include "series.h"

enum {
	TSD_FDEC_SKIP = 0,     /* a frame with no record (NAME, STYLE, unknown kind) */
	TSD_FDEC_RECORD = 1,   /* a record in *rec */
	TSD_FDEC_MORE = 2,     /* a frame needs *need bytes from buf; nothing taken */
	TSD_FDEC_HEADER = 3,   /* a stream header */
};

typedef struct {
	tsd_series_tab *tab;
	uint32_t *idmap;       /* (nidmap) stream id -> table id + 1 */
	size_t nidmap;
	tsd_style style;       /* of the last STYLE frame */
	int style_seen;        /* set by each STYLE frame; the caller clears it */
	int missing;           /* the last SAMPLES record holds NaN values (missing samples) */
	char err[160];         /* why the last call failed */
} tsd_fdec;

void tsd_fdec_init(tsd_fdec *d, tsd_series_tab *tab);
/* Forget the stream's series ids (a new, independent stream follows). */
void tsd_fdec_reset(tsd_fdec *d);
void tsd_fdec_free(tsd_fdec *d);
/* Decode what starts at buf (avail bytes, on a frame boundary). Returns a
 * TSD_FDEC_* code with *used bytes taken, or < 0 with d->err saying why
 * (*need is the bytes a frame wants for MORE). A SAMPLES frame is given
 * whole as TSD_REC_SAMPLES; pointers in *rec point into buf, which must be
 * 8-byte aligned. */
int tsd_fdec_next(tsd_fdec *d, tsd_rec *rec, size_t *used, size_t *need,
		  const unsigned char *buf, size_t avail);

#endif
