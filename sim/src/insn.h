/*
 * insn.h - fields of a MIPS32 instruction word: the public
 * flash/insn.h, shared by the executor (exec.c), the disassembler
 * (disasm.c) and the monitor's decoder, so that all read an instruction
 * the same way.
 */
#ifndef SIM_INSN_H
#define SIM_INSN_H

#include "flash/insn.h"

#endif
