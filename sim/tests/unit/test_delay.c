/*
 * test_delay.c - exceptions and interrupts that hit a branch's delay slot:
 * EPC points at the branch, Cause.BD is set, and returning there re-runs
 * the branch so the program's result is unchanged.
 */
#include <criterion/criterion.h>

#include "harness.h"

static struct harness h;

static void setup(void)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.cache_enabled = false; /* one instruction, one cycle */
    h_init(&h, &cfg);
}
static void teardown(void) { h_fini(&h); }

TestSuite(delay, .init = setup, .fini = teardown);

/* Records, for each interrupt, whether it hit a delay slot and whether EPC
 * then held a branch; re-arms the timer `period` cycles on and resumes. */
struct tick_state {
    int ticks, in_delay, epc_not_branch;
    uint32_t period;
};

static bool is_branch(uint32_t insn)
{
    unsigned op = insn >> 26;
    return (op >= 0x01 && op <= 0x07) || (op >= 0x14 && op <= 0x17) ||
           (op == 0 && ((insn & 63) == 0x08 || (insn & 63) == 0x09));
}

static void tick(struct sim *m, const struct sim_exception *e, void *arg)
{
    struct tick_state *s = arg;
    if (e->code != EXC_INT) {
        sim_halt(m, H_EXC_STATUS);
        return;
    }
    s->ticks++;
    if (e->in_delay) {
        s->in_delay++;
        uint32_t insn = 0;
        uint8_t b[4];
        if (sim_mem_read(m, -1, e->epc & 0x1FFFFFFFu, b, 4) == 0)
            insn = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
        if (!is_branch(insn))
            s->epc_not_branch++;
    }
    uint32_t cmp = sim_cpu_cp0(m, e->cpu, CP0_COMPARE, 0);
    sim_cpu_set_cp0(m, e->cpu, CP0_COMPARE, 0, cmp + s->period);
    sim_cpu_eret(m, e->cpu);
}

/* A loop of 3000 iterations that sums 1..3000 with branches, a jal and a
 * branch-likely, interrupted every `period` cycles. */
static void run_interrupted_loop(struct tick_state *s)
{
    sim_set_exception_handler(h.m, tick, s);
    uint32_t fn = CODE_BASE + 0x400;
    h_emit(&h, mfc0(T0, CP0_COUNT, 0));
    h_emit(&h, addiu(T0, T0, (int)s->period));
    h_emit(&h, mtc0(T0, CP0_COMPARE, 0));
    h_li(&h, T0, ST_IE | (1u << (ST_IM_SHIFT + IRQ_TIMER)));
    h_emit(&h, mtc0(T0, CP0_STATUS, 0));
    h_emit(&h, ori(S0, ZERO, 3000));
    h_emit(&h, ori(S1, ZERO, 0));
    uint32_t loop = h_emit(&h, jal(fn));
    h_emit(&h, addu(S1, S1, S0));      /* delay slot: the sum */
    h_emit(&h, addiu(S0, S0, -1));
    h_emit(&h, bgtzl(S0, h_rel(h_here(&h), loop)));
    h_emit(&h, addiu(S2, S2, 1));      /* likely slot: counts taken branches */
    h_emit(&h, mtc0(ZERO, CP0_STATUS, 0));
    h_halt(&h, 0);
    h_org(&h, fn);
    h_emit(&h, jr(RA));
    h_emit(&h, addiu(S3, S3, 1));      /* delay slot of the return */
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(sim_exit_status(h.m), 0, "%s", sim_stop_message(h.m));
}

Test(delay, interrupts_in_delay_slots_return_to_the_branch_and_change_nothing)
{
    struct tick_state s = {.period = 13};
    run_interrupted_loop(&s);
    cr_expect_eq(h_reg(&h, S1), 3000 * 3001 / 2);
    cr_expect_eq(h_reg(&h, S2), 2999);
    cr_expect_eq(h_reg(&h, S3), 3000);
    cr_expect_gt(s.ticks, 1000);
    cr_expect_gt(s.in_delay, 0, "no interrupt hit a delay slot: the test proves nothing");
    cr_expect_eq(s.epc_not_branch, 0);
}

Test(delay, interrupts_at_every_phase_of_the_loop_give_the_same_result)
{
    for (uint32_t period = 7; period < 17; period++) {
        h_fini(&h);
        setup();
        struct tick_state s = {.period = period};
        run_interrupted_loop(&s);
        cr_expect_eq(h_reg(&h, S1), 3000 * 3001 / 2, "period %u", period);
        cr_expect_eq(h_reg(&h, S2), 2999, "period %u", period);
        cr_expect_eq(h_reg(&h, S3), 3000, "period %u", period);
        cr_expect_eq(s.epc_not_branch, 0, "period %u", period);
    }
}

#define UVA 0x00400000u

Test(delay, fetch_fault_of_a_delay_slot_on_the_next_page_reports_the_branch)
{
    /* Even page mapped (code at physical 0x1000 .. 0x1FFF), odd page not valid. */
    struct sim_tlb_entry e = {UVA, h_pte(0x1000, H_PTE_RW), h_pte(0x2000, ENTRYLO_G), 0};
    cr_assert_eq(sim_tlb_write(h.m, 0, 0, &e), 0);
    h_catch(&h, H_EXC_HALT);
    h_org(&h, CODE_BASE + 0xFFC); /* virtual UVA + 0xFFC */
    h_emit(&h, b(-1));            /* its delay slot is UVA + 0x1000 */
    h_start(&h, 0, UVA + 0xFFC, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_TLBL);
    cr_expect_not(h.exc[0].refill, "V=0: an invalid, not a refill");
    cr_expect(h.exc[0].in_delay);
    cr_expect_eq(h.exc[0].epc, UVA + 0xFFC);
    cr_expect_eq(h.exc[0].badvaddr, UVA + 0x1000);
}

Test(delay, tlb_refill_of_a_load_in_a_delay_slot_retries_the_branch)
{
    /* Native refill handler maps any page pair to physical 0x20000/0x21000. */
    h_poke32(&h, 0x20010, 1234);
    h_org(&h, REFILL_VECTOR);
    h_li(&h, K0, h_pte(0x20000, H_PTE_RW));
    h_emit(&h, mtc0(K0, CP0_ENTRYLO0, 0));
    h_li(&h, K0, h_pte(0x21000, H_PTE_RW));
    h_emit(&h, mtc0(K0, CP0_ENTRYLO1, 0));
    h_emit(&h, mfc0(S6, CP0_EPC, 0));
    h_emit(&h, mfc0(S7, CP0_CAUSE, 0));
    h_emit(&h, tlbwr());
    h_emit(&h, eret());
    h_org(&h, GENERAL_VECTOR);
    h_halt(&h, 20);
    h_org(&h, CODE_BASE);
    h_li(&h, A0, UVA);
    uint32_t br = h_emit(&h, bgezal(ZERO, 2)); /* taken, links */
    h_emit(&h, lw(V0, 0x10, A0));             /* refill in the delay slot */
    h_emit(&h, addiu(V1, ZERO, 99));          /* jumped over */
    H_EXEC(&h, addiu(V1, V0, 1));
    cr_expect_eq(h_reg(&h, S6), br, "EPC");
    cr_expect(h_reg(&h, S7) & CAUSE_BD);
    cr_expect_eq(h_reg(&h, V1), 1235);
    cr_expect_eq(h_reg(&h, RA), br + 8);
}
