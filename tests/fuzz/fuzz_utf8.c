/*
 * libFuzzer target for lib/text/utf8.c and utf8_avx2.c.
 *
 * Properties checked on every input (any failure aborts, which libFuzzer reports):
 *   - the AVX2 validator gives the scalar validator's verdict, reason and offset;
 *   - hp_utf8_validate agrees with the scalar validator, and on error the bytes before
 *     the reported offset are valid on their own (the offset is the *first* error);
 *   - hp_utf8_to_utf32 fails exactly where validation fails; on valid input it writes
 *     one code point per non-continuation byte, re-encoding them gives the input back,
 *     and one element less of capacity gives HP_EBUFSIZE with the same count.
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
    }
    free(again);
    free(out);
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
    return 0;
}
