/*
 * stats.c - phase markers and the statistics file (JSON, with jansson).
 *
 * A write to the MARK register (SimOS-style annotation) snapshots every
 * CPU's counters; the file then reports, besides the totals, one phase per
 * interval between marks, so a workload can bracket the part it wants
 * measured. The layout is documented in flash/stats.h.
 */
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>

#include "internal.h"

static const char *const time_names[TIME_COUNT] = {
    "user", "supervisor", "kernel", "monitor", "idle", "off",
};

static void snapshot(struct sim *m, struct sim_cpu_stats *out)
{
    for (int i = 0; i < m->ncpus; i++) {
        cpu_account(&m->cpu[i]);
        out[i] = m->cpu[i].st;
    }
}

void stats_mark(struct sim *m, struct cpu *c, uint32_t value)
{
    if (m->nmarks == m->marks_cap) {
        size_t cap = m->marks_cap ? m->marks_cap * 2 : 16;
        struct mark *nm = realloc(m->marks, cap * sizeof *nm);
        if (!nm)
            return;
        m->marks = nm;
        m->marks_cap = cap;
    }
    struct sim_cpu_stats *snap = malloc((size_t)m->ncpus * sizeof *snap);
    if (!snap)
        return;
    snapshot(m, snap);
    m->marks[m->nmarks++] = (struct mark){value, c->id, c->cycles, snap};
    if (m->timeline) {
        char what[32];
        snprintf(what, sizeof what, "mark %u", value);
        sim_timeline_instant(m, c->id, "mark", what, c->cycles, what);
    }
    if (tracing(m, SIM_TRACE_MARK))
        fprintf(m->trace, "mark cpu%d %" PRIu64 " %u\n", c->id, c->cycles, value);
}

void stats_free(struct sim *m)
{
    for (size_t i = 0; i < m->nmarks; i++)
        free(m->marks[i].snap);
    free(m->marks);
    m->marks = NULL;
    m->nmarks = m->marks_cap = 0;
}

/* b - a, field by field (a may be NULL: b itself). */
static struct sim_cpu_stats diff(const struct sim_cpu_stats *a, const struct sim_cpu_stats *b)
{
    if (!a)
        return *b;
    struct sim_cpu_stats d;
    const uint64_t *pa = (const uint64_t *)a, *pb = (const uint64_t *)b;
    uint64_t *pd = (uint64_t *)&d;
    for (size_t i = 0; i < sizeof d / sizeof(uint64_t); i++)
        pd[i] = pb[i] - pa[i];
    return d;
}

static void add(struct sim_cpu_stats *sum, const struct sim_cpu_stats *x)
{
    uint64_t *ps = (uint64_t *)sum;
    const uint64_t *px = (const uint64_t *)x;
    for (size_t i = 0; i < sizeof *sum / sizeof(uint64_t); i++)
        ps[i] += px[i];
}

static json_t *u64(uint64_t v)
{
    return json_integer((json_int_t)v);
}

static json_t *cpu_json(const struct sim_cpu_stats *s)
{
    json_t *insns = json_pack("{s:o,s:o,s:o}", "user", u64(s->insns[MODE_USER]), "supervisor",
                              u64(s->insns[MODE_SUPERVISOR]), "kernel", u64(s->insns[MODE_KERNEL]));
    json_t *cycles = json_object();
    for (int t = 0; t < TIME_COUNT; t++)
        json_object_set_new(cycles, time_names[t], u64(s->cycles[t]));
    json_t *exc = json_object();
    for (int e = 0; e < 14; e++)
        if (s->exceptions[e])
            json_object_set_new(exc, mips_exc_name((unsigned)e), u64(s->exceptions[e]));
    json_t *irq = json_object();
    for (int i = 0; i < 8; i++) {
        char name[8];
        snprintf(name, sizeof name, "IP%d", i);
        if (s->interrupts[i])
            json_object_set_new(irq, name, u64(s->interrupts[i]));
    }
    return json_pack("{s:o,s:o,s:{s:o,s:o},s:{s:o,s:o},s:{s:o,s:o,s:o,s:o},s:o,s:o}",
                     "insns", insns, "cycles", cycles,
                     "stall", "local", u64(s->stall_local), "remote", u64(s->stall_remote),
                     "misses", "local", u64(s->misses_local), "remote", u64(s->misses_remote),
                     "tlb", "refill", u64(s->tlb_refill), "invalid", u64(s->tlb_invalid),
                     "modified", u64(s->tlb_modified), "multiple_match", u64(s->tlb_multiple),
                     "exceptions", exc, "interrupts", irq);
}

