/*
 * emulate.c - virtual CPUs: the monitor's trap handler, privileged
 * instruction emulation, and exception forwarding (lab 1).
 *
 * Paper section 4.2.1. The guest kernel runs directly on the CPU, in
 * supervisor mode, relocated into the supervisor segment (0xC0000000);
 * guest programs run in user mode. Whatever the guest may not do itself
 * traps here:
 *
 *   TLB refill        the relocated kernel segment is mapped by the monitor;
 *                     a user address is looked up in the vCPU's second-level
 *                     TLB, and forwarded to the guest's refill handler if
 *                     that misses (pmap.c, l2tlb.c: lab 2)
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

/* Real interrupt lines the monitor listens to while a guest runs. */
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
    int32_t rs = (int32_t)reg(v, (b >> 21) & 31), rt = (int32_t)reg(v, (b >> 16) & 31);
    uint32_t target = pc + 4 + ((uint32_t)(int16_t)b << 2);
    uint32_t jump = ((pc + 4) & 0xF0000000u) | ((b & 0x03FFFFFFu) << 2);
    bool taken;
    switch (b >> 26) {
    case 0x00: /* jr, jalr */
        return (uint32_t)rs;
    case 0x01: /* bltz, bgez and their likely and linking forms */
        taken = ((b >> 16) & 1) ? rs >= 0 : rs < 0;
        break;
    case 0x02: case 0x03: return jump;                        /* j, jal */
    case 0x04: case 0x14: taken = rs == rt; break;            /* beq(l) */
    case 0x05: case 0x15: taken = rs != rt; break;            /* bne(l) */
    case 0x06: case 0x16: taken = rs <= 0; break;             /* blez(l) */
    case 0x07: case 0x17: taken = rs > 0; break;              /* bgtz(l) */
    default:
        vm_stop(v->vm, "delay slot at 0x%08x follows a non-branch (0x%08x)", pc + 4, b);
        return pc + 8;
    }
    return taken ? target : pc + 8;
}

/* ---- exception forwarding ------------------------------------------------ */

/* LAB 1 BEGIN emulate_forward */
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

