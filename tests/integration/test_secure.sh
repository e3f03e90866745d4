# Secure by default: someone who can set a container annotation but is not
# root on the node must not turn the hook (root) into a way to create, write
# or read host files, to hold writers up, or to lose what they recorded.
# Each attack that was reproduced against earlier versions is tried here,
# each a scenario of its own.
# The whole test runs in a private mount namespace, so that the look-alike
# /etc and the default directory can be tmpfs mounts that vanish with it.
require_privileges
if [[ -z ${SR_SECURE_NS:-} ]]; then
	SR_SECURE_NS=1 exec unshare -m --propagation private \
		bash "$SR_SOURCE/tests/integration/run.sh" secure "$SR_BIN" "$(dirname "$SR_WORK")"
fi
w=$SR_WORK
allowed=$w/allowed
mkdir -p "$allowed" "$w/etc" "$w/secret" "$w/baselines" /var/lib/seccomp-recorder
mount -t tmpfs -o size=16m tmpfs "$w/etc"
mount -t tmpfs -o size=64m tmpfs /var/lib/seccomp-recorder
install -m 0755 "${SR_SYSCALL_LOOP_STATIC:?}" "$(rootfs)/bin/syscall_loop"
# A baseline with a rule of its own (mkdir denied), for `if:`.
echo '{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}' >"$w/baselines/base.json"
# record_with_base PROFILE: `ls /` recorded into PROFILE with that baseline
# as input, read from the --allow-read directory.
record_with_base() {
	SR_HOOK_ARGS=(hook --allow-dir "$allowed" --allow-read "$w/baselines")
	record runc "$1" "$w/baselines/base.json" -- ls /
}

# ---- 1. no new root-owned file outside the allowed directories ----
no_file_outside() {
	# An `if:` rule comment that glibc would split into a library path, and an
	# `of:` naming an ld.so.preload in an etc-like directory (a tmpfs here).
	cat >"$allowed/evil-in.json" <<-'EOF'
		{"defaultAction":"SCMP_ACT_ERRNO","syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW","comment":"x:/tmp/evil.so:y"}]}
	EOF
	# With the hook as shipped (no --allow-dir: /var/lib/seccomp-recorder only).
	SR_HOOK_ARGS=(hook)
	expect_refused "of:$w/etc/ld.so.preload;if:$allowed/evil-in.json" "outside the directories the hook may write (/var/lib/seccomp-recorder)"
	# and with an --allow-dir that does not cover it.
	SR_HOOK_ARGS=(hook --allow-dir "$allowed")
	expect_refused "of:$w/etc/ld.so.preload" "outside the directories the hook may write"
	expect_refused "of:$w/etc/cron.d/x.json" "outside the directories the hook may write"
	[[ -z $(ls -A "$w/etc") ]] || fail "a file was created in the look-alike etc: $(ls -A "$w/etc")"
	log "ok: nothing is created outside the allowed directories"

	# The default directory works as is.
	SR_HOOK_ARGS=(hook)
	record runc /var/lib/seccomp-recorder/ls.json "" -- ls /
	has_syscall /var/lib/seccomp-recorder/ls.json getdents64 || fail "the default directory's profile lacks getdents64"
	[[ $(stat -c '%U %a' /var/lib/seccomp-recorder/ls.json) == "root 644" ]] || fail "unexpected owner or mode: $(stat -c '%U %a' /var/lib/seccomp-recorder/ls.json)"
	log "ok: records into /var/lib/seccomp-recorder with no --allow-dir"
}
scenario "no new root-owned file outside the allowed directories" no_file_outside

