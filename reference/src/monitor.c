/** @file
 * monitor.c - the monitor object: building the machine and the VMs,
 * running them, and the statistics.
 *
 * Paper section 4: Disco is a small layer between the machine and the
 * guests. Here it is host C driving the simulated FLASH machine through
 * the host API (sim/include/flash/hostapi.h), which is all it sees of the
 * hardware: every exception any CPU takes comes to emulate_trap().
 *
 * Start-up: every physical CPU is started, parked idle and kicked with an
 * IPI, so that its first trap schedules the first runnable vCPU (vCPU 0 of
 * each VM).
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "disco/emulate.h"
#include "disco/memmap.h"
#include "disco/check.h"
#include "disco/diskcache.h"
#include "disco/monitor.h"
#include "disco/numa.h"
#include "disco/trace.h"
#include "disco/sched.h"
#include "disco/vdev.h"
#include "disco/vm.h"

void monitor_charge(struct monitor *mon, uint32_t cycles)
{
    if (mon->cur_cpu >= 0)
        sim_cpu_charge(mon->m, mon->cur_cpu, cycles);
}

uint64_t monitor_now(const struct monitor *mon)
{
    return mon->cur_cpu >= 0 ? sim_cpu_cycles(mon->m, mon->cur_cpu) : sim_now(mon->m);
}

void monitor_tlb_drop(struct monitor *mon, int cpu, uint32_t hi)
{
    /* kseg0 and kseg1 are never translated: entries there are the
     * invalid fillers written below, never a translation to drop. */
    if (hi >= MIPS_KSEG0 && hi < MIPS_KSSEG)
        return;
    /* Every matching entry: a global one and one with the ASID may both
     * match the same pair. */
    for (int i; (i = sim_tlb_probe(mon->m, cpu, hi)) >= 0;) {
        /* A unique address in kseg0, which the TLB never translates. */
        struct sim_tlb_entry inval = {MIPS_KSEG0 + (uint32_t)i * 2 * MIPS_PAGE_SIZE, 0, 0, 0};
        sim_tlb_write(mon->m, cpu, i, &inval);
    }
}

void monitor_shootdown(struct monitor *mon, int cpu, uint32_t hi)
{
    if (cpu != mon->cur_cpu) {
        monitor_charge(mon, mon->cost.shootdown);      /* send the IPI, wait for it */
        sim_cpu_charge(mon->m, cpu, mon->cost.shootdown); /* take it, drop, return */
        mon->shootdowns++;
    }
    monitor_tlb_drop(mon, cpu, hi);
}

/* [monitor] memory_sample: keep the sample of the memory with the most
 * machine pages (the footprint of a workload while it runs, not after its
 * processes have gone). An event, so it charges no CPU; it stops when the
 * last VM has halted. */
static void sample_memory(struct sim *m, void *arg)
{
    struct monitor *mon = arg;
    (void)m;
    if (mon->vms_running == 0)
        return;
    struct monitor_memory mm = monitor_memory(mon);
    if (mm.m > mon->mem_peak.m) {
        mon->mem_peak = mm;
        mon->mem_peak_cycle = monitor_now(mon);
    }
    sim_event_at(mon->m, monitor_now(mon) + mon->cfg.memory_sample, sample_memory, mon);
}

struct monitor *monitor_create(const struct disco_config *cfg, FILE *out, char *err, size_t errlen)
{
    struct monitor *mon = calloc(1, sizeof *mon);
    if (!mon) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    mon->out = out;
    mon->cfg = cfg->monitor;
    mon->cur_cpu = -1;
    cost_default(&mon->cost);
    char why[256];
    mon->m = sim_create(&cfg->machine, why, sizeof why);
    if (!mon->m) {
        snprintf(err, errlen, "machine: %s", why);
        free(mon);
        return NULL;
    }
    mon->ncpus = sim_ncpus(mon->m);
    for (int i = 0; i < mon->ncpus; i++) {
        mon->pcpu[i].id = i;
        mon->pcpu[i].mon = mon;
    }
    mon->memmap = memmap_create(mon->m);
    if (!mon->memmap || diskcache_init(&mon->dcache, mon->memmap->npages) != 0) {
        snprintf(err, errlen, "out of memory for the memmap");
        monitor_destroy(mon);
        return NULL;
    }
    sim_set_exception_handler(mon->m, emulate_trap, mon);
    numa_init(mon);
    for (int i = 0; i < cfg->nvms; i++) {
        mon->vm[i] = vm_create(mon, i, &cfg->vm[i], err, errlen);
        if (!mon->vm[i]) {
            monitor_destroy(mon);
            return NULL;
        }
        mon->nvms++;
    }
    mon->vms_running = mon->nvms;
    for (int i = 0; i < mon->nvms; i++)
        sched_make_runnable(&mon->vm[i]->vcpu[0]);
    if (cfg->monitor.memory_sample)
        sim_event_at(mon->m, cfg->monitor.memory_sample, sample_memory, mon);
    /* Every CPU starts parked, with a kick waiting: its first trap
     * schedules. */
    for (int c = 0; c < mon->ncpus; c++) {
        sim_cpu_start(mon->m, c, MIPS_KSEG0, 0, 0);
        sim_cpu_idle(mon->m, c);
        sim_ipi_send(mon->m, c);
    }
    return mon;
}

