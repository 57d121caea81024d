/*
 * Substring and byte-set search: find, rfind, count (non-overlapping and overlapping),
 * find-all, starts/ends-with, and find of the first or last byte that is in a set.
 *
 * Needles of two bytes or more are searched in two layers.
 *
 * 1. A prefilter finds candidate positions, which are then verified. From the needle we
 *    take two positions r1 != r2 whose bytes rank rarest in byte_rank (a static
 *    frequency ranking, below); position p of the haystack is a candidate when
 *    h[p + r1] == n[r1] and h[p + r2] == n[r2]. On real text rare bytes make candidates
 *    rare, so the time goes into scanning, which runs at memory speed:
 *      - scalar: memchr for n[r1] (libc's memchr is itself vectorised almost
 *        everywhere), a look at h[p + r2], then the verification;
 *      - AVX2: the "generic SIMD" substring search of W. Mula ("SIMD-friendly
 *        algorithms for substring searching", 2016): broadcast n[r1] and n[r2], compare
 *        32 positions at once (loads from h + p + r1 and h + p + r2), AND the two
 *        masks. 64 positions per iteration, one test for "no candidate". Comparing two
 *        bytes instead of only the first cuts the false candidates of a text byte
 *        (frequency f) from f to roughly f1 * f2, and choosing rare bytes instead of the
 *        first and last cuts them further.
 *    Verification: needles up to 16 bytes compare two overlapping words (the first and
 *    last 4 or 8 bytes), longer ones their first and last 8 bytes and then memcmp. With
 *    AVX2, needles up to 16 bytes are instead compared in full at all 32 positions of a
 *    block that has candidates (one load and compare per needle byte), so candidates
 *    become exact matches without a branch per candidate, and counts of matches that
 *    cannot conflict are a popcount. Needles of 2..8 bytes made of common bytes ("the ")
 *    have candidates in most blocks of text, where "any candidate?" would be a branch
 *    taken at random; they skip the prefilter and run the full compare on every block
 *    (a loop instantiated per length, so it unrolls). The other way round, a needle
 *    whose rarest byte is very rare (a control character, a byte that is not UTF-8,
 *    'J') keeps the memchr prefilter at the AVX2 level too: a scan for one byte that is
 *    absent for megabytes is cheaper than the two-probe loop.
 *    The last block is loaded at the end of the haystack and overlaps the one before it
 *    (positions already examined are shifted out), so no load reads past h + hlen.
 *
 * 2. Any prefilter is quadratic on adversarial input ("a" * 1000 counted overlapping in
 *    "a" * 10**6: every position is a candidate and every verification is long). Each
 *    search therefore keeps a work budget: the needle bytes handed to memcmp against
 *    the haystack bytes passed (short needles verify in constant time and need none).
 *    Once memcmp costs more than 8 bytes per haystack byte (after an allowance of 64
 *    full verifications), the rest of the haystack is searched with the Two-Way
 *    algorithm (M. Crochemore, D. Perrin, "Two-way string matching", JACM 38(3), 1991,
 *    in the formulation of glibc's str-two-way.h): linear time, constant space, no
 *    allocation. It is not the first choice because it compares byte by byte, several
 *    times slower than the prefilter on text. (Horspool/Boyer-Moore tables were not
 *    chosen: 256 entries to build on every call, still quadratic in the worst case, and
 *    no faster than the prefilter once the scan is vectorised.) Two-Way also enumerates
 *    all overlapping occurrences in linear time: after a match a periodic needle shifts
 *    by its period and remembers the part already matched.
 *
 * rfind mirrors the prefilter (blocks from the end, highest bit first) and runs Two-Way
 * on the reversed strings (an accessor reads both from the end), so last occurrences
 * are found in linear time too.
 *
 * One-byte needles skip all that: find is memchr; rfind a backward scan (SWAR eight
 * bytes at a time in scalar code, 64 bytes per iteration with AVX2); count is SWAR
 * (scalar) or vpcmpeqb + vpsubb into byte counters, summed with vpsadbw every 255
 * iterations before they can overflow (AVX2). The empty needle follows Python: found
 * at every position 0..hlen.
 *
 * Byte sets: scalar code uses a 256-entry membership table. AVX2 compares sets of up to
 * three distinct bytes with each member, and classifies bytes for larger sets with the
 * nibble lookup (W. Mula, "SIMD byte lookup", 2018), which handles any set: for each
 * low nibble L, table A has bit H set when byte H*16+L (H < 8) is in the set and table
 * B likewise for H >= 8. vpshufb(A, x) is A[x & 15], and zero when x has its top bit
 * set, so A[L] | B[L] selected by the top bit costs two vpshufb and an XOR (one vpshufb
 * when the set is all ASCII, the common case, as B is then empty); a third vpshufb
 * turns the high nibble into its bit (1 << (H & 7)), and the byte is in the set when
 * that bit is set in its row. A one-byte set is a one-byte search.
 *
 * The SIMD level is read on every call (hp__simd()), so hp_simd_set_level() applies to
 * the next call. The AVX2 kernels need AVX2 and BMI1/BMI2 (tzcnt, blsr); every CPU that
 * hotpath ranks HP_SIMD_AVX2 has them (POPCNT is not assumed). They live in this file,
 * next to the scalar code they are tested against, because both share the needle
 * analysis, the budget, the verification and the result sink.
 */
#include "internal/common.h"

#include <string.h>

#if HP_HAVE_X86_SIMD
#include <immintrin.h>
#define HP__AVX2 __attribute__((target("avx2,bmi,bmi2")))
/* For helpers instantiated with constant arguments (a needle length, a set kind). */
#define HP__INLINE_AVX2 __attribute__((target("avx2,bmi,bmi2"), always_inline)) inline
#endif

typedef unsigned char uchar;

/* What the backward kernels return besides a position (positions are <= HP_MAX_LEN). */
#define NOT_FOUND SIZE_MAX
#define GAVE_UP (SIZE_MAX - 1)

/* What the forward kernels return. */
enum { SCAN_MORE, SCAN_DONE, SCAN_GAVE_UP };

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)
#define LOWS7 UINT64_C(0x7F7F7F7F7F7F7F7F)

static inline bool use_avx2(void) {
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    return level >= HP_SIMD_AVX2 && level != HP_SIMD_NEON;
#else
    return false;
#endif
}

/* ---------------------------------------------------------------- needle analysis */

/*
 * byte_rank[b]: 0 for the rarest byte, 255 for the most common. ASCII was ranked by
 * frequency over CPython's standard library sources and the Debian licence texts
 * (code and English prose); bytes >= 0x80 by hand for mixed European, Cyrillic and
 * CJK UTF-8: continuation bytes (80..BF) as common as uncommon letters, the leads of
 * Latin-1, Cyrillic, punctuation and CJK (C3, D0, D1, E2..E9) rarer, other leads
 * rarer still, and bytes that never occur in UTF-8 (C0, C1, F5..FF) and the control
 * characters other than tab and newline rarest. The ranking only steers which bytes
 * the prefilter compares, never a result.
 */
