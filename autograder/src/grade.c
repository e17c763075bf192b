/*
 * grade.c: the autograder's command line.
 *
 *   grade --lab N [--public-only] [--results FILE] [--keep] [--jobs J] SUBMISSION
 *   grade --lab N --batch DIR --csv FILE [--jobs J] [--out DIR]
 *
 * Exit status: 0 graded (whatever the score), 1 the grader itself failed,
 * 2 bad usage, no such lab, a bad lab.json or an unreadable submission.
 * autograder/grade (a shell wrapper) builds this program and passes
 * --kit, the kit's root: the grader's own, trusted copy of the rubric,
 * the expected outputs and the hidden tests.
 */
#define _GNU_SOURCE
#include "batch.h"
#include "grading.h"
#include "lab.h"
#include "sandbox.h"
#include "util.h"

#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: grade --lab N [--public-only] [--results FILE] [--keep] [--jobs J] SUBMISSION\n"
    "       grade --lab N --batch DIR --csv FILE [--jobs J] [--out DIR]\n"
    "SUBMISSION is a folder, a tarball (.tar, .tar.gz, .tgz) or a git repository.\n"
    "  --lab N            the lab (labs/labN-*/lab.json)\n"
    "  --public-only      leave out the hidden tests (what make grade does)\n"
    "  --results FILE     write Gradescope's results.json there, after every test\n"
    "  --keep             keep the work folder (its out/ has every log)\n"
    "  --logs DIR         copy the run's logs (build log, consoles) to DIR\n"
    "  --jobs J           make -jJ (default 2); with --batch, gradings at once\n"
    "  --batch DIR        grade every entry of DIR; --csv FILE gets one row each,\n"
    "                     --out DIR (default DIR.graded) the reports\n"
    "  --kit DIR          the kit's root (default: from this program's path)\n"
    "  --no-sandbox       run the submission unconfined (debugging the grader only)\n"
    "  --reuse-build TREE start from TREE/build instead of make clean (the grader's\n"
    "                     own tests)\n"
    "  --sandbox-uid U    run the sandbox as uid U, not nobody (batch mode does)\n"
    "Exit status: 0 graded, 1 the grader failed, 2 bad usage or submission.\n";

static int bad_usage(const char *what)
{
    fprintf(stderr, "grade: error: %s\n%s", what, usage);
    return 2;
}

/* The kit's root from /proc/self/exe: ROOT/build/bin/grade. */
static char *default_kit(void)
{
    char *exe = realpath("/proc/self/exe", NULL);
    if (!exe)
        return NULL;
    char *kit = xstrdup(dirname(dirname(dirname(exe))));
    free(exe);
    return kit;
}

static int parse_int(const char *s, int min, int max, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < min || v > max)
        return -1;
    *out = (int)v;
    return 0;
}

int main(int argc, char **argv)
{
    enum { O_KIT = 256, O_PUBLIC, O_RESULTS, O_KEEP, O_JOBS, O_BATCH, O_CSV, O_OUT,
           O_NOSANDBOX, O_REUSE, O_LOGS, O_LAB, O_UID, O_HELP };
    static const struct option longopts[] = {
        {"kit", required_argument, NULL, O_KIT},
        {"lab", required_argument, NULL, O_LAB},
        {"public-only", no_argument, NULL, O_PUBLIC},
        {"results", required_argument, NULL, O_RESULTS},
        {"keep", no_argument, NULL, O_KEEP},
        {"jobs", required_argument, NULL, O_JOBS},
        {"batch", required_argument, NULL, O_BATCH},
        {"csv", required_argument, NULL, O_CSV},
        {"out", required_argument, NULL, O_OUT},
        {"logs", required_argument, NULL, O_LOGS},
        {"no-sandbox", no_argument, NULL, O_NOSANDBOX},
        {"reuse-build", required_argument, NULL, O_REUSE},
        {"sandbox-uid", required_argument, NULL, O_UID},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    struct grade_opts o = {.lab = -1, .jobs = 2, .sandbox_uid = SANDBOX_UID};
    struct batch_opts b = {0};
    const char *kit_arg = NULL;
    bool jobs_given = false;
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case O_KIT: kit_arg = optarg; break;
        case O_LAB:
            if (parse_int(optarg, 0, 1000000, &o.lab) < 0)
                return bad_usage("--lab: must be a lab number");
            break;
        case O_PUBLIC: o.public_only = true; break;
        case O_RESULTS: o.results = optarg; break;
        case O_KEEP: o.keep = true; break;
        case O_JOBS:
            if (parse_int(optarg, 1, 256, &o.jobs) < 0)
                return bad_usage("--jobs: must be a number from 1 to 256");
            jobs_given = true;
            break;
        case O_BATCH: b.dir = optarg; break;
        case O_CSV: b.csv = optarg; break;
        case O_OUT: b.out = optarg; break;
        case O_LOGS: o.logs = optarg; break;
        case O_NOSANDBOX: o.no_sandbox = true; break;
        case O_REUSE: o.reuse_build = optarg; break;
        case O_UID: {
            char *end;
            unsigned long u = strtoul(optarg, &end, 10);
            if (!*optarg || *end || u == 0 || u > 4000000000UL)
                return bad_usage("--sandbox-uid: must be a uid other than 0");
            o.sandbox_uid = (unsigned)u;
            break;
        }
        case O_HELP: fputs(usage, stdout); return 0;
        default: {
            char msg[300];
            snprintf(msg, sizeof msg, "%s: unknown option or missing argument", argv[optind - 1]);
            return bad_usage(msg);
        }
        }
    }
    if (o.lab < 0)
        return bad_usage("say which lab: --lab N");
    if (b.dir) {
        if (!b.csv)
            return bad_usage("--batch needs --csv FILE");
        if (optind != argc || o.results || o.keep || o.logs)
            return bad_usage("--batch takes no SUBMISSION, --results, --keep or --logs");
        b.jobs = jobs_given ? o.jobs : 2;
    } else {
        if (b.csv || b.out)
            return bad_usage("--csv and --out go with --batch");
        if (optind + 1 != argc)
            return bad_usage("say which submission: one folder, tarball or git repository");
        o.submission = argv[optind];
    }
    char *kit = kit_arg ? realpath(kit_arg, NULL) : default_kit();
    if (!kit) {
        fprintf(stderr, "grade: error: %s: not a folder (the kit's root)\n", kit_arg ? kit_arg : "/proc/self/exe");
        return 2;
    }
    o.kit = kit;
    /* argv[0] when it is a path (so that a grader under Valgrind runs itself,
     * not Valgrind), else /proc/self/exe. */
    char *self = strchr(argv[0], '/') ? realpath(argv[0], NULL) : NULL;
    o.self = self ? self : "/proc/self/exe";
    if (!o.no_sandbox && access("/usr/bin/bwrap", X_OK) < 0) {
        fprintf(stderr, "grade: error: /usr/bin/bwrap: not installed: the grader never runs a "
                        "submission unsandboxed; install it with: apt-get install bubblewrap\n");
        free(kit);
        free(self);
        return 1;
    }
    struct lab lab;
    char err[ERR_LEN];
    int status;
    if (lab_load(kit, o.lab, o.public_only, &lab, err) < 0) {
        fprintf(stderr, "grade: error: %s\n", err);
        status = 2;
    } else {
        status = b.dir ? batch_run(&o, &lab, &b) : grading_run(&o, &lab);
    }
    lab_free(&lab);
    free(kit);
    free(self);
    return status;
}
