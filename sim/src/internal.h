/*
 * internal.h - the machine's internal state, shared by the files of sim/src.
 *
 * Nothing outside sim/src includes this: the monitor and the tests see only
 * sim/include. The layout follows MACHINE.md: a machine has N nodes, each
 * with one CPU (registers, CP0, TLB, cache) and a slice of memory; devices
 * sit in the physical window at 0x1F000000; MAGIC counts misses per page and
 * node; a global event queue carries disk completions and timed events.
 */
#ifndef SIM_INTERNAL_H
#define SIM_INTERNAL_H

#include <endian.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flash/hostapi.h"
#include "flash/mips.h"
#include "flash/sim.h"
#include "flash/stats.h"
#include "flash/timeline.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

/* Physical window of the device registers (MACHINE.md "Devices"). */
#define DEV_BASE 0x1F000000u
#define DEV_END  0x20000000u

/* ---- translation caches ------------------------------------------------
 * A per-CPU, per-mode, direct-mapped cache of recent virtual-page to
 * physical-page translations that are plain cached RAM. It is a host-side
 * speed-up only (like QEMU's softmmu TLB): it holds nothing the TLB and
 * segment rules would not give, and is invalidated whenever they change.
 */
#define TC_BITS 8                /**< log2 of the translation cache size */
#define TC_SIZE (1u << TC_BITS)  /**< entries per translation cache */
#define TC_INVALID 0xFFFFFFFFu   /**< no virtual page number is this large */

/** One cached translation. */
struct tc_entry {
    uint32_t vpage; /**< va >> 12, or TC_INVALID */
    uint32_t ppage; /**< physical address of the page (RAM only) */
};

/** The translation caches of one mode. */
struct tcache {
    struct tc_entry read[TC_SIZE];  /**< loads and fetches */
    struct tc_entry write[TC_SIZE]; /**< stores (only pages with D=1) */
};

/** One TLB entry as the hardware holds it. */
struct tlb_entry {
    uint32_t hi;     /**< VPN2 | ASID */
    uint32_t lo[2];  /**< EntryLo0, EntryLo1 (G bit kept separately) */
    bool global;     /**< G: match any ASID */
};

/* ---- cache model: tags only ---------------------------------------------
 * tags[set * ways + way] = line number | CT_VALID (| CT_DIRTY when this CPU
 * owns the line exclusively and has written it). A line number is
 * pa >> line_shift.
 */
#define CT_VALID 0x80000000u   /**< tag bit: the way holds a line */
#define CT_DIRTY 0x40000000u   /**< tag bit: held exclusive and written */
#define LINE_NONE 0xFFFFFFFFu  /**< no line */

/** One CPU's cache: tags only, the data lives in memory. */
struct cache {
    uint32_t *tags;     /**< sets * ways tags */
    uint8_t *mru;       /**< most recently used way of each set */
    uint8_t *victim;    /**< round-robin replacement pointer of each set */
    uint32_t sets;      /**< number of sets */
    uint32_t ways;      /**< associativity */
    uint32_t set_mask;  /**< sets - 1 */
};

/** What a CPU is doing. */
enum cpu_state {
    CPU_OFF,  /**< in reset */
    CPU_RUN,  /**< executing */
    CPU_WAIT, /**< WAIT instruction or sim_cpu_idle(): until an interrupt is pending */
};

struct sim;

/** One CPU: architectural state, time, fast paths and statistics. */
struct cpu {
    struct sim *m;         /**< the machine */
    uint8_t *ram;          /**< m->ram, kept here for the fast paths */
    bool cache_on;         /**< m->cfg.cache_enabled */
    bool trace_insn;       /**< tracing every instruction */
    bool fast;             /**< run with the fast engine (fast.c), not exec.c's loop */
    int id;                /**< CPU (and node) number */
    enum cpu_state state;  /**< off, running or waiting */
    bool host_idle;        /**< waiting because the monitor asked (take the interrupt at once on wake) */

