/** @file
 * vdev.c - virtual devices: console, disks, timer and interrupts.
 *
 * A virtual interrupt is a bit in the vCPU's virtual Cause.IP. Raising one
 * wakes a waiting vCPU (or pokes the CPU it runs on); the guest takes it
 * when its virtual Status allows (emulate_resume()). Lines: IP2 disk
 * completion, IP4 IPI from another vCPU, IP7 virtual timer, as on the real
 * machine (MACHINE.md).
 */
#include <string.h>

#include "disco/abi.h"
#include "disco/cowdisk.h"
#include "disco/emulate.h"
#include "disco/monitor.h"
#include "disco/sched.h"
#include "disco/pmap.h"
#include "disco/vdev.h"
#include "disco/vm.h"

void vdev_set_irq(struct vcpu *v, int line, bool level)
{
    uint32_t bit = 1u << (CAUSE_IP_SHIFT + line);
    if (level) {
        v->cp0.cause |= bit;
        sched_kick(v);
    } else {
        v->cp0.cause &= ~bit;
    }
}

/* ---- console ---- */

static void emit_line(struct vm *vm)
{
    struct monitor *mon = vm->mon;
    size_t n = (size_t)vm->linelen;
    /* fwrite, not "%s": a console passes every byte, NULs included. */
    if (mon->cfg.prefix)
        fprintf(mon->out, "%s: ", vm->name);
    fwrite(vm->line, 1, n, mon->out);
    fputc('\n', mon->out);
    if (vm->console) {
        fwrite(vm->line, 1, n, vm->console);
        fputc('\n', vm->console);
    }
    vm->linelen = 0;
}

void vdev_console_write(struct vm *vm, const char *buf, uint32_t len)
{
    for (uint32_t i = 0; i < len; i++) {
        char ch = buf[i];
        if (ch == '\n') {
            emit_line(vm);
        } else {
            vm->line[vm->linelen++] = ch;
            if (vm->linelen == (int)sizeof vm->line - 1)
                emit_line(vm); /* an overlong line is cut, not lost */
        }
    }
}

void vdev_console_flush(struct vm *vm)
{
    if (vm->linelen)
        emit_line(vm);
    if (vm->console)
        fflush(vm->console);
}

/* ---- virtual timer: Count == Compare raises the virtual IP7 ---- */

static void timer_fire(struct sim *m, void *arg)
{
    struct vcpu *v = arg;
    (void)m;
    v->timer_event = 0;
    if (v->state == VCPU_DEAD)
        return;
    vdev_set_irq(v, IRQ_TIMER, true);
    vdev_timer_arm(v); /* Count wraps: the next match is 2^32 cycles on */
}

void vdev_timer_cancel(struct vcpu *v)
{
    if (v->timer_event) {
        sim_event_cancel(v->vm->mon->m, v->timer_event);
        v->timer_event = 0;
    }
}

void vdev_timer_arm(struct vcpu *v)
{
    struct monitor *mon = v->vm->mon;
    vdev_timer_cancel(v);
    if (v->state == VCPU_DEAD)
        return;
    uint64_t t = monitor_now(mon);
    uint32_t delta = v->cp0.compare - (uint32_t)(t - v->cp0.count_base);
    v->timer_event = sim_event_at(mon->m, t + (delta ? delta : (1ull << 32)), timer_fire, v);
}

/* ---- disks ---- */

/* A request the controller refuses ends at once in error, with the
 * completion interrupt, as the machine's disk controller does. */
static int refuse(struct vcpu *v, struct vdisk *d)
{
    d->status = 3;
    d->waiter = v;
    vdev_set_irq(v, IRQ_DISK, true);
    return -1;
}

int vdev_disk_io(struct vcpu *v, int disk, int op, uint32_t sector, uint32_t count, uint32_t gpa)
{
    struct vm *vm = v->vm;
    struct monitor *mon = vm->mon;
    monitor_charge(mon, mon->cost.disk_request);
    if (disk < 0 || disk >= vm->ndisks)
        return -1; /* no such disk: nothing to report completion on */
    struct vdisk *d = &vm->disk[disk];
    if (d->status == 1)
        return -1; /* one request at a time: ignored while busy, as the controller */
    uint64_t bytes = (uint64_t)count * 512;
    if ((op != 1 && op != 2) || count == 0 || (uint64_t)sector + count > d->sectors || (gpa & 511))
        return refuse(v, d);
    if ((uint64_t)gpa + bytes > vm->mem_bytes) {
        vm_stop(vm, "disk DMA of %u sectors to 0x%08x, outside its %u KB of memory", count, gpa,
                vm->mem_bytes >> 10);
        return -1;
    }
    d->status = 1;
    d->failed = false;
    d->waiter = v;
    int rc = cowdisk_io(v, disk, op == 2, sector, count, gpa);
    if (rc != PMAP_OK) {
        vm_stop(vm, "%s (disk DMA of %u sectors to 0x%08x)", pmap_strerror(rc), count, gpa);
        return -1;
    }
    return 0;
}

uint32_t vdev_disk_status(struct vcpu *v, int disk)
{
    if (disk < 0 || disk >= v->vm->ndisks)
        return 3;
    struct vm *vm = v->vm;
    struct vdisk *d = &vm->disk[disk];
    uint32_t s = d->status;
    if (s == 2 || s == 3) {
        d->status = 0;
        /* IP2 is a level: it stays up while another disk of this vCPU is
         * done and not yet acknowledged. */
        bool still = false;
        for (int k = 0; k < vm->ndisks; k++)
            if (vm->disk[k].waiter == d->waiter && (vm->disk[k].status == 2 || vm->disk[k].status == 3))
                still = true;
        if (d->waiter && !still)
            vdev_set_irq(d->waiter, IRQ_DISK, false);
    }
    return s;
}
