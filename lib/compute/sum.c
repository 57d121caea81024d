/*
 * hp_sum_f64: compensated summation.
 *
 * Algorithm: Sum2 of Ogita, Rump and Oishi, "Accurate Sum and Dot Product" (SIAM J.
 * Sci. Comput. 26(6), 2005). Each addition s + x is split by Knuth's TwoSum into the
 * rounded sum and its exact rounding error; the errors are summed in a second
 * accumulator and added at the end. The result is as accurate as a naive sum carried
 * out in twice the precision, then rounded:
 *     |res - S| <= eps*|S| + gamma(n-1)^2 * sum|x_i|,   gamma(k) = k*eps/(1 - k*eps).
 * Independent (s, c) lanes break the dependency chain of the adds: four in the scalar
 * reference, sixteen in the SIMD paths (four AVX2 vectors, two AVX-512 vectors or eight
 * NEON vectors holding the same lanes, so those three give bit-identical results). The
 * lanes are combined with the same TwoSum, which keeps the bound with n+15 in place of
 * n-1. TwoSum needs no
 * branches (unlike Fast2Sum it works whatever the magnitudes); no -ffast-math or FMA
 * contraction is allowed near it, which would delete the error terms.
 *
 * Non-finite values: TwoSum of an infinity yields NaN error terms, so a plain sum is
 * kept alongside; when it is not finite it is the IEEE answer (NaN, or the infinity).
 * When every input is finite but a running sum overflows, the sum is redone on x/2 and
 * scaled back, so a total that rounds to DBL_MAX is still returned; overflow that
 * remains is reported as HP_EOVERFLOW, as math.fsum raises OverflowError.
 */
#include "internal/common.h"
#include "stats_internal.h"

#include <math.h>

enum { LANES = 4 };

static inline void two_sum(double a, double b, double *s, double *err) {
    double t = a + b;
    double bv = t - a;
    *err = (a - (t - bv)) + (b - bv);
    *s = t;
}

/* Combines per-lane Sum2 states: the partial sums with TwoSum (their errors join the
 * error sum); pair[0] gets the total, pair[1] the error sum, and the result is their
 * rounded sum. *naive gets the plain sum. */
static double combine(const double *s, const double *c, const double *plain, int lanes,
                      double *naive, double pair[2]) {
    double total = s[0], err = c[0], p = plain[0];
    for (int l = 1; l < lanes; l++) {
        double e;
        two_sum(total, s[l], &total, &e);
        err += e + c[l];
        p += plain[l];
    }
    *naive = p;
    pair[0] = total;
    pair[1] = err;
    return total + err;
}

/* Sum2 over x[0..n) * scale (scale is a power of two, so the products are exact for
 * normal numbers), LANES independent lanes: the scalar reference. */
static double sum2_scalar(const hp__u_f64 *x, size_t n, double scale, double *naive,
                          double pair[2]) {
    double s[LANES] = {0}, c[LANES] = {0}, plain[LANES] = {0};
    size_t i = 0;
    for (; i + LANES <= n; i += LANES) {
        for (int l = 0; l < LANES; l++) {
            double v = x[i + l] * scale, e;
            two_sum(s[l], v, &s[l], &e);
            c[l] += e;
            plain[l] += v;
        }
    }
    for (; i < n; i++) {
        double v = x[i] * scale, e;
        two_sum(s[0], v, &s[0], &e);
        c[0] += e;
        plain[0] += v;
    }
    return combine(s, c, plain, LANES, naive, pair);
}

#if defined(__aarch64__) && !defined(HP_NO_SIMD)
#define HAVE_NEON 1
#else
#define HAVE_NEON 0
#endif

enum { VLANES = 16 }; /* lanes of the SIMD paths: four AVX2 vectors of four doubles */

#if HP_HAVE_X86_SIMD || HAVE_NEON
/* The SIMD paths' end: with their lanes stored in ss and cc (VLANES each), the last
 * left elements go into lane 0 by the scalar TwoSum, and the lanes are combined (no
 * plain sum is kept: see sum2_avx2_body). */
