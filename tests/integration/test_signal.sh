# SIGTERM to the tracer: it writes what it saw so far, detaches and exits;
# the container is unaffected.
require_privileges
p=$SR_WORK/sig.json
dir=$SR_WORK/bundle
id=$(new_id)
bundle "$dir" "of:$p" "" -- sh -c 'sync; sleep 2; echo still-running'
# Once the container runs, prestart is over: the only hook process left is
# the tracer.
start_running "$dir" "$id"
tracer=$(pgrep -f 'seccomp-recorder hook' | head -1) || true
[[ -n $tracer ]] || fail "no tracer process found"
sleep 0.5
kill -TERM "$tracer"
for i in $(seq 1 100); do [[ -s $p ]] && break; sleep 0.02; done
[[ -s $p ]] || fail "no profile after SIGTERM to the tracer"
has_syscall "$p" sync || fail "the sync seen before the signal is missing"
wait $SR_RUNNER || fail "the container failed after its tracer was stopped: $(cat "$dir/err")"
grep -q still-running "$dir/out" || fail "the container did not run to its end"
log "ok: SIGTERM wrote the profile, container unaffected"
assert_no_leftovers
