/* lib/fuzzy/osa.c — OSA and Damerau-Levenshtein (simple DP versions; fast ones soon). */
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"

static size_t min3(size_t x, size_t y, size_t z) {
    size_t m = x < y ? x : y;
    return m < z ? m : z;
}

hp_status hp__osa(size_t *out, const hp__pm *pm, const uint32_t *a, size_t la, const uint32_t *b,
                  size_t lb, size_t max) {
    (void)pm; (void)max;
    size_t w = lb + 1, cells;
    HP_RETURN_IF(!hp__mul_size(w, 3 * sizeof(size_t), &cells), HP_EOVERFLOW, "OSA too long");
    size_t *rows = hp__malloc(cells);
    HP_RETURN_IF(rows == NULL, HP_ENOMEM, "no memory for OSA");
    size_t *r2 = rows, *r1 = rows + w, *r0 = rows + 2 * w;
    for (size_t j = 0; j <= lb; j++) r1[j] = j;
    for (size_t i = 1; i <= la; i++) {
        r0[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t c = min3(r1[j] + 1, r0[j - 1] + 1, r1[j - 1] + (a[i - 1] != b[j - 1]));
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && r2[j - 2] + 1 < c)
                c = r2[j - 2] + 1;
            r0[j] = c;
        }
        size_t *tmp = r2; r2 = r1; r1 = r0; r0 = tmp;
    }
    *out = r1[lb];
    hp__free(rows);
    return HP_OK;
}

hp_status hp__damerau(size_t *out, const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                      size_t max) {
    (void)max;
    /* Lowrance-Wagner full matrix with a linear last-row scan (simple version). */
    size_t W = lb + 2, H = la + 2, cells;
    HP_RETURN_IF(!hp__mul_size(W, H, &cells) || !hp__mul_size(cells, sizeof(size_t), &cells),
                 HP_EOVERFLOW, "Damerau too long");
    size_t *d = hp__malloc(cells);
    HP_RETURN_IF(d == NULL, HP_ENOMEM, "no memory for Damerau");
    size_t inf = la + lb;
#define D(i, j) d[(size_t)(i) * W + (size_t)(j)]
    D(0, 0) = inf;
    for (size_t i = 0; i <= la; i++) { D(i + 1, 0) = inf; D(i + 1, 1) = i; }
    for (size_t j = 0; j <= lb; j++) { D(0, j + 1) = inf; D(1, j + 1) = j; }
    for (size_t i = 1; i <= la; i++) {
        size_t db = 0;
        for (size_t j = 1; j <= lb; j++) {
            size_t i1 = 0;
            for (size_t k = i - 1; k >= 1; k--)
                if (a[k - 1] == b[j - 1]) { i1 = k; break; }
            size_t j1 = db;
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            if (!cost) db = j;
            size_t c = min3(D(i, j) + cost, D(i + 1, j) + 1, D(i, j + 1) + 1);
            size_t tr = D(i1, j1) + (i - i1 - 1) + 1 + (j - j1 - 1);
            D(i + 1, j + 1) = tr < c ? tr : c;
        }
    }
    *out = D(la + 1, lb + 1);
#undef D
    hp__free(d);
    return HP_OK;
}
