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
#define TSD_SERIES_MAX 10000000u

typedef struct tsd_series_tab tsd_series_tab;

tsd_series_tab *tsd_series_new(void);
void tsd_series_free(tsd_series_tab *tab);
/* Find or add a name; *id receives its id. */
int tsd_series_intern(uint32_t *id, tsd_series_tab *tab, const char *name, size_t len);
/* Find a name; TSD_ENOTFOUND if absent. */
int tsd_series_find(uint32_t *id, const tsd_series_tab *tab, const char *name, size_t len);
const char *tsd_series_name(const tsd_series_tab *tab, uint32_t id);
size_t tsd_series_namelen(const tsd_series_tab *tab, uint32_t id);
uint32_t tsd_series_count(const tsd_series_tab *tab);

#endif
