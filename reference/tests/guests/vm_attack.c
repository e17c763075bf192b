/*
 * vm_attack: a VM that tries to reach another VM's memory, for the
 * isolation scenario (reference/tests/scenarios/isolation.conf), running
 * beside vm_victim. Each attack leaves a translation or a transfer aimed at
 * a page it has just given back to the monitor (MC_FREE_PAGE), which the
 * monitor may hand to the victim:
 *
 *   stale TLB  map a page with TLBWR, push that translation through the
 *              whole second-level TLB with further TLBWRs (so its victim
 *              slot is recycled), free the page, then keep reading and
 *              writing through the old translation.
 *   DMA read   start a disk read into 8 pages, free them before it ends.
 *   DMA write  start a disk write from 8 pages, free them before it ends,
 *              then read those sectors back and look for the victim's data.
 *
 * It prints what each attack reached; the victim checks its own memory.
 * With the monitor right, no attack reaches anything but the attacker's
 * own (fresh, zeroed) pages.
 */
#include "vmrt.h"

#define VA_STALE 0x00400000u     /* the translation left behind */
#define VA_FILL 0x01000000u      /* the translations that push it out */
#define NFILL (448 + 2 * 64)     /* more than the L2 TLB's victim slots */
#define PROBE_CYCLES 6000000u    /* how long to keep using the old translation */

static volatile uint32_t target[1024] __attribute__((aligned(4096)));
static volatile uint32_t filler[1024] __attribute__((aligned(4096)));
static volatile uint32_t dbuf[8][1024] __attribute__((aligned(4096)));
static volatile uint32_t wbuf[8][1024] __attribute__((aligned(4096)));
static volatile uint32_t rbuf[8][1024] __attribute__((aligned(4096)));

static int faulted;

/* A refill nobody can satisfy: the translation is gone. Skip the access. */
static void refill(struct tf *tf)
{
    faulted = 1;
    tf->epc += 4;
}

static uint32_t now(void)
{
    return mcall(MC_CYCLES, 0, 0, 0, 0);
}

static int foreign(uint32_t w)
{
    return (w >> 20) == 0x5EC; /* the victim's mark (vm_victim.c) */
}

static void tlb_write_random(uint32_t va, uint32_t pfn)
{
    MTC0(10, 0, va);                    /* EntryHi: VPN2, ASID 0 */
    MTC0(2, 0, (pfn << 6) | 0x1e);      /* EntryLo0: C=3, D, V */
    MTC0(3, 0, 0);                      /* EntryLo1: invalid */
    tlbwr();
}

/* Read and write through the old translation for a while. */
static int stale_tlb(void)
{
    uint32_t pfn = kva2pa(target) >> 12;
    target[0] = 0xA77AC000u;
    tlb_write_random(VA_STALE, pfn);
    int works = *(volatile uint32_t *)VA_STALE == 0xA77AC000u;
    uint32_t fpfn = kva2pa(filler) >> 12;
    filler[0] = 0;
    for (uint32_t i = 0; i < NFILL; i++)
        tlb_write_random(VA_FILL + i * 8192, fpfn);
    mcall(MC_FREE_PAGE, pfn << 12, 0, 0, 0);
    int leaked = 0, faults = 0;
    uint32_t t = now();
    for (uint32_t k = 0; now() - t < PROBE_CYCLES; k++) {
        faulted = 0;
        uint32_t w = *(volatile uint32_t *)VA_STALE;
        if (faulted) {
            faults++;
            continue;
        }
        leaked |= foreign(w);
        *(volatile uint32_t *)VA_STALE = 0xBADBAD00u | (k & 0xFF);
    }
    vm_printf("the mapping worked before the free: %s\n", works ? "yes" : "no");
    vm_printf("stale TLB: %s\n",
              leaked ? "READ ANOTHER VM'S MEMORY" : "reached only my own pages");
    (void)faults;
    return leaked;
}

static uint32_t disk_wait(void)
{
    uint32_t s;
    while ((s = mcall(MC_DISK_STATUS, 0, 0, 0, 0)) == 1)
        ;
    return s;
}

/* Start a transfer on 8 pages, free them at once, wait for the end. */
static uint32_t dma_then_free(volatile uint32_t (*buf)[1024], int op, uint32_t sector)
{
    for (int p = 0; p < 8; p++)
        for (int w = 0; w < 1024; w++)
            buf[p][w] = 0xA77AC000u | (uint32_t)w;
    mcall(MC_DISK_IO, 0 | ((uint32_t)op << 8), sector, 64, kva2pa(buf));
    for (int p = 0; p < 8; p++)
        mcall(MC_FREE_PAGE, kva2pa(buf[p]), 0, 0, 0);
    return disk_wait();
}

static int dma(void)
{
    uint32_t s1 = dma_then_free(dbuf, 1, 0);   /* disk -> freed pages */
    uint32_t s2 = dma_then_free(wbuf, 2, 64);  /* freed pages -> disk */
    /* What did the write put on my disk? */
    mcall(MC_DISK_IO, 0 | (1u << 8), 64, 64, kva2pa(rbuf));
    uint32_t s3 = disk_wait();
    int leaked = 0;
    for (int p = 0; p < 8; p++)
        for (int w = 0; w < 1024; w++)
            leaked |= foreign(rbuf[p][w]);
    vm_printf("disk transfers completed: %s\n", s1 == 2 && s2 == 2 && s3 == 2 ? "yes" : "no");
    vm_printf("DMA after free: %s\n",
              leaked ? "WROTE ANOTHER VM'S MEMORY TO MY DISK" : "reached only my own pages");
    return leaked;
}

int vm_main(int ncpus, uint32_t memsize, const char *args)
{
    (void)ncpus;
    (void)memsize;
    (void)args;
    on_refill = refill;
    int leaked = stale_tlb();
    leaked |= dma();
    return leaked ? 1 : 0;
}
