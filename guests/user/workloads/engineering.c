/*
 * engineering - the paper's Engineering workload (Table 1: "Verilog
 * simulation plus machine simulation; multiprogrammed, long running").
 *
 *   engineering [-s small|medium|large|SCALE]
 *
 * Forks four long-running simulation processes, two gate-level logic
 * simulations (eng_logic.c) and two memory-system simulations
 * (eng_machine.c), each with its own netlist or trace, and waits for them.
 * Each child sends its result line back through a pipe; the parent prints
 * them in a fixed order, so the output does not depend on which finishes
 * first. The working sets grow with SCALE: logic 16K gates (256 KB) and
 * machine 512 KB per unit, so medium (8) is about 12 MB in all, touched
 * with little locality: the paper's high TLB miss rate (Figure 5: ~94%
 * user time natively, the rest mostly TLB and page faults).
 */
#include "eng.h"
#include "wl.h"

static const char *prog = "engineering";
static const struct wl_sizes sizes = { 1, 8, 12 };

#define NCHILD 4
#define RESULT 256

static void child(int which, uint32_t scale, char *result)
{
	uint32_t seed = 1 + which / 2;

	if (which % 2 == 0)
		eng_logic(16384 * scale, 40 + 8 * scale, seed, result, RESULT);
	else
		eng_machine(512 * 1024 * scale, 400000 * scale, seed, result,
			    RESULT);
}

int main(int argc, char **argv)
{
	struct wl_args args;
	int fds[NCHILD][2];

	wl_getargs(argc, argv, "[-s small|medium|large|SCALE]", &sizes,
		   sizes.medium, &args);
	if (args.size > 64)
		wl_die(prog, "SCALE is at most 64");

	mark(WL_MARK_START);
	for (int c = 0; c < NCHILD; c++) {
		if (pipe(fds[c]) < 0)
			wl_die_errno(prog, "pipe");
		int pid = fork();
		if (pid < 0)
			wl_die_errno(prog, "fork");
		if (pid == 0) {
			char result[RESULT];
			close(fds[c][0]);
			child(c, args.size, result);
			if (wl_write_all(fds[c][1], result, strlen(result)) < 0)
				wl_die_errno(prog, "write");
			exit(0);
		}
		close(fds[c][1]);
	}

	uint32_t hash = WL_HASH0;
	char lines[NCHILD][RESULT];
	for (int c = 0; c < NCHILD; c++) {
		int n = wl_read_all(fds[c][0], lines[c], RESULT - 1);
		if (n <= 0)
			wl_die(prog, "a simulation sent no result");
		lines[c][n] = '\0';
		hash = wl_hash(hash, lines[c], n);
		close(fds[c][0]);
	}
	int failed = wl_wait_all(prog, NCHILD);
	mark(WL_MARK_END);

	for (int c = 0; c < NCHILD; c++)
		printf("engineering: %s", lines[c]);
	printf("engineering: scale %d, %d simulations, checksum %08x\n",
	       args.size, NCHILD, hash);
	return failed ? 1 : 0;
}
