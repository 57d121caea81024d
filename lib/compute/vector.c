/* lib/compute/vector.c (being written this session). */
#include "internal/common.h"
