/*
 * disk.c - DMA disk controllers (physical 0x1F003000 + 0x100 * k, k < 16).
 *
 *   0x00 SECTOR      first 512-byte sector of the request
 *   0x04 COUNT       number of sectors
 *   0x08 DMA_ADDR    physical address of the buffer; must lie in memory
 *   0x0C CMD         write 1: read disk to memory; 2: write memory to disk
 *   0x10 STATUS      0 idle, 1 busy, 2 done, 3 error (read-only)
 *   0x14 ACK         write: clear done or error, and IP2
 *   0x18 CAPACITY    sectors (read-only; 0 when no disk is attached)
 *   0x1C TARGET_CPU  CPU that gets IP2 when the request completes
 *
 * A request with a bad range (beyond the disk, DMA outside memory, zero
 * sectors, a write to a read-only disk, no disk) ends at once in error. A
 * good one completes after the modelled latency:
 *
 *   overhead + (seek + rotation, unless it starts where the last ended)
 *            + bytes * 300 / MB/s        (cycles at the 300 MHz clock)
 *
 * where the rotational delay is drawn from a generator seeded by --seed, so
 * it varies between requests but is the same in every run. The DMA happens
 * at completion: it writes memory, invalidates cached copies and breaks LL
 * links on the lines it writes. IP2 is a level on each CPU: raised while any
 * disk that targets the CPU is done or in error and not yet acknowledged.
 *
 * The monitor reaches the same disks through sim_disk_submit(), which
 * queues requests behind each other and calls back at completion.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

enum { DISK_IDLE = 0, DISK_BUSY = 1, DISK_DONE = 2, DISK_ERROR = 3 };
#define SECTOR 512u

int disk_attach(struct sim *m, const char *path, bool read_only, char *err, size_t errlen)
{
    if (m->ndisks >= SIM_MAX_DISKS) {
        snprintf(err, errlen, "%s: too many disks (at most %d)", path, SIM_MAX_DISKS);
        return -1;
    }
    int fd = open(path, read_only ? O_RDONLY : O_RDWR);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
        sb.st_size % SECTOR != 0) {
        snprintf(err, errlen, "%s: a disk image must be a regular file of a non-zero multiple of %u bytes",
                 path, SECTOR);
        close(fd);
        return -1;
    }
    int k = m->ndisks++;
    struct disk *d = &m->disk[k];
    d->fd = fd;
    d->read_only = read_only;
    d->path = strdup(path);
    d->sectors = (uint64_t)sb.st_size / SECTOR;
    return k;
}

void disk_close_all(struct sim *m)
{
    for (int k = 0; k < m->ndisks; k++) {
        struct disk *d = &m->disk[k];
        while (d->queue) {
            struct disk_req *r = d->queue;
            d->queue = r->next;
            free(r);
        }
        close(d->fd);
        free(d->path);
    }
    m->ndisks = 0;
}

/* xorshift64: a small, well-known generator; the same seed, the same draws. */
static uint64_t next_random(struct sim *m)
{
    uint64_t x = m->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    m->rng = x;
    return x;
}

static uint64_t latency(struct sim *m, struct disk *d, uint64_t sector, uint32_t count)
{
    const struct sim_config *cfg = &m->cfg;
    uint64_t t = cfg->disk_overhead;
    if (sector != d->head) {
        t += cfg->disk_seek;
        if (cfg->disk_rotation)
            t += next_random(m) % cfg->disk_rotation;
    }
    t += (uint64_t)count * SECTOR * 300 / cfg->disk_mbps;
    return t;
}

/* Level of IP2 on one CPU: any disk targeting it done or in error. */
static void update_irq(struct sim *m, int cpu)
{
    bool level = false;
    for (int k = 0; k < SIM_MAX_DISKS; k++) {
        struct disk *d = &m->disk[k];
        if ((int)d->reg_target == cpu && (d->reg_status == DISK_DONE || d->reg_status == DISK_ERROR))
            level = true;
    }
    cpu_set_ip(&m->cpu[cpu], IRQ_DISK, level);
}

static void mmio_finish(struct sim *m, int k, bool ok)
{
    struct disk *d = &m->disk[k];
    d->reg_status = ok ? DISK_DONE : DISK_ERROR;
    if (d->reg_target < (uint32_t)m->ncpus)
        update_irq(m, (int)d->reg_target);
}

/* Move the data, at completion time. */
static bool transfer(struct sim *m, struct disk *d, const struct disk_req *r)
{
    size_t len = (size_t)r->count * SECTOR;
    off_t off = (off_t)(r->sector * SECTOR);
    uint8_t *p = m->ram + r->pa;
    ssize_t n;
    if (r->write) {
        n = pwrite(d->fd, p, len, off);
        d->st.writes++;
        d->st.sectors_written += r->count;
    } else {
        n = pread(d->fd, p, len, off);
        mem_dma_written(m, r->pa, len);
        d->st.reads++;
        d->st.sectors_read += r->count;
    }
    if (n != (ssize_t)len) {
        fprintf(stderr, "flashsim: error: disk %s: %s failed at sector %llu\n", d->path,
                r->write ? "write" : "read", (unsigned long long)r->sector);
        d->st.errors++;
        return false;
    }
    return true;
}

