/*
 * test_hostapi.c - the host API a monitor is built on: a host-side TLB
 * refill handler, resuming and forwarding exceptions, charges, machine
 * memory and page operations, timed events, idle, stop, deadlock, and
 * argument checking.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

static struct harness h;

static void setup(void) { h_init(&h, NULL); }
static void setup2(void)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 2;
    h_init(&h, &cfg);
}
static void teardown(void) { h_fini(&h); }

TestSuite(monitor, .init = setup, .fini = teardown);
TestSuite(hostmem, .init = setup2, .fini = teardown);
TestSuite(event, .init = setup, .fini = teardown);
TestSuite(cpuctl, .init = setup2, .fini = teardown);
TestSuite(args, .init = setup2, .fini = teardown);

/* ---- a monitor's TLB refill from a host table ---------------------------------- */

#define NPAGES 200                 /* more page pairs than TLB entries */
#define UBASE 0x00400000u          /* the guest's array, in kuseg */
#define PFN0 0x20u                 /* where its pages really are (below 1 MB) */

/* The monitor's page table: guest virtual page -> machine page. The guest's
 * array pages are scattered backwards; low pages (its code) are identity. */
struct pmap {
    uint32_t pfn[NPAGES];
    int refills;
    int others;
    unsigned next;                 /* round-robin TLB slot */
    uint32_t last_code;
};

static bool lookup(const struct pmap *p, uint32_t vpn, uint32_t *pfn)
{
    if (vpn < 0x10) {
        *pfn = vpn;
        return true;
    }
    if (vpn >= (UBASE >> 12) && vpn < (UBASE >> 12) + NPAGES) {
        *pfn = p->pfn[vpn - (UBASE >> 12)];
        return true;
    }
    return false;
}

static void refill_from_table(struct sim *m, const struct sim_exception *e, void *arg)
{
    struct pmap *p = arg;
    if (e->code == EXC_SYS) {
        sim_halt(m, 0);
        return;
    }
    if (!e->refill || (e->code != EXC_TLBL && e->code != EXC_TLBS)) {
        p->others++;
        p->last_code = e->code;
        sim_halt(m, H_EXC_STATUS);
        return;
    }
    p->refills++;
    /* The hardware put the faulting page pair in EntryHi and Context. */
    uint32_t hi = sim_cpu_cp0(m, e->cpu, CP0_ENTRYHI, 0);
    uint32_t vpn2 = hi >> 13;
    uint32_t even, odd;
    if (!lookup(p, vpn2 * 2, &even) || !lookup(p, vpn2 * 2 + 1, &odd) ||
        (e->badvaddr & ENTRYHI_VPN2_MASK) != (hi & ENTRYHI_VPN2_MASK)) {
        p->others++;
        sim_halt(m, H_EXC_STATUS);
        return;
    }
    struct sim_tlb_entry t = {
        .entryhi = hi,
        .entrylo0 = h_pte(even << 12, ENTRYLO_V | ENTRYLO_D | H_PTE_CACHED),
        .entrylo1 = h_pte(odd << 12, ENTRYLO_V | ENTRYLO_D | H_PTE_CACHED),
    };
    sim_tlb_write(m, e->cpu, (int)(p->next++ % MIPS_TLB_ENTRIES), &t);
    sim_cpu_eret(m, e->cpu);
}

