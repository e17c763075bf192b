/*
 * test_hcall.c - monitor calls (hcall.h, guests/include/disco/abi.h),
 * dispatched as the trap handler does for a SYSCALL in supervisor mode:
 * arguments in a0..a3 of the CPU the vCPU runs on, results in v0/v1.
 *
 * One VM "a" (two vCPUs, one 64-sector disk); vCPU 0 on CPU 0.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "disco/hcall.h"
#include "disco/vdev.h"
#include "disco/l2tlb.h"
#include "disco/pmap.h"
#include "disco/monitor.h"
#include "test_fixture.h"

static struct fx f;
static struct monitor *mon;
static struct vm *vm;
static struct vcpu *v;

#define PC 0xC0001100u

static void setup(void)
{
    fx_init(&f);
    fx_capture_stderr(&f);
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    struct vm_config *c = fx_vm(&f, "a", &p);
    c->cpus = 2;
    snprintf(c->disk[0], sizeof c->disk[0], "%s", fx_disk(&f, "a.img", 64));
    c->ndisks = 1;
    mon = fx_create(&f);
    vm = mon->vm[0];
    v = &vm->vcpu[0];
    fx_place(mon, v, 0);
    v->cp0.status = 0;
}

static void teardown(void)
{
    fx_fini(&f);
}

TestSuite(hcall, .init = setup, .fini = teardown);

static uint32_t call(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    sim_cpu_set_reg(mon->m, 0, V0, nr);
    sim_cpu_set_reg(mon->m, 0, A0, a0);
    sim_cpu_set_reg(mon->m, 0, A1, a1);
    sim_cpu_set_reg(mon->m, 0, A2, a2);
    sim_cpu_set_reg(mon->m, 0, A3, a3);
    hcall_dispatch(v, PC, false);
    return sim_cpu_reg(mon->m, 0, V0);
}

Test(hcall, the_guest_continues_after_the_syscall)
{
    call(MC_INFO, MC_INFO_VMID, 0, 0, 0);
    cr_assert_eq(v->pc, PC + 4);
}

Test(hcall, a_call_in_a_delay_slot_continues_at_the_branch_target)
{
    uint32_t b = i_beq(ZERO, ZERO, 7);
    cr_assert_eq(pmap_write(vm, v, 0x2000, &b, 4), 0);
    sim_cpu_set_reg(mon->m, 0, V0, MC_INFO);
    sim_cpu_set_reg(mon->m, 0, A0, MC_INFO_NCPUS);
    hcall_dispatch(v, 0xC0002000, true);
    cr_assert_eq(v->pc, 0xC0002004u + 28);
    cr_assert_eq(sim_cpu_reg(mon->m, 0, V0), 2u);
}

Test(hcall, info_tells_vcpus_memory_and_vm_id)
{
    cr_assert_eq(call(MC_INFO, MC_INFO_NCPUS, 0, 0, 0), 2u);
    cr_assert_eq(call(MC_INFO, MC_INFO_MEMSIZE, 0, 0, 0), 1u << 20);
    cr_assert_eq(call(MC_INFO, MC_INFO_VMID, 0, 0, 0), 0u);
    cr_assert_eq(call(MC_INFO, 99, 0, 0, 0), (uint32_t)-1);
}

Test(hcall, an_unknown_call_returns_minus_one)
{
    cr_assert_eq(call(0, 0, 0, 0, 0), (uint32_t)-1);
    cr_assert_eq(call(MC_MAX + 1, 0, 0, 0, 0), (uint32_t)-1);
    cr_assert_eq(call(0xFFFFFFFF, 0, 0, 0, 0), (uint32_t)-1);
    cr_assert(!vm->failed);
}

Test(hcall, cons_write_prints_guest_memory)
{
    cr_assert_eq(pmap_write(vm, v, 0x5000, "hi there\n", 9), 0);
    cr_assert_eq(call(MC_CONS_WRITE, 0x5000, 9, 0, 0), 9u);
    cr_assert_str_eq(fx_out(&f), "a: hi there\n");
}

Test(hcall, cons_write_of_a_long_buffer_across_pages)
{
    static char text[3001];
    for (int i = 0; i < 3000; i++)
        text[i] = (i % 100 == 99) ? '\n' : (char)('0' + i % 10);
    cr_assert_eq(pmap_write(vm, v, 0x6F00, text, 3000), 0);
    cr_assert_eq(call(MC_CONS_WRITE, 0x6F00, 3000, 0, 0), 3000u);
    const char *out = fx_out(&f);
    int lines = 0;
    for (const char *s = out; (s = strchr(s, '\n')); s++)
        lines++;
    cr_assert_eq(lines, 30);
    cr_assert_eq(strlen(out), 3000u + 30 * 3, "every byte, each line with 'a: '");
}

Test(hcall, cons_write_outside_memory_stops_the_vm)
{
    call(MC_CONS_WRITE, vm->mem_bytes - 4, 64, 0, 0);
    cr_assert(vm->failed);
    cr_assert(strstr(vm->stop_reason, "MC_CONS_WRITE") != NULL, "reason: %s", vm->stop_reason);
    cr_assert(strstr(fx_stderr(&f), "disco: VM a stopped: ") != NULL);
}

Test(hcall, cons_read_has_no_input_and_cons_ctrl_is_kept)
{
    cr_assert_eq(call(MC_CONS_READ, 0, 0, 0, 0), (uint32_t)-1);
    cr_assert_eq(call(MC_CONS_CTRL, 3, 0, 0, 0), 0u);
    cr_assert_eq(vm->cons_ctrl, 1);
    call(MC_CONS_CTRL, 0, 0, 0, 0);
    cr_assert_eq(vm->cons_ctrl, 0);
}

Test(hcall, disk_info_gives_capacity_or_zero)
{
    cr_assert_eq(call(MC_DISK_INFO, 0, 0, 0, 0), 64u);
    cr_assert_eq(call(MC_DISK_INFO, 1, 0, 0, 0), 0u);
    cr_assert_eq(call(MC_DISK_INFO, 0xFFFFFFFF, 0, 0, 0), 0u);
}

Test(hcall, disk_io_and_status)
{
    cr_assert_eq(call(MC_DISK_IO, 0 | 1 << 8, 0, 4, 0x8000), 0u);
    cr_assert_eq(vm->disk[0].status, 1u);
    cr_assert_eq(call(MC_DISK_STATUS, 0, 0, 0, 0), 1u);
    cr_assert_eq(call(MC_DISK_IO, 0 | 1 << 8, 0, 4, 0x8000), (uint32_t)-1, "busy");
    cr_assert_eq(call(MC_DISK_IO, 1 | 1 << 8, 0, 4, 0x8000), (uint32_t)-1, "no disk 1");
}

Test(hcall, zero_page_zeroes_a_used_page)
{
    char junk[32];
    memset(junk, 0x77, sizeof junk);
    cr_assert_eq(pmap_write(vm, v, 10 * MIPS_PAGE_SIZE + 4000, junk, sizeof junk), 0);
    cr_assert_eq(call(MC_ZERO_PAGE, 10 * MIPS_PAGE_SIZE, 0, 0, 0), 0u);
    char back[32];
    cr_assert_eq(pmap_read(vm, v, 10 * MIPS_PAGE_SIZE + 4000, back, sizeof back), 0);
    for (size_t i = 0; i < sizeof back; i++)
        cr_assert_eq(back[i], 0);
    cr_assert_eq(vm->zero_pages, 1u);
}

Test(hcall, zero_page_of_an_unused_page_allocates_nothing)
{
    uint32_t n = vm->pages_allocated;
    cr_assert_eq(call(MC_ZERO_PAGE, 12 * MIPS_PAGE_SIZE, 0, 0, 0), 0u);
    cr_assert_eq(vm->pages_allocated, n);
}

Test(hcall, zero_page_not_a_page_of_the_vm_stops_it)
{
    call(MC_ZERO_PAGE, 10 * MIPS_PAGE_SIZE + 4, 0, 0, 0);
    cr_assert(vm->failed, "an unaligned page");
}

Test(hcall, zero_page_beyond_memory_stops_the_vm)
{
    call(MC_ZERO_PAGE, vm->mem_bytes, 0, 0, 0);
    cr_assert(vm->failed);
}

Test(hcall, free_page_gives_the_machine_page_back)
{
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v, 11, &lo), 0);
    uint32_t n = vm->pages_allocated;
    cr_assert_eq(call(MC_FREE_PAGE, 11 * MIPS_PAGE_SIZE, 0, 0, 0), 0u);
    cr_assert_eq(vm->pmap[11].mpfn, NO_PAGE);
    cr_assert_eq(vm->pages_allocated, n - 1);
    cr_assert_eq(vm->freed_pages, 1u);
}

Test(hcall, page_kinds_splits_the_memory_by_what_the_guest_says)
{
    /* A table at page 20 says: page 10 is user memory, page 11 the buffer
     * cache. Pages not in the table count as unclassified. */
    uint8_t kinds[32] = {0};
    kinds[10] = MC_KIND_USER;
    kinds[11] = MC_KIND_BUFFER;
    kinds[20] = MC_KIND_KDATA;
    cr_assert_eq(pmap_write(vm, v, 20 * MIPS_PAGE_SIZE, kinds, sizeof kinds), 0);
    cr_assert_eq(call(MC_PAGE_KINDS, 20 * MIPS_PAGE_SIZE, sizeof kinds, 0, 0), 0u);
    uint32_t lo;
    cr_assert_eq(pmap_lookup(vm, v, 10, &lo), 0);
    cr_assert_eq(pmap_lookup(vm, v, 11, &lo), 0);
    struct monitor_memory mm = monitor_memory(mon);
    cr_assert_eq(mm.v_kind[MC_KIND_USER], 1u);
    cr_assert_eq(mm.v_kind[MC_KIND_BUFFER], 1u);
    cr_assert_eq(mm.v_kind[MC_KIND_KDATA], 1u, "the table's own page");
    uint64_t all = 0, mall = 0;
    for (int k = 0; k <= MC_NKINDS; k++) {
        all += mm.v_kind[k];
        mall += mm.m_kind[k];
    }
    cr_assert_eq(all, mm.v, "every page the VM uses is counted once");
    cr_assert_eq(mall, mm.m);
}

