/* tool.h: what every tsdown tool shares: messages, exit codes, common
 * options, and the read-transform-write plumbing around lib/stream.h.
 * This is the only code that prints; lib/ never does. */
#ifndef TSD_TOOL_H
#define TSD_TOOL_H

#include <stdio.h>

#include "stream.h"
#include "tsd.h"

enum { EXIT_DATA = 1, EXIT_USAGE = 2 };

extern const char *tool_name;

/* "tool: message"; a format ending in ':' gets ": strerror(errno)".
 * Messages are written through tool_escape(). */
void tool_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void tool_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void tool_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void tool_version(void);
/* Flush and close stdout after a report (--help, --info, ...): 0, or a
 * "write error: ..." message and exit 1 (a full disk is an error). */
int tool_stdout_done(void);
/* Forget the run before (its writer): for a harness that runs a tool's
 * main again in the same process (tests/fuzz/fuzz_tool.c). */
void tool_reset(void);
/* s (n bytes) for a terminal, in d (4 * n + 1 bytes, NUL-terminated):
 * control characters (C0, DEL, C1) and bytes that are not UTF-8 become
 * \\xHH; valid UTF-8 text passes. Returns the length. */
size_t tool_escape(char *d, const char *s, size_t n);
/* Print the usage text on stdout and exit 0 (1 when it cannot be written). */
_Noreturn void tool_help(const char *usage);
/* After getopt's own message: "Try 'tool --help'...", exit 2. */
_Noreturn void tool_bad_option(void);
/* An old spelling that still works for one release: say once on stderr
 * what replaces it ("tool: -s is deprecated (one meaning per letter, see
 * tsdown(7)): use --score"); it goes in the next release. */
void tool_deprecated(const char *old, const char *now);

/* Strict option value parsers: exit 2 with a message naming the option. */
long tool_long(const char *opt, const char *s, long min, long max);
double tool_double(const char *opt, const char *s);
long long tool_duration(const char *opt, const char *s);

/* Input and output of one tool run. Files are read in order, as cat does. */
typedef struct {
	/* options */
	int out_format;          /* TSD_FMT_AUTO = CSV */
	int out_delim;           /* 0 = as the input */
	int out_shape;           /* TSD_SHAPE_AUTO = as the input */
	tsd_tstyle out_tstyle;   /* kind 0 = as the input */
	int precision;
	int header;              /* 1 unless --no-header */
	tsd_reader_opts in;
	/* state */
	char **files;
	int nfiles, cur;
	tsd_reader *r;
	tsd_writer *w;
	tsd_series_tab *tab;
	int any_input;
	int flush_each;          /* flush after every record (live) */
	char base[256];          /* series name taken from a file name */
	int data_seen;           /* a record other than CONTROL was written */
} tool_io;

/* Common options, the same in every tool:
 *   -o, --output-format csv|bin   -d, --delimiter C (input and output)
 *   -t, --time-format STYLE       --time-unit s|ms|us|ns (input integers)
 *   -N, --name NAME               --shape single|long
 *   --order drop|strict|dupok|any --precision N   --no-header
 *   --max-series N   --progress  --no-progress
 */
#define TOOL_COMMON_SHORT "o:d:t:N:"
#define TOOL_COMMON_LONG \
	{ "output-format", required_argument, 0, 'o' }, \
	{ "delimiter", required_argument, 0, 'd' }, \
	{ "time-format", required_argument, 0, 't' }, \
	{ "name", required_argument, 0, 'N' }, \
	{ "time-unit", required_argument, 0, 1001 }, \
	{ "shape", required_argument, 0, 1002 }, \
	{ "order", required_argument, 0, 1003 }, \
	{ "precision", required_argument, 0, 1004 }, \
	{ "no-header", no_argument, 0, 1005 }, \
	{ "max-series", required_argument, 0, 1006 }, \
	{ "progress", no_argument, 0, 1007 }, \
	{ "no-progress", no_argument, 0, 1008 }, \
	{ "help", no_argument, 0, 'h' }, \
	{ "version", no_argument, 0, 'V' }
#define TOOL_COMMON_HELP \
"  -o, --output-format F  csv or bin (default: bin for binary input, else csv)\n" \
"  -d, --delimiter C      field delimiter: , ; or tab (default: detect; output ,)\n" \
"  -t, --time-format S    output times as iso, iso-t, s, ms, us, ns or sf\n" \
"                         (default: as the input)\n" \
"      --time-unit U      unit of integer input times: s, ms, us, ns\n" \
"                         (default: from their magnitude)\n" \
"  -N, --name NAME        name of the series of single-series input\n" \
"      --shape S          CSV output shape: single or long (default: one\n" \
"                         series in, single; several, long)\n" \
"      --order O          samples not later than the one before in their series:\n" \
"                         drop (default, counted on stderr), strict (error),\n" \
"                         dupok (equal times pass) or any (no check)\n" \
"      --precision N      significant digits of CSV values (default: exact)\n" \
"      --no-header        no CSV header line\n" \
"      --max-series N     most distinct series (default 10000000)\n" \
"      --progress         records read, rate and time on stderr once a second\n" \
"                         (default: when stderr is a terminal and stdout is not\n" \
"                         a pipe); --no-progress: never\n" \
"  -h, --help             this help;  -V, --version  the version\n"

void tool_io_init(tool_io *io);
/* Handle a common option; 1 if it was one, 0 if not. */
int tool_io_option(tool_io *io, int opt, const char *arg);
void tool_io_files(tool_io *io, int argc, char **argv);
/* Next record of the input; 0 at the end of all files. Dies on error. */
int tool_next(tool_io *io, tsd_rec *rec);
/* Open the output (as late as possible, so that it follows the input's
 * style); tool_put opens it if needed. */
void tool_open_output(tool_io *io);
void tool_put(tool_io *io, const tsd_rec *rec);
void tool_sample(tool_io *io, uint32_t series, int64_t t, double v);
/* A gap (an outage) in a series comes out as a gap marker: a sample with
 * no value (NaN; an empty CSV field) at time t inside the gap, where a
 * chart breaks its line. After a window closed by a gap (t_last its last
 * sample, t_next the first after the gap; 0: unknown): the marker goes
 * halfway, or one mean sampling step (step) after t_last. */
void tool_gap(tool_io *io, uint32_t series, int64_t t_last, int64_t t_next, int64_t step);
/* Flush and close the record writer (tool_finish does it too). */
void tool_close_output(tool_io *io);
/* Flush and close the output and stdout: a full disk is an error. */
void tool_finish(tool_io *io);
/* Where the current record came from, for messages: "FILE:LINE". */
const char *tool_where(tool_io *io);
/* What a library code means when the data caused it (TSD_ERANGE: an
 * overflow); tsd_strerror() otherwise. */
const char *tool_data_error(int rc);

/* realloc p to hold want elements of size bytes when *cap is smaller;
 * dies when out of memory. */
void *tool_grow(void *p, size_t *cap, size_t want, size_t size);

#endif
