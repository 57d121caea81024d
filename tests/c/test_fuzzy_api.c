/* The fuzzy module's public plumbing: scorer setup, decoding of the three encodings,
 * cutoff rules, cached queries, and the batch functions (extract, cdist, cpdist, pairs)
 * with their error paths, threads, progress and cancellation. Kernel results have their
 * own suites (fuzzy_lev, fuzzy_metrics, fuzz); here Indel and Levenshtein serve as
 * known scorers. */
#include "internal/common.h"
#include "suites.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hp_scorer metric(int id, int measure) {
    hp_scorer sc;
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, id, measure), HP_OK);
    return sc;
}

static double score_utf8(const hp_scorer *sc, const char *a, const char *b, double cutoff) {
    double out = -1;
    ck_assert_int_eq(hp_fuzzy_score(&out, sc, a, strlen(a), HP_ENC_UTF8, b, strlen(b), HP_ENC_UTF8,
                                    cutoff),
                     HP_OK);
    return out;
}

START_TEST(test_fuzzy__scorer_init_and_range) {
    hp_scorer sc;
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, HP_METRIC_LEVENSHTEIN, HP_DISTANCE),
                     HP_OK);
    ck_assert_int_eq(sc.pad, 1);
    ck_assert(sc.weights[0] == 1 && sc.weights[1] == 1 && sc.weights[2] == 1);
    ck_assert(sc.prefix_weight == 0.1);
    ck_assert_int_eq(hp_scorer_init(NULL, 0, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_scorer_init(&sc, 7, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, 10, 0), HP_EINVAL);
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, -1, 0), HP_EINVAL);
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, 0, 4), HP_EINVAL);
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_FUZZ, 10, 0), HP_EINVAL);
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_FUZZ, HP_FUZZ_QRATIO, 99), HP_OK);

    double worst, best;
    hp_scorer lev = metric(HP_METRIC_LEVENSHTEIN, HP_DISTANCE);
    lev.weights[0] = 1;
    lev.weights[1] = 2;
    lev.weights[2] = 5;
    ck_assert_int_eq(hp_scorer_range(&worst, &best, &lev, 3, 5), HP_OK);
    /* min(3*2 + 5*1, 3*5 + 2*1) = 11 */
    ck_assert(worst == 11 && best == 0);
    hp_scorer sim = metric(HP_METRIC_INDEL, HP_SIMILARITY);
    ck_assert_int_eq(hp_scorer_range(&worst, &best, &sim, 3, 5), HP_OK);
    ck_assert(worst == 0 && best == 8);
    hp_scorer nd = metric(HP_METRIC_JARO, HP_NORMALIZED_DISTANCE);
    ck_assert_int_eq(hp_scorer_range(&worst, &best, &nd, 3, 5), HP_OK);
    ck_assert(worst == 1 && best == 0);
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_FUZZ, HP_FUZZ_RATIO, 0), HP_OK);
    ck_assert_int_eq(hp_scorer_range(&worst, &best, &sc, 0, 0), HP_OK);
    ck_assert(worst == 0 && best == 100);
    ck_assert_int_eq(hp_scorer_range(NULL, &best, &sc, 0, 0), HP_EINVAL);
    sc.id = 99;
    ck_assert_int_eq(hp_scorer_range(&worst, &best, &sc, 0, 0), HP_EINVAL);
}
END_TEST

START_TEST(test_fuzzy__encodings_compare_by_value) {
    hp_scorer sc = metric(HP_METRIC_INDEL, HP_DISTANCE);
    const char *utf8 = "h\xc3\xa9llo"; /* héllo */
    const uint32_t u32[] = {'h', 0xE9, 'l', 'l', 'o'};
    const unsigned char latin1[] = {'h', 0xE9, 'l', 'l', 'o'};
    double out = -1;
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, utf8, 6, HP_ENC_UTF8, u32, 5, HP_ENC_U32, NAN),
                     HP_OK);
    ck_assert(out == 0);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, latin1, 5, HP_ENC_BYTES, u32, 5, HP_ENC_U32, NAN),
                     HP_OK);
    ck_assert(out == 0);
    /* as bytes, the UTF-8 text has 6 elements: one substitution-free Indel of 3 */
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, utf8, 6, HP_ENC_BYTES, latin1, 5, HP_ENC_BYTES, NAN),
                     HP_OK);
    ck_assert(out == 3);
    const uint16_t u16[] = {'h', 0xE9, 'l', 'l', 'o'};
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, u16, 5, HP_ENC_U16, utf8, 6, HP_ENC_UTF8, NAN),
                     HP_OK);
    ck_assert(out == 0);
    unsigned char raw16[2 * 5 + 1];
    memcpy(raw16 + 1, u16, sizeof u16);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, raw16 + 1, 5, HP_ENC_U16, u32, 5, HP_ENC_U32, NAN),
                     HP_OK);
    ck_assert(out == 0);
    /* unaligned U32 input is copied, not misread */
    unsigned char raw[4 * 5 + 1];
    memcpy(raw + 1, u32, sizeof u32);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, raw + 1, 5, HP_ENC_U32, u32, 5, HP_ENC_U32, NAN),
                     HP_OK);
    ck_assert(out == 0);
    /* long inputs leave the inline buffer */
    enum { N = 1000 };
    uint32_t *a = malloc(N * sizeof *a), *b = malloc(N * sizeof *b);
    for (int i = 0; i < N; i++) a[i] = b[i] = (uint32_t)(0x10000 + i % 37);
    b[500] = 1;
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, a, N, HP_ENC_U32, b, N, HP_ENC_U32, NAN), HP_OK);
    ck_assert(out == 2);
    free(a);
    free(b);
}
END_TEST

