/*
 * Transforms: hp_replace / hp_replace_alloc against hand-checked cases (bytes.replace in
 * Python, including the empty `old`) and a naive reference on random input, hp_join
 * (sep.join), hp_ngram_spans / hp_ngram_hashes for bytes, characters and words (hashes
 * against hp_hash64 of the n-gram, words joined by one space), and every error path.
 */
#include "internal/common.h"
#include "suites.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXPECT(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond)) ck_abort_msg(__VA_ARGS__);                                                    \
    } while (0)

/* ---------------------------------------------------------------- replace */

static void check_replace(const char *s, const char *old, const char *new_, int64_t count,
                          const char *expect) {
    char out[256];
    size_t n = 0, len = strlen(s), ol = strlen(old), nl = strlen(new_);
    ck_assert_uint_le(strlen(expect), hp_replace_bound(len, ol, nl));
    ck_assert_int_eq(hp_replace(out, sizeof out, &n, s, len, old, ol, new_, nl, count), HP_OK);
    ck_assert_uint_eq(n, strlen(expect));
    ck_assert_msg(memcmp(out, expect, n) == 0, "\"%s\".replace(\"%s\", \"%s\", %lld) = \"%.*s\"", s,
                  old, new_, (long long)count, (int)n, out);
    char *a = NULL;
    size_t an = 0;
    ck_assert_int_eq(hp_replace_alloc(&a, &an, s, len, old, ol, new_, nl, count), HP_OK);
    ck_assert_uint_eq(an, n);
    ck_assert_int_eq(memcmp(a, out, n), 0);
    ck_assert_int_eq(a[n], '\0');
    hp_free(a);
}

START_TEST(test_transform__replace_matches_bytes_replace) {
    check_replace("hello world", "o", "0", -1, "hell0 w0rld");
    check_replace("hello world", "o", "0", 1, "hell0 world");
    check_replace("hello world", "o", "0", 0, "hello world");
    check_replace("aaaa", "aa", "b", -1, "bb"); /* non-overlapping, left to right */
    check_replace("aaa", "aa", "b", -1, "ba");
    check_replace("abc", "abcd", "x", -1, "abc");
    check_replace("", "a", "b", -1, "");
    check_replace("abc", "b", "", -1, "ac");
    check_replace("a.b.c", ".", "::", -1, "a::b::c");
    check_replace("ab", "", "-", -1, "-a-b-"); /* empty old: every position */
    check_replace("ab", "", "-", 2, "-a-b");
    check_replace("ab", "", "-", 0, "ab");
    check_replace("", "", "x", -1, "x");
    check_replace("", "", "x", 0, "");
    check_replace("ab", "", "", -1, "ab");
    check_replace("caf\xc3\xa9 caf\xc3\xa9", "\xc3\xa9", "e", -1, "cafe cafe");
}
END_TEST

/* Naive bytes.replace: scan every position. */
static size_t naive_replace(char *out, const char *s, size_t len, const char *old, size_t ol,
                            const char *new_, size_t nl, int64_t count) {
    size_t used = 0, i = 0;
    int64_t done = 0;
    if (ol == 0) {
        for (i = 0; i <= len; i++) {
            if (count < 0 || done < count) {
                memcpy(out + used, new_, nl);
                used += nl;
                done++;
            }
            if (i < len) out[used++] = s[i];
        }
        return used;
    }
    while (i < len) {
        if ((count < 0 || done < count) && i + ol <= len && memcmp(s + i, old, ol) == 0) {
            memcpy(out + used, new_, nl);
            used += nl;
            i += ol;
            done++;
        } else {
            out[used++] = s[i++];
        }
    }
    return used;
}

