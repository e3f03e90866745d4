# One minute of exec and thread storm in a traced container with flush:1:
# the tracer's RSS, sampled every second, stays flat (no growth after the
# first seconds), and the profile is complete at the end. Longer soaks are
# for tests/bench, not CI.
require_privileges
secs=${SR_SOAK_SECONDS:-60}
install -m 0755 "${SR_STORM:?}" "$(rootfs)/bin/storm"
p=$SR_WORK/soak.json
dir=$SR_WORK/soak
id=$(new_id)
bundle "$dir" "of:$p;flush:1" "" -- /bin/storm "$secs"
start_running "$dir" "$id"
tracer=$(tracer_pid)
[[ -n $tracer ]] || fail "no tracer"
samples=()
while kill -0 "$SR_RUNNER" 2>/dev/null; do
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$tracer/status" 2>/dev/null || true)
	[[ -n $rss ]] && samples+=("$rss")
	sleep 1
done
wait $SR_RUNNER || fail "the storm container failed: $(cat "$dir/err")"
log "storm: $(cat "$dir/out")"
log "tracer RSS (KiB), one sample a second: ${samples[*]}"
((${#samples[@]} >= secs / 2)) || fail "only ${#samples[@]} RSS samples"
# Flat: after a 5-second warm-up, no sample exceeds the warm-up's by more
# than one page table's worth of noise.
base=${samples[5]}
for s in "${samples[@]:5}"; do
	((s <= base + 256)) || fail "tracer RSS grew from $base KiB to $s KiB"
done
complete_ok=1
for s in clone execve exit_group wait4; do has_syscall "$p" "$s" || complete_ok=0; done
((complete_ok)) || fail "the profile lacks the storm's syscalls: $(jq -c '.syscalls[0].names' "$p")"
log "ok: tracer RSS flat at ${base} KiB over ${#samples[@]} s"
assert_no_leftovers
