/*
 * lib/fuzzy/lcs_multi.c — the LCS of one query against many short sequences at once,
 * for batch scoring (extract, cdist) with the LCS-based scorers (fuzz.ratio, QRatio,
 * Indel, LCSseq).
 *
 * Algorithm: the bit-parallel LCS of lcs.c (S' = (S + u) | (S - u), u = S & M) with the
 * roles turned around and vectorised across sequences: each SIMD lane holds one short
 * choice as the bit pattern (8 lanes of 32 bits, or 4 of 64, with AVX2; lane-wise adds
 * keep the lanes independent), and the query is streamed through all lanes at once, one
 * element per step. The match masks M are built per group of choices for the query's
 * distinct elements only (a row per distinct element, found through a 256-entry index
 * made once per query), so building costs one lookup per choice element and the stream
 * costs a handful of vector instructions per query element for 4-8 choices together.
 * Two forms: for one query against many choices (extract) the rows are the query's
 * distinct elements only, built per group of choices; for cdist, where every query
 * meets the same choices, each group of choices gets a full 256-row table once
 * (hp__lcs_table_*) and every query just streams through it: a few vector instructions
 * per query element for 4-8 pairs. RapidFuzz's cdist works the same way.
 */
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"

#if HP_HAVE_X86_SIMD
#include <immintrin.h>
#endif

bool hp__lcs_multi_init(hp__lcs_multi *m, const uint32_t *q, size_t qn) {
    memset(m, 0, sizeof *m);
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    if (level < HP_SIMD_AVX2 || level == HP_SIMD_NEON || qn == 0) return false;
    size_t rows = 1;
    for (size_t j = 0; j < qn; j++) {
        if (q[j] >= 256) return false;
        if (!m->idx[q[j]]) {
            if (rows == 256) return false;
            m->idx[q[j]] = (uint8_t)rows++;
        }
    }
    m->qidx = hp__malloc(qn);
    if (!m->qidx) return false; /* the scalar path needs no memory: fall back to it */
    for (size_t j = 0; j < qn; j++) m->qidx[j] = m->idx[q[j]];
    m->q = q;
    m->qn = qn;
    m->rows = rows;
    return true;
#else
    (void)q;
    (void)qn;
    return false;
#endif
}

void hp__lcs_multi_release(hp__lcs_multi *m) {
    hp__free(m->qidx);
    m->qidx = NULL;
}

#if HP_HAVE_X86_SIMD
__attribute__((target("avx2"))) static void run32(const hp__lcs_multi *m,
                                                  const uint32_t *const *c, const size_t *len,
                                                  size_t n, size_t *lcs) {
    _Alignas(32) uint32_t tab[256 * 8];
    memset(tab, 0, m->rows * 8 * sizeof *tab);
    /* elements not in the query land in row 0, which the stream never reads */
    for (size_t l = 0; l < n; l++)
        for (size_t i = 0; i < len[l]; i++) {
            uint32_t e = c[l][i];
            size_t r = e < 256 ? m->idx[e] : 0;
            tab[r * 8 + l] |= (uint32_t)1 << i;
        }
    __m256i S = _mm256_set1_epi32(-1);
    for (size_t j = 0; j < m->qn; j++) {
        __m256i M = _mm256_load_si256((const __m256i *)(tab + (size_t)m->qidx[j] * 8));
        __m256i u = _mm256_and_si256(S, M);
        S = _mm256_or_si256(_mm256_add_epi32(S, u), _mm256_sub_epi32(S, u));
    }
    _Alignas(32) uint32_t s[8];
    _mm256_store_si256((__m256i *)s, S);
    for (size_t l = 0; l < n; l++) {
        uint32_t mask = len[l] >= 32 ? ~(uint32_t)0 : ((uint32_t)1 << len[l]) - 1;
        lcs[l] = (size_t)__builtin_popcount(~s[l] & mask);
    }
}

__attribute__((target("avx2"))) static void run64(const hp__lcs_multi *m,
                                                  const uint32_t *const *c, const size_t *len,
                                                  size_t n, size_t *lcs) {
    _Alignas(32) uint64_t tab[256 * 4];
    memset(tab, 0, m->rows * 4 * sizeof *tab);
    for (size_t l = 0; l < n; l++)
        for (size_t i = 0; i < len[l]; i++) {
            uint32_t e = c[l][i];
            size_t r = e < 256 ? m->idx[e] : 0;
            tab[r * 4 + l] |= (uint64_t)1 << i;
        }
    __m256i S = _mm256_set1_epi64x(-1);
    for (size_t j = 0; j < m->qn; j++) {
        __m256i M = _mm256_load_si256((const __m256i *)(tab + (size_t)m->qidx[j] * 4));
        __m256i u = _mm256_and_si256(S, M);
        S = _mm256_or_si256(_mm256_add_epi64(S, u), _mm256_sub_epi64(S, u));
    }
    _Alignas(32) uint64_t s[4];
    _mm256_store_si256((__m256i *)s, S);
    for (size_t l = 0; l < n; l++) {
        uint64_t mask = len[l] >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << len[l]) - 1;
        uint64_t z = ~s[l] & mask;
        size_t count = 0;
        while (z) { /* no popcnt in the baseline ISA; few bits are set */
            z &= z - 1;
            count++;
        }
        lcs[l] = count;
    }
}
#endif

