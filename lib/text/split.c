/*
 * hp_split: bytes.split(sep, maxsplit) into a library-allocated batch.
 *
 * Two passes over the input: the first counts separators (memchr on the first
 * separator byte, then memcmp on the rest; non-overlapping, left to right, as Python),
 * the second fills the offsets. The struct, the count+1 offsets and a copy of the
 * pieces share one allocation, so hp_strings_free is one free and a caller cannot
 * leak half of a result. Separators are dropped from the copy, so the data is the
 * pieces back to back and offsets start at 0.
 */
#include "internal/common.h"

#include <string.h>

/* Offset of the next occurrence of sep at or after `from`, or len if none. */
static size_t find_sep(const char *s, size_t len, size_t from, const char *sep, size_t sep_len) {
    if (sep_len > len) return len;
    const size_t last = len - sep_len; /* last start position that fits */
    while (from <= last) {
        const char *p = memchr(s + from, (unsigned char)sep[0], last - from + 1);
        if (p == NULL) return len;
        size_t at = (size_t)(p - s);
        if (memcmp(p + 1, sep + 1, sep_len - 1) == 0) return at;
        from = at + 1;
    }
    return len;
}

static size_t count_pieces(const char *s, size_t len, const char *sep, size_t sep_len,
                           int64_t maxsplit) {
    size_t pieces = 1;
    size_t pos = 0;
    while (maxsplit < 0 || (int64_t)(pieces - 1) < maxsplit) {
        size_t at = find_sep(s, len, pos, sep, sep_len);
        if (at == len) break;
        pieces++;
        pos = at + sep_len;
    }
    return pieces;
}

hp_status hp_split(hp_strings **out, const char *s, size_t len, const char *sep, size_t sep_len,
                   int64_t maxsplit) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NULL;
    HP_CHECK_INPUT(s, len, "s");
    HP_CHECK_INPUT(sep, sep_len, "sep");
    HP_RETURN_IF(sep_len == 0, HP_EINVAL, "empty separator");

    size_t pieces = count_pieces(s, len, sep, sep_len, maxsplit);
    /* pieces <= len + 1 and data <= len, so with len <= HP_MAX_LEN the sizes below
     * can only overflow on 32-bit targets; check anyway. */
    size_t offsets_bytes, total;
    HP_RETURN_IF(!hp__mul_size(pieces + 1, sizeof(int64_t), &offsets_bytes) ||
                     !hp__add_size(sizeof(hp_strings), offsets_bytes, &total) ||
                     !hp__add_size(total, len, &total),
                 HP_EOVERFLOW, "split result of %zu pieces does not fit in memory", pieces);
    unsigned char *block = hp__malloc(total);
    HP_RETURN_IF(block == NULL, HP_ENOMEM, "cannot allocate %zu bytes for %zu pieces", total, pieces);

    hp_strings *batch = (hp_strings *)block;
    int64_t *offsets = (int64_t *)(block + sizeof(hp_strings));
    char *data = (char *)(block + sizeof(hp_strings) + offsets_bytes);

    size_t pos = 0, used = 0;
    offsets[0] = 0;
    for (size_t i = 0; i < pieces; i++) {
        size_t end = (i + 1 < pieces) ? find_sep(s, len, pos, sep, sep_len) : len;
        if (end > pos) memcpy(data + used, s + pos, end - pos);
        used += end - pos;
        offsets[i + 1] = (int64_t)used;
        pos = end + sep_len;
    }
    batch->data = data;
    batch->offsets = offsets;
    batch->count = pieces;
    *out = batch;
    return HP_OK;
}
