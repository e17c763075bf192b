/**
 * @file cost.h
 * @brief What monitor work costs, in cycles: the one cost table.
 *
 * Guest instructions are timed by the machine. The monitor is host C, so
 * its own time is charged explicitly (DESIGN.md, "Time"): each trap into
 * and out of the monitor costs a fixed amount, each kind of work a
 * per-operation amount from this table, and the machine memory it touches
 * (page copies and zeroing) goes through the cache model. The defaults are
 * calibrated against the paper: a MIPS R10000-class monitor path of a few
 * dozen to a few hundred instructions (section 5.3: a TLB-miss trap with a
 * second-level hit is cheap, an emulated TLB write costs more, a page fault
 * forwarded to the guest costs the round trip twice). Change them in one
 * place to explore their effect.
 */
#ifndef DISCO_COST_H
#define DISCO_COST_H

#include <stdint.h>

/** Cycles charged for each kind of monitor work. */
struct cost_table {
    uint32_t trap_entry;        /**< save state, decode the cause (every trap) */
    uint32_t trap_exit;         /**< restore state and return to the guest */
    uint32_t emulate_cp0;       /**< emulate MFC0/MTC0 */
    uint32_t emulate_tlbw;      /**< emulate TLBWI/TLBWR: pmap lookup, L2 TLB and hardware TLB update */
    uint32_t emulate_tlbp;      /**< emulate TLBP/TLBR */
    uint32_t emulate_eret;      /**< emulate ERET */
    uint32_t l2tlb_lookup;      /**< consult the second-level TLB on a TLB miss */
    uint32_t kseg_refill;       /**< map a page of the relocated kernel segment */
    uint32_t forward;           /**< forward an exception or interrupt to the guest */
    uint32_t hcall;             /**< a monitor call (plus what it does) */
    uint32_t page_alloc;        /**< allocate a machine page (the zeroing is extra, through the cache) */
    uint32_t disk_request;      /**< translate and issue one disk request */
    uint32_t vcpu_switch;       /**< save one vCPU, load another, flush the TLB */
    uint32_t schedule;          /**< pick the next vCPU */
    uint32_t shootdown;         /**< invalidate a TLB entry on another CPU (an IPI) */
    uint32_t cons_byte;         /**< each byte of MC_CONS_WRITE (as the native driver's UART store) */
    uint32_t numa_decide;       /**< read a hot page's MAGIC counters on every node and decide (numa.h) */
    uint32_t net_message;       /**< route a message, check and fill the descriptors (vnet.h) */
    uint32_t net_page;          /**< remap one page of a message (the header's bytes are copied through the cache) */
};

/** The default costs (see cost.c for the values and their reasons). */
void cost_default(struct cost_table *t);

#endif