Test(monitor, host_handler_refills_the_tlb_from_a_table_for_a_user_program)
{
    struct pmap p = {0};
    for (unsigned i = 0; i < NPAGES; i++)
        p.pfn[i] = PFN0 + (NPAGES - 1 - i);
    sim_set_exception_handler(h.m, refill_from_table, &p);
    /* User program at virtual 0x1000: for each page i, store i at word
     * (i % 1024) of page i; then sum them all back into V0; syscall. */
    h_li(&h, S0, UBASE);
    h_emit(&h, ori(T0, ZERO, 0));
    uint32_t loop = h_emit(&h, andi(T1, T0, 1023));
    h_emit(&h, sll(T1, T1, 2));
    h_emit(&h, addu(T1, T1, S0));
    h_emit(&h, sw(T0, 0, T1));
    h_emit(&h, addiu(T0, T0, 1));
    h_emit(&h, addiu(S0, S0, 4096));
    h_emit(&h, sltiu(T2, T0, NPAGES));
    h_emit(&h, bne(T2, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    h_li(&h, S0, UBASE);
    h_emit(&h, ori(T0, ZERO, 0));
    h_emit(&h, ori(V0, ZERO, 0));
    uint32_t loop2 = h_emit(&h, andi(T1, T0, 1023));
    h_emit(&h, sll(T1, T1, 2));
    h_emit(&h, addu(T1, T1, S0));
    h_emit(&h, lw(T3, 0, T1));
    h_emit(&h, addu(V0, V0, T3));
    h_emit(&h, addiu(T0, T0, 1));
    h_emit(&h, addiu(S0, S0, 4096));
    h_emit(&h, sltiu(T2, T0, NPAGES));
    h_emit(&h, bne(T2, ZERO, h_rel(h_here(&h), loop2)));
    h_emit(&h, nop());
    h_emit(&h, syscall_());
    h_start(&h, 0, CODE_BASE - MIPS_KSEG0, ST_KSU_USER);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT, "%s", sim_stop_message(h.m));
    cr_assert_eq(sim_exit_status(h.m), 0, "unexpected exception %u", p.last_code);
    cr_expect_eq(p.others, 0);
    cr_expect_eq(h_reg(&h, V0), NPAGES * (NPAGES - 1) / 2);
    for (unsigned i = 0; i < NPAGES; i++)
        cr_expect_eq(h_peek32(&h, (p.pfn[i] << 12) + 4 * (i % 1024)), i, "page %u", i);
    /* 100 pairs for the data, twice (they do not fit in 64 entries), plus code. */
    cr_expect_gt(p.refills, 100);
    cr_expect_eq((uint64_t)p.refills, h_stats(&h, 0)->tlb_refill);
    cr_expect_gt(h_stats(&h, 0)->insns[MODE_USER], 2 * NPAGES * 8);
    cr_expect_eq(h_stats(&h, 0)->insns[MODE_KERNEL], 0, "the monitor ran no guest kernel code");
}

/* ---- resuming and forwarding ------------------------------------------------ */

/* Emulate a reserved instruction as "v0 = 42" and resume after it by
 * setting PC and Status by hand (no ERET). */
static void emulate_ri(struct sim *m, const struct sim_exception *e, void *arg)
{
    struct harness *x = arg;
    x->nexc++;
    if (e->code != EXC_RI) {
        sim_halt(m, H_EXC_STATUS);
        return;
    }
    sim_cpu_set_reg(m, e->cpu, V0, 42);
    sim_cpu_set_reg(m, e->cpu, ZERO, 42);
    sim_cpu_set_hilo(m, e->cpu, 1, 2);
    uint32_t st = sim_cpu_cp0(m, e->cpu, CP0_STATUS, 0);
    sim_cpu_set_cp0(m, e->cpu, CP0_STATUS, 0, st & ~ST_EXL);
    sim_cpu_set_pc(m, e->cpu, e->epc + 4);
}

Test(monitor, handler_can_emulate_an_instruction_and_resume_by_setting_pc_and_status)
{
    sim_set_exception_handler(h.m, emulate_ri, &h);
    H_EXEC(&h, 0xEC000000u, addiu(V1, V0, 1), mfhi(S0), mflo(S1), mfc0(S2, CP0_STATUS, 0));
    cr_expect_eq(h.nexc, 1);
    cr_expect_eq(h_reg(&h, V0), 42);
    cr_expect_eq(h_reg(&h, V1), 43);
    cr_expect_eq(h_reg(&h, ZERO), 0);
    cr_expect_eq(h_reg(&h, S0), 1);
    cr_expect_eq(h_reg(&h, S1), 2);
    cr_expect_eq(h_reg(&h, S2) & ST_EXL, 0);
}

#define GUEST_VECTOR 0x80003000u

/* Forward every exception to a "guest" vector, rewriting BadVAddr and
 * Cause as the monitor would for a guest TLB miss. */
static void forward(struct sim *m, const struct sim_exception *e, void *arg)
{
    (void)arg;
    sim_cpu_set_cp0(m, e->cpu, CP0_BADVADDR, 0, 0xDEAD0000u);
    uint32_t cause = sim_cpu_cp0(m, e->cpu, CP0_CAUSE, 0);
    cause = (cause & ~CAUSE_EXC_MASK) | (EXC_TLBL << CAUSE_EXC_SHIFT);
    sim_cpu_set_cp0(m, e->cpu, CP0_CAUSE, 0, cause);
    sim_cpu_set_pc(m, e->cpu, GUEST_VECTOR);
}

Test(monitor, handler_can_forward_to_a_guest_vector_with_rewritten_cause_and_badvaddr)
{
    sim_set_exception_handler(h.m, forward, NULL);
    h_emit(&h, nop());
    uint32_t at = h_emit(&h, syscall_());
    h_halt(&h, 1);
    h_org(&h, GUEST_VECTOR);
    h_emit(&h, mfc0(S4, CP0_EPC, 0));
    h_emit(&h, mfc0(S5, CP0_CAUSE, 0));
    h_emit(&h, mfc0(S6, CP0_STATUS, 0));
    h_emit(&h, mfc0(S7, CP0_BADVADDR, 0));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(sim_exit_status(h.m), 0);
    cr_expect_eq(h_reg(&h, S4), at);
    cr_expect_eq(cause_exc(h_reg(&h, S5)), EXC_TLBL);
    cr_expect(h_reg(&h, S6) & ST_EXL);
    cr_expect_eq(h_reg(&h, S7), 0xDEAD0000u);
}

/* ---- charges ----------------------------------------------------------------- */

static void charge_5000(struct harness *x, int k)
{
    (void)k;
    sim_cpu_charge(x->m, 0, 5000);
}

Test(monitor, charge_moves_the_cpus_clock_and_counts_as_monitor_time)
{
    h_catch(&h, H_EXC_PROBE);
    h.on_probe = charge_5000;
    h_emit(&h, syscall_());
    h_emit(&h, syscall_());
    h_emit(&h, mfc0(S0, CP0_COUNT, 0));
    H_EXEC(&h, nop());
    cr_assert_eq(h.nprobe, 2);
    /* probe 1 saw the charge made at probe 0, plus the two cycles of a syscall */
    uint64_t d = h.probe_cycles[1] - h.probe_cycles[0];
    cr_expect_geq(d, 5000);
    cr_expect_lt(d, 5000 + 100);
    cr_expect_eq(h.probe[1].cycles[TIME_MONITOR] - h.probe[0].cycles[TIME_MONITOR], 5000);
    cr_expect_geq(h_stats(&h, 0)->cycles[TIME_MONITOR], 10000);
    cr_expect_geq(h_reg(&h, S0), 10000, "Count did not follow the charge");
}

Test(monitor, charge_of_an_idle_machine_before_running)
{
    uint64_t before = sim_cpu_cycles(h.m, 0);
    cr_expect_eq(sim_cpu_charge(h.m, 0, 777), 0);
    cr_expect_eq(sim_cpu_cycles(h.m, 0), before + 777);
    cr_expect_eq(sim_cpu_stats(h.m, 0)->cycles[TIME_MONITOR], 777);
    cr_expect_eq(sim_cpu_charge(h.m, 3, 1), -1);
}

/* ---- machine memory ----------------------------------------------------------- */

#define PG_A 0x00020000u
#define PG_B 0x00030000u
#define PG_REMOTE 0x00120000u /* node 1 */

static void fill_page(uint32_t pa, uint32_t seed)
{
    uint32_t buf[1024];
    for (unsigned i = 0; i < 1024; i++)
        buf[i] = seed * 0x10000u + i;
    cr_assert_eq(sim_mem_write(h.m, -1, pa, buf, sizeof buf), 0);
}

Test(hostmem, read_and_write_with_no_cpu_charge_nobody)
{
    fill_page(PG_A, 1);
    uint32_t v = 0;
    cr_expect_eq(sim_mem_read(h.m, -1, PG_A + 8, &v, 4), 0);
    cr_expect_eq(v, 0x10002); /* word 2 */
    cr_expect_eq(sim_mem_copy_page(h.m, -1, PG_B, PG_A), 0);
    cr_expect_eq(sim_mem_zero_page(h.m, -1, PG_A), 0);
    for (int c = 0; c < 2; c++) {
        cr_expect_eq(sim_cpu_cycles(h.m, c), 0);
        const struct sim_cpu_stats *st = sim_cpu_stats(h.m, c);
        cr_expect_eq(st->misses_local + st->misses_remote, 0);
        cr_expect_eq(st->cycles[TIME_MONITOR], 0);
    }
}

Test(hostmem, copy_page_moves_the_data_and_charges_the_named_cpu)
{
    fill_page(PG_A, 3);
    cr_assert_eq(sim_mem_copy_page(h.m, 0, PG_B, PG_A), 0);
    uint32_t buf[1024];
    sim_mem_read(h.m, -1, PG_B, buf, sizeof buf);
    for (unsigned i = 0; i < 1024; i += 97)
        cr_expect_eq(buf[i], 3 * 0x10000u + i);
    /* 32 lines read and 32 written, all local misses. */
    const struct sim_cpu_stats *st = sim_cpu_stats(h.m, 0);
    cr_expect_eq(st->misses_local, 64);
    cr_expect_eq(sim_cpu_cycles(h.m, 0), 64 * h.cfg.lat_local);
    cr_expect_eq(st->cycles[TIME_MONITOR], 64 * h.cfg.lat_local);
    cr_expect_eq(sim_cpu_cycles(h.m, 1), 0);
}

Test(hostmem, copy_from_another_node_costs_remote_misses)
{
    fill_page(PG_REMOTE, 4);
    cr_assert_eq(sim_mem_copy_page(h.m, 0, PG_B, PG_REMOTE), 0);
    const struct sim_cpu_stats *st = sim_cpu_stats(h.m, 0);
    cr_expect_eq(st->misses_remote, 32);
    cr_expect_eq(st->misses_local, 32);
    cr_expect_eq(sim_cpu_cycles(h.m, 0), 32 * h.cfg.lat_remote + 32 * h.cfg.lat_local);
    cr_expect_eq(sim_magic_count(h.m, PG_REMOTE >> 12, 0), 32, "MAGIC counts the monitor's misses");
}

Test(hostmem, zero_page_clears_and_charges)
{
    fill_page(PG_B, 5);
    cr_assert_eq(sim_mem_zero_page(h.m, 1, PG_B), 0);
    uint32_t buf[1024];
    sim_mem_read(h.m, -1, PG_B, buf, sizeof buf);
    for (unsigned i = 0; i < 1024; i++)
        cr_assert_eq(buf[i], 0, "word %u", i);
    cr_expect_eq(sim_cpu_stats(h.m, 1)->misses_remote, 32);
    cr_expect_eq(sim_cpu_cycles(h.m, 1), 32 * h.cfg.lat_remote);
}

Test(hostmem, a_second_read_of_a_cached_range_is_free)
{
    fill_page(PG_A, 1);
    uint32_t v;
    sim_mem_read(h.m, 0, PG_A, &v, 4);
    uint64_t c = sim_cpu_cycles(h.m, 0);
    cr_expect_eq(c, h.cfg.lat_local);
    sim_mem_read(h.m, 0, PG_A + 4, &v, 4);
    cr_expect_eq(sim_cpu_cycles(h.m, 0), c);
}

/* CPU 1 loads a word of PG_B (probe 0 after it), the monitor copies PG_A
 * over PG_B charging CPU 0 (in probe 0), CPU 1 loads it again (probe 1). */
static void copy_a_to_b(struct harness *x, int k)
{
    if (k == 0)
        cr_assert_eq(sim_mem_copy_page(x->m, 0, PG_B, PG_A), 0);
}

Test(hostmem, copy_page_invalidates_other_cpus_cached_copies)
{
    fill_page(PG_A, 7);
    fill_page(PG_B, 8);
    h_catch(&h, H_EXC_PROBE);
    h.on_probe = copy_a_to_b;
    uint32_t cpu1 = 0x80004000u;
    h_org(&h, cpu1);
    h_li(&h, S0, PG_B | MIPS_KSEG0);
    h_align(&h, 128);
    h_emit(&h, lw(S1, 16, S0));
    h_emit(&h, syscall_());
    h_emit(&h, lw(S2, 16, S0));
    h_emit(&h, syscall_());
    h_halt(&h, 0);
    h_start(&h, 1, cpu1, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nprobe, 2);
    cr_expect_eq(h.probe_cpu[0], 1);
    cr_expect_eq(sim_cpu_reg(h.m, 1, S1), 8 * 0x10000u + 4);
    cr_expect_eq(sim_cpu_reg(h.m, 1, S2), 7 * 0x10000u + 4);
    cr_expect_eq(h.probe[1].misses_local + h.probe[1].misses_remote - h.probe[0].misses_local -
                     h.probe[0].misses_remote,
                 1, "CPU 1 still had the old copy of the line");
    /* CPU 0 is in reset, but the monitor's work is charged to it. */
    cr_expect_eq(sim_cpu_stats(h.m, 0)->cycles[TIME_MONITOR], 64 * h.cfg.lat_local);
}

Test(hostmem, page_operations_check_alignment_and_range)
{
    uint64_t end = sim_mem_size(h.m);
    cr_expect_eq(sim_mem_size(h.m), 2u << 20);
    cr_expect_eq(sim_mem_copy_page(h.m, 0, PG_B + 4, PG_A), -1);
    cr_expect_eq(sim_mem_copy_page(h.m, 0, PG_B, PG_A + 0x800), -1);
    cr_expect_eq(sim_mem_copy_page(h.m, 0, end, PG_A), -1);
    cr_expect_eq(sim_mem_copy_page(h.m, 0, PG_B, end), -1);
    cr_expect_eq(sim_mem_copy_page(h.m, 2, PG_B, PG_A), -1);
    cr_expect_eq(sim_mem_zero_page(h.m, 0, PG_B + 16), -1);
    cr_expect_eq(sim_mem_zero_page(h.m, 0, end), -1);
    cr_expect_eq(sim_mem_zero_page(h.m, 5, PG_B), -1);
    uint8_t buf[8];
    cr_expect_eq(sim_mem_read(h.m, -1, end - 4, buf, 8), -1);
    cr_expect_eq(sim_mem_read(h.m, -1, end - 8, buf, 8), 0);
    cr_expect_eq(sim_mem_write(h.m, -1, end, buf, 1), -1);
    cr_expect_eq(sim_mem_write(h.m, 7, PG_A, buf, 1), -1);
    cr_expect_eq(sim_mem_read(h.m, -1, 0x1F000000u, buf, 4), -1, "device registers are not memory");
    cr_expect_eq(sim_cpu_cycles(h.m, 0), 0, "a refused operation was charged");
}

Test(hostmem, mem_node_says_which_node_owns_an_address)
{
    cr_expect_eq(sim_mem_node(h.m, 0), 0);
    cr_expect_eq(sim_mem_node(h.m, (1u << 20) - 1), 0);
    cr_expect_eq(sim_mem_node(h.m, 1u << 20), 1);
    cr_expect_eq(sim_mem_node(h.m, 2u << 20), -1);
}

/* ---- timed events --------------------------------------------------------------- */

struct ev_log {
    int n;
    uint64_t when[8];
    int tag[8];
    uint64_t cpu_cycles[8];
    struct sim *m;
};

struct ev {
    struct ev_log *log;
    int tag;
};

static void ev_record(struct sim *m, void *arg)
{
    struct ev *e = arg;
    struct ev_log *log = e->log;
    if (log->n < 8) {
        log->when[log->n] = sim_now(m);
        log->tag[log->n] = e->tag;
        log->cpu_cycles[log->n] = sim_cpu_cycles(m, 0);
    }
    log->n++;
}

static void ev_halt(struct sim *m, void *arg)
{
    (void)arg;
    sim_halt(m, 0);
}

/* CPU 0 spins forever; the last event halts. */
static void spin_forever(void)
{
    h_emit(&h, b(-1));
    h_emit(&h, nop());
    h_start(&h, 0, CODE_BASE, 0);
}

Test(event, events_fire_at_their_time_in_order)
{
    struct ev_log log = {0};
    struct ev e1 = {&log, 1}, e2 = {&log, 2}, e3 = {&log, 3}, e4 = {&log, 4};
    cr_assert_neq(sim_event_at(h.m, 5000, ev_record, &e3), 0);
    cr_assert_neq(sim_event_at(h.m, 3000, ev_record, &e1), 0);
    cr_assert_neq(sim_event_at(h.m, 3000, ev_record, &e2), 0); /* same time: in scheduling order */
    cr_assert_neq(sim_event_at(h.m, 7777, ev_record, &e4), 0);
    sim_event_at(h.m, 9000, ev_halt, NULL);
    spin_forever();
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(log.n, 4);
    const uint64_t want_when[4] = {3000, 3000, 5000, 7777};
    for (int i = 0; i < 4; i++) {
        cr_expect_eq(log.tag[i], i + 1, "event %d was %d", i, log.tag[i]);
        cr_expect_eq(log.when[i], want_when[i], "event %d at %lu", i, (unsigned long)log.when[i]);
        /* the running CPU's slice ended at the event */
        cr_expect_geq(log.cpu_cycles[i], want_when[i]);
        cr_expect_lt(log.cpu_cycles[i], want_when[i] + 10);
    }
}

Test(event, cancel_prevents_firing)
{
    struct ev_log log = {0};
    struct ev e1 = {&log, 1}, e2 = {&log, 2};
    uint64_t id1 = sim_event_at(h.m, 2000, ev_record, &e1);
    uint64_t id2 = sim_event_at(h.m, 4000, ev_record, &e2);
    cr_assert_neq(id1, id2);
    cr_expect(sim_event_cancel(h.m, id1));
    cr_expect_not(sim_event_cancel(h.m, id1), "cancelled twice");
    sim_event_at(h.m, 6000, ev_halt, NULL);
    spin_forever();
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(log.n, 1);
    cr_expect_eq(log.tag[0], 2);
    cr_expect_not(sim_event_cancel(h.m, id2), "an event that fired was still pending");
}

static void ev_chain(struct sim *m, void *arg)
{
    struct ev *e = arg;
    ev_record(m, arg);
    if (e->log->n < 3)
        sim_event_at(m, sim_now(m) + 1500, ev_chain, arg);
    else
        sim_event_at(m, sim_now(m) + 10, ev_halt, NULL);
}

Test(event, an_event_can_schedule_the_next)
{
    struct ev_log log = {0};
    struct ev e = {&log, 1};
    sim_event_at(h.m, 1000, ev_chain, &e);
    spin_forever();
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(log.n, 3);
    cr_expect_eq(log.when[0], 1000);
    cr_expect_eq(log.when[1], 2500);
    cr_expect_eq(log.when[2], 4000);
}

Test(event, events_fire_even_when_every_cpu_is_off)
{
    struct ev_log log = {0};
    struct ev e1 = {&log, 1};
    sim_event_at(h.m, 123456, ev_record, &e1);
    cr_expect_eq(h_run(&h), SIM_STOP_DEADLOCK);
    cr_assert_eq(log.n, 1);
    cr_expect_eq(log.when[0], 123456);
}

Test(event, a_null_function_is_refused)
{
    cr_expect_eq(sim_event_at(h.m, 10, NULL, NULL), 0);
}

/* ---- idle, stop, running, deadlock --------------------------------------------- */

struct idle_state {
    int calls;
    unsigned codes[4];
    uint64_t idle_at, woke_at;
};

static void ev_ipi0(struct sim *m, void *arg)
{
    (void)arg;
    sim_ipi_send(m, 0);
}

/* SYSCALL: resume after it, but idle first. Interrupt: ACK and resume. */
static void idle_handler(struct sim *m, const struct sim_exception *e, void *arg)
{
    struct idle_state *s = arg;
    if (s->calls < 4)
        s->codes[s->calls] = e->code;
    s->calls++;
    if (e->code == EXC_SYS) {
        sim_cpu_set_cp0(m, e->cpu, CP0_EPC, 0, e->epc + 4);
        sim_cpu_eret(m, e->cpu);
        s->idle_at = sim_cpu_cycles(m, e->cpu);
        cr_assert_eq(sim_cpu_idle(m, e->cpu), 0);
        sim_event_at(m, 20000, ev_ipi0, NULL);
    } else if (e->code == EXC_INT) {
        s->woke_at = sim_cpu_cycles(m, e->cpu);
        sim_ipi_ack(m, e->cpu);
        sim_cpu_eret(m, e->cpu);
    } else {
        sim_halt(m, H_EXC_STATUS);
    }
}

Test(cpuctl, idle_waits_for_an_interrupt_even_masked_then_calls_the_handler_with_int)
{
    struct idle_state s = {0};
    sim_set_exception_handler(h.m, idle_handler, &s);
    H_EXEC(&h, syscall_(), addiu(V0, ZERO, 5));
    cr_assert_eq(s.calls, 2);
    cr_expect_eq(s.codes[0], EXC_SYS);
    cr_expect_eq(s.codes[1], EXC_INT);
    cr_expect_geq(s.woke_at, 20000);
    cr_expect_lt(s.woke_at, 20000 + 100);
    cr_expect_eq(h_reg(&h, V0), 5, "the program did not resume after the syscall");
    const struct sim_cpu_stats *st = h_stats(&h, 0);
    cr_expect_geq(st->cycles[TIME_IDLE], 20000 - s.idle_at - 10);
    cr_expect_leq(st->cycles[TIME_IDLE], 20000 - s.idle_at);
}

Test(cpuctl, idle_of_a_cpu_in_reset_is_refused)
{
    cr_expect_eq(sim_cpu_idle(h.m, 1), -1);
    cr_expect_eq(sim_cpu_idle(h.m, 5), -1);
}

static void stop_on_syscall(struct sim *m, const struct sim_exception *e, void *arg)
{
    (void)arg;
    if (e->code == EXC_SYS)
        cr_assert_eq(sim_cpu_stop(m, e->cpu), 0);
    else
        sim_halt(m, H_EXC_STATUS);
}

Test(cpuctl, stop_puts_a_cpu_back_in_reset_while_others_run)
{
    sim_set_exception_handler(h.m, stop_on_syscall, NULL);
    uint32_t cpu1 = 0x80004000u;
    h_org(&h, cpu1);
    h_emit(&h, syscall_());
    h_emit(&h, addiu(V0, ZERO, 1)); /* never runs */
    h_org(&h, CODE_BASE);
    h_emit(&h, ori(T0, ZERO, 3000));
    uint32_t loop = h_emit(&h, addiu(T0, T0, -1));
    h_emit(&h, bne(T0, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, 0);
    h_start(&h, 1, cpu1, 0);
    cr_expect(sim_cpu_running(h.m, 1));
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 0);
    cr_expect_not(sim_cpu_running(h.m, 1));
    cr_expect(sim_cpu_running(h.m, 0));
    cr_expect_eq(sim_cpu_reg(h.m, 1, V0), 0);
    cr_expect_gt(sim_cpu_stats(h.m, 1)->cycles[TIME_OFF], 8000);
}

Test(cpuctl, a_stopped_cpu_can_be_started_again)
{
    h_start(&h, 1, CODE_BASE, 0);
    cr_expect_eq(sim_cpu_start(h.m, 1, CODE_BASE, 0, 0), -1, "started twice");
    cr_expect_eq(sim_cpu_stop(h.m, 1), 0);
    cr_expect_not(sim_cpu_running(h.m, 1));
    cr_expect_eq(sim_cpu_start(h.m, 1, CODE_BASE + 8, ST_KSU_SUPER, 77), 0);
    cr_expect_eq(sim_cpu_pc(h.m, 1), CODE_BASE + 8);
    cr_expect_eq(sim_cpu_reg(h.m, 1, A0), 77);
    cr_expect_eq(sim_cpu_mode(h.m, 1), MODE_SUPERVISOR);
}

Test(cpuctl, a_machine_with_no_cpu_started_deadlocks)
{
    cr_expect_eq(h_run(&h), SIM_STOP_DEADLOCK);
    cr_expect_eq(sim_exit_status(h.m), SIM_EXIT_DEADLOCK);
    cr_expect_eq(SIM_EXIT_DEADLOCK, 126);
}

Test(cpuctl, stopping_the_last_running_cpu_deadlocks)
{
    sim_set_exception_handler(h.m, stop_on_syscall, NULL);
    h_emit(&h, syscall_());
    h_halt(&h, 0);
    cr_expect_eq(h_go(&h), SIM_STOP_DEADLOCK);
    cr_expect_eq(sim_exit_status(h.m), 126);
    cr_expect_neq(strstr(sim_stop_message(h.m), "deadlock"), NULL, "%s", sim_stop_message(h.m));
}

Test(cpuctl, a_cpu_waiting_with_its_timer_set_is_not_a_deadlock)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.cache_enabled = false;
    h_fini(&h);
    h_init(&h, &cfg);
    h_emit(&h, ori(T0, ZERO, 30000));
    h_emit(&h, mtc0(T0, CP0_COMPARE, 0));
    h_emit(&h, wait_());
    H_EXEC(&h, nop());
    cr_expect_geq(sim_cpu_cycles(h.m, 0), 30000);
}

