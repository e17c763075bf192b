/*
 * test_cowdisk.c - disk requests (cowdisk.h): a persistent disk's go to
 * its image, one machine request per guest page; a cow disk keeps each
 * VM's writes in the monitor's records, never in the image, and no VM sees
 * another's; whole blocks are shared through the global disk cache, and a
 * write to a shared page gives the writer a copy of its own.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "disco/check.h"
#include "disco/cowdisk.h"
#include "disco/memmap.h"
#include "disco/pmap.h"
#include "disco/vdev.h"
#include "test_fixture.h"

static struct fx f;

static void setup(void)
{
    fx_init(&f);
}

static void teardown(void)
{
    fx_fini(&f);
}

TestSuite(cowdisk, .init = setup, .fini = teardown);

Test(cowdisk, cowdisk_io_sends_one_request_per_guest_page)
{
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_disk(&f, "a.img", 64));
    c->ndisks = 1;
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    struct vcpu *v = &vm->vcpu[0];
    /* 12 sectors from half-way into a page: parts of three pages. */
    cr_assert_eq(cowdisk_io(v, 0, false, 0, 12, 0x30C00), 0);
    cr_assert_eq(vm->disk[0].pending, 3);
    for (uint32_t g = 0x30; g <= 0x32; g++)
        cr_assert_neq(vm->pmap[g].mpfn, NO_PAGE, "buffer page %u has no machine page", g);
}

/* ---- copy-on-write disks ---------------------------------------------------- */

/* VMs a and b (1 MB each) with disk 0 = one pattern image (fx_pattern)
 * of 64 sectors, named cow; a waits for its disk, and so does b if
 * b_waits (else it halts at once). */
static void two_cow_vms(bool b_waits)
{
    char img[256];
    snprintf(img, sizeof img, "%s", fx_disk(&f, "shared.img", 64));
    for (int i = 0; i < 2; i++) {
        struct prog p;
        prog_init(&p);
        if (i == 0 || b_waits)
            p_emit(&p, i_wait());
        p_halt(&p, 0);
        struct vm_config *c = fx_vm(&f, i ? "b" : "a", &p);
        snprintf(c->disk[0], sizeof c->disk[0], "%s", img);
        c->disk_cow[0] = true;
        c->ndisks = 1;
    }
    fx_create(&f);
}

/* Guest memory at gpa holds sectors [sector, sector + count) of the image,
 * except those listed in mine[], which hold byte 0xA0 + sector % 16. */
static void check_view(struct vm *vm, uint32_t gpa, uint32_t sector, uint32_t count, uint32_t mine_from,
                       uint32_t mine_to)
{
    uint8_t buf[8 * 512];
    cr_assert_leq(count, 8u);
    cr_assert_eq(pmap_read(vm, &vm->vcpu[0], gpa, buf, count * 512), 0);
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t j = 0; j < 512; j++) {
            uint32_t sec = sector + s;
            uint8_t want = sec >= mine_from && sec < mine_to ? (uint8_t)(0xA0 + sec % 16) : fx_pattern(sec, j);
            cr_assert_eq(buf[s * 512 + j], want, "VM %s sector %u byte %u", vm->name, sec, j);
        }
}

/* The first n bytes of the image file at path. */
static void read_image(const char *path, uint8_t *buf, size_t n)
{
    FILE *img = fopen(path, "rb");
    cr_assert_not_null(img, "%s", path);
    cr_assert_eq(fread(buf, 1, n, img), n, "%s: short", path);
    fclose(img);
}

/* VM vm writes its own bytes over sectors [from, to) from a buffer at gpa. */
static void write_mine(struct vm *vm, uint32_t gpa, uint32_t from, uint32_t to)
{
    uint8_t buf[8 * 512];
    for (uint32_t s = from; s < to; s++)
        memset(buf + (s - from) * 512, 0xA0 + s % 16, 512);
    cr_assert_eq(pmap_write(vm, &vm->vcpu[0], gpa, buf, (to - from) * 512), 0);
    cr_assert_eq(vdev_disk_io(&vm->vcpu[0], 0, 2, from, to - from, gpa), 0);
}

Test(cowdisk, vms_naming_one_image_cow_share_one_read_only_machine_disk)
{
    two_cow_vms(false);
    cr_assert(f.mon->vm[0]->disk[0].cow);
    cr_assert_eq(f.mon->vm[0]->disk[0].mdisk, f.mon->vm[1]->disk[0].mdisk);
}

