/**
 * @file sim.h
 * @brief The FLASH machine: configuration, creation, loading and running.
 *
 * A `struct sim` is one whole simulated machine (MACHINE.md): N nodes, each
 * with one MIPS32 CPU, its cache and its share of memory, the devices and the
 * MAGIC miss counters. There is no global state: a program may create several
 * machines. Everything is deterministic: the same configuration, images and
 * seed give the same output, cycle counts and statistics on any host.
 *
 * Typical use (this is what `flashsim` does):
 * @code
 *   struct sim_config cfg;
 *   sim_config_default(&cfg);
 *   cfg.nodes = 4;
 *   char err[256];
 *   struct sim *m = sim_create(&cfg, err, sizeof err);
 *   if (!m || sim_load_elf_file(m, "kernel.elf", err, sizeof err) != 0) { ... }
 *   enum sim_stop_reason why = sim_run(m);
 *   int status = sim_exit_status(m);
 *   sim_destroy(m);
 * @endcode
 */
#ifndef FLASH_SIM_H
#define FLASH_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "flash/mips.h"

/** Most nodes (and so CPUs) a machine may have. */
#define SIM_MAX_NODES 32
/** Most disks a machine may have (MACHINE.md: disk controllers 0..15). */
#define SIM_MAX_DISKS 16
/** Physical memory must end below the device window at 0x1F000000. */
#define SIM_MAX_MEMORY 0x1F000000u

/** @name Exit statuses of `flashsim` other than the guest's HALT value */
/**@{*/
#define SIM_EXIT_ERROR       2   /**< usage or simulator error */
#define SIM_EXIT_CYCLE_LIMIT 124 /**< --max-cycles reached */
#define SIM_EXIT_DOUBLE_FAULT 125 /**< exception taken with Status.BEV=1 */
#define SIM_EXIT_DEADLOCK    126 /**< every CPU waits and nothing can wake one */
/**@}*/

/** Trace categories (bit mask for sim_config::trace). */
enum sim_trace {
    SIM_TRACE_INSN = 1u << 0, /**< every instruction retired, disassembled */
    SIM_TRACE_EXC = 1u << 1,  /**< every exception taken */
    SIM_TRACE_MARK = 1u << 2, /**< phase markers */
    SIM_TRACE_DEV = 1u << 3,  /**< device register accesses and disk requests */
};

/**
 * How the CPUs execute instructions (sim_config::engine). Both engines give
 * the same run, cycle for cycle: the same output, times and statistics.
 */
enum sim_engine {
    SIM_ENGINE_FAST,   /**< the default: instructions decoded once, state in host registers (fast.c) */
    SIM_ENGINE_INTERP, /**< the reference model: decode and execute one instruction at a time (exec.c) */
};

/** Every setting of the machine. Fill with sim_config_default() first. */
struct sim_config {
    int nodes;                  /**< nodes, one CPU each (1..SIM_MAX_NODES); default 8 */
    uint32_t mem_per_node;      /**< bytes per node, a power of two >= 64 KB; default 32 MB */
    bool cache_enabled;         /**< model caches (false: every access hits, no stalls) */
    uint32_t cache_size;        /**< bytes per CPU cache; default 1 MB */
    uint32_t cache_assoc;       /**< ways; default 2 */
    uint32_t cache_line;        /**< line size in bytes, power of two; default 128 */
    uint32_t lat_local;         /**< cycles for a miss served by local memory; default 90 */
    uint32_t lat_remote;        /**< cycles for a remote or dirty-elsewhere miss; default 270 */
    uint32_t hot_threshold;     /**< MAGIC hot-page threshold in misses; default 64 */
    uint32_t quantum;           /**< cycles each CPU runs before the next CPU; default 1000 */
    uint64_t max_cycles;        /**< stop after this many cycles (0: no limit) */
    uint64_t seed;              /**< seed for the disk rotational-latency generator */
    uint32_t disk_seek;         /**< cycles of seek for a non-sequential disk request; default 300000 (1 ms) */
    uint32_t disk_rotation;     /**< cycles of one disk revolution; the rotational delay is a seeded draw in [0, this); default 1200000 (4 ms) */
    uint32_t disk_overhead;     /**< cycles of controller overhead per request; default 15000 (50 us) */
    uint32_t disk_mbps;         /**< transfer bandwidth in MB/s at the 300 MHz clock; default 20 */
    unsigned trace;             /**< enum sim_trace bits */
    FILE *trace_out;            /**< where traces go (NULL: stderr) */
    FILE *console_out;          /**< console output (NULL: stdout) */
    int console_in_fd;          /**< console input file descriptor (-1: none); default 0 (stdin) */
    enum sim_engine engine;     /**< execution engine; default SIM_ENGINE_FAST */
};

