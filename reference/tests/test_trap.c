/*
 * test_trap.c - the monitor's trap handler (emulate_trap) as the machine
 * calls it: small hand-assembled guests run under monitor_run() and report
 * what they saw with phase markers (MC_MARK), which the test reads back
 * from vm->marks.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "disco/emulate.h"
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

TestSuite(trap, .init = setup, .fini = teardown);

/* Run the one VM built from @p p; its status must be @p want. */
static struct vm *run(const struct prog *p, int want)
{
    fx_vm(&f, "g", p);
    fx_create(&f);
    int rc = monitor_run(f.mon);
    struct vm *vm = f.mon->vm[0];
    cr_assert_eq(rc, want, "monitor_run gave %d (VM %s, reason '%s')", rc,
                 vm->failed ? "stopped" : "not stopped", vm->stop_reason);
    return vm;
}

static uint32_t mark(const struct vm *vm, int i)
{
    cr_assert_gt(vm->nmarks, i, "only %d marks", vm->nmarks);
    return vm->marks[i].value;
}

/* The general vector reports Cause, EPC, BadVAddr and Status, then halts. */
static void report_vector(struct prog *p, uint32_t va)
{
    uint32_t save = p->at;
    p_org(p, va);
    p_emit(p, i_mfc0(T0, CP0_CAUSE, 0));
    p_mark_reg(p, T0);
    p_emit(p, i_mfc0(T0, CP0_EPC, 0));
    p_mark_reg(p, T0);
    p_emit(p, i_mfc0(T0, CP0_BADVADDR, 0));
    p_mark_reg(p, T0);
    p_emit(p, i_mfc0(T0, CP0_STATUS, 0));
    p_mark_reg(p, T0);
    p_halt(p, 0);
    p->at = save;
}

Test(trap, a_guest_that_halts_at_once)
{
    struct prog p;
    prog_init(&p);
    p_halt(&p, 0);
    struct vm *vm = run(&p, 0);
    cr_assert(vm->halted);
    cr_assert_eq(vm->exit_status, 0);
    cr_assert(!vm->failed);
    cr_assert_eq(vm->vcpu[0].hcalls, 1u);
    cr_assert_gt(vm->vcpu[0].kseg_misses, 0u, "the kernel's code was mapped on demand");
}

Test(trap, privileged_instructions_of_the_guest_kernel_are_emulated)
{
    struct prog p;
    prog_init(&p);
    p_li(&p, T0, 0xC0001234);
    p_emit(&p, i_mtc0(T0, CP0_EPC, 0));
    p_emit(&p, i_mfc0(T1, CP0_EPC, 0));
    p_mark_reg(&p, T1);
    p_emit(&p, i_mfc0(T2, CP0_PRID, 0));
    p_mark_reg(&p, T2);
    p_emit(&p, i_mfc0(T2, CP0_STATUS, 0));
    p_mark_reg(&p, T2);
    p_halt(&p, 0);
    struct vm *vm = run(&p, 0);
    cr_assert_eq(mark(vm, 0), 0xC0001234u);
    cr_assert_eq(mark(vm, 1), 0x00018001u);
    cr_assert_eq(mark(vm, 2), ST_BEV, "a VM starts as a CPU out of reset: BEV=1");
    cr_assert_eq(vm->vcpu[0].emulated, 4u);
    cr_assert_eq(vm->vcpu[0].traps[EXC_CPU], 4u);
}

Test(trap, vcpu0_starts_with_the_reset_registers)
{
    /* a0 is overwritten by the first mark: copy the registers first. */
    struct prog q;
    prog_init(&q);
    p_emit(&q, i_addu(S0, A0, ZERO));
    p_emit(&q, i_addu(S1, A1, ZERO));
    p_emit(&q, i_addu(S2, A2, ZERO));
    p_emit(&q, i_addu(S3, A3, ZERO));
    p_mark_reg(&q, S0);
    p_mark_reg(&q, S1);
    p_mark_reg(&q, S2);
    p_mark_reg(&q, S3);
    p_halt(&q, 0);
    struct vm *vm = run(&q, 0);
    cr_assert_eq(mark(vm, 0), 0u, "$a0 = vCPU number");
    cr_assert_eq(mark(vm, 1), 1u, "$a1 = vCPUs");
    cr_assert_eq(mark(vm, 2), 1u << 20, "$a2 = memory bytes");
    cr_assert_eq(mark(vm, 3), (1u << 20) - MIPS_PAGE_SIZE, "$a3 = boot arguments, in the last page");
}

