# Container lifecycle under podman, in learn mode (flush:1): `podman stop`,
# `podman kill`, the container's init OOM-killed, and a container run again
# with if: = of: each end with a complete, valid profile. Each is a
# scenario of its own, which removes its container when it ends.
require_privileges
require_podman
podman_image sr-busybox "$(rootfs)"
hooks=$(podman_hooks_dir)
runtime=$(podman_runtime runc)
detached() { # NAME PROFILE ARGS...: a background container in learn mode
	local name=$1 p=$2
	shift 2
	pod --hooks-dir "$hooks" --runtime "$runtime" run -d --name "$name" --network none \
		"${SR_PODMAN_ULIMITS[@]}" --annotation "io.containers.trace-syscall=of:$p;if:$p;flush:1" \
		localhost/sr-busybox "$@" >/dev/null || fail "cannot start $name"
}
complete() { # PROFILE SYSCALL WHAT
	jq -e .syscalls "$1" >/dev/null 2>&1 || fail "$3: no valid profile"
	has_syscall "$1" "$2" || fail "$3: $2 missing"
}
trap 'pod rm -f -t 0 sr-stop sr-kill sr-oom >/dev/null 2>&1; cleanup_containers' EXIT

# podman stop: SIGTERM to init, which exits.
podman_stop() {
	trap 'pod rm -f -t 0 sr-stop >/dev/null 2>&1' EXIT
	p=$SR_WORK/stop.json
	detached sr-stop "$p" sh -c 'trap "exit 0" TERM; sync; while :; do sleep 0.1; done'
	wait_for 10 has_syscall "$p" sync || fail "stop: no checkpoint while running"
	pod stop -t 10 sr-stop >/dev/null || fail "podman stop failed"
	pod rm sr-stop >/dev/null
	wait_for 10 has_syscall "$p" rt_sigreturn || fail "stop: the final profile lacks the signal handler's return"
	complete "$p" sync "podman stop"
	log "ok: podman stop ends with a complete profile"
}
scenario "podman stop ends with a complete profile" podman_stop

# podman kill: SIGKILL to init.
podman_kill() {
	trap 'pod rm -f -t 0 sr-kill >/dev/null 2>&1' EXIT
	p=$SR_WORK/kill.json
	detached sr-kill "$p" sh -c 'sync; while :; do sleep 0.1; done'
	wait_for 10 has_syscall "$p" sync || fail "kill: no checkpoint while running"
	pod kill sr-kill >/dev/null || fail "podman kill failed"
	pod wait sr-kill >/dev/null 2>&1 || true
	pod rm sr-kill >/dev/null
	no_tracer() { ! pgrep -f 'seccomp-recorder hook' >/dev/null; }
	wait_for 10 no_tracer || fail "kill: the tracer did not end"
	complete "$p" sync "podman kill"
	log "ok: podman kill ends with a complete profile"
}
scenario "podman kill ends with a complete profile" podman_kill

# The init OOM-killed: dd replaces the shell as init and asks for more
# memory than the container may have.
oom_kill() {
	trap 'pod rm -f -t 0 sr-oom >/dev/null 2>&1' EXIT
	p=$SR_WORK/oom.json
	rc=0
	pod --hooks-dir "$hooks" --runtime "$runtime" run --rm --name sr-oom --network none \
		"${SR_PODMAN_ULIMITS[@]}" --memory 32m --memory-swap 32m \
		--annotation "io.containers.trace-syscall=of:$p;flush:1" localhost/sr-busybox \
		sh -c 'sync; exec dd if=/dev/zero of=/dev/null bs=256M count=1' >/dev/null 2>&1 || rc=$?
	((rc == 137)) || fail "oom: the container exited $rc, not 137 (OOM kill)"
	complete "$p" sync "OOM-killed init"
	log "ok: an OOM-killed init ends with a complete profile"
}
scenario "an OOM-killed init ends with a complete profile" oom_kill

# Run again with if: = of: (restart): the union of both runs.
restart_accumulates() {
	p=$SR_WORK/restart.json
	for cmd in 'sync' 'mkdir /tmp/r && rmdir /tmp/r'; do
		pod --hooks-dir "$hooks" --runtime "$runtime" run --rm --network none "${SR_PODMAN_ULIMITS[@]}" \
			--annotation "io.containers.trace-syscall=of:$p;if:$p;flush:1" localhost/sr-busybox \
			sh -c "$cmd" >/dev/null || fail "restart: run of '$cmd' failed"
	done
	complete "$p" sync "restart, first run"
	complete "$p" rmdir "restart, second run"
	log "ok: a restarted container accumulates"
}
scenario "a restarted container (if: = of:) accumulates" restart_accumulates

scenario "nothing of ours stays loaded" assert_no_leftovers
