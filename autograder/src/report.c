/*
 * report.c: the text report and results.json. Both come from g->results
 * only, which the grader filled from the files it captured; nothing a
 * submission printed is trusted beyond being shown.
 */
#define _GNU_SOURCE
#include "report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/** Points scored and possible: in all, in public tests, in hidden ones. */
struct totals {
    double score;     /**< points scored */
    double max;       /**< points possible */
    double pub_score; /**< points scored in public tests */
    double pub_max;   /**< points possible in public tests */
    double hid_score; /**< points scored in hidden tests */
    double hid_max;   /**< points possible in hidden tests */
};

static struct totals sum(const struct grading *g)
{
    struct totals t = {0};
    for (size_t i = 0; i < g->lab->ntests; i++) {
        const struct result *r = &g->results[i];
        const struct lab_test *lt = &g->lab->tests[i];
        double max = lt->points, score = r->done ? r->score : 0;
        t.score += score;
        t.max += max;
        if (lt->hidden) {
            t.hid_score += score;
            t.hid_max += max;
        } else {
            t.pub_score += score;
            t.pub_max += max;
        }
    }
    return t;
}

static char *summary(const struct grading *g)
{
    struct totals t = sum(g);
    bool hidden = false;
    for (size_t i = 0; i < g->lab->ntests; i++)
        hidden = hidden || g->lab->tests[i].hidden;
    struct strv s = {0};
    strv_pushf(&s, "lab %d (%s): %s, rubric version %lld", g->lab->number, g->lab->name,
               g->lab->title, g->lab->version);
    for (size_t i = 0; i < g->notes.n; i++)
        strv_pushf(&s, "%s", g->notes.v[i]);
    if (hidden)
        strv_pushf(&s, "total: %.2f/%g (public %.2f/%g, hidden %.2f/%g)", grading_round(t.score),
                   t.max, grading_round(t.pub_score), t.pub_max, grading_round(t.hid_score), t.hid_max);
    else
        strv_pushf(&s, "total: %.2f/%g (public %.2f/%g; hidden tests not run)",
                   grading_round(t.score), t.max, grading_round(t.pub_score), t.pub_max);
    char *text = strv_join(&s, "\n");
    strv_free(&s);
    return text;
}

void report_text(const struct grading *g, FILE *f)
{
    struct totals t = sum(g);
    fprintf(f, "lab %d (%s): %s, rubric version %lld\n", g->lab->number, g->lab->name,
            g->lab->title, g->lab->version);
    for (size_t i = 0; i < g->notes.n; i++)
        fprintf(f, "%s\n", g->notes.v[i]);
    for (size_t i = 0; i < g->lab->ntests; i++) {
        const struct result *r = &g->results[i];
        const struct lab_test *lt = &g->lab->tests[i];
        fprintf(f, "[ %5.2f/%g ] %s%s%s%s\n", r->done ? r->score : 0, lt->points, lt->name,
                lt->hidden ? " (hidden)" : "", r->note ? " " : "", r->note ? r->note : "");
        if (!r->done)
            fprintf(f, "    not run\n");
        for (size_t l = 0; l < r->lines.n; l++) {
            char *line = xstrdup(r->lines.v[l]);
            util_sanitize(line);
            fprintf(f, "%s\n", line);
            free(line);
        }
    }
    bool hidden = t.hid_max > 0;
    for (size_t i = 0; i < g->lab->ntests; i++)
        hidden = hidden || g->lab->tests[i].hidden;
    if (hidden)
        fprintf(f, "total: %.2f/%g (public %.2f/%g, hidden %.2f/%g)\n", grading_round(t.score),
                t.max, grading_round(t.pub_score), t.pub_max, grading_round(t.hid_score), t.hid_max);
    else
        fprintf(f, "total: %.2f/%g (public %.2f/%g; hidden tests not run)\n",
                grading_round(t.score), t.max, grading_round(t.pub_score), t.pub_max);
    fflush(f);
}

int report_results(const struct grading *g, const char *path, char *err)
{
    json_t *tests = json_array();
    double score = 0;
    for (size_t i = 0; i < g->lab->ntests; i++) {
        const struct result *r = &g->results[i];
        const struct lab_test *lt = &g->lab->tests[i];
        if (!r->done)
            continue;
        score += r->score;
        char *lines = strv_join(&r->lines, "\n");
        char *out = r->note ? xasprintf("%s\n%s", r->note, lines) : xstrdup(lines);
        free(lines);
        util_sanitize(out);
        json_array_append_new(tests, json_pack("{s:s, s:f, s:f, s:s, s:s, s:s}", "name", lt->name,
                                               "score", r->score, "max_score", lt->points,
                                               "status", r->passed ? "passed" : "failed",
                                               "output", out, "visibility", lt->visibility));
        free(out);
    }
    char *sum_text = summary(g);
    util_sanitize(sum_text);
    struct totals t = sum(g);
    json_t *root = json_pack("{s:f, s:s, s:s, s:s, s:o, s:{s:i, s:I, s:f, s:s}}",
                             "score", grading_round(score), "output", sum_text,
                             "visibility", "visible", "stdout_visibility", "hidden",
                             "tests", tests,
                             "extra_data", "lab", g->lab->number, "rubric_version",
                             (json_int_t)g->lab->version, "max_score", t.max,
                             "lab_name", g->lab->name);
    free(sum_text);
    if (!root)
        return errf(err, "%s: could not build the JSON", path);
    char *text = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
    json_decref(root);
    if (!text)
        return errf(err, "%s: could not build the JSON", path);
    size_t len = strlen(text);
    char *full = xrealloc(text, len + 2);
    full[len] = '\n';
    full[len + 1] = '\0';
    int r = util_write_atomic(path, full, len + 1, err);
    free(full);
    return r;
}
