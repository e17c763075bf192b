/*
 * hint.h: advice under a failed test. The grader's own hints recognise
 * crashes, invariant violations, unwritten functions, cycle limits and
 * wall-clock timeouts; the lab's hints (lab.json "hints") are plain
 * substrings of the test's stderr or console, the first match wins.
 */
#ifndef GRADE_HINT_H
#define GRADE_HINT_H

#include <stdbool.h>

#include "lab.h"

/** What a failed run left behind. */
struct hint_facts {
    bool timed_out;           /**< Killed at the wall-clock cap. */
    double wall;              /**< That cap, in seconds. */
    int signal;               /**< The signal that ended the process, or 0. */
    int status;               /**< Exit status (-1 if signalled). */
    const char *stderr_text;  /**< Its stderr (unit tests: all its output). */
    const char *console;      /**< Its console (stdout), or "". */
    const char *conf;         /**< Scenario: the configuration, for gdb. */
    long long max_cycles;     /**< Scenario: the cycle cap. */
    const char *unit;         /**< Unit test: "suite/name", else NULL. */
    const char *unit_binary;  /**< Unit test: the binary. */
};

/**
 * Appends to @p hints the grader's own hint (if one applies) and then the
 * lab's first matching hint (if any), each a new string.
 */
void hint_find(const struct lab *lab, const struct hint_facts *f, struct strv *hints);

#endif
