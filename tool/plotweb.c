/* plotweb.c: the interactive chart over HTTP (see plotweb.h). */
#include "plotweb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "plotcmd.h"
#include "stream.h"
#include "tsd.h"

/* the page, tool/plotpage.html, built in as it is */
__asm__(".section .rodata\n"
	".global tool_plotpage\n"
	"tool_plotpage:\n"
	".incbin \"tool/plotpage.html\"\n"
	".byte 0\n"
	".previous\n");
extern const char tool_plotpage[];

struct tool_plotweb {
	struct MHD_Daemon *mhd;
	tool_plotweb_src src;
};

/* ------------------------------------------------------------- JSON */

typedef struct {
	char *p;
	size_t n, cap;
	int oom;
} sbuf;

static char *room(sbuf *b, size_t n)
{
	if (b->oom)
		return NULL;
	if (b->n + n > b->cap) {
		size_t nc = b->cap ? b->cap : 65536;
		while (nc < b->n + n)
			nc *= 2;
		char *np = realloc(b->p, nc);
		if (!np) {
			b->oom = 1;
			return NULL;
		}
		b->p = np;
		b->cap = nc;
	}
	return b->p + b->n;
}

static void puts_(sbuf *b, const char *s)
{
	size_t n = strlen(s);
	char *p = room(b, n);

	if (p) {
		memcpy(p, s, n);
		b->n += n;
	}
}

/* Text as a JSON string: cleaned as for gnuplot (no control character,
 * valid UTF-8), then " and \ escaped, < as \u003c. */
static void json_str(sbuf *b, const char *s)
{
	char clean[TSD_SERIES_NAME_MAX * 3 + 8];
	size_t n = tsd_plot_text(clean, sizeof clean, s ? s : "", 0);
	char *p = room(b, 6 * n + 2);

	if (!p)
		return;
	*p++ = '"';
	for (size_t i = 0; i < n; i++) {
		char c = clean[i];
		if (c == '"' || c == '\\') {
			*p++ = '\\';
			*p++ = c;
		} else if (c == '<') {
			memcpy(p, "\\u003c", 6);
			p += 6;
		} else {
			*p++ = c;
		}
	}
	*p++ = '"';
	b->n = (size_t)(p - b->p);
}

/* ns as ms with 3 decimals (us): exact integer formatting. */
static size_t put_ms(char *p, int64_t ns)
{
	int neg = ns < 0;
	uint64_t u = neg ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
	uint64_t us = (u + 500) / 1000;

	return (size_t)sprintf(p, "%s%" PRIu64 ".%03u", neg ? "-" : "", us / 1000, (unsigned)(us % 1000));
}

static void put_ms_b(sbuf *b, int64_t ns)
{
	char *p = room(b, 32);

	if (p)
		b->n += put_ms(p, ns);
}

typedef struct {
	uint32_t id;
	const char *name;
	int input;
	uint32_t group;
} entry;

static int by_name(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = strverscmp(x->name, y->name);

	return c ? c : x->input - y->input;
}

