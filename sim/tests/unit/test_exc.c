/*
 * test_exc.c - traps, SYSCALL and BREAK, coprocessor-unusable, no-op
 * instructions, the exception mechanism (EPC, Cause, Status.EXL, ERET,
 * ERL, BEV), address errors and the privilege of each segment.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "harness.h"

static struct harness h;

static void setup(void) { h_init(&h, NULL); }
static void teardown(void) { h_fini(&h); }

TestSuite(trap, .init = setup, .fini = teardown);
TestSuite(syscall, .init = setup, .fini = teardown);
TestSuite(coproc, .init = setup, .fini = teardown);
TestSuite(exception, .init = setup, .fini = teardown);
TestSuite(addrerr, .init = setup, .fini = teardown);
TestSuite(mode, .init = setup, .fini = teardown);

/* At `va`, code that copies EPC, Cause, Status and BadVAddr to S4..S7 and
 * halts with 0. */
static void saving_vector(uint32_t va)
{
    uint32_t save = h_here(&h);
    h_org(&h, va);
    h_emit(&h, mfc0(S4, CP0_EPC, 0));
    h_emit(&h, mfc0(S5, CP0_CAUSE, 0));
    h_emit(&h, mfc0(S6, CP0_STATUS, 0));
    h_emit(&h, mfc0(S7, CP0_BADVADDR, 0));
    h_halt(&h, 0);
    h_org(&h, save);
}

/* ---- traps ------------------------------------------------------------------ */

struct trap_case {
    const char *name;
    uint32_t insn;
    uint32_t a, b;
    bool traps;
};

/* Run one instruction with A1 = a, A2 = b; return the number of exceptions
 * (each must be Tr at the instruction). */
static int traps_taken(const struct trap_case *t)
{
    struct harness x;
    h_init(&x, NULL);
    h_catch(&x, H_EXC_SKIP);
    h_set(&x, A1, t->a);
    h_set(&x, A2, t->b);
    uint32_t at = h_emit(&x, t->insn);
    h_exec(&x, (const uint32_t[]){nop()}, 1);
    int n = x.nexc;
    for (int i = 0; i < n && i < H_MAX_EXC; i++) {
        cr_expect_eq(x.exc[i].code, EXC_TR, "%s: exception %u, not Tr", t->name, x.exc[i].code);
        cr_expect_eq(x.exc[i].epc, at, "%s: EPC %08x", t->name, x.exc[i].epc);
    }
    h_fini(&x);
    return n;
}

static void check_traps(const struct trap_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int got = traps_taken(&cases[i]);
        cr_expect_eq(got, cases[i].traps ? 1 : 0, "%s (a=%08x b=%08x): %d traps, expected %d",
                     cases[i].name, cases[i].a, cases[i].b, got, cases[i].traps ? 1 : 0);
    }
}

Test(trap, register_traps_raise_tr_exactly_when_their_condition_holds)
{
    const struct trap_case cases[] = {
        {"teq equal", teq(A1, A2), 5, 5, true},
        {"teq different", teq(A1, A2), 5, 6, false},
        {"tne different", tne(A1, A2), 5, 6, true},
        {"tne equal", tne(A1, A2), 5, 5, false},
        {"tge -1 >= -2", tge(A1, A2), (uint32_t)-1, (uint32_t)-2, true},
        {"tge -1 >= 1 (signed)", tge(A1, A2), (uint32_t)-1, 1, false},
        {"tgeu 0xffffffff >= 1", tgeu(A1, A2), 0xFFFFFFFF, 1, true},
        {"tgeu 1 >= 2", tgeu(A1, A2), 1, 2, false},
        {"tlt -1 < 1 (signed)", tlt(A1, A2), (uint32_t)-1, 1, true},
        {"tlt 1 < 1", tlt(A1, A2), 1, 1, false},
        {"tltu 1 < 0xffffffff", tltu(A1, A2), 1, 0xFFFFFFFF, true},
        {"tltu 0xffffffff < 1", tltu(A1, A2), 0xFFFFFFFF, 1, false},
    };
    check_traps(cases, sizeof cases / sizeof cases[0]);
}

