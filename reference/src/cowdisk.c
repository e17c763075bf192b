/** @file
 * cowdisk.c - the path of a virtual disk request to the machine's disks
 * (lab 4 turns it into copy-on-write disks).
 *
 * Paper section 4.2.5. The monitor intercepts every DMA: it translates the
 * guest physical buffer page by page through the pmap (the guest's pages
 * are not contiguous in machine memory) and issues one machine request per
 * page. When the last completes, the virtual disk is done and its vCPU gets
 * the virtual IP2. A persistent disk's requests go to its image; a cow
 * disk's writes go to the VM's modified-sector records in machine memory
 * and its reads come from them where the VM wrote, else from the image
 * (cowdisk.h); whole blocks read from a cow image are shared between VMs
 * through the global disk cache (diskcache.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "disco/cowdisk.h"
#include "disco/diskcache.h"
#include "disco/memmap.h"
#include "disco/monitor.h"
#include "disco/numa.h"
#include "disco/pmap.h"
#include "disco/vdev.h"
#include "disco/vm.h"

#define SECTOR 512                                  /**< bytes in a disk sector */
#define RECORDS_PER_PAGE (MIPS_PAGE_SIZE / SECTOR)  /**< modified-sector records in a machine page */

/* Machine address of record r of cow disk d. */
static uint64_t record_addr(const struct vdisk *d, uint32_t r)
{
    return (uint64_t)d->cow_page[r / RECORDS_PER_PAGE] * MIPS_PAGE_SIZE + (uint64_t)(r % RECORDS_PER_PAGE) * SECTOR;
}

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

/* The request is over and its pages unpinned: the whole blocks it read
 * from a cow image into the VM's pages (d->to_cache) join the global disk
 * cache, unless it failed. A block another VM's read cached meanwhile (the
 * two reads were in flight together) is the same bytes: the VM maps the
 * cached page instead and gives its own back. */
static void cache_filled(struct vdisk *d)
{
    struct vm *vm = d->vm;
    for (uint32_t i = 0; i < d->to_cache_n && !d->failed; i++) {
        uint32_t g = d->to_cache[i].gpfn;
        uint32_t hit = diskcache_lookup(&vm->mon->dcache, d->mdisk, d->to_cache[i].block);
        const struct pmap_entry *e = &vm->pmap[g];
        if (hit == NO_PAGE)
            pmap_cache(vm, g, d->mdisk, d->to_cache[i].block);
        else if (e->mpfn != NO_PAGE && e->mpfn != hit && !e->shared && !e->pins && !e->free_deferred &&
                 !pmap_replicated(vm, g))
            pmap_share(vm, g, hit);
    }
    d->to_cache_n = 0;
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
    cache_filled(d);
    if (d->vm->halted)
        return;
    d->status = d->failed ? 3 : 2;
    vdev_set_irq(d->waiter, IRQ_DISK, true);
}

/* LAB 4 BEGIN cowdisk_io */
/* Machine address of guest physical address gpa (its page is backed). */
static uint64_t machine_addr(const struct vm *vm, uint32_t gpa)
{
    return (uint64_t)vm->pmap[gpa / MIPS_PAGE_SIZE].mpfn * MIPS_PAGE_SIZE + (gpa & (MIPS_PAGE_SIZE - 1));
}

/* A record for sector of cow disk d, written by v: a new machine page of
 * the monitor's every RECORDS_PER_PAGE records. 0, or -1 when the machine
 * (or the host) has no memory left. */
static int new_record(struct vcpu *v, struct vdisk *d, uint32_t sector)
{
    struct monitor *mon = v->vm->mon;
    uint32_t r = d->cow_records;
    if (r % RECORDS_PER_PAGE == 0) {
        uint32_t *pages = realloc(d->cow_page, (r / RECORDS_PER_PAGE + 1) * sizeof *pages);
        if (!pages)
            return -1;
        d->cow_page = pages;
        uint32_t p = memmap_alloc(mon->memmap, numa_home_node(mon, v));
        if (p == NO_PAGE)
            return -1;
        memmap_set_monitor(mon->memmap, p);
        monitor_charge(mon, mon->cost.page_alloc);
        pages[r / RECORDS_PER_PAGE] = p;
    }
    d->cow_records++;
    d->cow_slot[sector] = r + 1;
    return 0;
}

