/** @file
 * emulate.c - virtual CPUs: the monitor's trap handler, privileged
 * instruction emulation, and exception forwarding (lab 1).
 *
 * Paper section 4.2.1. The guest kernel runs directly on the CPU, in
 * supervisor mode, relocated into the supervisor segment (0xC0000000);
 * guest programs run in user mode. Whatever the guest may not do itself
 * traps here:
 *
 *   TLB refill        handed to l2tlb_miss() (lab 2): the relocated kernel
 *                     segment is mapped by the monitor; a user address is
 *                     looked up in the vCPU's second-level TLB, and
 *                     forwarded to the guest's refill handler if that misses
 *   CpU (CE = 0)      a privileged instruction in the guest kernel: emulated
 *                     here on the virtual CP0 (struct vcp0) and virtual TLB
 *   SYSCALL           from supervisor mode a monitor call (hcall.c); from
 *                     user mode a system call: forwarded
 *   anything else     forwarded to the guest, exactly as the real CPU would
 *                     have taken it
 *   interrupts        the monitor's own (IPIs it sends itself, hot pages);
 *                     virtual interrupts reach the guest through
 *                     emulate_resume()
 *
 * One decoder and one switch per instruction class, in the manner of
 * Linux's MIPS KVM (arch/mips/kvm/emulate.c). While a vCPU is on a CPU its
 * general registers live in that CPU; the monitor reads and writes them
 * through the host API. v->pc is where the vCPU goes next.
 */
#include "disco/check.h"
#include "disco/emulate.h"
#include "disco/hcall.h"
#include "disco/l2tlb.h"
#include "disco/monitor.h"
#include "disco/numa.h"
#include "disco/pmap.h"
#include "disco/sched.h"
#include "disco/vdev.h"
#include "disco/vm.h"
#include "disco/abi.h"
#include "flash/insn.h"

/** Real interrupt lines the monitor listens to while a guest runs. */
#define MONITOR_IM ((1u << (ST_IM_SHIFT + IRQ_IPI)) | (1u << (ST_IM_SHIFT + IRQ_HOT)))

/* ---- registers of a vCPU ------------------------------------------------ */

static uint32_t reg(const struct vcpu *v, int r)
{
    return v->pcpu >= 0 ? sim_cpu_reg(v->vm->mon->m, v->pcpu, r) : v->gpr[r];
}

static void set_reg(struct vcpu *v, int r, uint32_t val)
{
    if (r == 0)
        return;
    if (v->pcpu >= 0)
        sim_cpu_set_reg(v->vm->mon->m, v->pcpu, r, val);
    else
        v->gpr[r] = val;
}

int emulate_guest_mode(const struct vcpu *v)
{
    uint32_t s = v->cp0.status;
    if ((s & (ST_EXL | ST_ERL)) || (s & ST_KSU_MASK) == 0)
        return MODE_KERNEL;
    return MODE_USER;
}

uint32_t emulate_vcount(const struct vcpu *v)
{
    return (uint32_t)(monitor_now(v->vm->mon) - v->cp0.count_base);
}

/* ---- branches: where does the instruction after a delay slot go? ------- */

/* Read the guest instruction at virtual address va (the guest kernel's own
 * code, in the relocated segment). */
static bool fetch_guest(struct vcpu *v, uint32_t va, uint32_t *insn)
{
    if (va < MIPS_KSSEG || va >= MC_HALPAGE)
        return false;
    return pmap_read(v->vm, v, va - MIPS_KSSEG, insn, 4) == 0;
}

