/** @file
 * vm.c - creating virtual machines, and ending them.
 *
 * A VM gets its memory (a pmap: machine pages come on first use), its
 * disks (image files attached to the machine), its guest kernel copied
 * into guest physical memory, and vCPU 0 set up as a real CPU 0 is at
 * reset (MACHINE.md "Reset"): in the guest's kernel mode, Status.BEV = 1,
 * at the entry point, $a0 = 0, $a1 = vCPUs, $a2 = memory bytes, and, as an
 * extension, $a3 = guest physical address of the boot-argument string
 * (placed in the VM's last page, which the kernel may reuse once it has
 * read it).
 *
 * Ending: a VM halts itself (MC_HALT), or the monitor stops it when it
 * misbehaves. Either way its vCPUs leave the CPUs and the other VMs go on;
 * when the last VM ends, the machine halts.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "disco/abi.h"
#include "disco/cowdisk.h"
#include "disco/diskcache.h"
#include "disco/l2tlb.h"
#include "disco/memmap.h"
#include "disco/monitor.h"
#include "disco/pmap.h"
#include "disco/sched.h"
#include "disco/vdev.h"
#include "disco/trace.h"
#include "disco/vm.h"
#include "flash/elf.h"

uint32_t vm_gpfn(const struct vm *vm, uint32_t gpa)
{
    return gpa < vm->mem_bytes ? gpa / MIPS_PAGE_SIZE : NO_PAGE;
}

/* The disk cache key of kernel file path (diskcache.h), or -1 if it
 * cannot be told apart from others (no stat): then nothing is shared. */
static int kernel_key(struct monitor *mon, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    for (int k = 0; k < mon->nkernel_files; k++)
        if (mon->kernel_file[k][0] == (uint64_t)st.st_dev && mon->kernel_file[k][1] == (uint64_t)st.st_ino)
            return DISKCACHE_KERNEL + k;
    if (mon->nkernel_files == DISCO_MAX_VMS)
        return -1;
    mon->kernel_file[mon->nkernel_files][0] = (uint64_t)st.st_dev;
    mon->kernel_file[mon->nkernel_files][1] = (uint64_t)st.st_ino;
    return DISKCACHE_KERNEL + mon->nkernel_files++;
}

/* Load one segment's file bytes at gpa: each page it fills whole maps the
 * machine page of another VM booted from the same file if there is one
 * (shared read-only, paper section 4.2.5), else is written and cached for
 * the next; the rest is copied. */
static int load_segment(struct vm *vm, int key, uint32_t gpa, const uint8_t *data, uint32_t n)
{
    struct diskcache *dc = &vm->mon->dcache;
    while (n > 0) {
        uint32_t off = gpa & (MIPS_PAGE_SIZE - 1);
        uint32_t chunk = MIPS_PAGE_SIZE - off < n ? MIPS_PAGE_SIZE - off : n;
        uint32_t g = gpa / MIPS_PAGE_SIZE;
        uint32_t hit = key >= 0 && chunk == MIPS_PAGE_SIZE ? diskcache_lookup(dc, key, g) : NO_PAGE;
        if (hit != NO_PAGE) {
            pmap_share(vm, g, hit);
        } else {
            if (pmap_write(vm, &vm->vcpu[0], gpa, data, chunk) != 0)
                return -1;
            if (key >= 0 && chunk == MIPS_PAGE_SIZE)
                pmap_cache(vm, g, key, g);
        }
        gpa += chunk;
        data += chunk;
        n -= chunk;
    }
    return 0;
}

/* Copy the kernel's segments into guest physical memory. The kernel is
 * linked in the supervisor segment: virtual 0xC0000000 + PA. */
