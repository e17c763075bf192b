/*
 * test_dev.c - the devices: console, power and simulator control, IPIs,
 * disks (registers and host API), and bus errors.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct harness h;

static void setup(void) { h_init(&h, NULL); }
static void teardown(void) { h_fini(&h); }

static void setup2(void)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 2;
    h_init(&h, &cfg);
}

TestSuite(console, .init = setup, .fini = teardown);
TestSuite(power, .init = setup, .fini = teardown);
TestSuite(ipi, .init = setup2, .fini = teardown);
TestSuite(buserr, .init = setup, .fini = teardown);

#define IP(line) (1u << (CAUSE_IP_SHIFT + (line)))

/* ---- console ------------------------------------------------------------------ */

Test(console, tx_writes_bytes_and_the_low_byte_of_words)
{
    h_li(&h, S0, CONS_TX);
    h_emit(&h, ori(T0, ZERO, 'H'));
    h_emit(&h, sb(T0, 0, S0));
    h_li(&h, T0, 0x12345669); /* 'i' */
    h_emit(&h, sw(T0, 0, S0));
    h_emit(&h, ori(T0, ZERO, '\n'));
    H_EXEC(&h, sb(T0, 0, S0));
    cr_expect_str_eq(h_console(&h), "Hi\n");
}

Test(console, rx_without_input_reads_all_ones)
{
    h_li(&h, S0, CONS_RX);
    H_EXEC(&h, lw(V0, 0, S0), lbu(V1, 0, S0));
    cr_expect_eq(h_reg(&h, V0), 0xFFFFFFFF);
    cr_expect_eq(h_reg(&h, V1), 0xFF);
}

/* A machine whose console input is a pipe holding `input` (write end closed). */
static int with_input(const char *input)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    cr_assert_eq(write(fds[1], input, strlen(input)), (ssize_t)strlen(input));
    close(fds[1]);
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.console_in_fd = fds[0];
    h_fini(&h);
    h_init(&h, &cfg);
    return fds[0];
}

Test(console, rx_reads_bytes_from_the_input_fd_then_all_ones)
{
    int fd = with_input("ab");
    h_li(&h, S0, CONS_RX);
    H_EXEC(&h, lw(S1, 0, S0), lbu(S2, 0, S0), lw(S3, 0, S0));
    cr_expect_eq(h_reg(&h, S1), 'a');
    cr_expect_eq(h_reg(&h, S2), 'b');
    cr_expect_eq(h_reg(&h, S3), 0xFFFFFFFF);
    close(fd);
}

Test(console, ctrl_bit_0_raises_ip6_on_cpu_0_while_input_waits)
{
    int fd = with_input("x");
    h_li(&h, S0, CONS_TX);
    h_emit(&h, mfc0(S1, CP0_CAUSE, 0));   /* CTRL = 0: no IP6 */
    h_emit(&h, ori(T0, ZERO, 1));
    h_emit(&h, sw(T0, 8, S0));             /* CTRL = 1 */
    h_emit(&h, lw(S5, 8, S0));
    h_emit(&h, mfc0(S2, CP0_CAUSE, 0));   /* input waits: IP6 */
    h_emit(&h, lw(S3, 4, S0));            /* read it */
    H_EXEC(&h, mfc0(S4, CP0_CAUSE, 0));   /* no more input: no IP6 */
    cr_expect_eq(h_reg(&h, S1) & IP(IRQ_CONS), 0);
    cr_expect_eq(h_reg(&h, S5), 1);
    cr_expect(h_reg(&h, S2) & IP(IRQ_CONS));
    cr_expect_eq(h_reg(&h, S3), 'x');
    cr_expect_eq(h_reg(&h, S4) & IP(IRQ_CONS), 0);
    close(fd);
}

Test(console, ctrl_without_input_raises_nothing)
{
    h_li(&h, S0, CONS_TX);
    h_emit(&h, ori(T0, ZERO, 1));
    h_emit(&h, sw(T0, 8, S0));
    H_EXEC(&h, mfc0(S2, CP0_CAUSE, 0));
    cr_expect_eq(h_reg(&h, S2) & IP(IRQ_CONS), 0);
}

/* ---- power and simulator control ------------------------------------------ */

Test(power, ncpus_and_node_mem_read_the_configuration)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 3;
    cfg.mem_per_node = 256u << 10;
    h_fini(&h);
    h_init(&h, &cfg);
    h_li(&h, S0, PWR_NCPUS);
    H_EXEC(&h, lw(V0, 0, S0), lw(V1, 4, S0));
    cr_expect_eq(h_reg(&h, V0), 3);
    cr_expect_eq(h_reg(&h, V1), 256u << 10);
}

Test(power, halt_stops_the_machine_with_the_low_byte_as_status)
{
    h_li(&h, T0, 300);
    h_halt_reg(&h, T0);
    cr_expect_eq(h_go(&h), SIM_STOP_HALT);
    cr_expect_eq(sim_exit_status(h.m), 300 & 0xFF);
    cr_expect_neq(strstr(sim_stop_message(h.m), "cpu0"), NULL, "%s", sim_stop_message(h.m));
}

