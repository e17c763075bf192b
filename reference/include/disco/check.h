/**
 * @file check.h
 * @brief The monitor's invariants, checked: a bug fails loudly, with a
 * message, instead of quietly corrupting another VM's memory.
 *
 * Two kinds of checks:
 * - check_fail() is the monitor's assertion: code that finds its own data
 *   structures inconsistent (a page freed twice, a backmap record that is
 *   not there) calls it, and the run stops at once with
 *   "disco: invariant violated: WHAT" and SIGABRT. It is never a guest's
 *   fault: a guest's misbehaviour stops that VM (vm_stop()), not the monitor.
 * - check_tlb() and check_vm() walk the structures and say whether they
 *   agree. Tests call them; with `check = on` in the configuration's
 *   [monitor] section the monitor itself calls check_tlb() after every
 *   trap and check_monitor() every CHECK_INTERVAL traps and at the end of
 *   the run (the autograder turns it on).
 *
 * The invariants (handout/lab2.md, "Invariants"):
 * 1. Every valid hardware TLB entry of a CPU belongs to the vCPU running
 *    there (a CPU running no vCPU has an empty TLB).
 * 2. An entry for a user address is a copy of one of that vCPU's L2 TLB
 *    entries (same pair, ASID or G, machine PFN, no more write permission),
 *    and that L2 entry is in the backmap of each guest page it maps.
 * 3. An entry in the relocated kernel segment is global and maps each page
 *    to a current copy of it: the pmap's machine page or one of its
 *    replicas (lab 3; or the vCPU's HAL page).
 * 4. Every machine page the pmap names is allocated to that VM and that
 *    guest page in the memmap, and the other way round; backmap records
 *    and valid L2 TLB entries list each other.
 * 5. A replicated page, and a disk cache page shared between VMs, is
 *    read-only everywhere: its precomputed EntryLo, its L2 TLB entries and
 *    their hardware copies (numa.h, diskcache.h); a shared page counts
 *    exactly the VM pages that name it, and its cache slot names it.
 */
#ifndef DISCO_CHECK_H
#define DISCO_CHECK_H

#include <stddef.h>

#include "disco/types.h"

/** Traps between two full checks when `check = on`. */
#define CHECK_INTERVAL 1024

/**
 * The monitor found its own state inconsistent: print
 * "disco: invariant violated: " and the message on stderr, and abort.
 */
_Noreturn void check_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * Invariants 1-3 for the hardware TLB of physical CPU @p cpu. Returns 0,
 * or -1 with what is wrong in @p why.
 */
int check_tlb(struct monitor *mon, int cpu, char *why, size_t len);

/** Invariant 4 for @p vm (pmap, memmap, backmaps, L2 TLBs). 0 or -1 with @p why. */
int check_vm(struct vm *vm, char *why, size_t len);

/** Every check, for every CPU and every VM, and the memmap's free lists. 0 or -1. */
int check_monitor(struct monitor *mon, char *why, size_t len);

/** What the monitor runs with `check = on`: after a trap on @p cpu; check_fail() on a violation. */
void check_after_trap(struct monitor *mon, int cpu);

#endif