/* A disk request on the timeline, on the track of the CPU that issued it
 * (or CPU 0, for the monitor between CPUs). */
static void disk_instant(struct sim *m, const struct disk_req *r, const char *what, uint64_t at)
{
    char detail[96];
    snprintf(detail, sizeof detail, "disk%d %s sector %llu count %u", r->disk,
             r->write ? "write" : "read", (unsigned long long)r->sector, r->count);
    int cpu = m->running ? m->running->id : 0;
    sim_timeline_instant(m, cpu, "disk", what, at, detail);
}

static void complete(struct sim *m, void *arg)
{
    struct disk_req *r = arg;
    struct disk *d = &m->disk[r->disk];
    /* Requests complete in order: r is the head of the queue. */
    d->queue = r->next;
    if (!d->queue)
        d->queue_tail = NULL;
    bool ok = transfer(m, d, r);
    if (timeline_wants(m, SIM_TIMELINE_DISKS))
        disk_instant(m, r, ok ? "disk done" : "disk failed", r->done_at);
    if (r->mmio)
        mmio_finish(m, r->disk, ok);
    if (r->done)
        r->done(m, r->disk, ok, r->arg);
    free(r);
}

uint64_t sim_caller_time(const struct sim *m)
{
    return m->running ? m->running->cycles : m->now;
}

int disk_submit(struct sim *m, int k, bool write, uint64_t sector, uint32_t count, uint64_t pa,
                bool mmio, sim_disk_done_fn done, void *arg)
{
    if (k < 0 || k >= m->ndisks)
        return -1;
    struct disk *d = &m->disk[k];
    if (count == 0 || sector > d->sectors || count > d->sectors - sector ||
        !mem_is_ram(m, pa, (uint64_t)count * SECTOR) || (write && d->read_only)) {
        d->st.errors++;
        return -1;
    }
    struct disk_req *r = calloc(1, sizeof *r);
    if (!r)
        return -1;
    *r = (struct disk_req){.disk = k, .write = write, .sector = sector, .count = count,
                           .pa = pa, .mmio = mmio, .done = done, .arg = arg};
    uint64_t start = sim_caller_time(m);
    if (d->busy_until > start)
        start = d->busy_until;
    r->done_at = start + latency(m, d, sector, count);
    d->busy_until = r->done_at;
    d->head = sector + count;
    if (!event_add(m, r->done_at, complete, r)) {
        free(r);
        return -1;
    }
    if (d->queue_tail)
        d->queue_tail->next = r;
    else
        d->queue = r;
    d->queue_tail = r;
    if (timeline_wants(m, SIM_TIMELINE_DISKS))
        disk_instant(m, r, "disk request", sim_caller_time(m));
    if (tracing(m, SIM_TRACE_DEV))
        fprintf(m->trace, "disk%d %s sector %llu count %u pa %llx done at %llu\n", k,
                write ? "write" : "read", (unsigned long long)sector, count,
                (unsigned long long)pa, (unsigned long long)r->done_at);
    return 0;
}

uint32_t disk_read_reg(struct sim *m, int k, uint32_t off, bool *ok)
{
    struct disk *d = &m->disk[k];
    switch (off) {
    case 0x00: return d->reg_sector;
    case 0x04: return d->reg_count;
    case 0x08: return d->reg_dma;
    case 0x0C: case 0x14: return 0;
    case 0x10: return d->reg_status;
    case 0x18: return k < m->ndisks ? (uint32_t)d->sectors : 0;
    case 0x1C: return d->reg_target;
    default: *ok = false; return 0;
    }
}

bool disk_write_reg(struct cpu *c, int k, uint32_t off, uint32_t v)
{
    struct sim *m = c->m;
    struct disk *d = &m->disk[k];
    switch (off) {
    case 0x00: d->reg_sector = v; return true;
    case 0x04: d->reg_count = v; return true;
    case 0x08: d->reg_dma = v; return true;
    case 0x0C:
        if (d->reg_status == DISK_BUSY)
            return true; /* one request at a time: ignored while busy */
        if ((v == 1 || v == 2) &&
            disk_submit(m, k, v == 2, d->reg_sector, d->reg_count, d->reg_dma, true, NULL, NULL) == 0)
            d->reg_status = DISK_BUSY;
        else
            mmio_finish(m, k, false);
        return true;
    case 0x10: case 0x18: return true; /* read-only */
    case 0x14: {
        d->reg_status = DISK_IDLE;
        if (d->reg_target < (uint32_t)m->ncpus)
            update_irq(m, (int)d->reg_target);
        return true;
    }
    case 0x1C: {
        uint32_t old = d->reg_target;
        d->reg_target = v;
        if (old < (uint32_t)m->ncpus)
            update_irq(m, (int)old);
        if (v < (uint32_t)m->ncpus)
            update_irq(m, (int)v);
        return true;
    }
    default: return false;
    }
}
