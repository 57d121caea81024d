/*
 * XXH3-64 hashing (one shot, streaming and batched) and one-shot XXH3-128.
 *
 * Written from the xxHash specification (doc/xxhash_spec.md, "XXH3 Algorithm
 * Description"); the output is bit-identical to XXH3_64bits_withSeed and
 * XXH3_128bits_withSeed. The algorithm has three regimes:
 *
 *   0..16 bytes     a few loads and multiplies per length class (empty, 1-3, 4-8, 9-16);
 *   17..240 bytes   16-byte "mix" steps, each a 64x64->128 multiply of data xor secret,
 *                   folded to 64 bits and summed into one accumulator;
 *   241.. bytes     eight 64-bit accumulators fed 64-byte stripes; every 16 stripes (one
 *                   1024-byte block with the 192-byte secret) they are scrambled; the
 *                   last stripe is always the final 64 bytes of input (it may overlap the
 *                   previous stripe) with its own secret offset; a 128-bit merge ends it.
 *
 * With a nonzero seed, short and medium inputs fold the seed into the secret reads,
 * while long inputs use a secret derived from it (default secret as 24 words, seed
 * added to even words and subtracted from odd ones).
 *
 * Only the long regime has a loop worth vectorising: the stripe accumulate step
 *     acc[i] += lo32(d[i] ^ s[i]) * hi32(d[i] ^ s[i]);  acc[i ^ 1] += d[i]
 * maps onto 32x32->64 vector multiplies (pmuludq) and a 64-bit lane swap within each
 * 128-bit half. The scalar kernel is the reference; SSE2 and AVX2 kernels sit beside
 * it and are picked per call from hp__simd(). All kernels produce identical
 * accumulators, so the choice never changes a hash.
 *
 * Every long input is processed as "consume stripes 0..(len-1)/64 - 1, scrambling
 * after each 16th, then the last-stripe step": this is the spec's blocks-then-last-
 * block loop written so that the streaming hasher can run it incrementally (it may
 * consume a stripe only once it knows at least one more byte follows).
 *
 * XXH3-128 shares everything with the 64-bit hash except the final steps: the short
 * classes have their own formulas (wider products, both halves avalanched), 17..240
 * bytes keep two accumulators fed by pairs of mix steps that also cross-xor the other
 * chunk's data, and long inputs run the very same stripe accumulation (so the same
 * scalar/SSE2/AVX2 kernels) and merge the eight accumulators twice, with different
 * secret offsets and initial values, for the low and high halves.
 */
#include "internal/common.h"
#include "internal/pool.h"

#if HP_HAVE_X86_SIMD
#include <immintrin.h>
#endif

/* ---------------------------------------------------------------- constants */

#define PRIME32_1 0x9E3779B1U
#define PRIME32_2 0x85EBCA77U
#define PRIME32_3 0xC2B2AE3DU
#define PRIME64_1 0x9E3779B185EBCA87ULL
#define PRIME64_2 0xC2B2AE3D27D4EB4FULL
#define PRIME64_3 0x165667B19E3779F9ULL
#define PRIME64_4 0x85EBCA77C2B2AE63ULL
#define PRIME64_5 0x27D4EB2F165667C5ULL
#define PRIME_MX1 0x165667919E3779F9ULL
#define PRIME_MX2 0x9FB21C651E98DF25ULL

/* Sizes and secret offsets of the spec, for the default 192-byte secret. */
enum {
    SECRET_SIZE = 192,
    STRIPE_LEN = 64,
    SECRET_ADVANCE = 8,                                   /* secret step per stripe */
    STRIPES_PER_BLOCK = (SECRET_SIZE - STRIPE_LEN) / 8,   /* 16 */
    SCRAMBLE_OFFSET = SECRET_SIZE - STRIPE_LEN,           /* the last 64 secret bytes */
    LAST_STRIPE_OFFSET = SECRET_SIZE - STRIPE_LEN - 7,    /* secretLength - 71 */
    MERGE_OFFSET = 11,
    MIDSIZE_MAX = 240,
    MIDSIZE_LAST_OFFSET = 136 - 17                        /* minimum secret size - 17 */
};

/* The default secret (spec, "Seed and Secret"). */
static const uint8_t default_secret[SECRET_SIZE] = {
    0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
    0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
    0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
    0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
    0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
    0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
    0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
    0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
    0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
    0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
    0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
    0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
};

/* ---------------------------------------------------------------- arithmetic helpers */

static inline uint64_t rotl64(uint64_t x, unsigned r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t bswap64(uint64_t x) { return __builtin_bswap64(x); }
static inline uint32_t bswap32(uint32_t x) { return __builtin_bswap32(x); }

static inline void store64(void *p, uint64_t v) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    memcpy(p, &v, sizeof v);
}

/* The full 64x64 -> 128-bit product, folded: low half xor high half. */
#if defined(__SIZEOF_INT128__)
__extension__ typedef unsigned __int128 u128;
static inline uint64_t mul128_fold64(uint64_t a, uint64_t b) {
    u128 p = (u128)a * b;
    return (uint64_t)p ^ (uint64_t)(p >> 64);
}
#else
/* Schoolbook on 32-bit halves, for compilers without a 128-bit integer. */
static inline uint64_t mul128_fold64(uint64_t a, uint64_t b) {
    uint64_t lo_lo = (a & 0xFFFFFFFFu) * (b & 0xFFFFFFFFu);
    uint64_t hi_lo = (a >> 32) * (b & 0xFFFFFFFFu);
    uint64_t lo_hi = (a & 0xFFFFFFFFu) * (b >> 32);
    uint64_t hi_hi = (a >> 32) * (b >> 32);
    uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFu) + lo_hi;
    uint64_t hi = (hi_lo >> 32) + (cross >> 32) + hi_hi;
    uint64_t lo = (cross << 32) | (lo_lo & 0xFFFFFFFFu);
    return lo ^ hi;
}
#endif

