/*
 * Substring and byte-set search: hand-checked cases with Python's answers
 * (bytes.find/rfind/count, and the overlapping count), needles moved across the 32- and
 * 64-byte blocks of the AVX2 kernels, random haystacks over small alphabets against a
 * naive reference at every SIMD level, adversarial periodic needles (which push the
 * search from the prefilter to Two-Way), find-all into caller buffers and library
 * allocations, and every error path. Haystacks are heap blocks of exactly their length,
 * so a read past the end shows under AddressSanitizer and valgrind.
 */
#include "internal/common.h"
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Check's ck_assert records every passing assertion; loops only report failures. */
#define EXPECT(cond, ...)                                \
    do {                                                 \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);          \
    } while (0)

#define NOT_FOUND (-1)

/* ------------------------------------------------------------------ helpers */

static hp_simd initial_level;
static int levels[HP_SIMD_NEON + 1];
static int level_count;

/* Every level this machine can run, scalar first; the level in force is saved. */
static void setup_levels(void) {
    initial_level = hp_simd_level();
    level_count = 0;
    for (int l = HP_SIMD_SCALAR; l <= HP_SIMD_NEON; l++) {
        if (hp_simd_set_level(l) == HP_OK) levels[level_count++] = l;
    }
    ck_assert_int_eq(hp_simd_set_level(initial_level), HP_OK);
    ck_assert_int_ge(level_count, 1);
}

static void use_level(int level) {
    EXPECT(hp_simd_set_level(level) == HP_OK, "cannot set SIMD level %d", level);
}

static void restore_level(void) { ck_assert_int_eq(hp_simd_set_level(initial_level), HP_OK); }

/* A heap copy of exactly n bytes (at least one byte allocated; never NUL-terminated). */
static char *exact_copy(const void *src, size_t n) {
    char *p = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(p);
    if (n) memcpy(p, src, n);
    return p;
}

/* splitmix64: deterministic, so failures reproduce. */
static uint64_t rng_next(uint64_t *state) {
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}
static size_t rng_below(uint64_t *state, size_t n) { return (size_t)(rng_next(state) % n); }

/* ------------------------------------------------------------------ naive reference */

static bool match_at(const char *h, const char *n, size_t nlen, size_t i) {
    for (size_t k = 0; k < nlen; k++) {
        if (h[i + k] != n[k]) return false;
    }
    return true;
}

/* Python's bytes.find / bytes.rfind / bytes.count, and the overlapping count. */
static int64_t ref_find(const char *h, size_t hlen, const char *n, size_t nlen) {
    for (size_t i = 0; i + nlen <= hlen; i++) {
        if (match_at(h, n, nlen, i)) return (int64_t)i;
    }
    return NOT_FOUND;
}

static int64_t ref_rfind(const char *h, size_t hlen, const char *n, size_t nlen) {
    if (nlen > hlen) return NOT_FOUND;
    for (size_t i = hlen - nlen + 1; i > 0; i--) {
        if (match_at(h, n, nlen, i - 1)) return (int64_t)(i - 1);
    }
    return NOT_FOUND;
}

/* All occurrences into out (if not NULL); returns how many. */
static size_t ref_all(int64_t *out, const char *h, size_t hlen, const char *n, size_t nlen,
                      bool overlapping) {
    size_t count = 0;
    for (size_t i = 0; i + nlen <= hlen;) {
        if (match_at(h, n, nlen, i)) {
            if (out) out[count] = (int64_t)i;
            count++;
            i += overlapping || nlen == 0 ? 1 : nlen;
        } else {
            i++;
        }
    }
    return count;
}

static int64_t ref_find_set(const char *h, size_t hlen, const char *set, size_t slen,
                            bool last) {
    int64_t found = NOT_FOUND;
    for (size_t i = 0; i < hlen; i++) {
        if (slen && memchr(set, h[i], slen) != NULL) {
            found = (int64_t)i;
            if (!last) break;
        }
    }
    return found;
}

/* ------------------------------------------------------------------ checking */

/* find, rfind, both counts and both find-alls of n in h at the current level against
 * the reference; `what` names the input in failure messages. */
static void check_search(const char *h, size_t hlen, const char *n, size_t nlen,
                         const char *what) {
    const char *lv = hp_simd_name(hp_simd_level());
    int64_t pos = 12345;
    uint64_t count = 12345;
    EXPECT(hp_find(&pos, h, hlen, n, nlen) == HP_OK, "%s: find failed", what);
    int64_t want = ref_find(h, hlen, n, nlen);
    EXPECT(pos == want, "%s [%s]: find %lld, expected %lld", what, lv, (long long)pos,
           (long long)want);
    EXPECT(hp_rfind(&pos, h, hlen, n, nlen) == HP_OK, "%s: rfind failed", what);
    want = ref_rfind(h, hlen, n, nlen);
    EXPECT(pos == want, "%s [%s]: rfind %lld, expected %lld", what, lv, (long long)pos,
           (long long)want);
    for (int ov = 0; ov < 2; ov++) {
        size_t expect = ref_all(NULL, h, hlen, n, nlen, ov);
        EXPECT(hp_count(&count, h, hlen, n, nlen, ov) == HP_OK, "%s: count failed", what);
        EXPECT(count == expect, "%s [%s]: count(overlapping=%d) %llu, expected %zu", what, lv,
               ov, (unsigned long long)count, expect);
        size_t cap = hp_find_all_bound(hlen, nlen);
        EXPECT(expect <= cap, "%s: bound %zu below %zu matches", what, cap, expect);
        int64_t *got = malloc((cap ? cap : 1) * sizeof *got);
        int64_t *ref = malloc((expect ? expect : 1) * sizeof *ref);
        ck_assert_ptr_nonnull(got);
        ck_assert_ptr_nonnull(ref);
        ref_all(ref, h, hlen, n, nlen, ov);
        size_t written = 0;
        EXPECT(hp_find_all(got, cap, &written, h, hlen, n, nlen, ov) == HP_OK,
               "%s: find_all failed: %s", what, hp_last_error_message());
        EXPECT(written == expect && (expect == 0 || memcmp(got, ref, expect * 8) == 0),
               "%s [%s]: find_all(overlapping=%d) wrote %zu offsets, expected %zu", what, lv,
               ov, written, expect);
        free(got);
        free(ref);
    }
}

