/*
 * machine.h - the FLASH machine as numbers, for the native HAL only.
 *
 * Device addresses (MACHINE.md "Devices") and how the HAL reaches them and
 * the privileged registers: directly, with loads and stores to kseg1 and
 * mfc0/mtc0. The CPU's own numbers are in hal/mips/mips.h, shared with the
 * disco HAL, whose machine.h is the monitor's VM. Included by C and
 * assembly files of hal/native and hal/mips; nothing else in the kernel
 * may include it.
 */
#ifndef HAL_NATIVE_MACHINE_H
#define HAL_NATIVE_MACHINE_H

#include "mips.h"

/* Devices: physical 0x1F000000, reached through kseg1 (uncached). */
#define DEV_BASE         0xBF000000
#define CONS_TX          (DEV_BASE + 0x0000)
#define CONS_RX          (DEV_BASE + 0x0004)
#define CONS_CTRL        (DEV_BASE + 0x0008)
#define POWER_HALT       (DEV_BASE + 0x1000)
#define POWER_NCPUS      (DEV_BASE + 0x1004)
#define POWER_NODE_MEM   (DEV_BASE + 0x1008)
#define POWER_CPU_START  (DEV_BASE + 0x100C)
#define POWER_CPU_PC     (DEV_BASE + 0x1010)
#define POWER_CYCLE_LO   (DEV_BASE + 0x1014)
#define POWER_CYCLE_HI   (DEV_BASE + 0x1018)
#define POWER_MARK       (DEV_BASE + 0x101C)
#define IPI_SEND         (DEV_BASE + 0x2000)
#define IPI_ACK          (DEV_BASE + 0x2004)
#define MAGIC_HOT_POP    (DEV_BASE + 0x4004)
#define DISK_REG(k, r)   (DEV_BASE + 0x3000 + 0x100 * (k) + (r))
#define DISK_SECTOR      0x00
#define DISK_COUNT       0x04
#define DISK_DMA_ADDR    0x08
#define DISK_CMD         0x0C
#define DISK_STATUS      0x10
#define DISK_ACK         0x14
#define DISK_CAPACITY    0x18
#define DISK_TARGET_CPU  0x1C

/* hal/mips/start.S clears .bss: flashsim's loader zeroes it too, but a
   real boot would not, and it costs the bare machine nothing. */
#define HAL_CLEAR_BSS 1

#ifdef __ASSEMBLER__

/* hal/mips/start.S runs this first, while Status.BEV is still 1: the bare
   machine has nothing to check. */
	.macro RESET_CHECK
	.endm

#else /* C */

/* EntryHi, to restore the ASID after a probe (hal/mips/tlb.c). */
#define entryhi() mfc0(10)

static inline uint32_t mmio_read(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write(uint32_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

#endif /* __ASSEMBLER__ */

#endif
