/*
 * proc.h: run one command in a child process with a wall-clock deadline.
 * The child gets its own process group, so a timeout kills everything it
 * started. The sandbox (sandbox.h) and the host commands the grader runs
 * itself (tar, git, the lab generator) both go through here.
 */
#ifndef GRADE_PROC_H
#define GRADE_PROC_H

#include <stdbool.h>

/** How one run ended. */
struct proc_result {
    int status;        /**< Exit status, or -1 if killed by a signal. */
    int signal;        /**< The signal that ended it, or 0. */
    bool timed_out;    /**< The deadline passed and the grader killed it. */
    double seconds;    /**< Wall-clock time it took. */
};

/** What to run and how. */
struct proc_spec {
    char *const *argv;   /**< Command and arguments (argv[0] searched in PATH). */
    const char *cwd;     /**< Folder to run in, or NULL. */
    int out_fd;          /**< Descriptor for stdout (-1: /dev/null). */
    int err_fd;          /**< Descriptor for stderr (-1: /dev/null). */
    double wall;         /**< Seconds before SIGKILL (<= 0: no limit). */
    /** Called in the child before exec; returns 0 or -1 (errno set). */
    int (*setup)(void *arg);
    void *setup_arg;     /**< Argument of setup. */
};

/**
 * Runs @p spec to the end or to its deadline. stdin is /dev/null. Returns
 * 0 with @p res filled, or -1 with @p err (ERR_LEN bytes) if it could not
 * be started (fork failed, or exec failed: status 127 in the child is
 * reported as such, not as an error).
 */
int proc_run(const struct proc_spec *spec, struct proc_result *res, char *err);

/**
 * Runs @p argv on the host (no sandbox) with output to @p log_fd and a
 * deadline of @p wall seconds. Returns 0 if it exited with status 0, else
 * -1 with @p err saying how it ended.
 */
int proc_host(char *const *argv, const char *cwd, int log_fd, double wall, char *err);

#endif
