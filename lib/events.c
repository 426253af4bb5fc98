/* events.c: event windows per series from JSON (a small strict reader of
 * our own) or from CSV "series,start,end" lines. */
#include "events.h"
#include "csvcodec.h"
#include "tsd.h"
#include "tstime.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_S 1e9

/* Where we are in the input, and where errors go. */
struct parser {
	const char *p, *end;
	size_t line;
	char *errbuf;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int perr(struct parser *ps, int code, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!ps->errbuf || !ps->errlen)
		return code;
	n = snprintf(ps->errbuf, ps->errlen, "line %zu: ", ps->line);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->errbuf + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return code;
}

/* ---- building the result ---- */

/* The builder's arrays: tsd_grow, with the element size checked. */
static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	return tsd_grow(arr, cap, need, elem);
}

/* Capacities live beside the result while it is being built. */
struct builder {
	struct tsd_events *ev;
	size_t cap;          /* of ev->s */
	size_t *wcap;        /* (cap) of each ev->s[i].w */
	size_t last;         /* series found last, tried first */
};

static long find_series(const struct builder *b, const char *name, size_t len)
{
	const struct tsd_events *ev = b->ev;
	size_t i;

	if (b->last < ev->ns && strlen(ev->s[b->last].name) == len &&
	    memcmp(ev->s[b->last].name, name, len) == 0)
		return (long)b->last;
	for (i = 0; i < ev->ns; i++)
		if (strlen(ev->s[i].name) == len && memcmp(ev->s[i].name, name, len) == 0)
			return (long)i;
	return -1;
}

/* Add a series, taking ownership of the malloc'd name on success; *idx
 * receives its index. */
static int add_series(struct builder *b, size_t *idx, char *name)
{
	struct tsd_events *ev = b->ev;
	size_t oldcap = b->cap, tmpcap = b->cap;
	int err;

	if ((err = grow((void **)&ev->s, &tmpcap, ev->ns + 1, sizeof *ev->s)) < 0)
		return err;
	if (tmpcap != oldcap) {
		size_t wc = oldcap;
		if ((err = grow((void **)&b->wcap, &wc, tmpcap, sizeof *b->wcap)) < 0)
			return err;
		b->cap = tmpcap;
	}
	ev->s[ev->ns].name = name;
	ev->s[ev->ns].w = NULL;
	ev->s[ev->ns].nw = 0;
	b->wcap[ev->ns] = 0;
	*idx = b->last = ev->ns++;
	return 0;
}

static int add_window(struct builder *b, size_t idx, int64_t start, int64_t end)
{
	struct tsd_event_series *s = &b->ev->s[idx];
	int err;

	if ((err = grow((void **)&s->w, &b->wcap[idx], s->nw + 1, sizeof *s->w)) < 0)
		return err;
	s->w[s->nw].start = start;
	s->w[s->nw].end = end;
	s->nw++;
	return 0;
}

void tsd_events_free(struct tsd_events *ev)
{
	size_t i;

	if (!ev)
		return;
	for (i = 0; i < ev->ns; i++) {
		free(ev->s[i].name);
		free(ev->s[i].w);
	}
	free(ev->s);
	ev->s = NULL;
	ev->ns = 0;
}

static char *dup_n(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = 0;
	}
	return d;
}

/* tsd_time_parse() multiplies seconds by 1e9 without a range check
 * (reported to its owner); until it does, refuse here what cannot fit in
 * int64 ns: ISO years outside 1678..2261 and epoch seconds with a
 * fraction beyond 9223372035. */
