/*
 * insn.h - fields of a MIPS32 instruction word.
 *
 *   R-type: op(31..26) rs(25..21) rt(20..16) rd(15..11) sa(10..6) funct(5..0)
 *   I-type: op rs rt imm(15..0)
 *   J-type: op target(25..0)
 *
 * Shared by the executor (exec.c) and the disassembler (disasm.c), so that
 * both read an instruction the same way.
 */
#ifndef SIM_INSN_H
#define SIM_INSN_H

#include <stdint.h>

static inline unsigned insn_op(uint32_t i) { return i >> 26; }
static inline unsigned insn_rs(uint32_t i) { return (i >> 21) & 31; }
static inline unsigned insn_rt(uint32_t i) { return (i >> 16) & 31; }
static inline unsigned insn_rd(uint32_t i) { return (i >> 11) & 31; }
static inline unsigned insn_sa(uint32_t i) { return (i >> 6) & 31; }
static inline unsigned insn_funct(uint32_t i) { return i & 63; }
static inline uint32_t insn_imm(uint32_t i) { return i & 0xFFFF; }
static inline int32_t insn_simm(uint32_t i) { return (int16_t)(i & 0xFFFF); }
static inline uint32_t insn_target(uint32_t i) { return i & 0x03FFFFFF; }

#endif
