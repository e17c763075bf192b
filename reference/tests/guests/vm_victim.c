/*
 * vm_victim: a VM that checks its own memory, for the isolation scenario
 * (reference/tests/scenarios/isolation.conf). It takes fresh pages one at a
 * time, slowly, so that pages another VM gives back are likely to become
 * its own while that VM still runs; fills each with words only it writes;
 * and checks them all, again and again, and once more at the end, after
 * any disk transfer another VM started has long completed. If any word
 * changed, another VM reached its memory: it says where and halts with 1.
 * With the argument "all" it then writes and reads back every other page
 * of its memory too (a VM that fits the machine exactly must get them).
 */
#include "vmrt.h"

#define NPAGES 160
#define STEP 40000u         /* cycles between two new pages */
#define SETTLE 12000000u    /* cycles to wait before the last check */

static volatile uint32_t mem[NPAGES][1024] __attribute__((aligned(4096)));

/* The victim's mark: 0x5EC in the top bits, then the page and the word. */
static uint32_t pattern(int page, int word)
{
    return 0x5EC00000u | ((uint32_t)page << 10) | (uint32_t)word;
}

static uint32_t now(void)
{
    return mcall(MC_CYCLES, 0, 0, 0, 0);
}

static void wait_cycles(uint32_t n)
{
    uint32_t t = now();
    while (now() - t < n)
        ;
}

/* Check pages [0, upto); on a changed word, report it and stop. */
static void verify(int upto)
{
    for (int p = 0; p < upto; p++) {
        for (int w = 0; w < 1024; w++) {
            uint32_t got = mem[p][w];
            if (got != pattern(p, w)) {
                vm_printf("page %d word %d is 0x%x, not 0x%x: another VM wrote my memory\n", p, w,
                          got, pattern(p, w));
                vm_halt(1);
            }
        }
    }
}

/* Every page from the end of the program to the boot-argument page. */
static void touch_all(uint32_t memsize)
{
    extern char __bss_end[];
    uint32_t first = ((uint32_t)(uintptr_t)__bss_end + 4095) & ~4095u;
    uint32_t last = MC_KSEG + memsize - 4096, n = 0;
    for (uint32_t a = first; a < last; a += 4096, n++)
        *(volatile uint32_t *)a = a;
    for (uint32_t a = first; a < last; a += 4096) {
        if (*(volatile uint32_t *)a != a) {
            vm_printf("page at 0x%x lost what I wrote\n", a);
            vm_halt(1);
        }
    }
    vm_printf("wrote and read back %u more pages: all of my memory\n", n);
}

int vm_main(int ncpus, uint32_t memsize, const char *args)
{
    (void)ncpus;
    vm_printf("filling %d pages\n", NPAGES);
    for (int p = 0; p < NPAGES; p++) {
        for (int w = 0; w < 1024; w++)
            mem[p][w] = pattern(p, w);
        if (p % 8 == 7)
            verify(p + 1);
        wait_cycles(STEP);
    }
    wait_cycles(SETTLE);
    verify(NPAGES);
    vm_printf("all %d pages hold what I wrote\n", NPAGES);
    if (args[0] == 'a' && args[1] == 'l' && args[2] == 'l' && !args[3])
        touch_all(memsize);
    return 0;
}
