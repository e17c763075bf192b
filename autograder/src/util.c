/*
 * util.c: the helpers of util.h. Allocation failures end the grader
 * (exit 1): there is nothing sensible to grade without memory. Everything
 * else reports through return values, so the caller decides what an error
 * means for the grade.
 */
#define _GNU_SOURCE
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void oom(void)
{
    fputs("grade: error: out of memory\n", stderr);
    exit(1);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        oom();
    return p;
}

char *xstrdup(const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        oom();
    return d;
}

static char *xvasprintf(const char *fmt, va_list ap)
{
    char *s;
    if (vasprintf(&s, fmt, ap) < 0)
        oom();
    return s;
}

char *xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

static void strv_take(struct strv *sv, char *s)
{
    if (sv->n + 2 > sv->cap) {
        sv->cap = sv->cap ? 2 * sv->cap : 8;
        sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

void strv_push(struct strv *sv, const char *s)
{
    strv_take(sv, xstrdup(s));
}

void strv_pushf(struct strv *sv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strv_take(sv, xvasprintf(fmt, ap));
    va_end(ap);
}

void strv_free(struct strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

char *strv_join(const struct strv *sv, const char *sep)
{
    size_t len = 1, seplen = strlen(sep);
    for (size_t i = 0; i < sv->n; i++)
        len += strlen(sv->v[i]) + seplen;
    char *s = xmalloc(len), *p = s;
    for (size_t i = 0; i < sv->n; i++) {
        if (i) {
            memcpy(p, sep, seplen);
            p += seplen;
        }
        size_t l = strlen(sv->v[i]);
        memcpy(p, sv->v[i], l);
        p += l;
    }
    *p = '\0';
    return s;
}

int errf(char *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, ERR_LEN, fmt, ap);
    va_end(ap);
    return -1;
}

char *util_read_fd(int fd, size_t cap, size_t *len, bool *truncated)
{
    size_t size = 0, alloc = 4096;
    char *buf = xmalloc(alloc + 1);
    if (truncated)
        *truncated = false;
    while (size < cap) {
        if (size == alloc) {
            alloc = alloc * 2 < cap ? alloc * 2 : cap;
            buf = xrealloc(buf, alloc + 1);
        }
        ssize_t r = pread(fd, buf + size, alloc - size, (off_t)size);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        size += (size_t)r;
    }
    if (size >= cap && truncated) {
        char c;
        *truncated = pread(fd, &c, 1, (off_t)size) == 1;
    }
    buf[size] = '\0';
    if (len)
        *len = size;
    return buf;
}

char *util_read_file(const char *path, size_t cap, size_t *len, bool *truncated)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    char *buf = util_read_fd(fd, cap, len, truncated);
    close(fd);
    return buf;
}

int util_write_atomic(const char *path, const char *data, size_t len, char *err)
{
    char *tmp = xasprintf("%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        errf(err, "%s: %s", tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            errf(err, "%s: %s", tmp, strerror(errno));
            close(fd);
            unlink(tmp);
            free(tmp);
            return -1;
        }
        done += (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
        errf(err, "%s: %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

int util_mkdirs(const char *path, mode_t mode)
{
    char *p = xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, mode) < 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int r = mkdir(p, mode) < 0 && errno != EEXIST ? -1 : 0;
    free(p);
    return r;
}

int util_copy_file(const char *src, const char *dst, mode_t mode, char *err)
{
    int in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0)
        return errf(err, "%s: %s", src, strerror(errno));
    int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
    if (out < 0) {
        close(in);
        return errf(err, "%s: %s", dst, strerror(errno));
    }
    char buf[65536];
    int r = 0;
    for (;;) {
        ssize_t n = read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            r = errf(err, "%s: %s", src, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        for (ssize_t done = 0; done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                r = errf(err, "%s: %s", dst, strerror(errno));
                goto out;
            }
            done += w;
        }
    }
out:
    close(in);
    if (close(out) < 0 && r == 0)
        r = errf(err, "%s: %s", dst, strerror(errno));
    return r;
}

/* nftw passes no user pointer: the owner goes through the walk one at a
 * time, so a walk-local static would be shared state. Walk by hand. */
static int chown_walk(int dirfd, const char *name, uid_t uid, gid_t gid, int depth)
{
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return -1;
    if (fchownat(dirfd, name, uid, gid, AT_SYMLINK_NOFOLLOW) < 0)
        return -1;
    if (!S_ISDIR(st.st_mode) || depth > 64)
        return 0;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    int r = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (chown_walk(fd, e->d_name, uid, gid, depth + 1) < 0)
            r = -1;
    }
    closedir(d);
    return r;
}

int util_chown_tree(const char *path, uid_t uid, gid_t gid)
{
    return chown_walk(AT_FDCWD, path, uid, gid, 0);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        return rmdir(path) < 0 && errno != ENOENT ? -1 : 0;
    return unlink(path) < 0 && errno != ENOENT ? -1 : 0;
}

static int unlock_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)ftw;
    if (flag == FTW_D || flag == FTW_DNR)
        chmod(path, (st->st_mode & 07777) | S_IRWXU);
    return 0;
}

int util_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return errno == ENOENT ? 0 : -1;
    /* A submission may leave folders without write or search permission. */
    nftw(path, unlock_one, 32, FTW_PHYS);
    return nftw(path, remove_one, 32, FTW_DEPTH | FTW_PHYS);
}

void util_split_lines(const char *text, struct strv *lines)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char *line = xmalloc(len + 1);
        memcpy(line, p, len);
        line[len] = '\0';
        strv_take(lines, line);
        p += len + (nl ? 1 : 0);
    }
}

double util_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool util_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

void util_sanitize(char *s)
{
    for (unsigned char *p = (unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p >= 0x7f)
            *p = '?';
}