START_TEST(test_transform__replace_random_against_naive_and_exact_size) {
    unsigned seed = 17;
    char s[64], old[4], new_[6], want[512], out[512];
    for (int round = 0; round < 5000; round++) {
        size_t len = (size_t)rand_r(&seed) % 40, ol = (size_t)rand_r(&seed) % 4,
               nl = (size_t)rand_r(&seed) % 6;
        for (size_t i = 0; i < len; i++)
            s[i] = "abc"[rand_r(&seed) % 3];
        for (size_t i = 0; i < ol; i++)
            old[i] = "abc"[rand_r(&seed) % 3];
        for (size_t i = 0; i < nl; i++)
            new_[i] = "xyz"[rand_r(&seed) % 3];
        int64_t count = (int64_t)(rand_r(&seed) % 6) - 1;
        size_t wn = naive_replace(want, s, len, old, ol, new_, nl, count), n = 0;
        EXPECT(wn <= hp_replace_bound(len, ol, nl), "bound too small");
        hp_status st = hp_replace(out, sizeof out, &n, s, len, old, ol, new_, nl, count);
        EXPECT(st == HP_OK && n == wn && memcmp(out, want, n) == 0, "round %d differs", round);
        if (wn > 0) { /* one byte short: HP_EBUFSIZE with the exact size */
            st = hp_replace(out, wn - 1, &n, s, len, old, ol, new_, nl, count);
            EXPECT(st == HP_EBUFSIZE && n == wn, "round %d: status %d needed %zu", round, st, n);
        }
        st = hp_replace(NULL, 0, &n, s, len, old, ol, new_, nl, count); /* size query */
        EXPECT((wn == 0 ? st == HP_OK : st == HP_EBUFSIZE) && n == wn, "size query");
    }
}
END_TEST

START_TEST(test_transform__replace_bound) {
    ck_assert_uint_eq(hp_replace_bound(10, 2, 1), 10); /* shrinking: len */
    ck_assert_uint_eq(hp_replace_bound(10, 2, 5), 10 + 5 * 3);
    ck_assert_uint_eq(hp_replace_bound(10, 0, 2), 10 + 11 * 2);
    ck_assert_uint_eq(hp_replace_bound(0, 0, 3), 3);
    ck_assert_uint_eq(hp_replace_bound(SIZE_MAX / 2, 1, 3), SIZE_MAX); /* overflow */
    ck_assert_uint_eq(hp_replace_bound(SIZE_MAX, 0, 1), SIZE_MAX);
}
END_TEST