static double sum2_finish(double *ss, double *cc, const hp__u_f64 *x, size_t left, double scale,
                          double *naive, double pair[2]) {
    double pp[VLANES] = {0};
    for (size_t i = 0; i < left; i++) {
        double v = x[i] * scale, e;
        two_sum(ss[0], v, &ss[0], &e);
        cc[0] += e;
    }
    double result = combine(ss, cc, pp, VLANES, naive, pair);
    *naive = result;
    return result;
}
#endif

#if HP_HAVE_X86_SIMD
#include <immintrin.h>

/* The same Sum2 with 16 lanes in four ymm registers each for s and c: the four
 * independent add chains hide the FP-add latency, so the loop runs at the add throughput
 * (7 adds per vector of 4 elements) instead of one TwoSum latency per element. No
 * contraction and no reassociation: every operation is the scalar TwoSum, lane by lane.
 * Three of the seven adds are written as fma(x, 1.0, +-y): x*1 is exact, so that is one
 * rounding of x +- y, bit for bit the add, but it issues on the FMA units, which cores
 * with separate add and FMA units (AMD Zen) leave idle otherwise — the loop then keeps
 * pace with memory instead of the add units. The plain sum is
 * not kept: any infinity or NaN among the inputs makes the compensated result NaN, which
 * sends the caller to its non-finite path anyway, so *naive is the result itself. The
 * scaled (x/2) pass is a separate instantiation, keeping the multiply out of the
 * common loop. */
__attribute__((target("avx2,fma"), always_inline)) static inline double
sum2_avx2_body(const hp__u_f64 *x, size_t n, double scale, bool scaled, double *naive,
               double pair[2]) {
    __m256d s[4], c[4];
    const __m256d k = _mm256_set1_pd(scale), one = _mm256_set1_pd(1.0);
    for (int j = 0; j < 4; j++) s[j] = c[j] = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + VLANES <= n; i += VLANES) {
        for (int j = 0; j < 4; j++) {
            __m256d v = _mm256_loadu_pd(x + i + 4 * j);
            if (scaled) v = _mm256_mul_pd(v, k);
            __m256d t = _mm256_fmadd_pd(v, one, s[j]);    /* s + v */
            __m256d bv = _mm256_fmsub_pd(t, one, s[j]);   /* t - s */
            __m256d e = _mm256_add_pd(_mm256_sub_pd(s[j], _mm256_fmsub_pd(t, one, bv)),
                                      _mm256_sub_pd(v, bv));
            s[j] = t;
            c[j] = _mm256_add_pd(c[j], e);
        }
    }
    double ss[VLANES], cc[VLANES];
    for (int j = 0; j < 4; j++) {
        _mm256_storeu_pd(ss + 4 * j, s[j]);
        _mm256_storeu_pd(cc + 4 * j, c[j]);
    }
    return sum2_finish(ss, cc, x + i, n - i, scale, naive, pair);
}

__attribute__((target("avx2,fma"))) static double sum2_avx2(const hp__u_f64 *x, size_t n, double scale,
                                                        double *naive, double pair[2]) {
    return scale == 1.0 ? sum2_avx2_body(x, n, 1.0, false, naive, pair)
                        : sum2_avx2_body(x, n, scale, true, naive, pair);
}

/* The AVX-512 form of the same 16 lanes: two zmm registers each for s and c hold
 * exactly the lanes of the four AVX2 ymm registers (lane l takes x[i + l]), so the two
 * paths give bit-identical results; each instruction does twice the work, which keeps
 * the sum at memory speed. */
