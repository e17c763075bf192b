/*
 * isa: the less common MIPS32 instructions clang emits, MACHINE.md "CPU"
 * (mul, madd/msub(u), mult(u), div(u), clz/clo, movn/movz, lwl/lwr/swl/swr,
 * sign-extending loads, shifts, set-less-than, bal, ll/sc). Each is run on
 * fixed inputs and compared with the value the MIPS32 manual gives
 * (worked out on the host).
 */
#include "baremetal.h"

struct hilo {
	uint32_t hi, lo;
};

/* Syscalls are the only exceptions we expect (the ll/sc check). */
void handle_exception(struct trapframe *tf)
{
	if (exc_code(tf) != EXC_SYS) {
		printf("unexpected ");
		trap_dump(tf);
		halt(1);
	}
	tf->epc += 4;
}

static void multiply_divide(void)
{
	uint32_t r, a = 0x12345678, b = 0x9ABCDEF0;
	struct hilo h;

	__asm__("mul %0, %1, %2" : "=r"(r) : "r"(a), "r"(b) : "hi", "lo");
	check_eq(r, 0x242D2080, "MUL keeps the low 32 bits");

	__asm__("mult %2, %3\n\tmfhi %0\n\tmflo %1"
		: "=r"(h.hi), "=r"(h.lo) : "r"(0x80000001), "r"(0x7FFFFFFF) : "hi", "lo");
	check(h.hi == 0xC0000000 && h.lo == 0xFFFFFFFF, "MULT is signed");
	__asm__("multu %2, %3\n\tmfhi %0\n\tmflo %1"
		: "=r"(h.hi), "=r"(h.lo) : "r"(0x80000001), "r"(0x7FFFFFFF) : "hi", "lo");
	check(h.hi == 0x3FFFFFFF && h.lo == 0xFFFFFFFF, "MULTU is unsigned");

	/* HI:LO starts at 0x00000001_00000002 for each of these. */
	__asm__("mthi %2\n\tmtlo %3\n\tmadd %4, %5\n\tmfhi %0\n\tmflo %1"
		: "=r"(h.hi), "=r"(h.lo) : "r"(1), "r"(2), "r"(a), "r"(b) : "hi", "lo");
	check(h.hi == 0xF8CC93D7 && h.lo == 0x242D2082, "MADD adds a signed product");
	__asm__("mthi %2\n\tmtlo %3\n\tmaddu %4, %5\n\tmfhi %0\n\tmflo %1"
		: "=r"(h.hi), "=r"(h.lo) : "r"(1), "r"(2), "r"(a), "r"(b) : "hi", "lo");
	check(h.hi == 0x0B00EA4F && h.lo == 0x242D2082, "MADDU adds an unsigned product");
	__asm__("mthi %2\n\tmtlo %3\n\tmsub %4, %5\n\tmfhi %0\n\tmflo %1"
		: "=r"(h.hi), "=r"(h.lo) : "r"(1), "r"(2), "r"(a), "r"(b) : "hi", "lo");
	check(h.hi == 0x07336C2A && h.lo == 0xDBD2DF82, "MSUB subtracts a signed product");
	__asm__("mthi %2\n\tmtlo %3\n\tmsubu %4, %5\n\tmfhi %0\n\tmflo %1"
		: "=r"(h.hi), "=r"(h.lo) : "r"(1), "r"(2), "r"(a), "r"(b) : "hi", "lo");
	check(h.hi == 0xF4FF15B2 && h.lo == 0xDBD2DF82,
	      "MSUBU subtracts an unsigned product");

	__asm__("div $zero, %2, %3\n\tmfhi %0\n\tmflo %1"
		: "=r"(h.hi), "=r"(h.lo) : "r"(-7), "r"(2) : "hi", "lo");
	check(h.lo == (uint32_t)-3 && h.hi == (uint32_t)-1,
	      "DIV -7 / 2: quotient -3, remainder -1");
	__asm__("divu $zero, %2, %3\n\tmfhi %0\n\tmflo %1"
		: "=r"(h.hi), "=r"(h.lo) : "r"(0xFFFFFFF9), "r"(2) : "hi", "lo");
	check(h.lo == 0x7FFFFFFC && h.hi == 1, "DIVU is unsigned");
}

