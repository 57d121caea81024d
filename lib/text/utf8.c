/*
 * UTF-8 validation and decoding to UTF-32.
 *
 * The scalar validator is the reference. It walks one character at a time and checks
 * the second byte of each sequence against the ranges of the Unicode Standard, Table
 * 3-7 ("Well-Formed UTF-8 Byte Sequences"): only the second byte ever has a range
 * narrower than 80..BF (E0 A0.., ED ..9F, F0 90.., F4 ..8F), which is what rules out
 * overlongs, surrogates and code points above U+10FFFF in one comparison. Runs of ASCII
 * are skipped eight bytes at a time with one 64-bit load and a high-bit mask.
 *
 * Errors are reported where Python's decoder reports them (UnicodeDecodeError.start):
 * at the first byte of the sequence that cannot be completed, whichever of its bytes
 * is actually wrong. Python stops at the first bad byte after the lead and so do we, so
 * the reason we give ("overlong encoding", "surrogate", ...) is about the same bytes
 * Python complains about, only more specific than its "invalid continuation byte".
 *
 * The AVX2 path (utf8_avx2.c) answers valid/invalid for whole blocks and hands the
 * failing region back to the scalar code for the exact offset and reason.
 *
 * Decoding validates first (so the SIMD validator does the checking) and then decodes
 * without checks; when the output may not fit, the code points are counted first by
 * counting the bytes that are not continuation bytes.
 *
 * Counting (hp_utf8_count) is validation plus that same count; the AVX2 validator does
 * both in one pass over the bytes. Converting byte offsets to code-point indices
 * (hp_utf8_offset_to_index) walks the text once, from one offset to the next, counting
 * the character starts in between: short gaps with the 8-byte word trick below, long
 * ones with the AVX2 counter. All offsets are checked before the first is rewritten, so
 * a failing call leaves the array as it was.
 *
 * hp_ascii_prefix looks for the first byte with its high bit set, eight bytes at a time
 * (the lowest set high bit of a little-endian word is the first non-ASCII byte), or 128
 * at a time with AVX2. Encoding UTF-32 (hp_utf32_to_utf8) is scalar: it copies runs of
 * four ASCII code points with one test, and when the caller's buffer is smaller than the
 * worst case it measures the output first, so HP_EBUFSIZE reports the exact size.
 */
#include "text/utf8_internal.h"

#include <assert.h>
#include <inttypes.h>

#define HP_UTF8_HIGH_BITS UINT64_C(0x8080808080808080)
#define HP_UTF8_LOW_BITS UINT64_C(0x0101010101010101)

const char *hp__utf8_error_reason(hp__utf8_error err) {
    switch (err) {
    case HP__UTF8_OK: return "valid";
    case HP__UTF8_STRAY_CONTINUATION: return "unexpected continuation byte";
    case HP__UTF8_INVALID_START: return "invalid start byte";
    case HP__UTF8_OVERLONG: return "overlong encoding";
    case HP__UTF8_SURROGATE: return "surrogate";
    case HP__UTF8_TOO_LARGE: return "code point above U+10FFFF";
    case HP__UTF8_BAD_CONTINUATION: return "invalid continuation byte";
    case HP__UTF8_TRUNCATED: return "truncated sequence";
    }
    return "invalid";
}

static inline bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

static inline bool all_ascii8(const unsigned char *s) {
    return (hp__load64(s) & HP_UTF8_HIGH_BITS) == 0;
}

/*
 * Check the multi-byte sequence led by s[0] (>= 0x80) with `avail` bytes left in the
 * input; on success store its length in *n. The order of the checks is Python's: the
 * lead byte, then each following byte in turn, and the end of the input only counts as
 * the problem when every byte before it was acceptable.
 */