int monitor_run(struct monitor *mon)
{
    enum sim_stop_reason why = sim_run(mon->m);
    for (int c = 0; c < mon->ncpus; c++)
        sched_account(mon, c);
    for (int i = 0; i < mon->nvms; i++)
        vdev_console_flush(mon->vm[i]);
    fflush(mon->out);
    if (mon->fatal)
        return 2;
    if (mon->cfg.check) {
        char bad[300];
        if (check_monitor(mon, bad, sizeof bad) != 0)
            check_fail("at the end of the run: %s", bad);
    }
    if (mon->hung) {
        fprintf(stderr, "disco: every VM is waiting and nothing can wake one: %d VM(s) hung\n",
                mon->vms_running);
        return 1;
    }
    switch (why) {
    case SIM_STOP_HALT: return sim_exit_status(mon->m);
    case SIM_STOP_CYCLE_LIMIT:
        fprintf(stderr, "disco: cycle limit reached with %d VM(s) still running\n", mon->vms_running);
        return 124;
    case SIM_STOP_DEADLOCK:
        fprintf(stderr, "disco: the machine deadlocked: %d VM(s) still running\n", mon->vms_running);
        return 1;
    default:
        fprintf(stderr, "disco: the machine stopped: %s\n", sim_stop_message(mon->m));
        return 2;
    }
}

void monitor_destroy(struct monitor *mon)
{
    if (!mon)
        return;
    trace_close(mon); /* a trace still open: finished as it stands */
    for (int i = 0; i < mon->nvms; i++)
        vm_destroy(mon->vm[i]);
    memmap_destroy(mon->memmap);
    diskcache_fini(&mon->dcache);
    sim_destroy(mon->m);
    free(mon);
}

struct vm *monitor_find_vm(struct monitor *mon, const char *name)
{
    for (int i = 0; i < mon->nvms; i++)
        if (!strcmp(mon->vm[i]->name, name))
            return mon->vm[i];
    return NULL;
}

struct vcpu_time monitor_vm_time(struct monitor *mon, const struct vm *vm)
{
    struct vcpu_time t = {0};
    for (int c = 0; c < mon->ncpus; c++)
        sched_account(mon, c);
    for (int i = 0; i < vm->nvcpus; i++) {
        const struct vcpu_time *x = &vm->vcpu[i].time;
        t.user += x->user;
        t.kernel += x->kernel;
        t.monitor += x->monitor;
        t.idle += x->idle;
    }
    return t;
}

void monitor_mark(struct monitor *mon, struct vm *vm, uint32_t value)
{
    if (mon->trace) {
        char what[64];
        snprintf(what, sizeof what, "%s: mark %u", vm->name, value);
        trace_instant(mon, -1, "mark", what, what);
    }
    if (vm->nmarks >= DISCO_MAX_MARKS) {
        vm->marks_dropped++; /* the guest decides how many: bounded, counted */
        return;
    }
    if (vm->nmarks == vm->marks_cap) {
        int cap = vm->marks_cap ? vm->marks_cap * 2 : 8;
        struct vm_mark *nm = realloc(vm->marks, (size_t)cap * sizeof *nm);
        if (!nm)
            return;
        vm->marks = nm;
        vm->marks_cap = cap;
    }
    uint64_t t = monitor_now(mon);
    vm->marks[vm->nmarks++] = (struct vm_mark){value, t, monitor_vm_time(mon, vm)};
}

/* ---- statistics ---- */

static json_t *u64(uint64_t v)
{
    return json_integer((json_int_t)v);
}

static json_t *time_json(const struct vcpu_time *t)
{
    return json_pack("{s:o,s:o,s:o,s:o}", "user", u64(t->user), "kernel", u64(t->kernel),
                     "monitor", u64(t->monitor), "idle", u64(t->idle));
}

