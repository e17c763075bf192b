/*
 * test_fixture.c - helpers shared by the monitor's unit tests (see
 * test_fixture.h): guest programs, ELF files, a monitor in a temporary
 * directory.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "disco/sched.h"
#include "test_fixture.h"

/* ---- programs ------------------------------------------------------------- */

void prog_init(struct prog *p)
{
    memset(p, 0, sizeof *p);
    p->at = FX_ENTRY - FX_BASE;
}

void p_org(struct prog *p, uint32_t va)
{
    cr_assert(va >= FX_BASE && va - FX_BASE < FX_IMAGE && (va & 3) == 0, "p_org(0x%08x)", va);
    p->at = va - FX_BASE;
}

uint32_t p_here(const struct prog *p)
{
    return FX_BASE + p->at;
}

void p_emit(struct prog *p, uint32_t w)
{
    cr_assert(p->at + 4 <= FX_IMAGE, "guest program too long");
    p->img[p->at / 4] = w;
    p->at += 4;
    if (p->at > p->size)
        p->size = p->at;
}

void p_li(struct prog *p, int r, uint32_t v)
{
    p_emit(p, i_lui(r, v >> 16));
    p_emit(p, i_ori(r, r, v & 0xFFFF));
}

void p_mcall(struct prog *p, uint32_t nr, uint32_t a0)
{
    p_li(p, A0, a0);
    p_li(p, V0, nr);
    p_emit(p, i_syscall());
}

void p_mark_reg(struct prog *p, int r)
{
    p_emit(p, i_addu(A0, r, ZERO));
    p_li(p, V0, MC_MARK);
    p_emit(p, i_syscall());
}

void p_halt(struct prog *p, uint32_t status)
{
    p_mcall(p, MC_HALT, status);
    p_emit(p, i_beq(ZERO, ZERO, -1)); /* never reached: spin */
    p_emit(p, i_nop());
}

void p_bytes(struct prog *p, uint32_t va, const void *b, size_t n)
{
    cr_assert(va >= FX_BASE && va - FX_BASE + n <= FX_IMAGE, "p_bytes(0x%08x, %zu)", va, n);
    memcpy((uint8_t *)p->img + (va - FX_BASE), b, n);
    if (va - FX_BASE + n > p->size)
        p->size = (uint32_t)(va - FX_BASE + n);
}

void p_print(struct prog *p, uint32_t data_va, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    p_bytes(p, data_va, s, n);
    p_li(p, A0, data_va - FX_BASE);
    p_li(p, A1, n);
    p_li(p, V0, MC_CONS_WRITE);
    p_emit(p, i_syscall());
}

int fx_write_elf(const char *path, uint32_t vaddr, const void *data, uint32_t filesz,
                 uint32_t memsz, uint32_t entry)
{
    Elf32_Ehdr eh;
    memset(&eh, 0, sizeof eh);
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS32;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_MIPS;
    eh.e_version = EV_CURRENT;
    eh.e_entry = entry;
    eh.e_phoff = sizeof eh;
    eh.e_flags = EF_MIPS_ARCH_32;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf32_Phdr);
    eh.e_phnum = 1;
    Elf32_Phdr ph = {
        .p_type = PT_LOAD,
        .p_offset = 4096,
        .p_vaddr = vaddr,
        .p_paddr = vaddr,
        .p_filesz = filesz,
        .p_memsz = memsz,
        .p_flags = PF_R | PF_W | PF_X,
        .p_align = 4096,
    };
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    static const uint8_t zero[4096];
    int ok = fwrite(&eh, sizeof eh, 1, f) == 1 && fwrite(&ph, sizeof ph, 1, f) == 1 &&
             fwrite(zero, 4096 - sizeof eh - sizeof ph, 1, f) == 1 &&
             (filesz == 0 || fwrite(data, filesz, 1, f) == 1);
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* ---- the monitor fixture ---------------------------------------------------- */

void fx_init(struct fx *f)
{
    memset(f, 0, sizeof *f);
    f->saved_stderr = -1;
    snprintf(f->dir, sizeof f->dir, "/tmp/disco-unit-XXXXXX");
    cr_assert_not_null(mkdtemp(f->dir), "mkdtemp");
    config_default(&f->cfg);
    f->cfg.machine.nodes = 2;
    f->cfg.machine.mem_per_node = 4u << 20;
    f->cfg.machine.max_cycles = 100000000; /* a safety net: no test needs this long */
    f->outf = open_memstream(&f->out, &f->outlen);
    cr_assert_not_null(f->outf);
}

const char *fx_path(struct fx *f, const char *name)
{
    snprintf(f->path, sizeof f->path, "%s/%s", f->dir, name);
    return f->path;
}

