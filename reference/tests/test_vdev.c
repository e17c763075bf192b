/*
 * test_vdev.c - virtual devices (vdev.h): virtual interrupt lines, the
 * console with its per-VM line prefix, the virtual timer, and disks.
 */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "disco/check.h"
#include "disco/memmap.h"
#include "disco/pmap.h"
#include "disco/sched.h"
#include "disco/vdev.h"
#include "test_fixture.h"

static struct fx f;

static void setup(void)
{
    fx_init(&f);
    fx_capture_stderr(&f);
}

static void teardown(void)
{
    fx_fini(&f);
}

TestSuite(vdev, .init = setup, .fini = teardown);

#define IP(line) (1u << (CAUSE_IP_SHIFT + (line)))

/* A monitor with one VM "a" running @p p (default: halt at once). */
static struct vm *one_vm(const struct prog *p)
{
    struct prog halt;
    if (!p) {
        prog_init(&halt);
        p_halt(&halt, 0);
        p = &halt;
    }
    fx_vm(&f, "a", p);
    fx_create(&f);
    return f.mon->vm[0];
}

static uint32_t mark(const struct vm *vm, int i)
{
    cr_assert_gt(vm->nmarks, i, "only %d marks", vm->nmarks);
    return vm->marks[i].value;
}

/* ---- interrupt lines ------------------------------------------------------------ */

Test(vdev, set_irq_raises_and_clears_a_virtual_cause_bit)
{
    struct vm *vm = one_vm(NULL);
    struct vcpu *v = &vm->vcpu[0];
    vdev_set_irq(v, IRQ_DISK, true);
    vdev_set_irq(v, IRQ_IPI, true);
    cr_assert_eq(v->cp0.cause & CAUSE_IP_MASK, IP(IRQ_DISK) | IP(IRQ_IPI));
    vdev_set_irq(v, IRQ_DISK, false);
    cr_assert_eq(v->cp0.cause & CAUSE_IP_MASK, IP(IRQ_IPI));
    vdev_set_irq(v, IRQ_DISK, false);
    cr_assert_eq(v->cp0.cause & CAUSE_IP_MASK, IP(IRQ_IPI), "clearing twice is harmless");
}

Test(vdev, raising_an_irq_wakes_a_waiting_vcpu)
{
    struct vm *vm = one_vm(NULL);
    struct vcpu *v = &vm->vcpu[0];
    fx_place(f.mon, v, 0);
    sched_wait(v);
    vdev_set_irq(v, IRQ_TIMER, false);
    cr_assert_eq(v->state, VCPU_WAITING, "clearing a line wakes nobody");
    vdev_set_irq(v, IRQ_TIMER, true);
    cr_assert_eq(v->state, VCPU_RUNNABLE);
}

/* ---- console -------------------------------------------------------------------------- */

Test(vdev, console_assembles_lines_with_the_vm_name)
{
    struct vm *vm = one_vm(NULL);
    vdev_console_write(vm, "hel", 3);
    cr_assert_str_eq(fx_out(&f), "", "a partial line waits for its end");
    vdev_console_write(vm, "lo\nwor", 6);
    cr_assert_str_eq(fx_out(&f), "a: hello\n");
    vdev_console_write(vm, "ld\n\n", 4);
    cr_assert_str_eq(fx_out(&f), "a: hello\na: world\na: \n");
}

Test(vdev, console_lines_of_two_vms_do_not_mix)
{
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    fx_vm(&f, "alpha", &p);
    fx_vm(&f, "beta", &p);
    fx_create(&f);
    vdev_console_write(f.mon->vm[0], "one ", 4);
    vdev_console_write(f.mon->vm[1], "two\n", 4);
    vdev_console_write(f.mon->vm[0], "three\n", 6);
    cr_assert_str_eq(fx_out(&f), "beta: two\nalpha: one three\n");
}

