/*
 * lib/fuzzy/fuzzy_internal.h — what the files of lib/fuzzy share.
 *
 * Layering:
 *   api.c          public entry points: argument checks, decoding (seq.c), cutoffs
 *                  and measure conversion (metric.c), cached queries
 *   batch.c        extract / cdist / cpdist / pairs over the thread pool
 *   metric.c       hp_measure conversion and RapidFuzz's cutoff rules, on top of the
 *                  raw kernels below
 *   levenshtein.c, lcs.c, pm.c   bit-parallel Levenshtein / LCS (Indel, LCSseq) and
 *                  their editops
 *   jaro.c, osa.c, simple.c      Jaro(-Winkler); OSA and Damerau-Levenshtein;
 *                  Hamming, Prefix, Postfix
 *   fuzz.c         rapidfuzz.fuzz scorers
 *
 * Every kernel works on decoded sequences: arrays of uint32_t elements. Kernels with a
 * `max` (distances) may return any value above max once the true result exceeds it;
 * kernels with a `min` (similarities) may return any value below min once the true
 * result is below it. The callers in metric.c clamp to RapidFuzz's conventions.
 */
#ifndef HOTPATH_FUZZY_INTERNAL_H
#define HOTPATH_FUZZY_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hotpath/fuzzy.h"
#include "pm_small.h"

/* ---------------------------------------------------------------- decoded sequences */

#define HP__SEQ_INLINE 128

/* A decoded sequence: p[0..n). Short ones live in `inline_buf`, longer ones on the heap
 * (or point straight at aligned caller memory for HP_ENC_U32). */
typedef struct hp__seq {
    const uint32_t *p;
    size_t n;
    uint32_t *heap;
    uint32_t inline_buf[HP__SEQ_INLINE];
} hp__seq;

/* Decode (p, len, enc) into *out. `what` names the argument in error messages.
 * Returns HP_OK, HP_EINVAL (bad enc, NULL with len > 0, U32 length not a multiple of
 * 4 where lengths are in bytes), HP_EUTF8, HP_ENOMEM, HP_EOVERFLOW. On error *out needs
 * no release. */
hp_status hp__seq_decode(hp__seq *out, const void *p, size_t len, int enc, const char *what);

/* Same, for string i of a batch (lengths in bytes; U32 strings are len/4 elements). */
hp_status hp__seq_decode_batch(hp__seq *out, const hp_strings *batch, size_t i, int enc,
                               const char *what);

void hp__seq_release(hp__seq *s);

/* ---------------------------------------------------------------- pattern match vectors */

/*
 * hp__pm — bit-parallel pattern-match vectors of a sequence s[0..n): for each element
 * value c, `words` 64-bit words whose bit i of word w is set where s[64w + i] == c.
 * Values below 256 go through a 256-entry row map; others live in an open-addressing
 * table.
 * Immutable once built: shared by the threads of a batch.
 */
typedef struct hp__pm {
    size_t n;
    size_t words;        /* ceil(n / 64), at least 1 */
    uint16_t lmap[256];  /* value c < 256 -> its row of `low` (0: the zero row) */
    uint64_t *low;       /* [rows * words]: row 0 all zero, then one row per distinct
                            value below 256 (compact: building touches only those) */
    size_t map_cap;      /* power of two, 0 if every value is below 256 */
    uint32_t *map_keys;  /* map_cap keys (valid where map_used[k]) */
    uint8_t *map_used;
    uint64_t *map_vals;  /* [map_cap * words] */
    uint64_t *zero;      /* `words` zero words, returned for absent values */
} hp__pm;

hp_status hp__pm_build(hp__pm *pm, const uint32_t *s, size_t n);
void hp__pm_release(hp__pm *pm);

/* Bits set in x, inline: the baseline x86-64 build has no POPCNT instruction, and
 * __builtin_popcountll is then a call into libgcc on every window of the kernels. */
static inline unsigned hp__popcount64(uint64_t x) {
#if defined(__POPCNT__) || defined(__aarch64__)
    return (unsigned)__builtin_popcountll(x);
#else
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
    return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
#endif
}

/* The match words of a value from 256 up (the hash table; out of line, so the kernels'
 * loops keep their registers for the common case). */
const uint64_t *hp__pm_get_high(const hp__pm *pm, uint32_t c);