__attribute__((target("avx512f"), always_inline)) static inline double
sum2_avx512_body(const hp__u_f64 *x, size_t n, double scale, bool scaled, double *naive,
                 double pair[2]) {
    __m512d s[2], c[2];
    const __m512d k = _mm512_set1_pd(scale), one = _mm512_set1_pd(1.0);
    for (int j = 0; j < 2; j++) s[j] = c[j] = _mm512_setzero_pd();
    size_t i = 0;
    for (; i + VLANES <= n; i += VLANES) {
        for (int j = 0; j < 2; j++) {
            __m512d v = _mm512_loadu_pd(x + i + 8 * j);
            if (scaled) v = _mm512_mul_pd(v, k);
            __m512d t = _mm512_fmadd_pd(v, one, s[j]);    /* s + v */
            __m512d bv = _mm512_fmsub_pd(t, one, s[j]);   /* t - s */
            __m512d e = _mm512_add_pd(_mm512_sub_pd(s[j], _mm512_fmsub_pd(t, one, bv)),
                                      _mm512_sub_pd(v, bv));
            s[j] = t;
            c[j] = _mm512_add_pd(c[j], e);
        }
    }
    double ss[VLANES], cc[VLANES];
    for (int j = 0; j < 2; j++) {
        _mm512_storeu_pd(ss + 8 * j, s[j]);
        _mm512_storeu_pd(cc + 8 * j, c[j]);
    }
    return sum2_finish(ss, cc, x + i, n - i, scale, naive, pair);
}

__attribute__((target("avx512f"))) static double sum2_avx512(const hp__u_f64 *x, size_t n,
                                                            double scale, double *naive,
                                                            double pair[2]) {
    return scale == 1.0 ? sum2_avx512_body(x, n, 1.0, false, naive, pair)
                        : sum2_avx512_body(x, n, scale, true, naive, pair);
}
#endif

#if HAVE_NEON
#include <arm_neon.h>

/* The same 16 lanes in eight 2-double NEON registers each for s and c (vector j holds
 * lanes 2j and 2j+1, as the AVX2 registers hold lanes 4j..4j+3), the same TwoSum per
 * lane, the same tail into lane 0 and the same combine: bit-identical to the AVX2 and
 * AVX-512 paths. Eight independent chains cover the add latency of a NEON core. */
__attribute__((always_inline)) static inline double sum2_neon_body(const hp__u_f64 *x, size_t n,
                                                                   double scale, bool scaled,
                                                                   double *naive,
                                                                   double pair[2]) {
    enum { V = VLANES / 2 };
    float64x2_t s[V], c[V];
    const float64x2_t k = vdupq_n_f64(scale);
#pragma GCC unroll 8
    for (int j = 0; j < V; j++) s[j] = c[j] = vdupq_n_f64(0.0);
    size_t i = 0;
    for (; i + VLANES <= n; i += VLANES) {
#pragma GCC unroll 8
        for (int j = 0; j < V; j++) {
            /* a byte load: x may have any alignment (hp__u_f64) */
            float64x2_t v = vreinterpretq_f64_u8(vld1q_u8((const uint8_t *)(x + i + 2 * j)));
            if (scaled) v = vmulq_f64(v, k);
            float64x2_t t = vaddq_f64(s[j], v);
            float64x2_t bv = vsubq_f64(t, s[j]);
            float64x2_t e = vaddq_f64(vsubq_f64(s[j], vsubq_f64(t, bv)), vsubq_f64(v, bv));
            s[j] = t;
            c[j] = vaddq_f64(c[j], e);
        }
    }
    double ss[VLANES], cc[VLANES];
#pragma GCC unroll 8
    for (int j = 0; j < V; j++) {
        vst1q_f64(ss + 2 * j, s[j]);
        vst1q_f64(cc + 2 * j, c[j]);
    }
    return sum2_finish(ss, cc, x + i, n - i, scale, naive, pair);
}

static double sum2_neon(const hp__u_f64 *x, size_t n, double scale, double *naive,
                        double pair[2]) {
    return scale == 1.0 ? sum2_neon_body(x, n, 1.0, false, naive, pair)
                        : sum2_neon_body(x, n, scale, true, naive, pair);
}
#endif