Test(hcall, page_kinds_outside_memory_is_refused_and_the_vm_runs_on)
{
    cr_assert_eq(call(MC_PAGE_KINDS, vm->mem_bytes - 8, 64, 0, 0), (uint32_t)-1);
    cr_assert_eq(call(MC_PAGE_KINDS, 0, 0, 0, 0), (uint32_t)-1, "an empty table");
    cr_assert_not(vm->failed);
    cr_assert_eq(vm->kinds_pages, 0u);
    struct monitor_memory mm = monitor_memory(mon);
    cr_assert_eq(mm.v_kind[MC_NKINDS], mm.v, "without a table every page is unclassified");
}

Test(hcall, free_page_not_a_page_of_the_vm_stops_it)
{
    call(MC_FREE_PAGE, vm->mem_bytes + MIPS_PAGE_SIZE, 0, 0, 0);
    cr_assert(vm->failed);
}

Test(hcall, idle_waits_only_with_nothing_pending)
{
    v->cp0.cause |= 1u << (CAUSE_IP_SHIFT + IRQ_IPI);
    cr_assert_eq(call(MC_IDLE, 0, 0, 0, 0), 0u);
    cr_assert_eq(v->state, VCPU_RUNNING);
    v->cp0.cause = 0;
    call(MC_IDLE, 0, 0, 0, 0);
    cr_assert_eq(v->state, VCPU_WAITING);
}