static const uint8_t byte_rank[256] = {
      0,   1,   2,   3,   4,   5,   6,   7,   8,  43, 246,   9,  44,  10,  11,  12, /* 00 */
     13,  14,  15,  16,  17,  18,  19,  20,  21,  22,  23,  24,  25,  26,  27,  28, /* 10 */
    255,  93, 228, 217,  86, 105,  88, 238, 232, 233, 131, 106, 234, 218, 235, 108, /* 20 */
    231, 205, 139, 129, 126, 128, 112, 104, 114, 111, 226,  99, 100, 223, 207,  90, /* 30 */
     91, 222, 130, 211, 206, 227, 137, 134, 136, 219,  89, 103, 220, 138, 216, 209, /* 40 */
    204,  92, 215, 213, 230, 135, 107, 127, 102, 101,  94, 132, 208, 133,  87, 239, /* 50 */
     96, 249, 225, 243, 244, 254, 242, 229, 236, 248, 113, 210, 245, 237, 250, 247, /* 60 */
    240, 109, 251, 252, 253, 241, 212, 214, 224, 221, 110,  97,  95,  98,  85,  29, /* 70 */
    140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, /* 80 */
    156, 157, 158, 159, 160, 161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, /* 90 */
    172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, /* A0 */
    188, 189, 190, 191, 192, 193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, /* B0 */
     30,  31,  50, 115,  51,  52,  53,  54,  55,  56,  57,  58,  59,  60,  61,  62, /* C0 */
    116, 117,  63,  64,  65,  66,  67,  68,  69,  70,  71,  72,  73,  74,  75,  76, /* D0 */
     77,  78, 118, 119, 120, 121, 122, 123, 124, 125,  79,  80,  81,  82,  83,  84, /* E0 */
     45,  46,  47,  48,  49,  32,  33,  34,  35,  36,  37,  38,  39,  40,  41,  42, /* F0 */
};

/* Needles up to this long are verified without memcmp, and by the AVX2 kernel in full:
 * every byte compared at 32 positions at once. */
#define SHORT_NEEDLE 16
/* Needles of 2..8 bytes whose rarest byte ranks at least this common (a lowercase
 * letter, space, ...) skip the AVX2 prefilter and go straight to the full compare. */
#define DENSE_RANK 200
/* A rarest byte ranked below this (rarer than '!': control characters, bytes that never
 * occur in UTF-8, leads of 4-byte sequences, the rarest capitals and punctuation) is
 * absent from long stretches of text, and a byte scan for it alone (memchr, which
 * compares one vector per 32 bytes) beats the two-probe AVX2 loop at every level. */
#define RARE_RANK 90

/* The needle, its two probe positions, and its first and last 4 or 8 bytes as words. */
typedef struct needle {
    const uchar *p;
    size_t len;
    size_t r1, r2;       /* the rarest byte's position, and the second probe (r1 != r2) */
    uint64_t head, tail; /* len 4..8: 32-bit loads; len > 8: 64-bit loads */
    bool border_free;    /* no proper prefix is also a suffix: occurrences never overlap */
} needle;

/* Probe 1 is the rarest byte. Probe 2 is the rarest byte at another position, preferring
 * a byte value different from probe 1 (two equal bytes filter less), then the position
 * farther from probe 1 (neighbouring bytes of text are correlated). len >= 2. */
static void needle_init(needle *nd, const uchar *p, size_t len) {
    size_t a = 0;
    for (size_t i = 1; i < len; i++) {
        if (byte_rank[p[i]] < byte_rank[p[a]]) a = i;
    }
    size_t b = a == 0 ? 1 : 0;
    for (size_t i = 0; i < len; i++) {
        if (i == a || i == b) continue;
        bool i_differs = p[i] != p[a], b_differs = p[b] != p[a];
        if (i_differs != b_differs) {
            if (i_differs) b = i;
            continue;
        }
        if (byte_rank[p[i]] < byte_rank[p[b]]) {
            b = i;
        } else if (byte_rank[p[i]] == byte_rank[p[b]]) {
            size_t di = i > a ? i - a : a - i, db = b > a ? b - a : a - b;
            if (di > db) b = i;
        }
    }
    nd->p = p;
    nd->len = len;
    nd->r1 = a;
    nd->r2 = b;
    nd->head = nd->tail = 0;
    if (len >= 4 && len <= 8) {
        nd->head = hp__load32(p);
        nd->tail = hp__load32(p + len - 4);
    } else if (len > 8) {
        nd->head = hp__load64(p);
        nd->tail = hp__load64(p + len - 8);
    }
    nd->border_free = true; /* only needed (and computed) for the short needles */
    for (size_t shift = 1; len <= SHORT_NEEDLE && shift < len && nd->border_free; shift++) {
        nd->border_free = memcmp(p, p + shift, len - shift) != 0;
    }
}

/* ---------------------------------------------------------------- verification budget */

typedef struct budget {
    size_t origin;    /* where the search started: haystack bytes passed are measured from it */
    size_t work;      /* needle bytes given to memcmp so far */
    size_t allowance; /* work allowed before the per-byte limit applies */
    size_t resume;    /* on GAVE_UP: the first candidate not yet verified */
} budget;

#define BUDGET_PER_BYTE 8
#define BUDGET_VERIFICATIONS 64

static void budget_init(budget *b, size_t origin, size_t nlen) {
    b->origin = origin;
    b->work = 0;
    b->allowance = nlen <= SIZE_MAX / BUDGET_VERIFICATIONS ? nlen * BUDGET_VERIFICATIONS
                                                            : SIZE_MAX;
    b->resume = 0;
}

/* Charge one verification of nlen bytes after `passed` haystack bytes; false when the
 * prefilter has become too expensive and Two-Way should take over. */
static inline bool budget_charge(budget *b, size_t nlen, size_t passed) {
    b->work += nlen;
    return b->work <= b->allowance || (b->work - b->allowance) / BUDGET_PER_BYTE <= passed;
}

/*
 * Does the needle start at p (`passed` haystack bytes into the search)? 1 or 0; -1 when
 * the budget is spent. Needles up to SHORT_NEEDLE bytes are compared with two
 * overlapping loads (first and last 4 or 8 bytes), a constant cost that needs no
 * budget; longer ones check their first and last 8 bytes, and only then charge and
 * memcmp the middle.
 */
static inline int verify(const needle *nd, const uchar *p, size_t passed, budget *b) {
    const size_t len = nd->len;
    const uchar *n = nd->p;
    if (len <= 3) return p[0] == n[0] && p[len / 2] == n[len / 2] && p[len - 1] == n[len - 1];
    if (len <= 8) return hp__load32(p) == nd->head && hp__load32(p + len - 4) == nd->tail;
    if (hp__load64(p) != nd->head || hp__load64(p + len - 8) != nd->tail) return 0;
    if (len <= SHORT_NEEDLE) return 1;
    if (!budget_charge(b, len, passed)) return -1;
    return memcmp(p + 8, n + 8, len - 16) == 0;
}

/* ---------------------------------------------------------------- result sink */

/*
 * Where forward searches put their results: the first `cap` positions go to out, the
 * search stops after `limit`, and `count` says how many were found. A growing sink
 * (find_all_alloc) reallocates out instead of only counting past cap.
 */
typedef struct sink {
    int64_t *out;
    size_t cap, count, limit;
    size_t max_cap; /* growing sinks: no more than this many can ever be needed */
    bool grow;
    bool nomem;
} sink;