START_TEST(test_fuzzy__score_errors) {
    hp_scorer sc = metric(HP_METRIC_INDEL, HP_DISTANCE);
    double out;
    ck_assert_int_eq(hp_fuzzy_score(NULL, &sc, "a", 1, 0, "b", 1, 0, NAN), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_score(&out, NULL, "a", 1, 0, "b", 1, 0, NAN), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, NULL, 1, 0, "b", 1, 0, NAN), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, 0, NULL, 1, 0, NAN), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, NULL, 0, 0, NULL, 0, 0, NAN), HP_OK);
    ck_assert(out == 0);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, 4, "b", 1, 0, NAN), HP_EINVAL);
    ck_assert(strstr(hp_last_error_message(), "unknown encoding") != NULL);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, 0, "b\xff", 2, 0, NAN), HP_EUTF8);
    ck_assert(strstr(hp_last_error_message(), "second sequence") != NULL);
    ck_assert(strstr(hp_last_error_message(), "byte 1") != NULL);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", SIZE_MAX, 0, "b", 1, 0, NAN), HP_EOVERFLOW);
    hp_scorer bad = sc;
    bad.id = 42;
    ck_assert_int_eq(hp_fuzzy_score(&out, &bad, "a", 1, 0, "b", 1, 0, NAN), HP_EINVAL);
    bad = metric(HP_METRIC_LEVENSHTEIN, HP_DISTANCE);
    bad.weights[2] = ((uint64_t)1 << 32) + 1;
    ck_assert_int_eq(hp_fuzzy_score(&out, &bad, "a", 1, 0, "b", 1, 0, NAN), HP_EINVAL);
    bad = metric(HP_METRIC_JARO_WINKLER, HP_SIMILARITY);
    bad.prefix_weight = NAN;
    ck_assert_int_eq(hp_fuzzy_score(&out, &bad, "a", 1, 0, "b", 1, 0, NAN), HP_EINVAL);
    bad.prefix_weight = 1.5;
    ck_assert_int_eq(hp_fuzzy_score(&out, &bad, "a", 1, 0, "b", 1, 0, NAN), HP_EINVAL);
    hp_scorer ham = metric(HP_METRIC_HAMMING, HP_DISTANCE);
    ham.pad = 0;
    ck_assert_int_eq(hp_fuzzy_score(&out, &ham, "ab", 2, 0, "abc", 3, 0, NAN), HP_EINVAL);
    ham.pad = 1;
    ck_assert_int_eq(hp_fuzzy_score(&out, &ham, "ab", 2, 0, "abc", 3, 0, NAN), HP_OK);
    ck_assert(out == 1);
}
END_TEST

