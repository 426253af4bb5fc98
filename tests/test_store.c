/* test_store.c: the SQLite backend of lib/store: rows and positions
 * committed together or not at all, upsert by (series, time), series by
 * glob, time ranges with the end excluded, a refused row named, a lock
 * waited for up to the busy timeout. (PostgreSQL: tests/cli/store-pg.sh,
 * against a real server.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store.h"
#include "tsd.h"

static char dir[64], db[160], path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/test_store.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/t.db", dir);
	snprintf(db, sizeof db, "sqlite:%s", path);
	return 0;
}

static int teardown(void **state)
{
	char cmd[160];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static tsd_store *open_db(void)
{
	tsd_store *s;
	tsd_store_opts o;
	char err[256];

	tsd_store_defaults(&o);
	o.busy_ms = 300;
	assert_int_equal(tsd_store_open(&s, db, &o, err, sizeof err), 0);
	assert_string_equal(tsd_store_kind(s), "sqlite");
	return s;
}

/* the rows of series in [from, to) as "t=v " text */
static void rows_of(tsd_store *s, const char *series, int64_t from, int64_t to, char *out, size_t cap)
{
	int64_t t;
	double v;
	size_t n = 0;
	int rc;

	out[0] = 0;
	assert_int_equal(tsd_store_query(s, series, from, to), 0);
	while ((rc = tsd_store_next(s, &t, &v)) == 1)
		n += (size_t)snprintf(out + n, cap - n, "%lld=%g ", (long long)t, v);
	assert_int_equal(rc, 0);
}

static void commit_rollback_upsert(void **state)
{
	tsd_store *s = open_db();
	char buf[256];
	int64_t off;

	(void)state;
	assert_int_equal(tsd_store_row(s, "a", 1, 10, 1.5), 0);
	assert_int_equal(tsd_store_row(s, "a", 1, 20, 2.5), 0);
	assert_int_equal(tsd_store_pos(s, "in", 2, 3, 77), 0);
	assert_int_equal(tsd_store_pending(s), 3);
	assert_int_equal(tsd_store_commit(s), 0);
	assert_int_equal(tsd_store_pending(s), 0);
	/* a transaction dropped leaves nothing: neither rows nor positions */
	assert_int_equal(tsd_store_row(s, "a", 1, 30, 3.5), 0);
	assert_int_equal(tsd_store_row(s, "b", 1, 30, 9), 0);
	assert_int_equal(tsd_store_pos(s, "in", 2, 3, 99), 0);
	assert_int_equal(tsd_store_rollback(s), 0);
	assert_int_equal(tsd_store_get_pos(s, "in", 3, &off), 1);
	assert_int_equal(off, 77);
	assert_int_equal(tsd_store_get_pos(s, "in", 4, &off), 0);
	rows_of(s, "a", INT64_MIN, INT64_MAX, buf, sizeof buf);
	assert_string_equal(buf, "10=1.5 20=2.5 ");
	/* the same (series, time) again: rewritten, not duplicated */
	assert_int_equal(tsd_store_row(s, "a", 1, 20, 4), 0);
	assert_int_equal(tsd_store_commit(s), 0);
	rows_of(s, "a", INT64_MIN, INT64_MAX, buf, sizeof buf);
	assert_string_equal(buf, "10=1.5 20=4 ");
	/* the end of a range is excluded */
	rows_of(s, "a", 10, 20, buf, sizeof buf);
	assert_string_equal(buf, "10=1.5 ");
	tsd_store_close(s);
	/* committed means on disk: a new connection sees it */
	s = open_db();
	assert_int_equal(tsd_store_get_pos(s, "in", 3, &off), 1);
	assert_int_equal(off, 77);
	tsd_store_close(s);
}