Test(trap, break_is_forwarded_to_the_general_vector)
{
    struct prog p;
    prog_init(&p);
    report_vector(&p, FX_GENERAL);
    p_emit(&p, i_mtc0(ZERO, CP0_STATUS, 0)); /* BEV off */
    uint32_t at = p_here(&p);
    p_emit(&p, i_break());
    p_halt(&p, 7);
    struct vm *vm = run(&p, 0);
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_BP);
    cr_assert_eq(mark(vm, 1), at, "EPC is the BREAK");
    cr_assert(mark(vm, 3) & ST_EXL);
    cr_assert_eq(vm->vcpu[0].forwarded, 1u);
}

Test(trap, break_in_a_delay_slot_sets_bd_and_epc_to_the_branch)
{
    struct prog p;
    prog_init(&p);
    report_vector(&p, FX_GENERAL);
    p_emit(&p, i_mtc0(ZERO, CP0_STATUS, 0));
    uint32_t at = p_here(&p);
    p_emit(&p, i_beq(ZERO, ZERO, 2));
    p_emit(&p, i_break());
    p_halt(&p, 7);
    struct vm *vm = run(&p, 0);
    cr_assert(mark(vm, 0) & CAUSE_BD);
    cr_assert_eq(mark(vm, 1), at);
}

Test(trap, address_error_in_kseg0_is_forwarded_with_badvaddr)
{
    struct prog p;
    prog_init(&p);
    report_vector(&p, FX_GENERAL);
    p_emit(&p, i_mtc0(ZERO, CP0_STATUS, 0));
    p_li(&p, T0, 0x80000010);
    uint32_t at = p_here(&p);
    p_emit(&p, i_lw(T1, 0, T0));
    p_halt(&p, 7);
    struct vm *vm = run(&p, 0);
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_ADEL,
                 "the guest kernel (supervisor mode) may not use kseg0");
    cr_assert_eq(mark(vm, 1), at);
    cr_assert_eq(mark(vm, 2), 0x80000010u);
}

Test(trap, access_beyond_guest_memory_in_its_kernel_segment_is_a_bus_error)
{
    struct prog p;
    prog_init(&p);
    report_vector(&p, FX_GENERAL);
    p_emit(&p, i_mtc0(ZERO, CP0_STATUS, 0));
    p_li(&p, T0, MIPS_KSSEG + (2u << 20)); /* 2 MB into a 1 MB VM */
    p_emit(&p, i_lw(T1, 0, T0));
    p_halt(&p, 7);
    struct vm *vm = run(&p, 0);
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_DBE);
}

/* A VM of 257 pages: the monitor maps its kernel segment a page pair at a
 * time, so page 256 and page 257 (not the VM's) share a TLB entry. Whether
 * page 256 was used first or not, reading page 257 is a bus error. */
Test(trap, access_beyond_memory_next_to_a_mapped_page_is_a_bus_error)
{
    struct prog p;
    prog_init(&p);
    report_vector(&p, FX_GENERAL);
    p_emit(&p, i_mtc0(ZERO, CP0_STATUS, 0));
    p_li(&p, T0, MIPS_KSSEG + 256 * MIPS_PAGE_SIZE);
    p_emit(&p, i_lw(T1, 0, T0));                /* page 256: the VM's last page */
    p_emit(&p, i_lw(T1, MIPS_PAGE_SIZE, T0));   /* page 257: not the VM's */
    p_halt(&p, 7);
    fx_vm(&f, "g", &p)->memory = (1u << 20) + MIPS_PAGE_SIZE;
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    struct vm *vm = f.mon->vm[0];
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_DBE,
                 "Cause 0x%08x (ExcCode %u): expected a bus error (DBE = 7) as for any address past "
                 "the VM's memory",
                 mark(vm, 0), (mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT);
}