static void check_search_all_levels(const char *h, size_t hlen, const char *n, size_t nlen,
                                    const char *what) {
    for (int l = 0; l < level_count; l++) {
        use_level(levels[l]);
        check_search(h, hlen, n, nlen, what);
    }
}

static void check_set(const char *h, size_t hlen, const char *set, size_t slen,
                      const char *what) {
    const char *lv = hp_simd_name(hp_simd_level());
    int64_t pos = 12345;
    EXPECT(hp_find_byteset(&pos, h, hlen, set, slen) == HP_OK, "%s: find_byteset failed", what);
    int64_t want = ref_find_set(h, hlen, set, slen, false);
    EXPECT(pos == want, "%s [%s]: find_byteset %lld, expected %lld", what, lv, (long long)pos,
           (long long)want);
    EXPECT(hp_rfind_byteset(&pos, h, hlen, set, slen) == HP_OK, "%s: rfind_byteset failed",
           what);
    want = ref_find_set(h, hlen, set, slen, true);
    EXPECT(pos == want, "%s [%s]: rfind_byteset %lld, expected %lld", what, lv,
           (long long)pos, (long long)want);
}

/* ------------------------------------------------------------------ fixed cases */

typedef struct search_case {
    const char *h;
    size_t hlen;
    const char *n;
    size_t nlen;
    int64_t find, rfind;
    uint64_t count, count_overlapping;
} search_case;

#define CASE(h, n, f, r, c, co) {h, sizeof(h) - 1, n, sizeof(n) - 1, f, r, c, co}

/* Expected values are Python's: bytes.find, bytes.rfind, bytes.count, and
 * len(re.findall(b"(?=" + re.escape(n) + b")", h)) for the overlapping count. */
static const search_case cases[] = {
    CASE("", "", 0, 0, 1, 1),
    CASE("abc", "", 0, 3, 4, 4),
    CASE("", "a", -1, -1, 0, 0),
    CASE("ab", "abc", -1, -1, 0, 0),
    CASE("abc", "abc", 0, 0, 1, 1),
    CASE("aaaaa", "aaa", 0, 2, 1, 3),
    CASE("aaaaaa", "aa", 0, 4, 3, 5),
    CASE("abababa", "aba", 0, 4, 2, 3),
    CASE("hello world", "o", 4, 7, 2, 2),
    CASE("hello world", "world", 6, 6, 1, 1),
    CASE("hello world", "hello", 0, 0, 1, 1),
    CASE("hello world", "worlds", -1, -1, 0, 0),
    CASE("hello world", "lo w", 3, 3, 1, 1),
    CASE("xaab", "ab", 2, 2, 1, 1),
    CASE("a\0b\0a\0b", "\0", 1, 5, 3, 3),
    CASE("a\0b\0a\0b", "b\0a", 2, 2, 1, 1),
    CASE("a\0b\0a\0b", "a\0b", 0, 4, 2, 2),
    CASE("\xff\xfe\xff\xfe\xff", "\xff\xfe\xff", 0, 2, 1, 2),
    CASE("caf\xc3\xa9 caf\xc3\xa9", "\xc3\xa9", 3, 9, 2, 2),
    CASE("abcabcabc", "cab", 2, 5, 2, 2),
    CASE("mississippi", "issi", 1, 4, 1, 2),
    CASE("mississippi", "ss", 2, 5, 2, 2),
    CASE("mississippi", "i", 1, 10, 4, 4),
};
#define NCASES (sizeof cases / sizeof cases[0])

START_TEST(test_find__python_semantics_on_every_level) {
    setup_levels();
    for (int l = 0; l < level_count; l++) {
        use_level(levels[l]);
        for (size_t c = 0; c < NCASES; c++) {
            const search_case *k = &cases[c];
            char *h = exact_copy(k->h, k->hlen), *n = exact_copy(k->n, k->nlen);
            int64_t pos;
            uint64_t count;
            ck_assert_int_eq(hp_find(&pos, h, k->hlen, n, k->nlen), HP_OK);
            EXPECT(pos == k->find, "case %zu: find %lld", c, (long long)pos);
            ck_assert_int_eq(hp_rfind(&pos, h, k->hlen, n, k->nlen), HP_OK);
            EXPECT(pos == k->rfind, "case %zu: rfind %lld", c, (long long)pos);
            ck_assert_int_eq(hp_count(&count, h, k->hlen, n, k->nlen, 0), HP_OK);
            EXPECT(count == k->count, "case %zu: count %llu", c, (unsigned long long)count);
            ck_assert_int_eq(hp_count(&count, h, k->hlen, n, k->nlen, 1), HP_OK);
            EXPECT(count == k->count_overlapping, "case %zu: overlapping count %llu", c,
                   (unsigned long long)count);
            check_search(h, k->hlen, n, k->nlen, "fixed case");
            free(h);
            free(n);
        }
    }
    restore_level();
}
END_TEST

START_TEST(test_find__null_inputs_with_zero_length_are_empty) {
    int64_t pos = 7;
    uint64_t count = 7;
    ck_assert_int_eq(hp_find(&pos, NULL, 0, NULL, 0), HP_OK);
    ck_assert_int_eq(pos, 0);
    ck_assert_int_eq(hp_rfind(&pos, NULL, 0, NULL, 0), HP_OK);
    ck_assert_int_eq(pos, 0);
    ck_assert_int_eq(hp_find(&pos, NULL, 0, "a", 1), HP_OK);
    ck_assert_int_eq(pos, -1);
    ck_assert_int_eq(hp_rfind(&pos, "abc", 3, NULL, 0), HP_OK);
    ck_assert_int_eq(pos, 3);
    ck_assert_int_eq(hp_count(&count, NULL, 0, NULL, 0, 0), HP_OK);
    ck_assert_uint_eq(count, 1);
    ck_assert_int_eq(hp_count(&count, "abc", 3, NULL, 0, 1), HP_OK);
    ck_assert_uint_eq(count, 4);
    size_t written = 9;
    ck_assert_int_eq(hp_find_all(NULL, 0, &written, NULL, 0, "x", 1, 0), HP_OK);
    ck_assert_uint_eq(written, 0);
    ck_assert_int_eq(hp_find_byteset(&pos, NULL, 0, "a", 1), HP_OK);
    ck_assert_int_eq(pos, -1);
    ck_assert_int_eq(hp_find_byteset(&pos, "abc", 3, NULL, 0), HP_OK);
    ck_assert_int_eq(pos, -1); /* the empty set never matches */
    ck_assert_int_eq(hp_rfind_byteset(&pos, "abc", 3, NULL, 0), HP_OK);
    ck_assert_int_eq(pos, -1);
}
END_TEST

