# podman with a real Debian 12 image (debootstrap, cached in the build tree)
# and a python3 workload doing file I/O, threads, a subprocess, a Unix
# socket pair, json and sqlite3: recorded under runc and crun, then run
# under its profile with identical output.
require_privileges
require_crun
require_podman
podman_image sr-debian "$(debian_rootfs)"
script=$SR_SOURCE/tests/integration/data/workload.py
run_workload() { # RUNTIME [OPTIONS...]
	local rt=$1
	shift
	podman_run "$rt" "$@" -v "$script:/workload.py:ro" localhost/sr-debian python3 /workload.py
}

for rt in runc crun; do
	out=$SR_WORK/$rt.json
	run_workload "$rt" --annotation "io.containers.trace-syscall=of:$out" >"$out.out" 2>"$out.err" ||
		fail "$rt: recording run failed: $(cat "$out.err")"
	[[ -s $out ]] || fail "$rt: no profile when podman run --rm returned"
	grep -q '"sqlite": 161700' "$out.out" || fail "$rt: unexpected workload output: $(cat "$out.out")"
	for s in socketpair clone3 fsync rename unlink wait4; do
		has_syscall "$out" "$s" || fail "$rt: $s missing from the python workload's profile"
	done
	rc=0
	run_workload "$rt" --security-opt "seccomp=$out" >"$out.enforced" 2>"$out.enforced.err" || rc=$?
	[[ $rc == 0 ]] || fail "$rt: exit $rc under its profile: $(cat "$out.enforced.err")"
	diff -u "$out.out" "$out.enforced" || fail "$rt: output differs under the profile"
	log "ok: $rt: python3 workload, $(jq '.syscalls[0].names | length' "$out") syscalls, same output enforced"
done
assert_no_leftovers
