/*
 * submission.c: unpacking and the allow-list copy. Tarballs are listed
 * with GNU tar first and refused whole if a member is absolute, has a
 * '..' component, or is anything but a regular file or a folder; then
 * extracted (no owners, no modes beyond the umask, file size capped).
 * Allow-listed files are checked with lstat on every path component, so
 * a symbolic link anywhere in the path is never followed.
 */
#define _GNU_SOURCE
#include "submission.h"
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static bool is_tarball(const char *p)
{
    return util_ends_with(p, ".tar") || util_ends_with(p, ".tar.gz") || util_ends_with(p, ".tgz");
}

static bool exists(const char *dir, const char *name, bool want_dir)
{
    char *p = xasprintf("%s/%s", dir, name);
    struct stat st;
    bool r = lstat(p, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : true);
    free(p);
    return r;
}

static int fsize_limit(void *arg)
{
    (void)arg;
    struct rlimit rl = {512ULL << 20, 512ULL << 20};
    return setrlimit(RLIMIT_FSIZE, &rl);
}

/* Runs tar (listing: output to @out_fd) with the size limit. */
static int run_tar(char *const *argv, const char *tarball, int out_fd, int log_fd, char *err)
{
    struct proc_spec spec = {
        .argv = argv, .out_fd = out_fd, .err_fd = log_fd, .wall = 300, .setup = fsize_limit,
    };
    struct proc_result res;
    if (proc_run(&spec, &res, err) < 0)
        return -1;
    if (res.timed_out || res.signal || res.status != 0)
        return errf(err, "%s: tar: cannot read it (%s)", tarball, res.timed_out ? "timed out"
                                                     : res.signal ? strsignal(res.signal)
                                                                  : "not a tar archive?");
    return 0;
}

/* A temporary file for a listing, unlinked at once. */
static int listing_fd(const char *into, char *err)
{
    char *path = xasprintf("%s.list-XXXXXX", into);
    int fd = mkstemp(path);
    if (fd < 0)
        errf(err, "%s: %s", path, strerror(errno));
    else
        unlink(path);
    free(path);
    return fd;
}

static char *tar_list(const char *tarball, const char *into, bool verbose, int log_fd, char *err)
{
    int fd = listing_fd(into, err);
    if (fd < 0)
        return NULL;
    char *argv[] = {"tar", verbose ? "-tvf" : "-tf", (char *)tarball, "--quoting-style=escape", NULL};
    char *text = NULL;
    if (run_tar(argv, tarball, fd, log_fd, err) == 0)
        text = util_read_fd(fd, 64 << 20, NULL, NULL);
    close(fd);
    return text;
}

static bool bad_member(const char *name)
{
    if (name[0] == '/')
        return true;
    for (const char *s = name; (s = strstr(s, "..")); s += 2)
        if ((s == name || s[-1] == '/') && (s[2] == '\0' || s[2] == '/'))
            return true;
    return false;
}

static int check_tarball(const char *tarball, const char *into, int log_fd, char *err)
{
    char *names = tar_list(tarball, into, false, log_fd, err);
    if (!names)
        return -1;
    char *longs = tar_list(tarball, into, true, log_fd, err);
    if (!longs) {
        free(names);
        return -1;
    }
    struct strv n = {0}, l = {0};
    util_split_lines(names, &n);
    util_split_lines(longs, &l);
    free(names);
    free(longs);
    int r = 0;
    if (n.n != l.n)
        r = errf(err, "%s: refused: its listing does not parse", tarball);
    for (size_t i = 0; r == 0 && i < n.n; i++) {
        if (bad_member(n.v[i]))
            r = errf(err, "%s: refused: member '%s' is an absolute path or has '..'", tarball, n.v[i]);
        else if (l.v[i][0] != '-' && l.v[i][0] != 'd')
            r = errf(err, "%s: refused: member '%s' is not a regular file or a folder", tarball,
                     n.v[i]);
    }
    strv_free(&n);
    strv_free(&l);
    return r;
}

