/*
 * Fused top-k search: the k best corpus rows per query without the query x corpus
 * matrix.
 *
 * Algorithm. The work is a grid of tasks: query groups (about 2 MiB of queries each, so
 * a group stays in cache while corpus blocks stream past) times corpus ranges (split
 * further, up to 4 per thread, when there are too few query groups to keep every thread
 * busy — one query against a big corpus then still uses every core). A task walks its
 * rectangle with the tile walker of vector.c (blocks of ~256 KiB of corpus rows scored
 * against the group by the register-blocked kernel) and feeds every score of a tile to
 * the query's k-entry heap for that corpus range. The heap's root is its worst entry, so
 * the common case — a score that does not beat the root — costs one comparison. Tasks
 * own disjoint heaps; at the end each query's partial heaps (one per corpus range, laid
 * out next to each other) are compacted and sorted, best first.
 *
 * Order. Keys are the metric value for dot/cosine and its negation for distances (for
 * f32 the value rounded to float, as reported), so
 * "better" is always "larger key"; equal keys go to the lower corpus index; NaN keys
 * rank below every number. Within a task a query sees corpus indices in increasing
 * order, so a newcomer equal to the root never replaces it; across tasks the final sort
 * applies the full order.
 */
#include "compute/vector_internal.h"

#include "internal/pool.h"

#include <stdatomic.h>
#include <stdlib.h>

enum { GROUP_BYTES = 2 * 1024 * 1024, MIN_RANGE_ROWS = 256 };
#define PARTIAL_LIMIT ((size_t)256 * 1024 * 1024)

typedef struct entry {
    double key;
    int64_t idx;
} entry;

/* x ranks before y: larger key, then lower index; NaN keys after every number. */
static inline bool better(const entry *x, const entry *y) {
    bool xn = isnan(x->key), yn = isnan(y->key);
    if (xn != yn) return yn;
    if (!xn && x->key != y->key) return x->key > y->key;
    return x->idx < y->idx;
}

/* Min-heap by "better": h[0] is the worst entry kept. */
static void sift_up(entry *h, size_t i) {
    entry e = h[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!better(&h[parent], &e)) break;
        h[i] = h[parent];
        i = parent;
    }
    h[i] = e;
}

static void sift_down(entry *h, size_t size, entry e) {
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= size) break;
        if (c + 1 < size && better(&h[c], &h[c + 1])) c++; /* the worse child */
        if (!better(&e, &h[c])) break;
        h[i] = h[c];
        i = c;
    }
    h[i] = e;
}

typedef struct search {
    hp__tile_job job;
    size_t m, n, k;
    bool exclude_self, higher;
    size_t group_rows, ranges, range_rows;
    entry *heaps;  /* m x ranges x k: query q's heap for range r at (q*ranges + r)*k */
    size_t *sizes; /* m x ranges */
    atomic_bool failed;
} search;

typedef struct task_ctx {
    search *s;
    size_t range;
} task_ctx;

static void consume(void *vctx, const double *tile, size_t ldt, size_t i0, size_t mi,
                    size_t j0, size_t nj, const double *ra, const double *rb) {
    task_ctx *t = vctx;
    search *s = t->s;
    hp_vec_metric metric = s->job.metric;
    size_t k = s->k;
    double sign = s->higher ? 1.0 : -1.0;
    bool f32 = s->job.type == HP__VF32;
    for (size_t i = 0; i < mi; i++) {
        size_t q = i0 + i, slot = q * s->ranges + t->range;
        entry *h = s->heaps + slot * k;
        size_t size = s->sizes[slot];
        const double *row = tile + i * ldt;
        double r = ra ? ra[i] : 1.0;
        for (size_t j = 0; j < nj; j++) {
            size_t idx = j0 + j;
            double v = hp__vec_value(metric, row[j], r, rb ? rb[j] : 1.0);
            /* Rank by the value reported: f32 results are rounded to float first, so
             * values that print equal are ties (broken by index). */
            double key = sign * (f32 ? (double)(float)v : v);
            if (size == k) {
                /* Indices only grow here, so equal keys never win. */
                if (!(key > h[0].key) && !(isnan(h[0].key) && !isnan(key))) continue;
                if (s->exclude_self && idx == q) continue;
                sift_down(h, size, (entry){key, (int64_t)idx});
            } else {
                if (s->exclude_self && idx == q) continue;
                h[size] = (entry){key, (int64_t)idx};
                sift_up(h, size++);
            }
        }
        s->sizes[slot] = size;
    }
}

