/*
 * lib/fuzzy/batch.c — one query against many choices (extract), every query against
 * every choice (cdist), element-wise pairs (cpdist), and the sparse all-pairs mode,
 * on the library's thread pool.
 *
 * Shape of every function: the batches are decoded once into one uint32 arena (so no
 * pair decodes anything), then the work is cut into blocks processed one after another
 * on the calling thread's loop; each block runs on the pool (hp__parallel_for). Between
 * blocks the calling thread reports progress and honours cancellation, so callbacks
 * only ever run on the calling thread and memory stays O(block).
 *
 * Errors inside workers (only HP_ENOMEM from long sequences can happen once the input
 * is decoded) are recorded once with their message and re-raised on the calling thread.
 *
 * extract keeps the best `limit` matches in a heap merged on the calling thread after
 * each block; from the second block on, the kernels get the current k-th best score as
 * their cutoff, so they can stop early on choices that cannot enter (RapidFuzz does
 * the same for extractOne).
 *
 * pairs sorts the strings by length: for scorers whose best possible score falls as
 * the length difference grows (the Levenshtein/Indel/LCS family, Hamming, OSA,
 * Damerau, Prefix/Postfix, and fuzz ratio/QRatio), row i only scans strings whose
 * length can still meet the cutoff, which prunes most pairs of a real corpus. Every
 * unordered pair is scored once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"
#include "internal/pool.h"

/* ---------------------------------------------------------------- decoded batches */

/* A batch decoded to uint32 elements. String i starts at start[i], a bound from its
 * byte offset (a string never has more elements than bytes), so the strings decode
 * independently, in parallel; len[i] is its decoded length. */
typedef struct arena {
    uint32_t *data;
    size_t *start;
    size_t *len;
    size_t count;
} arena;

static void arena_release(arena *a) {
    hp__free(a->data);
    hp__free(a->start);
    hp__free(a->len);
    memset(a, 0, sizeof *a);
}

static inline const uint32_t *arena_str(const arena *a, size_t i, size_t *len) {
    *len = a->len[i];
    return a->data + a->start[i];
}

/* ---------------------------------------------------------------- worker errors */

typedef struct worker_error {
    int claimed;
    hp_status status;
    char message[256];
} worker_error;

static void worker_fail(worker_error *e, hp_status st) {
    if (__atomic_exchange_n(&e->claimed, 1, __ATOMIC_ACQ_REL) == 0) {
        snprintf(e->message, sizeof e->message, "%s", hp_last_error_message());
        __atomic_store_n(&e->status, st, __ATOMIC_RELEASE);
    }
}

static bool worker_failed(const worker_error *e) {
    return __atomic_load_n(&e->claimed, __ATOMIC_ACQUIRE) != 0;
}

static hp_status worker_raise(const worker_error *e) {
    return hp__fail(e->status, "%s", e->message);
}

static hp_status progress_check(hp_progress_fn progress, void *user, uint64_t done,
                                uint64_t total) {
    if (progress && progress(done, total, user) != 0)
        return hp__fail(HP_ECANCELLED, "cancelled by the progress callback after %llu of %llu",
                        (unsigned long long)done, (unsigned long long)total);
    return HP_OK;
}

static unsigned pool_threads(unsigned threads) {
    return threads ? threads : hp_default_threads();
}

typedef struct decode_job {
    arena *a;
    const hp_strings *batch;
    int enc;
    const char *what;
    worker_error err;
} decode_job;

static void decode_range(void *ctx, size_t begin, size_t end) {
    decode_job *job = ctx;
    const hp_strings *b = job->batch;
    for (size_t i = begin; i < end && !worker_failed(&job->err); i++) {
        if (job->enc == HP_ENC_BYTES || job->enc == HP_ENC_UTF8) {
            /* bytes, and UTF-8 that turns out to be ASCII: widen in place (vectorised) */
            const unsigned char *restrict src = (const unsigned char *)b->data + b->offsets[i];
            size_t len = (size_t)(b->offsets[i + 1] - b->offsets[i]);
            uint32_t *restrict dst = job->a->data + job->a->start[i];
            unsigned any = 0;
            for (size_t k = 0; k < len; k++) {
                dst[k] = src[k];
                any |= src[k];
            }
            if (job->enc == HP_ENC_BYTES || any < 0x80) {
                job->a->len[i] = len;
                continue;
            }
        }
        hp__seq s;
        hp_status st = hp__seq_decode_batch(&s, b, i, job->enc, job->what);
        if (st != HP_OK) {
            worker_fail(&job->err, st);
            return;
        }
        memcpy(job->a->data + job->a->start[i], s.p, s.n * sizeof(uint32_t));
        job->a->len[i] = s.n;
        hp__seq_release(&s);
    }
}

static hp_status arena_build(arena *a, const hp_strings *batch, int enc, const char *what,
                             unsigned threads) {
    memset(a, 0, sizeof *a);
    HP_RETURN_IF(batch == NULL, HP_EINVAL, "%s is NULL", what);
    HP_FORWARD_IF_ERROR(hp_strings_check(batch));
    HP_RETURN_IF(enc < HP_ENC_UTF8 || enc > HP_ENC_U16, HP_EINVAL,
                 "%s: unknown encoding %d", what, enc);
    size_t n = batch->count, unit = enc == HP_ENC_U32 ? 4 : enc == HP_ENC_U16 ? 2 : 1;
    size_t total_bytes = n ? (size_t)(batch->offsets[n] - batch->offsets[0]) : 0;
    size_t cap = total_bytes / unit + 1, bytes;
    HP_RETURN_IF(!hp__mul_size(cap, sizeof(uint32_t), &bytes), HP_EOVERFLOW,
                 "%s is too large", what);
    a->data = hp__malloc(bytes);
    a->start = hp__malloc((n ? n : 1) * sizeof(size_t));
    a->len = hp__malloc((n ? n : 1) * sizeof(size_t));
    if (!a->data || !a->start || !a->len) {
        arena_release(a);
        return hp__fail(HP_ENOMEM, "no memory to decode %s (%zu strings)", what, n);
    }
    a->count = n;
    for (size_t i = 0; i < n; i++) {
        a->start[i] = (size_t)(batch->offsets[i] - batch->offsets[0]) / unit;
        a->len[i] = 0;
    }
    decode_job job;
    memset(&job, 0, sizeof job);
    job.a = a;
    job.batch = batch;
    job.enc = enc;
    job.what = what;
    hp__parallel_for(n, 1024, threads, decode_range, &job);
    if (worker_failed(&job.err)) {
        arena_release(a);
        return worker_raise(&job.err);
    }
    return HP_OK;
}

