/*
 * Check suite "fuzzy_lev": the Levenshtein / Indel / LCSseq kernels
 * (lib/fuzzy/levenshtein.c, lcs.c, pm.c) through the public API. Known values from
 * RapidFuzz 3.14 for every kind of weights (uniform, Indel-like, generic, zero), the
 * cutoff contract, empty inputs, random inputs of every length class (one word,
 * blocked, banded, above 1000 elements, values above 255) against plain O(n*m)
 * dynamic programs written here, the cached-query path (caller pattern vectors, with
 * and without a common prefix) against the direct one, edit scripts that transform a
 * into b with exactly `distance` operations (RapidFuzz's own choice is checked by the
 * Python differential tests), and the error paths.
 */
#include "suites.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hotpath.h"

/* Check records every passing ck_assert; hot loops only report failures. */
#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                                    \
    } while (0)

static const double NO_CUTOFF = NAN;

static hp_scorer lev_scorer(int metric, int measure, uint64_t ins, uint64_t del, uint64_t sub) {
    hp_scorer sc;
    ck_assert_int_eq(hp_scorer_init(&sc, HP_SCORER_METRIC, metric, measure), HP_OK);
    sc.weights[0] = ins;
    sc.weights[1] = del;
    sc.weights[2] = sub;
    return sc;
}

static double score_u32(const hp_scorer *sc, const uint32_t *a, size_t la, const uint32_t *b,
                        size_t lb, double cutoff) {
    double out = -1;
    hp_status st = hp_fuzzy_score(&out, sc, a, la, HP_ENC_U32, b, lb, HP_ENC_U32, cutoff);
    EXPECT(st == HP_OK, "hp_fuzzy_score failed: %d", (int)st);
    return out;
}

/* ---------------------------------------------------------------- references */

static uint64_t ref_levenshtein(const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                                uint64_t ins, uint64_t del, uint64_t sub) {
    uint64_t *row = malloc((lb + 1) * sizeof *row);
    ck_assert_ptr_nonnull(row);
    for (size_t j = 0; j <= lb; j++) row[j] = j * ins;
    for (size_t i = 1; i <= la; i++) {
        uint64_t diag = row[0];
        row[0] = i * del;
        for (size_t j = 1; j <= lb; j++) {
            uint64_t best = diag + (a[i - 1] == b[j - 1] ? 0 : sub);
            if (row[j] + del < best) best = row[j] + del;     /* delete a[i-1] */
            if (row[j - 1] + ins < best) best = row[j - 1] + ins; /* insert b[j-1] */
            diag = row[j];
            row[j] = best;
        }
    }
    uint64_t d = row[lb];
    free(row);
    return d;
}

static size_t ref_lcs(const uint32_t *a, size_t la, const uint32_t *b, size_t lb) {
    size_t *row = calloc(lb + 1, sizeof *row);
    ck_assert_ptr_nonnull(row);
    for (size_t i = 1; i <= la; i++) {
        size_t diag = 0;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            if (a[i - 1] == b[j - 1])
                row[j] = diag + 1;
            else if (row[j - 1] > row[j])
                row[j] = row[j - 1];
            diag = up;
        }
    }
    size_t r = row[lb];
    free(row);
    return r;
}

/* xorshift: reproducible inputs */
static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static const uint32_t ALPHABET[] = {'a', 'b', 'c', 'd', 0xE9, 0x20AC, 0x1F600, 'e'};

/* A random sequence of n elements over the first k letters of ALPHABET. */
static void random_seq(uint32_t *s, size_t n, size_t k) {
    for (size_t i = 0; i < n; i++) s[i] = ALPHABET[rnd() % k];
}

/* b = a with `edits` random substitutions, insertions and deletions (cap: capacity). */
static size_t mutate(uint32_t *b, size_t cap, const uint32_t *a, size_t la, size_t edits, size_t k) {
    memcpy(b, a, la * sizeof *a);
    size_t lb = la;
    for (size_t e = 0; e < edits; e++) {
        size_t p = lb ? rnd() % lb : 0;
        switch (rnd() % 3) {
        case 0:
            if (lb < cap) {
                memmove(b + p + 1, b + p, (lb - p) * sizeof *b);
                b[p] = ALPHABET[rnd() % k];
                lb++;
            }
            break;
        case 1:
            if (lb) {
                memmove(b + p, b + p + 1, (lb - p - 1) * sizeof *b);
                lb--;
            }
            break;
        default:
            if (lb) b[p] = ALPHABET[rnd() % k];
        }
    }
    return lb;
}