Test(cowdisk, a_write_to_a_cow_disk_is_kept_by_the_monitor_and_the_image_is_untouched)
{
    two_cow_vms(false);
    struct vm *a = f.mon->vm[0];
    write_mine(a, 0x20E00, 10, 12); /* across a page boundary */
    cr_assert_eq(a->disk[0].status, 2u, "done at once: nothing to wait for");
    cr_assert_eq(a->disk[0].cow_records, 2u);
    cr_assert(f.mon->memmap->page[a->disk[0].cow_page[0]].monitor, "records are the monitor's pages");
    cr_assert_eq(monitor_run(f.mon), 0);
    uint8_t back[64 * 512];
    read_image(fx_path(&f, "shared.img"), back, sizeof back);
    for (uint32_t s = 0; s < 64; s++)
        for (uint32_t j = 0; j < 512; j++)
            cr_assert_eq(back[s * 512 + j], fx_pattern(s, j), "the image changed: sector %u", s);
}

Test(cowdisk, a_vm_reads_its_own_writes_and_the_image_elsewhere)
{
    two_cow_vms(false);
    struct vm *a = f.mon->vm[0];
    write_mine(a, 0x20000, 12, 14);
    cr_assert_eq(vdev_disk_status(&a->vcpu[0], 0), 2u);
    cr_assert_eq(vdev_disk_io(&a->vcpu[0], 0, 1, 10, 8, 0x30000), 0, "sectors 10-17: two of them a's");
    cr_assert_eq(monitor_run(f.mon), 0);
    check_view(a, 0x30000, 10, 8, 12, 14);
}

Test(cowdisk, another_vm_never_sees_a_vms_writes)
{
    two_cow_vms(true);
    struct vm *a = f.mon->vm[0], *b = f.mon->vm[1];
    write_mine(a, 0x20000, 12, 14);
    cr_assert_eq(vdev_disk_io(&b->vcpu[0], 0, 1, 10, 8, 0x30000), 0);
    cr_assert_eq(monitor_run(f.mon), 0);
    check_view(b, 0x30000, 10, 8, 0, 0);
    cr_assert_eq(b->disk[0].cow_records, 0u);
}

Test(cowdisk, export_writes_the_image_with_the_vms_writes_over_it)
{
    two_cow_vms(false);
    struct vm *a = f.mon->vm[0];
    write_mine(a, 0x20000, 3, 5);
    char err[256];
    const char *out = fx_path(&f, "a-view.img");
    cr_assert_eq(cowdisk_export(&a->disk[0], out, err, sizeof err), 0, "%s", err);
    uint8_t back[64 * 512];
    read_image(out, back, sizeof back);
    for (uint32_t s = 0; s < 64; s++)
        for (uint32_t j = 0; j < 512; j++)
            cr_assert_eq(back[s * 512 + j], s >= 3 && s < 5 ? (uint8_t)(0xA0 + s % 16) : fx_pattern(s, j),
                         "sector %u byte %u", s, j);
}

/* ---- the global disk cache ------------------------------------------------------ */

/* Blocks of machine disk mdisk in the disk cache (the VMs' kernels are
 * cached too, under keys of their own). */
static uint32_t cached_blocks(int mdisk)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < f.mon->dcache.cap; i++)
        n += f.mon->dcache.slot[i].mdisk == mdisk;
    return n;
}

static void assert_invariants(void)
{
    char why[400] = "";
    cr_assert_eq(check_monitor(f.mon, why, sizeof why), 0, "%s", why);
}

/* Block 1 (sectors 8-15) read by VM a into page 0x20 and by VM b into page
 * 0x30, both requests in flight together, run to the end. */
static void both_read_block_1(void)
{
    two_cow_vms(true);
    struct vm *a = f.mon->vm[0], *b = f.mon->vm[1];
    cr_assert_eq(vdev_disk_io(&a->vcpu[0], 0, 1, 8, 8, 0x20000), 0);
    cr_assert_eq(vdev_disk_io(&b->vcpu[0], 0, 1, 8, 8, 0x30000), 0);
    cr_assert_eq(monitor_run(f.mon), 0);
}

Test(cowdisk, two_vms_reading_one_block_end_up_sharing_one_read_only_page)
{
    both_read_block_1();
    struct vm *a = f.mon->vm[0], *b = f.mon->vm[1];
    cr_assert_eq(a->pmap[0x20].mpfn, b->pmap[0x30].mpfn, "one machine page for the block");
    cr_assert(a->pmap[0x20].shared && b->pmap[0x30].shared);
    cr_assert(!(a->pmap[0x20].lo_template & ENTRYLO_D), "read-only");
    cr_assert_eq(f.mon->memmap->page[a->pmap[0x20].mpfn].refs, 2u);
    cr_assert_eq(cached_blocks(a->disk[0].mdisk), 1u);
    check_view(a, 0x20000, 8, 8, 0, 0);
    check_view(b, 0x30000, 8, 8, 0, 0);
    assert_invariants();
}

