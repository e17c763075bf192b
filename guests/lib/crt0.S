/*
 * crt0.S - where every user program starts.
 *
 * exec leaves argc in a0 and argv in a1 (guests/README.md, "User
 * programs"), with sp just below the argument strings. We keep sp 8-byte
 * aligned and leave the 16-byte argument area the o32 ABI promises every
 * callee, call main(argc, argv), and exit with what it returns. The kernel
 * zeroes .bss when it loads the program, so there is nothing else to do.
 */
	.set noreorder
	.section .text.start, "ax"
	.globl _start
	.ent _start
_start:
	li	$t0, -8
	and	$sp, $sp, $t0
	addiu	$sp, $sp, -16
	jal	main
	nop
	jal	exit
	move	$a0, $v0                /* delay slot: exit(main's result) */
1:	b	1b                      /* exit does not return */
	nop
	.end _start
