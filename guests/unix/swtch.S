/*
 * swtch.S - switch kernel stacks.
 *
 * void swtch(uint32_t *save_sp, uint32_t new_sp)
 *
 * Push the callee-saved registers (o32: s0-s7, fp, gp, ra) on the current
 * stack, store sp in *save_sp, load new_sp and pop the same frame from
 * there, returning into whoever saved it (or, for a new process, into the
 * function allocproc put in the frame's ra slot). Nothing privileged:
 * interrupts are off (the caller holds ptable.lock) and Status is the
 * CPU's, not the process's.
 */
	.set noreorder
	.text
	.globl swtch
	.ent swtch
swtch:
	addiu	$sp, $sp, -48
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
	sw	$ra, 40($sp)
	sw	$sp, 0($a0)
	move	$sp, $a1
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
	lw	$ra, 40($sp)
	jr	$ra
	addiu	$sp, $sp, 48
	.end swtch
