/*
 * hotpath/core.h — the core of the hotpath ABI.
 *
 * Every other module header includes this one. It defines:
 *
 *   - the version (compile time HP_VERSION_* and run time hp_version());
 *   - hp_status, the one error convention: 0 is HP_OK, every error is negative,
 *     values are never renumbered; hp_status_name() and hp_strerror() describe them;
 *   - the thread-local error detail, hp_last_error_message(), set by every failing call;
 *   - allocator hooks (hp_set_allocator) and hp_free for library-allocated memory;
 *   - hp_strings, the packed string batch (data + count+1 int64 offsets, the Arrow
 *     large-string layout) and its free function;
 *   - CPU feature detection and the SIMD level switch (also HOTPATH_SIMD=...);
 *   - the default thread count used by parallel kernels.
 *
 * Conventions that hold for the whole library (docs/abi.md says them at length):
 *
 *   Strings are (const char *ptr, size_t len), never required to be NUL-terminated;
 *   ptr may be NULL only when len is 0. Inputs are borrowed for the duration of the
 *   call. Outputs follow one of three ownership patterns, named in each function's
 *   comment: (a) caller buffer with capacity, HP_EBUFSIZE when too small, (b) library
 *   allocation released by the matching hp_*_free, (c) opaque handle new/free.
 *   Every function may be called from any thread at the same time as any other,
 *   unless its comment says otherwise.
 */
#ifndef HOTPATH_CORE_H
#define HOTPATH_CORE_H

/* HP_CDEF is defined when the header is preprocessed into cffi declarations: the
 * parser takes no includes, attributes or extern "C", so they are left out. */
#ifndef HP_CDEF
#include <stddef.h>
#include <stdint.h>
#endif

#if defined(HP_CDEF)
#define HP_API
#elif defined(_WIN32)
#if defined(HP_BUILDING_LIBRARY)
#define HP_API __declspec(dllexport)
#else
#define HP_API __declspec(dllimport)
#endif
#elif defined(__GNUC__)
#define HP_API __attribute__((visibility("default")))
#else
#define HP_API
#endif

