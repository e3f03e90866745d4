#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# run.sh CASE BINARY WORKDIR: runs tests/integration/test_CASE.sh (see
# README.md, "Tests"): a line of TAP per scenario, then the plan; exit
# status 0, 1 if a scenario failed, 77 if the file or all of it skipped.
set -euo pipefail
case_name=$1
# Absolute: the binary goes into bundles' hook paths, tests change directory.
export SR_BIN=$(realpath -sm "$2")
# The rootfs is shared between cases.
export SR_ROOTFS_CACHE=$(realpath -sm "$3")
export SR_WORK=$SR_ROOTFS_CACHE/$case_name
here=$(cd "$(dirname "$0")" && pwd)
# ctest passes the helpers and settings (tests/CMakeLists.txt); run by hand,
# they come from the build directory the binary is in.
sr_build=$(dirname "$SR_BIN")
if [[ -f $sr_build/CMakeCache.txt ]]; then
	sr_cached() { sed -n "s/^$1:[A-Z]*=//p" "$sr_build/CMakeCache.txt"; }
	for sr_helper in syscall_loop abi_probe syscall_loop_static storm sockets exchange; do
		sr_var=SR_${sr_helper^^}
		[[ -n ${!sr_var:-} ]] || export "$sr_var=$sr_build/tests/$sr_helper"
	done
	export SR_DEFAULT_PROFILES=${SR_DEFAULT_PROFILES:-$(sr_cached SR_DEFAULT_PROFILES)}
	export SR_DEBIAN_ROOTFS=${SR_DEBIAN_ROOTFS:-$(sr_cached SR_DEBIAN_ROOTFS)}
	export SR_BUILD_DIR=${SR_BUILD_DIR:-$sr_build}
	if [[ -z ${SR_SANITIZED:-} ]]; then
		case $(sr_cached SECCOMP_RECORDER_SANITIZE | tr a-z A-Z) in
		1 | ON | YES | TRUE | Y) export SR_SANITIZED=1 ;;
		*) export SR_SANITIZED=0 ;;
		esac
	fi
fi
rm -rf "$SR_WORK"
mkdir -p "$SR_WORK"
export SR_SOURCE=$(cd "$here/../.." && pwd)
source "$here/lib.sh"
source "$here/test_$case_name.sh"
scenarios_done
