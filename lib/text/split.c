/*
 * Splitting: hp_split_spans (zero-copy spans, resumable), hp_split_batch and hp_split
 * (copies into a library-allocated batch).
 *
 * Every mode is one "next piece" step over a small cursor (struct splitter): given
 * where the previous piece stopped, find the next piece [b, e) and where the search
 * continues. The drivers only differ in what they do with a piece: write it, count it,
 * or copy it. Keeping the step per mode plain makes each mode read like the CPython
 * loop it reproduces (Objects/stringlib/split.h):
 *
 *   SEP          memchr on the first separator byte, memcmp on the rest; matches are
 *                non-overlapping, left to right. There is always a piece after the last
 *                separator, so `done` marks the end rather than the position.
 *   ANY_BYTE     memchr for a one-byte set, else a 256-bit membership bitmap.
 *   WHITESPACE   bytes.split(): skip a run of " \t\n\v\f\r", take the run up to the
 *                next one. With the maxsplit budget spent, the rest of the input (after
 *                the whitespace that follows the last split) is one piece with its
 *                trailing whitespace kept, exactly as Python.
 *   UNICODE_SPACE and WORDS decode UTF-8 as they go (ASCII bytes by table, other
 *                characters through hp__ucd_is_space / hp__ucd_is_alnum, the generated
 *                tables), validating every character they step over, so a resumed
 *                iteration validates each byte once instead of the whole input per call.
 *                The part of the input the scan never steps over (the rest after
 *                maxsplit) is validated in one go with the SIMD validator. Python's
 *                re `\w` for str is exactly str.isalnum() plus '_' (checked over every
 *                code point by the tests), so WORDS is re.findall(r"\w+").
 *   LINES        bytes.splitlines(): the search for the next '\n' or '\r'; a '\r'
 *                directly followed by '\n' ends one line. AVX2 compares 64 bytes per
 *                step (vpcmpeqb for each byte, OR, vpmovmskb) and hp_split_spans takes
 *                every line ending in a block from its bit mask (byte_pieces_avx2); the
 *                portable path is two bounded memchr calls per line (find_eol_portable).
 *                The same bit-mask driver serves SEP with a one-byte separator and
 *                ANY_BYTE with up to three bytes.
 *
 * The steps above are the portable reference and what hp_split_batch uses. With AVX2,
 * hp_split_spans replaces the byte-at-a-time loops of the run modes (WHITESPACE,
 * UNICODE_SPACE, WORDS) by run edges read off 64-byte class masks (run_pieces_avx2,
 * which explains the rules), and the single-byte modes by byte_pieces_avx2; both are
 * tested against the portable steps piece for piece.
 *
 * Resuming (hp_split_spans with resume != NULL): a call stops when it has found one
 * piece more than fits, and reports that piece's start; the next call restarts the
 * step there. maxsplit counts the splits made by this call, so a caller continuing one
 * split passes maxsplit minus the pieces it has received so far (every piece but the
 * last one ends at a split).
 *
 * hp_split_batch makes two passes (count pieces and bytes, then copy) so the struct,
 * the offsets and the pieces share one exact-size allocation: hp_strings_free is one
 * free and a caller cannot leak half of a result.
 */
#include "internal/common.h"
#include "text/ucd.h"
#include "text/utf8_internal.h"

#include <string.h>

#if HP_HAVE_X86_SIMD
#include <immintrin.h>
#define HP__AVX2 __attribute__((target("avx2")))
#endif

enum { MODE_COUNT = HP_SPLIT_WORDS + 1 };

typedef struct splitter {
    const unsigned char *s;
    size_t len;
    size_t pos; /* where the search for the next piece begins */
    int mode;
    bool done;    /* SEP / ANY_BYTE: the piece that ends at len has been produced */
    bool avx2;    /* AVX2 is allowed for this call (hp__simd() at entry) */
    int64_t left; /* splits still allowed; negative = no limit */
    const unsigned char *sep;
    size_t sep_len;
    uint64_t set[4]; /* ANY_BYTE: membership bitmap */
} splitter;

/* ---------------------------------------------------------------- byte classes */

/* bytes.isspace(): " \t\n\v\f\r". */
static const uint64_t ASCII_SPACE = (1ULL << ' ') | (0x1FULL << '\t');
/* str.isspace() below 0x80 adds the separators U+001C..U+001F. */
static const uint64_t ASCII_USPACE = (1ULL << ' ') | (0x1FULL << '\t') | (0xFULL << 0x1C);

