/* tsproduce: write a record stream to a Kafka topic, one message per
 * sample (or per window of coefficients), keyed by series, and commit the
 * source positions that travel in the stream only once the output that
 * covers them is acknowledged (or, with transactions, in the same
 * transaction as that output). */
#include <getopt.h>
#include <sys/wait.h>
#include <unistd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <librdkafka/rdkafka.h>

#include "ctlq.h"
#include "tstime.h"
#include "kafka.h"
#include "kafkatool.h"
#include "position.h"
#include "tool.h"

static const char usage[] =
"usage: tsproduce -b BROKERS -t TOPIC [-G GROUP] [options] [FILE...]\n"
"Produce each record of the input (CSV or binary, detected) to TOPIC: one\n"
"message per sample, or per window of coefficients, keyed by the series\n"
"name, so a series stays in one partition and in order. Source positions in\n"
"the input (from tsconsume) are committed to GROUP only after every message\n"
"produced before them is acknowledged. CSV lines of one sample go into\n"
"CSV payloads as they came, unless --time-format, --precision or --time-unit\n"
"asks for them to change.\n"
"\n"
"  -b, --brokers LIST     bootstrap servers host:port,... (bootstrap.servers)\n"
"  -t, --topic TOPIC      topic to write\n"
"  -G, --group GROUP      consumer group whose offsets the positions are\n"
"                         committed to (tsconsume's -G)\n"
"  -p, --partition N      write every message to partition N (default: by key)\n"
"      --commit MODE      txn (default): output and offsets in one Kafka\n"
"                         transaction (exactly once on a real broker);\n"
"                         ack: idempotent producer, offsets committed after the\n"
"                         output is acknowledged (at least once; duplicates\n"
"                         carry the same series and time); none: no commits\n"
"      --transactional-id ID  (txn) default tsproduce.TOPIC.GROUP.HOST.PID.N,\n"
"                         new for each run; give each instance a stable id of\n"
"                         its own to fence its previous run on restart\n"
"      --commit-interval DUR  least time between commits (default 200ms); a\n"
"                         commit also happens whenever input pauses\n"
"      --batch N          up to N samples of a series per message (default 1):\n"
"                         N CSV lines, or one frame; a message goes out when\n"
"                         full, when input pauses, at a commit, or after the\n"
"                         commit interval\n"
"  -X, --property P=V     librdkafka property (repeatable)\n"
"  -F, --config FILE      librdkafka properties from a file (name=value lines)\n"
"      --timeout DUR      give up when output is not acknowledged or a commit\n"
"                         does not succeed within DUR (default 10s)\n"
"  -K, --key-delimiter D  input lines are KEY D CSV (as kcat -P -K writes them):\n"
"                         KEY is the series name, the rest time,value\n"
"  -u, --unbuffered       send each message at once (no batching, no linger)\n"
"  -q, --quiet            no notices on stderr;  -v, --verbose  librdkafka's log\n"
"  -o, --output-format F  payloads: csv (default) or bin\n"
"      --time-format S    CSV payload times: iso, iso-t, s, ms, us, ns or sf\n"
"                         (default: as the input)\n"
"      --time-unit U      unit of integer input times: s, ms, us, ns\n"
"  -N, --name NAME        name of the series of single-series input\n"
"      --order O          drop (default), strict, dupok or any (see tsconv)\n"
"      --precision N      significant digits of CSV values (default: exact)\n"
"  -h, --help             this help;  -V, --version  the version\n"
"\nExit status: 0 success, 1 bad input, a delivery or commit failure, or\n"
"unreachable brokers, 2 usage error.\n";

enum { C_TXN, C_ACK, C_NONE };

/* Messages wait in pq and go to librdkafka together
 * (rd_kafka_produce_batch: one clock reading and one topic lock for them
 * all), in order, at the latest when the input pauses and at every commit
 * point. */
#define PQ_MAX 1024

