/*
 * lib/fuzzy/jaro.c — Jaro and Jaro-Winkler similarity (rapidfuzz.distance.Jaro,
 * JaroWinkler).
 *
 * Definition (as RapidFuzz computes it): with window B = max(la, lb) / 2 - 1, every
 * element a[i] in turn is matched to the first not yet matched b[j] with |i - j| <= B
 * and b[j] == a[i]; m is the number of matches and t the number of positions where
 * the k-th matched element of a differs from the k-th matched element of b; then
 *     jaro = (m / la + m / lb + (m - t / 2) / m) / 3    (0 when m == 0),
 * both empty gives 1 and one empty gives 0. Jaro-Winkler adds p * w * (1 - jaro) when
 * jaro > 0.7, p being the common prefix length capped at 4 and w the prefix weight.
 *
 * Algorithm: bit-parallel greedy matching. The positions of b are bits of a mask: per
 * element of a, the candidates are match_mask(a[i]) & window(i) & ~matched_b, and the
 * lowest candidate bit is taken (the "first j" of the definition), so each element of a
 * costs O(1) word operations when b fits in 64 elements (O(B / 64) for longer b, words
 * outside the window are not touched). Transpositions then pair the matched elements
 * of a, kept in order, with the set bits of matched_b in order. This is the scheme of
 * RapidFuzz's C++ implementation (which iterates b against masks of a; Jaro is
 * symmetric, so either side may be the mask side — the shorter one is chosen).
 *
 * Before matching: the length filter (even with every element of the shorter string
 * matched and no transposition the score stays below min) returns at once; elements
 * beyond min(la, lb) + B can never be in a window and are dropped; a common prefix
 * matches itself and is counted without the bit work.
 */
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"
#include "pm_small.h"

/* RapidFuzz's formula, in its evaluation order (results agree bit for bit). */
static double jaro_formula(size_t la, size_t lb, size_t m, size_t t) {
    double sim = 0;
    sim += (double)m / (double)la;
    sim += (double)m / (double)lb;
    sim += ((double)m - (double)(t / 2)) / (double)m;
    return sim / 3.0;
}

/* Bits lo..hi of a word (lo <= hi <= 63). */
static inline uint64_t bit_range(size_t lo, size_t hi) {
    uint64_t upto = hi >= 63 ? ~(uint64_t)0 : ((uint64_t)2 << hi) - 1;
    return upto & (~(uint64_t)0 << lo);
}

/* Where match_word reads the match words of b: a per-thread direct table built from b,
 * or a prepared query's hp__pm (one word) built from a longer sequence whose element
 * `shift` is b[0], so its words are shifted down. */
typedef struct mask_src {
    const hp__pm1 *p1;
    const hp__pm *pm;
    unsigned shift;
} mask_src;

static inline uint64_t mask_of(const mask_src *m, uint32_t c) {
    if (m->p1) return hp__pm1_get(m->p1, c);
    return hp__pm_get(m->pm, c)[0] >> m->shift;
}

/* Matching and transpositions with b in one word (nb <= 64), b's match words from src.
 * Returns m; *t receives the transposition count (before halving). Branch-free per
 * element of a (whether an element finds a partner is as good as random, so a branch on
 * it mispredicts half the time): the window is two shifts, the lowest candidate is
 * cand & -cand, and the element is written to matched[] every time but only counted
 * when it matched. */
static size_t match_word(size_t *t, const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                         size_t bound, const mask_src *src) {
    uint32_t matched[65];
    uint64_t flagged = 0;
    size_t m = 0;
    if (na > nb + bound) na = nb + bound; /* later elements have an empty window */
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > bound ? i - bound : 0;   /* < nb */
        size_t hi = i + bound < nb - 1 ? i + bound : nb - 1;
        uint64_t window = (~(uint64_t)0 >> (63 - hi)) & (~(uint64_t)0 << lo);
        uint64_t cand = mask_of(src, a[i]) & ~flagged & window;
        flagged |= cand & (~cand + 1);
        matched[m] = a[i];
        m += cand != 0;
    }
    size_t trans = 0;
    for (size_t k = 0; k < m; k++) {
        trans += matched[k] != b[__builtin_ctzll(flagged)];
        flagged &= flagged - 1;
    }
    *t = trans;
    return m;
}

/* match_word with a per-thread table built from b. */
static size_t match_word_table(size_t *t, const uint32_t *a, size_t na, const uint32_t *b,
                               size_t nb, size_t bound) {
    hp__pm1 spare, *p1 = hp__pm1_begin(&spare, b, nb); /* direct for values below 256 */
    mask_src src = {p1, NULL, 0};
    size_t m = match_word(t, a, na, b, nb, bound, &src);
    hp__pm1_end(p1, b, nb);
    return m;
}

