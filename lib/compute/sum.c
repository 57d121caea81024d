/*
 * hp_sum_f64: compensated summation.
 *
 * Algorithm: Sum2 of Ogita, Rump and Oishi, "Accurate Sum and Dot Product" (SIAM J.
 * Sci. Comput. 26(6), 2005). Each addition s + x is split by Knuth's TwoSum into the
 * rounded sum and its exact rounding error; the errors are summed in a second
 * accumulator and added at the end. The result is as accurate as a naive sum carried
 * out in twice the precision, then rounded:
 *     |res - S| <= eps*|S| + gamma(n-1)^2 * sum|x_i|,   gamma(k) = k*eps/(1 - k*eps).
 * Four independent (s, c) lanes break the dependency chain of the adds so the loop runs
 * at several elements per cycle; the lanes are combined with the same TwoSum, which
 * keeps the bound (with n+3 in place of n-1). TwoSum needs no branches (unlike Fast2Sum
 * it works whatever the magnitudes), so gcc vectorises the lanes with -O2 -ftree-vectorize
 * or runs them as four independent scalar chains; either way no -ffast-math is used,
 * which would delete the error terms.
 *
 * Non-finite values: TwoSum of an infinity yields NaN error terms, so a plain sum is
 * kept alongside; when it is not finite it is the IEEE answer (NaN, or the infinity).
 * When every input is finite but a running sum overflows, the sum is redone on x/2 and
 * scaled back, so a total that rounds to DBL_MAX is still returned; overflow that
 * remains is reported as HP_EOVERFLOW, as math.fsum raises OverflowError.
 */
#include "internal/common.h"

#include <math.h>

enum { LANES = 4 };

static inline void two_sum(double a, double b, double *s, double *err) {
    double t = a + b;
    double bv = t - a;
    *err = (a - (t - bv)) + (b - bv);
    *s = t;
}

/* Sum2 over x[0..n) * scale (scale is a power of two, so the products are exact for
 * normal numbers). Returns the rounded result; *naive gets the plain sum for telling
 * non-finite inputs from overflow. */
static double sum2(const double *x, size_t n, double scale, double *naive) {
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
    *naive = (plain[0] + plain[1]) + (plain[2] + plain[3]);
    double total = s[0], err = c[0] + c[1] + c[2] + c[3];
    for (int l = 1; l < LANES; l++) {
        double e;
        two_sum(total, s[l], &total, &e);
        err += e;
    }
    return total + err;
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
