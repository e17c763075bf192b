/*
 * tlib.c - printf and friends for the stand-in test programs.
 */
#include "tlib.h"

int tl_failures;

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

char *strcpy(char *d, const char *s)
{
	char *r = d;

	while ((*d++ = *s++))
		;
	return r;
}

void *memset(void *d, int c, size_t n)
{
	unsigned char *p = d;

	while (n--)
		*p++ = c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	unsigned char *p = d;
	const unsigned char *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

int atoi(const char *s)
{
	int n = 0, neg = 0;

	if (*s == '-')
		neg = 1, s++;
	while (*s >= '0' && *s <= '9')
		n = n * 10 + *s++ - '0';
	return neg ? -n : n;
}

struct out {
	char *buf;
	int size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static int vfmt(char *buf, int size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (; *fmt; fmt++) {
		char tmp[12], pad = ' ';
		int width = 0, n = 0, neg = 0;
		unsigned v, base = 10;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + *fmt++ - '0';
		switch (*fmt) {
		case 'd': {
			int x = va_arg(ap, int);

			neg = x < 0;
			v = neg ? -(unsigned)x : (unsigned)x;
			break;
		}
		case 'u': v = va_arg(ap, unsigned); break;
		case 'x': v = va_arg(ap, unsigned); base = 16; break;
		case 'p': v = (unsigned)va_arg(ap, void *); base = 16; width = 8; pad = '0'; break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			for (int i = strlen(s); i < width; i++)
				put(&o, ' ');
			while (*s)
				put(&o, *s++);
			continue;
		}
		case 'c': put(&o, (char)va_arg(ap, int)); continue;
		default: put(&o, *fmt); continue;
		}
		do {
			tmp[n++] = "0123456789abcdef"[v % base];
			v /= base;
		} while (v);
		if (neg)
			tmp[n++] = '-';
		for (int i = n; i < width; i++)
			put(&o, pad);
		while (n)
			put(&o, tmp[--n]);
	}
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len;
}

int snprintf(char *buf, int size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfmt(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int fdprintf(int fd, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfmt(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	return write(fd, buf, n);
}

int printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfmt(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	return write(1, buf, n);
}

/* A bump allocator on sbrk; free does nothing. */
void *malloc(size_t n)
{
	void *p = sbrk((n + 7) & ~7u);

	return (int)p < 0 && (int)p > -4096 ? NULL : p;
}

void free(void *p)
{
	(void)p;
}
