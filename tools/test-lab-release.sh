#!/usr/bin/env bash
# tools/test-lab-release.sh: checks of the lab starter generator
# (tools/lab-release.sh and tools/lab-release.awk).
#
# 1. The awk script on a made-up file: multi-line signatures, pointer and
#    function-pointer parameters, (void) lists, braces in strings, character
#    literals and comments, static data with initializers, a static helper
#    still called from outside the region. The result must compile with
#    -Wall -Wextra -Werror and keep none of the removed code.
# 2. For every lab that has markers in reference/src (found by grep), a
#    release into a temporary directory, where:
#    - the generator, .ci/ and hidden tests are not in the tree;
#    - no line of the lab's region bodies survives, other than signatures;
#    - outside the lab's regions (other labs' regions included) every file
#      is as the reference has it, but for the lines the generator adds;
#    - `make -j2 $TARGETS` builds (default all; -Werror is in CFLAGS);
#    - for lab 1, build/bin/disco on reference/tests/scenarios/trap.conf
#      exits 3 with "disco: not implemented:" on stderr.
# 3. The reference's own sources are unchanged by all this.
#
# Prints ok/FAIL per check and a summary; exits 1 on any failure. Set
# KEEP=1 to keep the temporary trees, TARGETS="build/bin/disco
# build/bin/disco-unit-tests" for a quicker build.
set -uo pipefail
cd "$(dirname "$0")/.."
TARGETS=${TARGETS:-all}
# The lab 1 check below runs trap.conf: its guest must be built too.
case " $TARGETS " in *" all "*) ;; *) TARGETS="$TARGETS build/guests/vm/vm_trap.elf" ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/test-lab-release.XXXXXX")
if [ "${KEEP:-0}" != 1 ]; then
    trap 'rm -rf "$tmp"' EXIT
else
    echo "trees kept in $tmp"
fi

