/*
 * lib/fuzzy/osa.c — optimal string alignment distance (restricted Damerau-Levenshtein,
 * rapidfuzz.distance.OSA) and unrestricted Damerau-Levenshtein
 * (rapidfuzz.distance.DamerauLevenshtein), unit costs.
 *
 * OSA — Hyyrö's bit-parallel algorithm (H. Hyyrö, "A bit-vector algorithm for computing
 * Levenshtein and Damerau edit distances", Nordic J. Computing 10(1), 2003): Myers'
 * column encoding of the DP matrix (vertical deltas VP/VN, one bit per row) plus a
 * transposition vector TR = ((~D0' & PM[b_j]) << 1) & PM[b_(j-1)] that marks the rows
 * where the diagonal-by-two step a[i-1..i] = b[j]b[j-1] applies. One column costs O(1)
 * word operations when the pattern has at most 64 elements; longer patterns run the
 * blocked form (Myers 1999), the horizontal deltas and the TR bit carried between
 * words, O(ceil(n / 64) * m). A common prefix and suffix are removed first: the DP
 * cost of matching elements is 0 and no cheaper alignment crosses them (this is what
 * RapidFuzz does; checked by the tests against a plain DP). The shorter side is the
 * pattern; the query's prebuilt hp__pm is used when that side is a.
 *
 * Damerau-Levenshtein — the O(N*M)-time, O(M)-space algorithm of Zhao and Sahni
 * ("String correction using the Damerau-Levenshtein distance", BMC Bioinformatics 20,
 * 2019). Lowrance and Wagner's recurrence allows a transposition between the current
 * cell (i, j) and the last row k < i with a[k] == b[j] and last column l < j with
 * b[l] == a[i], at cost D[k-1][l-1] + (i-k-1) + 1 + (j-l-1); Zhao and Sahni show that
 * only l == j-1 or k == i-1 can beat the plain edits, so each cell needs just two
 * remembered values: FR[j] = D[k-1][j-2] saved when row k matched column j, and
 * T = D[i-2][l-1] saved when column l matched in this row. The last row of each
 * element of a is a 256-entry table below 256 and a small hash map above. There is no
 * known bit-parallel form of the unrestricted distance.
 */
#include <string.h>

#include "fuzzy_internal.h"
#include "internal/common.h"
#include "pm_small.h"

static void strip_affix(const uint32_t **a, size_t *la, const uint32_t **b, size_t *lb,
                        bool prefix) {
    size_t n = *la < *lb ? *la : *lb, p = 0, s = 0;
    if (prefix) {
        while (p < n && (*a)[p] == (*b)[p]) p++;
        *a += p, *b += p, *la -= p, *lb -= p, n -= p;
    }
    while (s < n && (*a)[*la - 1 - s] == (*b)[*lb - 1 - s]) s++;
    *la -= s, *lb -= s;
}

/* ---------------------------------------------------------------- OSA, one word */

/* One column step of Hyyrö's OSA recurrence on a single word; updates the state and
 * returns the change of the last row's value (-1, 0, +1). */
typedef struct osa_word {
    uint64_t vp, vn, d0, pm_prev, last;
} osa_word;

static inline int osa_step(osa_word *s, uint64_t pmj) {
    uint64_t tr = ((~s->d0 & pmj) << 1) & s->pm_prev;
    uint64_t d0 = (((pmj & s->vp) + s->vp) ^ s->vp) | pmj | s->vn | tr;
    uint64_t hp = s->vn | ~(d0 | s->vp);
    uint64_t hn = d0 & s->vp;
    int delta = (int)((hp & s->last) != 0) - (int)((hn & s->last) != 0); /* no branch */
    hp = (hp << 1) | 1;
    hn <<= 1;
    s->vp = hn | ~(d0 | hp);
    s->vn = hp & d0;
    s->d0 = d0;
    s->pm_prev = pmj;
    return delta;
}

static inline osa_word osa_word_init(size_t n) {
    osa_word s = {~(uint64_t)0, 0, 0, 0, (uint64_t)1 << (n - 1)};
    return s;
}

/* Pattern p[0..n), 1 <= n <= 64, against text t[0..m). */
static size_t osa_small(const uint32_t *p, size_t n, const uint32_t *t, size_t m, size_t max) {
    hp__pm1 spare;
    hp__pm1 *pm = hp__pm1_begin(&spare, p, n); /* a direct table for values below 256 */
    osa_word s = osa_word_init(n);
    size_t dist = n;
    for (size_t j = 0; j < m; j++) {
        dist += (size_t)(ptrdiff_t)osa_step(&s, hp__pm1_get(pm, t[j]));
        if (dist > max && dist - max > m - 1 - j) {
            dist = max + 1;
            break;
        }
    }
    hp__pm1_end(pm, p, n);
    return dist;
}

