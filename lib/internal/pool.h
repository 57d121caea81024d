/*
 * lib/internal/pool.h — the library's internal thread pool.
 *
 * One process-wide pool of worker threads, created at first use with
 * hp_default_threads() - 1 workers (the calling thread is the last worker). After
 * fork() the child starts with no pool and creates its own on first use; at unload
 * the workers are told to stop and joined.
 *
 * hp__parallel_for runs fn over [0, n) split into chunks of at least `grain` items on
 * up to `threads` threads (0 = hp_default_threads()), the caller included, and returns
 * when every chunk is done. One parallel job runs at a time: a call that finds the pool
 * busy (another thread's job, or a nested call from inside fn) runs its whole range on
 * the calling thread instead of waiting, so it can neither deadlock nor starve.
 */
#ifndef HOTPATH_INTERNAL_POOL_H
#define HOTPATH_INTERNAL_POOL_H

#include <stddef.h>

typedef void (*hp__range_fn)(void *ctx, size_t begin, size_t end);

void hp__parallel_for(size_t n, size_t grain, unsigned threads, hp__range_fn fn, void *ctx);

/* Number of worker threads currently alive (0 before first use); for tests. */
unsigned hp__pool_workers(void);

#endif /* HOTPATH_INTERNAL_POOL_H */