/* The cache key's disk of shared machine page mpfn (diskcache.h), -1 if none. */
static int cache_disk(const struct monitor *mon, uint32_t mpfn)
{
    uint32_t slot = mon->memmap->page[mpfn].gpfn;
    return slot < mon->dcache.cap ? mon->dcache.slot[slot].mdisk : -1;
}

/* Is shared machine page mpfn kernel text (cached from a kernel ELF), not a disk block? */
static bool kernel_page(const struct monitor *mon, uint32_t mpfn)
{
    int d = cache_disk(mon, mpfn);
    return d >= DISKCACHE_KERNEL && d < DISKCACHE_NET;
}

/* Is shared machine page mpfn one the virtual network shares (vnet.c)? */
static bool net_page(const struct monitor *mon, uint32_t mpfn)
{
    return cache_disk(mon, mpfn) >= DISKCACHE_NET;
}

/* VM pages of vm that map a disk cache page; *kernel of them kernel text. */
static uint32_t shared_pages(const struct monitor *mon, const struct vm *vm, uint32_t *kernel)
{
    uint32_t n = 0;
    *kernel = 0;
    for (uint32_t g = 0; g < vm->npages; g++)
        if (vm->pmap[g].shared) {
            n++;
            *kernel += kernel_page(mon, vm->pmap[g].mpfn);
        }
    return n;
}

/* What guest page g of vm holds, by its own table (MC_PAGE_KINDS), read
 * without touching the caches; MC_NKINDS if it gave none or says nonsense. */
static unsigned page_kind(const struct monitor *mon, const struct vm *vm, uint32_t g)
{
    if (g >= vm->kinds_pages)
        return MC_NKINDS;
    uint32_t at = vm->kinds_gpa + g, t = at / MIPS_PAGE_SIZE;
    uint8_t kind = MC_KIND_FREE; /* an untouched page of the table is zero */
    if (vm->pmap[t].mpfn != NO_PAGE &&
        sim_mem_read(mon->m, -1, (uint64_t)vm->pmap[t].mpfn * MIPS_PAGE_SIZE + at % MIPS_PAGE_SIZE, &kind, 1) != 0)
        return MC_NKINDS;
    return kind < MC_NKINDS ? kind : MC_NKINDS;
}

/* Split r's V and M by what the guests say their pages hold. */
static void split_by_kind(const struct monitor *mon, struct monitor_memory *r)
{
    uint32_t npages = mon->memmap->npages;
    uint8_t *seen = calloc(npages / 8 + 1, 1); /* shared machine pages counted already */
    uint64_t classified = 0;
    if (!seen)
        return; /* no split: the statistics say less, nothing else */
    for (int i = 0; i < mon->nvms; i++) {
        const struct vm *vm = mon->vm[i];
        for (uint32_t g = 0; g < vm->npages; g++) {
            uint32_t p = vm->pmap[g].mpfn;
            if (p == NO_PAGE)
                continue;
            unsigned k = page_kind(mon, vm, g);
            r->v_kind[k]++;
            if (k == MC_KIND_FREE && getenv("DBGK")) fprintf(stderr, "free-backed vm%d g=%u shared=%d\n", i, g, vm->pmap[g].shared);
            if (vm->pmap[g].shared) {
                if (seen[p / 8] & (1u << (p % 8)))
                    continue;
                seen[p / 8] |= (uint8_t)(1u << (p % 8));
            }
            r->m_kind[k]++;
            classified++;
        }
    }
    free(seen);
    /* Replicas (lab 3) back no guest page of their own. */
    r->m_kind[MC_NKINDS] += r->m > classified ? r->m - classified : 0;
}

struct monitor_memory monitor_memory(const struct monitor *mon)
{
    struct monitor_memory r = {0};
    const struct memmap *mm = mon->memmap;
    for (int i = 0; i < mon->nvms; i++)
        r.v += mon->vm[i]->pages_allocated;
    for (uint32_t p = 0; p < mm->npages; p++) {
        const struct memmap_entry *me = &mm->page[p];
        if (me->free)
            continue;
        if (me->monitor)
            r.monitor++;
        else
            r.m++;
        if (me->shared && kernel_page(mon, p))
            r.kernel_cache++;
        else if (me->shared && net_page(mon, p))
            r.net_cache++;
        else if (me->shared)
            r.disk_cache++;
    }
    split_by_kind(mon, &r);
    return r;
}