/* Everything one run holds; the functions below take it as P. */
typedef struct {
	/* options */
	int mode, quiet, unbuffered;
	const char *keydelim, *group, *topic;
	long partition;
	int64_t timeout_ms, interval_ms;
	/* the input and the payload encoder */
	tool_io io;
	tsd_kenc *enc;
	uint64_t nput;                   /* records put, for the batch clock */
	/* Kafka: the producer, its topic, and for --commit ack a consumer
	 * handle that commits the group's offsets; the group's metadata for
	 * transactions */
	rd_kafka_t *rk, *ck;
	rd_kafka_topic_t *rkt;
	rd_kafka_consumer_group_metadata_t *cgmd;
	int group_warned;       /* GROUP records of another librdkafka */
	/* positions and commits */
	tsd_postab *ptab;                /* the latest position of each source partition */
	int64_t last_commit, last_drain; /* ms */
	int last_was_pos, in_txn, seen_pos, seen_end;
	uint64_t produced, unsettled;
	rd_kafka_resp_err_t dr_err;      /* the first failed delivery */
	char dr_msg[512];
	/* the queue of messages not yet handed to librdkafka */
	rd_kafka_message_t pq[PQ_MAX];
	size_t pq_off[PQ_MAX];           /* payload offsets in pq_buf */
	uint32_t pq_series[PQ_MAX];
	size_t npq;
	unsigned char *pq_buf;
	size_t pq_len, pq_cap;
	pid_t key_child;                 /* -K's filter process */
} producer;
static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

static void on_dr(rd_kafka_t *k, const rd_kafka_message_t *m, void *opaque)
{
	producer *P = opaque;

	(void)k;
	/* with transactions, a purge comes only from an abort (txn_fenced):
	 * those records belong to the aborted transaction, and the
	 * partitions' next reader writes them again */
	if (P->mode == C_TXN && (m->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || m->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT))
		return;
	if (m->err && !P->dr_err) {
		P->dr_err = m->err;
		snprintf(P->dr_msg, sizeof P->dr_msg, "%s", rd_kafka_err2str(m->err));
	}
}

static void on_error(rd_kafka_t *k, int err, const char *reason, void *opaque)
{
	(void)k;
	(void)opaque;
	if (err == RD_KAFKA_RESP_ERR__FATAL)
		tool_die(EXIT_DATA, "fatal Kafka error: %s (no offsets committed since the last commit)", reason);
}

static void txn_die(producer *P, rd_kafka_error_t *e, const char *what)
{
	if (rd_kafka_error_txn_requires_abort(e)) {
		rd_kafka_error_t *a = rd_kafka_abort_transaction(P->rk, (int)P->timeout_ms);
		if (a)
			rd_kafka_error_destroy(a);
	}
	tool_die(EXIT_DATA, "%s: %s (the open transaction is aborted; a restart resumes from the last commit)",
		 what, rd_kafka_error_string(e));
}

/* An error of the transaction: one that a newer generation of the group
 * caused (its offsets refused: the partitions are another member's now,
 * or this member's again but read anew) aborts the transaction and is
 * returned, since the partitions' next reader starts from the offsets
 * committed before it; any other error ends the run. */
static rd_kafka_error_t *txn_fenced(producer *P, rd_kafka_error_t *e, const char *what)
{
	rd_kafka_resp_err_t c = rd_kafka_error_code(e);
	rd_kafka_error_t *a;

	if (!rd_kafka_error_txn_requires_abort(e) ||
	    (c != RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION && c != RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID &&
	     c != RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID && c != RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS))
		txn_die(P, e, what);
	if ((a = rd_kafka_abort_transaction(P->rk, (int)P->timeout_ms)))
		txn_die(P, a, "abort transaction");
	if (!P->quiet)
		tool_warn("%s: %s: a newer generation of the group owns the partitions; the transaction is "
			  "aborted and its records go out again from their new reader", what, rd_kafka_error_string(e));
	for (size_t i = 0; i < tsd_postab_len(P->ptab); i++)
		tsd_postab_at(P->ptab, i)->dirty = 0;
	return e;
}

