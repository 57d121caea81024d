/*
 * Vector kernels and top-k: known values, the documented f32 error bound at dim 4096,
 * every SIMD level against the scalar reference (lengths around the vector widths,
 * unaligned rows), cdist against the pair kernel, top-k against a brute-force sort
 * (ties, NaN, exclude_self, k > n, every thread split), and every error path.
 */
#include "internal/common.h"
#include "suites.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                                    \
    } while (0)

static const hp_vec_metric METRICS[] = {HP_VEC_DOT, HP_VEC_COSINE, HP_VEC_COSINE_DISTANCE,
                                    HP_VEC_SQEUCLIDEAN, HP_VEC_EUCLIDEAN};

static double urand(void) { return (double)rand() / RAND_MAX * 2.0 - 1.0; }

static double score32(const float *a, const float *b, size_t dim, hp_vec_metric metric) {
    double out = -7;
    ck_assert_int_eq(hp_vec_score_f32(&out, a, b, dim, metric), HP_OK);
    return out;
}

/* The exact-product double reference of every metric. */
static double reference(const float *a, const float *b, size_t dim, hp_vec_metric metric) {
    double ab = 0, aa = 0, bb = 0, dd = 0;
    for (size_t i = 0; i < dim; i++) {
        ab += (double)a[i] * b[i];
        aa += (double)a[i] * a[i];
        bb += (double)b[i] * b[i];
        dd += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    }
    double c = ab / (sqrt(aa) * sqrt(bb));
    switch (metric) {
    case HP_VEC_DOT: return ab;
    case HP_VEC_COSINE: return c;
    case HP_VEC_COSINE_DISTANCE: return 1 - c;
    case HP_VEC_SQEUCLIDEAN: return dd;
    default: return sqrt(dd);
    }
}

/* Levels to run: scalar up to the detected one (sse42 runs the scalar code); on aarch64
 * scalar and NEON (the x86 levels cannot be set there). */
static int levels(int *out) {
    int n = 0;
    int top = hp_simd_detected() == HP_SIMD_NEON ? HP_SIMD_SCALAR : (int)hp_simd_detected();
    for (int l = HP_SIMD_SCALAR; l <= top && l <= HP_SIMD_AVX512; l++) out[n++] = l;
    if (hp_simd_detected() == HP_SIMD_NEON) out[n++] = HP_SIMD_NEON;
    return n;
}

START_TEST(test_vector__known_values) {
    const float a[] = {1, 2, 3}, b[] = {4, -5, 6};
    ck_assert(score32(a, b, 3, HP_VEC_DOT) == 12.0);
    ck_assert(score32(a, b, 3, HP_VEC_SQEUCLIDEAN) == 9 + 49 + 9);
    ck_assert(fabs(score32(a, b, 3, HP_VEC_EUCLIDEAN) - sqrt(67.0)) < 1e-12);
    ck_assert(fabs(score32(a, b, 3, HP_VEC_COSINE) - 12 / (sqrt(14.0) * sqrt(77.0))) < 1e-12);
    ck_assert(score32(a, a, 3, HP_VEC_COSINE) == 1.0);
    ck_assert(score32(a, a, 3, HP_VEC_COSINE_DISTANCE) == 0.0);
    const double x[] = {1.5, -2}, y[] = {2, 4};
    double out;
    ck_assert_int_eq(hp_vec_score_f64(&out, x, y, 2, HP_VEC_DOT), HP_OK);
    ck_assert(out == -5.0);
    const int8_t p[] = {-128, 127, 3}, q[] = {-128, -128, 2};
    ck_assert_int_eq(hp_vec_score_i8(&out, p, q, 3, HP_VEC_DOT), HP_OK);
    ck_assert(out == 16384.0 - 16256.0 + 6.0);
    ck_assert_int_eq(hp_vec_score_i8(&out, p, q, 3, HP_VEC_SQEUCLIDEAN), HP_OK);
    ck_assert(out == 0 + 255.0 * 255.0 + 1);
    /* opposite vectors: clamped to exactly -1 / 2 */
    const float u[] = {0.1f, 0.2f, 0.3f}, v[] = {-0.1f, -0.2f, -0.3f};
    ck_assert(score32(u, v, 3, HP_VEC_COSINE) >= -1.0);
    ck_assert(score32(u, v, 3, HP_VEC_COSINE_DISTANCE) <= 2.0);
}
END_TEST

