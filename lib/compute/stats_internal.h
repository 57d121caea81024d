/*
 * lib/compute/stats_internal.h — contracts between the statistics files (sum.c,
 * stats.c, sort.c). Never installed.
 */
#ifndef HOTPATH_COMPUTE_STATS_INTERNAL_H
#define HOTPATH_COMPUTE_STATS_INTERNAL_H

#include <stddef.h>

/* Sum2 (see sum.c) of x[0..n) at the current SIMD level, unrounded: pair[0] is the
 * TwoSum-combined lane total, pair[1] the sum of the rounding errors; the sum is
 * pair[0] + pair[1]. A non-finite input makes the pair non-finite. */
void hp__sum2_pair(const double *x, size_t n, double pair[2]);

#endif
