/*
 * lib/compute/stats_internal.h — contracts between the statistics files (sum.c,
 * stats.c, sort.c). Never installed.
 */
#ifndef HOTPATH_COMPUTE_STATS_INTERNAL_H
#define HOTPATH_COMPUTE_STATS_INTERNAL_H

#include "internal/common.h"
#include "internal/pool.h"

#include <stdbool.h>
#include <stddef.h>

/* Reductions work in blocks of this many elements, whatever the thread count. */
#define HP__STATS_BLOCK ((size_t)1 << 16)

static inline size_t hp__stats_blocks(size_t n) {
    return n / HP__STATS_BLOCK + (n % HP__STATS_BLOCK != 0);
}

static inline size_t hp__stats_size(hp_stats_type t) {
    return t == HP_STATS_F32 || t == HP_STATS_I32 ? 4 : 8;
}

/* Sum2 (see sum.c) of x[0..n) at the current SIMD level, unrounded: pair[0] is the
 * TwoSum-combined lane total, pair[1] the sum of the rounding errors; the sum is
 * pair[0] + pair[1]. A non-finite input makes the pair non-finite. */
void hp__sum2_pair(const hp__u_f64 *x, size_t n, double pair[2]);

/* The common argument checks: dtype known, flags within `allowed`, n*size within
 * HP_MAX_LEN, x non-NULL when n > 0. */
hp_status hp__stats_check(const void *x, size_t n, hp_stats_type t, uint32_t flags,
                          uint32_t allowed);

/* Converts x[begin..begin+count) to double into buf, dropping NaNs when skipnan;
 * returns how many were written. */
size_t hp__stats_load(double *buf, const void *x, hp_stats_type t, size_t begin, size_t count,
                      bool skipnan);

/* Calls fn(ctx, block, begin, end) for every block of HP__STATS_BLOCK elements of [0, n),
 * on up to `threads` threads (0 = default); blocks are independent. */
typedef void (*hp__block_fn)(void *ctx, size_t block, size_t begin, size_t end);
void hp__stats_for_blocks(size_t n, unsigned threads, hp__block_fn fn, void *ctx);

/* `stack` when size fits in stack_size bytes, else hp__malloc(size) (NULL on failure);
 * release with hp__stats_scratch_free(p, stack). */
void *hp__stats_scratch(void *stack, size_t stack_size, size_t size);
void hp__stats_scratch_free(void *p, void *stack);

/* The accurate (Sum2, blocked) sum of float-type x (f64/f32) and the number of values
 * summed; as hp_stats_sum's default mode. */
hp_status hp__stats_fsum(double *out, size_t *count, const void *x, size_t n, hp_stats_type t,
                         bool skipnan, unsigned threads);

/* The exact sum of integer-type x rounded once to double. */
hp_status hp__stats_int_sum_f64(double *out, const void *x, size_t n, hp_stats_type t,
                                unsigned threads);

#endif
