/* plotcmd.h: pieces of the gnuplot commands a chart is drawn with: times
 * as gnuplot reads them, the x axis format for a span, quoted strings and
 * inline data blocks. Pure text, no I/O. */
#ifndef TSD_PLOTCMD_H
#define TSD_PLOTCMD_H

#include <stddef.h>
#include <stdint.h>

/* Seconds since the epoch of a time in ns, with the decimals it needs (up
 * to 9): "1704067200", "-1.5", "1704067200.000000001". Writes at most
 * TSD_PLOT_TIME_MAX bytes, no NUL; returns how many. */
#define TSD_PLOT_TIME_MAX 32
size_t tsd_plot_time(char *p, int64_t ns);
/* The strftime-style x-axis format for a shown span of extent ns: clock
 * time for short spans, dates on two lines for long ones. */
const char *tsd_plot_time_format(int64_t extent);
/* s as a gnuplot double-quoted string in buf (len >= 3): '"' and '\\'
 * escaped, control characters as spaces, cut to fit. Returns buf. */
const char *tsd_plot_quote(char *buf, size_t len, const char *s);
/* Bytes tsd_plot_data writes at most for n points. */
size_t tsd_plot_data_size(size_t n);
/* The inline data block "$d<id> << EOD", one "time value" line a point
 * (values to 8 significant digits), "EOD". Returns the bytes written. */
size_t tsd_plot_data(char *p, uint32_t id, const int64_t *t, const double *v, size_t n);

/* Whether the gnuplot terminal named by t (its first word) is in terms,
 * gnuplot's GPVAL_TERMINALS (names separated by spaces). */
int tsd_plot_has_term(const char *terms, const char *t);
/* The Debian package that brings terminal t, as " (Debian: install ...)",
 * or "" when there is nothing to say. */
const char *tsd_plot_term_package(const char *t);
/* The terminal a file name asks for by its ending (.png pngcairo, .svg
 * svg, .txt dumb), or NULL. */
const char *tsd_plot_term_of(const char *path);

#endif
