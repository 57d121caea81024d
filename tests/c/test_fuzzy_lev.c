/* Check suite "fuzzy_lev" (being written this session). */
#include "suites.h"

Suite *test_fuzzy_lev_suite(void) {
    Suite *s = suite_create("fuzzy_lev");
    return s;
}
