/*
 * cpu.c - one CPU: its run loop, exceptions, interrupts and time accounting.
 *
 * The CPU is a simple in-order MIPS32: every instruction costs one cycle,
 * plus whatever the cache model charges for its fetch and data access
 * (MACHINE.md "Timing"). cpu_run() runs the CPU up to the end of the current
 * time slice; the instructions themselves are in exec.c.
 *
 * Exceptions follow the MIPS32 privileged architecture: the CPU records the
 * cause, the faulting PC (EPC, or the branch when the instruction sits in a
 * delay slot, with Cause.BD), sets Status.EXL, which forces kernel mode, and
 * jumps to a vector. If the machine has a host exception handler (the
 * monitor, see hostapi.h), the handler is called instead of executing from
 * the vector.
 */
#include <inttypes.h>

#include "internal.h"

void cpu_init(struct cpu *c, struct sim *m, int id)
{
    c->m = m;
    c->ram = m->ram;
    c->cache_on = m->cfg.cache_enabled;
    c->trace_insn = tracing(m, SIM_TRACE_INSN);
    /* The fast engine does not trace instructions: a traced run uses the
     * reference interpreter (the same run, so the same trace). */
    c->fast = m->cfg.engine == SIM_ENGINE_FAST && !c->trace_insn;
    c->id = id;
    c->state = CPU_OFF;
    c->cat = TIME_OFF;
    /* Reset state: kernel mode, BEV=1, ERL=0, interrupts off. */
    c->status = ST_BEV;
    c->mode = MODE_KERNEL;
    c->timer_at = UINT64_MAX;
    c->compare = 0;
    cp0_timer_update(c);
    c->fetch_line = LINE_NONE;
    c->ll_line = LINE_NONE;
    tlb_flush_all(c);
    c->tc_read = c->tc[c->mode].read;
    c->tc_write = c->tc[c->mode].write;
    fast_forget(c);
}

/* Move the cycles and instructions since the last call into the counters of
 * the current category and mode. Called before anything changes them. */
void cpu_account(struct cpu *c)
{
    c->st.cycles[c->cat] += c->cycles - c->acct_cycles;
    c->st.insns[c->mode] += c->insns - c->acct_insns;
    c->acct_cycles = c->cycles;
    c->acct_insns = c->insns;
}

void cpu_set_category(struct cpu *c, int cat)
{
    cpu_account(c);
    c->cat = cat;
}

static int status_mode(uint32_t status)
{
    if (status & (ST_EXL | ST_ERL))
        return MODE_KERNEL;
    switch ((status & ST_KSU_MASK) >> ST_KSU_SHIFT) {
    case 0: return MODE_KERNEL;
    case 1: return MODE_SUPERVISOR;
    default: return MODE_USER; /* 2, and the reserved 3 */
    }
}

/* Status changed: recompute the mode, and with it which translations are
 * allowed (the fast-path caches are kept per mode). */
void cpu_mode_changed(struct cpu *c)
{
    int mode = status_mode(c->status);
    if (mode == c->mode)
        return;
    cpu_account(c);
    c->mode = mode;
    if (c->cat <= TIME_KERNEL)
        c->cat = mode_category(mode);
    c->tc_read = c->tc[mode].read;
    c->tc_write = c->tc[mode].write;
    c->fetch_vbase = TC_INVALID;
    fast_forget(c);
}

/* Something about this CPU's interrupts changed: leave the inner loop so the
 * outer loop looks at them before the next instruction. */
void cpu_irq_changed(struct cpu *c)
{
    c->deadline = 0;
}

void cpu_set_ip(struct cpu *c, int line, bool level)
{
    uint32_t bit = 1u << (CAUSE_IP_SHIFT + line);
    uint32_t old = c->cause;
    if (level)
        c->cause |= bit;
    else
        c->cause &= ~bit;
    if (c->cause != old)
        cpu_irq_changed(c);
}

static void ll_clear(struct cpu *c)
{
    c->ll_bit = false;
    c->m->ll_mask &= ~(1u << c->id);
}

void cpu_eret(struct cpu *c)
{
    if (c->status & ST_ERL) {
        c->pc = c->errorepc;
        c->status &= ~ST_ERL;
    } else {
        c->pc = c->epc;
        c->status &= ~ST_EXL;
    }
    c->npc = c->pc + 4;
    c->delay = false;
    ll_clear(c);
    cpu_mode_changed(c);
    cpu_irq_changed(c);
}

