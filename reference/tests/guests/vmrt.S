/*
 * vmrt.S - vectors, start-up and the exception path of the test guests.
 *
 * The monitor starts vCPU 0 here as a real CPU 0 at reset: kernel mode
 * (which the monitor runs in supervisor mode), Status.BEV = 1, $a0 = 0,
 * $a1 = vCPUs, $a2 = memory bytes, $a3 = guest physical address of the
 * boot arguments. vCPUs started with MC_CPU_START come here too with
 * $a0 = their number. Every privileged instruction here is emulated by the
 * monitor: that is the point.
 */
	.set noreorder
	.set noat

#define TF_SIZE 160

	.section .vectors.refill, "ax"
	j	refill_entry
	nop
	.section .vectors.general, "ax"
	j	general_entry
	nop

	.section .text.start, "ax"
	.globl _start
_start:
	/* Stacks: 16 KB per vCPU below the last page (boot arguments). */
	lui	$t0, 0xC000
	addu	$t0, $t0, $a2           /* only vCPU 0 knows the size ... */
	beqz	$a0, 1f
	nop
	lui	$t1, %hi(memsize)
	lw	$t0, %lo(memsize)($t1)  /* ... the others read what it saved */
	lui	$t1, 0xC000
	addu	$t0, $t0, $t1
1:	addiu	$t0, $t0, -4096
	sll	$t1, $a0, 14
	subu	$sp, $t0, $t1
	addiu	$sp, $sp, -32
	mtc0	$zero, $12              /* Status = 0: BEV off, kernel, interrupts off */
	jal	vmrt_start
	nop
2:	b	2b
	nop

/* The exception stack of vCPU n: exc_stacks + (n + 1) * 4096. */
.macro SAVE vector
	move	$k0, $sp
	mfc0	$k1, $15, 1             /* EBase: 0x80000000 | vCPU number */
	andi	$k1, $k1, 0x3ff
	addiu	$k1, $k1, 1
	sll	$k1, $k1, 12
	lui	$sp, %hi(exc_stacks)
	addiu	$sp, $sp, %lo(exc_stacks)
	addu	$sp, $sp, $k1
	addiu	$sp, $sp, -TF_SIZE
	sw	$k0, 29*4($sp)
	.irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,30,31
	sw	$\r, \r*4($sp)
	.endr
	mfhi	$t0
	sw	$t0, 128($sp)
	mflo	$t0
	sw	$t0, 132($sp)
	mfc0	$t0, $14
	sw	$t0, 136($sp)
	mfc0	$t0, $12
	sw	$t0, 140($sp)
	mfc0	$t0, $13
	sw	$t0, 144($sp)
	mfc0	$t0, $8
	sw	$t0, 148($sp)
	li	$t0, \vector
	sw	$t0, 152($sp)
.endm

refill_entry:
	SAVE 0
	b	common
	nop
general_entry:
	SAVE 1
common:
	jal	vmrt_exception
	move	$a0, $sp
	lw	$t0, 128($sp)
	mthi	$t0
	lw	$t0, 132($sp)
	mtlo	$t0
	lw	$t0, 136($sp)
	mtc0	$t0, $14
	lw	$t0, 140($sp)
	mtc0	$t0, $12
	.irp r, 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,28,30,31
	lw	$\r, \r*4($sp)
	.endr
	lw	$sp, 29*4($sp)
	eret

	.text
	.globl mcall
mcall:
	move	$v0, $a0
	move	$a0, $a1
	move	$a1, $a2
	move	$a2, $a3
	lw	$a3, 16($sp)
	syscall
	jr	$ra
	nop
