/* Check suite "stats": hp_stats_* (sum modes and types, mean/var/std, arg-min/max,
 * histograms, quantiles, median, cumsum, sort, argsort) — known values, empty and
 * length-1 inputs, NaN and infinities, extreme magnitudes, unaligned buffers, odd
 * lengths, thread counts, SIMD levels and error paths. */
#include "internal/common.h"
#include "suites.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 i128;

static uint64_t rng_state = 88172645463325252u;

static uint64_t next_rand(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static double unit_rand(void) { return (double)(next_rand() >> 11) * 0x1p-53; }

static bool same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* ------------------------------------------------------------------ sums */

START_TEST(test_stats__sum_known_values_every_type) {
    const double d[] = {1e100, 1.0, -1e100, 0.5};
    const float f[] = {1e30f, 1.0f, -1e30f, 0.25f};
    const int64_t q[] = {INT64_MAX, INT64_MAX, INT64_MIN, 5};
    const int32_t i[] = {INT32_MAX, INT32_MAX, -7};
    double s;
    ck_assert_int_eq(hp_stats_sum(&s, d, 4, HP_STATS_F64, 0, 0), HP_OK);
    ck_assert(s == 1.5);
    ck_assert_int_eq(hp_stats_sum(&s, f, 4, HP_STATS_F32, 0, 0), HP_OK);
    ck_assert(s == 1.25); /* float values summed in double, compensated */
    ck_assert_int_eq(hp_stats_sum(&s, q, 4, HP_STATS_I64, 0, 0), HP_OK);
    ck_assert(s == (double)INT64_MAX + 4.0); /* exact 2^63 + 3 rounded once */
    ck_assert_int_eq(hp_stats_sum(&s, i, 3, HP_STATS_I32, 0, 0), HP_OK);
    ck_assert(s == 2.0 * INT32_MAX - 7);
    int64_t e;
    ck_assert_int_eq(hp_stats_sum_i64(&e, i, 3, HP_STATS_I32, 0), HP_OK);
    ck_assert_int_eq(e, 2 * (int64_t)INT32_MAX - 7);
    ck_assert_int_eq(hp_stats_sum_i64(&e, q + 1, 3, HP_STATS_I64, 0), HP_OK);
    ck_assert_int_eq(e, 4); /* INT64_MAX + INT64_MIN + 5: no wrap in between */
    ck_assert_int_eq(hp_stats_sum_i64(&e, q, 2, HP_STATS_I64, 0), HP_EOVERFLOW);
    ck_assert_int_eq(e, 0);
    ck_assert_int_eq(hp_stats_sum(&s, NULL, 0, HP_STATS_F32, HP_STATS_EXACT, 0), HP_OK);
    ck_assert(s == 0.0);
}
END_TEST

/* Exact sum of k_i * 2^(e_i) as a 128-bit multiple of 2^-600 (|k| < 2^30, e in
 * [-560, -530]), so the test knows the true value. */
START_TEST(test_stats__exact_mode_is_correctly_rounded) {
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + next_rand() % 300;
        double *x = malloc(n * sizeof *x);
        i128 exact = 0;
        for (size_t k = 0; k < n; k++) {
            int64_t m = (int64_t)(next_rand() % (1ull << 30)) - (1ll << 29);
            int e = -560 + (int)(next_rand() % 30);
            x[k] = ldexp((double)m, e);
            exact += (i128)m * ((i128)1 << (e + 600)); /* m may be negative */
        }
        /* the reference: round the 128-bit integer once (GCC's conversion rounds to
         * nearest), then scale by a power of two (exact, values stay normal) */
        double want = ldexp((double)exact, -600);
        double got;
        ck_assert_int_eq(hp_stats_sum(&got, x, n, HP_STATS_F64, HP_STATS_EXACT, 0), HP_OK);
        ck_assert_msg(same_bits(got, want), "n=%zu got %a want %a", n, got, want);
        free(x);
    }
    /* ties to even and subnormals */
    const double t[] = {1.0, 0x1p-53, 0x1p-106};
    double s;
    ck_assert_int_eq(hp_stats_sum(&s, t, 3, HP_STATS_F64, HP_STATS_EXACT, 0), HP_OK);
    ck_assert(s == 1.0 + 0x1p-52); /* above the tie: rounds up */
    ck_assert_int_eq(hp_stats_sum(&s, t, 2, HP_STATS_F64, HP_STATS_EXACT, 0), HP_OK);
    ck_assert(s == 1.0); /* a tie: to even */
    const double sub[] = {0x1p-1074, 0x1p-1074, -0x1p-1073, 0x1p-1074};
    ck_assert_int_eq(hp_stats_sum(&s, sub, 4, HP_STATS_F64, HP_STATS_EXACT, 0), HP_OK);
    ck_assert(s == 0x1p-1074);
    const double big[] = {DBL_MAX, DBL_MAX, -DBL_MAX, -0x1p970};
    ck_assert_int_eq(hp_stats_sum(&s, big, 4, HP_STATS_F64, HP_STATS_EXACT, 0), HP_OK);
    ck_assert(s == DBL_MAX - 0x1p970);
    ck_assert_int_eq(hp_stats_sum(&s, big, 2, HP_STATS_F64, HP_STATS_EXACT, 0), HP_EOVERFLOW);
    const double neg[] = {-1.0, -0x1p-60, 0.5};
    ck_assert_int_eq(hp_stats_sum(&s, neg, 3, HP_STATS_F64, HP_STATS_EXACT, 0), HP_OK);
    ck_assert(s == -0.5 - 0x1p-60);
}
END_TEST

