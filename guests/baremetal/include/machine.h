/*
 * machine.h: the hardware of the simulated FLASH machine, as numbers.
 *
 * Everything here comes from /work/shared/MACHINE.md (the hardware contract);
 * the section names in the comments are that document's. This header is
 * included by both C and assembly (start.S), so it holds only #defines.
 */
#ifndef BAREMETAL_MACHINE_H
#define BAREMETAL_MACHINE_H

/* ---- Address segments ("CPU", segment table) ---- */
#define KUSEG_BASE   0x00000000  /* mapped, all modes */
#define KSEG0_BASE   0x80000000  /* unmapped, cached, PA = VA - 0x80000000 */
#define KSEG1_BASE   0xA0000000  /* unmapped, uncached, PA = VA - 0xA0000000 */
#define KSSEG_BASE   0xC0000000  /* mapped, kernel and supervisor */
#define KSEG3_BASE   0xE0000000  /* mapped, kernel only */

#define PAGE_SIZE    4096
#define PAGE_SHIFT   12
#define LINE_SIZE    128         /* cache line ("Memory and NUMA") */

/* ---- Exception vectors with Status.BEV = 0 ---- */
#define VEC_REFILL   0x80000000
#define VEC_GENERAL  0x80000180

/* ---- CP0 register numbers ("CPU", CP0 registers) ---- */
#define CP0_INDEX     0
#define CP0_RANDOM    1
#define CP0_ENTRYLO0  2
#define CP0_ENTRYLO1  3
#define CP0_CONTEXT   4
#define CP0_PAGEMASK  5
#define CP0_WIRED     6
#define CP0_BADVADDR  8
#define CP0_COUNT     9
#define CP0_ENTRYHI   10
#define CP0_COMPARE   11
#define CP0_STATUS    12
#define CP0_CAUSE     13
#define CP0_EPC       14
#define CP0_PRID      15  /* select 0 */
#define CP0_EBASE     15  /* select 1: CPUNum in bits 9..0 */
#define CP0_CONFIG    16
#define CP0_LLADDR    17
#define CP0_ERROREPC  30

/* ---- Status register fields (MIPS32) ---- */
#define ST_IE        0x00000001  /* interrupts enabled */
#define ST_EXL       0x00000002  /* exception level: set while handling one */
#define ST_ERL       0x00000004  /* error level */
#define ST_KSU_MASK  0x00000018  /* mode: 0 kernel, 1 supervisor, 2 user */
#define ST_KSU_SUPER 0x00000008
#define ST_KSU_USER  0x00000010
#define ST_IM_SHIFT  8            /* interrupt mask IM0..IM7: bits 15..8 */
#define ST_BEV       0x00400000  /* bootstrap vectors (0xBFC00xxx) */
#define ST_CU0       0x10000000  /* CP0 usable outside kernel mode */
#define ST_CU1       0x20000000  /* CP1 (FPU): this machine has none */

/* ---- Cause register fields ---- */
#define CAUSE_EXC_SHIFT 2
#define CAUSE_EXC_MASK  0x0000007C
#define CAUSE_IP_SHIFT  8           /* pending interrupts IP0..IP7: bits 15..8 */
#define CAUSE_CE_SHIFT  28          /* coprocessor number for CpU */
#define CAUSE_CE_MASK   0x30000000
#define CAUSE_BD        0x80000000 /* exception was in a branch delay slot */

/* ExcCodes */
#define EXC_INT   0
#define EXC_MOD   1
#define EXC_TLBL  2
#define EXC_TLBS  3
#define EXC_ADEL  4
#define EXC_ADES  5
#define EXC_IBE   6
#define EXC_DBE   7
#define EXC_SYS   8
#define EXC_BP    9
#define EXC_RI    10
#define EXC_CPU   11
#define EXC_OV    12
#define EXC_TR    13

/* Interrupt lines: bit n of Cause.IP / Status.IM is IPn. */
#define IRQ_SW0    0
#define IRQ_SW1    1
#define IRQ_DISK   2
#define IRQ_NET    3
#define IRQ_IPI    4
#define IRQ_HOT    5
#define IRQ_CONS   6
#define IRQ_TIMER  7

/* ---- TLB ("CPU", TLB) ---- */
#define TLB_ENTRIES     64
#define ENTRYHI_VPN2    0xFFFFE000  /* VA bits 31..13: an even/odd page pair */
#define ENTRYHI_ASID    0x000000FF
#define ENTRYLO_PFN_SHIFT 6          /* PFN in bits 29..6 */
#define ENTRYLO_G       0x01        /* global: ignore the ASID */
#define ENTRYLO_V       0x02        /* valid */
#define ENTRYLO_D       0x04        /* dirty = writable */
#define ENTRYLO_C_CACHED 0x18       /* C = 3: cacheable */
#define INDEX_P         0x80000000  /* TLBP found no match */
#define CONTEXT_PTEBASE 0xFF800000  /* bits 31..23, set by software */
#define CONTEXT_BADVPN2 0x007FFFF0  /* bits 22..4 = BadVAddr bits 31..13 */

/* ---- Devices ("Devices"): physical 0x1F000000, seen through kseg1 ---- */
#define DEV_BASE          0xBF000000

#define CONSOLE_BASE      (DEV_BASE + 0x000000)
#define CONSOLE_TX        0x0   /* write a byte */
#define CONSOLE_RX        0x4   /* next input byte, or 0xFFFFFFFF */
#define CONSOLE_CTRL      0x8   /* bit 0: IP6 on input */

#define POWER_BASE        (DEV_BASE + 0x001000)
#define POWER_HALT        0x00  /* write: the simulator exits with value & 0xFF */
#define POWER_NCPUS       0x04
#define POWER_NODE_MEM    0x08  /* bytes of memory per node */
#define POWER_CPU_START   0x0C  /* write a CPU number: start it at CPU_PC */
#define POWER_CPU_PC      0x10
#define POWER_CYCLE_LO    0x14
#define POWER_CYCLE_HI    0x18
#define POWER_MARK        0x1C  /* phase marker for the statistics */

#define IPI_BASE          (DEV_BASE + 0x002000)
#define IPI_SEND          0x0   /* write a CPU number: raise IP4 there */
#define IPI_ACK           0x4   /* write anything: clear IP4 here */

#define DISK_BASE(k)      (DEV_BASE + 0x003000 + 0x100 * (k))
#define DISK_SECTOR       0x00
#define DISK_COUNT        0x04
#define DISK_DMA_ADDR     0x08  /* physical address */
#define DISK_CMD          0x0C
#define DISK_STATUS       0x10
#define DISK_ACK          0x14
#define DISK_CAPACITY     0x18  /* sectors */
#define DISK_TARGET_CPU   0x1C
#define DISK_CMD_READ     1     /* disk to memory */
#define DISK_CMD_WRITE    2     /* memory to disk */
#define DISK_IDLE         0
#define DISK_BUSY         1
#define DISK_DONE         2
#define DISK_ERROR        3
#define SECTOR_SIZE       512

#define MAGIC_BASE        (DEV_BASE + 0x004000)
#define MAGIC_THRESHOLD   0x0
#define MAGIC_HOT_POP     0x4   /* PFN * 256 + node, or 0xFFFFFFFF */
#define MAGIC_RESET_ALL   0x8
#define MAGIC_RESET_PAGE  0xC   /* write a PFN */

#endif
