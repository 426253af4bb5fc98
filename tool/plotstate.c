/* plotstate.c: tsplot's reader threads and the state they share with the
 * main loop (see plotstate.h). */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plotstate.h"
#include "tool.h"

int tool_plotstate_init(tool_plotstate *st, char **pats, int npats)
{
	int rc;

	st->pats = pats;
	st->npats = npats;
	if ((rc = pthread_mutex_init(&st->lock, NULL)) != 0) {
		errno = rc;
		return TSD_ENOMEM;
	}
	if (!(st->matched = calloc((size_t)npats + 1, sizeof *st->matched)) || !(st->groups = tsd_series_new()))
		return TSD_ENOMEM;
	return 0;
}

/* Under the lock: whether a --series pattern matches name (each one that
 * does counts it). */
static int match(tool_plotstate *st, const char *name)
{
	int i, any = 0;

	if (!st->npats)
		return 1;
	for (i = 0; i < st->npats; i++)
		if (fnmatch(st->pats[i], name, 0) == 0)
			st->matched[i]++, any = 1;
	return any;
}

int tool_plotstate_add_series(tool_plotstate *st, int32_t *id, const char *name, int input)
{
	tool_plot_series *p;
	uint32_t grp;

	*id = -1;
	if (!match(st, name))
		return 0;
	if (tsd_grow(&st->ps, &st->cps, (size_t)st->nps + 1, sizeof *st->ps) < 0 ||
	    tsd_series_intern(&grp, st->groups, name, strlen(name)) < 0)
		return TSD_ENOMEM;
	p = &st->ps[st->nps];
	memset(p, 0, sizeof *p);
	if (!(p->name = strdup(name)))
		return TSD_ENOMEM;
	p->input = input;
	p->group = grp;
	p->last_t = INT64_MIN;
	*id = (int32_t)st->nps++;
	return 0;
}

int tool_plotstate_add_batch(tool_plot_input *in)
{
	tool_plotstate *st = in->st;
	size_t i;
	int rc = 0;

	if (!in->nb)
		return 0;
	pthread_mutex_lock(&st->lock);
	for (i = 0; i < in->nb && rc >= 0; i++) {
		uint32_t local = in->batch[i].id;
		int64_t t = in->batch[i].t;
		double v = in->batch[i].v;
		if (local >= in->nmap) {
			size_t j = in->nmap;
			if (tsd_grow(&in->map, &in->nmap, (size_t)local + 1, sizeof *in->map) < 0) {
				rc = TSD_ENOMEM;
				break;
			}
			for (; j < in->nmap; j++)
				in->map[j] = -2;
		}
		if (in->map[local] == -2 &&
		    (rc = tool_plotstate_add_series(st, &in->map[local], tsd_series_name(in->tab, local), in->index)) < 0)
			break;
		int32_t id = in->map[local];
		if (id < 0)
			continue;
		if (st->pb)
			rc = tsd_plotbuf_push(st->pb, (uint32_t)id, t, v);
		if (rc >= 0 && st->hist)
			rc = tsd_plothist_push(st->hist, (uint32_t)id, t, v);
		if (rc >= 0 && t > st->ps[id].last_t)
			st->ps[id].last_t = t;
	}
	pthread_mutex_unlock(&st->lock);
	in->nb = 0;
	if (rc < 0)
		snprintf(in->err, sizeof in->err, "%s", tsd_strerror(rc));
	return rc < 0 ? rc : 0;
}

/* A reader waiting for input hands over what it holds: a live chart
 * shows the samples of a slow input without waiting for a full batch. */
static int on_idle(void *arg)
{
	tool_plotstate_add_batch(arg);
	return 0;
}

void *tool_plot_reader(void *arg)
{
	tool_plot_input *in = arg;
	tsd_reader *r = NULL;
	tsd_rec rec;
	int fd = 0, rc;
	char c = 1;

	if (strcmp(in->path, "-") != 0 && (fd = open(in->path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(in->err, sizeof in->err, "%s: %s", in->path, strerror(errno));
		goto done;
	}
	in->opts.tab = in->tab;
	in->opts.name = in->path;
	if ((rc = tsd_reader_open(&r, fd, &in->opts)) < 0) {
		snprintf(in->err, sizeof in->err, "%s", tsd_strerror(rc));
		goto done;
	}
	tsd_reader_on_idle(r, on_idle, in);
	while ((rc = tsd_reader_next(r, &rec)) > 0) {
		if (rec.kind == TSD_REC_CONTROL)
			continue;
		if (rec.kind != TSD_REC_SAMPLE) {
			snprintf(in->err, sizeof in->err, "%s: expected samples, found wavelet coefficients",
				 tsd_reader_where(r));
			goto done;
		}
		in->batch[in->nb].id = rec.s.series;
		in->batch[in->nb].t = rec.s.t;
		in->batch[in->nb++].v = rec.s.v;
		in->samples++;
		if (in->nb == TOOL_PLOT_BATCH && tool_plotstate_add_batch(in) < 0)
			goto done;
	}
	if (rc < 0) {
		snprintf(in->err, sizeof in->err, "%s", tsd_reader_errmsg(r));
		goto done;
	}
	tool_plotstate_add_batch(in);
	long first;
	uint64_t nd = tsd_reader_dropped(r, &first);
	if (nd)
		fprintf(stderr, "%s: %s: %llu sample%s not later than the one before dropped (first at line %ld; see --order)\n",
			tool_name, strcmp(in->path, "-") ? in->path : "<stdin>", (unsigned long long)nd,
			nd == 1 ? "" : "s", first);
done:
	if (r)
		tsd_reader_close(r);
	if (fd > 0)
		close(fd);
	while (write(in->st->notify[1], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

uint32_t tool_plotstate_count(void *arg)
{
	const tool_plotstate *st = arg;

	return st->nps;
}

const char *tool_plotstate_series(void *arg, uint32_t id, int *input, uint32_t *group)
{
	const tool_plotstate *st = arg;

	*input = st->ps[id].input;
	*group = st->ps[id].group;
	return st->ps[id].name;
}
