/*
 * Case mapping (casefold, lower, upper, default_process) and the generated Unicode
 * property tables: known examples (each expected value is what Python 3.11's str
 * methods and rapidfuzz.utils.default_process return), the final-sigma rule, the
 * AVX2 path against the scalar one on long random text, exact-size and too-small
 * output buffers (under ASan an overrun is caught), every error path, and the
 * worst-case bound checked for every code point. tests/python/test_text_case.py
 * compares every code point against Python itself.
 */
#include "internal/common.h"
#include "suites.h"
#include "text/ucd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Check's ck_assert records every passing assertion; hot loops only report failures. */
#define EXPECT(cond, ...)                                \
    do {                                                 \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);          \
    } while (0)

typedef hp_status (*case_fn)(char *, size_t, size_t *, const char *, size_t);

enum { CASE_FOLD, CASE_LOWER, CASE_UPPER, CASE_RF, CASE_KINDS };

static const case_fn case_fns[CASE_KINDS] = {hp_utf8_casefold, hp_utf8_lower, hp_utf8_upper,
                                             hp_utf8_default_process};
static const char *const case_names[CASE_KINDS] = {"casefold", "lower", "upper",
                                                   "default_process"};

typedef struct case_example {
    int kind;
    const char *in;
    const char *out;
} case_example;

/* Expected values from Python 3.11 (Unicode 14.0.0) and rapidfuzz 3.14. */
static const case_example examples[] = {
    {CASE_FOLD, "Stra\xC3\x9F" "e", "strasse"},              /* Straße */
    {CASE_FOLD, "\xC3\x9F", "ss"},                          /* ß */
    {CASE_FOLD, "\xE1\xBA\x9E", "ss"},                      /* ẞ U+1E9E */
    {CASE_FOLD, "\xC4\xB0", "i\xCC\x87"},                   /* İ -> i + U+0307 */
    {CASE_FOLD, "\xEF\xAC\x83", "ffi"},                     /* ﬃ */
    {CASE_FOLD, "\xC5\x89", "\xCA\xBCn"},                   /* ŉ -> ʼn */
    {CASE_FOLD, "\xE1\x8E\xA0\xEA\xAD\xB0", "\xE1\x8E\xA0\xE1\x8E\xA0"}, /* Cherokee Ꭰꭰ */
    {CASE_FOLD, "\xCE\xA3\xCE\x91\xCE\xA3", "\xCF\x83\xCE\xB1\xCF\x83"}, /* ΣΑΣ: no final ς */
    {CASE_FOLD, "\xC2\xB5", "\xCE\xBC"},                    /* µ -> μ */
    {CASE_FOLD, "\xC7\x85", "\xC7\x86"},                    /* ǅ -> ǆ */
    {CASE_FOLD, "\xE1\xBE\xBC", "\xCE\xB1\xCE\xB9"},        /* ᾼ -> αι */
    {CASE_FOLD, "\xF0\x90\x90\x80", "\xF0\x90\x90\xA8"},    /* Deseret U+10400 */
    {CASE_LOWER, "\xC4\xB0", "i\xCC\x87"},                  /* İ */
    {CASE_LOWER, "\xCE\xA3\xCE\x91\xCE\xA3", "\xCF\x83\xCE\xB1\xCF\x82"}, /* ΣΑΣ -> σας */
    {CASE_LOWER, "\xCE\x91\xCE\xA3.", "\xCE\xB1\xCF\x82."}, /* ΑΣ. -> ας. */
    {CASE_LOWER, "\xCE\xA3", "\xCF\x83"},                   /* Σ alone -> σ */
    {CASE_LOWER, "a\xCE\xA3" "b", "a\xCF\x83" "b"},          /* aΣb -> aσb */
    {CASE_LOWER, "A\xCE\xA3'\xCE\xA3", "a\xCF\x83'\xCF\x82"}, /* AΣ'Σ -> aσ'ς */
    {CASE_LOWER, "A\xCE\xA3'", "a\xCF\x82'"},               /* AΣ' -> aς' */
    {CASE_LOWER, "\xCE\xA3\xCE\xA3", "\xCF\x83\xCF\x82"},   /* ΣΣ -> σς */
    {CASE_LOWER, "\xCE\xA3'A", "\xCF\x83'a"},               /* Σ'A -> σ'a */
    {CASE_LOWER, "A\xCD\x85\xCE\xA3", "a\xCD\x85\xCF\x82"}, /* A + U+0345 + Σ */
    {CASE_LOWER, "A\xCE\xA3\xCD\x85", "a\xCF\x82\xCD\x85"}, /* A + Σ + U+0345 */
    {CASE_LOWER, "I \xC4\xB1", "i \xC4\xB1"},               /* I ı: no Turkish rules */
    {CASE_LOWER, "\xCE\x8C\xCE\xA3\xCE\x9F\xCE\xA3 \xCE\x86\xCE\xA3",
     "\xCF\x8C\xCF\x83\xCE\xBF\xCF\x82 \xCE\xAC\xCF\x82"},  /* ΌΣΟΣ ΆΣ -> όσος άς */
    {CASE_LOWER, "\xE1\x8E\xA0\xEA\xAD\xB0", "\xEA\xAD\xB0\xEA\xAD\xB0"}, /* Cherokee */
    {CASE_LOWER, "\xE1\xBA\x9E", "\xC3\x9F"},               /* ẞ -> ß */
    {CASE_UPPER, "\xC5\x89", "\xCA\xBCN"},                  /* ŉ -> ʼN */
    {CASE_UPPER, "\xEF\xAC\x83", "FFI"},                    /* ﬃ */
    {CASE_UPPER, "\xC3\x9F", "SS"},                         /* ß */
    {CASE_UPPER, "\xC4\xB1 i", "I I"},                      /* dotless ı, i */
    {CASE_UPPER, "\xCE\x90", "\xCE\x99\xCC\x88\xCC\x81"},   /* ΐ -> three code points */
    {CASE_UPPER, "\xCE\xAC", "\xCE\x86"},                   /* ά -> Ά */
    {CASE_UPPER, "\xE1\xBE\xB3", "\xCE\x91\xCE\x99"},       /* ᾳ -> ΑΙ */
    {CASE_UPPER, "\xEA\xAD\xB0", "\xE1\x8E\xA0"},           /* Cherokee ꭰ -> Ꭰ */
    {CASE_UPPER, "\xC7\x86", "\xC7\x84"},                   /* ǆ -> Ǆ */
    {CASE_UPPER, "\xF0\x90\x90\xA8", "\xF0\x90\x90\x80"},   /* Deseret */
    {CASE_RF, "  Hello, World!  ", "hello  world"},
    {CASE_RF, "\xC4\xB0stanbul", "istanbul"},               /* simple mapping: İ -> i */
    {CASE_RF, "a_b", "a b"},
    {CASE_RF, "\xE3\x80\x80x\xE3\x80\x80", "x"},            /* U+3000 around x */
    {CASE_RF, "!!!", ""},
    {CASE_RF, "", ""},
    {CASE_RF, "\xCE\xA3\xCE\x91\xCE\xA3 \xC3\xA9", "\xCF\x83\xCE\xB1\xCF\x83 \xC3\xA9"},
    {CASE_RF, "\xC7\x85", "\xC7\x86"},                      /* ǅ */
    {CASE_RF, "\xE2\x85\xAB", "\xE2\x85\xBB"},              /* Roman numeral Ⅻ -> ⅻ */
};