# ---- 2. if: and caps: outside are refused, and reveal nothing ----
nothing_read_outside() {
	SR_HOOK_ARGS=(hook --allow-dir "$allowed")
	echo '{"defaultAction":"SCMP_ACT_ALLOW"}' >"$w/secret/profile.json"
	echo '{"password":"hunter2"}' >"$w/secret/other.json"
	messages=()
	for f in profile.json other.json missing.json; do
		expect_refused "of:$allowed/p.json;if:$w/secret/$f" "outside the directories the hook may read"
		messages+=("${SR_REFUSAL//$f/FILE}")
	done
	[[ ${messages[0]} == "${messages[1]}" && ${messages[1]} == "${messages[2]}" ]] ||
		fail "refusals differ by what the file is: ${messages[*]}"
	[[ ${messages[0]} != *password* ]] || fail "the refusal shows the file's content"
	expect_refused "of:$allowed/p.json;caps:$w/secret/caps.json" "outside the directories the hook may write"
	[[ ! -e $w/secret/caps.json && ! -e $allowed/p.json ]] || fail "a file was created"
	log "ok: if: and caps: outside are refused with the same words whatever is there"

	# --allow-read: baselines may be read there, never written.
	record_with_base "$allowed/with-base.json"
	jq -e '.syscalls[] | select(.names == ["mkdir"] and .action == "SCMP_ACT_ERRNO")' "$allowed/with-base.json" >/dev/null ||
		fail "the baseline's rule is not in the output"
	expect_refused "of:$w/baselines/out.json" "outside the directories the hook may write"
	log "ok: --allow-read allows baselines, not outputs"

	# --allow-dir / is loud at every use.
	st='{"ociVersion":"1.0.2","id":"sr-secure-none","status":"stopped","pid":1,"annotations":{"io.containers.trace-syscall":"of:/x/p.json"}}'
	printf '%s' "$st" | "$SR_BIN" hook --allow-dir / 2>"$w/root.err" >/dev/null || true
	grep -q "warning: --allow-dir / lets every container annotation create, replace and read any file" "$w/root.err" ||
		fail "no warning for --allow-dir /: $(cat "$w/root.err")"
	log "ok: --allow-dir / warns"
}
scenario "if: and caps: outside are refused, and reveal nothing" nothing_read_outside

# ---- 3. an unprivileged lock on the directory holds nobody up ----
unprivileged_lock() {
	holder=
	shared=$(mktemp -d /tmp/sr-secure.XXXXXX)
	chmod 755 "$shared"
	# Background helpers must not keep ctest's output pipe open.
	trap 'kill $holder 2>/dev/null || true; rm -rf "$shared"' EXIT
	setpriv --reuid=65534 --regid=65534 --clear-groups flock -x -o "$shared" sleep 300 >/dev/null 2>&1 &
	holder=$!
	wait_for 5 eval '! flock -n "$shared" true' || fail "the unprivileged holder did not take the lock"
	SR_HOOK_ARGS=(hook --allow-dir "$shared")
	record runc "$shared/held.json" "" -- ls /
	! grep -q "did not finish" "$SR_LAST_REC/err" || fail "poststop waited for the tracer"
	# Eight accumulating `record` runs, each with a syscall of its own.
	nrs=(24 37 100 110 111 140 145 162)
	pids=()
	for nr in "${nrs[@]}"; do
		"$SR_BIN" record -i "$shared/acc.json" -o "$shared/acc.json" -- \
			"$SR_SYSCALL_LOOP_STATIC" "$nr" 0 >/dev/null 2>>"$w/acc.err" &
		pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || fail "a record run failed: $(cat "$w/acc.err")"; done
	for name in sched_yield alarm times getppid getpgrp getpriority sched_getscheduler sync; do
		has_syscall "$shared/acc.json" "$name" || fail "$name was lost while another user held the directory's flock"
	done
	! grep -q "without the lock" "$w/acc.err" || fail "a writer wrote without the lock"
	kill $holder
	log "ok: an unprivileged flock on the output directory neither delays runc nor loses a syscall"
}
scenario "an unprivileged lock on the directory holds nobody up" unprivileged_lock