static double sum2(const hp__u_f64 *x, size_t n, double scale, double *naive) {
    double pair[2];
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    if (level == HP_SIMD_AVX512) return sum2_avx512(x, n, scale, naive, pair);
    if (level == HP_SIMD_AVX2) return sum2_avx2(x, n, scale, naive, pair);
#elif HAVE_NEON
    if (hp__simd() == HP_SIMD_NEON) return sum2_neon(x, n, scale, naive, pair);
#endif
    return sum2_scalar(x, n, scale, naive, pair);
}

void hp__sum2_pair(const hp__u_f64 *x, size_t n, double pair[2]) {
    double naive;
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    if (level == HP_SIMD_AVX512) {
        (void)sum2_avx512(x, n, 1.0, &naive, pair);
        return;
    }
    if (level == HP_SIMD_AVX2) {
        (void)sum2_avx2(x, n, 1.0, &naive, pair);
        return;
    }
#elif HAVE_NEON
    if (hp__simd() == HP_SIMD_NEON) {
        (void)sum2_neon(x, n, 1.0, &naive, pair);
        return;
    }
#endif
    (void)sum2_scalar(x, n, 1.0, &naive, pair);
}

hp_status hp_sum_f64(double *out, const double *x, size_t n) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = 0.0;
    HP_RETURN_IF(n > HP_MAX_LEN / sizeof(double), HP_EOVERFLOW,
                 "x length %zu exceeds HP_MAX_LEN/8", n);
    HP_RETURN_IF(x == NULL && n > 0, HP_EINVAL, "x is NULL but n is %zu", n);
    if (n == 0) return HP_OK;

    double naive;
    double result = sum2(x, n, 1.0, &naive);
    if (HP__LIKELY(isfinite(result) && isfinite(naive))) {
        *out = result;
        return HP_OK;
    }
    /* Rare path. An infinity or NaN among the inputs decides the result by IEEE rules. */
    bool all_finite = true;
    for (size_t k = 0; k < n && all_finite; k++) all_finite = isfinite(x[k]);
    if (!all_finite) {
        double r = 0.0;
        for (size_t k = 0; k < n; k++) r += isfinite(x[k]) ? 0.0 : x[k];
        *out = r;
        return HP_OK;
    }
    /* All finite, yet a running sum overflowed: the exact sum may still be representable
     * (e.g. it rounds to DBL_MAX while a partial sum rounded up to infinity). Redo the sum
     * on x/2 and scale back: halving is exact for normal numbers and loses at most the
     * last bit of subnormals, far below the rounding unit of a result near DBL_MAX. If
     * partial sums overflow even then, report it (math.fsum raises on intermediate
     * overflow too). */
    double half = sum2(x, n, 0.5, &naive);
    result = isfinite(half) ? half * 2.0 : half;
    HP_RETURN_IF(!isfinite(result), HP_EOVERFLOW,
                 "the sum overflows double (all %zu inputs are finite)", n);
    *out = result;
    return HP_OK;
}

/* ------------------------------------------------------------------ hp_stats_sum
 *
 * The typed, parallel sums. The array is cut into blocks of HP__STATS_BLOCK elements
 * (independent of the thread count, so results never depend on it); each block gives
 * a Sum2 pair (float types), a 128-bit integer (integer types) or a long accumulator
 * (exact mode), and the blocks are combined in order on the calling thread.
 *
 * The exact mode is a long accumulator (Kulisch; see also Neal, "Fast exact summation
 * using small and large superaccumulators", 2015): the sum is held as a fixed-point
 * integer in units of 2^-1074 (the smallest subnormal), so every double adds exactly;
 * 32-bit digits kept in int64 limbs leave room for 2^31 additions between carry
 * normalisations. One rounding at the end (to nearest, ties to even) gives the
 * correctly rounded sum, which is what math.fsum returns.
 */

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

/* Limbs of 32-bit digits: values reach bit 2045 + 52, sums of up to 2^62 of them add
 * 62 bits; two spare limbs. */
enum { ACC_LIMBS = 70, ACC_RENORM = 1 << 30 };

