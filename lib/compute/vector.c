/*
 * Vector kernels: dot, cosine, squared L2 and L2 over f32, f64 and i8; one pair, one to
 * many, all pairs (cdist); L2 normalization; the tile walker shared with top-k.
 *
 * Pair kernels. One pass over both vectors computes what the metric needs: the dot
 * product; or dot, |a|^2 and |b|^2 (cosine); or the sum of squared differences (L2,
 * from differences rather than |a|^2+|b|^2-2ab, which cancels badly for near
 * neighbours). The scalar reference sums in double (f32 products are exact in double);
 * i8 sums exactly in integers.
 *
 * Accuracy of the f32 SIMD paths ("blocked f32"). A float lane accumulates at most
 * KBLOCK = 64 products with FMA, then the lane is converted to double and added into a
 * double accumulator. The float part contributes at most gamma(64) = 64u/(1-64u),
 * u = 2^-24, relative to the sum of |terms| it saw; the double part dim*2^-53: together
 * 3.9e-6 * sum|a_i*b_i| for any realistic dim, against dim*2^-24 for a plain float loop
 * (2.4e-4 at dim 4096). FMA throughput is unchanged; the flush costs a few percent.
 *
 * Tiles (cdist and top-k). Scoring many rows against many rows is a small matrix
 * product per block, so it runs as one: a block of b rows (about 256 KiB) is copied into
 * panels of NR rows stored dimension-major ([dim][NR]); a panel of MR a rows likewise
 * ([dim][MR]). The micro-kernel keeps MR x NR float accumulators in registers (AVX-512:
 * 12 x 32 in 24 zmm registers; AVX2: 6 x 16 in 12 ymm; NEON: 8 x 8 in 16 q registers)
 * and per k does two vector loads of b, MR broadcasts of a (NEON: two loads whose lanes
 * feed the FMAs) and 2*MR FMAs (L2: a subtraction before each FMA) — the "outer
 * product" form of GEMM kernels, so no horizontal sums are needed. Every KBLOCK
 * steps of k the accumulators are added into a double tile, which gives the same error
 * bound as the pair kernels. With few a rows (< MR/2) packing would not pay; those tiles
 * use the pair kernels on the rows in place. f64 and i8 tiles use the pair kernels.
 *
 * Dispatch: hp__simd() per call (hp_simd_set_level applies to the next call); AVX-512
 * has pair kernels for f32, f64 and i8 (AVX-512BW) and the f32 tile kernel.
 * On aarch64 the NEON level has its own f32, f64 and i8 pair kernels and f32 tile
 * kernel; they keep the AVX2 lane layout, so every bound above holds for them too.
 */
#include "compute/vector_internal.h"

#include "internal/pool.h"

#include <float.h>
#include <stdatomic.h>

#if defined(__aarch64__) && !defined(HP_NO_SIMD)
#define HAVE_NEON 1
#include <arm_neon.h>
#else
#define HAVE_NEON 0
#endif
/* Levels with a packed (register-blocked) f32 tile kernel. */
#define HAVE_PACKED (HP_HAVE_X86_SIMD || HAVE_NEON)

enum { KBLOCK = 64 };          /* products per float lane before the double flush */
enum { MODE_DOT, MODE_COS, MODE_L2 };
enum { BLOCK_BYTES = 256 * 1024, MAX_BLOCK_ROWS = 512, GENERIC_MR = 8 };

/* Result of one pass over a pair: s[0] = dot or sum of squared differences, s[1] = |a|^2,
 * s[2] = |b|^2 (MODE_COS only). */
typedef struct sums {
    double s[3];
} sums;

/* ---------------------------------------------------------------- scalar reference */

static sums sums_f32_scalar(const float *a, const float *b, size_t n, int mode) {
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; i++) {
        double x = a[i], y = b[i];
        if (mode == MODE_L2) {
            double d = x - y;
            ab += d * d;
        } else {
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
    }
    return (sums){{ab, aa, bb}};
}

static sums sums_f64_scalar(const double *a, const double *b, size_t n, int mode) {
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; i++) {
        double x = a[i], y = b[i];
        if (mode == MODE_L2) {
            double d = x - y;
            ab += d * d;
        } else {
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
    }
    return (sums){{ab, aa, bb}};
}

static sums sums_i8_scalar(const int8_t *a, const int8_t *b, size_t n, int mode) {
    int64_t ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t x = a[i], y = b[i];
        if (mode == MODE_L2) {
            ab += (x - y) * (x - y);
        } else {
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
    }
    return (sums){{(double)ab, (double)aa, (double)bb}};
}

/* ---------------------------------------------------------------- AVX2 + FMA */
#if HP_HAVE_X86_SIMD
#include <immintrin.h>

#define HP__AVX2 __attribute__((target("avx2,fma")))
#define HP__AVX2_INLINE __attribute__((target("avx2,fma"), always_inline)) static inline
#define HP__AVX512 __attribute__((target("avx512f,avx2,fma")))
#define HP__AVX512_INLINE __attribute__((target("avx512f,avx2,fma"), always_inline)) static inline

HP__AVX2_INLINE __m256d lo_pd(__m256 v) { return _mm256_cvtps_pd(_mm256_castps256_ps128(v)); }
HP__AVX2_INLINE __m256d hi_pd(__m256 v) { return _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)); }
HP__AVX2_INLINE double hsum_pd(__m256d v) {
    __m128d s = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(s, _mm_unpackhi_pd(s, s)));
}

/* Blocked-f32 pass, 16 elements per step in two independent accumulators per sum. */
HP__AVX2_INLINE sums sums_f32_avx2_body(const float *a, const float *b, size_t n, int mode) {
    __m256d d[3];
    for (int q = 0; q < 3; q++) d[q] = _mm256_setzero_pd();
    size_t i = 0;
    while (i + 16 <= n) {
        size_t stop = n - i > (size_t)KBLOCK * 16 ? i + (size_t)KBLOCK * 16 : n;
        __m256 x[3][2];
        for (int q = 0; q < 3; q++) x[q][0] = x[q][1] = _mm256_setzero_ps();
        for (; i + 16 <= stop; i += 16) {
            __m256 a0 = _mm256_loadu_ps(a + i), a1 = _mm256_loadu_ps(a + i + 8);
            __m256 b0 = _mm256_loadu_ps(b + i), b1 = _mm256_loadu_ps(b + i + 8);
            if (mode == MODE_L2) {
                __m256 d0 = _mm256_sub_ps(a0, b0), d1 = _mm256_sub_ps(a1, b1);
                x[0][0] = _mm256_fmadd_ps(d0, d0, x[0][0]);
                x[0][1] = _mm256_fmadd_ps(d1, d1, x[0][1]);
            } else {
                x[0][0] = _mm256_fmadd_ps(a0, b0, x[0][0]);
                x[0][1] = _mm256_fmadd_ps(a1, b1, x[0][1]);
                if (mode == MODE_COS) {
                    x[1][0] = _mm256_fmadd_ps(a0, a0, x[1][0]);
                    x[1][1] = _mm256_fmadd_ps(a1, a1, x[1][1]);
                    x[2][0] = _mm256_fmadd_ps(b0, b0, x[2][0]);
                    x[2][1] = _mm256_fmadd_ps(b1, b1, x[2][1]);
                }
            }
        }
        int used = mode == MODE_COS ? 3 : 1;
        for (int q = 0; q < used; q++) {
            __m256d t = _mm256_add_pd(_mm256_add_pd(lo_pd(x[q][0]), hi_pd(x[q][0])),
                                      _mm256_add_pd(lo_pd(x[q][1]), hi_pd(x[q][1])));
            d[q] = _mm256_add_pd(d[q], t);
        }
    }
    sums tail = sums_f32_scalar(a + i, b + i, n - i, mode);
    sums r;
    for (int q = 0; q < 3; q++) r.s[q] = hsum_pd(d[q]) + tail.s[q];
    return r;
}

