/*
 * lab.h: a lab's rubric, read from labs/labN-NAME/lab.json (and, unless
 * --public-only, the hidden tests of autograder/hidden/labN/tests.json).
 * labs/README.md is the format's specification; every field is checked
 * here, so a mistake in a lab.json is one clear message, never a strange
 * grade.
 */
#ifndef GRADE_LAB_H
#define GRADE_LAB_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/** What a test runs. */
enum lab_kind {
    LAB_BUILD,     /**< The implicit "build" test (0 points). */
    LAB_UNIT,      /**< Criterion tests selected by globs. */
    LAB_SCENARIO,  /**< A disco configuration with its expected console. */
};

/** Default wall-clock cap of a scenario test, in seconds. */
#define LAB_WALL_DEFAULT 60.0
/** Default wall-clock cap of one unit sub-check, in seconds. */
#define LAB_UNIT_WALL_DEFAULT 20.0
/** Default cycle cap of a scenario. */
#define LAB_MAX_CYCLES_DEFAULT 2000000000LL

/** One test of the rubric. */
struct lab_test {
    char *name;            /**< Unique in the lab. */
    enum lab_kind kind;    /**< What it runs. */
    double points;         /**< Its weight. */
    struct strv globs;     /**< LAB_UNIT: globs over "suite/test". */
    char *scenario;        /**< LAB_SCENARIO: the .conf, absolute path in the kit. */
    char *scenario_rel;    /**< The scenario as lab.json wrote it. */
    long long max_cycles;  /**< disco --max-cycles. */
    double wall;           /**< Wall-clock cap (per sub-check for unit tests). */
    struct strv requires;  /**< Names of prerequisite tests. */
    bool baseline;         /**< Checks the kit works where the lab is not needed. */
    char *visibility;      /**< Gradescope visibility. */
    bool hidden;           /**< From autograder/hidden. */
};

/** A known failure signature and what to tell the student. */
struct lab_hint {
    char *match; /**< Plain substring of a test's stderr or console. */
    char *hint;  /**< The advice. */
};

/** A lab's rubric. */
struct lab {
    char *path;             /**< The lab.json read. */
    char *hidden_path;      /**< The hidden tests.json read, or NULL. */
    int number;             /**< "lab". */
    char *name;             /**< "name". */
    char *title;            /**< "title". */
    long long version;      /**< "version", the rubric's. */
    char *handout;          /**< "handout", or NULL. */
    struct strv files;      /**< The allow-list. */
    struct strv build;      /**< make targets. */
    char *unit_binary;      /**< Criterion binary, relative to the tree. */
    struct strv unit_sources; /**< Folders of *.c defining the unit tests. */
    double time_limit;      /**< Seconds for a whole grading run. */
    struct lab_hint *hints; /**< Known failure signatures. */
    size_t nhints;          /**< How many. */
    struct lab_test *tests; /**< tests[0] is the implicit "build" test. */
    size_t ntests;          /**< How many, with "build". */
};

/**
 * Finds labs/labN-* /lab.json under @p kit (exactly one) and reads it, and
 * the hidden tests unless @p public_only. Returns 0, or -1 with @p err
 * naming the file and key (a usage-level error: the caller exits 2).
 */
int lab_load(const char *kit, int number, bool public_only, struct lab *lab, char *err);

/** Frees everything lab_load allocated. */
void lab_free(struct lab *lab);

/** The test named @p name, or NULL. */
const struct lab_test *lab_find(const struct lab *lab, const char *name);

#endif
