/*
 * The NEON kernels against the scalar level, through the public API only: every call
 * runs once with hp_simd_set_level(HP_SIMD_SCALAR) and once with HP_SIMD_NEON on the
 * same inputs, and both results are checked against a reference (long double sums;
 * exact integers; the exactly rounded sum of hp_stats_sum's exact mode) within the
 * bounds that include/hotpath/compute.h documents, or for equality where it promises it.
 *
 * Built only for aarch64 hosts (tests/meson.build); scripts/test_aarch64.sh cross-builds
 * it and runs it under qemu-user next to the full Check runner. Its own Check runner,
 * printing Check's summary line.
 */
#include "hotpath.h"

#include <check.h>
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                                    \
    } while (0)

static const hp_vec_metric METRICS[] = {HP_VEC_DOT, HP_VEC_COSINE, HP_VEC_COSINE_DISTANCE,
                                        HP_VEC_SQEUCLIDEAN, HP_VEC_EUCLIDEAN};
enum { NMETRICS = 5 };
static const int LEVELS[] = {HP_SIMD_SCALAR, HP_SIMD_NEON};
static const char *const LEVEL_NAMES[] = {"scalar", "neon"};

/* Lengths 1..67 (every remainder of the 16-, 8- and 32-element steps, and a block of
 * KBLOCK), then 4096 and a large odd one. Length 0 is checked separately (dim 0 is an
 * error for vectors, an empty sum for sums). */
static size_t lengths(size_t *out) {
    size_t n = 0;
    for (size_t d = 1; d <= 67; d++) out[n++] = d;
    out[n++] = 4096;
    out[n++] = 100003;
    return n;
}
enum { MAX_LENGTHS = 70, BIG = 100003 };

static void set_level(int level) { ck_assert_int_eq(hp_simd_set_level(level), HP_OK); }

static double urand(void) { return (double)rand() / RAND_MAX * 2.0 - 1.0; }

static bool same_value(double x, double y) { return (isnan(x) && isnan(y)) || x == y; }

/* ---------------------------------------------------------------- references */

/* Exact-product sums in long double (binary128 on aarch64): dot, |a|^2, |b|^2, sum of
 * squared differences, each with the sum of |terms| the documented bounds scale by. */
typedef struct ref {
    long double ab, aa, bb, dd;
    double s_ab, s_aa, s_bb, s_dd;
} ref;

static ref ref_f32(const float *a, const float *b, size_t n) {
    ref r = {0};
    long double sab = 0;
    for (size_t i = 0; i < n; i++) {
        long double x = a[i], y = b[i], d = x - y;
        r.ab += x * y, r.aa += x * x, r.bb += y * y, r.dd += d * d;
        sab += fabsl(x * y);
    }
    r.s_ab = (double)sab, r.s_aa = (double)r.aa, r.s_bb = (double)r.bb, r.s_dd = (double)r.dd;
    return r;
}

static ref ref_f64(const double *a, const double *b, size_t n) {
    ref r = {0};
    long double sab = 0;
    for (size_t i = 0; i < n; i++) {
        long double x = a[i], y = b[i], d = x - y;
        r.ab += x * y, r.aa += x * x, r.bb += y * y, r.dd += d * d;
        sab += fabsl(x * y);
    }
    r.s_ab = (double)sab, r.s_aa = (double)r.aa, r.s_bb = (double)r.bb, r.s_dd = (double)r.dd;
    return r;
}

/* Checks `got` for one metric against the reference, given the relative bound `beta` of
 * the raw sums (f32: 3.9e-6, the blocked-f32 bound; f64: (dim+8)*2^-53) and `diff`, the
 * extra relative error of squared differences (the difference rounded once). Cosine:
 * each of dot, |a|^2, |b|^2 is off by at most beta times its sum of |terms|, and
 * sum|a_i b_i| <= |a||b|, so the cosine is off by at most 2*beta (+ roundings). */
static void check_metric(double got, const ref *r, hp_vec_metric metric, double beta, double diff,
                         const char *what) {
    double bound = 0, want = 0;
    switch (metric) {
    case HP_VEC_DOT:
        want = (double)r->ab;
        bound = beta * r->s_ab;
        break;
    case HP_VEC_SQEUCLIDEAN:
        want = (double)r->dd;
        bound = (beta + diff) * r->s_dd;
        break;
    case HP_VEC_EUCLIDEAN: {
        want = sqrt((double)r->dd);
        double sq = (beta + diff) * r->s_dd;
        /* |sqrt(x) - sqrt(y)| = |x - y| / (sqrt(x) + sqrt(y)) */
        bound = sq / (want + (got > 0 ? got : 0) + DBL_MIN) + 4 * DBL_EPSILON * want;
        if (want == 0) bound = sqrt(sq);
        break;
    }
    default: {
        double c = (double)(r->ab / (sqrtl(r->aa) * sqrtl(r->bb)));
        if (c > 1) c = 1;
        if (c < -1) c = -1;
        want = metric == HP_VEC_COSINE ? c : 1 - c;
        bound = 2 * beta + 8 * DBL_EPSILON;
        break;
    }
    }
    bound += 4 * DBL_EPSILON * fabs(want) + DBL_MIN;
    EXPECT(fabs(got - want) <= bound,
           "%s metric %d: got %.17g want %.17g (error %.3g > bound %.3g)", what, (int)metric, got,
           want, fabs(got - want), bound);
}

