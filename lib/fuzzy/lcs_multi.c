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
 * Two forms: for one query against choices it sees once (hp_fuzzy_extract), the rows are
 * the query's distinct elements, built per group of choices; where every query meets
 * the same choices (cdist, prepared choices), each group gets its rows once
 * (hp__lcs_groups: a row per distinct element of the group, found through a 256-entry
 * map) and every query just streams through them: a few vector instructions per query
 * element for 4-8 pairs. RapidFuzz's cdist works the same way.
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

/* ---------------------------------------------------------------- choice groups */

static hp_status rows_reserve(hp__lcs_groups *G, size_t more) {
    size_t need;
    if (!hp__add_size(G->rows_used, more, &need)) return HP_ENOMEM;
    if (need <= G->rows_cap) return HP_OK;
    size_t cap = G->rows_cap ? G->rows_cap : 1 << 16;
    while (cap < need) cap *= 2;
    unsigned char *p = hp__realloc(G->rows, cap);
    if (!p) return HP_ENOMEM;
    G->rows = p;
    G->rows_cap = cap;
    return HP_OK;
}

/* Writes group g's rows (its choices' bits per distinct element) into the pool. */
static hp_status group_close(hp__lcs_groups *G, hp__lcs_group *g, const uint32_t *data,
                             const size_t *start) {
    if (g->n == 0) return HP_OK;
    memset(g->map, 0, sizeof g->map);
    unsigned rows = 1; /* row 0: no element of the group (all zero) */
    for (unsigned l = 0; l < g->n; l++)
        for (size_t i = 0; i < g->len[l]; i++) {
            uint32_t e = data[start[g->choice[l]] + i];
            if (!g->map[e]) g->map[e] = (uint8_t)rows++;
        }
    if (rows_reserve(G, (size_t)rows * 32) != HP_OK)
        return hp__fail(HP_ENOMEM, "no memory for the choices' match tables");
    g->row_off = G->rows_used;
    unsigned char *base = G->rows + g->row_off;
    memset(base, 0, (size_t)rows * 32);
    for (unsigned l = 0; l < g->n; l++)
        for (size_t i = 0; i < g->len[l]; i++) {
            unsigned r = g->map[data[start[g->choice[l]] + i]];
            if (g->width == 32)
                ((uint32_t *)(void *)(base + (size_t)r * 32))[l] |= (uint32_t)1 << i;
            else
                ((uint64_t *)(void *)(base + (size_t)r * 32))[l] |= (uint64_t)1 << i;
        }
    G->rows_used += (size_t)rows * 32;
    g->rows = (uint16_t)rows;
    G->count++;
    return HP_OK;
}