typedef struct acc {
    int64_t limb[ACC_LIMBS]; /* digit i weighs 2^(32*i - 1074) */
    size_t pending;          /* additions since the last normalisation */
    size_t nan, pinf, ninf;  /* non-finite inputs seen */
} acc;

static void acc_normalize(acc *a) {
    int64_t carry = 0;
    for (int i = 0; i < ACC_LIMBS - 1; i++) {
        int64_t v = a->limb[i] + carry;
        int64_t low = (int64_t)((uint64_t)v & 0xFFFFFFFFu);
        carry = (v - low) / ((int64_t)1 << 32);
        a->limb[i] = low;
    }
    a->limb[ACC_LIMBS - 1] += carry;
    a->pending = 0;
}

static inline void acc_add(acc *a, double v) {
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    unsigned e = (unsigned)(bits >> 52) & 0x7FF;
    uint64_t m = bits & (((uint64_t)1 << 52) - 1);
    if (HP__UNLIKELY(e == 0x7FF)) {
        if (m) a->nan++;
        else if (bits >> 63) a->ninf++;
        else a->pinf++;
        return;
    }
    unsigned p = e ? e - 1 : 0; /* weight of m's bit 0 is 2^(p - 1074) */
    if (e) m |= (uint64_t)1 << 52;
    u128 w = (u128)m << (p & 31);
    int64_t d0 = (int64_t)(uint64_t)(w & 0xFFFFFFFFu), d1 = (int64_t)(uint64_t)((w >> 32) & 0xFFFFFFFFu),
            d2 = (int64_t)(uint64_t)(w >> 64);
    int64_t *l = a->limb + (p >> 5);
    if (bits >> 63) {
        l[0] -= d0, l[1] -= d1, l[2] -= d2;
    } else {
        l[0] += d0, l[1] += d1, l[2] += d2;
    }
    if (HP__UNLIKELY(++a->pending >= ACC_RENORM)) acc_normalize(a);
}

static void acc_merge(acc *into, acc *from) {
    acc_normalize(from);
    if (into->pending >= ACC_RENORM) acc_normalize(into);
    for (int i = 0; i < ACC_LIMBS; i++) into->limb[i] += from->limb[i];
    into->pending++;
    into->nan += from->nan, into->pinf += from->pinf, into->ninf += from->ninf;
}

static unsigned bit_length(u128 v) {
    uint64_t hi = (uint64_t)(v >> 64), lo = (uint64_t)v;
    if (hi) return 128u - (unsigned)__builtin_clzll(hi);
    return lo ? 64u - (unsigned)__builtin_clzll(lo) : 0u;
}

/* The accumulated value rounded to nearest double; HP_EOVERFLOW if that is infinite. */
static hp_status acc_result(acc *a, double *out) {
    if (a->nan || (a->pinf && a->ninf)) {
        *out = NAN;
        return HP_OK;
    }
    if (a->pinf || a->ninf) {
        *out = a->pinf ? INFINITY : -INFINITY;
        return HP_OK;
    }
    acc_normalize(a);
    double sign = 1.0;
    if (a->limb[ACC_LIMBS - 1] < 0) {
        for (int i = 0; i < ACC_LIMBS; i++) a->limb[i] = -a->limb[i];
        acc_normalize(a);
        sign = -1.0;
    }
    int h = ACC_LIMBS - 1;
    while (h >= 0 && a->limb[h] == 0) h--;
    if (h < 0) {
        *out = 0.0;
        return HP_OK;
    }
    int b = h >= 2 ? h - 2 : 0;
    u128 top = 0;
    for (int i = h; i >= b; i--) top = (top << 32) | (u128)(uint64_t)a->limb[i];
    bool sticky = false;
    for (int i = 0; i < b; i++) sticky |= a->limb[i] != 0;
    int exp0 = 32 * b - 1074;
    unsigned len = bit_length(top);
    double r;
    if (len <= 53) {
        r = ldexp((double)(uint64_t)top, exp0); /* exact: no lower digits when len <= 53 */
    } else {
        unsigned shift = len - 53;
        uint64_t m = (uint64_t)(top >> shift);
        u128 rem = top & (((u128)1 << shift) - 1), half = (u128)1 << (shift - 1);
        if (rem > half || (rem == half && (sticky || (m & 1)))) m++;
        if (m == (uint64_t)1 << 53) m >>= 1, shift++;
        r = ldexp((double)m, exp0 + (int)shift);
    }
    HP_RETURN_IF(isinf(r), HP_EOVERFLOW, "the exact sum overflows double");
    *out = sign * r;
    return HP_OK;
}

