/*
 * AVX2 UTF-8 validation: the lookup algorithm of J. Keiser and D. Lemire, "Validating
 * UTF-8 In Less Than One Instruction Per Byte", Software: Practice and Experience 51(5),
 * 2021.
 *
 * Every rule of UTF-8 except one is a rule about two adjacent bytes, and in fact about
 * three nibbles: the high and low nibble of the previous byte and the high nibble of the
 * current one. Each kind of error gets one bit; three 16-entry tables map each nibble
 * to the set of errors that nibble is compatible with, and vpshufb looks up 32 bytes at
 * once. An error is present where all three lookups share a bit (AND of the three).
 *
 * The exception is the length of a sequence: after E0..EF the two following bytes must
 * be continuations, after F0..F4 the three following. The tables flag every pair of
 * adjacent continuation bytes (TWO_CONTS, bit 7); a saturating subtract marks the bytes
 * that must be a third or fourth byte (2 or 3 positions after a lead >= E0 / >= F0) with
 * bit 7 too, and XOR cancels exactly the pairs that were expected. What is left set
 * anywhere is an error: an unexpected second continuation, or a missing one.
 *
 * The "previous byte" vectors come from vpalignr over the previous and current block
 * (vperm2i128 first, since vpalignr shifts within 128-bit lanes), which is how state
 * carries across blocks. Blocks of 64 bytes that are all ASCII skip the lookups; they
 * only have to check that the block before did not end inside a sequence (the
 * "incomplete" vector: a lead byte in one of the last three positions that leaves no
 * room for its continuations). The input's last partial block is copied into a
 * zero-padded buffer, so a sequence cut off by the end meets ASCII and fails like any
 * other too-short sequence.
 *
 * The vector code only answers "this block, or the bytes just before it, are wrong".
 * Everything before the failing block passed, so it is valid UTF-8 except possibly for
 * a sequence left open at its end (at most three bytes); the scalar validator restarts
 * at a character boundary a few bytes before the block and finds the exact offset and
 * reason, so both paths report errors identically by construction.
 *
 * Counting code points (hp_utf8_count) rides on the same pass: in valid text every byte
 * that is not a continuation byte 10xxxxxx starts a character, so the count is len
 * minus the continuation bytes. All-ASCII blocks contain none; the others get one
 * signed compare (continuations are exactly the int8 values below -64), a movemask and
 * a popcount per 32 bytes, small next to the lookups. Fusing matters on large inputs:
 * validating and then counting would read the text from memory twice.
 *
 * The stand-alone counter (hp_utf8_offset_to_index, and hp_utf8_count's callers that
 * already validated) sums the compare results as bytes (each match subtracts -1) and
 * folds the byte counters with vpsadbw before they can wrap, which is cheaper per byte
 * than movemask + popcount. The ASCII prefix scan ORs four vectors and tests the high
 * bits, then finds the exact byte with movemask + count-trailing-zeros.
 */
#include "text/utf8_internal.h"

#if HP_HAVE_X86_SIMD

#include <assert.h>
#include <immintrin.h>

#define HP__AVX2 __attribute__((target("avx2,bmi2,popcnt")))

/* One bit per kind of error, as named in the paper. Bit 6 serves two errors that can
 * share it because their lead bytes differ in the low nibble (F0 vs F5..FF). */
enum {
    TOO_SHORT = 1 << 0,      /* 11xxxxxx then 0xxxxxxx or 11xxxxxx: lead without continuation */
    TOO_LONG = 1 << 1,       /* 0xxxxxxx then 10xxxxxx: continuation after ASCII */
    OVERLONG_3 = 1 << 2,     /* 11100000 100xxxxx */
    TOO_LARGE = 1 << 3,      /* 11110100 1001xxxx / 101xxxxx, and F5..FF then 1001.. / 101.. */
    SURROGATE = 1 << 4,      /* 11101101 101xxxxx */
    OVERLONG_2 = 1 << 5,     /* 1100000x 10xxxxxx */
    TOO_LARGE_1000 = 1 << 6, /* 11110101..11111111 1000xxxx */
    OVERLONG_4 = 1 << 6,     /* 11110000 1000xxxx */
    TWO_CONTS = 1 << 7,      /* 10xxxxxx 10xxxxxx: not an error if a 3rd/4th byte is due */
    /* errors the low nibble of the first byte says nothing about */
    CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS
};

/* Indexed by the high nibble of the previous byte. */
static const uint8_t byte1_high_table[16] = {
    TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG,
    TWO_CONTS, TWO_CONTS, TWO_CONTS, TWO_CONTS,
    TOO_SHORT | OVERLONG_2,                                /* C */
    TOO_SHORT,                                             /* D */
    TOO_SHORT | OVERLONG_3 | SURROGATE,                    /* E */
    TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4,   /* F */
};

/* Indexed by the low nibble of the previous byte. */
static const uint8_t byte1_low_table[16] = {
    CARRY | OVERLONG_2 | OVERLONG_3 | OVERLONG_4,          /* C0, E0, F0 */
    CARRY | OVERLONG_2,                                    /* C1 */
    CARRY,
    CARRY,
    CARRY | TOO_LARGE,                                     /* F4 */
    CARRY | TOO_LARGE | TOO_LARGE_1000,                    /* F5.. */
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE,        /* ED, FD */
    CARRY | TOO_LARGE | TOO_LARGE_1000,
    CARRY | TOO_LARGE | TOO_LARGE_1000,
};