Test(vdev, console_flush_emits_a_partial_line)
{
    struct vm *vm = one_vm(NULL);
    vdev_console_write(vm, "no newline", 10);
    vdev_console_flush(vm);
    cr_assert_str_eq(fx_out(&f), "a: no newline\n");
    vdev_console_flush(vm);
    cr_assert_str_eq(fx_out(&f), "a: no newline\n", "nothing more to flush");
}

Test(vdev, console_without_prefix)
{
    f.cfg.monitor.prefix = false;
    struct vm *vm = one_vm(NULL);
    vdev_console_write(vm, "plain\n", 6);
    cr_assert_str_eq(fx_out(&f), "plain\n");
}

Test(vdev, console_copy_file_gets_the_lines_without_prefix)
{
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    char log[256];
    snprintf(log, sizeof log, "%s", fx_path(&f, "a.log"));
    snprintf(c->console, sizeof c->console, "%s", log);
    fx_create(&f);
    vdev_console_write(f.mon->vm[0], "to both\nrest", 12);
    vdev_console_flush(f.mon->vm[0]);
    FILE *in = fopen(log, "r");
    cr_assert_not_null(in);
    char buf[128] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, in);
    buf[n] = 0;
    fclose(in);
    cr_assert_str_eq(buf, "to both\nrest\n");
    cr_assert_str_eq(fx_out(&f), "a: to both\na: rest\n");
}

Test(vdev, console_overlong_line_is_cut_not_lost)
{
    struct vm *vm = one_vm(NULL);
    char text[301];
    for (int i = 0; i < 300; i++)
        text[i] = (char)('a' + i % 26);
    text[300] = '\n';
    vdev_console_write(vm, text, sizeof text);
    const char *out = fx_out(&f);
    /* Every character arrives, in order, in lines of at most 255. */
    char joined[400] = "";
    size_t n = 0;
    int lines = 0;
    for (const char *s = out; *s;) {
        cr_assert(strncmp(s, "a: ", 3) == 0, "a line without prefix: %s", s);
        s += 3;
        const char *nl = strchr(s, '\n');
        cr_assert_not_null(nl);
        cr_assert_leq(nl - s, 255);
        memcpy(joined + n, s, (size_t)(nl - s));
        n += (size_t)(nl - s);
        s = nl + 1;
        lines++;
    }
    cr_assert_eq(lines, 2);
    cr_assert_eq(n, 300u);
    cr_assert_eq(memcmp(joined, text, 300), 0);
}

Test(vdev, guest_console_output_is_prefixed_and_ends_at_halt)
{
    struct prog p;
    prog_init(&p);
    p_print(&p, FX_DATA, "hello\nno end");
    p_halt(&p, 0);
    one_vm(&p);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_str_eq(fx_out(&f), "a: hello\na: no end\n");
}

/* ---- the virtual timer -------------------------------------------------------------------- */

Test(vdev, timer_arm_and_cancel)
{
    struct vm *vm = one_vm(NULL);
    struct vcpu *v = &vm->vcpu[0];
    v->cp0.compare = 100000;
    vdev_timer_arm(v);
    cr_assert_neq(v->timer_event, 0u);
    uint64_t first = v->timer_event;
    vdev_timer_arm(v);
    cr_assert_neq(v->timer_event, first, "re-arming replaces the event");
    vdev_timer_cancel(v);
    cr_assert_eq(v->timer_event, 0u);
    v->state = VCPU_DEAD;
    vdev_timer_arm(v);
    cr_assert_eq(v->timer_event, 0u, "a dead vCPU has no timer");
}

/* The guest sets Compare = @p compare with Count = 0, enables IP7 (or
 * not), waits; the interrupt (or the wake-up) reports Count and Cause. */