int sub_open(const char *submission, const char *into, int log_fd, char **dir, char *err)
{
    struct stat st;
    err[0] = '\0';
    *dir = NULL;
    if (stat(submission, &st) < 0)
        return errf(err, "%s: cannot read the submission: %s", submission, strerror(errno));
    char *abs = realpath(submission, NULL);
    if (!abs)
        return errf(err, "%s: %s", submission, strerror(errno));
    int r = 0;
    if (S_ISREG(st.st_mode) && is_tarball(abs)) {
        if (check_tarball(abs, into, log_fd, err) < 0 || mkdir(into, 0700) < 0) {
            if (!*err)
                errf(err, "%s: %s", into, strerror(errno));
            r = -1;
        } else {
            char *argv[] = {"tar", "-xf", abs, "-C", (char *)into, "--no-same-owner",
                            "--no-same-permissions", NULL};
            r = run_tar(argv, abs, log_fd, log_fd, err);
            *dir = xstrdup(into);
        }
    } else if (S_ISDIR(st.st_mode) &&
               (exists(abs, ".git", false) ||
                (exists(abs, "objects", true) && exists(abs, "refs", true) && exists(abs, "HEAD", false)))) {
        char *url = xasprintf("file://%s", abs);
        char *argv[] = {"git", "-c", "safe.directory=*", "-c", "protocol.file.allow=always",
                        "clone", "--quiet", "--depth", "1", url, (char *)into, NULL};
        r = proc_host(argv, NULL, log_fd, 300, err);
        if (r < 0) {
            char why[ERR_LEN];
            snprintf(why, sizeof why, "%s", err);
            errf(err, "%s: cannot clone the git repository: %s", submission, why);
        }
        free(url);
        *dir = xstrdup(into);
    } else if (S_ISDIR(st.st_mode)) {
        *dir = xstrdup(abs);
    } else {
        r = errf(err, "%s: not a folder, a tarball (.tar, .tar.gz, .tgz) or a git repository",
                 submission);
    }
    free(abs);
    if (r < 0 && *dir) {
        free(*dir);
        *dir = NULL;
    }
    return r;
}

/* Why @rel under @dir cannot be used, or NULL if it can. */
static const char *check_file(const char *dir, const char *rel)
{
    char *p = xasprintf("%s/%s", dir, rel);
    size_t start = strlen(dir) + 1;
    const char *why = NULL;
    struct stat st;
    for (size_t i = start;; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        char c = p[i];
        p[i] = '\0';
        if (lstat(p, &st) < 0)
            why = "missing";
        else if (S_ISLNK(st.st_mode))
            why = "a symbolic link";
        else if (c == '/' && !S_ISDIR(st.st_mode))
            why = "missing";
        else if (c == '\0' && !S_ISREG(st.st_mode))
            why = "not a regular file";
        else if (c == '\0' && st.st_size > SUB_MAX_FILE)
            why = "larger than 1 MB";
        p[i] = c;
        if (why || c == '\0')
            break;
    }
    free(p);
    return why;
}

int sub_copy(const char *dir, const char *tree, const struct strv *files, struct strv *notes,
             char *err)
{
    int copied = 0;
    for (size_t i = 0; i < files->n; i++) {
        const char *f = files->v[i];
        const char *why = check_file(dir, f);
        if (why && !strcmp(why, "missing")) {
            strv_pushf(notes, "not submitted: %s; the starter's version is used", f);
            continue;
        }
        if (why) {
            strv_pushf(notes, "not used: %s is %s; the starter's version is used", f, why);
            continue;
        }
        char *src = xasprintf("%s/%s", dir, f), *dst = xasprintf("%s/%s", tree, f);
        char *slash = strrchr(dst, '/');
        *slash = '\0';
        int r = util_mkdirs(dst, 0755);
        *slash = '/';
        if (r < 0)
            errf(err, "%s: %s", dst, strerror(errno));
        else {
            unlink(dst);
            r = util_copy_file(src, dst, 0644, err);
        }
        free(src);
        free(dst);
        if (r < 0)
            return -1;
        copied++;
    }
    return copied;
}
