/*
 * tlb.c - address translation: segments, the 64-entry TLB, and the host-side
 * translation caches.
 *
 * A virtual address is translated by segment (MACHINE.md "Address segments"):
 *
 *   kuseg 0x00000000-0x7FFFFFFF  TLB          user, supervisor, kernel
 *   kseg0 0x80000000-0x9FFFFFFF  PA = VA - 0x80000000, cached    kernel
 *   kseg1 0xA0000000-0xBFFFFFFF  PA = VA - 0xA0000000, uncached  kernel
 *   sseg  0xC0000000-0xDFFFFFFF  TLB          supervisor, kernel
 *   kseg3 0xE0000000-0xFFFFFFFF  TLB          kernel
 *
 * A mapped address matches a TLB entry when its VPN2 (bits 31..13) equal
 * the entry's, and the entry is global or its ASID equals EntryHi.ASID.
 * Bit 12 picks EntryLo0 (even page) or EntryLo1 (odd page). No match is a
 * TLB refill; a match with V=0 is TLB invalid; a store with D=0 is TLB
 * modified. Status.ERL does not unmap kuseg on this machine.
 */
#include "internal.h"

/* Find the entry mapping va for asid: the lowest matching index, or -1.
 * Two matches count a statistic: software must never make them. */
int tlb_lookup(struct cpu *c, uint32_t va, uint32_t asid)
{
    int found = -1;
    for (int i = 0; i < MIPS_TLB_ENTRIES; i++) {
        const struct tlb_entry *e = &c->tlb[i];
        if (((e->hi ^ va) & ENTRYHI_VPN2_MASK) == 0 &&
            (e->global || (e->hi & ENTRYHI_ASID_MASK) == asid)) {
            if (found < 0)
                found = i;
            else {
                c->st.tlb_multiple++;
                break;
            }
        }
    }
    return found;
}

/* TLBP: the index matching EntryHi's VPN2 and ASID, or -1. */
int tlb_probe(const struct cpu *c, uint32_t entryhi)
{
    for (int i = 0; i < MIPS_TLB_ENTRIES; i++) {
        const struct tlb_entry *e = &c->tlb[i];
        if (((e->hi ^ entryhi) & ENTRYHI_VPN2_MASK) == 0 &&
            (e->global || ((e->hi ^ entryhi) & ENTRYHI_ASID_MASK) == 0))
            return i;
    }
    return -1;
}

enum xlate tlb_translate(struct cpu *c, uint32_t va, enum access acc, struct xlate_result *out)
{
    int mode = c->mode;
    out->mapped = false;
    out->cached = true;
    if (va < MIPS_KUSEG_END) {
        /* mapped in every mode */
    } else if (va < MIPS_KSEG1) {
        if (mode != MODE_KERNEL)
            return XL_ADDR_ERR;
        out->pa = va - MIPS_KSEG0;
        return XL_OK;
    } else if (va < MIPS_KSSEG) {
        if (mode != MODE_KERNEL)
            return XL_ADDR_ERR;
        out->pa = va - MIPS_KSEG1;
        out->cached = false;
        return XL_OK;
    } else if (va < MIPS_KSEG3) {
        if (mode == MODE_USER)
            return XL_ADDR_ERR;
    } else if (mode != MODE_KERNEL) {
        return XL_ADDR_ERR;
    }

    out->mapped = true;
    int i = tlb_lookup(c, va, c->entryhi & ENTRYHI_ASID_MASK);
    if (i < 0)
        return XL_TLB_REFILL;
    uint32_t lo = c->tlb[i].lo[(va >> MIPS_PAGE_SHIFT) & 1];
    if (!(lo & ENTRYLO_V))
        return XL_TLB_INVALID;
    if (acc == ACC_STORE && !(lo & ENTRYLO_D))
        return XL_TLB_MOD;
    uint64_t pfn = (lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT;
    out->pa = (pfn << MIPS_PAGE_SHIFT) | (va & (MIPS_PAGE_SIZE - 1));
    out->cached = ((lo & ENTRYLO_C_MASK) >> ENTRYLO_C_SHIFT) != ENTRYLO_C_UNCACHED;
    return XL_OK;
}

/* Forget every fast-path translation (an ASID change). */
void tc_flush(struct cpu *c)
{
    memset(c->tc, 0xFF, sizeof c->tc);
    c->fetch_vbase = TC_INVALID;
    fast_forget(c);
}

/* Forget the fast-path translations of one virtual page, in every mode. */
void tc_flush_vpage(struct cpu *c, uint32_t vpage)
{
    uint32_t slot = vpage & (TC_SIZE - 1);
    for (int mode = 0; mode < 3; mode++) {
        if (c->tc[mode].read[slot].vpage == vpage)
            c->tc[mode].read[slot].vpage = TC_INVALID;
        if (c->tc[mode].write[slot].vpage == vpage)
            c->tc[mode].write[slot].vpage = TC_INVALID;
    }
    if (c->fetch_vbase == vpage << MIPS_PAGE_SHIFT)
        c->fetch_vbase = TC_INVALID;
    fast_forget(c);
}

static void tc_flush_pair(struct cpu *c, uint32_t hi)
{
    uint32_t vpage = (hi & ENTRYHI_VPN2_MASK) >> MIPS_PAGE_SHIFT;
    tc_flush_vpage(c, vpage);
    tc_flush_vpage(c, vpage + 1);
}

/* TLBWI/TLBWR: the entry's G bit is the AND of both EntryLo G bits. */
void tlb_write(struct cpu *c, int index, uint32_t hi, uint32_t lo0, uint32_t lo1)
{
    struct tlb_entry *e = &c->tlb[index];
    tc_flush_pair(c, e->hi);
    e->hi = hi & (ENTRYHI_VPN2_MASK | ENTRYHI_ASID_MASK);
    e->global = (lo0 & lo1 & ENTRYLO_G) != 0;
    e->lo[0] = lo0 & ~ENTRYLO_G;
    e->lo[1] = lo1 & ~ENTRYLO_G;
    tc_flush_pair(c, e->hi);
}

/* Invalidate every entry: each gets a distinct VPN2 in kseg0, which is
 * never translated through the TLB, and V=0. */
void tlb_flush_all(struct cpu *c)
{
    for (int i = 0; i < MIPS_TLB_ENTRIES; i++) {
        c->tlb[i].hi = MIPS_KSEG0 + (uint32_t)i * 2 * MIPS_PAGE_SIZE;
        c->tlb[i].lo[0] = c->tlb[i].lo[1] = 0;
        c->tlb[i].global = false;
    }
    tc_flush(c);
}
