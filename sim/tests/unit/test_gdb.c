/*
 * test_gdb.c - the GDB stub (flash/gdb.h) spoken to by a tiny client on a
 * thread of the test: the stop reply, registers, memory by virtual address,
 * a breakpoint, a step, an unknown packet, detach; and port parsing.
 * (sim/tests/gdb-test.sh drives the real gdb-multiarch.)
 */
#include <arpa/inet.h>
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "flash/gdb.h"
#include "harness.h"

TestSuite(gdb);

Test(gdb, parses_ports)
{
    int p = -1;
    cr_assert(gdb_parse_port("0", &p) && p == 0);
    cr_assert(gdb_parse_port("65535", &p) && p == 65535);
    cr_assert(!gdb_parse_port("65536", &p));
    cr_assert(!gdb_parse_port("", &p));
    cr_assert(!gdb_parse_port("12a", &p));
    cr_assert(!gdb_parse_port("-1", &p));
    cr_assert_eq(p, 65535);
}

#define NCMDS 12

/* The client: a port, the packets to send, the replies received. */
struct client {
    int port;
    const char *cmd[NCMDS];
    char reply[NCMDS][600];
};

static void send_packet(int fd, const char *s)
{
    char buf[700];
    unsigned sum = 0;
    for (const char *p = s; *p; p++)
        sum += (unsigned char)*p;
    int n = snprintf(buf, sizeof buf, "$%s#%02x", s, sum & 0xFF);
    cr_assert_eq(write(fd, buf, (size_t)n), n);
}

/* The next packet's data (acknowledged), skipping acks. */
static void recv_packet(int fd, char *out, size_t len)
{
    char ch;
    do
        cr_assert_eq(read(fd, &ch, 1), 1);
    while (ch != '$');
    size_t n = 0;
    while (read(fd, &ch, 1) == 1 && ch != '#')
        if (n + 1 < len)
            out[n++] = ch;
    out[n] = '\0';
    char cs[2];
    cr_assert_eq(read(fd, cs, 2), 2);
    cr_assert_eq(write(fd, "+", 1), 1);
}

static void *client_main(void *arg)
{
    struct client *cl = arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)cl->port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    cr_assert_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    for (int i = 0; i < NCMDS && cl->cmd[i]; i++) {
        send_packet(fd, cl->cmd[i]);
        recv_packet(fd, cl->reply[i], sizeof cl->reply[i]);
    }
    close(fd);
    return NULL;
}

Test(gdb, stops_steps_reads_and_writes)
{
    struct harness h;
    h_init(&h, NULL);
    h_li(&h, T0, 1);                              /* 0x80001000, 0x80001004 */
    uint32_t bp = h_emit(&h, addiu(T0, T0, 1));   /* 0x80001008 */
    h_emit(&h, addiu(T0, T0, 1));
    h_halt(&h, 0);
    h_start(&h, 0, CODE_BASE, 0);

    char err[256], z0[32];
    struct gdb *g = gdb_listen(0, err, sizeof err);
    cr_assert(g, "%s", err);
    snprintf(z0, sizeof z0, "Z0,%x,4", bp);
    struct client cl = {
        .port = gdb_port(g),
        .cmd = {"?", "p25", z0, "vCont;c", "p8", "M80010000,4:efbeadde", "m80010000,4",
                "m10000000,4", "qNoSuchThing", "vCont;s:1", "p8", "D"},
    };
    pthread_t th;
    cr_assert_eq(pthread_create(&th, NULL, client_main, &cl), 0);
    cr_assert_eq(gdb_attach(g, h.m, NULL, err, sizeof err), 0, "%s", err);
    cr_assert_eq(h_run(&h), SIM_STOP_HALT);
    pthread_join(th, NULL);
    gdb_finish(g, sim_exit_status(h.m));
    gdb_destroy(g);

    cr_assert_str_eq(cl.reply[0], "T05thread:1;");
    cr_assert_str_eq(cl.reply[1], "00100080");            /* pc = 0x80001000 */
    cr_assert_str_eq(cl.reply[2], "OK");
    cr_assert_str_eq(cl.reply[3], "T05thread:1;swbreak:;");
    cr_assert_str_eq(cl.reply[4], "01000000");            /* t0 before the breakpoint's addiu */
    cr_assert_str_eq(cl.reply[5], "OK");
    cr_assert_str_eq(cl.reply[6], "efbeadde");
    cr_assert_str_eq(cl.reply[7], "E01");                 /* kuseg, nothing mapped */
    cr_assert_str_eq(cl.reply[8], "");
    cr_assert_str_eq(cl.reply[9], "T05thread:1;");        /* one instruction later */
    cr_assert_str_eq(cl.reply[10], "02000000");
    cr_assert_str_eq(cl.reply[11], "OK");
    cr_assert_eq(h_reg(&h, T0), 3);
    cr_assert_eq(h_peek32(&h, DATA_BASE), 0xDEADBEEFu);
    h_fini(&h);
}
