/*
 * cowdisk.c - the path of a virtual disk request to the machine's disks
 * (lab 4 turns it into copy-on-write disks).
 *
 * Paper section 4.2.5. The monitor intercepts every DMA: it translates the
 * guest physical buffer page by page through the pmap (the guest's pages
 * are not contiguous in machine memory) and issues one machine request per
 * page. When the last completes, the virtual disk is done and its vCPU gets
 * the virtual IP2. This version gives each VM private, persistent disks;
 * the copy-on-write sharing of non-persistent disks (a global disk cache,
 * read-only mappings of DMA targets, per-VM modified-sector records) is
 * lab 4.
 */
#include "disco/cowdisk.h"
#include "disco/monitor.h"
#include "disco/pmap.h"
#include "disco/vdev.h"
#include "disco/vm.h"

static void page_done(struct sim *m, int disk, bool ok, void *arg)
{
    struct vdisk *d = arg;
    (void)m;
    (void)disk;
    if (!ok)
        d->failed = true;
    if (--d->pending > 0 || d->vm->halted)
        return;
    d->status = d->failed ? 3 : 2;
    vdev_set_irq(d->waiter, IRQ_DISK, true);
}

/* LAB 4 BEGIN cowdisk_io */
int cowdisk_io(struct vcpu *v, int disk, bool write, uint32_t sector, uint32_t count, uint32_t gpa)
{
    struct vm *vm = v->vm;
    struct monitor *mon = vm->mon;
    struct vdisk *d = &vm->disk[disk];
    uint32_t end = gpa + count * 512;
    d->pending = 0;
    /* Every page of the buffer needs a machine page before anything is
     * sent: a request refused half way must leave nothing in flight. */
    for (uint32_t a = gpa & ~(MIPS_PAGE_SIZE - 1); a < end; a += MIPS_PAGE_SIZE) {
        uint32_t lo;
        if (pmap_lookup(vm, v, a / MIPS_PAGE_SIZE, &lo) != 0)
            return -1;
    }
    /* One machine request per guest page the buffer touches. */
    while (gpa < end) {
        uint32_t page_end = (gpa | (MIPS_PAGE_SIZE - 1)) + 1;
        uint32_t n = (page_end < end ? page_end : end) - gpa;
        uint32_t lo;
        pmap_lookup(vm, v, gpa / MIPS_PAGE_SIZE, &lo);
        uint64_t ma = (uint64_t)((lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT) * MIPS_PAGE_SIZE +
                      (gpa & (MIPS_PAGE_SIZE - 1));
        d->pending++;
        if (sim_disk_submit(mon->m, d->mdisk, write, sector, n / 512, ma, page_done, d) != 0) {
            d->pending--;
            d->failed = true;
        }
        sector += n / 512;
        gpa += n;
    }
    if (d->pending == 0) {
        d->status = 3;
        vdev_set_irq(v, IRQ_DISK, true);
    }
    return 0;
}
/* LAB 4 END */
