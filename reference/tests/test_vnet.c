/*
 * test_vnet.c - the virtual network as this version has it (vnet.h):
 * none. Lab 5 adds it.
 */
#include <criterion/criterion.h>

#include "disco/vnet.h"
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

TestSuite(vnet, .init = setup, .fini = teardown);

Test(vnet, no_vm_has_a_network_interface_yet)
{
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert(!vnet_present(f.mon->vm[0]));
}
