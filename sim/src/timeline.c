/*
 * timeline.c - the run's timeline in the Trace Event Format (timeline.h),
 * for the Perfetto UI and chrome://tracing.
 *
 * The file is written as the run goes: "[", then one event per line. The
 * machine calls timeline_tick() at the end of every time slice (machine.c);
 * when a sampling interval has passed it writes each CPU's counters for the
 * interval from the statistics the CPU keeps anyway (stats.h). Sampling at
 * slice ends rather than from a timed event matters: an event would end a
 * slice early, change the order in which CPUs see each other's stores, and
 * so change the run being watched.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The enum sim_time categories a CPU can be busy or idle in (not "off"). */
static const char *const time_name[TIME_OFF] = {"user", "supervisor", "kernel", "monitor", "idle"};

/** One CPU's part of the timeline. */
struct tl_cpu {
    struct sim_cpu_stats last; /**< its counters at the last sample */
    int kind;                  /**< enum sim_time of the open mode slice, or -1 */
    uint64_t kind_from;        /**< when that slice began */
};

/** The timeline being written (m->timeline). */
struct timeline {
    FILE *f;             /**< the file */
    unsigned flags;      /**< enum sim_timeline_flags */
    uint64_t events;     /**< events written */
    uint64_t dropped;    /**< events left out past SIM_TIMELINE_MAX_EVENTS */
    uint64_t every;      /**< cycles between samples */
    uint64_t next;       /**< when the next sample is due */
    uint64_t last_at;    /**< when the last sample was taken */
    struct tl_cpu cpu[SIM_MAX_NODES]; /**< per CPU */
};

/* Machine cycles as the format's microseconds at 300 MHz, exactly. */
static void ts(FILE *f, uint64_t cycles)
{
    fprintf(f, "%" PRIu64 ".%02" PRIu64, cycles / 300, cycles % 300 * 100 / 300);
}

/* Start an event line; false (and counted) once the file is full. */
static bool begin(struct timeline *t)
{
    if (t->events >= SIM_TIMELINE_MAX_EVENTS) {
        t->dropped++;
        return false;
    }
    fputs(t->events++ ? ",\n" : "[\n", t->f);
    return true;
}

/* A JSON string, escaping what needs it. */
static void str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void slice(struct timeline *t, int cpu, const char *cat, const char *name, uint64_t from,
                  uint64_t to)
{
    if (to <= from || !begin(t))
        return;
    fprintf(t->f, "{\"ph\":\"X\",\"pid\":0,\"tid\":%d,\"cat\":", cpu);
    str(t->f, cat);
    fputs(",\"name\":", t->f);
    str(t->f, name);
    fputs(",\"ts\":", t->f);
    ts(t->f, from);
    fputs(",\"dur\":", t->f);
    ts(t->f, to - from);
    fputs("}", t->f);
}

static void instant(struct timeline *t, int cpu, const char *cat, const char *name, uint64_t at,
                    const char *detail)
{
    if (!begin(t))
        return;
    fprintf(t->f, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":0,\"tid\":%d,\"cat\":", cpu);
    str(t->f, cat);
    fputs(",\"name\":", t->f);
    str(t->f, name);
    fputs(",\"ts\":", t->f);
    ts(t->f, at);
    fputs(",\"args\":{\"detail\":", t->f);
    str(t->f, detail);
    fputs("}}", t->f);
}

/* Open a counter event "CPU c NAME" at now; the caller writes the args. */
static bool counter(struct timeline *t, int c, const char *name, uint64_t now)
{
    if (!begin(t))
        return false;
    fprintf(t->f, "{\"ph\":\"C\",\"pid\":0,\"tid\":%d,\"name\":\"CPU %d %s\",\"ts\":", c, c, name);
    ts(t->f, now);
    fputs(",\"args\":{", t->f);
    return true;
}

/* CPU c's mode slice: close the open one when the interval's kind differs. */
static void mode_slice(struct timeline *t, int c, int kind, uint64_t from)
{
    struct tl_cpu *tc = &t->cpu[c];
    if (kind == tc->kind)
        return;
    if (tc->kind >= 0)
        slice(t, c, "mode", time_name[tc->kind], tc->kind_from, from);
    tc->kind = kind;
    tc->kind_from = from;
}

