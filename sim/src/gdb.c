/*
 * gdb.c - a GDB remote stub (flash/gdb.h): gdb-multiarch's `target remote`.
 *
 * The GDB Remote Serial Protocol over one TCP connection: packets are
 * $DATA#CS (CS the sum of DATA's bytes mod 256, in hex), each acknowledged
 * with + (or - to ask for it again); a lone 0x03 byte while the machine
 * runs is gdb's interrupt (Ctrl-C). All-stop mode: when one thread stops,
 * the whole machine stops, because the stub serves gdb on the simulator's
 * own thread, between two instructions.
 *
 * Threads: gdb thread N (1, 2, ...) is thread N-1 of the target: CPU N-1
 * under flashsim, vCPU N-1 of the VM under disco (struct gdb_target).
 *
 * Registers, in gdb's MIPS32 order (the 'g' packet; 32 bits each, target
 * byte order, little-endian):
 *
 *   0-31   r0-r31 (zero at..ra)      35  badvaddr (CP0 BadVAddr)
 *   32     status (CP0 Status)       36  cause (CP0 Cause)
 *   33     lo                        37  pc
 *   34     hi                        38-71  f0-f31, fcsr, fir: there is no
 *                                           FPU, reported unavailable (x)
 *   72     epc (CP0 EPC: not in gdb's own MIPS set, so only in target.xml)
 *
 * The same map is sent as target.xml (qXfer:features:read), so gdb needs
 * no guessing; `set architecture mips:isa32` and the program's ELF give it
 * the ABI.
 *
 * Packets:
 *
 *   ?                  why the machine stopped: T05thread:N; (T02 after
 *                      ^C), with swbreak:; or hwbreak:; at a breakpoint
 *   g / G              read / write every register
 *   p n / P n=v        read / write one register
 *   m a,l / M a,l:x    read / write memory by the thread's virtual address
 *                      (an unmapped address or one outside memory: E01)
 *   c [a] / s [a]      continue / single-step the Hc thread (from a)
 *   vCont? / vCont;..  c, C, s, S actions. The other CPUs always run: a
 *                      step lets the machine run until that thread's PC
 *                      moves (one instruction on, or to a vector), as
 *                      nothing else keeps the run cycle-exact. When gdb
 *                      resumes one thread alone (vCont;s:N, as it does to
 *                      step over a breakpoint), the others run on but stop
 *                      at no breakpoint until gdb resumes them too
 *   Hg n / Hc n        thread for registers and memory / for s and c
 *   T n                is thread n alive (every thread is)
 *   Z0/Z1,a,k z0/z1,a,k  set / clear a breakpoint: soft and hard ones are
 *                      the same PC match, checked before each instruction
 *   k / vKill          stop the run now (exit status GDB_EXIT_KILLED)
 *   D                  detach: the run goes on without gdb
 *   qSupported qAttached qC qfThreadInfo qsThreadInfo qThreadExtraInfo
 *   qSymbol qXfer:features:read:target.xml
 *   anything else      the empty reply ("not supported")
 *
 * Timing: nothing here charges a cycle or touches a cache. While gdb has a
 * breakpoint or a step armed, the CPU loop (cpu.c) calls gdb_cpu_hook()
 * before every instruction and runs one instruction at a time, which
 * changes nothing the guest can observe; otherwise the only cost is one
 * test of m->gdb_armed per batch of instructions. gdb_slice_hook() looks
 * for ^C once per 2^20 cycles of machine time, between time slices.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "flash/gdb.h"
#include "internal.h"

#define PACKET_MAX 4096          /* the PacketSize we announce */
#define MAX_BREAKPOINTS 64
#define POLL_CYCLES (1u << 20)   /* look for ^C this often (machine time) */
#define WIRE_REGS 73             /* gdb's: ours, the FPU's 34 (38-71), then EPC */
#define WIRE_EPC 72
#define SIG_INT 2                /* gdb's signal numbers */
#define SIG_TRAP 5