static int time_fits(const char *s, size_t len)
{
	size_t i, dot;
	int64_t v = 0;

	while (len && *s == ' ')
		s++, len--;
	if (len >= 10 && s[4] == '-') {
		for (i = 0; i < 4; i++)
			v = v * 10 + (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : 0);
		return v >= 1678 && v <= 2261;
	}
	dot = len;
	for (i = 0; i < len; i++)
		if (s[i] == '.') {
			dot = i;
			break;
		}
	if (dot == len)
		return 1;   /* integers are range-checked by the parser */
	for (i = (len && (s[0] == '-' || s[0] == '+')); i < dot; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 1;   /* malformed: the parser says so */
		if (v > 922337203)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 9223372035;
}

static int parse_time(int64_t *ns, const char *s, size_t len, int kind)
{
	tsd_tstyle st = { .kind = (uint8_t)kind };

	if (!time_fits(s, len))
		return TSD_ERANGE;
	return tsd_time_parse(ns, &st, s, len);
}

/* ---- JSON ---- */

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end) {
		char c = *ps->p;
		if (c == '\n')
			ps->line++;
		else if (c != ' ' && c != '\t' && c != '\r')
			break;
		ps->p++;
	}
}

static const char *what(const struct parser *ps)
{
	if (ps->p >= ps->end)
		return "end of input";
	switch (*ps->p) {
	case '{': return "'{'";
	case '}': return "'}'";
	case '[': return "'['";
	case ']': return "']'";
	case ',': return "','";
	case ':': return "':'";
	case '"': return "a string";
	}
	if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
		return "a number";
	return "an unexpected character";
}

static int expect(struct parser *ps, char c, const char *where)
{
	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != c)
		return perr(ps, TSD_EFORMAT, "expected '%c' %s, found %s", c, where, what(ps));
	ps->p++;
	return 0;
}

