#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# run.sh CASE BINARY WORKDIR: runs tests/integration/test_CASE.sh.
set -euo pipefail
case_name=$1
export SR_BIN=$2
export SR_WORK=$3/$case_name
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$SR_WORK"
mkdir -p "$SR_WORK"
# The rootfs is shared between cases.
mkdir -p "$3"
export SR_ROOTFS_CACHE=$3
export SR_SOURCE=$(cd "$here/../.." && pwd)
source "$here/lib.sh"
source "$here/test_$case_name.sh"