Test(power, cpu_start_starts_cpu_n_at_cpu_pc_with_a0_n)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.nodes = 3;
    h_fini(&h);
    h_init(&h, &cfg);
    uint32_t entry = 0x80004000u;
    /* CPU 0: CPU_PC = entry, CPU_START = 2, then wait for CPU 2's flag. */
    h_li(&h, S0, PWR_HALT);
    h_li(&h, T0, entry);
    h_emit(&h, sw(T0, 0x10, S0));
    h_emit(&h, lw(S5, 0x10, S0));
    h_emit(&h, ori(T0, ZERO, 2));
    h_emit(&h, sw(T0, 0x0C, S0));
    h_li(&h, S1, DATA_BASE);
    uint32_t loop = h_emit(&h, lw(T1, 0, S1));
    h_emit(&h, beq(T1, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    h_halt(&h, 0);
    /* The started CPU: DATA_BASE[1] = a0, [2] = EBase, [3] = Status, [0] = 1 */
    h_org(&h, entry);
    h_li(&h, S1, DATA_BASE);
    h_emit(&h, sw(A0, 4, S1));
    h_emit(&h, mfc0(T0, CP0_PRID, 1));
    h_emit(&h, sw(T0, 8, S1));
    h_emit(&h, mfc0(T0, CP0_STATUS, 0));
    h_emit(&h, sw(T0, 12, S1));
    h_emit(&h, ori(T0, ZERO, 1));
    h_emit(&h, sw(T0, 0, S1));
    h_emit(&h, b(-1));
    h_emit(&h, nop());
    h_start(&h, 0, CODE_BASE, 0);
    cr_expect_not(sim_cpu_running(h.m, 2));
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect_eq(h_reg(&h, S5), entry, "CPU_PC reads back");
    cr_expect_eq(h_peek32(&h, DATA_BASE + 4), 2, "$a0 of the started CPU");
    cr_expect_eq(h_peek32(&h, DATA_BASE + 8) & 0x3FF, 2);
    cr_expect(h_peek32(&h, DATA_BASE + 12) & ST_BEV, "started CPUs come up with BEV=1");
    cr_expect(sim_cpu_running(h.m, 2));
    cr_expect_not(sim_cpu_running(h.m, 1));
    cr_expect_gt(h_stats(&h, 1)->cycles[TIME_OFF], 0);
    cr_expect_eq(h_stats(&h, 1)->cycles[TIME_KERNEL], 0);
}

Test(power, cpu_start_of_a_running_or_missing_cpu_is_ignored)
{
    h_li(&h, S0, PWR_HALT);
    h_li(&h, T0, 0x80004000u);
    h_emit(&h, sw(T0, 0x10, S0));
    h_emit(&h, sw(ZERO, 0x0C, S0)); /* CPU 0 itself: running */
    h_emit(&h, ori(T0, ZERO, 7));
    h_emit(&h, sw(T0, 0x0C, S0)); /* no CPU 7 */
    H_EXEC(&h, nop());
    cr_expect_lt(h_stats(&h, 0)->insns[MODE_KERNEL], 30, "CPU 0 was restarted");
}

Test(power, cycle_lo_and_hi_read_the_cpus_own_cycle_count)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.cache_enabled = false;
    h_fini(&h);
    h_init(&h, &cfg);
    h_li(&h, S0, PWR_HALT);
    for (int i = 0; i < 20; i++)
        h_emit(&h, nop());
    H_EXEC(&h, lw(S1, 0x14, S0), mfc0(S2, CP0_COUNT, 0), lw(S3, 0x18, S0), lw(S4, 0x14, S0));
    cr_expect_geq(h_reg(&h, S1), 22);
    cr_expect_eq(h_reg(&h, S2), h_reg(&h, S1) + 1, "CYCLE_LO %u, Count %u", h_reg(&h, S1),
                 h_reg(&h, S2));
    cr_expect_eq(h_reg(&h, S3), 0);
    cr_expect_eq(h_reg(&h, S4), h_reg(&h, S1) + 3);
}