static const double F32_BETA = 3.9e-6; /* compute.h: blocked f32 */
static double f64_beta(size_t dim) { return (double)(dim + 8) * 0x1p-53; }

/* ---------------------------------------------------------------- level detection */

START_TEST(test_neon__is_the_detected_level) {
    /* Guards every comparison below: on aarch64 the NEON level must be detected and
     * settable, and the x86 levels must be refused. */
    ck_assert_int_eq(hp_simd_detected(), HP_SIMD_NEON);
    ck_assert(hp_cpu_features() & HP_CPU_NEON);
    set_level(HP_SIMD_SCALAR);
    ck_assert_int_eq(hp_simd_level(), HP_SIMD_SCALAR);
    set_level(HP_SIMD_NEON);
    ck_assert_int_eq(hp_simd_level(), HP_SIMD_NEON);
    ck_assert_int_eq(hp_simd_set_level(HP_SIMD_AVX2), HP_ENOTSUP);
    ck_assert_int_eq(hp_simd_level(), HP_SIMD_NEON);
}
END_TEST

/* ---------------------------------------------------------------- pair kernels */

START_TEST(test_neon__pairs_f32_within_bound) {
    float *buf = malloc((2 * BIG + 2) * sizeof *buf);
    srand(101);
    for (size_t i = 0; i < 2 * BIG + 2; i++) buf[i] = (float)urand();
    size_t lens[MAX_LENGTHS], nl = lengths(lens);
    for (size_t li = 0; li < nl; li++) {
        size_t dim = lens[li];
        for (size_t off = 0; off < 2; off++) { /* off 1: rows not 8-byte aligned */
            const float *a = buf + off, *b = buf + BIG + 1 + off;
            ref r = ref_f32(a, b, dim);
            for (int m = 0; m < NMETRICS; m++) {
                double got[2];
                for (int l = 0; l < 2; l++) {
                    set_level(LEVELS[l]);
                    ck_assert_int_eq(hp_vec_score_f32(&got[l], a, b, dim, METRICS[m]), HP_OK);
                    char what[256];
                    snprintf(what, sizeof what, "f32 %s dim %zu off %zu", LEVEL_NAMES[l], dim, off);
                    check_metric(got[l], &r, METRICS[m], F32_BETA, 0x1p-23, what);
                }
            }
        }
    }
    for (int l = 0; l < 2; l++) {
        set_level(LEVELS[l]);
        double out;
        ck_assert_int_eq(hp_vec_score_f32(&out, buf, buf, 0, HP_VEC_DOT), HP_EINVAL);
    }
    free(buf);
}
END_TEST

START_TEST(test_neon__pairs_f64_within_bound) {
    double *buf = malloc((2 * BIG + 2) * sizeof *buf);
    srand(102);
    for (size_t i = 0; i < 2 * BIG + 2; i++) buf[i] = urand() * ldexp(1.0, rand() % 20 - 10);
    size_t lens[MAX_LENGTHS], nl = lengths(lens);
    for (size_t li = 0; li < nl; li++) {
        size_t dim = lens[li];
        for (size_t off = 0; off < 2; off++) {
            const double *a = buf + off, *b = buf + BIG + 1 + off;
            ref r = ref_f64(a, b, dim);
            for (int m = 0; m < NMETRICS; m++) {
                for (int l = 0; l < 2; l++) {
                    set_level(LEVELS[l]);
                    double got;
                    ck_assert_int_eq(hp_vec_score_f64(&got, a, b, dim, METRICS[m]), HP_OK);
                    char what[256];
                    snprintf(what, sizeof what, "f64 %s dim %zu off %zu", LEVEL_NAMES[l], dim, off);
                    check_metric(got, &r, METRICS[m], f64_beta(dim), 2 * 0x1p-53, what);
                }
            }
        }
    }
    for (int l = 0; l < 2; l++) {
        set_level(LEVELS[l]);
        double out;
        ck_assert_int_eq(hp_vec_score_f64(&out, buf, buf, 0, HP_VEC_DOT), HP_EINVAL);
    }
    free(buf);
}
END_TEST

/* i8: exact integers at both levels, equal to an int64 reference. */
static void check_i8_pair(const int8_t *a, const int8_t *b, size_t dim, const char *what) {
    int64_t ab = 0, dd = 0;
    for (size_t i = 0; i < dim; i++) {
        int64_t x = a[i], y = b[i];
        ab += x * y, dd += (x - y) * (x - y);
    }
    double got[2][NMETRICS];
    for (int l = 0; l < 2; l++) {
        set_level(LEVELS[l]);
        for (int m = 0; m < NMETRICS; m++)
            ck_assert_int_eq(hp_vec_score_i8(&got[l][m], a, b, dim, METRICS[m]), HP_OK);
        EXPECT(got[l][0] == (double)ab, "%s %s dim %zu: dot %.17g != %lld", what, LEVEL_NAMES[l],
               dim, got[l][0], (long long)ab);
        EXPECT(got[l][3] == (double)dd, "%s %s dim %zu: sqeuclidean %.17g != %lld", what,
               LEVEL_NAMES[l], dim, got[l][3], (long long)dd);
    }
    /* cosine and euclidean come from the same exact integers: identical at both levels */
    for (int m = 0; m < NMETRICS; m++) {
        EXPECT(same_value(got[0][m], got[1][m]), "%s dim %zu metric %d: scalar %.17g neon %.17g",
               what, dim, m, got[0][m], got[1][m]);
    }
}

