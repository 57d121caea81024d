/* String batches: validation of caller-built batches and release of library ones. */
#include "internal/common.h"

hp_status hp_strings_check(const hp_strings *batch) {
    HP_CHECK_NOT_NULL(batch, "batch");
    HP_RETURN_IF(batch->count >= HP_MAX_LEN / sizeof(int64_t), HP_EOVERFLOW,
                 "batch count %zu is too large", batch->count);
    HP_CHECK_NOT_NULL(batch->offsets, "batch->offsets");
    const int64_t *off = batch->offsets;
    HP_RETURN_IF(off[0] < 0, HP_EINVAL, "batch offset 0 is negative (%lld)", (long long)off[0]);
    for (size_t i = 0; i < batch->count; i++) {
        HP_RETURN_IF(off[i + 1] < off[i], HP_EINVAL,
                     "batch offsets decrease at index %zu (%lld < %lld)", i + 1,
                     (long long)off[i + 1], (long long)off[i]);
    }
    HP_RETURN_IF(batch->data == NULL && off[batch->count] > off[0], HP_EINVAL,
                 "batch data is NULL but the strings are not empty");
    return HP_OK;
}

void hp_strings_free(hp_strings *batch) { hp__free(batch); }