START_TEST(test_fuzzy__measures_and_cutoffs) {
    /* Indel("lewenstein", "levenshtein"): lcs 9 -> distance 3, maximum 21 */
    const char *a = "lewenstein", *b = "levenshtein";
    hp_scorer d = metric(HP_METRIC_INDEL, HP_DISTANCE);
    hp_scorer s = metric(HP_METRIC_INDEL, HP_SIMILARITY);
    hp_scorer nd = metric(HP_METRIC_INDEL, HP_NORMALIZED_DISTANCE);
    hp_scorer ns = metric(HP_METRIC_INDEL, HP_NORMALIZED_SIMILARITY);
    ck_assert(score_utf8(&d, a, b, NAN) == 3);
    ck_assert(score_utf8(&d, a, b, 3) == 3);
    ck_assert(score_utf8(&d, a, b, 2) == 3);  /* cutoff + 1 */
    ck_assert(score_utf8(&d, a, b, 0) == 1);
    ck_assert(score_utf8(&d, a, b, -1) == 0); /* nothing passes a negative cutoff */
    ck_assert(score_utf8(&s, a, b, NAN) == 18);
    ck_assert(score_utf8(&s, a, b, 18) == 18);
    ck_assert(score_utf8(&s, a, b, 19) == 0);
    ck_assert(fabs(score_utf8(&nd, a, b, NAN) - 3.0 / 21) < 1e-15);
    ck_assert(score_utf8(&nd, a, b, 0.1) == 1.0);
    ck_assert(fabs(score_utf8(&ns, a, b, NAN) - 18.0 / 21) < 1e-15);
    ck_assert(score_utf8(&ns, a, b, 0.9) == 0.0);
    ck_assert(fabs(score_utf8(&ns, a, b, 18.0 / 21) - 18.0 / 21) < 1e-15);
    /* empty strings: distance 0, normalized similarity 1 */
    ck_assert(score_utf8(&d, "", "", NAN) == 0);
    ck_assert(score_utf8(&ns, "", "", NAN) == 1.0);
    /* LCSseq, Prefix and Postfix */
    hp_scorer lcs = metric(HP_METRIC_LCSSEQ, HP_SIMILARITY);
    ck_assert(score_utf8(&lcs, a, b, NAN) == 9);
    hp_scorer pre = metric(HP_METRIC_PREFIX, HP_SIMILARITY);
    ck_assert(score_utf8(&pre, "prefix", "preface", NAN) == 4);
    hp_scorer post = metric(HP_METRIC_POSTFIX, HP_DISTANCE);
    ck_assert(score_utf8(&post, "walking", "talking", NAN) == 1);
}
END_TEST

START_TEST(test_fuzzy__cached_query_equals_single_pair) {
    static const char *choices[] = {"", "a", "kitten", "sitting", "kitchen", "smitten",
                                    "\xc3\xa9t\xc3\xa9", "a much longer sentence about kittens "
                                    "that needs more than one machine word of sixty-four bits"};
    for (int id = HP_METRIC_LEVENSHTEIN; id <= HP_METRIC_LCSSEQ; id++) {
        for (int m = 0; m < 4; m++) {
            hp_scorer sc = metric(id, m);
            hp_fuzzy_query *q = NULL;
            const char *query = "kitten sitting in a kitchen with a much longer tail of text";
            ck_assert_int_eq(hp_fuzzy_query_new(&q, &sc, query, strlen(query), HP_ENC_UTF8),
                             HP_OK);
            for (size_t i = 0; i < sizeof choices / sizeof *choices; i++) {
                double cached = -1;
                ck_assert_int_eq(hp_fuzzy_query_score(q, &cached, choices[i], strlen(choices[i]),
                                                      HP_ENC_UTF8, NAN),
                                 HP_OK);
                ck_assert(cached == score_utf8(&sc, query, choices[i], NAN));
            }
            hp_fuzzy_query_free(q);
        }
    }
    hp_fuzzy_query *q = (hp_fuzzy_query *)1;
    hp_scorer sc = metric(HP_METRIC_INDEL, HP_DISTANCE);
    ck_assert_int_eq(hp_fuzzy_query_new(&q, &sc, "\xff", 1, HP_ENC_UTF8), HP_EUTF8);
    ck_assert(q == NULL);
    ck_assert_int_eq(hp_fuzzy_query_new(NULL, &sc, "a", 1, HP_ENC_UTF8), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_query_new(&q, &sc, "a", 1, HP_ENC_UTF8), HP_OK);
    double out;
    ck_assert_int_eq(hp_fuzzy_query_score(NULL, &out, "a", 1, 0, NAN), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_query_score(q, NULL, "a", 1, 0, NAN), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_query_score(q, &out, "a\xff", 2, 0, NAN), HP_EUTF8);
    hp_fuzzy_query_free(q);
    hp_fuzzy_query_free(NULL);
    /* a U32 query is copied: the caller's array may change afterwards */
    uint32_t word[] = {'a', 'b', 'c'};
    ck_assert_int_eq(hp_fuzzy_query_new(&q, &sc, word, 3, HP_ENC_U32), HP_OK);
    word[0] = 'z';
    ck_assert_int_eq(hp_fuzzy_query_score(q, &out, "abc", 3, HP_ENC_UTF8, NAN), HP_OK);
    ck_assert(out == 0);
    hp_fuzzy_query_free(q);
}
END_TEST

/* A batch of n strings "w<i % 97>" with a few exact copies of "target". */
typedef struct batch {
    char *data;
    int64_t *off;
    hp_strings s;
} batch;