/* The highest pending and enabled interrupt line, for the statistics. */
static int highest_irq(const struct cpu *c)
{
    uint32_t p = (c->cause & c->status & CAUSE_IP_MASK) >> CAUSE_IP_SHIFT;
    if (!p)
        p = (c->cause & CAUSE_IP_MASK) >> CAUSE_IP_SHIFT;
    for (int i = 7; i >= 0; i--)
        if (p & (1u << i))
            return i;
    return 0;
}

/* Take an exception. The faulting instruction is c->cur_pc (in a delay slot
 * if c->cur_delay). has_insn says c->cur_insn was fetched. */
static void take_exception(struct cpu *c, unsigned code, bool refill, bool has_insn, unsigned ce)
{
    struct sim *m = c->m;
    int mode_before = c->mode;
    bool exl_before = (c->status & ST_EXL) != 0;

    /* Every exception costs a cycle (the pipeline is flushed), so that even a
     * CPU that faults on every fetch makes progress in time. */
    c->cycles++;
    c->st.exceptions[code]++;
    if (code == EXC_INT)
        c->st.interrupts[highest_irq(c)]++;
    if (tracing(m, SIM_TRACE_EXC))
        fprintf(m->trace, "exc cpu%d cycle %" PRIu64 " %s pc %08x%s badvaddr %08x\n", c->id,
                c->cycles, mips_exc_name(code), c->cur_pc,
                c->cur_delay ? " (delay slot)" : "", c->badvaddr);

    ll_clear(c);
    /* With EXL already set, EPC and BD keep describing the first exception. */
    if (!exl_before) {
        if (c->cur_delay) {
            c->epc = c->cur_pc - 4;
            c->cause |= CAUSE_BD;
        } else {
            c->epc = c->cur_pc;
            c->cause &= ~CAUSE_BD;
        }
    }
    c->cause = (c->cause & ~(CAUSE_EXC_MASK | CAUSE_CE_MASK)) | (code << CAUSE_EXC_SHIFT) |
               (ce << CAUSE_CE_SHIFT);

    bool use_refill = refill && !exl_before;
    if ((c->status & ST_BEV) && !m->handler) {
        char msg[128];
        snprintf(msg, sizeof msg, "cpu%d: double fault: %s exception at pc %08x with Status.BEV=1",
                 c->id, mips_exc_name(code), c->cur_pc);
        sim_request_stop(m, SIM_STOP_DOUBLE_FAULT, SIM_EXIT_DOUBLE_FAULT, msg);
        return;
    }
    uint32_t base = (c->status & ST_BEV) ? 0xBFC00200u : 0x80000000u;
    c->pc = base + (use_refill ? 0 : 0x180);
    c->npc = c->pc + 4;
    c->delay = false;
    c->status |= ST_EXL;
    cpu_mode_changed(c);

    if (m->handler) {
        struct sim_exception e = {
            .cpu = c->id,
            .code = code,
            .refill = use_refill,
            .in_delay = (c->cause & CAUSE_BD) != 0,
            .epc = c->epc,
            .badvaddr = (code >= EXC_MOD && code <= EXC_ADES) ? c->badvaddr : 0,
            .insn = has_insn ? c->cur_insn : 0,
            .mode_before = (uint32_t)mode_before,
        };
        cpu_set_category(c, TIME_MONITOR);
        m->handler(m, &e, m->handler_arg);
        if (c->state == CPU_WAIT)
            cpu_set_category(c, TIME_IDLE);
        else if (c->state == CPU_OFF)
            cpu_set_category(c, TIME_OFF);
        else
            cpu_set_category(c, mode_category(c->mode));
        cpu_irq_changed(c);
    }
}

/* An exception raised by the instruction being executed. */
void cpu_exception(struct cpu *c, unsigned code, uint32_t badvaddr)
{
    if (code == EXC_ADEL || code == EXC_ADES)
        c->badvaddr = badvaddr;
    take_exception(c, code, false, true, 0);
}

/* A TLB exception on address va: BadVAddr, Context.BadVPN2 and EntryHi.VPN2
 * describe the page so that a refill handler can find its PTE. */