Test(trap, fpu_instruction_is_forwarded_as_cpu_with_ce_1)
{
    struct prog p;
    prog_init(&p);
    report_vector(&p, FX_GENERAL);
    p_emit(&p, i_mtc0(ZERO, CP0_STATUS, 0));
    p_emit(&p, 0x44000000u); /* mfc1 $0, $f0 */
    p_halt(&p, 7);
    struct vm *vm = run(&p, 0);
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_CPU);
    cr_assert_eq((mark(vm, 0) & CAUSE_CE_MASK) >> CAUSE_CE_SHIFT, 1u);
}

Test(trap, unknown_cop0_instruction_is_forwarded_as_reserved)
{
    struct prog p;
    prog_init(&p);
    report_vector(&p, FX_GENERAL);
    p_emit(&p, i_mtc0(ZERO, CP0_STATUS, 0));
    p_emit(&p, 0x4200001Fu); /* deret */
    p_halt(&p, 7);
    struct vm *vm = run(&p, 0);
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_RI);
}

/* User mode: map VA 0x00400000 to guest page 3 (the data page), drop to
 * user mode there with ERET, and let the user code do @p insn. */
static void user_prog(struct prog *p, uint32_t insn)
{
    prog_init(p);
    report_vector(p, FX_GENERAL);
    uint32_t code[2] = {insn, i_nop()};
    p_bytes(p, FX_DATA, code, sizeof code);
    p_emit(p, i_mtc0(ZERO, CP0_STATUS, 0));
    p_li(p, T0, 0x00400000);
    p_emit(p, i_mtc0(T0, CP0_ENTRYHI, 0));
    p_li(p, T0, (3u << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_D | ENTRYLO_V);
    p_emit(p, i_mtc0(T0, CP0_ENTRYLO0, 0));
    p_emit(p, i_mtc0(ZERO, CP0_ENTRYLO1, 0));
    p_emit(p, i_mtc0(ZERO, CP0_INDEX, 0));
    p_emit(p, i_tlbwi());
    p_li(p, T0, 0x00400000);
    p_emit(p, i_mtc0(T0, CP0_EPC, 0));
    p_li(p, T0, ST_KSU_USER | ST_EXL);
    p_emit(p, i_mtc0(T0, CP0_STATUS, 0));
    p_emit(p, i_eret());
    p_halt(p, 7);
}

Test(trap, syscall_from_user_mode_is_forwarded_to_the_guest_kernel)
{
    struct prog p;
    user_prog(&p, i_syscall());
    struct vm *vm = run(&p, 0);
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_SYS);
    cr_assert_eq(mark(vm, 1), 0x00400000u, "EPC is the user's SYSCALL");
    cr_assert_eq(mark(vm, 3) & (ST_KSU_MASK | ST_EXL), ST_KSU_USER | ST_EXL,
                 "Status 0x%08x: user mode, now at exception level", mark(vm, 3));
    cr_assert_gt(vm->vcpu[0].time.user, 0u, "some time was spent in user mode");
}

Test(trap, privileged_instruction_in_user_mode_is_cpu_not_emulated)
{
    struct prog p;
    user_prog(&p, i_mfc0(T0, CP0_STATUS, 0));
    struct vm *vm = run(&p, 0);
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_CPU);
    cr_assert_eq((mark(vm, 0) & CAUSE_CE_MASK), 0u);
    cr_assert_eq(mark(vm, 1), 0x00400000u);
}

Test(trap, user_tlb_miss_not_in_the_l2_tlb_goes_to_the_guests_refill_vector)
{
    struct prog p;
    user_prog(&p, i_lw(T0, 0, ZERO)); /* VA 0: unmapped */
    report_vector(&p, FX_BASE);       /* the refill vector reports too */
    struct vm *vm = run(&p, 0);
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_TLBL);
    cr_assert_eq(mark(vm, 1), 0x00400000u);
    cr_assert_eq(mark(vm, 2), 0u, "BadVAddr");
    cr_assert_eq(vm->vcpu[0].l2.misses, 1u);
}

