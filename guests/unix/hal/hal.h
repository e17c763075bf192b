/*
 * hal.h - the hardware abstraction layer of the Unix kernel.
 *
 * Every privileged operation the kernel performs goes through this header:
 * CP0 registers, the TLB, interrupt enable and disable, WAIT, the timer,
 * IPIs, the power device (halt, CPU start, marks, cycles), the console and
 * the disk. Outside hal/ the kernel contains no mfc0, mtc0, tlbw*, eret,
 * wait or cache instruction and no device address (guests/README.md).
 *
 * The native implementation (hal/native/) drives the FLASH machine of
 * MACHINE.md directly; the disco one (hal/disco/) runs the kernel in a VM
 * of the monitor (monitor calls, a relocated kernel segment), so the rest
 * of the kernel is built unchanged for both. The MIPS code the two share,
 * what does not depend on how privileged registers and devices are
 * reached, is hal/mips/, compiled into both.
 *
 * Things that are data rather than operations -- the trap frame layout, the
 * EntryLo format of page-table entries, the Cause/Status bits saved in a
 * trap frame -- are described here too, as inline helpers, because the
 * disco build sees the same MIPS formats (the monitor emulates them).
 */
#ifndef HAL_H
#define HAL_H

#include <stdint.h>

#include "halconf.h"   /* per-build: HAL_KBASE, the kernel segment base */

#define HAL_PAGE_SIZE  4096u
#define HAL_PAGE_SHIFT 12

/* ---- Physical memory --------------------------------------------------- */

/* Physical page p is at kernel virtual address HAL_KBASE + p * 4096: kseg0
   natively, the relocated supervisor segment under disco. These two are the
   only place where that offset is known. */
static inline void *hal_pa2kva(uint32_t pa)
{
	return (void *)(uintptr_t)(pa + HAL_KBASE);
}

static inline uint32_t hal_kva2pa(const void *kva)
{
	return (uint32_t)(uintptr_t)kva - HAL_KBASE;
}

/* The paper's monitor calls for memory (section 4): the kernel asks the
   HAL for a zeroed page instead of zeroing it itself, and says when it
   frees one (its contents are not needed any more). Natively memset and
   nothing; under disco MC_ZERO_PAGE and MC_FREE_PAGE. */
void hal_page_zero(uint32_t pa);
void hal_page_freed(uint32_t pa);

/* What a physical page holds, for the memory statistics of the paper's
   Figure 6. kalloc.c keeps one byte per page (a table
   hal_page_kinds shows the monitor); natively the boot argument memstat
   prints the counts at halt. The values are the monitor's
   MC_KIND_* (guests/include/disco/abi.h). */
enum page_kind {
	PAGE_FREE,     /* on a free list */
	PAGE_KTEXT,    /* the kernel's text and read-only data */
	PAGE_KDATA,    /* the kernel's data and bss, page tables, pipes... */
	PAGE_BUFFER,   /* a buffer of the block cache (bio.c) */
	PAGE_USER,     /* a page of a user address space */
	PAGE_NKINDS
};

/* The kernel's table of what each physical page holds (kalloc.c, one
   byte per page, npages long), for statistics only: under disco the
   monitor reads it to split each VM's memory by kind (MC_PAGE_KINDS);
   natively nothing. */
void hal_page_kinds(const uint8_t *table, uint32_t npages);

/* ---- Boot and CPUs ----------------------------------------------------- */

/* Set up this CPU's CP0 state: exception vectors, interrupt mask, TLB
   (every entry invalid, Wired = 0), Context.PTEBase = cpu << 23, the
   refill handler's page directory, the first timer interrupt. Interrupts
   stay off. */
void hal_cpu_init(uint32_t *empty_pgdir, uint32_t tick_cycles);
int hal_cpu_id(void);               /* 0..ncpus-1 */
int hal_ncpus(void);
uint32_t hal_node_mem(void);        /* bytes of memory per node */
void hal_start_cpu(int cpu);        /* start a secondary CPU at hal_secondary_main */
void hal_halt(int status) __attribute__((noreturn));
void hal_mark(uint32_t value);      /* phase marker for the statistics */
uint64_t hal_cycles(void);          /* this CPU's cycle counter */

/* Boot arguments, a string of words (guests/unix/README.md, "Boot
   arguments"): in a VM the configuration's `args` (the monitor passes
   their physical address in $a3 at reset; hal_boot_args_save copies them
   before the kernel may reuse that page), on the bare machine none ("":
   the machine has no boot ROM and flashsim no way to pass any; the
   kernel's other source, /etc/bootargs, serves both builds, main.c).
   Never NULL. */
void hal_boot_args_save(uint32_t boot_a3);   /* CPU 0, from hal_boot */
const char *hal_boot_args(void);