/* A score "passes" a cutoff the way process functions filter (NaN cutoff: all pass). */
static inline bool passes(bool higher, double score, double cutoff) {
    if (isnan(cutoff)) return true;
    return higher ? score >= cutoff : score <= cutoff;
}

/* a is strictly better than b (ties: lower index wins). */
static inline bool match_better(bool higher, const hp_match *a, const hp_match *b) {
    if (a->score != b->score) return higher ? a->score > b->score : a->score < b->score;
    return a->index < b->index;
}

/* true if the scorer's best possible score falls as |la - lb| grows, so a length window
 * bounds the candidates; *d_weight_* give the least cost of one unit of length
 * difference. */
static bool has_length_bound(const hp_scorer *sc) {
    if (sc->kind == HP_SCORER_FUZZ) return sc->id == HP_FUZZ_RATIO || sc->id == HP_FUZZ_QRATIO;
    return sc->id != HP_METRIC_JARO && sc->id != HP_METRIC_JARO_WINKLER;
}

/* Could a pair of lengths la <= lb meet the cutoff? (only for has_length_bound) */
static bool length_can_pass(const hp_scorer *sc, size_t la, size_t lb, double cutoff) {
    uint64_t diff = lb - la;
    if (sc->kind == HP_SCORER_FUZZ) {
        if (la + lb == 0) return true;
        if (sc->id == HP_FUZZ_QRATIO && la == 0) return cutoff <= 0;
        double best = 100.0 * (1.0 - (double)diff / (double)(la + lb));
        return best >= cutoff - 1e-9;
    }
    /* the distance is at least diff times the cheaper of insert/delete (Levenshtein) or
     * diff (the others); the maximum as in metric.c */
    uint64_t w = 1, mx = lb;
    if (sc->id == HP_METRIC_LEVENSHTEIN) {
        uint64_t ins = sc->weights[0], del = sc->weights[1], sub = sc->weights[2];
        w = ins < del ? ins : del;
        uint64_t x = la * del + lb * ins, y = la * sub + diff * ins;
        uint64_t x2 = lb * del + la * ins, y2 = la * sub + diff * del;
        uint64_t m1 = x < y ? x : y, m2 = x2 < y2 ? x2 : y2;
        mx = m1 > m2 ? m1 : m2; /* either order of the pair */
    } else if (sc->id == HP_METRIC_INDEL) {
        mx = (uint64_t)la + lb;
    }
    double dmin = (double)(diff * w), m = (double)mx;
    switch (sc->measure) {
    case HP_DISTANCE:
        return dmin <= cutoff;
    case HP_SIMILARITY:
        return m - dmin >= cutoff;
    case HP_NORMALIZED_DISTANCE:
        return m == 0 || dmin / m <= cutoff + 1e-9;
    default:
        return m == 0 || 1.0 - dmin / m >= cutoff - 1e-9;
    }
}

/* ---------------------------------------------------------------- many at once */

/* Short choices wait in a group per lane width (16 of <= 16 elements, 8 of <= 32, 4 of
 * <= 64) until
 * it is full, then hp__lcs_multi_run scores them together; scores land in
 * scores[slot]. Used for the LCS-based scorers when hp__lcs_multi_init accepted the
 * query (AVX2 on, query elements below 256). */
typedef struct lane_group {
    int width;
    size_t cap, n;
    const uint32_t *p[16];
    size_t len[16];
    size_t slot[16];
} lane_group;

typedef struct multi {
    bool on;
    hp__lcs_multi m;
    lane_group g[3];
} multi;

/* Whether the many-at-once lanes serve this scorer for a query of qn elements (the
 * Levenshtein lanes count distances in 16 bits, so their queries are bounded). */
static bool multi_ok(const hp_scorer *sc, size_t qn) {
    int kind = hp__multi_kind(sc);
    return kind == HP__MULTI_LCS || (kind == HP__MULTI_LEV && qn <= HP__MULTI_LEV_MAX);
}

static void multi_init(multi *mu, const hp_scorer *sc, const uint32_t *q, size_t qn) {
    mu->on = multi_ok(sc, qn) && hp__lcs_multi_init(&mu->m, q, qn);
    for (int w = 0; w < 3; w++) {
        mu->g[w].width = 16 << w;
        mu->g[w].cap = (size_t)16 >> w;
        mu->g[w].n = 0;
    }
}

static void multi_release(multi *mu) {
    if (mu->on) hp__lcs_multi_release(&mu->m);
    mu->on = false;
}

static void group_flush(lane_group *g, const hp__lcs_multi *m, const hp_scorer *sc, double cutoff,
                        double *scores) {
    if (g->n == 0) return;
    double v[16];
    hp__lcs_multi_run(m, g->width, (const uint32_t *const *)g->p, g->len, g->n, sc, cutoff, v);
    for (size_t l = 0; l < g->n; l++) scores[g->slot[l]] = v[l];
    g->n = 0;
}