int tool_plotweb_data(char **out, size_t *len, const tool_plotweb_src *src, int have_range,
		      int64_t t0, int64_t t1, size_t w)
{
	sbuf b = { 0 };
	entry *e = NULL;
	int64_t *pt = NULL, a, z, f0 = 0, f1 = 0;
	double *pv = NULL;
	size_t cap = tsd_plothist_m4_len(w), ne = 0;
	uint32_t n, i;
	int rc = TSD_ENOMEM, any;

	*out = NULL;
	*len = 0;
	if (!(pt = malloc(cap * sizeof *pt)) || !(pv = malloc(cap * sizeof *pv)))
		goto cleanup;
	pthread_mutex_lock(src->lock);
	any = tsd_plothist_range(&f0, &f1, src->hist) == 0;
	if (any && src->span && f1 - src->span > f0)
		f0 = f1 - src->span;  /* live: the last span, never before the data */
	if (!any)
		f0 = f1 = 0;
	if (f1 <= f0)
		f1 = f0 + 1000000000;
	a = have_range ? t0 : f0;
	z = have_range ? t1 : f1;
	if (z <= a)
		z = a + 1;
	n = src->count(src->arg);
	if (n && !(e = malloc((size_t)n * sizeof *e))) {
		pthread_mutex_unlock(src->lock);
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		int in;
		uint32_t grp;
		const char *name = src->series(src->arg, i, &in, &grp);
		if (name && tsd_plothist_count(src->hist, i))
			e[ne++] = (entry){ i, name, in, grp };
	}
	qsort(e, ne, sizeof *e, by_name);
	puts_(&b, "{\"t0\":");
	put_ms_b(&b, a);
	puts_(&b, ",\"t1\":");
	put_ms_b(&b, z);
	puts_(&b, ",\"full\":[");
	put_ms_b(&b, f0);
	puts_(&b, ",");
	put_ms_b(&b, f1);
	{
		char tmp[64];
		snprintf(tmp, sizeof tmp, "],\"columns\":%zu,\"refresh\":%ld,\"title\":", w, src->refresh_ms);
		puts_(&b, tmp);
	}
	json_str(&b, src->title);
	puts_(&b, ",\"labels\":[");
	for (int l = 0; l < src->nlabels; l++) {
		if (l)
			puts_(&b, ",");
		json_str(&b, src->labels[l]);
	}
	puts_(&b, "],\"series\":[");
	for (size_t k = 0; k < ne; k++) {
		long np = tsd_plothist_m4(pt, pv, cap, src->hist, e[k].id, a, z, w);
		char tmp[80];
		if (np < 0)
			np = 0;
		puts_(&b, k ? ",{\"name\":" : "{\"name\":");
		json_str(&b, e[k].name);
		snprintf(tmp, sizeof tmp, ",\"input\":%d,\"group\":%" PRIu32 ",\"held\":%zu,\"t\":[",
			 e[k].input, e[k].group, tsd_plothist_count(src->hist, e[k].id));
		puts_(&b, tmp);
		char *p = room(&b, (size_t)np * 32 + 16);
		if (!p)
			break;
		for (long j = 0; j < np; j++) {
			if (j)
				*p++ = ',';
			p += put_ms(p, pt[j]);
		}
		b.n = (size_t)(p - b.p);
		puts_(&b, "],\"v\":[");
		if (!(p = room(&b, (size_t)np * 26 + 16)))
			break;
		for (long j = 0; j < np; j++) {
			if (j)
				*p++ = ',';
			if (isnan(pv[j])) {
				memcpy(p, "null", 4); /* a gap: the page breaks the line */
				p += 4;
			} else {
				p += tsd_format_double(p, pv[j], 10);
			}
		}
		b.n = (size_t)(p - b.p);
		puts_(&b, "]}");
	}
	pthread_mutex_unlock(src->lock);
	puts_(&b, "]}\n");
	if (b.oom)
		goto cleanup;
	*out = b.p;
	*len = b.n;
	b.p = NULL;
	rc = 0;
cleanup:
	free(b.p);
	free(e);
	free(pt);
	free(pv);
	return rc;
}

/* ------------------------------------------------------------- HTTP */

/* A query argument as ms -> ns; 0 when absent or not a finite number. */
static int arg_ns(struct MHD_Connection *con, const char *key, int64_t *ns)
{
	const char *s = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, key);
	char *end;
	double d;

	if (!s || !*s)
		return 0;
	d = strtod(s, &end);
	if (*end || !isfinite(d) || fabs(d) > 9.2e15)
		return 0;
	*ns = (int64_t)llround(d * 1e6);
	return 1;
}

static enum MHD_Result reply(struct MHD_Connection *con, unsigned code, const char *type,
			     struct MHD_Response *res)
{
	enum MHD_Result ret;