static int hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	int k;

	for (k = 0; k < 4; k++) {
		char c = s[k];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *d, unsigned cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xc0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xe0 | cp >> 12);
		d[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		d[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | cp >> 18);
	d[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	d[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	d[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A JSON string at ps->p (after white space). *out is malloc'd and
 * NUL-terminated; an escaped NUL is refused. Escapes never make the text
 * longer, so the raw length bounds the decoded one. */
static int json_string(struct parser *ps, char **out, size_t *outlen)
{
	const char *q;
	char *d, *buf;
	size_t n = 0;

	skip_ws(ps);
	if (ps->p >= ps->end || *ps->p != '"')
		return perr(ps, TSD_EFORMAT, "expected a string, found %s", what(ps));
	for (q = ps->p + 1; q < ps->end && *q != '"'; q++)
		if (*q == '\\' && q + 1 < ps->end)
			q++;
	if (q >= ps->end)
		return perr(ps, TSD_EFORMAT, "unterminated string");
	buf = d = malloc((size_t)(q - ps->p));
	if (!buf)
		return TSD_ENOMEM;
	for (ps->p++; *ps->p != '"'; ps->p++) {
		unsigned char c = (unsigned char)*ps->p;
		unsigned cp, lo;

		if (c < 0x20) {
			free(buf);
			return perr(ps, TSD_EFORMAT, "control character 0x%02x in string", c);
		}
		if (c != '\\') {
			d[n++] = (char)c;
			continue;
		}
		c = (unsigned char)*++ps->p;
		switch (c) {
		case '"': d[n++] = '"'; break;
		case '\\': d[n++] = '\\'; break;
		case '/': d[n++] = '/'; break;
		case 'b': d[n++] = '\b'; break;
		case 'f': d[n++] = '\f'; break;
		case 'n': d[n++] = '\n'; break;
		case 'r': d[n++] = '\r'; break;
		case 't': d[n++] = '\t'; break;
		case 'u':
			if (ps->end - ps->p < 5 || hex4(ps->p + 1, &cp))
				goto bad_u;
			ps->p += 4;
			if (cp >= 0xdc00 && cp <= 0xdfff)
				goto bad_u;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (ps->end - ps->p < 7 || ps->p[1] != '\\' ||
				    ps->p[2] != 'u' || hex4(ps->p + 3, &lo) ||
				    lo < 0xdc00 || lo > 0xdfff)
					goto bad_u;
				ps->p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			}
			if (cp == 0) {
				free(buf);
				return perr(ps, TSD_EFORMAT, "\\u0000 in string");
			}
			n += put_utf8(d + n, cp);
			break;
		default:
			free(buf);
			return perr(ps, TSD_EFORMAT, "bad escape '\\%c' in string", c);
		}
	}
	ps->p++;
	d[n] = 0;
	*out = buf;
	*outlen = n;
	return 0;
bad_u:
	free(buf);
	return perr(ps, TSD_EFORMAT, "bad \\u escape in string");
}

/* A JSON number, strictly: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int json_number(struct parser *ps, double *out)
{
	const char *s = ps->p, *q = s;
	char tmp[64];

#define DIGITS() do { if (q >= ps->end || *q < '0' || *q > '9') goto bad; \
		while (q < ps->end && *q >= '0' && *q <= '9') q++; } while (0)
	if (q < ps->end && *q == '-')
		q++;
	if (q < ps->end && *q == '0')
		q++;
	else
		DIGITS();
	if (q < ps->end && *q == '.') {
		q++;
		DIGITS();
	}
	if (q < ps->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < ps->end && (*q == '+' || *q == '-'))
			q++;
		DIGITS();
	}
#undef DIGITS
	if ((size_t)(q - s) >= sizeof tmp)
		return perr(ps, TSD_EFORMAT, "number too long");
	memcpy(tmp, s, (size_t)(q - s));
	tmp[q - s] = 0;
	*out = strtod(tmp, NULL);
	if (!isfinite(*out))
		return perr(ps, TSD_ERANGE, "number out of range");
	ps->p = q;
	return 0;
bad:
	return perr(ps, TSD_EFORMAT, "malformed number");
}

/* A window bound: an ISO-8601 string, or a number of epoch seconds. */
static int json_time(struct parser *ps, int64_t *ns)
{
	size_t line, len;
	char *s;
	double sec = 0;
	int err;

	skip_ws(ps);
	if (ps->p < ps->end && *ps->p != '"') {
		if (*ps->p != '-' && (*ps->p < '0' || *ps->p > '9'))
			return perr(ps, TSD_EFORMAT, "expected a time, found %s", what(ps));
		if ((err = json_number(ps, &sec)) < 0)
			return err;
		if (!(fabs(sec) < 9.2e9))
			return perr(ps, TSD_ERANGE, "time %g s out of range", sec);
		*ns = llround(sec * NS_PER_S);
		return 0;
	}
	line = ps->line;
	if ((err = json_string(ps, &s, &len)) < 0)
		return err;
	err = parse_time(ns, s, len, TSD_T_ISO);
	if (err < 0) {
		ps->line = line;
		perr(ps, err, "bad time \"%.64s\": %s", s, tsd_strerror(err));
	}
	free(s);
	return err;
}

/* [[start, end], ...] for series idx */
static int json_windows(struct parser *ps, struct builder *b, size_t idx)
{
	int64_t t0, t1;
	int err;

	if ((err = expect(ps, '[', "to open the list of windows")) < 0)
		return err;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == ']') {
		ps->p++;
		return 0;
	}
	for (;;) {
		if ((err = expect(ps, '[', "to open a window [start, end]")) < 0 ||
		    (err = json_time(ps, &t0)) < 0 ||
		    (err = expect(ps, ',', "between start and end")) < 0 ||
		    (err = json_time(ps, &t1)) < 0 ||
		    (err = expect(ps, ']', "after a window's end")) < 0)
			return err;
		if (t1 < t0)
			return perr(ps, TSD_EINVAL, "window ends before it starts");
		if ((err = add_window(b, idx, t0, t1)) < 0)
			return err;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return 0;
		}
		if ((err = expect(ps, ',', "or ']' after a window")) < 0)
			return err;
	}
}

static int json_top(struct parser *ps, struct builder *b)
{
	char *key;
	size_t len, idx;
	int err;

	if ((err = expect(ps, '{', "at the start")) < 0)
		return err;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '}') {
		ps->p++;
	} else {
		for (;;) {
			if ((err = json_string(ps, &key, &len)) < 0)
				return err;
			if (memchr(key, 0, len) || find_series(b, key, len) >= 0) {
				err = perr(ps, TSD_EFORMAT, "duplicate key \"%.64s\"", key);
				free(key);
				return err;
			}
			if ((err = add_series(b, &idx, key)) < 0) {
				free(key);
				return err;
			}
			if ((err = expect(ps, ':', "after a key")) < 0 ||
			    (err = json_windows(ps, b, idx)) < 0)
				return err;
			skip_ws(ps);
			if (ps->p < ps->end && *ps->p == '}') {
				ps->p++;
				break;
			}
			if ((err = expect(ps, ',', "or '}' after a series")) < 0)
				return err;
		}
	}
	skip_ws(ps);
	if (ps->p != ps->end)
		return perr(ps, TSD_EFORMAT, "trailing %s after the object", what(ps));
	return 0;
}

