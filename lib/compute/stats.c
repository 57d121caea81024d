/*
 * Statistics over typed arrays: mean, variance, arg-min/max, histograms, quantiles,
 * median and cumulative sums (hp_stats_* in compute.h; sums live in sum.c, sorting in
 * sort.c).
 *
 * - mean: the compensated blocked sum of sum.c divided by the count.
 * - var/std: the corrected two-pass algorithm (Chan, Golub and LeVeque, "Algorithms for
 *   computing the sample variance", 1983): pass 1 the accurate mean m, pass 2 the sums
 *   of d = x - m and d^2 in eight independent lanes, var = (S2 - S1^2/n) / (n - ddof).
 *   The correction term cancels the first-order effect of the rounding error in m, and
 *   every term of S2 is non-negative, so the lanes' rounding errors only add (no
 *   cancellation): relative error O(n eps) with no dependence on the data's offset
 *   unless the mean dwarfs the spread. Two passes over memory beat Welford's update,
 *   which needs a division per element.
 * - argmin/argmax: one pass per block keeping both, blocks combined in order so the first
 *   occurrence wins.
 * - histogram: NumPy's own procedure (a bin guess from the affine map, then one correction
 *   step against the linspace edges), so the counts are NumPy's even within an ulp of an
 *   edge; explicit edges by binary search.
 * - quantile/median: introselect over order-preserving integer keys (integers compare
 *   faster than doubles and need no NaN care): quickselect with median-of-3 pivots and
 *   Hoare partitioning, which handles runs of equal keys in linear time, falling back to
 *   heapsort after 2*log2(n) rounds so the worst case stays O(n log n).
 * - cumsum: a plain running sum, on purpose (it must equal numpy.cumsum bit for bit).
 */
#include "internal/common.h"
#include "stats_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#if HP_HAVE_X86_SIMD
#include <immintrin.h>
#endif

/* ------------------------------------------------------------------ mean, var, std */

hp_status hp_stats_mean(double *out, const void *x, size_t n, hp_stats_type dtype,
                        uint32_t flags, unsigned threads) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NAN;
    HP_FORWARD_IF_ERROR(hp__stats_check(x, n, dtype, flags, HP_STATS_SKIPNAN));
    if (n == 0) return HP_OK;
    double s;
    size_t count = n;
    if (dtype == HP_STATS_I64 || dtype == HP_STATS_I32) {
        HP_FORWARD_IF_ERROR(hp__stats_int_sum_f64(&s, x, n, dtype, threads));
    } else {
        HP_FORWARD_IF_ERROR(
            hp__stats_fsum(&s, &count, x, n, dtype, flags & HP_STATS_SKIPNAN, threads));
    }
    *out = count ? s / (double)count : NAN;
    return HP_OK;
}

enum { LANES = 8, CHUNK = 512 };

typedef struct dev_part {
    double s1, s2; /* sum of d and of d^2 */
} dev_part;

typedef struct dev_ctx {
    const void *x;
    hp_stats_type t;
    bool skipnan;
    double mean;
    dev_part *parts;
} dev_ctx;

/* Adds sum(p[i] - mean) and sum((p[i] - mean)^2) to *s1, *s2, in LANES lanes. */
static void dev_sums(const hp__u_f64 *p, size_t m, double mean, double *s1, double *s2) {
    double a[LANES] = {0}, b[LANES] = {0};
    size_t i = 0;
    for (; i + LANES <= m; i += LANES) {
        for (int l = 0; l < LANES; l++) {
            double d = p[i + l] - mean;
            a[l] += d;
            b[l] += d * d;
        }
    }
    for (; i < m; i++) {
        double d = p[i] - mean;
        a[0] += d;
        b[0] += d * d;
    }
    for (int l = 1; l < LANES; l++) a[0] += a[l], b[0] += b[l];
    *s1 += a[0];
    *s2 += b[0];
}

static void dev_block(void *ctx, size_t blk, size_t begin, size_t end) {
    dev_ctx *c = ctx;
    double s1 = 0.0, s2 = 0.0;
    if (c->t == HP_STATS_F64 && !c->skipnan) {
        dev_sums((const hp__u_f64 *)c->x + begin, end - begin, c->mean, &s1, &s2);
    } else {
        double buf[CHUNK];
        for (size_t i = begin; i < end; i += CHUNK) {
            size_t len = end - i < CHUNK ? end - i : CHUNK;
            size_t m = hp__stats_load(buf, c->x, c->t, i, len, c->skipnan);
            dev_sums(buf, m, c->mean, &s1, &s2);
        }
    }
    c->parts[blk].s1 = s1;
    c->parts[blk].s2 = s2;
}

