/*
 * hotpath.h — the umbrella header: include this one.
 *
 * hotpath is a C11 library of compute and text kernels with a flat, stable ABI.
 * Each module has its own header under hotpath/; core.h holds the conventions every
 * function follows (status codes, errors, ownership, threads, SIMD). Link with
 * `pkg-config --cflags --libs hotpath`.
 */
#ifndef HOTPATH_H
#define HOTPATH_H

#include "hotpath/core.h"
#include "hotpath/text.h"
#include "hotpath/compute.h"
#include "hotpath/fuzzy.h"

#endif /* HOTPATH_H */
