/* hp_sum_f64: exact cases, the documented error bound, non-finite values, errors. */
#include "internal/common.h"
#include "suites.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

/* 128-bit integers hold exact sums in the bound test (a GCC/Clang extension). */
__extension__ typedef __int128 i128;

static double sum(const double *x, size_t n) {
    double s = -1.0;
    ck_assert_int_eq(hp_sum_f64(&s, x, n), HP_OK);
    return s;
}

START_TEST(test_sum__empty_and_single) {
    ck_assert(sum(NULL, 0) == 0.0);
    const double one[] = {3.5};
    ck_assert(sum(one, 1) == 3.5);
}
END_TEST

START_TEST(test_sum__cancellation_that_defeats_naive) {
    const double a[] = {1e100, 1.0, -1e100};
    ck_assert(sum(a, 3) == 1.0);
    const double b[] = {1.0, 1e100, 1.0, -1e100};
    ck_assert(sum(b, 4) == 2.0);
    /* 0.1 ten times: naive gives 0.9999999999999999, the exact rounding is 1.0 */
    double c[10];
    for (int i = 0; i < 10; i++) c[i] = 0.1;
    ck_assert(sum(c, 10) == 1.0);
    /* spread over lanes and the tail */
    const double d[] = {1e16, 1.0, 1.0, 1.0, -1e16, 1.0, 1.0};
    ck_assert(sum(d, 7) == 5.0);
}
END_TEST

/* Exact sum of doubles with exponents in a narrow range, via long double pieces:
 * values are k * 2^-20 with |k| < 2^40, so every partial sum is exact in int64. */
START_TEST(test_sum__exact_on_representable_integers) {
    srand(11);
    for (int round = 0; round < 200; round++) {
        size_t n = (size_t)(rand() % 1000);
        double *x = malloc((n ? n : 1) * sizeof *x);
        int64_t exact = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t k = ((int64_t)rand() << 9) ^ rand();
            if (rand() & 1) k = -k;
            x[i] = ldexp((double)k, -20);
            exact += k;
        }
        ck_assert(sum(x, n) == ldexp((double)exact, -20));
        free(x);
    }
}
END_TEST

static void check_bound_at_current_level(void);

START_TEST(test_sum__within_documented_bound) {
    hp_simd detected = hp_simd_detected();
    for (int level = HP_SIMD_SCALAR; level <= (int)detected; level++) {
        if (hp_simd_set_level(level) != HP_OK) continue;
        check_bound_at_current_level();
    }
    ck_assert_int_eq(hp_simd_set_level((int)detected), HP_OK);
}
END_TEST

static void check_bound_at_current_level(void) {
    /* Ill-conditioned: large values that cancel plus small ones. The reference is the
     * exact sum held as an integer multiple of 2^-60 in a 128-bit accumulator. */
    srand(5);
    for (int round = 0; round < 100; round++) {
        size_t n = 1 + (size_t)(rand() % 5000);
        double *x = malloc(n * sizeof *x);
        i128 exact = 0;
        double abs_sum = 0;
        for (size_t i = 0; i < n; i++) {
            int64_t k = ((int64_t)(rand() % 2000000) - 1000000);
            int e = rand() % 60 - 30; /* magnitude spread of 2^60 */
            x[i] = ldexp((double)k, e);
            exact += (i128)k * ((i128)1 << (e + 30));
            abs_sum += fabs(x[i]);
        }
        double want = ldexp((double)exact, -30);
        double got = sum(x, n);
        double eps = DBL_EPSILON / 2, g = (double)(n + 15) * eps;
        double bound = eps * fabs(want) + 2 * g * g * abs_sum + DBL_MIN;
        ck_assert_msg(fabs(got - want) <= bound, "n=%zu got %.17g want %.17g", n, got, want);
        free(x);
    }
}