static bool sink_grow(sink *s) {
    size_t cap = s->cap < 32 ? 32 : s->cap * 2, bytes;
    if (cap > s->max_cap && s->max_cap > s->count) cap = s->max_cap;
    int64_t *p = NULL;
    if (hp__mul_size(cap, sizeof *p, &bytes)) p = hp__realloc(s->out, bytes);
    if (p == NULL) {
        s->nomem = true;
        return false;
    }
    s->out = p;
    s->cap = cap;
    return true;
}

/* Record a match; false when the search should stop. */
static inline bool sink_put(sink *s, size_t pos) {
    if (s->count >= s->cap && s->grow && !sink_grow(s)) return false;
    if (s->count < s->cap) s->out[s->count] = (int64_t)pos;
    return ++s->count < s->limit;
}

/* Only counting from here on: nothing more to write. */
static inline bool sink_counting(const sink *s) { return !s->grow && s->count >= s->cap; }

/* ---------------------------------------------------------------- scalar byte kernels */

/* Non-zero iff some byte of x is zero (exact as a truth value). */
static inline uint64_t has_zero_byte(uint64_t x) { return (x - ONES) & ~x & HIGHS; }

/* The high bit of every zero byte of x, and nothing else (no borrows between bytes). */
static inline uint64_t zero_bytes(uint64_t x) { return ~(((x & LOWS7) + LOWS7) | x | LOWS7); }

static size_t find_byte(const uchar *h, size_t len, uchar c) {
    if (len == 0) return NOT_FOUND;
    const uchar *p = memchr(h, c, len);
    return p == NULL ? NOT_FOUND : (size_t)(p - h);
}

static size_t rfind_byte_scalar(const uchar *h, size_t len, uchar c) {
    const uint64_t pattern = ONES * c;
    size_t i = len;
    while (i >= 8 && !has_zero_byte(hp__load64(h + i - 8) ^ pattern)) i -= 8;
    while (i > 0) {
        if (h[--i] == c) return i;
    }
    return NOT_FOUND;
}

static size_t count_byte_scalar(const uchar *h, size_t len, uchar c) {
    const uint64_t pattern = ONES * c;
    size_t i = 0, n = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t z = zero_bytes(hp__load64(h + i) ^ pattern) >> 7;
        n += (size_t)((z * ONES) >> 56); /* sum of eight 0/1 bytes into the top byte */
    }
    for (; i < len; i++) n += h[i] == c;
    return n;
}

/* ---------------------------------------------------------------- scalar prefilter */

/*
 * Every occurrence at a position in [from, hlen - len], left to right, into s; after a
 * match the next one may start `step` bytes later (1: overlapping; len: not). Returns
 * SCAN_DONE, or SCAN_GAVE_UP with b->resume = the first position not yet examined.
 */
static int scan_scalar(const needle *nd, const uchar *h, size_t hlen, size_t from, size_t step,
                       sink *s, budget *b) {
    const size_t last = hlen - nd->len, r1 = nd->r1, r2 = nd->r2;
    const uchar c1 = nd->p[r1], c2 = nd->p[r2];
    size_t pos = from;
    while (pos <= last) {
        const uchar *hit = memchr(h + pos + r1, c1, last - pos + 1);
        if (hit == NULL) return SCAN_DONE;
        pos = (size_t)(hit - h) - r1;
        if (h[pos + r2] == c2) {
            int v = verify(nd, h + pos, pos - b->origin, b);
            if (v < 0) {
                b->resume = pos;
                return SCAN_GAVE_UP;
            }
            if (v > 0) {
                if (!sink_put(s, pos)) return SCAN_DONE;
                pos += step;
                continue;
            }
        }
        pos++;
    }
    return SCAN_DONE;
}

static size_t rfind_byte(const uchar *h, size_t len, uchar c);

/* Last occurrence at a position in [0, to], or NOT_FOUND / GAVE_UP. The byte scan is
 * rfind_byte, so AVX2 where allowed (as libc's memchr is for scan_scalar). */
static size_t prev_scalar(const needle *nd, const uchar *h, size_t to, budget *b) {
    const size_t r1 = nd->r1, r2 = nd->r2;
    const uchar c1 = nd->p[r1], c2 = nd->p[r2];
    size_t end = to + 1; /* candidates below end are left */
    while (end > 0) {
        size_t pos = rfind_byte(h + r1, end, c1);
        if (pos == NOT_FOUND) return NOT_FOUND;
        if (h[pos + r2] == c2) {
            int v = verify(nd, h + pos, b->origin - pos, b);
            if (v > 0) return pos;
            if (v < 0) {
                b->resume = pos;
                return GAVE_UP;
            }
        }
        end = pos;
    }
    return NOT_FOUND;
}

/* ---------------------------------------------------------------- Two-Way */

/* The needle seen forwards or backwards (rev: index i reads n[len - 1 - i]). */
typedef struct twoway {
    const uchar *n;
    size_t len;
    size_t suffix; /* critical position: the needle is n[0..suffix) n[suffix..len) */
    size_t period; /* the needle's period if periodic, else the shift after a left mismatch */
    bool periodic;
    bool rev;
} twoway;

static inline uchar at(const uchar *p, size_t len, size_t i, bool rev) {
    return rev ? p[len - 1 - i] : p[i];
}

/* The maximal suffix of the needle for one ordering of the alphabet (greater: the
 * usual one, else reversed); its start is returned as ms (SIZE_MAX stands for -1, and
 * the wrapping arithmetic is intended), its local period in *period. */
static size_t max_suffix(const twoway *tw, bool greater, size_t *period) {
    size_t ms = SIZE_MAX, j = 0, k = 1, p = 1;
    while (j + k < tw->len) {
        uchar a = at(tw->n, tw->len, j + k, tw->rev);
        uchar b = at(tw->n, tw->len, ms + k, tw->rev);
        if (greater ? a < b : a > b) {
            j += k;
            k = 1;
            p = j - ms;
        } else if (a == b) {
            if (k != p) {
                k++;
            } else {
                j += p;
                k = 1;
            }
        } else {
            ms = j++;
            k = p = 1;
        }
    }
    *period = p;
    return ms;
}

/* Critical factorization (the later of the two maximal suffixes), then the test of
 * whether the needle is periodic with the local period found. len >= 2. */
static void twoway_init(twoway *tw, const uchar *n, size_t len, bool rev) {
    tw->n = n;
    tw->len = len;
    tw->rev = rev;
    size_t p1, p2;
    if (len < 3) {
        tw->suffix = len - 1;
        p1 = 1;
    } else {
        size_t ms1 = max_suffix(tw, true, &p1);
        size_t ms2 = max_suffix(tw, false, &p2);
        if (ms2 + 1 < ms1 + 1) {
            tw->suffix = ms1 + 1;
        } else {
            tw->suffix = ms2 + 1;
            p1 = p2;
        }
    }
    bool periodic = true;
    for (size_t i = 0; i < tw->suffix && periodic; i++) {
        periodic = at(n, len, i, rev) == at(n, len, i + p1, rev);
    }
    tw->periodic = periodic;
    tw->period = periodic ? p1 : (tw->suffix > len - tw->suffix ? tw->suffix
                                                                 : len - tw->suffix) + 1;
}