/* The full 64x64 -> 128-bit product as two halves. */
static inline void mul128(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi) {
#if defined(__SIZEOF_INT128__)
    u128 p = (u128)a * b;
    *lo = (uint64_t)p;
    *hi = (uint64_t)(p >> 64);
#else
    uint64_t lo_lo = (a & 0xFFFFFFFFu) * (b & 0xFFFFFFFFu);
    uint64_t hi_lo = (a >> 32) * (b & 0xFFFFFFFFu);
    uint64_t lo_hi = (a & 0xFFFFFFFFu) * (b >> 32);
    uint64_t hi_hi = (a >> 32) * (b >> 32);
    uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFu) + lo_hi;
    *hi = (hi_lo >> 32) + (cross >> 32) + hi_hi;
    *lo = (cross << 32) | (lo_lo & 0xFFFFFFFFu);
#endif
}

static inline uint64_t avalanche_xxh64(uint64_t x) {
    x ^= x >> 33;
    x *= PRIME64_2;
    x ^= x >> 29;
    x *= PRIME64_3;
    x ^= x >> 32;
    return x;
}

static inline uint64_t avalanche_xxh3(uint64_t x) {
    x ^= x >> 37;
    x *= PRIME_MX1;
    x ^= x >> 32;
    return x;
}

/* ---------------------------------------------------------------- 0..240 bytes */

static inline uint64_t hash_1to3(const uint8_t *in, size_t len, uint64_t seed) {
    uint32_t combined = (uint32_t)in[len - 1] | ((uint32_t)len << 8) | ((uint32_t)in[0] << 16) |
                        ((uint32_t)in[len >> 1] << 24);
    uint64_t flip =
        (uint64_t)(hp__load32(default_secret) ^ hp__load32(default_secret + 4)) + seed;
    return avalanche_xxh64(flip ^ combined);
}

static inline uint64_t hash_4to8(const uint8_t *in, size_t len, uint64_t seed) {
    seed ^= (uint64_t)bswap32((uint32_t)seed) << 32;
    uint64_t first = hp__load32(in), last = hp__load32(in + len - 4);
    uint64_t flip = (hp__load64(default_secret + 8) ^ hp__load64(default_secret + 16)) - seed;
    uint64_t v = (last | (first << 32)) ^ flip;
    /* the spec's "rrmxmx" finisher: two rotations, then multiply-xorshift twice */
    v ^= rotl64(v, 49) ^ rotl64(v, 24);
    v *= PRIME_MX2;
    v ^= (v >> 35) + len;
    v *= PRIME_MX2;
    return v ^ (v >> 28);
}

static inline uint64_t hash_9to16(const uint8_t *in, size_t len, uint64_t seed) {
    uint64_t lo = ((hp__load64(default_secret + 24) ^ hp__load64(default_secret + 32)) + seed) ^
                  hp__load64(in);
    uint64_t hi = ((hp__load64(default_secret + 40) ^ hp__load64(default_secret + 48)) - seed) ^
                  hp__load64(in + len - 8);
    return avalanche_xxh3(len + bswap64(lo) + hi + mul128_fold64(lo, hi));
}

static inline uint64_t hash_0to16(const uint8_t *in, size_t len, uint64_t seed) {
    if (len > 8) return hash_9to16(in, len, seed);
    if (len >= 4) return hash_4to8(in, len, seed);
    if (len > 0) return hash_1to3(in, len, seed);
    return avalanche_xxh64(seed ^ hp__load64(default_secret + 56) ^
                           hp__load64(default_secret + 64));
}

/* The spec's mixStep: 16 data bytes against 16 secret bytes, seed added/subtracted. */
static inline uint64_t mix16(const uint8_t *in, const uint8_t *secret, uint64_t seed) {
    return mul128_fold64(hp__load64(in) ^ (hp__load64(secret) + seed),
                         hp__load64(in + 8) ^ (hp__load64(secret + 8) - seed));
}

/* 17..128 bytes: chunks taken in pairs from both ends towards the middle, so every
 * byte is covered without a tail case (the middle chunks may overlap). */
static uint64_t hash_17to128(const uint8_t *in, size_t len, uint64_t seed) {
    const uint8_t *s = default_secret;
    uint64_t acc = len * PRIME64_1;
    size_t rounds = ((len - 1) >> 5) + 1;
    for (size_t i = 0; i < rounds; i++) {
        acc += mix16(in + 16 * i, s + 32 * i, seed);
        acc += mix16(in + len - 16 * (i + 1), s + 32 * i + 16, seed);
    }
    return avalanche_xxh3(acc);
}

/* 129..240 bytes: eight chunks, an intermediate avalanche, the remaining whole chunks
 * against the secret shifted by 3, and the last 16 bytes at a fixed offset. */
static uint64_t hash_129to240(const uint8_t *in, size_t len, uint64_t seed) {
    const uint8_t *s = default_secret;
    uint64_t acc = len * PRIME64_1;
    size_t chunks = len >> 4;
    for (size_t i = 0; i < 8; i++) acc += mix16(in + 16 * i, s + 16 * i, seed);
    acc = avalanche_xxh3(acc);
    for (size_t i = 8; i < chunks; i++) acc += mix16(in + 16 * i, s + 16 * (i - 8) + 3, seed);
    acc += mix16(in + len - 16, s + MIDSIZE_LAST_OFFSET, seed);
    return avalanche_xxh3(acc);
}

static inline uint64_t hash_short(const uint8_t *in, size_t len, uint64_t seed) {
    if (len <= 16) return hash_0to16(in, len, seed);
    if (len <= 128) return hash_17to128(in, len, seed);
    return hash_129to240(in, len, seed);
}

