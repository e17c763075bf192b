/*
 * vmrt.h - a tiny runtime for the monitor's test guests.
 *
 * A test guest is a bare program linked in the supervisor segment
 * (guests/mk/sseg.ld) that the monitor runs as a VM. It talks to the
 * monitor with monitor calls (guests/include/disco/abi.h) and uses the
 * privileged instructions a kernel uses, which the monitor emulates.
 */
#ifndef VMRT_H
#define VMRT_H

#include <stdarg.h>
#include <stdint.h>

#include "disco/abi.h"

/* The registers an exception saved (vmrt.S). */
struct tf {
    uint32_t r[32];
    uint32_t hi, lo, epc, status, cause, badvaddr, vector; /* vector: 0 refill, 1 general */
};

/* Exception handlers a test installs; returning resumes at tf->epc. */
extern void (*on_refill)(struct tf *tf);
extern void (*on_general)(struct tf *tf);

/* vCPUs the runtime has stacks and start slots for. */
#define VMRT_MAXCPU 16

/* The program: vCPU 0 runs vm_main; vCPUs started with vm_start_cpu run fn. */
int vm_main(int ncpus, uint32_t memsize, const char *args);
void vm_start_cpu(int id, void (*fn)(int id));

uint32_t mcall(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3);
void vm_halt(int status) __attribute__((noreturn));
int vm_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void check(int ok, const char *what);
int report(const char *name);     /* PASS/FAIL line; 0 or 1 */
uint32_t kva2pa(const volatile void *p);
/* The number after `key` (say "passes=") in the boot arguments, or dflt. */
int vm_arg(const char *args, const char *key, int dflt);

#define MFC0(reg, sel) ({ uint32_t v_; __asm__ volatile("mfc0 %0, $" #reg ", " #sel : "=r"(v_)); v_; })
#define MTC0(reg, sel, val) __asm__ volatile("mtc0 %0, $" #reg ", " #sel ::"r"(val))

static inline void tlbwi(void) { __asm__ volatile("tlbwi"); }
static inline void tlbwr(void) { __asm__ volatile("tlbwr"); }
static inline void tlbp(void) { __asm__ volatile("tlbp"); }

/* An LL/SC spinlock between vCPUs (0: free). */
static inline void spin_lock(volatile uint32_t *l)
{
    uint32_t tmp;
    __asm__ volatile("1: ll %0, 0(%1)\n"
                     "   bnez %0, 1b\n"
                     "   li %0, 1\n"
                     "   sc %0, 0(%1)\n"
                     "   beqz %0, 1b\n"
                     "   nop\n"
                     : "=&r"(tmp)
                     : "r"(l)
                     : "memory");
}

static inline void spin_unlock(volatile uint32_t *l)
{
    __asm__ volatile("sync" ::: "memory");
    *l = 0;
}

/* Run code at user address pc in user mode; it comes back through a
 * syscall, which the general handler turns into a return (vmrt.c). */
uint32_t run_user(uint32_t pc);

#endif
