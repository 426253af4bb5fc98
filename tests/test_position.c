/* test_position.c: the text form of positions reads back as written, the
 * parser refuses what is not exactly that form, and the table finds,
 * adds and keeps its entries in place; carried state (save and load
 * records, thresh's run, merge's fit) reads back bit for bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ctlq.h"
#include "position.h"
#include "reduce.h"
#include "select.h"
#include "tsd.h"

static tsd_control ctl(int what, const char *topic, int32_t part, int64_t off)
{
	tsd_control k;

	memset(&k, 0, sizeof k);
	k.what = (uint16_t)what;
	k.topic = topic;
	k.topic_len = (uint16_t)strlen(topic);
	k.partition = part;
	k.offset = off;
	return k;
}

static void round_trip(void **state)
{
	static const int64_t offs[] = { 0, 1, -1, 42, INT64_MAX, INT64_MIN, 1000000007 };
	static const int32_t parts[] = { 0, 3, -1, INT32_MAX, INT32_MIN };
	char line[TSD_POS_LINE_MAX + 1], topic[TSD_TOPIC_MAX + 1], ref[400];
	tsd_control k, back;

	(void)state;
	for (int what = TSD_CTL_POSITION; what <= TSD_CTL_REVOKE; what++)
		for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++)
			for (size_t j = 0; j < sizeof parts / sizeof parts[0]; j++) {
				k = ctl(what, "sensors.raw-1", parts[j], offs[i]);
				int n = tsd_pos_format(line, sizeof line, &k);
				/* the same text as printf gives */
				snprintf(ref, sizeof ref, "#tsd %s topic=sensors.raw-1 partition=%d offset=%lld\n",
					 what == TSD_CTL_POSITION ? "pos" : "revoke", (int)parts[j], (long long)offs[i]);
				assert_string_equal(line, ref);
				assert_int_equal(n, (int)strlen(ref));
				assert_int_equal(tsd_pos_parse(&back, topic, sizeof topic, line, (size_t)n), 0);
				assert_int_equal(back.what, what);
				assert_int_equal(back.partition, parts[j]);
				assert_true(back.offset == offs[i]);
				assert_int_equal(back.topic_len, 13);
				assert_memory_equal(back.topic, "sensors.raw-1", 13);
				assert_ptr_equal(back.topic, topic);
			}
	/* the end mark */
	tsd_ctl_end(&k);
	assert_int_equal(tsd_pos_format(line, sizeof line, &k), 40);
	assert_string_equal(line, "#tsd pos topic=- partition=-1 offset=-1\n");
	/* the longest topic fits the bound */
	memset(topic, 'x', TSD_TOPIC_MAX);
	k = ctl(TSD_CTL_REVOKE, "", INT32_MIN, INT64_MIN);
	k.topic = topic;
	k.topic_len = TSD_TOPIC_MAX;
	assert_true(tsd_pos_format(line, sizeof line, &k) > 0);
	assert_int_equal(tsd_pos_format(line, 20, &k), TSD_ESIZE);
}

