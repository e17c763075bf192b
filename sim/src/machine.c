/*
 * machine.c - creating a machine and running it.
 *
 * Determinism comes from running every CPU in one host thread, in a fixed
 * order, in time slices (MACHINE.md: "Everything the simulator does is
 * deterministic"). A slice runs from the machine's time `now` to
 *
 *     end = min(now + quantum, time of the next event, cycle limit)
 *
 * CPU 0 runs until its clock reaches end, then CPU 1, and so on; then the
 * events due at end fire, and the next slice starts. A CPU may pass end by
 * a few cycles (a miss in its last instruction) and then starts the next
 * slice a little late. What one CPU does (a store, an IPI) is seen by CPUs
 * later in the order in the same slice, and by earlier ones in the next:
 * the quantum (default 1000 cycles, about 3 us at 300 MHz) bounds how
 * stale one CPU's view of another can be. The same inputs always give the
 * same interleaving, cycle for cycle.
 *
 * When every CPU is waiting or off, the machine skips ahead to the next
 * event or timer; if there is none and every CPU is off, it has deadlocked.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void sim_config_default(struct sim_config *cfg)
{
    *cfg = (struct sim_config){
        .nodes = 8,
        .mem_per_node = 32u << 20,
        .cache_enabled = true,
        .cache_size = 1u << 20,
        .cache_assoc = 2,
        .cache_line = 128,
        .lat_local = 90,
        .lat_remote = 270,
        .hot_threshold = 64,
        .quantum = 1000,
        .max_cycles = 0,
        .seed = 1,
        .disk_seek = 300000,
        .disk_rotation = 1200000,
        .disk_overhead = 15000,
        .disk_mbps = 20,
        .trace = 0,
        .console_in_fd = 0,
        .engine = SIM_ENGINE_FAST,
    };
}

static bool pow2(uint64_t x)
{
    return x && !(x & (x - 1));
}

int sim_config_check(const struct sim_config *cfg, char *err, size_t errlen)
{
    const char *why = NULL;
    if (cfg->nodes < 1 || cfg->nodes > SIM_MAX_NODES)
        why = "nodes must be between 1 and 32";
    else if (!pow2(cfg->mem_per_node) || cfg->mem_per_node < (64u << 10))
        why = "memory per node must be a power of two of at least 64K";
    else if ((uint64_t)cfg->nodes * cfg->mem_per_node >= SIM_MAX_MEMORY)
        why = "total memory must stay below 496M (0x1F000000)";
    else if (!pow2(cfg->cache_line) || cfg->cache_line < 16 || cfg->cache_line > 4096)
        why = "cache line must be a power of two between 16 and 4096 bytes";
    else if (cfg->cache_assoc < 1 || cfg->cache_assoc > 16)
        why = "cache associativity must be between 1 and 16";
    else if (!pow2(cfg->cache_size) || cfg->cache_size < cfg->cache_line * cfg->cache_assoc)
        why = "cache size must be a power of two holding at least one set";
    else if (!pow2(cfg->cache_size / cfg->cache_line / cfg->cache_assoc))
        why = "cache size / (line * associativity) must be a power of two";
    else if (cfg->quantum < 1)
        why = "quantum must be at least 1 cycle";
    else if (cfg->hot_threshold < 1)
        why = "hot-page threshold must be at least 1";
    else if (cfg->disk_mbps < 1)
        why = "disk bandwidth must be at least 1 MB/s";
    else if (cfg->engine != SIM_ENGINE_FAST && cfg->engine != SIM_ENGINE_INTERP)
        why = "unknown execution engine";
    if (why) {
        snprintf(err, errlen, "%s", why);
        return -1;
    }
    return 0;
}

struct sim *sim_create(const struct sim_config *cfg, char *err, size_t errlen)
{
    if (sim_config_check(cfg, err, errlen) != 0)
        return NULL;
    struct sim *m = calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    m->cfg = *cfg;
    m->ncpus = cfg->nodes;
    m->trace = cfg->trace_out ? cfg->trace_out : stderr;
    m->ram_size = (uint64_t)cfg->nodes * cfg->mem_per_node;
    m->node_shift = (unsigned)__builtin_ctz(cfg->mem_per_node);
    m->line_shift = (unsigned)__builtin_ctz(cfg->cache_line);
    m->rng = cfg->seed * 0x9E3779B97F4A7C15ull + 1; /* never zero for xorshift */
    m->ram = calloc(1, m->ram_size);
    m->cpu = calloc((size_t)m->ncpus, sizeof *m->cpu);
    m->node_st = calloc((size_t)m->ncpus, sizeof *m->node_st);
    if (!m->ram || !m->cpu || !m->node_st || magic_init(m) != 0)
        goto nomem;
    if (cfg->cache_enabled) {
        uint64_t lines = m->ram_size >> m->line_shift;
        m->dir_sharers = calloc(lines, sizeof *m->dir_sharers);
        m->dir_owner = calloc(lines, sizeof *m->dir_owner);
        if (!m->dir_sharers || !m->dir_owner)
            goto nomem;
    }
    if (cfg->engine == SIM_ENGINE_FAST && fast_init(m) != 0)
        goto nomem;
    for (int i = 0; i < m->ncpus; i++) {
        if (cfg->cache_enabled && cache_init(&m->cpu[i].cache, cfg) != 0)
            goto nomem;
        cpu_init(&m->cpu[i], m, i);
    }
    console_init(m);
    return m;
