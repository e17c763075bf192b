#!/usr/bin/env bash
# bench/figure8.sh: the paper's Figure 8 and Table 3 for the kit -- what
# the monitor's page migration and replication buys a NUMA-unaware kernel.
#
# Two workloads, each in one machine shape (the paper's):
#   engineering   8 CPUs (8 nodes), one 8-vCPU VM, 1 MB caches
#   raytrace     16 CPUs (16 nodes), one 16-vCPU VM, 256 KB caches
# and five runs of each, from one disk image (/etc/rc runs the workload):
#   irix    flashsim, the native kernel with placement=any (/etc/bootargs):
#           pages round-robin over the nodes, IRIX 5.3's NUMA-unaware
#           placement, the baseline (= 100)
#   local   flashsim, the native kernel's own node-local allocator
#   disco   disco, [monitor] numa = off: first-touch placement only
#   numa    disco, numa = on (migration and replication, the defaults:
#           numa_migrate_share 80, numa_max_moves 4, numa_replicate on,
#           hot_threshold 64)
#   uma     flashsim, placement=any on a UMA machine (lat_remote = lat_local)
# The VMs run the same kernel, placement=any too (the config's args), with
# the memory the native kernel sees (the machine has twice that, for the
# monitor and the replicas), so every run prints the same console output
# (checked). Independent runs go two at a time (FIG8_JOBS).
#
# Figure 8: the measured interval (the workload's mark(1) to mark(2)) as a
# share of irix's, split into user, kernel, monitor, stall and idle as
# shares of all CPUs' time in it; stall (cache-miss stall, which the
# machine counts inside the mode it happened in) is taken out of user,
# kernel and monitor in proportion to them. And the share of cache misses
# served by local memory. Natively all of it is the interval's (flashsim's
# phase statistics); the monitor keeps stall and misses per CPU for the
# whole run only, so for the VMs those are whole-run figures, stall scaled
# to the interval by busy (user + kernel + monitor) time.
# Table 3: numa's migrations and replications per second of machine time
# (whole run, 300 MHz) and the mean cost of each (the monitor's cycles for
# it / count / 300 = microseconds), from disco's "numa" statistics.
#
# Figures only, beside the paper's: exits 1 if a run fails or prints
# something else than irix, 2 if something is not built.
#
# Environment: FIG8_SIZE (the workloads' -s: small|medium|large|N, or
# ENG,RAY for each its own; default 8,480), FIG8_ONLY (one workload),
# FIG8_JOBS (runs at once, default 2), B (build directory). --data FILE
# (bench/lib.sh): the figure's and the table's numbers as JSON too.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$top"
B=${B:-build}
prog=figure8
. bench/lib.sh
bench_args "$@"
SIZE=${FIG8_SIZE:-8,480}
case $SIZE in
*,*) ESIZE=${SIZE%%,*} RSIZE=${SIZE#*,} ;;
*) ESIZE=$SIZE RSIZE=$SIZE ;;
esac
JOBS=${FIG8_JOBS:-2}
RUNS=(irix local disco numa uma)

# name | rc line | nodes | native memory per node | machine memory per node under disco | cache
WORKLOADS=(
  "engineering|engineering -s $ESIZE|8|16M|32M|1M"
  "raytrace|raytrace -s $RSIZE|16|8M|16M|256K"
)

bench_need "$B/bin/flashsim" "$B/bin/disco" "$B/guests/unix/kernel.elf" \
    "$B/guests/unix/kernel-disco.elf" "$B/guests/tools/mkfs"
out=$B/bench/figure8
mkdir -p "$out"

