# SPDX-License-Identifier: Apache-2.0
# Docker Engine (20.10, Debian 12's docker.io) with `seccomp-recorder runtime`
# as a runtime named in daemon.json: a private dockerd (own data root, exec
# root and socket; never the flags that touch the host's network, see
# TESTBED.md) started and stopped here. Docker 20.10 has no --annotation:
# the label in its config.v2.json is what asks for tracing.
require_privileges
require_crun
[[ -x /usr/sbin/dockerd && -x /usr/bin/docker ]] || skip "needs docker.io (/usr/sbin/dockerd, /usr/bin/docker)"

SR_DOCKER=$SR_WORK/docker
# Short: containerd's shim sockets and the exec root live under it.
SR_DOCKER_EXEC=/run/sr-docker-$$
mkdir -p "$SR_DOCKER"
ln -sf "$SR_BIN" "$SR_WORK/seccomp-recorder-runc"
cat >"$SR_WORK/crun-private" <<'EOS'
#!/bin/sh
exec unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun "$@"' crun "$@"
EOS
chmod +x "$SR_WORK/crun-private"
# The hook's files stay beneath the tests' allowed directory.
jq -n --arg bin "$SR_BIN" --arg link "$SR_WORK/seccomp-recorder-runc" \
	--arg crun "$SR_WORK/crun-private" --arg allow "$SR_ALLOW_DIR" '{runtimes: {
	"sr-runc": {path: $bin, runtimeArgs: ["runtime", "--runtime", "/usr/bin/runc",
		"--allow-dir", $allow, "--"]},
	"sr-crun": {path: $bin, runtimeArgs: ["runtime", "--runtime", $crun,
		"--allow-dir", $allow, "--"]},
	"sr-default": {path: $bin, runtimeArgs: ["runtime", "--"]},
	"sr-link": {path: $link}}}' >"$SR_DOCKER/daemon.json"

stop_dockerd() {
	local pid
	pid=$(cat "$SR_DOCKER/docker.pid" 2>/dev/null) || return 0
	kill "$pid" 2>/dev/null || true
	# It unmounts its overlays and stops its containerd on the way out.
	for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -rf "$SR_DOCKER_EXEC"
}
trap 'stop_dockerd; cleanup_containers' EXIT
/usr/sbin/dockerd --data-root "$SR_DOCKER/data" --exec-root "$SR_DOCKER_EXEC" \
	--pidfile "$SR_DOCKER/docker.pid" -H "unix://$SR_DOCKER/docker.sock" \
	--config-file "$SR_DOCKER/daemon.json" --iptables=false --ip6tables=false \
	--ip-forward=false --ip-masq=false --bridge=none --storage-driver=overlay2 \
	--exec-opt native.cgroupdriver=cgroupfs >"$SR_DOCKER/dockerd.log" 2>&1 &
dk() { timeout 120 /usr/bin/docker -H "unix://$SR_DOCKER/docker.sock" "$@"; }
wait_for 30 dk version >/dev/null 2>&1 || fail "dockerd did not start: $(tail -5 "$SR_DOCKER/dockerd.log")"
tar -C "$(rootfs)" -c . | dk import - sr-busybox:1 >/dev/null
LABEL=io.containers.trace-syscall

# docker_record RUNTIME PROFILE ARGS...: a traced `docker run --rm`; the
# profile must be complete when it returns (--rm waits for the removal,
# which runs the poststop hook).
docker_record() {
	local runtime=$1 profile=$2
	shift 2
	dk run --rm --network none --runtime "$runtime" --label "$LABEL=of:$profile" \
		sr-busybox:1 "$@" >"$profile.out" 2>"$profile.err" ||
		fail "traced docker run under $runtime failed: $(cat "$profile.err")"
	[[ -s $profile ]] || fail "no profile at $profile when docker run --rm returned"
}

# Runtimes without --allow-dir use the hook's default directory.
SR_DEFAULT_SUBDIR=/var/lib/seccomp-recorder/sr-test-docker-$$
trap 'stop_dockerd; rm -rf "$SR_DEFAULT_SUBDIR"; cleanup_containers' EXIT

record_and_enforce() {
	local runtime=$1 dir=$2 p
	mkdir -p "$dir"
	p=$dir/docker-$runtime.json
	docker_record "$runtime" "$p" sh -c 'ls /; cat /etc/hostname >/dev/null; echo done'
	has_syscall "$p" execve || fail "execve missing from $p"
	has_syscall "$p" getdents64 || fail "getdents64 (ls) missing from $p"
	if has_syscall "$p" mkdir || has_syscall "$p" mkdirat; then
		fail "mkdir recorded though the workload made none"
	fi
	# The profile alone, through Docker's own seccomp support, no wrapper.
	dk run --rm --network none --security-opt "seccomp=$p" sr-busybox:1 \
		sh -c 'ls /; cat /etc/hostname >/dev/null; echo done' >"$p.enforced" 2>&1 ||
		fail "the recorded workload fails under its profile: $(cat "$p.enforced")"
	cmp -s "$p.out" "$p.enforced" || fail "output differs under the profile: $(diff "$p.out" "$p.enforced")"
	if dk run --rm --network none --security-opt "seccomp=$p" sr-busybox:1 mkdir /tmp/x \
		>"$p.blocked" 2>&1; then
		fail "mkdir, never recorded, ran under the profile"
	fi
	log "blocked: $(cat "$p.blocked")"
	assert_no_leftovers
}
scenario "runc: a labelled container is recorded; the profile runs it under --security-opt seccomp and blocks the rest" \
	record_and_enforce sr-runc "$SR_ALLOW_DIR/docker"