static inline bool is_ascii_space(unsigned char c) {
    return c <= ' ' && ((ASCII_SPACE >> c) & 1);
}
static inline bool is_ascii_uspace(unsigned char c) {
    return c <= ' ' && ((ASCII_USPACE >> c) & 1);
}
static inline bool is_ascii_word(unsigned char c) {
    return (unsigned char)((c | 0x20) - 'a') < 26 || (unsigned char)(c - '0') < 10 || c == '_';
}

/* ---------------------------------------------------------------- UTF-8 */

/* Validate s[from..to) with the best validator for this call; the message gives the
 * absolute offset, as hp_utf8_validate would for the whole input. */
static hp_status validate_range(const unsigned char *s, size_t from, size_t to) {
    if (from >= to) return HP_OK;
    size_t off = 0;
    hp__utf8_error err;
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    if (level >= HP_SIMD_AVX2 && level != HP_SIMD_NEON) {
        err = hp__utf8_validate_avx2(s + from, to - from, &off);
    } else {
        err = hp__utf8_validate_scalar(s + from, to - from, &off);
    }
#else
    err = hp__utf8_validate_scalar(s + from, to - from, &off);
#endif
    if (err == HP__UTF8_OK) return HP_OK;
    return hp__fail(HP_EUTF8, "invalid UTF-8 at byte %zu: %s", from + off,
                    hp__utf8_error_reason(err));
}

/* Decode the multi-byte character led by s[0] (>= 0x80) with avail bytes left, checking
 * it as RFC 3629 does; its width, or 0 if it is not valid UTF-8. */
