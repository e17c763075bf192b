/*
 * dev.c - the device window: physical 0x1F000000-0x1FFFFFFF.
 *
 * Kernel software reaches it uncached through kseg1 at 0xBF000000. Each
 * device owns a 4 KB page of registers (MACHINE.md "Devices"):
 *
 *   0x000000  console             console.c
 *   0x001000  power and control   power.c
 *   0x002000  IPIs                ipi.c
 *   0x003000  disks 0..15, 0x100 apart   disk.c
 *   0x004000  MAGIC               magic.c
 *   0x005000  (reserved for a network interface)
 *
 * Registers are 32 bits wide; a byte or halfword access is a bus error,
 * except bytes to the console's TX and RX. An access to an offset where no
 * register is is a bus error too. Every device access is uncached and pays
 * the local miss latency.
 */
#include <inttypes.h>

#include "internal.h"

static void trace_dev(struct cpu *c, const char *what, uint32_t pa, uint32_t v)
{
    if (tracing(c->m, SIM_TRACE_DEV))
        fprintf(c->m->trace, "dev cpu%d %" PRIu64 " %s %08x = %08x\n", c->id, c->cycles, what, pa, v);
}

static bool byte_ok(uint32_t off, unsigned size)
{
    return size == 4 || (size == 1 && (off == 0x0 || off == 0x4)); /* console TX and RX */
}

bool dev_read(struct cpu *c, uint32_t pa, unsigned size, uint32_t *out)
{
    struct sim *m = c->m;
    uint32_t off = pa - DEV_BASE;
    bool ok = byte_ok(off, size);
    uint32_t v = 0;
    if (c->cache_on)
        cache_stall(c, m->cfg.lat_local, false);
    if (ok) {
        uint32_t reg = off & 0xFFF;
        switch (off >> 12) {
        case 0: v = console_read(m, reg, &ok); break;
        case 1: v = power_read(c, reg, &ok); break;
        case 2: v = ipi_read(m, reg, &ok); break;
        case 3: v = disk_read_reg(m, (int)(reg >> 8), reg & 0xFF, &ok); break;
        case 4: v = magic_read_reg(m, reg, &ok); break;
        default: ok = false; break;
        }
    }
    if (ok && size == 1)
        v &= 0xFF;
    trace_dev(c, ok ? "read" : "read (bus error)", pa, v);
    *out = v;
    return ok;
}

bool dev_write(struct cpu *c, uint32_t pa, unsigned size, uint32_t v)
{
    struct sim *m = c->m;
    uint32_t off = pa - DEV_BASE;
    bool ok = byte_ok(off, size);
    if (c->cache_on)
        cache_stall(c, m->cfg.lat_local, false);
    trace_dev(c, ok ? "write" : "write (bus error)", pa, v);
    if (!ok)
        return false;
    uint32_t reg = off & 0xFFF;
    switch (off >> 12) {
    case 0: return console_write(m, reg, size == 1 ? v & 0xFF : v);
    case 1: return power_write(c, reg, v);
    case 2: return ipi_write(c, reg, v);
    case 3: return disk_write_reg(c, (int)(reg >> 8), reg & 0xFF, v);
    case 4: return magic_write_reg(m, reg, v);
    default: return false;
    }
}
