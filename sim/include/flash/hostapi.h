/**
 * @file hostapi.h
 * @brief The host API: how a host-side monitor drives the machine.
 *
 * A Disco-style monitor (DESIGN.md) is host C code that plays the role of the
 * firmware running in kernel mode. It sees the machine only through this
 * header, which is its hardware:
 *
 * - **Exceptions.** With a handler installed by sim_set_exception_handler(),
 *   every exception any CPU takes is delivered to it. The CPU first does what
 *   the hardware does (Cause, EPC, BD, BadVAddr, Context, EntryHi, Status.EXL,
 *   PC = the vector address), then, instead of fetching from the vector, the
 *   simulator calls the handler. The handler emulates, handles or forwards the
 *   exception and resumes the CPU by setting its registers (for example with
 *   sim_cpu_eret(), or by setting PC and Status to a guest's vector). With
 *   Status.BEV=1 a CPU with a handler does not double-fault.
 * - **Time.** Guest instructions cost what the cache and NUMA model says. The
 *   monitor's own time is charged explicitly with sim_cpu_charge(), and the
 *   memory it touches through sim_mem_read() and friends is charged to the
 *   CPU it names through that CPU's cache. All of it counts as TIME_MONITOR.
 * - **Everything else** a monitor needs: registers and CP0, the TLB, machine
 *   memory, MAGIC counters, disks with completion callbacks, IPIs, timed
 *   events and CPU start, idle and stop.
 *
 * A CPU number is 0 .. sim_ncpus()-1. Functions that take a CPU number and a
 * register number check them and return -1 (or 0 for getters) when out of
 * range. A monitor should only change the TLB and registers of the CPU it is
 * handling an exception on, as real firmware could; the API does not stop it.
 */
#ifndef FLASH_HOSTAPI_H
#define FLASH_HOSTAPI_H

#include <stdbool.h>
#include <stdint.h>

#include "flash/sim.h"
#include "flash/stats.h"

/** What the handler is told about an exception. CP0 holds the same facts. */
struct sim_exception {
    int cpu;           /**< the CPU that took it */
    unsigned code;     /**< ExcCode (enum mips_exc) */
    bool refill;       /**< a TLB refill that hardware would send to the refill vector (EXL was 0) */
    bool in_delay;     /**< Cause.BD: the faulting instruction is in a delay slot */
    uint32_t epc;      /**< EPC (the branch, when in_delay) */
    uint32_t badvaddr; /**< BadVAddr for address and TLB exceptions, else 0 */
    uint32_t insn;     /**< the instruction word that faulted (as MIPS32r6 BadInstr); 0 for interrupts and fetch faults */
    uint32_t mode_before; /**< enum mips_mode the CPU was in when it took the exception */
};

/**
 * An exception handler. Called on the simulator's thread, with the CPU
 * stopped in the middle of its time slice. It may call any function of this
 * API, including for other CPUs.
 */
typedef void (*sim_exception_fn)(struct sim *m, const struct sim_exception *e, void *arg);

/** Install (or, with NULL, remove) the exception handler. */
void sim_set_exception_handler(struct sim *m, sim_exception_fn fn, void *arg);

/** @name CPU registers */
/**@{*/
/** General register @p r (0..31). */
uint32_t sim_cpu_reg(const struct sim *m, int cpu, int r);
/** Set general register @p r (writes to $0 are ignored). */
int sim_cpu_set_reg(struct sim *m, int cpu, int r, uint32_t value);
/** The PC of the next instruction the CPU will execute. */
uint32_t sim_cpu_pc(const struct sim *m, int cpu);
/** Continue at @p pc (not in a delay slot). */
int sim_cpu_set_pc(struct sim *m, int cpu, uint32_t pc);
/** The HI register. */
uint32_t sim_cpu_hi(const struct sim *m, int cpu);
/** The LO register. */
uint32_t sim_cpu_lo(const struct sim *m, int cpu);
/** Set HI and LO. */
int sim_cpu_set_hilo(struct sim *m, int cpu, uint32_t hi, uint32_t lo);
/** Read CP0 register @p reg, select @p sel, as MFC0 would. */
uint32_t sim_cpu_cp0(const struct sim *m, int cpu, int reg, int sel);
/**
 * Write CP0 register @p reg, select @p sel, as MTC0 would (read-only fields
 * keep their value; writing Compare clears IP7; writing Status changes mode).
 * As a firmware convenience, BadVAddr and Cause.ExcCode/BD may also be
 * written here, so a monitor can forward exceptions. Returns 0 or -1.
 */
