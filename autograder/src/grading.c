/*
 * grading.c: one grading run. The order matters for trust: the unit
 * test names are read from the pristine tree before any file of the
 * submission is copied in; the work tree is handed to the sandbox's user
 * only after that; W/out (logs) and the results file stay the grader's
 * and are never mounted in the sandbox.
 */
#define _GNU_SOURCE
#include "grading.h"
#include "report.h"
#include "scenario.h"
#include "submission.h"
#include "tree.h"
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

double grading_round(double x)
{
    return round(x * 100.0) / 100.0;
}

double grading_left(const struct grading *g)
{
    return g->deadline - util_now();
}

/* The wall-clock cap of a build step: what is left of the time limit, and
 * never 0, which would mean no cap at all. */
static double build_wall(const struct grading *g)
{
    double left = grading_left(g);
    return left > 0.01 ? left : 0.01;
}

int grading_log(const struct grading *g, const char *name, char *err)
{
    char *path = xasprintf("%s/%s", g->out, name);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        errf(err, "%s: %s", path, strerror(errno));
    free(path);
    return fd;
}

char *grading_log_path(const struct grading *g, const char *name)
{
    return g->logs_shown ? xasprintf("%s/%s", g->logs_shown, name) : NULL;
}

static void progress(const char *fmt, const char *what)
{
    if (isatty(2))
        fprintf(stderr, fmt, what);
}

/* The last @n lines of @path, indented, into @lines. */
static void tail_of(const char *path, size_t n, struct strv *lines)
{
    size_t len;
    char *text = util_read_file(path, 8 << 20, &len, NULL);
    if (!text)
        return;
    struct strv all = {0};
    util_split_lines(text, &all);
    free(text);
    for (size_t i = all.n > n ? all.n - n : 0; i < all.n; i++)
        strv_pushf(lines, "        %.300s", all.v[i]);
    strv_free(&all);
}

/* Step 5: make clean, then make -jJ TARGETS, both in the sandbox. */
static int build(struct grading *g, struct result *r, char *err)
{
    int fd = grading_log(g, "build.log", err);
    if (fd < 0)
        return -1;
    struct proc_result res = {0};
    const char *failed = NULL;
    if (!g->opts->reuse_build) {
        char *clean[] = {"make", "clean", NULL};
        if (sandbox_run(&g->sb, clean, fd, fd, build_wall(g), &res, err) < 0) {
            close(fd);
            return -1;
        }
        if (res.timed_out || res.signal || res.status)
            failed = "make clean";
    }
    if (!failed) {
        struct strv argv = {0};
        strv_push(&argv, "make");
        strv_pushf(&argv, "-j%d", g->opts->jobs);
        for (size_t i = 0; i < g->lab->build.n; i++)
            strv_push(&argv, g->lab->build.v[i]);
        int rr = sandbox_run(&g->sb, argv.v, fd, fd, build_wall(g), &res, err);
        strv_free(&argv);
        if (rr < 0) {
            close(fd);
            return -1;
        }
        if (res.timed_out || res.signal || res.status)
            failed = "make";
    }
    if (ftruncate(fd, 16 << 20) < 0) {
        /* only saves disk space */
    }
    close(fd);
    r->score = 0;
    if (!failed) {
        char *targets = strv_join(&g->lab->build, " ");
        strv_pushf(&r->lines, "    PASS make -j%d %s (%.0f s)", g->opts->jobs, targets, res.seconds);
        free(targets);
        r->passed = true;
        return 1;
    }
    if (res.timed_out)
        strv_pushf(&r->lines, "    FAIL %s: timed out (the lab's time limit)", failed);
    else
        strv_pushf(&r->lines, "    FAIL %s: exit status %d; the build log ends:", failed, res.status);
    char *log = xasprintf("%s/build.log", g->out);
    tail_of(log, 30, &r->lines);
    free(log);
    char *saved = grading_log_path(g, "build.log");
    if (saved)
        strv_pushf(&r->lines, "    build log: %s", saved);
    free(saved);
    return 0;
}