/* x[i] of a float type as double. */
static inline double load_f(const void *x, hp_stats_type t, size_t i) {
    return t == HP_STATS_F64 ? ((const hp__u_f64 *)x)[i] : (double)((const hp__u_f32 *)x)[i];
}

size_t hp__stats_load(double *buf, const void *x, hp_stats_type t, size_t begin, size_t count,
                      bool skipnan) {
    size_t m = 0;
    switch (t) {
    case HP_STATS_F64: {
        const hp__u_f64 *p = (const hp__u_f64 *)x + begin;
        if (!skipnan) {
            memcpy(buf, p, count * sizeof *p);
            return count;
        }
        for (size_t i = 0; i < count; i++) {
            buf[m] = p[i];
            m += !isnan(p[i]);
        }
        return m;
    }
    case HP_STATS_F32: {
        const hp__u_f32 *p = (const hp__u_f32 *)x + begin;
        if (!skipnan) {
            for (size_t i = 0; i < count; i++) buf[i] = p[i];
            return count;
        }
        for (size_t i = 0; i < count; i++) {
            buf[m] = p[i];
            m += !isnan(p[i]);
        }
        return m;
    }
    case HP_STATS_I64: {
        const hp__u_i64 *p = (const hp__u_i64 *)x + begin;
        for (size_t i = 0; i < count; i++) buf[i] = (double)p[i];
        return count;
    }
    case HP_STATS_I32: {
        const hp__u_i32 *p = (const hp__u_i32 *)x + begin;
        for (size_t i = 0; i < count; i++) buf[i] = p[i];
        return count;
    }
    }
    return 0;
}

typedef struct blocks_job {
    hp__block_fn fn;
    void *ctx;
    size_t n;
} blocks_job;

static void blocks_range(void *ctx, size_t begin, size_t end) {
    blocks_job *job = ctx;
    for (size_t b = begin; b < end; b++) {
        size_t lo = b * HP__STATS_BLOCK, hi = lo + HP__STATS_BLOCK;
        job->fn(job->ctx, b, lo, hi < job->n ? hi : job->n);
    }
}

void hp__stats_for_blocks(size_t n, unsigned threads, hp__block_fn fn, void *ctx) {
    size_t blocks = hp__stats_blocks(n);
    blocks_job job = {fn, ctx, n};
    if (blocks <= 1 || threads == 1) {
        blocks_range(&job, 0, blocks);
        return;
    }
    hp__parallel_for(blocks, 1, threads, blocks_range, &job);
}

void *hp__stats_scratch(void *stack, size_t stack_size, size_t size) {
    return size <= stack_size ? stack : hp__malloc(size);
}

void hp__stats_scratch_free(void *p, void *stack) {
    if (p != stack) hp__free(p);
}

hp_status hp__stats_check(const void *x, size_t n, hp_stats_type t, uint32_t flags,
                          uint32_t allowed) {
    HP_RETURN_IF((unsigned)t > HP_STATS_I64, HP_EINVAL, "unknown dtype %d", (int)t);
    HP_RETURN_IF(flags & ~allowed, HP_EINVAL, "unknown flags 0x%x", (unsigned)(flags & ~allowed));
    HP_RETURN_IF(n > HP_MAX_LEN / hp__stats_size(t), HP_EOVERFLOW,
                 "x length %zu exceeds HP_MAX_LEN bytes", n);
    HP_RETURN_IF(x == NULL && n > 0, HP_EINVAL, "x is NULL but n is %zu", n);
    return HP_OK;
}