Test(trap, immediate_traps_raise_tr_exactly_when_their_condition_holds)
{
    const struct trap_case cases[] = {
        {"teqi equal", teqi(A1, -3), (uint32_t)-3, 0, true},
        {"teqi different", teqi(A1, -3), 3, 0, false},
        {"tnei different", tnei(A1, 7), 3, 0, true},
        {"tnei equal", tnei(A1, 7), 7, 0, false},
        {"tgei -1 >= -2", tgei(A1, -2), (uint32_t)-1, 0, true},
        {"tgei -3 >= -2", tgei(A1, -2), (uint32_t)-3, 0, false},
        /* the immediate is sign-extended, then compared unsigned */
        {"tgeiu 0xffffffff >= (u)-1", tgeiu(A1, -1), 0xFFFFFFFF, 0, true},
        {"tgeiu 5 >= (u)-1", tgeiu(A1, -1), 5, 0, false},
        {"tlti -5 < -2", tlti(A1, -2), (uint32_t)-5, 0, true},
        {"tlti 0 < -2", tlti(A1, -2), 0, 0, false},
        {"tltiu 5 < (u)-1", tltiu(A1, -1), 5, 0, true},
        {"tltiu 10 < 3", tltiu(A1, 3), 10, 0, false},
    };
    check_traps(cases, sizeof cases / sizeof cases[0]);
}

/* ---- SYSCALL and BREAK -------------------------------------------------------- */

Test(syscall, syscall_raises_sys_at_its_own_address)
{
    h_catch(&h, H_EXC_HALT);
    h_emit(&h, nop());
    uint32_t at = h_emit(&h, syscall_());
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_SYS);
    cr_expect_eq(h.exc[0].epc, at);
    cr_expect_eq(h.exc[0].insn, syscall_());
    cr_expect_not(h.exc[0].in_delay);
    cr_expect_eq(h.exc[0].mode_before, MODE_KERNEL);
    cr_expect(h.exc_status[0] & ST_EXL, "the handler ran with Status.EXL clear");
    cr_expect_eq(cause_exc(h.exc_cause[0]), EXC_SYS);
    cr_expect_eq(h_stats(&h, 0)->exceptions[EXC_SYS], 1);
}

Test(syscall, break_raises_bp)
{
    h_catch(&h, H_EXC_HALT);
    uint32_t at = h_emit(&h, break_());
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_BP);
    cr_expect_eq(h.exc[0].epc, at);
}

/* ---- coprocessors and no-op instructions --------------------------------------- */

/* Run insn once in kernel mode; the recorded exception, or code -1. */
static int exception_of(uint32_t insn, uint32_t *cause)
{
    h_catch(&h, H_EXC_SKIP);
    h_set(&h, A0, DATA_BASE);
    H_EXEC(&h, insn);
    if (h.nexc == 0)
        return -1;
    cr_expect_eq(h.nexc, 1);
    if (cause)
        *cause = h.exc_cause[0];
    return (int)h.exc[0].code;
}

Test(coproc, cp1_instructions_raise_cpu_with_ce_1)
{
    const uint32_t insns[] = {mfc1(T0, 0), lwc1(0, 0, A0), swc1(0, 0, A0),
                              enc_i(0x35, A0, 0, 0) /* ldc1 */, enc_r(0x13, 0, 0, 0, 0, 0) /* cop1x */,
                              enc_r(0, 0, 0, 0, 0, 0x01) /* movf */};
    for (size_t i = 0; i < sizeof insns / sizeof insns[0]; i++) {
        h_fini(&h);
        h_init(&h, NULL);
        uint32_t cause = 0;
        cr_expect_eq(exception_of(insns[i], &cause), EXC_CPU, "insn %08x", insns[i]);
        cr_expect_eq(cause_ce(cause), 1, "insn %08x: CE=%u", insns[i], cause_ce(cause));
    }
}