/* The `words` match words of value c (all zero if c does not occur). */
static inline const uint64_t *hp__pm_get(const hp__pm *pm, uint32_t c) {
    if (__builtin_expect(c < 256, 1)) return pm->low + (size_t)pm->lmap[c] * pm->words;
    return hp__pm_get_high(pm, c);
}

/*
 * hp__pm1 — match words of a sequence of at most 64 elements, built on the stack for
 * the single-word kernels: values below 256 index a direct table (one load per text
 * element in the hot loop), others go to a small hash table (pm_small.h) that is only
 * set up when such values occur.
 */
typedef struct hp__pm1 {
    uint64_t low[256];
    bool high_used;
    hp__pm64 high;
} hp__pm1;

/* Build from s[0..n), n <= 64: returns a table holding s's bits. It is a per-thread
 * table kept all-zero between uses (so building costs O(n), not a 2 KiB clear) while
 * such tables are free, else `spare` after clearing it. Every hp__pm1_begin must be
 * paired with hp__pm1_end(table, s, n) on the same thread, innermost first. */
hp__pm1 *hp__pm1_begin(hp__pm1 *spare, const uint32_t *s, size_t n);
void hp__pm1_end(hp__pm1 *pm, const uint32_t *s, size_t n);

static inline uint64_t hp__pm1_get(const hp__pm1 *pm, uint32_t c) {
    if (c < 256) return pm->low[c];
    return pm->high_used ? hp__pm64_get(&pm->high, c) : 0;
}

/* One column step of Hyyrö's bit-parallel Levenshtein (X already holds the match word
 * and the carried-in HN bit): used by levenshtein.c and pm.c's short-pattern kernel. */
#define HYYRO_STEP(X, VP, VN, D0, HP, HN)                                                  \
    do {                                                                                   \
        D0 = ((((X) & VP) + VP) ^ VP) | (X) | VN;                                          \
        HP = VN | ~(D0 | VP);                                                              \
        HN = D0 & VP;                                                                      \
    } while (0)

/* A whole column of the one-word algorithm for a pattern whose last row is bit `last`:
 * the step, the last row's value `dist` moved by it, and VP/VN for the next column (the
 * HP carried in from above the pattern is 1). */
#define HYYRO_COLUMN(X, VP, VN, last, dist)                                                \
    do {                                                                                   \
        uint64_t D0_, HP_, HN_;                                                            \
        HYYRO_STEP(X, VP, VN, D0_, HP_, HN_);                                              \
        dist += (HP_ & (last)) != 0;                                                       \
        dist -= (HN_ & (last)) != 0;                                                       \
        HP_ = (HP_ << 1) | 1;                                                              \
        HN_ <<= 1;                                                                         \
        VP = HN_ | ~(D0_ | HP_);                                                           \
        VN = HP_ & D0_;                                                                    \
    } while (0)

/* ---------------------------------------------------------------- short patterns */

/*
 * Patterns of at most 16 elements need no table at all on AVX2: the match word of a
 * text element is the comparison of that element with the whole pattern at once (two
 * 8-lane compares and a movemask), so short pairs skip building and clearing a 256-entry
 * table, which cost more than the bit-parallel kernel itself. hp__short16_ok says whether
 * the path applies (m <= 16 and AVX2 in use); pattern lanes beyond m are masked off, so
 * any 32-bit element values work.
 */
bool hp__short16_ok(size_t m);
uint64_t hp__lev_short16(const uint32_t *a, size_t m, const uint32_t *b, size_t n, uint64_t max);
size_t hp__lcs_short16(const uint32_t *a, size_t m, const uint32_t *b, size_t n);

/* ---------------------------------------------------------------- raw kernels */

/* Length of the longest common subsequence of a and b. pm is NULL or built from a.
 * If the LCS is below min_lcs the result may be any value below min_lcs. */
hp_status hp__lcs(size_t *out, const hp__pm *pm, const uint32_t *a, size_t la, const uint32_t *b,
                  size_t lb, size_t min_lcs);

/* Weighted Levenshtein distance, weights w = (insert, delete, substitute) to turn a
 * into b. pm is NULL or built from a (used for uniform and Indel-like weights). If the
 * distance exceeds max the result may be any value above max. */
