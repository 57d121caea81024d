/*
 * Splitting: hp_split (bytes.split(sep) into a batch), hp_split_spans in every mode
 * against hand-checked cases (each expected list is what Python returns), the resume
 * protocol against one-shot calls for every capacity, hp_split_batch against the spans,
 * the AVX2 line scanner against the portable one, and every error path.
 */
#include "internal/common.h"
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Check records every passing ck_assert; hot loops only report failures. */
#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                                    \
    } while (0)

/* Join a batch as "piece|piece|..." for compact comparison. */
static void render(const hp_strings *b, char *buf, size_t cap) {
    size_t used = 0;
    for (size_t i = 0; i < b->count; i++) {
        size_t n = (size_t)(b->offsets[i + 1] - b->offsets[i]);
        ck_assert_uint_lt(used + n + 2, cap);
        if (i) buf[used++] = '|';
        memcpy(buf + used, b->data + b->offsets[i], n);
        used += n;
    }
    buf[used] = '\0';
}

static void check_split(const char *s, const char *sep, int64_t maxsplit, size_t count,
                        const char *expect) {
    hp_strings *b = NULL;
    ck_assert_int_eq(hp_split(&b, s, strlen(s), sep, strlen(sep), maxsplit), HP_OK);
    ck_assert_ptr_nonnull(b);
    char buf[256];
    render(b, buf, sizeof buf);
    ck_assert_uint_eq(b->count, count);
    ck_assert_str_eq(buf, expect);
    ck_assert_int_eq(b->offsets[0], 0);
    ck_assert_int_eq(hp_strings_check(b), HP_OK);
    hp_strings_free(b);
}

START_TEST(test_split__matches_bytes_split) {
    check_split("a,b,c", ",", -1, 3, "a|b|c");
    check_split("", ",", -1, 1, "");
    check_split(",", ",", -1, 2, "|");
    check_split(",,a,,", ",", -1, 5, "||a||");
    check_split("abc", ",", -1, 1, "abc");
    check_split("a::b::::c", "::", -1, 4, "a|b||c");
    check_split("aaaa", "aa", -1, 3, "||"); /* non-overlapping, left to right */
    check_split("aaa", "aa", -1, 2, "|a");
    check_split("xaab", "ab", -1, 2, "xa|"); /* first byte matches, then fails */
    check_split("ab", "abc", -1, 1, "ab");   /* separator longer than input */
}
END_TEST

START_TEST(test_split__maxsplit) {
    check_split("a,b,c,d", ",", 0, 1, "a,b,c,d");
    check_split("a,b,c,d", ",", 1, 2, "a|b,c,d");
    check_split("a,b,c,d", ",", 2, 3, "a|b|c,d");
    check_split("a,b,c,d", ",", 3, 4, "a|b|c|d");
    check_split("a,b,c,d", ",", 100, 4, "a|b|c|d");
    check_split("a,b,c,d", ",", -7, 4, "a|b|c|d");
}
END_TEST

START_TEST(test_split__binary_and_not_nul_terminated) {
    const char s[] = {'a', 0, 'b', 0, 'c', 'X'};
    hp_strings *b = NULL;
    ck_assert_int_eq(hp_split(&b, s, 5, "\0", 1, -1), HP_OK); /* 'X' is past len */
    ck_assert_uint_eq(b->count, 3);
    ck_assert_int_eq(b->offsets[3], 3);
    ck_assert_int_eq(memcmp(b->data, "abc", 3), 0);
    hp_strings_free(b);
}
END_TEST

START_TEST(test_split__random_against_naive) {
    /* Naive reference: scan every position. Alphabet of 3 so separators are common. */
    srand(7);
    for (int round = 0; round < 2000; round++) {
        size_t len = (size_t)(rand() % 40), sep_len = (size_t)(1 + rand() % 3);
        char s[64], sep[4];
        for (size_t i = 0; i < len; i++)
            s[i] = "abc"[rand() % 3];
        for (size_t i = 0; i < sep_len; i++)
            sep[i] = "abc"[rand() % 3];
        hp_strings *b = NULL;
        ck_assert_int_eq(hp_split(&b, s, len, sep, sep_len, -1), HP_OK);
        size_t piece = 0, start = 0, i = 0;
        while (i + sep_len <= len) {
            if (memcmp(s + i, sep, sep_len) == 0) {
                ck_assert_uint_lt(piece, b->count);
                ck_assert_int_eq(b->offsets[piece + 1] - b->offsets[piece], (int64_t)(i - start));
                ck_assert_int_eq(memcmp(b->data + b->offsets[piece], s + start, i - start), 0);
                piece++;
                i += sep_len;
                start = i;
            } else {
                i++;
            }
        }
        ck_assert_uint_eq(b->count, piece + 1);
        ck_assert_int_eq(b->offsets[piece + 1] - b->offsets[piece], (int64_t)(len - start));
        hp_strings_free(b);
    }
}
END_TEST

