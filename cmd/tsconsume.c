/* tsconsume: read Kafka topics and write their records to stdout, each
 * batch followed by the source positions (CONTROL records) that a sink
 * commits once the output covering them is safely written. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "ctlq.h"
#include "tstime.h"
#include "kafka.h"
#include "kafkatool.h"
#include "store.h"
#include "position.h"
#include "tool.h"

static const char usage[] =
"usage: tsconsume -b BROKERS [-G GROUP] -t TOPIC... [options]\n"
"       tsconsume -b BROKERS -G GROUP [options] TOPIC...\n"
"Consume Kafka messages (CSV lines or binary frames, see tsconsume(1)) and\n"
"write their records to stdout. After each batch, one position per partition\n"
"(a '#tsd pos' line or a 'K' frame) says how far the output has read; it\n"
"never commits offsets itself: tsproduce does, once the output is written.\n"
"\n"
"  -b, --brokers LIST     bootstrap servers host:port,... (bootstrap.servers)\n"
"  -t, --topic TOPIC      topic to read (repeatable)\n"
"  -G, --group GROUP      consumer group: partitions are shared among the\n"
"                         instances (members of GROUP.members); reading starts\n"
"                         at the offsets committed to GROUP (by tsproduce -G)\n"
"  -a, --assign           with -G: do not join, read every partition (or -p)\n"
"                         from GROUP's committed offsets (one instance only)\n"
"  -p, --partition N      without -G, or with -a: read only partition N\n"
"  -o, --offset OFF       without -G, where to start: beginning (default), end,\n"
"                         stored (committed offset of -X group.id), N (absolute),\n"
"                         -N (N before the end), s@MS (first at or after time MS);\n"
"                         with -G: where a partition without a committed offset\n"
"                         starts: beginning (default) or end\n"
"  -e, --exit             exit when every partition is read to its end\n"
"  -c, --count N          exit after N messages\n"
"  -X, --property P=V     librdkafka property (repeatable; see CONFIGURATION.md)\n"
"  -F, --config FILE      librdkafka properties from a file (name=value lines)\n"
"      --dead-letter T    send malformed messages to topic T (with headers\n"
"                         tsd.topic, tsd.partition, tsd.offset, tsd.error)\n"
"                         instead of stopping\n"
"      --batch N          most messages between positions (default: 1 with -G,\n"
"                         so that a windowing tool finds a position at every\n"
"                         window boundary and commits advance window by\n"
"                         window; 10000 without)\n"
"      --timeout DUR      give up when no broker answers for DUR (default 10s;\n"
"                         0: wait for ever)\n"
"      --positions DB     start each partition at the position stored in DB\n"
"                         by tsstore (sqlite:PATH or a PostgreSQL connection\n"
"                         string), where there is one, instead of the group's\n"
"                         committed offset or -o\n"
"  -q, --quiet            no notices on stderr (rebalances, dead letters)\n"
"  -v, --verbose          librdkafka's log messages on stderr\n"
"      --output-format F  csv (default) or bin (-o csv and -o bin still work,\n"
"                         with a notice: -o is the start offset, as in kcat)\n"
"  -u, --unbuffered       write each message's records out at once\n"
"      --time-format S    output times as iso, iso-t, s, ms, us, ns or sf\n"
"                         (default: as the first CSV message, else iso)\n"
"      --time-unit U      unit of integer times in messages: s, ms, us, ns\n"
"      --precision N      significant digits of CSV values (default: exact)\n"
"      --no-header        no CSV header line\n"
"  -h, --help             this help;  -V, --version  the version\n"
"\nExit status: 0 success (-e, -c, or stopped by SIGINT/SIGTERM), 1 a malformed\n"
"message without --dead-letter, unreachable brokers or another Kafka error,\n"
"2 usage error.\n";

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

/* per partition: the next offset to read (-1 none read yet) and, in the
 * table's dirty flag, whether it was read since its last position went out */
typedef tsd_pos part;
enum { P_EOF = 1,        /* at the end (with -e) */
       P_ASSIGNED = 2 };
static tsd_postab *ptab;
static tool_io io;
static int quiet, exit_eof, no_join;
static size_t nassigned;
static int64_t down_since; /* ms, 0: brokers up */
static rd_kafka_t *offh;   /* -G: reads the committed offsets of the group */
static int64_t start_off = RD_KAFKA_OFFSET_BEGINNING, timeout_ms = 10000;

static part *find_part(const char *topic, int32_t partition)
{
	part *p;

	if (tsd_postab_get(ptab, &p, topic, strlen(topic), partition) < 0)
		tool_die(EXIT_DATA, "out of memory");
	return p;
}

/* Fast CSV output: valid CSV lines are copied as they came (no reparse of
 * what was just checked, no reformatting), in the long shape that the
 * writer would give; used unless options ask for reformatting. */