HP__AVX2 static sums sums_f32_avx2(const float *a, const float *b, size_t n, int mode) {
    switch (mode) {
    case MODE_DOT: return sums_f32_avx2_body(a, b, n, MODE_DOT);
    case MODE_COS: return sums_f32_avx2_body(a, b, n, MODE_COS);
    default: return sums_f32_avx2_body(a, b, n, MODE_L2);
    }
}

/* f64: four independent 4-lane accumulators per sum, no blocking needed. */
HP__AVX2_INLINE sums sums_f64_avx2_body(const double *a, const double *b, size_t n, int mode) {
    __m256d x[3][2];
    for (int q = 0; q < 3; q++) x[q][0] = x[q][1] = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256d a0 = _mm256_loadu_pd(a + i), a1 = _mm256_loadu_pd(a + i + 4);
        __m256d b0 = _mm256_loadu_pd(b + i), b1 = _mm256_loadu_pd(b + i + 4);
        if (mode == MODE_L2) {
            __m256d d0 = _mm256_sub_pd(a0, b0), d1 = _mm256_sub_pd(a1, b1);
            x[0][0] = _mm256_fmadd_pd(d0, d0, x[0][0]);
            x[0][1] = _mm256_fmadd_pd(d1, d1, x[0][1]);
        } else {
            x[0][0] = _mm256_fmadd_pd(a0, b0, x[0][0]);
            x[0][1] = _mm256_fmadd_pd(a1, b1, x[0][1]);
            if (mode == MODE_COS) {
                x[1][0] = _mm256_fmadd_pd(a0, a0, x[1][0]);
                x[1][1] = _mm256_fmadd_pd(a1, a1, x[1][1]);
                x[2][0] = _mm256_fmadd_pd(b0, b0, x[2][0]);
                x[2][1] = _mm256_fmadd_pd(b1, b1, x[2][1]);
            }
        }
    }
    sums tail = sums_f64_scalar(a + i, b + i, n - i, mode);
    sums r;
    for (int q = 0; q < 3; q++) r.s[q] = hsum_pd(_mm256_add_pd(x[q][0], x[q][1])) + tail.s[q];
    return r;
}

HP__AVX2 static sums sums_f64_avx2(const double *a, const double *b, size_t n, int mode) {
    switch (mode) {
    case MODE_DOT: return sums_f64_avx2_body(a, b, n, MODE_DOT);
    case MODE_COS: return sums_f64_avx2_body(a, b, n, MODE_COS);
    default: return sums_f64_avx2_body(a, b, n, MODE_L2);
    }
}

/* i8: 32 bytes per step widened to 16-bit, multiplied and pair-summed into 32-bit lanes
 * (vpmaddwd). A lane gains at most 2*255^2 per step, so 8192 steps stay below 2^31;
 * then the lanes are widened into 64-bit accumulators. Exact. */
HP__AVX2_INLINE __m256i widen_add(__m256i acc64, __m256i v32) {
    acc64 = _mm256_add_epi64(acc64, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(v32)));
    return _mm256_add_epi64(acc64, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v32, 1)));
}

HP__AVX2_INLINE int64_t hsum_epi64(__m256i v) {
    int64_t t[4];
    _mm256_storeu_si256((__m256i *)t, v);
    return t[0] + t[1] + t[2] + t[3];
}

HP__AVX2_INLINE sums sums_i8_avx2_body(const int8_t *a, const int8_t *b, size_t n, int mode) {
    __m256i w[3];
    for (int q = 0; q < 3; q++) w[q] = _mm256_setzero_si256();
    size_t i = 0;
    while (i + 32 <= n) {
        size_t stop = n - i > (size_t)8192 * 32 ? i + (size_t)8192 * 32 : n;
        __m256i x[3];
        for (int q = 0; q < 3; q++) x[q] = _mm256_setzero_si256();
        for (; i + 32 <= stop; i += 32) {
            __m128i ra0 = _mm_loadu_si128((const __m128i *)(const void *)(a + i));
            __m128i ra1 = _mm_loadu_si128((const __m128i *)(const void *)(a + i + 16));
            __m128i rb0 = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
            __m128i rb1 = _mm_loadu_si128((const __m128i *)(const void *)(b + i + 16));
            __m256i a0 = _mm256_cvtepi8_epi16(ra0), a1 = _mm256_cvtepi8_epi16(ra1);
            __m256i b0 = _mm256_cvtepi8_epi16(rb0), b1 = _mm256_cvtepi8_epi16(rb1);
            if (mode == MODE_L2) {
                __m256i d0 = _mm256_sub_epi16(a0, b0), d1 = _mm256_sub_epi16(a1, b1);
                x[0] = _mm256_add_epi32(x[0], _mm256_add_epi32(_mm256_madd_epi16(d0, d0),
                                                               _mm256_madd_epi16(d1, d1)));
            } else {
                x[0] = _mm256_add_epi32(x[0], _mm256_add_epi32(_mm256_madd_epi16(a0, b0),
                                                               _mm256_madd_epi16(a1, b1)));
                if (mode == MODE_COS) {
                    x[1] = _mm256_add_epi32(x[1], _mm256_add_epi32(_mm256_madd_epi16(a0, a0),
                                                                   _mm256_madd_epi16(a1, a1)));
                    x[2] = _mm256_add_epi32(x[2], _mm256_add_epi32(_mm256_madd_epi16(b0, b0),
                                                                   _mm256_madd_epi16(b1, b1)));
                }
            }
        }
        for (int q = 0; q < 3; q++) w[q] = widen_add(w[q], x[q]);
    }
    sums tail = sums_i8_scalar(a + i, b + i, n - i, mode);
    sums r;
    for (int q = 0; q < 3; q++) r.s[q] = (double)hsum_epi64(w[q]) + tail.s[q];
    return r;
}

HP__AVX2 static sums sums_i8_avx2(const int8_t *a, const int8_t *b, size_t n, int mode) {
    switch (mode) {
    case MODE_DOT: return sums_i8_avx2_body(a, b, n, MODE_DOT);
    case MODE_COS: return sums_i8_avx2_body(a, b, n, MODE_COS);
    default: return sums_i8_avx2_body(a, b, n, MODE_L2);
    }
}

/* ---------------------------------------------------------------- AVX-512 (f32) */

HP__AVX512_INLINE __m512d lo_pd16(__m512 v) { return _mm512_cvtps_pd(_mm512_castps512_ps256(v)); }
HP__AVX512_INLINE __m512d hi_pd16(__m512 v) {
    return _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
}

