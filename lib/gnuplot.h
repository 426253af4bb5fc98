/* gnuplot.h: one gnuplot child process fed through a pipe.
 *
 * gnuplot reads commands on its stdin (a pipe from us) and writes its
 * messages on stderr (a pipe we read without blocking); its stdout (where
 * a text terminal such as dumb draws) is either ours or a pipe copied to
 * an fd the caller chooses, so that write errors there are seen. The
 * child gets its own process group, so a terminal's Ctrl-C reaches the
 * caller only, which then ends gnuplot by closing the pipe.
 *
 * Commands are appended to a buffer and written by tsd_gnuplot_send().
 * A sync marker (printerr of a numbered line, stripped from what the
 * caller sees) tells when gnuplot has run everything sent before it:
 * after a plot to a file, the file is complete.
 *
 * The caller should ignore SIGPIPE: a gnuplot that has gone makes writes
 * fail with EPIPE, reported as TSD_EIO.
 */
#ifndef TSD_GNUPLOT_H
#define TSD_GNUPLOT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct tsd_gnuplot tsd_gnuplot;

/* Start argv[0] (looked up in PATH) with its arguments; argv NULL runs
 * plain "gnuplot". out_fd -1: the child's stdout is ours; >= 0: what the
 * child writes there is copied to out_fd whenever gnuplot's messages are
 * read (tsd_gnuplot_read, _wait, _close), and the first write error is
 * kept (tsd_gnuplot_out_error). On failure err gets "cannot run 'PROG':
 * reason". */
int tsd_gnuplot_open(tsd_gnuplot **gp, char *const *argv, int out_fd,
		     char *err, size_t errlen);

/* Append to the command buffer (nothing is written yet). */
int tsd_gnuplot_printf(tsd_gnuplot *gp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int tsd_gnuplot_append(tsd_gnuplot *gp, const char *s, size_t n);
/* Room for n more bytes at the end of the buffer (NULL: out of memory);
 * tsd_gnuplot_commit() then says how many were used. */
char *tsd_gnuplot_reserve(tsd_gnuplot *gp, size_t n);
void tsd_gnuplot_commit(tsd_gnuplot *gp, size_t used);
/* Bytes waiting in the buffer. */
size_t tsd_gnuplot_pending(const tsd_gnuplot *gp);

/* Append a sync marker; returns its number (> 0), or TSD_ENOMEM. */
int64_t tsd_gnuplot_sync(tsd_gnuplot *gp);
/* Number of the last sync marker gnuplot has printed. */
int64_t tsd_gnuplot_synced(const tsd_gnuplot *gp);

/* Write the whole buffer (blocking). TSD_EIO: gnuplot has gone. */
int tsd_gnuplot_send(tsd_gnuplot *gp);

/* Read what gnuplot has written on stderr, without blocking. Complete
 * lines other than sync markers are copied to msg (NUL-terminated, lines
 * end with '\n', at most len - 1 bytes; the rest waits for the next
 * call) and *got is their length. Returns 0, or 1 once gnuplot closed
 * stderr (it has exited), or TSD_EIO. */
int tsd_gnuplot_read(tsd_gnuplot *gp, char *msg, size_t len, size_t *got);

/* As tsd_gnuplot_read, but wait up to timeout_ms (< 0: forever) until the
 * sync marker `sync` has come. 0: it came; 1: gnuplot exited; 2: timed
 * out; TSD_EIO. Messages seen meanwhile are returned as by _read. */
int tsd_gnuplot_wait(tsd_gnuplot *gp, int64_t sync, int timeout_ms,
		     char *msg, size_t len, size_t *got);

/* Evaluate a gnuplot string expression (e.g. "GPVAL_TERMINALS") and copy
 * the result to out. 0, 1 (gnuplot exited), 2 (timed out) or < 0. */
int tsd_gnuplot_query(tsd_gnuplot *gp, char *out, size_t outlen, const char *expr,
		      int timeout_ms);

/* The fd to poll for stderr input, and the child's pid. */
int tsd_gnuplot_fd(const tsd_gnuplot *gp);
/* The fd to poll for the child's stdout when it is copied (-1 when not,
 * or once it has closed): poll it and call tsd_gnuplot_read. */
int tsd_gnuplot_out_fd(const tsd_gnuplot *gp);
/* errno of the first failed write of the child's stdout to out_fd, or 0. */
int tsd_gnuplot_out_error(const tsd_gnuplot *gp);
pid_t tsd_gnuplot_pid(const tsd_gnuplot *gp);

/* Send what is buffered, close the command pipe, collect the last
 * messages (as _read, into msg) and wait for the child: *status as from
 * waitpid. Frees gp. TSD_EIO (errno set) if the wait fails or the copy of
 * the child's stdout failed. */
int tsd_gnuplot_close(tsd_gnuplot *gp, int *status, char *msg, size_t len,
		      size_t *got);

#endif