# ---- 4. a writer that cannot lock reports failure and keeps its recording ----
stuck_lock() {
	stuck=
	# A profile written by the hook, with the baseline's rule in it.
	record_with_base "$allowed/stuck.json"
	# (Only root can hold the lock now: stand in for a stuck seccomp-recorder.)
	lockfile=$(dir_lock_file "$allowed")
	trap 'kill $stuck 2>/dev/null || true' EXIT
	flock -x -o "$lockfile" sleep 30 >/dev/null 2>&1 &
	stuck=$!
	wait_for 5 eval '! flock -n "$lockfile" true' || fail "could not hold the lock"
	before=$(sha256sum <"$allowed/stuck.json")
	rc=0
	SECCOMP_RECORDER_LOCK_TIMEOUT_MS=300 "$SR_BIN" record -i "$allowed/stuck.json" -o "$allowed/stuck.json" -- \
		"$SR_SYSCALL_LOOP_STATIC" 162 0 >/dev/null 2>"$w/stuck.err" || rc=$?
	kill $stuck
	[[ $rc == 125 ]] || fail "record reported success although it could not write (rc $rc): $(cat "$w/stuck.err")"
	! grep -q "wrote" "$w/stuck.err" || fail "record said it wrote: $(cat "$w/stuck.err")"
	[[ $(sha256sum <"$allowed/stuck.json") == "$before" ]] || fail "the profile changed without the lock"
	rescue=$(grep -o '/run/seccomp-recorder/unwritten/[^`]*\.json' "$w/stuck.err" | head -1)
	[[ -n $rescue && -f $rescue ]] || fail "no rescue file named: $(cat "$w/stuck.err")"
	has_syscall "$rescue" sync || fail "the rescue file lacks what was recorded"
	jq -e '.syscalls[] | select(.names == ["mkdir"])' "$rescue" >/dev/null || fail "the rescue file lacks the input's rules"
	"$SR_BIN" merge -o "$allowed/stuck.json" "$allowed/stuck.json" "$rescue" || fail "the rescue file does not merge"
	has_syscall "$allowed/stuck.json" sync || fail "merging the rescue file did not add its syscalls"
	rm -f "$rescue"
	log "ok: a writer that cannot take the lock fails loudly and keeps its recording: $(head -1 "$w/stuck.err")"
}
scenario "a writer that cannot lock reports failure and keeps its recording" stuck_lock

# ---- 5. accumulated argument rules never make an unreadable file ----
argument_bound() {
	"$SR_BIN" record --args socket -o "$allowed/args.json" -- "$SR_SOCKETS" domains:200@1000 >/dev/null 2>"$w/args.err" ||
		fail "record --args failed: $(cat "$w/args.err")"
	n=$(jq '[.syscalls[] | select(.names == ["socket"] and .args != null)] | length' "$allowed/args.json")
	[[ $n == 200 ]] || fail "expected 200 argument rules for socket, got $n"
	"$SR_BIN" record --args socket -i "$allowed/args.json" -o "$allowed/args.json" -- "$SR_SOCKETS" domains:200@2000 >/dev/null 2>"$w/args.err" ||
		fail "the accumulating record --args failed: $(cat "$w/args.err")"
	grep -q "more than 256 values of \`socket\`'s first argument; it is allowed outright" "$w/args.err" ||
		fail "no warning about the bound: $(cat "$w/args.err")"
	n=$(jq '[.syscalls[] | select((.names | index("socket")) and .args != null)] | length' "$allowed/args.json")
	[[ $n == 0 ]] || fail "$n argument rules for socket remain past the bound"
	has_syscall "$allowed/args.json" socket || fail "socket is not allowed outright past the bound"
	"$SR_BIN" check --subset-of "$allowed/args.json" "$allowed/args.json" || fail "check cannot read the accumulated file"
	log "ok: past 256 values a syscall is allowed outright ($(stat -c %s "$allowed/args.json") bytes)"
}
scenario "accumulated argument rules never make an unreadable file" argument_bound

