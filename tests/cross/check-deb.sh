#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tests/cross/check-deb.sh NATIVE_BUILD_DIR [CROSS_BUILD_DIR]: cross-builds the
# hook for arm64 (tests/cross/build-arm64.sh, into CROSS_BUILD_DIR, default
# NATIVE_BUILD_DIR/cross-arm64, whose sysroot is kept for the next run),
# packages it with cpack and checks the arm64 .deb as the amd64 one is
# checked (tests/integration/test_package.sh), short of installing it:
# - the same files as the amd64 package of the native build, with the
#   hooks.d entry pointing at the hook;
# - control fields: Architecture arm64, the Depends dpkg-shlibdeps gives for
#   arm64 (libc6, libelf1, libseccomp2, zlib1g; not libbpf or yajl, linked
#   in), the same maintainer scripts;
# - the hook is an AArch64 ELF with the arm64 build of each BPF object
#   embedded byte for byte, and that build reads pstate (the AArch32 test);
# - under qemu-aarch64, if installed, the packaged binary runs, and so do
#   the unit tests, cross-built.
# Exit 77 (skipped) without the cross compiler, unless
# SECCOMP_RECORDER_REQUIRE_BPF=1 (CI), where that is a failure.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
native=$(cd "${1:?usage: $0 NATIVE_BUILD_DIR [CROSS_BUILD_DIR]}" && pwd)
cross=${2:-$native/cross-arm64}

fail() {
	echo "FAIL: $*"
	exit 1
}
if ! command -v aarch64-linux-gnu-gcc >/dev/null; then
	[[ ${SECCOMP_RECORDER_REQUIRE_BPF:-0} == 1 ]] &&
		fail "aarch64-linux-gnu-gcc is missing (tests/deps.sh installs gcc-aarch64-linux-gnu)"
	echo "skip: no aarch64-linux-gnu-gcc (gcc-aarch64-linux-gnu)"
	exit 77
fi
work=$(mktemp -d /tmp/sr-cross-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT

start=$SECONDS
bash "$src/tests/cross/build-arm64.sh" "$cross" >"$work/build.log" 2>&1 ||
	fail "cross build failed: $(tail -20 "$work/build.log")"
(cd "$work" && cpack -G DEB --config "$cross/CPackConfig.cmake" -B "$work/arm64" >cpack-arm64.log 2>&1) ||
	fail "cpack (arm64) failed: $(tail -5 "$work/cpack-arm64.log")"
(cd "$work" && cpack -G DEB --config "$native/CPackConfig.cmake" -B "$work/native" >cpack-native.log 2>&1) ||
	fail "cpack (native) failed: $(tail -5 "$work/cpack-native.log")"
deb=$(ls "$work"/arm64/seccomp-recorder_*_arm64.deb 2>/dev/null) ||
	fail "no seccomp-recorder_*_arm64.deb: $(ls "$work/arm64")"
ref=$(ls "$work"/native/seccomp-recorder_*.deb)
echo "ok: built $(basename "$deb") in $((SECONDS - start)) s"

# Files: what the amd64 package has, and the ones podman and CRI-O use.
paths() { dpkg-deb -c "$1" | awk '{ print $1, $2, $NF }' | sort -k3; }
paths "$deb" >"$work/arm64.list"
paths "$ref" >"$work/native.list"
diff -u "$work/native.list" "$work/arm64.list" >"$work/list.diff" ||
	fail "the arm64 package's files differ from the native one's: $(cat "$work/list.diff")"
for f in ./usr/libexec/oci/hooks.d/seccomp-recorder \
	./usr/share/containers/oci/hooks.d/seccomp-recorder.json \
	./usr/share/man/man1/seccomp-recorder.1 ./var/lib/seccomp-recorder/; do
	grep -q " $f$" "$work/arm64.list" || fail "the package lacks $f: $(cat "$work/arm64.list")"
done
echo "ok: $(wc -l <"$work/arm64.list") entries, the same as $(basename "$ref")"

# Control fields.
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == seccomp-recorder ]] || fail "Package: $(field Package)"
[[ $(field Architecture) == arm64 ]] || fail "Architecture: $(field Architecture)"
[[ $(field Version) == "$(dpkg-deb -f "$ref" Version)" ]] || fail "Version: $(field Version)"
deps=$(field Depends)
for lib in libc6 libelf1 libseccomp2 zlib1g; do
	grep -q "\b$lib (>= " <<<"$deps" || fail "the package does not depend on $lib: $deps"
