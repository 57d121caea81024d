/*
 * The simple rapidfuzz.distance metrics through the public API: Hamming, Jaro,
 * Jaro-Winkler, OSA, Damerau-Levenshtein, Prefix and Postfix. Known values (each row is
 * what RapidFuzz 3.14 returns for distance, similarity, normalized_distance and
 * normalized_similarity), cutoff rules, empty inputs, random inputs of every length
 * class (one word, blocked, code points above 255) against plain O(n*m) references
 * written here, the cached-query path against the direct one, and every error path.
 */
#include "suites.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "hotpath/fuzzy.h"

/* Check records every passing ck_assert; hot loops only report failures. */
#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                                    \
    } while (0)

static const double NO_CUTOFF = NAN;

static double score8(int metric, int measure, const char *a, const char *b, double cutoff) {
    hp_scorer sc;
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, metric, measure), HP_OK);
    double out = -1;
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, a, strlen(a), HP_ENC_UTF8, b, strlen(b),
                                    HP_ENC_UTF8, cutoff),
                     HP_OK);
    return out;
}

/* ---------------------------------------------------------------- known values */

typedef struct known {
    int metric;
    const char *a, *b;
    double v[4]; /* distance, similarity, normalized distance, normalized similarity */
} known;

static const known KNOWN[] = {
    {HP_METRIC_HAMMING, "", "", {0.0, 0.0, 0.0, 1.0}},
    {HP_METRIC_HAMMING, "abc", "", {3.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_HAMMING, "martha", "marhta", {2.0, 4.0, 0.3333333333333333, 0.6666666666666667}},
    {HP_METRIC_HAMMING, "dwayne", "duane", {4.0, 2.0, 0.6666666666666666, 0.33333333333333337}},
    {HP_METRIC_HAMMING, "dixon", "dicksonx", {6.0, 2.0, 0.75, 0.25}},
    {HP_METRIC_HAMMING, "CA", "ABC", {3.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_HAMMING, "abcdef", "abcxyz", {3.0, 3.0, 0.5, 0.5}},
    {HP_METRIC_HAMMING, "kitten", "sitting", {3.0, 4.0, 0.42857142857142855, 0.5714285714285714}},
    {HP_METRIC_HAMMING, "héllo wörld", "hello world", {2.0, 9.0, 0.18181818181818182, 0.8181818181818181}},
    {HP_METRIC_HAMMING, "ab", "ba", {2.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_HAMMING, "a", "a", {0.0, 1.0, 0.0, 1.0}},
    {HP_METRIC_HAMMING, "a", "b", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_HAMMING, "abcd", "badc", {4.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_HAMMING, "a cat", "an act", {4.0, 2.0, 0.6666666666666666, 0.33333333333333337}},
    {HP_METRIC_JARO, "", "", {0.0, 1.0, 0.0, 1.0}},
    {HP_METRIC_JARO, "abc", "", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_JARO, "martha", "marhta", {0.05555555555555547, 0.9444444444444445, 0.05555555555555547, 0.9444444444444445}},
    {HP_METRIC_JARO, "dwayne", "duane", {0.1777777777777777, 0.8222222222222223, 0.1777777777777777, 0.8222222222222223}},
    {HP_METRIC_JARO, "dixon", "dicksonx", {0.2333333333333334, 0.7666666666666666, 0.2333333333333334, 0.7666666666666666}},
    {HP_METRIC_JARO, "CA", "ABC", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_JARO, "abcdef", "abcxyz", {0.33333333333333337, 0.6666666666666666, 0.33333333333333337, 0.6666666666666666}},
    {HP_METRIC_JARO, "kitten", "sitting", {0.25396825396825395, 0.746031746031746, 0.25396825396825395, 0.746031746031746}},
    {HP_METRIC_JARO, "héllo wörld", "hello world", {0.1212121212121211, 0.8787878787878789, 0.1212121212121211, 0.8787878787878789}},
    {HP_METRIC_JARO, "ab", "ba", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_JARO, "a", "a", {0.0, 1.0, 0.0, 1.0}},
    {HP_METRIC_JARO, "a", "b", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_JARO, "abcd", "badc", {0.16666666666666663, 0.8333333333333334, 0.16666666666666663, 0.8333333333333334}},
    {HP_METRIC_JARO, "a cat", "an act", {0.12222222222222212, 0.8777777777777779, 0.12222222222222212, 0.8777777777777779}},
    {HP_METRIC_JARO_WINKLER, "", "", {0.0, 1.0, 0.0, 1.0}},
    {HP_METRIC_JARO_WINKLER, "abc", "", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_JARO_WINKLER, "martha", "marhta", {0.03888888888888886, 0.9611111111111111, 0.03888888888888886, 0.9611111111111111}},
    {HP_METRIC_JARO_WINKLER, "dwayne", "duane", {0.15999999999999992, 0.8400000000000001, 0.15999999999999992, 0.8400000000000001}},
    {HP_METRIC_JARO_WINKLER, "dixon", "dicksonx", {0.18666666666666676, 0.8133333333333332, 0.18666666666666676, 0.8133333333333332}},
    {HP_METRIC_JARO_WINKLER, "CA", "ABC", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_JARO_WINKLER, "abcdef", "abcxyz", {0.33333333333333337, 0.6666666666666666, 0.33333333333333337, 0.6666666666666666}},
    {HP_METRIC_JARO_WINKLER, "kitten", "sitting", {0.25396825396825395, 0.746031746031746, 0.25396825396825395, 0.746031746031746}},
    {HP_METRIC_JARO_WINKLER, "héllo wörld", "hello world", {0.10909090909090902, 0.890909090909091, 0.10909090909090902, 0.890909090909091}},
    {HP_METRIC_JARO_WINKLER, "ab", "ba", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_JARO_WINKLER, "a", "a", {0.0, 1.0, 0.0, 1.0}},
    {HP_METRIC_JARO_WINKLER, "a", "b", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_JARO_WINKLER, "abcd", "badc", {0.16666666666666663, 0.8333333333333334, 0.16666666666666663, 0.8333333333333334}},
    {HP_METRIC_JARO_WINKLER, "a cat", "an act", {0.10999999999999988, 0.8900000000000001, 0.10999999999999988, 0.8900000000000001}},
    {HP_METRIC_OSA, "", "", {0.0, 0.0, 0.0, 1.0}},
    {HP_METRIC_OSA, "abc", "", {3.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_OSA, "martha", "marhta", {1.0, 5.0, 0.16666666666666666, 0.8333333333333334}},
    {HP_METRIC_OSA, "dwayne", "duane", {2.0, 4.0, 0.3333333333333333, 0.6666666666666667}},
    {HP_METRIC_OSA, "dixon", "dicksonx", {4.0, 4.0, 0.5, 0.5}},
    {HP_METRIC_OSA, "CA", "ABC", {3.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_OSA, "abcdef", "abcxyz", {3.0, 3.0, 0.5, 0.5}},
    {HP_METRIC_OSA, "kitten", "sitting", {3.0, 4.0, 0.42857142857142855, 0.5714285714285714}},
    {HP_METRIC_OSA, "héllo wörld", "hello world", {2.0, 9.0, 0.18181818181818182, 0.8181818181818181}},
    {HP_METRIC_OSA, "ab", "ba", {1.0, 1.0, 0.5, 0.5}},
    {HP_METRIC_OSA, "a", "a", {0.0, 1.0, 0.0, 1.0}},
    {HP_METRIC_OSA, "a", "b", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_OSA, "abcd", "badc", {2.0, 2.0, 0.5, 0.5}},
    {HP_METRIC_OSA, "a cat", "an act", {2.0, 4.0, 0.3333333333333333, 0.6666666666666667}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "", "", {0.0, 0.0, 0.0, 1.0}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "abc", "", {3.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "martha", "marhta", {1.0, 5.0, 0.16666666666666666, 0.8333333333333334}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "dwayne", "duane", {2.0, 4.0, 0.3333333333333333, 0.6666666666666667}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "dixon", "dicksonx", {4.0, 4.0, 0.5, 0.5}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "CA", "ABC", {2.0, 1.0, 0.6666666666666666, 0.33333333333333337}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "abcdef", "abcxyz", {3.0, 3.0, 0.5, 0.5}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "kitten", "sitting", {3.0, 4.0, 0.42857142857142855, 0.5714285714285714}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "héllo wörld", "hello world", {2.0, 9.0, 0.18181818181818182, 0.8181818181818181}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "ab", "ba", {1.0, 1.0, 0.5, 0.5}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "a", "a", {0.0, 1.0, 0.0, 1.0}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "a", "b", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "abcd", "badc", {2.0, 2.0, 0.5, 0.5}},
    {HP_METRIC_DAMERAU_LEVENSHTEIN, "a cat", "an act", {2.0, 4.0, 0.3333333333333333, 0.6666666666666667}},
    {HP_METRIC_PREFIX, "", "", {0.0, 0.0, 0.0, 1.0}},
    {HP_METRIC_PREFIX, "abc", "", {3.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_PREFIX, "martha", "marhta", {3.0, 3.0, 0.5, 0.5}},
    {HP_METRIC_PREFIX, "dwayne", "duane", {5.0, 1.0, 0.8333333333333334, 0.16666666666666663}},
    {HP_METRIC_PREFIX, "dixon", "dicksonx", {6.0, 2.0, 0.75, 0.25}},
    {HP_METRIC_PREFIX, "CA", "ABC", {3.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_PREFIX, "abcdef", "abcxyz", {3.0, 3.0, 0.5, 0.5}},
    {HP_METRIC_PREFIX, "kitten", "sitting", {7.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_PREFIX, "héllo wörld", "hello world", {10.0, 1.0, 0.9090909090909091, 0.09090909090909094}},
    {HP_METRIC_PREFIX, "ab", "ba", {2.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_PREFIX, "a", "a", {0.0, 1.0, 0.0, 1.0}},
    {HP_METRIC_PREFIX, "a", "b", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_PREFIX, "abcd", "badc", {4.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_PREFIX, "a cat", "an act", {5.0, 1.0, 0.8333333333333334, 0.16666666666666663}},
    {HP_METRIC_POSTFIX, "", "", {0.0, 0.0, 0.0, 1.0}},
    {HP_METRIC_POSTFIX, "abc", "", {3.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_POSTFIX, "martha", "marhta", {5.0, 1.0, 0.8333333333333334, 0.16666666666666663}},
    {HP_METRIC_POSTFIX, "dwayne", "duane", {4.0, 2.0, 0.6666666666666666, 0.33333333333333337}},
    {HP_METRIC_POSTFIX, "dixon", "dicksonx", {8.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_POSTFIX, "CA", "ABC", {3.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_POSTFIX, "abcdef", "abcxyz", {6.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_POSTFIX, "kitten", "sitting", {7.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_POSTFIX, "héllo wörld", "hello world", {8.0, 3.0, 0.7272727272727273, 0.2727272727272727}},
    {HP_METRIC_POSTFIX, "ab", "ba", {2.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_POSTFIX, "a", "a", {0.0, 1.0, 0.0, 1.0}},
    {HP_METRIC_POSTFIX, "a", "b", {1.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_POSTFIX, "abcd", "badc", {4.0, 0.0, 1.0, 0.0}},
    {HP_METRIC_POSTFIX, "a cat", "an act", {5.0, 1.0, 0.8333333333333334, 0.16666666666666663}},
};

START_TEST(test_fuzzy_metrics__known_values) {
    for (size_t k = 0; k < sizeof KNOWN / sizeof KNOWN[0]; k++) {
        const known *e = &KNOWN[k];
        for (int measure = 0; measure < 4; measure++) {
            double got = score8(e->metric, measure, e->a, e->b, NO_CUTOFF);
            EXPECT(fabs(got - e->v[measure]) <= 1e-15, "metric %d measure %d (%s, %s): %.17g != %.17g",
                   e->metric, measure, e->a, e->b, got, e->v[measure]);
            /* every metric here is symmetric */
            got = score8(e->metric, measure, e->b, e->a, NO_CUTOFF);
            EXPECT(fabs(got - e->v[measure]) <= 1e-15, "metric %d measure %d (%s, %s) swapped: %.17g",
                   e->metric, measure, e->b, e->a, got);
        }
    }
}
END_TEST

START_TEST(test_fuzzy_metrics__jaro_winkler_prefix_weight) {
    hp_scorer sc;
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, HP_METRIC_JARO_WINKLER, HP_SIMILARITY),
                     HP_OK);
    ck_assert(sc.prefix_weight == 0.1);
    /* RapidFuzz: 0 -> plain Jaro; 0.25; 1.0 saturates at 1 */
    const double pw[3] = {0.0, 0.25, 1.0};
    const double martha[3] = {0.9444444444444445, 0.9861111111111112, 1.0};
    const double dwayne[3] = {0.8222222222222223, 0.8666666666666667, 1.0};
    for (int k = 0; k < 3; k++) {
        double out = -1;
        sc.prefix_weight = pw[k];
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "martha", 6, HP_ENC_UTF8, "marhta", 6,
                                        HP_ENC_UTF8, NO_CUTOFF), HP_OK);
        ck_assert_double_eq_tol(out, martha[k], 1e-15);
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "dwayne", 6, HP_ENC_UTF8, "duane", 5,
                                        HP_ENC_UTF8, NO_CUTOFF), HP_OK);
        ck_assert_double_eq_tol(out, dwayne[k], 1e-15);
    }
    /* no bonus at or below 0.7: "abcdef"/"abcxyz" has jaro 2/3 and a 3-element prefix */
    ck_assert_double_eq_tol(score8(HP_METRIC_JARO_WINKLER, HP_SIMILARITY, "abcdef", "abcxyz",
                                   NO_CUTOFF), 2.0 / 3.0, 1e-15);
}
END_TEST

/* ---------------------------------------------------------------- cutoffs */

START_TEST(test_fuzzy_metrics__cutoffs) {
    /* integer distances: worse than the cutoff comes back as cutoff + 1 */
    const int dist_metrics[] = {HP_METRIC_HAMMING, HP_METRIC_OSA, HP_METRIC_DAMERAU_LEVENSHTEIN,
                                HP_METRIC_PREFIX, HP_METRIC_POSTFIX};
    for (size_t k = 0; k < 5; k++) {
        int m = dist_metrics[k];
        double d = score8(m, HP_DISTANCE, "kitten", "sitting", NO_CUTOFF);
        ck_assert_double_eq(score8(m, HP_DISTANCE, "kitten", "sitting", d), d);
        ck_assert_double_eq(score8(m, HP_DISTANCE, "kitten", "sitting", d + 5), d);
        ck_assert_double_eq(score8(m, HP_DISTANCE, "kitten", "sitting", d - 1), d);
        ck_assert_double_eq(score8(m, HP_DISTANCE, "kitten", "sitting", 0), 1);
        double s = score8(m, HP_SIMILARITY, "kitten", "sitting", NO_CUTOFF);
        ck_assert_double_eq(score8(m, HP_SIMILARITY, "kitten", "sitting", s), s);
        ck_assert_double_eq(score8(m, HP_SIMILARITY, "kitten", "sitting", s + 1), 0);
        double nd = score8(m, HP_NORMALIZED_DISTANCE, "kitten", "sitting", NO_CUTOFF);
        ck_assert_double_eq(score8(m, HP_NORMALIZED_DISTANCE, "kitten", "sitting", nd), nd);
        ck_assert_double_eq(score8(m, HP_NORMALIZED_DISTANCE, "kitten", "sitting", nd - 1e-9),
                            nd < 1e-9 ? nd : 1.0);
        double ns = score8(m, HP_NORMALIZED_SIMILARITY, "kitten", "sitting", NO_CUTOFF);
        ck_assert_double_eq(score8(m, HP_NORMALIZED_SIMILARITY, "kitten", "sitting", ns), ns);
        ck_assert_double_eq(score8(m, HP_NORMALIZED_SIMILARITY, "kitten", "sitting", ns + 1e-9),
                            0.0);
    }
    /* OSA / Damerau early exits: distance 3 with cutoffs 0..2 */
    ck_assert_double_eq(score8(HP_METRIC_OSA, HP_DISTANCE, "abcdefgh", "badcfehg", 3), 4);
    ck_assert_double_eq(score8(HP_METRIC_OSA, HP_DISTANCE, "abcdefgh", "badcfehg", 4), 4);
    ck_assert_double_eq(score8(HP_METRIC_DAMERAU_LEVENSHTEIN, HP_DISTANCE, "ab", "abcdef", 3), 4);
    ck_assert_double_eq(score8(HP_METRIC_DAMERAU_LEVENSHTEIN, HP_DISTANCE, "ab", "abcdef", 4), 4);
    /* Jaro-family: below the cutoff is 0 (similarity) or 1 (distance) */
    const int jaro_metrics[] = {HP_METRIC_JARO, HP_METRIC_JARO_WINKLER};
    for (size_t k = 0; k < 2; k++) {
        int m = jaro_metrics[k];
        double s = score8(m, HP_SIMILARITY, "dixon", "dicksonx", NO_CUTOFF);
        ck_assert_double_eq(score8(m, HP_SIMILARITY, "dixon", "dicksonx", s), s);
        ck_assert_double_eq(score8(m, HP_NORMALIZED_SIMILARITY, "dixon", "dicksonx", s), s);
        ck_assert_double_eq(score8(m, HP_SIMILARITY, "dixon", "dicksonx", nextafter(s, 2)), 0);
        ck_assert_double_eq(score8(m, HP_SIMILARITY, "dixon", "dicksonx", 0.99), 0);
        double d = score8(m, HP_DISTANCE, "dixon", "dicksonx", NO_CUTOFF);
        ck_assert_double_eq_tol(d, 1.0 - s, 1e-15);
        ck_assert_double_eq(score8(m, HP_DISTANCE, "dixon", "dicksonx", d), d);
        ck_assert_double_eq(score8(m, HP_NORMALIZED_DISTANCE, "dixon", "dicksonx", d), d);
        ck_assert_double_eq(score8(m, HP_DISTANCE, "dixon", "dicksonx", nextafter(d, -1)), 1.0);
        ck_assert_double_eq(score8(m, HP_DISTANCE, "dixon", "dicksonx", 0.01), 1.0);
        /* the length filter: 1 vs 40 elements cannot reach 0.9 */
        ck_assert_double_eq(score8(m, HP_SIMILARITY, "a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                   0.9), 0);
        ck_assert_double_eq(score8(m, HP_SIMILARITY, "", "", 1.0), 1.0);
    }
    /* Winkler: pairs whose bonus lifts them over a cutoff their Jaro misses */
    double jw = score8(HP_METRIC_JARO_WINKLER, HP_SIMILARITY, "martha", "marhta", NO_CUTOFF);
    ck_assert_double_eq(score8(HP_METRIC_JARO_WINKLER, HP_SIMILARITY, "martha", "marhta", 0.95),
                        jw);
    ck_assert_double_eq(score8(HP_METRIC_JARO_WINKLER, HP_SIMILARITY, "martha", "marhta", jw), jw);
}
END_TEST

START_TEST(test_fuzzy_metrics__empty_inputs) {
    for (int m = HP_METRIC_HAMMING; m <= HP_METRIC_POSTFIX; m++) {
        /* NULL with length 0 is an empty sequence */
        hp_scorer sc;
        ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, m, HP_NORMALIZED_SIMILARITY), HP_OK);
        double out = -1;
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, NULL, 0, HP_ENC_UTF8, NULL, 0, HP_ENC_BYTES,
                                        NO_CUTOFF), HP_OK);
        ck_assert_double_eq(out, 1.0);
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, NULL, 0, HP_ENC_UTF8, "ab", 2, HP_ENC_BYTES,
                                        NO_CUTOFF), HP_OK);
        ck_assert_double_eq(out, 0.0);
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "ab", 2, HP_ENC_UTF8, NULL, 0, HP_ENC_U32,
                                        NO_CUTOFF), HP_OK);
        ck_assert_double_eq(out, 0.0);
        ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, m, HP_DISTANCE), HP_OK);
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, NULL, 0, HP_ENC_UTF8, "abc", 3, HP_ENC_UTF8,
                                        NO_CUTOFF), HP_OK);
        ck_assert_double_eq(out, m == HP_METRIC_JARO || m == HP_METRIC_JARO_WINKLER ? 1.0 : 3.0);
    }
}
END_TEST

/* ---------------------------------------------------------------- references */

static double ref_jaro(const uint32_t *a, size_t la, const uint32_t *b, size_t lb) {
    if (la == 0 && lb == 0) return 1.0;
    if (la == 0 || lb == 0) return 0.0;
    static unsigned char fa[1024], fb[1024];
    memset(fa, 0, la);
    memset(fb, 0, lb);
    size_t big = la > lb ? la : lb;
    size_t w = big / 2 > 0 ? big / 2 - 1 : 0;
    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        for (size_t j = i > w ? i - w : 0; j < lb && j <= i + w; j++) {
            if (!fb[j] && a[i] == b[j]) {
                fa[i] = fb[j] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0) return 0.0;
    size_t t = 0, j = 0;
    for (size_t i = 0; i < la; i++) {
        if (!fa[i]) continue;
        while (!fb[j]) j++;
        t += a[i] != b[j++];
    }
    double s = (double)m / (double)la;
    s += (double)m / (double)lb;
    s += ((double)m - (double)(t / 2)) / (double)m;
    return s / 3.0;
}

static double ref_jaro_winkler(const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                               double pw) {
    double s = ref_jaro(a, la, b, lb);
    size_t p = 0;
    while (p < 4 && p < la && p < lb && a[p] == b[p]) p++;
    if (s > 0.7) {
        s += (double)p * pw * (1.0 - s);
        if (s > 1.0) s = 1.0;
    }
    return s;
}

static size_t min3(size_t x, size_t y, size_t z) {
    size_t m = x < y ? x : y;
    return m < z ? m : z;
}

/* Full-matrix DPs; restricted (OSA) when osa, else Lowrance-Wagner with a scan for the
 * last occurrences. */
static size_t D[402][402];

static size_t ref_osa(const uint32_t *a, size_t la, const uint32_t *b, size_t lb) {
    for (size_t i = 0; i <= la; i++) D[i][0] = i;
    for (size_t j = 0; j <= lb; j++) D[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t v = min3(D[i - 1][j] + 1, D[i][j - 1] + 1, D[i - 1][j - 1] + (a[i - 1] != b[j - 1]));
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && D[i - 2][j - 2] + 1 < v)
                v = D[i - 2][j - 2] + 1;
            D[i][j] = v;
        }
    }
    return D[la][lb];
}

static size_t ref_damerau(const uint32_t *a, size_t la, const uint32_t *b, size_t lb) {
    /* H[i+1][j+1] = D[i][j]; row/column 0 is "infinite" */
    size_t inf = la + lb + 1;
    D[0][0] = inf;
    for (size_t i = 0; i <= la; i++) D[i + 1][0] = inf, D[i + 1][1] = i;
    for (size_t j = 0; j <= lb; j++) D[0][j + 1] = inf, D[1][j + 1] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t db = 0;
        for (size_t j = 1; j <= lb; j++) {
            size_t i1 = 0, j1 = db;
            for (size_t k = i - 1; k >= 1; k--)
                if (a[k - 1] == b[j - 1]) {
                    i1 = k;
                    break;
                }
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            if (cost == 0) db = j;
            size_t v = min3(D[i][j] + cost, D[i + 1][j] + 1, D[i][j + 1] + 1);
            size_t tr = D[i1][j1] + (i - i1 - 1) + 1 + (j - j1 - 1);
            D[i + 1][j + 1] = tr < v ? tr : v;
        }
    }
    return D[la + 1][lb + 1];
}

/* ---------------------------------------------------------------- random inputs */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A random sequence over a small alphabet (so matches and transpositions are common),
 * sometimes of code points above 255 (the hashed paths). */
static size_t gen(uint32_t *s, size_t maxlen, uint32_t base, uint32_t sigma) {
    size_t n = (size_t)(rnd() % (maxlen + 1));
    for (size_t i = 0; i < n; i++) s[i] = base + (uint32_t)(rnd() % sigma);
    return n;
}

/* b = a with a few random edits, swaps included. */
static size_t mutate(uint32_t *b, const uint32_t *a, size_t la, size_t cap, uint32_t base,
                     uint32_t sigma) {
    memcpy(b, a, la * sizeof *a);
    size_t n = la, edits = (size_t)(rnd() % 8);
    for (size_t e = 0; e < edits && n > 1; e++) {
        size_t p = (size_t)(rnd() % (n - 1));
        switch (rnd() % 4) {
        case 0: { uint32_t t = b[p]; b[p] = b[p + 1]; b[p + 1] = t; break; }
        case 1: b[p] = base + (uint32_t)(rnd() % sigma); break;
        case 2: memmove(b + p, b + p + 1, (n - p - 1) * sizeof *b); n--; break;
        default:
            if (n < cap) {
                memmove(b + p + 1, b + p, (n - p) * sizeof *b);
                b[p] = base + (uint32_t)(rnd() % sigma);
                n++;
            }
        }
    }
    return n;
}

static double score32(const hp_scorer *sc, const uint32_t *a, size_t la, const uint32_t *b,
                      size_t lb, double cutoff) {
    double out = -1;
    hp_status st = hp_fuzzy_score(&out, sc, a, la, HP_ENC_U32, b, lb, HP_ENC_U32, cutoff);
    EXPECT(st == HP_OK, "hp_fuzzy_score failed: %d", (int)st);
    return out;
}

static void random_pair(uint32_t *a, size_t *la, uint32_t *b, size_t *lb, size_t maxlen) {
    static const uint32_t bases[3] = {'a', 0xE0, 0x1F600};
    uint32_t base = bases[rnd() % 3], sigma = 2 + (uint32_t)(rnd() % 20);
    *la = gen(a, maxlen, base, sigma);
    if (rnd() % 2)
        *lb = mutate(b, a, *la, maxlen, base, sigma);
    else
        *lb = gen(b, maxlen, base, sigma);
}

static void check_random(size_t maxlen, int rounds) {
    static uint32_t a[400], b[400];
    hp_scorer osa, dl, jaro, jw;
    ck_assert_int_eq(hp_scorer_init(&osa, HP_SCORER_METRIC, HP_METRIC_OSA, HP_DISTANCE), HP_OK);
    ck_assert_int_eq(hp_scorer_init(&dl, HP_SCORER_METRIC, HP_METRIC_DAMERAU_LEVENSHTEIN,
                                    HP_DISTANCE), HP_OK);
    ck_assert_int_eq(hp_scorer_init(&jaro, HP_SCORER_METRIC, HP_METRIC_JARO, HP_SIMILARITY), HP_OK);
    ck_assert_int_eq(hp_scorer_init(&jw, HP_SCORER_METRIC, HP_METRIC_JARO_WINKLER, HP_SIMILARITY),
                     HP_OK);
    for (int r = 0; r < rounds; r++) {
        size_t la, lb;
        random_pair(a, &la, b, &lb, maxlen);
        double d = (double)ref_osa(a, la, b, lb);
        EXPECT(score32(&osa, a, la, b, lb, NO_CUTOFF) == d, "OSA %zu/%zu: %g != %g", la, lb,
               score32(&osa, a, la, b, lb, NO_CUTOFF), d);
        EXPECT(score32(&osa, a, la, b, lb, d) == d, "OSA at its cutoff");
        if (d >= 2) EXPECT(score32(&osa, a, la, b, lb, d - 2) == d - 1, "OSA over cutoff");
        d = (double)ref_damerau(a, la, b, lb);
        EXPECT(score32(&dl, a, la, b, lb, NO_CUTOFF) == d, "DL %zu/%zu: %g != %g", la, lb,
               score32(&dl, a, la, b, lb, NO_CUTOFF), d);
        EXPECT(score32(&dl, a, la, b, lb, d) == d, "DL at its cutoff");
        if (d >= 2) EXPECT(score32(&dl, a, la, b, lb, d - 2) == d - 1, "DL over cutoff");
        double s = ref_jaro(a, la, b, lb);
        EXPECT(fabs(score32(&jaro, a, la, b, lb, NO_CUTOFF) - s) <= 1e-15, "Jaro %zu/%zu: %.17g != %.17g",
               la, lb, score32(&jaro, a, la, b, lb, NO_CUTOFF), s);
        EXPECT(score32(&jaro, a, la, b, lb, s) == s, "Jaro at its cutoff");
        if (s < 1) EXPECT(score32(&jaro, a, la, b, lb, nextafter(s, 2)) == 0, "Jaro over cutoff");
        jw.prefix_weight = (double)(rnd() % 1001) / 1000.0;
        s = ref_jaro_winkler(a, la, b, lb, jw.prefix_weight);
        EXPECT(fabs(score32(&jw, a, la, b, lb, NO_CUTOFF) - s) <= 1e-15, "JW %zu/%zu pw %g: %.17g != %.17g",
               la, lb, jw.prefix_weight, score32(&jw, a, la, b, lb, NO_CUTOFF), s);
        EXPECT(score32(&jw, a, la, b, lb, s) == s, "JW at its cutoff (pw %g, %.17g)", jw.prefix_weight, s);
        if (s < 1) EXPECT(score32(&jw, a, la, b, lb, nextafter(s, 2)) == 0, "JW over cutoff");
    }
}

START_TEST(test_fuzzy_metrics__random_short) { check_random(20, 3000); }
END_TEST

START_TEST(test_fuzzy_metrics__random_one_word_edge) { check_random(70, 1500); }
END_TEST

START_TEST(test_fuzzy_metrics__random_long) { check_random(400, 150); }
END_TEST

START_TEST(test_fuzzy_metrics__query_matches_direct) {
    static uint32_t a[400], b[400];
    for (int r = 0; r < 300; r++) {
        size_t la, lb;
        random_pair(a, &la, b, &lb, r < 150 ? 70 : 300);
        for (int m = HP_METRIC_HAMMING; m <= HP_METRIC_POSTFIX; m++) {
            hp_scorer sc;
            ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, m, HP_DISTANCE), HP_OK);
            hp_fuzzy_query *q = NULL;
            ck_assert_int_eq(hp_fuzzy_query_new(&q, &sc, a, la, HP_ENC_U32), HP_OK);
            double viaq = -1;
            ck_assert_int_eq(hp_fuzzy_query_score(q, &viaq, b, lb, HP_ENC_U32, NO_CUTOFF), HP_OK);
            double direct = score32(&sc, a, la, b, lb, NO_CUTOFF);
            hp_fuzzy_query_free(q);
            EXPECT(viaq == direct, "metric %d: query %g, direct %g", m, viaq, direct);
        }
    }
}
END_TEST

