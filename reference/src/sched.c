/** @file
 * sched.c - time-sharing vCPUs on the physical CPUs.
 *
 * Paper section 4.2.1. One FIFO run queue of runnable vCPUs. A CPU that
 * needs work takes the first vCPU whose home node is its own, else the
 * first in the queue (affinity first, but never leave a CPU idle while a
 * vCPU waits). A running vCPU keeps its CPU until it waits for an interrupt
 * (WAIT or MC_IDLE), its VM ends, or its quantum ends while another vCPU
 * is runnable. Switching vCPUs saves and restores the registers and
 * flushes the hardware TLB: guest ASIDs are used as they are, so another
 * VM's entries must not survive (section 4.2.2).
 *
 * A CPU with nothing to run is parked with sim_cpu_idle(); an IPI from the
 * monitor itself (a "kick") wakes it when work appears.
 */
#include "disco/emulate.h"
#include "disco/l2tlb.h"
#include "disco/monitor.h"
#include "disco/sched.h"
#include "disco/trace.h"
#include "disco/vdev.h"

static void runq_push(struct monitor *mon, struct vcpu *v)
{
    v->next = NULL;
    if (mon->runq_tail)
        mon->runq_tail->next = v;
    else
        mon->runq_head = v;
    mon->runq_tail = v;
}

static void runq_unlink(struct monitor *mon, struct vcpu *v)
{
    struct vcpu *prev = NULL;
    for (struct vcpu *x = mon->runq_head; x; prev = x, x = x->next) {
        if (x != v)
            continue;
        if (prev)
            prev->next = x->next;
        else
            mon->runq_head = x->next;
        if (mon->runq_tail == x)
            mon->runq_tail = prev;
        x->next = NULL;
        return;
    }
}

/* The vCPU for a CPU on `node`: the first at home there, else the first. */
static struct vcpu *runq_take(struct monitor *mon, int node)
{
    struct vcpu *pick = mon->runq_head;
    for (struct vcpu *x = mon->runq_head; x; x = x->next) {
        if (x->home_node == node) {
            pick = x;
            break;
        }
    }
    if (pick)
        runq_unlink(mon, pick);
    return pick;
}

void sched_account(struct monitor *mon, int cpu)
{
    struct pcpu *pc = &mon->pcpu[cpu];
    const struct sim_cpu_stats *st = sim_cpu_stats(mon->m, cpu);
    uint64_t d[TIME_COUNT];
    for (int t = 0; t < TIME_COUNT; t++) {
        d[t] = st->cycles[t] - pc->last_cycles[t];
        pc->last_cycles[t] = st->cycles[t];
    }
    struct vcpu *v = pc->cur;
    if (!v)
        return;
    v->time.user += d[TIME_USER];
    v->time.kernel += d[TIME_SUPERVISOR] + d[TIME_KERNEL];
    v->time.monitor += d[TIME_MONITOR];
}

/* The quantum of the vCPU on a CPU ended: if others wait, make it yield. */
static void quantum_over(struct sim *m, void *arg)
{
    struct pcpu *pc = arg;
    struct monitor *mon = pc->mon;
    pc->quantum_event = 0;
    if (!pc->cur || !mon->runq_head)
        return;
    pc->cur->need_resched = true;
    sim_ipi_send(m, pc->id);
}

/* While others wait, a running vCPU gets one quantum at a time. */
static void arm_quantum(struct monitor *mon, struct pcpu *pc)
{
    if (pc->cur && !pc->quantum_event && mon->runq_head)
        pc->quantum_event = sim_event_at(mon->m, monitor_now(mon) + mon->cfg.quantum, quantum_over, pc);
}

static void kick_idle_cpu(struct monitor *mon, const struct vcpu *v)
{
    /* Prefer the vCPU's home node, then any idle CPU. */
    int chosen = -1;
    for (int i = 0; i < mon->ncpus; i++) {
        if (!mon->pcpu[i].idle)
            continue;
        if (chosen < 0 || i == v->home_node)
            chosen = i;
    }
    if (chosen >= 0) {
        mon->pcpu[chosen].idle = false;
        sim_ipi_send(mon->m, chosen);
        return;
    }
    /* No idle CPU: the running vCPUs must share, one quantum at a time. */
    for (int i = 0; i < mon->ncpus; i++)
        arm_quantum(mon, &mon->pcpu[i]);
}

void sched_make_runnable(struct vcpu *v)
{
    struct monitor *mon = v->vm->mon;
    if (v->state == VCPU_WAITING)
        v->time.idle += monitor_now(mon) - v->wait_since;
    v->state = VCPU_RUNNABLE;
    runq_push(mon, v);
    kick_idle_cpu(mon, v);
}

void sched_wait(struct vcpu *v)
{
    v->state = VCPU_WAITING;
    v->wait_since = monitor_now(v->vm->mon);
}