static inline unsigned decode_checked(const unsigned char *s, size_t avail, uint32_t *cp) {
    unsigned char b0 = s[0];
    if (b0 < 0xC2 || b0 > 0xF4) return 0;
    if (avail < 2 || (s[1] & 0xC0) != 0x80) return 0;
    if (b0 < 0xE0) {
        *cp = ((uint32_t)(b0 & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if (avail < 3 || (s[2] & 0xC0) != 0x80) return 0;
    if (b0 < 0xF0) {
        if ((b0 == 0xE0 && s[1] < 0xA0) || (b0 == 0xED && s[1] > 0x9F)) return 0;
        *cp = ((uint32_t)(b0 & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if (avail < 4 || (s[3] & 0xC0) != 0x80) return 0;
    if ((b0 == 0xF0 && s[1] < 0x90) || (b0 == 0xF4 && s[1] > 0x8F)) return 0;
    *cp = ((uint32_t)(b0 & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
          ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
    return 4;
}

enum { CLASS_SPACE, CLASS_WORD };

/*
 * Step from i over characters that are (want = true) or are not (want = false) in the
 * class; *stop = the first character that breaks the run, or len. Validates every
 * character it steps over, and the one it stops at; an invalid one is reported with the
 * validator's own reason (which rejects exactly what decode_checked rejects).
 */
static hp_status scan_class(const unsigned char *s, size_t len, size_t i, int cls, bool want,
                            size_t *stop) {
    while (i < len) {
        unsigned char c = s[i];
        unsigned width = 1;
        bool in;
        if (c < 0x80) {
            in = cls == CLASS_WORD ? is_ascii_word(c) : is_ascii_uspace(c);
        } else {
            uint32_t cp = 0;
            width = decode_checked(s + i, len - i, &cp);
            if (width == 0) {
                hp_status st = validate_range(s, i, len);
                return st != HP_OK ? st : hp__fail(HP_EUTF8, "invalid UTF-8 at byte %zu", i);
            }
            in = cls == CLASS_WORD ? hp__ucd_is_alnum(cp) : hp__ucd_is_space(cp);
        }
        if (in != want) break;
        i += width;
    }
    *stop = i;
    return HP_OK;
}

/* Writes span [b_, e_) as piece `count` while capacity lasts. Once full: with
 * stop_when_full, records where the next call resumes and runs `full_` (a return);
 * otherwise only counts, for HP_EBUFSIZE. Shared by the AVX2 drivers below, which name
 * their locals out, capacity, count, pos, stopped and stop_when_full. */
#define HP__EMIT_SPAN(b_, e_, full_)                                                               \
    do {                                                                                           \
        if (count < capacity) {                                                                    \
            out[2 * count] = (int64_t)(b_);                                                        \
            out[2 * count + 1] = (int64_t)(e_);                                                    \
        } else if (stop_when_full) {                                                               \
            *pos = (b_);                                                                           \
            *stopped = true;                                                                       \
            full_;                                                                                 \
        }                                                                                          \
        count++;                                                                                   \
    } while (0)

/* ---------------------------------------------------------------- searches */

/* Offset of the next occurrence of sep at or after `from`, or len if none. Multi-byte
 * separators go through hp_find (lib/text/find.c: rare-byte prefilter with a Two-Way
 * fallback), which stays linear where memchr + memcmp would be O(len * sep_len) on
 * inputs like "aaaa...a" split on "aa...ab". Single bytes are a memchr. */
static size_t find_sep(const unsigned char *s, size_t len, size_t from, const unsigned char *sep,
                       size_t sep_len) {
    if (sep_len > len - from) return len;
    if (sep_len == 1) {
        const unsigned char *p = memchr(s + from, sep[0], len - from);
        return p ? (size_t)(p - s) : len;
    }
    int64_t at = -1;
    /* Arguments were checked by the caller, so hp_find cannot fail here. */
    hp_find(&at, (const char *)s + from, len - from, (const char *)sep, sep_len);
    return at < 0 ? len : from + (size_t)at;
}

static size_t find_any(const splitter *sp, size_t from) {
    if (sp->sep_len == 1) {
        const unsigned char *p = memchr(sp->s + from, sp->sep[0], sp->len - from);
        return p ? (size_t)(p - sp->s) : sp->len;
    }
    for (size_t i = from; i < sp->len; i++) {
        unsigned char c = sp->s[i];
        if ((sp->set[c >> 6] >> (c & 63)) & 1) return i;
    }
    return sp->len;
}

#if HP_HAVE_X86_SIMD
/* Bit i set where s[i] is one of the three bytes broadcast in c0, c1, c2 (64 bytes). */
HP__AVX2 static inline uint64_t set_mask64(const unsigned char *s, __m256i c0, __m256i c1,
                                           __m256i c2) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)s);
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + 32));
    __m256i ma =
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(a, c0), _mm256_cmpeq_epi8(a, c1)),
                        _mm256_cmpeq_epi8(a, c2));
    __m256i mb =
        _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(b, c0), _mm256_cmpeq_epi8(b, c1)),
                        _mm256_cmpeq_epi8(b, c2));
    return (uint32_t)_mm256_movemask_epi8(ma) |
           ((uint64_t)(uint32_t)_mm256_movemask_epi8(mb) << 32);
}

/* First '\n' or '\r' at or after from, or len (the step hp_split_batch uses). */
HP__AVX2 static size_t find_eol_avx2(const unsigned char *s, size_t len, size_t from) {
    const __m256i lf = _mm256_set1_epi8('\n'), cr = _mm256_set1_epi8('\r');
    size_t i = from;
    for (; i + 64 <= len; i += 64) {
        uint64_t m = set_mask64(s + i, lf, cr, cr);
        if (m) return i + (size_t)__builtin_ctzll(m);
    }
    for (; i < len; i++) {
        if (s[i] == '\n' || s[i] == '\r') return i;
    }
    return len;
}

/*
 * The hp_split_spans driver for pieces ended by single bytes, AVX2: LINES, SEP with a
 * one-byte separator, ANY_BYTE with up to three bytes. Each 64-byte block gives a mask
 * of the bytes that end a piece, and every set bit is one piece, so one load serves all
 * the pieces that end in the block (lines and fields average a few dozen bytes;
 * restarting a search per piece would reload each block). For LINES, the '\n' of a
 * "\r\n" has its bit too and is skipped because it lies before the next line's start.
 *
 * Starts at *pos with `left` splits allowed (negative: no limit; LINES passes -1).
 * Writes the pieces that fit in capacity and counts the rest; with stop_when_full it
 * stops at the first piece that does not fit instead, leaving its start in *pos and
 * *stopped = true. Returns the number of pieces written or counted.
 */
