#!/usr/bin/env bash
# bench/figure6.sh: the paper's Figure 6 for the kit -- the memory that
# transparent sharing saves when several VMs run the same software.
#
# Pmake (-s FIG6_SIZE, -j the VM's vCPUs) in 1, 2, 4 and 8 VMs on an
# 8-CPU machine (9 nodes of 32 MB: room for the monitor's pages), 8 vCPUs
# in all (8/n each) and 256 MB of VM memory in all (256/n MB each). Every
# VM boots from one root image named cow (its binaries, pmake's sources and
# /etc/rc), so the kernel text the monitor loads from one ELF and the
# blocks the VMs read through the global disk cache are shared read-only.
# As in the paper, the workload's files are on private disks: each VM's
# /tmp, where pmake writes its objects, is its own persistent disk 1
# (the boot argument mount=1:/tmp, in the image's /etc/bootargs). Page
# replication is off (numa = off): replicas would add machine pages that
# are not sharing's doing.
#
# Also the kernel natively (flashsim, 8 CPUs, 256 MB, pmake -j 8, /tmp on
# disk 1 too), whose
# boot argument memstat prints the pages in use by kind when init halts.
#
# For each run (disco --stats with [monitor] memory_sample: the sample, every
# 10 ms, with the most machine pages, "memory_peak"): V, the memory the VMs
# would use each alone, and M, the machine memory they do use, in MB, with
# M/V, and both split by what the guest kernel says each page holds
# (MC_PAGE_KINDS): kernel text, kernel data, buffer cache, user; a shared
# page counts once in M. Also the monitor's own pages at the end (HAL
# pages, and the cow root's modified-sector records: what the VMs wrote
# outside /tmp), and M/V at the end of the run. Figures only,
# beside the paper's; exits 1 if a run fails, 2 if something is not built.
#
# Environment: FIG6_SIZE (pmake's -s: small|medium|large|N, default
# medium), B (build directory). --data FILE (bench/lib.sh): the figure's
# numbers as JSON too.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$top"
B=${B:-build}
prog=figure6
. bench/lib.sh
bench_args "$@"
SIZE=${FIG6_SIZE:-medium}
bench_need "$B/bin/disco" "$B/bin/flashsim" "$B/guests/unix/kernel.elf" "$B/guests/unix/kernel-disco.elf" "$B/guests/tools/mkfs" "$B/tools/wlgen"

out=$B/bench/figure6
bench_root "$out" || exit 2
"$B/tools/wlgen" "$out/root" -p 128 >/dev/null || exit 2
status=0

# Every run's /tmp (pmake's objects) is a private disk: disk 1, mounted
# by the boot argument mount=1:/tmp.
echo "pmake -j 8 -s $SIZE" >"$out/root/etc/rc"
echo "memstat mount=1:/tmp" >"$out/root/etc/bootargs"
"$B/guests/tools/mkfs" "$out/native.img" 96 -r "$out/root" -i 2048 >/dev/null || exit 2
"$B/guests/tools/mkfs" "$out/native-tmp.img" 16 >/dev/null || exit 2
echo "mount=1:/tmp" >"$out/root/etc/bootargs"
for n in 1 2 4 8; do
    cpus=$((8 / n))
    echo "pmake -j $cpus -s $SIZE" >"$out/root/etc/rc"
    "$B/guests/tools/mkfs" "$out/root$n.img" 96 -r "$out/root" -i 2048 >/dev/null || exit 2
    {
        printf '[machine]\nnodes = 9\nmem_per_node = 32M\n[monitor]\nhalpage = on\nnuma = off\nmemory_sample = 3000000\n'
        for ((i = 0; i < n; i++)); do
            "$B/guests/tools/mkfs" "$out/tmp$n-$i.img" 16 >/dev/null || exit 2
            printf '[vm vm%d]\ncpus = %d\nmemory = %dM\nkernel = %s\ndisk = %s cow\ndisk = %s persistent\n' \
                "$i" "$cpus" $((256 / n)) "$B/guests/unix/kernel-disco.elf" "$out/root$n.img" "$out/tmp$n-$i.img"
        done
    } >"$out/vms$n.conf"
done

# The last row: 8 VMs as above, but the sources (/src) come from a ninth
# VM, an NFS server (network address 9) exporting /src of its own disk;
# the clients mount it (nfs=9:/src). The server has 16 MB, the machine one
# node more.
echo "pmake -j 1 -s $SIZE" >"$out/root/etc/rc"
echo "mount=1:/tmp nfs=9:/src" >"$out/root/etc/bootargs"
"$B/guests/tools/mkfs" "$out/rootnfs.img" 96 -r "$out/root" -i 2048 >/dev/null || exit 2
echo "nfsd /src 8" >"$out/root/etc/rc"
rm "$out/root/etc/bootargs"
"$B/guests/tools/mkfs" "$out/server.img" 96 -r "$out/root" -i 2048 >/dev/null || exit 2
{
    printf '[machine]\nnodes = 10\nmem_per_node = 32M\n[monitor]\nhalpage = on\nnuma = off\nmemory_sample = 3000000\n'
    for ((i = 0; i < 8; i++)); do
        "$B/guests/tools/mkfs" "$out/tmpnfs-$i.img" 16 >/dev/null || exit 2
        printf '[vm vm%d]\ncpus = 1\nmemory = 32M\nkernel = %s\ndisk = %s cow\ndisk = %s persistent\nnet = %d\n' \
            "$i" "$B/guests/unix/kernel-disco.elf" "$out/rootnfs.img" "$out/tmpnfs-$i.img" $((i + 1))
    done
    printf '[vm server]\ncpus = 1\nmemory = 16M\nkernel = %s\ndisk = %s\nnet = 9\n' \
        "$B/guests/unix/kernel-disco.elf" "$out/server.img"
} >"$out/vmsnfs.conf"

