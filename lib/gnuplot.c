/* gnuplot.c: a gnuplot child on pipes: commands in, messages out (see
 * gnuplot.h). */
#include "gnuplot.h"
#include "tstime.h"
#include "tsd.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define SYNC_TAG "__tsd_sync__ "
#define REPLY_TAG "__tsd_reply__ "
#define LINEBUF (64 * 1024)   /* stderr bytes not yet split into lines */
#define PENDMAX (256 * 1024)  /* messages kept for the caller */

struct tsd_gnuplot {
	pid_t pid;
	int in_fd, err_fd, eof;
	int gout_fd, out_fd;      /* the child's stdout (a pipe) and where it goes */
	int out_errno;            /* first error writing to out_fd */
	char *buf;                /* (cap) commands not yet written */
	size_t len, cap;
	char line[LINEBUF];       /* stderr bytes not yet split */
	size_t nline;
	char *pend;               /* (PENDMAX) messages for the caller */
	size_t npend;
	int64_t nsync, synced;
	char reply[4096];
	int have_reply;
};

int tsd_gnuplot_open(tsd_gnuplot **out, char *const *argv, int out_fd, char *err,
		     size_t errlen)
{
	int in[2] = { -1, -1 }, er[2] = { -1, -1 }, ou[2] = { -1, -1 }, rc = TSD_EIO, e;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	tsd_gnuplot *gp;
	static char gnuplot[] = "gnuplot";
	char *plain[] = { gnuplot, NULL };
	const char *prog;
	int fa_ok = 0, at_ok = 0;

	*out = NULL;
	if (errlen)
		err[0] = 0;
	if (!argv)
		argv = plain;
	prog = argv[0];
	if (!(gp = calloc(1, sizeof *gp)) || !(gp->pend = malloc(PENDMAX))) {
		rc = TSD_ENOMEM;
		goto cleanup;
	}
	gp->in_fd = gp->err_fd = gp->gout_fd = -1;
	gp->out_fd = out_fd;
	if (pipe2(in, O_CLOEXEC) < 0 || pipe2(er, O_CLOEXEC) < 0 ||
	    (out_fd >= 0 && pipe2(ou, O_CLOEXEC) < 0)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		goto cleanup;
	}
	if ((e = posix_spawn_file_actions_init(&fa)) != 0)
		goto spawn_failed;
	fa_ok = 1;
	if ((e = posix_spawn_file_actions_adddup2(&fa, in[0], 0)) != 0 ||
	    (e = posix_spawn_file_actions_adddup2(&fa, er[1], 2)) != 0 ||
	    (out_fd >= 0 && (e = posix_spawn_file_actions_adddup2(&fa, ou[1], 1)) != 0))
		goto spawn_failed;
	if ((e = posix_spawnattr_init(&at)) != 0)
		goto spawn_failed;
	at_ok = 1;
	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGQUIT);
	if ((e = posix_spawnattr_setsigmask(&at, &none)) != 0 ||
	    (e = posix_spawnattr_setsigdefault(&at, &def)) != 0 ||
	    (e = posix_spawnattr_setpgroup(&at, 0)) != 0 ||
	    (e = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
					  POSIX_SPAWN_SETPGROUP)) != 0)
		goto spawn_failed;
	if ((e = posix_spawnp(&gp->pid, prog, &fa, &at, argv, environ)) != 0)
		goto spawn_failed;
	close(in[0]);
	close(er[1]);
	in[0] = er[1] = -1;
	gp->in_fd = in[1];
	gp->err_fd = er[0];
	in[1] = er[0] = -1;
	if (ou[1] >= 0) {
		close(ou[1]);
		ou[1] = -1;
		gp->gout_fd = ou[0];
		ou[0] = -1;
		if (fcntl(gp->gout_fd, F_SETFL, O_NONBLOCK) < 0) {
			snprintf(err, errlen, "fcntl: %s", strerror(errno));
			goto cleanup;
		}
	}
	if (fcntl(gp->err_fd, F_SETFL, O_NONBLOCK) < 0) {
		snprintf(err, errlen, "fcntl: %s", strerror(errno));
		goto cleanup;
	}
	rc = 0;
	*out = gp;
	gp = NULL;
	goto cleanup;
spawn_failed:
	snprintf(err, errlen, "cannot run '%s': %s", prog, strerror(e));
	rc = TSD_EIO;
cleanup:
	if (fa_ok)
		posix_spawn_file_actions_destroy(&fa);
	if (at_ok)
		posix_spawnattr_destroy(&at);
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (er[i] >= 0)
			close(er[i]);
		if (ou[i] >= 0)
			close(ou[i]);
	}
	if (gp) {
		if (gp->in_fd >= 0) {
			close(gp->in_fd);
			close(gp->err_fd);
			if (gp->gout_fd >= 0)
				close(gp->gout_fd);
			waitpid(gp->pid, NULL, 0);
		}
		free(gp->pend);
		free(gp);
	}
	return rc;
}

