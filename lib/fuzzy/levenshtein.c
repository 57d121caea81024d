/*
 * lib/fuzzy/levenshtein.c — weighted Levenshtein distance and the edit scripts of
 * Levenshtein, Indel and LCSseq (rapidfuzz.distance.Levenshtein / Indel / LCSseq).
 *
 * Which algorithm, by weights w = (insert, delete, substitute):
 *   - insert == delete == 0: the distance is 0 (anything is free to rewrite).
 *   - insert == delete == substitute = x: x times the unit-cost distance, computed as
 *       * max < 4 (after dividing the cutoff by x): a bounded depth-first search over
 *         the mismatches (the idea of mbleven: only a handful of edit sequences fit in
 *         so small a budget, each checked in one linear pass);
 *       * the shorter sequence fits a word: Hyyrö's bit-parallel form of Myers'
 *         algorithm (Myers 1999, Hyyrö 2003), O(n) word operations;
 *       * otherwise the blocked variant (ceil(m/64) words per column, carries passed
 *         between words) restricted to Ukkonen's diagonal band: a cell (i, j) can lie
 *         on a path of cost <= max only if |i - j| + |(m - i) - (n - j)| <= max, and
 *         the band shrinks as the computed scores give a tighter upper bound on the
 *         distance; blocks above the band whose cells all exceed max are dropped.
 *         Cells outside the band only ever hold over-estimates, so every cell on an
 *         optimal path is exact whenever the distance is <= max.
 *   - insert == delete == x, substitute >= 2x: x times the Indel distance (hp__lcs).
 *   - any other weights: Wagner–Fischer dynamic programming over one column — the only
 *     general method for arbitrary costs; the common prefix and suffix are removed
 *     first (they never change the distance).
 *
 * Edit scripts reproduce RapidFuzz's choice among equal-cost scripts: the alignment is
 * read back from the bit-parallel matrices (Hyyrö 2004, "A note on bit-parallel
 * alignment computation") from the end, preferring a deletion, then an insertion,
 * then a diagonal step; Levenshtein splits very large problems like Hirschberg at the
 * middle row of b and the first column of minimal cost, exactly where RapidFuzz splits,
 * and every sub-problem first removes its own common affixes.
 */
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"

static size_t prefix_len(const uint32_t *a, size_t la, const uint32_t *b, size_t lb) {
    size_t n = la < lb ? la : lb, i = 0;
    while (i < n && a[i] == b[i]) i++;
    return i;
}

static size_t suffix_len(const uint32_t *a, size_t la, const uint32_t *b, size_t lb) {
    size_t n = la < lb ? la : lb, i = 0;
    while (i < n && a[la - 1 - i] == b[lb - 1 - i]) i++;
    return i;
}

/* ---------------------------------------------------------------- Wagner–Fischer */

static uint64_t min3(uint64_t x, uint64_t y, uint64_t z) {
    uint64_t m = x < y ? x : y;
    return m < z ? m : z;
}

/* Weighted distance of a -> b by one DP column over a. */
static hp_status wagner_fischer(uint64_t *out, const uint32_t *a, size_t la, const uint32_t *b,
                                size_t lb, uint64_t ins, uint64_t del, uint64_t sub) {
    uint64_t stack[129];
    uint64_t *col = la < 129 ? stack : hp__malloc((la + 1) * sizeof(uint64_t));
    HP_RETURN_IF(!col, HP_ENOMEM, "no memory for Levenshtein of %zu x %zu elements", la, lb);
    for (size_t i = 0; i <= la; i++) col[i] = i * del;
    for (size_t j = 0; j < lb; j++) {
        uint64_t diag = col[0];
        col[0] += ins;
        for (size_t i = 0; i < la; i++) {
            uint64_t x = diag;
            if (a[i] != b[j]) x = min3(col[i] + del, col[i + 1] + ins, diag + sub);
            diag = col[i + 1];
            col[i + 1] = x;
        }
    }
    *out = col[la];
    if (col != stack) hp__free(col);
    return HP_OK;
}

