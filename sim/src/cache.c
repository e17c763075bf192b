/*
 * cache.c - the per-CPU cache model and the coherence directory.
 *
 * Each CPU has one unified cache (default 1 MB, 2-way, 128-byte lines) that
 * keeps tags only: the data always lives in memory, so the model decides
 * time, never values. Coherence is directory-style, as in FLASH's MAGIC
 * node controller: for every memory line the directory knows which caches
 * hold it and which one (if any) holds it dirty.
 *
 * Timing (MACHINE.md "Timing"): a miss costs lat_local cycles when the
 * line's home memory is on the CPU's own node, lat_remote otherwise, and
 * lat_remote when another cache holds the line dirty. A write to a line
 * held clean (an upgrade) costs a miss only when other caches must be
 * invalidated; with no other sharer the line is silently made exclusive
 * (as a MESI cache would). Every miss or upgrade that reaches the directory
 * counts in MAGIC's per-page, per-node counters.
 */
#include <stdlib.h>

#include "internal.h"

int cache_init(struct cache *ca, const struct sim_config *cfg)
{
    uint32_t lines = cfg->cache_size / cfg->cache_line;
    ca->ways = cfg->cache_assoc;
    ca->sets = lines / ca->ways;
    ca->set_mask = ca->sets - 1;
    ca->tags = calloc(lines, sizeof *ca->tags);
    ca->mru = calloc(ca->sets, 1);
    ca->victim = calloc(ca->sets, 1);
    return (ca->tags && ca->mru && ca->victim) ? 0 : -1;
}

void cache_free(struct cache *ca)
{
    free(ca->tags);
    free(ca->mru);
    free(ca->victim);
}

void cache_stall(struct cpu *c, uint32_t cycles, bool remote)
{
    c->cycles += cycles;
    if (remote)
        c->st.stall_remote += cycles;
    else
        c->st.stall_local += cycles;
}

/* Drop the line from one CPU's cache, if there. */
static void drop_line(struct cpu *d, uint32_t line)
{
    struct cache *ca = &d->cache;
    uint32_t *t = &ca->tags[(line & ca->set_mask) * ca->ways];
    for (uint32_t w = 0; w < ca->ways; w++)
        if ((t[w] & ~CT_DIRTY) == (line | CT_VALID))
            t[w] = 0;
    if (d->fetch_line == line)
        d->fetch_line = LINE_NONE;
    fast_forget(d);
}

/* Invalidate every cached copy of a line except CPU `except`'s. */
void cache_invalidate_line_all(struct sim *m, uint32_t line, int except)
{
    uint32_t keep = except >= 0 ? 1u << except : 0;
    uint32_t sharers = m->dir_sharers[line] & ~keep;
    while (sharers) {
        int i = __builtin_ctz(sharers);
        sharers &= sharers - 1;
        drop_line(&m->cpu[i], line);
    }
    m->dir_sharers[line] &= keep;
    if (m->dir_owner[line] && (int)m->dir_owner[line] - 1 != except)
        m->dir_owner[line] = 0;
}

/* Record a memory request from CPU c for the line at pa, served by node
 * `server`: statistics, MAGIC counters and the stall. */
static void charge_miss(struct cpu *c, uint32_t pa, int server, uint32_t cost)
{
    struct sim *m = c->m;
    bool remote = server != c->id;
    if (remote) {
        c->st.misses_remote++;
        m->node_st[server].served_remote++;
        m->node_st[server].remote_bytes += m->cfg.cache_line;
    } else {
        c->st.misses_local++;
        m->node_st[server].served_local++;
    }
    cache_stall(c, cost, remote);
    magic_count_miss(m, pa, c->id, c);
}

static int home_node(const struct sim *m, uint32_t pa)
{
    return (int)(pa >> m->node_shift);
}

static uint32_t latency(const struct sim *m, int server, int requester)
{
    return server == requester ? m->cfg.lat_local : m->cfg.lat_remote;
}

void cache_miss(struct cpu *c, uint32_t pa, bool write)
{
    struct sim *m = c->m;
    struct cache *ca = &c->cache;
    uint32_t line = pa >> m->line_shift;
    uint32_t set = line & ca->set_mask;
    uint32_t *t = &ca->tags[set * ca->ways];
    uint32_t me = 1u << c->id;

    fast_forget(c); /* this cache's tags are about to change */

    /* A write to a line we hold clean: an upgrade to exclusive. */
    for (uint32_t w = 0; w < ca->ways; w++) {
        if ((t[w] & ~CT_DIRTY) != (line | CT_VALID))
            continue;
        if (m->dir_sharers[line] & ~me) {
            cache_invalidate_line_all(m, line, c->id);
            int home = home_node(m, pa);
            charge_miss(c, pa, home, latency(m, home, c->id));
        }
        t[w] |= CT_DIRTY;
        m->dir_owner[line] = (uint8_t)(c->id + 1);
        ca->mru[set] = (uint8_t)w;
        return;
    }

    /* A real miss: who serves it, and at what cost. */
    int owner = (int)m->dir_owner[line] - 1;
    int server = home_node(m, pa);
    uint32_t cost = latency(m, server, c->id);
    if (owner >= 0 && owner != c->id) {
        server = owner;
        cost = m->cfg.lat_remote;
        if (!write) {
            /* The owner keeps a clean copy; memory is up to date again. */
            struct cache *oc = &m->cpu[owner].cache;
            uint32_t *ot = &oc->tags[(line & oc->set_mask) * oc->ways];
            for (uint32_t w = 0; w < oc->ways; w++)
                if ((ot[w] & ~CT_DIRTY) == (line | CT_VALID))
                    ot[w] &= ~CT_DIRTY;
            fast_forget(&m->cpu[owner]);
            m->dir_owner[line] = 0;
        }
    }
    if (write) {
        cache_invalidate_line_all(m, line, c->id);
        m->dir_owner[line] = (uint8_t)(c->id + 1);
    }

    /* Choose a victim: an invalid way, else round robin avoiding the MRU way. */
    uint32_t v = ca->ways;
    for (uint32_t w = 0; w < ca->ways; w++)
        if (!(t[w] & CT_VALID)) {
            v = w;
            break;
        }
    if (v == ca->ways) {
        v = ca->victim[set] % ca->ways;
        if (v == ca->mru[set] && ca->ways > 1)
            v = (v + 1) % ca->ways;
        ca->victim[set] = (uint8_t)((v + 1) % ca->ways);
        uint32_t vline = t[v] & ~(CT_VALID | CT_DIRTY);
        m->dir_sharers[vline] &= ~me;
        if (m->dir_owner[vline] == c->id + 1)
            m->dir_owner[vline] = 0; /* written back */
        if (c->fetch_line == vline)
            c->fetch_line = LINE_NONE;
    }
    t[v] = line | CT_VALID | (write ? CT_DIRTY : 0);
    m->dir_sharers[line] |= me;
    ca->mru[set] = (uint8_t)v;
    charge_miss(c, pa, server, cost);
}

/* An uncached access to memory: it pays the miss latency every time, and
 * an uncached write makes every cached copy stale. */
void cache_uncached(struct cpu *c, uint64_t pa, bool write)
{
    struct sim *m = c->m;
    if (!c->cache_on)
        return;
    if (write)
        cache_invalidate_line_all(m, (uint32_t)(pa >> m->line_shift), -1);
    int home = home_node(m, (uint32_t)pa);
    charge_miss(c, (uint32_t)pa, home, latency(m, home, c->id));
}
