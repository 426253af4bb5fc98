/* wavelet.h: the built-in orthogonal wavelet filter banks (haar, db1-db20,
 * sym2-sym20, coif1-coif5), coefficient for coefficient those of
 * PyWavelets 1.1.1.
 *
 * Each wavelet has a name and a small numeric id (1..255, 0 is never used)
 * that binary frames store; ids are stable across versions.
 */
#ifndef TSD_WAVELET_H
#define TSD_WAVELET_H

#include <stddef.h>
#include <stdint.h>

typedef struct tsd_wavelet {
	const char *name;      /* "db4", as PyWavelets spells it */
	uint8_t id;            /* stable id for frames, >= 1 */
	unsigned len;          /* filter length F, always even */
	const double *dec_lo;  /* (F) analysis low-pass */
	const double *dec_hi;  /* (F) analysis high-pass */
	const double *rec_lo;  /* (F) synthesis low-pass */
	const double *rec_hi;  /* (F) synthesis high-pass */
} tsd_wavelet;

/* The wavelet called name (exact, case-sensitive), or NULL. */
const tsd_wavelet *tsd_wavelet_find(const char *name);

/* For listing: wavelets 0..count-1 in id order. NULL past the end. */
size_t tsd_wavelet_count(void);
const tsd_wavelet *tsd_wavelet_at(size_t i);

/* Frame ids: tsd_wavelet_by_id returns NULL for an unknown id. */
uint8_t tsd_wavelet_id(const tsd_wavelet *w);
const tsd_wavelet *tsd_wavelet_by_id(uint8_t id);

#endif