static hp_status generic_distance(uint64_t *out, const uint32_t *a, size_t la, const uint32_t *b,
                                  size_t lb, const uint64_t w[3], uint64_t max) {
    uint64_t ins = w[0], del = w[1], sub = w[2];
    uint64_t least = la >= lb ? (la - lb) * del : (lb - la) * ins;
    if (least > max) {
        *out = least;
        return HP_OK;
    }
    size_t pre = prefix_len(a, la, b, lb);
    a += pre, b += pre, la -= pre, lb -= pre;
    size_t suf = suffix_len(a, la, b, lb);
    la -= suf, lb -= suf;
    /* one column over the shorter side: a -> b with (ins, del) is b -> a with (del, ins) */
    if (la > lb) return wagner_fischer(out, b, lb, a, la, del, ins, sub);
    return wagner_fischer(out, a, la, b, lb, ins, del, sub);
}

/* ---------------------------------------------------------------- unit cost, small max */

/* Unit-cost distance if it is <= k, else k + 1: depth-first over the three ways to
 * resolve each mismatch. a and b have no common affix at the top call. */
static size_t bounded_edits(const uint32_t *a, size_t la, const uint32_t *b, size_t lb, size_t k) {
    while (la && lb && *a == *b) a++, b++, la--, lb--;
    if (!la || !lb) return la + lb <= k ? la + lb : k + 1;
    size_t diff = la > lb ? la - lb : lb - la;
    if (k == 0 || diff > k) return k + 1;
    size_t best = k + 1, r;
    r = 1 + bounded_edits(a + 1, la - 1, b + 1, lb - 1, k - 1);
    if (r < best) best = r;
    r = 1 + bounded_edits(a + 1, la - 1, b, lb, k - 1);
    if (r < best) best = r;
    r = 1 + bounded_edits(a, la, b + 1, lb - 1, k - 1);
    if (r < best) best = r;
    return best;
}

/* ---------------------------------------------------------------- one word (m <= 64) */

/*
 * Hyyrö's step for pattern a (m <= 64 elements, its match words from get()) against
 * b. VP/VN hold the vertical +1/-1 deltas of the current DP column; the distance is
 * tracked at row m. Stops once even a perfect rest of b could not bring it to max.
 */

static uint64_t hyyro_pm1(const hp__pm1 *pm, size_t m, const uint32_t *b, size_t n, uint64_t max) {
    uint64_t VP = ~(uint64_t)0, VN = 0, last = (uint64_t)1 << (m - 1);
    uint64_t dist = m;
    for (size_t j = 0; j < n; j++) {
        uint64_t X = hp__pm1_get(pm, b[j]);
        HYYRO_COLUMN(X, VP, VN, last, dist);
        if (dist > max && dist - max > n - 1 - j) return max + 1;
    }
    return dist;
}

static uint64_t hyyro_pm(const hp__pm *pm, size_t m, const uint32_t *b, size_t n, uint64_t max) {
    uint64_t VP = ~(uint64_t)0, VN = 0, last = (uint64_t)1 << (m - 1);
    uint64_t dist = m;
    for (size_t j = 0; j < n; j++) {
        uint64_t X = hp__pm_get(pm, b[j])[0];
        HYYRO_COLUMN(X, VP, VN, last, dist);
        if (dist > max && dist - max > n - 1 - j) return max + 1;
    }
    return dist;
}

/* ---------------------------------------------------------------- blocked, banded */

/* The block holding row `row` (1-based, clamped to [1, m]). */
static size_t row_block(int64_t row, size_t m) {
    if (row < 1) row = 1;
    if ((uint64_t)row > m) row = (int64_t)m;
    return (size_t)(row - 1) / 64;
}

/*
 * Unit distance of pattern a (m > 64, words from pm) and b (n), exact if <= max,
 * else some value > max. Requires |m - n| <= max <= max(m, n). scratch: 3 * words.
 *
 * Column j's band is rows [j - (max + d) / 2, j + (max - d) / 2] with d = n - m;
 * score[w] is the DP value at the last row of block w.
 */
