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
 * the errors summed separately, in independent lanes: 4 scalar, 16 with AVX2, AVX-512
 * or NEON, which give the same result bit for bit): the
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

/* ---------------------------------------------------------------- reductions and statistics
 *
 * Reductions, statistics, histograms, quantiles, cumulative sums and sorting over one
 * array of n numbers of an element type chosen by an hp_stats_type: `const void *x` points at
 * n elements of that type (any alignment; may be NULL only when n is 0). Integer inputs
 * are exact where the result is an integer (sums, cumsum, sort); statistics of integers
 * are computed in double from the exact values.
 *
 * NaN policy (as NumPy): by default a NaN propagates (sum, mean, var, quantiles and
 * median are NaN; argmin/argmax report the index of the first NaN). With the flag
 * HP_STATS_SKIPNAN NaNs are left out, as numpy.nansum/nanmean/nanvar/nanargmin/
 * nanquantile/nanmedian do (see each function for the all-NaN result). Sort puts NaNs
 * last, as numpy.sort. Integer types have no NaN; the flag is then ignored.
 *
 * Parallel functions take `threads`: 0 = hp_default_threads(), 1 = the calling thread
 * only. The work is cut into fixed blocks independent of the thread count, so every
 * result is identical whatever `threads` is.
 */

/* Element types of the statistics functions (the same numbering as fuzzy.h's hp_dtype
 * for the types both have). */
typedef enum hp_stats_type {
    HP_STATS_F64 = 0, /* double */
    HP_STATS_F32 = 1, /* float */
    HP_STATS_I32 = 2, /* int32_t */
    HP_STATS_I64 = 3  /* int64_t */
} hp_stats_type;

/* Flags of the statistics functions (bitwise or). */
typedef enum hp_stats_flag {
    HP_STATS_SKIPNAN = 1, /* leave NaNs out (the numpy.nan* functions) */
    HP_STATS_EXACT = 2    /* hp_stats_sum only: the correctly rounded sum (math.fsum) */
} hp_stats_flag;

/*
 * hp_stats_sum — the sum of x[0..n) as a double.
 *
 * out:     OUT, the sum (0.0 for n == 0, or when every value is a skipped NaN).
 * x, n:    the values (borrowed), of type dtype.
 * dtype:   an hp_stats_type.
 * flags:   0, HP_STATS_SKIPNAN, HP_STATS_EXACT, or both.
 * threads: worker threads, 0 = hp_default_threads().
 *
 * Accuracy. Default for f64 and f32 (f32 values are widened to double exactly): the
 * compensated Sum2 of hp_sum_f64, per block of 2^16 elements, the blocks combined with
 * the same error-free additions, so the bound of hp_sum_f64 holds:
 *     |out - exact| <= eps*|exact| + 2*((n+15)*eps)^2 * sum|x_i|,   eps = 2^-53.
 * HP_STATS_EXACT: the exact sum is accumulated in a fixed-point long accumulator
 * covering the whole double range, then rounded once to nearest (ties to even): the
 * result equals math.fsum's wherever math.fsum returns a value. Integers (i64, i32): the
 * exact sum is kept in 128-bit integers and rounded once to double, in both modes (for
 * the exact integer use hp_stats_sum_i64).
 * NaN and infinities: IEEE arithmetic on the non-finite values (a NaN, or +inf with
 * -inf, give NaN; otherwise the infinity); with HP_STATS_SKIPNAN NaNs count as absent.
 * math.fsum raises ValueError for inf + -inf where this returns NaN.
 * Returns HP_OK; HP_EINVAL (out NULL, x NULL with n > 0, unknown dtype or flag);
 * HP_EOVERFLOW (n elements exceed HP_MAX_LEN bytes; finite inputs whose sum exceeds
 * double: in the exact mode when the correctly rounded sum is infinite, in the default
 * mode as hp_sum_f64 documents); HP_ENOMEM (more than 2^24 elements need a small block
 * table). Thread-safe.
 */
HP_API hp_status hp_stats_sum(double *out, const void *x, size_t n, hp_stats_type dtype,
                              uint32_t flags, unsigned threads);