START_TEST(test_stats__sum_nan_policy_and_specials) {
    const double a[] = {1.0, NAN, 2.0, INFINITY};
    double s;
    for (uint32_t exact = 0; exact <= HP_STATS_EXACT; exact += HP_STATS_EXACT) {
        ck_assert_int_eq(hp_stats_sum(&s, a, 4, HP_STATS_F64, exact, 0), HP_OK);
        ck_assert(isnan(s));
        ck_assert_int_eq(hp_stats_sum(&s, a, 4, HP_STATS_F64, exact | HP_STATS_SKIPNAN, 0), HP_OK);
        ck_assert(isinf(s) && s > 0);
        ck_assert_int_eq(hp_stats_sum(&s, a, 3, HP_STATS_F64, exact | HP_STATS_SKIPNAN, 0), HP_OK);
        ck_assert(s == 3.0);
    }
    const float f[] = {INFINITY, -INFINITY};
    ck_assert_int_eq(hp_stats_sum(&s, f, 2, HP_STATS_F32, 0, 0), HP_OK);
    ck_assert(isnan(s));
    const double all_nan[] = {NAN, NAN};
    ck_assert_int_eq(hp_stats_sum(&s, all_nan, 2, HP_STATS_F64, HP_STATS_SKIPNAN, 0), HP_OK);
    ck_assert(s == 0.0);
    /* finite overflow of a running sum whose exact total fits */
    const double o[] = {DBL_MAX, DBL_MAX, -DBL_MAX, -DBL_MAX, DBL_MAX};
    ck_assert_int_eq(hp_stats_sum(&s, o, 5, HP_STATS_F64, 0, 0), HP_OK);
    ck_assert(s == DBL_MAX);
    ck_assert_int_eq(hp_stats_sum(&s, o, 2, HP_STATS_F64, 0, 0), HP_EOVERFLOW);
}
END_TEST

/* Large arrays cut in blocks: every thread count, every SIMD level, unaligned starts and
 * odd lengths give the identical result on exactly summable data; the default mode
 * stays within its bound on ill-conditioned data. */
START_TEST(test_stats__sum_threads_levels_alignment_agree) {
    size_t n = 300001;
    char *raw = malloc(n * sizeof(double) + 8);
    double *x = (double *)(void *)(raw + 8);
    double *ux = (double *)(void *)(raw + 4); /* unaligned for double */
    for (size_t i = 0; i < n; i++) x[i] = ldexp((double)(int64_t)(next_rand() % 2000001) - 1e6, -20);
    double ref;
    hp_simd detected = hp_simd_detected();
    ck_assert_int_eq(hp_simd_set_level(HP_SIMD_SCALAR), HP_OK);
    ck_assert_int_eq(hp_stats_sum(&ref, x, n, HP_STATS_F64, 0, 1), HP_OK);
    for (int level = HP_SIMD_SCALAR; level <= (int)detected; level++) {
        if (hp_simd_set_level(level) != HP_OK) continue;
        for (unsigned t = 0; t <= 4; t++) {
            for (size_t len = n - 17; len <= n; len += 17) {
                double want = 0, got;
                ck_assert_int_eq(hp_stats_sum(&want, x, len, HP_STATS_F64, 0, 1), HP_OK);
                ck_assert_int_eq(hp_stats_sum(&got, x, len, HP_STATS_F64, 0, t), HP_OK);
                ck_assert(got == want);
            }
            double got;
            ck_assert_int_eq(hp_stats_sum(&got, x, n, HP_STATS_F64, 0, t), HP_OK);
            ck_assert(got == ref);
            ck_assert_int_eq(hp_stats_sum(&got, x, n, HP_STATS_F64, HP_STATS_EXACT, t), HP_OK);
            ck_assert(got == ref);
        }
    }
    hp_simd_set_level((int)detected);
    memmove(ux, x, n * sizeof *x);
    double got;
    ck_assert_int_eq(hp_stats_sum(&got, ux, n, HP_STATS_F64, 0, 0), HP_OK);
    ck_assert(got == ref);
    ck_assert_int_eq(hp_stats_mean(&got, ux, n, HP_STATS_F64, 0, 0), HP_OK);
    ck_assert(got == ref / (double)n);
    /* bound: wide magnitudes, exact reference from the exact mode */
    for (size_t i = 0; i < n; i++) x[i] = ldexp(unit_rand() - 0.5, (int)(next_rand() % 80) - 40);
    double exact, approx, abs_sum = 0;
    for (size_t i = 0; i < n; i++) abs_sum += fabs(x[i]);
    ck_assert_int_eq(hp_stats_sum(&exact, x, n, HP_STATS_F64, HP_STATS_EXACT, 0), HP_OK);
    ck_assert_int_eq(hp_stats_sum(&approx, x, n, HP_STATS_F64, 0, 0), HP_OK);
    double eps = DBL_EPSILON / 2, g = (double)(n + 15) * eps;
    ck_assert(fabs(approx - exact) <= eps * fabs(exact) + 2 * g * g * abs_sum);
    free(raw);
}
END_TEST

