#!/usr/bin/env bash
# guests/user/workloads/host-check.sh: run the host builds of the workloads
# (`make workloads-host-check`) at their small sizes and compare what they
# print with expected-small.txt, the output the guest programs must print
# too, on any number of CPUs. raytrace runs with 1 and 4 threads; database
# runs twice (the first run builds its indexes, the second finds them);
# radix with 1 and 4 threads.
#
# With --update it rewrites expected-small.txt instead (after a deliberate
# change of a workload). Exits 1 on a difference, 2 if it cannot run.
set -uo pipefail
cd "$(dirname "$0")/../../.." || exit 2

B=${B:-build}
BIN=$B/host/workloads
GEN=$B/tools/wlgen
EXPECTED=guests/user/workloads/expected-small.txt
for p in pmake cc ld engineering raytrace database radix; do
    [ -x "$BIN/$p" ] || { echo "host-check: error: $BIN/$p: not built" >&2; exit 2; }
done

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
"$GEN" "$root" -p 12 -d 5000 || exit 2
mkdir -p "$root/tmp"
out=$root/output.txt

export WL_ROOT=$root WL_BIN=$BIN
{
    "$BIN/pmake" -j 2 -s small
    "$BIN/engineering" -s small
    WL_NCPUS=1 "$BIN/raytrace" -s small
    WL_NCPUS=4 "$BIN/raytrace" -s small
    "$BIN/database" -s small
    "$BIN/database" -s small
    WL_NCPUS=1 "$BIN/radix" -s small
    "$BIN/radix" -s small -j 4
} >"$out" 2>&1 || { cat "$out"; echo "host-check: a workload failed"; exit 1; }

if [ "${1:-}" = --update ]; then
    cp "$out" "$EXPECTED"
    echo "host-check: wrote $EXPECTED"
    exit 0
fi
if diff -u "$EXPECTED" "$out"; then
    echo "host-check: PASS ($(wc -l <"$out") lines as expected)"
else
    echo "host-check: FAIL: output differs from $EXPECTED"
    exit 1
fi
