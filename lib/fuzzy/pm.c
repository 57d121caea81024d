/*
 * lib/fuzzy/pm.c — pattern-match vectors for the bit-parallel kernels (see hp__pm).
 *
 * Values below 256 (all of ASCII and Latin-1, every byte) find their row through a
 * 256-entry map, and only the values that occur get a row, so building for a long
 * pattern of a few dozen distinct values clears a few KiB, not 256 rows; other code
 * points go to a linear-probing table sized to at most half full, keyed by a
 * multiplicative hash.
 *
 * hp__pm1 is the single-word form for patterns of at most 64 elements, built on the
 * stack by the kernels themselves: the same direct table for values below 256 (the hot
 * loop stays one load per element) and pm_small.h's hash table for the rest, set up
 * only when such values occur.
 */
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"

#if HP_HAVE_X86_SIMD
#include <immintrin.h>
#endif

static size_t map_slot(const hp__pm *pm, uint32_t c) {
    size_t mask = pm->map_cap - 1;
    size_t k = (size_t)((c * 0x9E3779B1u) >> 7) & mask;
    while (pm->map_used[k] && pm->map_keys[k] != c) k = (k + 1) & mask;
    return k;
}

#if HP_HAVE_X86_SIMD
/* The rows of a pattern whose n (<= PM_SIMD_MAX) elements are all below 256, given as
 * bytes in b8 (64 bytes of slack after n) with its distinct values vals[0..nv), row
 * r + 1 for vals[r]: each 64-element word of a row is the comparison of those 64 bytes
 * with the value (two 32-byte compares and movemasks), stored whole. Setting bits one
 * element at a time is a read-modify-write of the row word, and a value that recurs
 * within a few elements waits on its own previous store; this has no such chain, and
 * costs nv compares per 64 elements, so it is used for patterns of few distinct values. */
__attribute__((target("avx2"))) static void pm_fill_avx2(uint64_t *low, size_t words,
                                                        const uint8_t *b8, size_t n,
                                                        const uint8_t *vals, size_t nv) {
    for (size_t w = 0; w < words; w++) {
        __m256i lo = _mm256_loadu_si256((const __m256i *)(const void *)(b8 + 64 * w));
        __m256i hi = _mm256_loadu_si256((const __m256i *)(const void *)(b8 + 64 * w + 32));
        size_t left = n - 64 * w;
        uint64_t keep = left >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << left) - 1;
        for (size_t r = 0; r < nv; r++) {
            __m256i v = _mm256_set1_epi8((char)vals[r]);
            uint32_t mlo = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(lo, v));
            uint32_t mhi = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hi, v));
            low[(r + 1) * words + w] = ((uint64_t)mhi << 32 | mlo) & keep;
        }
    }
}

/* The values marked in seen[256] (0 or 1 each), ascending, into vals; returns how many.
 * Eight compares and a walk over the set bits, rather than a loop over all 256. */
__attribute__((target("avx2"))) static size_t pm_distinct_avx2(const uint8_t seen[256],
                                                              uint8_t vals[256]) {
    size_t nv = 0;
    for (unsigned blk = 0; blk < 8; blk++) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(seen + 32 * blk));
        uint32_t bits = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_setzero_si256()));
        for (; bits; bits &= bits - 1) vals[nv++] = (uint8_t)(32 * blk + (unsigned)__builtin_ctz(bits));
    }
    return nv;
}
#endif

enum { PM_SIMD_MAX = 1024, PM_SIMD_VALUES = 48 };

/* The AVX2 build of the low rows (pm_fill_avx2) when it applies: every element below
 * 256, n <= PM_SIMD_MAX, at most PM_SIMD_VALUES distinct values. false: nothing done. */
static bool pm_build_simd(hp__pm *pm, const uint32_t *s, size_t n) {
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    if (n == 0 || n > PM_SIMD_MAX || level < HP_SIMD_AVX2 || level == HP_SIMD_NEON) return false;
    uint8_t b8[PM_SIMD_MAX + 64], seen[256] = {0};
    uint32_t any_high = 0;
    for (size_t i = 0; i < n; i++) {
        any_high |= s[i] >> 8;
        b8[i] = (uint8_t)s[i];
        seen[b8[i]] = 1;
    }
    if (any_high) return false;
    uint8_t vals[256];
    size_t nv = pm_distinct_avx2(seen, vals);
    if (nv > PM_SIMD_VALUES) return false;
    memset(b8 + n, 0, 64);
    size_t words = pm->words;
    uint64_t *low = hp__malloc((nv + 1) * words * sizeof(uint64_t));
    if (!low) return false; /* the scalar build reports it */
    memset(low, 0, words * sizeof(uint64_t)); /* row 0 */
    for (size_t r = 0; r < nv; r++) pm->lmap[vals[r]] = (uint16_t)(r + 1);
    pm_fill_avx2(low, words, b8, n, vals, nv);
    pm->low = pm->zero = low;
    return true;
#else
    (void)pm, (void)s, (void)n;
    return false;
#endif
}