uint32_t emulate_next_pc(struct vcpu *v, uint32_t pc, bool in_delay)
{
    if (!in_delay)
        return pc + 4;
    /* The instruction is in the delay slot of the branch at pc: since the
     * slot executed, re-evaluate the branch (nothing in the slot has
     * changed a register yet: emulation happens after this). */
    uint32_t b;
    if (!fetch_guest(v, pc, &b)) {
        vm_stop(v->vm, "privileged instruction in the delay slot of a branch at 0x%08x, outside its kernel", pc);
        return pc + 8;
    }
    int32_t rs = (int32_t)reg(v, (int)insn_rs(b)), rt = (int32_t)reg(v, (int)insn_rt(b));
    uint32_t target = pc + 4 + ((uint32_t)insn_simm(b) << 2);
    uint32_t jump = ((pc + 4) & 0xF0000000u) | (insn_target(b) << 2);
    bool taken;
    switch (insn_op(b)) {
    case OP_SPECIAL:
        if (insn_funct(b) != FN_JR && insn_funct(b) != FN_JALR)
            goto not_a_branch;
        return (uint32_t)rs;
    case OP_REGIMM: taken = (insn_rt(b) & REGIMM_GE) ? rs >= 0 : rs < 0; break;
    case OP_J: case OP_JAL: return jump;
    case OP_BEQ: case OP_BEQL: taken = rs == rt; break;
    case OP_BNE: case OP_BNEL: taken = rs != rt; break;
    case OP_BLEZ: case OP_BLEZL: taken = rs <= 0; break;
    case OP_BGTZ: case OP_BGTZL: taken = rs > 0; break;
    default:
        goto not_a_branch;
    }
    return taken ? target : pc + 8;
not_a_branch:
    vm_stop(v->vm, "delay slot at 0x%08x follows a non-branch (0x%08x)", pc + 4, b);
    return pc + 8;
}

/* ---- exception forwarding ------------------------------------------------ */

/* LAB 1 BEGIN emulate_forward */
/*
 * emulate_forward - deliver exception `code` to the guest, as the real CPU
 * would have taken it.
 *
 * Gets:    the vCPU, the exception code (EXC_*), the address of the
 *          instruction that caused it (of the branch when in_delay), the
 *          faulting address for address and TLB exceptions, whether it is
 *          a TLB refill, and the coprocessor number for CpU.
 * Must:    with virtual Status.BEV set, stop the VM (its vectors are not
 *          set up: a double fault); otherwise, as MACHINE.md's CP0 does:
 *          when EXL was clear set EPC and Cause.BD (when EXL was set leave
 *          both alone); set Cause.ExcCode and Cause.CE; for TLB exceptions
 *          set BadVAddr, Context.BadVPN2 and EntryHi.VPN2 (the ASID stays);
 *          for address errors BadVAddr; set EXL; continue at the guest's
 *          refill vector for a refill taken with EXL clear, else at its
 *          general vector. Count v->forwarded and charge cost.forward.
 * Returns: nothing; v->pc is where the guest goes next.
 * Paper section 4.2.1; handout/lab1.md, "Forwarding an exception".
 */
void emulate_forward(struct vcpu *v, unsigned code, uint32_t pc, bool in_delay, uint32_t badvaddr,
                     bool refill, unsigned ce)
{
    struct monitor *mon = v->vm->mon;
    struct vcp0 *c = &v->cp0;
    if (c->status & ST_BEV) {
        vm_stop(v->vm, "double fault: exception %u at 0x%08x with virtual Status.BEV=1", code, pc);
        return;
    }
    bool exl_before = (c->status & ST_EXL) != 0;
    /* As the real CPU: with EXL already set, EPC and BD are left alone. */
    if (!exl_before) {
        c->epc = pc;
        c->cause = in_delay ? c->cause | CAUSE_BD : c->cause & ~CAUSE_BD;
    }
    c->cause = (c->cause & ~(CAUSE_EXC_MASK | CAUSE_CE_MASK)) | (code << CAUSE_EXC_SHIFT) |
               (ce << CAUSE_CE_SHIFT);
    if (code == EXC_MOD || code == EXC_TLBL || code == EXC_TLBS) {
        c->badvaddr = badvaddr;
        c->context = (c->context & CONTEXT_PTEBASE_MASK) | ((badvaddr >> 13) << 4);
        c->entryhi = (badvaddr & ENTRYHI_VPN2_MASK) | (c->entryhi & ENTRYHI_ASID_MASK);
    } else if (code == EXC_ADEL || code == EXC_ADES) {
        c->badvaddr = badvaddr;
    }
    c->status |= ST_EXL;
    v->pc = (refill && !exl_before) ? GUEST_REFILL_VECTOR : GUEST_GENERAL_VECTOR;
    v->forwarded++;
    monitor_charge(mon, mon->cost.forward);
}
/* LAB 1 END */

