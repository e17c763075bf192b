/*
 * test_decode.c - the disassembler prints every instruction class in the
 * assembler's form, and reserved encodings raise Reserved Instruction.
 */
#include <criterion/criterion.h>

#include "harness.h"
#include "internal.h" /* disasm() */

#define PC 0x80001000u

static void check(uint32_t insn, const char *want)
{
    char buf[64];
    disasm(insn, PC, buf, sizeof buf);
    cr_expect_str_eq(buf, want, "disasm(%08x) = \"%s\", expected \"%s\"", insn, buf, want);
}

/* For operands whose spelling is not settled (cache ops, prefetch hints). */
static void check_prefix(uint32_t insn, const char *want)
{
    char buf[64];
    disasm(insn, PC, buf, sizeof buf);
    cr_expect(strncmp(buf, want, strlen(want)) == 0, "disasm(%08x) = \"%s\", expected \"%s...\"",
              insn, buf, want);
}

Test(disasm, special_alu_and_shifts)
{
    check(nop(), "nop");
    check(addu(V0, A0, A1), "addu v0,a0,a1");
    check(add(T0, T1, T2), "add t0,t1,t2");
    check(subu(S0, S1, S2), "subu s0,s1,s2");
    check(and_(V0, A0, A1), "and v0,a0,a1");
    check(nor_(V0, A0, ZERO), "nor v0,a0,zero");
    check(slt(V0, A0, A1), "slt v0,a0,a1");
    check(sltu(V0, A0, A1), "sltu v0,a0,a1");
    check(sll(T0, T1, 4), "sll t0,t1,4");
    check(sra(T0, T1, 31), "sra t0,t1,31");
    check(srl(T0, T1, 1), "srl t0,t1,1");
    check(sllv(T0, T1, T2), "sllv t0,t1,t2");
    check(srav(T0, T1, T2), "srav t0,t1,t2");
    check(movz(V0, A0, A1), "movz v0,a0,a1");
    check(movn(V0, A0, A1), "movn v0,a0,a1");
}

Test(disasm, hilo_multiply_divide)
{
    check(mfhi(V0), "mfhi v0");
    check(mflo(V1), "mflo v1");
    check(mthi(A0), "mthi a0");
    check(mtlo(A1), "mtlo a1");
    check(mult(A0, A1), "mult a0,a1");
    check(multu(A0, A1), "multu a0,a1");
    check(div_(A0, A1), "div a0,a1");
    check(divu(A0, A1), "divu a0,a1");
}

Test(disasm, special2)
{
    check(mul(V0, A0, A1), "mul v0,a0,a1");
    check(madd(A0, A1), "madd a0,a1");
    check(maddu(A0, A1), "maddu a0,a1");
    check(msub(A0, A1), "msub a0,a1");
    check(msubu(A0, A1), "msubu a0,a1");
    check(clz(V0, A0), "clz v0,a0");
    check(clo(V0, A0), "clo v0,a0");
}

Test(disasm, immediates)
{
    check(addiu(SP, SP, -32), "addiu sp,sp,-32");
    check(addi(V0, A0, 5), "addi v0,a0,5");
    check(slti(V0, A0, -1), "slti v0,a0,-1");
    check(sltiu(V0, A0, 7), "sltiu v0,a0,7");
    check(andi(V0, A0, 0xFF00), "andi v0,a0,0xff00");
    check(ori(AT, AT, 0x1000), "ori at,at,0x1000");
    check(xori(V0, A0, 1), "xori v0,a0,0x1");
    check(lui(AT, 0xBF00), "lui at,0xbf00");
}

Test(disasm, loads_and_stores)
{
    check(lw(RA, 28, SP), "lw ra,28(sp)");
    check(sw(RA, 28, SP), "sw ra,28(sp)");
    check(lb(V0, -1, A0), "lb v0,-1(a0)");
    check(lbu(V0, 1, A0), "lbu v0,1(a0)");
    check(lh(V0, 2, A0), "lh v0,2(a0)");
    check(lhu(V0, 2, A0), "lhu v0,2(a0)");
    check(sb(V0, 3, A0), "sb v0,3(a0)");
    check(sh(V0, 4, A0), "sh v0,4(a0)");
    check(lwl(V0, 3, A0), "lwl v0,3(a0)");
    check(lwr(V0, 0, A0), "lwr v0,0(a0)");
    check(swl(V0, 3, A0), "swl v0,3(a0)");
    check(swr(V0, 0, A0), "swr v0,0(a0)");
    check(ll(T0, 0, A0), "ll t0,0(a0)");
    check(sc(T0, 0, A0), "sc t0,0(a0)");
}

Test(disasm, branches_print_their_target)
{
    /* A branch at PC with offset n goes to PC + 4 + 4n. */
    check(beq(A0, ZERO, 0x10), "beq a0,zero,0x80001044");
    check(bne(A0, A1, -1), "bne a0,a1,0x80001000");
    check(blez(A0, 1), "blez a0,0x80001008");
    check(bgtz(A0, 1), "bgtz a0,0x80001008");
    check(beql(A0, A1, 2), "beql a0,a1,0x8000100c");
    check(bnel(A0, A1, 2), "bnel a0,a1,0x8000100c");
    check(bltz(A0, 2), "bltz a0,0x8000100c");
    check(bgez(A0, 2), "bgez a0,0x8000100c");
    check(bltzal(A0, 2), "bltzal a0,0x8000100c");
    check(bgezal(A0, 2), "bgezal a0,0x8000100c");
    check(bgezall(A0, 2), "bgezall a0,0x8000100c");
}

