/* gen.c: the synthetic series generator behind tsgen: own PRNGs
 * (splitmix64, xoshiro256**), polar Gaussian, event scheduling. */
#include "gen.h"
#include "bytes.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "tsd.h"

#define NS_PER_DAY 86400e9
#define NEVER UINT64_MAX

/* event streams, one per kind, in this order */
enum { K_SPIKE, K_SHIFT, K_DROP, K_GAP, NKIND };

struct series {
	uint64_t xs[4];		/* xoshiro256** state: noise */
	uint64_t ev[NKIND];	/* splitmix64 states: event streams */
	uint64_t next[NKIND];	/* step of the next due event per kind */
	double level;		/* base level plus shifts so far */
	double phase;		/* seasonal phase, radians */
	double spare;		/* second polar Gaussian */
	double hold;		/* value a HOLD dropout is stuck at */
	double proc;		/* slow process state */
	uint64_t ps;		/* splitmix64 state: slow process */
	uint64_t run_left;	/* samples left in the current run */
	int run;		/* 0, K_DROP or K_GAP */
	int has_spare;
	int after_gap;		/* this step reports a gap */
	int64_t run_start;	/* first timestamp of the current run */
	int64_t gap_start, gap_end;
};

struct tsd_gen {
	tsd_gen_config c;
	double trend_ns;	/* trend per ns of dt */
	double spike_size;
	double rate[NKIND], len[NKIND];
	uint64_t k;		/* current step */
	int64_t t;		/* its timestamp */
	size_t i;		/* next series at step k */
	int overflow;		/* t + step would overflow */
	struct series *s;	/* (nseries) */
};

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t xoshiro(uint64_t *s)
{
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

/* uniform in [0, 1) with 53 random bits */
static inline double u01(uint64_t r)
{
	return (double)(r >> 11) * 0x1p-53;
}

/* Marsaglia's polar method: two N(0, 1) per accepted pair */
static double gauss(struct series *s)
{
	double u, v, q, f;

	if (s->has_spare) {
		s->has_spare = 0;
		return s->spare;
	}
	do {
		u = 2 * u01(xoshiro(s->xs)) - 1;
		v = 2 * u01(xoshiro(s->xs)) - 1;
		q = u * u + v * v;
	} while (q >= 1 || q == 0);
	f = sqrt(-2 * log(q) / q);
	s->spare = v * f;
	s->has_spare = 1;
	return u * f;
}

/* Failures before the first success of a Bernoulli(p) sequence: the wait
 * to the next event. NEVER when p is 0 or the wait is astronomical. */
static uint64_t geometric(uint64_t *st, double p)
{
	double w;

	if (p <= 0)
		return NEVER;
	if (p >= 1)
		return 0;
	w = floor(log(1 - u01(tsd_rng_next(st))) / log1p(-p));
	return w < 0x1p62 ? (uint64_t)w : NEVER;
}

/* A run length >= 1 with the given mean (geometric on 1, 2, ...). */
static uint64_t run_length(uint64_t *st, double mean)
{
	uint64_t w;

	if (mean <= 1)
		return 1;
	w = geometric(st, 1 / mean);
	return w == NEVER ? NEVER : w + 1;
}

/* one N(0, 1) from a splitmix64 stream (Box-Muller, one of the pair) */
static double pgauss(uint64_t *st)
{
	double u = u01(tsd_rng_next(st)), w = u01(tsd_rng_next(st));

	return sqrt(-2 * log(1 - u)) * cos(2 * M_PI * w);
}

static void schedule(struct tsd_gen *g, struct series *s, int kind,
		     uint64_t from)
{
	uint64_t w = geometric(&s->ev[kind], g->rate[kind]);

	s->next[kind] = w == NEVER || w > NEVER - from ? NEVER : from + w;
}

static void series_init(struct tsd_gen *g, struct series *s, size_t idx)
{
	uint64_t x = g->c.seed, y;
	double u, w;
	int j;

	/* (seed, idx) -> a stream seed: hash the seed, then hash again
	 * with the index folded in, so neighbouring seeds and indices
	 * land far apart */
	y = tsd_rng_next(&x);
	x = y ^ ((uint64_t)idx * 0xd1342543de82ef95ull);
	(void)tsd_rng_next(&x);
	for (j = 0; j < 4; j++)
		s->xs[j] = tsd_rng_next(&x);
	for (j = 0; j < NKIND; j++)
		s->ev[j] = tsd_rng_next(&x);
	s->phase = 2 * M_PI * u01(tsd_rng_next(&x));
	/* Box-Muller for the level offset, off the noise stream */
	u = u01(tsd_rng_next(&x));
	w = u01(tsd_rng_next(&x));
	s->level = g->c.level + g->c.level_sd * sqrt(-2 * log(1 - u)) * cos(2 * M_PI * w);
	/* the slow process has its own stream, drawn after the others so
	 * every series without it is as before */
	s->ps = tsd_rng_next(&x);
	s->proc = g->c.process_sd * pgauss(&s->ps);
	s->has_spare = 0;
	s->run = 0;
	s->run_left = 0;
	s->after_gap = 0;
	for (j = 0; j < NKIND; j++)
		schedule(g, s, j, 0);
}

void tsd_gen_defaults(tsd_gen_config *c)
{
	*c = (tsd_gen_config){
		.seed = 1,
		.nseries = 1,
		.npoints = 1440,
		.start = INT64_C(1704067200) * 1000000000,
		.step = INT64_C(60) * 1000000000,
		.level = 10,
		.period = INT64_C(86400) * 1000000000,
		.amplitude = 1,
		.noise_sd = 0.1,
		.spike_rate = 1e-3,
		.spike_amp = 8,
		.shift_rate = 1e-4,
		.shift_size = 2,
		.dropout_rate = 1e-4,
		.dropout_len = 10,
		.dropout_mode = TSD_GEN_DROP_ZERO,
		.gap_rate = 1e-4,
		.gap_len = 10,
		.process_tau = 1,
	};
}

void tsd_gen_plant(tsd_gen_config *c)
{
	c->step = INT64_C(1000000000);
	c->period = 0;
	c->level = 50;
	c->process_sd = 2;
	c->process_tau = 600;
	c->noise_sd = 0.3;
	c->quantum = 0.1;
	c->spike_rate = 2e-4;
	c->spike_amp = 8;
	c->shift_rate = 2e-4;
	c->shift_size = 3;
	c->dropout_rate = 0;
	c->gap_rate = 0;
}

static int bad(char *errbuf, size_t errlen, int err, const char *what)
{
	if (errbuf && errlen)
		snprintf(errbuf, errlen, "%s", what);
	return err;
}

static int check(const tsd_gen_config *c, char *eb, size_t el)
{
	if (c->nseries == 0)
		return bad(eb, el, TSD_EINVAL, "number of series must be at least 1");
	if (c->step <= 0)
		return bad(eb, el, TSD_EINVAL, "step must be positive");
	if (c->period < 0)
		return bad(eb, el, TSD_EINVAL, "period must not be negative");
	if (!isfinite(c->level) || !isfinite(c->level_sd) || c->level_sd < 0)
		return bad(eb, el, TSD_EINVAL, "level must be finite, its spread >= 0");
	if (!isfinite(c->trend) || !isfinite(c->amplitude))
		return bad(eb, el, TSD_EINVAL, "trend and amplitude must be finite");
	if (!isfinite(c->noise_sd) || c->noise_sd < 0)
		return bad(eb, el, TSD_EINVAL, "noise must be finite and >= 0");
	if (!(c->spike_rate >= 0 && c->spike_rate <= 1) ||
	    !(c->shift_rate >= 0 && c->shift_rate <= 1) ||
	    !(c->dropout_rate >= 0 && c->dropout_rate <= 1) ||
	    !(c->gap_rate >= 0 && c->gap_rate <= 1))
		return bad(eb, el, TSD_EINVAL, "event rates must be in 0..1");
	if (!isfinite(c->spike_amp) || c->spike_amp < 0 ||
	    !isfinite(c->shift_size) || c->shift_size < 0)
		return bad(eb, el, TSD_EINVAL, "spike and shift sizes must be finite and >= 0");
	if (!(c->dropout_len >= 1 && c->dropout_len < 1e18) ||
	    !(c->gap_len >= 1 && c->gap_len < 1e18))
		return bad(eb, el, TSD_EINVAL, "run lengths must be at least 1");
	if (!isfinite(c->process_sd) || c->process_sd < 0 ||
	    !(c->process_tau >= 1 && c->process_tau < 1e18))
		return bad(eb, el, TSD_EINVAL, "process sd must be >= 0, its time constant >= 1");
	if (!isfinite(c->quantum) || c->quantum < 0)
		return bad(eb, el, TSD_EINVAL, "quantum must be finite and >= 0");
	if (c->dropout_mode < TSD_GEN_DROP_ZERO || c->dropout_mode > TSD_GEN_DROP_HOLD)
		return bad(eb, el, TSD_EINVAL, "unknown dropout mode");
	if (c->npoints) {
		/* the last timestamp start + (npoints - 1) * step must fit;
		 * INT64_MAX - start is exact in uint64_t for any start */
		uint64_t room = (uint64_t)INT64_MAX - (uint64_t)c->start;

		if (c->npoints - 1 > room / (uint64_t)c->step)
			return bad(eb, el, TSD_ERANGE,
				   "timestamps overflow: fewer points or a smaller step");
	}
	return 0;
}

int tsd_gen_new(tsd_gen **out, const tsd_gen_config *c, char *errbuf,
		size_t errlen)
{
	struct tsd_gen *g = NULL;
	size_t bytes, i;
	int err;

	if (!out || !c)
		return TSD_EINVAL;
	*out = NULL;
	err = check(c, errbuf, errlen);
	if (err)
		return err;
	if (tsd_mul_size(&bytes, c->nseries, sizeof *g->s))
		return bad(errbuf, errlen, TSD_ERANGE, "too many series");
	g = calloc(1, sizeof *g);
	if (!g)
		goto nomem;
	g->s = malloc(bytes);
	if (!g->s)
		goto nomem;
	g->c = *c;
	g->trend_ns = c->trend / NS_PER_DAY;
	g->spike_size = c->spike_amp * (c->noise_sd > 0 ? c->noise_sd : 1);
	g->rate[K_SPIKE] = c->spike_rate;
	g->rate[K_SHIFT] = c->shift_rate;
	g->rate[K_DROP] = c->dropout_rate;
	g->rate[K_GAP] = c->gap_rate;
	g->len[K_DROP] = c->dropout_len;
	g->len[K_GAP] = c->gap_len;
	g->t = c->start;
	for (i = 0; i < c->nseries; i++)
		series_init(g, &g->s[i], i);
	*out = g;
	return 0;
nomem:
	tsd_gen_free(g);
	return bad(errbuf, errlen, TSD_ENOMEM, "out of memory");
}

void tsd_gen_free(tsd_gen *g)
{
	if (!g)
		return;
	free(g->s);
	free(g);
}

const char *tsd_gen_event_name(unsigned kind)
{
	switch (kind) {
	case TSD_GEN_EV_SPIKE: return "spike";
	case TSD_GEN_EV_SHIFT: return "shift";
	case TSD_GEN_EV_DROPOUT: return "dropout";
	case TSD_GEN_EV_GAP: return "gap";
	}
	return NULL;
}

/* One series at step k, time t. Returns 1 with *p filled, 0 for a gap. */
static int step_series(struct tsd_gen *g, struct series *s, tsd_gen_point *p)
{
	const tsd_gen_config *c = &g->c;
	uint64_t k = g->k, dt = (uint64_t)g->t - (uint64_t)c->start;
	unsigned due = 0;
	double v, noise;
	int j;

	/* the noise advances on every step, points or not */
	noise = gauss(s);
	for (j = 0; j < NKIND; j++) {
		if (s->next[j] == k) {
			due |= 1u << j;
			schedule(g, s, j, k + 1);
		}
	}
	p->begin = p->end = 0;
	p->missing = 0;
	p->dropout_start = p->gap_start = p->gap_end = 0;
	if (s->after_gap) {
		s->after_gap = 0;
		p->begin = p->end = TSD_GEN_EV_GAP;
		p->gap_start = s->gap_start;
		p->gap_end = s->gap_end;
		due &= ~(1u << K_GAP);
	}
	if (s->run) {
		due = 0;	/* nothing else happens inside a run */
	} else if ((due & (1u << K_GAP)) && (!c->npoints || k + 1 < c->npoints)) {
		uint64_t len = run_length(&s->ev[K_GAP], g->len[K_GAP]);

		if (c->npoints && len > c->npoints - 1 - k)
			len = c->npoints - 1 - k;
		s->run = K_GAP;
		s->run_left = len;
		s->run_start = g->t;
		due = 0;
	} else if (due & (1u << K_DROP)) {
		uint64_t len = run_length(&s->ev[K_DROP], g->len[K_DROP]);

		if (c->npoints && len > c->npoints - k)
			len = c->npoints - k;
		s->run = K_DROP;
		s->run_left = len;
		s->run_start = g->t;
		p->begin |= TSD_GEN_EV_DROPOUT;
		due = 0;
	}

	if (s->run == K_GAP) {
		if (--s->run_left == 0) {
			s->run = 0;
			s->after_gap = 1;
			s->gap_start = s->run_start;
			s->gap_end = g->t;
		}
		return 0;
	}

	if (due & (1u << K_SHIFT)) {
		int up = tsd_rng_next(&s->ev[K_SHIFT]) >> 63;

		s->level += up ? c->shift_size : -c->shift_size;
		p->begin |= TSD_GEN_EV_SHIFT;
		p->end |= TSD_GEN_EV_SHIFT;
	}
	if (c->process_sd > 0) {
		/* AR(1): a = exp(-1/tau), innovations keep the sd stationary */
		double a = exp(-1 / c->process_tau);

		s->proc = a * s->proc + c->process_sd * sqrt(1 - a * a) * pgauss(&s->ps);
	}
	v = s->level + s->proc + g->trend_ns * (double)dt + c->noise_sd * noise;
	if (c->period > 0 && c->amplitude != 0) {
		double frac = (double)(dt % (uint64_t)c->period) / (double)c->period;

		v += c->amplitude * sin(2 * M_PI * frac + s->phase);
	}
	if (due & (1u << K_SPIKE)) {
		int up = tsd_rng_next(&s->ev[K_SPIKE]) >> 63;

		v += up ? g->spike_size : -g->spike_size;
		p->begin |= TSD_GEN_EV_SPIKE;
		p->end |= TSD_GEN_EV_SPIKE;
	}

	if (c->quantum > 0) {
		/* divide by 1/q when it is a whole number: 463 / 10 is 46.3,
		 * where 463 * 0.1 is 46.300000000000004 */
		double inv = 1 / c->quantum, n = nearbyint(v / c->quantum);

		v = inv == nearbyint(inv) ? n / inv : n * c->quantum;
	}
	if (s->run == K_DROP) {
		if (p->begin & TSD_GEN_EV_DROPOUT)
			s->hold = v;
		switch (c->dropout_mode) {
		case TSD_GEN_DROP_ZERO: v = 0; break;
		case TSD_GEN_DROP_MISSING: v = NAN; p->missing = 1; break;
		default: v = s->hold; break;
		}
		if (--s->run_left == 0) {
			s->run = 0;
			p->end |= TSD_GEN_EV_DROPOUT;
			p->dropout_start = s->run_start;
		}
	}
	p->v = v;
	return 1;
}

int tsd_gen_next(tsd_gen *g, tsd_gen_point *p)
{
	if (!g || !p)
		return TSD_EINVAL;
	for (;;) {
		struct series *s;
		int emitted;

		if (g->c.npoints && g->k >= g->c.npoints)
			return 0;
		if (g->overflow)
			return TSD_ERANGE;
		s = &g->s[g->i];
		emitted = step_series(g, s, p);
		if (emitted) {
			p->series = g->i;
			p->step = g->k;
			p->t = g->t;
		}
		if (++g->i == g->c.nseries) {
			g->i = 0;
			g->k++;
			if (g->t > INT64_MAX - g->c.step)
				g->overflow = 1;
			else
				g->t += g->c.step;
		}
		if (emitted)
			return 1;
	}
}