static int raw, raw_started;

static void raw_check(void)
{
	if (ferror_unlocked(stdout))
		tool_die(EXIT_DATA, "write error:");
}

static void raw_start(void)
{
	if (!raw_started && io.header)
		fputs("series,timestamp,value\n", stdout);
	raw_started = 1;
}

static void raw_name(const char *s, size_t n)
{
	char buf[256], *d = 2 * n + 2 <= sizeof buf ? buf : malloc(2 * n + 2);

	if (!d)
		tool_die(EXIT_DATA, "out of memory");
	fwrite_unlocked(d, 1, tsd_csv_field(d, s, n, ','), stdout);
	if (d != buf)
		free(d);
}

/* A control record of kind what for partition p. */
static void put_control(const part *p, int what)
{
	tsd_control k;
	tsd_rec r;

	tsd_pos_control(&k, p, what);
	if (raw) {
		char line[TSD_POS_LINE_MAX + 1];
		int n = tsd_pos_format(line, sizeof line, &k);
		if (n < 0)
			tool_die(EXIT_DATA, "topic '%s': no position can name it", p->topic);
		fwrite_unlocked(line, 1, (size_t)n, stdout);
		return;
	}
	memset(&r, 0, sizeof r);
	r.kind = TSD_REC_CONTROL;
	r.k = k;
	tool_put(&io, &r);
}

/* One position per partition read since the last call, then flush (or
 * only write them, flush 0). */
static int unflushed;   /* positions written but not flushed */

static void flush_out(void)
{
	unflushed = 0;
	if (raw) {
		if (fflush(stdout) == EOF)
			tool_die(EXIT_DATA, "write error:");
		return;
	}
	if (io.w && tsd_writer_flush(io.w) < 0)
		tool_die(EXIT_DATA, "%s", tsd_writer_errmsg(io.w));
}

static void positions_of(int flush)
{
	for (size_t i = 0; i < tsd_postab_len(ptab); i++) {
		part *p = tsd_postab_at(ptab, i);
		if (!p->dirty)
			continue;
		put_control(p, TSD_CTL_POSITION);
		p->dirty = 0;
	}
	if (flush)
		flush_out();
	else
		unflushed = 1;
}

/* Positions of the partitions read since the last ones, and out they go. */
static void positions(void)
{
	positions_of(1);
}

/* Messages taken from the consumer queue a batch at a time (fewer locks
 * and wake-ups than one poll a message). */
static rd_kafka_queue_t *cqueue;
static rd_kafka_topic_t **rkts;   /* (ntopics) handles held for their metadata */
static rd_kafka_message_t *mbuf[1024];
static ssize_t mlen, mpos;

static rd_kafka_message_t *next_message(int timeout_ms_)
{
	if (mpos < mlen)
		return mbuf[mpos++];
	mpos = 0;
	/* what is there now, without waiting (a batch call with a timeout
	 * waits to fill the batch); else wait for one message */
	mlen = rd_kafka_consume_batch_queue(cqueue, 0, mbuf, sizeof mbuf / sizeof mbuf[0]);
	if (mlen <= 0) {
		mlen = 0;
		return timeout_ms_ ? rd_kafka_consume_queue(cqueue, timeout_ms_) : NULL;
	}
	return mbuf[mpos++];
}

static int finished; /* stdout is closed: the revocation that closing the
                      * consumer brings writes nothing (the stream ended) */

static void finish(void)
{
	finished = 1;
	if (!raw) {
		tool_finish(&io);
		return;
	}
	tsd_series_free(io.tab);
	io.tab = NULL;
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		tool_die(EXIT_DATA, "write error:");
}

/* --positions DB: the sink (tsstore) keeps the next offset of each
 * partition in its database, committed with the rows it covers; an
 * assignment starts there (Kafka's "storing offsets outside Kafka"). */
static tsd_store *posdb;
static const char *posdb_name;

static int loads_due;

/* One carried state from the store, as a LOAD record (see tool/carry.h). */
static int put_load(const char *text, size_t n, void *arg)
{
	tsd_rec r;

	(void)arg;
	memset(&r, 0, sizeof r);
	r.kind = TSD_REC_CONTROL;
	r.k.what = TSD_CTL_LOAD;
	r.k.topic = text;
	r.k.topic_len = (uint16_t)n;
	if (n > TSD_CARRY_MAX || !tsd_carry_text_ok(text, n))
		tool_die(EXIT_DATA, "--positions: %s: a stored state that no load record can carry", posdb_name);
	if (raw) {
		static char line[TSD_CTL_LINE_MAX];
		int k = tsd_pos_format(line, sizeof line, &r.k);
		if (k < 0)
			tool_die(EXIT_DATA, "--positions: %s: a stored state that no load record can carry", posdb_name);
		fwrite_unlocked(line, 1, (size_t)k, stdout);
		return 0;
	}
	tool_put(&io, &r);
	return 0;
}

