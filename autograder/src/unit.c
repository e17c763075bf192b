/*
 * unit.c: Criterion tests as sub-checks. Sources are scanned with the
 * regular expression Test\(\s*(\w+)\s*,\s*(\w+) ; a sub-check runs
 * `UNIT_BINARY --filter suite/name -j1 --ascii` in the sandbox with its
 * stdout and stderr in one log under W/out. Its failure shows the first
 * lines Criterion printed.
 */
#define _GNU_SOURCE
#include "unit.h"
#include "hint.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void scan_text(const char *text, regex_t *re, struct strv *names)
{
    regmatch_t m[3];
    const char *p = text;
    while (regexec(re, p, 3, m, 0) == 0) {
        /* "ParameterizedTest(" and the like are other macros. */
        bool word_before = m[0].rm_so > 0 &&
                           (isalnum((unsigned char)p[m[0].rm_so - 1]) || p[m[0].rm_so - 1] == '_');
        if (!word_before)
            strv_pushf(names, "%.*s/%.*s", (int)(m[1].rm_eo - m[1].rm_so), p + m[1].rm_so,
                       (int)(m[2].rm_eo - m[2].rm_so), p + m[2].rm_so);
        p += m[0].rm_eo;
    }
}

int unit_scan(const struct lab *lab, const char *tree, struct strv *names, char *err)
{
    regex_t re;
    if (regcomp(&re, "Test\\([[:space:]]*([A-Za-z0-9_]+)[[:space:]]*,[[:space:]]*([A-Za-z0-9_]+)",
                REG_EXTENDED) != 0)
        return errf(err, "regcomp failed");
    int r = 0;
    for (size_t i = 0; r == 0 && i < lab->unit_sources.n; i++) {
        char *dir = xasprintf("%s/%s", tree, lab->unit_sources.v[i]);
        DIR *d = opendir(dir);
        if (!d) {
            r = errf(err, "%s: %s", dir, strerror(errno));
            free(dir);
            break;
        }
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!util_ends_with(e->d_name, ".c"))
                continue;
            char *path = xasprintf("%s/%s", dir, e->d_name);
            char *text = util_read_file(path, 16 << 20, NULL, NULL);
            if (text)
                scan_text(text, &re, names);
            free(text);
            free(path);
        }
        closedir(d);
        free(dir);
    }
    regfree(&re);
    if (names->n)
        qsort(names->v, names->n, sizeof *names->v, cmp_str);
    /* Drop duplicates (the same name twice does not compile anyway). */
    size_t w = 0;
    for (size_t i = 0; i < names->n; i++) {
        if (w && !strcmp(names->v[w - 1], names->v[i]))
            free(names->v[i]);
        else
            names->v[w++] = names->v[i];
    }
    names->n = w;
    if (names->v)
        names->v[w] = NULL;
    return r;
}

/** How one sub-check went. */
struct sub {
    bool pass;     /**< it passed */
    int signal;    /**< the signal that ended the test process, or 0 */
    char *why;     /**< on failure: a short reason */
    char *output;  /**< what the test printed (capped) */
};

static int run_one(struct grading *g, const char *name, double wall, struct sub *s, char *err)
{
    char *logname = xasprintf("unit-%s.log", name);
    for (char *c = logname; *c; c++)
        if (*c == '/')
            *c = '.';
    memset(s, 0, sizeof *s);
    int fd = grading_log(g, logname, err);
    free(logname);
    if (fd < 0)
        return -1;
    /* Every run has the tripwire's variable (reference/tests/test_grader.c),
     * so the canary's run looks like any other to the code under test. */
    char *argv[] = {"env", "DISCO_GRADER_CANARY=1", g->lab->unit_binary, "--filter", (char *)name,
                    "-j1", "--ascii", NULL};
    struct proc_result res;
    if (sandbox_run(&g->sb, argv, fd, fd, wall, &res, err) < 0) {
        close(fd);
        return -1;
    }
    bool truncated;
    s->output = util_read_fd(fd, 64 << 10, NULL, &truncated);
    if (ftruncate(fd, 64 << 10) < 0) {
        /* only saves disk space */
    }
    close(fd);
    if (res.timed_out)
        s->why = xasprintf("timed out after %.0f s of host time (an infinite loop?)", wall);
    else if ((s->signal = res.signal))
        s->why = xasprintf("the test process was killed by %s", sigabbrev_np(res.signal)
                                                                  ? sigabbrev_np(res.signal) : "a signal");
    else if (res.status != 0)
        s->why = xstrdup("failed");
    else if (!strstr(s->output, "Tested: 1 | Passing: 1 | Failing: 0"))
        s->why = xstrdup("Criterion did not report one passing test");
    else
        s->pass = true;
    return 0;
}

