#!/usr/bin/env bash
# tools/trace-svg.sh TRACE.json [OUT.svg]: draw a timeline written by
# `flashsim --trace-json` or `disco --trace-json` as a picture, without a
# browser: one row per CPU track, with
#   - its slices (what ran there: a vCPU under disco, the kind of time most
#     spent under flashsim), one colour per name, the name written in when
#     it fits;
#   - under it, a strip of the "CPU n time %" counters, each sample a
#     stacked column of user (blue), supervisor = guest kernel (green),
#     kernel (orange), monitor (red) and idle (grey);
#   - its instant events as ticks above the row, one colour per category
#     (numa, disk, net, mark, vm).
# The picture is what the handouts show; for the real thing, with zoom and
# every event's details, open the JSON in ui.perfetto.dev or
# chrome://tracing. Same file in, same SVG out.
set -euo pipefail

prog=tools/trace-svg.sh
[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: $prog TRACE.json [OUT.svg]" >&2; exit 2; }
in=$1
out=${2:-/dev/stdout}
command -v jq >/dev/null || { echo "$prog: error: jq is needed (apt-get install jq)" >&2; exit 2; }
[ -r "$in" ] || { echo "$prog: error: $in: cannot read" >&2; exit 2; }

# One tab-separated line per event: ph, tid, ts, dur, name, cat, and for
# the time counters their five shares.
jq -r '.[] | select(.ph == "X" or .ph == "i" or (.ph == "C" and (.name | endswith("time %")))
             or (.ph == "M" and .name == "thread_name"))
       | [.ph, (.tid // 0), (.ts // 0), (.dur // 0),
          (if .ph == "M" then .args.name else .name end), (.cat // ""),
          (if .ph == "C" then (.args | [.user, (.supervisor // .["guest kernel"] // 0),
                                       (.kernel // .["kernel mode"] // 0), .monitor, .idle]
                                     | map(. // 0) | join(",")) else "" end)]
       | @tsv' "$in" 2>/dev/null >"${TMPDIR:-/tmp}/trace-svg.$$" || {
    rm -f "${TMPDIR:-/tmp}/trace-svg.$$"
    echo "$prog: error: $in: not a timeline (a JSON array of trace events)" >&2
    exit 1
}
trap 'rm -f "${TMPDIR:-/tmp}/trace-svg.$$"' EXIT

awk -F'\t' -v title="$(basename "$in")" '
function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
# A colour per slice name, from a fixed palette, in order of first use.
function colour(name) {
    if (!(name in col)) col[name] = pal[ncol++ % npal + 1]
    return col[name]
}
BEGIN {
    # Slice colours, none of them one of the strip colours below.
    npal = split("#76b7b2 #b07aa1 #9c755f #d37295 #499894 #edc948 #8cd17d #86bcb6 #ff9da7 #79706e", pal, " ")
    split("#4e79a7 #59a14f #f28e2b #e15759 #cfcfcf", share, " ")
    # flashsim slices are kinds of time: the colours of the strip.
    col["user"] = share[1]; col["supervisor"] = share[2]; col["kernel"] = share[3]
    col["monitor"] = share[4]; col["idle"] = share[5]
    cat["numa"] = "#e15759"; cat["disk"] = "#9c755f"; cat["net"] = "#b07aa1"
    cat["mark"] = "#000000"; cat["vm"] = "#edc948"
}
{
    n++; ph[n] = $1; tid[n] = $2 + 0; ts[n] = $3 + 0; dur[n] = $4 + 0; name[n] = $5; ct[n] = $6; args[n] = $7
    if ($1 == "M") { track[$2 + 0] = $5; if ($2 + 0 > maxtid) maxtid = $2 + 0 }
    end_ = $1 == "X" ? $3 + $4 : $3 + 0
    if (end_ > tmax) tmax = end_
}
END {
    if (tmax <= 0) tmax = 1
    left = 70; width = 1000; rowh = 46; top = 40
    H = top + (maxtid + 1) * rowh + 50
    printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n", left + width + 20, H
    printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
    printf "<text x=\"%d\" y=\"18\" font-size=\"13\">%s: %.1f ms of machine time</text>\n", left, esc(title), tmax / 1000
    for (t = 0; t <= maxtid; t++) {
        y = top + t * rowh
        printf "<text x=\"4\" y=\"%d\">%s</text>\n", y + 16, esc(t in track ? track[t] : "CPU " t)
        printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\" fill=\"#f4f4f4\"/>\n", left, y + 4, width
    }
    for (i = 1; i <= n; i++) {
        x = left + ts[i] / tmax * width; y = top + tid[i] * rowh
        if (ph[i] == "X") {
            w = dur[i] / tmax * width; if (w < 0.5) w = 0.5
            printf "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" height=\"20\" fill=\"%s\"><title>%s</title></rect>\n", x, y + 4, w, colour(name[i]), esc(name[i])
            if (w > 7 * length(name[i]))
                printf "<text x=\"%.2f\" y=\"%d\" fill=\"%s\">%s</text>\n", x + 3, y + 18, name[i] == "idle" ? "black" : "white", esc(name[i])
        } else if (ph[i] == "i") {
            c = ct[i] in cat ? cat[ct[i]] : "#555555"
            printf "<line x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"%s\"><title>%s</title></line>\n", x, y, x, y + 4, c, esc(ct[i] ": " name[i])
        } else if (ph[i] == "C") {
            # The sample covers the time since the previous one on its track;
            # samples are summed into 4-pixel columns, weighted by time.
            from = (tid[i] in lastc) ? lastc[tid[i]] : 0; lastc[tid[i]] = ts[i]
            b = int((from + ts[i]) / 2 / tmax * width / 4)
            k = split(args[i], s, ",")
            for (j = 1; j <= k; j++) acc[tid[i], b, j] += s[j] * (ts[i] - from)
            tot[tid[i], b] += ts[i] - from
        }
    }
    for (t = 0; t <= maxtid; t++)
        for (b = 0; b <= width / 4; b++) {
            if (!((t, b) in tot) || tot[t, b] <= 0) continue
            yy = top + t * rowh + 26
            for (j = 1; j <= 5; j++) {
                h = acc[t, b, j] / tot[t, b] / 100 * 14
                if (h > 0.05) printf "<rect x=\"%d\" y=\"%.1f\" width=\"4\" height=\"%.1f\" fill=\"%s\"/>\n", left + 4 * b, yy, h, share[j]
                yy += h
            }
        }
    # Time axis: ten ticks in milliseconds.
    ya = top + (maxtid + 1) * rowh + 6
    printf "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>\n", left, ya, left + width, ya
    for (k = 0; k <= 10; k++) {
        x = left + k * width / 10
        printf "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f ms</text>\n", x, ya, x, ya + 4, x, ya + 16, tmax * k / 10 / 1000
    }
    split("user supervisor kernel monitor idle", lab, " "); lx = left
    for (j = 1; j <= 5; j++) {
        printf "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>\n", lx, ya + 24, share[j], lx + 13, ya + 33, lab[j]
        lx += 90
    }
    print "</svg>"
}' "${TMPDIR:-/tmp}/trace-svg.$$" >"$out"
