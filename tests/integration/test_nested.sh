# A syscall made only inside `unshare -p -f -m` within the container counts.
require_privileges
p=$SR_WORK/nested.json
dir=$SR_WORK/bundle
bundle "$dir" "of:$p" "" -- sh -c 'unshare -p -f -m sync && echo nested-done'
# unshare needs CAP_SYS_ADMIN inside the container.
bundle_edit "$dir" '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
run_container runc "$dir" || fail "nested container failed: $(cat "$dir/err")"
grep -q nested-done "$dir/out" || fail "the nested command did not run"
has_syscall "$p" sync || fail "sync, made only in the nested namespaces, is missing: $(jq -c '[.syscalls[].names[]]' "$p")"
has_syscall "$p" unshare || fail "unshare is missing"
log "ok: nested namespaces recorded"
assert_no_leftovers