#if defined(__cplusplus) && !defined(HP_CDEF)
extern "C" {
#endif

/* ---------------------------------------------------------------- version */

#define HP_VERSION_MAJOR 0
#define HP_VERSION_MINOR 1
#define HP_VERSION_PATCH 0
/* HP_VERSION_NUMBER packs the three as major*1000000 + minor*1000 + patch. */
#define HP_VERSION_NUMBER (HP_VERSION_MAJOR * 1000000 + HP_VERSION_MINOR * 1000 + HP_VERSION_PATCH)

/*
 * hp_version — the version of the library loaded at run time.
 *
 * Returns major*1000000 + minor*1000 + patch, to compare with HP_VERSION_NUMBER of
 * the header a program was built against. Bindings refuse a library whose major
 * version differs from theirs. Never fails; thread-safe.
 */
HP_API uint32_t hp_version(void);

/*
 * hp_version_string — the same version as "MAJOR.MINOR.PATCH".
 *
 * Returns a static NUL-terminated string owned by the library. Never fails.
 */
HP_API const char *hp_version_string(void);

/* The largest length any hotpath function accepts, in bytes or elements. Larger
 * values are refused with HP_EOVERFLOW: no real buffer is that large, so such a size
 * is a bug (often a negative number cast to size_t). */
#define HP_MAX_LEN ((size_t)PTRDIFF_MAX)

/* ---------------------------------------------------------------- status */

/*
 * HP_STATUS_TABLE(X) — the one table of status codes: X(name, value, message).
 * The enum, hp_status_name() and hp_strerror() are all generated from it.
 * Values are part of the ABI: new codes are appended, none is ever renumbered.
 */
#define HP_STATUS_TABLE(X)                                                          \
    X(HP_OK, 0, "success")                                                          \
    X(HP_EINVAL, -1, "invalid argument")                                            \
    X(HP_ENOMEM, -2, "out of memory")                                               \
    X(HP_EBUFSIZE, -3, "output buffer too small")                                   \
    X(HP_EUTF8, -4, "invalid UTF-8")                                                \
    X(HP_EOVERFLOW, -5, "size overflow")                                            \
    X(HP_ERANGE, -6, "value out of range")                                          \
    X(HP_ECANCELLED, -7, "operation cancelled")                                     \
    X(HP_ENOTSUP, -8, "not supported")                                              \
    X(HP_EBUSY, -9, "resource busy")                                                \
    X(HP_EINTERNAL, -10, "internal error")

#define HP_STATUS_ENUM_ENTRY_(name, value, message) name = value,
typedef enum hp_status { HP_STATUS_TABLE(HP_STATUS_ENUM_ENTRY_) } hp_status;
#undef HP_STATUS_ENUM_ENTRY_

/*
 * hp_status_name — the symbolic name of a status, e.g. "HP_EUTF8".
 *
 * Returns a static string; "HP_EUNKNOWN" for a value not in the table.
 * Never fails; thread-safe.
 */
HP_API const char *hp_status_name(int status);

/*
 * hp_strerror — a short generic description of a status, e.g. "invalid UTF-8".
 *
 * Returns a static string; "unknown status" for a value not in the table. For the
 * detail of one failure (offsets, sizes) use hp_last_error_message() instead.
 * Never fails; thread-safe.
 */
HP_API const char *hp_strerror(int status);

/*
 * hp_last_error_message — the detail of the most recent failure on this thread,
 * e.g. "invalid UTF-8 at byte 17: truncated sequence" or
 * "output needs 4096 elements, capacity 100".
 *
 * Returns a NUL-terminated string in thread-local storage, valid until the next
 * failing hotpath call on the same thread; "" if no call has failed on this thread.
 * Successful calls do not clear it: read it right after the call that failed.
 * Never fails; thread-safe (each thread sees only its own failures).
 */
HP_API const char *hp_last_error_message(void);

/*
 * hp_last_error_status — the status of the most recent failure on this thread,
 * or HP_OK if no call has failed on this thread. Pairs with hp_last_error_message();
 * also how the few value-returning functions (hp_hash64) report a bad argument.
 */
HP_API hp_status hp_last_error_status(void);

/*
 * hp_clear_error — forget the last failure on this thread (status HP_OK, message "").
 */
HP_API void hp_clear_error(void);

/* ---------------------------------------------------------------- memory */

typedef void *(*hp_malloc_fn)(size_t size, void *user);
typedef void *(*hp_realloc_fn)(void *ptr, size_t size, void *user);
typedef void (*hp_free_fn)(void *ptr, void *user);

/*
 * hp_set_allocator — route every allocation the library makes through these functions.
 *
 * malloc_fn, realloc_fn, free_fn: all three, or all three NULL to restore libc's.
 * user:                           passed unchanged as the last argument of each call.
 *
 * Memory must not change hands between allocators, so the switch is refused while
 * anything allocated by the current one is still live (results not yet freed, open
 * handles). Call it once at start-up, before other hotpath calls.
 *
 * Returns HP_OK; HP_EINVAL if only some functions are NULL; HP_EBUSY if allocations
 * made through the current allocator are still live.
 * Thread safety: do not call it while other threads are inside hotpath.
 */
HP_API hp_status hp_set_allocator(hp_malloc_fn malloc_fn, hp_realloc_fn realloc_fn,
                                  hp_free_fn free_fn, void *user);

/*
 * hp_free — release memory that a hotpath function allocated and documented as
 * "release with hp_free". NULL is a no-op. Never pass it memory from elsewhere.
 * Thread-safe.
 */
HP_API void hp_free(void *ptr);

/*
 * hp_live_allocations — the number of blocks allocated by the library and not yet
 * freed. Meant for leak checks in tests and for deciding when hp_set_allocator may
 * be called. Thread-safe.
 */
HP_API size_t hp_live_allocations(void);

/* ---------------------------------------------------------------- string batches */

/*
 * hp_strings — a packed batch of byte strings: string i is
 * data[offsets[i] .. offsets[i+1]), for i in [0, count). offsets has count+1 entries,
 * offsets[0] is 0 for batches the library builds, and offsets never decrease.
 * This is Arrow's large-string (int64 offsets) layout, so an Arrow array's buffers
 * can be passed without copying.
 *
 * A plain-data struct on purpose: callers may build one over their own buffers to
 * pass a batch in (borrowed for the call). Batches the library returns are owned by
 * the caller and released with hp_strings_free(); their data and offsets live in the
 * same allocation as the struct.
 */
typedef struct hp_strings {
    const char *data;
    const int64_t *offsets;
    size_t count;
} hp_strings;

/*
 * hp_strings_check — validate a caller-built batch: non-NULL offsets, no negative or
 * decreasing offset, data non-NULL when any string is non-empty.
 *
 * Returns HP_OK or HP_EINVAL (the message names the first bad offset).
 * Thread-safe; reads the batch only.
 */
HP_API hp_status hp_strings_check(const hp_strings *batch);

/*
 * hp_strings_free — release a batch returned by a hotpath function. NULL is a no-op.
 * Never pass a batch the caller built.
 */
HP_API void hp_strings_free(hp_strings *batch);

/* ---------------------------------------------------------------- CPU and SIMD */

/* CPU features, as bits of hp_cpu_features(). Only features the OS also enables
 * (XGETBV) are reported. */
typedef enum hp_cpu_feature {
    HP_CPU_SSE2 = 1 << 0,
    HP_CPU_SSE42 = 1 << 1,
    HP_CPU_AVX = 1 << 2,
    HP_CPU_AVX2 = 1 << 3,
    HP_CPU_BMI2 = 1 << 4,
    HP_CPU_FMA = 1 << 5,
    HP_CPU_AVX512F = 1 << 6,
    HP_CPU_AVX512BW = 1 << 7,
    HP_CPU_AVX512VL = 1 << 8,
    HP_CPU_NEON = 1 << 9,
    HP_CPU_POPCNT = 1 << 10
} hp_cpu_feature;

/* SIMD levels, ordered: a higher level may use everything a lower one uses. */
typedef enum hp_simd {
    HP_SIMD_SCALAR = 0, /* portable C, the reference every other path is tested against */
    HP_SIMD_SSE42 = 1,  /* x86-64 SSE4.2 */
    HP_SIMD_AVX2 = 2,   /* x86-64 AVX2 + BMI2 + FMA */
    HP_SIMD_AVX512 = 3, /* x86-64 AVX-512 F/BW/VL */
    HP_SIMD_NEON = 4    /* aarch64 Advanced SIMD (the only level above scalar there) */
} hp_simd;

/*
 * hp_cpu_features — bitwise OR of hp_cpu_feature for this CPU and OS. Never fails.
 */
HP_API uint32_t hp_cpu_features(void);

/*
 * hp_simd_detected — the highest SIMD level this build and CPU support.
 */
HP_API hp_simd hp_simd_detected(void);

/*
 * hp_simd_level — the SIMD level kernels use now: hp_simd_detected(), lowered by the
 * HOTPATH_SIMD environment variable (scalar|sse42|avx2|avx512|neon, read once at
 * first use) or by hp_simd_set_level().
 */
HP_API hp_simd hp_simd_level(void);

/*
 * hp_simd_name — "scalar", "sse42", "avx2", "avx512" or "neon"; "unknown" otherwise.
 */
HP_API const char *hp_simd_name(int level);

/*
 * hp_simd_set_level — force kernels down to `level` (for testing SIMD paths against
 * scalar, or to work around a platform problem).
 *
 * Returns HP_OK; HP_EINVAL if level is not an hp_simd value; HP_ENOTSUP if this CPU
 * or build cannot run it (it may only lower or restore the detected level).
 * Thread-safe: the switch is atomic; calls already running finish on the old level.
 */
HP_API hp_status hp_simd_set_level(int level);

/* ---------------------------------------------------------------- threads */

/*
 * hp_default_threads — the thread count parallel kernels use when given 0: the
 * HOTPATH_THREADS environment variable if set to a positive number, else the number
 * of online CPUs. Parallel kernels run on an internal pool, created at first use,
 * re-created in a child after fork(), and joined when the library is unloaded.
 * Never fails; thread-safe.
 */
HP_API unsigned hp_default_threads(void);

#if defined(__cplusplus) && !defined(HP_CDEF)
}
#endif

#endif /* HOTPATH_CORE_H */