static hp_status var_impl(double *out, const void *x, size_t n, hp_stats_type dtype, double ddof,
                          uint32_t flags, unsigned threads) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NAN;
    HP_FORWARD_IF_ERROR(hp__stats_check(x, n, dtype, flags, HP_STATS_SKIPNAN));
    HP_RETURN_IF(!(ddof >= 0.0), HP_EINVAL, "ddof must be >= 0, got %g", ddof);
    if (n == 0) return HP_OK;
    bool skipnan = (flags & HP_STATS_SKIPNAN) && (dtype == HP_STATS_F64 || dtype == HP_STATS_F32);
    double s;
    size_t count = n;
    if (dtype == HP_STATS_I64 || dtype == HP_STATS_I32) {
        HP_FORWARD_IF_ERROR(hp__stats_int_sum_f64(&s, x, n, dtype, threads));
    } else {
        HP_FORWARD_IF_ERROR(hp__stats_fsum(&s, &count, x, n, dtype, skipnan, threads));
    }
    if (count == 0) return HP_OK;
    double mean = s / (double)count;
    size_t blocks = hp__stats_blocks(n);
    dev_part stack[256];
    dev_part *parts = hp__stats_scratch(stack, sizeof stack, blocks * sizeof *parts);
    HP_RETURN_IF(parts == NULL, HP_ENOMEM, "no memory for %zu partial sums", blocks);
    dev_ctx c = {x, dtype, skipnan, mean, parts};
    hp__stats_for_blocks(n, threads, dev_block, &c);
    double s1 = 0.0, s2 = 0.0;
    for (size_t b = 0; b < blocks; b++) s1 += parts[b].s1, s2 += parts[b].s2;
    hp__stats_scratch_free(parts, stack);
    /* s2 = inf (squares beyond DBL_MAX) stays inf, as NumPy's; s1^2 may be inf too */
    double ss = isinf(s2) ? s2 : s2 - s1 * s1 / (double)count;
    if (ss < 0.0) ss = 0.0; /* only rounding can make it negative */
    double dof = (double)count - ddof;
    *out = ss / (dof > 0.0 ? dof : 0.0);
    return HP_OK;
}

hp_status hp_stats_var(double *out, const void *x, size_t n, hp_stats_type dtype, double ddof,
                       uint32_t flags, unsigned threads) {
    return var_impl(out, x, n, dtype, ddof, flags, threads);
}

hp_status hp_stats_std(double *out, const void *x, size_t n, hp_stats_type dtype, double ddof,
                       uint32_t flags, unsigned threads) {
    HP_FORWARD_IF_ERROR(var_impl(out, x, n, dtype, ddof, flags, threads));
    *out = sqrt(*out);
    return HP_OK;
}

/* ------------------------------------------------------------------ argmin / argmax */

#define NONE SIZE_MAX

typedef struct arg_part {
    size_t imin, imax, inan; /* NONE when absent */
} arg_part;

typedef struct arg_ctx {
    const void *x;
    hp_stats_type t;
    bool skipnan;
    arg_part *parts;
} arg_ctx;

/* One block: the first NaN (floats; with propagation the scan stops there), and the
 * first minimum and maximum among the other values. U: T's unaligned-access type (the
 * array may start at any byte). */
#define ARG_SCAN(T, U, IS_NAN)                                                            \
    do {                                                                                  \
        const U *p = c->x;                                                                \
        size_t i = begin;                                                                 \
        T lo = 0, hi = 0;                                                                 \
        for (; i < end; i++) {                                                            \
            if (IS_NAN(p[i])) {                                                           \
                if (r.inan == NONE) r.inan = i;                                           \
                if (!c->skipnan) break;                                                   \
                continue;                                                                 \
            }                                                                             \
            lo = hi = p[i];                                                               \
            r.imin = r.imax = i++;                                                        \
            break;                                                                        \
        }                                                                                 \
        if (r.inan != NONE && !c->skipnan) break;                                         \
        for (; i < end; i++) {                                                            \
            T v = p[i];                                                                   \
            if (v < lo) {                                                                 \
                lo = v;                                                                   \
                r.imin = i;                                                               \
            } else if (v > hi) {                                                          \
                hi = v;                                                                   \
                r.imax = i;                                                               \
            } else if (IS_NAN(v)) {                                                       \
                if (r.inan == NONE) r.inan = i;                                           \
                if (!c->skipnan) break;                                                   \
            }                                                                             \
        }                                                                                 \
    } while (0)

#define NEVER_NAN(v) ((void)(v), 0)

#if HP_HAVE_X86_SIMD
/*
 * The AVX2 block scan, for blocks without NaN (the common case; a block with one goes
 * to ARG_SCAN, which knows the NaN rules). The scalar scan is a compare and a rarely
 * taken branch per element, which keeps it well below memory speed. Here every lane
 * keeps its own minimum and maximum with their indices (a strict compare picks the new
 * value, a blend takes it and its index), in two independent chains (even and odd
 * vectors) so the compare-blend latency is hidden; an unordered compare notes any NaN.
 * At the end the smallest value wins, the smaller index among equal values — the first
 * occurrence, as the scalar scan's strict compares give, also for -0.0 and 0.0, which
 * compare equal. One pass, unaligned loads, indices relative to the block (< 2^16).
 * false: a NaN was seen.
 */