static uint64_t myers_band(const hp__pm *pm, size_t m, const uint32_t *b, size_t n, uint64_t max,
                           uint64_t *scratch) {
    size_t words = (m + 63) / 64;
    uint64_t *vp = scratch, *vn = scratch + words, *score = scratch + 2 * words;
    uint64_t lastbit = (uint64_t)1 << ((m - 1) % 64);
    int64_t d = (int64_t)n - (int64_t)m;
    int64_t mx = (int64_t)max;
    size_t first = 0, last = 0;
    /* value of the diagonal cell, from column max(d, 0) on (row 0 or column 0) */
    uint64_t diag = d >= 0 ? (uint64_t)d : (uint64_t)-d;
    vp[0] = ~(uint64_t)0;
    vn[0] = 0;
    score[0] = m < 64 ? m : 64;
    for (size_t j = 1; j <= n; j++) {
        int64_t jj = (int64_t)j;
        size_t want_first = row_block(jj - (mx + d) / 2, m);
        size_t want_last = row_block(jj + (mx - d) / 2, m);
        for (size_t w = last + 1; w <= want_last; w++) {
            /* over-estimate: each row one more than the one above */
            size_t end = (w + 1) * 64 < m ? (w + 1) * 64 : m;
            vp[w] = ~(uint64_t)0;
            vn[w] = 0;
            score[w] = score[w - 1] + (end - w * 64);
        }
        last = want_last;
        if (want_first > first) first = want_first;
        if (first > last) return max + 1;

        const uint64_t *M = hp__pm_get(pm, b[j - 1]);
        uint64_t hp_c = 1, hn_c = 0, d0_diag = 0;
        /* the diagonal cell's row (1-based) is j - d; its D0 bit is kept below */
        int64_t di = jj - d;
        size_t wd = di >= 1 ? (size_t)(di - 1) / 64 : SIZE_MAX;
        uint64_t diag_bit = di >= 1 ? (uint64_t)1 << ((di - 1) % 64) : 0;
        /* full words: the carries are the top bits; the pattern's last word may be
         * partial, its carry is read at lastbit */
        size_t full_end = last < words - 1 ? last + 1 : last;
        for (size_t w = first; w < full_end; w++) {
            uint64_t VP = vp[w], VN = vn[w], D0, HP, HN;
            uint64_t X = M[w] | hn_c;
            HYYRO_STEP(X, VP, VN, D0, HP, HN);
            d0_diag = w == wd ? D0 : d0_diag;
            uint64_t hp_out = HP >> 63, hn_out = HN >> 63;
            score[w] = score[w] + hp_out - hn_out;
            HP = (HP << 1) | hp_c;
            HN = (HN << 1) | hn_c;
            vp[w] = HN | ~(D0 | HP);
            vn[w] = HP & D0;
            hp_c = hp_out;
            hn_c = hn_out;
        }
        if (full_end == last) {
            uint64_t VP = vp[last], VN = vn[last], D0, HP, HN;
            uint64_t X = M[last] | hn_c;
            HYYRO_STEP(X, VP, VN, D0, HP, HN);
            d0_diag = last == wd ? D0 : d0_diag;
            score[last] = score[last] + ((HP & lastbit) != 0) - ((HN & lastbit) != 0);
            HP = (HP << 1) | hp_c;
            HN = (HN << 1) | hn_c;
            vp[last] = HN | ~(D0 | HP);
            vn[last] = HP & D0;
        }

        /* The cell of column j on the diagonal through (m, n): values never decrease
         * along a diagonal, so it bounds the distance from below, and going straight
         * down that diagonal bounds it from above. It is tracked as Hyyrö's small-band
         * variant does: one more per column unless D0 says the diagonal step was free.
         * (The cell lies in the band, and so do the paths that reach it when the
         * distance is <= max: its value is exact then.) */
        if (jj > d) {
            diag += (d0_diag & diag_bit) == 0;
            if (diag > (uint64_t)mx) return max + 1;
            if (diag + (n - j) < (uint64_t)mx) mx = (int64_t)(diag + (n - j));
        }
        /* so does a path from the last block's bottom cell */
        size_t end = (last + 1) * 64 < m ? (last + 1) * 64 : m;
        size_t rest = m - end > n - j ? m - end : n - j;
        uint64_t ub = score[last] + rest;
        if (ub < (uint64_t)mx) mx = (int64_t)ub;
        /* drop top blocks whose every cell exceeds the bound */
        while (first <= last) {
            size_t rows = (first + 1) * 64 < m ? 64 : m - first * 64;
            if (score[first] <= (uint64_t)mx + rows - 1) break;
            first++;
        }
        if (first > last) return max + 1;
    }
    if (last != words - 1) return max + 1;
    return score[last];
}