/** The stub: the connection, the protocol's state, breakpoints, a step. */
struct gdb {
    int listen_fd;             /**< listening socket */
    int fd;                    /**< connection to gdb, -1 if none */
    int port;                  /**< port listened on */
    struct sim *m;             /**< the machine attached to, or NULL */
    struct gdb_target t;       /**< the threads */
    char rbuf[1024];           /**< bytes received, not yet consumed */
    int rlen;                  /**< bytes in rbuf */
    int rpos;                  /**< next byte of rbuf */
    char pkt[PACKET_MAX + 1];  /**< the packet being handled */
    char out[PACKET_MAX + 8];  /**< the reply being built */
    int gen_thread;            /**< Hg: thread for registers and memory */
    int cont_thread;           /**< Hc: thread to step, -1 for any */
    int stop_thread;           /**< the thread the last stop was reported for */
    int stop_sig;              /**< and its signal */
    int stop_bp;               /**< the kind (bp_kind) of the breakpoint it stopped at, 0 for none */
    uint32_t bp[MAX_BREAKPOINTS]; /**< breakpoint addresses */
    uint8_t bp_kind[MAX_BREAKPOINTS]; /**< 1: set by Z0 (software), 2: by Z1 (hardware), or both */
    int nbp;                   /**< how many */
    int step_thread;           /**< thread being stepped, -1 if none */
    uint32_t step_pc;          /**< its PC when the step began: the step ends when it moves */
    int only_thread;           /**< gdb resumed this thread alone (-1: all): no other may stop */
    int skip_cpu;              /**< a CPU resuming from a stop at a breakpoint, -1 */
    uint32_t skip_pc;          /**< ...and its PC: the breakpoint there is not hit again at once */
    uint64_t next_poll;        /**< machine time of the next look for ^C */
    char xml[8192];            /**< target.xml */
    int xml_len;               /**< its length */
};

/* Why serve() returned. */
enum serve_end { SERVE_RESUME, SERVE_GONE };

/* ---- the machine's own CPUs as a target -------------------------------- */

static int machine_thread_on_cpu(void *arg, int cpu)
{
    (void)arg;
    return cpu;
}

static bool machine_get_reg(void *arg, int t, int reg, uint32_t *v)
{
    const struct sim *m = arg;
    const struct cpu *c = &m->cpu[t];
    if (reg < 32) { *v = c->gpr[reg]; return true; }
    switch (reg) {
    case GDB_REG_SR: *v = c->status; return true;
    case GDB_REG_LO: *v = c->lo; return true;
    case GDB_REG_HI: *v = c->hi; return true;
    case GDB_REG_BADVADDR: *v = c->badvaddr; return true;
    case GDB_REG_CAUSE: *v = c->cause; return true;
    case GDB_REG_PC: *v = c->pc; return true;
    case GDB_REG_EPC: *v = c->epc; return true;
    default: return false;
    }
}

static bool machine_set_reg(void *arg, int t, int reg, uint32_t v)
{
    struct sim *m = arg;
    if (reg < 32)
        return sim_cpu_set_reg(m, t, reg, v) == 0;
    switch (reg) {
    case GDB_REG_SR: return sim_cpu_set_cp0(m, t, CP0_STATUS, 0, v) == 0;
    case GDB_REG_LO: return sim_cpu_set_hilo(m, t, m->cpu[t].hi, v) == 0;
    case GDB_REG_HI: return sim_cpu_set_hilo(m, t, v, m->cpu[t].lo) == 0;
    case GDB_REG_BADVADDR: return sim_cpu_set_cp0(m, t, CP0_BADVADDR, 0, v) == 0;
    case GDB_REG_CAUSE: return sim_cpu_set_cp0(m, t, CP0_CAUSE, 0, v) == 0;
    case GDB_REG_PC: return sim_cpu_set_pc(m, t, v) == 0;
    case GDB_REG_EPC: return sim_cpu_set_cp0(m, t, CP0_EPC, 0, v) == 0;
    default: return false;
    }
}

/* The physical address of va for CPU c: kseg0/kseg1 directly, the rest
 * through its TLB with its ASID, without a statistic or an exception. */
static bool machine_translate(const struct cpu *c, uint32_t va, uint64_t *pa)
{
    if (va >= MIPS_KSEG0 && va < MIPS_KSSEG) {
        *pa = va & (MIPS_KSEG1 - MIPS_KSEG0 - 1);
        return true;
    }
    uint32_t asid = c->entryhi & ENTRYHI_ASID_MASK;
    for (int i = 0; i < MIPS_TLB_ENTRIES; i++) {
        const struct tlb_entry *e = &c->tlb[i];
        if (((e->hi ^ va) & ENTRYHI_VPN2_MASK) || !(e->global || (e->hi & ENTRYHI_ASID_MASK) == asid))
            continue;
        uint32_t lo = e->lo[(va >> MIPS_PAGE_SHIFT) & 1];
        if (!(lo & ENTRYLO_V))
            return false;
        uint64_t pfn = (lo & ENTRYLO_PFN_MASK) >> ENTRYLO_PFN_SHIFT;
        *pa = (pfn << MIPS_PAGE_SHIFT) | (va & (MIPS_PAGE_SIZE - 1));
        return true;
    }
    return false;
}