done
grep -Eq 'libbpf|libyajl|:amd64' <<<"$deps" && fail "unexpected dependency: $deps"
for f in Section Maintainer Enhances Description; do
	[[ $(field "$f") == "$(dpkg-deb -f "$ref" "$f")" ]] || fail "$f differs: $(field "$f")"
done
grep -q '^ ;' <<<"$(field Description)" && fail "Description lines start with ';': $(field Description)"
mkdir -p "$work/ctl-arm64" "$work/ctl-native"
dpkg-deb -e "$deb" "$work/ctl-arm64"
dpkg-deb -e "$ref" "$work/ctl-native"
for f in preinst postrm; do
	cmp -s "$work/ctl-arm64/$f" "$work/ctl-native/$f" || fail "$f differs from the native package's"
done
echo "ok: Architecture arm64, Depends: $deps"

# The hook: an AArch64 executable with the arm64 BPF objects in it.
root=$work/root
dpkg-deb -x "$deb" "$root"
bin=$root/usr/libexec/oci/hooks.d/seccomp-recorder
json=$root/usr/share/containers/oci/hooks.d/seccomp-recorder.json
jq -e '.version == "1.0.0" and .hook.path == "/usr/libexec/oci/hooks.d/seccomp-recorder"' "$json" >/dev/null ||
	fail "invalid hooks.d entry: $(cat "$json")"
header=$(readelf -h "$bin") || fail "the hook is not an ELF file"
grep -Eq 'Machine: +AArch64' <<<"$header" || fail "the hook is not AArch64: $(grep Machine <<<"$header")"
grep -Eq 'Class: +ELF64' <<<"$header" || fail "the hook is not 64-bit"
grep -q 'interpreter: /lib/ld-linux-aarch64.so.1' <<<"$(readelf -l "$bin")" ||
	fail "the hook does not use the aarch64 dynamic loader"
for obj in recorder caps_kprobe; do
	python3 - "$bin" "$cross/$obj.bpf.o" <<-'EOF' || fail "$obj.bpf.o is not embedded in the hook"
		import sys
		data = open(sys.argv[1], "rb").read()
		obj = open(sys.argv[2], "rb").read()
		# An ELF object for EM_BPF (247), as clang wrote it for this build.
		assert obj[:4] == b"\x7fELF" and int.from_bytes(obj[18:20], "little") == 247
		sys.exit(0 if data.find(obj) >= 0 else 1)
	EOF
done
# Built with -D__TARGET_ARCH_arm64: pt_regs as arm64's, with the pstate read
# that tells AArch32 syscalls apart (bpf/recorder.bpf.c).
btf=$(bpftool btf dump file "$cross/recorder.bpf.o" 2>&1) || fail "bpftool cannot read recorder.bpf.o: $btf"
grep -q "'pstate' type_id=" <<<"$btf" || fail "recorder.bpf.o was not built for arm64 (no pt_regs.pstate)"
grep -q "'di' type_id=" <<<"$btf" && fail "recorder.bpf.o has x86's pt_regs"
echo "ok: $(basename "$bin") is an AArch64 ELF with the arm64 recorder and caps_kprobe BPF objects"

qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
if [[ -n $qemu ]]; then
	sysroot=$cross/sysroot
	version=$("$qemu" "$sysroot/lib/ld-linux-aarch64.so.1" \
		--library-path "$sysroot/lib/aarch64-linux-gnu:$sysroot/usr/lib/aarch64-linux-gnu" \
		"$bin" --version) || fail "the packaged hook does not run under $qemu"
	[[ $version == "seccomp-recorder $(field Version)" ]] || fail "--version says: $version"
	echo "ok: under $(basename "$qemu"): $version"
else
	echo "note: no qemu-aarch64 (qemu-user-static): the packaged binary was not run"
fi

# The unit tests, cross-built, under qemu-aarch64 (CMAKE_CROSSCOMPILING_EMULATOR):
# libseccomp's and our tables as an aarch64 build sees them.
if [[ -n $qemu ]]; then
	cmake --build "$cross" -j"$(nproc)" >"$work/build-all.log" 2>&1 ||
		fail "cross build of the tests failed: $(tail -20 "$work/build-all.log")"
	ctest --test-dir "$cross" -L unit -j"$(nproc)" >"$work/ctest.log" 2>&1 ||
		fail "unit tests under qemu-aarch64: $(grep -E 'tests passed|Failed|\*\*\*' "$work/ctest.log")"
	echo "ok: under $(basename "$qemu"): $(grep 'tests passed' "$work/ctest.log")"
fi