Test(power, marks_appear_in_the_statistics_as_marks_and_phases)
{
    h_li(&h, S0, PWR_MARK);
    h_emit(&h, ori(T0, ZERO, 7));
    h_emit(&h, sw(T0, 0, S0));
    for (int i = 0; i < 10; i++)
        h_emit(&h, nop());
    h_emit(&h, ori(T0, ZERO, 9));
    H_EXEC(&h, sw(T0, 0, S0));
    json_t *j = h_stats_json(&h);
    json_t *marks = json_object_get(j, "marks");
    cr_assert_eq(json_array_size(marks), 2);
    cr_expect_eq(h_json_u64(j, "marks.0.value"), 7);
    cr_expect_eq(h_json_u64(j, "marks.1.value"), 9);
    cr_expect_eq(h_json_u64(j, "marks.0.cpu"), 0);
    cr_expect_lt(h_json_u64(j, "marks.0.cycle"), h_json_u64(j, "marks.1.cycle"));
    json_t *phases = json_object_get(j, "phases");
    cr_assert_eq(json_array_size(phases), 3);
    cr_expect(json_is_null(json_object_get(json_array_get(phases, 0), "from")));
    cr_expect_eq(h_json_u64(j, "phases.0.to"), 7);
    cr_expect_eq(h_json_u64(j, "phases.1.from"), 7);
    cr_expect_eq(h_json_u64(j, "phases.1.to"), 9);
    cr_expect(json_is_null(json_object_get(json_array_get(phases, 2), "to")));
    /* Between the marks: 10 nops, ori, sw (the second mark's store). */
    cr_expect_eq(h_json_u64(j, "phases.1.total.insns.kernel"), 12);
    cr_expect_eq(h_json_u64(j, "phases.1.start"), h_json_u64(j, "marks.0.cycle"));
    cr_expect_eq(h_json_u64(j, "phases.1.end"), h_json_u64(j, "marks.1.cycle"));
    json_decref(j);
}

/* ---- IPIs ------------------------------------------------------------------------ */

Test(ipi, send_raises_ip4_on_the_target_and_ack_clears_it)
{
    /* CPU 0 sends to CPU 1 and spins. CPU 1 waits for IP4 in Cause, ACKs,
     * records Cause before and after, and halts. */
    h_li(&h, S0, IPI_SEND);
    h_emit(&h, ori(T0, ZERO, 1));
    h_emit(&h, sw(T0, 0, S0));
    h_emit(&h, b(-1));
    h_emit(&h, nop());
    uint32_t cpu1 = 0x80004000u;
    h_org(&h, cpu1);
    h_li(&h, S0, IPI_SEND);
    h_li(&h, T1, IP(IRQ_IPI));
    uint32_t loop = h_emit(&h, mfc0(S1, CP0_CAUSE, 0));
    h_emit(&h, and_(T0, S1, T1));
    h_emit(&h, beq(T0, ZERO, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    h_emit(&h, sw(ZERO, 4, S0)); /* ACK */
    h_emit(&h, mfc0(S2, CP0_CAUSE, 0));
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, 0);
    h_start(&h, 1, cpu1, 0);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_expect(sim_cpu_reg(h.m, 1, S1) & IP(IRQ_IPI));
    cr_expect_eq(sim_cpu_reg(h.m, 1, S2) & IP(IRQ_IPI), 0);
    cr_expect_eq(h_cp0(&h, CP0_CAUSE) & IP(IRQ_IPI), 0, "the sender got IP4");
}

Test(ipi, an_enabled_ipi_is_taken_as_an_interrupt)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, S0, IPI_SEND);
    h_emit(&h, ori(T0, ZERO, 1));
    h_emit(&h, sw(T0, 0, S0));
    h_emit(&h, b(-1));
    h_emit(&h, nop());
    uint32_t cpu1 = 0x80004000u;
    h_org(&h, cpu1);
    h_emit(&h, b(-1));
    h_emit(&h, nop());
    h_start(&h, 0, CODE_BASE, 0);
    h_start(&h, 1, cpu1, ST_IE | (1u << (ST_IM_SHIFT + IRQ_IPI)));
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].cpu, 1);
    cr_expect_eq(h.exc[0].code, EXC_INT);
    cr_expect_eq(h_stats(&h, 1)->interrupts[IRQ_IPI], 1);
}

Test(ipi, host_send_and_ack)
{
    cr_expect_eq(sim_ipi_send(h.m, 1), 0);
    cr_expect(sim_cpu_cp0(h.m, 1, CP0_CAUSE, 0) & IP(IRQ_IPI));
    cr_expect_eq(sim_cpu_cp0(h.m, 0, CP0_CAUSE, 0) & IP(IRQ_IPI), 0);
    cr_expect_eq(sim_ipi_ack(h.m, 1), 0);
    cr_expect_eq(sim_cpu_cp0(h.m, 1, CP0_CAUSE, 0) & IP(IRQ_IPI), 0);
    cr_expect_eq(sim_ipi_send(h.m, 2), -1);
    cr_expect_eq(sim_ipi_send(h.m, -1), -1);
    cr_expect_eq(sim_ipi_ack(h.m, 2), -1);
}

Test(ipi, send_to_a_missing_cpu_is_ignored)
{
    h_li(&h, S0, IPI_SEND);
    h_emit(&h, ori(T0, ZERO, 9));
    H_EXEC(&h, sw(T0, 0, S0), lw(V0, 0, S0));
    cr_expect_eq(h_cp0(&h, CP0_CAUSE) & IP(IRQ_IPI), 0);
}

