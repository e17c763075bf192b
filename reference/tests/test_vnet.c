/*
 * test_vnet.c - the virtual network (vnet.h, guests/include/disco/abi.h
 * MC_NET_*): descriptors checked against the VM's memory, delivery into
 * posted buffers, whole pages remapped copy-on-write rather than copied,
 * drops counted, subnets kept apart, MC_NET_REMAP. Lab 5.
 *
 * VMs a (address 1) and b (address 2) on subnet lan, c (address 3) on
 * subnet other, d with no interface; each 1 MB, halting at once (the
 * tests call vnet_* as the monitor call handler does).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "disco/check.h"
#include "disco/monitor.h"
#include "disco/pmap.h"
#include "disco/vm.h"
#include "disco/vnet.h"
#include "test_fixture.h"

static struct fx f;
static struct vm *a, *b, *c, *d;

static void setup(void)
{
    fx_init(&f);
    const char *names[] = {"a", "b", "c", "d"};
    for (int i = 0; i < 4; i++) {
        struct prog p;
        prog_init(&p);
        p_halt(&p, 0);
        struct vm_config *cfg = fx_vm(&f, names[i], &p);
        cfg->net = i < 3 ? (uint32_t)i + 1 : 0;
        if (i == 2)
            snprintf(cfg->subnet, sizeof cfg->subnet, "other");
    }
    fx_create(&f);
    a = f.mon->vm[0];
    b = f.mon->vm[1];
    c = f.mon->vm[2];
    d = f.mon->vm[3];
}

static void teardown(void)
{
    fx_fini(&f);
}

TestSuite(vnet, .init = setup, .fini = teardown);

#define PG MIPS_PAGE_SIZE

/* Write a descriptor into vm's memory at gpa. */
static void put_desc(struct vm *vm, uint32_t gpa, uint32_t addr, uint32_t hdr, uint32_t hdr_len,
                     uint32_t npages, const uint32_t *pages)
{
    uint32_t w[MC_NET_DESC_WORDS] = {0};
    w[MC_NET_D_ADDR] = addr;
    w[MC_NET_D_HDR] = hdr;
    w[MC_NET_D_HDRLEN] = hdr_len;
    w[MC_NET_D_NPAGES] = npages;
    for (uint32_t i = 0; pages && i < npages && i < MC_NET_MAX_PAGES; i++)
        w[MC_NET_D_PAGE + i] = pages[i];
    cr_assert_eq(pmap_write(vm, &vm->vcpu[0], gpa, w, sizeof w), PMAP_OK);
}

static uint32_t word(struct vm *vm, uint32_t gpa)
{
    uint32_t x;
    cr_assert_eq(pmap_read(vm, &vm->vcpu[0], gpa, &x, 4), PMAP_OK);
    return x;
}

static void fill(struct vm *vm, uint32_t gpa, uint8_t byte, uint32_t n)
{
    uint8_t buf[PG];
    memset(buf, byte, n);
    cr_assert_eq(pmap_write(vm, &vm->vcpu[0], gpa, buf, n), PMAP_OK);
}

static bool holds(struct vm *vm, uint32_t gpa, uint8_t byte, uint32_t n)
{
    uint8_t buf[PG];
    cr_assert_eq(pmap_read(vm, &vm->vcpu[0], gpa, buf, n), PMAP_OK);
    for (uint32_t i = 0; i < n; i++)
        if (buf[i] != byte)
            return false;
    return true;
}

/* b posts a buffer at 0x1000: a 512-byte header room at 0x2000 and two
 * pages, 0x10000 and 0x11000. */
static void b_posts(void)
{
    uint32_t pages[] = {0x10000, 0x11000};
    put_desc(b, 0x1000, 0, 0x2000, 512, 2, pages);
    cr_assert_eq(vnet_post(&b->vcpu[0], 0x1000), 0);
}

/* a sends to address `to`: a 100-byte header of 'h' at 0x3000 and one page
 * of 'p' at 0x20000 (descriptor at 0x4000). */
static int a_sends(uint32_t to)
{
    uint32_t pages[] = {0x20000};
    fill(a, 0x3000, 'h', 100);
    fill(a, 0x20000, 'p', PG);
    put_desc(a, 0x4000, to, 0x3000, 100, 1, pages);
    return vnet_send(&a->vcpu[0], 0x4000);
}