/* The unbanded pass (no cutoff below the matrix size) for a fixed number of words W
 * (2..8): the same steps as myers_band over the whole column, with the W words of VP/VN
 * kept in registers and the carry chain unrolled by the compiler. */
#define LEV_BLOCKS_FIXED(W)                                                                 \
    static uint64_t lev_blocks_##W(const hp__pm *pm, size_t m, const uint32_t *b, size_t n) { \
        uint64_t vp[W], vn[W];                                                              \
        for (size_t w = 0; w < (W); w++) vp[w] = ~(uint64_t)0, vn[w] = 0;                   \
        uint64_t lastbit = (uint64_t)1 << ((m - 1) % 64), score = m;                        \
        for (size_t j = 0; j < n; j++) {                                                    \
            const uint64_t *M = hp__pm_get(pm, b[j]);                                       \
            uint64_t hp_c = 1, hn_c = 0;                                                    \
            for (size_t w = 0; w < (W); w++) {                                              \
                uint64_t VP = vp[w], VN = vn[w], D0, HP, HN;                                \
                uint64_t X = M[w] | hn_c;                                                   \
                HYYRO_STEP(X, VP, VN, D0, HP, HN);                                          \
                uint64_t hp_out, hn_out;                                                    \
                if (w == (W) - 1) {                                                         \
                    hp_out = (HP & lastbit) != 0;                                           \
                    hn_out = (HN & lastbit) != 0;                                           \
                    score = score + hp_out - hn_out;                                        \
                } else {                                                                    \
                    hp_out = HP >> 63;                                                      \
                    hn_out = HN >> 63;                                                      \
                }                                                                           \
                HP = (HP << 1) | hp_c;                                                      \
                HN = (HN << 1) | hn_c;                                                      \
                vp[w] = HN | ~(D0 | HP);                                                    \
                vn[w] = HP & D0;                                                            \
                hp_c = hp_out;                                                              \
                hn_c = hn_out;                                                              \
            }                                                                               \
        }                                                                                   \
        return score;                                                                       \
    }
LEV_BLOCKS_FIXED(2)
LEV_BLOCKS_FIXED(3)
LEV_BLOCKS_FIXED(4)
LEV_BLOCKS_FIXED(5)
LEV_BLOCKS_FIXED(6)
LEV_BLOCKS_FIXED(7)
LEV_BLOCKS_FIXED(8)
#undef LEV_BLOCKS_FIXED

static uint64_t (*const lev_blocks_fixed[9])(const hp__pm *, size_t, const uint32_t *, size_t) = {
    NULL, NULL, lev_blocks_2, lev_blocks_3, lev_blocks_4, lev_blocks_5, lev_blocks_6,
    lev_blocks_7, lev_blocks_8};

/* myers_band, or the fixed-width unbanded pass when the band is the whole matrix. */
static uint64_t myers_any(const hp__pm *pm, size_t m, const uint32_t *b, size_t n, uint64_t max,
                          uint64_t *scratch) {
    size_t words = (m + 63) / 64;
    if (words >= 2 && words <= 8 && pm->words >= words && max >= (m > n ? m : n))
        return lev_blocks_fixed[words](pm, m, b, n);
    return myers_band(pm, m, b, n, max, scratch);
}

/* ---------------------------------------------------------------- unit-cost driver */