/* ---- disks ------------------------------------------------------------------------- */

#define SECTORS 64u
#define BUF_PA 0x00030000u

/* Word k of sector s in the test image. */
static uint32_t image_word(uint32_t s, uint32_t k) { return 0xD0000000u | s << 16 | k; }

static char *disk_path;

static char *make_image(void)
{
    uint32_t *img = malloc(SECTORS * 512);
    cr_assert_not_null(img);
    for (uint32_t s = 0; s < SECTORS; s++)
        for (uint32_t k = 0; k < 128; k++)
            img[s * 128 + k] = image_word(s, k); /* little-endian host assumed, as the ISA */
    char *p = h_tempfile(img, SECTORS * 512);
    free(img);
    return p;
}

static int attach(bool read_only)
{
    disk_path = make_image();
    char err[256] = "";
    int k = sim_attach_disk(h.m, disk_path, read_only, err, sizeof err);
    cr_assert_geq(k, 0, "sim_attach_disk: %s", err);
    return k;
}

static void disk_teardown(void)
{
    h_fini(&h);
    if (disk_path) {
        unlink(disk_path);
        free(disk_path);
        disk_path = NULL;
    }
}

TestSuite(diskreg, .init = setup2, .fini = disk_teardown);
TestSuite(diskapi, .init = setup2, .fini = disk_teardown);

/* Program a request on disk 0 (S0 = its registers) and spin until STATUS
 * leaves busy; S1 = STATUS right after CMD, S2 = final STATUS, S3 = Cause. */
static void mmio_request(uint32_t sector, uint32_t count, uint32_t dma, uint32_t cmd)
{
    h_li(&h, S0, DISK0);
    h_li(&h, T0, sector);
    h_emit(&h, sw(T0, DISK_SECTOR, S0));
    h_li(&h, T0, count);
    h_emit(&h, sw(T0, DISK_COUNT, S0));
    h_li(&h, T0, dma);
    h_emit(&h, sw(T0, DISK_DMA, S0));
    h_li(&h, T0, cmd);
    h_emit(&h, sw(T0, DISK_CMD, S0));
    h_emit(&h, lw(S1, DISK_STATUS, S0));
    h_emit(&h, ori(T1, ZERO, 1));
    uint32_t loop = h_emit(&h, lw(S2, DISK_STATUS, S0));
    h_emit(&h, beq(S2, T1, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    h_emit(&h, mfc0(S3, CP0_CAUSE, 0));
}

Test(diskreg, capacity_register_and_api)
{
    attach(false);
    h_li(&h, S0, DISK0);
    H_EXEC(&h, lw(V0, DISK_CAPACITY, S0), lw(V1, 0x100 + DISK_CAPACITY, S0));
    cr_expect_eq(h_reg(&h, V0), SECTORS);
    cr_expect_eq(h_reg(&h, V1), 0, "disk 1 is not attached");
    cr_expect_eq(sim_disk_count(h.m), 1);
    cr_expect_eq(sim_disk_capacity(h.m, 0), SECTORS);
    cr_expect_eq(sim_disk_capacity(h.m, 1), 0);
}

Test(diskreg, dma_read_is_busy_then_done_with_ip2_and_the_data)
{
    attach(false);
    mmio_request(2, 2, BUF_PA, 1);
    h_emit(&h, sw(ZERO, DISK_ACK, S0));
    h_emit(&h, lw(S4, DISK_STATUS, S0));
    H_EXEC(&h, mfc0(S5, CP0_CAUSE, 0));
    cr_expect_eq(h_reg(&h, S1), 1, "STATUS right after CMD");
    cr_expect_eq(h_reg(&h, S2), 2, "STATUS at completion");
    cr_expect(h_reg(&h, S3) & IP(IRQ_DISK));
    cr_expect_eq(h_reg(&h, S4), 0, "STATUS after ACK");
    cr_expect_eq(h_reg(&h, S5) & IP(IRQ_DISK), 0, "IP2 after ACK");
    for (uint32_t k = 0; k < 256; k += 37)
        cr_expect_eq(h_peek32(&h, BUF_PA + 4 * k), image_word(2 + k / 128, k % 128));
    cr_expect_eq(h_peek32(&h, BUF_PA + 1024), 0, "DMA wrote past the request");
    const struct sim_disk_stats *st = sim_disk_stats(h.m, 0);
    cr_expect_eq(st->reads, 1);
    cr_expect_eq(st->sectors_read, 2);
    cr_expect_gt(sim_cpu_cycles(h.m, 0), h.cfg.disk_overhead, "the request took no time");
}

Test(diskreg, dma_write_copies_memory_to_the_image)
{
    attach(false);
    for (uint32_t k = 0; k < 128; k++)
        h_poke32(&h, BUF_PA + 4 * k, 0xABC00000u | k);
    mmio_request(5, 1, BUF_PA, 2);
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, S2), 2);
    uint32_t buf[128];
    int fd = open(disk_path, O_RDONLY);
    cr_assert_geq(fd, 0);
    cr_assert_eq(pread(fd, buf, sizeof buf, 5 * 512), (ssize_t)sizeof buf);
    uint32_t next;
    cr_assert_eq(pread(fd, &next, 4, 6 * 512), 4);
    close(fd);
    for (uint32_t k = 0; k < 128; k++)
        cr_expect_eq(buf[k], 0xABC00000u | k);
    cr_expect_eq(next, image_word(6, 0), "the next sector changed");
    cr_expect_eq(sim_disk_stats(h.m, 0)->sectors_written, 1);
}

