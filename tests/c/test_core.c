/* Core ABI: version, status table, thread-local errors, allocator hooks, batches, SIMD. */
#include "internal/common.h"
#include "suites.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

START_TEST(test_core__version_matches_header) {
    ck_assert_uint_eq(hp_version(), HP_VERSION_NUMBER);
    char expect[32];
    snprintf(expect, sizeof expect, "%d.%d.%d", HP_VERSION_MAJOR, HP_VERSION_MINOR,
             HP_VERSION_PATCH);
    ck_assert_str_eq(hp_version_string(), expect);
}
END_TEST

START_TEST(test_core__status_names_and_messages) {
#define CHECK_ENTRY(name, value, message)                 \
    ck_assert_int_eq(name, value);                        \
    ck_assert_str_eq(hp_status_name(value), #name);       \
    ck_assert_str_eq(hp_strerror(value), message);
    HP_STATUS_TABLE(CHECK_ENTRY)
#undef CHECK_ENTRY
    ck_assert_str_eq(hp_status_name(12345), "HP_EUNKNOWN");
    ck_assert_str_eq(hp_strerror(-999), "unknown status");
    ck_assert_int_eq(HP_OK, 0);
}
END_TEST

START_TEST(test_core__status_values_are_negative_and_unique) {
    static const int values[] = {
#define VALUE(name, value, message) value,
        HP_STATUS_TABLE(VALUE)
#undef VALUE
    };
    size_t n = sizeof values / sizeof values[0];
    for (size_t i = 1; i < n; i++) {
        ck_assert_int_lt(values[i], 0);
        for (size_t j = 0; j < i; j++) ck_assert_int_ne(values[i], values[j]);
    }
}
END_TEST

START_TEST(test_core__last_error_records_failure) {
    hp_clear_error();
    ck_assert_int_eq(hp_last_error_status(), HP_OK);
    ck_assert_str_eq(hp_last_error_message(), "");
    ck_assert_int_eq(hp__fail(HP_EBUFSIZE, "output needs %d bytes, capacity %d", 4096, 100),
                     HP_EBUFSIZE);
    ck_assert_int_eq(hp_last_error_status(), HP_EBUFSIZE);
    ck_assert_str_eq(hp_last_error_message(), "output needs 4096 bytes, capacity 100");
    /* success does not clear it */
    double s;
    ck_assert_int_eq(hp_sum_f64(&s, NULL, 0), HP_OK);
    ck_assert_int_eq(hp_last_error_status(), HP_EBUFSIZE);
    hp_clear_error();
    ck_assert_str_eq(hp_last_error_message(), "");
}
END_TEST

START_TEST(test_core__long_message_is_truncated_not_overflowed) {
    char big[2000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    hp__fail(HP_EINVAL, "%s", big);
    size_t n = strlen(hp_last_error_message());
    ck_assert_uint_gt(n, 100);
    ck_assert_uint_lt(n, sizeof big - 1);
}
END_TEST

static void *fail_in_thread(void *arg) {
    (void)arg;
    hp__fail(HP_ENOMEM, "other thread");
    return NULL;
}

START_TEST(test_core__last_error_is_thread_local) {
    hp__fail(HP_EUTF8, "mine");
    pthread_t t;
    ck_assert_int_eq(pthread_create(&t, NULL, fail_in_thread, NULL), 0);
    pthread_join(t, NULL);
    ck_assert_int_eq(hp_last_error_status(), HP_EUTF8);
    ck_assert_str_eq(hp_last_error_message(), "mine");
}
END_TEST

/* A counting allocator to check that every library allocation goes through the hooks. */
static size_t hook_mallocs, hook_reallocs, hook_frees;
static void *count_malloc(size_t n, void *user) {
    ck_assert_ptr_eq(user, &hook_mallocs);
    hook_mallocs++;
    return malloc(n);
}
static void *count_realloc(void *p, size_t n, void *user) {
    (void)user;
    hook_reallocs++;
    return realloc(p, n);
}
static void count_free(void *p, void *user) {
    (void)user;
    hook_frees++;
    free(p);
}

START_TEST(test_core__allocator_hooks_see_every_allocation) {
    ck_assert_uint_eq(hp_live_allocations(), 0);
    ck_assert_int_eq(hp_set_allocator(count_malloc, count_realloc, count_free, &hook_mallocs),
                     HP_OK);
    hp_strings *parts = NULL;
    ck_assert_int_eq(hp_split(&parts, "a,b,c", 5, ",", 1, -1), HP_OK);
    ck_assert_uint_eq(hook_mallocs, 1);
    ck_assert_uint_eq(hp_live_allocations(), 1);
    /* refused while a block is live */
    ck_assert_int_eq(hp_set_allocator(NULL, NULL, NULL, NULL), HP_EBUSY);
    ck_assert_ptr_nonnull(strstr(hp_last_error_message(), "1 blocks"));
    hp_strings_free(parts);
    ck_assert_uint_eq(hook_frees, 1);
    hp_hasher64 *h = NULL;
    ck_assert_int_eq(hp_hasher64_new(&h, 0), HP_OK);
    ck_assert_uint_eq(hook_mallocs, 2);
    hp_hasher64_free(h);
    ck_assert_uint_eq(hook_frees, 2);
    ck_assert_uint_eq(hp_live_allocations(), 0);
    ck_assert_int_eq(hp_set_allocator(NULL, NULL, NULL, NULL), HP_OK);
    ck_assert_int_eq(hp_split(&parts, "a", 1, ",", 1, -1), HP_OK);
    ck_assert_uint_eq(hook_mallocs, 2); /* back on libc */
    hp_strings_free(parts);
}
END_TEST

START_TEST(test_core__allocator_rejects_partial_hooks) {
    ck_assert_int_eq(hp_set_allocator(count_malloc, NULL, count_free, NULL), HP_EINVAL);
    ck_assert_int_eq(hp_set_allocator(NULL, count_realloc, NULL, NULL), HP_EINVAL);
    ck_assert_int_eq(hp_last_error_status(), HP_EINVAL);
}
END_TEST

static void *fail_malloc(size_t n, void *user) {
    (void)n;
    (void)user;
    return NULL;
}

START_TEST(test_core__out_of_memory_is_a_status) {
    ck_assert_int_eq(hp_set_allocator(fail_malloc, count_realloc, count_free, NULL), HP_OK);
    hp_strings *parts = (hp_strings *)&parts;
    ck_assert_int_eq(hp_split(&parts, "a,b", 3, ",", 1, -1), HP_ENOMEM);
    ck_assert_ptr_null(parts);
    hp_hasher64 *h = (hp_hasher64 *)&h;
    ck_assert_int_eq(hp_hasher64_new(&h, 0), HP_ENOMEM);
    ck_assert_ptr_null(h);
    ck_assert_int_eq(hp_set_allocator(NULL, NULL, NULL, NULL), HP_OK);
}
END_TEST

START_TEST(test_core__free_null_is_noop) {
    hp_free(NULL);
    hp_strings_free(NULL);
    hp_hasher64_free(NULL);
    ck_assert_uint_eq(hp_live_allocations(), 0);
}
END_TEST

START_TEST(test_core__strings_check) {
    const int64_t good[] = {2, 2, 5};
    hp_strings b = {"xxabc", good, 2};
    ck_assert_int_eq(hp_strings_check(&b), HP_OK);
    const int64_t bad[] = {0, 3, 1};
    b.offsets = bad;
    ck_assert_int_eq(hp_strings_check(&b), HP_EINVAL);
    ck_assert_ptr_nonnull(strstr(hp_last_error_message(), "index 2"));
    const int64_t neg[] = {-1, 0};
    b.offsets = neg;
    b.count = 1;
    ck_assert_int_eq(hp_strings_check(&b), HP_EINVAL);
    ck_assert_int_eq(hp_strings_check(NULL), HP_EINVAL);
    b.offsets = NULL;
    ck_assert_int_eq(hp_strings_check(&b), HP_EINVAL);
    const int64_t empty[] = {0, 0};
    hp_strings e = {NULL, empty, 1};
    ck_assert_int_eq(hp_strings_check(&e), HP_OK);
    const int64_t some[] = {0, 4};
    e.offsets = some;
    ck_assert_int_eq(hp_strings_check(&e), HP_EINVAL);
    e.count = SIZE_MAX;
    ck_assert_int_eq(hp_strings_check(&e), HP_EOVERFLOW);
}
END_TEST

START_TEST(test_core__simd_levels) {
    hp_simd detected = hp_simd_detected();
    ck_assert_int_ge(detected, HP_SIMD_SCALAR);
    ck_assert_int_le(detected, HP_SIMD_NEON);
    uint32_t f = hp_cpu_features();
#if defined(__x86_64__)
    ck_assert(f & HP_CPU_SSE2);
    if (detected >= HP_SIMD_AVX2) ck_assert(f & HP_CPU_AVX2);
#else
    (void)f;
#endif
    ck_assert_int_eq(hp_simd_set_level(HP_SIMD_SCALAR), HP_OK);
    ck_assert_int_eq(hp_simd_level(), HP_SIMD_SCALAR);
    ck_assert_int_eq(hp_simd_set_level((int)detected), HP_OK);
    ck_assert_int_eq(hp_simd_level(), detected);
    ck_assert_int_eq(hp_simd_set_level(99), HP_EINVAL);
    ck_assert_int_eq(hp_simd_set_level(-1), HP_EINVAL);
    if (detected != HP_SIMD_AVX512 && detected != HP_SIMD_NEON) {
        ck_assert_int_eq(hp_simd_set_level(HP_SIMD_AVX512), HP_ENOTSUP);
        ck_assert_ptr_nonnull(strstr(hp_last_error_message(), "avx512"));
    }
    ck_assert_str_eq(hp_simd_name(HP_SIMD_SCALAR), "scalar");
    ck_assert_str_eq(hp_simd_name(HP_SIMD_AVX2), "avx2");
    ck_assert_str_eq(hp_simd_name(42), "unknown");
    ck_assert_int_eq(hp_simd_level(), detected);
}
END_TEST

START_TEST(test_core__default_threads_positive) {
    ck_assert_uint_ge(hp_default_threads(), 1);
}
END_TEST

Suite *test_core_suite(void) {
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("abi");
    tcase_add_test(tc, test_core__version_matches_header);
    tcase_add_test(tc, test_core__status_names_and_messages);
    tcase_add_test(tc, test_core__status_values_are_negative_and_unique);
    tcase_add_test(tc, test_core__last_error_records_failure);
    tcase_add_test(tc, test_core__long_message_is_truncated_not_overflowed);
    tcase_add_test(tc, test_core__last_error_is_thread_local);
    tcase_add_test(tc, test_core__strings_check);
    tcase_add_test(tc, test_core__simd_levels);
    tcase_add_test(tc, test_core__default_threads_positive);
    suite_add_tcase(s, tc);
    TCase *mem = tcase_create("memory");
    tcase_add_test(mem, test_core__allocator_hooks_see_every_allocation);
    tcase_add_test(mem, test_core__allocator_rejects_partial_hooks);
    tcase_add_test(mem, test_core__out_of_memory_is_a_status);
    tcase_add_test(mem, test_core__free_null_is_noop);
    suite_add_tcase(s, mem);
    return s;
}
