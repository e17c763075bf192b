#!/usr/bin/env bash
# bench/figure7.sh: the paper's Figure 7 for the kit -- scalability: one
# workload split among more and smaller VMs, and a library OS in a VM.
#
# Pmake: the kernel natively on 8 CPUs (flashsim --nodes 8, 256 MB, pmake
# -j 8 -s FIG7_SIZE), the baseline (= 100), against 1, 2, 4 and 8 VMs on
# the same 8-CPU machine (disco, 8 nodes of 32 MB), 8 vCPUs in all (8/n
# each), 192 MB of VM memory in all (192/n each: the rest is the
# monitor's), and the same work in all: each VM builds 1/n of the sources
# (pmake -j 8/n -s FIG7_SIZE/n). As in bench/figure6.sh every VM boots
# from one root image named cow, and every run's /tmp (pmake's objects)
# is a private disk, disk 1, mounted by the boot argument mount=1:/tmp.
# The monitor runs with its defaults (HAL page, NUMA migration and
# replication on). The last row, 8 VMs with NFS: the 8 VMs of 1 vCPU read
# the sources from a ninth VM of 1 vCPU, an NFS server on its own disk
# (nfsd /src, network address 9; the clients mount it with nfs=9:/src),
# 9 vCPUs time-sharing the 8 CPUs, as in the paper. Its interval is the
# clients' (first mark 1 to last mark 2), and the server's time counted
# is its nfsd's (which marks 1 and 2 around serving).
#
# The measured interval is pmake's mark(1) to mark(2), the build; in
# several VMs from the first VM's mark 1 to the last one's mark 2, the
# machine's CPU time in it outside a VM's own interval counting as idle.
# It is split into idle, user, kernel, kernel synchronization and monitor,
# as shares of all CPUs' time scaled to the interval. Kernel
# synchronization is the kernel's time spinning in spinlocks: the boot
# argument lockstat (/etc/bootargs) makes each kernel count it over its
# whole run and print it at halt ("unix: spinlocks: N cycles spinning");
# less what the same configuration spins when it boots and halts alone
# (/etc/rc: true), it is taken out of kernel time.
#
# Radix: the SPLASH-2 radix sort as a program on the kernel natively (8
# threads, guests/user/workloads/radix.c), the baseline, against the same
# sort on SPLASHOS in one 8-vCPU VM (build/guests/splashos/radix-disco.elf,
# as guests/splashos/radix.conf) and, for reference, SPLASHOS on the bare
# machine. Same keys (262144, SPLASHOS's RADIX_KEYS) and checksum, checked.
# The interval is the sort alone (mark 1 to mark 2 in both); no lockstat
# split here (the kernel's spinning is in the program's setup, outside it).
#
# Figures only, beside the paper's: exits 1 if a run fails or the VMs of
# one run print different results, 2 if something is not built.
#
# Environment: FIG7_SIZE (pmake's sources in all: small|medium|large, 16,
# 48 or 128 (pmake's sizes, small rounded up to split among 8 VMs), or N,
# a multiple of 8; default large), B (build directory). --data FILE
# (bench/lib.sh): the figure's numbers as JSON too.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$top"
B=${B:-build}
prog=figure7
. bench/lib.sh
bench_args "$@"
case ${FIG7_SIZE:-large} in
small) SIZE=16 ;; medium) SIZE=48 ;; large) SIZE=128 ;; *) SIZE=${FIG7_SIZE} ;;
esac
if ! [[ $SIZE =~ ^[0-9]+$ ]] || [ $((SIZE % 8)) != 0 ] || [ "$SIZE" = 0 ] || [ "$SIZE" -gt 999 ]; then
    echo "$prog: error: FIG7_SIZE=${FIG7_SIZE}: pmake's sources must split among 8 VMs (8, 16, ... 992)" >&2
    exit 2
fi
KEYS=262144
WL=$B/guests/user/workloads/bin
MKFS=$B/guests/tools/mkfs
bench_need "$B/bin/disco" "$B/bin/flashsim" "$B/guests/unix/kernel.elf" "$B/guests/unix/kernel-disco.elf" \
    "$MKFS" "$B/tools/wlgen" "$WL/pmake" "$WL/radix" \
    "$B/guests/splashos/radix.elf" "$B/guests/splashos/radix-disco.elf"

out=$B/bench/figure7
bench_root "$out" || exit 2
"$B/tools/wlgen" "$out/root" -p "$SIZE" >/dev/null || exit 2
status=0

