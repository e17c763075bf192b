/*
 * tree.h: the pristine tree a submission's files are copied into. In the
 * full kit it is the lab's starter, made by tools/lab-release.sh (regions
 * stubbed, hidden tests and the generator left out); in a student's
 * released tree, which has no generator, it is a copy of that tree.
 */
#ifndef GRADE_TREE_H
#define GRADE_TREE_H

/**
 * Writes the pristine tree of lab @p lab of the kit @p kit into @p dest
 * (an empty folder). Commands log to @p log_fd. Returns 0, or -1 with
 * @p err.
 */
int tree_pristine(const char *kit, int lab, const char *dest, int log_fd, char *err);

/**
 * Copies the folder @p src (recursively, keeping modes and symbolic
 * links) to @p dest, which must not exist. Returns 0 or -1 with @p err.
 */
int tree_copy_dir(const char *src, const char *dest, char *err);

#endif