Test(vnet, info_gives_the_address_or_zero_without_an_interface)
{
    cr_assert_eq(vnet_info(a), 1u);
    cr_assert_eq(vnet_info(b), 2u);
    cr_assert_eq(vnet_info(d), 0u);
    cr_assert(vnet_present(a) && !vnet_present(d));
}

Test(vnet, a_vm_without_an_interface_can_neither_send_nor_post)
{
    put_desc(d, 0x1000, 1, 0, 0, 0, NULL);
    cr_assert_eq(vnet_send(&d->vcpu[0], 0x1000), MC_NET_ENOIF);
    cr_assert_eq(vnet_post(&d->vcpu[0], 0x1000), MC_NET_ENOIF);
}

Test(vnet, a_send_copies_the_header_and_fills_the_descriptor_status_last)
{
    b_posts();
    cr_assert_eq(a_sends(2), 0);
    cr_assert(holds(b, 0x2000, 'h', 100), "the header arrived");
    cr_assert_eq(word(b, 0x1000 + 4 * MC_NET_D_ADDR), 1u, "the sender's address");
    cr_assert_eq(word(b, 0x1000 + 4 * MC_NET_D_HDRLEN), 100u);
    cr_assert_eq(word(b, 0x1000 + 4 * MC_NET_D_NPAGES), 1u);
    cr_assert_eq(word(b, 0x1000 + 4 * MC_NET_D_STATUS), 1u);
    cr_assert_eq(b->net.nposted, 0, "the buffer is used up");
    cr_assert_eq(b->net.stats.received, 1u);
    cr_assert_eq(a->net.stats.sent, 1u);
}

Test(vnet, a_delivery_raises_ip3_and_status_counts_it_and_clears_it)
{
    b_posts();
    cr_assert_eq(a_sends(2), 0);
    cr_assert(b->vcpu[0].cp0.cause & (1u << (CAUSE_IP_SHIFT + IRQ_NET)), "the receiver's IP3 is up");
    uint32_t drops, done = vnet_status(&b->vcpu[0], &drops);
    cr_assert_eq(done, 1u);
    cr_assert_eq(drops, 0u);
    cr_assert_not(b->vcpu[0].cp0.cause & (1u << (CAUSE_IP_SHIFT + IRQ_NET)));
    cr_assert_eq(vnet_status(&b->vcpu[0], &drops), 0u, "counted once");
}

Test(vnet, a_whole_page_is_remapped_to_the_senders_machine_page_not_copied)
{
    b_posts();
    cr_assert_eq(a_sends(2), 0);
    uint32_t m = a->pmap[0x20].mpfn;
    cr_assert_eq(b->pmap[0x10].mpfn, m, "b's page is a's machine page");
    cr_assert(a->pmap[0x20].shared && b->pmap[0x10].shared, "read-only for both");
    cr_assert(holds(b, 0x10000, 'p', PG));
    cr_assert_eq(b->net.stats.pages_remapped, 1u);
    cr_assert_eq(b->net.stats.pages_copied, 0u);
    struct monitor_memory mm = monitor_memory(f.mon);
    cr_assert_eq(mm.v - mm.m, 1u, "the page is counted once in M, twice in V");
    char why[300];
    cr_assert_eq(check_monitor(f.mon, why, sizeof why), 0, "%s", why);
}

Test(vnet, a_write_after_the_send_gives_the_writer_its_own_copy)
{
    b_posts();
    cr_assert_eq(a_sends(2), 0);
    fill(a, 0x20000, 'q', 16); /* the sender reuses its buffer */
    cr_assert(holds(b, 0x10000, 'p', PG), "the receiver keeps what was sent");
    cr_assert(holds(a, 0x20000, 'q', 16));
    cr_assert_neq(a->pmap[0x20].mpfn, b->pmap[0x10].mpfn);
    fill(b, 0x10000, 'r', 16);
    cr_assert(holds(b, 0x10000, 'r', 16));
    char why[300];
    cr_assert_eq(check_monitor(f.mon, why, sizeof why), 0, "%s", why);
}

Test(vnet, a_page_the_sender_never_used_arrives_as_zeros_without_a_machine_page)
{
    b_posts();
    fill(b, 0x10000, 'x', PG);
    uint32_t pages[] = {0x50000};
    put_desc(a, 0x4000, 2, 0, 0, 1, pages);
    cr_assert_eq(vnet_send(&a->vcpu[0], 0x4000), 0);
    cr_assert_eq(b->pmap[0x10].mpfn, NO_PAGE);
    cr_assert(holds(b, 0x10000, 0, PG));
}