/* The AVX2 pass with 16-float vectors; the tail is one masked step (no scalar loop). */
HP__AVX512_INLINE sums sums_f32_avx512_body(const float *a, const float *b, size_t n, int mode) {
    __m512d d[3];
    for (int q = 0; q < 3; q++) d[q] = _mm512_setzero_pd();
    size_t i = 0;
    while (i < n) {
        size_t stop = n - i > (size_t)KBLOCK * 32 ? i + (size_t)KBLOCK * 32 : n;
        __m512 x[3][2];
        for (int q = 0; q < 3; q++) x[q][0] = x[q][1] = _mm512_setzero_ps();
        for (; i + 32 <= stop; i += 32) {
            __m512 a0 = _mm512_loadu_ps(a + i), a1 = _mm512_loadu_ps(a + i + 16);
            __m512 b0 = _mm512_loadu_ps(b + i), b1 = _mm512_loadu_ps(b + i + 16);
            if (mode == MODE_L2) {
                __m512 d0 = _mm512_sub_ps(a0, b0), d1 = _mm512_sub_ps(a1, b1);
                x[0][0] = _mm512_fmadd_ps(d0, d0, x[0][0]);
                x[0][1] = _mm512_fmadd_ps(d1, d1, x[0][1]);
            } else {
                x[0][0] = _mm512_fmadd_ps(a0, b0, x[0][0]);
                x[0][1] = _mm512_fmadd_ps(a1, b1, x[0][1]);
                if (mode == MODE_COS) {
                    x[1][0] = _mm512_fmadd_ps(a0, a0, x[1][0]);
                    x[1][1] = _mm512_fmadd_ps(a1, a1, x[1][1]);
                    x[2][0] = _mm512_fmadd_ps(b0, b0, x[2][0]);
                    x[2][1] = _mm512_fmadd_ps(b1, b1, x[2][1]);
                }
            }
        }
        /* 0..31 elements left before stop (then stop == n, and the full steps above
         * were fewer than KBLOCK): at most two masked 16-wide steps, one into each
         * accumulator, so no lane takes more than KBLOCK products. */
        for (int u = 0; i < stop; u++) {
            size_t left = stop - i < 16 ? stop - i : 16;
            __mmask16 k = (__mmask16)((1u << left) - 1);
            __m512 a0 = _mm512_maskz_loadu_ps(k, a + i), b0 = _mm512_maskz_loadu_ps(k, b + i);
            if (mode == MODE_L2) {
                __m512 d0 = _mm512_sub_ps(a0, b0);
                x[0][u] = _mm512_fmadd_ps(d0, d0, x[0][u]);
            } else {
                x[0][u] = _mm512_fmadd_ps(a0, b0, x[0][u]);
                if (mode == MODE_COS) {
                    x[1][u] = _mm512_fmadd_ps(a0, a0, x[1][u]);
                    x[2][u] = _mm512_fmadd_ps(b0, b0, x[2][u]);
                }
            }
            i += left;
        }
        int used = mode == MODE_COS ? 3 : 1;
        for (int q = 0; q < used; q++) {
            __m512d t = _mm512_add_pd(_mm512_add_pd(lo_pd16(x[q][0]), hi_pd16(x[q][0])),
                                      _mm512_add_pd(lo_pd16(x[q][1]), hi_pd16(x[q][1])));
            d[q] = _mm512_add_pd(d[q], t);
        }
    }
    sums r;
    for (int q = 0; q < 3; q++) r.s[q] = _mm512_reduce_add_pd(d[q]);
    return r;
}

HP__AVX512 static sums sums_f32_avx512(const float *a, const float *b, size_t n, int mode) {
    switch (mode) {
    case MODE_DOT: return sums_f32_avx512_body(a, b, n, MODE_DOT);
    case MODE_COS: return sums_f32_avx512_body(a, b, n, MODE_COS);
    default: return sums_f32_avx512_body(a, b, n, MODE_L2);
    }
}

/* f64 with 8-double vectors: two accumulators per sum (sixteen lanes), the tail one
 * masked step into each (no scalar loop). */
HP__AVX512_INLINE void step_f64_avx512(__m512d x[3][2], int u, __m512d a, __m512d b, int mode) {
    if (mode == MODE_L2) {
        __m512d d = _mm512_sub_pd(a, b);
        x[0][u] = _mm512_fmadd_pd(d, d, x[0][u]);
    } else {
        x[0][u] = _mm512_fmadd_pd(a, b, x[0][u]);
        if (mode == MODE_COS) {
            x[1][u] = _mm512_fmadd_pd(a, a, x[1][u]);
            x[2][u] = _mm512_fmadd_pd(b, b, x[2][u]);
        }
    }
}

HP__AVX512_INLINE sums sums_f64_avx512_body(const double *a, const double *b, size_t n, int mode) {
    __m512d x[3][2];
    for (int q = 0; q < 3; q++) x[q][0] = x[q][1] = _mm512_setzero_pd();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        step_f64_avx512(x, 0, _mm512_loadu_pd(a + i), _mm512_loadu_pd(b + i), mode);
        step_f64_avx512(x, 1, _mm512_loadu_pd(a + i + 8), _mm512_loadu_pd(b + i + 8), mode);
    }
    for (int u = 0; i < n; u++) { /* 0..15 left: at most two masked steps */
        size_t left = n - i < 8 ? n - i : 8;
        __mmask8 k = (__mmask8)((1u << left) - 1);
        step_f64_avx512(x, u, _mm512_maskz_loadu_pd(k, a + i), _mm512_maskz_loadu_pd(k, b + i),
                        mode);
        i += left;
    }
    sums r;
    for (int q = 0; q < 3; q++) r.s[q] = _mm512_reduce_add_pd(_mm512_add_pd(x[q][0], x[q][1]));
    return r;
}

HP__AVX512 static sums sums_f64_avx512(const double *a, const double *b, size_t n, int mode) {
    switch (mode) {
    case MODE_DOT: return sums_f64_avx512_body(a, b, n, MODE_DOT);
    case MODE_COS: return sums_f64_avx512_body(a, b, n, MODE_COS);
    default: return sums_f64_avx512_body(a, b, n, MODE_L2);
    }
}

/* i8 with AVX-512BW: 64 bytes per step widened to 16-bit and multiplied pairwise into
 * 32-bit lanes (vpmaddwd), as the AVX2 pass: a lane gains at most 2*2*255^2 per step, so
 * 8192 steps stay below 2^31, then the lanes are widened into 64-bit accumulators.
 * Exact. */
#define HP__AVX512BW_INLINE                                                                   \
    __attribute__((target("avx512f,avx512bw,avx2,fma"), always_inline)) static inline

HP__AVX512BW_INLINE __m512i widen_add512(__m512i acc64, __m512i v32) {
    acc64 = _mm512_add_epi64(acc64, _mm512_cvtepi32_epi64(_mm512_castsi512_si256(v32)));
    return _mm512_add_epi64(acc64, _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(v32, 1)));
}

HP__AVX512BW_INLINE __m512i madd2(__m512i a0, __m512i b0, __m512i a1, __m512i b1) {
    return _mm512_add_epi32(_mm512_madd_epi16(a0, b0), _mm512_madd_epi16(a1, b1));
}

HP__AVX512BW_INLINE sums sums_i8_avx512_body(const int8_t *a, const int8_t *b, size_t n, int mode) {
    __m512i w[3];
    for (int q = 0; q < 3; q++) w[q] = _mm512_setzero_si512();
    size_t i = 0;
    while (i + 64 <= n) {
        size_t stop = n - i > (size_t)8192 * 64 ? i + (size_t)8192 * 64 : n;
        __m512i x[3];
        for (int q = 0; q < 3; q++) x[q] = _mm512_setzero_si512();
        for (; i + 64 <= stop; i += 64) {
            __m512i a0 = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(const void *)(a + i)));
            __m512i a1 =
                _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(const void *)(a + i + 32)));
            __m512i b0 = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(const void *)(b + i)));
            __m512i b1 =
                _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(const void *)(b + i + 32)));
            if (mode == MODE_L2) {
                __m512i d0 = _mm512_sub_epi16(a0, b0), d1 = _mm512_sub_epi16(a1, b1);
                x[0] = _mm512_add_epi32(x[0], madd2(d0, d0, d1, d1));
            } else {
                x[0] = _mm512_add_epi32(x[0], madd2(a0, b0, a1, b1));
                if (mode == MODE_COS) {
                    x[1] = _mm512_add_epi32(x[1], madd2(a0, a0, a1, a1));
                    x[2] = _mm512_add_epi32(x[2], madd2(b0, b0, b1, b1));
                }
            }
        }
        for (int q = 0; q < 3; q++) w[q] = widen_add512(w[q], x[q]);
    }
    sums tail = sums_i8_scalar(a + i, b + i, n - i, mode);
    sums r;
    for (int q = 0; q < 3; q++) r.s[q] = (double)_mm512_reduce_add_epi64(w[q]) + tail.s[q];
    return r;
}

__attribute__((target("avx512f,avx512bw,avx2,fma"))) static sums
sums_i8_avx512(const int8_t *a, const int8_t *b, size_t n, int mode) {
    switch (mode) {
    case MODE_DOT: return sums_i8_avx512_body(a, b, n, MODE_DOT);
    case MODE_COS: return sums_i8_avx512_body(a, b, n, MODE_COS);
    default: return sums_i8_avx512_body(a, b, n, MODE_L2);
    }
}
#endif /* HP_HAVE_X86_SIMD */

