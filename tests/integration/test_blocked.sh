# A syscall the workload never made stays blocked under its profile.
require_privileges
p=$SR_WORK/ls.json
record runc "$p" "" -- ls /
has_syscall "$p" mkdir && fail "the ls profile allows mkdir"

d=$SR_WORK/free
enforce runc "" "$d" -- mkdir /tmp/free-$$ || fail "mkdir without a profile failed: $(cat "$d/err")"
rmdir "$(rootfs)/tmp/free-$$"

for rt in runc crun; do
	[[ $rt == crun ]] && ! command -v crun >/dev/null && continue
	d=$SR_WORK/enforce-$rt
	if enforce "$rt" "$p" "$d" -- mkdir /tmp/blocked-$$; then
		fail "mkdir succeeded under the ls profile with $rt"
	fi
	grep -Eq 'Function not implemented|Operation not permitted' "$d/out" "$d/err" ||
		fail "mkdir failed for another reason under $rt: $(cat "$d/out" "$d/err")"
	[[ ! -e $(rootfs)/tmp/blocked-$$ ]] || fail "the directory was created under $rt"
	log "ok: mkdir blocked under $rt: $(cat "$d/out" "$d/err" | head -1)"
done
assert_no_leftovers
