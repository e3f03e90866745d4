# `record -- CMD` without a container: descendants that daemonize or enter
# new namespaces are traced; CMD's exit status, a relayed SIGINT and a CMD
# killed outright all end with CMD's status and a written profile. Each is
# a scenario of its own.
require_privileges
# The static helper: no sanitizer runtime making syscalls of its own.
loop=${SR_SYSCALL_LOOP_STATIC:?}
# Syscall numbers (x86_64) of cheap calls harmless with zero arguments.
NR_getpriority=140 NR_sched_yield=24 NR_getsid=124 NR_times=100 NR_alarm=37
probes="getpriority sched_yield getsid times alarm"

# The baseline: what the helper and the tools around it make by themselves,
# so that each probe can only come from where the test puts it.
baseline() {
	base=$SR_WORK/base.json
	"$SR_BIN" record -o "$base" -- sh -c "
		'$loop' 39 0 | cat >/dev/null
		( setsid sh -c 'sleep 0.1' & )
		unshare -p -f true" >/dev/null 2>&1 || fail "baseline record failed"
	for s in $probes; do
		has_syscall "$base" "$s" && fail "the helper or sh/setsid/unshare/sleep make $s; pick another probe"
	done
	return 0
}
scenario "the probes are made only where the test puts them" baseline

# A pipeline whose member double-forks a daemon that outlives CMD, and a
# child in a new PID namespace.
pipeline() {
	p=$SR_WORK/pipeline.json
	"$SR_BIN" record -o "$p" -- sh -c "
		'$loop' $NR_getpriority 0 | cat >/dev/null
		( setsid sh -c 'sleep 0.5; exec \"$loop\" $NR_times 0 >/dev/null' & )
		unshare -p -f '$loop' $NR_sched_yield 0 >/dev/null
		exit 0" >/dev/null 2>"$SR_WORK/pipeline.err" ||
		fail "record of the pipeline failed: $(cat "$SR_WORK/pipeline.err")"
	has_syscall "$p" getpriority || fail "the pipeline member's getpriority is missing"
	has_syscall "$p" times || fail "the daemonized grandchild's times is missing"
	has_syscall "$p" sched_yield || fail "the child in a new PID namespace is missing"
	has_syscall "$p" execve || fail "execve is missing"
	grep -q "still tracing" "$SR_WORK/pipeline.err" || fail "no notice that leftovers were waited for"
	log "ok: pipeline, daemon and namespaced child recorded"
}
scenario "a pipeline, a daemonizing double-fork and a child in a new PID namespace are recorded" pipeline

# --no-wait stops with CMD; the daemon's later call is not waited for.
no_wait() {
	p=$SR_WORK/nowait.json
	"$SR_BIN" record --no-wait -o "$p" -- sh -c "
		( setsid sh -c 'sleep 2; exec \"$loop\" $NR_times 0 >/dev/null' & )
		exit 0" 2>/dev/null || fail "record --no-wait failed"
	has_syscall "$p" times && fail "--no-wait waited for the daemon"
	log "ok: --no-wait"
}
scenario "--no-wait stops with CMD" no_wait

exit_status() {
	# Exit status passes through; a relative -o is fine.
	rc=0
	(cd "$SR_WORK" && "$SR_BIN" record -o ./status.json -- sh -c 'exit 7') 2>/dev/null || rc=$?
	[[ $rc == 7 ]] || fail "exit status 7 came back as $rc"
	[[ -s $SR_WORK/status.json ]] || fail "no profile for a command that exited 7"

	# A command killed by a signal: 128+N, profile written.
	rc=0
	"$SR_BIN" record -o "$SR_WORK/killed.json" -- sh -c "'$loop' $NR_alarm 0 >/dev/null; kill -9 \$\$" 2>/dev/null || rc=$?
	[[ $rc == 137 ]] || fail "a command killed by SIGKILL gave $rc, not 137"
	has_syscall "$SR_WORK/killed.json" alarm || fail "no profile (or an incomplete one) after SIGKILL"
	log "ok: exit status and SIGKILL"
}
scenario "CMD's exit status and death by SIGKILL pass through, the profile written" exit_status