Test(cpuctl, cycle_limit_stops_with_status_124)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.max_cycles = 50000;
    h_fini(&h);
    h_init(&h, &cfg);
    spin_forever();
    cr_expect_eq(h_run(&h), SIM_STOP_CYCLE_LIMIT);
    cr_expect_eq(sim_exit_status(h.m), SIM_EXIT_CYCLE_LIMIT);
    cr_expect_eq(SIM_EXIT_CYCLE_LIMIT, 124);
    cr_expect_eq(sim_now(h.m), 50000);
    cr_expect_geq(sim_cpu_cycles(h.m, 0), 50000);
    cr_expect_lt(sim_cpu_cycles(h.m, 0), 50010);
}

Test(cpuctl, host_halt_stops_with_the_low_byte_of_its_status)
{
    sim_event_at(h.m, 100, ev_halt, NULL);
    spin_forever();
    cr_expect_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 0);
}

/* ---- argument checks --------------------------------------------------------------- */

Test(args, cpu_and_register_numbers_are_checked)
{
    cr_expect_eq(sim_cpu_set_reg(h.m, 2, 1, 5), -1);
    cr_expect_eq(sim_cpu_set_reg(h.m, -1, 1, 5), -1);
    cr_expect_eq(sim_cpu_set_reg(h.m, 0, 32, 5), -1);
    cr_expect_eq(sim_cpu_set_reg(h.m, 0, -1, 5), -1);
    cr_expect_eq(sim_cpu_set_reg(h.m, 0, 0, 5), 0);
    cr_expect_eq(sim_cpu_reg(h.m, 0, 0), 0, "$0 was written");
    cr_expect_eq(sim_cpu_set_reg(h.m, 1, 31, 5), 0);
    cr_expect_eq(sim_cpu_reg(h.m, 1, 31), 5);
    cr_expect_eq(sim_cpu_reg(h.m, 2, 31), 0);
    cr_expect_eq(sim_cpu_reg(h.m, 1, 32), 0);
    cr_expect_eq(sim_cpu_set_pc(h.m, 2, 0), -1);
    cr_expect_eq(sim_cpu_pc(h.m, 2), 0);
    cr_expect_eq(sim_cpu_set_hilo(h.m, 2, 0, 0), -1);
    cr_expect_eq(sim_cpu_hi(h.m, 2), 0);
    cr_expect_eq(sim_cpu_set_cp0(h.m, 0, 32, 0, 1), -1);
    cr_expect_eq(sim_cpu_set_cp0(h.m, 0, -1, 0, 1), -1);
    cr_expect_eq(sim_cpu_set_cp0(h.m, 2, CP0_EPC, 0, 1), -1);
    cr_expect_eq(sim_cpu_cp0(h.m, 2, CP0_STATUS, 0), 0);
    cr_expect_eq(sim_cpu_eret(h.m, 2), -1);
    cr_expect_eq(sim_cpu_mode(h.m, 2), -1);
    cr_expect_eq(sim_cpu_cycles(h.m, 2), 0);
    cr_expect_eq(sim_cpu_stats(h.m, 2), NULL);
    cr_expect_eq(sim_cpu_start(h.m, 2, CODE_BASE, 0, 0), -1);
    cr_expect_eq(sim_cpu_stop(h.m, 2), -1);
    cr_expect_not(sim_cpu_running(h.m, 2));
    cr_expect_eq(sim_ncpus(h.m), 2);
}