static void txn_begin(producer *P)
{
	rd_kafka_error_t *e = rd_kafka_begin_transaction(P->rk);
	if (e)
		txn_die(P, e, "begin transaction");
	P->in_txn = 1;
}

static rd_kafka_topic_partition_list_t *dirty_list(producer *P)
{
	rd_kafka_topic_partition_list_t *l = NULL;

	for (size_t i = 0; i < tsd_postab_len(P->ptab); i++) {
		tsd_pos *p = tsd_postab_at(P->ptab, i);
		if (!p->dirty)
			continue;
		if (!l)
			l = rd_kafka_topic_partition_list_new((int)tsd_postab_len(P->ptab));
		rd_kafka_topic_partition_list_add(l, p->topic, p->partition)->offset = p->offset;
	}
	return l;
}


static void pq_flush(producer *P)
{
	size_t start = 0;

	for (size_t i = 0; i < P->npq; i++) {
		memset(&P->pq[i], 0, sizeof P->pq[i]);
		P->pq[i].payload = P->pq_buf + P->pq_off[i];
		P->pq[i].len = (i + 1 < P->npq ? P->pq_off[i + 1] : P->pq_len) - P->pq_off[i];
		P->pq[i].key = (void *)(uintptr_t)tsd_series_name(P->io.tab, P->pq_series[i]);
		P->pq[i].key_len = tsd_series_namelen(P->io.tab, P->pq_series[i]);
	}
	while (start < P->npq) {
		int good = rd_kafka_produce_batch(P->rkt, (int32_t)P->partition, RD_KAFKA_MSG_F_COPY, P->pq + start,
						  (int)(P->npq - start));
		if ((size_t)good == P->npq - start)
			break;
		/* a full queue fails every message from the first refused one
		 * on; any other error stops here */
		size_t i = start;
		while (i < P->npq && !P->pq[i].err)
			i++;
		if (i < P->npq && P->pq[i].err != RD_KAFKA_RESP_ERR__QUEUE_FULL)
			tool_die(EXIT_DATA, "produce: %s", rd_kafka_err2str(P->pq[i].err));
		start = i;
		rd_kafka_poll(P->rk, 10);
	}
	P->produced += P->npq;
	P->unsettled += P->npq;
	P->npq = 0;
	P->pq_len = 0;
	rd_kafka_poll(P->rk, 0);
	if (P->dr_err)
		tool_die(EXIT_DATA, "delivery failed: %s (no offsets committed since the last commit)", P->dr_msg);
}

/* Queue the message tsd_kenc holds. */
static void send_message(producer *P)
{
	size_t len;
	const void *data = tsd_kenc_data(P->enc, &len);

	if (P->pq_len + len > P->pq_cap) {
		size_t nc = P->pq_cap ? P->pq_cap : 65536;
		while (nc < P->pq_len + len)
			nc *= 2;
		unsigned char *nb = realloc(P->pq_buf, nc);
		if (!nb)
			tool_die(EXIT_DATA, "out of memory");
		P->pq_buf = nb;
		P->pq_cap = nc;
	}
	memcpy(P->pq_buf + P->pq_len, data, len);
	P->pq_off[P->npq] = P->pq_len;
	P->pq_series[P->npq++] = tsd_kenc_series(P->enc);
	P->pq_len += len;
	if (P->npq == PQ_MAX || P->unbuffered)
		pq_flush(P);
}

/* Produce every batch still gathering (--batch), and every message queued. */
static void drain(producer *P)
{
	int rc;

	while ((rc = tsd_kenc_flush(P->enc)) == 1)
		send_message(P);
	if (rc < 0)
		tool_die(EXIT_DATA, "%s", tsd_strerror(rc));
	pq_flush(P);
	P->last_drain = tsd_now_ms();
}

/* Make everything produced so far durable, then commit the positions read
 * so far (which cover exactly that output when called right after one). */