/* ---------------------------------------------------------------- known values */

typedef struct known {
    const char *a, *b;
    uint64_t w[3];
    double d;
} known;

static const known KNOWN[] = {
    {"", "", {1, 1, 1}, 0},
    {"", "", {1, 1, 2}, 0},
    {"", "", {3, 3, 3}, 0},
    {"", "", {2, 2, 5}, 0},
    {"", "", {1, 2, 3}, 0},
    {"", "", {5, 1, 1}, 0},
    {"", "", {0, 0, 1}, 0},
    {"", "", {0, 1, 1}, 0},
    {"", "", {1, 1, 0}, 0},
    {"", "", {4, 7, 2}, 0},
    {"abc", "", {1, 1, 1}, 3},
    {"abc", "", {1, 1, 2}, 3},
    {"abc", "", {3, 3, 3}, 9},
    {"abc", "", {2, 2, 5}, 6},
    {"abc", "", {1, 2, 3}, 6},
    {"abc", "", {5, 1, 1}, 3},
    {"abc", "", {0, 0, 1}, 0},
    {"abc", "", {0, 1, 1}, 3},
    {"abc", "", {1, 1, 0}, 3},
    {"abc", "", {4, 7, 2}, 21},
    {"", "abc", {1, 1, 1}, 3},
    {"", "abc", {1, 1, 2}, 3},
    {"", "abc", {3, 3, 3}, 9},
    {"", "abc", {2, 2, 5}, 6},
    {"", "abc", {1, 2, 3}, 3},
    {"", "abc", {5, 1, 1}, 15},
    {"", "abc", {0, 0, 1}, 0},
    {"", "abc", {0, 1, 1}, 0},
    {"", "abc", {1, 1, 0}, 3},
    {"", "abc", {4, 7, 2}, 12},
    {"kitten", "sitting", {1, 1, 1}, 3},
    {"kitten", "sitting", {1, 1, 2}, 5},
    {"kitten", "sitting", {3, 3, 3}, 9},
    {"kitten", "sitting", {2, 2, 5}, 10},
    {"kitten", "sitting", {1, 2, 3}, 7},
    {"kitten", "sitting", {5, 1, 1}, 7},
    {"kitten", "sitting", {0, 0, 1}, 0},
    {"kitten", "sitting", {0, 1, 1}, 2},
    {"kitten", "sitting", {1, 1, 0}, 1},
    {"kitten", "sitting", {4, 7, 2}, 8},
    {"lewenstein", "levenshtein", {1, 1, 1}, 2},
    {"lewenstein", "levenshtein", {1, 1, 2}, 3},
    {"lewenstein", "levenshtein", {3, 3, 3}, 6},
    {"lewenstein", "levenshtein", {2, 2, 5}, 6},
    {"lewenstein", "levenshtein", {1, 2, 3}, 4},
    {"lewenstein", "levenshtein", {5, 1, 1}, 6},
    {"lewenstein", "levenshtein", {0, 0, 1}, 0},
    {"lewenstein", "levenshtein", {0, 1, 1}, 1},
    {"lewenstein", "levenshtein", {1, 1, 0}, 1},
    {"lewenstein", "levenshtein", {4, 7, 2}, 6},
    {"qabxcd", "abycdf", {1, 1, 1}, 3},
    {"qabxcd", "abycdf", {1, 1, 2}, 4},
    {"qabxcd", "abycdf", {3, 3, 3}, 9},
    {"qabxcd", "abycdf", {2, 2, 5}, 8},
    {"qabxcd", "abycdf", {1, 2, 3}, 6},
    {"qabxcd", "abycdf", {5, 1, 1}, 6},
    {"qabxcd", "abycdf", {0, 0, 1}, 0},
    {"qabxcd", "abycdf", {0, 1, 1}, 2},
    {"qabxcd", "abycdf", {1, 1, 0}, 0},
    {"qabxcd", "abycdf", {4, 7, 2}, 12},
    {"héllo wörld", "hello world", {1, 1, 1}, 2},
    {"héllo wörld", "hello world", {1, 1, 2}, 4},
    {"héllo wörld", "hello world", {3, 3, 3}, 6},
    {"héllo wörld", "hello world", {2, 2, 5}, 8},
    {"héllo wörld", "hello world", {1, 2, 3}, 6},
    {"héllo wörld", "hello world", {5, 1, 1}, 2},
    {"héllo wörld", "hello world", {0, 0, 1}, 0},
    {"héllo wörld", "hello world", {0, 1, 1}, 2},
    {"héllo wörld", "hello world", {1, 1, 0}, 0},
    {"héllo wörld", "hello world", {4, 7, 2}, 4},
    {"ab", "ba", {1, 1, 1}, 2},
    {"ab", "ba", {1, 1, 2}, 2},
    {"ab", "ba", {3, 3, 3}, 6},
    {"ab", "ba", {2, 2, 5}, 4},
    {"ab", "ba", {1, 2, 3}, 3},
    {"ab", "ba", {5, 1, 1}, 2},
    {"ab", "ba", {0, 0, 1}, 0},
    {"ab", "ba", {0, 1, 1}, 1},
    {"ab", "ba", {1, 1, 0}, 0},
    {"ab", "ba", {4, 7, 2}, 4},
    {"abcdef", "azced", {1, 1, 1}, 3},
    {"abcdef", "azced", {1, 1, 2}, 5},
    {"abcdef", "azced", {3, 3, 3}, 9},
    {"abcdef", "azced", {2, 2, 5}, 10},
    {"abcdef", "azced", {1, 2, 3}, 8},
    {"abcdef", "azced", {5, 1, 1}, 3},
    {"abcdef", "azced", {0, 0, 1}, 0},
    {"abcdef", "azced", {0, 1, 1}, 3},
    {"abcdef", "azced", {1, 1, 0}, 1},
    {"abcdef", "azced", {4, 7, 2}, 11},
    {"😀€é", "é€😀", {1, 1, 1}, 2},
    {"😀€é", "é€😀", {1, 1, 2}, 4},
    {"😀€é", "é€😀", {3, 3, 3}, 6},
    {"😀€é", "é€😀", {2, 2, 5}, 8},
    {"😀€é", "é€😀", {1, 2, 3}, 6},
    {"😀€é", "é€😀", {5, 1, 1}, 2},
    {"😀€é", "é€😀", {0, 0, 1}, 0},
    {"😀€é", "é€😀", {0, 1, 1}, 2},
    {"😀€é", "é€😀", {1, 1, 0}, 0},
    {"😀€é", "é€😀", {4, 7, 2}, 4},
    {"the quick brown fox", "the quack brown fax", {1, 1, 1}, 2},
    {"the quick brown fox", "the quack brown fax", {1, 1, 2}, 4},
    {"the quick brown fox", "the quack brown fax", {3, 3, 3}, 6},
    {"the quick brown fox", "the quack brown fax", {2, 2, 5}, 8},
    {"the quick brown fox", "the quack brown fax", {1, 2, 3}, 6},
    {"the quick brown fox", "the quack brown fax", {5, 1, 1}, 2},
    {"the quick brown fox", "the quack brown fax", {0, 0, 1}, 0},
    {"the quick brown fox", "the quack brown fax", {0, 1, 1}, 2},
    {"the quick brown fox", "the quack brown fax", {1, 1, 0}, 0},
    {"the quick brown fox", "the quack brown fax", {4, 7, 2}, 4},
};