/* Takes a choice into a group (scored at the latest by multi_flush); false if the choice
 * is too long for the groups and must be scored one by one. */
static bool multi_offer(multi *mu, const hp_scorer *sc, double cutoff, const uint32_t *p,
                        size_t len, size_t slot, double *scores) {
    if (!mu->on || len > 64) return false;
    lane_group *g = &mu->g[len <= 16 ? 0 : len <= 32 ? 1 : 2];
    g->p[g->n] = p;
    g->len[g->n] = len;
    g->slot[g->n] = slot;
    if (++g->n == g->cap) group_flush(g, &mu->m, sc, cutoff, scores);
    return true;
}

static void multi_flush(multi *mu, const hp_scorer *sc, double cutoff, double *scores) {
    if (!mu->on) return;
    for (int w = 0; w < 3; w++) group_flush(&mu->g[w], &mu->m, sc, cutoff, scores);
}

/* ---------------------------------------------------------------- extract */

typedef struct extract_job {
    const hp_fuzzy_query *query;
    const arena *choices;
    const uint8_t *skip;
    size_t base;          /* first choice index of the block */
    double cutoff;        /* what the kernels get */
    double *scores;       /* block scores */
    const hp__lcs_multi *m; /* NULL, or the query for scoring many choices at once */
    bool bounded;           /* the scorer has a length bound (has_length_bound) */
    const double *pre;     /* NULL, or scores computed through prepared groups */
    const uint8_t *grouped; /* with pre: which choices have one */
    worker_error err;
} extract_job;

static void extract_range(void *ctx, size_t begin, size_t end) {
    extract_job *job = ctx;
    const hp_fuzzy_query *q = job->query;
    multi mu;
    multi_init(&mu, &q->scorer, NULL, 0);
    if (job->m) {
        mu.on = true;
        mu.m = *job->m; /* shared, read-only; released by hp_fuzzy_extract */
    }
    for (size_t k = begin; k < end && !worker_failed(&job->err); k++) {
        size_t i = job->base + k;
        if (job->skip && job->skip[i]) {
            job->scores[k] = NAN;
            continue;
        }
        if (job->pre && job->grouped[i]) {
            job->scores[k] = job->pre[i];
            continue;
        }
        size_t len;
        const uint32_t *c = arena_str(job->choices, i, &len);
        if (job->bounded && !isnan(job->cutoff) &&
            !length_can_pass(&q->scorer, len < q->q.n ? len : q->q.n, len < q->q.n ? q->q.n : len,
                             job->cutoff)) {
            job->scores[k] = NAN; /* its lengths alone keep it below the cutoff */
            continue;
        }
        if (multi_offer(&mu, &q->scorer, job->cutoff, c, len, k, job->scores)) continue;
        hp_status st = hp__score(&job->scores[k], &q->scorer, q->prep, q->q.p, q->q.n, c, len,
                                 job->cutoff);
        if (st != HP_OK) worker_fail(&job->err, st);
    }
    multi_flush(&mu, &q->scorer, job->cutoff, job->scores);
}

/* Heap of the best `cap` matches with the worst on top. */
static void heap_sift_down(hp_match *h, size_t n, size_t i, bool higher) {
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && match_better(higher, &h[w], &h[l])) w = l;
        if (r < n && match_better(higher, &h[w], &h[r])) w = r;
        if (w == i) return;
        hp_match t = h[i];
        h[i] = h[w];
        h[w] = t;
        i = w;
    }
}

static void heap_push(hp_match *h, size_t *n, size_t cap, hp_match m, bool higher) {
    if (*n < cap) {
        size_t i = (*n)++;
        h[i] = m;
        while (i > 0) {
            size_t p = (i - 1) / 2;
            if (!match_better(higher, &h[p], &h[i])) break;
            hp_match t = h[i];
            h[i] = h[p];
            h[p] = t;
            i = p;
        }
    } else if (match_better(higher, &m, &h[0])) {
        h[0] = m;
        heap_sift_down(h, *n, 0, higher);
    }
}

/* qsort has no context argument: the comparison reads these thread-locals */
static __thread bool t_sort_higher;

static int cmp_match(const void *pa, const void *pb) {
    const hp_match *a = pa, *b = pb;
    if (match_better(t_sort_higher, a, b)) return -1;
    if (match_better(t_sort_higher, b, a)) return 1;
    return 0;
}

#define EXTRACT_BLOCK 16384

/* Scores of the grouped choices, group by group on the pool (prepared choices). */
typedef struct groups_job {
    const hp_fuzzy_query *query;
    const hp__lcs_groups *groups;
    double cutoff;
    double *pre;
} groups_job;

static void groups_range(void *ctx, size_t begin, size_t end) {
    groups_job *job = ctx;
    const hp_fuzzy_query *q = job->query;
    for (size_t k = begin; k < end; k++) {
        const hp__lcs_group *g = &job->groups->g[k];
        double v[16];
        hp__lcs_groups_scores(job->groups, k, q->q.p, q->q.n, &q->scorer, job->cutoff, v);
        for (unsigned l = 0; l < g->n; l++) job->pre[g->choice[l]] = v[l];
    }
}

struct hp_fuzzy_choices {
    arena a;
    hp__lcs_groups groups; /* count 0 when SIMD was off at creation */
};

