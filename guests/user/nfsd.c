/*
 * nfsd: serve a directory to the other VMs of the virtual network (the
 * kernel's NFS server, guests/unix/nfs.c; the paper, 4.2.6).
 *
 *   nfsd DIR [CLIENTS]
 *
 * Serves until CLIENTS clients have unmounted (their kernels do when they
 * halt), then exits 0; without CLIENTS, until killed. On a kernel without
 * a network (the bare machine) it says so and exits 1. Phase markers 1
 * and 2 bracket the service.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <errno.h>

int main(int argc, char **argv)
{
	int r;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: nfsd DIR [CLIENTS]\n");
		return 2;
	}
	mark(1);                 /* the service, for the statistics (bench/figure7.sh) */
	r = nfsd(argv[1], argc == 3 ? atoi(argv[2]) : 0);
	mark(2);
	if (r < 0) {
		fprintf(stderr, "nfsd: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
