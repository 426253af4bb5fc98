/* tsstore: write a record stream into a database (SQLite or PostgreSQL),
 * upserting by (series, time), with the source positions that travel in
 * the stream committed in the same transaction as the rows before them. */
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctlq.h"
#include "tstime.h"
#include "store.h"
#include "tool.h"

static const char usage[] =
"usage: tsstore [options] DB [FILE...]\n"
"Store the samples of the input (CSV or binary, many series) in the database\n"
"DB, keyed by (series, time): a sample already stored is overwritten, so a\n"
"replay never duplicates. Source positions in the input (from tsconsume) are\n"
"stored in the same transaction as the rows before them; tsconsume\n"
"--positions DB starts there. The state that thresh --ratio and merge carry\n"
"from window to window comes just before a position ('#tsd save'): it is\n"
"stored with that position, and tsconsume --positions gives it back after\n"
"the seek, so a replay gives the same rows. The tables are made when missing\n"
"(tsd-store(5)).\n"
"\n"
"DB is sqlite:PATH (a file, made when missing) or a PostgreSQL connection\n"
"string: 'host=/run/postgresql dbname=ts' or postgresql://user@host/ts.\n"
"\n"
"  -B, --batch N          rows per transaction (default 50000); with positions\n"
"                         in the input, a transaction ends at a position\n"
"                         once it holds N rows or is --interval old\n"
"      --interval DUR     with positions: commit at least this often\n"
"                         (default 1s), and whenever input pauses\n"
"      --busy-timeout DUR SQLite: wait this long for a lock held by another\n"
"                         process (default 30s)\n"
"      --retry DUR        PostgreSQL: when the server goes away, reconnect with\n"
"                         backoff and resend the open transaction for DUR\n"
"                         (default 60s; 0: fail at once)\n"
"  -q, --quiet            no notices on stderr\n"
"  -d, --delimiter C      input field delimiter: , ; or tab (default: detect)\n"
"      --time-unit U      unit of integer input times: s, ms, us, ns\n"
"  -N, --name NAME        name of the series of single-series input\n"
"      --order O          drop (default), strict, dupok or any (see tsconv)\n"
"  -h, --help             this help;  -V, --version  the version\n"
"\nExit status: 0 success, 1 bad input, a row the database refuses, a\n"
"database that stays unreachable (only whole transactions are committed),\n"
"or input that carried positions and ended without the source's end mark;\n"
"2 usage error.\n";

static tool_io io;
static tsd_store *st;
static const char *dbname;
static uint64_t recno;        /* records of the input, counted from 1 */
static uint64_t txn_first;    /* record number of the transaction's first row */
static uint64_t nrows, ncommits;
static int64_t last_commit, interval_ms = 1000;
static long batch = 50000;
static int seen_pos, last_was_pos;
/* carried state (SAVE records) waiting for the position after it: stored
 * with that position, or never (the end mark, or no position) */
static char **saves;
static size_t *save_len, nsaves, save_cap, len_cap;

static void save_hold(const tsd_control *k)
{
	if (nsaves == save_cap) {
		size_t nc = 2 * save_cap + 16;
		saves = tool_grow(saves, &save_cap, nc, sizeof *saves);
		save_len = tool_grow(save_len, &len_cap, nc, sizeof *save_len);
	}
	if (!(saves[nsaves] = malloc(k->topic_len ? k->topic_len : 1)))
		tool_die(EXIT_DATA, "out of memory");
	memcpy(saves[nsaves], k->topic, k->topic_len);
	save_len[nsaves++] = k->topic_len;
}

static void saves_drop(void)
{
	for (size_t i = 0; i < nsaves; i++)
		free(saves[i]);
	nsaves = 0;
}

static _Noreturn void refused(int rc)
{
	const char *name;
	size_t len;
	int64_t t;
	double v;
	int64_t i = tsd_store_bad_row(st, &name, &len, &t, &v);

	if (rc == TSD_EFORMAT && i >= 0) {
		char tb[TSD_TIME_MAX], vb[32];
		tsd_tstyle iso = { .kind = TSD_T_ISO, .sep = ' ' };
		tsd_time_format(tb, t, &iso);
		tsd_format_double(vb, v, 0);
		tool_die(EXIT_DATA, "%s: record %" PRIu64 " (series '%.*s', time %s, value %s): the database refused it: %s",
			 io.nfiles == 1 && strcmp(io.files[0], "-") ? io.files[0] : "<stdin>",
			 txn_first + (uint64_t)i, (int)len, name, tb, vb, tsd_store_errmsg(st));
	}
	tool_die(EXIT_DATA, "%s: %s (nothing of this transaction is stored)", dbname, tsd_store_errmsg(st));
}

static void commit(void)
{
	int rc;

	if (!tsd_store_pending(st))
		return;
	if ((rc = tsd_store_commit(st)) < 0)
		refused(rc);
	ncommits++;
	last_commit = tsd_now_ms();
}

/* Input is about to block: what is whole goes in now. */
static int on_idle(void *arg)
{
	(void)arg;
	if (!seen_pos || last_was_pos)
		commit();
	return 0;
}