/* LAB 1 BEGIN vcp0 */
static uint32_t vcp0_read(struct vcpu *v, int r, int sel)
{
    const struct vcp0 *c = &v->cp0;
    switch (r) {
    case CP0_INDEX: return c->index;
    case CP0_RANDOM: {
        uint32_t span = 64 - c->wired;
        return 63 - (uint32_t)(monitor_now(v->vm->mon) % span);
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

/* The guest's ASID is the real one while it runs: user TLB entries are
 * tagged with the guest's ASIDs as they are (paper section 4.2.2). */
static void set_real_asid(struct vcpu *v)
{
    struct monitor *mon = v->vm->mon;
    if (v->pcpu >= 0)
        sim_cpu_set_cp0(mon->m, v->pcpu, CP0_ENTRYHI, 0, v->cp0.entryhi & ENTRYHI_ASID_MASK);
}

static void vcp0_write(struct vcpu *v, int r, uint32_t val)
{
    struct vcp0 *c = &v->cp0;
    const uint32_t lo_mask = ENTRYLO_PFN_MASK | ENTRYLO_C_MASK | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G;
    switch (r) {
    case CP0_INDEX: c->index = (c->index & INDEX_P) | (val & 63); break;
    case CP0_ENTRYLO0: c->entrylo0 = val & lo_mask; break;
    case CP0_ENTRYLO1: c->entrylo1 = val & lo_mask; break;
    case CP0_CONTEXT: c->context = (c->context & ~CONTEXT_PTEBASE_MASK) | (val & CONTEXT_PTEBASE_MASK); break;
    case CP0_WIRED: c->wired = val % 64; break;
    case CP0_COUNT:
        c->count_base = monitor_now(v->vm->mon) - val;
        vdev_timer_arm(v);
        break;
    case CP0_ENTRYHI: {
        uint32_t old = c->entryhi;
        c->entryhi = val & (ENTRYHI_VPN2_MASK | ENTRYHI_ASID_MASK);
        if ((old ^ c->entryhi) & ENTRYHI_ASID_MASK)
            set_real_asid(v);
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

/* Remove any hardware TLB entry matching hi on this vCPU's CPU. */
static void hw_tlb_drop(struct vcpu *v, uint32_t hi)
{
    monitor_tlb_drop(v->vm->mon, v->pcpu, hi);
}

/* Put a second-level TLB entry in the hardware TLB (at Random, as TLBWR). */
static void hw_tlb_insert(struct vcpu *v, const struct l2tlb_entry *e)
{
    struct monitor *mon = v->vm->mon;
    uint32_t g = e->global ? ENTRYLO_G : 0;
    struct sim_tlb_entry te = {e->hi, e->mlo[0] | g, e->mlo[1] | g, 0};
    sim_tlb_write(mon->m, v->pcpu, sim_tlb_random(mon->m, v->pcpu), &te);
}

/* LAB 1 BEGIN emulate_tlbw */
/* TLBWI / TLBWR: the guest writes virtual TLB entry `index`. */
static void emulate_tlbw(struct vcpu *v, int index, bool random)
{
    struct monitor *mon = v->vm->mon;
    struct vcp0 *c = &v->cp0;
    struct vtlb_entry *ve = &v->vtlb[index];
    if (random) {
        /* Random replacement evicts the old entry: the second-level TLB
         * keeps it (the guest's TLB looks larger than it is). */
        l2tlb_evict(v, index);
    } else {
        /* An explicit overwrite removes it, from the hardware TLB too. */
        hw_tlb_drop(v, ve->hi);
        /* Writing an entry in an unmapped segment is how a guest flushes
         * its TLB index by index: no kept copy may survive that, in the
         * second-level TLB or in the hardware TLB it refilled. */
        if (c->entryhi >= MIPS_KSEG0 && v->l2.victims_used) {
            l2tlb_purge_victims(v);
            sim_tlb_flush(mon->m, v->pcpu);
        }
    }
    ve->hi = c->entryhi;
    ve->global = (c->entrylo0 & c->entrylo1 & ENTRYLO_G) != 0;
    ve->lo[0] = c->entrylo0 & ~ENTRYLO_G;
    ve->lo[1] = c->entrylo1 & ~ENTRYLO_G;
    monitor_charge(mon, mon->cost.emulate_tlbw);
    if (l2tlb_update(v, index) != 0) {
        vm_stop(v->vm, "forged TLB entry: EntryLo0 0x%08x EntryLo1 0x%08x name memory beyond its %u KB",
                c->entrylo0, c->entrylo1, v->vm->mem_bytes >> 10);
        return;
    }
    /* The guest writes an entry because it is about to use it: install it
     * in the hardware TLB now rather than take a second miss. */
    hw_tlb_drop(v, ve->hi);
    const struct l2tlb_entry *e = &v->l2.e[index];
    if (e->valid)
        hw_tlb_insert(v, e);
}
/* LAB 1 END */

static void emulate_tlbr(struct vcpu *v)
{
    struct vcp0 *c = &v->cp0;
    const struct vtlb_entry *ve = &v->vtlb[c->index & 63];
    uint32_t g = ve->global ? ENTRYLO_G : 0;
    uint32_t old = c->entryhi;
    c->entryhi = ve->hi;
    c->entrylo0 = ve->lo[0] | g;
    c->entrylo1 = ve->lo[1] | g;
    if ((old ^ c->entryhi) & ENTRYHI_ASID_MASK)
        set_real_asid(v);
}

static void emulate_tlbp(struct vcpu *v)
{
    struct vcp0 *c = &v->cp0;
    c->index = INDEX_P;
    for (int i = 0; i < 64; i++) {
        const struct vtlb_entry *ve = &v->vtlb[i];
        if (((ve->hi ^ c->entryhi) & ENTRYHI_VPN2_MASK) == 0 &&
            (ve->global || ((ve->hi ^ c->entryhi) & ENTRYHI_ASID_MASK) == 0)) {
            c->index = (uint32_t)i;
            break;
        }
    }
    /* The guest probes for a translation to change or remove it: copies
     * the second-level TLB kept must go, and so must any hardware entry
     * refilled from one (the guest's TLB does not have it). */
    l2tlb_purge(v, c->entryhi);
    if (c->index & INDEX_P)
        hw_tlb_drop(v, c->entryhi);
}

/* ---- privileged instructions ------------------------------------------- */

/* LAB 1 BEGIN emulate_privileged */
bool emulate_privileged(struct vcpu *v, uint32_t insn, uint32_t pc, bool in_delay)
{
    struct monitor *mon = v->vm->mon;
    struct vcp0 *c = &v->cp0;
    uint32_t next = emulate_next_pc(v, pc, in_delay);
    unsigned op = insn >> 26, rs = (insn >> 21) & 31, rt = (insn >> 16) & 31, rd = (insn >> 11) & 31;

    if (op == 0x2F) { /* cache: the caches are coherent, nothing to do */
        monitor_charge(mon, mon->cost.emulate_cp0);
    } else if (op != 0x10) {
        return false;
    } else if (rs == 0x00) { /* mfc0 rt, rd, sel */
        set_reg(v, (int)rt, vcp0_read(v, (int)rd, (int)(insn & 7)));
        monitor_charge(mon, mon->cost.emulate_cp0);
    } else if (rs == 0x04) { /* mtc0 rt, rd, sel */
        vcp0_write(v, (int)rd, reg(v, (int)rt));
        monitor_charge(mon, mon->cost.emulate_cp0);
    } else if (!(rs & 0x10)) {
        return false;
    } else {
        switch (insn & 63) {
        case 0x01: emulate_tlbr(v); monitor_charge(mon, mon->cost.emulate_tlbp); break;
        case 0x02: emulate_tlbw(v, (int)(c->index & 63), false); break;
        case 0x06: {
            /* The virtual Random: somewhere in [Wired, 63], varying. */
            uint32_t span = 64 - c->wired;
            emulate_tlbw(v, (int)(63 - (uint32_t)(c->random_seq++ % span)), true);
            break;
        }
        case 0x08: emulate_tlbp(v); monitor_charge(mon, mon->cost.emulate_tlbp); break;
        case 0x18: /* eret: back to EPC (or ErrorEPC), in the mode Status now says */
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
        case 0x20: /* wait: off the CPU until a virtual interrupt is pending */
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

/* ---- TLB misses ------------------------------------------------------------ */

/* LAB 2 BEGIN kseg_refill */
/* A miss in the relocated kernel segment: the monitor maps it itself, both
 * pages of the pair, as global entries (paper section 4.2.2: the kernel's
 * former KSEG0 is now mapped, so the kernel takes TLB misses). */
static void kseg_refill(struct vcpu *v, uint32_t va, unsigned code, uint32_t pc, bool in_delay)
{
    struct vm *vm = v->vm;
    struct monitor *mon = vm->mon;
    uint32_t lo[2];
    uint32_t pair = va & ENTRYHI_VPN2_MASK;
    for (int h = 0; h < 2; h++) {
        uint32_t page = pair + (uint32_t)h * MIPS_PAGE_SIZE;
        uint32_t gpfn = (page - MIPS_KSSEG) / MIPS_PAGE_SIZE;
        lo[h] = 0;
        if (page == MC_HALPAGE && mon->cfg.halpage)
            lo[h] = (v->halpage << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V;
        else if (gpfn < vm->npages && page < MC_HALPAGE && pmap_lookup(vm, v, gpfn, &lo[h]) != 0) {
            vm_stop(vm, "out of machine memory");
            return;
        }
    }
    uint32_t want = lo[(va >> MIPS_PAGE_SHIFT) & 1];
    if (!want) {
        /* Beyond its memory: what a real CPU gets past the end of RAM. */
        bool fetch = code == EXC_TLBL && va == (in_delay ? pc + 4 : pc);
        emulate_forward(v, fetch ? EXC_IBE : EXC_DBE, pc, in_delay, 0, false, 0);
        return;
    }
    struct sim_tlb_entry te = {pair, lo[0] | ENTRYLO_G, lo[1] | ENTRYLO_G, 0};
    sim_tlb_write(mon->m, v->pcpu, sim_tlb_random(mon->m, v->pcpu), &te);
    v->kseg_misses++;
    monitor_charge(mon, mon->cost.kseg_refill);
    v->pc = pc; /* retry */
}

static void tlb_miss(struct vcpu *v, const struct sim_exception *e)
{
    struct monitor *mon = v->vm->mon;
    uint32_t va = e->badvaddr;
    v->tlb_misses++;
    if (va >= MIPS_KSSEG && va < MIPS_KSEG3) {
        /* The kernel segment is the monitor's: a miss, or a hit on the
         * invalid half of a pair that runs past the VM's memory. */
        kseg_refill(v, va, e->code, e->epc, e->in_delay);
        return;
    }
    if (e->code == EXC_MOD || !e->refill) {
        /* The hardware entry came from the guest's own TLB entry (V or D
         * clear): the guest sees the same exception its TLB would give. */
        emulate_forward(v, e->code, e->epc, e->in_delay, va, false, 0);
        return;
    }
    monitor_charge(mon, mon->cost.l2tlb_lookup);
    const struct l2tlb_entry *l2 = l2tlb_lookup(v, va, v->cp0.entryhi & ENTRYHI_ASID_MASK);
    if (l2) {
        v->l2.hits++;
        hw_tlb_insert(v, l2);
        v->pc = e->epc; /* retry */
        return;
    }
    v->l2.misses++;
    emulate_forward(v, e->code, e->epc, e->in_delay, va, true, 0);
}
/* LAB 2 END */

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
    case EXC_MOD: case EXC_TLBL: case EXC_TLBS:
        tlb_miss(v, e);
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
    mon->cur_cpu = -1;
}
