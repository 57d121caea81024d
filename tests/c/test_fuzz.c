/* Check suite "fuzz" (being written this session). */
#include "suites.h"

Suite *test_fuzz_suite(void) {
    Suite *s = suite_create("fuzz");
    return s;
}
