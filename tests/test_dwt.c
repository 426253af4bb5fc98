/* test_dwt.c: the dwt against PyWavelets 1.1.1 reference outputs
 * (testdata/pywt/<wavelet>.bin from scripts/gen-pywt-ref.py), perfect
 * reconstruction, lengths, support spans and error codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsd.h"
#include "dwt.h"

/* |got - pywt| <= TOL_REF * max(1, max |pywt| over the band) */
#define TOL_REF 1e-12
/* |waverec(wavedec(x)) - x| <= TOL_PR * max(1, max |x|, max |coeffs|):
 * smooth and antireflect extrapolate, so deep levels can hold
 * coefficients 1e6 times the input and the sums lose as much (pywt's own
 * round trip of sym2/smooth at n = 65549 is off by 1e-7). */
#define TOL_PR 1e-9

/* The reference file's input sequence (see scripts/gen-pywt-ref.py):
 * a 64-bit LCG, values k/64 for k in [-1000, 1000]. */
static void gen(double *out, size_t n)
{
	uint64_t s = 0x853c49e6748fea9bULL;
	size_t i;

	for (i = 0; i < n; i++) {
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		out[i] = (double)((int64_t)((s >> 33) % 2001) - 1000) / 64.0;
	}
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	assert_non_null(p);
	return p;
}

