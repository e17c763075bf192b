/**
 * @file vnet.h
 * @brief The virtual network (lab 5).
 *
 * Paper section 4.2.6: a virtual subnet connects the VMs. It has no
 * Ethernet MTU, and the whole pages of a message are not copied: the
 * receiver's page is remapped to the sender's machine page, read-only for
 * both until one of them writes it (the copy-on-write fault of the disk
 * cache, diskcache.h), so an NFS read maps the server's buffer-cache page
 * into the client.
 *
 * The interface, as a guest sees it (guests/include/disco/abi.h): a VM
 * with `net = ADDRESS` in its configuration has an address on its subnet
 * (`subnet = NAME`, default lan). It posts receive buffers (MC_NET_POST: a
 * descriptor naming a header buffer and up to MC_NET_MAX_PAGES pages) and
 * sends messages (MC_NET_SEND: a descriptor naming the destination, a
 * header of up to MC_NET_MAX_HDR bytes and up to MC_NET_MAX_PAGES whole
 * pages). A send is delivered at once into the receiver's oldest posted
 * buffer: the header copied, each page remapped (or, for a page that
 * cannot be shared -- under DMA, replicated -- copied), the descriptor
 * filled in, and the receiver's virtual IP3 raised. MC_NET_STATUS says how
 * many messages arrived and how many were dropped since the last call,
 * and clears IP3. MC_NET_REMAP moves a received page into place inside
 * the VM without a copy (the paper's replacement of NFS's bcopy).
 *
 * Containment: a VM reaches only the VMs of its own subnet; every
 * descriptor, header and page is checked against the VM's memory (a bad
 * one is refused with MC_NET_EINVAL, and nothing is delivered); the
 * monitor keeps no message: one that finds no posted buffer big enough is
 * dropped and counted (MC_NET_ENOBUF to the sender), so unreceived
 * messages cost the monitor no memory, and a VM has at most
 * MC_NET_MAX_POSTED buffers posted.
 */
#ifndef DISCO_VNET_H
#define DISCO_VNET_H

#include <stdbool.h>
#include <stdint.h>

#include "disco/types.h"

/** Does VM @p vm have a virtual network interface? */
bool vnet_present(const struct vm *vm);

/** MC_NET_INFO: @p vm's address on its subnet, 0 if it has no interface. */
uint32_t vnet_info(const struct vm *vm);

/**
 * MC_NET_SEND from vCPU @p v: deliver the message the descriptor at guest
 * physical address @p desc describes. Returns 0 (delivered), or
 * MC_NET_ENOIF, MC_NET_EINVAL, MC_NET_EUNREACH, MC_NET_ENOBUF (nothing
 * delivered). Handout/lab5.md, "Sending".
 */
int vnet_send(struct vcpu *v, uint32_t desc);

/**
 * MC_NET_POST from vCPU @p v: queue the receive descriptor at guest
 * physical address @p desc. Returns 0, or MC_NET_ENOIF, MC_NET_EINVAL,
 * MC_NET_EFULL. Handout/lab5.md, "Receive buffers".
 */
int vnet_post(struct vcpu *v, uint32_t desc);

/**
 * MC_NET_STATUS from vCPU @p v: messages received since the last call
 * (returned) and dropped (in @p *drops); both counts restart, and the
 * virtual IP3 of @p v's VM is cleared.
 */
uint32_t vnet_status(struct vcpu *v, uint32_t *drops);

/**
 * MC_NET_REMAP from vCPU @p v: guest page @p dst (a guest physical
 * address) now holds what page @p src held, without a copy; @p src reads
 * as zeros. Returns 0, or MC_NET_EINVAL (not two pages of the VM, or one
 * under DMA). Handout/lab5.md, "Moving a page into place".
 */
int vnet_remap(struct vcpu *v, uint32_t src, uint32_t dst);

#endif
