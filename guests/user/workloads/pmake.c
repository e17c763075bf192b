/*
 * pmake - the paper's Pmake workload (Table 1: "parallel compile (-J2) of
 * GNU chess; multiprogrammed, short-lived, system and I/O intensive").
 *
 *   pmake [-j JOBS] [-s small|medium|large|FILES] [-g]
 *
 * Builds a project of FILES toy-language sources (/src/pmake/m000.t ...,
 * written into the image by gen/wlgen, or by -g here first): forks and
 * execs /bin/cc for every source with at most JOBS compilers at once
 * (default 2, as the paper's -J2), then runs /bin/ld over the objects in
 * /tmp/pmake. ld prints the executable's checksum; pmake prints its counts.
 * Nearly all the time goes to process creation, exec, file I/O and waiting
 * for the disk, which is what makes this workload kernel- and idle-heavy
 * (Figure 5: ~50% user, 19% kernel, 32% idle natively).
 */
#include "gen/srcgen.h"
#include "obj.h"
#include "wl.h"

#define SRC_DIR "/src/pmake"
#define OBJ_DIR "/tmp/pmake"

static const char *prog = "pmake";
static const struct wl_sizes sizes = { 12, 48, 128 };

/* Write the sources as gen/wlgen would. */
static void generate(int nfiles)
{
	char *text = wl_malloc(prog, SRCGEN_MAX_FILE_BYTES);

	mkdir("/src");
	mkdir(SRC_DIR);
	for (int i = 0; i < nfiles; i++) {
		char name[16], path[64];
		srcgen_name(i, name);
		snprintf(path, sizeof(path), "%s/%s", SRC_DIR, name);
		if (wl_write_file(path, text, srcgen_file(i, text)) < 0)
			wl_die_errno(prog, path);
	}
	free(text);
}

/* fork + exec; returns the child's pid. */
static int spawn(char *const argv[])
{
	int pid = fork();

	if (pid < 0)
		wl_die_errno(prog, "fork");
	if (pid == 0) {
		char path[32];
		snprintf(path, sizeof(path), "/bin/%s", argv[0]);
		exec(path, argv);
		fprintf(stderr, "%s: error: exec %s failed\n", prog, path);
		exit(127);
	}
	return pid;
}

/* Wait for one child; count it as failed unless it exited with 0. */
static void reap(int *failed)
{
	int status;

	if (wait(&status) < 0)
		wl_die_errno(prog, "wait");
	if (status != 0)
		(*failed)++;
}

int main(int argc, char **argv)
{
	struct wl_args args;

	wl_getargs(argc, argv, "[-j JOBS] [-s small|medium|large|FILES] [-g]",
		   &sizes, sizes.medium, &args);
	int nfiles = args.size, jobs = args.jobs ? args.jobs : 2;
	if (nfiles > 999)
		wl_die(prog, "at most 999 files");
	if (args.generate)
		generate(nfiles);
	mkdir("/tmp");
	mkdir(OBJ_DIR);

	mark(WL_MARK_START);
	int running = 0, failed = 0, processes = 0;
	for (int i = 0; i < nfiles; i++) {
		char name[16], src[64], obj[64];
		srcgen_name(i, name);
		snprintf(src, sizeof(src), "%s/%s", SRC_DIR, name);
		obj_name(i, name);
		snprintf(obj, sizeof(obj), "%s/%s", OBJ_DIR, name);
		if (running == jobs) {
			reap(&failed);
			running--;
		}
		char *cc_argv[] = { "cc", src, "-o", obj, NULL };
		spawn(cc_argv);
		running++;
		processes++;
	}
	while (running-- > 0)
		reap(&failed);
	if (failed)
		wl_die(prog, "some compilations failed");

	char count[16];
	snprintf(count, sizeof(count), "%d", nfiles);
	char *ld_argv[] = { "ld", "-o", OBJ_DIR "/a.out", OBJ_DIR, count, NULL };
	spawn(ld_argv);
	processes++;
	reap(&failed);
	mark(WL_MARK_END);
	if (failed)
		wl_die(prog, "link failed");

	printf("pmake: %d sources compiled and linked, %d processes, "
	       "at most %d jobs\n", nfiles, processes, jobs);
	return 0;
}