/* The same with the query's match vectors (built from the whole of a, la <= 64);
 * the pattern is a[off .. off + n), so the words are shifted down by off. */
static size_t osa_small_pm(const hp__pm *pm, size_t off, size_t n, const uint32_t *t, size_t m,
                           size_t max) {
    osa_word s = osa_word_init(n);
    size_t dist = n;
    for (size_t j = 0; j < m; j++) {
        dist += (size_t)(ptrdiff_t)osa_step(&s, hp__pm_get(pm, t[j])[0] >> off);
        if (dist > max && dist - max > m - 1 - j) return max + 1;
    }
    return dist;
}

/* ---------------------------------------------------------------- OSA, blocked */

/* Pattern of n > 64 elements given by pm (only its first n bits are used: higher rows
 * never influence lower ones), against text t[0..m). */
static hp_status osa_blocked(size_t *out, const hp__pm *pm, size_t n, const uint32_t *t, size_t m,
                             size_t max) {
    size_t words = (n + 63) / 64;
    uint64_t *st = hp__malloc(4 * words * sizeof(uint64_t));
    HP_RETURN_IF(st == NULL, HP_ENOMEM, "no memory for OSA of %zu and %zu elements", n, m);
    uint64_t *vp = st, *vn = st + words, *d0v = st + 2 * words, *pmp = st + 3 * words;
    for (size_t w = 0; w < words; w++) vp[w] = ~(uint64_t)0, vn[w] = d0v[w] = pmp[w] = 0;
    uint64_t last = (uint64_t)1 << ((n - 1) % 64);
    size_t dist = n;
    for (size_t j = 0; j < m; j++) {
        const uint64_t *pmj = hp__pm_get(pm, t[j]);
        uint64_t hp_carry = 1, hn_carry = 0, tr_carry = 0;
        for (size_t w = 0; w < words; w++) {
            uint64_t x = pmj[w];
            uint64_t fresh = ~d0v[w] & x; /* rows where this column can start a swap */
            uint64_t tr = ((fresh << 1) | tr_carry) & pmp[w];
            tr_carry = fresh >> 63;
            x |= hn_carry;
            uint64_t d0 = (((x & vp[w]) + vp[w]) ^ vp[w]) | x | vn[w] | tr;
            uint64_t hp = vn[w] | ~(d0 | vp[w]);
            uint64_t hn = d0 & vp[w];
            if (w == words - 1) dist = dist + ((hp & last) != 0) - ((hn & last) != 0);
            uint64_t hp_out = hp >> 63, hn_out = hn >> 63;
            hp = (hp << 1) | hp_carry;
            hn = (hn << 1) | hn_carry;
            hp_carry = hp_out, hn_carry = hn_out;
            vp[w] = hn | ~(d0 | hp);
            vn[w] = hp & d0;
            d0v[w] = d0;
            pmp[w] = pmj[w];
        }
        if (dist > max && dist - max > m - 1 - j) {
            dist = max + 1;
            break;
        }
    }
    hp__free(st);
    *out = dist;
    return HP_OK;
}

hp_status hp__osa(size_t *out, const hp__pm *pm, const uint32_t *a, size_t la, const uint32_t *b,
                  size_t lb, size_t max) {
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > max) {
        *out = max + 1;
        return HP_OK;
    }
    /* The query's blocked vectors describe a from its first element: keep the prefix. */
    bool keep_prefix = pm != NULL && pm->words > 1 && la > 64;
    const uint32_t *a0 = a;
    strip_affix(&a, &la, &b, &lb, !keep_prefix);
    if (la == 0 || lb == 0) {
        *out = la + lb;
        return HP_OK;
    }
    if (la <= 64 && pm != NULL && pm->words == 1) {
        *out = osa_small_pm(pm, (size_t)(a - a0), la, b, lb, max);
    } else if (la <= 64 || lb <= 64) {
        *out = la <= lb ? osa_small(a, la, b, lb, max) : osa_small(b, lb, a, la, max);
    } else if (keep_prefix) {
        HP_FORWARD_IF_ERROR(osa_blocked(out, pm, la, b, lb, max));
    } else {
        const uint32_t *p = a, *t = b;
        size_t n = la, m = lb;
        if (m < n) p = b, t = a, n = lb, m = la;
        hp__pm local;
        HP_FORWARD_IF_ERROR(hp__pm_build(&local, p, n));
        hp_status st = osa_blocked(out, &local, n, t, m, max);
        hp__pm_release(&local);
        HP_FORWARD_IF_ERROR(st);
    }
    if (*out > max) *out = max + 1;
    return HP_OK;
}

/* ---------------------------------------------------------------- Damerau-Levenshtein */

/* Last row (1-based, 0 = none yet) in which each value occurred in a. */
typedef struct last_row {
    size_t low[256];
    size_t cap; /* power of two, 0 when a has no value >= 256 */
    uint32_t *keys;
    size_t *rows; /* 0 = empty slot */
} last_row;