/* ---- the virtual CP0 ---------------------------------------------------- */

void emulate_load_asid(struct vcpu *v)
{
    struct monitor *mon = v->vm->mon;
    if (v->pcpu >= 0)
        sim_cpu_set_cp0(mon->m, v->pcpu, CP0_ENTRYHI, 0, v->cp0.entryhi & ENTRYHI_ASID_MASK);
}

/* LAB 1 BEGIN vcp0 */
/*
 * vcp0_read / vcp0_write - MFC0 and MTC0 on the virtual CP0.
 *
 * Gets:    the vCPU, the CP0 register number r (and for reads its select),
 *          and for writes the value the guest's register held.
 * Must:    behave as the R4000-style CP0 of MACHINE.md does: read-only
 *          fields stay as they are, writable ones take only their bits
 *          (Index 6 bits, EntryLo without bits 31..30, Status ST_WRITABLE,
 *          Cause only IP1..0); Random counts down through [Wired, 63];
 *          Count is monitor time minus count_base; writing Count or Compare
 *          re-arms the virtual timer (vdev_timer_arm()), writing Compare
 *          also clears the timer interrupt; a new ASID in EntryHi is loaded
 *          into the real EntryHi (emulate_load_asid()), since user TLB
 *          entries carry the guest's own ASIDs.
 * Returns: vcp0_read returns the register's value (0 for unimplemented).
 * Paper section 4.2.1 ("the monitor emulates ... privileged registers");
 * handout/lab1.md, "The virtual CP0".
 */
static uint32_t vcp0_read(struct vcpu *v, int r, int sel)
{
    const struct vcp0 *c = &v->cp0;
    switch (r) {
    case CP0_INDEX: return c->index;
    case CP0_RANDOM: {
        uint32_t span = MIPS_TLB_ENTRIES - c->wired;
        return MIPS_TLB_ENTRIES - 1 - (uint32_t)(monitor_now(v->vm->mon) % span);
    }
    case CP0_ENTRYLO0: return c->entrylo0;
    case CP0_ENTRYLO1: return c->entrylo1;
    case CP0_CONTEXT: return c->context;
    case CP0_WIRED: return c->wired;
    case CP0_BADVADDR: return c->badvaddr;
    case CP0_COUNT: return emulate_vcount(v);
    case CP0_ENTRYHI: return c->entryhi;
    case CP0_COMPARE: return c->compare;
    case CP0_STATUS: return c->status;
    case CP0_CAUSE: return c->cause;
    case CP0_EPC: return c->epc;
    case CP0_PRID: return sel == 1 ? 0x80000000u | (uint32_t)v->id : MIPS_PRID;
    case CP0_CONFIG: return sel == 1 ? MIPS_CONFIG1 : MIPS_CONFIG;
    case CP0_ERROREPC: return c->errorepc;
    default: return 0; /* PageMask, LLAddr and unimplemented registers */
    }
}

