/*
 * sandbox.c: bubblewrap plus rlimits. The child of proc_run sets the
 * limits, drops to nobody if the grader is root (setgroups, setgid,
 * setuid, in that order, then the parent-death signal, which a credential
 * change clears), and execs bwrap with a fresh set of namespaces. The
 * grader only ever reads the files it opened itself for the output.
 */
#define _GNU_SOURCE
#include "sandbox.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define BWRAP "/usr/bin/bwrap"

/* Processes of @uid now running, from /proc/PID/status "Uid:" (real). */
static long count_processes(uid_t uid)
{
    DIR *d = opendir("/proc");
    if (!d)
        return 0;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        char path[300], line[256];
        snprintf(path, sizeof path, "/proc/%s/status", e->d_name);
        FILE *f = fopen(path, "re");
        if (!f)
            continue;
        while (fgets(line, sizeof line, f)) {
            unsigned long real;
            if (sscanf(line, "Uid: %lu", &real) == 1) {
                if (real == (unsigned long)uid)
                    n++;
                break;
            }
        }
        fclose(f);
    }
    closedir(d);
    return n;
}

int sandbox_init(struct sandbox *sb, const char *tree, bool disabled, uid_t uid, char *err)
{
    sb->uid = uid;
    sb->tree = xstrdup(tree);
    sb->disabled = disabled;
    sb->root = geteuid() == 0;
    sb->nproc = sb->root ? 512 : count_processes(getuid()) + 512;
    if (!disabled && access(BWRAP, X_OK) < 0) {
        free(sb->tree);
        sb->tree = NULL;
        return errf(err, "%s: not installed: the grader never runs a submission "
                         "unsandboxed; install it with: apt-get install bubblewrap", BWRAP);
    }
    return 0;
}

void sandbox_free(struct sandbox *sb)
{
    free(sb->tree);
    sb->tree = NULL;
}

static int limit(int resource, rlim_t value)
{
    struct rlimit rl = {value, value};
    return setrlimit(resource, &rl);
}

/* In the child of proc_run, before exec. */
static int sandbox_setup(void *arg)
{
    const struct sandbox *sb = arg;
    if (limit(RLIMIT_AS, 4ULL << 30) < 0 || limit(RLIMIT_FSIZE, 512ULL << 20) < 0 ||
        limit(RLIMIT_CORE, 0) < 0)
        return -1;
    if (sb->root && !sb->disabled) {
        if (setgroups(0, NULL) < 0 || setgid((gid_t)sb->uid) < 0 || setuid(sb->uid) < 0)
            return -1;
        if (setuid(0) == 0) { /* must be impossible now */
            errno = EPERM;
            return -1;
        }
    }
    if (limit(RLIMIT_NPROC, (rlim_t)sb->nproc) < 0)
        return -1;
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
        return -1;
    if (getppid() == 1) /* the grader is already gone */
        _exit(127);
    return 0;
}

static void push_root_dir(struct strv *a, const char *path)
{
    char target[4096];
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n > 0) {
        target[n] = '\0';
        strv_push(a, "--symlink");
        strv_push(a, target);
        strv_push(a, path);
    } else {
        strv_push(a, "--ro-bind-try");
        strv_push(a, path);
        strv_push(a, path);
    }
}

int sandbox_run(const struct sandbox *sb, char *const *argv, int out_fd, int err_fd,
                double wall, struct proc_result *res, char *err)
{
    struct strv a = {0};
    if (!sb->disabled) {
        static const char *const head[] = {
            BWRAP, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp",
            "--setenv", "TMPDIR", "/tmp", "--setenv", "LC_ALL", "C",
            "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc", NULL,
        };
        for (int i = 0; head[i]; i++)
            strv_push(&a, head[i]);
        static const char *const dirs[] = {"/bin", "/lib", "/lib32", "/lib64", "/libx32", "/sbin", NULL};
        for (int i = 0; dirs[i]; i++)
            push_root_dir(&a, dirs[i]);
        static const char *const tail[] = {
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", NULL,
        };
        for (int i = 0; tail[i]; i++)
            strv_push(&a, tail[i]);
        strv_push(&a, "--bind");
        strv_push(&a, sb->tree);
        strv_push(&a, SANDBOX_KIT);
        strv_push(&a, "--chdir");
        strv_push(&a, SANDBOX_KIT);
        strv_push(&a, "--cap-drop");
        strv_push(&a, "ALL");
        strv_push(&a, "--");
    }
    for (int i = 0; argv[i]; i++)
        strv_push(&a, argv[i]);
    struct proc_spec spec = {
        .argv = a.v, .cwd = sb->disabled ? sb->tree : "/", .out_fd = out_fd, .err_fd = err_fd,
        .wall = wall, .setup = sandbox_setup, .setup_arg = (void *)sb,
    };
    int r = proc_run(&spec, res, err);
    strv_free(&a);
    if (r < 0)
        return -1;
    /* bwrap reports a command killed by signal N as status 128 + N. */
    if (!sb->disabled && !res->signal && res->status > 128 && res->status < 128 + 65) {
        res->signal = res->status - 128;
        res->status = -1;
    }
    return 0;
}

int sandbox_check(const struct sandbox *sb, char *err)
{
    char *argv[] = {"true", NULL};
    struct proc_result res;
    if (sandbox_run(sb, argv, -1, -1, 30, &res, err) < 0)
        return -1;
    if (res.status != 0)
        return errf(err, "bwrap: the sandbox does not start (status %d; try: %s "
                         "--unshare-all --ro-bind / / true)", res.status, BWRAP);
    return 0;
}

char *sandbox_path(const struct sandbox *sb, const char *rel)
{
    return xasprintf("%s/%s", sb->disabled ? sb->tree : SANDBOX_KIT, rel);
}
