# SPDX-License-Identifier: Apache-2.0
# containerd 1.6 alone (Debian 12's), with `seccomp-recorder-runc` as the
# runc binary (`ctr run --runc-binary`, what containerd's BinaryName does):
# a private containerd (own root, state and socket, no CRI plugin) started
# and stopped here. Annotations come from `ctr --annotation`, as containerd's
# CRI plugin passes the pod annotations it is told to (pod_annotations).
require_privileges
command -v containerd >/dev/null && command -v ctr >/dev/null || skip "needs containerd (ctr)"

SR_CTRD=$SR_WORK/containerd
mkdir -p "$SR_CTRD"
ln -sf "$SR_BIN" "$SR_WORK/seccomp-recorder-runc"
# The link takes no options: the hook's default directory.
SR_OUT=/var/lib/seccomp-recorder/sr-test-containerd-$$
mkdir -p "$SR_OUT"
cat >"$SR_CTRD/config.toml" <<EOT
version = 2
root = "$SR_CTRD/root"
state = "/run/sr-containerd-$$"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$SR_CTRD/c.sock"
EOT
containerd --config "$SR_CTRD/config.toml" >"$SR_CTRD/containerd.log" 2>&1 &
SR_CTRD_PID=$!
stop_containerd() {
	kill "$SR_CTRD_PID" 2>/dev/null || true
	wait "$SR_CTRD_PID" 2>/dev/null || true
	rm -rf "/run/sr-containerd-$$" "$SR_OUT"
}
trap 'stop_containerd; cleanup_containers' EXIT
c() { timeout 120 ctr -a "$SR_CTRD/c.sock" -n sr-test "$@"; }
wait_for 30 c version >/dev/null 2>&1 || fail "containerd did not start: $(tail -5 "$SR_CTRD/containerd.log")"

# ctr_run ID [CTR-OPTIONS...] -- ARGS...: through the wrapper.
ctr_run() {
	local id=$1
	shift
	local opts=()
	while [[ $1 != -- ]]; do opts+=("$1"); shift; done
	shift
	c run --rm --runc-binary "$SR_WORK/seccomp-recorder-runc" --runc-root "$SR_CTRD/runc" \
		"${opts[@]}" --env PATH=/bin --rootfs "$(rootfs)" "$id" "$@"
}

record_and_enforce() {
	local p=$SR_OUT/ctr.json id=sr-ctr-$$-$RANDOM
	ctr_run "$id" --annotation "io.containers.trace-syscall=of:$p" -- \
		sh -c 'ls /; echo done' >"$SR_WORK/ctr.out" 2>&1 || fail "traced ctr run failed: $(cat "$SR_WORK/ctr.out")"
	[[ -s $p ]] || fail "no profile when ctr run --rm returned"
	has_syscall "$p" getdents64 || fail "getdents64 (ls) missing"
	# Enforced by containerd itself, plain runc, no wrapper.
	c run --rm --seccomp --seccomp-profile "$p" --env PATH=/bin --rootfs "$(rootfs)" "$id-e" \
		sh -c 'ls /; echo done' >"$SR_WORK/ctr.enforced" 2>&1 ||
		fail "the workload fails under its profile: $(cat "$SR_WORK/ctr.enforced")"
	cmp -s "$SR_WORK/ctr.out" "$SR_WORK/ctr.enforced" || fail "output differs under the profile"
	if c run --rm --seccomp --seccomp-profile "$p" --env PATH=/bin --rootfs "$(rootfs)" "$id-b" \
		mkdir /tmp/x >"$SR_WORK/ctr.blocked" 2>&1; then
		fail "mkdir, never recorded, ran under the profile"
	fi
	assert_no_leftovers
}
scenario "ctr --runc-binary seccomp-recorder-runc --annotation: recorded; containerd enforces the profile; mkdir blocked" \
	record_and_enforce

# What containerd's CRI plugin puts on a pod's containers.
pod_containers() {
	local pod=$SR_OUT/pod.json app=$SR_OUT/app.json side=$SR_OUT/side.json
	local common=(--annotation "io.containers.trace-syscall=of:$pod"
		--annotation "io.containers.trace-syscall/app=of:$app")
	ctr_run "sr-sandbox-$$" "${common[@]}" --annotation io.kubernetes.cri.container-type=sandbox \
		--annotation io.kubernetes.cri.container-name=POD -- true ||
		fail "the sandbox did not run"
	[[ ! -e $pod ]] || fail "the sandbox container was traced"
	ctr_run "sr-app-$$" "${common[@]}" --annotation io.kubernetes.cri.container-type=container \
		--annotation io.kubernetes.cri.container-name=app -- ls / >/dev/null ||
		fail "the app container did not run"
	[[ -s $app && ! -e $pod ]] || fail "app's own key did not apply (app: $(ls "$app" 2>&1))"
	has_syscall "$app" getdents64 || fail "ls missing from app's profile"
	ctr_run "sr-side-$$" "${common[@]}" --annotation io.kubernetes.cri.container-type=container \
		--annotation io.kubernetes.cri.container-name=side -- cat /etc/passwd >/dev/null ||
		fail "the side container did not run"
	[[ -s $pod ]] || fail "the pod-wide key did not apply to a container without its own"
	[[ ! -e $side ]] || fail "a key for no container was used"
	if has_syscall "$pod" getdents64; then fail "app's syscalls leaked into the pod profile"; fi
	assert_no_leftovers
}
scenario "a pod as containerd's CRI plugin annotates it: sandbox untraced, per-container key over the pod-wide one" \
	pod_containers

untraced() {
	local out
	out=$(ctr_run "sr-plain-$$" -- echo plain 2>&1) || fail "an untraced container failed: $out"
	[[ $out == plain ]] || fail "output changed: $out"
	assert_no_leftovers
}
scenario "an untraced container runs as without the wrapper" untraced
