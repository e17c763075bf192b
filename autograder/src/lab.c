/*
 * lab.c: lab.json and hidden tests.json, parsed with jansson and checked
 * field by field: unknown keys, wrong types, bad paths, duplicate names,
 * requires that name no test or go round in a cycle. Every message names
 * the file and the key ("FILE: tests[2].points: must be a number >= 0").
 */
#define _GNU_SOURCE
#include "lab.h"

#include <errno.h>
#include <glob.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/** Where we are in which file, for messages. */
struct ctx {
    const char *file;  /**< the file, as shown in messages */
    const char *kit;   /**< the kit root */
    const char *base;  /**< scenario paths are relative to this */
    char *err;         /**< the first error found (malloc'd), or NULL */
};

static int bad(const struct ctx *c, const char *key, const char *fmt, const char *what)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, what);
    return errf(c->err, "%s: %s: %s", c->file, key, msg);
}

static int check_keys(const struct ctx *c, json_t *obj, const char *where,
                      const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool ok = false;
        for (int i = 0; allowed[i]; i++)
            ok = ok || !strcmp(key, allowed[i]);
        if (!ok) {
            char k[300];
            snprintf(k, sizeof k, "%s%s%s", where, *where ? "." : "", key);
            return bad(c, k, "unknown key%s", "");
        }
    }
    return 0;
}

static int get_string(const struct ctx *c, json_t *obj, const char *key, const char *where,
                      bool required, char **out)
{
    char k[300];
    snprintf(k, sizeof k, "%s%s%s", where, *where ? "." : "", key);
    json_t *v = json_object_get(obj, key);
    if (!v)
        return required ? bad(c, k, "missing%s", "") : 0;
    if (!json_is_string(v) || !*json_string_value(v))
        return bad(c, k, "must be a non-empty string%s", "");
    *out = xstrdup(json_string_value(v));
    return 0;
}

/* A string or (if @one_ok) a list of strings; a missing key is an empty list. */
static int get_strings(const struct ctx *c, json_t *obj, const char *key, const char *where,
                       bool one_ok, struct strv *out)
{
    char k[300];
    snprintf(k, sizeof k, "%s%s%s", where, *where ? "." : "", key);
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (one_ok && json_is_string(v)) {
        strv_push(out, json_string_value(v));
        return 0;
    }
    if (!json_is_array(v))
        return bad(c, k, "must be a list of strings%s", one_ok ? " or a string" : "");
    size_t i;
    json_t *e;
    json_array_foreach(v, i, e) {
        if (!json_is_string(e) || !*json_string_value(e))
            return bad(c, k, "must be a list of non-empty strings%s", "");
        strv_push(out, json_string_value(e));
    }
    return 0;
}

static int get_number(const struct ctx *c, json_t *obj, const char *key, const char *where,
                      double min, double *out)
{
    char k[300];
    snprintf(k, sizeof k, "%s%s%s", where, *where ? "." : "", key);
    json_t *v = json_object_get(obj, key);
    if (!v)
        return 0;
    if (!json_is_number(v) || json_number_value(v) < min || json_number_value(v) > 1e12) {
        char m[64];
        snprintf(m, sizeof m, "must be a number >= %g", min);
        return bad(c, k, "%s", m);
    }
    *out = json_number_value(v);
    return 0;
}

/* A path inside the tree: relative, no "..", ".", or empty component. */
static bool safe_relpath(const char *p)
{
    if (!*p || *p == '/')
        return false;
    const char *s = p;
    for (;;) {
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return false;
        if (!e)
            return true;
        s = e + 1;
    }
}

static int check_path(const struct ctx *c, const char *key, const char *base, const char *rel,
                      bool dir)
{
    if (!safe_relpath(rel))
        return bad(c, key, "'%s': must be a relative path inside the tree, without '..'", rel);
    char *full = xasprintf("%s/%s", base, rel);
    struct stat st;
    int r = 0;
    if (stat(full, &st) < 0)
        r = bad(c, key, "'%s': no such file in the kit", rel);
    else if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
        r = bad(c, key, dir ? "'%s': not a folder" : "'%s': not a regular file", rel);
    free(full);
    return r;
}

