/* lib/fuzzy/fuzz.c — placeholder until the fuzz scorers land (this session). */
#include "fuzzy_internal.h"
#include "internal/common.h"

hp_status hp__fuzz_score(double *out, const hp_scorer *sc, const hp__prep *prep,
                         const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                         double cutoff) {
    (void)out; (void)sc; (void)prep; (void)a; (void)la; (void)b; (void)lb; (void)cutoff;
    return hp__fail(HP_ENOTSUP, "fuzz scorers not built yet");
}

hp_status hp__fuzz_prepare(hp__prep **out, const hp_scorer *sc, const uint32_t *a, size_t la) {
    (void)sc; (void)a; (void)la;
    *out = NULL;
    return HP_OK;
}

hp_status hp__fuzz_partial_ratio_alignment(hp_alignment *out, const uint32_t *a, size_t la,
                                           const uint32_t *b, size_t lb, double cutoff) {
    (void)out; (void)a; (void)la; (void)b; (void)lb; (void)cutoff;
    return hp__fail(HP_ENOTSUP, "partial_ratio_alignment not built yet");
}
