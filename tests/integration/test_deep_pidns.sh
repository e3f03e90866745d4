# A process entering a traced container from outside (nsenter/runc exec:
# setns, then fork) is recognised by the container's PID namespace among the
# first RECORDER_MAX_PIDNS_LEVEL - 1 levels below the host's. At the last
# level that works it is recorded; one level deeper the hook says it cannot
# be, and still records the container's own processes.
require_privileges
deep() { # LEVELS: a traced "container" init LEVELS PID namespaces down; sets init
	local levels=$1 cmd i
	# The innermost shell reads its host pid from the host's /proc, waits
	# to be traced, then execs (which starts "the workload").
	cmd=(sh -c 'read -r pid _ </proc/self/stat; echo "$pid" >"$0"; sleep 1; exec sleep 4' "$SR_WORK/init-$levels")
	for ((i = 0; i < levels; i++)); do cmd=(unshare -p -f "${cmd[@]}"); done
	rm -f "$SR_WORK/init-$levels"
	"${cmd[@]}" &
	chain=$!
	wait_for 5 test -s "$SR_WORK/init-$levels" || fail "the nested init did not start"
	init=$(cat "$SR_WORK/init-$levels")
}
state() { # LEVELS STATUS
	printf '{"ociVersion":"1.0.2","id":"deep-%s-%s","status":"%s","pid":%s,"annotations":{"io.containers.trace-syscall":"of:%s/deep-%s.json"}}' \
		$$ "$1" "$2" "$init" "$SR_WORK" "$1"
}
for levels in 7 8; do
	deep $levels
	state $levels creating | "$SR_BIN" "${SR_HOOK_ARGS[@]}" 2>"$SR_WORK/hook-$levels.err" ||
		fail "hook failed: $(cat "$SR_WORK/hook-$levels.err")"
	sleep 1.5 # past the init's exec
	# nsenter forks after joining the PID namespace, then execs sync.
	nsenter -t "$init" -p -- sync || fail "nsenter failed"
	wait $chain
	state $levels stopped | "$SR_BIN" "${SR_HOOK_ARGS[@]}" 2>>"$SR_WORK/hook-$levels.err" ||
		fail "poststop hook failed: $(cat "$SR_WORK/hook-$levels.err")"
	p=$SR_WORK/deep-$levels.json
	has_syscall "$p" nanosleep || has_syscall "$p" clock_nanosleep || fail "the init's sleep is missing at $levels levels"
	if ((levels == 7)); then
		grep -q 'PID namespaces deep' "$SR_WORK/hook-$levels.err" && fail "warned at 7 levels: $(cat "$SR_WORK/hook-$levels.err")"
		has_syscall "$p" sync || fail "sync of the process that entered at 7 levels is missing"
		log "ok: 7 levels deep, a process entering is recorded"
	else
		grep -q 'is 8 PID namespaces deep' "$SR_WORK/hook-$levels.err" ||
			fail "no warning at 8 levels: $(cat "$SR_WORK/hook-$levels.err")"
		has_syscall "$p" sync && fail "sync recorded at 8 levels: the walk goes deeper than the warning says"
		log "ok: 8 levels deep, the hook warns that entering processes are not recorded"
	fi
done
assert_no_leftovers
