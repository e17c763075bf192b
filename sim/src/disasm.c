/*
 * disasm.c - a MIPS32 disassembler for the instruction trace.
 *
 * It prints the instruction in the assembler's usual form ("addiu sp,sp,-32",
 * "lw ra,28(sp)", "beq a0,zero,0x80001234"). Unknown encodings print as
 * "reserved", which is also what the CPU raises for them.
 */
#include <stdio.h>

#include "insn.h"
#include "internal.h"

static const char *const reg_names[32] = {
    "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3", "t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7",
    "s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "t8", "t9", "k0", "k1", "gp", "sp", "fp", "ra",
};

/* How the operands of an instruction are printed. */
enum form {
    F_NONE,    /* syscall */
    F_RD_RS_RT,
    F_RD_RT_SA,
    F_RD_RT_RS, /* variable shifts */
    F_RS,      /* jr, mthi */
    F_RD_RS,   /* jalr, clz */
    F_RD,      /* mfhi */
    F_RS_RT,   /* mult, teq */
    F_RT_RS_IMM,
    F_RT_RS_UIMM,
    F_RT_UIMM, /* lui */
    F_RS_RT_BR,
    F_RS_BR,
    F_RS_IMM,  /* teqi */
    F_JUMP,
    F_MEM,     /* rt, imm(rs) */
    F_CP0,     /* mfc0 rt, rd, sel */
};

/** A mnemonic and how its operands print. */
struct op {
    const char *name; /**< mnemonic, NULL for a reserved encoding */
    enum form form;   /**< operand layout */
};

static const struct op special[64] = {
    [0x00] = {"sll", F_RD_RT_SA}, [0x02] = {"srl", F_RD_RT_SA}, [0x03] = {"sra", F_RD_RT_SA},
    [0x04] = {"sllv", F_RD_RT_RS}, [0x06] = {"srlv", F_RD_RT_RS}, [0x07] = {"srav", F_RD_RT_RS},
    [0x08] = {"jr", F_RS}, [0x09] = {"jalr", F_RD_RS}, [0x0A] = {"movz", F_RD_RS_RT},
    [0x0B] = {"movn", F_RD_RS_RT}, [0x0C] = {"syscall", F_NONE}, [0x0D] = {"break", F_NONE},
    [0x0F] = {"sync", F_NONE}, [0x10] = {"mfhi", F_RD}, [0x11] = {"mthi", F_RS},
    [0x12] = {"mflo", F_RD}, [0x13] = {"mtlo", F_RS}, [0x18] = {"mult", F_RS_RT},
    [0x19] = {"multu", F_RS_RT}, [0x1A] = {"div", F_RS_RT}, [0x1B] = {"divu", F_RS_RT},
    [0x20] = {"add", F_RD_RS_RT}, [0x21] = {"addu", F_RD_RS_RT}, [0x22] = {"sub", F_RD_RS_RT},
    [0x23] = {"subu", F_RD_RS_RT}, [0x24] = {"and", F_RD_RS_RT}, [0x25] = {"or", F_RD_RS_RT},
    [0x26] = {"xor", F_RD_RS_RT}, [0x27] = {"nor", F_RD_RS_RT}, [0x2A] = {"slt", F_RD_RS_RT},
    [0x2B] = {"sltu", F_RD_RS_RT}, [0x30] = {"tge", F_RS_RT}, [0x31] = {"tgeu", F_RS_RT},
    [0x32] = {"tlt", F_RS_RT}, [0x33] = {"tltu", F_RS_RT}, [0x34] = {"teq", F_RS_RT},
    [0x36] = {"tne", F_RS_RT},
};

static const struct op regimm[32] = {
    [0x00] = {"bltz", F_RS_BR}, [0x01] = {"bgez", F_RS_BR}, [0x02] = {"bltzl", F_RS_BR},
    [0x03] = {"bgezl", F_RS_BR}, [0x08] = {"tgei", F_RS_IMM}, [0x09] = {"tgeiu", F_RS_IMM},
    [0x0A] = {"tlti", F_RS_IMM}, [0x0B] = {"tltiu", F_RS_IMM}, [0x0C] = {"teqi", F_RS_IMM},
    [0x0E] = {"tnei", F_RS_IMM}, [0x10] = {"bltzal", F_RS_BR}, [0x11] = {"bgezal", F_RS_BR},
    [0x12] = {"bltzall", F_RS_BR}, [0x13] = {"bgezall", F_RS_BR},
};

static const struct op special2[64] = {
    [0x00] = {"madd", F_RS_RT}, [0x01] = {"maddu", F_RS_RT}, [0x02] = {"mul", F_RD_RS_RT},
    [0x04] = {"msub", F_RS_RT}, [0x05] = {"msubu", F_RS_RT}, [0x20] = {"clz", F_RD_RS},
    [0x21] = {"clo", F_RD_RS},
};

static const struct op cop0_co[64] = {
    [0x01] = {"tlbr", F_NONE}, [0x02] = {"tlbwi", F_NONE}, [0x06] = {"tlbwr", F_NONE},
    [0x08] = {"tlbp", F_NONE}, [0x18] = {"eret", F_NONE}, [0x20] = {"wait", F_NONE},
};

