/*
 * cp0.c - the system control coprocessor: MFC0 and MTC0 semantics.
 *
 * Register map (MACHINE.md "CP0 registers"):
 *
 *   0 Index     P (31) | index (5..0)            rw (P read-only)
 *   1 Random    Wired..63, one step per instruction  ro
 *   2 EntryLo0  PFN (29..6) | C (5..3) | D | V | G   rw
 *   3 EntryLo1  same, odd page                   rw
 *   4 Context   PTEBase (31..23) | BadVPN2 (22..4)   PTEBase rw
 *   5 PageMask  always 0 (4 KB pages only)       reads 0
 *   6 Wired     0..63; a write resets Random to 63   rw
 *   8 BadVAddr  last address-error or TLB address    ro
 *   9 Count     +1 per cycle                     rw
 *  10 EntryHi   VPN2 (31..13) | ASID (7..0)      rw
 *  11 Compare   Count == Compare raises IP7; a write clears it  rw
 *  12 Status    CU0 | BEV | IM | KSU | ERL | EXL | IE  rw
 *  13 Cause     BD | CE | IP (15..8) | ExcCode   IP1..0 rw
 *  14 EPC                                        rw
 *  15 PRId (sel 0), EBase (sel 1: 0x80000000 | CPU number)  ro
 *  16 Config (sel 0), Config1 (sel 1)            ro
 *  17 LLAddr    physical address of the last LL >> 4  ro
 *  30 ErrorEPC                                   rw
 *
 * Count and Random are not stored: they are computed from the CPU's cycle
 * and instruction counters, so they cost nothing per instruction.
 */
#include "internal.h"


uint32_t cp0_count(const struct cpu *c)
{
    return (uint32_t)(c->cycles - c->count_base);
}

/* Random counts down from 63 to Wired, one step per instruction. */
uint32_t cp0_random(const struct cpu *c)
{
    uint32_t span = MIPS_TLB_ENTRIES - c->wired;
    if (span == 0)
        return MIPS_TLB_ENTRIES - 1;
    return MIPS_TLB_ENTRIES - 1 - (uint32_t)((c->insns - c->random_base) % span);
}

/* Compute when Count will next equal Compare. */
void cp0_timer_update(struct cpu *c)
{
    uint32_t delta = c->compare - cp0_count(c);
    c->timer_at = c->cycles + (delta ? delta : (1ull << 32));
    if (c->deadline > c->timer_at)
        c->deadline = c->timer_at;
}

/* An interrupt is taken when a line is pending and enabled in IM, IE is
 * set, and neither EXL nor ERL is. */
bool cp0_irq_ready(const struct cpu *c)
{
    return (c->cause & c->status & CAUSE_IP_MASK) && (c->status & ST_IE) &&
           !(c->status & (ST_EXL | ST_ERL));
}

uint32_t cp0_read(struct cpu *c, int reg, int sel)
{
    switch (reg) {
    case CP0_INDEX: return c->index;
    case CP0_RANDOM: return cp0_random(c);
    case CP0_ENTRYLO0: return c->entrylo0;
    case CP0_ENTRYLO1: return c->entrylo1;
    case CP0_CONTEXT: return c->context;
    case CP0_PAGEMASK: return 0;
    case CP0_WIRED: return c->wired;
    case CP0_BADVADDR: return c->badvaddr;
    case CP0_COUNT: return cp0_count(c);
    case CP0_ENTRYHI: return c->entryhi;
    case CP0_COMPARE: return c->compare;
    case CP0_STATUS: return c->status;
    case CP0_CAUSE: return c->cause;
    case CP0_EPC: return c->epc;
    case CP0_PRID: return sel == 1 ? (0x80000000u | (uint32_t)c->id) : MIPS_PRID;
    case CP0_CONFIG: return sel == 1 ? MIPS_CONFIG1 : MIPS_CONFIG;
    case CP0_LLADDR: return c->lladdr;
    case CP0_ERROREPC: return c->errorepc;
    default: return 0; /* unimplemented registers read as zero */
    }
}

void cp0_write(struct cpu *c, int reg, int sel, uint32_t v)
{
    (void)sel;
    switch (reg) {
    case CP0_INDEX:
        c->index = (c->index & INDEX_P) | (v & (MIPS_TLB_ENTRIES - 1));
        break;
    case CP0_ENTRYLO0:
        c->entrylo0 = v & (ENTRYLO_PFN_MASK | ENTRYLO_C_MASK | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G);
        break;
    case CP0_ENTRYLO1:
        c->entrylo1 = v & (ENTRYLO_PFN_MASK | ENTRYLO_C_MASK | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G);
        break;
    case CP0_CONTEXT:
        c->context = (c->context & ~CONTEXT_PTEBASE_MASK) | (v & CONTEXT_PTEBASE_MASK);
        break;
    case CP0_WIRED:
        c->wired = v % MIPS_TLB_ENTRIES;
        c->random_base = c->insns;
        break;
    case CP0_COUNT:
        c->count_base = c->cycles - v;
        cp0_timer_update(c);
        break;
    case CP0_ENTRYHI: {
        uint32_t old = c->entryhi;
        c->entryhi = v & (ENTRYHI_VPN2_MASK | ENTRYHI_ASID_MASK);
        /* The fast-path translations were made for the old ASID. */
        if ((old ^ c->entryhi) & ENTRYHI_ASID_MASK)
            tc_flush(c);
        break;
    }
    case CP0_COMPARE:
        c->compare = v;
        cpu_set_ip(c, IRQ_TIMER, false);
        cp0_timer_update(c);
        break;
    case CP0_STATUS:
        c->status = v & ST_WRITABLE;
        cpu_mode_changed(c);
        cpu_irq_changed(c);
        break;
    case CP0_CAUSE: {
        uint32_t soft = 3u << CAUSE_IP_SHIFT;
        c->cause = (c->cause & ~soft) | (v & soft);
        cpu_irq_changed(c);
        break;
    }
    case CP0_EPC:
        c->epc = v;
        break;
    case CP0_ERROREPC:
        c->errorepc = v;
        break;
    default:
        break; /* read-only or unimplemented: writes are ignored */
    }
}