Test(coproc, cp2_instructions_raise_cpu_with_ce_2)
{
    const uint32_t insns[] = {mfc2(T0, 0), lwc2(0, 0, A0), enc_i(0x3A, A0, 0, 0) /* swc2 */};
    for (size_t i = 0; i < sizeof insns / sizeof insns[0]; i++) {
        h_fini(&h);
        h_init(&h, NULL);
        uint32_t cause = 0;
        cr_expect_eq(exception_of(insns[i], &cause), EXC_CPU, "insn %08x", insns[i]);
        cr_expect_eq(cause_ce(cause), 2, "insn %08x: CE=%u", insns[i], cause_ce(cause));
    }
}

Test(coproc, pref_sync_and_cache_are_no_ops_in_kernel_mode)
{
    h_catch(&h, H_EXC_HALT);
    h_set(&h, A0, DATA_BASE);
    h_poke32(&h, DATA_BASE, 0x12345678);
    H_EXEC(&h, pref(0, 0, A0), sync_(), cache_(0x15, 0, A0), cache_(0x01, 0, A0), lw(V0, 0, A0));
    cr_expect_eq(h.nexc, 0);
    cr_expect_eq(h_reg(&h, V0), 0x12345678);
    cr_expect_eq(h_peek32(&h, DATA_BASE), 0x12345678);
}

/* User-mode code: map virtual 0..0x1FFF to physical 0..0x1FFF, so that the
 * code at CODE_BASE (physical 0x1000) runs at virtual 0x1000. */
#define USER_CODE (CODE_BASE - MIPS_KSEG0)

static void run_user(uint32_t status_extra)
{
    h_map(&h, 0, 0, 0, 0, H_PTE_RW);
    h_map(&h, 0, 1, DATA_PA, DATA_PA, H_PTE_RW);
    h_start(&h, 0, USER_CODE, ST_KSU_USER | status_extra);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT, "%s", sim_stop_message(h.m));
}

Test(coproc, cache_in_user_mode_raises_cpu_with_ce_0)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_set(&h, A0, DATA_PA);
    uint32_t at = h_emit(&h, cache_(0x15, 0, A0));
    h_emit(&h, syscall_());
    run_user(0);
    cr_assert_eq(h.nexc, 2);
    cr_expect_eq(h.exc[0].code, EXC_CPU);
    cr_expect_eq(cause_ce(h.exc_cause[0]), 0);
    cr_expect_eq(h.exc[0].epc, at - MIPS_KSEG0);
    cr_expect_eq(h.exc[0].mode_before, MODE_USER);
}

Test(coproc, pref_and_sync_are_allowed_in_user_mode)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_set(&h, A0, DATA_PA);
    h_emit(&h, pref(0, 0, A0));
    h_emit(&h, sync_());
    h_emit(&h, syscall_());
    run_user(0);
    cr_expect_eq(h.nexc, 1); /* the final syscall only */
}

Test(coproc, mtc0_and_mfc0_in_user_mode_raise_cpu_unless_cu0)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_emit(&h, mfc0(V0, CP0_STATUS, 0));
    h_emit(&h, mtc0(ZERO, CP0_EPC, 0));
    h_emit(&h, syscall_());
    run_user(0);
    cr_assert_eq(h.nexc, 3);
    cr_expect_eq(h.exc[0].code, EXC_CPU);
    cr_expect_eq(h.exc[1].code, EXC_CPU);
    cr_expect_eq(cause_ce(h.exc_cause[0]), 0);
}

Test(coproc, cu0_lets_user_mode_read_cp0)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_emit(&h, mfc0(V0, CP0_STATUS, 0));
    h_emit(&h, syscall_());
    run_user(ST_CU0);
    cr_expect_eq(h.nexc, 1);
    cr_expect_eq(h_reg(&h, V0), ST_CU0 | ST_KSU_USER);
}

/* ---- the exception mechanism ------------------------------------------------ */

Test(exception, native_exception_sets_epc_cause_exl_and_jumps_to_0x80000180)
{
    saving_vector(GENERAL_VECTOR);
    h_emit(&h, nop());
    uint32_t at = h_emit(&h, syscall_());
    h_halt(&h, 1);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(sim_exit_status(h.m), 0, "the vector did not run");
    cr_expect_eq(h_reg(&h, S4), at);
    cr_expect_eq(cause_exc(h_reg(&h, S5)), EXC_SYS);
    cr_expect_eq(h_reg(&h, S5) & CAUSE_BD, 0);
    cr_expect(h_reg(&h, S6) & ST_EXL);
}