/* Per-block results of a float sum. */
typedef struct fsum_part {
    double pair[2];
    size_t count; /* values summed (NaNs skipped are not counted) */
} fsum_part;

typedef struct fsum_ctx {
    const void *x;
    hp_stats_type t;
    bool skipnan;
    fsum_part *parts;
} fsum_ctx;

enum { CHUNK = 512 }; /* doubles converted at a time on the stack */

static void fsum_block(void *ctx, size_t b, size_t begin, size_t end) {
    fsum_ctx *c = ctx;
    fsum_part *part = &c->parts[b];
    if (c->t == HP_STATS_F64 && !c->skipnan) {
        hp__sum2_pair((const hp__u_f64 *)c->x + begin, end - begin, part->pair);
        part->count = end - begin;
        return;
    }
    double buf[CHUNK], total = 0.0, err = 0.0;
    size_t count = 0;
    for (size_t i = begin; i < end; i += CHUNK) {
        size_t len = end - i < CHUNK ? end - i : CHUNK;
        size_t m = hp__stats_load(buf, c->x, c->t, i, len, c->skipnan);
        double pair[2], e;
        hp__sum2_pair(buf, m, pair);
        two_sum(total, pair[0], &total, &e);
        err += e + pair[1];
        count += m;
    }
    part->pair[0] = total;
    part->pair[1] = err;
    part->count = count;
}

typedef struct exact_ctx {
    const void *x;
    hp_stats_type t;
    bool skipnan;
    acc *accs;
} exact_ctx;

static void exact_block(void *ctx, size_t b, size_t begin, size_t end) {
    exact_ctx *c = ctx;
    acc *a = &c->accs[b];
    memset(a, 0, sizeof *a);
    for (size_t i = begin; i < end; i++) {
        double v = load_f(c->x, c->t, i);
        if (!(c->skipnan && isnan(v))) acc_add(a, v);
    }
}

static hp_status exact_sum(double *out, const void *x, size_t n, hp_stats_type t, bool skipnan,
                           unsigned threads) {
    size_t blocks = hp__stats_blocks(n);
    acc stack[2];
    acc *accs = hp__stats_scratch(stack, sizeof stack, blocks * sizeof *accs);
    HP_RETURN_IF(accs == NULL, HP_ENOMEM, "no memory for %zu accumulators", blocks);
    exact_ctx c = {x, t, skipnan, accs};
    hp__stats_for_blocks(n, threads, exact_block, &c);
    acc total;
    memset(&total, 0, sizeof total);
    for (size_t b = 0; b < blocks; b++) acc_merge(&total, &accs[b]);
    hp__stats_scratch_free(accs, stack);
    return acc_result(&total, out);
}

/* IEEE sum of the non-finite values (NaNs left out with skipnan); *any says whether
 * there was one. */
static double nonfinite_sum(const void *x, size_t n, hp_stats_type t, bool skipnan, bool *any) {
    double r = 0.0;
    *any = false;
    for (size_t i = 0; i < n; i++) {
        double v = load_f(x, t, i);
        if (isfinite(v) || (skipnan && isnan(v))) continue;
        r += v;
        *any = true;
    }
    return r;
}

hp_status hp__stats_fsum(double *out, size_t *count, const void *x, size_t n, hp_stats_type t,
                         bool skipnan, unsigned threads) {
    size_t blocks = hp__stats_blocks(n);
    fsum_part stack[256];
    fsum_part *parts = hp__stats_scratch(stack, sizeof stack, blocks * sizeof *parts);
    HP_RETURN_IF(parts == NULL, HP_ENOMEM, "no memory for %zu partial sums", blocks);
    fsum_ctx c = {x, t, skipnan, parts};
    hp__stats_for_blocks(n, threads, fsum_block, &c);
    double total = 0.0, err = 0.0;
    size_t cnt = 0;
    for (size_t b = 0; b < blocks; b++) {
        double e;
        two_sum(total, parts[b].pair[0], &total, &e);
        err += e + parts[b].pair[1];
        cnt += parts[b].count;
    }
    hp__stats_scratch_free(parts, stack);
    *count = cnt;
    double result = total + err;
    if (HP__LIKELY(isfinite(result))) {
        *out = result;
        return HP_OK;
    }
    /* Rare path: a non-finite input decides by IEEE rules; else finite inputs overflowed a
     * running sum, and the exact sum says whether the total itself is representable. */
    bool any;
    double special = nonfinite_sum(x, n, t, skipnan, &any);
    if (any) {
        *out = special;
        return HP_OK;
    }
    return exact_sum(out, x, n, t, skipnan, threads);
}

