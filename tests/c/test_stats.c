/* Check suite "stats" (being written this session). */
#include "suites.h"

Suite *test_stats_suite(void) {
    Suite *s = suite_create("stats");
    return s;
}
