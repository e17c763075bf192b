#!/usr/bin/env bash
# reference/tests/cli.sh: `disco` and `flashsim` given what is not a
# configuration or a program (issue 7). Each must stop at once (within a
# few seconds, not after reading until memory runs out), exit 2 and print
# "PROG: error: ..." naming the file and the problem.
# Prints "ok NAME" or "FAIL NAME: why"; exits 1 if any failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
DISCO=build/bin/disco
FLASHSIM=build/bin/flashsim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

# refuses NAME REGEX COMMAND...: exit 2, stderr matches REGEX.
refuses() {
    local name=$1 re=$2; shift 2
    timeout 20 "$@" >"$work/out" 2>"$work/err" </dev/null
    local rc=$?
    if [ "$rc" != 2 ]; then
        echo "FAIL $name: exit status $rc, expected 2 ($(head -c 200 "$work/err"))"
        failed=1
    elif ! grep -qE -- "$re" "$work/err"; then
        echo "FAIL $name: stderr '$(head -c 300 "$work/err")' does not match /$re/"
        failed=1
    else
        echo "ok $name"
    fi
}

vmconf() { # vmconf FILE KEY=VALUE...: a one-VM configuration
    local f=$1; shift
    printf '[vm a]\nmemory = 1M\n' >"$f"
    for kv in "$@"; do printf '%s\n' "${kv/=/ = }" >>"$f"; done
}

refuses disco_refuses_a_trace_file_it_cannot_write \
    '^disco: error: --trace-json: /nonexistent-dir/t.json: cannot write' \
    "$DISCO" --trace-json /nonexistent-dir/t.json reference/tests/scenarios/trap.conf
refuses disco_refuses_dev_zero_as_its_config \
    '^disco: error: /dev/zero:1: not a regular file' "$DISCO" /dev/zero
refuses disco_refuses_a_directory_as_its_config \
    '^disco: error: /tmp:1: not a regular file \(a directory\)' "$DISCO" /tmp
vmconf "$work/k.conf" kernel=/dev/zero
refuses disco_refuses_dev_zero_as_a_kernel \
    '^disco: error: VM a: kernel: /dev/zero: not a regular file' "$DISCO" "$work/k.conf"
vmconf "$work/d.conf" kernel=build/guests/vm/vm_hello.elf disk=/dev/zero
refuses disco_refuses_dev_zero_as_a_disk \
    '^disco: error: VM a: disk 0: /dev/zero: a disk image must be a regular file' "$DISCO" "$work/d.conf"
printf '[vm a]\nkernel = k\nmemory = 1M\n[vm a]\ncpus = 2\n' >"$work/dup.conf"
refuses disco_refuses_a_duplicate_vm_section \
    "^disco: error: $work/dup.conf:4: a second \\[vm a\\] section" "$DISCO" "$work/dup.conf"
printf '[vm a]\nkernel = k\nmemory = 1M\n\0\n' >"$work/nul.conf"
refuses disco_refuses_a_nul_byte \
    "^disco: error: $work/nul.conf:4: a NUL byte" "$DISCO" "$work/nul.conf"
refuses flashsim_refuses_dev_zero_as_a_program \
    '^flashsim: error: .*/dev/zero: not a regular file' "$FLASHSIM" /dev/zero
refuses flashsim_refuses_a_directory_as_a_program \
    '^flashsim: error: .*/tmp: a directory' "$FLASHSIM" /tmp
refuses flashsim_refuses_a_gdb_port_that_is_not_a_number \
    "^flashsim: error: --gdb: 'abc' is not a valid number" "$FLASHSIM" --gdb abc build/guests/tests/spin.elf
refuses flashsim_refuses_a_gdb_port_above_65535 \
    "^flashsim: error: --gdb: '65536' is not a valid number" "$FLASHSIM" --gdb 65536 build/guests/tests/spin.elf
refuses disco_refuses_a_gdb_port_that_is_not_a_number \
    "^disco: error: --gdb: 'x1' is not a port number" "$DISCO" --gdb x1 reference/tests/scenarios/trap.conf
refuses disco_refuses_gdb_vm_without_gdb \
    '^disco: error: --gdb-vm: needs --gdb PORT' "$DISCO" --gdb-vm t reference/tests/scenarios/trap.conf
refuses disco_refuses_a_gdb_vm_that_is_not_there \
    "^disco: error: --gdb-vm: reference/tests/scenarios/trap.conf has no VM named 'nosuch'" \
    "$DISCO" --gdb 0 --gdb-vm nosuch reference/tests/scenarios/trap.conf
refuses disco_refuses_an_engine_that_is_not_fast_or_interp \
    "^disco: error: --engine: 'jit' is not fast or interp" "$DISCO" --engine jit reference/tests/scenarios/trap.conf
refuses flashsim_refuses_an_engine_that_is_not_fast_or_interp \
    '^flashsim: error: --engine: expected fast or interp' "$FLASHSIM" --engine jit build/guests/tests/spin.elf
printf '[vm a]\nkernel = build/guests/vm/vm_hello.elf\nmemory = 1M\n[vm b]\nkernel = build/guests/vm/vm_hello.elf\nmemory = 1M\n' >"$work/two.conf"
refuses disco_refuses_gdb_without_naming_one_of_several_vms \
    "^disco: error: --gdb: $work/two.conf has 2 VMs: name one with --gdb-vm" "$DISCO" --gdb 0 "$work/two.conf"

[ "$failed" -eq 0 ]