/*
 * The first occurrence at or after *j in h[0..hlen) (read backwards if tw->rev); on
 * success *j is its position. *memory: how many bytes at the window's start are known
 * to match (periodic needles only; 0 when unsure). hlen >= tw->len.
 */
static bool twoway_next(const twoway *tw, const uchar *h, size_t hlen, size_t *j,
                        size_t *memory) {
    const size_t len = tw->len, suffix = tw->suffix, period = tw->period;
    const bool rev = tw->rev;
    size_t pos = *j, mem = tw->periodic ? *memory : 0;
    while (pos <= hlen - len) {
        size_t i = suffix > mem ? suffix : mem;
        while (i < len && at(tw->n, len, i, rev) == at(h, hlen, pos + i, rev)) i++;
        if (i < len) {
            pos += i - suffix + 1;
            mem = 0;
            continue;
        }
        size_t low = tw->periodic ? mem : 0; /* left half: scan down to `low` */
        i = suffix;
        while (i > low && at(tw->n, len, i - 1, rev) == at(h, hlen, pos + i - 1, rev)) i--;
        if (i <= low) {
            *j = pos;
            *memory = mem;
            return true;
        }
        pos += period;
        mem = tw->periodic ? len - period : 0;
    }
    return false;
}

/* Where the search continues after a match at *j. */
static void twoway_advance(const twoway *tw, bool overlapping, size_t *j, size_t *memory) {
    if (!overlapping) {
        *j += tw->len;
        *memory = 0;
    } else if (tw->periodic) {
        /* no occurrence starts less than one period later; the next window's first
         * len - period bytes are this match's last ones, which the period repeats */
        *j += tw->period;
        *memory = tw->len - tw->period;
    } else {
        /* occurrences of an aperiodic needle are more than len / 2 apart, so a full
         * re-scan after each keeps the whole search linear */
        *j += 1;
        *memory = 0;
    }
}

/* ---------------------------------------------------------------- AVX2 kernels */

#if HP_HAVE_X86_SIMD

HP__AVX2 static inline __m256i load32(const uchar *p) {
    return _mm256_loadu_si256((const __m256i *)(const void *)p);
}

HP__AVX2 static inline uint32_t eq_mask(const uchar *p, __m256i v) {
    return (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(load32(p), v));
}

/* Candidates among the 32 positions from base: bit k for base + k. */
HP__AVX2 static inline uint32_t pair_mask(const uchar *h1, const uchar *h2, size_t base,
                                          __m256i v1, __m256i v2) {
    __m256i m = _mm256_and_si256(_mm256_cmpeq_epi8(load32(h1 + base), v1),
                                 _mm256_cmpeq_epi8(load32(h2 + base), v2));
    return (uint32_t)_mm256_movemask_epi8(m);
}

/* Population count without assuming the POPCNT instruction. */
static inline unsigned popcount64(uint64_t x) {
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
    return (unsigned)((x * ONES) >> 56);
}

/* What scan_avx2 carries from block to block. */
typedef struct scan_state {
    size_t step;      /* after a match at c the next one may start at c + step */
    size_t next;      /* the first position where a match may start */
    bool short_exact; /* masks hold exact matches (short needle), not candidates */
    bool count_free;  /* matches cannot conflict: overlapping, or a border-free needle */
} scan_state;

/*
 * The positions base + k for the bits k of mask, lowest first, handled as scan_scalar
 * does. With st->short_exact the bits are matches already; when only a count is wanted
 * and no two matches can conflict, they are simply counted.
 */
static inline int take_forward(const needle *nd, const uchar *h, size_t base, uint64_t mask,
                               scan_state *st, sink *s, budget *b) {
    if (st->short_exact && st->count_free && sink_counting(s) && s->limit == SIZE_MAX) {
        s->count += popcount64(mask);
        return SCAN_MORE;
    }
    while (mask != 0) {
        size_t c = base + (size_t)__builtin_ctzll(mask);
        mask &= mask - 1;
        if (c < st->next) continue;
        if (!st->short_exact) {
            int v = verify(nd, h + c, c - b->origin, b);
            if (v == 0) continue;
            if (v < 0) {
                b->resume = c;
                return SCAN_GAVE_UP;
            }
        }
        if (!sink_put(s, c)) return SCAN_DONE;
        st->next = c + st->step;
    }
    return SCAN_MORE;
}

/* The candidates base + k for the bits k of mask, highest first: the first match, or
 * NOT_FOUND, or GAVE_UP. */
static inline size_t take_backward(const needle *nd, const uchar *h, size_t base, uint64_t mask,
                                   budget *b) {
    while (mask != 0) {
        unsigned k = 63u - (unsigned)__builtin_clzll(mask);
        size_t c = base + k;
        int v = verify(nd, h + c, b->origin - c, b);
        if (v > 0) return c;
        if (v < 0) {
            b->resume = c;
            return GAVE_UP;
        }
        mask &= ~(UINT64_C(1) << k);
    }
    return NOT_FOUND;
}

/* The positions among the 32 from base where a short needle (nb: its bytes broadcast)
 * matches in full. Reads h[base .. base + 31 + len - 1]. */
HP__AVX2 static inline uint32_t exact_mask(const __m256i *nb, size_t len, const uchar *h,
                                           size_t base) {
    __m256i m = _mm256_cmpeq_epi8(load32(h + base), nb[0]);
    for (size_t i = 1; i < len; i++) {
        m = _mm256_and_si256(m, _mm256_cmpeq_epi8(load32(h + base + i), nb[i]));
    }
    return (uint32_t)_mm256_movemask_epi8(m);
}

/* The full-compare loop of scan_avx2 for a needle of exactly `len` bytes (a constant in
 * each instantiation, so the byte loop unrolls): 64 positions per step, no branch on
 * the data except "any match in these 64 positions". Advances *pos. */
HP__INLINE_AVX2 static int scan_dense(const __m256i *nb, const size_t len, const uchar *h,
                                      size_t last, size_t *pos_io, scan_state *st, sink *s,
                                      budget *b, const needle *nd) {
    size_t pos = *pos_io;
    const bool just_count = st->count_free && sink_counting(s) && s->limit == SIZE_MAX;
    size_t counted = 0;
    int r = SCAN_MORE;
    while (pos <= last && last - pos >= 63) {
        __m256i lo = _mm256_cmpeq_epi8(load32(h + pos), nb[0]);
        __m256i hi = _mm256_cmpeq_epi8(load32(h + pos + 32), nb[0]);
        for (size_t i = 1; i < len; i++) {
            lo = _mm256_and_si256(lo, _mm256_cmpeq_epi8(load32(h + pos + i), nb[i]));
            hi = _mm256_and_si256(hi, _mm256_cmpeq_epi8(load32(h + pos + 32 + i), nb[i]));
        }
        uint64_t mask = (uint64_t)(uint32_t)_mm256_movemask_epi8(lo) |
                        (uint64_t)(uint32_t)_mm256_movemask_epi8(hi) << 32;
        if (just_count) {
            counted += popcount64(mask);
        } else if (mask != 0) {
            r = take_forward(nd, h, pos, mask, st, s, b);
            if (r != SCAN_MORE) break;
        }
        pos += 64;
        if (st->next > pos) pos = st->next;
    }
    s->count += counted;
    *pos_io = pos;
    return r;
}

