/*
 * lib/fuzzy/api.c — public entry points of hotpath/fuzzy.h for single pairs and cached
 * queries: argument checks, decoding, dispatch to metric.c / fuzz.c.
 */
#include <math.h>
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"

#define WEIGHT_LIMIT ((uint64_t)1 << 32)

hp_status hp__scorer_check(const hp_scorer *sc) {
    HP_CHECK_NOT_NULL(sc, "scorer");
    if (sc->kind == HP_SCORER_METRIC) {
        HP_RETURN_IF(sc->id < HP_METRIC_LEVENSHTEIN || sc->id > HP_METRIC_POSTFIX, HP_EINVAL,
                     "unknown metric %d", (int)sc->id);
        HP_RETURN_IF(sc->measure < HP_DISTANCE || sc->measure > HP_NORMALIZED_SIMILARITY,
                     HP_EINVAL, "unknown measure %d", (int)sc->measure);
        if (sc->id == HP_METRIC_LEVENSHTEIN)
            for (int i = 0; i < 3; i++)
                HP_RETURN_IF(sc->weights[i] > WEIGHT_LIMIT, HP_EINVAL,
                             "Levenshtein weight %d is %llu, above 2^32", i,
                             (unsigned long long)sc->weights[i]);
        if (sc->id == HP_METRIC_JARO_WINKLER)
            HP_RETURN_IF(!(sc->prefix_weight >= 0.0 && sc->prefix_weight <= 1.0), HP_EINVAL,
                         "prefix_weight has to be in the range 0.0 - 1.0, got %g",
                         sc->prefix_weight);
        return HP_OK;
    }
    HP_RETURN_IF(sc->kind != HP_SCORER_FUZZ, HP_EINVAL, "unknown scorer kind %d", (int)sc->kind);
    HP_RETURN_IF(sc->id < HP_FUZZ_RATIO || sc->id > HP_FUZZ_QRATIO, HP_EINVAL,
                 "unknown fuzz scorer %d", (int)sc->id);
    return HP_OK;
}

bool hp__scorer_higher_is_better(const hp_scorer *sc) {
    return sc->kind == HP_SCORER_FUZZ || sc->measure == HP_SIMILARITY ||
           sc->measure == HP_NORMALIZED_SIMILARITY;
}

hp_status hp_scorer_init(hp_scorer *scorer, int kind, int id, int measure) {
    HP_CHECK_NOT_NULL(scorer, "scorer");
    hp_scorer sc;
    memset(&sc, 0, sizeof sc);
    sc.kind = kind;
    sc.id = id;
    sc.measure = kind == HP_SCORER_METRIC ? measure : 0;
    sc.pad = 1;
    sc.weights[0] = sc.weights[1] = sc.weights[2] = 1;
    sc.prefix_weight = 0.1;
    HP_FORWARD_IF_ERROR(hp__scorer_check(&sc));
    *scorer = sc;
    return HP_OK;
}

hp_status hp_scorer_range(double *worst, double *best, const hp_scorer *scorer, size_t alen,
                          size_t blen) {
    HP_CHECK_NOT_NULL(worst, "worst");
    HP_CHECK_NOT_NULL(best, "best");
    HP_FORWARD_IF_ERROR(hp__scorer_check(scorer));
    if (scorer->kind == HP_SCORER_FUZZ) {
        *worst = 0;
        *best = 100;
        return HP_OK;
    }
    double m;
    switch (scorer->measure) {
    case HP_NORMALIZED_DISTANCE:
        *worst = 1;
        *best = 0;
        return HP_OK;
    case HP_NORMALIZED_SIMILARITY:
        *worst = 0;
        *best = 1;
        return HP_OK;
    default:
        break;
    }
    if (scorer->id == HP_METRIC_JARO || scorer->id == HP_METRIC_JARO_WINKLER) {
        m = 1;
    } else if (scorer->id == HP_METRIC_LEVENSHTEIN) {
        uint64_t ins = scorer->weights[0], del = scorer->weights[1], sub = scorer->weights[2];
        uint64_t a = alen, b = blen;
        uint64_t x = a * del + b * ins;
        uint64_t y = a >= b ? b * sub + (a - b) * del : a * sub + (b - a) * ins;
        m = (double)(y < x ? y : x);
    } else if (scorer->id == HP_METRIC_INDEL) {
        m = (double)alen + (double)blen;
    } else {
        m = (double)(alen > blen ? alen : blen);
    }
    if (scorer->measure == HP_DISTANCE) {
        *worst = m;
        *best = 0;
    } else {
        *worst = 0;
        *best = m;
    }
    return HP_OK;
}

hp_status hp__score(double *out, const hp_scorer *sc, const hp__prep *prep, const uint32_t *a,
                    size_t la, const uint32_t *b, size_t lb, double cutoff) {
    if (sc->kind == HP_SCORER_FUZZ) return hp__fuzz_score(out, sc, prep, a, la, b, lb, cutoff);
    return hp__metric_score(out, sc, prep, a, la, b, lb, cutoff);
}

void hp__prep_free(hp__prep *prep) {
    if (prep) prep->release(prep);
}