START_TEST(test_split__errors) {
    hp_strings *b = (hp_strings *)&b;
    ck_assert_int_eq(hp_split(NULL, "a", 1, ",", 1, -1), HP_EINVAL);
    ck_assert_int_eq(hp_split(&b, "a", 1, "", 0, -1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "empty separator");
    ck_assert_ptr_null(b);
    ck_assert_int_eq(hp_split(&b, NULL, 3, ",", 1, -1), HP_EINVAL);
    ck_assert_int_eq(hp_split(&b, "a", 1, NULL, 1, -1), HP_EINVAL);
    ck_assert_int_eq(hp_split(&b, "a", SIZE_MAX, ",", 1, -1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_split(&b, "a", 1, ",", SIZE_MAX, -1), HP_EOVERFLOW);
    ck_assert_ptr_null(b);
    ck_assert_int_eq(hp_split(&b, NULL, 0, ",", 1, -1), HP_OK); /* empty input */
    ck_assert_uint_eq(b->count, 1);
    hp_strings_free(b);
    ck_assert_uint_eq(hp_live_allocations(), 0);
}
END_TEST

/* ---------------------------------------------------------------- hp_split_spans */

enum { MAX_PIECES = 256 };

/* Spans of s as "piece|piece|..." (pieces are bytes of s), or "<status>" on error. */
static void render_spans(const char *s, size_t len, int mode, const char *sep, int64_t maxsplit,
                         char *buf, size_t cap) {
    int64_t spans[2 * MAX_PIECES];
    size_t n = 0;
    hp_status st = hp_split_spans(spans, MAX_PIECES, &n, NULL, s, len, mode, sep,
                                  sep ? strlen(sep) : 0, maxsplit);
    if (st != HP_OK) {
        snprintf(buf, cap, "<%s>", hp_status_name(st));
        return;
    }
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)spans[2 * i], e = (size_t)spans[2 * i + 1];
        ck_assert_uint_le(b, e);
        ck_assert_uint_le(e, len);
        ck_assert_uint_lt(used + (e - b) + 2, cap);
        if (i) buf[used++] = '|';
        memcpy(buf + used, s + b, e - b);
        used += e - b;
    }
    buf[used] = '\0';
}

static void check_mode(const char *s, int mode, const char *sep, int64_t maxsplit,
                       const char *expect) {
    char buf[512];
    render_spans(s, strlen(s), mode, sep, maxsplit, buf, sizeof buf);
    ck_assert_msg(strcmp(buf, expect) == 0,
                  "mode %d, \"%s\", maxsplit %lld: got \"%s\", want \"%s\"", mode, s,
                  (long long)maxsplit, buf, expect);
}

START_TEST(test_split__spans_sep_and_any_byte) {
    check_mode("a,b,,c", HP_SPLIT_SEP, ",", -1, "a|b||c");
    check_mode("", HP_SPLIT_SEP, ",", -1, ""); /* one empty piece */
    check_mode("a::b::", HP_SPLIT_SEP, "::", 1, "a|b::");
    check_mode("a,b;c d", HP_SPLIT_ANY_BYTE, ",;", -1, "a|b|c d");
    check_mode(",;a", HP_SPLIT_ANY_BYTE, ";,", -1, "||a"); /* empty pieces kept */
    check_mode("a,b;c", HP_SPLIT_ANY_BYTE, ",;", 1, "a|b;c");
    check_mode("a,b;c", HP_SPLIT_ANY_BYTE, ",;", 0, "a,b;c");
    check_mode("x", HP_SPLIT_ANY_BYTE, ",", -1, "x");
    check_mode("", HP_SPLIT_ANY_BYTE, ",", -1, "");
}
END_TEST

START_TEST(test_split__spans_whitespace_is_bytes_split) {
    /* b"...".split(None, maxsplit) */
    check_mode("  a b\t\tc\n", HP_SPLIT_WHITESPACE, NULL, -1, "a|b|c");
    check_mode("", HP_SPLIT_WHITESPACE, NULL, -1, ""); /* no pieces at all */
    check_mode(" \t\n\v\f\r ", HP_SPLIT_WHITESPACE, NULL, -1, "");
    check_mode("a\x1c"
               "b",
               HP_SPLIT_WHITESPACE, NULL, -1,
               "a\x1c"
               "b"); /* not ASCII space */
    check_mode("  a b  c  ", HP_SPLIT_WHITESPACE, NULL, 1, "a|b  c  ");
    check_mode("  a b  c  ", HP_SPLIT_WHITESPACE, NULL, 0, "a b  c  ");
    check_mode("a  ", HP_SPLIT_WHITESPACE, NULL, 1, "a");
    check_mode("   ", HP_SPLIT_WHITESPACE, NULL, 0, "");
    check_mode("a b c", HP_SPLIT_WHITESPACE, NULL, 2, "a|b|c");
    check_mode("a\xc2\xa0"
               "b",
               HP_SPLIT_WHITESPACE, NULL, -1,
               "a\xc2\xa0"
               "b");
}
END_TEST

