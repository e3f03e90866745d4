# A container sharing the host's PID namespace: its own processes are
# recorded, and nothing from the host.
require_privileges
loop=${SR_SYSCALL_LOOP:?}
getcpu=$(printf '#include <sys/syscall.h>\nSYS_getcpu\n' | cc -E -P - | tail -1)
p=$SR_WORK/hostpid.json
dir=$SR_WORK/bundle
bundle "$dir" "of:$p" "" -- sh -c 'sleep 2; sync'
bundle_edit "$dir" '.linux.namespaces |= map(select(.type != "pid"))'
"$loop" "$getcpu" 4 >"$SR_WORK/loop.out" &
looper=$!
run_container runc "$dir" || fail "container failed: $(cat "$dir/err")"
wait $looper
has_syscall "$p" getcpu && fail "the host's getcpu leaked into the profile"
has_syscall "$p" sync || fail "the container's sync is missing"
# ...and the profile runs the workload
d=$SR_WORK/enforce
enforce runc "$p" "$d" -- sh -c 'sleep 2; sync' || fail "workload failed under its profile: $(cat "$d/err")"
assert_no_leftovers
