#!/usr/bin/env bash
# autograder/tests/run.sh: the autograder's own tests. Prints ok/FAIL per
# check and exits 1 if any failed. Takes about 2-3 minutes on 2 cores.
#
# Most checks run against a fixture kit: a copy of this kit (the files git
# tracks) made a git repository of its own, whose lab 1 is
# autograder/tests/fixture/lab.json (a few quick tests, short walls), with
# the hidden tests of fixture/hidden, and the kit's own tamper canary
# (reference/tests/test_grader.c, failing when the grader runs it).
# One pristine build (the starter's grading, kept) is reused by the other
# gradings (--reuse-build) so that each costs seconds, not a full build.
#   - lab.json validation: bad type, unknown key, requires naming no test,
#     duplicate name, cycle: exit 2 naming the file and the key
#   - submissions: starter (empty folder: file reported missing), the
#     reference (full marks), a git repository, a tarball with a '..'
#     member and one with a symlink (refused), a folder whose file is a
#     symlink (not used)
#   - attacks from autograder/tests/attacks/*.c added to the reference
#     emulate.c, graded in one batch (which also checks the CSV): each
#     finishes, the results are the grader's own (valid, score no more than
#     the reference's), the kit is unchanged, unhit tests score full; a
#     submission that does not compile scores 0 with the build log shown
#   - results.json is valid after a SIGKILL in the middle of a run
#   - the real lab 1 (labs/lab1-trap) with the reference scores full marks
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
make -s -C "$root" build/bin/grade >/dev/null || { echo "FAIL make build/bin/grade"; exit 1; }
G=$root/build/bin/grade
T=$(mktemp -d /tmp/grade-tests-XXXXXX)
chmod 755 "$T"
mkdir -p "$T/tmp"
export TMPDIR=$T/tmp
listener=
cleanup() {
    [ -n "$listener" ] && kill "$listener" 2>/dev/null
    [ -n "${KEEP_TEST_DIR:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
failed=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failed=1; }
check() { # check NAME COMMAND...: ok if the command succeeds
    local name=$1
    shift
    if "$@"; then ok "$name"; else fail "$name"; fi
}
# json FILE EXPR: evaluate a Python expression over the parsed file (r).
json() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null; }
# score FILE TEST: the score of one test in results.json
score_of() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print([t["score"] for t in r["tests"] if t["name"]==sys.argv[2]][0])' "$1" "$2" 2>/dev/null; }

# ---- The fixture kit --------------------------------------------------------
KIT=$T/kit
mkdir -p "$KIT"
(cd "$root" && git ls-files -z | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
    tar --null -T - -cf -) | tar -xf - -C "$KIT"
rm -rf "$KIT/labs/lab1-trap" "$KIT/autograder/hidden/lab1"
mkdir -p "$KIT/labs/lab1-trap" "$KIT/autograder/hidden/lab1"
cp "$here/fixture/lab.json" "$KIT/labs/lab1-trap/"
cp "$here/fixture/hidden/"* "$KIT/autograder/hidden/lab1/"
bad_lab() { # bad_lab N JSON: labs/labN-bad/lab.json
    mkdir -p "$KIT/labs/lab$1-bad"
    printf '%s\n' "$2" >"$KIT/labs/lab$1-bad/lab.json"
}
base='"lab": N, "name": "bad", "title": "t", "version": 1, "files": ["reference/src/emulate.c"], "build": [], "unit_binary": "b", "unit_sources": ["reference/tests"]'
bad_lab 21 "{ ${base/N/21}, \"tests\": [ {\"name\": \"a\", \"points\": \"ten\", \"unit\": \"x/*\"} ] }"
bad_lab 22 "{ ${base/N/22}, \"colour\": 1, \"tests\": [] }"
bad_lab 23 "{ ${base/N/23}, \"tests\": [ {\"name\": \"a\", \"points\": 1, \"unit\": \"x/*\", \"requires\": [\"nope\"]} ] }"
bad_lab 24 "{ ${base/N/24}, \"tests\": [ {\"name\": \"a\", \"points\": 1, \"unit\": \"x/*\"}, {\"name\": \"a\", \"points\": 1, \"unit\": \"y/*\"} ] }"
bad_lab 25 "{ ${base/N/25}, \"tests\": [ {\"name\": \"a\", \"points\": 1, \"unit\": \"x/*\", \"requires\": [\"b\"]}, {\"name\": \"b\", \"points\": 1, \"unit\": \"y/*\", \"requires\": [\"a\"]} ] }"
echo "do not touch" >"$KIT/CANARY"
(cd "$KIT" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -q -m fixture) ||
    { echo "FAIL fixture kit"; exit 1; }
