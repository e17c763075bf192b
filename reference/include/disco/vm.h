/**
 * @file vm.h
 * @brief Creating, halting and stopping virtual machines.
 *
 * A VM is created from its [vm NAME] section: its memory (a pmap, machine
 * pages allocated on use), its guest kernel loaded into guest physical
 * memory from the ELF file (linked in the supervisor segment at 0xC0000000
 * + its physical address), its disks, and vCPU 0 ready to start at the
 * entry point with $a0 = 0, $a1 = number of vCPUs, $a2 = memory bytes,
 * $a3 = guest physical address of the boot-argument string.
 *
 * Containment (paper section 2: "fault containment"): a VM that does what
 * it may not (forges a TLB entry, points DMA or a monitor call outside its
 * memory, double-faults) is stopped with a message; the machine and the
 * other VMs go on.
 */
#ifndef DISCO_VM_H
#define DISCO_VM_H

#include <stddef.h>

#include "disco/config.h"
#include "disco/types.h"

/** Create VM number @p id from @p cfg. NULL with @p err on failure. */
struct vm *vm_create(struct monitor *mon, int id, const struct vm_config *cfg, char *err,
                     size_t errlen);

/** Free a VM (after the run). */
void vm_destroy(struct vm *vm);

/** The VM halted itself with @p status (MC_HALT). */
void vm_halt(struct vm *vm, int status);

/** Stop a misbehaving VM: print "disco: VM NAME stopped: WHY" and halt it as failed. */
void vm_stop(struct vm *vm, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Guest page number of guest physical address @p gpa, or UINT32_MAX if not the VM's. */
uint32_t vm_gpfn(const struct vm *vm, uint32_t gpa);

#endif