START_TEST(test_lev__known_values_all_weights) {
    for (size_t k = 0; k < sizeof KNOWN / sizeof KNOWN[0]; k++) {
        const known *t = &KNOWN[k];
        hp_scorer sc = lev_scorer(HP_METRIC_LEVENSHTEIN, HP_DISTANCE, t->w[0], t->w[1], t->w[2]);
        double out = -1;
        ck_assert_int_eq(hp_fuzzy_score(&out, &sc, t->a, strlen(t->a), HP_ENC_UTF8, t->b,
                                        strlen(t->b), HP_ENC_UTF8, NO_CUTOFF),
                         HP_OK);
        EXPECT(out == t->d, "'%s' -> '%s' weights (%llu,%llu,%llu): got %g, want %g", t->a,
               t->b, (unsigned long long)t->w[0], (unsigned long long)t->w[1],
               (unsigned long long)t->w[2], out, t->d);
    }
}
END_TEST

START_TEST(test_lev__normalized_and_similarity) {
    /* RapidFuzz: Levenshtein "kitten"/"sitting" max 7, Indel max 13, LCSseq max 7 */
    hp_scorer sc = lev_scorer(HP_METRIC_LEVENSHTEIN, HP_NORMALIZED_DISTANCE, 1, 1, 1);
    double out = -1;
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "kitten", 6, HP_ENC_UTF8, "sitting", 7,
                                    HP_ENC_UTF8, NO_CUTOFF), HP_OK);
    ck_assert_double_eq_tol(out, 3.0 / 7.0, 1e-12);
    sc = lev_scorer(HP_METRIC_INDEL, HP_SIMILARITY, 1, 1, 1);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "kitten", 6, HP_ENC_UTF8, "sitting", 7,
                                    HP_ENC_UTF8, NO_CUTOFF), HP_OK);
    ck_assert_double_eq(out, 8.0); /* 13 - 5 */
    sc = lev_scorer(HP_METRIC_LCSSEQ, HP_DISTANCE, 1, 1, 1);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "kitten", 6, HP_ENC_UTF8, "sitting", 7,
                                    HP_ENC_UTF8, NO_CUTOFF), HP_OK);
    ck_assert_double_eq(out, 3.0); /* 7 - lcs("ittn") */
}
END_TEST

