/*
 * submission.h: what a student hands in, turned into a folder (a folder
 * as is, a tarball extracted with its members checked, a git repository
 * cloned), and the copy of exactly the lab's allow-listed files from it
 * into the pristine tree. Nothing else of a submission is ever used.
 */
#ifndef GRADE_SUBMISSION_H
#define GRADE_SUBMISSION_H

#include "util.h"

/** The largest allow-listed file taken from a submission. */
#define SUB_MAX_FILE (1 << 20)

/**
 * Makes @p submission a folder: *dir gets @p submission itself (a plain
 * folder) or @p into (a tarball extracted there, a git repository cloned
 * there; @p into must not exist). Host commands log to @p log_fd.
 * Returns 0, or -1 with @p err (an unreadable or refused submission: the
 * caller exits 2).
 */
int sub_open(const char *submission, const char *into, int log_fd, char **dir, char *err);

/**
 * Copies each of @p files from @p dir over @p tree. A file that is
 * missing, not a regular file, reached through a symbolic link or larger
 * than SUB_MAX_FILE is not used: a line about it goes to @p notes and the
 * starter's version stays. Returns the number of files copied, or -1
 * with @p err if the tree could not be written.
 */
int sub_copy(const char *dir, const char *tree, const struct strv *files, struct strv *notes,
             char *err);

#endif
