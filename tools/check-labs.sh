#!/usr/bin/env bash
# tools/check-labs.sh: every lab of the kit, as an instructor will use it
# (`make check-labs`, part of `make test`). For each labs/labN-*/lab.json
# (found by glob: nothing here names a lab):
#   1. the reference's own copies of the lab's files get full marks through
#      autograder/grade, hidden tests included;
#   2. an empty submission (so the starter's stubs: tools/lab-release.sh)
#      scores 0 on every feature test and passes every baseline test;
#   3. each known-wrong variant, autograder/hidden/labN/variants/*.patch
#      (a plausible student bug, made by patching the reference), gets
#      partial credit: more than 0, less than full marks;
#   4. the released tree (`make lab-release LAB=N`) has its `make grade`,
#      which runs the public tests with the same harness and shows 0.
# Prints ok/FAIL per check and "N passed, M failed"; exits 1 on a failure.
# Logs and results go to build/test-logs/check-labs/. JOBS gradings run at
# once (default 2, each building with make -j1); LABS="1 2" limits the labs.
#
# The starter of each lab is graded first, from a clean build, as every
# grading is; the lab's other gradings then start from the starter's build
# (grade --reuse-build): their submitted files are newer than its objects,
# so make compiles those and what depends on them, and links, which is all
# a full build would do differently. A grading that compiled nothing of its
# submission would score as the starter does, 0: the reference and every
# variant would fail their checks here. (bench/grading.sh times full builds.)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
LOGS=$root/build/test-logs/check-labs
JOBS=${JOBS:-2}
rm -rf "$LOGS"
mkdir -p "$LOGS"

passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }

command -v jq >/dev/null || { echo "check-labs: error: jq not found (make deps installs it)" >&2; exit 2; }
make -s build/bin/grade || { echo "check-labs: error: the grader does not build" >&2; exit 2; }

# grade LABEL LAB SUBMISSION: one grading run in the background, its report
# in $LOGS/LABEL.txt and its results in $LOGS/LABEL.json.
pids=()
# Further arguments go to the grader first.
grade() {
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
    autograder/grade --lab "$2" --jobs 1 --results "$LOGS/$1.json" "${@:4}" "$3" \
        >"$LOGS/$1.txt" 2>&1 &
}

# The labs, by number, and each one's lab.json.
labs=()
declare -A json_of
for json in labs/lab*/lab.json; do
    n=$(jq -r .lab "$json")
    if [ -n "${LABS:-}" ] && [[ " $LABS " != *" $n "* ]]; then continue; fi
    labs+=("$n")
    json_of[$n]=$json
