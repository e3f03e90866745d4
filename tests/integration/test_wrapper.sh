# SPDX-License-Identifier: Apache-2.0
# `seccomp-recorder runtime` on its own, as an engine would call it, with
# real runc and crun and no daemon: what it writes into config.json, what it
# passes on untouched, and where its errors go.
require_privileges
require_crun
cat >"$SR_WORK/crun-private" <<'EOS'
#!/bin/sh
exec unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun "$@"' crun "$@"
EOS
chmod +x "$SR_WORK/crun-private"
wrap() { "$SR_BIN" runtime --allow-dir "$SR_ALLOW_DIR" "$@"; }

records_through_runc() {
	local dir=$SR_WORK/w1 p=$SR_WORK/w1.json id
	bundle "$dir" "of:$p" "" -- ls /
	bundle_edit "$dir" 'del(.hooks)'
	chmod 0600 "$dir/config.json"
	id=$(new_id)
	wrap --runtime runc -- run --bundle "$dir" "$id" >"$dir/out" 2>"$dir/err" </dev/null ||
		fail "wrapped runc run failed: $(cat "$dir/err")"
	[[ -s $p ]] || fail "no profile when the wrapped runc returned"
	has_syscall "$p" getdents64 || fail "ls missing"
	[[ $(stat -c %a "$dir/config.json") == 600 ]] || fail "config.json's mode changed"
	jq -e --arg bin "$SR_BIN" --arg dir "$SR_ALLOW_DIR" '.hooks.prestart == [{path: $bin,
		args: ["seccomp-recorder", "hook", "--allow-dir", $dir]}] and
		.hooks.poststop == .hooks.prestart' "$dir/config.json" >/dev/null ||
		fail "unexpected hooks: $(jq -c .hooks "$dir/config.json")"
	[[ ! -s $dir/err ]] || fail "the wrapper wrote to the container's stderr: $(cat "$dir/err")"
	assert_no_leftovers
}
scenario "runc run through the wrapper: recorded; config.json gets exactly our hooks, keeps its mode; nothing on the container's stderr" \
	records_through_runc

crun_config_flag() {
	local dir=$SR_WORK/w2 p=$SR_WORK/w2.json id
	bundle "$dir" "of:$p" "" -- ls /
	bundle_edit "$dir" 'del(.hooks)'
	mv "$dir/config.json" "$dir/alt.json"
	id=$(new_id)
	(cd "$dir" && wrap --runtime "$SR_WORK/crun-private" -- run --config=alt.json "$id") \
		>"$dir/out" 2>"$dir/err" </dev/null || fail "wrapped crun run failed: $(cat "$dir/err")"
	[[ -s $p ]] || fail "no profile when the wrapped crun returned"
	jq -e '.hooks.prestart | length == 1' "$dir/alt.json" >/dev/null ||
		fail "the hooks did not go into crun's --config file"
	assert_no_leftovers
}
scenario "crun's --config, relative to the working directory (no --bundle): hooks in that file, recorded" \
	crun_config_flag

untouched() {
	local dir=$SR_WORK/w3 before id
	bundle "$dir" - "" -- true
	before=$(sha256sum <"$dir/config.json")
	id=$(new_id)
	wrap -- run --bundle "$dir" "$id" >/dev/null 2>&1 </dev/null || fail "an untraced run failed"
	[[ $(sha256sum <"$dir/config.json") == "$before" ]] || fail "an untraced config.json was rewritten"
	[[ "$(wrap -- --version)" == "$(runc --version)" ]] || fail "--version is not runc's"
	[[ "$("$SR_BIN" runtime --runtime=crun -- --version)" == "$(crun --version)" ]] ||
		fail "--runtime=crun --version is not crun's"
	assert_no_leftovers
}
scenario "untraced containers and other subcommands: config.json byte for byte, runc's and crun's own output" untouched

# log_refusal FORMAT CHECK: a refused create writes one line in that format.
log_refusal() {
	local fmt=$1 dir=$SR_WORK/w4-$1 id log=$SR_WORK/w4-$1.log rc=0
	bundle "$dir" "of:/etc/sr-wrapper-test.json" "" -- true
	bundle_edit "$dir" 'del(.hooks)'
	rm -f "$log" /etc/sr-wrapper-test.json
	id=$(new_id)
	wrap --runtime runc -- --log "$log" --log-format "$fmt" create --bundle "$dir" "$id" \
		>"$dir/out" 2>"$dir/err" </dev/null || rc=$?
	((rc == 1)) || fail "exit status $rc, not 1"
	[[ $(wc -l <"$log") == 1 ]] || fail "not one line in the log: $(cat "$log")"
	[[ $(wc -l <"$dir/err") == 1 ]] || fail "not one line on stderr: $(cat "$dir/err")"
	grep -q 'outside the directories' "$dir/err" || fail "stderr: $(cat "$dir/err")"
	if [[ $fmt == json ]]; then
		jq -e '.level == "error" and (.msg | test("^seccomp-recorder runtime: .*outside")) and
			(.time | test("^[0-9]{4}-"))' "$log" >/dev/null || fail "bad JSON log line: $(cat "$log")"
	else
		grep -Eq '^time="[0-9T:Z-]+" level=error msg="seccomp-recorder runtime: .*outside' "$log" ||
			fail "bad text log line: $(cat "$log")"
	fi
	runc state "$id" >/dev/null 2>&1 && fail "runc created the container anyway"
	[[ ! -e /etc/sr-wrapper-test.json ]] || fail "a file was created outside"
	jq -e '.hooks == null' "$dir/config.json" >/dev/null || fail "a refused config.json was changed"
}
scenario "a refusal: exit 1, one line on stderr and in --log (--log-format json)" log_refusal json
scenario "a refusal: the same in logrus's text format" log_refusal text

missing_runtime() {
	local out rc=0
	out=$("$SR_BIN" runtime --runtime /nonexistent/runc -- --version 2>&1) || rc=$?
	((rc == 1)) || fail "exit status $rc"
	[[ $(wc -l <<<"$out") == 1 && $out == *"/nonexistent/runc"* ]] || fail "message: $out"
	out=$("$SR_BIN" runtime --allow-dir relative -- --version 2>&1) && fail "a relative --allow-dir was accepted"
	[[ $out == *"not an absolute path"* ]] || fail "message: $out"
	out=$("$SR_BIN" runtime --runtime 2>&1) && fail "--runtime without a value was accepted"
	[[ $(wc -l <<<"$out") == 1 ]] || fail "message: $out"
}
scenario "a missing runtime or a bad option of ours: one line, non-zero" missing_runtime
