/*
 * test_irq.c - Count and Compare, the timer interrupt, masking by IE, IM
 * and EXL, WAIT, and software interrupts.
 */
#include <criterion/criterion.h>

#include "harness.h"

static struct harness h;

/* Caches off: every instruction takes exactly one cycle. */
static void setup(void)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.cache_enabled = false;
    h_init(&h, &cfg);
}
static void teardown(void) { h_fini(&h); }

TestSuite(timer, .init = setup, .fini = teardown);
TestSuite(irq, .init = setup, .fini = teardown);
TestSuite(wait, .init = setup, .fini = teardown);

#define IM(line) (1u << (ST_IM_SHIFT + (line)))
#define IP(line) (1u << (CAUSE_IP_SHIFT + (line)))

/* Emit a loop of n iterations (2 instructions each) using T9. */
static void spin(unsigned n)
{
    h_emit(&h, ori(T9, ZERO, n));
    uint32_t loop = h_emit(&h, addiu(T9, T9, -1));
    h_emit(&h, bne(T9, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
}

/* Compare = Count + delta, through T8. */
static void set_compare_in(unsigned delta)
{
    h_emit(&h, mfc0(T8, CP0_COUNT, 0));
    h_emit(&h, addiu(T8, T8, (int)delta));
    h_emit(&h, mtc0(T8, CP0_COMPARE, 0));
}

/* ---- Count and Compare ------------------------------------------------------ */

Test(timer, count_increments_once_per_cycle)
{
    h_emit(&h, mfc0(T0, CP0_COUNT, 0));
    for (int i = 0; i < 10; i++)
        h_emit(&h, nop());
    H_EXEC(&h, mfc0(T1, CP0_COUNT, 0));
    cr_expect_eq(h_reg(&h, T1) - h_reg(&h, T0), 11);
}

Test(timer, count_can_be_written)
{
    h_li(&h, T0, 0xFFFFFFF0u);
    H_EXEC(&h, mtc0(T0, CP0_COUNT, 0), nop(), mfc0(T1, CP0_COUNT, 0));
    cr_expect_eq(h_reg(&h, T1), 0xFFFFFFF2u);
}

Test(timer, count_reaching_compare_raises_ip7)
{
    set_compare_in(100);
    h_emit(&h, mfc0(S0, CP0_CAUSE, 0)); /* before the match */
    spin(100);
    H_EXEC(&h, mfc0(S1, CP0_CAUSE, 0));
    cr_expect_eq(h_reg(&h, S0) & IP(IRQ_TIMER), 0);
    cr_expect(h_reg(&h, S1) & IP(IRQ_TIMER));
}

Test(timer, ip7_is_raised_when_count_reaches_compare)
{
    /* Compare = t + 20, where t is the Count the first MFC0 read. */
    set_compare_in(20);  /* retire at t, t+1, t+2 */
    for (int i = 0; i < 16; i++)
        h_emit(&h, nop()); /* t+3 .. t+18 */
    h_emit(&h, mfc0(S0, CP0_CAUSE, 0)); /* t+19: one cycle before the match */
    h_emit(&h, nop());                  /* t+20: Count == Compare */
    h_emit(&h, mfc0(S1, CP0_CAUSE, 0)); /* t+21 */
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, S0) & IP(IRQ_TIMER), 0, "IP7 raised before Count reached Compare");
    cr_expect(h_reg(&h, S1) & IP(IRQ_TIMER), "IP7 not raised when Count reached Compare");
}

Test(timer, writing_compare_clears_ip7)
{
    set_compare_in(10);
    spin(20);
    h_emit(&h, mfc0(S0, CP0_CAUSE, 0));
    h_emit(&h, mfc0(T0, CP0_COMPARE, 0));
    H_EXEC(&h, mtc0(T0, CP0_COMPARE, 0), mfc0(S1, CP0_CAUSE, 0));
    cr_expect(h_reg(&h, S0) & IP(IRQ_TIMER));
    cr_expect_eq(h_reg(&h, S1) & IP(IRQ_TIMER), 0);
}

