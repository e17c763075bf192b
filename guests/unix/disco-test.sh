#!/usr/bin/env bash
# guests/unix/disco-test.sh: the Unix kernel in Disco VMs prints what it
# prints on the bare machine (DESIGN.md: a VM is an efficient, isolated
# duplicate of the machine). `make disco-test` builds what it needs first.
#
# Each case boots the same disk image natively (flashsim, kernel.elf, N
# CPUs) and in a VM of N vCPUs (disco, kernel-disco.elf with the HAL page,
# or kernel-disco-nohal.elf without it), each on its own copy of the image
# (a VM's disk is private and persistent), and checks that
#   - both halt with status 0 (init: every /etc/rc line succeeded),
#   - the VM's console, without the monitor's "NAME: " prefix, is the
#     native console byte for byte,
#   - fsck finds each VM's image consistent after the run.
# The cases: usertests and the utilities script (the image of `make
# user-test`) on 1 and 2 vCPUs; each workload at its small size
# (workloads/README.md; the image is run.sh's) on 1 and 8 vCPUs, and on 1
# vCPU without the HAL page; 1, 2, 4 and 8 VMs of 1 vCPU on an 8-CPU
# machine; 8 vCPUs time-shared on 3 CPUs; 2 VMs with the monitor under
# Valgrind memcheck; 2 VMs of 1 vCPU (copies of one image) and 4
# VMs of 1 vCPU (one workload each) sharing a 4-CPU machine; 4 and 3 VMs
# booting from one copy-on-write root image (each VM's exported view must
# pass fsck and the image stay unchanged); engineering and raytrace with
# page migration off and forced on 8 vCPUs, raytrace on 16. With
# DISCO_TEST_FULL=1 also usertests on 8 vCPUs and without the HAL page,
# and each workload on 2 vCPUs (a few minutes more).
#
# A VM gets n times a node's memory (32 MB per vCPU), so its kernel sees
# the n-node machine (hal_node_mem) and prints the same banner. Every VM
# must fit the machine with the monitor's page per vCPU (the monitor
# refuses a configuration that does not: config.h), so the machine is the
# one asked for (64 MB nodes below 8 nodes, 32 MB from 8 up) grown as
# needed: larger nodes while the total stays within the machine's 496 MB,
# else one more node (machine_for). So an 8-vCPU VM runs on 9 nodes of
# 32 MB, eight 1-vCPU VMs on 9 CPUs, and 8 vCPUs time-shared on few CPUs
# on 3 nodes of 128 MB (2 nodes cannot hold 256 MB and the monitor's pages).
#
# Prints PASS/FAIL per case and "N passed, M failed"; exits 1 on failure.
# Environment: B (build directory), JOBS (simulators run at once, default
# the number of host CPUs), TIMEOUT (seconds per run, default 600).
# Logs, images and configurations are in $B/test-logs/disco/.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 2

B=${B:-build}
FLASHSIM=$B/bin/flashsim
DISCO=$B/bin/disco
KNATIVE=$B/guests/unix/kernel.elf
KHAL=$B/guests/unix/kernel-disco.elf
KNOHAL=$B/guests/unix/kernel-disco-nohal.elf
FSCK=$B/guests/tools/fsck
MKFS=$B/guests/tools/mkfs
WLGEN=$B/tools/wlgen
USERIMG=$B/guests/user/usertests.img
UNIXIMG=$B/guests/unix/test.img
LOGS=$B/test-logs/disco
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
TIMEOUT=${TIMEOUT:-600}

for f in "$FLASHSIM" "$DISCO" "$KNATIVE" "$KHAL" "$KNOHAL" "$FSCK" "$MKFS" "$WLGEN" \
	"$USERIMG" "$UNIXIMG" "$B/guests/user/workloads/bin/pmake"; do
	[ -e "$f" ] || { echo "disco-test: error: $f: not built (make disco-test)" >&2; exit 2; }
