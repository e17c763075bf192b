/*
 * fast.c - the fast execution engine: exec.c's interpreter, made fast.
 *
 * The reference model of the CPU is exec_run() in exec.c: for every
 * instruction it fetches the word (a cache-model access when the fetch moves
 * to another line), advances pc, counts one cycle and one instruction, and
 * decodes the word with two levels of switch. fast_run() does exactly the
 * same thing in exactly the same order, so that every run is the same cycle
 * for cycle (sim/tests/engines.sh compares the statistics of both, and
 * sim/tests/unit/test_engines.c self-modifying code), but faster:
 *
 * - Decoded once. Every machine page that instructions are fetched from has
 *   an array of 1024 decoded instructions (struct fast_op: the address of
 *   its handler and its register fields), filled in the first time each
 *   instruction runs. The page is found by physical address, so a page
 *   mapped at several virtual addresses is decoded once, and branch targets
 *   are computed from the virtual pc at run time.
 * - Never stale. Before it runs, a decoded instruction is compared with the
 *   word in memory, and decoded again if they differ. That is one load and
 *   one compare, and it makes self-modifying code, DMA over code, a monitor
 *   that copies pages and a program loader all correct without any
 *   invalidation to get wrong.
 * - State in registers. pc, npc, the delay-slot flag, the clock and the
 *   instruction count live in local variables for the whole call, not in
 *   struct cpu. They are written back (SYNC) before anything that can look
 *   at the CPU from outside (an exception, a device, a cache miss, the
 *   monitor), and read again (RELOAD) after it, since that may have changed
 *   them. Between those points nothing else can run: the machine has one
 *   host thread and the other CPUs wait for this one's slice to end.
 * - Runs. exec.c looks at the deadline, the fetch page and the fetch line
 *   before every instruction. Between two calls out, the deadline cannot
 *   change and the clock moves exactly one cycle per instruction; and while
 *   pc moves to the next word of the same cache line (page, without the
 *   cache model), the fetch finds what the last one left. So at a fetch the
 *   engine works out how many of the following instructions exec.c would
 *   let run without anything but reading their word, and runs them (a run)
 *   with no checks but that count. Within a run, the k-th instruction's
 *   address is the first one's + 4k and the clock the first one's + k, so
 *   neither is counted per instruction: they are worked out (MID_STATE,
 *   END_STATE) only when something needs them. A run ends at the line's
 *   end or after a taken branch's delay slot; then (l_leave) the next
 *   instruction, when it is in the same page and not a delay slot, starts
 *   the next run at once, with the cache-model access exec.c makes when
 *   the fetch moves to another line.
 * - Memos. A load or store that hits in the cache model remembers the line
 *   (struct fast_op's m_ fields): its virtual and physical address and
 *   where the cache keeps it. While nothing that the hit rested on has
 *   changed (this CPU's translation cache and cache tags: every change
 *   calls fast_forget(), which gives the CPU a new memo epoch), the next
 *   access to that line is the same hit, so it needs neither the
 *   translation cache nor the tag compare: only the MRU bit that exec.c's
 *   cache_hit() sets.
 * - Threaded dispatch. Each handler is a label, and an instruction jumps
 *   straight to its handler (GNU C's computed goto) instead of through two
 *   switches; every handler has its own copy of the jump (built with
 *   -fno-crossjumping, see the Makefile), which the host predicts better.
 * - Simple instructions only. ALU operations, branches and jumps, and loads
 *   and stores whose page is in the translation cache have a handler here.
 *   Everything else (COP0, syscalls, traps, LL/SC, unaligned accesses, a
 *   load or store that needs translating, an add that overflows...) goes to
 *   exec_insn(), the reference interpreter's own code, with the CPU's state
 *   written back first, so it is the reference model by construction. A
 *   handler decides to do so before it changes anything.
 *
 * Instruction tracing always uses the reference loop (cpu.c sets c->fast),
 * and so does gdb while it steps or has breakpoints (exec_run()).
 */
#include <stdlib.h>

#include "insn.h"
#include "internal.h"

/* ---- decoded instructions ------------------------------------------------ */

/** What a decoded instruction does: one handler (label) in fast_run() each
 * (FK_ and the instruction's name, but for these three). */
enum fast_kind {
    FK_DECODE,  /**< not decoded yet */
    FK_GENERIC, /**< anything without a fast path: exec_insn() */
    FK_NOP,     /**< sync, pref, and instructions that only write $0 */
    FK_SLL, FK_SRL, FK_SRA, FK_SLLV, FK_SRLV, FK_SRAV,
    FK_JR, FK_JALR, FK_MOVZ, FK_MOVN,
    FK_MFHI, FK_MTHI, FK_MFLO, FK_MTLO,
    FK_MULT, FK_MULTU, FK_DIV, FK_DIVU,
    FK_ADD, FK_ADDU, FK_SUB, FK_SUBU, FK_AND, FK_OR, FK_XOR, FK_NOR, FK_SLT, FK_SLTU,
    FK_BLTZ, FK_BGEZ, FK_BLTZL, FK_BGEZL, FK_BLTZAL, FK_BGEZAL, FK_BLTZALL, FK_BGEZALL,
    FK_J, FK_JAL, FK_BEQ, FK_BNE, FK_BLEZ, FK_BGTZ,
    FK_BEQL, FK_BNEL, FK_BLEZL, FK_BGTZL,
    FK_ADDI, FK_ADDIU, FK_SLTI, FK_SLTIU, FK_ANDI, FK_ORI, FK_XORI, FK_LUI,
    FK_MADD, FK_MADDU, FK_MUL, FK_MSUB, FK_MSUBU, FK_CLZ, FK_CLO,
    FK_LB, FK_LH, FK_LW, FK_LBU, FK_LHU, FK_SB, FK_SH, FK_SW,
    FK_COUNT
};

/** One decoded instruction. */
struct fast_op {
    const void *h;          /**< its handler in fast_run() */
    uint32_t insn;          /**< the word it was decoded from */
    uint8_t rs;             /**< its rs field */
    uint8_t rt;             /**< its rt field */
    uint8_t rd;             /**< its rd field */
    uint8_t sa;             /**< its sa field */
    /* A load's or store's memo: the last line it hit in the cache model
     * (see LOAD). Valid while the CPU's memo_epoch is m_epoch. */
    uint32_t m_epoch;       /**< the epoch it was made in; 0: none */
    uint32_t m_vline;       /**< the virtual line (va >> line_shift) */
    uint32_t m_pa;          /**< the physical address of the line */
    uint32_t m_set;         /**< its set, and FAST_WAY1 if in way 1 */
};

