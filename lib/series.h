/* series.h: series names interned to small dense ids.
 *
 * Streams carry many interleaved series; tools key their per-series state
 * by the id. Memory grows with the number of distinct series, never with
 * the number of records.
 */
#ifndef TSD_SERIES_H
#define TSD_SERIES_H

#include <stddef.h>
#include <stdint.h>

#define TSD_SERIES_NAME_MAX 1024
#define TSD_SERIES_MAX 10000000u     /* default limit on distinct series */
#define TSD_SERIES_MAX_LIMIT (1u << 30) /* highest limit tsd_series_set_max takes */

typedef struct tsd_series_tab tsd_series_tab;

tsd_series_tab *tsd_series_new(void);
void tsd_series_free(tsd_series_tab *tab);
/* Find or add a name; *id receives its id. Refused: a name longer than
 * TSD_SERIES_NAME_MAX (TSD_ERANGE), holding a NUL byte (TSD_EFORMAT: the
 * binary format ends a name there), or past the limit of distinct series
 * (TSD_ELIMIT). tsd_series_why() says which, for messages. */
int tsd_series_intern(uint32_t *id, tsd_series_tab *tab, const char *name, size_t len);
/* The limit of distinct series (default TSD_SERIES_MAX; 1..TSD_SERIES_MAX_LIMIT). */
int tsd_series_set_max(tsd_series_tab *tab, uint32_t max);
uint32_t tsd_series_max(const tsd_series_tab *tab);
/* A message for a code tsd_series_intern returned for a name of len bytes. */
const char *tsd_series_why(char *buf, size_t buflen, const tsd_series_tab *tab, int rc, size_t len);
/* Find a name; TSD_ENOTFOUND if absent. */
int tsd_series_find(uint32_t *id, const tsd_series_tab *tab, const char *name, size_t len);
const char *tsd_series_name(const tsd_series_tab *tab, uint32_t id);
size_t tsd_series_namelen(const tsd_series_tab *tab, uint32_t id);
uint32_t tsd_series_count(const tsd_series_tab *tab);

#endif
