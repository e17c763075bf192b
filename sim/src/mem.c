/*
 * mem.c - the slow paths of loads, stores and instruction fetches.
 *
 * The common case (a cached RAM page translated recently) is handled inline
 * in exec.c through the per-CPU translation caches. Everything else comes
 * here: alignment checks, translation and TLB exceptions, uncached accesses,
 * device registers and bus errors. A successful translation of cached RAM is
 * entered into the translation cache so the next access to the page is fast.
 *
 * Physical address map: RAM at [0, nodes * mem_per_node), device registers
 * at [0x1F000000, 0x20000000); anything else is a bus error (IBE or DBE).
 */
#include "internal.h"

bool mem_is_ram(const struct sim *m, uint64_t pa, uint64_t len)
{
    return pa < m->ram_size && len <= m->ram_size - pa;
}

/* Raise the exception a failed translation asks for. */
static void xlate_fault(struct cpu *c, enum xlate r, uint32_t va, enum access acc)
{
    bool store = acc == ACC_STORE;
    switch (r) {
    case XL_ADDR_ERR:
        cpu_exception(c, store ? EXC_ADES : EXC_ADEL, va);
        break;
    case XL_TLB_REFILL:
        cpu_tlb_exception(c, store ? EXC_TLBS : EXC_TLBL, va, true);
        break;
    case XL_TLB_INVALID:
        cpu_tlb_exception(c, store ? EXC_TLBS : EXC_TLBL, va, false);
        break;
    case XL_TLB_MOD:
        cpu_tlb_exception(c, EXC_MOD, va, false);
        break;
    case XL_OK:
        break;
    }
}

/* Put va's translation into CPU c's translation cache tc (its read or its
 * write one); the entry it replaces may be one a fast-engine memo rests on. */
static void tc_insert(struct cpu *c, struct tc_entry *tc, uint32_t va, uint64_t pa)
{
    struct tc_entry *e = &tc[(va >> MIPS_PAGE_SHIFT) & (TC_SIZE - 1)];
    e->vpage = va >> MIPS_PAGE_SHIFT;
    e->ppage = (uint32_t)pa & ~(MIPS_PAGE_SIZE - 1);
    fast_forget(c);
}

static uint32_t ram_read(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return p[0];
    case 2: return ld16(p);
    default: return ld32(p);
    }
}

bool mem_load_pa(struct cpu *c, uint32_t va, unsigned size, uint32_t *out, uint64_t *pa_out)
{
    struct sim *m = c->m;
    if (va & (size - 1)) {
        cpu_exception(c, EXC_ADEL, va);
        return false;
    }
    struct xlate_result x;
    enum xlate r = tlb_translate(c, va, ACC_LOAD, &x);
    if (r != XL_OK) {
        xlate_fault(c, r, va, ACC_LOAD);
        return false;
    }
    if (pa_out)
        *pa_out = x.pa;
    if (mem_is_ram(m, x.pa, size)) {
        if (x.cached) {
            if (c->cache_on)
                cache_access(c, (uint32_t)x.pa, false);
            tc_insert(c, c->tc_read, va, x.pa);
        } else {
            cache_uncached(c, x.pa, false);
        }
        *out = ram_read(m->ram + x.pa, size);
        return true;
    }
    if (x.pa >= DEV_BASE && x.pa < DEV_END && dev_read(c, (uint32_t)x.pa, size, out))
        return true;
    cpu_exception(c, EXC_DBE, 0);
    return false;
}

bool mem_load(struct cpu *c, uint32_t va, unsigned size, uint32_t *out)
{
    return mem_load_pa(c, va, size, out, NULL);
}

/* Break the LL link of every other CPU linked to this line. */
void mem_ll_break(struct sim *m, int writer, uint32_t line)
{
    uint32_t mask = m->ll_mask & ~(writer >= 0 ? 1u << writer : 0);
    while (mask) {
        int i = __builtin_ctz(mask);
        mask &= mask - 1;
        if (m->cpu[i].ll_line == line) {
            m->cpu[i].ll_bit = false;
            m->ll_mask &= ~(1u << i);
        }
    }
}

