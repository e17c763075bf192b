/*
 * ipi.c - inter-processor interrupts (physical 0x1F002000).
 *
 *   0x0 SEND  write n: raise IP4 on CPU n (no such CPU: ignored)
 *   0x4 ACK   write anything: clear IP4 on the writing CPU
 *
 * IP4 is a level: several SENDs before an ACK are one interrupt, so
 * software keeps its own mailbox of what each IPI asks for.
 */
#include "internal.h"

uint32_t ipi_read(struct sim *m, uint32_t off, bool *ok)
{
    (void)m;
    if (off != 0x0 && off != 0x4)
        *ok = false;
    return 0;
}

bool ipi_write(struct cpu *c, uint32_t off, uint32_t v)
{
    struct sim *m = c->m;
    switch (off) {
    case 0x0:
        if (v < (uint32_t)m->ncpus)
            cpu_set_ip(&m->cpu[v], IRQ_IPI, true);
        return true;
    case 0x4:
        cpu_set_ip(c, IRQ_IPI, false);
        return true;
    default: return false;
    }
}
