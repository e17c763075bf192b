/*
 * unit.h: the Criterion unit tests of a lab. Their names come from the
 * pristine sources (`Test(suite, name`), never from the binary, which
 * holds the submission's code; each selected test runs alone in the
 * sandbox and passes only on exit status 0 with Criterion's own count of
 * one passing test. A canary test that must fail guards against a
 * submission that makes the test process report success.
 */
#ifndef GRADE_UNIT_H
#define GRADE_UNIT_H

#include "grading.h"

/** The canary's name: if it passes, the test process was tampered with. */
#define UNIT_CANARY "grader/canary_must_fail"

/**
 * Lists the "suite/name" tests defined by the *.c files of the lab's
 * unit_sources folders under @p tree into @p names (sorted, unique).
 * Returns 0 or -1 with @p err.
 */
int unit_scan(const struct lab *lab, const char *tree, struct strv *names, char *err);

/**
 * Runs the canary (if the sources have it) and sets g->tampered if it
 * passes. Returns 0, or -1 with @p err if it could not be run at all.
 */
int unit_canary(struct grading *g, char *err);

/**
 * Runs unit test @p t: every scanned test matching one of its globs is a
 * sub-check; fills @p r. Returns 0, or -1 with @p err if the sandbox
 * could not be started (the grader's failure).
 */
int unit_run(struct grading *g, const struct lab_test *t, struct result *r, char *err);

#endif
