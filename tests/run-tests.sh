#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Installs what is missing, builds, and runs every test:
#  1. a clang build with ASan/UBSan: unit and integration tests, and each
#     libFuzzer target (annotation, OCI state, profile) for 30 s;
#  2. the regular GCC build: unit tests, the same under valgrind, the
#     integration tests against real runc and crun (root and BPF needed; they
#     skip without, unless SECCOMP_RECORDER_REQUIRE_BPF=1), and the kernel
#     matrix (tests/kernels/: Debian's kernels under QEMU), in this build only.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bash "$src/tests/deps.sh"

echo "== ASan/UBSan build with fuzz targets (clang)"
# Both builds share one debootstrapped Debian rootfs (the podman tests').
debian=(-DSR_DEBIAN_ROOTFS="$src/build/tests/debian-rootfs")
CC=clang bash "$src/tests/build.sh" "$src/build-asan" -DSECCOMP_RECORDER_FUZZ=ON "${debian[@]}"
(cd "$src/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	ctest --output-on-failure)

echo "== Release build (gcc), full suite"
CC=gcc bash "$src/tests/build.sh" "$src/build" "${debian[@]}"
cd "$src/build"
ctest --output-on-failure