static void vcp0_write(struct vcpu *v, int r, uint32_t val)
{
    struct vcp0 *c = &v->cp0;
    const uint32_t lo_mask = ENTRYLO_PFN_MASK | ENTRYLO_C_MASK | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G;
    switch (r) {
    case CP0_INDEX: c->index = (c->index & INDEX_P) | (val & (MIPS_TLB_ENTRIES - 1)); break;
    case CP0_ENTRYLO0: c->entrylo0 = val & lo_mask; break;
    case CP0_ENTRYLO1: c->entrylo1 = val & lo_mask; break;
    case CP0_CONTEXT: c->context = (c->context & ~CONTEXT_PTEBASE_MASK) | (val & CONTEXT_PTEBASE_MASK); break;
    case CP0_WIRED: c->wired = val % MIPS_TLB_ENTRIES; break;
    case CP0_COUNT:
        c->count_base = monitor_now(v->vm->mon) - val;
        vdev_timer_arm(v);
        break;
    case CP0_ENTRYHI: {
        uint32_t old = c->entryhi;
        c->entryhi = val & (ENTRYHI_VPN2_MASK | ENTRYHI_ASID_MASK);
        if ((old ^ c->entryhi) & ENTRYHI_ASID_MASK)
            emulate_load_asid(v);
        break;
    }
    case CP0_COMPARE:
        c->compare = val;
        vdev_set_irq(v, IRQ_TIMER, false);
        vdev_timer_arm(v);
        break;
    case CP0_STATUS: c->status = val & ST_WRITABLE; break;
    case CP0_CAUSE: {
        uint32_t soft = 3u << CAUSE_IP_SHIFT;
        c->cause = (c->cause & ~soft) | (val & soft);
        break;
    }
    case CP0_EPC: c->epc = val; break;
    case CP0_ERROREPC: c->errorepc = val; break;
    default: break; /* read-only or unimplemented */
    }
}
/* LAB 1 END */

/* ---- the virtual TLB ---------------------------------------------------- */

/* LAB 1 BEGIN emulate_tlb */
/*
 * emulate_tlbw / emulate_tlbr / emulate_tlbp - the guest's TLB instructions
 * on its virtual TLB (v->vtlb, MIPS_TLB_ENTRIES entries).
 *
 * Gets:    the vCPU; for TLBW the index to write (Index for TLBWI, the
 *          virtual Random for TLBWR) and which of the two it is.
 * Must:    TLBW builds the entry from the virtual EntryHi, EntryLo0 and
 *          EntryLo1 (G = the AND of both G bits, stored apart) and hands
 *          it to l2tlb_tlbw(), which keeps the levels below in step; a
 *          forged entry (PMAP_NOT_VMS) or exhausted memory stops the VM
 *          with a message saying which. TLBR copies entry Index back into
 *          EntryHi/EntryLo0/EntryLo1 (G into both), loading a new ASID.
 *          TLBP sets Index to the matching entry (VPN2 equal, and ASID
 *          equal or G), or to INDEX_P when none matches, then tells
 *          l2tlb_tlbp() what it found.
 * Returns: nothing; the caller charges the cost and advances the PC.
 * Paper section 4.2.2 ("the monitor emulates TLB writes"); handout/lab1.md,
 * "The virtual TLB".
 */
static void emulate_tlbw(struct vcpu *v, int index, bool random)
{
    struct monitor *mon = v->vm->mon;
    const struct vcp0 *c = &v->cp0;
    struct vtlb_entry ne = {
        .hi = c->entryhi,
        .lo = {c->entrylo0 & ~ENTRYLO_G, c->entrylo1 & ~ENTRYLO_G},
        .global = (c->entrylo0 & c->entrylo1 & ENTRYLO_G) != 0,
    };
    monitor_charge(mon, mon->cost.emulate_tlbw);
    int rc = l2tlb_tlbw(v, index, &ne, random);
    if (rc == PMAP_NOT_VMS)
        vm_stop(v->vm, "forged TLB entry: EntryLo0 0x%08x EntryLo1 0x%08x name memory beyond its %u KB",
                c->entrylo0, c->entrylo1, v->vm->mem_bytes >> 10);
    else if (rc != PMAP_OK)
        vm_stop(v->vm, "%s (TLB write of 0x%08x)", pmap_strerror(rc), c->entryhi);
}