/*
 * scan_scalar with 64 positions per step (see the top of the file for the short-needle
 * and dense variants). The block loop only moves forward: after a match it continues
 * at the next allowed position if that lies beyond the block, so every block starts at
 * or after st.next.
 */
HP__AVX2 static int scan_avx2(const needle *nd, const uchar *h, size_t hlen, size_t from,
                              size_t step, sink *s, budget *b) {
    const size_t last = hlen - nd->len;
    const uchar *h1 = h + nd->r1, *h2 = h + nd->r2;
    const __m256i v1 = _mm256_set1_epi8((char)nd->p[nd->r1]);
    const __m256i v2 = _mm256_set1_epi8((char)nd->p[nd->r2]);
    __m256i nb[SHORT_NEEDLE];
    scan_state st = {step, from, nd->len <= SHORT_NEEDLE, step == 1 || nd->border_free};
    for (size_t i = 0; st.short_exact && i < nd->len; i++) {
        nb[i] = _mm256_set1_epi8((char)nd->p[i]);
    }
    size_t pos = from;
    int r;
    if (st.short_exact && byte_rank[nd->p[nd->r1]] >= DENSE_RANK) {
        switch (nd->len) {
        case 2: r = scan_dense(nb, 2, h, last, &pos, &st, s, b, nd); break;
        case 3: r = scan_dense(nb, 3, h, last, &pos, &st, s, b, nd); break;
        case 4: r = scan_dense(nb, 4, h, last, &pos, &st, s, b, nd); break;
        case 5: r = scan_dense(nb, 5, h, last, &pos, &st, s, b, nd); break;
        case 6: r = scan_dense(nb, 6, h, last, &pos, &st, s, b, nd); break;
        case 7: r = scan_dense(nb, 7, h, last, &pos, &st, s, b, nd); break;
        case 8: r = scan_dense(nb, 8, h, last, &pos, &st, s, b, nd); break;
        default: r = SCAN_MORE; break;
        }
        if (r != SCAN_MORE) return r;
    }
    /* every position of a block is <= last, so every load ends at or before h + hlen */
    while (pos <= last && last - pos >= 63) {
        __m256i a = _mm256_and_si256(_mm256_cmpeq_epi8(load32(h1 + pos), v1),
                                     _mm256_cmpeq_epi8(load32(h2 + pos), v2));
        __m256i c = _mm256_and_si256(_mm256_cmpeq_epi8(load32(h1 + pos + 32), v1),
                                     _mm256_cmpeq_epi8(load32(h2 + pos + 32), v2));
        __m256i any = _mm256_or_si256(a, c);
        if (!_mm256_testz_si256(any, any)) {
            uint64_t mask;
            if (st.short_exact) {
                mask = (uint64_t)exact_mask(nb, nd->len, h, pos) |
                       (uint64_t)exact_mask(nb, nd->len, h, pos + 32) << 32;
            } else {
                mask = (uint64_t)(uint32_t)_mm256_movemask_epi8(a) |
                       (uint64_t)(uint32_t)_mm256_movemask_epi8(c) << 32;
            }
            r = take_forward(nd, h, pos, mask, &st, s, b);
            if (r != SCAN_MORE) return r;
        }
        pos += 64;
        if (st.next > pos) pos = st.next;
    }
    if (pos > last) return SCAN_DONE;
    if (last - pos >= 31) {
        uint32_t mask = st.short_exact ? exact_mask(nb, nd->len, h, pos)
                                       : pair_mask(h1, h2, pos, v1, v2);
        r = take_forward(nd, h, pos, mask, &st, s, b);
        if (r != SCAN_MORE) return r;
        pos += 32;
        if (st.next > pos) pos = st.next;
        if (pos > last) return SCAN_DONE;
    }
    /* fewer than 32 positions left: one block ending at `last`, overlapping the
     * positions already examined (shifted out), or scalar code if the haystack is short */
    if (last < 31) return scan_scalar(nd, h, hlen, pos, step, s, b);
    size_t base = last - 31;
    uint32_t mask = st.short_exact ? exact_mask(nb, nd->len, h, base)
                                   : pair_mask(h1, h2, base, v1, v2);
    r = take_forward(nd, h, pos, mask >> (pos - base), &st, s, b);
    return r == SCAN_MORE ? SCAN_DONE : r;
}

/* prev_scalar with 64 candidates per step (to = the last candidate position). */
HP__AVX2 static size_t prev_avx2(const needle *nd, const uchar *h, size_t to, budget *b) {
    const uchar *h1 = h + nd->r1, *h2 = h + nd->r2;
    const __m256i v1 = _mm256_set1_epi8((char)nd->p[nd->r1]);
    const __m256i v2 = _mm256_set1_epi8((char)nd->p[nd->r2]);
    size_t end = to + 1; /* candidates below end are left */
    while (end >= 64) {
        size_t base = end - 64;
        __m256i a = _mm256_and_si256(_mm256_cmpeq_epi8(load32(h1 + base), v1),
                                     _mm256_cmpeq_epi8(load32(h2 + base), v2));
        __m256i c = _mm256_and_si256(_mm256_cmpeq_epi8(load32(h1 + base + 32), v1),
                                     _mm256_cmpeq_epi8(load32(h2 + base + 32), v2));
        __m256i any = _mm256_or_si256(a, c);
        end = base;
        if (_mm256_testz_si256(any, any)) continue;
        uint64_t mask = (uint64_t)(uint32_t)_mm256_movemask_epi8(a) |
                        (uint64_t)(uint32_t)_mm256_movemask_epi8(c) << 32;
        size_t r = take_backward(nd, h, base, mask, b);
        if (r != NOT_FOUND) return r;
    }
    if (end >= 32) {
        end -= 32;
        size_t r = take_backward(nd, h, end, pair_mask(h1, h2, end, v1, v2), b);
        if (r != NOT_FOUND) return r;
    }
    if (end == 0) return NOT_FOUND;
    /* fewer than 32 left: the block at 0 (loadable if there are >= 32 candidates) */
    if (to < 31) return prev_scalar(nd, h, end - 1, b);
    uint32_t mask = pair_mask(h1, h2, 0, v1, v2) & (uint32_t)((UINT64_C(1) << end) - 1);
    return take_backward(nd, h, 0, mask, b);
}

HP__AVX2 static size_t rfind_byte_avx2(const uchar *h, size_t len, uchar c) {
    const __m256i v = _mm256_set1_epi8((char)c);
    size_t end = len;
    for (; end >= 64; end -= 64) {
        __m256i a = _mm256_cmpeq_epi8(load32(h + end - 64), v);
        __m256i d = _mm256_cmpeq_epi8(load32(h + end - 32), v);
        __m256i any = _mm256_or_si256(a, d);
        if (_mm256_testz_si256(any, any)) continue;
        uint64_t mask = (uint64_t)(uint32_t)_mm256_movemask_epi8(a) |
                        (uint64_t)(uint32_t)_mm256_movemask_epi8(d) << 32;
        return end - 64 + (63u - (unsigned)__builtin_clzll(mask));
    }
    if (end >= 32) {
        end -= 32;
        uint32_t mask = eq_mask(h + end, v);
        if (mask != 0) return end + (31u - (unsigned)__builtin_clz(mask));
    }
    return rfind_byte_scalar(h, end, c);
}