hp_status hp__lcs_groups_build(hp__lcs_groups *G, size_t n, const uint32_t *data,
                               const size_t *start, const size_t *len) {
    memset(G, 0, sizeof *G);
    G->grouped = hp__malloc(n ? n : 1);
    G->g = hp__malloc((n / 4 + 2) * sizeof *G->g);
    if (!G->grouped || !G->g) {
        hp__lcs_groups_release(G);
        return hp__fail(HP_ENOMEM, "no memory for the choices' match tables");
    }
    /* pending groups live at the end of G->g until closed into place */
    hp__lcs_group pending[2];
    memset(pending, 0, sizeof pending);
    pending[0].width = 32;
    pending[1].width = 64;
    unsigned distinct[2] = {0, 0}; /* distinct elements of a pending group */
    uint64_t seen[2][4];            /* which elements a pending group holds */
    memset(seen, 0, sizeof seen);
    for (size_t j = 0; j < n; j++) {
        const uint32_t *s = data + start[j];
        bool ok = len[j] <= 64;
        for (size_t i = 0; ok && i < len[j]; i++) ok = s[i] < 256;
        G->grouped[j] = ok;
        if (!ok) continue;
        int w = len[j] <= 32 ? 0 : 1;
        hp__lcs_group *g = &pending[w];
        unsigned fresh = 0;
        uint64_t mine[4] = {0, 0, 0, 0};
        for (size_t i = 0; i < len[j]; i++) {
            uint32_t e = s[i];
            uint64_t bit = (uint64_t)1 << (e & 63);
            if (!((seen[w][e >> 6] | mine[e >> 6]) & bit)) fresh++;
            mine[e >> 6] |= bit;
        }
        /* rows are numbered in a byte (row 0 is "none"): a group holding 254 distinct
         * elements closes before it would overflow; only a nearly full group can reach
         * that, so groups still hold at least 4 choices */
        if (distinct[w] + fresh > 254) {
            G->g[G->count] = *g;
            hp_status st = group_close(G, &G->g[G->count], data, start);
            if (st != HP_OK) {
                hp__lcs_groups_release(G);
                return st;
            }
            g->n = 0;
            distinct[w] = 0;
            memset(seen[w], 0, sizeof seen[w]);
            fresh = 0; /* in the new group, every element of this choice is new */
            for (int b = 0; b < 4; b++) fresh += (unsigned)__builtin_popcountll(mine[b]);
        }
        g->choice[g->n] = j;
        g->len[g->n] = len[j];
        g->n++;
        distinct[w] += fresh;
        for (int b = 0; b < 4; b++) seen[w][b] |= mine[b];
        if (g->n == (w == 0 ? 8u : 4u)) {
            G->g[G->count] = *g;
            hp_status st = group_close(G, &G->g[G->count], data, start);
            if (st != HP_OK) {
                hp__lcs_groups_release(G);
                return st;
            }
            g->n = 0;
            distinct[w] = 0;
            memset(seen[w], 0, sizeof seen[w]);
        }
    }
    for (int w = 0; w < 2; w++) {
        if (!pending[w].n) continue;
        G->g[G->count] = pending[w];
        hp_status st = group_close(G, &G->g[G->count], data, start);
        if (st != HP_OK) {
            hp__lcs_groups_release(G);
            return st;
        }
    }
    return HP_OK;
}

void hp__lcs_groups_release(hp__lcs_groups *G) {
    hp__free(G->g);
    hp__free(G->rows);
    hp__free(G->grouped);
    memset(G, 0, sizeof *G);
}

#if HP_HAVE_X86_SIMD
__attribute__((target("avx2"))) static void group_run32(const hp__lcs_group *g,
                                                        const unsigned char *rows,
                                                        const uint32_t *q, size_t qn,
                                                        size_t *lcs) {
    __m256i S = _mm256_set1_epi32(-1);
    for (size_t j = 0; j < qn; j++) {
        unsigned r = q[j] < 256 ? g->map[q[j]] : 0;
        if (!r) continue; /* no choice of the group holds it: M = 0 */
        __m256i M = _mm256_loadu_si256((const __m256i *)(const void *)(rows + (size_t)r * 32));
        __m256i u = _mm256_and_si256(S, M);
        S = _mm256_or_si256(_mm256_add_epi32(S, u), _mm256_sub_epi32(S, u));
    }
    _Alignas(32) uint32_t s[8];
    _mm256_store_si256((__m256i *)s, S);
    for (unsigned l = 0; l < g->n; l++) {
        uint32_t mask = g->len[l] >= 32 ? ~(uint32_t)0 : ((uint32_t)1 << g->len[l]) - 1;
        lcs[l] = (size_t)__builtin_popcount(~s[l] & mask);
    }
}

