/* plotweb.h: tsplot's interactive web page (libmicrohttpd). "/" is a page
 * (tool/plotpage.html, plain JavaScript drawing on a canvas) that asks
 * "/data?t0=MS&t1=MS&w=PX" for what to draw: per series, the M4 points of
 * [t0, t1] at w pixel columns, re-aggregated from the samples the server
 * holds (lib/plothist) at every zoom or pan; without t0 and t1, the whole
 * range held (or the last --span of it), which the page asks again at
 * each refresh while nobody inspects a range. */
#ifndef TSD_PLOTWEB_H
#define TSD_PLOTWEB_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "plothist.h"

typedef struct tool_plotweb tool_plotweb;

/* Connection limits (see tsplot(1)): idle seconds before a connection is
 * closed, connections from one address, connections in all. */
#define TOOL_PLOTWEB_TIMEOUT 10
#define TOOL_PLOTWEB_PER_IP 32
#define TOOL_PLOTWEB_MAX 4096
/* Widest answer, in pixel columns. */
#define TOOL_PLOTWEB_COLUMNS_MAX 8192

/* What the page shows, read under *lock. */
typedef struct {
	pthread_mutex_t *lock;
	const tsd_plothist *hist;
	void *arg;
	/* the series shown: how many ids, and each one's name (NULL: not
	 * shown), input (index into labels) and group (colour) */
	uint32_t (*count)(void *arg);
	const char *(*series)(void *arg, uint32_t id, int *input, uint32_t *group);
	const char *title;          /* or NULL */
	const char *const *labels;  /* (nlabels) names of the inputs */
	int nlabels;
	int64_t span;               /* ns; 0: the whole range is live */
	long refresh_ms;
} tool_plotweb_src;

/* Listen on bind (an IPv4 address) and port. 0 on success; -2 when bind
 * is not an IPv4 address, -1 when the socket or the server cannot start
 * (errno set where it says why); err gets a message either way. src is
 * used until tool_plotweb_stop. */
int tool_plotweb_start(tool_plotweb **w, const char *bind, int port, const tool_plotweb_src *src,
		       char *err, size_t errlen);
/* The JSON answer for [t0, t1] ns (have_range 0: the live range) at w
 * columns into a malloc'd *out of *len bytes. For tests and benchmarks
 * too. 0, or TSD_ENOMEM. Takes src->lock. */
int tool_plotweb_data(char **out, size_t *len, const tool_plotweb_src *src, int have_range,
		      int64_t t0, int64_t t1, size_t w);
void tool_plotweb_stop(tool_plotweb *w);

#endif
