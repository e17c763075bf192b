/*
 * disco/abi.h - the monitor-call interface between a guest and the Disco
 * monitor (reference/).
 *
 * A monitor call is a SYSCALL executed in supervisor mode, that is, by a
 * guest kernel (DESIGN.md "Key choices"); a SYSCALL from user mode is a
 * normal system call and is forwarded to the guest kernel. Arguments go in
 * a0..a3, the call number in v0; results come back in v0 (and v1). As the
 * paper's Disco drivers, each device request is one monitor call (paper
 * section 4.2.4). Addresses passed are guest *physical* addresses, checked
 * by the monitor: a guest that passes memory that is not its own is stopped.
 *
 * Shared by the guest kernel's disco HAL and the monitor, so it uses only
 * plain C.
 */
#ifndef DISCO_ABI_H
#define DISCO_ABI_H

/* Console. */
#define MC_CONS_WRITE   1  /* a0 = guest PA of bytes, a1 = count (at most 64 KB): v0 = count
                              written; every byte passes (NULs too) and costs the caller
                              what a store to the UART would */
#define MC_CONS_READ    2  /* v0 = next input byte, or -1 if none */
#define MC_CONS_CTRL    3  /* a0 bit 0: raise the virtual IP6 while input waits */

/* Disks: one outstanding request per virtual disk, as the hardware. */
#define MC_DISK_INFO    4  /* a0 = disk: v0 = capacity in sectors, 0 if no such disk;
                              v1 = 1 if the monitor serves a whole-block read of it
                              from its global disk cache (a cow disk), else 0 */
#define MC_DISK_IO      5  /* a0 = disk | op << 8 (op 1 read, 2 write), a1 = sector,
                              a2 = count (sectors), a3 = guest PA of the buffer:
                              v0 = 0 if started, -1 if refused: a bad range fails as
                              the hardware's does (status error and the virtual IP2
                              at once); while busy, or for no such disk, nothing happens.
                              Completion raises the virtual IP2 on the calling vCPU. */
#define MC_DISK_STATUS  6  /* a0 = disk: v0 = 0 idle, 1 busy, 2 done, 3 error;
                              reading done/error acknowledges it and clears IP2 */

/* Memory hints (paper section 4.2.2: "a zeroed page" and freed pages). */
#define MC_ZERO_PAGE    7  /* a0 = guest PA of a page: the page is zero on return
                              (the monitor may map a fresh zeroed machine page) */
#define MC_FREE_PAGE    8  /* a0 = guest PA of a page the guest no longer uses: the
                              monitor may reclaim its machine page (contents lost); a page
                              under disk DMA is reclaimed when the transfer ends, unless
                              the guest uses it again before */

/* Virtual CPUs and interrupts. */
#define MC_IDLE         9  /* wait until a virtual interrupt is pending (as WAIT) */
#define MC_IPI_SEND     10 /* a0 = vCPU: raise its virtual IP4 */
#define MC_IPI_ACK      11 /* clear the caller's virtual IP4 */
#define MC_CPU_START    12 /* a0 = vCPU, a1 = pc: start a vCPU in reset, $a0 = its number */
#define MC_TLB_FLUSH    13 /* invalidate the caller's whole virtual TLB (a HAL patch) */

/* Machine. */
#define MC_HALT         14 /* a0 = status: this VM is finished */
#define MC_MARK         15 /* a0 = value: a phase marker in the statistics (the first
                              4096 per VM are kept, the rest counted as marks_dropped) */
#define MC_INFO         16 /* a0 = what: MC_INFO_NCPUS, MC_INFO_MEMSIZE, MC_INFO_VMID */
#define MC_CYCLES       17 /* v0/v1 = low/high half of the machine's cycle count, as the
                              CPU running the caller counts it (the source of virtual Count) */

#define MC_PAGE_KINDS   18 /* a0 = guest PA of a table, one byte per guest page from 0
                              (its MC_KIND_*), a1 = its length in pages: the monitor
                              reads it only to split its memory statistics by kind
                              (the paper's Figure 6); v0 = 0, or -1 if the table is not
                              all in the VM's memory */

/* The virtual network (the paper, 4.2.6): a subnet between VMs
   (configuration: net = ADDRESS, subnet = NAME). A message is a header of
   up to MC_NET_MAX_HDR bytes, which is copied, and up to MC_NET_MAX_PAGES
   whole pages, which are not: the receiver's page is remapped to the
   sender's machine page, read-only for both until one writes it (a
   copy-on-write fault then gives that VM its own copy). Delivery happens
   at the send, into the receiver's oldest posted buffer, whose status the
   monitor sets last; then the receiver's virtual IP3 is raised. */
#define MC_NET_INFO     19 /* v0 = this VM's address on its subnet (1..254), 0: no interface */
#define MC_NET_SEND     20 /* a0 = guest PA of a struct mc_net_desc: v0 = 0 (delivered) or
                              MC_NET_E* (nothing delivered) */
#define MC_NET_POST     21 /* a0 = guest PA of a struct mc_net_desc to receive into (its
                              hdr_len and npages the room there is): v0 = 0 or MC_NET_E* */
