/*
 * lib/fuzzy/lcs_multi.c — the LCS (or the uniform Levenshtein distance) of one query
 * against many short sequences at once, for batch scoring (extract, cdist, pairs) with
 * fuzz.ratio, QRatio, Indel, LCSseq and Levenshtein.
 *
 * Algorithm: the bit-parallel LCS of lcs.c (S' = (S + u) | (S - u), u = S & M) with the
 * roles turned around and vectorised across sequences: each SIMD lane holds one short
 * choice as the bit pattern (16 lanes of 16 bits, 8 of 32 or 4 of 64 with AVX2, by the
 * choice's length; lane-wise adds keep the lanes independent), and the query is
 * streamed through all lanes at once, one element per step. Levenshtein runs Hyyrö's
 * recurrence (levenshtein.c's HYYRO_STEP) the same way, each lane's distance kept in
 * its own lane and moved by the bits at that lane's last position. The match masks M
 * are built per group of choices for the query's distinct elements only (a row per
 * distinct element, found through a 256-entry index made once per query), so building
 * costs one lookup per choice element and the stream costs a handful of vector
 * instructions per query element for 4-16 choices together. Two forms: for one query
 * against choices it sees once (hp_fuzzy_extract), the rows are the query's distinct
 * elements, built per group of choices; where every query meets the same choices
 * (cdist, prepared choices, pairs), each group gets its rows once (hp__lcs_groups: a row
 * per distinct element of the group, found through a 256-entry map) and every query
 * just streams through them. RapidFuzz's cdist works the same way. The lanes' LCS are
 * counted (a nibble-table popcount) and ratio/QRatio scored four lanes at a time in
 * vector registers, with the scalar code's operations, so results are identical.
 */
#include <math.h>
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

/* Lane l of out (width bits) = v[l] for l < n, 0 beyond: the lanes' length masks,
 * lengths and last-bit masks. */
static void fill_lanes(unsigned char out[32], int width, const uint64_t *v, size_t n) {
    memset(out, 0, 32);
    if (width == 16) {
        for (size_t l = 0; l < n && l < 16; l++) {
            uint16_t w = (uint16_t)v[l];
            memcpy(out + 2 * l, &w, 2);
        }
    } else if (width == 32) {
        for (size_t l = 0; l < n && l < 8; l++) {
            uint32_t w = (uint32_t)v[l];
            memcpy(out + 4 * l, &w, 4);
        }
    } else {
        for (size_t l = 0; l < n && l < 4; l++) memcpy(out + 8 * l, &v[l], 8);
    }
}

/* Lane l's mask: its low len[l] bits set. */
static void fill_mask(unsigned char mask[32], int width, const size_t *len, size_t n) {
    uint64_t v[16];
    for (size_t l = 0; l < n && l < 16; l++)
        v[l] = len[l] >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << len[l]) - 1;
    fill_lanes(mask, width, v, n);
}

/* The Levenshtein lanes' constants: each lane's length and its last bit. */
static void fill_lev(unsigned char lenv[32], unsigned char last[32], int width, const size_t *len,
                     size_t n) {
    uint64_t v[16], b[16];
    for (size_t l = 0; l < n && l < 16; l++) {
        v[l] = len[l];
        b[l] = len[l] ? (uint64_t)1 << (len[l] - 1) : 0;
    }
    fill_lanes(lenv, width, v, n);
    fill_lanes(last, width, b, n);
}

/* Sets bit i of lane l in row r of a table of 32-byte rows. */
static inline void set_bit(unsigned char *tab, int width, size_t r, size_t l, size_t i) {
    unsigned char *row = tab + r * 32;
    if (width == 16)
        ((uint16_t *)(void *)row)[l] |= (uint16_t)(1u << i);
    else if (width == 32)
        ((uint32_t *)(void *)row)[l] |= (uint32_t)1 << i;
    else
        ((uint64_t *)(void *)row)[l] |= (uint64_t)1 << i;
}