#define FAST_WAY1 0x80000000u /* m_set: the line is in way 1 */

#define FAST_OPS (MIPS_PAGE_SIZE / 4) /* instructions per page */

/** The decoded instructions of one machine page. */
struct fast_page {
    struct fast_op op[FAST_OPS]; /**< one per word of the page */
};

/* Decoded pages are a cache: at most this many (32 KB each) are kept, and
 * when a program has run code from more pages, all are dropped and decoded
 * again as they run. */
#define FAST_MAX_PAGES 2048u

/* Which handler runs an instruction word: exactly the instructions exec.c
 * executes without any check that could fail (or whose check is repeated
 * here before anything changes) get their own; the rest are FK_GENERIC. */
static enum fast_kind fast_decode(uint32_t insn)
{
    switch (insn_op(insn)) {
    case 0x00:
        switch (insn_funct(insn)) {
        case 0x00: return FK_SLL;
        case 0x02: return insn_rs(insn) ? FK_GENERIC : FK_SRL; /* rotr: reserved */
        case 0x03: return FK_SRA;
        case 0x04: return FK_SLLV;
        case 0x06: return insn_sa(insn) ? FK_GENERIC : FK_SRLV; /* rotrv: reserved */
        case 0x07: return FK_SRAV;
        case 0x08: return FK_JR;
        case 0x09: return FK_JALR;
        case 0x0A: return FK_MOVZ;
        case 0x0B: return FK_MOVN;
        case 0x0F: return FK_NOP; /* sync */
        case 0x10: return FK_MFHI;
        case 0x11: return FK_MTHI;
        case 0x12: return FK_MFLO;
        case 0x13: return FK_MTLO;
        case 0x18: return FK_MULT;
        case 0x19: return FK_MULTU;
        case 0x1A: return FK_DIV;
        case 0x1B: return FK_DIVU;
        case 0x20: return FK_ADD;
        case 0x21: return FK_ADDU;
        case 0x22: return FK_SUB;
        case 0x23: return FK_SUBU;
        case 0x24: return FK_AND;
        case 0x25: return FK_OR;
        case 0x26: return FK_XOR;
        case 0x27: return FK_NOR;
        case 0x2A: return FK_SLT;
        case 0x2B: return FK_SLTU;
        default: return FK_GENERIC;
        }
    case 0x01:
        switch (insn_rt(insn)) {
        case 0x00: return FK_BLTZ;
        case 0x01: return FK_BGEZ;
        case 0x02: return FK_BLTZL;
        case 0x03: return FK_BGEZL;
        case 0x10: return FK_BLTZAL;
        case 0x11: return FK_BGEZAL;
        case 0x12: return FK_BLTZALL;
        case 0x13: return FK_BGEZALL;
        default: return FK_GENERIC; /* trap-immediate */
        }
    case 0x02: return FK_J;
    case 0x03: return FK_JAL;
    case 0x04: return FK_BEQ;
    case 0x05: return FK_BNE;
    case 0x06: return FK_BLEZ;
    case 0x07: return FK_BGTZ;
    case 0x08: return FK_ADDI;
    case 0x09: return FK_ADDIU;
    case 0x0A: return FK_SLTI;
    case 0x0B: return FK_SLTIU;
    case 0x0C: return FK_ANDI;
    case 0x0D: return FK_ORI;
    case 0x0E: return FK_XORI;
    case 0x0F: return FK_LUI;
    case 0x14: return FK_BEQL;
    case 0x15: return FK_BNEL;
    case 0x16: return FK_BLEZL;
    case 0x17: return FK_BGTZL;
    case 0x1C:
        switch (insn_funct(insn)) {
        case 0x00: return FK_MADD;
        case 0x01: return FK_MADDU;
        case 0x02: return FK_MUL;
        case 0x04: return FK_MSUB;
        case 0x05: return FK_MSUBU;
        case 0x20: return FK_CLZ;
        case 0x21: return FK_CLO;
        default: return FK_GENERIC;
        }
    case 0x20: return FK_LB;
    case 0x21: return FK_LH;
    case 0x23: return FK_LW;
    case 0x24: return FK_LBU;
    case 0x25: return FK_LHU;
    case 0x28: return FK_SB;
    case 0x29: return FK_SH;
    case 0x2B: return FK_SW;
    case 0x33: return FK_NOP; /* pref */
    default: return FK_GENERIC;
    }
}

/* Does an instruction of this kind do nothing but write its register rd
 * (SPECIAL, SPECIAL2) or rt (the immediate forms)? With $0 there it does
 * nothing at all, and is decoded as FK_NOP: $0 is never anything but 0
 * between instructions (exec.c clears it after each, sim_cpu_set_reg()
 * refuses it), so handlers need not clear it, except those that may still
 * write it (loads, add, sub, addi, jalr: NEXT_W). */
static bool writes_only(enum fast_kind k)
{
    switch (k) {
    case FK_SLL: case FK_SRL: case FK_SRA: case FK_SLLV: case FK_SRLV: case FK_SRAV:
    case FK_MOVZ: case FK_MOVN: case FK_MFHI: case FK_MFLO:
    case FK_ADDU: case FK_SUBU: case FK_AND: case FK_OR: case FK_XOR: case FK_NOR:
    case FK_SLT: case FK_SLTU: case FK_MUL: case FK_CLZ: case FK_CLO:
        return true;
    default:
        return false;
    }
}

static bool writes_only_rt(enum fast_kind k)
{
    switch (k) {
    case FK_ADDIU: case FK_SLTI: case FK_SLTIU: case FK_ANDI: case FK_ORI: case FK_XORI:
    case FK_LUI:
        return true;
    default:
        return false;
    }
}

static void fast_fill(struct fast_op *op, uint32_t insn, const void *const *labels)
{
    enum fast_kind k = fast_decode(insn);
    if ((writes_only(k) && insn_rd(insn) == 0) || (writes_only_rt(k) && insn_rt(insn) == 0))
        k = FK_NOP;
    op->h = labels[k];
    op->insn = insn;
    op->rs = (uint8_t)insn_rs(insn);
    op->rt = (uint8_t)insn_rt(insn);
    op->rd = (uint8_t)insn_rd(insn);
    op->sa = (uint8_t)insn_sa(insn);
    op->m_epoch = 0; /* a load's memo is no store's, nor the other way round */
}

int fast_init(struct sim *m)
{
    m->fast_pages = calloc(m->ram_size >> MIPS_PAGE_SHIFT, sizeof *m->fast_pages);
    m->fast_npages = 0;
    return m->fast_pages ? 0 : -1;
}

