/*
 * lib/fuzzy/seq.c — decoding (pointer, length, hp_enc) into uint32_t sequences.
 *
 * Short sequences decode into the hp__seq's inline buffer, so scoring short strings
 * allocates nothing; aligned HP_ENC_U32 input is used in place.
 */
#include <stdio.h>
#include <string.h>

#include "fuzzy_internal.h"
#include "hotpath/text.h"
#include "internal/common.h"

static uint32_t *seq_room(hp__seq *out, size_t n) {
    if (n <= HP__SEQ_INLINE) return out->inline_buf;
    size_t bytes;
    if (!hp__mul_size(n, sizeof(uint32_t), &bytes)) return NULL;
    out->heap = hp__malloc(bytes);
    return out->heap;
}

hp_status hp__seq_decode(hp__seq *out, const void *p, size_t len, int enc, const char *what) {
    out->p = out->inline_buf;
    out->n = 0;
    out->heap = NULL;
    HP_RETURN_IF(len > HP_MAX_LEN / 4, HP_EOVERFLOW, "%s length %zu is too large", what, len);
    HP_RETURN_IF(p == NULL && len > 0, HP_EINVAL, "%s is NULL but length is %zu", what, len);
    switch (enc) {
    case HP_ENC_U32:
        if (((uintptr_t)p & (sizeof(uint32_t) - 1)) == 0) {
            out->p = len ? (const uint32_t *)p : out->inline_buf;
        } else {
            uint32_t *dst = seq_room(out, len);
            HP_RETURN_IF(dst == NULL, HP_ENOMEM, "no memory for a %zu-element %s", len, what);
            memcpy(dst, p, len * sizeof(uint32_t));
            out->p = dst;
        }
        out->n = len;
        return HP_OK;
    case HP_ENC_U16: {
        uint32_t *dst = seq_room(out, len);
        HP_RETURN_IF(dst == NULL, HP_ENOMEM, "no memory for a %zu-element %s", len, what);
        const unsigned char *s = p;
        for (size_t i = 0; i < len; i++) {
            uint16_t v;
            memcpy(&v, s + 2 * i, 2);
            dst[i] = v;
        }
        out->p = dst;
        out->n = len;
        return HP_OK;
    }
    case HP_ENC_BYTES: {
        uint32_t *dst = seq_room(out, len);
        HP_RETURN_IF(dst == NULL, HP_ENOMEM, "no memory for a %zu-element %s", len, what);
        const unsigned char *s = p;
        for (size_t i = 0; i < len; i++) dst[i] = s[i];
        out->p = dst;
        out->n = len;
        return HP_OK;
    }
    case HP_ENC_UTF8: {
        const unsigned char *s = p;
        size_t ascii = 0;
        while (ascii < len && s[ascii] < 0x80) ascii++;
        uint32_t *dst = seq_room(out, len);
        HP_RETURN_IF(dst == NULL, HP_ENOMEM, "no memory for a %zu-element %s", len, what);
        for (size_t i = 0; i < ascii; i++) dst[i] = s[i];
        size_t n = ascii;
        if (ascii < len) {
            size_t tail = 0;
            hp_status st = hp_utf8_to_utf32(dst + ascii, len - ascii, &tail, (const char *)s + ascii,
                                            len - ascii);
            if (st != HP_OK) {
                hp__free(out->heap);
                out->heap = NULL;
                if (st == HP_EUTF8)
                    return hp__fail(HP_EUTF8, "%s: invalid UTF-8 at byte %zu", what, ascii + tail);
                return st;
            }
            n += tail;
        }
        out->p = dst;
        out->n = n;
        return HP_OK;
    }
    default:
        return hp__fail(HP_EINVAL, "%s: unknown encoding %d (want HP_ENC_UTF8, HP_ENC_BYTES "
                                   "HP_ENC_U32 or HP_ENC_U16)", what, enc);
    }
}

hp_status hp__seq_decode_batch(hp__seq *out, const hp_strings *batch, size_t i, int enc,
                               const char *what) {
    int64_t lo = batch->offsets[i], hi = batch->offsets[i + 1];
    size_t len = (size_t)(hi - lo);
    const char *p = batch->data ? batch->data + lo : NULL;
    if (enc == HP_ENC_U32 || enc == HP_ENC_U16) {
        size_t unit = enc == HP_ENC_U32 ? 4 : 2;
        if (len % unit != 0) {
            out->p = out->inline_buf;
            out->n = 0;
            out->heap = NULL;
            return hp__fail(HP_EINVAL, "%s %zu: a string of %zu bytes is not a whole number of "
                                       "%zu-byte elements", what, i, len, unit);
        }
        len /= unit;
    }
    hp_status st = hp__seq_decode(out, p, len, enc, what);
    if (st == HP_EUTF8) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s", hp_last_error_message());
        return hp__fail(HP_EUTF8, "%s (string %zu of the batch)", msg, i);
    }
    return st;
}

void hp__seq_release(hp__seq *s) {
    hp__free(s->heap);
    s->heap = NULL;
}