START_TEST(test_find__empty_needle_is_found_at_every_position) {
    setup_levels();
    char *h = exact_copy("hello", 5);
    int64_t offsets[6];
    size_t written = 0;
    for (int ov = 0; ov < 2; ov++) {
        ck_assert_int_eq(hp_find_all(offsets, 6, &written, h, 5, "", 0, ov), HP_OK);
        ck_assert_uint_eq(written, 6);
        for (int64_t i = 0; i < 6; i++) ck_assert_int_eq(offsets[i], i);
    }
    ck_assert_uint_eq(hp_find_all_bound(5, 0), 6);
    ck_assert_int_eq(hp_find_all(offsets, 2, &written, h, 5, "", 0, 0), HP_EBUFSIZE);
    ck_assert_uint_eq(written, 6);
    ck_assert_str_eq(hp_last_error_message(), "output needs 6 offsets, capacity 2");
    ck_assert_int_eq(offsets[0], 0);
    ck_assert_int_eq(offsets[1], 1);
    free(h);
}
END_TEST

/* ------------------------------------------------------------------ block boundaries */

/* Needles of many lengths at every position of haystacks up to 200 bytes long, alone
 * or twice, in filler that shares no byte with them: the match lands at the start, the
 * end, and across every 32- and 64-byte block edge and the overlapping last block. */
START_TEST(test_find__needle_at_every_position_across_blocks) {
    static const size_t nlens[] = {1, 2, 3, 4, 5, 7, 8, 16, 31, 32, 33, 63, 64, 65, 100};
    setup_levels();
    char nbuf[128], hbuf[512];
    for (size_t k = 0; k < sizeof nlens / sizeof nlens[0]; k++) {
        size_t nlen = nlens[k];
        for (size_t i = 0; i < nlen; i++) nbuf[i] = (char)('A' + (i * 7) % 26);
        char *n = exact_copy(nbuf, nlen);
        for (size_t hlen = nlen; hlen <= 200; hlen += (hlen < 80 ? 1 : 13)) {
            for (size_t at = 0; at + nlen <= hlen; at++) {
                memset(hbuf, 'z', hlen);
                hbuf[hlen / 2] = '\0';
                memcpy(hbuf + at, nbuf, nlen);
                /* a second copy at the end when it fits without overlapping */
                if (at + 2 * nlen <= hlen && at % 5 == 0) memcpy(hbuf + hlen - nlen, nbuf, nlen);
                char *h = exact_copy(hbuf, hlen);
                for (int l = 0; l < level_count; l++) {
                    use_level(levels[l]);
                    int64_t pos;
                    EXPECT(hp_find(&pos, h, hlen, n, nlen) == HP_OK &&
                               pos == ref_find(h, hlen, n, nlen),
                           "nlen %zu hlen %zu at %zu: find %lld", nlen, hlen, at, (long long)pos);
                    EXPECT(hp_rfind(&pos, h, hlen, n, nlen) == HP_OK &&
                               pos == ref_rfind(h, hlen, n, nlen),
                           "nlen %zu hlen %zu at %zu: rfind %lld", nlen, hlen, at, (long long)pos);
                    uint64_t count;
                    EXPECT(hp_count(&count, h, hlen, n, nlen, 1) == HP_OK &&
                               count == ref_all(NULL, h, hlen, n, nlen, true),
                           "nlen %zu hlen %zu at %zu: count %llu", nlen, hlen, at,
                           (unsigned long long)count);
                }
                free(h);
            }
        }
        free(n);
    }
    restore_level();
}
END_TEST

/* A partial match (all but the last byte, or the probe bytes only) at every position:
 * candidates that fail verification must not be reported, including in the overlapping
 * last block. */
START_TEST(test_find__near_misses_at_every_position) {
    setup_levels();
    const char needle[] = "qzXjw";
    const size_t nlen = 5;
    char hbuf[160];
    for (size_t hlen = nlen; hlen <= 150; hlen += 3) {
        for (size_t at = 0; at + nlen <= hlen; at++) {
            memset(hbuf, '.', hlen);
            memcpy(hbuf + at, needle, nlen);
            hbuf[at + (at % nlen)] = '#'; /* break one byte of it */
            char *h = exact_copy(hbuf, hlen);
            for (int l = 0; l < level_count; l++) {
                use_level(levels[l]);
                int64_t f, r;
                uint64_t c;
                EXPECT(hp_find(&f, h, hlen, needle, nlen) == HP_OK && f == -1 &&
                           hp_rfind(&r, h, hlen, needle, nlen) == HP_OK && r == -1 &&
                           hp_count(&c, h, hlen, needle, nlen, 0) == HP_OK && c == 0,
                       "hlen %zu at %zu [%s]: false match", hlen, at,
                       hp_simd_name(levels[l]));
            }
            free(h);
        }
    }
    restore_level();
}
END_TEST

/* ------------------------------------------------------------------ random inputs */

/* Haystacks over 1-4 letter alphabets (dense matches, many overlapping) and needles cut
 * from the haystack or drawn at random: everything against the naive reference, at
 * every level. */