/*
 * hp_stats_sum_i64 — the exact sum of integers x[0..n) as int64_t.
 *
 * out:     OUT, the sum (0 for n == 0).
 * x, n:    the values (borrowed), of type dtype: HP_STATS_I64 or HP_STATS_I32.
 * threads: worker threads, 0 = hp_default_threads().
 *
 * The sum is accumulated in 128-bit integers, so intermediate sums never wrap; NumPy's
 * int64 sum wraps silently where this reports HP_EOVERFLOW.
 * Returns HP_OK; HP_EINVAL (out NULL, x NULL with n > 0, a float or unknown dtype);
 * HP_EOVERFLOW (n too large, or the sum is outside int64_t: *out is then 0); HP_ENOMEM.
 * Thread-safe.
 */
HP_API hp_status hp_stats_sum_i64(int64_t *out, const void *x, size_t n, hp_stats_type dtype,
                                  unsigned threads);

/*
 * hp_stats_mean — the arithmetic mean of x[0..n).
 *
 * out:     OUT, the accurate sum (as hp_stats_sum, default mode) divided by the count:
 *          |out - exact| <= 2*eps*|exact| + 2*((n+15)*eps)^2 * sum|x_i| / n.
 *          NaN for n == 0 (or all values skipped NaNs), as numpy.mean of an empty array.
 * x, n, dtype, threads: as hp_stats_sum.
 * flags:   0 or HP_STATS_SKIPNAN (numpy.nanmean: the mean of the non-NaN values).
 *
 * Returns HP_OK; HP_EINVAL (out NULL, x NULL with n > 0, unknown dtype or flag);
 * HP_EOVERFLOW (n too large, or finite inputs whose sum overflows); HP_ENOMEM.
 * Thread-safe.
 */
HP_API hp_status hp_stats_mean(double *out, const void *x, size_t n, hp_stats_type dtype,
                               uint32_t flags, unsigned threads);

/*
 * hp_stats_var / hp_stats_std — variance sum((x_i - mean)^2) / (count - ddof), and its
 * square root, as numpy.var / numpy.std (nanvar / nanstd with HP_STATS_SKIPNAN).
 *
 * out:     OUT, the variance or standard deviation. NaN for n == 0 (or all values
 *          skipped NaNs). When count - ddof <= 0 the divisor is 0 (NumPy's rule): the
 *          result is +inf, or NaN when the sum of squares is 0.
 * x, n, dtype, threads: as hp_stats_sum.
 * ddof:    delta degrees of freedom, >= 0 (0: population variance, 1: sample).
 * flags:   0 or HP_STATS_SKIPNAN.
 *
 * Algorithm: two passes. The mean m comes from the compensated sum; the second pass
 * sums d_i = x_i - m and d_i^2 in independent lanes and corrects with
 * (sum d_i)^2 / count (Chan, Golub and LeVeque's corrected two-pass form), so
 *     |var - exact| <= (n+16) * 2^-52 * exact + ((n+16) * 2^-52)^2 * sum(x_i^2)/(count-ddof),
 * i.e. full relative accuracy unless the data's mean is huge next to its spread.
 * An infinity among the values gives NaN (inf - inf), as NumPy.
 * Returns HP_OK; HP_EINVAL (out NULL, x NULL with n > 0, unknown dtype or flag, ddof
 * negative or NaN); HP_EOVERFLOW (n too large, or finite inputs whose sum overflows);
 * HP_ENOMEM. Thread-safe.
 */
HP_API hp_status hp_stats_var(double *out, const void *x, size_t n, hp_stats_type dtype, double ddof,
                              uint32_t flags, unsigned threads);
HP_API hp_status hp_stats_std(double *out, const void *x, size_t n, hp_stats_type dtype, double ddof,
                              uint32_t flags, unsigned threads);