# ---- 6. a FIFO swapped in during prestarts is never opened ----
fifo_swap() {
	d=$allowed/race
	opener= swapper=
	mkdir -p "$d"
	echo '{"defaultAction":"SCMP_ACT_ALLOW"}' >"$d/p.json"
	mkfifo "$d/trap"
	ln "$d/trap" "$w/trap-stable"
	trap 'kill $opener $swapper 2>/dev/null || true' EXIT
	# Every open of the FIFO for reading lets one of these opens for writing through.
	(while :; do : >"$w/trap-stable" && echo opened >>"$w/fifo-opens"; done) >/dev/null 2>&1 &
	opener=$!
	"$SR_EXCHANGE" "$d/p.json" "$d/trap" 60000 >"$w/swaps" 2>&1 &
	swapper=$!
	SR_HOOK_ARGS=(hook --allow-dir "$allowed")
	hook_state() { printf '{"ociVersion":"1.0.2","id":"sr-secure-fifo-%s","status":"%s","pid":%s,"annotations":{"io.containers.trace-syscall":"of:%s/p.json"}}' "$1" "$2" "$3" "$d"; }
	started=0
	for i in $(seq 1 60); do
		sh -c 'sleep 0.05' >/dev/null 2>&1 &
		init=$!
		if hook_state "$i" creating $init | "$SR_BIN" "${SR_HOOK_ARGS[@]}" 2>>"$w/fifo.err"; then
			started=$((started + 1))
		fi
		wait $init || true
		hook_state "$i" stopped $init | "$SR_BIN" "${SR_HOOK_ARGS[@]}" 2>>"$w/fifo.err" || true
	done
	kill $swapper $opener 2>/dev/null || true
	wait $swapper 2>/dev/null || true
	opens=0
	if [[ -e $w/fifo-opens ]]; then opens=$(wc -l <"$w/fifo-opens"); fi
	[[ $opens == 0 ]] || fail "the hook opened the swapped-in FIFO $opens times"
	log "ok: 60 prestarts against a FIFO swapped in by renameat2(RENAME_EXCHANGE): $started started, $(grep -c 'not a regular file' "$w/fifo.err" || true) refused, the FIFO opened 0 times"
}
scenario "a FIFO swapped in during prestarts is never opened" fifo_swap

# ---- 7. SIGKILL during a write leaves no temporary file behind ----
killed_writes() {
	big=$allowed/big.json
	# About 3 MB of rules (comments make it large), a real profile.
	jq -cn '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [range(3000) as $i
		| {names: ["mkdir"], action: "SCMP_ACT_ERRNO", comment: ("x" * 1000 + ($i | tostring))}]}' >"$big"
	left=0
	for i in $(seq 1 20); do
		"$SR_BIN" record -i "$big" -o "$big" -- "$SR_SYSCALL_LOOP_STATIC" 162 0 >/dev/null 2>&1 &
		rec=$!
		sleep "0.$((RANDOM % 40 + 5))"
		kill -KILL $rec 2>/dev/null || true
		wait $rec 2>/dev/null || true
		left=$((left + $(find "$allowed" -maxdepth 1 -name '.big.json.*.tmp' | wc -l)))
	done
	"$SR_BIN" record -i "$big" -o "$big" -- "$SR_SYSCALL_LOOP_STATIC" 162 0 >/dev/null 2>&1 || fail "the record after the kills failed"
	[[ -z $(find "$allowed" -maxdepth 1 -name '.big.json.*') ]] || fail "temporary files remain: $(ls -a "$allowed")"
	jq -e . "$big" >/dev/null || fail "the profile is damaged"
	log "ok: 20 records killed during their write; temporaries seen between kills: $left; after the next write: none"
}
scenario "SIGKILL during a write leaves no temporary file behind" killed_writes

