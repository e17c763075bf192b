#!/usr/bin/env bash
# guests/user/workloads/check.sh: the workloads at their small sizes on
# the Unix kernel, on 1, 2 and 8 CPUs (`make workloads-check`). Each run
# must halt with status 0 and print exactly expected-small.txt (the host
# builds' output, see host-check.sh) after the kernel's banner, so every
# checksum is the same on the host and on any number of CPUs.
#
# Environment: NODES (default "1 2 8"), SIMOPTS (extra flashsim options),
# B (build directory). Logs go to $B/test-logs/workloads/.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd) || exit 2
B=${B:-$here/../../../build}
LOGDIR=$B/test-logs/workloads
mkdir -p "$LOGDIR"
read -r -a simopts <<<"${SIMOPTS:-}"

failed=0
for n in ${NODES:-1 2 8}; do
    log=$LOGDIR/small-$n.log
    args=(-n "$n" -s "$LOGDIR/small-$n.json")
    [ ${#simopts[@]} -gt 0 ] && args+=(-- "${simopts[@]}" --)
    "$here/run.sh" "${args[@]}" \
        'pmake -j 2 -s small' 'engineering -s small' \
        'raytrace -s small' 'raytrace -s small -j 4' \
        'database -s small' 'database -s small' \
        'radix -s small' 'radix -s small -j 4' >"$log" 2>&1
    status=$?
    if [ $status != 0 ]; then
        echo "FAIL $n CPUs: status $status (see $log)"
        failed=$((failed + 1))
    elif ! grep -v '^unix: ' "$log" | diff -u "$here/expected-small.txt" - \
            >"$log.diff"; then
        echo "FAIL $n CPUs: output differs (see $log.diff)"
        failed=$((failed + 1))
    else
        echo "PASS $n CPUs"
    fi
done
[ $failed = 0 ]
