# tools/lab-release.awk: one reference/src/*.c file -> its starter version
# for lab LAB (tools/lab-release.sh runs it). POSIX awk (mawk, gawk).
#
#   awk -v LAB=N -f tools/lab-release.awk FILE FILE > OUT
#
# The file is read twice. The first pass finds which identifiers the code
# outside lab LAB's regions uses; the second writes the file. Inside every
# region of lab LAB (a line "/* LAB N BEGIN name */" to a line
# "/* LAB N END */"):
#   - a function that is not static keeps its signature exactly and gets a
#     stub body: (void) for each named parameter, then
#     lab_not_implemented("NAME", N);
#   - a static function is dropped (stubbed instead when code outside the
#     region calls it, so that the file still compiles), and so is static
#     data;
#   - comments between the functions (their contracts), preprocessor lines
#     and other declarations stay; the markers stay, with a line after
#     BEGIN telling the student this is theirs to write.
# Regions of other labs, and everything outside the regions, are copied as
# they are. A file that got a stub includes "disco/lab.h". If a static
# helper outside the regions was used only by removed code, the file turns
# off -Wunused-function (the student's code will use it again).
# Braces, parentheses and semicolons inside strings, character literals
# and comments are ignored.
#
# Exits 2 with "lab-release.awk: error: FILE:LINE: ..." on markers it cannot
# pair up, or a region it cannot parse.

function fail(msg) {
    printf "lab-release.awk: error: %s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
    failed = 1
    exit 2
}

# The lab number of a marker line, or -1; sets MARK to "BEGIN" or "END".
function marker(line,   s) {
    if (line !~ /^[ \t]*\/\*[ \t]*LAB[ \t]+[0-9]+[ \t]+(BEGIN|END)([ \t]|\*)/)
        return -1
    s = line
    sub(/^[ \t]*\/\*[ \t]*LAB[ \t]+/, "", s)
    MARK = (s ~ /^[0-9]+[ \t]+BEGIN/) ? "BEGIN" : "END"
    sub(/[^0-9].*$/, "", s)
    return s + 0
}

# Index just past the comment, string or character literal starting at
# position i of s, or 0 if none starts there. An unterminated one runs to
# the end of s.
function skip_lit(s, i,   c, c2, n, j, q) {
    c = substr(s, i, 1)
    c2 = substr(s, i + 1, 1)
    n = length(s)
    if (c == "/" && c2 == "*") {
        j = index(substr(s, i + 2), "*/")
        return j ? i + 2 + j + 1 : n + 1
    }
    if (c == "/" && c2 == "/") {
        j = index(substr(s, i), "\n")
        return j ? i + j - 1 : n + 1
    }
    if (c == "\"" || c == "'") {
        q = c
        for (j = i + 1; j <= n; j++) {
            c = substr(s, j, 1)
            if (c == "\\")
                j++
            else if (c == q || c == "\n")
                return j + 1
        }
        return n + 1
    }
    return 0
}

# s with comments replaced by a space and strings and character literals
# by "" (code only). A block comment may continue across calls: IN_COMMENT.
function code_only(s,   out, i, j, n, c) {
    out = ""
    n = length(s)
    i = 1
    if (IN_COMMENT) {
        j = index(s, "*/")
        if (!j)
            return ""
        IN_COMMENT = 0
        i = j + 2
        out = " "
    }
    while (i <= n) {
        c = substr(s, i, 1)
        if (c == "/" && substr(s, i + 1, 1) == "*" && !index(substr(s, i + 2), "*/")) {
            IN_COMMENT = 1
            return out " "
        }
        j = skip_lit(s, i)
        if (j) {
            out = out ((c == "\"" || c == "'") ? "\"\"" : " ")
            i = j
        } else {
            out = out c
            i++
        }
    }
    return out
}

# Count every identifier of code text s into cnt[].
function count_ids(s, cnt) {
    while (match(s, /[A-Za-z_][A-Za-z0-9_]*/)) {
        cnt[substr(s, RSTART, RLENGTH)]++
        s = substr(s, RSTART + RLENGTH)
    }
}

function trim(s) {
    sub(/^[ \t\n]+/, "", s)
    sub(/[ \t\n]+$/, "", s)
    return s
}