/* Copy between gdb and memory page by page; writes go straight to memory,
 * past the cache model, so that they cost nothing (flash/gdb.h). */
static bool machine_copy(struct sim *m, int t, uint32_t va, uint8_t *buf, uint32_t len, bool write)
{
    while (len) {
        uint32_t n = MIPS_PAGE_SIZE - (va & (MIPS_PAGE_SIZE - 1));
        if (n > len)
            n = len;
        uint64_t pa;
        if (!machine_translate(&m->cpu[t], va, &pa) || !mem_is_ram(m, pa, n))
            return false;
        if (write)
            memcpy(m->ram + pa, buf, n);
        else
            memcpy(buf, m->ram + pa, n);
        va += n;
        buf += n;
        len -= n;
    }
    return true;
}

static bool machine_read_mem(void *arg, int t, uint32_t va, uint8_t *buf, uint32_t len)
{
    return machine_copy(arg, t, va, buf, len, false);
}

static bool machine_write_mem(void *arg, int t, uint32_t va, const uint8_t *buf, uint32_t len)
{
    return machine_copy(arg, t, va, (uint8_t *)buf, len, true);
}

static void machine_describe(void *arg, int t, char *buf, size_t len)
{
    const struct sim *m = arg;
    static const char *const state[] = {"in reset", "running", "waiting"};
    snprintf(buf, len, "cpu %d %s", t, state[m->cpu[t].state]);
}

/* ---- bytes and packets -------------------------------------------------- */

/* The next byte from gdb, or -1 when the connection is gone. */
static int rd(struct gdb *g)
{
    if (g->fd < 0)
        return -1;
    if (g->rpos == g->rlen) {
        ssize_t n;
        do
            n = read(g->fd, g->rbuf, sizeof g->rbuf);
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            return -1;
        g->rlen = (int)n;
        g->rpos = 0;
    }
    return (unsigned char)g->rbuf[g->rpos++];
}

static bool write_all(struct gdb *g, const char *s, size_t len)
{
    while (len && g->fd >= 0) {
        ssize_t n = send(g->fd, s, len, MSG_NOSIGNAL); /* gdb gone: an error, not SIGPIPE */
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        s += n;
        len -= (size_t)n;
    }
    return g->fd >= 0;
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* Read the next packet into g->pkt (acknowledged). Its length, or -1. */
static int get_packet(struct gdb *g)
{
    for (;;) {
        int ch;
        while ((ch = rd(g)) != '$') /* acks and a stray ^C between packets */
            if (ch < 0)
                return -1;
        int len = 0;
        unsigned sum = 0;
        while ((ch = rd(g)) >= 0 && ch != '#') {
            if (len < PACKET_MAX)
                g->pkt[len++] = (char)ch;
            sum += (unsigned)ch;
        }
        int hi = rd(g), lo = rd(g);
        if (lo < 0)
            return -1;
        g->pkt[len] = '\0';
        bool ok = hexval(hi) >= 0 && hexval(lo) >= 0 && (unsigned)(hexval(hi) * 16 + hexval(lo)) == (sum & 0xFF);
        if (!write_all(g, ok ? "+" : "-", 1))
            return -1;
        if (ok)
            return len;
    }
}

/* Send s as a packet and wait for gdb's acknowledgement. */
static bool put_packet(struct gdb *g, const char *s)
{
    size_t len = strlen(s);
    char *frame = malloc(len + 5);
    if (!frame)
        return false;
    unsigned sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += (unsigned char)s[i];
    frame[0] = '$';
    memcpy(frame + 1, s, len);
    snprintf(frame + 1 + len, 4, "#%02x", sum & 0xFF);
    bool ok = false;
    for (int tries = 0; tries < 10 && !ok; tries++) {
        if (!write_all(g, frame, len + 4))
            break;
        int ch;
        while ((ch = rd(g)) >= 0 && ch != '+' && ch != '-')
            ;
        if (ch < 0)
            break;
        ok = ch == '+';
    }
    free(frame);
    return ok;
}

static void hangup(struct gdb *g)
{
    if (g->fd >= 0)
        close(g->fd);
    g->fd = -1;
    g->rlen = g->rpos = 0;
    if (g->m) {
        g->m->gdb = NULL;
        g->m->gdb_armed = false;
    }
    g->m = NULL;
}

/* ---- helpers for the commands ------------------------------------------- */

static const char hexdigits[] = "0123456789abcdef";

static char *put_hex_bytes(char *p, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        *p++ = hexdigits[b[i] >> 4];
        *p++ = hexdigits[b[i] & 15];
    }
    *p = '\0';
    return p;
}