static hp_status unit_distance(uint64_t *out, const hp__pm *pm, const uint32_t *a, size_t la,
                               const uint32_t *b, size_t lb, uint64_t max) {
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > max) {
        *out = diff;
        return HP_OK;
    }
    if (max == 0) {
        *out = la == lb && (la == 0 || memcmp(a, b, la * sizeof *a) == 0) ? 0 : 1;
        return HP_OK;
    }
    size_t pre = prefix_len(a, la, b, lb);
    size_t suf = suffix_len(a + pre, la - pre, b + pre, lb - pre);
    size_t ma = la - pre - suf, mb = lb - pre - suf;
    if (!ma || !mb) {
        *out = ma + mb;
        return HP_OK;
    }
    if (max < 4) {
        *out = bounded_edits(a + pre, ma, b + pre, mb, (size_t)max);
        return HP_OK;
    }
    /* The caller's pm (built from a) stays valid when only a suffix is removed: bits
     * above the pattern never influence the ones below. With a prefix removed it is
     * used by keeping the prefix (a few more steps instead of a rebuild). */
    if (pm && ma > 64 && mb > 64) {
        size_t m = la - suf, n = lb - suf;
        uint64_t mx = max < (m > n ? m : n) ? max : (m > n ? m : n);
        uint64_t stack[3 * 16];
        size_t words = (m + 63) / 64;
        uint64_t *scratch = words <= 16 ? stack : hp__malloc(3 * words * sizeof(uint64_t));
        HP_RETURN_IF(!scratch, HP_ENOMEM, "no memory for Levenshtein of %zu x %zu elements", la,
                     lb);
        *out = myers_any(pm, m, b, n, mx, scratch);
        if (scratch != stack) hp__free(scratch);
        return HP_OK;
    }
    a += pre, b += pre;
    if (pm && pre == 0 && ma <= 64) {
        *out = hyyro_pm(pm, ma, b, mb, max);
        return HP_OK;
    }
    /* the shorter side becomes the pattern (the distance is symmetric) */
    if (ma > mb) {
        const uint32_t *t = a;
        a = b, b = t;
        size_t tn = ma;
        ma = mb, mb = tn;
    }
    if (hp__short16_ok(ma)) { /* no table to build: see pm.c */
        *out = hp__lev_short16(a, ma, b, mb, max);
        return HP_OK;
    }
    if (ma <= 64) {
        hp__pm1 spare;
        hp__pm1 *p1 = hp__pm1_begin(&spare, a, ma);
        *out = hyyro_pm1(p1, ma, b, mb, max);
        hp__pm1_end(p1, a, ma);
        return HP_OK;
    }
    uint64_t mx = max < mb ? max : mb;
    hp__pm local;
    HP_FORWARD_IF_ERROR(hp__pm_build(&local, a, ma));
    uint64_t stack[3 * 16];
    size_t words = local.words;
    uint64_t *scratch = words <= 16 ? stack : hp__malloc(3 * words * sizeof(uint64_t));
    if (!scratch) {
        hp__pm_release(&local);
        return hp__fail(HP_ENOMEM, "no memory for Levenshtein of %zu x %zu elements", la, lb);
    }
    *out = myers_any(&local, ma, b, mb, mx, scratch);
    if (scratch != stack) hp__free(scratch);
    hp__pm_release(&local);
    return HP_OK;
}

hp_status hp__levenshtein(uint64_t *out, const hp__pm *pm, const uint32_t *a, size_t la,
                          const uint32_t *b, size_t lb, const uint64_t w[3], uint64_t max) {
    uint64_t ins = w[0], del = w[1], sub = w[2];
    if (ins == del) {
        if (ins == 0) {
            *out = 0;
            return HP_OK;
        }
        if (sub == ins || sub >= 2 * ins) {
            uint64_t unit_max = max / ins, d;
            if (sub == ins) {
                HP_FORWARD_IF_ERROR(unit_distance(&d, pm, a, la, b, lb, unit_max));
            } else {
                /* Indel distance la + lb - 2 lcs <= unit_max  <=>  lcs >= min_lcs */
                uint64_t sum = (uint64_t)la + lb;
                size_t min_lcs = unit_max < sum ? (size_t)((sum - unit_max + 1) / 2) : 0;
                size_t lcs = 0;
                HP_FORWARD_IF_ERROR(hp__lcs(&lcs, pm, a, la, b, lb, min_lcs));
                d = sum - 2 * (uint64_t)lcs;
            }
            *out = d * ins;
            return HP_OK;
        }
    }
    return generic_distance(out, a, la, b, lb, w, max);
}

/* ---------------------------------------------------------------- edit scripts */

/* Full (unbanded) blocked Myers of pattern a (m >= 1, words from pm) against b (n).
 * Leaves the last column's deltas in vp/vn (words each); when rec_vp is not NULL also
 * records every column j (0-based) at rec_vp[j * words]. Returns D[m][n]. */
