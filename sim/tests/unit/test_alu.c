/*
 * test_alu.c - integer arithmetic, logic, shifts, HI/LO, multiply and
 * divide, the SPECIAL2 instructions and conditional moves.
 */
#include <criterion/criterion.h>

#include "harness.h"

static struct harness h;

static void setup(void) { h_init(&h, NULL); }
static void teardown(void) { h_fini(&h); }

TestSuite(alu, .init = setup, .fini = teardown);
TestSuite(shift, .init = setup, .fini = teardown);
TestSuite(muldiv, .init = setup, .fini = teardown);
TestSuite(special2, .init = setup, .fini = teardown);
TestSuite(movcond, .init = setup, .fini = teardown);

/* ---- add, sub and overflow ------------------------------------------------ */

Test(alu, add_overflow_raises_ov_and_leaves_rd_unchanged)
{
    h_catch(&h, H_EXC_SKIP);
    h_set(&h, T0, 0x7FFFFFFF);
    h_set(&h, T1, 1);
    h_set(&h, V0, 0x1234);
    h_emit(&h, nop());
    uint32_t at = h_emit(&h, add(V0, T0, T1));
    H_EXEC(&h, nop());
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_OV);
    cr_expect_eq(h.exc[0].epc, at);
    cr_expect_eq(h_reg(&h, V0), 0x1234);
}

Test(alu, add_negative_overflow_raises_ov)
{
    h_catch(&h, H_EXC_SKIP);
    h_set(&h, T0, 0x80000000);
    h_set(&h, T1, 0xFFFFFFFF);
    h_set(&h, V0, 0x1234);
    H_EXEC(&h, add(V0, T0, T1));
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_OV);
    cr_expect_eq(h_reg(&h, V0), 0x1234);
}

Test(alu, add_without_overflow_gives_the_sum)
{
    h_catch(&h, H_EXC_HALT);
    h_set(&h, T0, (uint32_t)-5);
    h_set(&h, T1, 3);
    H_EXEC(&h, add(V0, T0, T1));
    cr_expect_eq(h_reg(&h, V0), (uint32_t)-2);
    cr_expect_eq(h.nexc, 0);
}

Test(alu, addi_overflow_raises_ov_and_leaves_rt_unchanged)
{
    h_catch(&h, H_EXC_SKIP);
    h_set(&h, T0, 0x7FFFFFFF);
    h_set(&h, V0, 0x1234);
    H_EXEC(&h, addi(V0, T0, 1));
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_OV);
    cr_expect_eq(h_reg(&h, V0), 0x1234);
}

Test(alu, addi_sign_extends_its_immediate)
{
    h_set(&h, T0, 10);
    H_EXEC(&h, addi(V0, T0, -11));
    cr_expect_eq(h_reg(&h, V0), 0xFFFFFFFF);
}

Test(alu, addu_and_addiu_wrap_without_exception)
{
    h_catch(&h, H_EXC_HALT);
    h_set(&h, T0, 0xFFFFFFFF);
    h_set(&h, T1, 2);
    h_set(&h, T2, 0x7FFFFFFF);
    H_EXEC(&h, addu(V0, T0, T1), addiu(V1, T2, 1));
    cr_expect_eq(h_reg(&h, V0), 1);
    cr_expect_eq(h_reg(&h, V1), 0x80000000);
    cr_expect_eq(h.nexc, 0);
}

Test(alu, sub_gives_the_difference)
{
    h_set(&h, T0, 5);
    h_set(&h, T1, 7);
    H_EXEC(&h, sub(V0, T0, T1));
    cr_expect_eq(h_reg(&h, V0), (uint32_t)-2);
}

Test(alu, sub_overflow_raises_ov_and_leaves_rd_unchanged)
{
    h_catch(&h, H_EXC_SKIP);
    h_set(&h, T0, 0x80000000);
    h_set(&h, T1, 1);
    h_set(&h, V0, 0x1234);
    H_EXEC(&h, sub(V0, T0, T1));
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_OV);
    cr_expect_eq(h_reg(&h, V0), 0x1234);
}

Test(alu, subu_wraps)
{
    h_set(&h, T1, 1);
    H_EXEC(&h, subu(V0, ZERO, T1));
    cr_expect_eq(h_reg(&h, V0), 0xFFFFFFFF);
}

/* ---- comparisons ---------------------------------------------------------- */