START_TEST(test_vector__i8_is_exact_beyond_int32) {
    /* 300000 * 16384 > 2^31: the 32-bit lanes must be widened in time. */
    size_t n = 300000;
    int8_t *a = malloc(n), *b = malloc(n);
    for (size_t i = 0; i < n; i++) a[i] = b[i] = -128;
    int lv[5], nl = levels(lv);
    for (int l = 0; l < nl; l++) {
        ck_assert_int_eq(hp_simd_set_level(lv[l]), HP_OK);
        double out;
        ck_assert_int_eq(hp_vec_score_i8(&out, a, b, n, HP_VEC_DOT), HP_OK);
        EXPECT(out == 300000.0 * 16384.0, "level %d: %.17g", lv[l], out);
        for (size_t i = 0; i < n; i++) b[i] = 127;
        ck_assert_int_eq(hp_vec_score_i8(&out, a, b, n, HP_VEC_SQEUCLIDEAN), HP_OK);
        EXPECT(out == 300000.0 * 65025.0, "level %d: %.17g", lv[l], out);
        for (size_t i = 0; i < n; i++) b[i] = -128;
    }
    ck_assert_int_eq(hp_simd_set_level((int)hp_simd_detected()), HP_OK);
    free(a);
    free(b);
}
END_TEST

/* The documented bound at dim 4096: |dot - exact| <= 3.9e-6 * sum|a_i b_i|. */
START_TEST(test_vector__f32_error_bound_at_4096) {
    enum { D = 4096 };
    static float a[D], b[D];
    int lv[5], nl = levels(lv);
    for (int l = 0; l < nl; l++) {
        ck_assert_int_eq(hp_simd_set_level(lv[l]), HP_OK);
        srand(17);
        for (int round = 0; round < 50; round++) {
            double abs_sum = 0;
            for (int i = 0; i < D; i++) {
                /* positive terms (no cancellation to hide rounding) of mixed magnitude */
                a[i] = (float)ldexp(fabs(urand()) + 0.5, rand() % 8);
                b[i] = (float)(fabs(urand()) + 0.5);
                abs_sum += (double)a[i] * b[i];
            }
            double want = reference(a, b, D, HP_VEC_DOT);
            double got = score32(a, b, D, HP_VEC_DOT);
            double bound = 3.9e-6 * abs_sum + D * DBL_EPSILON * abs_sum;
            EXPECT(fabs(got - want) <= bound, "level %d: err %g > bound %g", lv[l],
                   fabs(got - want), bound);
        }
        /* One 1.0 per lane, then 4080 terms of 2^-25: a plain float sum would round every
         * small term away (error 1.2e-4 = 7.6e-6 relative); blocks of 64 keep all but the
         * first block's. */
        for (int i = 0; i < D; i++) {
            a[i] = i < 16 ? 1.0f : 0x1p-25f;
            b[i] = 1.0f;
        }
        double want = 16.0 + (D - 16) * 0x1p-25, got = score32(a, b, D, HP_VEC_DOT);
        EXPECT(fabs(got - want) <= 3.9e-6 * want, "level %d: small terms lost: %.10g vs %.10g",
               lv[l], got, want);
        ck_assert(fabs(score32(a, a, D, HP_VEC_SQEUCLIDEAN)) == 0.0);
    }
    ck_assert_int_eq(hp_simd_set_level((int)hp_simd_detected()), HP_OK);
}
END_TEST

