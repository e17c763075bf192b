/*
 * batch.h: grade every entry of a folder (a class's submissions), J at a
 * time, each by a separate run of the grader itself, and write one CSV
 * row per entry. A submission that breaks its grading costs only its row.
 */
#ifndef GRADE_BATCH_H
#define GRADE_BATCH_H

#include "grading.h"

/** The batch's choices. */
struct batch_opts {
    const char *dir;   /**< --batch DIR: one submission per entry. */
    const char *csv;   /**< --csv FILE. */
    const char *out;   /**< --out DIR (NULL: DIR.graded). */
    int jobs;          /**< Gradings at once. */
};

/**
 * Grades every entry of @p b->dir (sorted by name) with the options of
 * @p o (each grading with --jobs 1, its report in OUT/NAME/report.txt and
 * results in OUT/NAME/results.json) and writes the CSV. Returns the exit
 * status: 0 the CSV is written, 1 the batch itself failed, 2 bad usage.
 */
int batch_run(const struct grade_opts *o, const struct lab *lab, const struct batch_opts *b);

#endif