/*
 * hp_stats_argminmax — indices of the smallest and the largest value, in one pass (min,
 * max and minmax are x[argmin], x[argmax]; reading them back keeps int64 exact).
 *
 * argmin:  OUT, index of the first smallest value (may be NULL if not wanted).
 * argmax:  OUT, index of the first largest value (may be NULL if not wanted).
 * x, n:    the values (borrowed), n >= 1.
 * dtype:   an hp_stats_type.
 * flags:   0: a NaN wins both (the index of the first NaN, as numpy.argmin/argmax);
 *          HP_STATS_SKIPNAN: NaNs are ignored (numpy.nanargmin/nanargmax, except that
 *          NumPy, which substitutes +-inf for NaN, returns a NaN's index when it comes
 *          before an equal infinity: [nan, inf] gives 0 there, 1 here); when every
 *          value is NaN both indices are -1 (NumPy raises ValueError there, and
 *          numpy.nanmin returns NaN).
 * threads: worker threads, 0 = hp_default_threads().
 *
 * Comparison is numeric: -0.0 and 0.0 are equal (the first one counts).
 * Returns HP_OK; HP_EINVAL (n == 0 — NumPy raises ValueError for an empty reduction —,
 * x NULL, both outputs NULL, unknown dtype or flag); HP_EOVERFLOW (n too large);
 * HP_ENOMEM. Thread-safe.
 */
HP_API hp_status hp_stats_argminmax(int64_t *argmin, int64_t *argmax, const void *x, size_t n,
                                    hp_stats_type dtype, uint32_t flags, unsigned threads);

/*
 * hp_stats_histogram — counts over `bins` equal-width bins spanning [lo, hi], exactly as
 * numpy.histogram(x, bins, range=(lo, hi)) on the values as double (f32 and integer
 * values are converted to double first; NumPy computes float32 edges for float32 data).
 *
 * counts:  OUT, bins counts (caller-allocated).
 * edges:   OUT, bins + 1 edges, numpy.linspace(lo, hi, bins + 1) bit for bit (may be NULL).
 * bins:    number of bins, >= 1.
 * lo, hi:  the range: finite, lo <= hi; lo == hi widens to [lo - 0.5, hi + 0.5] as NumPy.
 * x, n:    the values (borrowed); values outside [lo, hi] and NaNs are not counted.
 * dtype:   an hp_stats_type.
 * threads: worker threads, 0 = hp_default_threads().
 *
 * Bin i counts edges[i] <= v < edges[i+1]; the last bin also counts v == edges[bins].
 * The bin is computed as NumPy does ((v - lo) / (hi - lo) * bins, then one correction
 * step against the edges), so the counts equal NumPy's.
 * Returns HP_OK; HP_EINVAL (counts NULL, x NULL with n > 0, bins 0, unknown dtype, a
 * range that is not finite or has lo > hi, or edges that do not increase strictly —
 * NumPy's "too many bins for data range"); HP_EOVERFLOW (n or bins too large); HP_ENOMEM.
 * Thread-safe.
 */
HP_API hp_status hp_stats_histogram(int64_t *counts, double *edges, size_t bins, double lo,
                                    double hi, const void *x, size_t n, hp_stats_type dtype,
                                    unsigned threads);

/*
 * hp_stats_histogram_edges — counts over explicit bin edges, as
 * numpy.histogram(x, bins=edges).
 *
 * counts:  OUT, nedges - 1 counts (caller-allocated).
 * edges:   nedges bin edges, non-decreasing, no NaN (borrowed); infinities allowed.
 * nedges:  >= 2.
 * x, n, dtype, threads: as hp_stats_histogram.
 *
 * Bin i counts edges[i] <= v < edges[i+1]; the last bin also counts v == edges[nedges-1];
 * values outside and NaNs are not counted. A repeated edge makes an empty bin (except as
 * the last edge, as NumPy). Each value is placed by binary search.
 * Returns HP_OK; HP_EINVAL (NULL pointers, nedges < 2, decreasing or NaN edges, unknown
 * dtype); HP_EOVERFLOW (n or nedges too large); HP_ENOMEM. Thread-safe.
 */
HP_API hp_status hp_stats_histogram_edges(int64_t *counts, const double *edges, size_t nedges,
                                          const void *x, size_t n, hp_stats_type dtype,
                                          unsigned threads);