    uint32_t gpr[32];      /**< general registers; gpr[0] is forced to 0 */
    uint32_t hi;           /**< HI */
    uint32_t lo;           /**< LO */
    uint32_t pc;           /**< the next instruction to execute */
    uint32_t npc;          /**< the one after it (a branch target when pc is a delay slot) */
    bool delay;            /**< the instruction at pc is in a delay slot */

    uint32_t cur_pc;       /**< the instruction being executed (for exceptions) */
    bool cur_delay;        /**< ...is in a delay slot */
    uint32_t cur_insn;     /**< ...and its word */

    uint32_t status;       /**< CP0 Status */
    uint32_t cause;        /**< CP0 Cause */
    uint32_t epc;          /**< CP0 EPC */
    uint32_t errorepc;     /**< CP0 ErrorEPC */
    uint32_t badvaddr;     /**< CP0 BadVAddr */
    uint32_t entryhi;      /**< CP0 EntryHi */
    uint32_t entrylo0;     /**< CP0 EntryLo0 */
    uint32_t entrylo1;     /**< CP0 EntryLo1 */
    uint32_t context;      /**< CP0 Context */
    uint32_t index;        /**< CP0 Index */
    uint32_t wired;        /**< CP0 Wired */
    uint32_t compare;      /**< CP0 Compare */
    uint64_t count_base;   /**< Count = cycles - count_base */
    uint64_t timer_at;     /**< cycle at which Count next equals Compare */
    uint64_t random_base;  /**< instruction count when Random was last 63 */
    bool ll_bit;           /**< the LL link is set */
    uint32_t ll_line;      /**< physical line of the last LL */
    uint32_t lladdr;       /**< LLAddr register: pa >> 4 */
    int mode;              /**< enum mips_mode, derived from status */
    struct tlb_entry tlb[MIPS_TLB_ENTRIES]; /**< the TLB */

    uint64_t cycles;       /**< this CPU's clock */
    uint64_t deadline;     /**< the inner loop runs while cycles < deadline; 0 asks the outer loop to look (interrupt, halt) */
    uint64_t insns;        /**< instructions executed in all */

    struct tcache tc[3];   /**< translation caches, per mode */
    struct tc_entry *tc_read;  /**< tc[mode].read */
    struct tc_entry *tc_write; /**< tc[mode].write */
    uint32_t fetch_vbase;  /**< virtual page base of the last fetch, TC_INVALID if none */
    uint32_t fetch_ppage;  /**< its physical page */
    uint32_t fetch_line;   /**< physical line last fetched and known cached, LINE_NONE */
    uint32_t memo_epoch;   /**< fast engine: changes whenever tc or the cache's tags do (fast_forget()) */
    uint32_t cycle_hi_latch; /**< CYCLE_HI as latched by the last CYCLE_LO read */
    struct cache cache;    /**< the cache model */

    struct sim_cpu_stats st; /**< counters, brought up to date by cpu_account() */
    uint64_t acct_cycles;  /**< cycles already counted in st */
    uint64_t acct_insns;   /**< instructions already counted in st */
    int cat;               /**< enum sim_time the cycles since acct_cycles belong to */
};

/** The time category of running in a mode (enum mips_mode and enum sim_time
 * agree on user, supervisor and kernel). */
static inline int mode_category(int mode) { return mode; }

/** A timed event. */
struct event {
    uint64_t when;         /**< global cycle */
    uint64_t seq;          /**< order of scheduling: ties break deterministically */
    uint64_t id;           /**< for cancelling */
    sim_event_fn fn;       /**< what to call */
    void *arg;             /**< its argument */
};

/** The event queue: a binary min-heap. */
struct event_queue {
    struct event *heap;    /**< the heap array */
    size_t len;            /**< events in it */
    size_t cap;            /**< room */
    uint64_t next_seq;     /**< next scheduling number */
};

