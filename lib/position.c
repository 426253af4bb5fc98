/* position.c: the text form of source positions, and a table of them. */
#include "position.h"

#include <stdlib.h>
#include <string.h>

#include "tsd.h"

static const char *const kind_name[] = { [TSD_CTL_POSITION] = "pos", [TSD_CTL_REVOKE] = "revoke",
					  [TSD_CTL_SAVE] = "save", [TSD_CTL_LOAD] = "load",
					  [TSD_CTL_GROUP] = "group" };
#define NKINDS (sizeof kind_name / sizeof kind_name[0])

int tsd_pos_topic_ok(const char *t, size_t n)
{
	if (n < 1 || n > TSD_TOPIC_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)t[i] <= ' ' || t[i] == 0x7f)
			return 0;
	return 1;
}

/* Decimal digits of v, backwards from the end of d; returns the start. */
static char *put_int(char *end, int64_t v)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do
		*--end = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--end = '-';
	return end;
}

static char *append(char *d, const char *s, size_t n)
{
	memcpy(d, s, n);
	return d + n;
}

int tsd_carry_text_ok(const char *s, size_t n)
{
	if (n < 1 || n > TSD_CARRY_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\n' || s[i] == '\r' || s[i] == 0)
			return 0;
	return 1;
}

int tsd_carry_format(char *buf, size_t cap, const char *stage, const char *name, size_t nlen,
		     const char *data, size_t dlen)
{
	char num[24], *p = put_int(num + sizeof num, (int64_t)nlen);
	size_t sl = strlen(stage), ml = (size_t)(num + sizeof num - p), n = sl + 1 + ml + 1 + nlen + 1 + dlen;

	if (!sl || n > TSD_CARRY_MAX || n + 1 > cap)
		return TSD_ESIZE;
	char *d = append(buf, stage, sl);
	*d++ = ' ';
	d = append(d, p, ml);
	*d++ = ':';
	d = append(d, name, nlen);
	*d++ = ' ';
	d = append(d, data, dlen);
	*d = 0;
	return tsd_carry_text_ok(buf, n) ? (int)n : TSD_EINVAL;
}

int tsd_carry_split(const char *s, size_t n, const char **stage, size_t *slen, const char **name,
		    size_t *nlen, const char **data, size_t *dlen)
{
	size_t i = 0, l = 0;

	while (i < n && s[i] != ' ')
		i++;
	if (!i || i == n)
		return TSD_EFORMAT;
	*stage = s;
	*slen = i++;
	if (i == n || s[i] < '0' || s[i] > '9')
		return TSD_EFORMAT;
	while (i < n && s[i] >= '0' && s[i] <= '9') {
		l = l * 10 + (size_t)(s[i++] - '0');
		if (l > TSD_CARRY_MAX)
			return TSD_EFORMAT;
	}
	if (i == n || s[i++] != ':' || l > n - i || n - i - l < 1 || s[i + l] != ' ')
		return TSD_EFORMAT;
	*name = s + i;
	*nlen = l;
	*data = s + i + l + 1;
	*dlen = n - i - l - 1;
	return 0;
}

static const char hexdig[] = "0123456789abcdef";

int tsd_group_format(char *buf, size_t cap, uint32_t version, const void *meta, size_t len, const char *member,
		     size_t mlen)
{
	const unsigned char *m = meta;
	size_t n;
	char *d = buf;

	if (!mlen)
		member = "-", mlen = 1;
	if (len < 1 || len > TSD_GROUP_META_MAX)
		return len ? TSD_ESIZE : TSD_EINVAL;
	n = 8 + 1 + 2 * len + 1 + mlen;
	if (n > TSD_CARRY_MAX || n + 1 > cap)
		return TSD_ESIZE;
	for (int i = 7; i >= 0; i--)
		*d++ = hexdig[(version >> (4 * i)) & 15];
	*d++ = ' ';
	for (size_t i = 0; i < len; i++) {
		*d++ = hexdig[m[i] >> 4];
		*d++ = hexdig[m[i] & 15];
	}
	*d++ = ' ';
	d = append(d, member, mlen);
	*d = 0;
	return tsd_carry_text_ok(buf, n) ? (int)n : TSD_EINVAL;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int tsd_group_parse(const char *s, size_t n, uint32_t *version, unsigned char *meta, size_t cap, size_t *len,
		    const char **member, size_t *mlen)
{
	uint32_t v = 0;
	size_t i = 0, h;

	if (n < 8 + 1 + 2 + 1 + 1)
		return TSD_EFORMAT;
	for (; i < 8; i++) {
		int x = hexval(s[i]);
		if (x < 0)
			return TSD_EFORMAT;
		v = v << 4 | (uint32_t)x;
	}
	if (s[i++] != ' ')
		return TSD_EFORMAT;
	for (h = i; h < n && s[h] != ' '; h++)
		;
	if (h == n || h == i || (h - i) % 2 || (h - i) / 2 > TSD_GROUP_META_MAX || h + 1 == n)
		return TSD_EFORMAT;
	if ((h - i) / 2 > cap)
		return TSD_ESIZE;
	for (size_t j = i, o = 0; j < h; j += 2, o++) {
		int a = hexval(s[j]), b = hexval(s[j + 1]);
		if (a < 0 || b < 0)
			return TSD_EFORMAT;
		meta[o] = (unsigned char)(a << 4 | b);
	}
	for (size_t j = h + 1; j < n; j++)
		if (s[j] == '\n' || s[j] == '\r' || !s[j])
			return TSD_EFORMAT;
	*version = v;
	*len = (h - i) / 2;
	*member = s + h + 1;
	*mlen = n - h - 1;
	return 0;
}

/* Kinds whose record carries a text rather than a partition. */
static int is_text_kind(int what)
{
	return what == TSD_CTL_SAVE || what == TSD_CTL_LOAD || what == TSD_CTL_GROUP;
}

int tsd_pos_format(char *buf, size_t cap, const tsd_control *k)
{
	char num[2][24], *p, *q, *d, line[TSD_POS_LINE_MAX + 1];
	const char *kind;

	if (is_text_kind(k->what)) {
		/* "#tsd save TEXT": the text as it is */
		size_t n = k->topic_len, kl = strlen(kind_name[k->what]);
		if (!tsd_carry_text_ok(k->topic, n))
			return TSD_EINVAL;
		if (6 + kl + n + 2 > cap)
			return TSD_ESIZE;
		memcpy(buf, "#tsd ", 5);
		memcpy(buf + 5, kind_name[k->what], kl);
		buf[5 + kl] = ' ';
		memcpy(buf + 6 + kl, k->topic, n);
		buf[6 + kl + n] = '\n';
		buf[7 + kl + n] = 0;
		return (int)(7 + kl + n);
	}
	if (k->what >= NKINDS || !(kind = kind_name[k->what]) || !tsd_pos_topic_ok(k->topic, k->topic_len))
		return TSD_EINVAL;
	p = put_int(num[0] + sizeof num[0], k->partition);
	q = put_int(num[1] + sizeof num[1], k->offset);
	d = append(line, "#tsd ", 5);
	d = append(d, kind, strlen(kind));
	d = append(d, " topic=", 7);
	d = append(d, k->topic, k->topic_len);
	d = append(d, " partition=", 11);
	d = append(d, p, (size_t)(num[0] + sizeof num[0] - p));
	d = append(d, " offset=", 8);
	d = append(d, q, (size_t)(num[1] + sizeof num[1] - q));
	*d++ = '\n';
	if ((size_t)(d - line) + 1 > cap)
		return TSD_ESIZE;
	memcpy(buf, line, (size_t)(d - line));
	buf[d - line] = 0;
	return (int)(d - line);
}

/* s[*i..n) starts with word: step over it. */
static int take(const char *s, size_t n, size_t *i, const char *word)
{
	size_t l = strlen(word);

	if (n - *i < l || memcmp(s + *i, word, l))
		return 0;
	*i += l;
	return 1;
}

/* A decimal integer in [min, max] at s[*i..n), up to a blank or the end. */
static int take_int(const char *s, size_t n, size_t *i, int64_t min, int64_t max, int64_t *out)
{
	int neg = 0;
	uint64_t u = 0, lim;
	size_t start;

	if (*i < n && s[*i] == '-')
		neg = 1, ++*i;
	start = *i;
	lim = neg ? (uint64_t)0 - (uint64_t)min : (uint64_t)max;
	while (*i < n && s[*i] >= '0' && s[*i] <= '9') {
		unsigned dg = (unsigned)(s[*i] - '0');
		if (u > (lim - dg) / 10)
			return 0;
		u = u * 10 + dg;
		++*i;
	}
	if (*i == start || *i - start > 19)
		return 0;
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 1;
}

int tsd_pos_parse(tsd_control *k, char *topic, size_t cap, const char *s, size_t n)
{
	size_t i = 0, t0, t1;
	int64_t part, off;
	int what = 0;

	if (n && s[n - 1] == '\n')
		n--;
	if (n && s[n - 1] == '\r')
		n--;
	if (!take(s, n, &i, "#tsd "))
		return TSD_EFORMAT;
	for (size_t w = 1; w < NKINDS; w++) {
		size_t j = i;
		if (kind_name[w] && take(s, n, &j, kind_name[w]) && j < n && s[j] == ' ') {
			what = (int)w;
			i = j;
			break;
		}
	}
	if (is_text_kind(what)) {
		i++; /* the blank */
		if (!tsd_carry_text_ok(s + i, n - i) || cap < n - i + 1)
			return TSD_EFORMAT;
		memcpy(topic, s + i, n - i);
		topic[n - i] = 0;
		memset(k, 0, sizeof *k);
		k->what = (uint16_t)what;
		k->topic = topic;
		k->topic_len = (uint16_t)(n - i);
		return 0;
	}
	if (!what || !take(s, n, &i, " topic="))
		return TSD_EFORMAT;
	t0 = i;
	while (i < n && s[i] != ' ')
		i++;
	t1 = i;
	if (!tsd_pos_topic_ok(s + t0, t1 - t0) || cap < t1 - t0 + 1)
		return TSD_EFORMAT;
	if (!take(s, n, &i, " partition=") || !take_int(s, n, &i, INT32_MIN, INT32_MAX, &part) ||
	    !take(s, n, &i, " offset=") || !take_int(s, n, &i, INT64_MIN, INT64_MAX, &off) || i != n)
		return TSD_EFORMAT;
	memcpy(topic, s + t0, t1 - t0);
	topic[t1 - t0] = 0;
	memset(k, 0, sizeof *k);
	k->what = (uint16_t)what;
	k->topic = topic;
	k->topic_len = (uint16_t)(t1 - t0);
	k->partition = (int32_t)part;
	k->offset = off;
	return 0;
}

struct tsd_postab {
	tsd_pos **e;           /* (cap) entries, each allocated once */
	size_t len, cap, hint;
};

int tsd_postab_new(tsd_postab **t)
{
	*t = calloc(1, sizeof **t);
	return *t ? 0 : TSD_ENOMEM;
}

void tsd_postab_free(tsd_postab *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->len; i++) {
		free(t->e[i]->topic);
		free(t->e[i]);
	}
	free(t->e);
	free(t);
}

static int same(const tsd_pos *e, const char *topic, size_t topic_len, int32_t partition)
{
	return e->partition == partition && e->topic_len == topic_len && !memcmp(e->topic, topic, topic_len);
}

tsd_pos *tsd_postab_find(tsd_postab *t, const char *topic, size_t topic_len, int32_t partition)
{
	if (t->hint < t->len && same(t->e[t->hint], topic, topic_len, partition))
		return t->e[t->hint];
	for (size_t i = 0; i < t->len; i++)
		if (same(t->e[i], topic, topic_len, partition))
			return t->e[t->hint = i];
	return NULL;
}

int tsd_postab_get(tsd_postab *t, tsd_pos **out, const char *topic, size_t topic_len, int32_t partition)
{
	tsd_pos *e;

	if ((*out = tsd_postab_find(t, topic, topic_len, partition)))
		return 0;
	if (topic_len > TSD_TOPIC_MAX)
		return TSD_EINVAL;
	if (t->len == t->cap) {
		size_t nc = t->cap ? 2 * t->cap : 16;
		tsd_pos **ne = realloc(t->e, nc * sizeof *ne);
		if (!ne)
			return TSD_ENOMEM;
		t->e = ne;
		t->cap = nc;
	}
	if (!(e = calloc(1, sizeof *e)) || !(e->topic = malloc(topic_len + 1))) {
		free(e);
		return TSD_ENOMEM;
	}
	memcpy(e->topic, topic, topic_len);
	e->topic[topic_len] = 0;
	e->topic_len = (uint16_t)topic_len;
	e->partition = partition;
	e->offset = -1;
	t->hint = t->len;
	t->e[t->len++] = e;
	*out = e;
	return 0;
}

int tsd_postab_set(tsd_postab *t, tsd_pos **out, const tsd_control *k)
{
	tsd_pos *e;
	int rc = tsd_postab_get(t, &e, k->topic, k->topic_len, k->partition);

	if (rc)
		return rc;
	e->offset = k->offset;
	e->dirty = 1;
	if (out)
		*out = e;
	return 0;
}

size_t tsd_postab_len(const tsd_postab *t)
{
	return t->len;
}

tsd_pos *tsd_postab_at(tsd_postab *t, size_t i)
{
	return i < t->len ? t->e[i] : NULL;
}

void tsd_pos_control(tsd_control *k, const tsd_pos *e, int what)
{
	memset(k, 0, sizeof *k);
	k->what = (uint16_t)what;
	k->topic = e->topic;
	k->topic_len = e->topic_len;
	k->partition = e->partition;
	k->offset = e->offset;
}
