#!/usr/bin/env bash
# bench/figure5.sh: the paper's Figure 5 for the kit -- each workload's time
# in a uniprocessor VM relative to the bare machine, split into user,
# kernel, monitor and idle time, with and without the HAL page.
#
# For each workload, one disk image is built (the workload's binaries, its
# inputs and an /etc/rc that runs it) and copied for three runs on a
# one-node machine with the same memory:
#   bare    flashsim, the native kernel           (IRIX on the bare machine)
#   disco   disco, the disco kernel, HAL page on  (the paper's Disco)
#   nohal   disco, the disco kernel without the HAL page
# The measured interval is the workload's own: its mark(1) to mark(2)
# (flashsim's phase statistics; the monitor's per-VM marks). The three runs
# must print the same console output. Figures only: this is a benchmark.
#
# Environment: FIG5_SIZE (small|medium, default medium), FIG5_ONLY (one
# workload name), B (build directory). --data FILE (bench/lib.sh): the
# figure's numbers as JSON too, with, for Table 2, each run's traps by
# cause (whole run) and kernel and monitor time (the interval).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$top"
B=${B:-build}
SIZE=${FIG5_SIZE:-medium}
MEM=64M

WORKLOADS=(
  "pmake|pmake -j 2 -s $SIZE"
  "engineering|engineering -s $SIZE"
  "raytrace|raytrace -s $SIZE"
  "database|database -s $SIZE"
)

prog=figure5
. bench/lib.sh
bench_args "$@"
bench_need "$B/bin/flashsim" "$B/bin/disco" "$B/guests/unix/kernel.elf" "$B/guests/unix/kernel-disco.elf" \
    "$B/guests/unix/kernel-disco-nohal.elf" "$B/guests/tools/mkfs" "$B/tools/wlgen"

out=$B/bench/figure5
mkdir -p "$out"
status=0
results=()

vm_conf() { # kernel halpage image
    cat <<CONF
[machine]
nodes = 1
mem_per_node = 128M
[monitor]
halpage = $2
[vm w]
cpus = 1
memory = $MEM
kernel = $1
disk = $3
CONF
}