static void fast_drop_all(struct sim *m)
{
    uint64_t pages = m->ram_size >> MIPS_PAGE_SHIFT;
    for (uint64_t i = 0; i < pages; i++) {
        free(m->fast_pages[i]);
        m->fast_pages[i] = NULL;
    }
    m->fast_npages = 0;
}

void fast_free(struct sim *m)
{
    if (!m->fast_pages)
        return;
    fast_drop_all(m);
    free(m->fast_pages);
    m->fast_pages = NULL;
}

/* Something a memo may rest on has changed for CPU c: its translation
 * cache (a fill, a flush, another mode's) or its cache's tags (a miss, an
 * upgrade, an invalidation, a line made clean). Called from tlb.c, mem.c,
 * cpu.c and cache.c. Every memo made before is forgotten, by giving the CPU
 * an epoch no memo has: epochs come from one machine-wide clock, so one
 * CPU's memos are never another's either (the decoded pages are shared).
 * When the 32-bit clock wraps, every memo is erased and every CPU gets a
 * new epoch, so that no old memo can ever match again. */
void fast_forget(struct cpu *c)
{
    struct sim *m = c->m;
    if (likely(++m->memo_clock != 0)) {
        c->memo_epoch = m->memo_clock;
        return;
    }
    if (m->fast_pages) {
        uint64_t pages = m->ram_size >> MIPS_PAGE_SHIFT;
        for (uint64_t i = 0; i < pages; i++)
            if (m->fast_pages[i])
                for (unsigned j = 0; j < FAST_OPS; j++)
                    m->fast_pages[i]->op[j].m_epoch = 0;
    }
    for (int i = 0; i < m->ncpus; i++)
        m->cpu[i].memo_epoch = ++m->memo_clock;
}

/* The decoded page of machine page pa (RAM), created with every instruction
 * undecoded. NULL if memory is exhausted. */
static struct fast_page *fast_page(struct sim *m, uint32_t pa, const void *undecoded)
{
    struct fast_page **slot = &m->fast_pages[pa >> MIPS_PAGE_SHIFT];
    if (likely(*slot != NULL))
        return *slot;
    if (m->fast_npages >= FAST_MAX_PAGES)
        fast_drop_all(m); /* only the running CPU holds a page, and it is asking for another */
    struct fast_page *p = malloc(sizeof *p);
    if (!p)
        return NULL;
    /* insn 0 with the "undecoded" handler: if the word in memory is 0 the
     * compare passes and the handler decodes it; otherwise the compare
     * fails and decodes it. */
    for (unsigned i = 0; i < FAST_OPS; i++)
        p->op[i] = (struct fast_op){.h = undecoded};
    m->fast_npages++;
    *slot = p;
    return p;
}

/* How many instructions after the one at pc, with the clock at now, may
 * run in the same run: those to the end of pc's line (seq_mask: the line's,
 * or the page's without the cache model), as long as the clock, one cycle
 * per instruction, stays before the deadline. */
static inline uint64_t fast_budget(uint64_t deadline, uint64_t now, uint32_t pc, uint32_t seq_mask)
{
    uint64_t left = deadline > now ? deadline - now : 0;
    uint32_t words = ((seq_mask + 1) - (pc & seq_mask)) / 4; /* pc to the line's end */
    uint64_t n = left < words ? left : words;
    return n ? n - 1 : 0; /* the instruction at pc is one of them */
}

/* ---- the engine ------------------------------------------------------------ */