Test(exception, with_exl_already_set_epc_is_not_changed)
{
    saving_vector(GENERAL_VECTOR);
    h_li(&h, T0, 0x12345678);
    h_emit(&h, mtc0(T0, CP0_EPC, 0));
    h_emit(&h, syscall_());
    h_halt(&h, 1);
    h_start(&h, 0, CODE_BASE, ST_EXL);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(sim_exit_status(h.m), 0, "the general vector did not run");
    cr_expect_eq(h_reg(&h, S4), 0x12345678);
    cr_expect_eq(cause_exc(h_reg(&h, S5)), EXC_SYS);
}

Test(exception, host_handler_sees_the_old_epc_when_exl_was_set)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, T0, 0x12345678);
    h_emit(&h, mtc0(T0, CP0_EPC, 0));
    h_emit(&h, break_());
    h_halt(&h, 1);
    h_start(&h, 0, CODE_BASE, ST_EXL);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].epc, 0x12345678);
    cr_expect_eq(h_cp0(&h, CP0_EPC), 0x12345678);
}

Test(exception, eret_returns_to_epc_and_clears_exl)
{
    uint32_t target = CODE_BASE + 0x100;
    h_li(&h, T0, target);
    h_emit(&h, mtc0(T0, CP0_EPC, 0));
    h_emit(&h, eret());
    h_halt(&h, 1); /* skipped: ERET has no delay slot */
    h_org(&h, target);
    h_emit(&h, mfc0(S6, CP0_STATUS, 0));
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, ST_EXL);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 0, "ERET did not go to EPC");
    cr_expect_eq(h_reg(&h, S6) & ST_EXL, 0);
}

Test(exception, eret_with_erl_returns_to_errorepc_and_clears_only_erl)
{
    uint32_t target = CODE_BASE + 0x100;
    h_li(&h, T0, target);
    h_emit(&h, mtc0(T0, CP0_ERROREPC, 0));
    h_li(&h, T0, CODE_BASE + 0x200);
    h_emit(&h, mtc0(T0, CP0_EPC, 0));
    h_emit(&h, eret());
    h_halt(&h, 1);
    h_org(&h, target);
    h_emit(&h, mfc0(S6, CP0_STATUS, 0));
    h_halt(&h, 0);
    h_org(&h, CODE_BASE + 0x200);
    h_halt(&h, 2);
    h_start(&h, 0, CODE_BASE, ST_ERL | ST_EXL);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 0, "ERET with ERL went to %s",
                 sim_exit_status(h.m) == 2 ? "EPC" : "the wrong place");
    cr_expect_eq(h_reg(&h, S6) & ST_ERL, 0);
    cr_expect_eq(h_reg(&h, S6) & ST_EXL, ST_EXL);
}

Test(exception, eret_in_a_delay_slot_raises_ri)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, T0, CODE_BASE + 0x100);
    h_emit(&h, mtc0(T0, CP0_EPC, 0));
    uint32_t br = h_emit(&h, b(2));
    h_emit(&h, eret());
    h_halt(&h, 1);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_RI);
    cr_expect(h.exc[0].in_delay);
    cr_expect_eq(h.exc[0].epc, br);
}

Test(exception, bev_with_no_handler_is_a_double_fault_with_status_125)
{
    h_emit(&h, syscall_());
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, ST_BEV);
    cr_expect_eq(h_run(&h), SIM_STOP_DOUBLE_FAULT);
    cr_expect_eq(sim_exit_status(h.m), SIM_EXIT_DOUBLE_FAULT);
    cr_expect_eq(SIM_EXIT_DOUBLE_FAULT, 125);
    cr_expect_neq(strstr(sim_stop_message(h.m), "double fault"), NULL, "message: %s",
                  sim_stop_message(h.m));
}