passed=0
failed=0
ok() { echo "ok   $*"; passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

sources_sum() {
    (git ls-files -z reference/src reference/include | xargs -0 sha256sum) 2>/dev/null
}
before=$(sources_sum)

# The lines of lab $1's regions in file $2 (markers excluded).
region_lines() {
    awk -v LAB="$1" '
        /^[ \t]*\/\*[ \t]*LAB[ \t]+[0-9]+[ \t]+BEGIN/ { n = $0; sub(/^[ \t]*\/\*[ \t]*LAB[ \t]+/, "", n); sub(/[^0-9].*$/, "", n); if (n + 0 == LAB) { inr = 1; next } }
        /^[ \t]*\/\*[ \t]*LAB[ \t]+[0-9]+[ \t]+END/ { if (inr) { inr = 0; next } }
        inr' "$2"
}

# Lines of the released region (file $3) that are reference code of the
# region (file $2) and not a kept signature. Prints them; none is good.
leaks() {
    region_lines "$1" "$2" >"$tmp/orig.txt"
    region_lines "$1" "$3" >"$tmp/rel.txt"
    awk '
        function t(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
        function codeish(s) { return s != "" && s != "{" && s != "}" && s !~ /^(\/\*|\*|\/\/)/ }
        function flush(   k) { for (k = 1; k <= np; k++) if (pend[k] in orig) print "  kept: " pend[k]; np = 0 }
        FNR == NR { s = t($0); if (codeish(s)) orig[s] = 1; next }
        { s = t($0) }
        s == "{" { np = 0; next }   # the lines before a stub body are its signature
        s ~ /^\(void\)[A-Za-z_][A-Za-z0-9_]*;$/ || s ~ /^lab_not_implemented\(/ { next }
        !codeish(s) { flush(); next }
        { pend[++np] = s }
        END { flush() }' "$tmp/orig.txt" "$tmp/rel.txt"
}

# File $2 with the inside of lab $1's regions and the generator's added
# lines removed: the part of a file the generator must not change.
outside_regions() {
    awk -v LAB="$1" '
        /^[ \t]*\/\*[ \t]*LAB[ \t]+[0-9]+[ \t]+BEGIN/ { print; n = $0; sub(/^[ \t]*\/\*[ \t]*LAB[ \t]+/, "", n); sub(/[^0-9].*$/, "", n); if (n + 0 == LAB) inr = 1; next }
        /^[ \t]*\/\*[ \t]*LAB[ \t]+[0-9]+[ \t]+END/ { inr = 0; print; next }
        inr { next }
        $0 == "#include \"disco/lab.h\"" || /^\/\* Starter code: helpers below/ || /^#pragma GCC diagnostic ignored "-Wunused-function"$/ { next }
        { print }' "$2"
}

# ---- 1. the awk script on a made-up file --------------------------------

mkdir -p "$tmp/fixture"
cat >"$tmp/fixture/fx.c" <<'EOF'
#include <stdbool.h>
#include <stdint.h>
struct sim_exception { int code; };
struct item { int a; };

static int used_only_inside(int x) { return x + 1; }
static int shared(int x) { return x * 2; }

/* LAB 9 BEGIN fixture */
/* The contract of one_fn. */
static const int table[] = { 1, 2, '}', 3 };
static struct item items[2] = {
    {1}, {2},
};
static int local_helper(const char *s)
{
    return s[0] == '{' ? 1 : (s[0] == '\'' ? 2 : 0); /* } */
}

static int called_outside(int q)
{
    return q + table[0] + SECRET_MARK_1;
}

int one_fn(const struct sim_exception *e,
           uint32_t *lo,
           void (*cb)(int level, const char *msg),
           int arr[static 4], unsigned long long n)
{
    const char *s = "}}} { \" } // SECRET_MARK_2";
    // a } in a line comment
    /* a { in a block comment */
    *lo = (uint32_t)e->code + (uint32_t)used_only_inside(local_helper(s)) + (uint32_t)items[0].a;
    if (cb) { cb(1, "x"); }
    return arr[0] + (int)n + shared(2) + SECRET_MARK_3;
}

_Noreturn void two_fn(void) { for (;;) { SECRET_MARK_4; } }

bool three_fn(void)
{
    return SECRET_MARK_5;
}
/* LAB 9 END */

/* LAB 8 BEGIN other */
int other_lab(int z)
{
    return z + 0;
}
/* LAB 8 END */

int after(void) { return called_outside(1) + shared(3) + other_lab(2); }
EOF
fx=$tmp/fixture
if awk -v LAB=9 -f tools/lab-release.awk "$fx/fx.c" "$fx/fx.c" >"$fx/out.c" 2>"$fx/err"; then
    ok "fixture: lab-release.awk runs"
else
    fail "fixture: lab-release.awk runs: $(cat "$fx/err")"
fi
check "fixture: the starter compiles with -Wall -Wextra -Werror" \
    gcc -std=gnu11 -Wall -Wextra -Werror -Ireference/include -c -o "$fx/out.o" "$fx/out.c"
check "fixture: no line of the removed code is left" \
    bash -c "! grep -q 'SECRET_MARK\|table\[\|items\[\|local_helper\|return z + 0' <(sed -n '/LAB 9 BEGIN/,/LAB 9 END/p' '$fx/out.c')"
check "fixture: stubs with every parameter voided" \
    bash -c "sed -n '/LAB 9 BEGIN/,/LAB 9 END/p' '$fx/out.c' | tr -d ' \n' | grep -qF '{(void)e;(void)lo;(void)cb;(void)arr;(void)n;lab_not_implemented(\"one_fn\",9);}_Noreturnvoidtwo_fn(void){lab_not_implemented(\"two_fn\",9);}boolthree_fn(void){lab_not_implemented(\"three_fn\",9);}'"
check "fixture: a static function still called outside is stubbed, not dropped" \
    grep -qF 'lab_not_implemented("called_outside", 9);' "$fx/out.c"
check "fixture: multi-line signature kept exactly" \
    bash -c "grep -qF 'void (*cb)(int level, const char *msg),' '$fx/out.c' && grep -qF '           int arr[static 4], unsigned long long n)' '$fx/out.c'"
check "fixture: markers and the other lab's region kept, comment added" \
    bash -c "diff <(sed -n '/LAB 8 BEGIN/,/LAB 8 END/p' '$fx/fx.c') <(sed -n '/LAB 8 BEGIN/,/LAB 8 END/p' '$fx/out.c') >/dev/null && grep -q '^/\* LAB 9 END \*/' '$fx/out.c' && grep -qF 'You write this: see the contract in the header and handout/lab9.md' '$fx/out.c'"
printf '/* LAB 9 BEGIN x */\nint f(void)\n{\n    return 0;\n}\n' >"$fx/bad.c"
check "fixture: an unterminated region is an error" \
    bash -c "! awk -v LAB=9 -f tools/lab-release.awk '$fx/bad.c' '$fx/bad.c' >/dev/null 2>&1"

# ---- 2. every lab --------------------------------------------------------

mapfile -t marked < <(grep -ohE '^[[:space:]]*/\*[[:space:]]*LAB[[:space:]]+[0-9]+[[:space:]]+BEGIN' reference/src/*.c |
    grep -oE '[0-9]+' | sort -un)
if [ ${#marked[@]} -eq 0 ]; then
    fail "no LAB markers found in reference/src"
fi
# Labs with regions but no folder yet (a lab in the making) are refused
# by the generator with a message; the others are released.
labs=()
for lab in "${marked[@]}"; do
    if compgen -G "labs/lab$lab-*/lab.json" >/dev/null; then
        labs+=("$lab")
    elif refusal=$(tools/lab-release.sh "$lab" "$tmp/unpackaged$lab" 2>&1); [ $? -ne 0 ] &&
         grep -q "no labs/lab$lab-\*/lab.json" <<<"$refusal"; then
        ok "lab $lab: regions but no labs/lab$lab-*/ yet: the generator refuses it and says why"
    else
        fail "lab $lab: regions but no labs/lab$lab-*/, and the generator does not say so"
    fi
done

for lab in "${labs[@]}"; do
    out=$tmp/lab$lab
    start=$SECONDS
    if ! tools/lab-release.sh "$lab" "$out" >"$tmp/release$lab.log" 2>&1; then
        fail "lab $lab: release ($(cat "$tmp/release$lab.log"))"
        continue
    fi
    ok "lab $lab: released"
    missing=""
    for gone in tools/lab-release.sh tools/lab-release.awk tools/test-lab-release.sh tools/check-labs.sh .ci autograder/hidden; do
        [ -e "$out/$gone" ] && missing="$missing $gone"
    done
    hidden=$(cd "$out" && find labs -path 'labs/*/hidden*' -o -path 'labs/*/variants' 2>/dev/null)
    if [ -z "$missing$hidden" ]; then
        ok "lab $lab: generator, .ci and hidden tests left out"
    else
        fail "lab $lab: in the student tree:$missing $hidden"
    fi

    leaked=""
    changed=""
    nstubs=0
    for f in $(grep -lE "^[[:space:]]*/\*[[:space:]]*LAB[[:space:]]+$lab[[:space:]]+BEGIN" reference/src/*.c); do
        l=$(leaks "$lab" "$f" "$out/$f")
        [ -n "$l" ] && leaked="$leaked"$'\n'"  $f:"$'\n'"$l"
        if ! diff <(outside_regions "$lab" "$f") <(outside_regions "$lab" "$out/$f") >"$tmp/diff" 2>&1; then
            changed="$changed $f"
        fi
        nstubs=$((nstubs + $(grep -c 'lab_not_implemented(' "$out/$f")))
    done
    for f in $(git ls-files reference/src | grep '\.c$'); do
        if ! grep -qE "^[[:space:]]*/\*[[:space:]]*LAB[[:space:]]+$lab[[:space:]]+BEGIN" "$f" && ! cmp -s "$f" "$out/$f"; then
            changed="$changed $f"
        fi
    done
    if [ -z "$leaked" ] && [ "$nstubs" -gt 0 ]; then
        ok "lab $lab: $nstubs stubs, no line of the region bodies left"
    else
        fail "lab $lab: $nstubs stubs; reference code left in the regions:$leaked"
    fi
    if [ -z "$changed" ]; then
        ok "lab $lab: nothing changed outside the lab's regions"
    else
        fail "lab $lab: changed outside the lab's regions:$changed"
    fi

    # shellcheck disable=SC2086 # TARGETS is a list of targets
    if (cd "$out" && make -j2 $TARGETS) >"$tmp/build$lab.log" 2>&1; then
        ok "lab $lab: make -j2 $TARGETS builds ($((SECONDS - start)) s with the release)"
    else
        fail "lab $lab: make -j2 $TARGETS (last lines of the log:)"
        tail -15 "$tmp/build$lab.log" | sed 's/^/    /'
        continue
    fi
    if [ "$lab" = 1 ]; then
        (cd "$out" && timeout 300 build/bin/disco reference/tests/scenarios/trap.conf \
            </dev/null >"$tmp/trap.out" 2>"$tmp/trap.err")
        status=$?
        if [ "$status" = 3 ] && grep -q '^disco: not implemented: ' "$tmp/trap.err"; then
            ok "lab $lab: trap.conf stops with exit 3: $(grep '^disco: not implemented: ' "$tmp/trap.err" | head -1)"
        else
            fail "lab $lab: trap.conf exited $status, stderr: $(head -3 "$tmp/trap.err")"
        fi
    fi
done

# ---- 3. the reference ----------------------------------------------------

if [ "$(sources_sum)" = "$before" ]; then
    ok "reference/src and reference/include unchanged"
else
    fail "reference/src or reference/include changed during the test (by the generator, or by someone editing the checkout)"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
