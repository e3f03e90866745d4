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
# Both runtimes install the filter at a different point depending on
# noNewPrivileges; the profile must start the container either way.
for rt in runc crun; do
	[[ $rt == crun ]] && ! command -v crun >/dev/null && continue
	for nnp in true false; do
		d=$SR_WORK/enforce-$rt-$nnp
		bundle "$d" - "$p" -- ls /
		bundle_edit "$d" --argjson nnp $nnp '.process.noNewPrivileges = $nnp'
		run_container "$rt" "$d" || fail "ls / under the recorded profile failed with $rt (noNewPrivileges=$nnp): $(cat "$d/err")"
		diff -u "$p.out" "$d/out" || fail "output differs under enforcement with $rt"
		log "ok: recorded under $runtime, ran under $rt with noNewPrivileges=$nnp"
	done
done
assert_no_leftovers
