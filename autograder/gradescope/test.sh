#!/usr/bin/env bash
# autograder/gradescope/test.sh: the Gradescope package end to end, outside
# Gradescope. Builds lab 1's zip (make gradescope LAB=1), checks its
# listing, unpacks it into a fake /autograder (AUTOGRADER_ROOT, in a temp
# folder) as Gradescope lays it out, runs its setup.sh without the package
# installation (GRADESCOPE_SKIP_DEPS=1), then its run_autograder:
#   - on the reference's emulate.c at its path: full marks, every hidden
#     test visible only after the due date;
#   - on an empty submission: a valid results.json scoring 0;
#   - on a broken tarball, which the grader refuses: the same, saying what
#     to submit;
#   - with a stand-in grader (a script in the temp tree, so no build): a
#     flat submission, or one a folder down, reaches the grader at its
#     allow-listed path (not when two files have the name, never through a
#     linked folder), a lone tarball is passed as the tarball, and a grader
#     that fails (with or without results written) still leaves a valid
#     results.json.
# Prints "ok - CHECK" or "FAIL - CHECK" per check; exits 1 if any failed.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel) || exit 1
cd "$root" || exit 1

failed=0
ok() { echo "ok - $1"; }
fail() { echo "FAIL - $1"; failed=1; }
check() {
    local name=$1
    shift
    if "$@"; then ok "$name"; else fail "$name"; fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gradescope-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
t0=$(date +%s)
elapsed() { echo "$(( $(date +%s) - t0 )) s"; }

# ---- The zip ------------------------------------------------------------------

out=$(make --no-print-directory gradescope 2>&1)
status=$?
check "make gradescope without LAB exits 2" test "$status" -eq 2
check "make gradescope without LAB says which variable" \
    grep -qx "make: error: gradescope: say which lab, LAB=N" <<<"$out"

zip=build/gradescope/lab1.zip
if ! make --no-print-directory gradescope LAB=1 >"$tmp/make.log" 2>&1 || [ ! -f "$zip" ]; then
    fail "make gradescope LAB=1 builds $zip"
    cat "$tmp/make.log"
    exit 1
fi
ok "make gradescope LAB=1 builds $zip"

# The listing, and the modes of the two scripts, from python3's zipfile.
python3 - "$zip" >"$tmp/listing" <<'EOF'
import stat, sys, zipfile
for i in zipfile.ZipFile(sys.argv[1]).infolist():
    mode = i.external_attr >> 16
    print(("x" if mode & stat.S_IXUSR else "-") + " " + i.filename)
EOF
listed() { grep -qxF -- "$1 $2" "$tmp/listing"; }
check "zip: setup.sh at the top, executable" listed x setup.sh
check "zip: run_autograder at the top, executable" listed x run_autograder
check "zip: .gradescope-lab at the top" listed - .gradescope-lab
check "zip: labs/lab1-trap/lab.json" listed - labs/lab1-trap/lab.json
check "zip: autograder/hidden/lab1/tests.json" listed - autograder/hidden/lab1/tests.json
check "zip: no .ci/ and no build/" \
    test "$(cut -c3- "$tmp/listing" | grep -cE '^(\.ci|build)(/|$)')" -eq 0
check "zip: every file git tracks outside .ci/ and build/" test -z "$(
    comm -23 <(git ls-files | grep -vE '^(\.ci|build)/' | while read -r f; do [ -e "$f" ] && echo "$f"; done | sort) \
             <(cut -c3- "$tmp/listing" | sort))"

# ---- A fake /autograder ---------------------------------------------------------

# Gradescope unpacks the zip into /autograder/source, runs setup.sh from
# there, and copies run_autograder to /autograder/run_autograder.
ag=$tmp/autograder
mkdir -p "$ag/source" "$ag/submission" "$ag/results"
if command -v unzip >/dev/null; then
    (cd "$ag/source" && unzip -q "$root/$zip")