#if HP_HAVE_X86_SIMD
/* One step of the LCS recurrence in every lane: S = (S + u) | (S - u), u = S & M. */
__attribute__((target("avx2"), always_inline)) static inline __m256i step(__m256i S, __m256i M,
                                                                          int width) {
    __m256i u = _mm256_and_si256(S, M);
    if (width == 16)
        return _mm256_or_si256(_mm256_add_epi16(S, u), _mm256_sub_epi16(S, u));
    if (width == 32)
        return _mm256_or_si256(_mm256_add_epi32(S, u), _mm256_sub_epi32(S, u));
    return _mm256_or_si256(_mm256_add_epi64(S, u), _mm256_sub_epi64(S, u));
}

/* Lane-wise helpers by width: add, sub, compare-equal, shift left by one. */
#define LANE_OP(width, op16, op32, op64) ((width) == 16 ? (op16) : (width) == 32 ? (op32) : (op64))
__attribute__((target("avx2"), always_inline)) static inline __m256i ladd(__m256i a, __m256i b,
                                                                          int w) {
    return LANE_OP(w, _mm256_add_epi16(a, b), _mm256_add_epi32(a, b), _mm256_add_epi64(a, b));
}
__attribute__((target("avx2"), always_inline)) static inline __m256i lsub(__m256i a, __m256i b,
                                                                          int w) {
    return LANE_OP(w, _mm256_sub_epi16(a, b), _mm256_sub_epi32(a, b), _mm256_sub_epi64(a, b));
}
__attribute__((target("avx2"), always_inline)) static inline __m256i leq(__m256i a, __m256i b,
                                                                         int w) {
    return LANE_OP(w, _mm256_cmpeq_epi16(a, b), _mm256_cmpeq_epi32(a, b),
                   _mm256_cmpeq_epi64(a, b));
}
__attribute__((target("avx2"), always_inline)) static inline __m256i lshl1(__m256i a, int w) {
    return LANE_OP(w, _mm256_slli_epi16(a, 1), _mm256_slli_epi32(a, 1), _mm256_slli_epi64(a, 1));
}

/* Hyyrö's Levenshtein step in every lane (the choice is the pattern, one query element
 * the text): the scalar HYYRO_STEP, lane-wise, with each lane's distance in D moved by
 * the bits at its own last position. */
typedef struct lev_lanes {
    __m256i VP, VN, D;
} lev_lanes;

__attribute__((target("avx2"), always_inline)) static inline void
lev_step(lev_lanes *s, __m256i X, __m256i last, __m256i one, int w) {
    __m256i ones = _mm256_set1_epi32(-1);
    __m256i D0 = _mm256_or_si256(
        _mm256_or_si256(_mm256_xor_si256(ladd(_mm256_and_si256(X, s->VP), s->VP, w), s->VP), X),
        s->VN);
    __m256i HP = _mm256_or_si256(s->VN, _mm256_andnot_si256(_mm256_or_si256(D0, s->VP), ones));
    __m256i HN = _mm256_and_si256(D0, s->VP);
    /* D += (HP has the last bit) - (HN has it); cmpeq gives -1 for "has" */
    s->D = ladd(lsub(s->D, leq(_mm256_and_si256(HP, last), last, w), w),
                leq(_mm256_and_si256(HN, last), last, w), w);
    HP = _mm256_or_si256(lshl1(HP, w), one);
    HN = lshl1(HN, w);
    s->VP = _mm256_or_si256(HN, _mm256_andnot_si256(_mm256_or_si256(D0, HP), ones));
    s->VN = _mm256_and_si256(HP, D0);
}

/* The lanes of v as uint32 cnt[] (16, 8 or 4 of them). */
__attribute__((target("avx2"), always_inline)) static inline void lane_widen(__m256i v, int width,
                                                                             uint32_t cnt[16]) {
    if (width == 64) {
        __m256i c = _mm256_permutevar8x32_epi32(v, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6));
        _mm_storeu_si128((__m128i *)(void *)cnt, _mm256_castsi256_si128(c));
    } else if (width == 32) {
        _mm256_storeu_si256((__m256i *)(void *)cnt, v);
    } else {
        _mm256_storeu_si256((__m256i *)(void *)cnt, _mm256_cvtepu16_epi32(_mm256_castsi256_si128(v)));
        _mm256_storeu_si256((__m256i *)(void *)(cnt + 8),
                            _mm256_cvtepu16_epi32(_mm256_extracti128_si256(v, 1)));
    }
}

