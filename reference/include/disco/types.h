/**
 * @file types.h
 * @brief The monitor's data structures: VMs, virtual CPUs, physical CPUs.
 *
 * The monitor is one object (struct monitor) that owns the simulated
 * machine and the VMs running on it; there is no global state. Per the
 * paper (section 4.1), each virtual CPU keeps its saved registers, its
 * virtual privileged registers and its virtual TLB; each VM keeps a pmap;
 * the machine keeps a memmap. The subsystem headers (emulate.h, pmap.h,
 * ...) say what each part does with them.
 */
#ifndef DISCO_TYPES_H
#define DISCO_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "disco/abi.h"
#include "disco/cost.h"
#include "flash/hostapi.h"

#define DISCO_MAX_VMS 16       /**< virtual machines on one machine */
#define DISCO_MAX_VCPUS 32     /**< virtual CPUs of one VM */
#define DISCO_MAX_VDISKS 4     /**< disks of one VM */
#define DISCO_NAME_MAX 32      /**< bytes in a VM name */
#define NO_PAGE UINT32_MAX     /**< "no machine page" */
#define DISCO_MAX_MARKS 4096   /**< phase markers kept per VM (the rest are counted) */

struct monitor;
struct vm;

/** The virtual privileged registers of one vCPU (the guest's CP0). */
struct vcp0 {
    uint32_t status;    /**< virtual Status: the guest's mode, IM, IE, EXL, BEV */
    uint32_t cause;     /**< virtual Cause: IP bits are the pending virtual interrupts */
    uint32_t epc;       /**< virtual EPC */
    uint32_t errorepc;  /**< virtual ErrorEPC */
    uint32_t badvaddr;  /**< virtual BadVAddr */
    uint32_t context;   /**< virtual Context */
    uint32_t entryhi;   /**< virtual EntryHi; its ASID is also the real one while the vCPU runs */
    uint32_t entrylo0;  /**< virtual EntryLo0 (guest PFN) */
    uint32_t entrylo1;  /**< virtual EntryLo1 (guest PFN) */
    uint32_t index;     /**< virtual Index */
    uint32_t wired;     /**< virtual Wired */
    uint32_t compare;   /**< virtual Compare */
    uint64_t count_base;/**< virtual Count = machine time - count_base */
    uint64_t random_seq;/**< TLBWR count, for the virtual Random register */
};

/** A virtual TLB entry: what the guest wrote (guest physical PFNs). */
struct vtlb_entry {
    uint32_t hi;        /**< VPN2 | ASID */
    uint32_t lo[2];     /**< EntryLo0/1 without G */
    bool global;        /**< G bit */
};

/** One entry of the second-level software TLB (l2tlb.h). */
struct l2tlb_entry {
    uint32_t hi;        /**< VPN2 | ASID, as in the virtual TLB */
    uint32_t mlo[2];    /**< EntryLo0/1 ready for the hardware: machine PFN, guest C/D/V */
    uint32_t gpfn[2];   /**< guest pages behind them (for the backmaps), NO_PAGE if none */
    uint32_t glo[2];    /**< the guest's own EntryLo0/1 (guest PFN, C/D/V), to merge again when a page moves */
    bool global;        /**< G bit */
    bool valid;         /**< holds a translation */
    int16_t next;       /**< next entry in its hash chain, -1 at the end */
};

#define L2TLB_ENTRIES MIPS_TLB_ENTRIES /**< entries 0..63 mirror the virtual TLB entry of the same index */
#define L2TLB_VICTIMS 448  /**< entries 64..511 keep translations the guest's TLBWR evicted */
#define L2TLB_SIZE (L2TLB_ENTRIES + L2TLB_VICTIMS) /**< all entries */
#define L2TLB_BUCKETS 128  /**< hash chains, by virtual page pair */

/** The second-level TLB of one vCPU: the virtual TLB's translations, and
 * those its random replacement evicted, hashed by virtual page pair. */