Test(alu, slt_compares_signed_and_sltu_unsigned)
{
    h_set(&h, T0, 0xFFFFFFFF); /* -1 */
    h_set(&h, T1, 1);
    H_EXEC(&h, slt(V0, T0, T1), sltu(V1, T0, T1), slt(T2, T1, T0), sltu(T3, T1, T0));
    cr_expect_eq(h_reg(&h, V0), 1);
    cr_expect_eq(h_reg(&h, V1), 0);
    cr_expect_eq(h_reg(&h, T2), 0);
    cr_expect_eq(h_reg(&h, T3), 1);
}

Test(alu, slti_and_sltiu_sign_extend_the_immediate)
{
    h_set(&h, T0, 5);
    h_set(&h, T1, 0xFFFFFFFE);
    /* sltiu compares with the sign-extended immediate as an unsigned number */
    H_EXEC(&h, slti(V0, T0, -1), sltiu(V1, T0, -1), slti(T2, T1, -1), sltiu(T3, T1, -1));
    cr_expect_eq(h_reg(&h, V0), 0);
    cr_expect_eq(h_reg(&h, V1), 1);
    cr_expect_eq(h_reg(&h, T2), 1);
    cr_expect_eq(h_reg(&h, T3), 1);
}

/* ---- logic ---------------------------------------------------------------- */

Test(alu, logic_operations)
{
    h_set(&h, T0, 0xF0F0FF00);
    h_set(&h, T1, 0x0FF0F0F0);
    H_EXEC(&h, and_(V0, T0, T1), or_(V1, T0, T1), xor_(T2, T0, T1), nor_(T3, T0, T1));
    cr_expect_eq(h_reg(&h, V0), 0x00F0F000);
    cr_expect_eq(h_reg(&h, V1), 0xFFF0FFF0);
    cr_expect_eq(h_reg(&h, T2), 0xFF000FF0);
    cr_expect_eq(h_reg(&h, T3), 0x000F000F);
}

Test(alu, logic_immediates_are_zero_extended)
{
    h_set(&h, T0, 0xFFFFFFFF);
    h_set(&h, T1, 0x12340000);
    H_EXEC(&h, andi(V0, T0, 0x8001), ori(V1, T1, 0x8001), xori(T2, T0, 0x8001));
    cr_expect_eq(h_reg(&h, V0), 0x00008001);
    cr_expect_eq(h_reg(&h, V1), 0x12348001);
    cr_expect_eq(h_reg(&h, T2), 0xFFFF7FFE);
}

Test(alu, lui_loads_the_upper_half)
{
    h_set(&h, V0, 0xFFFFFFFF);
    H_EXEC(&h, lui(V0, 0x8765));
    cr_expect_eq(h_reg(&h, V0), 0x87650000);
}

Test(alu, writes_to_register_zero_are_discarded)
{
    H_EXEC(&h, addiu(ZERO, ZERO, 5), lui(ZERO, 0x1234), addu(V0, ZERO, ZERO));
    cr_expect_eq(h_reg(&h, ZERO), 0);
    cr_expect_eq(h_reg(&h, V0), 0);
}

/* ---- shifts --------------------------------------------------------------- */

Test(shift, sll_srl_sra_by_a_constant)
{
    h_set(&h, T0, 0x80000011);
    H_EXEC(&h, sll(V0, T0, 4), srl(V1, T0, 4), sra(T2, T0, 4), sra(T3, T0, 31), sll(T4, T0, 0));
    cr_expect_eq(h_reg(&h, V0), 0x00000110);
    cr_expect_eq(h_reg(&h, V1), 0x08000001);
    cr_expect_eq(h_reg(&h, T2), 0xF8000001);
    cr_expect_eq(h_reg(&h, T3), 0xFFFFFFFF);
    cr_expect_eq(h_reg(&h, T4), 0x80000011);
}

Test(shift, variable_shifts_use_the_low_five_bits_of_rs)
{
    h_set(&h, T0, 0x80000011);
    h_set(&h, T1, 33); /* shifts by 1 */
    H_EXEC(&h, sllv(V0, T0, T1), srlv(V1, T0, T1), srav(T2, T0, T1));
    cr_expect_eq(h_reg(&h, V0), 0x00000022);
    cr_expect_eq(h_reg(&h, V1), 0x40000008);
    cr_expect_eq(h_reg(&h, T2), 0xC0000008);
}

/* ---- HI, LO, multiply, divide --------------------------------------------- */

