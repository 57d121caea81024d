/* lib/compute/topk.c (being written this session). */
#include "internal/common.h"