static void emulate_tlbr(struct vcpu *v)
{
    struct vcp0 *c = &v->cp0;
    const struct vtlb_entry *ve = &v->vtlb[c->index & (MIPS_TLB_ENTRIES - 1)];
    uint32_t g = ve->global ? ENTRYLO_G : 0;
    uint32_t old = c->entryhi;
    c->entryhi = ve->hi;
    c->entrylo0 = ve->lo[0] | g;
    c->entrylo1 = ve->lo[1] | g;
    if ((old ^ c->entryhi) & ENTRYHI_ASID_MASK)
        emulate_load_asid(v);
}

static void emulate_tlbp(struct vcpu *v)
{
    struct vcp0 *c = &v->cp0;
    c->index = INDEX_P;
    for (int i = 0; i < MIPS_TLB_ENTRIES; i++) {
        const struct vtlb_entry *ve = &v->vtlb[i];
        if (((ve->hi ^ c->entryhi) & ENTRYHI_VPN2_MASK) == 0 &&
            (ve->global || ((ve->hi ^ c->entryhi) & ENTRYHI_ASID_MASK) == 0)) {
            c->index = (uint32_t)i;
            break;
        }
    }
    l2tlb_tlbp(v, c->entryhi, !(c->index & INDEX_P));
}
/* LAB 1 END */

/* ---- privileged instructions ------------------------------------------- */

/* LAB 1 BEGIN emulate_privileged */
/*
 * emulate_privileged - one privileged instruction of the guest kernel.
 *
 * Gets:    the vCPU, the instruction word, its address, and whether it sat
 *          in a branch delay slot.
 * Must:    decode it (insn_op(), insn_rs(), insn_funct()...: flash/insn.h)
 *          and emulate MFC0, MTC0, TLBR, TLBWI, TLBWR, TLBP, ERET, WAIT and
 *          CACHE, charging each its cost (mon->cost.emulate_*); count
 *          v->emulated; then continue at the next instruction
 *          (emulate_next_pc(), which re-evaluates the branch for a delay
 *          slot) or, for ERET, at EPC (ErrorEPC when ERL) with EXL (ERL)
 *          cleared. WAIT with no virtual interrupt pending deschedules the
 *          vCPU (sched_wait()). If emulate_next_pc() stopped the VM, do
 *          nothing more. An ERET in a delay slot is reserved.
 * Returns: true if the instruction was emulated (or the VM was stopped);
 *          false for one the monitor does not emulate, which the caller
 *          forwards as a reserved instruction.
 * Paper section 4.2.1; handout/lab1.md, "Emulating a privileged instruction".
 */
bool emulate_privileged(struct vcpu *v, uint32_t insn, uint32_t pc, bool in_delay)
{
    struct monitor *mon = v->vm->mon;
    struct vcp0 *c = &v->cp0;
    unsigned op = insn_op(insn), rs = insn_rs(insn);
    if (op != OP_CACHE && op != OP_COP0)
        return false;
    if (op == OP_COP0 && rs != COP0_MF && rs != COP0_MT && !(rs & COP0_CO))
        return false;
    uint32_t next = emulate_next_pc(v, pc, in_delay);
    if (v->state == VCPU_DEAD)
        return true;

    if (op == OP_CACHE) { /* the caches are coherent: nothing to do */
        monitor_charge(mon, mon->cost.emulate_cp0);
    } else if (rs == COP0_MF) {
        set_reg(v, (int)insn_rt(insn), vcp0_read(v, (int)insn_rd(insn), (int)insn_sel(insn)));
        monitor_charge(mon, mon->cost.emulate_cp0);
    } else if (rs == COP0_MT) {
        vcp0_write(v, (int)insn_rd(insn), reg(v, (int)insn_rt(insn)));
        monitor_charge(mon, mon->cost.emulate_cp0);
    } else {
        switch (insn_funct(insn)) {
        case CO_TLBR: emulate_tlbr(v); monitor_charge(mon, mon->cost.emulate_tlbp); break;
        case CO_TLBWI: emulate_tlbw(v, (int)(c->index & (MIPS_TLB_ENTRIES - 1)), false); break;
        case CO_TLBWR: {
            /* The virtual Random: somewhere in [Wired, 63], varying. */
            uint32_t span = MIPS_TLB_ENTRIES - c->wired;
            emulate_tlbw(v, (int)(MIPS_TLB_ENTRIES - 1 - (uint32_t)(c->random_seq++ % span)), true);
            break;
        }
        case CO_TLBP: emulate_tlbp(v); monitor_charge(mon, mon->cost.emulate_tlbp); break;
        case CO_ERET: /* back to EPC (or ErrorEPC), in the mode Status now says */
            if (in_delay)
                return false;
            if (c->status & ST_ERL) {
                next = c->errorepc;
                c->status &= ~ST_ERL;
            } else {
                next = c->epc;
                c->status &= ~ST_EXL;
            }
            monitor_charge(mon, mon->cost.emulate_eret);
            break;
        case CO_WAIT: /* off the CPU until a virtual interrupt is pending */
            v->pc = next;
            v->emulated++;
            if (!(c->cause & CAUSE_IP_MASK))
                sched_wait(v);
            return true;
        default:
            return false;
        }
    }
    v->emulated++;
    if (v->state != VCPU_DEAD)
        v->pc = next;
    return true;
}
/* LAB 1 END */

