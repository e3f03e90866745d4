# Two containers traced at once: each profile holds only its own syscalls.
require_privileges
pa=$SR_WORK/a.json
pb=$SR_WORK/b.json
da=$SR_WORK/a
db=$SR_WORK/b
bundle "$da" "of:$pa" "" -- sh -c 'sleep 1; sync; sleep 1'
bundle "$db" "of:$pb" "" -- sh -c 'sleep 1; mkdir /tmp/conc-b; sleep 1'
run_container runc "$da" & ra=$!
run_container runc "$db" & rb=$!
wait $ra || fail "container a failed: $(cat "$da/err")"
wait $rb || fail "container b failed: $(cat "$db/err")"
rmdir "$(rootfs)/tmp/conc-b"
has_syscall "$pa" sync || fail "a lacks its sync"
has_syscall "$pb" mkdir || fail "b lacks its mkdir"
has_syscall "$pa" mkdir && fail "b's mkdir leaked into a's profile"
has_syscall "$pb" sync && fail "a's sync leaked into b's profile"
log "ok: concurrent containers kept apart"
assert_no_leftovers
