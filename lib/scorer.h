/* scorer.h: score the detail coefficients of one window with the learned
 * importance model: features (lib/feature.h), then the transformer's
 * forward pass (lib/model.h), scores put back in the window's layout.
 *
 * A tsd_scorer holds the scratch of one thread; several scorers may share
 * one model (the forward pass only reads it), so windows can be scored in
 * parallel, one scorer per thread. A window's scores do not depend on
 * which scorer computed them or on the other windows.
 */
#ifndef TSD_SCORER_H
#define TSD_SCORER_H

#include <stddef.h>
#include <stdint.h>

#include "feature.h"
#include "model.h"

struct tsd_scorer {
	const struct tsd_model *m;
	struct tsd_feature_ws fws;
	float *x;        /* (T, F) features */
	uint32_t *tok;   /* (T) layout index of each token */
	float *ts;       /* (T) scores in token order */
	float *acts;     /* (alen) activations */
	size_t tcap, acap;
	/* Candidates (0: off, every detail scored). With ratio R > 0 and
	 * cand K > 0, a window of n samples scores only the K * b details of
	 * largest magnitude, b the details thresh --ratio R keeps (round(n /
	 * R) points less merge's coarse grid, tsd_select_budget; at least
	 * 1): they get 0.5 + 0.5 * the model's score, the others 0.49 * |c|
	 * / the largest |c| among them, so every candidate
	 * ranks above every other detail and thresh's top-b choice stays
	 * among the candidates. The model sees the candidates only. */
	double ratio, cand;
};

/* How many candidates a window of n samples, J levels and T details has
 * (see above): at most T. */
size_t tsd_scorer_candidates(double ratio, double cand, unsigned J, size_t n, size_t T);

void tsd_scorer_init(struct tsd_scorer *s, const struct tsd_model *m);
void tsd_scorer_free(struct tsd_scorer *s);

/* sc (m): 1 for the approximation coefficients (the first lens[0]), the
 * model's score in [0,1] for each detail. c (m) is the window in the
 * layout of J + 1 band lengths lens for n samples, w, mode (missing
 * coefficients 0). Returns 0; TSD_ERANGE when the window has more details
 * than the model takes (m->cfg.max_tokens), TSD_EINVAL when a
 * coefficient is NaN or infinite, TSD_ENOMEM. */
int tsd_scorer_window(float *sc, struct tsd_scorer *s, const double *c, size_t m,
		      const size_t *lens, unsigned J, size_t n,
		      const tsd_wavelet *w, enum tsd_mode mode);

#endif
