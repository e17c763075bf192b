/*
 * proc.c: fork, exec and wait with a deadline. The parent waits on a
 * pidfd with poll(2) (falling back to waitpid(WNOHANG) and short sleeps),
 * so the only use of the clock is the deadline itself. On timeout the
 * child's whole process group gets SIGKILL.
 */
#define _GNU_SOURCE
#include "proc.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void child(const struct proc_spec *spec, int report_fd)
{
    setpgid(0, 0);
    signal(SIGPIPE, SIG_DFL);
    int null = open("/dev/null", O_RDWR);
    if (null < 0 || dup2(null, 0) < 0 ||
        dup2(spec->out_fd >= 0 ? spec->out_fd : null, 1) < 0 ||
        dup2(spec->err_fd >= 0 ? spec->err_fd : null, 2) < 0)
        goto fail;
    if (spec->cwd && chdir(spec->cwd) < 0)
        goto fail;
    if (spec->setup && spec->setup(spec->setup_arg) < 0)
        goto fail;
    /* Nothing of the grader's stays open in the child but the error pipe
     * (close-on-exec), so it cannot reach W/out or the results file. */
    for (int fd = 3; fd < 1024; fd++)
        if (fd != report_fd)
            close(fd);
    execvp(spec->argv[0], spec->argv);
fail:;
    int e = errno;
    if (write(report_fd, &e, sizeof e) < 0) {
        /* nothing more to say */
    }
    _exit(127);
}

static int pidfd_open_(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

/* Waits until @pid ends or @deadline (monotonic seconds, <= 0: none). */
static int wait_deadline(pid_t pid, double deadline, int *wstatus, bool *timed_out)
{
    int pidfd = pidfd_open_(pid);
    *timed_out = false;
    for (;;) {
        pid_t r = waitpid(pid, wstatus, WNOHANG);
        if (r == pid)
            break;
        if (r < 0 && errno != EINTR) {
            if (pidfd >= 0)
                close(pidfd);
            return -1;
        }
        double left = deadline > 0 ? deadline - util_now() : 1.0;
        if (deadline > 0 && left <= 0) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            *timed_out = true;
            while (waitpid(pid, wstatus, 0) < 0 && errno == EINTR)
                ;
            break;
        }
        if (pidfd >= 0) {
            struct pollfd p = {.fd = pidfd, .events = POLLIN};
            int ms = left > 1.0 ? 1000 : (int)(left * 1000) + 1;
            poll(&p, 1, ms);
        } else {
            struct timespec ts = {0, 2000000};
            nanosleep(&ts, NULL);
        }
    }
    if (pidfd >= 0)
        close(pidfd);
    /* Whatever the child left in its group goes with it. */
    kill(-pid, SIGKILL);
    return 0;
}

int proc_run(const struct proc_spec *spec, struct proc_result *res, char *err)
{
    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        return errf(err, "pipe: %s", strerror(errno));
    fflush(NULL);
    double start = util_now();
    pid_t pid = fork();
    if (pid < 0) {
        close(pipefd[0]);
        close(pipefd[1]);
        return errf(err, "fork: %s", strerror(errno));
    }
    if (pid == 0) {
        close(pipefd[0]);
        child(spec, pipefd[1]);
    }
    setpgid(pid, pid);
    close(pipefd[1]);
    int wstatus = 0;
    bool timed_out;
    double deadline = spec->wall > 0 ? start + spec->wall : 0;
    if (wait_deadline(pid, deadline, &wstatus, &timed_out) < 0) {
        close(pipefd[0]);
        return errf(err, "waitpid: %s", strerror(errno));
    }
    int child_errno = 0;
    ssize_t n = read(pipefd[0], &child_errno, sizeof child_errno);
    close(pipefd[0]);
    if (n == (ssize_t)sizeof child_errno)
        return errf(err, "%s: could not run it: %s", spec->argv[0], strerror(child_errno));
    res->seconds = util_now() - start;
    res->timed_out = timed_out;
    res->status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    res->signal = WIFSIGNALED(wstatus) ? WTERMSIG(wstatus) : 0;
    return 0;
}

int proc_host(char *const *argv, const char *cwd, int log_fd, double wall, char *err)
{
    struct proc_spec spec = {
        .argv = argv, .cwd = cwd, .out_fd = log_fd, .err_fd = log_fd, .wall = wall,
    };
    struct proc_result res;
    if (proc_run(&spec, &res, err) < 0)
        return -1;
    if (res.timed_out)
        return errf(err, "%s: timed out after %.0f s", argv[0], wall);
    if (res.signal)
        return errf(err, "%s: killed by %s", argv[0], strsignal(res.signal));
    if (res.status != 0)
        return errf(err, "%s: exit status %d", argv[0], res.status);
    return 0;
}