char *tsd_gnuplot_reserve(tsd_gnuplot *gp, size_t n)
{
	if (n > SIZE_MAX / 2 - gp->len)
		return NULL;
	if (gp->len + n > gp->cap) {
		size_t nc = gp->cap ? gp->cap : 65536;
		while (nc < gp->len + n)
			nc *= 2;
		char *nb = realloc(gp->buf, nc);
		if (!nb)
			return NULL;
		gp->buf = nb;
		gp->cap = nc;
	}
	return gp->buf + gp->len;
}

void tsd_gnuplot_commit(tsd_gnuplot *gp, size_t used)
{
	gp->len += used;
}

size_t tsd_gnuplot_pending(const tsd_gnuplot *gp)
{
	return gp->len;
}

int tsd_gnuplot_append(tsd_gnuplot *gp, const char *s, size_t n)
{
	char *p = tsd_gnuplot_reserve(gp, n);

	if (!p)
		return TSD_ENOMEM;
	memcpy(p, s, n);
	gp->len += n;
	return 0;
}

int tsd_gnuplot_printf(tsd_gnuplot *gp, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return TSD_EINVAL;
	if (!(p = tsd_gnuplot_reserve(gp, (size_t)n + 1)))
		return TSD_ENOMEM;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	gp->len += (size_t)n;
	return 0;
}

int64_t tsd_gnuplot_sync(tsd_gnuplot *gp)
{
	int64_t n = gp->nsync + 1;

	if (tsd_gnuplot_printf(gp, "printerr \"" SYNC_TAG "%" PRId64 "\"\n", n) < 0)
		return TSD_ENOMEM;
	gp->nsync = n;
	return n;
}

int64_t tsd_gnuplot_synced(const tsd_gnuplot *gp)
{
	return gp->synced;
}

int tsd_gnuplot_send(tsd_gnuplot *gp)
{
	size_t off = 0;

	if (gp->in_fd < 0)
		return TSD_EIO;
	while (off < gp->len) {
		ssize_t n = write(gp->in_fd, gp->buf + off, gp->len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			gp->len = 0;
			return TSD_EIO;
		}
		off += (size_t)n;
	}
	gp->len = 0;
	return 0;
}

static void keep_msg(tsd_gnuplot *gp, const char *s, size_t n)
{
	if (n > PENDMAX - gp->npend)
		n = PENDMAX - gp->npend;
	memcpy(gp->pend + gp->npend, s, n);
	gp->npend += n;
}

/* Split complete lines (all of them at end of input); take the markers. */
static void split_lines(tsd_gnuplot *gp)
{
	size_t pos = 0;

	for (;;) {
		char *s = gp->line + pos, *nl = memchr(s, '\n', gp->nline - pos);
		size_t n;
		if (!nl) {
			if (pos == gp->nline || (!gp->eof && !(pos == 0 && gp->nline == LINEBUF)))
				break;
			n = gp->nline - pos; /* last line without '\n', or too long */
		} else {
			n = (size_t)(nl - s) + 1;
		}
		if (n > strlen(SYNC_TAG) && memcmp(s, SYNC_TAG, strlen(SYNC_TAG)) == 0) {
			int64_t v = strtoll(s + strlen(SYNC_TAG), NULL, 10);
			if (v > gp->synced)
				gp->synced = v;
		} else if (n > strlen(REPLY_TAG) && memcmp(s, REPLY_TAG, strlen(REPLY_TAG)) == 0) {
			size_t m = n - strlen(REPLY_TAG) - (nl != NULL);
			if (m >= sizeof gp->reply)
				m = sizeof gp->reply - 1;
			memcpy(gp->reply, s + strlen(REPLY_TAG), m);
			gp->reply[m] = 0;
			gp->have_reply = 1;
		} else {
			keep_msg(gp, s, n);
			if (!nl)
				keep_msg(gp, "\n", 1);
		}
		pos += n;
	}
	memmove(gp->line, gp->line + pos, gp->nline - pos);
	gp->nline -= pos;
}

/* Copy what the child wrote on its stdout to out_fd (after a write error:
 * read and drop it, so that the child never blocks on a full pipe). */
static void pump_out(tsd_gnuplot *gp)
{
	char b[16384];

	while (gp->gout_fd >= 0) {
		ssize_t n = read(gp->gout_fd, b, sizeof b), off = 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
				close(gp->gout_fd);
				gp->gout_fd = -1;
			}
			return;
		}
		while (!gp->out_errno && off < n) {
			ssize_t w = write(gp->out_fd, b + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				struct pollfd p = { .fd = gp->out_fd, .events = POLLOUT };
				poll(&p, 1, -1);
				continue;
			}
			if (w <= 0) {
				gp->out_errno = w < 0 ? errno : EIO;
				break;
			}
			off += w;
		}
	}
}

static int pump(tsd_gnuplot *gp)
{
	pump_out(gp);
	while (!gp->eof) {
		ssize_t n = read(gp->err_fd, gp->line + gp->nline, LINEBUF - gp->nline);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return TSD_EIO;
		}
		if (n == 0)
			gp->eof = 1;
		gp->nline += (size_t)n;
		split_lines(gp);
	}
	split_lines(gp);
	return 0;
}

