/*
 * magic.c - FLASH's MAGIC node controller: per-page, per-node miss counters
 * and the hot-page queue (physical 0x1F004000).
 *
 *   0x0 THRESHOLD   read/write: misses that make a page hot (at least 1)
 *   0x4 HOT_POP     read: next hot-page record, PFN * 256 + node, or
 *                   0xFFFFFFFF when the queue is empty
 *   0x8 RESET_ALL   write: zero every counter
 *   0xC RESET_PAGE  write a PFN: zero that page's counters
 *
 * Every cache miss (and every write upgrade that must invalidate other
 * copies) counts one for the machine page and the node of the CPU that
 * missed. When a counter reaches the threshold, the page and node go on the
 * hot-page queue and IP5 is raised on the CPU that missed; IP5 is cleared on
 * every CPU when a pop leaves the queue empty. A counter that has reached
 * the threshold goes on counting but is queued again only after a reset.
 * The queue holds 4096 records; further hot pages are dropped (and counted).
 * This is the information Disco's page migration and replication policy
 * uses (paper section 4.2.3).
 */
#include <stdlib.h>

#include "internal.h"

#define HOT_QUEUE_CAP 4096u

int magic_init(struct sim *m)
{
    uint64_t pages = m->ram_size >> MIPS_PAGE_SHIFT;
    m->magic = calloc(pages * (uint64_t)m->ncpus, sizeof *m->magic);
    m->hot.rec = calloc(HOT_QUEUE_CAP, sizeof *m->hot.rec);
    m->hot.cap = HOT_QUEUE_CAP;
    m->magic_threshold = m->cfg.hot_threshold;
    return (m->magic && m->hot.rec) ? 0 : -1;
}

void magic_free(struct sim *m)
{
    free(m->magic);
    free(m->hot.rec);
}

void magic_count_miss(struct sim *m, uint32_t pa, int node, struct cpu *c)
{
    uint32_t pfn = pa >> MIPS_PAGE_SHIFT;
    uint32_t *n = &m->magic[(uint64_t)pfn * (uint64_t)m->ncpus + (uint64_t)node];
    if (++*n != m->magic_threshold)
        return;
    struct hot_queue *q = &m->hot;
    if (q->len == q->cap) {
        m->hot_dropped++;
        return;
    }
    q->rec[(q->head + q->len) % q->cap] = pfn * 256u + (uint32_t)node;
    q->len++;
    m->hot_pages++;
    cpu_set_ip(c, IRQ_HOT, true);
}

bool magic_pop(struct sim *m, uint32_t *rec)
{
    struct hot_queue *q = &m->hot;
    bool got = q->len > 0;
    if (got) {
        *rec = q->rec[q->head];
        q->head = (q->head + 1) % q->cap;
        q->len--;
    }
    if (q->len == 0)
        for (int i = 0; i < m->ncpus; i++)
            cpu_set_ip(&m->cpu[i], IRQ_HOT, false);
    return got;
}

/* Zero the counters of one page, or of every page (pfn = UINT32_MAX). */
void magic_reset(struct sim *m, uint32_t pfn)
{
    uint64_t pages = m->ram_size >> MIPS_PAGE_SHIFT;
    if (pfn == UINT32_MAX)
        memset(m->magic, 0, pages * (uint64_t)m->ncpus * sizeof *m->magic);
    else if (pfn < pages)
        memset(&m->magic[(uint64_t)pfn * (uint64_t)m->ncpus], 0, (size_t)m->ncpus * sizeof *m->magic);
}

uint32_t magic_read_reg(struct sim *m, uint32_t off, bool *ok)
{
    uint32_t rec;
    switch (off) {
    case 0x0: return m->magic_threshold;
    case 0x4: return magic_pop(m, &rec) ? rec : 0xFFFFFFFFu;
    case 0x8: case 0xC: return 0;
    default: *ok = false; return 0;
    }
}

bool magic_write_reg(struct sim *m, uint32_t off, uint32_t v)
{
    switch (off) {
    case 0x0: m->magic_threshold = v ? v : 1; return true;
    case 0x4: return true; /* read-only */
    case 0x8: magic_reset(m, UINT32_MAX); return true;
    case 0xC: magic_reset(m, v); return true;
    default: return false;
    }
}
