/*
 * UTF-8 validation and decoding: hand-checked cases (every expected offset is what
 * Python's bytes.decode('utf-8') reports as UnicodeDecodeError.start), the same cases
 * moved across the 32- and 64-byte blocks of the AVX2 path, the scalar path against the
 * detected SIMD level and against a small independent reference on random input, and
 * the error paths of both functions.
 *
 * Then the extras: code point counting (same errors as validation, count against the
 * decoder), byte offsets to code-point indices (against a byte loop), the ASCII prefix
 * (one high byte at every position and alignment), and UTF-32 to UTF-8 encoding
 * (against the encoder of this file, round trips, buffer sizes, bad code points).
 */
#include "internal/common.h"
#include "suites.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define VALID_OFFSET SIZE_MAX

/* Check's ck_assert records every passing assertion (a write to the parent process),
 * which dominates loops of millions of checks; these only report failures. */
#define EXPECT(cond, ...)                                \
    do {                                                 \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);          \
    } while (0)

typedef struct utf8_case {
    const char *bytes;
    size_t len;
    size_t offset;      /* VALID_OFFSET when valid */
    const char *reason; /* NULL when valid */
} utf8_case;

#define VALID(lit) {lit, sizeof(lit) - 1, VALID_OFFSET, NULL}
#define INVALID(lit, off, why) {lit, sizeof(lit) - 1, off, why}

/* Offsets checked against Python 3 (UnicodeDecodeError.start). String pieces are split
 * where a hex escape would otherwise swallow the next character. */
static const utf8_case cases[] = {
    VALID(""),
    VALID("a"),
    VALID("\x00\x7F"),
    VALID("\xC2\x80"),             /* U+0080 */
    VALID("\xDF\xBF"),             /* U+07FF */
    VALID("\xE0\xA0\x80"),         /* U+0800 */
    VALID("\xED\x9F\xBF"),         /* U+D7FF, just below the surrogates */
    VALID("\xEE\x80\x80"),         /* U+E000, just above them */
    VALID("\xEF\xBF\xBF"),         /* U+FFFF */
    VALID("\xF0\x90\x80\x80"),     /* U+10000 */
    VALID("\xF4\x8F\xBF\xBF"),     /* U+10FFFF, the largest code point */
    VALID("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"),
    INVALID("\x80", 0, "unexpected continuation byte"),
    INVALID("a\xBF", 1, "unexpected continuation byte"),
    INVALID("\xC2\x80\x80", 2, "unexpected continuation byte"),
    INVALID("\xE2\x82\xAC\xAC", 3, "unexpected continuation byte"),
    INVALID("\xF0\x9F\x98\x80\x80", 4, "unexpected continuation byte"),
    INVALID("\xC0\x80", 0, "overlong encoding"),
    INVALID("\xC1\xBF", 0, "overlong encoding"),
    INVALID("\xC0", 0, "overlong encoding"),
    INVALID("\xE0\x80\x80", 0, "overlong encoding"),
    INVALID("\xE0\x9F\xBF", 0, "overlong encoding"),
    INVALID("\xE0\x80", 0, "overlong encoding"),
    INVALID("\xF0\x80\x80\x80", 0, "overlong encoding"),
    INVALID("\xF0\x8F\xBF\xBF", 0, "overlong encoding"),
    INVALID("\xED\xA0\x80", 0, "surrogate"),
    INVALID("\xED\xBF\xBF", 0, "surrogate"),
    INVALID("ab\xED\xB0\x80", 2, "surrogate"),
    INVALID("\xED\xA0", 0, "surrogate"),
    INVALID("\xF4\x90\x80\x80", 0, "code point above U+10FFFF"),
    INVALID("\xF4\xBF\xBF\xBF", 0, "code point above U+10FFFF"),
    INVALID("\xF4\x90", 0, "code point above U+10FFFF"),
    INVALID("\xF5\x80\x80\x80", 0, "invalid start byte"),
    INVALID("\xF8\x88\x80\x80\x80", 0, "invalid start byte"),
    INVALID("\xFE\xFF", 0, "invalid start byte"),
    INVALID("\xFF", 0, "invalid start byte"),
    INVALID("\xC2", 0, "truncated sequence"),
    INVALID("\xE2\x82", 0, "truncated sequence"),
    INVALID("\xF0\x9F\x98", 0, "truncated sequence"),
    INVALID("a\xF0", 1, "truncated sequence"),
    INVALID("ok\xC3\xA9\xE2\x82", 4, "truncated sequence"),
    INVALID("\xC2" "a", 0, "invalid continuation byte"),
    INVALID("\xE2\x82" "a", 0, "invalid continuation byte"),
    INVALID("\xE2\xC2\x80", 0, "invalid continuation byte"),
    INVALID("\xF0\x9F\x98" "a", 0, "invalid continuation byte"),
    INVALID("\xF0\x9F\x98\xF0\x9F\x98\x80", 0, "invalid continuation byte"),
    INVALID("\xC3\xA9\xE2\x28\xA1", 2, "invalid continuation byte"),
};
#define NCASES (sizeof cases / sizeof cases[0])

/* ------------------------------------------------------------------ helpers */

static hp_simd initial_level;

static void save_level(void) { initial_level = hp_simd_level(); }
static void restore_level(void) { ck_assert_int_eq(hp_simd_set_level(initial_level), HP_OK); }

/* The levels worth comparing: scalar, and the best this machine has (if different). */
static int levels[2];
static int nlevels(void) {
    levels[0] = HP_SIMD_SCALAR;
    levels[1] = hp_simd_detected();
    return levels[1] == HP_SIMD_SCALAR ? 1 : 2;
}

typedef struct outcome {
    hp_status status;
    size_t offset;
    char message[128];
} outcome;

static outcome run_validate(int level, const char *s, size_t len) {
    outcome o;
    EXPECT(hp_simd_set_level(level) == HP_OK, "cannot set SIMD level %d", level);
    o.offset = 0xDEAD;
    o.status = hp_utf8_validate(s, len, &o.offset);
    snprintf(o.message, sizeof o.message, "%s", o.status == HP_OK ? "" : hp_last_error_message());
    return o;
}

static void check_valid_at(int level, const char *s, size_t len) {
    outcome o = run_validate(level, s, len);
    EXPECT(o.status == HP_OK, "level %s, len %zu: %s", hp_simd_name(level), len, o.message);
    EXPECT(o.offset == len, "level %s: offset %zu on valid input of %zu bytes",
           hp_simd_name(level), o.offset, len);
}

static void check_invalid_at(int level, const char *s, size_t len, size_t offset,
                             const char *reason) {
    outcome o = run_validate(level, s, len);
    EXPECT(o.status == HP_EUTF8, "level %s, len %zu: expected an error at %zu",
           hp_simd_name(level), len, offset);
    EXPECT(o.offset == offset, "level %s, len %zu: offset %zu, expected %zu (%s)",
           hp_simd_name(level), len, o.offset, offset, o.message);
    if (reason != NULL) {
        char expect[128];
        snprintf(expect, sizeof expect, "invalid UTF-8 at byte %zu: %s", offset, reason);
        EXPECT(strcmp(o.message, expect) == 0, "level %s: \"%s\", expected \"%s\"",
               hp_simd_name(level), o.message, expect);
    }
}

