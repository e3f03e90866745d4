# A host process hammering a syscall the container never makes, during
# tracing, does not put it in the profile.
require_privileges
loop=${SR_SYSCALL_LOOP:?}
getcpu=$(printf '#include <sys/syscall.h>\nSYS_getcpu\n' | cc -E -P - | tail -1)
[[ $getcpu =~ ^[0-9]+$ ]] || fail "cannot find the getcpu syscall number"
p=$SR_WORK/iso.json
dir=$SR_WORK/bundle
bundle "$dir" "of:$p" "" -- sleep 3
"$loop" "$getcpu" 5 >"$SR_WORK/loop.out" &
looper=$!
run_container runc "$dir" || fail "container failed: $(cat "$dir/err")"
wait $looper
log "host loop made $(cat "$SR_WORK/loop.out") getcpu calls meanwhile"
has_syscall "$p" getcpu && fail "the host's getcpu leaked into the profile"
has_syscall "$p" nanosleep || has_syscall "$p" clock_nanosleep || fail "the container's sleep is missing"
assert_no_leftovers
