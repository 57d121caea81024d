/*
 * n-grams (shingles) of bytes, characters or words, as spans or as hp_hash64 values.
 *
 * Bytes: n-gram i is s[i .. i+n). Characters: two cursors n characters apart walk the
 * (validated) text, one character per step, so no table of character starts is needed.
 * Words: the word tokens of HP_SPLIT_WORDS, read through hp_split_spans' resume protocol
 * in chunks into a small buffer on the stack (struct word_stream), so any number of
 * words and any n work without allocating. Two streams run n-1 words apart: the
 * trailing one gives the first word of each n-gram, the leading one its last word.
 *
 * A word n-gram hashes as its words joined by one space. When the words of an n-gram
 * are already separated by exactly one ' ' in the input (the common case for prose),
 * the input span is that string and is hashed in place. Otherwise its words are read
 * again (a third stream over just that span) and copied with single spaces into a
 * stack buffer; an n-gram longer than the buffer goes through one streaming hasher,
 * created on first need and shared by the rest of the call, which is the only case in
 * which this file allocates.
 */
#include "internal/common.h"

#include <string.h>

enum { CHUNK = 64, JOIN_BUF = 2048, UNIT_COUNT = HP_NGRAM_WORDS + 1 };

/* ---------------------------------------------------------------- word streams */

typedef struct word_stream {
    const char *s;
    size_t len;
    size_t resume; /* hp_split_spans' cursor; SIZE_MAX once the last chunk is in spans */
    size_t have, next;
    int64_t spans[2 * CHUNK];
} word_stream;

static void ws_init(word_stream *w, const char *s, size_t len) {
    w->s = s;
    w->len = len;
    w->resume = 0;
    w->have = w->next = 0;
}

/* 1 and the next word s[*b .. *e); 0 after the last word; a negative hp_status. */
static int ws_next(word_stream *w, size_t *b, size_t *e) {
    if (w->next == w->have) {
        if (w->resume == SIZE_MAX) return 0;
        size_t got = 0;
        hp_status st = hp_split_spans(w->spans, CHUNK, &got, &w->resume, w->s, w->len,
                                      HP_SPLIT_WORDS, NULL, 0, -1);
        if (st != HP_OK) return st;
        w->have = got;
        w->next = 0;
        if (got == 0) return 0;
    }
    *b = (size_t)w->spans[2 * w->next];
    *e = (size_t)w->spans[2 * w->next + 1];
    w->next++;
    return 1;
}

/* Iterate the word n-grams: fills [*b, *e) and returns 1, 0 at the end, or an error. */
typedef struct word_grams {
    word_stream lead, trail;
    size_t n;
    bool started;
} word_grams;

static int wg_next(word_grams *g, size_t *b, size_t *e) {
    size_t lb = 0, le = 0, tb = 0, te = 0;
    int r;
    if (!g->started) {
        g->started = true;
        for (size_t k = 1; k < g->n; k++) {
            if ((r = ws_next(&g->lead, &lb, &le)) <= 0) return r;
        }
    }
    if ((r = ws_next(&g->lead, &lb, &le)) <= 0) return r;
    if ((r = ws_next(&g->trail, &tb, &te)) <= 0) {
        return r < 0 ? r : hp__fail(HP_EINTERNAL, "word streams out of step");
    }
    *b = tb;
    *e = le;
    return 1;
}

/* ---------------------------------------------------------------- hashing a word n-gram */

typedef struct joiner {
    uint64_t seed;
    hp_hasher64 *hasher; /* created on first need, freed by the caller */
    char buf[JOIN_BUF];
} joiner;

/* Append p[0..n) to the joined string: into buf while it fits, else into the hasher. */
static hp_status join_put(joiner *j, size_t *used, bool *streaming, const char *p, size_t n) {
    if (!*streaming && *used + n <= JOIN_BUF) {
        memcpy(j->buf + *used, p, n);
        *used += n;
        return HP_OK;
    }
    if (!*streaming) {
        if (j->hasher == NULL) {
            HP_FORWARD_IF_ERROR(hp_hasher64_new(&j->hasher, j->seed));
        } else {
            HP_FORWARD_IF_ERROR(hp_hasher64_reset(j->hasher, j->seed));
        }
        HP_FORWARD_IF_ERROR(hp_hasher64_update(j->hasher, j->buf, *used));
        *streaming = true;
    }
    return hp_hasher64_update(j->hasher, p, n);
}

/* hp_hash64 of the words of s[b..e) joined by single spaces. */
static hp_status hash_word_gram(uint64_t *out, joiner *j, const char *s, size_t b, size_t e) {
    word_stream ws;
    ws_init(&ws, s + b, e - b);
    size_t wb = 0, we = 0, prev = 0, used = 0;
    bool first = true, direct = true, streaming = false;
    int r;
    /* First see whether every gap is one ' ' (nothing to copy); copy only if not. */
    while ((r = ws_next(&ws, &wb, &we)) > 0) {
        if (!first && (wb != prev + 1 || s[b + prev] != ' ')) {
            direct = false;
            break;
        }
        first = false;
        prev = we;
    }
    if (r < 0) return r;
    if (direct) {
        *out = hp_hash64(s + b, e - b, j->seed);
        return HP_OK;
    }
    ws_init(&ws, s + b, e - b);
    first = true;
    while ((r = ws_next(&ws, &wb, &we)) > 0) {
        if (!first) HP_FORWARD_IF_ERROR(join_put(j, &used, &streaming, " ", 1));
        first = false;
        HP_FORWARD_IF_ERROR(join_put(j, &used, &streaming, s + b + wb, we - wb));
    }
    if (r < 0) return r;
    if (streaming) return hp_hasher64_digest(j->hasher, out);
    *out = hp_hash64(j->buf, used, j->seed);
    return HP_OK;
}

