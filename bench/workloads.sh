#!/usr/bin/env bash
# bench/workloads.sh: the paper's four workloads natively on the FLASH
# machine at their default (medium) sizes, on one CPU: the share of the
# measured phase (the workload's mark(1) to mark(2)) spent in user mode, in
# the kernel and idle -- the bare-machine bars of the paper's Figure 5 --
# and the TLB miss rate. Figures only: this is a benchmark, not a test.
#
# Environment: WL_SIZE (default medium), WL_CPUS (default 1), B.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$top"
B=${B:-build}
SIZE=${WL_SIZE:-medium}
CPUS=${WL_CPUS:-1}
out=$B/bench/workloads
mkdir -p "$out"
status=0
names=()
for w in "pmake|pmake -j 2 -s $SIZE" "engineering|engineering -s $SIZE" \
         "raytrace|raytrace -s $SIZE" "database|database -s $SIZE"; do
    name=${w%%|*}
    echo "workloads: $name ($SIZE, $CPUS CPU)" >&2
    start=$(date +%s.%N)
    if ! guests/user/workloads/run.sh -n "$CPUS" -s "$out/$name.json" -- --mem-per-node 64M -- \
            "${w#*|}" >"$out/$name.out" 2>&1; then
        echo "workloads: $name failed (see $out/$name.out)" >&2
        status=1
    fi
    echo "$(echo "$(date +%s.%N) - $start" | bc)" >"$out/$name.host-seconds"
    names+=("$name")
done
python3 - "$out" "${names[@]}" <<'PY'
import json, sys
out, names = sys.argv[1], sys.argv[2:]
paper = {"pmake": "50 / 19 / 32", "engineering": "94 / 6 / 0", "raytrace": "97 / 3 / 0", "database": "86 / 14 / 0"}
print()
print("The workloads on the bare machine (measured phase; user / kernel / idle % of its cycles)")
print(f"{'workload':<12} {'Mcycles':>9} {'user':>6} {'kernel':>6} {'idle':>6}   {'TLB refills':>11} {'per 1000 insns':>14}   {'host s':>6}   paper (u/k/i)")
for n in names:
    try:
        d = json.load(open(f"{out}/{n}.json"))
    except (OSError, ValueError):
        print(f"{n:<12} (no statistics)")
        continue
    ph = [p for p in d["phases"] if p["from"] == 1 and p["to"] == 2]
    if not ph:
        print(f"{n:<12} (no mark 1..2 phase)")
        continue
    p = ph[0]
    t = p["end"] - p["start"]
    c = p["total"]
    ins = sum(c["insns"].values())
    pct = lambda x: 100.0 * x / max(t * len(p["cpus"]), 1)
    host = open(f"{out}/{n}.host-seconds").read().strip()
    print(f"{n:<12} {t / 1e6:9.1f} {pct(c['cycles']['user']):6.1f} {pct(c['cycles']['kernel']):6.1f} "
          f"{pct(c['cycles']['idle']):6.1f}   {c['tlb']['refill']:11d} {1000.0 * c['tlb']['refill'] / max(ins, 1):14.2f}   "
          f"{float(host):6.1f}   {paper.get(n, '')}")
PY
exit $status
