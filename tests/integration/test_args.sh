# Argument rules (annotation key args:): a container that opens AF_UNIX and
# AF_INET sockets runs under its recorded profile, an AF_PACKET socket in
# the same container is then denied; `if:` = `of:` accumulates values,
# `merge` unites them, `check` compares them, a later run without args:
# allows the syscall outright again; `record --args` does the same. Each is
# a scenario of its own.
require_privileges
require_crun
install -m 0755 "${SR_SOCKETS:?}" "$(rootfs)/bin/sockets"
arg_rules() { # PROFILE NAME: the values of NAME's argument rules, sorted
	jq -c --arg n "$2" '[.syscalls[] | select((.names // []) | index($n)) | select(.args) | .args[0].value] | sort' "$1"
}
outright() { # PROFILE NAME: allowed without conditions
	jq -e --arg n "$2" 'any(.syscalls[]; ((.names // []) | index($n)) and .action == "SCMP_ACT_ALLOW" and ((.args // []) | length) == 0)' "$1" >/dev/null
}
# AF_PACKET needs CAP_NET_RAW: granted, so that only the profile can deny it.
net_raw() { bundle_edit "$1" '.process.capabilities |= with_entries(.value += ["CAP_NET_RAW"])'; }

# record_socks PROFILE: records the workload with argument rules for
# socket, socketpair, personality and clone. Through sh, which forks: clone
# is recorded too.
record_socks() {
	d=$SR_WORK/rec
	bundle "$d" "of:$1;args:socket,socketpair,personality,clone" "" -- \
		sh -c 'sockets unix inet pair-unix persona && true'
	run_container runc "$d" || fail "recording run failed: $(cat "$d/err") $(cat "$d/out")"
}

recorded_rules() {
	p=$SR_WORK/socks.json
	record_socks "$p"
	[[ $(arg_rules "$p" socket) == '[1,2]' ]] || fail "socket rules are $(arg_rules "$p" socket), not AF_UNIX and AF_INET: $(jq -c .syscalls "$p")"
	[[ $(arg_rules "$p" socketpair) == '[1]' ]] || fail "socketpair rules: $(arg_rules "$p" socketpair)"
	[[ $(arg_rules "$p" personality) == '[4294967295]' ]] || fail "personality rules: $(arg_rules "$p" personality)"
	outright "$p" socket && fail "socket is allowed outright although args: named it"
	# busybox sh forks with clone(SIGCHLD): no namespace flags, a MASKED_EQ rule.
	jq -e '[.syscalls[] | select((.names // []) | index("clone")) | .args[0]] == [{"index":0,"value":2114060416,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]' "$p" >/dev/null ||
		fail "clone rule: $(jq -c '[.syscalls[] | select((.names // []) | index("clone"))]' "$p")"
	log "ok: recorded socket [1,2], socketpair [1], personality [0xffffffff], clone without namespaces"
}
scenario "argument rules recorded: socket AF_UNIX and AF_INET, socketpair, personality, clone without namespaces" recorded_rules

enforced_rules() {
	p=$SR_WORK/socks-enforced.json
	record_socks "$p"
	for rt in runc crun; do
		d=$SR_WORK/enforce-$rt
		enforce $rt "$p" "$d" -- sh -c 'sockets unix inet pair-unix persona && true' || fail "$rt: the workload failed under its profile: $(cat "$d/out" "$d/err")"
		d=$SR_WORK/packet-$rt
		bundle "$d" - "$p" -- sockets unix packet
		net_raw "$d"
		run_container $rt "$d" && fail "$rt: AF_PACKET was allowed"
		grep -q '^unix ok' "$d/out" && grep -q '^packet ENOSYS' "$d/out" ||
			fail "$rt: expected AF_UNIX ok and AF_PACKET denied: $(cat "$d/out" "$d/err")"
	done
	d=$SR_WORK/packet-free
	bundle "$d" - "" -- sockets packet
	net_raw "$d"
	run_container runc "$d" || fail "AF_PACKET fails even without the profile: $(cat "$d/out" "$d/err")"
	log "ok: under the profile AF_UNIX and AF_INET work and AF_PACKET is denied (runc, crun)"
}
scenario "under its profile the workload runs and AF_PACKET is denied (runc, crun)" enforced_rules