Test(trap, store_to_a_clean_page_is_a_mod_exception_for_the_guest)
{
    struct prog p;
    prog_init(&p);
    report_vector(&p, FX_GENERAL);
    p_emit(&p, i_mtc0(ZERO, CP0_STATUS, 0));
    /* Map 0x00400000 -> guest page 3, valid but not dirty, and store to it
     * from the guest kernel (supervisor mode may use kuseg). */
    p_li(&p, T0, 0x00400000);
    p_emit(&p, i_mtc0(T0, CP0_ENTRYHI, 0));
    p_li(&p, T0, (3u << ENTRYLO_PFN_SHIFT) | (3u << ENTRYLO_C_SHIFT) | ENTRYLO_V);
    p_emit(&p, i_mtc0(T0, CP0_ENTRYLO0, 0));
    p_emit(&p, i_mtc0(ZERO, CP0_ENTRYLO1, 0));
    p_emit(&p, i_mtc0(ZERO, CP0_INDEX, 0));
    p_emit(&p, i_tlbwi());
    p_li(&p, T0, 0x00400010);
    p_emit(&p, i_lw(T1, 0, T0)); /* a load is fine */
    p_emit(&p, i_sw(T1, 0, T0)); /* a store is not */
    p_halt(&p, 7);
    struct vm *vm = run(&p, 0);
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_MOD);
    cr_assert_eq(mark(vm, 2), 0x00400010u);
}

Test(trap, kernel_reads_its_own_image_through_the_kernel_segment)
{
    struct prog p;
    prog_init(&p);
    uint32_t word = 0x5EED1234;
    p_bytes(&p, FX_DATA + 8, &word, 4);
    p_li(&p, T0, FX_DATA);
    p_emit(&p, i_lw(T1, 8, T0));
    p_mark_reg(&p, T1);
    p_li(&p, T2, 0xABCD0001);
    p_emit(&p, i_sw(T2, 12, T0));
    p_emit(&p, i_lw(T3, 12, T0));
    p_mark_reg(&p, T3);
    p_halt(&p, 0);
    struct vm *vm = run(&p, 0);
    cr_assert_eq(mark(vm, 0), 0x5EED1234u);
    cr_assert_eq(mark(vm, 1), 0xABCD0001u);
}

Test(trap, the_hal_page_shows_the_virtual_registers)
{
    struct prog p;
    prog_init(&p);
    p_li(&p, T0, 0xC0000ABC);
    p_emit(&p, i_mtc0(T0, CP0_EPC, 0));
    p_li(&p, T0, MC_HALPAGE);
    p_emit(&p, i_lw(T1, HALPAGE_EPC * 4, T0));
    p_mark_reg(&p, T1);
    p_emit(&p, i_lw(T1, HALPAGE_STATUS * 4, T0));
    p_mark_reg(&p, T1);
    /* Writing EPC in the page is seen by the monitor at the next trap. */
    p_li(&p, T2, 0xC0000DEF);
    p_emit(&p, i_sw(T2, HALPAGE_EPC * 4, T0));
    p_emit(&p, i_mfc0(T3, CP0_EPC, 0));
    p_mark_reg(&p, T3);
    p_halt(&p, 0);
    struct vm *vm = run(&p, 0);
    cr_assert_eq(mark(vm, 0), 0xC0000ABCu);
    cr_assert_eq(mark(vm, 1), ST_BEV);
    cr_assert_eq(mark(vm, 2), 0xC0000DEFu);
}

/* ---- several vCPUs, several VMs --------------------------------------------------- */

Test(trap, a_started_vcpu_runs_with_its_number_and_can_interrupt_another)
{
    struct prog p;
    prog_init(&p);
    /* vCPU 1: mark 100 + its number, IPI vCPU 0, then idle for good. */
    p_org(&p, 0xC0002000);
    p_emit(&p, i_addiu(S0, A0, 100));
    p_mark_reg(&p, S0);
    p_mcall(&p, MC_IPI_SEND, 0);
    uint32_t idle = p_here(&p);
    p_mcall(&p, MC_IDLE, 0);
    p_emit(&p, i_beq(ZERO, ZERO, (int)(idle - p_here(&p) - 4) / 4));
    p_emit(&p, i_nop());
    /* vCPU 0: start vCPU 1, wait for its IPI, report Cause. */
    p_org(&p, FX_ENTRY);
    p_li(&p, A1, 0xC0002000);
    p_mcall(&p, MC_CPU_START, 1);
    p_mark_reg(&p, V0);
    p_emit(&p, i_wait());
    p_emit(&p, i_mfc0(T0, CP0_CAUSE, 0));
    p_mark_reg(&p, T0);
    p_halt(&p, 0);
    fx_vm(&f, "smp", &p)->cpus = 2;
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    struct vm *vm = f.mon->vm[0];
    cr_assert_eq(vm->nmarks, 3, "%d marks", vm->nmarks);
    bool saw101 = false, saw_cause = false;
    for (int i = 0; i < vm->nmarks; i++) {
        saw101 |= vm->marks[i].value == 101;
        saw_cause |= (vm->marks[i].value & (1u << (CAUSE_IP_SHIFT + IRQ_IPI))) != 0;
    }
    cr_assert_eq(mark(vm, 0), 0u, "MC_CPU_START succeeded");
    cr_assert(saw101, "vCPU 1 did not run with $a0 = 1");
    cr_assert(saw_cause, "vCPU 0 woke without IP4 pending");
    cr_assert_eq(vm->vcpu[1].state, VCPU_DEAD, "halting the VM ends all its vCPUs");
}