HP__AVX2 static size_t byte_pieces_avx2(const unsigned char *s, size_t len, size_t *pos,
                                        int64_t *out, size_t capacity, bool stop_when_full,
                                        bool lines, const unsigned char set[3], int64_t left,
                                        bool *stopped) {
    const __m256i c0 = _mm256_set1_epi8((char)set[0]), c1 = _mm256_set1_epi8((char)set[1]),
                  c2 = _mm256_set1_epi8((char)set[2]);
    size_t start = *pos, count = 0;
    *stopped = false;
#define HP__EMIT(b_, e_) HP__EMIT_SPAN(b_, e_, return count)
    if (left != 0) {
        for (size_t i = start;; i += 64) {
            uint64_t m;
            if (i + 64 <= len) {
                m = set_mask64(s + i, c0, c1, c2);
            } else {
                m = 0;
                for (size_t k = i; k < len; k++) {
                    m |= (uint64_t)(s[k] == set[0] || s[k] == set[1] || s[k] == set[2]) << (k - i);
                }
            }
            while (m) {
                size_t e = i + (size_t)__builtin_ctzll(m);
                m &= m - 1;
                if (lines) {
                    if (e < start) continue;
                    HP__EMIT(start, e);
                    start = e + 1 + (s[e] == '\r' && e + 1 < len && s[e + 1] == '\n');
                } else {
                    HP__EMIT(start, e);
                    start = e + 1;
                    if (left > 0 && --left == 0) goto rest;
                }
            }
            if (i + 64 >= len) break;
        }
    }
rest:
    if (!lines || start < len) HP__EMIT(start, len); /* SEP / ANY_BYTE: always a last piece */
#undef HP__EMIT
    *pos = len;
    return count;
}
#endif

/*
 * First '\n' or '\r' at or after from, or len; portable. memchr for '\n' within a
 * window, then memchr for '\r' only up to what that found: neither search runs past the
 * line it returns. (Remembering a whole-input search for the rarer byte is faster in one
 * call, but a resumed iteration would repeat that search over the rest of the input on
 * every call.)
 */
enum { EOL_WINDOW = 4096 };

static size_t find_eol_portable(const unsigned char *s, size_t len, size_t from) {
    while (from < len) {
        size_t end = len - from > EOL_WINDOW ? from + EOL_WINDOW : len;
        const unsigned char *lf = memchr(s + from, '\n', end - from);
        size_t stop = lf ? (size_t)(lf - s) : end;
        const unsigned char *cr = memchr(s + from, '\r', stop - from);
        if (cr) return (size_t)(cr - s);
        if (lf) return stop;
        from = end;
    }
    return len;
}

static size_t find_eol(const splitter *sp, size_t from) {
#if HP_HAVE_X86_SIMD
    if (sp->avx2) return find_eol_avx2(sp->s, sp->len, from);
#endif
    return find_eol_portable(sp->s, sp->len, from);
}

#if HP_HAVE_X86_SIMD
/* ---------------------------------------------------------------- AVX2 runs */

/*
 * WHITESPACE, UNICODE_SPACE and WORDS pieces are maximal runs of "piece" characters
 * (not whitespace; word characters). A byte-at-a-time loop spends most of its time on
 * mispredicted branches at run edges, so the AVX2 driver classifies 64 bytes at once
 * into a mask P of piece bytes and reads the run edges off it: starts = P & ~(P << 1),
 * ends = ~P & (P << 1) (with the previous block's last bit shifted in), each set bit
 * one edge, in order.
 *
 * Only bytes the vector rules can classify alone take that path. Every non-ASCII
 * whitespace character of str.isspace() has lead byte C2, E1, E2 or E3, so for
 * UNICODE_SPACE any other non-ASCII byte is part of a non-space character; for WORDS
 * any non-ASCII byte needs the tables. A block holding such a byte goes through the
 * per-character step (run_class) instead, up to the first character boundary past the
 * block. Unicode text taken by the vector path is not decoded, so the range a call
 * covered is validated at the end with the SIMD validator (run_pieces_avx2's caller).
 */

/* 1 if the character at s[i] belongs to a piece, 0 if it separates pieces, -1 if it is
 * not valid UTF-8 (Unicode modes); its width in *w. */
