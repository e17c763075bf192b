/*
 * net.c - the network driver and a small request/reply layer (RPC) over
 * it, for the NFS-style remote file system (nfs.c).
 *
 * Only a VM has a network: the disco HAL's interface to the monitor's
 * virtual subnet (hal.h "Network", the paper's section 4.2.6). A message
 * is a header (here at most NET_HDR bytes, copied by the monitor) and at
 * most one page, which the monitor does not copy: the receiver's page is
 * remapped to the sender's machine page. The monitor delivers a message
 * at the send, into one of our posted receive buffers, and raises
 * HAL_IRQ_NET; a message that finds no buffer is dropped, and the sender
 * is told so at once (HAL_NET_ENOBUF), so senders retry.
 *
 * Every message starts with struct rpc_hdr: a call carries a fresh xid,
 * its reply the same one. net_intr() hands a reply to the process waiting
 * for that xid (moving the page, if any, into the page it asked for with
 * hal_net_remap, no copy) and a call to the server's queue. A caller
 * waits at most RPC_TIMEOUT ticks for its reply; a bad or unanswered
 * message is an error for the caller (-EIO), never a panic.
 */
#include "proc.h"
#include "net.h"

#define NRX         16     /* receive buffers we keep posted */
#define RPC_TIMEOUT 200    /* ticks (2 s) a call waits for its reply */
#define SEND_TRIES  100    /* sends dropped for want of a buffer: retries, a tick apart */

struct rx {
	uint32_t desc[HAL_NET_DESC_WORDS]; /* as posted; the monitor fills it in */
	uint8_t *hdr;            /* NET_HDR bytes */
	void *page;              /* one page */
	int held;                /* a call, held by a server until rpc_reply */
};

/* A process waiting for a reply. */
struct call {
	uint32_t xid;
	void *reply;             /* where the reply's header goes */
	uint32_t replymax;
	void *page;              /* where the reply's page goes (NULL: dropped) */
	int done;                /* 1: replied; reply_len set */
	uint32_t reply_len;
	struct call *next;
};

static struct {
	struct spinlock lock;
	uint32_t addr;           /* ours; 0: no network */
	struct rx rx[NRX];
	uint32_t next_xid;
	struct call *calls;      /* waiting for replies */
	int queue[NRX];          /* calls waiting for a server: rx indexes, oldest first */
	int nqueue;
	uint32_t drops;          /* messages for us the monitor dropped */
	uint32_t bad;            /* messages we threw away (too short, no caller) */
} net;

/* Put rx buffer i back on the monitor's list. */
static void repost(int i)
{
	struct rx *r = &net.rx[i];

	r->desc[HAL_NET_D_STATUS] = 0;
	r->desc[HAL_NET_D_HDR] = hal_kva2pa(r->hdr);
	r->desc[HAL_NET_D_HDRLEN] = NET_HDR;
	r->desc[HAL_NET_D_NPAGES] = 1;
	r->desc[HAL_NET_D_PAGE] = hal_kva2pa(r->page);
	r->held = 0;
	if (hal_net_post(r->desc) != 0)
		panic("net: the monitor refused receive buffer %d", i);
}

void net_init(void)
{
	uint8_t *hdrs;

	spin_init(&net.lock, "net");
	if (!(net.addr = hal_net_addr()))
		return;
	_Static_assert(NRX * NET_HDR <= PAGE_SIZE && NRX <= HAL_NET_MAX_POSTED, "rx headers fit a page");
	if (!(hdrs = kzalloc(PAGE_KDATA)))
		panic("net: no memory");
	for (int i = 0; i < NRX; i++) {
		net.rx[i].hdr = hdrs + i * NET_HDR;
		if (!(net.rx[i].page = kzalloc(PAGE_KDATA)))
			panic("net: no memory");
		repost(i);
	}
	kprintf("unix: network address %u\n", net.addr);
}

uint32_t net_addr(void)
{
	return net.addr;
}

/* Send header h (len bytes) and page (or NULL) to dest, retrying while the
   receiver has no buffer. 0, or -EIO (unreachable, or never a buffer). */
static int send(uint32_t dest, const void *h, uint32_t len, void *page)
{
	uint32_t d[HAL_NET_DESC_WORDS] = {0};
	int r = HAL_NET_ENOBUF;

	d[HAL_NET_D_ADDR] = dest;
	d[HAL_NET_D_HDR] = hal_kva2pa(h);
	d[HAL_NET_D_HDRLEN] = len;
	d[HAL_NET_D_NPAGES] = page != NULL;
	d[HAL_NET_D_PAGE] = page ? hal_kva2pa(page) : 0;
	for (int t = 0; t < SEND_TRIES && r == HAL_NET_ENOBUF; t++)
		if ((r = hal_net_send(d)) == HAL_NET_ENOBUF)
			timer_sleep(1);
	return r == 0 ? 0 : -EIO;
}