# run_native DIR RUN IMAGE NODES MEM CACHE [FLASHSIM-OPTIONS...]
run_native() {
    local d=$1 run=$2 img=$3 nodes=$4 mem=$5 cache=$6
    shift 6
    echo "$prog: ${d##*/}: $run" >&2
    cp "$d/$img" "$d/$run.img"
    "$B/bin/flashsim" --nodes "$nodes" --mem-per-node "$mem" --cache-size "$cache" "$@" \
        --disk "$d/$run.img" --stats "$d/$run.json" "$B/guests/unix/kernel.elf" \
        </dev/null >"$d/$run.out" 2>"$d/$run.err"
    echo $? >"$d/$run.rc"
    bench_keep_images || rm -f "$d/$run.img"
}

# run_disco DIR RUN NUMA(on|off) NODES MACHINE-MEM CACHE VM-MEMORY
run_disco() {
    local d=$1 run=$2
    echo "$prog: ${d##*/}: $run" >&2
    cp "$d/base.img" "$d/$run.img"
    cat >"$d/$run.conf" <<CONF
[machine]
nodes = $4
mem_per_node = $5
cache_size = $6
[monitor]
numa = $3
[vm w]
cpus = $4
memory = $7
kernel = $B/guests/unix/kernel-disco.elf
disk = $d/$run.img
args = placement=any
CONF
    "$B/bin/disco" --stats "$d/$run.json" "$d/$run.conf" </dev/null 2>"$d/$run.err" |
        sed 's/^w: //' >"$d/$run.out"
    echo $? >"$d/$run.rc"
    bench_keep_images || rm -f "$d/$run.img"
}

names=()
for w in "${WORKLOADS[@]}"; do
    IFS='|' read -r name cmd nodes mem mmem cache <<<"$w"
    [ -n "${FIG8_ONLY:-}" ] && [ "$FIG8_ONLY" != "$name" ] && continue
    d=$out/$name
    bench_root "$d" || exit 2
    echo "$cmd" >"$d/root/etc/rc"
    "$B/guests/tools/mkfs" "$d/base.img" 32 -r "$d/root" >/dev/null || exit 2
    echo placement=any >"$d/root/etc/bootargs"
    "$B/guests/tools/mkfs" "$d/any.img" 32 -r "$d/root" >/dev/null || exit 2
    vmmem=$(( ${mem%M} * nodes ))M
    lat=$("$B/bin/flashsim" --help 2>&1 | sed -n 's/.*--lat-local.*default \([0-9]*\).*/\1/p')
    for run in "${RUNS[@]}"; do
        case $run in
        irix) bench_spawn "$JOBS" run_native "$d" irix any.img "$nodes" "$mem" "$cache" ;;
        local) bench_spawn "$JOBS" run_native "$d" local base.img "$nodes" "$mem" "$cache" ;;
        disco) bench_spawn "$JOBS" run_disco "$d" disco off "$nodes" "$mmem" "$cache" "$vmmem" ;;
        numa) bench_spawn "$JOBS" run_disco "$d" numa on "$nodes" "$mmem" "$cache" "$vmmem" ;;
        uma) bench_spawn "$JOBS" run_native "$d" uma any.img "$nodes" "$mem" "$cache" \
                 --lat-local "${lat:-90}" --lat-remote "${lat:-90}" ;;
        esac
    done
    names+=("$name")
done
bench_wait
for name in "${names[@]}"; do bench_rm_images "$out/$name"; done

status=0
for name in "${names[@]}"; do
    d=$out/$name
    for run in "${RUNS[@]}"; do
        rc=$(cat "$d/$run.rc" 2>/dev/null)
        if [ "$rc" != 0 ]; then
            echo "$prog: $name: $run: exit status ${rc:-none} (see $d/$run.out, $d/$run.err)" >&2
            status=1
        elif [ $run != irix ]; then
            bench_same "$d/irix.out" "$d/$run.out" "$name: $run" || status=1
        fi
    done
done