/* Each lane's LCS from the final S: the zero bits among its first len bits (mask), as
 * cnt[l] for every lane of the width (16, 8 or 4 lanes). A nibble-table popcount summed
 * within the lanes, all in vector registers. */
__attribute__((target("avx2"), always_inline)) static inline void
lane_counts(__m256i S, const unsigned char mask[32], int width, uint32_t cnt[16]) {
    const __m256i nib = _mm256_set1_epi8(0x0f);
    const __m256i lut = _mm256_setr_epi8(0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1,
                                         2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
    __m256i x = _mm256_andnot_si256(S, _mm256_loadu_si256((const __m256i *)(const void *)mask));
    __m256i c8 = _mm256_add_epi8(_mm256_shuffle_epi8(lut, _mm256_and_si256(x, nib)),
                                 _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16(x, 4),
                                                                           nib)));
    if (width == 64) {
        __m256i c = _mm256_sad_epu8(c8, _mm256_setzero_si256()); /* 4 x u64 */
        c = _mm256_permutevar8x32_epi32(c, _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6));
        _mm_storeu_si128((__m128i *)(void *)cnt, _mm256_castsi256_si128(c));
        return;
    }
    __m256i c16 = _mm256_maddubs_epi16(c8, _mm256_set1_epi8(1)); /* 16 x u16 */
    if (width == 32) {
        _mm256_storeu_si256((__m256i *)(void *)cnt, _mm256_madd_epi16(c16, _mm256_set1_epi16(1)));
        return;
    }
    _mm256_storeu_si256((__m256i *)(void *)cnt,
                        _mm256_cvtepu16_epi32(_mm256_castsi256_si128(c16)));
    _mm256_storeu_si256((__m256i *)(void *)(cnt + 8),
                        _mm256_cvtepu16_epi32(_mm256_extracti128_si256(c16, 1)));
}

/* Scores of n lanes from their LCS: fuzz.ratio and QRatio four lanes at a time, with
 * the operations (and so the roundings) of hp__fuzz_ratio_from_lcs; the other scorers
 * lane by lane through hp__score_from_lcs (or, for Levenshtein lanes, whose cnt holds
 * distances, hp__metric_from_distance). len[l] is lane l's length, lend the same as
 * doubles (at least n rounded up to 4 entries). */
__attribute__((target("avx2"), always_inline)) static inline void
lane_scores(const hp_scorer *sc, const uint32_t *cnt, const size_t *len, const double *lend,
            size_t n, size_t qn, double cutoff, double *out) {
    bool fuzz = sc->kind == HP_SCORER_FUZZ;
    if (hp__multi_kind(sc) == HP__MULTI_LEV) { /* cnt: distances; an empty lane's is qn */
        bool plain = sc->measure == HP_DISTANCE && isnan(cutoff);
        for (size_t l = 0; l < n; l++) {
            uint64_t d = len[l] ? cnt[l] : qn;
            out[l] = plain ? (double)d : hp__metric_from_distance(sc, d, qn, len[l], cutoff);
        }
        return;
    }
    if (!fuzz) {
        for (size_t l = 0; l < n; l++) out[l] = hp__score_from_lcs(sc, cnt[l], qn, len[l], cutoff);
        return;
    }
    if (isnan(cutoff) || cutoff < 0) cutoff = 0;
    bool qratio = sc->id == HP_FUZZ_QRATIO;
    const __m256d zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0),
                  hundred = _mm256_set1_pd(100.0), cut = _mm256_set1_pd(cutoff / 100),
                  q = _mm256_set1_pd((double)qn);
    for (size_t l = 0; l < n; l += 4) {
        __m256d lcs = _mm256_cvtepi32_pd(_mm_loadu_si128((const __m128i *)(const void *)(cnt + l)));
        __m256d lb = _mm256_loadu_pd(lend + l);
        __m256d lensum = _mm256_add_pd(q, lb);
        __m256d dist = _mm256_sub_pd(lensum, _mm256_add_pd(lcs, lcs));
        __m256d nonzero = _mm256_cmp_pd(lensum, zero, _CMP_NEQ_OQ);
        __m256d nd = _mm256_and_pd(_mm256_div_pd(dist, lensum), nonzero);
        __m256d ns = _mm256_sub_pd(one, nd);
        __m256d keep = _mm256_cmp_pd(ns, cut, _CMP_GE_OQ);
        if (qratio)
            keep = _mm256_and_pd(keep, _mm256_cmp_pd(_mm256_min_pd(q, lb), zero, _CMP_NEQ_OQ));
        _Alignas(32) double v[4];
        _mm256_store_pd(v, _mm256_and_pd(_mm256_mul_pd(ns, hundred), keep));
        for (size_t h = 0; h < 4 && l + h < n; h++) out[l + h] = v[h];
    }
}