/* ---------------------------------------------------------------- NEON (aarch64)
 *
 * Advanced SIMD is part of the aarch64 base ISA, so these need no target attribute and
 * no feature check: 128-bit vectors, 32 registers. The f32 and f64 passes mirror the
 * AVX2 ones with four 4-float (2-double) accumulators per sum, so a float lane sees the
 * same KBLOCK products between flushes and the documented bounds hold unchanged. */
#if HAVE_NEON

#define HP__NEON_INLINE __attribute__((always_inline)) static inline

/* One step of a pass into one accumulator of each sum. */
HP__NEON_INLINE void step_f32_neon(float32x4_t *ab, float32x4_t *aa, float32x4_t *bb, float32x4_t a,
                                   float32x4_t b, int mode) {
    if (mode == MODE_L2) {
        float32x4_t d = vsubq_f32(a, b);
        *ab = vfmaq_f32(*ab, d, d);
    } else {
        *ab = vfmaq_f32(*ab, a, b);
        if (mode == MODE_COS) {
            *aa = vfmaq_f32(*aa, a, a);
            *bb = vfmaq_f32(*bb, b, b);
        }
    }
}

HP__NEON_INLINE float64x2_t widen_sum_f32(float32x4_t v) {
    return vaddq_f64(vcvt_f64_f32(vget_low_f32(v)), vcvt_high_f64_f32(v));
}

/* Blocked-f32 pass, 16 elements per step in four accumulators per sum (each lane takes
 * one product per step), flushed into double every KBLOCK steps. A remainder of 4..15
 * elements takes up to three 4-wide steps, one into each of the first three
 * accumulators: the block then had fewer than KBLOCK full steps, so no lane exceeds
 * KBLOCK products. Fewer than 4 left: the scalar loop. */
HP__NEON_INLINE sums sums_f32_neon_body(const float *a, const float *b, size_t n, int mode) {
    float64x2_t d[3];
#pragma GCC unroll 3
    for (int q = 0; q < 3; q++) d[q] = vdupq_n_f64(0.0);
    size_t i = 0;
    while (n - i >= 4) {
        size_t stop = n - i > (size_t)KBLOCK * 16 ? i + (size_t)KBLOCK * 16 : n;
        float32x4_t x[3][4];
#pragma GCC unroll 3
        for (int q = 0; q < 3; q++) x[q][0] = x[q][1] = x[q][2] = x[q][3] = vdupq_n_f32(0.0f);
        for (; i + 16 <= stop; i += 16) {
#pragma GCC unroll 4
            for (int u = 0; u < 4; u++) {
                step_f32_neon(&x[0][u], &x[1][u], &x[2][u], vld1q_f32(a + i + 4 * u),
                              vld1q_f32(b + i + 4 * u), mode);
            }
        }
#pragma GCC unroll 3
        for (int u = 0; u < 3; u++) {
            if (i + 4 > stop) break;
            step_f32_neon(&x[0][u], &x[1][u], &x[2][u], vld1q_f32(a + i), vld1q_f32(b + i), mode);
            i += 4;
        }
        int used = mode == MODE_COS ? 3 : 1;
#pragma GCC unroll 3
        for (int q = 0; q < used; q++) {
            float64x2_t t = vaddq_f64(vaddq_f64(widen_sum_f32(x[q][0]), widen_sum_f32(x[q][1])),
                                      vaddq_f64(widen_sum_f32(x[q][2]), widen_sum_f32(x[q][3])));
            d[q] = vaddq_f64(d[q], t);
        }
    }
    sums tail = sums_f32_scalar(a + i, b + i, n - i, mode);
    sums r;
#pragma GCC unroll 3
    for (int q = 0; q < 3; q++) r.s[q] = vaddvq_f64(d[q]) + tail.s[q];
    return r;
}

static sums sums_f32_neon(const float *a, const float *b, size_t n, int mode) {
    switch (mode) {
    case MODE_DOT: return sums_f32_neon_body(a, b, n, MODE_DOT);
    case MODE_COS: return sums_f32_neon_body(a, b, n, MODE_COS);
    default: return sums_f32_neon_body(a, b, n, MODE_L2);
    }
}

HP__NEON_INLINE void step_f64_neon(float64x2_t *ab, float64x2_t *aa, float64x2_t *bb, float64x2_t a,
                                   float64x2_t b, int mode) {
    if (mode == MODE_L2) {
        float64x2_t d = vsubq_f64(a, b);
        *ab = vfmaq_f64(*ab, d, d);
    } else {
        *ab = vfmaq_f64(*ab, a, b);
        if (mode == MODE_COS) {
            *aa = vfmaq_f64(*aa, a, a);
            *bb = vfmaq_f64(*bb, b, b);
        }
    }
}

/* f64: four 2-lane accumulators per sum (the eight lanes of the AVX2 pass). */
HP__NEON_INLINE sums sums_f64_neon_body(const double *a, const double *b, size_t n, int mode) {
    float64x2_t x[3][4];
#pragma GCC unroll 3
    for (int q = 0; q < 3; q++) x[q][0] = x[q][1] = x[q][2] = x[q][3] = vdupq_n_f64(0.0);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
#pragma GCC unroll 4
        for (int u = 0; u < 4; u++) {
            step_f64_neon(&x[0][u], &x[1][u], &x[2][u], vld1q_f64(a + i + 2 * u),
                          vld1q_f64(b + i + 2 * u), mode);
        }
    }
    sums tail = sums_f64_scalar(a + i, b + i, n - i, mode);
    sums r;
#pragma GCC unroll 3
    for (int q = 0; q < 3; q++) {
        float64x2_t t = vaddq_f64(vaddq_f64(x[q][0], x[q][1]), vaddq_f64(x[q][2], x[q][3]));
        r.s[q] = vaddvq_f64(t) + tail.s[q];
    }
    return r;
}

static sums sums_f64_neon(const double *a, const double *b, size_t n, int mode) {
    switch (mode) {
    case MODE_DOT: return sums_f64_neon_body(a, b, n, MODE_DOT);
    case MODE_COS: return sums_f64_neon_body(a, b, n, MODE_COS);
    default: return sums_f64_neon_body(a, b, n, MODE_L2);
    }
}

/* i8: plain NEON (no dot-product extension). Products of 8 bytes at a time are exact in
 * 16 bits (|x*y| <= 2^14), vpadalq pair-sums them into 32-bit lanes; L2 squares the
 * absolute difference, exact as unsigned bytes (|x-y| <= 255), in unsigned 16 and 32
 * bits. Per 32-byte step a 32-bit lane gains at most 2*2*2^14 = 2^16 (L2: 4*255^2 <
 * 2^18), so blocks of I8_BLOCK = 4096 steps stay below 2^28 (2^30); then the two
 * accumulators are added and pair-summed into 64-bit lanes. Exact. */
enum { I8_BLOCK = 4096 };

HP__NEON_INLINE int32x4_t dot8_neon(int32x4_t acc, int8x8_t x, int8x8_t y) {
    return vpadalq_s16(acc, vmull_s8(x, y));
}

