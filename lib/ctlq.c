/* ctlq.c: positions held back until the output covering them is out. */
#include "ctlq.h"

#include <stdlib.h>
#include <string.h>

#include "tsd.h"

typedef struct {
	uint64_t tag;          /* samples read before this position */
	tsd_control k;         /* k.topic points to topic */
	char *topic;           /* owned */
	int inside;            /* fell inside a window: never released */
} pos;

typedef struct {
	uint64_t seq;          /* first held sample of the window */
	uint32_t key;
} start;

struct tsd_ctlq {
	uint64_t nseq;         /* samples held so far (the next one's number) */
	uint64_t *first;       /* per key: 1 + number of its first held sample, 0: none */
	uint64_t *last;        /* per key: 1 + number of its last held sample */
	size_t nfirst;
	start *st;             /* FIFO of window starts, in increasing seq */
	size_t st_cap, st_head, st_len;
	pos *pq;               /* FIFO of positions */
	size_t pq_cap, pq_head, pq_len;
	char *out_topic;       /* topic of the last released position */
	int seen, ended;       /* positions queued; the end mark queued */
};

void tsd_ctl_end(tsd_control *k)
{
	memset(k, 0, sizeof *k);
	k->what = TSD_CTL_POSITION;
	k->topic = "-";
	k->topic_len = 1;
	k->partition = -1;
	k->offset = -1;
}

int tsd_ctl_is_end(const tsd_control *k)
{
	return k->what == TSD_CTL_POSITION && k->partition == -1;
}

int tsd_ctlq_broken(const tsd_ctlq *q)
{
	return q->seen && !q->ended;
}

int tsd_ctlq_new(tsd_ctlq **q)
{
	*q = calloc(1, sizeof **q);
	return *q ? 0 : TSD_ENOMEM;
}

void tsd_ctlq_free(tsd_ctlq *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->pq_len; i++)
		free(q->pq[(q->pq_head + i) % q->pq_cap].topic);
	free(q->pq);
	free(q->st);
	free(q->first);
	free(q->last);
	free(q->out_topic);
	free(q);
}

/* Grow a ring buffer of elements of size sz, keeping its order. */
static int ring_grow(void **buf, size_t *cap, size_t *head, size_t len, size_t sz)
{
	size_t nc = *cap ? *cap * 2 : 16, bytes;
	char *nb;

	if (nc < *cap || tsd_mul_size(&bytes, nc, sz))
		return TSD_ERANGE;
	if (!(nb = malloc(bytes)))
		return TSD_ENOMEM;
	for (size_t i = 0; i < len; i++)
		memcpy(nb + i * sz, (char *)*buf + ((*head + i) % *cap) * sz, sz);
	free(*buf);
	*buf = nb;
	*cap = nc;
	*head = 0;
	return 0;
}

int tsd_ctlq_control(tsd_ctlq *q, const tsd_control *k)
{
	pos *p;
	char *t;
	int rc;

	if (q->pq_len == q->pq_cap &&
	    (rc = ring_grow((void **)&q->pq, &q->pq_cap, &q->pq_head, q->pq_len, sizeof *q->pq)))
		return rc;
	if (!(t = malloc((size_t)k->topic_len + 1)))
		return TSD_ENOMEM;
	memcpy(t, k->topic, k->topic_len);
	t[k->topic_len] = 0;
	p = &q->pq[(q->pq_head + q->pq_len) % q->pq_cap];
	q->seen = 1;
	if (tsd_ctl_is_end(k))
		q->ended = 1;
	p->tag = q->nseq;
	p->inside = 0;
	p->k = *k;
	p->k.topic = t;
	p->topic = t;
	q->pq_len++;
	return 0;
}

int tsd_ctlq_hold(tsd_ctlq *q, uint32_t key)
{
	return tsd_ctlq_hold_n(q, key, 1);
}

int tsd_ctlq_hold_n(tsd_ctlq *q, uint32_t key, uint64_t n)
{
	int rc;

	if (n == 0)
		return 0;
	if (key >= q->nfirst) {
		size_t nn = q->nfirst ? q->nfirst : 64, bytes;
		while (nn <= key) {
			if (nn > SIZE_MAX / 2)
				return TSD_ERANGE;
			nn *= 2;
		}
		if (tsd_mul_size(&bytes, nn, sizeof *q->first))
			return TSD_ERANGE;
		uint64_t *nf = realloc(q->first, bytes);
		if (!nf)
			return TSD_ENOMEM;
		memset(nf + q->nfirst, 0, (nn - q->nfirst) * sizeof *nf);
		q->first = nf;
		uint64_t *nl = realloc(q->last, bytes);
		if (!nl)
			return TSD_ENOMEM;
		memset(nl + q->nfirst, 0, (nn - q->nfirst) * sizeof *nl);
		q->last = nl;
		q->nfirst = nn;
	}
	if (!q->first[key]) {
		if (q->st_len == q->st_cap &&
		    (rc = ring_grow((void **)&q->st, &q->st_cap, &q->st_head, q->st_len, sizeof *q->st)))
			return rc;
		start *s = &q->st[(q->st_head + q->st_len) % q->st_cap];
		s->seq = q->nseq;
		s->key = key;
		q->st_len++;
		q->first[key] = q->nseq + 1;
	}
	q->nseq += n;
	q->last[key] = q->nseq;
	return 0;
}

void tsd_ctlq_done(tsd_ctlq *q, uint32_t key)
{
	uint64_t a, b;

	if (key >= q->nfirst || !q->first[key])
		return;
	/* A position between the window's first and last sample must never
	 * be committed: a restart from it would rebuild only the window's
	 * tail, a different window under the same identity. Later positions
	 * are committed instead (a restart then repeats whole windows, which
	 * a consumer recognises by their identity). */
	a = q->first[key] - 1;  /* tags after the first sample ... */
	b = q->last[key] - 1;   /* ... up to just after the last but one */
	for (size_t i = 0; i < q->pq_len; i++) {
		pos *p = &q->pq[(q->pq_head + i) % q->pq_cap];
		if (p->tag > a && p->tag <= b)
			p->inside = 1;
	}
	q->first[key] = 0;
}

/* Number of the oldest sample still held (nseq when none is). */
static uint64_t low(tsd_ctlq *q)
{
	while (q->st_len) {
		start *s = &q->st[q->st_head];
		if (q->first[s->key] == s->seq + 1)
			return s->seq;
		q->st_head = (q->st_head + 1) % q->st_cap;
		q->st_len--;
	}
	return q->nseq;
}

int tsd_ctlq_next(tsd_ctlq *q, tsd_rec *rec)
{
	pos *p;

	for (;;) {
		if (!q->pq_len)
			return 0;
		p = &q->pq[q->pq_head];
		if (p->tag > low(q))
			return 0;
		if (!p->inside)
			break;
		free(p->topic);
		q->pq_head = (q->pq_head + 1) % q->pq_cap;
		q->pq_len--;
	}
	free(q->out_topic);
	q->out_topic = p->topic;
	memset(rec, 0, sizeof *rec);
	rec->kind = TSD_REC_CONTROL;
	rec->k = p->k;
	q->pq_head = (q->pq_head + 1) % q->pq_cap;
	q->pq_len--;
	return 1;
}

size_t tsd_ctlq_pending(const tsd_ctlq *q)
{
	return q->pq_len;
}
