/**
 * @file mips.h
 * @brief Architectural constants of the simulated MIPS32 CPU (MACHINE.md, "CPU").
 *
 * Everything here is fixed by the hardware contract: CP0 register numbers,
 * Status and Cause bits, exception codes, the address-space segments and the
 * TLB entry format. The simulator, the monitor and the tests all use these
 * names, so that a number in one place means the same thing everywhere.
 */
#ifndef FLASH_MIPS_H
#define FLASH_MIPS_H

#include <stdint.h>

/** @name Address-space segments (32-bit) */
/**@{*/
#define MIPS_KUSEG_END   0x80000000u /**< kuseg: 0 .. 0x7FFFFFFF, mapped, all modes */
#define MIPS_KSEG0       0x80000000u /**< kseg0: unmapped, cached, kernel only */
#define MIPS_KSEG1       0xA0000000u /**< kseg1: unmapped, uncached, kernel only */
#define MIPS_KSSEG       0xC0000000u /**< ksseg/sseg: mapped, kernel and supervisor */
#define MIPS_KSEG3       0xE0000000u /**< kseg3: mapped, kernel only */
/**@}*/

/** @name Page and TLB geometry */
/**@{*/
#define MIPS_PAGE_SHIFT  12u          /**< 4 KB pages */
#define MIPS_PAGE_SIZE   4096u        /**< bytes in a page */
#define MIPS_TLB_ENTRIES 64           /**< entries in each CPU's TLB */
/**@}*/

/** @name CP0 register numbers (select 0 unless noted) */
/**@{*/
#define CP0_INDEX     0 /**< Index: TLB entry for TLBR/TLBWI; P set by a failed TLBP */
#define CP0_RANDOM    1 /**< Random: TLB entry for TLBWR, counts down from 63 to Wired */
#define CP0_ENTRYLO0  2 /**< EntryLo0: even page of a TLB entry */
#define CP0_ENTRYLO1  3 /**< EntryLo1: odd page of a TLB entry */
#define CP0_CONTEXT   4 /**< Context: PTEBase | BadVPN2, for software refill */
#define CP0_PAGEMASK  5 /**< PageMask: always 0 (4 KB pages) */
#define CP0_WIRED     6 /**< Wired: entries below it are never chosen by TLBWR */
#define CP0_BADVADDR  8 /**< BadVAddr: the address of the last address or TLB exception */
#define CP0_COUNT     9 /**< Count: +1 every cycle */
#define CP0_ENTRYHI   10 /**< EntryHi: VPN2 | ASID */
#define CP0_COMPARE   11 /**< Compare: Count == Compare raises IP7 */
#define CP0_STATUS    12 /**< Status: mode, interrupt mask and enable */
#define CP0_CAUSE     13 /**< Cause: exception code, pending interrupts, BD */
#define CP0_EPC       14 /**< EPC: where to return after an exception */
#define CP0_PRID      15 /**< select 0: PRId; select 1: EBase (CPUNum in bits 9..0) */
#define CP0_CONFIG    16 /**< select 0: Config; select 1: Config1 */
#define CP0_LLADDR    17 /**< LLAddr: physical address of the last LL, >> 4 */
#define CP0_ERROREPC  30 /**< ErrorEPC: return address when Status.ERL is set */
/**@}*/

/** @name Status register bits */
/**@{*/
#define ST_IE        0x00000001u /**< global interrupt enable */
#define ST_EXL       0x00000002u /**< exception level: set on exception, forces kernel mode */
#define ST_ERL       0x00000004u /**< error level: forces kernel mode */
#define ST_KSU_SHIFT 3 /**< position of KSU in Status */
#define ST_KSU_MASK  0x00000018u /**< 0 kernel, 1 supervisor, 2 user */
#define ST_KSU_SUPER 0x00000008u /**< KSU = 1: supervisor mode */
#define ST_KSU_USER  0x00000010u /**< KSU = 2: user mode */
#define ST_IM_SHIFT  8 /**< position of IM in Status */
#define ST_IM_MASK   0x0000FF00u /**< interrupt mask, one bit per line IP0..IP7 */
#define ST_BEV       0x00400000u /**< boot exception vectors (double fault here) */
#define ST_CU0       0x10000000u /**< CP0 usable outside kernel mode */
/**@}*/

