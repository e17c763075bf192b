/*
 * host_main.c: the benchmark workload (work.c) compiled for the host, the
 * native baseline of bench/run.sh. Usage: bench-host [scale]; it prints the
 * same "checksum XXXXXXXX" line as the guest programs for the same scale.
 */
#include <stdio.h>
#include <stdlib.h>

#include "work.h"

int main(int argc, char **argv)
{
	unsigned long scale = WORK_DEFAULT_SCALE;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [scale]\n", argv[0]);
		return 2;
	}
	if (argc == 2) {
		char *end;

		scale = strtoul(argv[1], &end, 10);
		if (*argv[1] == '\0' || *end != '\0' || scale > 1000000) {
			fprintf(stderr, "%s: error: bad scale: %s\n", argv[0],
				argv[1]);
			return 2;
		}
	}
	printf("checksum %08x\n", (unsigned)workload((uint32_t)scale));
	return 0;
}
