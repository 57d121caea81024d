/* The internal thread pool: coverage of ranges, nesting, concurrency, fork. */
#include "internal/common.h"
#include "internal/pool.h"
#include "suites.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    atomic_uint *hits;
    atomic_uint calls;
} cover_ctx;

static void cover(void *arg, size_t begin, size_t end) {
    cover_ctx *c = arg;
    atomic_fetch_add(&c->calls, 1);
    for (size_t i = begin; i < end; i++) atomic_fetch_add(&c->hits[i], 1);
}

static void check_cover(size_t n, size_t grain, unsigned threads) {
    cover_ctx c = {calloc(n ? n : 1, sizeof(atomic_uint)), 0};
    hp__parallel_for(n, grain, threads, cover, &c);
    for (size_t i = 0; i < n; i++) ck_assert_uint_eq(atomic_load(&c.hits[i]), 1);
    if (n == 0) ck_assert_uint_eq(atomic_load(&c.calls), 0);
    free(c.hits);
}

START_TEST(test_pool__covers_every_index_once) {
    const size_t ns[] = {0, 1, 2, 3, 7, 64, 1000, 4097};
    const size_t grains[] = {0, 1, 3, 64, 10000};
    const unsigned threads[] = {0, 1, 2, 3, 8};
    for (size_t a = 0; a < sizeof ns / sizeof ns[0]; a++)
        for (size_t b = 0; b < sizeof grains / sizeof grains[0]; b++)
            for (size_t t = 0; t < sizeof threads / sizeof threads[0]; t++)
                check_cover(ns[a], grains[b], threads[t]);
    check_cover(100000, 1, 0);
    check_cover(100000, 100000, 0);
}
END_TEST

static void thread_ids(void *arg, size_t begin, size_t end) {
    pthread_t *ids = arg;
    for (size_t i = begin; i < end; i++) ids[i] = pthread_self();
    /* Hold the chunk a moment so a sleeping worker has time to wake and take the
     * others (under valgrind threads run one at a time). */
    struct timespec pause = {0, 2000000};
    nanosleep(&pause, NULL);
}

START_TEST(test_pool__uses_workers_when_asked) {
    if (hp_default_threads() < 2) return; /* single-CPU machine: nothing to show */
    enum { N = 64 };
    pthread_t *ids = calloc(N, sizeof *ids);
    int other = 0;
    for (int attempt = 0; attempt < 10 && !other; attempt++) {
        hp__parallel_for(N, 1, 2, thread_ids, ids);
        for (size_t i = 0; i < N; i++) other |= !pthread_equal(ids[i], pthread_self());
    }
    ck_assert_msg(other, "no chunk ran on a worker thread");
    ck_assert_uint_ge(hp__pool_workers(), 1);
    free(ids);
}
END_TEST

static void nested(void *arg, size_t begin, size_t end) {
    cover_ctx *outer = arg;
    for (size_t i = begin; i < end; i++) {
        cover_ctx inner = {calloc(10, sizeof(atomic_uint)), 0};
        hp__parallel_for(10, 1, 0, cover, &inner); /* pool busy: runs inline */
        for (int k = 0; k < 10; k++) ck_assert_uint_eq(atomic_load(&inner.hits[k]), 1);
        free(inner.hits);
        atomic_fetch_add(&outer->hits[i], 1);
    }
}

START_TEST(test_pool__nested_call_runs_inline) {
    cover_ctx c = {calloc(64, sizeof(atomic_uint)), 0};
    hp__parallel_for(64, 1, 0, nested, &c);
    for (int i = 0; i < 64; i++) ck_assert_uint_eq(atomic_load(&c.hits[i]), 1);
    free(c.hits);
}
END_TEST

static void *concurrent_caller(void *arg) {
    (void)arg;
    for (int r = 0; r < 10; r++) check_cover(2000, 16, 0);
    return NULL;
}

START_TEST(test_pool__concurrent_callers) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) ck_assert_int_eq(pthread_create(&t[i], NULL, concurrent_caller, NULL), 0);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
}
END_TEST

START_TEST(test_pool__child_after_fork_recreates_pool) {
    check_cover(10000, 1, 0); /* make sure the parent pool exists */
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        cover_ctx c = {calloc(10000, sizeof(atomic_uint)), 0};
        hp__parallel_for(10000, 1, 0, cover, &c);
        int ok = 1;
        for (int i = 0; i < 10000; i++) ok &= atomic_load(&c.hits[i]) == 1;
        free(c.hits);
        _exit(ok ? 0 : 3);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    check_cover(10000, 1, 0); /* the parent's pool still works */
}
END_TEST

Suite *test_pool_suite(void) {
    Suite *s = suite_create("pool");
    const struct {
        const char *name;
        const TTest *test;
    } cases[] = {
        {"cover", test_pool__covers_every_index_once},
        {"workers", test_pool__uses_workers_when_asked},
        {"nested", test_pool__nested_call_runs_inline},
        {"concurrent", test_pool__concurrent_callers},
        {"fork", test_pool__child_after_fork_recreates_pool},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_set_timeout(tc, 30);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}