static inline int run_class(const unsigned char *s, size_t len, size_t i, int mode, unsigned *w) {
    unsigned char c = s[i];
    *w = 1;
    if (mode == HP_SPLIT_WHITESPACE) return !is_ascii_space(c);
    if (c < 0x80) return mode == HP_SPLIT_WORDS ? is_ascii_word(c) : !is_ascii_uspace(c);
    uint32_t cp = 0;
    *w = decode_checked(s + i, len - i, &cp);
    if (*w == 0) return -1;
    return mode == HP_SPLIT_WORDS ? hp__ucd_is_alnum(cp) : !hp__ucd_is_space(cp);
}

/* The error for invalid UTF-8 found by the scalar step: the vector blocks before it were
 * not decoded, so the first invalid byte is searched from the start of the call. */
static hp_status utf8_error_from(const unsigned char *s, size_t from, size_t len) {
    hp_status st = validate_range(s, from, len);
    return st != HP_OK ? st : hp__fail(HP_EINTERNAL, "split: decoder and validator disagree");
}

/* (x - lo) <= span as unsigned bytes: x in [lo, lo + span]. */
HP__AVX2 static inline __m256i in_range(__m256i x, int lo, int span) {
    __m256i v = _mm256_sub_epi8(x, _mm256_set1_epi8((char)lo));
    return _mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8((char)span)), v);
}

/* Piece-byte mask of 32 bytes, and the mask of bytes that need the scalar step. */
HP__AVX2 static inline uint32_t classify32(const unsigned char *p, int mode, uint32_t *hard) {
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)p);
    if (mode == HP_SPLIT_WORDS) {
        __m256i w = _mm256_or_si256(
            _mm256_or_si256(in_range(_mm256_or_si256(x, _mm256_set1_epi8(0x20)), 'a', 25),
                            in_range(x, '0', 9)),
            _mm256_cmpeq_epi8(x, _mm256_set1_epi8('_')));
        *hard = (uint32_t)_mm256_movemask_epi8(x); /* any non-ASCII byte */
        return (uint32_t)_mm256_movemask_epi8(w);
    }
    __m256i sp = _mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8(' ')), in_range(x, 9, 4));
    *hard = 0;
    if (mode == HP_SPLIT_UNICODE_SPACE) {
        sp = _mm256_or_si256(sp, in_range(x, 0x1C, 3));
        __m256i lead = _mm256_or_si256(_mm256_cmpeq_epi8(x, _mm256_set1_epi8((char)0xC2)),
                                       in_range(x, 0xE1, 2));
        *hard = (uint32_t)_mm256_movemask_epi8(lead);
    }
    return ~(uint32_t)_mm256_movemask_epi8(sp);
}

/*
 * The hp_split_spans driver for the run modes, AVX2. Same contract as byte_pieces_avx2
 * (start at *pos with `left` splits; write what fits, count or stop at the rest), plus
 * a status: HP_EUTF8 when a character the scalar step decodes is invalid. always_inline
 * with a constant mode from each caller, so every mode gets its own loop.
 */
