/*
 * exceptions: the CPU's exceptions, MACHINE.md "CPU".
 *
 * Each check runs a short sequence from exceptions_asm.S that should raise
 * exactly one exception, and compares what the handler saw (ExcCode, EPC,
 * BadVAddr, Cause.BD and Cause.CE, the vector) with what the architecture
 * says. Then the same for supervisor and user mode, where kernel segments
 * and CP0 are out of reach.
 */
#include "baremetal.h"

void ex_syscall(void);
void ex_break(void);
uint32_t ex_add(uint32_t a, uint32_t b);
uint32_t ex_addi(uint32_t a);
uint32_t ex_sub(uint32_t a, uint32_t b);
void ex_teq(uint32_t a, uint32_t b);
void ex_reserved(void);
void ex_cp1(void);
uint32_t ex_lw(uint32_t addr);
uint32_t ex_lh(uint32_t addr);
uint32_t ex_lbu(uint32_t addr);
void ex_sw(uint32_t addr, uint32_t value);
void ex_sh(uint32_t addr, uint32_t value);
uint32_t ex_delay_slot(uint32_t addr);
uint32_t ex_preserve(void);
extern char ex_add_pc[], ex_preserve_pc[];
extern char user_page[], user_load[], user_mfc0[], user_cache[];

/* Where the user page is mapped in kuseg. */
#define USER_VA 0x00400000

/* What the handler saw last, and how many exceptions since reset_record(). */
static volatile struct {
	uint32_t count;
	uint32_t code, epc, badvaddr, cause, vector, status;
} seen;

static uint32_t buf[4] = { 0x11111111, 0x22222222, 0x33333333, 0x44444444 };

void handle_exception(struct trapframe *tf)
{
	seen.count++;
	seen.code = exc_code(tf);
	seen.epc = tf->epc;
	seen.badvaddr = tf->badvaddr;
	seen.cause = tf->cause;
	seen.vector = tf->vector;
	seen.status = tf->status;

	/* KSU still holds the interrupted mode: EXL is what put us in kernel
	   mode. Back to run_lowpriv's caller with the ExcCode. */
	if (tf->status & ST_KSU_MASK) {
		lowpriv_return(tf, exc_code(tf));
		return;
	}
	/* Skip the faulting instruction; in a delay slot, skip the branch
	   too (our branches all target the instruction after the slot). */
	tf->epc += (tf->cause & CAUSE_BD) ? 8 : 4;
}

static void reset_record(void)
{
	seen.count = 0;
	seen.code = seen.epc = seen.badvaddr = seen.cause = 0xDEADBEEF;
}

/* Check for exactly one exception with this code at this EPC. */
static void expect(const char *what, uint32_t code, uint32_t epc)
{
	int ok = seen.count == 1 && seen.code == code && seen.epc == epc;

	if (!ok)
		printf("       want one %s at %08x; got %u exception(s), "
		       "last %s (code %u) epc %08x cause %08x badvaddr %08x\n",
		       exc_name(code), epc, seen.count, exc_name(seen.code),
		       seen.code, seen.epc, seen.cause, seen.badvaddr);
	check(ok, what);
}

static void expect_none(const char *what)
{
	if (seen.count != 0)
		printf("       got %u exception(s), last %s at %08x\n",
		       seen.count, exc_name(seen.code), seen.epc);
	check(seen.count == 0, what);
}

