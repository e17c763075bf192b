/**
 * @file timeline.h
 * @brief A timeline of a run for the Perfetto UI (ui.perfetto.dev) and
 *        chrome://tracing (`flashsim --trace-json FILE`, and the monitor's
 *        `disco --trace-json FILE`, which adds its own events).
 *
 * The file is the Trace Event Format's JSON array, one event per line: one
 * process, "FLASH machine", with one thread (track) per CPU. On each CPU's
 * track the machine writes
 *  - counters ("ph":"C") every sampling interval: the CPU's share of user,
 *    supervisor, kernel, monitor and idle time in the interval, its
 *    exceptions in the interval by cause, and its cache misses served by
 *    local and by remote memory;
 *  - with SIM_TIMELINE_MODES, slices ("ph":"X") naming what the CPU did most
 *    in each interval ("user", "kernel", "idle", ...), consecutive intervals
 *    of the same kind merged;
 *  - instant events ("ph":"i"): phase markers (the MARK register) and, with
 *    SIM_TIMELINE_DISKS, disk requests (issue and completion).
 * A user of the library (the monitor) adds its own slices and instant
 * events with sim_timeline_slice() and sim_timeline_instant().
 *
 * Time is the machine's: microseconds at 300 MHz (cycle / 300), and the
 * counters are sampled at the end of the first time slice at or after each
 * interval, never by an event of their own, so writing a timeline does not
 * change the run by one cycle and the same run gives the same file, byte for
 * byte. The file holds at most SIM_TIMELINE_MAX_EVENTS events; the rest are
 * counted, and a last instant event says how many were left out.
 */
#ifndef FLASH_TIMELINE_H
#define FLASH_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

struct sim;

/** Events kept at most (about 100 bytes each). */
#define SIM_TIMELINE_MAX_EVENTS 2000000

/** The default sampling interval of the counters: 1 ms at 300 MHz. */
#define SIM_TIMELINE_SAMPLE_CYCLES 300000

/** Options of sim_timeline_open() (bit mask). */
enum sim_timeline_flags {
    SIM_TIMELINE_MODES = 1u << 0, /**< slices of what each CPU did most, per interval */
    SIM_TIMELINE_DISKS = 1u << 1, /**< an instant event per disk request and completion */
};

/**
 * Start writing the timeline of @p m's run to @p path, before sim_run().
 * The counters are sampled every @p sample cycles (0: the default);
 * @p flags are enum sim_timeline_flags. Returns 0, or -1 with the reason in
 * @p err (the file cannot be written, a timeline is already open).
 */
int sim_timeline_open(struct sim *m, const char *path, uint64_t sample, unsigned flags,
                      char *err, size_t errlen);

/** True while a timeline is being written. */
int sim_timeline_on(const struct sim *m);

/**
 * A slice on CPU @p cpu's track, in category @p cat, named @p name, from
 * cycle @p from to cycle @p to (nothing if @p to <= @p from, or without a
 * timeline).
 */
void sim_timeline_slice(struct sim *m, int cpu, const char *cat, const char *name,
                        uint64_t from, uint64_t to);

/**
 * An instant event on CPU @p cpu's track at cycle @p at, in category
 * @p cat, named @p name, with @p detail as its one argument (nothing
 * without a timeline).
 */
void sim_timeline_instant(struct sim *m, int cpu, const char *cat, const char *name,
                          uint64_t at, const char *detail);

/**
 * Finish the file after the run: a last sample, the last slices, the
 * closing bracket. Returns 0, or -1 if anything could not be written.
 * Nothing (0) without a timeline.
 */
int sim_timeline_close(struct sim *m);

#endif
