#!/usr/bin/env bash
# bench/run.sh: the simulator speed benchmark (`make bench`).
#
# Runs the benchmark programs of bench/programs under flashsim, with the cache
# model on and off, on each execution engine (--engine fast, the default,
# and --engine interp, the reference interpreter; both give the same run
# cycle for cycle), and prints how fast the simulator went: simulated
# instructions (all CPUs, all modes, from --stats JSON), host wall-clock
# seconds (best of 3 runs, date +%s.%N around each run: the wall clock, so a
# clock step during a run would show as one odd figure, which best-of-3
# mostly hides), and millions of simulated instructions per host second. For the same
# work compiled for the host with gcc -O2 it prints the native time and the
# slowdown (simulated run's host time / native time: each simulated run is
# paired with a native run made right after it, and the median of the
# pairs' ratios is printed, so that a slow stretch of the host's time
# weighs on both sides of a ratio).
#
#   cpubound   the workload of bench/programs/work.c on 1 CPU (--nodes 1)
#   smp8       the same rounds split among 8 CPUs (--nodes 8); its slowdown is
#              against the native program doing all the work on one core
#
# It is a benchmark, not a test: it prints figures and never fails because
# the machine is slow. It does fail if a program does not halt with status 0
# or prints a checksum other than the native program's (exit 1), or if it
# cannot build or run what it needs (exit 2).
#
# Environment:
#   BENCH_QUICK=1   one run of each instead of the best of 3 (smoke test)
#   BENCH_RUNS=N    runs of each, best kept (default 3)
#   B=DIR           the build directory (default build)
#   MAKE=CMD        make to build with (default make)
set -euo pipefail

prog=bench/run.sh
die() { echo "$prog: error: $*" >&2; exit 2; }
wrong() { echo "$prog: error: $*" >&2; exit 1; }

cd "$(dirname "$0")/.."
B=${B:-build}
MAKE=${MAKE:-make}
if [[ ${BENCH_QUICK:-0} != 0 ]]; then
	runs=1
else
	runs=${BENCH_RUNS:-3}
fi
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS: not a positive number: $runs"

flashsim=$B/bin/flashsim
cpubound=$B/bench/cpubound.elf
smp8=$B/bench/smp8.elf
host=$B/bench/bench-host

# ---- Build ------------------------------------------------------------------

log=$(mktemp -d "${TMPDIR:-/tmp}/bench.XXXXXX") || die "mktemp: failed"
trap 'rm -rf "$log"' EXIT

if ! $MAKE --no-print-directory B="$B" bench-programs >"$log/make" 2>&1; then
	cat "$log/make" >&2
	die "make bench-programs: failed"
fi
for f in "$flashsim" "$cpubound" "$smp8" "$host"; do
	[[ -f $f ]] || die "$f: missing after make bench-programs"
done

# ---- Helpers ----------------------------------------------------------------

# total_insns FILE: simulated instructions of every CPU in every mode.
if command -v python3 >/dev/null 2>&1; then
	total_insns() {
		python3 -c '
import json, sys
stats = json.load(open(sys.argv[1]))
print(sum(sum(cpu["insns"].values()) for cpu in stats["cpus"]))' "$1"
	}
elif command -v jq >/dev/null 2>&1; then
	total_insns() {
		jq '[.cpus[].insns | add] | add' "$1"
	}
else
	die "need python3 or jq to read flashsim --stats JSON"
fi

now() { date +%s.%N; }

# elapsed START END: seconds between two `now` readings.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }

# min A B
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (b < a ? b : a) }'; }

# checksum_of FILE: the XXXXXXXX of the "checksum XXXXXXXX" line.
checksum_of() { sed -n 's/^checksum \([0-9a-f]\{8\}\)$/\1/p' "$1" | tail -n 1; }

# median X...: the middle value (the mean of the two middle ones for an even count).
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# ---- Native baseline --------------------------------------------------------

# native_run: one run of the native program; its host seconds into $t, the
# best so far into $native_best.
native_best=
native_run() {
	local t0 t1 rc=0
	t0=$(now)
	"$host" >"$log/native.out" 2>&1 || rc=$?
	t1=$(now)
	if ((rc != 0)); then
		cat "$log/native.out" >&2
		wrong "$host: exited with status $rc"
	fi
	t=$(elapsed "$t0" "$t1")
	native_best=$(min "${native_best:-$t}" "$t")
}
for ((i = 0; i < runs; i++)); do
	native_run
done
want=$(checksum_of "$log/native.out")
[[ -n $want ]] || wrong "$host: printed no checksum"

# ---- Simulated runs ---------------------------------------------------------