typedef struct isum_ctx {
    const void *x;
    hp_stats_type t;
    i128 *parts;
} isum_ctx;

static void isum_block(void *ctx, size_t b, size_t begin, size_t end) {
    isum_ctx *c = ctx;
    if (c->t == HP_STATS_I32) {
        const hp__u_i32 *p = c->x;
        int64_t s = 0; /* a block of 2^16 int32 sums below 2^47 */
        for (size_t i = begin; i < end; i++) s += p[i];
        c->parts[b] = s;
        return;
    }
    const hp__u_i64 *p = c->x;
    i128 s = 0;
    for (size_t i = begin; i < end; i++) s += p[i];
    c->parts[b] = s;
}

static hp_status int_sum(i128 *out, const void *x, size_t n, hp_stats_type t, unsigned threads) {
    size_t blocks = hp__stats_blocks(n);
    i128 stack[256];
    i128 *parts = hp__stats_scratch(stack, sizeof stack, blocks * sizeof *parts);
    HP_RETURN_IF(parts == NULL, HP_ENOMEM, "no memory for %zu partial sums", blocks);
    isum_ctx c = {x, t, parts};
    hp__stats_for_blocks(n, threads, isum_block, &c);
    i128 s = 0;
    for (size_t b = 0; b < blocks; b++) s += parts[b];
    hp__stats_scratch_free(parts, stack);
    *out = s;
    return HP_OK;
}

hp_status hp__stats_int_sum_f64(double *out, const void *x, size_t n, hp_stats_type t,
                                unsigned threads) {
    i128 s;
    HP_FORWARD_IF_ERROR(int_sum(&s, x, n, t, threads));
    *out = (double)s; /* one rounding, to nearest */
    return HP_OK;
}

hp_status hp_stats_sum(double *out, const void *x, size_t n, hp_stats_type dtype, uint32_t flags,
                       unsigned threads) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = 0.0;
    HP_FORWARD_IF_ERROR(
        hp__stats_check(x, n, dtype, flags, HP_STATS_SKIPNAN | HP_STATS_EXACT));
    if (n == 0) return HP_OK;
    if (dtype == HP_STATS_I64 || dtype == HP_STATS_I32)
        return hp__stats_int_sum_f64(out, x, n, dtype, threads);
    bool skipnan = flags & HP_STATS_SKIPNAN;
    if (flags & HP_STATS_EXACT) return exact_sum(out, x, n, dtype, skipnan, threads);
    size_t count;
    return hp__stats_fsum(out, &count, x, n, dtype, skipnan, threads);
}

hp_status hp_stats_sum_i64(int64_t *out, const void *x, size_t n, hp_stats_type dtype,
                           unsigned threads) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = 0;
    HP_FORWARD_IF_ERROR(hp__stats_check(x, n, dtype, 0, 0));
    HP_RETURN_IF(dtype != HP_STATS_I64 && dtype != HP_STATS_I32, HP_EINVAL,
                 "hp_stats_sum_i64 needs an integer dtype, got %d", (int)dtype);
    if (n == 0) return HP_OK;
    i128 s;
    HP_FORWARD_IF_ERROR(int_sum(&s, x, n, dtype, threads));
    HP_RETURN_IF(s > INT64_MAX || s < INT64_MIN, HP_EOVERFLOW,
                 "the sum of %zu integers is outside int64", n);
    *out = (int64_t)s;
    return HP_OK;
}
