/*
 * lib/fuzzy/fuzz.c — the scorers of rapidfuzz.fuzz (ratio, partial_ratio, the token_*
 * family, WRatio, QRatio) on decoded sequences, with RapidFuzz 3.14's exact results.
 *
 * Kernel. Every scorer reduces to the normalized Indel similarity
 *     ratio = 100 * (1 - (la + lb - 2 * LCS) / (la + lb)),
 * with the LCS from the bit-parallel kernel (hp__lcs, or the scan below that also
 * reports the LCS of every prefix). The floating-point formulas and the order in which
 * cutoffs are compared follow RapidFuzz so scores, and which alignment wins a tie,
 * agree exactly. Length bounds (LCS <= min(la, lb)) skip work a cutoff rules out.
 *
 * partial_ratio: the shorter sequence (the needle, length n) is compared with every
 * length-n window of the longer one, then with the prefixes and suffixes shorter than
 * n that start/end at the edges (RapidFuzz's edge windows). Windows are visited the
 * way RapidFuzz visits them — breadth-first bisection of [0, m - n) — because with
 * strict "better than" updates the first window found with the best score is the one
 * reported. A sub-range is skipped when no window in it can beat the best so far:
 * shifting a window by one changes its LCS by at most one, so between windows i and
 * j the LCS is at most (lcs_i + lcs_j + (j - i)) / 2. That bound is tighter than
 * RapidFuzz's, so fewer windows are scored, yet never prunes a range holding a window
 * that could win, so the result and its position are the same. The edge windows are
 * not scored one by one: one bit-parallel scan over the first n - 1 elements gives the
 * LCS of every prefix, and one scan over the reversed tail (with the needle's match
 * bits reversed) gives every suffix — O(n * words) instead of O(n^2 * words). When
 * both sequences have the same length RapidFuzz also tries the other as the needle.
 *
 * Tokens: split on RapidFuzz's whitespace — for a sequence whose elements are all
 * below 256 (a Latin-1 str or bytes, RapidFuzz's 1-byte strings) only \t \n \v \f \r,
 * 0x1C-0x1F and space; otherwise also U+0085, U+00A0 and Unicode's other spaces (the
 * set of Python's str.isspace). Tokens sort by code point, join with one space, and
 * token_set works on the sorted, de-duplicated token lists (intersection and the two
 * differences), as RapidFuzz's set_decomposition does.
 *
 * Scratch memory comes from a small arena (a stack block, then heap blocks), so short
 * inputs allocate nothing; prepared queries (hp__fuzz_prepare) keep the query's match
 * vectors and sorted tokens so a batch does not rebuild them per choice.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"

#define UNBASE_SCALE 0.95

/* ---------------------------------------------------------------- scratch arena */

typedef struct arena {
    unsigned char *cur; /* current block */
    size_t cap, used;
    void *heap; /* chain of heap blocks; each starts with a pointer to the previous one */
    _Alignas(16) unsigned char stack[3072];
} arena;

#define ARENA_HEADER 16

static void arena_init(arena *ar) {
    ar->cur = ar->stack;
    ar->cap = sizeof ar->stack;
    ar->used = 0;
    ar->heap = NULL;
}

static void arena_release(arena *ar) {
    void *blk = ar->heap;
    while (blk) {
        void *prev;
        memcpy(&prev, blk, sizeof prev);
        hp__free(blk);
        blk = prev;
    }
    ar->heap = NULL;
}

/* *out = `count` elements of `size` bytes, 16-byte aligned. */
static hp_status arena_get(void **out, arena *ar, size_t count, size_t size) {
    size_t bytes;
    HP_RETURN_IF(!hp__mul_size(count, size, &bytes) || bytes > SIZE_MAX / 4, HP_EOVERFLOW,
                 "scratch of %zu x %zu bytes is too large", count, size);
    bytes = (bytes + 15) & ~(size_t)15;
    if (ar->cap - ar->used < bytes) {
        size_t blk = bytes + ARENA_HEADER;
        if (blk < 2 * ar->cap) blk = 2 * ar->cap;
        unsigned char *p = hp__malloc(blk);
        HP_RETURN_IF(p == NULL, HP_ENOMEM, "no memory for %zu bytes of scratch", bytes);
        memcpy(p, &ar->heap, sizeof ar->heap);
        ar->heap = p;
        ar->cur = p + ARENA_HEADER;
        ar->cap = blk - ARENA_HEADER;
        ar->used = 0;
    }
    *out = ar->cur + ar->used;
    ar->used += bytes;
    return HP_OK;
}

#define ARENA_GET(var, ar, count)                                                           \
    do {                                                                                    \
        void *arena_p_;                                                                     \
        HP_FORWARD_IF_ERROR(arena_get(&arena_p_, (ar), (count), sizeof *(var)));            \
        (var) = arena_p_;                                                                   \
    } while (0)

/* ---------------------------------------------------------------- Indel ratio */

/* RapidFuzz's normalized Indel similarity * 100 for an LCS, or 0 when it is below
 * cutoff (a score in [0, 100]); the same operations in the same order as
 * indel_normalized_similarity(...) * 100. */
static double indel_ratio(size_t lcs, size_t lensum, double cutoff) {
    size_t dist = lensum - 2 * lcs;
    double norm_dist = lensum ? (double)dist / (double)lensum : 0.0;
    double norm_sim = 1.0 - norm_dist;
    return norm_sim >= cutoff / 100 ? norm_sim * 100 : 0.0;
}

