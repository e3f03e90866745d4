# Capabilities (annotation key caps:), under runc and crun, starting from
# Docker's 14 default capabilities: a container that chowns a file records
# CAP_CHOWN, one that only reads records none; the workload runs with exactly
# the recorded capabilities and fails with CAP_CHOWN taken away. The tracer
# logs the suggestion; `check --subset-of` compares capability files; with
# `if:` = `of:` the capability file accumulates, otherwise it is replaced.
# Each runtime, accumulation, learn mode and the kprobe fallback are
# scenarios of their own.
require_privileges
require_crun
start_syslog
defaults='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW",
 "CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT",
 "CAP_KILL","CAP_AUDIT_WRITE"]'
grant() { # DIR CAPS-JSON: the container's process gets exactly CAPS
	bundle_edit "$1" --argjson c "$2" \
		'.process.capabilities = {bounding: $c, effective: $c, permitted: $c}'
}
# Each run chowns a file of its own: the rootfs is shared, and a file left
# owned by uid 1000 would take CAP_DAC_OVERRIDE to touch again.
chown_cmd() { chown_cmd=(sh -c 'touch "$0" && chown 1000:1000 "$0" && echo chowned' "/tmp/caps-$$-$1"); }
read_cmd=(sh -c 'cat /etc/passwd >/dev/null && ls / >/dev/null && echo read')
used() { jq -c .used "$1"; }
# start_chowner NAME ANNOTATION SECONDS [JQ-EDIT]: a traced container with the
# default capabilities that chowns a file of its own, then sleeps; running
# in the background when this returns (d, id and SR_RUNNER set).
start_chowner() {
	d=$SR_WORK/$1
	id=$(new_id)
	bundle "$d" "$2" "" -- sh -c "touch \"\$0\" && chown 1000:1000 \"\$0\" && sleep $3" "/tmp/caps-$$-$1"
	grant "$d" "$defaults"
	[[ -z ${4:-} ]] || bundle_edit "$d" "$4"
	start_running "$d" "$id"
}

# runtime_caps RT: under RT, a chown container records CAP_CHOWN, a reading
# one none; exactly the recorded capabilities suffice and one fewer fails;
# the suggestion for each container goes to syslog.
runtime_caps() {
	rt=$1
	c=$SR_WORK/$rt-chown.caps.json
	r=$SR_WORK/$rt-read.caps.json
	d=$SR_WORK/$rt-chown
	chown_cmd "$rt-rec"
	bundle "$d" "of:$SR_WORK/$rt-chown.json;caps:$c" "" -- "${chown_cmd[@]}"
	grant "$d" "$defaults"
	chown_id=$(new_id)
	run_container $rt "$d" "$chown_id" || fail "$rt: chown container failed: $(cat "$d/err")"
	[[ -s $c ]] || fail "$rt: no capability file right after the runtime returned"
	jq -e '.used | index("CAP_CHOWN")' "$c" >/dev/null || fail "$rt: CAP_CHOWN not recorded: $(cat "$c")"
	jq -e '.granted | length == 14' "$c" >/dev/null || fail "$rt: granted is not the 14 defaults: $(cat "$c")"
	jq -e '(.unused | index("CAP_CHOWN")) == null and (.unused | length) == 14 - (.used | length)' "$c" >/dev/null ||
		fail "$rt: unused is not granted minus used: $(cat "$c")"
	log "$rt: chown container used $(used "$c")"

	d=$SR_WORK/$rt-read
	bundle "$d" "of:$SR_WORK/$rt-read.json;caps:$r" "" -- "${read_cmd[@]}"
	grant "$d" "$defaults"
	read_id=$(new_id)
	run_container $rt "$d" "$read_id" || fail "$rt: reading container failed: $(cat "$d/err")"
	[[ $(used "$r") == '[]' ]] || fail "$rt: a container that only reads used $(used "$r")"
	jq -e '.suggestion == "--cap-drop=all"' "$r" >/dev/null || fail "$rt: wrong suggestion: $(cat "$r")"
	log "$rt: reading container used none"

	# Exactly the recorded capabilities, then one fewer.
	d=$SR_WORK/$rt-exact
	chown_cmd "$rt-exact"
	bundle "$d" - "" -- "${chown_cmd[@]}"
	grant "$d" "$(jq -c .used "$c")"
	run_container $rt "$d" || fail "$rt: chown failed with the recorded capabilities $(used "$c"): $(cat "$d/err")"
	grep -q chowned "$d/out" || fail "$rt: no output with the recorded capabilities"
	d=$SR_WORK/$rt-fewer
	chown_cmd "$rt-fewer"
	bundle "$d" - "" -- "${chown_cmd[@]}"
	grant "$d" "$(jq -c '.used - ["CAP_CHOWN"]' "$c")"
	run_container $rt "$d" && fail "$rt: chown worked without CAP_CHOWN"
	grep -qi 'not permitted' "$d/err" "$d/out" || fail "$rt: no EPERM without CAP_CHOWN: $(cat "$d/err")"
	d=$SR_WORK/$rt-none
	bundle "$d" - "" -- "${read_cmd[@]}"
	grant "$d" '[]'
	run_container $rt "$d" || fail "$rt: the reading workload failed with no capabilities: $(cat "$d/err")"
	log "$rt: recorded capabilities suffice, one fewer fails"

	# The suggestion went to syslog, one line per container.
	suggested() {
		grep -q "container \`$chown_id\`: capabilities: run it with" "$SR_SYSLOG" 2>/dev/null &&
			grep -q "container \`$read_id\`: capabilities: run it with" "$SR_SYSLOG" 2>/dev/null
	}
	for i in $(seq 1 50); do suggested && break; sleep 0.05; done
	grep -q "container \`$chown_id\`: capabilities: run it with --cap-drop=all --cap-add=CAP_CHOWN" "$SR_SYSLOG" ||
		fail "no suggestion in syslog: $(cat "$SR_SYSLOG")"
	grep -q "container \`$read_id\`: capabilities: run it with --cap-drop=all (granted but unused: CAP_CHOWN," "$SR_SYSLOG" ||
		fail "no suggestion for the reading container: $(cat "$SR_SYSLOG")"
}

