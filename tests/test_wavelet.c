/* test_wavelet.c: the built-in filter banks equal PyWavelets 1.1.1's bit
 * for bit (testdata/pywt/filters.txt, hex floats written by
 * scripts/gen-pywt-ref.py), and names and ids are found and stable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wavelet.h"

#define NWAVELETS 45   /* haar, db1-db20, sym2-sym20, coif1-coif5 */

static FILE *open_testdata(const char *name)
{
	const char *dir = getenv("TSD_TESTDATA");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "testdata", name);
	f = fopen(path, "r");
	if (!f)
		print_error("cannot open %s (run from the top of the tree "
			    "or set TSD_TESTDATA)\n", path);
	assert_non_null(f);
	return f;
}

static const double *pick(const tsd_wavelet *w, const char *kind)
{
	if (strcmp(kind, "dec_lo") == 0)
		return w->dec_lo;
	if (strcmp(kind, "dec_hi") == 0)
		return w->dec_hi;
	if (strcmp(kind, "rec_lo") == 0)
		return w->rec_lo;
	if (strcmp(kind, "rec_hi") == 0)
		return w->rec_hi;
	return NULL;
}

/* Every coefficient of every filter equals pywt's exactly (==). */
static void test_coefficients_exact(void **state)
{
	FILE *f = open_testdata("pywt/filters.txt");
	char name[32], kind[16], num[64];
	unsigned F, k, lines = 0;
	int seen[NWAVELETS + 1] = { 0 };

	(void)state;
	while (fscanf(f, "%31s %15s %u", name, kind, &F) == 3) {
		const tsd_wavelet *w = tsd_wavelet_find(name);
		const double *c;

		if (!w)
			print_error("pywt wavelet %s missing\n", name);
		assert_non_null(w);
		assert_int_equal(w->len, F);
		c = pick(w, kind);
		assert_non_null(c);
		for (k = 0; k < F; k++) {
			char *end;
			double ref;

			assert_int_equal(fscanf(f, "%63s", num), 1);
			ref = strtod(num, &end);
			assert_true(*end == '\0');
			if (c[k] != ref)
				print_error("%s %s[%u] = %.17g, pywt %.17g\n",
					    name, kind, k, c[k], ref);
			assert_true(c[k] == ref);
		}
		assert_true(w->id >= 1 && w->id <= NWAVELETS);
		seen[w->id]++;
		lines++;
	}
	fclose(f);
	/* four filters for each of the 45 wavelets, none left out */
	assert_int_equal(lines, 4 * NWAVELETS);
	for (k = 1; k <= NWAVELETS; k++)
		assert_int_equal(seen[k], 4);
}

static void test_listing(void **state)
{
	size_t i, j;

	(void)state;
	assert_int_equal(tsd_wavelet_count(), NWAVELETS);
	assert_null(tsd_wavelet_at(NWAVELETS));
	for (i = 0; i < tsd_wavelet_count(); i++) {
		const tsd_wavelet *w = tsd_wavelet_at(i);

		assert_non_null(w);
		assert_ptr_equal(tsd_wavelet_find(w->name), w);
		assert_true(w->len >= 2 && w->len % 2 == 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(tsd_wavelet_at(j)->name,
						w->name);
	}
}

static void test_find(void **state)
{
	(void)state;
	assert_int_equal(tsd_wavelet_find("haar")->len, 2);
	assert_int_equal(tsd_wavelet_find("db4")->len, 8);
	assert_int_equal(tsd_wavelet_find("db20")->len, 40);
	assert_int_equal(tsd_wavelet_find("sym20")->len, 40);
	assert_int_equal(tsd_wavelet_find("coif5")->len, 30);
	assert_null(tsd_wavelet_find("db21"));
	assert_null(tsd_wavelet_find("sym1"));
	assert_null(tsd_wavelet_find("DB4"));
	assert_null(tsd_wavelet_find("db"));
	assert_null(tsd_wavelet_find(""));
	assert_null(tsd_wavelet_find("bior1.3"));
	assert_null(tsd_wavelet_find(NULL));
}

/* Ids are stored in frames: these must never change. */
static void test_ids_stable(void **state)
{
	static const struct { const char *name; uint8_t id; } fixed[] = {
		{ "haar", 1 }, { "db1", 2 }, { "db4", 5 }, { "db20", 21 },
		{ "sym2", 22 }, { "sym8", 28 }, { "sym20", 40 },
		{ "coif1", 41 }, { "coif5", 45 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		const tsd_wavelet *w = tsd_wavelet_find(fixed[i].name);

		assert_non_null(w);
		assert_int_equal(tsd_wavelet_id(w), fixed[i].id);
		assert_ptr_equal(tsd_wavelet_by_id(fixed[i].id), w);
	}
	for (i = 0; i < tsd_wavelet_count(); i++) {
		const tsd_wavelet *w = tsd_wavelet_at(i);

		assert_ptr_equal(tsd_wavelet_by_id(tsd_wavelet_id(w)), w);
	}
	assert_null(tsd_wavelet_by_id(0));
	assert_null(tsd_wavelet_by_id(NWAVELETS + 1));
	assert_null(tsd_wavelet_by_id(255));
	assert_int_equal(tsd_wavelet_id(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_coefficients_exact),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_ids_stable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
