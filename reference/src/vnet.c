/** @file
 * vnet.c - the virtual network (lab 5).
 *
 * Paper section 4.2.6. Disco's VMs talk over a virtual subnet with no
 * Ethernet MTU; the pages of a message are remapped, not copied: the
 * receiver's page becomes the sender's machine page, read-only for both,
 * through the same shared pages as the global disk cache (diskcache.h:
 * each sent page is cached under its own key (DISKCACHE_NET, n) and
 * leaves the cache with its last user). A write by either side is a
 * copy-on-write fault (pmap_make_writable()).
 *
 * The guest's interface is in guests/include/disco/abi.h (MC_NET_*), the
 * rules in vnet.h. A send is delivered at once, in the sender's monitor
 * call: route it (vnet's containment: the sender's own subnet only), take
 * the receiver's oldest posted buffer, copy the header, give each page,
 * fill in the descriptor (status last), raise the receiver's IP3. The
 * monitor keeps no message, so nothing a guest does makes it hold memory.
 */
#include <string.h>

#include "disco/abi.h"
#include "disco/diskcache.h"
#include "disco/monitor.h"
#include "disco/pmap.h"
#include "disco/vdev.h"
#include "disco/vm.h"
#include "disco/vnet.h"

bool vnet_present(const struct vm *vm)
{
    return vm->net.addr != 0;
}

uint32_t vnet_info(const struct vm *vm)
{
    return vm->net.addr;
}

uint32_t vnet_status(struct vcpu *v, uint32_t *drops)
{
    struct vnic *n = &v->vm->net;
    uint32_t done = n->done;
    *drops = n->drops;
    n->done = n->drops = 0;
    vdev_set_irq(&v->vm->vcpu[0], IRQ_NET, false);
    return done;
}

/* LAB 5 BEGIN vnet_post */
/* Read the descriptor at guest physical address gpa of vm into w (its
 * MC_NET_DESC_WORDS words); false if it is not all in the VM's memory or
 * not 4-byte aligned. */
static bool read_desc(struct vm *vm, struct vcpu *user, uint32_t gpa, uint32_t w[MC_NET_DESC_WORDS])
{
    return (gpa & 3) == 0 && pmap_read(vm, user, gpa, w, MC_NET_DESC_WORDS * 4) == PMAP_OK;
}

/* Does descriptor w name only the VM's own memory, within the limits: a
 * header range inside it, at most MC_NET_MAX_PAGES page-aligned pages of it? */
static bool desc_ok(const struct vm *vm, const uint32_t w[MC_NET_DESC_WORDS])
{
    uint32_t hdr = w[MC_NET_D_HDR], len = w[MC_NET_D_HDRLEN], npages = w[MC_NET_D_NPAGES];
    if (len > MC_NET_MAX_HDR || npages > MC_NET_MAX_PAGES)
        return false;
    if (len && (hdr >= vm->mem_bytes || len > vm->mem_bytes - hdr))
        return false;
    for (uint32_t i = 0; i < npages; i++) {
        uint32_t p = w[MC_NET_D_PAGE + i];
        if ((p & (MIPS_PAGE_SIZE - 1)) || p >= vm->mem_bytes)
            return false;
    }
    return true;
}

int vnet_post(struct vcpu *v, uint32_t desc)
{
    struct vm *vm = v->vm;
    struct vnic *n = &vm->net;
    uint32_t w[MC_NET_DESC_WORDS];
    if (!vnet_present(vm))
        return MC_NET_ENOIF;
    if (!read_desc(vm, v, desc, w) || !desc_ok(vm, w)) {
        n->stats.refused++;
        return MC_NET_EINVAL;
    }
    if (n->nposted == MC_NET_MAX_POSTED) {
        n->stats.refused++;
        return MC_NET_EFULL;
    }
    n->posted[n->nposted++] = desc;
    return 0;
}
/* LAB 5 END */

/* LAB 5 BEGIN vnet_send */
/* The running VM of subnet `subnet` whose address is addr, or NULL. */
static struct vm *route(struct monitor *mon, const char *subnet, uint32_t addr)
{
    for (int i = 0; i < mon->nvms; i++) {
        struct vm *r = mon->vm[i];
        if (r->net.addr == addr && !r->halted && !strcmp(r->net.subnet, subnet))
            return r;
    }
    return NULL;
}

/* Copy page gs of s into page gr of r (a page that cannot be shared).
 * false if r is out of machine memory (and then stopped). */
static bool copy_page(struct vm *s, struct vcpu *sv, uint32_t gs, struct vm *r, uint32_t gr)
{
    uint8_t buf[MIPS_PAGE_SIZE];
    if (pmap_read(s, sv, gs * MIPS_PAGE_SIZE, buf, sizeof buf) != PMAP_OK ||
        pmap_write(r, &r->vcpu[0], gr * MIPS_PAGE_SIZE, buf, sizeof buf) != PMAP_OK) {
        vm_stop(r, "out of machine memory (receiving a message)");
        return false;
    }
    r->net.stats.pages_copied++;
    return true;
}

/* Give page gs of sender s to page gr of receiver r: remap gr to the
 * machine page behind gs, shared read-only by both, unless one of them
 * cannot share it (under DMA, replicated): then copy it. */
