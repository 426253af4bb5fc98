/* coefloop.h: the read loop of a tool that works on whole windows of
 * wavelet coefficients (thresh, tscore, merge): records are assembled per
 * series into complete windows (lib/coefwin.h); source positions pass
 * through in order (dwt already placed them after the windows they cover). */
#ifndef TSD_COEFLOOP_H
#define TSD_COEFLOOP_H

#include "coefwin.h"
#include "tool.h"

typedef struct {
	tool_io *io;
	tsd_coefwin *win;     /* (nwin) by series */
	size_t nwin;
	size_t max_window;    /* most samples a window may declare */
	size_t max_bytes;     /* most bytes all windows of all series hold */
	size_t held;          /* bytes they hold now */
	tsd_coefwin *last;    /* the window given out last */
	/* where CONTROL records go (NULL: straight to the output); a tool
	 * that holds windows back (tscore -j) queues them behind those */
	void (*ctl)(const tsd_rec *r, void *arg);
	void *ctl_arg;
} tool_coefloop;

/* The options every coefficient reader takes, with their help lines:
 *   --max-window N    most samples a window may declare (default 1048576)
 *   --max-memory MB   most memory the windows being assembled may hold,
 *                     all series together (default 1024)
 */
#define TOOL_COEFLOOP_LONG \
	{ "max-window", required_argument, 0, 1101 }, \
	{ "max-memory", required_argument, 0, 1102 }
#define TOOL_COEFLOOP_HELP \
"      --max-window N     most samples a window may declare (default 1048576)\n" \
"      --max-memory MB    most memory the windows being assembled may hold,\n" \
"                         all series together (default 1024)\n"
/* Handle a TOOL_COEFLOOP option (before tool_coefloop_init); 1 if it was one. */
int tool_coefloop_option(int opt, const char *arg);

void tool_coefloop_init(tool_coefloop *cl, tool_io *io);
/* 1: a complete window in *cw (valid until the next call); 0: end of
 * input. Dies on bad input, naming the series and window, and on a window
 * left without its END at the end of input. */
int tool_coefloop_next(tool_coefloop *cl, tsd_coefwin **cw);
void tool_coefloop_free(tool_coefloop *cl);


/* Write one window of coefficients: the header hdr, its sample times t
 * when hdr says irregular, the coefficients c laid out in J + 1 bands at
 * off[0..J+1] ([cA_J, cD_J, .., cD_1]) in runs of those marked in keep
 * (NULL: all) with scores sc (NULL: none) and run flags cflags, then END.
 * thresh, tscore and dwt all write their windows through this. */
void tool_put_coefs(tool_io *io, const tsd_window *hdr, const int64_t *t, const double *c,
		    const float *sc, const unsigned char *keep, const size_t *off, unsigned J,
		    unsigned cflags);

#endif