int sim_cpu_set_cp0(struct sim *m, int cpu, int reg, int sel, uint32_t value);
/** Do what ERET does: PC = EPC (or ErrorEPC), clear EXL (or ERL), break the LL link. */
int sim_cpu_eret(struct sim *m, int cpu);
/** The CPU's current mode (enum mips_mode), from Status. */
int sim_cpu_mode(const struct sim *m, int cpu);
/** The CPU's cycle counter (its own time). */
uint64_t sim_cpu_cycles(const struct sim *m, int cpu);
/** The CPU's statistics. */
const struct sim_cpu_stats *sim_cpu_stats(struct sim *m, int cpu);
/**@}*/

/** @name CPU control */
/**@{*/
/**
 * Take a CPU out of reset (or stop) at @p pc in kernel mode, with Status =
 * @p status and $a0 = @p a0. Returns -1 if the CPU is already running.
 */
int sim_cpu_start(struct sim *m, int cpu, uint32_t pc, uint32_t status, uint32_t a0);
/** Put a CPU back in reset; it stops at once and counts TIME_OFF. */
int sim_cpu_stop(struct sim *m, int cpu);
/** Is the CPU running (not in reset)? */
bool sim_cpu_running(const struct sim *m, int cpu);
/**
 * Idle the CPU until an interrupt is pending in Cause.IP (masked or not, as
 * WAIT). Then it takes the interrupt exception if Status enables it, or else
 * continues at its PC. Idle time counts as TIME_IDLE.
 */
int sim_cpu_idle(struct sim *m, int cpu);
/**
 * Charge @p cycles of monitor work to @p cpu (TIME_MONITOR). The CPU's clock
 * moves on by that much.
 */
int sim_cpu_charge(struct sim *m, int cpu, uint64_t cycles);
/** Stop the whole machine with @p status, as a write to HALT would. */
void sim_halt(struct sim *m, int status);
/**@}*/

/** @name TLB (per CPU, 64 entries) */
/**@{*/
/** One TLB entry in CP0 register format. */
struct sim_tlb_entry {
    uint32_t entryhi;  /**< VPN2 | ASID */
    uint32_t entrylo0; /**< even page: PFN | C | D | V | G */
    uint32_t entrylo1; /**< odd page */
    uint32_t pagemask; /**< must be 0 (4 KB pages) */
};
/** Read entry @p index. */
int sim_tlb_read(const struct sim *m, int cpu, int index, struct sim_tlb_entry *out);
/** Write entry @p index (the G bit is the AND of both EntryLo G bits, as TLBWI). */
int sim_tlb_write(struct sim *m, int cpu, int index, const struct sim_tlb_entry *e);
/** The index TLBWR would use now (the Random register). */
int sim_tlb_random(const struct sim *m, int cpu);
/** The index of the entry matching @p entryhi (VPN2 and ASID or G), or -1. */
int sim_tlb_probe(const struct sim *m, int cpu, uint32_t entryhi);
/** Invalidate every entry, including wired ones (each gets a unique unmapped VPN2 and V=0). */
int sim_tlb_flush(struct sim *m, int cpu);
/**@}*/

