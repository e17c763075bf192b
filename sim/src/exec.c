/*
 * exec.c - the MIPS32 Release 1 integer instruction set.
 *
 * One decoder: exec_one() switches on the major opcode, and each instruction
 * class (SPECIAL, REGIMM, SPECIAL2, COP0, loads and stores) has a function
 * with a switch of its own, in the manner of Linux's MIPS KVM emulate.c.
 * Field extraction is in insn.h, shared with the disassembler.
 *
 * Branches and jumps have one delay slot. The CPU keeps pc (the next
 * instruction) and npc (the one after); a taken branch sets npc to its
 * target, so the delay-slot instruction runs first. Branch-likely
 * instructions that are not taken skip (nullify) their delay slot.
 *
 * Any instruction may raise an exception; when it does, it changes no
 * register, and the exception code in cpu.c has already redirected pc.
 */
#include <inttypes.h>

#include "insn.h"
#include "internal.h"

/* ---- fast paths for memory access ------------------------------------- */

static inline bool load(struct cpu *c, uint32_t va, unsigned size, uint32_t *out)
{
    uint32_t vp = va >> MIPS_PAGE_SHIFT;
    const struct tc_entry *e = &c->tc_read[vp & (TC_SIZE - 1)];
    if (likely(e->vpage == vp && (va & (size - 1)) == 0)) {
        uint32_t pa = e->ppage | (va & (MIPS_PAGE_SIZE - 1));
        if (c->cache_on)
            cache_access(c, pa, false);
        const uint8_t *p = c->ram + pa;
        *out = size == 4 ? ld32(p) : size == 2 ? ld16(p) : p[0];
        return true;
    }
    return mem_load(c, va, size, out);
}

static inline bool store(struct cpu *c, uint32_t va, unsigned size, uint32_t v)
{
    uint32_t vp = va >> MIPS_PAGE_SHIFT;
    const struct tc_entry *e = &c->tc_write[vp & (TC_SIZE - 1)];
    if (likely(e->vpage == vp && (va & (size - 1)) == 0)) {
        struct sim *m = c->m;
        uint32_t pa = e->ppage | (va & (MIPS_PAGE_SIZE - 1));
        if (c->cache_on)
            cache_access(c, pa, true);
        if (unlikely(m->ll_mask & ~(1u << c->id)))
            mem_ll_break(m, c->id, pa >> m->line_shift);
        uint8_t *p = c->ram + pa;
        if (size == 4)
            st32(p, v);
        else if (size == 2)
            st16(p, (uint16_t)v);
        else
            p[0] = (uint8_t)v;
        return true;
    }
    return mem_store(c, va, size, v);
}

/* ---- helpers ------------------------------------------------------------ */

static inline void branch(struct cpu *c, bool taken, uint32_t target)
{
    if (taken)
        c->npc = target;
    c->delay = true;
}

/* Branch likely: the delay slot runs only when the branch is taken. */
static inline void branch_likely(struct cpu *c, bool taken, uint32_t target)
{
    if (taken) {
        c->npc = target;
        c->delay = true;
    } else {
        c->pc = c->npc;
        c->npc = c->pc + 4;
    }
}

static inline uint32_t branch_target(const struct cpu *c, uint32_t insn)
{
    return c->cur_pc + 4 + ((uint32_t)insn_simm(insn) << 2);
}

static bool cp0_usable(const struct cpu *c)
{
    return c->mode == MODE_KERNEL || (c->status & ST_CU0);
}

static void reserved(struct cpu *c)
{
    cpu_exception(c, EXC_RI, 0);
}

static void trap_if(struct cpu *c, bool cond)
{
    if (cond)
        cpu_exception(c, EXC_TR, 0);
}

/* ---- SPECIAL (opcode 0) ------------------------------------------------- */