for w in "${WORKLOADS[@]}"; do
    name=${w%%|*}
    cmd=${w#*|}
    [ -n "${FIG5_ONLY:-}" ] && [ "$FIG5_ONLY" != "$name" ] && continue
    d=$out/$name
    bench_root "$d" || exit 2
    "$B/tools/wlgen" "$d/root" -p 128 -d 5000 -d 25000 >/dev/null || exit 2
    echo "$cmd" >"$d/root/etc/rc"
    "$B/guests/tools/mkfs" "$d/base.img" 96 -r "$d/root" -i 2048 >/dev/null || exit 2

    echo "figure5: $name: bare machine" >&2
    cp "$d/base.img" "$d/bare.img"
    "$B/bin/flashsim" --nodes 1 --mem-per-node $MEM --disk "$d/bare.img" --stats "$d/bare.json" \
        "$B/guests/unix/kernel.elf" </dev/null >"$d/bare.out" 2>"$d/bare.err" || status=1
    for run in disco nohal; do
        echo "figure5: $name: $run" >&2
        cp "$d/base.img" "$d/$run.img"
        if [ $run = disco ]; then k=kernel-disco.elf; hp=on; else k=kernel-disco-nohal.elf; hp=off; fi
        vm_conf "$B/guests/unix/$k" $hp "$d/$run.img" >"$d/$run.conf"
        "$B/bin/disco" --stats "$d/$run.json" "$d/$run.conf" </dev/null 2>"$d/$run.err" |
            sed 's/^w: //' >"$d/$run.out" || status=1
        bench_same "$d/bare.out" "$d/$run.out" "$name: $run" || status=1
    done
    bench_rm_images "$d"
    results+=("$name")
done

python3 - "$out" "$SIZE" "$MEM" "${results[@]}" <<'PY'
import json, os, sys
out, size, mem, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
data = {"figure": "5", "size": size, "machine": f"1 CPU (1 node), {mem} of memory for the kernel; under disco a 128M node, a {mem} VM",
        "workloads": {}}

def counts(path, native):
    """Table 2: the whole run's events by what the kernel or the monitor did."""
    d = json.load(open(path))
    if native:
        c = d["cpus"][0]
        e, t = c["exceptions"], c["tlb"]
        return {"syscalls": e.get("Sys", 0), "tlb_refills": t["refill"],
                "tlb_faults": t["modified"], "interrupts": e.get("Int", 0),
                "kseg_refills": 0, "l2_hits": 0, "emulated": 0, "hcalls": 0}
    v = d["vms"][0]
    tr, t = v["traps"], v["tlb"]
    return {"syscalls": tr.get("Sys", 0) - v["hcalls"], "tlb_refills": t["misses"] - t["kseg"],
            "tlb_faults": tr.get("Mod", 0), "interrupts": tr.get("Int", 0), "kseg_refills": t["kseg"],
            "l2_hits": t["l2_hits"], "emulated": v["emulated"], "hcalls": v["hcalls"],
            "forwarded": v["forwarded"], "traps": d["monitor"]["traps"]}

def bare(path):
    d = json.load(open(path))
    ph = [p for p in d["phases"] if p["from"] == 1 and p["to"] == 2]
    if not ph:
        return None
    c = ph[0]["cpus"][0]["cycles"]
    return {"user": c["user"], "kernel": c["kernel"], "monitor": 0, "idle": c["idle"],
            "total": ph[0]["end"] - ph[0]["start"],
            "tlb": ph[0]["cpus"][0]["tlb"]["refill"], "insns": sum(ph[0]["cpus"][0]["insns"].values())}

def vm(path):
    d = json.load(open(path))
    v = d["vms"][0]
    m = {x["value"]: x for x in v["marks"]}
    if 1 not in m or 2 not in m:
        return None
    t = {k: m[2]["time"][k] - m[1]["time"][k] for k in ("user", "kernel", "monitor", "idle")}
    t["total"] = m[2]["cycle"] - m[1]["cycle"]
    t["l2"] = v["l2tlb"]["hit_rate"]
    return t

print()
print("Figure 5: execution time in a uniprocessor VM relative to the bare machine (bare = 100)")
print("(user / kernel / monitor / idle as shares of the bare machine's time)")
print()
print(f"{'workload':<12} {'run':<6} {'time':>6}   {'user':>5} {'kernel':>6} {'monitor':>7} {'idle':>5}   {'L2 TLB hits':>11}")
sys.dont_write_bytecode = True
sys.path.insert(0, "bench")
import paper as pv  # bench/paper.py: the paper's values, bench/paper-values.tsv
PV = pv.read("bench/paper-values.tsv")
paper = {n: pv.text(PV, "fig5", n, "disco.total") for n in ("pmake", "engineering", "raytrace", "database")}
for n in names:
    b = bare(f"{out}/{n}/bare.json")
    if not b:
        print(f"{n:<12} (no mark 1..2 phase in the bare run)")
        continue
    base = b["total"]
    w = data["workloads"][n] = {"bare_tlb_refills": b["tlb"], "bare_cycles": base, "runs": {}}
    def row(label, t, extra=""):
        pct = lambda x: 100.0 * x / base
        r = w["runs"][label] = {k: round(pct(t[k]), 2) for k in ("total", "user", "kernel", "monitor", "idle")}
        r["cycles"] = t["total"]
        if "l2" in t:
            r["l2_hit_rate"] = round(100 * t["l2"], 2)
        try:
            r["events"] = counts(f"{out}/{n}/{label}.json", label == "bare")
        except (OSError, ValueError, KeyError, IndexError):
            pass
        print(f"{n:<12} {label:<6} {pct(t['total']):6.1f}   {pct(t['user']):5.1f} {pct(t['kernel']):6.1f} "
              f"{pct(t['monitor']):7.1f} {pct(t['idle']):5.1f}   {extra:>11}")
    row("bare", b)
    for run in ("disco", "nohal"):
        try:
            t = vm(f"{out}/{n}/{run}.json")
        except (OSError, ValueError, KeyError):
            t = None
        if t:
            row(run, t, f"{100 * t['l2']:.1f}%")
        else:
            print(f"{n:<12} {run:<6} (no result)")
    print(f"{'':<12} paper: {paper.get(n, '?')} on Disco; bare-machine TLB refills in the phase: {b['tlb']}")
if os.environ.get("BENCH_DATA"):
    with open(os.environ["BENCH_DATA"], "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
PY
exit $status