/* RapidFuzz's norm_distance of token_set: a score from an Indel distance. */
static double norm_distance(size_t dist, size_t lensum, double cutoff) {
    double score = lensum > 0 ? 100.0 - 100.0 * (double)dist / (double)lensum : 100.0;
    return score >= cutoff ? score : 0;
}

/* The smallest LCS whose ratio meets cutoff (shorter + 1 if none does), found with
 * the same floating-point test indel_ratio makes; the kernel may stop early below it. */
static size_t min_passing_lcs(size_t lensum, size_t shorter, double cutoff) {
    if (!(cutoff > 0)) return 0;
    double est = ceil((double)lensum * (cutoff / 100) / 2);
    size_t m = est >= (double)shorter ? shorter : (size_t)est;
    while (m > 0 && indel_ratio(m - 1, lensum, cutoff) > 0) m--;
    while (m <= shorter && indel_ratio(m, lensum, cutoff) == 0) m++;
    return m;
}

/* fuzz.ratio; pm_a is NULL or built from a. */
static hp_status ratio(double *out, const hp__pm *pm_a, const uint32_t *a, size_t la,
                       const uint32_t *b, size_t lb, double cutoff) {
    size_t lensum = la + lb, shorter = la < lb ? la : lb;
    *out = 0;
    if (shorter == 0) { /* 100 for two empty sequences, else no match at all */
        *out = indel_ratio(0, lensum, cutoff);
        return HP_OK;
    }
    size_t min_lcs = min_passing_lcs(lensum, shorter, cutoff);
    if (min_lcs > shorter) return HP_OK;
    size_t lcs;
    HP_FORWARD_IF_ERROR(hp__lcs(&lcs, pm_a, a, la, b, lb, min_lcs));
    *out = indel_ratio(lcs, lensum, cutoff);
    return HP_OK;
}

double hp__fuzz_ratio_from_lcs(int id, size_t lcs, size_t la, size_t lb, double cutoff) {
    if (isnan(cutoff) || cutoff < 0) cutoff = 0; /* as hp__fuzz_score */
    if (id == HP_FUZZ_QRATIO && (la == 0 || lb == 0)) return 0.0;
    return indel_ratio(lcs, la + lb, cutoff);
}

/* ---------------------------------------------------------------- partial_ratio */

/* The shorter sequence of partial_ratio, with its match vectors and element set. */
typedef struct needle {
    const uint32_t *s;
    size_t n;
    const hp__pm *pm;
    uint64_t low[4]; /* bit c set when c < 256 occurs */
} needle;

static void needle_init(needle *nd, const uint32_t *s, size_t n, const hp__pm *pm) {
    nd->s = s;
    nd->n = n;
    nd->pm = pm;
    memset(nd->low, 0, sizeof nd->low);
    for (size_t i = 0; i < n; i++)
        if (s[i] < 256) nd->low[s[i] >> 6] |= (uint64_t)1 << (s[i] & 63);
}

static inline bool needle_has(const needle *nd, uint32_t c) {
    if (c < 256) return (nd->low[c >> 6] >> (c & 63)) & 1;
    return hp__pm_get(nd->pm, c) != nd->pm->zero;
}

static inline uint64_t last_word_mask(size_t n) {
    return n % 64 ? ((uint64_t)1 << (n % 64)) - 1 : ~(uint64_t)0;
}

static inline uint64_t reverse_bits(uint64_t x) {
    x = ((x >> 1) & 0x5555555555555555ull) | ((x & 0x5555555555555555ull) << 1);
    x = ((x >> 2) & 0x3333333333333333ull) | ((x & 0x3333333333333333ull) << 2);
    x = ((x >> 4) & 0x0F0F0F0F0F0F0F0Full) | ((x & 0x0F0F0F0F0F0F0F0Full) << 4);
    return __builtin_bswap64(x);
}

/*
 * Bit-parallel LCS of the pattern behind pm (pm->n elements) against b[0..lb),
 * stepping backwards through b when `backwards` (then the pattern must be reversed
 * too: pm is the reversed pattern's). S has pm->words words of scratch. If `each` is
 * not NULL, each[k] receives the LCS after k + 1 elements of b. Returns the LCS.
 */
static size_t lcs_scan(const hp__pm *pm, const uint32_t *b, size_t lb, bool backwards,
                       uint64_t *S, size_t *each) {
    size_t words = pm->words;
    uint64_t mask = last_word_mask(pm->n);
    if (words == 1) {
        uint64_t s = ~(uint64_t)0;
        for (size_t k = 0; k < lb; k++) {
            uint64_t u = s & hp__pm_get(pm, backwards ? b[lb - 1 - k] : b[k])[0];
            s = (s + u) | (s - u);
            if (each) each[k] = (size_t)hp__popcount64(~s & mask);
        }
        return (size_t)hp__popcount64(~s & mask);
    }
    for (size_t w = 0; w < words; w++) S[w] = ~(uint64_t)0;
    size_t lcs = 0;
    for (size_t k = 0; k < lb; k++) {
        const uint64_t *M = hp__pm_get(pm, backwards ? b[lb - 1 - k] : b[k]);
        uint64_t carry = 0;
        for (size_t w = 0; w < words; w++) {
            uint64_t u = S[w] & M[w], x;
            uint64_t c1 = __builtin_add_overflow(S[w], u, &x);
            uint64_t c2 = __builtin_add_overflow(x, carry, &x);
            carry = c1 | c2;
            S[w] = x | (S[w] - u);
        }
        if (each || k + 1 == lb) {
            lcs = (size_t)hp__popcount64(~S[words - 1] & mask);
            for (size_t w = 0; w + 1 < words; w++) lcs += (size_t)hp__popcount64(~S[w]);
            if (each) each[k] = lcs;
        }
    }
    return lcs;
}