__attribute__((target("avx2"), always_inline)) static inline void
run_body(const hp__lcs_multi *m, int width, const uint32_t *const *c, const size_t *len, size_t n,
         const hp_scorer *sc, double cutoff, double *scores) {
    _Alignas(32) unsigned char tab[256 * 32];
    memset(tab, 0, m->rows * 32);
    /* elements not in the query land in row 0, which the stream never reads */
    for (size_t l = 0; l < n; l++)
        for (size_t i = 0; i < len[l]; i++) {
            uint32_t e = c[l][i];
            set_bit(tab, width, e < 256 ? m->idx[e] : 0, l, i);
        }
    uint32_t cnt[16];
    if (hp__multi_kind(sc) == HP__MULTI_LEV) {
        unsigned char lenv[32], lastv[32];
        fill_lev(lenv, lastv, width, len, n);
        __m256i last = _mm256_loadu_si256((const __m256i *)(const void *)lastv);
        __m256i one = LANE_OP(width, _mm256_set1_epi16(1), _mm256_set1_epi32(1),
                              _mm256_set1_epi64x(1));
        lev_lanes L = {_mm256_set1_epi32(-1), _mm256_setzero_si256(),
                       _mm256_loadu_si256((const __m256i *)(const void *)lenv)};
        for (size_t j = 0; j < m->qn; j++)
            lev_step(&L, _mm256_load_si256((const __m256i *)(const void *)(tab + m->qidx[j] * 32)),
                     last, one, width);
        lane_widen(L.D, width, cnt);
    } else {
        __m256i S = _mm256_set1_epi32(-1);
        for (size_t j = 0; j < m->qn; j++)
            S = step(S, _mm256_load_si256((const __m256i *)(const void *)(tab + m->qidx[j] * 32)),
                     width);
        unsigned char mask[32];
        fill_mask(mask, width, len, n);
        lane_counts(S, mask, width, cnt);
    }
    double lend[16];
    for (size_t l = 0; l < 16; l++) lend[l] = l < n ? (double)len[l] : 0.0;
    lane_scores(sc, cnt, len, lend, n, m->qn, cutoff, scores);
}

#define HP__RUN(w)                                                                                 \
    __attribute__((target("avx2"))) static void run_##w(                                           \
        const hp__lcs_multi *m, const uint32_t *const *c, const size_t *len, size_t n,             \
        const hp_scorer *sc, double cutoff, double *scores) {                                      \
        run_body(m, w, c, len, n, sc, cutoff, scores);                                             \
    }
HP__RUN(16)
HP__RUN(32)
HP__RUN(64)
#undef HP__RUN
#endif