int unit_canary(struct grading *g, char *err)
{
    if (!g->has_canary)
        return 0;
    struct sub s;
    if (run_one(g, UNIT_CANARY, LAB_UNIT_WALL_DEFAULT, &s, err) < 0)
        return -1;
    g->tampered = s.pass;
    free(s.why);
    free(s.output);
    return 0;
}

/* The first @max lines of what Criterion printed, without its noise. */
static void push_output(struct strv *lines, const char *output, int max)
{
    struct strv all = {0};
    util_split_lines(output, &all);
    int shown = 0;
    for (size_t i = 0; i < all.n && shown < max; i++) {
        if (strstr(all.v[i], "--ascii is deprecated") || !*all.v[i])
            continue;
        strv_pushf(lines, "        %.200s", all.v[i]);
        shown++;
    }
    strv_free(&all);
}

static bool selected(const struct lab_test *t, const char *name)
{
    for (size_t i = 0; i < t->globs.n; i++)
        if (fnmatch(t->globs.v[i], name, 0) == 0)
            return true;
    return false;
}

int unit_run(struct grading *g, const struct lab_test *t, struct result *r, char *err)
{
    size_t total = 0, passed = 0;
    struct strv hints = {0};
    for (size_t i = 0; i < g->unit_names.n; i++) {
        const char *name = g->unit_names.v[i];
        if (!selected(t, name) || !strcmp(name, UNIT_CANARY))
            continue;
        total++;
        if (grading_left(g) <= 0) {
            strv_pushf(&r->lines, "    FAIL %s: not run: time limit", name);
            continue;
        }
        struct sub s;
        if (run_one(g, name, t->wall, &s, err) < 0)
            return -1;
        if (s.pass) {
            passed++;
        } else {
            strv_pushf(&r->lines, "    FAIL %s: %s", name, s.why);
            push_output(&r->lines, s.output, 10);
            if (!hints.n) {
                struct hint_facts f = {
                    .timed_out = strstr(s.why, "timed out") != NULL, .wall = t->wall,
                    .signal = s.signal, .status = s.pass ? 0 : 1, .stderr_text = s.output,
                    .console = "", .unit = name, .unit_binary = g->lab->unit_binary,
                };
                hint_find(g->lab, &f, &hints);
            }
        }
        free(s.why);
        free(s.output);
    }
    if (total == 0) {
        strv_pushf(&r->lines, "    FAIL no unit test in %s matches this test's globs "
                              "(a mistake in lab.json)", g->lab->unit_sources.v[0]);
        fprintf(stderr, "grade: warning: test '%s': no unit test matches its globs\n", t->name);
        r->score = 0;
    } else if (g->tampered) {
        strv_free(&r->lines);
        strv_push(&r->lines, "    FAIL the test process was tampered with (the grader's test "
                             "that must fail passed): every unit test scores 0");
        r->score = 0;
    } else {
        r->score = grading_round(t->points * (double)passed / (double)total);
        r->passed = passed == total;
        struct strv head = {0};
        strv_pushf(&head, "    %s %zu/%zu unit tests passed", passed == total ? "PASS" : "FAIL",
                   passed, total);
        for (size_t i = 0; i < r->lines.n; i++)
            strv_push(&head, r->lines.v[i]);
        strv_free(&r->lines);
        r->lines = head;
        for (size_t i = 0; i < hints.n; i++)
            strv_pushf(&r->lines, "    hint: %s", hints.v[i]);
    }
    strv_free(&hints);
    return 0;
}
