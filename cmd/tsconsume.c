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

/* A sample of a message, decoded before any is written (so that a bad
 * message is refused whole); raw: its CSV line in the payload, or NULL. */
typedef struct { uint32_t s; int64_t t; double v; const char *raw; size_t rawlen; int keyed; } sample;

/* Everything one run holds; the functions below take it as P. */
typedef struct {
	/* options */
	int quiet, exit_eof, no_join, tfmt_set;
	int64_t start_off, timeout_ms;
	const char *posdb_name, *dlq_topic, *group;
	/* the partitions: position table and how many are assigned */
	tsd_postab *ptab;
	size_t nassigned;
	int64_t down_since;        /* ms, 0: brokers up */
	/* Kafka: -G reads the committed offsets of the group through offh;
	 * messages come from cqueue a batch at a time (fewer locks and
	 * wake-ups than one poll a message) through mbuf */
	rd_kafka_t *offh;
	rd_kafka_queue_t *cqueue;
	rd_kafka_topic_t **rkts;   /* (ntopics) handles held for their metadata */
	rd_kafka_message_t *mbuf[1024];
	ssize_t mlen, mpos;
	/* output: raw, CSV lines copied as they came (no reparse of what was
	 * just checked, no reformatting), in the long shape the writer would
	 * give; used unless options ask for reformatting */
	tool_io io;
	int raw, raw_started;
	int unflushed;             /* positions written but not flushed */
	int finished;              /* stdout is closed: the revocation that
	                            * closing the consumer brings writes
	                            * nothing (the stream ended) */
	/* the message being decoded */
	tsd_kdec *dec;
	sample *smp;
	size_t nsmp, capsmp;
	/* --positions DB: the sink (tsstore) keeps the next offset of each
	 * partition in its database, committed with the rows it covers; an
	 * assignment starts there (Kafka's "storing offsets outside Kafka") */
	tsd_store *posdb;
	int loads_due;
	/* --dead-letter */
	rd_kafka_t *dlq;
	int dlq_err;
	/* the partition each series was first read from (check_home) */
	const part **home;
	size_t caphome;
} consumer;

static part *find_part(consumer *P, const char *topic, int32_t partition)
{
	part *p;

	if (tsd_postab_get(P->ptab, &p, topic, strlen(topic), partition) < 0)
		tool_die(EXIT_DATA, "out of memory");
	return p;
}

static void raw_check(void)
{
	if (ferror_unlocked(stdout))
		tool_die(EXIT_DATA, "write error:");
}