void hp__lcs_multi_run(const hp__lcs_multi *m, int width, const uint32_t *const *c,
                       const size_t *len, size_t n, const hp_scorer *sc, double cutoff,
                       double *scores) {
#if HP_HAVE_X86_SIMD
    (width == 16 ? run_16 : width == 32 ? run_32 : run_64)(m, c, len, n, sc, cutoff, scores);
#else
    (void)m, (void)width, (void)c, (void)len, (void)n, (void)sc, (void)cutoff, (void)scores;
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
            set_bit(base, g->width, g->map[data[start[g->choice[l]] + i]], l, i);
        }
    G->rows_used += (size_t)rows * 32;
    g->rows = (uint16_t)rows;
    fill_mask(g->mask, g->width, g->len, g->n);
    fill_lev(g->lenv, g->last, g->width, g->len, g->n);
    for (unsigned l = 0; l < 16; l++) g->lend[l] = l < g->n ? (double)g->len[l] : 0.0;
    G->count++;
    return HP_OK;
}

/* Closes a pending group into G (a no-op when it is empty) and empties it. */
static hp_status close_pending(hp__lcs_groups *G, hp__lcs_group *pending, const uint32_t *data,
                               const size_t *start, unsigned *distinct, uint64_t seen[4]) {
    if (pending->n == 0) return HP_OK;
    G->g[G->count] = *pending;
    hp_status st = group_close(G, &G->g[G->count], data, start);
    pending->n = 0;
    *distinct = 0;
    memset(seen, 0, 4 * sizeof *seen);
    return st;
}