static json_t *vm_json(struct monitor *mon, struct vm *vm)
{
    struct vcpu_time t = monitor_vm_time(mon, vm);
    uint32_t nkernel, nshared = shared_pages(mon, vm, &nkernel);
    uint64_t traps[14] = {0}, emulated = 0, hcalls = 0, misses = 0, kseg = 0, hits = 0, l2miss = 0,
             forwarded = 0, vints = 0;
    for (int i = 0; i < vm->nvcpus; i++) {
        const struct vcpu *v = &vm->vcpu[i];
        for (int e = 0; e < 14; e++)
            traps[e] += v->traps[e];
        emulated += v->emulated;
        hcalls += v->hcalls;
        misses += v->tlb_misses;
        kseg += v->kseg_misses;
        hits += v->l2.hits;
        l2miss += v->l2.misses;
        forwarded += v->forwarded;
        vints += v->vinterrupts;
    }
    json_t *tj = json_object();
    for (int e = 0; e < 14; e++)
        if (traps[e])
            json_object_set_new(tj, mips_exc_name((unsigned)e), u64(traps[e]));
    json_t *marks = json_array();
    for (int i = 0; i < vm->nmarks; i++)
        json_array_append_new(marks, json_pack("{s:o,s:o,s:o}", "value", u64(vm->marks[i].value),
                                               "cycle", u64(vm->marks[i].cycle), "time",
                                               time_json(&vm->marks[i].t)));
    json_t *o = json_pack(
        "{s:s,s:i,s:o,s:i,s:b,s:s,s:o,s:o,s:o,s:o,s:o,s:{s:o,s:o,s:o,s:o},s:{s:o,s:o,s:f},s:{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o},s:o,s:o}",
        "name", vm->name, "vcpus", vm->nvcpus, "memory", u64(vm->mem_bytes), "status", vm->exit_status,
        "stopped", vm->failed, "reason", vm->stop_reason, "time", time_json(&t), "traps", tj,
        "emulated", u64(emulated), "hcalls", u64(hcalls), "forwarded", u64(forwarded),
        "tlb", "misses", u64(misses), "kseg", u64(kseg), "l2_hits", u64(hits), "to_guest", u64(l2miss),
        "l2tlb", "hits", u64(hits), "misses", u64(l2miss), "hit_rate",
        hits + l2miss ? (double)hits / (double)(hits + l2miss) : 0.0,
        "pages", "allocated", u64(vm->pages_allocated), "peak", u64(vm->pages_peak), "zeroed",
        u64(vm->zero_pages), "freed", u64(vm->freed_pages), "free_deferred", u64(vm->free_pinned),
        "shared", u64(nshared), "shared_kernel", u64(nkernel), "cow_faults", u64(vm->cow_faults),
        "marks", marks, "marks_dropped", u64(vm->marks_dropped));
    const struct vnet_stats *n = &vm->net.stats;
    if (o && vm->net.addr)
        json_object_set_new(o, "net",
                            json_pack("{s:i,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "address", (int)vm->net.addr,
                                      "subnet", vm->net.subnet, "sent", u64(n->sent), "received",
                                      u64(n->received), "pages_remapped", u64(n->pages_remapped),
                                      "pages_copied", u64(n->pages_copied), "header_bytes",
                                      u64(n->header_bytes), "dropped", u64(n->dropped), "unreachable",
                                      u64(n->unreachable), "refused", u64(n->refused), "remaps",
                                      u64(n->remaps)));
    return o;
}


/* Pages by kind (MC_KIND_*), as monitor_memory splits them. */
static json_t *kinds_json(const uint64_t n[MC_NKINDS + 1])
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "kernel_text", u64(n[MC_KIND_KTEXT]), "kernel_data",
                     u64(n[MC_KIND_KDATA]), "buffer_cache", u64(n[MC_KIND_BUFFER]), "user",
                     u64(n[MC_KIND_USER]), "free", u64(n[MC_KIND_FREE]), "unclassified",
                     u64(n[MC_NKINDS]));
}

static json_t *memory_json(const struct monitor_memory *mm)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "V_pages", u64(mm->v), "M_pages", u64(mm->m),
                     "kernel_cache_pages", u64(mm->kernel_cache), "disk_cache_pages", u64(mm->disk_cache),
                     "net_pages", u64(mm->net_cache),
                     "monitor_pages", u64(mm->monitor), "V_kinds", kinds_json(mm->v_kind), "M_kinds",
                     kinds_json(mm->m_kind));
}