static void row(uint32_t series, int64_t t, double v)
{
	int rc;

	if (last_was_pos) {
		/* a run of positions ended: the rows before them are whole */
		last_was_pos = 0;
		if (tsd_store_pending(st) >= (uint64_t)batch || tsd_now_ms() - last_commit >= interval_ms)
			commit();
	} else if (tsd_store_pending(st) >= (uint64_t)batch * (seen_pos ? 8 : 1)) {
		/* no position for long (or none at all): bound the transaction;
		 * a replay from the last position rewrites these rows */
		commit();
	}
	if (!tsd_store_pending(st))
		txn_first = recno;
	rc = tsd_store_row(st, tsd_series_name(io.tab, series), tsd_series_namelen(io.tab, series), t, v);
	if (rc == TSD_EFORMAT) {
		const char *bn;
		size_t bl;
		int64_t bt;
		double bv;
		int64_t bi = tsd_store_bad_row(st, &bn, &bl, &bt, &bv);
		if (bi >= 0 && txn_first + (uint64_t)bi != recno)
			refused(rc); /* an earlier row of the transaction */
		/* the database refused this row as it came */
		char tb[TSD_TIME_MAX], vb[32];
		tsd_tstyle iso = { .kind = TSD_T_ISO, .sep = ' ' };
		tsd_time_format(tb, t, &iso);
		tsd_format_double(vb, v, 0);
		tool_die(EXIT_DATA, "%s: series '%s', time %s, value %s: the database refused it: %s", tool_where(&io),
			 tsd_series_name(io.tab, series), tb, vb, tsd_store_errmsg(st));
	}
	if (rc < 0)
		refused(rc);
	nrows++;
}

int main(int argc, char **argv)
{
	enum { O_INTERVAL = 3000, O_BUSY, O_RETRY };
	static const struct option lopts[] = {
		{ "batch", required_argument, 0, 'B' }, { "interval", required_argument, 0, O_INTERVAL },
		{ "busy-timeout", required_argument, 0, O_BUSY }, { "retry", required_argument, 0, O_RETRY },
		{ "quiet", no_argument, 0, 'q' }, { "delimiter", required_argument, 0, 'd' },
		{ "time-unit", required_argument, 0, 1001 }, { "name", required_argument, 0, 'N' },
		{ "order", required_argument, 0, 1003 }, { "help", no_argument, 0, 'h' },
		{ "version", no_argument, 0, 'V' }, { 0, 0, 0, 0 },
	};
	tsd_store_opts so;
	tsd_reader *hooked = NULL;
	tsd_rec r;
	char err[600];
	int c, rc, quiet = 0, seen_end = 0;

	tool_name = "tsstore";
	tool_io_init(&io);
	tsd_store_defaults(&so);
	while ((c = getopt_long(argc, argv, "B:qd:N:hV", lopts, NULL)) != -1) {
		switch (c) {
		case 'B': batch = tool_long("--batch", optarg, 1, 100000000); break;
		case O_INTERVAL: interval_ms = tool_duration("--interval", optarg) / 1000000; break;
		case O_BUSY: so.busy_ms = tool_duration("--busy-timeout", optarg) / 1000000; break;
		case O_RETRY: so.retry_ms = strcmp(optarg, "0") ? tool_duration("--retry", optarg) / 1000000 : 0; break;
		case 'q': quiet = 1; break;
		case 'h': tool_help(usage);
		default:
			if (tool_io_option(&io, c, optarg))
				break;
			fprintf(stderr, "Try 'tsstore --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind >= argc)
		tool_usage_error("no database (sqlite:PATH or a PostgreSQL connection string)");
	dbname = argv[optind++];
	tool_io_files(&io, argc - optind, argv + optind);
	if ((rc = tsd_store_open(&st, dbname, &so, err, sizeof err)) < 0) {
		if (rc == TSD_EINVAL)
			tool_usage_error("%s", err);
		tool_die(EXIT_DATA, "%s", err);
	}
	last_commit = tsd_now_ms();
	while (tool_next(&io, &r)) {
		recno++;
		if (io.r != hooked && io.r) {
			tsd_reader_on_idle(io.r, on_idle, NULL);
			hooked = io.r;
		}
		switch (r.kind) {
		case TSD_REC_CONTROL:
			if (r.k.what == TSD_CTL_SAVE) {
				save_hold(&r.k);
				break;
			}
			if (r.k.what != TSD_CTL_POSITION)
				break;
			seen_pos = 1;
			if (tsd_ctl_is_end(&r.k)) {
				seen_end = 1;
				saves_drop();
				break;
			}
			for (size_t i = 0; i < nsaves; i++) {
				rc = tsd_store_carry(st, saves[i], save_len[i]);
				if (rc == TSD_EFORMAT)
					tool_die(EXIT_DATA, "%s: %s", tool_where(&io), tsd_store_errmsg(st));
				if (rc < 0)
					refused(rc);
			}
			saves_drop();
			if ((rc = tsd_store_pos(st, r.k.topic, r.k.topic_len, r.k.partition, r.k.offset)) < 0)
				refused(rc);
			last_was_pos = 1;
			break;
		case TSD_REC_SAMPLE:
			row(r.s.series, r.s.t, r.s.v);
			break;
		case TSD_REC_SAMPLES:
			for (uint32_t i = 0; i < r.r.count; i++)
				row(r.r.series, r.r.t ? r.r.t[i] : r.r.t0 + (int64_t)i * r.r.dt, r.r.v[i]);
			break;
		default:
			tool_die(EXIT_DATA, "%s: wavelet coefficients: tsstore stores samples (put merge before it)",
				 tool_where(&io));
		}
	}
	if (seen_pos && !seen_end) {
		/* upstream failed: keep only what ended at a position */
		tsd_store_rollback(st);
		tsd_store_close(st);
		tool_die(EXIT_DATA, "the input carried source positions but ended without the source's end mark "
			 "(did a stage before fail?): nothing stored since the last commit");
	}
	commit();
	if (!quiet && tsd_store_retries(st))
		tool_warn("%s: the connection was lost and the transaction sent again %u time%s", dbname,
			  tsd_store_retries(st), tsd_store_retries(st) == 1 ? "" : "s");
	tsd_store_close(st);
	if (io.r)
		tsd_reader_close(io.r);
	tsd_series_free(io.tab);
	saves_drop();
	free(saves);
	free(save_len);
	(void)ncommits;
	return 0;
}
