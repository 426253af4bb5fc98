/* csvline.h: split one CSV line into fields with libcsv, for the small
 * line-oriented formats that are not record streams (SAX words, labels). */
#ifndef TSD_CSVLINE_H
#define TSD_CSVLINE_H

#include <stddef.h>

typedef struct {
	char *buf;        /* field bytes, each NUL-terminated */
	size_t cap, len;
	char **field;     /* (n) pointers into buf */
	size_t n, fcap;
} tsd_csvline;

/* Split len bytes (one record; a trailing CR/LF is ignored). Returns the
 * number of fields, or TSD_EFORMAT for bad quoting, TSD_ENOMEM. */
int tsd_csvline_split(tsd_csvline *cl, const char *line, size_t len, int delim);
void tsd_csvline_free(tsd_csvline *cl);

#endif