static void start(struct parser *ps, struct builder *b, struct tsd_events *ev,
		  const char *buf, size_t len, char *errbuf, size_t errlen)
{
	ps->p = buf;
	ps->end = buf + len;
	ps->line = 1;
	ps->errbuf = errbuf;
	ps->errlen = errlen;
	if (errbuf && errlen)
		errbuf[0] = 0;
	ev->s = NULL;
	ev->ns = 0;
	b->ev = ev;
	b->cap = 0;
	b->wcap = NULL;
	b->last = 0;
}

static int finish(struct parser *ps, struct builder *b, int err)
{
	free(b->wcap);
	if (err < 0) {
		if (ps->errbuf && ps->errlen && !ps->errbuf[0])
			perr(ps, err, "%s", tsd_strerror(err));
		tsd_events_free(b->ev);
	}
	return err;
}

int tsd_events_read_json(struct tsd_events *ev, const char *buf, size_t len,
			 char *errbuf, size_t errlen)
{
	struct parser ps;
	struct builder b;

	if (!ev || (!buf && len))
		return TSD_EINVAL;
	start(&ps, &b, ev, buf, len, errbuf, errlen);
	return finish(&ps, &b, json_top(&ps, &b));
}

/* ---- CSV ---- */

static int csv_time(struct parser *ps, int64_t *ns, const char *s, size_t len,
		    const char *name)
{
	int err = parse_time(ns, s, len, TSD_T_AUTO);

	if (err < 0)
		return perr(ps, err, "bad %s time \"%.*s\": %s", name,
			    (int)(len > 64 ? 64 : len), s, tsd_strerror(err));
	return 0;
}

static int csv_lines(struct parser *ps, struct builder *b)
{
	tsd_csvrow row = { 0 };
	const char *f[3];
	size_t fl[3], k, idx;
	int first = 1, err = 0, nf;

	for (; ps->p < ps->end; ps->line++) {
		const char *eol = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
		const char *q = ps->p, *lend;
		int64_t t0, t1;
		long found;

		if (!eol)
			eol = ps->end;
		lend = eol;
		if (lend > q && lend[-1] == '\r')
			lend--;
		ps->p = eol < ps->end ? eol + 1 : eol;
		if (lend == q || *q == '#')
			continue;
		nf = tsd_csv_split(&row, q, (size_t)(lend - q), ',', 0);
		if (nf == TSD_ENOMEM) {
			err = nf;
			goto cleanup;
		}
		if (nf < 0) {
			err = perr(ps, TSD_EFORMAT, "%s", row.why);
			goto cleanup;
		}
		if (nf < 3) {
			err = perr(ps, TSD_EFORMAT, "expected 3 fields (series,start,end), got %d", nf);
			goto cleanup;
		}
		if (nf > 3) {
			err = perr(ps, TSD_EFORMAT, "more than 3 fields (series,start,end)");
			goto cleanup;
		}
		for (k = 0; k < 3; k++) {
			f[k] = tsd_csvrow_field(&row, k);
			fl[k] = row.flen[k];
		}
		if (first) {
			first = 0;
			if (fl[1] && ((f[1][0] | 0x20) >= 'a' && (f[1][0] | 0x20) <= 'z'))
				continue;   /* a header */
		}
		if (!fl[0] || memchr(f[0], 0, fl[0])) {
			err = perr(ps, TSD_EFORMAT, fl[0] ? "NUL byte in series name" : "empty series name");
			goto cleanup;
		}
		if ((err = csv_time(ps, &t0, f[1], fl[1], "start")) < 0 ||
		    (err = csv_time(ps, &t1, f[2], fl[2], "end")) < 0)
			goto cleanup;
		if (t1 < t0) {
			err = perr(ps, TSD_EINVAL, "window ends before it starts");
			goto cleanup;
		}
		found = find_series(b, f[0], fl[0]);
		if (found >= 0) {
			idx = (size_t)found;
		} else {
			char *name = dup_n(f[0], fl[0]);
			if (!name) {
				err = TSD_ENOMEM;
				goto cleanup;
			}
			if ((err = add_series(b, &idx, name)) < 0) {
				free(name);
				goto cleanup;
			}
		}
		if ((err = add_window(b, idx, t0, t1)) < 0)
			goto cleanup;
	}
cleanup:
	tsd_csvrow_free(&row);
	return err;
}