/* The target's register behind gdb's register n, or -1 (the FPU's). */
static int target_reg(uint64_t n)
{
    return n < GDB_REG_EPC ? (int)n : n == WIRE_EPC ? GDB_REG_EPC : -1;
}

/* gdb's register n as gdb wants it: 4 bytes little-endian, or xxxxxxxx. */
static char *put_reg(struct gdb *g, char *p, int t, int n)
{
    uint32_t v;
    int reg = target_reg((uint64_t)n);
    if (reg < 0 || !g->t.get_reg(g->t.arg, t, reg, &v)) {
        memcpy(p, "xxxxxxxx", 9);
        return p + 8;
    }
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return put_hex_bytes(p, b, 4);
}

/* Parse a hex number at *s, moving *s past it; false if there is none. */
static bool parse_hex(const char **s, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = *s;
    while (hexval(*p) >= 0 && v >> 60 == 0)
        v = v * 16 + (uint64_t)hexval(*p++);
    if (p == *s)
        return false;
    *s = p;
    *out = v;
    return true;
}

/* 4 bytes of little-endian hex at s. */
static bool parse_reg_value(const char *s, uint32_t *v)
{
    uint32_t r = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(s[2 * i]), l = h < 0 ? -1 : hexval(s[2 * i + 1]);
        if (l < 0)
            return false;
        r |= (uint32_t)(h * 16 + l) << (8 * i);
    }
    *v = r;
    return true;
}

/* A gdb thread id (1-based; 0 any, -1 all) to a thread, -1 for "all". */
static bool parse_thread(struct gdb *g, const char *s, int *t)
{
    if (!strcmp(s, "-1")) { *t = -1; return true; }
    uint64_t v;
    if (!parse_hex(&s, &v) || *s || v > (uint64_t)g->t.nthreads)
        return false;
    *t = v == 0 ? g->stop_thread : (int)v - 1;
    return true;
}

static void build_target_xml(struct gdb *g)
{
    char *p = g->xml, *end = g->xml + sizeof g->xml;
#define ADD(...) (p += snprintf(p, (size_t)(end - p), __VA_ARGS__))
    ADD("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
        "<target version=\"1.0\">\n<architecture>mips:isa32</architecture>\n"
        "<feature name=\"org.gnu.gdb.mips.cpu\">\n");
    for (int r = 0; r < 32; r++)
        ADD("<reg name=\"r%d\" bitsize=\"32\" regnum=\"%d\"/>\n", r, r);
    ADD("<reg name=\"lo\" bitsize=\"32\" regnum=\"33\"/>\n<reg name=\"hi\" bitsize=\"32\" regnum=\"34\"/>\n"
        "<reg name=\"pc\" bitsize=\"32\" regnum=\"37\"/>\n</feature>\n"
        "<feature name=\"org.gnu.gdb.mips.cp0\">\n<reg name=\"status\" bitsize=\"32\" regnum=\"32\"/>\n"
        "<reg name=\"badvaddr\" bitsize=\"32\" regnum=\"35\"/>\n<reg name=\"cause\" bitsize=\"32\" regnum=\"36\"/>\n"
        "<reg name=\"epc\" bitsize=\"32\" regnum=\"72\" group=\"system\"/>\n</feature>\n<feature name=\"org.gnu.gdb.mips.fpu\">\n");
    for (int r = 0; r < 32; r++)
        ADD("<reg name=\"f%d\" bitsize=\"32\" type=\"ieee_single\" regnum=\"%d\"/>\n", r, 38 + r);
    ADD("<reg name=\"fcsr\" bitsize=\"32\" group=\"float\" regnum=\"70\"/>\n"
        "<reg name=\"fir\" bitsize=\"32\" group=\"float\" regnum=\"71\"/>\n</feature>\n</target>\n");
#undef ADD
    g->xml_len = (int)(p - g->xml);
}