/* Every level agrees with the double reference on lengths around 8/16/32/64 multiples,
 * on rows that start at every float offset of a 64-byte line. */
START_TEST(test_vector__levels_agree_with_reference) {
    static float buf[2 * 4200 + 64];
    int lv[5], nl = levels(lv);
    srand(23);
    for (size_t i = 0; i < sizeof buf / sizeof *buf; i++) buf[i] = (float)urand();
    size_t dims[] = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129,
                     1000, 1023, 1024, 1025, 2049, 4100};
    for (int l = 0; l < nl; l++) {
        ck_assert_int_eq(hp_simd_set_level(lv[l]), HP_OK);
        for (size_t d = 0; d < sizeof dims / sizeof *dims; d++) {
            size_t dim = dims[d];
            for (size_t off = 0; off < 16; off += 3) {
                const float *a = buf + off, *b = buf + 4200 + (off * 7) % 16;
                for (int m = 0; m < 5; m++) {
                    double want = reference(a, b, dim, METRICS[m]);
                    double got = score32(a, b, dim, METRICS[m]);
                    double scale = METRICS[m] == HP_VEC_COSINE ||
                                   METRICS[m] == HP_VEC_COSINE_DISTANCE ? 1.0 : 4.0 * (double)dim;
                    EXPECT(fabs(got - want) <= 4e-6 * scale, "level %d dim %zu off %zu metric %d: "
                           "%.10g vs %.10g", lv[l], dim, off, m, got, want);
                }
                double want64, got64, x[64], y[64];
                for (int i = 0; i < 64; i++) x[i] = a[i], y[i] = b[i];
                size_t dd = dim < 64 ? dim : 64;
                for (int m = 0; m < 5; m++) {
                    ck_assert_int_eq(hp_vec_score_f64(&got64, x, y, dd, METRICS[m]), HP_OK);
                    want64 = reference(a, b, dd, METRICS[m]);
                    EXPECT(fabs(got64 - want64) <= 1e-13, "f64 level %d dim %zu metric %d",
                           lv[l], dd, m);
                }
                int8_t p[64], q[64];
                int64_t ab = 0, dd2 = 0;
                for (size_t i = 0; i < dd; i++) {
                    p[i] = (int8_t)(a[i] * 127), q[i] = (int8_t)(b[i] * 127);
                    ab += p[i] * q[i];
                    dd2 += (p[i] - q[i]) * (p[i] - q[i]);
                }
                ck_assert_int_eq(hp_vec_score_i8(&got64, p, q, dd, HP_VEC_DOT), HP_OK);
                EXPECT(got64 == (double)ab, "i8 dot level %d dim %zu", lv[l], dd);
                ck_assert_int_eq(hp_vec_score_i8(&got64, p, q, dd, HP_VEC_SQEUCLIDEAN), HP_OK);
                EXPECT(got64 == (double)dd2, "i8 l2 level %d dim %zu", lv[l], dd);
            }
        }
    }
    ck_assert_int_eq(hp_simd_set_level((int)hp_simd_detected()), HP_OK);
}
END_TEST

START_TEST(test_vector__nan_and_zero_vectors) {
    float a[40], b[40], z[40] = {0};
    for (int i = 0; i < 40; i++) a[i] = b[i] = (float)i;
    a[37] = NAN;
    int lv[5], nl = levels(lv);
    for (int l = 0; l < nl; l++) {
        ck_assert_int_eq(hp_simd_set_level(lv[l]), HP_OK);
        for (int m = 0; m < 5; m++) {
            EXPECT(isnan(score32(a, b, 40, METRICS[m])), "level %d metric %d", lv[l], m);
        }
        EXPECT(isnan(score32(z, b, 40, HP_VEC_COSINE)), "zero vector cosine is NaN");
        EXPECT(score32(z, b, 40, HP_VEC_DOT) == 0.0, "zero dot");
        float out[3];
        float rows[3 * 40];
        memcpy(rows, b, sizeof b);
        memcpy(rows + 40, a, sizeof a);
        memcpy(rows + 80, z, sizeof z);
        ck_assert_int_eq(hp_vec_score_many_f32(out, b, rows, 3, 40, HP_VEC_COSINE), HP_OK);
        EXPECT(out[0] == 1.0f && isnan(out[1]) && isnan(out[2]), "many: %g %g %g", out[0],
               out[1], out[2]);
    }
    ck_assert_int_eq(hp_simd_set_level((int)hp_simd_detected()), HP_OK);
}
END_TEST

