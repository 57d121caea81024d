/*
 * CPU feature detection and the SIMD level switch.
 *
 * x86-64: CPUID leaves 1 and 7 say what the CPU has; XGETBV says whether the OS saves
 * the wider registers (a VM may mask AVX state even when CPUID reports AVX — using AVX
 * then faults, so both must agree). aarch64 always has NEON.
 *
 * The active level lives in one atomic int, initialised once (pthread_once) from the
 * detected level and the HOTPATH_SIMD environment variable; kernels read it on every
 * call with a relaxed load, so hp_simd_set_level takes effect for the next call.
 */
#include "internal/common.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

static uint64_t read_xcr0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

static uint32_t detect_features(void) {
    uint32_t eax, ebx, ecx, edx, f = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    if (edx & (1u << 26)) f |= HP_CPU_SSE2;
    if (ecx & (1u << 20)) f |= HP_CPU_SSE42;
    if (ecx & (1u << 23)) f |= HP_CPU_POPCNT;
    int fma = (ecx >> 12) & 1;
    int osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    uint64_t xcr0 = osxsave ? read_xcr0() : 0;
    int ymm_ok = (xcr0 & 0x6) == 0x6;    /* XMM and YMM state */
    int zmm_ok = (xcr0 & 0xe6) == 0xe6;  /* plus opmask and ZMM state */
    if (avx && ymm_ok) {
        f |= HP_CPU_AVX;
        if (fma) f |= HP_CPU_FMA;
    }
    if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) {
        if ((ebx & (1u << 5)) && ymm_ok) f |= HP_CPU_AVX2;
        if (ebx & (1u << 8)) f |= HP_CPU_BMI2;
        if (zmm_ok) {
            if (ebx & (1u << 16)) f |= HP_CPU_AVX512F;
            if (ebx & (1u << 30)) f |= HP_CPU_AVX512BW;
            if (ebx & (1u << 31)) f |= HP_CPU_AVX512VL;
        }
    }
    return f;
}
#elif defined(__aarch64__)
static uint32_t detect_features(void) { return HP_CPU_NEON; }
#else
static uint32_t detect_features(void) { return 0; }
#endif

static uint32_t features;
static hp_simd detected;
static atomic_int active;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static hp_simd level_from_features(uint32_t f) {
#if defined(HP_NO_SIMD)
    (void)f;
    return HP_SIMD_SCALAR;
#else
    /* Only levels that have kernels in this build are reported. */
#if defined(__x86_64__)
    const uint32_t avx2 = HP_CPU_AVX2 | HP_CPU_BMI2 | HP_CPU_FMA;
    const uint32_t avx512 = HP_CPU_AVX512F | HP_CPU_AVX512BW | HP_CPU_AVX512VL;
    if ((f & avx2) == avx2 && (f & avx512) == avx512) return HP_SIMD_AVX512;
    if ((f & avx2) == avx2) return HP_SIMD_AVX2;
    if (f & HP_CPU_SSE42) return HP_SIMD_SSE42;
#elif defined(__aarch64__)
    if (f & HP_CPU_NEON) return HP_SIMD_NEON;
#endif
    return HP_SIMD_SCALAR;
#endif
}

static int level_allowed(int level) {
    if (level == HP_SIMD_SCALAR) return 1;
    if (detected == HP_SIMD_NEON) return level == HP_SIMD_NEON;
    return level != HP_SIMD_NEON && level <= (int)detected;
}

static int parse_level(const char *s) {
    static const char *const names[] = {"scalar", "sse42", "avx2", "avx512", "neon"};
    for (int i = 0; i < 5; i++) {
        if (strcmp(s, names[i]) == 0) return i;
    }
    return -1;
}

static void init(void) {
    features = detect_features();
    detected = level_from_features(features);
    int level = (int)detected;
    const char *env = getenv("HOTPATH_SIMD");
    if (env && *env) {
        int want = parse_level(env);
        /* An unknown or unavailable request falls back to the best allowed level below
         * it; the environment can lower the level, never raise it. */
        if (want >= 0) {
            if (level_allowed(want)) {
                level = want;
            } else if (want != HP_SIMD_NEON && detected != HP_SIMD_NEON) {
                level = want < (int)detected ? want : (int)detected;
            }
        }
    }
    atomic_store(&active, level);
}

uint32_t hp_cpu_features(void) {
    pthread_once(&once, init);
    return features;
}

hp_simd hp_simd_detected(void) {
    pthread_once(&once, init);
    return detected;
}

hp_simd hp_simd_level(void) {
    pthread_once(&once, init);
    return (hp_simd)atomic_load_explicit(&active, memory_order_relaxed);
}

hp_simd hp__simd(void) { return hp_simd_level(); }

const char *hp_simd_name(int level) {
    switch (level) {
    case HP_SIMD_SCALAR: return "scalar";
    case HP_SIMD_SSE42: return "sse42";
    case HP_SIMD_AVX2: return "avx2";
    case HP_SIMD_AVX512: return "avx512";
    case HP_SIMD_NEON: return "neon";
    default: return "unknown";
    }
}

hp_status hp_simd_set_level(int level) {
    pthread_once(&once, init);
    HP_RETURN_IF(level < HP_SIMD_SCALAR || level > HP_SIMD_NEON, HP_EINVAL,
                 "SIMD level %d is not an hp_simd value", level);
    HP_RETURN_IF(!level_allowed(level), HP_ENOTSUP,
                 "SIMD level %s is not available (detected: %s)", hp_simd_name(level),
                 hp_simd_name(detected));
    atomic_store(&active, level);
    return HP_OK;
}