START_TEST(test_split__spans_unicode_space_is_str_split) {
    /* "...".split(None, maxsplit): U+001C..U+001F, U+0085, U+00A0, U+2028, U+3000 too */
    check_mode("a\x1c"
               "b\x1f"
               "c",
               HP_SPLIT_UNICODE_SPACE, NULL, -1, "a|b|c");
    check_mode("\xc2\x85"
               "a\xc2\xa0"
               "b\xe2\x80\xa8"
               "c\xe3\x80\x80",
               HP_SPLIT_UNICODE_SPACE, NULL, -1, "a|b|c");
    check_mode("\xe3\x80\x80x\xe3\x80\x80y z\xe3\x80\x80", HP_SPLIT_UNICODE_SPACE, NULL, 1,
               "x|y z\xe3\x80\x80");
    check_mode("caf\xc3\xa9 na\xc3\xafve", HP_SPLIT_UNICODE_SPACE, NULL, -1,
               "caf\xc3\xa9|na\xc3\xafve");
    check_mode("a\xe2\x80\x8b"
               "b",
               HP_SPLIT_UNICODE_SPACE, NULL, -1,
               "a\xe2\x80\x8b"
               "b"); /* ZWSP */
    check_mode("", HP_SPLIT_UNICODE_SPACE, NULL, -1, "");
    check_mode("a\xff b", HP_SPLIT_UNICODE_SPACE, NULL, -1, "<HP_EUTF8>");
    check_mode("a b \xff", HP_SPLIT_UNICODE_SPACE, NULL, 1, "<HP_EUTF8>"); /* in the rest */
}
END_TEST

START_TEST(test_split__spans_lines_are_bytes_splitlines) {
    check_mode("a\nb\r\nc\rd", HP_SPLIT_LINES, NULL, -1, "a|b|c|d");
    check_mode("a\n", HP_SPLIT_LINES, NULL, -1, "a"); /* no empty last line */
    check_mode("a\n\n", HP_SPLIT_LINES, NULL, -1, "a|");
    check_mode("\n", HP_SPLIT_LINES, NULL, -1, "");    /* one empty line */
    check_mode("", HP_SPLIT_LINES, NULL, -1, "");      /* no lines */
    check_mode("\n\r", HP_SPLIT_LINES, NULL, -1, "|"); /* LF then CR: two lines */
    check_mode("\r\n\r\n", HP_SPLIT_LINES, NULL, -1, "|");
    check_mode("a\vb\x1c"
               "c",
               HP_SPLIT_LINES, NULL, -1,
               "a\vb\x1c"
               "c");                                         /* bytes rules */
    check_mode("a\nb\nc", HP_SPLIT_LINES, NULL, 0, "a|b|c"); /* maxsplit ignored */
}
END_TEST

START_TEST(test_split__spans_words_are_findall_w) {
    /* re.findall(r"\w+", text) */
    check_mode("Hello, world_1! x-y", HP_SPLIT_WORDS, NULL, -1, "Hello|world_1|x|y");
    check_mode("na\xc3\xafve caf\xc3\xa9", HP_SPLIT_WORDS, NULL, -1, "na\xc3\xafve|caf\xc3\xa9");
    check_mode("x\xc2\xb2y \xc2\xbd", HP_SPLIT_WORDS, NULL, -1, "x\xc2\xb2y|\xc2\xbd"); /* ² ½ */
    check_mode("e\xcc\x81", HP_SPLIT_WORDS, NULL, -1, "e"); /* a combining mark is not \w */
    check_mode("\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 \xd0\xb6", HP_SPLIT_WORDS, NULL, -1,
               "\xe6\x97\xa5\xe6\x9c\xac|\xd0\xb6"); /* 日本 😀 ж */
    check_mode("...", HP_SPLIT_WORDS, NULL, -1, "");
    check_mode("a b", HP_SPLIT_WORDS, NULL, 0, "a|b"); /* maxsplit ignored */
    check_mode("ok \xed\xa0\x80", HP_SPLIT_WORDS, NULL, -1, "<HP_EUTF8>");
}
END_TEST

START_TEST(test_split__spans_invalid_utf8_reports_first_bad_byte) {
    const char *bad[] = {"abc \xc3", "\x80", "ab\xe0\x80\x80", "a b c \xf4\x90\x80\x80 d"};
    const size_t at[] = {4, 0, 2, 6};
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        int modes[] = {HP_SPLIT_UNICODE_SPACE, HP_SPLIT_WORDS};
        for (size_t m = 0; m < 2; m++) {
            int64_t spans[16];
            size_t n = 99, resume = 0;
            char want[64];
            snprintf(want, sizeof want, "invalid UTF-8 at byte %zu:", at[k]);
            ck_assert_int_eq(
                hp_split_spans(spans, 8, &n, NULL, bad[k], strlen(bad[k]), modes[m], NULL, 0, -1),
                HP_EUTF8);
            ck_assert_uint_eq(n, 0);
            ck_assert_ptr_nonnull(strstr(hp_last_error_message(), want));
            /* resumed one piece at a time, the same error comes at the same byte */
            hp_status st;
            while ((st = hp_split_spans(spans, 1, &n, &resume, bad[k], strlen(bad[k]), modes[m],
                                        NULL, 0, -1)) == HP_OK &&
                   resume != SIZE_MAX) {
            }
            ck_assert_int_eq(st, HP_EUTF8);
            ck_assert_ptr_nonnull(strstr(hp_last_error_message(), want));
        }
    }
}
END_TEST

