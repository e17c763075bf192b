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
  "fast engine same as the interpreter|sim/tests/engines.sh"
  "monitor unit tests|build/bin/disco-unit-tests"
  "monitor scenarios|tools/run-scenarios.sh"
  "bad input on the command line|reference/tests/cli.sh"
  "debugging guests with gdb (flashsim --gdb, disco --gdb-vm)|sim/tests/gdb-test.sh"
  "file-system image tools|guests/tools/test.sh"
  "unix kernel|guests/unix/test.sh"
  "user programs and usertests|guests/user/test.sh"
  "workloads|guests/user/workloads/check.sh"
  "splashos|guests/splashos/check.sh"
  "API documentation, no warnings|make -s docs"
  "the report page (make report REPORT=smoke, in Chromium)|tools/test-report.sh"
)
if [ -x guests/unix/disco-test.sh ]; then
  SUITES+=("the kernel in virtual machines|guests/unix/disco-test.sh")
fi
# The labs: the generator, the grader (sandbox and attacks), its Gradescope
# packaging, and every lab graded as an instructor would (make check-labs).
SUITES+=(
  "lab starter generator|env TARGETS=build/bin/disco tools/test-lab-release.sh"
  "autograder and its sandbox|autograder/tests/run.sh"
  "gradescope packaging|autograder/gradescope/test.sh"
  "every lab graded: reference, starter, variants|tools/check-labs.sh"
)

# The suites need about 0.5 GB of disk for their logs and images at the
# most (they delete a passing run's images); say so before a full disk
# makes them fail in ways that look like bugs.
free_mb=$(df -Pm build 2>/dev/null | awk 'NR == 2 { print $4 }')
if [ -n "$free_mb" ] && [ "$free_mb" -lt 1024 ]; then
    echo "run-all-tests: warning: only ${free_mb} MB free for build/; the suites need about 500 MB"
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
