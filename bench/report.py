#!/usr/bin/env python3
"""bench/report.py: the kit's report page (what `make report` builds).

    bench/report.py --data DIR --paper bench/paper-values.tsv --out FILE
                    [--meta KEY=VALUE]...

reads the figure scripts' data (DIR/figure5.json ... figure8.json, as
bench/figureN.sh --data writes them, DIR/figureN.txt, what they printed,
DIR/meta.tsv, KEY<tab>VALUE lines for the page's "About this report",
and DIR/failed, the scripts that failed) and the paper's values, and writes one self-contained HTML page:
Figures 5 to 8 and Tables 2 and 3 as inline SVG charts, each beside the
paper's values, inline CSS, no scripts, nothing fetched. The same input
gives the same bytes (no dates, fixed number formats, sorted keys).

Every chart is an <svg class="chart" id="chart-..."> whose kit data marks
are class "mark" (the paper's: "paper"); a chart with no data of the kit
says so in a <text class="nodata"> (tools/test-report.sh counts them).
--meta KEY=VALUE adds a line to "About this report" after meta.tsv's. Exits 2 on bad arguments or an unreadable paper-values file.
"""
import argparse
import html
import json
import math
import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import paper  # noqa: E402  (bench/paper.py: the paper-values file's reader)

PROG = "report"


def die(msg):
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(2)


def esc(s):
    return html.escape(str(s), quote=True)


def num(x, digits=1):
    """A fixed-format number: -0 is 0, no exponent."""
    if x is None:
        return "-"
    v = round(float(x), digits)
    if v == 0:
        v = 0.0
    return f"{v:.{digits}f}"


# ---- The paper's values -------------------------------------------------------

def read_paper(path):
    try:
        return paper.read(path)
    except OSError as e:
        die(f"{path}: {e.strerror}")
    except ValueError as e:
        die(str(e))


class Paper:
    def __init__(self, vals):
        self.vals = vals

    def get(self, item, row, col):
        v = self.vals.get((item, row, col))
        return v[0] if v else None

    def approx(self, item, row, col):
        v = self.vals.get((item, row, col))
        return bool(v) and v[1] == "approx"

    def fmt(self, item, row, col, digits=0):
        v = self.vals.get((item, row, col))
        if not v:
            return ""
        return ("~" if v[1] == "approx" else "") + num(v[0], digits)


# ---- SVG charts ---------------------------------------------------------------

COLORS = {
    "user": "#4e79a7", "kernel": "#f28e2b", "monitor": "#e15759", "idle": "#c9c3bf",
    "stall": "#76b7b2", "sync": "#edc948", "guest kernel": "#f28e2b",
    "kernel_text": "#59a14f", "kernel_data": "#f28e2b", "buffer_cache": "#b07aa1", "user pages": "#4e79a7",
    "kit": "#4e79a7", "migrations": "#4e79a7", "replications": "#59a14f", "paper": "#ffffff",
}
NAMES = {"kernel_text": "kernel text", "kernel_data": "kernel data", "buffer_cache": "buffer cache",
         "user pages": "user", "sync": "kernel synchronization"}


def nice_max(v):
    """A round axis maximum at or above v, and its tick step."""
    if v <= 0:
        return 1.0, 0.2
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * e >= v * 1.0001:
            top = m * e
            break
    for n in (5, 4, 6, 3, 8, 2):
        step = top / n
        s = step / 10 ** math.floor(math.log10(step))
        if abs(s - round(s * 2) / 2) < 1e-9:
            return top, step
    return top, top / 5