HP__NEON_INLINE sums sums_i8_neon_body(const int8_t *a, const int8_t *b, size_t n, int mode) {
    int64x2_t w[3];
#pragma GCC unroll 3
    for (int q = 0; q < 3; q++) w[q] = vdupq_n_s64(0);
    uint64x2_t wl = vdupq_n_u64(0);
    size_t i = 0;
    while (i + 32 <= n) {
        size_t stop = n - i > (size_t)I8_BLOCK * 32 ? i + (size_t)I8_BLOCK * 32 : n;
        int32x4_t x[3][2];
#pragma GCC unroll 3
        for (int q = 0; q < 3; q++) x[q][0] = x[q][1] = vdupq_n_s32(0);
        uint32x4_t y[2] = {vdupq_n_u32(0), vdupq_n_u32(0)};
        for (; i + 32 <= stop; i += 32) {
#pragma GCC unroll 2
            for (int u = 0; u < 2; u++) {
                int8x16_t va = vld1q_s8(a + i + 16 * u), vb = vld1q_s8(b + i + 16 * u);
                if (mode == MODE_L2) {
                    uint8x16_t d = vreinterpretq_u8_s8(vabdq_s8(va, vb));
                    y[0] = vpadalq_u16(y[0], vmull_u8(vget_low_u8(d), vget_low_u8(d)));
                    y[1] = vpadalq_u16(y[1], vmull_high_u8(d, d));
                } else {
                    int8x8_t al = vget_low_s8(va), ah = vget_high_s8(va);
                    int8x8_t bl = vget_low_s8(vb), bh = vget_high_s8(vb);
                    x[0][0] = dot8_neon(x[0][0], al, bl);
                    x[0][1] = dot8_neon(x[0][1], ah, bh);
                    if (mode == MODE_COS) {
                        x[1][0] = dot8_neon(x[1][0], al, al);
                        x[1][1] = dot8_neon(x[1][1], ah, ah);
                        x[2][0] = dot8_neon(x[2][0], bl, bl);
                        x[2][1] = dot8_neon(x[2][1], bh, bh);
                    }
                }
            }
        }
#pragma GCC unroll 3
        for (int q = 0; q < 3; q++) w[q] = vpadalq_s32(w[q], vaddq_s32(x[q][0], x[q][1]));
        wl = vpadalq_u32(wl, vaddq_u32(y[0], y[1]));
    }
    sums tail = sums_i8_scalar(a + i, b + i, n - i, mode);
    sums r;
#pragma GCC unroll 3
    for (int q = 0; q < 3; q++) r.s[q] = (double)vaddvq_s64(w[q]) + tail.s[q];
    if (mode == MODE_L2) r.s[0] = (double)vaddvq_u64(wl) + tail.s[0];
    return r;
}

static sums sums_i8_neon(const int8_t *a, const int8_t *b, size_t n, int mode) {
    switch (mode) {
    case MODE_DOT: return sums_i8_neon_body(a, b, n, MODE_DOT);
    case MODE_COS: return sums_i8_neon_body(a, b, n, MODE_COS);
    default: return sums_i8_neon_body(a, b, n, MODE_L2);
    }
}
#endif /* HAVE_NEON */

/* ---------------------------------------------------------------- dispatch */

/* The kernel family for a level. */
enum { ISA_SCALAR, ISA_NEON, ISA_AVX2, ISA_AVX512 };

static int isa(void) {
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    if (level == HP_SIMD_AVX512) return ISA_AVX512;
    if (level == HP_SIMD_AVX2) return ISA_AVX2;
#elif HAVE_NEON
    if (hp__simd() == HP_SIMD_NEON) return ISA_NEON;
#endif
    return ISA_SCALAR;
}

static sums sums_f32(const float *a, const float *b, size_t n, int mode, int level) {
#if HP_HAVE_X86_SIMD
    if (level == ISA_AVX512) return sums_f32_avx512(a, b, n, mode);
    if (level == ISA_AVX2) return sums_f32_avx2(a, b, n, mode);
#elif HAVE_NEON
    if (level == ISA_NEON) return sums_f32_neon(a, b, n, mode);
#endif
    (void)level;
    return sums_f32_scalar(a, b, n, mode);
}

static sums sums_f64(const double *a, const double *b, size_t n, int mode, int level) {
#if HP_HAVE_X86_SIMD
    if (level == ISA_AVX512) return sums_f64_avx512(a, b, n, mode);
    if (level == ISA_AVX2) return sums_f64_avx2(a, b, n, mode);
#elif HAVE_NEON
    if (level == ISA_NEON) return sums_f64_neon(a, b, n, mode);
#endif
    (void)level;
    return sums_f64_scalar(a, b, n, mode);
}

static sums sums_i8(const int8_t *a, const int8_t *b, size_t n, int mode, int level) {
#if HP_HAVE_X86_SIMD
    if (level == ISA_AVX512) return sums_i8_avx512(a, b, n, mode);
    if (level == ISA_AVX2) return sums_i8_avx2(a, b, n, mode);
#elif HAVE_NEON
    if (level == ISA_NEON) return sums_i8_neon(a, b, n, mode);
#endif
    (void)level;
    return sums_i8_scalar(a, b, n, mode);
}

static size_t type_size(hp__vtype t) {
    return t == HP__VF32 ? sizeof(float) : t == HP__VF64 ? sizeof(double) : 1;
}

/* Sums of rows a and b (row indices into the job's matrices). */
static sums sums_rows(hp__vtype t, const void *a, const void *b, size_t dim, int mode,
                      int level) {
    switch (t) {
    case HP__VF32: return sums_f32(a, b, dim, mode, level);
    case HP__VF64: return sums_f64(a, b, dim, mode, level);
    default: return sums_i8(a, b, dim, mode, level);
    }
}

static int raw_mode(hp_vec_metric metric) {
    return metric == HP_VEC_SQEUCLIDEAN || metric == HP_VEC_EUCLIDEAN ? MODE_L2 : MODE_DOT;
}

static bool is_cosine(hp_vec_metric metric) {
    return metric == HP_VEC_COSINE || metric == HP_VEC_COSINE_DISTANCE;
}

/* 1/|x| (inf for a zero row, so that cosine becomes 0*inf = NaN as documented). */
static double inv_norm(hp__vtype t, const void *x, size_t dim, int level) {
    return 1.0 / sqrt(sums_rows(t, x, x, dim, MODE_DOT, level).s[0]);
}

static double pair_value(hp__vtype t, const void *a, const void *b, size_t dim,
                         hp_vec_metric metric, int level) {
    if (is_cosine(metric)) {
        sums s = sums_rows(t, a, b, dim, MODE_COS, level);
        /* sqrt each: the product of the squared norms could overflow double. */
        double r = 1.0 / (sqrt(s.s[1]) * sqrt(s.s[2]));
        return hp__vec_value(metric, s.s[0], r, 1.0);
    }
    sums s = sums_rows(t, a, b, dim, raw_mode(metric), level);
    return hp__vec_value(metric, s.s[0], 1.0, 1.0);
}

/* ---------------------------------------------------------------- argument checks */

hp_status hp__vec_check(hp_vec_metric metric, size_t dim, size_t elem_size, const void *a,
                        size_t rows_a, const char *name_a, const void *b, size_t rows_b,
                        const char *name_b) {
    HP_RETURN_IF((unsigned)metric > (unsigned)HP_VEC_EUCLIDEAN, HP_EINVAL,
                 "unknown metric %d", (int)metric);
    HP_RETURN_IF(dim == 0, HP_EINVAL, "dim is 0");
    size_t bytes;
    HP_RETURN_IF(!hp__mul_size(dim, elem_size, &bytes) || bytes > HP_MAX_LEN, HP_EOVERFLOW,
                 "dim %zu is too large", dim);
    HP_RETURN_IF(!hp__mul_size(bytes, rows_a, &bytes) || bytes > HP_MAX_LEN, HP_EOVERFLOW,
                 "%s: %zu rows of %zu elements exceed HP_MAX_LEN bytes", name_a, rows_a, dim);
    HP_RETURN_IF(a == NULL && rows_a > 0, HP_EINVAL, "%s is NULL", name_a);
    HP_RETURN_IF(!hp__mul_size(dim * elem_size, rows_b, &bytes) || bytes > HP_MAX_LEN,
                 HP_EOVERFLOW, "%s: %zu rows of %zu elements exceed HP_MAX_LEN bytes", name_b,
                 rows_b, dim);
    HP_RETURN_IF(b == NULL && rows_b > 0, HP_EINVAL, "%s is NULL", name_b);
    return HP_OK;
}

/* ---------------------------------------------------------------- one pair */

static hp_status score_pair(double *out, hp__vtype t, const void *a, const void *b, size_t dim,
                            hp_vec_metric metric) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NAN;
    HP_FORWARD_IF_ERROR(hp__vec_check(metric, dim, type_size(t), a, 1, "a", b, 1, "b"));
    *out = pair_value(t, a, b, dim, metric, isa());
    return HP_OK;
}