START_TEST(test_transform__replace_errors) {
    char out[16];
    size_t n = 5;
    char *a = (char *)&n;
    ck_assert_int_eq(hp_replace(out, 16, NULL, "a", 1, "a", 1, "b", 1, -1), HP_EINVAL);
    ck_assert_int_eq(hp_replace(out, 16, &n, NULL, 1, "a", 1, "b", 1, -1), HP_EINVAL);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(hp_replace(out, 16, &n, "a", 1, NULL, 1, "b", 1, -1), HP_EINVAL);
    ck_assert_int_eq(hp_replace(out, 16, &n, "a", 1, "a", 1, NULL, 1, -1), HP_EINVAL);
    ck_assert_int_eq(hp_replace(NULL, 16, &n, "a", 1, "a", 1, "b", 1, -1), HP_EINVAL);
    ck_assert_int_eq(hp_replace(out, 16, &n, "a", SIZE_MAX, "a", 1, "b", 1, -1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_replace(out, 16, &n, "a", 1, "a", SIZE_MAX, "b", 1, -1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_replace(out, 16, &n, "a", 1, "a", 1, "b", SIZE_MAX, -1), HP_EOVERFLOW);
    memcpy(out, "abc", 3); /* out overlapping an input */
    ck_assert_int_eq(hp_replace(out + 1, 8, &n, out, 3, "b", 1, "x", 1, -1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "out overlaps an input");
    ck_assert_int_eq(hp_replace(out + 4, 8, &n, out, 3, "b", 1, "x", 1, -1), HP_OK);
    ck_assert_int_eq(memcmp(out + 4, "axc", 3), 0);
    /* NULL pointers with zero lengths are empty strings */
    ck_assert_int_eq(hp_replace(out, 16, &n, NULL, 0, NULL, 0, "ab", 2, -1), HP_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(hp_replace_alloc(NULL, &n, "a", 1, "a", 1, "b", 1, -1), HP_EINVAL);
    ck_assert_int_eq(hp_replace_alloc(&a, NULL, "a", 1, "a", 1, "b", 1, -1), HP_EINVAL);
    ck_assert_ptr_null(a);
    a = (char *)&n;
    ck_assert_int_eq(hp_replace_alloc(&a, &n, NULL, 1, "a", 1, "b", 1, -1), HP_EINVAL);
    ck_assert_ptr_null(a);
    ck_assert_int_eq(hp_replace_alloc(&a, &n, "a", SIZE_MAX, "a", 1, "b", 1, -1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_replace_alloc(&a, &n, NULL, 0, NULL, 0, NULL, 0, -1), HP_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(a[0], '\0');
    hp_free(a);
    ck_assert_uint_eq(hp_live_allocations(), 0);
}
END_TEST

static void *failing_malloc(size_t n, void *user) {
    (void)n;
    (void)user;
    return NULL;
}
static void *plain_realloc(void *p, size_t n, void *user) {
    (void)user;
    return realloc(p, n);
}
static void plain_free(void *p, void *user) {
    (void)user;
    free(p);
}

START_TEST(test_transform__out_of_memory_is_a_status) {
    ck_assert_int_eq(hp_set_allocator(failing_malloc, plain_realloc, plain_free, NULL), HP_OK);
    char *a = (char *)&a;
    size_t n = 3;
    ck_assert_int_eq(hp_replace_alloc(&a, &n, "abc", 3, "b", 1, "x", 1, -1), HP_ENOMEM);
    ck_assert_ptr_null(a);
    ck_assert_uint_eq(n, 0);
    hp_strings *b = (hp_strings *)&b;
    ck_assert_int_eq(hp_split_batch(&b, "a b", 3, HP_SPLIT_WHITESPACE, NULL, 0, -1), HP_ENOMEM);
    ck_assert_ptr_null(b);
    /* a word n-gram longer than the join buffer, with gaps that are not one space, needs
     * the streaming hasher */
    static char big[6000];
    for (size_t i = 0; i < sizeof big; i++)
        big[i] = i % 10 < 8 ? 'w' : ',';
    uint64_t h[8];
    ck_assert_int_eq(hp_ngram_hashes(h, 8, &n, big, sizeof big, HP_NGRAM_WORDS, 300, 0), HP_ENOMEM);
    ck_assert_int_eq(hp_set_allocator(NULL, NULL, NULL, NULL), HP_OK);
}
END_TEST

/* ---------------------------------------------------------------- join */

static hp_strings make_batch(const char *data, const int64_t *offsets, size_t count) {
    hp_strings b = {data, offsets, count};
    return b;
}

START_TEST(test_transform__join_matches_sep_join) {
    char out[64];
    size_t n = 0;
    const int64_t off[] = {0, 1, 3, 3, 6};
    hp_strings b = make_batch("abcdef", off, 4); /* "a", "bc", "", "def" */
    ck_assert_int_eq(hp_join(out, sizeof out, &n, &b, ", ", 2), HP_OK);
    ck_assert_uint_eq(n, 12);
    ck_assert_int_eq(memcmp(out, "a, bc, , def", 12), 0);
    ck_assert_int_eq(hp_join(out, sizeof out, &n, &b, NULL, 0), HP_OK);
    ck_assert_uint_eq(n, 6);
    ck_assert_int_eq(memcmp(out, "abcdef", 6), 0);
    /* a caller batch whose offsets do not start at 0 */
    const int64_t off2[] = {2, 4, 6};
    hp_strings c = make_batch("xxabcd", off2, 2);
    ck_assert_int_eq(hp_join(out, sizeof out, &n, &c, "-", 1), HP_OK);
    ck_assert_uint_eq(n, 5);
    ck_assert_int_eq(memcmp(out, "ab-cd", 5), 0);
    /* one string: no separator; no strings: empty */
    hp_strings one = make_batch("abcdef", off, 1);
    ck_assert_int_eq(hp_join(out, sizeof out, &n, &one, "--", 2), HP_OK);
    ck_assert_uint_eq(n, 1);
    hp_strings none = make_batch(NULL, off, 0);
    ck_assert_int_eq(hp_join(NULL, 0, &n, &none, "--", 2), HP_OK);
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_transform__join_errors) {
    char out[4];
    size_t n = 9;
    const int64_t off[] = {0, 1, 3, 3, 6};
    hp_strings b = make_batch("abcdef", off, 4);
    ck_assert_int_eq(hp_join(out, sizeof out, &n, &b, ",", 1), HP_EBUFSIZE);
    ck_assert_uint_eq(n, 9);
    ck_assert_str_eq(hp_last_error_message(), "output needs 9 bytes, capacity 4");
    ck_assert_int_eq(hp_join(NULL, 0, &n, &b, ",", 1), HP_EBUFSIZE);
    ck_assert_uint_eq(n, 9);
    ck_assert_int_eq(hp_join(out, 4, NULL, &b, ",", 1), HP_EINVAL);
    ck_assert_int_eq(hp_join(out, 4, &n, NULL, ",", 1), HP_EINVAL);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(hp_join(NULL, 4, &n, &b, ",", 1), HP_EINVAL);
    ck_assert_int_eq(hp_join(out, 4, &n, &b, NULL, 1), HP_EINVAL);
    ck_assert_int_eq(hp_join(out, 4, &n, &b, ",", SIZE_MAX), HP_EOVERFLOW);
    const int64_t bad[] = {0, 3, 1};
    hp_strings m = make_batch("abc", bad, 2); /* decreasing offsets */
    ck_assert_int_eq(hp_join(out, 4, &n, &m, ",", 1), HP_EINVAL);
    hp_strings nooff = make_batch("abc", NULL, 2);
    ck_assert_int_eq(hp_join(out, 4, &n, &nooff, ",", 1), HP_EINVAL);
    /* the separators alone exceed HP_MAX_LEN (the separator is never read) */
    ck_assert_int_eq(hp_join(out, 4, &n, &b, ",", HP_MAX_LEN / 2), HP_EOVERFLOW);
}
END_TEST

/* ---------------------------------------------------------------- n-grams */

/* n-grams rendered as "g|g|..." from spans; "<status>" on error. */
static void render_ngrams(const char *s, int unit, size_t n, char *buf, size_t cap) {
    int64_t spans[2 * 64];
    size_t count = 0;
    hp_status st = hp_ngram_spans(spans, 64, &count, s, strlen(s), unit, n);
    if (st != HP_OK) {
        snprintf(buf, cap, "<%s>", hp_status_name(st));
        return;
    }
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        size_t b = (size_t)spans[2 * i], e = (size_t)spans[2 * i + 1];
        ck_assert_uint_lt(used + e - b + 2, cap);
        if (i) buf[used++] = '|';
        memcpy(buf + used, s + b, e - b);
        used += e - b;
    }
    buf[used] = '\0';
}

static void check_ngrams(const char *s, int unit, size_t n, const char *expect) {
    char buf[512];
    render_ngrams(s, unit, n, buf, sizeof buf);
    ck_assert_msg(strcmp(buf, expect) == 0, "unit %d n %zu \"%s\": got \"%s\", want \"%s\"", unit,
                  n, s, buf, expect);
}

START_TEST(test_transform__ngram_spans) {
    check_ngrams("abcd", HP_NGRAM_BYTES, 2, "ab|bc|cd");
    check_ngrams("abcd", HP_NGRAM_BYTES, 4, "abcd");
    check_ngrams("abcd", HP_NGRAM_BYTES, 5, "");
    check_ngrams("", HP_NGRAM_BYTES, 1, "");
    check_ngrams("h\xc3\xa9llo", HP_NGRAM_CHARS, 2, "h\xc3\xa9|\xc3\xa9l|ll|lo");
    check_ngrams("\xf0\x9f\x98\x80\xe6\x97\xa5", HP_NGRAM_CHARS, 1,
                 "\xf0\x9f\x98\x80|\xe6\x97\xa5");
    check_ngrams("ab", HP_NGRAM_CHARS, 3, "");
    check_ngrams("a\xff", HP_NGRAM_CHARS, 1, "<HP_EUTF8>");
    check_ngrams("the quick, brown fox", HP_NGRAM_WORDS, 2, "the quick|quick, brown|brown fox");
    check_ngrams("  one  ", HP_NGRAM_WORDS, 1, "one");
    check_ngrams("one two", HP_NGRAM_WORDS, 3, "");
    check_ngrams("...", HP_NGRAM_WORDS, 1, "");
    check_ngrams("caf\xc3\xa9 \xff", HP_NGRAM_WORDS, 1, "<HP_EUTF8>");
}
END_TEST

/* hp_hash64 of the words of s (as HP_SPLIT_WORDS) i..i+n joined by one space. */
static uint64_t joined_hash(const char *s, size_t len, const int64_t *words, size_t i, size_t n,
                            uint64_t seed, char *scratch) {
    size_t used = 0;
    for (size_t k = i; k < i + n; k++) {
        if (k > i) scratch[used++] = ' ';
        size_t wl = (size_t)(words[2 * k + 1] - words[2 * k]);
        memcpy(scratch + used, s + words[2 * k], wl);
        used += wl;
    }
    (void)len;
    return hp_hash64(scratch, used, seed);
}

START_TEST(test_transform__ngram_hashes_match_hash64_of_each_ngram) {
    static char s[20000], scratch[20000];
    static int64_t words[2 * 10000], spans[2 * 20000];
    static uint64_t hashes[20000];
    unsigned seed = 23;
    const char *tokens[] = {"alpha",        "b",   " ", "  ", ", ", "\xc3\xa9t\xc3\xa9",
                            "\xe2\x80\x94", "x_1", "\n"};
    for (int round = 0; round < 60; round++) {
        size_t len = 0, nt = (size_t)rand_r(&seed) % (round < 50 ? 40 : 3000);
        for (size_t i = 0; i < nt; i++) {
            const char *t = tokens[(size_t)rand_r(&seed) % 9];
            memcpy(s + len, t, strlen(t));
            len += strlen(t);
        }
        if (round % 10 == 9) {
            /* words of 700 bytes: n-grams longer than the join buffer, some with gaps of
             * one space (hashed in place), some not (the streaming hasher) */
            for (len = 0; len + 702 < sizeof s; len += 702) {
                memset(s + len, 'a' + (int)(len % 26), 700);
                memcpy(s + len + 700, rand_r(&seed) % 2 ? ", " : "  ", 2);
                if (rand_r(&seed) % 2) s[len + 701] = 'x'; /* "x" joins the next word */
            }
        }
        uint64_t hseed = (uint64_t)round * 0x9E3779B97F4A7C15ULL;
        size_t nw = 0, count = 0;
        ck_assert_int_eq(
            hp_split_spans(words, 10000, &nw, NULL, s, len, HP_SPLIT_WORDS, NULL, 0, -1), HP_OK);
        for (size_t n = 1; n <= 5; n++) {
            for (int unit = 0; unit <= HP_NGRAM_WORDS; unit++) {
                ck_assert_int_eq(hp_ngram_spans(spans, 20000, &count, s, len, unit, n), HP_OK);
                size_t hc = 0;
                ck_assert_int_eq(hp_ngram_hashes(hashes, 20000, &hc, s, len, unit, n, hseed),
                                 HP_OK);
                ck_assert_uint_eq(hc, count);
                for (size_t i = 0; i < count; i++) {
                    uint64_t want =
                        unit == HP_NGRAM_WORDS
                            ? joined_hash(s, len, words, i, n, hseed, scratch)
                            : hp_hash64(s + spans[2 * i], (size_t)(spans[2 * i + 1] - spans[2 * i]),
                                        hseed);
                    EXPECT(hashes[i] == want, "round %d unit %d n %zu gram %zu", round, unit, n, i);
                    if (unit == HP_NGRAM_WORDS) {
                        EXPECT(spans[2 * i] == words[2 * i] &&
                                   spans[2 * i + 1] == words[2 * (i + n - 1) + 1],
                               "word span %zu", i);
                    }
                }
                if (unit == HP_NGRAM_WORDS) EXPECT(count == (nw >= n ? nw - n + 1 : 0), "count");
            }
        }
    }
    ck_assert_uint_eq(hp_live_allocations(), 0);
}
END_TEST

START_TEST(test_transform__ngram_word_hash_ignores_separator_kind) {
    uint64_t a[4], b[4], c[2];
    size_t na = 0, nb = 0, nc = 0;
    ck_assert_int_eq(hp_ngram_hashes(a, 4, &na, "a  b,c", 6, HP_NGRAM_WORDS, 2, 5), HP_OK);
    ck_assert_int_eq(hp_ngram_hashes(b, 4, &nb, "a b c", 5, HP_NGRAM_WORDS, 2, 5), HP_OK);
    ck_assert_uint_eq(na, 2);
    ck_assert_uint_eq(nb, 2);
    ck_assert_uint_eq(a[0], hp_hash64("a b", 3, 5));
    ck_assert_uint_eq(a[1], hp_hash64("b c", 3, 5));
    ck_assert_uint_eq(a[0], b[0]);
    ck_assert_uint_eq(a[1], b[1]);
    ck_assert_int_eq(hp_ngram_hashes(c, 2, &nc, "\xc3\xa9t\xc3\xa9", 5, HP_NGRAM_CHARS, 2, 0),
                     HP_OK);
    ck_assert_uint_eq(nc, 2);
    ck_assert_uint_eq(c[0], hp_hash64("\xc3\xa9t", 3, 0));
}
END_TEST

START_TEST(test_transform__ngram_errors) {
    int64_t sp[4];
    uint64_t h[2];
    size_t n = 7;
    ck_assert_int_eq(hp_ngram_spans(sp, 2, &n, "abcd", 4, HP_NGRAM_BYTES, 1), HP_EBUFSIZE);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(hp_last_error_message(), "output needs 4 n-grams, capacity 2");
    ck_assert_int_eq(hp_ngram_hashes(h, 1, &n, "a b c", 5, HP_NGRAM_WORDS, 2, 0), HP_EBUFSIZE);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(hp_ngram_hashes(NULL, 0, &n, "\xc3\xa9\xc3\xa9", 4, HP_NGRAM_CHARS, 1, 0),
                     HP_EBUFSIZE);
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(hp_ngram_spans(sp, 2, NULL, "a", 1, HP_NGRAM_BYTES, 1), HP_EINVAL);
    ck_assert_int_eq(hp_ngram_spans(NULL, 2, &n, "a", 1, HP_NGRAM_BYTES, 1), HP_EINVAL);
    ck_assert_int_eq(hp_ngram_hashes(NULL, 2, &n, "a", 1, HP_NGRAM_BYTES, 1, 0), HP_EINVAL);
    ck_assert_int_eq(hp_ngram_spans(sp, 2, &n, NULL, 1, HP_NGRAM_BYTES, 1), HP_EINVAL);
    ck_assert_int_eq(hp_ngram_spans(sp, 2, &n, "a", SIZE_MAX, HP_NGRAM_BYTES, 1), HP_EOVERFLOW);
    ck_assert_int_eq(hp_ngram_spans(sp, 2, &n, "a", 1, 3, 1), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "unknown n-gram unit 3");
    ck_assert_int_eq(hp_ngram_spans(sp, 2, &n, "a", 1, -1, 1), HP_EINVAL);
    ck_assert_int_eq(hp_ngram_spans(sp, 2, &n, "a", 1, HP_NGRAM_BYTES, 0), HP_EINVAL);
    ck_assert_str_eq(hp_last_error_message(), "n must be at least 1");
    ck_assert_int_eq(hp_ngram_hashes(h, 2, &n, "ab\xc3", 3, HP_NGRAM_CHARS, 1, 0), HP_EUTF8);
    ck_assert_int_eq(hp_ngram_hashes(h, 2, &n, "ab \xc3", 4, HP_NGRAM_WORDS, 1, 0), HP_EUTF8);
    ck_assert_uint_eq(n, 0);
    /* n larger than any input: no n-grams, not an error */
    ck_assert_int_eq(hp_ngram_spans(NULL, 0, &n, "abc", 3, HP_NGRAM_WORDS, SIZE_MAX), HP_OK);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(hp_ngram_spans(NULL, 0, &n, "abc", 3, HP_NGRAM_CHARS, SIZE_MAX), HP_OK);
    ck_assert_int_eq(hp_ngram_spans(NULL, 0, &n, NULL, 0, HP_NGRAM_BYTES, 1), HP_OK);
    ck_assert_uint_eq(n, 0);
}
END_TEST

Suite *test_transform_suite(void) {
    Suite *s = suite_create("transform");
    TCase *tc = tcase_create("transform");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_transform__replace_matches_bytes_replace);
    tcase_add_test(tc, test_transform__replace_random_against_naive_and_exact_size);
    tcase_add_test(tc, test_transform__replace_bound);
    tcase_add_test(tc, test_transform__replace_errors);
    tcase_add_test(tc, test_transform__out_of_memory_is_a_status);
    tcase_add_test(tc, test_transform__join_matches_sep_join);
    tcase_add_test(tc, test_transform__join_errors);
    tcase_add_test(tc, test_transform__ngram_spans);
    tcase_add_test(tc, test_transform__ngram_hashes_match_hash64_of_each_ngram);
    tcase_add_test(tc, test_transform__ngram_word_hash_ignores_separator_kind);
    tcase_add_test(tc, test_transform__ngram_errors);
    suite_add_tcase(s, tc);
    return s;
}
