/*
 * printf.c - formatted output for the kernel, and panic.
 *
 * %d %u %x %s %c %p %%, with a '0' flag and a width (%08x). Output goes to
 * the console a whole message at a time, so lines from different CPUs do
 * not interleave within a call.
 */
#include "kernel.h"

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

static void put_num(struct out *o, uint32_t v, int base, int neg, int width, char pad)
{
	char tmp[12];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		tmp[n++] = '-';
	for (int i = n; i < width; i++)
		put(o, pad);
	while (n > 0)
		put(o, tmp[--n]);
}

int kvsnprintf(char *buf, int size, const char *fmt, va_list ap)
{
	struct out o = {buf, size, 0};

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		char pad = ' ';
		int width = 0;

		fmt++;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			fmt++;
		switch (*fmt) {
		case 'd': {
			int v = va_arg(ap, int);

			put_num(&o, v < 0 ? -(uint32_t)v : (uint32_t)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
			put_num(&o, va_arg(ap, uint32_t), 10, 0, width, pad);
			break;
		case 'x':
			put_num(&o, va_arg(ap, uint32_t), 16, 0, width, pad);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_num(&o, (uint32_t)va_arg(ap, void *), 16, 0, 8, '0');
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (!s)
				s = "(null)";
			while (s[n])
				n++;
			for (int i = n; i < width; i++)
				put(&o, ' ');
			while (*s)
				put(&o, *s++);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len;
}

int ksnprintf(char *buf, int size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void kprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = kvsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	console_write_kernel(buf, n < (int)sizeof buf ? n : (int)sizeof buf - 1);
}

static volatile uint32_t panicking;

/* Print "panic: <message>" and stop the machine with status 3. Only the
   first CPU to panic prints; the console lock is bypassed in case the
   panicking CPU holds it. */
void panic(const char *fmt, ...)
{
	char buf[200];
	va_list ap;

	hal_intr_off();
	if (!atomic_try_set(&panicking))
		for (;;)         /* the first CPU to panic halts the machine */
			;
	va_start(ap, fmt);
	kvsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	for (const char *s = "panic: "; *s; s++)
		hal_cons_putc(*s);
	for (const char *s = buf; *s; s++)
		hal_cons_putc(*s);
	hal_cons_putc('\n');
	hal_halt(3);
}
