/*
 * mips.h - the FLASH machine as numbers, for the native HAL only.
 *
 * CP0 register numbers and fields, device addresses (MACHINE.md). Included
 * by C and assembly files of hal/native; nothing else in the kernel may
 * include it. The C part (CP0 access) needs inline asm, which is exactly
 * what must stay inside the HAL.
 */
#ifndef HAL_NATIVE_MIPS_H
#define HAL_NATIVE_MIPS_H

/* CP0 registers. */
#define C0_INDEX     $0
#define C0_ENTRYLO0  $2
#define C0_ENTRYLO1  $3
#define C0_CONTEXT   $4
#define C0_WIRED     $6
#define C0_BADVADDR  $8
#define C0_COUNT     $9
#define C0_ENTRYHI   $10
#define C0_COMPARE   $11
#define C0_STATUS    $12
#define C0_CAUSE     $13
#define C0_EPC       $14

/* Status fields. */
#define ST_IE        0x00000001
#define ST_EXL       0x00000002
#define ST_ERL       0x00000004
#define ST_KSU_MASK  0x00000018
#define ST_KSU_USER  0x00000010
#define ST_IM_MASK   0x0000FF00
#define ST_IM(n)     (1 << (8 + (n)))
#define ST_BEV       0x00400000

#define INDEX_P      0x80000000
#define TLB_ENTRIES  64

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

/* struct trapframe offsets (hal.h). */
#define TF_REG(n)    ((n) * 4)
#define TF_HI        128
#define TF_LO        132
#define TF_EPC       136
#define TF_STATUS    140
#define TF_CAUSE     144
#define TF_BADVADDR  148
#define TF_SIZE      160

#ifndef __ASSEMBLER__
#include <stdint.h>

#define mfc0(reg) ({ uint32_t v_; \
	__asm__ volatile("mfc0 %0, $" #reg : "=r"(v_)); v_; })
#define mtc0(reg, v) \
	__asm__ volatile("mtc0 %0, $" #reg : : "r"((uint32_t)(v)) : "memory")

static inline uint32_t mmio_read(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

static inline void mmio_write(uint32_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}
#endif

#endif