/* ---------------------------------------------------------------- stripe kernels */

/*
 * Every kernel set has three entry points:
 *   accumulate  nstripes (< one block) consecutive stripes, stripe n against secret + 8n;
 *   scramble    the end-of-block step, against the 64 secret bytes given;
 *   blocks      nblocks whole blocks, each 16 stripes then a scramble. This is where
 *               long inputs spend their time, so vector kernels keep the accumulators
 *               in registers across blocks here instead of going through memory.
 */
typedef void (*accumulate_fn)(uint64_t acc[8], const uint8_t *in, const uint8_t *secret,
                              size_t nstripes);
typedef void (*scramble_fn)(uint64_t acc[8], const uint8_t *secret);
typedef void (*blocks_fn)(uint64_t acc[8], const uint8_t *in, const uint8_t *secret,
                          size_t nblocks);

typedef struct kernels {
    accumulate_fn accumulate;
    scramble_fn scramble;
    blocks_fn blocks;
} kernels;

enum { BLOCK_LEN = STRIPES_PER_BLOCK * STRIPE_LEN };

/* Works on a local copy: acc may alias the input as far as the compiler knows (the
 * loads are byte copies), and a private array can live in registers. */
static void accumulate_scalar(uint64_t acc[8], const uint8_t *in, const uint8_t *secret,
                              size_t nstripes) {
    uint64_t a[8];
    memcpy(a, acc, sizeof a);
    for (size_t n = 0; n < nstripes; n++) {
        const uint8_t *p = in + n * STRIPE_LEN, *s = secret + n * SECRET_ADVANCE;
#pragma GCC unroll 8
        for (size_t i = 0; i < 8; i++) {
            uint64_t d = hp__load64(p + 8 * i);
            uint64_t dk = d ^ hp__load64(s + 8 * i);
            a[i ^ 1] += d;
            a[i] += (dk & 0xFFFFFFFFu) * (dk >> 32);
        }
    }
    memcpy(acc, a, sizeof a);
}

static void scramble_scalar(uint64_t acc[8], const uint8_t *secret) {
    for (size_t i = 0; i < 8; i++) {
        uint64_t a = acc[i];
        a ^= a >> 47;
        a ^= hp__load64(secret + 8 * i);
        acc[i] = a * PRIME32_1;
    }
}

static void blocks_scalar(uint64_t acc[8], const uint8_t *in, const uint8_t *secret,
                          size_t nblocks) {
    for (size_t b = 0; b < nblocks; b++) {
        accumulate_scalar(acc, in + b * BLOCK_LEN, secret, STRIPES_PER_BLOCK);
        scramble_scalar(acc, secret + SCRAMBLE_OFFSET);
    }
}

static const kernels kernels_scalar = {accumulate_scalar, scramble_scalar, blocks_scalar};

#if HP_HAVE_X86_SIMD
/*
 * Vector kernels. Each 64-bit lane holds one accumulator, in the scalar array's order,
 * so a stripe is 4 (SSE2) or 2 (AVX2) registers. pmuludq multiplies the low 32 bits of
 * each 64-bit lane: feeding it dk and dk >> 32 gives lo32 * hi32 per lane.
 *
 * The "acc[i ^ 1] += d[i]" term needs the two 64-bit lanes of each 128-bit half
 * swapped (pshufd 0x4E). Addition commutes, so instead of swapping every stripe the
 * kernels sum the raw data words in a separate register and swap that sum once per
 * call or block, before the scramble reads the accumulators. That takes the shuffle
 * off the per-stripe path (10 vector ops per stripe instead of 12 with AVX2; about 6%
 * faster on Zen 3, where the loop is bound by vector ALU ports).
 *
 * KEEP_IN_REGISTER: each data vector is used twice (xor with the secret, and the data
 * sum). Left alone, GCC folds the load into both uses and loads every byte twice,
 * costing ~25% of long-input speed; an empty asm that "modifies" the value forces
 * one load into a register.
 *
 * The scramble multiplies by a 32-bit prime: a 64x32 product is lo32*p + (hi32*p << 32),
 * two pmuludq and a shift.
 *
 * Prefetching 384 bytes (6 stripes) ahead keeps inputs that live in L3 or memory at
 * the speed of L2-resident ones; without it 1 MiB inputs lose about a quarter.
 */
#define KEEP_IN_REGISTER(v) __asm__("" : "+x"(v))
#define PREFETCH_DISTANCE 384

static inline __m128i swap64_sse2(__m128i v) {
    return _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2));
}

static inline __m128i mul_lo_hi_sse2(__m128i dk) {
    return _mm_mul_epu32(dk, _mm_srli_epi64(dk, 32));
}

/* nstripes stripes into a[] (products) and sum[] (raw data), prefetching ahead. */
static inline void stripes_sse2(__m128i a[4], __m128i sum[4], const uint8_t *p,
                                const uint8_t *s, size_t nstripes) {
    for (size_t n = 0; n < nstripes; n++, p += STRIPE_LEN, s += SECRET_ADVANCE) {
        __builtin_prefetch(p + PREFETCH_DISTANCE);
#pragma GCC unroll 4
        for (size_t j = 0; j < 4; j++) {
            __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * j));
            KEEP_IN_REGISTER(d);
            __m128i k = _mm_loadu_si128((const __m128i *)(const void *)(s + 16 * j));
            a[j] = _mm_add_epi64(a[j], mul_lo_hi_sse2(_mm_xor_si128(d, k)));
            sum[j] = _mm_add_epi64(sum[j], d);
        }
    }
}

static inline void load_acc_sse2(__m128i a[4], const uint64_t acc[8]) {
    for (size_t j = 0; j < 4; j++) {
        a[j] = _mm_loadu_si128((const __m128i *)(const void *)(acc + 2 * j));
    }
}

