/*
 * test_vm.c - creating, halting and stopping VMs (vm.h), and what
 * monitor_run() returns for them (monitor.h).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "disco/memmap.h"
#include "disco/pmap.h"
#include "disco/vdev.h"
#include "disco/vm.h"
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

TestSuite(vm, .init = setup, .fini = teardown);

static void halting_prog(struct prog *p, uint32_t status)
{
    prog_init(p);
    p_halt(p, status);
}

/* monitor_create must fail with a message containing each of @p want. */
static void create_fails(const char *want1, const char *want2)
{
    char err[512] = "";
    f.mon = monitor_create(&f.cfg, f.outf, err, sizeof err);
    cr_assert_null(f.mon, "monitor_create accepted the configuration");
    cr_assert(strstr(err, want1) != NULL, "message '%s' does not mention '%s'", err, want1);
    if (want2)
        cr_assert(strstr(err, want2) != NULL, "message '%s' does not mention '%s'", err, want2);
}

/* ---- creation ---------------------------------------------------------------------- */

Test(vm, create_refuses_a_kernel_not_linked_in_the_supervisor_segment)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    cr_assert_eq(fx_write_elf(c->kernel, 0x80001000, p.img, 256, 256, 0x80001000), 0);
    create_fails(c->kernel, "0x80001000");
}

Test(vm, create_refuses_a_missing_kernel_file)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    snprintf(c->kernel, sizeof c->kernel, "%s", fx_path(&f, "no-such-kernel.elf"));
    create_fails("no-such-kernel.elf", NULL);
}

Test(vm, create_refuses_a_kernel_that_is_no_elf_file)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    FILE *k = fopen(c->kernel, "w");
    fputs("#!/bin/sh\necho not a kernel\n", k);
    fclose(k);
    create_fails(c->kernel, "ELF");
}

Test(vm, create_refuses_a_kernel_bigger_than_the_vm)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    cr_assert_eq(fx_write_elf(c->kernel, FX_BASE, p.img, p.size, 2u << 20, FX_ENTRY), 0);
    create_fails(c->kernel, "memory");
}

Test(vm, create_refuses_an_entry_point_outside_the_kernel)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    cr_assert_eq(fx_write_elf(c->kernel, FX_BASE, p.img, p.size, p.size, 0x00400000), 0);
    create_fails(c->kernel, "entry");
}

Test(vm, create_refuses_a_missing_disk_image)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_path(&f, "missing.img"));
    c->ndisks = 1;
    create_fails("missing.img", "VM a");
}

Test(vm, create_names_the_disk_that_is_missing)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_disk(&f, "d0.img", 8));
    snprintf(c->disk[1], sizeof c->disk[1], "%s", fx_path(&f, "d1.img"));
    c->ndisks = 2;
    create_fails("disk 1", "d1.img");
}

Test(vm, create_refuses_a_console_file_it_cannot_create)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    snprintf(c->console, sizeof c->console, "%s", fx_path(&f, "no/such/dir/a.log"));
    create_fails("a.log", NULL);
}

Test(vm, create_fails_when_the_machine_cannot_hold_the_vcpus)
{
    f.cfg.machine.nodes = 1;
    f.cfg.machine.mem_per_node = 64u << 10; /* 16 pages */
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    c->cpus = 32;
    create_fails("VM a", "memory");
}

Test(vm, a_failed_create_gives_everything_back)
{
    /* Run under Valgrind, this also checks nothing leaks on the error path. */
    struct prog p;
    halting_prog(&p, 0);
    fx_vm(&f, "a", &p);
    struct vm_config *c = fx_vm(&f, "b", &p);
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_path(&f, "missing.img"));
    c->ndisks = 1;
    create_fails("VM b", NULL);
}

