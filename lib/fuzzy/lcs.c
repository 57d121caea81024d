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
 *
 * Around it: the common prefix and suffix are part of every LCS and are counted
 * without bit work; when the caller's minimum leaves at most 4 insertions/deletions
 * for the rest, a bounded depth-first search over the mismatches (mbleven's idea)
 * replaces the bit-parallel pass; the shorter side is the pattern (LCS is symmetric)
 * and a pattern of at most 64 elements uses one word and a stack table; the blocked
 * pass stops early once even matching every remaining element of b cannot reach the
 * minimum.
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

/* Indel distance (insertions + deletions) if it is <= k, else k + 1. */
static size_t bounded_indel(const uint32_t *a, size_t la, const uint32_t *b, size_t lb, size_t k) {
    while (la && lb && *a == *b) a++, b++, la--, lb--;
    if (!la || !lb) return la + lb <= k ? la + lb : k + 1;
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > k || (diff == 0 && k < 2)) return k + 1;
    size_t best = 1 + bounded_indel(a + 1, la - 1, b, lb, k - 1);
    size_t r = 1 + bounded_indel(a, la, b + 1, lb - 1, k - 1);
    return r < best ? r : best;
}

static size_t lcs_pm1(const hp__pm1 *pm, size_t m, const uint32_t *b, size_t n) {
    uint64_t S = ~(uint64_t)0;
    for (size_t j = 0; j < n; j++) {
        uint64_t u = S & hp__pm1_get(pm, b[j]);
        S = (S + u) | (S - u);
    }
    uint64_t v = ~S;
    if (m < 64) v &= ((uint64_t)1 << m) - 1;
    return (size_t)hp__popcount64(v);
}

static size_t lcs_pm_word(const hp__pm *pm, size_t m, const uint32_t *b, size_t n) {
    uint64_t S = ~(uint64_t)0;
    for (size_t j = 0; j < n; j++) {
        uint64_t u = S & hp__pm_get(pm, b[j])[0];
        S = (S + u) | (S - u);
    }
    uint64_t v = ~S;
    if (m < 64) v &= ((uint64_t)1 << m) - 1;
    return (size_t)hp__popcount64(v);
}

static size_t zeros(const uint64_t *S, size_t words, size_t m) {
    size_t z = 0;
    for (size_t w = 0; w < words; w++) {
        uint64_t v = ~S[w];
        if (w == words - 1 && m % 64) v &= ((uint64_t)1 << (m % 64)) - 1;
        z += (size_t)hp__popcount64(v);
    }
    return z;
}

/* Blocked pass for pattern length m (> 64) with the words of pm; S has ceil(m/64)
 * words of scratch. Below min_lcs the result is some value below min_lcs. */
static size_t lcs_blocks(const hp__pm *pm, size_t m, const uint32_t *b, size_t n, size_t min_lcs,
                         uint64_t *S) {
    size_t words = (m + 63) / 64;
    for (size_t w = 0; w < words; w++) S[w] = ~(uint64_t)0;
    for (size_t j = 0; j < n; j++) {
        const uint64_t *M = hp__pm_get(pm, b[j]);
        unsigned char carry = 0;
        for (size_t w = 0; w < words; w++) {
            uint64_t u = S[w] & M[w], x;
            unsigned char c1 = __builtin_add_overflow(S[w], u, &x);
            unsigned char c2 = __builtin_add_overflow(x, (uint64_t)carry, &x);
            carry = c1 | c2;
            S[w] = x | (S[w] - u);
        }
        /* every 64 columns: can the rest of b still reach min_lcs? */
        if ((j & 63) == 63 && min_lcs) {
            size_t now = zeros(S, words, m);
            if (now + (n - 1 - j) < min_lcs) return now;
        }
    }
    return zeros(S, words, m);
}