static batch make_batch(size_t n) {
    batch b;
    b.data = malloc(n * 16 + 1);
    b.off = malloc((n + 1) * sizeof *b.off);
    size_t pos = 0;
    b.off[0] = 0;
    for (size_t i = 0; i < n; i++) {
        int len = i % 1000 == 999 ? snprintf(b.data + pos, 16, "target")
                                  : snprintf(b.data + pos, 16, "w%zu", i % 97);
        pos += (size_t)len;
        b.off[i + 1] = (int64_t)pos;
    }
    b.s.data = b.data;
    b.s.offsets = b.off;
    b.s.count = n;
    return b;
}

static void free_batch(batch *b) {
    free(b->data);
    free(b->off);
}

START_TEST(test_fuzzy__extract_best_first_ties_by_index) {
    batch b = make_batch(5000);
    hp_scorer sc = metric(HP_METRIC_INDEL, HP_DISTANCE);
    hp_fuzzy_query *q;
    ck_assert_int_eq(hp_fuzzy_query_new(&q, &sc, "target", 6, HP_ENC_UTF8), HP_OK);
    hp_match out[8];
    size_t n = 0;
    for (unsigned threads = 1; threads <= 3; threads++) {
        ck_assert_int_eq(hp_fuzzy_extract(out, 8, &n, q, &b.s, HP_ENC_UTF8, NULL, NAN, 8, threads,
                                          NULL, NULL),
                         HP_OK);
        ck_assert_uint_eq(n, 8);
        for (int k = 0; k < 5; k++) {
            ck_assert(out[k].score == 0);
            ck_assert_uint_eq(out[k].index, 999 + 1000 * (uint64_t)k);
        }
        ck_assert(out[5].score > 0);
        for (int k = 6; k < 8; k++)
            ck_assert(out[k].score > out[k - 1].score ||
                      (out[k].score == out[k - 1].score && out[k].index > out[k - 1].index));
    }
    /* cutoff: only the exact copies pass; skip drops one of them */
    uint8_t *skip = calloc(5000, 1);
    skip[1999] = 1;
    ck_assert_int_eq(hp_fuzzy_extract(out, 8, &n, q, &b.s, HP_ENC_UTF8, skip, 0, 8, 0, NULL, NULL),
                     HP_OK);
    ck_assert_uint_eq(n, 4);
    ck_assert_uint_eq(out[1].index, 2999);
    free(skip);
    /* errors */
    ck_assert_int_eq(hp_fuzzy_extract(out, 7, &n, q, &b.s, HP_ENC_UTF8, NULL, NAN, 8, 0, NULL,
                                      NULL),
                     HP_EBUFSIZE);
    ck_assert(strstr(hp_last_error_message(), "needs 8") != NULL);
    ck_assert_int_eq(hp_fuzzy_extract(out, 8, NULL, q, &b.s, 0, NULL, NAN, 8, 0, NULL, NULL),
                     HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_extract(out, 8, &n, NULL, &b.s, 0, NULL, NAN, 8, 0, NULL, NULL),
                     HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_extract(out, 8, &n, q, NULL, 0, NULL, NAN, 8, 0, NULL, NULL),
                     HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_extract(out, 8, &n, q, &b.s, 9, NULL, NAN, 8, 0, NULL, NULL),
                     HP_EINVAL);
    b.data[b.off[10]] = (char)0xC3; /* a truncated sequence inside string 10 */
    ck_assert_int_eq(hp_fuzzy_extract(out, 8, &n, q, &b.s, HP_ENC_UTF8, NULL, NAN, 8, 0, NULL,
                                      NULL),
                     HP_EUTF8);
    ck_assert(strstr(hp_last_error_message(), "string 10") != NULL);
    /* U32 and U16 strings must be whole elements */
    ck_assert_int_eq(hp_fuzzy_extract(out, 8, &n, q, &b.s, HP_ENC_U32, NULL, NAN, 8, 0, NULL,
                                      NULL),
                     HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_extract(out, 8, &n, q, &b.s, HP_ENC_U16, NULL, NAN, 8, 0, NULL,
                                      NULL),
                     HP_EINVAL);
    ck_assert(strstr(hp_last_error_message(), "2-byte elements") != NULL);
    hp_fuzzy_query_free(q);
    free_batch(&b);
}
END_TEST

static int count_calls(uint64_t done, uint64_t total, void *user) {
    int *calls = user;
    ck_assert(done <= total);
    return ++*calls >= 2; /* cancel at the second report */
}

