#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tests/build.sh [BUILD_DIR [CMAKE_ARGS...]]: configures and builds.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
shift || true
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