HP__AVX2 __attribute__((always_inline)) static inline hp_status
run_pieces_impl(const unsigned char *s, size_t len, size_t *pos, int64_t *out, size_t capacity,
                bool stop_when_full, int64_t left, bool *stopped, size_t *count_out,
                const int mode) {
    const size_t from = *pos;
    size_t count = 0, start = 0, i = from;
    bool in = false;
    unsigned w = 1;
    int c;
    *stopped = false;
#define HP__EMIT(b_, e_) HP__EMIT_SPAN(b_, e_, *count_out = count; return HP_OK)
/* One character by the scalar rules; jumps to rest when the split budget runs out. */
#define HP__STEP()                                                                                 \
    do {                                                                                           \
        if ((c = run_class(s, len, i, mode, &w)) < 0) return utf8_error_from(s, from, len);        \
        if (c && !in) {                                                                            \
            start = i;                                                                             \
            in = true;                                                                             \
        } else if (!c && in) {                                                                     \
            HP__EMIT(start, i);                                                                    \
            in = false;                                                                            \
            if (left > 0 && --left == 0) goto rest;                                                \
        }                                                                                          \
        i += w;                                                                                    \
    } while (0)
    if (left == 0) goto rest;
    while (i < len) {
        if (i + 64 > len) {
            HP__STEP();
            continue;
        }
        uint32_t hard_lo, hard_hi;
        uint64_t piece = classify32(s + i, mode, &hard_lo);
        piece |= (uint64_t)classify32(s + i + 32, mode, &hard_hi) << 32;
        if (hard_lo | hard_hi) {
            for (size_t end = i + 64; i < end;)
                HP__STEP();
            continue;
        }
        uint64_t shifted = (piece << 1) | (uint64_t)in;
        uint64_t starts = piece & ~shifted, edges = starts | (~piece & shifted);
        while (edges) {
            uint64_t bit = edges & (0 - edges);
            size_t at = i + (size_t)__builtin_ctzll(edges);
            edges ^= bit;
            if (starts & bit) {
                start = at;
            } else {
                HP__EMIT(start, at);
                if (left > 0 && --left == 0) {
                    i = at;
                    in = false;
                    goto rest;
                }
            }
        }
        in = (piece >> 63) != 0;
        i += 64;
        /* A character may straddle the block end; its lead byte was classified (for
         * UNICODE_SPACE, not a space: spaces' leads are "hard"), so step over its
         * continuation bytes: the scalar step must start on a character. */
        while (mode == HP_SPLIT_UNICODE_SPACE && i < len && (s[i] & 0xC0) == 0x80)
            i++;
    }
    if (in) HP__EMIT(start, len);
    *pos = len;
    *count_out = count;
    return HP_OK;
rest:
    /* The split budget is spent: skip separators, the rest is one piece. */
    while (i < len && (c = run_class(s, len, i, mode, &w)) == 0)
        i += w;
    if (i < len) {
        if (c < 0) return utf8_error_from(s, from, len);
        HP__EMIT(i, len);
    }
#undef HP__STEP
#undef HP__EMIT
    *pos = len;
    *count_out = count;
    return HP_OK;
}

HP__AVX2 static hp_status run_pieces_avx2(const unsigned char *s, size_t len, size_t *pos,
                                          int64_t *out, size_t capacity, bool stop_when_full,
                                          int64_t left, bool *stopped, size_t *count, int mode) {
    const size_t from = *pos;
    hp_status st;
    switch (mode) {
    case HP_SPLIT_WHITESPACE:
        return run_pieces_impl(s, len, pos, out, capacity, stop_when_full, left, stopped, count,
                               HP_SPLIT_WHITESPACE);
    case HP_SPLIT_WORDS:
        return run_pieces_impl(s, len, pos, out, capacity, stop_when_full, -1, stopped, count,
                               HP_SPLIT_WORDS);
    default:
        st = run_pieces_impl(s, len, pos, out, capacity, stop_when_full, left, stopped, count,
                             HP_SPLIT_UNICODE_SPACE);
        if (st != HP_OK) return st;
        return validate_range(s, from, *stopped ? *pos : len);
    }
}
#endif

/* ---------------------------------------------------------------- the step */

/* One step of every mode: 1 and the piece [*b, *e), 0 when there are no more pieces,
 * or a negative hp_status (HP_EUTF8, message recorded). */
static int next_piece(splitter *sp, size_t *b, size_t *e) {
    const unsigned char *s = sp->s;
    const size_t len = sp->len;
    size_t i = sp->pos, j;
    hp_status st;
    switch (sp->mode) {
    case HP_SPLIT_SEP:
    case HP_SPLIT_ANY_BYTE:
        if (sp->done) return 0;
        j = sp->left == 0              ? len
            : sp->mode == HP_SPLIT_SEP ? find_sep(s, len, i, sp->sep, sp->sep_len)
                                       : find_any(sp, i);
        *b = i;
        *e = j;
        if (j == len) {
            sp->done = true;
        } else {
            sp->pos = j + (sp->mode == HP_SPLIT_SEP ? sp->sep_len : 1);
            if (sp->left > 0) sp->left--;
        }
        return 1;
    case HP_SPLIT_LINES:
        if (i >= len) return 0;
        j = find_eol(sp, i);
        *b = i;
        *e = j;
        sp->pos = j == len ? len : j + 1 + (s[j] == '\r' && j + 1 < len && s[j + 1] == '\n');
        return 1;
    case HP_SPLIT_WHITESPACE:
        while (i < len && is_ascii_space(s[i]))
            i++;
        if (i == len) {
            sp->pos = len;
            return 0;
        }
        j = len;
        if (sp->left != 0) {
            j = i + 1;
            while (j < len && !is_ascii_space(s[j]))
                j++;
            if (sp->left > 0) sp->left--;
        }
        *b = i;
        *e = j;
        sp->pos = j;
        return 1;
    case HP_SPLIT_UNICODE_SPACE:
        if ((st = scan_class(s, len, i, CLASS_SPACE, true, &i)) != HP_OK) return st;
        if (i == len) {
            sp->pos = len;
            return 0;
        }
        if (sp->left == 0) {
            if ((st = validate_range(s, i, len)) != HP_OK) return st;
            j = len;
        } else {
            if ((st = scan_class(s, len, i, CLASS_SPACE, false, &j)) != HP_OK) return st;
            if (sp->left > 0) sp->left--;
        }
        *b = i;
        *e = j;
        sp->pos = j;
        return 1;
    default: /* HP_SPLIT_WORDS */
        if ((st = scan_class(s, len, i, CLASS_WORD, false, &i)) != HP_OK) return st;
        if (i == len) {
            sp->pos = len;
            return 0;
        }
        if ((st = scan_class(s, len, i, CLASS_WORD, true, &j)) != HP_OK) return st;
        *b = i;
        *e = j;
        sp->pos = j;
        return 1;
    }
}

