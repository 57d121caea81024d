/*
 * The one Check runner: every suite, then Check's summary line
 * ("100%: Checks: N, Failures: 0, Errors: 0"). CK_RUN_SUITE / CK_RUN_CASE select
 * tests; CK_FORK=no runs in-process (valgrind, gdb).
 */
#include "suites.h"

#include <stdlib.h>

int main(void) {
    SRunner *sr = srunner_create(test_core_suite());
    srunner_add_suite(sr, test_pool_suite());
    srunner_add_suite(sr, test_utf8_suite());
    srunner_add_suite(sr, test_hash_suite());
    srunner_add_suite(sr, test_split_suite());
    srunner_add_suite(sr, test_find_suite());
    srunner_add_suite(sr, test_case_suite());
    srunner_add_suite(sr, test_transform_suite());
    srunner_add_suite(sr, test_sum_suite());
    srunner_add_suite(sr, test_vector_suite());
    srunner_add_suite(sr, test_stats_suite());
    srunner_add_suite(sr, test_fuzzy_api_suite());
    srunner_add_suite(sr, test_fuzzy_lev_suite());
    srunner_add_suite(sr, test_fuzzy_metrics_suite());
    srunner_add_suite(sr, test_fuzz_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