START_TEST(test_fuzzy__progress_cancels) {
    batch b = make_batch(100000);
    hp_scorer sc = metric(HP_METRIC_INDEL, HP_DISTANCE);
    hp_fuzzy_query *q;
    ck_assert_int_eq(hp_fuzzy_query_new(&q, &sc, "target", 6, HP_ENC_UTF8), HP_OK);
    hp_match out[3];
    size_t n = 99;
    int calls = 0;
    ck_assert_int_eq(hp_fuzzy_extract(out, 3, &n, q, &b.s, HP_ENC_UTF8, NULL, NAN, 3, 2,
                                      count_calls, &calls),
                     HP_ECANCELLED);
    ck_assert_int_eq(calls, 2);
    ck_assert_uint_eq(n, 0);
    /* cdist reports once per block of rows (about 2^22 cells): 300 x 20000 is 2 blocks */
    hp_strings queries = b.s, choices = b.s;
    queries.count = 300;
    choices.count = 20000;
    uint8_t *m = malloc(300 * 20000);
    calls = 0;
    ck_assert_int_eq(hp_fuzzy_cdist(m, HP_DTYPE_U8, 20000, &sc, &queries, 0, &choices, 0, NAN, 2,
                                    count_calls, &calls),
                     HP_ECANCELLED);
    ck_assert_int_eq(calls, 2);
    free(m);
    hp_fuzzy_query_free(q);
    free_batch(&b);
}
END_TEST

START_TEST(test_fuzzy__cdist_and_cpdist) {
    batch b = make_batch(300);
    hp_scorer sc = metric(HP_METRIC_LEVENSHTEIN, HP_DISTANCE);
    size_t n = b.s.count;
    double *m = malloc(n * n * sizeof *m);
    ck_assert_int_eq(hp_fuzzy_cdist(m, HP_DTYPE_F64, n, &sc, &b.s, 0, &b.s, 0, NAN, 0, NULL, NULL),
                     HP_OK);
    for (size_t i = 0; i < n; i += 7)
        for (size_t j = 0; j < n; j += 5) {
            double want;
            ck_assert_int_eq(hp_fuzzy_score(&want, &sc, b.data + b.off[i],
                                            (size_t)(b.off[i + 1] - b.off[i]), 0, b.data + b.off[j],
                                            (size_t)(b.off[j + 1] - b.off[j]), 0, NAN),
                             HP_OK);
            ck_assert(m[i * n + j] == want);
        }
    /* other dtypes carry the same values, rounded; a wider stride leaves padding alone */
    int32_t *mi = malloc(n * (n + 3) * sizeof *mi);
    memset(mi, 0x7f, n * (n + 3) * sizeof *mi);
    ck_assert_int_eq(hp_fuzzy_cdist(mi, HP_DTYPE_I32, n + 3, &sc, &b.s, 0, &b.s, 0, NAN, 1, NULL,
                                    NULL),
                     HP_OK);
    ck_assert(mi[5 * (n + 3) + 7] == (int32_t)m[5 * n + 7]);
    ck_assert(mi[5 * (n + 3) + n] == 0x7f7f7f7f);
    float *mf = malloc(n * n * sizeof *mf);
    hp_scorer ns = metric(HP_METRIC_INDEL, HP_NORMALIZED_SIMILARITY);
    ck_assert_int_eq(hp_fuzzy_cdist(mf, HP_DTYPE_F32, n, &ns, &b.s, 0, &b.s, 0, 0.5, 0, NULL,
                                    NULL),
                     HP_OK);
    for (size_t i = 0; i < n; i++) {
        ck_assert(mf[i * n + i] == 1.0f);
        for (size_t j = 0; j < n; j++) ck_assert(mf[i * n + j] == 0.0f || mf[i * n + j] >= 0.5f);
    }
    uint8_t *mu = malloc(n * n);
    ck_assert_int_eq(hp_fuzzy_cdist(mu, HP_DTYPE_U8, n, &ns, &b.s, 0, &b.s, 0, NAN, 0, NULL, NULL),
                     HP_OK);
    ck_assert(mu[0] == 1);
    double *p = malloc(n * sizeof *p);
    ck_assert_int_eq(hp_fuzzy_cpdist(p, HP_DTYPE_F64, &sc, &b.s, 0, &b.s, 0, NAN, 0, NULL, NULL),
                     HP_OK);
    for (size_t i = 0; i < n; i++) ck_assert(p[i] == 0);
    /* errors */
    ck_assert_int_eq(hp_fuzzy_cdist(m, 9, n, &sc, &b.s, 0, &b.s, 0, NAN, 0, NULL, NULL), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_cdist(m, 0, n - 1, &sc, &b.s, 0, &b.s, 0, NAN, 0, NULL, NULL),
                     HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_cdist(NULL, 0, n, &sc, &b.s, 0, &b.s, 0, NAN, 0, NULL, NULL),
                     HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_cdist(m, 0, SIZE_MAX / 2, &sc, &b.s, 0, &b.s, 0, NAN, 0, NULL, NULL),
                     HP_EOVERFLOW);
    ck_assert_int_eq(hp_fuzzy_cdist(m, 0, n, NULL, &b.s, 0, &b.s, 0, NAN, 0, NULL, NULL),
                     HP_EINVAL);
    hp_strings shorter = b.s;
    shorter.count = n - 1;
    ck_assert_int_eq(hp_fuzzy_cpdist(p, 0, &sc, &b.s, 0, &shorter, 0, NAN, 0, NULL, NULL),
                     HP_EINVAL);
    hp_strings empty = {NULL, b.off, 0};
    ck_assert_int_eq(hp_fuzzy_cdist(NULL, 0, 0, &sc, &empty, 0, &b.s, 0, NAN, 0, NULL, NULL), HP_OK);
    free(m);
    free(mi);
    free(mf);
    free(mu);
    free(p);
    free_batch(&b);
}
END_TEST