/* Byte counters (0..255 per lane) folded into four 64-bit sums. */
HP__AVX2 static inline __m256i fold_counts(__m256i sums, __m256i counts) {
    return _mm256_add_epi64(sums, _mm256_sad_epu8(counts, _mm256_setzero_si256()));
}

HP__AVX2 static size_t count_byte_avx2(const uchar *h, size_t len, uchar c) {
    const __m256i v = _mm256_set1_epi8((char)c);
    __m256i sums = _mm256_setzero_si256();
    size_t i = 0;
    while (len - i >= 128) {
        size_t steps = (len - i) / 128;
        if (steps > 255) steps = 255; /* a byte counter holds at most 255 */
        __m256i c0 = _mm256_setzero_si256(), c1 = c0, c2 = c0, c3 = c0;
        for (size_t k = 0; k < steps; k++, i += 128) {
            /* a match compares to -1 (0xFF): subtracting it adds one */
            c0 = _mm256_sub_epi8(c0, _mm256_cmpeq_epi8(load32(h + i), v));
            c1 = _mm256_sub_epi8(c1, _mm256_cmpeq_epi8(load32(h + i + 32), v));
            c2 = _mm256_sub_epi8(c2, _mm256_cmpeq_epi8(load32(h + i + 64), v));
            c3 = _mm256_sub_epi8(c3, _mm256_cmpeq_epi8(load32(h + i + 96), v));
        }
        sums = fold_counts(fold_counts(sums, c0), c1);
        sums = fold_counts(fold_counts(sums, c2), c3);
    }
    for (; len - i >= 32; i += 32) {
        __m256i eq = _mm256_cmpeq_epi8(load32(h + i), v);
        sums = fold_counts(sums, _mm256_sub_epi8(_mm256_setzero_si256(), eq));
    }
    uint64_t lanes[4];
    _mm256_storeu_si256((__m256i *)(void *)lanes, sums);
    return (size_t)(lanes[0] + lanes[1] + lanes[2] + lanes[3]) +
           count_byte_scalar(h + i, len - i, c);
}

#endif /* HP_HAVE_X86_SIMD */

/* ---------------------------------------------------------------- dispatch */

static size_t rfind_byte(const uchar *h, size_t len, uchar c) {
#if HP_HAVE_X86_SIMD
    if (use_avx2()) return rfind_byte_avx2(h, len, c);
#endif
    return rfind_byte_scalar(h, len, c);
}

static size_t count_byte(const uchar *h, size_t len, uchar c) {
#if HP_HAVE_X86_SIMD
    if (use_avx2()) return count_byte_avx2(h, len, c);
#endif
    return count_byte_scalar(h, len, c);
}

static int prefilter_scan(const needle *nd, const uchar *h, size_t hlen, size_t step, sink *s,
                          budget *b) {
#if HP_HAVE_X86_SIMD
    if (use_avx2() && byte_rank[nd->p[nd->r1]] >= RARE_RANK) {
        return scan_avx2(nd, h, hlen, 0, step, s, b);
    }
#endif
    return scan_scalar(nd, h, hlen, 0, step, s, b);
}

static size_t prefilter_prev(const needle *nd, const uchar *h, size_t to, budget *b) {
#if HP_HAVE_X86_SIMD
    if (use_avx2() && byte_rank[nd->p[nd->r1]] >= RARE_RANK) return prev_avx2(nd, h, to, b);
#endif
    return prev_scalar(nd, h, to, b);
}

/* ---------------------------------------------------------------- substring search */

static void search_empty(sink *s, size_t hlen) {
    size_t total = hlen + 1; /* hlen <= HP_MAX_LEN: no overflow */
    if (total > s->limit) total = s->limit;
    for (size_t i = 0; i < total && !sink_counting(s); i++) {
        if (!sink_put(s, i)) return;
    }
    if (sink_counting(s)) s->count = total;
}

static void search_byte(sink *s, const uchar *h, size_t hlen, uchar c) {
    size_t pos = 0;
    for (;;) {
        if (sink_counting(s) && s->limit == SIZE_MAX) {
            s->count += count_byte(h + pos, hlen - pos, c);
            return;
        }
        size_t at = find_byte(h + pos, hlen - pos, c);
        if (at == NOT_FOUND || !sink_put(s, pos + at)) return;
        pos += at + 1;
    }
}

/* Two-Way from `from` to the end (forward). */
static void search_twoway(sink *s, const uchar *h, size_t hlen, const uchar *n, size_t nlen,
                          size_t from, bool overlapping) {
    twoway tw;
    twoway_init(&tw, n, nlen, false);
    size_t j = from, memory = 0;
    while (twoway_next(&tw, h, hlen, &j, &memory)) {
        if (!sink_put(s, j)) return;
        twoway_advance(&tw, overlapping, &j, &memory);
    }
}

/* Every occurrence left to right into s (non-overlapping: resume after each match). */
static void search_forward(sink *s, const uchar *h, size_t hlen, const uchar *n, size_t nlen,
                           bool overlapping) {
    if (nlen == 0) {
        search_empty(s, hlen);
        return;
    }
    if (nlen > hlen) return;
    if (nlen == 1) {
        search_byte(s, h, hlen, n[0]);
        return;
    }
    needle nd;
    needle_init(&nd, n, nlen);
    budget b;
    budget_init(&b, 0, nlen);
    if (prefilter_scan(&nd, h, hlen, overlapping ? 1 : nlen, s, &b) == SCAN_GAVE_UP) {
        search_twoway(s, h, hlen, n, nlen, b.resume, overlapping);
    }
}

/* The last occurrence, or NOT_FOUND. */
static size_t search_last(const uchar *h, size_t hlen, const uchar *n, size_t nlen) {
    if (nlen == 0) return hlen;
    if (nlen > hlen) return NOT_FOUND;
    if (nlen == 1) return rfind_byte(h, hlen, n[0]);
    needle nd;
    needle_init(&nd, n, nlen);
    budget b;
    const size_t last = hlen - nlen;
    budget_init(&b, last, nlen);
    size_t at = prefilter_prev(&nd, h, last, &b);
    if (at != GAVE_UP) return at;
    /* no occurrence starts after b.resume: search h[0 .. resume + nlen) backwards */
    twoway tw;
    twoway_init(&tw, n, nlen, true);
    size_t sub = b.resume + nlen, j = 0, memory = 0;
    if (!twoway_next(&tw, h, sub, &j, &memory)) return NOT_FOUND;
    return sub - nlen - j;
}

/* ---------------------------------------------------------------- byte sets */

typedef struct byteset {
    const uchar *set;
    size_t len;
    uint8_t member[256];
    size_t distinct;
    uchar first[3]; /* the first three distinct members (as many as there are) */
} byteset;

static void byteset_init(byteset *bs, const uchar *set, size_t len) {
    memset(bs->member, 0, sizeof bs->member);
    bs->set = set;
    bs->len = len;
    bs->distinct = 0;
    for (size_t i = 0; i < len; i++) {
        if (!bs->member[set[i]]) {
            bs->member[set[i]] = 1;
            if (bs->distinct < 3) bs->first[bs->distinct] = set[i];
            bs->distinct++;
        }
    }
}