static void raw_start(consumer *P)
{
	if (!P->raw_started && P->io.header)
		fputs("series,timestamp,value\n", stdout);
	P->raw_started = 1;
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
static void put_control(consumer *P, const part *p, int what)
{
	tsd_control k;
	tsd_rec r;

	tsd_pos_control(&k, p, what);
	if (P->raw) {
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
	tool_put(&P->io, &r);
}

/* One position per partition read since the last call, then flush (or
 * only write them, flush 0). */

static void flush_out(consumer *P)
{
	P->unflushed = 0;
	if (P->raw) {
		if (fflush(stdout) == EOF)
			tool_die(EXIT_DATA, "write error:");
		return;
	}
	if (P->io.w && tsd_writer_flush(P->io.w) < 0)
		tool_die(EXIT_DATA, "%s", tsd_writer_errmsg(P->io.w));
}

static void positions_of(consumer *P, int flush)
{
	for (size_t i = 0; i < tsd_postab_len(P->ptab); i++) {
		part *p = tsd_postab_at(P->ptab, i);
		if (!p->dirty)
			continue;
		put_control(P, p, TSD_CTL_POSITION);
		p->dirty = 0;
	}
	if (flush)
		flush_out(P);
	else
		P->unflushed = 1;
}

/* Positions of the partitions read since the last ones, and out they go. */
static void positions(consumer *P)
{
	positions_of(P, 1);
}

/* The next message from the consumer queue, taken a batch at a time. */
static rd_kafka_message_t *next_message(consumer *P, int timeout_ms_)
{
	if (P->mpos < P->mlen)
		return P->mbuf[P->mpos++];
	P->mpos = 0;
	/* what is there now, without waiting (a batch call with a timeout
	 * waits to fill the batch); else wait for one message */
	P->mlen = rd_kafka_consume_batch_queue(P->cqueue, 0, P->mbuf, sizeof P->mbuf / sizeof P->mbuf[0]);
	if (P->mlen <= 0) {
		P->mlen = 0;
		return timeout_ms_ ? rd_kafka_consume_queue(P->cqueue, timeout_ms_) : NULL;
	}
	return P->mbuf[P->mpos++];
}


static void finish(consumer *P)
{
	P->finished = 1;
	if (!P->raw) {
		tool_finish(&P->io);
		return;
	}
	tsd_series_free(P->io.tab);
	P->io.tab = NULL;
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		tool_die(EXIT_DATA, "write error:");
}

/* One carried state from the store, as a LOAD record (see tool/carry.h). */
static int put_load(const char *text, size_t n, void *arg)
{
	tsd_rec r;

	consumer *P = arg;
	memset(&r, 0, sizeof r);
	r.kind = TSD_REC_CONTROL;
	r.k.what = TSD_CTL_LOAD;
	r.k.topic = text;
	r.k.topic_len = (uint16_t)n;
	if (n > TSD_CARRY_MAX || !tsd_carry_text_ok(text, n))
		tool_die(EXIT_DATA, "--positions: %s: a stored state that no load record can carry", P->posdb_name);
	if (P->raw) {
		static char line[TSD_CTL_LINE_MAX];
		int k = tsd_pos_format(line, sizeof line, &r.k);
		if (k < 0)
			tool_die(EXIT_DATA, "--positions: %s: a stored state that no load record can carry", P->posdb_name);
		fwrite_unlocked(line, 1, (size_t)k, stdout);
		return 0;
	}
	tool_put(&P->io, &r);
	return 0;
}

/* After a seek to stored positions: the state the stages carried there
 * (every series the store holds state of), before any replayed message. */
static void put_loads(consumer *P)
{
	if (!P->loads_due)
		return;
	P->loads_due = 0;
	if (tsd_store_carries(P->posdb, put_load, P) < 0)
		tool_die(EXIT_DATA, "--positions: %s: %s", P->posdb_name, tsd_store_errmsg(P->posdb));
}

static void seek_stored(consumer *P, rd_kafka_topic_partition_list_t *l)
{
	int64_t off;
	int rc;

	if (!P->posdb_name)
		return;
	if (!P->posdb) {
		char err[600];
		if (tsd_store_open(&P->posdb, P->posdb_name, NULL, err, sizeof err) < 0)
			tool_die(EXIT_DATA, "--positions: %s", err);
	}
	for (int i = 0; i < l->cnt; i++) {
		if ((rc = tsd_store_get_pos(P->posdb, l->elems[i].topic, l->elems[i].partition, &off)) < 0)
			tool_die(EXIT_DATA, "--positions: %s: %s", P->posdb_name, tsd_store_errmsg(P->posdb));
		if (rc == 1)
			l->elems[i].offset = off;
	}
	P->loads_due = 1;
}

/* The group generation the coming records are read in, as a GROUP record
 * (lib/record.h): a transactional tsproduce commits their positions with
 * it, so that a broker refuses them once a newer generation owns the
 * partitions (KIP-447). */
static void put_group(consumer *P, rd_kafka_t *rk)
{
	static char text[TSD_CARRY_MAX + 1];
	rd_kafka_consumer_group_metadata_t *md = rd_kafka_consumer_group_metadata(rk);
	rd_kafka_error_t *e;
	char *member = rd_kafka_memberid(rk);
	void *buf = NULL;
	size_t len = 0;
	int n;
	tsd_rec r;

	if (!md)
		tool_die(EXIT_DATA, "the consumer has no group metadata");
	if ((e = rd_kafka_consumer_group_metadata_write(md, &buf, &len)))
		tool_die(EXIT_DATA, "group metadata: %s", rd_kafka_error_string(e));
	n = tsd_group_format(text, sizeof text, (uint32_t)rd_kafka_version(), buf, len, member ? member : "",
			     member ? strlen(member) : 0);
	if (n < 0)
		tool_die(EXIT_DATA, "group metadata of %zu bytes: no group record can carry it", len);
	rd_kafka_mem_free(rk, buf);
	if (member)
		rd_kafka_mem_free(rk, member);
	rd_kafka_consumer_group_metadata_destroy(md);
	memset(&r, 0, sizeof r);
	r.kind = TSD_REC_CONTROL;
	r.k.what = TSD_CTL_GROUP;
	r.k.topic = text;
	r.k.topic_len = (uint16_t)n;
	if (P->raw) {
		static char line[TSD_CTL_LINE_MAX];
		int k = tsd_pos_format(line, sizeof line, &r.k);
		if (k < 0)
			tool_die(EXIT_DATA, "group metadata: no group record can carry it");
		fwrite_unlocked(line, 1, (size_t)k, stdout);
		return;
	}
	tool_put(&P->io, &r);
}

/* The later of two committed offsets (of GROUP, where --commit ack puts
 * them, and of GROUP.members, where --commit txn does): both say that the
 * output of everything before them is durable. */
static void committed_max(consumer *P, rd_kafka_t *rk, rd_kafka_topic_partition_list_t *l)
{
	int ms = P->timeout_ms ? (int)P->timeout_ms : 3600000;
	rd_kafka_topic_partition_list_t *own = rd_kafka_topic_partition_list_copy(l);
	rd_kafka_resp_err_t e = rd_kafka_committed(P->offh, l, ms);

	if (!e)
		e = rd_kafka_committed(rk, own, ms);
	if (e)
		tool_die(EXIT_DATA, "committed offsets of group '%s': %s", P->group, rd_kafka_err2str(e));
	for (int i = 0; i < l->cnt; i++)
		if (own->elems[i].offset > l->elems[i].offset)
			l->elems[i].offset = own->elems[i].offset;
	rd_kafka_topic_partition_list_destroy(own);
}

static void rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts_, void *opaque)
{
	consumer *P = opaque;
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		/* start where the group's committed offsets say (tsproduce
		 * commits them from outside the membership group, or with the
		 * member's generation in a transaction) */
		committed_max(P, rk, parts_);
		for (int i = 0; i < parts_->cnt; i++)
			if (parts_->elems[i].offset < 0)
				parts_->elems[i].offset = P->start_off;
		seek_stored(P, parts_);
		for (int i = 0; i < parts_->cnt; i++) {
			part *p = find_part(P, parts_->elems[i].topic, parts_->elems[i].partition);
			p->flags = P_ASSIGNED;
			p->offset = -1;
			p->dirty = 0;
		}
		P->nassigned = (size_t)parts_->cnt;
		if (!P->quiet)
			tool_warn("assigned %d partition%s", parts_->cnt, parts_->cnt == 1 ? "" : "s");
		rd_kafka_assign(rk, parts_);
		put_group(P, rk);
		put_loads(P);
	} else {
		/* what was read from the partitions leaving us is on stdout:
		 * say so, then that they go (downstream drops the open windows
		 * of their series: the next reader of a partition, this one
		 * again or another instance, starts from its committed offset) */
		int lost = rd_kafka_assignment_lost(rk);
		if (P->finished) {
			if (!P->quiet)
				tool_warn("%s %d partition%s", lost ? "lost" : "revoked", parts_->cnt,
					  parts_->cnt == 1 ? "" : "s");
			rd_kafka_assign(rk, NULL);
			return;
		}
		positions_of(P, 0);
		for (int i = 0; i < parts_->cnt; i++) {
			part *p = find_part(P, parts_->elems[i].topic, parts_->elems[i].partition);
			put_control(P, p, TSD_CTL_REVOKE);
			p->flags = 0;
			p->offset = -1;
			p->dirty = 0;
		}
		flush_out(P);
		P->nassigned = 0;
		if (!P->quiet)
			tool_warn("%s %d partition%s", lost ? "lost" : "revoked", parts_->cnt,
				  parts_->cnt == 1 ? "" : "s");
		rd_kafka_assign(rk, NULL);
	}
}

