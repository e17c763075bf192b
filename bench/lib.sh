# bench/lib.sh: helpers shared by the figure scripts (bench/figure5.sh to
# bench/figure8.sh), sourced after they set B (the build directory) and
# prog (their name, for messages).
#
#   bench_need FILE...          exit 2 unless every FILE is built
#   bench_root DIR              DIR/root: /bin (the utilities and the
#                               workloads), /etc and /tmp, for mkfs -r
#   bench_same REF OUT WHAT     0 if OUT printed what REF did, else a
#                               message naming WHAT and 1
#   bench_spawn N CMD...        run CMD in the background, at most N at once
#                               (call bench_wait after the last one)
#   bench_wait                  wait for every spawned CMD
#   bench_run NAME CMD...       run CMD, its output in $out/NAME.out and
#                               .err; a failure leaves $out/NAME.failed
#                               (for runs spawned in the background)
#   bench_failed                print every NAME.failed; 0 if there was one
#   bench_args "$@"             the options every figure script takes:
#                               --data FILE (also BENCH_DATA=FILE): write
#                               the figure's numbers as JSON to FILE too
#                               (what bench/report.sh draws); what the
#                               script prints does not change. Exports
#                               BENCH_DATA, absolute, for the Python part.
#   bench_rm_images DIR...      delete the disk images (*.img) in each DIR:
#                               they are large, and a run's results are in
#                               its .out and .json (BENCH_KEEP_IMAGES=1
#                               keeps them, for debugging)
#   bench_keep_images           0 if BENCH_KEEP_IMAGES=1

bench_need() {
    local f
    for f in "$@"; do
        [ -e "$f" ] || { echo "$prog: error: $f: not built (make)" >&2; exit 2; }
    done
}

bench_root() {
    rm -rf "$1"
    mkdir -p "$1/root/bin" "$1/root/etc" "$1/root/tmp" &&
        cp "$B"/guests/user/bin/* "$B"/guests/user/workloads/bin/* "$1/root/bin/"
}

bench_same() {
    diff -q "$1" "$2" >/dev/null && return 0
    echo "$prog: $3 printed something else than $1 (diff $1 $2)" >&2
    return 1
}

bench_spawn() {
    local n=$1
    shift
    while [ "$(jobs -rp | wc -l)" -ge "$n" ]; do
        wait -n
    done
    "$@" &
}

bench_wait() {
    wait
}

bench_run() {
    local name=$1
    shift
    echo "$prog: $name" >&2
    "$@" </dev/null >"$out/$name.out" 2>"$out/$name.err" ||
        echo "$prog: $name failed (see $out/$name.out, $out/$name.err)" >"$out/$name.failed"
}

bench_failed() {
    local f any=1
    for f in "$out"/*.failed; do
        [ -e "$f" ] && { cat "$f" >&2; any=0; }
    done
    return $any
}

bench_args() {
    BENCH_DATA=${BENCH_DATA:-}
    while [ $# -gt 0 ]; do
        case $1 in
        --data) [ $# -ge 2 ] || { echo "$prog: error: --data: needs a file name" >&2; exit 2; }
            BENCH_DATA=$2; shift 2 ;;
        --data=*) BENCH_DATA=${1#--data=}; shift ;;
        *) echo "$prog: error: $1: unknown argument (usage: bench/$prog.sh [--data FILE])" >&2; exit 2 ;;
        esac
    done
    # The scripts cd to the top of the tree first: a relative name is the caller's.
    if [ -n "$BENCH_DATA" ] && [ "${BENCH_DATA#/}" = "$BENCH_DATA" ]; then
        BENCH_DATA=${OLDPWD:-$PWD}/$BENCH_DATA
    fi
    if [ -n "$BENCH_DATA" ]; then
        mkdir -p "$(dirname "$BENCH_DATA")" && rm -f "$BENCH_DATA" ||
            { echo "$prog: error: --data $BENCH_DATA: cannot write there" >&2; exit 2; }
    fi
    export BENCH_DATA
}

bench_keep_images() {
    [ "${BENCH_KEEP_IMAGES:-0}" = 1 ]
}

bench_rm_images() {
    bench_keep_images && return 0
    local d
    for d in "$@"; do
        rm -f "$d"/*.img
    done
}
