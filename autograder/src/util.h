/*
 * util.h: small helpers every module of the autograder uses: growable
 * string lists, checked allocation, formatted strings, error buffers and
 * file helpers (capped reads, atomic writes, copies, recursive mkdir).
 */
#ifndef GRADE_UTIL_H
#define GRADE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/** Size of the error buffers the modules fill ("WHAT: why", no prefix). */
#define ERR_LEN 1024

/** A growable list of owned, NUL-terminated strings (v[n] is NULL). */
struct strv {
    char **v;   /**< The strings, NULL-terminated. */
    size_t n;   /**< How many. */
    size_t cap; /**< Allocated slots. */
};

/** malloc that exits 1 with "grade: error: out of memory" on failure. */
void *xmalloc(size_t n);
/** calloc with the same policy as xmalloc. */
void *xcalloc(size_t n, size_t size);
/** realloc with the same policy as xmalloc. */
void *xrealloc(void *p, size_t n);
/** strdup with the same policy as xmalloc (NULL gives NULL). */
char *xstrdup(const char *s);
/** A newly allocated printf-formatted string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Appends a copy of @p s to @p sv. */
void strv_push(struct strv *sv, const char *s);
/** Appends a formatted string to @p sv. */
void strv_pushf(struct strv *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Frees every string of @p sv and the list itself; leaves it empty. */
void strv_free(struct strv *sv);
/** Joins the strings of @p sv with @p sep (a new string). */
char *strv_join(const struct strv *sv, const char *sep);

/** Formats an error message into @p err (ERR_LEN bytes) and returns -1. */
int errf(char *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/**
 * Reads at most @p cap bytes of the file @p path into a new NUL-terminated
 * buffer. *len gets the bytes read, *truncated (if not NULL) whether the
 * file was longer. Returns NULL (errno set) if it cannot be opened.
 */
char *util_read_file(const char *path, size_t cap, size_t *len, bool *truncated);
/** As util_read_file, from an open descriptor (from offset 0). */
char *util_read_fd(int fd, size_t cap, size_t *len, bool *truncated);
/** Writes @p len bytes to @p path through @p path.tmp and rename(2). */
int util_write_atomic(const char *path, const char *data, size_t len, char *err);
/** Creates @p path and its missing parents with @p mode (as mkdir -p). */
int util_mkdirs(const char *path, mode_t mode);
/** Copies the regular file @p src to @p dst (created or truncated, @p mode). */
int util_copy_file(const char *src, const char *dst, mode_t mode, char *err);
/** Changes the owner of @p path and everything under it (lchown). */
int util_chown_tree(const char *path, uid_t uid, gid_t gid);
/** Removes @p path and everything under it; missing is not an error. */
int util_remove_tree(const char *path);
/** Splits @p text into lines (a final line without newline counts). */
void util_split_lines(const char *text, struct strv *lines);
/** Replaces, in place, every byte but printable ASCII, tab and newline by '?'. */
void util_sanitize(char *s);
/** Monotonic time in seconds. */
double util_now(void);
/** Whether @p s ends with @p suffix. */
bool util_ends_with(const char *s, const char *suffix);

#endif
