/*
 * vm_net: VMs on the monitor's virtual network (paper section 4.2.6, lab
 * 5), through the monitor calls MC_NET_* (guests/include/disco/abi.h).
 * The first word of the boot arguments gives the VM's role:
 *
 *   server addr=A clients=N
 *       posts NBUF receive buffers and answers requests (below) until N
 *       clients have said goodbye; it prints only totals at the end, so its
 *       console does not depend on the order the clients' requests came in.
 *   client addr=A id=K server=S [outsider=O]
 *       K (0..MAXC-1) names its slot in the server's store; O, if given,
 *       is the address of a VM on another subnet. It checks that bad
 *       descriptors are refused, that O and an address nobody has are
 *       unreachable, then talks to S: a header alone, whole pages that
 *       arrive with its data, a page it never used (zeros), pages the
 *       server stamps and sends back (remapped both ways, its own copy
 *       unchanged), MC_NET_REMAP, pages it writes after sending them (the
 *       server's copy unchanged); then messages to itself: a drop with no
 *       buffer posted (MC_NET_ENOBUF, counted by MC_NET_STATUS), buffers
 *       filled oldest first, copy-on-write in both directions, a buffer too
 *       small. Last, goodbye.
 *   outsider addr=A lan=S
 *       a VM on another subnet: at most MC_NET_MAX_POSTED buffers, S out of
 *       reach, and, after waiting long enough for the clients to have
 *       tried to reach it, nothing received.
 *
 * Each check prints one "ok"/"FAIL" line, the same in every run.
 */
#include "vmrt.h"

#define PG 4096
#define NBUF 16              /* the server's receive buffers */
#define NPG 4                /* pages per buffer, and in a request at most */
#define MAXC 8               /* clients the server has a store for */
#define ROOM 64              /* header bytes a buffer has room for */
#define OUTSIDER_WAIT 10000000u /* cycles the outsider waits for stray messages */

#define MAGIC_CLIENT 0x6e657431u   /* "net1" */
#define MAGIC_SERVER 0x6e657432u   /* "net2" */
#define MAGIC_OUTSIDER 0x6e65743fu /* "net?" */
#define STAMP 0x5eadbeefu          /* what the server writes into echoed pages */

/* Requests (client to server); the reply has the same header. */
enum { OP_PING = 1, OP_SUM, OP_ZERO, OP_ECHO, OP_STORE, OP_VERIFY, OP_BYE };

struct msg {
    uint32_t magic, op, id, addr, seq, npages, sum, ok;
};

typedef volatile uint32_t desc_t[MC_NET_DESC_WORDS];

/* ---- helpers ---- */

static uint32_t cycles(void)
{
    return mcall(MC_CYCLES, 0, 0, 0, 0);
}

static void wait_cycles(uint32_t n)
{
    uint32_t t = cycles();
    while (cycles() - t < n)
        ;
}

/* MC_NET_STATUS: messages received since the last call; *drops dropped
 * (the second result, in v1, which mcall() does not return). */
static uint32_t net_status(uint32_t *drops)
{
    register uint32_t v0 __asm__("$2") = MC_NET_STATUS;
    register uint32_t v1 __asm__("$3");
    __asm__ volatile("syscall" : "+r"(v0), "=r"(v1) : : "$4", "$5", "$6", "$7", "memory");
    *drops = v1;
    return v0;
}

static int net_send(desc_t d)
{
    return (int)mcall(MC_NET_SEND, kva2pa(d), 0, 0, 0);
}

static int net_post(desc_t d)
{
    return (int)mcall(MC_NET_POST, kva2pa(d), 0, 0, 0);
}

static int net_remap(const void *src, const void *dst)
{
    return (int)mcall(MC_NET_REMAP, kva2pa(src), kva2pa(dst), 0, 0);
}

/* A descriptor: to (or, to receive, 0), a header of len bytes (or room),
 * and n pages from pg on. */
static void set_desc(desc_t d, uint32_t to, const void *hdr, uint32_t len, uint8_t (*pg)[PG], uint32_t n)
{
    for (int i = 0; i < MC_NET_DESC_WORDS; i++)
        d[i] = 0;
    d[MC_NET_D_ADDR] = to;
    d[MC_NET_D_HDR] = kva2pa(hdr);
    d[MC_NET_D_HDRLEN] = len;
    d[MC_NET_D_NPAGES] = n;
    for (uint32_t i = 0; i < n && i < MC_NET_MAX_PAGES; i++)
        d[MC_NET_D_PAGE + i] = kva2pa(pg[i]);
}