/* Check the arguments every driver shares and set up a cursor at the start of s. */
static hp_status splitter_init(splitter *sp, const char *s, size_t len, int mode, const char *sep,
                               size_t sep_len, int64_t maxsplit) {
    HP_CHECK_INPUT(s, len, "s");
    HP_RETURN_IF(mode < 0 || mode >= MODE_COUNT, HP_EINVAL, "unknown split mode %d", mode);
    memset(sp, 0, sizeof *sp);
    if (mode == HP_SPLIT_SEP || mode == HP_SPLIT_ANY_BYTE) {
        HP_CHECK_INPUT(sep, sep_len, "sep");
        HP_RETURN_IF(sep_len == 0, HP_EINVAL,
                     mode == HP_SPLIT_SEP ? "empty separator" : "empty byte set");
        sp->sep = (const unsigned char *)sep;
        sp->sep_len = sep_len;
        if (mode == HP_SPLIT_ANY_BYTE) {
            for (size_t k = 0; k < sep_len; k++) {
                unsigned char c = sp->sep[k];
                sp->set[c >> 6] |= 1ULL << (c & 63);
            }
        }
    }
    sp->s = (const unsigned char *)s;
    sp->len = len;
    sp->mode = mode;
    sp->left = (mode == HP_SPLIT_LINES || mode == HP_SPLIT_WORDS || maxsplit < 0) ? -1 : maxsplit;
#if HP_HAVE_X86_SIMD
    hp_simd level = hp__simd();
    sp->avx2 = level >= HP_SIMD_AVX2 && level != HP_SIMD_NEON;
#endif
    return HP_OK;
}

/* ---------------------------------------------------------------- public */

size_t hp_split_bound(size_t len) {
    return len == SIZE_MAX ? SIZE_MAX : len + 1;
}

