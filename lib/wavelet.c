/* wavelet.c: lookup of the built-in wavelet filter banks. The coefficients
 * live in wavelet_table.inc, generated from PyWavelets by
 * scripts/gen-wavelet-table.py.
 */
#include <string.h>

#include "wavelet.h"

#include "wavelet_table.inc"

#define NWAVELETS (sizeof(wavelet_table) / sizeof(wavelet_table[0]))

const tsd_wavelet *tsd_wavelet_find(const char *name)
{
	size_t i;

	if (!name)
		return NULL;
	for (i = 0; i < NWAVELETS; i++)
		if (strcmp(wavelet_table[i].name, name) == 0)
			return &wavelet_table[i];
	return NULL;
}

size_t tsd_wavelet_count(void)
{
	return NWAVELETS;
}

const tsd_wavelet *tsd_wavelet_at(size_t i)
{
	return i < NWAVELETS ? &wavelet_table[i] : NULL;
}

uint8_t tsd_wavelet_id(const tsd_wavelet *w)
{
	return w ? w->id : 0;
}

const tsd_wavelet *tsd_wavelet_by_id(uint8_t id)
{
	/* The table is in id order starting at 1; check rather than trust. */
	if (id == 0 || id > NWAVELETS || wavelet_table[id - 1].id != id)
		return NULL;
	return &wavelet_table[id - 1];
}