Test(exception, bev_with_a_host_handler_calls_the_handler)
{
    h_catch(&h, H_EXC_SKIP);
    h_emit(&h, syscall_());
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, ST_BEV);
    cr_expect_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 0);
    cr_expect_eq(h.nexc, 1);
}

Test(exception, reset_state_has_bev_set_and_is_kernel_mode)
{
    cr_expect_eq(h_cp0(&h, CP0_STATUS) & (ST_BEV | ST_ERL | ST_IE), ST_BEV);
    cr_expect_eq(sim_cpu_mode(h.m, 0), MODE_KERNEL);
    cr_expect_not(sim_cpu_running(h.m, 0));
}

Test(exception, ebase_holds_the_cpu_number)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 3;
    h_fini(&h);
    h_init(&h, &cfg);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(sim_cpu_cp0(h.m, i, CP0_PRID, 1) & 0x3FF, (uint32_t)i);
}

/* ---- address errors ---------------------------------------------------------- */

static void expect_address_error(uint32_t insn, unsigned code, uint32_t bad)
{
    h_catch(&h, H_EXC_SKIP);
    h_set(&h, A0, DATA_BASE);
    h_set(&h, V0, 0x1234);
    uint32_t at = h_emit(&h, insn);
    H_EXEC(&h, nop());
    cr_assert_eq(h.nexc, 1, "insn %08x: %d exceptions", insn, h.nexc);
    cr_expect_eq(h.exc[0].code, code, "insn %08x: exception %u", insn, h.exc[0].code);
    cr_expect_eq(h.exc[0].badvaddr, bad);
    cr_expect_eq(h.exc[0].epc, at);
    cr_expect_eq(h_cp0(&h, CP0_BADVADDR), bad);
    cr_expect_eq(h_reg(&h, V0), 0x1234, "a faulting load changed its target");
}

Test(addrerr, misaligned_lw_raises_adel) { expect_address_error(lw(V0, 2, A0), EXC_ADEL, DATA_BASE + 2); }
Test(addrerr, misaligned_lh_raises_adel) { expect_address_error(lh(V0, 1, A0), EXC_ADEL, DATA_BASE + 1); }
Test(addrerr, misaligned_lhu_raises_adel) { expect_address_error(lhu(V0, 3, A0), EXC_ADEL, DATA_BASE + 3); }
Test(addrerr, misaligned_ll_raises_adel) { expect_address_error(ll(V0, 1, A0), EXC_ADEL, DATA_BASE + 1); }
Test(addrerr, misaligned_sw_raises_ades) { expect_address_error(sw(V0, 1, A0), EXC_ADES, DATA_BASE + 1); }
Test(addrerr, misaligned_sh_raises_ades) { expect_address_error(sh(V0, 3, A0), EXC_ADES, DATA_BASE + 3); }

Test(addrerr, misaligned_store_writes_nothing)
{
    h_poke32(&h, DATA_BASE, 0xAAAAAAAA);
    h_poke32(&h, DATA_BASE + 4, 0xBBBBBBBB);
    expect_address_error(sw(ZERO, 2, A0), EXC_ADES, DATA_BASE + 2);
    cr_expect_eq(h_peek32(&h, DATA_BASE), 0xAAAAAAAA);
    cr_expect_eq(h_peek32(&h, DATA_BASE + 4), 0xBBBBBBBB);
}

Test(addrerr, jump_to_a_misaligned_address_raises_adel_on_fetch)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, T0, CODE_BASE + 0x102);
    h_emit(&h, jr(T0));
    h_emit(&h, nop());
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_ADEL);
    cr_expect_eq(h.exc[0].epc, CODE_BASE + 0x102);
    cr_expect_eq(h.exc[0].badvaddr, CODE_BASE + 0x102);
    cr_expect_eq(h.exc[0].insn, 0, "a fetch fault has no instruction word");
}

