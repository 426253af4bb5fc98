/* carry.c: carried state saved before positions and loaded after a seek
 * (see carry.h). */
#include "carry.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctlq.h"
#include "position.h"
#include "tsd.h"

void tool_carry_init(tool_carry *cy, tool_io *io, const char *stage,
		     int (*save)(uint32_t, char *, size_t, void *),
		     int (*load)(uint32_t, const char *, size_t, void *), void (*reset)(void *), void *arg)
{
	memset(cy, 0, sizeof *cy);
	cy->io = io;
	cy->stage = stage;
	cy->save = save;
	cy->load = load;
	cy->reset = reset;
	cy->arg = arg;
	cy->buf = malloc(TSD_CARRY_MAX + 1);
	cy->text = malloc(TSD_CARRY_MAX + 1);
	if (!cy->buf || !cy->text)
		tool_die(EXIT_DATA, "out of memory");
}

void tool_carry_free(tool_carry *cy)
{
	free(cy->dirty);
	free(cy->upto);
	free(cy->seen);
	free(cy->list);
	free(cy->buf);
	free(cy->text);
}

static void mark(tool_carry *cy, uint32_t s);

static void room(tool_carry *cy, uint32_t s)
{
	if (s < cy->ndirty)
		return;
	size_t old = cy->ndirty, n = (size_t)s + 1 + old, c2 = old, c3 = old;
	cy->dirty = tool_grow(cy->dirty, &cy->ndirty, n, 1);
	cy->upto = tool_grow(cy->upto, &c2, n, sizeof *cy->upto);
	cy->seen = tool_grow(cy->seen, &c3, n, 1);
	memset(cy->dirty + old, 0, n - old);
	memset(cy->seen + old, 0, n - old);
}

int tool_carry_skip(tool_carry *cy, uint32_t s, int64_t t0)
{
	return s < cy->ndirty && cy->seen[s] == 2 && t0 <= cy->upto[s];
}

void tool_carry_touch(tool_carry *cy, uint32_t s, int64_t t1)
{
	room(cy, s);
	cy->upto[s] = t1;
	cy->seen[s] = 1;
	mark(cy, s);
}

/* s is to be saved with the next position */
static void mark(tool_carry *cy, uint32_t s)
{
	if (cy->dirty[s])
		return;
	cy->dirty[s] = 1;
	if (cy->nlist == cy->lcap)
		cy->list = tool_grow(cy->list, &cy->lcap, 2 * cy->lcap + 16, sizeof *cy->list);
	cy->list[cy->nlist++] = s;
}

/* "upto=T " at the start of *d: T in *t, *d past it */
static int take_upto(const char **d, size_t *dl, int64_t *t)
{
	char num[24], *e;
	size_t i = 5;

	if (*dl < 7 || memcmp(*d, "upto=", 5))
		return 0;
	while (i < *dl && (*d)[i] != ' ')
		i++;
	if (i == *dl || i - 5 >= sizeof num || i == 5)
		return 0;
	memcpy(num, *d + 5, i - 5);
	num[i - 5] = 0;
	errno = 0;
	*t = strtoll(num, &e, 10);
	if (errno || *e)
		return 0;
	*d += i + 1;
	*dl -= i + 1;
	return 1;
}

/* The state of every series touched since the last position, as SAVE
 * records. */
static void save_dirty(tool_carry *cy)
{
	for (size_t i = 0; i < cy->nlist; i++) {
		uint32_t s = cy->list[i];
		const char *nm = tsd_series_name(cy->io->tab, s);
		size_t nl = tsd_series_namelen(cy->io->tab, s);
		int k = snprintf(cy->buf, TSD_CARRY_MAX + 1, "upto=%" PRId64 " ", cy->upto[s]), n;
		int dl = cy->save(s, cy->buf + k, TSD_CARRY_MAX + 1 - (size_t)k, cy->arg);
		cy->dirty[s] = 0;
		if (dl >= 0)
			dl += k;
		if (dl < 0 || (n = tsd_carry_format(cy->text, TSD_CARRY_MAX + 1, cy->stage, nm, nl,
						    cy->buf, (size_t)dl)) < 0) {
			/* not stored: a replay starts this series afresh */
			if (!cy->big++)
				tool_warn("series '%s': the state carried from window to window does not fit "
					  "in %d bytes, so a replay from a stored position may change its rows",
					  nm, TSD_CARRY_MAX);
			continue;
		}
		tsd_rec r = { .kind = TSD_REC_CONTROL };
		r.k.what = TSD_CTL_SAVE;
		r.k.topic = cy->text;
		r.k.topic_len = (uint16_t)n;
		tool_put(cy->io, &r);
	}
	cy->nlist = 0;
}

void tool_carry_ctl(const tsd_rec *r, void *arg)
{
	tool_carry *cy = arg;
	const tsd_control *k = &r->k;

	switch (k->what) {
	case TSD_CTL_POSITION:
		if (!tsd_ctl_is_end(k)) /* the end mark stores nothing */
			save_dirty(cy);
		break;
	case TSD_CTL_REVOKE:
		cy->reset(cy->arg);
		for (size_t i = 0; i < cy->nlist; i++)
			cy->dirty[cy->list[i]] = 0;
		cy->nlist = 0;
		if (cy->ndirty)
			memset(cy->seen, 0, cy->ndirty);
		break;
	case TSD_CTL_LOAD: {
		const char *st, *nm, *d;
		size_t sl, nl, dl;
		uint32_t s;
		if (tsd_carry_split(k->topic, k->topic_len, &st, &sl, &nm, &nl, &d, &dl) < 0)
			tool_die(EXIT_DATA, "%s: a load record that is not STAGE LEN:NAME DATA", tool_where(cy->io));
		if (sl != strlen(cy->stage) || memcmp(st, cy->stage, sl))
			break; /* another stage's */
		int rc = tsd_series_intern(&s, cy->io->tab, nm, nl);
		if (rc < 0)
			tool_die(EXIT_DATA, "%s: a load record's series: %s", tool_where(cy->io), tsd_strerror(rc));
		room(cy, s);
		if (!take_upto(&d, &dl, &cy->upto[s]) || cy->load(s, d, dl, cy->arg) < 0)
			tool_die(EXIT_DATA, "%s: series '%.*s': a malformed %s state in a load record",
				 tool_where(cy->io), (int)nl, nm, cy->stage);
		cy->seen[s] = 2;
		/* saved again with the next position: the store then holds the
		 * state that goes with it even if another writer moved it on */
		mark(cy, s);
		return; /* taken */
	}
	}
	tool_put(cy->io, r);
}