/* extract over decoded choices (groups NULL, or the prepared choices' groups). */
static hp_status extract_impl(hp_match *out, size_t capacity, size_t *out_count,
                              const hp_fuzzy_query *query, const arena *ch,
                              const hp__lcs_groups *groups, const uint8_t *skip,
                              double score_cutoff, size_t limit, unsigned threads,
                              hp_progress_fn progress, void *user) {
    size_t n = ch->count;
    size_t want = limit == 0 || limit > n ? n : limit;
    HP_RETURN_IF(capacity < want, HP_EBUFSIZE, "output needs %zu matches, capacity %zu", want,
                 capacity);
    HP_RETURN_IF(out == NULL && want > 0, HP_EINVAL, "out is NULL but capacity is %zu", capacity);
    bool higher = hp__scorer_higher_is_better(&query->scorer);
    extract_job job;
    memset(&job, 0, sizeof job);
    job.query = query;
    job.choices = ch;
    job.skip = skip;
    double *pre = NULL;
    if (groups && groups->count && multi_ok(&query->scorer, query->q.n) &&
        hp__lcs_groups_usable()) {
        pre = hp__malloc((n ? n : 1) * sizeof *pre);
        if (pre) { /* without memory for it, everything takes the one-by-one path */
            groups_job gj = {query, groups, score_cutoff, pre};
            hp__parallel_for(groups->count, 16, pool_threads(threads), groups_range, &gj);
            job.pre = pre;
            job.grouped = groups->grouped;
        }
    }
    multi qm;
    multi_init(&qm, &query->scorer, query->q.p, query->q.n);
    job.m = qm.on ? &qm.m : NULL;
    /* blocks grow from 1024 to EXTRACT_BLOCK: the heap fills early, so most choices are
     * scored against the k-th best so far (and skipped on length alone where it can) */
    size_t max_block = n < EXTRACT_BLOCK ? (n ? n : 1) : EXTRACT_BLOCK;
    size_t block = max_block < 1024 ? max_block : 1024;
    job.bounded = has_length_bound(&query->scorer);
    job.scores = hp__malloc(max_block * sizeof(double));
    hp_status st = HP_OK;
    if (!job.scores) {
        st = hp__fail(HP_ENOMEM, "no memory for extract scores");
        goto done;
    }
    size_t count = 0;
    unsigned nthreads = pool_threads(threads);
    double worst_possible = NAN, best_possible = NAN; /* the scorer was checked: cannot fail */
    (void)hp_scorer_range(&worst_possible, &best_possible, &query->scorer, 0, 0);
    size_t reported = 0;
    bool fixed_best = query->scorer.kind == HP_SCORER_FUZZ ||
                      query->scorer.measure != HP_SIMILARITY; /* best independent of lengths */
    for (size_t base = 0; base < n; base += block, block = block * 2 < max_block ? block * 2
                                                                                 : max_block) {
        size_t len = n - base < block ? n - base : block;
        /* a full heap of best-possible scores cannot be beaten by later (higher-index)
         * choices: stop, as RapidFuzz's extractOne stops at the optimal score */
        if (want > 0 && count == want && fixed_best && out[0].score == best_possible) break;
        job.base = base;
        job.cutoff = score_cutoff;
        if (count == want && want > 0) {
            double worst = out[0].score; /* the heap top */
            if (isnan(score_cutoff) || (higher ? worst > score_cutoff : worst < score_cutoff))
                job.cutoff = worst;
        }
        /* short strings: ~64 choices per task keeps the pool busy without overhead */
        hp__parallel_for(len, 64, nthreads, extract_range, &job);
        if (worker_failed(&job.err)) {
            st = worker_raise(&job.err);
            goto done;
        }
        for (size_t k = 0; k < len && want > 0; k++) {
            double s = job.scores[k];
            if (isnan(s) || !passes(higher, s, score_cutoff)) continue;
            hp_match m = {s, base + k};
            heap_push(out, &count, want, m, higher);
        }
        reported = base + len;
        st = progress_check(progress, user, reported, n);
        if (st != HP_OK) goto done;
    }
    if (reported < n) { /* stopped early: the rest cannot enter */
        st = progress_check(progress, user, n, n);
        if (st != HP_OK) goto done;
    }
    t_sort_higher = higher;
    qsort(out, count, sizeof *out, cmp_match);
    *out_count = count;
done:
    multi_release(&qm);
    hp__free(job.scores);
    hp__free(pre);
    return st;
}

hp_status hp_fuzzy_extract(hp_match *out, size_t capacity, size_t *out_count,
                           const hp_fuzzy_query *query, const hp_strings *choices, int cenc,
                           const uint8_t *skip, double score_cutoff, size_t limit,
                           unsigned threads, hp_progress_fn progress, void *user) {
    HP_CHECK_NOT_NULL(out_count, "out_count");
    *out_count = 0;
    HP_CHECK_NOT_NULL(query, "query");
    HP_CHECK_NOT_NULL(choices, "choices");
    HP_FORWARD_IF_ERROR(hp_strings_check(choices));
    size_t n = choices->count;
    size_t want = limit == 0 || limit > n ? n : limit;
    HP_RETURN_IF(capacity < want, HP_EBUFSIZE, "output needs %zu matches, capacity %zu", want,
                 capacity);
    arena ch;
    HP_FORWARD_IF_ERROR(arena_build(&ch, choices, cenc, "choice", pool_threads(threads)));
    hp_status st = extract_impl(out, capacity, out_count, query, &ch, NULL, skip, score_cutoff,
                                limit, threads, progress, user);
    arena_release(&ch);
    return st;
}

hp_status hp_fuzzy_choices_new(hp_fuzzy_choices **out, const hp_strings *choices, int cenc,
                               unsigned threads) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NULL;
    HP_CHECK_NOT_NULL(choices, "choices");
    hp_fuzzy_choices *c = hp__malloc(sizeof *c);
    HP_RETURN_IF(c == NULL, HP_ENOMEM, "no memory for a choices handle");
    memset(c, 0, sizeof *c);
    hp_status st = arena_build(&c->a, choices, cenc, "choice", pool_threads(threads));
    if (st == HP_OK && hp__lcs_groups_usable())
        st = hp__lcs_groups_build(&c->groups, c->a.count, c->a.data, c->a.start, c->a.len);
    if (st != HP_OK) {
        hp_fuzzy_choices_free(c);
        return st;
    }
    *out = c;
    return HP_OK;
}

