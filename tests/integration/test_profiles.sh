# merge, diff and check on real profiles: a recorded `ls` profile against
# the default profiles podman and Docker ship, a profile allowing kexec_load,
# order-independent merges, and schema fidelity: reading and writing back
# the real default profiles keeps every rule and field. Fidelity, check,
# diff and merge are scenarios of their own.
require_privileges
defaults=${SR_DEFAULT_PROFILES:?}
# The engines' default profiles serve as `if:` baselines from where they are.
SR_HOOK_ARGS+=(--allow-read "$defaults")
podman=$defaults/podman.json
moby=$defaults/moby.json
[[ -s $podman && -s $moby ]] || skip "no default profiles in $defaults (tests/profiles/fetch.sh)"

same_json() { cmp -s <(jq -S . "$1") <(jq -S . "$2"); }

# ls_and_kexec: a recorded `ls /` profile (ls_prof) and the same allowing
# kexec_load (kexec), made by each scenario that compares them.
ls_and_kexec() {
	ls_prof=$SR_WORK/ls.json
	record runc "$ls_prof" "" -- ls /
	kexec=$SR_WORK/kexec.json
	jq '.syscalls[0].names += ["kexec_load"]' "$ls_prof" >"$kexec"
}

# Fidelity, through the real write path: recording `true` with a default
# profile as input adds nothing (everything it makes is allowed there).
fidelity() {
	for f in "$podman" "$moby"; do
		out=$SR_WORK/rt-$(basename "$f")
		"$SR_BIN" record -i "$f" -o "$out" -- true 2>/dev/null || fail "record -i $f failed"
		same_json "$f" "$out" || {
			diff <(jq -S . "$f") <(jq -S . "$out") | head -20
			fail "$f did not survive reading and writing back"
		}
	done
	# ... and through the hook, where the runtime's own syscalls join in.
	out=$SR_WORK/rt-hook.json
	record runc "$out" "$podman" -- ls /
	cmp -s <(jq -S 'del(.syscalls)' "$podman") <(jq -S 'del(.syscalls)' "$out") ||
		fail "the hook changed the top-level fields of podman's profile"
	n=$(jq '.syscalls | length' "$podman")
	cmp -s <(jq -S '.syscalls' "$podman") <(jq -S --argjson n "$n" '.syscalls[:$n]' "$out") ||
		fail "the hook changed podman's rules"
	log "ok: podman's and Docker's default profiles round-trip as JSON"
}
scenario "podman's and Docker's default profiles round-trip as JSON (record -i and the hook)" fidelity

# check --subset-of: a recorded ls is within podman's default.
check_profiles() {
	ls_and_kexec
	"$SR_BIN" check --subset-of "$podman" "$ls_prof" >"$SR_WORK/check.out" ||
		fail "a recorded ls is not a subset of podman's default: $(cat "$SR_WORK/check.out")"
	[[ ! -s $SR_WORK/check.out ]] || fail "check printed something for a subset"
	# Docker's default allows clone only for some flag values (an argument
	# condition); the recording allows it outright, so it is not a subset, and
	# clone is the only reason.
	rc=0
	"$SR_BIN" check --subset-of "$moby" "$ls_prof" >"$SR_WORK/check.out" || rc=$?
	[[ $rc == 1 ]] || fail "an unconditional clone passed against Docker's conditional one"
	grep -v 'allows `clone`,' "$SR_WORK/check.out" && fail "more than clone is outside Docker's default"

	# A profile allowing kexec_load is not, and says why.
	rc=0
	"$SR_BIN" check --subset-of "$podman" "$kexec" >"$SR_WORK/check.out" || rc=$?
	[[ $rc == 1 ]] || fail "check of a kexec_load profile exited $rc, not 1"
	grep -q 'allows `kexec_load`' "$SR_WORK/check.out" || fail "check did not name kexec_load: $(cat "$SR_WORK/check.out")"
	[[ $(wc -l <"$SR_WORK/check.out") == 1 ]] || fail "check named more than kexec_load: $(cat "$SR_WORK/check.out")"
	# podman's default is not a subset of a recorded profile, conditions and all.
	rc=0
	"$SR_BIN" check --subset-of "$ls_prof" "$podman" >/dev/null || rc=$?
	[[ $rc == 1 ]] || fail "podman's default called a subset of a recorded ls profile"
	# Every profile is a subset of itself, conditional rules included.
	for f in "$podman" "$moby" "$ls_prof"; do
		"$SR_BIN" check --subset-of "$f" "$f" >/dev/null || fail "$f is not a subset of itself"
	done
	log "ok: check"
}
scenario "check --subset-of: a recorded ls against the defaults, a kexec_load profile, each profile against itself" check_profiles