static void refusals(void **state)
{
	static const char *const bad[] = {
		"", "#tsd", "#tsd pos", "#tsd pos topic= partition=0 offset=0",
		"#tsd pos topic=a partition=0", "#tsd pos topic=a partition=0 offset=",
		"#tsd pos topic=a partition=0 offset=1 ", "#tsd pos topic=a partition=0 offset=1x",
		"#tsd pos topic=a partition=2147483648 offset=1", "#tsd pos topic=a partition=0 offset=9223372036854775808",
		"#tsd pos topic=a partition=0 offset=--1", "#tsd pos topic=a partition=+1 offset=1",
		"#tsd poss topic=a partition=0 offset=1", "#tsd posi topic=a partition=0 offset=1",
		"#tsd move topic=a partition=0 offset=1", "#tsd  pos topic=a partition=0 offset=1",
		"#tsd pos topic=a\tb partition=0 offset=1", "#tsd pos topic=a  partition=0 offset=1",
		"#tsd pos partition=0 topic=a offset=1", "#tsd pos topic=a partition=- offset=1",
	};
	char topic[TSD_TOPIC_MAX + 1], big[600];
	tsd_control k;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(tsd_pos_parse(&k, topic, sizeof topic, bad[i], strlen(bad[i])), TSD_EFORMAT);
	/* line ends are optional and only at the end */
	assert_int_equal(tsd_pos_parse(&k, topic, sizeof topic, "#tsd pos topic=a partition=0 offset=1\r\n", 39), 0);
	assert_int_equal(tsd_pos_parse(&k, topic, sizeof topic, "#tsd pos topic=a partition=0 offset=1\n\n", 39),
			 TSD_EFORMAT);
	/* a topic past the bound */
	int n = snprintf(big, sizeof big, "#tsd pos topic=%0*d partition=0 offset=1", TSD_TOPIC_MAX + 1, 0);
	assert_int_equal(tsd_pos_parse(&k, topic, sizeof topic, big, (size_t)n), TSD_EFORMAT);
	/* an unknown kind or a topic with a blank has no text form */
	k = ctl(9, "a", 0, 0);
	assert_int_equal(tsd_pos_format(big, sizeof big, &k), TSD_EINVAL);
	k = ctl(TSD_CTL_POSITION, "a b", 0, 0);
	assert_int_equal(tsd_pos_format(big, sizeof big, &k), TSD_EINVAL);
}

static void table(void **state)
{
	tsd_postab *t;
	tsd_pos *e, *first, *again;
	tsd_control k;
	char name[32];

	(void)state;
	assert_int_equal(tsd_postab_new(&t), 0);
	assert_null(tsd_postab_find(t, "in", 2, 0));
	assert_int_equal(tsd_postab_get(t, &first, "in", 2, 0), 0);
	assert_true(first->offset == -1);
	assert_false(first->dirty);
	/* many entries: the first stays where it was */
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof name, "t%d", i % 7);
		k = ctl(TSD_CTL_POSITION, name, i / 7, 10 * i);
		assert_int_equal(tsd_postab_set(t, &e, &k), 0);
		assert_true(e->dirty && e->offset == 10 * i);
	}
	assert_int_equal(tsd_postab_len(t), 101);
	assert_ptr_equal(tsd_postab_at(t, 0), first);
	assert_int_equal(tsd_postab_get(t, &again, "in", 2, 0), 0);
	assert_ptr_equal(again, first);
	/* same topic, other partition; same partition, other topic */
	assert_null(tsd_postab_find(t, "in", 2, 1));
	assert_null(tsd_postab_find(t, "i", 1, 0));
	e = tsd_postab_find(t, "t3", 2, 2);
	assert_non_null(e);
	assert_true(e->offset == 170);
	/* a later position replaces the offset */
	k = ctl(TSD_CTL_POSITION, "t3", 2, 5);
	assert_int_equal(tsd_postab_set(t, NULL, &k), 0);
	assert_true(e->offset == 5);
	tsd_pos_control(&k, e, TSD_CTL_REVOKE);
	assert_int_equal(k.what, TSD_CTL_REVOKE);
	assert_int_equal(k.partition, 2);
	assert_true(k.offset == 5);
	assert_int_equal(k.topic_len, 2);
	assert_null(tsd_postab_at(t, 101));
	tsd_postab_free(t);
}

