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

/** The monitor's exception handler (installed with sim_set_exception_handler). */
void emulate_trap(struct sim *m, const struct sim_exception *e, void *arg);

/**
 * Emulate the privileged instruction @p insn that vCPU @p v executed at
 * @p pc (in a delay slot if @p in_delay). Returns true if it was one the
 * monitor emulates; false for a reserved instruction (forward RI).
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

/** The address after the instruction at @p pc (evaluating the branch at pc-4... when @p in_delay). */
uint32_t emulate_next_pc(struct vcpu *v, uint32_t pc, bool in_delay);

#endif
