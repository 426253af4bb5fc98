/* series.c: open-addressing hash table from names to dense ids. */
#include "series.h"
#include "tsd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tsd_series_tab {
	char **names;      /* (n) NUL-terminated copies */
	uint32_t *lens;    /* (n) */
	uint32_t n, cap;   /* names in use, allocated */
	uint32_t *slots;   /* (nslots) id + 1, 0 = empty */
	uint32_t nslots;   /* power of two */
	uint32_t max;      /* most names */
	uint32_t last;     /* id + 1 of the last name interned, 0 none: runs of one series skip the hash */
};

static uint64_t hash(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
	return h;
}

tsd_series_tab *tsd_series_new(void)
{
	tsd_series_tab *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->nslots = 64;
	t->max = TSD_SERIES_MAX;
	t->slots = calloc(t->nslots, sizeof *t->slots);
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

void tsd_series_free(tsd_series_tab *t)
{
	uint32_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		free(t->names[i]);
	free(t->names);
	free(t->lens);
	free(t->slots);
	free(t);
}

static uint32_t *lookup(const tsd_series_tab *t, const char *s, size_t len)
{
	uint32_t mask = t->nslots - 1, i = (uint32_t)hash(s, len) & mask;

	for (;; i = (i + 1) & mask) {
		uint32_t v = t->slots[i];
		if (!v || (t->lens[v - 1] == len && memcmp(t->names[v - 1], s, len) == 0))
			return &t->slots[i];
	}
}

static int grow(tsd_series_tab *t)
{
	uint32_t ns = t->nslots * 2, i, *slots = calloc(ns, sizeof *slots);

	if (!slots)
		return TSD_ENOMEM;
	free(t->slots);
	t->slots = slots;
	t->nslots = ns;
	for (i = 0; i < t->n; i++)
		*lookup(t, t->names[i], t->lens[i]) = i + 1;
	return 0;
}

int tsd_series_find(uint32_t *id, const tsd_series_tab *t, const char *s, size_t len)
{
	uint32_t v = *lookup(t, s, len);

	if (!v)
		return TSD_ENOTFOUND;
	*id = v - 1;
	return 0;
}

int tsd_series_intern(uint32_t *id, tsd_series_tab *t, const char *s, size_t len)
{
	uint32_t *slot;
	char *copy;

	if (t->last && t->lens[t->last - 1] == len && !memcmp(t->names[t->last - 1], s, len)) {
		*id = t->last - 1;
		return 0;
	}
	if (len > TSD_SERIES_NAME_MAX)
		return TSD_ERANGE;
	if (memchr(s, 0, len))
		return TSD_EFORMAT;
	slot = lookup(t, s, len);
	if (*slot) {
		*id = *slot - 1;
		t->last = *slot;
		return 0;
	}
	if (t->n >= t->max)
		return TSD_ELIMIT;
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 16;
		char **nn = realloc(t->names, nc * sizeof *nn);
		if (!nn)
			return TSD_ENOMEM;
		t->names = nn;
		uint32_t *nl = realloc(t->lens, nc * sizeof *nl);
		if (!nl)
			return TSD_ENOMEM;
		t->lens = nl;
		t->cap = nc;
	}
	copy = malloc(len + 1);
	if (!copy)
		return TSD_ENOMEM;
	memcpy(copy, s, len);
	copy[len] = 0;
	t->names[t->n] = copy;
	t->lens[t->n] = (uint32_t)len;
	*slot = ++t->n;
	*id = t->n - 1;
	t->last = t->n;
	if (t->n * 2 > t->nslots)
		return grow(t);
	return 0;
}

const char *tsd_series_name(const tsd_series_tab *t, uint32_t id)
{
	return id < t->n ? t->names[id] : NULL;
}

size_t tsd_series_namelen(const tsd_series_tab *t, uint32_t id)
{
	return id < t->n ? t->lens[id] : 0;
}

uint32_t tsd_series_count(const tsd_series_tab *t)
{
	return t->n;
}

int tsd_series_set_max(tsd_series_tab *t, uint32_t max)
{
	if (max < 1 || max > TSD_SERIES_MAX_LIMIT)
		return TSD_ERANGE;
	t->max = max;
	return 0;
}

uint32_t tsd_series_max(const tsd_series_tab *t)
{
	return t->max;
}

const char *tsd_series_why(char *buf, size_t buflen, const tsd_series_tab *t, int rc, size_t len)
{
	switch (rc) {
	case TSD_ERANGE:
		snprintf(buf, buflen, "series name of %zu bytes (limit %d)", len, TSD_SERIES_NAME_MAX);
		break;
	case TSD_EFORMAT:
		snprintf(buf, buflen, "NUL byte in a series name");
		break;
	case TSD_ELIMIT:
		snprintf(buf, buflen, "too many series (limit %u); use --max-series", t->max);
		break;
	default:
		snprintf(buf, buflen, "series name: %s", tsd_strerror(rc));
	}
	return buf;
}
