/**
 * @file config.h
 * @brief The `disco` configuration file (INI, read with inih).
 *
 * @code
 * [machine]             ; the FLASH machine (flashsim's settings)
 * nodes = 8
 * mem_per_node = 32M
 * cache_size = 1M       ; also cache_assoc, cache_line, cache = on|off
 * lat_local = 90
 * lat_remote = 270
 * hot_threshold = 64
 * seed = 1
 * max_cycles = 0        ; 0: no limit
 *
 * [monitor]
 * quantum = 3000000     ; cycles a vCPU runs before others get its CPU
 * halpage = on          ; map the HAL privileged-register page
 * prefix = on           ; prefix console lines with the VM's name
 * check = off           ; on: check the monitor's invariants after every trap (check.h)
 * numa = on             ; migrate and replicate hot pages (off: first-touch placement only)
 * numa_replicate = on   ; replicate read-shared pages (off: migrate only)
 * numa_migrate_share = 80 ; percent (51..100) of a hot page's misses one node must make to get it
 * numa_max_moves = 4    ; migrations + replications per page; 0: no cap
 * numa_freeze = 300000  ; machine cycles (1 ms) a page stays put after a move; 0: none
 * memory_sample = 0     ; every this many cycles, note the memory in use; --stats
 *                       ; then also gives the sample with the most machine
 *                       ; pages ("memory_peak"); 0: off
 *
 * [vm alpha]            ; one section per VM: "vm NAME"
 * cpus = 1
 * memory = 16M
 * kernel = build/guests/unix/kernel-disco.elf
 * disk = build/images/alpha.img   ; repeat for disk 1, 2, ...; a last word
 *                                 ; "persistent" (the default: this VM's alone,
 *                                 ; written through) or "cow" (copy-on-write:
 *                                 ; shared by any VMs that name it cow, the
 *                                 ; image never written; each VM's writes are
 *                                 ; its own, kept by the monitor for the run)
 * args = -s /etc/rc.alpha         ; boot arguments (a string the kernel may read)
 * console = alpha.log             ; optional: copy of the VM's console output
 * node = 0                        ; optional: home node of vCPU 0 (others follow)
 * timeout = 0                     ; optional: stop the VM if still running after this many cycles
 * net = 1                         ; optional: an interface on the virtual network, address 1..254
 * subnet = lan                    ; optional: which subnet (a word; default lan): VMs reach only
 *                                 ; the VMs of their own subnet
 * @endcode
 *
 * Sizes take K, M or G. Any error names the file, the line and the
 * problem. Refused as a whole: a file that is not a regular file (a
 * directory, /dev/zero) or is over 1 MB, a NUL byte, two sections for one
 * VM name, one disk image named twice unless every mention is cow (a
 * persistent disk belongs to one VM, and a VM sharing it cow would see
 * another's writes), two VMs with one address on one subnet, a subnet
 * without a net address, and VMs that together need more machine memory than there is: each
 * VM needs its memory plus one 4 KB page per vCPU, which the monitor keeps
 * for it (the HAL page); VMs that fit exactly are accepted.
 */
#ifndef DISCO_CONFIG_H
#define DISCO_CONFIG_H

#include <stddef.h>

#include "disco/types.h"
#include "flash/sim.h"

/** One [vm NAME] section. */
struct vm_config {
    char name[DISCO_NAME_MAX];      /**< VM name, prefixes its console lines */
    int cpus;                       /**< virtual CPUs (1..DISCO_MAX_VCPUS) */
    uint32_t memory;                /**< bytes of guest physical memory */
    char kernel[256];               /**< guest kernel ELF (linked in the supervisor segment) */
    char disk[DISCO_MAX_VDISKS][256]; /**< disk images */
    int ndisks;                     /**< how many */
    int disk_line[DISCO_MAX_VDISKS]; /**< config line of each disk = key, for messages */
    bool disk_cow[DISCO_MAX_VDISKS]; /**< the disk is copy-on-write ("cow"), not persistent */
    char args[256];                 /**< boot arguments */
    char console[256];              /**< console copy file, or "" */
    int node;                       /**< home node of vCPU 0, or -1 to spread */
    uint64_t timeout;               /**< stop the VM after this many cycles (0: never) */
    uint32_t net;                   /**< its address on the virtual network (1..254), 0: none */
    char subnet[DISCO_NAME_MAX];    /**< the subnet it is on ("" until set: "lan") */
    int net_line;                   /**< config line of `net`, for messages */
    int line;                       /**< config line of the section, for messages */
};

/** A whole configuration. */
struct disco_config {
    struct sim_config machine;       /**< [machine] */
    struct monitor_config monitor;   /**< [monitor] */
    struct vm_config vm[DISCO_MAX_VMS]; /**< [vm NAME] sections */
    int nvms;                        /**< how many */
};

/** The subnet VM @p vm is on: its `subnet`, or "lan". */
const char *config_subnet(const struct vm_config *vm);

/** Fill @p c with the defaults (the machine's defaults, no VM). */
void config_default(struct disco_config *c);

/**
 * Read a configuration file. Returns 0, or -1 with "FILE:LINE: problem" in
 * @p err. At least one VM is required.
 */
int config_read(const char *path, struct disco_config *c, char *err, size_t errlen);

/** The same from a string (for tests); @p name is used in messages. */
int config_parse_string(const char *text, const char *name, struct disco_config *c, char *err,
                        size_t errlen);

#endif