Test(addrerr, user_mode_load_from_kseg0_raises_adel)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_li(&h, A0, DATA_BASE);
    h_emit(&h, lw(V0, 0, A0));
    h_emit(&h, syscall_());
    run_user(0);
    cr_assert_eq(h.nexc, 2);
    cr_expect_eq(h.exc[0].code, EXC_ADEL);
    cr_expect_eq(h.exc[0].badvaddr, DATA_BASE);
    cr_expect_eq(h.exc[0].mode_before, MODE_USER);
}

Test(addrerr, user_mode_store_to_kseg1_raises_ades)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_li(&h, A0, PWR_HALT);
    h_emit(&h, sw(ZERO, 0, A0));
    h_emit(&h, syscall_());
    run_user(0);
    cr_assert_eq(h.nexc, 2);
    cr_expect_eq(h.exc[0].code, EXC_ADES);
    cr_expect_eq(h.exc[0].badvaddr, PWR_HALT);
}

Test(addrerr, user_mode_load_from_kuseg_through_the_tlb_works)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_poke32(&h, DATA_PA + 8, 0xFEEDFACE);
    h_li(&h, A0, DATA_PA);
    h_emit(&h, lw(V0, 8, A0));
    h_emit(&h, syscall_());
    run_user(0);
    cr_expect_eq(h.nexc, 1);
    cr_expect_eq(h_reg(&h, V0), 0xFEEDFACE);
    cr_expect_gt(h_stats(&h, 0)->insns[MODE_USER], 0);
}

/* ---- supervisor mode -------------------------------------------------------- */

#define SSEG_CODE (MIPS_KSSEG + 0x1000u) /* physical 0x1000 = CODE_BASE */
#define SSEG_DATA (MIPS_KSSEG + DATA_PA)

static void run_supervisor(void)
{
    h_map(&h, 0, 0, MIPS_KSSEG, 0, H_PTE_RW);
    h_map(&h, 0, 1, SSEG_DATA, DATA_PA, H_PTE_RW);
    h_start(&h, 0, SSEG_CODE, ST_KSU_SUPER);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT, "%s", sim_stop_message(h.m));
}

Test(mode, supervisor_mode_can_use_mapped_sseg)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_poke32(&h, DATA_PA, 0x5EC0DE);
    h_li(&h, A0, SSEG_DATA);
    h_emit(&h, lw(V0, 0, A0));
    h_emit(&h, sw(V0, 4, A0));
    h_emit(&h, syscall_());
    run_supervisor();
    cr_expect_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].mode_before, MODE_SUPERVISOR);
    cr_expect_eq(h_reg(&h, V0), 0x5EC0DE);
    cr_expect_eq(h_peek32(&h, DATA_PA + 4), 0x5EC0DE);
    cr_expect_gt(h_stats(&h, 0)->insns[MODE_SUPERVISOR], 0);
    cr_expect_gt(h_stats(&h, 0)->cycles[TIME_SUPERVISOR], 0);
}

Test(mode, supervisor_mode_cannot_use_kseg0_or_kseg1)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_li(&h, A0, DATA_BASE);
    h_emit(&h, lw(V0, 0, A0));
    h_li(&h, A1, PWR_HALT);
    h_emit(&h, sw(ZERO, 0, A1));
    h_emit(&h, syscall_());
    run_supervisor();
    cr_assert_eq(h.nexc, 3);
    cr_expect_eq(h.exc[0].code, EXC_ADEL);
    cr_expect_eq(h.exc[0].badvaddr, DATA_BASE);
    cr_expect_eq(h.exc[1].code, EXC_ADES);
    cr_expect_eq(h.exc[1].badvaddr, PWR_HALT);
}

Test(mode, supervisor_mode_cannot_use_kseg3)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_map(&h, 0, 2, MIPS_KSEG3, DATA_PA, H_PTE_RW); /* mapped, but still not allowed */
    h_li(&h, A0, MIPS_KSEG3);
    h_emit(&h, lw(V0, 0, A0));
    h_emit(&h, syscall_());
    run_supervisor();
    cr_assert_eq(h.nexc, 2);
    cr_expect_eq(h.exc[0].code, EXC_ADEL);
    cr_expect_eq(h.exc[0].badvaddr, MIPS_KSEG3);
}