Test(diskreg, completion_interrupt_goes_to_target_cpu)
{
    attach(false);
    h_li(&h, S0, DISK0);
    h_emit(&h, ori(T0, ZERO, 1));
    h_emit(&h, sw(T0, DISK_TARGET, S0));
    h_emit(&h, lw(S6, DISK_TARGET, S0));
    mmio_request(0, 1, BUF_PA, 1);
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, S6), 1);
    cr_expect_eq(h_reg(&h, S2), 2);
    cr_expect_eq(h_reg(&h, S3) & IP(IRQ_DISK), 0, "IP2 on CPU 0");
    cr_expect(sim_cpu_cp0(h.m, 1, CP0_CAUSE, 0) & IP(IRQ_DISK), "no IP2 on CPU 1");
}

static void expect_mmio_error(uint32_t sector, uint32_t count, uint32_t dma, uint32_t cmd)
{
    mmio_request(sector, count, dma, cmd);
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, S1), 3, "STATUS right after CMD: %u", h_reg(&h, S1));
    cr_expect(h_reg(&h, S3) & IP(IRQ_DISK), "an error raises IP2 too");
    cr_expect_lt(sim_cpu_cycles(h.m, 0), 5000, "an error should end at once");
}

Test(diskreg, request_beyond_the_disk_ends_in_error)
{
    attach(false);
    expect_mmio_error(SECTORS - 1, 2, BUF_PA, 1);
    cr_expect_eq(sim_disk_stats(h.m, 0)->reads, 0);
    cr_expect_geq(sim_disk_stats(h.m, 0)->errors, 1);
}

Test(diskreg, dma_outside_memory_ends_in_error)
{
    attach(false);
    expect_mmio_error(0, 2, (uint32_t)sim_mem_size(h.m) - 512, 1);
}

Test(diskreg, dma_into_the_device_window_ends_in_error)
{
    attach(false);
    expect_mmio_error(0, 1, 0x1F000000u, 1);
}

Test(diskreg, zero_sectors_ends_in_error)
{
    attach(false);
    expect_mmio_error(0, 0, BUF_PA, 1);
}

Test(diskreg, unknown_command_ends_in_error)
{
    attach(false);
    expect_mmio_error(0, 1, BUF_PA, 3);
}

Test(diskreg, write_to_a_read_only_disk_ends_in_error)
{
    attach(true);
    expect_mmio_error(0, 1, BUF_PA, 2);
    cr_expect_eq(sim_disk_stats(h.m, 0)->writes, 0);
}

Test(diskreg, read_from_a_read_only_disk_works)
{
    attach(true);
    mmio_request(1, 1, BUF_PA, 1);
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, S2), 2);
    cr_expect_eq(h_peek32(&h, BUF_PA), image_word(1, 0));
}

Test(diskreg, request_to_a_missing_disk_ends_in_error)
{
    expect_mmio_error(0, 1, BUF_PA, 1);
}

Test(diskreg, dma_invalidates_cached_copies_of_the_lines_it_writes)
{
    attach(false);
    h_catch(&h, H_EXC_PROBE);
    h_li(&h, S7, BUF_PA | MIPS_KSEG0);
    h_emit(&h, lw(V0, 0, S7)); /* cache the line */
    mmio_request(3, 1, BUF_PA, 1);
    h_align(&h, 128);
    h_emit(&h, syscall_());
    h_emit(&h, lw(V0, 0, S7));
    h_emit(&h, syscall_());
    H_EXEC(&h, nop());
    cr_assert_eq(h.nprobe, 2);
    cr_expect_eq(h.probe[1].misses_local - h.probe[0].misses_local, 1);
    cr_expect_eq(h_reg(&h, V0), image_word(3, 0));
}

/* ---- disks through the host API ---------------------------------------------------- */

struct done_log {
    int n;
    uint64_t when[8];
    int tag[8];
    bool ok[8];
};

/* The argument of one request: where to log its completion, and its tag. */
struct req {
    struct done_log *log;
    int tag;
};

static void log_done(struct sim *m, int disk, bool ok, void *arg)
{
    const struct req *r = arg;
    struct done_log *log = r->log;
    (void)disk;
    if (log->n < 8) {
        log->when[log->n] = sim_now(m);
        log->tag[log->n] = r->tag;
        log->ok[log->n] = ok;
    }
    log->n++;
}