# Accumulation: two runs into one file, one value each; then a run without
# args: into the same file.
accumulated_rules() {
	a=$SR_WORK/acc.json
	for what in unix inet; do
		d=$SR_WORK/acc-$what
		bundle "$d" "of:$a;if:$a;args:socket" "" -- sockets $what
		run_container runc "$d" || fail "accumulating run ($what) failed: $(cat "$d/err")"
	done
	[[ $(arg_rules "$a" socket) == '[1,2]' ]] || fail "accumulated socket rules: $(arg_rules "$a" socket)"
	d=$SR_WORK/acc-enforce
	enforce runc "$a" "$d" -- sockets unix inet || fail "the accumulated profile does not run both: $(cat "$d/out")"
	# The same two runs in the other order give the same bytes.
	b=$SR_WORK/acc-b.json
	for what in inet unix; do
		d=$SR_WORK/accb-$what
		bundle "$d" "of:$b;if:$b;args:socket" "" -- sockets $what
		run_container runc "$d" || fail "accumulating run ($what) failed: $(cat "$d/err")"
	done
	jq -S '.syscalls |= map(select(.args))' "$a" >"$SR_WORK/a.args"
	jq -S '.syscalls |= map(select(.args))' "$b" >"$SR_WORK/b.args"
	cmp -s "$SR_WORK/a.args" "$SR_WORK/b.args" || fail "argument rules depend on the order of the runs"
	log "ok: if: = of: accumulates values, in any order"

	# A later run without args: allows socket outright, replacing our rules.
	d=$SR_WORK/acc-plain
	bundle "$d" "of:$a;if:$a" "" -- sockets packet
	net_raw "$d"
	run_container runc "$d" || fail "the run without args: failed: $(cat "$d/out" "$d/err")"
	outright "$a" socket || fail "socket is not allowed outright after a run without args:"
	[[ $(arg_rules "$a" socket) == '[]' ]] || fail "our argument rules stayed beside the outright allow: $(arg_rules "$a" socket)"
	log "ok: a run without args: allows the syscall outright"
}
scenario "if: = of: accumulates values in any order; a later run without args: allows the syscall outright" accumulated_rules

# merge and check.
merged_rules() {
	u=$SR_WORK/unix.json i=$SR_WORK/inet.json m=$SR_WORK/merged.json
	for what in unix inet; do
		d=$SR_WORK/one-$what
		bundle "$d" "of:$SR_WORK/$what.json;args:socket" "" -- sockets $what
		run_container runc "$d" || fail "run ($what) failed: $(cat "$d/err")"
	done
	"$SR_BIN" merge -o "$m" "$u" "$i" || fail "merge failed"
	[[ $(arg_rules "$m" socket) == '[1,2]' ]] || fail "merged socket rules: $(arg_rules "$m" socket)"
	"$SR_BIN" check --subset-of "$m" "$u" || fail "the AF_UNIX profile is not within the merge"
	out=$("$SR_BIN" check --subset-of "$u" "$m") && fail "the merge passed as within the AF_UNIX profile"
	[[ $out == *"socket"* ]] || fail "check did not name socket: $out"
	log "ok: merge unites argument rules; check compares them"
}
scenario "merge unites argument rules; check compares them" merged_rules

# record --args.
record_args() {
	r=$SR_WORK/record.json
	"$SR_BIN" record --args socket -o "$r" -- "$SR_SOCKETS" inet6 >/dev/null || fail "record --args failed"
	[[ $(arg_rules "$r" socket) == '[10]' ]] || fail "record --args socket gave $(arg_rules "$r" socket)"
	rc=0
	"$SR_BIN" record --args socket,ioctl -o "$r" -- true 2>"$SR_WORK/bad.err" || rc=$?
	[[ $rc == 125 ]] && grep -q "no argument rule for \`ioctl\`" "$SR_WORK/bad.err" ||
		fail "an unknown --args name: exit $rc, $(cat "$SR_WORK/bad.err")"
	log "ok: record --args"
}
scenario "record --args" record_args

scenario "nothing of ours stays loaded" assert_no_leftovers
