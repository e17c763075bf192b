/*
 * batch.c: fork/exec of the grader itself per entry, at
 * most J at once, each in its own process group with a deadline of the
 * lab's time limit plus the longest test's wall and some slack for the
 * build. The CSV is written from each child's results.json (which only
 * that grader process wrote) or, for a failed grading, from the last
 * "grade: error:" line it printed.
 */
#define _GNU_SOURCE
#include "batch.h"
#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/** One submission of the batch, and the grader process grading it. */
struct entry {
    char *name;      /**< the submission's name (its file or folder) */
    pid_t pid;       /**< the grader process, or 0 before it starts */
    double deadline; /**< the wall-clock time at which it is killed */
    int wstatus;     /**< its wait status, once done */
    bool timed_out;  /**< killed at its deadline */
    bool done;       /**< reaped */
};

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static int list_entries(const char *dir, struct entry **out, size_t *n, char *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return errf(err, "%s: %s", dir, strerror(errno));
    struct dirent *e;
    *out = NULL;
    *n = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        *out = xrealloc(*out, (*n + 1) * sizeof **out);
        memset(&(*out)[*n], 0, sizeof **out);
        (*out)[(*n)++].name = xstrdup(e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(*out, *n, sizeof **out, cmp_entry);
    return 0;
}

static pid_t start(const struct grade_opts *o, const struct batch_opts *b, const char *out,
                   const struct entry *e, size_t index, char *err)
{
    char *dir = xasprintf("%s/%s", out, e->name);
    char *results = xasprintf("%s/results.json", dir), *logs = xasprintf("%s/logs", dir);
    char *report = xasprintf("%s/report.txt", dir), *errors = xasprintf("%s/errors.txt", dir);
    char *sub = xasprintf("%s/%s", b->dir, e->name);
    char *num = xasprintf("%d", o->lab);
    char *uid = xasprintf("%u", SANDBOX_BATCH_UID + (unsigned)index);
    pid_t pid = -1;
    util_remove_tree(dir);
    if (util_mkdirs(dir, 0755) < 0) {
        errf(err, "%s: %s", dir, strerror(errno));
        goto out;
    }
    struct strv argv = {0};
    strv_push(&argv, "grade");
    strv_push(&argv, "--kit");
    strv_push(&argv, o->kit);
    strv_push(&argv, "--lab");
    strv_push(&argv, num);
    strv_push(&argv, "--jobs");
    strv_push(&argv, "1");
    strv_push(&argv, "--results");
    strv_push(&argv, results);
    strv_push(&argv, "--logs");
    strv_push(&argv, logs);
    strv_push(&argv, "--sandbox-uid");
    strv_push(&argv, uid);
    if (o->public_only)
        strv_push(&argv, "--public-only");
    if (o->no_sandbox)
        strv_push(&argv, "--no-sandbox");
    if (o->reuse_build) {
        strv_push(&argv, "--reuse-build");
        strv_push(&argv, o->reuse_build);
    }
    strv_push(&argv, "--");
    strv_push(&argv, sub);
    fflush(NULL);
    pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        int rfd = open(report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        int efd = open(errors, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        int nfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (rfd < 0 || efd < 0 || nfd < 0 || dup2(nfd, 0) < 0 || dup2(rfd, 1) < 0 || dup2(efd, 2) < 0)
            _exit(1);
        execv(o->self, argv.v);
        fprintf(stderr, "grade: error: %s: %s\n", o->self, strerror(errno));
        _exit(1);
    }
    if (pid < 0)
        errf(err, "fork: %s", strerror(errno));
    else
        setpgid(pid, pid);
    strv_free(&argv);
out:
    free(dir);
    free(results);
    free(logs);
    free(report);
    free(errors);
    free(sub);
    free(num);
    free(uid);
    return pid;
}

/* Waits for one of the running children (killing any past its deadline). */
static int reap(struct entry *es, size_t n)
{
    for (;;) {
        int ws;
        pid_t pid = waitpid(-1, &ws, WNOHANG);
        if (pid < 0 && errno != EINTR)
            return -1;
        for (size_t i = 0; pid > 0 && i < n; i++)
            if (es[i].pid == pid && !es[i].done) {
                es[i].wstatus = ws;
                es[i].done = true;
                kill(-pid, SIGKILL);
                return 0;
            }
        double now = util_now();
        for (size_t i = 0; i < n; i++)
            if (es[i].pid > 0 && !es[i].done && !es[i].timed_out && now > es[i].deadline) {
                es[i].timed_out = true;
                kill(-es[i].pid, SIGKILL);
            }
        if (pid <= 0) {
            struct timespec ts = {0, 20000000};
            nanosleep(&ts, NULL);
        }
    }
}

static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
    }
    fputc('"', f);
}