static const char *const test_keys[] = {
    "name", "points", "unit", "scenario", "max_cycles", "wall", "requires",
    "baseline", "visibility", NULL,
};

static int parse_test(const struct ctx *c, json_t *t, size_t index, bool hidden,
                      struct lab_test *out)
{
    char where[64];
    snprintf(where, sizeof where, "tests[%zu]", index);
    memset(out, 0, sizeof *out);
    out->hidden = hidden;
    if (!json_is_object(t))
        return bad(c, where, "must be an object%s", "");
    if (check_keys(c, t, where, test_keys) < 0 || get_string(c, t, "name", where, true, &out->name) < 0)
        return -1;
    char key[300];
    out->points = -1;
    if (get_number(c, t, "points", where, 0, &out->points) < 0)
        return -1;
    if (out->points < 0) {
        snprintf(key, sizeof key, "%s.points", where);
        return bad(c, key, "missing%s", "");
    }
    json_t *unit = json_object_get(t, "unit"), *scen = json_object_get(t, "scenario");
    if (!unit == !scen) {
        snprintf(key, sizeof key, "%s (\"%s\")", where, out->name);
        return bad(c, key, "needs exactly one of \"unit\" and \"scenario\"%s", "");
    }
    if (unit) {
        out->kind = LAB_UNIT;
        if (get_strings(c, t, "unit", where, true, &out->globs) < 0)
            return -1;
        if (out->globs.n == 0) {
            snprintf(key, sizeof key, "%s.unit", where);
            return bad(c, key, "must name at least one test glob%s", "");
        }
        if (json_object_get(t, "max_cycles")) {
            snprintf(key, sizeof key, "%s.max_cycles", where);
            return bad(c, key, "only for scenario tests%s", "");
        }
    } else {
        out->kind = LAB_SCENARIO;
        if (get_string(c, t, "scenario", where, true, &out->scenario_rel) < 0)
            return -1;
        snprintf(key, sizeof key, "%s.scenario", where);
        if (check_path(c, key, c->base, out->scenario_rel, false) < 0)
            return -1;
        if (!util_ends_with(out->scenario_rel, ".conf"))
            return bad(c, key, "'%s': must be a .conf file", out->scenario_rel);
        out->scenario = xasprintf("%s/%s", c->base, out->scenario_rel);
    }
    double cycles = (double)LAB_MAX_CYCLES_DEFAULT;
    out->wall = out->kind == LAB_UNIT ? LAB_UNIT_WALL_DEFAULT : LAB_WALL_DEFAULT;
    if (get_number(c, t, "max_cycles", where, 1, &cycles) < 0 ||
        get_number(c, t, "wall", where, 0.1, &out->wall) < 0)
        return -1;
    out->max_cycles = (long long)cycles;
    if (get_strings(c, t, "requires", where, false, &out->requires) < 0)
        return -1;
    json_t *b = json_object_get(t, "baseline");
    if (b && !json_is_boolean(b)) {
        snprintf(key, sizeof key, "%s.baseline", where);
        return bad(c, key, "must be true or false%s", "");
    }
    out->baseline = b && json_is_true(b);
    if (out->baseline && out->points != 0) {
        snprintf(key, sizeof key, "%s.points", where);
        return bad(c, key, "a baseline test has 0 points%s", "");
    }
    if (get_string(c, t, "visibility", where, false, &out->visibility) < 0)
        return -1;
    if (!out->visibility)
        out->visibility = xstrdup(hidden ? "after_due_date" : "visible");
    const char *v = out->visibility;
    if (strcmp(v, "visible") && strcmp(v, "hidden") && strcmp(v, "after_due_date") &&
        strcmp(v, "after_published")) {
        snprintf(key, sizeof key, "%s.visibility", where);
        return bad(c, key, "'%s': must be visible, hidden, after_due_date or after_published", v);
    }
    return 0;
}

