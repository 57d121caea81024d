/*
 * lib/fuzzy/pm_small.h — pattern-match words of a sequence of at most 64 elements,
 * built on the stack in O(n) (no 256-entry table to clear, no allocation): for short
 * pairs the cost of building hp__pm would dominate the kernel itself.
 *
 * A linear-probing table with at least twice as many slots as elements, keyed by a
 * multiplicative hash of the element; an empty slot has bits == 0 (every stored element
 * sets at least one bit). Used by jaro.c and osa.c.
 */
#ifndef HOTPATH_FUZZY_PM_SMALL_H
#define HOTPATH_FUZZY_PM_SMALL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct hp__pm64 {
    unsigned shift; /* 32 - log2(slots) */
    uint32_t mask;  /* slots - 1 */
    uint32_t keys[128];
    uint64_t bits[128];
} hp__pm64;

static inline uint32_t hp__pm64_slot(const hp__pm64 *t, uint32_t c) {
    uint32_t k = (uint32_t)(c * 0x9E3779B1u) >> t->shift;
    while (t->bits[k] && t->keys[k] != c) k = (k + 1) & t->mask;
    return k;
}

/* Build from s[0..n), n <= 64: bit i of the word of value c is set where s[i] == c. */
static inline void hp__pm64_build(hp__pm64 *t, const uint32_t *s, size_t n) {
    unsigned log = 4;
    while (((size_t)1 << log) < 2 * n) log++;
    t->shift = 32 - log;
    t->mask = ((uint32_t)1 << log) - 1;
    memset(t->bits, 0, ((size_t)1 << log) * sizeof t->bits[0]);
    for (size_t i = 0; i < n; i++) {
        uint32_t k = hp__pm64_slot(t, s[i]);
        t->keys[k] = s[i];
        t->bits[k] |= (uint64_t)1 << i;
    }
}

static inline uint64_t hp__pm64_get(const hp__pm64 *t, uint32_t c) {
    return t->bits[hp__pm64_slot(t, c)];
}

#endif /* HOTPATH_FUZZY_PM_SMALL_H */
