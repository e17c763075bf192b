/**
 * @file vdev.h
 * @brief Virtual devices: console, disks, timer, IPIs, power.
 *
 * The guest reaches them through monitor calls (hcall.h). Virtual
 * interrupts are bits in the vCPU's virtual Cause.IP, delivered when the
 * guest enables them (emulate_resume()).
 */
#ifndef DISCO_VDEV_H
#define DISCO_VDEV_H

#include <stdbool.h>
#include <stdint.h>

#include "disco/types.h"

/** Raise or clear virtual interrupt line @p line of @p v (and wake it). */
void vdev_set_irq(struct vcpu *v, int line, bool level);

/** Write @p len console bytes of VM @p vm (prefixed by its name per line). */
void vdev_console_write(struct vm *vm, const char *buf, uint32_t len);

/** Flush a partial console line (at halt). */
void vdev_console_flush(struct vm *vm);

/** The virtual timer of @p v: re-arm it for the current virtual Compare. */
void vdev_timer_arm(struct vcpu *v);

/** Cancel the virtual timer of @p v. */
void vdev_timer_cancel(struct vcpu *v);

/**
 * Start a disk request for vCPU @p v (MC_DISK_IO). Returns 0 if started, -1
 * if refused (bad disk, range or buffer: the status becomes "error" at
 * once). A buffer outside the VM's memory stops the VM.
 */
int vdev_disk_io(struct vcpu *v, int disk, int op, uint32_t sector, uint32_t count, uint32_t gpa);

/** MC_DISK_STATUS: the status; done or error is acknowledged by reading it. */
uint32_t vdev_disk_status(struct vcpu *v, int disk);

#endif