python3 - "$out" "$ESIZE" "$RSIZE" "${names[@]}" <<'PY'
import json, os, sys
out, esize, rsize, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
data = {"figure": "8", "size": {"engineering": esize, "raytrace": rsize}, "workloads": {},
        "machine": {"engineering": "8 CPUs (8 nodes), 1M caches; natively 16M per node, under disco 32M per node and a 128M VM",
                    "raytrace": "16 CPUs (16 nodes), 256K caches; natively 8M per node, under disco 16M per node and a 128M VM"}}
MHZ = 300
RUNS = [("irix", "IRIX"), ("local", "local"), ("disco", "Disco"), ("numa", "Disco+M/R"), ("uma", "UMA")]
sys.dont_write_bytecode = True
sys.path.insert(0, "bench")
import paper as pv  # bench/paper.py: the paper's values, bench/paper-values.tsv
PV = pv.read("bench/paper-values.tsv")
PAPER = {n: {r: f"{pv.text(PV, 'fig8', n, r + '.total')}, {pv.text(PV, 'fig8', n, r + '.local_misses')}%"
             for r in ("irix", "numa", "uma")} for n in ("engineering", "raytrace")}
PAPER3 = {n: tuple(pv.text(PV, "table3", n, k) for k in ("migrations_per_s", "migrate_us", "replications_per_s", "replicate_us"))
          for n in ("engineering", "raytrace")}

def native(path):
    """The mark 1..2 phase of flashsim's statistics."""
    d = json.load(open(path))
    ph = [p for p in d["phases"] if p["from"] == 1 and p["to"] == 2]
    if not ph:
        return None
    p, c = ph[0], ph[0]["total"]
    cy = c["cycles"]
    return {"time": p["end"] - p["start"], "user": cy["user"], "kernel": cy["kernel"] + cy["supervisor"],
            "monitor": cy["monitor"], "idle": cy["idle"], "stall": c["stall"]["local"] + c["stall"]["remote"],
            "local": c["misses"]["local"], "remote": c["misses"]["remote"]}

def vm(path):
    """The VM's mark 1..2 interval; stall and misses of the whole run."""
    d = json.load(open(path))
    m = {x["value"]: x for x in d["vms"][0]["marks"]}
    if 1 not in m or 2 not in m:
        return None
    r = {k: m[2]["time"][k] - m[1]["time"][k] for k in ("user", "kernel", "monitor", "idle")}
    r["time"] = m[2]["cycle"] - m[1]["cycle"]
    cpus = d["cpus"]
    busy = sum(c["user"] + c["kernel"] + c["monitor"] for c in cpus)
    r["stall"] = sum(c["stall"] for c in cpus) * (r["user"] + r["kernel"] + r["monitor"]) / max(busy, 1)
    r["local"] = sum(c["misses_local"] for c in cpus)
    r["remote"] = sum(c["misses_remote"] for c in cpus)
    r["numa"] = d.get("numa")
    r["cycles"] = d["cycles"]
    return r

def load(n, run):
    try:
        return (native if run in ("irix", "local", "uma") else vm)(f"{out}/{n}/{run}.json")
    except (OSError, ValueError, KeyError, IndexError):
        return None

res = {n: {run: load(n, run) for run, _ in RUNS} for n in names}
print()
print("Figure 8: execution time of the measured interval (mark 1 to mark 2), IRIX = 100")
print("(IRIX: the native kernel, placement=any; local: its node-local allocator; Disco: numa = off;")
print(" Disco+M/R: numa = on; UMA: placement=any, remote misses as cheap as local ones)")
print()
print(f"{'workload':<12} {'run':<10} {'time':>6}   {'user':>5} {'kernel':>6} {'monitor':>7} {'stall':>5} {'idle':>5}"
      f"   {'local misses':>12}   paper (time, local)")
