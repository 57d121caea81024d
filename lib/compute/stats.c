/* lib/compute/stats.c (being written this session). */
#include "internal/common.h"