hp_status hp_vec_score_f32(double *out, const float *a, const float *b, size_t dim,
                           hp_vec_metric metric) {
    return score_pair(out, HP__VF32, a, b, dim, metric);
}

hp_status hp_vec_score_f64(double *out, const double *a, const double *b, size_t dim,
                           hp_vec_metric metric) {
    return score_pair(out, HP__VF64, a, b, dim, metric);
}

hp_status hp_vec_score_i8(double *out, const int8_t *a, const int8_t *b, size_t dim,
                          hp_vec_metric metric) {
    return score_pair(out, HP__VI8, a, b, dim, metric);
}

/* ---------------------------------------------------------------- f32 tiles */
#if HAVE_PACKED

/* Copies rows [0, rows) of x (stride dim) into panels of nr rows, dimension-major:
 * panel p holds x[p*nr + r][k] at dst[p*dim*nr + k*nr + r]; missing rows are zeros. */
static void pack_panels(float *dst, const float *x, size_t rows, size_t dim, size_t nr) {
    size_t panels = (rows + nr - 1) / nr;
    for (size_t p = 0; p < panels; p++) {
        float *d = dst + p * dim * nr;
        for (size_t r = 0; r < nr; r++) {
            size_t row = p * nr + r;
            if (row < rows) {
                const float *src = x + row * dim;
                for (size_t k = 0; k < dim; k++) d[k * nr + r] = src[k];
            } else {
                for (size_t k = 0; k < dim; k++) d[k * nr + r] = 0.0f;
            }
        }
    }
}
#if HP_HAVE_X86_SIMD

/* One MR x NR tile (see the file comment), added into tile rows of stride ldt:
 * AVX-512, MR = 12, NR = 32. This is the hot loop of cdist and top-k. */
HP__AVX512_INLINE void micro_avx512_body(double *t, size_t ldt, const float *ap, const float *bp,
                                         size_t dim, bool l2) {
    enum { MR = 12 };
    for (size_t k0 = 0; k0 < dim; k0 += KBLOCK) {
        size_t k1 = dim - k0 > KBLOCK ? k0 + KBLOCK : dim;
        __m512 c[MR][2];
#pragma GCC unroll 12
        for (int i = 0; i < MR; i++) c[i][0] = c[i][1] = _mm512_setzero_ps();
        for (size_t k = k0; k < k1; k++) {
            __m512 b0 = _mm512_loadu_ps(bp + k * 32), b1 = _mm512_loadu_ps(bp + k * 32 + 16);
            const float *ak = ap + k * MR;
#pragma GCC unroll 12
            for (int i = 0; i < MR; i++) {
                __m512 av = _mm512_set1_ps(ak[i]);
                if (l2) {
                    __m512 d0 = _mm512_sub_ps(b0, av), d1 = _mm512_sub_ps(b1, av);
                    c[i][0] = _mm512_fmadd_ps(d0, d0, c[i][0]);
                    c[i][1] = _mm512_fmadd_ps(d1, d1, c[i][1]);
                } else {
                    c[i][0] = _mm512_fmadd_ps(av, b0, c[i][0]);
                    c[i][1] = _mm512_fmadd_ps(av, b1, c[i][1]);
                }
            }
        }
#pragma GCC unroll 12
        for (int i = 0; i < MR; i++) {
            double *row = t + (size_t)i * ldt;
            __m512d v[4] = {lo_pd16(c[i][0]), hi_pd16(c[i][0]), lo_pd16(c[i][1]),
                            hi_pd16(c[i][1])};
            for (int h = 0; h < 4; h++) {
                if (k0 > 0) v[h] = _mm512_add_pd(v[h], _mm512_loadu_pd(row + 8 * h));
                _mm512_storeu_pd(row + 8 * h, v[h]);
            }
        }
    }
}

HP__AVX512 static void tile_avx512(double *t, size_t ldt, const float *ap, const float *bpack,
                                   size_t panels, size_t dim, bool l2) {
    for (size_t p = 0; p < panels; p++) {
        if (l2) micro_avx512_body(t + p * 32, ldt, ap, bpack + p * dim * 32, dim, true);
        else micro_avx512_body(t + p * 32, ldt, ap, bpack + p * dim * 32, dim, false);
    }
}

/* AVX2: MR = 6, NR = 16 (12 accumulators, 2 b vectors, 1 broadcast of 16 registers). */
HP__AVX2_INLINE void micro_avx2_body(double *t, size_t ldt, const float *ap, const float *bp,
                                     size_t dim, bool l2) {
    enum { MR = 6 };
    for (size_t k0 = 0; k0 < dim; k0 += KBLOCK) {
        size_t k1 = dim - k0 > KBLOCK ? k0 + KBLOCK : dim;
        __m256 c[MR][2];
#pragma GCC unroll 6
        for (int i = 0; i < MR; i++) c[i][0] = c[i][1] = _mm256_setzero_ps();
        for (size_t k = k0; k < k1; k++) {
            __m256 b0 = _mm256_loadu_ps(bp + k * 16), b1 = _mm256_loadu_ps(bp + k * 16 + 8);
            const float *ak = ap + k * MR;
#pragma GCC unroll 6
            for (int i = 0; i < MR; i++) {
                __m256 av = _mm256_broadcast_ss(ak + i);
                if (l2) {
                    __m256 d0 = _mm256_sub_ps(b0, av), d1 = _mm256_sub_ps(b1, av);
                    c[i][0] = _mm256_fmadd_ps(d0, d0, c[i][0]);
                    c[i][1] = _mm256_fmadd_ps(d1, d1, c[i][1]);
                } else {
                    c[i][0] = _mm256_fmadd_ps(av, b0, c[i][0]);
                    c[i][1] = _mm256_fmadd_ps(av, b1, c[i][1]);
                }
            }
        }
#pragma GCC unroll 6
        for (int i = 0; i < MR; i++) {
            double *row = t + (size_t)i * ldt;
            __m256d v[4] = {lo_pd(c[i][0]), hi_pd(c[i][0]), lo_pd(c[i][1]), hi_pd(c[i][1])};
            for (int h = 0; h < 4; h++) {
                if (k0 > 0) v[h] = _mm256_add_pd(v[h], _mm256_loadu_pd(row + 4 * h));
                _mm256_storeu_pd(row + 4 * h, v[h]);
            }
        }
    }
}

HP__AVX2 static void tile_avx2(double *t, size_t ldt, const float *ap, const float *bpack,
                               size_t panels, size_t dim, bool l2) {
    for (size_t p = 0; p < panels; p++) {
        if (l2) micro_avx2_body(t + p * 16, ldt, ap, bpack + p * dim * 16, dim, true);
        else micro_avx2_body(t + p * 16, ldt, ap, bpack + p * dim * 16, dim, false);
    }
}
#endif /* HP_HAVE_X86_SIMD */

#if HAVE_NEON
/* NEON: MR = 8, NR = 8. 16 accumulators, two b vectors and the 8 a values of step k
 * in two vectors, whose lanes feed the FMAs directly (fmla by element: no broadcasts),
 * 20 of the 32 registers. The L2 form needs a broadcast and a difference per row; GCC 12
 * then spills one accumulator per step. Untuned: no aarch64 hardware has timed this. */
#define NEON_ROW(i, av, lane)                                                                      \
    do {                                                                                           \
        if (l2) {                                                                                  \
            float32x4_t s_ = vdupq_laneq_f32(av, lane);                                            \
            float32x4_t d0_ = vsubq_f32(b0, s_), d1_ = vsubq_f32(b1, s_);                          \
            c[i][0] = vfmaq_f32(c[i][0], d0_, d0_);                                                \
            c[i][1] = vfmaq_f32(c[i][1], d1_, d1_);                                                \
        } else {                                                                                   \
            c[i][0] = vfmaq_laneq_f32(c[i][0], b0, av, lane);                                      \
            c[i][1] = vfmaq_laneq_f32(c[i][1], b1, av, lane);                                      \
        }                                                                                          \
    } while (0)