/* The blocked pass for a fixed number of words W (2..8): with a constant trip count the
 * compiler keeps the W words of S in registers and unrolls the carry chain, which is
 * most of the speed for strings of 65..512 elements (the early exit is left out: at
 * these lengths a whole pass costs little more than the checks).
 *
 * On x86-64 the step runs two words at a time in a few lines of inline assembly, since
 * compilers pass the carry between words through setc/add pairs (11 instructions a
 * word). Since u = S & M is a subset of S's bits, S - u borrows nothing: it is S ^ u,
 * word by word, so only the addition carries, and the two words' adds form one adc
 * chain with nothing in between to touch the flags: 6 instructions a word, plus a bt
 * and a setc to take the carry in and out. Elsewhere LCS_STEP2 is the same in C. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define LCS_STEP2(S0, S1, M, C)                                                              \
    do {                                                                                     \
        uint64_t u0_, u1_, y0_, y1_;                                                         \
        __asm__("mov (%[m]), %[u0]\n\t"                                                      \
                "and %[s0], %[u0]\n\t"                                                       \
                "mov %[s0], %[y0]\n\t"                                                       \
                "xor %[u0], %[y0]\n\t"                                                       \
                "mov 8(%[m]), %[u1]\n\t"                                                     \
                "and %[s1], %[u1]\n\t"                                                       \
                "mov %[s1], %[y1]\n\t"                                                       \
                "xor %[u1], %[y1]\n\t"                                                       \
                "bt $0, %k[c]\n\t"                                                           \
                "adc %[s0], %[u0]\n\t"                                                       \
                "adc %[s1], %[u1]\n\t"                                                       \
                "setc %b[c]\n\t"                                                             \
                "or %[u0], %[y0]\n\t"                                                        \
                "or %[u1], %[y1]"                                                            \
                : [c] "+r"(C), [u0] "=&r"(u0_), [u1] "=&r"(u1_), [y0] "=&r"(y0_),           \
                  [y1] "=&r"(y1_)                                                            \
                : [s0] "r"(S0), [s1] "r"(S1), [m] "r"(M), "m"((M)[0]), "m"((M)[1])          \
                : "cc");                                                                     \
        S0 = y0_;                                                                            \
        S1 = y1_;                                                                            \
    } while (0)
#else
#define LCS_STEP2(S0, S1, M, C)                                                              \
    do {                                                                                     \
        LCS_STEP1(S0, (M)[0], C);                                                            \
        LCS_STEP1(S1, (M)[1], C);                                                            \
    } while (0)
#endif
/* One word: u = S & m, S = (S + u + carry) | (S ^ u); C (0 or 1) carries in and out. */
#define LCS_STEP1(S0, MW, C)                                                                 \
    do {                                                                                     \
        uint64_t u_ = (S0) & (MW), x_;                                                       \
        unsigned char c1_ = __builtin_add_overflow(S0, u_, &x_);                             \
        unsigned char c2_ = __builtin_add_overflow(x_, (uint64_t)(C), &x_);                  \
        C = (uint64_t)(c1_ | c2_);                                                           \
        S0 = x_ | ((S0) ^ u_);                                                               \
    } while (0)
/* The words of S are named locals, never an array, so they stay in registers. */
#define LCS_LOOP(STEPS)                                                                      \
    for (size_t j = 0; j < n; j++) {                                                         \
        const uint64_t *M = hp__pm_get(pm, b[j]);                                            \
        uint64_t carry = 0;                                                                  \
        STEPS;                                                                               \
    }
static size_t lcs_blocks_2(const hp__pm *pm, size_t m, const uint32_t *b, size_t n) {
    uint64_t s0 = ~(uint64_t)0, s1 = ~(uint64_t)0;
    LCS_LOOP(LCS_STEP2(s0, s1, M + 0, carry));
    uint64_t T[] = {s0, s1};
    return zeros(T, 2, m);
}
static size_t lcs_blocks_3(const hp__pm *pm, size_t m, const uint32_t *b, size_t n) {
    uint64_t s0 = ~(uint64_t)0, s1 = ~(uint64_t)0, s2 = ~(uint64_t)0;
    LCS_LOOP(LCS_STEP2(s0, s1, M + 0, carry); LCS_STEP1(s2, M[2], carry));
    uint64_t T[] = {s0, s1, s2};
    return zeros(T, 3, m);
}
static size_t lcs_blocks_4(const hp__pm *pm, size_t m, const uint32_t *b, size_t n) {
    uint64_t s0 = ~(uint64_t)0, s1 = ~(uint64_t)0, s2 = ~(uint64_t)0, s3 = ~(uint64_t)0;
    LCS_LOOP(LCS_STEP2(s0, s1, M + 0, carry); LCS_STEP2(s2, s3, M + 2, carry));
    uint64_t T[] = {s0, s1, s2, s3};
    return zeros(T, 4, m);
}
static size_t lcs_blocks_5(const hp__pm *pm, size_t m, const uint32_t *b, size_t n) {
    uint64_t s0 = ~(uint64_t)0, s1 = ~(uint64_t)0, s2 = ~(uint64_t)0, s3 = ~(uint64_t)0, s4 = ~(uint64_t)0;
    LCS_LOOP(LCS_STEP2(s0, s1, M + 0, carry); LCS_STEP2(s2, s3, M + 2, carry); LCS_STEP1(s4, M[4], carry));
    uint64_t T[] = {s0, s1, s2, s3, s4};
    return zeros(T, 5, m);
}
static size_t lcs_blocks_6(const hp__pm *pm, size_t m, const uint32_t *b, size_t n) {
    uint64_t s0 = ~(uint64_t)0, s1 = ~(uint64_t)0, s2 = ~(uint64_t)0, s3 = ~(uint64_t)0, s4 = ~(uint64_t)0, s5 = ~(uint64_t)0;
    LCS_LOOP(LCS_STEP2(s0, s1, M + 0, carry); LCS_STEP2(s2, s3, M + 2, carry); LCS_STEP2(s4, s5, M + 4, carry));
    uint64_t T[] = {s0, s1, s2, s3, s4, s5};
    return zeros(T, 6, m);
}
static size_t lcs_blocks_7(const hp__pm *pm, size_t m, const uint32_t *b, size_t n) {
    uint64_t s0 = ~(uint64_t)0, s1 = ~(uint64_t)0, s2 = ~(uint64_t)0, s3 = ~(uint64_t)0, s4 = ~(uint64_t)0, s5 = ~(uint64_t)0, s6 = ~(uint64_t)0;
    LCS_LOOP(LCS_STEP2(s0, s1, M + 0, carry); LCS_STEP2(s2, s3, M + 2, carry); LCS_STEP2(s4, s5, M + 4, carry); LCS_STEP1(s6, M[6], carry));
    uint64_t T[] = {s0, s1, s2, s3, s4, s5, s6};
    return zeros(T, 7, m);
}
static size_t lcs_blocks_8(const hp__pm *pm, size_t m, const uint32_t *b, size_t n) {
    uint64_t s0 = ~(uint64_t)0, s1 = ~(uint64_t)0, s2 = ~(uint64_t)0, s3 = ~(uint64_t)0, s4 = ~(uint64_t)0, s5 = ~(uint64_t)0, s6 = ~(uint64_t)0, s7 = ~(uint64_t)0;
    LCS_LOOP(LCS_STEP2(s0, s1, M + 0, carry); LCS_STEP2(s2, s3, M + 2, carry); LCS_STEP2(s4, s5, M + 4, carry); LCS_STEP2(s6, s7, M + 6, carry));
    uint64_t T[] = {s0, s1, s2, s3, s4, s5, s6, s7};
    return zeros(T, 8, m);
}
#undef LCS_LOOP