static size_t find_set_scalar(const byteset *bs, const uchar *h, size_t len) {
    for (size_t i = 0; i < len; i++) {
        if (bs->member[h[i]]) return i;
    }
    return NOT_FOUND;
}

static size_t rfind_set_scalar(const byteset *bs, const uchar *h, size_t len) {
    for (size_t i = len; i > 0; i--) {
        if (bs->member[h[i - 1]]) return i - 1;
    }
    return NOT_FOUND;
}

#if HP_HAVE_X86_SIMD

typedef struct set_tables {
    __m256i low_a, low_b; /* by low nibble: bit H for members H*16+L, H < 8 / H >= 8 */
    __m256i high_bit;     /* by high nibble H: 1 << (H & 7) */
    __m256i b0, b1, b2;   /* small sets: the members broadcast (repeated to fill three) */
} set_tables;

/* Sets of up to this many distinct bytes compare against each member directly (one
 * compare per member instead of the three shuffles of the nibble lookup). */
#define SMALL_SET 3

/* How set_match classifies bytes: a constant in each instantiation of the loops. */
typedef enum set_kind {
    SET_SMALL, /* compare with each member */
    SET_ASCII, /* nibble lookup, members < 0x80 only: table B is empty and skipped */
    SET_ANY    /* nibble lookup, both tables */
} set_kind;

/* Fill the tables for bs and say which kind of lookup it needs. */
HP__AVX2 static set_kind set_tables_init(set_tables *t, const byteset *bs) {
    uint8_t a[16] = {0}, b[16] = {0}, members[SMALL_SET];
    bool high = false;
    for (size_t i = 0; i < bs->len; i++) {
        unsigned v = bs->set[i];
        if (v < 128) {
            a[v & 15] |= (uint8_t)(1u << (v >> 4));
        } else {
            b[v & 15] |= (uint8_t)(1u << ((v >> 4) - 8));
            high = true;
        }
    }
    for (size_t i = 0; i < SMALL_SET; i++) members[i] = bs->first[i < bs->distinct ? i : 0];
    t->low_a = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)a));
    t->low_b = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)b));
    t->high_bit = _mm256_setr_epi8(1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128,
                                   1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128);
    t->b0 = _mm256_set1_epi8((char)members[0]);
    t->b1 = _mm256_set1_epi8((char)members[1]);
    t->b2 = _mm256_set1_epi8((char)members[2]);
    return bs->distinct <= SMALL_SET ? SET_SMALL : high ? SET_ANY : SET_ASCII;
}

/* Non-zero exactly in the bytes of x that are in the set. The nibble lookup leaves each
 * member byte with one bit set; the compare that would turn that into 0xFF is left to
 * set_mask, so a block without members costs no compare. */
HP__INLINE_AVX2 static __m256i set_match(const set_tables *t, __m256i x, set_kind kind) {
    if (kind == SET_SMALL) {
        return _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(x, t->b0),
                                               _mm256_cmpeq_epi8(x, t->b1)),
                               _mm256_cmpeq_epi8(x, t->b2));
    }
    const __m256i top = _mm256_set1_epi8((char)0x80), nibble = _mm256_set1_epi8(0x0F);
    __m256i rows = _mm256_shuffle_epi8(t->low_a, x); /* zero where x >= 0x80 */
    if (kind == SET_ANY) {
        rows = _mm256_or_si256(rows, _mm256_shuffle_epi8(t->low_b, _mm256_xor_si256(x, top)));
    }
    __m256i high = _mm256_and_si256(_mm256_srli_epi16(x, 4), nibble);
    return _mm256_and_si256(rows, _mm256_shuffle_epi8(t->high_bit, high));
}

/* Bit k set when byte k of a set_match result is non-zero. */
HP__INLINE_AVX2 static uint32_t nonzero_bits(__m256i m) {
    return ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, _mm256_setzero_si256()));
}

HP__INLINE_AVX2 static uint32_t set_mask(const set_tables *t, const uchar *p, set_kind kind) {
    return nonzero_bits(set_match(t, load32(p), kind));
}

HP__INLINE_AVX2 static size_t find_set_loop(const set_tables *t, const byteset *bs,
                                            const uchar *h, size_t len, set_kind kind) {
    size_t i = 0;
    for (; len - i >= 64; i += 64) {
        __m256i a = set_match(t, load32(h + i), kind);
        __m256i c = set_match(t, load32(h + i + 32), kind);
        __m256i any = _mm256_or_si256(a, c);
        if (_mm256_testz_si256(any, any)) continue;
        uint64_t mask = (uint64_t)nonzero_bits(a) | (uint64_t)nonzero_bits(c) << 32;
        return i + (size_t)__builtin_ctzll(mask);
    }
    if (len - i >= 32) {
        uint32_t mask = set_mask(t, h + i, kind);
        if (mask != 0) return i + (size_t)__builtin_ctz(mask);
        i += 32;
    }
    if (i == len) return NOT_FOUND;
    if (len < 32) return find_set_scalar(bs, h, len);
    /* the last 32 bytes, less those already examined */
    size_t base = len - 32;
    uint32_t mask = set_mask(t, h + base, kind) >> (i - base);
    return mask != 0 ? i + (size_t)__builtin_ctz(mask) : NOT_FOUND;
}

HP__INLINE_AVX2 static size_t rfind_set_loop(const set_tables *t, const byteset *bs,
                                             const uchar *h, size_t len, set_kind kind) {
    size_t end = len;
    for (; end >= 64; end -= 64) {
        __m256i a = set_match(t, load32(h + end - 64), kind);
        __m256i c = set_match(t, load32(h + end - 32), kind);
        __m256i any = _mm256_or_si256(a, c);
        if (_mm256_testz_si256(any, any)) continue;
        uint64_t mask = (uint64_t)nonzero_bits(a) | (uint64_t)nonzero_bits(c) << 32;
        return end - 64 + (63u - (unsigned)__builtin_clzll(mask));
    }
    if (end >= 32) {
        end -= 32;
        uint32_t mask = set_mask(t, h + end, kind);
        if (mask != 0) return end + (31u - (unsigned)__builtin_clz(mask));
    }
    if (end == 0) return NOT_FOUND;
    if (len < 32) return rfind_set_scalar(bs, h, end);
    /* the first 32 bytes, less those already examined */
    uint32_t mask = set_mask(t, h, kind) & (uint32_t)((UINT64_C(1) << end) - 1);
    return mask != 0 ? 31u - (unsigned)__builtin_clz(mask) : NOT_FOUND;
}

HP__AVX2 static size_t find_set_avx2(const byteset *bs, const uchar *h, size_t len) {
    set_tables t;
    set_kind kind = set_tables_init(&t, bs);
    if (kind == SET_SMALL) return find_set_loop(&t, bs, h, len, SET_SMALL);
    if (kind == SET_ASCII) return find_set_loop(&t, bs, h, len, SET_ASCII);
    return find_set_loop(&t, bs, h, len, SET_ANY);
}

