/** @file
 * hcall.c - monitor calls: a SYSCALL in supervisor mode (DESIGN.md).
 *
 * The call number is in v0, arguments in a0..a3, results go back in v0
 * (and v1); guests/include/disco/abi.h is the interface. Arguments are the
 * guest's and are checked: a buffer that is not the VM's memory stops the
 * VM (containment); an out-of-range request that real hardware would
 * refuse is refused the same way.
 */
#include "disco/abi.h"
#include "disco/emulate.h"
#include "disco/hcall.h"
#include "disco/l2tlb.h"
#include "disco/monitor.h"
#include "disco/pmap.h"
#include "disco/sched.h"
#include "disco/trace.h"
#include "disco/vdev.h"
#include "disco/vnet.h"
#include "disco/vm.h"

#define R_V0 2 /**< v0: the call number, then the first result */
#define R_V1 3 /**< v1: the second result */
#define R_A0 4 /**< a0: the first argument (a1..a3 follow) */

static uint32_t arg(struct vcpu *v, int i)
{
    return sim_cpu_reg(v->vm->mon->m, v->pcpu, R_A0 + i);
}

static void ret(struct vcpu *v, uint32_t v0)
{
    sim_cpu_set_reg(v->vm->mon->m, v->pcpu, R_V0, v0);
}

static void cons_write(struct vcpu *v, uint32_t gpa, uint32_t len)
{
    char buf[512];
    uint32_t done = 0;
    if (len > 65536 || vm_gpfn(v->vm, gpa) == NO_PAGE || (uint64_t)gpa + len > v->vm->mem_bytes) {
        vm_stop(v->vm, "MC_CONS_WRITE of %u bytes at 0x%08x, outside its memory", len, gpa);
        return;
    }
    struct monitor *mon = v->vm->mon;
    while (done < len) {
        uint32_t n = len - done < sizeof buf ? len - done : (uint32_t)sizeof buf;
        int rc = pmap_read(v->vm, v, gpa + done, buf, n);
        if (rc != PMAP_OK) {
            vm_stop(v->vm, "MC_CONS_WRITE at 0x%08x: %s", gpa + done, pmap_strerror(rc));
            return;
        }
        vdev_console_write(v->vm, buf, n);
        done += n;
    }
    /* Each byte costs what the guest's own store of it to a UART would:
     * a VM's output is bounded by the cycles it runs. */
    monitor_charge(mon, (uint64_t)len * mon->cost.cons_byte);
    ret(v, len);
}

/* The guest's TLB is empty now, at every level (a HAL patch for a whole
 * TLB flush: one trap instead of 64). */
static void tlb_flush(struct vcpu *v)
{
    for (int i = 0; i < MIPS_TLB_ENTRIES; i++)
        v->vtlb[i] = (struct vtlb_entry){.hi = MIPS_KSEG0 + (uint32_t)i * 2 * MIPS_PAGE_SIZE};
    l2tlb_flush(v); /* the hardware TLB of its CPU too */
}

static void cpu_start(struct vcpu *v, uint32_t id, uint32_t pc)
{
    struct vm *vm = v->vm;
    if (id >= (uint32_t)vm->nvcpus || vm->vcpu[id].state != VCPU_OFF) {
        ret(v, (uint32_t)-1);
        return;
    }
    struct vcpu *n = &vm->vcpu[id];
    n->pc = pc;
    n->gpr[R_A0] = id;
    n->cp0.status = ST_BEV; /* as a real CPU leaving reset */
    sched_make_runnable(n);
    ret(v, 0);
}

static uint32_t info(struct vcpu *v, uint32_t what)
{
    switch (what) {
    case MC_INFO_NCPUS: return (uint32_t)v->vm->nvcpus;
    case MC_INFO_MEMSIZE: return v->vm->mem_bytes;
    case MC_INFO_VMID: return (uint32_t)v->vm->id;
    default: return (uint32_t)-1;
    }
}

