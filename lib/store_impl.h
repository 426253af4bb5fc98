/* store_impl.h: what a storage backend (store_sqlite.c, store_pg.c)
 * implements, and the state store.c keeps for every backend. Not for
 * callers: they use store.h. */
#ifndef TSD_STORE_IMPL_H
#define TSD_STORE_IMPL_H

#include "store.h"

typedef struct {
	const char *kind;
	/* connect to target (the name without any "sqlite:" prefix); create
	 * the tables that are missing */
	int (*open)(tsd_store *s, const char *target);
	void (*close)(tsd_store *s);
	int (*row)(tsd_store *s, const char *series, size_t len, int64_t t, double v);
	int (*pos)(tsd_store *s, const char *topic, size_t len, int32_t partition, int64_t offset);
	int (*commit)(tsd_store *s);
	int (*rollback)(tsd_store *s);
	int (*get_pos)(tsd_store *s, const char *topic, int32_t partition, int64_t *offset);
	/* carried state: key (stage and series) and text, into the open
	 * transaction (each key once per transaction); every stored one */
	int (*carry)(tsd_store *s, const char *key, size_t klen, const char *text, size_t n);
	int (*carries)(tsd_store *s, int (*fn)(const char *text, size_t n, void *arg), void *arg);
	/* every series name, in any order (store.c filters and sorts) */
	int (*series)(tsd_store *s, char ***names, size_t *n, size_t *cap);
	int (*query)(tsd_store *s, const char *series, int64_t from, int64_t to);
	int (*next)(tsd_store *s, int64_t *t, double *v);
} tsd_store_ops;

struct tsd_store {
	const tsd_store_ops *ops;
	void *impl;
	tsd_store_opts o;
	uint64_t pending;        /* rows and positions in the open transaction */
	uint64_t rows;           /* rows in the open transaction */
	int64_t bad;             /* refused row (index in its transaction), -1 */
	char *bad_series;
	size_t bad_len;
	int64_t bad_t;
	double bad_v;
	unsigned retries;
	/* carried state of the open transaction, one per key */
	struct tsd_series_tab *ckeys;
	char **ctext;            /* (ccap) by key id; NULL when none */
	size_t *clen, ccap;
	uint32_t *cids;          /* (ncids) keys with a text, in order */
	size_t ncids, cidcap;
	char err[512];
};

extern const tsd_store_ops tsd_store_sqlite_ops;
extern const tsd_store_ops tsd_store_pg_ops;

/* errbuf of the store: printf-style */
void tsd_store_seterr(tsd_store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Remember the refused row (copied). */
void tsd_store_setbad(tsd_store *s, int64_t idx, const char *series, size_t len, int64_t t, double v);
/* Append a copy of name (len bytes) to a growing list. */
int tsd_store_names_add(char ***names, size_t *n, size_t *cap, const char *name, size_t len);

#endif
