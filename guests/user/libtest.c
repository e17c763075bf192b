/*
 * libtest: checks the C library (guests/lib) as compiled for the guest:
 * formatting, strings, numbers, 64-bit division, malloc, qsort, the
 * random generator and fixed point. The same code was checked against
 * the host's C library; this program makes sure the MIPS build (o32
 * varargs, 64-bit arithmetic without libgcc) agrees. Prints one line per
 * group, "libtest NAME: ok" or the first mismatch, then a summary;
 * exits 1 on failure.
 */
#include <fixed.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int failures;
static const char *group;
static int group_failed;

static void check(int ok, const char *what)
{
	if (!ok && !group_failed) {
		printf("libtest %s: FAIL: %s\n", group, what);
		group_failed = 1;
		failures++;
	}
}

static void begin(const char *name)
{
	group = name;
	group_failed = 0;
}

static void done(void)
{
	if (!group_failed)
		printf("libtest %s: ok\n", group);
}

static void check_fmt(const char *got, const char *want)
{
	static char msg[200];

	if (strcmp(got, want) != 0) {
		snprintf(msg, sizeof(msg), "got \"%s\", want \"%s\"", got, want);
		check(0, msg);
	}
}

static void test_printf(void)
{
	char b[128];
	int n;

	begin("printf");
	snprintf(b, sizeof(b), "%d|%5d|%-5d|%05d|%x|%X|%08x", 42, -42, 7, -3, 0xbeef, 0xbeef, 0x12);
	check_fmt(b, "42|  -42|7    |-0003|beef|BEEF|00000012");
	snprintf(b, sizeof(b), "%s|%10s|%-10s|%c|%%|%u", "hi", "right", "left", 'z', 3000000000u);
	check_fmt(b, "hi|     right|left      |z|%|3000000000");
	snprintf(b, sizeof(b), "%i %d %d %+d % d %.3d", 0, -2147483647 - 1, 2147483647, 5, 5, 7);
	check_fmt(b, "0 -2147483648 2147483647 +5  5 007");
	snprintf(b, sizeof(b), "%lld %llx %llu", -1234567890123LL, 0xdeadbeefcafeULL,
		 18446744073709551615ULL);
	check_fmt(b, "-1234567890123 deadbeefcafe 18446744073709551615");
	/* An int after a long long: o32 aligns 64-bit varargs to 8 bytes. */
	snprintf(b, sizeof(b), "%d %lld %d", 1, 1LL << 40, 2);
	check_fmt(b, "1 1099511627776 2");
	snprintf(b, sizeof(b), "%.2s|%*d|%-*d|%ld|%lu|%o", "abcdef", 6, 12, 6, 12, 123456L,
		 4000000000UL, 8);
	check_fmt(b, "ab|    12|12    |123456|4000000000|10");
	snprintf(b, sizeof(b), "%p %p", (void *)0x1234, (void *)0);
	check_fmt(b, "0x00001234 0x00000000");
	n = snprintf(b, 8, "%s", "hello world");
	check(n == 11 && strcmp(b, "hello w") == 0, "snprintf truncation");
	n = snprintf(b, sizeof(b), "[%3c|%-3c|%c]", 'a', 'b', 0);
	check(n == 11 && memcmp(b, "[  a|b  |\0]", 12) == 0, "%c");
	done();
}

static void test_strings(void)
{
	char b[32];
	char *end;

	begin("strings");
	check(strlen("") == 0 && strlen("abc") == 3, "strlen");
	check(strcmp("abc", "abd") < 0 && strcmp("b", "a") > 0 && strcmp("x", "x") == 0, "strcmp");
	check(strncmp("abcx", "abcy", 3) == 0 && strncmp("ab", "abc", 3) < 0, "strncmp");
	check(strcmp(strcpy(b, "copy"), "copy") == 0, "strcpy");
	memset(b, 'z', sizeof(b));
	strncpy(b, "ab", 5);
	check(memcmp(b, "ab\0\0\0z", 6) == 0, "strncpy pads");
	strcpy(b, "a/b/c");
	check(strchr(b, '/') == b + 1 && strrchr(b, '/') == b + 3 && !strchr(b, 'x'), "strchr");
	strcpy(b, "0123456789");
	memmove(b + 2, b, 6);
	check(strcmp(b, "0101234589") == 0, "memmove up");
	strcpy(b, "0123456789");
	memmove(b, b + 2, 6);
	check(strcmp(b, "2345676789") == 0, "memmove down");
	memset(b + 1, 'x', 7);
	check(strcmp(b, "2xxxxxxx89") == 0, "memset");
	check(strtol("-0x1F", &end, 0) == -31 && *end == 0, "strtol hex");
	check(strtol("0755", 0, 0) == 493 && strtol("  +99z", &end, 10) == 99 && *end == 'z',
	      "strtol");
	check(strtol("99999999999", 0, 10) == 0x7FFFFFFF, "strtol saturates");
	check(atoi("-42") == -42 && strtoul("4000000000", 0, 10) == 4000000000u, "atoi/strtoul");
	done();
}