/*
 * hp_stats_quantile — quantiles by NumPy's default 'linear' method (Hyndman and Fan
 * type 7), as numpy.quantile(x, q) (numpy.nanquantile with HP_STATS_SKIPNAN).
 *
 * out:     OUT, nq results (caller-allocated): for q, with v = (count-1)*q, i = floor(v),
 *          g = v - i: x_(i) + (x_(i+1) - x_(i))*g, evaluated as NumPy's _lerp (from the
 *          upper end when g >= 0.5), where x_(k) is the k-th smallest value. NaN for
 *          every q when a NaN is present (default), or when every value is a skipped NaN.
 * q, nq:   the quantiles in [0, 1] (borrowed), any order; nq may be 0.
 * x, n:    the values (borrowed), n >= 1.
 * dtype:   an hp_stats_type (f32 is interpolated in double; NumPy interpolates float32 input
 *          in float32 when q is a scalar, so results differ by float32 rounding).
 * flags:   0 or HP_STATS_SKIPNAN.
 *
 * Algorithm: the values are copied once into a scratch array of order-preserving 64-bit
 * keys (8*n bytes), then each needed order statistic is found by selection (introselect:
 * quickselect with median-of-3 pivots and a heap-select fallback, expected O(n)), never
 * a full sort; several q share the partitioning.
 * Returns HP_OK; HP_EINVAL (out NULL, q NULL with nq > 0, n == 0 (NumPy raises), x
 * NULL, a q outside [0, 1] or NaN, unknown dtype or flag); HP_EOVERFLOW (n too
 * large); HP_ENOMEM. Thread-safe (the call itself runs on one thread).
 */
HP_API hp_status hp_stats_quantile(double *out, const double *q, size_t nq, const void *x,
                                   size_t n, hp_stats_type dtype, uint32_t flags);

/*
 * hp_stats_median — the median, as numpy.median (numpy.nanmedian with HP_STATS_SKIPNAN):
 * the middle value, or the mean (a + b) / 2 of the two middle values (computed as NumPy,
 * in double; it can overflow to inf exactly as NumPy's does).
 *
 * out:     OUT, the median; NaN when n == 0, when a NaN is present (default) or when
 *          every value is a skipped NaN (NumPy warns and returns NaN in these cases).
 * x, n, dtype, flags: as hp_stats_quantile (n may be 0).
 *
 * Selection as hp_stats_quantile (8*n bytes of scratch).
 * Returns HP_OK; HP_EINVAL (out NULL, x NULL with n > 0, unknown dtype or flag);
 * HP_EOVERFLOW (n too large); HP_ENOMEM. Thread-safe.
 */
HP_API hp_status hp_stats_median(double *out, const void *x, size_t n, hp_stats_type dtype,
                                 uint32_t flags);

/*
 * hp_stats_cumsum — running sums out[i] = x[0] + ... + x[i], as numpy.cumsum.
 *
 * out:     OUT, n elements (caller-allocated) of the accumulation type: double for f64,
 *          float for f32 (a plain float running sum, as NumPy), int64_t for i64 and i32
 *          (as NumPy on 64-bit platforms). out may be x itself when the types agree.
 * x, n:    the values (borrowed).
 * dtype:   an hp_stats_type.
 *
 * The sum is the plain left-to-right running sum, bit for bit NumPy's for f64 and f32
 * (uncompensated on purpose: the result must equal numpy.cumsum; use hp_stats_sum for
 * an accurate total). Integer sums are exact; NumPy wraps silently on int64 overflow,
 * this reports HP_EOVERFLOW (out is then partly written).
 * Returns HP_OK; HP_EINVAL (out or x NULL with n > 0, unknown dtype); HP_EOVERFLOW (n
 * too large, or an int64 running sum overflows). Thread-safe; allocates nothing.
 */
HP_API hp_status hp_stats_cumsum(void *out, const void *x, size_t n, hp_stats_type dtype);

/*
 * hp_stats_sort — x sorted ascending into out, stably, as numpy.sort(x, kind='stable').
 *
 * out:     OUT, n elements of dtype (caller-allocated); may be x itself (in-place sort).
 * x, n:    the values (borrowed).
 * dtype:   an hp_stats_type.
 * threads: worker threads, 0 = hp_default_threads().
 *
 * Algorithm: LSD radix sort, 8 bits per pass, on order-preserving unsigned keys (signed
 * integers: the sign bit flipped; floats: the bits, all inverted for negatives, sign bit
 * set for positives), skipping passes whose digit is the same for every key. Each pass
 * is parallel: per-chunk digit counts, then every chunk scatters to its own offsets,
 * which keeps the sort stable. NaN policy as NumPy: NaNs go last (in input order, bits
 * unchanged, whatever their sign); -0.0 and 0.0 compare equal and keep their input order
 * (a raw bit key would put -0.0 first; numpy.sort compares them equal). So the output is
 * bit for bit numpy.sort(x, kind='stable'), and equal as values to numpy.sort(x).
 * Extra memory: one scratch array of n keys (n*4 bytes for f32/i32, n*8 otherwise).
 * Returns HP_OK; HP_EINVAL (out or x NULL with n > 0, unknown dtype); HP_EOVERFLOW (n
 * too large); HP_ENOMEM. Thread-safe for distinct out.
 */