# image NAME RC: a root image whose /etc/rc is RC.
image() {
    echo "$2" >"$out/root/etc/rc"
    "$MKFS" "$out/$1.img" 96 -r "$out/root" -i 2048 >/dev/null || exit 2
}
# vms_conf NAME N ROOT: N VMs of 8/N vCPUs on ROOT (cow), each its /tmp disk.
vms_conf() {
    local i
    printf '[machine]\nnodes = 8\nmem_per_node = 32M\n[monitor]\nhalpage = on\n' >"$out/$1.conf"
    for ((i = 0; i < $2; i++)); do
        "$MKFS" "$out/$1-tmp$i.img" 16 >/dev/null || exit 2
        printf '[vm vm%d]\ncpus = %d\nmemory = %dM\nkernel = %s\ndisk = %s cow\ndisk = %s persistent\n' \
            "$i" $((8 / $2)) $((192 / $2)) "$B/guests/unix/kernel-disco.elf" "$out/$3.img" \
            "$out/$1-tmp$i.img" >>"$out/$1.conf"
    done
}

# Pmake: natively one root and a /tmp disk, for n VMs one cow root
# (/etc/rc: the VM's share) and a /tmp disk per VM; the same with
# /etc/rc "true" for the boot-and-halt runs (natively a root of its own:
# flashsim writes it while the VMs read theirs).
echo "lockstat mount=1:/tmp" >"$out/root/etc/bootargs"
image native "pmake -j 8 -s $SIZE"
image native-boot true
image boot true
for t in native native-boot; do
    "$MKFS" "$out/$t-tmp.img" 16 >/dev/null || exit 2
done
for n in 1 2 4 8; do
    image root$n "pmake -j $((8 / n)) -s $((SIZE / n))"
    vms_conf vms$n $n root$n
    vms_conf boot$n $n boot
done
# nfs_conf NAME ROOT: vms_conf's 8 VMs on ROOT, each on the network, and
# the NFS server (its own disk: nfs-server.img).
nfs_conf() {
    local i
    vms_conf "$1" 8 "$2"
    sed -i 's/^memory = 24M$/memory = 24M\nnet = NET/' "$out/$1.conf"
    for ((i = 1; i <= 8; i++)); do sed -i "0,/^net = NET$/s//net = $i/" "$out/$1.conf"; done
    printf '[vm server]\ncpus = 1\nmemory = 16M\nkernel = %s\ndisk = %s\nnet = 9\n' \
        "$B/guests/unix/kernel-disco.elf" "$out/$1-server.img" >>"$out/$1.conf"
    cp "$out/nfs-server.img" "$out/$1-server.img"
}
echo "lockstat mount=1:/tmp nfs=9:/src" >"$out/root/etc/bootargs"
image rootnfs "pmake -j 1 -s $((SIZE / 8))"
image bootnfs true
echo "lockstat" >"$out/root/etc/bootargs"
image nfs-server "nfsd /src 8"
nfs_conf vmsnfs rootnfs
nfs_conf bootnfsrun bootnfs
echo "lockstat mount=1:/tmp" >"$out/root/etc/bootargs"
# Radix.
rm -f "$out/root/etc/bootargs"
image radix "radix -s $KEYS"
printf '[machine]\nnodes = 8\nmem_per_node = 32M\n[vm sos]\ncpus = 8\nmemory = 64M\nkernel = %s\n' \
    "$B/guests/splashos/radix-disco.elf" >"$out/sos.conf"

