/** @file
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

/* Every page of the request in flight is pinned (pmap_pin) from before
 * the first transfer starts until the last one ends: a guest that frees a
 * page under DMA (MC_FREE_PAGE) must not have the transfer read or write
 * a machine page the monitor has since given to another VM. */
static void unpin_request(struct vdisk *d)
{
    for (uint32_t i = 0; i < d->pin_count; i++)
        pmap_unpin(d->vm, d->pin_first + i);
    d->pin_count = 0;
}

static void page_done(struct sim *m, int disk, bool ok, void *arg)
{
    struct vdisk *d = arg;
    (void)m;
    (void)disk;
    if (!ok)
        d->failed = true;
    if (--d->pending > 0)
        return;
    unpin_request(d);
    if (d->vm->halted)
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
    uint32_t first = gpa / MIPS_PAGE_SIZE, last = (end - 1) / MIPS_PAGE_SIZE;
    d->pending = 0;
    /* Every page of the buffer needs a machine page before anything is
     * sent: a request refused half way must leave nothing in flight. */
    for (uint32_t g = first; g <= last; g++) {
        uint32_t lo;
        /* A read from the disk writes the pages behind the guest's back:
         * they must be one writable copy (pmap_make_writable()). */
        int rc = write ? pmap_lookup(vm, v, g, &lo) : pmap_make_writable(vm, v, g);
        if (rc != PMAP_OK)
            return rc;
    }
    for (uint32_t g = first; g <= last; g++)
        pmap_pin(vm, g);
    d->pin_first = first;
    d->pin_count = last - first + 1;
    /* One machine request per guest page the buffer touches. */
    while (gpa < end) {
        uint32_t page_end = (gpa | (MIPS_PAGE_SIZE - 1)) + 1;
        uint32_t n = (page_end < end ? page_end : end) - gpa;
        uint64_t ma = (uint64_t)vm->pmap[gpa / MIPS_PAGE_SIZE].mpfn * MIPS_PAGE_SIZE +
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
        unpin_request(d);
        d->status = 3;
        vdev_set_irq(v, IRQ_DISK, true);
    }
    return PMAP_OK;
}
/* LAB 4 END */