/* One pass over s for the values below 256: a value gets the next row (cleared then)
 * when first seen, and its bit is set in the same step. The rows are allocated for the
 * most distinct values s can hold (min(n, 256) + the zero row) and shrunk afterwards
 * when that was far too many; locals, not pm's fields, in the loop, so the stores into
 * the rows cannot make the compiler reload them. Values from 256 up go to the hash
 * table in a second pass, only when there are any. */
hp_status hp__pm_build(hp__pm *pm, const uint32_t *s, size_t n) {
    memset(pm, 0, sizeof *pm);
    pm->n = n;
    size_t words = n ? (n + 63) / 64 : 1;
    pm->words = words;
    if (pm_build_simd(pm, s, n)) return HP_OK;
    size_t cap_rows = 1 + (n < 256 ? n : 256), low_words;
    if (!hp__mul_size(words, cap_rows, &low_words) || low_words > SIZE_MAX / 8)
        return hp__fail(HP_EOVERFLOW, "pattern of %zu elements is too long", n);
    uint64_t *low = hp__malloc(low_words * sizeof(uint64_t));
    if (!low) goto nomem;
    pm->low = pm->zero = low;
    memset(low, 0, words * sizeof(uint64_t)); /* row 0 */
    uint16_t *lmap = pm->lmap;
    size_t high = 0, rows = 1;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = s[i];
        if (c >= 256) {
            high++;
            continue;
        }
        size_t r = lmap[c];
        if (!r) {
            r = rows++;
            lmap[c] = (uint16_t)r;
            memset(low + r * words, 0, words * sizeof(uint64_t));
        }
        low[r * words + i / 64] |= (uint64_t)1 << (i % 64);
    }
    if (rows * 2 < cap_rows && low_words > 8192) { /* a long pattern: give back the rest */
        uint64_t *shrunk = hp__realloc(low, rows * words * sizeof(uint64_t));
        if (shrunk) pm->low = pm->zero = low = shrunk;
    }
    if (high) {
        size_t cap = 8;
        while (cap < 2 * high) cap *= 2;
        size_t vals;
        if (!hp__mul_size(cap, words, &vals) || vals > SIZE_MAX / 8) goto nomem;
        pm->map_cap = cap;
        pm->map_keys = hp__malloc(cap * sizeof(uint32_t));
        pm->map_used = hp__malloc(cap);
        pm->map_vals = hp__malloc(vals * sizeof(uint64_t));
        if (!pm->map_keys || !pm->map_used || !pm->map_vals) goto nomem;
        memset(pm->map_used, 0, cap);
        memset(pm->map_vals, 0, vals * sizeof(uint64_t));
        for (size_t i = 0; i < n; i++) {
            if (s[i] < 256) continue;
            size_t k = map_slot(pm, s[i]);
            pm->map_used[k] = 1;
            pm->map_keys[k] = s[i];
            pm->map_vals[k * words + i / 64] |= (uint64_t)1 << (i % 64);
        }
    }
    return HP_OK;
nomem:
    hp__pm_release(pm);
    return hp__fail(HP_ENOMEM, "no memory for the match vectors of a %zu-element sequence", n);
}

__attribute__((noinline)) const uint64_t *hp__pm_get_high(const hp__pm *pm, uint32_t c) {
    if (pm->map_cap == 0) return pm->zero;
    size_t mask = pm->map_cap - 1;
    size_t k = (size_t)((c * 0x9E3779B1u) >> 7) & mask;
    while (pm->map_used[k]) {
        if (pm->map_keys[k] == c) return pm->map_vals + k * pm->words;
        k = (k + 1) & mask;
    }
    return pm->zero;
}

void hp__pm_release(hp__pm *pm) {
    hp__free(pm->low);
    hp__free(pm->map_keys);
    hp__free(pm->map_used);
    hp__free(pm->map_vals);
    memset(pm, 0, sizeof *pm);
}

/* Sets s's bits in a table whose low part is all zero. */
static void pm1_fill(hp__pm1 *pm, const uint32_t *s, size_t n) {
    size_t high = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 256)
            pm->low[s[i]] |= (uint64_t)1 << i;
        else
            high++;
    }
    pm->high_used = high > 0;
    if (!high) return;
    hp__pm64 *t = &pm->high;
    unsigned log = 4;
    while (((size_t)1 << log) < 2 * high) log++;
    t->shift = 32 - log;
    t->mask = ((uint32_t)1 << log) - 1;
    memset(t->bits, 0, ((size_t)1 << log) * sizeof t->bits[0]);
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 256) continue;
        uint32_t k = hp__pm64_slot(t, s[i]);
        t->keys[k] = s[i];
        t->bits[k] |= (uint64_t)1 << i;
    }
}

