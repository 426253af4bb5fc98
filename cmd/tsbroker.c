/* tsbroker: a Kafka test cluster on loopback (librdkafka's mock cluster),
 * with topics made in advance and faults injected on request. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "tool.h"

static const char usage[] =
"usage: tsbroker [options]\n"
"Start librdkafka's mock Kafka cluster on loopback, create topics, print its\n"
"bootstrap servers on one line of stdout, and run until SIGTERM, SIGINT or\n"
"the end of stdin (when stdin is a pipe or a terminal). For tests and demos:\n"
"it keeps only the newest ~5 MB / 100k messages of a partition and does not\n"
"store offsets sent inside transactions (see tsbroker(1)).\n"
"\n"
"  -p, --partitions N     partitions of the topics made by -t and by the\n"
"                         control's 'topic' (default 4); topics created on\n"
"                         first use get the mock's fixed 4 (see tsbroker(1))\n"
"  -t, --topic NAME       create this topic (repeatable)\n"
"      --brokers N        brokers in the cluster (default 1)\n"
"      --listen HOST:PORT broker 1 listens there (broker n at PORT+n-1);\n"
"                         HOST an IPv4 address; default 127.0.0.1 and a free\n"
"                         port\n"
"      --port PORT        the same as --listen 127.0.0.1:PORT\n"
"      --down-after DUR   take every broker down DUR after the start ...\n"
"      --down-for DUR     ... and up again DUR later (default 10s); the\n"
"                         addresses stay the same; notices on stderr\n"
"      --control FIFO     read fault commands from this FIFO (made if missing):\n"
"                           down ID | up ID          take broker ID down or up\n"
"                           rtt ID MS                add MS ms to its replies\n"
"                           err API CODE [COUNT]     fail the next COUNT (1)\n"
"                                                    requests of API with CODE\n"
"                           topic NAME [PARTITIONS]  create a topic\n"
"                         API and CODE by name (Produce, Fetch, OffsetCommit,\n"
"                         ...; NOT_LEADER_FOR_PARTITION, ...) or number\n"
"  -h, --help             this help;  -V, --version  the version\n"
"\nExit status: 0 stopped by a signal or end of stdin, 1 the cluster could\n"
"not start, 2 usage error.\n";

static volatile sig_atomic_t stop;

/* --listen: librdkafka's mock cluster binds each broker's listener to
 * 127.0.0.1 port 0 (any free port) and advertises what it got. This bind()
 * is found before the C library's by the dynamic linker (librdkafka calls
 * bind through its PLT), and puts the n-th listening socket bound to port
 * 0 at HOST:PORT+n instead; every other bind goes through unchanged. */
static struct in_addr listen_host;
static int listen_port, listen_n;

int bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	struct sockaddr_in in;
	int type = 0, one = 1;
	socklen_t tl = sizeof type;

	if (listen_port && sa && sa->sa_family == AF_INET && len >= (socklen_t)sizeof in) {
		memcpy(&in, sa, sizeof in);
		if (in.sin_port == 0 && getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tl) == 0 &&
		    type == SOCK_STREAM) {
			in.sin_addr = listen_host;
			in.sin_port = htons((uint16_t)(listen_port + listen_n++));
			/* a restarted tsbroker takes its address again at once */
			setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
			return (int)syscall(SYS_bind, fd, &in, (socklen_t)sizeof in);
		}
	}
	return (int)syscall(SYS_bind, fd, sa, len);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Every broker down (up 0) or up (1). */