static inline void store_acc_sse2(uint64_t acc[8], const __m128i a[4]) {
    for (size_t j = 0; j < 4; j++) _mm_storeu_si128((__m128i *)(void *)(acc + 2 * j), a[j]);
}

static inline __m128i scramble1_sse2(__m128i a, const uint8_t *secret) {
    const __m128i prime = _mm_set1_epi32((int)PRIME32_1);
    __m128i k = _mm_loadu_si128((const __m128i *)(const void *)secret);
    a = _mm_xor_si128(a, _mm_srli_epi64(a, 47));
    a = _mm_xor_si128(a, k);
    __m128i lo = _mm_mul_epu32(a, prime);
    __m128i hi = _mm_mul_epu32(_mm_srli_epi64(a, 32), prime);
    return _mm_add_epi64(lo, _mm_slli_epi64(hi, 32));
}

static void accumulate_sse2(uint64_t acc[8], const uint8_t *in, const uint8_t *secret,
                            size_t nstripes) {
    __m128i a[4], sum[4];
    load_acc_sse2(a, acc);
    for (size_t j = 0; j < 4; j++) sum[j] = _mm_setzero_si128();
    stripes_sse2(a, sum, in, secret, nstripes);
    for (size_t j = 0; j < 4; j++) a[j] = _mm_add_epi64(a[j], swap64_sse2(sum[j]));
    store_acc_sse2(acc, a);
}

static void scramble_sse2(uint64_t acc[8], const uint8_t *secret) {
    __m128i a[4];
    load_acc_sse2(a, acc);
    for (size_t j = 0; j < 4; j++) a[j] = scramble1_sse2(a[j], secret + 16 * j);
    store_acc_sse2(acc, a);
}

static void blocks_sse2(uint64_t acc[8], const uint8_t *in, const uint8_t *secret,
                        size_t nblocks) {
    __m128i a[4], sum[4];
    load_acc_sse2(a, acc);
    for (size_t b = 0; b < nblocks; b++) {
        for (size_t j = 0; j < 4; j++) sum[j] = _mm_setzero_si128();
        stripes_sse2(a, sum, in + b * BLOCK_LEN, secret, STRIPES_PER_BLOCK);
        for (size_t j = 0; j < 4; j++) {
            a[j] = _mm_add_epi64(a[j], swap64_sse2(sum[j]));
            a[j] = scramble1_sse2(a[j], secret + SCRAMBLE_OFFSET + 16 * j);
        }
    }
    store_acc_sse2(acc, a);
}

static const kernels kernels_sse2 = {accumulate_sse2, scramble_sse2, blocks_sse2};

#define TARGET_AVX2 __attribute__((target("avx2")))

TARGET_AVX2 static inline __m256i swap64_avx2(__m256i v) {
    return _mm256_shuffle_epi32(v, _MM_SHUFFLE(1, 0, 3, 2));
}

TARGET_AVX2 static inline __m256i mul_lo_hi_avx2(__m256i dk) {
    return _mm256_mul_epu32(dk, _mm256_srli_epi64(dk, 32));
}

TARGET_AVX2 static inline __m256i loadu_avx2(const uint8_t *p) {
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

/* The AVX2 stripe loop: the accumulators are two registers, a0 (lanes 0-3) and a1
 * (lanes 4-7), so both halves of a stripe are independent dependency chains. */
TARGET_AVX2 static inline void stripes_avx2(__m256i *a0, __m256i *a1, __m256i *sum0,
                                         __m256i *sum1, const uint8_t *p, const uint8_t *s,
                                         size_t nstripes) {
    __m256i x0 = *a0, x1 = *a1, y0 = *sum0, y1 = *sum1;
    for (size_t n = 0; n < nstripes; n++, p += STRIPE_LEN, s += SECRET_ADVANCE) {
        __m256i d0 = loadu_avx2(p), d1 = loadu_avx2(p + 32);
        KEEP_IN_REGISTER(d0);
        KEEP_IN_REGISTER(d1);
        __builtin_prefetch(p + PREFETCH_DISTANCE);
        x0 = _mm256_add_epi64(x0, mul_lo_hi_avx2(_mm256_xor_si256(d0, loadu_avx2(s))));
        x1 = _mm256_add_epi64(x1, mul_lo_hi_avx2(_mm256_xor_si256(d1, loadu_avx2(s + 32))));
        y0 = _mm256_add_epi64(y0, d0);
        y1 = _mm256_add_epi64(y1, d1);
    }
    *a0 = x0;
    *a1 = x1;
    *sum0 = y0;
    *sum1 = y1;
}

TARGET_AVX2 static inline __m256i scramble1_avx2(__m256i a, const uint8_t *secret) {
    const __m256i prime = _mm256_set1_epi32((int)PRIME32_1);
    a = _mm256_xor_si256(a, _mm256_srli_epi64(a, 47));
    a = _mm256_xor_si256(a, loadu_avx2(secret));
    __m256i lo = _mm256_mul_epu32(a, prime);
    __m256i hi = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), prime);
    return _mm256_add_epi64(lo, _mm256_slli_epi64(hi, 32));
}

TARGET_AVX2 static void accumulate_avx2(uint64_t acc[8], const uint8_t *in, const uint8_t *secret,
                                     size_t nstripes) {
    __m256i a0 = _mm256_loadu_si256((const __m256i *)(const void *)acc);
    __m256i a1 = _mm256_loadu_si256((const __m256i *)(const void *)(acc + 4));
    __m256i sum0 = _mm256_setzero_si256(), sum1 = _mm256_setzero_si256();
    stripes_avx2(&a0, &a1, &sum0, &sum1, in, secret, nstripes);
    a0 = _mm256_add_epi64(a0, swap64_avx2(sum0));
    a1 = _mm256_add_epi64(a1, swap64_avx2(sum1));
    _mm256_storeu_si256((__m256i *)(void *)acc, a0);
    _mm256_storeu_si256((__m256i *)(void *)(acc + 4), a1);
}