Test(hcall, cpu_start_readies_another_vcpu_as_out_of_reset)
{
    cr_assert_eq(call(MC_CPU_START, 1, 0xC0004000, 0, 0), 0u);
    struct vcpu *v1 = &vm->vcpu[1];
    cr_assert_eq(v1->state, VCPU_RUNNABLE);
    cr_assert_eq(v1->pc, 0xC0004000u);
    cr_assert_eq(v1->gpr[A0], 1u, "$a0 = its number");
    cr_assert_eq(v1->cp0.status, ST_BEV);
    cr_assert_eq(call(MC_CPU_START, 1, 0xC0004000, 0, 0), (uint32_t)-1, "already started");
    cr_assert_eq(call(MC_CPU_START, 2, 0xC0004000, 0, 0), (uint32_t)-1, "no vCPU 2");
}

Test(hcall, ipi_send_raises_ip4_on_a_started_vcpu_and_ack_clears_it)
{
    struct vcpu *v1 = &vm->vcpu[1];
    cr_assert_eq(call(MC_IPI_SEND, 1, 0, 0, 0), (uint32_t)-1, "vCPU 1 is still in reset");
    cr_assert_eq(call(MC_IPI_SEND, 5, 0, 0, 0), (uint32_t)-1, "no vCPU 5");
    call(MC_CPU_START, 1, 0xC0004000, 0, 0);
    cr_assert_eq(call(MC_IPI_SEND, 1, 0, 0, 0), 0u);
    cr_assert(v1->cp0.cause & (1u << (CAUSE_IP_SHIFT + IRQ_IPI)));
    cr_assert(!(v->cp0.cause & (1u << (CAUSE_IP_SHIFT + IRQ_IPI))), "the sender got it");
    /* An IPI to itself, then acknowledged. */
    cr_assert_eq(call(MC_IPI_SEND, 0, 0, 0, 0), 0u);
    cr_assert(v->cp0.cause & (1u << (CAUSE_IP_SHIFT + IRQ_IPI)));
    cr_assert_eq(call(MC_IPI_ACK, 0, 0, 0, 0), 0u);
    cr_assert(!(v->cp0.cause & (1u << (CAUSE_IP_SHIFT + IRQ_IPI))));
}