static size_t last_row_slot(const last_row *lr, uint32_t c) {
    size_t mask = lr->cap - 1;
    size_t k = (size_t)((c * 0x9E3779B1u) >> 7) & mask;
    while (lr->rows[k] && lr->keys[k] != c) k = (k + 1) & mask;
    return k;
}

static inline size_t last_row_get(const last_row *lr, uint32_t c) {
    if (c < 256) return lr->low[c];
    if (lr->cap == 0) return 0;
    return lr->rows[last_row_slot(lr, c)];
}

static inline void last_row_set(last_row *lr, uint32_t c, size_t row) {
    if (c < 256) {
        lr->low[c] = row;
        return;
    }
    size_t k = last_row_slot(lr, c);
    lr->keys[k] = c;
    lr->rows[k] = row;
}

static size_t min3(size_t x, size_t y, size_t z) {
    size_t m = x < y ? x : y;
    return m < z ? m : z;
}

hp_status hp__damerau(size_t *out, const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                      size_t max) {
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > max) {
        *out = max + 1;
        return HP_OK;
    }
    strip_affix(&a, &la, &b, &lb, true);
    if (la == 0 || lb == 0) {
        *out = la + lb;
        return HP_OK;
    }
    if (lb > la) { /* rows over the longer side, the short one spans the columns */
        const uint32_t *tp = a;
        a = b, b = tp;
        size_t tl = la;
        la = lb, lb = tl;
    }
    size_t high = 0;
    for (size_t i = 0; i < la; i++) high += a[i] >= 256;
    size_t cap = 0;
    if (high) {
        cap = 8;
        while (cap < 2 * high) cap *= 2;
    }
    /* One block: three rows of lb + 2 cells, then the map. */
    size_t cells, bytes;
    if (!hp__mul_size(lb + 2, 3, &cells) || !hp__add_size(cells, cap, &cells) ||
        !hp__mul_size(cells, sizeof(size_t), &bytes) ||
        !hp__add_size(bytes, cap * sizeof(uint32_t), &bytes) || la > SIZE_MAX / 4)
        return hp__fail(HP_EOVERFLOW, "Damerau-Levenshtein of %zu and %zu elements", la, lb);
    size_t *mem = hp__malloc(bytes);
    HP_RETURN_IF(mem == NULL, HP_ENOMEM, "no memory for Damerau-Levenshtein of %zu and %zu elements",
                 la, lb);
    last_row *lr = hp__malloc(sizeof *lr);
    if (lr == NULL) {
        hp__free(mem);
        return hp__fail(HP_ENOMEM, "no memory for Damerau-Levenshtein");
    }
    memset(lr->low, 0, sizeof lr->low);
    lr->cap = cap;
    lr->rows = mem + cells - cap;
    lr->keys = (uint32_t *)(mem + cells);
    if (cap) memset(lr->rows, 0, cap * sizeof(size_t));

    /* Rows hold columns -1..lb at indexes 0..lb+1; column -1 and row -1 are "infinite". */
    const size_t inf = la + lb + 1;
    size_t *cur = mem, *prev = mem + (lb + 2), *fr = mem + 2 * (lb + 2);
    for (size_t j = 0; j < lb + 2; j++) cur[j] = fr[j] = inf; /* row -1 */
    prev[0] = inf;
    for (size_t j = 0; j <= lb; j++) prev[j + 1] = j; /* row 0 */

    for (size_t i = 1; i <= la; i++) {
        uint32_t ai = a[i - 1];
        size_t older = cur[1]; /* D[i-2][j-1] as column j is reached */
        cur[0] = inf;
        cur[1] = i;
        size_t t = inf, l = 0; /* D[i-2][l-1] and l, for the last column l matching ai */
        for (size_t j = 1; j <= lb; j++) {
            uint32_t bj = b[j - 1];
            size_t next_older = cur[j + 1];
            size_t v;
            if (ai == bj) {
                v = prev[j]; /* a match never loses to the alternatives */
                l = j;
                fr[j] = prev[j - 1];
                t = older;
            } else {
                v = min3(prev[j], prev[j + 1], cur[j]) + 1;
                size_t k = last_row_get(lr, bj);
                if (j - l == 1) {
                    size_t tv = fr[j] + (i - k);
                    if (tv < v) v = tv;
                } else if (i - k == 1) {
                    size_t tv = t + (j - l);
                    if (tv < v) v = tv;
                }
            }
            older = next_older;
            cur[j + 1] = v;
        }
        last_row_set(lr, ai, i);
        size_t *tmp = prev;
        prev = cur;
        cur = tmp;
    }
    size_t d = prev[lb + 1];
    hp__free(lr);
    hp__free(mem);
    *out = d > max ? max + 1 : d;
    return HP_OK;
}