/* Decode both sequences; on success the caller releases both. */
static hp_status decode_pair(hp__seq *sa, hp__seq *sb, const void *a, size_t alen, int aenc,
                             const void *b, size_t blen, int benc) {
    HP_FORWARD_IF_ERROR(hp__seq_decode(sa, a, alen, aenc, "first sequence"));
    hp_status st = hp__seq_decode(sb, b, blen, benc, "second sequence");
    if (st != HP_OK) hp__seq_release(sa);
    return st;
}

hp_status hp_fuzzy_score(double *out, const hp_scorer *scorer, const void *a, size_t alen,
                         int aenc, const void *b, size_t blen, int benc, double score_cutoff) {
    HP_CHECK_NOT_NULL(out, "out");
    HP_FORWARD_IF_ERROR(hp__scorer_check(scorer));
    hp__seq sa, sb;
    HP_FORWARD_IF_ERROR(decode_pair(&sa, &sb, a, alen, aenc, b, blen, benc));
    hp_status st = hp__score(out, scorer, NULL, sa.p, sa.n, sb.p, sb.n, score_cutoff);
    hp__seq_release(&sa);
    hp__seq_release(&sb);
    return st;
}

hp_status hp_fuzzy_editops(hp_editop **out, size_t *out_count, int metric, const void *a,
                           size_t alen, int aenc, const void *b, size_t blen, int benc) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NULL;
    HP_CHECK_NOT_NULL(out_count, "out_count");
    *out_count = 0;
    HP_RETURN_IF(metric != HP_METRIC_LEVENSHTEIN && metric != HP_METRIC_INDEL &&
                     metric != HP_METRIC_LCSSEQ,
                 HP_EINVAL, "editops exist for Levenshtein, Indel and LCSseq, not metric %d",
                 metric);
    hp__seq sa, sb;
    HP_FORWARD_IF_ERROR(decode_pair(&sa, &sb, a, alen, aenc, b, blen, benc));
    hp_status st = hp__editops(out, out_count, metric, sa.p, sa.n, sb.p, sb.n);
    hp__seq_release(&sa);
    hp__seq_release(&sb);
    return st;
}

hp_status hp_fuzz_partial_ratio_alignment(hp_alignment *out, const void *a, size_t alen, int aenc,
                                          const void *b, size_t blen, int benc,
                                          double score_cutoff) {
    HP_CHECK_NOT_NULL(out, "out");
    hp__seq sa, sb;
    HP_FORWARD_IF_ERROR(decode_pair(&sa, &sb, a, alen, aenc, b, blen, benc));
    hp_status st = hp__fuzz_partial_ratio_alignment(out, sa.p, sa.n, sb.p, sb.n, score_cutoff);
    hp__seq_release(&sa);
    hp__seq_release(&sb);
    return st;
}

hp_status hp_fuzzy_query_new(hp_fuzzy_query **out, const hp_scorer *scorer, const void *q,
                             size_t qlen, int qenc) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NULL;
    HP_FORWARD_IF_ERROR(hp__scorer_check(scorer));
    hp_fuzzy_query *query = hp__malloc(sizeof *query);
    HP_RETURN_IF(query == NULL, HP_ENOMEM, "no memory for a query handle");
    query->scorer = *scorer;
    query->prep = NULL;
    hp_status st = hp__seq_decode(&query->q, q, qlen, qenc, "query");
    if (st != HP_OK) {
        hp__free(query);
        return st;
    }
    if (query->q.heap == NULL && query->q.p != query->q.inline_buf) {
        /* aligned U32 input was borrowed: the handle keeps its own copy */
        size_t n = query->q.n;
        query->q.heap = n <= HP__SEQ_INLINE ? NULL : hp__malloc(n * sizeof(uint32_t));
        uint32_t *dst = n <= HP__SEQ_INLINE ? query->q.inline_buf : query->q.heap;
        if (dst == NULL) {
            hp__free(query);
            return hp__fail(HP_ENOMEM, "no memory for a %zu-element query", n);
        }
        memcpy(dst, query->q.p, n * sizeof(uint32_t));
        query->q.p = dst;
    }
    st = scorer->kind == HP_SCORER_FUZZ
             ? hp__fuzz_prepare(&query->prep, scorer, query->q.p, query->q.n)
             : hp__metric_prepare(&query->prep, scorer, query->q.p, query->q.n);
    if (st != HP_OK) {
        hp_fuzzy_query_free(query);
        return st;
    }
    *out = query;
    return HP_OK;
}

hp_status hp_fuzzy_query_score(const hp_fuzzy_query *query, double *out, const void *c,
                               size_t clen, int cenc, double score_cutoff) {
    HP_CHECK_NOT_NULL(query, "query");
    HP_CHECK_NOT_NULL(out, "out");
    hp__seq sc;
    HP_FORWARD_IF_ERROR(hp__seq_decode(&sc, c, clen, cenc, "choice"));
    hp_status st = hp__score(out, &query->scorer, query->prep, query->q.p, query->q.n, sc.p, sc.n,
                             score_cutoff);
    hp__seq_release(&sc);
    return st;
}

void hp_fuzzy_query_free(hp_fuzzy_query *query) {
    if (!query) return;
    hp__prep_free(query->prep);
    hp__seq_release(&query->q);
    hp__free(query);
}