HP_API hp_status hp_stats_sort(void *out, const void *x, size_t n, hp_stats_type dtype,
                               unsigned threads);

/*
 * hp_stats_argsort — the permutation that sorts x stably, as
 * numpy.argsort(x, kind='stable') (NaNs last, -0.0 equal to 0.0).
 *
 * out:     OUT, n int64_t indices (caller-allocated): x[out[0]] <= x[out[1]] <= ...
 * x, n, dtype, threads: as hp_stats_sort.
 *
 * The radix sort of hp_stats_sort carrying the indices along. Extra memory: two key
 * arrays and one index array (n*(2*key size + 8) bytes).
 * Returns HP_OK; HP_EINVAL (out or x NULL with n > 0, unknown dtype); HP_EOVERFLOW (n
 * too large); HP_ENOMEM. Thread-safe.
 */
HP_API hp_status hp_stats_argsort(int64_t *out, const void *x, size_t n, hp_stats_type dtype,
                                  unsigned threads);

/* ---------------------------------------------------------------- vectors
 *
 * Similarity and distance between vectors of dim elements: float (f32), double (f64)
 * and int8_t (i8, quantized embeddings). A matrix is m rows of dim elements stored
 * one after another (C-contiguous, row stride = dim), any alignment of the element
 * type. Every kernel has a portable scalar path (the reference) and AVX2+FMA and
 * AVX-512 paths chosen at run time on x86-64, NEON on aarch64 (hp_simd_set_level /
 * HOTPATH_SIMD lower it; the SSE4.2 level runs the scalar code; the AVX-512 tile kernel
 * is f32's, f64 and i8 have AVX-512 pair kernels). Paths agree within the error bounds
 * below, not bit for bit.
 *
 * Accuracy. f32: products are exact in float's FMA, partial sums are kept in float
 * lanes for at most 64 products each and then added into double accumulators, so
 *     |dot - exact| <= (64*2^-24/(1-64*2^-24) + dim*2^-53) * sum|a_i*b_i|
 *                   <= 3.9e-6 * sum|a_i*b_i|             (dim <= 2^30),
 * the same bound for |a|^2, |b|^2 and for sum (a_i-b_i)^2 with |a_i-b_i|^2 terms (the
 * difference is rounded to float once: add 2^-23 relative per term). A plain float loop
 * has the bound dim*2^-24 (2.4e-4 at dim 4096). Results stored as float (one-to-many,
 * cdist, top-k scores) add one float rounding (2^-24 relative). Products or block sums
 * beyond FLT_MAX (|x| above about 1e19) overflow to infinity in the SIMD paths; the
 * scalar path sums in double throughout. f64: double accumulators in independent lanes,
 * |error| <= (dim+8)*2^-53 * sum|a_i*b_i|. i8: exact integer arithmetic (32-bit lanes
 * widened to 64 bits), reported as double, exact for dim < 2^37.
 *
 * NaN in an input propagates to every result computed from that vector. Cosine of a
 * vector with norm 0 is NaN (0/0, as the NumPy formula dot/(|a||b|)); cosine similarity
 * is clamped to [-1, 1] (distance to [0, 2]) against rounding.
 */

/* The metrics. For HP_VEC_DOT and HP_VEC_COSINE higher means more similar; for the
 * other three lower means closer (top-k orders accordingly). */
typedef enum hp_vec_metric {
    HP_VEC_DOT = 0,             /* sum a_i*b_i */
    HP_VEC_COSINE = 1,          /* dot / (|a| |b|), cosine similarity in [-1, 1] */
    HP_VEC_COSINE_DISTANCE = 2, /* 1 - cosine similarity, in [0, 2] */
    HP_VEC_SQEUCLIDEAN = 3,     /* sum (a_i - b_i)^2, computed from differences */
    HP_VEC_EUCLIDEAN = 4        /* sqrt of HP_VEC_SQEUCLIDEAN */
} hp_vec_metric;