/* With no CPU running, the machine skips from event to event and then
 * deadlocks: that is how these tests run the disk alone. */
static void run_until_idle(void)
{
    enum sim_stop_reason why = h_run(&h);
    cr_assert_eq(why, SIM_STOP_DEADLOCK, "%s", sim_stop_message(h.m));
}

Test(diskapi, submit_calls_back_at_completion_after_the_transfer)
{
    attach(false);
    struct done_log log = {0};
    struct req arg[1] = {{&log, 1}};
    cr_assert_eq(sim_disk_submit(h.m, 0, false, 7, 3, BUF_PA, log_done, arg), 0);
    cr_expect_eq(h_peek32(&h, BUF_PA), 0, "the transfer happened at submission");
    run_until_idle();
    cr_assert_eq(log.n, 1);
    cr_expect(log.ok[0]);
    cr_expect_geq(log.when[0], h.cfg.disk_overhead + h.cfg.disk_seek);
    cr_expect_eq(h_peek32(&h, BUF_PA), image_word(7, 0));
    cr_expect_eq(h_peek32(&h, BUF_PA + 2 * 512 + 4), image_word(9, 1));
}

Test(diskapi, queued_requests_complete_in_order)
{
    attach(false);
    struct done_log log = {0};
    struct req a1[1] = {{&log, 1}}, a2[1] = {{&log, 2}}, a3[1] = {{&log, 3}};
    cr_assert_eq(sim_disk_submit(h.m, 0, false, 40, 8, BUF_PA, log_done, a1), 0);
    cr_assert_eq(sim_disk_submit(h.m, 0, false, 0, 1, BUF_PA + 8192, log_done, a2), 0);
    cr_assert_eq(sim_disk_submit(h.m, 0, true, 1, 1, BUF_PA + 8192, log_done, a3), 0);
    run_until_idle();
    cr_assert_eq(log.n, 3);
    for (int i = 0; i < 3; i++) {
        cr_expect_eq(log.tag[i], i + 1, "completion %d was request %d", i, log.tag[i]);
        cr_expect(log.ok[i]);
    }
    cr_expect_lt(log.when[0], log.when[1]);
    cr_expect_lt(log.when[1], log.when[2]);
    /* The write of sector 1 ran after the read of sector 0 into its buffer. */
    int fd = open(disk_path, O_RDONLY);
    uint32_t w;
    cr_assert_eq(pread(fd, &w, 4, 512), 4);
    close(fd);
    cr_expect_eq(w, image_word(0, 0));
    const struct sim_disk_stats *st = sim_disk_stats(h.m, 0);
    cr_expect_eq(st->reads, 2);
    cr_expect_eq(st->writes, 1);
    cr_expect_eq(st->sectors_read, 9);
}

Test(diskapi, invalid_requests_are_refused_and_nothing_is_queued)
{
    attach(true);
    struct done_log log = {0};
    struct req arg[1] = {{&log, 1}};
    cr_expect_eq(sim_disk_submit(h.m, 1, false, 0, 1, BUF_PA, log_done, arg), -1, "no disk 1");
    cr_expect_eq(sim_disk_submit(h.m, -1, false, 0, 1, BUF_PA, log_done, arg), -1);
    cr_expect_eq(sim_disk_submit(h.m, 0, false, SECTORS, 1, BUF_PA, log_done, arg), -1);
    cr_expect_eq(sim_disk_submit(h.m, 0, false, 0, SECTORS + 1, BUF_PA, log_done, arg), -1);
    cr_expect_eq(sim_disk_submit(h.m, 0, false, 0, 0, BUF_PA, log_done, arg), -1);
    cr_expect_eq(sim_disk_submit(h.m, 0, false, 0, 2, sim_mem_size(h.m) - 512, log_done, arg), -1);
    cr_expect_eq(sim_disk_submit(h.m, 0, true, 0, 1, BUF_PA, log_done, arg), -1, "read-only");
    run_until_idle();
    cr_expect_eq(log.n, 0);
    cr_expect_eq(sim_disk_stats(h.m, 0)->reads + sim_disk_stats(h.m, 0)->writes, 0);
    cr_expect_eq(sim_disk_stats(h.m, 1), NULL);
}

Test(diskapi, attach_refuses_a_missing_or_badly_sized_image)
{
    char err[256] = "";
    cr_expect_eq(sim_attach_disk(h.m, "/nonexistent/disk.img", false, err, sizeof err), -1);
    cr_expect_neq(strstr(err, "/nonexistent/disk.img"), NULL, "%s", err);
    char *odd = h_tempfile(NULL, 700);
    cr_expect_eq(sim_attach_disk(h.m, odd, false, err, sizeof err), -1);
    cr_expect_neq(strstr(err, "512"), NULL, "%s", err);
    unlink(odd);
    free(odd);
    char *empty = h_tempfile(NULL, 0);
    cr_expect_eq(sim_attach_disk(h.m, empty, false, err, sizeof err), -1);
    unlink(empty);
    free(empty);
    cr_expect_eq(sim_disk_count(h.m), 0);
}