/* cdist with token_sort_ratio sorts every string's tokens once and scores fuzz.ratio of
 * the sorted forms: the matrix equals the pair-by-pair scores, at every level, with and
 * without a cutoff, on strings with runs of spaces, edge spaces, empty strings and
 * non-ASCII words. */
START_TEST(test_fuzzy__cdist_token_sort_equals_pairs) {
    enum { N = 61 };
    static const char *vocab[] = {"new", "york", "mets", "yankees", "\xc3\xa9t\xc3\xa9", "a",
                                  "zz", "\xe2\x82\xac" "5"};
    char *data = malloc(N * 80);
    int64_t off[N + 1];
    size_t pos = 0;
    off[0] = 0;
    uint64_t r = 7;
    for (int i = 0; i < N; i++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        int words = i % 13 == 0 ? 0 : 1 + (int)((r >> 40) % 6);
        if (i % 5 == 0) data[pos++] = ' ';
        for (int w = 0; w < words; w++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            const char *v = vocab[(r >> 37) % 8];
            memcpy(data + pos, v, strlen(v));
            pos += strlen(v);
            int spaces = w + 1 < words ? 1 + (int)((r >> 50) % 3) : (i % 7 == 0);
            for (int k = 0; k < spaces; k++) data[pos++] = ' ';
        }
        off[i + 1] = (int64_t)pos;
    }
    hp_strings b = {data, off, N};
    hp_scorer sc;
    hp_scorer_init(&sc, HP_SCORER_FUZZ, HP_FUZZ_TOKEN_SORT_RATIO, 0);
    double *m = malloc(N * N * sizeof *m);
    hp_simd top = hp_simd_level();
    const double cutoffs[2] = {NAN, 70};
    for (int level = HP_SIMD_SCALAR; level <= (int)top; level++) {
        if (hp_simd_set_level(level) != HP_OK) continue;
        for (int c = 0; c < 2; c++) {
            ck_assert_int_eq(hp_fuzzy_cdist(m, HP_DTYPE_F64, N, &sc, &b, 0, &b, 0, cutoffs[c], 2,
                                            NULL, NULL),
                             HP_OK);
            for (int i = 0; i < N; i++)
                for (int j = 0; j < N; j++) {
                    double want;
                    ck_assert_int_eq(hp_fuzzy_score(&want, &sc, data + off[i],
                                                    (size_t)(off[i + 1] - off[i]), 0, data + off[j],
                                                    (size_t)(off[j + 1] - off[j]), 0, cutoffs[c]),
                                     HP_OK);
                    ck_assert_msg(m[i * N + j] == want, "level %d (%d, %d): %g want %g", level, i,
                                  j, m[i * N + j], want);
                }
        }
    }
    ck_assert_int_eq(hp_simd_set_level((int)top), HP_OK);
    free(m);
    free(data);
}
END_TEST

/* cdist and extract with the LCS-based scorers take SIMD paths (choice tables, lanes of
 * 4-8 choices) at AVX2 and above; every level must give the scalar matrix. */