int monitor_write_stats(struct monitor *mon, const char *path, char *err, size_t errlen)
{
    struct monitor_memory mm = monitor_memory(mon);
    json_t *memory = memory_json(&mm);
    json_object_set_new(memory, "cache_hits", u64(mon->dcache.hits));
    json_object_set_new(memory, "cache_misses", u64(mon->dcache.misses));
    json_t *vms = json_array();
    for (int i = 0; i < mon->nvms; i++)
        json_array_append_new(vms, vm_json(mon, mon->vm[i]));
    json_t *cpus = json_array();
    for (int c = 0; c < mon->ncpus; c++) {
        const struct sim_cpu_stats *st = sim_cpu_stats(mon->m, c);
        json_array_append_new(cpus, json_pack("{s:i,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "cpu", c, "user",
                                              u64(st->cycles[TIME_USER]), "kernel",
                                              u64(st->cycles[TIME_SUPERVISOR]), "monitor",
                                              u64(st->cycles[TIME_MONITOR]), "idle",
                                              u64(st->cycles[TIME_IDLE]), "switches",
                                              u64(mon->pcpu[c].switches), "stall",
                                              u64(st->stall_local + st->stall_remote), "misses_local",
                                              u64(st->misses_local), "misses_remote",
                                              u64(st->misses_remote)));
    }
    const struct numa_stats *n = numa_stats(mon);
    json_t *numa = json_pack("{s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "on", mon->cfg.numa.on,
                             "hot_records", u64(n->hot_records), "migrations", u64(n->migrations),
                             "replications", u64(n->replications), "collapses", u64(n->collapses),
                             "left_shared", u64(n->left_shared), "left_capped", u64(n->left_capped),
                             "left_frozen", u64(n->left_frozen),
                             "left_busy", u64(n->left_busy), "left_no_memory", u64(n->left_no_memory),
                             "migrate_cycles", u64(n->migrate_cycles), "replicate_cycles",
                             u64(n->replicate_cycles), "collapse_cycles", u64(n->collapse_cycles));
    json_t *root = json_pack("{s:o,s:o,s:o,s:{s:o,s:o,s:o},s:o,s:o}", "cycles", u64(sim_now(mon->m)), "vms",
                             vms, "cpus", cpus, "monitor", "traps", u64(mon->traps), "idle_interrupts",
                             u64(mon->idle_interrupts), "shootdowns", u64(mon->shootdowns), "numa", numa,
                             "memory", memory);
    if (root && mon->mem_peak_cycle) {
        json_t *peak = memory_json(&mon->mem_peak);
        json_object_set_new(peak, "cycle", u64(mon->mem_peak_cycle));
        json_object_set_new(root, "memory_peak", peak);
    }
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

void monitor_print_summary(struct monitor *mon, FILE *f)
{
    fprintf(f, "%-10s %6s %7s %7s %7s %7s %10s %8s\n", "vm", "status", "user%", "kernel%", "monitor%",
            "idle%", "traps", "l2tlb%");
    for (int i = 0; i < mon->nvms; i++) {
        struct vm *vm = mon->vm[i];
        struct vcpu_time t = monitor_vm_time(mon, vm);
        double total = (double)(t.user + t.kernel + t.monitor + t.idle);
        uint64_t traps = 0, hits = 0, misses = 0;
        for (int k = 0; k < vm->nvcpus; k++) {
            for (int e = 0; e < 32; e++)
                traps += vm->vcpu[k].traps[e];
            hits += vm->vcpu[k].l2.hits;
            misses += vm->vcpu[k].l2.misses;
        }
        if (total == 0)
            total = 1;
        fprintf(f, "%-10s %6d %7.1f %7.1f %7.1f %7.1f %10llu %8.1f\n", vm->name, vm->exit_status,
                100.0 * (double)t.user / total, 100.0 * (double)t.kernel / total,
                100.0 * (double)t.monitor / total, 100.0 * (double)t.idle / total,
                (unsigned long long)traps, hits + misses ? 100.0 * (double)hits / (double)(hits + misses) : 0.0);
    }
    struct monitor_memory mm = monitor_memory(mon);
    fprintf(f, "memory: V %.1f MB (the VMs' pages, each alone), M %.1f MB (machine pages they use), M/V %.2f; "
            "monitor %.1f MB; shared: %llu kernel text pages, %llu disk blocks (%llu hits, %llu misses)\n",
            (double)mm.v * MIPS_PAGE_SIZE / (1 << 20), (double)mm.m * MIPS_PAGE_SIZE / (1 << 20),
            mm.v ? (double)mm.m / (double)mm.v : 0.0, (double)mm.monitor * MIPS_PAGE_SIZE / (1 << 20),
            (unsigned long long)mm.kernel_cache, (unsigned long long)mm.disk_cache,
            (unsigned long long)mon->dcache.hits, (unsigned long long)mon->dcache.misses);
}