/* The same for a one-word pattern of n elements whose pm is the forward one: the
 * reversed pattern's match word is the bit-reversed forward word. Backwards only. */
static void lcs_scan_reversed1(const hp__pm *pm, const uint32_t *b, size_t lb, size_t *each) {
    size_t n = pm->n;
    uint64_t mask = last_word_mask(n), s = ~(uint64_t)0;
    for (size_t k = 0; k < lb; k++) {
        uint64_t M = reverse_bits(hp__pm_get(pm, b[lb - 1 - k])[0]) >> (64 - n);
        uint64_t u = s & M;
        s = (s + u) | (s - u);
        each[k] = (size_t)hp__popcount64(~s & mask);
    }
}

typedef struct window {
    size_t first, second;
} window;

/* The full-length windows s2[w, w + n) for w in [0, m - n): RapidFuzz's breadth-first
 * bisection (see the top of the file). Updates res/cutoff as RapidFuzz does; sets
 * *done when a perfect window ends the search. */
static hp_status scan_windows(hp_alignment *res, double *cutoff, bool *done, const needle *nd,
                              const uint32_t *s2, size_t len2, arena *ar) {
    size_t len1 = nd->n, nwin = len2 - len1, maximum = 2 * len1;
    const size_t unknown = SIZE_MAX;
    double norm_cutoff = fmin(1.0, 1.0 - *cutoff / 100 + 0.00001);
    size_t cutoff_dist = norm_cutoff > 0 ? (size_t)ceil((double)maximum * norm_cutoff) : 0;
    size_t best_dist = SIZE_MAX;
    size_t *lcs;
    window *cur, *next;
    uint64_t *S;
    ARENA_GET(lcs, ar, nwin);
    ARENA_GET(cur, ar, nwin);
    ARENA_GET(next, ar, nwin);
    ARENA_GET(S, ar, nd->pm->words);
    for (size_t i = 0; i < nwin; i++) lcs[i] = unknown;
    size_t ncur = 1, nnext = 0;
    cur[0] = (window){0, nwin - 1};
    while (ncur) {
        for (size_t k = 0; k < ncur; k++) {
            size_t ends[2] = {cur[k].first, cur[k].second};
            for (int e = 0; e < 2; e++) {
                size_t w = ends[e];
                if (lcs[w] != unknown) continue;
                lcs[w] = lcs_scan(nd->pm, s2 + w, len1, false, S, NULL);
                size_t dist = maximum - 2 * lcs[w];
                if (dist < cutoff_dist) {
                    cutoff_dist = best_dist = dist;
                    res->dest_start = w;
                    res->dest_end = w + len1;
                    if (dist == 0) {
                        res->score = 100;
                        *done = true;
                        return HP_OK;
                    }
                }
            }
            size_t span = cur[k].second - cur[k].first;
            if (span <= 1) continue;
            /* the LCS changes by at most one per shift */
            size_t best_lcs = (lcs[cur[k].first] + lcs[cur[k].second] + span) / 2;
            if (best_lcs > len1) best_lcs = len1;
            if (maximum - 2 * best_lcs < cutoff_dist) {
                size_t center = cur[k].first + span / 2;
                next[nnext++] = (window){cur[k].first, center};
                next[nnext++] = (window){center, cur[k].second};
            }
        }
        window *t = cur;
        cur = next;
        next = t;
        ncur = nnext;
        nnext = 0;
    }
    double score = 1.0 - (double)best_dist / (double)maximum;
    score *= 100;
    if (score >= *cutoff) *cutoff = res->score = score;
    return HP_OK;
}

/* True if some edge window of length up to `longest` could still improve res. */
static bool edge_can_improve(const hp_alignment *res, size_t len1, size_t longest, double cutoff) {
    if (longest == 0) return false;
    double best = indel_ratio(longest, len1 + longest, cutoff);
    return best > res->score;
}

/* RapidFuzz's partial_ratio_impl: needle nd (len1 <= len2) in s2. Positions in res:
 * src in the needle, dest in s2. */