static void exec_special(struct cpu *c, uint32_t insn)
{
    uint32_t *r = c->gpr;
    unsigned rs = insn_rs(insn), rt = insn_rt(insn), rd = insn_rd(insn), sa = insn_sa(insn);
    uint32_t a = r[rs], b = r[rt];
    int32_t res;

    switch (insn_funct(insn)) {
    case 0x00: r[rd] = b << sa; break;                                   /* sll (nop, ssnop, ehb) */
    case 0x01: cpu_cpu_exception(c, 1); break;                           /* movci: FPU */
    case 0x02: if (rs) reserved(c); else r[rd] = b >> sa; break;         /* srl (rotr is Release 2) */
    case 0x03: r[rd] = (uint32_t)((int32_t)b >> sa); break;              /* sra */
    case 0x04: r[rd] = b << (a & 31); break;                             /* sllv */
    case 0x06: if (sa) reserved(c); else r[rd] = b >> (a & 31); break;   /* srlv */
    case 0x07: r[rd] = (uint32_t)((int32_t)b >> (a & 31)); break;        /* srav */
    case 0x08: branch(c, true, a); break;                                /* jr */
    case 0x09: r[rd] = c->cur_pc + 8; branch(c, true, a); break;         /* jalr */
    case 0x0A: if (b == 0) r[rd] = a; break;                             /* movz */
    case 0x0B: if (b != 0) r[rd] = a; break;                             /* movn */
    case 0x0C: cpu_exception(c, EXC_SYS, 0); break;                      /* syscall */
    case 0x0D: cpu_exception(c, EXC_BP, 0); break;                       /* break */
    case 0x0F: break;                                                    /* sync */
    case 0x10: r[rd] = c->hi; break;                                     /* mfhi */
    case 0x11: c->hi = a; break;                                         /* mthi */
    case 0x12: r[rd] = c->lo; break;                                     /* mflo */
    case 0x13: c->lo = a; break;                                         /* mtlo */
    case 0x18: hilo_set(c, mul_signed(a, b)); break;                     /* mult */
    case 0x19: hilo_set(c, mul_unsigned(a, b)); break;                   /* multu */
    case 0x1A: hilo_div(c, a, b); break;                                 /* div (internal.h) */
    case 0x1B: hilo_divu(c, a, b); break;                                /* divu */
    case 0x20:                                                           /* add */
        if (__builtin_add_overflow((int32_t)a, (int32_t)b, &res))
            cpu_exception(c, EXC_OV, 0);
        else
            r[rd] = (uint32_t)res;
        break;
    case 0x21: r[rd] = a + b; break;                                     /* addu */
    case 0x22:                                                           /* sub */
        if (__builtin_sub_overflow((int32_t)a, (int32_t)b, &res))
            cpu_exception(c, EXC_OV, 0);
        else
            r[rd] = (uint32_t)res;
        break;
    case 0x23: r[rd] = a - b; break;                                     /* subu */
    case 0x24: r[rd] = a & b; break;                                     /* and */
    case 0x25: r[rd] = a | b; break;                                     /* or */
    case 0x26: r[rd] = a ^ b; break;                                     /* xor */
    case 0x27: r[rd] = ~(a | b); break;                                  /* nor */
    case 0x2A: r[rd] = (int32_t)a < (int32_t)b; break;                   /* slt */
    case 0x2B: r[rd] = a < b; break;                                     /* sltu */
    case 0x30: trap_if(c, (int32_t)a >= (int32_t)b); break;              /* tge */
    case 0x31: trap_if(c, a >= b); break;                                /* tgeu */
    case 0x32: trap_if(c, (int32_t)a < (int32_t)b); break;               /* tlt */
    case 0x33: trap_if(c, a < b); break;                                 /* tltu */
    case 0x34: trap_if(c, a == b); break;                                /* teq */
    case 0x36: trap_if(c, a != b); break;                                /* tne */
    default: reserved(c); break;
    }
}

/* ---- REGIMM (opcode 1): branches on sign, and trap-immediate ------------ */