/* ------------------------------------------------------------------ mean, var, std */

START_TEST(test_stats__mean_var_std_known_values) {
    const double d[] = {2, 4, 4, 4, 5, 5, 7, 9};
    const int32_t i[] = {2, 4, 4, 4, 5, 5, 7, 9};
    const int64_t q[] = {2, 4, 4, 4, 5, 5, 7, 9};
    const float f[] = {2, 4, 4, 4, 5, 5, 7, 9};
    const void *xs[] = {d, f, i, q};
    hp_stats_type ts[] = {HP_STATS_F64, HP_STATS_F32, HP_STATS_I32, HP_STATS_I64};
    for (int k = 0; k < 4; k++) {
        double m, v, s;
        ck_assert_int_eq(hp_stats_mean(&m, xs[k], 8, ts[k], 0, 0), HP_OK);
        ck_assert(m == 5.0);
        ck_assert_int_eq(hp_stats_var(&v, xs[k], 8, ts[k], 0.0, 0, 0), HP_OK);
        ck_assert(v == 4.0);
        ck_assert_int_eq(hp_stats_std(&s, xs[k], 8, ts[k], 0.0, 0, 0), HP_OK);
        ck_assert(s == 2.0);
        ck_assert_int_eq(hp_stats_var(&v, xs[k], 8, ts[k], 1.0, 0, 0), HP_OK);
        ck_assert(v == 32.0 / 7.0);
    }
    double m, v;
    ck_assert_int_eq(hp_stats_mean(&m, NULL, 0, HP_STATS_F64, 0, 0), HP_OK);
    ck_assert(isnan(m));
    ck_assert_int_eq(hp_stats_var(&v, NULL, 0, HP_STATS_F64, 0.0, 0, 0), HP_OK);
    ck_assert(isnan(v));
    ck_assert_int_eq(hp_stats_var(&v, d, 1, HP_STATS_F64, 0.0, 0, 0), HP_OK);
    ck_assert(v == 0.0);
    ck_assert_int_eq(hp_stats_var(&v, d, 1, HP_STATS_F64, 1.0, 0, 0), HP_OK);
    ck_assert(isnan(v)); /* 0 / 0, as NumPy */
    ck_assert_int_eq(hp_stats_var(&v, d, 2, HP_STATS_F64, 2.0, 0, 0), HP_OK);
    ck_assert(isinf(v)); /* 2 / 0, as NumPy */
    const double nan_in[] = {1.0, NAN, 3.0};
    ck_assert_int_eq(hp_stats_var(&v, nan_in, 3, HP_STATS_F64, 0.0, 0, 0), HP_OK);
    ck_assert(isnan(v));
    ck_assert_int_eq(hp_stats_var(&v, nan_in, 3, HP_STATS_F64, 0.0, HP_STATS_SKIPNAN, 0), HP_OK);
    ck_assert(v == 1.0);
    ck_assert_int_eq(hp_stats_mean(&m, nan_in, 3, HP_STATS_F64, HP_STATS_SKIPNAN, 0), HP_OK);
    ck_assert(m == 2.0);
    const double inf_in[] = {1.0, INFINITY};
    ck_assert_int_eq(hp_stats_var(&v, inf_in, 2, HP_STATS_F64, 0.0, 0, 0), HP_OK);
    ck_assert(isnan(v));
}
END_TEST

START_TEST(test_stats__var_accurate_with_large_offset) {
    /* 1e9 + small spread: the textbook one-pass formula loses everything here */
    size_t n = 100003;
    double *x = malloc(n * sizeof *x);
    long double mean = 0, ss = 0;
    for (size_t i = 0; i < n; i++) {
        x[i] = 1e9 + (double)(int)(next_rand() % 2001) - 1000.0;
        mean += x[i];
    }
    mean /= n;
    for (size_t i = 0; i < n; i++) ss += (x[i] - mean) * (x[i] - mean);
    double want = (double)(ss / n), got = 0;
    for (unsigned t = 1; t <= 3; t++) {
        ck_assert_int_eq(hp_stats_var(&got, x, n, HP_STATS_F64, 0.0, 0, t), HP_OK);
        double bound = (double)(n + 16) * 0x1p-52 * want +
                       pow((double)(n + 16) * 0x1p-52, 2) * 1e18 * (double)n / (double)n;
        ck_assert_msg(fabs(got - want) <= bound + 1e-9 * want, "got %.17g want %.17g", got, want);
    }
    free(x);
}
END_TEST

/* ------------------------------------------------------------------ argmin/argmax */