/* Map s with kind into a heap buffer of exactly the needed size (so ASan sees any
 * overrun); returns it (caller frees) and its length in *n. */
static char *map_exact(int kind, const char *s, size_t len, size_t *n) {
    size_t need = 0;
    hp_status st = case_fns[kind](NULL, 0, &need, s, len);
    EXPECT(st == HP_OK || st == HP_EBUFSIZE, "%s size query: %s", case_names[kind],
           hp_last_error_message());
    EXPECT(need <= hp_utf8_case_bound(len), "%s: %zu bytes exceed the bound for %zu",
           case_names[kind], need, len);
    char *out = malloc(need ? need : 1);
    ck_assert_ptr_nonnull(out);
    size_t got = 0;
    st = case_fns[kind](need ? out : NULL, need, &got, s, len);
    EXPECT(st == HP_OK, "%s: %s", case_names[kind], hp_last_error_message());
    EXPECT(got == need, "%s wrote %zu bytes, needed %zu", case_names[kind], got, need);
    *n = got;
    return out;
}

static void expect_mapping(int kind, const char *in, size_t in_len, const char *want,
                           size_t want_len) {
    size_t n = 0;
    char *got = map_exact(kind, in, in_len, &n);
    /* messages show at most 120 bytes of each string (Check limits their size) */
    EXPECT(n == want_len && memcmp(got, want, n) == 0, "%s(\"%.*s\") = \"%.*s\", want \"%.*s\"",
           case_names[kind], (int)(in_len < 120 ? in_len : 120), in, (int)(n < 120 ? n : 120),
           got, (int)(want_len < 120 ? want_len : 120), want);
    free(got);
}

static void run_examples(void) {
    for (size_t k = 0; k < sizeof examples / sizeof examples[0]; k++) {
        const case_example *e = &examples[k];
        expect_mapping(e->kind, e->in, strlen(e->in), e->out, strlen(e->out));
    }
}

START_TEST(test_case__known_examples_on_every_level) {
    hp_simd saved = hp_simd_level();
    ck_assert_int_eq(hp_simd_set_level(HP_SIMD_SCALAR), HP_OK);
    run_examples();
    ck_assert_int_eq(hp_simd_set_level((int)hp_simd_detected()), HP_OK);
    run_examples();
    hp_simd_set_level((int)saved);
}
END_TEST

/* The examples again, padded so that they sit at every offset of a 32-byte AVX2 block
 * and after a long ASCII run (which the vector loop consumes whole). */