START_TEST(test_fuzzy_metrics__simple_metrics_random) {
    static uint32_t a[400], b[400];
    for (int r = 0; r < 2000; r++) {
        size_t la, lb;
        random_pair(a, &la, b, &lb, r % 2 ? 10 : 300);
        size_t n = la < lb ? la : lb, big = la > lb ? la : lb;
        size_t ham = big - n, pre = 0, post = 0;
        for (size_t i = 0; i < n; i++) ham += a[i] != b[i];
        while (pre < n && a[pre] == b[pre]) pre++;
        while (post < n && a[la - 1 - post] == b[lb - 1 - post]) post++;
        hp_scorer sc;
        ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, HP_METRIC_HAMMING, HP_DISTANCE), HP_OK);
        EXPECT(score32(&sc, a, la, b, lb, NO_CUTOFF) == (double)ham, "Hamming");
        ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, HP_METRIC_PREFIX, HP_SIMILARITY), HP_OK);
        EXPECT(score32(&sc, a, la, b, lb, NO_CUTOFF) == (double)pre, "Prefix");
        ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, HP_METRIC_POSTFIX, HP_SIMILARITY), HP_OK);
        EXPECT(score32(&sc, a, la, b, lb, NO_CUTOFF) == (double)post, "Postfix");
    }
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(test_fuzzy_metrics__hamming_without_pad) {
    hp_scorer sc;
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, HP_METRIC_HAMMING, HP_DISTANCE), HP_OK);
    ck_assert_int_eq(sc.pad, 1);
    sc.pad = 0;
    double out = -1;
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "abc", 3, HP_ENC_UTF8, "ab", 2, HP_ENC_UTF8,
                                    NO_CUTOFF), HP_EINVAL);
    ck_assert_ptr_nonnull(strstr(hp_last_error_message(), "equal"));
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "abc", 3, HP_ENC_UTF8, "abd", 3, HP_ENC_UTF8,
                                    NO_CUTOFF), HP_OK);
    ck_assert_double_eq(out, 1);
    /* lengths count elements: 2 code points in 3 bytes against 2 bytes */
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "\xC3\xA9x", 3, HP_ENC_UTF8, "\xE9x", 2,
                                    HP_ENC_BYTES, NO_CUTOFF), HP_OK);
    ck_assert_double_eq(out, 0);
    sc.pad = 1;
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "abc", 3, HP_ENC_UTF8, "ab", 2, HP_ENC_UTF8,
                                    NO_CUTOFF), HP_OK);
    ck_assert_double_eq(out, 1);
}
END_TEST

