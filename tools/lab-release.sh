#!/usr/bin/env bash
# tools/lab-release.sh LAB OUTDIR: write the student's starter tree for lab
# number LAB into OUTDIR (which must not exist, or be empty).
#
# The tree is every file git tracks (`git ls-files`, as in the working tree)
# except what a student must not see: labs/*/hidden*, labs/*/variants/,
# labs/*/README.md (the instructor's notes on a lab),
# autograder/hidden/, .ci/, and this generator itself (lab-release.sh,
# lab-release.awk, and the instructor's checks test-lab-release.sh and
# check-labs.sh). Every region of lab LAB in reference/src/*.c, marked
#     /* LAB N BEGIN name */ ... /* LAB N END */
# is replaced by stubs (tools/lab-release.awk): each non-static function
# keeps its signature and calls lab_not_implemented() (disco/lab.h), static
# functions and data go. Other labs' regions stay as the reference has them.
#
# The file .lab at the top of the tree holds LAB (for `make grade`).
#
# Exits 2 with "lab-release: error: ..." on bad arguments, a lab with no
# regions or no labs/labN-*/lab.json, or markers the awk script cannot pair
# up.
set -euo pipefail

die() {
    echo "lab-release: error: $*" >&2
    exit 2
}

[ $# -eq 2 ] || die "usage: tools/lab-release.sh LAB OUTDIR"
lab=$1
out=$2
[[ $lab =~ ^[0-9]+$ ]] || die "$lab: the lab must be a number"
here=$(cd "$(dirname "$0")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel) || die "$here: not in a git checkout"
awkscript=$here/lab-release.awk

if [ -e "$out" ]; then
    [ -d "$out" ] || die "$out: exists and is not a directory"
    [ -z "$(ls -A "$out")" ] || die "$out: not empty"
fi

# The regions of this lab, by file.
mapfile -t lab_files < <(cd "$root" && grep -lE "^[[:space:]]*/\*[[:space:]]*LAB[[:space:]]+$lab[[:space:]]+BEGIN" reference/src/*.c || true)
[ ${#lab_files[@]} -gt 0 ] || die "lab $lab: no '/* LAB $lab BEGIN' markers in reference/src/*.c"

# A lab is packaged when it has its folder: rubric, allow-list, handout.
json=$(cd "$root" && compgen -G "labs/lab$lab-*/lab.json" | head -1 || true)
[ -n "$json" ] || die "lab $lab: no labs/lab$lab-*/lab.json (its regions exist, but the lab has no rubric, allow-list or handout yet)"
json=$root/$json

mkdir -p "$out"
out=$(cd "$out" && pwd)

# Copy the public files (tar keeps modes and symbolic links).
(cd "$root" && git ls-files -z) |
    (cd "$root" && while IFS= read -r -d '' f; do
        case $f in
            labs/*/hidden* | labs/*/variants/* | labs/*/README.md | autograder/hidden/* | .ci/* | \
                tools/lab-release.sh | tools/lab-release.awk | tools/test-lab-release.sh | \
                tools/check-labs.sh)
                continue ;;
        esac
        # A file deleted in the working tree but not in the index: skip it.
        [ -e "$f" ] || [ -L "$f" ] || continue
        printf '%s\0' "$f"
    done) |
    (cd "$root" && tar --null -T - -cf -) | (cd "$out" && tar -xf -)

# Each reference/src/*.c file with a region of any lab goes through the awk
# script (it checks every file's markers; only lab LAB's regions change).
for f in "${lab_files[@]}"; do
    awk -v LAB="$lab" -f "$awkscript" "$root/$f" "$root/$f" >"$out/$f.tmp" ||
        die "$f: could not make the starter version (see above)"
    mv "$out/$f.tmp" "$out/$f"
done

# The lab this tree is the starter of: `make grade` reads it.
echo "$lab" >"$out/.lab"

# The README says so first, with the lab's title and handout (lab.json).
if [ -f "$out/README.md" ]; then
    title=$(sed -n 's/^ *"title": *"\(.*\)",* *$/\1/p' "$json" | head -1)
    handout=$(sed -n 's/^ *"handout": *"\(.*\)",* *$/\1/p' "$json" | head -1)
    {
        echo "> **Lab $lab starter: ${title:-lab $lab}.** The functions you write are"
        echo "> stubs that stop with \"not implemented\"; read \`${handout:-handout/}\` and run"
        echo "> \`make grade\` for the public tests and your score."
        echo
        cat "$out/README.md"
    } >"$out/README.md.tmp"
    mv "$out/README.md.tmp" "$out/README.md"
fi

echo "lab-release: lab $lab starter tree in $out (${#lab_files[@]} files rewritten)"