static hp_status partial_impl(hp_alignment *res, const needle *nd, const uint32_t *s2,
                              size_t len2, double cutoff, arena *ar) {
    size_t len1 = nd->n;
    res->score = 0;
    res->src_start = 0;
    res->src_end = len1;
    res->dest_start = 0;
    res->dest_end = len1;
    if (len2 > len1) {
        bool done = false;
        HP_FORWARD_IF_ERROR(scan_windows(res, &cutoff, &done, nd, s2, len2, ar));
        if (done) return HP_OK;
    }
    /* prefixes s2[0, i) for i in [1, len1) */
    if (edge_can_improve(res, len1, len1 - 1, cutoff)) {
        size_t *pre;
        uint64_t *S;
        ARENA_GET(pre, ar, len1 - 1);
        ARENA_GET(S, ar, nd->pm->words);
        lcs_scan(nd->pm, s2, len1 - 1, false, S, pre);
        for (size_t i = 1; i < len1; i++) {
            if (!needle_has(nd, s2[i - 1])) continue;
            double r = indel_ratio(pre[i - 1], len1 + i, cutoff);
            if (r > res->score) {
                cutoff = res->score = r;
                res->dest_start = 0;
                res->dest_end = i;
                if (res->score == 100.0) return HP_OK;
            }
        }
    }
    /* suffixes s2[i, len2) for i in [len2 - len1, len2) */
    if (edge_can_improve(res, len1, len1, cutoff)) {
        size_t *suf; /* suf[k] = LCS with s2[len2 - 1 - k, len2) */
        ARENA_GET(suf, ar, len1);
        if (nd->pm->words == 1) {
            lcs_scan_reversed1(nd->pm, s2 + (len2 - len1), len1, suf);
        } else {
            uint32_t *rev;
            uint64_t *S;
            ARENA_GET(rev, ar, len1);
            ARENA_GET(S, ar, nd->pm->words);
            for (size_t i = 0; i < len1; i++) rev[i] = nd->s[len1 - 1 - i];
            hp__pm rpm;
            HP_FORWARD_IF_ERROR(hp__pm_build(&rpm, rev, len1));
            lcs_scan(&rpm, s2 + (len2 - len1), len1, true, S, suf);
            hp__pm_release(&rpm);
        }
        for (size_t i = len2 - len1; i < len2; i++) {
            if (!needle_has(nd, s2[i])) continue;
            double r = indel_ratio(suf[len2 - 1 - i], len1 + (len2 - i), cutoff);
            if (r > res->score) {
                cutoff = res->score = r;
                res->dest_start = i;
                res->dest_end = len2;
                if (res->score == 100.0) return HP_OK;
            }
        }
    }
    return HP_OK;
}

/* impl with s as the needle; pm is s's or NULL (then built here). */
static hp_status partial_impl_with(hp_alignment *res, const uint32_t *s, size_t n,
                                   const hp__pm *pm, const uint32_t *hay, size_t hn,
                                   double cutoff, arena *ar) {
    hp__pm local;
    if (!pm) {
        HP_FORWARD_IF_ERROR(hp__pm_build(&local, s, n));
        pm = &local;
    }
    needle nd;
    needle_init(&nd, s, n, pm);
    hp_status st = partial_impl(res, &nd, hay, hn, cutoff, ar);
    if (pm == &local) hp__pm_release(&local);
    return st;
}

static void swap_sides(hp_alignment *r) {
    uint64_t t = r->src_start;
    r->src_start = r->dest_start;
    r->dest_start = t;
    t = r->src_end;
    r->src_end = r->dest_end;
    r->dest_end = t;
}

/* RapidFuzz's partial_ratio_alignment (score 0 rather than None below the cutoff is
 * left to the caller). pm1/pm2 are NULL or the match vectors of s1/s2. */
static hp_status partial_alignment(hp_alignment *out, const uint32_t *s1, size_t len1,
                                   const hp__pm *pm1, const uint32_t *s2, size_t len2,
                                   const hp__pm *pm2, double cutoff, arena *ar) {
    if (len1 > len2) {
        HP_FORWARD_IF_ERROR(partial_alignment(out, s2, len2, pm2, s1, len1, pm1, cutoff, ar));
        swap_sides(out);
        return HP_OK;
    }
    *out = (hp_alignment){0, 0, len1, 0, len1};
    if (cutoff > 100) return HP_OK;
    if (!len1 || !len2) {
        out->score = len1 == len2 ? 100.0 : 0.0;
        return HP_OK;
    }
    HP_FORWARD_IF_ERROR(partial_impl_with(out, s1, len1, pm1, s2, len2, cutoff, ar));
    if (out->score != 100 && len1 == len2) {
        cutoff = fmax(cutoff, out->score);
        hp_alignment r2;
        HP_FORWARD_IF_ERROR(partial_impl_with(&r2, s2, len2, pm2, s1, len1, cutoff, ar));
        if (r2.score > out->score) {
            swap_sides(&r2);
            *out = r2;
        }
    }
    return HP_OK;
}

static hp_status partial_ratio(double *out, const uint32_t *s1, size_t len1, const hp__pm *pm1,
                               const uint32_t *s2, size_t len2, double cutoff, arena *ar) {
    hp_alignment r;
    HP_FORWARD_IF_ERROR(partial_alignment(&r, s1, len1, pm1, s2, len2, NULL, cutoff, ar));
    *out = r.score;
    return HP_OK;
}

/* ---------------------------------------------------------------- tokens */

typedef struct span {
    const uint32_t *p;
    size_t n;
} span;

/* A sorted list of tokens (spans into some sequence). */
typedef struct words {
    span *w;
    size_t n;
} words;

static bool all_narrow(const uint32_t *s, size_t n) {
    uint32_t acc = 0;
    for (size_t i = 0; i < n; i++) acc |= s[i];
    return acc < 256;
}

static bool is_space(uint32_t c, bool narrow) {
    if (c <= 0x20) return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
    if (narrow) return false;
    switch (c) {
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
        return true;
    default:
        return c >= 0x2000 && c <= 0x200A;
    }
}