START_TEST(test_find__random_small_alphabets_match_naive) {
    setup_levels();
    uint64_t rng = 0xF1ADu;
    char hbuf[700], nbuf[80], label[64];
    for (int iter = 0; iter < 600; iter++) {
        size_t alpha = 1 + rng_below(&rng, 4);
        size_t hlen = rng_below(&rng, iter < 300 ? 90 : 700);
        for (size_t i = 0; i < hlen; i++) hbuf[i] = (char)("ab\0c"[rng_below(&rng, alpha)]);
        size_t nlen = rng_below(&rng, 12) + (rng_below(&rng, 8) == 0 ? rng_below(&rng, 60) : 0);
        if (nlen > sizeof nbuf) nlen = sizeof nbuf;
        if (hlen >= nlen && rng_below(&rng, 2)) {
            memcpy(nbuf, hbuf + rng_below(&rng, hlen - nlen + 1), nlen);
        } else {
            for (size_t i = 0; i < nlen; i++) nbuf[i] = (char)("ab\0c"[rng_below(&rng, alpha)]);
        }
        char *h = exact_copy(hbuf, hlen), *n = exact_copy(nbuf, nlen);
        snprintf(label, sizeof label, "iteration %d (hlen %zu, nlen %zu)", iter, hlen, nlen);
        check_search_all_levels(h, hlen, n, nlen, label);
        free(h);
        free(n);
    }
    restore_level();
}
END_TEST

/* Periodic needles in haystacks made of their period: each position is a candidate
 * with a long verification, so the searches switch to Two-Way part way through.
 * Sizes are known in closed form, and small ones are checked against the reference. */
START_TEST(test_find__periodic_needles_stay_exact_and_linear) {
    setup_levels();
    const size_t hlen = 200000, nlen = 1000;
    char *h = malloc(hlen), *n = malloc(nlen + 1);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(n);
    memset(h, 'a', hlen);
    memset(n, 'a', nlen);
    for (int l = 0; l < level_count; l++) {
        use_level(levels[l]);
        uint64_t count;
        int64_t pos;
        ck_assert_int_eq(hp_count(&count, h, hlen, n, nlen, 1), HP_OK);
        ck_assert_uint_eq(count, hlen - nlen + 1);
        ck_assert_int_eq(hp_count(&count, h, hlen, n, nlen, 0), HP_OK);
        ck_assert_uint_eq(count, hlen / nlen);
        ck_assert_int_eq(hp_rfind(&pos, h, hlen, n, nlen), HP_OK);
        ck_assert_int_eq(pos, (int64_t)(hlen - nlen));
        /* "a...ab" never occurs: every position is a long failed verification */
        n[nlen - 1] = 'b';
        ck_assert_int_eq(hp_find(&pos, h, hlen, n, nlen), HP_OK);
        ck_assert_int_eq(pos, -1);
        ck_assert_int_eq(hp_rfind(&pos, h, hlen, n, nlen), HP_OK);
        ck_assert_int_eq(pos, -1);
        ck_assert_int_eq(hp_count(&count, h, hlen, n, nlen, 1), HP_OK);
        ck_assert_uint_eq(count, 0);
        /* ... until it does, near the end and near the start */
        h[hlen - 7] = 'b';
        h[nlen + 3] = 'b';
        ck_assert_int_eq(hp_find(&pos, h, hlen, n, nlen), HP_OK);
        ck_assert_int_eq(pos, 4);
        ck_assert_int_eq(hp_rfind(&pos, h, hlen, n, nlen), HP_OK);
        ck_assert_int_eq(pos, (int64_t)(hlen - 7 - (nlen - 1)));
        ck_assert_int_eq(hp_count(&count, h, hlen, n, nlen, 1), HP_OK);
        ck_assert_uint_eq(count, 2);
        h[hlen - 7] = 'a';
        h[nlen + 3] = 'a';
        n[nlen - 1] = 'a';
    }
    free(h);
    free(n);

    /* (ab)^k c-free periodic needles, period 2 and 3, overlapping and not */
    uint64_t rng = 77;
    char hbuf[3000], nbuf[300], label[80];
    for (int iter = 0; iter < 40; iter++) {
        static const char *const units[] = {"ab", "aab", "abc", "a"};
        const char *u = units[iter % 4];
        size_t ulen = strlen(u);
        size_t hl = 1500 + rng_below(&rng, 1500), nl = 100 + rng_below(&rng, 200);
        for (size_t i = 0; i < hl; i++) hbuf[i] = u[i % ulen];
        for (size_t i = 0; i < nl; i++) nbuf[i] = u[(i + (size_t)iter) % ulen];
        if (iter % 3 == 1) hbuf[rng_below(&rng, hl)] = 'x'; /* break one period */
        if (iter % 5 == 2) nbuf[nl - 1] = 'x';              /* needle never matches */
        char *hh = exact_copy(hbuf, hl), *nn = exact_copy(nbuf, nl);
        snprintf(label, sizeof label, "periodic %d (unit %s, hlen %zu, nlen %zu)", iter, u,
                 hl, nl);
        check_search_all_levels(hh, hl, nn, nl, label);
        free(hh);
        free(nn);
    }
    restore_level();
}
END_TEST

/* Random text of a larger alphabet where the needle's probe bytes are common: the
 * prefilter verifies many candidates, some of them long partial matches. */
START_TEST(test_find__long_needles_in_random_text) {
    setup_levels();
    uint64_t rng = 4242;
    char label[64];
    const size_t hlen = 20000;
    char *hbuf = malloc(hlen);
    ck_assert_ptr_nonnull(hbuf);
    for (int iter = 0; iter < 12; iter++) {
        size_t alpha = 2 + (size_t)iter % 5;
        for (size_t i = 0; i < hlen; i++) hbuf[i] = (char)('a' + rng_below(&rng, alpha));
        size_t nlen = 2 + rng_below(&rng, 90);
        size_t from = rng_below(&rng, hlen - nlen);
        char *n = exact_copy(hbuf + from, nlen);
        char *h = exact_copy(hbuf, hlen);
        snprintf(label, sizeof label, "text %d (alphabet %zu, nlen %zu)", iter, alpha, nlen);
        check_search_all_levels(h, hlen, n, nlen, label);
        free(h);
        free(n);
    }
    free(hbuf);
    restore_level();
}
END_TEST

/* ------------------------------------------------------------------ single bytes */

