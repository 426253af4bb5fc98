/* kafkatool.c: librdkafka set-up shared by the Kafka tools. */
#include "kafkatool.h"

#include <limits.h>
#include <string.h>

int tool_kafka_verbose;

static void on_log(const rd_kafka_t *rk, int level, const char *fac, const char *buf)
{
	(void)rk;
	(void)level;
	if (tool_kafka_verbose)
		tool_warn("kafka: %s %s", fac, buf);
}

void tool_kafka_set(rd_kafka_conf_t *conf, const char *name, const char *value, int strict)
{
	char errstr[512];

	if (rd_kafka_conf_set(conf, name, value, errstr, sizeof errstr) != RD_KAFKA_CONF_OK && strict)
		tool_usage_error("-X %s: %s", name, errstr);
}

void tool_kafka_apply(rd_kafka_conf_t *conf, const char *brokers, const tsd_kconf *kc, int strict)
{
	if (brokers)
		tool_kafka_set(conf, "bootstrap.servers", brokers, 1);
	for (size_t i = 0; i < tsd_kconf_count(kc); i++) {
		const char *n, *v;
		tsd_kconf_item(kc, i, &n, &v);
		tool_kafka_set(conf, n, v, strict);
	}
	rd_kafka_conf_set_log_cb(conf, on_log);
}

rd_kafka_t *tool_kafka_offsets(const char *brokers, const tsd_kconf *kc, const char *group)
{
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	char errstr[512];
	rd_kafka_t *h;

	tool_kafka_apply(c, brokers, kc, 0);
	tool_kafka_set(c, "group.id", group, 1);
	tool_kafka_set(c, "enable.auto.commit", "false", 1);
	if (!(h = rd_kafka_new(RD_KAFKA_CONSUMER, c, errstr, sizeof errstr)))
		tool_die(EXIT_DATA, "%s", errstr);
	return h;
}

int tool_kafka_option(tsd_kconf *kc, int c, const char *arg)
{
	char err[512];

	if (c == 'X' && tsd_kconf_set(kc, arg, err, sizeof err) < 0)
		tool_usage_error("-X: %s", err);
	else if (c == 'F' && tsd_kconf_file(kc, arg, err, sizeof err) < 0)
		tool_usage_error("-F: %s", err);
	return c == 'X' || c == 'F';
}

int64_t tool_kafka_start_offset(const char *arg, int grouped, int *by_time)
{
	*by_time = 0;
	if (!strcmp(arg, "beginning"))
		return RD_KAFKA_OFFSET_BEGINNING;
	if (!strcmp(arg, "end"))
		return RD_KAFKA_OFFSET_END;
	if (grouped)
		tool_usage_error("-o: with -G only 'beginning' or 'end' (where no offset is committed)");
	if (!strcmp(arg, "stored"))
		return RD_KAFKA_OFFSET_STORED;
	if (!strncmp(arg, "s@", 2)) {
		*by_time = 1;
		return tool_long("-o", arg + 2, 0, LONG_MAX);
	}
	if (arg[0] == '-')
		return RD_KAFKA_OFFSET_TAIL(tool_long("-o", arg + 1, 1, INT32_MAX));
	return tool_long("-o", arg, 0, LONG_MAX);
}

int tool_kafka_verbatim(const tool_io *io, int tfmt_set)
{
	return io->out_format != TSD_FMT_BIN && !tfmt_set && !io->precision && !io->in.time_unit;
}