/* Wait for the monitor to fill receive descriptor d: MC_IDLE until IP3.
 * MC_NET_STATUS clears IP3 first, so a message after it wakes the idle. */
static void wait_filled(desc_t d)
{
    uint32_t drops;
    while (d[MC_NET_D_STATUS] != 1) {
        net_status(&drops);
        if (d[MC_NET_D_STATUS] != 1)
            mcall(MC_IDLE, 0, 0, 0, 0);
    }
}

/* Page contents: word j of a page filled with seed. */
static uint32_t word_of(uint32_t seed, int j)
{
    return seed * 0x9E3779B1u + (uint32_t)j;
}

static void fill(uint8_t *pg, uint32_t seed)
{
    volatile uint32_t *w = (volatile uint32_t *)pg;
    for (int j = 0; j < PG / 4; j++)
        w[j] = word_of(seed, j);
}

/* Does the page hold seed's words (word 0: first, the server's stamp)? */
static int holds(const uint8_t *pg, uint32_t seed, uint32_t first)
{
    const volatile uint32_t *w = (const volatile uint32_t *)pg;
    if (w[0] != first)
        return 0;
    for (int j = 1; j < PG / 4; j++)
        if (w[j] != word_of(seed, j))
            return 0;
    return 1;
}

static uint32_t sum(uint8_t (*pg)[PG], uint32_t n)
{
    uint32_t s = 0;
    for (uint32_t i = 0; i < n; i++)
        for (int j = 0; j < PG / 4; j++)
            s = s * 31 + ((const volatile uint32_t *)pg[i])[j];
    return s;
}

static int zero(const uint8_t *pg)
{
    for (int j = 0; j < PG / 4; j++)
        if (((const volatile uint32_t *)pg)[j])
            return 0;
    return 1;
}

/* Is word the first word of args (a role)? */
static int role(const char *args, const char *word)
{
    int i = 0;
    while (word[i] && args[i] == word[i])
        i++;
    return !word[i] && (args[i] == ' ' || args[i] == '\0');
}

/* ---- the server ---- */

static uint8_t bufpg[NBUF][NPG][PG] __attribute__((aligned(PG)));
static uint8_t store[MAXC][2][PG] __attribute__((aligned(PG)));
static uint32_t stored[MAXC];
static struct msg bufhdr[NBUF][ROOM / sizeof(struct msg)];
static desc_t bufdesc[NBUF];
static struct msg answer;
static desc_t answer_desc;

/* Counts of what went wrong, printed at the end. */
static int bad_post, bad_desc, malformed, outside, lost, refused_ops;

static void post_buffer(int i)
{
    set_desc(bufdesc[i], 0, bufhdr[i], ROOM, bufpg[i], NPG);
    bad_post += net_post(bufdesc[i]) != 0;
}

/* Answer the request in buffer i, then post the buffer again. */
static void serve(int i, uint32_t me, int *byes)
{
    volatile uint32_t *d = bufdesc[i];
    struct msg *m = &bufhdr[i][0];
    uint32_t from = d[MC_NET_D_ADDR], n = d[MC_NET_D_NPAGES];
    if (d[MC_NET_D_HDRLEN] != sizeof *m || m->magic != MAGIC_CLIENT) {
        if (m->magic == MAGIC_OUTSIDER)
            outside++;
        else
            malformed++;
        post_buffer(i);
        return;
    }
    bad_desc += from != m->addr || n != m->npages;
    uint32_t ok = 0, id = m->id < MAXC ? m->id : 0, npages = 0;
    switch (m->op) {
    case OP_PING: ok = 1; break;
    case OP_SUM: ok = sum(bufpg[i], n) == m->sum; break;
    case OP_ZERO: ok = n == 1 && zero(bufpg[i][0]); break;
    case OP_ECHO:
        /* Stamp the pages (a copy-on-write fault each) and send them back. */
        ok = n <= NPG && sum(bufpg[i], n) == m->sum;
        for (uint32_t j = 0; j < n; j++)
            *(volatile uint32_t *)bufpg[i][j] = STAMP ^ j;
        npages = n;
        break;
    case OP_STORE:
        /* Move the pages into the client's store: the buffer's read as zeros. */
        ok = m->id < MAXC && n <= 2;
        for (uint32_t j = 0; ok && j < n; j++)
            ok = net_remap(bufpg[i][j], store[id][j]) == 0 && zero(bufpg[i][j]);
        ok = ok && sum(store[id], n) == m->sum;
        stored[id] = ok ? n : 0;
        break;
    case OP_VERIFY: ok = stored[id] && sum(store[id], stored[id]) == m->sum; break;
    case OP_BYE: ok = 1; ++*byes; break;
    }
    refused_ops += !ok;
    answer = (struct msg){MAGIC_SERVER, m->op, m->id, me, m->seq, npages, m->sum, ok};
    set_desc(answer_desc, from, &answer, sizeof answer, bufpg[i], npages);
    lost += net_send(answer_desc) != 0;
    /* Only now: until the reply is sent, its pages are this buffer's. */
    post_buffer(i);
}