# check --subset-of on capability files (those runtime_caps runc recorded).
check_caps() {
	c=$SR_WORK/runc-chown.caps.json r=$SR_WORK/runc-read.caps.json
	"$SR_BIN" check --subset-of "$c" "$r" || fail "reading is not within chown's capabilities"
	out=$("$SR_BIN" check --subset-of "$r" "$c") && fail "chown's capabilities passed as within none"
	[[ $out == *"uses CAP_CHOWN, which $r does not"* ]] || fail "check said: $out"
	rc=0
	"$SR_BIN" check --subset-of "$c" "$SR_WORK/runc-read.json" 2>"$SR_WORK/mixed.err" || rc=$?
	[[ $rc == 2 ]] && grep -q 'cannot compare a capability file with a seccomp profile' "$SR_WORK/mixed.err" ||
		fail "mixing kinds: exit $rc, $(cat "$SR_WORK/mixed.err")"
	log "ok: check --subset-of on capability files"
}
runc_caps() {
	runtime_caps runc
	check_caps
}
scenario "runc: chown records CAP_CHOWN, reading none, the recorded set suffices, one fewer fails, syslog suggestions; check on capability files" runc_caps
scenario "crun: chown records CAP_CHOWN, reading none, the recorded set suffices, one fewer fails, syslog suggestions" runtime_caps crun