HP__NEON_INLINE void micro_neon_body(double *t, size_t ldt, const float *ap, const float *bp,
                                     size_t dim, bool l2) {
    enum { MR = 8 };
    for (size_t k0 = 0; k0 < dim; k0 += KBLOCK) {
        size_t k1 = dim - k0 > KBLOCK ? k0 + KBLOCK : dim;
        float32x4_t c[MR][2];
#pragma GCC unroll 8
        for (int i = 0; i < MR; i++) c[i][0] = c[i][1] = vdupq_n_f32(0.0f);
        for (size_t k = k0; k < k1; k++) {
            float32x4_t b0 = vld1q_f32(bp + k * 8), b1 = vld1q_f32(bp + k * 8 + 4);
            float32x4_t a0 = vld1q_f32(ap + k * MR), a1 = vld1q_f32(ap + k * MR + 4);
            NEON_ROW(0, a0, 0);
            NEON_ROW(1, a0, 1);
            NEON_ROW(2, a0, 2);
            NEON_ROW(3, a0, 3);
            NEON_ROW(4, a1, 0);
            NEON_ROW(5, a1, 1);
            NEON_ROW(6, a1, 2);
            NEON_ROW(7, a1, 3);
        }
#pragma GCC unroll 8
        for (int i = 0; i < MR; i++) {
            double *row = t + (size_t)i * ldt;
            float64x2_t v[4] = {vcvt_f64_f32(vget_low_f32(c[i][0])), vcvt_high_f64_f32(c[i][0]),
                                vcvt_f64_f32(vget_low_f32(c[i][1])), vcvt_high_f64_f32(c[i][1])};
#pragma GCC unroll 4
            for (int h = 0; h < 4; h++) {
                if (k0 > 0) v[h] = vaddq_f64(v[h], vld1q_f64(row + 2 * h));
                vst1q_f64(row + 2 * h, v[h]);
            }
        }
    }
}
#undef NEON_ROW

static void tile_neon(double *t, size_t ldt, const float *ap, const float *bpack, size_t panels,
                      size_t dim, bool l2) {
    for (size_t p = 0; p < panels; p++) {
        if (l2) micro_neon_body(t + p * 8, ldt, ap, bpack + p * dim * 8, dim, true);
        else micro_neon_body(t + p * 8, ldt, ap, bpack + p * dim * 8, dim, false);
    }
}
#endif /* HAVE_NEON */
#endif /* HAVE_PACKED */

/* ---------------------------------------------------------------- tile walker */

typedef struct walk {
    int level;
    size_t mr, nr;      /* packed tile shape, or GENERIC_MR x 1 for the pair kernels */
    bool packed;
    size_t block_rows;  /* b rows per block, a multiple of nr */
    double *tile;       /* mr x block_rows */
    float *apack, *bpack;
    double *ra, *rb;    /* inverse norms (cosine) of the a range and of the current block */
} walk;

static void walk_free(walk *w) {
    hp__free(w->tile);
    hp__free(w->apack);
    hp__free(w->bpack);
    hp__free(w->ra);
    hp__free(w->rb);
}

/* The register tile (MR a rows x NR b rows) of the packed f32 kernel of a level; false
 * where f32 tiles use the pair kernels. */
static bool packed_shape(int level, size_t *mr, size_t *nr) {
#if HP_HAVE_X86_SIMD
    if (level == ISA_AVX512) {
        *mr = 12, *nr = 32;
        return true;
    }
    if (level == ISA_AVX2) {
        *mr = 6, *nr = 16;
        return true;
    }
#elif HAVE_NEON
    if (level == ISA_NEON) {
        *mr = 8, *nr = 8;
        return true;
    }
#endif
    (void)level, (void)mr, (void)nr;
    return false;
}

static bool walk_init(walk *w, const hp__tile_job *job, size_t rows_a, size_t rows_b) {
    *w = (walk){.level = isa(), .mr = GENERIC_MR, .nr = 1};
    size_t dim = job->dim, mr, nr;
    if (job->type == HP__VF32 && packed_shape(w->level, &mr, &nr) && rows_a >= mr / 2) {
        w->packed = true;
        w->mr = mr;
        w->nr = nr;
    }
    size_t row_bytes = dim * type_size(job->type);
    size_t rows = BLOCK_BYTES / row_bytes;
    if (rows > MAX_BLOCK_ROWS) rows = MAX_BLOCK_ROWS;
    if (rows > rows_b) rows = rows_b;
    rows = (rows + w->nr - 1) / w->nr * w->nr; /* at least one panel */
    if (rows == 0) rows = w->nr;
    w->block_rows = rows;
    bool ok = true;
    w->tile = hp__malloc(w->mr * rows * sizeof(double));
    ok = ok && w->tile;
    if (w->packed) {
        size_t apanels = (rows_a + w->mr - 1) / w->mr;
        w->apack = hp__malloc(apanels * w->mr * dim * sizeof(float));
        w->bpack = hp__malloc(rows * dim * sizeof(float));
        ok = ok && w->apack && w->bpack;
    }
    if (is_cosine(job->metric)) {
        w->ra = hp__malloc(rows_a * sizeof(double));
        w->rb = hp__malloc(rows * sizeof(double));
        ok = ok && w->ra && w->rb;
    }
    if (!ok) walk_free(w);
    return ok;
}

static const void *row_at(const hp__tile_job *job, const void *m, size_t row) {
    return (const char *)m + row * job->dim * type_size(job->type);
}

/* Raw values of a rows [i0, i0+mi) x b rows [j0, j0+nj) into w->tile. */
static void fill_tile(const hp__tile_job *job, walk *w, size_t i0, size_t mi, size_t j0,
                      size_t nj, size_t panel) {
    bool l2 = raw_mode(job->metric) == MODE_L2;
#if HAVE_PACKED
    if (w->packed) {
        const float *ap = w->apack + panel * w->mr * job->dim;
        size_t panels = (nj + w->nr - 1) / w->nr, dim = job->dim;
#if HP_HAVE_X86_SIMD
        double *t = w->tile;
        size_t ldt = w->block_rows;
        if (w->level == ISA_AVX512) tile_avx512(t, ldt, ap, w->bpack, panels, dim, l2);
        else tile_avx2(t, ldt, ap, w->bpack, panels, dim, l2);
#else
        tile_neon(w->tile, w->block_rows, ap, w->bpack, panels, dim, l2);
#endif
        return;
    }
#endif
    (void)panel;
    int mode = l2 ? MODE_L2 : MODE_DOT;
    for (size_t i = 0; i < mi; i++) {
        const void *ar = row_at(job, job->a, i0 + i);
        for (size_t j = 0; j < nj; j++) {
            const void *br = row_at(job, job->b, j0 + j);
            w->tile[i * w->block_rows + j] =
                sums_rows(job->type, ar, br, job->dim, mode, w->level).s[0];
        }
    }
}

bool hp__vec_tiles(const hp__tile_job *job, void *ctx, size_t a0, size_t a1, size_t b0,
                   size_t b1) {
    if (a0 >= a1 || b0 >= b1) return true;
    walk w;
    if (!walk_init(&w, job, a1 - a0, b1 - b0)) return false;
    size_t dim = job->dim;
    bool cosine = is_cosine(job->metric);
    if (cosine) {
        for (size_t i = a0; i < a1; i++)
            w.ra[i - a0] = inv_norm(job->type, row_at(job, job->a, i), dim, w.level);
    }
#if HAVE_PACKED
    if (w.packed) {
        for (size_t i = a0, p = 0; i < a1; i += w.mr, p++) {
            size_t mi = a1 - i < w.mr ? a1 - i : w.mr;
            pack_panels(w.apack + p * w.mr * dim, row_at(job, job->a, i), mi, dim, w.mr);
        }
    }
#endif
    for (size_t jb = b0; jb < b1; jb += w.block_rows) {
        size_t nj = b1 - jb < w.block_rows ? b1 - jb : w.block_rows;
        if (cosine) {
            for (size_t j = 0; j < nj; j++)
                w.rb[j] = inv_norm(job->type, row_at(job, job->b, jb + j), dim, w.level);
        }
#if HAVE_PACKED
        if (w.packed) pack_panels(w.bpack, row_at(job, job->b, jb), nj, dim, w.nr);
#endif
        for (size_t i = a0, p = 0; i < a1; i += w.mr, p++) {
            size_t mi = a1 - i < w.mr ? a1 - i : w.mr;
            fill_tile(job, &w, i, mi, jb, nj, p);
            job->consume(ctx, w.tile, w.block_rows, i, mi, jb, nj,
                         cosine ? w.ra + (i - a0) : NULL, cosine ? w.rb : NULL);
        }
    }
    walk_free(&w);
    return true;
}

