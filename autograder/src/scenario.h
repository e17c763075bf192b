/*
 * scenario.h: whole-system tests. A disco configuration runs in the
 * sandbox against a fresh scratch disk; its exit status, each VM's
 * console and the expected stderr lines are sub-checks, compared with
 * the grader's own copies of the configuration and its expected .out.
 */
#ifndef GRADE_SCENARIO_H
#define GRADE_SCENARIO_H

#include "grading.h"

/**
 * Runs scenario test @p t and fills @p r. Returns 0, or -1 with @p err if
 * the grader could not run it (the sandbox, the work folder).
 */
int scenario_run(struct grading *g, const struct lab_test *t, struct result *r, char *err);

#endif