scenario "crun as the wrapped runtime: recorded, enforced, blocked" \
	record_and_enforce sr-crun "$SR_ALLOW_DIR/docker"
scenario "the seccomp-recorder-runc link (runc found in /usr/bin), default directory" \
	record_and_enforce sr-link "$SR_DEFAULT_SUBDIR"
scenario "runtime without --runtime (runc) and without --allow-dir" \
	record_and_enforce sr-default "$SR_DEFAULT_SUBDIR"

# The bundle's config.json as the runtime got it, while the container runs.
running_config() {
	local id
	id=$(dk inspect -f '{{.Id}}' "$1")
	cat "$SR_DOCKER_EXEC"/containerd/daemon/io.containerd.runtime.v2.task/moby/"$id"/config.json
}

untraced_untouched() {
	local name=sr-untraced-$$ out
	out=$(dk run --rm --network none --runtime sr-runc sr-busybox:1 echo plain 2>&1) ||
		fail "an untraced container failed: $out"
	[[ $out == plain ]] || fail "an untraced container's output changed: $out"
	dk run -d --name "$name" --network none --runtime sr-runc sr-busybox:1 sleep 30 >/dev/null
	running_config "$name" >"$SR_WORK/untraced.json"
	jq -e --arg bin "$SR_BIN" '[.hooks // {} | .[] | .[] | select(.path == $bin)] | length == 0' \
		"$SR_WORK/untraced.json" >/dev/null || fail "our hook was added to an untraced container"
	jq -e '.annotations == null' "$SR_WORK/untraced.json" >/dev/null ||
		fail "annotations were added to an untraced container"
	if pgrep -f 'seccomp-recorder hook' >/dev/null; then fail "a tracer runs for an untraced container"; fi
	dk rm -f "$name" >/dev/null
	assert_no_leftovers
}
scenario "a container without the label runs untouched: no hook in its config, no tracer" untraced_untouched

traced_config() {
	local name=sr-traced-$$ p=$SR_ALLOW_DIR/docker/running.json
	dk run -d --name "$name" --network none --runtime sr-runc --label "$LABEL=of:$p" \
		sr-busybox:1 sleep 30 >/dev/null
	running_config "$name" >"$SR_WORK/traced.json"
	jq -e --arg bin "$SR_BIN" '[.hooks.prestart[] | select(.path == $bin)] | length == 1' \
		"$SR_WORK/traced.json" >/dev/null || fail "not exactly one prestart hook of ours: $(jq -c .hooks "$SR_WORK/traced.json")"
	jq -e --arg bin "$SR_BIN" '[.hooks.poststop[] | select(.path == $bin)] | length == 1' \
		"$SR_WORK/traced.json" >/dev/null || fail "not exactly one poststop hook of ours"
	jq -e --arg p "of:$p" '.annotations["io.containers.trace-syscall"] == $p' \
		"$SR_WORK/traced.json" >/dev/null || fail "the label did not become the annotation"
	"$SR_BIN" status | grep -q . || fail "no tracer is listed for the traced container"
	dk stop -t 1 "$name" >/dev/null
	wait_for 10 test -s "$p" || fail "no profile after docker stop"
	has_syscall "$p" nanosleep || has_syscall "$p" clock_nanosleep || fail "sleep's syscall missing"
	dk rm -f "$name" >/dev/null
	assert_no_leftovers
}
scenario "a traced container: our prestart and poststop hooks once each; the label as the annotation; docker stop writes the profile" \
	traced_config

refused_outside() {
	local out
	rm -f /etc/sr-docker-test.json
	if out=$(dk run --rm --network none --runtime sr-runc \
		--label "$LABEL=of:/etc/sr-docker-test.json" sr-busybox:1 echo started 2>&1); then
		fail "a container asking to write /etc started: $out"
	fi
	[[ $out != *started* ]] || fail "the workload ran"
	[[ $out == *"seccomp-recorder runtime"*"outside"* ]] ||
		fail "docker run did not show the wrapper's refusal: $out"
	[[ ! -e /etc/sr-docker-test.json ]] || fail "/etc/sr-docker-test.json was created"
	log "refusal as docker shows it: $out"
	assert_no_leftovers
}
scenario "a label naming a file outside the allowed directories: refused at create, shown by docker, nothing written" \
	refused_outside