static void commit_point(producer *P)
{
	rd_kafka_topic_partition_list_t *l = dirty_list(P);
	int64_t t0 = tsd_now_ms();

	drain(P);
	if (!l && !P->unsettled)
		return;
	if (l && !P->group)
		tool_die(EXIT_DATA, "the input carries source positions but no group (-G) is given to commit them to; "
			 "use --commit none to ignore them");
	if (P->mode == C_TXN) {
		rd_kafka_error_t *e = NULL;
		if (l && (e = rd_kafka_send_offsets_to_transaction(P->rk, l, P->cgmd, (int)P->timeout_ms)))
			e = txn_fenced(P, e, "send offsets to transaction");
		for (; !e;) {
			e = rd_kafka_commit_transaction(P->rk, (int)P->timeout_ms);
			if (!e)
				break;
			if (rd_kafka_error_is_retriable(e) && tsd_now_ms() - t0 < P->timeout_ms) {
				rd_kafka_error_destroy(e);
				e = NULL;
				continue;
			}
			e = txn_fenced(P, e, "commit transaction");
		}
		if (e)
			rd_kafka_error_destroy(e); /* aborted: the positions stay as they were */
		P->in_txn = 0;
		txn_begin(P);
	} else {
		rd_kafka_resp_err_t err = rd_kafka_flush(P->rk, (int)P->timeout_ms);
		if (err == RD_KAFKA_RESP_ERR__TIMED_OUT)
			tool_die(EXIT_DATA, "%d message%s not acknowledged within %lld ms (no offsets committed)",
				 rd_kafka_outq_len(P->rk), rd_kafka_outq_len(P->rk) == 1 ? "" : "s", (long long)P->timeout_ms);
		if (P->dr_err)
			tool_die(EXIT_DATA, "delivery failed: %s (no offsets committed)", P->dr_msg);
		if (l && P->mode == C_ACK) {
			for (;;) {
				err = rd_kafka_commit(P->ck, l, 0);
				if (!err)
					break;
				if (tsd_now_ms() - t0 > P->timeout_ms)
					tool_die(EXIT_DATA, "commit to group '%s': %s", P->group, rd_kafka_err2str(err));
				struct timespec ts = { 0, 50000000 };
				nanosleep(&ts, NULL);
			}
		}
	}
	if (P->dr_err)
		tool_die(EXIT_DATA, "delivery failed: %s", P->dr_msg);
	for (size_t i = 0; i < tsd_postab_len(P->ptab); i++)
		tsd_postab_at(P->ptab, i)->dirty = 0;
	if (l)
		rd_kafka_topic_partition_list_destroy(l);
	P->unsettled = 0;
	P->last_commit = tsd_now_ms();
}

/* A GROUP record: positions after it are committed with that generation of
 * tsconsume's group (KIP-447), once the transaction of those before it is
 * committed with theirs. */
static void group_gen(producer *P, const tsd_control *k)
{
	static unsigned char meta[TSD_GROUP_META_MAX];
	const char *member;
	size_t len, ml;
	uint32_t ver;
	rd_kafka_consumer_group_metadata_t *md;
	rd_kafka_error_t *e;

	if (P->mode != C_TXN || !P->group)
		return;
	if (tsd_group_parse(k->topic, k->topic_len, &ver, meta, sizeof meta, &len, &member, &ml) < 0)
		tool_die(EXIT_DATA, "%s: a group record that is not VERSION HEX MEMBER", tool_where(&P->io));
	if (ver != (uint32_t)rd_kafka_version()) {
		if (!P->group_warned && !P->quiet)
			tool_warn("group metadata written by librdkafka %08x, this is %08x: offsets go to group '%s' "
				  "without the generation (no fencing)", ver, (unsigned)rd_kafka_version(), P->group);
		P->group_warned = 1;
		return;
	}
	if ((e = rd_kafka_consumer_group_metadata_read(&md, meta, len)))
		tool_die(EXIT_DATA, "%s: group metadata: %s", tool_where(&P->io), rd_kafka_error_string(e));
	commit_point(P);
	rd_kafka_consumer_group_metadata_destroy(P->cgmd);
	P->cgmd = md;
	if (!P->quiet)
		tool_warn("offsets commit with the generation of member %.*s", (int)ml, member);
}