static void exec_regimm(struct cpu *c, uint32_t insn)
{
    uint32_t a = c->gpr[insn_rs(insn)];
    int32_t sa = (int32_t)a;
    int32_t imm = insn_simm(insn);
    uint32_t target = branch_target(c, insn);

    switch (insn_rt(insn)) {
    case 0x00: branch(c, sa < 0, target); break;                         /* bltz */
    case 0x01: branch(c, sa >= 0, target); break;                        /* bgez */
    case 0x02: branch_likely(c, sa < 0, target); break;                  /* bltzl */
    case 0x03: branch_likely(c, sa >= 0, target); break;                 /* bgezl */
    case 0x08: trap_if(c, sa >= imm); break;                             /* tgei */
    case 0x09: trap_if(c, a >= (uint32_t)imm); break;                    /* tgeiu */
    case 0x0A: trap_if(c, sa < imm); break;                              /* tlti */
    case 0x0B: trap_if(c, a < (uint32_t)imm); break;                     /* tltiu */
    case 0x0C: trap_if(c, sa == imm); break;                             /* teqi */
    case 0x0E: trap_if(c, sa != imm); break;                             /* tnei */
    case 0x10: c->gpr[31] = c->cur_pc + 8; branch(c, sa < 0, target); break;        /* bltzal */
    case 0x11: c->gpr[31] = c->cur_pc + 8; branch(c, sa >= 0, target); break;       /* bgezal */
    case 0x12: c->gpr[31] = c->cur_pc + 8; branch_likely(c, sa < 0, target); break; /* bltzall */
    case 0x13: c->gpr[31] = c->cur_pc + 8; branch_likely(c, sa >= 0, target); break;/* bgezall */
    default: reserved(c); break;
    }
}

/* ---- SPECIAL2 (opcode 0x1C): multiply-accumulate, mul, clz/clo ---------- */

static void exec_special2(struct cpu *c, uint32_t insn)
{
    uint32_t *r = c->gpr;
    uint32_t a = r[insn_rs(insn)], b = r[insn_rt(insn)];
    uint64_t acc = hilo_get(c);

    switch (insn_funct(insn)) {
    case 0x00: acc += mul_signed(a, b); break;                               /* madd */
    case 0x01: acc += mul_unsigned(a, b); break;                             /* maddu */
    case 0x02: r[insn_rd(insn)] = (uint32_t)((int32_t)a * (int64_t)(int32_t)b); return; /* mul */
    case 0x04: acc -= mul_signed(a, b); break;                               /* msub */
    case 0x05: acc -= mul_unsigned(a, b); break;                             /* msubu */
    case 0x20: r[insn_rd(insn)] = a ? (uint32_t)__builtin_clz(a) : 32; return;   /* clz */
    case 0x21: r[insn_rd(insn)] = ~a ? (uint32_t)__builtin_clz(~a) : 32; return; /* clo */
    default: reserved(c); return;
    }
    hilo_set(c, acc);
}

/* ---- COP0 (opcode 0x10): privileged instructions ------------------------- */

static void exec_tlb_write(struct cpu *c, int index)
{
    tlb_write(c, index, c->entryhi, c->entrylo0, c->entrylo1);
}

