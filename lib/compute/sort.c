/*
 * hp_stats_sort / hp_stats_argsort: stable LSD radix sort.
 *
 * Algorithm: values are mapped to unsigned keys whose unsigned order is the numeric
 * order (signed integers: flip the sign bit; IEEE floats: invert every bit of negatives,
 * set the sign bit of the others — the classic "float flip"), then sorted by counting
 * scatters of one 8-bit digit per pass, least significant first. Each pass is stable, so
 * the whole sort is; a pass whose digit is the same in every key (known from one
 * histogram pass over all digits at key build time) is skipped, so narrow ranges cost
 * fewer passes. Keys are 32-bit for f32/i32 (4 passes at most) and 64-bit otherwise (8).
 *
 * Why radix: for n in the millions it moves each element a fixed number of times with
 * no comparisons or branch mispredictions, where comparison sorts need log2(n) ~ 23
 * levels. Why LSD: every pass is two sequential streams plus 256 write streams, and it
 * parallelises without changing the result: the array is cut into chunks, each chunk
 * counts its digits, a prefix sum over (digit, chunk) gives each chunk its own output
 * offsets, and chunks scatter concurrently while preserving stability.
 *
 * NumPy's ordering: NaNs last and -0.0 equal to 0.0. Both get one canonical key (every
 * NaN the largest key, -0.0 the key of +0.0) so that stability keeps their input order,
 * as numpy.sort(kind='stable') does. The original bits (NaN payloads and signs, the sign
 * of each zero) are saved beforehand in input order when present, and written back into
 * the NaN run and the zero run of the output.
 */
#include "internal/common.h"
#include "stats_internal.h"

#include <math.h>
#include <string.h>

enum { RADIX = 256, MAX_CHUNKS = 64 };

#define SIGN64 ((uint64_t)1 << 63)
#define SIGN32 ((uint32_t)1 << 31)

typedef enum phase { PH_KEYS, PH_HIST, PH_SCATTER, PH_UNKEY, PH_SCAN } phase;

typedef struct sort_job {
    phase ph;
    const void *x;
    hp_stats_type t;
    size_t n, chunks;
    int wide;          /* 64-bit keys (else 32-bit) */
    void *keys[2];     /* ping-pong key buffers; keys[cur] holds the current order */
    int64_t *idx[2];   /* argsort: the indices travelling with the keys (else NULL) */
    int cur;
    unsigned shift;    /* digit of this pass */
    size_t (*counts)[8][RADIX]; /* per chunk, per digit: counts, then offsets */
    void *out;         /* sort: the typed output (PH_UNKEY) */
    size_t (*scan)[4]; /* PH_SCAN per chunk: NaNs, zeros, negative zeros, negatives */
} sort_job;

static size_t chunk_begin(const sort_job *j, size_t c) { return j->n / j->chunks * c; }
static size_t chunk_end(const sort_job *j, size_t c) {
    return c + 1 == j->chunks ? j->n : j->n / j->chunks * (c + 1);
}

static inline uint64_t key_f64(uint64_t b) {
    if ((b & ~SIGN64) > 0x7FF0000000000000u) return ~(uint64_t)0; /* NaN */
    if (b == SIGN64) return SIGN64;                               /* -0.0 as 0.0 */
    return (b & SIGN64) ? ~b : b | SIGN64;
}

static inline uint32_t key_f32(uint32_t b) {
    if ((b & ~SIGN32) > 0x7F800000u) return ~(uint32_t)0;
    if (b == SIGN32) return SIGN32;
    return (b & SIGN32) ? ~b : b | SIGN32;
}

