# Syscalls through the i386 (int $0x80) and x32 ABIs are recorded under
# their own architectures and names, and allowed again under the profile.
require_privileges
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"
install -m 0755 "${SR_ABI_PROBE:?}" "$(rootfs)/bin/abi_probe"
p=$SR_WORK/abi.json
record runc "$p" "" -- /bin/abi_probe
log "recorded: $(cat "$p.out")"
i386=1
if grep -q 'i386 unavailable' "$p.out"; then
	# int $0x80 faults here (seen on PVM guests): x32 and native still count.
	log "this machine cannot make i386 syscalls; checking x32 and native only"
	i386=0
fi
((i386 == 0)) || grep -q 'i386 ok' "$p.out" || fail "i386 syscalls failed: $(cat "$p.out")"
if ((i386)); then
	jq -e '.architectures | index("SCMP_ARCH_X86") != null' "$p" >/dev/null || fail "SCMP_ARCH_X86 missing: $(jq -c .architectures "$p")"
	has_syscall "$p" sync || fail "sync, made only through the i386 ABI, is missing"
fi
jq -e '.architectures | index("SCMP_ARCH_X32") != null' "$p" >/dev/null || fail "SCMP_ARCH_X32 missing: $(jq -c .architectures "$p")"
d=$SR_WORK/enforce
enforce runc "$p" "$d" -- /bin/abi_probe || fail "the probe failed under its profile: $(cat "$d/out" "$d/err")"
diff -u "$p.out" "$d/out" || fail "the ABIs behave differently under the profile"
# ...while a profile recorded without i386 calls blocks them wholesale.
q=$SR_WORK/native.json
record runc "$q" "" -- true
[[ $(jq -c .architectures "$q") == '["SCMP_ARCH_X86_64"]' ]] || fail "native-only profile lists $(jq -c .architectures "$q")"
if ((i386)); then
	d=$SR_WORK/blocked
	if enforce runc "$q" "$d" -- /bin/abi_probe; then fail "i386 syscalls passed a native-only profile: $(cat "$d/out")"; fi
	log "under the native-only profile: $(cat "$d/out" "$d/err")"
fi
assert_no_leftovers
