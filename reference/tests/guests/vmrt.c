/*
 * vmrt.c - the C half of the test guests' runtime: console output through
 * MC_CONS_WRITE, exception dispatch, running user code, checks.
 */
#include "vmrt.h"

uint8_t exc_stacks[VMRT_MAXCPU * 4096] __attribute__((aligned(4096)));
uint32_t memsize;
void (*on_refill)(struct tf *tf);
void (*on_general)(struct tf *tf);
static void (*cpu_fn[VMRT_MAXCPU])(int id);
static int failures;

uint32_t kva2pa(const volatile void *p)
{
    return (uint32_t)(uintptr_t)p - MC_KSEG;
}

/* ---- console: a line buffer, one monitor call per line ---- */

static char line[128];
static int linelen;

static void flush(void)
{
    if (linelen)
        mcall(MC_CONS_WRITE, kva2pa(line), (uint32_t)linelen, 0, 0);
    linelen = 0;
}

static void putch(char c)
{
    line[linelen++] = c;
    if (c == '\n' || linelen == (int)sizeof line)
        flush();
}

static void putnum(uint32_t v, unsigned base, int width, char pad)
{
    char buf[12];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (width-- > n)
        putch(pad);
    while (n)
        putch(buf[--n]);
}

int vm_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            putch(*p);
            continue;
        }
        char pad = ' ';
        int width = 0;
        p++;
        if (*p == '0')
            pad = '0';
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (*p++ - '0');
        switch (*p) {
        case 'd': {
            int v = va_arg(ap, int);
            if (v < 0) {
                putch('-');
                v = -v;
            }
            putnum((uint32_t)v, 10, width, pad);
            break;
        }
        case 'u': putnum(va_arg(ap, uint32_t), 10, width, pad); break;
        case 'x': putnum(va_arg(ap, uint32_t), 16, width, pad); break;
        case 's': for (const char *s = va_arg(ap, const char *); *s; s++) putch(*s); break;
        case 'c': putch((char)va_arg(ap, int)); break;
        default: putch(*p); break;
        }
    }
    va_end(ap);
    return 0;
}

void vm_halt(int status)
{
    flush();
    mcall(MC_HALT, (uint32_t)status, 0, 0, 0);
    for (;;)
        ;
}

void check(int ok, const char *what)
{
    vm_printf("  %s %s\n", ok ? "ok  " : "FAIL", what);
    failures += !ok;
}

int report(const char *name)
{
    vm_printf("%s %s\n", failures ? "FAIL" : "PASS", name);
    return failures ? 1 : 0;
}

int vm_arg(const char *args, const char *key, int dflt)
{
    for (const char *s = args; *s; s++) {
        int i = 0;
        while (key[i] && s[i] == key[i])
            i++;
        if (key[i])
            continue;
        int n = 0;
        for (s += i; *s >= '0' && *s <= '9'; s++)
            n = n * 10 + (*s - '0');
        return n;
    }
    return dflt;
}

/* ---- running user code ---- */

static uint32_t user_result;
uint32_t user_return_sp; /* used from the asm in run_user */

/* Returns when the user code makes syscall with v0 = 0x7777 (a0 = result). */
uint32_t run_user(uint32_t pc)
{
    __asm__ volatile(
        "   .set noreorder\n"
        "   lui   $t0, %%hi(user_return_sp)\n"
        "   sw    $sp, %%lo(user_return_sp)($t0)\n"
        "   mtc0  %0, $14\n"          /* EPC = user pc */
        "   mfc0  $t1, $12\n"         /* keep the interrupt mask */
        "   andi  $t1, $t1, 0xff00\n"
        "   ori   $t1, $t1, 0x13\n"   /* KSU = user, EXL, IE */
        "   mtc0  $t1, $12\n"
        "   eret\n"
        "   .globl run_user_back\n"
        "run_user_back:\n"
        "   lui   $t0, %%hi(user_return_sp)\n"
        "   lw    $sp, %%lo(user_return_sp)($t0)\n"
        "   .set reorder\n" ::"r"(pc)
        : "t0", "t1", "memory");
    return user_result;
}

extern char run_user_back[];

void vmrt_exception(struct tf *tf)
{
    uint32_t code = (tf->cause >> 2) & 31;
    /* The way back from run_user: a syscall from user mode asking it. */
    if (code == 8 && (tf->status & 0x18) == 0x10 && tf->r[2] == 0x7777) {
        user_result = tf->r[4];
        tf->epc = (uint32_t)(uintptr_t)run_user_back;
        tf->status = (tf->status & ~0x1Fu) | 0x2; /* kernel mode, EXL (eret clears it) */
        return;
    }
    void (*h)(struct tf *) = tf->vector == 0 ? on_refill : on_general;
    if (!h) {
        vm_printf("unexpected exception %u at 0x%08x badvaddr 0x%08x\n", code, tf->epc, tf->badvaddr);
        vm_halt(99);
    }
    h(tf);
}

/* ---- start ---- */

void vm_start_cpu(int id, void (*fn)(int id))
{
    if (id <= 0 || id >= VMRT_MAXCPU) {
        vm_printf("vm_start_cpu: vCPU %d: the runtime has room for %d\n", id, VMRT_MAXCPU);
        vm_halt(98);
    }
    cpu_fn[id] = fn;
    extern char _start[];
    mcall(MC_CPU_START, (uint32_t)id, (uint32_t)(uintptr_t)_start, 0, 0);
}

void vmrt_start(int id, int ncpus, uint32_t mem, uint32_t args_pa)
{
    if (id == 0) {
        memsize = mem;
        vm_halt(vm_main(ncpus, mem, (const char *)(uintptr_t)(args_pa + MC_KSEG)));
    }
    cpu_fn[id](id);
    for (;;)
        mcall(MC_IDLE, 0, 0, 0, 0);
}
