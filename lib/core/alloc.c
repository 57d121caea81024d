/*
 * Allocator hooks and the live-block counter.
 *
 * The three hooks and their user pointer are swapped as one struct under a mutex, and
 * read with an acquire load of a pointer to one of two static slots, so an allocation
 * racing with hp_set_allocator sees either the old set or the new one, never a mix.
 * hp_set_allocator refuses while blocks are live: a block must go back to the
 * allocator that made it.
 */
#include "internal/common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

typedef struct allocator {
    hp_malloc_fn malloc_fn;
    hp_realloc_fn realloc_fn;
    hp_free_fn free_fn;
    void *user;
} allocator;

static void *libc_malloc(size_t size, void *user) {
    (void)user;
    return malloc(size);
}
static void *libc_realloc(void *ptr, size_t size, void *user) {
    (void)user;
    return realloc(ptr, size);
}
static void libc_free(void *ptr, void *user) {
    (void)user;
    free(ptr);
}

static allocator slots[2] = {{libc_malloc, libc_realloc, libc_free, NULL},
                             {libc_malloc, libc_realloc, libc_free, NULL}};
static _Atomic(allocator *) current = &slots[0];
static atomic_size_t live_blocks;
static pthread_mutex_t set_lock = PTHREAD_MUTEX_INITIALIZER;

static const allocator *get(void) { return atomic_load_explicit(&current, memory_order_acquire); }

void *hp__malloc(size_t size) {
    const allocator *a = get();
    void *p = a->malloc_fn(size ? size : 1, a->user);
    if (p) atomic_fetch_add_explicit(&live_blocks, 1, memory_order_relaxed);
    return p;
}

void *hp__realloc(void *ptr, size_t size) {
    if (ptr == NULL) return hp__malloc(size);
    const allocator *a = get();
    return a->realloc_fn(ptr, size ? size : 1, a->user);
}

void hp__free(void *ptr) {
    if (ptr == NULL) return;
    const allocator *a = get();
    a->free_fn(ptr, a->user);
    atomic_fetch_sub_explicit(&live_blocks, 1, memory_order_relaxed);
}

void hp_free(void *ptr) { hp__free(ptr); }

size_t hp_live_allocations(void) { return atomic_load_explicit(&live_blocks, memory_order_relaxed); }

hp_status hp_set_allocator(hp_malloc_fn malloc_fn, hp_realloc_fn realloc_fn, hp_free_fn free_fn,
                           void *user) {
    int given = (malloc_fn != NULL) + (realloc_fn != NULL) + (free_fn != NULL);
    HP_RETURN_IF(given != 0 && given != 3, HP_EINVAL,
                 "give all three allocator functions, or none to restore the default");
    pthread_mutex_lock(&set_lock);
    size_t live = hp_live_allocations();
    if (live != 0) {
        pthread_mutex_unlock(&set_lock);
        return hp__fail(HP_EBUSY, "%zu blocks from the current allocator are still live", live);
    }
    allocator *next = (get() == &slots[0]) ? &slots[1] : &slots[0];
    if (given == 0) {
        *next = (allocator){libc_malloc, libc_realloc, libc_free, NULL};
    } else {
        *next = (allocator){malloc_fn, realloc_fn, free_fn, user};
    }
    atomic_store_explicit(&current, next, memory_order_release);
    pthread_mutex_unlock(&set_lock);
    return HP_OK;
}
