/*
 * hotpath/text.h — text and byte-string kernels.
 *
 * UTF-8 validation and transcoding, XXH3-compatible 64-bit hashing (one shot, streaming
 * and batched over many strings), and splitting on a separator.
 *
 * Text functions take UTF-8 as (const char *s, size_t len); byte functions take the
 * same shape and treat it as raw bytes. Neither needs a NUL terminator, and s may be
 * NULL only when len is 0. Lengths above HP_MAX_LEN are refused with HP_EOVERFLOW
 * (no real buffer is that large; the check catches negative sizes cast to size_t).
 */
#ifndef HOTPATH_TEXT_H
#define HOTPATH_TEXT_H

#include "core.h"

#if defined(__cplusplus) && !defined(HP_CDEF)
extern "C" {
#endif

/* ---------------------------------------------------------------- UTF-8 */

/*
 * hp_utf8_validate — check that s[0..len) is well-formed UTF-8 (RFC 3629): no
 * overlong forms, no surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no stray
 * continuation bytes, no sequence cut off by the end of the input. This is exactly
 * what Python's bytes.decode('utf-8') accepts.
 *
 * s, len:        the bytes to check (borrowed).
 * error_offset:  OUT, optional (may be NULL): on HP_EUTF8 the offset of the first
 *                byte of the first invalid sequence (what UnicodeDecodeError.start
 *                reports); on HP_OK it is set to len; on other errors left untouched.
 *
 * Returns HP_OK if valid; HP_EUTF8 if not (message: "invalid UTF-8 at byte N: why");
 * HP_EINVAL if s is NULL and len > 0; HP_EOVERFLOW if len > HP_MAX_LEN.
 * Uses AVX2 when hp_simd_level() allows (Keiser–Lemire lookup algorithm).
 * Thread-safe; allocates nothing.
 */
HP_API hp_status hp_utf8_validate(const char *s, size_t len, size_t *error_offset);

/*
 * hp_utf8_to_utf32_bound — the most code points hp_utf8_to_utf32 can write for an
 * input of len bytes (len itself: every code point takes at least one byte).
 */
HP_API size_t hp_utf8_to_utf32_bound(size_t len);

/*
 * hp_utf8_to_utf32 — decode UTF-8 into code points (caller-buffer pattern).
 *
 * out:       OUT, caller buffer of `capacity` uint32 code points (may be NULL when
 *            capacity is 0, e.g. to ask for the size).
 * capacity:  number of elements out can hold.
 * out_len:   OUT, required: the number of code points written on HP_OK; the number
 *            needed on HP_EBUFSIZE; the offset of the first bad byte on HP_EUTF8;
 *            0 on HP_EINVAL or HP_EOVERFLOW.
 * s, len:    UTF-8 input (borrowed).
 *
 * Returns HP_OK; HP_EBUFSIZE if capacity is too small (nothing useful is in out, the
 * message says "output needs N code points, capacity M"); HP_EUTF8 on invalid input;
 * HP_EINVAL for NULL out_len, NULL s with len > 0, or NULL out with capacity > 0;
 * HP_EOVERFLOW if len > HP_MAX_LEN. Thread-safe; allocates nothing.
 */
HP_API hp_status hp_utf8_to_utf32(uint32_t *out, size_t capacity, size_t *out_len,
                                  const char *s, size_t len);

/*
 * hp_ascii_prefix — length of the longest prefix of s[0..len) that is all ASCII
 * (bytes < 0x80); equal to len exactly when s is ASCII. Value-returning: for s NULL
 * with len > 0 (HP_EINVAL) or len > HP_MAX_LEN (HP_EOVERFLOW) it returns 0 and records
 * the status for hp_last_error_status(). SIMD (AVX2) when available. Thread-safe.
 */
HP_API size_t hp_ascii_prefix(const char *s, size_t len);

/*
 * hp_utf8_count — number of code points in UTF-8 text (validating it).
 *
 * out:    OUT, the count on HP_OK; the offset of the first bad byte on HP_EUTF8;
 *         untouched on argument errors.
 * s, len: UTF-8 input (borrowed).
 * Returns HP_OK; HP_EUTF8; HP_EINVAL (NULL out, or NULL s with len > 0); HP_EOVERFLOW.
 * Thread-safe; allocates nothing.
 */
HP_API hp_status hp_utf8_count(size_t *out, const char *s, size_t len);

/*
 * hp_utf8_offset_to_index — convert byte offsets into UTF-8 text to code-point indices
 * (so Python callers can slice str with results computed on the UTF-8 bytes).
 *
 * offsets:  IN/OUT, n byte offsets in ascending order, each <= len and on a character
 *           boundary; each is replaced by the number of code points before it.
 * s, len:   the UTF-8 text the offsets refer to (assumed valid: validate it first).
 * Returns HP_OK; HP_EINVAL for NULL arguments (with n or len > 0), offsets that are
 * negative, decrease, exceed len, or fall inside a character (the message names the
 * index); HP_EOVERFLOW for len > HP_MAX_LEN or n > HP_MAX_LEN / 8. On error the array
 * is left unchanged. Thread-safe; allocates nothing.
 */
HP_API hp_status hp_utf8_offset_to_index(int64_t *offsets, size_t n, const char *s, size_t len);

/*
 * hp_utf32_to_utf8_bound — the most bytes hp_utf32_to_utf8 can write for n code points (4n).
 * Saturates at SIZE_MAX.
 */
HP_API size_t hp_utf32_to_utf8_bound(size_t n);

/*
 * hp_utf32_to_utf8 — encode code points as UTF-8 (caller-buffer pattern).
 *
 * out, capacity: OUT, caller buffer of `capacity` bytes (out may be NULL if capacity is 0).
 * out_len:       OUT, required: bytes written on HP_OK; bytes needed on HP_EBUFSIZE;
 *                the index of the bad code point on HP_ERANGE; 0 on other errors.
 * cps, n:        the code points (borrowed).
 * Returns HP_OK; HP_EBUFSIZE; HP_ERANGE for a surrogate (U+D800..U+DFFF) or a value
 * above U+10FFFF ("code point 0x110000 at index 3 is not a Unicode scalar value");
 * HP_EINVAL for NULL out_len / cps with n > 0 / out with capacity > 0; HP_EOVERFLOW
 * for n > HP_MAX_LEN / 4.
 * Thread-safe; allocates nothing.
 */
HP_API hp_status hp_utf32_to_utf8(char *out, size_t capacity, size_t *out_len,
                                  const uint32_t *cps, size_t n);

/* ---------------------------------------------------------------- case mapping */

/*
 * Case mapping of UTF-8 text with the full Unicode mappings (one code point may map to
 * up to three), from tables generated from Python's unicodedata by
 * scripts/gen_unicode_tables.py; hp_unicode_version() names the Unicode version.
 * ASCII runs take a SIMD fast path.
 *
 *   hp_utf8_casefold        — as Python's str.casefold()
 *   hp_utf8_lower           — as str.lower() (including U+0130 -> "i̇" and the final
 *                             sigma rule: Σ becomes ς at the end of a word)
 *   hp_utf8_upper           — as str.upper()
 *   hp_utf8_default_process — exactly rapidfuzz.utils.default_process: every character
 *                             that is not alphanumeric in RapidFuzz's own table becomes a
 *                             space, letters are lowercased with RapidFuzz's simple
 *                             (one-to-one) mapping, then leading and trailing whitespace
 *                             is trimmed.
 *
 * All four use the caller-buffer pattern:
 * out, capacity: OUT, caller buffer (out may be NULL when capacity is 0).
 * out_len:       OUT, required: bytes written on HP_OK; bytes needed on HP_EBUFSIZE;
 *                offset of the first bad byte on HP_EUTF8; 0 otherwise.
 * s, len:        UTF-8 input (borrowed; must not overlap out).
 * Returns HP_OK; HP_EBUFSIZE; HP_EUTF8; HP_EINVAL (NULL out_len, NULL s with len > 0,
 * NULL out with capacity > 0); HP_EOVERFLOW. Thread-safe; allocate nothing.
 */
HP_API hp_status hp_utf8_casefold(char *out, size_t capacity, size_t *out_len, const char *s,
                                  size_t len);
HP_API hp_status hp_utf8_lower(char *out, size_t capacity, size_t *out_len, const char *s,
                               size_t len);
HP_API hp_status hp_utf8_upper(char *out, size_t capacity, size_t *out_len, const char *s,
                               size_t len);
HP_API hp_status hp_utf8_default_process(char *out, size_t capacity, size_t *out_len,
                                         const char *s, size_t len);

/*
 * The same three mappings over arrays of code units of 1, 2 or 4 bytes in native byte
 * order (Latin-1, UCS-2, UTF-32: the three storage kinds of a CPython str), into units
 * of 1, 2 or 4 bytes.
 *
 *   hp_ucs_casefold, hp_ucs_lower (with the final sigma rule), hp_ucs_upper
 *
 * Caller-buffer pattern, counted in units:
 * out, capacity: OUT, caller buffer of capacity units of out_width bytes (out may be
 *                NULL when capacity is 0; its contents are unspecified on failure).
 * out_width:     1, 2 or 4.
 * out_len:       OUT, required: code points written on HP_OK, needed on HP_EBUFSIZE;
 *                the index of the bad unit on HP_ERANGE; 0 otherwise.
 * out_max:       OUT, required: the largest code point of the whole output (0 if it is
 *                empty) on HP_OK and HP_EBUFSIZE; 0 otherwise. A first call with
 *                capacity 0 measures (out_len, out_max); the second writes.
 * s, n, width:   n input units of width 1, 2 or 4 bytes (borrowed; must not overlap out).
 * Returns HP_OK; HP_EBUFSIZE if out_len > capacity or out_max does not fit out_width;
 * HP_ERANGE for a unit that is not a Unicode scalar value (a surrogate U+D800..U+DFFF
 * or a value above U+10FFFF: "code point 0xD800 at index 3 is not a Unicode scalar
 * value"); HP_EINVAL (NULL out_len / out_max, NULL
 * s with n > 0, NULL out with capacity > 0, a width or out_width not 1, 2 or 4);
 * HP_EOVERFLOW if n * width or capacity * out_width exceeds HP_MAX_LEN.
 * Thread-safe; allocate nothing.
 */
HP_API hp_status hp_ucs_casefold(void *out, size_t capacity, size_t out_width,
                                 size_t *out_len, uint32_t *out_max, const void *s, size_t n,
                                 size_t width);
HP_API hp_status hp_ucs_lower(void *out, size_t capacity, size_t out_width, size_t *out_len,
                              uint32_t *out_max, const void *s, size_t n, size_t width);
HP_API hp_status hp_ucs_upper(void *out, size_t capacity, size_t out_width, size_t *out_len,
                              uint32_t *out_max, const void *s, size_t n, size_t width);

/*
 * hp_utf8_case_bound — the most bytes any of the four case functions above can write
 * for len input bytes (len times the largest expansion in the tables, 3). Saturates.
 */
HP_API size_t hp_utf8_case_bound(size_t len);

/*
 * hp_unicode_version — the Unicode version of the case and property tables, e.g. "15.0.0".
 * A static string.
 */
HP_API const char *hp_unicode_version(void);

/* ---------------------------------------------------------------- search */

/*
 * Substring search over raw bytes (haystack h[0..hlen), needle n[0..nlen)), with
 * Python's semantics for the empty needle: it is found at every position 0..hlen.
 * Results are byte offsets. Every function: HP_EINVAL for a NULL OUT pointer or a NULL
 * input with a non-zero length, HP_EOVERFLOW for a length above HP_MAX_LEN.
 * Thread-safe; allocate nothing unless they say so.
 *
 * hp_find  — OUT *out = offset of the first occurrence, or -1 (bytes.find).
 * hp_rfind — OUT *out = offset of the last occurrence, or -1 (bytes.rfind).
 * hp_count — OUT *out = number of occurrences; overlapping = 0 counts non-overlapping
 *            ones left to right (bytes.count), 1 counts every start position; any other
 *            value is HP_EINVAL.
 */
HP_API hp_status hp_find(int64_t *out, const char *h, size_t hlen, const char *n, size_t nlen);
HP_API hp_status hp_rfind(int64_t *out, const char *h, size_t hlen, const char *n, size_t nlen);
HP_API hp_status hp_count(uint64_t *out, const char *h, size_t hlen, const char *n, size_t nlen,
                          int overlapping);

/*
 * hp_find_all — offsets of all occurrences, in increasing order (caller-buffer pattern).
 *
 * out, capacity: OUT, caller array of `capacity` offsets (NULL if capacity is 0).
 * out_count:     OUT, required: offsets written on HP_OK; offsets needed on HP_EBUFSIZE.
 * overlapping:   as for hp_count.
 * Returns HP_OK; HP_EBUFSIZE ("output needs N offsets, capacity M"); HP_EINVAL;
 * HP_EOVERFLOW.
 */
HP_API hp_status hp_find_all(int64_t *out, size_t capacity, size_t *out_count, const char *h,
                             size_t hlen, const char *n, size_t nlen, int overlapping);

/*
 * hp_find_all_bound — the most offsets hp_find_all can return: hlen - nlen + 1, or 0 if
 * nlen > hlen (hlen + 1 for an empty needle).
 */
HP_API size_t hp_find_all_bound(size_t hlen, size_t nlen);

/*
 * hp_find_all_alloc — hp_find_all into a library-allocated array.
 * out:       OUT, receives the array (NULL when there are no matches); release it
 *            with hp_free().
 * out_count: OUT, the number of offsets.
 * Returns as hp_find_all, plus HP_ENOMEM; on error *out is NULL and *out_count 0.
 */
HP_API hp_status hp_find_all_alloc(int64_t **out, size_t *out_count, const char *h, size_t hlen,
                                   const char *n, size_t nlen, int overlapping);

/*
 * hp_starts_with / hp_ends_with — 1 if h begins / ends with p, else 0. Value-returning:
 * a NULL pointer with a non-zero length returns 0 and records HP_EINVAL.
 */
HP_API int hp_starts_with(const char *h, size_t hlen, const char *p, size_t plen);
HP_API int hp_ends_with(const char *h, size_t hlen, const char *p, size_t plen);

/*
 * hp_find_byteset / hp_rfind_byteset — OUT *out = offset of the first / last byte of h
 * that is one of set[0..set_len) (as strpbrk / strcspn with explicit lengths), or -1.
 * An empty set never matches.
 */
HP_API hp_status hp_find_byteset(int64_t *out, const char *h, size_t hlen, const char *set,
                                 size_t set_len);
HP_API hp_status hp_rfind_byteset(int64_t *out, const char *h, size_t hlen, const char *set,
                                  size_t set_len);

/* ---------------------------------------------------------------- split and tokenize */

/* What separates the pieces in hp_split_spans / hp_split_batch. */
typedef enum hp_split_mode {
    HP_SPLIT_SEP = 0,          /* every occurrence of sep, empty pieces kept (bytes.split(sep)) */
    HP_SPLIT_ANY_BYTE = 1,     /* every byte that is in the set sep, empty pieces kept */
    HP_SPLIT_WHITESPACE = 2,   /* runs of ASCII whitespace " \t\n\v\f\r", no empty pieces,
                                  leading/trailing whitespace ignored (bytes.split()) */
    HP_SPLIT_UNICODE_SPACE = 3,/* runs of Unicode whitespace in UTF-8 text (str.split());
                                  HP_EUTF8 on invalid text */
    HP_SPLIT_LINES = 4,        /* lines ended by "\n", "\r\n" or "\r"; no empty last piece
                                  after a final line break (bytes.splitlines()) */
    HP_SPLIT_WORDS = 5         /* word tokens: maximal runs of Unicode alphanumerics and '_'
                                  in UTF-8 text (re.findall(r"\w+")); HP_EUTF8 on invalid */
} hp_split_mode;

/*
 * hp_split_bound — the most pieces any split mode can produce from len bytes (len + 1).
 */
HP_API size_t hp_split_bound(size_t len);

/*
 * hp_split_spans — split s into zero-copy spans (caller-buffer pattern, resumable).
 *
 * out, capacity: OUT, caller array of 2*capacity int64: piece i is s[out[2i] .. out[2i+1]).
 *                (out may be NULL when capacity is 0.)
 * out_count:     OUT, required: pieces written (HP_OK) or needed (HP_EBUFSIZE).
 * resume:        IN/OUT, optional. NULL: split all of s; if the pieces do not fit,
 *                HP_EBUFSIZE with the number needed. Non-NULL: start at byte *resume
 *                (0 at first; always the start of a piece), write at most `capacity`
 *                pieces, return HP_OK and set *resume to where the next call continues,
 *                or to SIZE_MAX once the last piece is written. Iterating this way
 *                yields exactly the pieces of one call with resume = NULL.
 * s, len:        the input (borrowed).
 * mode:          an hp_split_mode.
 * sep, sep_len:  the separator (HP_SPLIT_SEP, non-empty) or byte set (HP_SPLIT_ANY_BYTE,
 *                non-empty); ignored (may be NULL) for the other modes.
 * maxsplit:      at most this many splits, the last piece holding the rest (as Python's
 *                maxsplit); negative for no limit. With resume it counts the splits of
 *                this call: to continue one split, pass maxsplit minus the pieces
 *                received so far. HP_SPLIT_LINES and HP_SPLIT_WORDS ignore it.
 *                With resume and capacity 0, the call writes nothing and moves *resume
 *                to the next piece start (SIZE_MAX if none). On any error *out_count is 0;
 *                with resume, invalid UTF-8 may be reported by a call whose own pieces
 *                were valid (the check runs ahead).
 * Returns HP_OK; HP_EBUFSIZE; HP_EINVAL (bad mode, empty sep where needed, NULL
 * pointers, *resume > len); HP_EUTF8 (Unicode modes); HP_EOVERFLOW. Thread-safe.
 */
HP_API hp_status hp_split_spans(int64_t *out, size_t capacity, size_t *out_count, size_t *resume,
                                const char *s, size_t len, int mode, const char *sep,
                                size_t sep_len, int64_t maxsplit);

/*
 * hp_split_batch — the same pieces, copied into a new batch (library-allocated pattern;
 * release with hp_strings_free). hp_split(out, s, len, sep, sep_len, maxsplit) is
 * hp_split_batch with HP_SPLIT_SEP. Returns as hp_split_spans (no HP_EBUFSIZE) plus
 * HP_ENOMEM; *out is NULL on error.
 */
HP_API hp_status hp_split_batch(hp_strings **out, const char *s, size_t len, int mode,
                                const char *sep, size_t sep_len, int64_t maxsplit);

/* ---------------------------------------------------------------- transform */

/*
 * hp_replace_bound — the most bytes hp_replace can write (Python's bytes.replace
 * semantics, an empty `old` inserting `new` before every byte and at the end).
 * Returns SIZE_MAX if the size would overflow.
 */
HP_API size_t hp_replace_bound(size_t len, size_t old_len, size_t new_len);

/*
 * hp_replace — s with occurrences of old replaced by new, left to right, not
 * overlapping, at most max_count of them (negative: all), as bytes.replace(old, new,
 * count) (caller-buffer pattern).
 *
 * out, capacity: OUT, caller buffer (NULL if capacity is 0); must not overlap the inputs.
 * out_len:       OUT, required: bytes written (HP_OK) or needed exactly (HP_EBUFSIZE).
 * Returns HP_OK; HP_EBUFSIZE; HP_EINVAL (also "out overlaps an input"); HP_EOVERFLOW.
 * Thread-safe; allocates nothing.
 */
HP_API hp_status hp_replace(char *out, size_t capacity, size_t *out_len, const char *s,
                            size_t len, const char *old, size_t old_len, const char *new_,
                            size_t new_len, int64_t max_count);

/*
 * hp_replace_alloc — hp_replace into a library-allocated buffer of exactly the result
 * size (plus a NUL after it, not counted). Release *out with hp_free(). On error *out
 * is NULL. Returns as hp_replace (no HP_EBUFSIZE) plus HP_ENOMEM.
 */
HP_API hp_status hp_replace_alloc(char **out, size_t *out_len, const char *s, size_t len,
                                  const char *old, size_t old_len, const char *new_,
                                  size_t new_len, int64_t max_count);

/*
 * hp_join — the strings of a batch with sep between them (sep.join(list)) into a caller
 * buffer. out_len: OUT, bytes written (HP_OK) or needed (HP_EBUFSIZE).
 * Returns HP_OK; HP_EBUFSIZE; HP_EINVAL (NULL out_len, malformed batch, ...);
 * HP_EOVERFLOW. Thread-safe; allocates nothing.
 */
HP_API hp_status hp_join(char *out, size_t capacity, size_t *out_len, const hp_strings *batch,
                         const char *sep, size_t sep_len);

/* n-gram units for hp_ngram_spans / hp_ngram_hashes. */
typedef enum hp_ngram_unit {
    HP_NGRAM_BYTES = 0, /* n consecutive bytes */
    HP_NGRAM_CHARS = 1, /* n consecutive code points of UTF-8 text (HP_EUTF8 if invalid) */
    HP_NGRAM_WORDS = 2  /* n consecutive word tokens (as HP_SPLIT_WORDS) */
} hp_ngram_unit;

/*
 * hp_ngram_spans — the n-grams (shingles) of s as spans, in order (caller-buffer pattern).
 *
 * out, capacity: OUT, caller array of 2*capacity int64; n-gram i is s[out[2i] .. out[2i+1])
 *                (for words, from the first word's start to the last word's end).
 * out_count:     OUT, required: n-grams written (HP_OK) or needed (HP_EBUFSIZE). Fewer
 *                than n units give no n-grams.
 * unit, n:       an hp_ngram_unit, and n >= 1 (HP_EINVAL otherwise).
 * Returns HP_OK; HP_EBUFSIZE; HP_EINVAL; HP_EUTF8; HP_EOVERFLOW. Thread-safe.
 */
HP_API hp_status hp_ngram_spans(int64_t *out, size_t capacity, size_t *out_count, const char *s,
                                size_t len, int unit, size_t n);

/*
 * hp_ngram_hashes — hp_hash64 of each n-gram with seed, in order (caller-buffer pattern:
 * capacity hashes; *out_count written or needed). A byte or character n-gram hashes its
 * bytes; a word n-gram hashes its words joined by one space (so "a  b" and "a b" give
 * the same 2-gram hash: hp_hash64(" ".join(words[i:i+n]))).
 * Returns as hp_ngram_spans, plus HP_ENOMEM: a word n-gram longer than 2 KiB whose words
 * are not separated by single spaces is hashed through a streaming hasher, allocated
 * once per call. Thread-safe.
 */
HP_API hp_status hp_ngram_hashes(uint64_t *out, size_t capacity, size_t *out_count,
                                 const char *s, size_t len, int unit, size_t n, uint64_t seed);

/* ---------------------------------------------------------------- hashing */

/*
 * hp_hash64 — 64-bit hash of data[0..len) with a seed. The output is bit-identical to
 * XXH3-64 (XXH3_64bits_withSeed), so hashes can be compared with any xxHash binding.
 * Not cryptographic.
 *
 * Returns the hash. This is one of the few value-returning functions: if data is NULL
 * with len > 0, or len > HP_MAX_LEN, it returns 0 and records HP_EINVAL or
 * HP_EOVERFLOW for hp_last_error_status(). Thread-safe; allocates nothing.
 */
HP_API uint64_t hp_hash64(const char *data, size_t len, uint64_t seed);

/*
 * hp_u128 — a 128-bit value as two 64-bit halves (plain data, versioned on purpose).
 * Python's xxhash.xxh3_128_intdigest is (high << 64) | low.
 */
typedef struct hp_u128 {
    uint64_t low;
    uint64_t high;
} hp_u128;

/*
 * hp_hash128 — 128-bit hash, bit-identical to XXH3-128 (XXH3_128bits_withSeed).
 * Value-returning like hp_hash64: data NULL with len > 0 or len > HP_MAX_LEN returns
 * {0, 0} and records the status. Thread-safe; allocates nothing.
 */
HP_API hp_u128 hp_hash128(const char *data, size_t len, uint64_t seed);

/*
 * hp_hasher64 — streaming form of hp_hash64 (opaque handle pattern). Feeding the same
 * bytes in any split gives the same digest as one hp_hash64 call over all of them.
 * A hasher is mutable: one thread at a time per handle (different handles are
 * independent).
 */
typedef struct hp_hasher64 hp_hasher64;

/*
 * hp_hasher64_new — allocate a hasher with the given seed.
 * out: OUT, receives the handle; release it with hp_hasher64_free().
 * Returns HP_OK; HP_EINVAL if out is NULL; HP_ENOMEM.
 */
HP_API hp_status hp_hasher64_new(hp_hasher64 **out, uint64_t seed);

/*
 * hp_hasher64_update — feed data[0..len) (borrowed; copied into the state as needed).
 * Returns HP_OK; HP_EINVAL if h is NULL or data is NULL with len > 0;
 * HP_EOVERFLOW if len > HP_MAX_LEN.
 */
HP_API hp_status hp_hasher64_update(hp_hasher64 *h, const char *data, size_t len);

/*
 * hp_hasher64_digest — the hash of everything fed since new/reset. Does not change
 * the state: more data may be fed afterwards.
 * out: OUT, receives the hash.
 * Returns HP_OK; HP_EINVAL if h or out is NULL.
 */
HP_API hp_status hp_hasher64_digest(const hp_hasher64 *h, uint64_t *out);

/*
 * hp_hasher64_reset — start over with a new seed, as if just created.
 * Returns HP_OK; HP_EINVAL if h is NULL.
 */
HP_API hp_status hp_hasher64_reset(hp_hasher64 *h, uint64_t seed);

/*
 * hp_hasher64_free — release a hasher. NULL is a no-op.
 */
HP_API void hp_hasher64_free(hp_hasher64 *h);

/*
 * hp_hash64_batch — hp_hash64 of every string of a batch (caller-buffer pattern).
 *
 * out:       OUT, caller array of `capacity` uint64; out[i] = hash of string i.
 * capacity:  must be at least batch->count.
 * batch:     the strings (borrowed; validated with hp_strings_check).
 * seed:      as for hp_hash64.
 * threads:   worker threads, 0 = hp_default_threads(); small batches run on the
 *            calling thread whatever the count.
 *
 * Returns HP_OK; HP_EINVAL for a NULL batch, a malformed batch, or NULL out with
 * capacity >= count > 0; HP_EBUFSIZE if capacity < batch->count (the message gives both
 * numbers; NULL out with capacity 0 asks this way); HP_EOVERFLOW if the count is too
 * large to be real (from hp_strings_check). Thread-safe; allocates nothing.
 */
HP_API hp_status hp_hash64_batch(uint64_t *out, size_t capacity, const hp_strings *batch,
                                 uint64_t seed, unsigned threads);

/* ---------------------------------------------------------------- split */

/*
 * hp_split — split s on every occurrence of sep, like Python's bytes.split(sep,
 * maxsplit): adjacent separators give empty pieces, and n separators give n+1 pieces
 * (an empty s gives one empty piece).
 *
 * out:       OUT, receives a new batch (library-allocated pattern) holding copies of
 *            the pieces; release it with hp_strings_free().
 * s, len:    the bytes to split (borrowed).
 * sep, sep_len: the separator, at least one byte.
 * maxsplit:  at most this many splits (the last piece holds the rest); negative for
 *            no limit.
 *
 * Returns HP_OK; HP_EINVAL for NULL out, NULL s with len > 0, or an empty sep
 * ("empty separator", as Python's ValueError); HP_ENOMEM; HP_EOVERFLOW if len >
 * HP_MAX_LEN. On error *out is set to NULL. Thread-safe.
 */
HP_API hp_status hp_split(hp_strings **out, const char *s, size_t len, const char *sep,
                          size_t sep_len, int64_t maxsplit);

#if defined(__cplusplus) && !defined(HP_CDEF)
}
#endif

#endif /* HOTPATH_TEXT_H */
