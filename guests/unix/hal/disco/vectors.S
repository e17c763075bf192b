/*
 * vectors.S - the exception vectors and the trap frame (disco HAL).
 *
 * The native vectors (hal/native/vectors.S), relocated: the monitor
 * forwards a guest's exceptions to 0xC0000000 (a user TLB miss its
 * second-level TLB could not satisfy, with the virtual EXL clear) and to
 * 0xC0000180 (everything else), having set the virtual EPC, Cause,
 * BadVAddr, Context, EntryHi and Status.EXL as the CPU would (handout
 * "monitor", section 3). Misses on the kernel's own segment never come
 * here: the monitor maps the relocated kernel itself.
 *
 * The code is the native code but for the privileged-register reads,
 * which are GETREG (machine.h): loads from the HAL page with HALPAGE=1,
 * emulated mfc0 otherwise. What must still trap does: EntryLo writes,
 * TLBWR and ERET (the monitor must see them), and the two Status writes
 * that change EXL or KSU, which the page does not carry (paper section 4,
 * "HAL patches": only the frequent, harmless accesses become loads and
 * stores).
 */
#include "machine.h"

	.set noreorder
	.set noat

/* The refill fast path: as native, 20-odd instructions on $k0/$k1. With
   the HAL page its CPU number and BadVAddr are loads, so it traps four
   times (two EntryLo writes, TLBWR, ERET) instead of seven. The refill
   must not use a trapping mfc0 for the CPU number when the page is on. */
	.section .vectors.refill, "ax"
	.globl hal_refill
	.ent hal_refill
hal_refill:
#if HALPAGE
	lui	$k0, HP_HI
	lw	$k0, HP_OFF(HALPAGE_CPUID)($k0)  /* vCPU number */
#else
	mfc0	$k0, C0_CONTEXT         /* cpu << 23 | BadVPN2 << 4 */
	srl	$k0, $k0, 23            /* cpu */
#endif
	lui	$k1, %hi(hal_cpu_pgdir)
	sll	$k0, $k0, 2
	addu	$k1, $k1, $k0
	lw	$k1, %lo(hal_cpu_pgdir)($k1) /* this CPU's page directory */
	GETREG	$k0, HALPAGE_BADVADDR, C0_BADVADDR
	srl	$k0, $k0, 22            /* directory index: VA bits 31..22 */
	sll	$k0, $k0, 2
	addu	$k1, $k1, $k0
	lw	$k1, 0($k1)             /* the page-table page */
	GETREG	$k0, HALPAGE_BADVADDR, C0_BADVADDR
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
 * From user mode the frame goes on the running process's kernel stack
 * (hal_cpu_kstack[cpu]); from kernel mode, below the interrupted $sp.
 * --------------------------------------------------------------------- */
	.text
	.globl hal_exception
	.ent hal_exception
hal_exception:
	GETREG	$k0, HALPAGE_STATUS, C0_STATUS
	andi	$k0, $k0, ST_KSU_USER
	beqz	$k0, 1f
	move	$k1, $sp                /* delay slot: the interrupted sp */
#if HALPAGE
	lui	$k0, HP_HI
	lw	$k0, HP_OFF(HALPAGE_CPUID)($k0)
#else
	mfc0	$k0, C0_CONTEXT
	srl	$k0, $k0, 23
#endif
	sll	$k0, $k0, 2
	lui	$sp, %hi(hal_cpu_kstack)
	addu	$sp, $sp, $k0
	lw	$sp, %lo(hal_cpu_kstack)($sp)
1:	addiu	$sp, $sp, -TF_SIZE
	sw	$k1, TF_REG(29)($sp)
	SAVE_GPRS                       /* hal/mips/mips.h */
	GETREG	$t0, HALPAGE_EPC, C0_EPC
	sw	$t0, TF_EPC($sp)
	GETREG	$t0, HALPAGE_CAUSE, C0_CAUSE
	sw	$t0, TF_CAUSE($sp)
	GETREG	$t0, HALPAGE_BADVADDR, C0_BADVADDR
	sw	$t0, TF_BADVADDR($sp)
	GETREG	$t0, HALPAGE_STATUS, C0_STATUS
	sw	$t0, TF_STATUS($sp)

	/* Leave exception level: EXL and KSU are not in the page's writable
	   bits, so this one stays an (emulated) mtc0. */
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
 * As native: interrupts off, then Status with the frame's KSU and IE and
 * EXL set, EPC, the registers, ERET. With the HAL page, turning interrupts
 * off and writing EPC are stores; the Status write that sets EXL and KSU
 * traps. The monitor reads the page back at that trap and at the ERET, so
 * it sees the EPC stored here whatever traps (kernel-segment TLB misses
 * on the stack) come in between.
 * --------------------------------------------------------------------- */
	.globl hal_trapret
	.ent hal_trapret
hal_trapret:
	move	$sp, $a0
trapret_sp:
	GETREG	$t0, HALPAGE_STATUS, C0_STATUS
	li	$t1, ~(ST_KSU_MASK | ST_IE)
	and	$t0, $t0, $t1
#if HALPAGE
	lui	$t2, HP_HI
	sw	$t0, HP_OFF(HALPAGE_STATUS)($t2) /* interrupts off */
#else
	mtc0	$t0, C0_STATUS          /* interrupts off */
#endif
	lw	$t1, TF_STATUS($sp)
	andi	$t1, $t1, (ST_KSU_MASK | ST_IE)
	or	$t0, $t0, $t1
	ori	$t0, $t0, ST_EXL
	mtc0	$t0, C0_STATUS          /* EXL: still kernel mode until ERET */
	lw	$t0, TF_EPC($sp)
#if HALPAGE
	sw	$t0, HP_OFF(HALPAGE_EPC)($t2)
#else
	mtc0	$t0, C0_EPC
#endif
	RESTORE_GPRS                    /* and $sp, last */
	eret
	.end hal_trapret