static void timer_prog(struct prog *p, uint32_t compare, bool enable)
{
    prog_init(p);
    p_org(p, FX_GENERAL);
    p_emit(p, i_mfc0(T0, CP0_COUNT, 0));
    p_mark_reg(p, T0);
    p_emit(p, i_mfc0(T0, CP0_CAUSE, 0));
    p_mark_reg(p, T0);
    p_halt(p, 0);
    p_org(p, FX_ENTRY);
    p_emit(p, i_mtc0(ZERO, CP0_STATUS, 0));
    p_emit(p, i_mtc0(ZERO, CP0_COUNT, 0));
    p_li(p, T0, compare);
    p_emit(p, i_mtc0(T0, CP0_COMPARE, 0));
    p_li(p, T0, enable ? ST_IE | (1u << (ST_IM_SHIFT + IRQ_TIMER)) : 0);
    p_emit(p, i_mtc0(T0, CP0_STATUS, 0));
    p_emit(p, i_wait());
    if (enable) {
        p_emit(p, i_beq(ZERO, ZERO, -2)); /* back to the WAIT */
        p_emit(p, i_nop());
    } else {
        p_emit(p, i_mfc0(T0, CP0_COUNT, 0));
        p_mark_reg(p, T0);
        p_emit(p, i_mfc0(T0, CP0_CAUSE, 0));
        p_mark_reg(p, T0);
        p_halt(p, 0);
    }
}

Test(vdev, timer_interrupt_arrives_at_compare)
{
    struct prog p;
    timer_prog(&p, 200000, true);
    struct vm *vm = one_vm(&p);
    cr_assert_eq(monitor_run(f.mon), 0);
    uint32_t count = mark(vm, 0), cause = mark(vm, 1);
    cr_assert(count >= 200000 && count < 200000 + 5000,
              "the handler saw Count %u: the interrupt should come at Compare = 200000", count);
    cr_assert(cause & IP(IRQ_TIMER), "Cause 0x%08x without IP7", cause);
    cr_assert_eq((cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_INT);
    cr_assert_eq(vm->vcpu[0].vinterrupts, 1u);
    cr_assert_geq(vm->vcpu[0].time.idle, 190000u, "the vCPU waited for most of it");
}

Test(vdev, masked_timer_still_ends_a_wait)
{
    struct prog p;
    timer_prog(&p, 100000, false);
    struct vm *vm = one_vm(&p);
    cr_assert_eq(monitor_run(f.mon), 0);
    uint32_t count = mark(vm, 0), cause = mark(vm, 1);
    cr_assert(count >= 100000 && count < 100000 + 5000, "woke at Count %u", count);
    cr_assert(cause & IP(IRQ_TIMER));
    cr_assert_eq(vm->vcpu[0].vinterrupts, 0u, "masked: no interrupt delivered");
}

/* ---- disks -------------------------------------------------------------------------------- */

/* A VM with disk 0 of 64 sectors that waits once, then halts. */
static struct vm *disk_vm(void)
{
    struct prog p;
    prog_init(&p);
    p_emit(&p, i_wait());
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_disk(&f, "a.img", 64));
    c->ndisks = 1;
    fx_create(&f);
    return f.mon->vm[0];
}

static void check_pattern(struct vm *vm, uint32_t gpa, uint32_t sector, uint32_t count)
{
    uint8_t *buf = malloc(count * 512);
    cr_assert_eq(pmap_read(vm, &vm->vcpu[0], gpa, buf, count * 512), 0);
    for (uint32_t s = 0; s < count; s++)
        for (uint32_t j = 0; j < 512; j++)
            cr_assert_eq(buf[s * 512 + j], fx_pattern(sector + s, j), "sector %u byte %u", sector + s, j);
    free(buf);
}

Test(vdev, disk_read_is_busy_then_done_with_ip2)
{
    struct vm *vm = disk_vm();
    struct vcpu *v = &vm->vcpu[0];
    cr_assert_eq(vm->disk[0].sectors, 64u);
    cr_assert_eq(vdev_disk_io(v, 0, 1, 3, 8, 0x10000), 0);
    cr_assert_eq(vm->disk[0].status, 1u, "busy");
    cr_assert_eq(vdev_disk_status(v, 0), 1u);
    cr_assert_eq(vm->disk[0].status, 1u, "reading busy acknowledges nothing");
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_eq(vm->disk[0].status, 2u, "done");
    cr_assert(v->cp0.cause & IP(IRQ_DISK), "completion raises the virtual IP2");
    check_pattern(vm, 0x10000, 3, 8);
}

