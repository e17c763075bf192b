/*
 * console.c: output and input through the console device
 * (MACHINE.md, "Devices": TX at +0x0, RX at +0x4).
 */
#include "baremetal.h"

void console_putc(int c)
{
	mmio_write(CONSOLE_BASE + CONSOLE_TX, (uint8_t)c);
}

void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

int console_getc(void)
{
	uint32_t v = mmio_read(CONSOLE_BASE + CONSOLE_RX);

	return v == 0xFFFFFFFF ? -1 : (int)(v & 0xFF);
}

/* Write v in the given base, at least width digits, padded with pad. */
static int print_number(uint32_t v, uint32_t base, int width, char pad)
{
	char buf[12];
	int n = 0, written = 0;

	do {
		buf[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	for (; width > n; width--, written++)
		console_putc(pad);
	while (n > 0) {
		console_putc(buf[--n]);
		written++;
	}
	return written;
}

void print_hex(uint32_t v)
{
	console_puts("0x");
	print_number(v, 16, 8, '0');
}

void print_dec(int32_t v)
{
	if (v < 0) {
		console_putc('-');
		print_number(-(uint32_t)v, 10, 0, ' ');
	} else {
		print_number(v, 10, 0, ' ');
	}
}

int vprintf(const char *fmt, va_list ap)
{
	int written = 0;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			console_putc(*fmt);
			written++;
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0;
		if (*fmt == '0') {
			pad = '0';
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');

		switch (*fmt) {
		case 'd': {
			int32_t v = va_arg(ap, int32_t);
			if (v < 0) {
				console_putc('-');
				written++;
				width--;
				written += print_number(-(uint32_t)v, 10, width, pad);
			} else {
				written += print_number(v, 10, width, pad);
			}
			break;
		}
		case 'u':
			written += print_number(va_arg(ap, uint32_t), 10, width, pad);
			break;
		case 'x':
			written += print_number(va_arg(ap, uint32_t), 16, width, pad);
			break;
		case 'p':
			console_puts("0x");
			written += 2 + print_number((uint32_t)va_arg(ap, void *), 16, 8, '0');
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			console_puts(s);
			written += strlen(s);
			break;
		}
		case 'c':
			console_putc(va_arg(ap, int));
			written++;
			break;
		case '%':
			console_putc('%');
			written++;
			break;
		case '\0':
			return written;
		default:   /* unknown: print it as it was written */
			console_putc('%');
			console_putc(*fmt);
			written += 2;
			break;
		}
	}
	return written;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