rm -f "$out"/*.failed
bench_spawn 2 bench_run native "$B/bin/flashsim" --nodes 8 --mem-per-node 32M --disk "$out/native.img" \
    --disk "$out/native-tmp.img" "$B/guests/unix/kernel.elf"
for n in nfs 8 4 2 1; do
    bench_spawn 2 bench_run vms$n "$B/bin/disco" --stats "$out/vms$n.json" "$out/vms$n.conf"
done
bench_wait
bench_rm_images "$out"
bench_failed && status=1

python3 - "$out" "$SIZE" <<'PY'
import json, os, re, sys
out = sys.argv[1]
data = {"figure": "6", "size": sys.argv[2], "rows": {},
        "machine": "8 CPUs: natively 8 nodes of 32M; under disco 9 nodes of 32M (10 with NFS), numa = off"}
def keep(name, v, m, vk, mk, monitor=None, end=None):
    r = data["rows"][name] = {"V": round(v * MB, 3), "M": round(m * MB, 3),
                              "V_kinds": {k: round(x * MB, 3) for k, x in zip(KINDS, vk)},
                              "M_kinds": {k: round(x * MB, 3) for k, x in zip(KINDS, mk)}}
    if monitor is not None:
        r["monitor"] = round(monitor * MB, 3)
        r["MV_end"] = round(end, 4)
MB = 4096 / (1 << 20)
KINDS = ("kernel_text", "kernel_data", "buffer_cache", "user")

def mb(pages):
    return f"{pages * MB:6.1f}"

print()
print("Figure 6: memory footprint of pmake on 8 CPUs, natively and in 1, 2, 4 and 8 VMs, at its peak (MB)")
print()
print(f"{'':>7} {'V':>6} {'M':>6} {'M/V':>5}   {'V: ktext':>8} {'kdata':>6} {'bcache':>6} {'user':>6}"
      f"   {'M: ktext':>8} {'kdata':>6} {'bcache':>6} {'user':>6}   {'monitor':>7} {'M/V end':>7}")
try:
    text = open(f"{out}/native.out").read()
    m = re.search(r"memory at its peak: kernel text (\d+), kernel data (\d+), buffer cache (\d+), user (\d+) pages", text)
    k = [int(x) for x in m.groups()]
    v = sum(k)
    cols = " ".join(mb(x) for x in k)
    print(f"{'native':>7} {mb(v)} {mb(v)} {1:5.2f}   {mb(k[0]):>8} {cols[7:]}   {mb(k[0]):>8} {cols[7:]}   {'-':>7} {'-':>7}")
    keep("native", v, v, k, k)
except (OSError, AttributeError):
    print(f"{'native':>7} (no memstat line in {out}/native.out)")
def label(n):
    return "8+NFS" if n == "nfs" else f"{n:>3} VMs"

for n in (1, 2, 4, 8, "nfs"):
    try:
        d = json.load(open(f"{out}/vms{n}.json"))
        p, e = d["memory_peak"], d["memory"]
    except (OSError, ValueError, KeyError):
        print(f"{label(n)} (no statistics)")
        continue
    vk = [p["V_kinds"][x] for x in KINDS]
    mk = [p["M_kinds"][x] for x in KINDS]
    print(f"{label(n)} {mb(p['V_pages'])} {mb(p['M_pages'])} {p['M_pages'] / max(p['V_pages'], 1):5.2f}"
          f"   {mb(vk[0]):>8} {' '.join(mb(x) for x in vk[1:])}   {mb(mk[0]):>8} {' '.join(mb(x) for x in mk[1:])}"
          f"   {mb(e['monitor_pages']):>7} {e['M_pages'] / max(e['V_pages'], 1):7.2f}")
    keep(str(n), p["V_pages"], p["M_pages"], vk, mk, e["monitor_pages"], e["M_pages"] / max(e["V_pages"], 1))
print()
print("monitor: its own pages at the end (HAL pages, and the cow root's modified-sector records).")
print("/tmp (pmake's objects) is a private disk in every run.")
print("V, M: the sample (every 10 ms) with the most machine pages; natively the kernel's pages in use at their peak (memstat).")
print("8+NFS: 8 VMs reading the sources from a ninth, an NFS server (its memory counted too).")
sys.dont_write_bytecode = True
sys.path.insert(0, "bench")
import paper as pv  # bench/paper.py: the paper's values, bench/paper-values.tsv
PV = pv.read("bench/paper-values.tsv")
V8, M8 = pv.get(PV, "fig6", "8", "V"), pv.get(PV, "fig6", "8", "M")
print(f"paper (8 VMs, IRIX 5.3, pmake): V {V8:g} MB, M {M8:g} MB, M/V {M8 / V8:.2f}; "
      f"8 VMs + NFS: V {pv.text(PV, 'fig6', 'nfs', 'V')} MB, M {pv.text(PV, 'fig6', 'nfs', 'M')} MB")
if os.environ.get("BENCH_DATA"):
    with open(os.environ["BENCH_DATA"], "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
PY
exit $status
