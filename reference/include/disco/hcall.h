/**
 * @file hcall.h
 * @brief Monitor calls: a SYSCALL executed in supervisor mode.
 *
 * The interface (numbers, arguments, results) is in
 * guests/include/disco/abi.h, shared with the guest kernel. Paper section
 * 4.2.4: Disco's device drivers pass all the arguments of a request in a
 * single trap; section 4.2.2: a monitor call gets a zeroed page, another
 * hands freed pages back.
 */
#ifndef DISCO_HCALL_H_
#define DISCO_HCALL_H_

#include "disco/types.h"

/** Handle the monitor call vCPU @p v made at @p pc; returns to the guest after it. */
void hcall_dispatch(struct vcpu *v, uint32_t pc, bool in_delay);

#endif