# s without __attribute__((...)) groups.
function drop_attrs(s,   i, j, d, c, n) {
    while (match(s, /__attribute__[ \t\n]*\(/)) {
        n = length(s)
        d = 0
        for (j = RSTART + RLENGTH - 1; j <= n; j++) {
            c = substr(s, j, 1)
            if (c == "(")
                d++
            else if (c == ")" && --d == 0)
                break
        }
        s = substr(s, 1, RSTART - 1) " " substr(s, j + 1)
    }
    return s
}

# Scan the top-level item starting at position i of region text s: a
# declaration up to its ';', or a function definition up to its closing
# brace. Sets ITEM_END (just past it) and BODY (the position of the
# function's opening brace); returns "func" or "decl".
function scan_item(s, i,   n, j, c, paren, brace, eq, last, depth) {
    n = length(s)
    paren = brace = eq = 0
    last = ""
    for (j = i; j <= n; j++) {
        c = substr(s, j, 1)
        if (skip_lit(s, j)) {
            if (c == "\"" || c == "'")
                last = c
            j = skip_lit(s, j) - 1
            continue
        }
        if (c ~ /[ \t\n]/)
            continue
        if (c == "(")
            paren++
        else if (c == ")")
            paren--
        else if (c == "=" && paren == 0 && brace == 0)
            eq = 1
        else if (c == "{") {
            if (paren == 0 && brace == 0 && !eq && last == ")") {
                BODY = j
                depth = 0
                for (; j <= n; j++) {
                    c = substr(s, j, 1)
                    if (skip_lit(s, j)) {
                        j = skip_lit(s, j) - 1
                        continue
                    }
                    if (c == "{")
                        depth++
                    else if (c == "}" && --depth == 0) {
                        ITEM_END = j + 1
                        return "func"
                    }
                }
                fail("region of lab " LAB " ending at this line: unbalanced braces in a function body")
            }
            brace++
        } else if (c == "}")
            brace--
        else if (c == ";" && paren == 0 && brace == 0) {
            ITEM_END = j + 1
            return "decl"
        }
        last = c
    }
    fail("region of lab " LAB " ending at this line: text after the last declaration or function")
}

# Is the code of a declaration or signature (comments removed) static?
function is_static(code,   pre) {
    pre = code
    if (match(pre, /[=({;]/))
        pre = substr(pre, 1, RSTART - 1)
    return (" " pre " ") ~ /[^A-Za-z0-9_]static[^A-Za-z0-9_]/
}

# The parameter names of parameter list text p (without its parentheses),
# as "(void)name;" lines.
function void_params(p,   out, n, i, c, d, cur, parts, k, q, name, t) {
    n = length(p)
    d = 0
    k = 0
    cur = ""
    for (i = 1; i <= n; i++) {
        c = substr(p, i, 1)
        if (c == "(" || c == "[")
            d++
        else if (c == ")" || c == "]")
            d--
        if (c == "," && d == 0) {
            parts[++k] = cur
            cur = ""
        } else
            cur = cur c
    }
    parts[++k] = cur
    out = ""
    for (i = 1; i <= k; i++) {
        q = trim(parts[i])
        gsub(/[ \t\n]+/, " ", q)
        if (q == "" || q == "void" || q == "...")
            continue
        name = ""
        if (match(q, /\([ ]*\*+[ ]*(const[ ]+|volatile[ ]+|restrict[ ]+)*[A-Za-z_][A-Za-z0-9_]*/)) {
            # A function pointer or pointer to array: void (*cb)(int).
            name = substr(q, RSTART, RLENGTH)
            sub(/^.*[^A-Za-z0-9_]/, "", name)
        } else {
            gsub(/\[[^]]*\]/, "", q)
            t = q
            gsub(/\*/, " ", t)
            t = trim(t)
            # One word alone is a type without a name.
            if (t ~ / / && match(q, /[A-Za-z_][A-Za-z0-9_]*[ ]*$/))
                name = trim(substr(q, RSTART, RLENGTH))
        }
        if (name != "" && name !~ /^(const|volatile|restrict|int|char|short|long|signed|unsigned|float|double|_Bool|bool|void)$/)
            out = out "    (void)" name ";\n"
    }
    return out
}

# A stub for the function whose signature text is sig. Sets STUB_NAME.
function stub(sig,   code, j, n, d, c, name, params, open) {
    code = sig
    IN_COMMENT = 0
    code = drop_attrs(code_only(code))
    open = index(code, "(")
    if (!open)
        fail("region of lab " LAB " ending at this line: cannot find the parameters of: " sig)
    name = substr(code, 1, open - 1)
    sub(/[ \t\n]+$/, "", name)
    if (!match(name, /[A-Za-z_][A-Za-z0-9_]*$/))
        fail("region of lab " LAB " ending at this line: cannot find the name of: " sig)
    name = substr(name, RSTART, RLENGTH)
    n = length(code)
    d = 0
    for (j = open; j <= n; j++) {
        c = substr(code, j, 1)
        if (c == "(")
            d++
        else if (c == ")" && --d == 0)
            break
    }
    params = substr(code, open + 1, j - open - 1)
    STUB_NAME = name
    return sig "\n{\n" void_params(params) "    lab_not_implemented(\"" name "\", " LAB ");\n}"
}

# The starter text of one region's inside (the lines between its markers).
function rewrite(s,   res, i, n, c, j, kind, text, code, pre, name) {
    res = ""
    n = length(s)
    i = 1
    while (i <= n) {
        c = substr(s, i, 1)
        if (c ~ /[ \t\n]/) {
            res = res c
            i++
            continue
        }
        j = skip_lit(s, i)
        if (j && c == "/") { # a comment between items: kept
            res = res substr(s, i, j - i)
            i = j
            continue
        }
        if (c == "#" && (i == 1 || substr(s, i - 1, 1) == "\n" || res ~ /\n[ \t]*$/)) {
            # A preprocessor line (with its continuations): kept.
            for (j = i; j <= n; j++) {
                c = substr(s, j, 1)
                if (c == "\n" && substr(s, j - 1, 1) != "\\")
                    break
            }
            res = res substr(s, i, j - i)
            i = j
            continue
        }
        kind = scan_item(s, i)
        if (kind == "func") {
            text = substr(s, i, BODY - i)
            sub(/[ \t\n]+$/, "", text)
            IN_COMMENT = 0
            code = drop_attrs(code_only(text))
            pre = code
            sub(/\(.*$/, "", pre)
            sub(/[ \t\n]+$/, "", pre)
            name = match(pre, /[A-Za-z_][A-Za-z0-9_]*$/) ? substr(pre, RSTART, RLENGTH) : ""
            if (!is_static(code) || outside[name] > 0) {
                res = res stub(text)
                stubs++
            }
        } else {
            text = substr(s, i, ITEM_END - i)
            IN_COMMENT = 0
            if (!is_static(code_only(text)))
                res = res text
        }
        i = ITEM_END
    }
    # Blank lines left by dropped items: at most one in a row, none at
    # either end.
    gsub(/[ \t]+\n/, "\n", res)
    while (index(res, "\n\n\n"))
        gsub(/\n\n\n/, "\n\n", res)
    sub(/^\n+/, "", res)
    sub(/\n+$/, "", res)
    return res
}

BEGIN {
    if (LAB !~ /^[0-9]+$/) {
        print "lab-release.awk: error: LAB must be a lab number" > "/dev/stderr"
        failed = 1
        exit 2
    }
    LAB += 0
}

# ---- pass 1: what the code outside lab LAB's regions uses ----------------

FNR == NR {
    m = marker($0)
    if (m >= 0) {
        if (MARK == "BEGIN") {
            if (open1 != "")
                fail("LAB " m " BEGIN inside the region of lab " open1)
            open1 = m
        } else {
            if (open1 == "")
                fail("LAB " m " END without a BEGIN")
            if (open1 != m)
                fail("LAB " m " END closes the region of lab " open1)
            open1 = ""
        }
        if (m == LAB) {
            IN_COMMENT = 0
            next
        }
    }
    if (open1 != "" && open1 == LAB) {
        count_ids(code_only($0), inside)
        next
    }
    code = code_only($0)
    count_ids(code, outside)
    # Static function definitions outside the regions (at column 0).
    if ($0 ~ /^static[ \t]/ && code ~ /\(/ && code !~ /;[ \t]*$/) {
        pre = code
        sub(/\(.*$/, "", pre)
        sub(/[ \t]+$/, "", pre)
        if (match(pre, /[A-Za-z_][A-Za-z0-9_]*$/))
            helpers[substr(pre, RSTART, RLENGTH)] = 1
    }
    next
}

FNR == 1 && open1 != "" {
    fail("the file ends inside the region of lab " open1)
}

# ---- pass 2: the starter file ---------------------------------------------

{
    m = marker($0)
    if (inregion) {
        if (m == LAB && MARK == "END") {
            body = rewrite(body)
            out[++nout] = body
            out[++nout] = $0
            inregion = 0
        } else
            body = (first ? "" : body "\n") $0
        first = 0
        next
    }
    if (m == LAB && MARK == "BEGIN") {
        out[++nout] = $0
        out[++nout] = "/* You write this: see the contract in the header and handout/lab" LAB ".md */"
        inregion = 1
        seen_region = 1
        body = ""
        first = 1
        next
    }
    out[++nout] = $0
    if (!seen_region && $0 ~ /^[ \t]*#[ \t]*include[ \t]/)
        last_include = nout
}

END {
    if (failed)
        exit 2
    unused = 0
    for (h in helpers)
        if (outside[h] == 1 && inside[h] > 0)
            unused = 1
    extra = ""
    if (stubs)
        extra = "#include \"disco/lab.h\""
    if (unused)
        extra = extra (extra == "" ? "" : "\n") \
            "/* Starter code: helpers below are used again once you write lab " LAB ". */\n" \
            "#pragma GCC diagnostic ignored \"-Wunused-function\""
    if (extra != "" && last_include == 0)
        print extra
    for (k = 1; k <= nout; k++) {
        print out[k]
        if (k == last_include && extra != "")
            print extra
    }
}