START_TEST(test_stats__argminmax) {
    const double d[] = {3.0, -1.0, 7.0, -1.0, 7.0};
    int64_t lo, hi;
    ck_assert_int_eq(hp_stats_argminmax(&lo, &hi, d, 5, HP_STATS_F64, 0, 0), HP_OK);
    ck_assert_int_eq(lo, 1);
    ck_assert_int_eq(hi, 2);
    const double z[] = {0.0, -0.0};
    ck_assert_int_eq(hp_stats_argminmax(&lo, &hi, z, 2, HP_STATS_F64, 0, 0), HP_OK);
    ck_assert(lo == 0 && hi == 0);
    const double nan_in[] = {1.0, NAN, -5.0, NAN};
    ck_assert_int_eq(hp_stats_argminmax(&lo, &hi, nan_in, 4, HP_STATS_F64, 0, 0), HP_OK);
    ck_assert(lo == 1 && hi == 1);
    ck_assert_int_eq(hp_stats_argminmax(&lo, NULL, nan_in, 4, HP_STATS_F64, HP_STATS_SKIPNAN, 0),
                     HP_OK);
    ck_assert_int_eq(lo, 2);
    const float fn[] = {NAN, NAN};
    ck_assert_int_eq(hp_stats_argminmax(&lo, &hi, fn, 2, HP_STATS_F32, HP_STATS_SKIPNAN, 0), HP_OK);
    ck_assert(lo == -1 && hi == -1);
    const int64_t q[] = {INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN};
    ck_assert_int_eq(hp_stats_argminmax(&lo, &hi, q, 4, HP_STATS_I64, 0, 0), HP_OK);
    ck_assert(lo == 1 && hi == 0);
    const int32_t i1[] = {42};
    ck_assert_int_eq(hp_stats_argminmax(&lo, &hi, i1, 1, HP_STATS_I32, 0, 0), HP_OK);
    ck_assert(lo == 0 && hi == 0);
    /* across blocks and threads: first occurrence wins, first NaN wins */
    size_t n = 500000;
    float *f = malloc(n * sizeof *f);
    for (size_t i = 0; i < n; i++) f[i] = (float)(next_rand() % 1000);
    f[70000] = f[400000] = -1.0f;
    f[300000] = f[80000] = 5000.0f;
    for (unsigned t = 0; t <= 3; t++) {
        ck_assert_int_eq(hp_stats_argminmax(&lo, &hi, f, n, HP_STATS_F32, 0, t), HP_OK);
        ck_assert(lo == 70000 && hi == 80000);
    }
    f[450000] = NAN;
    f[200000] = NAN;
    ck_assert_int_eq(hp_stats_argminmax(&lo, &hi, f, n, HP_STATS_F32, 0, 2), HP_OK);
    ck_assert(lo == 200000 && hi == 200000);
    ck_assert_int_eq(hp_stats_argminmax(&lo, &hi, f, n, HP_STATS_F32, HP_STATS_SKIPNAN, 2), HP_OK);
    ck_assert(lo == 70000 && hi == 80000);
    free(f);
}
END_TEST

/* The vector block scan (AVX2 and up) against the scalar one, for every type, with
 * ties, signed zeros, infinities, NaN here and there, unaligned starts and lengths
 * around the block size and the vector widths. */
START_TEST(test_stats__argminmax_simd_equals_scalar) {
    enum { CAP = 3 * 65536 + 40 };
    unsigned char *raw = malloc(CAP * 8 + 8);
    const hp_stats_type types[] = {HP_STATS_F64, HP_STATS_F32, HP_STATS_I64, HP_STATS_I32};
    const size_t sizes[] = {1, 2, 3, 5, 7, 8, 9, 31, 33, 1000, 65535, 65536, 65537, 2 * 65536 + 13};
    hp_simd top = hp_simd_level();
    for (int iter = 0; iter < 120; iter++) {
        hp_stats_type t = types[iter % 4];
        size_t width = t == HP_STATS_F64 || t == HP_STATS_I64 ? 8 : 4;
        size_t n = sizes[next_rand() % (sizeof sizes / sizeof sizes[0])];
        unsigned char *x = raw + (iter % 3 == 0 ? 1 : 0) + (iter % 5 == 0 ? 4 : 0);
        unsigned range = iter % 3 == 0 ? 3 : 100000; /* few values: many ties */
        for (size_t i = 0; i < n; i++) {
            long long k = (long long)(next_rand() % range) - (long long)range / 2;
            unsigned pick = (unsigned)(next_rand() % 1000);
            double d = (double)k;
            if (pick == 0) d = INFINITY;
            if (pick == 1) d = -INFINITY;
            if (pick == 2 || pick == 3) d = pick == 2 ? -0.0 : 0.0;
            if (pick == 4 && iter % 4 < 2 && iter % 7 == 0) d = NAN;
            switch (t) {
            case HP_STATS_F64: memcpy(x + i * width, &d, 8); break;
            case HP_STATS_F32: {
                float f = (float)d;
                memcpy(x + i * width, &f, 4);
                break;
            }
            case HP_STATS_I64: {
                int64_t v = pick < 2 ? (pick ? INT64_MIN : INT64_MAX) : (int64_t)k;
                memcpy(x + i * width, &v, 8);
                break;
            }
            default: {
                int32_t v = pick < 2 ? (pick ? INT32_MIN : INT32_MAX) : (int32_t)k;
                memcpy(x + i * width, &v, 4);
                break;
            }
            }
        }
        for (uint32_t flags = 0; flags <= HP_STATS_SKIPNAN; flags += HP_STATS_SKIPNAN) {
            int64_t want_lo, want_hi, lo, hi;
            ck_assert_int_eq(hp_simd_set_level(HP_SIMD_SCALAR), HP_OK);
            ck_assert_int_eq(hp_stats_argminmax(&want_lo, &want_hi, x, n, t, flags, 2), HP_OK);
            for (int level = HP_SIMD_SSE42; level <= (int)top; level++) {
                if (hp_simd_set_level(level) != HP_OK) continue;
                ck_assert_int_eq(hp_stats_argminmax(&lo, &hi, x, n, t, flags, 1 + iter % 2), HP_OK);
                ck_assert_msg(lo == want_lo && hi == want_hi,
                              "iter %d type %d n %zu level %d: (%lld, %lld) want (%lld, %lld)",
                              iter, (int)t, n, level, (long long)lo, (long long)hi,
                              (long long)want_lo, (long long)want_hi);
            }
        }
    }
    ck_assert_int_eq(hp_simd_set_level((int)top), HP_OK);
    free(raw);
}
END_TEST

