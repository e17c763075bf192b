/**
 * @file vnet.h
 * @brief The virtual network (lab 5).
 *
 * Paper section 4.2.6: a virtual subnet connects the VMs; it has no MTU
 * limit, and whole, page-aligned pages of a message are remapped from the
 * sender to the receiver instead of copied, so an NFS read maps the
 * server's buffer-cache page into the client. This version of the monitor
 * has no virtual network interface: a VM that probes for one finds none
 * (vnet_present() is false). Lab 5 builds it here.
 */
#ifndef DISCO_VNET_H
#define DISCO_VNET_H

#include <stdbool.h>

#include "disco/types.h"

/** Does VM @p vm have a virtual network interface? */
bool vnet_present(const struct vm *vm);

#endif