static size_t (*const lcs_blocks_fixed[9])(const hp__pm *, size_t, const uint32_t *, size_t) = {
    NULL, NULL, lcs_blocks_2, lcs_blocks_3, lcs_blocks_4, lcs_blocks_5, lcs_blocks_6,
    lcs_blocks_7, lcs_blocks_8};

static hp_status lcs_blocks_alloc(size_t *out, const hp__pm *pm, size_t m, const uint32_t *b,
                                  size_t n, size_t min_lcs) {
    size_t words = (m + 63) / 64;
    if (words >= 2 && words <= 8 && pm->words >= words) {
        *out = lcs_blocks_fixed[words](pm, m, b, n);
        return HP_OK;
    }
    uint64_t stack[16];
    uint64_t *S = words <= 16 ? stack : hp__malloc(words * sizeof(uint64_t));
    HP_RETURN_IF(!S, HP_ENOMEM, "no memory for LCS of %zu x %zu elements", m, n);
    *out = lcs_blocks(pm, m, b, n, min_lcs, S);
    if (S != stack) hp__free(S);
    return HP_OK;
}

hp_status hp__lcs(size_t *out, const hp__pm *pm, const uint32_t *a, size_t la, const uint32_t *b,
                  size_t lb, size_t min_lcs) {
    *out = 0;
    if (la == 0 || lb == 0 || min_lcs > (la < lb ? la : lb)) return HP_OK;
    size_t pre = prefix_len(a, la, b, lb);
    size_t suf = suffix_len(a + pre, la - pre, b + pre, lb - pre);
    size_t ma = la - pre - suf, mb = lb - pre - suf, base = pre + suf;
    *out = base;
    if (!ma || !mb) return HP_OK;
    size_t need = min_lcs > base ? min_lcs - base : 0;
    if (need > (ma < mb ? ma : mb)) return HP_OK;
    size_t budget = ma + mb - 2 * need;
    if (budget < 5) {
        size_t ind = bounded_indel(a + pre, ma, b + pre, mb, budget);
        if (ind <= budget) *out = base + (ma + mb - ind) / 2;
        return HP_OK;
    }
    size_t mid = 0;
    if (pm && ma > 64 && mb > 64) {
        /* pm (from a) stays valid without the suffix; the prefix is kept rather than
         * rebuilding the vectors */
        size_t m = la - suf, n = lb - suf;
        HP_FORWARD_IF_ERROR(lcs_blocks_alloc(&mid, pm, m, b, n, min_lcs > suf ? min_lcs - suf : 0));
        *out = mid + suf;
        return HP_OK;
    }
    a += pre, b += pre;
    if (pm && pre == 0 && ma <= 64) {
        *out = base + lcs_pm_word(pm, ma, b, mb);
        return HP_OK;
    }
    if (ma > mb) {
        const uint32_t *t = a;
        a = b, b = t;
        size_t tn = ma;
        ma = mb, mb = tn;
    }
    if (hp__short16_ok(ma)) { /* no table to build: see pm.c */
        *out = base + hp__lcs_short16(a, ma, b, mb);
        return HP_OK;
    }
    if (ma <= 64) {
        hp__pm1 spare;
        hp__pm1 *p1 = hp__pm1_begin(&spare, a, ma);
        *out = base + lcs_pm1(p1, ma, b, mb);
        hp__pm1_end(p1, a, ma);
        return HP_OK;
    }
    hp__pm local;
    HP_FORWARD_IF_ERROR(hp__pm_build(&local, a, ma));
    hp_status st = lcs_blocks_alloc(&mid, &local, ma, b, mb, need);
    hp__pm_release(&local);
    *out = base + mid;
    return st;
}
