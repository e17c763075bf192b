/*
 * splashos.h - the API SPLASHOS gives its one parallel application.
 *
 * SPLASHOS is the Disco paper's "thin library OS" for SPLASH applications
 * (section 5, Figure 7): it boots on the machine, starts every CPU, runs
 * them all in one address space with no virtual memory (hence no TLB
 * misses), and offers what a SPLASH-2 program's macros (CREATE, BARRIER,
 * LOCK, G_MALLOC) need. It is linked with the application into one image.
 *
 * The application defines sos_main(), which every CPU runs (SPMD, as SPLASH
 * programs after CREATE). When every CPU has returned, the machine halts
 * with the largest status any CPU returned. Any exception prints a message
 * and halts with SOS_EXIT_FAULT: an application must not take one.
 */
#ifndef SPLASHOS_H
#define SPLASHOS_H

#include <stddef.h>
#include <stdint.h>

#define SOS_MAX_CPUS 32   /* the machine has at most 32 nodes */
#define SOS_EXIT_FAULT 3   /* an exception, or sos_panic() */
#define SOS_CACHE_LINE 128 /* the machine's line: align shared data to it */

int sos_main(int cpu);     /* defined by the application */

/* ---- CPUs ---- */
int sos_cpu(void);                     /* 0 .. sos_ncpus()-1 */
int sos_ncpus(void);

/* ---- Synchronization (LL/SC) ---- */
/* Wait until every CPU has called sos_barrier() once more. */
void sos_barrier(void);

struct sos_lock {
	volatile uint32_t held;
} __attribute__((aligned(SOS_CACHE_LINE)));
void sos_lock(struct sos_lock *l);
void sos_unlock(struct sos_lock *l);
/* Atomically add v to *p; return the old value. */
uint32_t sos_fetch_add(volatile uint32_t *p, uint32_t v);

/* ---- Memory: bump allocation, nothing is ever freed ---- */
/* Shared memory, cache-line aligned, from the lowest node with room.
   Any CPU may call it. Panics when memory runs out. */
void *sos_alloc(size_t bytes);
/* The same from the calling CPU's own node (NUMA-local). */
void *sos_alloc_local(size_t bytes);

/* ---- Output and the machine ---- */
/* %d %u %x %s %c %%, optional '0' flag and width. One call prints as a
   whole, never interleaved with another CPU's output. */
int sos_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sos_mark(uint32_t value);         /* phase marker (statistics) */
void sos_halt(int status) __attribute__((noreturn));
void sos_panic(const char *msg) __attribute__((noreturn));

/* The compiler may call these itself. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

#endif