#define MC_NET_STATUS   22 /* v0 = messages received since the last call, v1 = messages
                              dropped for want of a posted buffer big enough since the last
                              call; clears the virtual IP3 */
#define MC_NET_REMAP    23 /* a0 = guest PA of a page, a1 = guest PA of another: the second
                              now holds what the first did (its machine page, no copy), the
                              first reads as zeros; v0 = 0 or MC_NET_EINVAL */

#define MC_INFO_NCPUS   0
#define MC_INFO_MEMSIZE 1
#define MC_INFO_VMID    2

/* MC_PAGE_KINDS: what a guest page holds. */
#define MC_KIND_FREE    0  /* nothing: free */
#define MC_KIND_KTEXT   1  /* kernel text and read-only data */
#define MC_KIND_KDATA   2  /* kernel data */
#define MC_KIND_BUFFER  3  /* the file system's buffer cache */
#define MC_KIND_USER    4  /* user memory */
#define MC_NKINDS       5

/* MC_NET_*: a message descriptor, in guest memory, 4-byte aligned. */
#define MC_NET_MAX_HDR    4096 /* header bytes in a message */
#define MC_NET_MAX_PAGES  16   /* whole pages in a message */
#define MC_NET_MAX_POSTED 32   /* receive buffers a VM may have posted at once */
#define MC_NET_DESC_WORDS (5 + MC_NET_MAX_PAGES)
/* Word offsets in a descriptor (32-bit little-endian words). */
#define MC_NET_D_ADDR    0 /* send: the destination; receive: the sender's address */
#define MC_NET_D_STATUS  1 /* receive: 0 while posted, 1 once filled (written last) */
#define MC_NET_D_HDR     2 /* guest PA of the header bytes */
#define MC_NET_D_HDRLEN  3 /* send: header bytes; receive: room, then bytes received */
#define MC_NET_D_NPAGES  4 /* send: pages; receive: room, then pages received */
#define MC_NET_D_PAGE    5 /* the pages' guest PAs, page-aligned, MC_NET_MAX_PAGES words */

/* MC_NET_* errors. */
#define MC_NET_ENOIF    (-1) /* this VM has no network interface */
#define MC_NET_EUNREACH (-2) /* no VM has that address on this VM's subnet (or it has halted) */
#define MC_NET_EINVAL   (-3) /* a descriptor, header or page outside the VM's memory, a page
                                not aligned, a header or page count over the limits */
#define MC_NET_EFULL    (-4) /* post: MC_NET_MAX_POSTED buffers are posted already */
#define MC_NET_ENOBUF   (-5) /* send: the receiver had no posted buffer big enough: dropped */

#define MC_MAX          23

/*
 * Guest memory layout under the monitor (DESIGN.md): guest physical memory
 * starts at 0 and is seen by the guest kernel at MC_KSEG + PA (the
 * supervisor segment; the monitor maps it). The top page of the segment is
 * the per-vCPU privileged-register page of the HAL patch.
 */
#define MC_KSEG         0xC0000000u
#define MC_HALPAGE      0xDFFFF000u

/* Layout of the privileged-register page (words). The monitor writes the
 * current virtual values before it resumes the vCPU and reads back the
 * writable ones on the next trap. */
#define HALPAGE_STATUS   0  /* virtual Status (IE and IM writable by the guest) */
#define HALPAGE_CAUSE    1  /* virtual Cause (read-only here) */
#define HALPAGE_EPC      2  /* virtual EPC (writable) */
#define HALPAGE_BADVADDR 3  /* virtual BadVAddr (read-only) */
#define HALPAGE_ENTRYHI  4  /* virtual EntryHi (read-only: write the ASID with mtc0) */
#define HALPAGE_COUNT    5  /* virtual Count at the last trap (read-only) */
#define HALPAGE_CPUID    6  /* vCPU number (read-only) */

#endif
