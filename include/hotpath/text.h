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
