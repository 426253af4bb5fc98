/* stream.h: read and write record streams, CSV or binary frames.
 *
 * A reader detects the format from the first bytes: a binary stream starts
 * with the byte 0x89 (see frame.h), decoded by framecodec.h; anything else
 * is CSV, split by csvcodec.h. This module owns the file descriptor, its
 * buffering, format detection and the per-series order checks. CSV shapes (told apart by the header line, or by the first row
 * when there is no header):
 *
 *   single  time,value            one series (NAB's timestamp,value)
 *   wide    time,s1,s2,...        one column per series
 *   long    series,time,value     one row per sample
 *   coef    series,window,kind,level,index,t0,t1,value,score
 *                                 wavelet coefficient streams (dwt output)
 *
 * Lines starting with '#' are comments; '#tsd ' comments carry control
 * records (source positions) in CSV streams. An empty value field is a
 * missing sample (no record); "nan" is missing too; inf is an error.
 * A gap marker (a break in a series: an outage) is a sample whose value is
 * NaN; writers write it with an empty value, and readers return it only
 * when asked (opts.gaps), else it is a missing sample as before.
 * CRLF line ends and a UTF-8 byte-order mark are accepted.
 *
 * Errors: tsd_reader_next returns a negative code and
 * tsd_reader_errmsg() gives "FILE:LINE: message".
 */
#ifndef TSD_STREAM_H
#define TSD_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "csvcodec.h"
#include "frame.h"
#include "record.h"
#include "series.h"
#include "tstime.h"

enum tsd_shape {
	TSD_SHAPE_AUTO = 0,
	TSD_SHAPE_SINGLE = 1,
	TSD_SHAPE_WIDE = 2,
	TSD_SHAPE_LONG = 3,
	TSD_SHAPE_COEF = 4,
};

enum tsd_format { TSD_FMT_AUTO = 0, TSD_FMT_CSV = 1, TSD_FMT_BIN = 2 };

/* How the reader treats per-series time order. */
enum tsd_order {
	TSD_ORDER_STRICT = 0,  /* times must increase: earlier or equal is an error */
	TSD_ORDER_DUPOK = 1,   /* equal times allowed, earlier is an error */
	TSD_ORDER_ANY = 2,     /* no check */
	TSD_ORDER_DROP = 3,    /* drop a sample not later than its series' last
	                        * one, and count it (tsd_reader_dropped) */
};

typedef struct {
	const char *name;      /* file name for messages ("-" is stdin) */
	int delim;             /* 0: detect ',' ';' or tab from the first line */
	int time_unit;         /* TSD_T_AUTO, or S/MS/US/NS for integer times */
	const char *rename;    /* series name for single-series input */
	int order;             /* enum tsd_order */
	tsd_series_tab *tab;   /* series names; shared with writers */
	int slow_csv;          /* every line through the general record finder (no fast path) */
	int runs;              /* return binary sample runs as TSD_REC_SAMPLES */
	int gaps;              /* return gap markers as samples with a NaN value:
	                        * an empty value in a single or long CSV row, a
	                        * NaN in binary (dropped otherwise) */
} tsd_reader_opts;

typedef struct tsd_reader tsd_reader;

int tsd_reader_open(tsd_reader **r, int fd, const tsd_reader_opts *o);
/* 1: a record; 0: end of input; < 0: error (see tsd_reader_errmsg). */
int tsd_reader_next(tsd_reader *r, tsd_rec *rec);
const char *tsd_reader_errmsg(const tsd_reader *r);
/* The style seen so far (time style, shape, time column name). */
const tsd_style *tsd_reader_style(const tsd_reader *r);
int tsd_reader_format(const tsd_reader *r);
/* The input line of the sample just returned, when it was the only record
 * of an unquoted comma-separated line of long ("series,time,value") or
 * single ("time,value") shape, without its line end; *has_series says
 * which. NULL otherwise. Valid until the next tsd_reader_next. Lets a tool
 * pass a valid line on as it came instead of formatting it again. */
const char *tsd_reader_line(const tsd_reader *r, size_t *len, int *has_series);
/* "FILE:LINE" (CSV) or "FILE: frame N" (binary) of the last record read. */
const char *tsd_reader_where(tsd_reader *r);
/* Called before the reader would block waiting for input (flush output). */
void tsd_reader_on_idle(tsd_reader *r, int (*fn)(void *), void *arg);
/* Forget the last time of a series: its next sample is checked against
 * nothing (a source replays the series after a rebalance, see ctlq.h). */
void tsd_reader_forget(tsd_reader *r, uint32_t series);
/* Samples dropped by TSD_ORDER_DROP so far, and the line of the first. */
uint64_t tsd_reader_dropped(const tsd_reader *r, long *first_line);
void tsd_reader_close(tsd_reader *r);

typedef struct {
	int format;            /* TSD_FMT_CSV or TSD_FMT_BIN */
	int delim;             /* CSV: ',' by default */
	tsd_style style;       /* time style, shape and time column name */
	int header;            /* CSV: write a header line (default 1 via tsd_writer_defaults) */
	int precision;         /* CSV: significant digits, 0 = shortest exact */
	tsd_series_tab *tab;
} tsd_writer_opts;

typedef struct tsd_writer tsd_writer;

void tsd_writer_defaults(tsd_writer_opts *o);
int tsd_writer_open(tsd_writer **w, int fd, const tsd_writer_opts *o);
int tsd_writer_put(tsd_writer *w, const tsd_rec *rec);
/* Change the style while only CONTROL records have been written (the
 * style of a stream is known at its first sample); TSD_EINVAL after. */
int tsd_writer_set_style(tsd_writer *w, const tsd_style *st);
int tsd_writer_sample(tsd_writer *w, uint32_t series, int64_t t, double v);
int tsd_writer_flush(tsd_writer *w);
/* Flush, then free. Returns the first error met (a failed write). */
int tsd_writer_close(tsd_writer *w);
const char *tsd_writer_errmsg(const tsd_writer *w);

#endif
