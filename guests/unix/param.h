/*
 * param.h - the kernel's sizes and constants, in one place.
 */
#ifndef PARAM_H
#define PARAM_H

#define NCPU        32        /* CPUs the kernel can run on (Context.PTEBase allows 512) */
#define NPROC       128       /* process table slots */
#define NOFILE      16        /* open files per process */
#define NFILE       256       /* open files in the system */
#define NINODE      256       /* inodes in memory */
#define NBUF_MIN    64        /* buffer cache: at least this many 4 KB buffers, */
#define NBUF_MAX    1024      /* at most this many, else 1/32 of memory */
#define MAXARG      64        /* exec: arguments */
#define MAXPATH     256       /* path names, bytes with the NUL */
#define ROOTDEV     0         /* the root file system is on disk 0 */
#define NDISK       4         /* disks the kernel drives; each may hold a file system */
#define NFSDEV      NDISK     /* the device number of the NFS mount (nfs.c) */
#define NDEV        (NDISK + 1) /* file systems: the disks and one NFS mount */

#define KSTACK_SIZE 8192      /* kernel stack of each process */
#define PAGE_SIZE   4096u
#define PAGE_SHIFT  12

/* The clock: one tick every 10 ms at 300 MHz. Every CPU preempts its
   process at each tick; CPU 0 counts ticks (uptime, sleep). */
#define TICK_CYCLES 3000000u

/* The user address space (guests/README.md "User programs"). */
#define USER_TEXT   0x00400000u   /* where programs are linked */
#define USER_MIN    0x00001000u   /* page 0 is never mapped */
#define USTACK_TOP  0x7FFFF000u   /* the stack grows down from here */
#define USTACK_MAX  (1u << 20)    /* ... by demand, up to 1 MB */
#define USER_TOP    USTACK_TOP    /* nothing is ever mapped at or above */
#define HEAP_LIMIT  (USTACK_TOP - USTACK_MAX) /* sbrk stops below the stack */

#endif