static void bits(void)
{
	uint32_t r;

	__asm__("clz %0, %1" : "=r"(r) : "r"(0x00F00000));
	check_eq(r, 8, "CLZ 0x00f00000 = 8");
	__asm__("clz %0, %1" : "=r"(r) : "r"(0));
	check_eq(r, 32, "CLZ 0 = 32");
	__asm__("clo %0, %1" : "=r"(r) : "r"(0xFF0FFFFF));
	check_eq(r, 8, "CLO 0xff0fffff = 8");
	__asm__("clo %0, %1" : "=r"(r) : "r"(0xFFFFFFFF));
	check_eq(r, 32, "CLO 0xffffffff = 32");

	r = 1;
	__asm__("movn %0, %1, %2" : "+r"(r) : "r"(2), "r"(5));
	check_eq(r, 2, "MOVN moves when rt != 0");
	__asm__("movn %0, %1, %2" : "+r"(r) : "r"(3), "r"(0));
	check_eq(r, 2, "MOVN does not move when rt = 0");
	__asm__("movz %0, %1, %2" : "+r"(r) : "r"(4), "r"(0));
	check_eq(r, 4, "MOVZ moves when rt = 0");
	__asm__("movz %0, %1, %2" : "+r"(r) : "r"(5), "r"(1));
	check_eq(r, 4, "MOVZ does not move when rt != 0");

	__asm__("sra %0, %1, 4" : "=r"(r) : "r"(0x80000000));
	check_eq(r, 0xF8000000, "SRA copies the sign bit");
	__asm__("srav %0, %1, %2" : "=r"(r) : "r"(0x80000000), "r"(36));
	check_eq(r, 0xF8000000, "SRAV uses the low 5 bits of the amount");
	__asm__("srl %0, %1, 4" : "=r"(r) : "r"(0x80000000));
	check_eq(r, 0x08000000, "SRL shifts in zeros");
	__asm__("sllv %0, %1, %2" : "=r"(r) : "r"(1), "r"(33));
	check_eq(r, 2, "SLLV uses the low 5 bits of the amount");

	__asm__("slt %0, %1, %2" : "=r"(r) : "r"(-1), "r"(1));
	check_eq(r, 1, "SLT -1 < 1");
	__asm__("sltu %0, %1, %2" : "=r"(r) : "r"(-1), "r"(1));
	check_eq(r, 0, "SLTU 0xffffffff > 1");
	__asm__("sltiu %0, %1, -1" : "=r"(r) : "r"(5));
	check_eq(r, 1, "SLTIU sign-extends its immediate, then compares unsigned");
}

static void loads_stores(void)
{
	static uint8_t bytes[8] __attribute__((aligned(8))) = {
		0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77
	};
	static uint32_t words[2];
	static const uint16_t half = 0x8001;
	static const uint8_t byte = 0x80;
	uint8_t *p = bytes;
	uint32_t r;

	__asm__("lb %0, 0(%1)" : "=r"(r) : "r"(&byte));
	check_eq(r, 0xFFFFFF80, "LB sign-extends");
	__asm__("lbu %0, 0(%1)" : "=r"(r) : "r"(&byte));
	check_eq(r, 0x80, "LBU zero-extends");
	__asm__("lh %0, 0(%1)" : "=r"(r) : "r"(&half));
	check_eq(r, 0xFFFF8001, "LH sign-extends");
	__asm__("lhu %0, 0(%1)" : "=r"(r) : "r"(&half));
	check_eq(r, 0x8001, "LHU zero-extends");

	/* Little-endian unaligned word at p + 1: LWR low part, LWL high. */
	__asm__("lwr %0, 1(%1)\n\tlwl %0, 4(%1)" : "=&r"(r) : "r"(p) : "memory");
	check_eq(r, 0x44332211, "LWR + LWL load an unaligned word");
	r = 0xAABBCCDD;
	__asm__("lwl %0, 1(%1)" : "+r"(r) : "r"(p) : "memory");
	check_eq(r, 0x1100CCDD, "LWL alone fills the high bytes");
	r = 0xAABBCCDD;
	__asm__("lwr %0, 2(%1)" : "+r"(r) : "r"(p) : "memory");
	check_eq(r, 0xAABB3322, "LWR alone fills the low bytes");

	words[0] = words[1] = 0xEEEEEEEE;
	__asm__("swr %0, 1(%1)\n\tswl %0, 4(%1)"
		: : "r"(0x44332211), "r"(words) : "memory");
	check(words[0] == 0x332211EE && words[1] == 0xEEEEEE44,
	      "SWR + SWL store an unaligned word");
}

static void branches_and_links(void)
{
	uint32_t ra, label;

	__asm__(".set push\n\t.set noreorder\n\t"
		"bal 1f\n\t"
		"nop\n"
		"1:\tmove %0, $31\n\t"
		"la %1, 1b\n\t"
		".set pop"
		: "=r"(ra), "=r"(label) : : "$31");
	check_eq(ra, label, "BAL links to the instruction after its delay slot");
}

static void ll_sc(void)
{
	static volatile uint32_t word = 41;
	uint32_t ok;

	__asm__ volatile("ll %0, 0(%1)\n\taddiu %0, %0, 1\n\tsc %0, 0(%1)"
			 : "=&r"(ok) : "r"(&word) : "memory");
	check(ok == 1 && word == 42, "SC right after LL succeeds");

	/* An exception (and its ERET) between them breaks the link. */
	__asm__ volatile("ll %0, 0(%1)\n\tsyscall\n\taddiu %0, %0, 1\n\tsc %0, 0(%1)"
			 : "=&r"(ok) : "r"(&word) : "memory");
	check(ok == 0 && word == 42, "SC after an exception fails and stores nothing");
}

int main(void)
{
	printf("isa: checking multiply, divide, bit, unaligned and LL/SC instructions\n");
	multiply_divide();
	bits();
	loads_stores();
	branches_and_links();
	ll_sc();
	return checks_report("isa");
}
