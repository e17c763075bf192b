/*
 * test_sched.c - scheduling vCPUs on physical CPUs (sched.h): the FIFO run
 * queue with node affinity, waiting and kicking, switching, quanta.
 *
 * A two-node monitor with VMs "a" (home node 0, three vCPUs) and "b"
 * (home node 1). After monitor_create() vCPU 0 of each waits in the run
 * queue, a's first.
 */
#include <criterion/criterion.h>

#include "disco/sched.h"
#include "test_fixture.h"

static struct fx f;
static struct monitor *mon;
static struct vm *a, *b;

static void setup(void)
{
    fx_init(&f);
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    struct vm_config *ca = fx_vm(&f, "a", &p);
    ca->cpus = 3;
    ca->node = 0;
    struct vm_config *cb = fx_vm(&f, "b", &p);
    cb->node = 1;
    mon = fx_create(&f);
    a = mon->vm[0];
    b = mon->vm[1];
}

static void teardown(void)
{
    fx_fini(&f);
}

TestSuite(sched, .init = setup, .fini = teardown);

Test(sched, create_queues_vcpu0_of_each_vm_in_order)
{
    cr_assert_eq(fx_runq_len(mon), 2);
    cr_assert_eq(fx_runq_pos(mon, &a->vcpu[0]), 0);
    cr_assert_eq(fx_runq_pos(mon, &b->vcpu[0]), 1);
    cr_assert_eq(a->vcpu[0].state, VCPU_RUNNABLE);
    cr_assert_eq(a->vcpu[1].state, VCPU_OFF, "other vCPUs wait for MC_CPU_START");
    cr_assert_eq(fx_runq_pos(mon, &a->vcpu[1]), -1);
}

Test(sched, vcpus_get_home_nodes_in_turn)
{
    cr_assert_eq(a->vcpu[0].home_node, 0);
    cr_assert_eq(a->vcpu[1].home_node, 1);
    cr_assert_eq(a->vcpu[2].home_node, 0, "wrapping over the two nodes");
    cr_assert_eq(b->vcpu[0].home_node, 1);
}

Test(sched, make_runnable_appends_at_the_tail)
{
    sched_make_runnable(&a->vcpu[2]);
    sched_make_runnable(&a->vcpu[1]);
    cr_assert_eq(fx_runq_len(mon), 4);
    cr_assert_eq(fx_runq_pos(mon, &a->vcpu[2]), 2);
    cr_assert_eq(fx_runq_pos(mon, &a->vcpu[1]), 3);
    cr_assert_eq(a->vcpu[1].state, VCPU_RUNNABLE);
    cr_assert_eq(mon->runq_tail, &a->vcpu[1]);
}

Test(sched, a_cpu_takes_the_first_vcpu_at_home_on_its_node)
{
    sched_dispatch(mon, 1);
    cr_assert_eq(mon->pcpu[1].cur, &b->vcpu[0], "CPU 1 should pick b (home 1) over a, first in line");
    cr_assert_eq(b->vcpu[0].state, VCPU_RUNNING);
    cr_assert_eq(b->vcpu[0].pcpu, 1);
    cr_assert_eq(fx_runq_pos(mon, &a->vcpu[0]), 0, "a still waits");
    sched_dispatch(mon, 0);
    cr_assert_eq(mon->pcpu[0].cur, &a->vcpu[0]);
    cr_assert_eq(fx_runq_len(mon), 0);
}

Test(sched, a_cpu_takes_the_first_vcpu_when_none_is_at_home)
{
    sched_make_runnable(&a->vcpu[2]); /* home 0 */
    sched_dispatch(mon, 1);            /* takes b */
    sched_dispatch(mon, 0);            /* takes a.0 */
    /* Queue: a.2 only; CPU 1 finishes with b and takes a.2 though it is not at home. */
    sched_remove(&b->vcpu[0]);
    sched_dispatch(mon, 1);
    cr_assert_eq(mon->pcpu[1].cur, &a->vcpu[2], "never leave a CPU idle while a vCPU waits");
}