/** Why sim_run() returned. */
enum sim_stop_reason {
    SIM_STOP_HALT,         /**< a guest (or the monitor) halted the machine */
    SIM_STOP_CYCLE_LIMIT,  /**< sim_config::max_cycles reached */
    SIM_STOP_DOUBLE_FAULT, /**< an exception was taken with Status.BEV=1 */
    SIM_STOP_DEADLOCK,     /**< all CPUs wait or are off, and no event is pending */
    SIM_STOP_ERROR,        /**< the simulator itself failed (e.g. disk image I/O) */
};

struct sim;

/**
 * Fill @p cfg with the defaults of MACHINE.md (and the fast engine). They
 * depend on nothing else: not the environment, not the host.
 */
void sim_config_default(struct sim_config *cfg);

/**
 * Check a configuration. Returns 0, or -1 with a message in @p err.
 */
int sim_config_check(const struct sim_config *cfg, char *err, size_t errlen);

/**
 * Create a machine in reset state: memory zeroed, every CPU in reset.
 * Returns NULL with a message in @p err if the configuration is invalid or
 * memory cannot be allocated.
 */
struct sim *sim_create(const struct sim_config *cfg, char *err, size_t errlen);

/** Free a machine and close its disk images. NULL is allowed. */
void sim_destroy(struct sim *m);

/**
 * Attach a raw disk image file as the next disk (0, 1, ...). Its size must be
 * a non-zero multiple of 512 bytes. Returns the disk number or -1 with @p err.
 */
int sim_attach_disk(struct sim *m, const char *path, bool read_only, char *err, size_t errlen);

/**
 * Load a MIPS32 little-endian ELF executable as the boot image (MACHINE.md,
 * "Loading"): each PT_LOAD segment goes to the physical address of its kseg0
 * or kseg1 virtual address, bss zeroed; CPU 0 is set to start at the entry
 * point with $a0 = 0, $a1 = CPUs, $a2 = memory bytes. Returns 0, or -1 with a
 * clear message in @p err (bad ELF, wrong architecture, segment outside
 * kseg0/kseg1 or outside memory).
 */
int sim_load_elf_file(struct sim *m, const char *path, char *err, size_t errlen);

/**
 * Run until the machine halts, reaches the cycle limit, double-faults,
 * deadlocks or fails. May be called again after a stop requested by
 * sim_request_stop() with SIM_STOP_HALT only if the caller cleared it.
 */
enum sim_stop_reason sim_run(struct sim *m);

/** The status to exit with: the HALT value, or one of the SIM_EXIT_ codes. */
int sim_exit_status(const struct sim *m);

/** A short text describing why the machine stopped (for messages). */
const char *sim_stop_message(const struct sim *m);

/** Global simulated time in cycles (the start of the current time slice). */
uint64_t sim_now(const struct sim *m);

/** Number of CPUs (= nodes). */
int sim_ncpus(const struct sim *m);

/** The configuration the machine was created with. */
const struct sim_config *sim_config(const struct sim *m);

/**
 * Write the statistics as JSON to @p path (see stats.h for the layout).
 * Returns 0, or -1 with a message in @p err.
 */
int sim_write_stats(struct sim *m, const char *path, char *err, size_t errlen);

/**
 * Parse a size or count: a decimal (or 0x hexadecimal) number with an
 * optional K, M or G suffix (powers of 1024), at most @p max. Returns false
 * for anything else (empty, negative, trailing junk, overflow). Used by the
 * command-line tools, so `--mem-per-node 32M` means the same everywhere.
 */
bool sim_parse_size(const char *s, uint64_t max, uint64_t *out);

/**
 * Parse an engine's name as `--engine` takes it: "fast" or "interp".
 * Returns false for anything else, leaving @p out alone.
 */
bool sim_parse_engine(const char *s, enum sim_engine *out);

#endif