static void exec_cop0(struct cpu *c, uint32_t insn)
{
    if (!cp0_usable(c)) {
        cpu_cpu_exception(c, 0);
        return;
    }
    unsigned rs = insn_rs(insn);
    if (rs == 0x00) {                                                    /* mfc0 */
        c->gpr[insn_rt(insn)] = cp0_read(c, (int)insn_rd(insn), (int)(insn & 7));
        return;
    }
    if (rs == 0x04) {                                                    /* mtc0 */
        cp0_write(c, (int)insn_rd(insn), (int)(insn & 7), c->gpr[insn_rt(insn)]);
        return;
    }
    if (!(rs & 0x10)) {
        reserved(c);
        return;
    }
    switch (insn_funct(insn)) {
    case 0x01: {                                                         /* tlbr */
        const struct tlb_entry *e = &c->tlb[c->index & (MIPS_TLB_ENTRIES - 1)];
        uint32_t g = e->global ? ENTRYLO_G : 0;
        uint32_t old = c->entryhi;
        c->entryhi = e->hi;
        c->entrylo0 = e->lo[0] | g;
        c->entrylo1 = e->lo[1] | g;
        if ((old ^ c->entryhi) & ENTRYHI_ASID_MASK)
            tc_flush(c);
        break;
    }
    case 0x02: exec_tlb_write(c, (int)(c->index & (MIPS_TLB_ENTRIES - 1))); break; /* tlbwi */
    case 0x06: exec_tlb_write(c, (int)cp0_random(c)); break;                     /* tlbwr */
    case 0x08: {                                                         /* tlbp */
        int i = tlb_probe(c, c->entryhi);
        c->index = i < 0 ? INDEX_P : (uint32_t)i;
        break;
    }
    case 0x18:                                                           /* eret */
        if (c->cur_delay)
            reserved(c);
        else
            cpu_eret(c);
        break;
    case 0x20:                                                           /* wait */
        c->state = CPU_WAIT;
        cpu_set_category(c, TIME_IDLE);
        c->deadline = 0;
        break;
    default: reserved(c); break;
    }
}

/* ---- loads and stores ---------------------------------------------------- */

static void exec_lwl_lwr(struct cpu *c, uint32_t insn, bool left)
{
    uint32_t va = c->gpr[insn_rs(insn)] + (uint32_t)insn_simm(insn);
    uint32_t byte, word;
    /* Touch the addressed byte first, so that a fault reports this va. */
    if (!load(c, va, 1, &byte) || !load(c, va & ~3u, 4, &word))
        return;
    unsigned k = va & 3;
    uint32_t *rt = &c->gpr[insn_rt(insn)];
    if (left) {
        unsigned sh = 8 * (3 - k);
        uint32_t keep = k == 3 ? 0 : 0xFFFFFFFFu >> (8 * (k + 1));
        *rt = (*rt & keep) | (word << sh);
    } else {
        unsigned sh = 8 * k;
        uint32_t keep = k == 0 ? 0 : 0xFFFFFFFFu << (8 * (4 - k));
        *rt = (*rt & keep) | (word >> sh);
    }
}

/* SWL stores the high bytes of rt up to the addressed byte; SWR the low bytes
 * from it. Bytes are stored one at a time, starting at va itself, so that a
 * fault reports va and happens before anything is written. */
static void exec_swl_swr(struct cpu *c, uint32_t insn, bool left)
{
    uint32_t va = c->gpr[insn_rs(insn)] + (uint32_t)insn_simm(insn);
    uint32_t v = c->gpr[insn_rt(insn)];
    uint32_t base = va & ~3u;
    unsigned k = va & 3;
    if (left) {
        for (int j = (int)k; j >= 0; j--)
            if (!store(c, base + (uint32_t)j, 1, v >> (8 * (3 - k + (unsigned)j))))
                return;
    } else {
        for (unsigned j = k; j < 4; j++)
            if (!store(c, base + j, 1, v >> (8 * (j - k))))
                return;
    }
}

static void exec_ll(struct cpu *c, uint32_t insn)
{
    uint32_t va = c->gpr[insn_rs(insn)] + (uint32_t)insn_simm(insn);
    uint32_t v;
    uint64_t pa;
    if (!mem_load_pa(c, va, 4, &v, &pa))
        return;
    c->gpr[insn_rt(insn)] = v;
    c->ll_bit = true;
    c->ll_line = (uint32_t)(pa >> c->m->line_shift);
    c->lladdr = (uint32_t)(pa >> 4);
    c->m->ll_mask |= 1u << c->id;
}