Test(hcall, tlb_flush_empties_every_level)
{
    v->vtlb[4].hi = 0x00400000;
    v->vtlb[4].lo[0] = (20u << ENTRYLO_PFN_SHIFT) | ENTRYLO_V;
    v->vtlb[4].lo[1] = 0;
    cr_assert_eq(l2tlb_update(v, 4), 0);
    struct sim_tlb_entry te = {0x00400000, v->l2.e[4].mlo[0], 0, 0};
    sim_tlb_write(mon->m, 0, 3, &te);
    cr_assert_eq(call(MC_TLB_FLUSH, 0, 0, 0, 0), 0u);
    cr_assert_null(l2tlb_lookup(v, 0x00400000, 0));
    cr_assert_eq(sim_tlb_probe(mon->m, 0, 0x00400000), -1);
    for (int i = 0; i < 64; i++) {
        cr_assert_geq(v->vtlb[i].hi, MIPS_KSEG0, "virtual entry %d still maps user space", i);
        cr_assert_eq(v->vtlb[i].lo[0] & ENTRYLO_V, 0u);
    }
    cr_assert_null(vm->pmap[20].maps);
}

Test(hcall, halt_ends_the_vm_with_its_status)
{
    call(MC_HALT, 5, 0, 0, 0);
    cr_assert(vm->halted);
    cr_assert_eq(vm->exit_status, 5);
    cr_assert(!vm->failed, "halting is not being stopped");
    cr_assert_eq(v->state, VCPU_DEAD);
    cr_assert_eq(vm->vcpu[1].state, VCPU_DEAD);
}