native() { # native NAME ELF [DISK...]: flashsim on 8 CPUs
    local name=$1 elf=$2 d disks=()
    shift 2
    for d in "$@"; do disks+=(--disk "$out/$d.img"); done
    bench_run "$name" "$B/bin/flashsim" --nodes 8 --mem-per-node 32M "${disks[@]}" \
        --stats "$out/$name.json" "$elf"
}
disco() { # disco NAME: the VMs of NAME.conf
    bench_run "$1" "$B/bin/disco" --stats "$out/$1.json" --machine-stats "$out/$1-machine.json" "$out/$1.conf"
}
rm -f "$out"/*.failed
K=$B/guests/unix/kernel.elf
bench_spawn 2 native native "$K" native native-tmp
for n in nfs 8 4 2 1; do
    bench_spawn 2 disco vms$n
done
bench_spawn 2 native radix "$K" radix
bench_spawn 2 disco sos
bench_spawn 2 native sos-bare "$B/guests/splashos/radix.elf"
bench_spawn 2 native native-boot "$K" native-boot native-boot-tmp
for n in 8 4 2 1; do
    bench_spawn 2 disco boot$n
done
bench_spawn 2 disco bootnfsrun
bench_wait
bench_rm_images "$out"
bench_failed && status=1

# Every VM of a run must print what vm0 does (its spinning and its network
# address aside), and
# the three radix sorts the same checksum.
results() { grep -v -e 'unix: spinlocks:' -e 'unix: network address' | sed -E 's/^(vm[0-9]+|sos): //'; }
for n in 2 4 8 nfs; do
    grep '^vm0: ' "$out/vms$n.out" | results >"$out/vms$n-vm0.txt"
    for ((i = 1; i < ${n/nfs/8}; i++)); do
        grep "^vm$i: " "$out/vms$n.out" | results >"$out/vms$n-vm$i.txt"
        bench_same "$out/vms$n-vm0.txt" "$out/vms$n-vm$i.txt" "$n VMs: vm$i" || status=1
    done
done
for r in radix sos-bare sos; do
    grep 'radix: .*checksum' "$out/$r.out" | results >"$out/$r-sum.txt"
done
[ -s "$out/radix-sum.txt" ] || { echo "$prog: radix printed no checksum (see $out/radix.out)" >&2; status=1; }
bench_same "$out/radix-sum.txt" "$out/sos-sum.txt" "SPLASHOS in a VM" || status=1
bench_same "$out/radix-sum.txt" "$out/sos-bare-sum.txt" "SPLASHOS on the bare machine" || status=1

python3 - "$out" "$SIZE" "$KEYS" <<'PY'
import atexit, json, os, re, sys
out, size, keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data = {"figure": "7", "size": size, "keys": keys, "tables": {},
        "machine": "8 CPUs (8 nodes); natively 32M per node; under disco 8 nodes of 32M, 192M of VM memory in all"}

@atexit.register
def save():
    if os.environ.get("BENCH_DATA"):
        with open(os.environ["BENCH_DATA"], "w") as f:
            json.dump(data, f, indent=1, sort_keys=True)
            f.write("\n")
NCPU = 8
PARTS = ("idle", "user", "kernel", "sync", "monitor")
sys.dont_write_bytecode = True
sys.path.insert(0, "bench")
import paper as pv  # bench/paper.py: the paper's values, bench/paper-values.tsv
PV = pv.read("bench/paper-values.tsv")
paper = lambda row: pv.text(PV, "fig7", row, "total")

def spin(name):
    """Cycles spinning in spinlocks, summed over the run's kernels."""
    text = open(f"{out}/{name}.out").read()
    return sum(int(x) for x in re.findall(r"unix: spinlocks: (\d+) cycles spinning", text))

def disks(path):
    """Whole-run disk requests: the root's (disk 0) reads, and the other
    disks' (/tmp) writes and how many such disks."""
    d = json.load(open(path))["disks"]
    return (d[0]["reads"], sum(x["writes"] for x in d[1:]), len(d) - 1) if d else (0, 0, 0)

def native(name):
    """flashsim's mark 1..2 phase: its length and the CPUs' time by part."""
    d = json.load(open(f"{out}/{name}.json"))
    p = [p for p in d["phases"] if p["from"] == 1 and p["to"] == 2][0]
    c = p["total"]["cycles"]
    return {"user": c["user"], "kernel": c["kernel"] + c["supervisor"], "monitor": c["monitor"],
            "len": p["end"] - p["start"], "disks": disks(f"{out}/{name}.json"),
            "tlb": f"{p['total']['tlb']['refill']} TLB refills in it"}

def vms(name):
    """From the first VM's mark 1 to the last one's mark 2."""
    d = json.load(open(f"{out}/{name}.json"))
    t = dict.fromkeys(("user", "kernel", "monitor"), 0)
    first, last = [], []
    for v in d["vms"]:
        m = {x["value"]: x for x in v["marks"]}
        for k in t:
            t[k] += m[2]["time"][k] - m[1]["time"][k]
        if v["name"] == "server":
            continue             # the NFS server: its nfsd's time, not the interval
        first.append(m[1]["cycle"])
        last.append(m[2]["cycle"])
    t["len"] = max(last) - min(first)
    t["disks"] = disks(f"{out}/{name}-machine.json")
    t["tlb"] = f"{sum(v['tlb']['misses'] for v in d['vms'])} TLB misses to the monitor (whole run)"
    return t

def load(name, how, boot=None):
    """The interval's times; with boot (its boot-and-halt run), sync."""
    try:
        t = how(name)
        t["sync"] = None
        if boot:
            t["sync"] = min(max(spin(name) - spin(boot), 0), t["kernel"])
            t["kernel"] -= t["sync"]
    except (OSError, ValueError, KeyError, IndexError):
        return None
    t["idle"] = max(NCPU * t["len"] - t["user"] - t["kernel"] - (t["sync"] or 0) - t["monitor"], 0)
    return t

def disk_note(t):
    r, w, n = t["disks"]
    return f"root {r} reads, /tmp {w} writes on {n} disk{'s' if n > 1 else ''} (whole run)"

def table(title, rows, base, note, more=(), key=""):
    """rows: (label, times or None, the paper's value); note(times): the
    end of a row's line on what dominates; more: rows not run; key: its
    name in the data."""
    kept = data["tables"].setdefault(key, [])
    print(title)
    print()
    print(f"{'':<22} {'time':>6}   {'idle':>5} {'user':>5} {'kernel':>6} {'sync':>5} {'monitor':>7}   paper")
    for label, t, paper in rows:
        if t is None:
            print(f"{label:<22} {'(no result)':<47}{paper}")
            kept.append({"label": label})
            continue
        tot = 100.0 * t["len"] / base["len"]
        sh = lambda k: f"{tot * t[k] / (NCPU * t['len']) + 0.0:.1f}" if t[k] is not None else "-"
        kept.append({"label": label, "total": round(tot, 2), "cycles": t["len"],
                     **{k: round(tot * t[k] / (NCPU * t["len"]) + 0.0, 2) for k in PARTS if t[k] is not None}})
        print(f"{label:<22} {tot:6.1f}   {sh('idle'):>5} {sh('user'):>5} {sh('kernel'):>6} "
              f"{sh('sync'):>5} {sh('monitor'):>7}   {paper}")
    for label, why, paper in more:
        print(f"{label:<22} {why:<47}{paper}")
    print()
    print("what dominates each (shares of all CPUs' time in the interval):")
    for label, t, _ in rows:
        if t is None:
            continue
        cpu = NCPU * t["len"]
        top = sorted((k for k in PARTS if t[k]), key=lambda k: -t[k])
        line = ", ".join(f"{k} {100.0 * t[k] / cpu:.0f}%" for k in top[:3])
        if t["sync"] is not None:
            line += f"; sync {100.0 * t['sync'] / max(cpu - t['idle'], 1):.0f}% of the busy time"
        print(f"  {label:<22} {line}; {note(t)}")
    print()

print()
base = load("native", native, "native-boot")
if base is None:
    print("Figure 7: no result for the native run")
    sys.exit(0)
rows = [("IRIX (native, 8 CPUs)", base, paper("native"))]
for n in (1, 2, 4, 8):
    rows.append((f"{n} VM{'s' if n > 1 else ' '} x {NCPU // n} vCPUs", load(f"vms{n}", vms, f"boot{n}"), paper(str(n))))
rows.append(("8 VMs x 1 vCPUs, NFS", load("vmsnfs", vms, "bootnfsrun"), paper("nfs")))
table(f"Figure 7: pmake ({size} sources in all) on 8 CPUs, natively and split among 1, 2, 4 and 8 VMs;\n"
      "execution time of the build (mark 1 to mark 2), native = 100", rows, base, disk_note, key="pmake")
print("sync: kernel synchronization, the kernel's time spinning in spinlocks (boot argument lockstat),")
print("less what the same configuration spins booting and halting alone; idle includes, in several VMs,")
print("a VM's wait for the last to finish. paper: IRIX spends about a quarter of its time in kernel")
print("synchronization (the memlock spinlock); splitting the machine into VMs removes it.")
print()

rbase = load("radix", native)
if rbase is None:
    print("Radix: no result for the native run")
    sys.exit(0)
table(f"Radix sort ({keys} keys, 8 CPUs): the sort alone (mark 1 to mark 2), the kernel natively = 100\n"
      "(SPLASHOS runs in kernel mode, natively, or in supervisor mode in a VM: its time is 'kernel')",
      [("IRIX (native, 8 CPUs)", rbase, paper("radix-native")), ("SPLASHOS in a VM", load("sos", vms), paper("radix-splashos")),
       ("SPLASHOS, bare machine", load("sos-bare", native), "")], rbase, lambda t: t["tlb"], key="radix")
PY
exit $status
