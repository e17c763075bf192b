#!/usr/bin/env bash
# guests/user/workloads/run.sh: boot the Unix kernel on a fresh image that
# holds the workloads and their inputs, with an /etc/rc of the given
# commands, and print the console output. Run from anywhere, after `make`.
#
#   run.sh [-n NODES] [-s STATS.json] [-k DIR] [-- FLASHSIM-OPTIONS] -- CMD...
#   run.sh -n 8 -s /tmp/pmake.json 'pmake -j 2 -s medium'
#
# Each CMD is one line of /etc/rc. The image (96 MB) has /bin (init, sh,
# the utilities, the workloads), /src/pmake (128 sources), /data/db5000
# and /data/db25000 (database small and medium; larger sizes need
# `database -g`) and /tmp. -k keeps the image and its root in DIR. Options
# after a first `--` go to flashsim (for example --hot-threshold N); the
# exit status is flashsim's (the kernel halts with 0 when every rc line
# succeeded). Environment: B (build directory, default build).
set -uo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd) || exit 2
B=${B:-$top/build}

nodes=8 stats="" keep="" simopts=()
while [ $# -gt 0 ]; do
    case $1 in
    -n) nodes=$2; shift 2 ;;
    -s) stats=$2; shift 2 ;;
    -k) keep=$2; shift 2 ;;
    --) shift
        # A second "--" ends the flashsim options.
        if printf '%s\n' "$@" | grep -qx -- --; then
            while [ "$1" != -- ]; do simopts+=("$1"); shift; done
            shift
        fi
        break ;;
    -*) echo "run.sh: error: $1: unknown option" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: run.sh [-n NODES] [-s STATS] [-k DIR] [-- SIMOPTS --] CMD..." >&2; exit 2; }

for f in "$B/bin/flashsim" "$B/guests/unix/kernel.elf" "$B/guests/tools/mkfs" \
         "$B/tools/wlgen" "$B/guests/user/bin/init" "$B/guests/user/workloads/bin/pmake"; do
    [ -e "$f" ] || { echo "run.sh: error: $f: not built (make)" >&2; exit 2; }
done

if [ -n "$keep" ]; then
    dir=$keep
    rm -rf "$dir"
    mkdir -p "$dir"
else
    dir=$(mktemp -d)
    trap 'rm -rf "$dir"' EXIT
fi
root=$dir/root
mkdir -p "$root/bin" "$root/etc" "$root/tmp"
cp "$B"/guests/user/bin/* "$B"/guests/user/workloads/bin/* "$root/bin/"
"$B/tools/wlgen" "$root" -p 128 -d 5000 -d 25000 || exit 2
printf '%s\n' "$@" >"$root/etc/rc"
"$B/guests/tools/mkfs" "$dir/disk.img" 96 -r "$root" -i 2048 >/dev/null || exit 2

"$B/bin/flashsim" --nodes "$nodes" --disk "$dir/disk.img" \
    ${stats:+--stats "$stats"} "${simopts[@]}" \
    "$B/guests/unix/kernel.elf" </dev/null
