/** @file
 * gdbvm.c - gdb's view of one VM (gdbvm.h): its vCPUs as threads.
 *
 * Everything here is read while the machine is stopped between two
 * instructions, never inside a trap (mon->cur_cpu is -1), through the host
 * API with no CPU named: reading costs no cycle and leaves the caches
 * alone, so a VM being looked at runs exactly as one that is not.
 *
 * A vCPU on a physical CPU keeps its general registers and PC in that CPU
 * (sched.c); off a CPU, in struct vcpu. Its privileged registers are the
 * virtual CP0 (struct vcp0), except that with the HAL page on, the guest
 * writes Status.IE/IM straight into its HAL page while it runs
 * (emulate.c, halpage_in()), so those bits come from there.
 */
#include <string.h>

#include "disco/abi.h"
#include "disco/gdbvm.h"
#include "disco/pmap.h"

static bool on_cpu(const struct vcpu *v)
{
    return v->pcpu >= 0;
}

static int thread_on_cpu(void *arg, int cpu)
{
    struct vm *vm = arg;
    const struct vcpu *v = vm->mon->pcpu[cpu].cur;
    return v && v->vm == vm ? v->id : -1;
}

/* The guest's Status (epc false) or EPC (true), with what it keeps in its
 * HAL page while it runs. */
static uint32_t guest_cp0(const struct vcpu *v, bool epc)
{
    struct monitor *mon = v->vm->mon;
    uint32_t w[HALPAGE_EPC + 1];
    const uint32_t guest_bits = ST_IE | ST_IM_MASK;
    if (!on_cpu(v) || !mon->cfg.halpage || v->halpage == NO_PAGE ||
        sim_mem_read(mon->m, -1, (uint64_t)v->halpage * MIPS_PAGE_SIZE, w, sizeof w) != 0)
        return epc ? v->cp0.epc : v->cp0.status;
    return epc ? w[HALPAGE_EPC] : (v->cp0.status & ~guest_bits) | (w[HALPAGE_STATUS] & guest_bits);
}

static bool get_reg(void *arg, int t, int reg, uint32_t *val)
{
    struct vm *vm = arg;
    const struct vcpu *v = &vm->vcpu[t];
    struct sim *m = vm->mon->m;
    if (reg < 32) {
        *val = reg == 0 ? 0 : on_cpu(v) ? sim_cpu_reg(m, v->pcpu, reg) : v->gpr[reg];
        return true;
    }
    switch (reg) {
    case GDB_REG_SR: *val = guest_cp0(v, false); return true;
    case GDB_REG_EPC: *val = guest_cp0(v, true); return true;
    case GDB_REG_LO: *val = on_cpu(v) ? sim_cpu_lo(m, v->pcpu) : v->lo; return true;
    case GDB_REG_HI: *val = on_cpu(v) ? sim_cpu_hi(m, v->pcpu) : v->hi; return true;
    case GDB_REG_BADVADDR: *val = v->cp0.badvaddr; return true;
    case GDB_REG_CAUSE: *val = v->cp0.cause; return true;
    case GDB_REG_PC: *val = on_cpu(v) ? sim_cpu_pc(m, v->pcpu) : v->pc; return true;
    default: return false;
    }
}

/* General registers, HI, LO and PC; the virtual CP0 is the monitor's. */
static bool set_reg(void *arg, int t, int reg, uint32_t val)
{
    struct vm *vm = arg;
    struct vcpu *v = &vm->vcpu[t];
    struct sim *m = vm->mon->m;
    if (reg < 32) {
        if (reg == 0)
            return true;
        if (on_cpu(v))
            return sim_cpu_set_reg(m, v->pcpu, reg, val) == 0;
        v->gpr[reg] = val;
        return true;
    }
    uint32_t hi = 0, lo = 0;
    switch (reg) {
    case GDB_REG_LO: case GDB_REG_HI:
        get_reg(vm, t, GDB_REG_HI, &hi);
        get_reg(vm, t, GDB_REG_LO, &lo);
        if (reg == GDB_REG_HI)
            hi = val;
        else
            lo = val;
        if (on_cpu(v))
            return sim_cpu_set_hilo(m, v->pcpu, hi, lo) == 0;
        v->hi = hi;
        v->lo = lo;
        return true;
    case GDB_REG_PC:
        if (on_cpu(v))
            return sim_cpu_set_pc(m, v->pcpu, val) == 0;
        v->pc = val;
        return true;
    default:
        return false;
    }
}

static bool tlb_match(uint32_t hi, bool global, uint32_t va, uint32_t asid)
{
    return ((hi ^ va) & ENTRYHI_VPN2_MASK) == 0 && (global || (hi & ENTRYHI_ASID_MASK) == asid);
}