hp_status hp_split_spans(int64_t *out, size_t capacity, size_t *out_count, size_t *resume,
                         const char *s, size_t len, int mode, const char *sep, size_t sep_len,
                         int64_t maxsplit) {
    HP_CHECK_NOT_NULL(out_count, "out_count");
    *out_count = 0;
    HP_RETURN_IF(out == NULL && capacity > 0, HP_EINVAL, "out is NULL but capacity is %zu",
                 capacity);
    splitter sp;
    HP_FORWARD_IF_ERROR(splitter_init(&sp, s, len, mode, sep, sep_len, maxsplit));
    if (resume != NULL) {
        HP_RETURN_IF(*resume > len, HP_EINVAL,
                     "resume offset %zu is past the end of the input (%zu bytes)", *resume, len);
        sp.pos = *resume;
    }

    size_t count = 0, b = 0, e = 0;
    int r;
#if HP_HAVE_X86_SIMD
    if (sp.avx2 && (mode == HP_SPLIT_LINES || (mode == HP_SPLIT_SEP && sep_len == 1) ||
                    (mode == HP_SPLIT_ANY_BYTE && sep_len <= 3))) {
        unsigned char set[3] = {'\n', '\r', '\r'};
        if (mode != HP_SPLIT_LINES) {
            for (size_t k = 0; k < 3; k++)
                set[k] = sp.sep[k < sep_len ? k : 0];
        }
        size_t pos = sp.pos;
        bool stopped = false;
        count = byte_pieces_avx2(sp.s, len, &pos, out, capacity, resume != NULL,
                                 mode == HP_SPLIT_LINES, set, sp.left, &stopped);
        if (resume != NULL) *resume = stopped ? pos : SIZE_MAX;
        *out_count = count;
        HP_RETURN_IF(count > capacity, HP_EBUFSIZE, "output needs %zu pieces, capacity %zu", count,
                     capacity);
        return HP_OK;
    }
    if (sp.avx2 &&
        (mode == HP_SPLIT_WHITESPACE || mode == HP_SPLIT_UNICODE_SPACE || mode == HP_SPLIT_WORDS)) {
        size_t pos = sp.pos;
        bool stopped = false;
        HP_FORWARD_IF_ERROR(run_pieces_avx2(sp.s, len, &pos, out, capacity, resume != NULL, sp.left,
                                            &stopped, &count, mode));
        if (resume != NULL) *resume = stopped ? pos : SIZE_MAX;
        *out_count = count;
        HP_RETURN_IF(count > capacity, HP_EBUFSIZE, "output needs %zu pieces, capacity %zu", count,
                     capacity);
        return HP_OK;
    }
#endif
    while ((r = next_piece(&sp, &b, &e)) > 0) {
        if (count < capacity) {
            out[2 * count] = (int64_t)b;
            out[2 * count + 1] = (int64_t)e;
        } else if (resume != NULL) {
            *resume = b; /* one more piece exists: the next call starts with it */
            *out_count = count;
            return HP_OK;
        }
        count++;
    }
    if (r < 0) return (hp_status)r;
    if (resume != NULL) *resume = SIZE_MAX;
    *out_count = count;
    HP_RETURN_IF(count > capacity, HP_EBUFSIZE, "output needs %zu pieces, capacity %zu", count,
                 capacity);
    return HP_OK;
}

hp_status hp_split_batch(hp_strings **out, const char *s, size_t len, int mode, const char *sep,
                         size_t sep_len, int64_t maxsplit) {
    HP_CHECK_NOT_NULL(out, "out");
    *out = NULL;
    splitter sp;
    HP_FORWARD_IF_ERROR(splitter_init(&sp, s, len, mode, sep, sep_len, maxsplit));

    /* Pass 1: how many pieces, how many bytes. */
    size_t pieces = 0, bytes = 0, b = 0, e = 0;
    int r;
    while ((r = next_piece(&sp, &b, &e)) > 0) {
        pieces++;
        bytes += e - b; /* <= len: pieces never overlap */
    }
    if (r < 0) return (hp_status)r;

    size_t offsets_bytes, total;
    HP_RETURN_IF(!hp__mul_size(pieces + 1, sizeof(int64_t), &offsets_bytes) ||
                     !hp__add_size(sizeof(hp_strings), offsets_bytes, &total) ||
                     !hp__add_size(total, bytes, &total),
                 HP_EOVERFLOW, "split result of %zu pieces does not fit in memory", pieces);
    unsigned char *block = hp__malloc(total);
    HP_RETURN_IF(block == NULL, HP_ENOMEM, "cannot allocate %zu bytes for %zu pieces", total,
                 pieces);
    hp_strings *batch = (hp_strings *)(void *)block;
    int64_t *offsets = (int64_t *)(void *)(block + sizeof(hp_strings));
    char *data = (char *)(block + sizeof(hp_strings) + offsets_bytes);

    /* Pass 2: the same steps again (the input is borrowed and unchanged, and pass 1
     * validated it), copying. */
    (void)splitter_init(&sp, s, len, mode, sep, sep_len, maxsplit);
    size_t used = 0, i = 0;
    offsets[0] = 0;
    while (i < pieces && next_piece(&sp, &b, &e) > 0) {
        if (e > b) memcpy(data + used, s + b, e - b);
        used += e - b;
        offsets[++i] = (int64_t)used;
    }
    batch->data = data;
    batch->offsets = offsets;
    batch->count = pieces;
    *out = batch;
    return HP_OK;
}

hp_status hp_split(hp_strings **out, const char *s, size_t len, const char *sep, size_t sep_len,
                   int64_t maxsplit) {
    return hp_split_batch(out, s, len, HP_SPLIT_SEP, sep, sep_len, maxsplit);
}
