#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# initramfs.sh ARCH OUT HOOK SOCKETS [ROOT[:ROOT]...]: the guest's initramfs (an
# uncompressed newc cpio: the kernel unpacks it faster than a compressed one
# under QEMU's emulation) for ARCH (x86_64 or arm64) in OUT. It holds static
# busybox, the hook HOOK under test, the static test helper SOCKETS, runc,
# jq, bpftool and bash with their libraries and loader, the integration
# library and the guest's scenarios (guest.sh), and guest-init as /init.
# Programs and libraries come from this machine for x86_64, from the ROOTs
# (extracted arm64 packages, searched in order) for arm64; libraries are
# found from each ELF's
# DT_NEEDED with readelf, which reads any architecture, so both ways are one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
arch=$1 out=$2 hook=$3 sockets=$4
IFS=: read -r -a roots <<<"${5:-/}"
case $arch in
x86_64) triplet=x86_64-linux-gnu ;;
arm64) triplet=aarch64-linux-gnu ;;
*) echo "initramfs.sh: unknown architecture $arch" >&2; exit 2 ;;
esac
stage=$out.d
rm -rf "$stage"
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,proc,sys,dev,run,tmp,etc,root,newroot,var/log,sr}
chmod 1777 "$stage/tmp"

# in_root ROOT PATH: PATH inside ROOT, symlinks followed there (an absolute
# link in a sysroot points into the sysroot).
in_root() {
	local root=${1%/} p=$2 t
	for _ in $(seq 1 20); do
		[[ -L $root$p ]] || { printf '%s\n' "$p"; return 0; }
		t=$(readlink "$root$p")
		if [[ $t == /* ]]; then p=$t; else p=$(dirname "$p")/$t; fi
		p=$(realpath -sm "$p")
	done
	echo "initramfs.sh: symlink loop at $2 in $1" >&2
	return 1
}
# find_in_roots PATH: the first root's copy of PATH, symlinks followed.
find_in_roots() {
	local root from
	for root in "${roots[@]}"; do
		from=$(in_root "$root" "$1")
		[[ -f ${root%/}$from ]] && { printf '%s\n' "${root%/}$from"; return 0; }
	done
	return 1
}
# copy_in PATH [DEST]: copies PATH from the roots to DEST (default: the same
# path) in the stage, the file itself, not a symlink.
copy_in() {
	local from
	from=$(find_in_roots "$1") || { echo "initramfs.sh: $1 missing in ${roots[*]}" >&2; return 1; }
	mkdir -p "$(dirname "$stage${2:-$1}")"
	cp "$from" "$stage${2:-$1}"
}
declare -A have=()
# with_libs ELF: the ELF's interpreter and its libraries, recursively.
with_libs() {
	local elf=$1 lib d found interp
	interp=$(readelf -l "$elf" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	if [[ -n $interp && -z ${have[$interp]:-} ]]; then
		have[$interp]=1
		copy_in "$interp"
	fi
	for lib in $(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		[[ -z ${have[$lib]:-} ]] || continue
		have[$lib]=1
		found=
		for d in /lib/$triplet /usr/lib/$triplet /lib /usr/lib; do
			if find_in_roots "$d/$lib" >/dev/null; then found=$d/$lib; break; fi
		done
		[[ -n $found ]] || { echo "initramfs.sh: $lib (needed by $elf) not found in ${roots[*]}" >&2; return 1; }
		copy_in "$found"
		with_libs "$stage$found"
	done
}
# program PATH-IN-ROOT DEST: a dynamically linked program and its libraries.
program() {
	copy_in "$1" "$2"
	with_libs "$stage$2"
}

program /usr/sbin/runc /usr/bin/runc
program /usr/bin/jq /usr/bin/jq
program /usr/sbin/bpftool /usr/bin/bpftool
program /bin/bash /bin/bash
# lib.sh's assert_no_leftovers takes a killed tracer's slot lock with flock.
program /usr/bin/flock /usr/bin/flock
mkdir -p "$stage/sr"
cp "$hook" "$stage/sr/seccomp-recorder"
with_libs "$stage/sr/seccomp-recorder"
cp "$sockets" "$stage/sr/sockets"
copy_in /bin/busybox /bin/busybox
if [[ $arch == "$(uname -m)" ]]; then
	for a in $("$stage/bin/busybox" --list); do
		[[ -e $stage/bin/$a || -e $stage/usr/bin/$a ]] || ln -s busybox "$stage/bin/$a"
	done
else
	# A foreign busybox cannot list its applets here: those the guest uses.
	for a in sh ash cat cp mv rm ln ls mkdir rmdir mount umount switch_root poweroff sleep \
		syslogd grep egrep sed awk tr cut head tail wc sort uniq seq mktemp stat diff cmp \
		timeout setsid unshare nsenter chown chmod touch find dd id kill ps printf echo test \
		'[' '[[' true false env dirname basename readlink realpath sync uname date install \
		xargs tee sha256sum hostname chroot; do
		ln -sf busybox "$stage/bin/$a"
	done
fi
ln -sf ../bin/busybox "$stage/sbin/init"
# No pgrep or flock in Debian's busybox: the integration library needs pgrep -f.
cp "$here/pgrep" "$stage/usr/local/bin/pgrep"
chmod 0755 "$stage/usr/local/bin/pgrep"
echo 'root:x:0:0:root:/root:/bin/sh' >"$stage/etc/passwd"
echo 'root:x:0:' >"$stage/etc/group"
# The tests: the integration library and files, their data, the scenarios.
mkdir -p "$stage/sr/tests/integration" "$stage/sr/tests/kernels"
cp "$src"/tests/integration/*.sh "$stage/sr/tests/integration/"
cp -r "$src/tests/data" "$stage/sr/tests/data"
cp "$here/guest.sh" "$stage/sr/tests/kernels/guest.sh"
cp "$here/guest-init" "$stage/init"
chmod 0755 "$stage/init"
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$stage"