else
    (cd "$ag/source" && python3 -c '
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for i in z.infolist():
        z.extract(i)
        if i.external_attr >> 16:
            os.chmod(i.filename, (i.external_attr >> 16) & 0o7777)
' "$root/$zip")
fi
cp "$ag/source/run_autograder" "$ag/run_autograder"
check "unpacked: source/labs/lab1-trap/lab.json" test -f "$ag/source/labs/lab1-trap/lab.json"
check "unpacked: source/autograder/hidden/lab1/tests.json" \
    test -f "$ag/source/autograder/hidden/lab1/tests.json"
check "unpacked: source/.gradescope-lab holds 1" test "$(cat "$ag/source/.gradescope-lab")" = 1

if ! (cd "$ag/source" && AUTOGRADER_ROOT=$ag GRADESCOPE_SKIP_DEPS=1 ./setup.sh) >"$tmp/setup.log" 2>&1; then
    fail "setup.sh (without the packages) builds the grader"
    tail -n 30 "$tmp/setup.log"
    exit 1
fi
check "setup.sh (without the packages) builds the grader" test -x "$ag/source/build/bin/grade"
check "setup.sh makes source/ a git work tree of exactly the kit's files" test \
    "$(cd "$ag/source" && git ls-files | sort)" = "$(tr '\0' '\n' <"$ag/source/.gradescope-files" | sort)"
echo "# setup done after $(elapsed)"

# What results.json says, as "SCORE MAXSUM NTESTS", or nothing if invalid.
summary() {
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
tests = d.get("tests", [])
score = d["score"] if "score" in d else sum(t.get("score", 0) for t in tests)
print(score, sum(t.get("max_score", 0) for t in tests), len(tests))
' "$1" 2>/dev/null
}

run() { # run_autograder as Gradescope would, its log in $tmp/$1.log
    local log=$tmp/$1.log
    rm -rf "$ag/results" && mkdir -p "$ag/results"
    (cd "$ag" && AUTOGRADER_ROOT=$ag ./run_autograder) >"$log" 2>&1
}
show() { # the tests that lost points, or the log's end if there are none
    echo "--- $1"
    python3 -c '
import json, sys
lost = [t for t in json.load(open(sys.argv[1])).get("tests", [])
        if t.get("score", 0) != t.get("max_score", 0)]
for t in lost:
    print("  %s: %s/%s" % (t.get("name"), t.get("score"), t.get("max_score")))
    for line in (t.get("output") or "").splitlines()[:12]:
        print("      " + line)
sys.exit(0 if lost else 1)
' "$res" 2>/dev/null || tail -n 25 "$tmp/$1.log"
}

# ---- The reference, at its path: full marks --------------------------------------

mkdir -p "$ag/submission/reference/src"
cp reference/src/emulate.c "$ag/submission/reference/src/emulate.c"
run reference
status=$?
res=$ag/results/results.json
check "reference: run_autograder exits 0" test "$status" -eq 0
read -r score maxsum ntests < <(summary "$res") || true
if [ -n "${ntests:-}" ]; then
    ok "reference: results.json is valid JSON ($ntests tests)"
else
    fail "reference: results.json is valid JSON"
    show reference
fi
full_marks() {
    python3 -c 'import sys; s, m = map(float, sys.argv[1:]); sys.exit(0 if m > 0 and s == m else 1)' \
        "${score:-0}" "${maxsum:-0}"
}
check "reference: score ${score:-?} == sum of max_score ${maxsum:-?} > 0" full_marks
# Every hidden test (autograder/hidden/lab1/tests.json) after the due date,
# every other visible.
check "reference: hidden tests after_due_date, the others not" python3 -c '
import json, sys
hidden = {t["name"] for t in json.load(open(sys.argv[2]))["tests"]}
tests = json.load(open(sys.argv[1]))["tests"]
names = {t.get("name") for t in tests}
bad = [t.get("name") for t in tests
       if (t.get("name") in hidden) != (t.get("visibility") == "after_due_date")]
missing = hidden - names
if bad or missing:
    print("  wrong visibility:", bad, "hidden tests missing:", sorted(missing))
sys.exit(1 if bad or missing or not hidden else 0)
' "$res" autograder/hidden/lab1/tests.json
full_marks || show reference
echo "# reference graded after $(elapsed)"

# ---- An empty submission: score 0 ---------------------------------------------------

rm -rf "$ag/submission" && mkdir -p "$ag/submission"
run empty
status=$?
check "empty: run_autograder exits 0" test "$status" -eq 0
read -r score maxsum ntests < <(summary "$res") || true
check "empty: results.json is valid JSON" test -n "${ntests:-}"
zero() { python3 -c 'import sys; sys.exit(float(sys.argv[1]) != 0)' "${score:-1}"; }
check "empty: score ${score:-?} == 0" zero
zero || show empty
echo "# empty graded after $(elapsed)"

# ---- A submission the grader refuses: a score of 0 that says what to submit -----

rm -rf "$ag/submission" && mkdir -p "$ag/submission"
echo "not a tarball" >"$ag/submission/lab1.tar.gz"
run refused
status=$?
read -r score maxsum ntests < <(summary "$res") || true
check "refused (a broken tarball): run_autograder exits 0 with a valid results.json scoring 0" \
    eval 'test "$status" -eq 0 && zero'
check "refused: the output names the file to submit" grep -q "reference/src/emulate.c" "$res"
zero || show refused

# ---- A stand-in grader: how run_autograder passes submissions and failures ----------

# The stand-in records its arguments and where the submission's emulate.c
# is, then behaves as $STANDIN says: ok (results, exit 0), fail (exit 1,
# nothing written), partial (results written, then exit 1), silent (exit 0,
# nothing written).
mv "$ag/source/autograder/grade" "$tmp/grade.real"
cat >"$ag/source/autograder/grade" <<'EOF'
#!/usr/bin/env bash
results= sub=
while [ $# -gt 0 ]; do
    case $1 in
        --results) results=$2; shift 2 ;;
        --lab) shift 2 ;;
        *) sub=$1; shift ;;
    esac
