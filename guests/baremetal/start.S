/*
 * start.S: reset entry, exception vectors and the trap frame.
 *
 * MACHINE.md, "CPU": at reset only CPU 0 runs, in kernel mode with BEV=1 and
 * interrupts off, at the ELF entry point, with $a0 = 0, $a1 = number of CPUs,
 * $a2 = bytes of memory and $sp undefined. A CPU started through the power
 * device arrives at the PC software chose (here _start too) with $a0 = its
 * number. With BEV=1 an exception stops the machine (double fault), so the
 * first thing to do is to get a stack and clear BEV.
 */
#include "machine.h"

/* struct trapframe offsets (baremetal.h) */
#define TF_HI       128
#define TF_LO       132
#define TF_EPC      136
#define TF_STATUS   140
#define TF_CAUSE    144
#define TF_BADVADDR 148
#define TF_VECTOR   152
#define TF_SIZE     160

	.set noreorder   /* we fill branch delay slots ourselves */
	.set noat        /* and we save $at ($1) like any other register */

/* ---------------------------------------------------------------------
 * Exception vectors (Status.BEV = 0). kseg0.ld puts the refill vector at
 * 0x80000000 and the general one at 0x80000180. Each loads its number into
 * $k1 (in the jump's delay slot) and joins the common code. $k0 and $k1 are
 * reserved for this: compiled code never uses them (MIPS o32 ABI).
 * --------------------------------------------------------------------- */
	.section .vectors.refill, "ax"
	.globl vector_refill
vector_refill:
	j	exception_entry
	li	$k1, 0                  /* VECTOR_REFILL */

	.section .vectors.general, "ax"
	.globl vector_general
vector_general:
	j	exception_entry
	li	$k1, 1                  /* VECTOR_GENERAL */

/* ---------------------------------------------------------------------
 * _start: every CPU begins here.
 * --------------------------------------------------------------------- */
	.section .text.start, "ax"
	.globl _start
	.ent _start
_start:
	/* The stack is the top of this CPU's own node memory, so stack
	   misses are local ("Memory and NUMA": node i owns [i*M, (i+1)*M)).
	   sp = kseg0 address of (cpu + 1) * M, minus an o32 argument area. */
	lui	$t0, 0xBF00             /* DEV_BASE, through kseg1 */
	lw	$t1, 0x1008($t0)        /* POWER_NODE_MEM: M */
	addiu	$t2, $a0, 1
	mul	$t2, $t2, $t1
	lui	$t3, 0x8000             /* KSEG0_BASE */
	addu	$sp, $t2, $t3
	addiu	$sp, $sp, -32

	/* Status = 0: kernel mode, interrupts off, BEV = 0, so that from now
	   on exceptions go to the vectors above instead of stopping us. */
	mtc0	$zero, $12

	/* runtime_start(cpu, ncpus, membytes) in runtime.c never returns. */
	jal	runtime_start
	nop
1:	b	1b
	nop
	.end _start

/* ---------------------------------------------------------------------
 * exception_entry: save the interrupted context in a struct trapframe on
 * the current stack, call exception_dispatch(tf) in C, restore, ERET.
 *
 * The frame goes below the interrupted $sp in every mode: this runtime
 * trusts $sp because it only runs test programs (run_lowpriv keeps the
 * kernel's $sp for user code). A real kernel switches to a kernel stack
 * when the exception came from user mode.
 *
 * The handler runs with Status.EXL = 1, so the CPU is in kernel mode with
 * interrupts off, and a second exception would not update EPC: C handlers
 * must not fault.
 * --------------------------------------------------------------------- */
	.text
	.globl exception_entry
	.ent exception_entry
