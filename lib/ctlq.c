/* ctlq.c: positions held back until the output covering them is out.
 *
 * Positions wait in one queue per source partition. A position of
 * partition p concerns only the series that come from p: it falls inside
 * a window when one of those series has samples of one window on both
 * sides of it, and it may leave once every sample of those series read
 * before it has left its window. Which series come from which partition is
 * learned from the stream: a source writes, after a message's records, the
 * position of the message's partition (tsconsume), so the series held
 * since the last run of positions may come from each partition of the
 * next run. What is learned is a superset, and a series not placed yet
 * counts for every partition, so the checks only ever err on holding back.
 *
 * A revocation of partition p (tsd_ctlq_revoke) drops p's queued positions
 * and forgets what the series from p hold: the series that were placed
 * with p (src), or with p and others (then pmask says p may be one). A
 * source that writes a position after each message (tsconsume -G) places
 * every series with exactly its partition.
 */
#include "ctlq.h"

#include <stdlib.h>
#include <string.h>

#include "position.h"
#include "tsd.h"

#define NPART 64           /* partitions told apart; the rest share queue NPART */
#define SRC_MANY UINT64_MAX

typedef struct {
	uint64_t tag;          /* samples read before this position */
	uint64_t starts;       /* windows opened before it */
	int32_t partition;
	int64_t offset;
	int inside;            /* fell inside a window: never released */
} pos;

typedef struct {
	char *topic;           /* NULL for the shared queue, whose entries keep their own */
	int32_t partition;
	pos *q;                /* ring */
	char **qtopic;         /* shared queue only: (cap) topic of each entry */
	size_t cap, head, len;
} partq;

typedef struct {
	uint64_t seq;          /* first held sample of the window */
	uint32_t key;
} start;