static size_t myers_full(const hp__pm *pm, size_t m, const uint32_t *b, size_t n, uint64_t *vp,
                         uint64_t *vn, uint64_t *rec_vp, uint64_t *rec_vn) {
    size_t words = (m + 63) / 64;
    uint64_t lastbit = (uint64_t)1 << ((m - 1) % 64);
    size_t dist = m;
    for (size_t w = 0; w < words; w++) vp[w] = ~(uint64_t)0, vn[w] = 0;
    for (size_t j = 0; j < n; j++) {
        const uint64_t *M = hp__pm_get(pm, b[j]);
        uint64_t hp_c = 1, hn_c = 0;
        for (size_t w = 0; w < words; w++) {
            uint64_t VP = vp[w], VN = vn[w], D0, HP, HN;
            uint64_t X = M[w] | hn_c;
            HYYRO_STEP(X, VP, VN, D0, HP, HN);
            uint64_t bit = w == words - 1 ? lastbit : (uint64_t)1 << 63;
            uint64_t hp_out = (HP & bit) != 0, hn_out = (HN & bit) != 0;
            HP = (HP << 1) | hp_c;
            HN = (HN << 1) | hn_c;
            vp[w] = HN | ~(D0 | HP);
            vn[w] = HP & D0;
            hp_c = hp_out;
            hn_c = hn_out;
        }
        dist = dist + hp_c - hn_c;
        if (rec_vp) {
            memcpy(rec_vp + j * words, vp, words * sizeof(uint64_t));
            memcpy(rec_vn + j * words, vn, words * sizeof(uint64_t));
        }
    }
    return dist;
}

#define EDIT(ops, k, t, s, d)                                                              \
    ((ops)[k] = (hp_editop){(uint32_t)(t), 0, (uint64_t)(s), (uint64_t)(d)})

static bool test_bit(const uint64_t *rec, size_t words, size_t row, size_t col) {
    return (rec[row * words + col / 64] >> (col % 64)) & 1;
}

/* Levenshtein script of a -> b from the full bit matrices, written to ops[pos..pos+dist)
 * with positions offset by (src, dst). */
static hp_status lev_align_full(hp_editop *ops, size_t pos, const uint32_t *a, size_t m,
                                const uint32_t *b, size_t n, size_t src, size_t dst) {
    size_t dist = m + n, words = (m + 63) / 64;
    uint64_t *rec = NULL;
    hp__pm pm;
    bool have_pm = false;
    if (m && n) {
        size_t cells;
        HP_RETURN_IF(!hp__mul_size(words, n, &cells) || cells > SIZE_MAX / 16 - 2 * words,
                     HP_EOVERFLOW, "editops of %zu x %zu elements are too large", m, n);
        HP_FORWARD_IF_ERROR(hp__pm_build(&pm, a, m));
        have_pm = true;
        rec = hp__malloc((2 * cells + 2 * words) * sizeof(uint64_t));
        if (!rec) {
            hp__pm_release(&pm);
            return hp__fail(HP_ENOMEM, "no memory for editops of %zu x %zu elements", m, n);
        }
        dist = myers_full(&pm, m, b, n, rec + 2 * cells, rec + 2 * cells + words, rec,
                          rec + cells);
    }
    const uint64_t *VP = rec, *VN = rec ? rec + words * n : NULL;
    size_t col = m, row = n;
    while (row && col) {
        if (test_bit(VP, words, row - 1, col - 1)) {
            dist--, col--;
            EDIT(ops, pos + dist, HP_EDIT_DELETE, col + src, row + dst);
        } else {
            row--;
            if (row && test_bit(VN, words, row - 1, col - 1)) {
                dist--;
                EDIT(ops, pos + dist, HP_EDIT_INSERT, col + src, row + dst);
            } else {
                col--;
                if (a[col] != b[row]) {
                    dist--;
                    EDIT(ops, pos + dist, HP_EDIT_REPLACE, col + src, row + dst);
                }
            }
        }
    }
    while (col) {
        dist--, col--;
        EDIT(ops, pos + dist, HP_EDIT_DELETE, col + src, row + dst);
    }
    while (row) {
        dist--, row--;
        EDIT(ops, pos + dist, HP_EDIT_INSERT, col + src, row + dst);
    }
    hp__free(rec);
    if (have_pm) hp__pm_release(&pm);
    return HP_OK;
}

