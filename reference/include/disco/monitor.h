/**
 * @file monitor.h
 * @brief The monitor: create it from a configuration, run the VMs, report.
 *
 * This is what the `disco` command does:
 * @code
 *   struct disco_config cfg;
 *   config_read("vms.conf", &cfg, err, sizeof err);
 *   struct monitor *mon = monitor_create(&cfg, stdout, err, sizeof err);
 *   int status = monitor_run(mon);     // 0 if every VM halted cleanly
 *   monitor_write_stats(mon, "stats.json", err, sizeof err);
 *   monitor_destroy(mon);
 * @endcode
 */
#ifndef DISCO_MONITOR_H
#define DISCO_MONITOR_H

#include <stddef.h>
#include <stdio.h>

#include "disco/config.h"
#include "disco/types.h"

/**
 * Build the machine and the VMs of @p cfg: memory maps, kernels loaded,
 * vCPU 0 of each VM ready to run. Console output goes to @p out. Returns
 * NULL with a message in @p err (bad kernel, missing disk image, not enough
 * machine memory for the VMs, ...).
 */
struct monitor *monitor_create(const struct disco_config *cfg, FILE *out, char *err, size_t errlen);

/**
 * Run until every VM has halted (or been stopped), or the cycle limit.
 * Returns 0 if every VM halted with status 0, 1 if any VM failed or halted
 * with another status, 124 at the cycle limit, 2 on a monitor error.
 */
int monitor_run(struct monitor *mon);

/** Write the statistics as JSON. Returns 0 or -1 with @p err. */
int monitor_write_stats(struct monitor *mon, const char *path, char *err, size_t errlen);

/** What the VMs' memory costs the machine now (V and M of Figure 6). */
struct monitor_memory monitor_memory(const struct monitor *mon);

/** Print a short human summary of each VM (time split, traps, L2 TLB). */
void monitor_print_summary(struct monitor *mon, FILE *f);

/** Free everything. NULL is allowed. */
void monitor_destroy(struct monitor *mon);

/**
 * Charge @p cycles of monitor work (a cost-table entry) to the CPU whose
 * trap is being handled; work done between traps (events) is free.
 */
void monitor_charge(struct monitor *mon, uint32_t cycles);

/**
 * The time now, as the monitor sees it: the clock of the CPU whose trap is
 * being handled, or the machine's time between traps (in events).
 */
uint64_t monitor_now(const struct monitor *mon);

/**
 * Invalidate every entry matching @p hi (VPN2 | ASID, or a global entry) in
 * the hardware TLB of CPU @p cpu. An @p hi in kseg0/kseg1 (never
 * translated) matches nothing.
 */
void monitor_tlb_drop(struct monitor *mon, int cpu, uint32_t hi);

/**
 * monitor_tlb_drop() on CPU @p cpu, which may be another CPU than the one
 * whose trap is being handled: then real hardware sends it an
 * inter-processor interrupt and waits while it drops the entry (a TLB
 * shootdown). The simulator drops it at once; both CPUs are charged
 * cost.shootdown and the monitor counts it (shootdowns in the statistics).
 */
void monitor_shootdown(struct monitor *mon, int cpu, uint32_t hi);

/** Record phase marker @p value of @p vm (MC_MARK). */
void monitor_mark(struct monitor *mon, struct vm *vm, uint32_t value);

/** The time split of @p vm so far (all vCPUs, brought up to date). */
struct vcpu_time monitor_vm_time(struct monitor *mon, const struct vm *vm);

/** Find a VM by name, or NULL. */
struct vm *monitor_find_vm(struct monitor *mon, const char *name);

#endif
