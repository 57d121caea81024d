/*
 * lib/fuzzy/metric.c — the four measures of every rapidfuzz.distance metric, with
 * RapidFuzz's cutoff rules, on top of the raw kernels.
 *
 * Each metric has a raw number (a distance d, or for LCSseq/Prefix/Postfix a
 * similarity) and a maximum m for the two lengths; then
 *     similarity = m - d,  normalized_distance = d / m (0 when m == 0),
 *     normalized_similarity = 1 - normalized_distance,
 * and a result on the wrong side of score_cutoff becomes cutoff + 1 (distance),
 * 0 (similarity), 1.0 (normalized distance) or 0.0 (normalized similarity). These
 * are the formulas of RapidFuzz's reference implementation, evaluated in the same
 * order so floating-point results agree exactly.
 *
 * The cutoff is also turned into a conservative bound on d (every d that can pass is
 * within it, one unit of slack for rounding) and handed to the kernel, which may stop
 * early once d is known to exceed it; an over-bound d then fails the final test as it
 * must. Jaro and Jaro-Winkler are similarities in [0, 1] with distance = 1 - sim.
 */
#include <math.h>
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"

typedef struct metric_prep {
    hp__prep base;
    hp__pm pm;
} metric_prep;

static void metric_prep_release(hp__prep *self) {
    metric_prep *p = (metric_prep *)self;
    hp__pm_release(&p->pm);
    hp__free(p);
}

static bool uses_pm(const hp_scorer *sc, size_t la) {
    switch (sc->id) {
    case HP_METRIC_LEVENSHTEIN:
    case HP_METRIC_INDEL:
    case HP_METRIC_LCSSEQ:
    case HP_METRIC_OSA:
        return true;
    case HP_METRIC_JARO:
    case HP_METRIC_JARO_WINKLER:
        return la <= 64; /* jaro.c masks a prepared query of one word */
    default:
        return false;
    }
}

hp_status hp__metric_prepare(hp__prep **out, const hp_scorer *sc, const uint32_t *a, size_t la) {
    *out = NULL;
    if (!uses_pm(sc, la) || la == 0) return HP_OK;
    metric_prep *p = hp__malloc(sizeof *p);
    HP_RETURN_IF(p == NULL, HP_ENOMEM, "no memory for a prepared query");
    p->base.release = metric_prep_release;
    hp_status st = hp__pm_build(&p->pm, a, la);
    if (st != HP_OK) {
        hp__free(p);
        return st;
    }
    *out = &p->base;
    return HP_OK;
}

/* The maximum of a metric for lengths la, lb (RapidFuzz's `maximum`). */
static uint64_t metric_max(const hp_scorer *sc, size_t la, size_t lb) {
    uint64_t big = la > lb ? la : lb;
    switch (sc->id) {
    case HP_METRIC_LEVENSHTEIN: {
        uint64_t ins = sc->weights[0], del = sc->weights[1], sub = sc->weights[2];
        uint64_t m = la * del + lb * ins;
        uint64_t alt = la >= lb ? lb * sub + (la - lb) * del : la * sub + (lb - la) * ins;
        return alt < m ? alt : m;
    }
    case HP_METRIC_INDEL:
        return (uint64_t)la + lb;
    default:
        return big;
    }
}

static size_t common_prefix(const uint32_t *a, size_t la, const uint32_t *b, size_t lb) {
    size_t n = la < lb ? la : lb, i = 0;
    while (i < n && a[i] == b[i]) i++;
    return i;
}

static size_t common_suffix(const uint32_t *a, size_t la, const uint32_t *b, size_t lb) {
    size_t n = la < lb ? la : lb, i = 0;
    while (i < n && a[la - 1 - i] == b[lb - 1 - i]) i++;
    return i;
}

/* Raw distance d of an integer metric, exact when d <= bound. */
static hp_status raw_distance(uint64_t *d, const hp_scorer *sc, const hp__pm *pm,
                              const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                              uint64_t maximum, uint64_t bound) {
    switch (sc->id) {
    case HP_METRIC_LEVENSHTEIN:
        return hp__levenshtein(d, pm, a, la, b, lb, sc->weights, bound);
    case HP_METRIC_INDEL:
    case HP_METRIC_LCSSEQ: {
        /* Indel: d = la + lb - 2 lcs; LCSseq: d = max(la, lb) - lcs. */
        size_t min_lcs = 0;
        if (sc->id == HP_METRIC_INDEL) {
            uint64_t sum = (uint64_t)la + lb;
            if (bound < sum) min_lcs = (size_t)((sum - bound + 1) / 2);
        } else if (bound < maximum) {
            min_lcs = (size_t)(maximum - bound);
        }
        size_t lcs = 0;
        HP_FORWARD_IF_ERROR(hp__lcs(&lcs, pm, a, la, b, lb, min_lcs));
        *d = sc->id == HP_METRIC_INDEL ? (uint64_t)la + lb - 2 * (uint64_t)lcs : maximum - lcs;
        return HP_OK;
    }
    case HP_METRIC_HAMMING: {
        size_t n = la < lb ? la : lb;
        uint64_t dist = (uint64_t)(la > lb ? la - lb : lb - la);
        for (size_t i = 0; i < n; i++) dist += a[i] != b[i];
        *d = dist;
        return HP_OK;
    }
    case HP_METRIC_OSA: {
        size_t r = 0;
        HP_FORWARD_IF_ERROR(hp__osa(&r, pm, a, la, b, lb, (size_t)(bound < SIZE_MAX ? bound : SIZE_MAX)));
        *d = r;
        return HP_OK;
    }
    case HP_METRIC_DAMERAU_LEVENSHTEIN: {
        size_t r = 0;
        HP_FORWARD_IF_ERROR(hp__damerau(&r, a, la, b, lb, (size_t)(bound < SIZE_MAX ? bound : SIZE_MAX)));
        *d = r;
        return HP_OK;
    }
    case HP_METRIC_PREFIX:
        *d = maximum - common_prefix(a, la, b, lb);
        return HP_OK;
    case HP_METRIC_POSTFIX:
        *d = maximum - common_suffix(a, la, b, lb);
        return HP_OK;
    default:
        return hp__fail(HP_EINTERNAL, "metric %d has no integer distance", (int)sc->id);
    }
}