/* Entry points the HAL calls (defined by the kernel, main.c). */
void kmain(int cpu, int ncpus) __attribute__((noreturn));

/* ---- Interrupts -------------------------------------------------------- */

#define HAL_IRQ_DISK  2  /* disk request done (MACHINE.md: IP2) */
#define HAL_IRQ_NET   3  /* network: a message arrived (IP3, CPU 0; a VM's only) */
#define HAL_IRQ_IPI   4  /* inter-processor interrupt (IP4) */
#define HAL_IRQ_HOT   5  /* MAGIC hot-page queue not empty (IP5) */
#define HAL_IRQ_CONS  6  /* console input (IP6, CPU 0 only) */
#define HAL_IRQ_TIMER 7  /* Count == Compare (IP7) */

int hal_intr_off(void);             /* disable; returns 1 if they were on */
void hal_intr_on(void);
void hal_intr_restore(int on);
int hal_intr_enabled(void);
uint32_t hal_irq_pending(void);     /* bit n = line IPn pending and enabled */
/* Idle until an interrupt is pending (WAIT). Called with interrupts off;
   returns with them still off, the interrupt still pending. */
void hal_idle(void);

/* Timer: acknowledge the tick and schedule the next one `cycles` after the
   previous deadline (so ticks do not drift). */
void hal_timer_rearm(uint32_t cycles);

/* Empty the MAGIC hot-page queue, which clears IP5. The native kernel
   does no page migration, but the line must not stay pending: WAIT
   returns at once while any interrupt is pending, masked or not. */
void hal_hot_drain(void);

void hal_ipi_send(int cpu);         /* raise IP4 on cpu */
void hal_ipi_ack(void);             /* clear IP4 on this CPU */

/* ---- Traps ------------------------------------------------------------- */

/* What the exception entry saves: every register, then the CP0 registers
   that describe the exception. The kernel reads and writes it (syscall
   arguments and results, fork, exec); hal_trapret restores from it. */
struct trapframe {
	uint32_t regs[32];   /* regs[0] unused, regs[26..27] (k0, k1) not kept */
	uint32_t hi, lo;
	uint32_t epc;        /* where to resume */
	uint32_t status;     /* Status at the exception */
	uint32_t cause;      /* Cause at the exception */
	uint32_t badvaddr;   /* BadVAddr at the exception */
	uint32_t pad[2];
};

enum { REG_AT = 1, REG_V0 = 2, REG_V1 = 3, REG_A0 = 4, REG_A1 = 5, REG_A2 = 6,
       REG_A3 = 7, REG_GP = 28, REG_SP = 29, REG_FP = 30, REG_RA = 31 };

/* ExcCodes (MACHINE.md "CPU"). */
enum { EXC_INT = 0, EXC_MOD = 1, EXC_TLBL = 2, EXC_TLBS = 3, EXC_ADEL = 4,
       EXC_ADES = 5, EXC_IBE = 6, EXC_DBE = 7, EXC_SYS = 8, EXC_BP = 9,
       EXC_RI = 10, EXC_CPU = 11, EXC_OV = 12, EXC_TR = 13 };

static inline unsigned hal_tf_exccode(const struct trapframe *tf)
{
	return (tf->cause >> 2) & 31;
}

/* Was the CPU in user mode (Status.KSU = 2) when the exception came? */
static inline int hal_tf_from_user(const struct trapframe *tf)
{
	return (tf->status & 0x18) == 0x10;
}

/* Were interrupts enabled in the interrupted code? */
static inline int hal_tf_intr_enabled(const struct trapframe *tf)
{
	return tf->status & 1;
}

/* Did the exception happen in a branch delay slot (Cause.BD)? Then EPC
   is the branch, and skipping "the instruction" is not EPC + 4. */
static inline int hal_tf_in_delay_slot(const struct trapframe *tf)
{
	return (tf->cause >> 31) & 1;
}

/* Make tf describe user mode with interrupts on, resuming at pc. */
void hal_tf_set_user(struct trapframe *tf, uint32_t pc, uint32_t sp);

/* Restore tf and return from the exception (to user mode or wherever tf
   says). Used for a new process's first return to user mode. */
void hal_trapret(struct trapframe *tf) __attribute__((noreturn));

/* The kernel stack the exception entry switches to when an exception
   comes from user mode: the top of the running process's kernel stack.
   The trap frame goes just below it. */
void hal_set_kstack(void *top);

/* Entry point from the exception vectors (trap.c). */
void trap(struct trapframe *tf);

/* ---- Page tables and the TLB ------------------------------------------- */

/*
 * A page-table entry is a MIPS EntryLo: PFN << 6 | C | D | V | G, so the
 * refill handler copies an even/odd pair straight into EntryLo0/1.
 * Bits 31..30 are ignored by the hardware and used by software.
 */