hp_status hp__levenshtein(uint64_t *out, const hp__pm *pm, const uint32_t *a, size_t la,
                          const uint32_t *b, size_t lb, const uint64_t w[3], uint64_t max);

/* OSA and Damerau-Levenshtein (unit costs), same max convention. */
hp_status hp__osa(size_t *out, const hp__pm *pm, const uint32_t *a, size_t la, const uint32_t *b,
                  size_t lb, size_t max);
hp_status hp__damerau(size_t *out, const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                      size_t max);

/* Jaro and Jaro-Winkler similarity in [0, 1]; below min the result may be any value
 * below min. pm_a: NULL, or a's match vectors (used when a has at most 64 elements). */
hp_status hp__jaro(double *out, const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                   double min, const hp__pm *pm_a);
hp_status hp__jaro_winkler(double *out, const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                           double prefix_weight, double min, const hp__pm *pm_a);

/* Editops (tag/src/dest triples, library-allocated with hp__malloc) for
 * HP_METRIC_LEVENSHTEIN (uniform weights) and HP_METRIC_INDEL / HP_METRIC_LCSSEQ. */
hp_status hp__editops(hp_editop **out, size_t *out_count, int metric, const uint32_t *a,
                      size_t la, const uint32_t *b, size_t lb);

/* ---------------------------------------------------------------- scorers */

/* A scorer's query-side precomputation (NULL when it has none). */
typedef struct hp__prep hp__prep;

/* metric.c: score decoded sequences with a metric scorer; prep is NULL or made by
 * hp__metric_prepare from a. */
hp_status hp__metric_score(double *out, const hp_scorer *sc, const hp__prep *prep,
                           const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                           double cutoff);
hp_status hp__metric_prepare(hp__prep **out, const hp_scorer *sc, const uint32_t *a, size_t la);

/* fuzz.c: the same for fuzz scorers (sc->kind == HP_SCORER_FUZZ). */
hp_status hp__fuzz_score(double *out, const hp_scorer *sc, const hp__prep *prep,
                         const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                         double cutoff);
hp_status hp__fuzz_prepare(hp__prep **out, const hp_scorer *sc, const uint32_t *a, size_t la);
hp_status hp__fuzz_partial_ratio_alignment(hp_alignment *out, const uint32_t *a, size_t la,
                                           const uint32_t *b, size_t lb, double cutoff);

/* Scores of the LCS-based scorers (fuzz ratio and QRatio; Indel and LCSseq in every
 * measure) from an exact LCS of lengths la, lb, with the same arithmetic as the single-
 * pair paths; hp__scorer_from_lcs tells which scorers these are. */
double hp__fuzz_ratio_from_lcs(int id, size_t lcs, size_t la, size_t lb, double cutoff);
double hp__metric_from_lcs(const hp_scorer *sc, size_t lcs, size_t la, size_t lb, double cutoff);

/* ---------------------------------------------------------------- many LCS at once */

/*
 * The LCS of one query against many short sequences at once (lcs_multi.c, AVX2): 16
 * sequences of at most 16 elements, 8 of at most 32 or 4 of at most 64, one per SIMD
 * lane of 16, 32 or 64 bits, with the query streamed through them. Usable when the
 * query's elements are all below 256. Both forms return scores (hp__score_from_lcs of
 * each lane's LCS; fuzz.ratio and QRatio computed four lanes at a time).
 */
typedef struct hp__lcs_multi {
    const uint32_t *q;
    size_t qn;
    uint8_t *qidx;      /* per query position: its element's row (1..rows-1), 0 never */
    uint8_t idx[256];   /* element -> row, 0 for elements not in the query */
    size_t rows;        /* distinct query elements + 1 */
} hp__lcs_multi;

/* false (and nothing to release) when the query does not qualify or SIMD is off. */
bool hp__lcs_multi_init(hp__lcs_multi *m, const uint32_t *q, size_t qn);
void hp__lcs_multi_release(hp__lcs_multi *m);
/* scores[l] = the score of the query against c[l][0..len[l]) for l < n, where n <=
 * 256 / width and every len <= width (width 16, 32 or 64). */
void hp__lcs_multi_run(const hp__lcs_multi *m, int width, const uint32_t *const *c,
                       const size_t *len, size_t n, const hp_scorer *sc, double cutoff,
                       double *scores);
