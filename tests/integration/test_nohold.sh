# The tracer never holds the runtime: `runc run true` returns (a hang shows
# up as the timeout), the profile is complete then, and nothing is left.
require_privileges
for rt in runc crun; do
	[[ $rt == crun ]] && ! command -v crun >/dev/null && continue
	for i in 1 2 3; do
		p=$SR_WORK/true-$rt-$i.json
		dir=$SR_WORK/bundle-$rt-$i
		bundle "$dir" "of:$p" "" -- true
		run_container "$rt" "$dir" || fail "$rt run true failed: $(cat "$dir/err")"
		[[ -s $p ]] || fail "no profile when $rt returned"
		jq -e '.syscalls[0].names | length > 0' "$p" >/dev/null || fail "empty profile: $(cat "$p")"
		assert_no_leftovers
	done
	log "ok: $rt returned with the profile complete ($(jq '.syscalls[0].names | length' "$p") syscalls)"
done

# A container whose workload never starts (exec fails) leaves an existing
# profile as it was, and nothing behind.
p=$SR_WORK/keep.json
echo '{"defaultAction":"SCMP_ACT_ALLOW"}' >"$p"
before=$(cat "$p")
dir=$SR_WORK/bundle-noexec
bundle "$dir" "of:$p" "" -- /does/not/exist
if run_container runc "$dir"; then fail "a container with a missing command started"; fi
[[ $(cat "$p") == "$before" ]] || fail "the profile changed although the workload never ran"
assert_no_leftovers
log "ok: failed exec leaves the profile untouched"

# A result left behind by an earlier container with the same id is not
# reported as this one's.
id=$(new_id)
mkdir -p /run/seccomp-recorder
printf 'error\nstale result of an earlier container\n' >"/run/seccomp-recorder/$id.result"
p=$SR_WORK/reused.json
dir=$SR_WORK/bundle-reused
bundle "$dir" "of:$p" "" -- true
run_container runc "$dir" "$id" || fail "a stale result failed the new container: $(cat "$dir/err")"
[[ -s $p && ! -e /run/seccomp-recorder/$id.result ]] || fail "stale result not replaced"
log "ok: a stale result of a reused id is ignored"