static void on_error(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	(void)rk;
	consumer *P = opaque;
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
		if (!P->down_since)
			P->down_since = tsd_now_ms();
	} else if (err == RD_KAFKA_RESP_ERR__FATAL) {
		tool_die(EXIT_DATA, "fatal Kafka error: %s", reason);
	}
}

static void dlq_dr(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	(void)rk;
	consumer *P = opaque;
	P->dlq_err = m->err;
}

/* The records of a message that decoded cleanly, as lines copied from
 * the payload where they can be (CSV output with nothing to change). */
static void write_raw(consumer *P, const char *name, size_t namelen)
{
	raw_start(P);
	for (size_t i = 0; i < P->nsmp; i++) {
		if (P->smp[i].raw && !P->smp[i].keyed) {
			/* lines that follow each other in the payload, each
			 * ending in a bare newline, go out in one write */
			const char *a = P->smp[i].raw, *e = a + P->smp[i].rawlen;
			while (i + 1 < P->nsmp && *e == '\n' && P->smp[i + 1].raw == e + 1 && !P->smp[i + 1].keyed)
				i++, e = P->smp[i].raw + P->smp[i].rawlen;
			fwrite_unlocked(a, 1, (size_t)(e - a), stdout);
		} else if (P->smp[i].raw) {
			raw_name(name, namelen);
			putchar_unlocked(',');
			fwrite_unlocked(P->smp[i].raw, 1, P->smp[i].rawlen, stdout);
		} else {
			char b[TSD_TIME_MAX + 32];
			tsd_tstyle iso = { .kind = TSD_T_ISO, .sep = ' ' };
			raw_name(tsd_series_name(P->io.tab, P->smp[i].s), tsd_series_namelen(P->io.tab, P->smp[i].s));
			putchar_unlocked(',');
			fwrite_unlocked(b, 1, (size_t)tsd_time_format(b, P->smp[i].t, &iso), stdout);
			putchar_unlocked(',');
			fwrite_unlocked(b, 1, (size_t)tsd_format_double(b, P->smp[i].v, 0), stdout);
		}
		putchar_unlocked('\n');
	}
	raw_check();
}

