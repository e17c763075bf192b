/*
 * diff.c: longest common subsequence over lines (quadratic, so only for
 * consoles of up to DIFF_LCS_MAX lines each; longer ones are compared
 * position by position). Enough to show a student where a console went
 * wrong without running an external diff.
 */
#include "diff.h"

#include <stdlib.h>
#include <string.h>

#define DIFF_LCS_MAX 2000

static void emit(struct strv *out, const char *indent, char sign, const char *line, int *left)
{
    if (*left <= 0)
        return;
    strv_pushf(out, "%s%c %.200s", indent, sign, line);
    (*left)--;
}

void diff_lines(const struct strv *want, const struct strv *got, int max, const char *indent,
                struct strv *out)
{
    size_t n = want->n, m = got->n;
    int left = max;
    if (n > DIFF_LCS_MAX || m > DIFF_LCS_MAX) {
        for (size_t i = 0; left > 0 && (i < n || i < m); i++) {
            const char *a = i < n ? want->v[i] : NULL, *b = i < m ? got->v[i] : NULL;
            if (a && b && !strcmp(a, b))
                continue;
            if (a)
                emit(out, indent, '-', a, &left);
            if (b)
                emit(out, indent, '+', b, &left);
        }
        return;
    }
    /* len[i][j]: LCS of want[i..] and got[j..]. */
    unsigned short *len = xcalloc((n + 1) * (m + 1), sizeof *len);
#define L(i, j) len[(i) * (m + 1) + (j)]
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            L(i, j) = !strcmp(want->v[i], got->v[j]) ? L(i + 1, j + 1) + 1
                      : L(i + 1, j) > L(i, j + 1)    ? L(i + 1, j)
                                                     : L(i, j + 1);
    size_t i = 0, j = 0;
    while ((i < n || j < m) && left > 0) {
        if (i < n && j < m && !strcmp(want->v[i], got->v[j])) {
            i++;
            j++;
        } else if (i == n || (j < m && L(i, j + 1) > L(i + 1, j))) {
            emit(out, indent, '+', got->v[j++], &left);
        } else {
            emit(out, indent, '-', want->v[i++], &left);
        }
    }
#undef L
    free(len);
}