struct l2tlb {
    struct l2tlb_entry e[L2TLB_SIZE];    /**< mirror entries, then victims */
    int16_t bucket[L2TLB_BUCKETS];       /**< chain heads, -1 when empty */
    int next_victim;                     /**< round-robin replacement among the victims */
    bool victims_used;                   /**< a victim was kept since the last purge of all */
    uint64_t hits;      /**< TLB misses it satisfied */
    uint64_t misses;    /**< TLB misses forwarded to the guest */
};

/** What a virtual CPU is doing. */
enum vcpu_state {
    VCPU_OFF,       /**< in reset (not started by its VM) */
    VCPU_RUNNABLE,  /**< waiting for a physical CPU */
    VCPU_RUNNING,   /**< on a physical CPU */
    VCPU_WAITING,   /**< executed WAIT (or MC_IDLE): until a virtual interrupt */
    VCPU_DEAD,      /**< its VM halted or was stopped */
};

/** Per-vCPU time, for the statistics (machine cycles). */
struct vcpu_time {
    uint64_t user;      /**< guest user mode */
    uint64_t kernel;    /**< guest kernel (supervisor mode) */
    uint64_t monitor;   /**< the monitor working for this vCPU */
    uint64_t idle;      /**< waiting for a virtual interrupt */
};

/** A virtual CPU. */
struct vcpu {
    struct vm *vm;          /**< its VM */
    int id;                 /**< number within the VM (virtual EBase.CPUNum) */
    enum vcpu_state state;  /**< see enum vcpu_state */
    int pcpu;               /**< physical CPU it runs on, or -1 */
    int home_node;          /**< preferred node (scheduling affinity, memory placement) */

    /* Saved registers while not on a physical CPU. */
    uint32_t gpr[32];       /**< general registers */
    uint32_t hi;            /**< HI */
    uint32_t lo;            /**< LO */
    uint32_t pc;            /**< where it resumes */

    struct vcp0 cp0;                         /**< virtual CP0 */
    struct vtlb_entry vtlb[MIPS_TLB_ENTRIES];              /**< virtual TLB */
    struct l2tlb l2;                         /**< second-level TLB */
    uint64_t timer_event;                    /**< id of the virtual timer event, 0 if none */
    uint32_t halpage;                        /**< machine PFN of its HAL register page */
    uint64_t wait_since;                     /**< machine time it started waiting */
    uint64_t run_since;                      /**< machine time it was last put on a CPU */
    bool need_resched;                       /**< give up the CPU at the next chance */
    struct vcpu *next;                       /**< run queue link */
    struct vcpu_time time;                   /**< time statistics */
    uint64_t traps[32];                      /**< traps into the monitor by ExcCode */
    uint64_t emulated;                       /**< privileged instructions emulated */
    uint64_t hcalls;                         /**< monitor calls */
    uint64_t tlb_misses;                     /**< hardware TLB misses taken for it */
    uint64_t kseg_misses;                    /**< of which in the relocated kernel segment */
    uint64_t forwarded;                      /**< exceptions forwarded to the guest */
    uint64_t vinterrupts;                    /**< virtual interrupts delivered */
};

/** A backmap record: one second-level TLB entry that maps a guest page. */
struct backmap {
    int16_t vcpu;           /**< vCPU whose L2 TLB holds it */
    int16_t slot;           /**< the L2 TLB entry */
    struct backmap *next;   /**< next record for the same page */
};

/** One physical-to-machine map entry (pmap.h). */
struct pmap_entry {
    uint32_t mpfn;          /**< machine page, or NO_PAGE before first use */
    uint32_t lo_template;   /**< precomputed EntryLo: machine PFN | C | D | V (| G for the kernel segment) */
    struct backmap *maps;   /**< where the page is mapped through L2 TLBs */
    uint16_t pins;          /**< DMA transfers in flight using the page (pmap_pin) */
    bool free_deferred;     /**< freed while pinned: given back when the last pin goes */
    bool write_shared;      /**< a write collapsed its replicas: the NUMA policy leaves it (numa.h) */
    bool shared;            /**< mpfn is a disk cache page other VMs may map too: read-only (diskcache.h) */
    uint16_t moves;         /**< migrations and replications of the page (numa.h: capped) */
    uint64_t moved_at;      /**< machine time of the last of them (numa.h: numa_freeze) */
};