/* A malformed message: stop, or with --dead-letter set it aside there
 * (the payload and key as they were, where it came from and why in
 * headers) and go on. */
static void dead_letter(consumer *P, const rd_kafka_message_t *m, const char *topic)
{
	char where[600], pbuf[16], obuf[24];
	const char *em = tsd_kdec_errmsg(P->dec);

	snprintf(where, sizeof where, "%s [%d] at offset %lld", topic, (int)m->partition, (long long)m->offset);
	if (!P->dlq) {
		positions(P); /* what came before is good */
		finish(P);
		tool_die(EXIT_DATA, "%s: %s (use --dead-letter TOPIC to set such messages aside)", where, em);
	}
	snprintf(pbuf, sizeof pbuf, "%d", (int)m->partition);
	snprintf(obuf, sizeof obuf, "%lld", (long long)m->offset);
	P->dlq_err = -1;
	rd_kafka_resp_err_t err = rd_kafka_producev(P->dlq, RD_KAFKA_V_TOPIC(P->dlq_topic),
		RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
		RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_KEY(m->key, m->key_len),
		RD_KAFKA_V_HEADER("tsd.topic", topic, -1), RD_KAFKA_V_HEADER("tsd.partition", pbuf, -1),
		RD_KAFKA_V_HEADER("tsd.offset", obuf, -1), RD_KAFKA_V_HEADER("tsd.error", em, -1),
		RD_KAFKA_V_END);
	if (!err)
		rd_kafka_flush(P->dlq, P->timeout_ms ? (int)P->timeout_ms : 3600000);
	if (err || P->dlq_err) {
		positions(P);
		finish(P);
		tool_die(EXIT_DATA, "%s: %s; and the dead-letter topic '%s' did not take it: %s",
			 where, em, P->dlq_topic, rd_kafka_err2str(err ? err : P->dlq_err < 0 ?
				RD_KAFKA_RESP_ERR__TIMED_OUT : (rd_kafka_resp_err_t)P->dlq_err));
	}
	if (!P->quiet)
		tool_warn("%s: %s: sent to '%s'", where, em, P->dlq_topic);
}

