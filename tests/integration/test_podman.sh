# podman 4.3 end to end with the busybox image, under runc and crun, with
# the project's hooks.d entry (--hooks-dir) and the annotation: recorded
# while podman's default seccomp profile is active and with
# seccomp=unconfined, complete on disk when `podman run --rm` returns, and
# the same command under the profile prints the same and exits 0.
require_privileges
require_crun
require_podman
podman_image sr-busybox "$(rootfs)"
workload=(sh -c 'ls /; cat /etc/passwd; mkdir /tmp/w && rmdir /tmp/w; echo done; sync')

for rt in runc crun; do
	for mode in default unconfined; do
		out=$SR_WORK/$rt-$mode.json
		opts=()
		[[ $mode == unconfined ]] && opts=(--security-opt seccomp=unconfined)
		podman_run "$rt" "${opts[@]}" --annotation "io.containers.trace-syscall=of:$out" \
			localhost/sr-busybox "${workload[@]}" >"$out.out" 2>"$out.err" ||
			fail "$rt/$mode: recording run failed: $(cat "$out.err")"
		# No waiting: podman has returned, so the profile must be complete.
		[[ -s $out ]] || fail "$rt/$mode: no profile when podman run --rm returned"
		jq -e .syscalls "$out" >/dev/null || fail "$rt/$mode: the profile is not valid JSON"
		has_syscall "$out" sync || fail "$rt/$mode: the workload's last syscall (sync) is missing"
		grep -q '^done$' "$out.out" || fail "$rt/$mode: the workload did not run: $(cat "$out.out")"

		rc=0
		podman_run "$rt" --security-opt "seccomp=$out" localhost/sr-busybox "${workload[@]}" \
			>"$out.enforced" 2>"$out.enforced.err" || rc=$?
		[[ $rc == 0 ]] || fail "$rt/$mode: exit $rc under its profile: $(cat "$out.enforced.err")"
		diff -u "$out.out" "$out.enforced" || fail "$rt/$mode: output differs under the profile"
		log "ok: $rt, recorded with $mode seccomp: $(jq '.syscalls[0].names | length' "$out") syscalls, same output enforced"
	done
done

# The profile recorded under runc runs under crun too, and the other way.
podman_run crun --security-opt "seccomp=$SR_WORK/runc-default.json" localhost/sr-busybox \
	"${workload[@]}" >/dev/null 2>"$SR_WORK/cross.err" || fail "runc's profile fails under crun: $(cat "$SR_WORK/cross.err")"
podman_run runc --security-opt "seccomp=$SR_WORK/crun-default.json" localhost/sr-busybox \
	"${workload[@]}" >/dev/null 2>"$SR_WORK/cross.err" || fail "crun's profile fails under runc: $(cat "$SR_WORK/cross.err")"

# A syscall the workload never made stays blocked: chown works in a
# default podman container (CAP_CHOWN), but not under the profile.
podman_run runc localhost/sr-busybox chown 1:1 /tmp >/dev/null 2>&1 ||
	fail "chown fails even without the recorded profile"
podman_run runc --security-opt "seccomp=$SR_WORK/runc-default.json" localhost/sr-busybox \
	chown 1:1 /tmp >/dev/null 2>&1 && fail "chown ran although fchownat was never recorded"
log "ok: profiles cross runtimes, unrecorded syscalls stay blocked"
assert_no_leftovers
