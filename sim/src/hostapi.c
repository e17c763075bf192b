/*
 * hostapi.c - the host API of flash/hostapi.h: the monitor's view of the
 * machine. Each function checks its arguments and then does what the
 * hardware would; none of them lets a caller reach past the machine's own
 * state. See the header for the contract.
 */
#include <stdlib.h>

#include "internal.h"

static struct cpu *get_cpu(const struct sim *m, int cpu)
{
    return (m && cpu >= 0 && cpu < m->ncpus) ? &m->cpu[cpu] : NULL;
}

void sim_set_exception_handler(struct sim *m, sim_exception_fn fn, void *arg)
{
    m->handler = fn;
    m->handler_arg = arg;
}

uint32_t sim_cpu_reg(const struct sim *m, int cpu, int r)
{
    const struct cpu *c = get_cpu(m, cpu);
    return (c && r >= 0 && r < 32) ? c->gpr[r] : 0;
}

int sim_cpu_set_reg(struct sim *m, int cpu, int r, uint32_t value)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c || r < 0 || r >= 32)
        return -1;
    if (r)
        c->gpr[r] = value;
    return 0;
}

uint32_t sim_cpu_pc(const struct sim *m, int cpu)
{
    const struct cpu *c = get_cpu(m, cpu);
    return c ? c->pc : 0;
}

int sim_cpu_set_pc(struct sim *m, int cpu, uint32_t pc)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c)
        return -1;
    c->pc = pc;
    c->npc = pc + 4;
    c->delay = false;
    return 0;
}

uint32_t sim_cpu_hi(const struct sim *m, int cpu)
{
    const struct cpu *c = get_cpu(m, cpu);
    return c ? c->hi : 0;
}

uint32_t sim_cpu_lo(const struct sim *m, int cpu)
{
    const struct cpu *c = get_cpu(m, cpu);
    return c ? c->lo : 0;
}

int sim_cpu_set_hilo(struct sim *m, int cpu, uint32_t hi, uint32_t lo)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c)
        return -1;
    c->hi = hi;
    c->lo = lo;
    return 0;
}

uint32_t sim_cpu_cp0(const struct sim *m, int cpu, int reg, int sel)
{
    struct cpu *c = get_cpu(m, cpu);
    return c ? cp0_read(c, reg, sel) : 0;
}

int sim_cpu_set_cp0(struct sim *m, int cpu, int reg, int sel, uint32_t value)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c || reg < 0 || reg > 31)
        return -1;
    switch (reg) {
    case CP0_BADVADDR:
        c->badvaddr = value;
        break;
    case CP0_CAUSE: {
        /* Firmware may set the fields an exception sets, to forward one. */
        uint32_t fw = CAUSE_BD | CAUSE_CE_MASK | CAUSE_EXC_MASK;
        c->cause = (c->cause & ~fw) | (value & fw);
        cp0_write(c, reg, sel, value);
        break;
    }
    default:
        cp0_write(c, reg, sel, value);
        break;
    }
    return 0;
}

int sim_cpu_eret(struct sim *m, int cpu)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c)
        return -1;
    cpu_eret(c);
    return 0;
}

int sim_cpu_mode(const struct sim *m, int cpu)
{
    const struct cpu *c = get_cpu(m, cpu);
    return c ? c->mode : -1;
}

uint64_t sim_cpu_cycles(const struct sim *m, int cpu)
{
    const struct cpu *c = get_cpu(m, cpu);
    return c ? c->cycles : 0;
}

const struct sim_cpu_stats *sim_cpu_stats(struct sim *m, int cpu)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c)
        return NULL;
    cpu_account(c);
    return &c->st;
}

int sim_cpu_start(struct sim *m, int cpu, uint32_t pc, uint32_t status, uint32_t a0)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c || c->state != CPU_OFF)
        return -1;
    cpu_start(c, sim_caller_time(m), pc, status, a0);
    return 0;
}

int sim_cpu_stop(struct sim *m, int cpu)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c)
        return -1;
    cpu_stop(c);
    return 0;
}

bool sim_cpu_running(const struct sim *m, int cpu)
{
    const struct cpu *c = get_cpu(m, cpu);
    return c && c->state != CPU_OFF;
}

