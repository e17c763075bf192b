/*
 * tree.c: the pristine tree. With tools/lab-release.sh the generator does
 * the work; without it (a released tree) the kit's files are copied:
 * the ones git tracks if it is a work tree, else everything but build/
 * and .git. autograder/hidden/ is never copied.
 */
#define _GNU_SOURCE
#include "tree.h"
#include "proc.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool skipped(const char *rel)
{
    return !strncmp(rel, "autograder/hidden/", 18) || !strcmp(rel, "autograder/hidden") ||
           !strcmp(rel, "build") || !strcmp(rel, ".git");
}

/* make decides from modification times: a copy keeps them. */
static int keep_times(const char *dst, const struct stat *st, char *err)
{
    struct timespec t[2] = {st->st_atim, st->st_mtim};
    if (utimensat(AT_FDCWD, dst, t, AT_SYMLINK_NOFOLLOW) < 0)
        return errf(err, "%s: %s", dst, strerror(errno));
    return 0;
}

/* Copies one entry (file, symlink or folder) of the kit. */
static int copy_entry(const char *src, const char *dst, char *err)
{
    struct stat st;
    if (lstat(src, &st) < 0)
        return errno == ENOENT ? 0 : errf(err, "%s: %s", src, strerror(errno));
    char *slash = strrchr(dst, '/');
    *slash = '\0';
    int r = util_mkdirs(dst, 0755);
    *slash = '/';
    if (r < 0)
        return errf(err, "%s: %s", dst, strerror(errno));
    if (S_ISLNK(st.st_mode)) {
        char target[4096];
        ssize_t n = readlink(src, target, sizeof target - 1);
        if (n < 0)
            return errf(err, "%s: %s", src, strerror(errno));
        target[n] = '\0';
        if (symlink(target, dst) < 0)
            return errf(err, "%s: %s", dst, strerror(errno));
        return keep_times(dst, &st, err);
    }
    if (S_ISDIR(st.st_mode))
        return util_mkdirs(dst, st.st_mode & 0777) < 0 ? errf(err, "%s: %s", dst, strerror(errno)) : 0;
    if (!S_ISREG(st.st_mode))
        return 0;
    if (util_copy_file(src, dst, st.st_mode & 0777, err) < 0)
        return -1;
    return keep_times(dst, &st, err);
}

static int copy_walk(const char *src, const char *dst, const char *rel, char *err)
{
    DIR *d = opendir(src);
    if (!d)
        return errf(err, "%s: %s", src, strerror(errno));
    if (util_mkdirs(dst, 0755) < 0) {
        closedir(d);
        return errf(err, "%s: %s", dst, strerror(errno));
    }
    int r = 0;
    struct dirent *e;
    while (r == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *r2 = *rel ? xasprintf("%s/%s", rel, e->d_name) : xstrdup(e->d_name);
        char *s = xasprintf("%s/%s", src, e->d_name), *t = xasprintf("%s/%s", dst, e->d_name);
        struct stat st;
        if (!skipped(r2) && lstat(s, &st) == 0)
            r = S_ISDIR(st.st_mode) ? copy_walk(s, t, r2, err) : copy_entry(s, t, err);
        free(r2);
        free(s);
        free(t);
    }
    closedir(d);
    return r;
}

int tree_copy_dir(const char *src, const char *dest, char *err)
{
    return copy_walk(src, dest, "\x01", err); /* a rel that skips nothing */
}

static int copy_git_files(const char *kit, const char *dest, int log_fd, char *err)
{
    char *path = xasprintf("%s/.ls-files-XXXXXX", dest);
    int fd = mkstemp(path);
    if (fd < 0) {
        errf(err, "%s: %s", path, strerror(errno));
        free(path);
        return -1;
    }
    unlink(path);
    free(path);
    char *argv[] = {"git", "-c", "safe.directory=*", "-C", (char *)kit, "ls-files", "-z", NULL};
    struct proc_spec spec = {.argv = argv, .out_fd = fd, .err_fd = log_fd, .wall = 120};
    struct proc_result res;
    if (proc_run(&spec, &res, err) < 0 || res.status != 0) {
        close(fd);
        return res.status ? errf(err, "git ls-files in %s failed", kit) : -1;
    }
    size_t len;
    char *list = util_read_fd(fd, 256 << 20, &len, NULL);
    close(fd);
    int r = 0;
    for (size_t off = 0; r == 0 && off < len; off += strlen(list + off) + 1) {
        const char *rel = list + off;
        if (skipped(rel) || !strncmp(rel, "build/", 6))
            continue;
        char *s = xasprintf("%s/%s", kit, rel), *t = xasprintf("%s/%s", dest, rel);
        r = copy_entry(s, t, err);
        free(s);
        free(t);
    }
    free(list);
    return r;
}

int tree_pristine(const char *kit, int lab, const char *dest, int log_fd, char *err)
{
    char *gen = xasprintf("%s/tools/lab-release.sh", kit);
    int r;
    if (access(gen, X_OK) == 0) {
        char num[32];
        snprintf(num, sizeof num, "%d", lab);
        char *argv[] = {gen, num, (char *)dest, NULL};
        r = proc_host(argv, kit, log_fd, 300, err);
        if (r < 0) {
            char why[ERR_LEN];
            snprintf(why, sizeof why, "%s", err);
            errf(err, "tools/lab-release.sh %d: %s (see the log above)", lab, why);
        }
    } else {
        char *git = xasprintf("%s/.git", kit);
        struct stat st;
        r = lstat(git, &st) == 0 ? copy_git_files(kit, dest, log_fd, err) : copy_walk(kit, dest, "", err);
        free(git);
    }
    free(gen);
    return r;
}
