#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tests/cross/compat-guest.sh CROSS_BUILD_DIR KERNEL_IMAGE: boots an arm64
# kernel (Debian's linux-image-*-arm64 /boot/vmlinuz, CONFIG_COMPAT=y) under
# qemu-system-aarch64 with the cross-built hook of CROSS_BUILD_DIR
# (tests/cross/build-arm64.sh) and checks AArch32 recording end to end, with
# Debian's armhf busybox-static (CROSS_BUILD_DIR/armhf, from sysroot.sh) as
# the workload:
#   1. `record` of an AArch64 busybox: SCMP_ARCH_AARCH64 alone;
#   2. `record` of the armhf busybox: SCMP_ARCH_ARM added, arm's own names
#      (fcntl64, getuid32 ...) and the ARM-private set_tls;
#   3. runc with the hook recording an AArch32 container, which then runs
#      under that profile, a syscall it never made (mkdir) is denied, and
#      without SCMP_ARCH_ARM in `architectures` it is killed.
# One TAP line per check; exit 1 if one failed. Not a ctest: the kernel
# matrix (tests/kernels/) owns downloading kernels; pass it one of its own.
# Measured with linux-image-6.1.0-57-arm64: all pass in about 30 s.
set -euo pipefail
cross=$(cd "${1:?usage: $0 CROSS_BUILD_DIR KERNEL_IMAGE}" && pwd)
kernel=${2:?usage: $0 CROSS_BUILD_DIR KERNEL_IMAGE}
sysroot=$cross/sysroot
qemu=$(command -v qemu-system-aarch64) || { echo "1..0 # SKIP no qemu-system-aarch64"; exit 77; }
for f in "$cross/seccomp-recorder" "$cross/armhf/bin/busybox" "$sysroot/bin/busybox" \
	"$sysroot/usr/sbin/runc" "$sysroot/usr/bin/jq"; do
	[[ -e $f ]] || { echo "compat-guest.sh: no $f (tests/cross/build-arm64.sh $cross)" >&2; exit 2; }
done
work=$(mktemp -d /tmp/sr-compat-guest.XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,lib/aarch64-linux-gnu,proc,sys,dev,tmp,run,sr,armhf}

