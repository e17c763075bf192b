/** @file
 * cost.c - the monitor's cost table (cost.h).
 *
 * The machine charges guest instructions; everything the monitor does is
 * charged from here. The figures are cycles of a 300 MHz single-issue CPU
 * running the monitor's code path, estimated from the length of each path
 * in the paper's Disco (section 5.3, Table 2: a TLB write in the guest
 * kernel costs several times a native one; the reflected trap round trip
 * dominates) and from the R4000 trap overhead of a few dozen cycles. They
 * are settings, not measurements: change them to see how the overheads of
 * the paper's Figure 5 move.
 */
#include "disco/cost.h"

void cost_default(struct cost_table *t)
{
    *t = (struct cost_table){
        .trap_entry = 30,    /* save k-registers and a few GPRs, read Cause, dispatch */
        .trap_exit = 20,     /* restore, ERET */
        .emulate_cp0 = 25,   /* decode the instruction, read or write one register */
        .emulate_tlbw = 120, /* check the entry, pmap lookup, L2 TLB and TLB update */
        .emulate_tlbp = 60,  /* search the 64-entry virtual TLB */
        .emulate_eret = 30,  /* restore virtual Status, pick the mode */
        .l2tlb_lookup = 40,  /* hash, compare, TLBWR */
        .kseg_refill = 40,   /* pmap lookup for the relocated kernel, TLBWR */
        .forward = 60,       /* set the virtual exception registers, redirect */
        .hcall = 40,         /* decode the call and its arguments */
        .page_alloc = 100,   /* take a page off a node's free list, update the memmap */
        .disk_request = 300, /* check, translate and queue one DMA */
        .vcpu_switch = 400,  /* save and load 35 registers and the virtual CP0, flush the TLB */
        .schedule = 80,      /* look at the run queue */
        .shootdown = 200,    /* IPI to another CPU and its TLB probe */
        .cons_byte = 90,     /* one uncached store to the UART per byte, as natively */
        .numa_decide = 300,  /* pop a record, read one counter per node, reset them */
        .net_message = 400,  /* read and check two descriptors, find the receiver, raise IP3 */
        .net_page = 150,     /* share one page: the pmap and memmap updates (shootdowns extra) */
    };
}