#define PTE_G       0x00000001u  /* global (never used for user pages) */
#define PTE_V       0x00000002u  /* valid */
#define PTE_D       0x00000004u  /* dirty: writes allowed */
#define PTE_CACHED  0x00000018u  /* C = 3: cacheable, noncoherent-by-name */
#define PTE_COW     0x80000000u  /* software: copy the page on write */
#define PTE_PFN_SHIFT 6
#define PTE_PFN_MASK  0x3FFFFFC0u

static inline uint32_t hal_pte_make(uint32_t pa, uint32_t flags)
{
	return ((pa >> HAL_PAGE_SHIFT) << PTE_PFN_SHIFT) | flags;
}

static inline uint32_t hal_pte_pa(uint32_t pte)
{
	return ((pte & PTE_PFN_MASK) >> PTE_PFN_SHIFT) << HAL_PAGE_SHIFT;
}

#define HAL_ASID_BITS 8
#define HAL_ASID_MASK 0xFFu

/* The page directory the refill handler walks on this CPU (kernel virtual
   address of 1024 pointers to page-table pages). */
void hal_set_pgdir(uint32_t *pgdir);
/* The ASID the CPU tags user accesses with (EntryHi.ASID). */
void hal_set_asid(unsigned asid);
void hal_tlb_flush_all(void);       /* invalidate every entry on this CPU */
/* Invalidate the entry mapping va's page pair under asid, if any. */
void hal_tlb_invalidate(uint32_t va, unsigned asid);
/* If the TLB holds va's page pair under asid, rewrite it with lo0/lo1
   (the even and odd PTEs); otherwise leave the refill handler to load it. */
void hal_tlb_update(uint32_t va, unsigned asid, uint32_t lo0, uint32_t lo1);

/* ---- Console ----------------------------------------------------------- */

void hal_cons_putc(int c);
int hal_cons_getc(void);            /* next input byte, or -1 */
void hal_cons_rx_intr(int on);      /* HAL_IRQ_CONS on CPU 0 while input waits */

/* ---- Disk -------------------------------------------------------------- */

#define HAL_SECTOR_SIZE 512u

uint32_t hal_disk_sectors(int disk);   /* capacity, 0 if no such disk */
/* Start a DMA transfer of count sectors between the disk and physical
   memory at pa; HAL_IRQ_DISK comes on this CPU when it completes. One
   request per disk at a time. */
void hal_disk_start(int disk, int write, uint32_t sector, uint32_t count, uint32_t pa);
/* Called on HAL_IRQ_DISK: 1 if the disk finished its request, -1 if it
   ended in error, 0 if it has nothing to report. Acknowledges it. */
int hal_disk_poll(int disk);
/* Whether a whole-page, page-aligned read of disk is better sent to the
   disk than copied from the buffer cache: under disco, for a cow disk, the
   monitor serves a block it has cached by mapping its machine page, shared
   with every VM that reads the block, and copies nothing (the paper,
   4.2.5); natively, or on a VM's private disk, which the monitor does not
   cache, a disk read costs milliseconds. exec.c reads program text this
   way. */
int hal_disk_maps_pages(int disk);

/* ---- Network ------------------------------------------------------------ */

/* A VM's virtual network interface (the monitor's MC_NET_*, abi.h; the
   paper, 4.2.6). The bare machine has none: hal_net_addr() is 0 there and
   the rest is never called. A descriptor is HAL_NET_DESC_WORDS words in
   kernel memory, laid out as abi.h's MC_NET_D_*; its header and pages are
   physical addresses. Results are 0 or a negative HAL_NET_E*. */
#define HAL_NET_DESC_WORDS 21
#define HAL_NET_MAX_HDR    4096
#define HAL_NET_MAX_PAGES  16
#define HAL_NET_MAX_POSTED 32
#define HAL_NET_D_ADDR    0   /* send: the destination; received: the sender */
#define HAL_NET_D_STATUS  1   /* received: 1 once filled */
#define HAL_NET_D_HDR     2
#define HAL_NET_D_HDRLEN  3
#define HAL_NET_D_NPAGES  4
#define HAL_NET_D_PAGE    5
#define HAL_NET_EUNREACH  (-2) /* no such address on the subnet */
#define HAL_NET_EINVAL    (-3)
#define HAL_NET_EFULL     (-4)
#define HAL_NET_ENOBUF    (-5) /* the receiver had no buffer: dropped, try again */

uint32_t hal_net_addr(void);               /* this VM's address, 0: no network */
int hal_net_send(const uint32_t *desc);    /* deliver a message now */
int hal_net_post(const uint32_t *desc);    /* a buffer to receive into */
uint32_t hal_net_status(uint32_t *drops);  /* arrivals (and drops) since the last call;
					      acknowledges HAL_IRQ_NET */
int hal_net_remap(uint32_t src_pa, uint32_t dst_pa); /* move a page's contents, no copy */

#endif
