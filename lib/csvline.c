/* csvline.c: one-line CSV splitting over libcsv. */
#include "csvline.h"
#include "tsd.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	tsd_csvline *cl;
	size_t *off;
	size_t noff, offcap;
	int err, rows;
} split_ctx;

static void on_field(void *s, size_t len, void *data)
{
	split_ctx *x = data;
	tsd_csvline *cl = x->cl;

	if (x->err)
		return;
	if (cl->len + len + 1 > cl->cap) {
		size_t nc = cl->cap ? cl->cap : 128;
		while (nc < cl->len + len + 1)
			nc *= 2;
		char *nb = realloc(cl->buf, nc);
		if (!nb) {
			x->err = TSD_ENOMEM;
			return;
		}
		cl->buf = nb;
		cl->cap = nc;
	}
	if (x->noff == x->offcap) {
		size_t nc = x->offcap ? x->offcap * 2 : 16;
		size_t *no = realloc(x->off, nc * sizeof *no);
		if (!no) {
			x->err = TSD_ENOMEM;
			return;
		}
		x->off = no;
		x->offcap = nc;
	}
	x->off[x->noff++] = cl->len;
	memcpy(cl->buf + cl->len, s, len);
	cl->len += len;
	cl->buf[cl->len++] = 0;
}

static void on_row(int c, void *data)
{
	(void)c;
	((split_ctx *)data)->rows++;
}

int tsd_csvline_split(tsd_csvline *cl, const char *line, size_t len, int delim)
{
	struct csv_parser p;
	split_ctx x = { .cl = cl };
	size_t i;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	cl->len = 0;
	cl->n = 0;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL))
		return TSD_ENOMEM;
	csv_set_delim(&p, (unsigned char)delim);
	if (csv_parse(&p, line, len, on_field, on_row, &x) != len ||
	    csv_fini(&p, on_field, on_row, &x) != 0)
		x.err = x.err ? x.err : TSD_EFORMAT;
	csv_free(&p);
	if (!x.err && x.noff > cl->fcap) {
		char **nf = realloc(cl->field, x.noff * sizeof *nf);
		if (!nf)
			x.err = TSD_ENOMEM;
		else
			cl->field = nf, cl->fcap = x.noff;
	}
	if (x.err) {
		free(x.off);
		return x.err;
	}
	for (i = 0; i < x.noff; i++)
		cl->field[i] = cl->buf + x.off[i];
	cl->n = x.noff;
	free(x.off);
	return (int)cl->n;
}

void tsd_csvline_free(tsd_csvline *cl)
{
	free(cl->buf);
	free(cl->field);
	memset(cl, 0, sizeof *cl);
}