static int load_kernel(struct vm *vm, const char *path, char *err, size_t errlen)
{
    struct sim_elf elf;
    if (sim_elf_read(path, &elf, err, errlen) != 0)
        return -1;
    int rc = 0, key = kernel_key(vm->mon, path);
    for (int i = 0; i < elf.nsegs && rc == 0; i++) {
        const struct sim_elf_segment *s = &elf.segs[i];
        uint64_t gpa = (uint64_t)s->vaddr - MIPS_KSSEG;
        if (s->vaddr < MIPS_KSSEG || gpa + s->memsz > vm->mem_bytes) {
            snprintf(err, errlen,
                     "%s: segment at 0x%08x (%u bytes) is not inside the VM's memory as seen at "
                     "0xC0000000 (link the kernel for the supervisor segment)",
                     path, s->vaddr, s->memsz);
            rc = -1;
        } else if (load_segment(vm, key, (uint32_t)gpa, s->data, s->filesz) != 0) {
            snprintf(err, errlen, "%s: not enough machine memory for the kernel", path);
            rc = -1;
        }
        /* bss: fresh machine pages are zero already. */
    }
    uint32_t entry = elf.entry;
    sim_elf_free(&elf);
    if (rc == 0 && (entry < MIPS_KSSEG || entry - MIPS_KSSEG >= vm->mem_bytes)) {
        snprintf(err, errlen, "%s: entry point 0x%08x is not in the VM's kernel segment", path, entry);
        rc = -1;
    }
    vm->vcpu[0].pc = entry;
    return rc;
}

/* The machine disk of an image another VM already shares cow, or -1. */
static int shared_cow_disk(const struct monitor *mon, const char *path)
{
    struct stat a, b;
    if (stat(path, &a) != 0)
        return -1;
    for (int j = 0; j < DISCO_MAX_VMS; j++) {
        const struct vm *o = mon->vm[j];
        for (int k = 0; o && k < o->ndisks; k++)
            if (o->disk[k].cow && stat(o->disk[k].path, &b) == 0 && a.st_dev == b.st_dev &&
                a.st_ino == b.st_ino)
                return o->disk[k].mdisk;
    }
    return -1;
}

static void init_vcpu(struct vm *vm, int i, const struct vm_config *cfg)
{
    struct monitor *mon = vm->mon;
    struct vcpu *v = &vm->vcpu[i];
    v->vm = vm;
    v->id = i;
    v->state = VCPU_OFF;
    v->pcpu = -1;
    /* Spread vCPUs over the nodes: VM by VM, vCPU by vCPU. */
    int base = cfg->node >= 0 ? cfg->node : vm->id;
    v->home_node = (base + i) % mon->ncpus;
    v->cp0.status = ST_BEV;
    for (int k = 0; k < 64; k++)
        v->vtlb[k].hi = MIPS_KSEG0 + (uint32_t)k * 2 * MIPS_PAGE_SIZE;
    for (int b = 0; b < L2TLB_BUCKETS; b++)
        v->l2.bucket[b] = -1;
    v->halpage = NO_PAGE;
}

/* A runaway VM: still running at its deadline. */
static void vm_timeout(struct sim *m, void *arg)
{
    struct vm *vm = arg;
    (void)m;
    vm_stop(vm, "still running after %llu cycles (its timeout)", (unsigned long long)vm->timeout);
}