static int span_cmp(const void *x, const void *y) {
    const span *a = x, *b = y;
    size_t n = a->n < b->n ? a->n : b->n;
    for (size_t i = 0; i < n; i++)
        if (a->p[i] != b->p[i]) return a->p[i] < b->p[i] ? -1 : 1;
    return a->n < b->n ? -1 : a->n > b->n;
}

static bool span_eq(const span *a, const span *b) {
    return a->n == b->n && memcmp(a->p, b->p, a->n * sizeof(uint32_t)) == 0;
}

/* Split s on whitespace and sort the tokens by code point. */
static hp_status split_sorted(words *out, const uint32_t *s, size_t n, arena *ar) {
    bool narrow = all_narrow(s, n);
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (!is_space(s[i], narrow) && (i == 0 || is_space(s[i - 1], narrow))) count++;
    out->n = 0;
    ARENA_GET(out->w, ar, count ? count : 1);
    for (size_t i = 0; i < n;) {
        while (i < n && is_space(s[i], narrow)) i++;
        size_t start = i;
        while (i < n && !is_space(s[i], narrow)) i++;
        if (i > start) out->w[out->n++] = (span){s + start, i - start};
    }
    qsort(out->w, out->n, sizeof(span), span_cmp);
    return HP_OK;
}

/* Total length of the tokens joined with single spaces. */
static size_t joined_len(const words *ws) {
    size_t len = 0;
    for (size_t i = 0; i < ws->n; i++) len += ws->w[i].n;
    return ws->n ? len + ws->n - 1 : 0;
}

static hp_status join(const uint32_t **out, size_t *out_n, const words *ws, arena *ar) {
    size_t len = joined_len(ws);
    uint32_t *buf;
    ARENA_GET(buf, ar, len ? len : 1);
    size_t k = 0;
    for (size_t i = 0; i < ws->n; i++) {
        if (i) buf[k++] = 0x20;
        memcpy(buf + k, ws->w[i].p, ws->w[i].n * sizeof(uint32_t));
        k += ws->w[i].n;
    }
    *out = buf;
    *out_n = len;
    return HP_OK;
}

static hp_status dedupe(words *out, const words *in, arena *ar) {
    ARENA_GET(out->w, ar, in->n ? in->n : 1);
    out->n = 0;
    for (size_t i = 0; i < in->n; i++)
        if (out->n == 0 || !span_eq(&out->w[out->n - 1], &in->w[i])) out->w[out->n++] = in->w[i];
    return HP_OK;
}

/* RapidFuzz's set_decomposition of two sorted de-duplicated lists. */
typedef struct decomposition {
    words sect, ab, ba;
} decomposition;

static hp_status decompose(decomposition *d, const words *ua, const words *ub, arena *ar) {
    ARENA_GET(d->sect.w, ar, ua->n ? ua->n : 1);
    ARENA_GET(d->ab.w, ar, ua->n ? ua->n : 1);
    ARENA_GET(d->ba.w, ar, ub->n ? ub->n : 1);
    d->sect.n = d->ab.n = d->ba.n = 0;
    size_t i = 0, j = 0;
    while (i < ua->n || j < ub->n) {
        int c = i == ua->n ? 1 : j == ub->n ? -1 : span_cmp(&ua->w[i], &ub->w[j]);
        if (c == 0) {
            d->sect.w[d->sect.n++] = ua->w[i++];
            j++;
        } else if (c < 0) {
            d->ab.w[d->ab.n++] = ua->w[i++];
        } else {
            d->ba.w[d->ba.n++] = ub->w[j++];
        }
    }
    return HP_OK;
}

/* ---------------------------------------------------------------- one side of a pair */

/* A sequence with what the scorers derive from it, computed on demand (or taken from a
 * prepared query). */
typedef struct side {
    const uint32_t *s;
    size_t n;
    const hp__pm *pm; /* of s, or NULL */
    bool have_tokens;
    words toks;              /* sorted, with duplicates */
    words uniq;              /* sorted, de-duplicated */
    const uint32_t *sorted;  /* toks joined */
    size_t sorted_n;
    const hp__pm *pm_sorted; /* of sorted, or NULL */
} side;

static void side_init(side *sd, const uint32_t *s, size_t n) {
    memset(sd, 0, sizeof *sd);
    sd->s = s;
    sd->n = n;
}

static hp_status side_tokens(side *sd, arena *ar) {
    if (sd->have_tokens) return HP_OK;
    HP_FORWARD_IF_ERROR(split_sorted(&sd->toks, sd->s, sd->n, ar));
    HP_FORWARD_IF_ERROR(dedupe(&sd->uniq, &sd->toks, ar));
    HP_FORWARD_IF_ERROR(join(&sd->sorted, &sd->sorted_n, &sd->toks, ar));
    sd->have_tokens = true;
    return HP_OK;
}

hp_status hp__fuzz_sorted_tokens(uint32_t *out, size_t *out_n, const uint32_t *s, size_t n) {
    arena ar;
    arena_init(&ar);
    words toks;
    const uint32_t *joined = NULL;
    size_t len = 0;
    hp_status st = split_sorted(&toks, s, n, &ar);
    if (st == HP_OK) st = join(&joined, &len, &toks, &ar);
    if (st == HP_OK) {
        memcpy(out, joined, len * sizeof *out);
        *out_n = len;
    }
    arena_release(&ar);
    return st;
}

/* ---------------------------------------------------------------- token scorers */