Test(vm, vcpu0_is_set_up_as_a_cpu_leaving_reset)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    c->cpus = 3;
    snprintf(c->args, sizeof c->args, "-s /etc/rc");
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    struct vcpu *v0 = &vm->vcpu[0];
    cr_assert_eq(v0->pc, FX_ENTRY);
    cr_assert_eq(v0->gpr[A0], 0u);
    cr_assert_eq(v0->gpr[A1], 3u);
    cr_assert_eq(v0->gpr[A2], 1u << 20);
    cr_assert_eq(v0->gpr[A3], (1u << 20) - MIPS_PAGE_SIZE);
    cr_assert_eq(v0->cp0.status, ST_BEV);
    cr_assert_eq(v0->state, VCPU_RUNNABLE);
    char args[16] = "";
    cr_assert_eq(pmap_read(vm, v0, v0->gpr[A3], args, sizeof args), 0);
    cr_assert_str_eq(args, "-s /etc/rc");
    cr_assert_eq(vm->vcpu[1].state, VCPU_OFF);
    cr_assert_eq(vm->vcpu[2].state, VCPU_OFF);
    for (int i = 0; i < 3; i++) {
        uint32_t hp = vm->vcpu[i].halpage;
        cr_assert_neq(hp, NO_PAGE, "vCPU %d has no HAL page", i);
        cr_assert(f.mon->memmap->page[hp].monitor, "HAL page %u not marked as the monitor's", hp);
    }
    cr_assert_eq(vm->exit_status, -1);
    cr_assert(!vm->halted);
}

Test(vm, the_kernel_is_loaded_at_its_physical_address)
{
    struct prog p;
    halting_prog(&p, 0);
    uint32_t word = 0xFEEDF00D;
    p_bytes(&p, FX_DATA + 0x40, &word, 4);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    uint32_t back[4];
    cr_assert_eq(pmap_read(vm, &vm->vcpu[0], FX_ENTRY - FX_BASE, back, sizeof back), 0);
    cr_assert_eq(memcmp(back, &p.img[(FX_ENTRY - FX_BASE) / 4], sizeof back), 0);
    cr_assert_eq(pmap_read(vm, &vm->vcpu[0], FX_DATA - FX_BASE + 0x40, back, 4), 0);
    cr_assert_eq(back[0], 0xFEEDF00Du);
}

Test(vm, the_kernels_bss_is_zero)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    cr_assert_eq(fx_write_elf(c->kernel, FX_BASE, p.img, p.size, p.size + 0x8000, FX_ENTRY), 0);
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    uint8_t buf[0x8000];
    cr_assert_eq(pmap_read(vm, &vm->vcpu[0], p.size, buf, sizeof buf), 0);
    for (size_t i = 0; i < sizeof buf; i++)
        cr_assert_eq(buf[i], 0, "bss byte %zu", i);
}

Test(vm, vcpus_spread_over_nodes_from_the_vm_or_the_configured_node)
{
    struct prog p;
    halting_prog(&p, 0);
    fx_vm(&f, "a", &p)->cpus = 2;
    fx_vm(&f, "b", &p)->cpus = 2;
    struct vm_config *c = fx_vm(&f, "c", &p);
    c->node = 1;
    fx_create(&f);
    cr_assert_eq(f.mon->vm[0]->vcpu[0].home_node, 0);
    cr_assert_eq(f.mon->vm[0]->vcpu[1].home_node, 1);
    cr_assert_eq(f.mon->vm[1]->vcpu[0].home_node, 1, "VM 1 starts on node 1");
    cr_assert_eq(f.mon->vm[1]->vcpu[1].home_node, 0);
    cr_assert_eq(f.mon->vm[2]->vcpu[0].home_node, 1, "node = 1 in its config");
}