/** The console device. */
struct console {
    int in_fd;             /**< input descriptor, -1 for none */
    bool in_tty;           /**< input is a terminal */
    bool in_eof;           /**< no more input */
    int lookahead;         /**< next input byte, or -1 */
    uint32_t ctrl;         /**< CTRL register */
    FILE *out;             /**< output stream */
};

/** A disk request, queued until it completes. */
struct disk_req {
    int disk;              /**< disk number */
    bool write;            /**< memory to disk */
    uint64_t sector;       /**< first sector */
    uint32_t count;        /**< sectors */
    uint64_t pa;           /**< machine address of the buffer */
    uint64_t done_at;      /**< completion time */
    bool mmio;             /**< issued through the controller registers */
    sim_disk_done_fn done; /**< host callback, or NULL */
    void *arg;             /**< its argument */
    struct disk_req *next; /**< next in the disk's queue */
};

/** One disk: its image, its controller registers, its queue. */
struct disk {
    int fd;                /**< image file */
    bool read_only;        /**< attached read-only */
    char *path;            /**< image path, for messages */
    uint64_t sectors;      /**< capacity */
    uint64_t head;         /**< sector after the last transfer, for seek modelling */
    uint64_t busy_until;   /**< when the last queued request completes */
    struct disk_req *queue;      /**< requests in flight, oldest first */
    struct disk_req *queue_tail; /**< newest */
    uint32_t reg_sector;   /**< SECTOR register */
    uint32_t reg_count;    /**< COUNT register */
    uint32_t reg_dma;      /**< DMA_ADDR register */
    uint32_t reg_status;   /**< STATUS register */
    uint32_t reg_target;   /**< TARGET_CPU register */
    struct sim_disk_stats st; /**< counters */
};

/** MAGIC's hot-page queue: a ring of records. */
struct hot_queue {
    uint32_t *rec;         /**< PFN * 256 + node */
    uint32_t cap;          /**< room */
    uint32_t head;         /**< oldest record */
    uint32_t len;          /**< records queued */
};

/** A phase marker. */
struct mark {
    uint32_t value;        /**< the value written to MARK */
    int cpu;               /**< by which CPU */
    uint64_t cycle;        /**< at its time */
    struct sim_cpu_stats *snap; /**< every CPU's counters at the mark */
};

/** The whole machine. */
struct sim {
    struct sim_config cfg; /**< settings */
    int ncpus;             /**< CPUs = nodes */
    struct cpu *cpu;       /**< the CPUs */

    uint8_t *ram;          /**< machine memory */
    uint64_t ram_size;     /**< its size */
    unsigned node_shift;   /**< node = pa >> node_shift */
    unsigned line_shift;   /**< line = pa >> line_shift */

    uint32_t *dir_sharers; /**< coherence directory, per line: bit i = CPU i's cache holds it */
    uint8_t *dir_owner;    /**< per line: 1 + CPU holding it dirty, or 0 */
    uint32_t ll_mask;      /**< CPUs with an LL link set */

    uint32_t *magic;       /**< MAGIC counters, [pfn * ncpus + node] */
    uint32_t magic_threshold; /**< hot-page threshold */
    struct hot_queue hot;  /**< hot-page queue */
    uint64_t hot_pages;    /**< records queued in all */
    uint64_t hot_dropped;  /**< records lost to a full queue */
    struct sim_node_stats *node_st; /**< per-node counters */

    struct console cons;   /**< the console */
    uint32_t cpu_start_pc; /**< CPU_PC register */
    struct disk disk[SIM_MAX_DISKS]; /**< disk controllers */
    int ndisks;            /**< disks attached */
    uint64_t rng;          /**< disk rotational latency generator */

    uint64_t now;          /**< start of the current slice */
    struct cpu *running;   /**< the CPU executing now, or NULL between CPUs */
    struct event_queue events; /**< timed events */
    uint64_t next_event_id;    /**< last event id given */

