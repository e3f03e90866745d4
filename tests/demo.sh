#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The main job, end to end: install what is missing, build, record a busybox
# container (`ls /`) under runc with the hook, run the same container again
# under the recorded profile, and print the profile.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
bash "$src/tests/deps.sh"
bash "$src/tests/build.sh" "$src/build"
bin=$src/build/seccomp-recorder
work=$src/build/demo
rm -rf "$work"
mkdir -p "$work/rootfs/bin" "$work/rootfs"/{proc,dev,sys,tmp,etc}
cp /bin/busybox "$work/rootfs/bin/"
for a in $("$work/rootfs/bin/busybox" --list); do
	[[ $a == busybox ]] || ln -sf busybox "$work/rootfs/bin/$a"
done

# bundle DIR SECCOMP-JQ: a runc bundle running `ls /`
bundle() {
	mkdir -p "$1"
	(cd "$1" && runc spec)
	jq --arg rootfs "$work/rootfs" --arg bin "$bin" --arg out "$work/ls.json" "
		.root.path = \$rootfs | .process.terminal = false | .process.args = [\"ls\", \"/\"] $2" \
		"$1/config.json" >"$1/config.new" && mv "$1/config.new" "$1/config.json"
}

bundle "$work/record" '| .annotations["io.containers.trace-syscall"] = "of:\($out)"
	| .hooks = {prestart: [{path: $bin, args: ["seccomp-recorder", "hook"]}],
	            poststop: [{path: $bin, args: ["seccomp-recorder", "hook"]}]}'
echo "== recording: runc run (ls /) with io.containers.trace-syscall=of:$work/ls.json"
runc run --bundle "$work/record" "demo-record-$$"

bundle "$work/enforce" ""
jq --slurpfile profile "$work/ls.json" '.linux.seccomp = $profile[0]' "$work/enforce/config.json" \
	>"$work/enforce/config.new" && mv "$work/enforce/config.new" "$work/enforce/config.json"
echo "== enforcing: runc run (ls /) with the recorded profile as linux.seccomp"
runc run --bundle "$work/enforce" "demo-enforce-$$"
echo "== exit status under the profile: $?"

echo "== a syscall the workload never made stays blocked: mkdir /tmp/x under the same profile"
jq '.process.args = ["mkdir", "/tmp/x"]' "$work/enforce/config.json" >"$work/enforce/config.new" &&
	mv "$work/enforce/config.new" "$work/enforce/config.json"
runc run --bundle "$work/enforce" "demo-blocked-$$" || echo "== exit status: $? (as expected)"

echo "== the profile ($(jq '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW") | .names[]] | length' "$work/ls.json") syscalls allowed): $work/ls.json"
cat "$work/ls.json"