static hp_status token_sort_ratio(double *out, side *a, side *b, double cutoff, arena *ar) {
    *out = 0;
    if (cutoff > 100) return HP_OK;
    HP_FORWARD_IF_ERROR(side_tokens(a, ar));
    HP_FORWARD_IF_ERROR(side_tokens(b, ar));
    return ratio(out, a->pm_sorted, a->sorted, a->sorted_n, b->sorted, b->sorted_n, cutoff);
}

static hp_status partial_token_sort_ratio(double *out, side *a, side *b, double cutoff,
                                          arena *ar) {
    *out = 0;
    if (cutoff > 100) return HP_OK;
    HP_FORWARD_IF_ERROR(side_tokens(a, ar));
    HP_FORWARD_IF_ERROR(side_tokens(b, ar));
    return partial_ratio(out, a->sorted, a->sorted_n, a->pm_sorted, b->sorted, b->sorted_n,
                         cutoff, ar);
}

/* The token_set part shared by token_set_ratio and token_ratio: the best of
 * diff_ab vs diff_ba, sect vs sect+ab and sect vs sect+ba, folded into *result. */
static hp_status token_set_part(double *result, const decomposition *d, double cutoff,
                                arena *ar) {
    const uint32_t *ab, *ba;
    size_t ab_len, ba_len;
    HP_FORWARD_IF_ERROR(join(&ab, &ab_len, &d->ab, ar));
    HP_FORWARD_IF_ERROR(join(&ba, &ba_len, &d->ba, ar));
    size_t sect_len = joined_len(&d->sect);
    size_t has_sect = sect_len != 0;
    size_t sect_ab_len = sect_len + has_sect + ab_len;
    size_t sect_ba_len = sect_len + has_sect + ba_len;
    size_t lensum = sect_ab_len + sect_ba_len;
    size_t cutoff_dist = (size_t)ceil((double)lensum * (1.0 - cutoff / 100));
    size_t min_dist = ab_len > ba_len ? ab_len - ba_len : ba_len - ab_len;
    if (min_dist <= cutoff_dist) {
        /* dist <= cutoff_dist needs 2 * lcs >= ab_len + ba_len - cutoff_dist */
        size_t total = ab_len + ba_len, lcs;
        size_t min_lcs = total > cutoff_dist ? (total - cutoff_dist + 1) / 2 : 0;
        HP_FORWARD_IF_ERROR(hp__lcs(&lcs, NULL, ab, ab_len, ba, ba_len, min_lcs));
        size_t dist = ab_len + ba_len - 2 * lcs;
        if (dist <= cutoff_dist) *result = fmax(*result, norm_distance(dist, lensum, cutoff));
    }
    if (!sect_len) return HP_OK;
    double sect_ab = norm_distance(has_sect + ab_len, sect_len + sect_ab_len, cutoff);
    double sect_ba = norm_distance(has_sect + ba_len, sect_len + sect_ba_len, cutoff);
    *result = fmax(*result, fmax(sect_ab, sect_ba));
    return HP_OK;
}

static hp_status token_set_ratio(double *out, side *a, side *b, double cutoff, arena *ar) {
    *out = 0;
    if (cutoff > 100) return HP_OK;
    HP_FORWARD_IF_ERROR(side_tokens(a, ar));
    HP_FORWARD_IF_ERROR(side_tokens(b, ar));
    if (a->uniq.n == 0 || b->uniq.n == 0) return HP_OK; /* RapidFuzz returns 0 here */
    decomposition d;
    HP_FORWARD_IF_ERROR(decompose(&d, &a->uniq, &b->uniq, ar));
    if (d.sect.n && (d.ab.n == 0 || d.ba.n == 0)) {
        *out = 100;
        return HP_OK;
    }
    return token_set_part(out, &d, cutoff, ar);
}

static hp_status token_ratio(double *out, side *a, side *b, double cutoff, arena *ar) {
    *out = 0;
    if (cutoff > 100) return HP_OK;
    HP_FORWARD_IF_ERROR(side_tokens(a, ar));
    HP_FORWARD_IF_ERROR(side_tokens(b, ar));
    decomposition d;
    HP_FORWARD_IF_ERROR(decompose(&d, &a->uniq, &b->uniq, ar));
    if (d.sect.n && (d.ab.n == 0 || d.ba.n == 0)) {
        *out = 100;
        return HP_OK;
    }
    HP_FORWARD_IF_ERROR(
        ratio(out, a->pm_sorted, a->sorted, a->sorted_n, b->sorted, b->sorted_n, cutoff));
    return token_set_part(out, &d, cutoff, ar);
}

static hp_status partial_token_set_ratio(double *out, side *a, side *b, double cutoff,
                                         arena *ar) {
    *out = 0;
    if (cutoff > 100) return HP_OK;
    HP_FORWARD_IF_ERROR(side_tokens(a, ar));
    HP_FORWARD_IF_ERROR(side_tokens(b, ar));
    if (a->uniq.n == 0 || b->uniq.n == 0) return HP_OK;
    decomposition d;
    HP_FORWARD_IF_ERROR(decompose(&d, &a->uniq, &b->uniq, ar));
    if (d.sect.n) {
        *out = 100;
        return HP_OK;
    }
    const uint32_t *ab, *ba;
    size_t ab_len, ba_len;
    HP_FORWARD_IF_ERROR(join(&ab, &ab_len, &d.ab, ar));
    HP_FORWARD_IF_ERROR(join(&ba, &ba_len, &d.ba, ar));
    return partial_ratio(out, ab, ab_len, NULL, ba, ba_len, cutoff, ar);
}

