/* echo: print the arguments, separated by spaces, and a newline. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	char line[512];
	int n = 0;

	/* Build the line first so it reaches the output in one write. */
	for (int i = 1; i < argc; i++)
		n += snprintf(line + n, n < (int)sizeof(line) ? sizeof(line) - n : 0,
			      "%s%s", argv[i], i + 1 < argc ? " " : "");
	if (n < (int)sizeof(line) - 1) {
		line[n++] = '\n';
		return write(1, line, n) == n ? 0 : 1;
	}
	/* Too long for the buffer: word by word then. */
	for (int i = 1; i < argc; i++)
		if (fputs(argv[i], 1) < 0 || fputs(i + 1 < argc ? " " : "\n", 1) < 0)
			return 1;
	return 0;
}