/* After a seek to stored positions: the state the stages carried there
 * (every series the store holds state of), before any replayed message. */
static void put_loads(void)
{
	if (!loads_due)
		return;
	loads_due = 0;
	if (tsd_store_carries(posdb, put_load, NULL) < 0)
		tool_die(EXIT_DATA, "--positions: %s: %s", posdb_name, tsd_store_errmsg(posdb));
}

static void seek_stored(rd_kafka_topic_partition_list_t *l)
{
	int64_t off;
	int rc;

	if (!posdb_name)
		return;
	if (!posdb) {
		char err[600];
		if (tsd_store_open(&posdb, posdb_name, NULL, err, sizeof err) < 0)
			tool_die(EXIT_DATA, "--positions: %s", err);
	}
	for (int i = 0; i < l->cnt; i++) {
		if ((rc = tsd_store_get_pos(posdb, l->elems[i].topic, l->elems[i].partition, &off)) < 0)
			tool_die(EXIT_DATA, "--positions: %s: %s", posdb_name, tsd_store_errmsg(posdb));
		if (rc == 1)
			l->elems[i].offset = off;
	}
	loads_due = 1;
}

static void rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts_, void *opaque)
{
	(void)opaque;
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		/* start where the group's committed offsets say (tsproduce
		 * commits them from outside the membership group) */
		rd_kafka_resp_err_t e = rd_kafka_committed(offh, parts_, timeout_ms ? (int)timeout_ms : 3600000);
		if (e)
			tool_die(EXIT_DATA, "committed offsets of the group: %s", rd_kafka_err2str(e));
		for (int i = 0; i < parts_->cnt; i++)
			if (parts_->elems[i].offset < 0)
				parts_->elems[i].offset = start_off;
		seek_stored(parts_);
		for (int i = 0; i < parts_->cnt; i++) {
			part *p = find_part(parts_->elems[i].topic, parts_->elems[i].partition);
			p->flags = P_ASSIGNED;
			p->offset = -1;
			p->dirty = 0;
		}
		nassigned = (size_t)parts_->cnt;
		if (!quiet)
			tool_warn("assigned %d partition%s", parts_->cnt, parts_->cnt == 1 ? "" : "s");
		rd_kafka_assign(rk, parts_);
		put_loads();
	} else {
		/* what was read from the partitions leaving us is on stdout:
		 * say so, then that they go (downstream drops the open windows
		 * of their series: the next reader of a partition, this one
		 * again or another instance, starts from its committed offset) */
		int lost = rd_kafka_assignment_lost(rk);
		if (finished) {
			if (!quiet)
				tool_warn("%s %d partition%s", lost ? "lost" : "revoked", parts_->cnt,
					  parts_->cnt == 1 ? "" : "s");
			rd_kafka_assign(rk, NULL);
			return;
		}
		positions_of(0);
		for (int i = 0; i < parts_->cnt; i++) {
			part *p = find_part(parts_->elems[i].topic, parts_->elems[i].partition);
			put_control(p, TSD_CTL_REVOKE);
			p->flags = 0;
			p->offset = -1;
			p->dirty = 0;
		}
		flush_out();
		nassigned = 0;
		if (!quiet)
			tool_warn("%s %d partition%s", lost ? "lost" : "revoked", parts_->cnt,
				  parts_->cnt == 1 ? "" : "s");
		rd_kafka_assign(rk, NULL);
	}
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	(void)rk;
	(void)opaque;
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
		if (!down_since)
			down_since = tsd_now_ms();
	} else if (err == RD_KAFKA_RESP_ERR__FATAL) {
		tool_die(EXIT_DATA, "fatal Kafka error: %s", reason);
	}
}

static int dlq_err;
static void dlq_dr(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	(void)opaque;
	dlq_err = m->err;
}

/* Samples of one message, decoded before any is written, so that a bad
 * message is refused whole. */
static struct { uint32_t s; int64_t t; double v; const char *raw; size_t rawlen; int keyed; } *smp;
static size_t nsmp, capsmp;
static tsd_kdec *dec;
static rd_kafka_t *dlq;          /* --dead-letter */
static const char *dlq_topic;
static int tfmt_set;

/* The records of a message that decoded cleanly, as lines copied from
 * the payload where they can be (CSV output with nothing to change). */