/** @name Machine memory */
/**@{*/
/** Bytes of machine memory (nodes * memory per node). */
uint64_t sim_mem_size(const struct sim *m);
/** The node whose memory holds machine address @p pa. */
int sim_mem_node(const struct sim *m, uint64_t pa);
/**
 * Copy @p len bytes from machine memory at @p pa. The lines read go through
 * @p cpu's cache and are charged to it as monitor time; @p cpu = -1 charges
 * nobody and leaves the caches alone (for loading images before a run).
 * Returns 0, or -1 if the range is not all memory.
 */
int sim_mem_read(struct sim *m, int cpu, uint64_t pa, void *buf, uint32_t len);
/** Write to machine memory; invalidates other caches' copies and LL links. */
int sim_mem_write(struct sim *m, int cpu, uint64_t pa, const void *buf, uint32_t len);
/** Copy one 4 KB page (both addresses page aligned), charged to @p cpu. */
int sim_mem_copy_page(struct sim *m, int cpu, uint64_t dst, uint64_t src);
/** Zero one 4 KB page, charged to @p cpu. */
int sim_mem_zero_page(struct sim *m, int cpu, uint64_t pa);
/**@}*/

/** @name MAGIC: per-page, per-node cache-miss counters and hot pages */
/**@{*/
/** Misses by @p node on machine page @p pfn since its last reset. */
uint32_t sim_magic_count(const struct sim *m, uint32_t pfn, int node);
/** Reset the counters of one page, or (@p pfn = UINT32_MAX) of all pages. */
void sim_magic_reset(struct sim *m, uint32_t pfn);
/** Current hot-page threshold. */
uint32_t sim_magic_threshold(const struct sim *m);
/** Set the hot-page threshold (at least 1). */
void sim_magic_set_threshold(struct sim *m, uint32_t misses);
/**
 * Pop the next hot-page record. Returns false when the queue is empty (then
 * IP5 is cleared on every CPU).
 */
bool sim_magic_pop(struct sim *m, uint32_t *pfn, int *node);
/**@}*/

/** @name Disks */
/**@{*/
/** Number of attached disks. */
int sim_disk_count(const struct sim *m);
/** Capacity of disk @p disk in 512-byte sectors (0 if no such disk). */
uint64_t sim_disk_capacity(const struct sim *m, int disk);
/** Called when a request submitted with sim_disk_submit() completes; @p ok false on error. */
typedef void (*sim_disk_done_fn)(struct sim *m, int disk, bool ok, void *arg);
/**
 * Queue a DMA request on @p disk: @p write false reads @p count sectors from
 * @p sector into machine memory at @p pa; true writes them from memory. The
 * request takes the disk's modeled latency after the requests queued before
 * it; the transfer happens at completion, which breaks LL links and
 * invalidates cached copies of the lines written, then @p done is called.
 * Returns 0, or -1 (and nothing is queued) if the disk, the sector range or
 * the memory range is invalid.
 */
int sim_disk_submit(struct sim *m, int disk, bool write, uint64_t sector, uint32_t count,
                    uint64_t pa, sim_disk_done_fn done, void *arg);
/** A disk's counters. */
const struct sim_disk_stats *sim_disk_stats(const struct sim *m, int disk);
/**@}*/

/** @name Interrupts */
/**@{*/
/** Raise IP4 on @p to (as a write to the IPI SEND register). */
int sim_ipi_send(struct sim *m, int to);
/** Clear IP4 on @p cpu (as a write to ACK). */
int sim_ipi_ack(struct sim *m, int cpu);
/**@}*/

/** @name Timed events */
/**@{*/
/** A timed event's function. Runs between time slices, on no CPU. */
typedef void (*sim_event_fn)(struct sim *m, void *arg);
/**
 * Call @p fn at global time @p when (cycles; a past time means the next
 * slice boundary). Every CPU's time slice ends at the event, so it happens
 * at the same point of every run. Returns an id for sim_event_cancel(), or 0
 * if out of memory.
 */
uint64_t sim_event_at(struct sim *m, uint64_t when, sim_event_fn fn, void *arg);
/** Cancel an event that has not happened yet. Returns true if it was pending. */
bool sim_event_cancel(struct sim *m, uint64_t id);
/**@}*/

#endif