void fast_run(struct cpu *c)
{
    static const void *const labels[FK_COUNT] = {
        [FK_DECODE] = &&l_decode, [FK_GENERIC] = &&l_generic, [FK_NOP] = &&l_nop,
        [FK_SLL] = &&l_sll, [FK_SRL] = &&l_srl, [FK_SRA] = &&l_sra,
        [FK_SLLV] = &&l_sllv, [FK_SRLV] = &&l_srlv, [FK_SRAV] = &&l_srav,
        [FK_JR] = &&l_jr, [FK_JALR] = &&l_jalr, [FK_MOVZ] = &&l_movz, [FK_MOVN] = &&l_movn,
        [FK_MFHI] = &&l_mfhi, [FK_MTHI] = &&l_mthi, [FK_MFLO] = &&l_mflo, [FK_MTLO] = &&l_mtlo,
        [FK_MULT] = &&l_mult, [FK_MULTU] = &&l_multu, [FK_DIV] = &&l_div, [FK_DIVU] = &&l_divu,
        [FK_ADD] = &&l_add, [FK_ADDU] = &&l_addu, [FK_SUB] = &&l_sub, [FK_SUBU] = &&l_subu,
        [FK_AND] = &&l_and, [FK_OR] = &&l_or, [FK_XOR] = &&l_xor, [FK_NOR] = &&l_nor,
        [FK_SLT] = &&l_slt, [FK_SLTU] = &&l_sltu,
        [FK_BLTZ] = &&l_bltz, [FK_BGEZ] = &&l_bgez, [FK_BLTZL] = &&l_bltzl,
        [FK_BGEZL] = &&l_bgezl, [FK_BLTZAL] = &&l_bltzal, [FK_BGEZAL] = &&l_bgezal,
        [FK_BLTZALL] = &&l_bltzall, [FK_BGEZALL] = &&l_bgezall,
        [FK_J] = &&l_j, [FK_JAL] = &&l_jal, [FK_BEQ] = &&l_beq, [FK_BNE] = &&l_bne,
        [FK_BLEZ] = &&l_blez, [FK_BGTZ] = &&l_bgtz, [FK_BEQL] = &&l_beql, [FK_BNEL] = &&l_bnel,
        [FK_BLEZL] = &&l_blezl, [FK_BGTZL] = &&l_bgtzl,
        [FK_ADDI] = &&l_addi, [FK_ADDIU] = &&l_addiu, [FK_SLTI] = &&l_slti,
        [FK_SLTIU] = &&l_sltiu, [FK_ANDI] = &&l_andi, [FK_ORI] = &&l_ori, [FK_XORI] = &&l_xori,
        [FK_LUI] = &&l_lui,
        [FK_MADD] = &&l_madd, [FK_MADDU] = &&l_maddu, [FK_MUL] = &&l_mul, [FK_MSUB] = &&l_msub,
        [FK_MSUBU] = &&l_msubu, [FK_CLZ] = &&l_clz, [FK_CLO] = &&l_clo,
        [FK_LB] = &&l_lb, [FK_LH] = &&l_lh, [FK_LW] = &&l_lw, [FK_LBU] = &&l_lbu,
        [FK_LHU] = &&l_lhu, [FK_SB] = &&l_sb, [FK_SH] = &&l_sh, [FK_SW] = &&l_sw,
    };
    struct sim *const m = c->m;
    uint32_t *const r = c->gpr;
    uint8_t *const ram = c->ram;
    const bool cache_on = c->cache_on;
    const unsigned line_shift = m->line_shift;
    /* The cache model's arrays and geometry never change while the machine
     * exists: kept here, the compiler need not load them again after every
     * store to a register (which, as far as it knows, might change them). */
    uint32_t *const tags = c->cache.tags;
    uint8_t *const mru = c->cache.mru;
    const uint32_t set_mask = c->cache.set_mask;
    const uint32_t ways = c->cache.ways;
    /* Loads and stores have a fast path without the cache model or with
     * the default 2-way cache; with any other, they go to exec_insn(). */
    const bool fast_mem = !cache_on || ways == 2;

    /* The CPU's state at a full fetch (l_top), written back by SYNC. Between
     * two calls out, every instruction adds one cycle and one instruction,
     * so the instruction count is kept as its difference from the clock. */
    uint32_t pc, npc;
    bool delay;
    uint64_t cycles, insn_delta;
    /* The instruction being executed: exec.c's c->cur_pc and cur_delay;
     * its cur_insn is op->insn, written back by SYNC_OP. */
    uint32_t cur_pc;
    bool cur_delay;
    /* The run: the instructions dispatched one after another (NEXT) since
     * the last full fetch, all in one line (page, without the cache model).
     * While it lasts, none of the state above is kept up to date: the
     * instruction at op is the k-th of the run (k = op - run_op), so its
     * address is run_pc + 4k and the clock after its dispatch run_cycles +
     * k + 1, and it is not in a delay slot and is followed by the next word,
     * unless it is the run's slot instruction (below). MID_STATE and
     * END_STATE work the state out when something needs it: a call out,
     * the end of the run. That takes the per-instruction bookkeeping of
     * exec.c's loop (cur_pc, cur_delay, delay, pc, npc, the clock) out of
     * every instruction but a run's first. */
    const struct fast_op *run_op = NULL;   /* the run's first instruction */
    const struct fast_op *run_last = NULL; /* ...and the last it may run */
    uint32_t run_pc = 0;                   /* the first one's address */
    uint64_t run_cycles = 0;               /* the clock before it */
    /* The run's slot instruction, if any: a branch's delay slot, or a first
     * instruction that exec.c's state puts in a delay slot or makes jump
     * (npc not pc + 4). slot_delay is its cur_delay, slot_next the pc
     * after its dispatch (exec.c's pc = npc). */
    const struct fast_op *slot_op = NULL;
    bool slot_delay = false;
    uint32_t slot_next = 0;
    /* The page being fetched from: c->fetch_ppage, decoded. */
    uint32_t page_pa = 0;
    struct fast_page *page = NULL;
    struct fast_op *op = NULL;   /* the decoded instruction at pc (or last executed) */
    const uint8_t *word = ram;   /* ...and its word in memory */
    /* A fetch at pc == cur_pc + 4 stays in the line (without the cache
     * model: the page) of the last one unless pc & seq_mask is 0. */
    const uint32_t line_mask = (1u << line_shift) - 1;
    const uint32_t seq_mask = cache_on ? line_mask : MIPS_PAGE_SIZE - 1;

#define SYNC()                                                                                  \
    do {                                                                                        \
        c->pc = pc;                                                                             \
        c->npc = npc;                                                                           \
        c->delay = delay;                                                                       \
        c->cycles = cycles;                                                                     \
        c->insns = cycles + insn_delta;                                                         \
        c->cur_pc = cur_pc;                                                                     \
        c->cur_delay = cur_delay;                                                               \
    } while (0)
    /* SYNC in a handler, which calls out in the middle of an instruction. */
#define SYNC_OP()                                                                               \
    do {                                                                                        \
        MID_STATE();                                                                            \
        SYNC();                                                                                 \
        c->cur_insn = op->insn;                                                                 \
    } while (0)
#define RELOAD()                                                                                \
    do {                                                                                        \
        pc = c->pc;                                                                             \
        npc = c->npc;                                                                           \
        delay = c->delay;                                                                       \
        cycles = c->cycles;                                                                     \
        insn_delta = c->insns - cycles;                                                         \
        cur_pc = c->cur_pc;                                                                     \
        cur_delay = c->cur_delay;                                                               \
    } while (0)
    /* The address of the instruction at op, in the run. */
#define OP_PC() (run_pc + 4 * (uint32_t)(op - run_op))
    /* exec.c's state in the middle of the instruction at op: after its
     * dispatch (its loop's cur_pc = pc, cur_delay = delay, delay = false,
     * pc = npc, npc += 4 and the cycle), before the instruction itself. */
#define MID_STATE()                                                                             \
    do {                                                                                        \
        uint32_t k_ = (uint32_t)(op - run_op);                                                  \
        cur_pc = run_pc + 4 * k_;                                                               \
        cycles = run_cycles + k_ + 1;                                                           \
        if (op == slot_op) {                                                                    \
            cur_delay = slot_delay;                                                             \
            pc = slot_next;                                                                     \
        } else {                                                                                \
            cur_delay = false;                                                                  \
            pc = cur_pc + 4;                                                                    \
        }                                                                                       \
        npc = pc + 4;                                                                           \
        delay = false;                                                                          \
    } while (0)
    /* ...and after it, when it was not a branch-likely not taken: what
     * the branch at op, if it was one, did to npc and delay is in the slot
     * it made for the next instruction (BRANCH). */
#define END_STATE()                                                                             \
    do {                                                                                        \
        MID_STATE();                                                                            \
        if (op + 1 == slot_op) {                                                                \
            npc = slot_next;                                                                    \
            delay = slot_delay;                                                                 \
        }                                                                                       \
    } while (0)
    /* The next instruction, when the one just executed called nothing
     * outside this function: the fetch page (c->fetch_vbase) and
     * c->fetch_line are what the last fetch left, c->deadline is unchanged
     * and the clock has moved one cycle per instruction. So while the run
     * lasts (see l_fetched and BRANCH), pc is the next word, and exec.c's
     * loop would find the clock before the deadline, the page and the line
     * fetched already, and do nothing but read the word: go straight to the
     * decoded instruction after the last one, with no bookkeeping at all.
     * Anything else takes the full fetch at l_top (LEAVE). This is copied
     * into every handler, so that each has its own indirect jump to the
     * next handler, which the host CPU predicts better than one jump shared
     * by all. NEXT() is for handlers that called nothing outside and cannot
     * have written $0 (see writes_only()), NEXT_W() for those that may
     * have (exec.c clears $0 after every instruction), NEXT_FULL() for
     * those that called out (their SYNC_OP has written the state back). */
#define NEXT()                                                                                  \
    do {                                                                                        \
        if (unlikely(op >= run_last))                                                           \
            LEAVE();                                                                            \
        op++;                                                                                   \
        word += 4;                                                                              \
        DISPATCH();                                                                             \
    } while (0)
#define NEXT_W()                                                                                \
    do {                                                                                        \
        r[0] = 0;                                                                               \
        NEXT();                                                                                 \
    } while (0)
#define NEXT_FULL()                                                                             \
    do {                                                                                        \
        r[0] = 0;                                                                               \
        goto l_top;                                                                             \
    } while (0)
    /* The end of a run, from a handler that called nothing outside. */
#define LEAVE() goto l_leave
    /* The instruction at op: decoded again if its word in memory has
     * changed, then its handler. */
#define DISPATCH()                                                                              \
    do {                                                                                        \
        if (unlikely(ld32(word) != op->insn))                                                   \
            goto l_redecode;                                                                    \
        goto *op->h;                                                                            \
    } while (0)
    /* cache_hit() of internal.h for the default 2-way cache (fast_mem), on
     * the geometry kept above. A line is in at most one way of its set
     * (cache_miss() never loads a line the cache holds), so the way the
     * loop of cache_hit() finds is way 1 exactly when way 1 matches: both
     * tags are compared at once, without the loop's branches, which the
     * host would mispredict on about every other hit. HIT_WAY is the way
     * that hit, or -1. */
#define HIT_WAY(pa, write)                                                                      \
    ({                                                                                          \
        uint32_t line_ = (pa) >> line_shift, set_ = line_ & set_mask;                           \
        const uint32_t *t_ = &tags[set_ * 2];                                                   \
        uint32_t want_ = line_ | CT_VALID | ((write) ? CT_DIRTY : 0);                           \
        uint32_t mask_ = (write) ? ~0u : ~CT_DIRTY;                                             \
        bool hit0_ = (t_[0] & mask_) == want_, hit1_ = (t_[1] & mask_) == want_;                \
        if (hit0_ | hit1_)                                                                      \
            mru[set_] = hit1_;                                                                  \
        (hit0_ | hit1_) ? (int)hit1_ : -1;                                                      \
    })
    /* ...as a yes or no. */
#define HIT(pa, write) (HIT_WAY((pa), (write)) >= 0)
    /* exec.c's cache_access() for a fetch (l_fetch_line): a hit is inline,
     * a miss (which stalls the clock, may evict the fetch line and may
     * raise IP5) sees the state. */
#define CACHE(pa, write)                                                                        \
    do {                                                                                        \
        if (cache_on && !cache_hit(c, (pa), (write))) {                                         \
            SYNC();                                                                             \
            cache_miss(c, (pa), (write));                                                       \
            RELOAD();                                                                           \
        }                                                                                       \
    } while (0)

    /* A fetch at fpc in the fetch page: with the cache model, when fpc is
     * in another line than the last fetch, a hit in a 2-way cache is
     * recorded here (the hit, the MRU way, c->fetch_line); anything else
     * goes to `fail` before any side effect, since a miss changes nothing. */
#define FETCH_LINE(fpc, fail)                                                                   \
    do {                                                                                        \
        if (cache_on) {                                                                         \
            uint32_t fpa_ = page_pa | ((fpc) & (MIPS_PAGE_SIZE - 1));                           \
            if ((fpa_ >> line_shift) != c->fetch_line) {                                        \
                if (unlikely(!fast_mem || !HIT(fpa_, false)))                                   \
                    goto fail;                                                                  \
                c->fetch_line = fpa_ >> line_shift;                                             \
            }                                                                                   \
        }                                                                                       \
    } while (0)
    /* The full fetch (l_top), after anything that called out or that
     * moved pc elsewhere than the next word of the line. As exec.c: stop at
     * the deadline (read from the CPU each time: anything that changes it
     * is a call out of here); the same page as the last fetch needs no
     * translation (else l_fetch_slow), the same line no cache lookup (else
     * a hit here, or l_fetch_line). */
#define FULL_FETCH()                                                                            \
    do {                                                                                        \
        if (unlikely(cycles >= c->deadline))                                                    \
            goto l_out;                                                                         \
        if (unlikely((pc & ~(MIPS_PAGE_SIZE - 4)) != c->fetch_vbase))                           \
            goto l_fetch_slow;                                                                  \
        FETCH_LINE(pc, l_fetch_line);                                                           \
        op = &page->op[(pc & (MIPS_PAGE_SIZE - 1)) >> 2];                                       \
        word = ram + page_pa + (pc & (MIPS_PAGE_SIZE - 1));                                     \
        START_RUN();                                                                            \
    } while (0)
    /* The instruction at pc is fetched: it starts a run (see run_op). The
     * next ones run without the full fetch (NEXT) while they are in the
     * same line (page) and the clock, one cycle per instruction, stays
     * before the deadline; and only if the next one is at pc + 4: not if
     * npc is not pc + 4 (after a branch whose delay slot starts the run, or
     * as the monitor may leave it), which makes this instruction the run's
     * slot. A branch among them that is taken cuts the run to its delay
     * slot (BRANCH). */
#define START_RUN()                                                                             \
    do {                                                                                        \
        uint64_t budget_ = fast_budget(c->deadline, cycles, pc, seq_mask);                      \
        run_op = op;                                                                            \
        run_pc = pc;                                                                            \
        run_cycles = cycles;                                                                    \
        slot_op = NULL;                                                                         \
        if (unlikely(delay || npc != pc + 4)) {                                                 \
            slot_op = op;                                                                       \
            slot_delay = delay;                                                                 \
            slot_next = npc;                                                                    \
            if (npc != pc + 4)                                                                  \
                budget_ = 0;                                                                    \
        }                                                                                       \
        run_last = op + budget_;                                                                \
        DISPATCH();                                                                             \
    } while (0)

    RELOAD();
    if (c->fetch_vbase != TC_INVALID) {
        page_pa = c->fetch_ppage;
        page = fast_page(m, page_pa, labels[FK_DECODE]);
        if (!page)
            goto l_nomem;
    }

l_top:
    FULL_FETCH();

l_fetch_line: {
    /* A fetch from another line than the last (FULL_FETCH) that is not a
     * hit in a 2-way cache: exec.c's cache_access(), and the line. */
    uint32_t fpa = page_pa | (pc & (MIPS_PAGE_SIZE - 1));
    CACHE(fpa, false);
    c->fetch_line = fpa >> line_shift;
    op = &page->op[(pc & (MIPS_PAGE_SIZE - 1)) >> 2];
    word = ram + page_pa + (pc & (MIPS_PAGE_SIZE - 1));
}
l_fetched:
    START_RUN();

l_leave: {
    /* The end of a run (NEXT): the line (page) ends, a branch was taken,
     * or the deadline is near. What the full fetch would find is mostly
     * known here, so the next instruction starts the next run right away
     * if it is in the same page, is not a delay slot, and is either in
     * the fetch line or a hit in a 2-way cache (which it then records as
     * exec.c's cache_access() would: the hit, the MRU way, the fetch
     * line); otherwise the state is worked out (END_STATE) and l_top makes
     * the full fetch. */
    uint32_t next_pc;
    if (op == slot_op)
        next_pc = slot_next; /* a taken branch's delay slot, and npc = next_pc + 4 */
    else if (op + 1 == slot_op)
        goto l_leave_full; /* a branch at the end of the line: its delay slot is next */
    else
        next_pc = OP_PC() + 4;
    uint64_t now = run_cycles + (uint32_t)(op - run_op) + 1;
    uint64_t deadline = c->deadline;
    if (unlikely(now >= deadline || (next_pc & ~(MIPS_PAGE_SIZE - 4)) != c->fetch_vbase))
        goto l_leave_full;
    FETCH_LINE(next_pc, l_leave_full);
    op = &page->op[(next_pc & (MIPS_PAGE_SIZE - 1)) >> 2];
    word = ram + page_pa + (next_pc & (MIPS_PAGE_SIZE - 1));
    run_last = op + fast_budget(deadline, now, next_pc, seq_mask);
    run_op = op;
    run_pc = next_pc;
    run_cycles = now;
    slot_op = NULL;
    DISPATCH();
}
l_leave_full:
    END_STATE();
    c->cur_insn = op->insn;
    goto l_top;

l_redecode:
    /* The word at op is not what it was decoded from (DISPATCH). */
    fast_fill(op, ld32(word), labels);
    goto *op->h;

l_fetch_slow: {
    /* exec.c's mem_fetch_slow(): translation, TLB and address exceptions,
     * uncached fetches. */
    uint32_t insn;
    SYNC();
    bool ok = mem_fetch_slow(c, pc, &insn);
    RELOAD();
    if (!ok)
        goto l_top;
    if ((pc & ~(MIPS_PAGE_SIZE - 4)) == c->fetch_vbase) {
        /* A cached page: it is the fetch page now. The fetch has been
         * made (and its line recorded): execute the instruction even if the
         * fetch's stall took the clock past the deadline, as exec.c does. */
        page_pa = c->fetch_ppage;
        page = fast_page(m, page_pa, labels[FK_DECODE]);
        if (!page)
            goto l_nomem;
        op = &page->op[(pc & (MIPS_PAGE_SIZE - 1)) >> 2];
        word = ram + page_pa + (pc & (MIPS_PAGE_SIZE - 1));
        goto l_fetched;
    }
    /* Uncached (kseg1): executed the reference way, fetched each time. */
    c->cur_pc = pc;
    c->cur_delay = delay;
    c->cur_insn = insn;
    c->delay = false;
    c->pc = npc;
    c->npc = npc + 4;
    c->cycles++;
    c->insns++;
    exec_insn(c, insn);
    c->gpr[0] = 0;
    RELOAD();
    goto l_top;
}

l_decode:
    fast_fill(op, op->insn, labels);
    goto *op->h;

l_generic:
    /* No fast path: exec.c's own code, on the CPU's written-back state. */
    SYNC_OP();
    exec_insn(c, op->insn);
    c->gpr[0] = 0;
    RELOAD();
    goto l_top;

l_out:
    SYNC();
    return;

l_nomem:
    SYNC();
    sim_request_stop(m, SIM_STOP_ERROR, SIM_EXIT_ERROR, "out of host memory for decoded instructions");
    return;

    /* ---- the handlers: exec.c's code on the fields of the decoded
     * instruction (RS = r[rs] and so on). A handler that finds a reason
     * not to complete (an overflow, a page not in the translation cache)
     * goes to l_generic before changing anything. */
#define RS r[op->rs]
#define RT r[op->rt]
#define RD r[op->rd]
#define SIMM ((uint32_t)insn_simm(op->insn))
#define IMM insn_imm(op->insn)
#define BTARGET (OP_PC() + 4 + (SIMM << 2))
    /* exec.c's branch() and branch_likely(), on the run: the delay slot
     * is the next word, and becomes the run's slot, whose pc after
     * dispatch is the target if the branch is taken and the word after it
     * if not. When the branch is taken the instruction after the delay
     * slot is not the next word, so the run is cut to the delay slot at
     * most. A branch-likely that is not taken skips its delay slot: the
     * next fetch is the full one. A branch that is itself the run's slot
     * (in a delay slot, or where the monitor left npc elsewhere) is left to
     * exec.c (BRANCH_CHECK, at the top of every branch's handler, before it
     * changes anything): after it the state is exec.c's own, not what the
     * run's slot can describe. */
#define BRANCH_CHECK()                                                                          \
    do {                                                                                        \
        if (unlikely(op == slot_op))                                                            \
            goto l_generic;                                                                     \
    } while (0)
    /* The delay slot after the branch at op, whose dispatch goes to next. */
#define DELAY_SLOT(next)                                                                        \
    do {                                                                                        \
        slot_op = op + 1;                                                                       \
        slot_delay = true;                                                                      \
        slot_next = (next);                                                                     \
    } while (0)
    /* A taken branch: its target after the delay slot, which ends the run. */
#define TAKEN(target)                                                                           \
    do {                                                                                        \
        DELAY_SLOT(target);                                                                     \
        if (run_last > op + 1)                                                                  \
            run_last = op + 1;                                                                  \
        NEXT();                                                                                 \
    } while (0)
#define BRANCH(cond, target)                                                                    \
    do {                                                                                        \
        if (cond)                                                                               \
            TAKEN(target);                                                                      \
        DELAY_SLOT(OP_PC() + 8);                                                                \
        NEXT();                                                                                 \
    } while (0)
#define BRANCH_LIKELY(cond, target)                                                             \
    do {                                                                                        \
        if (cond)                                                                               \
            TAKEN(target);                                                                      \
        MID_STATE();                                                                            \
        pc = npc;                                                                               \
        npc = pc + 4;                                                                           \
        c->cur_insn = op->insn;                                                                 \
        goto l_top;                                                                             \
    } while (0)

l_nop: NEXT();
l_sll: RD = RT << op->sa; NEXT();
l_srl: RD = RT >> op->sa; NEXT();
l_sra: RD = (uint32_t)((int32_t)RT >> op->sa); NEXT();
l_sllv: RD = RT << (RS & 31); NEXT();
l_srlv: RD = RT >> (RS & 31); NEXT();
l_srav: RD = (uint32_t)((int32_t)RT >> (RS & 31)); NEXT();
l_jr: BRANCH_CHECK(); BRANCH(true, RS);
l_jalr: {
    BRANCH_CHECK();
    uint32_t a = RS; /* read before rd is written: rd may be rs */
    RD = OP_PC() + 8;
    r[0] = 0;
    BRANCH(true, a);
}
l_movz: if (RT == 0) RD = RS; NEXT();
l_movn: if (RT != 0) RD = RS; NEXT();
l_mfhi: RD = c->hi; NEXT();
l_mthi: c->hi = RS; NEXT();
l_mflo: RD = c->lo; NEXT();
l_mtlo: c->lo = RS; NEXT();
l_mult: hilo_set(c, mul_signed(RS, RT)); NEXT();
l_multu: hilo_set(c, mul_unsigned(RS, RT)); NEXT();
l_div: hilo_div(c, RS, RT); NEXT();   /* exec.c's, from internal.h */
l_divu: hilo_divu(c, RS, RT); NEXT();
l_add: {
    int32_t res;
    if (__builtin_add_overflow((int32_t)RS, (int32_t)RT, &res))
        goto l_generic; /* raises Ov */
    RD = (uint32_t)res;
    NEXT_W();
}
l_addu: RD = RS + RT; NEXT();
l_sub: {
    int32_t res;
    if (__builtin_sub_overflow((int32_t)RS, (int32_t)RT, &res))
        goto l_generic; /* raises Ov */
    RD = (uint32_t)res;
    NEXT_W();
}
l_subu: RD = RS - RT; NEXT();
l_and: RD = RS & RT; NEXT();
l_or: RD = RS | RT; NEXT();
l_xor: RD = RS ^ RT; NEXT();
l_nor: RD = ~(RS | RT); NEXT();
l_slt: RD = (int32_t)RS < (int32_t)RT; NEXT();
l_sltu: RD = RS < RT; NEXT();

    /* REGIMM: the register is read before $31 is written (it may be $31). */
l_bltz: BRANCH_CHECK(); BRANCH((int32_t)RS < 0, BTARGET);
l_bgez: BRANCH_CHECK(); BRANCH((int32_t)RS >= 0, BTARGET);
l_bltzl: BRANCH_CHECK(); BRANCH_LIKELY((int32_t)RS < 0, BTARGET);
l_bgezl: BRANCH_CHECK(); BRANCH_LIKELY((int32_t)RS >= 0, BTARGET);
l_bltzal: {
    BRANCH_CHECK();
    bool taken = (int32_t)RS < 0;
    r[31] = OP_PC() + 8;
    BRANCH(taken, BTARGET);
}
l_bgezal: {
    BRANCH_CHECK();
    bool taken = (int32_t)RS >= 0;
    r[31] = OP_PC() + 8;
    BRANCH(taken, BTARGET);
}
l_bltzall: {
    BRANCH_CHECK();
    bool taken = (int32_t)RS < 0;
    r[31] = OP_PC() + 8;
    BRANCH_LIKELY(taken, BTARGET);
}
l_bgezall: {
    BRANCH_CHECK();
    bool taken = (int32_t)RS >= 0;
    r[31] = OP_PC() + 8;
    BRANCH_LIKELY(taken, BTARGET);
}
l_j: BRANCH_CHECK(); BRANCH(true, ((OP_PC() + 4) & 0xF0000000u) | (insn_target(op->insn) << 2));
l_jal:
    BRANCH_CHECK();
    r[31] = OP_PC() + 8;
    BRANCH(true, ((OP_PC() + 4) & 0xF0000000u) | (insn_target(op->insn) << 2));
l_beq: BRANCH_CHECK(); BRANCH(RS == RT, BTARGET);
l_bne: BRANCH_CHECK(); BRANCH(RS != RT, BTARGET);
l_blez: BRANCH_CHECK(); BRANCH((int32_t)RS <= 0, BTARGET);
l_bgtz: BRANCH_CHECK(); BRANCH((int32_t)RS > 0, BTARGET);
l_beql: BRANCH_CHECK(); BRANCH_LIKELY(RS == RT, BTARGET);
l_bnel: BRANCH_CHECK(); BRANCH_LIKELY(RS != RT, BTARGET);
l_blezl: BRANCH_CHECK(); BRANCH_LIKELY((int32_t)RS <= 0, BTARGET);
l_bgtzl: BRANCH_CHECK(); BRANCH_LIKELY((int32_t)RS > 0, BTARGET);

l_addi: {
    int32_t res;
    if (__builtin_add_overflow((int32_t)RS, insn_simm(op->insn), &res))
        goto l_generic; /* raises Ov */
    RT = (uint32_t)res;
    NEXT_W();
}
l_addiu: RT = RS + SIMM; NEXT();
l_slti: RT = (int32_t)RS < insn_simm(op->insn); NEXT();
l_sltiu: RT = RS < SIMM; NEXT();
l_andi: RT = RS & IMM; NEXT();
l_ori: RT = RS | IMM; NEXT();
l_xori: RT = RS ^ IMM; NEXT();
l_lui: RT = IMM << 16; NEXT();

l_madd: hilo_set(c, hilo_get(c) + mul_signed(RS, RT)); NEXT();
l_maddu: hilo_set(c, hilo_get(c) + mul_unsigned(RS, RT)); NEXT();
l_msub: hilo_set(c, hilo_get(c) - mul_signed(RS, RT)); NEXT();
l_msubu: hilo_set(c, hilo_get(c) - mul_unsigned(RS, RT)); NEXT();
l_mul: RD = (uint32_t)((int32_t)RS * (int64_t)(int32_t)RT); NEXT();
l_clz: RD = RS ? (uint32_t)__builtin_clz(RS) : 32; NEXT();
l_clo: RD = ~RS ? (uint32_t)__builtin_clz(~RS) : 32; NEXT();

    /* Loads and stores: exec.c's load() and store() fast paths (a page in
     * the translation cache, an aligned address); anything else goes to
     * exec_insn(), which tries the same fast path, fails it the same way
     * and takes mem_load() or mem_store(). exec.c asks the cache model
     * first and moves the data after; here the data moves first, which
     * lets the host start the access sooner. Nobody can tell the
     * difference: the cache model keeps tags only and never reads or
     * writes memory or registers, and breaking other CPUs' LL links
     * touches neither memory nor the cache. So a load also writes its
     * register before the cache model hears of the access: a miss (MISS)
     * then keeps nothing live across the call to cache_miss(), which lets
     * the host compiler keep the hit path in registers. After a miss, the
     * next fetch is the full one, since the miss may have moved the
     * deadline (IP5) or evicted the fetch line.
     *
     * Before all that, the memo (MEMO): if the instruction's last hit was
     * in this CPU's current memo epoch and in the same virtual line, then
     * since that hit neither the translation cache nor the cache tags have
     * changed (fast_forget()), so exec.c would find the same translation
     * and hit the same way of the same set again: only the MRU bit is set,
     * as cache_hit() does. A store's memo is made by a store's hit, on a
     * line held dirty, so it is a write hit too; a misaligned address
     * fails the memo and takes the path above. */
#define MISS(pa, write)                                                                         \
    do {                                                                                        \
        SYNC_OP();                                                                              \
        cache_miss(c, (pa), (write));                                                           \
        RELOAD();                                                                               \
        NEXT_FULL();                                                                            \
    } while (0)
    /* The instruction's memo holds for an access of size bytes at va. */
#define MEMO_HIT(va, size)                                                                      \
    (op->m_epoch == c->memo_epoch && ((va) >> line_shift) == op->m_vline &&                     \
     ((va) & ((size) - 1)) == 0)
    /* ...and what cache_hit() does on that hit: the MRU way. */
#define MEMO_MRU() (mru[op->m_set & ~FAST_WAY1] = (uint8_t)(op->m_set >> 31))
#define LOAD(size, ld)                                                                          \
    do {                                                                                        \
        uint32_t va = RS + SIMM;                                                                \
        if (likely(MEMO_HIT(va, size))) {                                                       \
            const uint8_t *p = ram + (op->m_pa | (va & line_mask));                             \
            RT = (ld);                                                                          \
            MEMO_MRU();                                                                         \
            NEXT_W();                                                                           \
        }                                                                                       \
        uint32_t vp = va >> MIPS_PAGE_SHIFT;                                                    \
        const struct tc_entry *e = &c->tc_read[vp & (TC_SIZE - 1)];                             \
        if (unlikely(e->vpage != vp || (va & ((size) - 1)) != 0 || !fast_mem))                  \
            goto l_generic;                                                                     \
        uint32_t pa = e->ppage | (va & (MIPS_PAGE_SIZE - 1));                                   \
        const uint8_t *p = ram + pa;                                                            \
        RT = (ld);                                                                              \
        if (cache_on) {                                                                         \
            int way = HIT_WAY(pa, false);                                                       \
            if (unlikely(way < 0))                                                              \
                MISS(pa, false);                                                                \
            MEMO(va, pa, way);                                                                  \
        }                                                                                       \
        NEXT_W();                                                                               \
    } while (0)
#define STORE(size, st)                                                                         \
    do {                                                                                        \
        uint32_t va = RS + SIMM;                                                                \
        uint32_t v = RT;                                                                        \
        if (likely(MEMO_HIT(va, size))) {                                                       \
            uint32_t pa = op->m_pa | (va & line_mask);                                          \
            uint8_t *p = ram + pa;                                                              \
            st;                                                                                 \
            if (unlikely(m->ll_mask & ~(1u << c->id)))                                          \
                mem_ll_break(m, c->id, pa >> line_shift);                                       \
            MEMO_MRU();                                                                         \
            NEXT();                                                                             \
        }                                                                                       \
        uint32_t vp = va >> MIPS_PAGE_SHIFT;                                                    \
        const struct tc_entry *e = &c->tc_write[vp & (TC_SIZE - 1)];                            \
        if (unlikely(e->vpage != vp || (va & ((size) - 1)) != 0 || !fast_mem))                  \
            goto l_generic;                                                                     \
        uint32_t pa = e->ppage | (va & (MIPS_PAGE_SIZE - 1));                                   \
        uint8_t *p = ram + pa;                                                                  \
        st;                                                                                     \
        if (unlikely(m->ll_mask & ~(1u << c->id)))                                              \
            mem_ll_break(m, c->id, pa >> line_shift);                                           \
        if (cache_on) {                                                                         \
            int way = HIT_WAY(pa, true);                                                        \
            if (unlikely(way < 0))                                                              \
                MISS(pa, true);                                                                 \
            MEMO(va, pa, way);                                                                  \
        }                                                                                       \
        NEXT();                                                                                 \
    } while (0)
    /* A load or store that hit records it in its memo: the line's virtual
     * and physical addresses and where the cache model keeps it. */
#define MEMO(va, pa, way)                                                                       \
    do {                                                                                        \
        op->m_epoch = c->memo_epoch;                                                            \
        op->m_vline = (va) >> line_shift;                                                       \
        op->m_pa = (pa) & ~line_mask;                                                           \
        op->m_set = (((pa) >> line_shift) & set_mask) | (way ? FAST_WAY1 : 0);                  \
    } while (0)

l_lb: LOAD(1, (uint32_t)(int8_t)p[0]);
l_lh: LOAD(2, (uint32_t)(int16_t)ld16(p));
l_lw: LOAD(4, ld32(p));
l_lbu: LOAD(1, p[0]);
l_lhu: LOAD(2, ld16(p));
l_sb: STORE(1, p[0] = (uint8_t)v);
l_sh: STORE(2, st16(p, (uint16_t)v));
l_sw: STORE(4, st32(p, v));

#undef SYNC
#undef SYNC_OP
#undef RELOAD
#undef NEXT
#undef FULL_FETCH
#undef START_RUN
#undef DISPATCH
#undef MID_STATE
#undef END_STATE
#undef OP_PC
#undef BRANCH_CHECK
#undef LEAVE
#undef NEXT_W
#undef NEXT_FULL
#undef CACHE
#undef HIT
#undef HIT_WAY
#undef MEMO
#undef MEMO_HIT
#undef MEMO_MRU
#undef FETCH_LINE
#undef DELAY_SLOT
#undef TAKEN
#undef MISS
#undef RS
#undef RT
#undef RD
#undef SIMM
#undef IMM
#undef BTARGET
#undef BRANCH
#undef BRANCH_LIKELY
#undef LOAD
#undef STORE
}
