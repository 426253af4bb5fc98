/* frame.c: encode and decode binary frames (format in frame.h, tsd-frames(5)). */
#include "frame.h"
#include "tsd.h"

#include <endian.h>
#include <math.h>
#include <string.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "tsdown's binary frames are decoded in place: a little-endian host is required"
#endif

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static uint32_t get32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void putf64(unsigned char *p, double v) { memcpy(p, &v, 8); }
static double getf64(const unsigned char *p) { double v; memcpy(&v, p, 8); return v; }

void tsd_frame_stream_header(unsigned char *b)
{
	b[0] = TSD_FRAME_MAGIC0;
	b[1] = 'T';
	b[2] = 'S';
	b[3] = 'D';
	b[4] = TSD_FRAME_VERSION;
	b[5] = 0;
	b[6] = 0;
	b[7] = 0;
}

int tsd_frame_check_header(const unsigned char *b)
{
	if (b[0] != TSD_FRAME_MAGIC0 || b[1] != 'T' || b[2] != 'S' || b[3] != 'D')
		return TSD_EFORMAT;
	if (b[4] != TSD_FRAME_VERSION || b[5] != 0)
		return TSD_EVERSION;
	if (b[6] || b[7])
		return TSD_EFORMAT;
	return 0;
}

void tsd_frame_put_header(unsigned char *b, int type, int flags, unsigned aux, uint32_t len)
{
	b[0] = (unsigned char)type;
	b[1] = (unsigned char)flags;
	b[2] = (unsigned char)(aux & 0xff);
	b[3] = (unsigned char)(aux >> 8);
	put32(b + 4, len);
}

size_t tsd_frame_name_size(size_t len) { return TSD_FRAME_HDR + tsd_pad8(4 + len); }

size_t tsd_frame_name(unsigned char *b, uint32_t id, const char *name, size_t len)
{
	size_t sz = tsd_frame_name_size(len);

	memset(b, 0, sz);
	tsd_frame_put_header(b, TSD_FR_NAME, 0, 0, (uint32_t)(sz - TSD_FRAME_HDR));
	put32(b + 8, id);
	memcpy(b + 12, name, len);
	return sz;
}

size_t tsd_frame_style(unsigned char *b, const tsd_style *st)
{
	memset(b, 0, 56);
	tsd_frame_put_header(b, TSD_FR_STYLE, 0, 0, 48);
	b[8] = st->tstyle.kind;
	b[9] = st->tstyle.sep;
	b[10] = st->tstyle.frac;
	b[11] = st->tstyle.zone;
	memcpy(b + 12, &st->tstyle.tzmin, 2);
	b[14] = st->shape;
	memcpy(b + 16, st->time_name, strnlen(st->time_name, sizeof st->time_name));
	return 56;
}

size_t tsd_frame_window(unsigned char *b, const tsd_window *w)
{
	memset(b, 0, 72);
	tsd_frame_put_header(b, TSD_FR_WINDOW, w->flags, 0, 64);
	put32(b + 8, w->series);
	put32(b + 12, w->n);
	put64(b + 16, (uint64_t)w->window);
	put64(b + 24, (uint64_t)w->t_first);
	put64(b + 32, (uint64_t)w->t_last);
	b[40] = w->levels;
	memcpy(b + 48, w->wavelet, TSD_WAVELET_NAME);
	memcpy(b + 56, w->mode, TSD_MODE_NAME);
	return 72;
}

size_t tsd_frame_end(unsigned char *b, const tsd_end *e)
{
	size_t len = e->has_range ? 32 : 16;

	memset(b, 0, 8 + len);
	tsd_frame_put_header(b, TSD_FR_END, 0, 0, (uint32_t)len);
	put32(b + 8, e->series);
	put64(b + 16, (uint64_t)e->window);
	if (e->has_range) {
		putf64(b + 24, e->lo);
		putf64(b + 32, e->hi);
	}
	return 8 + len;
}

size_t tsd_frame_control_size(size_t topic_len) { return TSD_FRAME_HDR + tsd_pad8(16 + topic_len); }

size_t tsd_frame_control(unsigned char *b, const tsd_control *k)
{
	size_t sz = tsd_frame_control_size(k->topic_len);

	memset(b, 0, sz);
	tsd_frame_put_header(b, TSD_FR_CONTROL, 0, k->what, (uint32_t)(sz - TSD_FRAME_HDR));
	put32(b + 8, (uint32_t)k->partition);
	put32(b + 12, k->topic_len);
	put64(b + 16, (uint64_t)k->offset);
	memcpy(b + 24, k->topic, k->topic_len);
	return sz;
}

