/*
 * scenario.c: one disco scenario. The grader's copy of the .conf (in the
 * kit, for hidden tests in autograder/hidden/labN/) is the truth: its
 * "# expect-status:" and "# expect-stderr:" headers and NAME.out beside
 * it. The sandbox gets only the configuration, with @DATA@ replaced by
 * its scratch folder W/tree/build/grade/SLUG holding a fresh 1 MB disk;
 * stdout and stderr go to files in W/out that the grader opened.
 */
#define _GNU_SOURCE
#include "scenario.h"
#include "diff.h"
#include "hint.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Console and stderr beyond these are not read (and not kept). */
#define CONSOLE_CAP (4 << 20)
#define STDERR_CAP (1 << 20)

/** The expectations of a configuration's header. */
struct expect {
    int status;               /**< the exit status disco must return */
    struct strv stderr_lines; /**< lines stderr must contain */
    struct strv vms;          /**< [vm NAME] sections, in order */
};

static void parse_conf(const char *text, struct expect *e)
{
    struct strv lines = {0};
    util_split_lines(text, &lines);
    e->status = 0;
    for (size_t i = 0; i < lines.n; i++) {
        const char *l = lines.v[i];
        int st;
        if (sscanf(l, "# expect-status: %d", &st) == 1)
            e->status = st;
        else if (!strncmp(l, "# expect-stderr:", 16)) {
            const char *t = l + 16;
            while (*t == ' ')
                t++;
            if (*t)
                strv_push(&e->stderr_lines, t);
        } else {
            while (isspace((unsigned char)*l))
                l++;
            if (!strncmp(l, "[vm", 3) && isspace((unsigned char)l[3])) {
                const char *s = l + 3;
                while (isspace((unsigned char)*s))
                    s++;
                size_t n = strcspn(s, "] \t");
                if (n)
                    strv_pushf(&e->vms, "%.*s", (int)n, s);
            }
        }
    }
    strv_free(&lines);
}

/* The lines of @all that VM @vm printed ("vm: text" or "vm:"). */
static void vm_lines(const struct strv *all, const char *vm, struct strv *out)
{
    size_t n = strlen(vm);
    for (size_t i = 0; i < all->n; i++) {
        const char *l = all->v[i];
        if (!strncmp(l, vm, n) && l[n] == ':' && (l[n + 1] == ' ' || l[n + 1] == '\0'))
            strv_push(out, l);
    }
}

static bool same(const struct strv *a, const struct strv *b)
{
    if (a->n != b->n)
        return false;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i], b->v[i]))
            return false;
    return true;
}

/* The conf's base name without .conf. */
static char *base_of(const char *conf)
{
    const char *b = strrchr(conf, '/');
    b = b ? b + 1 : conf;
    return xasprintf("%.*s", (int)(strlen(b) - 5), b);
}

/* The scratch folder's name: the conf's base name (its expect-stderr lines
 * may name it, as for tools/run-scenarios.sh), made unique in the lab. */
