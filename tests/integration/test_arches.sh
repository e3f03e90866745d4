# Syscalls through the i386 (int $0x80) and x32 ABIs are recorded under
# their own architectures and names, and allowed again under the profile.
require_privileges
[[ $(uname -m) == x86_64 ]] || skip "x86_64 only"
install -m 0755 "${SR_ABI_PROBE:?}" "$(rootfs)/bin/abi_probe"
p=$SR_WORK/abi.json
record runc "$p" "" -- /bin/abi_probe
log "recorded: $(cat "$p.out")"
grep -q 'i386 ok' "$p.out" || skip "this kernel has no i386 emulation"
jq -e '.architectures | index("SCMP_ARCH_X86") != null' "$p" >/dev/null || fail "SCMP_ARCH_X86 missing: $(jq -c .architectures "$p")"
jq -e '.architectures | index("SCMP_ARCH_X32") != null' "$p" >/dev/null || fail "SCMP_ARCH_X32 missing: $(jq -c .architectures "$p")"
has_syscall "$p" sync || fail "sync, made only through the i386 ABI, is missing"
d=$SR_WORK/enforce
enforce runc "$p" "$d" -- /bin/abi_probe || fail "the probe failed under its profile: $(cat "$d/out" "$d/err")"
diff -u "$p.out" "$d/out" || fail "the ABIs behave differently under the profile"
# ...while a profile recorded without i386 calls blocks them wholesale.
q=$SR_WORK/native.json
record runc "$q" "" -- true
[[ $(jq -c .architectures "$q") == '["SCMP_ARCH_X86_64"]' ]] || fail "native-only profile lists $(jq -c .architectures "$q")"
d=$SR_WORK/blocked
if enforce runc "$q" "$d" -- /bin/abi_probe; then fail "i386 syscalls passed a native-only profile: $(cat "$d/out")"; fi
log "under the native-only profile: $(cat "$d/out" "$d/err")"
assert_no_leftovers
