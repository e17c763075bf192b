/** @file
 * trace.c - the run's timeline in the Trace Event Format (trace.h), for
 * the Perfetto UI (ui.perfetto.dev) and chrome://tracing.
 *
 * The file is written as the run goes: a JSON array, one event per line.
 * Slices ("ph":"X") say which vCPU runs on each physical CPU, written when
 * the vCPU leaves it; counters ("ph":"C") every sampling interval, from
 * the machine's per-CPU statistics (time by mode, exceptions by cause);
 * instant events ("ph":"i") for what the monitor does now and then. All
 * times are machine cycles printed as microseconds at 300 MHz, so a run
 * gives the same file every time.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "disco/monitor.h"
#include "disco/trace.h"

/** What the trace keeps between events (trace.h). */
struct trace {
    FILE *f;                            /**< the file being written */
    uint64_t events;                    /**< events written so far */
    uint64_t dropped;                   /**< events left out past TRACE_MAX_EVENTS */
    uint64_t sample;                    /**< cycles between counter samples */
    uint64_t since[SIM_MAX_NODES];      /**< when each CPU's current vCPU came in */
    struct sim_cpu_stats last[SIM_MAX_NODES]; /**< each CPU's counters at the last sample */
};

/* Machine cycles as the format's microseconds (300 MHz). */
static void ts(FILE *f, uint64_t cycles)
{
    fprintf(f, "%llu.%02llu", (unsigned long long)(cycles / 300),
            (unsigned long long)(cycles % 300 * 100 / 300));
}

/* Start an event line; false (and counted) once the file is full. */
static bool begin(struct trace *t)
{
    if (t->events >= TRACE_MAX_EVENTS) {
        t->dropped++;
        return false;
    }
    fputs(t->events++ ? ",\n" : "[\n", t->f);
    return true;
}

/* A JSON string: the characters that need it escaped. */
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

/* The counters of every CPU since the last sample, then the next sample. */
static void sample(struct sim *m, void *arg)
{
    struct monitor *mon = arg;
    struct trace *t = mon->trace;
    uint64_t now = sim_now(m);
    /* enum sim_time's order; a guest kernel runs in supervisor mode. */
    static const char *const part[] = {"user", "guest kernel", "kernel mode", "monitor", "idle"};
    for (int c = 0; c < mon->ncpus; c++) {
        const struct sim_cpu_stats *s = sim_cpu_stats(m, c);
        struct sim_cpu_stats *l = &t->last[c];
        uint64_t total = 0;
        for (int k = 0; k < TIME_COUNT; k++)
            total += s->cycles[k] - l->cycles[k];
        if (total && begin(t)) {
            fprintf(t->f, "{\"ph\":\"C\",\"pid\":0,\"tid\":%d,\"name\":\"CPU %d time %%\",\"ts\":", c, c);
            ts(t->f, now);
            fputs(",\"args\":{", t->f);
            for (int k = 0; k < TIME_COUNT && k < (int)(sizeof part / sizeof part[0]); k++)
                fprintf(t->f, "%s\"%s\":%.1f", k ? "," : "", part[k],
                        100.0 * (double)(s->cycles[k] - l->cycles[k]) / (double)total);
            fputs("}}", t->f);
        }
        bool any = false;
        for (int e = 0; e < 32; e++)
            any |= s->exceptions[e] != l->exceptions[e];
        if (any && begin(t)) {
            fprintf(t->f, "{\"ph\":\"C\",\"pid\":0,\"tid\":%d,\"name\":\"CPU %d traps\",\"ts\":", c, c);
            ts(t->f, now);
            fputs(",\"args\":{", t->f);
            bool first = true;
            for (int e = 0; e < 32; e++)
                if (s->exceptions[e] != l->exceptions[e]) {
                    fprintf(t->f, "%s\"%s\":%llu", first ? "" : ",", mips_exc_name((unsigned)e),
                            (unsigned long long)(s->exceptions[e] - l->exceptions[e]));
                    first = false;
                }
            fputs("}}", t->f);
        }
        *l = *s;
    }
    if (mon->vms_running > 0)
        sim_event_at(m, now + t->sample, sample, mon);
}