static void tlb_fault(struct cpu *c, unsigned code, uint32_t va, bool refill, bool has_insn)
{
    c->badvaddr = va;
    c->context = (c->context & CONTEXT_PTEBASE_MASK) | ((va >> 13) << 4);
    c->entryhi = (va & ENTRYHI_VPN2_MASK) | (c->entryhi & ENTRYHI_ASID_MASK);
    if (code == EXC_MOD)
        c->st.tlb_modified++;
    else if (refill)
        c->st.tlb_refill++;
    else
        c->st.tlb_invalid++;
    take_exception(c, code, refill, has_insn, 0);
}

void cpu_tlb_exception(struct cpu *c, unsigned code, uint32_t va, bool refill)
{
    tlb_fault(c, code, va, refill, true);
}

/* An exception on instruction fetch at c->pc: no instruction word. */
void cpu_fetch_exception(struct cpu *c, unsigned code, bool tlb, bool refill)
{
    c->cur_pc = c->pc;
    c->cur_delay = c->delay;
    c->cur_insn = 0;
    if (tlb) {
        tlb_fault(c, code, c->pc, refill, false);
    } else {
        c->badvaddr = c->pc;
        take_exception(c, code, false, false, 0);
    }
}

/* Coprocessor-unusable with Cause.CE = unit. */
void cpu_cpu_exception(struct cpu *c, unsigned unit)
{
    take_exception(c, EXC_CPU, false, true, unit);
}

static void timer_check(struct cpu *c)
{
    if (c->cycles >= c->timer_at) {
        cpu_set_ip(c, IRQ_TIMER, true);
        cp0_timer_update(c);
    }
}

/* Wait (WAIT instruction or monitor idle) until an interrupt is pending. */
static void idle_until(struct cpu *c, uint64_t end)
{
    uint64_t until = end < c->timer_at ? end : c->timer_at;
    if (until > c->cycles) {
        c->cycles = until;
        cpu_account(c);
    }
}

static void wake(struct cpu *c)
{
    c->state = CPU_RUN;
    cpu_set_category(c, mode_category(c->mode));
    if (c->host_idle) {
        /* The monitor idled this CPU: it hears about the wake-up as an
         * interrupt exception whatever Status says. */
        c->host_idle = false;
        c->cur_pc = c->pc;
        c->cur_delay = c->delay;
        take_exception(c, EXC_INT, false, false, 0);
    }
}

void exec_run(struct cpu *c); /* exec.c */

void cpu_run(struct cpu *c, uint64_t end)
{
    struct sim *m = c->m;
    while (c->cycles < end && !m->stop) {
        if (c->state == CPU_OFF) {
            c->cycles = end;
            cpu_account(c);
            break;
        }
        timer_check(c);
        if (c->state == CPU_WAIT) {
            if (c->cause & CAUSE_IP_MASK)
                wake(c);
            else
                idle_until(c, end);
            continue;
        }
        if (cp0_irq_ready(c)) {
            c->cur_pc = c->pc;
            c->cur_delay = c->delay;
            take_exception(c, EXC_INT, false, false, 0);
            continue;
        }
        c->deadline = end < c->timer_at ? end : c->timer_at;
        /* gdb (gdb.c): with breakpoints or a step armed, one instruction
         * at a time, each checked first; a stop may change the CPU. */
        if (unlikely(m->gdb_armed) && gdb_cpu_hook(c))
            continue;
        exec_run(c);
    }
}

/* Take the CPU out of reset at time `when` (its clock catches up, the gap
 * counted as off time). */
void cpu_start(struct cpu *c, uint64_t when, uint32_t pc, uint32_t status, uint32_t a0)
{
    cpu_account(c);
    if (c->cycles < when) {
        c->cycles = when;
        cpu_account(c);
    }
    c->state = CPU_RUN;
    c->host_idle = false;
    c->pc = pc;
    c->npc = pc + 4;
    c->delay = false;
    c->gpr[4] = a0;
    c->status = status;
    cpu_mode_changed(c);
    c->cat = mode_category(c->mode);
    cpu_irq_changed(c);
}

void cpu_stop(struct cpu *c)
{
    cpu_set_category(c, TIME_OFF);
    c->state = CPU_OFF;
    c->host_idle = false;
    ll_clear(c);
    cpu_irq_changed(c);
}
