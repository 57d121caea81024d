/* lib/compute/sort.c (being written this session). */
#include "internal/common.h"