/* The same for b longer than 64 elements: masks from hp__pm, the window spans words. */
static hp_status match_blocked(size_t *out_m, size_t *t, const uint32_t *a, size_t na,
                               const uint32_t *b, size_t nb, size_t bound) {
    hp__pm pm;
    HP_FORWARD_IF_ERROR(hp__pm_build(&pm, b, nb));
    size_t words = pm.words;
    size_t cap = na < nb ? na : nb;
    uint64_t *flagged = hp__malloc(words * sizeof(uint64_t) + cap * sizeof(uint32_t));
    if (flagged == NULL) {
        hp__pm_release(&pm);
        return hp__fail(HP_ENOMEM, "no memory for Jaro of %zu and %zu elements", na, nb);
    }
    memset(flagged, 0, words * sizeof(uint64_t));
    uint32_t *matched = (uint32_t *)(flagged + words);
    size_t m = 0;
    for (size_t i = 0; i < na; i++) {
        size_t lo = i > bound ? i - bound : 0;
        if (lo >= nb) break;
        size_t hi = i + bound < nb - 1 ? i + bound : nb - 1;
        const uint64_t *pmw = hp__pm_get(&pm, a[i]);
        for (size_t w = lo / 64; w <= hi / 64; w++) {
            size_t wlo = w == lo / 64 ? lo % 64 : 0;
            size_t whi = w == hi / 64 ? hi % 64 : 63;
            uint64_t cand = pmw[w] & ~flagged[w] & bit_range(wlo, whi);
            if (cand) {
                flagged[w] |= cand & (~cand + 1);
                matched[m++] = a[i];
                break;
            }
        }
    }
    size_t trans = 0, w = 0;
    for (size_t k = 0; k < m; k++) {
        while (flagged[w] == 0) w++;
        trans += matched[k] != b[w * 64 + (size_t)__builtin_ctzll(flagged[w])];
        flagged[w] &= flagged[w] - 1;
    }
    hp__free(flagged);
    hp__pm_release(&pm);
    *out_m = m;
    *t = trans;
    return HP_OK;
}

hp_status hp__jaro(double *out, const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                   double min, const hp__pm *pm_a) {
    *out = 0;
    if (la == 0 && lb == 0) {
        *out = 1.0;
        return HP_OK;
    }
    if (la == 0 || lb == 0) return HP_OK;
    size_t short_len = la < lb ? la : lb;
    if (jaro_formula(la, lb, short_len, 0) < min) return HP_OK;
    if (la == 1 && lb == 1) {
        *out = a[0] == b[0];
        return HP_OK;
    }
    size_t bound = (la > lb ? la : lb) / 2 - 1;
    if (pm_a && pm_a->words == 1 && la <= 64) {
        /* a prepared query of at most 64 elements is the mask side whatever b's length
         * (the matching is symmetric), so nothing is built per pair */
        size_t n = la < lb ? la : lb, p = 0;
        while (p < n && a[p] == b[p]) p++;
        size_t m = 0, t = 0;
        if (p < n) {
            mask_src src = {NULL, pm_a, (unsigned)p};
            m = match_word(&t, b + p, lb - p, a + p, la - p, bound, &src);
        }
        m += p;
        if (m == 0) return HP_OK;
        *out = jaro_formula(la, lb, m, t);
        return HP_OK;
    }
    /* Mask the shorter side (symmetric definition). */
    const uint32_t *x = a, *y = b;
    size_t nx = la, ny = lb;
    if (ny > nx) {
        x = b, y = a;
        nx = lb, ny = la;
    }
    if (nx > ny + bound) nx = ny + bound;
    size_t p = 0;
    while (p < ny && x[p] == y[p]) p++;
    size_t m = 0, t = 0;
    if (p < ny && p < nx) {
        if (ny - p <= 64)
            m = match_word_table(&t, x + p, nx - p, y + p, ny - p, bound);
        else
            HP_FORWARD_IF_ERROR(match_blocked(&m, &t, x + p, nx - p, y + p, ny - p, bound));
    }
    m += p;
    if (m == 0) return HP_OK;
    *out = jaro_formula(la, lb, m, t);
    return HP_OK;
}

hp_status hp__jaro_winkler(double *out, const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                           double prefix_weight, double min, const hp__pm *pm_a) {
    size_t n = la < lb ? la : lb;
    if (n > 4) n = 4;
    size_t p = 0;
    while (p < n && a[p] == b[p]) p++;
    /* Jaro-Winkler >= min needs jaro >= jmin: jaro itself when min <= 0.7; above 0.7 the
     * bonus must be there, so jaro > 0.7 and jaro (1 - pw) + pw >= min. A little slack
     * keeps rounding from dropping a pair that reaches min exactly. */
    double pw = (double)p * prefix_weight, jmin = min;
    if (min > 0.7) {
        jmin = 0.7;
        if (pw < 1.0) {
            double need = (min - pw) / (1.0 - pw);
            if (need > jmin) jmin = need;
        }
    }
    double sim = 0;
    HP_FORWARD_IF_ERROR(hp__jaro(&sim, a, la, b, lb, jmin - 1e-9, pm_a));
    if (sim > 0.7) {
        sim += pw * (1.0 - sim);
        if (sim > 1.0) sim = 1.0;
    }
    *out = sim;
    return HP_OK;
}