# Accumulated with if: = of:, replaced without if:; a profile is refused as
# a capability file.
accumulate_caps() {
	a=$SR_WORK/acc.caps.json
	for cmd in chown read; do
		d=$SR_WORK/acc-$cmd
		chown_cmd "acc"
		if [[ $cmd == chown ]]; then args=("${chown_cmd[@]}"); else args=("${read_cmd[@]}"); fi
		bundle "$d" "of:$SR_WORK/acc.json;if:$SR_WORK/acc.json;caps:$a" "" -- "${args[@]}"
		grant "$d" "$defaults"
		run_container runc "$d" || fail "accumulating $cmd run failed: $(cat "$d/err")"
	done
	jq -e '.used | index("CAP_CHOWN")' "$a" >/dev/null || fail "accumulation lost CAP_CHOWN: $(cat "$a")"
	# The accumulated file (CAP_CHOWN used) is replaced by a reading run.
	d=$SR_WORK/replace
	bundle "$d" "of:$SR_WORK/acc2.json;caps:$a" "" -- "${read_cmd[@]}"
	grant "$d" "$defaults"
	run_container runc "$d" || fail "replacing run failed: $(cat "$d/err")"
	[[ $(used "$a") == '[]' ]] || fail "without if: the capability file was not replaced: $(cat "$a")"
	# A capability path that holds a profile is refused before the container runs.
	d=$SR_WORK/clobber
	bundle "$d" "of:$SR_WORK/x.json;caps:$SR_WORK/acc.json" "" -- true
	run_container runc "$d" && fail "a profile was accepted as a capability file"
	grep -q 'is not a capability file' "$d/err" || fail "no clear refusal: $(cat "$d/err")"
	jq -e .syscalls "$SR_WORK/acc.json" >/dev/null || fail "the profile was damaged"
	log "ok: accumulation, replacement, refusal"
}
scenario "the capability file accumulates with if: = of:, is replaced without, and a profile is refused as one" accumulate_caps

# Learn mode: the capability file is checkpointed while the container runs.
learn_caps() {
	l=$SR_WORK/learn.caps.json
	start_chowner learn "of:$SR_WORK/learn.json;flush:1;caps:$l" 4
	has_chown() { [[ -s $l ]] && jq -e '.used | index("CAP_CHOWN")' "$l" >/dev/null; }
	wait_for 3 has_chown || fail "no checkpoint of the capability file while the container runs: $(cat "$l" 2>&1)"
	runc state "$id" >/dev/null 2>&1 || fail "the container had ended before the checkpoint was seen"
	wait $SR_RUNNER || fail "learn-mode container failed: $(cat "$d/err")"
	has_chown || fail "the final capability file lost CAP_CHOWN"
	log "ok: capability file checkpointed in learn mode"
}
scenario "learn mode checkpoints the capability file while the container runs" learn_caps

# Before Linux 6.14 there is no cap_capable tracepoint; the fallback (a
# kprobe on cap_capable(), forced here for a new instance) sees checks made,
# not their results, and keeps the granted ones: CAP_CHOWN again.
kprobe_caps() {
	loaded() { bpftool prog show 2>/dev/null | grep -Eq 'name (sr_sys_enter|sr_cap_kprobe)'; }
	wait_for 5 eval '! loaded' || fail "programs of ours are still loaded before the kprobe run"
	k=$SR_WORK/kprobe.caps.json
	start_chowner kprobe "of:$SR_WORK/kprobe.json;caps:$k" 1 \
		'.hooks.prestart[0].env = ["SECCOMP_RECORDER_CAPS_KPROBE=1"]'
	bpftool prog show | grep -q 'name sr_cap_capable' && fail "the tracepoint program is loaded although the kprobe was asked for"
	if [[ -e /sys/bus/event_source/devices/kprobe ]]; then
		bpftool prog show | grep -q 'name sr_cap_kprobe' || fail "the kprobe program is not loaded"
		wait $SR_RUNNER || fail "kprobe container failed: $(cat "$d/err")"
		jq -e '.used == ["CAP_CHOWN"]' "$k" >/dev/null || fail "the kprobe fallback recorded $(cat "$k")"
		log "ok: the kprobe fallback records CAP_CHOWN"
	else
		# A kernel without kprobes (this one: no CONFIG_KPROBES) and without the
		# tracepoint: no capability file, said so, and the profile as always.
		wait $SR_RUNNER || fail "kprobe container failed: $(cat "$d/err")"
		[[ -e $k ]] && fail "a capability file was written without a way to record checks: $(cat "$k")"
		grep -q "capability checks will not be recorded" "$SR_SYSLOG" || fail "no warning that checks are not recorded"
		grep -q "capability checks are not recorded on this host" "$SR_SYSLOG" || fail "no warning at the end"
		jq -e .syscalls "$SR_WORK/kprobe.json" >/dev/null || fail "no profile without a way to record capabilities"
		log "ok: without kprobes and the tracepoint: warned, no capability file, the profile written"
	fi
}
scenario "the kprobe fallback (or, without kprobes, the warning)" kprobe_caps

scenario "nothing of ours stays loaded" assert_no_leftovers