static void series_glob(void **state)
{
	tsd_store *s = open_db();
	char **names;
	size_t n;

	(void)state;
	assert_int_equal(tsd_store_row(s, "m2", 2, 1, 1), 0);
	assert_int_equal(tsd_store_row(s, "m10", 3, 1, 1), 0);
	assert_int_equal(tsd_store_row(s, "x", 1, 1, 1), 0);
	assert_int_equal(tsd_store_commit(s), 0);
	assert_int_equal(tsd_store_series(s, "m*", &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "m10");
	assert_string_equal(names[1], "m2");
	tsd_store_names_free(names, n);
	assert_int_equal(tsd_store_series(s, "m?", &names, &n), 0);
	assert_int_equal(n, 1);
	tsd_store_names_free(names, n);
	assert_int_equal(tsd_store_series(s, NULL, &names, &n), 0);
	assert_int_equal(n, 3);
	tsd_store_names_free(names, n);
	tsd_store_close(s);
}

static void refused_row(void **state)
{
	tsd_store *s = open_db();
	sqlite3 *h;
	const char *name;
	size_t len;
	int64_t t;
	double v;

	(void)state;
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "CREATE TRIGGER cap BEFORE INSERT ON tsd_samples WHEN new.value > 50 "
				      "BEGIN SELECT RAISE(ABORT, 'too big'); END", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(tsd_store_row(s, "c", 1, 1, 1), 0);
	/* rows go in by statements of several: the refusal comes at the
	 * commit at the latest, and names the row */
	int rc = tsd_store_row(s, "c", 1, 2, 99);
	if (rc == 0)
		rc = tsd_store_commit(s);
	assert_int_equal(rc, TSD_EFORMAT);
	assert_non_null(strstr(tsd_store_errmsg(s), "too big"));
	assert_int_equal(tsd_store_bad_row(s, &name, &len, &t, &v), 1);
	assert_int_equal(len, 1);
	assert_memory_equal(name, "c", 1);
	assert_int_equal(t, 2);
	assert_true(v == 99);
	tsd_store_close(s);
}

static int collect(const char *text, size_t n, void *arg)
{
	char *buf = arg;
	strncat(buf, text, n);
	strcat(buf, "|");
	return 0;
}

static void carried_state(void **state)
{
	tsd_store *s = open_db();
	char got[512] = "";

	(void)state;
	/* two of one key in a transaction: the later stays; a rolled back
	 * one leaves nothing */
	assert_int_equal(tsd_store_carry(s, "merge 1:a upto=1 -", 18), 0);
	assert_int_equal(tsd_store_carry(s, "merge 1:a upto=2 -", 18), 0);
	assert_int_equal(tsd_store_carry(s, "thresh 1:a upto=2 n=4 pts=1", 27), 0);
	assert_int_equal(tsd_store_pos(s, "t", 1, 0, 9), 0);
	assert_int_equal(tsd_store_commit(s), 0);
	assert_int_equal(tsd_store_carry(s, "merge 1:a upto=3 -", 18), 0);
	assert_int_equal(tsd_store_rollback(s), 0);
	assert_int_equal(tsd_store_carry(s, "merge a -", 9), TSD_EFORMAT);
	assert_int_equal(tsd_store_carries(s, collect, got), 0);
	assert_true(!strcmp(got, "merge 1:a upto=2 -|thresh 1:a upto=2 n=4 pts=1|") ||
		    !strcmp(got, "thresh 1:a upto=2 n=4 pts=1|merge 1:a upto=2 -|"));
	tsd_store_close(s);
}

static void lock_waits(void **state)
{
	tsd_store *s = open_db();
	sqlite3 *h;

	(void)state;
	/* another connection holds the write lock: the busy timeout (300 ms)
	 * runs out, and the transaction fails as a whole */
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(tsd_store_row(s, "l", 1, 1, 1), TSD_EIO);
	assert_non_null(strstr(tsd_store_errmsg(s), "locked"));
	assert_int_equal(sqlite3_exec(h, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(tsd_store_row(s, "l", 1, 1, 1), 0);
	assert_int_equal(tsd_store_commit(s), 0);
	tsd_store_close(s);
}

static void bad_names(void **state)
{
	tsd_store *s;
	char err[256];

	(void)state;
	assert_int_equal(tsd_store_open(&s, "r.db", NULL, err, sizeof err), TSD_EINVAL);
	assert_null(s);
	assert_non_null(strstr(err, "not a database name"));
	assert_int_equal(tsd_store_open(&s, "sqlite:", NULL, err, sizeof err), TSD_EINVAL);
	assert_int_equal(tsd_store_open(&s, "sqlite:/nonexistent/dir/x.db", NULL, err, sizeof err), TSD_EIO);
	assert_non_null(strstr(err, "unable to open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(commit_rollback_upsert, setup, teardown),
		cmocka_unit_test_setup_teardown(series_glob, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_row, setup, teardown),
		cmocka_unit_test_setup_teardown(carried_state, setup, teardown),
		cmocka_unit_test_setup_teardown(lock_waits, setup, teardown),
		cmocka_unit_test(bad_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
