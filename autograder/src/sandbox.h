/*
 * sandbox.h: run submission code (its build, its unit tests, the monitor
 * it makes) unprivileged in a bubblewrap sandbox: no network, no other
 * process, nothing of the host but /usr, /etc and the libraries read-only,
 * the work tree at /kit, and rlimits on memory, file size, processes and
 * core dumps. Nothing of the grader's (its logs, the results file, the
 * hidden tests) is in reach.
 */
#ifndef GRADE_SANDBOX_H
#define GRADE_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

#include "proc.h"

/** The uid and gid the sandbox runs as when the grader is root (nobody). */
#define SANDBOX_UID 65534
/**
 * Batch mode gives each grading a uid of its own, SANDBOX_BATCH_UID + the
 * entry's index: RLIMIT_NPROC counts every process of a uid, so a fork
 * bomb as nobody would starve the builds of the gradings beside it.
 */
#define SANDBOX_BATCH_UID 2000000000u
/** Where the work tree is mounted inside the sandbox. */
#define SANDBOX_KIT "/kit"

/** One sandbox configuration: the tree it gets and the limits. */
struct sandbox {
    char *tree;        /**< Host path of the tree mounted at /kit. */
    bool disabled;     /**< --no-sandbox: run directly in the tree (debugging). */
    bool root;         /**< The grader runs as root: drop to uid. */
    uid_t uid;         /**< The sandbox's uid and gid when root (default nobody). */
    long nproc;        /**< RLIMIT_NPROC for the sandboxed processes. */
};

/**
 * Prepares @p sb for the tree @p tree, run as @p uid if the grader is root: checks that bwrap is installed
 * (unless @p disabled) and works out the process limit. Returns 0, or -1
 * with @p err (bwrap missing: the message says how to install it).
 */
int sandbox_init(struct sandbox *sb, const char *tree, bool disabled, uid_t uid, char *err);

/**
 * Checks that the sandbox starts at all (runs `true` in it), so a broken
 * bwrap is the grader's failure, not a build that failed. Returns 0 or -1
 * with @p err.
 */
int sandbox_check(const struct sandbox *sb, char *err);

/**
 * The path under which the sandboxed processes see @p rel (a path
 * relative to the tree): "/kit/REL", or TREE/REL with --no-sandbox.
 */
char *sandbox_path(const struct sandbox *sb, const char *rel);

/** Frees what sandbox_init allocated. */
void sandbox_free(struct sandbox *sb);

/**
 * Runs @p argv (paths relative to /kit) in the sandbox, stdout to
 * @p out_fd and stderr to @p err_fd, killed after @p wall seconds. A
 * process ended by a signal inside is reported with res->signal set
 * (bwrap turns it into status 128+N). Returns 0, or -1 with @p err if the
 * sandbox could not be started.
 */
int sandbox_run(const struct sandbox *sb, char *const *argv, int out_fd, int err_fd,
                double wall, struct proc_result *res, char *err);

#endif