/* ------------------------------------------------------------------ histograms */

START_TEST(test_stats__histogram_numpy_semantics) {
    const double x[] = {0.0, 0.5, 1.0, 2.5, 3.0, -1.0, 4.0, NAN, 2.999999999};
    int64_t c[3];
    double e[4];
    ck_assert_int_eq(hp_stats_histogram(c, e, 3, 0.0, 3.0, x, 9, HP_STATS_F64, 0), HP_OK);
    ck_assert(e[0] == 0.0 && e[1] == 1.0 && e[2] == 2.0 && e[3] == 3.0);
    ck_assert(c[0] == 2 && c[1] == 1 && c[2] == 3); /* 3.0 in the last (closed) bin */
    ck_assert_int_eq(hp_stats_histogram(c, NULL, 2, 5.0, 5.0, x, 9, HP_STATS_F64, 0), HP_OK);
    ck_assert(c[0] == 0 && c[1] == 0); /* [4.5, 5.5] */
    const int32_t iv[] = {1, 2, 2, 3};
    ck_assert_int_eq(hp_stats_histogram(c, e, 2, 1.0, 3.0, iv, 4, HP_STATS_I32, 0), HP_OK);
    ck_assert(c[0] == 1 && c[1] == 3);
    const double edges[] = {0.0, 1.0, 1.0, 3.0};
    ck_assert_int_eq(hp_stats_histogram_edges(c, edges, 4, x, 9, HP_STATS_F64, 0), HP_OK);
    ck_assert(c[0] == 2 && c[1] == 0 && c[2] == 4);
    const double inf_edges[] = {-INFINITY, 0.0, INFINITY};
    int64_t c2[2];
    ck_assert_int_eq(hp_stats_histogram_edges(c2, inf_edges, 3, x, 9, HP_STATS_F64, 0), HP_OK);
    ck_assert(c2[0] == 1 && c2[1] == 7);
    /* many values, several threads: same counts */
    size_t n = 400000;
    double *big = malloc(n * sizeof *big);
    for (size_t i = 0; i < n; i++) big[i] = unit_rand() * 10.0;
    int64_t a[7], b[7];
    ck_assert_int_eq(hp_stats_histogram(a, NULL, 7, 0.0, 10.0, big, n, HP_STATS_F64, 1), HP_OK);
    ck_assert_int_eq(hp_stats_histogram(b, NULL, 7, 0.0, 10.0, big, n, HP_STATS_F64, 3), HP_OK);
    int64_t total = 0;
    for (int i = 0; i < 7; i++) {
        ck_assert_int_eq(a[i], b[i]);
        total += a[i];
    }
    ck_assert_int_eq(total, (int64_t)n);
    free(big);
    /* errors */
    ck_assert_int_eq(hp_stats_histogram(c, e, 0, 0.0, 1.0, x, 9, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_histogram(c, e, 3, 1.0, 0.0, x, 9, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_histogram(c, e, 3, NAN, 1.0, x, 9, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_histogram(c, e, 3, 0.0, INFINITY, x, 9, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_histogram(c, e, 3, 1.0, 1.0 + 0x1p-52, x, 9, HP_STATS_F64, 0),
                     HP_EINVAL); /* too many bins for the range */
    ck_assert_int_eq(hp_stats_histogram(NULL, e, 3, 0.0, 1.0, x, 9, HP_STATS_F64, 0), HP_EINVAL);
    const double bad[] = {0.0, 2.0, 1.0};
    ck_assert_int_eq(hp_stats_histogram_edges(c, bad, 3, x, 9, HP_STATS_F64, 0), HP_EINVAL);
    const double nan_edge[] = {0.0, NAN};
    ck_assert_int_eq(hp_stats_histogram_edges(c, nan_edge, 2, x, 9, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_histogram_edges(c, edges, 1, x, 9, HP_STATS_F64, 0), HP_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ quantiles */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

START_TEST(test_stats__quantile_and_median_match_sorted_reference) {
    for (int round = 0; round < 60; round++) {
        size_t n = 1 + next_rand() % (round < 50 ? 50 : round < 58 ? 5000 : 200000);
        double *x = malloc(n * sizeof *x), *s = malloc(n * sizeof *s);
        for (size_t i = 0; i < n; i++) x[i] = (double)(next_rand() % (round % 2 ? 5 : 100000));
        memcpy(s, x, n * sizeof *x);
        qsort(s, n, sizeof *s, cmp_double);
        /* fixed points, then random ones in no order with repeats (all the ranks are
         * selected in one pass) */
        double q[40] = {0.0, 0.1, 0.25, 0.5, 0.9, 0.999, 1.0};
        for (int k = 7; k < 40; k++) q[k] = k % 5 == 0 ? q[k - 3] : unit_rand();
        int nq = round % 3 == 0 ? 7 : 40;
        double out[40];
        ck_assert_int_eq(hp_stats_quantile(out, q, (size_t)nq, x, n, HP_STATS_F64, 0), HP_OK);
        for (int k = 0; k < nq; k++) {
            double v = (double)(n - 1) * q[k];
            size_t lo = (size_t)floor(v), hi = lo + 1 < n ? lo + 1 : n - 1;
            double g = v - (double)lo, d = s[hi] - s[lo];
            double want = v >= (double)(n - 1) ? s[n - 1]
                          : g >= 0.5        ? s[hi] - d * (1 - g)
                                            : s[lo] + d * g;
            ck_assert_msg(out[k] == want, "n=%zu q=%g got %g want %g", n, q[k], out[k], want);
        }
        double med;
        ck_assert_int_eq(hp_stats_median(&med, x, n, HP_STATS_F64, 0), HP_OK);
        double want = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
        ck_assert(med == want);
        free(x);
        free(s);
    }
}
END_TEST

START_TEST(test_stats__quantile_types_nan_and_errors) {
    const int64_t q64[] = {INT64_MIN, INT64_MAX, 0};
    const double q[] = {0.0, 0.5, 1.0};
    double out[3];
    ck_assert_int_eq(hp_stats_quantile(out, q, 3, q64, 3, HP_STATS_I64, 0), HP_OK);
    ck_assert(out[0] == (double)INT64_MIN && out[1] == 0.0 && out[2] == (double)INT64_MAX);
    const float f[] = {1.5f, -2.5f};
    ck_assert_int_eq(hp_stats_quantile(out, q, 3, f, 2, HP_STATS_F32, 0), HP_OK);
    ck_assert(out[0] == -2.5 && out[1] == -0.5 && out[2] == 1.5);
    const double nan_in[] = {1.0, NAN, 3.0};
    ck_assert_int_eq(hp_stats_quantile(out, q, 3, nan_in, 3, HP_STATS_F64, 0), HP_OK);
    ck_assert(isnan(out[0]) && isnan(out[1]) && isnan(out[2]));
    ck_assert_int_eq(hp_stats_quantile(out, q, 3, nan_in, 3, HP_STATS_F64, HP_STATS_SKIPNAN), HP_OK);
    ck_assert(out[0] == 1.0 && out[1] == 2.0 && out[2] == 3.0);
    double med;
    ck_assert_int_eq(hp_stats_median(&med, nan_in, 3, HP_STATS_F64, 0), HP_OK);
    ck_assert(isnan(med));
    ck_assert_int_eq(hp_stats_median(&med, nan_in, 3, HP_STATS_F64, HP_STATS_SKIPNAN), HP_OK);
    ck_assert(med == 2.0);
    ck_assert_int_eq(hp_stats_median(&med, NULL, 0, HP_STATS_F64, 0), HP_OK);
    ck_assert(isnan(med));
    const int32_t i1[] = {7};
    ck_assert_int_eq(hp_stats_median(&med, i1, 1, HP_STATS_I32, 0), HP_OK);
    ck_assert(med == 7.0);
    const double inf_in[] = {1.0, INFINITY};
    ck_assert_int_eq(hp_stats_quantile(out, q + 2, 1, inf_in, 2, HP_STATS_F64, 0), HP_OK);
    ck_assert(isnan(out[0])); /* NumPy: inf - inf in its lerp at q = 1 */
    const double bad_q[] = {1.5};
    ck_assert_int_eq(hp_stats_quantile(out, bad_q, 1, nan_in, 3, HP_STATS_F64, 0), HP_EINVAL);
    const double nan_q[] = {NAN};
    ck_assert_int_eq(hp_stats_quantile(out, nan_q, 1, nan_in, 3, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_quantile(out, q, 3, NULL, 0, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_quantile(out, NULL, 1, nan_in, 3, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_median(NULL, nan_in, 3, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_median(&med, nan_in, 3, HP_STATS_F64, 4), HP_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ cumsum */

START_TEST(test_stats__cumsum) {
    const double d[] = {-0.0, 1e16, 1.0, 1.0};
    double od[4];
    ck_assert_int_eq(hp_stats_cumsum(od, d, 4, HP_STATS_F64), HP_OK);
    ck_assert(same_bits(od[0], -0.0) && od[1] == 1e16 && od[2] == 1e16 && od[3] == 1e16);
    /* (1e16 + 1 rounds back to 1e16 each time: no compensation, as numpy.cumsum) */
    const float f[] = {16777216.0f, 1.0f, 1.0f};
    float of[3];
    ck_assert_int_eq(hp_stats_cumsum(of, f, 3, HP_STATS_F32), HP_OK);
    ck_assert(of[2] == 16777216.0f); /* plain float running sum, as NumPy */
    const int32_t i[] = {INT32_MAX, INT32_MAX, -1};
    int64_t oi[3];
    ck_assert_int_eq(hp_stats_cumsum(oi, i, 3, HP_STATS_I32), HP_OK);
    ck_assert(oi[1] == 2 * (int64_t)INT32_MAX && oi[2] == 2 * (int64_t)INT32_MAX - 1);
    int64_t q[] = {INT64_MAX, 1};
    ck_assert_int_eq(hp_stats_cumsum(q, q, 2, HP_STATS_I64), HP_EOVERFLOW);
    int64_t q2[] = {5, -7, 3};
    ck_assert_int_eq(hp_stats_cumsum(q2, q2, 3, HP_STATS_I64), HP_OK); /* in place */
    ck_assert(q2[0] == 5 && q2[1] == -2 && q2[2] == 1);
    ck_assert_int_eq(hp_stats_cumsum(NULL, NULL, 0, HP_STATS_F64), HP_OK);
    ck_assert_int_eq(hp_stats_cumsum(NULL, d, 4, HP_STATS_F64), HP_EINVAL);
    ck_assert_int_eq(hp_stats_cumsum(od, d, 4, (hp_stats_type)9), HP_EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ sort */

static int cmp_i64(const void *a, const void *b) {
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

START_TEST(test_stats__sort_integers_threads_and_in_place) {
    size_t n = 300007;
    int64_t *x = malloc(n * sizeof *x), *ref = malloc(n * sizeof *x), *out = malloc(n * sizeof *x);
    int32_t *x32 = malloc(n * sizeof *x32), *o32 = malloc(n * sizeof *o32);
    for (size_t i = 0; i < n; i++) {
        x[i] = (int64_t)next_rand();
        if (i % 5 == 0) x[i] %= 1000; /* some equal keys and small magnitudes */
        x32[i] = (int32_t)x[i];
    }
    memcpy(ref, x, n * sizeof *x);
    qsort(ref, n, sizeof *ref, cmp_i64);
    for (unsigned t = 0; t <= 3; t++) {
        ck_assert_int_eq(hp_stats_sort(out, x, n, HP_STATS_I64, t), HP_OK);
        ck_assert(memcmp(out, ref, n * sizeof *x) == 0);
    }
    ck_assert_int_eq(hp_stats_sort(x, x, n, HP_STATS_I64, 0), HP_OK); /* in place */
    ck_assert(memcmp(x, ref, n * sizeof *x) == 0);
    ck_assert_int_eq(hp_stats_sort(o32, x32, n, HP_STATS_I32, 2), HP_OK);
    for (size_t i = 1; i < n; i++) ck_assert(o32[i - 1] <= o32[i]);
    /* argsort of int32 is stable */
    int64_t *idx = malloc(n * sizeof *idx);
    for (size_t i = 0; i < n; i++) x32[i] = (int32_t)(next_rand() % 100) - 50;
    ck_assert_int_eq(hp_stats_argsort(idx, x32, n, HP_STATS_I32, 2), HP_OK);
    for (size_t i = 1; i < n; i++) {
        int32_t a = x32[idx[i - 1]], b = x32[idx[i]];
        ck_assert(a < b || (a == b && idx[i - 1] < idx[i]));
    }
    const int64_t one[] = {9};
    ck_assert_int_eq(hp_stats_sort(out, one, 1, HP_STATS_I64, 0), HP_OK);
    ck_assert(out[0] == 9);
    ck_assert_int_eq(hp_stats_sort(NULL, NULL, 0, HP_STATS_I64, 0), HP_OK);
    ck_assert_int_eq(hp_stats_argsort(idx, one, 1, HP_STATS_I64, 0), HP_OK);
    ck_assert(idx[0] == 0);
    free(x), free(ref), free(out), free(x32), free(o32), free(idx);
}
END_TEST

START_TEST(test_stats__sort_floats_nan_and_signed_zero_as_numpy) {
    /* NaNs last in input order with their bits; -0.0 and 0.0 keep their input order */
    double nan2;
    uint64_t bits = 0xFFF8000000000123u; /* a negative NaN with a payload */
    memcpy(&nan2, &bits, sizeof nan2);
    const double x[] = {NAN, 0.0, -INFINITY, -0.0, 2.0, nan2, -0.0, INFINITY, -1e-310, 0.0};
    double out[10];
    for (int unaligned = 0; unaligned < 2; unaligned++) {
        char raw[sizeof x + 8];
        double *src = (double *)(void *)(raw + (unaligned ? 4 : 0));
        memcpy(src, x, sizeof x);
        ck_assert_int_eq(hp_stats_sort(out, src, 10, HP_STATS_F64, 0), HP_OK);
        ck_assert(out[0] == -INFINITY && out[1] == -1e-310);
        ck_assert(same_bits(out[2], 0.0) && same_bits(out[3], -0.0) && same_bits(out[4], -0.0) &&
                  same_bits(out[5], 0.0));
        ck_assert(out[6] == 2.0 && out[7] == INFINITY);
        ck_assert(same_bits(out[8], x[0]) && same_bits(out[9], nan2));
    }
    int64_t idx[10];
    ck_assert_int_eq(hp_stats_argsort(idx, x, 10, HP_STATS_F64, 0), HP_OK);
    const int64_t want[] = {2, 8, 1, 3, 6, 9, 4, 7, 0, 5};
    for (int i = 0; i < 10; i++) ck_assert_int_eq(idx[i], want[i]);
    const float f[] = {NAN, -0.0f, 3.0f, 0.0f, -3.0f};
    float of[5];
    ck_assert_int_eq(hp_stats_sort(of, f, 5, HP_STATS_F32, 0), HP_OK);
    ck_assert(of[0] == -3.0f && signbit(of[1]) && !signbit(of[2]) && of[3] == 3.0f && isnan(of[4]));
    /* in place, large, with threads */
    size_t n = 200003;
    double *big = malloc(n * sizeof *big), *ref = malloc(n * sizeof *big);
    for (size_t i = 0; i < n; i++) big[i] = (unit_rand() - 0.5) * ldexp(1.0, (int)(next_rand() % 200) - 100);
    memcpy(ref, big, n * sizeof *big);
    qsort(ref, n, sizeof *ref, cmp_double);
    ck_assert_int_eq(hp_stats_sort(big, big, n, HP_STATS_F64, 3), HP_OK);
    ck_assert(memcmp(big, ref, n * sizeof *big) == 0);
    free(big), free(ref);
}
END_TEST

START_TEST(test_stats__errors) {
    double d = 0, x[] = {1.0};
    int64_t i;
    ck_assert_int_eq(hp_stats_sum(NULL, x, 1, HP_STATS_F64, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_sum(&d, NULL, 1, HP_STATS_F64, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_sum(&d, x, 1, (hp_stats_type)4, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_sum(&d, x, 1, (hp_stats_type)-1, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_sum(&d, x, 1, HP_STATS_F64, 8, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_sum(&d, x, HP_MAX_LEN / 8 + 1, HP_STATS_F64, 0, 0), HP_EOVERFLOW);
    ck_assert_int_eq(hp_stats_sum(&d, x, HP_MAX_LEN / 4 + 1, HP_STATS_F32, 0, 0), HP_EOVERFLOW);
    ck_assert_int_eq(hp_stats_sum_i64(&i, x, 1, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_sum_i64(NULL, x, 1, HP_STATS_I64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_mean(&d, x, 1, HP_STATS_F64, HP_STATS_EXACT, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_var(&d, x, 1, HP_STATS_F64, -1.0, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_var(&d, x, 1, HP_STATS_F64, NAN, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_std(NULL, x, 1, HP_STATS_F64, 0.0, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_argminmax(NULL, NULL, x, 1, HP_STATS_F64, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_argminmax(&i, NULL, x, 0, HP_STATS_F64, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_argminmax(&i, NULL, NULL, 1, HP_STATS_F64, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_sort(NULL, x, 1, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_sort(&d, x, 1, (hp_stats_type)7, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_argsort(&i, NULL, 1, HP_STATS_F64, 0), HP_EINVAL);
    ck_assert_int_eq(hp_stats_argsort(&i, x, HP_MAX_LEN, HP_STATS_F64, 0), HP_EOVERFLOW);
    ck_assert(strlen(hp_last_error_message()) > 0);
}
END_TEST

Suite *test_stats_suite(void) {
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_stats__sum_known_values_every_type);
    tcase_add_test(tc, test_stats__exact_mode_is_correctly_rounded);
    tcase_add_test(tc, test_stats__sum_nan_policy_and_specials);
    tcase_add_test(tc, test_stats__sum_threads_levels_alignment_agree);
    tcase_add_test(tc, test_stats__mean_var_std_known_values);
    tcase_add_test(tc, test_stats__var_accurate_with_large_offset);
    tcase_add_test(tc, test_stats__argminmax);
    tcase_add_test(tc, test_stats__argminmax_simd_equals_scalar);
    tcase_add_test(tc, test_stats__histogram_numpy_semantics);
    tcase_add_test(tc, test_stats__quantile_and_median_match_sorted_reference);
    tcase_add_test(tc, test_stats__quantile_types_nan_and_errors);
    tcase_add_test(tc, test_stats__cumsum);
    tcase_add_test(tc, test_stats__sort_integers_threads_and_in_place);
    tcase_add_test(tc, test_stats__sort_floats_nan_and_signed_zero_as_numpy);
    tcase_add_test(tc, test_stats__errors);
    suite_add_tcase(s, tc);
    return s;
}