Test(muldiv, mthi_mtlo_mfhi_mflo_round_trip)
{
    h_set(&h, T0, 0xAAAA5555);
    h_set(&h, T1, 0x12345678);
    H_EXEC(&h, mthi(T0), mtlo(T1), mfhi(V0), mflo(V1));
    cr_expect_eq(h_reg(&h, V0), 0xAAAA5555);
    cr_expect_eq(h_reg(&h, V1), 0x12345678);
    cr_expect_eq(sim_cpu_hi(h.m, 0), 0xAAAA5555);
    cr_expect_eq(sim_cpu_lo(h.m, 0), 0x12345678);
}

Test(muldiv, mult_is_signed_64_bit)
{
    h_set(&h, T0, (uint32_t)-3);
    h_set(&h, T1, 0x40000000);
    H_EXEC(&h, mult(T0, T1), mfhi(V0), mflo(V1));
    /* -3 * 2^30 = -3221225472 = 0xFFFFFFFF_40000000 */
    cr_expect_eq(h_reg(&h, V0), 0xFFFFFFFF);
    cr_expect_eq(h_reg(&h, V1), 0x40000000);
}

Test(muldiv, multu_is_unsigned_64_bit)
{
    h_set(&h, T0, 0xFFFFFFFF);
    h_set(&h, T1, 0xFFFFFFFF);
    H_EXEC(&h, multu(T0, T1), mfhi(V0), mflo(V1));
    cr_expect_eq(h_reg(&h, V0), 0xFFFFFFFE);
    cr_expect_eq(h_reg(&h, V1), 0x00000001);
}

Test(muldiv, div_truncates_toward_zero)
{
    h_set(&h, T0, (uint32_t)-7);
    h_set(&h, T1, 2);
    H_EXEC(&h, div_(T0, T1), mflo(V0), mfhi(V1));
    cr_expect_eq(h_reg(&h, V0), (uint32_t)-3);
    cr_expect_eq(h_reg(&h, V1), (uint32_t)-1);
}

Test(muldiv, divu_is_unsigned)
{
    h_set(&h, T0, 0xFFFFFFF9);
    h_set(&h, T1, 2);
    H_EXEC(&h, divu(T0, T1), mflo(V0), mfhi(V1));
    cr_expect_eq(h_reg(&h, V0), 0x7FFFFFFC);
    cr_expect_eq(h_reg(&h, V1), 1);
}

/* exec.c: division by zero leaves LO = -1 (1 for a negative dividend) and
 * HI = the dividend; it raises nothing. */
Test(muldiv, div_by_zero_gives_documented_values_without_exception)
{
    h_catch(&h, H_EXC_HALT);
    h_set(&h, T0, 5);
    h_set(&h, T1, (uint32_t)-5);
    H_EXEC(&h, div_(T0, ZERO), mflo(V0), mfhi(V1), div_(T1, ZERO), mflo(T2), mfhi(T3));
    cr_expect_eq(h.nexc, 0);
    cr_expect_eq(h_reg(&h, V0), 0xFFFFFFFF);
    cr_expect_eq(h_reg(&h, V1), 5);
    cr_expect_eq(h_reg(&h, T2), 1);
    cr_expect_eq(h_reg(&h, T3), (uint32_t)-5);
}

Test(muldiv, divu_by_zero_gives_documented_values_without_exception)
{
    h_catch(&h, H_EXC_HALT);
    h_set(&h, T0, 0x80000005);
    H_EXEC(&h, divu(T0, ZERO), mflo(V0), mfhi(V1));
    cr_expect_eq(h.nexc, 0);
    cr_expect_eq(h_reg(&h, V0), 0xFFFFFFFF);
    cr_expect_eq(h_reg(&h, V1), 0x80000005);
}

Test(muldiv, div_int_min_by_minus_one_gives_int_min_and_zero)
{
    h_catch(&h, H_EXC_HALT);
    h_set(&h, T0, 0x80000000);
    h_set(&h, T1, 0xFFFFFFFF);
    H_EXEC(&h, div_(T0, T1), mflo(V0), mfhi(V1));
    cr_expect_eq(h.nexc, 0);
    cr_expect_eq(h_reg(&h, V0), 0x80000000);
    cr_expect_eq(h_reg(&h, V1), 0);
}

/* ---- SPECIAL2 -------------------------------------------------------------- */

Test(special2, madd_adds_the_signed_product_to_hilo)
{
    h_set(&h, T0, 0x00000001);
    h_set(&h, T1, 0x00000000);
    h_set(&h, T2, (uint32_t)-1);
    h_set(&h, T3, 1);
    /* HI:LO = 2^32, + (-1 * 1) = 0x00000000_FFFFFFFF */
    H_EXEC(&h, mthi(T0), mtlo(T1), madd(T2, T3));
    cr_expect_eq(sim_cpu_hi(h.m, 0), 0);
    cr_expect_eq(sim_cpu_lo(h.m, 0), 0xFFFFFFFF);
}

