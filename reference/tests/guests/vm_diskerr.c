/*
 * vm_diskerr: a disk request the controller must refuse (it runs past the
 * end of the disk) ends at once in error *and* raises the completion
 * interrupt, as the machine's own disk controller does (MACHINE.md).
 */
#include "vmrt.h"

static volatile int got = -1;
static uint8_t buf[4096] __attribute__((aligned(4096)));

static void on_int(struct tf *tf)
{
    if (((tf->cause >> 2) & 31) == 0 && (tf->cause & (1u << 10))) {
        got = (int)mcall(MC_DISK_STATUS, 0, 0, 0, 0); /* acknowledges: IP2 goes */
        tf->status &= ~1u;
    }
}

int vm_main(int ncpus, uint32_t memsize, const char *args)
{
    (void)ncpus; (void)memsize; (void)args;
    on_general = on_int;
    uint32_t cap = mcall(MC_DISK_INFO, 0, 0, 0, 0);
    uint32_t rc = mcall(MC_DISK_IO, 0 | 1 << 8, cap, 8, kva2pa(buf));
    check(rc == (uint32_t)-1, "a request past the end of the disk is refused");
    MTC0(12, 0, (1u << 10) | 1u); /* IM2, IE: the pending IP2 is taken now */
    for (int i = 0; i < 3 && got < 0; i++)
        mcall(MC_IDLE, 0, 0, 0, 0);
    check(got == 3, "its completion interrupt came, with status error");
    check(mcall(MC_DISK_STATUS, 0, 0, 0, 0) == 0, "reading the status acknowledged it");
    rc = mcall(MC_DISK_IO, 0 | 1 << 8, 0, 8, kva2pa(buf));
    check(rc == 0, "a good request is started");
    return report("vm_diskerr");
}