Test(vnet, a_page_under_dma_in_the_receiver_is_copied_not_remapped)
{
    b_posts();
    uint32_t lo;
    cr_assert_eq(pmap_lookup(b, &b->vcpu[0], 0x10, &lo), PMAP_OK);
    pmap_pin(b, 0x10);
    cr_assert_eq(a_sends(2), 0);
    cr_assert_neq(b->pmap[0x10].mpfn, a->pmap[0x20].mpfn);
    cr_assert(holds(b, 0x10000, 'p', PG));
    cr_assert_eq(b->net.stats.pages_copied, 1u);
    pmap_unpin(b, 0x10);
}

Test(vnet, a_vm_reaches_only_its_own_subnet)
{
    uint32_t pages[] = {0x10000};
    put_desc(c, 0x1000, 0, 0x2000, 512, 1, pages);
    cr_assert_eq(vnet_post(&c->vcpu[0], 0x1000), 0);
    cr_assert_eq(a_sends(3), MC_NET_EUNREACH, "c is on another subnet");
    cr_assert_eq(a_sends(9), MC_NET_EUNREACH, "nobody has address 9");
    cr_assert_eq(c->net.stats.received, 0u);
    cr_assert_eq(c->pmap[0x10].mpfn, NO_PAGE, "nothing of a's reached c");
    cr_assert_eq(a->net.stats.unreachable, 2u);
}

Test(vnet, a_halted_vm_is_unreachable)
{
    b_posts();
    vm_halt(b, 0);
    cr_assert_eq(a_sends(2), MC_NET_EUNREACH);
}

Test(vnet, a_message_without_a_posted_buffer_is_dropped_and_counted)
{
    cr_assert_eq(a_sends(2), MC_NET_ENOBUF);
    uint32_t drops;
    cr_assert_eq(vnet_status(&b->vcpu[0], &drops), 0u);
    cr_assert_eq(drops, 1u);
    cr_assert_eq(b->net.stats.dropped, 1u);
    cr_assert_eq(b->pmap[0x10].mpfn, NO_PAGE);
}

Test(vnet, a_buffer_too_small_drops_the_message_and_stays_posted)
{
    put_desc(b, 0x1000, 0, 0x2000, 50, 1, (uint32_t[]){0x10000});
    cr_assert_eq(vnet_post(&b->vcpu[0], 0x1000), 0);
    cr_assert_eq(a_sends(2), MC_NET_ENOBUF, "a 100-byte header does not fit in 50");
    cr_assert_eq(b->net.nposted, 1);
    cr_assert(holds(b, 0x2000, 0, 64), "nothing was written");
}

Test(vnet, post_refuses_what_is_not_the_vms_memory)
{
    struct vcpu *v = &b->vcpu[0];
    put_desc(b, 0x1000, 0, b->mem_bytes - 10, 100, 0, NULL);
    cr_assert_eq(vnet_post(v, 0x1000), MC_NET_EINVAL, "a header past the end of memory");
    put_desc(b, 0x1000, 0, 0x2000, 100, 1, (uint32_t[]){0x10010});
    cr_assert_eq(vnet_post(v, 0x1000), MC_NET_EINVAL, "a page not aligned");
    put_desc(b, 0x1000, 0, 0x2000, 100, 1, (uint32_t[]){b->mem_bytes});
    cr_assert_eq(vnet_post(v, 0x1000), MC_NET_EINVAL, "a page past the end of memory");
    put_desc(b, 0x1000, 0, 0x2000, MC_NET_MAX_HDR + 1, 0, NULL);
    cr_assert_eq(vnet_post(v, 0x1000), MC_NET_EINVAL, "a header over the limit");
    put_desc(b, 0x1000, 0, 0x2000, 100, MC_NET_MAX_PAGES + 1, NULL);
    cr_assert_eq(vnet_post(v, 0x1000), MC_NET_EINVAL, "too many pages");
    cr_assert_eq(vnet_post(v, b->mem_bytes - 8), MC_NET_EINVAL, "a descriptor past the end of memory");
    cr_assert_eq(vnet_post(v, 0x1002), MC_NET_EINVAL, "a descriptor not aligned");
    cr_assert_eq(b->net.nposted, 0);
    cr_assert_not(b->failed, "a bad descriptor is refused, the VM runs on");
}

