/*
 * string.c - the memory and string functions the kernel needs. The
 * compiler also calls memcpy and memset for structure copies.
 */
#include "kernel.h"

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	/* Word stores once aligned: the common case is zeroing a page. */
	if (((uintptr_t)d & 3) == 0 && (n & 3) == 0) {
		uint32_t w = (uint8_t)c * 0x01010101u;
		uint32_t *p = (uint32_t *)d;

		for (size_t i = 0; i < n / 4; i++)
			p[i] = w;
		return dst;
	}
	while (n-- > 0)
		*d++ = (uint8_t)c;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (s < d && s + n > d) {
		while (n-- > 0)
			d[n] = s[n];
		return dst;
	}
	if ((((uintptr_t)d | (uintptr_t)s | n) & 3) == 0) {
		uint32_t *dw = (uint32_t *)d;
		const uint32_t *sw = (const uint32_t *)s;

		for (size_t i = 0; i < n / 4; i++)
			dw[i] = sw[i];
		return dst;
	}
	while (n-- > 0)
		*d++ = *s++;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	return memmove(dst, src, n);
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (uint8_t)*a - (uint8_t)*b;
		if (*a == 0)
			return 0;
	}
	return 0;
}

/* Copy at most n - 1 bytes and always terminate. */
void safestrcpy(char *dst, const char *src, size_t n)
{
	if (n == 0)
		return;
	while (--n > 0 && *src)
		*dst++ = *src++;
	*dst = 0;
}
