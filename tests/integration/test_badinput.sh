# Bad input to the hook: non-zero exit, one clear line, the container does
# not start, nothing is written or changed. Annotations through runc and
# direct invocations are scenarios of their own.
require_privileges
w=$SR_WORK
mkdir -p "$w/mnt" "$w/out" "$w/ro" "$w/elsewhere"
mount -t tmpfs -o ro,size=1m tmpfs "$w/ro"
trap 'umount "$w/ro" 2>/dev/null || true; cleanup_containers' EXIT
echo '{"defaultAction":"SCMP_ACT_ALLOW"}' >"$w/elsewhere/target.json"
ln -s "$w/elsewhere/target.json" "$w/out/link.json"
ln -s "$w/elsewhere" "$w/out/linkdir"
echo 'my notes' >"$w/out/notes.txt"
echo '{ this is not json' >"$w/out/bad-input.json"
echo '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["opne"],"action":"SCMP_ACT_ALLOW"}]}' >"$w/out/unknown-name.json"
snapshot() { (cd "$w" && find out elsewhere -printf '%p %y %s %T@\n' | sort && cat elsewhere/target.json out/notes.txt); }

refused_annotations() {
	before=$(snapshot)

	expect_refused "" "is empty"
	expect_refused "of:relative.json" "not absolute"
	expect_refused "if:$w/out/x.json" "missing required key"
	expect_refused "of:$w/out/a.json;of:$w/out/b.json" "given twice"
	expect_refused "of:$w/out/a.json;bogus:1" "unknown key"
	expect_refused "of:$w/out/a.json;" "empty entry"
	expect_refused "of:" "empty value"
	expect_refused "of:$w/out/../x.json" "component"
	expect_refused "of:$w/ro/p.json" "cannot create files"
	expect_refused "of:$w/missing/p.json" "cannot open directory"
	expect_refused "of:$w/out/link.json" "symlink"
	expect_refused "of:$w/out/linkdir/p.json" "symlink"
	expect_refused "of:$w/out/notes.txt" "not a seccomp profile"
	expect_refused "of:$w/out/p.json;if:$w/out/bad-input.json" "invalid JSON"
	expect_refused "of:$w/out/p.json;if:$w/out/unknown-name.json" "unknown syscall"
	expect_refused "of:$w/out/p.json;if:$w/out/none.json" "cannot read profile"

	after=$(snapshot)
	[[ $before == "$after" ]] || fail "files changed: $(diff <(echo "$before") <(echo "$after"))"
	[[ -z $(ls -A "$w/ro") ]] || fail "something was written to the read-only mount"
}
scenario "bad annotations: runc refuses the container, one clear line, nothing written or changed" refused_annotations

# Direct invocation: exactly one line on stderr, non-zero exit.
direct_invocation() {
	sleeper=
	trap 'kill $sleeper 2>/dev/null || true' EXIT
	sleep 30 &
	sleeper=$!
	direct() {
		local input=$1 needle=$2 args=${3:-} rc=0
		local cmd=(hook --allow-dir "$w")
		if [[ $args == -s ]]; then
			cmd=(-s --allow-dir "$w") args=
		elif [[ -n $args ]]; then
			cmd=(hook)
		fi
		printf '%s' "$input" | "$SR_BIN" "${cmd[@]}" $args >"$w/direct.out" 2>"$w/direct.err" || rc=$?
		[[ $rc != 0 ]] || fail "hook accepted: $input"
		[[ $(wc -l <"$w/direct.err") == 1 ]] || fail "expected one line, got: $(cat "$w/direct.err")"
		grep -q "$needle" "$w/direct.err" || fail "expected '$needle', got: $(cat "$w/direct.err")"
		log "direct: $(cat "$w/direct.err")"
	}
	state() { printf '{"ociVersion":"1.0.2","id":"%s","status":"creating","pid":%s,"annotations":{"io.containers.trace-syscall":"%s"}}' "$@"; }
	direct "garbage" "invalid JSON"
	direct "garbage" "invalid JSON" "-s"
	direct "" "invalid JSON"
	direct '{"ociVersion":"1","id":"x","status":"creating","annotations":{"io.containers.trace-syscall":"of:/tmp/x.json"}}' "missing \`pid\`"
	direct "$(state x 0 "of:$w/out/p.json")" "invalid \`pid\`"
	direct "$(state x -1 "of:$w/out/p.json")" "not a valid process id"
	direct "$(state ../x $sleeper "of:$w/out/p.json")" "container id"
	direct "$(state x $sleeper "of:$w/out/p.json")" "outside the directories the hook may write" "--allow-dir $w/elsewhere"
	head -c 2000000 /dev/zero | tr '\0' ' ' >"$w/huge"
	direct "$(cat "$w/huge")" "larger than"
	kill $sleeper
	[[ ! -e $w/out/p.json ]] || fail "a profile was written"
}
scenario "bad OCI state on stdin: non-zero exit, exactly one line, nothing written" direct_invocation

scenario "nothing of ours stays loaded" assert_no_leftovers