START_TEST(test_neon__pairs_i8_exact) {
    size_t n = 2 * BIG + 2;
    int8_t *buf = malloc(n);
    srand(103);
    for (size_t i = 0; i < n; i++) buf[i] = (int8_t)(rand() % 256 - 128);
    size_t lens[MAX_LENGTHS], nl = lengths(lens);
    for (size_t li = 0; li < nl; li++) {
        for (size_t off = 0; off < 2; off++)
            check_i8_pair(buf + off, buf + BIG + 1 + off, lens[li], "i8 random");
    }
    /* The extremes: -128 * -128 and |(-128) - 127|^2 in every lane, over more than one
     * block of 32-bit accumulation (4096 steps of 32 bytes): without the widening a
     * 32-bit lane would pass 2^31 (dot) or 2^32 (L2) well before 2 MiB. */
    size_t big = ((size_t)1 << 21) + 3;
    int8_t *lo = malloc(big), *hi = malloc(big);
    memset(lo, 0x80, big);
    memset(hi, 0x7f, big);
    check_i8_pair(lo, lo, big, "i8 all -128");
    check_i8_pair(lo, hi, big, "i8 -128 vs 127");
    check_i8_pair(hi, lo + 1, big - 1, "i8 127 vs -128, odd length");
    for (int l = 0; l < 2; l++) {
        set_level(LEVELS[l]);
        double out;
        ck_assert_int_eq(hp_vec_score_i8(&out, lo, hi, 0, HP_VEC_DOT), HP_EINVAL);
    }
    free(buf), free(lo), free(hi);
}
END_TEST

/* The documented f32 bound at dim 4096 against the f64 (long double) reference, with
 * positive terms (nothing cancels to hide rounding), and the case that defeats a plain
 * float loop: one 1.0 per lane of the first step, then 4080 terms of 2^-25. */
START_TEST(test_neon__f32_dot_4096_within_documented_bound) {
    enum { D = 4096 };
    static float a[D + 1], b[D + 1];
    srand(104);
    set_level(HP_SIMD_NEON);
    for (int round = 0; round < 50; round++) {
        for (int i = 0; i <= D; i++) {
            a[i] = (float)ldexp(fabs(urand()) + 0.5, rand() % 8);
            b[i] = (float)(fabs(urand()) + 0.5);
        }
        for (int off = 0; off < 2; off++) {
            ref r = ref_f32(a + off, b + off, D);
            double got;
            ck_assert_int_eq(hp_vec_score_f32(&got, a + off, b + off, D, HP_VEC_DOT), HP_OK);
            double err = fabs(got - (double)r.ab);
            EXPECT(err <= 3.9e-6 * r.s_ab, "round %d off %d: error %.3g > 3.9e-6 * %.6g", round,
                   off, err, r.s_ab);
        }
    }
    for (int i = 0; i < D; i++) {
        a[i] = i < 16 ? 1.0f : 0x1p-25f;
        b[i] = 1.0f;
    }
    double want = 16.0 + (D - 16) * 0x1p-25, got;
    ck_assert_int_eq(hp_vec_score_f32(&got, a, b, D, HP_VEC_DOT), HP_OK);
    EXPECT(fabs(got - want) <= 3.9e-6 * want, "small terms lost: %.12g vs %.12g", got, want);
}
END_TEST

/* NaN and infinities, in the vector body and in the tail, at each level: NaN wherever
 * IEEE arithmetic gives NaN, the same infinity otherwise, identical at both levels. */
START_TEST(test_neon__non_finite_pairs) {
    static const size_t dims[] = {1, 5, 15, 16, 17, 33, 67, 4096};
    static const double specials[] = {NAN, INFINITY, -INFINITY};
    for (size_t di = 0; di < sizeof dims / sizeof *dims; di++) {
        size_t dim = dims[di];
        size_t positions[] = {0, dim / 2, dim - 1};
        float *a = malloc(dim * sizeof *a), *b = malloc(dim * sizeof *b);
        double *x = malloc(dim * sizeof *x), *y = malloc(dim * sizeof *y);
        for (size_t s = 0; s < 3; s++) {
            for (size_t p = 0; p < 3; p++) {
                for (size_t i = 0; i < dim; i++) {
                    a[i] = (float)(0.25 * (double)(i % 7) + 0.5),
                    b[i] = (float)(0.5 + 0.125 * (double)(i % 5));
                    x[i] = a[i], y[i] = b[i];
                }
                a[positions[p]] = (float)specials[s];
                x[positions[p]] = specials[s];
                for (int m = 0; m < NMETRICS; m++) {
                    double g32[2], g64[2];
                    for (int l = 0; l < 2; l++) {
                        set_level(LEVELS[l]);
                        ck_assert_int_eq(hp_vec_score_f32(&g32[l], a, b, dim, METRICS[m]), HP_OK);
                        ck_assert_int_eq(hp_vec_score_f64(&g64[l], x, y, dim, METRICS[m]), HP_OK);
                    }
                    EXPECT(same_value(g32[0], g32[1]) && same_value(g64[0], g64[1]) &&
                               same_value(g32[0], g64[0]),
                           "dim %zu special %g at %zu metric %d: f32 %g/%g f64 %g/%g", dim,
                           specials[s], positions[p], m, g32[0], g32[1], g64[0], g64[1]);
                    if (s == 0) EXPECT(isnan(g32[1]) && isnan(g64[1]), "NaN must propagate");
                    if (s > 0 && METRICS[m] == HP_VEC_DOT)
                        EXPECT(isinf(g32[1]) && (g32[1] > 0) == (s == 1), "dot with %g: %g",
                               specials[s], g32[1]);
                }
            }
        }
        free(a), free(b), free(x), free(y);
    }
}
END_TEST

