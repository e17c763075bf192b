/**
 * @file stats.h
 * @brief Statistics the machine keeps for every CPU and node.
 *
 * Time is split the way the Disco paper's figures split it: every cycle of a
 * CPU is user, supervisor, kernel, monitor (host handler work and charges),
 * idle (WAIT or monitor idle) or off (in reset or stopped). Stall cycles for
 * cache misses are part of the mode they happened in, and are also counted
 * on their own as local or remote stall.
 *
 * The JSON file written by sim_write_stats() has this layout:
 * @code
 * { "cycles": T, "stop": {"reason": "...", "status": N},
 *   "config": {...},
 *   "cpus":  [ {"cpu": i, "insns": {"user","supervisor","kernel"},
 *               "cycles": {"user","supervisor","kernel","monitor","idle","off"},
 *               "stall": {"local","remote"}, "misses": {"local","remote"},
 *               "tlb": {"refill","invalid","modified","multiple_match"},
 *               "exceptions": {"Int": n, ...}, "interrupts": {"IP0": n, ...} } ],
 *   "nodes": [ {"node": i, "misses_served": {"local","remote"}, "remote_bytes": n } ],
 *   "magic": {"hot_pages": n, "dropped": n},
 *   "disks": [ {"disk": k, "reads", "writes", "sectors_read", "sectors_written"} ],
 *   "marks": [ {"value": v, "cpu": c, "cycle": t} ],
 *   "phases": [ {"from": v|null, "to": v|null, "start": t0, "end": t1,
 *                "total": {...per-CPU fields summed...}, "cpus": [...] } ] }
 * @endcode
 * A phase is the interval between two consecutive phase markers (MARK
 * register), plus one before the first and one after the last; its counters
 * are the differences over that interval.
 */
#ifndef FLASH_STATS_H
#define FLASH_STATS_H

#include <stdint.h>

/** Categories of CPU time. */
enum sim_time {
    TIME_USER = 0,       /**< user mode (MODE_USER) */
    TIME_SUPERVISOR = 1, /**< supervisor mode */
    TIME_KERNEL = 2,     /**< kernel mode (guest code running with kernel privilege) */
    TIME_MONITOR = 3,    /**< host exception handler: trap costs and explicit charges */
    TIME_IDLE = 4,       /**< WAIT, or idle requested by the monitor */
    TIME_OFF = 5,        /**< CPU in reset or not started */
    TIME_COUNT = 6,
};

/** Counters of one CPU. All only ever increase. */
struct sim_cpu_stats {
    uint64_t insns[3];          /**< instructions retired, by enum mips_mode */
    uint64_t cycles[TIME_COUNT];/**< cycles by enum sim_time */
    uint64_t stall_local;       /**< cycles stalled on misses served by local memory */
    uint64_t stall_remote;      /**< cycles stalled on remote or dirty-remote misses */
    uint64_t misses_local;      /**< cache misses served locally */
    uint64_t misses_remote;     /**< cache misses served remotely */
    uint64_t tlb_refill;        /**< TLB misses: no matching entry */
    uint64_t tlb_invalid;       /**< matching entry with V=0 */
    uint64_t tlb_modified;      /**< store to a matching entry with D=0 */
    uint64_t tlb_multiple;      /**< lookups that matched two entries (a software bug) */
    uint64_t exceptions[32];    /**< exceptions taken, by ExcCode */
    uint64_t interrupts[8];     /**< interrupt exceptions, by the highest pending enabled line */
};

/** Counters of one node's memory. */
struct sim_node_stats {
    uint64_t served_local;      /**< misses from this node's CPU served here */
    uint64_t served_remote;     /**< misses from other nodes' CPUs served here */
    uint64_t remote_bytes;      /**< bytes sent to other nodes (lines of served_remote) */
};

/** Counters of one disk. */
struct sim_disk_stats {
    uint64_t reads;            /**< read requests completed */
    uint64_t writes;           /**< write requests completed */
    uint64_t sectors_read;     /**< sectors read */
    uint64_t sectors_written;  /**< sectors written */
    uint64_t errors;           /**< requests refused or failed */
};

#endif