void hcall_dispatch(struct vcpu *v, uint32_t pc, bool in_delay)
{
    struct vm *vm = v->vm;
    struct monitor *mon = vm->mon;
    uint32_t nr = sim_cpu_reg(mon->m, v->pcpu, R_V0);
    v->pc = emulate_next_pc(v, pc, in_delay);
    if (v->state == VCPU_DEAD)
        return; /* the call is not made: the VM was stopped (emulate_next_pc) */
    monitor_charge(mon, mon->cost.hcall);
    switch (nr) {
    case MC_CONS_WRITE: cons_write(v, arg(v, 0), arg(v, 1)); break;
    case MC_CONS_READ: ret(v, (uint32_t)-1); break; /* VMs have no console input */
    case MC_CONS_CTRL: vm->cons_ctrl = (int)(arg(v, 0) & 1); ret(v, 0); break;
    case MC_DISK_INFO: {
        uint32_t d = arg(v, 0);
        ret(v, d < (uint32_t)vm->ndisks ? (uint32_t)vm->disk[d].sectors : 0);
        sim_cpu_set_reg(mon->m, v->pcpu, R_V1, d < (uint32_t)vm->ndisks && vm->disk[d].cow);
        break;
    }
    case MC_DISK_IO: {
        uint32_t a0 = arg(v, 0);
        int rc = vdev_disk_io(v, (int)(a0 & 0xFF), (int)((a0 >> 8) & 0xFF), arg(v, 1), arg(v, 2), arg(v, 3));
        if (mon->trace) {
            char what[96];
            snprintf(what, sizeof what, "%s disk %u: %s of %u sectors from %u%s", vm->name, a0 & 0xFF,
                     ((a0 >> 8) & 0xFF) == 2 ? "write" : "read", arg(v, 2), arg(v, 1), rc ? " (refused)" : "");
            trace_instant(mon, -1, "disk", "disk request", what);
        }
        if (v->state != VCPU_DEAD)
            ret(v, (uint32_t)rc);
        break;
    }
    case MC_DISK_STATUS: {
        uint32_t st = vdev_disk_status(v, (int)arg(v, 0));
        if (mon->trace && (st == 2 || st == 3)) {
            char what[64];
            snprintf(what, sizeof what, "%s disk %u: %s", vm->name, arg(v, 0), st == 2 ? "done" : "error");
            trace_instant(mon, -1, "disk", "disk done", what);
        }
        ret(v, st);
        break;
    }
    case MC_ZERO_PAGE: {
        uint32_t gpa = arg(v, 0);
        uint32_t gpfn = vm_gpfn(vm, gpa);
        if (gpfn == NO_PAGE || (gpa & (MIPS_PAGE_SIZE - 1))) {
            vm_stop(vm, "MC_ZERO_PAGE of 0x%08x, not one of its pages", gpa);
            break;
        }
        vm->zero_pages++;
        /* A page never used is zero already; a used one is zeroed here,
         * by the monitor, through this CPU's cache, as one copy. */
        if (vm->pmap[gpfn].mpfn != NO_PAGE) {
            pmap_make_writable(vm, v, gpfn);
            sim_mem_zero_page(mon->m, mon->cur_cpu, (uint64_t)vm->pmap[gpfn].mpfn * MIPS_PAGE_SIZE);
        }
        ret(v, 0);
        break;
    }
    case MC_FREE_PAGE: {
        uint32_t gpa = arg(v, 0);
        uint32_t gpfn = vm_gpfn(vm, gpa);
        if (gpfn == NO_PAGE || (gpa & (MIPS_PAGE_SIZE - 1))) {
            vm_stop(vm, "MC_FREE_PAGE of 0x%08x, not one of its pages", gpa);
            break;
        }
        vm->freed_pages++;
        if (!pmap_release(vm, gpfn))
            vm->free_pinned++; /* under DMA: given back when the transfer ends */
        ret(v, 0);
        break;
    }
    case MC_PAGE_KINDS: {
        /* Only the statistics read the table (monitor_memory), so a bad
         * one is refused, not a reason to stop the VM. */
        uint32_t gpa = arg(v, 0), n = arg(v, 1);
        bool ok = n > 0 && n <= vm->npages && gpa < vm->mem_bytes && n <= vm->mem_bytes - gpa;
        vm->kinds_gpa = ok ? gpa : 0;
        vm->kinds_pages = ok ? n : 0;
        ret(v, ok ? 0 : (uint32_t)-1);
        break;
    }
    case MC_NET_INFO: ret(v, vnet_info(vm)); break;
    case MC_NET_SEND: {
        int rc = vnet_send(v, arg(v, 0));
        if (mon->trace) {
            char what[64];
            snprintf(what, sizeof what, "from %s: %s", vm->name, rc == 0 ? "delivered" : "not delivered");
            trace_instant(mon, -1, "net", "message", what);
        }
        if (v->state != VCPU_DEAD)
            ret(v, (uint32_t)rc);
        break;
    }
    case MC_NET_POST: ret(v, (uint32_t)vnet_post(v, arg(v, 0))); break;
    case MC_NET_STATUS: {
        uint32_t drops, done = vnet_status(v, &drops);
        ret(v, done);
        sim_cpu_set_reg(mon->m, v->pcpu, R_V1, drops);
        break;
    }
    case MC_NET_REMAP: ret(v, (uint32_t)vnet_remap(v, arg(v, 0), arg(v, 1))); break;
    case MC_IDLE:
        ret(v, 0);
        if (!(v->cp0.cause & CAUSE_IP_MASK))
            sched_wait(v);
        break;
    case MC_IPI_SEND: {
        uint32_t to = arg(v, 0);
        if (to < (uint32_t)vm->nvcpus && vm->vcpu[to].state != VCPU_OFF) {
            vdev_set_irq(&vm->vcpu[to], IRQ_IPI, true);
            ret(v, 0);
        } else {
            ret(v, (uint32_t)-1);
        }
        break;
    }
    case MC_IPI_ACK: vdev_set_irq(v, IRQ_IPI, false); ret(v, 0); break;
    case MC_CPU_START: cpu_start(v, arg(v, 0), arg(v, 1)); break;
    case MC_TLB_FLUSH: tlb_flush(v); ret(v, 0); break;
    case MC_HALT: vm_halt(vm, (int)arg(v, 0)); break;
    case MC_MARK: monitor_mark(mon, vm, arg(v, 0)); ret(v, 0); break;
    case MC_INFO: ret(v, info(v, arg(v, 0))); break;
    case MC_CYCLES: {
        uint64_t t = sim_cpu_cycles(mon->m, v->pcpu);
        ret(v, (uint32_t)t);
        sim_cpu_set_reg(mon->m, v->pcpu, R_V1, (uint32_t)(t >> 32));
        break;
    }
    default: ret(v, (uint32_t)-1); break; /* no such call */
    }
}