size_t tsd_frame_samples_size(uint32_t count, int regular)
{
	return TSD_FRAME_HDR + 8 + (regular ? 16 + 8 * (size_t)count : 16 * (size_t)count);
}
size_t tsd_frame_times_size(uint32_t count) { return TSD_FRAME_HDR + 16 + 8 * (size_t)count; }

size_t tsd_frame_coefs_size(uint32_t count, int scored)
{
	return TSD_FRAME_HDR + 24 + 8 * (size_t)count + (scored ? tsd_pad8(4 * (size_t)count) : 0);
}

size_t tsd_frame_samples(unsigned char *b, uint32_t series, uint32_t n, const int64_t *t,
			 int64_t t0, int64_t dt, const double *v)
{
	size_t sz = tsd_frame_samples_size(n, t == NULL);

	tsd_frame_put_header(b, TSD_FR_SAMPLES, t ? 0 : TSD_FR_REGULAR, 0, (uint32_t)(sz - TSD_FRAME_HDR));
	memcpy(b + 8, &series, 4);
	memcpy(b + 12, &n, 4);
	if (!t) {
		memcpy(b + 16, &t0, 8);
		memcpy(b + 24, &dt, 8);
		memcpy(b + 32, v, 8 * (size_t)n);
	} else {
		memcpy(b + 16, t, 8 * (size_t)n);
		memcpy(b + 16 + 8 * (size_t)n, v, 8 * (size_t)n);
	}
	return sz;
}

size_t tsd_frame_coefs(unsigned char *b, uint32_t series, const tsd_coefs *c)
{
	int scored = c->score != NULL;
	size_t sz = tsd_frame_coefs_size(c->count, scored);

	memset(b, 0, sz);
	tsd_frame_put_header(b, TSD_FR_COEFS, (c->flags & ~TSD_COEF_SCORED) | (scored ? TSD_COEF_SCORED : 0),
			     0, (uint32_t)(sz - TSD_FRAME_HDR));
	memcpy(b + 8, &series, 4);
	b[12] = c->level;
	b[13] = c->kind;
	memcpy(b + 16, &c->window, 8);
	memcpy(b + 24, &c->start, 4);
	memcpy(b + 28, &c->count, 4);
	memcpy(b + 32, c->v, 8 * (size_t)c->count);
	if (scored)
		memcpy(b + 32 + 8 * (size_t)c->count, c->score, 4 * (size_t)c->count);
	return sz;
}

size_t tsd_frame_times(unsigned char *b, uint32_t series, int64_t window, uint32_t n, const int64_t *t)
{
	size_t sz = tsd_frame_times_size(n);

	tsd_frame_put_header(b, TSD_FR_TIMES, 0, 0, (uint32_t)(sz - TSD_FRAME_HDR));
	memcpy(b + 8, &series, 4);
	memcpy(b + 12, &n, 4);
	memcpy(b + 16, &window, 8);
	memcpy(b + 24, t, 8 * (size_t)n);
	return sz;
}

int tsd_frame_parse_header(int *type, unsigned *flags, unsigned *aux, uint32_t *len, const unsigned char *b)
{
	*type = b[0];
	*flags = b[1];
	*aux = b[2] | (unsigned)b[3] << 8;
	*len = get32(b + 4);
	if (*len % 8 || *len > TSD_FRAME_MAXLEN)
		return TSD_EFORMAT;
	return 0;
}

int tsd_frame_decode_name(uint32_t *id, const char **name, size_t *len, const unsigned char *p, uint32_t plen)
{
	if (plen < 8)
		return TSD_EFORMAT;
	*id = get32(p);
	*name = (const char *)p + 4;
	*len = strnlen(*name, plen - 4);
	/* only NUL padding after the name: a NUL inside it would make two
	 * names one */
	for (size_t i = 4 + *len; i < plen; i++)
		if (p[i])
			return TSD_EFORMAT;
	return 0;
}

int tsd_frame_decode_style(tsd_style *st, const unsigned char *p, uint32_t plen)
{
	if (plen < 48)
		return TSD_EFORMAT;
	memset(st, 0, sizeof *st);
	st->tstyle.kind = p[0];
	st->tstyle.sep = p[1];
	st->tstyle.frac = p[2];
	st->tstyle.zone = p[3];
	memcpy(&st->tstyle.tzmin, p + 4, 2);
	st->shape = p[6];
	memcpy(st->time_name, p + 8, sizeof st->time_name - 1);
	if (st->tstyle.kind > TSD_T_SF || st->tstyle.frac > 9)
		return TSD_EFORMAT;
	return 0;
}

/* Decode a data frame's payload p (plen bytes). SAMPLES frames give a
 * TSD_REC_SAMPLES run (and *count its length). */