/* Fixed choices in SIMD groups (16 of <= 16 elements, 8 of <= 32 or 4 of <= 64,
 * elements below 256), each with one vector row per distinct element (map: element ->
 * row, 0 = none; at most 255 rows). Built once; any number of queries stream through
 * (elements >= 256 match nothing). Choices not grouped (grouped[j] == 0) are scored one
 * by one. */
typedef struct hp__lcs_group {
    int width;
    unsigned n;
    uint16_t rows;
    size_t choice[16];
    size_t len[16];
    double lend[16];         /* len as doubles (0 past n), for the vector scoring */
    unsigned char mask[32];  /* lane l: its low len[l] bits */
    unsigned char lenv[32];  /* lane l: len[l] (the Levenshtein lanes' starting distance) */
    unsigned char last[32];  /* lane l: bit len[l] - 1 (0 for an empty choice) */
    size_t row_off;          /* bytes into hp__lcs_groups.rows */
    uint8_t map[256];
} hp__lcs_group;

typedef struct hp__lcs_groups {
    size_t count;
    hp__lcs_group *g;
    unsigned char *rows;
    size_t rows_used, rows_cap;
    uint8_t *grouped;
} hp__lcs_groups;

bool hp__lcs_groups_usable(void);
hp_status hp__lcs_groups_build(hp__lcs_groups *G, size_t n, const uint32_t *data,
                               const size_t *start, const size_t *len);
void hp__lcs_groups_release(hp__lcs_groups *G);
/* out[l]: the score of the query against choice l of group k (l < G->g[k].n);
 * _scores2 does groups k and k + 1 in one pass. */
void hp__lcs_groups_scores(const hp__lcs_groups *G, size_t k, const uint32_t *q, size_t qn,
                           const hp_scorer *sc, double cutoff, double *out);
void hp__lcs_groups_scores2(const hp__lcs_groups *G, size_t k, const uint32_t *q, size_t qn,
                            const hp_scorer *sc, double cutoff, double *out0, double *out1);
/* true for the scorers whose score is a function of the LCS and the lengths. */
bool hp__scorer_from_lcs(const hp_scorer *sc);
/* Which lanes the many-at-once forms run for a scorer: LCS lanes (hp__scorer_from_lcs),
 * Levenshtein lanes (uniform weights: Hyyrö's algorithm lane-wise, 16-bit lanes holding
 * distances, so queries up to HP__MULTI_LEV_MAX elements), or none. */
enum { HP__MULTI_NONE, HP__MULTI_LCS, HP__MULTI_LEV };
#define HP__MULTI_LEV_MAX 30000
int hp__multi_kind(const hp_scorer *sc);
/* s's tokens (split at whitespace) sorted and joined with single spaces, as
 * token_sort_ratio compares them: out (room for n elements; the result is never longer)
 * gets *out_n elements. token_sort_ratio(a, b) is ratio of the two. */
hp_status hp__fuzz_sorted_tokens(uint32_t *out, size_t *out_n, const uint32_t *s, size_t n);
/* A metric's score from its exact distance d (as hp__metric_score finishes). */
double hp__metric_from_distance(const hp_scorer *sc, uint64_t d, size_t la, size_t lb,
                                double cutoff);
double hp__score_from_lcs(const hp_scorer *sc, size_t lcs, size_t la, size_t lb, double cutoff);

/* Releases what either prepare made (each prep starts with its own free function). */
struct hp__prep {
    void (*release)(hp__prep *self);
};
void hp__prep_free(hp__prep *prep);

/* api.c: either of the above, by sc->kind. */
hp_status hp__score(double *out, const hp_scorer *sc, const hp__prep *prep, const uint32_t *a,
                    size_t la, const uint32_t *b, size_t lb, double cutoff);

/* Checks a scorer and a cutoff for it; HP_EINVAL with a message if invalid. */
hp_status hp__scorer_check(const hp_scorer *sc);
hp_status hp__cutoff_check(const hp_scorer *sc, double cutoff);

/* true if higher scores are better (similarities and fuzz scores). */
bool hp__scorer_higher_is_better(const hp_scorer *sc);

struct hp_fuzzy_query {
    hp_scorer scorer;
    hp__seq q;
    hp__prep *prep;
};

#endif /* HOTPATH_FUZZY_INTERNAL_H */
