/* framecodec.c: frames in a memory buffer to records. */
#include "framecodec.h"
#include "tsd.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tsd_fdec_init(tsd_fdec *d, tsd_series_tab *tab)
{
	memset(d, 0, sizeof *d);
	d->tab = tab;
}

void tsd_fdec_reset(tsd_fdec *d)
{
	if (d->nidmap)
		memset(d->idmap, 0, d->nidmap * sizeof *d->idmap);
}

void tsd_fdec_free(tsd_fdec *d)
{
	free(d->idmap);
	d->idmap = NULL;
	d->nidmap = 0;
}

__attribute__((format(printf, 3, 4)))
static int fail(tsd_fdec *d, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof d->err, fmt, ap);
	va_end(ap);
	return rc;
}

static int name_frame(tsd_fdec *d, const unsigned char *p, uint32_t len)
{
	uint32_t sid, id;
	const char *nm;
	size_t nl;
	int rc;

	if (tsd_frame_decode_name(&sid, &nm, &nl, p, len) || !nl)
		return fail(d, TSD_EFORMAT, "bad name frame (empty, or a NUL byte inside the name)");
	/* a writer's ids are its own table's, below its series limit; ours
	 * bounds the id map (4 bytes an id) */
	if (sid >= tsd_series_max(d->tab))
		return fail(d, TSD_ELIMIT, "series id %u out of range (more series than --max-series %u)",
			    sid, tsd_series_max(d->tab));
	if ((rc = tsd_series_intern(&id, d->tab, nm, nl)) < 0) {
		char why[128];
		return fail(d, rc, "%s", tsd_series_why(why, sizeof why, d->tab, rc, nl));
	}
	if (sid >= d->nidmap && tsd_grow(&d->idmap, &d->nidmap, (size_t)sid + 1, sizeof *d->idmap) < 0)
		return fail(d, TSD_ENOMEM, "out of memory");
	d->idmap[sid] = id + 1;
	return TSD_FDEC_SKIP;
}

/* What a binary frame may not carry, whatever its writer: sample times
 * past the int64 range, infinite values (NaN is a missing sample, as in
 * CSV), non-finite coefficients or scores outside 0..1, a window that ends
 * before it starts. d->missing says whether a sample run holds missing samples. */
static int check_values(tsd_fdec *d, const tsd_rec *rec)
{
	uint32_t i;
	int missing = 0;

	switch (rec->kind) {
	case TSD_REC_SAMPLES: {
		const tsd_samples *run = &rec->r;
		if (!run->t) {
			int64_t span, last;
			if (__builtin_mul_overflow((int64_t)(run->count - 1), run->dt, &span) ||
			    __builtin_add_overflow(run->t0, span, &last))
				return fail(d, TSD_ERANGE, "sample times past the 64-bit nanosecond range");
		}
		if (tsd_all_finite(run->v, run->count)) {
			d->missing = 0;
			return 0;
		}
		for (i = 0; i < run->count; i++) {
			if (isfinite(run->v[i]))
				continue;
			if (!isnan(run->v[i]))
				return fail(d, TSD_ERANGE, "infinite value at sample %u of the run", i);
			missing = 1;
		}
		d->missing = missing;
		return 0;
	}
	case TSD_REC_COEF:
		if (tsd_all_finite(rec->c.v, rec->c.count) && !rec->c.score)
			return 0;
		for (i = 0; i < rec->c.count; i++) {
			if (!isfinite(rec->c.v[i]))
				return fail(d, TSD_ERANGE, "non-finite coefficient at index %llu",
					     (unsigned long long)rec->c.start + i);
			if (rec->c.score && !(rec->c.score[i] >= 0 && rec->c.score[i] <= 1))
				return fail(d, TSD_ERANGE, "score of coefficient %llu not in 0..1",
					     (unsigned long long)rec->c.start + i);
		}
		return 0;
	case TSD_REC_WINDOW:
		if (rec->w.t_last < rec->w.t_first)
			return fail(d, TSD_EORDER, "window %lld ends before it starts",
				     (long long)rec->w.window);
		return 0;
	}
	return 0;
}

int tsd_fdec_next(tsd_fdec *d, tsd_rec *rec, size_t *used, size_t *need,
		  const unsigned char *buf, size_t avail)
{
	int type, rc;
	unsigned flags, aux;
	uint32_t len, count = 0;

	*used = 0;
	if (avail < TSD_FRAME_HDR) {
		*need = TSD_FRAME_HDR;
		return TSD_FDEC_MORE;
	}
	if (buf[0] == TSD_FRAME_MAGIC0) {
		rc = tsd_frame_check_header(buf);
		if (rc == TSD_EVERSION)
			return fail(d, rc, "binary stream version %u; this build reads version %d",
				    buf[4], TSD_FRAME_VERSION);
		if (rc)
			return fail(d, rc, "bad stream header");
		*used = 8;
		return TSD_FDEC_HEADER;
	}
	if (tsd_frame_parse_header(&type, &flags, &aux, &len, buf)) {
		uint32_t bad;
		memcpy(&bad, buf + 4, 4);
		return fail(d, TSD_EFORMAT, "bad frame length %u", (unsigned)bad);
	}
	if (avail - TSD_FRAME_HDR < len) {
		*need = TSD_FRAME_HDR + (size_t)len;
		return TSD_FDEC_MORE;
	}
	*used = TSD_FRAME_HDR + (size_t)len;
	buf += TSD_FRAME_HDR;
	if (type == TSD_FR_NAME)
		return name_frame(d, buf, len);
	if (type == TSD_FR_STYLE) {
		if (tsd_frame_decode_style(&d->style, buf, len))
			return fail(d, TSD_EFORMAT, "bad style frame");
		d->style_seen = 1;
		return TSD_FDEC_SKIP;
	}
	rc = tsd_frame_decode(rec, &count, buf, len, type, flags, aux);
	if (rc == TSD_EUNSUP)
		return TSD_FDEC_SKIP; /* a frame kind from a newer writer */
	if (rc)
		return fail(d, rc, "malformed '%c' frame", type);
	if (rec->kind != TSD_REC_CONTROL) {
		/* every data record starts with its series id */
		uint32_t *sp = rec->kind == TSD_REC_SAMPLES ? &rec->r.series :
			       rec->kind == TSD_REC_WINDOW ? &rec->w.series :
			       rec->kind == TSD_REC_TIMES ? &rec->ts.series :
			       rec->kind == TSD_REC_COEF ? &rec->c.series : &rec->e.series;
		if (*sp >= d->nidmap || !d->idmap[*sp])
			return fail(d, TSD_EFORMAT, "series id %u used before its name frame", *sp);
		*sp = d->idmap[*sp] - 1;
	}
	if ((rc = check_values(d, rec)) < 0)
		return rc;
	return TSD_FDEC_RECORD;
}