struct vm_config *fx_vm(struct fx *f, const char *name, const struct prog *p)
{
    cr_assert(f->cfg.nvms < DISCO_MAX_VMS);
    struct vm_config *vm = &f->cfg.vm[f->cfg.nvms++];
    memset(vm, 0, sizeof *vm);
    snprintf(vm->name, sizeof vm->name, "%s", name);
    vm->cpus = 1;
    vm->memory = 1u << 20;
    vm->node = -1;
    char file[64];
    snprintf(file, sizeof file, "%s.elf", name);
    snprintf(vm->kernel, sizeof vm->kernel, "%s", fx_path(f, file));
    cr_assert_eq(fx_write_elf(vm->kernel, FX_BASE, p->img, p->size, p->size, FX_ENTRY), 0,
                 "cannot write %s", vm->kernel);
    return vm;
}

uint8_t fx_pattern(uint32_t sector, uint32_t byte)
{
    return (uint8_t)(sector * 7 + byte * 13 + 1);
}

const char *fx_disk(struct fx *f, const char *name, uint32_t sectors)
{
    const char *path = fx_path(f, name);
    FILE *d = fopen(path, "wb");
    cr_assert_not_null(d, "cannot create %s", path);
    uint8_t buf[512];
    for (uint32_t s = 0; s < sectors; s++) {
        for (uint32_t j = 0; j < 512; j++)
            buf[j] = fx_pattern(s, j);
        cr_assert_eq(fwrite(buf, 512, 1, d), 1u);
    }
    cr_assert_eq(fclose(d), 0);
    return path;
}

struct monitor *fx_create(struct fx *f)
{
    char err[512] = "";
    f->mon = monitor_create(&f->cfg, f->outf, err, sizeof err);
    cr_assert_not_null(f->mon, "monitor_create failed: %s", err);
    return f->mon;
}

const char *fx_out(struct fx *f)
{
    fflush(f->outf);
    return f->out ? f->out : "";
}

void fx_capture_stderr(struct fx *f)
{
    snprintf(f->errpath, sizeof f->errpath, "%s/stderr.txt", f->dir);
    fflush(stderr);
    int fd = open(f->errpath, O_CREAT | O_TRUNC | O_RDWR, 0600);
    cr_assert(fd >= 0);
    f->saved_stderr = dup(2);
    dup2(fd, 2);
    close(fd);
}

const char *fx_stderr(struct fx *f)
{
    cr_assert(f->saved_stderr >= 0, "fx_capture_stderr() first");
    fflush(stderr);
    free(f->errtext);
    f->errtext = NULL;
    FILE *e = fopen(f->errpath, "r");
    cr_assert_not_null(e);
    size_t cap = 4096, len = 0;
    f->errtext = calloc(1, cap);
    size_t n;
    while ((n = fread(f->errtext + len, 1, cap - len - 1, e)) > 0) {
        len += n;
        if (len + 1 == cap) {
            f->errtext = realloc(f->errtext, cap * 2);
            cap *= 2;
        }
    }
    f->errtext[len] = 0;
    fclose(e);
    return f->errtext;
}

static int rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st;
    (void)type;
    (void)ftw;
    return remove(path);
}

void fx_fini(struct fx *f)
{
    monitor_destroy(f->mon);
    f->mon = NULL;
    if (f->outf)
        fclose(f->outf);
    free(f->out);
    f->outf = NULL;
    f->out = NULL;
    if (f->saved_stderr >= 0) {
        fflush(stderr);
        dup2(f->saved_stderr, 2);
        close(f->saved_stderr);
        f->saved_stderr = -1;
    }
    free(f->errtext);
    f->errtext = NULL;
    if (f->dir[0])
        nftw(f->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* ---- placing vCPUs -------------------------------------------------------- */

void fx_place(struct monitor *mon, struct vcpu *v, int cpu)
{
    struct vcpu *prev = NULL;
    for (struct vcpu *x = mon->runq_head; x; prev = x, x = x->next) {
        if (x != v)
            continue;
        if (prev)
            prev->next = x->next;
        else
            mon->runq_head = x->next;
        if (mon->runq_tail == x)
            mon->runq_tail = prev;
        x->next = NULL;
        break;
    }
    struct pcpu *pc = &mon->pcpu[cpu];
    pc->cur = v;
    pc->idle = false;
    v->pcpu = cpu;
    v->state = VCPU_RUNNING;
    for (int r = 1; r < 32; r++)
        sim_cpu_set_reg(mon->m, cpu, r, v->gpr[r]);
    sim_cpu_set_hilo(mon->m, cpu, v->hi, v->lo);
    sim_tlb_flush(mon->m, cpu);
    sim_cpu_set_cp0(mon->m, cpu, CP0_ENTRYHI, 0, v->cp0.entryhi & ENTRYHI_ASID_MASK);
    mon->cur_cpu = cpu;
}

int fx_runq_pos(const struct monitor *mon, const struct vcpu *v)
{
    int i = 0;
    for (const struct vcpu *x = mon->runq_head; x; x = x->next, i++)
        if (x == v)
            return i;
    return -1;
}

int fx_runq_len(const struct monitor *mon)
{
    int n = 0;
    for (const struct vcpu *x = mon->runq_head; x; x = x->next)
        n++;
    return n;
}

bool fx_cpu_ip(struct monitor *mon, int cpu, int line)
{
    return (sim_cpu_cp0(mon->m, cpu, CP0_CAUSE, 0) >> (CAUSE_IP_SHIFT + line)) & 1;
}