/* ---------------------------------------------------------------- one to many, cdist, top-k */

/* f32 results are stored as float: one more rounding. */
static void check_stored_f32(double got, const ref *r, hp_vec_metric metric, const char *what) {
    check_metric(got, r, metric, F32_BETA + 0x1p-24 * 1.01, 0x1p-23, what);
}

START_TEST(test_neon__score_many_matches_bounds) {
    static const size_t dims[] = {1, 3, 8, 16, 33, 64, 130};
    enum { N = 37 };
    srand(105);
    for (size_t di = 0; di < sizeof dims / sizeof *dims; di++) {
        size_t dim = dims[di];
        float *q = malloc((dim + 1) * sizeof *q), *rows = malloc((N * dim + 1) * sizeof *rows);
        double *q64 = malloc(dim * sizeof *q64), *rows64 = malloc(N * dim * sizeof *rows64);
        int8_t *qi = malloc(dim + 1), *rowsi = malloc(N * dim + 1);
        for (size_t i = 0; i <= dim; i++)
            q[i] = (float)urand(), qi[i] = (int8_t)(rand() % 256 - 128);
        for (size_t i = 0; i <= N * dim; i++)
            rows[i] = (float)urand(), rowsi[i] = (int8_t)(rand() % 256 - 128);
        for (size_t i = 0; i < dim; i++) q64[i] = q[i + 1];
        for (size_t i = 0; i < N * dim; i++) rows64[i] = rows[i + 1];
        for (int m = 0; m < NMETRICS; m++) {
            float out[2][N];
            double out64[2][N], outi[2][N];
            for (int l = 0; l < 2; l++) {
                set_level(LEVELS[l]);
                /* query and rows at an odd float offset */
                ck_assert_int_eq(hp_vec_score_many_f32(out[l], q + 1, rows + 1, N, dim, METRICS[m]),
                                 HP_OK);
                ck_assert_int_eq(hp_vec_score_many_f64(out64[l], q64, rows64, N, dim, METRICS[m]),
                                 HP_OK);
                ck_assert_int_eq(
                    hp_vec_score_many_i8(outi[l], qi + 1, rowsi + 1, N, dim, METRICS[m]), HP_OK);
            }
            for (size_t j = 0; j < N; j++) {
                ref r = ref_f32(q + 1, rows + 1 + j * dim, dim);
                char what[256];
                for (int l = 0; l < 2; l++) {
                    snprintf(what, sizeof what, "many f32 %s dim %zu row %zu", LEVEL_NAMES[l], dim,
                             j);
                    check_stored_f32(out[l][j], &r, METRICS[m], what);
                    snprintf(what, sizeof what, "many f64 %s dim %zu row %zu", LEVEL_NAMES[l], dim,
                             j);
                    check_metric(out64[l][j], &r, METRICS[m], f64_beta(dim), 2 * 0x1p-53, what);
                }
                /* i8: the same exact integers at both levels, so identical results; the
                 * pair kernel agrees up to the rounding of the cosine's inverse norms */
                double one;
                ck_assert_int_eq(
                    hp_vec_score_i8(&one, qi + 1, rowsi + 1 + j * dim, dim, METRICS[m]), HP_OK);
                EXPECT(same_value(outi[0][j], outi[1][j]) &&
                           fabs(outi[1][j] - one) <= 4 * DBL_EPSILON * (1 + fabs(one)),
                       "many i8 dim %zu row %zu metric %d: %.17g %.17g vs %.17g", dim, j, m,
                       outi[0][j], outi[1][j], one);
            }
        }
        free(q), free(rows), free(q64), free(rows64), free(qi), free(rowsi);
    }
}
END_TEST

/* cdist shapes around the NEON tile (8 x 8): fewer than MR/2 a rows (pair kernels),
 * partial panels on both sides, dims around KBLOCK (64) and past it. */