static hp_status partial_token_ratio(double *out, side *a, side *b, double cutoff, arena *ar) {
    *out = 0;
    if (cutoff > 100) return HP_OK;
    HP_FORWARD_IF_ERROR(side_tokens(a, ar));
    HP_FORWARD_IF_ERROR(side_tokens(b, ar));
    decomposition d;
    HP_FORWARD_IF_ERROR(decompose(&d, &a->uniq, &b->uniq, ar));
    if (d.sect.n) {
        *out = 100;
        return HP_OK;
    }
    double result;
    HP_FORWARD_IF_ERROR(partial_ratio(&result, a->sorted, a->sorted_n, a->pm_sorted, b->sorted,
                                      b->sorted_n, cutoff, ar));
    /* the differences are the whole token lists: the same partial_ratio again */
    if (a->toks.n == d.ab.n && b->toks.n == d.ba.n) {
        *out = result;
        return HP_OK;
    }
    const uint32_t *ab, *ba;
    size_t ab_len, ba_len;
    HP_FORWARD_IF_ERROR(join(&ab, &ab_len, &d.ab, ar));
    HP_FORWARD_IF_ERROR(join(&ba, &ba_len, &d.ba, ar));
    double r2;
    HP_FORWARD_IF_ERROR(
        partial_ratio(&r2, ab, ab_len, NULL, ba, ba_len, fmax(cutoff, result), ar));
    *out = fmax(result, r2);
    return HP_OK;
}

/* ---------------------------------------------------------------- WRatio */

static hp_status wratio(double *out, side *a, side *b, double cutoff, arena *ar) {
    *out = 0;
    if (cutoff > 100 || a->n == 0 || b->n == 0) return HP_OK;
    double len_ratio = a->n > b->n ? (double)a->n / (double)b->n : (double)b->n / (double)a->n;
    double end_ratio, r;
    HP_FORWARD_IF_ERROR(ratio(&end_ratio, a->pm, a->s, a->n, b->s, b->n, cutoff));
    if (len_ratio < 1.5) {
        cutoff = fmax(cutoff, end_ratio) / UNBASE_SCALE;
        HP_FORWARD_IF_ERROR(token_ratio(&r, a, b, cutoff, ar));
        *out = fmax(end_ratio, r * UNBASE_SCALE);
        return HP_OK;
    }
    /* RapidFuzz 3.14 applies the 0.9 scale up to and including a ratio of 8 */
    double partial_scale = len_ratio <= 8.0 ? 0.9 : 0.6;
    cutoff = fmax(cutoff, end_ratio) / partial_scale;
    HP_FORWARD_IF_ERROR(partial_ratio(&r, a->s, a->n, a->pm, b->s, b->n, cutoff, ar));
    end_ratio = fmax(end_ratio, r * partial_scale);
    cutoff = fmax(cutoff, end_ratio) / UNBASE_SCALE;
    HP_FORWARD_IF_ERROR(partial_token_ratio(&r, a, b, cutoff, ar));
    *out = fmax(end_ratio, r * UNBASE_SCALE * partial_scale);
    return HP_OK;
}

/* ---------------------------------------------------------------- prepared queries */

typedef struct fuzz_prep {
    hp__prep base;
    bool has_pm, has_tokens, has_pm_sorted;
    hp__pm pm;        /* of the query */
    hp__pm pm_sorted; /* of its sorted tokens joined */
    uint32_t *sorted; /* the sorted tokens joined; toks/uniq point into it */
    size_t sorted_n;
    span *toks, *uniq;
    size_t ntoks, nuniq;
} fuzz_prep;

static void fuzz_prep_release(hp__prep *self) {
    fuzz_prep *p = (fuzz_prep *)self;
    if (p->has_pm) hp__pm_release(&p->pm);
    if (p->has_pm_sorted) hp__pm_release(&p->pm_sorted);
    hp__free(p->sorted);
    hp__free(p->toks);
    hp__free(p->uniq);
    hp__free(p);
}

static bool id_uses_pm(int id) {
    return id == HP_FUZZ_RATIO || id == HP_FUZZ_QRATIO || id == HP_FUZZ_PARTIAL_RATIO ||
           id == HP_FUZZ_WRATIO;
}

/* Copy the query's sorted tokens into the prep, as spans into its own joined copy. */
static hp_status prep_tokens(fuzz_prep *p, const uint32_t *a, size_t la) {
    arena ar;
    arena_init(&ar);
    side sd;
    side_init(&sd, a, la);
    hp_status st = side_tokens(&sd, &ar);
    if (st == HP_OK) {
        p->sorted = hp__malloc((sd.sorted_n ? sd.sorted_n : 1) * sizeof(uint32_t));
        p->toks = hp__malloc((sd.toks.n ? sd.toks.n : 1) * sizeof(span));
        p->uniq = hp__malloc((sd.uniq.n ? sd.uniq.n : 1) * sizeof(span));
        if (!p->sorted || !p->toks || !p->uniq)
            st = hp__fail(HP_ENOMEM, "no memory for the tokens of a %zu-element query", la);
    }
    if (st == HP_OK) {
        memcpy(p->sorted, sd.sorted, sd.sorted_n * sizeof(uint32_t));
        p->sorted_n = sd.sorted_n;
        /* the joined copy lists the tokens in order, one space apart */
        size_t off = 0;
        for (size_t i = 0; i < sd.toks.n; i++) {
            p->toks[i] = (span){p->sorted + off, sd.toks.w[i].n};
            off += sd.toks.w[i].n + 1;
        }
        p->ntoks = sd.toks.n;
        for (size_t i = 0; i < p->ntoks; i++)
            if (p->nuniq == 0 || !span_eq(&p->uniq[p->nuniq - 1], &p->toks[i]))
                p->uniq[p->nuniq++] = p->toks[i];
        p->has_tokens = true;
    }
    arena_release(&ar);
    return st;
}