cp "$sysroot/bin/busybox" "$root/bin/"
cp "$cross/seccomp-recorder" "$sysroot/usr/sbin/runc" "$sysroot/usr/bin/jq" "$root/sr/"
cp "$cross/armhf/bin/busybox" "$root/armhf/busybox"
cp -L "$sysroot/lib/ld-linux-aarch64.so.1" "$root/lib/"
# The libraries they load (DT_NEEDED, read by readelf for any architecture).
declare -A seen=()
queue=("$root/sr/seccomp-recorder" "$root/sr/runc" "$root/sr/jq")
while ((${#queue[@]})); do
	elf=${queue[0]}
	queue=("${queue[@]:1}")
	for lib in $(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[[ -n ${seen[$lib]:-} || $lib == ld-linux-aarch64.so.1 ]] && continue
		seen[$lib]=1
		path=$(find "$sysroot/lib/aarch64-linux-gnu" "$sysroot/usr/lib/aarch64-linux-gnu" \
			-name "$lib" 2>/dev/null | head -n1)
		[[ -n $path ]] || { echo "compat-guest.sh: $lib not in $sysroot" >&2; exit 2; }
		cp -L "$path" "$root/lib/aarch64-linux-gnu/"
		queue+=("$root/lib/aarch64-linux-gnu/$lib")
	done
done

cat >"$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
mount -t bpf bpf /sys/fs/bpf; mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount -t tmpfs tmp /tmp; mount -t tmpfs run /run
export PATH=/sr:/bin
n=0
check() { # DESCRIPTION COMMAND...
	n=$((n + 1))
	d=$1; shift
	if "$@" >/tmp/check.out 2>&1; then echo "ok $n - $d"; else
		echo "not ok $n - $d"; sed 's/^/#   /' /tmp/check.out | head -20; fi
}
names() { jq -r '.syscalls[].names[]' "$1" >"$1.names"; }
arches() { jq -r '.architectures | join(" ")' "$1"; }

seccomp-recorder record -o /tmp/n.json -- /bin/busybox ls / >/dev/null 2>/tmp/n.err
check "AArch64 busybox: SCMP_ARCH_AARCH64 alone" test "$(arches /tmp/n.json)" = SCMP_ARCH_AARCH64
seccomp-recorder record -o /tmp/c.json -- /armhf/busybox sh -c '/armhf/busybox ls / >/dev/null' 2>/tmp/c.err
check "armhf busybox: SCMP_ARCH_AARCH64 and SCMP_ARCH_ARM" \
	test "$(arches /tmp/c.json)" = "SCMP_ARCH_AARCH64 SCMP_ARCH_ARM"
names /tmp/c.json
for s in set_tls fcntl64 getuid32 ugetrlimit; do
	check "armhf busybox: $s recorded" grep -qx "$s" /tmp/c.json.names
done

mkdir -p /tmp/b/rootfs/bin /tmp/out
cp /armhf/busybox /tmp/b/rootfs/bin/busybox
for a in sh ls mkdir; do ln -s busybox /tmp/b/rootfs/bin/$a; done
cd /tmp/b && runc spec && mv config.json base.json
spec() { # ARGS-JSON [SECCOMP-JQ]
	jq --slurpfile p /tmp/out/c.json --argjson a "$1" '.process.terminal=false
		| .root.readonly=false | .process.args=$a'"${2:+ | .linux.seccomp=($2)}" base.json >config.json
}
jq '.process.terminal=false | .root.readonly=false
	| .process.args=["/bin/sh","-c","ls / >/dev/null"]
	| .annotations={"io.containers.trace-syscall":"of:/tmp/out/c.json"}
	| .hooks={"prestart":[{"path":"/sr/seccomp-recorder","args":["seccomp-recorder","hook","--allow-dir","/tmp/out"]}],
		"poststop":[{"path":"/sr/seccomp-recorder","args":["seccomp-recorder","hook","--allow-dir","/tmp/out"]}]}' \
	base.json >config.json
rm -f /tmp/out/c.json
check "runc: an AArch32 container recorded through the hook" runc run --no-pivot rec
check "  its profile has SCMP_ARCH_ARM" test "$(arches /tmp/out/c.json)" = "SCMP_ARCH_AARCH64 SCMP_ARCH_ARM"
names /tmp/out/c.json
check "  and set_tls" grep -qx set_tls /tmp/out/c.json.names
spec '["/bin/sh","-c","ls / >/dev/null"]' '$p[0]'
check "runc: the container runs under its profile" runc run --no-pivot enf
spec '["/bin/mkdir","/x"]' '$p[0]'
check "runc: mkdir, never made, is denied (ENOSYS)" \
	sh -c 'runc run --no-pivot blk 2>&1 | grep -q "Function not implemented"'
spec '["/bin/sh","-c","true"]' '$p[0] | .architectures=["SCMP_ARCH_AARCH64"]'
check "runc: without SCMP_ARCH_ARM the AArch32 container is killed" sh -c '! runc run --no-pivot noarm'
echo "1..$n"
poweroff -f
EOF
chmod +x "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/initrd"
timeout 600 "$qemu" -M virt -accel tcg,thread=single -cpu max,pauth-impdef=on -m 2G -smp 2 \
	-kernel "$kernel" -initrd "$work/initrd" -append 'console=ttyAMA0 panic=-1 quiet' \
	-nographic -no-reboot -nic none >"$work/console" 2>&1 || true
tr -d '\r' <"$work/console" | grep -E '^(ok|not ok|#   |1\.\.)' | tee "$work/tap"
grep -q '^1\.\.' "$work/tap" || { echo "# the guest did not finish; console:"; tail -30 "$work/console"; exit 1; }
! grep -q '^not ok' "$work/tap"