Test(timer, periodic_timer_interrupts_through_the_native_vector)
{
    /* Handler: K1++, Compare += 1000, ERET. Main: enable IM7|IE, loop
     * until K1 reaches 5. */
    h_org(&h, GENERAL_VECTOR);
    h_emit(&h, addiu(K1, K1, 1));
    h_emit(&h, mfc0(K0, CP0_COMPARE, 0));
    h_emit(&h, addiu(K0, K0, 1000));
    h_emit(&h, mtc0(K0, CP0_COMPARE, 0));
    h_emit(&h, eret());
    h_org(&h, CODE_BASE);
    set_compare_in(1000);
    h_li(&h, T0, IM(IRQ_TIMER) | ST_IE);
    h_emit(&h, mtc0(T0, CP0_STATUS, 0));
    h_emit(&h, ori(T1, ZERO, 5));
    uint32_t loop = h_emit(&h, bne(K1, T1, 0));
    h_emit(&h, nop());
    h_patch(&h, loop, bne(K1, T1, h_rel(loop, loop)));
    h_emit(&h, mtc0(ZERO, CP0_STATUS, 0));
    H_EXEC(&h, mfc0(S0, CP0_COUNT, 0));
    cr_expect_eq(h_reg(&h, K1), 5);
    cr_expect_geq(h_reg(&h, S0), 5000);
    cr_expect_lt(h_reg(&h, S0), 5100);
    cr_expect_eq(h_stats(&h, 0)->interrupts[IRQ_TIMER], 5);
    cr_expect_eq(h_stats(&h, 0)->exceptions[EXC_INT], 5);
}

/* ---- masking ------------------------------------------------------------------ */

/* Raise IP0 by software with Status = status, run a few instructions,
 * halt: the number of interrupt exceptions the host handler saw. */
static int interrupts_with_status(uint32_t status)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, T0, status);
    h_emit(&h, mtc0(T0, CP0_STATUS, 0));
    h_emit(&h, ori(T0, ZERO, IP(IRQ_SOFT0)));
    h_emit(&h, mtc0(T0, CP0_CAUSE, 0));
    spin(10);
    h_emit(&h, mfc0(S0, CP0_CAUSE, 0));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    return h.nexc;
}

Test(irq, ie_clear_masks_interrupts)
{
    cr_expect_eq(interrupts_with_status(IM(IRQ_SOFT0)), 0);
    cr_expect(h_reg(&h, S0) & IP(IRQ_SOFT0), "the interrupt is pending");
}

Test(irq, im_bit_clear_masks_its_line)
{
    cr_expect_eq(interrupts_with_status(ST_IE | IM(IRQ_SOFT1) | IM(IRQ_TIMER)), 0);
}

Test(irq, exl_masks_interrupts)
{
    cr_expect_eq(interrupts_with_status(ST_IE | ST_EXL | IM(IRQ_SOFT0)), 0);
}

Test(irq, erl_masks_interrupts)
{
    cr_expect_eq(interrupts_with_status(ST_IE | ST_ERL | IM(IRQ_SOFT0)), 0);
}

Test(irq, software_interrupt_ip0_is_taken_after_the_mtc0)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, T0, ST_IE | IM(IRQ_SOFT0));
    h_emit(&h, mtc0(T0, CP0_STATUS, 0));
    h_emit(&h, ori(T0, ZERO, IP(IRQ_SOFT0)));
    uint32_t at = h_emit(&h, mtc0(T0, CP0_CAUSE, 0));
    h_emit(&h, addiu(V0, ZERO, 1)); /* must not run first */
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_INT);
    cr_expect_eq(h.exc[0].epc, at + 4);
    cr_expect(h.exc_cause[0] & IP(IRQ_SOFT0));
    cr_expect_eq(cause_exc(h.exc_cause[0]), EXC_INT);
    cr_expect_eq(h.exc[0].insn, 0);
    cr_expect_eq(h_reg(&h, V0), 0);
    cr_expect_eq(h_stats(&h, 0)->interrupts[IRQ_SOFT0], 1);
}

Test(irq, software_interrupt_ip1_through_the_native_vector)
{
    /* The vector records Cause, clears IP1 and returns. */
    h_org(&h, GENERAL_VECTOR);
    h_emit(&h, mfc0(S5, CP0_CAUSE, 0));
    h_emit(&h, mtc0(ZERO, CP0_CAUSE, 0));
    h_emit(&h, addiu(K1, K1, 1));
    h_emit(&h, eret());
    h_org(&h, CODE_BASE);
    h_li(&h, T0, ST_IE | IM(IRQ_SOFT1));
    h_emit(&h, mtc0(T0, CP0_STATUS, 0));
    h_emit(&h, ori(T0, ZERO, IP(IRQ_SOFT1)));
    h_emit(&h, mtc0(T0, CP0_CAUSE, 0));
    H_EXEC(&h, addiu(V0, ZERO, 1));
    cr_expect_eq(h_reg(&h, K1), 1);
    cr_expect(h_reg(&h, S5) & IP(IRQ_SOFT1));
    cr_expect_eq(cause_exc(h_reg(&h, S5)), EXC_INT);
    cr_expect_eq(h_reg(&h, V0), 1, "execution did not resume after the interrupt");
}

