/*
 * report.h: what a grading run tells: the text report on stdout (one
 * line per test, details indented under it, the total and the public and
 * hidden split) and Gradescope's results.json, rewritten atomically after
 * every test so that a crash leaves the results so far.
 */
#ifndef GRADE_REPORT_H
#define GRADE_REPORT_H

#include <stdio.h>

#include "grading.h"

/** Prints the text report of @p g to @p f. */
void report_text(const struct grading *g, FILE *f);

/**
 * Writes results.json for the tests of @p g done so far to @p path
 * (through path.tmp and rename). Returns 0 or -1 with @p err.
 */
int report_results(const struct grading *g, const char *path, char *err);

#endif
