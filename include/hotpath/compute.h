/*
 * hotpath/compute.h — numeric kernels over arrays of numbers.
 *
 * Arrays are (const T *x, size_t n): n elements, x may be NULL only when n is 0, any
 * alignment of T is fine. Results are written through OUT pointers; the status says
 * whether they are meaningful.
 */
#ifndef HOTPATH_COMPUTE_H
#define HOTPATH_COMPUTE_H

#include "core.h"

#if defined(__cplusplus) && !defined(HP_CDEF)
extern "C" {
#endif

/*
 * hp_sum_f64 — accurate sum of x[0..n).
 *
 * Compensated summation (Ogita–Rump–Oishi Sum2: an error-free TwoSum per element,
 * the errors summed separately, in independent lanes: 4 scalar, 16 with AVX2): the
 * result is as accurate as if computed in twice the working precision and then rounded,
 *     |result - exact| <= eps*|exact| + 2*((n+15)*eps)^2 * sum|x_i|,   eps = 2^-53,
 * so cancellations that defeat a plain loop (1e100, 1, -1e100) come out right, and it
 * agrees with Python's math.fsum (exactly rounded) to within that bound.
 *
 * out:   OUT, the sum (0.0 for n == 0).
 * x, n:  the values (borrowed).
 *
 * NaN and infinities follow IEEE arithmetic: any NaN, or +inf and -inf together, give
 * NaN; otherwise an infinite input gives that infinity.
 * Returns HP_OK; HP_EINVAL if out is NULL or x is NULL with n > 0; HP_EOVERFLOW if
 * n > HP_MAX_LEN / 8, or if all inputs are finite but the sum overflows double, or
 * partial sums overflow even when computed on x/2 (math.fsum raises OverflowError on
 * intermediate overflow too). A total that rounds to DBL_MAX is returned, not an error.
 * Thread-safe; allocates nothing.
 */
HP_API hp_status hp_sum_f64(double *out, const double *x, size_t n);

#if defined(__cplusplus) && !defined(HP_CDEF)
}
#endif

#endif /* HOTPATH_COMPUTE_H */