signals() {
	# SIGINT to record reaches CMD, which handles it; its status comes back.
	# Job control gives the background job default signal dispositions.
	p=$SR_WORK/sigint.json
	set -m
	"$SR_BIN" record -o "$p" -- sh -c "trap 'exit 42' INT; '$loop' $NR_getsid 0 >/dev/null; echo ready; while :; do sleep 0.05; done" >"$SR_WORK/sigint.out" 2>&1 &
	rec=$!
	set +m
	for i in $(seq 1 200); do grep -q ready "$SR_WORK/sigint.out" && break; sleep 0.02; done
	grep -q ready "$SR_WORK/sigint.out" || fail "the SIGINT test command did not start"
	kill -INT "$rec"
	rc=0
	wait "$rec" || rc=$?
	[[ $rc == 42 ]] || fail "SIGINT relayed to CMD should end with its status 42, got $rc: $(cat "$SR_WORK/sigint.out")"
	has_syscall "$p" getsid || fail "no profile after SIGINT"
	has_syscall "$p" rt_sigreturn || fail "the signal handler's return is missing"

	# A command that does not catch SIGINT dies of it: 130.
	set -m
	"$SR_BIN" record -o "$SR_WORK/sigint2.json" -- sleep 30 2>/dev/null &
	rec=$!
	set +m
	sleep 0.5
	kill -INT "$rec"
	rc=0
	wait "$rec" || rc=$?
	[[ $rc == 130 ]] || fail "sleep killed by the relayed SIGINT should give 130, got $rc"
	has_syscall "$SR_WORK/sigint2.json" clock_nanosleep || fail "no profile of sleep after SIGINT"

	# A command killed from outside (not by itself): profile still written.
	set -m
	"$SR_BIN" record -o "$SR_WORK/outside.json" -- sh -c "'$loop' $NR_getpriority 0 >/dev/null; sleep 30" 2>/dev/null &
	rec=$!
	set +m
	for i in $(seq 1 100); do child=$(pgrep -P "$rec" || true); [[ -n $child ]] && break; sleep 0.02; done
	[[ -n $child ]] || fail "record's child not found"
	sleep 0.3
	pkill -9 -P "$child" sleep || true
	kill -9 "$child"
	rc=0
	wait "$rec" || rc=$?
	[[ $rc == 137 ]] || fail "CMD killed from outside should give 137, got $rc"
	has_syscall "$SR_WORK/outside.json" getpriority || fail "no profile after CMD was killed from outside"
	log "ok: SIGINT relayed, profile written however CMD ended"
}
scenario "SIGINT relayed to CMD, the profile written however CMD ended" signals

# Our own failures: 127 for a missing command (no profile written), 125 for
# a bad output path.
own_errors() {
	rc=0
	"$SR_BIN" record -o "$SR_WORK/missing.json" -- /nonexistent/cmd 2>"$SR_WORK/err" || rc=$?
	[[ $rc == 127 ]] || fail "a missing command gave $rc, not 127"
	grep -q "cannot run \`/nonexistent/cmd\`" "$SR_WORK/err" || fail "no clear message: $(cat "$SR_WORK/err")"
	[[ ! -e $SR_WORK/missing.json ]] || fail "a profile was written for a command that never ran"
	ln -s /etc/passwd "$SR_WORK/link.json"
	rc=0
	"$SR_BIN" record -o "$SR_WORK/link.json" -- true 2>"$SR_WORK/err" || rc=$?
	[[ $rc == 125 ]] || fail "a symlinked output gave $rc, not 125"
	grep -q symlink "$SR_WORK/err" || fail "no clear message for a symlinked output: $(cat "$SR_WORK/err")"
	[[ $(wc -l <"$SR_WORK/err") == 1 ]] || fail "more than one error line: $(cat "$SR_WORK/err")"
	log "ok: record's own errors"
}
scenario "record's own errors: 127 for a missing command, 125 for a symlinked output" own_errors

scenario "nothing of ours stays loaded" assert_no_leftovers
