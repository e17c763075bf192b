/*
 * hal.h - the privileged operations SPLASHOS needs, and nothing else.
 *
 * The Disco paper (section 5) runs SPLASHOS, a thin library OS, directly on
 * the monitor. To make that port a matter of swapping one file, every
 * privileged instruction and every device register SPLASHOS touches lives
 * in hal_native.c (the bare machine, kernel mode, kseg0); the rest of
 * SPLASHOS (sos.c) and the application only call these functions. The
 * disco build links hal_disco.c instead: the same interface with monitor
 * calls for the devices, linked in the supervisor segment.
 *
 * Each HAL also holds the reset entry point and the exception vectors:
 * they end in sos_start() and sos_fault() in sos.c.
 */
#ifndef SPLASHOS_HAL_H
#define SPLASHOS_HAL_H

#include <stdint.h>

/* The most CPUs the machine can have (MACHINE.md: 1-32 nodes). */
#define HAL_MAX_CPUS 32

/* Bytes at the top of each node's memory that hold that CPU's stack. */
#define HAL_STACK_BYTES (64 * 1024)

void hal_init(void);                   /* CPU 0, once, first thing */
int hal_cpu_id(void);                  /* this CPU's number */
uint32_t hal_ncpus(void);              /* CPUs in the machine */
uint32_t hal_node_mem(void);           /* bytes of memory per node */
void hal_start_cpu(int cpu);           /* start a CPU held in reset */
void hal_cons_write(const char *buf, int n);  /* bytes to the console */
void hal_mark(uint32_t value);         /* phase marker in the statistics */
void hal_halt(uint32_t status) __attribute__((noreturn));
void hal_sync(void);                   /* memory barrier */
void hal_idle_forever(void) __attribute__((noreturn)); /* a CPU with no work */

/* Address <-> "physical" address: SPLASHOS has no virtual memory, its one
   address space is the machine's memory seen through kseg0. */
void *hal_pa2va(uint32_t pa);
uint32_t hal_va2pa(const void *va);

/* First byte after the loaded program (the linker script's __free_start). */
uint32_t hal_image_end_pa(void);

/* What the exception vectors report to sos_fault(). */
struct hal_fault {
	uint32_t cause, epc, badvaddr, status, sp, ra;
	int vector;   /* 0 TLB refill vector, 1 general vector */
};

/* Provided by sos.c: every CPU enters sos_start() from the reset entry, on
   its own stack; any exception lands in sos_fault(). Neither returns. */
void sos_start(int cpu) __attribute__((noreturn));
void sos_fault(const struct hal_fault *f) __attribute__((noreturn));

#endif