bool mem_store(struct cpu *c, uint32_t va, unsigned size, uint32_t value)
{
    struct sim *m = c->m;
    if (va & (size - 1)) {
        cpu_exception(c, EXC_ADES, va);
        return false;
    }
    struct xlate_result x;
    enum xlate r = tlb_translate(c, va, ACC_STORE, &x);
    if (r != XL_OK) {
        xlate_fault(c, r, va, ACC_STORE);
        return false;
    }
    if (mem_is_ram(m, x.pa, size)) {
        uint32_t pa = (uint32_t)x.pa;
        if (x.cached) {
            if (c->cache_on)
                cache_access(c, pa, true);
            tc_insert(c, c->tc_write, va, pa);
        } else {
            cache_uncached(c, pa, true);
        }
        if (m->ll_mask & ~(1u << c->id))
            mem_ll_break(m, c->id, pa >> m->line_shift);
        uint8_t *p = m->ram + pa;
        switch (size) {
        case 1: p[0] = (uint8_t)value; break;
        case 2: st16(p, (uint16_t)value); break;
        default: st32(p, value); break;
        }
        return true;
    }
    if (x.pa >= DEV_BASE && x.pa < DEV_END && dev_write(c, (uint32_t)x.pa, size, value))
        return true;
    cpu_exception(c, EXC_DBE, 0);
    return false;
}

bool mem_fetch_slow(struct cpu *c, uint32_t va, uint32_t *insn)
{
    struct sim *m = c->m;
    if (va & 3) {
        cpu_fetch_exception(c, EXC_ADEL, false, false);
        return false;
    }
    struct xlate_result x;
    enum xlate r = tlb_translate(c, va, ACC_FETCH, &x);
    switch (r) {
    case XL_OK: break;
    case XL_TLB_REFILL: cpu_fetch_exception(c, EXC_TLBL, true, true); return false;
    case XL_TLB_INVALID: cpu_fetch_exception(c, EXC_TLBL, true, false); return false;
    default: cpu_fetch_exception(c, EXC_ADEL, false, false); return false;
    }
    if (!mem_is_ram(m, x.pa, 4)) {
        cpu_fetch_exception(c, EXC_IBE, false, false);
        return false;
    }
    uint32_t pa = (uint32_t)x.pa;
    if (x.cached) {
        c->fetch_vbase = va & ~(MIPS_PAGE_SIZE - 1);
        c->fetch_ppage = pa & ~(MIPS_PAGE_SIZE - 1);
        if (c->cache_on) {
            cache_access(c, pa, false);
            c->fetch_line = pa >> m->line_shift;
        }
    } else {
        cache_uncached(c, pa, false);
    }
    *insn = ld32(m->ram + pa);
    return true;
}

/* Break every CPU's LL link on the lines of [pa, pa+len). */
void mem_ll_break_range(struct sim *m, uint64_t pa, uint64_t len)
{
    if (len == 0 || !m->ll_mask)
        return;
    uint32_t first = (uint32_t)(pa >> m->line_shift);
    uint32_t last = (uint32_t)((pa + len - 1) >> m->line_shift);
    for (uint32_t line = first; line <= last; line++)
        mem_ll_break(m, -1, line);
}

/* A device (DMA) or the host wrote [pa, pa+len) behind the caches' back:
 * drop every cached copy and break LL links on those lines. */
void mem_dma_written(struct sim *m, uint64_t pa, uint64_t len)
{
    if (len == 0)
        return;
    if (m->cfg.cache_enabled) {
        uint32_t first = (uint32_t)(pa >> m->line_shift);
        uint32_t last = (uint32_t)((pa + len - 1) >> m->line_shift);
        for (uint32_t line = first; line <= last; line++)
            cache_invalidate_line_all(m, line, -1);
    }
    mem_ll_break_range(m, pa, len);
}