for n in names:
    base = res[n]["irix"]
    if not base:
        print(f"{n:<12} (no mark 1..2 interval in the IRIX run)")
        continue
    for run, label in RUNS:
        t = res[n][run]
        if not t:
            print(f"{n:<12} {label:<10} (no result)")
            continue
        tot = 100.0 * t["time"] / base["time"]
        cpu = t["user"] + t["kernel"] + t["monitor"] + t["idle"]
        busy = t["user"] + t["kernel"] + t["monitor"]
        out_of = lambda x: x - t["stall"] * x / max(busy, 1)
        sh = lambda x: tot * x / max(cpu, 1)
        miss = t["local"] + t["remote"]
        loc = f"{100.0 * t['local'] / miss:.0f}%" + ("*" if run in ("disco", "numa") else " ") if miss else "-"
        data["workloads"].setdefault(n, {"runs": {}})["runs"][run] = {
            "label": label, "total": round(tot, 2), "cycles": t["time"],
            "user": round(sh(out_of(t["user"])), 2), "kernel": round(sh(out_of(t["kernel"])), 2),
            "monitor": round(sh(out_of(t["monitor"])), 2), "stall": round(sh(t["stall"]), 2),
            "idle": round(sh(t["idle"]), 2), "local_misses": round(100.0 * t["local"] / miss, 2) if miss else None}
        print(f"{n:<12} {label:<10} {tot:6.1f}   {sh(out_of(t['user'])):5.1f} {sh(out_of(t['kernel'])):6.1f} "
              f"{sh(out_of(t['monitor'])):7.1f} {sh(t['stall']):5.1f} {sh(t['idle']):5.1f}   {loc:>12}   "
              f"{PAPER.get(n, {}).get(run, '')}")
print()
print("user, kernel, monitor, stall, idle: shares of all CPUs' time in the interval, scaled to the time;")
print("stall is taken out of the other busy modes in proportion to them.")
print("* the monitor counts misses and stall per CPU for the whole run only: whole-run figures")
print("  (stall scaled to the interval by busy time).")
print()
print("Table 3: page migration and replication under Disco (numa = on, whole run, 300 MHz)")
print()
print(f"{'workload':<12} {'migrations/s':>12} {'us each':>8} {'replications/s':>14} {'us each':>8}"
      f"   paper: migr/s, us, repl/s, us")
for n in names:
    t = res[n]["numa"]
    s = t and t.get("numa")
    if not s:
        print(f"{n:<12} (no numa statistics)")
        continue
    secs = t["cycles"] / (MHZ * 1e6)
    each = lambda cyc, k: f"{cyc / k / MHZ:8.1f}" if k else f"{'-':>8}"
    p = PAPER3.get(n, ("", "", "", ""))
    data["workloads"].setdefault(n, {"runs": {}})["table3"] = {
        "seconds": round(secs, 4), "migrations": s["migrations"], "replications": s["replications"],
        "migrations_per_s": round(s["migrations"] / secs, 1), "replications_per_s": round(s["replications"] / secs, 1),
        "migrate_us": round(s["migrate_cycles"] / s["migrations"] / MHZ, 2) if s["migrations"] else None,
        "replicate_us": round(s["replicate_cycles"] / s["replications"] / MHZ, 2) if s["replications"] else None}
    print(f"{n:<12} {s['migrations'] / secs:12.0f} {each(s['migrate_cycles'], s['migrations'])} "
          f"{s['replications'] / secs:14.0f} {each(s['replicate_cycles'], s['replications'])}"
          f"   {p[0]}, {p[1]}, {p[2]}, {p[3]}")
    print(f"{'':<12} {s['migrations']} migrations, {s['replications']} replications, {s['collapses']} collapses "
          f"({each(s['collapse_cycles'], s['collapses']).strip()} us each) in {secs:.2f} s; of "
          f"{s['hot_records']} hot-page records left: {s['left_shared']} write-shared, {s['left_capped']} capped, {s['left_frozen']} frozen, "
          f"{s['left_busy']} busy, {s['left_no_memory']} no memory")
if os.environ.get("BENCH_DATA"):
    with open(os.environ["BENCH_DATA"], "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
        f.write("\n")
PY
exit $status