static hp__utf8_error check_sequence(const unsigned char *s, size_t avail, size_t *n) {
    const unsigned char lead = s[0];
    unsigned char lo = 0x80, hi = 0xBF; /* range allowed for the second byte */
    hp__utf8_error outside = HP__UTF8_OK;
    size_t need;
    if (lead < 0xC0) return HP__UTF8_STRAY_CONTINUATION;
    if (lead < 0xC2) return HP__UTF8_OVERLONG; /* C0, C1 only ever encode U+0000..U+007F */
    if (lead < 0xE0) {
        need = 2;
    } else if (lead < 0xF0) {
        need = 3;
        if (lead == 0xE0) {
            lo = 0xA0;
            outside = HP__UTF8_OVERLONG;
        } else if (lead == 0xED) {
            hi = 0x9F;
            outside = HP__UTF8_SURROGATE;
        }
    } else if (lead < 0xF5) {
        need = 4;
        if (lead == 0xF0) {
            lo = 0x90;
            outside = HP__UTF8_OVERLONG;
        } else if (lead == 0xF4) {
            hi = 0x8F;
            outside = HP__UTF8_TOO_LARGE;
        }
    } else {
        return HP__UTF8_INVALID_START;
    }
    if (avail < 2) return HP__UTF8_TRUNCATED;
    if (!is_continuation(s[1])) return HP__UTF8_BAD_CONTINUATION;
    if (s[1] < lo || s[1] > hi) return outside;
    for (size_t k = 2; k < need; k++) {
        if (avail <= k) return HP__UTF8_TRUNCATED;
        if (!is_continuation(s[k])) return HP__UTF8_BAD_CONTINUATION;
    }
    *n = need;
    return HP__UTF8_OK;
}