#define ARG_AVX2(NAME, T, VEC, WIDTH, LOADU, STOREU, SET1, LT, GT, BLEND, IDX0, IDXSTEP, IDXT,    \
                 NANACC)                                                                        \
    __attribute__((target("avx2"))) static bool NAME(const void *x, size_t begin, size_t end,   \
                                                     arg_part *r) {                             \
        const T *p = (const T *)x;                                                              \
        T first;                                                                                \
        memcpy(&first, p + begin, sizeof first);                                                \
        VEC mn[2], mx[2];                                                                       \
        __m256i imn[2], imx[2], cur[2], nan = _mm256_setzero_si256();                           \
        const __m256i step = IDXSTEP;                                                           \
        for (int h = 0; h < 2; h++) {                                                           \
            mn[h] = mx[h] = SET1(first);                                                        \
            imn[h] = imx[h] = _mm256_setzero_si256(); /* the first element, index 0 */          \
        }                                                                                       \
        cur[0] = IDX0;                                                                          \
        cur[1] = IDXT == 64 ? _mm256_add_epi64(cur[0], step) : _mm256_add_epi32(cur[0], step);  \
        size_t i = begin;                                                                       \
        for (; i + 2 * (WIDTH) <= end; i += 2 * (WIDTH)) {                                      \
            for (int h = 0; h < 2; h++) {                                                       \
                VEC v = LOADU(p + i + h * (WIDTH));                                             \
                __m256i lt = LT(v, mn[h]), gt = GT(v, mx[h]);                                   \
                mn[h] = BLEND(mn[h], v, lt);                                                    \
                mx[h] = BLEND(mx[h], v, gt);                                                    \
                imn[h] = _mm256_blendv_epi8(imn[h], cur[h], lt);                                \
                imx[h] = _mm256_blendv_epi8(imx[h], cur[h], gt);                                \
                NANACC;                                                                         \
                cur[h] = IDXT == 64 ? _mm256_add_epi64(cur[h], _mm256_add_epi64(step, step))    \
                                    : _mm256_add_epi32(cur[h], _mm256_add_epi32(step, step));   \
            }                                                                                   \
        }                                                                                       \
        if (!_mm256_testz_si256(nan, nan)) return false;                                        \
        T lo = first, hi = first;                                                               \
        size_t ilo = 0, ihi = 0;                                                                \
        for (int h = 0; h < 2; h++) {                                                           \
            T vl[WIDTH], vh[WIDTH];                                                             \
            IDX_T_##IDXT il[WIDTH], ih[WIDTH];                                                  \
            STOREU(vl, mn[h]);                                                                  \
            STOREU(vh, mx[h]);                                                                  \
            _mm256_storeu_si256((__m256i *)(void *)il, imn[h]);                                 \
            _mm256_storeu_si256((__m256i *)(void *)ih, imx[h]);                                 \
            for (int k = 0; k < (WIDTH); k++) {                                                 \
                if (vl[k] < lo || (vl[k] == lo && (size_t)il[k] < ilo))                         \
                    lo = vl[k], ilo = (size_t)il[k];                                            \
                if (vh[k] > hi || (vh[k] == hi && (size_t)ih[k] < ihi))                         \
                    hi = vh[k], ihi = (size_t)ih[k];                                            \
            }                                                                                   \
        }                                                                                       \
        for (; i < end; i++) {                                                                  \
            T v;                                                                                \
            memcpy(&v, p + i, sizeof v);                                                        \
            if (v != v) return false;                                                           \
            if (v < lo) lo = v, ilo = i - begin;                                                \
            if (v > hi) hi = v, ihi = i - begin;                                                \
        }                                                                                       \
        r->imin = begin + ilo;                                                                  \
        r->imax = begin + ihi;                                                                  \
        return true;                                                                            \
    }

typedef int64_t IDX_T_64;
typedef int32_t IDX_T_32;
#define LD_PD(q) _mm256_loadu_pd((const double *)(const void *)(q))
#define LD_PS(q) _mm256_loadu_ps((const float *)(const void *)(q))
#define LD_SI(q) _mm256_loadu_si256((const __m256i *)(const void *)(q))
#define ST_PD(q, v) _mm256_storeu_pd(q, v)
#define ST_PS(q, v) _mm256_storeu_ps(q, v)
#define ST_SI(q, v) _mm256_storeu_si256((__m256i *)(void *)(q), v)
#define LT_PD(a, b) _mm256_castpd_si256(_mm256_cmp_pd(a, b, _CMP_LT_OQ))
#define GT_PD(a, b) _mm256_castpd_si256(_mm256_cmp_pd(a, b, _CMP_GT_OQ))
#define LT_PS(a, b) _mm256_castps_si256(_mm256_cmp_ps(a, b, _CMP_LT_OQ))
#define GT_PS(a, b) _mm256_castps_si256(_mm256_cmp_ps(a, b, _CMP_GT_OQ))
#define LT_EPI64(a, b) _mm256_cmpgt_epi64(b, a)
#define GT_EPI64(a, b) _mm256_cmpgt_epi64(a, b)
#define LT_EPI32(a, b) _mm256_cmpgt_epi32(b, a)
#define GT_EPI32(a, b) _mm256_cmpgt_epi32(a, b)
#define BL_PD(a, b, m) _mm256_blendv_pd(a, b, _mm256_castsi256_pd(m))
#define BL_PS(a, b, m) _mm256_blendv_ps(a, b, _mm256_castsi256_ps(m))
#define BL_SI(a, b, m) _mm256_blendv_epi8(a, b, m)
#define NAN_PD nan = _mm256_or_si256(nan, _mm256_castpd_si256(_mm256_cmp_pd(v, v, _CMP_UNORD_Q)))
#define NAN_PS nan = _mm256_or_si256(nan, _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q)))
#define IDX4 _mm256_setr_epi64x(0, 1, 2, 3)
#define IDX8 _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)