(cd "$KIT" && find . -path ./.git -prune -o -print | sort) >"$T/kit-before"
kit_sum=$(cd "$KIT" && git ls-files -z | xargs -0 cat | md5sum)

# ---- lab.json validation ----------------------------------------------------
mkdir -p "$T/empty"
validation() { # N KEY-TEXT
    "$G" --kit "$KIT" --lab "$1" "$T/empty" >/dev/null 2>"$T/v.err"
    local st=$?
    [ $st -eq 2 ] && grep -qF "labs/lab$1-bad/lab.json: $2" "$T/v.err"
}
check "lab.json: wrong type names the file and key" validation 21 "tests[0].points: must be a number"
check "lab.json: unknown key" validation 22 "colour: unknown key"
check "lab.json: requires naming no test" validation 23 "requires of test 'a': 'nope' names no test"
check "lab.json: duplicate test name" validation 24 "tests[1].name: duplicate test name 'a'"
check "lab.json: a cycle of requires" validation 25 "requires of test 'a': a cycle of requires"
"$G" --kit "$KIT" --lab 99 "$T/empty" >/dev/null 2>"$T/v.err"
check "no such lab: exit 2" test $? -eq 2
"$G" --kit "$KIT" "$T/empty" >/dev/null 2>"$T/v.err"
check "usage error: exit 2" test $? -eq 2
"$G" --kit "$KIT" --lab 1 "$T/no-such-submission" >/dev/null 2>"$T/v.err"
check "unreadable submission: exit 2" test $? -eq 2

# ---- The starter: one pristine build, kept for the other gradings -----------
"$G" --kit "$KIT" --lab 1 --keep --results "$T/starter.json" "$T/empty" >"$T/starter.txt" 2>"$T/starter.err"
st=$?
check "starter: graded (exit 0)" test $st -eq 0
check "starter: missing file reported" grep -qF "not submitted: reference/src/emulate.c; the starter's version is used" "$T/starter.txt"
check "starter: 0 on every lab test (memmap needs no lab code)" json "$T/starter.json" \
    'r["score"] == 10 and [t["score"] for t in r["tests"]] == [0, 10, 0, 0, 0]'
check "starter: the lab's hint is shown" grep -qF "FIXTURE-HINT" "$T/starter.txt"
check "starter: prerequisite noted" grep -qF "(prerequisite 'mfc0' failed first)" "$T/starter.txt"
PRE=$(sed -n 's/^grade: work folder kept: //p' "$T/starter.err")/tree
[ -d "$PRE/build/bin" ] || { echo "FAIL no pristine build to reuse"; cat "$T/starter.err"; exit 1; }
R=(--kit "$KIT" --lab 1 --reuse-build "$PRE")

# ---- The reference, a git repository, refused and ignored files ------------
mkdir -p "$T/ref/reference/src"
cp "$root/reference/src/emulate.c" "$T/ref/reference/src/"
"$G" "${R[@]}" --results "$T/ref.json" "$T/ref" >"$T/ref.txt" 2>"$T/ref.err"
check "reference: graded" test $? -eq 0
check "reference: full marks (40/40)" json "$T/ref.json" 'r["score"] == 40 and len(r["tests"]) == 5'
check "reference: results.json for Gradescope" json "$T/ref.json" \
    'r["extra_data"]["rubric_version"] == 7 and r["stdout_visibility"] == "hidden" and [t["visibility"] for t in r["tests"]][-1] == "after_due_date"'