START_TEST(test_sum__levels_agree_on_exactly_summable_data) {
    /* Multiples of 2^-20 below 2^30: every partial sum is exact, so every lane layout
     * must give the identical result, tails of 0..31 elements included. */
    hp_simd detected = hp_simd_detected();
    srand(3);
    for (size_t n = 0; n < 300; n++) {
        double *x = malloc((n ? n : 1) * sizeof *x);
        for (size_t i = 0; i < n; i++) x[i] = ldexp((double)(rand() % 2000001 - 1000000), -20);
        double ref;
        ck_assert_int_eq(hp_simd_set_level(HP_SIMD_SCALAR), HP_OK);
        ck_assert_int_eq(hp_sum_f64(&ref, x, n), HP_OK);
        ck_assert_int_eq(hp_simd_set_level((int)detected), HP_OK);
        double got;
        ck_assert_int_eq(hp_sum_f64(&got, x, n), HP_OK);
        if (got != ref) ck_abort_msg("n=%zu: %.17g (level %d) != %.17g (scalar)", n, got, detected, ref);
        free(x);
    }
}
END_TEST

START_TEST(test_sum__non_finite) {
    const double a[] = {1.0, INFINITY, 2.0};
    ck_assert(isinf(sum(a, 3)) && sum(a, 3) > 0);
    const double b[] = {1.0, -INFINITY};
    ck_assert(isinf(sum(b, 2)) && sum(b, 2) < 0);
    const double c[] = {INFINITY, 1.0, -INFINITY};
    ck_assert(isnan(sum(c, 3)));
    const double d[] = {1.0, NAN, 2.0, 3.0, 4.0, 5.0};
    ck_assert(isnan(sum(d, 6)));
}
END_TEST

START_TEST(test_sum__overflow_of_finite_inputs) {
    const double a[] = {DBL_MAX, DBL_MAX};
    double s = 0;
    ck_assert_int_eq(hp_sum_f64(&s, a, 2), HP_EOVERFLOW);
    const double b[] = {DBL_MAX, -DBL_MAX, DBL_MAX};
    ck_assert_int_eq(hp_sum_f64(&s, b, 3), HP_OK);
    ck_assert(s == DBL_MAX);
    /* exact sum rounds to DBL_MAX although a running sum rounds up to infinity */
    const double c[] = {0x1p1023, -4.99e291, 0x1p1023 - 0x1p970};
    ck_assert_int_eq(hp_sum_f64(&s, c, 3), HP_OK);
    ck_assert(s == DBL_MAX);
    const double d[] = {-0x1p1023, 4.99e291, -(0x1p1023 - 0x1p970)};
    ck_assert_int_eq(hp_sum_f64(&s, d, 3), HP_OK);
    ck_assert(s == -DBL_MAX);
}
END_TEST

START_TEST(test_sum__errors) {
    double s;
    const double a[] = {1.0};
    ck_assert_int_eq(hp_sum_f64(NULL, a, 1), HP_EINVAL);
    ck_assert_int_eq(hp_sum_f64(&s, NULL, 1), HP_EINVAL);
    ck_assert_int_eq(hp_sum_f64(&s, a, SIZE_MAX), HP_EOVERFLOW);
    ck_assert_int_eq(hp_sum_f64(&s, a, HP_MAX_LEN / 8 + 1), HP_EOVERFLOW);
}
END_TEST

Suite *test_sum_suite(void) {
    Suite *s = suite_create("sum");
    TCase *tc = tcase_create("sum_f64");
    tcase_add_test(tc, test_sum__empty_and_single);
    tcase_add_test(tc, test_sum__cancellation_that_defeats_naive);
    tcase_add_test(tc, test_sum__exact_on_representable_integers);
    tcase_add_test(tc, test_sum__within_documented_bound);
    tcase_add_test(tc, test_sum__levels_agree_on_exactly_summable_data);
    tcase_add_test(tc, test_sum__non_finite);
    tcase_add_test(tc, test_sum__overflow_of_finite_inputs);
    tcase_add_test(tc, test_sum__errors);
    suite_add_tcase(s, tc);
    return s;
}