/** @name Cause register bits */
/**@{*/
#define CAUSE_EXC_SHIFT 2 /**< position of ExcCode in Cause */
#define CAUSE_EXC_MASK  0x0000007Cu /**< ExcCode field of Cause */
#define CAUSE_IP_SHIFT  8 /**< position of IP in Cause */
#define CAUSE_IP_MASK   0x0000FF00u /**< pending interrupts IP0..IP7 */
#define CAUSE_CE_SHIFT  28 /**< position of CE in Cause */
#define CAUSE_CE_MASK   0x30000000u /**< coprocessor number of a CpU exception */
#define CAUSE_BD        0x80000000u /**< exception in a branch delay slot */
/**@}*/

/** @name Interrupt lines (Cause.IP bit numbers) */
/**@{*/
#define IRQ_SOFT0 0 /**< software interrupt 0 (Cause.IP0) */
#define IRQ_SOFT1 1 /**< software interrupt 1 (Cause.IP1) */
#define IRQ_DISK  2 /**< disk completion */
#define IRQ_NET   3 /**< network (reserved) */
#define IRQ_IPI   4 /**< inter-processor interrupt */
#define IRQ_HOT   5 /**< MAGIC hot page */
#define IRQ_CONS  6 /**< console input */
#define IRQ_TIMER 7 /**< timer: Count == Compare */
/**@}*/

/** Exception codes (Cause.ExcCode). */
enum mips_exc {
    EXC_INT = 0,  /**< interrupt */
    EXC_MOD = 1,  /**< TLB modified: store to a page with D=0 */
    EXC_TLBL = 2, /**< TLB miss or invalid on load or fetch */
    EXC_TLBS = 3, /**< TLB miss or invalid on store */
    EXC_ADEL = 4, /**< address error on load or fetch */
    EXC_ADES = 5, /**< address error on store */
    EXC_IBE = 6,  /**< bus error on fetch */
    EXC_DBE = 7,  /**< bus error on data access */
    EXC_SYS = 8,  /**< syscall */
    EXC_BP = 9,   /**< break */
    EXC_RI = 10,  /**< reserved instruction */
    EXC_CPU = 11, /**< coprocessor unusable */
    EXC_OV = 12,  /**< arithmetic overflow */
    EXC_TR = 13,  /**< trap */
};

/** @name TLB entry fields */
/**@{*/
#define ENTRYHI_VPN2_MASK 0xFFFFE000u /**< virtual page pair number */
#define ENTRYHI_ASID_MASK 0x000000FFu /**< address-space identifier */
#define ENTRYLO_G       0x00000001u   /**< global: ignore ASID */
#define ENTRYLO_V       0x00000002u   /**< valid */
#define ENTRYLO_D       0x00000004u   /**< dirty: writes allowed */
#define ENTRYLO_C_SHIFT 3 /**< position of C in EntryLo */
#define ENTRYLO_C_MASK  0x00000038u   /**< cache attribute; 2 = uncached */
#define ENTRYLO_PFN_SHIFT 6 /**< position of the PFN in EntryLo */
#define ENTRYLO_PFN_MASK  0x3FFFFFC0u /**< PFN bits 29..6 (36-bit physical) */
#define ENTRYLO_C_UNCACHED 2u /**< C value of an uncached page */
#define INDEX_P         0x80000000u   /**< probe failure */
#define CONTEXT_PTEBASE_MASK 0xFF800000u /**< PTEBase field of Context (software-defined) */
/**@}*/

/** @name What this machine's CPU reports (handout/machine.md), and what a
 *  monitor's virtual CPU must report the same */
/**@{*/
#define MIPS_PRID    0x00018001u  /**< PRId: MIPS Technologies, 4K-class core, revision 1 */
#define MIPS_CONFIG  0x80000083u  /**< Config: M (Config1 present), MT=1 standard TLB, K0=3 cacheable */
#define MIPS_CONFIG1 (63u << 25)  /**< Config1: MMU size - 1 = 63; no FPU */
/** Status bits software can write (CU1..3 read as 0: there is no FPU). */
#define ST_WRITABLE (ST_CU0 | ST_BEV | ST_IM_MASK | ST_KSU_MASK | ST_ERL | ST_EXL | ST_IE)
/**@}*/

/** The name of exception code @p code ("Int", "TLBL", ...), or "?". */
static inline const char *mips_exc_name(unsigned code)
{
    static const char *const names[] = {
        "Int", "Mod", "TLBL", "TLBS", "AdEL", "AdES", "IBE", "DBE", "Sys", "Bp", "RI", "CpU", "Ov", "Tr",
    };
    return code < sizeof names / sizeof names[0] ? names[code] : "?";
}

/** Processor modes, in the order the statistics use them. */
enum mips_mode {
    MODE_USER = 0,
    MODE_SUPERVISOR = 1,
    MODE_KERNEL = 2,
};

#endif
