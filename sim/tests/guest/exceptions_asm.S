/*
 * exceptions_asm.S: instruction sequences for exceptions.c, each of which
 * raises one exception. Where the faulting instruction is not the first one,
 * a label ending in _pc marks it, so the C side can compare it with EPC.
 * The handler in exceptions.c resumes after the faulting instruction
 * (EPC + 4, or EPC + 8 for a delay slot).
 */
#include "machine.h"

	.set noreorder
	.set noat
	.text

	.globl ex_syscall
ex_syscall:
	syscall
	jr	$ra
	nop

	.globl ex_break
ex_break:
	break
	jr	$ra
	nop

/* uint32_t ex_add(uint32_t a, uint32_t b): a + b with ADD, which traps on
   signed overflow and then must leave its destination unchanged (0x1234). */
	.globl ex_add, ex_add_pc
ex_add:
	li	$v0, 0x1234
ex_add_pc:
	add	$v0, $a0, $a1
	jr	$ra
	nop

/* uint32_t ex_addi(uint32_t a): a + 1 with ADDI. */
	.globl ex_addi
ex_addi:
	addi	$v0, $a0, 1
	jr	$ra
	nop

/* uint32_t ex_sub(uint32_t a, uint32_t b): a - b with SUB. */
	.globl ex_sub
ex_sub:
	sub	$v0, $a0, $a1
	jr	$ra
	nop

/* void ex_teq(uint32_t a, uint32_t b): trap if a == b. */
	.globl ex_teq
ex_teq:
	teq	$a0, $a1
	jr	$ra
	nop

/* Opcode 0x3B is reserved in MIPS32: Reserved Instruction. */
	.globl ex_reserved
ex_reserved:
	.word	0xEC000000
	jr	$ra
	nop

/* mfc1 $t0, $f0, written as a number because we build with -msoft-float.
   There is no FPU, so: Coprocessor Unusable with Cause.CE = 1. */
	.globl ex_cp1
ex_cp1:
	.word	0x44080000
	jr	$ra
	nop

/* Loads and stores to whatever address the caller passes. */
	.globl ex_lw
ex_lw:
	lw	$v0, 0($a0)
	jr	$ra
	nop

	.globl ex_lh
ex_lh:
	lh	$v0, 0($a0)
	jr	$ra
	nop

	.globl ex_lbu
ex_lbu:
	lbu	$v0, 0($a0)
	jr	$ra
	nop

	.globl ex_sw
ex_sw:
	sw	$a1, 0($a0)
	jr	$ra
	nop

	.globl ex_sh
ex_sh:
	sh	$a1, 0($a0)
	jr	$ra
	nop

/* A load from $a0 in the delay slot of a taken branch. EPC must point at
   the branch (ex_delay_slot) with Cause.BD set; the branch target is right
   after the slot, so resuming at EPC + 8 is correct here. */
	.globl ex_delay_slot
ex_delay_slot:
	beq	$zero, $zero, 1f
	lw	$v0, 0($a0)
1:	jr	$ra
	nop

/* uint32_t ex_preserve(void): set every general register (and HI, LO) to
   a known value, take a SYSCALL, and check that ERET brought them all back.
   Returns 0, or the number of the first register that changed (32 = HI,
   33 = LO). $k0 and $k1 belong to the exception handler; $sp and $ra are
   saved on the stack. */
	.globl ex_preserve
ex_preserve:
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
	sw	$gp, 36($sp)

	li	$1, 0x20202020
	mthi	$1
	li	$1, 0x21212121
	mtlo	$1
	/* $n = n * 0x01010101 */
	.irp n, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,30,31
	li	$\n, \n * 0x01010101
	.endr

	.globl ex_preserve_pc
ex_preserve_pc:
	syscall

	/* On a mismatch branch to 9f with $1 = the register number, which
	   the delay slot sets whether the branch is taken or not. */
	.irp n, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,30,31
	li	$1, \n * 0x01010101
	bne	$1, $\n, 9f
	li	$1, \n
	.endr
	mfhi	$2
	li	$1, 0x20202020
	bne	$1, $2, 9f
	li	$1, 32
	mflo	$2
	li	$1, 0x21212121
	bne	$1, $2, 9f
	li	$1, 33
	li	$1, 0
9:	move	$v0, $1

	lw	$ra, 40($sp)
	lw	$s0, 0($sp)
	lw	$s1, 4($sp)
	lw	$s2, 8($sp)
	lw	$s3, 12($sp)
	lw	$s4, 16($sp)
	lw	$s5, 20($sp)
	lw	$s6, 24($sp)
	lw	$s7, 28($sp)
	lw	$fp, 32($sp)
	lw	$gp, 36($sp)
	jr	$ra
	addiu	$sp, $sp, 48

/*
 * Code for supervisor and user mode. exceptions.c maps this page at the
 * kuseg address USER_VA through the TLB and runs it with run_lowpriv(),
 * $a0 = the argument. Each entry does one thing and then SYSCALLs, which
 * the handler turns into "returned normally".
 */
	.section .text.user, "ax"
	.p2align 12
	.globl user_page
user_page:

	.globl user_load
user_load:
	lw	$t0, 0($a0)
	syscall

	.globl user_mfc0
user_mfc0:
	mfc0	$t0, $12
	syscall

/* CACHE is privileged too, even though this machine's caches hold only
   tags and the instruction does nothing (MACHINE.md, "CPU"). */
	.globl user_cache
user_cache:
	cache	0x10, 0($a0)      /* Hit_Invalidate_I */
	syscall

	.p2align 12      /* nothing else shares the page */