ARG_AVX2(arg_f64_avx2, double, __m256d, 4, LD_PD, ST_PD, _mm256_set1_pd, LT_PD, GT_PD, BL_PD, IDX4,
         _mm256_set1_epi64x(4), 64, NAN_PD)
ARG_AVX2(arg_f32_avx2, float, __m256, 8, LD_PS, ST_PS, _mm256_set1_ps, LT_PS, GT_PS, BL_PS, IDX8,
         _mm256_set1_epi32(8), 32, NAN_PS)
ARG_AVX2(arg_i64_avx2, int64_t, __m256i, 4, LD_SI, ST_SI, _mm256_set1_epi64x, LT_EPI64, GT_EPI64,
         BL_SI, IDX4, _mm256_set1_epi64x(4), 64, (void)0)
ARG_AVX2(arg_i32_avx2, int32_t, __m256i, 8, LD_SI, ST_SI, _mm256_set1_epi32, LT_EPI32, GT_EPI32,
         BL_SI, IDX8, _mm256_set1_epi32(8), 32, (void)0)
#undef ARG_AVX2
#undef LD_PD
#undef LD_PS
#undef LD_SI
#undef ST_PD
#undef ST_PS
#undef ST_SI
#undef LT_PD
#undef GT_PD
#undef LT_PS
#undef GT_PS
#undef LT_EPI64
#undef GT_EPI64
#undef LT_EPI32
#undef GT_EPI32
#undef BL_PD
#undef BL_PS
#undef BL_SI
#undef NAN_PD
#undef NAN_PS
#undef IDX4
#undef IDX8

/* The AVX2 scan of one block when the level allows it; false: use ARG_SCAN. */
static bool arg_block_simd(const arg_ctx *c, size_t begin, size_t end, arg_part *r) {
    hp_simd level = hp__simd();
    if (level < HP_SIMD_AVX2 || level == HP_SIMD_NEON) return false;
    switch (c->t) {
    case HP_STATS_F64: return arg_f64_avx2(c->x, begin, end, r);
    case HP_STATS_F32: return arg_f32_avx2(c->x, begin, end, r);
    case HP_STATS_I64: return arg_i64_avx2(c->x, begin, end, r);
    case HP_STATS_I32: return arg_i32_avx2(c->x, begin, end, r);
    }
    return false;
}
#else
static bool arg_block_simd(const arg_ctx *c, size_t begin, size_t end, arg_part *r) {
    (void)c, (void)begin, (void)end, (void)r;
    return false;
}
#endif

static void arg_block(void *ctx, size_t blk, size_t begin, size_t end) {
    arg_ctx *c = ctx;
    arg_part r = {NONE, NONE, NONE};
    if (arg_block_simd(c, begin, end, &r)) {
        c->parts[blk] = r;
        return;
    }
    switch (c->t) {
    case HP_STATS_F64: ARG_SCAN(double, hp__u_f64, isnan); break;
    case HP_STATS_F32: ARG_SCAN(float, hp__u_f32, isnan); break;
    case HP_STATS_I64: ARG_SCAN(int64_t, hp__u_i64, NEVER_NAN); break;
    case HP_STATS_I32: ARG_SCAN(int32_t, hp__u_i32, NEVER_NAN); break;
    }
    c->parts[blk] = r;
}

/* a < b for elements i and j of x. */
static bool less_at(const void *x, hp_stats_type t, size_t i, size_t j) {
    switch (t) {
    case HP_STATS_F64: return ((const hp__u_f64 *)x)[i] < ((const hp__u_f64 *)x)[j];
    case HP_STATS_F32: return ((const hp__u_f32 *)x)[i] < ((const hp__u_f32 *)x)[j];
    case HP_STATS_I64: return ((const hp__u_i64 *)x)[i] < ((const hp__u_i64 *)x)[j];
    case HP_STATS_I32: return ((const hp__u_i32 *)x)[i] < ((const hp__u_i32 *)x)[j];
    }
    return false;
}

hp_status hp_stats_argminmax(int64_t *argmin, int64_t *argmax, const void *x, size_t n,
                             hp_stats_type dtype, uint32_t flags, unsigned threads) {
    HP_RETURN_IF(argmin == NULL && argmax == NULL, HP_EINVAL, "argmin and argmax are both NULL");
    if (argmin) *argmin = -1;
    if (argmax) *argmax = -1;
    HP_FORWARD_IF_ERROR(hp__stats_check(x, n, dtype, flags, HP_STATS_SKIPNAN));
    HP_RETURN_IF(n == 0, HP_EINVAL, "argmin/argmax of an empty array");
    size_t blocks = hp__stats_blocks(n);
    arg_part stack[256];
    arg_part *parts = hp__stats_scratch(stack, sizeof stack, blocks * sizeof *parts);
    HP_RETURN_IF(parts == NULL, HP_ENOMEM, "no memory for %zu partial results", blocks);
    arg_ctx c = {x, dtype, flags & HP_STATS_SKIPNAN, parts};
    hp__stats_for_blocks(n, threads, arg_block, &c);
    size_t imin = NONE, imax = NONE, inan = NONE;
    for (size_t b = 0; b < blocks; b++) {
        arg_part r = parts[b];
        if (r.inan != NONE && inan == NONE) inan = r.inan;
        if (r.imin == NONE) continue;
        if (imin == NONE || less_at(x, dtype, r.imin, imin)) imin = r.imin;
        if (imax == NONE || less_at(x, dtype, imax, r.imax)) imax = r.imax;
    }
    hp__stats_scratch_free(parts, stack);
    if (inan != NONE && !c.skipnan) imin = imax = inan;
    if (argmin) *argmin = imin == NONE ? -1 : (int64_t)imin;
    if (argmax) *argmax = imax == NONE ? -1 : (int64_t)imax;
    return HP_OK;
}