/* ---------------------------------------------------------------- random vs reference */

static const uint64_t WEIGHTS[][3] = {{1, 1, 1}, {1, 1, 2}, {3, 3, 3}, {2, 2, 7}, {1, 2, 3},
                                      {5, 1, 1}, {0, 0, 4}, {0, 1, 1}, {1, 1, 0}, {4, 7, 2}};

/* Lengths of every class: empty, one word, word boundary, blocked, long. */
static const size_t LENGTHS[] = {0, 1, 3, 7, 30, 63, 64, 65, 100, 127, 128, 129, 200, 333, 420, 511, 512};

START_TEST(test_lev__random_against_dp_every_weight) {
    enum { CAP = 1200 };
    static uint32_t a[CAP], b[CAP];
    size_t nl = sizeof LENGTHS / sizeof LENGTHS[0];
    for (int iter = 0; iter < 400; iter++) {
        size_t k = 2 + rnd() % 7;
        size_t la = LENGTHS[rnd() % nl], lb;
        random_seq(a, la, k);
        if (rnd() % 2)
            lb = mutate(b, CAP, a, la, rnd() % 12, k);
        else {
            lb = LENGTHS[rnd() % nl];
            random_seq(b, lb, k);
        }
        const uint64_t *w = WEIGHTS[rnd() % (sizeof WEIGHTS / sizeof WEIGHTS[0])];
        uint64_t want = ref_levenshtein(a, la, b, lb, w[0], w[1], w[2]);
        hp_scorer sc = lev_scorer(HP_METRIC_LEVENSHTEIN, HP_DISTANCE, w[0], w[1], w[2]);
        double got = score_u32(&sc, a, la, b, lb, NO_CUTOFF);
        EXPECT(got == (double)want, "iter %d: %zu x %zu weights (%llu,%llu,%llu): got %g want %llu",
               iter, la, lb, (unsigned long long)w[0], (unsigned long long)w[1],
               (unsigned long long)w[2], got, (unsigned long long)want);
        /* the cutoff contract: exact at or below the cutoff, cutoff + 1 above */
        double cuts[] = {0, 1, 2, 3, 4, 5, (double)want, (double)want - 1, (double)want + 1,
                         (double)want / 2};
        for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
            if (cuts[c] < 0) continue;
            double expect = (double)want <= cuts[c] ? (double)want : cuts[c] + 1;
            double g = score_u32(&sc, a, la, b, lb, cuts[c]);
            EXPECT(g == expect, "iter %d cutoff %g: got %g want %g", iter, cuts[c], g, expect);
        }
    }
}
END_TEST

START_TEST(test_lev__long_inputs_against_dp) {
    enum { CAP = 2600 };
    static uint32_t a[CAP], b[CAP];
    const size_t lens[] = {1000, 1100, 2500};
    for (int iter = 0; iter < 9; iter++) {
        size_t k = 2 + rnd() % 7;
        size_t la = lens[iter % 3];
        random_seq(a, la, k);
        size_t lb = iter < 6 ? mutate(b, CAP, a, la, 1 + rnd() % 80, k) : la - 300;
        if (iter >= 6) random_seq(b, lb, k);
        uint64_t want = ref_levenshtein(a, la, b, lb, 1, 1, 1);
        hp_scorer sc = lev_scorer(HP_METRIC_LEVENSHTEIN, HP_DISTANCE, 1, 1, 1);
        ck_assert_double_eq(score_u32(&sc, a, la, b, lb, NO_CUTOFF), (double)want);
        ck_assert_double_eq(score_u32(&sc, a, la, b, lb, (double)want), (double)want);
        if (want > 0)
            ck_assert_double_eq(score_u32(&sc, a, la, b, lb, (double)want - 1), (double)want);
        size_t lcs = ref_lcs(a, la, b, lb);
        hp_scorer in = lev_scorer(HP_METRIC_INDEL, HP_DISTANCE, 1, 1, 1);
        ck_assert_double_eq(score_u32(&in, a, la, b, lb, NO_CUTOFF), (double)(la + lb - 2 * lcs));
    }
}
END_TEST

