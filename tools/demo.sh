#!/usr/bin/env bash
# tools/demo.sh: the kit's demonstration (`make run`): the Disco monitor
# boots two virtual machines on a 4-CPU FLASH machine, each running the
# kit's Unix kernel (the disco build) on its own disk:
#   alpha  2 vCPUs  the parallel raytracer (one sproc thread per vCPU)
#   beta   1 vCPU   the decision-support database
# Their consoles are printed with the VM's name before each line, then the
# monitor's summary: each VM's time split into user, kernel, monitor and
# idle, its traps and its second-level TLB hit rate.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd) || exit 2
cd "$top"
B=${B:-build}
d=$B/demo
rm -rf "$d"
mkdir -p "$d/root/bin" "$d/root/etc" "$d/root/tmp"
cp "$B"/guests/user/bin/* "$B"/guests/user/workloads/bin/* "$d/root/bin/"
"$B/tools/wlgen" "$d/root" -p 16 -d 5000 >/dev/null || exit 2
for vm in alpha beta; do
    case $vm in
    alpha) echo "raytrace -s small" ;;
    beta) echo "database -s small" ;;
    esac >"$d/root/etc/rc"
    "$B/guests/tools/mkfs" "$d/$vm.img" 64 -r "$d/root" -i 1024 >/dev/null || exit 2
done
cat >"$d/vms.conf" <<CONF
[machine]
nodes = 4
mem_per_node = 64M

[vm alpha]
cpus = 2
memory = 48M
kernel = $B/guests/unix/kernel-disco.elf
disk = $d/alpha.img

[vm beta]
cpus = 1
memory = 48M
kernel = $B/guests/unix/kernel-disco.elf
disk = $d/beta.img
CONF
echo "disco: two VMs on a 4-CPU FLASH machine ($d/vms.conf)"
"$B/bin/disco" --summary --stats "$d/stats.json" "$d/vms.conf" </dev/null
