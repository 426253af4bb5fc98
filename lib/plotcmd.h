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
/* The x tics for a view of [t0, t1] ns whose plot area is `chars` label
 * characters wide: "set xtics START, STEP" and "set format x ..." lines.
 * The step is the smallest of 1 s, 2 s, 5 s, ..., 1 h, 2 h, ..., 1 d, 7 d,
 * ... whose labels, two characters apart, fit (no overlap); the start is
 * a multiple of the step (UTC); when the view crosses days the date is on
 * a second line under the time of day. Returns the length, or TSD_ESIZE. */
int tsd_plot_xtics(char *buf, size_t len, int64_t t0, int64_t t1, int chars);
/* Text from data or options made safe for gnuplot and for a terminal:
 * well-formed UTF-8 is kept; control characters (C0, DEL, C1) and bytes
 * that are not UTF-8 become '?'. quote: the result as a gnuplot
 * single-quoted string ('...' with ' written ''), in which gnuplot
 * substitutes nothing (no `backquotes`, no @macros). Cut on a character
 * boundary to fit len (>= 3; the closing quote is kept); returns the
 * length written (without the NUL). */
size_t tsd_plot_text(char *buf, size_t len, const char *s, int quote);
/* tsd_plot_text(buf, len, s, 1), returning buf. */
const char *tsd_plot_quote(char *buf, size_t len, const char *s);
/* A file name as a gnuplot single-quoted string. TSD_EINVAL when it holds
 * a control character (it could not be written as it is), TSD_ESIZE when
 * it does not fit; 0 on success. */
int tsd_plot_quote_path(char *buf, size_t len, const char *path);
/* Whether spec (from -T) is a terminal name (a-z, 0-9) followed by
 * options, each after one space: words of letters, digits and _ . , : + -
 * or single-quoted strings with no quote or control character inside
 * (font 'Sans,8'): nothing gnuplot could evaluate, substitute or run.
 * 0 (and *name_len the length of the name) or TSD_EINVAL. */
int tsd_plot_term_check(const char *spec, size_t *name_len);
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
/* The line colour of a series name's group as gnuplot reads it, "rgb
 * '#rrggbb'": one hue per name (ten distinct ones, then steps of the
 * golden angle); light: a lighter tint of the same hue (the first input
 * of an overlay, the original, under the others). buf holds at most
 * TSD_PLOT_COLOUR_MAX bytes with the NUL. */
#define TSD_PLOT_COLOUR_MAX 16
void tsd_plot_colour(char *buf, size_t len, uint32_t group, int light);

#endif