START_TEST(test_fuzzy_metrics__prefix_weight_range) {
    hp_scorer sc;
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, HP_METRIC_JARO_WINKLER, HP_SIMILARITY),
                     HP_OK);
    double out = -1;
    const double bad[] = {-0.1, 1.0000001, 2.0, NAN, -INFINITY, INFINITY};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        sc.prefix_weight = bad[k];
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, HP_ENC_UTF8, "a", 1, HP_ENC_UTF8,
                                        NO_CUTOFF), HP_EINVAL);
        hp_fuzzy_query *q = (hp_fuzzy_query *)&out;
        ck_assert_int_eq(hp_fuzzy_query_new(&q, &sc, "a", 1, HP_ENC_UTF8), HP_EINVAL);
        ck_assert_ptr_null(q);
    }
    sc.prefix_weight = 0.0;
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, HP_ENC_UTF8, "a", 1, HP_ENC_UTF8,
                                    NO_CUTOFF), HP_OK);
    sc.prefix_weight = 1.0;
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, HP_ENC_UTF8, "a", 1, HP_ENC_UTF8,
                                    NO_CUTOFF), HP_OK);
}
END_TEST

START_TEST(test_fuzzy_metrics__bad_input) {
    for (int m = HP_METRIC_HAMMING; m <= HP_METRIC_POSTFIX; m++) {
        hp_scorer sc;
        ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, m, HP_DISTANCE), HP_OK);
        double out = -1;
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "ab\xFF", 3, HP_ENC_UTF8, "abc", 3,
                                        HP_ENC_UTF8, NO_CUTOFF), HP_EUTF8);
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "abc", 3, HP_ENC_UTF8, "a\xC3", 2, HP_ENC_UTF8,
                                        NO_CUTOFF), HP_EUTF8);
        /* the same bytes are fine as HP_ENC_BYTES */
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "ab\xFF", 3, HP_ENC_BYTES, "abc", 3,
                                        HP_ENC_BYTES, NO_CUTOFF), HP_OK);
        ck_assert_int_eq(hp_fuzzy_score(NULL, &sc, "a", 1, HP_ENC_UTF8, "a", 1, HP_ENC_UTF8,
                                        NO_CUTOFF), HP_EINVAL);
        ck_assert_int_eq(hp_fuzzy_score(&out, NULL, "a", 1, HP_ENC_UTF8, "a", 1, HP_ENC_UTF8,
                                        NO_CUTOFF), HP_EINVAL);
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, NULL, 1, HP_ENC_UTF8, "a", 1, HP_ENC_UTF8,
                                        NO_CUTOFF), HP_EINVAL);
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, HP_ENC_UTF8, NULL, 1, HP_ENC_UTF8,
                                        NO_CUTOFF), HP_EINVAL);
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, 7, "a", 1, HP_ENC_UTF8, NO_CUTOFF),
                         HP_EINVAL);
    }
    hp_scorer sc;
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, HP_METRIC_OSA, 4), HP_EINVAL);
    ck_assert_int_eq(hp_scorer_init(NULL, HP_SCORER_METRIC, HP_METRIC_OSA, HP_DISTANCE), HP_EINVAL);
}
END_TEST

Suite *test_fuzzy_metrics_suite(void) {
    Suite *s = suite_create("fuzzy_metrics");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_fuzzy_metrics__known_values);
    tcase_add_test(tc, test_fuzzy_metrics__jaro_winkler_prefix_weight);
    tcase_add_test(tc, test_fuzzy_metrics__cutoffs);
    tcase_add_test(tc, test_fuzzy_metrics__empty_inputs);
    tcase_add_test(tc, test_fuzzy_metrics__random_short);
    tcase_add_test(tc, test_fuzzy_metrics__random_one_word_edge);
    tcase_add_test(tc, test_fuzzy_metrics__random_long);
    tcase_add_test(tc, test_fuzzy_metrics__query_matches_direct);
    tcase_add_test(tc, test_fuzzy_metrics__simple_metrics_random);
    tcase_add_test(tc, test_fuzzy_metrics__hamming_without_pad);
    tcase_add_test(tc, test_fuzzy_metrics__prefix_weight_range);
    tcase_add_test(tc, test_fuzzy_metrics__bad_input);
    suite_add_tcase(s, tc);
    return s;
}