static int write_results(const struct grading *g)
{
    if (!g->opts->results)
        return 0;
    char err[ERR_LEN];
    if (report_results(g, g->opts->results, err) < 0) {
        fprintf(stderr, "grade: error: %s\n", err);
        return -1;
    }
    return 0;
}

/* The next test whose prerequisites are all done, in lab order. */
static size_t next_test(const struct grading *g)
{
    for (size_t i = 1; i < g->lab->ntests; i++) {
        if (g->results[i].done)
            continue;
        const struct lab_test *t = &g->lab->tests[i];
        bool ready = true;
        for (size_t k = 0; ready && k < t->requires.n; k++)
            ready = g->results[lab_find(g->lab, t->requires.v[k]) - g->lab->tests].done;
        if (ready)
            return i;
    }
    return 0;
}

static void prerequisite_note(struct grading *g, size_t i)
{
    const struct lab_test *t = &g->lab->tests[i];
    struct result *r = &g->results[i];
    if (r->score >= t->points)
        return;
    for (size_t k = 0; k < t->requires.n; k++) {
        const struct lab_test *p = lab_find(g->lab, t->requires.v[k]);
        const struct result *pr = &g->results[p - g->lab->tests];
        if (pr->score < p->points) {
            r->note = xasprintf("(prerequisite '%s' failed first)", p->name);
            return;
        }
    }
}

/* Steps 5 to 10: the build, then every test. Returns -1 on a grader failure. */
static int run_tests(struct grading *g, char *err)
{
    struct result *build_r = &g->results[0];
    build_r->max = 0;
    /* A results file from the start: a crash leaves valid JSON. */
    if (write_results(g) < 0)
        return -1;
    progress("grade: %s...\n", "building");
    int built = build(g, build_r, err);
    if (built < 0)
        return -1;
    build_r->done = true;
    if (write_results(g) < 0)
        return -1;
    if (built && unit_canary(g, err) < 0)
        return -1;
    size_t i;
    while ((i = next_test(g)) != 0) {
        const struct lab_test *t = &g->lab->tests[i];
        struct result *r = &g->results[i];
        r->max = t->points;
        if (!built) {
            strv_push(&r->lines, "    not run: the build failed");
        } else if (grading_left(g) <= 0) {
            strv_push(&r->lines, "    not run: time limit");
        } else {
            progress("grade: %s...\n", t->name);
            int rr = t->kind == LAB_UNIT ? unit_run(g, t, r, err) : scenario_run(g, t, r, err);
            if (rr < 0)
                return -1;
        }
        r->done = true;
        if (built)
            prerequisite_note(g, i);
        if (write_results(g) < 0)
            return -1;
    }
    return 0;
}