static void search_task(void *vctx, size_t begin, size_t end) {
    search *s = vctx;
    for (size_t t = begin; t < end; t++) {
        size_t g = t / s->ranges, r = t % s->ranges;
        size_t a0 = g * s->group_rows, a1 = a0 + s->group_rows < s->m ? a0 + s->group_rows : s->m;
        size_t b0 = r * s->range_rows, b1 = b0 + s->range_rows < s->n ? b0 + s->range_rows : s->n;
        task_ctx ctx = {s, r};
        if (!hp__vec_tiles(&s->job, &ctx, a0, a1, b0, b1)) atomic_store(&s->failed, true);
    }
}

static int compare_entries(const void *x, const void *y) {
    return better(x, y) ? -1 : better(y, x) ? 1 : 0;
}

typedef struct merge_ctx {
    search *s;
    int64_t *indices;
    void *scores;
} merge_ctx;

static void merge_task(void *vctx, size_t begin, size_t end) {
    merge_ctx *c = vctx;
    search *s = c->s;
    size_t k = s->k;
    double sign = s->higher ? 1.0 : -1.0;
    for (size_t q = begin; q < end; q++) {
        entry *all = s->heaps + q * s->ranges * k;
        size_t total = 0;
        for (size_t r = 0; r < s->ranges; r++) {
            size_t size = s->sizes[q * s->ranges + r];
            if (total != r * k) memmove(all + total, all + r * k, size * sizeof *all);
            total += size;
        }
        qsort(all, total, sizeof *all, compare_entries);
        for (size_t i = 0; i < k; i++) {
            bool have = i < total;
            double score = have ? sign * all[i].key : NAN;
            c->indices[q * k + i] = have ? all[i].idx : -1;
            if (!c->scores) continue;
            if (s->job.type == HP__VF32) ((float *)c->scores)[q * k + i] = (float)score;
            else ((double *)c->scores)[q * k + i] = score;
        }
    }
}

static size_t div_up(size_t a, size_t b) { return (a + b - 1) / b; }