/* Completion time of one request at sector 10 (a seek from sector 0) on a
 * fresh machine with the given seed. */
static uint64_t latency_with_seed(uint64_t seed)
{
    struct sim_config cfg;
    h_default_config(&cfg);
    cfg.seed = seed;
    h_fini(&h);
    h_init(&h, &cfg);
    char err[256];
    cr_assert_eq(sim_attach_disk(h.m, disk_path, false, err, sizeof err), 0, "%s", err);
    struct done_log log = {0};
    struct req arg[1] = {{&log, 1}};
    cr_assert_eq(sim_disk_submit(h.m, 0, false, 10, 1, BUF_PA, log_done, arg), 0);
    run_until_idle();
    cr_assert_eq(log.n, 1);
    return log.when[0];
}

Test(diskapi, latency_is_the_same_for_a_seed_and_differs_between_seeds)
{
    attach(false);
    uint64_t a = latency_with_seed(1), b = latency_with_seed(1), c = latency_with_seed(2),
             d = latency_with_seed(3);
    cr_expect_eq(a, b);
    cr_expect(a != c || a != d, "seeds 1, 2 and 3 all gave %lu", (unsigned long)a);
    /* overhead + seek + rotation in [0, disk_rotation) + transfer */
    uint64_t fixed = h.cfg.disk_overhead + h.cfg.disk_seek + 512ull * 300 / h.cfg.disk_mbps;
    cr_expect_geq(a, fixed);
    cr_expect_lt(a, fixed + h.cfg.disk_rotation);
}

Test(diskapi, sequential_request_skips_the_seek)
{
    attach(false);
    struct done_log log = {0};
    struct req a1[1] = {{&log, 1}}, a2[1] = {{&log, 2}};
    cr_assert_eq(sim_disk_submit(h.m, 0, false, 10, 1, BUF_PA, log_done, a1), 0);
    cr_assert_eq(sim_disk_submit(h.m, 0, false, 11, 1, BUF_PA, log_done, a2), 0);
    run_until_idle();
    cr_assert_eq(log.n, 2);
    cr_expect_eq(log.when[1] - log.when[0], h.cfg.disk_overhead + 512ull * 300 / h.cfg.disk_mbps);
}

/* ---- bus errors ----------------------------------------------------------------- */

static void expect_bus_error(uint32_t insn, uint32_t addr, unsigned code)
{
    h_catch(&h, H_EXC_SKIP);
    h_li(&h, A0, addr);
    h_set(&h, V0, 0x1234);
    uint32_t at = h_emit(&h, insn);
    H_EXEC(&h, nop());
    cr_assert_eq(h.nexc, 1, "insn %08x at %08x: %d exceptions", insn, addr, h.nexc);
    cr_expect_eq(h.exc[0].code, code, "insn %08x at %08x: exception %u", insn, addr,
                 h.exc[0].code);
    cr_expect_eq(h.exc[0].epc, at);
    cr_expect_eq(h_reg(&h, V0), 0x1234, "a faulting load wrote its target");
}

Test(buserr, byte_load_from_a_non_console_register_is_dbe)
{
    expect_bus_error(lb(V0, 0, A0), PWR_NCPUS, EXC_DBE);
}

Test(buserr, byte_store_to_a_non_console_register_is_dbe)
{
    expect_bus_error(sb(V0, 0, A0), IPI_SEND, EXC_DBE);
}

Test(buserr, byte_access_to_console_ctrl_is_dbe)
{
    expect_bus_error(lbu(V0, 0, A0), CONS_CTRL, EXC_DBE);
}

Test(buserr, halfword_access_to_the_console_is_dbe)
{
    expect_bus_error(sh(V0, 0, A0), CONS_TX, EXC_DBE);
}

Test(buserr, unmapped_device_offset_is_dbe)
{
    expect_bus_error(lw(V0, 0, A0), PWR_HALT + 0x20, EXC_DBE);
}

Test(buserr, reserved_network_device_is_dbe)
{
    expect_bus_error(lw(V0, 0, A0), DEV_KSEG1 + 0x5000, EXC_DBE);
}

Test(buserr, store_to_an_unmapped_device_offset_is_dbe)
{
    expect_bus_error(sw(V0, 0, A0), DEV_KSEG1 + 0x4010, EXC_DBE);
}

Test(buserr, load_beyond_memory_is_dbe)
{
    expect_bus_error(lw(V0, 0, A0), MIPS_KSEG1 + (uint32_t)sim_mem_size(h.m), EXC_DBE);
}