Test(args, set_cp0_keeps_read_only_fields)
{
    cr_expect_eq(sim_cpu_set_cp0(h.m, 0, CP0_PRID, 1, 0x12345678), 0);
    cr_expect_eq(sim_cpu_cp0(h.m, 0, CP0_PRID, 1) & 0x3FF, 0);
    cr_expect_eq(sim_cpu_set_cp0(h.m, 1, CP0_INDEX, 0, 0xFFFFFFFF), 0);
    cr_expect_eq(sim_cpu_cp0(h.m, 1, CP0_INDEX, 0), 63, "Index.P or high bits became writable");
    cr_expect_eq(sim_cpu_set_cp0(h.m, 0, CP0_STATUS, 0, 0xFFFFFFFF), 0);
    cr_expect_eq(sim_cpu_cp0(h.m, 0, CP0_STATUS, 0) & 0x00B800E0u, 0, "reserved Status bits");
    cr_expect_eq(sim_cpu_set_cp0(h.m, 0, CP0_CONTEXT, 0, 0xFFFFFFFF), 0);
    cr_expect_eq(sim_cpu_cp0(h.m, 0, CP0_CONTEXT, 0), CONTEXT_PTEBASE_MASK);
}

Test(args, config_is_checked_with_a_message)
{
    struct sim_config cfg;
    char err[256];
    sim_config_default(&cfg);
    cr_expect_eq(sim_config_check(&cfg, err, sizeof err), 0);
    cfg.nodes = 0;
    cr_expect_eq(sim_config_check(&cfg, err, sizeof err), -1);
    cr_expect_neq(strstr(err, "nodes"), NULL, "%s", err);
    sim_config_default(&cfg);
    cfg.nodes = 33;
    cr_expect_eq(sim_config_check(&cfg, err, sizeof err), -1);
    sim_config_default(&cfg);
    cfg.mem_per_node = 3u << 20;
    cr_expect_eq(sim_config_check(&cfg, err, sizeof err), -1);
    cr_expect_neq(strstr(err, "power of two"), NULL, "%s", err);
    sim_config_default(&cfg);
    cfg.nodes = 16;
    cfg.mem_per_node = 32u << 20; /* 512 MB: over 496 MB */
    cr_expect_eq(sim_config_check(&cfg, err, sizeof err), -1);
    cr_expect_eq(sim_create(&cfg, err, sizeof err), NULL);
    sim_config_default(&cfg);
    cfg.cache_line = 100;
    cr_expect_eq(sim_config_check(&cfg, err, sizeof err), -1);
    sim_config_default(&cfg);
    cfg.hot_threshold = 0;
    cr_expect_eq(sim_config_check(&cfg, err, sizeof err), -1);
    sim_config_default(&cfg);
    cfg.quantum = 0;
    cr_expect_eq(sim_config_check(&cfg, err, sizeof err), -1);
}

