/*
 * test_cowdisk.c - disk requests as this version has them (cowdisk.h):
 * private persistent disks, one machine request per guest page. Lab 4
 * adds copy-on-write disks and the global disk cache.
 */
#include <criterion/criterion.h>

#include "disco/cowdisk.h"
#include "disco/pmap.h"
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
