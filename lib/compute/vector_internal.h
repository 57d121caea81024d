/*
 * lib/compute/vector_internal.h — the contract between vector.c (kernels, tiles, cdist)
 * and topk.c (fused top-k search). Never installed.
 *
 * Both consume the same tiles: hp__vec_tiles walks a rectangle of (a row, b row) pairs
 * in blocks of b rows and hands each tile of raw values to a consumer. A raw value is
 * the dot product (dot and cosine metrics) or the squared L2 distance computed from
 * differences (the two Euclidean metrics); for cosine the consumer also gets the
 * inverse norms of the tile's rows. hp__vec_value turns raw values into metric values.
 */
#ifndef HOTPATH_COMPUTE_VECTOR_INTERNAL_H
#define HOTPATH_COMPUTE_VECTOR_INTERNAL_H

#include "internal/common.h"

#include <math.h>

typedef enum hp__vtype { HP__VF32, HP__VF64, HP__VI8 } hp__vtype;

/* Called once per tile: rows i0..i0+mi of a against rows j0..j0+nj of b. tile[i*ldt + j]
 * is the raw value of (i0+i, j0+j); ra[i] and rb[j] are 1/|row| (cosine metrics only,
 * NULL otherwise). Runs on whichever thread called hp__vec_tiles. */
typedef void (*hp__tile_fn)(void *ctx, const double *tile, size_t ldt, size_t i0, size_t mi,
                            size_t j0, size_t nj, const double *ra, const double *rb);

typedef struct hp__tile_job {
    hp__vtype type;
    hp_vec_metric metric;
    size_t dim;
    const void *a; /* matrices with row stride dim */
    const void *b;
    hp__tile_fn consume;
} hp__tile_job;

/* Every tile of rows [a0, a1) x [b0, b1), b blocks in increasing order, and within a
 * tile j increasing: consumers may rely on seeing each a row's b indices in increasing
 * order. Returns false if scratch memory could not be allocated (nothing is reported
 * through hp__fail: it may run on a pool thread). */
bool hp__vec_tiles(const hp__tile_job *job, void *ctx, size_t a0, size_t a1, size_t b0,
                   size_t b1);

/* The checks shared by every vector entry point: metric known, dim >= 1, rows*dim*size
 * within HP_MAX_LEN for each matrix and the pointer non-NULL when rows > 0. */
hp_status hp__vec_check(hp_vec_metric metric, size_t dim, size_t elem_size, const void *a,
                        size_t rows_a, const char *name_a, const void *b, size_t rows_b,
                        const char *name_b);

/* Metric value from a raw value and the rows' inverse norms (cosine only). Cosine is
 * clamped to [-1, 1]; NaN passes through (comparisons with NaN are false). */
static inline double hp__vec_value(hp_vec_metric metric, double raw, double ra, double rb) {
    switch (metric) {
    case HP_VEC_COSINE:
    case HP_VEC_COSINE_DISTANCE: {
        double c = raw * ra * rb;
        if (c > 1.0) c = 1.0;
        else if (c < -1.0) c = -1.0;
        return metric == HP_VEC_COSINE ? c : 1.0 - c;
    }
    case HP_VEC_EUCLIDEAN:
        return sqrt(raw);
    default:
        return raw;
    }
}

/* True for the metrics where a higher value means more similar. */
static inline bool hp__vec_higher_is_better(hp_vec_metric metric) {
    return metric == HP_VEC_DOT || metric == HP_VEC_COSINE;
}

#endif /* HOTPATH_COMPUTE_VECTOR_INTERNAL_H */