check "reference: the report's total" grep -qF "total: 40.00/40 (public 30.00/30, hidden 10.00/10)" "$T/ref.txt"
honest=40

mkdir -p "$T/repo/reference/src"
cp "$root/reference/src/emulate.c" "$T/repo/reference/src/"
(cd "$T/repo" && git init -q && git add -A && git -c user.name=t -c user.email=t@t commit -q -m s)
"$G" "${R[@]}" --public-only --results "$T/repo.json" "$T/repo" >"$T/repo.txt" 2>&1
check "git repository: graded, public only (30/30)" json "$T/repo.json" 'r["score"] == 30 and len(r["tests"]) == 4'

python3 - "$T" <<'PY'
import io, sys, tarfile
t = sys.argv[1]
src = open(t + "/ref/reference/src/emulate.c", "rb").read()
def add(tf, name, data=None, link=None):
    ti = tarfile.TarInfo(name)
    if link:
        ti.type, ti.linkname = tarfile.SYMTYPE, link
        tf.addfile(ti)
    else:
        ti.size = len(data)
        tf.addfile(ti, io.BytesIO(data))
with tarfile.open(t + "/dotdot.tar.gz", "w:gz") as tf:
    add(tf, "reference/src/emulate.c", src)
    add(tf, "../escaped.txt", b"out\n")
with tarfile.open(t + "/symlink.tar", "w") as tf:
    add(tf, "reference/src/emulate.c", link="/etc/passwd")
with tarfile.open(t + "/good.tgz", "w:gz") as tf:
    add(tf, "reference/src/emulate.c", src)
open(t + "/broken.tgz", "wb").write(b"this is not a tarball\n")
PY
"$G" "${R[@]}" "$T/dotdot.tar.gz" >/dev/null 2>"$T/dd.err"
check "tarball with a '..' member: refused (exit 2)" test $? -eq 2
check "tarball with a '..' member: says why" grep -qF "member '../escaped.txt' is an absolute path or has '..'" "$T/dd.err"
check "tarball with a '..' member: nothing escaped" test ! -e "$T/tmp/escaped.txt"
"$G" "${R[@]}" "$T/symlink.tar" >/dev/null 2>"$T/sl.err"
check "tarball with a symlink: refused (exit 2)" test $? -eq 2
mkdir -p "$T/link/reference/src"
ln -s "$root/reference/src/emulate.c" "$T/link/reference/src/emulate.c"
"$G" "${R[@]}" --public-only --results "$T/link.json" "$T/link" >"$T/link.txt" 2>&1
check "symlinked file: not used" grep -qF "not used: reference/src/emulate.c is a symbolic link" "$T/link.txt"
check "symlinked file: graded as the starter" json "$T/link.json" 'r["score"] == 10'

# ---- Attacks and batch mode ------------------------------------------------
port=$((20000 + RANDOM % 20000))
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
while True:
    c, _ = s.accept(); open(sys.argv[2], "a").write("connection\n"); c.close()
' "$port" "$T/connections" &
listener=$!
B=$T/batch
mkdir -p "$B/starter"
cp -r "$T/ref" "$B/reference"
cp "$T/broken.tgz" "$B/broken.tgz"
cp "$T/good.tgz" "$B/good.tgz"
make_attack() { # make_attack NAME DEST: reference emulate.c plus attacks/common.c and NAME.c
    local a=$here/attacks/$1.c
    mkdir -p "$2/reference/src"
    python3 - "$here/attacks/common.c" "$a" "$root/reference/src/emulate.c" "$2/reference/src/emulate.c" \
        "$KIT" "$3" "$port" <<'PY'
import sys
common, attack, ref, out, kit, results, port = sys.argv[1:]
a = (open(common).read() + "\n" + open(attack).read()).replace("@KIT@", kit).replace("@RESULTS@", results).replace("@PORT@", port)
src = open(ref).read()
if "HOOK_PRIVILEGED" in a:
    head = "bool emulate_privileged(struct vcpu *v, uint32_t insn, uint32_t pc, bool in_delay)\n{\n"
    assert head in src
    src = src.replace(head, head + "    attack();\n", 1)
open(out, "w").write(a + "\n" + src)
PY
}
for a in a-results b-hidden d-loop e-malloc f-segv g-stdout h-net i-symlink t-tamper; do
    make_attack "$a" "$B/$a" "$B.graded/$a/results.json"
