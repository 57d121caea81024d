/* hp_split against hand-checked cases (Python's bytes.split) and its error paths. */
#include "internal/common.h"
#include "suites.h"

#include <stdlib.h>
#include <string.h>

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
    check_split("aaaa", "aa", -1, 3, "||");      /* non-overlapping, left to right */
    check_split("aaa", "aa", -1, 2, "|a");
    check_split("xaab", "ab", -1, 2, "xa|");     /* first byte matches, then fails */
    check_split("ab", "abc", -1, 1, "ab");        /* separator longer than input */
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
        for (size_t i = 0; i < len; i++) s[i] = "abc"[rand() % 3];
        for (size_t i = 0; i < sep_len; i++) sep[i] = "abc"[rand() % 3];
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

Suite *test_split_suite(void) {
    Suite *s = suite_create("split");
    TCase *tc = tcase_create("split");
    tcase_add_test(tc, test_split__matches_bytes_split);
    tcase_add_test(tc, test_split__maxsplit);
    tcase_add_test(tc, test_split__binary_and_not_nul_terminated);
    tcase_add_test(tc, test_split__random_against_naive);
    tcase_add_test(tc, test_split__errors);
    suite_add_tcase(s, tc);
    return s;
}