void hp__lcs_multi_run(const hp__lcs_multi *m, int width, const uint32_t *const *c,
                       const size_t *len, size_t n, size_t *lcs) {
#if HP_HAVE_X86_SIMD
    if (width == 32)
        run32(m, c, len, n, lcs);
    else
        run64(m, c, len, n, lcs);
#else
    (void)m, (void)width, (void)c, (void)len, (void)n, (void)lcs;
#endif
}

/* ---------------------------------------------------------------- choice tables */

#if HP_HAVE_X86_SIMD
__attribute__((target("avx2"))) static void table_run32(const uint32_t *tab, const uint32_t *q,
                                                        size_t qn, const size_t *len, size_t n,
                                                        size_t *lcs) {
    __m256i S = _mm256_set1_epi32(-1);
    for (size_t j = 0; j < qn; j++) {
        if (q[j] >= 256) continue; /* no choice in a table holds it: M = 0 */
        __m256i M = _mm256_loadu_si256((const __m256i *)(tab + (size_t)q[j] * 8));
        __m256i u = _mm256_and_si256(S, M);
        S = _mm256_or_si256(_mm256_add_epi32(S, u), _mm256_sub_epi32(S, u));
    }
    _Alignas(32) uint32_t s[8];
    _mm256_store_si256((__m256i *)s, S);
    for (size_t l = 0; l < n; l++) {
        uint32_t mask = len[l] >= 32 ? ~(uint32_t)0 : ((uint32_t)1 << len[l]) - 1;
        lcs[l] = (size_t)__builtin_popcount(~s[l] & mask);
    }
}

__attribute__((target("avx2"))) static void table_run64(const uint64_t *tab, const uint32_t *q,
                                                        size_t qn, const size_t *len, size_t n,
                                                        size_t *lcs) {
    __m256i S = _mm256_set1_epi64x(-1);
    for (size_t j = 0; j < qn; j++) {
        if (q[j] >= 256) continue;
        __m256i M = _mm256_loadu_si256((const __m256i *)(tab + (size_t)q[j] * 4));
        __m256i u = _mm256_and_si256(S, M);
        S = _mm256_or_si256(_mm256_add_epi64(S, u), _mm256_sub_epi64(S, u));
    }
    _Alignas(32) uint64_t s[4];
    _mm256_store_si256((__m256i *)s, S);
    for (size_t l = 0; l < n; l++) {
        uint64_t mask = len[l] >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << len[l]) - 1;
        uint64_t z = ~s[l] & mask;
        size_t count = 0;
        while (z) {
            z &= z - 1;
            count++;
        }
        lcs[l] = count;
    }
}
#endif

void hp__lcs_table_build(void *tab, int width, const uint32_t *const *c, const size_t *len,
                         size_t n) {
    memset(tab, 0, HP__LCS_TABLE_BYTES);
    for (size_t l = 0; l < n; l++)
        for (size_t i = 0; i < len[l]; i++) {
            if (width == 32)
                ((uint32_t *)tab)[(size_t)c[l][i] * 8 + l] |= (uint32_t)1 << i;
            else
                ((uint64_t *)tab)[(size_t)c[l][i] * 4 + l] |= (uint64_t)1 << i;
        }
}

void hp__lcs_table_run(const void *tab, int width, const uint32_t *q, size_t qn, const size_t *len,
                       size_t n, size_t *lcs) {
#if HP_HAVE_X86_SIMD
    if (width == 32)
        table_run32(tab, q, qn, len, n, lcs);
    else
        table_run64(tab, q, qn, len, n, lcs);
#else
    (void)tab, (void)width, (void)q, (void)qn, (void)len, (void)n, (void)lcs;
#endif
}

bool hp__lcs_table_usable(void) {
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    return level >= HP_SIMD_AVX2 && level != HP_SIMD_NEON;
#else
    return false;
#endif
}

bool hp__scorer_from_lcs(const hp_scorer *sc) {
    if (sc->kind == HP_SCORER_FUZZ) return sc->id == HP_FUZZ_RATIO || sc->id == HP_FUZZ_QRATIO;
    return sc->id == HP_METRIC_INDEL || sc->id == HP_METRIC_LCSSEQ;
}

double hp__score_from_lcs(const hp_scorer *sc, size_t lcs, size_t la, size_t lb, double cutoff) {
    if (sc->kind == HP_SCORER_FUZZ) return hp__fuzz_ratio_from_lcs(sc->id, lcs, la, lb, cutoff);
    return hp__metric_from_lcs(sc, lcs, la, lb, cutoff);
}