void hp_fuzzy_choices_free(hp_fuzzy_choices *choices) {
    if (!choices) return;
    hp__lcs_groups_release(&choices->groups);
    arena_release(&choices->a);
    hp__free(choices);
}

hp_status hp_fuzzy_choices_count(const hp_fuzzy_choices *choices, size_t *out) {
    HP_CHECK_NOT_NULL(choices, "choices");
    HP_CHECK_NOT_NULL(out, "out");
    *out = choices->a.count;
    return HP_OK;
}

hp_status hp_fuzzy_extract_prepared(hp_match *out, size_t capacity, size_t *out_count,
                                    const hp_fuzzy_query *query, const hp_fuzzy_choices *choices,
                                    const uint8_t *skip, double score_cutoff, size_t limit,
                                    unsigned threads, hp_progress_fn progress, void *user) {
    HP_CHECK_NOT_NULL(out_count, "out_count");
    *out_count = 0;
    HP_CHECK_NOT_NULL(query, "query");
    HP_CHECK_NOT_NULL(choices, "choices");
    return extract_impl(out, capacity, out_count, query, &choices->a, &choices->groups, skip,
                        score_cutoff, limit, threads, progress, user);
}

/* ---------------------------------------------------------------- cdist / cpdist */

static void store(void *out, int dtype, size_t i, double v) {
    switch (dtype) {
    case HP_DTYPE_F64:
        ((double *)out)[i] = v;
        break;
    case HP_DTYPE_F32:
        ((float *)out)[i] = (float)v;
        break;
    case HP_DTYPE_I32: {
        double r = nearbyint(v);
        ((int32_t *)out)[i] = r >= 2147483647.0 ? INT32_MAX : r <= -2147483648.0 ? INT32_MIN
                                                                                : (int32_t)r;
        break;
    }
    case HP_DTYPE_I64: {
        double r = nearbyint(v);
        ((int64_t *)out)[i] = r >= 9.2233720368547758e18 ? INT64_MAX
                              : r <= -9.2233720368547758e18 ? INT64_MIN
                                                            : (int64_t)r;
        break;
    }
    case HP_DTYPE_U32: {
        double r = nearbyint(v);
        ((uint32_t *)out)[i] = r >= 4294967295.0 ? UINT32_MAX : r <= 0.0 ? 0 : (uint32_t)r;
        break;
    }
    default: { /* HP_DTYPE_U8 */
        double r = nearbyint(v);
        ((uint8_t *)out)[i] = r >= 255.0 ? 255 : r <= 0.0 ? 0 : (uint8_t)r;
        break;
    }
    }
}

/* n scores into out[at..at + n): a loop per type (no switch per element); int32, the
 * integer measures' usual matrix, with store's rounding and saturation inline. */
static void store_row(void *out, int dtype, size_t at, const double *v, size_t n) {
    if (dtype == HP_DTYPE_F64) {
        memcpy((double *)out + at, v, n * sizeof *v);
    } else if (dtype == HP_DTYPE_F32) {
        float *o = (float *)out + at;
        for (size_t j = 0; j < n; j++) o[j] = (float)v[j];
    } else if (dtype == HP_DTYPE_I32) {
        int32_t *o = (int32_t *)out + at;
        for (size_t j = 0; j < n; j++) {
            double r = nearbyint(v[j]);
            o[j] = r >= 2147483647.0 ? INT32_MAX : r <= -2147483648.0 ? INT32_MIN : (int32_t)r;
        }
    } else {
        for (size_t j = 0; j < n; j++) store(out, dtype, at + j, v[j]);
    }
}

typedef struct cdist_job {
    const hp_scorer *scorer;
    const arena *q, *c;
    void *out;
    int dtype;
    size_t stride;
    size_t base;
    double cutoff;
    bool pairwise; /* cpdist */
    const hp__lcs_groups *groups; /* NULL, or the choices in SIMD LCS groups */
    worker_error err;
} cdist_job;

/* One row of cdist: the query against every choice, short choices many at a time;
 * row is scratch for the row's scores. */
static hp_status cdist_row(cdist_job *job, size_t i, double *row) {
    size_t qlen, n = job->c->count;
    const uint32_t *q = arena_str(job->q, i, &qlen);
    multi mu;
    multi_init(&mu, job->scorer, q, qlen);
    hp__prep *prep = NULL;
    hp_status st = job->scorer->kind == HP_SCORER_FUZZ
                       ? hp__fuzz_prepare(&prep, job->scorer, q, qlen)
                       : hp__metric_prepare(&prep, job->scorer, q, qlen);
    const hp__lcs_groups *t = multi_ok(job->scorer, qlen) ? job->groups : NULL;
    for (size_t k = 0; t && k < t->count; k += 2) {
        double v[2][16];
        size_t pair = k + 1 < t->count ? 2 : 1;
        if (pair == 2)
            hp__lcs_groups_scores2(t, k, q, qlen, job->scorer, job->cutoff, v[0], v[1]);
        else
            hp__lcs_groups_scores(t, k, q, qlen, job->scorer, job->cutoff, v[0]);
        for (size_t h = 0; h < pair; h++) {
            const hp__lcs_group *g = &t->g[k + h];
            for (unsigned l = 0; l < g->n; l++) row[g->choice[l]] = v[h][l];
        }
    }
    for (size_t j = 0; j < n && st == HP_OK; j++) {
        if (t && t->grouped[j]) continue;
        size_t clen;
        const uint32_t *c = arena_str(job->c, j, &clen);
        if (multi_offer(&mu, job->scorer, job->cutoff, c, clen, j, row)) continue;
        st = hp__score(&row[j], job->scorer, prep, q, qlen, c, clen, job->cutoff);
    }
    multi_flush(&mu, job->scorer, job->cutoff, row);
    multi_release(&mu);
    hp__prep_free(prep);
    if (st == HP_OK) store_row(job->out, job->dtype, i * job->stride, row, n);
    return st;
}