static const struct op major[64] = {
    [0x02] = {"j", F_JUMP}, [0x03] = {"jal", F_JUMP}, [0x04] = {"beq", F_RS_RT_BR},
    [0x05] = {"bne", F_RS_RT_BR}, [0x06] = {"blez", F_RS_BR}, [0x07] = {"bgtz", F_RS_BR},
    [0x08] = {"addi", F_RT_RS_IMM}, [0x09] = {"addiu", F_RT_RS_IMM}, [0x0A] = {"slti", F_RT_RS_IMM},
    [0x0B] = {"sltiu", F_RT_RS_IMM}, [0x0C] = {"andi", F_RT_RS_UIMM}, [0x0D] = {"ori", F_RT_RS_UIMM},
    [0x0E] = {"xori", F_RT_RS_UIMM}, [0x0F] = {"lui", F_RT_UIMM}, [0x14] = {"beql", F_RS_RT_BR},
    [0x15] = {"bnel", F_RS_RT_BR}, [0x16] = {"blezl", F_RS_BR}, [0x17] = {"bgtzl", F_RS_BR},
    [0x20] = {"lb", F_MEM}, [0x21] = {"lh", F_MEM}, [0x22] = {"lwl", F_MEM}, [0x23] = {"lw", F_MEM},
    [0x24] = {"lbu", F_MEM}, [0x25] = {"lhu", F_MEM}, [0x26] = {"lwr", F_MEM}, [0x28] = {"sb", F_MEM},
    [0x29] = {"sh", F_MEM}, [0x2A] = {"swl", F_MEM}, [0x2B] = {"sw", F_MEM}, [0x2E] = {"swr", F_MEM},
    [0x2F] = {"cache", F_MEM}, [0x30] = {"ll", F_MEM}, [0x33] = {"pref", F_MEM}, [0x38] = {"sc", F_MEM},
};

/* Find the name and operand form of an instruction; NULL name if reserved. */
static struct op lookup(uint32_t insn)
{
    switch (insn_op(insn)) {
    case 0x00:
        if (insn == 0)
            return (struct op){"nop", F_NONE};
        /* MIPS32 Release 2's rotr and rotrv: reserved on this Release 1 CPU. */
        if ((insn_funct(insn) == 0x02 && insn_rs(insn)) || (insn_funct(insn) == 0x06 && insn_sa(insn)))
            return (struct op){NULL, F_NONE};
        return special[insn_funct(insn)];
    case 0x01: return regimm[insn_rt(insn)];
    case 0x1C: return special2[insn_funct(insn)];
    case 0x10:
        if (insn_rs(insn) == 0)
            return (struct op){"mfc0", F_CP0};
        if (insn_rs(insn) == 4)
            return (struct op){"mtc0", F_CP0};
        if (insn_rs(insn) & 0x10)
            return cop0_co[insn_funct(insn)];
        return (struct op){NULL, F_NONE};
    case 0x11: case 0x12: case 0x13: case 0x31: case 0x32: case 0x35: case 0x36:
    case 0x39: case 0x3A: case 0x3D: case 0x3E:
        return (struct op){"cop-unusable", F_NONE};
    default: return major[insn_op(insn)];
    }
}

void disasm(uint32_t insn, uint32_t pc, char *buf, size_t len)
{
    struct op op = lookup(insn);
    const char *rs = reg_names[insn_rs(insn)], *rt = reg_names[insn_rt(insn)];
    const char *rd = reg_names[insn_rd(insn)];
    uint32_t br = pc + 4 + ((uint32_t)insn_simm(insn) << 2);
    if (!op.name) {
        snprintf(buf, len, "reserved");
        return;
    }
    switch (op.form) {
    case F_NONE: snprintf(buf, len, "%s", op.name); break;
    case F_RD_RS_RT: snprintf(buf, len, "%s %s,%s,%s", op.name, rd, rs, rt); break;
    case F_RD_RT_SA: snprintf(buf, len, "%s %s,%s,%u", op.name, rd, rt, insn_sa(insn)); break;
    case F_RD_RT_RS: snprintf(buf, len, "%s %s,%s,%s", op.name, rd, rt, rs); break;
    case F_RS: snprintf(buf, len, "%s %s", op.name, rs); break;
    case F_RD_RS: snprintf(buf, len, "%s %s,%s", op.name, rd, rs); break;
    case F_RD: snprintf(buf, len, "%s %s", op.name, rd); break;
    case F_RS_RT: snprintf(buf, len, "%s %s,%s", op.name, rs, rt); break;
    case F_RT_RS_IMM: snprintf(buf, len, "%s %s,%s,%d", op.name, rt, rs, insn_simm(insn)); break;
    case F_RT_RS_UIMM: snprintf(buf, len, "%s %s,%s,0x%x", op.name, rt, rs, insn_imm(insn)); break;
    case F_RT_UIMM: snprintf(buf, len, "%s %s,0x%x", op.name, rt, insn_imm(insn)); break;
    case F_RS_RT_BR: snprintf(buf, len, "%s %s,%s,0x%08x", op.name, rs, rt, br); break;
    case F_RS_BR: snprintf(buf, len, "%s %s,0x%08x", op.name, rs, br); break;
    case F_RS_IMM: snprintf(buf, len, "%s %s,%d", op.name, rs, insn_simm(insn)); break;
    case F_JUMP:
        snprintf(buf, len, "%s 0x%08x", op.name,
                 ((pc + 4) & 0xF0000000u) | (insn_target(insn) << 2));
        break;
    case F_MEM: snprintf(buf, len, "%s %s,%d(%s)", op.name, rt, insn_simm(insn), rs); break;
    case F_CP0:
        snprintf(buf, len, "%s %s,$%u,%u", op.name, rt, insn_rd(insn), insn & 7);
        break;
    }
}