/* D[i][n] for i = 0..m (out has m + 1 entries): the last row of a vs b. */
static hp_status last_row(size_t *out, const uint32_t *a, size_t m, const uint32_t *b, size_t n) {
    size_t words = (m + 63) / 64;
    hp__pm pm;
    HP_FORWARD_IF_ERROR(hp__pm_build(&pm, a, m));
    uint64_t *v = hp__malloc(2 * words * sizeof(uint64_t));
    if (!v) {
        hp__pm_release(&pm);
        return hp__fail(HP_ENOMEM, "no memory for editops of %zu x %zu elements", m, n);
    }
    myers_full(&pm, m, b, n, v, v + words, NULL, NULL);
    out[0] = n;
    for (size_t i = 0; i < m; i++)
        out[i + 1] = out[i] + ((v[i / 64] >> (i % 64)) & 1) - ((v[words + i / 64] >> (i % 64)) & 1);
    hp__free(v);
    hp__pm_release(&pm);
    return HP_OK;
}

static hp_status lev_align(hp_editop *ops, size_t pos, const uint32_t *a, size_t m,
                           const uint32_t *b, size_t n, size_t max, size_t src, size_t dst);

/* Hirschberg step: split b at n / 2 and a at the first column of least total cost. */
static hp_status lev_split(hp_editop *ops, size_t pos, const uint32_t *a, size_t m,
                           const uint32_t *b, size_t n, size_t src, size_t dst) {
    size_t mid = n / 2, rn = n - mid;
    size_t *left = hp__malloc(2 * (m + 1) * sizeof(size_t));
    uint32_t *rev = hp__malloc((m + rn) * sizeof(uint32_t));
    hp_status st = HP_OK;
    if (!left || !rev) {
        st = hp__fail(HP_ENOMEM, "no memory for editops of %zu x %zu elements", m, n);
        goto done;
    }
    size_t *right = left + m + 1;
    for (size_t i = 0; i < m; i++) rev[i] = a[m - 1 - i];
    for (size_t j = 0; j < rn; j++) rev[m + j] = b[n - 1 - j];
    st = last_row(right, rev, m, rev + m, rn);
    if (st != HP_OK) goto done;
    st = last_row(left, a, m, b, mid);
    if (st != HP_OK) goto done;
    size_t best = SIZE_MAX, cut = 0;
    for (size_t i = 0; i <= m; i++) {
        size_t s = left[i] + right[m - i];
        if (s < best) best = s, cut = i;
    }
    size_t lscore = left[cut], rscore = right[m - cut];
    hp__free(left);
    hp__free(rev);
    left = NULL, rev = NULL;
    st = lev_align(ops, pos, a, cut, b, mid, lscore, src, dst);
    if (st == HP_OK)
        st = lev_align(ops, pos + lscore, a + cut, m - cut, b + mid, n - mid, rscore, src + cut,
                       dst + mid);
done:
    hp__free(left);
    hp__free(rev);
    return st;
}

/* RapidFuzz's rule for when to split: the banded matrix pair would take >= 1 MiB. */
static hp_status lev_align(hp_editop *ops, size_t pos, const uint32_t *a, size_t m,
                           const uint32_t *b, size_t n, size_t max, size_t src, size_t dst) {
    size_t pre = prefix_len(a, m, b, n);
    a += pre, b += pre, m -= pre, n -= pre;
    src += pre, dst += pre;
    size_t suf = suffix_len(a, m, b, n);
    m -= suf, n -= suf;
    size_t longest = m > n ? m : n;
    if (max > longest) max = longest;
    size_t band = 2 * max + 1 < m ? 2 * max + 1 : m;
    if (2 * band * n / 8 < ((size_t)1 << 20) || m < 65 || n < 10)
        return lev_align_full(ops, pos, a, m, b, n, src, dst);
    return lev_split(ops, pos, a, m, b, n, src, dst);
}

