/*
 * test_branch.c - branches, jumps and their delay slots; branch-likely
 * nullification; links; exceptions in delay slots.
 */
#include <criterion/criterion.h>

#include "harness.h"

static struct harness h;

static void setup(void) { h_init(&h, NULL); }
static void teardown(void) { h_fini(&h); }

TestSuite(branch, .init = setup, .fini = teardown);

Test(branch, delay_slot_executes_before_target)
{
    uint32_t br = h_emit(&h, beq(ZERO, ZERO, 0)); /* patched below */
    h_emit(&h, addiu(T0, ZERO, 1));                /* delay slot */
    h_emit(&h, addiu(T2, ZERO, 99));              /* skipped */
    uint32_t target = h_emit(&h, addu(T1, T0, ZERO));
    h_patch(&h, br, beq(ZERO, ZERO, h_rel(br, target)));
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, T1), 1, "the target ran before the delay slot");
    cr_expect_eq(h_reg(&h, T2), 0, "the instruction after the delay slot ran");
}

Test(branch, not_taken_branch_executes_its_delay_slot_and_falls_through)
{
    h_set(&h, T3, 1);
    h_emit(&h, beq(T3, ZERO, 3));
    h_emit(&h, addiu(T0, ZERO, 1));
    h_emit(&h, addiu(T1, ZERO, 2));
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, T0), 1);
    cr_expect_eq(h_reg(&h, T1), 2);
}

/* A branch on S0 = value over one instruction that sets V0 = 1; returns
 * whether it was taken. The delay slot sets V1 = 1 either way. */
static bool taken(uint32_t insn, uint32_t value)
{
    struct harness x;
    h_init(&x, NULL);
    h_set(&x, S0, value);
    h_set(&x, S1, 5);
    h_emit(&x, insn); /* offset 2: over the next instruction */
    h_emit(&x, addiu(V1, ZERO, 1));
    h_emit(&x, addiu(V0, ZERO, 1));
    h_exec(&x, (const uint32_t[]){nop()}, 1);
    cr_expect_eq(h_reg(&x, V1), 1, "insn %08x: delay slot not executed", insn);
    bool t = h_reg(&x, V0) == 0;
    h_fini(&x);
    return t;
}

Test(branch, conditions_of_every_branch)
{
    const struct {
        const char *name;
        uint32_t insn;
        uint32_t s0;
        bool taken;
    } cases[] = {
        {"beq equal", beq(S0, S1, 2), 5, true},
        {"beq different", beq(S0, S1, 2), 6, false},
        {"bne different", bne(S0, S1, 2), 6, true},
        {"bne equal", bne(S0, S1, 2), 5, false},
        {"blez -1", blez(S0, 2), (uint32_t)-1, true},
        {"blez 0", blez(S0, 2), 0, true},
        {"blez 1", blez(S0, 2), 1, false},
        {"bgtz 1", bgtz(S0, 2), 1, true},
        {"bgtz 0", bgtz(S0, 2), 0, false},
        {"bgtz INT_MIN", bgtz(S0, 2), 0x80000000, false},
        {"bltz -1", bltz(S0, 2), (uint32_t)-1, true},
        {"bltz 0", bltz(S0, 2), 0, false},
        {"bgez 0", bgez(S0, 2), 0, true},
        {"bgez -1", bgez(S0, 2), (uint32_t)-1, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_eq(taken(cases[i].insn, cases[i].s0), cases[i].taken, "%s", cases[i].name);
}

Test(branch, branch_likely_nullifies_the_delay_slot_when_not_taken)
{
    const struct {
        const char *name;
        uint32_t insn;
        uint32_t s0;
        bool taken;
    } cases[] = {
        {"beql", beql(S0, S1, 2), 5, true},     {"beql", beql(S0, S1, 2), 6, false},
        {"bnel", bnel(S0, S1, 2), 6, true},     {"bnel", bnel(S0, S1, 2), 5, false},
        {"blezl", blezl(S0, 2), 0, true},       {"blezl", blezl(S0, 2), 1, false},
        {"bgtzl", bgtzl(S0, 2), 1, true},       {"bgtzl", bgtzl(S0, 2), 0, false},
        {"bltzl", bltzl(S0, 2), (uint32_t)-1, true}, {"bltzl", bltzl(S0, 2), 0, false},
        {"bgezl", bgezl(S0, 2), 0, true},       {"bgezl", bgezl(S0, 2), (uint32_t)-1, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct harness x;
        h_init(&x, NULL);
        h_set(&x, S0, cases[i].s0);
        h_set(&x, S1, 5);
        h_emit(&x, cases[i].insn);
        h_emit(&x, addiu(V1, ZERO, 1)); /* delay slot */
        h_emit(&x, addiu(V0, ZERO, 1)); /* the fall-through */
        h_exec(&x, (const uint32_t[]){nop()}, 1);
        bool was_taken = h_reg(&x, V0) == 0;
        bool slot_ran = h_reg(&x, V1) == 1;
        cr_expect_eq(was_taken, cases[i].taken, "%s s0=%d: taken=%d", cases[i].name,
                     (int)cases[i].s0, was_taken);
        cr_expect_eq(slot_ran, cases[i].taken, "%s s0=%d: delay slot ran=%d", cases[i].name,
                     (int)cases[i].s0, slot_ran);
        h_fini(&x);
    }
}

Test(branch, jal_links_to_pc_plus_8_and_jumps_in_the_same_region)
{
    uint32_t target = CODE_BASE + 0x200;
    uint32_t at = h_emit(&h, jal(target));
    h_emit(&h, addiu(T0, ZERO, 1));
    h_halt(&h, 1);
    h_org(&h, target);
    h_emit(&h, addu(T1, T0, ZERO));
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 0, "jal did not reach its target");
    cr_expect_eq(h_reg(&h, RA), at + 8);
    cr_expect_eq(h_reg(&h, T1), 1, "delay slot of jal");
}

Test(branch, j_and_jr_jump)
{
    uint32_t t1 = CODE_BASE + 0x100, t2 = CODE_BASE + 0x200;
    h_emit(&h, j(t1));
    h_emit(&h, nop());
    h_halt(&h, 1);
    h_org(&h, t1);
    h_li(&h, T0, t2);
    h_emit(&h, jr(T0));
    h_emit(&h, nop());
    h_halt(&h, 2);
    h_org(&h, t2);
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 0);
}

Test(branch, jalr_links_to_pc_plus_8_in_rd)
{
    uint32_t target = CODE_BASE + 0x200;
    h_li(&h, T9, target);
    uint32_t at = h_emit(&h, jalr(S3, T9));
    h_emit(&h, nop());
    h_halt(&h, 1);
    h_org(&h, target);
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 0);
    cr_expect_eq(h_reg(&h, S3), at + 8);
    cr_expect_eq(h_reg(&h, RA), 0);
}

