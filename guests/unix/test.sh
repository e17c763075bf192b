#!/usr/bin/env bash
# guests/unix/test.sh: boot the Unix kernel on the image built from its own
# stand-in test programs (guests/unix/test-programs, /etc/rc there) on 1, 2
# and 8 CPUs, and check for each:
#   - the run halts with status 0 (init: every /etc/rc command exited 0)
#     and prints the lines each test prints on success;
#   - fsck finds the image consistent after the run;
#   - a second run on a fresh copy of the image gives the same console
#     output and the same cycle count (determinism).
# Then once more on 2 CPUs with a second disk mounted on /mnt (the boot
# argument mount=1:/mnt): mnttest and fsstress there, fsck of both disks,
# and mnttest's file found on disk 1's image.
# Prints PASS/FAIL per configuration; exits 1 if anything failed.
# Run by `make unix-test` (which builds what it needs first).
#
# Environment: FLASHSIM, TIMEOUT (seconds per run, default 600), NODES
# (default "1 2 8").
set -uo pipefail
cd "$(dirname "$0")/../.."

FLASHSIM=${FLASHSIM:-build/bin/flashsim}
KERNEL=build/guests/unix/kernel.elf
IMAGE=build/guests/unix/test.img
FSCK=build/guests/tools/fsck
MKFS=build/guests/tools/mkfs
FSCAT=build/guests/tools/fscat
LOGDIR=build/test-logs/unix
TIMEOUT=${TIMEOUT:-600}
NODES=${NODES:-"1 2 8"}
EXPECT=("unix: " "hello: [hello] [a] [bc] [def]" "exectest: ok" "sproctest: " "asidtest: 600 address spaces: ok"
	"fsstress: 4 processes x 12 files: ok" "fsedge: ok" "memtest: ok"
	"init: all commands succeeded")

mkdir -p "$LOGDIR"
pass=0
fail=0

# run NAME NODES: one boot on a fresh copy of the image.
run() {
	local name=$1 n=$2
	cp "$IMAGE" "$LOGDIR/$name.img"
	timeout "$TIMEOUT" "$FLASHSIM" --nodes "$n" --stats "$LOGDIR/$name.json" \
		--disk "$LOGDIR/$name.img" "$KERNEL" </dev/null >"$LOGDIR/$name.out" 2>"$LOGDIR/$name.err"
	echo $? >"$LOGDIR/$name.status"
}

cycles() {
	tr -d ' \n' <"$1" | sed -n 's/^{"cycles":\([0-9]*\),.*/\1/p'
}

for n in $NODES; do
	why=""
	run "n$n-a" "$n"
	run "n$n-b" "$n"
	status=$(cat "$LOGDIR/n$n-a.status")
	[ "$status" = 0 ] || why="exit status $status"
	for line in "${EXPECT[@]}"; do
		grep -qF -- "$line" "$LOGDIR/n$n-a.out" || why="${why:+$why; }no line \"$line\""
	done
	grep -q "FAIL" "$LOGDIR/n$n-a.out" && why="${why:+$why; }a FAIL line"
	"$FSCK" "$LOGDIR/n$n-a.img" >"$LOGDIR/n$n-a.fsck" 2>&1 || why="${why:+$why; }fsck: $(head -1 "$LOGDIR/n$n-a.fsck")"
	cmp -s "$LOGDIR/n$n-a.out" "$LOGDIR/n$n-b.out" || why="${why:+$why; }output differs between two runs"
	ca=$(cycles "$LOGDIR/n$n-a.json")
	cb=$(cycles "$LOGDIR/n$n-b.json")
	[ -n "$ca" ] && [ "$ca" = "$cb" ] || why="${why:+$why; }cycles differ between two runs ($ca, $cb)"
	if [ -z "$why" ]; then
		echo "PASS unix kernel on $n CPU(s) ($ca cycles)"
		pass=$((pass + 1))
	else
		echo "FAIL unix kernel on $n CPU(s): $why (see $LOGDIR/n$n-a.out)"
		fail=$((fail + 1))
	fi
done
# The mount configuration: the test programs on a root image whose
# /etc/bootargs mounts disk 1, an empty file system, on /mnt.
mnt=$LOGDIR/mnt
rm -rf "$mnt" && mkdir -p "$mnt/root/etc" "$mnt/root/mnt"
cp -r build/guests/unix/root/bin "$mnt/root/"
echo "mount=1:/mnt" >"$mnt/root/etc/bootargs"
printf 'mnttest\nfsstress /mnt/fss\nfsedge /mnt\n' >"$mnt/root/etc/rc"
why=""
if "$MKFS" "$mnt/root.img" 16 -r "$mnt/root" >/dev/null && "$MKFS" "$mnt/disk1.img" 8 >/dev/null; then
	timeout "$TIMEOUT" "$FLASHSIM" --nodes 2 --disk "$mnt/root.img" --disk "$mnt/disk1.img" "$KERNEL" \
		</dev/null >"$mnt/run.out" 2>"$mnt/run.err"
	status=$?
	[ "$status" = 0 ] || why="exit status $status"
	for line in "mnttest: ok" "fsstress: 4 processes x 12 files: ok" "fsedge: ok" "init: all commands succeeded"; do
		grep -qF -- "$line" "$mnt/run.out" || why="${why:+$why; }no line \"$line\""
	done
	for d in root disk1; do
		"$FSCK" "$mnt/$d.img" >"$mnt/$d.fsck" 2>&1 || why="${why:+$why; }fsck $d: $(head -1 "$mnt/$d.fsck")"
	done
	[ "$("$FSCAT" "$mnt/disk1.img" /kept 2>&1)" = "on disk 1" ] || why="${why:+$why; }no /kept on disk 1"
else
	why="cannot make the images"
fi
if [ -z "$why" ]; then
	echo "PASS unix kernel with a second disk mounted on /mnt"
	pass=$((pass + 1))
else
	echo "FAIL unix kernel with a second disk mounted on /mnt: $why (see $mnt/run.out)"
	fail=$((fail + 1))
fi
# A passing run's disk images are scratch: drop them (a failure keeps them).
[ "$fail" = 0 ] && find "$LOGDIR" -name '*.img' -delete
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