hp_status hp__fuzz_prepare(hp__prep **out, const hp_scorer *sc, const uint32_t *a, size_t la) {
    *out = NULL;
    fuzz_prep *p = hp__malloc(sizeof *p);
    HP_RETURN_IF(p == NULL, HP_ENOMEM, "no memory for a prepared query");
    memset(p, 0, sizeof *p);
    p->base.release = fuzz_prep_release;
    hp_status st = HP_OK;
    if (id_uses_pm(sc->id) && la > 0) {
        st = hp__pm_build(&p->pm, a, la);
        p->has_pm = st == HP_OK;
    }
    if (st == HP_OK && sc->id != HP_FUZZ_RATIO && sc->id != HP_FUZZ_QRATIO &&
        sc->id != HP_FUZZ_PARTIAL_RATIO) {
        st = prep_tokens(p, a, la);
        if (st == HP_OK && p->sorted_n > 0) {
            st = hp__pm_build(&p->pm_sorted, p->sorted, p->sorted_n);
            p->has_pm_sorted = st == HP_OK;
        }
    }
    if (st != HP_OK) {
        fuzz_prep_release(&p->base);
        return st;
    }
    *out = &p->base;
    return HP_OK;
}

static void side_from_prep(side *sd, const fuzz_prep *p) {
    if (p->has_pm) sd->pm = &p->pm;
    if (p->has_tokens) {
        sd->have_tokens = true;
        sd->toks = (words){p->toks, p->ntoks};
        sd->uniq = (words){p->uniq, p->nuniq};
        sd->sorted = p->sorted;
        sd->sorted_n = p->sorted_n;
        if (p->has_pm_sorted) sd->pm_sorted = &p->pm_sorted;
    }
}

/* ---------------------------------------------------------------- entry points */

hp_status hp__fuzz_score(double *out, const hp_scorer *sc, const hp__prep *prep,
                         const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                         double cutoff) {
    /* below 0 every score passes, as at 0; clamping keeps scores out of negatives */
    if (isnan(cutoff) || cutoff < 0) cutoff = 0;
    side sa, sb;
    side_init(&sa, a, la);
    side_init(&sb, b, lb);
    if (prep) side_from_prep(&sa, (const fuzz_prep *)prep);
    arena ar;
    arena_init(&ar);
    hp_status st;
    *out = 0;
    switch (sc->id) {
    case HP_FUZZ_RATIO:
        st = ratio(out, sa.pm, a, la, b, lb, cutoff);
        break;
    case HP_FUZZ_QRATIO:
        st = la && lb ? ratio(out, sa.pm, a, la, b, lb, cutoff) : HP_OK;
        break;
    case HP_FUZZ_PARTIAL_RATIO:
        st = partial_ratio(out, a, la, sa.pm, b, lb, cutoff, &ar);
        break;
    case HP_FUZZ_TOKEN_SORT_RATIO:
        st = token_sort_ratio(out, &sa, &sb, cutoff, &ar);
        break;
    case HP_FUZZ_TOKEN_SET_RATIO:
        st = token_set_ratio(out, &sa, &sb, cutoff, &ar);
        break;
    case HP_FUZZ_TOKEN_RATIO:
        st = token_ratio(out, &sa, &sb, cutoff, &ar);
        break;
    case HP_FUZZ_PARTIAL_TOKEN_SORT_RATIO:
        st = partial_token_sort_ratio(out, &sa, &sb, cutoff, &ar);
        break;
    case HP_FUZZ_PARTIAL_TOKEN_SET_RATIO:
        st = partial_token_set_ratio(out, &sa, &sb, cutoff, &ar);
        break;
    case HP_FUZZ_PARTIAL_TOKEN_RATIO:
        st = partial_token_ratio(out, &sa, &sb, cutoff, &ar);
        break;
    case HP_FUZZ_WRATIO:
        st = wratio(out, &sa, &sb, cutoff, &ar);
        break;
    default:
        st = hp__fail(HP_EINVAL, "unknown fuzz scorer %d", (int)sc->id);
        break;
    }
    arena_release(&ar);
    if (st != HP_OK) *out = 0;
    return st;
}

hp_status hp__fuzz_partial_ratio_alignment(hp_alignment *out, const uint32_t *a, size_t la,
                                           const uint32_t *b, size_t lb, double cutoff) {
    if (isnan(cutoff) || cutoff < 0) cutoff = 0;
    arena ar;
    arena_init(&ar);
    hp_status st = partial_alignment(out, a, la, NULL, b, lb, NULL, cutoff, &ar);
    arena_release(&ar);
    if (st != HP_OK || out->score < cutoff) *out = (hp_alignment){0, 0, 0, 0, 0};
    return st;
}