Test(branch, bltzal_and_bgezal_link_to_pc_plus_8_taken_or_not)
{
    h_set(&h, S0, (uint32_t)-1);
    uint32_t a1 = h_emit(&h, bgezal(S0, 2)); /* not taken, links */
    h_emit(&h, nop());
    h_emit(&h, addu(S1, RA, ZERO));
    uint32_t a2 = h_emit(&h, bltzal(S0, 2)); /* taken, links */
    h_emit(&h, nop());
    h_emit(&h, addiu(S3, ZERO, 1));            /* jumped over */
    H_EXEC(&h, addu(S2, RA, ZERO));
    cr_expect_eq(h_reg(&h, S1), a1 + 8);
    cr_expect_eq(h_reg(&h, S2), a2 + 8);
    cr_expect_eq(h_reg(&h, S3), 0, "bltzal was not taken");
}

Test(branch, bgezall_not_taken_links_and_nullifies)
{
    h_set(&h, S0, (uint32_t)-1);
    uint32_t at = h_emit(&h, bgezall(S0, 2));
    h_emit(&h, addiu(V1, ZERO, 1));
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, RA), at + 8);
    cr_expect_eq(h_reg(&h, V1), 0);
}

Test(branch, backward_branch_loops)
{
    h_emit(&h, ori(T0, ZERO, 10));
    uint32_t loop = h_emit(&h, addiu(T1, T1, 3));
    h_emit(&h, addiu(T0, T0, -1));
    h_emit(&h, bne(T0, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, T1), 30);
}

Test(branch, exception_in_a_delay_slot_sets_bd_and_epc_to_the_branch)
{
    h_catch(&h, H_EXC_HALT);
    uint32_t br = h_emit(&h, b(4));
    h_emit(&h, syscall_());
    h_halt(&h, 1);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_SYS);
    cr_expect(h.exc[0].in_delay);
    cr_expect_eq(h.exc[0].epc, br);
    cr_expect(h.exc_cause[0] & CAUSE_BD);
    cr_expect_eq(h_cp0(&h, CP0_EPC), br);
}

Test(branch, native_exception_in_a_delay_slot_sets_cause_bd)
{
    /* The vector copies EPC and Cause and halts. */
    h_org(&h, GENERAL_VECTOR);
    h_emit(&h, mfc0(S4, CP0_EPC, 0));
    h_emit(&h, mfc0(S5, CP0_CAUSE, 0));
    h_halt(&h, 0);
    h_org(&h, CODE_BASE);
    h_set(&h, A0, DATA_BASE);
    uint32_t br = h_emit(&h, bne(ZERO, ZERO, 4)); /* not taken: still a delay slot */
    h_emit(&h, lw(V0, 1, A0));                    /* AdEL in the delay slot */
    h_halt(&h, 1);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(sim_exit_status(h.m), 0);
    cr_expect_eq(h_reg(&h, S4), br);
    cr_expect(h_reg(&h, S5) & CAUSE_BD);
    cr_expect_eq(cause_exc(h_reg(&h, S5)), EXC_ADEL);
}

Test(branch, a_later_exception_outside_a_delay_slot_clears_bd)
{
    h_catch(&h, H_EXC_SKIP);
    h_emit(&h, b(2));
    h_emit(&h, syscall_()); /* in a delay slot */
    h_emit(&h, nop());
    uint32_t at = h_emit(&h, break_());
    H_EXEC(&h, nop());
    cr_assert_eq(h.nexc, 2);
    cr_expect(h.exc[0].in_delay);
    cr_expect_not(h.exc[1].in_delay);
    cr_expect_eq(h.exc[1].epc, at);
    cr_expect_eq(h.exc_cause[1] & CAUSE_BD, 0);
}