/* One-byte counts over long runs: the AVX2 byte counters are flushed before they wrap
 * at 255 (a haystack of one repeated byte fills every counter each step). */
START_TEST(test_find__count_byte_long_runs_and_every_tail) {
    setup_levels();
    const size_t big = 300000;
    char *h = malloc(big);
    ck_assert_ptr_nonnull(h);
    memset(h, 'x', big);
    for (int l = 0; l < level_count; l++) {
        use_level(levels[l]);
        uint64_t count;
        ck_assert_int_eq(hp_count(&count, h, big, "x", 1, 0), HP_OK);
        ck_assert_uint_eq(count, big);
        ck_assert_int_eq(hp_count(&count, h, big, "y", 1, 0), HP_OK);
        ck_assert_uint_eq(count, 0);
    }
    free(h);

    uint64_t rng = 99;
    char buf[400];
    for (size_t len = 0; len <= 300; len++) {
        for (size_t i = 0; i < len; i++) buf[i] = (char)("xy\0\xff"[rng_below(&rng, 4)]);
        char *hh = exact_copy(buf, len);
        for (int c = 0; c < 4; c++) {
            const char needle = "xy\0\xff"[c];
            size_t expect = ref_all(NULL, hh, len, &needle, 1, false);
            int64_t f = ref_find(hh, len, &needle, 1), r = ref_rfind(hh, len, &needle, 1);
            for (int l = 0; l < level_count; l++) {
                use_level(levels[l]);
                uint64_t count;
                int64_t pos, rpos;
                EXPECT(hp_count(&count, hh, len, &needle, 1, 0) == HP_OK && count == expect,
                       "len %zu byte %d [%s]: count %llu, expected %zu", len, c,
                       hp_simd_name(levels[l]), (unsigned long long)count, expect);
                EXPECT(hp_find(&pos, hh, len, &needle, 1) == HP_OK && pos == f &&
                           hp_rfind(&rpos, hh, len, &needle, 1) == HP_OK && rpos == r,
                       "len %zu byte %d [%s]: find %lld rfind %lld", len, c,
                       hp_simd_name(levels[l]), (long long)pos, (long long)rpos);
            }
        }
        free(hh);
    }
    restore_level();
}
END_TEST

/* ------------------------------------------------------------------ find_all */

START_TEST(test_find__find_all_reports_needed_size) {
    const char *h = "abcabcabc";
    int64_t offsets[3] = {-9, -9, -9};
    size_t written = 0;
    ck_assert_int_eq(hp_find_all(offsets, 3, &written, h, 9, "abc", 3, 0), HP_OK);
    ck_assert_uint_eq(written, 3);
    ck_assert_int_eq(offsets[0], 0);
    ck_assert_int_eq(offsets[1], 3);
    ck_assert_int_eq(offsets[2], 6);
    ck_assert_int_eq(hp_find_all(offsets, 2, &written, h, 9, "abc", 3, 0), HP_EBUFSIZE);
    ck_assert_uint_eq(written, 3);
    ck_assert_str_eq(hp_last_error_message(), "output needs 3 offsets, capacity 2");
    ck_assert_int_eq(hp_last_error_status(), HP_EBUFSIZE);
    /* asking for the size with no buffer at all */
    ck_assert_int_eq(hp_find_all(NULL, 0, &written, h, 9, "b", 1, 0), HP_EBUFSIZE);
    ck_assert_uint_eq(written, 3);
    ck_assert_str_eq(hp_last_error_message(), "output needs 3 offsets, capacity 0");
    ck_assert_int_eq(hp_find_all(NULL, 0, &written, h, 9, "bca", 3, 1), HP_EBUFSIZE);
    ck_assert_uint_eq(written, 2);
    ck_assert_int_eq(hp_find_all(NULL, 0, &written, h, 9, "zz", 2, 1), HP_OK);
    ck_assert_uint_eq(written, 0);
    /* overlapping */
    ck_assert_int_eq(hp_find_all(offsets, 3, &written, "aaaaa", 5, "aaa", 3, 1), HP_OK);
    ck_assert_uint_eq(written, 3);
    ck_assert_int_eq(offsets[2], 2);
}
END_TEST

/* Buffers too small by any amount: the offsets that fit are the first ones, and the
 * count is still the full one (the search switches from writing to counting part way,
 * including in the AVX2 popcount path for needles whose matches cannot overlap). */
START_TEST(test_find__find_all_partial_buffers_match_reference) {
    static const char *const needles[] = {"ab", "aa", "aba", "the ", "a", "b\0", "at th"};
    setup_levels();
    uint64_t rng = 31337;
    const size_t hlen = 900;
    char *h = malloc(hlen);
    int64_t got[1000], ref[1000];
    ck_assert_ptr_nonnull(h);
    for (size_t i = 0; i < hlen; i++) {
        h[i] = i % 97 < 40 ? "the cat "[i % 8] : (char)"ab\0c"[rng_below(&rng, 3)];
    }
    for (size_t k = 0; k < sizeof needles / sizeof needles[0]; k++) {
        const char *n = needles[k];
        size_t nlen = k == 5 ? 2 : strlen(n);
        for (int ov = 0; ov < 2; ov++) {
            size_t expect = ref_all(ref, h, hlen, n, nlen, ov);
            ck_assert_uint_gt(expect, 3);
            const size_t caps[] = {0, 1, 2, expect / 2, expect - 1, expect};
            for (int l = 0; l < level_count; l++) {
                use_level(levels[l]);
                for (size_t c = 0; c < 6; c++) {
                    size_t written = 0;
                    memset(got, 0x7F, sizeof got);
                    hp_status st = hp_find_all(caps[c] ? got : NULL, caps[c], &written, h, hlen,
                                               n, nlen, ov);
                    EXPECT(st == (caps[c] < expect ? HP_EBUFSIZE : HP_OK) && written == expect,
                           "needle %zu ov %d cap %zu [%s]: status %d, %zu of %zu", k, ov,
                           caps[c], hp_simd_name(levels[l]), st, written, expect);
                    EXPECT(caps[c] == 0 || memcmp(got, ref, caps[c] * sizeof *got) == 0,
                           "needle %zu ov %d cap %zu [%s]: offsets differ", k, ov, caps[c],
                           hp_simd_name(levels[l]));
                    EXPECT(caps[c] == expect || got[caps[c]] == 0x7F7F7F7F7F7F7F7F,
                           "needle %zu: wrote past the capacity", k);
                }
            }
        }
    }
    free(h);
    restore_level();
}
END_TEST