static void cdist_range(void *ctx, size_t begin, size_t end) {
    cdist_job *job = ctx;
    double *row = NULL;
    if (!job->pairwise) {
        row = hp__malloc((job->c->count ? job->c->count : 1) * sizeof *row);
        if (!row) {
            worker_fail(&job->err, hp__fail(HP_ENOMEM, "no memory for a row of %zu scores",
                                            job->c->count));
            return;
        }
    }
    for (size_t k = begin; k < end && !worker_failed(&job->err); k++) {
        size_t i = job->base + k;
        hp_status st;
        if (job->pairwise) {
            size_t qlen, clen;
            const uint32_t *q = arena_str(job->q, i, &qlen);
            const uint32_t *c = arena_str(job->c, i, &clen);
            double v = 0;
            st = hp__score(&v, job->scorer, NULL, q, qlen, c, clen, job->cutoff);
            if (st == HP_OK) store(job->out, job->dtype, i, v);
        } else {
            st = cdist_row(job, i, row);
        }
        if (st != HP_OK) worker_fail(&job->err, st);
    }
    hp__free(row);
}

/* token_sort_ratio in a batch is fuzz.ratio of the sorted-token forms (RapidFuzz's cdist
 * does the same): every string is sorted once here instead of once per pair, and the
 * ratio lanes then serve it. Rewrites the arena's strings in place (never longer). */
static hp_status arena_sort_tokens(arena *a) {
    size_t longest = 1;
    for (size_t i = 0; i < a->count; i++) longest = a->len[i] > longest ? a->len[i] : longest;
    uint32_t *tmp = hp__malloc(longest * sizeof *tmp);
    HP_RETURN_IF(tmp == NULL, HP_ENOMEM, "no memory to sort the tokens of a %zu-element string",
                 longest);
    hp_status st = HP_OK;
    for (size_t i = 0; i < a->count && st == HP_OK; i++) {
        size_t n = 0;
        st = hp__fuzz_sorted_tokens(tmp, &n, a->data + a->start[i], a->len[i]);
        if (st == HP_OK) {
            memcpy(a->data + a->start[i], tmp, n * sizeof *tmp);
            a->len[i] = n;
        }
    }
    hp__free(tmp);
    return st;
}

static hp_status cdist_common(void *out, int dtype, size_t row_stride, const hp_scorer *scorer,
                              const hp_strings *queries, int qenc, const hp_strings *choices,
                              int cenc, double score_cutoff, unsigned threads,
                              hp_progress_fn progress, void *user, bool pairwise) {
    HP_FORWARD_IF_ERROR(hp__scorer_check(scorer));
    HP_RETURN_IF(dtype < HP_DTYPE_F64 || dtype > HP_DTYPE_U32, HP_EINVAL, "unknown dtype %d",
                 dtype);
    HP_CHECK_NOT_NULL(queries, "queries");
    HP_CHECK_NOT_NULL(choices, "choices");
    HP_FORWARD_IF_ERROR(hp_strings_check(queries));
    HP_FORWARD_IF_ERROR(hp_strings_check(choices));
    size_t m = queries->count, n = choices->count;
    if (pairwise) {
        HP_RETURN_IF(m != n, HP_EINVAL,
                     "cpdist needs batches of equal length, got %zu queries and %zu choices", m, n);
    } else {
        HP_RETURN_IF(m > 0 && row_stride < n, HP_EINVAL, "row_stride %zu is below the %zu choices",
                     row_stride, n);
        size_t cells;
        HP_RETURN_IF(m && !hp__mul_size(m - 1, row_stride, &cells), HP_EOVERFLOW,
                     "a %zu x %zu matrix is too large", m, row_stride);
    }
    bool empty = pairwise ? m == 0 : m == 0 || n == 0;
    HP_RETURN_IF(out == NULL && !empty, HP_EINVAL, "out is NULL");
    if (empty) return HP_OK;
    arena qa, ca;
    HP_FORWARD_IF_ERROR(arena_build(&qa, queries, qenc, "query", pool_threads(threads)));
    hp_status st = arena_build(&ca, choices, cenc, "choice", pool_threads(threads));
    if (st != HP_OK) {
        arena_release(&qa);
        return st;
    }
    hp_scorer as_ratio;
    if (!pairwise && scorer->kind == HP_SCORER_FUZZ && scorer->id == HP_FUZZ_TOKEN_SORT_RATIO) {
        st = arena_sort_tokens(&qa);
        if (st == HP_OK) st = arena_sort_tokens(&ca);
        if (st != HP_OK) {
            arena_release(&qa);
            arena_release(&ca);
            return st;
        }
        as_ratio = *scorer;
        as_ratio.id = HP_FUZZ_RATIO;
        scorer = &as_ratio;
    }
    cdist_job job;
    memset(&job, 0, sizeof job);
    job.scorer = scorer;
    job.q = &qa;
    job.c = &ca;
    job.out = out;
    job.dtype = dtype;
    job.stride = row_stride;
    job.cutoff = score_cutoff;
    job.pairwise = pairwise;
    hp__lcs_groups groups;
    memset(&groups, 0, sizeof groups);
    if (!pairwise && hp__multi_kind(scorer) != HP__MULTI_NONE && hp__lcs_groups_usable() && m > 1 &&
        hp__lcs_groups_build(&groups, ca.count, ca.data, ca.start, ca.len) == HP_OK)
        job.groups = groups.count ? &groups : NULL; /* without them: the scalar path */
    unsigned nthreads = pool_threads(threads);
    /* blocks of rows between progress reports: about 2^22 pairs, at least one row per
     * thread */
    size_t per_row = pairwise ? 1 : n;
    size_t block = ((size_t)1 << 22) / (per_row ? per_row : 1);
    if (block < 4 * (size_t)nthreads) block = 4 * (size_t)nthreads;
    for (size_t base = 0; base < m && st == HP_OK; base += block) {
        size_t len = m - base < block ? m - base : block;
        job.base = base;
        hp__parallel_for(len, pairwise ? 256 : 1, nthreads, cdist_range, &job);
        if (worker_failed(&job.err))
            st = worker_raise(&job.err);
        else
            st = progress_check(progress, user, base + len, m);
    }
    hp__lcs_groups_release(&groups);
    arena_release(&qa);
    arena_release(&ca);
    return st;
}