static void carried(void **state)
{
	static char line[TSD_CTL_LINE_MAX], text[TSD_CARRY_MAX + 1], back_t[TSD_CTL_LINE_MAX];
	const char *st, *nm, *d;
	size_t sl, nl, dl;
	tsd_control k, back;

	(void)state;
	/* a series name with blanks, a colon and digits */
	int n = tsd_carry_format(text, sizeof text, "merge", "a b:12 c", 8, "upto=5 -", 8);
	assert_int_equal(n, (int)strlen("merge 8:a b:12 c upto=5 -"));
	assert_string_equal(text, "merge 8:a b:12 c upto=5 -");
	assert_int_equal(tsd_carry_split(text, (size_t)n, &st, &sl, &nm, &nl, &d, &dl), 0);
	assert_int_equal(sl, 5);
	assert_memory_equal(st, "merge", 5);
	assert_int_equal(nl, 8);
	assert_memory_equal(nm, "a b:12 c", 8);
	assert_int_equal(dl, 8);
	assert_memory_equal(d, "upto=5 -", 8);
	/* save and load lines */
	for (int what = TSD_CTL_SAVE; what <= TSD_CTL_LOAD; what++) {
		k = ctl(what, text, 0, 0);
		int m = tsd_pos_format(line, sizeof line, &k);
		assert_int_equal(m, n + 11);
		assert_memory_equal(line, what == TSD_CTL_SAVE ? "#tsd save " : "#tsd load ", 10);
		assert_int_equal(tsd_pos_parse(&back, back_t, sizeof back_t, line, (size_t)m), 0);
		assert_int_equal(back.what, what);
		assert_int_equal(back.topic_len, n);
		assert_memory_equal(back.topic, text, (size_t)n);
	}
	/* refused: a line end inside, no name length, a name past the end,
	 * a text too long */
	assert_int_equal(tsd_carry_format(text, sizeof text, "merge", "a\nb", 3, "-", 1), TSD_EINVAL);
	assert_int_equal(tsd_carry_split("merge a:b -", 11, &st, &sl, &nm, &nl, &d, &dl), TSD_EFORMAT);
	assert_int_equal(tsd_carry_split("merge 9:ab -", 12, &st, &sl, &nm, &nl, &d, &dl), TSD_EFORMAT);
	assert_int_equal(tsd_carry_split("merge 2:ab", 10, &st, &sl, &nm, &nl, &d, &dl), TSD_EFORMAT);
	assert_int_equal(tsd_pos_parse(&back, back_t, sizeof back_t, "#tsd save ", 10), TSD_EFORMAT);
	memset(line, 'x', TSD_CARRY_MAX + 1);
	k = ctl(TSD_CTL_SAVE, "", 0, 0);
	k.topic = line;
	k.topic_len = TSD_CARRY_MAX + 1;
	assert_int_equal(tsd_pos_format(back_t, sizeof back_t, &k), TSD_EINVAL);

	/* thresh's run */
	tsd_select_run r = { .n = UINT64_MAX, .pts = 7 }, r2;
	n = tsd_select_run_save(text, sizeof text, &r);
	assert_string_equal(text, "n=18446744073709551615 pts=7");
	assert_int_equal(tsd_select_run_load(&r2, text, (size_t)n), 0);
	assert_true(r2.n == r.n && r2.pts == r.pts);
	assert_int_equal(tsd_select_run_load(&r2, "n=1 pts=", 8), TSD_EFORMAT);
	assert_int_equal(tsd_select_run_load(&r2, "n=18446744073709551616 pts=1", 28), TSD_EFORMAT);
	assert_int_equal(tsd_select_run_save(text, 5, &r), -1);

	/* merge's fit: values read back bit for bit */
	int64_t t[3] = { -5, 1000, 1700000000000000000 }, t2[8];
	double y[3] = { 0.1, -1e-300, 1.0 / 3 }, y2[8], vl = 2.0 / 3, vl2;
	int64_t tl = -7, tl2;
	int have;
	size_t nt;
	n = tsd_reduce_carry_save(text, sizeof text, 1, tl, vl, 3, t, y);
	assert_true(n > 0);
	assert_int_equal(tsd_reduce_carry_load(text, (size_t)n, &have, &tl2, &vl2, &nt, t2, y2, 8), 0);
	assert_int_equal(have, 1);
	assert_true(tl2 == tl && nt == 3);
	assert_memory_equal(&vl2, &vl, sizeof vl);
	assert_memory_equal(t2, t, sizeof t);
	assert_memory_equal(y2, y, sizeof y);
	assert_int_equal(tsd_reduce_carry_load(text, (size_t)n, &have, &tl2, &vl2, &nt, t2, y2, 2), TSD_ESIZE);
	n = tsd_reduce_carry_save(text, sizeof text, 0, 0, 0, 0, NULL, NULL);
	assert_string_equal(text, "-");
	assert_int_equal(tsd_reduce_carry_load(text, (size_t)n, &have, &tl2, &vl2, &nt, t2, y2, 8), 0);
	assert_int_equal(have, 0);
	assert_int_equal(tsd_reduce_carry_load("tl=1 vl=0x1p+0 n=1 0:1", 22, &have, &tl2, &vl2, &nt, t2, y2, 8),
			 TSD_EFORMAT); /* a sample not after tl */
	assert_int_equal(tsd_reduce_carry_load("tl=1 vl=0x1p+0 n=2 1:1", 22, &have, &tl2, &vl2, &nt, t2, y2, 8),
			 TSD_EFORMAT); /* fewer samples than said */
}