static void exec_sc(struct cpu *c, uint32_t insn)
{
    uint32_t va = c->gpr[insn_rs(insn)] + (uint32_t)insn_simm(insn);
    unsigned rt = insn_rt(insn);
    if (!c->ll_bit) {
        c->gpr[rt] = 0;
        return;
    }
    if (!store(c, va, 4, c->gpr[rt]))
        return;
    c->gpr[rt] = 1;
    c->ll_bit = false;
    c->m->ll_mask &= ~(1u << c->id);
}

static void exec_cache(struct cpu *c)
{
    /* CACHE is a no-op here (the model keeps tags only and is coherent with
     * DMA), but it is still privileged. */
    if (!cp0_usable(c))
        cpu_cpu_exception(c, 0);
}

/* ---- the decoder --------------------------------------------------------- */

/* Always inlined: into exec_run(), where it is the loop's body, and into
 * exec_insn() for the fast engine. */
static inline __attribute__((always_inline)) void exec_one(struct cpu *c, uint32_t insn)
{
    uint32_t *r = c->gpr;
    unsigned rs = insn_rs(insn), rt = insn_rt(insn);
    uint32_t a = r[rs];
    uint32_t va = a + (uint32_t)insn_simm(insn);
    uint32_t v;
    int32_t res;

    switch (insn_op(insn)) {
    case 0x00: exec_special(c, insn); break;
    case 0x01: exec_regimm(c, insn); break;
    case 0x02: branch(c, true, ((c->cur_pc + 4) & 0xF0000000u) | (insn_target(insn) << 2)); break; /* j */
    case 0x03:                                                                             /* jal */
        r[31] = c->cur_pc + 8;
        branch(c, true, ((c->cur_pc + 4) & 0xF0000000u) | (insn_target(insn) << 2));
        break;
    case 0x04: branch(c, a == r[rt], branch_target(c, insn)); break;                      /* beq */
    case 0x05: branch(c, a != r[rt], branch_target(c, insn)); break;                      /* bne */
    case 0x06: branch(c, (int32_t)a <= 0, branch_target(c, insn)); break;                 /* blez */
    case 0x07: branch(c, (int32_t)a > 0, branch_target(c, insn)); break;                  /* bgtz */
    case 0x08:                                                                             /* addi */
        if (__builtin_add_overflow((int32_t)a, insn_simm(insn), &res))
            cpu_exception(c, EXC_OV, 0);
        else
            r[rt] = (uint32_t)res;
        break;
    case 0x09: r[rt] = va; break;                                                          /* addiu */
    case 0x0A: r[rt] = (int32_t)a < insn_simm(insn); break;                                /* slti */
    case 0x0B: r[rt] = a < (uint32_t)insn_simm(insn); break;                               /* sltiu */
    case 0x0C: r[rt] = a & insn_imm(insn); break;                                          /* andi */
    case 0x0D: r[rt] = a | insn_imm(insn); break;                                          /* ori */
    case 0x0E: r[rt] = a ^ insn_imm(insn); break;                                          /* xori */
    case 0x0F: r[rt] = insn_imm(insn) << 16; break;                                        /* lui */
    case 0x10: exec_cop0(c, insn); break;
    case 0x11: case 0x13: cpu_cpu_exception(c, 1); break;                                 /* cop1, cop1x */
    case 0x12: cpu_cpu_exception(c, 2); break;                                             /* cop2 */
    case 0x14: branch_likely(c, a == r[rt], branch_target(c, insn)); break;               /* beql */
    case 0x15: branch_likely(c, a != r[rt], branch_target(c, insn)); break;               /* bnel */
    case 0x16: branch_likely(c, (int32_t)a <= 0, branch_target(c, insn)); break;          /* blezl */
    case 0x17: branch_likely(c, (int32_t)a > 0, branch_target(c, insn)); break;           /* bgtzl */
    case 0x1C: exec_special2(c, insn); break;
    case 0x20: if (load(c, va, 1, &v)) r[rt] = (uint32_t)(int8_t)v; break;                /* lb */
    case 0x21: if (load(c, va, 2, &v)) r[rt] = (uint32_t)(int16_t)v; break;               /* lh */
    case 0x22: exec_lwl_lwr(c, insn, true); break;                                         /* lwl */
    case 0x23: if (load(c, va, 4, &v)) r[rt] = v; break;                                   /* lw */
    case 0x24: if (load(c, va, 1, &v)) r[rt] = v; break;                                   /* lbu */
    case 0x25: if (load(c, va, 2, &v)) r[rt] = v; break;                                   /* lhu */
    case 0x26: exec_lwl_lwr(c, insn, false); break;                                        /* lwr */
    case 0x28: store(c, va, 1, r[rt]); break;                                              /* sb */
    case 0x29: store(c, va, 2, r[rt]); break;                                              /* sh */
    case 0x2A: exec_swl_swr(c, insn, true); break;                                         /* swl */
    case 0x2B: store(c, va, 4, r[rt]); break;                                              /* sw */
    case 0x2E: exec_swl_swr(c, insn, false); break;                                        /* swr */
    case 0x2F: exec_cache(c); break;                                                       /* cache */
    case 0x30: exec_ll(c, insn); break;                                                    /* ll */
    case 0x31: case 0x35: cpu_cpu_exception(c, 1); break;                                 /* lwc1, ldc1 */
    case 0x32: case 0x36: cpu_cpu_exception(c, 2); break;                                 /* lwc2, ldc2 */
    case 0x33: break;                                                                      /* pref */
    case 0x38: exec_sc(c, insn); break;                                                    /* sc */
    case 0x39: case 0x3D: cpu_cpu_exception(c, 1); break;                                 /* swc1, sdc1 */
    case 0x3A: case 0x3E: cpu_cpu_exception(c, 2); break;                                 /* swc2, sdc2 */
    default: reserved(c); break;
    }
}