static void free_test(struct lab_test *t)
{
    free(t->name);
    strv_free(&t->globs);
    free(t->scenario);
    free(t->scenario_rel);
    strv_free(&t->requires);
    free(t->visibility);
}

static int parse_tests(const struct ctx *c, json_t *arr, bool hidden, struct lab *lab)
{
    if (!json_is_array(arr))
        return bad(c, "tests", "must be a list of tests%s", "");
    size_t i;
    json_t *t;
    json_array_foreach(arr, i, t) {
        lab->tests = xrealloc(lab->tests, (lab->ntests + 1) * sizeof *lab->tests);
        struct lab_test *nt = &lab->tests[lab->ntests];
        int r = parse_test(c, t, i, hidden, nt);
        lab->ntests++;
        if (r < 0)
            return -1;
        for (size_t j = 0; j + 1 < lab->ntests; j++)
            if (!strcmp(lab->tests[j].name, nt->name)) {
                char key[64];
                snprintf(key, sizeof key, "tests[%zu].name", i);
                return bad(c, key, "duplicate test name '%s'", nt->name);
            }
    }
    return 0;
}

static json_t *load_json(const char *path, char *err)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        errf(err, "%s:%d: %s", path, je.line, je.text);
    return root;
}

/* Depth-first search for a cycle of requires through test @i. */
static int find_cycle(const struct lab *lab, size_t i, char *state)
{
    state[i] = 1;
    const struct lab_test *t = &lab->tests[i];
    for (size_t r = 0; r < t->requires.n; r++) {
        size_t j = (size_t)(lab_find(lab, t->requires.v[r]) - lab->tests);
        if (state[j] == 1)
            return (int)j;
        if (state[j] == 0) {
            int c = find_cycle(lab, j, state);
            if (c >= 0)
                return c;
        }
    }
    state[i] = 2;
    return -1;
}

static int check_requires(const struct lab *lab, char *err)
{
    for (size_t i = 1; i < lab->ntests; i++) {
        const struct lab_test *t = &lab->tests[i];
        const char *file = t->hidden ? lab->hidden_path : lab->path;
        for (size_t r = 0; r < t->requires.n; r++) {
            const struct lab_test *p = lab_find(lab, t->requires.v[r]);
            if (!p)
                return errf(err, "%s: requires of test '%s': '%s' names no test", file,
                            t->name, t->requires.v[r]);
            if (p == t)
                return errf(err, "%s: requires of test '%s': a test cannot require itself",
                            file, t->name);
            if (!t->hidden && p->hidden)
                return errf(err, "%s: requires of test '%s': '%s' is a hidden test", file,
                            t->name, p->name);
        }
    }
    char *state = xcalloc(lab->ntests, 1);
    for (size_t i = 0; i < lab->ntests; i++) {
        if (state[i])
            continue;
        int c = find_cycle(lab, i, state);
        if (c >= 0) {
            const struct lab_test *t = &lab->tests[c];
            free(state);
            return errf(err, "%s: requires of test '%s': a cycle of requires",
                        t->hidden ? lab->hidden_path : lab->path, t->name);
        }
    }
    free(state);
    return 0;
}

static const char *const lab_keys[] = {
    "lab", "name", "title", "version", "handout", "files", "build", "unit_binary",
    "unit_sources", "time_limit", "hints", "tests", NULL,
};

