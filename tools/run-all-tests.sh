#!/usr/bin/env bash
# tools/run-all-tests.sh: every test suite of the kit, in order, each run
# even if an earlier one failed (what `make check` / `make test` runs once
# everything is built). Each suite prints its own results; the last line
# counts the suites: "N passed, M failed". Exits 1 if any suite failed.
set -uo pipefail
cd "$(dirname "$0")/.."

# name | command
SUITES=(
  "simulator unit tests|build/bin/sim-unit-tests"
  "bare-metal machine tests|tools/run-guest-tests.sh"
  "monitor unit tests|build/bin/disco-unit-tests"
  "monitor scenarios|tools/run-scenarios.sh"
  "bad input on the command line|reference/tests/cli.sh"
  "file-system image tools|guests/tools/test.sh"
  "unix kernel|guests/unix/test.sh"
  "user programs and usertests|guests/user/test.sh"
  "workloads|guests/user/workloads/check.sh"
  "splashos|guests/splashos/check.sh"
)
if [ -x guests/unix/disco-test.sh ]; then
  SUITES+=("the kernel in virtual machines|guests/unix/disco-test.sh")
fi
# The labs and their grader; the instructor's checks are not in a student's
# released tree (tools/lab-release.sh leaves them out).
if [ -x tools/test-lab-release.sh ]; then
  SUITES+=("the lab starter generator|env TARGETS=build/bin/disco tools/test-lab-release.sh")
fi
if [ -x autograder/tests/run.sh ]; then
  SUITES+=("the autograder and its sandbox|autograder/tests/run.sh")
fi
if [ -x autograder/gradescope/test.sh ]; then
  SUITES+=("the Gradescope package|autograder/gradescope/test.sh")
fi
if [ -x tools/check-labs.sh ]; then
  SUITES+=("every lab graded: reference, starter, variants|tools/check-labs.sh")
fi

passed=0
failed=0
failures=()
for s in "${SUITES[@]}"; do
    name=${s%%|*}
    cmd=${s#*|}
    echo "==== $name: $cmd"
    start=$SECONDS
    if $cmd; then
        passed=$((passed + 1))
        echo "==== $name: ok ($((SECONDS - start)) s)"
    else
        failed=$((failed + 1))
        failures+=("$name")
        echo "==== $name: FAILED ($((SECONDS - start)) s)"
    fi
done
for f in "${failures[@]+"${failures[@]}"}"; do
    echo "failed suite: $f"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