static void trace_insn(struct cpu *c, uint32_t insn)
{
    char text[64];
    disasm(insn, c->cur_pc, text, sizeof text);
    fprintf(c->m->trace, "cpu%d %" PRIu64 " %08x: %08x  %s\n", c->id, c->cycles, c->cur_pc, insn,
            text);
}

/* One instruction, already fetched and with pc advanced past it: what the
 * fast engine (fast.c) does with every instruction it has no fast path for. */
void exec_insn(struct cpu *c, uint32_t insn)
{
    exec_one(c, insn);
}

/* Run instructions until the CPU's clock reaches its deadline. This loop is
 * the reference model of the machine's CPU; the fast engine in fast.c must
 * give exactly the same run. */
void exec_run(struct cpu *c)
{
    /* The fast engine, unless gdb is stepping or watching for breakpoints
     * (cpu.c then runs one instruction at a time): the simple model is
     * the one to debug with. */
    if (c->fast && !c->m->gdb_armed) {
        fast_run(c);
        return;
    }
    const unsigned line_shift = c->m->line_shift;
    while (c->cycles < c->deadline) {
        uint32_t pc = c->pc;
        uint32_t insn;
        /* Fetch: the same page as last time needs no translation, the same
         * line no cache lookup. A misaligned pc never matches fetch_vbase. */
        if (likely((pc & ~(MIPS_PAGE_SIZE - 4)) == c->fetch_vbase)) {
            uint32_t pa = c->fetch_ppage | (pc & (MIPS_PAGE_SIZE - 1));
            if (c->cache_on && (pa >> line_shift) != c->fetch_line) {
                cache_access(c, pa, false);
                c->fetch_line = pa >> line_shift;
            }
            insn = ld32(c->ram + pa);
        } else if (!mem_fetch_slow(c, pc, &insn)) {
            continue;
        }
        c->cur_pc = pc;
        c->cur_delay = c->delay;
        c->cur_insn = insn;
        c->delay = false;
        c->pc = c->npc;
        c->npc += 4;
        c->cycles++;
        c->insns++;
        if (unlikely(c->trace_insn))
            trace_insn(c, insn);
        exec_one(c, insn);
        c->gpr[0] = 0;
    }
}