/* Builds chunk c's keys (and indices) and counts all of its digits. */
static void build_keys(sort_job *j, size_t c) {
    size_t b = chunk_begin(j, c), e = chunk_end(j, c);
    size_t(*cnt)[RADIX] = j->counts[c];
    memset(cnt, 0, sizeof j->counts[c]);
    int64_t *idx = j->idx[0];
    if (j->wide) {
        uint64_t *k = j->keys[0];
        for (size_t i = b; i < e; i++) {
            uint64_t v;
            switch (j->t) {
            case HP_STATS_F64: v = key_f64(hp__load64((const uint64_t *)j->x + i)); break;
            case HP_STATS_I64: v = (uint64_t)((const hp__u_i64 *)j->x)[i] ^ SIGN64; break;
            default: v = 0; break;
            }
            k[i] = v;
            for (int d = 0; d < 8; d++) cnt[d][(v >> (8 * d)) & 0xFF]++;
        }
    } else {
        uint32_t *k = j->keys[0];
        for (size_t i = b; i < e; i++) {
            uint32_t v;
            if (j->t == HP_STATS_F32) {
                uint32_t bits;
                memcpy(&bits, (const float *)j->x + i, sizeof bits);
                v = key_f32(bits);
            } else {
                v = (uint32_t)((const hp__u_i32 *)j->x)[i] ^ SIGN32;
            }
            k[i] = v;
            for (int d = 0; d < 4; d++) cnt[d][(v >> (8 * d)) & 0xFF]++;
        }
    }
    if (idx)
        for (size_t i = b; i < e; i++) idx[i] = (int64_t)i;
}

static void count_digit(sort_job *j, size_t c) {
    size_t b = chunk_begin(j, c), e = chunk_end(j, c);
    size_t *cnt = j->counts[c][0];
    memset(cnt, 0, RADIX * sizeof *cnt);
    if (j->wide) {
        const uint64_t *k = j->keys[j->cur];
        for (size_t i = b; i < e; i++) cnt[(k[i] >> j->shift) & 0xFF]++;
    } else {
        const uint32_t *k = j->keys[j->cur];
        for (size_t i = b; i < e; i++) cnt[(k[i] >> j->shift) & 0xFF]++;
    }
}

/* Scatters chunk c by the current digit to its offsets (j->counts[c][0]). */
static void scatter(sort_job *j, size_t c) {
    size_t b = chunk_begin(j, c), e = chunk_end(j, c);
    size_t *off = j->counts[c][0];
    unsigned sh = j->shift;
    const int64_t *si = j->idx[j->cur];
    int64_t *di = j->idx[!j->cur];
    if (j->wide) {
        const uint64_t *s = j->keys[j->cur];
        uint64_t *d = j->keys[!j->cur];
        if (si) {
            for (size_t i = b; i < e; i++) {
                size_t p = off[(s[i] >> sh) & 0xFF]++;
                d[p] = s[i];
                di[p] = si[i];
            }
        } else {
            for (size_t i = b; i < e; i++) d[off[(s[i] >> sh) & 0xFF]++] = s[i];
        }
    } else {
        const uint32_t *s = j->keys[j->cur];
        uint32_t *d = j->keys[!j->cur];
        if (si) {
            for (size_t i = b; i < e; i++) {
                size_t p = off[(s[i] >> sh) & 0xFF]++;
                d[p] = s[i];
                di[p] = si[i];
            }
        } else {
            for (size_t i = b; i < e; i++) d[off[(s[i] >> sh) & 0xFF]++] = s[i];
        }
    }
}

/* Writes chunk c of the sorted keys back as values into out. */
static void unkey(sort_job *j, size_t c) {
    size_t b = chunk_begin(j, c), e = chunk_end(j, c);
    if (j->wide) {
        const uint64_t *k = j->keys[j->cur];
        uint64_t *o = j->out;
        if (j->t == HP_STATS_I64) {
            for (size_t i = b; i < e; i++) o[i] = k[i] ^ SIGN64;
        } else {
            for (size_t i = b; i < e; i++) o[i] = (k[i] & SIGN64) ? k[i] ^ SIGN64 : ~k[i];
        }
    } else {
        const uint32_t *k = j->keys[j->cur];
        uint32_t *o = j->out;
        if (j->t == HP_STATS_I32) {
            for (size_t i = b; i < e; i++) o[i] = k[i] ^ SIGN32;
        } else {
            for (size_t i = b; i < e; i++) o[i] = (k[i] & SIGN32) ? k[i] ^ SIGN32 : ~k[i];
        }
    }
}

/* Counts NaNs, zeros, negative zeros and other negatives of chunk c of a float input. */
static void scan_floats(sort_job *j, size_t c) {
    size_t b = chunk_begin(j, c), e = chunk_end(j, c);
    size_t nan = 0, zero = 0, negzero = 0, neg = 0;
    for (size_t i = b; i < e; i++) {
        double v = j->t == HP_STATS_F64 ? ((const hp__u_f64 *)j->x)[i]
                                        : ((const hp__u_f32 *)j->x)[i];
        nan += isnan(v);
        zero += v == 0.0;
        negzero += v == 0.0 && signbit(v);
        neg += v < 0.0;
    }
    j->scan[c][0] = nan, j->scan[c][1] = zero, j->scan[c][2] = negzero, j->scan[c][3] = neg;
}