Test(buserr, store_beyond_memory_is_dbe_and_the_counter_says_so)
{
    expect_bus_error(sw(V0, 0, A0), MIPS_KSEG0 + 0x10000000u, EXC_DBE);
    cr_expect_eq(h_stats(&h, 0)->exceptions[EXC_DBE], 1);
}

Test(buserr, fetch_beyond_memory_is_ibe)
{
    h_catch(&h, H_EXC_HALT);
    uint32_t bad = MIPS_KSEG0 + (uint32_t)sim_mem_size(h.m) + 0x100;
    h_li(&h, T0, bad);
    h_emit(&h, jr(T0));
    h_emit(&h, nop());
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_IBE);
    cr_expect_eq(h.exc[0].epc, bad);
}

Test(buserr, fetch_from_the_device_window_is_ibe)
{
    h_catch(&h, H_EXC_HALT);
    h_li(&h, T0, PWR_HALT);
    h_emit(&h, jr(T0));
    h_emit(&h, nop());
    cr_assert_eq(h_go(&h), SIM_STOP_HALT);
    cr_assert_eq(h.nexc, 1);
    cr_expect_eq(h.exc[0].code, EXC_IBE);
    cr_expect_eq(h.exc[0].epc, PWR_HALT);
}

Test(diskreg, ip2_stays_raised_while_any_disk_targeting_the_cpu_is_done)
{
    /* Two disks complete; ACK of the first leaves IP2, ACK of the second clears it. */
    attach(false);
    char *second = make_image();
    char err[256] = "";
    cr_assert_eq(sim_attach_disk(h.m, second, false, err, sizeof err), 1, "%s", err);
    h_li(&h, S0, DISK0);
    for (int k = 0; k < 2; k++) {
        int base = 0x100 * k;
        h_emit(&h, ori(T0, ZERO, 1));
        h_emit(&h, sw(T0, base + DISK_COUNT, S0));
        h_li(&h, T0, BUF_PA + 0x1000u * (unsigned)k);
        h_emit(&h, sw(T0, base + DISK_DMA, S0));
        h_emit(&h, ori(T0, ZERO, 1));
        h_emit(&h, sw(T0, base + DISK_CMD, S0));
    }
    /* wait until both are done */
    h_emit(&h, ori(T1, ZERO, 2));
    uint32_t w0 = h_emit(&h, lw(T0, DISK_STATUS, S0));
    h_emit(&h, bne(T0, T1, h_rel(h_here(&h), w0)));
    h_emit(&h, nop());
    uint32_t w1 = h_emit(&h, lw(T0, 0x100 + DISK_STATUS, S0));
    h_emit(&h, bne(T0, T1, h_rel(h_here(&h), w1)));
    h_emit(&h, nop());
    h_emit(&h, mfc0(S1, CP0_CAUSE, 0));
    h_emit(&h, sw(ZERO, DISK_ACK, S0));
    h_emit(&h, mfc0(S2, CP0_CAUSE, 0));
    h_emit(&h, sw(ZERO, 0x100 + DISK_ACK, S0));
    H_EXEC(&h, mfc0(S3, CP0_CAUSE, 0));
    cr_expect(h_reg(&h, S1) & IP(IRQ_DISK));
    cr_expect(h_reg(&h, S2) & IP(IRQ_DISK), "IP2 dropped while disk 1 was still done");
    cr_expect_eq(h_reg(&h, S3) & IP(IRQ_DISK), 0);
    cr_expect_eq(h_peek32(&h, BUF_PA), image_word(0, 0));
    cr_expect_eq(h_peek32(&h, BUF_PA + 0x1000), image_word(0, 0));
    unlink(second);
    free(second);
}

Test(diskreg, a_cmd_while_busy_is_ignored)
{
    attach(false);
    h_li(&h, S0, DISK0);
    h_emit(&h, ori(T0, ZERO, 1));
    h_emit(&h, sw(T0, DISK_COUNT, S0));
    h_li(&h, T0, BUF_PA);
    h_emit(&h, sw(T0, DISK_DMA, S0));
    h_emit(&h, ori(T0, ZERO, 1));
    h_emit(&h, sw(T0, DISK_CMD, S0));
    h_emit(&h, ori(T0, ZERO, 9));
    h_emit(&h, sw(T0, DISK_SECTOR, S0)); /* registers may change... */
    h_emit(&h, ori(T0, ZERO, 1));
    h_emit(&h, sw(T0, DISK_CMD, S0));    /* ...but a second CMD is ignored */
    h_emit(&h, ori(T1, ZERO, 1));
    uint32_t loop = h_emit(&h, lw(S2, DISK_STATUS, S0));
    h_emit(&h, beq(S2, T1, h_rel(h_here(&h), loop)));
    h_emit(&h, nop());
    H_EXEC(&h, nop());
    cr_expect_eq(h_reg(&h, S2), 2);
    cr_expect_eq(h_peek32(&h, BUF_PA), image_word(0, 0));
    cr_expect_eq(sim_disk_stats(h.m, 0)->reads, 1);
}