/* ---- commands ----------------------------------------------------------- */

static void stop_reply(struct gdb *g)
{
    static const char *const reason[] = {"", "swbreak:;", "hwbreak:;", "hwbreak:;"};
    snprintf(g->out, sizeof g->out, "T%02xthread:%x;%s", g->stop_sig, g->stop_thread + 1, reason[g->stop_bp]);
}

static void cmd_read_regs(struct gdb *g)
{
    char *p = g->out;
    for (int n = 0; n < WIRE_REGS; n++)
        p = put_reg(g, p, g->gen_thread, n);
}

static void cmd_write_regs(struct gdb *g, const char *s)
{
    for (int n = 0; n < WIRE_REGS && strlen(s) >= 8; n++, s += 8) {
        uint32_t v;
        if (target_reg((uint64_t)n) >= 0 && parse_reg_value(s, &v))
            g->t.set_reg(g->t.arg, g->gen_thread, target_reg((uint64_t)n), v);
    }
    strcpy(g->out, "OK");
}

static void cmd_read_reg(struct gdb *g, const char *s)
{
    uint64_t r;
    if (!parse_hex(&s, &r) || r >= WIRE_REGS)
        strcpy(g->out, "E00");
    else
        put_reg(g, g->out, g->gen_thread, (int)r);
}

static void cmd_write_reg(struct gdb *g, const char *s)
{
    uint64_t r;
    uint32_t v;
    bool ok = parse_hex(&s, &r) && *s++ == '=' && parse_reg_value(s, &v);
    if (ok && r < WIRE_REGS && target_reg(r) < 0)
        strcpy(g->out, "OK"); /* no FPU: ignored */
    else if (ok && r < WIRE_REGS && g->t.set_reg(g->t.arg, g->gen_thread, target_reg(r), v))
        strcpy(g->out, "OK");
    else
        strcpy(g->out, "E00");
}

static void cmd_read_mem(struct gdb *g, const char *s)
{
    uint64_t a, l;
    if (!parse_hex(&s, &a) || *s++ != ',' || !parse_hex(&s, &l)) {
        strcpy(g->out, "E00");
        return;
    }
    if (l > PACKET_MAX / 2)
        l = PACKET_MAX / 2;
    uint8_t buf[PACKET_MAX / 2];
    /* A range that runs into unmapped memory gives what can be read. */
    uint32_t n = 0;
    while (n < l) {
        uint32_t va = (uint32_t)(a + n), chunk = MIPS_PAGE_SIZE - (va & (MIPS_PAGE_SIZE - 1));
        if (chunk > l - n)
            chunk = (uint32_t)(l - n);
        if (!g->t.read_mem(g->t.arg, g->gen_thread, va, buf + n, chunk))
            break;
        n += chunk;
    }
    if (n == 0 && l > 0)
        strcpy(g->out, "E01");
    else
        put_hex_bytes(g->out, buf, n);
}

static void cmd_write_mem(struct gdb *g, const char *s)
{
    uint64_t a, l;
    uint8_t buf[PACKET_MAX / 2];
    if (!parse_hex(&s, &a) || *s++ != ',' || !parse_hex(&s, &l) || *s++ != ':' || l > sizeof buf ||
        strlen(s) != 2 * l) {
        strcpy(g->out, "E00");
        return;
    }
    for (uint64_t i = 0; i < l; i++) {
        int h = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (h < 0 || lo < 0) {
            strcpy(g->out, "E00");
            return;
        }
        buf[i] = (uint8_t)(h * 16 + lo);
    }
    bool ok = l == 0 || g->t.write_mem(g->t.arg, g->gen_thread, (uint32_t)a, buf, (uint32_t)l);
    strcpy(g->out, ok ? "OK" : "E01");
}

static void cmd_breakpoint(struct gdb *g, const char *s, bool insert)
{
    uint64_t a;
    if ((s[0] != '0' && s[0] != '1') || s[1] != ',') {
        g->out[0] = '\0'; /* watchpoints: not supported */
        return;
    }
    uint8_t kind = s[0] == '0' ? 1 : 2;
    s += 2;
    if (!parse_hex(&s, &a)) {
        strcpy(g->out, "E00");
        return;
    }
    int i = 0;
    while (i < g->nbp && g->bp[i] != (uint32_t)a)
        i++;
    if (insert && i == g->nbp) {
        if (g->nbp == MAX_BREAKPOINTS) {
            strcpy(g->out, "E02");
            return;
        }
        g->bp_kind[g->nbp] = 0;
        g->bp[g->nbp++] = (uint32_t)a;
    }
    if (insert) {
        g->bp_kind[i] |= kind;
    } else if (i < g->nbp && !(g->bp_kind[i] &= (uint8_t)~kind)) {
        g->nbp--;
        g->bp[i] = g->bp[g->nbp];
        g->bp_kind[i] = g->bp_kind[g->nbp];
    }
    strcpy(g->out, "OK");
}

