# Record `ls /` under runc, then run the same container with the profile.
require_privileges
runtime=${ROUNDTRIP_RUNTIME:-runc}
[[ $runtime == crun ]] && require_crun
p=$SR_WORK/ls.json
record "$runtime" "$p" "" -- ls /
log "profile: $(jq -c '[.syscalls[].names[]]' "$p")"
has_syscall "$p" getdents64 || fail "getdents64 missing from the ls profile"
[[ $(jq -r .defaultAction "$p") == SCMP_ACT_ERRNO ]] || fail "defaultAction is not SCMP_ACT_ERRNO"
[[ $(jq -r .defaultErrnoRet "$p") == 38 ]] || fail "defaultErrnoRet is not 38"
[[ $(jq -c .architectures "$p") == '["SCMP_ARCH_X86_64"]' ]] || fail "architectures: $(jq -c .architectures "$p")"
for rt in runc crun; do
	[[ $rt == crun ]] && ! command -v crun >/dev/null && continue
	d=$SR_WORK/enforce-$rt
	enforce "$rt" "$p" "$d" -- ls / || fail "ls / under the recorded profile failed with $rt: $(cat "$d/err")"
	diff -u "$p.out" "$d/out" || fail "output differs under enforcement with $rt"
	log "ok: recorded under $runtime, ran under $rt"
done
assert_no_leftovers
