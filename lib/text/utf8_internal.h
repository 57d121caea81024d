/*
 * lib/text/utf8_internal.h — what lib/text/utf8.c and lib/text/utf8_avx2.c share
 * (never installed; white-box tests and the fuzz target include it too).
 *
 * The validators work on bytes and say *why* input is invalid with hp__utf8_error; only
 * the public entry points in utf8.c turn that into an hp_status and a message.
 */
#ifndef HOTPATH_TEXT_UTF8_INTERNAL_H
#define HOTPATH_TEXT_UTF8_INTERNAL_H

#include "internal/common.h"

/* Why a byte sequence is not UTF-8. The offset reported with it is always the first
 * byte of the offending sequence, as UnicodeDecodeError.start in Python. */
typedef enum hp__utf8_error {
    HP__UTF8_OK = 0,
    HP__UTF8_STRAY_CONTINUATION, /* 80..BF where a character should start */
    HP__UTF8_INVALID_START,      /* F5..FF: never part of UTF-8 */
    HP__UTF8_OVERLONG,           /* C0, C1 lead; E0 80..9F; F0 80..8F */
    HP__UTF8_SURROGATE,          /* ED A0..BF: U+D800..U+DFFF */
    HP__UTF8_TOO_LARGE,          /* F4 90..BF: above U+10FFFF */
    HP__UTF8_BAD_CONTINUATION,   /* a lead byte followed by a non-continuation byte */
    HP__UTF8_TRUNCATED           /* the input ends inside a sequence */
} hp__utf8_error;

/* A short phrase for messages, e.g. "overlong encoding". */
const char *hp__utf8_error_reason(hp__utf8_error err);

/* The reference validator (portable C). On error, *offset is the start of the first
 * invalid sequence; on success it is left alone. */
hp__utf8_error hp__utf8_validate_scalar(const unsigned char *s, size_t len, size_t *offset);

#if HP_HAVE_X86_SIMD
/* Keiser–Lemire validator; needs AVX2 (the caller checks hp__simd()). Same contract as
 * the scalar one: the exact offset and reason come from the scalar code, run over the
 * few bytes around the first block that failed. */
hp__utf8_error hp__utf8_validate_avx2(const unsigned char *s, size_t len, size_t *offset);

/* hp__utf8_validate_avx2 that also counts the code points of valid input into *count
 * (in the same pass over the bytes); *count is untouched on error. */
hp__utf8_error hp__utf8_validate_count_avx2(const unsigned char *s, size_t len, size_t *offset,
                                            size_t *count);

/* The number of bytes of s[0..len) that are not continuation bytes 10xxxxxx: the code
 * point count when s is valid UTF-8. Any len (short inputs fall back to a byte loop). */
size_t hp__utf8_count_starts_avx2(const unsigned char *s, size_t len);

/* Length of the longest all-ASCII prefix of s[0..len). */
size_t hp__ascii_prefix_avx2(const unsigned char *s, size_t len);
#endif

#endif /* HOTPATH_TEXT_UTF8_INTERNAL_H */