static void cmd_xfer(struct gdb *g, const char *s)
{
    const char *name = "qXfer:features:read:target.xml:";
    uint64_t off, len;
    if (strncmp(s, name, strlen(name))) {
        g->out[0] = '\0';
        return;
    }
    s += strlen(name);
    if (!parse_hex(&s, &off) || *s++ != ',' || !parse_hex(&s, &len)) {
        strcpy(g->out, "E00");
        return;
    }
    if (len > PACKET_MAX - 2)
        len = PACKET_MAX - 2;
    if (off >= (uint64_t)g->xml_len) {
        strcpy(g->out, "l");
        return;
    }
    uint64_t n = (uint64_t)g->xml_len - off < len ? (uint64_t)g->xml_len - off : len;
    g->out[0] = off + n < (uint64_t)g->xml_len ? 'm' : 'l';
    memcpy(g->out + 1, g->xml + off, n);
    g->out[1 + n] = '\0';
}

static void cmd_query(struct gdb *g, const char *s)
{
    if (!strncmp(s, "qSupported", 10)) {
        snprintf(g->out, sizeof g->out, "PacketSize=%x;qXfer:features:read+;vContSupported+;swbreak+;hwbreak+",
                 PACKET_MAX);
    } else if (!strcmp(s, "qAttached")) {
        strcpy(g->out, "1"); /* quitting gdb detaches: the run goes on */
    } else if (!strcmp(s, "qC")) {
        snprintf(g->out, sizeof g->out, "QC%x", g->stop_thread + 1);
    } else if (!strcmp(s, "qfThreadInfo")) {
        char *p = g->out;
        *p++ = 'm';
        for (int t = 0; t < g->t.nthreads; t++)
            p += snprintf(p, 12, t ? ",%x" : "%x", t + 1);
    } else if (!strcmp(s, "qsThreadInfo")) {
        strcpy(g->out, "l");
    } else if (!strncmp(s, "qThreadExtraInfo,", 17)) {
        int t;
        char desc[128] = "";
        if (parse_thread(g, s + 17, &t) && t >= 0)
            g->t.describe(g->t.arg, t, desc, sizeof desc);
        put_hex_bytes(g->out, (const uint8_t *)desc, strlen(desc));
    } else if (!strncmp(s, "qSymbol", 7)) {
        strcpy(g->out, "OK");
    } else if (!strncmp(s, "qXfer:", 6)) {
        cmd_xfer(g, s);
    } else {
        g->out[0] = '\0';
    }
}

/* Arm a continue (step < 0) or a step of thread `step`; `only` >= 0: gdb
 * resumed that thread alone (to step it over a breakpoint, say). The
 * others run on all the same, since stopping them would change the run,
 * but they report nothing until gdb resumes them too. */
static void resume(struct gdb *g, int step, int only)
{
    g->only_thread = only;
    g->step_thread = step;
    if (step >= 0 && !g->t.get_reg(g->t.arg, step, GDB_REG_PC, &g->step_pc))
        g->step_pc = 0;
    g->m->gdb_armed = g->nbp > 0 || step >= 0;
}

/* c/s with an optional address: the Hc thread (or the last stopped one). */
static void cmd_continue(struct gdb *g, const char *s, bool step)
{
    int t = g->cont_thread >= 0 ? g->cont_thread : g->stop_thread;
    uint64_t a;
    if (parse_hex(&s, &a))
        g->t.set_reg(g->t.arg, t, GDB_REG_PC, (uint32_t)a);
    resume(g, step ? t : -1, g->cont_thread);
}