static void run_chunks(void *ctx, size_t begin, size_t end) {
    sort_job *j = ctx;
    for (size_t c = begin; c < end; c++) {
        switch (j->ph) {
        case PH_KEYS: build_keys(j, c); break;
        case PH_HIST: count_digit(j, c); break;
        case PH_SCATTER: scatter(j, c); break;
        case PH_UNKEY: unkey(j, c); break;
        case PH_SCAN: scan_floats(j, c); break;
        }
    }
}

static void run_phase(sort_job *j, phase ph) {
    j->ph = ph;
    if (j->chunks == 1) run_chunks(j, 0, 1);
    else hp__parallel_for(j->chunks, 1, (unsigned)j->chunks, run_chunks, j);
}

/* The sort proper: keys[0] (and idx[0]) built from x, then the passes; on return
 * keys[cur] / idx[cur] hold the sorted order. */
static void radix_passes(sort_job *j) {
    run_phase(j, PH_KEYS);
    int digits = j->wide ? 8 : 4;
    size_t total[8][RADIX] = {{0}};
    for (size_t c = 0; c < j->chunks; c++)
        for (int d = 0; d < digits; d++)
            for (int r = 0; r < RADIX; r++) total[d][r] += j->counts[c][d][r];
    bool first = true;
    for (int d = 0; d < digits; d++) {
        bool trivial = false;
        for (int r = 0; r < RADIX && !trivial; r++) trivial = total[d][r] == j->n;
        if (trivial) continue;
        j->shift = 8u * (unsigned)d;
        if (first && d > 0) {
            /* the key build counted digit d per chunk of this very layout */
            for (size_t c = 0; c < j->chunks; c++)
                memcpy(j->counts[c][0], j->counts[c][d], sizeof j->counts[c][0]);
        } else if (!first) {
            run_phase(j, PH_HIST);
        }
        first = false;
        size_t pos = 0; /* offsets: digit-major, then chunk order (stability) */
        for (int r = 0; r < RADIX; r++) {
            for (size_t c = 0; c < j->chunks; c++) {
                size_t cnt = j->counts[c][0][r];
                j->counts[c][0][r] = pos;
                pos += cnt;
            }
        }
        run_phase(j, PH_SCATTER);
        j->cur = !j->cur;
    }
}

static size_t chunk_count(size_t n, unsigned threads) {
    size_t t = threads ? threads : hp_default_threads();
    size_t c = n / HP__STATS_BLOCK;
    if (c > t) c = t;
    if (c > MAX_CHUNKS) c = MAX_CHUNKS;
    return c ? c : 1;
}

static hp_status check_args(const void *out, const void *x, size_t n, hp_stats_type t) {
    HP_FORWARD_IF_ERROR(hp__stats_check(x, n, t, 0, 0));
    HP_RETURN_IF(out == NULL && n > 0, HP_EINVAL, "out is NULL but n is %zu", n);
    return HP_OK;
}

/* Saved originals of the values whose keys are canonical (see the top of the file). */
typedef struct special {
    size_t nan, zero, negzero, neg;
    uint64_t *nan_bits;   /* NaN bit patterns in input order */
    unsigned char *zsign; /* sign of each zero in input order */
} special;

static hp_status save_specials(special *s, sort_job *j) {
    memset(s, 0, sizeof *s);
    size_t scan[MAX_CHUNKS][4];
    j->scan = scan;
    run_phase(j, PH_SCAN);
    for (size_t c = 0; c < j->chunks; c++)
        s->nan += scan[c][0], s->zero += scan[c][1], s->negzero += scan[c][2], s->neg += scan[c][3];
    if (s->nan == 0 && s->negzero == 0) return HP_OK;
    s->nan_bits = hp__malloc((s->nan ? s->nan : 1) * sizeof *s->nan_bits);
    s->zsign = hp__malloc(s->negzero ? s->zero : 1);
    if (s->nan_bits == NULL || s->zsign == NULL) {
        hp__free(s->nan_bits);
        hp__free(s->zsign);
        return hp__fail(HP_ENOMEM, "no memory to keep %zu NaNs and zeros", s->nan + s->zero);
    }
    size_t a = 0, z = 0;
    for (size_t i = 0; i < j->n; i++) {
        double v;
        uint64_t bits;
        if (j->t == HP_STATS_F64) {
            bits = hp__load64((const uint64_t *)j->x + i);
            memcpy(&v, &bits, sizeof v);
        } else {
            float f = ((const hp__u_f32 *)j->x)[i];
            uint32_t b32;
            memcpy(&b32, &f, sizeof b32);
            bits = b32;
            v = f;
        }
        if (isnan(v)) s->nan_bits[a++] = bits;
        else if (v == 0.0 && s->negzero) s->zsign[z++] = (unsigned char)(signbit(v) != 0);
    }
    return HP_OK;
}