exception_entry:
	move	$k0, $sp
	addiu	$sp, $sp, -TF_SIZE
	sw	$k0, 29*4($sp)          /* the interrupted $sp */
	sw	$k1, TF_VECTOR($sp)
	sw	$zero, 0*4($sp)
	sw	$1, 1*4($sp)
	sw	$2, 2*4($sp)
	sw	$3, 3*4($sp)
	sw	$4, 4*4($sp)
	sw	$5, 5*4($sp)
	sw	$6, 6*4($sp)
	sw	$7, 7*4($sp)
	sw	$8, 8*4($sp)
	sw	$9, 9*4($sp)
	sw	$10, 10*4($sp)
	sw	$11, 11*4($sp)
	sw	$12, 12*4($sp)
	sw	$13, 13*4($sp)
	sw	$14, 14*4($sp)
	sw	$15, 15*4($sp)
	sw	$16, 16*4($sp)
	sw	$17, 17*4($sp)
	sw	$18, 18*4($sp)
	sw	$19, 19*4($sp)
	sw	$20, 20*4($sp)
	sw	$21, 21*4($sp)
	sw	$22, 22*4($sp)
	sw	$23, 23*4($sp)
	sw	$24, 24*4($sp)
	sw	$25, 25*4($sp)
	sw	$zero, 26*4($sp)        /* $k0, $k1: not preserved */
	sw	$zero, 27*4($sp)
	sw	$28, 28*4($sp)
	sw	$30, 30*4($sp)
	sw	$31, 31*4($sp)
	mfhi	$t0
	sw	$t0, TF_HI($sp)
	mflo	$t0
	sw	$t0, TF_LO($sp)
	mfc0	$t0, $14                /* EPC */
	sw	$t0, TF_EPC($sp)
	mfc0	$t0, $12                /* Status */
	sw	$t0, TF_STATUS($sp)
	mfc0	$t0, $13                /* Cause */
	sw	$t0, TF_CAUSE($sp)
	mfc0	$t0, $8                 /* BadVAddr */
	sw	$t0, TF_BADVADDR($sp)

	/* exception_dispatch(tf). The o32 ABI lets the callee store its
	   arguments in 16 bytes above its $sp, so leave room below the frame. */
	move	$a0, $sp
	jal	exception_dispatch
	addiu	$sp, $sp, -16           /* delay slot */
	addiu	$sp, $sp, 16

	lw	$t0, TF_HI($sp)
	mthi	$t0
	lw	$t0, TF_LO($sp)
	mtlo	$t0
	lw	$t0, TF_EPC($sp)
	mtc0	$t0, $14
	/* Status as saved has EXL = 1, so writing it back keeps us in
	   exception level until ERET; the handler may have changed KSU. */
	lw	$t0, TF_STATUS($sp)
	mtc0	$t0, $12

	lw	$1, 1*4($sp)
	lw	$2, 2*4($sp)
	lw	$3, 3*4($sp)
	lw	$4, 4*4($sp)
	lw	$5, 5*4($sp)
	lw	$6, 6*4($sp)
	lw	$7, 7*4($sp)
	lw	$8, 8*4($sp)
	lw	$9, 9*4($sp)
	lw	$10, 10*4($sp)
	lw	$11, 11*4($sp)
	lw	$12, 12*4($sp)
	lw	$13, 13*4($sp)
	lw	$14, 14*4($sp)
	lw	$15, 15*4($sp)
	lw	$16, 16*4($sp)
	lw	$17, 17*4($sp)
	lw	$18, 18*4($sp)
	lw	$19, 19*4($sp)
	lw	$20, 20*4($sp)
	lw	$21, 21*4($sp)
	lw	$22, 22*4($sp)
	lw	$23, 23*4($sp)
	lw	$24, 24*4($sp)
	lw	$25, 25*4($sp)
	lw	$28, 28*4($sp)
	lw	$30, 30*4($sp)
	lw	$31, 31*4($sp)
	lw	$sp, 29*4($sp)          /* last: it was our base register */
	/* ERET clears EXL, returns to EPC and breaks any LL link.
	   It has no delay slot. */
	eret
	.end exception_entry

/* ---------------------------------------------------------------------
 * uint32_t run_lowpriv(uint32_t pc, uint32_t ksu, uint32_t arg)
 *
 * Drop to supervisor or user mode at pc with $a0 = arg: set EPC = pc and
 * Status.KSU = ksu with EXL = 1 (still kernel mode while EXL is set), then
 * ERET, which clears EXL and so enters the new mode. We come back to
 * lowpriv_resume, in kernel mode, when a C handler calls lowpriv_return().
 * --------------------------------------------------------------------- */
	.globl run_lowpriv
	.ent run_lowpriv
run_lowpriv:
	addiu	$sp, $sp, -48
	sw	$ra, 40($sp)
	sw	$s0, 0($sp)
	sw	$s1, 4($sp)
	sw	$s2, 8($sp)
	sw	$s3, 12($sp)
	sw	$s4, 16($sp)
	sw	$s5, 20($sp)
	sw	$s6, 24($sp)
	sw	$s7, 28($sp)
	sw	$fp, 32($sp)

	mfc0	$t0, $12
	li	$t1, ~(ST_KSU_MASK | ST_IE | ST_ERL)
	and	$t0, $t0, $t1
	or	$t0, $t0, $a1           /* KSU */
	ori	$t0, $t0, ST_EXL
	mtc0	$t0, $12
	mtc0	$a0, $14                /* EPC */
	move	$a0, $a2
	eret

	.globl lowpriv_resume
lowpriv_resume:
	lw	$s0, 0($sp)
	lw	$s1, 4($sp)
	lw	$s2, 8($sp)
	lw	$s3, 12($sp)
	lw	$s4, 16($sp)
	lw	$s5, 20($sp)
	lw	$s6, 24($sp)
	lw	$s7, 28($sp)
	lw	$fp, 32($sp)
	lw	$ra, 40($sp)
	jr	$ra
	addiu	$sp, $sp, 48            /* delay slot */
	.end run_lowpriv