static json_t *config_json(const struct sim_config *c)
{
    return json_pack("{s:i,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
                     "nodes", c->nodes, "mem_per_node", u64(c->mem_per_node),
                     "cache", c->cache_enabled, "cache_size", u64(c->cache_size),
                     "cache_assoc", u64(c->cache_assoc), "cache_line", u64(c->cache_line),
                     "lat_local", u64(c->lat_local), "lat_remote", u64(c->lat_remote),
                     "hot_threshold", u64(c->hot_threshold), "quantum", u64(c->quantum),
                     "seed", u64(c->seed), "max_cycles", u64(c->max_cycles));
}

/* One phase: counters from snapshot `from` (NULL: start) to `to`. */
static json_t *phase_json(struct sim *m, const struct mark *from, const struct mark *to,
                          const struct sim_cpu_stats *to_snap, uint64_t end)
{
    json_t *cpus = json_array();
    struct sim_cpu_stats total;
    memset(&total, 0, sizeof total);
    for (int i = 0; i < m->ncpus; i++) {
        struct sim_cpu_stats d = diff(from ? &from->snap[i] : NULL, &to_snap[i]);
        add(&total, &d);
        json_array_append_new(cpus, cpu_json(&d));
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}",
                     "from", from ? u64(from->value) : json_null(),
                     "to", to ? u64(to->value) : json_null(),
                     "start", u64(from ? from->cycle : 0), "end", u64(to ? to->cycle : end),
                     "total", cpu_json(&total), "cpus", cpus);
}

static uint64_t end_cycle(const struct sim *m)
{
    return m->now;
}

static const char *reason_name(enum sim_stop_reason r)
{
    switch (r) {
    case SIM_STOP_HALT: return "halt";
    case SIM_STOP_CYCLE_LIMIT: return "cycle_limit";
    case SIM_STOP_DOUBLE_FAULT: return "double_fault";
    case SIM_STOP_DEADLOCK: return "deadlock";
    case SIM_STOP_ERROR: return "error";
    }
    return "?";
}

int sim_write_stats(struct sim *m, const char *path, char *err, size_t errlen)
{
    struct sim_cpu_stats *now = malloc((size_t)m->ncpus * sizeof *now);
    if (!now) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    snapshot(m, now);
    uint64_t end = end_cycle(m);

    json_t *cpus = json_array();
    for (int i = 0; i < m->ncpus; i++) {
        json_t *j = cpu_json(&now[i]);
        json_object_set_new(j, "cpu", json_integer(i));
        json_array_append_new(cpus, j);
    }
    json_t *nodes = json_array();
    for (int i = 0; i < m->ncpus; i++)
        json_array_append_new(nodes, json_pack("{s:i,s:{s:o,s:o},s:o}", "node", i,
                                               "misses_served", "local",
                                               u64(m->node_st[i].served_local), "remote",
                                               u64(m->node_st[i].served_remote), "remote_bytes",
                                               u64(m->node_st[i].remote_bytes)));
    json_t *disks = json_array();
    for (int k = 0; k < m->ndisks; k++) {
        const struct sim_disk_stats *d = &m->disk[k].st;
        json_array_append_new(disks, json_pack("{s:i,s:o,s:o,s:o,s:o,s:o}", "disk", k, "reads",
                                               u64(d->reads), "writes", u64(d->writes),
                                               "sectors_read", u64(d->sectors_read),
                                               "sectors_written", u64(d->sectors_written),
                                               "errors", u64(d->errors)));
    }
    json_t *marks = json_array();
    for (size_t i = 0; i < m->nmarks; i++)
        json_array_append_new(marks, json_pack("{s:o,s:i,s:o}", "value", u64(m->marks[i].value),
                                               "cpu", m->marks[i].cpu, "cycle",
                                               u64(m->marks[i].cycle)));
    json_t *phases = json_array();
    for (size_t i = 0; i <= m->nmarks; i++) {
        const struct mark *from = i ? &m->marks[i - 1] : NULL;
        const struct mark *to = i < m->nmarks ? &m->marks[i] : NULL;
        json_array_append_new(phases, phase_json(m, from, to, to ? to->snap : now, end));
    }
    json_t *root = json_pack("{s:o,s:{s:s,s:i,s:s},s:o,s:o,s:o,s:{s:o,s:o},s:o,s:o,s:o}",
                             "cycles", u64(end),
                             "stop", "reason", reason_name(m->stop_reason), "status",
                             m->exit_status, "message", m->stop_msg,
                             "config", config_json(&m->cfg), "cpus", cpus, "nodes", nodes,
                             "magic", "hot_pages", u64(m->hot_pages), "dropped", u64(m->hot_dropped),
                             "disks", disks, "marks", marks, "phases", phases);
    free(now);
    if (!root) {
        snprintf(err, errlen, "cannot build the statistics");
        return -1;
    }
    int rc = json_dump_file(root, path, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
    json_decref(root);
    if (rc != 0) {
        snprintf(err, errlen, "%s: cannot write: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}
