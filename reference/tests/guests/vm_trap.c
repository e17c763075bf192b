/*
 * vm_trap: trap-and-emulate as a guest kernel sees it (lab 1 and 2).
 *
 * A user program in a page the guest maps through its (virtual) TLB makes
 * system calls, takes TLB refills that the guest handles, faults, and is
 * interrupted by the virtual timer. Every check is something a real CPU
 * would do the same way, so the program also documents what the monitor
 * must emulate.
 */
#include "vmrt.h"

#define USER_VA   0x00400000u   /* where the user code is mapped */
#define DATA_VA   0x00800000u   /* a data page the refill handler maps */
#define PTE_FLAGS ((3u << 3) | 0x4 | 0x2) /* C = 3, D, V */

static uint32_t user_page[1024] __attribute__((aligned(8192)));
static uint32_t data_page[2][1024] __attribute__((aligned(8192)));
static int refills, syscalls, ticks, breaks;
static uint32_t last_epc, last_badvaddr, last_cause;

static uint32_t lo_of(const void *p)
{
    return ((kva2pa(p) >> 12) << 6) | PTE_FLAGS;
}

/* The guest's refill handler: maps DATA_VA's pair on demand. */
static void refill(struct tf *tf)
{
    refills++;
    last_badvaddr = tf->badvaddr;
    uint32_t pair = tf->badvaddr & ~0x1FFFu;
    MTC0(10, 0, pair | 5);                   /* EntryHi: VPN2, ASID 5 */
    MTC0(2, 0, lo_of(data_page[0]));
    MTC0(3, 0, lo_of(data_page[1]));
    tlbwr();
}

static void general(struct tf *tf)
{
    uint32_t code = (tf->cause >> 2) & 31;
    last_cause = tf->cause;
    last_epc = tf->epc;
    switch (code) {
    case 0: /* the virtual timer */
        ticks++;
        MTC0(11, 0, MFC0(9, 0) + 100000);    /* next tick; clears IP7 */
        break;
    case 8: /* a system call from the user program */
        syscalls++;
        tf->r[2] = tf->r[4] * 2; /* v0 = 2 * a0 */
        tf->epc += 4;
        break;
    case 9: /* break */
        breaks++;
        tf->epc += 4;
        break;
    default:
        vm_printf("unexpected exception %u at 0x%08x\n", code, tf->epc);
        vm_halt(98);
    }
}

/* User code, as instruction words:
 *   li a0, 21; li v0, 1; syscall        -> v0 = 42
 *   lui t0, 0x80; sw v0, 0(t0)          -> refill of DATA_VA, store
 *   lw t1, 0(t0); break                 -> breakpoint
 *   loop: addiu t2, t2, 1; bne t2, t3, loop; nop   (t3 = 300000: timer ticks)
 *   move a0, t1; li v0, 0x7777; syscall -> back to the kernel with a0 */
static const uint32_t user_code[] = {
    0x24040015, 0x24020001, 0x0000000c,
    0x3c080080, 0xad020000,
    0x8d090000, 0x0000000d,
    0x240a0000, 0x3c0b0004, 0x356b93e0,
    0x254a0001, 0x154bfffe, 0x00000000,
    0x01202021, 0x24027777, 0x0000000c,
};

int vm_main(int ncpus, uint32_t memsize, const char *args)
{
    (void)ncpus; (void)memsize; (void)args;
    on_refill = refill;
    on_general = general;

    for (unsigned i = 0; i < sizeof user_code / 4; i++)
        user_page[i] = user_code[i];
    /* Map the user code with TLBWI at index 3, ASID 5. */
    MTC0(0, 0, 3);
    MTC0(10, 0, USER_VA | 5);
    MTC0(2, 0, lo_of(user_page));
    MTC0(3, 0, 0);
    tlbwi();
    MTC0(10, 0, USER_VA | 5);
    tlbp();
    check(MFC0(0, 0) == 3, "TLBP finds the entry written at index 3");
    MTC0(10, 0, 0x00600000 | 5);
    tlbp();
    check((MFC0(0, 0) & 0x80000000u) != 0, "TLBP sets Index.P for an unmapped page");
    MTC0(10, 0, 5);

    /* The virtual timer: IP7 enabled. */
    MTC0(11, 0, MFC0(9, 0) + 100000);
    MTC0(12, 0, 0x8001);                     /* IM7, IE: set again by run_user's Status */
    uint32_t got = run_user(USER_VA);

    check(syscalls == 1, "the user syscall reached the guest's general vector");
    check(got == 42, "the guest's result came back to the user program in v0");
    check(refills >= 1, "the user's store to an unmapped page went to the guest's refill vector");
    check(last_badvaddr == DATA_VA, "BadVAddr of that refill is the data address");
    check(data_page[0][0] == 42, "the store landed in the guest page the refill handler mapped");
    check(breaks == 1, "break reached the guest as Bp");
    check(ticks >= 3, "virtual timer interrupts were delivered (at least 3)");

    return report("vm_trap");
}
