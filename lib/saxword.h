/* saxword.h: SAX words of windows, and back to values.
 *
 * A word describes one window of one series: its time span and sample
 * count, the group size and alphabet, the window's mean and standard
 * deviation (so the word decodes to the series' own units), and one
 * symbol per group. Text form (one CSV row, see sax(1)):
 *     series,start,end,samples,group,alphabet,mean,std,word
 */
#ifndef TSD_SAXWORD_H
#define TSD_SAXWORD_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	int64_t start, end;   /* times of the first and last sample (ns) */
	size_t n;             /* samples */
	size_t group;
	int alpha;
	double mean, std;     /* std 0: a flat window (all symbols middle) */
	size_t m;             /* symbols */
	uint8_t *sym;         /* (m), caller-owned */
} tsd_saxword;

/* Encode one window v[0..n-1] (times t) into w->sym, which must hold
 * ceil(n/group) symbols; work holds n doubles. znorm 0 encodes the raw
 * values against N(0,1) breakpoints (mean 0, std 1 are recorded). */
int tsd_saxword_encode(tsd_saxword *w, double *work, const int64_t *t, const double *v,
		       size_t n, size_t group, int alpha, const double *bp, int znorm);
/* Decode into m values and their times: group centres, assuming evenly
 * spaced samples over [start, end]. how: TSD_SAX_DECODE_*. */
int tsd_saxword_decode(int64_t *t, double *v, const tsd_saxword *w, int how);

#endif
