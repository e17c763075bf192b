/**
 * @file gdb.h
 * @brief A GDB remote stub: debug a guest with gdb-multiarch (`target remote`).
 *
 * The stub speaks the GDB Remote Serial Protocol over TCP on 127.0.0.1.
 * It shows gdb one thread per CPU of a *target*: by default the machine's
 * own CPUs (what `flashsim --gdb PORT` debugs), or any other set of CPUs
 * a host program describes with a struct gdb_target (the `disco` monitor
 * describes the virtual CPUs of one VM: `disco --gdb PORT --gdb-vm NAME`).
 *
 * The machine stops while gdb holds it: every CPU stops (all-stop mode) at
 * an instruction boundary, and gdb only reads and writes state there.
 * Breakpoints are PC matches the simulator checks before each instruction;
 * nothing is written into guest memory. A run with gdb attached is cycle
 * for cycle the run without it, as long as gdb only looks (its writes to
 * registers or memory change the guest, of course). The register map and
 * the packets the stub understands are listed at the top of sim/src/gdb.c.
 *
 * Typical use (this is what `flashsim` does):
 * @code
 *   struct gdb *g = gdb_listen(port, err, sizeof err);   // port 0: any free port
 *   fprintf(stderr, "gdb: listening on port %d\n", gdb_port(g));
 *   ... create and load the machine m ...
 *   gdb_attach(g, m, NULL, err, sizeof err);  // waits for gdb; returns when gdb resumes
 *   sim_run(m);
 *   gdb_finish(g, sim_exit_status(m));        // gdb hears that the program exited
 *   gdb_destroy(g);
 * @endcode
 */
#ifndef FLASH_GDB_H
#define FLASH_GDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flash/sim.h"

/** @name A target's registers: gdb's MIPS32 numbers (the 'g' packet's
 *  order), but for EPC, which gdb sees after the 34 of the FPU, as 72 */
/**@{*/
#define GDB_REG_SR       32 /**< CP0 Status */
#define GDB_REG_LO       33 /**< LO */
#define GDB_REG_HI       34 /**< HI */
#define GDB_REG_BADVADDR 35 /**< CP0 BadVAddr */
#define GDB_REG_CAUSE    36 /**< CP0 Cause */
#define GDB_REG_PC       37 /**< the PC of the next instruction */
#define GDB_REG_EPC      38 /**< CP0 EPC */
#define GDB_NREGS        39 /**< registers a target provides (0..31 are the GPRs) */
/**@}*/

/**
 * What gdb debugs: a set of threads (CPUs) with registers and a virtual
 * address space each. Threads are numbered 0 .. nthreads-1 here (gdb
 * shows them as 1 .. nthreads). Every function gets @p arg. They are
 * called only while the machine is stopped at an instruction boundary,
 * except thread_on_cpu(), which the simulator calls before instructions
 * while breakpoints or a single step are armed. None of them may change
 * the machine's timing (charge cycles, touch the cache model).
 */
struct gdb_target {
    int nthreads; /**< how many threads */
    /** The thread physical CPU @p cpu is executing now, or -1 for none of the target's. */
    int (*thread_on_cpu)(void *arg, int cpu);
    /** Read register @p reg (0..GDB_NREGS-1) of thread @p t; false if it has none. */
    bool (*get_reg)(void *arg, int t, int reg, uint32_t *value);
    /** Write register @p reg of thread @p t; false if it cannot be written. */
    bool (*set_reg)(void *arg, int t, int reg, uint32_t value);
    /** Read @p len bytes at virtual address @p va as thread @p t sees it; false if any is unmapped. */
    bool (*read_mem)(void *arg, int t, uint32_t va, uint8_t *buf, uint32_t len);
    /** Write @p len bytes at virtual address @p va of thread @p t; false if any is unmapped. */
    bool (*write_mem)(void *arg, int t, uint32_t va, const uint8_t *buf, uint32_t len);
    /** A short description of thread @p t for `info threads` ("cpu 2", "vcpu 1 on cpu 3"). */
    void (*describe)(void *arg, int t, char *buf, size_t len);
    void *arg; /**< passed to every function */
};

struct gdb;

/**
 * Listen for gdb on TCP port @p port of 127.0.0.1 (0: any free port; see
 * gdb_port()). Returns NULL with a message in @p err if the port is out of
 * range or cannot be bound.
 */
struct gdb *gdb_listen(int port, char *err, size_t errlen);

/**
 * Parse a TCP port for a --gdb option: a decimal number from 0 to 65535.
 * Returns false (and leaves @p port alone) for anything else.
 */
bool gdb_parse_port(const char *s, int *port);

/** The port the stub listens on. */
int gdb_port(const struct gdb *g);

/**
 * Wait until gdb connects, then hold machine @p m where it is (before its
 * first instruction when called before sim_run()) until gdb resumes it.
 * @p t describes the threads; NULL means the machine's own CPUs (thread i
 * is CPU i, memory by that CPU's virtual addresses: kseg0/kseg1 directly,
 * mapped segments through its TLB with its current ASID). The target is
 * copied. From then on the machine checks breakpoints, steps and gdb's
 * interrupt (Ctrl-C) as it runs. Returns 0, or -1 with @p err if the
 * connection failed (the machine then runs without gdb).
 */
int gdb_attach(struct gdb *g, struct sim *m, const struct gdb_target *t, char *err, size_t errlen);

/**
 * The run is over: if gdb is still connected, tell it the program exited
 * with @p status (a 'W' packet) and close the connection.
 */
void gdb_finish(struct gdb *g, int status);

/** Close the stub (the machine runs on without it). NULL is allowed. */
void gdb_destroy(struct gdb *g);

/** The exit status of a run gdb killed (its `kill` command). */
#define GDB_EXIT_KILLED 1

#endif