/** A guest page a cow read fills with a whole block (cowdisk.c). */
struct vdisk_block {
    uint32_t gpfn;          /**< the guest page */
    uint32_t block;         /**< the block of the image */
};

/** What the virtual network did for one VM (vnet.h), for the statistics. */
struct vnet_stats {
    uint64_t sent;              /**< messages delivered from it */
    uint64_t received;          /**< messages delivered to it */
    uint64_t pages_remapped;    /**< pages it received by remapping, not copying */
    uint64_t pages_copied;      /**< pages it received by copying (a page it could not share) */
    uint64_t header_bytes;      /**< header bytes copied into it */
    uint64_t dropped;           /**< messages for it dropped: no posted buffer big enough */
    uint64_t unreachable;       /**< sends to an address not on its subnet */
    uint64_t refused;           /**< calls refused as malformed (MC_NET_EINVAL, MC_NET_EFULL) */
    uint64_t remaps;            /**< MC_NET_REMAP calls done */
};

/** A VM's virtual network interface (vnet.h). */
struct vnic {
    uint32_t addr;              /**< its address on the subnet, 0: no interface */
    char subnet[DISCO_NAME_MAX]; /**< the subnet's name (config: subnet, default lan) */
    uint32_t posted[MC_NET_MAX_POSTED]; /**< posted receive descriptors' guest PAs, oldest first */
    int nposted;                /**< how many */
    uint32_t done;              /**< receives since the last MC_NET_STATUS */
    uint32_t drops;             /**< drops since the last MC_NET_STATUS */
    struct vnet_stats stats;    /**< counters for --stats */
};

/** A virtual disk request in flight (vdev.h). */
struct vdisk {
    struct vm *vm;          /**< its VM */
    int mdisk;              /**< the machine disk behind it, -1 if none */
    uint64_t sectors;       /**< capacity */
    uint32_t status;        /**< 0 idle, 1 busy, 2 done, 3 error (as the hardware) */
    int pending;            /**< page transfers still in flight */
    bool failed;            /**< one of them failed */
    struct vcpu *waiter;    /**< vCPU that gets the completion interrupt */
    uint32_t pin_first;     /**< first guest page the request in flight pinned */
    uint32_t pin_count;     /**< how many (0: none) */
    char path[256];         /**< image file */
    bool cow;               /**< copy-on-write: the image is never written (cowdisk.h) */
    uint32_t *cow_slot;     /**< cow: per sector, 1 + its record number if this VM wrote it, else 0 */
    uint32_t *cow_page;     /**< cow: the machine pages holding the records, 8 sectors each */
    uint32_t cow_records;   /**< cow: sectors this VM wrote (records in use) */
    struct vdisk_block *to_cache; /**< cow: blocks the request in flight reads whole, to cache when done */
    uint32_t to_cache_n;    /**< how many */
};

/** A phase marker of a VM (MC_MARK), with the VM's time split at that moment. */
struct vm_mark {
    uint32_t value;         /**< the marker */
    uint64_t cycle;         /**< machine time */
    struct vcpu_time t;     /**< the VM's time so far, all vCPUs together */
};