static void position(producer *P, const tsd_control *k)
{
	if (tsd_postab_set(P->ptab, NULL, k) < 0)
		tool_die(EXIT_DATA, "out of memory");
}

static int on_idle(void *arg)
{
	producer *P = arg;

	drain(P);
	if (P->last_was_pos)
		commit_point(P);
	return 0;
}

/* -K: a child process turns "KEY<delim>REST" lines of stdin into
 * "KEY,REST" (KEY as one CSV field) on a pipe that becomes stdin; a line
 * without the delimiter goes through as it is. */
static void key_filter(producer *P, const char *delim)
{
	int fd[2];
	size_t dl = strlen(delim);

	if (pipe(fd) < 0)
		tool_die(EXIT_DATA, "pipe:");
	if ((P->key_child = fork()) < 0)
		tool_die(EXIT_DATA, "fork:");
	if (P->key_child == 0) {
		FILE *out = fdopen(fd[1], "w");
		char *line = NULL, *q = NULL;
		size_t cap = 0, qcap = 0;
		ssize_t n;
		close(fd[0]);
		if (!out)
			_exit(EXIT_DATA);
		while ((n = getline(&line, &cap, stdin)) > 0) {
			char *k = memmem(line, (size_t)n, delim, dl);
			if (!k) {
				fwrite(line, 1, (size_t)n, out);
				continue;
			}
			size_t kl = (size_t)(k - line);
			if (2 * kl + 2 > qcap && !(q = realloc(q, qcap = 2 * kl + 2)))
				_exit(EXIT_DATA);
			fwrite(q, 1, tsd_csv_field(q, line, kl, ','), out);
			putc(',', out);
			fwrite(k + dl, 1, (size_t)n - kl - dl, out);
		}
		_exit(ferror(stdin) || fclose(out) ? EXIT_DATA : 0);
	}
	close(fd[1]);
	if (dup2(fd[0], 0) < 0)
		tool_die(EXIT_DATA, "dup2:");
	close(fd[0]);
}