/* Indexed by the high nibble of the current byte. */
static const uint8_t byte2_high_table[16] = {
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4, /* 8 */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,                   /* 9 */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,                    /* A */
    TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,                    /* B */
    TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
};

/* A block ends inside a sequence when, saturating-subtracted from this, its last byte
 * is a lead (>= C0), the one before starts a 3- or 4-byte sequence (>= E0), or the one
 * before that a 4-byte sequence (>= F0): any non-zero byte means incomplete. */
static const uint8_t incomplete_limit[32] = {
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    0xF0 - 1, 0xE0 - 1, 0xC0 - 1,
};

typedef struct lookup {
    __m256i byte1_high, byte1_low, byte2_high, incomplete, nibble, high_bit;
} lookup;

typedef struct state {
    __m256i prev;            /* the previous 32 bytes */
    __m256i prev_incomplete; /* non-zero if they end inside a sequence */
} state;

static HP__AVX2 inline __m256i broadcast16(const uint8_t *table) {
    return _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)table));
}

static HP__AVX2 inline lookup make_lookup(void) {
    lookup t;
    t.byte1_high = broadcast16(byte1_high_table);
    t.byte1_low = broadcast16(byte1_low_table);
    t.byte2_high = broadcast16(byte2_high_table);
    t.incomplete = _mm256_loadu_si256((const __m256i *)incomplete_limit);
    t.nibble = _mm256_set1_epi8(0x0F);
    t.high_bit = _mm256_set1_epi8((char)0x80);
    return t;
}

/* The error vector of 32 bytes `cur` preceded by the 32 bytes `prev`: zero if fine. */
static HP__AVX2 inline __m256i check32(const lookup *t, __m256i cur, __m256i prev) {
    /* bytes 16..31 of prev then 0..15 of cur, so that vpalignr can reach back across the
     * lane boundary and the block boundary */
    __m256i joined = _mm256_permute2x128_si256(prev, cur, 0x21);
    __m256i prev1 = _mm256_alignr_epi8(cur, joined, 15);
    __m256i prev2 = _mm256_alignr_epi8(cur, joined, 14);
    __m256i prev3 = _mm256_alignr_epi8(cur, joined, 13);

    __m256i hi1 = _mm256_and_si256(_mm256_srli_epi16(prev1, 4), t->nibble);
    __m256i lo1 = _mm256_and_si256(prev1, t->nibble);
    __m256i hi2 = _mm256_and_si256(_mm256_srli_epi16(cur, 4), t->nibble);
    __m256i special = _mm256_and_si256(
        _mm256_and_si256(_mm256_shuffle_epi8(t->byte1_high, hi1),
                         _mm256_shuffle_epi8(t->byte1_low, lo1)),
        _mm256_shuffle_epi8(t->byte2_high, hi2));

    /* bit 7 set where a third (prev2 >= E0) or fourth (prev3 >= F0) byte is due */
    __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8(0xE0 - 0x80));
    __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8(0xF0 - 0x80));
    __m256i due = _mm256_and_si256(_mm256_or_si256(third, fourth), t->high_bit);
    return _mm256_xor_si256(due, special);
}

/* Continuation bytes 10xxxxxx are the int8 values -128..-65. */
static HP__AVX2 inline unsigned continuations32(__m256i v) {
    __m256i cont = _mm256_cmpgt_epi8(_mm256_set1_epi8(-64), v);
    return (unsigned)__builtin_popcount((unsigned)_mm256_movemask_epi8(cont));
}

/* The error vector of the 64 bytes at p, advancing the state past them. With `conts`
 * non-NULL, the continuation bytes among them are added to *conts. */
static HP__AVX2 inline __m256i check64(const lookup *t, state *st, const unsigned char *p,
                                       size_t *conts) {
    __m256i a = _mm256_loadu_si256((const __m256i *)p);
    __m256i b = _mm256_loadu_si256((const __m256i *)(p + 32));
    __m256i err;
    if (_mm256_testz_si256(_mm256_or_si256(a, b), t->high_bit)) {
        err = st->prev_incomplete;
        st->prev_incomplete = _mm256_setzero_si256();
    } else {
        err = _mm256_or_si256(check32(t, a, st->prev), check32(t, b, a));
        st->prev_incomplete = _mm256_subs_epu8(b, t->incomplete);
        if (conts != NULL) *conts += continuations32(a) + continuations32(b);
    }
    st->prev = b;
    return err;
}

/*
 * Exact offset and reason for an error the vectors found in the block at `block`.
 * s[0..block) passed every check, so it is valid up to a sequence of at most three
 * bytes left open at its end; in valid text every byte that is not 10xxxxxx starts a
 * character. Four bytes back, skipping continuation bytes forward, is therefore a
 * character boundary at or before that open sequence.
 */
