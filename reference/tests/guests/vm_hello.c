/*
 * vm_hello: the smallest VM. Prints what the monitor told it at reset and a
 * few virtual CP0 registers, then halts with status 0.
 */
#include "vmrt.h"

int vm_main(int ncpus, uint32_t memsize, const char *args)
{
    vm_printf("hello from vm %u: %d vcpu(s), %u KB, args '%s'\n", mcall(MC_INFO, MC_INFO_VMID, 0, 0, 0),
              ncpus, memsize >> 10, args);
    check(MFC0(15, 1) == 0x80000000u, "EBase says vCPU 0");
    check(MFC0(15, 0) == 0x00018001u, "PRId is the machine's");
    check((MFC0(12, 0) & 0x00400000u) == 0, "Status.BEV cleared by the guest's MTC0");
    check(mcall(MC_INFO, MC_INFO_NCPUS, 0, 0, 0) == (uint32_t)ncpus, "MC_INFO agrees on vCPUs");
    check(mcall(MC_INFO, MC_INFO_MEMSIZE, 0, 0, 0) == memsize, "MC_INFO agrees on memory");
    return report("vm_hello");
}