START_TEST(test_find__find_all_bound) {
    ck_assert_uint_eq(hp_find_all_bound(0, 0), 1);
    ck_assert_uint_eq(hp_find_all_bound(10, 0), 11);
    ck_assert_uint_eq(hp_find_all_bound(10, 1), 10);
    ck_assert_uint_eq(hp_find_all_bound(10, 10), 1);
    ck_assert_uint_eq(hp_find_all_bound(10, 11), 0);
    ck_assert_uint_eq(hp_find_all_bound(SIZE_MAX, 0), SIZE_MAX);
}
END_TEST

START_TEST(test_find__find_all_alloc_matches_and_frees) {
    setup_levels();
    size_t start = hp_live_allocations();
    const size_t hlen = 5000;
    char *h = malloc(hlen);
    ck_assert_ptr_nonnull(h);
    for (size_t i = 0; i < hlen; i++) h[i] = (char)("aab"[i % 3]);
    for (int l = 0; l < level_count; l++) {
        use_level(levels[l]);
        for (int ov = 0; ov < 2; ov++) {
            static const char *const needles[] = {"", "a", "aa", "ab", "baa", "zz"};
            for (size_t k = 0; k < 6; k++) {
                const char *n = needles[k];
                size_t nlen = strlen(n);
                int64_t *got = (int64_t *)(uintptr_t)1;
                size_t count = 99;
                ck_assert_int_eq(hp_find_all_alloc(&got, &count, h, hlen, n, nlen, ov), HP_OK);
                size_t expect = ref_all(NULL, h, hlen, n, nlen, ov);
                ck_assert_uint_eq(count, expect);
                if (expect == 0) {
                    ck_assert_ptr_null(got);
                } else {
                    int64_t *ref = malloc(expect * sizeof *ref);
                    ck_assert_ptr_nonnull(ref);
                    ref_all(ref, h, hlen, n, nlen, ov);
                    EXPECT(memcmp(got, ref, expect * sizeof *ref) == 0,
                           "needle \"%s\" overlapping %d: offsets differ", n, ov);
                    free(ref);
                    ck_assert_uint_eq(hp_live_allocations(), start + 1);
                }
                hp_free(got);
                ck_assert_uint_eq(hp_live_allocations(), start);
            }
        }
    }
    free(h);
    restore_level();
}
END_TEST

/* An allocator that serves `budget_blocks` allocations or reallocations, then fails. */
static int budget_blocks;
static void *budget_malloc(size_t size, void *user) {
    (void)user;
    return budget_blocks-- > 0 ? malloc(size) : NULL;
}
static void *budget_realloc(void *ptr, size_t size, void *user) {
    (void)user;
    return budget_blocks-- > 0 ? realloc(ptr, size) : NULL;
}
static void budget_free(void *ptr, void *user) {
    (void)user;
    free(ptr);
}

/* Running out of memory while the result grows: HP_ENOMEM, nothing returned, nothing
 * left allocated. */
START_TEST(test_find__find_all_alloc_out_of_memory) {
    const size_t hlen = 4000;
    char *h = malloc(hlen);
    ck_assert_ptr_nonnull(h);
    memset(h, 'x', hlen);
    size_t start = hp_live_allocations();
    ck_assert_uint_eq(start, 0); /* hp_set_allocator needs no live blocks */
    for (int allowed = 0; allowed < 3; allowed++) {
        budget_blocks = allowed;
        ck_assert_int_eq(hp_set_allocator(budget_malloc, budget_realloc, budget_free, NULL),
                         HP_OK);
        int64_t *out = (int64_t *)(uintptr_t)1;
        size_t count = 99;
        ck_assert_int_eq(hp_find_all_alloc(&out, &count, h, hlen, "x", 1, 0), HP_ENOMEM);
        ck_assert_int_eq(hp_last_error_status(), HP_ENOMEM);
        ck_assert_ptr_null(out);
        ck_assert_uint_eq(count, 0);
        ck_assert_uint_eq(hp_live_allocations(), start);
        ck_assert_int_eq(hp_set_allocator(NULL, NULL, NULL, NULL), HP_OK);
    }
    ck_assert_str_eq(hp_last_error_message(),
                     "cannot allocate the offsets of more than 64 matches");
    free(h);
}
END_TEST

/* ------------------------------------------------------------------ starts/ends with */

START_TEST(test_find__starts_and_ends_with) {
    ck_assert_int_eq(hp_starts_with("hello", 5, "he", 2), 1);
    ck_assert_int_eq(hp_starts_with("hello", 5, "hello", 5), 1);
    ck_assert_int_eq(hp_starts_with("hello", 5, "hello!", 6), 0);
    ck_assert_int_eq(hp_starts_with("hello", 5, "el", 2), 0);
    ck_assert_int_eq(hp_starts_with("hello", 5, "", 0), 1);
    ck_assert_int_eq(hp_starts_with(NULL, 0, NULL, 0), 1);
    ck_assert_int_eq(hp_starts_with(NULL, 0, "a", 1), 0);
    ck_assert_int_eq(hp_ends_with("hello", 5, "llo", 3), 1);
    ck_assert_int_eq(hp_ends_with("hello", 5, "hello", 5), 1);
    ck_assert_int_eq(hp_ends_with("hello", 5, "xhello", 6), 0);
    ck_assert_int_eq(hp_ends_with("hello", 5, "ll", 2), 0);
    ck_assert_int_eq(hp_ends_with("hello", 5, "", 0), 1);
    ck_assert_int_eq(hp_ends_with("a\0b", 3, "\0b", 2), 1);
    ck_assert_int_eq(hp_starts_with("a\0b", 3, "a\0", 2), 1);
    ck_assert_int_eq(hp_starts_with("a\0b", 3, "a\0c", 3), 0);
}
END_TEST