Test(vm, gpfn_of_a_guest_physical_address)
{
    struct prog p;
    halting_prog(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    cr_assert_eq(vm_gpfn(vm, 0), 0u);
    cr_assert_eq(vm_gpfn(vm, 0x3FFF), 3u);
    cr_assert_eq(vm_gpfn(vm, vm->mem_bytes - 1), vm->npages - 1);
    cr_assert_eq(vm_gpfn(vm, vm->mem_bytes), NO_PAGE);
    cr_assert_eq(vm_gpfn(vm, 0xFFFFFFFF), NO_PAGE);
}

Test(vm, find_vm_by_name)
{
    struct prog p;
    halting_prog(&p, 0);
    fx_vm(&f, "alpha", &p);
    fx_vm(&f, "beta", &p);
    fx_create(&f);
    cr_assert_eq(monitor_find_vm(f.mon, "beta"), f.mon->vm[1]);
    cr_assert_eq(monitor_find_vm(f.mon, "alpha"), f.mon->vm[0]);
    cr_assert_null(monitor_find_vm(f.mon, "gamma"));
}

/* ---- halting and stopping ----------------------------------------------------------------- */

Test(vm, halt_records_the_status_once)
{
    struct prog p;
    halting_prog(&p, 0);
    fx_vm(&f, "a", &p);
    fx_vm(&f, "b", &p);
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    vm_halt(vm, 4);
    vm_halt(vm, 9);
    cr_assert(vm->halted);
    cr_assert_eq(vm->exit_status, 4);
    cr_assert_eq(f.mon->vms_running, 1);
    cr_assert_eq(vm->vcpu[0].state, VCPU_DEAD);
}

Test(vm, stop_marks_the_vm_failed_with_its_reason)
{
    struct prog p;
    halting_prog(&p, 0);
    fx_vm(&f, "a", &p);
    fx_vm(&f, "b", &p);
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    vm_stop(vm, "test reason %d", 7);
    cr_assert(vm->failed);
    cr_assert(vm->halted);
    cr_assert_str_eq(vm->stop_reason, "test reason 7");
    cr_assert_eq(vm->vcpu[0].state, VCPU_DEAD);
    cr_assert(strstr(fx_stderr(&f), "disco: VM a stopped: test reason 7\n") != NULL, "stderr: %s",
              fx_stderr(&f));
    vm_stop(vm, "another");
    cr_assert_str_eq(vm->stop_reason, "test reason 7", "the first reason stays");
    cr_assert(!f.mon->vm[1]->halted, "the other VM goes on");
    cr_assert_eq(f.mon->vms_running, 1);
}

Test(vm, stop_flushes_the_console_and_notes_it_in_the_copy)
{
    struct prog p;
    halting_prog(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    char log[256];
    snprintf(log, sizeof log, "%s", fx_path(&f, "a.log"));
    snprintf(c->console, sizeof c->console, "%s", log);
    fx_create(&f);
    struct vm *vm = f.mon->vm[0];
    vdev_console_write(vm, "half a line", 11);
    vm_stop(vm, "bad thing");
    cr_assert_str_eq(fx_out(&f), "a: half a line\n");
    fflush(vm->console);
    FILE *in = fopen(log, "r");
    char buf[256] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, in);
    buf[n] = 0;
    fclose(in);
    cr_assert_str_eq(buf, "half a line\ndisco: VM stopped: bad thing\n");
}

/* ---- monitor_run ------------------------------------------------------------------------- */

Test(vm, run_returns_0_when_every_vm_halts_cleanly)
{
    struct prog p;
    prog_init(&p);
    p_print(&p, FX_DATA, "ok\n");
    p_halt(&p, 0);
    fx_vm(&f, "a", &p);
    fx_vm(&f, "b", &p);
    fx_vm(&f, "c", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    for (int i = 0; i < 3; i++) {
        cr_assert(f.mon->vm[i]->halted);
        cr_assert_eq(f.mon->vm[i]->exit_status, 0);
    }
    cr_assert_str_eq(fx_out(&f), "a: ok\nb: ok\nc: ok\n");
}

Test(vm, run_returns_1_when_a_vm_halts_with_another_status)
{
    struct prog p, q;
    halting_prog(&p, 0);
    halting_prog(&q, 3);
    fx_vm(&f, "a", &p);
    fx_vm(&f, "b", &q);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 1);
    cr_assert_eq(f.mon->vm[1]->exit_status, 3);
    cr_assert(!f.mon->vm[1]->failed);
    cr_assert_eq(f.mon->vm[0]->exit_status, 0);
}

Test(vm, a_stopped_vm_fails_the_run_and_the_others_finish)
{
    struct prog p;
    prog_init(&p);
    p_print(&p, FX_DATA, "still here\n");
    p_halt(&p, 0);
    fx_vm(&f, "bad", &p);
    fx_vm(&f, "good", &p);
    fx_create(&f);
    vm_stop(f.mon->vm[0], "stopped before it ran");
    cr_assert_eq(monitor_run(f.mon), 1);
    cr_assert_str_eq(fx_out(&f), "good: still here\n");
    cr_assert_eq(f.mon->vm[1]->exit_status, 0);
    cr_assert(!f.mon->vm[1]->failed);
}

Test(vm, a_forged_tlb_entry_stops_only_its_vm)
{
    struct prog bad;
    prog_init(&bad);
    p_emit(&bad, i_mtc0(ZERO, CP0_INDEX, 0));
    p_li(&bad, T0, 0x00400000);
    p_emit(&bad, i_mtc0(T0, CP0_ENTRYHI, 0));
    p_li(&bad, T0, ((2u << 20) >> 12) << ENTRYLO_PFN_SHIFT | ENTRYLO_V | ENTRYLO_D);
    p_emit(&bad, i_mtc0(T0, CP0_ENTRYLO0, 0));
    p_emit(&bad, i_tlbwi());
    p_print(&bad, FX_DATA, "not stopped\n");
    p_halt(&bad, 0);
    struct prog good;
    prog_init(&good);
    p_print(&good, FX_DATA, "fine\n");
    p_halt(&good, 0);
    fx_vm(&f, "bad", &bad);
    fx_vm(&f, "good", &good);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 1);
    cr_assert(f.mon->vm[0]->failed);
    cr_assert(strstr(f.mon->vm[0]->stop_reason, "forged") != NULL);
    cr_assert_str_eq(fx_out(&f), "good: fine\n");
    cr_assert(strstr(fx_stderr(&f), "disco: VM bad stopped: forged") != NULL, "stderr: %s",
              fx_stderr(&f));
}

