/* plotweb.c: the chart over HTTP, from memory. */
#include "plotweb.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct tool_plotweb {
	struct MHD_Daemon *mhd;
	pthread_mutex_t lock;     /* chart, nchart */
	char *chart;
	size_t nchart;
	int svg;
	long refresh_ms;
};

static const char page[] =
"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>tsplot</title>\n"
"<style>body{margin:0;background:#fff;font:13px sans-serif}img{display:block;max-width:100%%}"
"#s{color:#888;padding:2px 6px}</style></head>\n<body>\n"
"<img id=\"c\" src=\"%s\" alt=\"chart\">\n<div id=\"s\"></div>\n<script>\n"
"var c=document.getElementById('c'),s=document.getElementById('s'),n=0;\n"
"setInterval(function(){var i=new Image();i.onload=function(){c.src=i.src;n++;"
"s.textContent='updated '+new Date().toLocaleTimeString()};\n"
"i.src='%s?'+Date.now()},%ld);\n</script>\n</body></html>\n";

static enum MHD_Result answer(void *cls, struct MHD_Connection *con, const char *url,
			      const char *method, const char *version, const char *data,
			      size_t *data_len, void **con_cls)
{
	tool_plotweb *w = cls;
	const char *chart = w->svg ? "/chart.svg" : "/chart.png";
	struct MHD_Response *res;
	enum MHD_Result ret;
	unsigned code = MHD_HTTP_OK;
	const char *type = "text/html; charset=utf-8";

	(void)version;
	(void)data;
	(void)data_len;
	(void)con_cls;
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return MHD_NO;
	if (strcmp(url, "/") == 0) {
		char buf[sizeof page + 64];
		long ms = w->refresh_ms < 100 ? 100 : w->refresh_ms;
		int n = snprintf(buf, sizeof buf, page, chart + 1, chart + 1, ms);
		res = MHD_create_response_from_buffer((size_t)n, buf, MHD_RESPMEM_MUST_COPY);
	} else if (strcmp(url, chart) == 0) {
		pthread_mutex_lock(&w->lock);
		if (w->chart) {
			res = MHD_create_response_from_buffer(w->nchart, w->chart, MHD_RESPMEM_MUST_COPY);
			type = w->svg ? "image/svg+xml" : "image/png";
		} else {
			static const char none[] = "no chart yet\n";
			res = MHD_create_response_from_buffer(sizeof none - 1, (void *)(uintptr_t)none,
							      MHD_RESPMEM_PERSISTENT);
			code = MHD_HTTP_SERVICE_UNAVAILABLE;
			type = "text/plain";
		}
		pthread_mutex_unlock(&w->lock);
	} else {
		static const char nf[] = "not found\n";
		res = MHD_create_response_from_buffer(sizeof nf - 1, (void *)(uintptr_t)nf,
						      MHD_RESPMEM_PERSISTENT);
		code = MHD_HTTP_NOT_FOUND;
		type = "text/plain";
	}
	if (!res)
		return MHD_NO;
	MHD_add_response_header(res, "Content-Type", type);
	MHD_add_response_header(res, "Cache-Control", "no-store");
	ret = MHD_queue_response(con, code, res);
	MHD_destroy_response(res);
	return ret;
}

static void raise_fd_limit(rlim_t want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max < want ? rl.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int tool_plotweb_start(tool_plotweb **out, const char *bind_addr, int port, int svg, long refresh_ms,
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
	pthread_mutex_init(&w->lock, NULL);
	w->svg = svg;
	w->refresh_ms = refresh_ms;
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

void tool_plotweb_load(tool_plotweb *w, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	char *b;

	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 && st.st_size > 0 && (b = malloc((size_t)st.st_size))) {
		ssize_t n = read(fd, b, (size_t)st.st_size);
		if (n == st.st_size) {
			pthread_mutex_lock(&w->lock);
			free(w->chart);
			w->chart = b;
			w->nchart = (size_t)n;
			pthread_mutex_unlock(&w->lock);
		} else {
			free(b);
		}
	}
	close(fd);
}

void tool_plotweb_stop(tool_plotweb *w)
{
	if (!w)
		return;
	MHD_stop_daemon(w->mhd);
	pthread_mutex_destroy(&w->lock);
	free(w->chart);
	free(w);
}