START_TEST(test_fuzzy__lcs_batches_equal_scalar_at_every_level) {
    enum { N = 157 };
    char *data = malloc(N * 300);
    int64_t off[N + 1];
    size_t pos = 0;
    off[0] = 0;
    uint64_t r = 99;
    for (int i = 0; i < N; i++) {
        r = r * 6364136223846793005ull + 1442695040888963407ull;
        int len = (int)(r >> 33) % (i % 9 == 0 ? 90 : 40); /* some beyond 64 */
        for (int k = 0; k < len; k++) {
            r = r * 6364136223846793005ull + 1442695040888963407ull;
            int pick = (int)(r >> 35) % 10;
            if (pick == 9 && i % 5 == 0) { /* an element >= 256 (U+20AC) now and then */
                memcpy(data + pos, "\xe2\x82\xac", 3);
                pos += 3;
            } else {
                data[pos++] = (char)('a' + pick % 6);
            }
        }
        off[i + 1] = (int64_t)pos;
    }
    hp_strings b = {data, off, N};
    hp_scorer scorers[7];
    hp_scorer_init(&scorers[0], HP_SCORER_FUZZ, HP_FUZZ_RATIO, 0);
    hp_scorer_init(&scorers[1], HP_SCORER_FUZZ, HP_FUZZ_QRATIO, 0);
    scorers[2] = metric(HP_METRIC_INDEL, HP_NORMALIZED_SIMILARITY);
    scorers[3] = metric(HP_METRIC_LCSSEQ, HP_DISTANCE);
    /* uniform Levenshtein takes the Levenshtein lanes; weighted, the pair path */
    scorers[4] = metric(HP_METRIC_LEVENSHTEIN, HP_DISTANCE);
    scorers[5] = metric(HP_METRIC_LEVENSHTEIN, HP_NORMALIZED_SIMILARITY);
    scorers[6] = metric(HP_METRIC_LEVENSHTEIN, HP_SIMILARITY);
    scorers[6].weights[2] = 2;
    double *want = malloc(N * N * sizeof *want), *got = malloc(N * N * sizeof *got);
    hp_simd top = hp_simd_level();
    for (int k = 0; k < 7; k++) {
        const double cutoffs[2] = {NAN, k == 3 || k == 4 ? 20 : (k == 2 || k == 5 ? 0.5 : k == 6 ? 15 : 50)};
        for (int c = 0; c < 2; c++) {
            ck_assert_int_eq(hp_simd_set_level(HP_SIMD_SCALAR), HP_OK);
            ck_assert_int_eq(hp_fuzzy_cdist(want, 0, N, &scorers[k], &b, 0, &b, 0, cutoffs[c], 2,
                                            NULL, NULL),
                             HP_OK);
            for (int level = HP_SIMD_SSE42; level <= (int)top; level++) {
                if (hp_simd_set_level(level) != HP_OK) continue;
                ck_assert_int_eq(hp_fuzzy_cdist(got, 0, N, &scorers[k], &b, 0, &b, 0, cutoffs[c],
                                                2, NULL, NULL),
                                 HP_OK);
                for (int i = 0; i < N * N; i++) ck_assert(got[i] == want[i]);
                /* extract of one row is the row's best */
                hp_fuzzy_query *q;
                ck_assert_int_eq(hp_fuzzy_query_new(&q, &scorers[k], data + off[9],
                                                    (size_t)(off[10] - off[9]), 0),
                                 HP_OK);
                hp_match m[N];
                size_t n = 0;
                ck_assert_int_eq(hp_fuzzy_extract(m, N, &n, q, &b, 0, NULL, cutoffs[c], 0, 2,
                                                  NULL, NULL),
                                 HP_OK);
                for (size_t t = 0; t < n; t++) ck_assert(m[t].score == want[9 * N + m[t].index]);
                /* prepared choices (built at this level) give the same matches */
                hp_fuzzy_choices *pc = NULL;
                ck_assert_int_eq(hp_fuzzy_choices_new(&pc, &b, 0, 2), HP_OK);
                size_t count = 0;
                ck_assert_int_eq(hp_fuzzy_choices_count(pc, &count), HP_OK);
                ck_assert_uint_eq(count, N);
                hp_match m2[N];
                size_t n2 = 0;
                ck_assert_int_eq(hp_fuzzy_extract_prepared(m2, N, &n2, q, pc, NULL, cutoffs[c], 0,
                                                           2, NULL, NULL),
                                 HP_OK);
                ck_assert_uint_eq(n2, n);
                for (size_t t = 0; t < n; t++)
                    ck_assert(m2[t].index == m[t].index && m2[t].score == m[t].score);
                hp_fuzzy_choices_free(pc);
                hp_fuzzy_query_free(q);
            }
        }
    }
    ck_assert_int_eq(hp_simd_set_level((int)top), HP_OK);
    /* errors */
    hp_fuzzy_choices *pc = (hp_fuzzy_choices *)1;
    ck_assert_int_eq(hp_fuzzy_choices_new(NULL, &b, 0, 0), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_choices_new(&pc, NULL, 0, 0), HP_EINVAL);
    ck_assert(pc == NULL);
    data[off[3]] = (char)0xff;
    ck_assert_int_eq(hp_fuzzy_choices_new(&pc, &b, HP_ENC_UTF8, 0), HP_EUTF8);
    ck_assert(pc == NULL);
    ck_assert_int_eq(hp_fuzzy_choices_new(&pc, &b, HP_ENC_BYTES, 0), HP_OK);
    hp_match one;
    size_t n1;
    ck_assert_int_eq(hp_fuzzy_extract_prepared(&one, 1, &n1, NULL, pc, NULL, NAN, 1, 0, NULL, NULL),
                     HP_EINVAL);
    size_t cnt;
    ck_assert_int_eq(hp_fuzzy_choices_count(NULL, &cnt), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_choices_count(pc, NULL), HP_EINVAL);
    hp_fuzzy_choices_free(pc);
    hp_fuzzy_choices_free(NULL);
    free(want);
    free(got);
    free(data);
}
END_TEST