/* cdist (packed tiles) against the pair kernel, shapes around the tile sizes. */
START_TEST(test_vector__cdist_matches_pairs) {
    size_t shapes[][3] = {{1, 1, 1},   {1, 70, 33}, {3, 5, 7},    {5, 40, 16},  {6, 16, 8},
                          {12, 32, 64}, {13, 33, 65}, {25, 100, 130}, {50, 7, 3}, {37, 300, 200}};
    int lv[5], nl = levels(lv);
    srand(29);
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        size_t m = shapes[s][0], n = shapes[s][1], dim = shapes[s][2];
        float *a = malloc((m * dim + 1) * sizeof *a), *b = malloc((n * dim + 1) * sizeof *b);
        float *out = malloc(m * n * sizeof *out);
        double *a64 = malloc(m * dim * sizeof *a64), *b64 = malloc(n * dim * sizeof *b64);
        double *o64 = malloc(m * n * sizeof *o64);
        float *ua = a + 1; /* rows not 16-byte aligned */
        for (size_t i = 0; i < m * dim; i++) a64[i] = ua[i] = (float)urand();
        for (size_t i = 0; i < n * dim; i++) b64[i] = b[i] = (float)urand();
        for (int l = 0; l < nl; l++) {
            ck_assert_int_eq(hp_simd_set_level(lv[l]), HP_OK);
            for (int mi = 0; mi < 5; mi++) {
                for (unsigned threads = 0; threads <= 3; threads += 3) {
                    ck_assert_int_eq(hp_vec_cdist_f32(out, ua, m, b, n, dim, METRICS[mi], threads),
                                     HP_OK);
                    ck_assert_int_eq(hp_vec_cdist_f64(o64, a64, m, b64, n, dim, METRICS[mi], threads),
                                     HP_OK);
                    for (size_t i = 0; i < m; i++) {
                        for (size_t j = 0; j < n; j++) {
                            double want = reference(ua + i * dim, b + j * dim, dim, METRICS[mi]);
                            double tol = 1e-5 * (1 + fabs(want));
                            EXPECT(fabs(out[i * n + j] - want) <= tol,
                                   "level %d shape %zux%zux%zu metric %d (%zu,%zu): %g vs %g",
                                   lv[l], m, n, dim, mi, i, j, out[i * n + j], want);
                            EXPECT(fabs(o64[i * n + j] - want) <= 1e-12 * (1 + fabs(want)) * dim,
                                   "f64 cdist level %d", lv[l]);
                        }
                    }
                }
            }
            if (m == 1) {
                ck_assert_int_eq(hp_vec_score_many_f32(out, ua, b, n, dim, HP_VEC_DOT), HP_OK);
                for (size_t j = 0; j < n; j++)
                    EXPECT(fabs(out[j] - reference(ua, b + j * dim, dim, HP_VEC_DOT)) < 1e-4,
                           "many");
            }
        }
        free(a), free(b), free(out), free(a64), free(b64), free(o64);
    }
    ck_assert_int_eq(hp_simd_set_level((int)hp_simd_detected()), HP_OK);
}
END_TEST

