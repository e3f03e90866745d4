# if: merges: the result runs both workloads; an input that blocks mkdir
# keeps it blocked.
require_privileges
p1=$SR_WORK/ls.json
p2=$SR_WORK/ls-mkdir.json
record runc "$p1" "" -- ls /
record runc "$p2" "$p1" -- mkdir /tmp/m1-$$
rmdir "$(rootfs)/tmp/m1-$$"
has_syscall "$p2" mkdir || fail "mkdir missing from the merged profile"
has_syscall "$p2" getdents64 || fail "the merged profile lost the ls syscalls"
d=$SR_WORK/run-ls
enforce runc "$p2" "$d" -- ls / || fail "ls under the merged profile failed: $(cat "$d/err")"
diff -u "$p1.out" "$d/out" || fail "ls output differs under the merged profile"
d=$SR_WORK/run-mkdir
enforce runc "$p2" "$d" -- mkdir /tmp/m2-$$ || fail "mkdir under the merged profile failed: $(cat "$d/out" "$d/err")"
rmdir "$(rootfs)/tmp/m2-$$"

# the same file as input and output accumulates
cp "$p1" "$SR_WORK/acc.json"
record runc "$SR_WORK/acc.json" "$SR_WORK/acc.json" -- mkdir /tmp/m3-$$
rmdir "$(rootfs)/tmp/m3-$$"
has_syscall "$SR_WORK/acc.json" mkdir && has_syscall "$SR_WORK/acc.json" getdents64 ||
	fail "if: = of: did not accumulate"

# an input that blocks mkdir keeps it blocked
blocks=$SR_WORK/blocks-mkdir.json
cp "$SR_SOURCE/tests/data/blocks-mkdir.json" "$blocks"
p3=$SR_WORK/blocked.json
record runc "$p3" "$blocks" -- mkdir /tmp/m4-$$
rmdir "$(rootfs)/tmp/m4-$$"
has_syscall "$p3" mkdir && fail "mkdir became allowed although the input blocks it"
jq -e '.syscalls[] | select(.action == "SCMP_ACT_ERRNO") | .names | index("mkdir")' "$p3" >/dev/null ||
	fail "the input's blocking rule was not kept"
d=$SR_WORK/run-blocked
if enforce runc "$p3" "$d" -- mkdir /tmp/m5-$$; then
	fail "mkdir succeeded although the input blocks it"
fi
assert_no_leftovers
