#!/usr/bin/env bash
# tools/test-report.sh: the test of `make report` (bench/report.sh).
#
# Builds the report at the smallest sizes (make report REPORT=smoke: real
# runs of every figure script on this tree), opens build/report/index.html
# in headless Chromium, and checks the page Chromium rendered (its DOM,
# --dump-dom): every figure's and table's section is there, every chart
# (<svg class="chart">) is there and has data marks of the kit's with a
# height, none says it has no data, no "NaN" or "undefined" anywhere, no
# failed figure script. It also checks that the page fetches nothing
# (no scripts, links, images or fonts from elsewhere), that the same data
# gives the same page, byte for byte, and that the checker does fail on a
# page with a chart left empty. Saves the screenshot, the DOM and the
# logs in build/test-logs/report/.
#
# Environment: B (build directory), CHROMIUM (the browser; default
# chromium, or chromium-browser), REPORT_TEST_NO_BUILD=1 (check the page
# already in $B/report instead of building it).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${B:-build}
logs=$B/test-logs/report
page=$B/report/index.html
prog=test-report

fail() {
    echo "$prog: FAIL: $*" >&2
    exit 1
}

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
    for c in chromium chromium-browser; do
        if command -v "$c" >/dev/null; then
            browser=$c
            break
        fi
    done
fi
[ -n "$browser" ] && command -v "$browser" >/dev/null ||
    fail "no chromium to open the page with (Debian package chromium: make deps, or tools/deps.sh as root)"

rm -rf "$logs"
mkdir -p "$logs"
start=$SECONDS
if [ "${REPORT_TEST_NO_BUILD:-0}" != 1 ]; then
    echo "$prog: make report REPORT=smoke"
    make -s --no-print-directory report REPORT=smoke B="$B" >"$logs/make.log" 2>&1 ||
        { tail -n 30 "$logs/make.log" >&2; fail "make report REPORT=smoke failed (see $logs/make.log)"; }
    echo "$prog: built the report in $((SECONDS - start)) s"
fi
[ -s "$page" ] || fail "$page: not written"

# The checks on a page (the browser's DOM or the file itself).
check_page() { # check_page FILE WHAT
    python3 - "$1" "$2" <<'PY'
import re, sys
path, what = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8").read()
errors = []
for sid in ("about", "figure5", "table2", "figure6", "figure7", "figure8", "table3"):
    if not re.search(r'<section id="%s"|<h2 id="%s"' % (sid, sid), text):
        errors.append(f"no element with id {sid}")
charts = re.findall(r'<svg\b[^>]*class="chart"[^>]*>.*?</svg>', text, re.S)
want = ("chart-figure5", "chart-table2", "chart-figure6", "chart-figure6-ratio", "chart-figure7",
        "chart-figure7-radix", "chart-figure8", "chart-figure8-local", "chart-table3-rate", "chart-table3-cost")
ids = []
for c in charts:
    m = re.search(r'\bid="([^"]+)"', c)
    cid = m.group(1) if m else "?"
    ids.append(cid)
    marks = re.findall(r'<rect\b[^>]*class="mark"[^>]*>', c)
    tall = [r for r in marks if float(re.search(r'height="([-0-9.]+)"', r).group(1)) > 0]
    if not tall:
        errors.append(f"chart {cid}: no data marks")
    if 'class="nodata"' in c:
        errors.append(f"chart {cid}: says it has no data")
    if not re.search(r'class="paper"', c) and cid not in ("chart-figure6",):
        errors.append(f"chart {cid}: no paper's value marked")
    print(f"  {cid}: {len(tall)} data marks, {len(re.findall(r'class=.paper.', c))} paper marks")
for cid in want:
    if cid not in ids:
        errors.append(f"chart {cid}: missing")
for bad in sorted(set(re.findall(r"\b(?:NaN|nan|undefined|Infinity|inf)\b", text))):
    errors.append(f'"{bad}" in the page')
if 'id="failed"' in text:
    errors.append("the page says a figure script failed")
for e in errors:
    print(f"{what}: {e}", file=sys.stderr)
sys.exit(1 if errors else 0)
PY
}

# 1. Nothing is fetched: no scripts, no links or sources from elsewhere.
if grep -n -i -E '<script|<link|<img|<iframe|@import|url\((https?:)?//|(src|href)="(https?:)?//' "$page" >"$logs/external.txt"; then
    cat "$logs/external.txt" >&2
    fail "$page: refers to something outside the page"
fi
if grep -o -E 'https?://[^" ]+' "$page" | grep -v -x 'http://www.w3.org/2000/svg' >"$logs/urls.txt"; then
    cat "$logs/urls.txt" >&2
    fail "$page: has addresses other than the SVG namespace"
fi

# 2. The same data, the same page.
python3 bench/report.py --data "$B/report/data" --paper bench/paper-values.tsv --out "$logs/again.html" ||
    fail "bench/report.py could not rebuild the page from $B/report/data"
cmp -s "$page" "$logs/again.html" || fail "bench/report.py gave another page from the same data (diff $page $logs/again.html)"
echo "$prog: the same data gives the same page"

# 3. The checker fails on a page with an empty chart (figure 8's data gone).
mkdir -p "$logs/empty"
cp "$B"/report/data/figure[567].* "$B/report/data/meta.tsv" "$logs/empty/"
python3 bench/report.py --data "$logs/empty" --paper bench/paper-values.tsv --out "$logs/empty.html"
if check_page "$logs/empty.html" "page without figure 8's data" >"$logs/empty-check.txt" 2>&1; then
    fail "the check passed a page whose Figure 8 charts are empty ($logs/empty.html)"
fi
grep -q "chart-figure8: no data marks" "$logs/empty-check.txt" || fail "the check did not name the empty chart ($logs/empty-check.txt)"
echo "$prog: the check fails on a page with empty charts, as it should"

# 4. The page as Chromium renders it.
abs=$(cd "$(dirname "$page")" && pwd)/$(basename "$page")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
flags=(--headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$profile" --hide-scrollbars)
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$abs" >"$logs/dom.html" 2>"$logs/chromium-dom.log" ||
    fail "$browser --dump-dom failed (see $logs/chromium-dom.log)"
timeout 120 "$browser" "${flags[@]}" --screenshot="$(pwd)/$logs/report.png" --window-size=1400,6000 \
    "file://$abs" >"$logs/chromium-shot.log" 2>&1 || fail "$browser --screenshot failed (see $logs/chromium-shot.log)"
[ -s "$logs/report.png" ] || fail "no screenshot written ($logs/chromium-shot.log)"
[ -s "$logs/dom.html" ] || fail "$browser dumped no DOM (see $logs/chromium-dom.log)"
echo "$prog: the page as Chromium rendered it:"
check_page "$logs/dom.html" "$page (rendered)" || fail "the rendered page is missing data (see above)"
echo "$prog: ok ($((SECONDS - start)) s; screenshot $logs/report.png)"