/* Conservative bound on d from the cutoff (UINT64_MAX: none). */
static uint64_t distance_bound(int measure, double cutoff, uint64_t m) {
    if (isnan(cutoff)) return UINT64_MAX;
    double b;
    switch (measure) {
    case HP_DISTANCE:
        if (cutoff < 0) return 0;
        return cutoff >= 1.8e19 ? UINT64_MAX : (uint64_t)floor(cutoff);
    case HP_SIMILARITY:
        if (cutoff > (double)m) return 0; /* nothing passes but sim 0 >= cutoff cases */
        b = (double)m - ceil(cutoff);
        break;
    case HP_NORMALIZED_DISTANCE:
        b = floor(cutoff * (double)m) + 1;
        break;
    default: /* HP_NORMALIZED_SIMILARITY */
        b = floor((1.0 - cutoff) * (double)m) + 1;
        break;
    }
    if (b < 0) return 0;
    if (b >= (double)m) return m;
    return (uint64_t)b;
}

static double finish(int measure, double cutoff, double d, double m) {
    bool none = isnan(cutoff);
    switch (measure) {
    case HP_DISTANCE:
        return none || d <= cutoff ? d : cutoff + 1;
    case HP_SIMILARITY: {
        double sim = m - d;
        return none || sim >= cutoff ? sim : 0;
    }
    case HP_NORMALIZED_DISTANCE: {
        double nd = m ? d / m : 0;
        return none || nd <= cutoff ? nd : 1.0;
    }
    default: {
        double nd = m ? d / m : 0;
        double ns = 1.0 - nd;
        return none || ns >= cutoff ? ns : 0.0;
    }
    }
}

double hp__metric_from_distance(const hp_scorer *sc, uint64_t d, size_t la, size_t lb,
                                double cutoff) {
    return finish(sc->measure, cutoff, (double)d, (double)metric_max(sc, la, lb));
}

double hp__metric_from_lcs(const hp_scorer *sc, size_t lcs, size_t la, size_t lb,
                           double cutoff) {
    uint64_t m = metric_max(sc, la, lb);
    uint64_t d = sc->id == HP_METRIC_INDEL ? (uint64_t)la + lb - 2 * (uint64_t)lcs : m - lcs;
    return finish(sc->measure, cutoff, (double)d, (double)m);
}

hp_status hp__metric_score(double *out, const hp_scorer *sc, const hp__prep *prep,
                           const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                           double cutoff) {
    const hp__pm *pm = prep ? &((const metric_prep *)prep)->pm : NULL;
    int measure = sc->measure;
    if (sc->id == HP_METRIC_JARO || sc->id == HP_METRIC_JARO_WINKLER) {
        /* similarity-valued: distance = 1 - sim; normalized == plain */
        bool sim_measure = measure == HP_SIMILARITY || measure == HP_NORMALIZED_SIMILARITY;
        double min = 0.0;
        if (!isnan(cutoff)) min = sim_measure ? cutoff : 1.0 - cutoff - 1e-12;
        if (min < 0) min = 0;
        double sim = 0;
        if (sc->id == HP_METRIC_JARO)
            HP_FORWARD_IF_ERROR(hp__jaro(&sim, a, la, b, lb, min, pm));
        else
            HP_FORWARD_IF_ERROR(
                hp__jaro_winkler(&sim, a, la, b, lb, sc->prefix_weight, min, pm));
        if (sim_measure) {
            *out = isnan(cutoff) || sim >= cutoff ? sim : 0.0;
        } else {
            double dist = 1.0 - sim;
            *out = isnan(cutoff) || dist <= cutoff ? dist : 1.0;
        }
        return HP_OK;
    }
    if (sc->id == HP_METRIC_HAMMING && !sc->pad && la != lb)
        return hp__fail(HP_EINVAL, "Hamming without pad needs equal lengths, got %zu and %zu", la,
                        lb);
    uint64_t m = metric_max(sc, la, lb);
    uint64_t bound = distance_bound(measure, cutoff, m);
    uint64_t d = 0;
    HP_FORWARD_IF_ERROR(raw_distance(&d, sc, pm, a, la, b, lb, m, bound));
    if (d > bound) d = bound == UINT64_MAX ? d : bound + 1; /* known to fail the cutoff */
    *out = finish(measure, cutoff, (double)d, (double)m);
    return HP_OK;
}