static void write_raw(const char *name, size_t namelen)
{
	raw_start();
	for (size_t i = 0; i < nsmp; i++) {
		if (smp[i].raw && !smp[i].keyed) {
			/* lines that follow each other in the payload, each
			 * ending in a bare newline, go out in one write */
			const char *a = smp[i].raw, *e = a + smp[i].rawlen;
			while (i + 1 < nsmp && *e == '\n' && smp[i + 1].raw == e + 1 && !smp[i + 1].keyed)
				i++, e = smp[i].raw + smp[i].rawlen;
			fwrite_unlocked(a, 1, (size_t)(e - a), stdout);
		} else if (smp[i].raw) {
			raw_name(name, namelen);
			putchar_unlocked(',');
			fwrite_unlocked(smp[i].raw, 1, smp[i].rawlen, stdout);
		} else {
			char b[TSD_TIME_MAX + 32];
			tsd_tstyle iso = { .kind = TSD_T_ISO, .sep = ' ' };
			raw_name(tsd_series_name(io.tab, smp[i].s), tsd_series_namelen(io.tab, smp[i].s));
			putchar_unlocked(',');
			fwrite_unlocked(b, 1, (size_t)tsd_time_format(b, smp[i].t, &iso), stdout);
			putchar_unlocked(',');
			fwrite_unlocked(b, 1, (size_t)tsd_format_double(b, smp[i].v, 0), stdout);
		}
		putchar_unlocked('\n');
	}
	raw_check();
}

/* A malformed message: stop, or with --dead-letter set it aside there
 * (the payload and key as they were, where it came from and why in
 * headers) and go on. */
static void dead_letter(const rd_kafka_message_t *m, const char *topic)
{
	char where[600], pbuf[16], obuf[24];
	const char *em = tsd_kdec_errmsg(dec);

	snprintf(where, sizeof where, "%s [%d] at offset %lld", topic, (int)m->partition, (long long)m->offset);
	if (!dlq) {
		positions(); /* what came before is good */
		finish();
		tool_die(EXIT_DATA, "%s: %s (use --dead-letter TOPIC to set such messages aside)", where, em);
	}
	snprintf(pbuf, sizeof pbuf, "%d", (int)m->partition);
	snprintf(obuf, sizeof obuf, "%lld", (long long)m->offset);
	dlq_err = -1;
	rd_kafka_resp_err_t err = rd_kafka_producev(dlq, RD_KAFKA_V_TOPIC(dlq_topic),
		RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
		RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_KEY(m->key, m->key_len),
		RD_KAFKA_V_HEADER("tsd.topic", topic, -1), RD_KAFKA_V_HEADER("tsd.partition", pbuf, -1),
		RD_KAFKA_V_HEADER("tsd.offset", obuf, -1), RD_KAFKA_V_HEADER("tsd.error", em, -1),
		RD_KAFKA_V_END);
	if (!err)
		rd_kafka_flush(dlq, timeout_ms ? (int)timeout_ms : 3600000);
	if (err || dlq_err) {
		positions();
		finish();
		tool_die(EXIT_DATA, "%s: %s; and the dead-letter topic '%s' did not take it: %s",
			 where, em, dlq_topic, rd_kafka_err2str(err ? err : dlq_err < 0 ?
				RD_KAFKA_RESP_ERR__TIMED_OUT : (rd_kafka_resp_err_t)dlq_err));
	}
	if (!quiet)
		tool_warn("%s: %s: sent to '%s'", where, em, dlq_topic);
}

/* The partition each series was first read from. A series that arrives
 * from two partitions (an unkeyed topic, or keys that are not the series)
 * has no order between them, so downstream windows see late samples: say
 * so once per series. Entries of the position table never move. */
static const part **home;
static size_t caphome;
static const part moved; /* home of a series already warned about */

static void check_home(uint32_t s, const part *p)
{
	if (s >= caphome && tsd_grow(&home, &caphome, (size_t)s + 1, sizeof *home) < 0)
		tool_die(EXIT_DATA, "out of memory");
	if (!home[s]) {
		home[s] = p;
	} else if (home[s] != p && home[s] != &moved) {
		if (!quiet)
			tool_warn("series '%.*s' comes from %s [%d] and %s [%d]: no order across partitions; "
				  "key messages by series, or give the next stage --lateness", (int)tsd_series_namelen(io.tab, s), tsd_series_name(io.tab, s),
				  home[s]->topic, (int)home[s]->partition, p->topic, (int)p->partition);
		home[s] = &moved;
	}
}

/* One message: decoded whole first, so that a malformed one writes
 * nothing; then its records out. */