	if (!res)
		return MHD_NO;
	MHD_add_response_header(res, "Content-Type", type);
	MHD_add_response_header(res, "Cache-Control", "no-store");
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(con, code, res);
	MHD_destroy_response(res);
	return ret;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *con, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *data_len, void **con_cls)
{
	tool_plotweb *w = cls;
	static const char nf[] = "not found\n";

	(void)version;
	(void)data;
	(void)data_len;
	(void)con_cls;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return MHD_NO;
	if (strcmp(url, "/") == 0)
		return reply(con, MHD_HTTP_OK, "text/html; charset=utf-8",
			     MHD_create_response_from_buffer(strlen(tool_plotpage),
							     (void *)(uintptr_t)tool_plotpage,
							     MHD_RESPMEM_PERSISTENT));
	if (strcmp(url, "/data") == 0) {
		int64_t t0 = 0, t1 = 0;
		int have = arg_ns(con, "t0", &t0) & arg_ns(con, "t1", &t1);
		const char *ws = MHD_lookup_connection_value(con, MHD_GET_ARGUMENT_KIND, "w");
		long cols = ws ? strtol(ws, NULL, 10) : 800;
		char *out;
		size_t len;
		if (cols < 1)
			cols = 1;
		if (cols > TOOL_PLOTWEB_COLUMNS_MAX)
			cols = TOOL_PLOTWEB_COLUMNS_MAX;
		if (have && t1 <= t0)
			have = 0;
		if (tool_plotweb_data(&out, &len, &w->src, have, t0, t1, (size_t)cols) < 0)
			return MHD_NO;
		return reply(con, MHD_HTTP_OK, "application/json",
			     MHD_create_response_from_buffer(len, out, MHD_RESPMEM_MUST_FREE));
	}
	return reply(con, MHD_HTTP_NOT_FOUND, "text/plain",
		     MHD_create_response_from_buffer(sizeof nf - 1, (void *)(uintptr_t)nf,
						     MHD_RESPMEM_PERSISTENT));
}

static void raise_fd_limit(rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int tool_plotweb_start(tool_plotweb **out, const char *bind_addr, int port, const tool_plotweb_src *src,
		       char *err, size_t errlen)
{
	struct sockaddr_in sa;
	int fd, one = 1;
	tool_plotweb *w;

	*out = NULL;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, bind_addr, &sa.sin_addr) != 1) {
		snprintf(err, errlen, "--bind: '%s' is not an IPv4 address", bind_addr);
		return -2;
	}
	if (!(w = calloc(1, sizeof *w))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	w->src = *src;
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "socket:");
		free(w);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(fd, 1024) < 0) {
		int e = errno;
		snprintf(err, errlen, "--serve %s:%d:", bind_addr, port);
		close(fd);
		free(w);
		errno = e;
		return -1;
	}
	/* Limits, so that clients that connect and never finish a request
	 * cannot shut everyone out: epoll (select() stops at 1024 sockets),
	 * a connection idle for TOOL_PLOTWEB_TIMEOUT s is closed, at most
	 * TOOL_PLOTWEB_PER_IP connections from one address and
	 * TOOL_PLOTWEB_MAX in all (the fd limit is raised to fit). */
	raise_fd_limit(TOOL_PLOTWEB_MAX + 64);
	w->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, answer, w,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)TOOL_PLOTWEB_TIMEOUT,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned)TOOL_PLOTWEB_MAX,
				  MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)TOOL_PLOTWEB_PER_IP,
				  MHD_OPTION_END);
	if (!w->mhd) {
		snprintf(err, errlen, "--serve %s:%d: cannot start the web server", bind_addr, port);
		close(fd);
		free(w);
		return -1;
	}
	*out = w;
	return 0;
}

void tool_plotweb_stop(tool_plotweb *w)
{
	if (!w)
		return;
	MHD_stop_daemon(w->mhd);
	free(w);
}