Test(args, several_machines_live_side_by_side)
{
    struct harness other;
    h_init(&other, NULL);
    h_set(&h, V0, 1);
    h_set(&other, V0, 2);
    H_EXEC(&h, addiu(V0, V0, 10));
    h_exec(&other, (const uint32_t[]){addiu(V0, V0, 20)}, 1);
    cr_expect_eq(h_reg(&h, V0), 11);
    cr_expect_eq(h_reg(&other, V0), 22);
    h_fini(&other);
}

/* ---- monitor writes and LL/SC ------------------------------------------------ */

#define LL_PA 0x00010000u

struct ll_write {
    int charge_cpu; /* the CPU the monitor charges for its write */
    bool zero_page; /* zero the whole page instead of writing one word */
};

static void monitor_writes_the_line(struct sim *m, void *arg)
{
    const struct ll_write *w = arg;
    if (w->zero_page) {
        sim_mem_zero_page(m, w->charge_cpu, LL_PA);
    } else {
        uint32_t v = 100;
        sim_mem_write(m, w->charge_cpu, LL_PA, &v, 4);
    }
}

/* CPU 0: LL the word at LL_PA, spin past time 2000, SC word + 1. At 2000 a
 * timed event (the monitor, e.g. completing an emulated DMA) writes the
 * line. Returns the SC result; *word gets the final memory value. */