/* ------------------------------------------------------------------ histograms */

/* Splits [0, n) into up to `threads` chunks of at least HP__STATS_BLOCK elements, each
 * with its own counts row, summed at the end. */
typedef struct hist_ctx {
    const void *x;
    hp_stats_type t;
    size_t n, chunks, bins;
    int64_t *rows; /* chunks x bins */
    const double *edges;
    size_t nedges;
    double lo, hi; /* uniform bins: the range */
} hist_ctx;

static inline size_t uniform_bin(const hist_ctx *c, double v) {
    /* NumPy: f = (v - lo) / (hi - lo) * bins, truncated, then one correction step. */
    double f = (v - c->lo) / (c->hi - c->lo) * (double)c->bins;
    size_t i = (size_t)f;
    if (i >= c->bins) i = c->bins - 1;
    if (v < c->edges[i]) i--;
    if (v >= c->edges[i + 1] && i != c->bins - 1) i++;
    return i;
}

/* The bin of v by explicit edges: the last i with edges[i] <= v, the last edge folded
 * into the last bin; NONE when outside or NaN. */
static inline size_t edges_bin(const double *e, size_t ne, double v) {
    if (!(v >= e[0] && v <= e[ne - 1])) return NONE;
    size_t lo = 0, hi = ne; /* e[lo] <= v < e[hi] (e[ne] = +inf) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (e[mid] <= v) lo = mid;
        else hi = mid;
    }
    return lo == ne - 1 ? ne - 2 : lo;
}

static void hist_chunk(void *ctx, size_t begin_chunk, size_t end_chunk) {
    hist_ctx *c = ctx;
    for (size_t k = begin_chunk; k < end_chunk; k++) {
        size_t begin = c->n / c->chunks * k, end = k + 1 == c->chunks ? c->n : c->n / c->chunks * (k + 1);
        int64_t *row = c->rows + k * c->bins;
        double buf[CHUNK];
        for (size_t i = begin; i < end; i += CHUNK) {
            size_t len = end - i < CHUNK ? end - i : CHUNK;
            size_t m = hp__stats_load(buf, c->x, c->t, i, len, false);
            if (c->nedges) {
                for (size_t j = 0; j < m; j++) {
                    size_t b = edges_bin(c->edges, c->nedges, buf[j]);
                    if (b != NONE) row[b]++;
                }
            } else {
                for (size_t j = 0; j < m; j++) {
                    double v = buf[j];
                    if (v >= c->lo && v <= c->hi) row[uniform_bin(c, v)]++;
                }
            }
        }
    }
}

static hp_status hist_run(int64_t *counts, hist_ctx *c, unsigned threads) {
    size_t t = threads ? threads : hp_default_threads();
    size_t chunks = c->n / HP__STATS_BLOCK;
    if (chunks > t) chunks = t;
    if (chunks < 1) chunks = 1;
    c->chunks = chunks;
    memset(counts, 0, c->bins * sizeof *counts);
    if (chunks == 1) {
        c->rows = counts;
        hist_chunk(c, 0, 1);
        return HP_OK;
    }
    size_t cells;
    HP_RETURN_IF(!hp__mul_size(chunks, c->bins * sizeof *counts, &cells), HP_EOVERFLOW,
                 "histogram rows overflow");
    c->rows = hp__malloc(cells);
    HP_RETURN_IF(c->rows == NULL, HP_ENOMEM, "no memory for %zu histogram rows", chunks);
    memset(c->rows, 0, cells);
    hp__parallel_for(chunks, 1, (unsigned)chunks, hist_chunk, c);
    for (size_t k = 0; k < chunks; k++)
        for (size_t b = 0; b < c->bins; b++) counts[b] += c->rows[k * c->bins + b];
    hp__free(c->rows);
    return HP_OK;
}

hp_status hp_stats_histogram(int64_t *counts, double *edges, size_t bins, double lo, double hi,
                             const void *x, size_t n, hp_stats_type dtype, unsigned threads) {
    HP_CHECK_NOT_NULL(counts, "counts");
    HP_FORWARD_IF_ERROR(hp__stats_check(x, n, dtype, 0, 0));
    HP_RETURN_IF(bins == 0, HP_EINVAL, "bins must be at least 1");
    HP_RETURN_IF(bins > HP_MAX_LEN / 8 - 1, HP_EOVERFLOW, "bins %zu too large", bins);
    HP_RETURN_IF(!isfinite(lo) || !isfinite(hi), HP_EINVAL, "range [%g, %g] is not finite", lo,
                 hi);
    HP_RETURN_IF(lo > hi, HP_EINVAL, "range [%g, %g]: max must be larger than min", lo, hi);
    if (lo == hi) lo -= 0.5, hi += 0.5;
    double stack[257];
    double *e = hp__stats_scratch(stack, sizeof stack, (bins + 1) * sizeof *e);
    HP_RETURN_IF(e == NULL, HP_ENOMEM, "no memory for %zu edges", bins + 1);
    /* numpy.linspace(lo, hi, bins + 1): i * step + lo, the last one set to hi. */
    double delta = hi - lo, step = delta / (double)bins;
    for (size_t i = 0; i <= bins; i++)
        e[i] = (step == 0.0 ? (double)i / (double)bins * delta : (double)i * step) + lo;
    e[bins] = hi;
    hp_status st = HP_OK;
    for (size_t i = 0; i < bins && st == HP_OK; i++)
        if (!(e[i] < e[i + 1]))
            st = hp__fail(HP_EINVAL,
                          "too many bins for data range: cannot create %zu finite-sized bins",
                          bins);
    if (st == HP_OK) {
        hist_ctx c = {.x = x, .t = dtype, .n = n, .bins = bins, .edges = e, .lo = lo, .hi = hi};
        st = hist_run(counts, &c, threads);
    }
    if (st == HP_OK && edges) memcpy(edges, e, (bins + 1) * sizeof *e);
    hp__stats_scratch_free(e, stack);
    return st;
}