static void give_msgs(tsd_gnuplot *gp, char *msg, size_t len, size_t *got)
{
	size_t n = 0;

	if (len) {
		n = gp->npend < len - 1 ? gp->npend : len - 1;
		/* whole lines when they fit */
		if (n < gp->npend) {
			char *nl = memrchr(gp->pend, '\n', n);
			if (nl)
				n = (size_t)(nl - gp->pend) + 1;
		}
		memcpy(msg, gp->pend, n);
		msg[n] = 0;
		memmove(gp->pend, gp->pend + n, gp->npend - n);
		gp->npend -= n;
	}
	if (got)
		*got = n;
}

int tsd_gnuplot_read(tsd_gnuplot *gp, char *msg, size_t len, size_t *got)
{
	int rc = pump(gp);

	give_msgs(gp, msg, len, got);
	if (rc < 0)
		return rc;
	return gp->eof && !gp->nline && !gp->npend;
}

/* Wait for sync (or a reply when want_reply); 0, 1 exited, 2 timeout. */
static int wait_for(tsd_gnuplot *gp, int64_t sync, int want_reply, int timeout_ms)
{
	int64_t end = tsd_now_ms() + timeout_ms;
	int rc;

	for (;;) {
		if ((rc = pump(gp)) < 0)
			return rc;
		if (gp->synced >= sync && (!want_reply || gp->have_reply))
			return 0;
		if (gp->eof)
			return 1;
		int64_t left = timeout_ms < 0 ? -1 : end - tsd_now_ms();
		if (timeout_ms >= 0 && left <= 0)
			return 2;
		struct pollfd p[2] = { { .fd = gp->err_fd, .events = POLLIN },
				       { .fd = gp->gout_fd, .events = POLLIN } };
		if (poll(p, gp->gout_fd >= 0 ? 2 : 1, left > INT32_MAX ? INT32_MAX : (int)left) < 0 &&
		    errno != EINTR)
			return TSD_EIO;
	}
}

int tsd_gnuplot_wait(tsd_gnuplot *gp, int64_t sync, int timeout_ms, char *msg, size_t len,
		     size_t *got)
{
	int rc = wait_for(gp, sync, 0, timeout_ms);

	give_msgs(gp, msg, len, got);
	return rc;
}

int tsd_gnuplot_query(tsd_gnuplot *gp, char *out, size_t outlen, const char *expr,
		      int timeout_ms)
{
	int64_t s;
	int rc;

	gp->have_reply = 0;
	if ((rc = tsd_gnuplot_printf(gp, "printerr \"" REPLY_TAG "\".(%s)\n", expr)) < 0)
		return rc;
	if ((s = tsd_gnuplot_sync(gp)) < 0)
		return (int)s;
	if ((rc = tsd_gnuplot_send(gp)) < 0)
		return rc;
	rc = wait_for(gp, s, 1, timeout_ms);
	if (rc == 0 && !gp->have_reply)
		rc = TSD_EFORMAT;
	if (outlen)
		snprintf(out, outlen, "%s", gp->have_reply ? gp->reply : "");
	return rc;
}

int tsd_gnuplot_fd(const tsd_gnuplot *gp)
{
	return gp->err_fd;
}

int tsd_gnuplot_out_fd(const tsd_gnuplot *gp)
{
	return gp->gout_fd;
}

int tsd_gnuplot_out_error(const tsd_gnuplot *gp)
{
	return gp->out_errno;
}

pid_t tsd_gnuplot_pid(const tsd_gnuplot *gp)
{
	return gp->pid;
}

int tsd_gnuplot_close(tsd_gnuplot *gp, int *status, char *msg, size_t len, size_t *got)
{
	int rc = 0, st = 0;

	if (gp->len)
		tsd_gnuplot_send(gp);
	close(gp->in_fd);
	gp->in_fd = -1;
	/* read until gnuplot closes stderr (it has exited); a gnuplot that
	 * does not end within 10 s of its input closing is terminated */
	if (wait_for(gp, INT64_MAX, 0, 10000) == 2) {
		kill(gp->pid, SIGTERM);
		wait_for(gp, INT64_MAX, 0, 2000);
	}
	/* what it wrote last on stdout */
	if (gp->gout_fd >= 0)
		fcntl(gp->gout_fd, F_SETFL, 0);
	pump_out(gp);
	give_msgs(gp, msg, len, got);
	close(gp->err_fd);
	while (waitpid(gp->pid, &st, 0) < 0) {
		if (errno != EINTR) {
			rc = TSD_EIO;
			break;
		}
	}
	if (status)
		*status = st;
	if (gp->out_errno && !rc) {
		errno = gp->out_errno;
		rc = TSD_EIO;
	}
	free(gp->buf);
	free(gp->pend);
	free(gp);
	return rc;
}
