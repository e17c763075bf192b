/*
 * strtol.c - numbers from text: strtol, strtoul, atoi, abs.
 *
 * Base 0 picks the base from the prefix, as C does: 0x for 16, 0 for 8,
 * else 10. A value that overflows saturates (LONG_MAX/LONG_MIN or
 * ULONG_MAX); there is no ERANGE.
 */
#include <ctype.h>
#include <stdlib.h>

static int digit_value(int c)
{
	if (isdigit(c))
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Parse the magnitude; *neg gets the sign. Returns 1 if it overflowed. */
static int parse(const char *s, char **end, int base, unsigned long *out,
		 int *neg)
{
	const char *p = s;
	unsigned long v = 0;
	int any = 0, over = 0;

	while (isspace(*p))
		p++;
	*neg = 0;
	if (*p == '-' || *p == '+')
		*neg = (*p++ == '-');
	if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')
	    && digit_value(p[2]) < 16) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = (p[0] == '0') ? 8 : 10;
	}
	for (; digit_value(*p) < base; p++) {
		unsigned long d = digit_value(*p);
		if (v > (~0ul - d) / base)
			over = 1;
		v = v * base + d;
		any = 1;
	}
	if (end)
		*end = (char *)(any ? p : s);
	*out = v;
	return over;
}

long strtol(const char *s, char **end, int base)
{
	unsigned long v;
	int neg;
	int over = parse(s, end, base, &v, &neg);
	unsigned long limit = neg ? 0x80000000ul : 0x7FFFFFFFul;

	if (over || v > limit)
		v = limit;
	return neg ? -(long)(v - 1) - 1 : (long)v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v;
	int neg;

	if (parse(s, end, base, &v, &neg))
		return ~0ul;
	return neg ? -v : v;
}

int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

int abs(int x)
{
	return x < 0 ? -x : x;
}