int rpc_call(uint32_t server, void *req, uint32_t len, void *out_page, void *reply,
	     uint32_t replymax, void *in_page)
{
	struct rpc_hdr *h = req;
	struct call c = {.reply = reply, .replymax = replymax, .page = in_page};
	uint32_t t0;
	int r;

	if (!net.addr || len < sizeof *h || len > NET_HDR)
		return -EIO;
	acquire(&net.lock);
	c.xid = h->xid = ++net.next_xid;
	h->kind = RPC_CALL;
	c.next = net.calls;
	net.calls = &c;
	release(&net.lock);
	r = send(server, req, len, out_page);
	acquire(&net.lock);
	t0 = timer_ticks();
	while (r == 0 && !c.done && timer_ticks() - t0 < RPC_TIMEOUT)
		sleep(&c, &net.lock);       /* woken by the reply or each tick */
	for (struct call **p = &net.calls; *p; p = &(*p)->next)
		if (*p == &c) {
			*p = c.next;
			break;
		}
	release(&net.lock);
	if (r < 0 || !c.done || c.reply_len < sizeof *h)
		return -EIO;
	return (int)c.reply_len;
}

/* A reply in rx buffer i: to its caller, if one still waits. */
static void take_reply(int i, uint32_t len)
{
	struct rx *r = &net.rx[i];
	uint32_t xid = ((struct rpc_hdr *)r->hdr)->xid;
	struct call *c;

	for (c = net.calls; c && c->xid != xid; c = c->next)
		;
	if (!c || c->done) {
		net.bad++;               /* late: its caller gave up */
		return;
	}
	c->reply_len = MIN(len, c->replymax);
	memmove(c->reply, r->hdr, c->reply_len);
	if (c->page && r->desc[HAL_NET_D_NPAGES] == 1)
		hal_net_remap(hal_kva2pa(r->page), hal_kva2pa(c->page));
	c->done = 1;
	wakeup(c);
}

void net_intr(void)
{
	uint32_t drops;

	if (!net.addr)
		return;
	hal_net_status(&drops);  /* acknowledges; the buffers' status words say which */
	acquire(&net.lock);
	net.drops += drops;
	for (int i = 0; i < NRX; i++) {
		struct rx *r = &net.rx[i];
		volatile uint32_t *status = &r->desc[HAL_NET_D_STATUS];
		uint32_t len;

		if (r->held || *status != 1)
			continue;
		len = r->desc[HAL_NET_D_HDRLEN];
		if (len >= sizeof(struct rpc_hdr) && ((struct rpc_hdr *)r->hdr)->kind == RPC_CALL) {
			r->held = 1;     /* the server's until rpc_reply */
			net.queue[net.nqueue++] = i;
			wakeup(&net.queue);
			continue;
		}
		if (len >= sizeof(struct rpc_hdr) && ((struct rpc_hdr *)r->hdr)->kind == RPC_REPLY)
			take_reply(i, len);
		else
			net.bad++;
		repost(i);
	}
	release(&net.lock);
}

void net_tick(void)
{
	if (!net.addr)
		return;
	acquire(&net.lock);
	for (struct call *c = net.calls; c; c = c->next)
		wakeup(c);
	release(&net.lock);
}

int rpc_next_call(struct rpc_req *q)
{
	struct rx *r;
	int i;

	if (!net.addr)
		return -EIO;
	acquire(&net.lock);
	while (net.nqueue == 0) {
		if (myproc()->killed) {
			release(&net.lock);
			return -EINTR;
		}
		sleep(&net.queue, &net.lock);
	}
	i = net.queue[0];
	memmove(net.queue, net.queue + 1, --net.nqueue * sizeof net.queue[0]);
	release(&net.lock);
	r = &net.rx[i];
	q->rx = i;
	q->from = r->desc[HAL_NET_D_ADDR];
	q->hdr = r->hdr;
	q->len = r->desc[HAL_NET_D_HDRLEN];
	q->page = r->desc[HAL_NET_D_NPAGES] == 1 ? r->page : NULL;
	return 0;
}

int rpc_reply(struct rpc_req *q, void *reply, uint32_t len, void *page)
{
	struct rpc_hdr *h = reply;
	int r;

	h->xid = ((struct rpc_hdr *)q->hdr)->xid;
	h->kind = RPC_REPLY;
	r = len <= NET_HDR ? send(q->from, reply, len, page) : -EIO;
	acquire(&net.lock);
	repost(q->rx);
	release(&net.lock);
	return r;
}