Test(sched, dispatch_with_nothing_to_run_idles_the_cpu)
{
    sched_remove(&a->vcpu[0]);
    sched_remove(&b->vcpu[0]);
    sched_dispatch(mon, 0);
    cr_assert_null(mon->pcpu[0].cur);
    cr_assert(mon->pcpu[0].idle);
}

Test(sched, switching_in_loads_registers_asid_and_an_empty_tlb)
{
    struct vcpu *v = &b->vcpu[0];
    v->gpr[T5] = 0x55AA55AA;
    v->hi = 7;
    v->lo = 9;
    v->cp0.entryhi = 0x00400000 | 0x3C;
    struct sim_tlb_entry stale = {0x00800000 | 0x3C, 0x1000 | ENTRYLO_V, 0, 0};
    sim_tlb_write(mon->m, 1, 12, &stale);
    sched_dispatch(mon, 1);
    cr_assert_eq(mon->pcpu[1].cur, v);
    cr_assert_eq(sim_cpu_reg(mon->m, 1, T5), 0x55AA55AAu);
    cr_assert_eq(sim_cpu_hi(mon->m, 1), 7u);
    cr_assert_eq(sim_cpu_lo(mon->m, 1), 9u);
    cr_assert_eq(sim_cpu_cp0(mon->m, 1, CP0_ENTRYHI, 0) & ENTRYHI_ASID_MASK, 0x3Cu);
    cr_assert_eq(sim_tlb_probe(mon->m, 1, 0x00800000 | 0x3C), -1,
                 "another vCPU's entries must not survive a switch");
    cr_assert_eq(mon->pcpu[1].switches, 1u);
}

Test(sched, waiting_takes_the_vcpu_off_its_cpu_and_saves_its_registers)
{
    sched_dispatch(mon, 0);
    struct vcpu *v = &a->vcpu[0];
    cr_assert_eq(mon->pcpu[0].cur, v);
    sim_cpu_set_reg(mon->m, 0, S4, 0x12345678);
    sched_wait(v);
    cr_assert_eq(v->state, VCPU_WAITING);
    sched_dispatch(mon, 0); /* the end of its trap */
    cr_assert_neq(mon->pcpu[0].cur, v);
    cr_assert_eq(v->pcpu, -1);
    cr_assert_eq(v->gpr[S4], 0x12345678u, "registers saved when it left");
    cr_assert_eq(fx_runq_pos(mon, v), -1, "a waiting vCPU is in no queue");
}

Test(sched, kick_makes_a_waiting_vcpu_runnable_again)
{
    sched_dispatch(mon, 0);
    struct vcpu *v = &a->vcpu[0];
    sched_wait(v);
    sched_dispatch(mon, 0);
    sched_kick(v);
    cr_assert_eq(v->state, VCPU_RUNNABLE);
    cr_assert_geq(fx_runq_pos(mon, v), 0);
}

Test(sched, kick_wakes_an_idle_cpu_with_an_ipi_preferring_the_home_node)
{
    /* Both CPUs end up idle: b runs on 1 and waits, a runs on 0 and waits. */
    sched_dispatch(mon, 1);
    sched_dispatch(mon, 0);
    sched_wait(&a->vcpu[0]);
    sched_wait(&b->vcpu[0]);
    sched_dispatch(mon, 0);
    sched_dispatch(mon, 1);
    cr_assert(mon->pcpu[0].idle && mon->pcpu[1].idle);
    sim_ipi_ack(mon->m, 0);
    sim_ipi_ack(mon->m, 1);
    sched_kick(&b->vcpu[0]); /* home 1 */
    cr_assert(fx_cpu_ip(mon, 1, IRQ_IPI), "CPU 1 (b's home) was not woken");
    cr_assert(!fx_cpu_ip(mon, 0, IRQ_IPI), "CPU 0 woken for nothing");
    cr_assert(!mon->pcpu[1].idle);
}