void sched_kick(struct vcpu *v)
{
    struct monitor *mon = v->vm->mon;
    if (v->state == VCPU_WAITING)
        sched_make_runnable(v);
    else if (v->state == VCPU_RUNNING && v->pcpu != mon->cur_cpu)
        sim_ipi_send(mon->m, v->pcpu); /* it takes the virtual interrupt on its next trap */
}

void sched_remove(struct vcpu *v)
{
    struct monitor *mon = v->vm->mon;
    if (v->state == VCPU_RUNNABLE)
        runq_unlink(mon, v);
    if (v->state == VCPU_WAITING)
        v->time.idle += monitor_now(mon) - v->wait_since;
    v->state = VCPU_DEAD;
    vdev_timer_cancel(v);
    /* If it is on another CPU, that CPU notices at its next trap. */
    if (v->pcpu >= 0 && v->pcpu != mon->cur_cpu)
        sim_ipi_send(mon->m, v->pcpu);
}

/* Take v off CPU cpu, saving its registers. */
static void switch_out(struct monitor *mon, struct pcpu *pc)
{
    struct vcpu *v = pc->cur;
    sched_account(mon, pc->id);
    trace_vcpu_out(mon, pc->id, v);
    for (int r = 1; r < 32; r++)
        v->gpr[r] = sim_cpu_reg(mon->m, pc->id, r);
    v->hi = sim_cpu_hi(mon->m, pc->id);
    v->lo = sim_cpu_lo(mon->m, pc->id);
    /* Its translations leave with it: a CPU running no vCPU holds no TLB
     * entry (check.h, invariant 1), so nothing it caches can outlive a
     * page the vCPU's VM gives back while it is off the CPU. */
    sim_tlb_flush(mon->m, pc->id);
    v->pcpu = -1;
    v->need_resched = false;
    pc->cur = NULL;
    if (pc->quantum_event) {
        sim_event_cancel(mon->m, pc->quantum_event);
        pc->quantum_event = 0;
    }
    if (v->state == VCPU_RUNNING) {
        v->state = VCPU_RUNNABLE;
        runq_push(mon, v);
    }
}

/* Put v on CPU cpu: its registers, its ASID, an empty TLB. */
static void switch_in(struct monitor *mon, struct pcpu *pc, struct vcpu *v)
{
    sched_account(mon, pc->id); /* time before this belongs to no vCPU */
    trace_vcpu_in(mon, pc->id, v);
    pc->cur = v;
    pc->switches++;
    v->pcpu = pc->id;
    v->state = VCPU_RUNNING;
    v->run_since = monitor_now(mon);
    for (int r = 1; r < 32; r++)
        sim_cpu_set_reg(mon->m, pc->id, r, v->gpr[r]);
    sim_cpu_set_hilo(mon->m, pc->id, v->hi, v->lo);
    sim_tlb_flush(mon->m, pc->id);
    sim_cpu_set_cp0(mon->m, pc->id, CP0_ENTRYHI, 0, v->cp0.entryhi & ENTRYHI_ASID_MASK);
    monitor_charge(mon, mon->cost.vcpu_switch);
    arm_quantum(mon, pc);
}

/* Can anything ever wake a VM again? Not when every CPU is parked, no
 * vCPU is runnable, and every live vCPU waits with no virtual timer armed
 * and no disk request in flight: the VMs are hung, and the run ends. */
static bool all_hung(struct monitor *mon)
{
    if (mon->runq_head || mon->vms_running == 0)
        return false;
    for (int c = 0; c < mon->ncpus; c++)
        if (!mon->pcpu[c].idle)
            return false;
    for (int i = 0; i < mon->nvms; i++) {
        struct vm *vm = mon->vm[i];
        if (vm->halted)
            continue;
        for (int k = 0; k < vm->ndisks; k++)
            if (vm->disk[k].status == 1)
                return false;
        for (int k = 0; k < vm->nvcpus; k++) {
            const struct vcpu *v = &vm->vcpu[k];
            if (v->state == VCPU_RUNNING || v->state == VCPU_RUNNABLE ||
                (v->state == VCPU_WAITING && v->timer_event))
                return false;
        }
    }
    return true;
}

void sched_dispatch(struct monitor *mon, int cpu)
{
    struct pcpu *pc = &mon->pcpu[cpu];
    for (;;) {
        struct vcpu *v = pc->cur;
        if (v && (v->state != VCPU_RUNNING || (v->need_resched && mon->runq_head)))
            switch_out(mon, pc);
        if (v)
            v->need_resched = false;
        if (!pc->cur) {
            monitor_charge(mon, mon->cost.schedule);
            struct vcpu *next = runq_take(mon, cpu);
            if (!next) {
                pc->idle = true;
                sim_cpu_idle(mon->m, cpu);
                if (all_hung(mon)) {
                    mon->hung = true;
                    sim_halt(mon->m, 1);
                }
                return;
            }
            switch_in(mon, pc, next);
        }
        /* Resuming may still end the VM (a virtual interrupt it cannot
         * take): then look for other work. */
        emulate_resume(pc->cur);
        if (pc->cur->state == VCPU_RUNNING)
            return;
    }
}