static char *slug_of(const struct grading *g, const struct lab_test *t)
{
    char *s = base_of(t->scenario);
    for (char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_' && *c != '.')
            *c = '_';
    for (const struct lab_test *o = g->lab->tests; o < t; o++) {
        if (o->kind != LAB_SCENARIO)
            continue;
        char *ob = base_of(o->scenario);
        bool clash = !strcmp(ob, s);
        free(ob);
        if (clash) {
            char *r = xasprintf("%s-%zu", s, (size_t)(t - g->lab->tests));
            free(s);
            return r;
        }
    }
    return s;
}

/* W/tree/build/grade/SLUG with vms.conf and disk.img, owned by the sandbox's
 * user. Returns 0, -1 with @err, or -2 if the tree's build/ is no folder. */
static int prepare(const struct grading *g, const char *slug, const char *conf_text, char *err)
{
    char *dir = xasprintf("%s/build/grade/%s", g->tree, slug);
    char *rel = xasprintf("build/grade/%s", slug);
    char *data = sandbox_path(&g->sb, rel);
    int r = 0;
    /* The submission's code has run in this tree: build or build/grade may
     * now be symbolic links pointing anywhere on the host. The grader
     * (root, perhaps) never writes through them. Nothing of the sandbox
     * runs now, so what is checked here stays so. */
    char *build = xasprintf("%s/build", g->tree), *grade = xasprintf("%s/build/grade", g->tree);
    struct stat st;
    if (lstat(build, &st) < 0 || !S_ISDIR(st.st_mode)) {
        r = -2;
    } else if (lstat(grade, &st) == 0 && !S_ISDIR(st.st_mode) && unlink(grade) < 0) {
        r = errf(err, "%s: %s", grade, strerror(errno));
    } else if (mkdir(grade, 0755) < 0 && errno != EEXIST) {
        r = errf(err, "%s: %s", grade, strerror(errno));
    }
    free(build);
    free(grade);
    if (r < 0)
        goto out;
    util_remove_tree(dir);
    if (mkdir(dir, 0755) < 0) {
        r = errf(err, "%s: %s", dir, strerror(errno));
        goto out;
    }
    /* Substitute @DATA@. */
    struct strv parts = {0};
    const char *p = conf_text, *q;
    while ((q = strstr(p, "@DATA@"))) {
        strv_pushf(&parts, "%.*s%s", (int)(q - p), p, data);
        p = q + 6;
    }
    strv_push(&parts, p);
    char *text = strv_join(&parts, "");
    strv_free(&parts);
    char *conf = xasprintf("%s/vms.conf", dir), *disk = xasprintf("%s/disk.img", dir);
    r = util_write_atomic(conf, text, strlen(text), err);
    free(text);
    if (r == 0) {
        int fd = open(disk, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 || ftruncate(fd, 1 << 20) < 0)
            r = errf(err, "%s: %s", disk, strerror(errno));
        if (fd >= 0)
            close(fd);
    }
    if (r == 0 && g->sb.root && !g->sb.disabled && util_chown_tree(dir, g->sb.uid, (gid_t)g->sb.uid) < 0)
        r = errf(err, "%s: chown: %s", dir, strerror(errno));
    free(conf);
    free(disk);
out:
    free(dir);
    free(rel);
    free(data);
    return r;
}

static void check(struct result *r, size_t *passed, size_t *total, bool ok, const char *what)
{
    (*total)++;
    if (ok)
        (*passed)++;
    strv_pushf(&r->lines, "    %s %s", ok ? "PASS" : "FAIL", what);
}

static char *read_capped(int fd, size_t cap)
{
    char *text = util_read_fd(fd, cap, NULL, NULL);
    if (ftruncate(fd, (off_t)cap) < 0) {
        /* only saves disk space */
    }
    return text;
}

int scenario_run(struct grading *g, const struct lab_test *t, struct result *r, char *err)
{
    size_t conf_len;
    char *conf_text = util_read_file(t->scenario, 1 << 20, &conf_len, NULL);
    char *exp_path = xasprintf("%.*s.out", (int)(strlen(t->scenario) - 5), t->scenario);
    /* No NAME.out: the console is not checked (as tools/run-scenarios.sh). */
    char *exp_text = util_read_file(exp_path, CONSOLE_CAP, NULL, NULL);
    bool check_console = exp_text != NULL || errno != ENOENT;
    if (!exp_text && !check_console)
        exp_text = xstrdup("");
    free(exp_path);
    if (!conf_text || !exp_text) {
        free(conf_text);
        free(exp_text);
        return errf(err, "%s: cannot read the scenario or its .out: %s", t->scenario, strerror(errno));
    }
    char *slug = slug_of(g, t);
    char *outname = xasprintf("%s.out", slug), *errname = xasprintf("%s.err", slug);
    int out_fd = -1, err_fd = -1, ret = -1;
    struct expect e = {0};
    char *console = NULL, *stderr_text = NULL;
    int prep = prepare(g, slug, conf_text, err);
    if (prep == -2) {
        strv_push(&r->lines, "    FAIL not run: build/ in the tree is no longer a folder (the "
                             "submission's code replaced it)");
        r->score = 0;
        ret = 0;
        goto out;
    }
    if (prep < 0 || (out_fd = grading_log(g, outname, err)) < 0 ||
        (err_fd = grading_log(g, errname, err)) < 0)
        goto out;
    char cycles[32];
    snprintf(cycles, sizeof cycles, "%lld", t->max_cycles);
    char *conf_rel = xasprintf("build/grade/%s/vms.conf", slug);
    char *argv[] = {"build/bin/disco", "--max-cycles", cycles, conf_rel, NULL};
    double wall = t->wall;
    struct proc_result res;
    int rr = sandbox_run(&g->sb, argv, out_fd, err_fd, wall, &res, err);
    free(conf_rel);
    if (rr < 0)
        goto out;
    console = read_capped(out_fd, CONSOLE_CAP);
    stderr_text = read_capped(err_fd, STDERR_CAP);
    parse_conf(conf_text, &e);

    size_t passed = 0, total = 0;
    char what[512];
    /* 1. The exit status. */
    bool status_ok = !res.timed_out && !res.signal && res.status == e.status;
    if (res.timed_out)
        snprintf(what, sizeof what, "exit status: timed out after %.0f s", wall);
    else if (res.signal)
        snprintf(what, sizeof what, "exit status: killed by %s", sigabbrev_np(res.signal)
                                                                   ? sigabbrev_np(res.signal) : "a signal");
    else if (!status_ok)
        snprintf(what, sizeof what, "exit status: %d, expected %d", res.status, e.status);
    else
        snprintf(what, sizeof what, "exit status %d", res.status);
    check(r, &passed, &total, status_ok, what);

    /* 2. Each VM's console, or no console at all. */
    struct strv want = {0}, got = {0};
    util_split_lines(exp_text, &want);
    util_split_lines(console, &got);
    bool console_failed = false;
    if (check_console && want.n == 0) {
        bool ok = got.n == 0;
        check(r, &passed, &total, ok, "no console output");
        console_failed = !ok;
        if (!ok)
            diff_lines(&want, &got, 5, "        ", &r->lines);
    }
    for (size_t v = 0; check_console && want.n && v < e.vms.n; v++) {
        struct strv w = {0}, gl = {0};
        vm_lines(&want, e.vms.v[v], &w);
        vm_lines(&got, e.vms.v[v], &gl);
        bool ok = same(&w, &gl);
        snprintf(what, sizeof what, "console of VM %s", e.vms.v[v]);
        check(r, &passed, &total, ok, what);
        if (!ok) {
            console_failed = true;
            diff_lines(&w, &gl, 5, "        ", &r->lines);
        }
        strv_free(&w);
        strv_free(&gl);
    }
    strv_free(&want);
    strv_free(&got);

    /* 3. Each expected stderr line. */
    struct strv errs = {0};
    util_split_lines(stderr_text, &errs);
    for (size_t i = 0; i < e.stderr_lines.n; i++) {
        bool ok = false;
        for (size_t j = 0; !ok && j < errs.n; j++)
            ok = strstr(errs.v[j], e.stderr_lines.v[i]) != NULL;
        snprintf(what, sizeof what, "stderr has: %.400s", e.stderr_lines.v[i]);
        check(r, &passed, &total, ok, what);
    }
    strv_free(&errs);

    r->score = grading_round(t->points * (double)passed / (double)total);
    r->passed = passed == total;
    if (passed < total) {
        struct strv tail = {0};
        util_split_lines(stderr_text, &tail);
        if (tail.n) {
            strv_push(&r->lines, "    stderr (last lines):");
            for (size_t i = tail.n > 5 ? tail.n - 5 : 0; i < tail.n; i++)
                strv_pushf(&r->lines, "        %.200s", tail.v[i]);
        }
        strv_free(&tail);
        char *saved = grading_log_path(g, outname);
        if (console_failed || saved)
            strv_pushf(&r->lines, "    console: %s", saved ? saved
                                     : "(not kept: grade with --keep or --logs DIR to keep it)");
        free(saved);
        struct strv hints = {0};
        struct hint_facts f = {
            .timed_out = res.timed_out, .wall = wall, .signal = res.signal, .status = res.status,
            .stderr_text = stderr_text, .console = console, .conf = t->scenario_rel,
            .max_cycles = t->max_cycles,
        };
        hint_find(g->lab, &f, &hints);
        for (size_t i = 0; i < hints.n; i++)
            strv_pushf(&r->lines, "    hint: %s", hints.v[i]);
        strv_free(&hints);
    }
    ret = 0;
out:
    if (out_fd >= 0)
        close(out_fd);
    if (err_fd >= 0)
        close(err_fd);
    strv_free(&e.stderr_lines);
    strv_free(&e.vms);
    free(console);
    free(stderr_text);
    free(conf_text);
    free(exp_text);
    free(slug);
    free(outname);
    free(errname);
    return ret;
}