Test(vdev, disk_status_acknowledges_done_and_clears_ip2)
{
    struct vm *vm = disk_vm();
    struct vcpu *v = &vm->vcpu[0];
    cr_assert_eq(vdev_disk_io(v, 0, 1, 0, 1, 0x10000), 0);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_eq(vdev_disk_status(v, 0), 2u);
    cr_assert_eq(vm->disk[0].status, 0u, "acknowledged: idle");
    cr_assert(!(v->cp0.cause & IP(IRQ_DISK)), "IP2 still up after the acknowledgement");
    cr_assert_eq(vdev_disk_status(v, 0), 0u);
}

Test(vdev, disk_read_into_a_buffer_across_pages)
{
    struct vm *vm = disk_vm();
    struct vcpu *v = &vm->vcpu[0];
    /* 16 sectors (8 KB) starting half-way into a page: three pages. */
    cr_assert_eq(vdev_disk_io(v, 0, 1, 20, 16, 0x10800), 0);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_eq(vm->disk[0].status, 2u);
    check_pattern(vm, 0x10800, 20, 16);
}

Test(vdev, disk_write_reaches_the_image)
{
    struct vm *vm = disk_vm();
    struct vcpu *v = &vm->vcpu[0];
    uint8_t data[1024];
    for (int i = 0; i < 1024; i++)
        data[i] = (uint8_t)(255 - i % 251);
    cr_assert_eq(pmap_write(vm, v, 0x20E00, data, sizeof data), 0); /* across a page boundary */
    cr_assert_eq(vdev_disk_io(v, 0, 2, 10, 2, 0x20E00), 0);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_eq(vdev_disk_status(v, 0), 2u);
    FILE *img = fopen(fx_path(&f, "a.img"), "rb");
    cr_assert_not_null(img);
    uint8_t back[1024 + 512];
    cr_assert_eq(fseek(img, 10 * 512, SEEK_SET), 0);
    cr_assert_eq(fread(back, 1, sizeof back, img), sizeof back);
    fclose(img);
    cr_assert_eq(memcmp(back, data, 1024), 0, "the sectors written differ");
    for (uint32_t j = 0; j < 512; j++)
        cr_assert_eq(back[1024 + j], fx_pattern(12, j), "sector 12 was not to be written");
}

Test(vdev, disk_requests_the_hardware_would_refuse_are_refused)
{
    struct vm *vm = disk_vm();
    struct vcpu *v = &vm->vcpu[0];
    cr_assert_eq(vdev_disk_io(v, 1, 1, 0, 1, 0x10000), -1, "no disk 1");
    cr_assert_eq(vdev_disk_io(v, -1, 1, 0, 1, 0x10000), -1);
    cr_assert_eq(vdev_disk_status(v, 1), 3u, "no such disk: error");
    cr_assert_eq(vdev_disk_io(v, 0, 3, 0, 1, 0x10000), -1, "op 3");
    cr_assert_eq(vdev_disk_status(v, 0), 3u);
    cr_assert_eq(vdev_disk_io(v, 0, 1, 0, 0, 0x10000), -1, "no sectors");
    cr_assert_eq(vdev_disk_status(v, 0), 3u);
    cr_assert_eq(vdev_disk_io(v, 0, 1, 60, 5, 0x10000), -1, "past the end");
    cr_assert_eq(vdev_disk_status(v, 0), 3u, "a refused request reads as error");
    cr_assert_eq(vdev_disk_status(v, 0), 0u, "and the error is acknowledged");
    cr_assert_eq(vdev_disk_io(v, 0, 1, 0, 1, 0x10010), -1, "a buffer not sector aligned");
    cr_assert(!vm->failed, "refusals do not stop the VM");
}