Test(cowdisk, a_cached_block_is_mapped_without_the_disk)
{
    both_read_block_1();
    struct vm *b = f.mon->vm[1];
    uint64_t reads = sim_disk_stats(f.mon->m, b->disk[0].mdisk)->reads;
    b->disk[0].status = 1;
    cr_assert_eq(cowdisk_io(&b->vcpu[0], 0, false, 8, 8, 0x40000), PMAP_OK);
    cr_assert_eq(b->disk[0].status, 2u, "done at once");
    cr_assert_eq(sim_disk_stats(f.mon->m, b->disk[0].mdisk)->reads, reads, "no disk request");
    cr_assert_eq(f.mon->dcache.hits, 1u);
    cr_assert_eq(b->pmap[0x40].mpfn, b->pmap[0x30].mpfn);
    check_view(b, 0x40000, 8, 8, 0, 0);
    assert_invariants();
}

Test(cowdisk, a_write_to_a_shared_page_gives_the_writer_its_own_copy)
{
    both_read_block_1();
    struct vm *a = f.mon->vm[0], *b = f.mon->vm[1];
    uint32_t shared = a->pmap[0x20].mpfn;
    uint8_t x = 0x5A;
    cr_assert_eq(pmap_write(b, &b->vcpu[0], 0x30000 + 100, &x, 1), PMAP_OK);
    cr_assert_neq(b->pmap[0x30].mpfn, shared, "b has a copy of its own");
    cr_assert(!b->pmap[0x30].shared && (b->pmap[0x30].lo_template & ENTRYLO_D));
    cr_assert_eq(b->cow_faults, 1u);
    cr_assert_eq(f.mon->memmap->page[shared].refs, 1u);
    check_view(a, 0x20000, 8, 8, 0, 0); /* a still sees the image */
    uint8_t back;
    cr_assert_eq(pmap_read(b, &b->vcpu[0], 0x30000 + 100, &back, 1), PMAP_OK);
    cr_assert_eq(back, 0x5A);
    assert_invariants();
}

Test(cowdisk, the_last_vm_page_to_let_go_takes_the_block_out_of_the_cache)
{
    both_read_block_1();
    struct vm *a = f.mon->vm[0], *b = f.mon->vm[1];
    uint32_t shared = a->pmap[0x20].mpfn;
    cr_assert(pmap_release(a, 0x20));
    cr_assert_eq(cached_blocks(a->disk[0].mdisk), 1u, "b still maps it");
    cr_assert(pmap_release(b, 0x30));
    cr_assert_eq(cached_blocks(a->disk[0].mdisk), 0u);
    cr_assert(f.mon->memmap->page[shared].free);
    assert_invariants();
}

Test(cowdisk, a_block_the_vm_wrote_a_sector_of_is_not_cached)
{
    two_cow_vms(false);
    struct vm *a = f.mon->vm[0];
    write_mine(a, 0x20000, 9, 10);
    cr_assert_eq(vdev_disk_status(&a->vcpu[0], 0), 2u);
    cr_assert_eq(vdev_disk_io(&a->vcpu[0], 0, 1, 8, 8, 0x30000), 0);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_eq(cached_blocks(a->disk[0].mdisk), 0u);
    cr_assert(!a->pmap[0x30].shared);
    check_view(a, 0x30000, 8, 8, 9, 10);
    assert_invariants();
}

Test(cowdisk, vms_booted_from_one_kernel_file_share_its_whole_pages_until_they_write_one)
{
    two_cow_vms(false);
    struct vm *a = f.mon->vm[0], *b = f.mon->vm[1];
    /* Both kernels are the fixture's programs, a.elf and b.elf: two files.
     * Boot a third VM from a's file. */
    struct disco_config c = f.cfg;
    c.nvms = 3;
    c.vm[2] = c.vm[0];
    snprintf(c.vm[2].name, sizeof c.vm[2].name, "c");
    c.vm[2].ndisks = 0;
    monitor_destroy(f.mon);
    char err[256];
    f.mon = monitor_create(&c, f.outf, err, sizeof err);
    cr_assert_not_null(f.mon, "%s", err);
    a = f.mon->vm[0];
    b = f.mon->vm[1];
    struct vm *cv = f.mon->vm[2];
    cr_assert_neq(b->pmap[0].mpfn, a->pmap[0].mpfn, "b's kernel is another file");
    bool some = false;
    for (uint32_t p = 0; p < a->npages; p++)
        if (a->pmap[p].shared) {
            some = true;
            cr_assert_eq(cv->pmap[p].mpfn, a->pmap[p].mpfn, "page %u: one machine page for both", p);
            cr_assert(!(cv->pmap[p].lo_template & ENTRYLO_D));
        }
    cr_assert(some, "no whole page of a.elf is shared");
    uint32_t x = 1;
    cr_assert_eq(pmap_write(cv, &cv->vcpu[0], 0, &x, sizeof x), PMAP_OK);
    cr_assert_neq(cv->pmap[0].mpfn, a->pmap[0].mpfn, "c wrote its page 0: a copy of its own");
    assert_invariants();
}


