/*
 * vm_bad: a misbehaving guest, for the containment tests. The boot
 * argument says what it does wrong; the monitor must stop this VM with a
 * clear message and let the others finish.
 *
 *   forge   write a TLB entry naming a page beyond its memory
 *   dma     start a disk read into memory it does not have
 *   mcall   pass a console buffer outside its memory
 *   bev     take an exception before clearing Status.BEV (a double fault)
 *   spin    loop forever (the VM's timeout stops it)
 *   panic   halt with status 3, as a kernel panic does
 *   hang    wait for an interrupt with none coming (no timer, no I/O)
 */
#include "vmrt.h"

static int eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

int vm_main(int ncpus, uint32_t memsize, const char *args)
{
    (void)ncpus;
    vm_printf("misbehaving: %s\n", args);
    if (eq(args, "forge")) {
        MTC0(0, 0, 0);
        MTC0(10, 0, 0x00400000);
        MTC0(2, 0, (((memsize + 0x100000) >> 12) << 6) | 0x1e); /* a PFN past the end */
        MTC0(3, 0, 0);
        tlbwi();
    } else if (eq(args, "dma")) {
        mcall(MC_DISK_IO, 0 | (1 << 8), 0, 8, memsize + 4096);
    } else if (eq(args, "mcall")) {
        mcall(MC_CONS_WRITE, memsize - 4, 64, 0, 0);
    } else if (eq(args, "bev")) {
        MTC0(12, 0, 0x00400000); /* BEV back on */
        __asm__ volatile("break");
    } else if (eq(args, "spin")) {
        for (;;)
            ;
    } else if (eq(args, "hang")) {
        for (;;)
            mcall(MC_IDLE, 0, 0, 0, 0);
    } else if (eq(args, "panic")) {
        vm_printf("panic: on purpose\n");
        return 3;
    }
    vm_printf("still running: the monitor did not stop me\n");
    return 0;
}