hp_status hp_fuzzy_cdist(void *out, int dtype, size_t row_stride, const hp_scorer *scorer,
                         const hp_strings *queries, int qenc, const hp_strings *choices, int cenc,
                         double score_cutoff, unsigned threads, hp_progress_fn progress,
                         void *user) {
    return cdist_common(out, dtype, row_stride, scorer, queries, qenc, choices, cenc,
                        score_cutoff, threads, progress, user, false);
}

hp_status hp_fuzzy_cpdist(void *out, int dtype, const hp_scorer *scorer,
                          const hp_strings *queries, int qenc, const hp_strings *choices, int cenc,
                          double score_cutoff, unsigned threads, hp_progress_fn progress,
                          void *user) {
    return cdist_common(out, dtype, 0, scorer, queries, qenc, choices, cenc, score_cutoff,
                        threads, progress, user, true);
}

/* ---------------------------------------------------------------- sparse all-pairs */

typedef struct pair_buf {
    hp_pair *p;
    size_t n, cap;
} pair_buf;

typedef struct pairs_job {
    const hp_scorer *scorer;
    const arena *s;
    size_t *order; /* indices sorted by (length, index) */
    size_t base, rows_per_chunk, rows;
    double cutoff;
    bool higher, bounded, symmetric;
    pair_buf *bufs;
    const hp__lcs_groups *groups; /* NULL, or the strings in sorted order in SIMD groups */
    const size_t *group_of;       /* with groups: sorted position -> its group */
    worker_error err;
} pairs_job;

static bool pair_push(pair_buf *b, uint64_t i, uint64_t j, double score) {
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        hp_pair *p = hp__realloc(b->p, cap * sizeof *p);
        if (!p) return false;
        b->p = p;
        b->cap = cap;
    }
    hp_pair pr = {i < j ? i : j, i < j ? j : i, score};
    b->p[b->n++] = pr;
    return true;
}

static void pairs_range(void *ctx, size_t begin, size_t end) {
    pairs_job *job = ctx;
    const arena *s = job->s;
    size_t n = s->count;
    for (size_t chunk = begin; chunk < end && !worker_failed(&job->err); chunk++) {
        pair_buf *buf = &job->bufs[chunk];
        size_t r0 = job->base + chunk * job->rows_per_chunk;
        size_t r1 = r0 + job->rows_per_chunk;
        if (r1 > job->base + job->rows) r1 = job->base + job->rows;
        for (size_t p = r0; p < r1 && !worker_failed(&job->err); p++) {
            size_t i = job->order[p], la;
            const uint32_t *a = arena_str(s, i, &la);
            hp__prep *prep = NULL;
            hp_status st = job->scorer->kind == HP_SCORER_FUZZ
                               ? hp__fuzz_prepare(&prep, job->scorer, a, la)
                               : hp__metric_prepare(&prep, job->scorer, a, la);
            size_t last_group = SIZE_MAX;
            /* per row, not per pair: whether the groups serve this row, and the last
             * length known to pass (lengths ascend and repeat, so most pairs skip the
             * test) */
            const hp__lcs_groups *groups = job->groups && multi_ok(job->scorer, la) ? job->groups
                                                                                    : NULL;
            size_t passing_lb = SIZE_MAX;
            for (size_t q = p + 1; q < n && st == HP_OK; q++) {
                size_t j = job->order[q], lb;
                const uint32_t *b = arena_str(s, j, &lb);
                if (job->bounded && lb != passing_lb) {
                    if (!length_can_pass(job->scorer, la, lb, job->cutoff)) break;
                    passing_lb = lb;
                }
                if (groups && groups->grouped[q]) {
                    /* the whole group at once; lanes outside (p, window] are dropped */
                    size_t k = job->group_of[q];
                    if (k == last_group) continue;
                    last_group = k;
                    const hp__lcs_group *g = &groups->g[k];
                    double v16[16];
                    hp__lcs_groups_scores(groups, k, a, la, job->scorer, job->cutoff, v16);
                    for (unsigned l = 0; l < g->n && st == HP_OK; l++) {
                        size_t pos = g->choice[l];
                        if (pos <= p || (job->bounded &&
                                         !length_can_pass(job->scorer, la, g->len[l], job->cutoff)))
                            continue;
                        double v = v16[l];
                        if (passes(job->higher, v, job->cutoff) &&
                            !pair_push(buf, i, job->order[pos], v))
                            st = hp__fail(HP_ENOMEM, "no memory for the pairs found");
                    }
                    continue;
                }
                double v = 0;
                if (job->symmetric || i < j)
                    st = hp__score(&v, job->scorer, prep, a, la, b, lb, job->cutoff);
                else
                    st = hp__score(&v, job->scorer, NULL, b, lb, a, la, job->cutoff);
                if (st == HP_OK && passes(job->higher, v, job->cutoff) && !pair_push(buf, i, j, v))
                    st = hp__fail(HP_ENOMEM, "no memory for the pairs found");
            }
            hp__prep_free(prep);
            if (st != HP_OK) worker_fail(&job->err, st);
        }
    }
}

