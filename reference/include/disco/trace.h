/**
 * @file trace.h
 * @brief A timeline of a run for the Perfetto UI and chrome://tracing
 *        (`disco --trace-json FILE`).
 *
 * The machine writes the file (flash/timeline.h): the Trace Event Format's
 * JSON array, one process, "FLASH machine", with one thread (track) per
 * physical CPU, and on each track, every sampling interval (1 ms by
 * default), counters: the CPU's share of user, supervisor (a guest
 * kernel), kernel, monitor and idle time in the interval, its traps by
 * cause, its local and remote cache misses. The monitor adds
 *  - a slice per stretch of time a vCPU runs on a CPU ("vm0/vcpu1");
 *  - instant events: page migrations and replications (lab 3), disk
 *    requests (issue; completion), network messages (lab 5), a VM's phase
 *    markers (MC_MARK), a VM stopping or halting.
 * Time is the machine's: microseconds at 300 MHz (cycle / 300), so the
 * same run gives the same file, byte for byte, and writing it does not
 * change the run. The file holds at most SIM_TIMELINE_MAX_EVENTS events;
 * the rest are counted and a last instant event says how many were left
 * out.
 */
#ifndef DISCO_TRACE_H
#define DISCO_TRACE_H

#include <stdint.h>

#include "disco/types.h"

/**
 * Start writing the timeline of @p mon's run to @p path (before
 * monitor_run()), sampling the counters every @p sample cycles (0: the
 * default, SIM_TIMELINE_SAMPLE_CYCLES). 0, or -1 with the reason in @p err.
 */
int trace_open(struct monitor *mon, const char *path, uint64_t sample, char *err, size_t errlen);

/** Finish the file (after the run): the last slices, the closing bracket. 0 or -1 (a write error). */
int trace_close(struct monitor *mon);

/** vCPU @p v starts running on physical CPU @p cpu (sched.c). */
void trace_vcpu_in(struct monitor *mon, int cpu, const struct vcpu *v);

/** vCPU @p v stops running on physical CPU @p cpu (sched.c). */
void trace_vcpu_out(struct monitor *mon, int cpu, const struct vcpu *v);

/**
 * An instant event on CPU @p cpu's track (-1: the CPU whose trap is being
 * handled, or CPU 0 from an event), in category @p cat ("numa", "disk",
 * "net", "mark", "vm"), named @p name, with @p detail as its one argument.
 * Nothing is done when no trace is being written.
 */
void trace_instant(struct monitor *mon, int cpu, const char *cat, const char *name, const char *detail);

#endif
