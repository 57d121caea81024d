/* Check suite "vector" (being written this session). */
#include "suites.h"

Suite *test_vector_suite(void) {
    Suite *s = suite_create("vector");
    return s;
}