START_TEST(test_find__starts_and_ends_with_record_bad_arguments) {
    hp_clear_error();
    ck_assert_int_eq(hp_starts_with(NULL, 3, "a", 1), 0);
    ck_assert_int_eq(hp_last_error_status(), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "haystack is NULL but length is 3");
    hp_clear_error();
    ck_assert_int_eq(hp_ends_with("abc", 3, NULL, 1), 0);
    ck_assert_int_eq(hp_last_error_status(), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "suffix is NULL but length is 1");
    hp_clear_error();
    ck_assert_int_eq(hp_starts_with("abc", SIZE_MAX, "a", 1), 0);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
    hp_clear_error();
    ck_assert_int_eq(hp_ends_with("abc", 3, "a", HP_MAX_LEN + 1), 0);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
    ck_assert_str_eq(hp_last_error_message(),
                     "suffix length 9223372036854775808 exceeds HP_MAX_LEN");
    /* a successful call leaves no error behind it */
    hp_clear_error();
    ck_assert_int_eq(hp_starts_with("abc", 3, "ab", 2), 1);
    ck_assert_int_eq(hp_last_error_status(), HP_OK);
}
END_TEST

/* ------------------------------------------------------------------ byte sets */

START_TEST(test_find__byteset_cases) {
    setup_levels();
    for (int l = 0; l < level_count; l++) {
        use_level(levels[l]);
        int64_t pos;
        ck_assert_int_eq(hp_find_byteset(&pos, "hello, world", 12, ",w", 2), HP_OK);
        ck_assert_int_eq(pos, 5);
        ck_assert_int_eq(hp_rfind_byteset(&pos, "hello, world", 12, ",w", 2), HP_OK);
        ck_assert_int_eq(pos, 7);
        ck_assert_int_eq(hp_find_byteset(&pos, "hello", 5, "xyz", 3), HP_OK);
        ck_assert_int_eq(pos, -1);
        ck_assert_int_eq(hp_rfind_byteset(&pos, "hello", 5, "xyz", 3), HP_OK);
        ck_assert_int_eq(pos, -1);
        ck_assert_int_eq(hp_find_byteset(&pos, "hello", 5, "oooo", 4), HP_OK); /* repeats */
        ck_assert_int_eq(pos, 4);
        ck_assert_int_eq(hp_find_byteset(&pos, "a\0b", 3, "\0", 1), HP_OK);
        ck_assert_int_eq(pos, 1);
        ck_assert_int_eq(hp_find_byteset(&pos, "ab\xff\x80", 4, "\x80\xff", 2), HP_OK);
        ck_assert_int_eq(pos, 2);
        ck_assert_int_eq(hp_rfind_byteset(&pos, "ab\xff\x80", 4, "\x80\xff", 2), HP_OK);
        ck_assert_int_eq(pos, 3);
        ck_assert_int_eq(hp_find_byteset(&pos, "abc", 3, "", 0), HP_OK);
        ck_assert_int_eq(pos, -1);
    }
    restore_level();
}
END_TEST

/* Random sets of every size class (1, 2-3, many, all 256 bytes) with ASCII members only,
 * high bytes only or both, over haystacks of every length to 300 where the members are
 * rare or absent, at every level: covers the direct compares, the one- and two-table
 * nibble lookups, the 64/32-byte blocks and the overlapping tails. */
START_TEST(test_find__byteset_random_match_naive) {
    setup_levels();
    uint64_t rng = 0xB5E7;
    char hbuf[320], set[300], label[64];
    for (size_t hlen = 0; hlen <= 300; hlen++) {
        for (int rep = 0; rep < 4; rep++) {
            size_t slen;
            switch ((hlen + (size_t)rep) % 5) {
            case 0: slen = 1; break;
            case 1: slen = 2 + rng_below(&rng, 2); break;
            case 2: slen = rng_below(&rng, 40); break;
            case 3: slen = 256; break;
            default: slen = 1 + rng_below(&rng, 8); break;
            }
            for (size_t i = 0; i < slen; i++) {
                uint64_t r = rng_next(&rng);
                /* rep 2: ASCII members only, rep 3: high bytes only, else any byte */
                set[i] = slen == 256 ? (char)i
                                     : (char)(rep == 2 ? r & 0x7F : rep == 3 ? 0x80 | r : r);
            }
            /* the haystack avoids the set except at a few random places */
            for (size_t i = 0; i < hlen; i++) {
                char c = (char)rng_next(&rng);
                while (slen != 256 && slen && memchr(set, c, slen)) c = (char)(c + 1);
                hbuf[i] = c;
            }
            for (int k = 0; hlen && slen && k < rep; k++) {
                hbuf[rng_below(&rng, hlen)] = set[rng_below(&rng, slen)];
            }
            char *h = exact_copy(hbuf, hlen), *s = exact_copy(set, slen);
            snprintf(label, sizeof label, "hlen %zu set %zu rep %d", hlen, slen, rep);
            for (int l = 0; l < level_count; l++) {
                use_level(levels[l]);
                check_set(h, hlen, s, slen, label);
            }
            free(h);
            free(s);
        }
    }
    restore_level();
}
END_TEST

/* ------------------------------------------------------------------ errors */

