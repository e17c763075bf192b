/** @file
 * trace.c - the run's timeline in the Trace Event Format (trace.h), for
 * the Perfetto UI (ui.perfetto.dev) and chrome://tracing.
 *
 * The machine writes the file (flash/timeline.h): a JSON array, one event
 * per line, a track per physical CPU with its counters (time by mode,
 * exceptions by cause, local and remote misses) every sampling interval.
 * The monitor adds what only it knows: slices ("ph":"X") saying which vCPU
 * runs on each physical CPU, written when the vCPU leaves it, and instant
 * events ("ph":"i") for what it does now and then. All times are machine
 * cycles printed as microseconds at 300 MHz, so a run gives the same file
 * every time, and writing it does not change the run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "disco/monitor.h"
#include "disco/trace.h"
#include "flash/timeline.h"

/** What the trace keeps between events (trace.h). */
struct trace {
    uint64_t since[SIM_MAX_NODES]; /**< when each CPU's current vCPU came in */
};

int trace_open(struct monitor *mon, const char *path, uint64_t every, char *err, size_t errlen)
{
    struct trace *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    /* The machine writes the file, the CPU tracks and their counters; the
     * monitor adds the vCPU slices and its own instant events. */
    if (sim_timeline_open(mon->m, path, every, 0, err, errlen) != 0) {
        free(t);
        return -1;
    }
    mon->trace = t;
    return 0;
}

/* The slice of the vCPU that has run on cpu since t->since[cpu]. */
static void slice(struct monitor *mon, int cpu, const struct vcpu *v)
{
    char name[DISCO_NAME_MAX + 16];
    snprintf(name, sizeof name, "%s/vcpu%d", v->vm->name, v->id);
    sim_timeline_slice(mon->m, cpu, "vcpu", name, mon->trace->since[cpu], monitor_now(mon));
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
    if (!mon->trace)
        return;
    if (cpu < 0)
        cpu = mon->cur_cpu >= 0 ? mon->cur_cpu : 0;
    sim_timeline_instant(mon->m, cpu, cat, name, monitor_now(mon), detail);
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
    free(t);
    mon->trace = NULL;
    return sim_timeline_close(mon->m);
}
