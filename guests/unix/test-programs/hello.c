/* hello: print the arguments and a few kernel facts. */
#include "tlib.h"

int main(int argc, char **argv)
{
	printf("hello:");
	for (int i = 0; i < argc; i++)
		printf(" [%s]", argv[i]);
	printf(" pid %d ppid %d\n", getpid(), getppid());
	return 0;
}
