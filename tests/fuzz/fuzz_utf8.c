/*
 * libFuzzer target for lib/text/utf8.c and utf8_avx2.c.
 *
 * Properties checked on every input (any failure aborts, which libFuzzer reports):
 *   - the AVX2 validator gives the scalar validator's verdict, reason and offset;
 *   - hp_utf8_validate agrees with the scalar validator, and on error the bytes before
 *     the reported offset are valid on their own (the offset is the *first* error);
 *   - hp_utf8_to_utf32 fails exactly where validation fails; on valid input it writes
 *     one code point per non-continuation byte, re-encoding them gives the input back,
 *     and one element less of capacity gives HP_EBUFSIZE with the same count;
 *   - hp_utf32_to_utf8 of those code points gives the input back (and one byte less
 *     of capacity gives HP_EBUFSIZE with the exact size);
 *   - hp_utf8_count (at every SIMD level) gives that count or the validation offset;
 *     the AVX2 character counter and ASCII prefix agree with byte loops;
 *   - hp_utf8_offset_to_index maps every character boundary to its index, and
 *     rejects an offset inside a character.
 *
 * Build: clang -fsanitize=fuzzer,address,undefined -Iinclude -Ilib lib/core/\*.c \
 *        lib/text/utf8.c lib/text/utf8_avx2.c tests/fuzz/fuzz_utf8.c -lpthread
 * Seeds: tests/fuzz/corpus/utf8/.
 */
#include "text/utf8_internal.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(cond)                                                                     \
    do {                                                                                  \
        if (!(cond)) abort();                                                             \
    } while (0)

static size_t encode(uint32_t cp, uint8_t *out) {
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xC0 | cp >> 6);
        out[1] = (uint8_t)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xE0 | cp >> 12);
        out[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (uint8_t)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (uint8_t)(0xF0 | cp >> 18);
    out[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (uint8_t)(0x80 | (cp & 0x3F));
    return 4;
}

/* Code points back to UTF-8: the original bytes, and the exact size when short. */
static void check_encode(const uint32_t *cps, size_t n, const uint8_t *data, size_t size) {
    char *out = malloc(size + 1);
    REQUIRE(out != NULL);
    size_t len = 0;
    REQUIRE(hp_utf32_to_utf8(out, size, &len, cps, n) == HP_OK);
    REQUIRE(len == size && memcmp(out, data, size) == 0);
    if (size > 0) {
        REQUIRE(hp_utf32_to_utf8(out, size - 1, &len, cps, n) == HP_EBUFSIZE && len == size);
    }
    free(out);
}

/* Every character boundary of valid text, then the index of each. */
static void check_offsets(const uint8_t *data, size_t size) {
    int64_t *off = malloc((size + 1) * sizeof *off);
    REQUIRE(off != NULL);
    size_t n = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || (data[i] & 0xC0) != 0x80) off[n++] = (int64_t)i;
    }
    REQUIRE(hp_utf8_offset_to_index(off, n, (const char *)data, size) == HP_OK);
    for (size_t k = 0; k < n; k++) REQUIRE(off[k] == (int64_t)k);
    for (size_t i = 0; i < size; i++) {
        if ((data[i] & 0xC0) == 0x80) {
            int64_t inside = (int64_t)i;
            REQUIRE(hp_utf8_offset_to_index(&inside, 1, (const char *)data, size) == HP_EINVAL);
            REQUIRE(inside == (int64_t)i);
            break;
        }
    }
    free(off);
}

static void check_decode(const uint8_t *data, size_t size, bool valid, size_t error_offset) {
    const char *s = (const char *)data;
    size_t cap = size + 1;
    uint32_t *out = malloc(cap * sizeof *out);
    uint8_t *again = malloc(size + 4); /* room for one character past the end */
    REQUIRE(out != NULL && again != NULL);
    size_t n = 0;
    hp_status st = hp_utf8_to_utf32(out, cap, &n, s, size);
    if (!valid) {
        REQUIRE(st == HP_EUTF8 && n == error_offset);
    } else {
        REQUIRE(st == HP_OK);
        size_t starts = 0;
        for (size_t i = 0; i < size; i++) starts += (data[i] & 0xC0) != 0x80;
        REQUIRE(n == starts);
        size_t back = 0;
        for (size_t i = 0; i < n; i++) {
            REQUIRE(out[i] <= 0x10FFFF && (out[i] < 0xD800 || out[i] > 0xDFFF));
            REQUIRE(back <= size);
            back += encode(out[i], again + back);
        }
        REQUIRE(back == size && memcmp(again, data, size) == 0);
        if (n > 0) {
            size_t need = 0;
            REQUIRE(hp_utf8_to_utf32(out, n - 1, &need, s, size) == HP_EBUFSIZE && need == n);
        }
        check_encode(out, n, data, size);
        check_offsets(data, size);
    }
    free(again);
    free(out);
}

/* Count and ASCII prefix at every level, against byte loops and validation. */
static void check_count_and_ascii(const uint8_t *data, size_t size, bool valid,
                                  size_t error_offset) {
    size_t starts = 0, ascii = 0;
    for (size_t i = 0; i < size; i++) starts += (data[i] & 0xC0) != 0x80;
    while (ascii < size && data[ascii] < 0x80) ascii++;
#if HP_HAVE_X86_SIMD
    if (hp_simd_detected() >= HP_SIMD_AVX2) {
        REQUIRE(hp__utf8_count_starts_avx2(data, size) == starts);
        REQUIRE(hp__ascii_prefix_avx2(data, size) == ascii);
        size_t count = 0xDEAD, offset = size;
        hp__utf8_error err = hp__utf8_validate_count_avx2(data, size, &offset, &count);
        REQUIRE((err == HP__UTF8_OK) == valid);
        REQUIRE(valid ? count == starts : offset == error_offset);
    }
#endif
    hp_simd saved = hp_simd_level();
    int levels[2] = {HP_SIMD_SCALAR, hp_simd_detected()};
    for (int l = 0; l < 2; l++) {
        REQUIRE(hp_simd_set_level(levels[l]) == HP_OK);
        size_t got = 0;
        hp_status st = hp_utf8_count(&got, (const char *)data, size);
        REQUIRE(st == (valid ? HP_OK : HP_EUTF8));
        REQUIRE(got == (valid ? starts : error_offset));
        REQUIRE(hp_ascii_prefix((const char *)data, size) == ascii);
    }
    REQUIRE(hp_simd_set_level(saved) == HP_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    size_t scalar_offset = size;
    hp__utf8_error scalar = hp__utf8_validate_scalar(data, size, &scalar_offset);
    REQUIRE(scalar_offset <= size);

#if HP_HAVE_X86_SIMD
    if (hp_simd_detected() >= HP_SIMD_AVX2) {
        size_t simd_offset = size;
        hp__utf8_error simd = hp__utf8_validate_avx2(data, size, &simd_offset);
        REQUIRE(simd == scalar && simd_offset == scalar_offset);
    }
#endif

    size_t offset = 0;
    hp_status st = hp_utf8_validate((const char *)data, size, &offset);
    REQUIRE(st == (scalar == HP__UTF8_OK ? HP_OK : HP_EUTF8));
    REQUIRE(offset == scalar_offset);
    if (scalar != HP__UTF8_OK) {
        size_t prefix_offset = 0;
        REQUIRE(hp__utf8_validate_scalar(data, offset, &prefix_offset) == HP__UTF8_OK);
    }
    check_decode(data, size, scalar == HP__UTF8_OK, scalar_offset);
    check_count_and_ascii(data, size, scalar == HP__UTF8_OK, scalar_offset);
    return 0;
}
