/*
 * lib/fuzzy/levenshtein.c — weighted Levenshtein distance and edit scripts.
 *
 * Interim version: Wagner–Fischer dynamic programming (O(la*lb) time, O(la) space for
 * the distance, O(la*lb) for editops). The bit-parallel kernels replace it shortly.
 */
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"

static uint64_t min3(uint64_t x, uint64_t y, uint64_t z) {
    uint64_t m = x < y ? x : y;
    return m < z ? m : z;
}

hp_status hp__levenshtein(uint64_t *out, const hp__pm *pm, const uint32_t *a, size_t la,
                          const uint32_t *b, size_t lb, const uint64_t w[3], uint64_t max) {
    (void)pm;
    (void)max;
    uint64_t ins = w[0], del = w[1], sub = w[2];
    uint64_t *col = hp__malloc((la + 1) * sizeof(uint64_t));
    HP_RETURN_IF(!col, HP_ENOMEM, "no memory for Levenshtein of %zu x %zu elements", la, lb);
    for (size_t i = 0; i <= la; i++) col[i] = i * del;
    for (size_t j = 0; j < lb; j++) {
        uint64_t diag = col[0];
        col[0] += ins;
        for (size_t i = 0; i < la; i++) {
            uint64_t x = diag;
            if (a[i] != b[j]) x = min3(col[i] + del, col[i + 1] + ins, diag + sub);
            diag = col[i + 1];
            col[i + 1] = x;
        }
    }
    *out = col[la];
    hp__free(col);
    return HP_OK;
}

hp_status hp__editops(hp_editop **out, size_t *out_count, int metric, const uint32_t *a,
                      size_t la, const uint32_t *b, size_t lb) {
    *out = NULL;
    *out_count = 0;
    bool lev = metric == HP_METRIC_LEVENSHTEIN;
    size_t pre = 0;
    while (pre < la && pre < lb && a[pre] == b[pre]) pre++;
    size_t suf = 0;
    while (suf < la - pre && suf < lb - pre && a[la - 1 - suf] == b[lb - 1 - suf]) suf++;
    a += pre;
    b += pre;
    la -= pre + suf;
    lb -= pre + suf;
    size_t cells;
    HP_RETURN_IF(!hp__mul_size(la + 1, lb + 1, &cells) || cells > SIZE_MAX / 8, HP_EOVERFLOW,
                 "editops of %zu x %zu elements are too large", la, lb);
    /* D[j][i]: distance of a[0..i) to b[0..j) */
    uint64_t *D = hp__malloc(cells * sizeof(uint64_t));
    HP_RETURN_IF(!D, HP_ENOMEM, "no memory for editops of %zu x %zu elements", la, lb);
#define D_(i, j) D[(size_t)(j) * (la + 1) + (i)]
    for (size_t i = 0; i <= la; i++) D_(i, 0) = i;
    for (size_t j = 1; j <= lb; j++) {
        D_(0, j) = j;
        for (size_t i = 1; i <= la; i++) {
            uint64_t x = D_(i - 1, j - 1);
            if (a[i - 1] != b[j - 1])
                x = lev ? 1 + min3(D_(i - 1, j), D_(i, j - 1), x)
                        : 1 + (D_(i - 1, j) < D_(i, j - 1) ? D_(i - 1, j) : D_(i, j - 1));
            D_(i, j) = x;
        }
    }
    size_t dist = (size_t)D_(la, lb);
    hp_status st = HP_OK;
    if (dist) {
        hp_editop *ops = hp__malloc(dist * sizeof *ops);
        if (!ops) {
            st = hp__fail(HP_ENOMEM, "no memory for %zu edit operations", dist);
        } else {
            size_t col = la, row = lb, k = dist;
#define PUT(t, s, d) (ops[--k] = (hp_editop){(t), 0, (uint64_t)(s) + pre, (uint64_t)(d) + pre})
            while (row && col) {
                if (D_(col, row) == D_(col - 1, row) + 1) {
                    col--;
                    PUT(HP_EDIT_DELETE, col, row);
                } else {
                    row--;
                    if (row && D_(col, row) + 1 == D_(col - 1, row)) {
                        PUT(HP_EDIT_INSERT, col, row);
                    } else {
                        col--;
                        if (a[col] != b[row]) PUT(HP_EDIT_REPLACE, col, row);
                    }
                }
            }
            while (col) { col--; PUT(HP_EDIT_DELETE, col, row); }
            while (row) { row--; PUT(HP_EDIT_INSERT, col, row); }
#undef PUT
            *out = ops;
            *out_count = dist;
        }
    }
#undef D_
    hp__free(D);
    return st;
}
