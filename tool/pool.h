/* pool.h: an ordered worker pool for a tool's read-transform-write loop.
 *
 * The main thread reads; each item it reads gets a slot of a ring, in
 * input order. An item that needs work (a window to score) is done by one
 * of N worker threads; an item that does not (a control record) is done
 * at once. The main thread writes items strictly in input order, each as
 * soon as it and everything before it are done, so the output is the
 * same, record for record, whatever N is, and a source position still
 * follows the output it covers.
 *
 * With N = 0 there are no threads: the main thread does the work itself,
 * at submit, and nothing is held back.
 *
 *   size_t slot = tool_pool_acquire(p);  // may write finished items
 *   ... fill the caller's slot storage ...
 *   tool_pool_submit(p, slot, needs_work);
 *   ...
 *   tool_pool_drain(p);                  // at the end: write the rest
 */
#ifndef TSD_POOL_H
#define TSD_POOL_H

#include <stddef.h>

/* work(state of the worker, slot, arg): returns 0 or a negative code,
 * which is handed to emit with the slot. emit(slot, rc, arg) runs on the
 * main thread, in slot order. */
typedef int (*tool_pool_work)(void *wstate, size_t slot, void *arg);
typedef void (*tool_pool_emit)(size_t slot, int rc, void *arg);

typedef struct tool_pool tool_pool;

/* nthreads workers (0: none, the main thread works), nslots slots
 * (>= 1; the ring holds at most that many items in flight), wstates:
 * max(1, nthreads) per-worker states handed to work. Dies on failure. */
tool_pool *tool_pool_new(int nthreads, size_t nslots, void **wstates,
			 tool_pool_work work, tool_pool_emit emit, void *arg);
size_t tool_pool_acquire(tool_pool *p);
void tool_pool_submit(tool_pool *p, size_t slot, int needs_work);
/* Write every item still held; the pool is empty after it. */
void tool_pool_drain(tool_pool *p);
/* Stop the workers (after a drain) and free the pool. */
void tool_pool_free(tool_pool *p);

#endif
