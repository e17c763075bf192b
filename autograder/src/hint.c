/*
 * hint.c: the grader's built-in hints, in order of what they explain
 * best (a crash before an invariant message, a timeout before a cycle
 * limit), then the lab's.
 */
#define _GNU_SOURCE
#include "hint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "not implemented: F (lab N)": F, or NULL. */
static char *unwritten(const char *text)
{
    const char *p = strstr(text, "not implemented: ");
    if (!p)
        return NULL;
    p += strlen("not implemented: ");
    size_t n = strcspn(p, " \n(");
    return n ? xasprintf("%.*s", (int)n, p) : NULL;
}

/* Does scenario file conf (a path in the kit) use the scratch folder @DATA@? */
static bool mentions_data(const char *conf)
{
    FILE *in = conf ? fopen(conf, "r") : NULL;
    char line[512];
    bool found = false;
    while (in && !found && fgets(line, sizeof line, in))
        found = strstr(line, "@DATA@") != NULL;
    if (in)
        fclose(in);
    return found;
}

static char *builtin(const struct hint_facts *f)
{
    const char *err = f->stderr_text ? f->stderr_text : "";
    const char *con = f->console ? f->console : "";
    char *fn = unwritten(err);
    if (fn) {
        char *h = xasprintf("%s is not written yet", fn);
        free(fn);
        return h;
    }
    if (f->timed_out && !f->unit) /* a unit sub-check's line already says so */
        return xasprintf("timed out after %.0f s of host time (an infinite loop in the monitor?)",
                         f->wall);
    if (f->unit && (f->signal || strstr(err, "CRASH")))
        return xasprintf("the test crashed: run it alone, under gdb if need be: gdb --args %s "
                         "--filter %s --debug=gdb", f->unit_binary, f->unit);
    if (f->signal)
        return xasprintf("the monitor crashed (%s): run it under gdb: gdb --args build/bin/disco %s%s",
                         sigabbrev_np(f->signal) ? sigabbrev_np(f->signal) : "a signal", f->conf,
                         mentions_data(f->conf)
                             ? " (it names @DATA@, a folder with a 1 MB disk.img: make one with mkdir -p "
                               "/tmp/d && truncate -s 1M /tmp/d/disk.img, then run a copy of the file with "
                               "@DATA@ replaced: sed 's|@DATA@|/tmp/d|' FILE >/tmp/d/vms.conf)"
                             : "");
    if (strstr(err, "disco: invariant violated"))
        return xstrdup("a monitor invariant does not hold: the message above names it; "
                       "check = on in the configuration stops at the first one broken");
    if (!f->unit && (f->status == 124 || strstr(err, "cycle limit reached")))
        return xasprintf("the guest did not finish in %lld cycles: a hang or a lost interrupt",
                         f->max_cycles);
    if (strstr(con, "panic"))
        return xstrdup("the guest kernel panicked: its console says why");
    return NULL;
}

void hint_find(const struct lab *lab, const struct hint_facts *f, struct strv *hints)
{
    char *b = builtin(f);
    if (b) {
        strv_push(hints, b);
        free(b);
    }
    for (size_t i = 0; i < lab->nhints; i++) {
        const char *m = lab->hints[i].match;
        if ((f->stderr_text && strstr(f->stderr_text, m)) || (f->console && strstr(f->console, m))) {
            strv_push(hints, lab->hints[i].hint);
            break;
        }
    }
}