TARGET_AVX2 static void scramble_avx2(uint64_t acc[8], const uint8_t *secret) {
    __m256i a0 = _mm256_loadu_si256((const __m256i *)(const void *)acc);
    __m256i a1 = _mm256_loadu_si256((const __m256i *)(const void *)(acc + 4));
    _mm256_storeu_si256((__m256i *)(void *)acc, scramble1_avx2(a0, secret));
    _mm256_storeu_si256((__m256i *)(void *)(acc + 4), scramble1_avx2(a1, secret + 32));
}

TARGET_AVX2 static void blocks_avx2(uint64_t acc[8], const uint8_t *in, const uint8_t *secret,
                                 size_t nblocks) {
    __m256i a0 = _mm256_loadu_si256((const __m256i *)(const void *)acc);
    __m256i a1 = _mm256_loadu_si256((const __m256i *)(const void *)(acc + 4));
    for (size_t b = 0; b < nblocks; b++) {
        __m256i sum0 = _mm256_setzero_si256(), sum1 = _mm256_setzero_si256();
        stripes_avx2(&a0, &a1, &sum0, &sum1, in + b * BLOCK_LEN, secret, STRIPES_PER_BLOCK);
        a0 = scramble1_avx2(_mm256_add_epi64(a0, swap64_avx2(sum0)), secret + SCRAMBLE_OFFSET);
        a1 = scramble1_avx2(_mm256_add_epi64(a1, swap64_avx2(sum1)),
                            secret + SCRAMBLE_OFFSET + 32);
    }
    _mm256_storeu_si256((__m256i *)(void *)acc, a0);
    _mm256_storeu_si256((__m256i *)(void *)(acc + 4), a1);
}

static const kernels kernels_avx2 = {accumulate_avx2, scramble_avx2, blocks_avx2};
#endif

/* SSE2 is all the SSE4.2 level needs: the stripe loop uses nothing newer. */
static const kernels *pick_kernels(void) {
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    if (level >= HP_SIMD_AVX2 && level != HP_SIMD_NEON) return &kernels_avx2;
    if (level >= HP_SIMD_SSE42 && level != HP_SIMD_NEON) return &kernels_sse2;
#endif
    return &kernels_scalar;
}

/* ---------------------------------------------------------------- 241+ bytes */

static const uint64_t acc_init[8] = {PRIME32_3, PRIME64_1, PRIME64_2, PRIME64_3,
                                     PRIME64_4, PRIME32_2, PRIME64_5, PRIME32_1};

/* Spec "deriveSecret": the default secret as 24 little-endian words, seed added to the
 * even ones and subtracted from the odd ones. */
static void derive_secret(uint8_t out[SECRET_SIZE], uint64_t seed) {
    for (size_t i = 0; i < SECRET_SIZE / 16; i++) {
        store64(out + 16 * i, hp__load64(default_secret + 16 * i) + seed);
        store64(out + 16 * i + 8, hp__load64(default_secret + 16 * i + 8) - seed);
    }
}

/* Feed whole stripes, scrambling whenever a block of 16 completes. *stripe_in_block
 * carries the position inside the current block across calls (streaming). */
static void consume_stripes(const kernels *k, uint64_t acc[8], size_t *stripe_in_block,
                            const uint8_t *in, size_t nstripes, const uint8_t *secret) {
    size_t pos = *stripe_in_block;
    if (pos > 0) {
        /* finish the block a previous call left open */
        size_t take = STRIPES_PER_BLOCK - pos;
        if (take > nstripes) take = nstripes;
        k->accumulate(acc, in, secret + pos * SECRET_ADVANCE, take);
        in += take * STRIPE_LEN;
        nstripes -= take;
        pos += take;
        if (pos < STRIPES_PER_BLOCK) {
            *stripe_in_block = pos;
            return;
        }
        k->scramble(acc, secret + SCRAMBLE_OFFSET);
    }
    size_t nblocks = nstripes / STRIPES_PER_BLOCK;
    if (nblocks > 0) k->blocks(acc, in, secret, nblocks);
    in += nblocks * BLOCK_LEN;
    nstripes -= nblocks * STRIPES_PER_BLOCK;
    if (nstripes > 0) k->accumulate(acc, in, secret, nstripes);
    *stripe_in_block = nstripes;
}

/* The spec's finalMerge: the eight accumulators against 64 secret bytes at s. */
static uint64_t merge_accs(const uint64_t acc[8], const uint8_t *s, uint64_t init) {
    uint64_t result = init;
    for (size_t i = 0; i < 4; i++) {
        result += mul128_fold64(acc[2 * i] ^ hp__load64(s + 16 * i),
                                acc[2 * i + 1] ^ hp__load64(s + 16 * i + 8));
    }
    return avalanche_xxh3(result);
}

/* The last stripe (final 64 input bytes) and the merge of the eight accumulators. */
static uint64_t finish_long(const kernels *k, uint64_t acc[8], const uint8_t *last_stripe,
                            const uint8_t *secret, uint64_t total_len) {
    k->accumulate(acc, last_stripe, secret + LAST_STRIPE_OFFSET, 1);
    return merge_accs(acc, secret + MERGE_OFFSET, total_len * PRIME64_1);
}