/* The row of one finished entry: score and status. */
static void row(const char *out, const struct entry *e, double max, FILE *f)
{
    char *dir = xasprintf("%s/%s", out, e->name);
    char *results = xasprintf("%s/results.json", dir), *errors = xasprintf("%s/errors.txt", dir);
    char *status = NULL;
    double score = 0;
    bool ok = !e->timed_out && WIFEXITED(e->wstatus) && WEXITSTATUS(e->wstatus) == 0;
    if (ok) {
        json_t *root = json_load_file(results, 0, NULL);
        json_t *s = root ? json_object_get(root, "score") : NULL;
        if (json_is_number(s)) {
            score = json_number_value(s);
            status = xstrdup("graded");
        } else {
            status = xstrdup("error: the grading left no results.json");
        }
        json_decref(root);
    } else if (e->timed_out) {
        status = xstrdup("error: the grading took too long and was stopped");
    } else if (WIFSIGNALED(e->wstatus)) {
        status = xasprintf("error: the grader was killed by %s", sigabbrev_np(WTERMSIG(e->wstatus)));
    } else {
        char *text = util_read_file(errors, 1 << 20, NULL, NULL);
        struct strv lines = {0};
        if (text)
            util_split_lines(text, &lines);
        const char *msg = NULL;
        for (size_t i = 0; i < lines.n; i++)
            if (!strncmp(lines.v[i], "grade: error: ", 14))
                msg = lines.v[i] + 14;
        status = xasprintf("error: %s", msg ? msg : "the grading failed (see errors.txt)");
        strv_free(&lines);
        free(text);
    }
    char num[64];
    csv_field(f, e->name);
    snprintf(num, sizeof num, ",%.2f,%g,", score, max);
    fputs(num, f);
    csv_field(f, status);
    fputc('\n', f);
    free(status);
    free(dir);
    free(results);
    free(errors);
}

int batch_run(const struct grade_opts *o, const struct lab *lab, const struct batch_opts *b)
{
    char err[ERR_LEN];
    struct entry *es = NULL;
    size_t n = 0;
    if (list_entries(b->dir, &es, &n, err) < 0) {
        fprintf(stderr, "grade: error: %s\n", err);
        return 2;
    }
    char *out;
    if (b->out) {
        out = xstrdup(b->out);
    } else {
        char *d = xstrdup(b->dir);
        size_t l = strlen(d);
        while (l > 1 && d[l - 1] == '/')
            d[--l] = '\0';
        out = xasprintf("%s.graded", d);
        free(d);
    }
    int status = 0;
    if (util_mkdirs(out, 0755) < 0) {
        fprintf(stderr, "grade: error: %s: %s\n", out, strerror(errno));
        status = 1;
    }
    double max = 0, longest = 0;
    for (size_t i = 0; i < lab->ntests; i++) {
        max += lab->tests[i].points;
        if (lab->tests[i].wall > longest)
            longest = lab->tests[i].wall;
    }
    size_t next = 0, running = 0;
    while (status == 0 && (next < n || running > 0)) {
        if (next < n && running < (size_t)b->jobs) {
            struct entry *e = &es[next++];
            e->pid = start(o, b, out, e, (size_t)(e - es), err);
            if (e->pid < 0) {
                fprintf(stderr, "grade: error: %s\n", err);
                status = 1;
                break;
            }
            e->deadline = util_now() + lab->time_limit + longest + 300;
            running++;
            continue;
        }
        if (reap(es, n) < 0) {
            fprintf(stderr, "grade: error: waitpid: %s\n", strerror(errno));
            status = 1;
            break;
        }
        running--;
    }
    if (status == 0) {
        char *tmp = xasprintf("%s.tmp", b->csv);
        FILE *f = fopen(tmp, "w");
        if (!f) {
            fprintf(stderr, "grade: error: %s: %s\n", tmp, strerror(errno));
            status = 1;
        } else {
            fputs("submission,score,max_score,status\n", f);
            for (size_t i = 0; i < n; i++)
                row(out, &es[i], max, f);
            if (fclose(f) != 0 || rename(tmp, b->csv) < 0) {
                fprintf(stderr, "grade: error: %s: %s\n", b->csv, strerror(errno));
                status = 1;
            } else {
                printf("grade: %zu submissions graded: %s (reports in %s)\n", n, b->csv, out);
            }
        }
        free(tmp);
    }
    for (size_t i = 0; i < n; i++)
        free(es[i].name);
    free(es);
    free(out);
    return status;
}