static void kernel_mode_exceptions(void)
{
	uint32_t r, a = (uint32_t)buf;

	printf("kernel mode:\n");
	reset_record();
	ex_syscall();
	expect("SYSCALL raises Sys", EXC_SYS, (uint32_t)ex_syscall);
	check_eq(seen.vector, VECTOR_GENERAL, "Sys goes to the general vector");
	check_eq(seen.cause & CAUSE_BD, 0, "Cause.BD clear outside a delay slot");
	check_eq(seen.status & ST_EXL, ST_EXL, "Status.EXL set in the handler");

	reset_record();
	ex_break();
	expect("BREAK raises Bp", EXC_BP, (uint32_t)ex_break);

	reset_record();
	r = ex_add(0x7FFFFFFF, 1);
	expect("ADD 0x7fffffff + 1 raises Ov", EXC_OV, (uint32_t)ex_add_pc);
	check_eq(r, 0x1234, "ADD that overflows leaves rd unchanged");
	reset_record();
	r = ex_add(2, 3);
	expect_none("ADD 2 + 3 does not trap");
	check_eq(r, 5, "ADD 2 + 3 = 5");
	reset_record();
	ex_addi(0x7FFFFFFF);
	expect("ADDI 0x7fffffff + 1 raises Ov", EXC_OV, (uint32_t)ex_addi);
	reset_record();
	ex_sub(0x80000000, 1);
	expect("SUB 0x80000000 - 1 raises Ov", EXC_OV, (uint32_t)ex_sub);

	reset_record();
	ex_teq(7, 7);
	expect("TEQ of equal registers raises Tr", EXC_TR, (uint32_t)ex_teq);
	reset_record();
	ex_teq(7, 8);
	expect_none("TEQ of different registers does not trap");

	reset_record();
	ex_reserved();
	expect("opcode 0x3B raises RI", EXC_RI, (uint32_t)ex_reserved);

	reset_record();
	ex_cp1();
	expect("MFC1 raises CpU", EXC_CPU, (uint32_t)ex_cp1);
	check_eq((seen.cause & CAUSE_CE_MASK) >> CAUSE_CE_SHIFT, 1,
		 "CpU for CP1 has Cause.CE = 1");

	reset_record();
	r = ex_lw(a);
	expect_none("aligned LW does not trap");
	check_eq(r, 0x11111111, "aligned LW reads memory");
	reset_record();
	ex_lw(a + 1);
	expect("LW at addr+1 raises AdEL", EXC_ADEL, (uint32_t)ex_lw);
	check_eq(seen.badvaddr, a + 1, "AdEL sets BadVAddr");
	reset_record();
	ex_lh(a + 3);
	expect("LH at addr+3 raises AdEL", EXC_ADEL, (uint32_t)ex_lh);
	check_eq(seen.badvaddr, a + 3, "AdEL (LH) sets BadVAddr");
	reset_record();
	ex_sw(a + 6, 0xBAD);
	expect("SW at addr+6 raises AdES", EXC_ADES, (uint32_t)ex_sw);
	check_eq(seen.badvaddr, a + 6, "AdES sets BadVAddr");
	reset_record();
	ex_sh(a + 9, 0xBAD);
	expect("SH at addr+9 raises AdES", EXC_ADES, (uint32_t)ex_sh);
	check_eq(seen.badvaddr, a + 9, "AdES (SH) sets BadVAddr");
	check(buf[1] == 0x22222222 && buf[2] == 0x33333333,
	      "stores that raise AdES do not write memory");

	reset_record();
	ex_delay_slot(a + 2);
	expect("AdEL in a delay slot: EPC is the branch", EXC_ADEL,
	       (uint32_t)ex_delay_slot);
	check_eq(seen.cause & CAUSE_BD, CAUSE_BD, "Cause.BD set in a delay slot");
	check_eq(seen.badvaddr, a + 2, "BadVAddr is the load's address");

	reset_record();
	__asm__ volatile("cache 0x10, 0(%0)" : : "r"(buf) : "memory");
	expect_none("CACHE in kernel mode is a harmless no-op");

	/* No memory and no device at physical 0x1E000000 (32 MB of memory). */
	reset_record();
	ex_lw(KSEG1_BASE + 0x1E000000);
	expect("load from a physical address with nothing there raises DBE",
	       EXC_DBE, (uint32_t)ex_lw);
	reset_record();
	ex_lbu(POWER_BASE + POWER_NCPUS);
	expect("byte load from a power register raises DBE", EXC_DBE,
	       (uint32_t)ex_lbu);

	reset_record();
	r = ex_preserve();
	expect("register check takes its SYSCALL", EXC_SYS,
	       (uint32_t)ex_preserve_pc);
	check_eq(r, 0, "ERET returns with every register, HI and LO intact");
	check_eq(mfc0(CP0_STATUS) & (ST_EXL | ST_ERL | ST_KSU_MASK), 0,
		 "after ERET: kernel mode, EXL = 0, ERL = 0");
}