static void server(uint32_t me, int clients)
{
    for (int i = 0; i < NBUF; i++)
        post_buffer(i);
    check(bad_post == 0, "16 receive buffers posted");
    int byes = 0;
    while (byes < clients) {
        uint32_t drops;
        net_status(&drops); /* clears IP3: a message after this wakes MC_IDLE */
        int found = 0;
        for (int i = 0; i < NBUF; i++)
            if (bufdesc[i][MC_NET_D_STATUS] == 1) {
                __asm__ volatile("" ::: "memory"); /* the rest was written before the status */
                serve(i, me, &byes);
                found = 1;
            }
        if (!found)
            mcall(MC_IDLE, 0, 0, 0, 0);
    }
    check(bad_post == 0, "every buffer posted again");
    check(bad_desc == 0, "every message came from its sender's address, as sent");
    check(malformed == 0, "every message was a request");
    check(outside == 0, "no message came from another subnet");
    check(refused_ops == 0, "every request checked out");
    check(lost == 0, "every reply was delivered");
    vm_printf("%d client(s) served\n", byes);
}

/* ---- the client ---- */

static uint8_t sendpg[NPG][PG] __attribute__((aligned(PG)));
static uint8_t replypg[NPG][PG] __attribute__((aligned(PG)));
static uint8_t dstpg[1][PG] __attribute__((aligned(PG)));
static uint8_t untouched[1][PG] __attribute__((aligned(PG)));
static uint8_t looppg[1][PG] __attribute__((aligned(PG)));
static struct msg req, rep[ROOM / sizeof(struct msg)];
static desc_t sdesc, rdesc, adesc, bdesc, cdesc;
static char ahdr[ROOM], bhdr[ROOM], chdr[ROOM];
static uint32_t me, server_addr, my_id, seq;

/* Send until a buffer is free (the server may not have posted yet). */
static int send_retry(desc_t d)
{
    int rc = MC_NET_ENOBUF;
    for (int i = 0; i < 1000 && rc == MC_NET_ENOBUF; i++)
        if ((rc = net_send(d)) == MC_NET_ENOBUF)
            wait_cycles(20000);
    return rc;
}

/* One request with n pages from pg; the reply (in rep[0], its pages in
 * replypg), or 0 if there was none or it was not the answer to this one. */
static const struct msg *request(uint32_t op, uint8_t (*pg)[PG], uint32_t n, uint32_t s)
{
    set_desc(rdesc, 0, rep, ROOM, replypg, NPG);
    if (net_post(rdesc) != 0)
        return 0;
    req = (struct msg){MAGIC_CLIENT, op, my_id, me, ++seq, n, s, 0};
    set_desc(sdesc, server_addr, &req, sizeof req, pg, n);
    if (send_retry(sdesc) != 0)
        return 0;
    wait_filled(rdesc);
    const struct msg *r = &rep[0];
    if (rdesc[MC_NET_D_ADDR] != server_addr || rdesc[MC_NET_D_HDRLEN] != sizeof *r ||
        r->magic != MAGIC_SERVER || r->op != op || r->seq != seq)
        return 0;
    return r;
}

/* Send len bytes of hdr and n pages from pg to `to`: the result. */
static int send_hdr(uint32_t to, const void *hdr, uint32_t len, uint8_t (*pg)[PG], uint32_t n)
{
    set_desc(sdesc, to, hdr, len, pg, n);
    return net_send(sdesc);
}