START_TEST(test_case__examples_across_block_boundaries) {
    char in[256], want[256];
    for (size_t k = 0; k < sizeof examples / sizeof examples[0]; k++) {
        const case_example *e = &examples[k];
        if (e->kind == CASE_RF) continue; /* trimming: covered by the random test */
        size_t il = strlen(e->in), ol = strlen(e->out);
        for (size_t pad = 0; pad < 70; pad++) {
            /* pad with '0' + '.': neither cased nor case-ignorable, maps to itself */
            memset(in, '0', pad);
            memset(want, '0', pad);
            in[pad] = want[pad] = '.';
            memcpy(in + pad + 1, e->in, il);
            memcpy(want + pad + 1, e->out, ol);
            memset(in + pad + 1 + il, '.', 40);
            memset(want + pad + 1 + ol, '.', 40);
            expect_mapping(e->kind, in, pad + il + 41, want, pad + ol + 41);
        }
    }
}
END_TEST

/* ------------------------------------------------------------------ random text */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng_next(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Pieces that exercise every path: ASCII letters and punctuation, two-byte cased
 * letters (Latin, Greek, Cyrillic), sigma and case-ignorable marks, expansions,
 * caseless three-byte scripts (CJK, Hangul), four-byte cased letters, U+3000. */
static const char *const pieces[] = {
    "a", "Z", "q", "M", " ", " ", ".", "'", "_", "7", "\n", "Hello World ", "AbCdEfGh",
    "\xC3\x9F", "\xC3\x89", "\xC3\xA9", "\xC5\x89", "\xC4\xB0", "\xC4\xB1", "\xC2\xB5",
    "\xCE\xA3", "\xCE\xA3", "\xCF\x83", "\xCE\x91", "\xCE\x90", "\xCD\x85", "\xC2\xAD",
    "\xD0\x96", "\xD0\xB6", "\xD1\x8F", "\xD0\xAF", "\xC7\x85", "\xCC\x81",
    "\xEF\xAC\x83", "\xE1\xBE\xB3", "\xE1\xBA\x9E", "\xE4\xB8\xAD", "\xEA\xB0\x80",
    "\xE3\x80\x80", "\xE2\x85\xAB", "\xEA\xAD\xB0", "\xF0\x90\x90\x80", "\xF0\x9F\x98\x80",
    "\xD9\xA3", "\xE2\x80\xA8",
};

/* Two-byte letters (Latin, Greek, Cyrillic, Armenian) of either case, and letters and
 * spaces of ASCII: text whose blocks the AVX2 two-byte path maps whole. */
static const char *const two_byte_pieces[] = {
    "a", "B", " ", "\xC3\xA9", "\xC3\x89", "\xC3\x9F", "\xC4\x80", "\xC4\x81", "\xCE\x91",
    "\xCE\xB1", "\xCE\xAC", "\xCF\x82", "\xCE\xA3", "\xD0\x96", "\xD0\xB6", "\xD0\x81",
    "\xD1\x91", "\xD1\xA0", "\xD1\xA1", "\xD4\xB1", "\xD5\xA1", "\xC2\xB5", "\xC7\x85",
    "\xD7\x90", "\xD8\xA8",
};

/* Random UTF-8 of about `len` bytes. mode 0: every kind of piece; 1: long ASCII runs
 * between them; 2: mostly two-byte letters. */
static size_t random_text(char *buf, size_t len, int mode) {
    size_t n = 0, count = sizeof pieces / sizeof pieces[0];
    size_t count2 = sizeof two_byte_pieces / sizeof two_byte_pieces[0];
    while (n + 16 < len) {
        uint64_t r = rng_next();
        if (mode == 1 && r % 4 != 0) {
            size_t run = 1 + (size_t)(r >> 8) % 60;
            for (size_t k = 0; k < run && n + 16 < len; k++) {
                buf[n++] = (char)(' ' + (rng_next() >> 20) % 95);
            }
            continue;
        }
        const char *p = mode == 2 && r % 50 != 0 ? two_byte_pieces[(r >> 16) % count2]
                                                  : pieces[(r >> 16) % count];
        size_t pl = strlen(p);
        memcpy(buf + n, p, pl);
        n += pl;
    }
    return n;
}

START_TEST(test_case__simd_matches_scalar_on_random_text) {
    hp_simd saved = hp_simd_level();
    enum { MAX = 6000 };
    char *text = malloc(MAX);
    ck_assert_ptr_nonnull(text);
    for (int round = 0; round < 120; round++) {
        size_t len = random_text(text, 17 + (size_t)(rng_next() % (MAX - 17)), round % 3);
        for (int kind = 0; kind < CASE_KINDS; kind++) {
            size_t n_scalar = 0, n_simd = 0;
            hp_simd_set_level(HP_SIMD_SCALAR);
            char *a = map_exact(kind, text, len, &n_scalar);
            hp_simd_set_level((int)hp_simd_detected());
            char *b = map_exact(kind, text, len, &n_simd);
            EXPECT(n_scalar == n_simd && memcmp(a, b, n_scalar) == 0,
                   "%s: round %d, %zu input bytes: scalar and %s differ", case_names[kind],
                   round, len, hp_simd_name((int)hp_simd_detected()));
            free(a);
            free(b);
        }
    }
    free(text);
    hp_simd_set_level((int)saved);
}
END_TEST

/* Long ASCII (the vector loop's home) against a plain per-byte reference. */
START_TEST(test_case__long_ascii_matches_reference) {
    hp_simd saved = hp_simd_level();
    enum { LEN = 100003 };
    char *text = malloc(LEN), *want = malloc(LEN);
    ck_assert_ptr_nonnull(text);
    ck_assert_ptr_nonnull(want);
    for (size_t i = 0; i < LEN; i++) text[i] = (char)(rng_next() % 128);
    for (int level = 0; level < 2; level++) {
        hp_simd_set_level(level ? (int)hp_simd_detected() : HP_SIMD_SCALAR);
        for (int kind = 0; kind < CASE_KINDS; kind++) {
            size_t lo = 0, hi = LEN;
            for (size_t i = 0; i < LEN; i++) {
                unsigned char c = (unsigned char)text[i];
                bool up = c >= 'A' && c <= 'Z', low = c >= 'a' && c <= 'z';
                bool digit = c >= '0' && c <= '9';
                if (kind == CASE_UPPER) {
                    want[i] = (char)(low ? c - 32 : c);
                } else if (kind == CASE_RF) {
                    want[i] = (char)(up ? c + 32 : (low || digit) ? c : ' ');
                } else {
                    want[i] = (char)(up ? c + 32 : c);
                }
            }
            if (kind == CASE_RF) { /* the trimmed span */
                while (lo < hi && want[lo] == ' ') lo++;
                while (hi > lo && want[hi - 1] == ' ') hi--;
            }
            size_t n = 0;
            char *got = map_exact(kind, text, LEN, &n);
            EXPECT(n == hi - lo && memcmp(got, want + lo, n) == 0, "%s: long ASCII differs",
                   case_names[kind]);
            free(got);
        }
    }
    free(text);
    free(want);
    hp_simd_set_level((int)saved);
}
END_TEST

/* ------------------------------------------------------------------ buffers and errors */

START_TEST(test_case__too_small_buffer_reports_exact_size) {
    hp_simd saved = hp_simd_level();
    char text[400];
    for (int level = 0; level < 4; level++) {
        size_t len = random_text(text, sizeof text, level / 2 * 2); /* mixed, two-byte */
        hp_simd_set_level(level % 2 ? (int)hp_simd_detected() : HP_SIMD_SCALAR);
        for (int kind = 0; kind < CASE_KINDS; kind++) {
            size_t need = 0;
            char *full = map_exact(kind, text, len, &need);
            for (size_t cap = 0; cap < need; cap++) {
                char *out = malloc(cap ? cap : 1);
                size_t got = 12345;
                hp_status st = case_fns[kind](cap ? out : NULL, cap, &got, text, len);
                EXPECT(st == HP_EBUFSIZE && got == need,
                       "%s capacity %zu: status %d, out_len %zu, need %zu", case_names[kind],
                       cap, st, got, need);
                free(out);
            }
            char msg[96];
            snprintf(msg, sizeof msg, "output needs %zu bytes, capacity 3", need);
            char small[3];
            ck_assert_int_eq(case_fns[kind](small, 3, &(size_t){0}, text, len), HP_EBUFSIZE);
            ck_assert_str_eq(hp_last_error_message(), msg);
            free(full);
        }
    }
    hp_simd_set_level((int)saved);
}
END_TEST

START_TEST(test_case__argument_errors) {
    char out[16];
    size_t n = 99;
    for (int kind = 0; kind < CASE_KINDS; kind++) {
        case_fn fn = case_fns[kind];
        ck_assert_int_eq(fn(out, sizeof out, NULL, "a", 1), HP_EINVAL);
        ck_assert_str_eq(hp_last_error_message(), "out_len is NULL");
        n = 99;
        ck_assert_int_eq(fn(out, sizeof out, &n, NULL, 3), HP_EINVAL);
        ck_assert_uint_eq(n, 0);
        n = 99;
        ck_assert_int_eq(fn(NULL, 4, &n, "a", 1), HP_EINVAL);
        ck_assert_uint_eq(n, 0);
        ck_assert_str_eq(hp_last_error_message(), "out is NULL but capacity is 4");
        ck_assert_int_eq(fn(out, sizeof out, &n, "a", SIZE_MAX), HP_EOVERFLOW);
        ck_assert_int_eq(fn(out, sizeof out, &n, "a", HP_MAX_LEN + 1), HP_EOVERFLOW);
        /* empty input, with or without pointers */
        n = 99;
        ck_assert_int_eq(fn(NULL, 0, &n, NULL, 0), HP_OK);
        ck_assert_uint_eq(n, 0);
        ck_assert_int_eq(fn(out, sizeof out, &n, "", 0), HP_OK);
        ck_assert_uint_eq(n, 0);
    }
}
END_TEST

START_TEST(test_case__invalid_utf8_reports_offset) {
    static const struct {
        const char *s;
        size_t len, offset;
    } bad[] = {
        {"\xFF", 1, 0},
        {"abc\xC3", 4, 3},               /* truncated */
        {"ab\xED\xA0\x80" "cd", 7, 2},    /* surrogate */
        {"\xCE\xA3\xC0\x80", 4, 2},       /* overlong after a sigma */
        {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\x80", 41, 40},
    };
    hp_simd saved = hp_simd_level();
    for (int level = 0; level < 2; level++) {
        hp_simd_set_level(level ? (int)hp_simd_detected() : HP_SIMD_SCALAR);
        for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
            for (int kind = 0; kind < CASE_KINDS; kind++) {
                char out[256];
                size_t n = 0;
                ck_assert_int_eq(case_fns[kind](out, sizeof out, &n, bad[k].s, bad[k].len),
                                 HP_EUTF8);
                ck_assert_uint_eq(n, bad[k].offset);
                char want[64];
                snprintf(want, sizeof want, "invalid UTF-8 at byte %zu", bad[k].offset);
                ck_assert_msg(strncmp(hp_last_error_message(), want, strlen(want)) == 0,
                              "message: %s", hp_last_error_message());
                /* invalid input is reported even when the buffer is also too small */
                ck_assert_int_eq(case_fns[kind](NULL, 0, &n, bad[k].s, bad[k].len), HP_EUTF8);
            }
        }
    }
    hp_simd_set_level((int)saved);
}
END_TEST

START_TEST(test_case__bound_saturates) {
    ck_assert_uint_eq(hp_utf8_case_bound(0), 0);
    ck_assert_uint_eq(hp_utf8_case_bound(1), 3);
    ck_assert_uint_eq(hp_utf8_case_bound(1000), 3000);
    ck_assert_uint_eq(hp_utf8_case_bound(SIZE_MAX / 3), SIZE_MAX / 3 * 3);
    ck_assert_uint_eq(hp_utf8_case_bound(SIZE_MAX / 3 + 1), SIZE_MAX);
    ck_assert_uint_eq(hp_utf8_case_bound(SIZE_MAX), SIZE_MAX);
}
END_TEST

static size_t encode_cp(char *o, uint32_t cp) {
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The bound is len * 3: check that no single code point's mapping exceeds it, with a
 * buffer of exactly the bound (and its length as Python would count it: the mapping is
 * valid UTF-8 again). */
START_TEST(test_case__bound_holds_for_every_code_point) {
    char in[4], out[12];
    for (uint32_t cp = 0; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        size_t len = encode_cp(in, cp), bound = hp_utf8_case_bound(len);
        for (int kind = 0; kind < CASE_KINDS; kind++) {
            size_t n = 0;
            hp_status st = case_fns[kind](out, bound, &n, in, len);
            EXPECT(st == HP_OK && n <= bound, "%s(U+%04X): status %d, %zu bytes > bound %zu",
                   case_names[kind], (unsigned)cp, st, n, bound);
            EXPECT(hp_utf8_validate(out, n, NULL) == HP_OK, "%s(U+%04X) is not UTF-8",
                   case_names[kind], (unsigned)cp);
        }
    }
}
END_TEST

/* ------------------------------------------------------------------ properties, version */

START_TEST(test_case__property_functions_match_python) {
    /* chr(cp).isalnum() */
    static const uint32_t alnum[] = {'0', '9', 'a', 'Z', 0xAA, 0xB2, 0xB5, 0xC0, 0x0663,
                                     0x0966, 0x2160, 0x3007, 0x4E2D, 0xAC00, 0x10400,
                                     0x1D7CE, 0x20000};
    static const uint32_t not_alnum[] = {' ', '_', '-', 0x7F, 0xA0, 0xAD, 0xD7, 0x0301,
                                         0x0345, 0x2028, 0x3000, 0xD800, 0xE000, 0x1F600,
                                         0x10FFFF, 0x110000, 0xFFFFFFFF};
    /* chr(cp).isspace(): including the separators 0x1C..0x1F and U+0085 */
    static const uint32_t space[] = {' ', '\t', '\n', 0x0B, 0x0C, '\r', 0x1C, 0x1D, 0x1E,
                                     0x1F, 0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028,
                                     0x2029, 0x202F, 0x205F, 0x3000};
    static const uint32_t not_space[] = {'a', 0, 0x08, 0x0E, 0x180E, 0x200B, 0x2060, 0xFEFF,
                                         0x110000};
    for (size_t k = 0; k < sizeof alnum / sizeof alnum[0]; k++) {
        ck_assert_msg(hp__ucd_is_alnum(alnum[k]), "U+%04X is alnum", (unsigned)alnum[k]);
    }
    for (size_t k = 0; k < sizeof not_alnum / sizeof not_alnum[0]; k++) {
        ck_assert_msg(!hp__ucd_is_alnum(not_alnum[k]), "U+%04X is not alnum",
                      (unsigned)not_alnum[k]);
    }
    for (size_t k = 0; k < sizeof space / sizeof space[0]; k++) {
        ck_assert_msg(hp__ucd_is_space(space[k]), "U+%04X is space", (unsigned)space[k]);
    }
    for (size_t k = 0; k < sizeof not_space / sizeof not_space[0]; k++) {
        ck_assert_msg(!hp__ucd_is_space(not_space[k]), "U+%04X is not space",
                      (unsigned)not_space[k]);
    }
}
END_TEST

START_TEST(test_case__unicode_version_is_recorded) {
    const char *v = hp_unicode_version();
    unsigned major = 0, minor = 0, patch = 0;
    char end = 0;
    ck_assert_int_eq(sscanf(v, "%u.%u.%u%c", &major, &minor, &patch, &end), 3);
    ck_assert_uint_ge(major, 13);
}
END_TEST

/* Final sigma looks past any number of case-ignorable characters in both directions. */
START_TEST(test_case__final_sigma_scans_long_context) {
    enum { RUN = 5000 };
    char *in = malloc(2 * RUN + 16), *want = malloc(2 * RUN + 16);
    ck_assert_ptr_nonnull(in);
    ck_assert_ptr_nonnull(want);
    /* "A" + "'"*RUN + "Σ" + "'"*RUN [+ "b"] */
    for (int tail = 0; tail < 2; tail++) {
        size_t n = 0;
        in[n] = 'A';
        want[n++] = 'a';
        memset(in + n, '\'', RUN);
        memset(want + n, '\'', RUN);
        n += RUN;
        memcpy(in + n, "\xCE\xA3", 2);
        memcpy(want + n, tail ? "\xCF\x83" : "\xCF\x82", 2); /* cased after: not final */
        n += 2;
        memset(in + n, '\'', RUN);
        memset(want + n, '\'', RUN);
        n += RUN;
        if (tail) {
            in[n] = 'B';
            want[n++] = 'b';
        }
        expect_mapping(CASE_LOWER, in, n, want, n);
    }
    free(in);
    free(want);
}
END_TEST

/* ------------------------------------------------------------------ code-unit arrays */

typedef hp_status (*ucs_fn)(void *, size_t, size_t, size_t *, uint32_t *, const void *, size_t,
                            size_t);

static const ucs_fn ucs_fns[3] = {hp_ucs_casefold, hp_ucs_lower, hp_ucs_upper};

/* cps[0 .. n) as units of `width` bytes (every value must fit), in a malloc'd array. */
static void *to_units(const uint32_t *cps, size_t n, size_t width) {
    unsigned char *u = malloc(n * width + 1);
    ck_assert_ptr_nonnull(u);
    for (size_t k = 0; k < n; k++) {
        uint16_t v16 = (uint16_t)cps[k];
        if (width == 1) u[k] = (unsigned char)cps[k];
        else if (width == 2) memcpy(u + 2 * k, &v16, 2);
        else memcpy(u + 4 * k, &cps[k], 4);
    }
    return u;
}

static uint32_t unit_at(const unsigned char *u, size_t k, size_t width) {
    uint16_t v16;
    uint32_t v32;
    if (width == 1) return u[k];
    if (width == 2) {
        memcpy(&v16, u + 2 * k, 2);
        return v16;
    }
    memcpy(&v32, u + 4 * k, 4);
    return v32;
}

/* The UTF-8 function's mapping of cps[0 .. n), as code points (malloc'd, count in *m). */
static uint32_t *reference_cps(int kind, const uint32_t *cps, size_t n, size_t *m) {
    size_t len = 0, out_n = 0;
    char *utf8 = malloc(4 * n + 1);
    ck_assert_ptr_nonnull(utf8);
    ck_assert_int_eq(hp_utf32_to_utf8(utf8, 4 * n + 1, &len, cps, n), HP_OK);
    char *mapped = map_exact(kind, utf8, len, &out_n);
    uint32_t *out = malloc(4 * out_n + 4);
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(hp_utf8_to_utf32(out, out_n + 1, m, mapped, out_n), HP_OK);
    free(utf8);
    free(mapped);
    return out;
}

/* hp_ucs_<kind> of cps[0 .. n) at input `width`, measured then written at every output
 * width that holds the result, equals the UTF-8 function's mapping. */
static void expect_ucs(int kind, const uint32_t *cps, size_t n, size_t width) {
    size_t want_n = 0;
    uint32_t *want = reference_cps(kind, cps, n, &want_n);
    uint32_t want_max = 0;
    for (size_t k = 0; k < want_n; k++) want_max = want[k] > want_max ? want[k] : want_max;
    void *in = to_units(cps, n, width);
    size_t got_n = 99;
    uint32_t got_max = 99;
    hp_status st = ucs_fns[kind](NULL, 0, 4, &got_n, &got_max, in, n, width);
    EXPECT(st == (want_n ? HP_EBUFSIZE : HP_OK) && got_n == want_n && got_max == want_max,
           "%s, width %zu, %zu units: measured status %d, %zu units, max 0x%X; want %zu, "
           "0x%X", case_names[kind], width, n, st, got_n, (unsigned)got_max, want_n,
           (unsigned)want_max);
    for (size_t out_w = 1; out_w <= 4; out_w *= 2) {
        if (want_max > (out_w == 1 ? 0xFFu : out_w == 2 ? 0xFFFFu : 0x10FFFFu)) {
            unsigned char small[64];
            size_t cap = want_n < 16 ? want_n : 16;
            st = ucs_fns[kind](small, cap, out_w, &got_n, &got_max, in, n, width);
            EXPECT(st == HP_EBUFSIZE && got_n == want_n && got_max == want_max,
                   "%s: output 0x%X in units of %zu bytes: status %d", case_names[kind],
                   (unsigned)want_max, out_w, st);
            continue;
        }
        unsigned char *out = malloc(want_n * out_w + 1);
        ck_assert_ptr_nonnull(out);
        st = ucs_fns[kind](out, want_n, out_w, &got_n, &got_max, in, n, width);
        EXPECT(st == HP_OK && got_n == want_n && got_max == want_max,
               "%s, width %zu -> %zu: status %d, %zu units", case_names[kind], width, out_w,
               st, got_n);
        for (size_t k = 0; k < want_n; k++) {
            EXPECT(unit_at(out, k, out_w) == want[k],
                   "%s, width %zu -> %zu: unit %zu is 0x%X, want 0x%X", case_names[kind],
                   width, out_w, k, (unsigned)unit_at(out, k, out_w), (unsigned)want[k]);
        }
        free(out);
    }
    free(in);
    free(want);
}

START_TEST(test_case__ucs_matches_utf8_on_random_text) {
    hp_simd saved = hp_simd_level();
    enum { MAX = 3000 };
    char *text = malloc(MAX);
    uint32_t *cps = malloc(4 * MAX), *narrow = malloc(4 * MAX);
    ck_assert(text && cps && narrow);
    for (int round = 0; round < 60; round++) {
        size_t len = random_text(text, 17 + (size_t)(rng_next() % (MAX - 17)), round % 3);
        size_t n = 0;
        ck_assert_int_eq(hp_utf8_to_utf32(cps, MAX, &n, text, len), HP_OK);
        for (int level = 0; level < 2; level++) {
            hp_simd_set_level(level ? (int)hp_simd_detected() : HP_SIMD_SCALAR);
            for (int kind = 0; kind < 3; kind++) {
                for (size_t width = 1; width <= 4; width *= 2) {
                    /* the code points that fit the width, in order */
                    uint32_t top = width == 1 ? 0xFF : width == 2 ? 0xFFFF : 0x10FFFF;
                    size_t m = 0;
                    for (size_t k = 0; k < n; k++) {
                        if (cps[k] <= top) narrow[m++] = cps[k];
                    }
                    expect_ucs(kind, narrow, m, width);
                }
            }
        }
    }
    free(text);
    free(cps);
    free(narrow);
    hp_simd_set_level((int)saved);
}
END_TEST

/* Every code point but the surrogates, in runs of 512 separated by NUL (which maps to
 * itself and is neither cased nor case-ignorable), at input width 4 and each level. */
START_TEST(test_case__ucs_every_code_point) {
    hp_simd saved = hp_simd_level();
    enum { RUN = 512 };
    uint32_t cps[2 * RUN];
    for (int level = 0; level < 2; level++) {
        hp_simd_set_level(level ? (int)hp_simd_detected() : HP_SIMD_SCALAR);
        for (uint32_t start = 0; start < 0x110000; start += RUN) {
            size_t n = 0;
            for (uint32_t cp = start; cp < start + RUN; cp++) {
                if (cp >= 0xD800 && cp <= 0xDFFF) continue;
                cps[n++] = cp;
                cps[n++] = 0;
            }
            for (int kind = 0; kind < 3; kind++) {
                if (n) expect_ucs(kind, cps, n, 4);
            }
        }
    }
    hp_simd_set_level((int)saved);
}
END_TEST

START_TEST(test_case__ucs_errors) {
    uint32_t cps[40];
    uint16_t u16[40];
    unsigned char out[200];
    size_t n = 7;
    uint32_t max = 7;
    for (size_t k = 0; k < 40; k++) cps[k] = u16[k] = 'A';
    for (int level = 0; level < 2; level++) {
        hp_simd_set_level(level ? (int)hp_simd_detected() : HP_SIMD_SCALAR);
        for (int kind = 0; kind < 3; kind++) {
            ucs_fn f = ucs_fns[kind];
            ck_assert_int_eq(f(out, 40, 4, NULL, &max, cps, 40, 4), HP_EINVAL);
            ck_assert_int_eq(f(out, 40, 4, &n, NULL, cps, 40, 4), HP_EINVAL);
            ck_assert_uint_eq(n, 0);
            ck_assert_int_eq(f(out, 40, 4, &n, &max, cps, 40, 3), HP_EINVAL);
            ck_assert_str_eq(hp_last_error_message(), "width 3 is not 1, 2 or 4");
            ck_assert_int_eq(f(out, 40, 0, &n, &max, cps, 40, 4), HP_EINVAL);
            ck_assert_int_eq(f(out, 40, 4, &n, &max, NULL, 40, 4), HP_EINVAL);
            ck_assert_int_eq(f(NULL, 40, 4, &n, &max, cps, 40, 4), HP_EINVAL);
            ck_assert_int_eq(f(out, 40, 4, &n, &max, cps, SIZE_MAX / 2, 4), HP_EOVERFLOW);
            ck_assert_int_eq(f(out, SIZE_MAX / 2, 4, &n, &max, cps, 40, 4), HP_EOVERFLOW);
            ck_assert_int_eq(f(NULL, 0, 1, &n, &max, NULL, 0, 1), HP_OK);
            ck_assert_uint_eq(n, 0);
            ck_assert_uint_eq(max, 0);
            /* surrogates and values above U+10FFFF, after a vector's worth of ASCII */
            static const uint32_t bad[] = {0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x110000,
                                           0xFFFFFFFF};
            for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
                cps[33] = bad[b];
                max = 7;
                ck_assert_int_eq(f(out, 40, 4, &n, &max, cps, 40, 4), HP_ERANGE);
                ck_assert_uint_eq(n, 33);
                ck_assert_uint_eq(max, 0);
                if (bad[b] <= 0xFFFF) {
                    u16[33] = (uint16_t)bad[b];
                    ck_assert_int_eq(f(out, 40, 2, &n, &max, u16, 40, 2), HP_ERANGE);
                    ck_assert_uint_eq(n, 33);
                    u16[33] = 'A';
                }
            }
            char want[64];
            snprintf(want, sizeof want, "code point 0x%X at index 33 is not a Unicode scalar value",
                     0xFFFFFFFFu);
            ck_assert_str_eq(hp_last_error_message(), want);
            cps[33] = 'A';
            /* too few units: the exact need, nothing written past the capacity */
            memset(out, 0xEE, sizeof out);
            ck_assert_int_eq(f(out, 39, 1, &n, &max, cps, 40, 4), HP_EBUFSIZE);
            ck_assert_uint_eq(n, 40);
            ck_assert_uint_eq(max, kind == 2 ? 'A' : 'a');
            ck_assert_uint_eq(out[39], 0xEE);
            ck_assert_str_eq(hp_last_error_message(), "output needs 40 units, capacity 39");
        }
    }
    /* units too narrow for the result: µ folds to U+03BC, ÿ uppercases to U+0178 */
    unsigned char latin[2] = {0xB5, 0xFF};
    ck_assert_int_eq(hp_ucs_casefold(out, 2, 1, &n, &max, latin, 2, 1), HP_EBUFSIZE);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(max, 0x3BC);
    ck_assert_str_eq(hp_last_error_message(),
                     "output code point 0x3BC does not fit units of 1 bytes");
    ck_assert_int_eq(hp_ucs_upper(out, 2, 2, &n, &max, latin, 2, 1), HP_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(max, 0x39C);
    ck_assert_uint_eq(unit_at(out, 1, 2), 0x178);
    /* ß grows: Straße -> 7 units */
    static const unsigned char strasse[6] = {'S', 't', 'r', 'a', 0xDF, 'e'};
    ck_assert_int_eq(hp_ucs_casefold(out, 6, 1, &n, &max, strasse, 6, 1), HP_EBUFSIZE);
    ck_assert_uint_eq(n, 7);
    ck_assert_uint_eq(max, 't');
    ck_assert_int_eq(hp_ucs_casefold(out, 7, 1, &n, &max, strasse, 6, 1), HP_OK);
    ck_assert_mem_eq(out, "strasse", 7);
    hp_simd_set_level((int)hp_simd_detected());
}
END_TEST

Suite *test_case_suite(void) {
    Suite *s = suite_create("case");
    TCase *tc = tcase_create("case");
    tcase_set_timeout(tc, 240);
    tcase_add_test(tc, test_case__known_examples_on_every_level);
    tcase_add_test(tc, test_case__examples_across_block_boundaries);
    tcase_add_test(tc, test_case__simd_matches_scalar_on_random_text);
    tcase_add_test(tc, test_case__long_ascii_matches_reference);
    tcase_add_test(tc, test_case__too_small_buffer_reports_exact_size);
    tcase_add_test(tc, test_case__argument_errors);
    tcase_add_test(tc, test_case__invalid_utf8_reports_offset);
    tcase_add_test(tc, test_case__bound_saturates);
    tcase_add_test(tc, test_case__bound_holds_for_every_code_point);
    tcase_add_test(tc, test_case__property_functions_match_python);
    tcase_add_test(tc, test_case__unicode_version_is_recorded);
    tcase_add_test(tc, test_case__final_sigma_scans_long_context);
    tcase_add_test(tc, test_case__ucs_matches_utf8_on_random_text);
    tcase_add_test(tc, test_case__ucs_every_code_point);
    tcase_add_test(tc, test_case__ucs_errors);
    suite_add_tcase(s, tc);
    return s;
}
