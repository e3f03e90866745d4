# A process that enters the running container with `runc exec` is recorded,
# from its own exec on (not the runtime's setup before it).
require_privileges
p=$SR_WORK/exec.json
dir=$SR_WORK/bundle
id=$(new_id)
bundle "$dir" "of:$p" "" -- sleep 3
runc run --bundle "$dir" "$id" >"$dir/out" 2>"$dir/err" </dev/null &
runner=$!
for i in $(seq 1 100); do
	[[ $(runc state "$id" 2>/dev/null | jq -r .status) == running ]] && break
	sleep 0.05
done
runc exec "$id" sync || fail "runc exec failed"
wait $runner || fail "container failed: $(cat "$dir/err")"
has_syscall "$p" sync || fail "sync, made only by the exec'd process, is missing: $(jq -c '[.syscalls[].names[]]' "$p")"
has_syscall "$p" setns && fail "runc's own setns before the exec was recorded"
log "ok: runc exec recorded"
assert_no_leftovers