START_TEST(test_lev__indel_lcsseq_against_dp) {
    enum { CAP = 1200 };
    static uint32_t a[CAP], b[CAP];
    size_t nl = sizeof LENGTHS / sizeof LENGTHS[0];
    for (int iter = 0; iter < 400; iter++) {
        size_t k = 2 + rnd() % 7;
        size_t la = LENGTHS[rnd() % nl], lb;
        random_seq(a, la, k);
        if (rnd() % 2)
            lb = mutate(b, CAP, a, la, rnd() % 8, k);
        else {
            lb = LENGTHS[rnd() % nl];
            random_seq(b, lb, k);
        }
        size_t lcs = ref_lcs(a, la, b, lb);
        double indel = (double)(la + lb - 2 * lcs), lcsd = (double)((la > lb ? la : lb) - lcs);
        hp_scorer in = lev_scorer(HP_METRIC_INDEL, HP_DISTANCE, 1, 1, 1);
        hp_scorer ls = lev_scorer(HP_METRIC_LCSSEQ, HP_SIMILARITY, 1, 1, 1);
        hp_scorer ld = lev_scorer(HP_METRIC_LCSSEQ, HP_DISTANCE, 1, 1, 1);
        EXPECT(score_u32(&in, a, la, b, lb, NO_CUTOFF) == indel, "indel iter %d", iter);
        EXPECT(score_u32(&ls, a, la, b, lb, NO_CUTOFF) == (double)lcs, "lcs iter %d", iter);
        EXPECT(score_u32(&ld, a, la, b, lb, NO_CUTOFF) == lcsd, "lcsseq iter %d", iter);
        for (double c = 0; c < 8; c++) {
            double e = indel <= c ? indel : c + 1;
            EXPECT(score_u32(&in, a, la, b, lb, c) == e, "indel iter %d cutoff %g", iter, c);
            double s = (double)lcs >= c ? (double)lcs : 0;
            EXPECT(score_u32(&ls, a, la, b, lb, c) == s, "lcs iter %d cutoff %g", iter, c);
            double sc2 = (double)lcs - c; /* a similarity cutoff just around the answer */
            if (sc2 >= 0) {
                s = (double)lcs >= sc2 ? (double)lcs : 0;
                EXPECT(score_u32(&ls, a, la, b, lb, sc2) == s, "lcs iter %d cutoff %g", iter, sc2);
            }
            EXPECT(score_u32(&ls, a, la, b, lb, (double)lcs + 1) == 0, "lcs iter %d above", iter);
        }
    }
}
END_TEST

/* The cached query hands its pattern vectors to the kernels; a common prefix makes
 * them adjust (keep the prefix or rebuild). Same answers as the direct call. */
START_TEST(test_lev__cached_query_matches_direct) {
    enum { CAP = 700 };
    static uint32_t a[CAP], b[CAP];
    const int metrics[] = {HP_METRIC_LEVENSHTEIN, HP_METRIC_INDEL, HP_METRIC_LCSSEQ};
    size_t nl = sizeof LENGTHS / sizeof LENGTHS[0];
    for (int iter = 0; iter < 300; iter++) {
        size_t k = 2 + rnd() % 7;
        size_t la = LENGTHS[rnd() % nl], lb;
        random_seq(a, la, k);
        lb = mutate(b, CAP, a, la, rnd() % 20, k);
        if (rnd() % 3 == 0 && lb) b[0] ^= 1; /* sometimes no common prefix */
        int metric = metrics[iter % 3];
        const uint64_t *w = WEIGHTS[rnd() % 4];
        hp_scorer sc = lev_scorer(metric, HP_DISTANCE, w[0], w[1], w[2]);
        hp_fuzzy_query *q = NULL;
        ck_assert_int_eq(hp_fuzzy_query_new(&q, &sc, a, la, HP_ENC_U32), HP_OK);
        double cuts[] = {NO_CUTOFF, 2, 5, 40};
        for (size_t c = 0; c < 4; c++) {
            double direct = score_u32(&sc, a, la, b, lb, cuts[c]), cached = -1;
            ck_assert_int_eq(hp_fuzzy_query_score(q, &cached, b, lb, HP_ENC_U32, cuts[c]),
                             HP_OK);
            EXPECT(direct == cached, "iter %d metric %d: direct %g cached %g", iter, metric,
                   direct, cached);
        }
        hp_fuzzy_query_free(q);
    }
}
END_TEST