int tsd_frame_decode(tsd_rec *r, uint32_t *count, const unsigned char *p, uint32_t plen, int type, unsigned flags, unsigned aux)
{
	uint32_t n;

	switch (type) {
	case TSD_FR_SAMPLES: {
		int reg = flags & TSD_FR_REGULAR;
		if (plen < 8)
			return TSD_EFORMAT;
		n = get32(p + 4);
		if (n == 0 || tsd_frame_samples_size(n, reg) - TSD_FRAME_HDR != plen)
			return TSD_EFORMAT;
		r->kind = TSD_REC_SAMPLES;
		r->r.series = get32(p);
		r->r.count = n;
		if (reg) {
			r->r.t = NULL;
			r->r.t0 = (int64_t)get64(p + 8);
			r->r.dt = (int64_t)get64(p + 16);
			r->r.v = (const double *)(const void *)(p + 24);
		} else {
			r->r.t = (const int64_t *)(const void *)(p + 8);
			r->r.t0 = r->r.dt = 0;
			r->r.v = (const double *)(const void *)(p + 8 + 8 * (size_t)n);
		}
		*count = n;
		return 0;
	}
	case TSD_FR_WINDOW:
		if (plen != 64)
			return TSD_EFORMAT;
		r->kind = TSD_REC_WINDOW;
		r->w.series = get32(p);
		r->w.n = get32(p + 4);
		r->w.window = (int64_t)get64(p + 8);
		r->w.t_first = (int64_t)get64(p + 16);
		r->w.t_last = (int64_t)get64(p + 24);
		r->w.levels = p[32];
		r->w.flags = (uint8_t)flags;
		r->w.has_range = 0;
		r->w.lo = r->w.hi = 0;
		memcpy(r->w.wavelet, p + 40, TSD_WAVELET_NAME);
		memcpy(r->w.mode, p + 48, TSD_MODE_NAME);
		if (r->w.wavelet[TSD_WAVELET_NAME - 1] || r->w.mode[TSD_MODE_NAME - 1])
			return TSD_EFORMAT;
		return 0;
	case TSD_FR_TIMES:
		if (plen < 16)
			return TSD_EFORMAT;
		n = get32(p + 4);
		if ((uint64_t)n * 8 + 16 != plen)
			return TSD_EFORMAT;
		r->kind = TSD_REC_TIMES;
		r->ts.series = get32(p);
		r->ts.count = n;
		r->ts.window = (int64_t)get64(p + 8);
		r->ts.t = (const int64_t *)(const void *)(p + 16);
		return 0;
	case TSD_FR_COEFS: {
		int scored = flags & TSD_COEF_SCORED;
		if (plen < 24)
			return TSD_EFORMAT;
		n = get32(p + 20);
		if (n == 0 || tsd_frame_coefs_size(n, scored) - TSD_FRAME_HDR != plen)
			return TSD_EFORMAT;
		r->kind = TSD_REC_COEF;
		r->c.series = get32(p);
		r->c.level = p[4];
		r->c.kind = p[5];
		r->c.flags = (uint8_t)flags;
		r->c.window = (int64_t)get64(p + 8);
		r->c.start = get32(p + 16);
		r->c.count = n;
		r->c.v = (const double *)(const void *)(p + 24);
		r->c.score = scored ? (const float *)(const void *)(p + 24 + 8 * (size_t)n) : NULL;
		if (r->c.kind > TSD_COEF_D || r->c.level == 0)
			return TSD_EFORMAT;
		return 0;
	}
	case TSD_FR_END:
		if (plen != 16 && plen != 32)
			return TSD_EFORMAT;
		r->kind = TSD_REC_END;
		r->e.series = get32(p);
		r->e.window = (int64_t)get64(p + 8);
		r->e.has_range = plen == 32;
		r->e.lo = r->e.hi = 0;
		if (r->e.has_range) {
			r->e.lo = getf64(p + 16);
			r->e.hi = getf64(p + 24);
			/* a range is two finite numbers in order */
			if (!isfinite(r->e.lo) || !isfinite(r->e.hi) || r->e.lo > r->e.hi)
				return TSD_EFORMAT;
		}
		return 0;
	case TSD_FR_CONTROL:
		if (plen < 16)
			return TSD_EFORMAT;
		r->kind = TSD_REC_CONTROL;
		r->k.what = (uint16_t)aux;
		r->k.partition = (int32_t)get32(p);
		n = get32(p + 4);
		if (n > plen - 16 || n > 0xffff)
			return TSD_EFORMAT;
		r->k.topic_len = (uint16_t)n;
		r->k.offset = (int64_t)get64(p + 8);
		r->k.topic = (const char *)p + 16;
		return 0;
	}
	return TSD_EUNSUP;
}
