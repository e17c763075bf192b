/*
 * power.c - power and simulator control (physical 0x1F001000).
 *
 *   0x00 HALT      write: stop the machine; flashsim exits with value & 0xFF
 *   0x04 NCPUS     read-only: number of CPUs
 *   0x08 NODE_MEM  read-only: bytes of memory per node
 *   0x0C CPU_START write n: start CPU n (in reset) at CPU_PC, $a0 = n,
 *                  in kernel mode with Status.BEV=1 (as CPU 0 at reset);
 *                  a CPU that is not in reset, or no such CPU, is ignored
 *   0x10 CPU_PC    read/write: where CPU_START starts a CPU
 *   0x14 CYCLE_LO  read-only: the reading CPU's cycle count, low half;
 *                  the read latches the high half for CYCLE_HI
 *   0x18 CYCLE_HI  read-only: the high half latched by the last CYCLE_LO read
 *   0x1C MARK      write: record a phase marker in the statistics and trace
 */
#include "internal.h"

uint32_t power_read(struct cpu *c, uint32_t off, bool *ok)
{
    struct sim *m = c->m;
    switch (off) {
    case 0x00: case 0x0C: case 0x1C: return 0;
    case 0x04: return (uint32_t)m->ncpus;
    case 0x08: return m->cfg.mem_per_node;
    case 0x10: return m->cpu_start_pc;
    case 0x14:
        c->cycle_hi_latch = (uint32_t)(c->cycles >> 32);
        return (uint32_t)c->cycles;
    case 0x18: return c->cycle_hi_latch;
    default: *ok = false; return 0;
    }
}

bool power_write(struct cpu *c, uint32_t off, uint32_t v)
{
    struct sim *m = c->m;
    switch (off) {
    case 0x00: {
        char msg[64];
        snprintf(msg, sizeof msg, "cpu%d halted the machine with value %u", c->id, v);
        sim_request_stop(m, SIM_STOP_HALT, (int)(v & 0xFF), msg);
        return true;
    }
    case 0x0C:
        if (v < (uint32_t)m->ncpus && m->cpu[v].state == CPU_OFF)
            cpu_start(&m->cpu[v], c->cycles, m->cpu_start_pc, ST_BEV, v);
        return true;
    case 0x10: m->cpu_start_pc = v; return true;
    case 0x1C: stats_mark(m, c, v); return true;
    case 0x04: case 0x08: case 0x14: case 0x18: return true; /* read-only */
    default: return false;
    }
}