    sim_exception_fn handler;  /**< host exception handler, or NULL */
    void *handler_arg;     /**< its argument */
    struct gdb *gdb;       /**< the GDB stub connected (gdb.c), or NULL */
    bool gdb_armed;        /**< gdb has breakpoints or a step: cpu_run() calls gdb_cpu_hook() */

    bool stop;             /**< the run is over */
    uint64_t stop_cycle;   /**< machine time of the stop */
    enum sim_stop_reason stop_reason; /**< why */
    int exit_status;       /**< status to exit with */
    char stop_msg[160];    /**< what happened */

    struct mark *marks;    /**< phase markers */
    size_t nmarks;         /**< markers recorded */
    size_t marks_cap;      /**< room */

    FILE *trace;           /**< where traces go */
    struct fast_page **fast_pages; /**< fast engine: decoded instructions per machine page (fast.c), or NULL */
    uint32_t fast_npages;  /**< decoded pages allocated */
    uint32_t memo_clock;   /**< fast engine: the last memo epoch handed out (fast_forget()) */
    struct timeline *timeline; /**< the timeline being written (timeline.c), or NULL */
};

/* ---- timeline.c ---- */
struct timeline;
void timeline_tick(struct sim *m);
bool timeline_wants(const struct sim *m, unsigned flag);

/* ---- gdb.c: the GDB stub's hooks ---- */
bool gdb_cpu_hook(struct cpu *c);
void gdb_slice_hook(struct sim *m);

/* ---- cpu.c ---- */
void cpu_init(struct cpu *c, struct sim *m, int id);
void cpu_run(struct cpu *c, uint64_t end);
void cpu_exception(struct cpu *c, unsigned code, uint32_t badvaddr);
void cpu_tlb_exception(struct cpu *c, unsigned code, uint32_t va, bool refill);
void cpu_account(struct cpu *c);
void cpu_set_category(struct cpu *c, int cat);
void cpu_mode_changed(struct cpu *c);
void cpu_irq_changed(struct cpu *c);
void cpu_set_ip(struct cpu *c, int line, bool level);
void cpu_eret(struct cpu *c);
void cpu_start(struct cpu *c, uint64_t when, uint32_t pc, uint32_t status, uint32_t a0);
void cpu_fetch_exception(struct cpu *c, unsigned code, bool tlb, bool refill);
void cpu_cpu_exception(struct cpu *c, unsigned unit);
void cpu_stop(struct cpu *c);

/* ---- cp0.c ---- */
uint32_t cp0_read(struct cpu *c, int reg, int sel);
void cp0_write(struct cpu *c, int reg, int sel, uint32_t v);
uint32_t cp0_random(const struct cpu *c);
uint32_t cp0_count(const struct cpu *c);
void cp0_timer_update(struct cpu *c);
bool cp0_irq_ready(const struct cpu *c);

/* ---- tlb.c ---- */
/** The kind of access being translated. */
enum access { ACC_FETCH, ACC_LOAD, ACC_STORE };
/** Outcome of translating a virtual address. */
enum xlate { XL_OK, XL_ADDR_ERR, XL_TLB_REFILL, XL_TLB_INVALID, XL_TLB_MOD };
/** A successful translation. */
struct xlate_result {
    uint64_t pa;           /**< physical address */
    bool cached;           /**< cacheable (kseg0, or TLB entry with C != 2) */
    bool mapped;           /**< went through the TLB */
};
enum xlate tlb_translate(struct cpu *c, uint32_t va, enum access acc, struct xlate_result *out);
int tlb_lookup(struct cpu *c, uint32_t va, uint32_t asid);
int tlb_probe(const struct cpu *c, uint32_t entryhi);
void tlb_write(struct cpu *c, int index, uint32_t hi, uint32_t lo0, uint32_t lo1);
void tlb_flush_all(struct cpu *c);
void tc_flush(struct cpu *c);
void tc_flush_vpage(struct cpu *c, uint32_t vpage);

