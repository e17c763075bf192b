/*
 * div64.c - 64-bit division, which a 32-bit MIPS does not have.
 *
 * For `a / b` on 64-bit integers clang calls these helpers, which a
 * hosted toolchain finds in libgcc or compiler-rt. Guests link no such
 * library, so the C library brings its own: plain shift-and-subtract long
 * division, with a fast path when both operands fit in 32 bits (one divu).
 * Division by zero executes `break`, so the kernel kills the program, as it
 * would for the trap clang puts after a 32-bit division by zero.
 */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0, r = 0;
	int i;

	if (d == 0)
		__builtin_trap();
	if ((n >> 32) == 0 && (d >> 32) == 0) {
		uint32_t n32 = (uint32_t)n, d32 = (uint32_t)d;
		q = n32 / d32;
		r = n32 % d32;
	} else if (d >> 63) {
		/* d >= 2^63: the quotient is 0 or 1, and r << 1 below could overflow. */
		q = n >= d;
		r = n - (q ? d : 0);
	} else {
		for (i = 63; i >= 0; i--) {
			r = (r << 1) | ((n >> i) & 1);
			if (r >= d) {
				r -= d;
				q |= (uint64_t)1 << i;
			}
		}
	}
	if (rem)
		*rem = r;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	return __udivmoddi4(n, d, 0);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;

	__udivmoddi4(n, d, &r);
	return r;
}

/* C rounds toward zero, and the remainder takes the sign of n. */
int64_t __divdi3(int64_t n, int64_t d)
{
	uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t q = __udivmoddi4(un, ud, 0);

	return (n < 0) != (d < 0) ? (int64_t)(0 - q) : (int64_t)q;
}

int64_t __moddi3(int64_t n, int64_t d)
{
	uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t r;

	__udivmoddi4(un, ud, &r);
	return n < 0 ? (int64_t)(0 - r) : (int64_t)r;
}