START_TEST(test_neon__cdist_matches_bounds) {
    static const size_t shapes[][3] = {{1, 1, 1},   {3, 5, 7},     {4, 9, 16},
                                       {7, 8, 64},  {8, 8, 65},    {9, 17, 130},
                                       {16, 24, 3}, {23, 41, 200}, {40, 70, 33}};
    srand(106);
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        size_t m = shapes[s][0], n = shapes[s][1], dim = shapes[s][2];
        float *a = malloc((m * dim + 1) * sizeof *a), *b = malloc(n * dim * sizeof *b);
        double *a64 = malloc(m * dim * sizeof *a64), *b64 = malloc(n * dim * sizeof *b64);
        int8_t *ai = malloc(m * dim + 1), *bi = malloc(n * dim);
        float *out = malloc(m * n * sizeof *out);
        double *o64 = malloc(m * n * sizeof *o64), *oi[2];
        oi[0] = malloc(m * n * sizeof(double)), oi[1] = malloc(m * n * sizeof(double));
        float *ua = a + 1; /* a rows at an odd float offset */
        for (size_t i = 0; i < m * dim; i++) a64[i] = ua[i] = (float)urand();
        for (size_t i = 0; i < n * dim; i++) b64[i] = b[i] = (float)urand();
        for (size_t i = 0; i <= m * dim; i++) ai[i] = (int8_t)(rand() % 256 - 128);
        for (size_t i = 0; i < n * dim; i++) bi[i] = (int8_t)(rand() % 256 - 128);
        ref *refs = malloc(m * n * sizeof *refs);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++)
                refs[i * n + j] = ref_f32(ua + i * dim, b + j * dim, dim);
        for (int mi = 0; mi < NMETRICS; mi++) {
            for (unsigned threads = 1; threads <= 2; threads++) {
                for (int l = 0; l < 2; l++) {
                    set_level(LEVELS[l]);
                    ck_assert_int_eq(hp_vec_cdist_f32(out, ua, m, b, n, dim, METRICS[mi], threads),
                                     HP_OK);
                    ck_assert_int_eq(
                        hp_vec_cdist_f64(o64, a64, m, b64, n, dim, METRICS[mi], threads), HP_OK);
                    ck_assert_int_eq(
                        hp_vec_cdist_i8(oi[l], ai + 1, m, bi, n, dim, METRICS[mi], threads), HP_OK);
                    for (size_t i = 0; i < m; i++) {
                        for (size_t j = 0; j < n; j++) {
                            const ref *r = &refs[i * n + j];
                            char what[256];
                            snprintf(what, sizeof what,
                                     "cdist f32 %s %zux%zux%zu (%zu,%zu) threads %u",
                                     LEVEL_NAMES[l], m, n, dim, i, j, threads);
                            check_stored_f32(out[i * n + j], r, METRICS[mi], what);
                            snprintf(what, sizeof what, "cdist f64 %s %zux%zux%zu (%zu,%zu)",
                                     LEVEL_NAMES[l], m, n, dim, i, j);
                            check_metric(o64[i * n + j], r, METRICS[mi], f64_beta(dim), 2 * 0x1p-53,
                                         what);
                        }
                    }
                }
                for (size_t c = 0; c < m * n; c++) {
                    EXPECT(same_value(oi[0][c], oi[1][c]),
                           "cdist i8 %zux%zux%zu cell %zu metric %d: "
                           "scalar %.17g neon %.17g",
                           m, n, dim, c, mi, oi[0][c], oi[1][c]);
                }
            }
        }
        free(a), free(b), free(a64), free(b64), free(ai), free(bi), free(out), free(o64);
        free(oi[0]), free(oi[1]), free(refs);
    }
}
END_TEST

/* Top-k on a coarse integer grid, where every product and partial sum is exact at both
 * levels: indices and scores must be identical (ties broken by index alike). */
START_TEST(test_neon__topk_identical_to_scalar) {
    static const size_t shapes[][4] = {{1, 50, 7, 5},   {3, 64, 16, 8},     {5, 200, 33, 10},
                                       {9, 300, 64, 7}, {17, 130, 130, 20}, {40, 40, 8, 40}};
    srand(107);
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        size_t m = shapes[s][0], n = shapes[s][1], dim = shapes[s][2], k = shapes[s][3];
        float *q = malloc(m * dim * sizeof *q), *c = malloc(n * dim * sizeof *c);
        double *q64 = malloc(m * dim * sizeof *q64), *c64 = malloc(n * dim * sizeof *c64);
        int8_t *qi = malloc(m * dim), *ci = malloc(n * dim);
        for (size_t i = 0; i < m * dim; i++) q64[i] = q[i] = (float)(rand() % 5 - 2);
        for (size_t i = 0; i < n * dim; i++) c64[i] = c[i] = (float)(rand() % 5 - 2);
        for (size_t j = 3; j < n; j += 4) memcpy(c + j * dim, c + (j - 3) * dim, dim * sizeof *c);
        for (size_t i = 0; i < n * dim; i++) c64[i] = c[i];
        for (size_t i = 0; i < m * dim; i++) qi[i] = (int8_t)(q[i] * 50);
        for (size_t i = 0; i < n * dim; i++) ci[i] = (int8_t)(c[i] * 50);
        int64_t *idx[2], *idx64[2], *idxi[2];
        float *sc[2];
        double *sc64[2], *sci[2];
        for (int l = 0; l < 2; l++) {
            idx[l] = malloc(m * k * sizeof(int64_t)), idx64[l] = malloc(m * k * sizeof(int64_t));
            idxi[l] = malloc(m * k * sizeof(int64_t)), sc[l] = malloc(m * k * sizeof(float));
            sc64[l] = malloc(m * k * sizeof(double)), sci[l] = malloc(m * k * sizeof(double));
        }
        for (int mi = 0; mi < NMETRICS; mi++) {
            for (unsigned threads = 0; threads <= 3; threads += 3) {
                for (uint32_t flags = 0; flags <= HP_TOPK_EXCLUDE_SELF;
                     flags += HP_TOPK_EXCLUDE_SELF) {
                    const float *qq = flags ? c : q; /* exclude_self: queries are corpus rows */
                    const double *qq64 = flags ? c64 : q64;
                    const int8_t *qqi = flags ? ci : qi;
                    for (int l = 0; l < 2; l++) {
                        set_level(LEVELS[l]);
                        ck_assert_int_eq(hp_vec_topk_f32(idx[l], sc[l], qq, m, c, n, dim, k,
                                                         METRICS[mi], flags, threads),
                                         HP_OK);
                        ck_assert_int_eq(hp_vec_topk_f64(idx64[l], sc64[l], qq64, m, c64, n, dim, k,
                                                         METRICS[mi], flags, threads),
                                         HP_OK);
                        ck_assert_int_eq(hp_vec_topk_i8(idxi[l], sci[l], qqi, m, ci, n, dim, k,
                                                        METRICS[mi], flags, threads),
                                         HP_OK);
                    }
                    for (size_t e = 0; e < m * k; e++) {
                        EXPECT(idx[0][e] == idx[1][e] && same_value(sc[0][e], sc[1][e]),
                               "topk f32 %zux%zux%zu k %zu metric %d flags %u entry %zu: scalar "
                               "%lld (%g) neon %lld (%g)",
                               m, n, dim, k, mi, flags, e, (long long)idx[0][e], sc[0][e],
                               (long long)idx[1][e], sc[1][e]);
                        EXPECT(idx64[0][e] == idx64[1][e] && same_value(sc64[0][e], sc64[1][e]),
                               "topk f64 %zux%zux%zu metric %d entry %zu", m, n, dim, mi, e);
                        EXPECT(idxi[0][e] == idxi[1][e] && same_value(sci[0][e], sci[1][e]),
                               "topk i8 %zux%zux%zu metric %d entry %zu", m, n, dim, mi, e);
                    }
                }
            }
        }
        for (int l = 0; l < 2; l++) {
            free(idx[l]), free(idx64[l]), free(idxi[l]), free(sc[l]), free(sc64[l]), free(sci[l]);
        }
        free(q), free(c), free(q64), free(c64), free(qi), free(ci);
    }
}
END_TEST