hp_status hp_stats_histogram_edges(int64_t *counts, const double *edges, size_t nedges,
                                   const void *x, size_t n, hp_stats_type dtype, unsigned threads) {
    HP_CHECK_NOT_NULL(counts, "counts");
    HP_CHECK_NOT_NULL(edges, "edges");
    HP_FORWARD_IF_ERROR(hp__stats_check(x, n, dtype, 0, 0));
    HP_RETURN_IF(nedges < 2, HP_EINVAL, "need at least 2 edges, got %zu", nedges);
    HP_RETURN_IF(nedges > HP_MAX_LEN / 8, HP_EOVERFLOW, "nedges %zu too large", nedges);
    for (size_t i = 0; i < nedges; i++) {
        HP_RETURN_IF(isnan(edges[i]), HP_EINVAL, "edge %zu is NaN", i);
        HP_RETURN_IF(i > 0 && edges[i] < edges[i - 1], HP_EINVAL,
                     "edges must increase monotonically (edge %zu < edge %zu)", i, i - 1);
    }
    hist_ctx c = {.x = x, .t = dtype, .n = n, .bins = nedges - 1, .edges = edges, .nedges = nedges};
    return hist_run(counts, &c, threads);
}

/* ------------------------------------------------------------------ quantiles */

#define SIGN64 ((uint64_t)1 << 63)

/* Order-preserving keys: unsigned order of keys = numeric order of values. */
static inline uint64_t key_f64(double v) {
    uint64_t b;
    memcpy(&b, &v, sizeof b);
    return (b & SIGN64) ? ~b : b | SIGN64;
}

static inline double unkey_f64(uint64_t k) {
    uint64_t b = (k & SIGN64) ? k & ~SIGN64 : ~k;
    double v;
    memcpy(&v, &b, sizeof v);
    return v;
}

static double unkey(uint64_t k, hp_stats_type t) {
    switch (t) {
    case HP_STATS_F64:
    case HP_STATS_F32: return unkey_f64(k); /* f32 values are keyed as their exact double */
    case HP_STATS_I64:
    case HP_STATS_I32: return (double)(int64_t)(k ^ SIGN64);
    }
    return 0.0;
}

/* Fills keys from x; returns the key count (NaNs dropped with skipnan) and sets *nan when
 * a NaN was seen. */
static size_t make_keys(uint64_t *keys, const void *x, size_t n, hp_stats_type t, bool skipnan,
                        bool *nan) {
    size_t m = 0;
    *nan = false;
    switch (t) {
    case HP_STATS_F64:
    case HP_STATS_F32:
        for (size_t i = 0; i < n; i++) {
            double v = t == HP_STATS_F64 ? ((const hp__u_f64 *)x)[i] : ((const hp__u_f32 *)x)[i];
            if (isnan(v)) {
                *nan = true;
                if (!skipnan) return 0;
                continue;
            }
            keys[m++] = key_f64(v);
        }
        return m;
    case HP_STATS_I64:
        for (size_t i = 0; i < n; i++) keys[i] = (uint64_t)((const hp__u_i64 *)x)[i] ^ SIGN64;
        return n;
    case HP_STATS_I32:
        for (size_t i = 0; i < n; i++)
            keys[i] = (uint64_t)(int64_t)((const hp__u_i32 *)x)[i] ^ SIGN64;
        return n;
    }
    return 0;
}

static inline void swap_u64(uint64_t *a, uint64_t *b) {
    uint64_t t = *a;
    *a = *b;
    *b = t;
}

static void sift_down(uint64_t *a, size_t root, size_t n) {
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && a[child + 1] > a[child]) child++;
        if (a[root] >= a[child]) return;
        swap_u64(&a[root], &a[child]);
        root = child;
    }
}

static void heap_sort(uint64_t *a, size_t n) {
    for (size_t i = n / 2; i-- > 0;) sift_down(a, i, n);
    for (size_t end = n; end > 1; end--) {
        swap_u64(&a[0], &a[end - 1]);
        sift_down(a, 0, end - 1);
    }
}

static void insertion_sort(uint64_t *a, size_t n) {
    for (size_t i = 1; i < n; i++) {
        uint64_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--) a[j] = a[j - 1];
        a[j] = v;
    }
}

