#!/usr/bin/env bash
# tools/run-scenarios.sh: whole-system scenarios for the monitor.
#
# Each reference/tests/scenarios/NAME.conf is a `disco` configuration; its
# header comments say what to expect:
#   # expect-status: N        disco's exit status (default 0)
#   # expect-stderr: TEXT     a line of stderr must contain TEXT (repeatable)
#   # valgrind: yes           run disco under Valgrind memcheck (must be clean)
# and NAME.out, if present, is the exact expected stdout (every VM's console,
# prefixed by its name): runs are deterministic, so any difference is a bug.
# In the .conf, @DATA@ stands for a scratch directory where each scenario
# gets a fresh 1 MB disk image, @DATA@/disk.img.
#
# Prints PASS or FAIL per scenario and "N passed, M failed"; exits 1 on any
# failure. Logs go to build/test-logs/scenarios/.
set -uo pipefail
cd "$(dirname "$0")/.."

DISCO=${DISCO:-build/bin/disco}
DIR=reference/tests/scenarios
LOGDIR=build/test-logs/scenarios
DATA=build/test-data/scenarios
TIMEOUT=${TIMEOUT:-600}

if [ ! -x "$DISCO" ]; then
    echo "run-scenarios: error: $DISCO: not built" >&2
    exit 2
fi
mkdir -p "$LOGDIR" "$DATA"
passed=0
failed=0

for conf in "$DIR"/*.conf; do
    name=$(basename "$conf" .conf)
    want_status=$(sed -n 's/^# expect-status: *//p' "$conf" | head -1)
    want_status=${want_status:-0}
    rm -rf "${DATA:?}/$name"
    mkdir -p "$DATA/$name"
    truncate -s 1M "$DATA/$name/disk.img"
    sed "s|@DATA@|$DATA/$name|g" "$conf" > "$DATA/$name/vms.conf"
    cmd=("$DISCO" "$DATA/$name/vms.conf")
    if grep -q '^# valgrind: yes' "$conf"; then
        cmd=(valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite "${cmd[@]}")
    fi
    timeout "$TIMEOUT" "${cmd[@]}" </dev/null >"$LOGDIR/$name.out" 2>"$LOGDIR/$name.err"
    status=$?
    why=""
    if [ "$status" != "$want_status" ]; then
        why="exit status $status, expected $want_status"
    elif [ -f "$DIR/$name.out" ] && ! diff -u "$DIR/$name.out" "$LOGDIR/$name.out" >"$LOGDIR/$name.diff"; then
        why="stdout differs from $name.out (see $LOGDIR/$name.diff)"
    else
        while IFS= read -r text; do
            if ! grep -qF -- "$text" "$LOGDIR/$name.err"; then
                why="stderr lacks: $text"
                break
            fi
        done < <(sed -n 's/^# expect-stderr: *//p' "$conf")
    fi
    if [ -z "$why" ]; then
        echo "PASS $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name: $why"
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