hp_status hp__lcs_groups_build(hp__lcs_groups *G, size_t n, const uint32_t *data,
                               const size_t *start, const size_t *len) {
    memset(G, 0, sizeof *G);
    G->grouped = hp__malloc(n ? n : 1);
    G->g = hp__malloc((n / 4 + 4) * sizeof *G->g);
    if (!G->grouped || !G->g) {
        hp__lcs_groups_release(G);
        return hp__fail(HP_ENOMEM, "no memory for the choices' match tables");
    }
    /* one pending group per lane width: 16 choices of <= 16 elements, 8 of <= 32, 4 of
     * <= 64 */
    static const int widths[3] = {16, 32, 64};
    hp__lcs_group pending[3];
    memset(pending, 0, sizeof pending);
    for (int w = 0; w < 3; w++) pending[w].width = widths[w];
    unsigned distinct[3] = {0, 0, 0}; /* distinct elements of a pending group */
    uint64_t seen[3][4];               /* which elements a pending group holds */
    memset(seen, 0, sizeof seen);
    hp_status st = HP_OK;
    for (size_t j = 0; j < n; j++) {
        const uint32_t *s = data + start[j];
        bool ok = len[j] <= 64;
        for (size_t i = 0; ok && i < len[j]; i++) ok = s[i] < 256;
        G->grouped[j] = ok;
        if (!ok) continue;
        int w = len[j] <= 16 ? 0 : len[j] <= 32 ? 1 : 2;
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
            st = close_pending(G, g, data, start, &distinct[w], seen[w]);
            if (st != HP_OK) break;
            fresh = 0; /* in the new group, every element of this choice is new */
            for (int b = 0; b < 4; b++) fresh += (unsigned)__builtin_popcountll(mine[b]);
        }
        g->choice[g->n] = j;
        g->len[g->n] = len[j];
        g->n++;
        distinct[w] += fresh;
        for (int b = 0; b < 4; b++) seen[w][b] |= mine[b];
        if (g->n == 256u / (unsigned)g->width) {
            st = close_pending(G, g, data, start, &distinct[w], seen[w]);
            if (st != HP_OK) break;
        }
    }
    for (int w = 0; w < 3 && st == HP_OK; w++)
        st = close_pending(G, &pending[w], data, start, &distinct[w], seen[w]);
    if (st != HP_OK) {
        hp__lcs_groups_release(G);
        return st;
    }
    /* groups of one width next to each other, so that runs of two (hp__lcs_groups_scores2,
     * two independent chains) find a partner of the same width nearly every time; a
     * stable counting pass by width (the groups keep their choices, so order is free) */
    hp__lcs_group *sorted = hp__malloc((G->count ? G->count : 1) * sizeof *sorted);
    if (sorted) { /* without memory the order stays as built: only slower */
        size_t at = 0;
        for (int w = 16; w <= 64; w *= 2)
            for (size_t k = 0; k < G->count; k++)
                if (G->g[k].width == w) sorted[at++] = G->g[k];
        hp__free(G->g);
        G->g = sorted;
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
__attribute__((target("avx2"), always_inline)) static inline __m256i
row_of(const hp__lcs_group *g, const unsigned char *rows, uint32_t e) {
    return _mm256_loadu_si256((const __m256i *)(const void *)(rows + (size_t)g->map[e] * 32));
}

/* Groups k (and k + 1 when two, of the same width) in one pass: the S update is a
 * chain of dependent instructions, so two independent chains keep the core busy. Row 0
 * of a group is all zero: elements the group lacks leave S as it is. lev: Hyyrö's
 * Levenshtein lanes instead of the LCS ones. */
__attribute__((target("avx2"), always_inline)) static inline void
group_run_body(const hp__lcs_groups *G, size_t k, int two, int width, int lev, const uint32_t *q,
               size_t qn, const hp_scorer *sc, double cutoff, double *out0, double *out1) {
    const hp__lcs_group *g0 = &G->g[k], *g1 = &G->g[k + (two ? 1 : 0)];
    const unsigned char *r0 = G->rows + g0->row_off, *r1 = G->rows + g1->row_off;
    uint32_t cnt[16];
    if (lev) {
        const __m256i one = LANE_OP(width, _mm256_set1_epi16(1), _mm256_set1_epi32(1),
                                    _mm256_set1_epi64x(1));
        const __m256i last0 = _mm256_loadu_si256((const __m256i *)(const void *)g0->last);
        const __m256i last1 = _mm256_loadu_si256((const __m256i *)(const void *)g1->last);
        lev_lanes L0 = {_mm256_set1_epi32(-1), _mm256_setzero_si256(),
                        _mm256_loadu_si256((const __m256i *)(const void *)g0->lenv)};
        lev_lanes L1 = {_mm256_set1_epi32(-1), _mm256_setzero_si256(),
                        _mm256_loadu_si256((const __m256i *)(const void *)g1->lenv)};
        for (size_t j = 0; j < qn; j++) {
            /* an element no choice holds still moves the distances: its row is zero */
            uint32_t e = q[j] < 256 ? q[j] : 0;
            __m256i X0 = q[j] < 256 ? row_of(g0, r0, e) : _mm256_setzero_si256();
            lev_step(&L0, X0, last0, one, width);
            if (two) {
                __m256i X1 = q[j] < 256 ? row_of(g1, r1, e) : _mm256_setzero_si256();
                lev_step(&L1, X1, last1, one, width);
            }
        }
        lane_widen(L0.D, width, cnt);
        lane_scores(sc, cnt, g0->len, g0->lend, g0->n, qn, cutoff, out0);
        if (two) {
            lane_widen(L1.D, width, cnt);
            lane_scores(sc, cnt, g1->len, g1->lend, g1->n, qn, cutoff, out1);
        }
        return;
    }
    __m256i S0 = _mm256_set1_epi32(-1), S1 = S0;
    for (size_t j = 0; j < qn; j++) {
        if (q[j] >= 256) continue; /* no choice in a group holds it */
        S0 = step(S0, row_of(g0, r0, q[j]), width);
        if (two) S1 = step(S1, row_of(g1, r1, q[j]), width);
    }
    lane_counts(S0, g0->mask, width, cnt);
    lane_scores(sc, cnt, g0->len, g0->lend, g0->n, qn, cutoff, out0);
    if (two) {
        lane_counts(S1, g1->mask, width, cnt);
        lane_scores(sc, cnt, g1->len, g1->lend, g1->n, qn, cutoff, out1);
    }
}

/* The body with its branches resolved at compile time, one copy per case. */
#define HP__GROUP_RUN(w, two, lev)                                                                 \
    __attribute__((target("avx2"))) static void group_run_##w##_##two##_##lev(                     \
        const hp__lcs_groups *G, size_t k, const uint32_t *q, size_t qn, const hp_scorer *sc,      \
        double cutoff, double *a, double *b) {                                                     \
        group_run_body(G, k, two - 1, w, lev, q, qn, sc, cutoff, a, b);                            \
    }
