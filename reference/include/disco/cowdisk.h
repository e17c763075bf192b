/**
 * @file cowdisk.h
 * @brief Virtual disks (lab 4: copy-on-write sharing).
 *
 * Paper section 4.2.5: Disco intercepts every disk DMA. For non-persistent
 * disks shared by several VMs, a block already in memory is not read again:
 * the machine page is mapped read-only into the destination, and a later
 * write takes a copy-on-write fault; per VM, a record of modified sectors
 * keeps each VM's writes its own.
 *
 * A disk is persistent (the default: one VM's, requests go to the image
 * by DMA, translated page by page through the pmap) or cow (config.h): the
 * image, attached read-only, is one machine disk for every VM naming it;
 * a write goes to the VM's modified-sector records, machine pages the
 * monitor owns (8 sectors each), and a read takes each sector from the
 * VM's record if it wrote one, else from the image. The records live as
 * long as the VM (cowdisk_export() saves a VM's view of the disk). Whole
 * blocks read from a cow image are shared between VMs through the global
 * disk cache (diskcache.h).
 */
#ifndef DISCO_COWDISK_H
#define DISCO_COWDISK_H

#include <stdbool.h>
#include <stdint.h>

#include "disco/types.h"

/**
 * Start a transfer of @p count sectors between virtual disk @p disk of
 * @p v's VM and guest physical memory at @p gpa (the caller has checked
 * that the range is the VM's, sector-aligned and on the disk). Every page
 * of the buffer gets its machine page first and stays pinned until the
 * transfer is over. Completion is asynchronous: when the last page is
 * done, vdisk->status becomes 2 (3 if the machine failed or refused any
 * part) and the waiting vCPU gets the virtual disk interrupt; a request
 * the machine refused entirely completes at once with status 3.
 * On a cow disk a write goes to the VM's records; a read takes each
 * sector from them where the VM wrote, else from the image, and each page
 * of the buffer that is one whole block (8 sectors from a multiple of 8,
 * no record in it) is mapped from the disk cache when cached (before
 * anything is pinned: pmap_share()) or joins it once read. Every page the
 * request writes is made writable first (pmap_make_writable()). A request
 * that sent nothing to the disk completes at once.
 * Returns PMAP_OK when the request is under way (or completed as refused),
 * or PMAP_NO_MEMORY when a buffer page could not be given a machine page
 * (nothing was started; the caller reports the error).
 */
int cowdisk_io(struct vcpu *v, int disk, bool write, uint32_t sector, uint32_t count, uint32_t gpa);

/** Give back a disk's copy-on-write records (machine pages and index); at VM teardown. */
void cowdisk_release(struct vdisk *d);

/**
 * Write @p d's contents as its VM sees them -- the image with the VM's
 * modified sectors over it -- to the new file @p path (for fsck of a VM's
 * view after a run). Returns 0, or -1 with a message in @p err.
 */
int cowdisk_export(const struct vdisk *d, const char *path, char *err, size_t errlen);

#endif