static bool give_page(struct vm *s, struct vcpu *sv, uint32_t gs, struct vm *r, uint32_t gr)
{
    struct monitor *mon = s->mon;
    struct pmap_entry *e = &s->pmap[gs];
    if (r->pmap[gr].pins || pmap_replicated(r, gr))
        return copy_page(s, sv, gs, r, gr);
    if (e->mpfn == NO_PAGE) {
        /* A page the sender never used is zeros: so is gr, without a page. */
        pmap_release(r, gr);
    } else if (!(s == r && gs == gr) && r->pmap[gr].mpfn != e->mpfn) {
        /* A private page joins the cache under a key of its own first. */
        if (!e->shared && !pmap_cache(s, gs, DISKCACHE_NET, mon->net_pages++))
            return copy_page(s, sv, gs, r, gr);
        pmap_share(r, gr, e->mpfn);
    }
    r->net.stats.pages_remapped++;
    monitor_charge(mon, mon->cost.net_page);
    return true;
}

int vnet_send(struct vcpu *v, uint32_t desc)
{
    struct vm *s = v->vm;
    struct monitor *mon = s->mon;
    uint32_t w[MC_NET_DESC_WORDS], rw[MC_NET_DESC_WORDS];
    if (!vnet_present(s))
        return MC_NET_ENOIF;
    if (!read_desc(s, v, desc, w) || !desc_ok(s, w)) {
        s->net.stats.refused++;
        return MC_NET_EINVAL;
    }
    monitor_charge(mon, mon->cost.net_message);
    struct vm *r = route(mon, s->net.subnet, w[MC_NET_D_ADDR]);
    if (!r) {
        s->net.stats.unreachable++;
        return MC_NET_EUNREACH;
    }
    struct vnic *rn = &r->net;
    struct vcpu *rv = &r->vcpu[0];
    /* The receiver's oldest buffer; one that no longer checks out (the
     * guest changed it after posting it) is dropped from the queue. */
    while (rn->nposted > 0 && (!read_desc(r, rv, rn->posted[0], rw) || !desc_ok(r, rw))) {
        rn->stats.refused++;
        memmove(rn->posted, rn->posted + 1, (size_t)--rn->nposted * sizeof rn->posted[0]);
    }
    if (rn->nposted == 0 || rw[MC_NET_D_HDRLEN] < w[MC_NET_D_HDRLEN] ||
        rw[MC_NET_D_NPAGES] < w[MC_NET_D_NPAGES]) {
        rn->drops++;
        rn->stats.dropped++;
        return MC_NET_ENOBUF;
    }
    /* The header is copied, through the cache of the sender's CPU. */
    uint8_t hdr[MC_NET_MAX_HDR];
    uint32_t len = w[MC_NET_D_HDRLEN];
    if (len && (pmap_read(s, v, w[MC_NET_D_HDR], hdr, len) != PMAP_OK ||
                pmap_write(r, rv, rw[MC_NET_D_HDR], hdr, len) != PMAP_OK)) {
        vm_stop(r, "out of machine memory (receiving a message)");
        return MC_NET_EUNREACH;
    }
    rn->stats.header_bytes += len;
    for (uint32_t i = 0; i < w[MC_NET_D_NPAGES]; i++)
        if (!give_page(s, v, w[MC_NET_D_PAGE + i] / MIPS_PAGE_SIZE, r, rw[MC_NET_D_PAGE + i] / MIPS_PAGE_SIZE))
            return MC_NET_EUNREACH;
    /* The descriptor: who sent it and how much came; status last, so a
     * guest that sees status 1 sees the rest. */
    uint32_t fill[3] = {s->net.addr, len, w[MC_NET_D_NPAGES]}, one = 1;
    if (pmap_write(r, rv, rn->posted[0] + 4 * MC_NET_D_ADDR, &fill[0], 4) != PMAP_OK ||
        pmap_write(r, rv, rn->posted[0] + 4 * MC_NET_D_HDRLEN, &fill[1], 8) != PMAP_OK ||
        pmap_write(r, rv, rn->posted[0] + 4 * MC_NET_D_STATUS, &one, 4) != PMAP_OK) {
        vm_stop(r, "out of machine memory (receiving a message)");
        return MC_NET_EUNREACH;
    }
    memmove(rn->posted, rn->posted + 1, (size_t)--rn->nposted * sizeof rn->posted[0]);
    rn->done++;
    rn->stats.received++;
    s->net.stats.sent++;
    vdev_set_irq(rv, IRQ_NET, true);
    return 0;
}
/* LAB 5 END */

/* LAB 5 BEGIN vnet_remap */
int vnet_remap(struct vcpu *v, uint32_t src, uint32_t dst)
{
    struct vm *vm = v->vm;
    uint32_t gs = vm_gpfn(vm, src), gd = vm_gpfn(vm, dst);
    if (gs == NO_PAGE || gd == NO_PAGE || ((src | dst) & (MIPS_PAGE_SIZE - 1)) || vm->pmap[gs].pins ||
        vm->pmap[gd].pins) {
        vm->net.stats.refused++;
        return MC_NET_EINVAL;
    }
    pmap_move(vm, v, gs, gd);
    vm->net.stats.remaps++;
    monitor_charge(vm->mon, vm->mon->cost.net_page);
    return 0;
}
/* LAB 5 END */
