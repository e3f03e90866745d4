#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The main job, end to end: install what is missing, build, record a busybox
# container (`ls /`) under runc with the hook, run the same container again
# under the recorded profile, and print the profile.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bash "$src/tests/deps.sh"
bash "$src/tests/build.sh" "$src/build"
work=$src/build/demo
rm -rf "$work"
mkdir -p "$work"
# The rootfs and bundle helpers the integration tests use; the hook runs with
# its shipped default, so the profile goes to /var/lib/seccomp-recorder.
export SR_BIN=$src/build/seccomp-recorder SR_WORK=$work SR_ALLOW_DIR=
source "$src/tests/integration/lib.sh"
profile=/var/lib/seccomp-recorder/demo-ls.json
rm -f "$profile"

bundle "$work/record" "of:$profile" "" -- ls /
echo "== recording: runc run (ls /) with io.containers.trace-syscall=of:$profile"
runc run --bundle "$work/record" "demo-record-$$"

bundle "$work/enforce" - "$profile" -- ls /
echo "== enforcing: runc run (ls /) with the recorded profile as linux.seccomp"
runc run --bundle "$work/enforce" "demo-enforce-$$"
echo "== exit status under the profile: $?"

echo "== a syscall the workload never made stays blocked: mkdir /tmp/x under the same profile"
bundle "$work/blocked" - "$profile" -- mkdir /tmp/x
runc run --bundle "$work/blocked" "demo-blocked-$$" || echo "== exit status: $? (as expected)"

echo "== the profile ($(jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | length' "$profile") syscalls allowed): $profile"
cat "$profile"