/* vCont;ACTION[:THREAD];...: true if it resumed. */
static bool cmd_vcont(struct gdb *g, const char *s)
{
    int step = -1, only = -2; /* -2: no action named a thread yet */
    bool all = false;
    while (*s == ';') {
        char action = *++s;
        if (action == 'C' || action == 'S') /* signals mean nothing to a CPU */
            s += strspn(s + 1, "0123456789abcdefABCDEF") + 1;
        else
            s++;
        int t = g->stop_thread;
        if (*s == ':') {
            char id[24];
            size_t n = strcspn(++s, ";");
            snprintf(id, sizeof id, "%.*s", (int)n, s);
            s += n;
            if (!parse_thread(g, id, &t) || t < 0)
                all = true;
            else if (only == -2)
                only = t;
        } else {
            all = true; /* the default action: every other thread */
        }
        if ((action == 's' || action == 'S') && step < 0)
            step = t;
        else if (action != 'c' && action != 'C')
            return false;
    }
    resume(g, step, all || only < 0 ? -1 : only);
    return true;
}

/* Serve gdb until it resumes the machine (or leaves). */
static enum serve_end serve(struct gdb *g)
{
    for (;;) {
        if (get_packet(g) < 0) {
            hangup(g); /* gdb went away: the run goes on */
            return SERVE_GONE;
        }
        const char *s = g->pkt;
        int t;
        g->out[0] = '\0';
        switch (s[0]) {
        case '?': stop_reply(g); break;
        case 'g': cmd_read_regs(g); break;
        case 'G': cmd_write_regs(g, s + 1); break;
        case 'p': cmd_read_reg(g, s + 1); break;
        case 'P': cmd_write_reg(g, s + 1); break;
        case 'm': cmd_read_mem(g, s + 1); break;
        case 'M': cmd_write_mem(g, s + 1); break;
        case 'Z': cmd_breakpoint(g, s + 1, true); break;
        case 'z': cmd_breakpoint(g, s + 1, false); break;
        case 'q': cmd_query(g, s); break;
        case 'H':
            if ((s[1] == 'g' || s[1] == 'c') && parse_thread(g, s + 2, &t)) {
                if (s[1] == 'g')
                    g->gen_thread = t < 0 ? g->stop_thread : t;
                else
                    g->cont_thread = t;
                strcpy(g->out, "OK");
            } else {
                strcpy(g->out, "E00");
            }
            break;
        case 'T': strcpy(g->out, parse_thread(g, s + 1, &t) && t >= 0 ? "OK" : "E00"); break;
        case 'c': case 's':
            cmd_continue(g, s + 1, s[0] == 's');
            return SERVE_RESUME;
        case 'D':
            put_packet(g, "OK");
            hangup(g);
            return SERVE_GONE;
        case 'k':
            goto kill;
        case 'v':
            if (!strcmp(s, "vCont?")) {
                strcpy(g->out, "vCont;c;C;s;S");
            } else if (!strncmp(s, "vCont;", 6)) {
                if (cmd_vcont(g, s + 5))
                    return SERVE_RESUME;
                strcpy(g->out, "E00");
            } else if (!strncmp(s, "vKill", 5)) {
                put_packet(g, "OK");
                goto kill;
            }
            break;
        default: break;
        }
        if (!put_packet(g, g->out)) {
            hangup(g);
            return SERVE_GONE;
        }
    }
kill:
    fprintf(stderr, "gdb: run killed by gdb\n");
    sim_request_stop(g->m, SIM_STOP_HALT, GDB_EXIT_KILLED, "killed by gdb");
    hangup(g);
    return SERVE_GONE;
}

/* Stop the machine for gdb: report thread t, then serve gdb. c is the CPU
 * that stopped before an instruction, or NULL between time slices. */
static void stop(struct gdb *g, struct cpu *c, int t, int sig, int bp)
{
    g->stop_thread = g->gen_thread = t;
    g->stop_sig = sig;
    g->stop_bp = bp;
    g->step_thread = -1;
    stop_reply(g);
    if (!put_packet(g, g->out)) {
        hangup(g);
        return;
    }
    if (serve(g) == SERVE_RESUME && c) {
        g->skip_cpu = c->id;
        g->skip_pc = c->pc;
    }
}

/* ---- the simulator's hooks (internal.h) --------------------------------- */

/* Before an instruction of c, while breakpoints or a step are armed: stop
 * if the instruction is at a breakpoint or ends a step. Makes exec_run()
 * return after one instruction, so that the next one is checked too.
 * Returns true if the machine stopped for gdb (c's state may have changed). */
