/*
 * tlb.c - TLB shootdowns: making every CPU forget a mapping.
 *
 * When a PTE loses a page or a permission (copy-on-write break, fork
 * making pages read-only, heap shrink), TLBs may still hold the old
 * translation: this CPU's, and those of other CPUs that ran the address
 * space. Before the change may be relied on (the page freed, the write
 * allowed to proceed), each of them must drop it:
 *
 *   - this CPU, if it runs the address space: invalidate the entry
 *     (one page) or take a fresh ASID (everything);
 *   - a CPU that does not run it now: forget its ASID there
 *     (as->asid[cpu] = 0, asid.c), which costs nothing now;
 *   - a CPU that runs it now (another sproc thread of it): ask it with an
 *     inter-processor interrupt and wait for its answer.
 *
 * as->ctxlock orders this against a CPU switching to the address space:
 * it either is in as->active when we look (and gets an IPI) or activates
 * it after we cleared its ASID (and takes a fresh one).
 *
 * Requests travel through a mailbox: slot [target][initiator] holds a
 * pointer to a request on the initiator's stack. The initiator waits with
 * interrupts off, answering requests addressed to itself meanwhile, so two
 * CPUs shooting at each other cannot deadlock; and it holds no spinlock,
 * so a target spinning on a lock always gets it eventually and then takes
 * the IPI. Hence the rule: never call these with a spinlock held.
 */
#include "vm.h"

struct shoot {
	struct as *as;
	uint32_t va;
	int all;
	volatile uint32_t done;
};

static struct shoot *volatile mailbox[NCPU][NCPU];

/* Drop as's translations for va (or all of them) on this CPU. Called
   with as->ctxlock held. */
static void flush_local(struct as *as, uint32_t va, int all)
{
	struct cpu *c = mycpu();

	if (c->cur_as != as) {
		as->asid[c->id] = 0;
	} else if (all) {
		as->asid[c->id] = asid_new(c);
		hal_set_asid(as->asid[c->id] & HAL_ASID_MASK);
	} else {
		hal_tlb_invalidate(va, as->asid[c->id] & HAL_ASID_MASK);
	}
}

/* Answer the requests addressed to this CPU. Interrupts off. */
static void poll_mailbox(void)
{
	int me = hal_cpu_id();

	for (int i = 0; i < ncpu; i++) {
		struct shoot *r = mailbox[me][i];

		if (!r)
			continue;
		mailbox[me][i] = NULL;
		acquire(&r->as->ctxlock);
		flush_local(r->as, r->va, r->all);
		release(&r->as->ctxlock);
		mb();
		r->done = 1;
	}
}

/* The IPI handler. Acknowledge first: a request posted while we look
   raises IP4 again. */
void tlb_ipi(void)
{
	hal_ipi_ack();
	mb();
	poll_mailbox();
}

static void shootdown(struct as *as, uint32_t va, int all)
{
	struct shoot req[NCPU];
	uint32_t targets = 0;
	int me;

	push_off();
	if (mycpu()->noff != 1)
		panic("tlb_shootdown with a spinlock held");
	me = hal_cpu_id();
	acquire(&as->ctxlock);
	for (int c = 0; c < ncpu; c++) {
		if (c == me)
			flush_local(as, va, all);
		else if (as->active & (1u << c))
			targets |= 1u << c;
		else
			as->asid[c] = 0;
	}
	release(&as->ctxlock);
	for (int c = 0; c < ncpu; c++) {
		if (!(targets & (1u << c)))
			continue;
		req[c] = (struct shoot){.as = as, .va = va, .all = all, .done = 0};
		mailbox[c][me] = &req[c];
		mb();
		hal_ipi_send(c);
	}
	for (int c = 0; c < ncpu; c++)
		while ((targets & (1u << c)) && !req[c].done)
			poll_mailbox();
	pop_off();
}

void tlb_shootdown(struct as *as, uint32_t va)
{
	shootdown(as, PGROUNDDOWN(va), 0);
}

void tlb_shootdown_all(struct as *as)
{
	shootdown(as, 0, 1);
}

/* After a PTE gained a permission (no shootdown needed: a stale entry can
   only fault and come back here), rewrite this CPU's entry for the pair,
   if it has one. Called with as->lock held, so that no one changes the
   pair between our reading it and writing the TLB. */
void tlb_refresh(struct as *as, uint32_t va)
{
	struct cpu *c = mycpu();
	uint32_t *pte;

	if (c->cur_as != as || !(pte = vm_walk(as, va & ~(2 * PAGE_SIZE - 1), 0)))
		return;
	hal_tlb_update(va, as->asid[c->id] & HAL_ASID_MASK, pte[0], pte[1]);
}
