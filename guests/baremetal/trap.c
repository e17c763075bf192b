/*
 * trap.c: the C side of exceptions and interrupts.
 *
 * start.S saves the interrupted registers in a struct trapframe and calls
 * exception_dispatch(). A program handles exceptions by defining
 * handle_exception(); a program that does not is stopped on its first
 * exception with a register dump, which is what a test wants.
 */
#include "baremetal.h"

/* Weak: the address is 0 when no object file defines it. */
extern void handle_exception(struct trapframe *tf) __attribute__((weak));

static const char *const exc_names[] = {
	"Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE",
	"Sys", "Bp", "RI", "CpU", "Ov", "Tr",
};

const char *exc_name(uint32_t code)
{
	if (code < sizeof(exc_names) / sizeof(exc_names[0]))
		return exc_names[code];
	return "?";
}

void trap_dump(const struct trapframe *tf)
{
	printf("%s exception (code %u) on CPU %d via the %s vector\n",
	       exc_name(exc_code(tf)), exc_code(tf), cpu_id(),
	       tf->vector == VECTOR_REFILL ? "refill" : "general");
	printf("  epc %08x cause %08x status %08x badvaddr %08x\n",
	       tf->epc, tf->cause, tf->status, tf->badvaddr);
	for (int i = 0; i < 32; i += 4)
		printf("  $%02u %08x  $%02u %08x  $%02u %08x  $%02u %08x\n",
		       i, tf->regs[i], i + 1, tf->regs[i + 1],
		       i + 2, tf->regs[i + 2], i + 3, tf->regs[i + 3]);
}

/* Called from exception_entry in start.S, with Status.EXL = 1. */
void exception_dispatch(struct trapframe *tf)
{
	if (handle_exception) {
		handle_exception(tf);
		return;
	}
	printf("unexpected ");
	trap_dump(tf);
	halt(EXIT_UNEXPECTED_TRAP);
}

/* See run_lowpriv in start.S: make ERET land on lowpriv_resume in kernel
   mode, where run_lowpriv() returns `value`. The stack pointer in the frame
   is already run_lowpriv's, because the low-privilege code ran on it. */
void lowpriv_return(struct trapframe *tf, uint32_t value)
{
	extern char lowpriv_resume[];

	tf->epc = (uint32_t)lowpriv_resume;
	tf->status &= ~ST_KSU_MASK;
	tf->regs[REG_V0] = value;
}

void intr_enable(uint32_t irq_mask)
{
	uint32_t status = mfc0(CP0_STATUS);

	status |= (irq_mask & 0xFF) << ST_IM_SHIFT;
	mtc0(CP0_STATUS, status | ST_IE);
}

void intr_disable(void)
{
	mtc0(CP0_STATUS, mfc0(CP0_STATUS) & ~ST_IE);
}