HP__GROUP_RUN(16, 1, 0)
HP__GROUP_RUN(16, 2, 0)
HP__GROUP_RUN(32, 1, 0)
HP__GROUP_RUN(32, 2, 0)
HP__GROUP_RUN(64, 1, 0)
HP__GROUP_RUN(64, 2, 0)
HP__GROUP_RUN(16, 1, 1)
HP__GROUP_RUN(16, 2, 1)
HP__GROUP_RUN(32, 1, 1)
HP__GROUP_RUN(32, 2, 1)
HP__GROUP_RUN(64, 1, 1)
HP__GROUP_RUN(64, 2, 1)
#undef HP__GROUP_RUN

typedef void (*group_fn)(const hp__lcs_groups *, size_t, const uint32_t *, size_t,
                         const hp_scorer *, double, double *, double *);

static void group_run(const hp__lcs_groups *G, size_t k, int two, const uint32_t *q, size_t qn,
                      const hp_scorer *sc, double cutoff, double *out0, double *out1) {
    static const group_fn fns[2][3][2] = {
        {{group_run_16_1_0, group_run_16_2_0},
         {group_run_32_1_0, group_run_32_2_0},
         {group_run_64_1_0, group_run_64_2_0}},
        {{group_run_16_1_1, group_run_16_2_1},
         {group_run_32_1_1, group_run_32_2_1},
         {group_run_64_1_1, group_run_64_2_1}}};
    int w = G->g[k].width == 16 ? 0 : G->g[k].width == 32 ? 1 : 2;
    int lev = hp__multi_kind(sc) == HP__MULTI_LEV;
    fns[lev][w][two ? 1 : 0](G, k, q, qn, sc, cutoff, out0, out1);
}
#endif

void hp__lcs_groups_scores2(const hp__lcs_groups *G, size_t k, const uint32_t *q, size_t qn,
                            const hp_scorer *sc, double cutoff, double *out0, double *out1) {
#if HP_HAVE_X86_SIMD
    if (G->g[k].width == G->g[k + 1].width) {
        group_run(G, k, 1, q, qn, sc, cutoff, out0, out1);
        return;
    }
#endif
    hp__lcs_groups_scores(G, k, q, qn, sc, cutoff, out0);
    hp__lcs_groups_scores(G, k + 1, q, qn, sc, cutoff, out1);
}

void hp__lcs_groups_scores(const hp__lcs_groups *G, size_t k, const uint32_t *q, size_t qn,
                           const hp_scorer *sc, double cutoff, double *out) {
#if HP_HAVE_X86_SIMD
    group_run(G, k, 0, q, qn, sc, cutoff, out, NULL);
#else
    (void)G, (void)k, (void)q, (void)qn, (void)sc, (void)cutoff, (void)out;
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

int hp__multi_kind(const hp_scorer *sc) {
    if (hp__scorer_from_lcs(sc)) return HP__MULTI_LCS;
    if (sc->kind == HP_SCORER_METRIC && sc->id == HP_METRIC_LEVENSHTEIN && sc->weights[0] == 1 &&
        sc->weights[1] == 1 && sc->weights[2] == 1)
        return HP__MULTI_LEV;
    return HP__MULTI_NONE;
}

double hp__score_from_lcs(const hp_scorer *sc, size_t lcs, size_t la, size_t lb, double cutoff) {
    if (sc->kind == HP_SCORER_FUZZ) return hp__fuzz_ratio_from_lcs(sc->id, lcs, la, lb, cutoff);
    return hp__metric_from_lcs(sc, lcs, la, lb, cutoff);
}
