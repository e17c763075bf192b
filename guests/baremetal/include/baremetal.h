/*
 * baremetal.h: a tiny runtime for bare-metal programs on the simulated FLASH
 * machine (MACHINE.md). It is what the test programs in sim/tests/guest and
 * the demos in guests/demo link against.
 *
 * What the runtime does before main() (start.S, runtime.c):
 *   - every CPU gets a stack at the top of its own node's memory;
 *   - CPU 0 clears .bss and records the boot arguments;
 *   - Status is set to 0: kernel mode, interrupts off, BEV=0, so exceptions
 *     go to the vectors at 0x80000000 (refill) and 0x80000180 (general);
 *   - both vectors save every register in a struct trapframe and call
 *     handle_exception() if the program defines it.
 * CPU 0 then runs main(); its return value becomes the halt status.
 * Other CPUs run the function given to start_cpu().
 */
#ifndef BAREMETAL_H
#define BAREMETAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "cp0.h"
#include "machine.h"

#define MAX_CPUS 64

/* Halt statuses the runtime itself uses. */
#define EXIT_UNEXPECTED_TRAP 100  /* an exception and no handle_exception() */

/* ---- Boot ---- */
extern uint32_t boot_ncpus;     /* $a1 at reset: number of CPUs */
extern uint32_t boot_membytes;  /* $a2 at reset: bytes of memory, all nodes */
extern char __free_start[];     /* first page above the program (kseg0.ld) */

int main(void);

/* ---- Memory-mapped registers ---- */
static inline uint32_t mmio_read(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write(uint32_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

/* kseg0 addresses and physical addresses differ by 0x80000000. */
static inline uint32_t kva_to_pa(const volatile void *p)
{
	return (uint32_t)p - KSEG0_BASE;
}

static inline void *pa_to_kva(uint32_t pa)
{
	return (void *)(pa + KSEG0_BASE);
}

/* ---- Console (console.c) ---- */
void console_putc(int c);
void console_puts(const char *s);  /* writes s as it is, no newline added */
int console_getc(void);            /* next input byte, or -1 if none */
void print_hex(uint32_t v);        /* 0x%08x */
void print_dec(int32_t v);
/* %d %u %x %s %c %p %%, with an optional '0' flag and width (%08x). */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);

/* ---- Power and simulator control (devices.c) ---- */
void halt(uint32_t status) __attribute__((noreturn));
void mark(uint32_t value);     /* a phase marker in the statistics and trace */
uint64_t read_cycles(void);    /* this CPU's cycle count */
uint32_t ncpus(void);
uint32_t node_mem_bytes(void);

/* This CPU's number, from EBase.CPUNum (CP0 15 select 1). */
static inline int cpu_id(void)
{
	return mfc0_sel(CP0_EBASE, 1) & 0x3FF;
}

/* Start CPU `cpu` (held in reset until now) running fn(cpu) on its own
   stack. If fn returns, the CPU parks in WAIT with interrupts off. */
void start_cpu(int cpu, void (*fn)(int cpu));

/* ---- Inter-processor interrupts: IP4 ---- */
void ipi_send(int cpu);
void ipi_ack(void);           /* clears IP4 on the calling CPU */

/* ---- Disks: controller k at DISK_BASE(k) ---- */
uint32_t disk_read_reg(int disk, uint32_t reg);
void disk_write_reg(int disk, uint32_t reg, uint32_t value);
/* Program a request and start it: cmd is DISK_CMD_READ or DISK_CMD_WRITE,
   pa the physical address of the buffer, target_cpu gets IP2 at the end. */
void disk_start(int disk, uint32_t cmd, uint32_t sector, uint32_t count,
		uint32_t pa, int target_cpu);

/* ---- MAGIC hot-page counters: IP5 ---- */
uint32_t magic_read(uint32_t reg);
void magic_write(uint32_t reg, uint32_t value);

/* ---- Interrupts ---- */
/* Unmask the lines in irq_mask (bit n = IPn) and set Status.IE. */
void intr_enable(uint32_t irq_mask);
/* Clear Status.IE (the mask bits stay as they are). */
void intr_disable(void);
/* Pending lines, bit n = IPn, whether masked or not (Cause.IP). */
static inline uint32_t intr_pending(void)
{
	return (mfc0(CP0_CAUSE) >> CAUSE_IP_SHIFT) & 0xFF;
}

/* ---- Exceptions (start.S, trap.c) ---- */
/* Which vector the CPU jumped to. */
#define VECTOR_REFILL  0
#define VECTOR_GENERAL 1

/* Saved by the vectors in start.S; offsets there must match. */
struct trapframe {
	uint32_t regs[32];   /* regs[n] is $n; $k0, $k1 are not saved */
	uint32_t hi, lo;
	uint32_t epc;        /* written back to EPC before ERET */
	uint32_t status;     /* written back to Status before ERET */
	uint32_t cause;
	uint32_t badvaddr;
	uint32_t vector;     /* VECTOR_REFILL or VECTOR_GENERAL */
	uint32_t pad;
};

#define REG_V0 2
#define REG_V1 3
#define REG_A0 4
#define REG_SP 29
#define REG_RA 31

/* Define this in a program to see its exceptions and interrupts. It runs with
   Status.EXL set (interrupts off, kernel mode). Whatever it leaves in *tf is
   restored, so changing tf->epc changes where ERET returns. */
void handle_exception(struct trapframe *tf);

static inline uint32_t exc_code(const struct trapframe *tf)
{
	return (tf->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
}

const char *exc_name(uint32_t code);
void trap_dump(const struct trapframe *tf);

/* Run the code at pc in supervisor (ST_KSU_SUPER) or user (ST_KSU_USER) mode
   with $a0 = arg, on the caller's stack pointer (the code must not change
   $sp). The code usually lives in a kuseg page the caller mapped. It runs
   until handle_exception() calls lowpriv_return(), which makes run_lowpriv()
   return `value` in kernel mode. */
uint32_t run_lowpriv(uint32_t pc, uint32_t ksu, uint32_t arg);
void lowpriv_return(struct trapframe *tf, uint32_t value);

/* ---- TLB (tlb.c) ---- */
/* These save and restore EntryHi, whose ASID is the current address space. */
void tlb_write_index(int index, uint32_t entryhi, uint32_t lo0, uint32_t lo1);
void tlb_write_random(uint32_t entryhi, uint32_t lo0, uint32_t lo1);
void tlb_read(int index, uint32_t *entryhi, uint32_t *lo0, uint32_t *lo1);
int tlb_probe(uint32_t entryhi);   /* index of the match, or -1 */
void tlb_invalidate_all(void);     /* every entry unmatchable and invalid */
/* An EntryLo value for a physical page, flags from ENTRYLO_*. */
static inline uint32_t entrylo(uint32_t pa, uint32_t flags)
{
	return ((pa >> PAGE_SHIFT) << ENTRYLO_PFN_SHIFT) | flags;
}

/* ---- LL/SC spinlock (spinlock.c) ---- */
struct spinlock {
	volatile uint32_t locked;
};
void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);

/* ---- Self-checking tests (check.c) ---- */
/* Print "ok   what" or "FAIL what" and count failures. */
void check(int ok, const char *what);
/* Same, and on failure print both values. */
void check_eq(uint32_t got, uint32_t want, const char *what);
int checks_failed(void);
/* "PASS name" and 0, or "FAIL name: n checks failed" and 1: main's result. */
int checks_report(const char *name);

/* ---- Strings (string.c); the compiler may also call these itself ---- */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