/** A virtual machine. */
struct vm {
    struct monitor *mon;            /**< the monitor */
    int id;                         /**< 0, 1, ... */
    char name[DISCO_NAME_MAX];      /**< from the config */
    int nvcpus;                     /**< virtual CPUs */
    struct vcpu vcpu[DISCO_MAX_VCPUS]; /**< them */
    uint32_t mem_bytes;             /**< guest physical memory */
    uint32_t npages;                /**< ... in pages */
    struct pmap_entry *pmap;        /**< npages entries */
    struct backmap *bm_free;        /**< free backmap records */
    struct backmap *bm_pool;        /**< all of them (one allocation) */
    int ndisks;                     /**< virtual disks */
    struct vdisk disk[DISCO_MAX_VDISKS]; /**< them */
    bool halted;                    /**< finished (MC_HALT or stopped) */
    uint64_t timeout;               /**< cycles it may run (0: no limit) */
    bool failed;                    /**< stopped by the monitor (containment) */
    int exit_status;                /**< MC_HALT's status, or -1 */
    char stop_reason[200];          /**< why it was stopped */
    FILE *console;                  /**< per-VM console copy, or NULL */
    bool cons_bol;                  /**< at the start of a console line (for the prefix) */
    char line[256];                 /**< console line being assembled */
    int linelen;                    /**< its length */
    int cons_ctrl;                  /**< MC_CONS_CTRL bits */
    uint32_t pages_allocated;       /**< machine pages in use */
    uint32_t pages_peak;            /**< most at once */
    uint64_t cow_faults;            /**< private copies of disk cache pages it wrote (diskcache.h) */
    uint64_t zero_pages;            /**< MC_ZERO_PAGE calls */
    uint64_t freed_pages;           /**< MC_FREE_PAGE calls */
    uint64_t free_pinned;           /**< ... refused because the page was under DMA */
    uint32_t kinds_gpa;             /**< MC_PAGE_KINDS: guest PA of its page-kind table */
    uint32_t kinds_pages;           /**< ... entries (0: the guest gave none) */
    struct vnic net;                /**< its network interface (net.addr 0: none) */
    struct vm_mark *marks;          /**< phase markers */
    int nmarks;                     /**< how many */
    int marks_cap;                  /**< room */
    uint64_t marks_dropped;         /**< markers beyond DISCO_MAX_MARKS, counted, not kept */
};

/** A physical CPU as the monitor sees it. */
struct pcpu {
    struct monitor *mon;        /**< the monitor */
    int id;                     /**< CPU number */
    struct vcpu *cur;           /**< vCPU on it, or NULL */
    uint64_t quantum_event;     /**< id of its time-slice event, or 0 */
    uint64_t last_cycles[TIME_COUNT]; /**< machine statistics at the last attribution */
    uint64_t switches;          /**< vCPU switches */
    bool idle;                  /**< parked by sim_cpu_idle() */
};

/* ---- the global disk cache (diskcache.h) ---- */

/** One slot of the table. */
struct diskcache_slot {
    int32_t mdisk;    /**< machine disk, -1 empty, -2 deleted */
    uint32_t block;   /**< block number (sector / DISKCACHE_SECTORS) */
    uint32_t mpfn;    /**< the machine page holding it */
};

/** The global disk cache. */
struct diskcache {
    struct diskcache_slot *slot;  /**< cap slots */
    uint32_t cap;                 /**< a power of two, at least twice the machine's pages */
    uint32_t used;                /**< blocks cached */
    uint64_t hits;                /**< reads served from the cache */
    uint64_t misses;              /**< cacheable reads that went to the disk */
};

/** What the NUMA policy saw and did (numa.h). */
struct numa_stats {
    uint64_t hot_records;       /**< records popped from MAGIC's queue */
    uint64_t migrations;        /**< pages migrated */
    uint64_t replications;      /**< replicas made */
    uint64_t collapses;         /**< replicated pages collapsed to one copy (a write) */
    uint64_t left_shared;       /**< hot pages left where they are: write-shared, or shared with replication off */
    uint64_t left_capped;       /**< ... at their cap of moves */
    uint64_t left_frozen;       /**< ... moved too recently (numa_freeze) */
    uint64_t left_busy;         /**< ... pinned by DMA, or the monitor's own (stale records are not counted) */
    uint64_t left_no_memory;    /**< ... no free page on the node */
    uint64_t migrate_cycles;    /**< monitor time spent migrating (machine cycles) */
    uint64_t replicate_cycles;  /**< ... replicating */
    uint64_t collapse_cycles;   /**< ... collapsing */
};