struct tsd_ctlq {
	uint64_t nseq;         /* samples held so far (the next one's number) */
	uint64_t *first;       /* per key: 1 + number of its first held sample, 0: none */
	uint64_t *last;        /* per key: 1 + number of its last held sample */
	uint64_t *pmask;       /* per key: bit i: may come from partition i; 0: not known (all) */
	uint64_t *pstamp;      /* per key: 1 + npos when put in since[] */
	uint64_t *src;         /* per key: 1 + id of the one partition it was placed
	                        * with, SRC_MANY: several; 0: none yet */
	tsd_postab *ids;       /* partition ids: index in the table */
	size_t nkeys;
	start *st;             /* FIFO of window starts, in increasing seq */
	size_t st_cap, st_head, st_len;
	partq pq[NPART + 1];
	int nparts;            /* named partitions in pq[0..nparts) */
	uint32_t *since;       /* keys held since the last run of positions */
	size_t nsince, since_cap;
	uint64_t npos;         /* runs of positions so far */
	int after_pos;         /* the last call queued a position */
	uint64_t wstarts;      /* windows opened so far */
	uint64_t end_tag;      /* the end mark: samples read before it */
	int seen, ended, end_out;
	char *out_topic;       /* shared queue: topic of the last released position */
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
	for (int i = 0; i <= NPART; i++) {
		partq *p = &q->pq[i];
		if (p->qtopic)
			for (size_t j = 0; j < p->len; j++)
				free(p->qtopic[(p->head + j) % p->cap]);
		free(p->qtopic);
		free(p->q);
		free(p->topic);
	}
	free(q->st);
	free(q->first);
	free(q->last);
	free(q->pmask);
	free(q->pstamp);
	free(q->src);
	tsd_postab_free(q->ids);
	free(q->since);
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

/* The queue of k's partition, named when new; the shared one when all
 * NPART are taken. */
static int queue_of(tsd_ctlq *q, const tsd_control *k, int *out)
{
	int i;

	for (i = 0; i < q->nparts; i++)
		if (q->pq[i].partition == k->partition && strlen(q->pq[i].topic) == k->topic_len &&
		    !memcmp(q->pq[i].topic, k->topic, k->topic_len)) {
			*out = i;
			return 0;
		}
	if (q->nparts == NPART) {
		*out = NPART;
		return 0;
	}
	if (!(q->pq[i].topic = malloc((size_t)k->topic_len + 1)))
		return TSD_ENOMEM;
	memcpy(q->pq[i].topic, k->topic, k->topic_len);
	q->pq[i].topic[k->topic_len] = 0;
	q->pq[i].partition = k->partition;
	*out = q->nparts++;
	return 0;
}

/* 1 + the id of k's partition in *id; 0 when it has none and add is 0. */
static int source_id(tsd_ctlq *q, const tsd_control *k, int add, uint64_t *id)
{
	tsd_pos *e;
	int rc;

	*id = 0;
	if (!q->ids && (rc = tsd_postab_new(&q->ids)))
		return rc;
	if (!add) {
		if (!(e = tsd_postab_find(q->ids, k->topic, k->topic_len, k->partition)))
			return 0;
	} else {
		size_t n = tsd_postab_len(q->ids);
		if ((rc = tsd_postab_get(q->ids, &e, k->topic, k->topic_len, k->partition)))
			return rc;
		if (tsd_postab_len(q->ids) > n)
			e->flags = (unsigned)n;
	}
	*id = (uint64_t)e->flags + 1;
	return 0;
}

int tsd_ctlq_control(tsd_ctlq *q, const tsd_control *k)
{
	partq *p;
	pos *e;
	int i, rc;

	q->seen = 1;
	if (tsd_ctl_is_end(k)) {
		q->ended = 1;
		q->end_tag = q->nseq;
		return 0;
	}
	if ((rc = queue_of(q, k, &i)))
		return rc;
	/* the series held since the last positions may come from here */
	uint64_t bit = i < NPART ? (uint64_t)1 << i : ~(uint64_t)0, id;
	if ((rc = source_id(q, k, 1, &id)))
		return rc;
	for (size_t j = 0; j < q->nsince; j++) {
		uint32_t key = q->since[j];
		q->pmask[key] |= bit;
		q->src[key] = !q->src[key] || q->src[key] == id ? id : SRC_MANY;
	}
	if (!q->after_pos)
		q->npos++;
	q->after_pos = 1;

	p = &q->pq[i];
	/* No window opened since the last position of this partition: this
	 * one is valid whenever that one is, and later, so it takes its place
	 * (which bounds the queue when a source writes one per message) */
	if (p->len && i < NPART) {
		e = &p->q[(p->head + p->len - 1) % p->cap];
		if (e->starts == q->wstarts) {
			e->tag = q->nseq;
			e->offset = k->offset;
			e->inside = 0;
			return 0;
		}
	}
	if (p->len == p->cap) {
		size_t cap = p->cap, head = p->head;
		if ((rc = ring_grow((void **)&p->q, &p->cap, &p->head, p->len, sizeof *p->q)))
			return rc;
		if (i == NPART && (rc = ring_grow((void **)&p->qtopic, &cap, &head, p->len, sizeof *p->qtopic)))
			return rc;
	}
	e = &p->q[(p->head + p->len) % p->cap];
	if (i == NPART) {
		char *t = malloc((size_t)k->topic_len + 1);
		if (!t)
			return TSD_ENOMEM;
		memcpy(t, k->topic, k->topic_len);
		t[k->topic_len] = 0;
		p->qtopic[(p->head + p->len) % p->cap] = t;
	}
	e->tag = q->nseq;
	e->starts = q->wstarts;
	e->partition = k->partition;
	e->offset = k->offset;
	e->inside = 0;
	p->len++;
	return 0;
}

int tsd_ctlq_hold(tsd_ctlq *q, uint32_t key)
{
	return tsd_ctlq_hold_n(q, key, 1);
}

/* Grow the per-key arrays to hold key. */
static int keys_grow(tsd_ctlq *q, uint32_t key)
{
	size_t nn = q->nkeys ? q->nkeys : 64, bytes;
	uint64_t **arr[5] = { &q->first, &q->last, &q->pmask, &q->pstamp, &q->src };

	while (nn <= key) {
		if (nn > SIZE_MAX / 2)
			return TSD_ERANGE;
		nn *= 2;
	}
	if (tsd_mul_size(&bytes, nn, sizeof(uint64_t)))
		return TSD_ERANGE;
	for (int i = 0; i < 5; i++) {
		uint64_t *n = realloc(*arr[i], bytes);
		if (!n)
			return TSD_ENOMEM;
		memset(n + q->nkeys, 0, (nn - q->nkeys) * sizeof *n);
		*arr[i] = n;
	}
	q->nkeys = nn;
	return 0;
}

/* Drop from the FIFO of window starts those whose window is done (its
 * series' first held sample is no longer the start's), keeping the order. */
static void starts_compact(tsd_ctlq *q)
{
	size_t kept = 0;

	for (size_t j = 0; j < q->st_len; j++) {
		start s = q->st[(q->st_head + j) % q->st_cap];
		if (s.key < q->nkeys && q->first[s.key] == s.seq + 1)
			q->st[(q->st_head + kept++) % q->st_cap] = s;
	}
	q->st_len = kept;
}

int tsd_ctlq_hold_n(tsd_ctlq *q, uint32_t key, uint64_t n)
{
	int rc;

	if (n == 0)
		return 0;
	if (key >= q->nkeys && (rc = keys_grow(q, key)))
		return rc;
	if (q->after_pos) {
		q->nsince = 0;
		q->after_pos = 0;
	}
	if (q->pstamp[key] != q->npos + 1) {
		if (q->nsince == q->since_cap) {
			size_t nc = q->since_cap ? 2 * q->since_cap : 64;
			uint32_t *ns = realloc(q->since, nc * sizeof *ns);
			if (!ns)
				return TSD_ENOMEM;
			q->since = ns;
			q->since_cap = nc;
		}
		q->since[q->nsince++] = key;
		q->pstamp[key] = q->npos + 1;
	}
	if (!q->first[key]) {
		/* full: first drop the starts of windows already done, and grow
		 * only when at least half are still open (memory then follows
		 * the open windows, not all the windows a stream ever had) */
		if (q->st_len == q->st_cap) {
			if (q->st_cap)
				starts_compact(q);
			if ((q->st_cap == 0 || q->st_len > q->st_cap / 2) &&
			    (rc = ring_grow((void **)&q->st, &q->st_cap, &q->st_head, q->st_len, sizeof *q->st)))
				return rc;
		}
		start *s = &q->st[(q->st_head + q->st_len) % q->st_cap];
		s->seq = q->nseq;
		s->key = key;
		q->st_len++;
		q->first[key] = q->nseq + 1;
		q->wstarts++;
	}
	q->nseq += n;
	q->last[key] = q->nseq;
	return 0;
}

/* Whether series key may come from queue i. */
static int may_come(const tsd_ctlq *q, uint32_t key, int i)
{
	uint64_t m = q->pmask[key];
	return !m || i == NPART || ((m >> i) & 1);
}

void tsd_ctlq_done(tsd_ctlq *q, uint32_t key)
{
	uint64_t a, b;

	if (key >= q->nkeys || !q->first[key])
		return;
	/* A position between the window's first and last sample must never
	 * be committed: a restart from it would rebuild only the window's
	 * tail, a different window under the same identity. Later positions
	 * are committed instead (a restart then repeats whole windows, which
	 * a consumer recognises by their identity). */
	a = q->first[key] - 1;  /* tags after the first sample ... */
	b = q->last[key] - 1;   /* ... up to just after the last but one */
	for (int i = 0; i <= NPART; i++) {
		partq *p = &q->pq[i];
		if (!p->len || !may_come(q, key, i))
			continue;
		for (size_t j = 0; j < p->len; j++) {
			pos *e = &p->q[(p->head + j) % p->cap];
			if (e->tag > a && e->tag <= b)
				e->inside = 1;
		}
	}
	q->first[key] = 0;
}

/* Number of the oldest sample still held of a series that may come from
 * queue i (of any series for i < 0); nseq when none is. */
static uint64_t low(tsd_ctlq *q, int i)
{
	while (q->st_len) {
		start *s = &q->st[q->st_head];
		if (q->first[s->key] == s->seq + 1)
			break;
		q->st_head = (q->st_head + 1) % q->st_cap;
		q->st_len--;
	}
	for (size_t j = 0; j < q->st_len; j++) {
		start *s = &q->st[(q->st_head + j) % q->st_cap];
		if (q->first[s->key] == s->seq + 1 && (i < 0 || may_come(q, s->key, i)))
			return s->seq;
	}
	return q->nseq;
}

int tsd_ctlq_next(tsd_ctlq *q, tsd_rec *rec)
{
	for (int i = 0; i <= NPART; i++) {
		partq *p = &q->pq[i];
		uint64_t lo = 0;
		int have_lo = 0;
		while (p->len) {
			pos *e = &p->q[p->head];
			if (!e->inside) {
				if (!have_lo)
					lo = low(q, i), have_lo = 1;
				if (e->tag > lo)
					break;
			}
			size_t at = p->head;
			p->head = (p->head + 1) % p->cap;
			p->len--;
			if (e->inside) {
				if (i == NPART)
					free(p->qtopic[at]);
				continue;
			}
			memset(rec, 0, sizeof *rec);
			rec->kind = TSD_REC_CONTROL;
			rec->k.what = TSD_CTL_POSITION;
			rec->k.partition = e->partition;
			rec->k.offset = e->offset;
			if (i == NPART) {
				free(q->out_topic);
				q->out_topic = p->qtopic[at];
				rec->k.topic = q->out_topic;
			} else {
				rec->k.topic = p->topic;
			}
			rec->k.topic_len = (uint16_t)strlen(rec->k.topic);
			return 1;
		}
	}
	/* the end mark last, once everything before it is out */
	if (q->ended && !q->end_out && q->end_tag <= low(q, -1)) {
		for (int i = 0; i <= NPART; i++)
			if (q->pq[i].len)
				return 0;
		q->end_out = 1;
		memset(rec, 0, sizeof *rec);
		rec->kind = TSD_REC_CONTROL;
		tsd_ctl_end(&rec->k);
		return 1;
	}
	return 0;
}

size_t tsd_ctlq_nkeys(const tsd_ctlq *q)
{
	return q->nkeys;
}

int tsd_ctlq_revoke(tsd_ctlq *q, const tsd_control *k, uint32_t *keys, size_t cap)
{
	uint64_t id;
	size_t n = 0;
	int i = -1, rc;

	if ((rc = source_id(q, k, 0, &id)))
		return rc;
	if (!id)
		return 0; /* nothing came from there */
	for (int j = 0; j < q->nparts; j++)
		if (q->pq[j].partition == k->partition && strlen(q->pq[j].topic) == k->topic_len &&
		    !memcmp(q->pq[j].topic, k->topic, k->topic_len))
			i = j;
	/* its positions wait for nothing now */
	if (i >= 0) {
		q->pq[i].len = 0;
	} else {
		partq *p = &q->pq[NPART];
		size_t keep = 0;
		for (size_t j = 0; j < p->len; j++) {
			size_t at = (p->head + j) % p->cap, to = (p->head + keep) % p->cap;
			if (p->q[at].partition == k->partition && strlen(p->qtopic[at]) == k->topic_len &&
			    !memcmp(p->qtopic[at], k->topic, k->topic_len)) {
				free(p->qtopic[at]);
				continue;
			}
			p->q[to] = p->q[at];
			p->qtopic[to] = p->qtopic[at];
			keep++;
		}
		p->len = keep;
	}
	/* and its series hold nothing */
	for (uint32_t key = 0; key < q->nkeys; key++) {
		if (q->src[key] != id && !(q->src[key] == SRC_MANY && may_come(q, key, i < 0 ? NPART : i)))
			continue;
		if (n == cap)
			return TSD_ESIZE;
		q->first[key] = 0;
		keys[n++] = key;
	}
	return (int)n;
}

size_t tsd_ctlq_pending(const tsd_ctlq *q)
{
	size_t n = q->ended && !q->end_out;
	for (int i = 0; i <= NPART; i++)
		n += q->pq[i].len;
	return n;
}