typedef struct collected {
    hp_pair *p;
    size_t n;
    int stop_after;
} collected;

static int collect(const hp_pair *pairs, size_t n, void *user) {
    collected *c = user;
    c->p = realloc(c->p, (c->n + n) * sizeof *c->p);
    memcpy(c->p + c->n, pairs, n * sizeof *pairs);
    for (size_t k = 1; k < n; k++)
        ck_assert(pairs[k - 1].i < pairs[k].i ||
                  (pairs[k - 1].i == pairs[k].i && pairs[k - 1].j < pairs[k].j));
    c->n += n;
    return c->stop_after && c->n >= (size_t)c->stop_after;
}

static int cmp_pair(const void *pa, const void *pb) {
    const hp_pair *a = pa, *b = pb;
    if (a->i != b->i) return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

START_TEST(test_fuzzy__pairs_equal_brute_force) {
    batch b = make_batch(800);
    size_t n = b.s.count;
    const int ids[] = {HP_METRIC_INDEL, HP_METRIC_LEVENSHTEIN, HP_METRIC_LCSSEQ};
    const double cutoffs[] = {0.75, 1, 0.9};
    const int measures[] = {HP_NORMALIZED_SIMILARITY, HP_DISTANCE, HP_NORMALIZED_DISTANCE};
    double *m = malloc(n * n * sizeof *m);
    for (int t = 0; t < 3; t++) {
        hp_scorer sc = metric(ids[t], measures[t]);
        bool higher = measures[t] == HP_NORMALIZED_SIMILARITY;
        ck_assert_int_eq(hp_fuzzy_cdist(m, 0, n, &sc, &b.s, 0, &b.s, 0, NAN, 0, NULL, NULL), HP_OK);
        collected c = {NULL, 0, 0};
        ck_assert_int_eq(hp_fuzzy_pairs(&sc, &b.s, 0, cutoffs[t], 2, collect, NULL, &c), HP_OK);
        qsort(c.p, c.n, sizeof *c.p, cmp_pair);
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = i + 1; j < n; j++) {
                double v = m[i * n + j];
                if (higher ? v >= cutoffs[t] : v <= cutoffs[t]) {
                    ck_assert_uint_lt(k, c.n);
                    ck_assert_uint_eq(c.p[k].i, i);
                    ck_assert_uint_eq(c.p[k].j, j);
                    ck_assert(c.p[k].score == v);
                    k++;
                }
            }
        ck_assert_uint_eq(k, c.n);
        free(c.p);
    }
    free(m);
    hp_scorer sc = metric(HP_METRIC_INDEL, HP_DISTANCE);
    collected c = {NULL, 0, 10};
    ck_assert_int_eq(hp_fuzzy_pairs(&sc, &b.s, 0, 0, 0, collect, NULL, &c), HP_ECANCELLED);
    free(c.p);
    ck_assert_int_eq(hp_fuzzy_pairs(&sc, &b.s, 0, NAN, 0, collect, NULL, &c), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_pairs(&sc, &b.s, 0, 1, 0, NULL, NULL, &c), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_pairs(NULL, &b.s, 0, 1, 0, collect, NULL, &c), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_pairs(&sc, NULL, 0, 1, 0, collect, NULL, &c), HP_EINVAL);
    free_batch(&b);
}
END_TEST

Suite *test_fuzzy_api_suite(void) {
    Suite *s = suite_create("fuzzy_api");
    TCase *tc = tcase_create("fuzzy_api");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_fuzzy__scorer_init_and_range);
    tcase_add_test(tc, test_fuzzy__encodings_compare_by_value);
    tcase_add_test(tc, test_fuzzy__score_errors);
    tcase_add_test(tc, test_fuzzy__measures_and_cutoffs);
    tcase_add_test(tc, test_fuzzy__cached_query_equals_single_pair);
    tcase_add_test(tc, test_fuzzy__extract_best_first_ties_by_index);
    tcase_add_test(tc, test_fuzzy__progress_cancels);
    tcase_add_test(tc, test_fuzzy__cdist_and_cpdist);
    tcase_add_test(tc, test_fuzzy__pairs_equal_brute_force);
    tcase_add_test(tc, test_fuzzy__lcs_batches_equal_scalar_at_every_level);
    tcase_add_test(tc, test_fuzzy__cdist_token_sort_equals_pairs);
    suite_add_tcase(s, tc);
    return s;
}
