/*
 * obj.h - the object and executable formats of pmake's cc and ld.
 *
 * An object file holds the bytecode of one source file's functions, the
 * functions it defines and the calls it makes (relocations: the linker
 * fills in each call's target). All numbers are 32-bit little-endian on
 * disk, written byte by byte, so host and guest produce the same bytes.
 *
 *   header   magic "TOB1", code bytes, symbols, relocations, string bytes
 *   code     bytecode
 *   symbols  per defined function: name offset, code offset, parameters
 *   relocs   per call: code offset of its 4-byte target, name offset,
 *            arguments passed
 *   strings  NUL-terminated names
 *
 * The executable ld writes: "TEX1", code bytes, function count; then the
 * code with every call target filled in, then per function its address
 * and a hash of its name.
 */
#ifndef OBJ_H
#define OBJ_H

#include <stdint.h>

#define OBJ_MAGIC 0x31424F54u   /* "TOB1" */
#define EXE_MAGIC 0x31584554u   /* "TEX1" */
#define OBJ_HEADER_WORDS 5

/* Bytecode of a stack machine. Operands follow the opcode byte. */
enum op {
	OP_PUSH = 1,   /* imm32 */
	OP_LOAD,       /* slot8 */
	OP_STORE,      /* slot8 */
	OP_POP,
	OP_ADD, OP_SUB, OP_MUL, OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR,
	OP_LT, OP_GT, OP_LE, OP_GE, OP_EQ, OP_NE, OP_LAND, OP_LOR,
	OP_NEG, OP_NOT, OP_LNOT,
	OP_CALL,       /* target32 argc8 */
	OP_JZ,         /* rel32, from the end of the instruction */
	OP_JMP,        /* rel32 */
	OP_ENTER,      /* params8 slots8 */
	OP_RET,
};

static inline void obj_put32(unsigned char *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline uint32_t obj_get32(const unsigned char *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* "m007.o": the object of source file i (buf of 16 bytes at least). */
static inline void obj_name(int i, char *buf)
{
	buf[0] = 'm';
	buf[1] = '0' + i / 100 % 10;
	buf[2] = '0' + i / 10 % 10;
	buf[3] = '0' + i % 10;
	buf[4] = '.';
	buf[5] = 'o';
	buf[6] = '\0';
}

#endif