START_TEST(test_neon__normalize_matches_scalar) {
    static const size_t dims[] = {1, 7, 16, 67, 4096};
    srand(108);
    for (size_t di = 0; di < sizeof dims / sizeof *dims; di++) {
        size_t dim = dims[di], rows = 3;
        float *x[2];
        double *y[2];
        for (int l = 0; l < 2; l++) {
            x[l] = malloc(rows * dim * sizeof(float)), y[l] = malloc(rows * dim * sizeof(double));
        }
        for (size_t i = 0; i < rows * dim; i++) {
            x[0][i] = x[1][i] = (float)urand();
            y[0][i] = y[1][i] = urand();
        }
        for (int l = 0; l < 2; l++) {
            set_level(LEVELS[l]);
            ck_assert_int_eq(hp_vec_normalize_f32(x[l], rows, dim), HP_OK);
            ck_assert_int_eq(hp_vec_normalize_f64(y[l], rows, dim), HP_OK);
        }
        for (size_t i = 0; i < rows * dim; i++) {
            EXPECT(fabs((double)x[0][i] - x[1][i]) <= 4e-6 * fabs(x[0][i]) + 1e-30,
                   "normalize f32 dim %zu elem %zu: %.9g vs %.9g", dim, i, x[0][i], x[1][i]);
            EXPECT(fabs(y[0][i] - y[1][i]) <= 1e-13 * fabs(y[0][i]) + 1e-300,
                   "normalize f64 dim %zu elem %zu: %.17g vs %.17g", dim, i, y[0][i], y[1][i]);
        }
        for (int l = 0; l < 2; l++) free(x[l]), free(y[l]);
    }
}
END_TEST

/* ---------------------------------------------------------------- sums */

static double sum_at(int level, const double *x, size_t n) {
    set_level(level);
    double s = -1;
    ck_assert_int_eq(hp_sum_f64(&s, x, n), HP_OK);
    return s;
}

static void two_sum(double a, double b, double *s, double *e) {
    double t = a + b, bv = t - a;
    *e = (a - (t - bv)) + (b - bv);
    *s = t;
}

/* The 16-lane Sum2 of sum.c's SIMD paths written out in scalar C: lane l takes x[i + l]
 * of every full block of 16, the tail goes into lane 0, the lanes are combined in order
 * with TwoSum. The AVX2 and AVX-512 paths compute exactly this, so NEON equal to it bit
 * for bit means NEON equals them. */
static double sum2_model16(const double *x, size_t n) {
    double s[16] = {0}, c[16] = {0}, e;
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        for (int l = 0; l < 16; l++) {
            two_sum(s[l], x[i + (size_t)l], &s[l], &e);
            c[l] += e;
        }
    }
    for (; i < n; i++) {
        two_sum(s[0], x[i], &s[0], &e);
        c[0] += e;
    }
    double total = s[0], err = c[0];
    for (int l = 1; l < 16; l++) {
        two_sum(total, s[l], &total, &e);
        err += e + c[l];
    }
    return total + err;
}

/* The exactly rounded sum (hp_stats_sum's exact mode: a long accumulator, no SIMD). */
static double exact_sum(const void *x, size_t n, hp_stats_type t) {
    double s;
    ck_assert_int_eq(hp_stats_sum(&s, x, n, t, HP_STATS_EXACT, 1), HP_OK);
    return s;
}

/* x[3j] = y_j of magnitudes 2^-100..2^100, x[3j+1] = -y_(m-1-j), x[3j+2] and the rest
 * small: the huge values cancel exactly, in an order no lane layout follows. */