static void client(uint32_t memsize, uint32_t outsider)
{
    static const char hello[8] = "hello!!";
    uint32_t drops, got;
    const struct msg *r;

    /* 1. Reach: another subnet, and an address nobody has. */
    if (outsider)
        check(send_hdr(outsider, hello, 8, 0, 0) == MC_NET_EUNREACH,
              "a VM on another subnet is unreachable (MC_NET_EUNREACH)");
    check(send_hdr(254, hello, 8, 0, 0) == MC_NET_EUNREACH, "an address nobody has is unreachable");

    /* 2. Descriptors that name what is not this VM's memory. */
    fill(sendpg[0], 1);
    set_desc(sdesc, server_addr, hello, 8, sendpg, 1);
    sdesc[MC_NET_D_PAGE] += 16;
    check(net_send(sdesc) == MC_NET_EINVAL, "a page not page-aligned is refused (MC_NET_EINVAL)");
    set_desc(sdesc, server_addr, hello, 8, sendpg, 1);
    sdesc[MC_NET_D_NPAGES] = MC_NET_MAX_PAGES + 1;
    check(net_send(sdesc) == MC_NET_EINVAL, "more than MC_NET_MAX_PAGES pages are refused");
    set_desc(sdesc, server_addr, hello, 8, 0, 0);
    sdesc[MC_NET_D_HDR] = memsize - 8;
    sdesc[MC_NET_D_HDRLEN] = 32;
    check(net_send(sdesc) == MC_NET_EINVAL, "a header past the end of my memory is refused");
    set_desc(sdesc, server_addr, hello, 8, 0, 0);
    check(mcall(MC_NET_SEND, kva2pa(sdesc) + 2, 0, 0, 0) == (uint32_t)MC_NET_EINVAL,
          "a descriptor not 4-byte aligned is refused");
    set_desc(cdesc, 0, chdr, ROOM, looppg, 1);
    cdesc[MC_NET_D_PAGE] = memsize;
    check(net_post(cdesc) == MC_NET_EINVAL, "a receive buffer past the end of my memory is refused");
    check(net_remap(dstpg[0] + 4, replypg[0]) == MC_NET_EINVAL, "MC_NET_REMAP of an address not page-aligned is refused");

    /* 3. The server: a header, whole pages, a page never used. */
    r = request(OP_PING, 0, 0, 0);
    check(r && r->ok && rdesc[MC_NET_D_NPAGES] == 0, "a header alone reaches the server and is answered");
    for (uint32_t i = 0; i < NPG; i++)
        fill(sendpg[i], 16 * my_id + i);
    r = request(OP_SUM, sendpg, NPG, sum(sendpg, NPG));
    check(r && r->ok, "4 whole pages reach the server with my data");
    r = request(OP_ZERO, untouched, 1, 0);
    check(r && r->ok, "a page I never used arrives as zeros");

    /* 4. Pages the server writes (its own copy) and sends back. */
    for (uint32_t i = 0; i < 2; i++)
        fill(sendpg[i], 0x100 + 16 * my_id + i);
    uint32_t s = sum(sendpg, 2);
    r = request(OP_ECHO, sendpg, 2, s);
    check(r && r->ok && rdesc[MC_NET_D_NPAGES] == 2 && holds(replypg[0], 0x100 + 16 * my_id, STAMP) &&
              holds(replypg[1], 0x101 + 16 * my_id, STAMP ^ 1),
          "the server's reply brings my pages back, stamped");
    check(sum(sendpg, 2) == s, "the server's writes to its copy leave mine alone");

    /* 5. MC_NET_REMAP: a received page moved into place, no copy. */
    check(net_remap(replypg[0], dstpg[0]) == 0 && holds(dstpg[0], 0x100 + 16 * my_id, STAMP),
          "MC_NET_REMAP moves a received page into place");
    check(zero(replypg[0]), "the page it moved from reads as zeros");

    /* 6. Pages the server keeps (remapped into its store), then written here. */
    for (uint32_t i = 0; i < 2; i++)
        fill(sendpg[i], 0x200 + 16 * my_id + i);
    s = sum(sendpg, 2);
    r = request(OP_STORE, sendpg, 2, s);
    check(r && r->ok, "the server moves my pages into its store");
    for (uint32_t i = 0; i < 2; i++)
        fill(sendpg[i], 0x300 + i);
    r = request(OP_VERIFY, 0, 0, s);
    check(r && r->ok, "my writes after sending leave the server's copy alone");

    /* 7. Messages to myself. No buffer posted: dropped, and counted. */
    net_status(&drops); /* restart the counts */
    check(send_hdr(me, hello, 8, 0, 0) == MC_NET_ENOBUF, "a message with no buffer posted is dropped (MC_NET_ENOBUF)");
    got = net_status(&drops);
    check(got == 0 && drops == 1, "MC_NET_STATUS counts the drop");
    /* Two buffers: the oldest fills first. */
    set_desc(adesc, 0, ahdr, ROOM, 0, 0);
    set_desc(bdesc, 0, bhdr, ROOM, looppg, 1);
    check(net_post(adesc) == 0 && net_post(bdesc) == 0, "two buffers posted");
    fill(sendpg[0], 0x400 + my_id);
    int rc1 = send_hdr(me, "first", 6, 0, 0), rc2 = send_hdr(me, "second", 7, sendpg, 1);
    check(rc1 == 0 && rc2 == 0 && adesc[MC_NET_D_STATUS] == 1 && ahdr[0] == 'f' && bdesc[MC_NET_D_STATUS] == 1 &&
              bhdr[0] == 's' && adesc[MC_NET_D_ADDR] == me && bdesc[MC_NET_D_HDRLEN] == 7,
          "buffers fill oldest first, and say who sent what");
    check(bdesc[MC_NET_D_NPAGES] == 1 && holds(looppg[0], 0x400 + my_id, word_of(0x400 + my_id, 0)),
          "a page sent to myself arrives");
    looppg[0][8] ^= 0xff;
    check(holds(sendpg[0], 0x400 + my_id, word_of(0x400 + my_id, 0)) && looppg[0][8] != sendpg[0][8],
          "a write to the received page leaves the sender's alone");
    fill(sendpg[0], 0x500);
    check(looppg[0][4] == (uint8_t)word_of(0x400 + my_id, 1), "and a write by the sender leaves the receiver's alone");
    got = net_status(&drops);
    check(got == 2 && drops == 0, "MC_NET_STATUS counts two arrivals");
    /* A buffer too small: the message is dropped, the buffer stays. */
    set_desc(cdesc, 0, chdr, 4, 0, 0);
    check(net_post(cdesc) == 0, "a buffer with room for 4 bytes posted");
    check(send_hdr(me, hello, 8, 0, 0) == MC_NET_ENOBUF, "an 8-byte message does not fit: dropped");
    check(send_hdr(me, hello, 4, 0, 0) == 0 && cdesc[MC_NET_D_STATUS] == 1 && chdr[0] == 'h',
          "the buffer stays posted for a 4-byte one");

    /* 8. Goodbye. */
    r = request(OP_BYE, 0, 0, 0);
    check(r && r->ok, "the server says goodbye");
}

