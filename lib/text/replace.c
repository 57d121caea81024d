/*
 * Transforms that build a new string: hp_replace (bytes.replace), hp_join (sep.join).
 *
 * hp_replace walks the input once: find the next match (memchr on the first byte of
 * `old`, memcmp on the rest: non-overlapping, left to right, as CPython), copy the gap
 * and `new`, continue after the match. It writes while the output fits and keeps
 * counting when it does not, so HP_EBUFSIZE reports the exact size in the same pass.
 * An empty `old` matches before every byte and at the end (count + 1 places for count
 * bytes), as bytes.replace; on UTF-8 text a non-empty `old` that is itself UTF-8 can only
 * match on character boundaries, so the result is also str.replace's.
 *
 * hp_replace_alloc counts the matches first (the same search, without copying), so it
 * allocates exactly once and never over-allocates by the worst case of hp_replace_bound.
 *
 * memchr is the C library's vectorised scan. The first-byte filter makes the worst case
 * O(len * old_len) (inputs such as "aaaa...a" searched for "aa...ab"); typical text
 * rarely repeats the first byte of a pattern densely enough for that to matter.
 */
#include "internal/common.h"

#include <string.h>

/* Offset of the next occurrence of pat (plen >= 1) at or after from, or len if none. */
static size_t find_from(const char *s, size_t len, size_t from, const char *pat, size_t plen) {
    if (plen > len) return len;
    const size_t last = len - plen;
    while (from <= last) {
        const char *p = memchr(s + from, (unsigned char)pat[0], last - from + 1);
        if (p == NULL) return len;
        if (memcmp(p + 1, pat + 1, plen - 1) == 0) return (size_t)(p - s);
        from = (size_t)(p - s) + 1;
    }
    return len;
}

static bool overlaps(const char *a, size_t alen, const char *b, size_t blen) {
    if (a == NULL || b == NULL || alen == 0 || blen == 0) return false;
    uintptr_t a0 = (uintptr_t)a, b0 = (uintptr_t)b;
    return a0 < b0 + blen && b0 < a0 + alen;
}

size_t hp_replace_bound(size_t len, size_t old_len, size_t new_len) {
    size_t places, grow, total;
    if (old_len == 0) {
        places = len == SIZE_MAX ? SIZE_MAX : len + 1;
        grow = new_len;
    } else {
        places = len / old_len;
        if (new_len <= old_len) return len;
        grow = new_len - old_len;
    }
    if (!hp__mul_size(places, grow, &total) || !hp__add_size(total, len, &total)) return SIZE_MAX;
    return total;
}

/* Append n bytes at *used if they fit in capacity; always advance *used (saturating
 * sizes are impossible here: the result is at most hp_replace_bound, checked first). */
static inline void put(char *out, size_t capacity, size_t *used, const char *p, size_t n) {
    if (n != 0 && *used + n <= capacity) memcpy(out + *used, p, n);
    *used += n;
}

/* The checks hp_replace and hp_replace_alloc share. */
static hp_status check_replace(const char *s, size_t len, const char *old, size_t old_len,
                               const char *new_, size_t new_len) {
    HP_CHECK_INPUT(s, len, "s");
    HP_CHECK_INPUT(old, old_len, "old");
    HP_CHECK_INPUT(new_, new_len, "new");
    return HP_OK;
}

/*
 * Count the replacements and the result size (without writing).
 * Returns HP_EOVERFLOW if the result would exceed HP_MAX_LEN.
 */
static hp_status replaced_size(size_t *out, const char *s, size_t len, const char *old,
                               size_t old_len, size_t new_len, int64_t max_count) {
    uint64_t limit = max_count < 0 ? UINT64_MAX : (uint64_t)max_count;
    uint64_t n = 0;
    if (old_len == 0) {
        n = (uint64_t)len + 1 < limit ? (uint64_t)len + 1 : limit;
    } else {
        size_t pos = 0, at;
        while (n < limit && (at = find_from(s, len, pos, old, old_len)) != len) {
            n++;
            pos = at + old_len;
        }
    }
    /* result = len - n*old_len + n*new_len, in 128-bit-safe steps */
    size_t removed = (size_t)n * old_len; /* <= len: matches do not overlap */
    size_t added;
    HP_RETURN_IF(!hp__mul_size((size_t)n, new_len, &added) ||
                     !hp__add_size(len - removed, added, out) || *out > HP_MAX_LEN,
                 HP_EOVERFLOW, "replace result of %llu replacements exceeds HP_MAX_LEN",
                 (unsigned long long)n);
    return HP_OK;
}

