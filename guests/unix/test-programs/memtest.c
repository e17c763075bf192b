/*
 * memtest: running out of memory is an error or a killed process, never a
 * kernel panic; and all of it comes back.
 */
#include "tlib.h"

int main(void)
{
	struct memstat m0, m1;
	int pid, status, n = 0;
	char *p;

	memstat(&m0);
	/* sbrk refuses what memory cannot back. */
	CHECK((int)sbrk(m0.pages_total * 4096 + 4096) == -ENOMEM, "huge sbrk");
	/* A child that touches pages until the memory runs out is killed. */
	pid = fork();
	if (pid == 0) {
		for (;;) {
			p = sbrk(1 << 20);
			if ((int)p < 0 && (int)p > -4096)
				exit(2);    /* refused before touching: also fine */
			for (int i = 0; i < (1 << 20); i += 4096)
				p[i] = 1;
		}
	}
	wait(&status);
	CHECK(status == -1 || status == 2, "memory hog exited %d", status);
	/* Many children each touching some memory: fork fails or they die. */
	for (int i = 0; i < 40; i++) {
		pid = fork();
		if (pid == 0) {
			p = sbrk(2 << 20);
			if ((int)p < 0 && (int)p > -4096)
				exit(0);
			for (int k = 0; k < (2 << 20); k += 4096)
				p[k] = 1;
			sleep(5);
			exit(0);
		}
		if (pid < 0)
			break;
		n++;
	}
	while (wait(&status) > 0)
		;
	memstat(&m1);
	CHECK(m1.pages_free == m0.pages_free, "free pages %u before, %u after",
	      m0.pages_free, m1.pages_free);
	printf("memtest: %s\n", tl_failures ? "FAILED" : "ok");
	return tl_failures != 0;
}