/* ---------------------------------------------------------------- edit operations */

/* Apply ops to a; checks positions and order on the way; returns the result length. */
static size_t apply_ops(uint32_t *out, const hp_editop *ops, size_t n, const uint32_t *a,
                        size_t la, const uint32_t *b, size_t lb) {
    size_t i = 0, o = 0;
    for (size_t k = 0; k < n; k++) {
        EXPECT(ops[k].reserved == 0, "reserved field set");
        EXPECT(ops[k].src_pos >= i && ops[k].src_pos <= la, "op %zu: src_pos out of order", k);
        EXPECT(ops[k].dest_pos <= lb, "op %zu: dest_pos out of range", k);
        while (i < ops[k].src_pos) out[o++] = a[i++];
        switch (ops[k].tag) {
        case HP_EDIT_REPLACE:
            EXPECT(i < la && ops[k].dest_pos == o && ops[k].dest_pos < lb, "op %zu: bad replace", k);
            EXPECT(a[i] != b[ops[k].dest_pos], "op %zu: replace of equal elements", k);
            out[o++] = b[ops[k].dest_pos];
            i++;
            break;
        case HP_EDIT_INSERT:
            EXPECT(ops[k].dest_pos == o && ops[k].dest_pos < lb, "op %zu: bad insert", k);
            out[o++] = b[ops[k].dest_pos];
            break;
        case HP_EDIT_DELETE:
            EXPECT(i < la && ops[k].dest_pos == o, "op %zu: bad delete", k);
            i++;
            break;
        default:
            ck_abort_msg("op %zu: unknown tag %u", k, ops[k].tag);
        }
    }
    while (i < la) out[o++] = a[i++];
    return o;
}

static void check_editops(int metric, const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                          uint64_t want_count, uint32_t *scratch) {
    hp_editop *ops = (hp_editop *)1;
    size_t n = 99;
    ck_assert_int_eq(hp_fuzzy_editops(&ops, &n, metric, a, la, HP_ENC_U32, b, lb, HP_ENC_U32), HP_OK);
    EXPECT(n == want_count, "metric %d %zu x %zu: %zu ops, distance %llu", metric, la, lb, n,
           (unsigned long long)want_count);
    if (n == 0) ck_assert_ptr_null(ops);
    for (size_t k = 0; k < n && metric != HP_METRIC_LEVENSHTEIN; k++)
        EXPECT(ops[k].tag != HP_EDIT_REPLACE, "Indel script with a replace");
    size_t lo = apply_ops(scratch, ops, n, a, la, b, lb);
    EXPECT(lo == lb && memcmp(scratch, b, lb * sizeof *b) == 0, "ops do not turn a into b");
    hp_free(ops);
}

