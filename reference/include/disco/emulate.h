/**
 * @file emulate.h
 * @brief Virtual CPUs: trap handling, privileged-instruction emulation and
 * exception forwarding (lab 1).
 *
 * Paper section 4.2.1: Disco runs the guest kernel directly on the CPU in
 * supervisor mode, where it cannot execute privileged instructions. Each
 * one traps into the monitor, which emulates it on the vCPU's virtual
 * privileged registers (struct vcp0) and virtual TLB. Exceptions the guest
 * should see (system calls from its programs, page faults, address errors)
 * are forwarded: the monitor sets the virtual EPC, Cause, Status, BadVAddr,
 * Context and EntryHi as a real CPU would and resumes the guest at its own
 * exception vector. emulate_trap() is the monitor's exception handler:
 * every exception taken by any CPU arrives there.
 */
#ifndef DISCO_EMULATE_H
#define DISCO_EMULATE_H

#include <stdbool.h>
#include <stdint.h>

#include "disco/types.h"

/** The guest's exception vectors in the relocated kernel segment. */
#define GUEST_REFILL_VECTOR  0xC0000000u
/** General exception vector of the guest. */
#define GUEST_GENERAL_VECTOR 0xC0000180u

/**
 * The monitor's exception handler (installed with sim_set_exception_handler):
 * every exception any CPU takes arrives here. TLB exceptions go to
 * l2tlb_miss() (lab 2), monitor calls to hcall_dispatch(), privileged
 * instructions to emulate_privileged(), the monitor's own interrupts to
 * their handlers, everything else is forwarded to the guest. Then the CPU
 * is dispatched again (sched_dispatch()). With `check = on` the monitor's
 * invariants are checked after the trap (check_after_trap()).
 */
void emulate_trap(struct sim *m, const struct sim_exception *e, void *arg);

/**
 * Emulate the privileged instruction @p insn that the guest kernel on vCPU
 * @p v executed at @p pc (@p pc is the branch's address when @p in_delay,
 * as for EPC). Emulates MFC0, MTC0, TLBR, TLBWI, TLBWR, TLBP, ERET, WAIT and
 * CACHE on the virtual CP0 and virtual TLB and sets v->pc to where the guest
 * continues. Returns true if it emulated the instruction or stopped the VM
 * doing so (a forged TLB entry, a delay slot it cannot evaluate); false for
 * an instruction it does not emulate, which the caller forwards as a
 * reserved instruction (EXC_RI). Paper section 4.2.1; handout/lab1.md.
 */
bool emulate_privileged(struct vcpu *v, uint32_t insn, uint32_t pc, bool in_delay);

/**
 * Forward exception @p code to the guest running on @p v, as a real CPU
 * would take it at @p pc (the branch when @p in_delay): set the virtual
 * EPC, Cause (with @p ce for CpU), Status.EXL and, for address and TLB
 * exceptions, BadVAddr (and Context, EntryHi for TLB ones); continue at the
 * guest's refill vector when @p refill and virtual EXL was 0, else at its
 * general vector.
 */
void emulate_forward(struct vcpu *v, unsigned code, uint32_t pc, bool in_delay, uint32_t badvaddr,
                     bool refill, unsigned ce);

/** The guest's mode: MODE_KERNEL (runs in supervisor mode) or MODE_USER. */
int emulate_guest_mode(const struct vcpu *v);

/** The virtual Count register of @p v now. */
uint32_t emulate_vcount(const struct vcpu *v);

/**
 * Put the vCPU's state on the physical CPU it owns and return to the
 * guest: deliver a pending virtual interrupt if the guest has it enabled,
 * then set the real Status (guest kernel in supervisor mode, guest user in
 * user mode, real interrupts always on) and PC.
 */
void emulate_resume(struct vcpu *v);

/**
 * Where the guest continues after the instruction the monitor emulated.
 * Not in a delay slot (@p in_delay false), that is @p pc + 4. In a delay
 * slot, @p pc is the address of the branch (as EPC is for an exception in
 * a delay slot) and the instruction itself is at @p pc + 4: the branch is
 * fetched from the guest kernel and re-evaluated on the vCPU's registers,
 * giving its target or @p pc + 8. A branch the monitor cannot fetch (not in
 * the guest kernel's segment) or a delay slot after a non-branch stops the
 * VM (vm_stop(): v->state is VCPU_DEAD on return) and returns @p pc + 8;
 * callers must then do nothing more for the instruction.
 */
uint32_t emulate_next_pc(struct vcpu *v, uint32_t pc, bool in_delay);

/**
 * Load the vCPU's virtual ASID (EntryHi bits 7..0) into the real EntryHi of
 * the CPU it runs on: user TLB entries carry the guest's own ASIDs (paper
 * section 4.2.2), so the hardware must compare against the guest's current
 * one. Called whenever the virtual EntryHi's ASID changes, and when the
 * vCPU is put on a CPU. No effect for a vCPU that is not on a CPU.
 */
void emulate_load_asid(struct vcpu *v);

#endif