Test(vdev, one_request_at_a_time_per_disk)
{
    struct vm *vm = disk_vm();
    struct vcpu *v = &vm->vcpu[0];
    cr_assert_eq(vdev_disk_io(v, 0, 1, 0, 1, 0x10000), 0);
    cr_assert_eq(vdev_disk_io(v, 0, 1, 1, 1, 0x11000), -1);
    cr_assert_eq(vm->disk[0].status, 1u, "the first is still busy");
}

Test(vdev, disk_dma_outside_memory_stops_the_vm)
{
    struct vm *vm = disk_vm();
    struct vcpu *v = &vm->vcpu[0];
    cr_assert_eq(vdev_disk_io(v, 0, 1, 0, 8, vm->mem_bytes + 4096), -1);
    cr_assert(vm->failed);
    cr_assert(strstr(vm->stop_reason, "DMA") != NULL, "reason: %s", vm->stop_reason);
    cr_assert(strstr(fx_stderr(&f), "disco: VM a stopped:") != NULL, "stderr: %s", fx_stderr(&f));
}

Test(vdev, disk_dma_running_off_the_end_of_memory_stops_the_vm)
{
    struct vm *vm = disk_vm();
    struct vcpu *v = &vm->vcpu[0];
    cr_assert_eq(vdev_disk_io(v, 0, 1, 0, 2, vm->mem_bytes - 512), -1);
    cr_assert(vm->failed);
}

/* The whole path from a guest: MC_DISK_INFO, MC_DISK_IO, WAIT, MC_DISK_STATUS. */
Test(vdev, guest_disk_read_through_monitor_calls)
{
    struct prog p;
    prog_init(&p);
    p_mcall(&p, MC_DISK_INFO, 0);
    p_mark_reg(&p, V0);
    p_li(&p, A1, 5);        /* sector */
    p_li(&p, A2, 2);        /* count */
    p_li(&p, A3, 0x20000);  /* buffer */
    p_mcall(&p, MC_DISK_IO, 0 | 1 << 8);
    p_mark_reg(&p, V0);
    p_mcall(&p, MC_DISK_STATUS, 0);
    p_mark_reg(&p, V0);
    p_emit(&p, i_wait());
    p_emit(&p, i_mfc0(T0, CP0_CAUSE, 0));
    p_mark_reg(&p, T0);
    p_mcall(&p, MC_DISK_STATUS, 0);
    p_mark_reg(&p, V0);
    p_emit(&p, i_mfc0(T0, CP0_CAUSE, 0));
    p_mark_reg(&p, T0);
    p_mcall(&p, MC_DISK_STATUS, 0);
    p_mark_reg(&p, V0);
    p_li(&p, T1, MIPS_KSSEG + 0x20000 + 512);
    p_emit(&p, i_lw(T2, 0, T1));
    p_mark_reg(&p, T2);
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_disk(&f, "a.img", 64));
    c->ndisks = 1;
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    struct vm *vm = f.mon->vm[0];
    cr_assert_eq(mark(vm, 0), 64u, "MC_DISK_INFO: capacity");
    cr_assert_eq(mark(vm, 1), 0u, "MC_DISK_IO started");
    cr_assert_eq(mark(vm, 2), 1u, "busy");
    cr_assert(mark(vm, 3) & IP(IRQ_DISK), "IP2 after the WAIT");
    cr_assert_eq(mark(vm, 4), 2u, "done");
    cr_assert(!(mark(vm, 5) & IP(IRQ_DISK)), "IP2 cleared by reading the status");
    cr_assert_eq(mark(vm, 6), 0u, "idle");
    uint32_t want = fx_pattern(6, 0) | fx_pattern(6, 1) << 8 | fx_pattern(6, 2) << 16 |
                    (uint32_t)fx_pattern(6, 3) << 24;
    cr_assert_eq(mark(vm, 7), want, "the guest reads sector 6 at buffer + 512");
}