Test(vnet, send_refuses_a_page_outside_the_senders_memory)
{
    b_posts();
    put_desc(a, 0x4000, 2, 0, 0, 1, (uint32_t[]){a->mem_bytes + PG});
    cr_assert_eq(vnet_send(&a->vcpu[0], 0x4000), MC_NET_EINVAL);
    cr_assert_eq(b->net.nposted, 1, "nothing was delivered");
}

Test(vnet, at_most_max_posted_buffers)
{
    put_desc(b, 0x1000, 0, 0x2000, 16, 0, NULL);
    for (int i = 0; i < MC_NET_MAX_POSTED; i++)
        cr_assert_eq(vnet_post(&b->vcpu[0], 0x1000), 0);
    cr_assert_eq(vnet_post(&b->vcpu[0], 0x1000), MC_NET_EFULL);
}

Test(vnet, buffers_fill_oldest_first)
{
    put_desc(b, 0x1000, 0, 0x2000, 512, 0, NULL);
    put_desc(b, 0x1100, 0, 0x2200, 512, 0, NULL);
    cr_assert_eq(vnet_post(&b->vcpu[0], 0x1000), 0);
    cr_assert_eq(vnet_post(&b->vcpu[0], 0x1100), 0);
    fill(a, 0x3000, 'h', 10);
    put_desc(a, 0x4000, 2, 0x3000, 10, 0, NULL);
    cr_assert_eq(vnet_send(&a->vcpu[0], 0x4000), 0);
    cr_assert_eq(word(b, 0x1000 + 4 * MC_NET_D_STATUS), 1u);
    cr_assert_eq(word(b, 0x1100 + 4 * MC_NET_D_STATUS), 0u);
}

Test(vnet, a_buffer_changed_after_posting_is_checked_again_and_dropped)
{
    b_posts();
    put_desc(b, 0x1000, 0, b->mem_bytes - 4, 512, 0, NULL); /* now outside memory */
    cr_assert_eq(a_sends(2), MC_NET_ENOBUF);
    cr_assert_eq(b->net.nposted, 0);
    cr_assert_eq(b->net.stats.refused, 1u);
}

Test(vnet, remap_moves_a_page_without_a_copy)
{
    fill(a, 0x20000, 'p', PG);
    uint32_t m = a->pmap[0x20].mpfn;
    uint32_t n = a->pages_allocated;
    cr_assert_eq(vnet_remap(&a->vcpu[0], 0x20000, 0x30000), 0);
    cr_assert_eq(a->pmap[0x30].mpfn, m, "the same machine page");
    cr_assert_eq(a->pmap[0x20].mpfn, NO_PAGE);
    cr_assert(holds(a, 0x30000, 'p', PG));
    cr_assert(holds(a, 0x20000, 0, PG), "the source reads as zeros");
    cr_assert_eq(a->pages_allocated, n);
    char why[300];
    cr_assert_eq(check_monitor(f.mon, why, sizeof why), 0, "%s", why);
}

Test(vnet, remap_of_a_received_page_keeps_it_shared_with_the_sender)
{
    b_posts();
    cr_assert_eq(a_sends(2), 0);
    cr_assert_eq(vnet_remap(&b->vcpu[0], 0x10000, 0x40000), 0);
    cr_assert_eq(b->pmap[0x40].mpfn, a->pmap[0x20].mpfn);
    cr_assert(b->pmap[0x40].shared);
    cr_assert(holds(b, 0x40000, 'p', PG));
    char why[300];
    cr_assert_eq(check_monitor(f.mon, why, sizeof why), 0, "%s", why);
}

Test(vnet, remap_refuses_pages_outside_memory_unaligned_or_under_dma)
{
    struct vcpu *v = &a->vcpu[0];
    cr_assert_eq(vnet_remap(v, a->mem_bytes, 0x1000), MC_NET_EINVAL);
    cr_assert_eq(vnet_remap(v, 0x1000, 0x2004), MC_NET_EINVAL);
    fill(a, 0x20000, 'p', 8);
    pmap_pin(a, 0x20);
    cr_assert_eq(vnet_remap(v, 0x20000, 0x30000), MC_NET_EINVAL);
    pmap_unpin(a, 0x20);
    cr_assert(holds(a, 0x20000, 'p', 8), "nothing moved");
}