/* The guest's EntryLo for mapped address va: its virtual TLB, or else a
 * translation its TLBWR evicted that the L2 TLB keeps (the monitor would
 * refill the TLB from it without asking the guest: l2tlb.h). */
static bool guest_tlb_lo(const struct vcpu *v, uint32_t va, uint32_t *lo)
{
    uint32_t asid = v->cp0.entryhi & ENTRYHI_ASID_MASK, odd = (va >> MIPS_PAGE_SHIFT) & 1;
    for (int i = 0; i < MIPS_TLB_ENTRIES; i++)
        if (tlb_match(v->vtlb[i].hi, v->vtlb[i].global, va, asid)) {
            *lo = v->vtlb[i].lo[odd];
            return true;
        }
    for (int i = L2TLB_ENTRIES; i < L2TLB_SIZE; i++) {
        const struct l2tlb_entry *e = &v->l2.e[i];
        if (e->valid && tlb_match(e->hi, e->global, va, asid)) {
            *lo = e->glo[odd];
            return true;
        }
    }
    return false;
}

/* The guest physical address of va as vCPU v's guest sees it, or false. */
static bool guest_pa(const struct vcpu *v, uint32_t va, uint32_t *gpa)
{
    if (va >= MIPS_KSEG0 && va < MIPS_KSSEG) {
        *gpa = va & (MIPS_KSEG1 - MIPS_KSEG0 - 1);
    } else if (va >= MIPS_KSSEG && va < MC_HALPAGE) {
        *gpa = va - MIPS_KSSEG; /* the relocated kernel segment */
    } else if (va >= MC_HALPAGE && va < MIPS_KSEG3) {
        return false;           /* the HAL page: the monitor's */
    } else {
        uint32_t lo;
        if (!guest_tlb_lo(v, va, &lo) || !(lo & ENTRYLO_V))
            return false;
        *gpa = ((lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT) * MIPS_PAGE_SIZE + (va & (MIPS_PAGE_SIZE - 1));
    }
    return *gpa < v->vm->mem_bytes;
}

/* Not pmap_read(): that counts as the guest using the page (it cancels a
 * free deferred by DMA). This only looks: the primary copy of a page, or
 * zeros for a page with none yet. */
static bool read_mem(void *arg, int t, uint32_t va, uint8_t *buf, uint32_t len)
{
    struct vm *vm = arg;
    while (len) {
        uint32_t gpa, n = MIPS_PAGE_SIZE - (va & (MIPS_PAGE_SIZE - 1));
        if (n > len)
            n = len;
        if (!guest_pa(&vm->vcpu[t], va, &gpa))
            return false;
        uint32_t mpfn = vm->pmap[gpa / MIPS_PAGE_SIZE].mpfn;
        if (mpfn == NO_PAGE)
            memset(buf, 0, n);
        else if (sim_mem_read(vm->mon->m, -1, (uint64_t)mpfn * MIPS_PAGE_SIZE + gpa % MIPS_PAGE_SIZE, buf, n))
            return false;
        va += n;
        buf += n;
        len -= n;
    }
    return true;
}

static bool write_mem(void *arg, int t, uint32_t va, const uint8_t *buf, uint32_t len)
{
    struct vm *vm = arg;
    while (len) {
        uint32_t gpa, n = MIPS_PAGE_SIZE - (va & (MIPS_PAGE_SIZE - 1));
        if (n > len)
            n = len;
        if (!guest_pa(&vm->vcpu[t], va, &gpa) || pmap_write(vm, &vm->vcpu[t], gpa, buf, n) != PMAP_OK)
            return false;
        va += n;
        buf += n;
        len -= n;
    }
    return true;
}

static void describe(void *arg, int t, char *buf, size_t len)
{
    const struct vm *vm = arg;
    const struct vcpu *v = &vm->vcpu[t];
    static const char *const state[] = {"off", "runnable", "running", "waiting", "halted"};
    if (on_cpu(v))
        snprintf(buf, len, "vcpu %d of %s on cpu %d", t, vm->name, v->pcpu);
    else
        snprintf(buf, len, "vcpu %d of %s %s", t, vm->name, state[v->state]);
}

void gdbvm_target(struct vm *vm, struct gdb_target *t)
{
    *t = (struct gdb_target){
        .nthreads = vm->nvcpus, .thread_on_cpu = thread_on_cpu, .get_reg = get_reg,
        .set_reg = set_reg, .read_mem = read_mem, .write_mem = write_mem,
        .describe = describe, .arg = vm,
    };
}