Test(vdev, guest_disk_dma_outside_memory_stops_only_that_vm)
{
    struct prog bad;
    prog_init(&bad);
    p_li(&bad, A1, 0);
    p_li(&bad, A2, 8);
    p_li(&bad, A3, (1u << 20) + 4096);
    p_mcall(&bad, MC_DISK_IO, 0 | 1 << 8);
    p_print(&bad, FX_DATA, "still running\n");
    p_halt(&bad, 0);
    struct vm_config *c = fx_vm(&f, "bad", &bad);
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_disk(&f, "bad.img", 64));
    c->ndisks = 1;
    struct prog good;
    prog_init(&good);
    p_print(&good, FX_DATA, "fine\n");
    p_halt(&good, 0);
    fx_vm(&f, "good", &good);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 1);
    cr_assert(f.mon->vm[0]->failed);
    cr_assert(!f.mon->vm[1]->failed);
    cr_assert_eq(f.mon->vm[1]->exit_status, 0);
    cr_assert_str_eq(fx_out(&f), "good: fine\n");
}

/*
 * A DMA whose buffer cannot be given machine pages (machine memory ran
 * out after its first page) stops the VM with a message saying so, and
 * leaves nothing in flight: no transfer started, no page pinned, no
 * completion later.
 */
Test(vdev, a_request_without_machine_memory_stops_the_vm_and_starts_nothing)
{
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_disk(&f, "a.img", 64));
    c->ndisks = 1;
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    struct vcpu *v = &vm->vcpu[0];
    /* Leave one free machine page: the buffer's first page gets it. */
    while (memmap_free_pages(f.mon->memmap) > 1)
        memmap_alloc(f.mon->memmap, 0);
    cr_assert_eq(vdev_disk_io(v, 0, 1, 0, 16, 0x40000), -1, "the second page has no machine page");
    cr_assert(vm->failed, "the VM is stopped");
    cr_assert(strstr(vm->stop_reason, "out of machine memory"), "reason: %s", vm->stop_reason);
    cr_assert_eq(vm->disk[0].pending, 0, "nothing in flight");
    cr_assert_eq(vm->disk[0].pin_count, 0u);
    for (uint32_t g = 0; g < vm->npages; g++)
        cr_assert_eq(vm->pmap[g].pins, 0, "page %u still pinned", g);
}

/*
 * Issue 7: a guest that frees the pages of its own disk read before the
 * read completes (MC_DISK_IO, then MC_FREE_PAGE) must not have the DMA
 * land in a machine page the monitor has since handed out: the pages stay
 * the VM's, pinned, until the transfer ends, and are given back then.
 */
Test(vdev, pages_freed_under_dma_stay_pinned_until_the_transfer_ends)
{
    struct prog p;
    prog_init(&p);
    p_li(&p, A1, 0);        /* sector */
    p_li(&p, A2, 16);       /* two pages */
    p_li(&p, A3, 0x30000);  /* buffer */
    p_mcall(&p, MC_DISK_IO, 0 | 1 << 8);
    p_mcall(&p, MC_FREE_PAGE, 0x30000);
    p_mcall(&p, MC_FREE_PAGE, 0x31000);
    p_emit(&p, i_wait());
    p_mcall(&p, MC_DISK_STATUS, 0);
    p_mark_reg(&p, V0);
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_disk(&f, "a.img", 64));
    c->ndisks = 1;
    c->timeout = 0;
    f.cfg.monitor.check = true; /* every invariant, after every trap */
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_eq(mark(vm, 0), 2u, "the read completed");
    cr_assert_eq(vm->free_pinned, 2u, "both frees were deferred");
    cr_assert_eq(vm->pmap[0x30].mpfn, NO_PAGE, "given back when the transfer ended");
    cr_assert_eq(vm->pmap[0x31].mpfn, NO_PAGE);
    cr_assert_eq(vm->pmap[0x30].pins, 0);
    char why[300] = "";
    cr_assert_eq(check_monitor(f.mon, why, sizeof why), 0, "%s", why);
}
