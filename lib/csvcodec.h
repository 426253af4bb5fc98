/* csvcodec.h: CSV text on memory buffers: numbers, fields and lines.
 *
 * Everything here works on bytes in memory and knows nothing of file
 * descriptors: the stream reader and writer (stream.c) and the Kafka
 * payload code (kafka.c) both call it, as do the tools that read small
 * CSV files of their own (labels, SAX words).
 *
 * Numbers: tsd_scan_double reads a whole field strictly; tsd_format_double
 * prints the shortest decimal that reads back as the same double (as %.15g
 * when that is exact, else %.16g or %.17g, with the same notation).
 *
 * Splitting (tsd_csv_split) follows RFC 4180 with the conventions of
 * libcsv's strict mode that the readers have always had: a field may be
 * double-quoted, a quote inside it written twice, a quoted field may hold
 * the delimiter and line ends; with TSD_CSV_TRIM, spaces and tabs around
 * unquoted fields (only spaces when the delimiter is a tab) are dropped; a
 * quote inside an unquoted field, or text after a closing quote, is an
 * error.
 */
#ifndef TSD_CSVCODEC_H
#define TSD_CSVCODEC_H

#include <stddef.h>
#include <stdint.h>

#include "coefwin.h"
#include "record.h"
#include "tstime.h"

/* Longest text tsd_format_double writes, with its NUL. */
#define TSD_DOUBLE_MAX 32

/* Strict, fast decimal parser for a whole field; TSD_EFORMAT otherwise. */
int tsd_scan_double(double *v, const char *s, size_t len);
/* Shortest text that reads back as the same double (precision 0), or
 * %.*g with precision significant digits; writes at most TSD_DOUBLE_MAX
 * bytes with the NUL; returns the length. */
int tsd_format_double(char *buf, double v, int precision);

/* s (n bytes) as one CSV field in d: as it is, or in double quotes (inner
 * quotes doubled) when it holds delim, a quote or a line end. Writes at
 * most 2 * n + 2 bytes, no NUL; returns how many. */
size_t tsd_csv_field(char *d, const char *s, size_t n, int delim);

/* ---- splitting records into fields */
#define TSD_CSV_TRIM 0x01      /* trim spaces (and tabs) around unquoted fields */

typedef struct {
	char *buf;                 /* field bytes, each NUL-terminated */
	size_t cap, len;
	size_t *off;               /* (n) start of each field in buf */
	size_t *flen;              /* (n) its length */
	size_t n, fcap;
	const char *why;           /* what was wrong when a split failed */
} tsd_csvrow;

/* The length of the record starting at s (avail bytes), through its line
 * end: a line end inside a quoted field does not end it. 0 when the record
 * does not end within avail (more input needed, or at the end of input the
 * record is the rest, len = avail, if *open is 0; *open is set when a
 * quoted field is still open). A lone CR ends a record as LF does. */
size_t tsd_csv_record_len(const char *s, size_t avail, int delim, int *open);
/* Split one record of len bytes (its line end, if any, is dropped) into
 * row. Returns the number of fields (0 for an empty line), TSD_EFORMAT for
 * bad quoting, TSD_ENOMEM. */
int tsd_csv_split(tsd_csvrow *row, const char *s, size_t len, int delim, int flags);
void tsd_csvrow_free(tsd_csvrow *row);

/* ---- a line's delimiters in one pass: where the Kafka payload decoder
 * (kafka.c) finds the fields of a line it reads in place */
typedef struct {
	const char *end;           /* the line's '\n', or the end of the buffer */
	const char *delim[3];      /* its first three delimiters (ndelim of them) */
	size_t ndelim;             /* how many delimiters it holds in all */
	int quoted;                /* it holds a '"' (then split it with tsd_csv_split) */
} tsd_csvline;

/* Scan the line that starts at s, up to its '\n' or e. */
void tsd_csv_line_scan(tsd_csvline *l, const char *s, const char *e, int delim);

/* ---- records as lines (the writer's shapes, see stream.h) */
typedef struct {
	int delim;
	int precision;         /* significant digits, 0 = shortest exact */
	const tsd_tstyle *tstyle;
} tsd_csvenc;

/* Room one line of a series named by nl bytes may take. */
#define TSD_CSV_LINE_MAX(nl) (2 * (size_t)(nl) + 4 * TSD_TIME_MAX + 2 * TSD_DOUBLE_MAX + 64)

/* Each writes one line with its '\n' into d (TSD_CSV_LINE_MAX(nl) bytes)
 * and returns its length (a NaN sample value, a gap marker, is an empty
 * field). name NULL: a sample line without the series
 * column ("time,value"). A coefficient line is coefficient i of run c,
 * with the time span pl gives it (pl: set from the window's header). */
size_t tsd_csv_sample_line(char *d, const tsd_csvenc *e, const char *name, size_t nl, int64_t t, double v);
size_t tsd_csv_window_line(char *d, const tsd_csvenc *e, const char *name, size_t nl, const tsd_window *w);
size_t tsd_csv_times_line(char *d, const tsd_csvenc *e, const char *name, size_t nl, const tsd_times *ts, uint32_t i);
size_t tsd_csv_coef_line(char *d, const tsd_csvenc *e, const char *name, size_t nl, const tsd_coefs *c,
			 uint32_t i, const tsd_coef_place *pl);
/* series,window,E,,,,,lo,hi: the range in the value and score fields,
 * written exactly (shortest round trip), or empty when unknown */
size_t tsd_csv_end_line(char *d, const tsd_csvenc *e, const char *name, size_t nl, const tsd_end *end);

static inline const char *tsd_csvrow_field(const tsd_csvrow *row, size_t i) { return row->buf + row->off[i]; }

#endif