Test(sched, kick_of_a_vcpu_running_on_another_cpu_pokes_that_cpu)
{
    sched_dispatch(mon, 1); /* b on CPU 1 */
    sched_dispatch(mon, 0); /* a on CPU 0 */
    mon->cur_cpu = 0;       /* handling a trap on CPU 0 */
    sim_ipi_ack(mon->m, 1);
    sched_kick(&b->vcpu[0]);
    cr_assert(fx_cpu_ip(mon, 1, IRQ_IPI), "CPU 1 must trap to take the virtual interrupt");
    cr_assert_eq(b->vcpu[0].state, VCPU_RUNNING);
}

Test(sched, wait_time_counts_as_idle)
{
    sched_dispatch(mon, 0);
    struct vcpu *v = &a->vcpu[0];
    mon->cur_cpu = 0;
    sched_wait(v);
    sim_cpu_charge(mon->m, 0, 12345);
    sched_kick(v);
    cr_assert_eq(v->time.idle, 12345u);
}

Test(sched, remove_takes_a_runnable_vcpu_out_of_the_queue)
{
    sched_remove(&a->vcpu[0]);
    cr_assert_eq(a->vcpu[0].state, VCPU_DEAD);
    cr_assert_eq(fx_runq_len(mon), 1);
    cr_assert_eq(mon->runq_head, &b->vcpu[0]);
    cr_assert_eq(mon->runq_tail, &b->vcpu[0]);
    sched_remove(&b->vcpu[0]);
    cr_assert_null(mon->runq_head);
    cr_assert_null(mon->runq_tail);
    /* The queue still works. */
    sched_make_runnable(&a->vcpu[1]);
    cr_assert_eq(mon->runq_head, &a->vcpu[1]);
}

Test(sched, a_dead_vcpu_leaves_its_cpu_at_the_next_dispatch)
{
    sched_dispatch(mon, 0);
    sched_remove(&a->vcpu[0]);
    sched_dispatch(mon, 0);
    cr_assert_eq(mon->pcpu[0].cur, &b->vcpu[0], "the CPU takes the next vCPU");
    cr_assert_eq(a->vcpu[0].pcpu, -1);
    cr_assert_eq(fx_runq_pos(mon, &a->vcpu[0]), -1, "a dead vCPU is not queued again");
}

Test(sched, a_busy_machine_arms_quanta)
{
    sched_dispatch(mon, 0);
    sched_dispatch(mon, 1);
    cr_assert_eq(mon->pcpu[1].quantum_event, 0u, "b took the CPU when no one waited: no quantum");
    sched_make_runnable(&a->vcpu[1]);
    cr_assert_neq(mon->pcpu[0].quantum_event, 0u, "a vCPU waits: running ones get a quantum");
    cr_assert_neq(mon->pcpu[1].quantum_event, 0u);
}

Test(sched, need_resched_switches_only_when_another_waits)
{
    sched_dispatch(mon, 0); /* a.0 */
    sched_dispatch(mon, 1); /* b.0 */
    struct vcpu *v = &a->vcpu[0];
    v->need_resched = true;
    sched_dispatch(mon, 0);
    cr_assert_eq(mon->pcpu[0].cur, v, "nobody waits: keep running");
    cr_assert(!v->need_resched);
    sched_make_runnable(&a->vcpu[2]);
    v->need_resched = true;
    sched_dispatch(mon, 0);
    cr_assert_eq(mon->pcpu[0].cur, &a->vcpu[2]);
    cr_assert_eq(v->state, VCPU_RUNNABLE);
    cr_assert_eq(fx_runq_pos(mon, v), 0, "the preempted vCPU queues at the tail");
}

Test(sched, two_vms_share_one_cpu)
{
    /* Whole-machine check: one CPU, two VMs that each print and halt. */
    fx_fini(&f);
    fx_init(&f);
    f.cfg.machine.nodes = 1;
    struct prog p;
    prog_init(&p);
    p_print(&p, FX_DATA, "one\n");
    p_halt(&p, 0);
    fx_vm(&f, "x", &p);
    fx_vm(&f, "y", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_str_eq(fx_out(&f), "x: one\ny: one\n");
}
