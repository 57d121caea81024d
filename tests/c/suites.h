/* One Check suite per module, all run by tests/c/runner.c. */
#ifndef HOTPATH_TEST_SUITES_H
#define HOTPATH_TEST_SUITES_H

#include <check.h>

Suite *test_core_suite(void);
Suite *test_pool_suite(void);
Suite *test_utf8_suite(void);
Suite *test_hash_suite(void);
Suite *test_split_suite(void);
Suite *test_find_suite(void);
Suite *test_case_suite(void);
Suite *test_transform_suite(void);
Suite *test_sum_suite(void);
Suite *test_vector_suite(void);
Suite *test_stats_suite(void);
Suite *test_fuzzy_api_suite(void);
Suite *test_fuzzy_lev_suite(void);
Suite *test_fuzzy_metrics_suite(void);
Suite *test_fuzz_suite(void);

#endif