/* All the stripes of a long input, the last one included: acc is ready to merge. */
static void accumulate_long(const kernels *k, uint64_t acc[8], const uint8_t *in, size_t len,
                            const uint8_t *secret) {
    memcpy(acc, acc_init, sizeof acc_init);
    size_t pos = 0;
    consume_stripes(k, acc, &pos, in, (len - 1) / STRIPE_LEN, secret);
    k->accumulate(acc, in + len - STRIPE_LEN, secret + LAST_STRIPE_OFFSET, 1);
}

static uint64_t hash_long(const kernels *k, const uint8_t *in, size_t len,
                          const uint8_t *secret) {
    uint64_t acc[8];
    accumulate_long(k, acc, in, len, secret);
    return merge_accs(acc, secret + MERGE_OFFSET, (uint64_t)len * PRIME64_1);
}

/* hp_hash64 without argument checks. `long_secret` is the secret for inputs over 240
 * bytes (derived from seed, or the default one); callers hashing many strings derive
 * it once. */
static inline uint64_t hash_any(const uint8_t *in, size_t len, uint64_t seed,
                                const uint8_t *long_secret, const kernels *k) {
    if (len <= MIDSIZE_MAX) return hash_short(in, len, seed);
    return hash_long(k, in, len, long_secret);
}

uint64_t hp_hash64(const char *data, size_t len, uint64_t seed) {
    if (HP__UNLIKELY(len > HP_MAX_LEN)) {
        hp__fail(HP_EOVERFLOW, "data length %zu exceeds HP_MAX_LEN", len);
        return 0;
    }
    if (HP__UNLIKELY(data == NULL && len > 0)) {
        hp__fail(HP_EINVAL, "data is NULL but length is %zu", len);
        return 0;
    }
    const uint8_t *in = (const uint8_t *)data;
    if (len <= MIDSIZE_MAX) return hash_short(in, len, seed);
    if (seed == 0) return hash_long(pick_kernels(), in, len, default_secret);
    uint8_t secret[SECRET_SIZE];
    derive_secret(secret, seed);
    return hash_long(pick_kernels(), in, len, secret);
}

/* ---------------------------------------------------------------- XXH3-128 */

enum { MERGE_HIGH_OFFSET = SECRET_SIZE - 64 - 11, /* secretLength - 75 */
       MIDSIZE128_LAST_OFFSET = MIDSIZE_LAST_OFFSET - 16 };

static inline hp_u128 make_u128(uint64_t low, uint64_t high) {
    hp_u128 r = {low, high};
    return r;
}

static hp_u128 hash128_1to3(const uint8_t *in, size_t len, uint64_t seed) {
    const uint8_t *s = default_secret;
    uint32_t combined = (uint32_t)in[len - 1] | ((uint32_t)len << 8) | ((uint32_t)in[0] << 16) |
                        ((uint32_t)in[len >> 1] << 24);
    uint32_t swapped = bswap32(combined);
    uint32_t rotated = (swapped << 13) | (swapped >> 19);
    uint64_t low = ((uint64_t)(hp__load32(s) ^ hp__load32(s + 4)) + seed) ^ combined;
    uint64_t high = ((uint64_t)(hp__load32(s + 8) ^ hp__load32(s + 12)) - seed) ^ rotated;
    return make_u128(avalanche_xxh64(low), avalanche_xxh64(high));
}

static hp_u128 hash128_4to8(const uint8_t *in, size_t len, uint64_t seed) {
    seed ^= (uint64_t)bswap32((uint32_t)seed) << 32;
    uint64_t first = hp__load32(in), last = hp__load32(in + len - 4);
    uint64_t v = ((hp__load64(default_secret + 16) ^ hp__load64(default_secret + 24)) + seed) ^
                 (first | (last << 32));
    uint64_t lo, hi;
    mul128(v, PRIME64_1 + ((uint64_t)len << 2), &lo, &hi);
    hi += lo << 1;
    lo ^= hi >> 3;
    lo ^= lo >> 35;
    lo *= PRIME_MX2;
    lo ^= lo >> 28;
    return make_u128(lo, avalanche_xxh3(hi));
}

static hp_u128 hash128_9to16(const uint8_t *in, size_t len, uint64_t seed) {
    const uint8_t *s = default_secret;
    uint64_t first = hp__load64(in), last = hp__load64(in + len - 8);
    uint64_t v1 = ((hp__load64(s + 32) ^ hp__load64(s + 40)) - seed) ^ first ^ last;
    uint64_t v2 = ((hp__load64(s + 48) ^ hp__load64(s + 56)) + seed) ^ last;
    uint64_t lo, hi;
    mul128(v1, PRIME64_1, &lo, &hi);
    lo += (uint64_t)(len - 1) << 54;
    /* (high 32 bits of v2) << 32 plus (low 32 bits of v2) * PRIME32_2 */
    hi += (v2 & UINT64_C(0xFFFFFFFF00000000)) + (v2 & 0xFFFFFFFFu) * PRIME32_2;
    lo ^= bswap64(hi);
    /* {lo, hi} * PRIME64_2 as a 128x64 -> 128-bit product */
    uint64_t lo2, hi2;
    mul128(lo, PRIME64_2, &lo2, &hi2);
    hi2 += hi * PRIME64_2;
    return make_u128(avalanche_xxh3(lo2), avalanche_xxh3(hi2));
}

static hp_u128 hash128_0to16(const uint8_t *in, size_t len, uint64_t seed) {
    if (len > 8) return hash128_9to16(in, len, seed);
    if (len >= 4) return hash128_4to8(in, len, seed);
    if (len > 0) return hash128_1to3(in, len, seed);
    const uint8_t *s = default_secret;
    return make_u128(avalanche_xxh64(seed ^ hp__load64(s + 64) ^ hp__load64(s + 72)),
                     avalanche_xxh64(seed ^ hp__load64(s + 80) ^ hp__load64(s + 88)));
}