static hp_status topk(int64_t *indices, void *scores, hp__vtype t, const void *queries, size_t m,
                      const void *corpus, size_t n, size_t dim, size_t k, hp_vec_metric metric,
                      uint32_t flags, unsigned threads) {
    size_t esize = t == HP__VF32 ? sizeof(float) : t == HP__VF64 ? sizeof(double) : 1;
    HP_FORWARD_IF_ERROR(
        hp__vec_check(metric, dim, esize, queries, m, "queries", corpus, n, "corpus"));
    HP_RETURN_IF(flags & ~(uint32_t)HP_TOPK_EXCLUDE_SELF, HP_EINVAL, "unknown flags 0x%x",
                 (unsigned)flags);
    HP_RETURN_IF(n > (size_t)INT64_MAX || k > (size_t)INT64_MAX, HP_EOVERFLOW,
                 "n or k exceeds INT64_MAX");
    size_t cells, bytes;
    HP_RETURN_IF(!hp__mul_size(m, k, &cells) || !hp__mul_size(cells, sizeof(entry), &bytes) ||
                     bytes > HP_MAX_LEN,
                 HP_EOVERFLOW, "results: %zu x %zu entries exceed HP_MAX_LEN bytes", m, k);
    HP_RETURN_IF(indices == NULL && cells > 0, HP_EINVAL, "indices is NULL");
    if (cells == 0) return HP_OK;

    /* Candidates beyond the corpus size are never needed: the tail is -1 anyway. */
    size_t kk = k < n ? k : n;
    size_t nt = threads ? threads : hp_default_threads();
    search s = {.job = {.type = t, .metric = metric, .dim = dim, .a = queries, .b = corpus,
                        .consume = consume},
                .m = m, .n = n, .k = kk, .exclude_self = (flags & HP_TOPK_EXCLUDE_SELF) != 0,
                .higher = hp__vec_higher_is_better(metric)};
    atomic_init(&s.failed, false);
    size_t group = GROUP_BYTES / (dim * esize);
    if (group < 12) group = 12;
    group = group / 12 * 12;
    if (m > 0 && group > m) group = m;
    size_t groups = m ? div_up(m, group) : 0;
    size_t ranges = 1;
    if (groups < 2 * nt && n > 0) {
        size_t want = div_up(4 * nt, groups ? groups : 1), most = div_up(n, MIN_RANGE_ROWS);
        ranges = want < most ? want : most;
        /* Partial heaps cost m*ranges*k entries: keep them within PARTIAL_LIMIT. */
        size_t per_range = cells * sizeof(entry);
        size_t cap = per_range ? PARTIAL_LIMIT / per_range : ranges;
        if (ranges > cap) ranges = cap;
        if (ranges == 0) ranges = 1;
    }
    s.group_rows = group;
    s.range_rows = n ? div_up(n, ranges) : 0;
    s.ranges = ranges = n ? div_up(n, s.range_rows) : 1;

    size_t heap_cells = m * ranges * (kk ? kk : 1);
    HP_RETURN_IF(!hp__mul_size(heap_cells, sizeof(entry), &bytes) || bytes > HP_MAX_LEN,
                 HP_EOVERFLOW, "partial heaps too large");
    s.heaps = hp__malloc(bytes);
    s.sizes = hp__malloc(m * ranges * sizeof(size_t));
    if (!s.heaps || !s.sizes) {
        hp__free(s.heaps);
        hp__free(s.sizes);
        return hp__fail(HP_ENOMEM, "out of memory for %zu partial heaps", m * ranges);
    }
    memset(s.sizes, 0, m * ranges * sizeof(size_t));
    if (kk > 0 && n > 0) hp__parallel_for(groups * ranges, 1, (unsigned)nt, search_task, &s);
    if (atomic_load(&s.failed)) {
        hp__free(s.heaps);
        hp__free(s.sizes);
        return hp__fail(HP_ENOMEM, "out of memory for top-k scratch blocks");
    }
    /* Results are written with the caller's k (tail -1/NaN), from heaps of kk entries. */
    s.k = kk;
    merge_ctx mc = {&s, indices, scores};
    if (kk == k) {
        hp__parallel_for(m, 64, (unsigned)nt, merge_task, &mc);
    } else {
        /* k > n: merge with kk, then spread each row to width k. Done from the end so a
         * row never overwrites one not yet moved. */
        hp__parallel_for(m, 64, (unsigned)nt, merge_task, &mc);
        for (size_t q = m; q-- > 0;) {
            for (size_t i = k; i-- > 0;) {
                bool have = i < kk;
                indices[q * k + i] = have ? indices[q * kk + i] : -1;
                if (!scores) continue;
                if (t == HP__VF32) {
                    float *sc = scores;
                    sc[q * k + i] = have ? sc[q * kk + i] : NAN;
                } else {
                    double *sc = scores;
                    sc[q * k + i] = have ? sc[q * kk + i] : NAN;
                }
            }
        }
    }
    hp__free(s.heaps);
    hp__free(s.sizes);
    return HP_OK;
}

hp_status hp_vec_topk_f32(int64_t *indices, float *scores, const float *queries, size_t m,
                          const float *corpus, size_t n, size_t dim, size_t k, hp_vec_metric metric,
                          uint32_t flags, unsigned threads) {
    return topk(indices, scores, HP__VF32, queries, m, corpus, n, dim, k, metric, flags, threads);
}

hp_status hp_vec_topk_f64(int64_t *indices, double *scores, const double *queries, size_t m,
                          const double *corpus, size_t n, size_t dim, size_t k, hp_vec_metric metric,
                          uint32_t flags, unsigned threads) {
    return topk(indices, scores, HP__VF64, queries, m, corpus, n, dim, k, metric, flags, threads);
}

hp_status hp_vec_topk_i8(int64_t *indices, double *scores, const int8_t *queries, size_t m,
                         const int8_t *corpus, size_t n, size_t dim, size_t k, hp_vec_metric metric,
                         uint32_t flags, unsigned threads) {
    return topk(indices, scores, HP__VI8, queries, m, corpus, n, dim, k, metric, flags, threads);
}
