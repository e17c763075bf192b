/*
 * vectors.S - the exception vectors and the trap frame (native HAL).
 *
 * Two vectors (MACHINE.md "CPU", BEV = 0):
 *
 *   0x80000000  TLB refill: a kuseg access missed in the TLB while EXL = 0.
 *               The fast path below loads the even/odd PTE pair from the
 *               running process's page table and retries, in 20
 *               instructions, touching only kseg0 and $k0/$k1 (the o32 ABI
 *               reserves them for exception handlers, so nothing is saved).
 *               Like IRIX's UTLB_MISS, it never branches: a missing page
 *               table is the shared page of invalid PTEs, and an invalid
 *               PTE makes the retried access raise TLBL/TLBS at the general
 *               vector, where the C fault handler decides (vm_fault).
 *
 *   0x80000180  everything else: save the registers in a struct trapframe,
 *               call trap(tf) in C, restore, ERET.
 *
 * The refill handler finds its CPU through Context.PTEBase, which
 * hal_cpu_init sets to cpu << 23 (as Linux/MIPS does): Context bits 31..23
 * are software's, the hardware fills bits 22..4 with the missing VPN2.
 */
#include "machine.h"

	.set noreorder
	.set noat

	.section .vectors.refill, "ax"
	.globl hal_refill
	.ent hal_refill
hal_refill:
	mfc0	$k0, C0_CONTEXT         /* cpu << 23 | BadVPN2 << 4 */
	lui	$k1, %hi(hal_cpu_pgdir)
	srl	$k0, $k0, 23            /* cpu */
	sll	$k0, $k0, 2
	addu	$k1, $k1, $k0
	lw	$k1, %lo(hal_cpu_pgdir)($k1) /* this CPU's page directory */
	mfc0	$k0, C0_BADVADDR
	srl	$k0, $k0, 22            /* directory index: VA bits 31..22 */
	sll	$k0, $k0, 2
	addu	$k1, $k1, $k0
	lw	$k1, 0($k1)             /* the page-table page */
	mfc0	$k0, C0_BADVADDR
	srl	$k0, $k0, 10            /* (VA >> 12) * 4: byte offset of the PTE */
	andi	$k0, $k0, 0xFF8         /* ... rounded down to the even page */
	addu	$k1, $k1, $k0
	lw	$k0, 0($k1)             /* even PTE */
	lw	$k1, 4($k1)             /* odd PTE */
	mtc0	$k0, C0_ENTRYLO0
	mtc0	$k1, C0_ENTRYLO1
	tlbwr                           /* EntryHi already holds VPN2 | ASID */
	eret
	.end hal_refill

	.section .vectors.general, "ax"
	.globl hal_general
hal_general:
	j	hal_exception
	nop

/* ---------------------------------------------------------------------
 * hal_exception: build a trap frame and call trap(tf).
 *
 * From user mode (Status.KSU = user; EXL keeps the old KSU) the frame goes
 * on the running process's kernel stack, whose top hal_set_kstack recorded
 * in hal_cpu_kstack[cpu]; from kernel mode, below the interrupted $sp.
 * --------------------------------------------------------------------- */
	.text
	.globl hal_exception
	.ent hal_exception
hal_exception:
	mfc0	$k0, C0_STATUS
	andi	$k0, $k0, ST_KSU_USER
	beqz	$k0, 1f
	move	$k1, $sp                /* delay slot: the interrupted sp */
	mfc0	$k0, C0_CONTEXT
	srl	$k0, $k0, 23
	sll	$k0, $k0, 2
	lui	$sp, %hi(hal_cpu_kstack)
	addu	$sp, $sp, $k0
	lw	$sp, %lo(hal_cpu_kstack)($sp)
1:	addiu	$sp, $sp, -TF_SIZE
	sw	$k1, TF_REG(29)($sp)
	SAVE_GPRS                       /* hal/mips/mips.h */
	mfc0	$t0, C0_EPC
	sw	$t0, TF_EPC($sp)
	mfc0	$t0, C0_CAUSE
	sw	$t0, TF_CAUSE($sp)
	mfc0	$t0, C0_BADVADDR
	sw	$t0, TF_BADVADDR($sp)
	mfc0	$t0, C0_STATUS
	sw	$t0, TF_STATUS($sp)

	/* Leave exception level: kernel mode, interrupts still off, so that
	   C code runs as ordinary kernel code (and a nested exception saves
	   its own EPC). trap() turns interrupts on when it is ready. */
	li	$t1, ~(ST_KSU_MASK | ST_EXL | ST_IE)
	and	$t0, $t0, $t1
	mtc0	$t0, C0_STATUS

	move	$a0, $sp
	jal	trap
	addiu	$sp, $sp, -16           /* delay slot: o32 argument area */
	addiu	$sp, $sp, 16
	b	trapret_sp
	nop
	.end hal_exception

/* ---------------------------------------------------------------------
 * void hal_trapret(struct trapframe *tf): restore tf and ERET.
 *
 * Status is rebuilt from the live one (this CPU's interrupt mask: a
 * process may have trapped on another CPU) with the frame's KSU and IE,
 * and EXL set, so that nothing can interrupt between restoring EPC and the
 * ERET, which clears EXL and drops to the frame's mode.
 * --------------------------------------------------------------------- */
	.globl hal_trapret
	.ent hal_trapret
hal_trapret:
	move	$sp, $a0
trapret_sp:
	mfc0	$t0, C0_STATUS
	li	$t1, ~(ST_KSU_MASK | ST_IE)
	and	$t0, $t0, $t1
	mtc0	$t0, C0_STATUS          /* interrupts off */
	lw	$t1, TF_STATUS($sp)
	andi	$t1, $t1, (ST_KSU_MASK | ST_IE)
	or	$t0, $t0, $t1
	ori	$t0, $t0, ST_EXL
	mtc0	$t0, C0_STATUS          /* EXL: still kernel mode until ERET */
	lw	$t0, TF_EPC($sp)
	mtc0	$t0, C0_EPC
	RESTORE_GPRS                    /* and $sp, last */
	eret                            /* no delay slot; breaks any LL link */
	.end hal_trapret