# ---- 8. run files of tracers killed outright are reaped ----
killed_run_files() {
	SR_HOOK_ARGS=(hook --allow-dir "$allowed")
	kdir=$(mktemp -d "$w/killed.XXXXXX")
	bundle "$kdir" "of:$allowed/killed.json;flush:1" "" -- sleep 30
	kid=$(new_id)
	start_running "$kdir" "$kid"
	wait_for 5 test -e "/run/seccomp-recorder/$kid.status" || fail "no status file for $kid"
	pkill -KILL -f 'seccomp-recorder hook' || true
	runc kill "$kid" KILL 2>/dev/null || true
	wait $SR_RUNNER 2>/dev/null || true
	[[ -e /run/seccomp-recorder/$kid.lock ]] || fail "the killed tracer's lock file is not there to reap"
	record runc "$allowed/after.json" "" -- true
	[[ ! -e /run/seccomp-recorder/$kid.lock && ! -e /run/seccomp-recorder/$kid.status ]] ||
		fail "the killed tracer's run files remain: $(ls /run/seccomp-recorder)"
	log "ok: the next prestart reaps a killed tracer's run files"
}
scenario "run files of tracers killed outright are reaped" killed_run_files

# ---- 9. the tracer's memory is bounded whatever the input ----
memory_bound() {
	# Not under ASan: its shadow memory says nothing about ours, and yajl's
	# tree parser grows arrays one element at a time, which ASan's realloc makes
	# quadratic (minutes for this input; 0.3 s in the release build).
	if [[ ${SR_SANITIZED:-0} == 1 ]]; then
		log "ok: (the tracer's memory bound is measured in the release build)"
		return 0
	fi
	SR_HOOK_ARGS=(hook --allow-dir "$allowed")
	# The worst input per byte whose result can still be written: 4 MiB of one
	# short name, laid out as the writer lays it out (a compact one would grow
	# past the bound when written, and is kept in the rescue file instead).
	jq -n '{defaultAction: "SCMP_ACT_ERRNO", syscalls: [{names: [range(260000) | "read"], action: "SCMP_ACT_ALLOW"}]}' >"$allowed/worst.json"
	(($(stat -c %s "$allowed/worst.json") <= 4194304)) || fail "the worst-case input is over the bound"
	# The "container": waits to be traced, then starts its workload (an exec).
	go=$w/mem.go
	rm -f "$go"
	bash -c 'while [[ ! -e $1 ]]; do read -rt 0.05 <> <(:) || true; done; exec true' _ "$go" >/dev/null 2>&1 &
	init=$!
	mem_state() { printf '{"ociVersion":"1.0.2","id":"sr-secure-mem","status":"%s","pid":%s,"annotations":{"io.containers.trace-syscall":"of:%s/worst-out.json;if:%s/worst.json"}}' "$1" $init "$allowed" "$allowed"; }
	mem_state creating | "$SR_BIN" "${SR_HOOK_ARGS[@]}" || fail "the hook refused a 4 MiB input"
	touch "$go"
	wait $init || true
	mem_state stopped | "$SR_BIN" "${SR_HOOK_ARGS[@]}" 2>"$w/mem.err" || fail "poststop failed: $(cat "$w/mem.err")"
	rss=$(grep -o 'tracer peak RSS [0-9]* KiB' "$w/mem.err" | grep -o '[0-9]*')
	[[ -n $rss ]] || fail "no peak RSS reported: $(cat "$w/mem.err")"
	((rss < 131072)) || fail "the tracer's peak RSS was $rss KiB for a 4 MiB input (bound: 128 MiB)"
	log "ok: tracer peak RSS $rss KiB for the worst 4 MiB input (documented bound 128 MiB)"
}
scenario "the tracer's memory is bounded whatever the input" memory_bound

# Whatever the scenarios did (8. kills tracers outright), nothing stays.
scenario "nothing of ours stays loaded" assert_no_leftovers killed