static void handle(const rd_kafka_message_t *m, const char *topic, const part *p)
{
	const char *name = m->key_len ? m->key : topic;
	size_t namelen = m->key_len ? m->key_len : strlen(topic);
	int other = 0, rc;
	tsd_rec r;

	nsmp = 0;
	rc = tsd_kdec_open(dec, m->payload ? m->payload : "", m->len, name, namelen);
	while (rc >= 0 && (rc = tsd_kdec_next(dec, &r)) == 1) {
		if (r.kind != TSD_REC_SAMPLE) {
			other = 1;
			continue;
		}
		if (nsmp == capsmp) {
			capsmp = capsmp ? 2 * capsmp : 64;
			if (!(smp = realloc(smp, capsmp * sizeof *smp)))
				tool_die(EXIT_DATA, "out of memory");
		}
		smp[nsmp].raw = tsd_kdec_raw(dec, &smp[nsmp].rawlen, &smp[nsmp].keyed);
		smp[nsmp].s = r.s.series, smp[nsmp].t = r.s.t, smp[nsmp++].v = r.s.v;
	}
	if (rc >= 0)
		for (size_t i = 0; i < nsmp; i++)
			check_home(smp[i].s, p);
	if (rc < 0) {
		dead_letter(m, topic);
	} else if (raw) {
		if (other)
			tool_die(EXIT_DATA, "%s [%d] at offset %lld: wavelet coefficients: use -o bin", topic,
				 (int)m->partition, (long long)m->offset);
		write_raw(name, namelen);
	} else if (other) {
		/* windows of coefficients: decode again, writing as we go */
		tsd_kdec_open(dec, m->payload, m->len, name, namelen);
		while (tsd_kdec_next(dec, &r) == 1)
			tool_put(&io, &r);
	} else {
		if (!tfmt_set && !io.w && tsd_kdec_tstyle(dec)->kind) {
			io.out_tstyle = *tsd_kdec_tstyle(dec);
			tfmt_set = 1;
		}
		for (size_t i = 0; i < nsmp; i++)
			tool_sample(&io, smp[i].s, smp[i].t, smp[i].v);
	}
}

