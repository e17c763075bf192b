/*
 * net.h - the network driver and its request/reply layer (net.c), used by
 * the NFS-style file system (nfs.c). A VM's only: natively net_addr() is 0.
 */
#ifndef NET_H
#define NET_H

#include <stdint.h>

#define NET_HDR 256              /* bytes of a message's header, at most */

/* Every message begins with this. */
struct rpc_hdr {
	uint32_t xid;            /* the call's number; its reply's the same */
	uint32_t kind;           /* RPC_CALL or RPC_REPLY */
};
#define RPC_CALL  1
#define RPC_REPLY 2

/* A call a server took (rpc_next_call) and must answer (rpc_reply). */
struct rpc_req {
	int rx;                  /* its receive buffer */
	uint32_t from;           /* the caller's address */
	const uint8_t *hdr;      /* its header, len bytes */
	uint32_t len;
	void *page;              /* its page, or NULL: ours until rpc_reply */
};

void net_init(void);             /* post the receive buffers (if there is a network) */
uint32_t net_addr(void);         /* this machine's address, 0: no network */
void net_intr(void);             /* HAL_IRQ_NET */
void net_tick(void);             /* every clock tick (CPU 0): callers check their timeout */

/* Call server with the request req (len bytes, at most NET_HDR, in kernel
   memory; its xid and kind are set here) and out_page (a kernel page, or
   NULL); wait for the reply: its header into reply (at most replymax
   bytes), its page, if any, moved into in_page (no copy) unless in_page is
   NULL. The reply's length, or -EIO (no network, unreachable, no reply in
   time). */
int rpc_call(uint32_t server, void *req, uint32_t len, void *out_page, void *reply,
	     uint32_t replymax, void *in_page);

/* Server side: wait for the next call (-EINTR if killed meanwhile), then
   answer it with reply (len bytes; xid and kind set here) and page (or
   NULL). rpc_reply gives the call's receive buffer back, page and all. */
int rpc_next_call(struct rpc_req *q);
int rpc_reply(struct rpc_req *q, void *reply, uint32_t len, void *page);

#endif