static uint32_t sc_after_monitor_write(const struct ll_write *w, uint32_t *word)
{
    h_poke32(&h, LL_PA, 7);
    sim_event_at(h.m, 2000, monitor_writes_the_line, (void *)w);
    h_li(&h, S0, LL_PA | MIPS_KSEG0);
    h_emit(&h, ll(T0, 0, S0));
    h_emit(&h, ori(T1, ZERO, 2000));
    uint32_t loop = h_emit(&h, addiu(T1, T1, -1));
    h_emit(&h, bne(T1, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    h_emit(&h, addiu(T0, T0, 1));
    H_EXEC(&h, sc(T0, 0, S0));
    *word = h_peek32(&h, LL_PA);
    return h_reg(&h, T0);
}

Test(hostmem, a_monitor_write_charged_to_another_cpu_breaks_the_ll_link)
{
    struct ll_write w = {.charge_cpu = 1};
    uint32_t word;
    cr_expect_eq(sc_after_monitor_write(&w, &word), 0, "SC succeeded");
    cr_expect_eq(word, 100, "the monitor's write was lost");
}

Test(hostmem, a_monitor_write_charged_to_nobody_breaks_the_ll_link)
{
    struct ll_write w = {.charge_cpu = -1};
    uint32_t word;
    cr_expect_eq(sc_after_monitor_write(&w, &word), 0, "SC succeeded");
    cr_expect_eq(word, 100, "the monitor's write was lost");
}

/* MACHINE.md: the link is broken by any other agent's write to the line.
 * The monitor writing from a timed event is not CPU 0 executing a store,
 * even when it charges the work to CPU 0: CPU 0's SC must fail, or the
 * monitor's write is silently overwritten (a lost update). */
Test(hostmem, a_monitor_write_charged_to_the_linked_cpu_breaks_its_ll_link)
{
    struct ll_write w = {.charge_cpu = 0};
    uint32_t word;
    cr_expect_eq(sc_after_monitor_write(&w, &word), 0, "SC succeeded");
    cr_expect_eq(word, 100, "the monitor's write was lost");
}

Test(hostmem, a_monitor_page_zero_charged_to_the_linked_cpu_breaks_its_ll_link)
{
    struct ll_write w = {.charge_cpu = 0, .zero_page = true};
    uint32_t word;
    cr_expect_eq(sc_after_monitor_write(&w, &word), 0, "SC succeeded");
    cr_expect_eq(word, 0, "the monitor's zeroing was lost");
}

Test(hostmem, copy_page_onto_itself_leaves_it_unchanged)
{
    fill_page(PG_A, 9);
    cr_expect_eq(sim_mem_copy_page(h.m, 0, PG_A, PG_A), 0);
    uint32_t buf[1024];
    sim_mem_read(h.m, -1, PG_A, buf, sizeof buf);
    for (unsigned i = 0; i < 1024; i += 101)
        cr_expect_eq(buf[i], 9 * 0x10000u + i);
}

static void ev_start_cpu1(struct sim *m, void *arg)
{
    (void)arg;
    sim_cpu_start(m, 1, 0x80004000u, 0, 1);
}

Test(cpuctl, a_cpu_started_from_a_timed_event_starts_at_that_time)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 2;
    cfg.cache_enabled = false;
    h_fini(&h);
    h_init(&h, &cfg);
    sim_event_at(h.m, 40000, ev_start_cpu1, NULL);
    h_org(&h, 0x80004000u);
    h_emit(&h, mfc0(S0, CP0_COUNT, 0));
    h_halt(&h, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    uint32_t count = sim_cpu_reg(h.m, 1, S0);
    cr_expect_geq(count, 40000);
    cr_expect_lt(count, 40010);
    cr_expect_eq(sim_cpu_reg(h.m, 1, A0), 1);
    cr_expect_geq(sim_cpu_stats(h.m, 1)->cycles[TIME_OFF], 40000);
}
