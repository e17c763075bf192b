/*
 * harness.c - a fresh machine, hand-assembled code, and a recording
 * exception handler for the unit tests (see harness.h).
 */
#include "harness.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void h_default_config(struct sim_config *cfg)
{
    sim_config_default(cfg);
    cfg->nodes = 1;
    cfg->mem_per_node = 1u << 20;
    cfg->console_in_fd = -1;
    cfg->max_cycles = 20000000;
}

void h_init(struct harness *h, const struct sim_config *cfg)
{
    memset(h, 0, sizeof *h);
    if (cfg)
        h->cfg = *cfg;
    else
        h_default_config(&h->cfg);
    h->out = open_memstream(&h->out_buf, &h->out_len);
    cr_assert_not_null(h->out, "open_memstream failed");
    h->cfg.console_out = h->out;
    char err[256] = "";
    h->m = sim_create(&h->cfg, err, sizeof err);
    cr_assert_not_null(h->m, "sim_create: %s", err);
    h->at = CODE_BASE;
}

void h_fini(struct harness *h)
{
    sim_destroy(h->m);
    h->m = NULL;
    if (h->out)
        fclose(h->out);
    h->out = NULL;
    free(h->out_buf);
    h->out_buf = NULL;
}

/* A kseg0/kseg1 address (or a physical one) as a physical address. */
static uint32_t to_pa(uint32_t addr)
{
    if (addr >= MIPS_KSEG0 && addr < MIPS_KSSEG)
        return addr & 0x1FFFFFFFu;
    return addr;
}

void h_poke32(struct harness *h, uint32_t addr, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    int rc = sim_mem_write(h->m, -1, to_pa(addr), b, 4);
    cr_assert_eq(rc, 0, "h_poke32(%08x): not memory", addr);
}

