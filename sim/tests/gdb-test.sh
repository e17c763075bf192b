#!/usr/bin/env bash
# sim/tests/gdb-test.sh: debugging guests with gdb-multiarch through the
# GDB stub (flashsim --gdb, disco --gdb --gdb-vm; sim/src/gdb.c).
#
# Each case starts the simulator with --gdb 0 (it prints the port it
# picked), drives gdb-multiarch in batch mode against it and checks what
# gdb printed, what the guest printed and how the run ended:
#   flashsim_inspect   2 CPUs: break on a function, arguments, backtrace,
#                      a global by name, stepi, the second CPU's hit, info
#                      threads; the --stats equal those of a run without gdb
#   flashsim_write     write a global, detach: the program prints the new value
#   flashsim_interrupt ^C (SIGINT to gdb) while the guest spins, then kill
#   disco_inspect      the Unix kernel in VM w of two: break on a system
#                      call, the vCPUs as threads, a kernel global; the
#                      --stats equal those of a run without gdb
#   disco_write        a kernel global of VM w written before it boots:
#                      w's processes get other pids, VM u's do not
#   valgrind_*         a flashsim and a disco session under Valgrind memcheck
# Every process has a time limit, so the test never hangs. Prints "ok NAME"
# or "FAIL NAME: why" and exits 1 if any case failed.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

B=${B:-build}
FLASHSIM=$B/bin/flashsim
DISCO=$B/bin/disco
GDB=${GDB:-gdb-multiarch}
PROG=$B/guests/tests/gdb_target.elf
SPIN=$B/guests/tests/spin.elf
KERNEL=$B/guests/unix/kernel-disco.elf
MKFS=$B/guests/tools/mkfs
UNIXBIN=$B/guests/unix/root/bin

for f in "$FLASHSIM" "$DISCO" "$PROG" "$SPIN" "$KERNEL" "$MKFS" "$UNIXBIN/init" "$UNIXBIN/hello"; do
    [ -e "$f" ] || { echo "gdb-test: error: $f: not built (make all unix-disco)" >&2; exit 2; }
done
command -v "$GDB" >/dev/null || { echo "gdb-test: error: $GDB not found (tools/deps.sh)" >&2; exit 2; }