static __thread const arena *t_sort_arena;

static int cmp_by_length(const void *pa, const void *pb) {
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    size_t la = t_sort_arena->len[a], lb = t_sort_arena->len[b];
    if (la != lb) return la < lb ? -1 : 1;
    return a < b ? -1 : a > b;
}

static int cmp_pair(const void *pa, const void *pb) {
    const hp_pair *a = pa, *b = pb;
    if (a->i != b->i) return a->i < b->i ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

#define PAIRS_CHUNKS 64

hp_status hp_fuzzy_pairs(const hp_scorer *scorer, const hp_strings *strings, int enc,
                         double score_cutoff, unsigned threads, hp_pairs_fn emit,
                         hp_progress_fn progress, void *user) {
    HP_FORWARD_IF_ERROR(hp__scorer_check(scorer));
    HP_CHECK_NOT_NULL(strings, "strings");
    HP_CHECK_NOT_NULL(emit, "emit");
    HP_RETURN_IF(isnan(score_cutoff), HP_EINVAL, "pairs needs a score_cutoff (got NaN)");
    arena s;
    HP_FORWARD_IF_ERROR(arena_build(&s, strings, enc, "string", pool_threads(threads)));
    size_t n = s.count;
    pairs_job job;
    memset(&job, 0, sizeof job);
    job.order = hp__malloc((n ? n : 1) * sizeof(size_t));
    job.bufs = hp__malloc(PAIRS_CHUNKS * sizeof(pair_buf));
    hp_status st = HP_OK;
    if (!job.order || !job.bufs) {
        st = hp__fail(HP_ENOMEM, "no memory for pairs of %zu strings", n);
        goto done;
    }
    memset(job.bufs, 0, PAIRS_CHUNKS * sizeof(pair_buf));
    size_t *order = job.order;
    for (size_t i = 0; i < n; i++) order[i] = i;
    job.bounded = has_length_bound(scorer);
    if (job.bounded) {
        t_sort_arena = &s;
        qsort(order, n, sizeof *order, cmp_by_length);
    }
    /* the LCS-based scorers score 4-8 strings at once: groups over the sorted order, so a
     * row's length window is a run of groups */
    hp__lcs_groups groups;
    memset(&groups, 0, sizeof groups);
    size_t *group_of = NULL, *sorted_start = NULL, *sorted_len = NULL;
    if (hp__multi_kind(scorer) != HP__MULTI_NONE && hp__lcs_groups_usable() && n > 1) {
        sorted_start = hp__malloc(n * sizeof *sorted_start);
        sorted_len = hp__malloc(n * sizeof *sorted_len);
        group_of = hp__malloc(n * sizeof *group_of);
        if (sorted_start && sorted_len && group_of) {
            for (size_t p = 0; p < n; p++) {
                sorted_start[p] = s.start[order[p]];
                sorted_len[p] = s.len[order[p]];
            }
            if (hp__lcs_groups_build(&groups, n, s.data, sorted_start, sorted_len) == HP_OK) {
                for (size_t k = 0; k < groups.count; k++)
                    for (unsigned l = 0; l < groups.g[k].n; l++) group_of[groups.g[k].choice[l]] = k;
                job.groups = groups.count ? &groups : NULL;
                job.group_of = group_of;
            }
        }
    }
    job.scorer = scorer;
    job.s = &s;
    job.cutoff = score_cutoff;
    job.higher = hp__scorer_higher_is_better(scorer);
    job.symmetric = !(scorer->kind == HP_SCORER_METRIC && scorer->id == HP_METRIC_LEVENSHTEIN &&
                      scorer->weights[0] != scorer->weights[1]);
    unsigned nthreads = pool_threads(threads);
    /* rows per block: the later rows of a length-sorted batch have fewer candidates, so
     * small chunks balance the pool; PAIRS_CHUNKS chunks per block */
    size_t rows_per_chunk = n / (PAIRS_CHUNKS * 16) + 1;
    if (rows_per_chunk > 256) rows_per_chunk = 256;
    job.rows_per_chunk = rows_per_chunk;
    for (size_t base = 0; base < n && st == HP_OK;) {
        size_t rows = PAIRS_CHUNKS * rows_per_chunk;
        if (rows > n - base) rows = n - base;
        size_t chunks = (rows + rows_per_chunk - 1) / rows_per_chunk;
        job.base = base;
        job.rows = rows;
        for (size_t c = 0; c < chunks; c++) job.bufs[c].n = 0;
        hp__parallel_for(chunks, 1, nthreads, pairs_range, &job);
        if (worker_failed(&job.err)) {
            st = worker_raise(&job.err);
            break;
        }
        for (size_t c = 0; c < chunks && st == HP_OK; c++) {
            pair_buf *b = &job.bufs[c];
            if (b->n == 0) continue;
            qsort(b->p, b->n, sizeof *b->p, cmp_pair);
            if (emit(b->p, b->n, user) != 0)
                st = hp__fail(HP_ECANCELLED, "cancelled by the pairs callback");
        }
        base += rows;
        if (st == HP_OK) st = progress_check(progress, user, base, n);
    }
    hp__lcs_groups_release(&groups);
    hp__free(group_of);
    hp__free(sorted_start);
    hp__free(sorted_len);
done:
    if (job.bufs)
        for (size_t c = 0; c < PAIRS_CHUNKS; c++) hp__free(job.bufs[c].p);
    hp__free(job.bufs);
    hp__free(job.order);
    arena_release(&s);
    return st;
}