done
echo "$sub" >"$STANDIN_LOG"
[ -f "$sub/reference/src/emulate.c" ] && echo "at-path $(cksum <"$sub/reference/src/emulate.c")" >>"$STANDIN_LOG"
case $STANDIN in
    ok | partial)
        printf '{"score": 3, "tests": [{"name": "a", "score": 3, "max_score": 4, "output": "x"}]}\n' >"$results"
        [ "$STANDIN" = ok ] ;;
    fail) exit 1 ;;
    silent) exit 0 ;;
esac
EOF
chmod +x "$ag/source/autograder/grade"
standin() { # standin BEHAVIOUR NAME
    STANDIN=$1 STANDIN_LOG=$tmp/$2.args run "$2"
}
want_sum=$(cksum <reference/src/emulate.c)

rm -rf "$ag/submission" && mkdir -p "$ag/submission"
cp reference/src/emulate.c "$ag/submission/emulate.c"
standin ok flat
check "flat: emulate.c at the top reaches the grader as reference/src/emulate.c" \
    grep -qxF "at-path $want_sum" "$tmp/flat.args"
check "flat: the submission folder itself is left as it was" \
    test ! -e "$ag/submission/reference" -a -f "$ag/submission/emulate.c"
check "flat: the staged copy is removed afterwards" test ! -e "$(head -n 1 "$tmp/flat.args")"
read -r score maxsum ntests < <(summary "$res") || true
check "flat: the grader's results.json is kept" test "${score:-}" = 3

# A zip of the student's folder: Gradescope unpacks it one level down.
rm -rf "$ag/submission" && mkdir -p "$ag/submission/my-lab1/reference/src"
cp reference/src/emulate.c "$ag/submission/my-lab1/reference/src/emulate.c"
standin ok nested
check "nested: the one emulate.c in a subfolder reaches the grader at its path" \
    grep -qxF "at-path $want_sum" "$tmp/nested.args"

# Two files of that name: neither is guessed.
mkdir -p "$ag/submission/old/reference/src"
echo "int x;" >"$ag/submission/old/reference/src/emulate.c"
standin ok ambiguous
check "ambiguous: with two emulate.c in subfolders, neither is taken" \
    eval '! grep -q "^at-path" "$tmp/ambiguous.args"'

# A folder of the path that is a symbolic link must not be written through.
rm -rf "$ag/submission" && mkdir -p "$ag/submission" "$tmp/outside"
ln -s "$tmp/outside" "$ag/submission/reference"
cp reference/src/emulate.c "$ag/submission/emulate.c"
standin ok symlink
check "symlink: a flat file is not written through a linked folder" \
    test -z "$(find "$tmp/outside" -type f)"

rm -rf "$ag/submission" && mkdir -p "$ag/submission/x/reference/src"
cp reference/src/emulate.c "$ag/submission/x/reference/src/emulate.c"
tar -C "$ag/submission/x" -czf "$ag/submission/lab1.tar.gz" reference && rm -rf "$ag/submission/x"
standin ok tarball
check "tarball: a lone tarball is passed to the grader as the tarball" \
    grep -qx "$ag/submission/lab1.tar.gz" "$tmp/tarball.args"

rm -rf "$ag/submission" && mkdir -p "$ag/submission"
for how in fail silent; do
    standin "$how" "$how"
    status=$?
    read -r score maxsum ntests < <(summary "$res") || true
    check "grader $how: run_autograder exits 0 with a valid results.json scoring 0" \
        eval 'test "$status" -eq 0 && zero'
    check "grader $how: the output asks the student to contact the staff" \
        grep -q "contact the course staff" "$res"
done
standin partial partial
read -r score maxsum ntests < <(summary "$res") || true
check "grader fails after writing results: they are kept, with a note" \
    test "${score:-x}" = 3 -a "$(grep -c "contact the course staff" "$res")" -ge 1
mv "$tmp/grade.real" "$ag/source/autograder/grade"

echo "# done after $(elapsed)"
exit "$failed"
