#!/usr/bin/env bash
# sim/tests/engines.sh: the fast engine (sim/src/fast.c) gives the same runs
# as the reference interpreter (sim/src/exec.c), cycle for cycle.
#
# Every case runs twice, `--engine interp` and `--engine fast` (flashsim's
# option, or disco's for the kernel in a VM), and the two runs must agree byte
# for byte on the --stats JSON (cycles per category, instructions per mode,
# cache hits and misses, exceptions by cause, TLB, local and remote
# accesses, phase markers...), the console output and the exit status.
# The cases: the speed benchmark's programs (1 and 8 CPUs), the bare-metal
# test programs of sim/tests/guest (ISA, exceptions, TLB, timer, LL/SC
# races with a 7-cycle quantum, disk DMA, hot pages, console, double fault,
# cycle limit), each with the cache model on and off, and a few with other
# cache geometries and quanta; the Unix kernel
# booting and running its test programs natively on 2 CPUs (DMA into pages
# that held other programs' code, TLB refills, system calls); and the same
# kernel in a 2-vCPU virtual machine under the monitor.
#
# Prints PASS or FAIL per case and "N passed, M failed"; exits 1 if any
# case failed, 2 if something it needs is not built. Logs and images go to
# $B/test-logs/engines/. Environment: B (build directory, default build).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

B=${B:-build}
FLASHSIM=$B/bin/flashsim
DISCO=$B/bin/disco
ELFDIR=$B/guests/tests
KNATIVE=$B/guests/unix/kernel.elf
KDISCO=$B/guests/unix/kernel-disco.elf
UNIXIMG=$B/guests/unix/test.img
LOGS=$B/test-logs/engines

for f in "$FLASHSIM" "$B/bench/cpubound.elf" "$B/bench/smp8.elf" "$ELFDIR/isa.elf"; do
	[ -e "$f" ] || { echo "engines: error: $f: not built (make all bench-programs)" >&2; exit 2; }
done
rm -rf "$LOGS"
mkdir -p "$LOGS"

passed=0
failed=0

# compare NAME: the interp and fast runs of case NAME agree.
compare() {
	local name=$1 what
	for what in status out json; do
		if ! cmp -s "$LOGS/$name.interp.$what" "$LOGS/$name.fast.$what"; then
			echo "FAIL $name: the engines' $what differ ($LOGS/$name.{interp,fast}.$what)"
			failed=$((failed + 1))
			return
		fi
	done
	if [ ! -s "$LOGS/$name.fast.json" ]; then
		echo "FAIL $name: no statistics written ($LOGS/$name.fast.err)"
		failed=$((failed + 1))
		return
	fi
	echo "PASS $name (exit status $(cat "$LOGS/$name.fast.status"))"
	passed=$((passed + 1))
}

# sim NAME ELF OPTIONS...: flashsim under both engines.
sim() {
	local name=$1 elf=$2 engine
	shift 2
	for engine in interp fast; do
		local base=$LOGS/$name.$engine
		rm -f "$LOGS/disk0.img"
		truncate -s 1M "$LOGS/disk0.img" # a fresh zero disk for the disk test
		"$FLASHSIM" --engine "$engine" --quiet --stats "$base.json" "$@" "$elf" \
			</dev/null >"$base.out" 2>"$base.err"
		echo $? >"$base.status"
	done
	compare "$name"
}

# program  flashsim options (the cache model on, then off)
CASES=(
	"cpubound     --nodes 1"
	"smp8         --nodes 8"
	"isa          --nodes 1"
	"exceptions   --nodes 1"
	"tlb          --nodes 1"
	"timer        --nodes 1"
	"smp_spinlock --nodes 8 --quantum 7"
	"disk         --nodes 2 --disk $LOGS/disk0.img"
	"hotpage      --nodes 2"
	"console      --nodes 1"
	"doublefault  --nodes 1"
	"spin         --nodes 1 --max-cycles 100000"
)
for line in "${CASES[@]}"; do
	read -r prog options <<<"$line"
	elf=$ELFDIR/$prog.elf
	[ -e "$B/bench/$prog.elf" ] && elf=$B/bench/$prog.elf
	if [ ! -e "$elf" ]; then
		echo "FAIL $prog: $elf not built"
		failed=$((failed + 1))
		continue
	fi
	# shellcheck disable=SC2086 # options are words
	sim "$prog" "$elf" $options
	# shellcheck disable=SC2086
	sim "$prog-nocache" "$elf" --no-cache $options
done

# Other cache geometries (the fast engine's loads and stores have their own
# path only for the default 2 ways).
sim smp_spinlock-4way "$ELFDIR/smp_spinlock.elf" --nodes 8 --quantum 7 --cache-assoc 4 --cache-line 64
sim hotpage-1way "$ELFDIR/hotpage.elf" --nodes 2 --cache-assoc 1 --cache-size 64K

# The Unix kernel, natively and in a VM, on copies of its test image.
if [ -e "$KNATIVE" ] && [ -e "$UNIXIMG" ]; then
	for engine in interp fast; do
		cp "$UNIXIMG" "$LOGS/unix.$engine.img"
		"$FLASHSIM" --engine "$engine" --quiet --nodes 2 --disk "$LOGS/unix.$engine.img" \
			--max-cycles 20000000000 --stats "$LOGS/unix.$engine.json" "$KNATIVE" \
			</dev/null >"$LOGS/unix.$engine.out" 2>"$LOGS/unix.$engine.err"
		echo $? >"$LOGS/unix.$engine.status"
	done
	compare unix
else
	echo "FAIL unix: $KNATIVE or $UNIXIMG not built"
	failed=$((failed + 1))
fi
if [ -e "$DISCO" ] && [ -e "$KDISCO" ] && [ -e "$UNIXIMG" ]; then
	for engine in interp fast; do
		cp "$UNIXIMG" "$LOGS/vm.$engine.img"
		printf '[machine]\nnodes = 3\nmem_per_node = 64M\n[monitor]\nhalpage = on\n' \
			>"$LOGS/vm.$engine.conf"
		printf '[vm vm]\ncpus = 2\nmemory = 64M\nkernel = %s\ndisk = %s\n' \
			"$KDISCO" "$LOGS/vm.$engine.img" >>"$LOGS/vm.$engine.conf"
		"$DISCO" --engine "$engine" --stats "$LOGS/vm.$engine.json" \
			--max-cycles 20000000000 "$LOGS/vm.$engine.conf" \
			</dev/null >"$LOGS/vm.$engine.out" 2>"$LOGS/vm.$engine.err"
		echo $? >"$LOGS/vm.$engine.status"
	done
	compare vm
else
	echo "FAIL vm: $DISCO, $KDISCO or $UNIXIMG not built"
	failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
