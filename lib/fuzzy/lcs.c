/*
 * lib/fuzzy/lcs.c — longest common subsequence (the kernel of Indel, LCSseq and
 * fuzz.ratio).
 *
 * Algorithm: bit-parallel LCS (Allison–Dix 1986, Hyyrö 2004): one machine word holds
 * 64 rows of the DP column; per element of b the column advances with
 *     u = S & PM[c];  S = (S + u) | (S - u)
 * and the LCS is the number of zero bits of S in the first |a| positions. Longer a
 * uses ceil(|a|/64) words with the addition carry passed between words (the "blocked"
 * variant): O(|a|/64 * |b|) time, O(|a|/64) extra space.
 */
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"

static size_t lcs_with_pm(const hp__pm *pm, size_t la, const uint32_t *b, size_t lb,
                          uint64_t *S) {
    size_t words = pm->words;
    for (size_t w = 0; w < words; w++) S[w] = ~(uint64_t)0;
    for (size_t j = 0; j < lb; j++) {
        const uint64_t *M = hp__pm_get(pm, b[j]);
        uint64_t carry = 0;
        for (size_t w = 0; w < words; w++) {
            uint64_t u = S[w] & M[w];
            uint64_t x;
            uint64_t c1 = __builtin_add_overflow(S[w], u, &x);
            uint64_t c2 = __builtin_add_overflow(x, carry, &x);
            carry = c1 | c2;
            S[w] = x | (S[w] - u);
        }
    }
    size_t zeros = 0;
    for (size_t w = 0; w < words; w++) {
        uint64_t v = ~S[w];
        if (w == words - 1 && la % 64) v &= ((uint64_t)1 << (la % 64)) - 1;
        zeros += (size_t)__builtin_popcountll(v);
    }
    return zeros;
}

hp_status hp__lcs(size_t *out, const hp__pm *pm, const uint32_t *a, size_t la, const uint32_t *b,
                  size_t lb, size_t min_lcs) {
    (void)min_lcs;
    if (la == 0 || lb == 0) {
        *out = 0;
        return HP_OK;
    }
    hp__pm local;
    if (!pm) {
        HP_FORWARD_IF_ERROR(hp__pm_build(&local, a, la));
        pm = &local;
    }
    uint64_t stack[8];
    uint64_t *S = pm->words <= 8 ? stack : hp__malloc(pm->words * sizeof(uint64_t));
    hp_status st = HP_OK;
    if (!S) {
        st = hp__fail(HP_ENOMEM, "no memory for LCS of %zu x %zu elements", la, lb);
    } else {
        *out = lcs_with_pm(pm, la, b, lb, S);
        if (S != stack) hp__free(S);
    }
    if (pm == &local) hp__pm_release(&local);
    return st;
}
