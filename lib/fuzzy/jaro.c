/* lib/fuzzy/jaro.c — Jaro and Jaro-Winkler (simple flag-array version; bit-parallel soon). */
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"

static double jaro_formula(size_t la, size_t lb, size_t m, size_t t) {
    double sim = 0;
    sim += (double)m / (double)la;
    sim += (double)m / (double)lb;
    sim += ((double)m - (double)(t / 2)) / (double)m;
    return sim / 3.0;
}

hp_status hp__jaro(double *out, const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                   double min) {
    (void)min;
    *out = 0;
    if (la == 0 && lb == 0) {
        *out = 1.0;
        return HP_OK;
    }
    if (la == 0 || lb == 0) return HP_OK;
    if (la == 1 && lb == 1) {
        *out = a[0] == b[0];
        return HP_OK;
    }
    size_t big = la > lb ? la : lb;
    size_t bound = big / 2 - 1;
    size_t bytes = la + lb;
    uint8_t *flags = hp__malloc(bytes);
    HP_RETURN_IF(flags == NULL, HP_ENOMEM, "no memory for Jaro flags");
    memset(flags, 0, bytes);
    uint8_t *fa = flags, *fb = flags + la;
    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > bound ? i - bound : 0;
        size_t hi = i + bound < lb - 1 ? i + bound : lb - 1;
        for (size_t j = lo; j <= hi; j++) {
            if (!fb[j] && b[j] == a[i]) {
                fa[i] = fb[j] = 1;
                m++;
                break;
            }
        }
    }
    size_t t = 0;
    if (m) {
        size_t k = 0;
        for (size_t i = 0; i < la; i++) {
            if (!fa[i]) continue;
            while (!fb[k]) k++;
            t += a[i] != b[k];
            k++;
        }
        *out = jaro_formula(la, lb, m, t);
    }
    hp__free(flags);
    return HP_OK;
}

hp_status hp__jaro_winkler(double *out, const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                           double prefix_weight, double min) {
    double sim = 0;
    HP_FORWARD_IF_ERROR(hp__jaro(&sim, a, la, b, lb, min));
    size_t n = la < lb ? la : lb;
    if (n > 4) n = 4;
    size_t p = 0;
    while (p < n && a[p] == b[p]) p++;
    if (sim > 0.7) {
        sim += (double)p * prefix_weight * (1.0 - sim);
        if (sim > 1.0) sim = 1.0;
    }
    *out = sim;
    return HP_OK;
}
