#!/usr/bin/env bash
# bench/report.sh: the kit's report (what `make report` runs): the paper's
# Figures 5 to 8 and Tables 2 and 3 from this tree's simulator, monitor and
# guests, as one self-contained HTML page, $B/report/index.html (inline
# SVG and CSS, nothing fetched when it is viewed), each chart beside the
# paper's values (bench/paper-values.tsv).
#
# It runs bench/figure5.sh to figure8.sh one after another with --data
# (their numbers as JSON) and bench/report.py draws the page from that.
# What the scripts print goes into the page too (and $B/report/data/).
# Sizes, REPORT=:
#   quick   (the default) medium workloads, about three minutes on 2 cores
#   full    the scripts' own defaults, the paper-scale runs (much longer)
#   smoke   the smallest sizes, for tools/test-report.sh (about a minute)
# A size set in the environment (FIG5_SIZE, ..., FIG8_SIZE) wins over the
# level's. Each script's working directory ($B/bench/figureN: disk images,
# copies of the binaries) is deleted once it has run (REPORT_KEEP=1 keeps
# it; the scripts delete their disk images after each run already unless
# BENCH_KEEP_IMAGES=1).
#
# Exits 1 if a figure script failed (the page is still written, saying
# which), 2 on a usage error or if something is not built (make report
# builds it first).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
prog=report
B=${B:-build}
LEVEL=${REPORT:-quick}

die() {
    echo "$prog: error: $*" >&2
    exit 2
}

case $LEVEL in
smoke) sizes=(FIG5_SIZE=small FIG6_SIZE=small FIG7_SIZE=small FIG8_SIZE=small) ;;
quick) sizes=(FIG5_SIZE=medium FIG6_SIZE=medium FIG7_SIZE=medium FIG8_SIZE=medium) ;;
full) sizes=() ;;
*) die "REPORT=$LEVEL: expected quick (the default), full or smoke" ;;
esac
# The environment's own sizes win.
for v in FIG5_SIZE FIG6_SIZE FIG7_SIZE FIG8_SIZE; do
    if [ -n "${!v:-}" ]; then
        sizes+=("$v=${!v}")
    fi
done
command -v python3 >/dev/null || die "python3: not found (make deps)"
[ -x "$B/bin/flashsim" ] && [ -x "$B/bin/disco" ] || die "$B/bin/flashsim, $B/bin/disco: not built (make report builds them)"

out=$B/report
data=$out/data
rm -rf "$out"
mkdir -p "$data"

# Which tree this is.
tree=""
if [ -f .lab ]; then
    tree="released lab tree, lab $(cat .lab)"
fi
if desc=$(git describe --always --dirty --tags 2>/dev/null) && [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
    tree=${tree:+$tree, }"git $desc"
fi
[ -n "$tree" ] || tree="not a git checkout"

failed=()
start=$SECONDS
for n in 5 6 7 8; do
    s=$SECONDS
    mine=$(printf '%s\n' ${sizes[@]+"${sizes[@]}"} | grep "^FIG${n}_SIZE=" | tail -1 || true)
    echo "$prog: bench/figure$n.sh (${mine:-its own size})" >&2
    if ! env ${sizes[@]+"${sizes[@]}"} B="$B" bench/figure$n.sh --data "$data/figure$n.json" \
            >"$data/figure$n.txt" 2>"$data/figure$n.log"; then
        failed+=("figure$n.sh")
        echo "$prog: bench/figure$n.sh failed (see $data/figure$n.log; its files are in $B/bench/figure$n)" >&2
        tail -n 5 "$data/figure$n.log" >&2
    elif [ "${REPORT_KEEP:-0}" != 1 ]; then
        rm -rf "$B/bench/figure$n"
    fi
    echo "$prog: bench/figure$n.sh: $((SECONDS - s)) s" >&2
done

# The machine: the simulator's defaults (each figure says its own shape).
help=$("$B/bin/flashsim" --help 2>&1 || true)
dflt() { sed -n "s/.*--$1 .*default \([0-9A-Za-z]*\)).*/\1/p" <<<"$help" | head -1; }
machine="simulated FLASH, 300 MHz single-issue MIPS CPUs, one per node; $(dflt cache-size) $(dflt cache-assoc)-way caches, $(dflt cache-line)-byte lines (unless a figure says otherwise); cache misses $(dflt lat-local) cycles local, $(dflt lat-remote) remote (300 and 900 ns as in the paper at the defaults)"

{
    printf 'built from\t%s\n' "$tree"
    used="the scripts' own sizes"
    [ ${#sizes[@]} -eq 0 ] || used="${sizes[*]}"
    printf 'sizes\tREPORT=%s: %s\n' "$LEVEL" "$used"
    printf 'machine\t%s\n' "$machine"
    printf 'rebuild\tmake report (REPORT=quick, full or smoke); the numbers are in %s\n' "$data"
} >"$data/meta.tsv"
printf '%s\n' "${failed[@]+"${failed[@]}"}" >"$data/failed"
python3 bench/report.py --data "$data" --paper bench/paper-values.tsv --out "$out/index.html"
echo "$prog: $out/index.html ($(du -k "$out/index.html" | cut -f1) KB; REPORT=$LEVEL, $((SECONDS - start)) s)"
if [ ${#failed[@]} -gt 0 ]; then
    echo "$prog: failed: ${failed[*]}" >&2
    exit 1
fi