static void test_div64(void)
{
	uint32_t s = 5;
	volatile uint64_t a, b;
	volatile int64_t c, d;

	begin("div64");
	a = 0xFFFFFFFFFFFFFFFFull;
	b = 10;
	check(a / b == 1844674407370955161ull && a % b == 5, "udiv by 10");
	c = -1234567890123LL;
	d = 1000;
	check(c / d == -1234567890 && c % d == -123, "sdiv");
	/* q * d + r == n and r < d, over many operands. */
	for (int i = 0; i < 2000; i++) {
		uint64_t n = ((uint64_t)xorshift32(&s) << 32 | xorshift32(&s)) >> (xorshift32(&s) % 64);
		uint64_t m = ((uint64_t)xorshift32(&s) << 32 | xorshift32(&s)) >> (xorshift32(&s) % 64);
		if (m == 0)
			m = 3;
		a = n;
		b = m;
		uint64_t q = a / b, r = a % b;
		if (r >= m || q * m + r != n) {
			check(0, "q * d + r != n");
			break;
		}
	}
	done();
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static void test_qsort_rand(void)
{
	enum { N = 1000 };
	static int v[N];
	uint32_t x;

	begin("qsort+rand");
	srand(1);
	check(rand() == (270369 & RAND_MAX), "first rand() after srand(1)");
	x = 1;
	check(xorshift32(&x) == 270369 && xorshift32(&x) == 67634689, "xorshift32 sequence");
	for (int t = 0; t < 4; t++) {
		long sum = 0, sum2 = 0;
		for (int i = 0; i < N; i++) {
			v[i] = t == 0 ? i : t == 1 ? N - i : t == 2 ? rand() % 7 : rand();
			sum += v[i];
		}
		qsort(v, N, sizeof(int), cmp_int);
		for (int i = 0; i < N; i++) {
			sum2 += v[i];
			if (i && v[i - 1] > v[i]) {
				check(0, "not sorted");
				break;
			}
		}
		check(sum == sum2, "elements lost");
	}
	done();
}

static void test_malloc(void)
{
	enum { N = 200 };
	static unsigned char *p[N];
	static unsigned sz[N];
	uint32_t s = 9;
	char *brk0 = sbrk(0);

	begin("malloc");
	for (int it = 0; it < 5000; it++) {
		int i = xorshift32(&s) % N;
		if (p[i]) {
			for (unsigned k = 0; k < sz[i]; k++)
				if (p[i][k] != (unsigned char)(i + k)) {
					check(0, "block corrupted");
					it = 1 << 30;
					break;
				}
			free(p[i]);
			p[i] = 0;
		} else {
			sz[i] = xorshift32(&s) % 10 == 0 ? xorshift32(&s) % 200000 + 1
							   : xorshift32(&s) % 1000 + 1;
			p[i] = malloc(sz[i]);
			check(p[i] != 0, "malloc failed");
			check(((uintptr_t)p[i] & 7) == 0, "not 8-byte aligned");
			if (!p[i])
				break;
			for (unsigned k = 0; k < sz[i]; k++)
				p[i][k] = (unsigned char)(i + k);
		}
	}
	for (int i = 0; i < N; i++)
		free(p[i]);
	/* Everything merged back; the large free top went back to the kernel. */
	check((char *)sbrk(0) - brk0 < 128 * 1024, "heap not given back");
	char *q = calloc(1000, 4);
	check(q && q[0] == 0 && q[3999] == 0, "calloc");
	q = realloc(q, 100000);
	check(q && q[3999] == 0, "realloc keeps data");
	free(q);
	check(malloc(0x7FFFFFF0) == 0, "a huge malloc succeeded");
	done();
}

static void test_fixed(void)
{
	begin("fixed");
	check(fx_mul(fx_from_int(3), fx_from_int(-4)) == fx_from_int(-12), "fx_mul");
	check(fx_div(fx_from_int(3), fx_from_int(2)) == FX_ONE + FX_HALF, "fx_div");
	check(fx_div(fx_from_int(-3), fx_from_int(2)) == -(FX_ONE + FX_HALF), "fx_div negative");
	check(fx_sqrt(fx_from_int(2)) == 92681, "fx_sqrt(2)");
	check(fx_sqrt(fx_from_int(10000)) == fx_from_int(100), "fx_sqrt(10000)");
	check(fx_to_int(fx_from_frac(7, 2)) == 3 && fx_round(fx_from_frac(7, 2)) == 4, "fx_to_int");
	check(fx_abs(fx_sin(0)) <= 1 && fx_abs(fx_cos(0) - FX_ONE) <= 2, "sin/cos 0");
	check(fx_abs(fx_sin(FX_PI / 2) - FX_ONE) <= 2, "sin pi/2");
	check(fx_abs(fx_sin(FX_PI / 6) - FX_HALF) <= 2, "sin pi/6");
	check(fx_abs(fx_cos(FX_PI) + FX_ONE) <= 2, "cos pi");
	check(fx_abs(fx_sin(-FX_PI / 6) + FX_HALF) <= 2, "sin -pi/6");
	check(fx_abs(fx_cos(fx_from_int(100)) - 56513) <= 3, "cos 100");  /* 0.8623 */
	done();
}

int main(void)
{
	test_printf();
	test_strings();
	test_div64();
	test_qsort_rand();
	test_malloc();
	test_fixed();
	printf("libtest: %s\n", failures ? "FAIL" : "ok");
	return failures ? 1 : 0;
}