static int parse_lab(const struct ctx *c, json_t *root, int number, struct lab *lab)
{
    if (!json_is_object(root))
        return bad(c, "(top)", "must be an object%s", "");
    if (check_keys(c, root, "", lab_keys) < 0)
        return -1;
    json_t *n = json_object_get(root, "lab");
    if (!json_is_integer(n))
        return bad(c, "lab", "must be the lab's number%s", "");
    if (json_integer_value(n) != number) {
        char num[32];
        snprintf(num, sizeof num, "%d", number);
        return bad(c, "lab", "is not %s (the folder's number)", num);
    }
    lab->number = number;
    if (get_string(c, root, "name", "", true, &lab->name) < 0 ||
        get_string(c, root, "title", "", true, &lab->title) < 0 ||
        get_string(c, root, "handout", "", false, &lab->handout) < 0 ||
        get_string(c, root, "unit_binary", "", false, &lab->unit_binary) < 0)
        return -1;
    json_t *v = json_object_get(root, "version");
    if (!json_is_integer(v) || json_integer_value(v) < 0)
        return bad(c, "version", "must be an integer >= 0%s", "");
    lab->version = json_integer_value(v);
    if (get_strings(c, root, "files", "", false, &lab->files) < 0 ||
        get_strings(c, root, "build", "", false, &lab->build) < 0 ||
        get_strings(c, root, "unit_sources", "", false, &lab->unit_sources) < 0)
        return -1;
    if (lab->files.n == 0)
        return bad(c, "files", "must list at least one file%s", "");
    for (size_t i = 0; i < lab->files.n; i++)
        if (check_path(c, "files", c->kit, lab->files.v[i], false) < 0)
            return -1;
    for (size_t i = 0; i < lab->unit_sources.n; i++)
        if (check_path(c, "unit_sources", c->kit, lab->unit_sources.v[i], true) < 0)
            return -1;
    for (size_t i = 0; i < lab->build.n; i++)
        if (lab->build.v[i][0] == '-' || strpbrk(lab->build.v[i], " \t\n="))
            return bad(c, "build", "'%s': not a make target", lab->build.v[i]);
    if (lab->unit_binary && !safe_relpath(lab->unit_binary))
        return bad(c, "unit_binary", "'%s': must be a relative path without '..'", lab->unit_binary);
    lab->time_limit = 600;
    if (get_number(c, root, "time_limit", "", 1, &lab->time_limit) < 0)
        return -1;
    json_t *hints = json_object_get(root, "hints");
    if (hints && !json_is_array(hints))
        return bad(c, "hints", "must be a list of {\"match\", \"hint\"}%s", "");
    size_t i;
    json_t *h;
    json_array_foreach(hints, i, h) {
        char where[64];
        snprintf(where, sizeof where, "hints[%zu]", i);
        if (!json_is_object(h))
            return bad(c, where, "must be an object%s", "");
        static const char *const hint_keys[] = {"match", "hint", NULL};
        lab->hints = xrealloc(lab->hints, (lab->nhints + 1) * sizeof *lab->hints);
        struct lab_hint *lh = &lab->hints[lab->nhints++];
        memset(lh, 0, sizeof *lh);
        if (check_keys(c, h, where, hint_keys) < 0 ||
            get_string(c, h, "match", where, true, &lh->match) < 0 ||
            get_string(c, h, "hint", where, true, &lh->hint) < 0)
            return -1;
    }
    json_t *tests = json_object_get(root, "tests");
    if (!tests)
        return bad(c, "tests", "missing%s", "");
    return parse_tests(c, tests, false, lab);
}

/* labs/labN-* /lab.json: exactly one. */
static int find_lab(const char *kit, int number, char **path, char *err)
{
    char *pattern = xasprintf("%s/labs/lab%d-*/lab.json", kit, number);
    glob_t g;
    int r = glob(pattern, 0, NULL, &g);
    free(pattern);
    if (r != 0 || g.gl_pathc == 0) {
        if (r == 0)
            globfree(&g);
        return errf(err, "lab %d: no such lab (no %s/labs/lab%d-*/lab.json)", number, kit, number);
    }
    if (g.gl_pathc > 1) {
        errf(err, "lab %d: %zu folders labs/lab%d-*: there must be one", number, g.gl_pathc, number);
        globfree(&g);
        return -1;
    }
    *path = xstrdup(g.gl_pathv[0]);
    globfree(&g);
    return 0;
}