hp__utf8_error hp__utf8_validate_scalar(const unsigned char *s, size_t len, size_t *offset) {
    size_t i = 0;
    while (i < len) {
        while (i + 8 <= len && all_ascii8(s + i)) i += 8;
        if (i == len) break;
        if (s[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = 0;
        hp__utf8_error err = check_sequence(s + i, len - i, &n);
        if (err != HP__UTF8_OK) {
            *offset = i;
            return err;
        }
        i += n;
    }
    return HP__UTF8_OK;
}

/* The level is read at every call, so hp_simd_set_level() applies to the next one. */
static hp__utf8_error validate(const unsigned char *s, size_t len, size_t *offset) {
    if (len == 0) return HP__UTF8_OK;
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    if (level >= HP_SIMD_AVX2 && level != HP_SIMD_NEON) {
        return hp__utf8_validate_avx2(s, len, offset);
    }
#endif
    return hp__utf8_validate_scalar(s, len, offset);
}

/* Whether this call may use the AVX2 kernels (the level is read per call, as above). */
static bool use_avx2(void) {
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    return level >= HP_SIMD_AVX2 && level != HP_SIMD_NEON;
#else
    return false;
#endif
}

static hp_status fail_utf8(hp__utf8_error err, size_t offset) {
    return hp__fail(HP_EUTF8, "invalid UTF-8 at byte %zu: %s", offset,
                    hp__utf8_error_reason(err));
}

hp_status hp_utf8_validate(const char *s, size_t len, size_t *error_offset) {
    HP_CHECK_INPUT(s, len, "s");
    size_t offset = len;
    hp__utf8_error err = validate((const unsigned char *)s, len, &offset);
    if (error_offset != NULL) *error_offset = err == HP__UTF8_OK ? len : offset;
    if (err != HP__UTF8_OK) return fail_utf8(err, offset);
    return HP_OK;
}

size_t hp_utf8_to_utf32_bound(size_t len) { return len; }

/* Code points in valid UTF-8: every byte except the continuation bytes 10xxxxxx starts
 * one. Eight bytes at a time, a byte contributes (bit 7 clear) | (bit 6 set), moved to
 * its lowest bit; the multiply sums the eight 0/1 bytes into the top byte. */
static size_t count_code_points(const unsigned char *s, size_t len) {
    size_t i = 0, n = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w = hp__load64(s + i);
        uint64_t starts = ((~w >> 7) | (w >> 6)) & HP_UTF8_LOW_BITS;
        n += (size_t)((starts * HP_UTF8_LOW_BITS) >> 56);
    }
    for (; i < len; i++) n += !is_continuation(s[i]);
    return n;
}

/* Decode input already known to be valid; returns the number of code points written. */
static size_t decode_valid(uint32_t *out, const unsigned char *s, size_t len) {
    size_t i = 0, n = 0;
    while (i < len) {
        if (i + 8 <= len && all_ascii8(s + i)) {
            for (size_t k = 0; k < 8; k++) out[n + k] = s[i + k];
            i += 8;
            n += 8;
            continue;
        }
        uint32_t c = s[i];
        if (c < 0x80) {
            i += 1;
        } else if (c < 0xE0) {
            c = (c & 0x1F) << 6 | (s[i + 1] & 0x3Fu);
            i += 2;
        } else if (c < 0xF0) {
            c = (c & 0x0F) << 12 | (s[i + 1] & 0x3Fu) << 6 | (s[i + 2] & 0x3Fu);
            i += 3;
        } else {
            c = (c & 0x07) << 18 | (s[i + 1] & 0x3Fu) << 12 | (s[i + 2] & 0x3Fu) << 6 |
                (s[i + 3] & 0x3Fu);
            i += 4;
        }
        out[n++] = c;
    }
    return n;
}

hp_status hp_utf8_to_utf32(uint32_t *out, size_t capacity, size_t *out_len, const char *s,
                           size_t len) {
    HP_CHECK_NOT_NULL(out_len, "out_len");
    *out_len = 0;
    HP_CHECK_INPUT(s, len, "s");
    HP_RETURN_IF(out == NULL && capacity > 0, HP_EINVAL, "out is NULL but capacity is %zu",
                 capacity);
    const unsigned char *u = (const unsigned char *)s;
    size_t offset = len;
    hp__utf8_error err = validate(u, len, &offset);
    if (err != HP__UTF8_OK) {
        *out_len = offset;
        return fail_utf8(err, offset);
    }
    /* With capacity >= len the output fits whatever the text; only count otherwise. */
    if (capacity < len) {
        size_t need = count_code_points(u, len);
        if (need > capacity) {
            *out_len = need;
            return hp__fail(HP_EBUFSIZE, "output needs %zu code points, capacity %zu", need,
                            capacity);
        }
    }
    *out_len = len == 0 ? 0 : decode_valid(out, u, len);
    assert(*out_len <= capacity);
    return HP_OK;
}

/* ---------------------------------------------------------------- counting */

/* Character starts in s[0..len): the word loop for short runs, AVX2 for long ones. */
static size_t count_starts(const unsigned char *s, size_t len, bool avx2) {
#if HP_HAVE_X86_SIMD
    if (avx2 && len >= 64) return hp__utf8_count_starts_avx2(s, len);
#else
    (void)avx2;
#endif
    return count_code_points(s, len);
}

hp_status hp_utf8_count(size_t *out, const char *s, size_t len) {
    HP_CHECK_NOT_NULL(out, "out");
    HP_CHECK_INPUT(s, len, "s");
    const unsigned char *u = (const unsigned char *)s;
    size_t offset = len, count = 0;
    hp__utf8_error err = HP__UTF8_OK;
    if (len == 0) {
        count = 0;
    } else if (use_avx2()) {
#if HP_HAVE_X86_SIMD
        err = hp__utf8_validate_count_avx2(u, len, &offset, &count);
#endif
    } else {
        err = hp__utf8_validate_scalar(u, len, &offset);
        if (err == HP__UTF8_OK) count = count_code_points(u, len);
    }
    if (err != HP__UTF8_OK) {
        *out = offset;
        return fail_utf8(err, offset);
    }
    *out = count;
    return HP_OK;
}

hp_status hp_utf8_offset_to_index(int64_t *offsets, size_t n, const char *s, size_t len) {
    HP_CHECK_INPUT(s, len, "s");
    HP_RETURN_IF(n > HP_MAX_LEN / sizeof *offsets, HP_EOVERFLOW,
                 "%zu offsets exceed HP_MAX_LEN bytes", n);
    HP_RETURN_IF(offsets == NULL && n > 0, HP_EINVAL, "offsets is NULL but n is %zu", n);
    const unsigned char *u = (const unsigned char *)s;
    int64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t off = offsets[i];
        HP_RETURN_IF(off < 0, HP_EINVAL, "offsets[%zu] = %" PRId64 " is negative", i, off);
        HP_RETURN_IF((uint64_t)off > len, HP_EINVAL,
                     "offsets[%zu] = %" PRId64 " is past the end of the text (%zu bytes)", i,
                     off, len);
        HP_RETURN_IF(off < prev, HP_EINVAL,
                     "offsets[%zu] = %" PRId64 " is less than offsets[%zu] = %" PRId64
                     " (offsets must be ascending)",
                     i, off, i - 1, prev);
        HP_RETURN_IF((size_t)off < len && is_continuation(u[off]), HP_EINVAL,
                     "offsets[%zu] = %" PRId64 " is inside a character", i, off);
        prev = off;
    }
    bool avx2 = use_avx2();
    size_t pos = 0, index = 0;
    for (size_t i = 0; i < n; i++) {
        size_t off = (size_t)offsets[i];
        if (off > pos) index += count_starts(u + pos, off - pos, avx2); /* u may be NULL */
        pos = off;
        offsets[i] = (int64_t)index;
    }
    return HP_OK;
}

/* ---------------------------------------------------------------- ASCII */

static size_t ascii_prefix_scalar(const unsigned char *s, size_t len) {
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t high = hp__load64(s + i) & HP_UTF8_HIGH_BITS;
        if (high != 0) return i + (size_t)__builtin_ctzll(high) / 8;
    }
    for (; i < len; i++) {
        if (s[i] & 0x80) return i;
    }
    return len;
}