static void all_brokers(rd_kafka_mock_cluster_t *mc, int n, int up)
{
	for (int id = 1; id <= n; id++) {
		rd_kafka_resp_err_t err = up ? rd_kafka_mock_broker_set_up(mc, id) : rd_kafka_mock_broker_set_down(mc, id);
		if (err)
			tool_warn("broker %d %s: %s", id, up ? "up" : "down", rd_kafka_err2str(err));
	}
	tool_warn("%s %d broker%s", up ? "up:" : "down:", n, n == 1 ? "" : "s");
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const struct {
	const char *name;
	int key;
} apis[] = {
	{ "Produce", 0 }, { "Fetch", 1 }, { "ListOffsets", 2 }, { "Metadata", 3 },
	{ "OffsetCommit", 8 }, { "OffsetFetch", 9 }, { "FindCoordinator", 10 },
	{ "JoinGroup", 11 }, { "Heartbeat", 12 }, { "LeaveGroup", 13 }, { "SyncGroup", 14 },
	{ "ApiVersions", 18 }, { "InitProducerId", 22 }, { "AddPartitionsToTxn", 24 },
	{ "AddOffsetsToTxn", 25 }, { "EndTxn", 26 }, { "TxnOffsetCommit", 28 },
};

static int api_key(const char *s)
{
	long v;

	for (size_t i = 0; i < sizeof apis / sizeof apis[0]; i++)
		if (!strcasecmp(s, apis[i].name))
			return apis[i].key;
	if (tsd_parse_long(&v, s, 0, 1000) == 0)
		return (int)v;
	return -1;
}

static int err_code(const char *s, rd_kafka_resp_err_t *err)
{
	const struct rd_kafka_err_desc *d;
	size_t n;
	long v;

	if (tsd_parse_long(&v, s, -200, 1000) == 0) {
		*err = (rd_kafka_resp_err_t)v;
		return 0;
	}
	rd_kafka_get_err_descs(&d, &n);
	for (size_t i = 0; i < n; i++)
		if (d[i].name && (!strcasecmp(d[i].name, s) ||
				  (!strncasecmp(s, "ERR_", 4) && !strcasecmp(d[i].name, s + 4)))) {
			*err = d[i].code;
			return 0;
		}
	return -1;
}

/* One command line from the control FIFO; complaints go to stderr. */
static void command(rd_kafka_mock_cluster_t *mc, char *line, int partitions)
{
	char *w[5] = { 0 }, *save = NULL;
	int n = 0;
	long id = 0, v = 1;
	rd_kafka_resp_err_t err;

	for (char *t = strtok_r(line, " \t\r", &save); t && n < 5; t = strtok_r(NULL, " \t\r", &save))
		w[n++] = t;
	if (!n || w[0][0] == '#')
		return;
	if ((!strcmp(w[0], "down") || !strcmp(w[0], "up") || !strcmp(w[0], "rtt")) &&
	    n >= 2 && tsd_parse_long(&id, w[1], 1, 1000) == 0) {
		if (!strcmp(w[0], "down"))
			err = rd_kafka_mock_broker_set_down(mc, (int32_t)id);
		else if (!strcmp(w[0], "up"))
			err = rd_kafka_mock_broker_set_up(mc, (int32_t)id);
		else if (n == 3 && tsd_parse_long(&v, w[2], 0, 600000) == 0)
			err = rd_kafka_mock_broker_set_rtt(mc, (int32_t)id, (int)v);
		else
			goto bad;
		if (err)
			tool_warn("control: %s %ld: %s", w[0], id, rd_kafka_err2str(err));
		return;
	}
	if (!strcmp(w[0], "err") && (n == 3 || n == 4)) {
		int api = api_key(w[1]);
		if (api < 0) {
			tool_warn("control: unknown API '%s'", w[1]);
			return;
		}
		if (err_code(w[2], &err)) {
			tool_warn("control: unknown error code '%s'", w[2]);
			return;
		}
		if (n == 4 && tsd_parse_long(&v, w[3], 1, 1000000))
			goto bad;
		rd_kafka_resp_err_t *errs = malloc((size_t)v * sizeof *errs);
		if (!errs)
			tool_die(EXIT_DATA, "out of memory");
		for (long i = 0; i < v; i++)
			errs[i] = err;
		rd_kafka_mock_push_request_errors_array(mc, (int16_t)api, (size_t)v, errs);
		free(errs);
		return;
	}
	if (!strcmp(w[0], "topic") && (n == 2 || n == 3)) {
		if (n == 3 && tsd_parse_long(&v, w[2], 1, 100000))
			goto bad;
		if ((err = rd_kafka_mock_topic_create(mc, w[1], n == 3 ? (int)v : partitions, 1)))
			tool_warn("control: topic '%s': %s", w[1], rd_kafka_err2str(err));
		return;
	}
bad:
	tool_warn("control: bad command '%s'", w[0]);
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "partitions", required_argument, 0, 'p' }, { "topic", required_argument, 0, 't' },
		{ "brokers", required_argument, 0, 1000 }, { "control", required_argument, 0, 1001 },
		{ "listen", required_argument, 0, 1002 }, { "port", required_argument, 0, 1003 },
		{ "down-after", required_argument, 0, 1004 }, { "down-for", required_argument, 0, 1005 },
		{ "help", no_argument, 0, 'h' }, { "version", no_argument, 0, 'V' }, { 0, 0, 0, 0 },
	};
	int partitions = 4, nbrokers = 1, c, ctl = -1, watch_stdin, down_state = 0;
	int64_t down_after = -1, down_for = 10000, t0;
	const char *fifo = NULL;
	char **topics = NULL, errstr[512], buf[4096];
	size_t ntopics = 0, blen = 0;
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk;
	rd_kafka_mock_cluster_t *mc;
	struct sigaction sa;
	struct stat st;

	tool_name = "tsbroker";
	while ((c = getopt_long(argc, argv, "p:t:hV", lopts, NULL)) != -1) {
		switch (c) {
		case 'p': partitions = (int)tool_long("-p", optarg, 1, 100000); break;
		case 't':
			if (!*optarg)
				tool_usage_error("-t: empty topic name");
			if (!(topics = realloc(topics, (ntopics + 1) * sizeof *topics)))
				tool_die(EXIT_DATA, "out of memory");
			topics[ntopics++] = optarg;
			break;
		case 1000: nbrokers = (int)tool_long("--brokers", optarg, 1, 64); break;
		case 1001: fifo = optarg; break;
		case 1002: {
			const char *colon = strrchr(optarg, ':');
			char host[64];
			if (!colon || (size_t)(colon - optarg) >= sizeof host)
				tool_usage_error("--listen: '%s' is not HOST:PORT", optarg);
			memcpy(host, optarg, (size_t)(colon - optarg));
			host[colon - optarg] = 0;
			if (inet_pton(AF_INET, host, &listen_host) != 1 || listen_host.s_addr == htonl(INADDR_ANY))
				tool_usage_error("--listen: '%s' is not an IPv4 address of this host", host);
			listen_port = (int)tool_long("--listen", colon + 1, 1, 65535);
			break;
		}
		case 1003:
			listen_port = (int)tool_long("--port", optarg, 1, 65535);
			listen_host.s_addr = htonl(INADDR_LOOPBACK);
			break;
		case 1004: down_after = tool_duration("--down-after", optarg) / 1000000; break;
		case 1005: down_for = tool_duration("--down-for", optarg) / 1000000; break;
		case 'V': tool_version();
		case 'h':
			fputs(usage, stdout);
			return tool_stdout_done();
		default:
			fprintf(stderr, "Try 'tsbroker --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		tool_usage_error("unexpected argument '%s'", argv[optind]);
	if (listen_port && listen_port + nbrokers - 1 > 65535)
		tool_usage_error("--listen: ports %d..%d do not all exist", listen_port, listen_port + nbrokers - 1);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (fifo) {
		if (mkfifo(fifo, 0600) < 0 && errno != EEXIST)
			tool_die(EXIT_DATA, "%s:", fifo);
		/* read-write: no end of file when a writer closes */
		if ((ctl = open(fifo, O_RDWR | O_NONBLOCK | O_CLOEXEC)) < 0)
			tool_die(EXIT_DATA, "%s:", fifo);
	}

	/* the mock cluster cannot report a failed bind (librdkafka 2.0.2
	 * aborts): try the addresses first */
	for (int i = 0; listen_port && i < nbrokers; i++) {
		struct sockaddr_in in = { .sin_family = AF_INET, .sin_addr = listen_host,
					  .sin_port = htons((uint16_t)(listen_port + i)) };
		int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
		char a[INET_ADDRSTRLEN];
		if (fd < 0)
			tool_die(EXIT_DATA, "socket:");
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (syscall(SYS_bind, fd, &in, (socklen_t)sizeof in) < 0)
			tool_die(EXIT_DATA, "%s:%d:", inet_ntop(AF_INET, &listen_host, a, sizeof a), listen_port + i);
		close(fd);
	}
	conf = rd_kafka_conf_new();
	if (rd_kafka_conf_set(conf, "log_level", "3", errstr, sizeof errstr) != RD_KAFKA_CONF_OK)
		tool_die(EXIT_DATA, "%s", errstr);
	if (!(rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr)))
		tool_die(EXIT_DATA, "cannot make a handle: %s", errstr);
	if (!(mc = rd_kafka_mock_cluster_new(rk, nbrokers)))
		tool_die(EXIT_DATA, listen_port ? "cannot start the mock cluster (is the port in use?)" :
			 "cannot start the mock cluster");
	if (listen_port && listen_n != nbrokers)
		tool_die(EXIT_DATA, "--listen: %d of %d brokers took their address", listen_n, nbrokers);
	for (size_t i = 0; i < ntopics; i++) {
		rd_kafka_resp_err_t err = rd_kafka_mock_topic_create(mc, topics[i], partitions, 1);
		if (err)
			tool_die(EXIT_DATA, "topic '%s': %s", topics[i], rd_kafka_err2str(err));
	}
	printf("%s\n", rd_kafka_mock_cluster_bootstraps(mc));
	if (fflush(stdout) == EOF)
		tool_die(EXIT_DATA, "write error:");

	t0 = now_ms();
	watch_stdin = fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) || isatty(0));
	while (!stop) {
		struct pollfd p[2] = { { .fd = watch_stdin ? 0 : -1, .events = POLLIN },
				       { .fd = ctl, .events = POLLIN } };
		int n = poll(p, 2, 50);
		if (down_after >= 0 && down_state == 0 && now_ms() - t0 >= down_after)
			all_brokers(mc, nbrokers, 0), down_state = 1;
		if (down_state == 1 && now_ms() - t0 >= down_after + down_for)
			all_brokers(mc, nbrokers, 1), down_state = 2;
		if (n < 0 && errno != EINTR)
			tool_die(EXIT_DATA, "poll:");
		if (n <= 0)
			continue;
		if (p[0].revents) {
			char tmp[512];
			ssize_t r = read(0, tmp, sizeof tmp);
			if (r <= 0 && !(r < 0 && errno == EINTR))
				break; /* end of stdin */
		}
		if (p[1].revents & POLLIN) {
			ssize_t r = read(ctl, buf + blen, sizeof buf - 1 - blen);
			if (r > 0) {
				char *nl;
				blen += (size_t)r;
				buf[blen] = 0;
				while ((nl = memchr(buf, '\n', blen))) {
					*nl = 0;
					command(mc, buf, partitions);
					blen -= (size_t)(nl + 1 - buf);
					memmove(buf, nl + 1, blen);
				}
				if (blen == sizeof buf - 1)
					blen = 0; /* an overlong line: drop it */
			}
		}
	}
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	if (ctl >= 0)
		close(ctl);
	free(topics);
	return 0;
}
