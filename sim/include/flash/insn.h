/**
 * @file insn.h
 * @brief Fields and opcodes of a MIPS32 instruction word.
 *
 * @code
 *   R-type: op(31..26) rs(25..21) rt(20..16) rd(15..11) sa(10..6) funct(5..0)
 *   I-type: op rs rt imm(15..0)
 *   J-type: op target(25..0)
 * @endcode
 *
 * Shared by the simulator's executor and disassembler and by the monitor's
 * decoder (reference/src/emulate.c), so that every part of the kit reads an
 * instruction the same way. The opcode names are the MIPS32 manual's
 * (volume II, "Instruction bit encodings"); only those that something in
 * the kit decodes by name are listed.
 */
#ifndef FLASH_INSN_H
#define FLASH_INSN_H

#include <stdint.h>

/** Major opcode (bits 31..26). */
static inline unsigned insn_op(uint32_t i) { return i >> 26; }
/** First source register, or the COP0 sub-opcode (bits 25..21). */
static inline unsigned insn_rs(uint32_t i) { return (i >> 21) & 31; }
/** Second source / target register, or the REGIMM sub-opcode (bits 20..16). */
static inline unsigned insn_rt(uint32_t i) { return (i >> 16) & 31; }
/** Destination register, or the CP0 register of MFC0/MTC0 (bits 15..11). */
static inline unsigned insn_rd(uint32_t i) { return (i >> 11) & 31; }
/** Shift amount (bits 10..6). */
static inline unsigned insn_sa(uint32_t i) { return (i >> 6) & 31; }
/** Function field of SPECIAL and COP0 CO instructions (bits 5..0). */
static inline unsigned insn_funct(uint32_t i) { return i & 63; }
/** CP0 register select of MFC0/MTC0 (bits 2..0). */
static inline unsigned insn_sel(uint32_t i) { return i & 7; }
/** Immediate, zero-extended. */
static inline uint32_t insn_imm(uint32_t i) { return i & 0xFFFF; }
/** Immediate, sign-extended. */
static inline int32_t insn_simm(uint32_t i) { return (int16_t)(i & 0xFFFF); }
/** Jump target field (bits 25..0). */
static inline uint32_t insn_target(uint32_t i) { return i & 0x03FFFFFF; }

/** Major opcodes (insn_op()). */
enum mips_opcode {
    OP_SPECIAL = 0x00, /**< R-type ALU, jr, jalr, syscall...: see insn_funct() */
    OP_REGIMM = 0x01,  /**< bltz, bgez and their likely/linking forms: see insn_rt() */
    OP_J = 0x02,       /**< j */
    OP_JAL = 0x03,     /**< jal */
    OP_BEQ = 0x04,     /**< beq */
    OP_BNE = 0x05,     /**< bne */
    OP_BLEZ = 0x06,    /**< blez */
    OP_BGTZ = 0x07,    /**< bgtz */
    OP_COP0 = 0x10,    /**< coprocessor 0: see insn_rs() */
    OP_BEQL = 0x14,    /**< beql */
    OP_BNEL = 0x15,    /**< bnel */
    OP_BLEZL = 0x16,   /**< blezl */
    OP_BGTZL = 0x17,   /**< bgtzl */
    OP_CACHE = 0x2F,   /**< cache */
};

/** SPECIAL functions (insn_funct() when insn_op() is OP_SPECIAL). */
enum mips_special {
    FN_JR = 0x08,      /**< jr */
    FN_JALR = 0x09,    /**< jalr */
    FN_SYSCALL = 0x0C, /**< syscall */
};

/** REGIMM: bit 0 of insn_rt() chooses "greater or equal" (bgez) over "less" (bltz). */
#define REGIMM_GE 0x01u

/** COP0 sub-opcodes (insn_rs() when insn_op() is OP_COP0). */
enum mips_cop0_rs {
    COP0_MF = 0x00, /**< mfc0 rt, rd, sel */
    COP0_MT = 0x04, /**< mtc0 rt, rd, sel */
    COP0_CO = 0x10, /**< bit 4 set: a CO instruction, see enum mips_cop0_co */
};

/** COP0 CO functions (insn_funct() when insn_rs() has COP0_CO). */
enum mips_cop0_co {
    CO_TLBR = 0x01,  /**< tlbr */
    CO_TLBWI = 0x02, /**< tlbwi */
    CO_TLBWR = 0x06, /**< tlbwr */
    CO_TLBP = 0x08,  /**< tlbp */
    CO_ERET = 0x18,  /**< eret */
    CO_WAIT = 0x20,  /**< wait */
};

#endif
