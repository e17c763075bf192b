#!/usr/bin/env bash
# bench/figure6.sh: the paper's Figure 6 for the kit -- the memory that
# transparent sharing saves when several VMs run the same software.
#
# Pmake (-s FIG6_SIZE, -j the VM's vCPUs) in 1, 2, 4 and 8 VMs on an
# 8-CPU machine (9 nodes of 32 MB: room for the monitor's pages), 8 vCPUs
# in all (8/n each) and 256 MB of VM memory in all (256/n MB each). Every
# VM boots from one root image named cow (its binaries, pmake's sources and
# /etc/rc), so the kernel text the monitor loads from one ELF and the
# blocks the VMs read through the global disk cache are shared read-only,
# and each VM's writes (pmake's objects) stay its own. Page replication is
# off (numa = off): replicas would add machine pages that are not sharing's
# doing. The kernel has one
# root disk, so the workload's files are on it too, not on private disks
# as in the paper.
#
# For each run, at the end (disco --stats, "memory"): V, the memory the VMs
# would use each alone, and M, the machine memory they do use, in MB, with
# M/V; V and M split into kernel text (pages shared from the kernel ELF),
# disk blocks (pages shared through the disk cache: mostly the buffer
# cache) and private pages (kernel data and heap, user pages, and pages
# that were shared until a write); and the monitor's own pages (HAL pages
# and the cow disks' modified-sector records). Figures only, beside the
# paper's; exits 1 if a run fails, 2 if something is not built.
#
# Environment: FIG6_SIZE (pmake's -s: small|medium|large|N, default
# medium), B (build directory).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$top"
B=${B:-build}
prog=figure6
. bench/lib.sh
SIZE=${FIG6_SIZE:-medium}
bench_need "$B/bin/disco" "$B/guests/unix/kernel-disco.elf" "$B/guests/tools/mkfs" "$B/tools/wlgen"

out=$B/bench/figure6
bench_root "$out" || exit 2
"$B/tools/wlgen" "$out/root" -p 128 >/dev/null || exit 2
status=0
for n in 1 2 4 8; do
    cpus=$((8 / n))
    echo "pmake -j $cpus -s $SIZE" >"$out/root/etc/rc"
    "$B/guests/tools/mkfs" "$out/root$n.img" 96 -r "$out/root" -i 2048 >/dev/null || exit 2
    {
        printf '[machine]\nnodes = 9\nmem_per_node = 32M\n[monitor]\nhalpage = on\nnuma = off\n'
        for ((i = 0; i < n; i++)); do
            printf '[vm vm%d]\ncpus = %d\nmemory = %dM\nkernel = %s\ndisk = %s cow\n' \
                "$i" "$cpus" $((256 / n)) "$B/guests/unix/kernel-disco.elf" "$out/root$n.img"
        done
    } >"$out/vms$n.conf"
    echo "$prog: $n VM(s)" >&2
    if ! "$B/bin/disco" --stats "$out/vms$n.json" "$out/vms$n.conf" </dev/null >"$out/vms$n.out" \
        2>"$out/vms$n.err"; then
        echo "$prog: $n VM(s): disco failed (see $out/vms$n.out, $out/vms$n.err)" >&2
        status=1
    fi
done

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
MB = 4096 / (1 << 20)
print()
print("Figure 6: memory footprint of pmake in 1, 2, 4 and 8 VMs (8 vCPUs in all), at the end of the run")
print()
print(f"{'VMs':>3} {'V MB':>7} {'M MB':>7} {'M/V':>5}   {'V: kernel text':>14} {'disk blocks':>11} {'private':>8}"
      f"   {'M: kernel text':>14} {'disk blocks':>11} {'private':>8}   {'monitor MB':>10}")
for n in (1, 2, 4, 8):
    try:
        d = json.load(open(f"{out}/vms{n}.json"))
    except (OSError, ValueError):
        print(f"{n:>3} (no statistics)")
        continue
    m = d["memory"]
    vk = sum(v["pages"]["shared_kernel"] for v in d["vms"])
    vd = sum(v["pages"]["shared"] for v in d["vms"]) - vk
    vp = m["V_pages"] - vk - vd
    mk, md = m["kernel_cache_pages"], m["disk_cache_pages"]
    mp = m["M_pages"] - mk - md
    print(f"{n:>3} {m['V_pages'] * MB:7.1f} {m['M_pages'] * MB:7.1f} {m['M_pages'] / max(m['V_pages'], 1):5.2f}"
          f"   {vk * MB:14.1f} {vd * MB:11.1f} {vp * MB:8.1f}   {mk * MB:14.1f} {md * MB:11.1f} {mp * MB:8.1f}"
          f"   {m['monitor_pages'] * MB:10.1f}")
print()
print("paper (8 VMs, IRIX 5.3, pmake): V 77 MB, M 38 MB, M/V 0.49")
PY
exit $status