Test(mode, user_mode_cannot_use_sseg)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_map(&h, 0, 2, SSEG_DATA, DATA_PA, H_PTE_RW);
    h_li(&h, A0, SSEG_DATA);
    h_emit(&h, lw(V0, 0, A0));
    h_emit(&h, syscall_());
    run_user(0);
    cr_assert_eq(h.nexc, 2);
    cr_expect_eq(h.exc[0].code, EXC_ADEL);
    cr_expect_eq(h.exc[0].badvaddr, SSEG_DATA);
}

Test(mode, kernel_mode_can_use_mapped_kseg3)
{
    h_poke32(&h, DATA_PA, 0x33);
    h_map(&h, 0, 2, MIPS_KSEG3, DATA_PA, H_PTE_RW);
    h_li(&h, A0, MIPS_KSEG3);
    H_EXEC(&h, lw(V0, 0, A0));
    cr_expect_eq(h_reg(&h, V0), 0x33);
}

Test(mode, exl_forces_kernel_mode_whatever_ksu_says)
{
    h_start(&h, 0, CODE_BASE, ST_KSU_USER | ST_EXL);
    cr_expect_eq(sim_cpu_mode(h.m, 0), MODE_KERNEL);
    cr_expect_eq(sim_cpu_set_cp0(h.m, 0, CP0_STATUS, 0, ST_KSU_USER), 0);
    cr_expect_eq(sim_cpu_mode(h.m, 0), MODE_USER);
    cr_expect_eq(sim_cpu_set_cp0(h.m, 0, CP0_STATUS, 0, ST_KSU_SUPER | ST_ERL), 0);
    cr_expect_eq(sim_cpu_mode(h.m, 0), MODE_KERNEL);
    cr_expect_eq(sim_cpu_set_cp0(h.m, 0, CP0_STATUS, 0, ST_KSU_SUPER), 0);
    cr_expect_eq(sim_cpu_mode(h.m, 0), MODE_SUPERVISOR);
}

Test(coproc, privileged_cop0_operations_in_user_mode_raise_cpu)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_emit(&h, wait_());
    h_emit(&h, tlbwi());
    h_emit(&h, tlbp());
    h_emit(&h, eret());
    h_emit(&h, syscall_());
    run_user(0);
    cr_assert_eq(h.nexc, 5);
    for (int i = 0; i < 4; i++) {
        cr_expect_eq(h.exc[i].code, EXC_CPU, "instruction %d: exception %u", i, h.exc[i].code);
        cr_expect_eq(cause_ce(h.exc_cause[i]), 0);
    }
    cr_expect_lt(h_stats(&h, 0)->cycles[TIME_IDLE], 2, "WAIT idled in user mode");
}

Test(coproc, supervisor_mode_without_cu0_cannot_use_cp0)
{
    h_catch(&h, H_EXC_SKIP_SYS_HALTS);
    h_map(&h, 0, 0, MIPS_KSSEG, 0, H_PTE_RW);
    h_emit(&h, mtc0(ZERO, CP0_STATUS, 0));
    h_emit(&h, syscall_());
    h_start(&h, 0, MIPS_KSSEG + 0x1000u, ST_KSU_SUPER);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 2);
    cr_expect_eq(h.exc[0].code, EXC_CPU);
    cr_expect_eq(h.exc[0].mode_before, MODE_SUPERVISOR);
}

Test(exception, config_registers_describe_the_machine)
{
    H_EXEC(&h, mfc0(S0, CP0_CONFIG, 0), mfc0(S1, CP0_CONFIG, 1), mfc0(S2, CP0_PRID, 0));
    cr_expect_eq((h_reg(&h, S0) >> 7) & 7, 1, "Config.MT: standard TLB");
    cr_expect(h_reg(&h, S0) & 0x80000000u, "Config.M: Config1 present");
    cr_expect_eq(((h_reg(&h, S1) >> 25) & 63) + 1, MIPS_TLB_ENTRIES);
    cr_expect_eq(h_reg(&h, S1) & 1, 0, "Config1.FP: no FPU");
    cr_expect_neq(h_reg(&h, S2), 0);
}
