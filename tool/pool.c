/* pool.c: ordered worker pool (see pool.h). */
#include "pool.h"
#include "tool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { FREE, READY, BUSY, DONE };

struct tool_pool {
	int nthreads;
	size_t nslots;
	size_t head, tail;      /* items [head, tail) in flight, mod nslots */
	size_t next;            /* first item not yet looked at by a worker */
	unsigned char *state;   /* (nslots) */
	int *rc;                /* (nslots) */
	void **wstates;
	tool_pool_work work;
	tool_pool_emit emit;
	void *arg;
	pthread_t *th;
	pthread_mutex_t mu;
	pthread_cond_t ready;   /* an item to work on, or stop */
	pthread_cond_t done;    /* an item done */
	int stop;
};

static void *worker(void *p_)
{
	tool_pool *p = p_;
	size_t self = 0;

	pthread_mutex_lock(&p->mu);
	/* which state is mine: the index of this thread */
	for (int i = 0; i < p->nthreads; i++)
		if (pthread_equal(p->th[i], pthread_self()))
			self = (size_t)i;
	for (;;) {
		while (!p->stop && p->next == p->tail)
			pthread_cond_wait(&p->ready, &p->mu);
		if (p->next == p->tail)
			break; /* stopping, nothing left */
		size_t s = p->next++ % p->nslots;
		if (p->state[s] != READY)
			continue;
		p->state[s] = BUSY;
		pthread_mutex_unlock(&p->mu);
		int rc = p->work(p->wstates[self], s, p->arg);
		pthread_mutex_lock(&p->mu);
		p->rc[s] = rc;
		p->state[s] = DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

tool_pool *tool_pool_new(int nthreads, size_t nslots, void **wstates,
			 tool_pool_work work, tool_pool_emit emit, void *arg)
{
	tool_pool *p = calloc(1, sizeof *p);

	if (!p || !nslots || nthreads < 0)
		tool_die(EXIT_DATA, "out of memory");
	p->nthreads = nthreads;
	p->nslots = nslots;
	p->state = calloc(nslots, 1);
	p->rc = calloc(nslots, sizeof *p->rc);
	p->th = calloc(nthreads ? (size_t)nthreads : 1, sizeof *p->th);
	if (!p->state || !p->rc || !p->th)
		tool_die(EXIT_DATA, "out of memory");
	p->wstates = wstates;
	p->work = work;
	p->emit = emit;
	p->arg = arg;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->ready, NULL);
	pthread_cond_init(&p->done, NULL);
	pthread_mutex_lock(&p->mu); /* workers look up their index under the lock */
	for (int i = 0; i < nthreads; i++)
		if (pthread_create(&p->th[i], NULL, worker, p))
			tool_die(EXIT_DATA, "cannot start worker thread %d of %d", i + 1, nthreads);
	pthread_mutex_unlock(&p->mu);
	return p;
}

/* Write the finished items at the head; with wait, first wait until the
 * head item is done. Called and returns with the lock not held. */
static void emit_heads(tool_pool *p, int wait)
{
	pthread_mutex_lock(&p->mu);
	if (wait)
		while (p->head != p->tail && p->state[p->head % p->nslots] != DONE)
			pthread_cond_wait(&p->done, &p->mu);
	while (p->head != p->tail && p->state[p->head % p->nslots] == DONE) {
		size_t s = p->head % p->nslots;
		int rc = p->rc[s];
		pthread_mutex_unlock(&p->mu);
		p->emit(s, rc, p->arg);   /* writing needs no lock: slot s is ours */
		pthread_mutex_lock(&p->mu);
		p->state[s] = FREE;
		p->head++;
	}
	pthread_mutex_unlock(&p->mu);
}

size_t tool_pool_acquire(tool_pool *p)
{
	while (p->tail - p->head == p->nslots)
		emit_heads(p, 1);
	return p->tail % p->nslots;
}

void tool_pool_submit(tool_pool *p, size_t slot, int needs_work)
{
	if (!p->nthreads) {
		p->rc[slot] = needs_work ? p->work(p->wstates[0], slot, p->arg) : 0;
		p->state[slot] = DONE;
		p->tail++;
		p->next = p->tail;
		emit_heads(p, 0);
		return;
	}
	pthread_mutex_lock(&p->mu);
	if (needs_work) {
		p->state[slot] = READY;
	} else {
		p->rc[slot] = 0;
		p->state[slot] = DONE;
	}
	p->tail++;
	pthread_cond_signal(&p->ready);
	pthread_mutex_unlock(&p->mu);
	emit_heads(p, 0);
}

void tool_pool_drain(tool_pool *p)
{
	while (p->head != p->tail)
		emit_heads(p, 1);
}

void tool_pool_free(tool_pool *p)
{
	if (!p)
		return;
	tool_pool_drain(p);
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->th[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->ready);
	pthread_cond_destroy(&p->done);
	free(p->state);
	free(p->rc);
	free(p->th);
	free(p);
}