/* Steps 2 to 4: the work folder, the pristine tree, the submission's files. */
static int prepare(struct grading *g, char *err, int *status)
{
    const char *tmp = getenv("TMPDIR");
    char *tmpl = xasprintf("%s/grade-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    *status = 1;
    if (!mkdtemp(tmpl)) {
        errf(err, "%s: %s", tmpl, strerror(errno));
        free(tmpl);
        return -1;
    }
    g->work = tmpl;
    g->tree = xasprintf("%s/tree", g->work);
    g->out = xasprintf("%s/out", g->work);
    if (mkdir(g->out, 0700) < 0 || mkdir(g->tree, 0755) < 0)
        return errf(err, "%s: %s", g->work, strerror(errno));
    if (g->opts->keep)
        g->logs_shown = xstrdup(g->out);
    if (g->opts->logs)
        g->logs_shown = (free(g->logs_shown), xstrdup(g->opts->logs));
    int log = grading_log(g, "setup.log", err);
    if (log < 0)
        return -1;
    int r = tree_pristine(g->opts->kit, g->lab->number, g->tree, log, err);
    if (r == 0)
        r = unit_scan(g->lab, g->tree, &g->unit_names, err);
    for (size_t i = 0; r == 0 && i < g->unit_names.n; i++)
        g->has_canary = g->has_canary || !strcmp(g->unit_names.v[i], UNIT_CANARY);
    bool has_unit = false;
    for (size_t i = 0; i < g->lab->ntests; i++)
        has_unit = has_unit || g->lab->tests[i].kind == LAB_UNIT;
    if (r == 0 && has_unit && !g->has_canary && !g->opts->public_only)
        fprintf(stderr, "grade: warning: the unit sources have no Test(grader, canary_must_fail): "
                        "a test process that lies about its result cannot be detected\n");
    char *sub = NULL, *into = xasprintf("%s/sub", g->work);
    if (r == 0 && sub_open(g->opts->submission, into, log, &sub, err) < 0) {
        *status = 2;
        r = -1;
    }
    free(into);
    if (r == 0 && sub_copy(sub, g->tree, &g->lab->files, &g->notes, err) < 0)
        r = -1;
    free(sub);
    if (r == 0 && g->opts->reuse_build) {
        char *src = xasprintf("%s/build", g->opts->reuse_build);
        char *dst = xasprintf("%s/build", g->tree);
        r = tree_copy_dir(src, dst, err);
        free(src);
        free(dst);
    }
    close(log);
    if (r < 0)
        return -1;
    /* Hand the tree to the sandbox's user; W itself can be crossed, not read. */
    if (geteuid() == 0 && !g->opts->no_sandbox) {
        if (util_chown_tree(g->tree, g->opts->sandbox_uid, g->opts->sandbox_uid) < 0 || chmod(g->work, 0711) < 0)
            return errf(err, "%s: chown: %s", g->tree, strerror(errno));
    }
    return 0;
}

static void keep_logs(const struct grading *g)
{
    if (!g->opts->logs)
        return;
    char err[ERR_LEN];
    util_remove_tree(g->opts->logs);
    if (util_mkdirs(g->opts->logs, 0755) < 0 || tree_copy_dir(g->out, g->opts->logs, err) < 0)
        fprintf(stderr, "grade: warning: %s: could not keep the logs\n", g->opts->logs);
}

int grading_run(const struct grade_opts *opts, const struct lab *lab)
{
    struct grading g = {.opts = opts, .lab = lab};
    g.started = util_now();
    g.deadline = g.started + lab->time_limit;
    g.results = xcalloc(lab->ntests, sizeof *g.results);
    char err[ERR_LEN] = "";
    int status = 0;
    if (prepare(&g, err, &status) < 0) {
        fprintf(stderr, "grade: error: %s\n", err);
    } else if (sandbox_init(&g.sb, g.tree, opts->no_sandbox, opts->sandbox_uid, err) < 0 ||
               sandbox_check(&g.sb, err) < 0) {
        fprintf(stderr, "grade: error: %s\n", err);
        status = 1;
    } else {
        if (opts->no_sandbox)
            fprintf(stderr, "grade: warning: --no-sandbox: the submission runs unconfined, "
                            "with the grader's rights: use it only to debug the grader\n");
        if (run_tests(&g, err) < 0) {
            if (*err)
                fprintf(stderr, "grade: error: %s\n", err);
            status = 1;
        } else {
            report_text(&g, stdout);
            status = write_results(&g) < 0 ? 1 : 0;
        }
        keep_logs(&g);
    }
    if (g.work && opts->keep)
        fprintf(stderr, "grade: work folder kept: %s\n", g.work);
    else if (g.work && util_remove_tree(g.work) < 0)
        fprintf(stderr, "grade: warning: %s: could not remove it\n", g.work);
    sandbox_free(&g.sb);
    for (size_t i = 0; i < lab->ntests; i++) {
        strv_free(&g.results[i].lines);
        free(g.results[i].note);
    }
    free(g.results);
    strv_free(&g.unit_names);
    strv_free(&g.notes);
    free(g.work);
    free(g.tree);
    free(g.out);
    free(g.logs_shown);
    return status;
}
