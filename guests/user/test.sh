#!/bin/sh
# guests/user/test.sh: boot the usertests image (make user-image) on 1, 2
# and 8 CPUs and check that
#   - the machine halts with status 0 (init: every line of /etc/rc passed),
#   - the results (etc/utiltest's output, libtest and usertests lines)
#     are those of guests/user/usertests.expected,
#   - the whole console output is the same on every CPU count but for the
#     kernel's banner (determinism: DESIGN.md, "Guests"),
#   - fsck finds the image consistent after the run.
# Each run boots a fresh copy of the image. Logs go to build/test-logs/.
set -u
B=${B:-build}
IMG=$B/guests/user/usertests.img
KERNEL=$B/guests/unix/kernel.elf
LOGS=$B/test-logs/usertests
EXPECTED=guests/user/usertests.expected
mkdir -p "$LOGS"
fail=0
for n in 1 2 8; do
	cp "$IMG" "$LOGS/disk$n.img"
	"$B/bin/flashsim" --nodes "$n" --disk "$LOGS/disk$n.img" \
		--max-cycles 20000000000 "$KERNEL" </dev/null >"$LOGS/out$n.txt" 2>&1
	status=$?
	# The results: utiltest's whole output, libtest's and usertests' lines.
	awk '/^utiltest: begin/ { u = 1 } u || /^(libtest|test |usertests:)/ { print }
	     /^utiltest: end/ { u = 0 }' "$LOGS/out$n.txt" >"$LOGS/results$n.txt"
	if [ $status -ne 0 ]; then
		echo "user-test: $n CPUs: halted with status $status (see $LOGS/out$n.txt)"
		fail=1
	elif ! diff -u "$EXPECTED" "$LOGS/results$n.txt"; then
		echo "user-test: $n CPUs: results differ from $EXPECTED"
		fail=1
	elif ! "$B/guests/tools/fsck" "$LOGS/disk$n.img"; then
		echo "user-test: $n CPUs: fsck failed"
		fail=1
	else
		echo "user-test: $n CPUs: ok"
	fi
	grep -v '^unix: ' "$LOGS/out$n.txt" >"$LOGS/body$n.txt"
	if [ $n -ne 1 ] && ! cmp -s "$LOGS/body1.txt" "$LOGS/body$n.txt"; then
		echo "user-test: $n CPUs: console output differs from 1 CPU's"
		diff "$LOGS/body1.txt" "$LOGS/body$n.txt" | head -20
		fail=1
	fi
done
# A passing run's disk images are scratch: drop them (a failure keeps them).
[ "$fail" = 0 ] && find "$LOGS" -name '*.img' -delete
exit $fail
