/* events.h: labelled event windows (e.g. NAB anomaly windows) per series.
 *
 * Two input formats:
 *   JSON  {"file.csv": [["2014-04-10 07:15:00.000000", "2014-04-11 ..."], ...], ...}
 *         read by a small strict reader (objects, arrays, strings with all
 *         JSON escapes, numbers; no comments, no trailing commas). A window
 *         bound may also be a JSON number: epoch seconds, fraction allowed.
 *   CSV   lines "series,start,end"; an optional first line whose start field
 *         begins with a letter is a header; blank lines and lines starting
 *         with '#' are skipped; a field may be double-quoted ("" escapes ").
 * Times go through tsd_time_parse() (lib/tstime.h): ISO-8601 with ' ' or
 * 'T', optional fraction, optional Z / +HH:MM zone, UTC when no zone is
 * given; CSV also accepts epoch integers as that parser does.
 * A window [start, end] is closed at both ends (NAB's convention); end <
 * start is an error. Windows of a series keep their input order.
 */
#ifndef TSD_EVENTS_H
#define TSD_EVENTS_H

#include <stddef.h>
#include <stdint.h>

/* A closed time interval, ns since the epoch. */
struct tsd_window {
	int64_t start, end;
};

struct tsd_event_series {
	char *name;                 /* key as written, NUL-terminated */
	struct tsd_window *w;       /* (nw) */
	size_t nw;
};

struct tsd_events {
	struct tsd_event_series *s; /* (ns) in order of first appearance */
	size_t ns;
};

/* Parse a whole buffer. On success *ev owns its memory (tsd_events_free);
 * on failure *ev is left empty and errbuf says "line N: what". A series
 * key given twice in JSON is an error; in CSV, lines of one series add up. */
int tsd_events_read_json(struct tsd_events *ev, const char *buf, size_t len,
			 char *errbuf, size_t errlen);
int tsd_events_read_csv(struct tsd_events *ev, const char *buf, size_t len,
			char *errbuf, size_t errlen);
/* Read a file; JSON when its first non-blank byte is '{', CSV otherwise.
 * errbuf then starts with the path. TSD_EIO leaves errno set. */
int tsd_events_load(struct tsd_events *ev, const char *path,
		    char *errbuf, size_t errlen);
void tsd_events_free(struct tsd_events *ev);

/* Find a series by name. "x" and "x.csv" match each other both ways, so
 * a tool may strip the suffix or not; an exact match wins. NULL if none. */
const struct tsd_event_series *tsd_events_find(const struct tsd_events *ev,
					       const char *name);

#endif