/* One Hoare partition of a[lo..hi) (hi - lo > 16) around the median of three, which is
 * moved to a[lo] so the scheme returns j < hi - 1: afterwards a[lo..j] <= pivot <=
 * a[j+1..hi). */
static size_t partition(uint64_t *a, size_t lo, size_t hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap_u64(&a[mid], &a[lo]);
    if (a[hi - 1] < a[lo]) swap_u64(&a[hi - 1], &a[lo]);
    if (a[hi - 1] < a[mid]) swap_u64(&a[hi - 1], &a[mid]);
    swap_u64(&a[lo], &a[mid]);
    uint64_t pivot = a[lo];
    size_t i = lo - 1, j = hi;
    for (;;) {
        do i++;
        while (a[i] < pivot);
        do j--;
        while (a[j] > pivot);
        if (i >= j) return j;
        swap_u64(&a[i], &a[j]);
    }
}

/* Rearranges a[lo..hi) so that a[k] is the key a sort would put there, everything
 * before it <= a[k] and everything after >= a[k]. */
static void select_k(uint64_t *a, size_t lo, size_t hi, size_t k) {
    unsigned budget = 0;
    for (size_t m = hi - lo; m > 1; m >>= 1) budget += 2;
    while (hi - lo > 16) {
        if (budget-- == 0) {
            heap_sort(a + lo, hi - lo);
            return;
        }
        size_t j = partition(a, lo, hi);
        if (k <= j) hi = j + 1;
        else lo = j + 1;
    }
    insertion_sort(a + lo, hi - lo);
}

/* Puts every rank of ks[0..nk) (sorted ascending, within [lo, hi)) in place, as
 * select_k does for one: a partition serves all ranks at once and each side recurses
 * with the ranks that fall in it, so q quantiles cost about log2(2q) passes over the
 * data rather than one selection each. budget: partitions left before the heap-sort
 * fallback (introselect's guard; it also bounds the recursion depth). */
static void select_many(uint64_t *a, size_t lo, size_t hi, const size_t *ks, size_t nk,
                        unsigned budget) {
    while (nk > 0) {
        if (nk == 1) {
            select_k(a, lo, hi, ks[0]);
            return;
        }
        if (hi - lo <= 16) {
            insertion_sort(a + lo, hi - lo);
            return;
        }
        if (budget-- == 0) {
            heap_sort(a + lo, hi - lo);
            return;
        }
        size_t j = partition(a, lo, hi);
        /* a[lo..j] <= pivot <= a[j+1..hi): ranks <= j go left, the rest right */
        size_t left = 0;
        while (left < nk && ks[left] <= j) left++;
        if (left < nk - left) { /* recurse into the side with fewer ranks */
            select_many(a, lo, j + 1, ks, left, budget);
            lo = j + 1, ks += left, nk -= left;
        } else {
            select_many(a, j + 1, hi, ks + left, nk - left, budget);
            hi = j + 1, nk = left;
        }
    }
}