START_TEST(test_lev__editops_known) {
    hp_editop *ops = NULL;
    size_t n = 0;
    ck_assert_int_eq(hp_fuzzy_editops(&ops, &n, HP_METRIC_LEVENSHTEIN, "qabxcd", 6, HP_ENC_UTF8,
                                      "abycdf", 6, HP_ENC_UTF8), HP_OK);
    /* RapidFuzz 3.14 returns delete s1[0] s2[0], replace s1[3] s2[2], insert s1[6] s2[5]
     * (its docstring shows delete s1[1], an equally short script it does not pick) */
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(ops[0].tag, HP_EDIT_DELETE);
    ck_assert_uint_eq(ops[0].src_pos, 0);
    ck_assert_uint_eq(ops[0].dest_pos, 0);
    ck_assert_uint_eq(ops[1].tag, HP_EDIT_REPLACE);
    ck_assert_uint_eq(ops[1].src_pos, 3);
    ck_assert_uint_eq(ops[1].dest_pos, 2);
    ck_assert_uint_eq(ops[2].tag, HP_EDIT_INSERT);
    ck_assert_uint_eq(ops[2].src_pos, 6);
    ck_assert_uint_eq(ops[2].dest_pos, 5);
    hp_free(ops);
    /* Indel (RapidFuzz 3.14): delete 0 0, insert 3 2, delete 3 3, insert 6 5 */
    ck_assert_int_eq(hp_fuzzy_editops(&ops, &n, HP_METRIC_INDEL, "qabxcd", 6, HP_ENC_UTF8,
                                      "abycdf", 6, HP_ENC_UTF8), HP_OK);
    const uint32_t want[4][3] = {{HP_EDIT_DELETE, 0, 0}, {HP_EDIT_INSERT, 3, 2},
                                 {HP_EDIT_DELETE, 3, 3}, {HP_EDIT_INSERT, 6, 5}};
    ck_assert_uint_eq(n, 4);
    for (size_t k = 0; k < 4; k++) {
        ck_assert_uint_eq(ops[k].tag, want[k][0]);
        ck_assert_uint_eq(ops[k].src_pos, want[k][1]);
        ck_assert_uint_eq(ops[k].dest_pos, want[k][2]);
    }
    hp_free(ops);
    /* equal and empty inputs: no operations, no allocation */
    size_t live = hp_live_allocations();
    ops = (hp_editop *)1;
    ck_assert_int_eq(hp_fuzzy_editops(&ops, &n, HP_METRIC_LCSSEQ, "same", 4, HP_ENC_UTF8, "same",
                                      4, HP_ENC_UTF8), HP_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(ops);
    ck_assert_int_eq(hp_fuzzy_editops(&ops, &n, HP_METRIC_LEVENSHTEIN, NULL, 0, HP_ENC_UTF8,
                                      NULL, 0, HP_ENC_UTF8), HP_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(ops);
    ck_assert_uint_eq(hp_live_allocations(), live);
}
END_TEST

START_TEST(test_lev__editops_random_apply) {
    enum { CAP = 1300 };
    static uint32_t a[CAP], b[CAP], scratch[2 * CAP];
    size_t nl = sizeof LENGTHS / sizeof LENGTHS[0];
    size_t live = hp_live_allocations();
    for (int iter = 0; iter < 300; iter++) {
        size_t k = 2 + rnd() % 7;
        size_t la = iter % 50 == 0 ? 1100 : LENGTHS[rnd() % nl], lb;
        random_seq(a, la, k);
        if (rnd() % 2)
            lb = mutate(b, CAP, a, la, rnd() % 30, k);
        else {
            lb = LENGTHS[rnd() % nl];
            random_seq(b, lb, k);
        }
        uint64_t lev = ref_levenshtein(a, la, b, lb, 1, 1, 1);
        size_t lcs = ref_lcs(a, la, b, lb);
        check_editops(HP_METRIC_LEVENSHTEIN, a, la, b, lb, lev, scratch);
        check_editops(HP_METRIC_INDEL, a, la, b, lb, la + lb - 2 * lcs, scratch);
        check_editops(HP_METRIC_LCSSEQ, a, la, b, lb, la + lb - 2 * lcs, scratch);
    }
    ck_assert_uint_eq(hp_live_allocations(), live);
}
END_TEST

/* Large enough for the Hirschberg split (and its recursion into sub-problems). */
START_TEST(test_lev__editops_hirschberg) {
    enum { CAP = 5200 };
    static uint32_t a[CAP], b[CAP], scratch[2 * CAP];
    const size_t lens[] = {2100, 3000, 5000};
    const size_t edits[] = {10, 600, 5000};
    for (int iter = 0; iter < 3; iter++) {
        size_t la = lens[iter], k = 2 + (size_t)iter;
        random_seq(a, la, k);
        size_t lb = mutate(b, CAP, a, la, edits[iter], k);
        uint64_t lev = ref_levenshtein(a, la, b, lb, 1, 1, 1);
        check_editops(HP_METRIC_LEVENSHTEIN, a, la, b, lb, lev, scratch);
    }
    /* a unique optimum that puts the first half of b before all of a */
    static uint32_t x[2101], y[6601];
    for (size_t i = 0; i < 2100; i++) x[i] = 'b';
    x[2100] = 'd';
    for (size_t i = 0; i < 4500; i++) y[i] = 'a';
    for (size_t i = 4500; i < 6600; i++) y[i] = 'b';
    y[6600] = 'e';
    check_editops(HP_METRIC_LEVENSHTEIN, x, 2101, y, 6601, 4501, scratch);
}
END_TEST

/* ---------------------------------------------------------------- errors */

START_TEST(test_lev__errors) {
    hp_scorer sc = lev_scorer(HP_METRIC_LEVENSHTEIN, HP_DISTANCE, 1, 1, 1);
    double out;
    ck_assert_int_eq(hp_fuzzy_score(NULL, &sc, "a", 1, HP_ENC_UTF8, "b", 1, HP_ENC_UTF8,
                                    NO_CUTOFF), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, 7, "b", 1, HP_ENC_UTF8, NO_CUTOFF),
                     HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, HP_ENC_UTF8, "\xff", 1, HP_ENC_UTF8,
                                    NO_CUTOFF), HP_EUTF8);
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, NULL, 3, HP_ENC_UTF8, "b", 1, HP_ENC_UTF8,
                                    NO_CUTOFF), HP_EINVAL);
    sc.weights[2] = ((uint64_t)1 << 32) + 1;
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, HP_ENC_UTF8, "b", 1, HP_ENC_UTF8,
                                    NO_CUTOFF), HP_EINVAL);
    sc.weights[2] = (uint64_t)1 << 32; /* the largest allowed */
    ck_assert_int_eq(hp_fuzzy_score(&out, &sc, "a", 1, HP_ENC_UTF8, "b", 1, HP_ENC_UTF8,
                                    NO_CUTOFF), HP_OK);
    ck_assert_double_eq(out, 2.0); /* delete + insert beat the costly substitution */

    hp_editop *ops = (hp_editop *)1;
    size_t n = 7;
    ck_assert_int_eq(hp_fuzzy_editops(NULL, &n, HP_METRIC_INDEL, "a", 1, HP_ENC_UTF8, "b", 1,
                                      HP_ENC_UTF8), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_editops(&ops, NULL, HP_METRIC_INDEL, "a", 1, HP_ENC_UTF8, "b", 1,
                                      HP_ENC_UTF8), HP_EINVAL);
    ck_assert_ptr_null(ops);
    ops = (hp_editop *)1;
    ck_assert_int_eq(hp_fuzzy_editops(&ops, &n, HP_METRIC_HAMMING, "a", 1, HP_ENC_UTF8, "b", 1,
                                      HP_ENC_UTF8), HP_EINVAL);
    ck_assert_ptr_null(ops);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(hp_fuzzy_editops(&ops, &n, 99, "a", 1, HP_ENC_UTF8, "b", 1, HP_ENC_UTF8),
                     HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_editops(&ops, &n, HP_METRIC_LEVENSHTEIN, "a\xc3", 2, HP_ENC_UTF8,
                                      "b", 1, HP_ENC_UTF8), HP_EUTF8);
    ck_assert_ptr_null(ops);
    ck_assert_int_eq(hp_fuzzy_editops(&ops, &n, HP_METRIC_LEVENSHTEIN, "a", 1, -1, "b", 1,
                                      HP_ENC_UTF8), HP_EINVAL);
    ck_assert_int_eq(hp_fuzzy_editops(&ops, &n, HP_METRIC_LEVENSHTEIN, NULL, 3, HP_ENC_U32,
                                      "b", 1, HP_ENC_UTF8), HP_EINVAL);
}
END_TEST

Suite *test_fuzzy_lev_suite(void) {
    Suite *s = suite_create("fuzzy_lev");
    TCase *tc = tcase_create("known");
    tcase_add_test(tc, test_lev__known_values_all_weights);
    tcase_add_test(tc, test_lev__normalized_and_similarity);
    tcase_add_test(tc, test_lev__editops_known);
    tcase_add_test(tc, test_lev__errors);
    suite_add_tcase(s, tc);
    TCase *rand_tc = tcase_create("random");
    tcase_set_timeout(rand_tc, 120);
    tcase_add_test(rand_tc, test_lev__random_against_dp_every_weight);
    tcase_add_test(rand_tc, test_lev__long_inputs_against_dp);
    tcase_add_test(rand_tc, test_lev__indel_lcsseq_against_dp);
    tcase_add_test(rand_tc, test_lev__cached_query_matches_direct);
    tcase_add_test(rand_tc, test_lev__editops_random_apply);
    tcase_add_test(rand_tc, test_lev__editops_hirschberg);
    suite_add_tcase(s, rand_tc);
    return s;
}