/* ---- mem.c: loads and stores with translation, cache and devices ---- */
bool mem_load(struct cpu *c, uint32_t va, unsigned size, uint32_t *out);
bool mem_load_pa(struct cpu *c, uint32_t va, unsigned size, uint32_t *out, uint64_t *pa_out);
bool mem_store(struct cpu *c, uint32_t va, unsigned size, uint32_t value);
bool mem_fetch_slow(struct cpu *c, uint32_t va, uint32_t *insn);
bool mem_is_ram(const struct sim *m, uint64_t pa, uint64_t len);
void mem_dma_written(struct sim *m, uint64_t pa, uint64_t len);
void mem_ll_break_range(struct sim *m, uint64_t pa, uint64_t len);
void mem_ll_break(struct sim *m, int writer, uint32_t line);

/* Machine memory is little-endian whatever the host is (a no-op on x86). */
static inline uint32_t ld32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return le32toh(v); }
static inline void st32(uint8_t *p, uint32_t v) { v = htole32(v); memcpy(p, &v, 4); }
static inline uint16_t ld16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return le16toh(v); }
static inline void st16(uint8_t *p, uint16_t v) { v = htole16(v); memcpy(p, &v, 2); }

/* ---- cache.c ---- */
int cache_init(struct cache *ca, const struct sim_config *cfg);
void cache_free(struct cache *ca);
void cache_miss(struct cpu *c, uint32_t pa, bool write);
void cache_uncached(struct cpu *c, uint64_t pa, bool write);
void cache_invalidate_line_all(struct sim *m, uint32_t line, int except);
void cache_stall(struct cpu *c, uint32_t cycles, bool remote);

/* Is the line of pa in c's cache (for a write: held dirty)? On a hit, the
 * way becomes the set's most recently used and the answer is true; on a
 * miss nothing changes (the caller goes to cache_miss()). */
static inline bool cache_hit(struct cpu *c, uint32_t pa, bool write)
{
    struct cache *ca = &c->cache;
    uint32_t line = pa >> c->m->line_shift;
    uint32_t set = line & ca->set_mask;
    uint32_t *t = &ca->tags[set * ca->ways];
    uint32_t want = line | CT_VALID | (write ? CT_DIRTY : 0);
    uint32_t mask = write ? ~0u : ~CT_DIRTY;
    for (uint32_t w = 0; w < ca->ways; w++) {
        if ((t[w] & mask) == want) {
            ca->mru[set] = (uint8_t)w;
            return true;
        }
    }
    return false;
}

/* The cache model's view of one cached access: the fast path of every
 * cached access is a hit; misses go to cache_miss(). */
static inline void cache_access(struct cpu *c, uint32_t pa, bool write)
{
    if (!cache_hit(c, pa, write))
        cache_miss(c, pa, write);
}

/* ---- HI and LO, the multiply/divide unit: one definition for both
 * execution engines (exec.c and fast.c), which must agree to the bit. ---- */
static inline uint64_t hilo_get(const struct cpu *c)
{
    return ((uint64_t)c->hi << 32) | c->lo;
}

static inline void hilo_set(struct cpu *c, uint64_t v)
{
    c->lo = (uint32_t)v;
    c->hi = (uint32_t)(v >> 32);
}

/* div. Division by zero is UNPREDICTABLE in MIPS32; this machine leaves
 * LO = -1 (or 1) and HI = the dividend, and never traps the host.
 * INT_MIN / -1 gives LO = INT_MIN, HI = 0. */
static inline void hilo_div(struct cpu *c, uint32_t a, uint32_t b)
{
    if (b == 0) {
        c->lo = (int32_t)a < 0 ? 1 : 0xFFFFFFFFu;
        c->hi = a;
    } else if (a == 0x80000000u && b == 0xFFFFFFFFu) {
        c->lo = a;
        c->hi = 0;
    } else {
        c->lo = (uint32_t)((int32_t)a / (int32_t)b);
        c->hi = (uint32_t)((int32_t)a % (int32_t)b);
    }
}