/* ---------------------------------------------------------------- drivers */

static inline size_t utf8_width(unsigned char lead) {
    return lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

static hp_status check_args(size_t *out_count, const void *out, size_t capacity, const char *s,
                            size_t len, int unit, size_t n) {
    HP_CHECK_NOT_NULL(out_count, "out_count");
    *out_count = 0;
    HP_CHECK_INPUT(s, len, "s");
    HP_RETURN_IF(out == NULL && capacity > 0, HP_EINVAL, "out is NULL but capacity is %zu",
                 capacity);
    HP_RETURN_IF(unit < 0 || unit >= UNIT_COUNT, HP_EINVAL, "unknown n-gram unit %d", unit);
    HP_RETURN_IF(n == 0, HP_EINVAL, "n must be at least 1");
    if (unit == HP_NGRAM_CHARS) HP_FORWARD_IF_ERROR(hp_utf8_validate(s, len, NULL));
    return HP_OK;
}

/*
 * One loop for both public functions: every n-gram [b, e) in order goes to emit()
 * while i < capacity, and is only counted after that.
 */
typedef struct sink {
    int64_t *spans;
    uint64_t *hashes;
    size_t capacity;
    joiner *join; /* hashes of word n-grams */
    uint64_t seed;
    const char *s;
} sink;

static hp_status emit(sink *k, size_t i, size_t b, size_t e) {
    if (i >= k->capacity) return HP_OK;
    if (k->spans != NULL) {
        k->spans[2 * i] = (int64_t)b;
        k->spans[2 * i + 1] = (int64_t)e;
        return HP_OK;
    }
    if (k->join != NULL) return hash_word_gram(&k->hashes[i], k->join, k->s, b, e);
    k->hashes[i] = hp_hash64(k->s + b, e - b, k->seed);
    return HP_OK;
}

static hp_status ngrams(sink *k, size_t *out_count, const char *s, size_t len, int unit, size_t n) {
    size_t count = 0;
    if (unit == HP_NGRAM_BYTES) {
        count = len >= n ? len - n + 1 : 0;
        size_t upto = count < k->capacity ? count : k->capacity;
        for (size_t i = 0; i < upto; i++)
            HP_FORWARD_IF_ERROR(emit(k, i, i, i + n));
    } else if (unit == HP_NGRAM_CHARS) {
        const unsigned char *u = (const unsigned char *)s;
        size_t head = 0, tail = 0, k_chars = 0;
        while (k_chars < n && head < len) {
            head += utf8_width(u[head]);
            k_chars++;
        }
        if (k_chars == n) {
            for (;;) {
                HP_FORWARD_IF_ERROR(emit(k, count, tail, head));
                count++;
                if (head == len) break;
                head += utf8_width(u[head]);
                tail += utf8_width(u[tail]);
            }
        }
    } else {
        word_grams g;
        ws_init(&g.lead, s, len);
        ws_init(&g.trail, s, len);
        g.n = n;
        g.started = false;
        size_t b = 0, e = 0;
        int r;
        while ((r = wg_next(&g, &b, &e)) > 0) {
            HP_FORWARD_IF_ERROR(emit(k, count, b, e));
            count++;
        }
        if (r < 0) return r;
    }
    *out_count = count;
    HP_RETURN_IF(count > k->capacity, HP_EBUFSIZE, "output needs %zu n-grams, capacity %zu", count,
                 k->capacity);
    return HP_OK;
}

hp_status hp_ngram_spans(int64_t *out, size_t capacity, size_t *out_count, const char *s,
                         size_t len, int unit, size_t n) {
    HP_FORWARD_IF_ERROR(check_args(out_count, out, capacity, s, len, unit, n));
    sink k = {out, NULL, capacity, NULL, 0, s};
    return ngrams(&k, out_count, s, len, unit, n);
}

hp_status hp_ngram_hashes(uint64_t *out, size_t capacity, size_t *out_count, const char *s,
                          size_t len, int unit, size_t n, uint64_t seed) {
    HP_FORWARD_IF_ERROR(check_args(out_count, out, capacity, s, len, unit, n));
    if (unit != HP_NGRAM_WORDS) {
        sink k = {NULL, out, capacity, NULL, seed, s};
        return ngrams(&k, out_count, s, len, unit, n);
    }
    joiner j;
    j.seed = seed;
    j.hasher = NULL;
    sink k = {NULL, out, capacity, &j, seed, s};
    hp_status st = ngrams(&k, out_count, s, len, unit, n);
    hp_hasher64_free(j.hasher);
    return st;
}