/* Group generations: the text round-trips, every byte value survives, and
 * a damaged text is refused rather than read as other metadata. */
static void group(void **state)
{
	unsigned char meta[300], back[300];
	char text[1024], line[1100], topic[1100];
	const char *mem;
	size_t len, ml;
	uint32_t ver;
	tsd_control k = { .what = TSD_CTL_GROUP }, r;
	int n;

	(void)state;
	for (size_t i = 0; i < sizeof meta; i++)
		meta[i] = (unsigned char)(i * 37 + 11);
	n = tsd_group_format(text, sizeof text, 0x020002ffu, meta, sizeof meta, "rdkafka-1 b", 11);
	assert_int_equal(n, 8 + 1 + 600 + 1 + 11);
	assert_memory_equal(text, "020002ff ", 9);
	assert_int_equal(tsd_group_parse(text, (size_t)n, &ver, back, sizeof back, &len, &mem, &ml), 0);
	assert_int_equal(ver, 0x020002ffu);
	assert_int_equal(len, sizeof meta);
	assert_memory_equal(back, meta, sizeof meta);
	assert_int_equal(ml, 11);
	assert_memory_equal(mem, "rdkafka-1 b", 11);
	/* as a line, and back */
	k.topic = text;
	k.topic_len = (uint16_t)n;
	int l = tsd_pos_format(line, sizeof line, &k);
	assert_int_equal(l, 11 + n + 1);
	assert_memory_equal(line, "#tsd group 020002ff ", 20);
	assert_int_equal(tsd_pos_parse(&r, topic, sizeof topic, line, (size_t)l), 0);
	assert_int_equal(r.what, TSD_CTL_GROUP);
	assert_int_equal(r.topic_len, n);
	assert_memory_equal(r.topic, text, (size_t)n);
	/* no member: "-" */
	n = tsd_group_format(text, sizeof text, 1, meta, 2, "", 0);
	assert_string_equal(text, "00000001 0b30 -");
	/* refusals */
	assert_int_equal(tsd_group_format(text, sizeof text, 1, meta, 0, "m", 1), TSD_EINVAL);
	assert_int_equal(tsd_group_format(text, 20, 1, meta, 8, "m", 1), TSD_ESIZE);
	assert_int_equal(tsd_group_format(text, sizeof text, 1, meta, 2, "a\nb", 3), TSD_EINVAL);
	assert_int_equal(tsd_group_parse("00000001 0b30 -", 15, &ver, back, 1, &len, &mem, &ml), TSD_ESIZE);
	static const char *const bad[] = {
		"0000001 0b30 -",  "00000001 0b3 -", "00000001 0B30 -", "00000001 0b30",  "00000001 0b30 ",
		"00000001  0b30 -", "0000000g 0b30 -", "00000001 0bx0 -", "00000001-0b30 -", "",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(tsd_group_parse(bad[i], strlen(bad[i]), &ver, back, sizeof back, &len, &mem, &ml),
				 TSD_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(refusals),
		cmocka_unit_test(table),
		cmocka_unit_test(carried),
		cmocka_unit_test(group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