/* ---------------------------------------------------------------- one to many, cdist */

typedef struct cdist_ctx {
    hp__tile_job job;
    void *out;     /* float or double, row stride n */
    size_t m, n;
    size_t rows_per, cols_per, col_chunks;
    atomic_bool failed;
} cdist_ctx;

static void cdist_consume(void *vctx, const double *tile, size_t ldt, size_t i0, size_t mi,
                          size_t j0, size_t nj, const double *ra, const double *rb) {
    cdist_ctx *c = vctx;
    hp_vec_metric metric = c->job.metric;
    for (size_t i = 0; i < mi; i++) {
        const double *t = tile + i * ldt;
        double r = ra ? ra[i] : 1.0;
        size_t base = (i0 + i) * c->n + j0;
        if (c->job.type == HP__VF32) {
            float *o = (float *)c->out + base;
            for (size_t j = 0; j < nj; j++) o[j] = (float)hp__vec_value(metric, t[j], r, rb ? rb[j] : 1.0);
        } else {
            double *o = (double *)c->out + base;
            for (size_t j = 0; j < nj; j++) o[j] = hp__vec_value(metric, t[j], r, rb ? rb[j] : 1.0);
        }
    }
}

static void cdist_task(void *vctx, size_t begin, size_t end) {
    cdist_ctx *c = vctx;
    for (size_t t = begin; t < end; t++) {
        size_t r = t / c->col_chunks, q = t % c->col_chunks;
        size_t a0 = r * c->rows_per, a1 = a0 + c->rows_per < c->m ? a0 + c->rows_per : c->m;
        size_t b0 = q * c->cols_per, b1 = b0 + c->cols_per < c->n ? b0 + c->cols_per : c->n;
        if (!hp__vec_tiles(&c->job, c, a0, a1, b0, b1)) atomic_store(&c->failed, true);
    }
}

static hp_status cdist(void *out, hp__vtype t, const void *a, size_t m, const void *b, size_t n,
                       size_t dim, hp_vec_metric metric, unsigned threads) {
    HP_FORWARD_IF_ERROR(hp__vec_check(metric, dim, type_size(t), a, m, "a", b, n, "b"));
    size_t cells, bytes;
    HP_RETURN_IF(!hp__mul_size(m, n, &cells) ||
                     !hp__mul_size(cells, t == HP__VF32 ? sizeof(float) : sizeof(double), &bytes) ||
                     bytes > HP_MAX_LEN,
                 HP_EOVERFLOW, "out: %zu x %zu elements exceed HP_MAX_LEN bytes", m, n);
    HP_RETURN_IF(out == NULL && cells > 0, HP_EINVAL, "out is NULL");
    if (cells == 0) return HP_OK;
    size_t nt = threads ? threads : hp_default_threads();
    cdist_ctx c = {.job = {.type = t, .metric = metric, .dim = dim, .a = a, .b = b,
                           .consume = cdist_consume},
                   .out = out, .m = m, .n = n};
    atomic_init(&c.failed, false);
    /* Row chunks big enough to amortise packing b (each chunk packs the b rows it
     * visits), about two per thread; when a has few rows, split the columns too. */
    size_t rows_per = (m + 2 * nt - 1) / (2 * nt);
    if (rows_per < 48) rows_per = 48;
    rows_per = (rows_per + 11) / 12 * 12;
    size_t row_chunks = (m + rows_per - 1) / rows_per, col_chunks = 1;
    if (row_chunks < 2 * nt) {
        size_t want = (2 * nt + row_chunks - 1) / row_chunks;
        size_t most = (n + 63) / 64;
        col_chunks = want < most ? want : most;
        if (col_chunks == 0) col_chunks = 1;
    }
    c.rows_per = rows_per;
    c.col_chunks = col_chunks;
    c.cols_per = (n + col_chunks - 1) / col_chunks;
    col_chunks = (n + c.cols_per - 1) / c.cols_per;
    c.col_chunks = col_chunks;
    hp__parallel_for(row_chunks * col_chunks, 1, (unsigned)nt, cdist_task, &c);
    HP_RETURN_IF(atomic_load(&c.failed), HP_ENOMEM, "out of memory for cdist scratch blocks");
    return HP_OK;
}

hp_status hp_vec_cdist_f32(float *out, const float *a, size_t m, const float *b, size_t n,
                           size_t dim, hp_vec_metric metric, unsigned threads) {
    return cdist(out, HP__VF32, a, m, b, n, dim, metric, threads);
}

hp_status hp_vec_cdist_f64(double *out, const double *a, size_t m, const double *b, size_t n,
                           size_t dim, hp_vec_metric metric, unsigned threads) {
    return cdist(out, HP__VF64, a, m, b, n, dim, metric, threads);
}

hp_status hp_vec_cdist_i8(double *out, const int8_t *a, size_t m, const int8_t *b, size_t n,
                          size_t dim, hp_vec_metric metric, unsigned threads) {
    return cdist(out, HP__VI8, a, m, b, n, dim, metric, threads);
}

static hp_status score_many(void *out, hp__vtype t, const void *query, const void *rows,
                            size_t n, size_t dim, hp_vec_metric metric) {
    HP_CHECK_NOT_NULL(query, "query");
    return cdist(out, t, query, 1, rows, n, dim, metric, 1);
}

hp_status hp_vec_score_many_f32(float *out, const float *query, const float *rows, size_t n,
                                size_t dim, hp_vec_metric metric) {
    return score_many(out, HP__VF32, query, rows, n, dim, metric);
}

hp_status hp_vec_score_many_f64(double *out, const double *query, const double *rows, size_t n,
                                size_t dim, hp_vec_metric metric) {
    return score_many(out, HP__VF64, query, rows, n, dim, metric);
}

hp_status hp_vec_score_many_i8(double *out, const int8_t *query, const int8_t *rows, size_t n,
                               size_t dim, hp_vec_metric metric) {
    return score_many(out, HP__VI8, query, rows, n, dim, metric);
}

/* ---------------------------------------------------------------- normalize */

static hp_status normalize(void *x, hp__vtype t, size_t n, size_t dim) {
    HP_FORWARD_IF_ERROR(hp__vec_check(HP_VEC_DOT, dim, type_size(t), x, n, "x", x, 0, "x"));
    int level = isa();
    for (size_t r = 0; r < n; r++) {
        if (t == HP__VF32) {
            float *row = (float *)x + r * dim;
            double sq = sums_f32(row, row, dim, MODE_DOT, level).s[0];
            if (sq == 0.0) continue;
            double s = 1.0 / sqrt(sq);
            for (size_t k = 0; k < dim; k++) row[k] = (float)(row[k] * s);
        } else {
            double *row = (double *)x + r * dim;
            double sq = sums_f64(row, row, dim, MODE_DOT, level).s[0];
            if (sq == 0.0) continue;
            double s = 1.0 / sqrt(sq);
            for (size_t k = 0; k < dim; k++) row[k] *= s;
        }
    }
    return HP_OK;
}

hp_status hp_vec_normalize_f32(float *x, size_t n, size_t dim) {
    return normalize(x, HP__VF32, n, dim);
}

hp_status hp_vec_normalize_f64(double *x, size_t n, size_t dim) {
    return normalize(x, HP__VF64, n, dim);
}
