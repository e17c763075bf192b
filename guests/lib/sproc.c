/*
 * sproc.c - start a process that shares our address space.
 *
 * The kernel starts the new process at entry(arg) with sp = stack_top and
 * nothing sensible in ra, so entry must never return. We therefore hand
 * the kernel our own trampoline: it calls the user's function and then
 * exits. The function and its argument travel in a small record at the top
 * of the new stack, which only the new process uses.
 */
#include <stdint.h>
#include <unistd.h>

int __sproc(void (*entry)(void *), void *arg, void *stack_top);

struct sproc_start {
	void (*fn)(void *);
	void *arg;
};

static void sproc_trampoline(void *p)
{
	struct sproc_start *s = p;

	s->fn(s->arg);
	exit(0);
}

int sproc(void (*entry)(void *), void *arg, void *stack_top)
{
	uintptr_t top = (uintptr_t)stack_top & ~(uintptr_t)7;
	struct sproc_start *s = (struct sproc_start *)(top - sizeof(*s) - 8);

	s->fn = entry;
	s->arg = arg;
	/* Below the record: the o32 argument area for the trampoline. */
	return __sproc(sproc_trampoline, s, (char *)s - 16);
}
