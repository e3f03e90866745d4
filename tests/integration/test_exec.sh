# A process that enters the running container with `runc exec` is recorded,
# from its own exec on (not the runtime's setup before it).
require_privileges
p=$SR_WORK/exec.json
dir=$SR_WORK/bundle
id=$(new_id)
bundle "$dir" "of:$p" "" -- sleep 3
start_running "$dir" "$id"
runc exec "$id" sync || fail "runc exec failed"
wait $SR_RUNNER || fail "container failed: $(cat "$dir/err")"
has_syscall "$p" sync || fail "sync, made only by the exec'd process, is missing: $(jq -c '[.syscalls[].names[]]' "$p")"
has_syscall "$p" setns && fail "runc's own setns before the exec was recorded"
log "ok: runc exec recorded"
assert_no_leftovers