# diff: exit 1 and a + line when NEW allows more; 0 and a - line the other way.
diff_profiles() {
	ls_and_kexec
	rc=0
	"$SR_BIN" diff "$ls_prof" "$kexec" >"$SR_WORK/diff.out" || rc=$?
	[[ $rc == 1 ]] || fail "diff OLD NEW with NEW allowing more exited $rc"
	[[ $(cat "$SR_WORK/diff.out") == "+ kexec_load" ]] || fail "diff said: $(cat "$SR_WORK/diff.out")"
	rc=0
	"$SR_BIN" diff "$kexec" "$ls_prof" >"$SR_WORK/diff.out" || rc=$?
	[[ $rc == 0 ]] || fail "diff with NEW allowing less exited $rc"
	[[ $(cat "$SR_WORK/diff.out") == "- kexec_load" ]] || fail "diff said: $(cat "$SR_WORK/diff.out")"
	"$SR_BIN" diff --json "$ls_prof" "$kexec" >"$SR_WORK/diff.json" || true
	jq -e '.allowsMore == true and .added.syscalls == ["kexec_load"] and .removed.syscalls == []' \
		"$SR_WORK/diff.json" >/dev/null || fail "diff --json: $(cat "$SR_WORK/diff.json")"
	# Recorded under a compat architecture: an architecture of its own.
	jq '.architectures += ["SCMP_ARCH_X86"]' "$ls_prof" >"$SR_WORK/x86.json"
	rc=0
	"$SR_BIN" diff "$ls_prof" "$SR_WORK/x86.json" >"$SR_WORK/diff.out" || rc=$?
	[[ $rc == 1 ]] && grep -q "^+ architecture SCMP_ARCH_X86$" "$SR_WORK/diff.out" ||
		fail "a new architecture is not reported: rc $rc, $(cat "$SR_WORK/diff.out")"
	# Errors: 2 and one line.
	rc=0
	"$SR_BIN" diff "$ls_prof" "$SR_WORK/missing.json" 2>"$SR_WORK/err" || rc=$?
	[[ $rc == 2 && $(wc -l <"$SR_WORK/err") == 1 ]] || fail "diff of a missing file: rc $rc, $(cat "$SR_WORK/err")"
	echo '{"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["opne"], "action": "SCMP_ACT_ALLOW"}]}' >"$SR_WORK/bad.json"
	rc=0
	"$SR_BIN" check --subset-of "$podman" "$SR_WORK/bad.json" 2>"$SR_WORK/err" || rc=$?
	[[ $rc == 2 ]] && grep -q 'unknown syscall `opne`' "$SR_WORK/err" || fail "check of a bad profile: rc $rc, $(cat "$SR_WORK/err")"
	log "ok: diff"
}
scenario "diff: exit status and lines either way, --json, a new architecture, errors" diff_profiles

# merge: the union runs both workloads, and is the same bytes in any order.
merge_profiles() {
	ls_and_kexec
	mk=$SR_WORK/mkdir.json
	record runc "$mk" "" -- mkdir /tmp/merge-$$
	rmdir "$(rootfs)/tmp/merge-$$"
	"$SR_BIN" merge -o "$SR_WORK/m1.json" "$ls_prof" "$mk" "$kexec" || fail "merge failed"
	"$SR_BIN" merge -o "$SR_WORK/m2.json" "$kexec" "$mk" "$ls_prof" || fail "merge failed"
	cmp "$SR_WORK/m1.json" "$SR_WORK/m2.json" || fail "merge output depends on input order"
	"$SR_BIN" check --subset-of "$SR_WORK/m1.json" "$kexec" >/dev/null || fail "an input is not within the merge"
	"$SR_BIN" check --subset-of "$SR_WORK/m1.json" "$mk" >/dev/null || fail "an input is not within the merge"
	d=$SR_WORK/run-merged
	enforce runc "$SR_WORK/m1.json" "$d" -- mkdir /tmp/merge2-$$ || fail "mkdir under the merged profile failed: $(cat "$d/err")"
	rmdir "$(rootfs)/tmp/merge2-$$"
	# Merging the defaults with a recording keeps each within the union.
	"$SR_BIN" merge -o "$SR_WORK/m3.json" "$moby" "$ls_prof" "$podman" || fail "merge of the defaults failed"
	"$SR_BIN" merge -o "$SR_WORK/m4.json" "$podman" "$moby" "$ls_prof" || fail "merge of the defaults failed"
	cmp "$SR_WORK/m3.json" "$SR_WORK/m4.json" || fail "merge of the defaults depends on input order"
	for f in "$podman" "$moby" "$ls_prof"; do
		"$SR_BIN" check --subset-of "$SR_WORK/m3.json" "$f" >"$SR_WORK/check.out" ||
			fail "$f is not within the merge of it: $(cat "$SR_WORK/check.out")"
	done
	jq -e 'has("architectures") | not' "$SR_WORK/m3.json" >/dev/null || fail "the merge has both architectures and archMap"
	# merge never overwrites a file that is not a profile.
	echo "precious" >"$SR_WORK/precious.txt"
	rc=0
	"$SR_BIN" merge -o "$SR_WORK/precious.txt" "$ls_prof" 2>"$SR_WORK/err" || rc=$?
	[[ $rc == 1 && $(cat "$SR_WORK/precious.txt") == precious ]] || fail "merge overwrote a non-profile file"
	log "ok: merge"
}
scenario "merge: the union runs both workloads, is the same in any order, keeps each input within it, never overwrites a non-profile" merge_profiles