/* The counters of CPU c for the interval since the last sample. */
static void sample_cpu(struct sim *m, struct timeline *t, int c, uint64_t now)
{
    struct cpu *cpu = &m->cpu[c];
    cpu_account(cpu);
    const struct sim_cpu_stats *s = &cpu->st;
    struct sim_cpu_stats *l = &t->cpu[c].last;
    uint64_t total = 0, most = 0;
    int kind = -1;
    for (int k = 0; k < TIME_OFF; k++) {
        uint64_t d = s->cycles[k] - l->cycles[k];
        total += d;
        if (d > most) {
            most = d;
            kind = k;
        }
    }
    if (total && counter(t, c, "time %", now)) {
        for (int k = 0; k < TIME_OFF; k++)
            fprintf(t->f, "%s\"%s\":%.1f", k ? "," : "", time_name[k],
                    100.0 * (double)(s->cycles[k] - l->cycles[k]) / (double)total);
        fputs("}}", t->f);
    }
    bool any = false;
    for (int e = 0; e < 32; e++)
        any |= s->exceptions[e] != l->exceptions[e];
    if (any && counter(t, c, "traps", now)) {
        bool first = true;
        for (int e = 0; e < 32; e++)
            if (s->exceptions[e] != l->exceptions[e]) {
                fprintf(t->f, "%s\"%s\":%" PRIu64, first ? "" : ",", mips_exc_name((unsigned)e),
                        s->exceptions[e] - l->exceptions[e]);
                first = false;
            }
        fputs("}}", t->f);
    }
    uint64_t loc = s->misses_local - l->misses_local, rem = s->misses_remote - l->misses_remote;
    if ((loc || rem) && counter(t, c, "misses", now)) {
        fprintf(t->f, "\"local\":%" PRIu64 ",\"remote\":%" PRIu64 "}}", loc, rem);
    }
    if (t->flags & SIM_TIMELINE_MODES)
        mode_slice(t, c, kind, t->last_at);
    *l = *s;
}

static void sample(struct sim *m, struct timeline *t)
{
    uint64_t now = m->now;
    for (int c = 0; c < m->ncpus; c++)
        sample_cpu(m, t, c, now);
    t->last_at = now;
    t->next = now - now % t->every + t->every;
}

bool timeline_wants(const struct sim *m, unsigned flag)
{
    return m->timeline && (m->timeline->flags & flag);
}

void timeline_tick(struct sim *m)
{
    struct timeline *t = m->timeline;
    if (m->now >= t->next)
        sample(m, t);
}

int sim_timeline_open(struct sim *m, const char *path, uint64_t every, unsigned flags, char *err,
                      size_t errlen)
{
    if (m->timeline) {
        snprintf(err, errlen, "%s: a timeline is already being written", path);
        return -1;
    }
    struct timeline *t = calloc(1, sizeof *t);
    if (!t || !(t->f = fopen(path, "w"))) {
        snprintf(err, errlen, "%s: cannot write: %s", path, t ? strerror(errno) : "out of memory");
        free(t);
        return -1;
    }
    t->flags = flags;
    t->every = every ? every : SIM_TIMELINE_SAMPLE_CYCLES;
    t->last_at = m->now;
    t->next = m->now - m->now % t->every + t->every;
    if (begin(t))
        fputs("{\"ph\":\"M\",\"pid\":0,\"name\":\"process_name\",\"args\":{\"name\":\"FLASH machine\"}}", t->f);
    for (int c = 0; c < m->ncpus; c++) {
        if (begin(t))
            fprintf(t->f, "{\"ph\":\"M\",\"pid\":0,\"tid\":%d,\"name\":\"thread_name\",\"args\":{\"name\":\"CPU %d\"}}", c, c);
        if (begin(t))
            fprintf(t->f, "{\"ph\":\"M\",\"pid\":0,\"tid\":%d,\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":%d}}", c, c);
        cpu_account(&m->cpu[c]);
        t->cpu[c].last = m->cpu[c].st;
        t->cpu[c].kind = -1;
    }
    m->timeline = t;
    return 0;
}

int sim_timeline_on(const struct sim *m)
{
    return m->timeline != NULL;
}

void sim_timeline_slice(struct sim *m, int cpu, const char *cat, const char *name, uint64_t from,
                        uint64_t to)
{
    if (m->timeline)
        slice(m->timeline, cpu, cat, name, from, to);
}

void sim_timeline_instant(struct sim *m, int cpu, const char *cat, const char *name, uint64_t at,
                          const char *detail)
{
    if (m->timeline)
        instant(m->timeline, cpu, cat, name, at, detail);
}

int sim_timeline_close(struct sim *m)
{
    struct timeline *t = m->timeline;
    if (!t)
        return 0;
    if (m->now > t->last_at)
        sample(m, t);
    for (int c = 0; c < m->ncpus; c++)
        if (t->flags & SIM_TIMELINE_MODES)
            mode_slice(t, c, -1, m->now);
    if (t->dropped) {
        char why[80];
        snprintf(why, sizeof why, "%" PRIu64 " events left out", t->dropped);
        t->events--; /* room for this one */
        instant(t, 0, "timeline", "timeline truncated", m->now, why);
    }
    fputs(t->events ? "\n]\n" : "[]\n", t->f);
    int rc = ferror(t->f) ? -1 : 0;
    if (fclose(t->f) != 0)
        rc = -1;
    free(t);
    m->timeline = NULL;
    return rc;
}