START_TEST(test_find__rejects_null_out_pointers) {
    ck_assert_int_eq(hp_find(NULL, "a", 1, "a", 1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "out is NULL");
    ck_assert_int_eq(hp_rfind(NULL, "a", 1, "a", 1), HP_EINVAL);
    ck_assert_int_eq(hp_count(NULL, "a", 1, "a", 1, 0), HP_EINVAL);
    ck_assert_int_eq(hp_find_all(NULL, 0, NULL, "a", 1, "a", 1, 0), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "out_count is NULL");
    size_t count = 5;
    ck_assert_int_eq(hp_find_all(NULL, 4, &count, "a", 1, "a", 1, 0), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "out is NULL but capacity is 4");
    ck_assert_uint_eq(count, 0);
    int64_t *arr = (int64_t *)(uintptr_t)1;
    ck_assert_int_eq(hp_find_all_alloc(NULL, &count, "a", 1, "a", 1, 0), HP_EINVAL);
    ck_assert_int_eq(hp_find_all_alloc(&arr, NULL, "a", 1, "a", 1, 0), HP_EINVAL);
    ck_assert_ptr_null(arr);
    ck_assert_int_eq(hp_find_byteset(NULL, "a", 1, "a", 1), HP_EINVAL);
    ck_assert_int_eq(hp_rfind_byteset(NULL, "a", 1, "a", 1), HP_EINVAL);
    ck_assert_int_eq(hp_last_error_status(), HP_EINVAL);
}
END_TEST

START_TEST(test_find__rejects_null_inputs_with_length) {
    int64_t pos = 3;
    uint64_t count = 3;
    size_t n = 3;
    int64_t *arr = (int64_t *)(uintptr_t)1;
    ck_assert_int_eq(hp_find(&pos, NULL, 5, "a", 1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "haystack is NULL but length is 5");
    ck_assert_int_eq(pos, -1);
    ck_assert_int_eq(hp_rfind(&pos, "abc", 3, NULL, 2), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "needle is NULL but length is 2");
    ck_assert_int_eq(hp_count(&count, NULL, 1, "a", 1, 0), HP_EINVAL);
    ck_assert_uint_eq(count, 0);
    ck_assert_int_eq(hp_find_all(NULL, 0, &n, "abc", 3, NULL, 1, 0), HP_EINVAL);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(hp_find_all_alloc(&arr, &n, NULL, 9, "a", 1, 1), HP_EINVAL);
    ck_assert_ptr_null(arr);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(hp_find_byteset(&pos, "abc", 3, NULL, 2), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "set is NULL but length is 2");
    ck_assert_int_eq(hp_rfind_byteset(&pos, NULL, 3, "a", 1), HP_EINVAL);
}
END_TEST

START_TEST(test_find__rejects_huge_lengths) {
    int64_t pos;
    uint64_t count;
    size_t n;
    int64_t *arr;
    ck_assert_int_eq(hp_find(&pos, "a", SIZE_MAX, "a", 1), HP_EOVERFLOW);
    ck_assert_str_eq(hp_last_error_message(),
                     "haystack length 18446744073709551615 exceeds HP_MAX_LEN");
    ck_assert_int_eq(hp_find(&pos, "a", 1, "a", SIZE_MAX), HP_EOVERFLOW);
    ck_assert_int_eq(hp_rfind(&pos, "a", HP_MAX_LEN + 1, "a", 1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_count(&count, "a", 1, "a", SIZE_MAX, 1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_find_all(NULL, 0, &n, "a", SIZE_MAX, "a", 1, 0), HP_EOVERFLOW);
    ck_assert_int_eq(hp_find_all_alloc(&arr, &n, NULL, SIZE_MAX, "a", 1, 0), HP_EOVERFLOW);
    ck_assert_int_eq(hp_find_byteset(&pos, "a", SIZE_MAX, "a", 1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_rfind_byteset(&pos, "a", 1, "a", SIZE_MAX), HP_EOVERFLOW);
    ck_assert_str_eq(hp_last_error_message(), "set length 18446744073709551615 exceeds HP_MAX_LEN");
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
}
END_TEST

START_TEST(test_find__rejects_bad_overlapping_flag) {
    uint64_t count = 5;
    size_t n = 5;
    int64_t *arr = (int64_t *)(uintptr_t)1;
    ck_assert_int_eq(hp_count(&count, "aaa", 3, "a", 1, 2), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "overlapping must be 0 or 1, got 2");
    ck_assert_uint_eq(count, 0);
    ck_assert_int_eq(hp_find_all(NULL, 0, &n, "aaa", 3, "a", 1, -1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "overlapping must be 0 or 1, got -1");
    ck_assert_int_eq(hp_find_all_alloc(&arr, &n, "aaa", 3, "a", 1, 7), HP_EINVAL);
    ck_assert_ptr_null(arr);
    ck_assert_uint_eq(n, 0);
}
END_TEST

Suite *test_find_suite(void) {
    Suite *s = suite_create("find");
    TCase *tc = tcase_create("substring");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_find__python_semantics_on_every_level);
    tcase_add_test(tc, test_find__null_inputs_with_zero_length_are_empty);
    tcase_add_test(tc, test_find__empty_needle_is_found_at_every_position);
    tcase_add_test(tc, test_find__needle_at_every_position_across_blocks);
    tcase_add_test(tc, test_find__near_misses_at_every_position);
    tcase_add_test(tc, test_find__random_small_alphabets_match_naive);
    tcase_add_test(tc, test_find__periodic_needles_stay_exact_and_linear);
    tcase_add_test(tc, test_find__long_needles_in_random_text);
    tcase_add_test(tc, test_find__count_byte_long_runs_and_every_tail);
    suite_add_tcase(s, tc);

    TCase *all = tcase_create("find_all");
    tcase_set_timeout(all, 120);
    tcase_add_test(all, test_find__find_all_reports_needed_size);
    tcase_add_test(all, test_find__find_all_partial_buffers_match_reference);
    tcase_add_test(all, test_find__find_all_bound);
    tcase_add_test(all, test_find__find_all_alloc_out_of_memory);
    tcase_add_test(all, test_find__find_all_alloc_matches_and_frees);
    suite_add_tcase(s, all);

    TCase *affix = tcase_create("affix");
    tcase_add_test(affix, test_find__starts_and_ends_with);
    tcase_add_test(affix, test_find__starts_and_ends_with_record_bad_arguments);
    suite_add_tcase(s, affix);

    TCase *set = tcase_create("byteset");
    tcase_set_timeout(set, 120);
    tcase_add_test(set, test_find__byteset_cases);
    tcase_add_test(set, test_find__byteset_random_match_naive);
    suite_add_tcase(s, set);

    TCase *err = tcase_create("errors");
    tcase_add_test(err, test_find__rejects_null_out_pointers);
    tcase_add_test(err, test_find__rejects_null_inputs_with_length);
    tcase_add_test(err, test_find__rejects_huge_lengths);
    tcase_add_test(err, test_find__rejects_bad_overlapping_flag);
    suite_add_tcase(s, err);
    return s;
}