START_TEST(test_vector__cdist_i8) {
    int8_t a[3 * 5], b[4 * 5];
    for (int i = 0; i < 15; i++) a[i] = (int8_t)(i * 17 - 100);
    for (int i = 0; i < 20; i++) b[i] = (int8_t)(i * -13 + 90);
    double out[12], one;
    for (int m = 0; m < 5; m++) {
        ck_assert_int_eq(hp_vec_cdist_i8(out, a, 3, b, 4, 5, METRICS[m], 0), HP_OK);
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++) {
                ck_assert_int_eq(hp_vec_score_i8(&one, a + 5 * i, b + 5 * j, 5, METRICS[m]), HP_OK);
                EXPECT(fabs(out[i * 4 + j] - one) <= 1e-12 * (1 + fabs(one)), "i8 cdist");
            }
    }
}
END_TEST

START_TEST(test_vector__normalize) {
    float x[3 * 20];
    double y[2 * 20];
    for (int i = 0; i < 60; i++) x[i] = (float)(i % 7) - 3;
    for (int i = 20; i < 40; i++) x[i] = 0;
    for (int i = 0; i < 40; i++) y[i] = i * 0.5 - 3;
    ck_assert_int_eq(hp_vec_normalize_f32(x, 3, 20), HP_OK);
    ck_assert_int_eq(hp_vec_normalize_f64(y, 2, 20), HP_OK);
    for (int r = 0; r < 3; r++) {
        double sq = 0;
        for (int i = 0; i < 20; i++) sq += (double)x[r * 20 + i] * x[r * 20 + i];
        EXPECT(r == 1 ? sq == 0.0 : fabs(sq - 1) < 1e-6, "row %d: %g", r, sq);
    }
    for (int r = 0; r < 2; r++) {
        double sq = 0;
        for (int i = 0; i < 20; i++) sq += y[r * 20 + i] * y[r * 20 + i];
        EXPECT(fabs(sq - 1) < 1e-14, "f64 row %d: %g", r, sq);
    }
    ck_assert_int_eq(hp_vec_normalize_f32(NULL, 0, 5), HP_OK);
    ck_assert_int_eq(hp_vec_normalize_f32(NULL, 1, 5), HP_EINVAL);
    ck_assert_int_eq(hp_vec_normalize_f64(y, 1, 0), HP_EINVAL);
    ck_assert_int_eq(hp_vec_normalize_f64(y, SIZE_MAX / 4, 4), HP_EOVERFLOW);
}
END_TEST

/* ---------------------------------------------------------------- top-k */

typedef struct cand {
    double key;
    int64_t idx;
} cand;