int main(int argc, char **argv)
{
	enum { O_DLQ = 3000, O_BATCH, O_TIMEOUT, O_TFMT, O_POSITIONS, O_OFMT };
	static const struct option lopts[] = {
		{ "brokers", required_argument, 0, 'b' }, { "topic", required_argument, 0, 't' },
		{ "group", required_argument, 0, 'G' }, { "partition", required_argument, 0, 'p' },
		{ "offset", required_argument, 0, 'o' }, { "exit", no_argument, 0, 'e' },
		{ "count", required_argument, 0, 'c' }, { "property", required_argument, 0, 'X' },
		{ "config", required_argument, 0, 'F' }, { "dead-letter", required_argument, 0, O_DLQ },
		{ "batch", required_argument, 0, O_BATCH }, { "positions", required_argument, 0, O_POSITIONS }, { "timeout", required_argument, 0, O_TIMEOUT },
		{ "quiet", no_argument, 0, 'q' }, { "verbose", no_argument, 0, 'v' },
		{ "assign", no_argument, 0, 'a' }, { "output-format", required_argument, 0, O_OFMT },
		{ "unbuffered", no_argument, 0, 'u' },
		{ "time-format", required_argument, 0, O_TFMT }, { "time-unit", required_argument, 0, 1001 },
		{ "precision", required_argument, 0, 1004 }, { "no-header", no_argument, 0, 1005 },
		{ "help", no_argument, 0, 'h' }, { "version", no_argument, 0, 'V' }, { 0, 0, 0, 0 },
	};
	const char *brokers = NULL, *group = NULL, *offset = "beginning", *deprecated_o = NULL;
	int deprecated_O = 0, unbuffered = 0;
	char **topics = NULL, errstr[512];
	size_t ntopics = 0, batch = 0;
	long partition = -1;
	long long count = -1, nmsg = 0;
	int64_t off_val = RD_KAFKA_OFFSET_BEGINNING;
	int c;
	tsd_kconf *kc;
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk;
	struct sigaction sa;

	tool_name = "tsconsume";
	tool_io_init(&io);
	if (tsd_postab_new(&ptab) < 0)
		tool_die(EXIT_DATA, "out of memory");
	io.out_shape = TSD_SHAPE_LONG;
	if (tsd_kconf_new(&kc) < 0)
		tool_die(EXIT_DATA, "out of memory");
	while ((c = getopt_long(argc, argv, "ab:t:G:p:o:O:ec:X:F:quvhV", lopts, NULL)) != -1) {
		if (tool_kafka_option(kc, c, optarg))
			continue;
		switch (c) {
		case 'b': brokers = optarg; break;
		case 't':
			if (!*optarg)
				tool_usage_error("-t: empty topic name");
			if (!(topics = realloc(topics, (ntopics + 1) * sizeof *topics)))
				tool_die(EXIT_DATA, "out of memory");
			topics[ntopics++] = optarg;
			break;
		case 'G': group = optarg; break;
		case 'p': partition = tool_long("-p", optarg, 0, INT32_MAX); break;
		case 'o':
			/* kcat's start offset; the output format took -o before */
			if (!strcmp(optarg, "csv") || !strcmp(optarg, "bin")) {
				deprecated_o = optarg;
				tool_io_option(&io, 'o', optarg);
			} else {
				offset = optarg;
			}
			break;
		case 'O': offset = optarg; deprecated_O = 1; break;
		case O_OFMT: tool_io_option(&io, 'o', optarg); break;
		case 'u': unbuffered = 1; break;
		case 'e': exit_eof = 1; break;
		case 'c': count = tool_long("-c", optarg, 1, LONG_MAX); break;
		case 'q': quiet = 1; break;
		case 'a': no_join = 1; break;
		case 'v': tool_kafka_verbose = 1; break;
		case O_DLQ: dlq_topic = optarg; break;
		case O_POSITIONS: posdb_name = optarg; break;
		case O_BATCH: batch = (size_t)tool_long("--batch", optarg, 1, 10000000); break;
		case O_TIMEOUT:
			timeout_ms = strcmp(optarg, "0") ? tool_duration("--timeout", optarg) / 1000000 : 0;
			break;
		case O_TFMT: tool_io_option(&io, 't', optarg); tfmt_set = 1; break;
		case 'h':
			fputs(usage, stdout);
			return tool_stdout_done();
		default:
			if (tool_io_option(&io, c, optarg))
				break;
			fprintf(stderr, "Try 'tsconsume --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	for (; optind < argc; optind++) {
		if (!(topics = realloc(topics, (ntopics + 1) * sizeof *topics)))
			tool_die(EXIT_DATA, "out of memory");
		topics[ntopics++] = argv[optind];
	}
	if (!quiet && deprecated_o)
		tool_warn("-o %s: the output format is --output-format now; -o is the start offset, as in kcat "
			  "(this spelling goes in the next release)", deprecated_o);
	if (!quiet && deprecated_O)
		tool_warn("-O: the start offset is -o now, as in kcat (this spelling goes in the next release)");
	if (!batch)
		batch = group ? 1 : 10000;
	if (!ntopics)
		tool_usage_error("no topic (-t TOPIC)");
	if (!brokers && !tsd_kconf_get(kc, "bootstrap.servers") && !tsd_kconf_get(kc, "metadata.broker.list"))
		tool_usage_error("no brokers (-b host:port)");
	if (group && partition >= 0 && !no_join)
		tool_usage_error("-p: partitions are assigned by the group (-G); add -a to read them without joining");
	if (no_join && !group)
		tool_usage_error("-a: needs the group (-G) whose committed offsets to start from");
	if (partition >= 0 && ntopics != 1)
		tool_usage_error("-p: one topic only");
	if (!strcmp(offset, "beginning"))
		off_val = RD_KAFKA_OFFSET_BEGINNING;
	else if (!strcmp(offset, "end"))
		off_val = RD_KAFKA_OFFSET_END;
	else if (group)
		tool_usage_error("-o: with -G only 'beginning' or 'end' (where no offset is committed)");
	else if (!strcmp(offset, "stored"))
		off_val = RD_KAFKA_OFFSET_STORED;
	else if (!strncmp(offset, "s@", 2))
		off_val = tool_long("-o", offset + 2, 0, LONG_MAX); /* a time: resolved below */
	else if (offset[0] == '-')
		off_val = RD_KAFKA_OFFSET_TAIL(tool_long("-o", offset + 1, 1, INT32_MAX));
	else
		off_val = tool_long("-o", offset, 0, LONG_MAX);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	conf = rd_kafka_conf_new();
	tool_kafka_set(conf, "enable.auto.commit", "false", 1);
	tool_kafka_set(conf, "enable.auto.offset.store", "false", 1);
	tool_kafka_set(conf, "enable.partition.eof", exit_eof ? "true" : "false", 1);
	tool_kafka_set(conf, "isolation.level", "read_committed", 1);
	/* an empty fetch waits at most this long: lower latency for live
	 * streams and a prompt end with -e (the default is 500 ms) */
	tool_kafka_set(conf, "fetch.wait.max.ms", "100", 1);
	/* librdkafka 2.0.2 stops fetching a partition whose local queue holds
	 * queued.min.messages (default 100000) and, once the queue drains,
	 * resumes only at its broker thread's next wake-up, up to a second
	 * later: a consumer that checks every line fell behind kcat by that
	 * stall about one run in two. The byte bound
	 * (queued.max.messages.kbytes) still caps the memory. */
	tool_kafka_set(conf, "queued.min.messages", "1000000", 1);
	tool_kafka_set(conf, "auto.offset.reset", off_val == RD_KAFKA_OFFSET_END ? "latest" : "earliest", 1);
	/* Members join GROUP.members; the offsets live in GROUP, which has no
	 * members, so that tsproduce may commit to it from outside. */
	char mgroup[600];
	snprintf(mgroup, sizeof mgroup, "%s.members", group ? group : "tsconsume");
	tool_kafka_set(conf, "group.id", mgroup, 1);
	tool_kafka_apply(conf, brokers, kc, 1);
	rd_kafka_conf_set_error_cb(conf, on_error);
	if (group)
		rd_kafka_conf_set_rebalance_cb(conf, rebalance);
	if (dlq_topic) {
		rd_kafka_conf_t *pc = rd_kafka_conf_new();
		tool_kafka_set(pc, "enable.idempotence", "true", 1);
		tool_kafka_apply(pc, brokers, kc, 0); /* consumer-only properties do not apply */
		rd_kafka_conf_set_dr_msg_cb(pc, dlq_dr);
		if (!(dlq = rd_kafka_new(RD_KAFKA_PRODUCER, pc, errstr, sizeof errstr)))
			tool_die(EXIT_DATA, "dead-letter producer: %s", errstr);
	}
	start_off = off_val;
	if (group)
		offh = tool_kafka_offsets(brokers, kc, group);
	if (!(rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr)))
		tool_die(EXIT_DATA, "%s", errstr);
	rd_kafka_poll_set_consumer(rk);
	cqueue = rd_kafka_queue_get_consumer(rk);

	/* reachable at all? Topic handles first, so that the metadata reply
	 * maps their partitions' leaders before the assignment: without them
	 * an assigned partition can wait out librdkafka's 500 ms offset-query
	 * retry ("no current leader"), which kcat also shows at random */
	rkts = calloc(ntopics, sizeof *rkts);
	if (!rkts)
		tool_die(EXIT_DATA, "out of memory");
	for (size_t i = 0; i < ntopics; i++)
		rkts[i] = rd_kafka_topic_new(rk, topics[i], NULL);
	{
		const struct rd_kafka_metadata *md;
		rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, NULL, &md,
							    timeout_ms ? (int)timeout_ms : 3600000);
		if (err)
			tool_die(EXIT_DATA, "cannot reach the brokers (%s) within %lld ms: %s",
				 brokers ? brokers : tsd_kconf_get(kc, "bootstrap.servers"),
				 (long long)timeout_ms, rd_kafka_err2str(err));
		for (size_t i = 0; i < ntopics && (!group || no_join); i++) {
			int found = 0;
			for (int j = 0; j < md->topic_cnt; j++) {
				const struct rd_kafka_metadata_topic *mt = &md->topics[j];
				if (strcmp(mt->topic, topics[i]))
					continue;
				found = 1;
				for (int k = 0; k < mt->partition_cnt; k++)
					if (partition < 0 || mt->partitions[k].id == partition)
						find_part(topics[i], mt->partitions[k].id)->flags = P_ASSIGNED;
				if (partition >= 0 && !find_part(topics[i], (int32_t)partition)->flags)
					tool_die(EXIT_DATA, "topic '%s' has no partition %ld", topics[i], partition);
			}
			if (!found)
				tool_die(EXIT_DATA, "no topic '%s' on the brokers", topics[i]);
		}
		rd_kafka_metadata_destroy(md);
	}

	if (group && !no_join) {
		rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new((int)ntopics);
		for (size_t i = 0; i < ntopics; i++)
			rd_kafka_topic_partition_list_add(sub, topics[i], RD_KAFKA_PARTITION_UA);
		rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, sub);
		rd_kafka_topic_partition_list_destroy(sub);
		if (err)
			tool_die(EXIT_DATA, "subscribe: %s", rd_kafka_err2str(err));
	} else {
		size_t nparts = tsd_postab_len(ptab);
		rd_kafka_topic_partition_list_t *as = rd_kafka_topic_partition_list_new((int)nparts);
		for (size_t i = 0; i < nparts; i++)
			rd_kafka_topic_partition_list_add(as, tsd_postab_at(ptab, i)->topic,
							  tsd_postab_at(ptab, i)->partition)->offset =
				off_val;
		if (!strncmp(offset, "s@", 2)) {
			rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(rk, as, (int)(timeout_ms ? timeout_ms : 60000));
			if (err)
				tool_die(EXIT_DATA, "-o %s: %s", offset, rd_kafka_err2str(err));
			for (int i = 0; i < as->cnt; i++)
				if (as->elems[i].offset < 0)
					as->elems[i].offset = RD_KAFKA_OFFSET_END;
		}
		if (group) {
			rd_kafka_resp_err_t err = rd_kafka_committed(offh, as, timeout_ms ? (int)timeout_ms : 3600000);
			if (err)
				tool_die(EXIT_DATA, "committed offsets of group '%s': %s", group, rd_kafka_err2str(err));
			for (int i = 0; i < as->cnt; i++)
				if (as->elems[i].offset < 0)
					as->elems[i].offset = off_val;
		}
		seek_stored(as);
		nassigned = nparts;
		rd_kafka_resp_err_t err = rd_kafka_assign(rk, as);
		rd_kafka_topic_partition_list_destroy(as);
		if (err)
			tool_die(EXIT_DATA, "assign: %s", rd_kafka_err2str(err));
	}
	raw = io.out_format != TSD_FMT_BIN && !tfmt_set && !io.precision && !io.in.time_unit;
	if (raw) {
		static char obuf[1 << 16];
		setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	}
	if (tsd_kdec_new(&dec, io.tab, io.in.time_unit) < 0)
		tool_die(EXIT_DATA, "out of memory");
	put_loads(); /* -a: the seek was above */

	size_t inbatch = 0;
	while (!stop && (count < 0 || nmsg < count)) {
		rd_kafka_message_t *m = next_message(0);
		if (!m && !inbatch) {
			if (unflushed)
				positions(); /* nothing waiting: out with what is written */
			m = next_message(100);
		}
		if (!m) {
			if (inbatch) {
				positions();
				inbatch = 0;
			}
			if (down_since && timeout_ms && tsd_now_ms() - down_since > timeout_ms) {
				const struct rd_kafka_metadata *md;
				if (rd_kafka_metadata(rk, 0, NULL, &md, 2000))
					tool_die(EXIT_DATA, "no broker has answered for %lld ms",
						 (long long)(tsd_now_ms() - down_since));
				rd_kafka_metadata_destroy(md);
				down_since = 0;
			}
			continue;
		}
		down_since = 0;
		if (m->err) {
			if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
				part *p = find_part(rd_kafka_topic_name(m->rkt), m->partition);
				p->flags |= P_EOF;
				rd_kafka_message_destroy(m);
				size_t neof = 0;
				for (size_t i = 0; i < tsd_postab_len(ptab); i++)
					neof += tsd_postab_at(ptab, i)->flags == (P_ASSIGNED | P_EOF);
				if (exit_eof && nassigned && neof >= nassigned)
					break;
				continue;
			}
			if (m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC || m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
			    m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED || m->err == RD_KAFKA_RESP_ERR__FATAL) {
				positions();
				tool_die(EXIT_DATA, "%s: %s", m->rkt ? rd_kafka_topic_name(m->rkt) : "kafka",
					 rd_kafka_message_errstr(m));
			}
			if (!quiet)
				tool_warn("%s", rd_kafka_message_errstr(m));
			rd_kafka_message_destroy(m);
			continue;
		}
		const char *topic = rd_kafka_topic_name(m->rkt);
		part *p = find_part(topic, m->partition);
		if (!(p->flags & P_ASSIGNED)) {
			/* fetched before its partition was revoked: the next
			 * owner reads it again */
			rd_kafka_message_destroy(m);
			continue;
		}
		handle(m, topic, p);
		p->offset = m->offset + 1;
		p->dirty = 1;
		p->flags &= ~(unsigned)P_EOF;
		rd_kafka_message_destroy(m);
		nmsg++;
		if (unbuffered) {
			positions();
			inbatch = 0;
		} else if (++inbatch >= batch) {
			/* written, not flushed: that happens when no message is
			 * waiting, or when the buffer is full */
			positions_of(0);
			inbatch = 0;
		}
	}
	positions();
	if (!stop) {
		/* the data asked for (-e, -c) is complete: downstream may flush
		 * its open windows. Stopped by a signal, there is no end mark:
		 * downstream stops without flushing and a restart resumes. */
		char dash[] = "-";
		part end = { .topic = dash, .topic_len = 1, .partition = -1, .offset = -1 }; /* tsd_ctl_end() */
		put_control(&end, TSD_CTL_POSITION);
	}
	finish();
	while (mpos < mlen)
		rd_kafka_message_destroy(mbuf[mpos++]);
	rd_kafka_queue_destroy(cqueue);
	rd_kafka_consumer_close(rk);
	for (size_t i = 0; i < ntopics; i++)
		if (rkts[i])
			rd_kafka_topic_destroy(rkts[i]);
	free(rkts);
	rd_kafka_destroy(rk);
	if (offh) {
		rd_kafka_consumer_close(offh);
		rd_kafka_destroy(offh);
	}
	if (dlq)
		rd_kafka_destroy(dlq);
	tsd_kdec_free(dec);
	tsd_store_close(posdb);
	tsd_kconf_free(kc);
	tsd_postab_free(ptab);
	free(smp);
	free(topics);
	return 0;
}