# simulate NAME NODES CACHE(on|off) ENGINE ELF: best host seconds into
# $best, instructions into $insns, and the slowdown into $ratio: each
# simulated run is followed by a native one, and the slowdown is the median
# of the pairs' ratios, so that a stretch of time when the host runs slower
# (other tenants, clock changes) slows both sides of a ratio alike instead
# of only the simulated runs or only the native baseline. Checks the exit
# status and the checksum.
simulate() {
	local name=$1 nodes=$2 cache=$3 engine=$4 elf=$5 args=() rc got t0 t1 t ts ratios=()
	args=(--nodes "$nodes" --engine "$engine" --quiet --stats "$log/stats.json")
	[[ $cache == on ]] || args+=(--no-cache)
	best=
	for ((i = 0; i < runs; i++)); do
		rm -f "$log/stats.json"
		t0=$(now)
		rc=0
		"$flashsim" "${args[@]}" "$elf" >"$log/sim.out" 2>"$log/sim.err" ||
			rc=$?
		t1=$(now)
		if ((rc != 0)); then
			cat "$log/sim.out" "$log/sim.err" >&2
			wrong "$name (cache $cache, $engine): flashsim exited with status $rc"
		fi
		got=$(checksum_of "$log/sim.out")
		if [[ $got != "$want" ]]; then
			cat "$log/sim.out" >&2
			wrong "$name (cache $cache, $engine): checksum ${got:-missing}, native says $want"
		fi
		ts=$(elapsed "$t0" "$t1")
		best=$(min "${best:-$ts}" "$ts")
		native_run
		ratios+=("$(awk -v a="$ts" -v b="$t" 'BEGIN { printf "%.6f", a / b }')")
	done
	ratio=$(median "${ratios[@]}")
	insns=$(total_insns "$log/stats.json") ||
		die "$log/stats.json: cannot read the instruction counts"
}

engines="fast interp"
declare -A secs count slow
for spec in "cpubound 1 $cpubound" "smp8 8 $smp8"; do
	read -r name nodes elf <<<"$spec"
	for engine in $engines; do
		for cache in on off; do
			simulate "$name" "$nodes" "$cache" "$engine" "$elf"
			secs[$name.$engine.$cache]=$best
			count[$name.$engine.$cache]=$insns
			slow[$name.$engine.$cache]=$ratio
		done
	done
done

# Both engines run the same instructions (sim/tests/engines.sh checks every
# statistic; this is the one the figures use).
for name in cpubound smp8; do
	for cache in on off; do
		[[ ${count[$name.fast.$cache]} == "${count[$name.interp.$cache]}" ]] ||
			wrong "$name (cache $cache): the engines ran ${count[$name.fast.$cache]} and ${count[$name.interp.$cache]} instructions"
	done
done

# ---- Report -----------------------------------------------------------------

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null |
	head -n 1)
echo "Simulator speed: flashsim, best of $runs run(s) each, one host core"
echo "host: ${cpu_model:-unknown CPU}; native: gcc -O2, checksum $want"
echo
printf '%-9s %4s %-6s %5s %15s %9s %9s %9s\n' \
	program CPUs engine cache "sim insns" "host s" MIPS slowdown
for name in cpubound smp8; do
	nodes=1
	[[ $name == smp8 ]] && nodes=8
	for engine in $engines; do
		for cache in on off; do
			k=$name.$engine.$cache
			awk -v name="$name" -v nodes="$nodes" -v engine="$engine" \
				-v cache="$cache" -v n="${count[$k]}" -v s="${secs[$k]}" \
				-v slow="${slow[$k]}" 'BEGIN {
				printf "%-9s %4d %-6s %5s %15.0f %9.3f %9.1f %8.1fx\n",
					name, nodes, engine, cache, n, s, n / s / 1e6, slow
			}'
		done
	done
done
printf '%-9s %4s %-6s %5s %15s %9.3f\n' native 1 - - - "$native_best"
echo
for engine in $engines; do
	awk -v engine="$engine" \
		-v a="${secs[cpubound.$engine.on]}" -v b="${secs[cpubound.$engine.off]}" \
		-v c="${secs[smp8.$engine.on]}" -v d="${secs[smp8.$engine.off]}" 'BEGIN {
		printf "cache model cost, %s engine (host time, cache on / off): cpubound %.2fx, smp8 %.2fx\n",
			engine, a / b, c / d
	}'
done
awk -v a="${secs[cpubound.interp.on]}" -v b="${secs[cpubound.fast.on]}" \
	-v c="${secs[smp8.interp.on]}" -v d="${secs[smp8.fast.on]}" 'BEGIN {
	printf "fast engine speed-up (host time, interp / fast, cache on): cpubound %.2fx, smp8 %.2fx\n",
		a / b, c / d
}'
echo "MIPS: millions of simulated instructions per host second."
echo "engine: fast (the default) or interp (the reference interpreter, --engine interp);"
echo "both run the same instructions in the same simulated cycles."
echo "slowdown: simulated run's host time / native time for the same work, the"
echo "median over the runs of each simulated run against the native run made"
echo "right after it (for smp8, all 8 CPUs' work against one native core doing"
echo "all of it); host s and native: the best run."
echo "kit targets: >= 100 MIPS with the cache model on; within 10x of native"
echo "with the cache model on (SimOS's Embra: 7-20x with caches)."