/* The partition each series was first read from. A series that arrives
 * from two partitions (an unkeyed topic, or keys that are not the series)
 * has no order between them, so downstream windows see late samples: say
 * so once per series. Entries of the position table never move. */
static const part moved; /* home of a series already warned about */

static void check_home(consumer *P, uint32_t s, const part *p)
{
	if (s >= P->caphome && tsd_grow(&P->home, &P->caphome, (size_t)s + 1, sizeof *P->home) < 0)
		tool_die(EXIT_DATA, "out of memory");
	if (!P->home[s]) {
		P->home[s] = p;
	} else if (P->home[s] != p && P->home[s] != &moved) {
		if (!P->quiet)
			tool_warn("series '%.*s' comes from %s [%d] and %s [%d]: no order across partitions; "
				  "key messages by series, or give the next stage --lateness", (int)tsd_series_namelen(P->io.tab, s), tsd_series_name(P->io.tab, s),
				  P->home[s]->topic, (int)P->home[s]->partition, p->topic, (int)p->partition);
		P->home[s] = &moved;
	}
}

/* One message: decoded whole first, so that a malformed one writes
 * nothing; then its records out. */
static void handle(consumer *P, const rd_kafka_message_t *m, const char *topic, const part *p)
{
	const char *name = m->key_len ? m->key : topic;
	size_t namelen = m->key_len ? m->key_len : strlen(topic);
	int other = 0, rc;
	tsd_rec r;

	P->nsmp = 0;
	rc = tsd_kdec_open(P->dec, m->payload ? m->payload : "", m->len, name, namelen);
	while (rc >= 0 && (rc = tsd_kdec_next(P->dec, &r)) == 1) {
		if (r.kind != TSD_REC_SAMPLE) {
			other = 1;
			continue;
		}
		if (P->nsmp == P->capsmp) {
			P->capsmp = P->capsmp ? 2 * P->capsmp : 64;
			if (!(P->smp = realloc(P->smp, P->capsmp * sizeof *P->smp)))
				tool_die(EXIT_DATA, "out of memory");
		}
		P->smp[P->nsmp].raw = tsd_kdec_raw(P->dec, &P->smp[P->nsmp].rawlen, &P->smp[P->nsmp].keyed);
		P->smp[P->nsmp].s = r.s.series, P->smp[P->nsmp].t = r.s.t, P->smp[P->nsmp++].v = r.s.v;
	}
	if (rc >= 0)
		for (size_t i = 0; i < P->nsmp; i++)
			check_home(P, P->smp[i].s, p);
	if (rc < 0) {
		dead_letter(P, m, topic);
	} else if (P->raw) {
		if (other)
			tool_die(EXIT_DATA, "%s [%d] at offset %lld: wavelet coefficients: use -o bin", topic,
				 (int)m->partition, (long long)m->offset);
		write_raw(P, name, namelen);
	} else if (other) {
		/* windows of coefficients: decode again, writing as we go */
		tsd_kdec_open(P->dec, m->payload, m->len, name, namelen);
		while (tsd_kdec_next(P->dec, &r) == 1)
			tool_put(&P->io, &r);
	} else {
		if (!P->tfmt_set && !P->io.w && tsd_kdec_tstyle(P->dec)->kind) {
			P->io.out_tstyle = *tsd_kdec_tstyle(P->dec);
			P->tfmt_set = 1;
		}
		for (size_t i = 0; i < P->nsmp; i++)
			tool_sample(&P->io, P->smp[i].s, P->smp[i].t, P->smp[i].v);
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
	int64_t off_val;
	int c, by_time;
	tsd_kconf *kc;
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk;
	struct sigaction sa;
	static consumer cons = { .start_off = RD_KAFKA_OFFSET_BEGINNING, .timeout_ms = 10000 };
	consumer *P = &cons;

	tool_name = "tsconsume";
	tool_io_init(&P->io);
	if (tsd_postab_new(&P->ptab) < 0)
		tool_die(EXIT_DATA, "out of memory");
	P->io.out_shape = TSD_SHAPE_LONG;
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
		case 'G': group = P->group = optarg; break;
		case 'p': partition = tool_long("-p", optarg, 0, INT32_MAX); break;
		case 'o':
			/* kcat's start offset; the output format took -o before */
			if (!strcmp(optarg, "csv") || !strcmp(optarg, "bin")) {
				deprecated_o = optarg;
				tool_io_option(&P->io, 'o', optarg);
			} else {
				offset = optarg;
			}
			break;
		case 'O': offset = optarg; deprecated_O = 1; break;
		case O_OFMT: tool_io_option(&P->io, 'o', optarg); break;
		case 'u': unbuffered = 1; break;
		case 'e': P->exit_eof = 1; break;
		case 'c': count = tool_long("-c", optarg, 1, LONG_MAX); break;
		case 'q': P->quiet = 1; break;
		case 'a': P->no_join = 1; break;
		case 'v': tool_kafka_verbose = 1; break;
		case O_DLQ: P->dlq_topic = optarg; break;
		case O_POSITIONS: P->posdb_name = optarg; break;
		case O_BATCH: batch = (size_t)tool_long("--batch", optarg, 1, 10000000); break;
		case O_TIMEOUT:
			P->timeout_ms = strcmp(optarg, "0") ? tool_duration("--timeout", optarg) / 1000000 : 0;
			break;
		case O_TFMT: tool_io_option(&P->io, 't', optarg); P->tfmt_set = 1; break;
		case 'h':
			fputs(usage, stdout);
			return tool_stdout_done();
		default:
			if (tool_io_option(&P->io, c, optarg))
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
	if (!P->quiet && deprecated_o)
		tool_warn("-o %s: the output format is --output-format now; -o is the start offset, as in kcat "
			  "(this spelling goes in the next release)", deprecated_o);
	if (!P->quiet && deprecated_O)
		tool_warn("-O: the start offset is -o now, as in kcat (this spelling goes in the next release)");
	if (!batch)
		batch = group ? 1 : 10000;
	if (!ntopics)
		tool_usage_error("no topic (-t TOPIC)");
	if (!brokers && !tsd_kconf_get(kc, "bootstrap.servers") && !tsd_kconf_get(kc, "metadata.broker.list"))
		tool_usage_error("no brokers (-b host:port)");
	if (group && partition >= 0 && !P->no_join)
		tool_usage_error("-p: partitions are assigned by the group (-G); add -a to read them without joining");
	if (P->no_join && !group)
		tool_usage_error("-a: needs the group (-G) whose committed offsets to start from");
	if (partition >= 0 && ntopics != 1)
		tool_usage_error("-p: one topic only");
	off_val = tool_kafka_start_offset(offset, group != NULL, &by_time); /* by_time: resolved below */

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	conf = rd_kafka_conf_new();
	tool_kafka_set(conf, "enable.auto.commit", "false", 1);
	tool_kafka_set(conf, "enable.auto.offset.store", "false", 1);
	tool_kafka_set(conf, "enable.partition.eof", P->exit_eof ? "true" : "false", 1);
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
	rd_kafka_conf_set_opaque(conf, P);
	rd_kafka_conf_set_error_cb(conf, on_error);
	if (group)
		rd_kafka_conf_set_rebalance_cb(conf, rebalance);
	if (P->dlq_topic) {
		rd_kafka_conf_t *pc = rd_kafka_conf_new();
		tool_kafka_set(pc, "enable.idempotence", "true", 1);
		tool_kafka_apply(pc, brokers, kc, 0); /* consumer-only properties do not apply */
		rd_kafka_conf_set_opaque(pc, P);
		rd_kafka_conf_set_dr_msg_cb(pc, dlq_dr);
		if (!(P->dlq = rd_kafka_new(RD_KAFKA_PRODUCER, pc, errstr, sizeof errstr)))
			tool_die(EXIT_DATA, "dead-letter producer: %s", errstr);
	}
	P->start_off = off_val;
	if (group)
		P->offh = tool_kafka_offsets(brokers, kc, group);
	if (!(rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, sizeof errstr)))
		tool_die(EXIT_DATA, "%s", errstr);
	rd_kafka_poll_set_consumer(rk);
	P->cqueue = rd_kafka_queue_get_consumer(rk);

	/* reachable at all? Topic handles first, so that the metadata reply
	 * maps their partitions' leaders before the assignment: without them
	 * an assigned partition can wait out librdkafka's 500 ms offset-query
	 * retry ("no current leader"), which kcat also shows at random */
	P->rkts = calloc(ntopics, sizeof *P->rkts);
	if (!P->rkts)
		tool_die(EXIT_DATA, "out of memory");
	for (size_t i = 0; i < ntopics; i++)
		P->rkts[i] = rd_kafka_topic_new(rk, topics[i], NULL);
	{
		const struct rd_kafka_metadata *md;
		rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 1, NULL, &md,
							    P->timeout_ms ? (int)P->timeout_ms : 3600000);
		if (err)
			tool_die(EXIT_DATA, "cannot reach the brokers (%s) within %lld ms: %s",
				 brokers ? brokers : tsd_kconf_get(kc, "bootstrap.servers"),
				 (long long)P->timeout_ms, rd_kafka_err2str(err));
		for (size_t i = 0; i < ntopics && (!group || P->no_join); i++) {
			int found = 0;
			for (int j = 0; j < md->topic_cnt; j++) {
				const struct rd_kafka_metadata_topic *mt = &md->topics[j];
				if (strcmp(mt->topic, topics[i]))
					continue;
				found = 1;
				for (int k = 0; k < mt->partition_cnt; k++)
					if (partition < 0 || mt->partitions[k].id == partition)
						find_part(P, topics[i], mt->partitions[k].id)->flags = P_ASSIGNED;
				if (partition >= 0 && !find_part(P, topics[i], (int32_t)partition)->flags)
					tool_die(EXIT_DATA, "topic '%s' has no partition %ld", topics[i], partition);
			}
			if (!found)
				tool_die(EXIT_DATA, "no topic '%s' on the brokers", topics[i]);
		}
		rd_kafka_metadata_destroy(md);
	}

	if (group && !P->no_join) {
		rd_kafka_topic_partition_list_t *sub = rd_kafka_topic_partition_list_new((int)ntopics);
		for (size_t i = 0; i < ntopics; i++)
			rd_kafka_topic_partition_list_add(sub, topics[i], RD_KAFKA_PARTITION_UA);
		rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, sub);
		rd_kafka_topic_partition_list_destroy(sub);
		if (err)
			tool_die(EXIT_DATA, "subscribe: %s", rd_kafka_err2str(err));
	} else {
		size_t nparts = tsd_postab_len(P->ptab);
		rd_kafka_topic_partition_list_t *as = rd_kafka_topic_partition_list_new((int)nparts);
		for (size_t i = 0; i < nparts; i++)
			rd_kafka_topic_partition_list_add(as, tsd_postab_at(P->ptab, i)->topic,
							  tsd_postab_at(P->ptab, i)->partition)->offset =
				off_val;
		if (by_time) {
			rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(rk, as, (int)(P->timeout_ms ? P->timeout_ms : 60000));
			if (err)
				tool_die(EXIT_DATA, "-o %s: %s", offset, rd_kafka_err2str(err));
			for (int i = 0; i < as->cnt; i++)
				if (as->elems[i].offset < 0)
					as->elems[i].offset = RD_KAFKA_OFFSET_END;
		}
		if (group) {
			committed_max(P, rk, as);
			for (int i = 0; i < as->cnt; i++)
				if (as->elems[i].offset < 0)
					as->elems[i].offset = off_val;
		}
		seek_stored(P, as);
		P->nassigned = nparts;
		rd_kafka_resp_err_t err = rd_kafka_assign(rk, as);
		rd_kafka_topic_partition_list_destroy(as);
		if (err)
			tool_die(EXIT_DATA, "assign: %s", rd_kafka_err2str(err));
	}
	P->raw = tool_kafka_verbatim(&P->io, P->tfmt_set);
	if (P->raw) {
		static char obuf[1 << 16];
		setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	}
	if (tsd_kdec_new(&P->dec, P->io.tab, P->io.in.time_unit) < 0)
		tool_die(EXIT_DATA, "out of memory");
	put_loads(P); /* -a: the seek was above */

	size_t inbatch = 0;
	while (!stop && (count < 0 || nmsg < count)) {
		rd_kafka_message_t *m = next_message(P, 0);
		if (!m && !inbatch) {
			if (P->unflushed)
				positions(P); /* nothing waiting: out with what is written */
			m = next_message(P, 100);
		}
		if (!m) {
			if (inbatch) {
				positions(P);
				inbatch = 0;
			}
			if (P->down_since && P->timeout_ms && tsd_now_ms() - P->down_since > P->timeout_ms) {
				const struct rd_kafka_metadata *md;
				if (rd_kafka_metadata(rk, 0, NULL, &md, 2000))
					tool_die(EXIT_DATA, "no broker has answered for %lld ms",
						 (long long)(tsd_now_ms() - P->down_since));
				rd_kafka_metadata_destroy(md);
				P->down_since = 0;
			}
			continue;
		}
		P->down_since = 0;
		if (m->err) {
			if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
				part *p = find_part(P, rd_kafka_topic_name(m->rkt), m->partition);
				p->flags |= P_EOF;
				rd_kafka_message_destroy(m);
				size_t neof = 0;
				for (size_t i = 0; i < tsd_postab_len(P->ptab); i++)
					neof += tsd_postab_at(P->ptab, i)->flags == (P_ASSIGNED | P_EOF);
				if (P->exit_eof && P->nassigned && neof >= P->nassigned)
					break;
				continue;
			}
			if (m->err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC || m->err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
			    m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED || m->err == RD_KAFKA_RESP_ERR__FATAL) {
				positions(P);
				tool_die(EXIT_DATA, "%s: %s", m->rkt ? rd_kafka_topic_name(m->rkt) : "kafka",
					 rd_kafka_message_errstr(m));
			}
			if (!P->quiet)
				tool_warn("%s", rd_kafka_message_errstr(m));
			rd_kafka_message_destroy(m);
			continue;
		}
		const char *topic = rd_kafka_topic_name(m->rkt);
		part *p = find_part(P, topic, m->partition);
		if (!(p->flags & P_ASSIGNED)) {
			/* fetched before its partition was revoked: the next
			 * owner reads it again */
			rd_kafka_message_destroy(m);
			continue;
		}
		handle(P, m, topic, p);
		p->offset = m->offset + 1;
		p->dirty = 1;
		p->flags &= ~(unsigned)P_EOF;
		rd_kafka_message_destroy(m);
		nmsg++;
		if (unbuffered) {
			positions(P);
			inbatch = 0;
		} else if (++inbatch >= batch) {
			/* written, not flushed: that happens when no message is
			 * waiting, or when the buffer is full */
			positions_of(P, 0);
			inbatch = 0;
		}
	}
	positions(P);
	if (!stop) {
		/* the data asked for (-e, -c) is complete: downstream may flush
		 * its open windows. Stopped by a signal, there is no end mark:
		 * downstream stops without flushing and a restart resumes. */
		char dash[] = "-";
		part end = { .topic = dash, .topic_len = 1, .partition = -1, .offset = -1 }; /* tsd_ctl_end() */
		put_control(P, &end, TSD_CTL_POSITION);
	}
	finish(P);
	while (P->mpos < P->mlen)
		rd_kafka_message_destroy(P->mbuf[P->mpos++]);
	rd_kafka_queue_destroy(P->cqueue);
	rd_kafka_consumer_close(rk);
	for (size_t i = 0; i < ntopics; i++)
		if (P->rkts[i])
			rd_kafka_topic_destroy(P->rkts[i]);
	free(P->rkts);
	rd_kafka_destroy(rk);
	if (P->offh) {
		rd_kafka_consumer_close(P->offh);
		rd_kafka_destroy(P->offh);
	}
	if (P->dlq)
		rd_kafka_destroy(P->dlq);
	tsd_kdec_free(P->dec);
	tsd_store_close(P->posdb);
	tsd_kconf_free(kc);
	tsd_postab_free(P->ptab);
	free(P->smp);
	free(topics);
	return 0;
}
