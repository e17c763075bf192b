/*
 * kernel.h - what every kernel file needs: the HAL, the parameters, the
 * per-CPU state, and the functions each module offers the others.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

#include "hal.h"
#include "param.h"
#include "atomic.h"
#include "spinlock.h"
#include <unix/errno.h>

struct as;
struct buf;
struct file;
struct inode;
struct pipe;
struct proc;
struct stat;

/* ---- Per-CPU state (proc.h has struct proc) ---- */
struct cpu {
	int id;
	struct proc *proc;       /* running process, or NULL */
	uint32_t sched_sp;       /* scheduler's saved stack pointer (swtch) */
	int noff;                /* push_off depth */
	int intena;              /* were interrupts on before the first push_off? */
	uint32_t asid_next;      /* generation << 8 | last ASID handed out (asid.c) */
	struct as *cur_as;       /* address space loaded on this CPU (asid.c) */
	int next_slot;           /* where the scheduler's scan resumes */
	int started;
};

extern struct cpu cpus[NCPU];
extern int ncpu;

static inline struct cpu *mycpu(void)
{
	return &cpus[hal_cpu_id()];
}

/* ---- printf.c ---- */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ksnprintf(char *buf, int size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, int size, const char *fmt, va_list ap);
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* ---- string.c ---- */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
void safestrcpy(char *dst, const char *src, size_t n);

/* ---- kalloc.c: physical pages, with reference counts ---- */

/* enum page_kind (hal.h): what a page holds. */

void kalloc_init(void *free_start, uint32_t node_mem, int nodes);
void *kalloc(enum page_kind kind); /* a page (kernel virtual address), or NULL */
void kalloc_set_placement(int any); /* 1: round-robin over the nodes (placement=any) */
void kalloc_set_memstat(int on); /* 1: kmem_report() prints (boot argument memstat) */
void kmem_report(void);         /* at halt: pages in use by kind, if memstat */
void kmem_count(enum page_kind kind, int delta); /* memstat: delta more pages of kind */
void *kzalloc(enum page_kind kind); /* the same, zeroed */
void kfree(void *kva);          /* drop a reference (frees at zero) */
void page_get(uint32_t pa);     /* one more reference */
void page_put(uint32_t pa);     /* one less; freed at zero */
uint32_t page_refs(uint32_t pa);
void kmem_stat(uint32_t *total, uint32_t *free);
uint32_t kmem_free_pages(void);

/* ---- vm.c, asid.c, tlb.c, fault.c, uaccess.c: address spaces ---- */
void vm_init(void);
uint32_t *vm_empty_pgdir(void);
struct as *as_create(void);
struct as *as_copy(struct as *parent);
void as_hold(struct as *as);
void as_put(struct as *as);
void as_activate(struct as *as);
void as_deactivate(void);
void tlb_shootdown(struct as *as, uint32_t va);
void tlb_shootdown_all(struct as *as);
void tlb_ipi(void);
int vm_fault(struct as *as, uint32_t va, int write);
int copyin(struct as *as, void *dst, uint32_t srcva, uint32_t n);
int copyout(struct as *as, uint32_t dstva, const void *src, uint32_t n);
int copyinstr(struct as *as, char *dst, uint32_t srcva, uint32_t max);
int fetchword(struct as *as, uint32_t va, uint32_t *w);

/* ---- proc.c, sched.c ---- */
void proc_init(void);
struct proc *myproc(void);
void user_init(void (*entry)(void));
int fork(void);
int sproc(uint32_t entry, uint32_t arg, uint32_t stack_top);
void exit(int status) __attribute__((noreturn));
int wait(uint32_t status_va);
int kill(int pid);
int proc_killed(struct proc *p);
void scheduler(void) __attribute__((noreturn));
void sched(void);
void yield(void);
void sleep(void *chan, struct spinlock *lk);
void wakeup(void *chan);
void swtch(uint32_t *save_sp, uint32_t new_sp);

/* ---- exec.c ---- */
int exec(const char *path, char *const argv[]);

/* ---- trap.c, syscall.c, timer.c ---- */
void syscall(struct trapframe *tf);
void timer_intr(void);
uint32_t timer_ticks(void);
int timer_sleep(uint32_t n);
extern struct spinlock tickslock;

/* ---- console.c, disk.c ---- */
void console_init(void);
void console_intr(void);
void console_putc(int c);
int console_read(uint32_t dstva, int n);
int console_write(uint32_t srcva, int n);
void console_write_kernel(const char *s, int n);
void disk_init(void);
void disk_rw(struct buf *b, int write);
void disk_intr(void);

/* ---- bio.c ---- */
void binit(void);
struct buf *bread(uint32_t dev, uint32_t blockno);
struct buf *bread_nofill(uint32_t dev, uint32_t blockno);
void bdirty(struct buf *b);
void bwrite(struct buf *b);
void brelse(struct buf *b);
void bsync(void);
struct buf *bscratch(void);    /* a locked buffer for a page that is no block */
void bforget(struct buf *b);    /* release it, forgetting its contents */
int bio_dirty(uint32_t dev, uint32_t blockno); /* cached newer than the disk, or in use */
void disk_read_page(uint32_t dev, uint32_t blockno, void *page);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define PGROUNDDOWN(a) ((a) & ~(PAGE_SIZE - 1))
#define PGROUNDUP(a) (((a) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