static hp__utf8_error locate(const unsigned char *s, size_t len, size_t block,
                             size_t *offset) {
    size_t start = 0;
    if (block > 4) {
        start = block - 4;
        while (start < block && (s[start] & 0xC0) == 0x80) start++;
    }
    size_t at = 0;
    hp__utf8_error err = hp__utf8_validate_scalar(s + start, len - start, &at);
    assert(err != HP__UTF8_OK);
    if (err != HP__UTF8_OK) *offset = start + at;
    return err;
}

/* The validator, counting continuation bytes into *conts when it is non-NULL (the two
 * public wrappers pass a constant, so each gets a copy without the dead branch). */
static HP__AVX2 inline hp__utf8_error validate_core(const unsigned char *s, size_t len,
                                                    size_t *offset, size_t *conts) {
    const lookup t = make_lookup();
    state st = {_mm256_setzero_si256(), _mm256_setzero_si256()};
    size_t i = 0;
    for (; i + 64 <= len; i += 64) {
        __m256i err = check64(&t, &st, s + i, conts);
        if (HP__UNLIKELY(!_mm256_testz_si256(err, err))) return locate(s, len, i, offset);
    }
    __m256i err = st.prev_incomplete;
    if (i < len) {
        /* the zero padding is ASCII: it adds no continuation bytes to the count */
        unsigned char tail[64] = {0};
        memcpy(tail, s + i, len - i);
        err = check64(&t, &st, tail, conts);
    }
    if (!_mm256_testz_si256(err, err)) return locate(s, len, i, offset);
    return HP__UTF8_OK;
}

HP__AVX2 hp__utf8_error hp__utf8_validate_avx2(const unsigned char *s, size_t len,
                                               size_t *offset) {
    return validate_core(s, len, offset, NULL);
}

HP__AVX2 hp__utf8_error hp__utf8_validate_count_avx2(const unsigned char *s, size_t len,
                                                     size_t *offset, size_t *count) {
    size_t conts = 0;
    hp__utf8_error err = validate_core(s, len, offset, &conts);
    if (err == HP__UTF8_OK) *count = len - conts;
    return err;
}

/* Four vectors per step into two byte-counter registers, each counter growing by at
 * most 2 per step: 127 steps stay below 255, then vpsadbw folds them into 64-bit sums. */
HP__AVX2 size_t hp__utf8_count_starts_avx2(const unsigned char *s, size_t len) {
    const __m256i limit = _mm256_set1_epi8(-64), zero = _mm256_setzero_si256();
    size_t conts = 0, i = 0;
    while (len - i >= 128) {
        size_t steps = (len - i) / 128;
        if (steps > 127) steps = 127;
        __m256i c0 = zero, c1 = zero;
        for (size_t k = 0; k < steps; k++, i += 128) {
            const __m256i *p = (const __m256i *)(const void *)(s + i);
            c0 = _mm256_sub_epi8(c0, _mm256_cmpgt_epi8(limit, _mm256_loadu_si256(p)));
            c1 = _mm256_sub_epi8(c1, _mm256_cmpgt_epi8(limit, _mm256_loadu_si256(p + 1)));
            c0 = _mm256_sub_epi8(c0, _mm256_cmpgt_epi8(limit, _mm256_loadu_si256(p + 2)));
            c1 = _mm256_sub_epi8(c1, _mm256_cmpgt_epi8(limit, _mm256_loadu_si256(p + 3)));
        }
        __m256i sums = _mm256_add_epi64(_mm256_sad_epu8(c0, zero), _mm256_sad_epu8(c1, zero));
        __m128i half = _mm_add_epi64(_mm256_castsi256_si128(sums),
                                     _mm256_extracti128_si256(sums, 1));
        conts += (size_t)_mm_cvtsi128_si64(half) + (size_t)_mm_extract_epi64(half, 1);
    }
    for (; len - i >= 32; i += 32) {
        conts += continuations32(_mm256_loadu_si256((const __m256i *)(const void *)(s + i)));
    }
    for (; i < len; i++) conts += (s[i] & 0xC0) == 0x80;
    return len - conts;
}

HP__AVX2 size_t hp__ascii_prefix_avx2(const unsigned char *s, size_t len) {
    const __m256i high_bit = _mm256_set1_epi8((char)0x80);
    size_t i = 0;
    for (; len - i >= 128; i += 128) {
        const __m256i *p = (const __m256i *)(const void *)(s + i);
        __m256i any = _mm256_or_si256(
            _mm256_or_si256(_mm256_loadu_si256(p), _mm256_loadu_si256(p + 1)),
            _mm256_or_si256(_mm256_loadu_si256(p + 2), _mm256_loadu_si256(p + 3)));
        if (!_mm256_testz_si256(any, high_bit)) break;
    }
    for (; len - i >= 32; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        unsigned mask = (unsigned)_mm256_movemask_epi8(v);
        if (mask != 0) return i + (size_t)__builtin_ctz(mask);
    }
    for (; i < len; i++) {
        if (s[i] & 0x80) return i;
    }
    return len;
}

#else

typedef int hp__utf8_avx2_unused;

#endif /* HP_HAVE_X86_SIMD */
