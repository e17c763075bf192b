/*
 * grading.h: one grading run of one submission, steps 2 to 11 of the
 * autograder: work folder, pristine tree, allow-list copy, build, tests
 * in order of their prerequisites, results written after every test, the
 * report. The test kinds (unit.h, scenario.h) fill one result each.
 */
#ifndef GRADE_GRADING_H
#define GRADE_GRADING_H

#include <stdbool.h>

#include "lab.h"
#include "sandbox.h"
#include "util.h"

/** The command-line choices for one grading run. */
struct grade_opts {
    const char *kit;          /**< The kit root (the grader's truth). */
    int lab;                  /**< --lab N. */
    bool public_only;         /**< --public-only: no hidden tests. */
    const char *results;      /**< --results FILE, or NULL. */
    bool keep;                /**< --keep: keep the work folder. */
    int jobs;                 /**< --jobs J for make. */
    const char *submission;   /**< The folder, tarball or git repository. */
    bool no_sandbox;          /**< --no-sandbox (debugging only). */
    const char *reuse_build;  /**< --reuse-build TREE: start from TREE/build. */
    const char *logs;         /**< --logs DIR: save the run's logs there. */
    const char *self;         /**< This program, for batch mode to run. */
    unsigned sandbox_uid;     /**< --sandbox-uid U (batch mode), or SANDBOX_UID. */
};

/** How one test of the rubric came out. */
struct result {
    bool done;          /**< Finished (run, or not run for a reason). */
    double score;       /**< Points earned. */
    bool passed;        /**< Every sub-check passed (what a 0-point test reports). */
    double max;         /**< Points possible. */
    struct strv lines;  /**< Details shown under the test, one per line. */
    char *note;         /**< Added to the test's line, e.g. a failed prerequisite. */
};

/** Everything one grading run holds. */
struct grading {
    const struct grade_opts *opts; /**< The command line. */
    const struct lab *lab;         /**< The rubric. */
    char *work;                    /**< W, the private work folder. */
    char *tree;                    /**< W/tree, what the sandbox sees at /kit. */
    char *out;                     /**< W/out, logs (never in the sandbox). */
    char *logs_shown;              /**< Where logs are kept for the report, or NULL. */
    struct sandbox sb;             /**< The sandbox of the run. */
    double deadline;               /**< Monotonic end of the lab's time_limit. */
    struct strv unit_names;        /**< "suite/test" from the unit sources. */
    bool has_canary;               /**< grader/canary_must_fail is among them. */
    bool tampered;                 /**< The canary passed: unit tests score 0. */
    struct strv notes;             /**< About the submission's files. */
    struct result *results;        /**< One per lab test, in lab order. */
    double started;                /**< Monotonic start of the run. */
};

/**
 * Grades @p opts->submission against @p lab. Returns the exit status:
 * 0 graded (whatever the score; the report is on stdout), 1 the grader
 * itself failed, 2 an unreadable submission. Errors are printed as
 * "grade: error: WHAT".
 */
int grading_run(const struct grade_opts *opts, const struct lab *lab);

/** Seconds left before the lab's time limit (may be <= 0). */
double grading_left(const struct grading *g);

/** Opens (creates, truncates) W/out/NAME for the output of a run, or -1. */
int grading_log(const struct grading *g, const char *name, char *err);

/** Where the report says W/out/NAME is kept, or NULL if it is not. */
char *grading_log_path(const struct grading *g, const char *name);

/** Rounds to 2 decimals, as scores are shown. */
double grading_round(double x);

#endif