int tsd_events_read_csv(struct tsd_events *ev, const char *buf, size_t len,
			char *errbuf, size_t errlen)
{
	struct parser ps;
	struct builder b;

	if (!ev || (!buf && len))
		return TSD_EINVAL;
	start(&ps, &b, ev, buf, len, errbuf, errlen);
	return finish(&ps, &b, csv_lines(&ps, &b));
}

/* ---- files and lookup ---- */

int tsd_events_load(struct tsd_events *ev, const char *path,
		    char *errbuf, size_t errlen)
{
	char *buf = NULL, msg[256];
	size_t len = 0, cap = 0, i;
	FILE *f = NULL;
	int err = 0;

	if (!ev || !path)
		return TSD_EINVAL;
	ev->s = NULL;
	ev->ns = 0;
	msg[0] = 0;
	f = fopen(path, "rb");
	if (!f) {
		err = TSD_EIO;
		snprintf(msg, sizeof msg, "%s", strerror(errno));
		goto cleanup;
	}
	for (;;) {
		size_t got;
		if (len == cap && (err = grow((void **)&buf, &cap, cap + 65536, 1)) < 0) {
			snprintf(msg, sizeof msg, "%s", tsd_strerror(err));
			goto cleanup;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		err = TSD_EIO;
		snprintf(msg, sizeof msg, "read error");
		goto cleanup;
	}
	for (i = 0; i < len && strchr(" \t\r\n", buf[i]) && buf[i]; i++)
		;
	if (i < len && buf[i] == '{')
		err = tsd_events_read_json(ev, buf, len, msg, sizeof msg);
	else
		err = tsd_events_read_csv(ev, buf, len, msg, sizeof msg);
cleanup:
	if (err < 0 && errbuf && errlen)
		snprintf(errbuf, errlen, "%s: %s", path, msg);
	if (f)
		fclose(f);
	free(buf);
	return err;
}

/* Length of name without a trailing ".csv". */
static size_t base_len(const char *name)
{
	size_t n = strlen(name);

	return n >= 4 && strcmp(name + n - 4, ".csv") == 0 ? n - 4 : n;
}

const struct tsd_event_series *tsd_events_find(const struct tsd_events *ev,
					       const char *name)
{
	size_t i, bn;

	if (!ev || !name)
		return NULL;
	for (i = 0; i < ev->ns; i++)
		if (strcmp(ev->s[i].name, name) == 0)
			return &ev->s[i];
	bn = base_len(name);
	for (i = 0; i < ev->ns; i++)
		if (base_len(ev->s[i].name) == bn && memcmp(ev->s[i].name, name, bn) == 0)
			return &ev->s[i];
	return NULL;
}