def chart(cid, title, groups, ylabel, series, width=780, height=360, digits=0, paper_label="paper"):
    """A bar chart as SVG. groups: [(group label, [bar, ...])], a bar a
    dict: label, segments [(series, value)] stacked (kit data), paper (the
    paper's value for it, a marker) or kind "paper" (a bar of the paper's
    alone: value). series: the legend, in order."""
    L, R, T, B = 70, 20, 40, 78
    pw, ph = width - L - R, height - T - B
    nbars = sum(len(b) for _, b in groups)
    gap = 1.0
    slots = nbars + gap * (len(groups) - 1) if groups else 1
    slot = pw / max(slots, 1)
    bw = slot * 0.72
    top = 0.0
    for _, bars in groups:
        for b in bars:
            if b.get("kind") == "paper":
                top = max(top, b["value"] or 0)
            else:
                top = max(top, sum(max(v or 0, 0) for _, v in b["segments"]), b.get("total") or 0)
            if b.get("paper") is not None:
                top = max(top, b["paper"])
    ymax, step = nice_max(top * 1.08 if top else 1)
    y = lambda v: T + ph - ph * (v / ymax)
    o = []
    o.append(f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{esc(cid)}" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}">')
    o.append(f'<title>{esc(title)}</title>')
    o.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>')
    # Grid and y axis.
    k = 0
    while k * step <= ymax * 1.0001:
        v = k * step
        yy = y(v)
        o.append(f'<line x1="{L}" y1="{yy:.1f}" x2="{L + pw}" y2="{yy:.1f}" stroke="#e4e4e4"/>')
        lab = num(v, 0 if step >= 1 else (1 if step >= 0.1 else 2))
        o.append(f'<text x="{L - 6}" y="{yy + 4:.1f}" text-anchor="end" class="tick">{lab}</text>')
        k += 1
    o.append(f'<line x1="{L}" y1="{T}" x2="{L}" y2="{T + ph}" stroke="#333"/>')
    o.append(f'<line x1="{L}" y1="{T + ph}" x2="{L + pw}" y2="{T + ph}" stroke="#333"/>')
    o.append(f'<text transform="translate(16 {T + ph / 2:.1f}) rotate(-90)" text-anchor="middle" class="axis">{esc(ylabel)}</text>')
    # Bars.
    x = L
    marks = 0
    for gi, (glabel, bars) in enumerate(groups):
        gx0 = x
        for b in bars:
            cx = x + slot / 2
            bx = cx - bw / 2
            if b.get("kind") == "paper":
                v = b["value"]
                if v is not None:
                    o.append(f'<rect class="paper" x="{bx:.1f}" y="{y(v):.1f}" width="{bw:.1f}" height="{y(0) - y(v):.1f}" '
                             f'fill="url(#hatch-{esc(cid)})" stroke="none"><title>{esc(paper_label)}: {num(v, digits)}</title></rect>')
                    acc = 0.0
                    for sname, sv in b.get("segments", []):
                        if not sv or sv <= 0:
                            continue
                        o.append(f'<rect x="{bx + bw * 0.2:.1f}" y="{y(acc + sv):.1f}" width="{bw * 0.6:.1f}" '
                                 f'height="{max(y(acc) - y(acc + sv), 0.01):.1f}" fill="{COLORS.get(sname, "#888")}" '
                                 f'fill-opacity="0.55"><title>{esc(paper_label)}: {esc(NAMES.get(sname, sname))} ~{num(sv, digits)}</title></rect>')
                        acc += sv
                    o.append(f'<rect x="{bx:.1f}" y="{y(v):.1f}" width="{bw:.1f}" height="{y(0) - y(v):.1f}" '
                             f'fill="none" stroke="#333" stroke-dasharray="4 2"/>')
                    o.append(f'<text x="{cx:.1f}" y="{y(v) - 4:.1f}" text-anchor="middle" class="val">{num(v, digits)}</text>')
            else:
                acc = 0.0
                for s, v in b["segments"]:
                    if v is None or v <= 0:
                        continue
                    y0, y1 = y(acc), y(acc + v)
                    o.append(f'<rect class="mark" data-series="{esc(s)}" x="{bx:.1f}" y="{y1:.1f}" width="{bw:.1f}" '
                             f'height="{max(y0 - y1, 0.01):.1f}" fill="{COLORS.get(s, "#888")}">'
                             f'<title>{esc(b["label"])}: {esc(NAMES.get(s, s))} {num(v, max(digits, 1))}</title></rect>')
                    acc += v
                    marks += 1
                if b["segments"]:
                    tot = b.get("total", acc)
                    o.append(f'<text x="{cx:.1f}" y="{y(acc) - 4:.1f}" text-anchor="middle" class="val">{num(tot, digits)}</text>')
                p = b.get("paper")
                if p is not None:
                    py = y(p)
                    o.append(f'<line class="paper" x1="{bx - 3:.1f}" y1="{py:.1f}" x2="{bx + bw + 3:.1f}" y2="{py:.1f}" '
                             f'stroke="#000" stroke-width="1.5" stroke-dasharray="3 2"/>')
                    o.append(f'<path class="paper" d="M{bx + bw + 3:.1f} {py:.1f} l5 -5 l5 5 l-5 5 z" fill="#fff" stroke="#000" stroke-width="1.5">'
                             f'<title>{esc(paper_label)}: {num(p, digits)}</title></path>')
            fs = min(11.0, slot * 0.92 / max(len(b["label"]) * 0.72, 1))
            o.append(f'<text x="{cx:.1f}" y="{T + ph + 14}" text-anchor="middle" class="bar" '
                     f'style="font-size:{fs:.1f}px">{esc(b["label"])}</text>')
            x += slot
        gx1 = x
        o.append(f'<text x="{(gx0 + gx1) / 2:.1f}" y="{T + ph + 34}" text-anchor="middle" class="group">{esc(glabel)}</text>')
        x += slot * gap
    if not marks:
        o.append(f'<text class="nodata" x="{L + pw / 2:.1f}" y="{T + ph / 2:.1f}" text-anchor="middle">'
                 f'no data from the kit (the run failed: see its output below)</text>')
    # Legend.
    lx, ly = L, height - 18
    items = [(s, COLORS.get(s, "#888"), "rect") for s in series]
    if any(b.get("paper") is not None for _, bs in groups for b in bs):
        items.append(("the paper's value", None, "diamond"))
    if any(b.get("kind") == "paper" for _, bs in groups for b in bs):
        items.append(("the paper's bar", None, "hatch"))
    for s, c, shape in items:
        if shape == "rect":
            o.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{c}"/>')
        elif shape == "diamond":
            o.append(f'<path d="M{lx} {ly - 4} l6 -6 l6 6 l-6 6 z" fill="#fff" stroke="#000" stroke-width="1.5"/>')
        else:
            o.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="url(#hatch-{esc(cid)})" stroke="#333" stroke-dasharray="3 2"/>')
        name = NAMES.get(s, s)
        o.append(f'<text x="{lx + 17}" y="{ly}" class="legend">{esc(name)}</text>')
        lx += 30 + 7 * len(name)
    o.append(f'<defs><pattern id="hatch-{esc(cid)}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
             f'<rect width="6" height="6" fill="#f4f4f4"/><line x1="0" y1="0" x2="0" y2="6" stroke="#999" stroke-width="2"/></pattern></defs>')
    o.append(f'<text x="{L}" y="22" class="ctitle">{esc(title)}</text>')
    o.append('</svg>')
    return "\n".join(o)


def table(head, rows, cls="vals"):
    o = [f'<table class="{cls}">' + ("<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr></thead>"
                                     if any(head) else "") + "<tbody>"]
    for r in rows:
        o.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>")
    o.append("</tbody></table>")
    return "\n".join(o)


# ---- The figures -------------------------------------------------------------

def load(dirname, n):
    try:
        with open(os.path.join(dirname, f"figure{n}.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def pct(a, b):
    return 100.0 * (a - b) / b if b else 0.0


WL5 = ("pmake", "engineering", "raytrace", "database")
PARTS5 = ("user", "kernel", "monitor", "idle")


def figure5(d, P):
    groups, rows = [], []
    w = (d or {}).get("workloads", {})
    for n in WL5:
        bars = []
        r = w.get(n, {}).get("runs", {})
        for run, label in (("bare", "bare"), ("disco", "Disco"), ("nohal", "no HAL")):
            t = r.get(run)
            bars.append({"label": label, "segments": [(k, t[k]) for k in PARTS5] if t else [],
                         "total": t["total"] if t else None,
                         "paper": P.get("fig5", n, "disco.total") if run == "disco" else None})
        bars.append({"label": "paper", "kind": "paper", "value": P.get("fig5", n, "disco.total"),
                     "segments": [(k, P.get("fig5", n, f"disco.{k}")) for k in PARTS5]})
        groups.append((n, bars))
        for run in ("bare", "disco", "nohal"):
            t = r.get(run)
            pp = "bare" if run == "bare" else "disco" if run == "disco" else None
            split = "/".join(P.fmt("fig5", n, f"{pp}.{k}") or "-" for k in PARTS5) if pp else ""
            ptot = "100" if run == "bare" else P.fmt("fig5", n, "disco.total") if run == "disco" else ""
            rows.append([n, run, num(t["total"]) if t else "(no result)",
                         "/".join(num(t[k]) for k in PARTS5) if t else "",
                         num(t.get("l2_hit_rate")) + "%" if t and "l2_hit_rate" in t else "",
                         f"{ptot} ({split})" if pp else ""])
    svg = chart("chart-figure5", "Figure 5: a uniprocessor VM against the bare machine (bare = 100)", groups,
                "execution time (bare machine = 100)", PARTS5)
    tab = table(["workload", "run", "time", "user/kernel/monitor/idle", "L2 TLB hits",
                 "paper: time (user/kernel/monitor/idle)"], rows)
    # What dominates.
    text = ("Each workload runs in a one-CPU VM and on the bare machine; each bar is its measured interval "
            "(mark 1 to mark 2) split into user, kernel, monitor and idle time as shares of the bare "
            "machine's time, the paper's Disco marked beside it (the paper's split is in the table). ")
    over = [(pct(w[n]["runs"]["disco"]["total"], 100), n) for n in WL5
            if n in w and "disco" in w[n]["runs"]]
    if over:
        lo, hi = min(over), max(over)
        t, b = w[hi[1]]["runs"]["disco"], w[hi[1]]["runs"]["bare"]
        inc = max(PARTS5, key=lambda k: t[k] - b[k])
        text += (f"In the kit Disco costs {num(lo[0])}% ({lo[1]}) to {num(hi[0])}% ({hi[1]}) over the bare machine "
                 f"(paper: 3% to 16%); in {hi[1]} most of the difference is {inc} time "
                 f"({num(b[inc])} natively, {num(t[inc])} in the VM). ")
        nh = [(w[n]["runs"]["nohal"]["monitor"] - w[n]["runs"]["disco"]["monitor"], n) for n in WL5
              if n in w and "nohal" in w[n]["runs"] and "disco" in w[n]["runs"]]
        if nh:
            m = max(nh)
            text += (f"Without the HAL page every privileged-register access traps: the monitor's share grows most "
                     f"in {m[1]}, by {num(m[0])} points.")
    return svg, tab, text


T2_EVENTS = (("syscalls", "system calls (forwarded to the guest)"),
             ("tlb_refills", "user TLB misses (UTLB_MISS)"),
             ("l2_hits", "  of which second-level TLB hits"),
             ("tlb_faults", "TLB modified faults"),
             ("kseg_refills", "kernel TLB misses (the relocated kernel)"),
             ("emulated", "privileged instructions emulated"),
             ("hcalls", "monitor calls (devices, zeroed pages, HAL)"),
             ("interrupts", "interrupts"))
T2_PAPER = ("DEMAND_ZERO", "QUICK_FAULT", "open", "UTLB_MISS", "write", "read", "execve")


def table2(d, P):
    r = (d or {}).get("workloads", {}).get("pmake", {}).get("runs", {})
    b = r.get("bare")
    bars = []
    slow = {}
    for run, label in (("disco", "Disco"), ("nohal", "no HAL")):
        t = r.get(run)
        if b and t and b["kernel"] > 0:
            k, m = t["kernel"] / b["kernel"], t["monitor"] / b["kernel"]
            slow[run] = (k, m)
            bars.append({"label": label, "segments": [("guest kernel", k), ("monitor", m)], "total": k + m})
        else:
            bars.append({"label": label, "segments": []})
    pbars = [{"label": s, "kind": "paper", "value": P.get("table2", s, "slowdown")} for s in T2_PAPER]
    svg = chart("chart-table2", "Table 2: how much slower pmake's kernel services are under Disco (native = 1)",
                [("kit: all of pmake's kernel time", bars), ("paper: pmake's most expensive services", pbars)],
                "slowdown on Disco (native kernel time = 1)", ("guest kernel", "monitor"), digits=2)
    rows = []
    for key, label in T2_EVENTS:
        nat = b.get("events", {}).get(key) if b else None
        vm = r.get("disco", {}).get("events", {}).get(key)
        nh = r.get("nohal", {}).get("events", {}).get(key)
        rows.append([label, "-" if nat is None else str(nat), "-" if vm is None else str(vm), "-" if nh is None else str(nh)])
    tab = table(["pmake, whole run", "native", "Disco", "no HAL"], rows)
    prow = [[s, P.fmt("table2", s, "share") + "%", P.fmt("table2", s, "native_us", 3 if s == "UTLB_MISS" else 0),
             P.fmt("table2", s, "slowdown", 2)] for s in T2_PAPER]
    ptab = table(["paper: service", "share of system time", "mean time natively (us)", "slowdown on Disco"], prow)
    text = ("The paper's Table 2 times pmake's most expensive kernel services natively and under Disco; the kit's "
            "kernel has no per-service profile, so the kit's bar is all of pmake's kernel time in Figure 5's "
            "interval under Disco (guest kernel plus monitor) over the native kernel's, and the table counts the "
            "events behind it. ")
    if "disco" in slow:
        k, m = slow["disco"]
        ev = r["disco"].get("events", {})
        big = max(("emulated", "hcalls", "kseg_refills", "syscalls", "tlb_refills"), key=lambda x: ev.get(x, 0))
        text += (f"Under Disco the kernel's work is {num(k + m, 2)} times the native one's ({num(k, 2)} in the guest "
                 f"kernel, {num(m, 2)} in the monitor); the most frequent event the monitor handles: "
                 f"{dict(T2_EVENTS)[big].strip()}, {ev.get(big, 0)} of them, which the native kernel "
                 f"{'does not have' if (b or {}).get('events', {}).get(big, 0) == 0 else 'has too'}.")
    return svg, tab + "\n" + ptab, text


ROWS6 = (("native", "native"), ("1", "1 VM"), ("2", "2 VMs"), ("4", "4 VMs"), ("8", "8 VMs"), ("nfs", "8 + NFS"))
KINDS6 = ("kernel_text", "kernel_data", "buffer_cache", "user")


def figure6(d, P):
    rows_d = (d or {}).get("rows", {})
    groups, rgroups, rows = [], [], []
    for key, label in ROWS6:
        t = rows_d.get(key)
        bars = []
        for vm in ("V", "M"):
            segs = [(("user pages" if k == "user" else k), t[f"{vm}_kinds"][k]) for k in KINDS6] if t else []
            bars.append({"label": vm, "segments": segs, "total": t[vm] if t else None})
        groups.append((label, bars))
        ratio = t["M"] / t["V"] if t and t["V"] else None
        pv, pm = P.get("fig6", key, "V"), P.get("fig6", key, "M")
        rgroups.append((label, [{"label": "M/V", "segments": [("kit", ratio)] if ratio else [], "total": ratio,
                                 "paper": pm / pv if pv else None}]))
        rows.append([label, num(t["V"]) if t else "(no result)", num(t["M"]) if t else "",
                     num(ratio, 2) if ratio else "", num(t.get("monitor")) if t and "monitor" in t else "-",
                     P.fmt("fig6", key, "V"), P.fmt("fig6", key, "M"), num(pm / pv, 2) if pv else ""])
    svg = chart("chart-figure6", "Figure 6: pmake's memory at its peak, V (each VM alone) and M (machine memory used)",
                groups, "memory (MB)", ("kernel_text", "kernel_data", "buffer_cache", "user pages"), digits=1)
    svg2 = chart("chart-figure6-ratio", "Figure 6: M/V, the share of the VMs' memory that is not shared away",
                 rgroups, "M / V", ("kit",), height=300, digits=2)
    tab = table(["config", "V (MB)", "M (MB)", "M/V", "monitor (MB)", "paper V", "paper M", "paper M/V"], rows)
    text = ("Pmake runs natively and in 1, 2, 4 and 8 VMs booting one copy-on-write root disk; V is the memory the "
            "VMs would need each alone, M the machine memory they do use at the peak, with kernel text and "
            "buffer-cache pages shared through the monitor. The kit's kernel and workloads are far smaller than "
            "IRIX's, so compare M/V, not megabytes. ")
    t8 = rows_d.get("8")
    if t8 and t8["V"]:
        saved = {k: t8["V_kinds"][k] - t8["M_kinds"][k] for k in KINDS6}
        big = max(KINDS6, key=lambda k: saved[k])
        mbig = max(KINDS6, key=lambda k: t8["M_kinds"][k])
        text += (f"With 8 VMs M/V is {num(t8['M'] / t8['V'], 2)} (paper {num(38 / 77, 2)}): sharing saves most in "
                 f"{NAMES.get(big, big)} ({num(saved[big])} MB), and {NAMES.get(mbig, mbig)} is the largest part of M.")
    return svg + "\n" + svg2, tab, text


ROWS7 = ("native", "1", "2", "4", "8", "nfs")
LABELS7 = ("native", "1 VM", "2 VMs", "4 VMs", "8 VMs", "8 + NFS")
PARTS7 = ("idle", "user", "kernel", "sync", "monitor")


def figure7(d, P):
    tabs = (d or {}).get("tables", {})
    pm, rx = tabs.get("pmake", []), tabs.get("radix", [])
    groups, rows = [], []
    for i, (key, label) in enumerate(zip(ROWS7, LABELS7)):
        t = pm[i] if i < len(pm) and "total" in pm[i] else None
        groups.append((label, [{"label": "kit", "segments": [(k, t.get(k)) for k in PARTS7] if t else [],
                                "total": t["total"] if t else None, "paper": P.get("fig7", key, "total")}]))
        rows.append([t["label"] if t else label, num(t["total"]) if t else "(no result)",
                     "/".join(num(t.get(k)) for k in PARTS7) if t else "", P.fmt("fig7", key, "total")])
    svg = chart("chart-figure7", "Figure 7: pmake on 8 CPUs, natively and split among VMs (native = 100)", groups,
                "execution time (native = 100)", PARTS7)
    rg, rrows = [], []
    for i, (label, key) in enumerate((("native", "radix-native"), ("SPLASHOS in a VM", "radix-splashos"),
                                      ("SPLASHOS, bare", ""))):
        t = rx[i] if i < len(rx) and "total" in rx[i] else None
        rg.append((label, [{"label": "kit", "segments": [(k, t.get(k)) for k in PARTS7] if t else [],
                            "total": t["total"] if t else None,
                            "paper": P.get("fig7", key, "total") if key else None}]))
        rrows.append([t["label"] if t else label, num(t["total"]) if t else "(no result)",
                      "/".join(num(t.get(k)) for k in PARTS7) if t else "",
                      P.fmt("fig7", key, "total") if key else ""])
    svg2 = chart("chart-figure7-radix", "Figure 7: radix sort, natively and on SPLASHOS (native = 100)", rg,
                 "execution time (native = 100)", PARTS7, height=320)
    tab = table(["pmake", "time", "idle/user/kernel/sync/monitor", "paper"], rows)
    tab2 = table(["radix", "time", "idle/user/kernel/sync/monitor", "paper"], rrows)
    text = ("The same pmake build (and the same radix sort) on the 8-CPU machine, natively and split among more "
            "and smaller VMs; time is split into idle, user, kernel, kernel synchronization (spinning in "
            "spinlocks) and monitor, as shares of all CPUs' time. ")
    if pm and "total" in pm[0]:
        best = min((i for i in range(len(pm)) if "total" in pm[i]), key=lambda i: pm[i]["total"])
        nat = pm[0]
        busy = sum(nat.get(k, 0) for k in ("user", "kernel", "sync", "monitor"))
        dom = max(PARTS7, key=lambda k: nat.get(k, 0) or 0)
        text += (f"In the kit the fastest is {LABELS7[best]} at {num(pm[best]['total'])} (paper: 8 VMs at 60); natively "
                 f"{dom} dominates ({num(nat.get(dom))} of 100) and kernel synchronization is "
                 f"{num(100 * (nat.get('sync') or 0) / busy if busy else 0)}% of the busy time (paper: about a quarter). ")
    if len(rx) >= 2 and "total" in rx[1]:
        text += f"SPLASHOS in a VM takes {num(rx[1]['total'])} of the native sort's time (paper 34)."
    return svg + "\n" + svg2, tab + "\n" + tab2, text


RUNS8 = (("irix", "IRIX"), ("local", "local"), ("disco", "Disco"), ("numa", "Disco+M/R"), ("uma", "UMA"))
PARTS8 = ("user", "kernel", "monitor", "stall", "idle")


def figure8(d, P):
    w = (d or {}).get("workloads", {})
    groups, lgroups, rows = [], [], []
    for n in ("engineering", "raytrace"):
        r = w.get(n, {}).get("runs", {})
        bars, lbars = [], []
        for run, label in RUNS8:
            t = r.get(run)
            bars.append({"label": label, "segments": [(k, t[k]) for k in PARTS8] if t else [],
                         "total": t["total"] if t else None, "paper": P.get("fig8", n, f"{run}.total")})
            loc = t.get("local_misses") if t else None
            lbars.append({"label": label, "segments": [("kit", loc)] if loc else [], "total": loc,
                          "paper": P.get("fig8", n, f"{run}.local_misses")})
            rows.append([n, label, num(t["total"]) if t else "(no result)",
                         "/".join(num(t[k]) for k in PARTS8) if t else "",
                         (num(loc, 0) + "%" + ("*" if run in ("disco", "numa") else "")) if loc is not None else "-",
                         (P.fmt("fig8", n, f"{run}.total") + ", " + P.fmt("fig8", n, f"{run}.local_misses") + "%")
                         if P.get("fig8", n, f"{run}.total") is not None else ""])
        groups.append((n, bars))
        lgroups.append((n, lbars))
    svg = chart("chart-figure8", "Figure 8: a NUMA-unaware kernel, with and without page migration and replication (IRIX = 100)",
                groups, "execution time (IRIX = 100)", PARTS8)
    svg2 = chart("chart-figure8-local", "Figure 8: the share of cache misses served by local memory", lgroups,
                 "local misses (%)", ("kit",), height=300)
    tab = table(["workload", "run", "time", "user/kernel/monitor/stall/idle", "local misses",
                 "paper: time, local"], rows)
    text = ("Engineering (8 CPUs) and raytrace (16 CPUs) with pages placed round-robin (IRIX), by the native kernel's "
            "node-local allocator, under Disco without and with migration and replication (M/R), and on a UMA "
            "machine; stall is cache-miss stall. * the monitor counts misses for the whole run. ")
    for n in ("engineering", "raytrace"):
        r = w.get(n, {}).get("runs", {})
        if "numa" in r and "irix" in r:
            t = r["numa"]
            dom = max(PARTS8, key=lambda k: t[k])
            text += (f"{n.capitalize()}: with M/R {num(t['total'])} of IRIX's time (paper "
                     f"{P.fmt('fig8', n, 'numa.total')}), {num(t.get('local_misses'), 0)}% of misses local "
                     f"(paper {P.fmt('fig8', n, 'numa.local_misses')}%), {dom} dominates. ")
    return svg + "\n" + svg2, tab, text


def plural(k, word):
    return f"{k} {word}{'' if k == 1 else 's'}"


def table3(d, P):
    w = (d or {}).get("workloads", {})
    g1, g2, rows = [], [], []
    for n in ("engineering", "raytrace"):
        t = w.get(n, {}).get("table3")
        b1, b2 = [], []
        for key, label, s in (("migrations_per_s", "migrations", "migrations"),
                              ("replications_per_s", "replications", "replications")):
            v = t.get(key) if t else None
            b1.append({"label": label, "segments": [(s, v)] if v else [], "total": v, "paper": P.get("table3", n, key)})
        for key, label, s in (("migrate_us", "migration", "migrations"), ("replicate_us", "replication", "replications")):
            v = t.get(key) if t else None
            b2.append({"label": label, "segments": [(s, v)] if v else [], "total": v, "paper": P.get("table3", n, key)})
        g1.append((n, b1))
        g2.append((n, b2))
        rows.append([n] + ([num(t["migrations_per_s"], 0), num(t["migrate_us"]), num(t["replications_per_s"], 0),
                            num(t["replicate_us"]), f"{t['migrations']} / {t['replications']} in {num(t['seconds'], 2)} s"]
                           if t else ["(no result)", "", "", "", ""]) +
                    [", ".join(P.fmt("table3", n, k) for k in ("migrations_per_s", "migrate_us", "replications_per_s", "replicate_us"))])
    svg = chart("chart-table3-rate", "Table 3: page migrations and replications per second (numa = on)", g1,
                "per second of machine time (300 MHz)", ("migrations", "replications"), height=320)
    svg2 = chart("chart-table3-cost", "Table 3: the monitor's time for each migration and replication", g2,
                 "microseconds each", ("migrations", "replications"), height=320, digits=1)
    tab = table(["workload", "migrations/s", "us each", "replications/s", "us each", "counts", "paper: migr/s, us, repl/s, us"], rows)
    text = ("How often the monitor moved pages in Figure 8's Disco+M/R runs, and what each move cost it (the "
            "monitor's cycles for the TLB shootdowns and the copy, over the count). ")
    for n in ("engineering", "raytrace"):
        t = w.get(n, {}).get("table3")
        if t:
            more = "replications" if t["replications"] >= t["migrations"] else "migrations"
            text += (f"{n.capitalize()}: {plural(t['migrations'], 'migration')} and "
                     f"{plural(t['replications'], 'replication')} ({num(t['migrations_per_s'], 0)} and "
                     f"{num(t['replications_per_s'], 0)} per second; paper {P.fmt('table3', n, 'migrations_per_s')} "
                     f"and {P.fmt('table3', n, 'replications_per_s')}), {more} dominate. ")
    return svg + "\n" + svg2, tab, text


CSS = """
body { font: 15px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; margin: 0 auto;
       max-width: 1400px; padding: 1em 2em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; margin-top: 2em; border-bottom: 1px solid #ccc; }
.figure { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; }
.charts { flex: 0 0 auto; }
.charts svg { display: block; margin-bottom: 0.6em; border: 1px solid #eee; }
.side { flex: 1 1 420px; min-width: 420px; overflow-x: auto; }
p.run { font-size: 13px; color: #555; }
table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 12px; }
th, td { border: 1px solid #ddd; padding: 2px 7px; text-align: right; white-space: pre; }
th { background: #f3f3f3; white-space: normal; vertical-align: bottom; }
td:first-child, th:first-child { text-align: left; }
table.meta td { text-align: left; white-space: normal; }
p.what { max-width: 60em; }
.warn { background: #fee; border: 1px solid #c00; padding: 0.5em 1em; }
details pre { font-size: 12px; background: #f8f8f8; padding: 0.6em; overflow-x: auto; }
svg text { font-family: Helvetica, Arial, sans-serif; }
svg .tick, svg .bar, svg .val { font-size: 11px; fill: #333; }
svg .group { font-size: 12px; font-weight: bold; fill: #222; }
svg .axis, svg .legend { font-size: 12px; fill: #222; }
svg .ctitle { font-size: 14px; font-weight: bold; fill: #222; }
svg .nodata { font-size: 14px; fill: #c00; }
"""


def main():
    ap = argparse.ArgumentParser(prog=PROG, description="the kit's report page")
    ap.add_argument("--data", required=True, help="directory of figureN.json and figureN.txt")
    ap.add_argument("--paper", required=True, help="bench/paper-values.tsv")
    ap.add_argument("--out", required=True, help="the HTML file to write")
    ap.add_argument("--meta", action="append", default=[], help="KEY=VALUE for the page's About table")
    ap.add_argument("--failed", action="append", default=[], help="a figure script that failed")
    a = ap.parse_args()
    P = Paper(read_paper(a.paper))
    try:
        a.failed += open(os.path.join(a.data, "failed"), encoding="utf-8").read().split()
    except OSError:
        pass
    data = {n: load(a.data, n) for n in (5, 6, 7, 8)}
    sections = [
        ("figure5", "Figure 5: execution overhead of a uniprocessor VM", figure5(data[5], P), 5),
        ("table2", "Table 2: what the kernel's services cost under the monitor", table2(data[5], P), 5),
        ("figure6", "Figure 6: memory saved by transparent sharing", figure6(data[6], P), 6),
        ("figure7", "Figure 7: scalability: one workload in more and smaller VMs", figure7(data[7], P), 7),
        ("figure8", "Figure 8: page migration and replication", figure8(data[8], P), 8),
        ("table3", "Table 3: the cost of migration and replication", table3(data[8], P), 8),
    ]
    o = ['<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">',
         '<meta name="viewport" content="width=device-width, initial-scale=1">',
         "<title>The Disco kit's figures</title>", f'<style>{CSS}</style>', '</head>', '<body>',
         "<h1>The Disco kit's figures</h1>",
         '<p class="what">The Disco paper\'s experiments (Bugnion, Devine and Rosenblum, SOSP 1997, section 5) run on '
         'this tree\'s simulator, monitor and guests by <code>make report</code> (bench/figure5.sh to figure8.sh), '
         'each chart beside the paper\'s values (bench/paper-values.tsv; ~ marks a value read off one of the paper\'s '
         'bar charts). The kit\'s machine, kernel and workloads are much smaller than the paper\'s: compare the '
         'shapes (what grows, what dominates), not the exact numbers. Every run is deterministic: the same tree and '
         'sizes give the same page.</p>']
    if a.failed:
        o.append('<p class="warn" id="failed">These figure scripts failed (a run failed or printed something '
                 'else than the native one): ' + esc(", ".join(a.failed)) +
                 '. Their charts show what did run; the output is at the end of each section.</p>')
    o.append('<h2 id="about">About this report</h2>')
    meta = []
    try:
        for line in open(os.path.join(a.data, "meta.tsv"), encoding="utf-8").read().splitlines():
            k, _, v = line.partition("\t")
            meta.append([k, v])
    except OSError:
        pass
    for kv in a.meta:
        k, _, v = kv.partition("=")
        meta.append([k, v])
    o.append(table(["", ""], [[k.capitalize(), v] for k, v in meta], cls="meta"))
    o.append('<ul>' + "".join(f'<li><a href="#{sid}">{esc(title)}</a></li>' for sid, title, _, _ in sections) + '</ul>')
    for sid, title, (svg, tab, text), n in sections:
        o.append(f'<section id="{sid}">')
        o.append(f'<h2>{esc(title)}</h2>')
        o.append(f'<p class="what">{esc(text.strip())}</p>')
        d = data[n] or {}
        mach, size = d.get("machine"), d.get("size")
        if isinstance(mach, dict):
            mach = "; ".join(f"{k}: {v}" for k, v in sorted(mach.items()))
        if isinstance(size, dict):
            size = ", ".join(f"{k} -s {v}" for k, v in sorted(size.items()))
        if mach or size:
            o.append(f'<p class="run">Run on: {esc(mach or "?")}. Size: {esc(size if size is not None else "?")} '
                     f'(bench/figure{n}.sh).</p>')
        o.append('<div class="figure">')
        o.append(f'<div class="charts">{svg}</div>')
        o.append(f'<div class="side">{tab}</div>')
        o.append('</div>')
        if sid in ("figure5", "figure6", "figure7", "figure8"):
            try:
                txt = open(os.path.join(a.data, f"figure{n}.txt"), encoding="utf-8").read()
            except OSError:
                txt = "(no output)"
            o.append(f'<details><summary>what bench/figure{n}.sh printed</summary><pre>{esc(txt)}</pre></details>')
        o.append('</section>')
    o.append('</body>')
    o.append('</html>')
    tmp = a.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write("\n".join(o) + "\n")
    os.replace(tmp, a.out)


if __name__ == "__main__":
    main()