size_t hp_ascii_prefix(const char *s, size_t len) {
    if (HP__UNLIKELY(len > HP_MAX_LEN)) {
        hp__fail(HP_EOVERFLOW, "s length %zu exceeds HP_MAX_LEN", len);
        return 0;
    }
    if (HP__UNLIKELY(s == NULL && len > 0)) {
        hp__fail(HP_EINVAL, "s is NULL but length is %zu", len);
        return 0;
    }
    const unsigned char *u = (const unsigned char *)s;
#if HP_HAVE_X86_SIMD
    if (len >= 32 && use_avx2()) return hp__ascii_prefix_avx2(u, len);
#endif
    return len == 0 ? 0 : ascii_prefix_scalar(u, len);
}

/* ---------------------------------------------------------------- UTF-32 to UTF-8 */

size_t hp_utf32_to_utf8_bound(size_t n) { return n > SIZE_MAX / 4 ? SIZE_MAX : 4 * n; }

/* Bytes needed for cp, or 0 if cp is a surrogate or above U+10FFFF. */
static inline size_t encoded_length(uint32_t cp) {
    if (cp < 0x80) return 1;
    if (cp < 0x800) return 2;
    if (cp < 0x10000) return cp - 0xD800u < 0x800u ? 0 : 3;
    return cp <= 0x10FFFF ? 4 : 0;
}

static hp_status fail_code_point(size_t *out_len, const uint32_t *cps, size_t i) {
    *out_len = i;
    return hp__fail(HP_ERANGE,
                    "code point 0x%" PRIX32 " at index %zu is not a Unicode scalar value",
                    cps[i], i);
}

/* Encode cps[0..n) into out, which has room for the result; stops at the first code
 * point that is not a scalar value (reported through fail_code_point). */
static hp_status encode_utf8(unsigned char *out, size_t *out_len, const uint32_t *cps,
                             size_t n) {
    size_t o = 0, i = 0;
    while (i < n) {
        if (i + 4 <= n && (cps[i] | cps[i + 1] | cps[i + 2] | cps[i + 3]) < 0x80) {
            out[o] = (unsigned char)cps[i];
            out[o + 1] = (unsigned char)cps[i + 1];
            out[o + 2] = (unsigned char)cps[i + 2];
            out[o + 3] = (unsigned char)cps[i + 3];
            o += 4;
            i += 4;
            continue;
        }
        uint32_t cp = cps[i];
        switch (encoded_length(cp)) {
        case 1: out[o++] = (unsigned char)cp; break;
        case 2:
            out[o++] = (unsigned char)(0xC0 | cp >> 6);
            out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
            break;
        case 3:
            out[o++] = (unsigned char)(0xE0 | cp >> 12);
            out[o++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
            break;
        case 4:
            out[o++] = (unsigned char)(0xF0 | cp >> 18);
            out[o++] = (unsigned char)(0x80 | (cp >> 12 & 0x3F));
            out[o++] = (unsigned char)(0x80 | (cp >> 6 & 0x3F));
            out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
            break;
        default: return fail_code_point(out_len, cps, i);
        }
        i++;
    }
    *out_len = o;
    return HP_OK;
}

hp_status hp_utf32_to_utf8(char *out, size_t capacity, size_t *out_len, const uint32_t *cps,
                           size_t n) {
    HP_CHECK_NOT_NULL(out_len, "out_len");
    *out_len = 0;
    HP_RETURN_IF(n > HP_MAX_LEN / sizeof *cps, HP_EOVERFLOW,
                 "%zu code points exceed HP_MAX_LEN bytes", n);
    HP_RETURN_IF(cps == NULL && n > 0, HP_EINVAL, "cps is NULL but n is %zu", n);
    HP_RETURN_IF(out == NULL && capacity > 0, HP_EINVAL, "out is NULL but capacity is %zu",
                 capacity);
    /* Below the worst case, measure first: the exact size for HP_EBUFSIZE, and a bad
     * code point is reported as such whatever the capacity. */
    if (capacity < hp_utf32_to_utf8_bound(n)) {
        size_t need = 0;
        for (size_t i = 0; i < n; i++) {
            size_t k = encoded_length(cps[i]);
            if (k == 0) return fail_code_point(out_len, cps, i);
            need += k;
        }
        if (need > capacity) {
            *out_len = need;
            return hp__fail(HP_EBUFSIZE, "output needs %zu bytes, capacity %zu", need, capacity);
        }
    }
    return encode_utf8((unsigned char *)out, out_len, cps, n);
}
