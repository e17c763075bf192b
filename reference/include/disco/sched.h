/**
 * @file sched.h
 * @brief Scheduling vCPUs on physical CPUs.
 *
 * Paper section 4.2.1: "Disco ... time-shares the virtual CPUs of the
 * virtual machines across the physical processors", with affinity for the
 * node where a vCPU's memory is. Runnable vCPUs wait in one FIFO queue; a
 * free CPU takes the first vCPU whose home is its node, else the first
 * one. A running vCPU gives up its CPU when its quantum ends and another
 * vCPU waits, or when it executes WAIT (it then waits, off any CPU, for a
 * virtual interrupt). On a switch the hardware TLB is flushed, since guest
 * ASIDs are used as they are (section 4.2.2).
 */
#ifndef DISCO_SCHED_H
#define DISCO_SCHED_H

#include "disco/types.h"

/** Make @p v runnable and, if a CPU is idle, wake one for it. */
void sched_make_runnable(struct vcpu *v);

/** @p v waits for a virtual interrupt (WAIT): it leaves its CPU. */
void sched_wait(struct vcpu *v);

/** A virtual interrupt is now pending for @p v: wake it if it waits, or poke its CPU. */
void sched_kick(struct vcpu *v);

/** @p v is done (its VM halted): take it off its CPU and every queue. */
void sched_remove(struct vcpu *v);

/**
 * Called at the end of every trap on physical CPU @p cpu: if its vCPU must
 * give way (it waits, it is dead, its quantum is over and others wait),
 * switch; if the CPU has nothing to run, idle it. Then resume whatever
 * runs there.
 */
void sched_dispatch(struct monitor *mon, int cpu);

/** Take @p cpu's statistics since the last call and give them to its vCPU. */
void sched_account(struct monitor *mon, int cpu);

#endif