Test(vm, a_double_fault_stops_the_vm)
{
    struct prog p;
    prog_init(&p);
    p_emit(&p, i_break()); /* Status.BEV is still 1 */
    p_halt(&p, 0);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 1);
    cr_assert(strstr(f.mon->vm[0]->stop_reason, "double fault") != NULL, "reason: %s",
              f.mon->vm[0]->stop_reason);
}

static void spinning_prog(struct prog *p)
{
    prog_init(p);
    p_emit(p, i_beq(ZERO, ZERO, -1));
    p_emit(p, i_nop());
}

Test(vm, run_returns_124_at_the_cycle_limit)
{
    f.cfg.machine.max_cycles = 300000;
    struct prog p;
    spinning_prog(&p);
    fx_vm(&f, "a", &p);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 124);
    cr_assert(!f.mon->vm[0]->halted);
    cr_assert(strstr(fx_stderr(&f), "cycle limit") != NULL, "stderr: %s", fx_stderr(&f));
}

Test(vm, timeout_stops_a_vm_still_running)
{
    struct prog p, q;
    spinning_prog(&p);
    prog_init(&q);
    p_print(&q, FX_DATA, "done\n");
    p_halt(&q, 0);
    fx_vm(&f, "spin", &p)->timeout = 400000;
    fx_vm(&f, "ok", &q);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 1);
    struct vm *vm = f.mon->vm[0];
    cr_assert(vm->failed);
    cr_assert(strstr(vm->stop_reason, "timeout") != NULL, "reason: %s", vm->stop_reason);
    cr_assert_geq(sim_now(f.mon->m), 400000u);
    cr_assert_lt(sim_now(f.mon->m), 1000000u, "stopped near its timeout");
    cr_assert_str_eq(fx_out(&f), "ok: done\n");
}

Test(vm, a_timeout_after_a_clean_halt_changes_nothing)
{
    struct prog p;
    halting_prog(&p, 0);
    fx_vm(&f, "a", &p)->timeout = 5000000;
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert(!f.mon->vm[0]->failed);
}

Test(vm, create_refuses_a_machine_the_simulator_refuses)
{
    f.cfg.machine.mem_per_node = 3u << 20;
    struct prog p;
    halting_prog(&p, 0);
    fx_vm(&f, "a", &p);
    create_fails("machine", "power of two");
}