bool gdb_cpu_hook(struct cpu *c)
{
    struct gdb *g = c->m->gdb;
    c->deadline = c->cycles + 1;
    bool skip = false;
    if (g->skip_cpu == c->id) {
        g->skip_cpu = -1;
        skip = c->pc == g->skip_pc;
    }
    int t = -2; /* not looked up yet */
    if (g->step_thread >= 0) {
        /* Done when the thread's PC has moved: to the next instruction, a
         * branch target or an exception vector. An instruction a monitor
         * restarts after a trap it handled itself (a TLB refill from its
         * second-level TLB) leaves the PC where it was: not a step. */
        t = g->t.thread_on_cpu(g->t.arg, c->id);
        if (t == g->step_thread && c->pc != g->step_pc) {
            stop(g, c, t, SIG_TRAP, 0);
            return true;
        }
    }
    if (skip)
        return false;
    for (int i = 0; i < g->nbp; i++) {
        if (g->bp[i] != c->pc)
            continue;
        if (t == -2)
            t = g->t.thread_on_cpu(g->t.arg, c->id);
        if (t < 0 || (g->only_thread >= 0 && t != g->only_thread))
            return false;
        stop(g, c, t, SIG_TRAP, g->bp_kind[i]);
        return true;
    }
    return false;
}

/* Between time slices: now and then, see whether gdb sent ^C. */
void gdb_slice_hook(struct sim *m)
{
    struct gdb *g = m->gdb;
    if (m->now < g->next_poll)
        return;
    g->next_poll = m->now + POLL_CYCLES;
    for (;;) {
        if (g->rpos == g->rlen) {
            struct pollfd p = {.fd = g->fd, .events = POLLIN};
            if (poll(&p, 1, 0) <= 0)
                return;
        }
        int ch = rd(g);
        if (ch < 0) {
            hangup(g);
            return;
        }
        if (ch == 0x03) {
            stop(g, NULL, g->stop_thread, SIG_INT, 0);
            return;
        }
    }
}

/* ---- the API (flash/gdb.h) ---------------------------------------------- */

struct gdb *gdb_listen(int port, char *err, size_t errlen)
{
    if (port < 0 || port > 65535) {
        snprintf(err, errlen, "port %d is not between 0 and 65535", port);
        return NULL;
    }
    struct gdb *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    g->fd = -1;
    g->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    int one = 1;
    if (g->listen_fd < 0 || setsockopt(g->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(g->listen_fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(g->listen_fd, 1) != 0 ||
        getsockname(g->listen_fd, (struct sockaddr *)&a, &alen) != 0) {
        snprintf(err, errlen, "port %d: %s", port, strerror(errno));
        gdb_destroy(g);
        return NULL;
    }
    g->port = ntohs(a.sin_port);
    build_target_xml(g);
    return g;
}

bool gdb_parse_port(const char *s, int *port)
{
    long v = 0;
    if (!*s || strlen(s) > 5)
        return false;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    if (v > 65535)
        return false;
    *port = (int)v;
    return true;
}

int gdb_port(const struct gdb *g)
{
    return g->port;
}

int gdb_attach(struct gdb *g, struct sim *m, const struct gdb_target *t, char *err, size_t errlen)
{
    if (t) {
        g->t = *t;
    } else {
        g->t = (struct gdb_target){
            .nthreads = m->ncpus, .thread_on_cpu = machine_thread_on_cpu, .get_reg = machine_get_reg,
            .set_reg = machine_set_reg, .read_mem = machine_read_mem, .write_mem = machine_write_mem,
            .describe = machine_describe, .arg = m,
        };
    }
    int fd;
    do
        fd = accept(g->listen_fd, NULL, NULL);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        snprintf(err, errlen, "accept: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    g->fd = fd;
    g->m = m;
    g->cont_thread = -1;
    g->step_thread = -1;
    g->skip_cpu = -1;
    g->next_poll = m->now + POLL_CYCLES;
    m->gdb = g;
    m->gdb_armed = false;
    /* The machine is held as if stopped by a trap: gdb asks why with '?'. */
    g->stop_thread = g->gen_thread = 0;
    g->stop_sig = SIG_TRAP;
    g->only_thread = -1;
    serve(g);
    return 0;
}

void gdb_finish(struct gdb *g, int status)
{
    if (!g || g->fd < 0)
        return;
    char w[8];
    snprintf(w, sizeof w, "W%02x", status & 0xFF);
    put_packet(g, w);
    hangup(g);
}

void gdb_destroy(struct gdb *g)
{
    if (!g)
        return;
    hangup(g);
    if (g->listen_fd >= 0)
        close(g->listen_fd);
    free(g);
}