/* ---- the outsider ---- */

static uint8_t farpg[1][PG] __attribute__((aligned(PG)));
static char farhdr[ROOM], smallhdr[16];
static desc_t fardesc, smalldesc;

static void outsider(uint32_t lan)
{
    set_desc(fardesc, 0, farhdr, ROOM, farpg, 1);
    set_desc(smalldesc, 0, smallhdr, sizeof smallhdr, 0, 0);
    int bad = net_post(fardesc) != 0;
    for (int i = 1; i < MC_NET_MAX_POSTED; i++)
        bad += net_post(smalldesc) != 0;
    check(!bad && net_post(smalldesc) == MC_NET_EFULL, "at most MC_NET_MAX_POSTED buffers posted (MC_NET_EFULL)");
    uint32_t m[2] = {MAGIC_OUTSIDER, 0};
    set_desc(sdesc, lan, m, sizeof m, 0, 0);
    check(net_send(sdesc) == MC_NET_EUNREACH, "a VM on another subnet is unreachable (MC_NET_EUNREACH)");
    /* Long enough for every client to have tried to reach this VM. */
    wait_cycles(OUTSIDER_WAIT);
    uint32_t drops, got = net_status(&drops);
    check(got == 0 && drops == 0 && fardesc[MC_NET_D_STATUS] == 0 && zero(farpg[0]),
          "nothing from another subnet reached me");
}

int vm_main(int ncpus, uint32_t memsize, const char *args)
{
    (void)ncpus;
    me = mcall(MC_NET_INFO, 0, 0, 0, 0);
    check(me == (uint32_t)vm_arg(args, "addr=", -1), "MC_NET_INFO gives my address");
    if (role(args, "server")) {
        server(me, vm_arg(args, "clients=", 1));
    } else if (role(args, "client")) {
        server_addr = (uint32_t)vm_arg(args, "server=", 1);
        my_id = (uint32_t)vm_arg(args, "id=", 0);
        client(memsize, (uint32_t)vm_arg(args, "outsider=", 0));
    } else if (role(args, "outsider")) {
        outsider((uint32_t)vm_arg(args, "lan=", 1));
    } else {
        vm_printf("vm_net: bad args '%s'\n", args);
        return 1;
    }
    return report("vm_net");
}