static void restore_specials(special *s, void *out, size_t n, hp_stats_type t) {
    if (s->nan_bits == NULL) return;
    /* sorted: negatives, then the zeros, ..., then the NaNs */
    if (s->negzero) {
        for (size_t z = 0; z < s->zero; z++) {
            size_t i = s->neg + z;
            if (t == HP_STATS_F64) ((double *)out)[i] = s->zsign[z] ? -0.0 : 0.0;
            else ((float *)out)[i] = s->zsign[z] ? -0.0f : 0.0f;
        }
    }
    for (size_t a = 0; a < s->nan; a++) {
        size_t i = n - s->nan + a;
        if (t == HP_STATS_F64) {
            memcpy((double *)out + i, &s->nan_bits[a], sizeof(double));
        } else {
            uint32_t b32 = (uint32_t)s->nan_bits[a];
            memcpy((float *)out + i, &b32, sizeof b32);
        }
    }
    hp__free(s->nan_bits);
    hp__free(s->zsign);
}

hp_status hp_stats_sort(void *out, const void *x, size_t n, hp_stats_type dtype,
                        unsigned threads) {
    HP_FORWARD_IF_ERROR(check_args(out, x, n, dtype));
    if (n == 0) return HP_OK;
    size_t ksize = hp__stats_size(dtype);
    sort_job j = {.x = x, .t = dtype, .n = n, .wide = ksize == 8, .out = out};
    j.chunks = chunk_count(n, threads);
    special sp = {0};
    if (dtype == HP_STATS_F64 || dtype == HP_STATS_F32) HP_FORWARD_IF_ERROR(save_specials(&sp, &j));
    size_t (*counts)[8][RADIX] = hp__malloc(j.chunks * sizeof *counts);
    void *scratch = hp__malloc(n * ksize);
    if (counts == NULL || scratch == NULL) {
        hp__free(counts);
        hp__free(scratch);
        hp__free(sp.nan_bits);
        hp__free(sp.zsign);
        return hp__fail(HP_ENOMEM, "no memory to sort %zu elements", n);
    }
    j.counts = counts;
    j.keys[0] = out; /* keys are built in place in out (x may be out: read before write) */
    j.keys[1] = scratch;
    radix_passes(&j);
    run_phase(&j, PH_UNKEY);
    hp__free(scratch);
    hp__free(counts);
    restore_specials(&sp, out, n, dtype);
    return HP_OK;
}

hp_status hp_stats_argsort(int64_t *out, const void *x, size_t n, hp_stats_type dtype,
                           unsigned threads) {
    HP_FORWARD_IF_ERROR(check_args(out, x, n, dtype));
    if (n == 0) return HP_OK;
    size_t ksize = hp__stats_size(dtype);
    sort_job j = {.x = x, .t = dtype, .n = n, .wide = ksize == 8};
    j.chunks = chunk_count(n, threads);
    size_t (*counts)[8][RADIX] = hp__malloc(j.chunks * sizeof *counts);
    void *keys = hp__malloc(n * ksize * 2);
    int64_t *idx = hp__malloc(n * sizeof *idx);
    if (counts == NULL || keys == NULL || idx == NULL) {
        hp__free(counts);
        hp__free(keys);
        hp__free(idx);
        return hp__fail(HP_ENOMEM, "no memory to argsort %zu elements", n);
    }
    j.counts = counts;
    j.keys[0] = keys;
    j.keys[1] = (char *)keys + n * ksize;
    j.idx[0] = out;
    j.idx[1] = idx;
    radix_passes(&j);
    if (j.cur) memcpy(out, idx, n * sizeof *idx);
    hp__free(idx);
    hp__free(keys);
    hp__free(counts);
    return HP_OK;
}