static int cand_cmp(const void *x, const void *y) {
    const cand *a = x, *b = y;
    bool an = isnan(a->key), bn = isnan(b->key);
    if (an != bn) return an ? 1 : -1;
    if (!an && a->key != b->key) return a->key > b->key ? -1 : 1;
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Brute force from cdist: sort each row by the documented order. */
static void check_topk(const float *q, size_t m, const float *c, size_t n, size_t dim, size_t k,
                       hp_vec_metric metric, uint32_t flags, unsigned threads) {
    float *full = malloc((m * n + 1) * sizeof *full);
    int64_t *idx = malloc((m * k + 1) * sizeof *idx);
    float *sc = malloc((m * k + 1) * sizeof *sc);
    cand *row = malloc((n + 1) * sizeof *row);
    ck_assert_int_eq(hp_vec_cdist_f32(full, q, m, c, n, dim, metric, 1), HP_OK);
    ck_assert_int_eq(hp_vec_topk_f32(idx, sc, q, m, c, n, dim, k, metric, flags, threads), HP_OK);
    bool higher = metric == HP_VEC_DOT || metric == HP_VEC_COSINE;
    for (size_t i = 0; i < m; i++) {
        size_t cnt = 0;
        for (size_t j = 0; j < n; j++) {
            if ((flags & HP_TOPK_EXCLUDE_SELF) && j == i) continue;
            double v = full[i * n + j];
            row[cnt++] = (cand){higher ? v : -v, (int64_t)j};
        }
        qsort(row, cnt, sizeof *row, cand_cmp);
        for (size_t r = 0; r < k; r++) {
            int64_t want = r < cnt ? row[r].idx : -1;
            EXPECT(idx[i * k + r] == want, "m=%zu n=%zu dim=%zu k=%zu metric %d flags %u threads %u "
                   "query %zu rank %zu: %lld vs %lld", m, n, dim, k, metric, flags, threads, i, r,
                   (long long)idx[i * k + r], (long long)want);
            if (want < 0) EXPECT(isnan(sc[i * k + r]), "NaN score beside -1");
            else {
                float ws = full[i * n + (size_t)want];
                EXPECT(sc[i * k + r] == ws || (isnan(ws) && isnan(sc[i * k + r])),
                       "score %g vs %g", sc[i * k + r], ws);
            }
        }
    }
    free(full), free(idx), free(sc), free(row);
}

START_TEST(test_vector__topk_matches_brute_force) {
    size_t shapes[][4] = {{1, 1, 3, 1},     {1, 10, 5, 3},    {4, 50, 16, 5},  {13, 257, 33, 10},
                          {30, 600, 64, 7}, {7, 2000, 20, 50}, {40, 40, 8, 40}, {3, 5, 4, 9},
                          {100, 300, 17, 1}};
    int lv[5], nl = levels(lv);
    srand(31);
    for (size_t s = 0; s < sizeof shapes / sizeof *shapes; s++) {
        size_t m = shapes[s][0], n = shapes[s][1], dim = shapes[s][2], k = shapes[s][3];
        float *q = malloc(m * dim * sizeof *q), *c = malloc(n * dim * sizeof *c);
        /* values on a coarse grid and repeated rows, so ties are common */
        for (size_t i = 0; i < n * dim; i++) c[i] = (float)(rand() % 5 - 2);
        for (size_t j = 3; j < n; j += 4) memcpy(c + j * dim, c + (j - 3) * dim, dim * sizeof *c);
        for (size_t i = 0; i < m * dim; i++) q[i] = (float)(rand() % 5 - 2);
        for (int l = 0; l < nl; l++) {
            ck_assert_int_eq(hp_simd_set_level(lv[l]), HP_OK);
            for (int mi = 0; mi < 5; mi++) {
                check_topk(q, m, c, n, dim, k, METRICS[mi], 0, 0);
                check_topk(q, m, c, n, dim, k, METRICS[mi], 0, 1);
                check_topk(q, m, c, n, dim, k, METRICS[mi], 0, 7);
                if (m <= n) check_topk(c, m, c, n, dim, k, METRICS[mi], HP_TOPK_EXCLUDE_SELF, 0);
            }
        }
        free(q), free(c);
    }
    ck_assert_int_eq(hp_simd_set_level((int)hp_simd_detected()), HP_OK);
}
END_TEST

START_TEST(test_vector__topk_nan_ranks_last) {
    float c[6 * 4], q[4] = {1, 2, 3, 4};
    for (int i = 0; i < 24; i++) c[i] = (float)(i % 5);
    c[1 * 4 + 2] = NAN;
    c[4 * 4 + 0] = NAN;
    for (int m = 0; m < 5; m++) {
        check_topk(q, 1, c, 6, 4, 6, METRICS[m], 0, 0);
        check_topk(q, 1, c, 6, 4, 3, METRICS[m], 0, 0);
    }
    int64_t idx[6];
    ck_assert_int_eq(hp_vec_topk_f32(idx, NULL, q, 1, c, 6, 4, 6, HP_VEC_DOT, 0, 0), HP_OK);
    ck_assert(idx[4] == 1 && idx[5] == 4);
}
END_TEST

START_TEST(test_vector__topk_f64_i8_and_empty) {
    double q[2 * 3] = {1, 0, 0, 0, 1, 0}, c[4 * 3] = {0, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0};
    int64_t idx[2 * 3];
    double sc[2 * 3];
    ck_assert_int_eq(hp_vec_topk_f64(idx, sc, q, 2, c, 4, 3, 3, HP_VEC_COSINE, 0, 0), HP_OK);
    ck_assert(idx[0] == 1 && idx[1] == 3 && idx[2] == 2 && sc[0] == 1.0);
    ck_assert(idx[3] == 0 && idx[4] == 2 && idx[5] == 1 && sc[5] == 0.0);
    int8_t qi[3] = {1, 2, 3}, ci[3 * 3] = {3, 2, 1, 1, 2, 3, -1, -2, -3};
    ck_assert_int_eq(hp_vec_topk_i8(idx, sc, qi, 1, ci, 3, 3, 3, HP_VEC_SQEUCLIDEAN, 0, 0), HP_OK);
    ck_assert(idx[0] == 1 && idx[1] == 0 && idx[2] == 2 && sc[0] == 0 && sc[1] == 8 && sc[2] == 56);
    /* empty corpus: every slot -1 / NaN; k 0 and m 0 write nothing */
    ck_assert_int_eq(hp_vec_topk_f64(idx, sc, q, 2, NULL, 0, 3, 3, HP_VEC_DOT, 0, 0), HP_OK);
    for (int i = 0; i < 6; i++) ck_assert(idx[i] == -1 && isnan(sc[i]));
    ck_assert_int_eq(hp_vec_topk_f64(NULL, NULL, q, 2, c, 4, 3, 0, HP_VEC_DOT, 0, 0), HP_OK);
    ck_assert_int_eq(hp_vec_topk_f64(NULL, NULL, NULL, 0, c, 4, 3, 5, HP_VEC_DOT, 0, 0), HP_OK);
}
END_TEST

START_TEST(test_vector__errors) {
    float a[4] = {1, 2, 3, 4}, out[4];
    double d;
    int64_t idx[4];
    ck_assert_int_eq(hp_vec_score_f32(NULL, a, a, 4, HP_VEC_DOT), HP_EINVAL);
    ck_assert_int_eq(hp_vec_score_f32(&d, NULL, a, 4, HP_VEC_DOT), HP_EINVAL);
    ck_assert_int_eq(hp_vec_score_f32(&d, a, NULL, 4, HP_VEC_DOT), HP_EINVAL);
    ck_assert_int_eq(hp_vec_score_f32(&d, a, a, 0, HP_VEC_DOT), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "dim is 0");
    ck_assert_int_eq(hp_vec_score_f32(&d, a, a, 4, (hp_vec_metric)5), HP_EINVAL);
    ck_assert_int_eq(hp_vec_score_f32(&d, a, a, 4, (hp_vec_metric)-1), HP_EINVAL);
    ck_assert_int_eq(hp_vec_score_f32(&d, a, a, SIZE_MAX / 2, HP_VEC_DOT), HP_EOVERFLOW);
    ck_assert_int_eq(hp_vec_score_f64(&d, (double *)NULL, NULL, 2, HP_VEC_DOT), HP_EINVAL);
    ck_assert_int_eq(hp_vec_score_i8(&d, (int8_t *)a, NULL, 2, HP_VEC_DOT), HP_EINVAL);
    ck_assert_int_eq(hp_vec_score_i8(&d, (int8_t *)a, (int8_t *)a, HP_MAX_LEN + 1, HP_VEC_DOT),
                     HP_EOVERFLOW);
    /* one to many */
    ck_assert_int_eq(hp_vec_score_many_f32(out, a, a, 0, 4, HP_VEC_DOT), HP_OK);
    ck_assert_int_eq(hp_vec_score_many_f32(NULL, a, a, 1, 4, HP_VEC_DOT), HP_EINVAL);
    ck_assert_int_eq(hp_vec_score_many_f32(out, NULL, a, 1, 4, HP_VEC_DOT), HP_EINVAL);
    ck_assert_int_eq(hp_vec_score_many_f32(out, a, NULL, 1, 4, HP_VEC_DOT), HP_EINVAL);
    ck_assert_int_eq(hp_vec_score_many_f32(out, a, a, SIZE_MAX / 8, 4, HP_VEC_DOT), HP_EOVERFLOW);
    /* cdist */
    ck_assert_int_eq(hp_vec_cdist_f32(out, a, 0, a, 1, 4, HP_VEC_DOT, 0), HP_OK);
    ck_assert_int_eq(hp_vec_cdist_f32(NULL, a, 1, a, 1, 4, HP_VEC_DOT, 0), HP_EINVAL);
    ck_assert_int_eq(hp_vec_cdist_f32(out, a, 1, a, 1, 0, HP_VEC_DOT, 0), HP_EINVAL);
    ck_assert_int_eq(hp_vec_cdist_f32(out, a, 1, NULL, 1, 4, HP_VEC_DOT, 0), HP_EINVAL);
    ck_assert_int_eq(hp_vec_cdist_f32(out, a, (size_t)1 << 40, a, (size_t)1 << 40, 1,
                                      HP_VEC_DOT, 0), HP_EOVERFLOW);
    ck_assert_int_eq(hp_vec_cdist_f64((double *)out, (double *)a, 1, (double *)a, 1, 2, (hp_vec_metric)9, 0),
                     HP_EINVAL);
    /* top-k */
    ck_assert_int_eq(hp_vec_topk_f32(NULL, NULL, a, 1, a, 1, 4, 1, HP_VEC_DOT, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_vec_topk_f32(idx, NULL, a, 1, a, 1, 4, 1, HP_VEC_DOT, 2, 0), HP_EINVAL);
    ck_assert_int_eq(hp_vec_topk_f32(idx, NULL, a, 1, a, 1, 0, 1, HP_VEC_DOT, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_vec_topk_f32(idx, NULL, NULL, 1, a, 1, 4, 1, HP_VEC_DOT, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_vec_topk_f32(idx, NULL, a, 1, NULL, 1, 4, 1, HP_VEC_DOT, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_vec_topk_f32(idx, NULL, a, 1, a, 1, 4, SIZE_MAX / 2, HP_VEC_DOT, 0, 0),
                     HP_EOVERFLOW);
    ck_assert_int_eq(hp_vec_topk_f32(idx, NULL, a, (size_t)1 << 40, a, 1, 4, (size_t)1 << 40,
                                     HP_VEC_DOT, 0, 0), HP_EOVERFLOW);
    ck_assert_int_eq(hp_vec_topk_i8(idx, NULL, (int8_t *)a, 1, (int8_t *)a, 1, 4, 1, (hp_vec_metric)7, 0, 0),
                     HP_EINVAL);
    /* nothing allocated is left behind by any failure */
    ck_assert_uint_eq(hp_live_allocations(), 0);
}
END_TEST

Suite *test_vector_suite(void) {
    Suite *s = suite_create("vector");
    TCase *tc = tcase_create("vector");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_vector__known_values);
    tcase_add_test(tc, test_vector__i8_is_exact_beyond_int32);
    tcase_add_test(tc, test_vector__f32_error_bound_at_4096);
    tcase_add_test(tc, test_vector__levels_agree_with_reference);
    tcase_add_test(tc, test_vector__nan_and_zero_vectors);
    tcase_add_test(tc, test_vector__cdist_matches_pairs);
    tcase_add_test(tc, test_vector__cdist_i8);
    tcase_add_test(tc, test_vector__normalize);
    tcase_add_test(tc, test_vector__topk_matches_brute_force);
    tcase_add_test(tc, test_vector__topk_nan_ranks_last);
    tcase_add_test(tc, test_vector__topk_f64_i8_and_empty);
    tcase_add_test(tc, test_vector__errors);
    suite_add_tcase(s, tc);
    return s;
}