Test(irq, only_ip0_and_ip1_of_cause_are_writable)
{
    h_li(&h, T0, 0xFFFFFFFF);
    H_EXEC(&h, mtc0(T0, CP0_CAUSE, 0), mfc0(S0, CP0_CAUSE, 0), mtc0(ZERO, CP0_CAUSE, 0),
           mfc0(S1, CP0_CAUSE, 0));
    cr_expect_eq(h_reg(&h, S0) & CAUSE_IP_MASK, IP(0) | IP(1));
    cr_expect_eq(h_reg(&h, S1) & CAUSE_IP_MASK, 0);
}

Test(irq, enabling_ie_with_a_pending_interrupt_takes_it_at_once)
{
    h_catch(&h, H_EXC_HALT);
    h_emit(&h, ori(T0, ZERO, IP(IRQ_SOFT0)));
    h_emit(&h, mtc0(T0, CP0_CAUSE, 0));
    h_li(&h, T0, IM(IRQ_SOFT0) | ST_IE);
    uint32_t at = h_emit(&h, mtc0(T0, CP0_STATUS, 0));
    h_emit(&h, addiu(V0, ZERO, 1));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_INT);
    cr_expect_eq(h.exc[0].epc, at + 4);
    cr_expect_eq(h_reg(&h, V0), 0);
}

/* ---- WAIT -------------------------------------------------------------------- */

Test(wait, wait_idles_until_a_masked_interrupt_is_pending_then_continues)
{
    h_catch(&h, H_EXC_HALT);
    set_compare_in(5000);
    h_emit(&h, wait_());
    h_emit(&h, mfc0(S0, CP0_COUNT, 0));
    H_EXEC(&h, mfc0(S1, CP0_CAUSE, 0));
    cr_expect_eq(h.nexc, 0, "a masked interrupt was taken");
    cr_expect_geq(h_reg(&h, S0), 5000);
    cr_expect_lt(h_reg(&h, S0), 5010);
    cr_expect(h_reg(&h, S1) & IP(IRQ_TIMER));
    const struct sim_cpu_stats *st = h_stats(&h, 0);
    cr_expect_geq(st->cycles[TIME_IDLE], 4990);
    cr_expect_leq(st->cycles[TIME_IDLE], 5000);
    cr_expect_lt(st->cycles[TIME_KERNEL], 100);
}

Test(wait, wait_with_the_interrupt_enabled_takes_it_after_the_wait)
{
    h_catch(&h, H_EXC_HALT);
    set_compare_in(3000);
    h_li(&h, T0, IM(IRQ_TIMER) | ST_IE);
    h_emit(&h, mtc0(T0, CP0_STATUS, 0));
    uint32_t at = h_emit(&h, wait_());
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_INT);
    cr_expect_eq(h.exc[0].epc, at + 4);
    cr_expect_geq(h_stats(&h, 0)->cycles[TIME_IDLE], 2990);
}

Test(wait, wait_with_an_interrupt_already_pending_does_not_idle)
{
    h_emit(&h, ori(T0, ZERO, IP(IRQ_SOFT0)));
    h_emit(&h, mtc0(T0, CP0_CAUSE, 0));
    H_EXEC(&h, wait_(), nop());
    cr_expect_lt(h_stats(&h, 0)->cycles[TIME_IDLE], 5);
    cr_expect_lt(sim_cpu_cycles(h.m, 0), 50);
}

Test(wait, other_cpus_keep_running_while_one_waits)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.cache_enabled = false;
    cfg.nodes = 2;
    h_fini(&h);
    h_init(&h, &cfg);
    /* CPU 0 waits for its timer 20000 cycles away; CPU 1 counts and halts. */
    set_compare_in(20000);
    h_emit(&h, wait_());
    h_halt(&h, 1);
    uint32_t cpu1 = 0x80002000u;
    h_org(&h, cpu1);
    spin(2000);
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, 0);
    h_start(&h, 1, cpu1, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 0, "CPU 0 woke before CPU 1 finished");
    cr_expect_gt(h_stats(&h, 0)->cycles[TIME_IDLE], 3000);
}
