/* tstime.h: timestamps. Internally every time is int64 nanoseconds since
 * 1970-01-01T00:00:00Z. A tsd_tstyle remembers how the input wrote its
 * times so that output can write them the same way.
 *
 * Accepted input:
 *   ISO-8601   YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS[.f...]] or with 'T',
 *              optional zone Z, +HH, +HH:MM or +HHMM (no zone = UTC)
 *   epoch      an integer: seconds, ms, us or ns, told apart by magnitude
 *              (|x| < 1e11 s, < 1e14 ms, < 1e17 us, else ns) unless a unit
 *              is forced; a number with a fraction is seconds.
 */
#ifndef TSD_TSTIME_H
#define TSD_TSTIME_H

#include <stddef.h>
#include <stdint.h>

enum tsd_tkind {
	TSD_T_AUTO = 0,   /* detect from the text (parse) */
	TSD_T_ISO = 1,    /* ISO-8601 */
	TSD_T_S = 2,      /* integer epoch seconds */
	TSD_T_MS = 3,
	TSD_T_US = 4,
	TSD_T_NS = 5,
	TSD_T_SF = 6,     /* epoch seconds with a fraction, e.g. 1400000000.25 */
};

typedef struct {
	uint8_t kind;     /* enum tsd_tkind */
	uint8_t sep;      /* ISO: ' ' or 'T' */
	uint8_t frac;     /* ISO / SF: digits after the point (0..9) */
	uint8_t zone;     /* ISO: 0 none, 'Z', or '+' for a numeric offset */
	int16_t tzmin;    /* ISO numeric offset in minutes */
	uint16_t pad;
} tsd_tstyle;

#define TSD_TIME_MAX 40   /* longest formatted time, with NUL */

/* Parse len bytes at s. style->kind may force a unit (S, MS, US, NS) for
 * integers; on success style is filled with what was seen. */
int tsd_time_parse(int64_t *ns, tsd_tstyle *style, const char *s, size_t len);

/* Format into buf (at least TSD_TIME_MAX bytes); returns the length. */
int tsd_time_format(char *buf, int64_t ns, const tsd_tstyle *style);

/* Parse a style name: iso, iso-t, s, ms, us, ns, sf ("auto" gives kind 0). */
int tsd_tstyle_parse(tsd_tstyle *style, const char *name);

/* Days since 1970-01-01 of a civil date, and back (proleptic Gregorian). */
int64_t tsd_days_from_civil(int64_t y, unsigned m, unsigned d);
void tsd_civil_from_days(int64_t *y, unsigned *m, unsigned *d, int64_t days);

/* Milliseconds of the monotonic clock (for timeouts and rates, not for
 * event time). */
int64_t tsd_now_ms(void);

#endif
