/*
 * printf.c - formatted output (the conversions are listed in stdio.h).
 *
 * One formatter, vformat(), writes characters into a struct out: either a
 * caller's buffer (snprintf: the text is cut to fit, the count is of the
 * whole text) or a buffer on the stack that is written to a descriptor
 * each time it fills and once at the end (fprintf). Lines up to the buffer
 * size therefore reach the console with a single write().
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct out {
	char *buf;
	size_t cap;      /* bytes buf holds */
	size_t len;      /* bytes in buf now */
	int fd;          /* flush to this descriptor when full; -1: cut */
	int count;       /* characters produced in all */
	int error;       /* a write failed */
};

static void flush(struct out *o)
{
	if (o->fd >= 0 && o->len > 0) {
		if (write(o->fd, o->buf, (int)o->len) != (int)o->len)
			o->error = 1;
		o->len = 0;
	}
}

static void put(struct out *o, char c)
{
	o->count++;
	if (o->len == o->cap)
		flush(o);
	if (o->len < o->cap)
		o->buf[o->len++] = c;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

/* A conversion's flags, width and precision. */
struct spec {
	int left;        /* '-' */
	int zero;        /* '0' */
	char sign;       /* '+', ' ' or 0 */
	int width;
	int prec;        /* -1 if none */
};

/* Digits of v in the given base, into the end of tmp; returns the start. */
static char *digits(char *end, uint64_t v, unsigned base, int upper)
{
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	/* Divide in 32 bits while we can: 64-bit division is a long loop. */
	while (v >> 32) {
		*--p = set[v % base];
		v /= base;
	}
	for (uint32_t w = (uint32_t)v; w; w /= base)
		*--p = set[w % base];
	return p;
}

static void format_number(struct out *o, struct spec *s, uint64_t v, int neg,
			  unsigned base, int upper, const char *prefix)
{
	char tmp[24];
	char *start = digits(tmp + sizeof(tmp), v, base, upper);
	int ndig = (int)(tmp + sizeof(tmp) - start);
	int zeros = 0, total, plen = (int)strlen(prefix);
	char sign = neg ? '-' : s->sign;

	if (s->prec >= 0) {
		if (s->prec > ndig)
			zeros = s->prec - ndig;
	} else if (ndig == 0) {
		zeros = 1;       /* the value 0 prints as "0" */
	}
	total = (sign != 0) + plen + zeros + ndig;
	if (s->zero && !s->left && s->prec < 0 && s->width > total) {
		zeros += s->width - total;
		total = s->width;
	}
	if (!s->left)
		pad(o, ' ', s->width - total);
	if (sign)
		put(o, sign);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	pad(o, '0', zeros);
	for (int i = 0; i < ndig; i++)
		put(o, start[i]);
	if (s->left)
		pad(o, ' ', s->width - total);
}

static void format_string(struct out *o, struct spec *s, const char *str)
{
	int n = 0;

	if (str == NULL)
		str = "(null)";
	while (str[n] && (s->prec < 0 || n < s->prec))
		n++;
	if (!s->left)
		pad(o, ' ', s->width - n);
	for (int i = 0; i < n; i++)
		put(o, str[i]);
	if (s->left)
		pad(o, ' ', s->width - n);
}

static void vformat(struct out *o, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		struct spec s = { 0, 0, 0, 0, -1 };
		int longs = 0;

		if (*fmt != '%') {
			put(o, *fmt);
			continue;
		}
		for (;; fmt++) {
			char f = fmt[1];
			if (f == '-')
				s.left = 1;
			else if (f == '0')
				s.zero = 1;
			else if (f == '+' || (f == ' ' && s.sign == 0))
				s.sign = f;
			else
				break;
		}
		fmt++;
		if (*fmt == '*') {
			s.width = va_arg(ap, int);
			if (s.width < 0) {
				s.left = 1;
				s.width = -s.width;
			}
			fmt++;
		} else {
			while (*fmt >= '0' && *fmt <= '9')
				s.width = s.width * 10 + (*fmt++ - '0');
		}
		if (*fmt == '.') {
			fmt++;
			s.prec = 0;
			if (*fmt == '*') {
				s.prec = va_arg(ap, int);
				fmt++;
			} else {
				while (*fmt >= '0' && *fmt <= '9')
					s.prec = s.prec * 10 + (*fmt++ - '0');
			}
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				longs++;
			else if (*fmt != 'h' && *fmt != 'z')
				break;
		}

		uint64_t u;
		int64_t d;
		switch (*fmt) {
		case 'd':
		case 'i':
			d = longs >= 2 ? va_arg(ap, int64_t) : va_arg(ap, int);
			u = d < 0 ? 0 - (uint64_t)d : (uint64_t)d;
			format_number(o, &s, u, d < 0, 10, 0, "");
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			u = longs >= 2 ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			format_number(o, &s, u, 0,
				      *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
				      *fmt == 'X', "");
			break;
		case 'p':
			u = (uintptr_t)va_arg(ap, void *);
			if (s.prec < 0 && !s.left) {
				/* Pointers print as 0x and eight digits. */
				s.prec = 8;
			}
			format_number(o, &s, u, 0, 16, 0, "0x");
			break;
		case 's':
			format_string(o, &s, va_arg(ap, const char *));
			break;
		case 'c':  /* even a NUL, which a string could not carry */
			if (!s.left)
				pad(o, ' ', s.width - 1);
			put(o, (char)va_arg(ap, int));
			if (s.left)
				pad(o, ' ', s.width - 1);
			break;
		case '%':
			put(o, '%');
			break;
		case 0:
			return;  /* a lone % at the end */
		default:
			/* Unknown: print it as it stood, so the mistake shows. */
			put(o, '%');
			put(o, *fmt);
			break;
		}
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size ? size - 1 : 0, 0, -1, 0, 0 };

	vformat(&o, fmt, ap);
	if (size)
		buf[o.len] = 0;
	return o.count;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int vfprintf(int fd, const char *fmt, va_list ap)
{
	char buf[256];
	struct out o = { buf, sizeof(buf), 0, fd, 0, 0 };

	vformat(&o, fmt, ap);
	flush(&o);
	return o.error ? -1 : o.count;
}

int fprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(1, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(1, fmt, ap);
	va_end(ap);
	return n;
}
