/*
 * vm_cowdisk: a VM on a copy-on-write disk shared with other VMs (paper
 * section 4.2.5, lab 4). Its configuration names disk 0 "cow", and args
 * say which of them it is: "id=K of=N" (K from 0 to N - 1, N at most 8).
 * The image starts all zero (the scenarios' scratch disk).
 *
 *   1. It reads block 0 twice, into two buffers (the second read is a hit
 *      in the monitor's disk cache: the same machine page, read-only), and
 *      stores into the first: the second must not change.
 *   2. It writes block 10 + K and sector 200 + K with bytes of its own and
 *      reads them back.
 *   3. After a delay long enough for the other VMs to have written theirs,
 *      it reads blocks 10 .. 10 + N - 1 and sector 200 .. 200 + N - 1:
 *      its own hold its bytes, every other is still zero (a VM never sees
 *      another's writes, and the image is never written).
 *
 * Everything it prints is the same in every VM, so the scenarios' expected
 * consoles do not depend on timing.
 */
#include "vmrt.h"

#define SECTORS_PER_BLOCK 8

static uint8_t buf1[4096] __attribute__((aligned(4096)));
static uint8_t buf2[4096] __attribute__((aligned(4096)));
static uint8_t wbuf[4096] __attribute__((aligned(4096)));
static uint8_t rbuf[4096] __attribute__((aligned(4096)));

/* A disk request (op 1 read, 2 write), polled to its end; the status. */
static uint32_t disk(int op, uint32_t sector, uint32_t count, void *buf)
{
    if (mcall(MC_DISK_IO, 0 | ((uint32_t)op << 8), sector, count, kva2pa(buf)) != 0)
        return 3;
    uint32_t s;
    while ((s = mcall(MC_DISK_STATUS, 0, 0, 0, 0)) == 1)
        ;
    return s;
}

static int all(const uint8_t *p, uint32_t n, uint8_t v)
{
    for (uint32_t i = 0; i < n; i++)
        if (p[i] != v)
            return 0;
    return 1;
}

int vm_main(int ncpus, uint32_t memsize, const char *args)
{
    (void)ncpus;
    (void)memsize;
    int id = vm_arg(args, "id=", 0), of = vm_arg(args, "of=", 1);
    if (of < 1 || of > 8 || id < 0 || id >= of) {
        vm_printf("vm_cowdisk: bad args '%s'\n", args);
        return 1;
    }
    uint8_t mine = (uint8_t)(0xC0 + id);

    /* 1. One block in two buffers, then a store into one of them. */
    check(disk(1, 0, SECTORS_PER_BLOCK, buf1) == 2 && all(buf1, 4096, 0), "block 0 reads as the image (zero)");
    check(disk(1, 0, SECTORS_PER_BLOCK, buf2) == 2 && all(buf2, 4096, 0), "block 0 again, into another buffer");
    buf1[100] = mine;
    check(buf1[100] == mine && all(buf2, 4096, 0), "a store into one buffer leaves the other as read");

    /* 2. My block and my sector. */
    for (int i = 0; i < 4096; i++)
        wbuf[i] = mine;
    check(disk(2, (uint32_t)(10 + id) * SECTORS_PER_BLOCK, SECTORS_PER_BLOCK, wbuf) == 2, "my block written");
    check(disk(2, 200 + (uint32_t)id, 1, wbuf) == 2, "my sector written");
    check(disk(1, (uint32_t)(10 + id) * SECTORS_PER_BLOCK, SECTORS_PER_BLOCK, rbuf) == 2 &&
              all(rbuf, 4096, mine), "my block reads back as I wrote it");
    check(disk(1, 200 + (uint32_t)id, 1, rbuf) == 2 && all(rbuf, 512, mine), "my sector reads back");

    /* 3. Long enough for the others to write theirs, then everyone's. */
    for (volatile int i = 0; i < 200000; i++)
        ;
    int others_zero = 1, mine_kept = 1;
    for (int k = 0; k < of; k++) {
        uint8_t want = k == id ? mine : 0;
        if (disk(1, (uint32_t)(10 + k) * SECTORS_PER_BLOCK, SECTORS_PER_BLOCK, rbuf) != 2 || !all(rbuf, 4096, want) ||
            disk(1, 200 + (uint32_t)k, 1, rbuf) != 2 || !all(rbuf, 512, want)) {
            if (k == id)
                mine_kept = 0;
            else
                others_zero = 0;
        }
    }
    check(mine_kept, "my writes are still there");
    check(others_zero, "no other VM's writes are visible");
    /* A block the VM wrote a sector of is its own, not the cache's. */
    check(disk(1, 200 / SECTORS_PER_BLOCK * SECTORS_PER_BLOCK, SECTORS_PER_BLOCK, rbuf) == 2 &&
              rbuf[(200 + id) % SECTORS_PER_BLOCK * 512] == mine,
          "a whole-block read sees my sector inside it");
    vm_printf("%d VMs on one cow disk\n", of);
    return report("vm_cowdisk");
}