/* Flags of hp_vec_topk_*. */
typedef enum hp_topk_flag {
    HP_TOPK_EXCLUDE_SELF = 1 /* skip corpus row j == i for query i (queries == corpus) */
} hp_topk_flag;

/*
 * hp_vec_score_f32 / _f64 / _i8 — the metric between two vectors.
 *
 * out:    OUT, the value (double for every element type; i8 dot is exact).
 * a, b:   dim elements each (borrowed).
 * dim:    vector length, at least 1.
 * metric: an hp_vec_metric.
 *
 * Returns HP_OK; HP_EINVAL if out, a or b is NULL, dim is 0 or metric is unknown;
 * HP_EOVERFLOW if dim * element size exceeds HP_MAX_LEN. Thread-safe; allocates nothing.
 */
HP_API hp_status hp_vec_score_f32(double *out, const float *a, const float *b, size_t dim,
                                  hp_vec_metric metric);
HP_API hp_status hp_vec_score_f64(double *out, const double *a, const double *b, size_t dim,
                                  hp_vec_metric metric);
HP_API hp_status hp_vec_score_i8(double *out, const int8_t *a, const int8_t *b, size_t dim,
                                 hp_vec_metric metric);

/*
 * hp_vec_score_many_f32 / _f64 / _i8 — the metric between one query and each of n rows.
 *
 * out:    OUT, n values: out[j] = metric(query, rows[j]); float for f32, double for
 *         f64 and i8 (caller-allocated, n elements).
 * query:  dim elements (borrowed).
 * rows:   n x dim matrix (borrowed); may be NULL when n is 0.
 * n, dim: row count (0 is fine: nothing is written) and vector length (at least 1).
 * metric: an hp_vec_metric.
 *
 * Runs on the calling thread (for a parallel one-to-many, call hp_vec_cdist_* with m=1).
 * Returns HP_OK; HP_EINVAL for a NULL pointer (out and rows may be NULL only when n is
 * 0), dim 0 or an unknown metric; HP_EOVERFLOW if n*dim or n elements exceed HP_MAX_LEN
 * bytes; HP_ENOMEM (cosine needs a small scratch block). Thread-safe.
 */
HP_API hp_status hp_vec_score_many_f32(float *out, const float *query, const float *rows,
                                       size_t n, size_t dim, hp_vec_metric metric);
HP_API hp_status hp_vec_score_many_f64(double *out, const double *query, const double *rows,
                                       size_t n, size_t dim, hp_vec_metric metric);
HP_API hp_status hp_vec_score_many_i8(double *out, const int8_t *query, const int8_t *rows,
                                      size_t n, size_t dim, hp_vec_metric metric);

/*
 * hp_vec_cdist_f32 / _f64 / _i8 — all pairs: out[i*n + j] = metric(a[i], b[j]).
 *
 * out:     OUT, m x n matrix, row-major (caller-allocated, m*n elements; float for f32,
 *          double for f64 and i8). It must not overlap a or b.
 * a:       m x dim matrix; b: n x dim matrix (borrowed; may be the same memory).
 * m, n:    row counts; either may be 0 (nothing is written).
 * dim:     vector length, at least 1.
 * metric:  an hp_vec_metric.
 * threads: worker threads, 0 = hp_default_threads(). The work is split over tiles of
 *          rows and, when a has few rows, over columns too.
 *
 * f32 runs a register-blocked kernel (12x32 tiles with AVX-512, 6x16 with AVX2, 8x8
 * with NEON) over
 * panels of b copied into a transposed block of about 256 KiB per thread.
 * Returns HP_OK; HP_EINVAL (NULL pointer with a non-empty shape, dim 0, unknown metric);
 * HP_EOVERFLOW if m*dim, n*dim or m*n elements exceed HP_MAX_LEN bytes; HP_ENOMEM.
 * Thread-safe.
 */
