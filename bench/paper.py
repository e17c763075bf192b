"""bench/paper.py: the paper's values, bench/paper-values.tsv, for the
figure scripts (bench/figure5.sh to figure8.sh print them beside the
kit's) and bench/report.py (which draws them): one source for both.

    import paper
    P = paper.read("bench/paper-values.tsv")   # {(item, row, column): (value, how)}
    paper.text(P, "fig5", "pmake", "disco.total")   # "116", or "" if absent
"""


def read(path):
    """The file's values; ValueError (with the file and line) if a line is bad."""
    vals = {}
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f.read().splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 5:
                raise ValueError(f"{path}:{i}: expected 5 tab-separated fields (item, row, column, value, how)")
            try:
                v = float(fields[3])
            except ValueError:
                raise ValueError(f"{path}:{i}: {fields[3]}: not a number") from None
            if fields[4] not in ("printed", "approx"):
                raise ValueError(f"{path}:{i}: {fields[4]}: expected printed or approx")
            vals[(fields[0], fields[1], fields[2])] = (v, fields[4])
    return vals


def get(vals, item, row, column):
    """The value, or None."""
    v = vals.get((item, row, column))
    return v[0] if v else None


def text(vals, item, row, column):
    """The value as the paper prints it (116, 0.035, 1.42), or ""."""
    v = get(vals, item, row, column)
    return "" if v is None else f"{v:g}"
