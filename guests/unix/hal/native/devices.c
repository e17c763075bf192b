/*
 * devices.c - the console and disk controllers (native HAL drivers).
 *
 * MACHINE.md "Devices": 32-bit registers at physical 0x1F000000, reached
 * through kseg1. The disco build replaces this file with drivers that make
 * one monitor call per request.
 */
#include "hal.h"
#include "machine.h"

void hal_cons_putc(int c)
{
	mmio_write(CONS_TX, (uint32_t)c & 0xFF);
}

int hal_cons_getc(void)
{
	uint32_t v = mmio_read(CONS_RX);

	return v == 0xFFFFFFFFu ? -1 : (int)(v & 0xFF);
}

void hal_cons_rx_intr(int on)
{
	mmio_write(CONS_CTRL, on ? 1 : 0);
}

uint32_t hal_disk_sectors(int disk)
{
	if (disk < 0 || disk >= 16)
		return 0;
	return mmio_read(DISK_REG(disk, DISK_CAPACITY));
}

void hal_disk_start(int disk, int write, uint32_t sector, uint32_t count, uint32_t pa)
{
	mmio_write(DISK_REG(disk, DISK_SECTOR), sector);
	mmio_write(DISK_REG(disk, DISK_COUNT), count);
	mmio_write(DISK_REG(disk, DISK_DMA_ADDR), pa);
	mmio_write(DISK_REG(disk, DISK_TARGET_CPU), hal_cpu_id());
	mmio_write(DISK_REG(disk, DISK_CMD), write ? 2 : 1);  /* last: starts it */
}

int hal_disk_poll(int disk)
{
	uint32_t st = mmio_read(DISK_REG(disk, DISK_STATUS));

	if (st != 2 && st != 3)          /* idle or busy: nothing to report */
		return 0;
	mmio_write(DISK_REG(disk, DISK_ACK), 1);
	return st == 2 ? 1 : -1;
}

/* a disk read costs a seek and a rotation; the buffer cache is far cheaper */
int hal_disk_maps_pages(int disk)
{
	(void)disk;
	return 0;
}

/* The bare machine has no network interface (MACHINE.md reserves its
   window): the kernel sees address 0 and never sends. */
uint32_t hal_net_addr(void)
{
	return 0;
}

int hal_net_send(const uint32_t *desc)
{
	(void)desc;
	return HAL_NET_EUNREACH;
}

int hal_net_post(const uint32_t *desc)
{
	(void)desc;
	return HAL_NET_EINVAL;
}

uint32_t hal_net_status(uint32_t *drops)
{
	*drops = 0;
	return 0;
}

int hal_net_remap(uint32_t src_pa, uint32_t dst_pa)
{
	(void)src_pa;
	(void)dst_pa;
	return HAL_NET_EINVAL;
}