/* Read `count` sectors from sector of d's image by DMA into gpa (one
 * guest page); d->pending counts it. */
static void image_read(struct vcpu *v, struct vdisk *d, uint32_t sector, uint32_t count, uint32_t gpa)
{
    struct vm *vm = v->vm;
    d->pending++;
    if (sim_disk_submit(vm->mon->m, d->mdisk, false, sector, count, machine_addr(vm, gpa), page_done, d) != 0) {
        d->pending--;
        d->failed = true;
    }
}

/* A request on a cow disk: writes into the VM's records, reads from them
 * where it wrote, else from the image (runs of sectors within one guest
 * page, one DMA each). The copies go through this CPU's cache. */
static void cow_io(struct vcpu *v, struct vdisk *d, bool write, uint32_t sector, uint32_t count, uint32_t gpa,
                   const bool *shared)
{
    struct vm *vm = v->vm;
    struct sim *m = vm->mon->m;
    int cpu = vm->mon->cur_cpu;
    uint8_t buf[SECTOR];
    uint32_t run = 0, run_sector = 0, run_gpa = 0;
    for (uint32_t i = 0; i < count; i++, sector++, gpa += SECTOR) {
        if (shared[gpa / MIPS_PAGE_SIZE - d->pin_first])
            continue; /* a whole block mapped from the disk cache */
        uint64_t ma = machine_addr(vm, gpa);
        if (write) {
            if (!d->cow_slot[sector] && new_record(v, d, sector) != 0) {
                d->failed = true; /* no memory for the record: an I/O error */
                continue;
            }
            sim_mem_read(m, cpu, ma, buf, SECTOR);
            sim_mem_write(m, cpu, record_addr(d, d->cow_slot[sector] - 1), buf, SECTOR);
            continue;
        }
        bool same_page = run && (gpa / MIPS_PAGE_SIZE) == (run_gpa / MIPS_PAGE_SIZE);
        if (run && (d->cow_slot[sector] || !same_page)) {
            image_read(v, d, run_sector, run, run_gpa);
            run = 0;
        }
        if (d->cow_slot[sector]) {
            sim_mem_read(m, cpu, record_addr(d, d->cow_slot[sector] - 1), buf, SECTOR);
            sim_mem_write(m, cpu, ma, buf, SECTOR);
        } else if (run++ == 0) {
            run_sector = sector;
            run_gpa = gpa;
        }
    }
    if (run)
        image_read(v, d, run_sector, run, run_gpa);
}

/* Is guest page g, of a read of count sectors from sector into gpa, one
 * whole block of d's cow image that this VM never wrote a sector of?
 * Then *block is its number. */
static bool whole_block(const struct vdisk *d, uint32_t g, uint32_t sector, uint32_t gpa, uint32_t count,
                        uint32_t *block)
{
    uint32_t page = g * MIPS_PAGE_SIZE;
    if (page < gpa || page + MIPS_PAGE_SIZE > gpa + count * SECTOR)
        return false;
    uint32_t s = sector + (page - gpa) / SECTOR;
    if (s % DISKCACHE_SECTORS)
        return false;
    for (uint32_t i = 0; i < DISKCACHE_SECTORS; i++)
        if (d->cow_slot[s + i])
            return false;
    *block = s / DISKCACHE_SECTORS;
    return true;
}

/* A read from cow disk d into pages first..last: each whole block already
 * in the disk cache is mapped from it (shared[i] set for page first + i);
 * the others that are whole blocks go on d->to_cache, to join the cache
 * once read. Every other page must be a writable page of the VM's own. */
static int share_blocks(struct vcpu *v, struct vdisk *d, uint32_t sector, uint32_t count, uint32_t gpa,
                        uint32_t first, uint32_t last, bool *shared)
{
    struct vm *vm = v->vm;
    struct diskcache *dc = &vm->mon->dcache;
    d->to_cache_n = 0;
    for (uint32_t g = first; g <= last; g++) {
        uint32_t block, hit;
        shared[g - first] = false;
        if (whole_block(d, g, sector, gpa, count, &block)) {
            hit = diskcache_lookup(dc, d->mdisk, block);
            if (hit != NO_PAGE && !vm->pmap[g].pins && !pmap_replicated(vm, g)) {
                if (vm->pmap[g].mpfn != hit)
                    pmap_share(vm, g, hit);
                shared[g - first] = true;
                dc->hits++;
                continue;
            }
            if (hit == NO_PAGE) {
                d->to_cache[d->to_cache_n++] = (struct vdisk_block){.gpfn = g, .block = block};
                dc->misses++;
            }
        }
        int rc = pmap_make_writable(vm, v, g);
        if (rc != PMAP_OK)
            return rc;
    }
    return PMAP_OK;
}

