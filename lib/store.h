/* store.h: samples and source positions in a database, SQLite or
 * PostgreSQL, behind one small interface (tsd-store(5) has the schema).
 *
 * A database is named by a string: "sqlite:PATH" (a file; WAL mode), or a
 * PostgreSQL connection string (conninfo "host=... dbname=..." or URI
 * "postgresql://..."). Opening creates the tables when they are missing.
 *
 * Writing: rows (series, time, value) and positions (topic, partition,
 * next offset) gather in one open transaction; tsd_store_commit makes them
 * durable together. A row upserts by (series, time), so writing the same
 * rows again (a replay after a crash) rewrites them and never duplicates.
 * A failed commit leaves nothing of that transaction in the database.
 *
 *     tsd_store_row(s, "m1", 2, t, v)       ...rows
 *     tsd_store_pos(s, "in", 2, 0, 1234)    the position after them
 *     tsd_store_commit(s)                   both, or neither
 *
 * Reading: tsd_store_series lists the series whose names match a glob
 * (*, ?, [...]); tsd_store_query then tsd_store_next walk one series'
 * rows in a time range in time order, through its (series, time) index.
 *
 * Errors: a negative TSD_E* code; tsd_store_errmsg says what the database
 * said. TSD_EFORMAT: the database refused a row (tsd_store_bad_row names
 * it); TSD_EIO: the database is unreachable or failed.
 */
#ifndef TSD_STORE_H
#define TSD_STORE_H

#include <stddef.h>
#include <stdint.h>

typedef struct tsd_store tsd_store;

typedef struct {
	int64_t busy_ms;   /* SQLite: wait this long for a lock held by another
	                    * process (busy timeout) */
	int64_t retry_ms;  /* PostgreSQL: when the connection is lost, keep
	                    * reconnecting (with backoff) and redo the open
	                    * transaction for this long; 0: fail at once */
} tsd_store_opts;

void tsd_store_defaults(tsd_store_opts *o);
/* Connect or open, and create the tables that are missing. On failure
 * *s is NULL and errbuf says why. */
int tsd_store_open(tsd_store **s, const char *db, const tsd_store_opts *o, char *errbuf, size_t errlen);
/* Roll back what is not committed, and disconnect. */
void tsd_store_close(tsd_store *s);
/* "sqlite" or "postgresql". */
const char *tsd_store_kind(const tsd_store *s);
const char *tsd_store_errmsg(const tsd_store *s);

/* ---- writing */
/* Add a row to the open transaction (one is begun when none is open). */
int tsd_store_row(tsd_store *s, const char *series, size_t len, int64_t t, double v);
/* Add a position: the next offset of (topic, partition) to read. */
int tsd_store_pos(tsd_store *s, const char *topic, size_t len, int32_t partition, int64_t offset);
/* Rows and positions added since the last commit. */
uint64_t tsd_store_pending(const tsd_store *s);
/* Commit the open transaction (nothing to do: 0). */
int tsd_store_commit(tsd_store *s);
/* Drop the open transaction. */
int tsd_store_rollback(tsd_store *s);
/* After TSD_EFORMAT: the refused row, counted from 0 among the rows of the
 * transaction (-1: unknown), with its values. */
int64_t tsd_store_bad_row(const tsd_store *s, const char **series, size_t *len, int64_t *t, double *v);
/* Times the connection was lost and the transaction redone. */
unsigned tsd_store_retries(const tsd_store *s);

/* ---- carried state (tool/carry.h): a stage's state of one series, the
 * TEXT of a SAVE record (lib/position.h), kept with the positions */
/* Add it to the open transaction; it is stored, keyed by its stage and
 * series, when the transaction commits (a later one of the same key in the
 * same transaction replaces it). 0, TSD_EFORMAT (not STAGE LEN:NAME DATA),
 * TSD_ENOMEM. */
int tsd_store_carry(tsd_store *s, const char *text, size_t n);
/* Every stored one: fn(text, n, arg), in any order, until fn returns
 * nonzero. 0 or an error. */
int tsd_store_carries(tsd_store *s, int (*fn)(const char *text, size_t n, void *arg), void *arg);

/* ---- positions */
/* 1: the stored next offset of (topic, partition) is in *offset; 0: none. */
int tsd_store_get_pos(tsd_store *s, const char *topic, int32_t partition, int64_t *offset);

/* ---- reading */
/* The names of the series matching glob (NULL: all), sorted; free them
 * with tsd_store_names_free. */
int tsd_store_series(tsd_store *s, const char *glob, char ***names, size_t *n);
void tsd_store_names_free(char **names, size_t n);
/* Start reading the rows of one series with from <= time < to. */
int tsd_store_query(tsd_store *s, const char *series, int64_t from, int64_t to);
/* 1: a row; 0: no more; < 0: error. */
int tsd_store_next(tsd_store *s, int64_t *t, double *v);

#endif
