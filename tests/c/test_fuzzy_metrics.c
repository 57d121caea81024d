/* Check suite "fuzzy_metrics" (being written this session). */
#include "suites.h"

Suite *test_fuzzy_metrics_suite(void) {
    Suite *s = suite_create("fuzzy_metrics");
    return s;
}