int trace_open(struct monitor *mon, const char *path, uint64_t every, char *err, size_t errlen)
{
    struct trace *t = calloc(1, sizeof *t);
    if (!t || !(t->f = fopen(path, "w"))) {
        snprintf(err, errlen, "%s: cannot write: %s", path, t ? strerror(errno) : "out of memory");
        free(t);
        return -1;
    }
    t->sample = every ? every : TRACE_SAMPLE_CYCLES;
    mon->trace = t;
    /* Names: the process, a track per CPU in order. */
    if (begin(t))
        fputs("{\"ph\":\"M\",\"pid\":0,\"name\":\"process_name\",\"args\":{\"name\":\"FLASH machine\"}}", t->f);
    for (int c = 0; c < mon->ncpus; c++) {
        if (begin(t))
            fprintf(t->f, "{\"ph\":\"M\",\"pid\":0,\"tid\":%d,\"name\":\"thread_name\",\"args\":{\"name\":\"CPU %d\"}}", c, c);
        if (begin(t))
            fprintf(t->f, "{\"ph\":\"M\",\"pid\":0,\"tid\":%d,\"name\":\"thread_sort_index\",\"args\":{\"sort_index\":%d}}", c, c);
        t->last[c] = *sim_cpu_stats(mon->m, c);
    }
    sim_event_at(mon->m, t->sample, sample, mon);
    return 0;
}

/* The slice of the vCPU that has run on cpu since t->since[cpu]. */
static void slice(struct monitor *mon, int cpu, const struct vcpu *v)
{
    struct trace *t = mon->trace;
    uint64_t now = monitor_now(mon), from = t->since[cpu];
    if (now <= from || !begin(t))
        return;
    char name[DISCO_NAME_MAX + 16];
    snprintf(name, sizeof name, "%s/vcpu%d", v->vm->name, v->id);
    fprintf(t->f, "{\"ph\":\"X\",\"pid\":0,\"tid\":%d,\"cat\":\"vcpu\",\"name\":", cpu);
    str(t->f, name);
    fputs(",\"ts\":", t->f);
    ts(t->f, from);
    fputs(",\"dur\":", t->f);
    ts(t->f, now - from);
    fputs("}", t->f);
}

void trace_vcpu_in(struct monitor *mon, int cpu, const struct vcpu *v)
{
    (void)v;
    if (mon->trace)
        mon->trace->since[cpu] = monitor_now(mon);
}

void trace_vcpu_out(struct monitor *mon, int cpu, const struct vcpu *v)
{
    if (mon->trace)
        slice(mon, cpu, v);
}

void trace_instant(struct monitor *mon, int cpu, const char *cat, const char *name, const char *detail)
{
    struct trace *t = mon->trace;
    if (!t || !begin(t))
        return;
    if (cpu < 0)
        cpu = mon->cur_cpu >= 0 ? mon->cur_cpu : 0;
    fprintf(t->f, "{\"ph\":\"i\",\"s\":\"t\",\"pid\":0,\"tid\":%d,\"cat\":", cpu);
    str(t->f, cat);
    fputs(",\"name\":", t->f);
    str(t->f, name);
    fputs(",\"ts\":", t->f);
    ts(t->f, monitor_now(mon));
    fputs(",\"args\":{\"detail\":", t->f);
    str(t->f, detail);
    fputs("}}", t->f);
}

int trace_close(struct monitor *mon)
{
    struct trace *t = mon->trace;
    if (!t)
        return 0;
    /* The vCPUs still on their CPUs (a VM stopped by the cycle limit). */
    for (int c = 0; c < mon->ncpus; c++)
        if (mon->pcpu[c].cur)
            slice(mon, c, mon->pcpu[c].cur);
    if (t->dropped) {
        char why[80];
        uint64_t n = t->dropped;
        snprintf(why, sizeof why, "%llu events left out", (unsigned long long)n);
        t->events--; /* room for this one */
        trace_instant(mon, 0, "trace", "trace truncated", why);
    }
    fputs(t->events ? "\n]\n" : "[]\n", t->f);
    int rc = ferror(t->f) ? -1 : 0;
    if (fclose(t->f) != 0)
        rc = -1;
    free(t);
    mon->trace = NULL;
    return rc;
}