Test(trap, a_spinning_vm_gives_up_the_cpu_when_its_quantum_ends)
{
    f.cfg.machine.nodes = 1;
    f.cfg.monitor.quantum = 20000;
    struct prog spin;
    prog_init(&spin);
    p_li(&spin, T0, 200000);
    uint32_t loop = p_here(&spin);
    p_emit(&spin, i_addiu(T0, T0, -1));
    p_emit(&spin, i_bne(T0, ZERO, (int)(loop - p_here(&spin) - 4) / 4));
    p_emit(&spin, i_nop());
    p_print(&spin, FX_DATA, "spun\n");
    p_halt(&spin, 0);
    struct prog quick;
    prog_init(&quick);
    p_print(&quick, FX_DATA, "quick\n");
    p_halt(&quick, 0);
    fx_vm(&f, "spin", &spin);
    fx_vm(&f, "quick", &quick);
    fx_create(&f);
    cr_assert_eq(monitor_run(f.mon), 0);
    cr_assert_str_eq(fx_out(&f), "quick: quick\nspin: spun\n",
                     "the VM queued second should have run during the first one's loop");
    cr_assert_geq(f.mon->pcpu[0].switches, 3u);
}

Test(trap, without_the_hal_page_its_address_is_a_bus_error)
{
    f.cfg.monitor.halpage = false;
    struct prog p;
    prog_init(&p);
    report_vector(&p, FX_GENERAL);
    p_emit(&p, i_mtc0(ZERO, CP0_STATUS, 0));
    p_li(&p, T0, MC_HALPAGE);
    p_emit(&p, i_lw(T1, 0, T0));
    p_halt(&p, 7);
    struct vm *vm = run(&p, 0);
    cr_assert_eq((mark(vm, 0) & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, (unsigned)EXC_DBE);
}

Test(trap, a_freed_page_reads_back_as_zero_through_the_kernel_segment)
{
    struct prog p;
    prog_init(&p);
    p_li(&p, T0, MIPS_KSSEG + 0x50000);
    p_li(&p, T1, 0x12345678);
    p_emit(&p, i_sw(T1, 16, T0));
    p_emit(&p, i_lw(T2, 16, T0));
    p_mark_reg(&p, T2);
    p_mcall(&p, MC_FREE_PAGE, 0x50000);
    p_li(&p, T0, MIPS_KSSEG + 0x50000);
    p_emit(&p, i_lw(T2, 16, T0));
    p_mark_reg(&p, T2);
    p_halt(&p, 0);
    struct vm *vm = run(&p, 0);
    cr_assert_eq(mark(vm, 0), 0x12345678u);
    cr_assert_eq(mark(vm, 1), 0u, "the old contents are still mapped after MC_FREE_PAGE");
    cr_assert_eq(vm->freed_pages, 1u);
}

Test(trap, zero_page_is_seen_by_the_guest)
{
    struct prog p;
    prog_init(&p);
    p_li(&p, T0, MIPS_KSSEG + 0x50000);
    p_li(&p, T1, 0x12345678);
    p_emit(&p, i_sw(T1, 100, T0));
    p_mcall(&p, MC_ZERO_PAGE, 0x50000);
    p_li(&p, T0, MIPS_KSSEG + 0x50000);
    p_emit(&p, i_lw(T2, 100, T0));
    p_mark_reg(&p, T2);
    p_halt(&p, 0);
    struct vm *vm = run(&p, 0);
    cr_assert_eq(mark(vm, 0), 0u);
}