struct vm *vm_create(struct monitor *mon, int id, const struct vm_config *cfg, char *err, size_t errlen)
{
    struct vm *vm = calloc(1, sizeof *vm);
    if (!vm) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    vm->mon = mon;
    vm->id = id;
    snprintf(vm->name, sizeof vm->name, "%s", cfg->name);
    vm->nvcpus = cfg->cpus;
    vm->mem_bytes = cfg->memory;
    vm->npages = cfg->memory / MIPS_PAGE_SIZE;
    vm->exit_status = -1;
    vm->cons_bol = true;
    for (int i = 0; i < vm->nvcpus; i++)
        init_vcpu(vm, i, cfg);
    if (pmap_init(vm) != 0) {
        snprintf(err, errlen, "VM %s: out of memory for its pmap", vm->name);
        goto fail;
    }
    for (int i = 0; i < vm->nvcpus; i++) {
        uint32_t p = memmap_alloc(mon->memmap, vm->vcpu[i].home_node);
        if (p == NO_PAGE) {
            snprintf(err, errlen, "VM %s: no machine memory left for its vCPUs", vm->name);
            goto fail;
        }
        memmap_set_monitor(mon->memmap, p);
        sim_mem_zero_page(mon->m, -1, (uint64_t)p * MIPS_PAGE_SIZE);
        vm->vcpu[i].halpage = p;
    }
    for (int k = 0; k < cfg->ndisks; k++) {
        struct vdisk *d = &vm->disk[k];
        d->vm = vm;
        snprintf(d->path, sizeof d->path, "%s", cfg->disk[k]);
        char why[256];
        d->cow = cfg->disk_cow[k];
        /* A cow image is one machine disk, read-only, for every VM that
         * names it: their reads queue on it as on one real disk. */
        d->mdisk = d->cow ? shared_cow_disk(mon, cfg->disk[k]) : -1;
        if (d->mdisk < 0)
            d->mdisk = sim_attach_disk(mon->m, cfg->disk[k], d->cow, why, sizeof why);
        if (d->mdisk < 0) {
            snprintf(err, errlen, "VM %s: disk %d: %s", vm->name, k, why);
            goto fail;
        }
        d->sectors = sim_disk_capacity(mon->m, d->mdisk);
        if (d->cow && !(d->cow_slot = calloc(d->sectors, sizeof *d->cow_slot))) {
            snprintf(err, errlen, "VM %s: disk %d: out of host memory for its records", vm->name, k);
            goto fail;
        }
        vm->ndisks++;
    }
    char kwhy[600];
    if (load_kernel(vm, cfg->kernel, kwhy, sizeof kwhy) != 0) {
        snprintf(err, errlen, "VM %s: kernel: %s", vm->name, kwhy);
        goto fail;
    }
    struct vcpu *v0 = &vm->vcpu[0];
    /* Boot arguments, NUL-terminated, in the last page. */
    uint32_t args_gpa = vm->mem_bytes - MIPS_PAGE_SIZE;
    if (pmap_write(vm, v0, args_gpa, cfg->args, (uint32_t)strlen(cfg->args) + 1) != 0) {
        snprintf(err, errlen, "VM %s: not enough machine memory", vm->name);
        goto fail;
    }
    if (cfg->console[0]) {
        vm->console = fopen(cfg->console, "w");
        if (!vm->console) {
            snprintf(err, errlen, "VM %s: console file %s: cannot create it", vm->name, cfg->console);
            goto fail;
        }
    }
    vm->timeout = cfg->timeout;
    vm->net.addr = cfg->net;
    snprintf(vm->net.subnet, sizeof vm->net.subnet, "%s", config_subnet(cfg));
    if (cfg->timeout)
        sim_event_at(mon->m, cfg->timeout, vm_timeout, vm);
    v0->gpr[5] = (uint32_t)vm->nvcpus;
    v0->gpr[6] = vm->mem_bytes;
    v0->gpr[7] = args_gpa;
    return vm;
fail:
    vm_destroy(vm);
    return NULL;
}

void vm_destroy(struct vm *vm)
{
    if (!vm)
        return;
    for (int i = 0; i < vm->nvcpus; i++)
        if (vm->vcpu[i].halpage != NO_PAGE && vm->vcpu[i].vm)
            memmap_free(vm->mon->memmap, vm->vcpu[i].halpage);
    for (int k = 0; k < vm->ndisks; k++)
        cowdisk_release(&vm->disk[k]);
    pmap_destroy(vm);
    if (vm->console)
        fclose(vm->console);
    free(vm->marks);
    free(vm);
}

void vm_halt(struct vm *vm, int status)
{
    struct monitor *mon = vm->mon;
    if (vm->halted)
        return;
    vm->halted = true;
    vm->exit_status = status;
    if (mon->trace) {
        char what[64];
        snprintf(what, sizeof what, "%s: status %d", vm->name, status);
        trace_instant(mon, -1, "vm", "halt", what);
    }
    vdev_console_flush(vm);
    for (int i = 0; i < vm->nvcpus; i++)
        sched_remove(&vm->vcpu[i]);
    if (--mon->vms_running == 0) {
        int all_ok = 1;
        for (int i = 0; i < mon->nvms; i++)
            if (mon->vm[i]->failed || mon->vm[i]->exit_status != 0)
                all_ok = 0;
        sim_halt(mon->m, all_ok ? 0 : 1);
    }
}

void vm_stop(struct vm *vm, const char *fmt, ...)
{
    if (vm->halted)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(vm->stop_reason, sizeof vm->stop_reason, fmt, ap);
    va_end(ap);
    vdev_console_flush(vm);
    fprintf(stderr, "disco: VM %s stopped: %s\n", vm->name, vm->stop_reason);
    trace_instant(vm->mon, -1, "vm", "stopped", vm->stop_reason);
    if (vm->console)
        fprintf(vm->console, "disco: VM stopped: %s\n", vm->stop_reason);
    vm->failed = true;
    vm_halt(vm, -1);
}
