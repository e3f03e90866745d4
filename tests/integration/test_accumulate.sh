# Many writers, one profile: hooks (runc and crun) and `record` runs whose
# input and output are the same file, all at once, 20 times over. Each
# writer makes one syscall no other one makes; every round must end with all
# of them in a valid profile. Then: a writer waits for whoever holds the
# directory's lock, and a lock holder killed with SIGKILL blocks no one.
# The rounds and the lock are scenarios of their own.
require_privileges
require_crun
loop=${SR_SYSCALL_LOOP_STATIC:?}
cp "$loop" "$(rootfs)/bin/syscall_loop"
rounds=${SR_ACCUMULATE_ROUNDS:-20}

# Candidate probes (x86_64 numbers), harmless with zero arguments.
declare -A nr=([getpriority]=140 [getsid]=124 [times]=100 [alarm]=37
	[sched_getscheduler]=145 [getrusage]=98 [sysinfo]=99 [getitimer]=36
	[sched_getparam]=143 [capget]=125 [fsync]=74 [fdatasync]=75 [flock]=73
	[fchdir]=81 [msync]=26 [syncfs]=306 [getcpu]=309 [umask]=95)

concurrent_writers() {
	# What a writer makes whatever its probe, on the host and in a container.
	base=$SR_WORK/base.json
	"$SR_BIN" record -o "$base" -- "$loop" 39 0 >/dev/null 2>&1 || fail "baseline record failed"
	record runc "$SR_WORK/base-ct.json" "" -- /bin/syscall_loop 39 0
	probes=()
	for s in $(printf '%s\n' "${!nr[@]}" | sort); do
		has_syscall "$base" "$s" || has_syscall "$SR_WORK/base-ct.json" "$s" || probes+=("$s")
	done
	((${#probes[@]} >= 8)) || fail "only ${#probes[@]} usable probes: ${probes[*]}"
	probes=("${probes[@]:0:8}")
	log "probes: ${probes[*]}"

	for round in $(seq 1 "$rounds"); do
		out=$SR_WORK/acc-$round.json # missing at first: the first writer creates it
		pids=()
		for i in 0 1 2 3 4 5; do
			s=${probes[$i]}
			"$SR_BIN" record -i "$out" -o "$out" -- "$loop" "${nr[$s]}" 0 \
				>/dev/null 2>"$SR_WORK/rec-$i.err" &
			pids+=($!)
		done
		for i in 6 7; do
			s=${probes[$i]}
			d=$SR_WORK/ct-$i
			bundle "$d" "of:$out;if:$out" "" -- /bin/syscall_loop "${nr[$s]}" 0
			runtime=runc
			((i == 7)) && runtime=crun
			run_container "$runtime" "$d" &
			pids+=($!)
		done
		for i in "${!pids[@]}"; do
			wait "${pids[$i]}" || fail "round $round: writer $i (${probes[$i]}) failed: $(cat "$SR_WORK/rec-$i.err" "$SR_WORK/ct-$i/err" 2>/dev/null)"
		done
		jq -e .syscalls "$out" >/dev/null || fail "round $round: $out is not valid JSON"
		for s in "${probes[@]}"; do
			has_syscall "$out" "$s" || fail "round $round: lost the update of the writer of $s"
		done
		[[ -z $(find "$SR_WORK" -maxdepth 1 -name '.acc-*.tmp') ]] || fail "round $round: temporary files left"
	done
	log "ok: $rounds rounds of 8 concurrent writers, no update lost"
}
scenario "$rounds rounds of 8 concurrent writers (6 record runs, runc, crun) into one profile, no update lost" concurrent_writers

directory_lock() {
	# The lock (root's lock file for the directory) is honoured: a writer
	# finishing while another holds it waits.
	out=$SR_WORK/locked.json
	lockfile=$(dir_lock_file "$SR_WORK")
	flock "$lockfile" sleep 1.5 &
	holder=$!
	sleep 0.2
	"$SR_BIN" record -i "$out" -o "$out" -- true 2>/dev/null || fail "record under a held lock failed"
	kill -0 "$holder" 2>/dev/null && fail "record wrote while another process held the directory's lock"
	wait "$holder"
	[[ -s $out ]] || fail "no profile after waiting for the lock"

	# A lock holder killed with SIGKILL leaves nothing locked (-o: the lock is
	# flock's own, not inherited by its child).
	flock -o "$lockfile" sleep 300 &
	holder=$!
	sleep 0.2
	kill -9 "$holder"
	wait "$holder" 2>/dev/null || true
	pkill -f "^sleep 300$" || true
	timeout 30 "$SR_BIN" record -i "$out" -o "$out" -- true 2>/dev/null ||
		fail "a writer killed while holding the lock blocked the next one"
	log "ok: the lock is honoured and dies with its holder"
}
scenario "a writer waits for the directory's lock, which dies with its holder" directory_lock

scenario "nothing of ours stays loaded" assert_no_leftovers