/* The SIMD outcome must be the scalar one, message included. */
static void check_same(int level, const outcome *got, const outcome *scalar) {
    EXPECT(got->status == scalar->status && got->offset == scalar->offset &&
               strcmp(got->message, scalar->message) == 0,
           "level %s: %d at %zu \"%s\"; scalar: %d at %zu \"%s\"", hp_simd_name(level),
           got->status, got->offset, got->message, scalar->status, scalar->offset,
           scalar->message);
}

/* splitmix64: a deterministic PRNG so failures reproduce. */
static uint64_t rng_next(uint64_t *state) {
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}
static size_t rng_below(uint64_t *state, size_t n) { return (size_t)(rng_next(state) % n); }

static size_t encode(uint32_t cp, unsigned char *out) {
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | cp >> 6);
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | cp >> 12);
        out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | cp >> 18);
    out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Valid text of exactly n bytes mixing 1- to 4-byte characters: é, €, 😀, then ASCII. */
static void fill_mixed(unsigned char *out, size_t n, size_t phase) {
    static const uint32_t by_len[5] = {0, 'q', 0xE9, 0x20AC, 0x1F600};
    size_t i = 0;
    while (i < n) {
        size_t want = 1 + (phase++ % 4), left = n - i;
        i += encode(by_len[want <= left ? want : left], out + i);
    }
}

/* A code point drawn from the edges of every encoding length and some ordinary text. */
static uint32_t random_code_point(uint64_t *rng) {
    static const uint32_t edges[] = {0x00,   0x7F,   0x80,    0x7FF,   0x800,  0xD7FF,
                                     0xE000, 0xFFFD, 0xFFFF,  0x10000, 0x1F600, 0x10FFFF};
    switch (rng_below(rng, 6)) {
    case 0: return edges[rng_below(rng, sizeof edges / sizeof edges[0])];
    case 1: return 0x430 + (uint32_t)rng_below(rng, 32);   /* Cyrillic */
    case 2: return 0x4E00 + (uint32_t)rng_below(rng, 2000); /* CJK */
    case 3: return 0x10000 + (uint32_t)rng_below(rng, 0x100000);
    default: return 0x20 + (uint32_t)rng_below(rng, 95);
    }
}

static size_t random_text(uint64_t *rng, unsigned char *out, size_t cap) {
    size_t n = 0;
    size_t chars = rng_below(rng, cap / 4);
    bool ascii_run = rng_below(rng, 3) == 0;
    for (size_t k = 0; k < chars; k++) {
        uint32_t cp = ascii_run && rng_below(rng, 8) ? 'a' + (uint32_t)rng_below(rng, 26)
                                                     : random_code_point(rng);
        n += encode(cp, out + n);
    }
    return n;
}

/* Break text the ways real data breaks: a random byte, an inserted lead or stray
 * continuation, a deleted byte, a cut. */
