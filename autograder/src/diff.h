/*
 * diff.h: a small line diff for reports: the first differing lines of
 * an expected and an actual console, as "- expected" / "+ got" lines.
 */
#ifndef GRADE_DIFF_H
#define GRADE_DIFF_H

#include "util.h"

/**
 * Appends to @p out (each line prefixed by @p indent) at most @p max
 * differing lines between @p want and @p got: a longest-common-
 * subsequence diff, line by line when the inputs are too long for it.
 */
void diff_lines(const struct strv *want, const struct strv *got, int max, const char *indent,
                struct strv *out);

#endif
