#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# run.sh BUILD_DIR [NAME...]: the kernel matrix. Boots Debian's kernels
# (common.sh: 5.10, 6.1, 6.12 and trixie-backports' newest on x86_64, 6.1
# on arm64; NAME picks some) under QEMU's emulation, each with an initramfs
# holding BUILD_DIR's hook, and runs the guest scenarios (guest.sh) there. Prints one TAP line per
# kernel and scenario ("ok N - x86_64-6.1: ..."), then the plan; exit status
# 1 if any failed or a guest did not finish, 77 (skip) only when QEMU cannot
# run at all, and never under SECCOMP_RECORDER_REQUIRE_BPF=1.
#
# Kernels and the initramfs are kept in SR_KERNEL_CACHE (default
# BUILD_DIR/tests/kernels) and reused; each guest's console is left there as
# NAME.console. SR_KERNEL_JOBS guests run at once (default 2: one QEMU
# thread each under thread=single; measured on 2 cores, the five take 377 s
# two at a time, 644 s one after another), SR_KERNEL_TIMEOUT bounds one
# guest (seconds, default 600; they take 100-165 s). The arm64 hook is
# cross-built in SR_KERNEL_ARM64_BUILD (default BUILD_DIR/cross-arm64, the
# one cross_arm64_deb uses).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
source "$here/common.sh"
build=$(cd "${1:?usage: run.sh BUILD_DIR [NAME...]}" && pwd)
shift
cache=${SR_KERNEL_CACHE:-$build/tests/kernels}
jobs=${SR_KERNEL_JOBS:-2}
# The arm64 cross-build: the one cross_arm64_deb makes (same configuration),
# so that CI builds and fetches the arm64 sysroot once.
arm64_build=${SR_KERNEL_ARM64_BUILD:-$build/cross-arm64}
limit=${SR_KERNEL_TIMEOUT:-600}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
if (($#)); then names=("$@"); else names=("${SR_KERNELS[@]%% *}"); fi

skip_all() {
	if [[ ${SECCOMP_RECORDER_REQUIRE_BPF:-0} == 1 ]]; then
		echo "not ok 1 - kernel matrix: $* (SECCOMP_RECORDER_REQUIRE_BPF=1 forbids skipping)"
		echo "1..1"
		exit 1
	fi
	echo "1..0 # SKIP $*"
	exit 77
}
# QEMU that cannot even start is the one reason to skip.
qemu_for() { case $1 in x86_64) echo qemu-system-x86_64 ;; arm64) echo qemu-system-aarch64 ;; esac; }
qemu_ok() { command -v "$1" >/dev/null && "$1" -accel tcg -machine help >/dev/null 2>&1; }
qemu_ok qemu-system-x86_64 || skip_all "qemu-system-x86_64 cannot run (tests/deps.sh installs qemu-system-x86)"

n=0 failed=0
tap() { # ok|not ok DESCRIPTION
	n=$((n + 1))
	[[ $1 == ok ]] || failed=$((failed + 1))
	printf '%s %d - %s\n' "$1" "$n" "$2"
}
# One failing preparation fails that kernel's line, not the matrix.
declare -A initrd=() broken=()

