/* reorder.c: per-series min-heaps behind bounded lateness (see reorder.h). */
#include "reorder.h"
#include "series.h"
#include "tsd.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	int64_t t;
	uint64_t seq;        /* arrival order: ties leave in it */
	uint64_t tag;
	double v;
} item;

typedef struct {
	item *h;             /* (n) binary min-heap on (t, seq) */
	size_t n, cap;
	int64_t tmax;        /* latest time seen */
	int64_t tout;        /* time of the last sample given out */
	int seen, out;
} heap;

struct tsd_reorder {
	int64_t lateness;
	heap *s;             /* (ns) */
	size_t ns;
	uint64_t seq;
	size_t held;
};

int tsd_reorder_new(tsd_reorder **out, int64_t lateness)
{
	tsd_reorder *ro;

	if (lateness < 0)
		return TSD_EINVAL;
	if (!(ro = calloc(1, sizeof *ro)))
		return TSD_ENOMEM;
	ro->lateness = lateness;
	*out = ro;
	return 0;
}

void tsd_reorder_free(tsd_reorder *ro)
{
	if (!ro)
		return;
	for (size_t i = 0; i < ro->ns; i++)
		free(ro->s[i].h);
	free(ro->s);
	free(ro);
}

static int before(const item *a, const item *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

int tsd_reorder_push(tsd_reorder *ro, uint32_t series, int64_t t, double v, uint64_t tag)
{
	heap *h;

	if (series >= ro->ns) {
		int rc;
		if (series >= TSD_SERIES_MAX)
			return TSD_ERANGE;
		if ((rc = tsd_grow(&ro->s, &ro->ns, (size_t)series + 1, sizeof *ro->s)) < 0)
			return rc;
	}
	h = &ro->s[series];
	if (h->out && t <= h->tout)
		return 1;
	if (h->n == h->cap) {
		size_t nc = h->cap ? h->cap * 2 : 16;
		item *ni = realloc(h->h, nc * sizeof *ni);
		if (!ni)
			return TSD_ENOMEM;
		h->h = ni;
		h->cap = nc;
	}
	/* sift up */
	item x = { .t = t, .seq = ro->seq++, .tag = tag, .v = v };
	size_t i = h->n++;
	while (i > 0 && before(&x, &h->h[(i - 1) / 2])) {
		h->h[i] = h->h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->h[i] = x;
	if (!h->seen || t > h->tmax)
		h->tmax = t;
	h->seen = 1;
	ro->held++;
	return 0;
}

int tsd_reorder_pop(tsd_reorder *ro, uint32_t series, int flush, int64_t *t, double *v, uint64_t *tag)
{
	heap *h;

	if (series >= ro->ns)
		return 0;
	h = &ro->s[series];
	if (!h->n)
		return 0;
	/* the watermark, without overflow: top <= tmax - lateness */
	if (!flush && (h->h[0].t > h->tmax || (uint64_t)(h->tmax - h->h[0].t) < (uint64_t)ro->lateness))
		return 0;
	item top = h->h[0], last = h->h[--h->n];
	/* sift down */
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(&h->h[c + 1], &h->h[c]))
			c++;
		if (!before(&h->h[c], &last))
			break;
		h->h[i] = h->h[c];
		i = c;
	}
	if (h->n)
		h->h[i] = last;
	*t = top.t;
	*v = top.v;
	*tag = top.tag;
	ro->held--;
	if (h->out && top.t <= h->tout)
		return 2; /* the same time as the one before: late */
	h->tout = top.t;
	h->out = 1;
	return 1;
}

uint32_t tsd_reorder_nseries(const tsd_reorder *ro)
{
	uint32_t n = (uint32_t)ro->ns;

	while (n > 0 && !ro->s[n - 1].seen)
		n--;
	return n;
}

size_t tsd_reorder_held(const tsd_reorder *ro)
{
	return ro->held;
}
