/*
 * qsort.c - quicksort with a median-of-three pivot; short runs are
 * finished by insertion sort. The smaller side is sorted by recursion and
 * the larger by looping, so the stack depth stays below log2(n) frames
 * whatever the input.
 */
#include <stdlib.h>

static void swap(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

static void insertion_sort(char *base, size_t n, size_t size,
			   int (*cmp)(const void *, const void *))
{
	for (size_t i = 1; i < n; i++)
		for (char *p = base + i * size; p > base && cmp(p - size, p) > 0; p -= size)
			swap(p - size, p, size);
}

void qsort(void *vbase, size_t n, size_t size,
	   int (*cmp)(const void *, const void *))
{
	char *base = vbase;

	while (n > 8) {
		char *lo = base, *mid = base + (n / 2) * size, *hi = base + (n - 1) * size;

		/* Order lo, mid, hi; the median goes to the front as the pivot. */
		if (cmp(mid, lo) < 0)
			swap(mid, lo, size);
		if (cmp(hi, mid) < 0) {
			swap(hi, mid, size);
			if (cmp(mid, lo) < 0)
				swap(mid, lo, size);
		}
		swap(base, mid, size);

		/* Hoare partition around base[0]. */
		char *i = base, *j = base + n * size;
		for (;;) {
			do
				i += size;
			while (i < j && cmp(i, base) < 0);
			do
				j -= size;
			while (cmp(j, base) > 0);
			if (i >= j)
				break;
			swap(i, j, size);
		}
		swap(base, j, size);

		size_t left = (size_t)(j - base) / size;    /* elements before the pivot */
		size_t right = n - left - 1;                /* elements after it */
		if (left < right) {
			qsort(base, left, size, cmp);
			base = j + size;
			n = right;
		} else {
			qsort(j + size, right, size, cmp);
			n = left;
		}
	}
	insertion_sort(base, n, size, cmp);
}
