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
	/* where CONTROL records go (NULL: straight to the output); a tool
	 * that holds windows back (tscore -j) queues them behind those */
	void (*ctl)(const tsd_rec *r, void *arg);
	void *ctl_arg;
} tool_coefloop;

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
