/* kafka.h: what the Kafka tools (tsconsume, tsproduce) share that does not
 * need librdkafka itself: client properties from -X and -F, and the payload
 * of one Kafka message, decoded into records or encoded from them.
 *
 * Payloads (see tsconsume(1)):
 *   CSV     one or more lines "series,time,value", or "time,value" whose
 *           series is the message key (or, without a key, a name the
 *           caller gives, e.g. the topic). Lines starting with '#' and a
 *           header line (last field "value") are skipped; an empty value
 *           or "nan" is a missing sample. What plain kcat writes and reads.
 *   binary  a tsdown frame stream (tsd-frames(5)): stream header, NAME
 *           frames, then SAMPLES, or WINDOW .. END of one window. Told
 *           apart from CSV by its first byte 0x89.
 * tsproduce writes one message per output sample, or per batch of samples
 * of one series (tsd_kenc_set_batch), or per window of coefficients
 * (binary only), keyed by the series name.
 */
#ifndef TSD_KAFKA_H
#define TSD_KAFKA_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "series.h"
#include "tstime.h"

/* ---- client properties, in the order given; a later value of the same
 * name replaces the earlier one */
typedef struct tsd_kconf tsd_kconf;

int tsd_kconf_new(tsd_kconf **c);
void tsd_kconf_free(tsd_kconf *c);
int tsd_kconf_add(tsd_kconf *c, const char *name, const char *value);
/* "name=value" as -X takes it; TSD_EINVAL with a message when malformed. */
int tsd_kconf_set(tsd_kconf *c, const char *arg, char *errbuf, size_t errlen);
/* A properties file as -F takes it: name=value lines, blank lines and lines
 * starting with '#' skipped, spaces around name and value trimmed.
 * TSD_EIO (errno set) or TSD_EFORMAT ("FILE:LINE: ...") on failure. */
int tsd_kconf_file(tsd_kconf *c, const char *path, char *errbuf, size_t errlen);
size_t tsd_kconf_count(const tsd_kconf *c);
void tsd_kconf_item(const tsd_kconf *c, size_t i, const char **name, const char **value);
/* The value of name, or NULL. */
const char *tsd_kconf_get(const tsd_kconf *c, const char *name);
/* Remove name; 1 if it was there. */
int tsd_kconf_take(tsd_kconf *c, const char *name);

/* ---- decoding one message payload into records */
typedef struct tsd_kdec tsd_kdec;

int tsd_kdec_new(tsd_kdec **d, tsd_series_tab *tab, int time_unit);
void tsd_kdec_free(tsd_kdec *d);
/* Start on one payload. name (namelen bytes) is the series of "time,value"
 * lines (the key, or a caller's default); NULL: such lines are errors. */
int tsd_kdec_open(tsd_kdec *d, const void *payload, size_t len, const char *name, size_t namelen);
/* 1: a record in *rec (pointers valid until the next call); 0: the end of
 * the payload; < 0: malformed, tsd_kdec_errmsg says where and why. */
int tsd_kdec_next(tsd_kdec *d, tsd_rec *rec);
const char *tsd_kdec_errmsg(const tsd_kdec *d);
/* The CSV line (without its line end) of the last sample returned, inside
 * the payload; *keyed: it was "time,value" named by the key. NULL for a
 * binary payload. Lets a tool copy valid lines instead of reformatting. */
const char *tsd_kdec_raw(const tsd_kdec *d, size_t *len, int *keyed);
/* Time style of the last CSV time read (kind 0 before any). */
const tsd_tstyle *tsd_kdec_tstyle(const tsd_kdec *d);

/* ---- encoding records into message payloads */
enum { TSD_KFMT_CSV = 1, TSD_KFMT_BIN = 2 };

typedef struct tsd_kenc tsd_kenc;

/* tstyle: time style of CSV payloads, read at every call (so the caller may
 * change it); precision as for tsd_writer (0 = shortest exact). */
int tsd_kenc_new(tsd_kenc **e, int format, const tsd_series_tab *tab,
		 const tsd_tstyle *tstyle, int precision);
void tsd_kenc_free(tsd_kenc *e);
/* Add a data record (not CONTROL) to the message being built. 1: the
 * message is complete (a SAMPLE, or the END of a window): take it with
 * tsd_kenc_data, and the next put starts a new one; 0: more records
 * belong to it; TSD_EUNSUP: coefficients in a CSV payload; TSD_EFORMAT:
 * records of a window out of order. */
int tsd_kenc_put(tsd_kenc *e, const tsd_rec *rec);
/* A CSV sample given as its line: "series,time,value" (has_series) or
 * "time,value" of series (tsd_reader_line()), copied as it is (the series
 * name is put in front of a "time,value" line). Returns as tsd_kenc_put;
 * TSD_EUNSUP for binary payloads. */
int tsd_kenc_put_line(tsd_kenc *e, uint32_t series, const char *line, size_t len, int has_series);
/* Samples per message (default 1). Above 1, the samples of each series
 * gather in a message of their own, completed (tsd_kenc_put returns 1)
 * when it holds n; tsd_kenc_flush completes those that hold fewer.
 * Windows stay one per message; flush before putting one. */
void tsd_kenc_set_batch(tsd_kenc *e, size_t n);
/* Complete one message of samples still gathering: 1 when one is ready
 * (take it with tsd_kenc_data), 0 when none is left. */
int tsd_kenc_flush(tsd_kenc *e);
/* Samples gathering in messages not yet complete. */
size_t tsd_kenc_pending(const tsd_kenc *e);
const void *tsd_kenc_data(const tsd_kenc *e, size_t *len);
/* Series of the complete message (its key). */
uint32_t tsd_kenc_series(const tsd_kenc *e);

#endif