START_TEST(test_split__spans_ebufsize_reports_needed) {
    int64_t spans[4];
    size_t n = 0;
    ck_assert_int_eq(hp_split_spans(spans, 2, &n, NULL, "a,b,c,d", 7, HP_SPLIT_SEP, ",", 1, -1),
                     HP_EBUFSIZE);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(hp_last_error_message(), "output needs 4 pieces, capacity 2");
    ck_assert_int_eq(hp_split_spans(NULL, 0, &n, NULL, "a b", 3, HP_SPLIT_WHITESPACE, NULL, 0, -1),
                     HP_EBUFSIZE);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(hp_split_spans(NULL, 0, &n, NULL, "", 0, HP_SPLIT_LINES, NULL, 0, -1), HP_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(hp_split_spans(spans, 2, &n, NULL, "a\nb", 3, HP_SPLIT_LINES, NULL, 0, -1),
                     HP_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(hp_split_bound(0), 1);
    ck_assert_uint_eq(hp_split_bound(10), 11);
    ck_assert_uint_eq(hp_split_bound(SIZE_MAX), SIZE_MAX);
}
END_TEST

/* A random input over an alphabet that exercises every mode: separators, ASCII and
 * Unicode whitespace, line breaks, word characters in 1..4 bytes, punctuation. */
static size_t random_text(char *out, size_t max_tokens, unsigned *seed) {
    static const char *tokens[] = {"a",
                                   "b",
                                   " ",
                                   "\t",
                                   "\n",
                                   "\r",
                                   "\r\n",
                                   ",",
                                   ";",
                                   "\x1c",
                                   "\xc2\xa0",
                                   "\xe3\x80\x80",
                                   "\xc3\xa9",
                                   "\xf0\x9f\x98\x80",
                                   "_",
                                   "7",
                                   "\xe6\x97\xa5",
                                   "\xcc\x81",
                                   "ab",
                                   ",,"};
    size_t n = (size_t)rand_r(seed) % (max_tokens + 1), used = 0;
    for (size_t i = 0; i < n; i++) {
        const char *t = tokens[(size_t)rand_r(seed) % (sizeof tokens / sizeof tokens[0])];
        memcpy(out + used, t, strlen(t));
        used += strlen(t);
    }
    return used;
}

START_TEST(test_split__resume_equals_one_shot_for_every_capacity) {
    unsigned seed = 11;
    char s[256];
    int64_t all[2 * MAX_PIECES], part[2 * MAX_PIECES];
    const char *seps[] = {",", ",;", "ab"};
    for (int round = 0; round < 300; round++) {
        size_t len = random_text(s, 24, &seed);
        for (int mode = 0; mode <= HP_SPLIT_WORDS; mode++) {
            const char *sep = mode == HP_SPLIT_SEP        ? seps[rand_r(&seed) % 3 == 2 ? 2 : 0]
                              : mode == HP_SPLIT_ANY_BYTE ? seps[1]
                                                          : NULL;
            size_t sep_len = sep ? strlen(sep) : 0;
            int64_t maxsplit = (int64_t)(rand_r(&seed) % 6) - 1; /* -1 .. 4 */
            size_t total = 0;
            ck_assert_int_eq(
                hp_split_spans(all, MAX_PIECES, &total, NULL, s, len, mode, sep, sep_len, maxsplit),
                HP_OK);
            for (size_t cap = 1; cap <= total + 1; cap++) {
                size_t resume = 0, got = 0, n = 0, calls = 0;
                int64_t left = maxsplit;
                while (resume != SIZE_MAX) {
                    hp_status st = hp_split_spans(part + 2 * got, cap, &n, &resume, s, len, mode,
                                                  sep, sep_len, left);
                    EXPECT(st == HP_OK, "mode %d cap %zu: status %d", mode, cap, st);
                    EXPECT(n <= cap && got + n <= total, "mode %d cap %zu: %zu pieces", mode, cap,
                           n);
                    EXPECT(resume == SIZE_MAX || n == cap, "a resumed call stopped early");
                    got += n;
                    if (left >= 0) left -= (int64_t)n;
                    EXPECT(++calls <= total + 2, "no progress");
                }
                EXPECT(got == total, "mode %d cap %zu: %zu pieces, want %zu", mode, cap, got,
                       total);
                EXPECT(memcmp(part, all, 2 * total * sizeof(int64_t)) == 0,
                       "mode %d cap %zu: different pieces", mode, cap);
            }
        }
    }
}
END_TEST

START_TEST(test_split__resume_with_zero_capacity_makes_no_progress) {
    size_t n = 9, resume = 0;
    ck_assert_int_eq(
        hp_split_spans(NULL, 0, &n, &resume, "  a b", 5, HP_SPLIT_WHITESPACE, NULL, 0, -1), HP_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(resume, 2); /* the first piece starts there */
    resume = 0;
    ck_assert_int_eq(
        hp_split_spans(NULL, 0, &n, &resume, "   ", 3, HP_SPLIT_WHITESPACE, NULL, 0, -1), HP_OK);
    ck_assert_uint_eq(resume, SIZE_MAX); /* there is no piece at all */
    resume = 3; /* the end of "a,," is the start of its last (empty) piece */
    int64_t sp[2];
    ck_assert_int_eq(hp_split_spans(sp, 1, &n, &resume, "a,,", 3, HP_SPLIT_SEP, ",", 1, -1), HP_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(sp[0], 3);
    ck_assert_int_eq(sp[1], 3);
    ck_assert_uint_eq(resume, SIZE_MAX);
}
END_TEST

START_TEST(test_split__batch_matches_spans_in_every_mode) {
    unsigned seed = 5;
    char s[256];
    int64_t spans[2 * MAX_PIECES];
    for (int round = 0; round < 400; round++) {
        size_t len = random_text(s, 30, &seed);
        for (int mode = 0; mode <= HP_SPLIT_WORDS; mode++) {
            const char *sep = mode == HP_SPLIT_SEP ? "," : mode == HP_SPLIT_ANY_BYTE ? ";\n" : NULL;
            size_t sep_len = sep ? strlen(sep) : 0, n = 0;
            int64_t maxsplit = (int64_t)(rand_r(&seed) % 5) - 1;
            ck_assert_int_eq(
                hp_split_spans(spans, MAX_PIECES, &n, NULL, s, len, mode, sep, sep_len, maxsplit),
                HP_OK);
            hp_strings *b = NULL;
            ck_assert_int_eq(hp_split_batch(&b, s, len, mode, sep, sep_len, maxsplit), HP_OK);
            EXPECT(b->count == n, "mode %d: %zu pieces, spans %zu", mode, b->count, n);
            EXPECT(b->offsets[0] == 0, "offsets[0]");
            for (size_t i = 0; i < n; i++) {
                size_t pl = (size_t)(spans[2 * i + 1] - spans[2 * i]);
                EXPECT((size_t)(b->offsets[i + 1] - b->offsets[i]) == pl &&
                           memcmp(b->data + b->offsets[i], s + spans[2 * i], pl) == 0,
                       "mode %d piece %zu differs", mode, i);
            }
            hp_strings_free(b);
        }
    }
}
END_TEST

/* The ASCII-only modes against naive references (one rule per byte). */
static bool naive_is_space(unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

START_TEST(test_split__ascii_modes_against_naive) {
    unsigned seed = 3;
    char s[256];
    int64_t spans[2 * MAX_PIECES], want[2 * MAX_PIECES];
    for (int round = 0; round < 3000; round++) {
        size_t len = random_text(s, 40, &seed), n = 0, w = 0;
        /* whitespace: maximal runs of non-space bytes */
        for (size_t i = 0; i < len;) {
            while (i < len && naive_is_space((unsigned char)s[i]))
                i++;
            if (i == len) break;
            size_t j = i;
            while (j < len && !naive_is_space((unsigned char)s[j]))
                j++;
            want[2 * w] = (int64_t)i;
            want[2 * w + 1] = (int64_t)j;
            w++;
            i = j;
        }
        ck_assert_int_eq(
            hp_split_spans(spans, MAX_PIECES, &n, NULL, s, len, HP_SPLIT_WHITESPACE, NULL, 0, -1),
            HP_OK);
        EXPECT(n == w && memcmp(spans, want, 2 * n * sizeof(int64_t)) == 0, "whitespace");
        /* any byte of ",;": every byte ends a piece */
        w = 0;
        size_t start = 0;
        for (size_t i = 0; i < len; i++) {
            if (s[i] == ',' || s[i] == ';') {
                want[2 * w] = (int64_t)start;
                want[2 * w + 1] = (int64_t)i;
                w++;
                start = i + 1;
            }
        }
        want[2 * w] = (int64_t)start;
        want[2 * w + 1] = (int64_t)len;
        w++;
        ck_assert_int_eq(
            hp_split_spans(spans, MAX_PIECES, &n, NULL, s, len, HP_SPLIT_ANY_BYTE, ";,", 2, -1),
            HP_OK);
        EXPECT(n == w && memcmp(spans, want, 2 * n * sizeof(int64_t)) == 0, "any byte");
    }
}
END_TEST

/* Lines whose breaks fall on every position around the 32/64-byte blocks of the AVX2
 * scan, with every kind of break, compared between the portable and AVX2 paths and with
 * a naive reference. */
START_TEST(test_split__lines_avx2_matches_portable) {
    static char s[4096];
    static int64_t got[2][2 * 1024], want[2 * 1024];
    unsigned seed = 9;
    const char *breaks[] = {"\n", "\r", "\r\n", "\n\r"};
    for (int round = 0; round < 400; round++) {
        size_t len = 0;
        while (len < 3000) {
            size_t run = (size_t)rand_r(&seed) % (round % 3 == 0 ? 8 : 140);
            memset(s + len, 'x', run);
            len += run;
            const char *b = breaks[rand_r(&seed) % 4];
            memcpy(s + len, b, strlen(b));
            len += strlen(b);
        }
        len -= (size_t)rand_r(&seed) % 3; /* sometimes cut a break, or end without one */
        size_t w = 0;
        for (size_t i = 0, start = 0; i <= len; i++) {
            if (i == len) {
                if (start < len) {
                    want[2 * w] = (int64_t)start;
                    want[2 * w + 1] = (int64_t)len;
                    w++;
                }
                break;
            }
            if (s[i] == '\n' || s[i] == '\r') {
                want[2 * w] = (int64_t)start;
                want[2 * w + 1] = (int64_t)i;
                w++;
                if (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') i++;
                start = i + 1;
            }
        }
        for (int level = 0; level < 2; level++) {
            ck_assert_int_eq(hp_simd_set_level(level ? (int)hp_simd_detected() : HP_SIMD_SCALAR),
                             HP_OK);
            size_t n = 0;
            ck_assert_int_eq(
                hp_split_spans(got[level], 1024, &n, NULL, s, len, HP_SPLIT_LINES, NULL, 0, -1),
                HP_OK);
            EXPECT(n == w && memcmp(got[level], want, 2 * w * sizeof(int64_t)) == 0,
                   "level %d round %d: %zu lines, want %zu", level, round, n, w);
            /* resumed in odd chunks, from every kind of position */
            size_t resume = 0, total = 0, cap = 1 + (size_t)round % 7;
            while (resume != SIZE_MAX) {
                ck_assert_int_eq(hp_split_spans(got[level] + 2 * total, cap, &n, &resume, s, len,
                                                HP_SPLIT_LINES, NULL, 0, -1),
                                 HP_OK);
                total += n;
            }
            EXPECT(total == w && memcmp(got[level], want, 2 * w * sizeof(int64_t)) == 0,
                   "level %d round %d: resumed lines differ", level, round);
        }
    }
    hp_simd_set_level((int)hp_simd_detected());
}
END_TEST

/* SEP with one byte and ANY_BYTE with up to three bytes take the AVX2 bit-mask driver
 * too: the same pieces as the portable path, with maxsplit, one-shot and resumed. */
START_TEST(test_split__byte_separators_avx2_match_portable) {
    static char s[4096];
    static int64_t got[2][2 * 2048];
    unsigned seed = 13;
    struct {
        int mode;
        const char *sep;
    } cases[] = {
        {HP_SPLIT_SEP, ","},      {HP_SPLIT_ANY_BYTE, ",;"},    {HP_SPLIT_ANY_BYTE, ",;\n"},
        {HP_SPLIT_ANY_BYTE, ";"}, {HP_SPLIT_ANY_BYTE, ",;\n "}, /* 4 bytes: portable always */
    };
    const int64_t maxsplits[] = {-1, 0, 1, 2, 63, 64, 65, 500};
    for (int round = 0; round < 120; round++) {
        size_t len = (size_t)rand_r(&seed) % 3000;
        for (size_t i = 0; i < len; i++) {
            unsigned r = (unsigned)rand_r(&seed) % (round % 2 ? 8 : 90);
            s[i] = r == 0 ? ',' : r == 1 ? ';' : r == 2 ? '\n' : r == 3 ? ' ' : 'x';
        }
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
            int64_t maxsplit = maxsplits[(size_t)rand_r(&seed) % 8];
            size_t sl = strlen(cases[c].sep), n[2] = {0, 0};
            for (int level = 0; level < 2; level++) {
                hp_simd_set_level(level ? (int)hp_simd_detected() : HP_SIMD_SCALAR);
                ck_assert_int_eq(hp_split_spans(got[level], 2048, &n[level], NULL, s, len,
                                                cases[c].mode, cases[c].sep, sl, maxsplit),
                                 HP_OK);
                size_t resume = 0, total = 0, k = 0, cap = 1 + (size_t)round % 5;
                int64_t part[2 * 8], left = maxsplit;
                while (resume != SIZE_MAX) {
                    ck_assert_int_eq(hp_split_spans(part, cap, &k, &resume, s, len, cases[c].mode,
                                                    cases[c].sep, sl, left),
                                     HP_OK);
                    EXPECT(memcmp(part, got[level] + 2 * total, 2 * k * sizeof(int64_t)) == 0,
                           "level %d case %zu: resumed pieces differ", level, c);
                    total += k;
                    if (left >= 0) left -= (int64_t)k;
                }
                EXPECT(total == n[level], "level %d case %zu: resumed count", level, c);
            }
            EXPECT(n[0] == n[1] && memcmp(got[0], got[1], 2 * n[0] * sizeof(int64_t)) == 0,
                   "round %d case %zu maxsplit %lld: AVX2 and portable differ", round, c,
                   (long long)maxsplit);
        }
    }
    hp_simd_set_level((int)hp_simd_detected());
}
END_TEST

/* Spans (or the error and its message) of one call at a SIMD level. */
typedef struct level_result {
    hp_status st;
    size_t n;
    char msg[128];
} level_result;

static void split_at_level(level_result *r, int64_t *spans, size_t cap, int level, const char *s,
                           size_t len, int mode, int64_t maxsplit) {
    hp_simd_set_level(level ? (int)hp_simd_detected() : HP_SIMD_SCALAR);
    r->n = 0;
    r->st = hp_split_spans(spans, cap, &r->n, NULL, s, len, mode, NULL, 0, maxsplit);
    snprintf(r->msg, sizeof r->msg, "%s", r->st == HP_OK ? "" : hp_last_error_message());
    /* resumed 3 pieces at a time: the same pieces, or the same error */
    size_t resume = 0, total = 0, k = 0;
    int64_t part[6], left = maxsplit;
    hp_status st = HP_OK;
    while (resume != SIZE_MAX &&
           (st = hp_split_spans(part, 3, &k, &resume, s, len, mode, NULL, 0, left)) == HP_OK) {
        EXPECT(r->st != HP_OK || memcmp(part, spans + 2 * total, 2 * k * sizeof(int64_t)) == 0,
               "level %d mode %d: resumed pieces differ", level, mode);
        total += k;
        if (left >= 0) left -= (int64_t)k;
    }
    EXPECT(st == r->st, "level %d mode %d: resumed status %d, one-shot %d", level, mode, st, r->st);
    EXPECT(r->st != HP_OK || total == r->n, "level %d mode %d: resumed count", level, mode);
    if (st != HP_OK) EXPECT(strcmp(hp_last_error_message(), r->msg) == 0, "resumed message");
}

/* WHITESPACE, UNICODE_SPACE and WORDS take the AVX2 run-mask driver: on long inputs with
 * pure-ASCII 64-byte blocks, blocks with Unicode whitespace lead bytes (C2, E1..E3) or
 * other non-ASCII characters, and sometimes an invalid byte, it gives the portable
 * path's pieces, or its error at the same byte, one-shot and resumed. */
START_TEST(test_split__run_modes_avx2_match_portable) {
    static char s[3000];
    static int64_t spans[2][2 * 1500];
    unsigned seed = 21;
    static const char *tokens[] = {"word",
                                   "x",
                                   "_9",
                                   " ",
                                   "  ",
                                   "\t",
                                   "\n",
                                   "\r\n",
                                   "\x1c",
                                   "\x1f",
                                   ",",
                                   "-",
                                   "\xc2\xa0",
                                   "\xc2\x85",
                                   "\xc2\xb2",
                                   "\xe3\x80\x80",
                                   "\xe2\x80\x94",
                                   "\xe2\x80\xa8",
                                   "\xe1\x9a\x80",
                                   "\xe6\x97\xa5\xe6\x9c\xac",
                                   "\xc3\xa9t\xc3\xa9",
                                   "\xf0\x9f\x98\x80",
                                   "\xcc\x81"};
    const int modes[] = {HP_SPLIT_WHITESPACE, HP_SPLIT_UNICODE_SPACE, HP_SPLIT_WORDS};
    const int64_t maxsplits[] = {-1, -1, 0, 1, 7, 100};
    for (int round = 0; round < 150; round++) {
        size_t len = 0;
        /* Tokens 0..11 are ASCII, 12..18 have a lead byte the vector rules cannot
         * classify alone, 19..22 are other non-ASCII characters. Rounds weigh them
         * differently: mostly ASCII, mostly non-ASCII without "hard" leads (characters
         * straddle vector blocks), or everything. */
        int mix = round % 3;
        while (len < sizeof s - 16) {
            size_t k = (size_t)rand_r(&seed) % 23;
            if (mix == 0 && k >= 12 && rand_r(&seed) % 8) k %= 12;
            if (mix == 1 && k >= 12 && k < 19 && rand_r(&seed) % 16) k = 19 + k % 4;
            const char *tk = tokens[k];
            memcpy(s + len, tk, strlen(tk));
            len += strlen(tk);
        }
        len -= (size_t)rand_r(&seed) % 8; /* may cut a character: invalid at the end */
        if (round % 4 == 1) s[(size_t)rand_r(&seed) % len] = (char)0xFF;
        for (size_t m = 0; m < 3; m++) {
            int64_t maxsplit = maxsplits[(size_t)rand_r(&seed) % 6];
            level_result r[2];
            for (int level = 0; level < 2; level++) {
                split_at_level(&r[level], spans[level], 1500, level, s, len, modes[m], maxsplit);
            }
            EXPECT(r[0].st == r[1].st && strcmp(r[0].msg, r[1].msg) == 0,
                   "round %d mode %d: status %d \"%s\" vs %d \"%s\"", round, modes[m], r[0].st,
                   r[0].msg, r[1].st, r[1].msg);
            EXPECT(r[0].st != HP_OK ||
                       (r[0].n == r[1].n &&
                        memcmp(spans[0], spans[1], 2 * r[0].n * sizeof(int64_t)) == 0),
                   "round %d mode %d maxsplit %lld: AVX2 and portable pieces differ", round,
                   modes[m], (long long)maxsplit);
        }
    }
    hp_simd_set_level((int)hp_simd_detected());
}
END_TEST

START_TEST(test_split__spans_errors) {
    int64_t sp[4];
    size_t n = 7, resume = 0;
    ck_assert_int_eq(hp_split_spans(sp, 2, NULL, NULL, "a", 1, HP_SPLIT_SEP, ",", 1, -1),
                     HP_EINVAL);
    ck_assert_int_eq(hp_split_spans(NULL, 2, &n, NULL, "a", 1, HP_SPLIT_SEP, ",", 1, -1),
                     HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "out is NULL but capacity is 2");
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, NULL, NULL, 1, HP_SPLIT_LINES, NULL, 0, -1),
                     HP_EINVAL);
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, NULL, "a", SIZE_MAX, HP_SPLIT_LINES, NULL, 0, -1),
                     HP_EOVERFLOW);
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, NULL, "a", 1, -1, NULL, 0, -1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "unknown split mode -1");
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, NULL, "a", 1, HP_SPLIT_WORDS + 1, NULL, 0, -1),
                     HP_EINVAL);
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, NULL, "a", 1, HP_SPLIT_SEP, "", 0, -1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "empty separator");
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, NULL, "a", 1, HP_SPLIT_ANY_BYTE, NULL, 0, -1),
                     HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "empty byte set");
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, NULL, "a", 1, HP_SPLIT_SEP, NULL, 1, -1), HP_EINVAL);
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, NULL, "a", 1, HP_SPLIT_SEP, ",", SIZE_MAX, -1),
                     HP_EOVERFLOW);
    resume = 2;
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, &resume, "a", 1, HP_SPLIT_LINES, NULL, 0, -1),
                     HP_EINVAL);
    ck_assert_ptr_nonnull(strstr(hp_last_error_message(), "resume offset 2"));
    resume = SIZE_MAX; /* already finished: not a valid start */
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, &resume, "a", 1, HP_SPLIT_LINES, NULL, 0, -1),
                     HP_EINVAL);
    /* the separator is ignored by the modes that take none */
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, NULL, "a b", 3, HP_SPLIT_WHITESPACE, NULL, 5, -1),
                     HP_OK);
    ck_assert_uint_eq(n, 2);
    /* NULL input with length 0 is empty input */
    ck_assert_int_eq(hp_split_spans(sp, 2, &n, NULL, NULL, 0, HP_SPLIT_SEP, ",", 1, -1), HP_OK);
    ck_assert_uint_eq(n, 1);
}
END_TEST