/* ---- the HAL page ---------------------------------------------------------- */

/* The paper's HAL patch: the guest reads (and for Status IE/IM and EPC,
 * writes) its privileged registers as ordinary memory in a page the monitor
 * maps at MC_HALPAGE. The monitor copies them in on every trap and out
 * before every return. */
static void halpage_in(struct vcpu *v)
{
    struct monitor *mon = v->vm->mon;
    uint32_t w[3];
    if (!mon->cfg.halpage || sim_mem_read(mon->m, mon->cur_cpu, (uint64_t)v->halpage * MIPS_PAGE_SIZE, w, sizeof w))
        return;
    const uint32_t guest_bits = ST_IE | ST_IM_MASK;
    v->cp0.status = (v->cp0.status & ~guest_bits) | (w[HALPAGE_STATUS] & guest_bits);
    v->cp0.epc = w[HALPAGE_EPC];
}

static void halpage_out(struct vcpu *v)
{
    struct monitor *mon = v->vm->mon;
    if (!mon->cfg.halpage)
        return;
    uint32_t w[7] = {
        [HALPAGE_STATUS] = v->cp0.status, [HALPAGE_CAUSE] = v->cp0.cause,
        [HALPAGE_EPC] = v->cp0.epc,       [HALPAGE_BADVADDR] = v->cp0.badvaddr,
        [HALPAGE_ENTRYHI] = v->cp0.entryhi, [HALPAGE_COUNT] = emulate_vcount(v),
        [HALPAGE_CPUID] = (uint32_t)v->id,
    };
    sim_mem_write(mon->m, mon->cur_cpu, (uint64_t)v->halpage * MIPS_PAGE_SIZE, w, sizeof w);
}

/* ---- the trap handler ------------------------------------------------------ */

static bool virq_ready(const struct vcpu *v)
{
    const struct vcp0 *c = &v->cp0;
    return (c->cause & c->status & CAUSE_IP_MASK) && (c->status & ST_IE) &&
           !(c->status & (ST_EXL | ST_ERL));
}

void emulate_resume(struct vcpu *v)
{
    struct monitor *mon = v->vm->mon;
    if (virq_ready(v)) {
        v->vinterrupts++;
        emulate_forward(v, EXC_INT, v->pc, false, 0, false, 0);
        if (v->state == VCPU_DEAD)
            return;
    }
    halpage_out(v);
    uint32_t ksu = emulate_guest_mode(v) == MODE_KERNEL ? ST_KSU_SUPER : ST_KSU_USER;
    sim_cpu_set_cp0(mon->m, v->pcpu, CP0_STATUS, 0, ksu | MONITOR_IM | ST_IE);
    sim_cpu_set_pc(mon->m, v->pcpu, v->pc);
    monitor_charge(mon, mon->cost.trap_exit);
}

