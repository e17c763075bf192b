/**
 * @file trace.h
 * @brief A timeline of a run for the Perfetto UI and chrome://tracing
 *        (`disco --trace-json FILE`).
 *
 * The file is the Trace Event Format's JSON array: one process, "machine",
 * with one thread (track) per physical CPU. On each CPU's track:
 *  - a slice per stretch of time a vCPU runs there ("vm0/vcpu1");
 *  - every sampling interval (TRACE_SAMPLE_CYCLES, 1 ms),
 *    counters: the CPU's share of user, kernel, monitor and idle time in the
 *    interval, and its traps in the interval by cause;
 *  - instant events: page migrations and replications (lab 3), disk
 *    requests (issue; completion), network messages (lab 5), a VM's phase
 *    markers (MC_MARK), a VM stopping or halting.
 * Time is the machine's: microseconds at 300 MHz (cycle / 300), so the
 * same run gives the same file, byte for byte. The file holds at most
 * TRACE_MAX_EVENTS events; the rest are counted and a last instant event
 * says how many were left out.
 */
#ifndef DISCO_TRACE_H
#define DISCO_TRACE_H

#include <stdint.h>

#include "disco/types.h"

/** Events kept at most (about 100 bytes each). */
#define TRACE_MAX_EVENTS 2000000

/** The default sampling interval of the counters: 1 ms at 300 MHz. */
#define TRACE_SAMPLE_CYCLES 300000

/**
 * Start writing the timeline of @p mon's run to @p path (before
 * monitor_run()), sampling the counters every @p sample cycles (0: the
 * default). 0, or -1 with the reason in @p err.
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
