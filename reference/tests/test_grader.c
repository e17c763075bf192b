/*
 * test_grader.c - a tripwire for the autograder (autograder/, labs/README.md).
 *
 * The autograder runs each unit test alone and counts it passed when the
 * test process exits with status 0. A submission could cheat that by ending
 * the process with status 0 before any test runs (from a constructor, say).
 * This test is the check: it passes in every ordinary run, and fails when
 * DISCO_GRADER_CANARY is set, as the autograder sets it. If it passes under
 * the autograder, the test process did not run the tests, and the autograder
 * gives no unit-test points for that run.
 */
#include <criterion/criterion.h>
#include <stdlib.h>

Test(grader, canary_must_fail)
{
    cr_assert_null(getenv("DISCO_GRADER_CANARY"),
                   "DISCO_GRADER_CANARY is set: this test fails on purpose (the autograder's tripwire)");
}