/* The spec's mixTwoChunks: each accumulator takes one chunk's mix step, then is xored
 * with the sum of the other chunk's two data words. */
static inline void mix32(uint64_t acc[2], const uint8_t *a, const uint8_t *b,
                         const uint8_t *secret, uint64_t seed) {
    acc[0] += mix16(a, secret, seed);
    acc[1] += mix16(b, secret + 16, seed);
    acc[0] ^= hp__load64(b) + hp__load64(b + 8);
    acc[1] ^= hp__load64(a) + hp__load64(a + 8);
}

static hp_u128 finish_mid128(const uint64_t acc[2], size_t len, uint64_t seed) {
    uint64_t low = acc[0] + acc[1];
    uint64_t high = acc[0] * PRIME64_1 + acc[1] * PRIME64_4 + ((uint64_t)len - seed) * PRIME64_2;
    return make_u128(avalanche_xxh3(low), (uint64_t)0 - avalanche_xxh3(high));
}

/* 17..128 bytes: the pairs of the 64-bit variant, mixed together; the xor makes the
 * order matter, and the spec goes from the innermost pair outwards. */
static hp_u128 hash128_17to128(const uint8_t *in, size_t len, uint64_t seed) {
    uint64_t acc[2] = {(uint64_t)len * PRIME64_1, 0};
    size_t rounds = ((len - 1) >> 5) + 1;
    for (size_t r = rounds; r-- > 0;) {
        mix32(acc, in + 16 * r, in + len - 16 * (r + 1), default_secret + 32 * r, seed);
    }
    return finish_mid128(acc, len, seed);
}

/* 129..240 bytes: four 32-byte chunks, an avalanche of both accumulators, the remaining
 * whole chunks against the secret shifted by 3, then the last 32 bytes (halves swapped,
 * seed negated) at a fixed offset. */
static hp_u128 hash128_129to240(const uint8_t *in, size_t len, uint64_t seed) {
    const uint8_t *s = default_secret;
    uint64_t acc[2] = {(uint64_t)len * PRIME64_1, 0};
    size_t chunks = len >> 5;
    for (size_t i = 0; i < 4; i++) mix32(acc, in + 32 * i, in + 32 * i + 16, s + 32 * i, seed);
    acc[0] = avalanche_xxh3(acc[0]);
    acc[1] = avalanche_xxh3(acc[1]);
    for (size_t i = 4; i < chunks; i++) {
        mix32(acc, in + 32 * i, in + 32 * i + 16, s + 32 * (i - 4) + 3, seed);
    }
    mix32(acc, in + len - 16, in + len - 32, s + MIDSIZE128_LAST_OFFSET, (uint64_t)0 - seed);
    return finish_mid128(acc, len, seed);
}

static hp_u128 hash128_long(const kernels *k, const uint8_t *in, size_t len,
                            const uint8_t *secret) {
    uint64_t acc[8];
    accumulate_long(k, acc, in, len, secret);
    return make_u128(merge_accs(acc, secret + MERGE_OFFSET, (uint64_t)len * PRIME64_1),
                     merge_accs(acc, secret + MERGE_HIGH_OFFSET, ~((uint64_t)len * PRIME64_2)));
}

hp_u128 hp_hash128(const char *data, size_t len, uint64_t seed) {
    if (HP__UNLIKELY(len > HP_MAX_LEN)) {
        hp__fail(HP_EOVERFLOW, "data length %zu exceeds HP_MAX_LEN", len);
        return make_u128(0, 0);
    }
    if (HP__UNLIKELY(data == NULL && len > 0)) {
        hp__fail(HP_EINVAL, "data is NULL but length is %zu", len);
        return make_u128(0, 0);
    }
    const uint8_t *in = (const uint8_t *)data;
    if (len <= 16) return hash128_0to16(in, len, seed);
    if (len <= 128) return hash128_17to128(in, len, seed);
    if (len <= MIDSIZE_MAX) return hash128_129to240(in, len, seed);
    if (seed == 0) return hash128_long(pick_kernels(), in, len, default_secret);
    uint8_t secret[SECRET_SIZE];
    derive_secret(secret, seed);
    return hash128_long(pick_kernels(), in, len, secret);
}

/* ---------------------------------------------------------------- streaming */

/*
 * The hasher buffers input until it holds more than BUFFER_SIZE bytes. Since
 * BUFFER_SIZE > 240, an input that ends up short is still whole in the buffer at
 * digest time and takes the short path. Once more than BUFFER_SIZE bytes are known,
 * whole stripes are consumed, but always leaving at least one byte behind: the final
 * stripe of the input gets different treatment, and only digest knows which one it is.
 * The last consumed stripe is kept so digest can rebuild the final 64 bytes when
 * fewer than 64 remain buffered.
 */
enum { BUFFER_SIZE = 4 * STRIPE_LEN };

struct hp_hasher64 {
    uint64_t acc[8];
    uint64_t seed;
    uint64_t total_len;
    size_t stripe_in_block;
    size_t buffered;
    uint8_t secret[SECRET_SIZE];
    uint8_t buffer[BUFFER_SIZE];
    uint8_t last_stripe[STRIPE_LEN];
};

static void hasher_init(hp_hasher64 *h, uint64_t seed) {
    memcpy(h->acc, acc_init, sizeof h->acc);
    h->seed = seed;
    h->total_len = 0;
    h->stripe_in_block = 0;
    h->buffered = 0;
    derive_secret(h->secret, seed);
    memset(h->last_stripe, 0, sizeof h->last_stripe);
}

hp_status hp_hasher64_new(hp_hasher64 **out, uint64_t seed) {
    HP_CHECK_NOT_NULL(out, "out");
    hp_hasher64 *h = hp__malloc(sizeof *h);
    if (h == NULL) {
        *out = NULL;
        return hp__fail(HP_ENOMEM, "cannot allocate a hasher (%zu bytes)", sizeof *h);
    }
    hasher_init(h, seed);
    *out = h;
    return HP_OK;
}

