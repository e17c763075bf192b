/*
 * io.c - character and line input and output on descriptors.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int putchar(int c)
{
	char ch = (char)c;

	return write(1, &ch, 1) == 1 ? (unsigned char)c : EOF;
}

int fputs(const char *s, int fd)
{
	int n = (int)strlen(s);

	return write(fd, s, n) == n ? n : EOF;
}

/* s and its newline in one write, so the line stays whole. */
int puts(const char *s)
{
	return printf("%s\n", s) < 0 ? EOF : 0;
}

int getchar(void)
{
	unsigned char c;

	return read(0, &c, 1) == 1 ? c : EOF;
}

char *fgets(char *buf, int size, int fd)
{
	int n = 0;
	char c;

	if (size <= 0)
		return NULL;
	while (n < size - 1 && read(fd, &c, 1) == 1) {
		buf[n++] = c;
		if (c == '\n')
			break;
	}
	buf[n] = 0;
	return n > 0 ? buf : NULL;
}

char *gets(char *buf, int size)
{
	char *nl;

	if (fgets(buf, size, 0) == NULL)
		return NULL;
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = 0;
	return buf;
}