nomem:
    snprintf(err, errlen, "out of memory for a machine of %d nodes of %u bytes", cfg->nodes,
             cfg->mem_per_node);
    sim_destroy(m);
    return NULL;
}

void sim_destroy(struct sim *m)
{
    if (!m)
        return;
    if (m->cons.out)
        fflush(m->cons.out);
    sim_timeline_close(m); /* a timeline still open: finished as it stands */
    disk_close_all(m);
    event_free(m);
    stats_free(m);
    magic_free(m);
    if (m->cpu)
        for (int i = 0; i < m->ncpus; i++)
            cache_free(&m->cpu[i].cache);
    free(m->cpu);
    free(m->node_st);
    free(m->dir_sharers);
    free(m->dir_owner);
    fast_free(m);
    free(m->ram);
    free(m);
}

int sim_attach_disk(struct sim *m, const char *path, bool read_only, char *err, size_t errlen)
{
    return disk_attach(m, path, read_only, err, errlen);
}

void sim_request_stop(struct sim *m, enum sim_stop_reason why, int status, const char *msg)
{
    if (m->stop)
        return;
    m->stop = true;
    m->stop_cycle = m->running ? m->running->cycles : m->now;
    m->stop_reason = why;
    m->exit_status = status;
    snprintf(m->stop_msg, sizeof m->stop_msg, "%s", msg);
    for (int i = 0; i < m->ncpus; i++)
        m->cpu[i].deadline = 0;
}

/* True if no CPU can execute an instruction before something wakes it. */
static bool all_asleep(const struct sim *m)
{
    for (int i = 0; i < m->ncpus; i++) {
        const struct cpu *c = &m->cpu[i];
        if (c->state == CPU_RUN || (c->state == CPU_WAIT && (c->cause & CAUSE_IP_MASK)))
            return false;
    }
    return true;
}

/* The earliest time a sleeping machine can wake: an event or a timer. */
static uint64_t next_wakeup(const struct sim *m)
{
    uint64_t t = event_next_time(m);
    for (int i = 0; i < m->ncpus; i++)
        if (m->cpu[i].state == CPU_WAIT && m->cpu[i].timer_at < t)
            t = m->cpu[i].timer_at;
    return t;
}

enum sim_stop_reason sim_run(struct sim *m)
{
    uint64_t limit = m->cfg.max_cycles ? m->cfg.max_cycles : UINT64_MAX;
    while (!m->stop) {
        if (unlikely(m->gdb != NULL)) {
            gdb_slice_hook(m); /* gdb's ^C (gdb.c) */
            if (m->stop)
                break;
        }
        event_run_due(m);
        console_poll(m);
        if (m->stop)
            break;
        if (m->now >= limit) {
            sim_request_stop(m, SIM_STOP_CYCLE_LIMIT, SIM_EXIT_CYCLE_LIMIT, "cycle limit reached");
            break;
        }
        uint64_t end = m->now + m->cfg.quantum;
        if (all_asleep(m)) {
            /* A waiting CPU's timer always fires within 2^32 cycles, so
             * only a machine whose CPUs are all off can wait forever. */
            uint64_t wake = next_wakeup(m);
            if (wake == UINT64_MAX) {
                sim_request_stop(m, SIM_STOP_DEADLOCK, SIM_EXIT_DEADLOCK,
                                 "deadlock: every CPU is off and no event is pending");
                break;
            }
            if (wake > end)
                end = wake;
        }
        uint64_t ev = event_next_time(m);
        if (ev < end)
            end = ev;
        if (limit < end)
            end = limit;
        for (int i = 0; i < m->ncpus && !m->stop; i++) {
            m->running = &m->cpu[i];
            cpu_run(&m->cpu[i], end);
        }
        m->running = NULL;
        m->now = end;
        if (m->timeline)
            timeline_tick(m);
    }
    /* A stop in the middle of a slice happened at the stopping CPU's time. */
    if (m->stop_cycle)
        m->now = m->stop_cycle;
    for (int i = 0; i < m->ncpus; i++)
        cpu_account(&m->cpu[i]);
    fflush(m->cons.out);
    return m->stop_reason;
}

int sim_exit_status(const struct sim *m)
{
    return m->exit_status;
}

const char *sim_stop_message(const struct sim *m)
{
    return m->stop_msg;
}

uint64_t sim_now(const struct sim *m)
{
    return m->now;
}

int sim_ncpus(const struct sim *m)
{
    return m->ncpus;
}

const struct sim_config *sim_config(const struct sim *m)
{
    return &m->cfg;
}