static size_t mutate(uint64_t *rng, unsigned char *buf, size_t n, size_t cap) {
    static const unsigned char nasty[] = {0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                                          0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
    size_t edits = rng_below(rng, 4);
    for (size_t e = 0; e < edits && n > 0; e++) {
        size_t at = rng_below(rng, n);
        switch (rng_below(rng, 4)) {
        case 0: buf[at] = (unsigned char)rng_next(rng); break;
        case 1:
            if (n < cap) {
                memmove(buf + at + 1, buf + at, n - at);
                buf[at] = nasty[rng_below(rng, sizeof nasty)];
                n++;
            }
            break;
        case 2:
            memmove(buf + at, buf + at + 1, n - at - 1);
            n--;
            break;
        default: n = at; break;
        }
    }
    return n;
}

/*
 * An independent reference written differently from lib/text/utf8.c: decode the whole
 * code point, then judge its value (shortest form, not a surrogate, at most U+10FFFF).
 * It reports where the first bad character starts, which is all Python reports too.
 */
static bool reference_validate(const unsigned char *s, size_t len, size_t *offset) {
    size_t i = 0;
    while (i < len) {
        unsigned char b = s[i];
        size_t n = b < 0x80 ? 1 : b >= 0xC0 && b < 0xE0 ? 2 : b >= 0xE0 && b < 0xF0 ? 3
                                : b >= 0xF0 && b < 0xF8 ? 4 : 0;
        bool ok = n != 0;
        uint32_t cp = n == 1 ? b : n == 2 ? b & 0x1Fu : n == 3 ? b & 0x0Fu : b & 0x07u;
        size_t k = 1;
        for (; ok && k < n; k++) {
            if (i + k >= len || (s[i + k] & 0xC0) != 0x80) break;
            cp = cp << 6 | (s[i + k] & 0x3Fu);
        }
        static const uint32_t shortest[5] = {0, 0, 0x80, 0x800, 0x10000};
        ok = ok && k == n && (n == 1 || cp >= shortest[n]) && cp <= 0x10FFFF &&
             (cp < 0xD800 || cp > 0xDFFF);
        if (!ok) {
            *offset = i;
            return false;
        }
        i += n;
    }
    *offset = len;
    return true;
}

/* ------------------------------------------------------------------ validate: cases */

START_TEST(test_utf8__empty_input_is_valid) {
    size_t off = 99;
    ck_assert_int_eq(hp_utf8_validate("", 0, &off), HP_OK);
    ck_assert_uint_eq(off, 0);
    off = 99;
    ck_assert_int_eq(hp_utf8_validate(NULL, 0, &off), HP_OK);
    ck_assert_uint_eq(off, 0);
    ck_assert_int_eq(hp_utf8_validate(NULL, 0, NULL), HP_OK);
}
END_TEST

START_TEST(test_utf8__rejects_null_with_length) {
    size_t off = 99;
    ck_assert_int_eq(hp_utf8_validate(NULL, 5, &off), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "s is NULL but length is 5");
    ck_assert_int_eq(hp_last_error_status(), HP_EINVAL);
}
END_TEST

START_TEST(test_utf8__rejects_huge_length) {
    size_t off = 99;
    ck_assert_int_eq(hp_utf8_validate("a", SIZE_MAX, &off), HP_EOVERFLOW);
    ck_assert_int_eq(hp_utf8_validate("a", HP_MAX_LEN + 1, NULL), HP_EOVERFLOW);
    ck_assert_int_eq(hp_utf8_validate(NULL, SIZE_MAX, NULL), HP_EOVERFLOW);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
}
END_TEST

START_TEST(test_utf8__fixed_cases_on_every_level) {
    int n = nlevels();
    save_level();
    for (int l = 0; l < n; l++) {
        for (size_t c = 0; c < NCASES; c++) {
            const utf8_case *k = &cases[c];
            if (k->reason == NULL) {
                check_valid_at(levels[l], k->bytes, k->len);
            } else {
                check_invalid_at(levels[l], k->bytes, k->len, k->offset, k->reason);
            }
        }
    }
    restore_level();
}
END_TEST

START_TEST(test_utf8__accepts_max_code_point) {
    size_t off = 0;
    ck_assert_int_eq(hp_utf8_validate("\xF4\x8F\xBF\xBF", 4, &off), HP_OK);
    ck_assert_uint_eq(off, 4);
    ck_assert_int_eq(hp_utf8_validate("\xF4\x90\x80\x80", 4, &off), HP_EUTF8);
    ck_assert_uint_eq(off, 0);
    ck_assert_str_eq(hp_last_error_message(), "invalid UTF-8 at byte 0: code point above U+10FFFF");
}
END_TEST

START_TEST(test_utf8__rejects_surrogate) {
    size_t off = 99;
    ck_assert_int_eq(hp_utf8_validate("\xED\xA0\x80", 3, &off), HP_EUTF8);
    ck_assert_uint_eq(off, 0);
    ck_assert_str_eq(hp_last_error_message(), "invalid UTF-8 at byte 0: surrogate");
    ck_assert_int_eq(hp_utf8_validate("\xED\x9F\xBF", 3, &off), HP_OK);
}
END_TEST

START_TEST(test_utf8__rejects_overlong) {
    static const char *const overlong[] = {"\xC0\x80", "\xE0\x80\x80", "\xF0\x80\x80\x80"};
    for (size_t k = 0; k < 3; k++) {
        char buf[32];
        memset(buf, 'x', 17);
        size_t n = strlen(overlong[k]);
        memcpy(buf + 17, overlong[k], n);
        size_t off = 0;
        ck_assert_int_eq(hp_utf8_validate(buf, 17 + n, &off), HP_EUTF8);
        ck_assert_uint_eq(off, 17);
        ck_assert_str_eq(hp_last_error_message(), "invalid UTF-8 at byte 17: overlong encoding");
        ck_assert_int_eq(hp_last_error_status(), HP_EUTF8);
    }
}
END_TEST

START_TEST(test_utf8__error_offset_is_optional) {
    ck_assert_int_eq(hp_utf8_validate("\xC3\xA9", 2, NULL), HP_OK);
    ck_assert_int_eq(hp_utf8_validate("\xC3", 1, NULL), HP_EUTF8);
    ck_assert_str_eq(hp_last_error_message(), "invalid UTF-8 at byte 0: truncated sequence");
}
END_TEST

START_TEST(test_utf8__reads_only_len_bytes) {
    size_t off = 99;
    /* NUL is valid UTF-8 and does not end the input; bytes past len are not read */
    ck_assert_int_eq(hp_utf8_validate("a\0b\x80", 3, &off), HP_OK);
    ck_assert_uint_eq(off, 3);
    ck_assert_int_eq(hp_utf8_validate("a\0b\x80", 4, &off), HP_EUTF8);
    ck_assert_uint_eq(off, 3);
    ck_assert_int_eq(hp_utf8_validate("\xE2\x82\xAC", 2, &off), HP_EUTF8);
    ck_assert_uint_eq(off, 0);
}
END_TEST

/* Every fixed case at every position 0..140 after ASCII or mixed text, followed by
 * nothing or by more text, so each error lands inside, across and at the end of the
 * 32- and 64-byte blocks. A valid prefix of whole characters only shifts the offset. */
START_TEST(test_utf8__cases_across_block_boundaries) {
    static const size_t suffixes[] = {0, 1, 7, 40};
    unsigned char buf[256];
    int n = nlevels();
    save_level();
    for (int mixed = 0; mixed < 2; mixed++) {
        for (size_t c = 0; c < NCASES; c++) {
            const utf8_case *k = &cases[c];
            for (size_t pos = 0; pos <= 140; pos++) {
                for (size_t sfx = 0; sfx < 4; sfx++) {
                    size_t tail = suffixes[sfx], len = pos + k->len + tail;
                    if (mixed) {
                        fill_mixed(buf, pos, pos);
                        fill_mixed(buf + pos + k->len, tail, 1);
                    } else {
                        memset(buf, 'a', len);
                    }
                    memcpy(buf + pos, k->bytes, k->len);
                    /* followed by text, a cut-off sequence is just a bad one */
                    bool same_reason = k->reason == NULL || tail == 0 ||
                                       strcmp(k->reason, "truncated sequence") != 0;
                    for (int l = 0; l < n; l++) {
                        if (k->reason == NULL) {
                            check_valid_at(levels[l], (const char *)buf, len);
                        } else {
                            check_invalid_at(levels[l], (const char *)buf, len, pos + k->offset,
                                             same_reason ? k->reason : NULL);
                        }
                    }
                }
            }
        }
    }
    restore_level();
}
END_TEST

START_TEST(test_utf8__one_bad_byte_at_every_position) {
    static const unsigned char bad[] = {0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xE0, 0xED,
                                        0xF0, 0xF4, 0xF5, 0xFF};
    char buf[131];
    int n = nlevels();
    save_level();
    for (size_t b = 0; b < sizeof bad; b++) {
        for (size_t pos = 0; pos < sizeof buf; pos++) {
            memset(buf, 'a', sizeof buf);
            buf[pos] = (char)bad[b];
            check_invalid_at(HP_SIMD_SCALAR, buf, sizeof buf, pos, NULL);
            outcome ref = run_validate(HP_SIMD_SCALAR, buf, sizeof buf);
            for (int l = 1; l < n; l++) {
                outcome o = run_validate(levels[l], buf, sizeof buf);
                check_same(levels[l], &o, &ref);
            }
        }
    }
    restore_level();
}
END_TEST

/* All two-byte inputs, and every third byte after each E0..FF lead and continuation,
 * placed where the sequence straddles the first 64-byte block. */
START_TEST(test_utf8__exhaustive_short_sequences_agree) {
    unsigned char buf[72];
    int n = nlevels();
    save_level();
    memset(buf, 'a', sizeof buf);
    for (unsigned a = 0x80; a < 0x100; a++) {
        for (unsigned b = 0; b < 0x100; b++) {
            bool three = a >= 0xE0 && (b & 0xC0) == 0x80;
            for (unsigned c = 0; c < (three ? 0x100u : 1u); c++) {
                buf[62] = (unsigned char)a;
                buf[63] = (unsigned char)b;
                buf[64] = (unsigned char)c;
                size_t len = three ? 65 : 64, ref_off = 0;
                bool ok = reference_validate(buf, len, &ref_off);
                for (int l = 0; l < n; l++) {
                    outcome o = run_validate(levels[l], (const char *)buf, len);
                    EXPECT(o.status == (ok ? HP_OK : HP_EUTF8) && o.offset == ref_off,
                           "level %s, %02X %02X %02X: %d at %zu, reference %s at %zu",
                           hp_simd_name(levels[l]), a, b, c, o.status, o.offset,
                           ok ? "valid" : "invalid", ref_off);
                }
            }
        }
    }
    restore_level();
}
END_TEST

START_TEST(test_utf8__random_scalar_matches_simd_and_reference) {
    enum { CAP = 1200 };
    static unsigned char buf[CAP];
    uint64_t rng = 0x5EED0001;
    int n = nlevels();
    save_level();
    for (int iter = 0; iter < 6000; iter++) {
        size_t len = random_text(&rng, buf, CAP - 8);
        if (iter % 4 != 0) len = mutate(&rng, buf, len, CAP);
        size_t ref_off = 0;
        bool ok = reference_validate(buf, len, &ref_off);
        outcome scalar = run_validate(HP_SIMD_SCALAR, (const char *)buf, len);
        EXPECT(scalar.status == (ok ? HP_OK : HP_EUTF8) && scalar.offset == ref_off,
               "iteration %d: scalar %d at %zu, reference %s at %zu", iter, scalar.status,
               scalar.offset, ok ? "valid" : "invalid", ref_off);
        for (int l = 1; l < n; l++) {
            outcome o = run_validate(levels[l], (const char *)buf, len);
            check_same(levels[l], &o, &scalar);
        }
    }
    restore_level();
}
END_TEST

/* A long valid buffer with one error far from the start: the SIMD path must find the
 * failing block among thousands and still report the exact byte. */
START_TEST(test_utf8__error_deep_in_long_input) {
    enum { LEN = 1 << 16 };
    static unsigned char buf[LEN];
    uint64_t rng = 0x5EED0002;
    int n = nlevels();
    save_level();
    for (int iter = 0; iter < 40; iter++) {
        if (iter % 2) {
            fill_mixed(buf, LEN, (size_t)iter);
        } else {
            memset(buf, 'z', LEN);
        }
        for (int l = 0; l < n; l++) check_valid_at(levels[l], (const char *)buf, LEN);
        size_t at = LEN - 1 - rng_below(&rng, LEN / 2);
        while (at > 0 && (buf[at] & 0xC0) == 0x80) at--;
        const utf8_case *k = &cases[rng_below(&rng, NCASES)];
        while (k->reason == NULL) k = &cases[rng_below(&rng, NCASES)];
        size_t len = at + k->len;
        memcpy(buf + at, k->bytes, k->len);
        for (int l = 0; l < n; l++) {
            check_invalid_at(levels[l], (const char *)buf, len, at + k->offset, k->reason);
        }
    }
    restore_level();
}
END_TEST

typedef struct thread_job {
    size_t at;
    int failures;
} thread_job;

static void *validate_in_thread(void *arg) {
    thread_job *job = arg;
    char buf[200], expect[64];
    memset(buf, 'a', sizeof buf);
    buf[job->at] = (char)0xFF;
    snprintf(expect, sizeof expect, "invalid UTF-8 at byte %zu: invalid start byte", job->at);
    for (int i = 0; i < 2000; i++) {
        size_t off = 0;
        if (hp_utf8_validate(buf, sizeof buf, &off) != HP_EUTF8 || off != job->at ||
            strcmp(hp_last_error_message(), expect) != 0) {
            job->failures++;
        }
    }
    return NULL;
}

START_TEST(test_utf8__concurrent_calls_keep_their_own_errors) {
    pthread_t threads[4];
    thread_job jobs[4] = {{3, 0}, {63, 0}, {64, 0}, {150, 0}};
    for (int t = 0; t < 4; t++) {
        ck_assert_int_eq(pthread_create(&threads[t], NULL, validate_in_thread, &jobs[t]), 0);
    }
    for (int t = 0; t < 4; t++) {
        ck_assert_int_eq(pthread_join(threads[t], NULL), 0);
        ck_assert_int_eq(jobs[t].failures, 0);
    }
}
END_TEST

/* ------------------------------------------------------------------ to_utf32 */

START_TEST(test_utf8__bound_is_length) {
    ck_assert_uint_eq(hp_utf8_to_utf32_bound(0), 0);
    ck_assert_uint_eq(hp_utf8_to_utf32_bound(17), 17);
    ck_assert_uint_eq(hp_utf8_to_utf32_bound(HP_MAX_LEN), HP_MAX_LEN);
}
END_TEST

START_TEST(test_utf8__to_utf32_decodes_known_code_points) {
    static const char text[] = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\x00"
                               "\xC2\x80\xDF\xBF\xE0\xA0\x80\xEF\xBF\xBF\xF0\x90\x80\x80";
    static const uint32_t expect[] = {0x61, 0xE9, 0x20AC, 0x1F600, 0x10FFFF, 0x00, 0x80,
                                      0x7FF, 0x800, 0xFFFF, 0x10000};
    enum { N = sizeof expect / sizeof expect[0] };
    uint32_t out[64];
    size_t n = 0;
    ck_assert_int_eq(hp_utf8_to_utf32(out, 64, &n, text, sizeof text - 1), HP_OK);
    ck_assert_uint_eq(n, N);
    for (size_t i = 0; i < N; i++) ck_assert_uint_eq(out[i], expect[i]);
}
END_TEST

START_TEST(test_utf8__to_utf32_long_ascii) {
    char text[100];
    uint32_t out[100];
    for (size_t i = 0; i < sizeof text; i++) text[i] = (char)(' ' + i % 95);
    size_t n = 0;
    ck_assert_int_eq(hp_utf8_to_utf32(out, 100, &n, text, sizeof text), HP_OK);
    ck_assert_uint_eq(n, 100);
    for (size_t i = 0; i < n; i++) ck_assert_uint_eq(out[i], (uint32_t)(' ' + i % 95));
}
END_TEST

START_TEST(test_utf8__to_utf32_random_round_trip) {
    enum { CAP = 900 };
    static unsigned char text[CAP], again[CAP];
    static uint32_t out[CAP];
    uint64_t rng = 0x5EED0003;
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = random_text(&rng, text, CAP);
        size_t n = 0;
        EXPECT(hp_utf8_to_utf32(out, CAP, &n, (const char *)text, len) == HP_OK,
               "iteration %d: %s", iter, hp_last_error_message());
        size_t back = 0;
        for (size_t i = 0; i < n; i++) back += encode(out[i], again + back);
        EXPECT(back == len && memcmp(text, again, len) == 0, "iteration %d: no round trip",
               iter);
        /* the size query gives the same count */
        size_t need = 0;
        hp_status st = hp_utf8_to_utf32(NULL, 0, &need, (const char *)text, len);
        EXPECT(st == (n == 0 ? HP_OK : HP_EBUFSIZE) && need == n,
               "iteration %d: size query %d, %zu; decoded %zu", iter, st, need, n);
    }
}
END_TEST