int sim_cpu_idle(struct sim *m, int cpu)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c || c->state == CPU_OFF)
        return -1;
    c->state = CPU_WAIT;
    c->host_idle = true;
    cpu_set_category(c, TIME_IDLE);
    cpu_irq_changed(c);
    return 0;
}

int sim_cpu_charge(struct sim *m, int cpu, uint64_t cycles)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c)
        return -1;
    int cat = c->cat;
    cpu_set_category(c, TIME_MONITOR);
    c->cycles += cycles;
    cpu_set_category(c, cat);
    return 0;
}

void sim_halt(struct sim *m, int status)
{
    char msg[64];
    snprintf(msg, sizeof msg, "the monitor halted the machine with value %d", status);
    sim_request_stop(m, SIM_STOP_HALT, status & 0xFF, msg);
}

/* ---- TLB ---- */

int sim_tlb_read(const struct sim *m, int cpu, int index, struct sim_tlb_entry *out)
{
    const struct cpu *c = get_cpu(m, cpu);
    if (!c || index < 0 || index >= MIPS_TLB_ENTRIES)
        return -1;
    const struct tlb_entry *e = &c->tlb[index];
    uint32_t g = e->global ? ENTRYLO_G : 0;
    *out = (struct sim_tlb_entry){e->hi, e->lo[0] | g, e->lo[1] | g, 0};
    return 0;
}

int sim_tlb_write(struct sim *m, int cpu, int index, const struct sim_tlb_entry *e)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c || index < 0 || index >= MIPS_TLB_ENTRIES || e->pagemask != 0)
        return -1;
    const uint32_t lo_mask = ENTRYLO_PFN_MASK | ENTRYLO_C_MASK | ENTRYLO_D | ENTRYLO_V | ENTRYLO_G;
    tlb_write(c, index, e->entryhi, e->entrylo0 & lo_mask, e->entrylo1 & lo_mask);
    return 0;
}

int sim_tlb_random(const struct sim *m, int cpu)
{
    const struct cpu *c = get_cpu(m, cpu);
    return c ? (int)cp0_random(c) : -1;
}

int sim_tlb_probe(const struct sim *m, int cpu, uint32_t entryhi)
{
    const struct cpu *c = get_cpu(m, cpu);
    return c ? tlb_probe(c, entryhi) : -1;
}

int sim_tlb_flush(struct sim *m, int cpu)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c)
        return -1;
    tlb_flush_all(c);
    return 0;
}

/* ---- machine memory ---- */

uint64_t sim_mem_size(const struct sim *m)
{
    return m->ram_size;
}

int sim_mem_node(const struct sim *m, uint64_t pa)
{
    return pa < m->ram_size ? (int)(pa >> m->node_shift) : -1;
}

/* Charge an access to [pa, pa+len) through cpu's cache, line by line. */
static void charge_lines(struct sim *m, struct cpu *c, uint64_t pa, uint32_t len, bool write)
{
    if (!c || !c->cache_on || len == 0)
        return;
    int cat = c->cat;
    cpu_set_category(c, TIME_MONITOR);
    uint32_t line = m->cfg.cache_line;
    for (uint64_t a = pa & ~(uint64_t)(line - 1); a < pa + len; a += line)
        cache_access(c, (uint32_t)a, write);
    cpu_set_category(c, cat);
}

static int check_access(struct sim *m, int cpu, uint64_t pa, uint32_t len, struct cpu **c)
{
    *c = NULL;
    if (cpu >= 0 && !(*c = get_cpu(m, cpu)))
        return -1;
    return mem_is_ram(m, pa, len) ? 0 : -1;
}

int sim_mem_read(struct sim *m, int cpu, uint64_t pa, void *buf, uint32_t len)
{
    struct cpu *c;
    if (check_access(m, cpu, pa, len, &c) != 0)
        return -1;
    charge_lines(m, c, pa, len, false);
    memcpy(buf, m->ram + pa, len);
    return 0;
}

