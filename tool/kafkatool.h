/* kafkatool.h: the librdkafka set-up that tsconsume and tsproduce share:
 * properties from -b, -X and -F, the log switch, and the side handle that
 * reads and commits a group's offsets without joining it; and their rules
 * that stand alone: -o's start offsets, verbatim CSV lines. */
#ifndef TSD_KAFKATOOL_H
#define TSD_KAFKATOOL_H

#include <librdkafka/rdkafka.h>

#include "kafka.h"
#include "tool.h"

/* kcat's -X name=value and -F FILE (properties for librdkafka) into kc:
 * returns 1 when c is one of them (a bad one is a usage error), else 0. */
int tool_kafka_option(tsd_kconf *kc, int c, const char *arg);

/* -v: librdkafka's log messages on stderr (as "tool: kafka: ..."). */
extern int tool_kafka_verbose;

/* Set one property; strict: one that does not apply is a usage error
 * naming -X, else it is skipped. */
void tool_kafka_set(rd_kafka_conf_t *conf, const char *name, const char *value, int strict);
/* bootstrap.servers from -b (when brokers is not NULL), then every -X and
 * -F property in kc, which so override what was set before; and the log
 * callback. strict as for tool_kafka_set: 0 for a side handle of another
 * kind (a producer's properties need not apply to a consumer). */
void tool_kafka_apply(rd_kafka_conf_t *conf, const char *brokers, const tsd_kconf *kc, int strict);
/* A consumer handle for the offsets of group: it never subscribes, so it
 * is no member; rd_kafka_committed and rd_kafka_commit work through it.
 * Dies on failure. */
rd_kafka_t *tool_kafka_offsets(const char *brokers, const tsd_kconf *kc, const char *group);

/* tsconsume's -o (kcat's start offsets): beginning, end, stored (the
 * committed offset of -X group.id), N (absolute), -N (N before the end),
 * s@MS (the first message at or after time MS). With a group (grouped:
 * -G) only beginning and end apply: where a partition without a committed
 * offset starts. Returns the logical or absolute offset for librdkafka;
 * for s@MS, the time in ms, with *by_time set (rd_kafka_offsets_for_times
 * resolves it). A bad one is a usage error naming -o. */
int64_t tool_kafka_start_offset(const char *arg, int grouped, int *by_time);

/* Whether CSV lines can go through as they came (tsconsume's output,
 * tsproduce's payloads): CSV output, and none of the options that change
 * a line (--time-format, given as tfmt_set; --precision; --time-unit). */
int tool_kafka_verbatim(const tool_io *io, int tfmt_set);

#endif
