/*
 * The internal thread pool behind every parallel kernel (see internal/pool.h).
 *
 * Workers sleep on a condition variable. A job is published under the lock with a new
 * generation number and a number of worker seats; a worker that sees the new
 * generation takes a seat, then every participant (the caller too) claims chunks with
 * an atomic counter until none are left. When the caller runs out of chunks it closes
 * the remaining seats and waits for the seated workers to finish, so a worker that
 * wakes late never touches a finished job.
 *
 * Only one job runs at a time (an atomic "busy" flag): a second caller, or a nested
 * call from inside a chunk, runs its range inline. That keeps the pool free of
 * deadlocks and the code small; kernels that run concurrently from many threads
 * still use every core, one job each.
 *
 * fork(): pthread_atfork's child handler resets the pool to "not started" with fresh
 * mutex and condition variables (the parent's workers do not exist in the child).
 * Unload: a destructor stops and joins the workers.
 */
#include "internal/pool.h"

#include "internal/common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

enum { MAX_WORKERS = 255 };

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_cond_t done;
    pthread_t threads[MAX_WORKERS];
    unsigned workers;
    bool started;
    bool stopping;
    /* the current job */
    uint64_t generation;
    unsigned seats;   /* workers allowed to join */
    unsigned seated;  /* workers that joined */
    unsigned running; /* seated workers not yet finished */
    hp__range_fn fn;
    void *ctx;
    size_t n, chunk, chunks;
    atomic_size_t next_chunk;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER,
          .wake = PTHREAD_COND_INITIALIZER,
          .done = PTHREAD_COND_INITIALIZER};

static atomic_flag busy = ATOMIC_FLAG_INIT;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static unsigned default_threads;
static pthread_once_t threads_once = PTHREAD_ONCE_INIT;

static void read_default_threads(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    const char *env = getenv("HOTPATH_THREADS");
    if (env && *env) {
        char *end;
        long v = strtol(env, &end, 10);
        if (*end == '\0' && v > 0) n = v;
    }
    if (n < 1) n = 1;
    if (n > MAX_WORKERS + 1) n = MAX_WORKERS + 1;
    default_threads = (unsigned)n;
}

unsigned hp_default_threads(void) {
    pthread_once(&threads_once, read_default_threads);
    return default_threads;
}

static void run_chunks(hp__range_fn fn, void *ctx, size_t n, size_t chunk, size_t chunks) {
    for (;;) {
        size_t c = atomic_fetch_add_explicit(&pool.next_chunk, 1, memory_order_relaxed);
        if (c >= chunks) return;
        size_t begin = c * chunk;
        size_t end = begin + chunk < n ? begin + chunk : n;
        fn(ctx, begin, end);
    }
}

static void *worker_main(void *arg) {
    /* The generation at creation: a job published before this thread first takes the
     * lock is still new to it. */
    uint64_t seen = (uint64_t)(uintptr_t)arg;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        while (!pool.stopping && (pool.generation == seen || pool.seated >= pool.seats)) {
            pthread_cond_wait(&pool.wake, &pool.lock);
        }
        if (pool.stopping) break;
        seen = pool.generation;
        pool.seated++;
        pool.running++;
        hp__range_fn fn = pool.fn;
        void *ctx = pool.ctx;
        size_t n = pool.n, chunk = pool.chunk, chunks = pool.chunks;
        pthread_mutex_unlock(&pool.lock);
        run_chunks(fn, ctx, n, chunk, chunks);
        pthread_mutex_lock(&pool.lock);
        if (--pool.running == 0) pthread_cond_signal(&pool.done);
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

static void atfork_child(void) {
    /* Only the forking thread exists in the child: forget the parent's workers. */
    pthread_mutex_init(&pool.lock, NULL);
    pthread_cond_init(&pool.wake, NULL);
    pthread_cond_init(&pool.done, NULL);
    pool.workers = 0;
    pool.started = false;
    pool.stopping = false;
    pool.seats = pool.seated = pool.running = 0;
    atomic_flag_clear(&busy);
}

static void register_atfork(void) { pthread_atfork(NULL, NULL, atfork_child); }

/* Called with pool.lock held. Starts as many workers as it can (possibly none). */
static void start_workers(void) {
    pthread_once(&atfork_once, register_atfork);
    unsigned want = hp_default_threads() - 1;
    pool.started = true;
    pool.stopping = false;
    while (pool.workers < want) {
        if (pthread_create(&pool.threads[pool.workers], NULL, worker_main,
                           (void *)(uintptr_t)pool.generation) != 0) break;
        pool.workers++;
    }
}

unsigned hp__pool_workers(void) {
    pthread_mutex_lock(&pool.lock);
    unsigned w = pool.workers;
    pthread_mutex_unlock(&pool.lock);
    return w;
}

void hp__parallel_for(size_t n, size_t grain, unsigned threads, hp__range_fn fn, void *ctx) {
    if (n == 0) return;
    if (grain == 0) grain = 1;
    if (threads == 0) threads = hp_default_threads();
    size_t max_chunks = (n + grain - 1) / grain;
    if (threads <= 1 || max_chunks <= 1 || atomic_flag_test_and_set(&busy)) {
        fn(ctx, 0, n);
        return;
    }
    pthread_mutex_lock(&pool.lock);
    if (!pool.started) start_workers();
    unsigned participants = threads < pool.workers + 1 ? threads : pool.workers + 1;
    if (participants <= 1) {
        pthread_mutex_unlock(&pool.lock);
        atomic_flag_clear(&busy);
        fn(ctx, 0, n);
        return;
    }
    /* About four chunks per participant balances uneven chunks without much overhead. */
    size_t chunks = (size_t)participants * 4;
    if (chunks > max_chunks) chunks = max_chunks;
    size_t chunk = (n + chunks - 1) / chunks;
    chunks = (n + chunk - 1) / chunk;
    pool.fn = fn;
    pool.ctx = ctx;
    pool.n = n;
    pool.chunk = chunk;
    pool.chunks = chunks;
    atomic_store_explicit(&pool.next_chunk, 0, memory_order_relaxed);
    pool.seats = participants - 1;
    pool.seated = 0;
    pool.generation++;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);

    run_chunks(fn, ctx, n, chunk, chunks);

    pthread_mutex_lock(&pool.lock);
    pool.seats = pool.seated; /* close the door on workers that have not woken yet */
    while (pool.running > 0) pthread_cond_wait(&pool.done, &pool.lock);
    pthread_mutex_unlock(&pool.lock);
    atomic_flag_clear(&busy);
}

__attribute__((destructor)) static void pool_shutdown(void) {
    pthread_mutex_lock(&pool.lock);
    if (!pool.started) {
        pthread_mutex_unlock(&pool.lock);
        return;
    }
    pool.stopping = true;
    pthread_cond_broadcast(&pool.wake);
    unsigned workers = pool.workers;
    pthread_mutex_unlock(&pool.lock);
    for (unsigned i = 0; i < workers; i++) pthread_join(pool.threads[i], NULL);
    pthread_mutex_lock(&pool.lock);
    pool.workers = 0;
    pool.started = false;
    pthread_mutex_unlock(&pool.lock);
}
