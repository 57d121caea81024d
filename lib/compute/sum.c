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
 * reference, sixteen (four AVX2 vectors) in the SIMD path. The lanes are combined with
 * the same TwoSum, which keeps the bound with n+15 in place of n-1. TwoSum needs no
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
static double sum2_scalar(const double *x, size_t n, double scale, double *naive,
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

#if HP_HAVE_X86_SIMD
#include <immintrin.h>

enum { VLANES = 16 }; /* four AVX2 vectors of four doubles */

/* The same Sum2 with 16 lanes in four ymm registers each for s and c: the four
 * independent add chains hide the FP-add latency, so the loop runs at the add throughput
 * (7 adds per vector of 4 elements) instead of one TwoSum latency per element. No FMA and
 * no reassociation: every operation is the scalar TwoSum, lane by lane. The plain sum is
 * not kept: any infinity or NaN among the inputs makes the compensated result NaN, which
 * sends the caller to its non-finite path anyway, so *naive is the result itself. The
 * scaled (x/2) pass is a separate instantiation, keeping the multiply out of the
 * common loop. */
__attribute__((target("avx2"), always_inline)) static inline double
sum2_avx2_body(const double *x, size_t n, double scale, bool scaled, double *naive,
               double pair[2]) {
    __m256d s[4], c[4];
    const __m256d k = _mm256_set1_pd(scale);
    for (int j = 0; j < 4; j++) s[j] = c[j] = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + VLANES <= n; i += VLANES) {
        for (int j = 0; j < 4; j++) {
            __m256d v = _mm256_loadu_pd(x + i + 4 * j);
            if (scaled) v = _mm256_mul_pd(v, k);
            __m256d t = _mm256_add_pd(s[j], v);
            __m256d bv = _mm256_sub_pd(t, s[j]);
            __m256d e = _mm256_add_pd(_mm256_sub_pd(s[j], _mm256_sub_pd(t, bv)),
                                      _mm256_sub_pd(v, bv));
            s[j] = t;
            c[j] = _mm256_add_pd(c[j], e);
        }
    }
    double ss[VLANES], cc[VLANES], pp[VLANES] = {0};
    for (int j = 0; j < 4; j++) {
        _mm256_storeu_pd(ss + 4 * j, s[j]);
        _mm256_storeu_pd(cc + 4 * j, c[j]);
    }
    for (; i < n; i++) {
        double v = x[i] * scale, e;
        two_sum(ss[0], v, &ss[0], &e);
        cc[0] += e;
    }
    double result = combine(ss, cc, pp, VLANES, naive, pair);
    *naive = result;
    return result;
}

__attribute__((target("avx2"))) static double sum2_avx2(const double *x, size_t n, double scale,
                                                        double *naive, double pair[2]) {
    return scale == 1.0 ? sum2_avx2_body(x, n, 1.0, false, naive, pair)
                        : sum2_avx2_body(x, n, scale, true, naive, pair);
}
#endif

static double sum2(const double *x, size_t n, double scale, double *naive) {
    double pair[2];
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    if (level >= HP_SIMD_AVX2 && level != HP_SIMD_NEON)
        return sum2_avx2(x, n, scale, naive, pair);
#endif
    return sum2_scalar(x, n, scale, naive, pair);
}

void hp__sum2_pair(const double *x, size_t n, double pair[2]) {
    double naive;
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    if (level >= HP_SIMD_AVX2 && level != HP_SIMD_NEON) {
        (void)sum2_avx2(x, n, 1.0, &naive, pair);
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