int sim_mem_write(struct sim *m, int cpu, uint64_t pa, const void *buf, uint32_t len)
{
    struct cpu *c;
    if (check_access(m, cpu, pa, len, &c) != 0)
        return -1;
    if (c)
        charge_lines(m, c, pa, len, true);
    /* The writer's copy stays (charge_lines made it exclusive); everyone
     * else's copies go. Without a CPU, all copies go. Every LL link on the
     * lines breaks, the charged CPU's too: the monitor is not that CPU
     * executing a store, and its write must not be lost to an SC. */
    memmove(m->ram + pa, buf, len); /* buf may be machine memory (copy_page) */
    if (!c)
        mem_dma_written(m, pa, len);
    else
        mem_ll_break_range(m, pa, len);
    return 0;
}

int sim_mem_copy_page(struct sim *m, int cpu, uint64_t dst, uint64_t src)
{
    if ((dst | src) & (MIPS_PAGE_SIZE - 1))
        return -1;
    struct cpu *c;
    if (check_access(m, cpu, src, MIPS_PAGE_SIZE, &c) != 0 ||
        check_access(m, cpu, dst, MIPS_PAGE_SIZE, &c) != 0)
        return -1;
    charge_lines(m, c, src, MIPS_PAGE_SIZE, false);
    return sim_mem_write(m, cpu, dst, m->ram + src, MIPS_PAGE_SIZE);
}

int sim_mem_zero_page(struct sim *m, int cpu, uint64_t pa)
{
    static const uint8_t zero[MIPS_PAGE_SIZE];
    if (pa & (MIPS_PAGE_SIZE - 1))
        return -1;
    return sim_mem_write(m, cpu, pa, zero, MIPS_PAGE_SIZE);
}

/* ---- MAGIC ---- */

uint32_t sim_magic_count(const struct sim *m, uint32_t pfn, int node)
{
    if (pfn >= (m->ram_size >> MIPS_PAGE_SHIFT) || node < 0 || node >= m->ncpus)
        return 0;
    return m->magic[(uint64_t)pfn * (uint64_t)m->ncpus + (uint64_t)node];
}

void sim_magic_reset(struct sim *m, uint32_t pfn)
{
    magic_reset(m, pfn);
}

uint32_t sim_magic_threshold(const struct sim *m)
{
    return m->magic_threshold;
}

void sim_magic_set_threshold(struct sim *m, uint32_t misses)
{
    m->magic_threshold = misses ? misses : 1;
}

bool sim_magic_pop(struct sim *m, uint32_t *pfn, int *node)
{
    uint32_t rec;
    if (!magic_pop(m, &rec))
        return false;
    *pfn = rec >> 8;
    *node = (int)(rec & 0xFF);
    return true;
}

/* ---- disks ---- */

int sim_disk_count(const struct sim *m)
{
    return m->ndisks;
}

uint64_t sim_disk_capacity(const struct sim *m, int disk)
{
    return (disk >= 0 && disk < m->ndisks) ? m->disk[disk].sectors : 0;
}

int sim_disk_submit(struct sim *m, int disk, bool write, uint64_t sector, uint32_t count,
                    uint64_t pa, sim_disk_done_fn done, void *arg)
{
    return disk_submit(m, disk, write, sector, count, pa, false, done, arg);
}

const struct sim_disk_stats *sim_disk_stats(const struct sim *m, int disk)
{
    return (disk >= 0 && disk < m->ndisks) ? &m->disk[disk].st : NULL;
}

/* ---- interrupts and events ---- */

int sim_ipi_send(struct sim *m, int to)
{
    struct cpu *c = get_cpu(m, to);
    if (!c)
        return -1;
    cpu_set_ip(c, IRQ_IPI, true);
    return 0;
}

int sim_ipi_ack(struct sim *m, int cpu)
{
    struct cpu *c = get_cpu(m, cpu);
    if (!c)
        return -1;
    cpu_set_ip(c, IRQ_IPI, false);
    return 0;
}

uint64_t sim_event_at(struct sim *m, uint64_t when, sim_event_fn fn, void *arg)
{
    if (!fn)
        return 0;
    return event_add(m, when, fn, arg);
}

bool sim_event_cancel(struct sim *m, uint64_t id)
{
    return event_cancel(m, id);
}
