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