done
rm -rf "$LOGS"
mkdir -p "$LOGS/img"
start=$SECONDS

# ---- Images --------------------------------------------------------------

# The workloads' images as run.sh makes them: /bin, the inputs, /tmp, and
# an /etc/rc of the small-size commands of check.sh.
declare -A WL_RC=(
	[pmake]='pmake -j 2 -s small'
	[engineering]='engineering -s small'
	[raytrace]=$'raytrace -s small\nraytrace -s small -j 4'
	[database]=$'database -s small\ndatabase -s small'
)
WORKLOADS="pmake engineering raytrace database"
root=$LOGS/img/root
mkdir -p "$root/bin" "$root/etc" "$root/tmp"
cp "$B"/guests/user/bin/* "$B"/guests/user/workloads/bin/* "$root/bin/"
# Only the small sizes' inputs: every run copies the image, so each
# megabyte here is some eighty on the disk.
"$WLGEN" "$root" -p 128 -d 5000 || exit 2
for w in $WORKLOADS; do
	printf '%s\n' "${WL_RC[$w]}" >"$root/etc/rc"
	"$MKFS" "$LOGS/img/$w.img" 96 -r "$root" -i 2048 >/dev/null || exit 2
done
cp "$USERIMG" "$LOGS/img/usertests.img"
cp "$UNIXIMG" "$LOGS/img/unixtest.img"

# ---- Runs ------------------------------------------------------------------

# native NAME IMAGE NCPUS: boot kernel.elf on a copy of the image.
native() {
	local name=$1 img=$2 n=$3
	cp "$LOGS/img/$img.img" "$LOGS/$name.img"
	timeout "$TIMEOUT" "$FLASHSIM" --nodes "$n" --disk "$LOGS/$name.img" \
		--max-cycles 20000000000 "$KNATIVE" </dev/null \
		>"$LOGS/$name.out" 2>"$LOGS/$name.err"
	echo $? >"$LOGS/$name.status"
}

# vm_section VMNAME NCPUS MEMORY KERNEL IMAGE-COPY: one [vm] section.
vm_section() {
	printf '[vm %s]\ncpus = %s\nmemory = %s\nkernel = %s\ndisk = %s\n' "$@"
}

# disco NAME CONF: run the VMs of CONF (written by the caller); with
# VALGRIND=1 in its environment, under Valgrind memcheck (errors: exit 99).
disco() {
	local name=$1 vg=()
	[ "${VALGRIND:-0}" = 1 ] && vg=(valgrind -q --error-exitcode=99 --leak-check=full)
	timeout "$TIMEOUT" "${vg[@]}" "$DISCO" --summary --stats "$LOGS/$name.json" \
		--max-cycles 20000000000 "$LOGS/$name.conf" </dev/null \
		>"$LOGS/$name.raw" 2>"$LOGS/$name.err"
	echo $? >"$LOGS/$name.status"
}

# machine_for NODES VMS_MB VCPUS: "nodes mem_per_node_MB" of the smallest
# machine of at least NODES nodes (64 MB nodes below 8 nodes, 32 MB from 8
# up) that holds VMS_MB of VM memory plus a 4 KB page per vCPU.
machine_for() {
	local nodes=$1 need_kb=$(($2 * 1024 + $3 * 4)) node=64
	[ "$nodes" -ge 8 ] && node=32
	while [ $((nodes * node * 1024)) -lt "$need_kb" ]; do
		if [ $((nodes * node * 2)) -le 496 ]; then
			node=$((node * 2))
		else
			nodes=$((nodes + 1))
		fi
	done
	echo "$nodes $node"
}

# vm NAME IMAGE NCPUS hal|nohal [NODES [NUMA]]: one VM of NCPUS vCPUs,
# alone on a machine of at least NCPUS (or NODES) nodes (machine_for).
# NUMA, the monitor's page migration and replication: on (the default
# settings), off, or forced (every miss a hot page -- hot_threshold 1 --
# and the monitor's invariants checked after every trap). Forced keeps the
# default cap of moves a page: without one, every remote miss on a kernel
# page written by several CPUs moves it (measured: 5.5 million migrations
# in 20 G cycles, the kernel still booting); reference/tests/scenarios/
# numa_forced.conf runs a guest with no cap at all.
vm() {
	local name=$1 img=$2 n=$3 kind=$4 kernel=$KHAL halpage=on nodes node
	[ "$kind" = nohal ] && kernel=$KNOHAL halpage=off
	read -r nodes node < <(machine_for "${5:-$3}" $((32 * n)) "$n")
	cp "$LOGS/img/$img.img" "$LOGS/$name.img"
	{
		printf '[machine]\nnodes = %s\nmem_per_node = %sM\n' "$nodes" "$node"
		[ "${6:-on}" = forced ] && printf 'hot_threshold = 1\n'
		printf '[monitor]\nhalpage = %s\n' "$halpage"
		case ${6:-on} in
		off) printf 'numa = off\n' ;;
		forced) printf 'check = on\n' ;;
		esac
		vm_section vm "$n" "$((32 * n))M" "$kernel" "$LOGS/$name.img"
	} >"$LOGS/$name.conf"
	disco "$name"
}

# wide NAME IMAGE NCPUS [NUMA]: native (if NAME starts n-) or a VM of NCPUS
# vCPUs with 16 MB a node (the machine's 496 MB cannot give 16 vCPUs 32 MB
# each): the native machine has NCPUS nodes of 16 MB, the VM's NCPUS + 1
# (room for the monitor's pages and for replicas).
wide() {
	local name=$1 img=$2 n=$3
	cp "$LOGS/img/$img.img" "$LOGS/$name.img"
	if [ "${name#n-}" != "$name" ]; then
		timeout "$TIMEOUT" "$FLASHSIM" --nodes "$n" --mem-per-node 16M --disk "$LOGS/$name.img" \
			--max-cycles 20000000000 "$KNATIVE" </dev/null \
			>"$LOGS/$name.out" 2>"$LOGS/$name.err"
		echo $? >"$LOGS/$name.status"
		return
	fi
	{
		printf '[machine]\nnodes = %s\nmem_per_node = 16M\n' $((n + 1))
		[ "${4:-on}" = forced ] && printf 'hot_threshold = 1\n'
		printf '[monitor]\nhalpage = on\n'
		[ "${4:-on}" = off ] && printf 'numa = off\n'
		vm_section vm "$n" "$((16 * n))M" "$KHAL" "$LOGS/$name.img"
	} >"$LOGS/$name.conf"
	disco "$name"
}

# multi NAME NODES IMAGE...: one VM of 1 vCPU and 32 MB per image, on a
# machine of at least NODES CPUs that holds them all (machine_for).
multi() {
	local name=$1 nodes node i=0 img
	read -r nodes node < <(machine_for "$2" $((32 * ($# - 2))) $(($# - 2)))
	shift 2
	{
		printf '[machine]\nnodes = %s\nmem_per_node = %sM\n[monitor]\nhalpage = on\n' "$nodes" "$node"
		for img; do
			cp "$LOGS/img/$img.img" "$LOGS/$name-vm$i.img"
			vm_section "vm$i" 1 32M "$KHAL" "$LOGS/$name-vm$i.img"
			i=$((i + 1))
		done
	} >"$LOGS/$name.conf"
	disco "$name"
}

# cowmulti NAME IMAGE N: N VMs of 1 vCPU and 32 MB, all booting from one
# copy of IMAGE named cow (the monitor keeps each VM's writes, and the
# blocks they read are shared through the global disk cache), on a machine
# of at least N CPUs, the monitor's invariants checked after every trap;
# --export-disks writes each VM's view for fsck.
cowmulti() {
	local name=$1 img=$2 n=$3 nodes node i
	read -r nodes node < <(machine_for "$n" $((32 * n)) "$n")
	cp "$LOGS/img/$img.img" "$LOGS/$name-root.img"
	md5sum <"$LOGS/$name-root.img" >"$LOGS/$name-root.md5"
	mkdir -p "$LOGS/$name-views"
	{
		printf '[machine]\nnodes = %s\nmem_per_node = %sM\n[monitor]\nhalpage = on\ncheck = on\n' \
			"$nodes" "$node"
		for ((i = 0; i < n; i++)); do
			vm_section "vm$i" 1 32M "$KHAL" "$LOGS/$name-root.img cow"
		done
	} >"$LOGS/$name.conf"
	timeout "$TIMEOUT" "$DISCO" --export-disks "$LOGS/$name-views" --max-cycles 20000000000 \
		--stats "$LOGS/$name.json" "$LOGS/$name.conf" </dev/null >"$LOGS/$name.raw" 2>"$LOGS/$name.err"
	echo $? >"$LOGS/$name.status"
}

# nfsrun NAME N: a server VM (network address 1) serving /export of its
# persistent disk (nfsd), and N clients (addresses 2..N+1), each with a
# root disk of its own (so that each has its own /etc/rc) mounting it on
# /mnt (nfs=1:/mnt): each runs the kernel's file-system tests there
# (fsstress, fsedge), reads a file the server's disk holds, and leaves a
# file of its own, which the server prints once every client has
# unmounted. The monitor's invariants are checked after every trap.
nfsrun() {
	local name=$1 n=$2 d i c
	d="$LOGS/$name"
	rm -rf "$d" && mkdir -p "$d"
	for ((i = 1; i <= n + 1; i++)); do
		mkdir -p "$d/r$i/bin" "$d/r$i/etc" "$d/r$i/mnt" "$d/r$i/export"
		cp "$B"/guests/unix/root/bin/* "$d/r$i/bin/"
		cp "$B"/guests/user/bin/nfsd "$B"/guests/user/bin/cat "$B"/guests/user/bin/cp \
			"$B"/guests/user/bin/mkdir "$d/r$i/bin/"
		if [ "$i" = 1 ]; then
			echo "hello from the server" >"$d/r$i/export/hello"
			{
				echo "nfsd /export $n"
				for ((c = 2; c <= n + 1; c++)); do echo "cat /export/c$c/rc"; done
			} >"$d/r$i/etc/rc"
		else
			echo "nfs=1:/mnt" >"$d/r$i/etc/bootargs"
			printf 'mkdir /mnt/c%d\nfsstress /mnt/c%d/fss\nfsedge /mnt/c%d\ncat /mnt/hello\ncp /etc/rc /mnt/c%d/rc\n' \
				"$i" "$i" "$i" "$i" >"$d/r$i/etc/rc"
		fi
		"$MKFS" "$d/r$i.img" 16 -r "$d/r$i" >/dev/null || exit 2
	done
	{
		printf '[machine]\nnodes = 4\nmem_per_node = 64M\n[monitor]\nhalpage = on\ncheck = on\n'
		for ((i = 1; i <= n + 1; i++)); do
			vm_section "vm$i" 1 16M "$KHAL" "$d/r$i.img"
			echo "net = $i"
		done
	} >"$LOGS/$name.conf"
	timeout "$TIMEOUT" "$DISCO" --stats "$LOGS/$name.json" --max-cycles 20000000000 \
		"$LOGS/$name.conf" </dev/null >"$LOGS/$name.raw" 2>"$LOGS/$name.err"
	echo $? >"$LOGS/$name.status"
}

# Run "$@" in the background, at most JOBS at once.
spawn() {
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n
	done
	"$@" &
}

# The longest first, so that the pool drains evenly.
FULL=${DISCO_TEST_FULL:-0}
if [ "$FULL" = 1 ]; then
	spawn native n-usertests-8 usertests 8
	spawn vm d-usertests-8 usertests 8 hal 12
	spawn vm d-usertests-1-nohal usertests 1 nohal
	for w in $WORKLOADS; do
		spawn native "n-$w-2" "$w" 2
		spawn vm "d-$w-2" "$w" 2 hal
	done
fi
# The monitor under Valgrind memcheck, with two VMs of the real kernel
# (the longest run: first).
VALGRIND=1 spawn multi vg2 4 pmake database
spawn native n-unixtest-1 unixtest 1
spawn vm d-unixtest-1 unixtest 1 hal
spawn native n-usertests-2 usertests 2
spawn vm d-usertests-2 usertests 2 hal
spawn native n-usertests-1 usertests 1
spawn vm d-usertests-1 usertests 1 hal
for w in $WORKLOADS; do
	spawn native "n-$w-1" "$w" 1
	spawn native "n-$w-8" "$w" 8
	spawn vm "d-$w-1" "$w" 1 hal
	spawn vm "d-$w-8" "$w" 8 hal
	spawn vm "d-$w-1-nohal" "$w" 1 nohal
done
spawn multi m2 4 pmake pmake
spawn multi m4 4 $WORKLOADS
# 1, 2, 4 and 8 VMs on an 8-CPU machine (9 for 8 VMs: they must fit with
# the monitor's pages), and 8 vCPUs time-shared on 3 CPUs.
spawn multi m8x1 8 pmake
spawn multi m8x2 8 pmake database
spawn multi m8x4 8 $WORKLOADS
spawn multi m8x8 8 $WORKLOADS $WORKLOADS
spawn vm d-raytrace-8on3 raytrace 8 hal 3
# NFS between VMs over the virtual network.
spawn nfsrun nfs3 3
# Copy-on-write disks: VMs booting from one image, each its own writes.
spawn cowmulti cow4 pmake 4
spawn cowmulti cow3db database 3
# Page migration and replication change nothing the guest sees (the
# default-on runs above; here off and forced), on 8 and 16 vCPUs.
spawn vm d-engineering-8-off engineering 8 hal 8 off
spawn vm d-engineering-8-forced engineering 8 hal 8 forced
spawn vm d-raytrace-8-forced raytrace 8 hal 8 forced
spawn wide n-raytrace-16 raytrace 16
spawn wide d-raytrace-16 raytrace 16 on
spawn wide d-raytrace-16-forced raytrace 16 forced
wait

# ---- Checks ----------------------------------------------------------------

pass=0
fail=0

# result CASE WHY: count and print one case.
result() {
	if [ -z "$2" ]; then
		echo "PASS $1"
		pass=$((pass + 1))
	else
		echo "FAIL $1: $2"
		fail=$((fail + 1))
	fi
}

# why_vm RUN VMNAME NATIVE IMAGE: what is wrong with one VM of a disco run
# compared with a native run (nothing if all is well).
why_vm() {
	local run=$1 vmname=$2 nat=$3 img=$4 why="" st
	st=$(cat "$LOGS/$nat.status")
	[ "$st" = 0 ] || why="native run exited $st (see $LOGS/$nat.out)"
	st=$(cat "$LOGS/$run.status")
	[ "$st" = 0 ] || why="${why:+$why; }disco exited $st ($(head -c 200 "$LOGS/$run.err" | head -1))"
	sed -n "s/^$vmname: //p" "$LOGS/$run.raw" >"$LOGS/$run-$vmname.out"
	if ! cmp -s "$LOGS/$nat.out" "$LOGS/$run-$vmname.out"; then
		diff "$LOGS/$nat.out" "$LOGS/$run-$vmname.out" >"$LOGS/$run-$vmname.diff"
		why="${why:+$why; }console differs from native (see $LOGS/$run-$vmname.diff)"
	fi
	if ! "$FSCK" "$img" >"$LOGS/$run-$vmname.fsck" 2>&1; then
		why="${why:+$why; }fsck: $(head -1 "$LOGS/$run-$vmname.fsck")"
	fi
	printf '%s' "$why"
}

result "the kernel's own tests, 1 VM of 1 vCPU, HAL page" \
	"$(why_vm d-unixtest-1 vm n-unixtest-1 "$LOGS/d-unixtest-1.img")"
for n in 1 2 $([ "$FULL" = 1 ] && echo 8); do
	result "usertests, 1 VM of $n vCPU(s), HAL page" \
		"$(why_vm "d-usertests-$n" vm "n-usertests-$n" "$LOGS/d-usertests-$n.img")"
done
[ "$FULL" = 1 ] && result "usertests, 1 VM of 1 vCPU, no HAL page" \
	"$(why_vm d-usertests-1-nohal vm n-usertests-1 "$LOGS/d-usertests-1-nohal.img")"
for w in $WORKLOADS; do
	for n in 1 $([ "$FULL" = 1 ] && echo 2) 8; do
		result "$w small, 1 VM of $n vCPU(s), HAL page" \
			"$(why_vm "d-$w-$n" vm "n-$w-$n" "$LOGS/d-$w-$n.img")"
	done
	result "$w small, 1 VM of 1 vCPU, no HAL page" \
		"$(why_vm "d-$w-1-nohal" vm "n-$w-1" "$LOGS/d-$w-1-nohal.img")"
done
why=""
for i in 0 1; do
	w=$(why_vm m2 "vm$i" n-pmake-1 "$LOGS/m2-vm$i.img")
	[ -n "$w" ] && why="${why:+$why; }vm$i: $w"
done
result "2 VMs of 1 vCPU on 4 CPUs, pmake small in each" "$why"
why="" i=0
for w in $WORKLOADS; do
	x=$(why_vm m4 "vm$i" "n-$w-1" "$LOGS/m4-vm$i.img")
	[ -n "$x" ] && why="${why:+$why; }vm$i ($w): $x"
	i=$((i + 1))
done
result "4 VMs of 1 vCPU on 4 CPUs, one workload each" "$why"
# mcheck RUN IMAGE...: every VM of a multi run against its native run.
mcheck() {
	local run=$1 why="" i=0 img x
	shift
	for img; do
		x=$(why_vm "$run" "vm$i" "n-$img-1" "$LOGS/$run-vm$i.img")
		[ -n "$x" ] && why="${why:+$why; }vm$i ($img): $x"
		i=$((i + 1))
	done
	printf '%s' "$why"
}
result "1 VM of 1 vCPU on 8 CPUs (pmake small)" "$(mcheck m8x1 pmake)"
result "2 VMs of 1 vCPU on 8 CPUs (pmake, database)" "$(mcheck m8x2 pmake database)"
result "4 VMs of 1 vCPU on 8 CPUs (one workload each)" "$(mcheck m8x4 $WORKLOADS)"
result "8 VMs of 1 vCPU on 9 CPUs (each workload twice)" "$(mcheck m8x8 $WORKLOADS $WORKLOADS)"
result "2 VMs (pmake, database) with the monitor under Valgrind memcheck" "$(mcheck vg2 pmake database)"
result "raytrace small, 1 VM of 8 vCPUs on 3 CPUs" \
	"$(why_vm d-raytrace-8on3 vm n-raytrace-8 "$LOGS/d-raytrace-8on3.img")"
# cowcheck RUN IMAGE N: every VM of a cowmulti run against the native run
# of 1 CPU, fsck run on its exported view, the image unchanged, and the
# sharing seen in the statistics: the kernel's text and the programs' text
# (exec reads it straight from the disk, the monitor maps it from its
# cache) cost fewer machine pages than the VMs would use alone.
cowcheck() {
	local run=$1 img=$2 n=$3 why="" i x
	for ((i = 0; i < n; i++)); do
		x=$(why_vm "$run" "vm$i" "n-$img-1" "$LOGS/$run-views/vm$i-disk0.img")
		[ -n "$x" ] && why="${why:+$why; }vm$i: $x"
	done
	md5sum <"$LOGS/$run-root.img" | cmp -s - "$LOGS/$run-root.md5" ||
		why="${why:+$why; }the cow image was written"
	x=$(python3 -c '
import json, sys
m = json.load(open(sys.argv[1]))["memory"]
for k in ("kernel_text", "user"):
    mk, vk = m["M_kinds"][k], m["V_kinds"][k]
    if mk >= vk:
        print(k + " not shared: M %d pages, V %d" % (mk, vk), end="; ")
' "$LOGS/$run.json" 2>&1)
	[ -n "$x" ] && why="${why:+$why; }${x%; }"
	printf '%s' "$why"
}
# nfscheck RUN N: every client passed its tests over NFS and read the
# server's file, the server printed every client's file, every disk is
# consistent, and the pages went as remapped pages, shared between VMs.
nfscheck() {
	local run=$1 n=$2 why="" i x out="$LOGS/$1.raw"
	x=$(cat "$LOGS/$run.status")
	[ "$x" = 0 ] || why="disco exited $x ($(head -c 200 "$LOGS/$run.err" | head -1))"
	for ((i = 2; i <= n + 1; i++)); do
		for line in "fsstress: 4 processes x 12 files: ok" "fsedge: ok" "hello from the server" \
			"init: all commands succeeded"; do
			grep -qxF "vm$i: $line" "$out" || why="${why:+$why; }vm$i: no line \"$line\""
		done
		grep -qxF "vm1: fsstress /mnt/c$i/fss" "$out" || why="${why:+$why; }the server did not print vm$i's file"
	done
	grep -q "FAIL" "$out" && why="${why:+$why; }a FAIL line (see $out)"
	for ((i = 1; i <= n + 1; i++)); do
		"$FSCK" "$LOGS/$run/r$i.img" >"$LOGS/$run/r$i.fsck" 2>&1 ||
			why="${why:+$why; }vm$i: fsck: $(head -1 "$LOGS/$run/r$i.fsck")"
	done
	x=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if d["memory"]["net_pages"] == 0:
    print("no page shared by the network", end="; ")
for v in d["vms"][1:]:
    n = v.get("net", {})
    if n.get("pages_remapped", 0) == 0 or n.get("pages_copied", 1) != 0:
        print(v["name"] + ": pages not remapped: %s" % n, end="; ")
' "$LOGS/$run.json" 2>&1)
	[ -n "$x" ] && why="${why:+$why; }${x%; }"
	printf '%s' "$why"
}
result "NFS: 3 client VMs run the file-system tests on one server VM, pages remapped" \
	"$(nfscheck nfs3 3)"
result "4 VMs booting from one cow disk (pmake small): own writes, image untouched" \
	"$(cowcheck cow4 pmake 4)"
result "3 VMs booting from one cow disk (database small): own writes, image untouched" \
	"$(cowcheck cow3db database 3)"
result "engineering small, 8 vCPUs, numa off" \
	"$(why_vm d-engineering-8-off vm n-engineering-8 "$LOGS/d-engineering-8-off.img")"
for w in engineering raytrace; do
	result "$w small, 8 vCPUs, migration and replication forced (threshold 1, checked)" \
		"$(why_vm "d-$w-8-forced" vm "n-$w-8" "$LOGS/d-$w-8-forced.img")"
done
result "raytrace small, 16 vCPUs, numa on" \
	"$(why_vm d-raytrace-16 vm n-raytrace-16 "$LOGS/d-raytrace-16.img")"
result "raytrace small, 16 vCPUs, migration and replication forced (threshold 1)" \
	"$(why_vm d-raytrace-16-forced vm n-raytrace-16 "$LOGS/d-raytrace-16-forced.img")"

# The disk images of a passing run are only its scratch space: drop them
# so the later suites have the disk (a failing run keeps them to look at).
if [ "$fail" = 0 ]; then
	find "$LOGS" -name '*.img' -delete
fi
echo "($((SECONDS - start)) s; logs in $LOGS)"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
