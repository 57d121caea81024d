/*
 * lib/internal/common.h — helpers shared by every module (never installed).
 *
 * Error reporting: every caller-visible failure goes through hp__fail(), which stores
 * the status and a formatted message in thread-local storage and returns the status,
 * so a check reads as one line:
 *
 *     HP_RETURN_IF(s == NULL && len > 0, HP_EINVAL, "s is NULL but len is %zu", len);
 *
 * Memory: hp__malloc/hp__realloc/hp__free go through the allocator installed with
 * hp_set_allocator() and keep the live-block count.
 */
#ifndef HOTPATH_INTERNAL_COMMON_H
#define HOTPATH_INTERNAL_COMMON_H

#include "hotpath.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define HP__PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define HP__LIKELY(x) __builtin_expect(!!(x), 1)
#define HP__UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define HP__PRINTF(fmt, args)
#define HP__LIKELY(x) (x)
#define HP__UNLIKELY(x) (x)
#endif

/* Record `status` with a printf-style message for hp_last_error_*; returns status. */
hp_status hp__fail(hp_status status, const char *fmt, ...) HP__PRINTF(2, 3);

#define HP_RETURN_IF(cond, status, ...)                                                   \
    do {                                                                                  \
        if (HP__UNLIKELY(cond)) return hp__fail((status), __VA_ARGS__);                   \
    } while (0)

#define HP_FORWARD_IF_ERROR(expr)                                                         \
    do {                                                                                  \
        hp_status hp__forward_st = (expr);                                                \
        if (hp__forward_st != HP_OK) return hp__forward_st;                              \
    } while (0)

/* The checks every (ptr, len) input gets. `what` names the parameter in messages. */
#define HP_CHECK_INPUT(ptr, len, what)                                                    \
    do {                                                                                  \
        HP_RETURN_IF((len) > HP_MAX_LEN, HP_EOVERFLOW, "%s length %zu exceeds HP_MAX_LEN", \
                     (what), (size_t)(len));                                              \
        HP_RETURN_IF((ptr) == NULL && (len) > 0, HP_EINVAL, "%s is NULL but length is %zu", \
                     (what), (size_t)(len));                                              \
    } while (0)

#define HP_CHECK_NOT_NULL(ptr, what)                                                      \
    HP_RETURN_IF((ptr) == NULL, HP_EINVAL, "%s is NULL", (what))

/* Allocation through the installed allocator. hp__malloc(0) returns a unique block. */
void *hp__malloc(size_t size);
void *hp__realloc(void *ptr, size_t size);
void hp__free(void *ptr);

/* Element types for reading caller arrays of any alignment (the compute API promises
 * "any alignment of T is fine"): the compiler emits unaligned-safe loads for these, where
 * dereferencing a misaligned `const double *` would be undefined behaviour. */
#if defined(__GNUC__)
typedef double hp__u_f64 __attribute__((aligned(1), may_alias));
typedef float hp__u_f32 __attribute__((aligned(1), may_alias));
typedef int64_t hp__u_i64 __attribute__((aligned(1), may_alias));
typedef int32_t hp__u_i32 __attribute__((aligned(1), may_alias));
#else
typedef double hp__u_f64;
typedef float hp__u_f32;
typedef int64_t hp__u_i64;
typedef int32_t hp__u_i32;
#endif

/* a*b and a+b with overflow detection: false on overflow. */
static inline bool hp__mul_size(size_t a, size_t b, size_t *out) {
    return !__builtin_mul_overflow(a, b, out);
}
static inline bool hp__add_size(size_t a, size_t b, size_t *out) {
    return !__builtin_add_overflow(a, b, out);
}

/* Unaligned little-endian loads (memcpy compiles to one mov). */
#include <string.h>
static inline uint64_t hp__load64(const void *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}
static inline uint32_t hp__load32(const void *p) {
    uint32_t v;
    memcpy(&v, p, sizeof v);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

/* The SIMD level kernels should use now (a relaxed atomic load; cheap per call). */
hp_simd hp__simd(void);

#if defined(__x86_64__) && !defined(HP_NO_SIMD)
#define HP_HAVE_X86_SIMD 1
#else
#define HP_HAVE_X86_SIMD 0
#endif

#endif /* HOTPATH_INTERNAL_COMMON_H */