static int cmp_size(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* The keys for the quantile functions: scratch of n keys, their count, NaN seen. */
static hp_status quantile_keys(uint64_t **keys, size_t *count, bool *nan, const void *x,
                               size_t n, hp_stats_type t, uint32_t flags) {
    size_t bytes;
    HP_RETURN_IF(!hp__mul_size(n ? n : 1, sizeof **keys, &bytes), HP_EOVERFLOW, "n too large");
    *keys = hp__malloc(bytes);
    HP_RETURN_IF(*keys == NULL, HP_ENOMEM, "no memory for %zu keys", n);
    *count = make_keys(*keys, x, n, t, flags & HP_STATS_SKIPNAN, nan);
    return HP_OK;
}

/* NumPy's _lerp(a, b, g) with a = x_(i), b = x_(j): b - a in the input's arithmetic (it
 * wraps for integers there, and here), then in double. */
static double lerp(uint64_t ka, uint64_t kb, double g, hp_stats_type t) {
    double a = unkey(ka, t), b = unkey(kb, t), diff;
    if (t == HP_STATS_I64) {
        diff = (double)(int64_t)((kb ^ SIGN64) - (ka ^ SIGN64));
    } else if (t == HP_STATS_I32) {
        diff = (double)(int32_t)(uint32_t)((uint32_t)(kb ^ SIGN64) - (uint32_t)(ka ^ SIGN64));
    } else {
        diff = b - a;
    }
    return g >= 0.5 ? b - diff * (1.0 - g) : a + diff * g;
}

hp_status hp_stats_quantile(double *out, const double *q, size_t nq, const void *x, size_t n,
                            hp_stats_type dtype, uint32_t flags) {
    HP_CHECK_NOT_NULL(out, "out");
    HP_RETURN_IF(q == NULL && nq > 0, HP_EINVAL, "q is NULL but nq is %zu", nq);
    HP_RETURN_IF(nq > HP_MAX_LEN / 8, HP_EOVERFLOW, "nq %zu too large", nq);
    HP_FORWARD_IF_ERROR(hp__stats_check(x, n, dtype, flags, HP_STATS_SKIPNAN));
    HP_RETURN_IF(n == 0, HP_EINVAL, "quantile of an empty array");
    for (size_t i = 0; i < nq; i++)
        HP_RETURN_IF(!(q[i] >= 0.0 && q[i] <= 1.0), HP_EINVAL,
                     "quantiles must be in the range [0, 1], q[%zu] = %g", i, q[i]);
    if (nq == 0) return HP_OK;
    uint64_t *keys;
    size_t m;
    bool nan;
    HP_FORWARD_IF_ERROR(quantile_keys(&keys, &m, &nan, x, n, dtype, flags));
    if ((nan && !(flags & HP_STATS_SKIPNAN)) || m == 0) {
        for (size_t i = 0; i < nq; i++) out[i] = NAN;
        hp__free(keys);
        return HP_OK;
    }
    /* The ranks every quantile reads (floor and floor + 1 of (m-1)q), sorted and
     * without repeats, selected together. */
    size_t *ks = hp__malloc(2 * nq * sizeof *ks), nk = 0;
    if (ks == NULL) {
        hp__free(keys);
        return hp__fail(HP_ENOMEM, "no memory for %zu quantile ranks", 2 * nq);
    }
    for (size_t i = 0; i < nq; i++) {
        double v = (double)(m - 1) * q[i];
        size_t lo = v >= (double)(m - 1) ? m - 1 : (size_t)floor(v);
        ks[nk++] = lo;
        if (lo + 1 < m) ks[nk++] = lo + 1;
    }
    qsort(ks, nk, sizeof *ks, cmp_size);
    size_t uniq = 0;
    for (size_t i = 0; i < nk; i++)
        if (uniq == 0 || ks[uniq - 1] != ks[i]) ks[uniq++] = ks[i];
    unsigned budget = 0;
    for (size_t len = m; len > 1; len >>= 1) budget += 2;
    select_many(keys, 0, m, ks, uniq, budget);
    hp__free(ks);
    for (size_t i = 0; i < nq; i++) {
        double v = (double)(m - 1) * q[i];
        if (v >= (double)(m - 1)) {
            /* NumPy indexes the last value as -1 here, so g = v + 1 */
            out[i] = lerp(keys[m - 1], keys[m - 1], v + 1.0, dtype);
        } else {
            size_t lo = (size_t)floor(v);
            out[i] = lerp(keys[lo], keys[lo + 1], v - (double)lo, dtype);
        }
    }
    hp__free(keys);
    return HP_OK;
}

hp_status hp_stats_median(double *out, const void *x, size_t n, hp_stats_type dtype,
                          uint32_t flags) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NAN;
    HP_FORWARD_IF_ERROR(hp__stats_check(x, n, dtype, flags, HP_STATS_SKIPNAN));
    if (n == 0) return HP_OK;
    uint64_t *keys;
    size_t m;
    bool nan;
    HP_FORWARD_IF_ERROR(quantile_keys(&keys, &m, &nan, x, n, dtype, flags));
    if ((nan && !(flags & HP_STATS_SKIPNAN)) || m == 0) {
        hp__free(keys);
        return HP_OK;
    }
    size_t k = m / 2;
    select_k(keys, 0, m, k);
    double b = unkey(keys[k], dtype);
    if (m % 2) {
        *out = b;
    } else {
        uint64_t below = keys[0];
        for (size_t i = 1; i < k; i++) below = keys[i] > below ? keys[i] : below;
        *out = (unkey(below, dtype) + b) / 2.0;
    }
    hp__free(keys);
    return HP_OK;
}

/* ------------------------------------------------------------------ cumsum */

hp_status hp_stats_cumsum(void *out, const void *x, size_t n, hp_stats_type dtype) {
    HP_FORWARD_IF_ERROR(hp__stats_check(x, n, dtype, 0, 0));
    HP_RETURN_IF(out == NULL && n > 0, HP_EINVAL, "out is NULL but n is %zu", n);
    switch (dtype) {
    case HP_STATS_F64: {
        const hp__u_f64 *p = x;
        double *o = out, s = 0.0;
        for (size_t i = 0; i < n; i++) o[i] = s = i ? s + p[i] : p[i];
        return HP_OK;
    }
    case HP_STATS_F32: {
        const hp__u_f32 *p = x;
        float *o = out, s = 0.0f;
        for (size_t i = 0; i < n; i++) o[i] = s = i ? s + p[i] : p[i];
        return HP_OK;
    }
    case HP_STATS_I64: {
        const hp__u_i64 *p = x;
        int64_t *o = out, s = 0;
        for (size_t i = 0; i < n; i++) {
            HP_RETURN_IF(__builtin_add_overflow(s, p[i], &s), HP_EOVERFLOW,
                         "the running sum overflows int64 at index %zu", i);
            o[i] = s;
        }
        return HP_OK;
    }
    case HP_STATS_I32: {
        /* int64 out may overlap the int32 input only if it is the same memory, which the
         * header excludes (types differ); int32 sums of n < 2^32 cannot overflow int64,
         * beyond that the check below catches it */
        const hp__u_i32 *p = x;
        int64_t *o = out, s = 0;
        for (size_t i = 0; i < n; i++) {
            HP_RETURN_IF(__builtin_add_overflow(s, (int64_t)p[i], &s), HP_EOVERFLOW,
                         "the running sum overflows int64 at index %zu", i);
            o[i] = s;
        }
        return HP_OK;
    }
    }
    return HP_OK;
}
