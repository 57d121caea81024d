/*
 * lib/text/ucd.h — Unicode character properties shared by the text kernels (internal).
 *
 * Generated tables (lib/text/unicode_tables.c, by scripts/gen_unicode_tables.py from
 * Python's unicodedata; see hp_unicode_version()) answer per code point what Python's
 * str methods answer for a one-character string.
 */
#ifndef HOTPATH_TEXT_UCD_H
#define HOTPATH_TEXT_UCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* str.isalnum() of chr(cp). */
bool hp__ucd_is_alnum(uint32_t cp);

/* str.isspace() of chr(cp) (the whitespace str.split() splits on). */
bool hp__ucd_is_space(uint32_t cp);

/* Decode one code point of valid UTF-8 at s (len bytes available, len >= 1);
 * returns the code point and stores its byte length in *width. */
static inline uint32_t hp__utf8_decode1(const unsigned char *s, size_t len, unsigned *width) {
    unsigned char b = s[0];
    if (b < 0x80 || len < 2) {
        *width = 1;
        return b;
    }
    if (b < 0xE0) {
        *width = 2;
        return ((uint32_t)(b & 0x1F) << 6) | (s[1] & 0x3F);
    }
    if (b < 0xF0 || len < 4) {
        *width = 3;
        return ((uint32_t)(b & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
    }
    *width = 4;
    return ((uint32_t)(b & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
           ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
}

#endif /* HOTPATH_TEXT_UCD_H */