static unsigned char *read_testdata(const char *name, size_t *len)
{
	const char *dir = getenv("TSD_TESTDATA");
	char path[512];
	unsigned char *buf;
	FILE *f;
	long sz;

	snprintf(path, sizeof(path), "%s/pywt/%s", dir ? dir : "testdata",
		 name);
	f = fopen(path, "rb");
	if (!f)
		print_error("cannot open %s (run from the top of the tree "
			    "or set TSD_TESTDATA)\n", path);
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	sz = ftell(f);
	assert_true(sz > 0);
	rewind(f);
	buf = xmalloc((size_t)sz);
	assert_int_equal(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	*len = (size_t)sz;
	return buf;
}

/* Little-endian readers that check the bounds. */
struct reader {
	const unsigned char *p;
	size_t len, pos;
};

static uint32_t rd_u32(struct reader *r)
{
	uint32_t v = 0;
	int i;

	assert_true(r->len - r->pos >= 4);
	for (i = 3; i >= 0; i--)
		v = v << 8 | r->p[r->pos + (size_t)i];
	r->pos += 4;
	return v;
}

static double rd_f64(struct reader *r)
{
	uint64_t v = 0;
	double d;
	int i;

	assert_true(r->len - r->pos >= 8);
	for (i = 7; i >= 0; i--)
		v = v << 8 | r->p[r->pos + (size_t)i];
	r->pos += 8;
	memcpy(&d, &v, sizeof(d));
	return d;
}

#define MAXB 16   /* bands in one record */

struct record {
	unsigned kind, mode, n, J, nb;
	size_t lens[MAXB], total;
	double *v;   /* (total) the bands one after the other */
};

static int next_record(struct reader *r, struct record *rec)
{
	size_t i;

	if (r->pos == r->len)
		return 0;
	rec->kind = rd_u32(r);
	rec->mode = rd_u32(r);
	rec->n = rd_u32(r);
	rec->J = rd_u32(r);
	rec->nb = rd_u32(r);
	assert_true(rec->nb >= 1 && rec->nb <= MAXB);
	rec->total = 0;
	for (i = 0; i < rec->nb; i++) {
		rec->lens[i] = rd_u32(r);
		rec->total += rec->lens[i];
	}
	rec->v = xmalloc(rec->total * sizeof(double));
	for (i = 0; i < rec->total; i++)
		rec->v[i] = rd_f64(r);
	return 1;
}

/* Compare got against the record's bands, band by band. */
static void check_bands(const tsd_wavelet *w, const struct record *rec,
			const double *got)
{
	size_t b, i, pos = 0;

	for (b = 0; b < rec->nb; b++) {
		const double *ref = rec->v + pos;
		double scale = 1;

		for (i = 0; i < rec->lens[b]; i++)
			if (fabs(ref[i]) > scale)
				scale = fabs(ref[i]);
		for (i = 0; i < rec->lens[b]; i++) {
			double err = fabs(got[pos + i] - ref[i]);

			if (!(err <= TOL_REF * scale)) {
				print_error("%s %s kind %u n %u J %u band %zu "
					    "[%zu]: got %.17g, pywt %.17g\n",
					    w->name, tsd_mode_name(rec->mode),
					    rec->kind, rec->n, rec->J, b, i,
					    got[pos + i], ref[i]);
				fail();
			}
		}
		pos += rec->lens[b];
	}
}

static void check_record(const tsd_wavelet *w, const struct record *rec)
{
	enum tsd_mode mode = rec->mode;
	double *x, *got, *work = NULL;
	size_t n = rec->n, i, wl;
	size_t lens[MAXB];

	assert_true(rec->mode < TSD_MODE_COUNT);
	x = xmalloc(2 * (n + rec->total) * sizeof(double));
	got = xmalloc((rec->total + 1) * sizeof(double));
	switch (rec->kind) {
	case 0:   /* wavedec */
		gen(x, n);
		assert_int_equal(rec->nb, rec->J + 1);
		assert_int_equal(tsd_wavedec_lengths(lens, n, rec->J, w, mode),
				 0);
		for (i = 0; i < rec->nb; i++)
			assert_int_equal(lens[i], rec->lens[i]);
		assert_int_equal(tsd_wavedec_total(n, rec->J, w, mode),
				 rec->total);
		wl = tsd_wavedec_work_len(n, rec->J, w, mode);
		work = xmalloc(wl * sizeof(double));
		assert_int_equal(tsd_wavedec(got, work, x, n, rec->J, w, mode),
				 0);
		check_bands(w, rec, got);
		break;
	case 1:   /* single-level dwt */
		gen(x, n);
		assert_int_equal(rec->nb, 2);
		assert_int_equal(tsd_dwt_len(n, w->len, mode), rec->lens[0]);
		assert_int_equal(rec->lens[1], rec->lens[0]);
		assert_int_equal(tsd_dwt_forward(got, got + rec->lens[0], x, n,
						 w, mode), 0);
		check_bands(w, rec, got);
		break;
	case 2:   /* idwt of both bands */
	case 3:   /* idwt of the approximation alone */
		gen(x, 2 * n);
		assert_int_equal(rec->nb, 1);
		assert_int_equal(tsd_idwt_len(n, w->len, mode), rec->lens[0]);
		assert_int_equal(tsd_idwt(got, x, rec->kind == 2 ? x + n : NULL,
					  n, w, mode), 0);
		check_bands(w, rec, got);
		break;
	case 4:   /* waverec of arbitrary coefficients */
		assert_int_equal(rec->nb, 1);
		assert_int_equal(rec->lens[0], n);
		i = tsd_wavedec_total(n, rec->J, w, mode);
		assert_true(i > 0);
		free(x);
		x = xmalloc(i * sizeof(double));
		gen(x, i);
		wl = tsd_wavedec_work_len(n, rec->J, w, mode);
		work = xmalloc(wl * sizeof(double));
		assert_int_equal(tsd_waverec(got, n, x, work, rec->J, w, mode),
				 0);
		check_bands(w, rec, got);
		break;
	default:
		fail_msg("unknown record kind %u", rec->kind);
	}
	free(work);
	free(got);
	free(x);
}

/* Every wavelet x every mode against pywt; also count what was covered,
 * so that a short reference file fails. */
static void test_against_pywt(void **state)
{
	size_t wi;

	(void)state;
	for (wi = 0; wi < tsd_wavelet_count(); wi++) {
		const tsd_wavelet *w = tsd_wavelet_at(wi);
		unsigned count[5][TSD_MODE_COUNT] = { { 0 } };
		unsigned long1000[TSD_MODE_COUNT] = { 0 };
		struct reader r;
		struct record rec;
		char name[64];
		unsigned m;

		snprintf(name, sizeof(name), "%s.bin", w->name);
		r.p = read_testdata(name, &r.len);
		r.pos = 8;
		assert_true(r.len >= 8 && memcmp(r.p, "TSDPYW01", 8) == 0);
		while (next_record(&r, &rec)) {
			check_record(w, &rec);
			assert_true(rec.kind < 5);
			count[rec.kind][rec.mode]++;
			if (rec.kind == 0 && rec.n == 1000)
				long1000[rec.mode]++;
			free(rec.v);
		}
		free((void *)(uintptr_t)r.p);
		for (m = 0; m < TSD_MODE_COUNT; m++) {
			/* 14 lengths (13 without n = 1 where pywt hangs) */
			assert_true(count[1][m] >= 13);
			assert_true(count[2][m] >= 2 && count[3][m] >= 2);
			if (w->len <= 8)
				assert_true(count[0][m] >= 5 &&
					    count[4][m] >= 3);
		}
		assert_int_equal(long1000[TSD_MODE_SYMMETRIC], 1);
	}
}

static double max_abs(const double *x, size_t n)
{
	double s = 1;
	size_t i;

	for (i = 0; i < n; i++)
		if (fabs(x[i]) > s)
			s = fabs(x[i]);
	return s;
}

static void check_close(const double *got, const double *x, size_t n,
			double cscale, const tsd_wavelet *w, enum tsd_mode mode,
			unsigned J, const char *what)
{
	double tol = TOL_PR * fmax(max_abs(x, n), cscale);
	size_t i;

	for (i = 0; i < n; i++)
		if (!(fabs(got[i] - x[i]) <= tol)) {
			print_error("%s: %s %s n %zu J %u [%zu]: %.17g != "
				    "%.17g\n", what, w->name,
				    tsd_mode_name(mode), n, J, i, got[i],
				    x[i]);
			fail();
		}
}

/* waverec(wavedec(x, J)) == x at J = 1 and J = max; idwt(dwt(x)) cut to
 * n == x for one level whatever n. */
static void roundtrip(const tsd_wavelet *w, enum tsd_mode mode, size_t n,
		      const double *x, double *coeffs, double *work,
		      double *back)
{
	unsigned Js[2] = { 1, tsd_dwt_max_level(n, w->len) };
	size_t nc = tsd_dwt_len(n, w->len, mode);
	int i;

	/* single level, any n */
	assert_int_equal(tsd_dwt_forward(coeffs, coeffs + nc, x, n, w, mode),
			 0);
	assert_true(tsd_idwt_len(nc, w->len, mode) - n <= 1);
	assert_int_equal(tsd_idwt(back, coeffs, coeffs + nc, nc, w, mode), 0);
	check_close(back, x, n, max_abs(coeffs, 2 * nc), w, mode, 1,
		    "idwt(dwt)");

	for (i = 0; i < 2; i++) {
		unsigned J = Js[i];

		if (J > Js[1])
			continue;
		assert_true(tsd_wavedec_total(n, J, w, mode) > 0);
		assert_int_equal(tsd_wavedec(coeffs, work, x, n, J, w, mode),
				 0);
		memset(back, 0, n * sizeof(double));
		assert_int_equal(tsd_waverec(back, n, coeffs, work, J, w,
					     mode), 0);
		check_close(back, x, n,
			    max_abs(coeffs, tsd_wavedec_total(n, J, w, mode)),
			    w, mode, J, "waverec(wavedec)");
	}
}

static void test_perfect_reconstruction(void **state)
{
	static const size_t big[] = { 1000, 1023, 4097, 65536 + 13 };
	const size_t nmax = 65536 + 13;
	double *x, *coeffs, *work, *back;
	size_t wi, n, b;
	int m;

	(void)state;
	x = xmalloc(nmax * sizeof(double));
	/* generous: n + levels * F for the coefficients, n for the work */
	coeffs = xmalloc((nmax + 64 * 20) * sizeof(double));
	work = xmalloc((nmax + 64) * sizeof(double));
	back = xmalloc((nmax + 1) * sizeof(double));
	gen(x, nmax);
	for (wi = 0; wi < tsd_wavelet_count(); wi++) {
		const tsd_wavelet *w = tsd_wavelet_at(wi);

		for (m = 0; m < TSD_MODE_COUNT; m++) {
			for (n = 2; n <= 64; n++)
				roundtrip(w, m, n, x, coeffs, work, back);
			for (b = 0; b < sizeof(big) / sizeof(big[0]); b++) {
				unsigned J = tsd_dwt_max_level(big[b], w->len);

				assert_true(tsd_wavedec_total(big[b], J, w, m)
					    <= nmax + 64 * 20);
				assert_true(tsd_wavedec_work_len(big[b], J, w,
								 m) <= nmax);
				roundtrip(w, m, big[b], x, coeffs, work, back);
			}
		}
	}
	free(back);
	free(work);
	free(coeffs);
	free(x);
}

/* n = 1: single level works in every mode (pywt hangs on reflect and
 * antireflect; we treat them as constant) and inverts. */
static void test_single_sample(void **state)
{
	const tsd_wavelet *w = tsd_wavelet_find("db3");
	double x = 2.5, c[8], back[16];
	int m;

	(void)state;
	for (m = 0; m < TSD_MODE_COUNT; m++) {
		size_t nc = tsd_dwt_len(1, w->len, m);

		assert_true(nc >= 1 && nc <= 4);
		assert_int_equal(tsd_dwt_forward(c, c + nc, &x, 1, w, m), 0);
		assert_int_equal(tsd_idwt(back, c, c + nc, nc, w, m), 0);
		assert_true(fabs(back[0] - x) <= TOL_PR * 2.5);
	}
	/* reflect and antireflect of one sample: the constant extension */
	{
		double a[4], d[4], a2[4], d2[4];

		tsd_dwt_forward(a, d, &x, 1, w, TSD_MODE_REFLECT);
		tsd_dwt_forward(a2, d2, &x, 1, w, TSD_MODE_CONSTANT);
		assert_memory_equal(a, a2, 3 * sizeof(double));
		tsd_dwt_forward(a, d, &x, 1, w, TSD_MODE_ANTIREFLECT);
		assert_memory_equal(a, a2, 3 * sizeof(double));
	}
}

static void test_modes(void **state)
{
	static const char *const names[] = {
		"zero", "constant", "symmetric", "periodic", "smooth",
		"periodization", "reflect", "antisymmetric", "antireflect",
	};
	int m;

	(void)state;
	assert_int_equal(TSD_MODE_COUNT, 9);
	for (m = 0; m < TSD_MODE_COUNT; m++) {
		/* ids are stored in frames: fixed */
		assert_int_equal(tsd_mode_parse(names[m]), m);
		assert_string_equal(tsd_mode_name(m), names[m]);
	}
	assert_int_equal(TSD_MODE_SYMMETRIC, 2);
	assert_int_equal(TSD_MODE_PERIODIZATION, 5);
	assert_int_equal(tsd_mode_parse("sym"), TSD_ENOTFOUND);
	assert_int_equal(tsd_mode_parse("Symmetric"), TSD_ENOTFOUND);
	assert_int_equal(tsd_mode_parse(""), TSD_ENOTFOUND);
	assert_int_equal(tsd_mode_parse(NULL), TSD_EINVAL);
	assert_null(tsd_mode_name(TSD_MODE_COUNT));
	assert_null(tsd_mode_name(-1));
}

/* pywt.dwt_max_level and pywt.dwt_coeff_len values. */
static void test_lengths(void **state)
{
	static const struct { size_t n; unsigned F, lev; } ml[] = {
		{ 1, 2, 0 }, { 2, 2, 1 }, { 3, 2, 1 }, { 4, 2, 2 },
		{ 14, 8, 1 }, { 13, 8, 0 }, { 7, 8, 0 }, { 1000, 8, 7 },
		{ 1000, 40, 4 }, { 1024, 2, 10 }, { 1023, 2, 9 },
		{ 64, 40, 0 }, { 78, 40, 1 }, { 77, 40, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ml) / sizeof(ml[0]); i++)
		assert_int_equal(tsd_dwt_max_level(ml[i].n, ml[i].F),
				 ml[i].lev);
	assert_int_equal(tsd_dwt_len(1000, 8, TSD_MODE_SYMMETRIC), 503);
	assert_int_equal(tsd_dwt_len(1000, 8, TSD_MODE_PERIODIZATION), 500);
	assert_int_equal(tsd_dwt_len(1001, 8, TSD_MODE_SYMMETRIC), 504);
	assert_int_equal(tsd_dwt_len(1001, 8, TSD_MODE_PERIODIZATION), 501);
	assert_int_equal(tsd_dwt_len(0, 8, TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(tsd_dwt_len(10, 7, TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(tsd_dwt_len(10, 8, TSD_MODE_COUNT), 0);
	assert_int_equal(tsd_dwt_len(SIZE_MAX, 8, TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(tsd_idwt_len(503, 8, TSD_MODE_SYMMETRIC), 1000);
	assert_int_equal(tsd_idwt_len(504, 8, TSD_MODE_SYMMETRIC), 1002);
	assert_int_equal(tsd_idwt_len(3, 8, TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(tsd_idwt_len(3, 8, TSD_MODE_PERIODIZATION), 6);
	assert_int_equal(tsd_idwt_len(SIZE_MAX / 2 + 1, 8,
				      TSD_MODE_PERIODIZATION), 0);
}

static void test_level_zero(void **state)
{
	const tsd_wavelet *w = tsd_wavelet_find("db4");
	double x[5] = { 1, 2, 3, 4, 5 }, c[5], back[5];
	size_t lens[1];

	(void)state;
	assert_int_equal(tsd_wavedec_total(5, 0, w, TSD_MODE_SYMMETRIC), 5);
	assert_int_equal(tsd_wavedec_work_len(5, 0, w, TSD_MODE_SYMMETRIC),
			 0);
	assert_int_equal(tsd_wavedec_lengths(lens, 5, 0, w,
					     TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(lens[0], 5);
	assert_int_equal(tsd_wavedec(c, NULL, x, 5, 0, w, TSD_MODE_SYMMETRIC),
			 0);
	assert_memory_equal(c, x, sizeof(x));
	assert_int_equal(tsd_waverec(back, 5, c, NULL, 0, w,
				     TSD_MODE_SYMMETRIC), 0);
	assert_memory_equal(back, x, sizeof(x));
}

static void test_errors(void **state)
{
	const tsd_wavelet *w = tsd_wavelet_find("db4");
	tsd_wavelet odd = *w;
	double x[64] = { 0 }, c[256], work[256];
	size_t lens[16], i0, i1;
	unsigned max = tsd_dwt_max_level(64, 8);

	(void)state;
	odd.len = 7;
	assert_int_equal(max, 3);
	/* too deep */
	assert_int_equal(tsd_wavedec(c, work, x, 64, max + 1, w,
				     TSD_MODE_SYMMETRIC), TSD_ERANGE);
	assert_int_equal(tsd_waverec(x, 64, c, work, max + 1, w,
				     TSD_MODE_SYMMETRIC), TSD_ERANGE);
	assert_int_equal(tsd_wavedec_lengths(lens, 64, max + 1, w,
					     TSD_MODE_SYMMETRIC), TSD_ERANGE);
	assert_int_equal(tsd_wavedec_total(64, max + 1, w, TSD_MODE_SYMMETRIC),
			 0);
	/* a window shorter than the filter cannot take even one level */
	assert_int_equal(tsd_wavedec(c, work, x, 7, 1, w, TSD_MODE_SYMMETRIC),
			 TSD_ERANGE);
	assert_int_equal(tsd_wavedec(c, work, x, 7, 1000, w,
				     TSD_MODE_SYMMETRIC), TSD_ERANGE);
	/* empty input */
	assert_int_equal(tsd_wavedec(c, work, x, 0, 0, w, TSD_MODE_SYMMETRIC),
			 TSD_ESIZE);
	assert_int_equal(tsd_dwt_forward(c, c + 8, x, 0, w, TSD_MODE_ZERO),
			 TSD_ESIZE);
	/* bad arguments */
	assert_int_equal(tsd_wavedec(c, NULL, x, 64, 2, w, TSD_MODE_SYMMETRIC),
			 TSD_EINVAL);
	assert_int_equal(tsd_waverec(x, 64, c, NULL, 3, w, TSD_MODE_SYMMETRIC),
			 TSD_EINVAL);
	assert_int_equal(tsd_wavedec(c, work, x, 64, 2, NULL,
				     TSD_MODE_SYMMETRIC), TSD_EINVAL);
	assert_int_equal(tsd_wavedec(c, work, x, 64, 2, &odd,
				     TSD_MODE_SYMMETRIC), TSD_EINVAL);
	assert_int_equal(tsd_wavedec(c, work, x, 64, 2, w, TSD_MODE_COUNT),
			 TSD_EINVAL);
	assert_int_equal(tsd_wavedec(c, work, x, 64, 2, w, -1), TSD_EINVAL);
	assert_int_equal(tsd_dwt_forward(NULL, c, x, 64, w, TSD_MODE_ZERO),
			 TSD_EINVAL);
	assert_int_equal(tsd_idwt(x, NULL, NULL, 8, w, TSD_MODE_ZERO),
			 TSD_EINVAL);
	/* idwt needs nc >= F/2 outside periodization */
	assert_int_equal(tsd_idwt(x, c, c, 3, w, TSD_MODE_SYMMETRIC),
			 TSD_ESIZE);
	assert_int_equal(tsd_idwt(x, c, c, 3, w, TSD_MODE_PERIODIZATION), 0);
	/* support */
	assert_int_equal(tsd_dwt_support(&i0, &i1, 64, 0, 0, w,
					 TSD_MODE_SYMMETRIC), TSD_ERANGE);
	assert_int_equal(tsd_dwt_support(&i0, &i1, 64, 1, 35, w,
					 TSD_MODE_SYMMETRIC), TSD_ERANGE);
	assert_int_equal(tsd_dwt_support(&i0, &i1, 64, 1, 34, w,
					 TSD_MODE_SYMMETRIC), 0);
}

static void test_support_values(void **state)
{
	const tsd_wavelet *haar = tsd_wavelet_find("haar");
	const tsd_wavelet *db4 = tsd_wavelet_find("db4");
	size_t i0, i1;

	(void)state;
	/* haar: coefficient k of level L covers [k 2^L, (k+1) 2^L - 1] */
	assert_int_equal(tsd_dwt_support(&i0, &i1, 64, 1, 5, haar,
					 TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(i0, 10);
	assert_int_equal(i1, 11);
	assert_int_equal(tsd_dwt_support(&i0, &i1, 64, 3, 2, haar,
					 TSD_MODE_PERIODIZATION), 0);
	assert_int_equal(i0, 16);
	assert_int_equal(i1, 23);
	/* db4, F = 8: c[k] reads x[2k - 6 .. 2k + 1] */
	assert_int_equal(tsd_dwt_support(&i0, &i1, 64, 1, 5, db4,
					 TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(i0, 4);
	assert_int_equal(i1, 11);
	assert_int_equal(tsd_dwt_support(&i0, &i1, 64, 1, 0, db4,
					 TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(i0, 0);
	assert_int_equal(i1, 1);
	/* periodization, F/2 = 4: c[k] reads x[2k - 3 .. 2k + 4] */
	assert_int_equal(tsd_dwt_support(&i0, &i1, 64, 1, 5, db4,
					 TSD_MODE_PERIODIZATION), 0);
	assert_int_equal(i0, 7);
	assert_int_equal(i1, 14);
	/* last coefficient clamps at n - 1 */
	assert_int_equal(tsd_dwt_support(&i0, &i1, 64, 1, 34, db4,
					 TSD_MODE_SYMMETRIC), 0);
	assert_int_equal(i0, 62);
	assert_int_equal(i1, 63);
}

/* With zero padding a coefficient depends on exactly its support: a
 * change outside it leaves the coefficient alone, a change at either end
 * of it moves the coefficient. */
static void test_support_by_perturbation(void **state)
{
	static const char *const names[] = { "haar", "db2", "db4", "sym5",
					      "coif2" };
	static const int modes[] = { TSD_MODE_ZERO, TSD_MODE_PERIODIZATION };
	const size_t n = 97;
	double x[97], y[97], c0[512], c1[512], work[512];
	size_t nw, mi, i;

	(void)state;
	gen(x, n);
	for (nw = 0; nw < sizeof(names) / sizeof(names[0]); nw++) {
		const tsd_wavelet *w = tsd_wavelet_find(names[nw]);

		for (mi = 0; mi < 2; mi++) {
			int mode = modes[mi];
			unsigned J = tsd_dwt_max_level(n, w->len), L;
			size_t lens[16], start[16], pos = 0, b;

			assert_int_equal(tsd_wavedec_lengths(lens, n, J, w,
							     mode), 0);
			for (b = 0; b <= J; b++) {
				start[b] = pos;
				pos += lens[b];
			}
			assert_int_equal(tsd_wavedec(c0, work, x, n, J, w,
						     mode), 0);
			for (i = 0; i < n; i++) {
				memcpy(y, x, sizeof(x));
				y[i] += 1000;
				assert_int_equal(tsd_wavedec(c1, work, y, n, J,
							     w, mode), 0);
				/* band b >= 1 is cD_L with L = J + 1 - b */
				for (b = 1; b <= J; b++) {
					size_t k;

					L = J + 1 - (unsigned)b;
					for (k = 0; k < lens[b]; k++) {
						size_t i0, i1;
						int moved = c0[start[b] + k] !=
							    c1[start[b] + k];

						tsd_dwt_support(&i0, &i1, n, L,
								k, w, mode);
						if (i < i0 || i > i1) {
							/* periodization wraps */
							if (mode == TSD_MODE_ZERO)
								assert_false(moved);
						} else if (L == 1 &&
							   (i == i0 || i == i1) &&
							   i0 > 0 && i1 < n - 1) {
							assert_true(moved);
						}
					}
				}
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_against_pywt),
		cmocka_unit_test(test_perfect_reconstruction),
		cmocka_unit_test(test_single_sample),
		cmocka_unit_test(test_level_zero),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_support_values),
		cmocka_unit_test(test_support_by_perturbation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