/* Run user_page code at `entry` in mode ksu with $a0 = arg. */
static uint32_t run_at(const char *entry, uint32_t ksu, uint32_t arg)
{
	uint32_t va = USER_VA + (uint32_t)(entry - user_page);

	reset_record();
	return run_lowpriv(va, ksu, arg);
}

static uint32_t user_va(const char *entry)
{
	return USER_VA + (uint32_t)(entry - user_page);
}

static void lowpriv_exceptions(uint32_t ksu, const char *mode)
{
	uint32_t r;

	printf("%s mode:\n", mode);
	r = run_at(user_load, ksu, USER_VA);
	check_eq(r, EXC_SYS, "runs from kuseg and loads its own page");
	check_eq(seen.status & ST_KSU_MASK, ksu, "the exception came from that mode");
	check_eq(mfc0(CP0_STATUS) & (ST_EXL | ST_KSU_MASK), 0,
		 "back in kernel mode afterwards");

	r = run_at(user_load, ksu, (uint32_t)buf);
	check_eq(r, EXC_ADEL, "load from kseg0 raises AdEL");
	check_eq(seen.badvaddr, (uint32_t)buf, "  with BadVAddr = the kseg0 address");
	check_eq(seen.epc, user_va(user_load), "  and EPC = the load");

	r = run_at(user_load, ksu, KSEG1_BASE);
	check_eq(r, EXC_ADEL, "load from kseg1 raises AdEL");

	r = run_at(user_load, ksu, KSEG3_BASE);
	check_eq(r, EXC_ADEL, "load from kseg3 raises AdEL");

	r = run_at(user_load, ksu, KSSEG_BASE);
	if (ksu == ST_KSU_USER) {
		check_eq(r, EXC_ADEL, "load from sseg raises AdEL");
	} else {
		check_eq(r, EXC_TLBL, "load from unmapped sseg raises TLBL");
		check_eq(seen.vector, VECTOR_REFILL, "  through the refill vector");
		check_eq(seen.badvaddr, KSSEG_BASE, "  with BadVAddr set");
	}

	r = run_at(user_mfc0, ksu, 0);
	check_eq(r, EXC_CPU, "MFC0 raises CpU");
	check_eq(seen.cause & CAUSE_CE_MASK, 0, "  with Cause.CE = 0");
	check_eq(seen.epc, user_va(user_mfc0), "  and EPC = the MFC0");

	r = run_at(user_cache, ksu, USER_VA);
	check_eq(r, EXC_CPU, "CACHE raises CpU");
	check_eq(seen.cause & CAUSE_CE_MASK, 0, "  with Cause.CE = 0");

	reset_record();
	r = run_lowpriv((uint32_t)ex_syscall, ksu, 0);
	check_eq(r, EXC_ADEL, "fetch from kseg0 raises AdEL");
	check_eq(seen.epc, (uint32_t)ex_syscall, "  with EPC = the kseg0 address");
	check_eq(seen.badvaddr, (uint32_t)ex_syscall, "  and BadVAddr = EPC");
}

int main(void)
{
	printf("exceptions: checking exception codes, EPC, BadVAddr, BD, CE\n");
	kernel_mode_exceptions();

	/* Map the page holding user_page at USER_VA (the even page of the
	   pair; the odd one stays invalid), global, so any ASID matches. */
	tlb_invalidate_all();
	tlb_write_index(0, USER_VA,
			entrylo(kva_to_pa(user_page),
				ENTRYLO_C_CACHED | ENTRYLO_V | ENTRYLO_G),
			ENTRYLO_G);
	lowpriv_exceptions(ST_KSU_SUPER, "supervisor");
	lowpriv_exceptions(ST_KSU_USER, "user");

	return checks_report("exceptions");
}