uint32_t h_peek32(struct harness *h, uint32_t addr)
{
    uint8_t b[4];
    int rc = sim_mem_read(h->m, -1, to_pa(addr), b, 4);
    cr_assert_eq(rc, 0, "h_peek32(%08x): not memory", addr);
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

uint8_t h_peek8(struct harness *h, uint32_t addr)
{
    uint8_t v;
    int rc = sim_mem_read(h->m, -1, to_pa(addr), &v, 1);
    cr_assert_eq(rc, 0, "h_peek8(%08x): not memory", addr);
    return v;
}

void h_org(struct harness *h, uint32_t va)
{
    h->at = va;
}

uint32_t h_here(const struct harness *h)
{
    return h->at;
}

uint32_t h_emit(struct harness *h, uint32_t insn)
{
    uint32_t va = h->at;
    h_poke32(h, va, insn);
    h->at += 4;
    return va;
}

void h_emitv(struct harness *h, const uint32_t *insns, size_t n)
{
    for (size_t i = 0; i < n; i++)
        h_emit(h, insns[i]);
}

void h_align(struct harness *h, uint32_t bytes)
{
    while (h->at % bytes)
        h_emit(h, nop());
}

void h_patch(struct harness *h, uint32_t va, uint32_t insn)
{
    h_poke32(h, va, insn);
}

void h_li(struct harness *h, int r, uint32_t value)
{
    h_emit(h, lui(r, value >> 16));
    h_emit(h, ori(r, r, value & 0xFFFF));
}

void h_halt_reg(struct harness *h, int r)
{
    h_emit(h, lui(AT, PWR_HALT >> 16));
    h_emit(h, sw(r, (int16_t)(PWR_HALT & 0xFFFF), AT));
    /* Never reached: the store stops the machine. Spin just in case. */
    h_emit(h, b(-1));
    h_emit(h, nop());
}

void h_halt(struct harness *h, uint32_t status)
{
    h_emit(h, ori(K0, ZERO, status & 0xFFFF));
    h_halt_reg(h, K0);
}

void h_skip_vector(struct harness *h)
{
    uint32_t save = h->at;
    h_org(h, GENERAL_VECTOR);
    h_emit(h, mfc0(K0, CP0_EPC, 0));
    h_emit(h, addiu(K0, K0, 4));
    h_emit(h, mtc0(K0, CP0_EPC, 0));
    h_emit(h, addiu(K1, K1, 1));
    h_emit(h, eret());
    h_org(h, save);
}

void h_start(struct harness *h, int cpu, uint32_t pc, uint32_t status)
{
    int rc = sim_cpu_start(h->m, cpu, pc, status, sim_cpu_reg(h->m, cpu, A0));
    cr_assert_eq(rc, 0, "sim_cpu_start(%d) failed", cpu);
}

enum sim_stop_reason h_run(struct harness *h)
{
    return sim_run(h->m);
}

enum sim_stop_reason h_go(struct harness *h)
{
    h_start(h, 0, CODE_BASE, 0);
    return h_run(h);
}

void h_exec(struct harness *h, const uint32_t *insns, size_t n)
{
    h_emitv(h, insns, n);
    h_halt(h, 0);
    enum sim_stop_reason why = h_go(h);
    cr_assert_eq(why, SIM_STOP_HALT, "the program did not halt: %s", sim_stop_message(h->m));
    cr_assert_eq(sim_exit_status(h->m), 0, "the program halted with %d: %s",
                 sim_exit_status(h->m), sim_stop_message(h->m));
}

void h_set(struct harness *h, int r, uint32_t v)
{
    cr_assert_eq(sim_cpu_set_reg(h->m, 0, r, v), 0);
}

/* Resume after the faulting instruction; after an interrupt, at EPC with
 * the software interrupt lines cleared (hardware lines are the test's). */
static void resume_after(struct sim *m, const struct sim_exception *e)
{
    if (e->code == EXC_INT) {
        uint32_t cause = sim_cpu_cp0(m, e->cpu, CP0_CAUSE, 0);
        sim_cpu_set_cp0(m, e->cpu, CP0_CAUSE, 0, cause & ~(3u << CAUSE_IP_SHIFT));
    } else {
        sim_cpu_set_cp0(m, e->cpu, CP0_EPC, 0, e->epc + (e->in_delay ? 8 : 4));
    }
    sim_cpu_eret(m, e->cpu);
}

static void record(struct sim *m, const struct sim_exception *e, void *arg)
{
    struct harness *h = arg;
    if (h->nexc < H_MAX_EXC) {
        h->exc[h->nexc] = *e;
        h->exc_cause[h->nexc] = sim_cpu_cp0(m, e->cpu, CP0_CAUSE, 0);
        h->exc_status[h->nexc] = sim_cpu_cp0(m, e->cpu, CP0_STATUS, 0);
    }
    h->nexc++;
    switch (h->on_exc) {
    case H_EXC_HALT:
        sim_halt(m, H_EXC_STATUS);
        break;
    case H_EXC_SKIP:
        resume_after(m, e);
        break;
    case H_EXC_PROBE:
        if (e->code != EXC_SYS) {
            sim_halt(m, H_EXC_STATUS);
            break;
        }
        if (h->nprobe < H_MAX_EXC) {
            h->probe[h->nprobe] = *sim_cpu_stats(m, e->cpu);
            h->probe_cycles[h->nprobe] = sim_cpu_cycles(m, e->cpu);
            h->probe_cpu[h->nprobe] = e->cpu;
        }
        h->nprobe++;
        if (h->on_probe)
            h->on_probe(h, h->nprobe - 1);
        sim_cpu_set_cp0(m, e->cpu, CP0_EPC, 0, e->epc + 4);
        sim_cpu_eret(m, e->cpu);
        break;
    case H_EXC_SKIP_SYS_HALTS:
        if (e->code == EXC_SYS) {
            sim_halt(m, 0);
            break;
        }
        resume_after(m, e);
        break;
    }
}

void h_catch(struct harness *h, enum h_on_exc what)
{
    h->on_exc = what;
    sim_set_exception_handler(h->m, record, h);
}

void h_map(struct harness *h, int cpu, int index, uint32_t va, uint32_t pa, uint32_t flags)
{
    struct sim_tlb_entry e = {
        .entryhi = va & ENTRYHI_VPN2_MASK,
        .entrylo0 = h_pte(pa, flags),
        .entrylo1 = h_pte(pa + MIPS_PAGE_SIZE, flags),
        .pagemask = 0,
    };
    cr_assert_eq(sim_tlb_write(h->m, cpu, index, &e), 0);
}

uint32_t h_reg(struct harness *h, int r)
{
    return sim_cpu_reg(h->m, 0, r);
}

uint32_t h_cp0(struct harness *h, int reg)
{
    return sim_cpu_cp0(h->m, 0, reg, 0);
}

const struct sim_cpu_stats *h_stats(struct harness *h, int cpu)
{
    return sim_cpu_stats(h->m, cpu);
}

const char *h_console(struct harness *h)
{
    fflush(h->out);
    return h->out_buf ? h->out_buf : "";
}

char *h_tempfile(const void *data, size_t len)
{
    char tmpl[] = "/tmp/sim-unit-XXXXXX";
    int fd = mkstemp(tmpl);
    cr_assert_geq(fd, 0, "mkstemp failed");
    const uint8_t *p = data;
    uint8_t zero[512] = {0};
    size_t done = 0;
    while (done < len) {
        size_t n = len - done;
        const void *src;
        if (p) {
            src = p + done;
        } else {
            src = zero;
            if (n > sizeof zero)
                n = sizeof zero;
        }
        ssize_t w = write(fd, src, n);
        cr_assert_gt(w, 0, "write to %s failed", tmpl);
        done += (size_t)w;
    }
    close(fd);
    char *path = strdup(tmpl);
    cr_assert_not_null(path);
    return path;
}

json_t *h_stats_json(struct harness *h)
{
    char *path = h_tempfile(NULL, 0);
    char err[256] = "";
    int rc = sim_write_stats(h->m, path, err, sizeof err);
    cr_assert_eq(rc, 0, "sim_write_stats: %s", err);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    unlink(path);
    free(path);
    cr_assert_not_null(root, "the statistics are not JSON: %s (line %d)", jerr.text, jerr.line);
    return root;
}

uint64_t h_json_u64(json_t *root, const char *path)
{
    json_t *cur = root;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, ".")) {
        if (json_is_array(cur))
            cur = json_array_get(cur, strtoul(tok, NULL, 10));
        else
            cur = json_object_get(cur, tok);
        cr_assert_not_null(cur, "no \"%s\" in the statistics (at \"%s\")", path, tok);
    }
    cr_assert(json_is_integer(cur), "\"%s\" is not an integer", path);
    return (uint64_t)json_integer_value(cur);
}