START_TEST(test_utf8__to_utf32_reports_needed_size) {
    const char *text = "a\xC3\xA9\xE2\x82\xAC"; /* 6 bytes, 3 code points */
    uint32_t out[4] = {7, 7, 7, 7};
    size_t n = 0;
    ck_assert_int_eq(hp_utf8_to_utf32(out, 2, &n, text, 6), HP_EBUFSIZE);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(hp_last_error_message(), "output needs 3 code points, capacity 2");
    ck_assert_int_eq(hp_last_error_status(), HP_EBUFSIZE);

    /* exactly enough room, and nothing written past it */
    ck_assert_int_eq(hp_utf8_to_utf32(out, 3, &n, text, 6), HP_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(out[0], 0x61);
    ck_assert_uint_eq(out[1], 0xE9);
    ck_assert_uint_eq(out[2], 0x20AC);
    ck_assert_uint_eq(out[3], 7);
}
END_TEST

START_TEST(test_utf8__to_utf32_size_query_with_null_out) {
    size_t n = 0;
    ck_assert_int_eq(hp_utf8_to_utf32(NULL, 0, &n, "\xF0\x9F\x98\x80" "ab", 6), HP_EBUFSIZE);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(hp_last_error_message(), "output needs 3 code points, capacity 0");
    n = 99;
    ck_assert_int_eq(hp_utf8_to_utf32(NULL, 0, &n, "", 0), HP_OK);
    ck_assert_uint_eq(n, 0);
    n = 99;
    ck_assert_int_eq(hp_utf8_to_utf32(NULL, 0, &n, NULL, 0), HP_OK);
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_utf8__to_utf32_rejects_invalid_input) {
    uint32_t out[64];
    size_t n = 0;
    /* validation comes first: a bad byte wins over a small buffer */
    ck_assert_int_eq(hp_utf8_to_utf32(out, 1, &n, "abc\xED\xA0\x80", 6), HP_EUTF8);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(hp_last_error_message(), "invalid UTF-8 at byte 3: surrogate");
    ck_assert_int_eq(hp_utf8_to_utf32(NULL, 0, &n, "\xE2\x82", 2), HP_EUTF8);
    ck_assert_uint_eq(n, 0);
    ck_assert_str_eq(hp_last_error_message(), "invalid UTF-8 at byte 0: truncated sequence");
    int levels_n = nlevels();
    save_level();
    for (int l = 0; l < levels_n; l++) {
        char buf[100];
        memset(buf, 'a', sizeof buf);
        buf[70] = (char)0xC0;
        buf[71] = (char)0x80;
        ck_assert_int_eq(hp_simd_set_level(levels[l]), HP_OK);
        ck_assert_int_eq(hp_utf8_to_utf32(out, 64, &n, buf, sizeof buf), HP_EUTF8);
        ck_assert_uint_eq(n, 70);
    }
    restore_level();
}
END_TEST

START_TEST(test_utf8__to_utf32_argument_errors) {
    uint32_t out[4];
    size_t n = 99;
    ck_assert_int_eq(hp_utf8_to_utf32(out, 4, NULL, "a", 1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "out_len is NULL");
    ck_assert_int_eq(hp_utf8_to_utf32(out, 4, &n, NULL, 1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "s is NULL but length is 1");
    ck_assert_int_eq(hp_utf8_to_utf32(NULL, 4, &n, "a", 1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "out is NULL but capacity is 4");
    ck_assert_int_eq(hp_utf8_to_utf32(out, 4, &n, "a", SIZE_MAX), HP_EOVERFLOW);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
}
END_TEST

/* ------------------------------------------------------------------ count */

START_TEST(test_utf8__count_known_text) {
    size_t n = 99;
    ck_assert_int_eq(hp_utf8_count(&n, "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 10), HP_OK);
    ck_assert_uint_eq(n, 4);
    n = 99;
    ck_assert_int_eq(hp_utf8_count(&n, "", 0), HP_OK);
    ck_assert_uint_eq(n, 0);
    n = 99;
    ck_assert_int_eq(hp_utf8_count(&n, NULL, 0), HP_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(hp_utf8_count(&n, "a\0b", 3), HP_OK); /* NUL is a character */
    ck_assert_uint_eq(n, 3);
}
END_TEST

/* Every fixed case, moved across the 64-byte blocks after ASCII or mixed text: the
 * count of valid input is the number of decoded code points, and invalid input fails
 * exactly as hp_utf8_validate does (offset in *out, same message), at every level. */
START_TEST(test_utf8__count_cases_across_block_boundaries) {
    unsigned char buf[256];
    uint32_t cps[256];
    int n = nlevels();
    save_level();
    for (int mixed = 0; mixed < 2; mixed++) {
        for (size_t c = 0; c < NCASES; c++) {
            const utf8_case *k = &cases[c];
            for (size_t pos = 0; pos <= 140; pos++) {
                size_t len = pos + k->len + 5;
                if (mixed) {
                    fill_mixed(buf, pos, pos);
                } else {
                    memset(buf, 'a', pos);
                }
                memcpy(buf + pos, k->bytes, k->len);
                memcpy(buf + pos + k->len, "tail!", 5);
                outcome v = run_validate(HP_SIMD_SCALAR, (const char *)buf, len);
                size_t want = 0;
                if (v.status == HP_OK) {
                    EXPECT(hp_utf8_to_utf32(cps, 256, &want, (const char *)buf, len) == HP_OK,
                           "decode");
                }
                for (int l = 0; l < n; l++) {
                    EXPECT(hp_simd_set_level(levels[l]) == HP_OK, "set level");
                    size_t got = 0xDEAD;
                    hp_status st = hp_utf8_count(&got, (const char *)buf, len);
                    const char *msg = st == HP_OK ? "" : hp_last_error_message();
                    EXPECT(st == v.status && got == (st == HP_OK ? want : v.offset) &&
                               strcmp(msg, v.message) == 0,
                           "level %s case %zu pos %zu: %d, %zu \"%s\"; expected %d, %zu \"%s\"",
                           hp_simd_name(levels[l]), c, pos, st, got, msg, v.status,
                           v.status == HP_OK ? want : v.offset, v.message);
                }
            }
        }
    }
    restore_level();
}
END_TEST

START_TEST(test_utf8__count_random_matches_decoder_and_levels) {
    enum { CAP = 1200 };
    static unsigned char buf[CAP];
    static uint32_t cps[CAP];
    uint64_t rng = 0x5EED0011;
    int n = nlevels();
    save_level();
    for (int iter = 0; iter < 4000; iter++) {
        size_t len = random_text(&rng, buf, CAP - 8);
        if (iter % 3 == 0) len = mutate(&rng, buf, len, CAP);
        size_t ref_off = 0, want = 0;
        bool ok = reference_validate(buf, len, &ref_off);
        if (ok) {
            EXPECT(hp_utf8_to_utf32(cps, CAP, &want, (const char *)buf, len) == HP_OK, "dec");
        }
        for (int l = 0; l < n; l++) {
            EXPECT(hp_simd_set_level(levels[l]) == HP_OK, "set level");
            size_t got = 0;
            hp_status st = hp_utf8_count(&got, (const char *)buf, len);
            EXPECT(st == (ok ? HP_OK : HP_EUTF8) && got == (ok ? want : ref_off),
                   "iteration %d level %s: %d, %zu; expected %s, %zu", iter,
                   hp_simd_name(levels[l]), st, got, ok ? "valid" : "invalid",
                   ok ? want : ref_off);
        }
    }
    restore_level();
}
END_TEST

/* Long inputs: many all-ASCII and mixed 64-byte blocks, every tail length. */
START_TEST(test_utf8__count_long_text_every_tail) {
    enum { LEN = 70000 };
    static unsigned char buf[LEN];
    int n = nlevels();
    save_level();
    for (int kind = 0; kind < 3; kind++) {
        if (kind == 0) memset(buf, 'x', LEN);
        if (kind == 1) fill_mixed(buf, LEN, 0);
        if (kind == 2) {
            fill_mixed(buf, LEN, 1);
            memset(buf + 1000, 'y', 30000); /* long ASCII run inside mixed text */
        }
        for (size_t len = LEN - 200; len <= LEN; len++) {
            size_t want = 0, got = 0;
            /* cut back to a character boundary */
            size_t cut = len;
            while (cut > 0 && cut < LEN && (buf[cut] & 0xC0) == 0x80) cut--;
            for (size_t i = 0; i < cut; i++) want += (buf[i] & 0xC0) != 0x80;
            for (int l = 0; l < n; l++) {
                EXPECT(hp_simd_set_level(levels[l]) == HP_OK, "set level");
                EXPECT(hp_utf8_count(&got, (const char *)buf, cut) == HP_OK && got == want,
                       "kind %d level %s len %zu: %zu, expected %zu", kind,
                       hp_simd_name(levels[l]), cut, got, want);
            }
        }
    }
    restore_level();
}
END_TEST

START_TEST(test_utf8__count_argument_errors) {
    size_t n = 99;
    ck_assert_int_eq(hp_utf8_count(NULL, "a", 1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "out is NULL");
    ck_assert_int_eq(hp_utf8_count(&n, NULL, 3), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "s is NULL but length is 3");
    ck_assert_int_eq(hp_utf8_count(&n, "a", SIZE_MAX), HP_EOVERFLOW);
    ck_assert_int_eq(hp_utf8_count(&n, "a", HP_MAX_LEN + (size_t)1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
    ck_assert_uint_eq(n, 99); /* untouched on argument errors */
    ck_assert_int_eq(hp_utf8_count(&n, "ab\xFF", 3), HP_EUTF8);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(hp_last_error_message(), "invalid UTF-8 at byte 2: invalid start byte");
}
END_TEST

/* ------------------------------------------------------------------ offset_to_index */

START_TEST(test_utf8__offset_to_index_known_text) {
    /* a | é | € | 😀 | z : characters start at bytes 0, 1, 3, 6, 10; the end is 11 */
    const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80z";
    int64_t off[] = {0, 0, 1, 3, 3, 6, 10, 11, 11};
    static const int64_t want[] = {0, 0, 1, 2, 2, 3, 4, 5, 5};
    ck_assert_int_eq(hp_utf8_offset_to_index(off, 9, s, 11), HP_OK);
    for (size_t i = 0; i < 9; i++) ck_assert_int_eq(off[i], want[i]);
    /* nothing to convert */
    ck_assert_int_eq(hp_utf8_offset_to_index(NULL, 0, s, 11), HP_OK);
    ck_assert_int_eq(hp_utf8_offset_to_index(NULL, 0, NULL, 0), HP_OK);
    int64_t zero[2] = {0, 0};
    ck_assert_int_eq(hp_utf8_offset_to_index(zero, 2, NULL, 0), HP_OK);
    ck_assert_int_eq(zero[0], 0);
    ck_assert_int_eq(zero[1], 0);
}
END_TEST

/* Random text, random sorted character boundaries (repeats, 0 and len included), gaps
 * from 0 to the whole text; the answer is a byte loop, on every level. */
START_TEST(test_utf8__offset_to_index_random_matches_byte_loop) {
    enum { CAP = 4000, MAXN = 64 };
    static unsigned char buf[CAP];
    static size_t index_of[CAP + 1]; /* code points before each byte */
    int64_t off[MAXN], got[MAXN];
    uint64_t rng = 0x5EED0012;
    int n = nlevels();
    save_level();
    for (int iter = 0; iter < 1500; iter++) {
        size_t len = random_text(&rng, buf, iter % 2 ? CAP : 300);
        size_t chars = 0;
        for (size_t i = 0; i <= len; i++) {
            index_of[i] = chars;
            if (i < len && (buf[i] & 0xC0) != 0x80) chars++;
        }
        size_t count = rng_below(&rng, MAXN + 1);
        size_t at = 0;
        for (size_t k = 0; k < count; k++) {
            if (rng_below(&rng, 4) != 0) at += rng_below(&rng, (len - at) / 2 + 2);
            if (at > len || k + 1 == count) at = rng_below(&rng, 3) == 0 ? len : at;
            if (at > len) at = len;
            while (at < len && (buf[at] & 0xC0) == 0x80) at++;
            off[k] = (int64_t)at;
        }
        for (int l = 0; l < n; l++) {
            EXPECT(hp_simd_set_level(levels[l]) == HP_OK, "set level");
            memcpy(got, off, count * sizeof off[0]);
            hp_status st = hp_utf8_offset_to_index(got, count, (const char *)buf, len);
            EXPECT(st == HP_OK, "iteration %d: %s", iter, hp_last_error_message());
            for (size_t k = 0; k < count; k++) {
                EXPECT(got[k] == (int64_t)index_of[off[k]],
                       "iteration %d level %s: offset %lld -> %lld, expected %zu", iter,
                       hp_simd_name(levels[l]), (long long)off[k], (long long)got[k],
                       index_of[off[k]]);
            }
        }
    }
    restore_level();
}
END_TEST

/* Only the end offset of a long text: one long gap, every tail length. */
START_TEST(test_utf8__offset_to_index_long_gap) {
    enum { LEN = 5000 };
    static unsigned char buf[LEN];
    fill_mixed(buf, LEN, 3);
    int n = nlevels();
    save_level();
    for (size_t len = 0; len <= 600; len++) {
        size_t cut = len;
        while (cut > 0 && (buf[cut] & 0xC0) == 0x80) cut--;
        int64_t want = 0;
        for (size_t i = 0; i < cut; i++) want += (buf[i] & 0xC0) != 0x80;
        for (int l = 0; l < n; l++) {
            EXPECT(hp_simd_set_level(levels[l]) == HP_OK, "set level");
            int64_t off[2] = {0, (int64_t)cut};
            EXPECT(hp_utf8_offset_to_index(off, 2, (const char *)buf, LEN) == HP_OK &&
                       off[0] == 0 && off[1] == want,
                   "level %s cut %zu: %lld, expected %lld", hp_simd_name(levels[l]), cut,
                   (long long)off[1], (long long)want);
        }
    }
    restore_level();
}
END_TEST

/* A failing call names the bad index and leaves the whole array as it was. */
static void check_offsets_rejected(const int64_t *in, size_t n, const char *s, size_t len,
                                   const char *message) {
    int64_t off[8];
    memcpy(off, in, n * sizeof off[0]);
    ck_assert_int_eq(hp_utf8_offset_to_index(off, n, s, len), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), message);
    ck_assert_int_eq(hp_last_error_status(), HP_EINVAL);
    ck_assert_int_eq(memcmp(off, in, n * sizeof off[0]), 0);
}

START_TEST(test_utf8__offset_to_index_rejects_bad_offsets) {
    const char *s = "a\xC3\xA9\xE2\x82\xAC!"; /* boundaries 0, 1, 3, 6, 7 */
    static const int64_t decreasing[] = {0, 3, 1, 6};
    check_offsets_rejected(decreasing, 4, s, 7,
                           "offsets[2] = 1 is less than offsets[1] = 3 (offsets must be "
                           "ascending)");
    static const int64_t past_end[] = {1, 8};
    check_offsets_rejected(past_end, 2, s, 7,
                           "offsets[1] = 8 is past the end of the text (7 bytes)");
    static const int64_t inside[] = {1, 3, 4};
    check_offsets_rejected(inside, 3, s, 7, "offsets[2] = 4 is inside a character");
    static const int64_t inside2[] = {2};
    check_offsets_rejected(inside2, 1, s, 7, "offsets[0] = 2 is inside a character");
    static const int64_t negative[] = {-1, 3};
    check_offsets_rejected(negative, 2, s, 7, "offsets[0] = -1 is negative");
    static const int64_t huge[] = {0, INT64_MAX};
    check_offsets_rejected(huge, 2, s, 7,
                           "offsets[1] = 9223372036854775807 is past the end of the text "
                           "(7 bytes)");
    /* a late error still leaves the early, valid offsets unconverted */
    static const int64_t late[] = {1, 3, 6, 7, 2};
    check_offsets_rejected(late, 5, s, 7,
                           "offsets[4] = 2 is less than offsets[3] = 7 (offsets must be "
                           "ascending)");
}
END_TEST

START_TEST(test_utf8__offset_to_index_argument_errors) {
    int64_t off[2] = {0, 1};
    ck_assert_int_eq(hp_utf8_offset_to_index(NULL, 2, "ab", 2), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "offsets is NULL but n is 2");
    ck_assert_int_eq(hp_utf8_offset_to_index(off, 2, NULL, 2), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "s is NULL but length is 2");
    ck_assert_int_eq(hp_utf8_offset_to_index(off, 2, "ab", SIZE_MAX), HP_EOVERFLOW);
    ck_assert_int_eq(hp_utf8_offset_to_index(off, SIZE_MAX, "ab", 2), HP_EOVERFLOW);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
    ck_assert_int_eq(off[0], 0);
    ck_assert_int_eq(off[1], 1);
}
END_TEST

/* ------------------------------------------------------------------ ASCII prefix */

/* One high byte at every position of buffers of every length up to 300, at every
 * alignment mod 32, and none at all: the prefix is that position (or the length). */
START_TEST(test_utf8__ascii_prefix_every_position_and_level) {
    static unsigned char buf[300 + 32];
    static const unsigned char high[] = {0x80, 0xC3, 0xFF};
    int n = nlevels();
    save_level();
    for (int l = 0; l < n; l++) {
        EXPECT(hp_simd_set_level(levels[l]) == HP_OK, "set level");
        for (size_t align = 0; align < 32; align += 7) {
            unsigned char *p = buf + align;
            for (size_t len = 0; len <= 300; len++) {
                memset(p, 'a' + (int)(len % 26), len);
                size_t got = hp_ascii_prefix((const char *)p, len);
                EXPECT(got == len, "level %s len %zu: %zu on ASCII", hp_simd_name(levels[l]),
                       len, got);
                for (size_t pos = 0; pos < len; pos += (len > 140 ? 3 : 1)) {
                    p[pos] = high[pos % 3];
                    got = hp_ascii_prefix((const char *)p, len);
                    EXPECT(got == pos, "level %s len %zu align %zu: %zu, expected %zu",
                           hp_simd_name(levels[l]), len, align, got, pos);
                    /* a second high byte later changes nothing */
                    if (pos + 5 < len) p[pos + 5] = 0x90;
                    EXPECT(hp_ascii_prefix((const char *)p, len) == pos, "two high bytes");
                    if (pos + 5 < len) p[pos + 5] = 'a';
                    p[pos] = 'a';
                }
            }
        }
    }
    restore_level();
}
END_TEST

START_TEST(test_utf8__ascii_prefix_long_and_text) {
    enum { LEN = 100000 };
    static unsigned char buf[LEN];
    memset(buf, '~', LEN);
    int n = nlevels();
    save_level();
    for (int l = 0; l < n; l++) {
        ck_assert_int_eq(hp_simd_set_level(levels[l]), HP_OK);
        ck_assert_uint_eq(hp_ascii_prefix((const char *)buf, LEN), LEN);
        buf[LEN - 1] = 0x80;
        ck_assert_uint_eq(hp_ascii_prefix((const char *)buf, LEN), LEN - 1);
        buf[77777] = 0xE2;
        ck_assert_uint_eq(hp_ascii_prefix((const char *)buf, LEN), 77777);
        buf[LEN - 1] = '~';
        buf[77777] = '~';
        ck_assert_uint_eq(hp_ascii_prefix("abc\xC3\xA9", 5), 3);
        ck_assert_uint_eq(hp_ascii_prefix("\x7F\x00\x01", 3), 3);
    }
    restore_level();
}
END_TEST

START_TEST(test_utf8__ascii_prefix_argument_errors) {
    hp_clear_error();
    ck_assert_uint_eq(hp_ascii_prefix(NULL, 0), 0);
    ck_assert_uint_eq(hp_ascii_prefix("", 0), 0);
    ck_assert_int_eq(hp_last_error_status(), HP_OK);
    ck_assert_uint_eq(hp_ascii_prefix(NULL, 4), 0);
    ck_assert_int_eq(hp_last_error_status(), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "s is NULL but length is 4");
    hp_clear_error();
    ck_assert_uint_eq(hp_ascii_prefix("abc", SIZE_MAX), 0);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
}
END_TEST

/* ------------------------------------------------------------------ to_utf8 */

START_TEST(test_utf8__to_utf8_bound) {
    ck_assert_uint_eq(hp_utf32_to_utf8_bound(0), 0);
    ck_assert_uint_eq(hp_utf32_to_utf8_bound(5), 20);
    ck_assert_uint_eq(hp_utf32_to_utf8_bound(SIZE_MAX / 4), SIZE_MAX / 4 * 4);
    ck_assert_uint_eq(hp_utf32_to_utf8_bound(SIZE_MAX / 4 + 1), SIZE_MAX);
    ck_assert_uint_eq(hp_utf32_to_utf8_bound(SIZE_MAX), SIZE_MAX);
}
END_TEST

START_TEST(test_utf8__to_utf8_encodes_edges) {
    static const uint32_t cps[] = {0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000,
                                   0xFFFF, 0x10000, 0x10FFFF, 'a', 0xE9};
    static const char want[] = "\x00\x7F\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80"
                               "\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF" "a\xC3\xA9";
    char out[64];
    size_t n = 0;
    ck_assert_int_eq(hp_utf32_to_utf8(out, sizeof out, &n, cps, 12), HP_OK);
    ck_assert_uint_eq(n, sizeof want - 1);
    ck_assert_int_eq(memcmp(out, want, n), 0);
    /* with a buffer below the worst case (48 bytes), measured first: same result */
    memset(out, 0, sizeof out);
    ck_assert_int_eq(hp_utf32_to_utf8(out, sizeof want - 1, &n, cps, 12), HP_OK);
    ck_assert_uint_eq(n, sizeof want - 1);
    ck_assert_int_eq(memcmp(out, want, n), 0);
}
END_TEST

START_TEST(test_utf8__to_utf8_random_round_trip) {
    enum { MAXN = 700 };
    static uint32_t cps[MAXN], back[MAXN];
    static unsigned char want[4 * MAXN];
    static char out[4 * MAXN + 1];
    uint64_t rng = 0x5EED0013;
    for (int iter = 0; iter < 2000; iter++) {
        size_t n = rng_below(&rng, MAXN + 1);
        bool ascii = rng_below(&rng, 3) == 0;
        size_t len = 0;
        for (size_t i = 0; i < n; i++) {
            cps[i] = ascii && rng_below(&rng, 10) ? (uint32_t)rng_below(&rng, 128)
                                                  : random_code_point(&rng);
            len += encode(cps[i], want + len);
        }
        size_t got = 0;
        size_t cap = iter % 2 ? 4 * MAXN : len; /* worst-case buffer, or exactly enough */
        out[len] = 0x55;
        EXPECT(hp_utf32_to_utf8(out, cap, &got, cps, n) == HP_OK, "iteration %d: %s", iter,
               hp_last_error_message());
        EXPECT(got == len && memcmp(out, want, len) == 0, "iteration %d: wrong bytes", iter);
        EXPECT(iter % 2 || (unsigned char)out[len] == 0x55, "iteration %d: wrote past", iter);
        size_t m = 0;
        EXPECT(hp_utf8_to_utf32(back, MAXN, &m, out, got) == HP_OK && m == n &&
                   memcmp(back, cps, n * sizeof cps[0]) == 0,
               "iteration %d: no round trip", iter);
        if (len > 0) {
            size_t need = 0;
            EXPECT(hp_utf32_to_utf8(out, len - 1, &need, cps, n) == HP_EBUFSIZE && need == len,
                   "iteration %d: size query %zu, expected %zu", iter, need, len);
        }
    }
}
END_TEST

START_TEST(test_utf8__to_utf8_reports_needed_size) {
    static const uint32_t cps[] = {'a', 0xE9, 0x20AC, 0x1F600}; /* 1 + 2 + 3 + 4 bytes */
    char out[16];
    memset(out, 0x55, sizeof out);
    size_t n = 0;
    ck_assert_int_eq(hp_utf32_to_utf8(out, 9, &n, cps, 4), HP_EBUFSIZE);
    ck_assert_uint_eq(n, 10);
    ck_assert_str_eq(hp_last_error_message(), "output needs 10 bytes, capacity 9");
    ck_assert_int_eq(hp_last_error_status(), HP_EBUFSIZE);
    ck_assert_int_eq(hp_utf32_to_utf8(NULL, 0, &n, cps, 4), HP_EBUFSIZE);
    ck_assert_uint_eq(n, 10);
    ck_assert_int_eq(hp_utf32_to_utf8(out, 10, &n, cps, 4), HP_OK);
    ck_assert_uint_eq(n, 10);
    ck_assert_int_eq((unsigned char)out[10], 0x55);
    n = 99;
    ck_assert_int_eq(hp_utf32_to_utf8(NULL, 0, &n, NULL, 0), HP_OK);
    ck_assert_uint_eq(n, 0);
    n = 99;
    ck_assert_int_eq(hp_utf32_to_utf8(out, 16, &n, cps, 0), HP_OK);
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_utf8__to_utf8_rejects_non_scalar_values) {
    static const uint32_t bad[] = {0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0x110000, 0x7FFFFFFF,
                                   0xFFFFFFFF};
    char out[64], expect[96];
    for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
        uint32_t cps[5] = {'x', 0xE9, 0x10FFFF, 'y', 'z'};
        size_t at = b % 5;
        cps[at] = bad[b];
        snprintf(expect, sizeof expect,
                 "code point 0x%X at index %zu is not a Unicode scalar value", (unsigned)bad[b],
                 at);
        for (size_t cap = 0; cap <= 20; cap += 20) { /* measuring and direct paths */
            size_t n = 0;
            ck_assert_int_eq(hp_utf32_to_utf8(cap ? out : NULL, cap, &n, cps, 5), HP_ERANGE);
            ck_assert_uint_eq(n, at);
            ck_assert_str_eq(hp_last_error_message(), expect);
            ck_assert_int_eq(hp_last_error_status(), HP_ERANGE);
        }
    }
    /* the first bad one is reported, after a long valid run */
    static uint32_t many[1000];
    for (size_t i = 0; i < 1000; i++) many[i] = 'a' + (uint32_t)(i % 26);
    many[613] = 0xDABC;
    many[900] = 0x110000;
    static char big[4000];
    size_t n = 0;
    ck_assert_int_eq(hp_utf32_to_utf8(big, sizeof big, &n, many, 1000), HP_ERANGE);
    ck_assert_uint_eq(n, 613);
    ck_assert_str_eq(hp_last_error_message(),
                     "code point 0xDABC at index 613 is not a Unicode scalar value");
}
END_TEST

START_TEST(test_utf8__to_utf8_argument_errors) {
    static const uint32_t cps[] = {'a'};
    char out[4];
    size_t n = 99;
    ck_assert_int_eq(hp_utf32_to_utf8(out, 4, NULL, cps, 1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "out_len is NULL");
    ck_assert_int_eq(hp_utf32_to_utf8(out, 4, &n, NULL, 1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "cps is NULL but n is 1");
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(hp_utf32_to_utf8(NULL, 4, &n, cps, 1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "out is NULL but capacity is 4");
    ck_assert_int_eq(hp_utf32_to_utf8(out, 4, &n, cps, SIZE_MAX), HP_EOVERFLOW);
    ck_assert_int_eq(hp_utf32_to_utf8(out, 4, &n, cps, HP_MAX_LEN / 4 + 1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_last_error_status(), HP_EOVERFLOW);
}
END_TEST

Suite *test_utf8_suite(void) {
    Suite *s = suite_create("utf8");
    TCase *tc = tcase_create("validate");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_utf8__empty_input_is_valid);
    tcase_add_test(tc, test_utf8__rejects_null_with_length);
    tcase_add_test(tc, test_utf8__rejects_huge_length);
    tcase_add_test(tc, test_utf8__fixed_cases_on_every_level);
    tcase_add_test(tc, test_utf8__accepts_max_code_point);
    tcase_add_test(tc, test_utf8__rejects_surrogate);
    tcase_add_test(tc, test_utf8__rejects_overlong);
    tcase_add_test(tc, test_utf8__error_offset_is_optional);
    tcase_add_test(tc, test_utf8__reads_only_len_bytes);
    tcase_add_test(tc, test_utf8__cases_across_block_boundaries);
    tcase_add_test(tc, test_utf8__one_bad_byte_at_every_position);
    tcase_add_test(tc, test_utf8__exhaustive_short_sequences_agree);
    tcase_add_test(tc, test_utf8__random_scalar_matches_simd_and_reference);
    tcase_add_test(tc, test_utf8__error_deep_in_long_input);
    tcase_add_test(tc, test_utf8__concurrent_calls_keep_their_own_errors);
    suite_add_tcase(s, tc);

    TCase *tc32 = tcase_create("to_utf32");
    tcase_add_test(tc32, test_utf8__bound_is_length);
    tcase_add_test(tc32, test_utf8__to_utf32_decodes_known_code_points);
    tcase_add_test(tc32, test_utf8__to_utf32_long_ascii);
    tcase_add_test(tc32, test_utf8__to_utf32_random_round_trip);
    tcase_add_test(tc32, test_utf8__to_utf32_reports_needed_size);
    tcase_add_test(tc32, test_utf8__to_utf32_size_query_with_null_out);
    tcase_add_test(tc32, test_utf8__to_utf32_rejects_invalid_input);
    tcase_add_test(tc32, test_utf8__to_utf32_argument_errors);
    suite_add_tcase(s, tc32);

    TCase *count = tcase_create("count");
    tcase_set_timeout(count, 120);
    tcase_add_test(count, test_utf8__count_known_text);
    tcase_add_test(count, test_utf8__count_cases_across_block_boundaries);
    tcase_add_test(count, test_utf8__count_random_matches_decoder_and_levels);
    tcase_add_test(count, test_utf8__count_long_text_every_tail);
    tcase_add_test(count, test_utf8__count_argument_errors);
    suite_add_tcase(s, count);

    TCase *idx = tcase_create("offset_to_index");
    tcase_set_timeout(idx, 120);
    tcase_add_test(idx, test_utf8__offset_to_index_known_text);
    tcase_add_test(idx, test_utf8__offset_to_index_random_matches_byte_loop);
    tcase_add_test(idx, test_utf8__offset_to_index_long_gap);
    tcase_add_test(idx, test_utf8__offset_to_index_rejects_bad_offsets);
    tcase_add_test(idx, test_utf8__offset_to_index_argument_errors);
    suite_add_tcase(s, idx);

    TCase *ascii = tcase_create("ascii");
    tcase_set_timeout(ascii, 120);
    tcase_add_test(ascii, test_utf8__ascii_prefix_every_position_and_level);
    tcase_add_test(ascii, test_utf8__ascii_prefix_long_and_text);
    tcase_add_test(ascii, test_utf8__ascii_prefix_argument_errors);
    suite_add_tcase(s, ascii);

    TCase *to8 = tcase_create("to_utf8");
    tcase_add_test(to8, test_utf8__to_utf8_bound);
    tcase_add_test(to8, test_utf8__to_utf8_encodes_edges);
    tcase_add_test(to8, test_utf8__to_utf8_random_round_trip);
    tcase_add_test(to8, test_utf8__to_utf8_reports_needed_size);
    tcase_add_test(to8, test_utf8__to_utf8_rejects_non_scalar_values);
    tcase_add_test(to8, test_utf8__to_utf8_argument_errors);
    suite_add_tcase(s, to8);
    return s;
}