Test(disasm, jumps)
{
    check(j(0x80000180u), "j 0x80000180");
    check(jal(0x80002000u), "jal 0x80002000");
    check(jr(RA), "jr ra");
    check(jalr(RA, T9), "jalr ra,t9");
}

Test(disasm, traps_and_system)
{
    check(syscall_(), "syscall");
    check(break_(), "break");
    check(sync_(), "sync");
    check(teq(A0, A1), "teq a0,a1");
    check(tne(A0, A1), "tne a0,a1");
    check(tge(A0, A1), "tge a0,a1");
    check(tltu(A0, A1), "tltu a0,a1");
    check(teqi(A0, 5), "teqi a0,5");
    check(tgei(A0, -3), "tgei a0,-3");
    check(tnei(A0, 0), "tnei a0,0");
}

Test(disasm, cop0)
{
    check(mfc0(T0, CP0_STATUS, 0), "mfc0 t0,$12,0");
    check(mtc0(T0, CP0_EPC, 0), "mtc0 t0,$14,0");
    check(mfc0(T0, CP0_PRID, 1), "mfc0 t0,$15,1");
    check(tlbr(), "tlbr");
    check(tlbwi(), "tlbwi");
    check(tlbwr(), "tlbwr");
    check(tlbp(), "tlbp");
    check(eret(), "eret");
    check(wait_(), "wait");
    check_prefix(cache_(0x10, 0, A0), "cache ");
    check_prefix(pref(0, 8, A0), "pref ");
}

Test(disasm, coprocessor_1_and_2_are_unusable)
{
    check(mfc1(T0, 0), "cop-unusable");
    check(lwc1(0, 0, A0), "cop-unusable");
    check(swc1(0, 0, A0), "cop-unusable");
    check(mfc2(T0, 0), "cop-unusable");
    check(lwc2(0, 0, A0), "cop-unusable");
}

Test(disasm, reserved_encodings_print_reserved)
{
    check(0xEC000000u, "reserved");                 /* opcode 0x3B */
    check(enc_r(0, A0, A1, V0, 0, 0x05), "reserved"); /* SPECIAL funct 0x05 */
    check(enc_r(0x1C, A0, A1, V0, 0, 0x3F), "reserved"); /* SPECIAL2 funct 0x3F (sdbbp) */
    check(enc_i(1, A0, 0x1F, 0), "reserved");       /* REGIMM rt 0x1F */
    check(enc_r(0x10, 0x01, T0, 12, 0, 0), "reserved"); /* dmfc0: 64-bit */
}

/* disasm.c promises that what prints as "reserved" is what the CPU raises
 * RI for, and the CPU raises RI for ROTR (srl with rs=1, Release 2) and
 * ROTRV (srlv with sa=1). */
Test(disasm, release2_rotates_print_reserved_as_the_cpu_treats_them)
{
    check(enc_r(0, 1, T1, T0, 4, 0x02), "reserved"); /* rotr t0,t1,4 */
    check(enc_r(0, T2, T1, T0, 1, 0x06), "reserved"); /* rotrv t0,t1,t2 */
}

/* ---- executing reserved encodings ----------------------------------------- */

static void expect_ri(uint32_t insn)
{
    struct harness h;
    h_init(&h, NULL);
    h_catch(&h, H_EXC_HALT);
    h_li(&h, V0, 0x1234);
    h_li(&h, A0, 5);
    h_li(&h, A1, 7);
    uint32_t at = h_emit(&h, insn);
    h_halt(&h, 0);
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(sim_exit_status(h.m), H_EXC_STATUS, "insn %08x did not raise an exception", insn);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_RI, "insn %08x raised %u, not RI", insn, h.exc[0].code);
    cr_expect_eq(h.exc[0].epc, at);
    cr_expect_eq(h.exc[0].insn, insn);
    cr_expect_eq(h_reg(&h, V0), 0x1234, "a reserved instruction changed its rd");
    h_fini(&h);
}

Test(reserved, opcode_0x3b_raises_ri) { expect_ri(0xEC000000u); }
Test(reserved, special_funct_0x05_raises_ri) { expect_ri(enc_r(0, A0, A1, V0, 0, 0x05)); }
Test(reserved, rotr_srl_with_rs_1_raises_ri) { expect_ri(enc_r(0, 1, A0, V0, 4, 0x02)); }
Test(reserved, rotrv_srlv_with_sa_1_raises_ri) { expect_ri(enc_r(0, A1, A0, V0, 1, 0x06)); }
Test(reserved, special2_unknown_funct_raises_ri) { expect_ri(enc_r(0x1C, A0, A1, V0, 0, 0x3F)); }
Test(reserved, regimm_unknown_rt_raises_ri) { expect_ri(enc_i(1, A0, 0x1F, 0)); }
Test(reserved, cop0_unknown_rs_raises_ri) { expect_ri(enc_r(0x10, 0x01, V0, 12, 0, 0)); }
Test(reserved, cop0_unknown_function_raises_ri) { expect_ri(0x42000003u); }
Test(reserved, opcode_0x1f_special3_raises_ri) { expect_ri(enc_r(0x1F, A0, V0, 0, 0, 0x20)); }