int main(int argc, char **argv)
{
	enum { O_COMMIT = 3000, O_TXID, O_INTERVAL, O_TIMEOUT, O_TFMT, O_BATCH };
	static const struct option lopts[] = {
		{ "brokers", required_argument, 0, 'b' }, { "topic", required_argument, 0, 't' },
		{ "group", required_argument, 0, 'G' }, { "partition", required_argument, 0, 'p' },
		{ "commit", required_argument, 0, O_COMMIT }, { "transactional-id", required_argument, 0, O_TXID },
		{ "commit-interval", required_argument, 0, O_INTERVAL }, { "property", required_argument, 0, 'X' },
		{ "config", required_argument, 0, 'F' }, { "timeout", required_argument, 0, O_TIMEOUT },
		{ "batch", required_argument, 0, O_BATCH },
		{ "quiet", no_argument, 0, 'q' }, { "verbose", no_argument, 0, 'v' },
		{ "key-delimiter", required_argument, 0, 'K' }, { "unbuffered", no_argument, 0, 'u' },
		{ "output-format", required_argument, 0, 'o' }, { "time-format", required_argument, 0, O_TFMT },
		{ "time-unit", required_argument, 0, 1001 }, { "name", required_argument, 0, 'N' },
		{ "order", required_argument, 0, 1003 }, { "precision", required_argument, 0, 1004 },
		{ "help", no_argument, 0, 'h' }, { "version", no_argument, 0, 'V' }, { 0, 0, 0, 0 },
	};
	const char *brokers = NULL, *txid = NULL;
	char errstr[512], txbuf[600];
	int c, rc, tfmt_set = 0, raw;
	long batch = 1;
	tsd_kconf *kc;
	tsd_tstyle ts = { .kind = TSD_T_ISO, .sep = ' ' };
	rd_kafka_conf_t *conf;
	tsd_reader *hooked = NULL;
	tsd_rec r;
	struct sigaction sa;
	static producer prod = { .mode = C_TXN, .partition = RD_KAFKA_PARTITION_UA,
				 .timeout_ms = 10000, .interval_ms = 200 };
	producer *P = &prod;

	tool_name = "tsproduce";
	tool_io_init(&P->io);
	if (tsd_postab_new(&P->ptab) < 0)
		tool_die(EXIT_DATA, "out of memory");
	if (tsd_kconf_new(&kc) < 0)
		tool_die(EXIT_DATA, "out of memory");
	while ((c = getopt_long(argc, argv, "b:t:G:p:X:F:K:quvo:N:hV", lopts, NULL)) != -1) {
		if (tool_kafka_option(kc, c, optarg))
			continue;
		switch (c) {
		case 'b': brokers = optarg; break;
		case 't': P->topic = optarg; break;
		case 'G': P->group = optarg; break;
		case 'p': P->partition = tool_long("-p", optarg, 0, INT32_MAX); break;
		case O_COMMIT:
			if (!strcmp(optarg, "txn"))
				P->mode = C_TXN;
			else if (!strcmp(optarg, "ack"))
				P->mode = C_ACK;
			else if (!strcmp(optarg, "none"))
				P->mode = C_NONE;
			else
				tool_usage_error("--commit: unknown mode '%s' (txn, ack or none)", optarg);
			break;
		case O_TXID: txid = optarg; break;
		case O_BATCH: batch = tool_long("--batch", optarg, 1, 1000000); break;
		case O_INTERVAL:
			P->interval_ms = strcmp(optarg, "0") ? tool_duration("--commit-interval", optarg) / 1000000 : 0;
			break;
		case O_TIMEOUT: P->timeout_ms = tool_duration("--timeout", optarg) / 1000000; break;
		case 'q': P->quiet = 1; break;
		case 'K':
			if (!*optarg)
				tool_usage_error("-K: empty key delimiter");
			P->keydelim = optarg;
			break;
		case 'u': P->unbuffered = 1; break;
		case 'v': tool_kafka_verbose = 1; break;
		case O_TFMT:
			if (tsd_tstyle_parse(&ts, optarg) || !ts.kind)
				tool_usage_error("--time-format: unknown time format '%s' (iso, iso-t, s, ms, us, ns, sf)", optarg);
			tfmt_set = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return tool_stdout_done();
		default:
			if (c != 't' && tool_io_option(&P->io, c, optarg))
				break;
			fprintf(stderr, "Try 'tsproduce --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (!P->topic)
		tool_usage_error("no topic (-t TOPIC)");
	if (!brokers && !tsd_kconf_get(kc, "bootstrap.servers") && !tsd_kconf_get(kc, "metadata.broker.list"))
		tool_usage_error("no brokers (-b host:port)");
	if (P->timeout_ms < 1)
		P->timeout_ms = 1;
	if (P->keydelim) {
		if (optind < argc)
			tool_usage_error("-K: reads standard input only");
		key_filter(P, P->keydelim);
	}
	tool_io_files(&P->io, argc - optind, argv + optind);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	conf = rd_kafka_conf_new();
	tool_kafka_set(conf, "enable.idempotence", P->mode == C_NONE ? "false" : "true", 1);
	tool_kafka_set(conf, "linger.ms", P->unbuffered ? "0" : "5", 1);
	if (P->mode == C_TXN) {
		if (!txid) {
			/* one per running instance: instances of one group
			 * scale out without fencing each other (see
			 * tsproduce(1) for a stable id across restarts) */
			char host[256] = "-";
			struct timespec rt;
			clock_gettime(CLOCK_REALTIME, &rt);
			if (gethostname(host, sizeof host - 1) < 0)
				strcpy(host, "-");
			host[sizeof host - 1] = 0;
			snprintf(txbuf, sizeof txbuf, "tsproduce.%s.%s.%s.%ld.%lx", P->topic, P->group ? P->group : "-", host,
				 (long)getpid(), (unsigned long)(rt.tv_sec ^ rt.tv_nsec));
			txid = txbuf;
		}
		tool_kafka_set(conf, "transactional.id", txid, 1);
	}
	tool_kafka_apply(conf, brokers, kc, 1);
	rd_kafka_conf_set_opaque(conf, P);
	rd_kafka_conf_set_dr_msg_cb(conf, on_dr);
	rd_kafka_conf_set_error_cb(conf, on_error);
	if (!(P->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr)))
		tool_die(EXIT_DATA, "%s", errstr);
	if (!(P->rkt = rd_kafka_topic_new(P->rk, P->topic, NULL)))
		tool_die(EXIT_DATA, "topic '%s': %s", P->topic, rd_kafka_err2str(rd_kafka_last_error()));
	{
		const struct rd_kafka_metadata *md;
		rd_kafka_resp_err_t err = rd_kafka_metadata(P->rk, 1, NULL, &md, (int)P->timeout_ms);
		if (err)
			tool_die(EXIT_DATA, "cannot reach the brokers (%s) within %lld ms: %s",
				 brokers ? brokers : tsd_kconf_get(kc, "bootstrap.servers"),
				 (long long)P->timeout_ms, rd_kafka_err2str(err));
		rd_kafka_metadata_destroy(md);
	}
	if (P->mode == C_TXN) {
		rd_kafka_error_t *e = rd_kafka_init_transactions(P->rk, (int)P->timeout_ms);
		if (e)
			tool_die(EXIT_DATA, "init transactions: %s", rd_kafka_error_string(e));
		if (!P->quiet)
			tool_warn("transactional id '%s'", txid);
		if (P->group)
			P->cgmd = rd_kafka_consumer_group_metadata_new(P->group);
		txn_begin(P);
	}
	if (P->mode == C_ACK && P->group)
		P->ck = tool_kafka_offsets(brokers, kc, P->group);
	if (tsd_kenc_new(&P->enc, P->io.out_format == TSD_FMT_BIN ? TSD_KFMT_BIN : TSD_KFMT_CSV, P->io.tab, &ts,
			 P->io.precision) < 0)
		tool_die(EXIT_DATA, "out of memory");
	tsd_kenc_set_batch(P->enc, (size_t)batch);
	/* CSV lines go out as they came when nothing asks them to change */
	raw = tool_kafka_verbatim(&P->io, tfmt_set);

	P->last_commit = P->last_drain = tsd_now_ms();
	while (!stop && tool_next(&P->io, &r)) {
		if (P->io.r != hooked && P->io.r) {
			tsd_reader_on_idle(P->io.r, on_idle, P);
			hooked = P->io.r;
		}
		if (r.kind == TSD_REC_CONTROL) {
			if (r.k.what == TSD_CTL_REVOKE) {
				/* the partition's next reader starts from the
				 * committed offset: make it the latest */
				if (P->mode != C_NONE && P->group)
					commit_point(P);
				continue;
			}
			if (r.k.what == TSD_CTL_GROUP) {
				group_gen(P, &r.k);
				continue;
			}
			if (r.k.what != TSD_CTL_POSITION)
				continue;
			P->seen_pos = 1;
			if (!P->group && P->mode != C_NONE)
				tool_die(EXIT_DATA, "the input carries source positions but no group (-G) is given to "
					 "commit them to; use --commit none to ignore them");
			if (tsd_ctl_is_end(&r.k)) {
				P->seen_end = 1;
				continue;
			}
			position(P, &r.k);
			P->last_was_pos = 1;
			if (P->mode != C_NONE && tsd_now_ms() - P->last_commit >= P->interval_ms)
				commit_point(P);
			continue;
		}
		P->last_was_pos = 0;
		if (!tfmt_set && P->io.r && tsd_reader_style(P->io.r)->tstyle.kind)
			ts = tsd_reader_style(P->io.r)->tstyle;
		const char *line = NULL;
		size_t linelen = 0;
		int has_series = 0;
		if (r.kind != TSD_REC_SAMPLE)
			drain(P); /* a window's message after the samples before it */
		else if (raw && P->io.r)
			line = tsd_reader_line(P->io.r, &linelen, &has_series);
		rc = line ? tsd_kenc_put_line(P->enc, r.s.series, line, linelen, has_series) : tsd_kenc_put(P->enc, &r);
		if (rc == TSD_EUNSUP)
			tool_die(EXIT_DATA, "%s: wavelet coefficients go into binary payloads only; use -o bin",
				 tool_where(&P->io));
		if (rc < 0)
			tool_die(EXIT_DATA, "%s: %s", tool_where(&P->io), tsd_strerror(rc));
		if (rc == 1)
			send_message(P);
		/* a batch gathering longer than the commit interval goes out */
		if (batch > 1 && (++P->nput & 255) == 0 && tsd_kenc_pending(P->enc) &&
		    tsd_now_ms() - P->last_drain >= P->interval_ms)
			drain(P);
	}
	if (!stop && P->seen_pos && !P->seen_end) {
		/* upstream failed: what came after the last position may be
		 * windows flushed early; commit nothing more */
		if (P->mode == C_TXN && P->in_txn) {
			rd_kafka_error_t *e = rd_kafka_abort_transaction(P->rk, (int)P->timeout_ms);
			if (e)
				rd_kafka_error_destroy(e);
		} else {
			rd_kafka_flush(P->rk, (int)P->timeout_ms);
		}
		tool_die(EXIT_DATA, "the input carried source positions but ended without the source's end mark "
			 "(did a stage before fail?): nothing committed since the last commit");
	}
	if (stop) {
		/* interrupted: what is not committed will be replayed */
		if (P->mode == C_TXN && P->in_txn) {
			rd_kafka_error_t *e = rd_kafka_abort_transaction(P->rk, (int)P->timeout_ms);
			if (e)
				rd_kafka_error_destroy(e);
		}
	} else {
		commit_point(P);
		if (P->mode == C_TXN && P->in_txn) {
			rd_kafka_error_t *e = rd_kafka_commit_transaction(P->rk, (int)P->timeout_ms);
			if (e)
				txn_die(P, e, "commit transaction");
		} else if (rd_kafka_flush(P->rk, (int)P->timeout_ms) == RD_KAFKA_RESP_ERR__TIMED_OUT) {
			tool_die(EXIT_DATA, "%d messages not acknowledged within %lld ms", rd_kafka_outq_len(P->rk),
				 (long long)P->timeout_ms);
		}
		if (P->dr_err)
			tool_die(EXIT_DATA, "delivery failed: %s", P->dr_msg);
	}
	if (P->key_child > 0 && !stop) {
		int st;
		if (waitpid(P->key_child, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			tool_die(EXIT_DATA, "-K: reading standard input failed (what was read is produced)");
	}
	if (!P->quiet && tool_kafka_verbose)
		tool_warn("%llu messages produced", (unsigned long long)P->produced);
	/* nothing is written to stdout */
	if (P->io.r)
		tsd_reader_close(P->io.r);
	tsd_series_free(P->io.tab);
	if (P->cgmd)
		rd_kafka_consumer_group_metadata_destroy(P->cgmd);
	if (P->ck) {
		rd_kafka_consumer_close(P->ck);
		rd_kafka_destroy(P->ck);
	}
	rd_kafka_topic_destroy(P->rkt);
	rd_kafka_destroy(P->rk);
	free(P->pq_buf);
	tsd_kenc_free(P->enc);
	tsd_kconf_free(kc);
	tsd_postab_free(P->ptab);
	return stop ? EXIT_DATA : 0;
}