# ---- what each architecture's initramfs is built from ----
# hashed: the initramfs is rebuilt only when one of its inputs changed.
inputs_hash() {
	{
		sha256sum "$@"
		(cd "$src" && sha256sum tests/kernels/* tests/integration/*.sh tests/data/*)
	} | sha256sum | cut -c1-16
}
make_initrd() { # ARCH HOOK SOCKETS ROOTS
	local arch=$1 h out
	h=$(inputs_hash "$2" "$3")
	out=$cache/initrd-$arch-$h.cpio
	if [[ ! -s $out ]]; then
		rm -f "$cache/initrd-$arch-"*.cpio
		bash "$here/initramfs.sh" "$arch" "$out" "$2" "$3" "$4" >"$cache/initrd-$arch.log" 2>&1 || {
			broken[$arch]="building the initramfs failed: $(tail -3 "$cache/initrd-$arch.log")"
			return 0
		}
	fi
	initrd[$arch]=$out
}
prepare_arch() {
	local arch=$1
	local log=$cache/prepare-$arch.log
	case $arch in
	x86_64)
		[[ $(uname -m) == x86_64 ]] || { broken[$arch]="the x86_64 guest's programs come from an x86_64 host"; return 0; }
		make_initrd x86_64 "$build/seccomp-recorder" "$build/tests/sockets" /
		;;
	arm64)
		qemu_ok qemu-system-aarch64 || { broken[$arch]="qemu-system-aarch64 cannot run (tests/deps.sh installs qemu-system-arm)"; return 0; }
		# The hook and its static test helper cross-built from this tree
		# (tests/cross), and bash and flock for the integration library.
		if ! { bash "$src/tests/cross/build-arm64.sh" "$arm64_build" &&
			bash "$here/userland.sh" "$cache" arm64; } >"$log" 2>&1; then
			broken[$arch]="preparing the arm64 guest failed: $(tail -3 "$log")"
			return 0
		fi
		make_initrd arm64 "$arm64_build/seccomp-recorder" "$arm64_build/tests/sockets" \
			"$arm64_build/sysroot:$cache/userland-arm64"
		;;
	esac
}

declare -A arch_of=() kernel_ok=()
for name in "${names[@]}"; do
	read -r _ arch _ <<<"$(kernel_entry "$name")"
	arch_of[$name]=$arch
done
start=$SECONDS
for arch in $(printf '%s\n' "${arch_of[@]}" | sort -u); do prepare_arch "$arch"; done
for name in "${names[@]}"; do
	if bash "$here/fetch.sh" "$cache" "$name" >"$cache/fetch-$name.log" 2>&1; then
		kernel_ok[$name]=1
	fi
done
echo "# prepared in $((SECONDS - start)) s"

# boot NAME: one guest, its console (each line prefixed with the seconds
# since boot, as the host saw them) in NAME.console.
boot() {
	local name=$1 arch=${arch_of[$1]} k=$cache/$1 qemu cmd
	# shellcheck disable=SC2054 # QEMU's options have commas
	qemu=(-accel tcg,thread=single -m 2G -smp 2 -kernel "$k/vmlinuz" -initrd "${initrd[$arch]}"
		-nographic -no-reboot -nic none)
	# shellcheck disable=SC2054
	case $arch in
	x86_64) cmd=(qemu-system-x86_64 -cpu max "${qemu[@]}" -append "console=ttyS0 panic=-1 quiet sr_timeout=$((limit - 30))") ;;
	arm64) cmd=(qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on "${qemu[@]}" -append "console=ttyAMA0 panic=-1 quiet sr_timeout=$((limit - 30))") ;;
	esac
	local t0=$SECONDS
	timeout "$limit" "${cmd[@]}" </dev/null 2>&1 | while IFS= read -r line; do
		printf '%4d %s\n' $((SECONDS - t0)) "${line%$'\r'}"
	done >"$cache/$name.console"
}

# The guests, SR_KERNEL_JOBS at a time.
running=0
for name in "${names[@]}"; do
	arch=${arch_of[$name]}
	[[ -n ${kernel_ok[$name]:-} && -z ${broken[$arch]:-} ]] || continue
	boot "$name" &
	running=$((running + 1))
	if ((running >= jobs)); then
		wait -n || true
		running=$((running - 1))
	fi
done
wait || true

# ---- the console, read back: one line per kernel and scenario ----
for name in "${names[@]}"; do
	arch=${arch_of[$name]}
	if [[ -z ${kernel_ok[$name]:-} ]]; then
		tap "not ok" "$name: the kernel could not be fetched: $(tail -1 "$cache/fetch-$name.log")"
		continue
	fi
	if [[ -n ${broken[$arch]:-} ]]; then
		tap "not ok" "$name: ${broken[$arch]}"
		continue
	fi
	c=$cache/$name.console
	kpkg=$(cat "$cache/$name/package")
	echo "# $name: $kpkg, $(sed -n 's/.*sr-guest: kernel //p' "$c" | head -1)"
	sed -n 's/^ *[0-9]* \(# capability path: .*\)/\1/p' "$c" | sed "s/^# /# $name: /"
	plan=$(sed -n 's/^ *[0-9]* 1\.\.\([0-9]*\)$/\1/p' "$c" | tail -1)
	seen=0 why=
	while read -r t rest; do
		if [[ $rest == "# FAIL"* ]]; then
			why+="# $name: ${rest#\# }"$'\n'
		elif [[ $rest =~ ^(not ok|ok)\ [0-9]+\ -\ (.*)$ ]]; then
			seen=$((seen + 1))
			[[ ${BASH_REMATCH[1]} == ok ]] || printf '%s' "${why:0:2000}"
			why=
			tap "${BASH_REMATCH[1]}" "$name: ${BASH_REMATCH[2]} (at ${t} s)"
		fi
	done <"$c"
	if [[ -z $plan || $seen != "$plan" ]] || ! grep -q 'sr-guest: end' "$c"; then
		tap "not ok" "$name: the guest did not finish ($seen scenarios reported, plan ${plan:-missing}); console's end:"
		tail -15 "$c" | sed 's/^/#   /'
	else
		echo "# $name: finished in $(awk 'END {print $1}' "$c") s"
	fi
done
echo "1..$n"
echo "# kernel matrix: $((SECONDS - start)) s in all"
((failed == 0)) || exit 1
