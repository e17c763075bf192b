#!/usr/bin/env bash
# guests/splashos/check.sh: self-check of SPLASHOS and its radix sort
# (`make splashos-check`, from the repository root, after the programs
# are built).
#
# Runs radix.elf on 1, 2, 3, 4, 8 and 16 CPUs (16 nodes need 16 MB each:
# the machine's memory must stay below 496 MB), and once with CPUs switched
# every 7 cycles so that LL/SC races really happen. Each run must halt with
# status 0 and print the same checksum. With SPLASHOS_BIG=1 it runs
# radix-big.elf on 1 and 8 CPUs as well. If the monitor is built
# (build/bin/disco), radix-disco.elf runs in an 8-vCPU VM (radix.conf) and
# must print the same checksum again. Then fault.elf must stop with status
# 3 and a "fatal ... exception" message.
#
# Prints PASS/FAIL per run, exits 1 if anything failed. Logs go to
# build/test-logs/splashos/.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

FLASHSIM=${FLASHSIM:-build/bin/flashsim}
OUT=build/guests/splashos
LOGDIR=build/test-logs/splashos
mkdir -p "$LOGDIR"
failed=0
passed=0

# run NAME EXPECTED_STATUS ELF FLASHSIM_OPTIONS...
run() {
    local name=$1 want=$2 elf=$3
    shift 3
    "$FLASHSIM" --quiet --max-cycles 20000000000 "$@" "$elf" \
        </dev/null >"$LOGDIR/$name.log" 2>&1
    local got=$?
    if [ "$got" != "$want" ]; then
        echo "FAIL $name: status $got, expected $want (see $LOGDIR/$name.log)"
        failed=$((failed + 1))
        return 1
    fi
    return 0
}

# check_radix ELF CPUS... : same checksum on every CPU count.
check_radix() {
    local elf=$1 base ref=""
    base=$(basename "$elf" .elf)
    shift
    for spec in "$@"; do
        local n=${spec%%:*} opts=""
        [ "$spec" != "$n" ] && opts=${spec#*:}
        local name="$base-$n${opts:+-q}"
        local mem=32M
        [ "$n" -gt 8 ] && mem=16M
        # shellcheck disable=SC2086
        run "$name" 0 "$elf" --nodes "$n" --mem-per-node "$mem" $opts || continue
        local sum
        sum=$(sed -n 's/^radix: sorted, .*checksum \([0-9a-f]*\)$/\1/p' "$LOGDIR/$name.log")
        if [ -z "$sum" ]; then
            echo "FAIL $name: no checksum line"
            failed=$((failed + 1))
        elif [ -n "$ref" ] && [ "$sum" != "$ref" ]; then
            echo "FAIL $name: checksum $sum, $n CPUs; expected $ref"
            failed=$((failed + 1))
        else
            ref=$sum
            ref_small=${ref_small:-$sum}
            echo "PASS $name (checksum $sum)"
            passed=$((passed + 1))
        fi
    done
}

check_radix "$OUT/radix.elf" 1 2 3 4 8 16 "8:--quantum 7"
if [ "${SPLASHOS_BIG:-0}" = 1 ]; then
    check_radix "$OUT/radix-big.elf" 1 8
fi

# The same sort in an 8-vCPU virtual machine of the monitor, if built.
DISCO=${DISCO:-build/bin/disco}
if [ -x "$DISCO" ]; then
    "$DISCO" guests/splashos/radix.conf </dev/null >"$LOGDIR/disco.log" 2>&1
    status=$?
    sum=$(sed -n 's/^radix: radix: sorted, .*checksum \([0-9a-f]*\)$/\1/p' "$LOGDIR/disco.log")
    if [ $status = 0 ] && [ "$sum" = "$ref_small" ]; then
        echo "PASS radix-disco (checksum $sum)"
        passed=$((passed + 1))
    else
        echo "FAIL radix-disco: status $status, checksum '$sum' (see $LOGDIR/disco.log)"
        failed=$((failed + 1))
    fi
else
    echo "SKIP radix-disco: $DISCO not built"
fi

if run fault 3 "$OUT/fault.elf" --nodes 4; then
    if grep -q '^splashos: fatal TLBL exception .* on CPU 3' "$LOGDIR/fault.log"; then
        echo "PASS fault"
        passed=$((passed + 1))
    else
        echo "FAIL fault: no fatal exception message (see $LOGDIR/fault.log)"
        failed=$((failed + 1))
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