/* Per-thread tables, zero at thread start and zero again after every hp__pm1_end. A
 * few levels cover nesting (a scorer holding one while it calls a kernel that needs
 * another); deeper callers get their spare. */
enum { PM1_LEVELS = 3 };
static __thread struct {
    unsigned depth;
    hp__pm1 t[PM1_LEVELS];
} pm1_pool;

hp__pm1 *hp__pm1_begin(hp__pm1 *spare, const uint32_t *s, size_t n) {
    hp__pm1 *pm;
    if (pm1_pool.depth < PM1_LEVELS) {
        pm = &pm1_pool.t[pm1_pool.depth++];
    } else {
        pm = spare;
        memset(pm->low, 0, sizeof pm->low);
    }
    pm1_fill(pm, s, n);
    return pm;
}

void hp__pm1_end(hp__pm1 *pm, const uint32_t *s, size_t n) {
    if (pm != &pm1_pool.t[pm1_pool.depth ? pm1_pool.depth - 1 : 0] || pm1_pool.depth == 0)
        return; /* a spare: nothing to keep clean */
    for (size_t i = 0; i < n; i++)
        if (s[i] < 256) pm->low[s[i]] = 0;
    pm1_pool.depth--;
}

/* ---------------------------------------------------------------- short patterns */

bool hp__short16_ok(size_t m) {
#if HP_HAVE_X86_SIMD
    if (m == 0 || m > 16) return false;
    hp_simd level = hp__simd();
    return level >= HP_SIMD_AVX2 && level != HP_SIMD_NEON;
#else
    (void)m;
    return false;
#endif
}

#if HP_HAVE_X86_SIMD
/* The match word of element e in the pattern held by p0 (lanes 0-7) and p1 (8-15). */
__attribute__((target("avx2"), always_inline)) static inline uint64_t
match16(__m256i p0, __m256i p1, uint32_t e, uint64_t mask) {
    __m256i v = _mm256_set1_epi32((int)e);
    unsigned lo = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(p0, v)));
    unsigned hi = (unsigned)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(p1, v)));
    return (uint64_t)(lo | hi << 8) & mask;
}

/* Hyyrö's Levenshtein of pattern a (1..16 elements) against b, as hyyro_pm1 in
 * levenshtein.c (early exit once the distance cannot come back under max). */
__attribute__((target("avx2"))) uint64_t hp__lev_short16(const uint32_t *a, size_t m,
                                                         const uint32_t *b, size_t n,
                                                         uint64_t max) {
    uint32_t pat[16] = {0};
    memcpy(pat, a, m * sizeof *pat);
    __m256i p0 = _mm256_loadu_si256((const __m256i *)(const void *)pat);
    __m256i p1 = _mm256_loadu_si256((const __m256i *)(const void *)(pat + 8));
    uint64_t mask = ((uint64_t)1 << m) - 1, last = (uint64_t)1 << (m - 1);
    uint64_t VP = ~(uint64_t)0, VN = 0, dist = m;
    for (size_t j = 0; j < n; j++) {
        uint64_t X = match16(p0, p1, b[j], mask);
        HYYRO_COLUMN(X, VP, VN, last, dist);
        if (dist > max && dist - max > n - 1 - j) return max + 1;
    }
    return dist;
}

/* The bit-parallel LCS of pattern a (1..16 elements) against b. */
__attribute__((target("avx2"))) size_t hp__lcs_short16(const uint32_t *a, size_t m,
                                                       const uint32_t *b, size_t n) {
    uint32_t pat[16] = {0};
    memcpy(pat, a, m * sizeof *pat);
    __m256i p0 = _mm256_loadu_si256((const __m256i *)(const void *)pat);
    __m256i p1 = _mm256_loadu_si256((const __m256i *)(const void *)(pat + 8));
    uint64_t mask = ((uint64_t)1 << m) - 1, S = ~(uint64_t)0;
    for (size_t j = 0; j < n; j++) {
        uint64_t u = S & match16(p0, p1, b[j], mask);
        S = (S + u) | (S - u);
    }
    uint64_t v = ~S & mask;
    size_t count = 0;
    for (; v; v &= v - 1) count++;
    return count;
}
#else
uint64_t hp__lev_short16(const uint32_t *a, size_t m, const uint32_t *b, size_t n, uint64_t max) {
    (void)a, (void)m, (void)b, (void)n;
    return max;
}
size_t hp__lcs_short16(const uint32_t *a, size_t m, const uint32_t *b, size_t n) {
    (void)a, (void)m, (void)b, (void)n;
    return 0;
}
#endif
