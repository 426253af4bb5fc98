/* position.h: source positions and the control records that carry them.
 *
 * A source position names a Kafka partition and the next offset to read
 * from it. Positions travel in streams as CONTROL records (lib/record.h);
 * in CSV streams, in stores and in messages they take one text form, made
 * and read here only:
 *
 *     #tsd pos topic=T partition=P offset=O       what = TSD_CTL_POSITION
 *     #tsd revoke topic=T partition=P offset=O    what = TSD_CTL_REVOKE
 *
 *     #tsd save TEXT                              what = TSD_CTL_SAVE
 *     #tsd load TEXT                              what = TSD_CTL_LOAD
 *     #tsd group TEXT                             what = TSD_CTL_GROUP
 *
 * T is 1 to TSD_TOPIC_MAX bytes without blanks or control characters; P an
 * int32, O an int64 (-1: nothing read yet). The end mark of a source is
 * "#tsd pos topic=- partition=-1 offset=-1" (see ctlq.h).
 *
 * A position table keeps the latest position of each partition, in the
 * order they first appeared, with a dirty flag per entry and flags that
 * belong to the caller. Entries never move: a pointer stays valid until the
 * table is freed. Lookups are by (topic, partition); a hint makes the
 * common case (the same partition again) one comparison.
 */
#ifndef TSD_POSITION_H
#define TSD_POSITION_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"

#define TSD_TOPIC_MAX 255
/* longest text form of a position, line end included */
#define TSD_POS_LINE_MAX (TSD_TOPIC_MAX + 80)
/* longest TEXT of a save or load, and the longest line of any form */
#define TSD_CARRY_MAX 65000
#define TSD_CTL_LINE_MAX (TSD_CARRY_MAX + 16)

/* The text form of k with its '\n' in buf (cap bytes, at least
 * TSD_POS_LINE_MAX + 1 for any k; NUL-terminated). Returns its length, or
 * TSD_EINVAL for an unknown kind or a bad topic, TSD_ESIZE when cap is too
 * small. */
int tsd_pos_format(char *buf, size_t cap, const tsd_control *k);
/* Parse one text form (n bytes, with or without its "\n" or "\r\n"). The
 * topic is copied into topic (cap >= TSD_TOPIC_MAX + 1, NUL-terminated)
 * and k->topic points there. 0, or TSD_EFORMAT. */
int tsd_pos_parse(tsd_control *k, char *topic, size_t cap, const char *s, size_t n);
/* 1 when t (n bytes) is a topic the text form can carry. */
int tsd_pos_topic_ok(const char *t, size_t n);

/* Carried state (SAVE and LOAD records). Their TEXT is
 *
 *     STAGE LEN:NAME DATA
 *
 * STAGE the stage that carries it (thresh, merge: no blank), NAME the
 * series (LEN bytes, any bytes but line ends), DATA the stage's own
 * encoding (no line end). 1 to TSD_CARRY_MAX bytes in all. */
int tsd_carry_text_ok(const char *s, size_t n);
/* Make the TEXT in buf (cap bytes; NUL-terminated): its length, or
 * TSD_ESIZE (too long), TSD_EINVAL (a line end in it). */
int tsd_carry_format(char *buf, size_t cap, const char *stage, const char *name, size_t nlen,
		     const char *data, size_t dlen);
/* Split a TEXT (n bytes) into its parts (pointers into s). 0, or
 * TSD_EFORMAT. */
int tsd_carry_split(const char *s, size_t n, const char **stage, size_t *slen, const char **name,
		    size_t *nlen, const char **data, size_t *dlen);

/* Group generations (GROUP records). Their TEXT is
 *
 *     VERSION HEX MEMBER
 *
 * VERSION the librdkafka version that wrote the metadata (8 lower-case hex
 * digits, as rd_kafka_version() gives it), HEX the metadata's bytes (1 to
 * TSD_GROUP_META_MAX, two lower-case hex digits each, as
 * rd_kafka_consumer_group_metadata_write() gives them: the group, the
 * member and the generation; only the same librdkafka can read them),
 * MEMBER the member id, for people (any bytes but line ends; "-" when
 * there is none). */
#define TSD_GROUP_META_MAX 16000
/* Make the TEXT in buf (cap bytes; NUL-terminated): its length, or
 * TSD_ESIZE, TSD_EINVAL (no metadata, a line end in member). */
int tsd_group_format(char *buf, size_t cap, uint32_t version, const void *meta, size_t len, const char *member,
		     size_t mlen);
/* Read a TEXT (n bytes): the metadata into meta (cap bytes) with its
 * length in *len, the member as a pointer into s. 0, TSD_EFORMAT or
 * TSD_ESIZE (cap too small). */
int tsd_group_parse(const char *s, size_t n, uint32_t *version, unsigned char *meta, size_t cap, size_t *len,
		    const char **member, size_t *mlen);

typedef struct {
	char *topic;           /* NUL-terminated */
	uint16_t topic_len;
	int32_t partition;
	int64_t offset;        /* next offset to read; -1: none yet */
	int dirty;             /* changed since the caller last cleared it */
	unsigned flags;        /* the caller's */
} tsd_pos;

typedef struct tsd_postab tsd_postab;

int tsd_postab_new(tsd_postab **t);
void tsd_postab_free(tsd_postab *t);
/* The entry of (topic, partition) in *e, added (offset -1, clean, flags
 * 0) when absent. 0, TSD_ENOMEM or TSD_EINVAL (topic too long). */
int tsd_postab_get(tsd_postab *t, tsd_pos **e, const char *topic, size_t topic_len, int32_t partition);
/* The entry, or NULL when absent. */
tsd_pos *tsd_postab_find(tsd_postab *t, const char *topic, size_t topic_len, int32_t partition);
/* The position k (kind TSD_CTL_POSITION) becomes its partition's latest:
 * offset set, entry dirty. *e (when e is not NULL) is the entry. */
int tsd_postab_set(tsd_postab *t, tsd_pos **e, const tsd_control *k);
size_t tsd_postab_len(const tsd_postab *t);
/* Entries in order of first appearance, i < tsd_postab_len. */
tsd_pos *tsd_postab_at(tsd_postab *t, size_t i);
/* A control record of kind what for entry e (its topic points into e). */
void tsd_pos_control(tsd_control *k, const tsd_pos *e, int what);

#endif
