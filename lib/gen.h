/* gen.h: deterministic synthetic time series with labelled events, for
 * tsgen and for tests.
 *
 * Each series is
 *
 *	v(t) = level_i + shifts_i(t) + trend * dt / 1 day
 *	       + amplitude * sin(2 pi (dt mod period) / period + phase_i)
 *	       + noise_sd * N(0, 1) + spikes_i(t) + x_i(t)
 *
 * x_i is a slow process, an AR(1) (discrete Ornstein-Uhlenbeck) with
 * stationary standard deviation process_sd and time constant process_tau
 * samples, started from its stationary law; 0 when process_sd is 0. When
 * quantum > 0 every value is rounded to the nearest multiple of quantum,
 * as a sensor's converter does (after spikes, before dropouts).
 * tsd_gen_plant() sets the "plant" family: 1 Hz, no season, a slow
 * process under measurement noise, quantised, with steps and spikes.
 *
 * with dt = t - start, level_i = level + level_sd * N(0, 1) and phase_i
 * uniform in [0, 2 pi), both drawn per series. Events, each at a rate per
 * sample:
 *
 *	spike      one sample moved by +-spike_amp * noise_sd (by +-spike_amp
 *	           when noise_sd is 0), sign random
 *	shift      the level moves by +-shift_size from this sample on
 *	dropout    a run (mean dropout_len samples, geometric) whose values
 *	           are 0, missing (NaN, p->missing set) or held at the value
 *	           the run started on, by dropout_mode
 *	gap        a run (mean gap_len samples) of timestamps with no point
 *
 * Runs exclude each other and every other event: while a dropout or gap
 * runs, spikes and shifts due are dropped (and counted as not happened).
 * A gap never starts on a series' last step nor right after another gap,
 * so it is always reported by a following point; runs are cut to end by
 * the last step.
 *
 * Randomness: every series has its own streams, derived from (seed, series
 * index) alone: a xoshiro256** stream for the noise and one splitmix64
 * stream per event kind. So series i is the same whatever nseries is, and
 * switching one kind of event on or off leaves the noise and the other
 * kinds where they were (except that runs suppress events). Memory is
 * O(nseries), whatever the number of points.
 */
#ifndef TSD_GEN_H
#define TSD_GEN_H

#include <stddef.h>
#include <stdint.h>

/* Event kinds, as bits of tsd_gen_point.begin and .end. */
enum {
	TSD_GEN_EV_SPIKE = 1,
	TSD_GEN_EV_SHIFT = 2,
	TSD_GEN_EV_DROPOUT = 4,
	TSD_GEN_EV_GAP = 8,
};

/* What a dropout run shows. */
enum {
	TSD_GEN_DROP_ZERO = 0,	/* value stuck at 0 */
	TSD_GEN_DROP_MISSING,	/* point emitted without a value */
	TSD_GEN_DROP_HOLD,	/* value stuck where the run began */
};

typedef struct tsd_gen_config {
	uint64_t seed;
	size_t nseries;		/* >= 1 */
	uint64_t npoints;	/* time steps per series; 0: unbounded */
	int64_t start;		/* first timestamp, ns since the epoch */
	int64_t step;		/* ns between steps, > 0 */
	double level;		/* base level */
	double level_sd;	/* spread of the per-series base level */
	double trend;		/* level change per day (86400 s) */
	int64_t period;		/* seasonal period in ns; 0: no season */
	double amplitude;	/* seasonal amplitude */
	double noise_sd;	/* standard deviation of the Gaussian noise */
	double spike_rate;	/* probability per sample, 0..1 */
	double spike_amp;	/* spike size in noise standard deviations */
	double shift_rate;	/* probability per sample, 0..1 */
	double shift_size;	/* level shift size, value units, >= 0 */
	double dropout_rate;	/* probability per sample that a run starts */
	double dropout_len;	/* mean run length in samples, >= 1 */
	int dropout_mode;	/* TSD_GEN_DROP_* */
	double gap_rate;	/* probability per sample that a gap starts */
	double gap_len;		/* mean gap length in samples, >= 1 */
	double process_sd;	/* slow process: stationary sd, >= 0 */
	double process_tau;	/* its time constant in samples, >= 1 */
	double quantum;		/* value resolution; 0: none */
} tsd_gen_config;

typedef struct tsd_gen_point {
	size_t series;		/* 0..nseries-1 */
	uint64_t step;		/* time step index: t = start + step * step_ns */
	int64_t t;		/* ns since the epoch */
	double v;		/* NaN when missing */
	int missing;		/* dropout in TSD_GEN_DROP_MISSING mode */
	unsigned begin;		/* TSD_GEN_EV_* events starting at this point */
	unsigned end;		/* TSD_GEN_EV_* events ending at this point */
	/* Labels from the end bits alone: spike and shift (t, t); dropout
	 * (dropout_start, t); gap (gap_start, gap_end), the first and last
	 * skipped timestamps just before this point (gap points don't exist,
	 * so GAP is set in both begin and end of the point after). */
	int64_t dropout_start;
	int64_t gap_start, gap_end;
} tsd_gen_point;

typedef struct tsd_gen tsd_gen;

/* Defaults: one series of 1440 one-minute steps from 2024-01-01T00:00Z,
 * level 10, daily season of amplitude 1, noise 0.1, no trend, and rare
 * spikes (1e-3, 8 sigma), shifts (1e-4, size 2), zero dropouts (1e-4,
 * 10 samples) and gaps (1e-4, 10 samples). */
void tsd_gen_defaults(tsd_gen_config *c);

/* The plant family over the defaults: step 1 s, no season, level 50,
 * slow process sd 2 with a 600-sample time constant, noise 0.3,
 * quantum 0.1, spikes 2e-4 (8 sigma), steps 2e-4 (size 3), no dropouts
 * or gaps. */
void tsd_gen_plant(tsd_gen_config *c);

/* Check c and allocate a generator. On TSD_EINVAL / TSD_ERANGE a message
 * naming the bad field goes into errbuf (if not NULL). Also TSD_ENOMEM. */
int tsd_gen_new(tsd_gen **g, const tsd_gen_config *c, char *errbuf,
		size_t errlen);
void tsd_gen_free(tsd_gen *g);

/* The next point in time-major order (every series at step 0, then every
 * series at step 1, ...), skipping gaps. Returns 1 with *p filled, 0 at
 * the end, TSD_ERANGE when an unbounded run's timestamps would overflow. */
int tsd_gen_next(tsd_gen *g, tsd_gen_point *p);

/* "spike", "shift", "dropout", "gap" for one TSD_GEN_EV_* bit; NULL
 * otherwise. */
const char *tsd_gen_event_name(unsigned kind);

#endif