/* divu: by zero, LO = -1 and HI = the dividend. */
static inline void hilo_divu(struct cpu *c, uint32_t a, uint32_t b)
{
    if (b == 0) {
        c->lo = 0xFFFFFFFFu;
        c->hi = a;
    } else {
        c->lo = a / b;
        c->hi = a % b;
    }
}

/* The signed and unsigned 64-bit products of mult/madd/msub and
 * multu/maddu/msubu. */
static inline uint64_t mul_signed(uint32_t a, uint32_t b)
{
    return (uint64_t)((int64_t)(int32_t)a * (int32_t)b);
}

static inline uint64_t mul_unsigned(uint32_t a, uint32_t b)
{
    return (uint64_t)a * b;
}

/* ---- exec.c and fast.c: the two execution engines ---- */
void exec_run(struct cpu *c);
void exec_insn(struct cpu *c, uint32_t insn);
void fast_run(struct cpu *c);
int fast_init(struct sim *m);
void fast_free(struct sim *m);
void fast_forget(struct cpu *c);

/* ---- magic.c ---- */
int magic_init(struct sim *m);
void magic_free(struct sim *m);
void magic_count_miss(struct sim *m, uint32_t pa, int node, struct cpu *c);
bool magic_pop(struct sim *m, uint32_t *rec);
void magic_reset(struct sim *m, uint32_t pfn);

/* ---- devices: dev_*.c ---- */
bool dev_read(struct cpu *c, uint32_t pa, unsigned size, uint32_t *out);
bool dev_write(struct cpu *c, uint32_t pa, unsigned size, uint32_t v);
uint32_t console_read(struct sim *m, uint32_t off, bool *ok);
bool console_write(struct sim *m, uint32_t off, uint32_t v);
void console_init(struct sim *m);
void console_poll(struct sim *m);
uint32_t power_read(struct cpu *c, uint32_t off, bool *ok);
bool power_write(struct cpu *c, uint32_t off, uint32_t v);
uint32_t ipi_read(struct sim *m, uint32_t off, bool *ok);
bool ipi_write(struct cpu *c, uint32_t off, uint32_t v);
uint32_t disk_read_reg(struct sim *m, int k, uint32_t off, bool *ok);
bool disk_write_reg(struct cpu *c, int k, uint32_t off, uint32_t v);
int disk_submit(struct sim *m, int k, bool write, uint64_t sector, uint32_t count, uint64_t pa,
                bool mmio, sim_disk_done_fn done, void *arg);
int disk_attach(struct sim *m, const char *path, bool read_only, char *err, size_t errlen);
uint64_t sim_caller_time(const struct sim *m);
void disk_close_all(struct sim *m);
uint32_t magic_read_reg(struct sim *m, uint32_t off, bool *ok);
bool magic_write_reg(struct sim *m, uint32_t off, uint32_t v);

/* ---- event.c ---- */
uint64_t event_add(struct sim *m, uint64_t when, sim_event_fn fn, void *arg);
bool event_cancel(struct sim *m, uint64_t id);
uint64_t event_next_time(const struct sim *m);
void event_run_due(struct sim *m);
void event_free(struct sim *m);

/* ---- machine.c ---- */
void sim_request_stop(struct sim *m, enum sim_stop_reason why, int status, const char *msg);

/* ---- stats.c ---- */
void stats_mark(struct sim *m, struct cpu *c, uint32_t value);
void stats_free(struct sim *m);

/* ---- disasm.c ---- */
void disasm(uint32_t insn, uint32_t pc, char *buf, size_t len);

/* ---- trace ---- */
static inline bool tracing(const struct sim *m, unsigned what) { return (m->cfg.trace & what) != 0; }

#endif