hp_status hp_hasher64_update(hp_hasher64 *h, const char *data, size_t len) {
    HP_CHECK_NOT_NULL(h, "hasher");
    HP_CHECK_INPUT(data, len, "data");
    const uint8_t *in = (const uint8_t *)data;
    h->total_len += len;
    if (len <= BUFFER_SIZE - h->buffered) {
        if (len > 0) memcpy(h->buffer + h->buffered, in, len);
        h->buffered += len;
        return HP_OK;
    }
    /* More than the buffer can take: everything buffered is followed by more input,
     * so it can be consumed whole. */
    const kernels *k = pick_kernels();
    if (h->buffered > 0) {
        size_t fill = BUFFER_SIZE - h->buffered;
        memcpy(h->buffer + h->buffered, in, fill);
        in += fill;
        len -= fill;
        consume_stripes(k, h->acc, &h->stripe_in_block, h->buffer, BUFFER_SIZE / STRIPE_LEN,
                        h->secret);
        memcpy(h->last_stripe, h->buffer + BUFFER_SIZE - STRIPE_LEN, STRIPE_LEN);
        h->buffered = 0;
    }
    /* len >= 1 here. Consume straight from the input while that still leaves more than
     * the buffer's worth, keeping the final 1..64 bytes back. */
    if (len > BUFFER_SIZE) {
        size_t nstripes = (len - 1) / STRIPE_LEN;
        consume_stripes(k, h->acc, &h->stripe_in_block, in, nstripes, h->secret);
        in += nstripes * STRIPE_LEN;
        len -= nstripes * STRIPE_LEN;
        memcpy(h->last_stripe, in - STRIPE_LEN, STRIPE_LEN);
    }
    memcpy(h->buffer, in, len);
    h->buffered = len;
    return HP_OK;
}

hp_status hp_hasher64_digest(const hp_hasher64 *h, uint64_t *out) {
    HP_CHECK_NOT_NULL(h, "hasher");
    HP_CHECK_NOT_NULL(out, "out");
    if (h->total_len <= MIDSIZE_MAX) {
        *out = hash_short(h->buffer, (size_t)h->total_len, h->seed);
        return HP_OK;
    }
    /* Finish on copies: the hasher stays as it was and can take more input. */
    const kernels *k = pick_kernels();
    uint64_t acc[8];
    memcpy(acc, h->acc, sizeof acc);
    size_t pos = h->stripe_in_block;
    consume_stripes(k, acc, &pos, h->buffer, (h->buffered - 1) / STRIPE_LEN, h->secret);
    const uint8_t *last = h->buffer + h->buffered - STRIPE_LEN;
    uint8_t joined[STRIPE_LEN];
    if (h->buffered < STRIPE_LEN) {
        size_t from_prev = STRIPE_LEN - h->buffered;
        memcpy(joined, h->last_stripe + h->buffered, from_prev);
        memcpy(joined + from_prev, h->buffer, h->buffered);
        last = joined;
    }
    *out = finish_long(k, acc, last, h->secret, h->total_len);
    return HP_OK;
}

hp_status hp_hasher64_reset(hp_hasher64 *h, uint64_t seed) {
    HP_CHECK_NOT_NULL(h, "hasher");
    hasher_init(h, seed);
    return HP_OK;
}

void hp_hasher64_free(hp_hasher64 *h) { hp__free(h); }

/* ---------------------------------------------------------------- batches */

typedef struct batch_job {
    uint64_t *out;
    const char *data;
    const int64_t *offsets;
    uint64_t seed;
    const kernels *k;
    uint8_t secret[SECRET_SIZE];
} batch_job;

static void hash_range(void *ctx, size_t begin, size_t end) {
    const batch_job *job = ctx;
    const int64_t *off = job->offsets;
    for (size_t i = begin; i < end; i++) {
        size_t len = (size_t)(off[i + 1] - off[i]);
        /* An empty string may sit on a NULL data pointer; never form NULL + offset. */
        const uint8_t *in = len > 0 ? (const uint8_t *)job->data + off[i] : NULL;
        job->out[i] = hash_any(in, len, job->seed, job->secret, job->k);
    }
}

/* Chunks of about 64 KiB of input (counting ~16 bytes of fixed cost per string), and at
 * most 4096 strings, so tiny strings still split and huge ones get a chunk each. */
static size_t batch_grain(const hp_strings *batch) {
    uint64_t bytes = (uint64_t)(batch->offsets[batch->count] - batch->offsets[0]);
    uint64_t per_string = bytes / batch->count + 16;
    uint64_t grain = (64u * 1024u) / per_string;
    if (grain < 1) grain = 1;
    if (grain > 4096) grain = 4096;
    return (size_t)grain;
}

hp_status hp_hash64_batch(uint64_t *out, size_t capacity, const hp_strings *batch,
                          uint64_t seed, unsigned threads) {
    HP_FORWARD_IF_ERROR(hp_strings_check(batch));
    size_t count = batch->count;
    HP_RETURN_IF(capacity < count, HP_EBUFSIZE, "output needs %zu hashes, capacity %zu", count,
                 capacity);
    HP_RETURN_IF(out == NULL && count > 0, HP_EINVAL, "out is NULL but the batch has %zu strings",
                 count);
    if (count == 0) return HP_OK;
    batch_job job = {.out = out,
                     .data = batch->data,
                     .offsets = batch->offsets,
                     .seed = seed,
                     .k = pick_kernels()};
    derive_secret(job.secret, seed);
    hp__parallel_for(count, batch_grain(batch), threads, hash_range, &job);
    return HP_OK;
}