HP__AVX2 static size_t rfind_set_avx2(const byteset *bs, const uchar *h, size_t len) {
    set_tables t;
    set_kind kind = set_tables_init(&t, bs);
    if (kind == SET_SMALL) return rfind_set_loop(&t, bs, h, len, SET_SMALL);
    if (kind == SET_ASCII) return rfind_set_loop(&t, bs, h, len, SET_ASCII);
    return rfind_set_loop(&t, bs, h, len, SET_ANY);
}

#endif /* HP_HAVE_X86_SIMD */

static size_t find_set(const byteset *bs, const uchar *h, size_t len) {
    if (bs->distinct == 1) return find_byte(h, len, bs->first[0]);
#if HP_HAVE_X86_SIMD
    if (use_avx2()) return find_set_avx2(bs, h, len);
#endif
    return find_set_scalar(bs, h, len);
}

static size_t rfind_set(const byteset *bs, const uchar *h, size_t len) {
    if (bs->distinct == 1) return rfind_byte(h, len, bs->first[0]);
#if HP_HAVE_X86_SIMD
    if (use_avx2()) return rfind_set_avx2(bs, h, len);
#endif
    return rfind_set_scalar(bs, h, len);
}

/* ---------------------------------------------------------------- public API */

static hp_status check_pair(const char *h, size_t hlen, const char *n, size_t nlen,
                            const char *what) {
    HP_CHECK_INPUT(h, hlen, "haystack");
    HP_CHECK_INPUT(n, nlen, what);
    return HP_OK;
}

static hp_status check_overlapping(int overlapping) {
    HP_RETURN_IF(overlapping != 0 && overlapping != 1, HP_EINVAL,
                 "overlapping must be 0 or 1, got %d", overlapping);
    return HP_OK;
}

static inline int64_t as_offset(size_t pos) { return pos == NOT_FOUND ? -1 : (int64_t)pos; }

hp_status hp_find(int64_t *out, const char *h, size_t hlen, const char *n, size_t nlen) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = -1;
    HP_FORWARD_IF_ERROR(check_pair(h, hlen, n, nlen, "needle"));
    int64_t first = -1;
    sink s = {.out = &first, .cap = 1, .limit = 1};
    search_forward(&s, (const uchar *)h, hlen, (const uchar *)n, nlen, false);
    *out = first;
    return HP_OK;
}

hp_status hp_rfind(int64_t *out, const char *h, size_t hlen, const char *n, size_t nlen) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = -1;
    HP_FORWARD_IF_ERROR(check_pair(h, hlen, n, nlen, "needle"));
    *out = as_offset(search_last((const uchar *)h, hlen, (const uchar *)n, nlen));
    return HP_OK;
}

hp_status hp_count(uint64_t *out, const char *h, size_t hlen, const char *n, size_t nlen,
                   int overlapping) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = 0;
    HP_FORWARD_IF_ERROR(check_pair(h, hlen, n, nlen, "needle"));
    HP_FORWARD_IF_ERROR(check_overlapping(overlapping));
    sink s = {.limit = SIZE_MAX};
    search_forward(&s, (const uchar *)h, hlen, (const uchar *)n, nlen, overlapping != 0);
    *out = s.count;
    return HP_OK;
}

size_t hp_find_all_bound(size_t hlen, size_t nlen) {
    if (nlen > hlen) return 0;
    if (nlen == 0) return hlen == SIZE_MAX ? SIZE_MAX : hlen + 1;
    return hlen - nlen + 1;
}

hp_status hp_find_all(int64_t *out, size_t capacity, size_t *out_count, const char *h,
                      size_t hlen, const char *n, size_t nlen, int overlapping) {
    HP_CHECK_NOT_NULL(out_count, "out_count");
    *out_count = 0;
    HP_FORWARD_IF_ERROR(check_pair(h, hlen, n, nlen, "needle"));
    HP_RETURN_IF(out == NULL && capacity > 0, HP_EINVAL, "out is NULL but capacity is %zu",
                 capacity);
    HP_FORWARD_IF_ERROR(check_overlapping(overlapping));
    sink s = {.out = out, .cap = capacity, .limit = SIZE_MAX};
    search_forward(&s, (const uchar *)h, hlen, (const uchar *)n, nlen, overlapping != 0);
    *out_count = s.count;
    HP_RETURN_IF(s.count > capacity, HP_EBUFSIZE, "output needs %zu offsets, capacity %zu",
                 s.count, capacity);
    return HP_OK;
}

hp_status hp_find_all_alloc(int64_t **out, size_t *out_count, const char *h, size_t hlen,
                            const char *n, size_t nlen, int overlapping) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NULL;
    HP_CHECK_NOT_NULL(out_count, "out_count");
    *out_count = 0;
    HP_FORWARD_IF_ERROR(check_pair(h, hlen, n, nlen, "needle"));
    HP_FORWARD_IF_ERROR(check_overlapping(overlapping));
    sink s = {.limit = SIZE_MAX, .max_cap = hp_find_all_bound(hlen, nlen), .grow = true};
    search_forward(&s, (const uchar *)h, hlen, (const uchar *)n, nlen, overlapping != 0);
    if (s.nomem) {
        hp__free(s.out);
        return hp__fail(HP_ENOMEM, "cannot allocate the offsets of more than %zu matches",
                        s.count);
    }
    if (s.count == 0) {
        hp__free(s.out);
        return HP_OK;
    }
    if (s.cap > s.count) { /* give back the unused part of the last doubling */
        int64_t *fit = hp__realloc(s.out, s.count * sizeof *fit);
        if (fit != NULL) s.out = fit;
    }
    *out = s.out;
    *out_count = s.count;
    return HP_OK;
}

/* Value-returning: bad arguments give 0, with the status recorded by check_pair. */
int hp_starts_with(const char *h, size_t hlen, const char *p, size_t plen) {
    if (check_pair(h, hlen, p, plen, "prefix") != HP_OK) return 0;
    return plen <= hlen && (plen == 0 || memcmp(h, p, plen) == 0);
}

int hp_ends_with(const char *h, size_t hlen, const char *p, size_t plen) {
    if (check_pair(h, hlen, p, plen, "suffix") != HP_OK) return 0;
    return plen <= hlen && (plen == 0 || memcmp(h + (hlen - plen), p, plen) == 0);
}

hp_status hp_find_byteset(int64_t *out, const char *h, size_t hlen, const char *set,
                          size_t set_len) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = -1;
    HP_FORWARD_IF_ERROR(check_pair(h, hlen, set, set_len, "set"));
    if (hlen == 0 || set_len == 0) return HP_OK;
    byteset bs;
    byteset_init(&bs, (const uchar *)set, set_len);
    *out = as_offset(find_set(&bs, (const uchar *)h, hlen));
    return HP_OK;
}

hp_status hp_rfind_byteset(int64_t *out, const char *h, size_t hlen, const char *set,
                           size_t set_len) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = -1;
    HP_FORWARD_IF_ERROR(check_pair(h, hlen, set, set_len, "set"));
    if (hlen == 0 || set_len == 0) return HP_OK;
    byteset bs;
    byteset_init(&bs, (const uchar *)set, set_len);
    *out = as_offset(rfind_set(&bs, (const uchar *)h, hlen));
    return HP_OK;
}