static void fill_cancelling(double *x, size_t n) {
    size_t m = n / 3;
    for (size_t j = 0; j < m; j++) x[3 * j] = ldexp(urand(), rand() % 201 - 100);
    for (size_t j = 0; j < m; j++) x[3 * j + 1] = -x[3 * (m - 1 - j)];
    for (size_t j = 0; j < m; j++) x[3 * j + 2] = urand();
    for (size_t i = 3 * m; i < n; i++) x[i] = urand();
}

START_TEST(test_neon__sum_f64_contract) {
    double *buf = malloc((BIG + 1) * sizeof *buf), *exact = malloc((BIG + 1) * sizeof *exact);
    double *wild = malloc((BIG + 1) * sizeof *wild);
    srand(109);
    /* ill-conditioned: magnitudes over 2^60 with cancellation */
    for (size_t i = 0; i <= BIG; i++)
        buf[i] = ldexp((double)(rand() % 2000001 - 1000000), rand() % 60 - 30);
    /* exactly summable: multiples of 2^-20 below 1, so every partial sum is exact */
    for (size_t i = 0; i <= BIG; i++) exact[i] = ldexp((double)(rand() % 2000001 - 1000000), -20);
    size_t lens[MAX_LENGTHS + 1], nl = lengths(lens + 1) + 1;
    lens[0] = 0;
    for (size_t li = 0; li < nl; li++) {
        size_t n = lens[li];
        for (size_t off = 0; off < 2; off++) {
            const double *x = buf + off, *y = exact + off;
            /* the documented bound against the exactly rounded sum, at both levels */
            double want = exact_sum(x, n, HP_STATS_F64), abs_sum = 0;
            for (size_t i = 0; i < n; i++) abs_sum += fabs(x[i]);
            double eps = 0x1p-53, g = (double)(n + 15) * eps;
            double bound = 2 * eps * fabs(want) + 2 * g * g * abs_sum * (1 + 1e-9) + DBL_MIN;
            double scalar = sum_at(HP_SIMD_SCALAR, x, n), neon = sum_at(HP_SIMD_NEON, x, n);
            EXPECT(fabs(scalar - want) <= bound && fabs(neon - want) <= bound,
                   "n %zu off %zu: scalar %.17g neon %.17g exact %.17g bound %.3g", n, off, scalar,
                   neon, want, bound);
            /* the 16-lane layout of the AVX2/AVX-512 paths, bit for bit */
            double model = sum2_model16(x, n);
            EXPECT(neon == model, "n %zu off %zu: neon %.17g != 16-lane model %.17g", n, off, neon,
                   model);
            /* exactly summable data: every level gives the same (exact) result */
            double ys = sum_at(HP_SIMD_SCALAR, y, n), yn = sum_at(HP_SIMD_NEON, y, n);
            EXPECT(ys == yn && yn == exact_sum(y, n, HP_STATS_F64),
                   "exact data n %zu off %zu: scalar %.17g neon %.17g", n, off, ys, yn);
            /* condition number ~2^200: the error sum itself rounds, so the result depends
             * on the lane layout, and only the bound and the model pin it down */
            fill_cancelling(wild + off, n);
            x = wild + off;
            want = exact_sum(x, n, HP_STATS_F64), abs_sum = 0;
            for (size_t i = 0; i < n; i++) abs_sum += fabs(x[i]);
            bound = 2 * eps * fabs(want) + 2 * g * g * abs_sum * (1 + 1e-9) + DBL_MIN;
            scalar = sum_at(HP_SIMD_SCALAR, x, n), neon = sum_at(HP_SIMD_NEON, x, n);
            EXPECT(fabs(scalar - want) <= bound && fabs(neon - want) <= bound,
                   "cancelling n %zu off %zu: scalar %.17g neon %.17g exact %.17g bound %.3g", n,
                   off, scalar, neon, want, bound);
            model = sum2_model16(x, n);
            EXPECT(neon == model, "cancelling n %zu off %zu: neon %.17g != 16-lane model %.17g", n,
                   off, neon, model);
        }
    }
    free(buf), free(exact), free(wild);
}
END_TEST