/* Write the result into out[0..capacity) as far as it fits; *used = the full size. */
static void replace_into(char *out, size_t capacity, size_t *used, const char *s, size_t len,
                         const char *old, size_t old_len, const char *new_, size_t new_len,
                         int64_t max_count) {
    uint64_t limit = max_count < 0 ? UINT64_MAX : (uint64_t)max_count;
    uint64_t n = 0;
    size_t pos = 0;
    *used = 0;
    if (old_len == 0) {
        /* new before every byte while the budget lasts, and once more at the end */
        for (; pos <= len && n < limit; pos++, n++) {
            put(out, capacity, used, new_, new_len);
            if (pos < len) put(out, capacity, used, s + pos, 1);
        }
        if (pos < len) put(out, capacity, used, s + pos, len - pos);
        return;
    }
    size_t at;
    while (n < limit && (at = find_from(s, len, pos, old, old_len)) != len) {
        put(out, capacity, used, s + pos, at - pos);
        put(out, capacity, used, new_, new_len);
        pos = at + old_len;
        n++;
    }
    put(out, capacity, used, s + pos, len - pos);
}

hp_status hp_replace(char *out, size_t capacity, size_t *out_len, const char *s, size_t len,
                     const char *old, size_t old_len, const char *new_, size_t new_len,
                     int64_t max_count) {
    HP_CHECK_NOT_NULL(out_len, "out_len");
    *out_len = 0;
    HP_FORWARD_IF_ERROR(check_replace(s, len, old, old_len, new_, new_len));
    HP_RETURN_IF(out == NULL && capacity > 0, HP_EINVAL, "out is NULL but capacity is %zu",
                 capacity);
    HP_RETURN_IF(overlaps(out, capacity, s, len) || overlaps(out, capacity, old, old_len) ||
                     overlaps(out, capacity, new_, new_len),
                 HP_EINVAL, "out overlaps an input");
    /* Bound check first, so `used` in replace_into cannot wrap. */
    if (hp_replace_bound(len, old_len, new_len) > HP_MAX_LEN) {
        size_t need = 0;
        HP_FORWARD_IF_ERROR(replaced_size(&need, s, len, old, old_len, new_len, max_count));
    }
    size_t used = 0;
    replace_into(out, capacity, &used, s, len, old, old_len, new_, new_len, max_count);
    *out_len = used;
    HP_RETURN_IF(used > capacity, HP_EBUFSIZE, "output needs %zu bytes, capacity %zu", used,
                 capacity);
    return HP_OK;
}

hp_status hp_replace_alloc(char **out, size_t *out_len, const char *s, size_t len, const char *old,
                           size_t old_len, const char *new_, size_t new_len, int64_t max_count) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NULL;
    HP_CHECK_NOT_NULL(out_len, "out_len");
    *out_len = 0;
    HP_FORWARD_IF_ERROR(check_replace(s, len, old, old_len, new_, new_len));
    size_t need = 0;
    HP_FORWARD_IF_ERROR(replaced_size(&need, s, len, old, old_len, new_len, max_count));
    char *buf = hp__malloc(need + 1);
    HP_RETURN_IF(buf == NULL, HP_ENOMEM, "cannot allocate %zu bytes", need + 1);
    size_t used = 0;
    replace_into(buf, need, &used, s, len, old, old_len, new_, new_len, max_count);
    buf[need] = '\0';
    *out = buf;
    *out_len = need;
    return HP_OK;
}

hp_status hp_join(char *out, size_t capacity, size_t *out_len, const hp_strings *batch,
                  const char *sep, size_t sep_len) {
    HP_CHECK_NOT_NULL(out_len, "out_len");
    *out_len = 0;
    HP_CHECK_NOT_NULL(batch, "batch");
    HP_FORWARD_IF_ERROR(hp_strings_check(batch));
    HP_CHECK_INPUT(sep, sep_len, "sep");
    HP_RETURN_IF(out == NULL && capacity > 0, HP_EINVAL, "out is NULL but capacity is %zu",
                 capacity);
    const size_t count = batch->count;
    size_t need = 0;
    if (count > 0) {
        /* The strings are one contiguous range of data, so their total is end - start. */
        size_t strings = (size_t)(batch->offsets[count] - batch->offsets[0]), seps;
        HP_RETURN_IF(!hp__mul_size(count - 1, sep_len, &seps) ||
                         !hp__add_size(strings, seps, &need) || need > HP_MAX_LEN,
                     HP_EOVERFLOW, "joining %zu strings exceeds HP_MAX_LEN", count);
    }
    *out_len = need;
    HP_RETURN_IF(need > capacity, HP_EBUFSIZE, "output needs %zu bytes, capacity %zu", need,
                 capacity);
    size_t used = 0;
    for (size_t i = 0; i < count; i++) {
        if (i > 0 && sep_len > 0) {
            memcpy(out + used, sep, sep_len);
            used += sep_len;
        }
        size_t n = (size_t)(batch->offsets[i + 1] - batch->offsets[i]);
        if (n > 0) memcpy(out + used, batch->data + batch->offsets[i], n);
        used += n;
    }
    return HP_OK;
}