work=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]+"${pids[@]}"}"; do kill "$p" 2>/dev/null; done
    [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
failed=0

fail() { echo "FAIL $1: $2"; failed=1; return 1; }

# start NAME CMD...: run CMD (time-limited) in the background; wait for
# the port it listens on (PORT). Its pid is SIMPID.
start() {
    local name=$1; shift
    : >"$work/$name.err"
    timeout 60 "$@" >"$work/$name.out" 2>>"$work/$name.err" </dev/null &
    SIMPID=$!
    pids+=("$SIMPID")
    PORT=
    for _ in $(seq 300); do
        PORT=$(sed -n 's/^gdb: listening on port \([0-9]*\).*/\1/p' "$work/$name.err")
        [ -n "$PORT" ] && return 0
        kill -0 "$SIMPID" 2>/dev/null || break
        sleep 0.1
    done
    fail "$name" "no 'gdb: listening on port N' ($(head -c 300 "$work/$name.err"))"
    return 1
}

# gdb_args ELF CMD...: gdb-multiarch's arguments for a batch session.
gdb_args() {
    local elf=$1; shift
    GDBARGS=(-batch -nx -ex 'set architecture mips:isa32' -ex "file $elf" -ex "target remote :$PORT")
    for c in "$@"; do GDBARGS+=(-ex "$c"); done
}

# session NAME ELF CMD...: gdb runs CMDs against the simulator started
# last, which is then waited for; its exit status goes to NAME.status.
session() {
    local name=$1; shift
    gdb_args "$@"
    timeout 30 "$GDB" "${GDBARGS[@]}" >"$work/$name.gdb" 2>&1 </dev/null
    wait "$SIMPID"
    echo $? >"$work/$name.status"
}

# expect NAME FILE REGEX...: FILE has a line matching each REGEX.
expect() {
    local name=$1 file=$2 re; shift 2
    for re in "$@"; do
        grep -qE -- "$re" "$file" || { fail "$name" "$(basename "$file") has no line matching /$re/"; return 1; }
    done
}

# status NAME WANT: the simulator exited with WANT.
status() {
    local got
    got=$(cat "$work/$1.status")
    [ "$got" = "$2" ] || { fail "$1" "exit status $got, expected $2 ($(head -c 300 "$work/$1.err"))"; return 1; }
}

# same NAME A B: two files are the same.
same() {
    cmp -s "$2" "$3" || { fail "$1" "$(basename "$2") and $(basename "$3") differ"; return 1; }
}

# ---- flashsim ---------------------------------------------------------------

timeout 60 "$FLASHSIM" --nodes 2 --stats "$work/plain.json" "$PROG" >"$work/plain.out" 2>&1 </dev/null

name=flashsim_inspect
if start $name "$FLASHSIM" --nodes 2 --gdb 0 --stats "$work/$name.json" "$PROG"; then
    session $name "$PROG" 'info threads' 'break work' 'continue' 'bt' 'print magic' \
        'print/x $pc' 'stepi' 'print/x $pc' 'continue' 'info threads' 'delete' 'continue'
    g=$work/$name.gdb
    read -ra pcs <<<"$(sed -n 's/^\$[0-9]* = \(0x[0-9a-f]*\)$/\1/p' "$g" | tr '\n' ' ')"
    expect $name "$g" '^\* 1 +Thread 1 \(cpu 0 running\) .*_start' '^  2 +Thread 2 \(cpu 1 in reset\)' \
        '^Thread 1 hit Breakpoint 1, work \(lo=(lo@entry=)?1, hi=10001\) at .*gdb_target.c:[0-9]+' \
        '^#1 .* in cpu_main \(cpu=0\)' '^#2 .*main \(\) at ' '^\$[0-9]+ = 1234$' \
        '^Thread 2 hit Breakpoint 1, work \(lo=10001, hi=20001\)' \
        '^\* 2 +Thread 2 \(cpu 1 running\) .*work' '^\[Inferior 1 \(Remote target\) exited normally\]' &&
    { [ "${#pcs[@]}" = 2 ] && [ "${pcs[0]}" != "${pcs[1]}" ] ||
        fail $name "stepi did not move the pc (${pcs[*]})"; } &&
    status $name 0 && same $name "$work/plain.out" "$work/$name.out" &&
    same $name "$work/plain.json" "$work/$name.json" && echo "ok $name"
fi

name=flashsim_write
if start $name "$FLASHSIM" --nodes 2 --gdb 0 "$PROG"; then
    session $name "$PROG" 'break report' 'continue' 'print value' 'set var magic = 4321' \
        'print magic' 'detach'
    expect $name "$work/$name.gdb" '^Thread 1 hit Breakpoint 1, report \(value=1234\)' '^\$2 = 4321$' \
        '^\[Inferior 1 \(Remote target\) detached\]' &&
    expect $name "$work/$name.out" '^magic 1234$' '^checksum ' && status $name 0 &&
    # report(value) already had its argument; write before the call instead.
    start ${name}2 "$FLASHSIM" --nodes 2 --gdb 0 "$PROG" &&
    session ${name}2 "$PROG" 'break work' 'continue' 'set var magic = 4321' 'delete' 'continue' &&
    expect $name "$work/${name}2.out" '^magic 4321$' && status ${name}2 0 && echo "ok $name"
fi

name=flashsim_interrupt
if start $name "$FLASHSIM" --nodes 1 --gdb 0 --max-cycles 100000000000 "$SPIN"; then
    gdb_args "$SPIN" 'continue' 'print/x $pc' 'kill'
    "$GDB" "${GDBARGS[@]}" >"$work/$name.gdb" 2>&1 </dev/null &
    gdbpid=$!
    pids+=("$gdbpid")
    # Once gdb is connected (it prints where the guest starts) and has
    # had time to send 'continue', ^C: what the terminal sends is SIGINT.
    for _ in $(seq 100); do grep -q '_start' "$work/$name.gdb" && break; sleep 0.1; done
    sleep 1
    kill -INT "$gdbpid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$gdbpid" 2>/dev/null || break; sleep 0.1; done
    kill "$gdbpid" 2>/dev/null
    wait "$gdbpid" 2>/dev/null
    wait "$SIMPID"
    echo $? >"$work/$name.status"
    expect $name "$work/$name.gdb" '^Program received signal SIGINT' '^\$1 = 0x8' \
        '^\[Inferior 1 \(Remote target\) killed\]' &&
    expect $name "$work/$name.err" '^gdb: run killed by gdb' && status $name 1 && echo "ok $name"
fi

# ---- disco --------------------------------------------------------------

mkdir -p "$work/root/bin" "$work/root/etc"
cp "$UNIXBIN/init" "$UNIXBIN/hello" "$work/root/bin/"
echo 'hello a bc' >"$work/root/etc/rc"
"$MKFS" "$work/root.img" 4 -r "$work/root" >/dev/null || exit 2

# vms NAME: two VMs (u: 1 vCPU, w: 2 vCPUs) on fresh copies of the image.
vms() {
    cp "$work/root.img" "$work/$1-u.img"
    cp "$work/root.img" "$work/$1-w.img"
    printf '[machine]\nnodes = 3\nmem_per_node = 64M\n' >"$work/$1.conf"
    printf '[vm u]\ncpus = 1\nmemory = 32M\nkernel = %s\ndisk = %s\n' "$KERNEL" "$work/$1-u.img" >>"$work/$1.conf"
    printf '[vm w]\ncpus = 2\nmemory = 32M\nkernel = %s\ndisk = %s\n' "$KERNEL" "$work/$1-w.img" >>"$work/$1.conf"
}

vms dplain
timeout 60 "$DISCO" --stats "$work/dplain.json" "$work/dplain.conf" >"$work/dplain.out" 2>&1 </dev/null

name=disco_inspect
vms $name
if start $name "$DISCO" --gdb 0 --gdb-vm w --stats "$work/$name.json" "$work/$name.conf"; then
    session $name "$KERNEL" 'info threads' 'break sys_getpid' 'continue' 'bt' 'print ncpu' \
        'info threads' 'stepi' 'delete' 'continue'
    expect $name "$work/$name.gdb" '^\* 1 +Thread 1 \(vcpu 0 of w runnable\) .*_start' \
        '^  2 +Thread 2 \(vcpu 1 of w off\)' '^Thread [12] hit Breakpoint 1, sys_getpid \(\) at .*sysproc.c' \
        '^#1 .* in syscall \(' '^\$1 = 2$' '^\* [12] +Thread [12] \(vcpu [01] of w on cpu [0-2]\) +sys_getpid' \
        '^\[Inferior 1 \(Remote target\) exited normally\]' &&
    expect $name "$work/$name.err" '^gdb: listening on port [0-9]+ for VM w$' && status $name 0 &&
    same $name "$work/dplain.out" "$work/$name.out" && same $name "$work/dplain.json" "$work/$name.json" &&
    echo "ok $name"
fi

name=disco_write
vms $name
if start $name "$DISCO" --gdb 0 --gdb-vm w "$work/$name.conf"; then
    session $name "$KERNEL" 'print nextpid' 'set var nextpid = 100' 'continue'
    expect $name "$work/$name.gdb" '^\$1 = 1$' &&
    expect $name "$work/$name.out" '^w: hello: \[hello\] \[a\] \[bc\] pid 101 ppid 100$' \
        '^u: hello: \[hello\] \[a\] \[bc\] pid 2 ppid 1$' && status $name 0 && echo "ok $name"
fi

# ---- both under Valgrind memcheck (errors or leaks: exit status 99) ---------

VG=(valgrind -q --error-exitcode=99 --leak-check=full)
name=valgrind_flashsim
if start $name "${VG[@]}" "$FLASHSIM" --nodes 2 --gdb 0 "$PROG"; then
    session $name "$PROG" 'break work' 'continue' 'print magic' 'set var magic = 7' 'stepi' \
        'info threads' 'continue' 'delete' 'continue'
    expect $name "$work/$name.out" '^magic 7$' && status $name 0 && echo "ok $name"
fi
name=valgrind_disco
vms $name
if start $name "${VG[@]}" "$DISCO" --gdb 0 --gdb-vm w "$work/$name.conf"; then
    session $name "$KERNEL" 'set var nextpid = 100' 'break sys_getpid' 'continue' 'print ncpu' \
        'info threads' 'stepi' 'delete' 'continue'
    expect $name "$work/$name.gdb" '^\$1 = 2$' &&
    expect $name "$work/$name.out" '^w: hello: .* pid 101 ppid 100$' && status $name 0 && echo "ok $name"
fi

[ "$failed" -eq 0 ]