START_TEST(test_split__batch_errors) {
    hp_strings *b = (hp_strings *)&b;
    ck_assert_int_eq(hp_split_batch(NULL, "a", 1, HP_SPLIT_LINES, NULL, 0, -1), HP_EINVAL);
    ck_assert_int_eq(hp_split_batch(&b, "a", 1, 6, NULL, 0, -1), HP_EINVAL);
    ck_assert_ptr_null(b);
    ck_assert_int_eq(hp_split_batch(&b, "a\xff", 2, HP_SPLIT_WORDS, NULL, 0, -1), HP_EUTF8);
    ck_assert_ptr_null(b);
    ck_assert_int_eq(hp_split_batch(&b, NULL, 2, HP_SPLIT_WORDS, NULL, 0, -1), HP_EINVAL);
    ck_assert_int_eq(hp_split_batch(&b, "a", SIZE_MAX, HP_SPLIT_WORDS, NULL, 0, -1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_split_batch(&b, "a", 1, HP_SPLIT_ANY_BYTE, "", 0, -1), HP_EINVAL);
    ck_assert_int_eq(hp_split_batch(&b, "", 0, HP_SPLIT_WHITESPACE, NULL, 0, -1), HP_OK);
    ck_assert_uint_eq(b->count, 0); /* a batch with no strings */
    ck_assert_int_eq(hp_strings_check(b), HP_OK);
    hp_strings_free(b);
    ck_assert_uint_eq(hp_live_allocations(), 0);
}
END_TEST

Suite *test_split_suite(void) {
    Suite *s = suite_create("split");
    TCase *tc = tcase_create("split");
    tcase_add_test(tc, test_split__matches_bytes_split);
    tcase_add_test(tc, test_split__maxsplit);
    tcase_add_test(tc, test_split__binary_and_not_nul_terminated);
    tcase_add_test(tc, test_split__random_against_naive);
    tcase_add_test(tc, test_split__errors);
    tcase_add_test(tc, test_split__spans_sep_and_any_byte);
    tcase_add_test(tc, test_split__spans_whitespace_is_bytes_split);
    tcase_add_test(tc, test_split__spans_unicode_space_is_str_split);
    tcase_add_test(tc, test_split__spans_lines_are_bytes_splitlines);
    tcase_add_test(tc, test_split__spans_words_are_findall_w);
    tcase_add_test(tc, test_split__spans_invalid_utf8_reports_first_bad_byte);
    tcase_add_test(tc, test_split__spans_ebufsize_reports_needed);
    tcase_add_test(tc, test_split__resume_equals_one_shot_for_every_capacity);
    tcase_add_test(tc, test_split__resume_with_zero_capacity_makes_no_progress);
    tcase_add_test(tc, test_split__batch_matches_spans_in_every_mode);
    tcase_add_test(tc, test_split__ascii_modes_against_naive);
    tcase_add_test(tc, test_split__lines_avx2_matches_portable);
    tcase_add_test(tc, test_split__byte_separators_avx2_match_portable);
    tcase_add_test(tc, test_split__run_modes_avx2_match_portable);
    tcase_add_test(tc, test_split__spans_errors);
    tcase_add_test(tc, test_split__batch_errors);
    suite_add_tcase(s, tc);
    return s;
}