/** The NUMA policy's settings (the [monitor] section; numa.h). */
struct numa_config {
    bool on;                    /**< move pages at all (off: first-touch placement only) */
    uint32_t migrate_share;     /**< percent of a page's misses one node must make for it to move there */
    uint32_t max_moves;         /**< moves per page (migrations and replications); 0: no cap */
    uint64_t freeze;            /**< machine cycles a page stays put after a move; 0: none */
    bool replicate;             /**< replicate read-shared pages */
};

/** Monitor-wide settings (the [monitor] section of the config). */
struct monitor_config {
    uint64_t quantum;           /**< cycles a vCPU runs before others get the CPU */
    bool halpage;               /**< map the HAL privileged-register page */
    bool prefix;                /**< prefix console lines with the VM name */
    bool check;                 /**< check the monitor's invariants as it runs (check.h) */
    struct numa_config numa;    /**< page migration and replication */
    uint64_t memory_sample;     /**< sample the memory every this many cycles, keep the peak (0: off) */
};

/** Machine memory in use (paper Figure 6). */
struct monitor_memory {
    uint64_t v;        /**< pages the VMs use, each counted as if alone (shared pages once per VM) */
    uint64_t m;        /**< machine pages they actually use: private pages, replicas, disk cache pages */
    uint64_t monitor;  /**< the monitor's own pages: HAL pages, cow disks' modified-sector records */
    uint64_t kernel_cache; /**< of m: kernel text pages shared from a kernel ELF (diskcache.h) */
    uint64_t disk_cache;   /**< of m: disk blocks in the global disk cache */
    uint64_t net_cache;    /**< of m: pages the virtual network shares between VMs (vnet.h) */
    /** v by what the guest says each page holds (MC_PAGE_KINDS: index
     *  MC_KIND_*; MC_NKINDS counts the pages of VMs that gave no table) */
    uint64_t v_kind[MC_NKINDS + 1];
    /** m the same way, a shared page once; MC_NKINDS: the rest of m
     *  (replicas, pages of VMs that gave no table) */
    uint64_t m_kind[MC_NKINDS + 1];
};

struct trace;

/** The monitor. */
struct monitor {
    struct sim *m;                      /**< the machine */
    int ncpus;                          /**< physical CPUs */
    struct pcpu pcpu[SIM_MAX_NODES];    /**< them */
    struct vm *vm[DISCO_MAX_VMS];       /**< the VMs */
    int nvms;                           /**< how many */
    int vms_running;                    /**< not yet halted */
    struct monitor_config cfg;          /**< settings */
    struct cost_table cost;             /**< what monitor work costs */
    struct memmap *memmap;              /**< machine pages */
    struct numa_stats numa;             /**< NUMA policy counters */
    struct diskcache dcache;            /**< the global disk cache (diskcache.h) */
    uint64_t kernel_file[DISCO_MAX_VMS][2]; /**< kernel ELFs loaded, by (st_dev, st_ino): cache keys (vm.c) */
    int nkernel_files;                  /**< how many */
    struct vcpu *runq_head;             /**< runnable vCPUs, FIFO */
    struct vcpu *runq_tail;             /**< end of the run queue */
    FILE *out;                          /**< console output (stdout) */
    int cur_cpu;                        /**< CPU whose trap is being handled, or -1 (events) */
    uint64_t traps;                     /**< exceptions handled */
    uint64_t idle_interrupts;           /**< interrupts taken by idle CPUs */
    uint64_t shootdowns;                /**< TLB entries dropped on another CPU (monitor_shootdown()) */
    bool fatal;                         /**< a monitor bug stopped the machine */
    bool hung;                          /**< every VM waits and nothing can wake one */
    uint32_t net_pages;                 /**< pages shared by the virtual network so far (their cache keys) */
    struct trace *trace;                /**< --trace-json: the timeline being written, or NULL (trace.h) */
    struct monitor_memory mem_peak;     /**< memory_sample: the sample with the most machine pages */
    uint64_t mem_peak_cycle;            /**< ... taken at this cycle (0: none yet) */
};

#endif
