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
#include <string.h>

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

/* A CSV column of times mostly repeats its date: the reader and the Kafka
 * payload decoder remember the date of the last plain ISO time
 * ("YYYY-MM-DD HH:MM:SS", no zone, no fraction) so that the next one of
 * that date is its midnight plus the time of day, without a full parse. */
typedef struct {
	char text[11];   /* "YYYY-MM-DD " (either separator) */
	int valid;
	int64_t base;    /* its midnight, ns */
} tsd_tcache;

/* The seconds of the day of a 19-byte "YYYY-MM-DD HH:MM:SS" when HH:MM:SS
 * is an ordinary time of day (not 24:00:00, not a leap second), else -1. */
static inline int tsd_time_plain_sod(const char *s)
{
	unsigned h1 = (unsigned char)s[11] - '0', h2 = (unsigned char)s[12] - '0';
	unsigned m1 = (unsigned char)s[14] - '0', m2 = (unsigned char)s[15] - '0';
	unsigned s1 = (unsigned char)s[17] - '0', s2 = (unsigned char)s[18] - '0';
	unsigned h = h1 * 10 + h2, mi = m1 * 10 + m2, se = s1 * 10 + s2;

	if (s[13] != ':' || s[16] != ':' || h1 > 9 || h2 > 9 || m1 > 9 || m2 > 9 || s1 > 9 || s2 > 9 ||
	    h > 23 || mi > 59 || se > 59)
		return -1;
	return (int)(h * 3600 + mi * 60 + se);
}

/* Parse a time as tsd_time_parse (style in/out: its kind says the unit of
 * bare numbers), through the cache c: 1 when the date was the cached one
 * (*style then untouched: it is the last parse's), 0 after a full parse
 * (which remembers a plain ISO time's date), < 0 as tsd_time_parse. */
int tsd_time_parse_slow(tsd_tcache *c, int64_t *ns, tsd_tstyle *style, const char *s, size_t len);
static inline int tsd_time_parse_cached(tsd_tcache *c, int64_t *ns, tsd_tstyle *style, const char *s, size_t len)
{
	int sod;

	if (len == 19 && c->valid && !memcmp(s, c->text, 11) && (sod = tsd_time_plain_sod(s)) >= 0) {
		*ns = c->base + sod * 1000000000LL;
		return 1;
	}
	return tsd_time_parse_slow(c, ns, style, s, len);
}

/* Milliseconds of the monotonic clock (for timeouts and rates, not for
 * event time). */
int64_t tsd_now_ms(void);

#endif
