#!/usr/bin/env bash
# guests/tools/test.sh: the host's file-system image tools on bad input.
# Each check prints "ok NAME" or "FAIL NAME: why"; exits 1 if any failed.
# Needs build/guests/tools/{mkfs,fsls,fscat,fsck} (make unix-image builds them).
set -uo pipefail
cd "$(dirname "$0")/../.."
T=build/guests/tools
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

ok() { echo "ok $1"; }
fail() { echo "FAIL $1: $2"; failed=1; }

# A tool must refuse ARGS with exit status != 0 and a message matching RE.
refuses() {
    local name=$1 re=$2; shift 2
    local out
    if out=$("$@" 2>&1); then
        fail "$name" "accepted: $*"
    elif ! grep -qE -- "$re" <<<"$out"; then
        fail "$name" "message '$out' does not say /$re/"
    else
        ok "$name"
    fi
}

refuses mkfs_rejects_an_inode_count_that_is_not_a_number \
    "-i abc: must be a number" "$T/mkfs" "$work/a.img" 4 -i abc
refuses mkfs_rejects_an_inode_count_with_trailing_junk \
    "-i 12x: must be a number" "$T/mkfs" "$work/a.img" 4 -i 12x
refuses mkfs_rejects_an_inode_count_that_overflows \
    "-i 99999999999999999999: must be a number" "$T/mkfs" "$work/a.img" 4 -i 99999999999999999999
refuses mkfs_rejects_an_inode_count_beyond_32_bits \
    "-i 4294967297: must be a number" "$T/mkfs" "$work/a.img" 4 -i 4294967297
refuses mkfs_rejects_a_negative_inode_count \
    "-i -5: must be a number" "$T/mkfs" "$work/a.img" 4 -i -5

# fscat stops at the file size even when that is near 4 GB: a file whose
# inode says 0xFFFFF800 bytes (sparse: all zeros) gives exactly that many.
mkdir -p "$work/root"
printf 'hello\n' >"$work/root/big"
if ! "$T/mkfs" "$work/b.img" 4 -r "$work/root" -i 64 >/dev/null; then
    fail fscat_stops_at_a_size_near_4_gb "mkfs failed"
else
    inum=$("$T/fsls" "$work/b.img" / | awk '$NF == "big" { print $2 }')
    # The inode's size field: inode block 2, 64-byte inodes, size at byte 8.
    printf '\x00\xf8\xff\xff' |
        dd of="$work/b.img" bs=1 seek=$((2 * 4096 + inum * 64 + 8)) conv=notrunc status=none
    bytes=$(timeout 120 "$T/fscat" "$work/b.img" /big | wc -c)
    if [ "$bytes" = 4294965248 ]; then
        ok fscat_stops_at_a_size_near_4_gb
    else
        fail fscat_stops_at_a_size_near_4_gb "gave $bytes bytes, not 4294965248"
    fi
fi

[ "$failed" -eq 0 ]
