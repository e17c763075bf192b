/**
 * @file gdbvm.h
 * @brief gdb's view of one VM: `disco --gdb PORT --gdb-vm NAME`.
 *
 * The machine's GDB stub (flash/gdb.h) debugs whatever set of threads it
 * is given. This gives it one VM as its guest kernel would see itself on a
 * real machine: one thread per vCPU, with the vCPU's registers whether it
 * runs on a physical CPU or not, its virtual CP0 Status, Cause, EPC and
 * BadVAddr, and memory by the guest's virtual addresses, translated as the
 * guest sees them. A breakpoint stops the machine only when one of the
 * VM's vCPUs reaches it; the other VMs stop with the machine while gdb
 * holds it. Handout: monitor.md, "Debugging a guest with gdb".
 */
#ifndef DISCO_GDBVM_H
#define DISCO_GDBVM_H

#include "disco/types.h"
#include "flash/gdb.h"

/**
 * Fill @p t with the threads of @p vm for gdb_attach(): thread i is vCPU
 * i. Memory: guest kseg0/kseg1 addresses and the relocated kernel segment
 * (0xC0000000 + guest physical) are guest physical memory; kuseg and kseg3
 * go through the vCPU's virtual TLB with its virtual ASID; then the pmap
 * gives the machine page. A page the guest never used reads as zeros; a
 * write goes through pmap_write(), so a page shared copy-on-write becomes
 * the VM's own first. The VM reaches nothing but its own memory.
 */
void gdbvm_target(struct vm *vm, struct gdb_target *t);

#endif
