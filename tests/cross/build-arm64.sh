#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tests/cross/build-arm64.sh BUILD_DIR [CMAKE_ARGS...]: cross-builds the hook
# for arm64 into BUILD_DIR/seccomp-recorder, against the arm64 sysroot that
# tests/cross/sysroot.sh makes in BUILD_DIR/sysroot (Debian's arm64 packages;
# the first run fetches them, later ones reuse them). Needs
# gcc-aarch64-linux-gnu (tests/deps.sh), clang and bpftool.
set -euo pipefail
if [[ $# -lt 1 || -z $1 ]]; then
	echo "usage: $0 BUILD_DIR [CMAKE_ARGS...]" >&2
	exit 2
fi
src=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$1"
build=$(cd "$1" && pwd)
shift

bash "$src/tests/cross/sysroot.sh" "$build"
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DCMAKE_TOOLCHAIN_FILE="$src/cmake/toolchain-aarch64.cmake" \
	-DSECCOMP_RECORDER_SYSROOT="$build/sysroot" "$@" >/dev/null
# The hook, and the static helper an arm64 guest runs in its containers
# (BUILD_DIR/tests/sockets, tests/kernels/).
cmake --build "$build" -j"$(nproc)" --target seccomp-recorder sockets >/dev/null
echo "$build/seccomp-recorder"