int lab_load(const char *kit, int number, bool public_only, struct lab *lab, char *err)
{
    memset(lab, 0, sizeof *lab);
    if (find_lab(kit, number, &lab->path, err) < 0)
        return -1;
    /* tests[0]: the build, which every other test requires. */
    lab->tests = xcalloc(1, sizeof *lab->tests);
    lab->ntests = 1;
    lab->tests[0].name = xstrdup("build");
    lab->tests[0].kind = LAB_BUILD;
    lab->tests[0].visibility = xstrdup("visible");
    struct ctx c = {.file = lab->path, .kit = kit, .base = kit, .err = err};
    json_t *root = load_json(lab->path, err);
    if (!root)
        return -1;
    int r = parse_lab(&c, root, number, lab);
    json_decref(root);
    if (r < 0)
        return -1;
    char *want = xasprintf("/lab%d-%s/lab.json", number, lab->name);
    bool named = strlen(lab->path) >= strlen(want) &&
                 !strcmp(lab->path + strlen(lab->path) - strlen(want), want);
    free(want);
    if (!named)
        return errf(err, "%s: name: '%s' is not the folder's name (labs/lab%d-NAME)", lab->path,
                    lab->name, number);
    char *hidden = xasprintf("%s/autograder/hidden/lab%d/tests.json", kit, number);
    struct stat st;
    if (!public_only && stat(hidden, &st) == 0) {
        lab->hidden_path = hidden;
        char *base = xasprintf("%s/autograder/hidden/lab%d", kit, number);
        struct ctx hc = {.file = hidden, .kit = kit, .base = base, .err = err};
        root = load_json(hidden, err);
        r = -1;
        if (root) {
            json_t *tests = root;
            if (json_is_object(root)) {
                static const char *const keys[] = {"tests", NULL};
                tests = json_object_get(root, "tests");
                if (check_keys(&hc, root, "", keys) < 0)
                    tests = NULL;
                else if (!tests)
                    bad(&hc, "tests", "missing%s", "");
            }
            r = tests ? parse_tests(&hc, tests, true, lab) : -1;
            json_decref(root);
        }
        free(base);
        if (r < 0)
            return -1;
    } else {
        free(hidden);
    }
    for (size_t t = 1; t < lab->ntests; t++) {
        if (!strcmp(lab->tests[t].name, "build"))
            return errf(err, "%s: tests: 'build' is the grader's own test; pick another name",
                        lab->tests[t].hidden ? lab->hidden_path : lab->path);
        if (lab->tests[t].kind == LAB_UNIT && (!lab->unit_binary || !lab->unit_sources.n))
            return errf(err, "%s: unit_binary: unit tests need \"unit_binary\" and "
                             "\"unit_sources\"", lab->path);
    }
    return check_requires(lab, err);
}

void lab_free(struct lab *lab)
{
    free(lab->path);
    free(lab->hidden_path);
    free(lab->name);
    free(lab->title);
    free(lab->handout);
    strv_free(&lab->files);
    strv_free(&lab->build);
    free(lab->unit_binary);
    strv_free(&lab->unit_sources);
    for (size_t i = 0; i < lab->nhints; i++) {
        free(lab->hints[i].match);
        free(lab->hints[i].hint);
    }
    free(lab->hints);
    for (size_t i = 0; i < lab->ntests; i++)
        free_test(&lab->tests[i]);
    free(lab->tests);
    memset(lab, 0, sizeof *lab);
}

const struct lab_test *lab_find(const struct lab *lab, const char *name)
{
    for (size_t i = 0; i < lab->ntests; i++)
        if (!strcmp(lab->tests[i].name, name))
            return &lab->tests[i];
    return NULL;
}