done
mkdir -p "$B/syntax-error/reference/src"
{ cat "$root/reference/src/emulate.c"; echo "#error SYNTAX-ERROR-HERE"; } >"$B/syntax-error/reference/src/emulate.c"
start=$(date +%s)
"$G" "${R[@]}" --batch "$B" --csv "$T/batch.csv" --jobs 2 >"$T/batch.txt" 2>"$T/batch.err"
check "batch: finished (exit 0)" test $? -eq 0
echo "     (batch of 14 took $(( $(date +%s) - start )) s)"
row() { grep -q "^$1,$2\$" "$T/batch.csv"; }
check "batch: CSV header" grep -qx "submission,score,max_score,status" "$T/batch.csv"
check "batch: reference row" row reference "40.00,40,graded"
check "batch: starter row" row starter "10.00,40,graded"
check "batch: tarball row" row good.tgz "40.00,40,graded"
check "batch: broken tarball row" grep -q '^broken.tgz,0.00,40,error: .*broken.tgz: tar: cannot read it' "$T/batch.csv"
check "batch: rows in name order" test "$(tail -n +2 "$T/batch.csv" | cut -d, -f1 | tr '\n' ' ')" = \
    "a-results b-hidden broken.tgz d-loop e-malloc f-segv g-stdout good.tgz h-net i-symlink reference starter syntax-error t-tamper "
O=$B.graded
for a in a-results b-hidden d-loop e-malloc f-segv g-stdout h-net i-symlink t-tamper; do
    check "attack $a: graded, the grader's own results ($(grep "^$a," "$T/batch.csv" | cut -d, -f2-))" \
        json "$O/$a/results.json" "r['score'] <= $honest and len(r['tests']) == 5"
done
full() { [ "$(score_of "$O/$1/results.json" "$2")" = "10.0" ]; }
check "attack a-results: every test still full" json "$O/a-results/results.json" 'r["score"] == 40'
check "attack a-results: it ran (and wrote only in its sandbox)" grep -q "ATTACK-A wrote /tmp/results.json" "$O/a-results/logs/trap.err"
check "attack b-hidden: the hidden output was out of reach" grep -q "ATTACK-B blocked" "$O/b-hidden/logs/two.err"
check "attack b-hidden: nothing leaked" bash -c "! grep -rq LEAKED '$O/b-hidden'"
check "attack b-hidden: every test still full" json "$O/b-hidden/results.json" 'r["score"] == 40'
check "attack d-loop: memmap still full" full d-loop memmap
check "attack d-loop: timeout reported" grep -qF "timed out after 5 s of host time" "$O/d-loop/report.txt"
check "attack e-malloc: memmap still full" full e-malloc memmap
check "attack f-segv: memmap still full" full f-segv memmap
check "attack f-segv: the crash hint" grep -qF "the monitor crashed (SEGV): run it under gdb" "$O/f-segv/report.txt"
check "attack g-stdout: memmap still full" full g-stdout memmap
check "attack g-stdout: logs capped" bash -c "[ \$(du -sm '$O/g-stdout/logs' | cut -f1) -lt 64 ]"
check "attack h-net: blocked" bash -c "grep -q 'ATTACK-H blocked 127.0.0.1' '$O/h-net/logs/trap.err' && grep -q 'ATTACK-H blocked 1.1.1.1' '$O/h-net/logs/trap.err'"
check "attack h-net: no connection reached the host" test ! -e "$T/connections"
check "attack h-net: every test still full" json "$O/h-net/results.json" 'r["score"] == 40'
check "attack i-symlink: it ran" grep -rq "ATTACK-I planted the link" "$O/i-symlink/logs"
check "attack i-symlink: every test still full" json "$O/i-symlink/results.json" 'r["score"] == 40'
check "build failure: graded 0" row syntax-error "0.00,40,graded"
check "build failure: tests not run" bash -c "[ \$(grep -c 'not run: the build failed' '$O/syntax-error/report.txt') = 4 ]"
check "build failure: the build log's end shown" grep -q "SYNTAX-ERROR-HERE" "$O/syntax-error/report.txt"
check "attack t-tamper: unit tests score 0" json "$O/t-tamper/results.json" \
    'sum(t["score"] for t in r["tests"] if t["name"] in ("memmap", "mfc0")) == 0'
