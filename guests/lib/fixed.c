/*
 * fixed.c - 16.16 fixed-point division, square root, sine and cosine.
 *
 * Sine and cosine use CORDIC (Volder, 1959): rotate the vector (K, 0) by
 * the angle through a fixed sequence of rotations by atan(2^-i), each made
 * of shifts and adds. Inside, numbers carry 30 fraction bits so that the
 * 16.16 results are within one or two units of the last place.
 */
#include <fixed.h>

#define FX_HALF_PI ((fx_t)102944)

fx_t fx_abs(fx_t x)
{
	return x < 0 ? -x : x;
}

/* Saturate a 64-bit result to what fits in fx_t. */
static fx_t clamp(int64_t v)
{
	if (v > INT32_MAX)
		return INT32_MAX;
	if (v < INT32_MIN)
		return INT32_MIN;
	return (fx_t)v;
}

fx_t fx_div(fx_t a, fx_t b)
{
	if (b == 0)
		return a >= 0 ? INT32_MAX : INT32_MIN;
	return clamp(((int64_t)a * FX_ONE) / b);
}

fx_t fx_from_frac(int num, int den)
{
	if (den == 0)
		return num >= 0 ? INT32_MAX : INT32_MIN;
	return clamp(((int64_t)num * FX_ONE) / den);
}

/* sqrt(x / 2^16) * 2^16 = sqrt(x * 2^16): an integer square root, one
   result bit per step. */
fx_t fx_sqrt(fx_t x)
{
	uint64_t n, res = 0, bit = (uint64_t)1 << 46;

	if (x <= 0)
		return 0;
	n = (uint64_t)x << 16;              /* below 2^47 */
	while (bit > n)
		bit >>= 2;
	while (bit) {
		if (n >= res + bit) {
			n -= res + bit;
			res = (res >> 1) + bit;
		} else {
			res >>= 1;
		}
		bit >>= 2;
	}
	return (fx_t)res;
}

/* atan(2^-i) * 2^30, i = 0..29 */
static const int32_t cordic_atan[30] = {
	843314857, 497837829, 263043837, 133525159, 67021687, 33543516,
	16775851, 8388437, 4194283, 2097149, 1048576, 524288, 262144, 131072,
	65536, 32768, 16384, 8192, 4096, 2048, 1024, 512, 256, 128, 64, 32, 16,
	8, 4, 2,
};
#define CORDIC_K 652032874   /* prod 1/sqrt(1 + 2^-2i) * 2^30 */

/* sin and cos of an angle already in [-pi/2, pi/2]. */
static void cordic(fx_t angle, fx_t *s, fx_t *c)
{
	int32_t x = CORDIC_K, y = 0, z = angle * (1 << 14);   /* 2.30 */

	for (int i = 0; i < 30; i++) {
		int32_t dx = y >> i, dy = x >> i;
		if (z >= 0) {
			x -= dx;
			y += dy;
			z -= cordic_atan[i];
		} else {
			x += dx;
			y -= dy;
			z += cordic_atan[i];
		}
	}
	*c = (x + (1 << 13)) >> 14;
	*s = (y + (1 << 13)) >> 14;
}

/* Reduce to [-pi/2, pi/2]; *flip says cos changes sign (sin does not). */
static fx_t reduce(fx_t a, int *flip)
{
	a %= FX_2PI;                       /* (-2pi, 2pi) */
	if (a > FX_PI)
		a -= FX_2PI;
	else if (a < -FX_PI)
		a += FX_2PI;                   /* [-pi, pi] */
	*flip = 0;
	if (a > FX_HALF_PI) {
		a = FX_PI - a;                 /* sin(pi - a) = sin a */
		*flip = 1;
	} else if (a < -FX_HALF_PI) {
		a = -FX_PI - a;                /* sin(-pi - a) = sin a */
		*flip = 1;
	}
	return a;
}

fx_t fx_sin(fx_t angle)
{
	fx_t s, c;
	int flip;

	cordic(reduce(angle, &flip), &s, &c);
	return s;
}

fx_t fx_cos(fx_t angle)
{
	fx_t s, c;
	int flip;

	cordic(reduce(angle, &flip), &s, &c);
	return flip ? -c : c;
}
