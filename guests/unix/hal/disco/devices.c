/*
 * devices.c - the console and disk drivers of a VM (disco HAL).
 *
 * The paper's Disco device drivers make one monitor call per request
 * (section 4.2.4) where the native drivers write several device registers,
 * each a trap under a monitor. Here:
 *
 *   console  bytes collect in a line buffer; each line (or full buffer) is
 *            one MC_CONS_WRITE. The kernel writes the console under its
 *            console lock (panic aside), so the buffer needs no lock of
 *            its own, and the bytes leave in the order they were written.
 *   disk     a request is one MC_DISK_IO; its completion raises the
 *            virtual IP2 on this vCPU, and MC_DISK_STATUS reads and
 *            acknowledges it, as STATUS and ACK do natively.
 */
#include "hal.h"
#include "machine.h"

#define NDISK_MAX 16

static char cons_line[256];
static uint32_t cons_len;

void hal_cons_flush(void)
{
	if (cons_len)
		mcall4(MC_CONS_WRITE, hal_kva2pa(cons_line), cons_len, 0, 0, 0);
	cons_len = 0;
}

void hal_cons_putc(int c)
{
	cons_line[cons_len++] = (char)c;
	if (c == '\n' || cons_len == sizeof cons_line)
		hal_cons_flush();
}

int hal_cons_getc(void)
{
	return (int)mcall(MC_CONS_READ, 0);   /* a byte, or -1 */
}

void hal_cons_rx_intr(int on)
{
	mcall(MC_CONS_CTRL, on ? 1 : 0);
}

uint32_t hal_disk_sectors(int disk)
{
	if (disk < 0 || disk >= NDISK_MAX)
		return 0;
	return mcall(MC_DISK_INFO, disk);
}

void hal_disk_start(int disk, int write, uint32_t sector, uint32_t count, uint32_t pa)
{
	uint32_t op = write ? 2 : 1;

	if (mcall4(MC_DISK_IO, disk | op << 8, sector, count, pa, 0) != 0) {
		/* Refused (a bad range): natively the controller would raise
		   IP2 with STATUS = error and the kernel would panic; the
		   monitor raises nothing (reference/MONITOR-ISSUES.md), so
		   stop here rather than wait for ever. */
		static const char msg[] = "panic: hal: disk request refused by the monitor\n";

		for (const char *s = msg; *s; s++)
			hal_cons_putc(*s);
		hal_halt(3);
	}
}

int hal_disk_poll(int disk)
{
	uint32_t st = mcall(MC_DISK_STATUS, disk);

	if (st != 2 && st != 3)          /* idle or busy: nothing to report */
		return 0;
	return st == 2 ? 1 : -1;
}

/* the monitor maps a block of a cow disk it has cached instead of copying
   it (MC_DISK_INFO's v1); it caches no private disk */
int hal_disk_maps_pages(int disk)
{
	uint32_t cached = 0;

	if (disk < 0 || disk >= NDISK_MAX)
		return 0;
	mcall4(MC_DISK_INFO, (uint32_t)disk, 0, 0, 0, &cached);
	return cached == 1;
}

/* ---- The virtual network: one monitor call per operation ---- */

_Static_assert(HAL_NET_DESC_WORDS == MC_NET_DESC_WORDS && HAL_NET_D_PAGE == MC_NET_D_PAGE &&
	       HAL_NET_D_STATUS == MC_NET_D_STATUS && HAL_NET_MAX_PAGES == MC_NET_MAX_PAGES &&
	       HAL_NET_MAX_HDR == MC_NET_MAX_HDR && HAL_NET_MAX_POSTED == MC_NET_MAX_POSTED &&
	       HAL_NET_ENOBUF == MC_NET_ENOBUF && HAL_NET_EUNREACH == MC_NET_EUNREACH,
	       "hal.h's network layout is abi.h's");

uint32_t hal_net_addr(void)
{
	return mcall(MC_NET_INFO, 0);
}

int hal_net_send(const uint32_t *desc)
{
	return (int)mcall(MC_NET_SEND, hal_kva2pa(desc));
}

int hal_net_post(const uint32_t *desc)
{
	return (int)mcall(MC_NET_POST, hal_kva2pa(desc));
}

uint32_t hal_net_status(uint32_t *drops)
{
	return mcall4(MC_NET_STATUS, 0, 0, 0, 0, drops);
}

int hal_net_remap(uint32_t src_pa, uint32_t dst_pa)
{
	return (int)mcall4(MC_NET_REMAP, src_pa, dst_pa, 0, 0, 0);
}