check "attack t-tamper: reported" grep -qF "the test process was tampered with" "$O/t-tamper/report.txt"

make_attack c-forkbomb "$T/c-forkbomb" "$T/c.json"
"$G" "${R[@]}" --results "$T/c.json" "$T/c-forkbomb" >"$T/c.txt" 2>&1
check "attack c-forkbomb: graded" json "$T/c.json" "r['score'] <= $honest and len(r['tests']) == 5"
check "attack c-forkbomb: memmap still full" json "$T/c.json" \
    '[t["score"] for t in r["tests"] if t["name"] == "memmap"] == [10]'
check "attack c-forkbomb: it ran" grep -q "timed out" "$T/c.txt"
check "attack c-forkbomb: no process of it left" bash -c "! pgrep -x bomb$port >/dev/null"

# ---- The kit is untouched -------------------------------------------------
(cd "$KIT" && find . -path ./.git -prune -o -print | sort) >"$T/kit-after"
check "kit: no file created or removed" cmp -s "$T/kit-before" "$T/kit-after"
check "kit: the canary file untouched" test "$(cat "$KIT/CANARY")" = "do not touch"
check "kit: tracked files unchanged" test "$(cd "$KIT" && git ls-files -z | xargs -0 cat | md5sum)" = "$kit_sum"

# ---- results.json after SIGKILL -------------------------------------------
# The looping submission: its mfc0 sub-checks each run to their 3 s wall,
# so the kill lands while the grader is still at work, however fast the
# machine (the reference may finish before the poll sees two results).
"$G" "${R[@]}" --results "$T/killed.json" "$B/d-loop" >/dev/null 2>&1 &
gpid=$!
for _ in $(seq 600); do
    json "$T/killed.json" 'len(r["tests"]) >= 2' && break
    sleep 0.05
done
kill -KILL $gpid
wait $gpid 2>/dev/null
check "SIGKILL mid-run: results.json valid with the tests so far" \
    json "$T/killed.json" '2 <= len(r["tests"]) < 5 and all("score" in t for t in r["tests"])'

# ---- The real lab 1 -------------------------------------------------------
if [ -f "$root/labs/lab1-trap/lab.json" ]; then
    start=$(date +%s)
    "$G" --kit "$root" --lab 1 --reuse-build "$PRE" --results "$T/lab1.json" "$T/ref" >"$T/lab1.txt" 2>&1
    check "lab 1: the reference scores full marks ($(date +%s | awk -v s=$start '{print $1-s}') s)" \
        json "$T/lab1.json" 'r["score"] == r["extra_data"]["max_score"] and r["score"] > 0'
    [ $failed -eq 0 ] || sed 's/^/     /' "$T/lab1.txt" | grep -B1 -A8 FAIL | head -40
fi

[ $failed -eq 0 ] && echo "autograder tests: all passed" || echo "autograder tests: FAILED"
exit $failed
