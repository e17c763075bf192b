/*
 * rand.c - xorshift32 (Marsaglia, "Xorshift RNGs", 2003): three shifts and
 * xors, period 2^32 - 1, and the same sequence on every run, which is what
 * deterministic workloads want from "random" numbers.
 */
#include <stdlib.h>

static uint32_t rand_state = 1;

uint32_t xorshift32(uint32_t *state)
{
	uint32_t x = *state ? *state : 1;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

void srand(unsigned int seed)
{
	rand_state = seed ? seed : 1;
}

int rand(void)
{
	return (int)(xorshift32(&rand_state) & RAND_MAX);
}
