/* Check suite "fuzzy_api" (being written this session). */
#include "suites.h"

Suite *test_fuzzy_api_suite(void) {
    Suite *s = suite_create("fuzzy_api");
    return s;
}