Test(special2, maddu_adds_the_unsigned_product_with_carry)
{
    h_set(&h, T0, 0);
    h_set(&h, T1, 0xFFFFFFFF);
    h_set(&h, T2, 0xFFFFFFFF);
    h_set(&h, T3, 2);
    /* 0xFFFFFFFF + 0xFFFFFFFF * 2 = 0x2_FFFFFFFD */
    H_EXEC(&h, mthi(T0), mtlo(T1), maddu(T2, T3));
    cr_expect_eq(sim_cpu_hi(h.m, 0), 2);
    cr_expect_eq(sim_cpu_lo(h.m, 0), 0xFFFFFFFD);
}

Test(special2, msub_subtracts_the_signed_product)
{
    h_set(&h, T2, (uint32_t)-2);
    h_set(&h, T3, 3);
    /* 0 - (-6) = 6 */
    H_EXEC(&h, mthi(ZERO), mtlo(ZERO), msub(T2, T3));
    cr_expect_eq(sim_cpu_hi(h.m, 0), 0);
    cr_expect_eq(sim_cpu_lo(h.m, 0), 6);
}

Test(special2, msubu_subtracts_the_unsigned_product_with_borrow)
{
    h_set(&h, T2, 0xFFFFFFFF);
    h_set(&h, T3, 1);
    /* 0 - 0xFFFFFFFF = 0xFFFFFFFF_00000001 */
    H_EXEC(&h, mthi(ZERO), mtlo(ZERO), msubu(T2, T3));
    cr_expect_eq(sim_cpu_hi(h.m, 0), 0xFFFFFFFF);
    cr_expect_eq(sim_cpu_lo(h.m, 0), 1);
}

Test(special2, mul_writes_the_low_32_bits_to_rd)
{
    h_set(&h, T0, (uint32_t)-3);
    h_set(&h, T1, 5);
    h_set(&h, T2, 0x10001);
    h_set(&h, T3, 0x10001);
    H_EXEC(&h, mul(V0, T0, T1), mul(V1, T2, T3));
    cr_expect_eq(h_reg(&h, V0), (uint32_t)-15);
    cr_expect_eq(h_reg(&h, V1), 0x00020001);
}

Test(special2, clz_counts_leading_zeros)
{
    h_set(&h, T0, 0);
    h_set(&h, T1, 1);
    h_set(&h, T2, 0x80000000);
    h_set(&h, T3, 0x00F00000);
    H_EXEC(&h, clz(V0, T0), clz(V1, T1), clz(T4, T2), clz(T5, T3));
    cr_expect_eq(h_reg(&h, V0), 32);
    cr_expect_eq(h_reg(&h, V1), 31);
    cr_expect_eq(h_reg(&h, T4), 0);
    cr_expect_eq(h_reg(&h, T5), 8);
}

Test(special2, clo_counts_leading_ones)
{
    h_set(&h, T0, 0xFFFFFFFF);
    h_set(&h, T1, 0xF0000000);
    h_set(&h, T2, 0);
    H_EXEC(&h, clo(V0, T0), clo(V1, T1), clo(T4, T2));
    cr_expect_eq(h_reg(&h, V0), 32);
    cr_expect_eq(h_reg(&h, V1), 4);
    cr_expect_eq(h_reg(&h, T4), 0);
}

/* ---- movz / movn ------------------------------------------------------------ */

Test(movcond, movz_moves_only_when_rt_is_zero)
{
    h_set(&h, T0, 0xAB);
    h_set(&h, T1, 0);
    h_set(&h, T2, 1);
    h_set(&h, V0, 1);
    h_set(&h, V1, 2);
    H_EXEC(&h, movz(V0, T0, T1), movz(V1, T0, T2));
    cr_expect_eq(h_reg(&h, V0), 0xAB);
    cr_expect_eq(h_reg(&h, V1), 2);
}

Test(movcond, movn_moves_only_when_rt_is_not_zero)
{
    h_set(&h, T0, 0xAB);
    h_set(&h, T1, 0);
    h_set(&h, T2, 1);
    h_set(&h, V0, 1);
    h_set(&h, V1, 2);
    H_EXEC(&h, movn(V0, T0, T1), movn(V1, T0, T2));
    cr_expect_eq(h_reg(&h, V0), 1);
    cr_expect_eq(h_reg(&h, V1), 0xAB);
}