/* Indel / LCSseq script from the bit-parallel LCS matrix. */
static hp_status indel_editops(hp_editop **out, size_t *out_count, const uint32_t *a, size_t m,
                               const uint32_t *b, size_t n, size_t off) {
    size_t words = (m + 63) / 64;
    uint64_t *rec = NULL;
    size_t lcs = 0;
    hp__pm pm;
    bool have_pm = false;
    if (m && n) {
        size_t cells;
        HP_RETURN_IF(!hp__mul_size(words, n, &cells) || cells > SIZE_MAX / 8 - words,
                     HP_EOVERFLOW, "editops of %zu x %zu elements are too large", m, n);
        HP_FORWARD_IF_ERROR(hp__pm_build(&pm, a, m));
        have_pm = true;
        rec = hp__malloc((cells + words) * sizeof(uint64_t));
        if (!rec) {
            hp__pm_release(&pm);
            return hp__fail(HP_ENOMEM, "no memory for editops of %zu x %zu elements", m, n);
        }
        uint64_t *S = rec + cells;
        for (size_t w = 0; w < words; w++) S[w] = ~(uint64_t)0;
        for (size_t j = 0; j < n; j++) {
            const uint64_t *M = hp__pm_get(&pm, b[j]);
            unsigned char carry = 0;
            for (size_t w = 0; w < words; w++) {
                uint64_t u = S[w] & M[w], x;
                unsigned char c1 = __builtin_add_overflow(S[w], u, &x);
                unsigned char c2 = __builtin_add_overflow(x, (uint64_t)carry, &x);
                carry = c1 | c2;
                S[w] = x | (S[w] - u);
            }
            memcpy(rec + j * words, S, words * sizeof(uint64_t));
        }
        for (size_t w = 0; w < words; w++) {
            uint64_t v = ~S[w];
            if (w == words - 1 && m % 64) v &= ((uint64_t)1 << (m % 64)) - 1;
            lcs += (size_t)hp__popcount64(v);
        }
        hp__pm_release(&pm);
        have_pm = false;
    }
    size_t dist = m + n - 2 * lcs;
    hp_status st = HP_OK;
    hp_editop *ops = NULL;
    if (dist) {
        ops = hp__malloc(dist * sizeof *ops);
        if (!ops) {
            st = hp__fail(HP_ENOMEM, "no memory for %zu edit operations", dist);
            goto done;
        }
        size_t col = m, row = n, k = dist;
        while (row && col) {
            if (test_bit(rec, words, row - 1, col - 1)) {
                k--, col--;
                EDIT(ops, k, HP_EDIT_DELETE, col + off, row + off);
            } else {
                row--;
                if (row && !test_bit(rec, words, row - 1, col - 1)) {
                    k--;
                    EDIT(ops, k, HP_EDIT_INSERT, col + off, row + off);
                } else {
                    col--;
                }
            }
        }
        while (col) {
            k--, col--;
            EDIT(ops, k, HP_EDIT_DELETE, col + off, row + off);
        }
        while (row) {
            k--, row--;
            EDIT(ops, k, HP_EDIT_INSERT, col + off, row + off);
        }
    }
    *out = ops;
    *out_count = dist;
done:
    if (have_pm) hp__pm_release(&pm);
    hp__free(rec);
    return st;
}

hp_status hp__editops(hp_editop **out, size_t *out_count, int metric, const uint32_t *a,
                      size_t la, const uint32_t *b, size_t lb) {
    *out = NULL;
    *out_count = 0;
    if (metric != HP_METRIC_LEVENSHTEIN) {
        size_t pre = prefix_len(a, la, b, lb);
        size_t suf = suffix_len(a + pre, la - pre, b + pre, lb - pre);
        return indel_editops(out, out_count, a + pre, la - pre - suf, b + pre, lb - pre - suf,
                             pre);
    }
    uint64_t dist;
    HP_FORWARD_IF_ERROR(unit_distance(&dist, NULL, a, la, b, lb, UINT64_MAX));
    if (dist == 0) return HP_OK;
    hp_editop *ops = hp__malloc((size_t)dist * sizeof *ops);
    HP_RETURN_IF(!ops, HP_ENOMEM, "no memory for %zu edit operations", (size_t)dist);
    hp_status st = lev_align(ops, 0, a, la, b, lb, la > lb ? la : lb, 0, 0);
    if (st != HP_OK) {
        hp__free(ops);
        return st;
    }
    *out = ops;
    *out_count = (size_t)dist;
    return HP_OK;
}
