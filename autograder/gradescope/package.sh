#!/usr/bin/env bash
# autograder/gradescope/package.sh LAB OUT.zip: write the Gradescope
# autograder zip of lab LAB (what `make gradescope LAB=N` runs).
#
# Gradescope unpacks the zip into /autograder/source, runs
# /autograder/source/setup.sh once when it builds the image, then copies
# /autograder/source/run_autograder to /autograder/run_autograder and runs
# it for every submission. So the zip's top level is the kit itself, as
# /autograder/source must hold it:
#
#     setup.sh, run_autograder    (copies of autograder/gradescope/'s)
#     .gradescope-lab             the lab's number
#     .gradescope-files           the kit's files (NUL-separated), for setup.sh
#     Makefile, labs/, autograder/ (hidden/ too: the grader needs it), ...
#                                 every file git tracks, as in the working
#                                 tree, except .ci/ and build/
#
# Exits 2 with "gradescope: error: ..." on bad arguments or an unknown lab.
set -euo pipefail

die() {
    echo "gradescope: error: $*" >&2
    exit 2
}

[ $# -eq 2 ] || die "usage: autograder/gradescope/package.sh LAB OUT.zip"
lab=$1
out=$2
[[ $lab =~ ^[0-9]+$ ]] || die "$lab: the lab must be a number"
here=$(cd "$(dirname "$0")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel) || die "$here: not in a git checkout"

cd "$root"
shopt -s nullglob
labdirs=(labs/lab"$lab"-*/lab.json)
shopt -u nullglob
[ ${#labdirs[@]} -eq 1 ] || die "lab $lab: want one labs/lab$lab-*/lab.json, found ${#labdirs[@]}"
labjson=${labdirs[0]}
git ls-files --error-unmatch "$labjson" >/dev/null 2>&1 ||
    die "$labjson: not tracked by git (git add it: the zip holds tracked files only)"

# Files of this lab that exist but git does not track would silently be
# left out of the zip (a hidden test missing changes every grade): say so.
untracked=$(git ls-files --others --exclude-standard -- "$(dirname "$labjson")" "autograder/hidden/lab$lab")
if [ -n "$untracked" ]; then
    echo "gradescope: warning: not tracked by git, so not in the zip:" >&2
    sed 's/^/    /' <<<"$untracked" >&2
fi

stage=$(mktemp -d "${TMPDIR:-/tmp}/gradescope.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/zip"

# The tracked files (tar keeps modes), and their list: setup.sh makes
# /autograder/source a git work tree of exactly these (the grader makes its
# pristine tree with tools/lab-release.sh, which needs one).
git ls-files -z |
    while IFS= read -r -d '' f; do
        case $f in
            .ci/* | build/*) continue ;;
        esac
        # Deleted in the working tree but not in the index: skip it.
        [ -e "$f" ] || [ -L "$f" ] || continue
        printf '%s\0' "$f"
    done >"$stage/files"
tar --null -T "$stage/files" -cf - | (cd "$stage/zip" && tar -xf -)
cp "$stage/files" "$stage/zip/.gradescope-files"

install -m 755 "$here/setup.sh" "$stage/zip/setup.sh"
install -m 755 "$here/run_autograder" "$stage/zip/run_autograder"
echo "$lab" >"$stage/zip/.gradescope-lab"

mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
rm -f "$out.tmp"
if command -v zip >/dev/null; then
    (cd "$stage/zip" && zip -q -r -X "$out.tmp" .)
else
    # No zip(1): python3's zipfile, which keeps the modes as zip does.
    (cd "$stage/zip" && python3 -c '
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for d, dirs, files in os.walk("."):
        dirs.sort()
        for f in sorted(files):
            z.write(os.path.join(d, f), os.path.relpath(os.path.join(d, f)))
' "$out.tmp")
fi
mv "$out.tmp" "$out"
n=$(cd "$stage/zip" && find . -type f | wc -l)
echo "gradescope: lab $lab autograder in $out ($n files, $(du -k "$out" | cut -f1) KB)"
