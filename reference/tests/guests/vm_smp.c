/*
 * vm_smp: a multiprocessor VM. vCPU 0 starts the others with MC_CPU_START;
 * all of them add to a shared counter under an LL/SC spinlock, then each
 * sends an IPI to vCPU 0, which waits for them with WAIT (the monitor
 * deschedules a waiting vCPU). Run with more vCPUs than CPUs, it checks
 * that the monitor time-shares them correctly.
 */
#include "vmrt.h"

#define ROUNDS 2000

static volatile uint32_t lock, counter, arrived, ipis;

static void worker(int id)
{
    for (int i = 0; i < ROUNDS; i++) {
        spin_lock(&lock);
        counter++;
        spin_unlock(&lock);
    }
    spin_lock(&lock);
    arrived++;
    spin_unlock(&lock);
    mcall(MC_IPI_SEND, 0, 0, 0, 0);
    (void)id;
}

static void general(struct tf *tf)
{
    uint32_t code = (tf->cause >> 2) & 31;
    if (code != 0 || !(tf->cause & (1u << 12))) {
        vm_printf("unexpected exception %u (cause 0x%x)\n", code, tf->cause);
        vm_halt(97);
    }
    ipis++;
    mcall(MC_IPI_ACK, 0, 0, 0, 0);
}

int vm_main(int ncpus, uint32_t memsize, const char *args)
{
    (void)memsize; (void)args;
    on_general = general;
    MTC0(12, 0, 0x1001); /* IM4 (IPI), IE */
    for (int i = 1; i < ncpus; i++)
        vm_start_cpu(i, worker);
    worker(0);
    /* Wait for everyone: WAIT until an IPI, as long as some are missing. */
    while (arrived < (uint32_t)ncpus)
        __asm__ volatile("wait");
    check(counter == (uint32_t)ncpus * ROUNDS, "the LL/SC counter is exact");
    check(ipis >= 1, "IPIs between vCPUs are delivered");
    vm_printf("%d vcpus, counter %u\n", ncpus, counter);
    return report("vm_smp");
}