/* An exception the guest caused. */
static void guest_exception(struct vcpu *v, const struct sim_exception *e)
{
    unsigned ce = (sim_cpu_cp0(v->vm->mon->m, e->cpu, CP0_CAUSE, 0) & CAUSE_CE_MASK) >> CAUSE_CE_SHIFT;
    bool super = e->mode_before == MODE_SUPERVISOR;
    switch (e->code) {
    case EXC_MOD:
        /* A store to a page the monitor made read-only (a replica, or a
         * shared disk cache page): its copies collapse, or the VM gets a
         * copy of its own, and the store is retried (pmap.h). */
        if (pmap_write_fault(v, e)) {
            v->pc = e->epc;
            break;
        }
        l2tlb_miss(v, e);
        break;
    case EXC_TLBL: case EXC_TLBS:
        l2tlb_miss(v, e);
        break;
    case EXC_SYS:
        if (super) {
            v->hcalls++;
            hcall_dispatch(v, e->epc, e->in_delay);
        } else {
            emulate_forward(v, EXC_SYS, e->epc, e->in_delay, 0, false, 0);
        }
        break;
    case EXC_CPU:
        if (super && ce == 0 && emulate_privileged(v, e->insn, e->epc, e->in_delay))
            break;
        if (super && ce == 0)
            emulate_forward(v, EXC_RI, e->epc, e->in_delay, 0, false, 0);
        else
            emulate_forward(v, EXC_CPU, e->epc, e->in_delay, 0, false, ce);
        break;
    default:
        emulate_forward(v, e->code, e->epc, e->in_delay, e->badvaddr, false, 0);
        break;
    }
}

/* The monitor's own interrupts. */
static void monitor_interrupts(struct monitor *mon, int cpu)
{
    uint32_t cause = sim_cpu_cp0(mon->m, cpu, CP0_CAUSE, 0);
    if (cause & (1u << (CAUSE_IP_SHIFT + IRQ_IPI)))
        sim_ipi_ack(mon->m, cpu); /* a kick: the work is in the run queue */
    if (cause & (1u << (CAUSE_IP_SHIFT + IRQ_HOT)))
        numa_hot_pages(mon, cpu);
    if (cause & (1u << (CAUSE_IP_SHIFT + IRQ_TIMER)))
        sim_cpu_set_cp0(mon->m, cpu, CP0_COMPARE, 0, 0); /* unused: just clear it */
}

void emulate_trap(struct sim *m, const struct sim_exception *e, void *arg)
{
    struct monitor *mon = arg;
    (void)m;
    int cpu = e->cpu;
    struct vcpu *v = mon->pcpu[cpu].cur;
    mon->cur_cpu = cpu;
    mon->pcpu[cpu].idle = false;
    mon->traps++;
    monitor_charge(mon, mon->cost.trap_entry);
    if (v) {
        v->traps[e->code]++;
        halpage_in(v);
    }
    if (e->code == EXC_INT) {
        monitor_interrupts(mon, cpu);
        if (v)
            v->pc = e->epc; /* the guest continues where it was interrupted */
        else
            mon->idle_interrupts++;
    } else if (!v || e->mode_before == MODE_KERNEL) {
        /* Only guests execute MIPS code: a kernel-mode exception is a monitor bug. */
        fprintf(stderr, "disco: internal error: exception %u in kernel mode on cpu %d at 0x%08x\n",
                e->code, cpu, e->epc);
        mon->fatal = true;
        sim_halt(m, 2);
        mon->cur_cpu = -1;
        return;
    } else {
        guest_exception(v, e);
    }
    sched_dispatch(mon, cpu);
    check_after_trap(mon, cpu);
    mon->cur_cpu = -1;
}