int cowdisk_io(struct vcpu *v, int disk, bool write, uint32_t sector, uint32_t count, uint32_t gpa)
{
    struct vm *vm = v->vm;
    struct monitor *mon = vm->mon;
    struct vdisk *d = &vm->disk[disk];
    uint32_t end = gpa + count * 512;
    uint32_t first = gpa / MIPS_PAGE_SIZE, last = (end - 1) / MIPS_PAGE_SIZE;
    d->pending = 0;
    d->to_cache_n = 0;
    bool *shared = NULL;
    if (d->cow) {
        shared = calloc(last - first + 1, sizeof *shared);
        struct vdisk_block *tc = realloc(d->to_cache, (last - first + 1) * sizeof *tc);
        if (!shared || !tc) {
            free(shared);
            return PMAP_NO_MEMORY;
        }
        d->to_cache = tc;
        if (!write) {
            int rc = share_blocks(v, d, sector, count, gpa, first, last, shared);
            if (rc != PMAP_OK) {
                free(shared);
                return rc;
            }
        }
    }
    /* Every page of the buffer needs a machine page before anything is
     * sent: a request refused half way must leave nothing in flight. */
    for (uint32_t g = first; g <= last && !(d->cow && !write); g++) {
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
    if (d->cow) {
        cow_io(v, d, write, sector, count, gpa, shared);
        free(shared);
        if (d->pending == 0) { /* all from the cache or the records: done now */
            unpin_request(d);
            cache_filled(d);
            d->status = d->failed ? 3 : 2;
            vdev_set_irq(v, IRQ_DISK, true);
        }
        return PMAP_OK;
    }
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

void cowdisk_release(struct vdisk *d)
{
    free(d->to_cache);
    d->to_cache = NULL;
    struct memmap *mm = d->vm ? d->vm->mon->memmap : NULL;
    for (uint32_t i = 0; mm && i < (d->cow_records + RECORDS_PER_PAGE - 1) / RECORDS_PER_PAGE; i++)
        memmap_free(mm, d->cow_page[i]);
    free(d->cow_page);
    free(d->cow_slot);
    d->cow_page = NULL;
    d->cow_slot = NULL;
    d->cow_records = 0;
}

static bool is_zero(const uint8_t *buf)
{
    for (unsigned i = 0; i < SECTOR; i++)
        if (buf[i])
            return false;
    return true;
}

int cowdisk_export(const struct vdisk *d, const char *path, char *err, size_t errlen)
{
    errno = 0;
    FILE *in = fopen(d->path, "rb");
    FILE *out = in ? fopen(path, "wb") : NULL;
    uint8_t buf[SECTOR];
    int rc = in && out ? 0 : -1;
    for (uint64_t s = 0; rc == 0 && s < d->sectors; s++) {
        if (fread(buf, SECTOR, 1, in) != 1)
            rc = -1;
        else if (d->cow && d->cow_slot[s] &&
                 sim_mem_read(d->vm->mon->m, -1, record_addr(d, d->cow_slot[s] - 1), buf, SECTOR) != 0)
            rc = -1;
        else if (is_zero(buf) ? fseek(out, SECTOR, SEEK_CUR) != 0 : fwrite(buf, SECTOR, 1, out) != 1)
            rc = -1; /* zero sectors are left as holes: a view is mostly free blocks */
    }
    if (rc == 0 && (fflush(out) != 0 || ftruncate(fileno(out), (off_t)(d->sectors * SECTOR)) != 0))
        rc = -1;
    if (rc != 0)
        snprintf(err, errlen, "%s: %s", out ? path : d->path, errno ? strerror(errno) : "short image");
    if (in)
        fclose(in);
    if (out && fclose(out) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        rc = -1;
    }
    return rc;
}