Test(cowdisk, a_cow_read_across_a_page_boundary_lands_in_both_pages)
{
    two_cow_vms(false);
    struct vm *a = f.mon->vm[0];
    /* Page 0x21 first, so that its machine page does not follow 0x20's. */
    uint8_t x = 1;
    cr_assert_eq(pmap_write(a, &a->vcpu[0], 0x21000, &x, 1), PMAP_OK);
    cr_assert_eq(pmap_write(a, &a->vcpu[0], 0x20000, &x, 1), PMAP_OK);
    cr_assert_neq(a->pmap[0x21].mpfn, a->pmap[0x20].mpfn + 1);
    /* Sectors 4-11 into 0x20C00..0x21BFF: half of one page, half of the next. */
    cr_assert_eq(vdev_disk_io(&a->vcpu[0], 0, 1, 4, 8, 0x20C00), 0);
    cr_assert_eq(monitor_run(f.mon), 0);
    check_view(a, 0x20C00, 4, 8, 0, 0);
    assert_invariants();
}

Test(cowdisk, a_page_of_sectors_that_is_not_a_whole_block_is_not_cached_as_one)
{
    two_cow_vms(true);
    struct vm *a = f.mon->vm[0], *b = f.mon->vm[1];
    /* Sectors 4-11 fill a's page 0x20 but are no block; b reads block 0. */
    cr_assert_eq(vdev_disk_io(&a->vcpu[0], 0, 1, 4, 8, 0x20000), 0);
    cr_assert_eq(vdev_disk_io(&b->vcpu[0], 0, 1, 0, 8, 0x30000), 0);
    cr_assert_eq(monitor_run(f.mon), 0);
    check_view(a, 0x20000, 4, 8, 0, 0);
    check_view(b, 0x30000, 0, 8, 0, 0);
    cr_assert(!a->pmap[0x20].shared);
    assert_invariants();
}

Test(cowdisk, a_read_into_a_shared_kernel_page_gives_the_reader_its_own_copy)
{
    two_cow_vms(false);
    /* A third VM booted from a's kernel file shares a's page 0. */
    struct disco_config c = f.cfg;
    c.nvms = 3;
    c.vm[2] = c.vm[0];
    snprintf(c.vm[2].name, sizeof c.vm[2].name, "c");
    monitor_destroy(f.mon);
    char err[256];
    f.mon = monitor_create(&c, f.outf, err, sizeof err);
    cr_assert_not_null(f.mon, "%s", err);
    struct vm *a = f.mon->vm[0], *cv = f.mon->vm[2];
    cr_assert(a->pmap[0].shared && a->pmap[0].mpfn == cv->pmap[0].mpfn, "page 0 shared to begin with");
    uint32_t before[16], after[16];
    cr_assert_eq(pmap_read(cv, &cv->vcpu[0], 0x100, before, sizeof before), PMAP_OK);
    /* a reads sectors 16-23 (not zero) over its page 0, the vectors. */
    cr_assert_eq(vdev_disk_io(&a->vcpu[0], 0, 1, 16, 8, 0), 0);
    cr_assert_neq(a->pmap[0].mpfn, cv->pmap[0].mpfn, "the DMA target is a's own page");
    monitor_run(f.mon); /* a's vectors are gone: it may well not end well */
    cr_assert_eq(pmap_read(cv, &cv->vcpu[0], 0x100, after, sizeof after), PMAP_OK);
    cr_assert_eq(memcmp(before, after, sizeof before), 0, "c's kernel page changed");
}

Test(cowdisk, a_request_done_at_once_leaves_no_page_pinned)
{
    both_read_block_1();
    struct vm *b = f.mon->vm[1];
    b->disk[0].status = 1;
    cr_assert_eq(cowdisk_io(&b->vcpu[0], 0, false, 8, 8, 0x40000), PMAP_OK, "a cache hit");
    cr_assert_eq(b->pmap[0x40].pins, 0u, "the hit's page is still pinned");
    b->disk[0].status = 1;
    cr_assert_eq(cowdisk_io(&b->vcpu[0], 0, true, 30, 12, 0x50C00), PMAP_OK, "a write to the records");
    for (uint32_t g = 0x50; g <= 0x52; g++)
        cr_assert_eq(b->pmap[g].pins, 0u, "page 0x%x still pinned", g);
    cr_assert_eq(b->disk[0].pin_count, 0u);
    assert_invariants();
}