done
[ ${#labs[@]} -gt 0 ] || { echo "check-labs: error: no labs/lab*/lab.json" >&2; exit 2; }

# 2. Nothing submitted: the starter, each lab's from a clean build, its
# work folder kept for the lab's other gradings.
for n in "${labs[@]}"; do
    mkdir -p "$LOGS/lab$n-starter.sub"
    grade "lab$n-starter" "$n" "$LOGS/lab$n-starter.sub" --keep
done
wait
declare -A reuse
kept=()
for n in "${labs[@]}"; do
    w=$(sed -n 's/^grade: work folder kept: //p' "$LOGS/lab$n-starter.txt")
    [ -n "$w" ] && kept+=("$w")
    reuse[$n]=
    [ -n "$w" ] && [ -d "$w/tree/build/bin" ] && reuse[$n]=$w/tree
done

# Start every other grading run; check them all once they are done.
for n in "${labs[@]}"; do
    json=${json_of[$n]}
    mapfile -t files < <(jq -r '.files[]' "$json")
    from=()
    [ -n "${reuse[$n]}" ] && from=(--reuse-build "${reuse[$n]}")
    # 1. The reference's files.
    sub=$LOGS/lab$n-reference.sub
    for f in "${files[@]}"; do mkdir -p "$sub/$(dirname "$f")"; cp "$f" "$sub/$f"; done
    grade "lab$n-reference" "$n" "$sub" "${from[@]}"
    # 3. The known-wrong variants.
    for p in autograder/hidden/lab"$n"/variants/*.patch; do
        [ -e "$p" ] || continue
        v=lab$n-variant-$(basename "$p" .patch)
        cp -r "$sub" "$LOGS/$v.sub"
        if ! patch -s -d "$LOGS/$v.sub" -p1 <"$p" >"$LOGS/$v.patch.log" 2>&1; then
            echo "cannot apply $p" >"$LOGS/$v.txt"
            continue
        fi
        grade "$v" "$n" "$LOGS/$v.sub" "${from[@]}"
    done
    # 4. The released tree's own `make grade`.
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
    ( tools/lab-release.sh "$n" "$LOGS/lab$n-release" >/dev/null &&
      cd "$LOGS/lab$n-release" && make -s grade ) >"$LOGS/lab$n-release.txt" 2>&1 &
done
wait
for w in "${kept[@]}"; do rm -rf "$w"; done

# score LABEL [FIELD]: the total score, or max_score, of a results file.
score() { jq -r '.score' "$LOGS/$1.json" 2>/dev/null; }
max_score() { jq -r '[.tests[].max_score] | add' "$LOGS/$1.json" 2>/dev/null; }

for n in "${labs[@]}"; do
    json=${json_of[$n]}
    # 1.
    r=lab$n-reference
    if [ -s "$LOGS/$r.json" ] && [ "$(score $r)" = "$(max_score $r)" ] && [ "$(max_score $r)" != 0 ]; then
        ok "lab $n: the reference scores full marks ($(score $r)/$(max_score $r))"
    else
        fail "lab $n: the reference scores $(score $r)/$(max_score $r), not full marks (see $LOGS/$r.txt)"
    fi
    # 2.
    s=lab$n-starter
    mapfile -t baseline < <(jq -r '.tests[] | select(.baseline == true) | .name' "$json")
    if [ ! -s "$LOGS/$s.json" ]; then
        fail "lab $n: the starter was not graded (see $LOGS/$s.txt)"
    else
        nonzero=$(jq -r --argjson b "$(jq '[.tests[] | select(.baseline == true) | .name]' "$json")" \
            '.tests[] | select((.name as $n | $b | index($n)) == null) | select(.score != 0) | .name' "$LOGS/$s.json")
        if [ -z "$nonzero" ]; then
            ok "lab $n: the starter scores 0 on every feature test"
        else
            fail "lab $n: the starter scores points on: $(echo $nonzero) (see $LOGS/$s.txt)"
        fi
        for b in "${baseline[@]}"; do
            st=$(jq -r --arg n "$b" '.tests[] | select(.name == $n) | .status' "$LOGS/$s.json")
            if [ "$st" = passed ]; then
                ok "lab $n: the starter passes the baseline test '$b'"
            else
                fail "lab $n: the starter fails the baseline test '$b' ($st; see $LOGS/$s.txt)"
            fi
        done
    fi
    # 3.
    nvar=0
    for p in autograder/hidden/lab"$n"/variants/*.patch; do
        [ -e "$p" ] || continue
        nvar=$((nvar + 1))
        v=lab$n-variant-$(basename "$p" .patch)
        sc=$(score "$v")
        mx=$(max_score "$v")
        if [ -n "$sc" ] && [ "$sc" != null ] && awk -v s="$sc" -v m="$mx" 'BEGIN { exit !(s > 0 && s < m) }'; then
            ok "lab $n: variant $(basename "$p" .patch) gets partial credit ($sc/$mx)"
        else
            fail "lab $n: variant $(basename "$p" .patch) scores ${sc:-nothing}/$mx, not partial credit (see $LOGS/$v.txt)"
        fi
    done
    if [ "$nvar" -ge 2 ]; then
        ok "lab $n: $nvar known-wrong variants"
    else
        fail "lab $n: $nvar known-wrong variants in autograder/hidden/lab$n/variants (at least 2)"
    fi
    # 4.
    rel=$LOGS/lab$n-release
    if [ -e "$rel/autograder/hidden" ] || [ -e "$rel/tools/lab-release.sh" ] || [ -e "$rel/.ci" ] ||
        ls "$rel"/labs/*/README.md >/dev/null 2>&1; then
        fail "lab $n: the released tree holds hidden tests, the generator or .ci"
    else
        ok "lab $n: the released tree holds no hidden tests and no generator"
    fi
    if grep -qE '^total: 0(\.0+)?/' "$LOGS/lab$n-release.txt"; then
        ok "lab $n: make grade in the released tree shows the starter's 0"
    else
        fail "lab $n: make grade in the released tree does not show a score of 0 (see $LOGS/lab$n-release.txt)"
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
