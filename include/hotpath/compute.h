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

/* ---------------------------------------------------------------- vectors
 *
 * Similarity and distance between vectors of dim elements: float (f32), double (f64)
 * and int8_t (i8, quantized embeddings). A matrix is m rows of dim elements stored
 * one after another (C-contiguous, row stride = dim), any alignment of the element
 * type. Every kernel has a portable scalar path (the reference) and AVX2+FMA and
 * AVX-512 paths chosen at run time (hp_simd_set_level / HOTPATH_SIMD lower it; the
 * SSE4.2 level runs the scalar code; f64 and i8 use their AVX2 code at the AVX-512
 * level). Paths agree within the error bounds below, not bit for bit.
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

/* The metrics. For HP_METRIC_DOT and HP_METRIC_COSINE higher means more similar; for the
 * other three lower means closer (top-k orders accordingly). */
typedef enum hp_metric {
    HP_METRIC_DOT = 0,             /* sum a_i*b_i */
    HP_METRIC_COSINE = 1,          /* dot / (|a| |b|), cosine similarity in [-1, 1] */
    HP_METRIC_COSINE_DISTANCE = 2, /* 1 - cosine similarity, in [0, 2] */
    HP_METRIC_SQEUCLIDEAN = 3,     /* sum (a_i - b_i)^2, computed from differences */
    HP_METRIC_EUCLIDEAN = 4        /* sqrt of HP_METRIC_SQEUCLIDEAN */
} hp_metric;

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
 * metric: an hp_metric.
 *
 * Returns HP_OK; HP_EINVAL if out, a or b is NULL, dim is 0 or metric is unknown;
 * HP_EOVERFLOW if dim * element size exceeds HP_MAX_LEN. Thread-safe; allocates nothing.
 */
HP_API hp_status hp_vec_score_f32(double *out, const float *a, const float *b, size_t dim,
                                  hp_metric metric);
HP_API hp_status hp_vec_score_f64(double *out, const double *a, const double *b, size_t dim,
                                  hp_metric metric);
HP_API hp_status hp_vec_score_i8(double *out, const int8_t *a, const int8_t *b, size_t dim,
                                 hp_metric metric);

/*
 * hp_vec_score_many_f32 / _f64 / _i8 — the metric between one query and each of n rows.
 *
 * out:    OUT, n values: out[j] = metric(query, rows[j]); float for f32, double for
 *         f64 and i8 (caller-allocated, n elements).
 * query:  dim elements (borrowed).
 * rows:   n x dim matrix (borrowed); may be NULL when n is 0.
 * n, dim: row count (0 is fine: nothing is written) and vector length (at least 1).
 * metric: an hp_metric.
 *
 * Runs on the calling thread (for a parallel one-to-many, call hp_vec_cdist_* with m=1).
 * Returns HP_OK; HP_EINVAL for a NULL pointer (out and rows may be NULL only when n is
 * 0), dim 0 or an unknown metric; HP_EOVERFLOW if n*dim or n elements exceed HP_MAX_LEN
 * bytes; HP_ENOMEM (cosine needs a small scratch block). Thread-safe.
 */
HP_API hp_status hp_vec_score_many_f32(float *out, const float *query, const float *rows,
                                       size_t n, size_t dim, hp_metric metric);
HP_API hp_status hp_vec_score_many_f64(double *out, const double *query, const double *rows,
                                       size_t n, size_t dim, hp_metric metric);
HP_API hp_status hp_vec_score_many_i8(double *out, const int8_t *query, const int8_t *rows,
                                      size_t n, size_t dim, hp_metric metric);

/*
 * hp_vec_cdist_f32 / _f64 / _i8 — all pairs: out[i*n + j] = metric(a[i], b[j]).
 *
 * out:     OUT, m x n matrix, row-major (caller-allocated, m*n elements; float for f32,
 *          double for f64 and i8). It must not overlap a or b.
 * a:       m x dim matrix; b: n x dim matrix (borrowed; may be the same memory).
 * m, n:    row counts; either may be 0 (nothing is written).
 * dim:     vector length, at least 1.
 * metric:  an hp_metric.
 * threads: worker threads, 0 = hp_default_threads(). The work is split over tiles of
 *          rows and, when a has few rows, over columns too.
 *
 * f32 runs a register-blocked kernel (12x32 tiles with AVX-512, 6x16 with AVX2) over
 * panels of b copied into a transposed block of about 256 KiB per thread.
 * Returns HP_OK; HP_EINVAL (NULL pointer with a non-empty shape, dim 0, unknown metric);
 * HP_EOVERFLOW if m*dim, n*dim or m*n elements exceed HP_MAX_LEN bytes; HP_ENOMEM.
 * Thread-safe.
 */
HP_API hp_status hp_vec_cdist_f32(float *out, const float *a, size_t m, const float *b, size_t n,
                                  size_t dim, hp_metric metric, unsigned threads);
HP_API hp_status hp_vec_cdist_f64(double *out, const double *a, size_t m, const double *b,
                                  size_t n, size_t dim, hp_metric metric, unsigned threads);
HP_API hp_status hp_vec_cdist_i8(double *out, const int8_t *a, size_t m, const int8_t *b,
                                 size_t n, size_t dim, hp_metric metric, unsigned threads);

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
 * metric:  an hp_metric: dot and cosine rank by higher value, the distances by lower.
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
                                 hp_metric metric, uint32_t flags, unsigned threads);
HP_API hp_status hp_vec_topk_f64(int64_t *indices, double *scores, const double *queries,
                                 size_t m, const double *corpus, size_t n, size_t dim, size_t k,
                                 hp_metric metric, uint32_t flags, unsigned threads);
HP_API hp_status hp_vec_topk_i8(int64_t *indices, double *scores, const int8_t *queries, size_t m,
                                const int8_t *corpus, size_t n, size_t dim, size_t k,
                                hp_metric metric, uint32_t flags, unsigned threads);

#if defined(__cplusplus) && !defined(HP_CDEF)
}
#endif

#endif /* HOTPATH_COMPUTE_H */