__attribute__((target("avx2"))) static void group_run64(const hp__lcs_group *g,
                                                        const unsigned char *rows,
                                                        const uint32_t *q, size_t qn,
                                                        size_t *lcs) {
    __m256i S = _mm256_set1_epi64x(-1);
    for (size_t j = 0; j < qn; j++) {
        unsigned r = q[j] < 256 ? g->map[q[j]] : 0;
        if (!r) continue;
        __m256i M = _mm256_loadu_si256((const __m256i *)(const void *)(rows + (size_t)r * 32));
        __m256i u = _mm256_and_si256(S, M);
        S = _mm256_or_si256(_mm256_add_epi64(S, u), _mm256_sub_epi64(S, u));
    }
    _Alignas(32) uint64_t s[4];
    _mm256_store_si256((__m256i *)s, S);
    for (unsigned l = 0; l < g->n; l++) {
        uint64_t mask = g->len[l] >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << g->len[l]) - 1;
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

#if HP_HAVE_X86_SIMD
/* Two groups of the same width in one pass: the S update is a chain of dependent
 * instructions, so two independent chains keep the core busy (about 2x the throughput
 * of one group at a time). */
__attribute__((target("avx2"))) static void group_run_pair(const hp__lcs_groups *G, size_t k,
                                                          const uint32_t *q, size_t qn,
                                                          size_t *lcs0, size_t *lcs1) {
    const hp__lcs_group *g0 = &G->g[k], *g1 = &G->g[k + 1];
    const unsigned char *r0 = G->rows + g0->row_off, *r1 = G->rows + g1->row_off;
    __m256i S0 = _mm256_set1_epi32(-1), S1 = S0;
    bool w32 = g0->width == 32;
    for (size_t j = 0; j < qn; j++) {
        if (q[j] >= 256) continue;
        unsigned a = g0->map[q[j]], b = g1->map[q[j]];
        __m256i M0 = _mm256_loadu_si256((const __m256i *)(const void *)(r0 + (size_t)a * 32));
        __m256i M1 = _mm256_loadu_si256((const __m256i *)(const void *)(r1 + (size_t)b * 32));
        __m256i u0 = _mm256_and_si256(S0, M0), u1 = _mm256_and_si256(S1, M1);
        if (w32) {
            S0 = _mm256_or_si256(_mm256_add_epi32(S0, u0), _mm256_sub_epi32(S0, u0));
            S1 = _mm256_or_si256(_mm256_add_epi32(S1, u1), _mm256_sub_epi32(S1, u1));
        } else {
            S0 = _mm256_or_si256(_mm256_add_epi64(S0, u0), _mm256_sub_epi64(S0, u0));
            S1 = _mm256_or_si256(_mm256_add_epi64(S1, u1), _mm256_sub_epi64(S1, u1));
        }
    }
    _Alignas(32) uint64_t s[2][4];
    _mm256_store_si256((__m256i *)s[0], S0);
    _mm256_store_si256((__m256i *)s[1], S1);
    const hp__lcs_group *gs[2] = {g0, g1};
    size_t *outs[2] = {lcs0, lcs1};
    for (int t = 0; t < 2; t++) {
        const hp__lcs_group *g = gs[t];
        for (unsigned l = 0; l < g->n; l++) {
            uint64_t z;
            if (w32) {
                uint32_t v = ((const uint32_t *)(const void *)s[t])[l];
                uint32_t mask = g->len[l] >= 32 ? ~(uint32_t)0 : ((uint32_t)1 << g->len[l]) - 1;
                z = ~v & mask;
            } else {
                uint64_t mask = g->len[l] >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << g->len[l]) - 1;
                z = ~s[t][l] & mask;
            }
            size_t count = 0;
            while (z) {
                z &= z - 1;
                count++;
            }
            outs[t][l] = count;
        }
    }
}
#endif

void hp__lcs_groups_run2(const hp__lcs_groups *G, size_t k, const uint32_t *q, size_t qn,
                         size_t *lcs0, size_t *lcs1) {
#if HP_HAVE_X86_SIMD
    if (G->g[k].width == G->g[k + 1].width) {
        group_run_pair(G, k, q, qn, lcs0, lcs1);
        return;
    }
#endif
    hp__lcs_groups_run(G, k, q, qn, lcs0);
    hp__lcs_groups_run(G, k + 1, q, qn, lcs1);
}

void hp__lcs_groups_run(const hp__lcs_groups *G, size_t k, const uint32_t *q, size_t qn,
                        size_t *lcs) {
#if HP_HAVE_X86_SIMD
    const hp__lcs_group *g = &G->g[k];
    if (g->width == 32)
        group_run32(g, G->rows + g->row_off, q, qn, lcs);
    else
        group_run64(g, G->rows + g->row_off, q, qn, lcs);
#else
    (void)G, (void)k, (void)q, (void)qn, (void)lcs;
#endif
}

bool hp__lcs_groups_usable(void) {
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
