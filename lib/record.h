/* record.h: the records that flow between tools.
 *
 * A stream is a sequence of records of these kinds, many series
 * interleaved (series are small ids from a tsd_series_tab):
 *
 *   SAMPLE   one observation (series, t, v)
 *   WINDOW   start of one transformed window of a series: its sample
 *            count, time span, wavelet, boundary mode and levels
 *   TIMES    the sample times of a window whose spacing is not uniform
 *   COEF     a run of wavelet coefficients of one level and kind, with
 *            optional importance scores
 *   END      end of one window of a series (its coefficients are complete)
 *   CONTROL  a source position (e.g. Kafka topic/partition/offset) that
 *            travels with the data so a sink can commit exactly once, or
 *            the revocation of a source partition
 *
 * Pointers inside a record (times, values, scores, topic) stay valid only
 * until the next call that reads a record.
 */
#ifndef TSD_RECORD_H
#define TSD_RECORD_H

#include <stdint.h>

enum tsd_rec_kind {
	TSD_REC_SAMPLE = 1,
	TSD_REC_WINDOW = 2,
	TSD_REC_TIMES = 3,
	TSD_REC_COEF = 4,
	TSD_REC_END = 5,
	TSD_REC_CONTROL = 6,
	TSD_REC_SAMPLES = 7,   /* a run of samples of one series (readers
	                        * return these only when asked: opts.runs) */
};

enum { TSD_COEF_A = 0, TSD_COEF_D = 1 };

/* coefficient run flags */
#define TSD_COEF_SCORED 0x01   /* score[] is present */
#define TSD_COEF_SELECTED 0x02 /* a selector (thresh) has already dropped what it did not keep */

/* window flags */
#define TSD_WIN_IRREGULAR 0x01 /* a TIMES record with all n times follows */
#define TSD_WIN_SELECTED 0x02  /* coefficients of this window passed a selector */
#define TSD_WIN_GAP 0x04       /* a gap (outage) in the series comes just before
                                * this window: no line joins it to the last one */

#define TSD_WAVELET_NAME 8
#define TSD_MODE_NAME 16

typedef struct {
	uint32_t series;
	uint32_t n;            /* samples in the window */
	int64_t window;        /* window number: count-based index or time bucket */
	int64_t t_first;       /* time of the first and last sample (ns) */
	int64_t t_last;
	uint8_t levels;        /* J */
	uint8_t flags;
	char wavelet[TSD_WAVELET_NAME]; /* NUL-padded */
	char mode[TSD_MODE_NAME];       /* NUL-padded */
	/* the range of the window's samples, when known (has_range): it
	 * travels in the END record (dwt knows it when it writes the window;
	 * a reader learns it at the END), so that merge keeps the reduced
	 * series within it. Not part of the WINDOW record's encoding. */
	uint8_t has_range;
	double lo, hi;
} tsd_window;

/* The END of a window: with has_range, the smallest and largest of the
 * window's samples (as tsd_window). */
typedef struct {
	uint32_t series;
	int64_t window;
	uint8_t has_range;
	double lo, hi;
} tsd_end;

typedef struct {
	uint32_t series;
	uint32_t count;
	int64_t window;
	const int64_t *t;      /* (count) */
} tsd_times;

typedef struct {
	uint32_t series;
	uint8_t level;         /* 1..J; the approximation has level J */
	uint8_t kind;          /* TSD_COEF_A or TSD_COEF_D */
	uint8_t flags;
	int64_t window;
	uint32_t start;        /* index of the first coefficient in its level */
	uint32_t count;
	const double *v;       /* (count) */
	const float *score;    /* (count) when TSD_COEF_SCORED, else NULL */
} tsd_coefs;

/* Kinds of CONTROL records (text forms in lib/position.h):
 *   POSITION  the next offset to read from a partition: everything before
 *             it is in the records before this one
 *   REVOKE    the partition has left this source (a rebalance moved it,
 *             or its assignment was lost): a windowing tool discards the
 *             open windows and held positions of the partition's series,
 *             since whoever reads the partition next (this source again,
 *             or another) starts again from its committed offset
 *   SAVE      what a stage carries from window to window for one series
 *             (thresh --ratio's budget, merge's fit), written just before
 *             a position so that a sink stores it with that position
 *   LOAD      the same, read back from a store after a seek (tsconsume
 *             --positions): the stage it names takes it and drops it
 *   GROUP     the consumer group generation that the positions after it
 *             were read in (tsconsume -G writes one after each
 *             assignment): a transactional sink commits those positions
 *             with it, so that a broker refuses them once a newer
 *             generation owns the partitions (KIP-447); every other tool
 *             passes it on at once
 * SAVE, LOAD and GROUP carry their text (lib/position.h) in topic,
 * topic_len; partition and offset are 0. */
enum { TSD_CTL_POSITION = 1, TSD_CTL_REVOKE = 2, TSD_CTL_SAVE = 3, TSD_CTL_LOAD = 4, TSD_CTL_GROUP = 5 };

/* A run of samples of one series in increasing time. Times are t[i], or
 * t0 + i * dt when t is NULL (evenly spaced). */
typedef struct {
	uint32_t series;
	uint32_t count;
	const int64_t *t;      /* (count) or NULL */
	int64_t t0, dt;
	const double *v;       /* (count) */
} tsd_samples;

typedef struct {
	uint16_t what;         /* TSD_CTL_* */
	uint16_t topic_len;
	int32_t partition;
	int64_t offset;        /* the next offset to consume from there */
	const char *topic;     /* (topic_len), not NUL-terminated */
} tsd_control;

typedef struct {
	int kind;              /* enum tsd_rec_kind */
	union {
		struct {
			uint32_t series;
			int64_t t;
			double v;
		} s;
		tsd_window w;
		tsd_times ts;
		tsd_coefs c;
		tsd_end e;
		tsd_control k;
		tsd_samples r;
	};
} tsd_rec;

#endif
