#!/usr/bin/env bash
# tools/run-guest-tests.sh: run the bare-metal test programs of
# sim/tests/guest under flashsim and check each one's exit status (the
# guest's HALT value; flashsim's own codes are 2 usage error, 124 cycle
# limit, 125 double fault, 126 deadlock).
#
# Prints PASS or FAIL per run and a last line "N passed, M failed"; exits 1
# if anything failed. Logs go to build/test-logs/guest/. Run by `make test`,
# from the repository root, after the programs and flashsim are built.
#
# Environment: FLASHSIM (default build/bin/flashsim), TIMEOUT seconds per
# run (default 600).
set -uo pipefail
cd "$(dirname "$0")/.."

FLASHSIM=${FLASHSIM:-build/bin/flashsim}
ELFDIR=build/guests/tests
LOGDIR=build/test-logs/guest
DATADIR=build/test-data
TIMEOUT=${TIMEOUT:-600}
MAX_CYCLES=500000000      # a hung test stops here (status 124), not never

# program       expect  how       flashsim options
# (--quantum 7 switches CPUs every 7 cycles, so LL/SC races really happen)
TESTS=(
  "isa            0     plain     --nodes 1"
  "exceptions     0     plain     --nodes 1"
  "tlb            0     plain     --nodes 1"
  "timer          0     plain     --nodes 1"
  "smp_spinlock   0     plain     --nodes 8"
  "smp_spinlock   0     plain     --nodes 8 --quantum 7"
  "disk           0     plain     --nodes 2 --disk $DATADIR/disk0.img"
  "hotpage        0     plain     --nodes 2"
  "console        0     plain     --nodes 1"
  "halt3          3     plain     --nodes 1"
  "gdb_target     0     plain     --nodes 2"
  "doublefault  125     plain     --nodes 1"
  "spin         124     plain     --nodes 1 --max-cycles 100000"
  "smp_spinlock   0     valgrind  --nodes 8"
)

if [ ! -x "$FLASHSIM" ]; then
    echo "run-guest-tests: error: $FLASHSIM: not built (make $FLASHSIM)" >&2
    exit 2
fi
mkdir -p "$LOGDIR" "$DATADIR"

passed=0
failed=0

fail() {
    echo "FAIL $1"
    failed=$((failed + 1))
}

# Every program built must have a line in the table.
for elf in "$ELFDIR"/*.elf; do
    name=$(basename "$elf" .elf)
    listed=no
    for line in "${TESTS[@]}"; do
        [ "${line%% *}" = "$name" ] && listed=yes
    done
    [ $listed = yes ] || fail "$name (no line in the table of $0)"
done

row=0
for line in "${TESTS[@]}"; do
    read -r name expect how options <<<"$line"
    row=$((row + 1))
    elf=$ELFDIR/$name.elf
    log=$LOGDIR/$(printf %02d "$row")-$name.log
    label="$name ($options)"
    if [ ! -f "$elf" ]; then
        fail "$name ($elf not built)"
        continue
    fi
    # A fresh, all-zero 1 MB disk for every run.
    rm -f "$DATADIR/disk0.img"
    truncate -s 1M "$DATADIR/disk0.img"

    case $options in *--max-cycles*) cycles=() ;; *) cycles=(--max-cycles "$MAX_CYCLES") ;; esac
    # shellcheck disable=SC2086 # options are words on purpose
    cmd=("$FLASHSIM" "${cycles[@]}" $options "$elf")
    if [ "$how" = valgrind ]; then
        label="$name under valgrind ($options)"
        cmd=(valgrind -q --error-exitcode=99 --leak-check=full "${cmd[@]}")
    fi
    # SIGKILL on timeout: its status (137) cannot be mistaken for 124.
    timeout -s KILL "$TIMEOUT" "${cmd[@]}" </dev/null >"$log" 2>&1
    status=$?
    if [ "$status" -eq "$expect" ]; then
        echo "PASS $label"
        passed=$((passed + 1))
    else
        fail "$label: exit status $status, expected $expect (log: $log)"
        tail -n 20 "$log" | sed 's/^/    | /'
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
