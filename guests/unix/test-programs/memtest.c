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
	/* Many children each touching some memory: fork fails or they die.
	   One child at a time touches its memory, and holds it (blocked on
	   `hold`) until the parent lets them all go: how many fit, and so
	   which ones are killed, depends on memory alone, never on timing,
	   so the console says the same natively and in a VM. */
	int hold[2];
	CHECK(pipe(hold) == 0, "pipe");
	for (int i = 0; i < 40; i++) {
		int ready[2];
		char c;

		if (pipe(ready) != 0)
			break;
		pid = fork();
		if (pid == 0) {
			close(hold[1]);
			close(ready[0]);
			p = sbrk(2 << 20);
			if ((int)p < 0 && (int)p > -4096)
				exit(0);
			for (int k = 0; k < (2 << 20); k += 4096)
				p[k] = 1;
			write(ready[1], "x", 1);
			read(hold[0], &c, 1);   /* until the parent closes hold[1] */
			exit(0);
		}
		close(ready[1]);
		if (pid < 0) {
			close(ready[0]);
			break;
		}
		n++;
		read(ready[0], &c, 1);  /* 1: it holds its memory; 0: it died */
		close(ready[0]);
	}
	close(hold[0]);
	close(hold[1]);
	while (wait(&status) > 0)
		;
	memstat(&m1);
	CHECK(m1.pages_free == m0.pages_free, "free pages %u before, %u after",
	      m0.pages_free, m1.pages_free);
	printf("memtest: %s\n", tl_failures ? "FAILED" : "ok");
	return tl_failures != 0;
}