START_TEST(test_neon__sum_f64_non_finite_and_overflow) {
    enum { N = 40 }; /* long enough for the vector loop (16-element blocks) */
    double x[N];
    static const double specials[] = {NAN, INFINITY, -INFINITY};
    for (size_t s = 0; s < 3; s++) {
        for (size_t p = 0; p < N; p += 7) {
            for (size_t i = 0; i < N; i++) x[i] = (double)i - 20.5;
            x[p] = specials[s];
            double a = sum_at(HP_SIMD_SCALAR, x, N), b = sum_at(HP_SIMD_NEON, x, N);
            EXPECT(same_value(a, b) && same_value(a, specials[s]), "special %g at %zu: %g %g",
                   specials[s], p, a, b);
            x[(p + 16) % N] = -INFINITY; /* with +inf: NaN */
            a = sum_at(HP_SIMD_SCALAR, x, N), b = sum_at(HP_SIMD_NEON, x, N);
            EXPECT(same_value(a, b), "two specials at %zu: %g %g", p, a, b);
        }
    }
    /* finite inputs whose running sums overflow: the scaled (x/2) pass of the NEON kernel
     * must give DBL_MAX where the exact sum rounds to it, and HP_EOVERFLOW otherwise */
    for (int l = 0; l < 2; l++) {
        set_level(LEVELS[l]);
        for (size_t i = 0; i < N; i++) x[i] = 0.0;
        x[3] = 0x1p1023, x[19] = -4.99e291, x[35] = 0x1p1023 - 0x1p970;
        double s;
        ck_assert_int_eq(hp_sum_f64(&s, x, N), HP_OK);
        EXPECT(s == DBL_MAX, "%s: %.17g", LEVEL_NAMES[l], s);
        x[19] = 0.0, x[35] = DBL_MAX;
        ck_assert_int_eq(hp_sum_f64(&s, x, N), HP_EOVERFLOW);
        /* lane 3 overflows (2^1023 twice) and a later value brings the sum back: only the
         * x/2 pass of the vector loop gets 2^1023 */
        x[19] = 0x1p1023, x[35] = -0x1p1023;
        ck_assert_int_eq(hp_sum_f64(&s, x, N), HP_OK);
        EXPECT(s == 0x1p1023, "%s: %.17g", LEVEL_NAMES[l], s);
        x[35] = 0.0, x[20] = -0x1p1023;
        ck_assert_int_eq(hp_sum_f64(&s, x, N), HP_OK);
        EXPECT(s == 0x1p1023, "%s: %.17g", LEVEL_NAMES[l], s);
    }
}
END_TEST

/* hp_stats_sum (per-block Sum2 pairs through the same kernel), f64 and f32, with and
 * without skipnan, one and two threads, over more than one 2^16 block. */
START_TEST(test_neon__stats_sum_matches_scalar) {
    size_t n = 3 * 65536 + 17;
    double *x = malloc((n + 1) * sizeof *x);
    float *f = malloc((n + 1) * sizeof *f);
    srand(110);
    for (size_t i = 0; i <= n; i++) {
        x[i] = ldexp((double)(rand() % 2000001 - 1000000), -20);
        f[i] = (float)ldexp((double)(rand() % 20001 - 10000), -10);
    }
    x[n / 2] = NAN, f[n / 3] = NAN;
    for (uint32_t flags = 0; flags <= HP_STATS_SKIPNAN; flags += HP_STATS_SKIPNAN) {
        for (unsigned threads = 1; threads <= 2; threads++) {
            double r[2][2];
            for (int l = 0; l < 2; l++) {
                set_level(LEVELS[l]);
                ck_assert_int_eq(hp_stats_sum(&r[l][0], x + 1, n, HP_STATS_F64, flags, threads),
                                 HP_OK);
                ck_assert_int_eq(hp_stats_sum(&r[l][1], f + 1, n, HP_STATS_F32, flags, threads),
                                 HP_OK);
            }
            double e64 = NAN;
            if (flags) {
                ck_assert_int_eq(hp_stats_sum(&e64, x + 1, n, HP_STATS_F64,
                                              HP_STATS_EXACT | HP_STATS_SKIPNAN, 1),
                                 HP_OK);
            }
            EXPECT(same_value(r[0][0], r[1][0]) && (flags ? r[1][0] == e64 : isnan(r[1][0])),
                   "f64 flags %u threads %u: scalar %.17g neon %.17g", flags, threads, r[0][0],
                   r[1][0]);
            EXPECT(same_value(r[0][1], r[1][1]), "f32 flags %u threads %u: scalar %.17g neon %.17g",
                   flags, threads, r[0][1], r[1][1]);
        }
    }
    /* mean and var run on the same sums */
    double m[2], v[2];
    x[n / 2] = 1.0;
    for (int l = 0; l < 2; l++) {
        set_level(LEVELS[l]);
        ck_assert_int_eq(hp_stats_mean(&m[l], x, n, HP_STATS_F64, 0, 2), HP_OK);
        ck_assert_int_eq(hp_stats_var(&v[l], x, n, HP_STATS_F64, 1.0, 0, 2), HP_OK);
    }
    EXPECT(m[0] == m[1], "mean %.17g vs %.17g", m[0], m[1]);
    EXPECT(fabs(v[0] - v[1]) <= 1e-12 * v[0], "var %.17g vs %.17g", v[0], v[1]);
    free(x), free(f);
}
END_TEST

static Suite *neon_suite(void) {
    Suite *s = suite_create("neon");
    TCase *tc = tcase_create("neon");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, test_neon__is_the_detected_level);
    tcase_add_test(tc, test_neon__pairs_f32_within_bound);
    tcase_add_test(tc, test_neon__pairs_f64_within_bound);
    tcase_add_test(tc, test_neon__pairs_i8_exact);
    tcase_add_test(tc, test_neon__f32_dot_4096_within_documented_bound);
    tcase_add_test(tc, test_neon__non_finite_pairs);
    tcase_add_test(tc, test_neon__score_many_matches_bounds);
    tcase_add_test(tc, test_neon__cdist_matches_bounds);
    tcase_add_test(tc, test_neon__topk_identical_to_scalar);
    tcase_add_test(tc, test_neon__normalize_matches_scalar);
    tcase_add_test(tc, test_neon__sum_f64_contract);
    tcase_add_test(tc, test_neon__sum_f64_non_finite_and_overflow);
    tcase_add_test(tc, test_neon__stats_sum_matches_scalar);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) {
    SRunner *sr = srunner_create(neon_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
