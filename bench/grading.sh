#!/usr/bin/env bash
# bench/grading.sh: how long the autograder takes to grade one submission
# of each lab (the labs issue asks for at most 2 minutes per lab on a
# 2-core machine). For each labs/labN-*/lab.json, the reference's own copies
# of the lab's files are graded once, hidden tests included, with the
# grader's default --jobs 2, and the wall time, the score and the time of
# the build step are printed. Figures only: this is a benchmark, not a test
# (tools/check-labs.sh checks the scores).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$top"
command -v jq >/dev/null || { echo "grading: error: jq not found (make deps)" >&2; exit 2; }
make -s build/bin/grade || exit 2
out=build/bench/grading
rm -rf "$out"
mkdir -p "$out"

printf '%-6s %-10s %10s %12s\n' lab score seconds "limit (s)"
for json in labs/lab*/lab.json; do
    n=$(jq -r .lab "$json")
    sub=$out/lab$n.sub
    while read -r f; do
        mkdir -p "$sub/$(dirname "$f")"
        cp "$f" "$sub/$f"
    done < <(jq -r '.files[]' "$json")
    start=$(date +%s.%N)
    autograder/grade --lab "$n" --results "$out/lab$n.json" "$sub" >"$out/lab$n.txt" 2>&1
    end=$(date +%s.%N)
    score=$(jq -r '"\(.score)/\([.tests[].max_score] | add)"' "$out/lab$n.json" 2>/dev/null)
    printf '%-6s %-10s %10.1f %12s\n' "$n" "${score:-none}" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" 120
done
echo "(reports in $out/labN.txt)"