Test(hcall, mark_records_a_phase_marker)
{
    call(MC_MARK, 0xAB, 0, 0, 0);
    call(MC_MARK, 0xCD, 0, 0, 0);
    cr_assert_eq(vm->nmarks, 2);
    cr_assert_eq(vm->marks[0].value, 0xABu);
    cr_assert_eq(vm->marks[1].value, 0xCDu);
    cr_assert_geq(vm->marks[1].cycle, vm->marks[0].cycle);
}

Test(hcall, cycles_gives_both_halves)
{
    sim_cpu_charge(mon->m, 0, 3000);
    uint32_t lo = call(MC_CYCLES, 0, 0, 0, 0);
    uint32_t hi = sim_cpu_reg(mon->m, 0, V1);
    uint64_t t = (uint64_t)hi << 32 | lo;
    cr_assert_geq(t, 3000u);
    cr_assert_leq(t, sim_cpu_cycles(mon->m, 0));
}

/* ---- containment and bounds (issue 7) ---- */

Test(hcall, cons_write_is_charged_per_byte)
{
    static char text[4000];
    memset(text, 'x', sizeof text);
    cr_assert_eq(pmap_write(vm, v, 0x5000, text, sizeof text), 0);
    uint64_t t0 = sim_cpu_stats(mon->m, 0)->cycles[TIME_MONITOR];
    call(MC_CONS_WRITE, 0x5000, 10, 0, 0);
    uint64_t t1 = sim_cpu_stats(mon->m, 0)->cycles[TIME_MONITOR];
    call(MC_CONS_WRITE, 0x5000, 4000, 0, 0);
    uint64_t t2 = sim_cpu_stats(mon->m, 0)->cycles[TIME_MONITOR];
    cr_assert_eq((t2 - t1) - (t1 - t0), 3990u * mon->cost.cons_byte,
                 "3990 more bytes cost 3990 bytes more (%llu vs %llu)", (unsigned long long)(t2 - t1),
                 (unsigned long long)(t1 - t0));
}

Test(hcall, cons_write_of_a_page_never_used_prints_zeros_not_host_memory)
{
    cr_assert_eq(call(MC_CONS_WRITE, 0x40000, 3, 0, 0), 3u);
    vdev_console_flush(vm);
    cr_assert_eq(memcmp(fx_out(&f), "a: \0\0\0\n", 7), 0);
    cr_assert_eq(vm->pmap[0x40].mpfn, NO_PAGE, "printing does not allocate");
}

Test(hcall, console_bytes_after_a_nul_are_kept)
{
    cr_assert_eq(pmap_write(vm, v, 0x5000, "ab\0cd\n", 6), 0);
    call(MC_CONS_WRITE, 0x5000, 6, 0, 0);
    cr_assert_eq(memcmp(fx_out(&f), "a: ab\0cd\n", 9), 0);
}

Test(hcall, a_call_whose_delay_slot_stops_the_vm_is_not_made)
{
    /* SYSCALL in the delay slot of a branch outside the guest kernel:
     * the monitor cannot evaluate the branch and stops the VM; the call
     * (here a halt with status 0) must not run after that. */
    sim_cpu_set_reg(mon->m, 0, V0, MC_HALT);
    sim_cpu_set_reg(mon->m, 0, A0, 0);
    hcall_dispatch(v, 0x00400000, true);
    cr_assert(vm->failed, "stopped");
    cr_assert_neq(vm->exit_status, 0, "MC_HALT ran after the stop");
}

Test(hcall, markers_beyond_the_cap_are_counted_not_kept)
{
    for (int i = 0; i < DISCO_MAX_MARKS + 10; i++)
        call(MC_MARK, (uint32_t)i, 0, 0, 0);
    cr_assert_eq(vm->nmarks, DISCO_MAX_MARKS);
    cr_assert_eq(vm->marks_dropped, 10u);
}