HP_API hp_status hp_vec_cdist_f32(float *out, const float *a, size_t m, const float *b, size_t n,
                                  size_t dim, hp_vec_metric metric, unsigned threads);
HP_API hp_status hp_vec_cdist_f64(double *out, const double *a, size_t m, const double *b,
                                  size_t n, size_t dim, hp_vec_metric metric, unsigned threads);
HP_API hp_status hp_vec_cdist_i8(double *out, const int8_t *a, size_t m, const int8_t *b,
                                 size_t n, size_t dim, hp_vec_metric metric, unsigned threads);

/*
 * hp_vec_normalize_f32 / _f64 — scale each of n rows to unit L2 norm, in place.
 *
 * x:      n x dim matrix, modified (borrowed); may be NULL when n is 0.
 * n, dim: row count (0 is fine) and vector length (at least 1).
 *
 * The norm is accumulated as documented above (f32: float blocks into double), then each
 * element is multiplied by 1/norm computed in double. A row of zeros stays zeros; a row
 * with NaN or infinity becomes NaN (as x / numpy.linalg.norm(x)).
 * Returns HP_OK; HP_EINVAL (x NULL with n > 0, dim 0); HP_EOVERFLOW (n*dim too large).
 * Thread-safe for distinct x.
 */
HP_API hp_status hp_vec_normalize_f32(float *x, size_t n, size_t dim);
HP_API hp_status hp_vec_normalize_f64(double *x, size_t n, size_t dim);

/*
 * hp_vec_topk_f32 / _f64 / _i8 — the k best corpus rows for each query.
 *
 * indices: OUT, m x k int64 matrix (caller-allocated): row i lists query i's best
 *          corpus rows, best first. When fewer than k rows are available (k > n, or
 *          k > n-1 with HP_TOPK_EXCLUDE_SELF) the tail is -1.
 * scores:  OUT, m x k matrix of the metric values of those rows (float for f32, double
 *          for f64 and i8); NaN beside index -1. May be NULL if only indices are wanted.
 * queries: m x dim matrix; corpus: n x dim matrix (borrowed; may be the same memory).
 * m, n, k: counts; any may be 0 (with k 0 nothing is written).
 * dim:     vector length, at least 1.
 * metric:  an hp_vec_metric: dot and cosine rank by higher value, the distances by lower.
 * flags:   0 or HP_TOPK_EXCLUDE_SELF (query i never gets corpus row i).
 * threads: worker threads, 0 = hp_default_threads().
 *
 * Order: better value first; equal values by lower corpus index; NaN values rank after
 * every number (by index among themselves). The query x corpus matrix is never stored:
 * each thread scores a block of about 256 KiB of corpus rows against a group of queries
 * (the same tiles as cdist) and keeps a k-entry heap per query. Work is split over
 * query groups and over corpus ranges, so a single query against a large corpus uses
 * every thread; partial heaps are merged at the end. Extra memory: the packed query
 * group, one corpus block per thread and up to 2*threads partial heaps of m*k entries
 * (16 bytes each), reduced when that would exceed 256 MiB.
 * Returns HP_OK; HP_EINVAL (NULL pointer with a non-empty shape, dim 0, unknown metric or
 * flag); HP_EOVERFLOW (m*dim, n*dim or m*k elements beyond HP_MAX_LEN bytes, n or k
 * beyond INT64_MAX); HP_ENOMEM. Thread-safe.
 */
HP_API hp_status hp_vec_topk_f32(int64_t *indices, float *scores, const float *queries, size_t m,
                                 const float *corpus, size_t n, size_t dim, size_t k,
                                 hp_vec_metric metric, uint32_t flags, unsigned threads);
HP_API hp_status hp_vec_topk_f64(int64_t *indices, double *scores, const double *queries,
                                 size_t m, const double *corpus, size_t n, size_t dim, size_t k,
                                 hp_vec_metric metric, uint32_t flags, unsigned threads);
HP_API hp_status hp_vec_topk_i8(int64_t *indices, double *scores, const int8_t *queries, size_t m,
                                const int8_t *corpus, size_t n, size_t dim, size_t k,
                                hp_vec_metric metric, uint32_t flags, unsigned threads);

#if defined(__cplusplus) && !defined(HP_CDEF)
}
#endif

#endif /* HOTPATH_COMPUTE_H */
