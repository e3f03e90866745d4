# Learn mode under runc: flush: checkpoints visible while the container
# runs; `status` lists the tracer; a baseline (if:) gets a syslog alert for
# each new syscall it does not allow; kill -9 of the tracer keeps the last
# checkpoint and leaves nothing attached; mode:log and errno:; a full disk
# or a removed directory at checkpoint time keeps the old file and is
# retried. Containers wait on flag files in their /tmp (the rootfs's).
# Each numbered part is a scenario of its own.
require_privileges
start_syslog
# The baseline is read from the source tree.
SR_HOOK_ARGS+=(--allow-read "$SR_SOURCE/tests/data")
tmp=$(rootfs)/tmp
# 1. Checkpoints, status, alerts.
checkpoints() {
	p=$SR_WORK/learn.json
	start_staged learn "$p" ";if:$SR_SOURCE/tests/data/blocks-mkdir.json;flush:1"
	"$SR_BIN" status >"$SR_WORK/status" || fail "status failed"
	grep -q "^$id	[0-9]*	[0-9]*	20..-..-..T..:..:..Z	20..-..-..T..:..:..Z	$p\$" "$SR_WORK/status" ||
		fail "status does not show the tracer: $(cat "$SR_WORK/status")"
	flag go
	wait_for 10 grep -q "syscall \`mkdir\` (SCMP_ARCH_X86_64) is not allowed by the baseline" "$SR_SYSLOG" ||
		fail "no syslog alert for mkdir: $(grep seccomp-recorder "$SR_SYSLOG")"
	wait_for 10 has_syscall "$p" rmdir || fail "the checkpoint after the flag lacks rmdir"
	[[ $(grep -c "syscall \`mkdir\`" "$SR_SYSLOG") == 1 ]] || fail "mkdir was reported more than once"

	flag end
	wait $SR_RUNNER || fail "the container failed: $(cat "$dir/err")"
	has_syscall "$p" mkdir && fail "mkdir became allowed although the baseline blocks it"
	"$SR_BIN" status | grep -q "^$id	" && fail "status still lists a finished tracer"
	log "ok: checkpoints while running, status, one alert per new syscall"
}
scenario "checkpoints while running, status, one alert per new syscall" checkpoints

# 2. kill -9 of the tracer: the last checkpoint stays, nothing stays attached,
#    the container runs to its end.
killed_tracer() {
	p=$SR_WORK/killed.json
	start_staged killed "$p" ";flush:1"
	kill -9 "$(tracer_pid)"
	cp "$p" "$SR_WORK/at-kill.json"
	flag go
	flag end
	wait $SR_RUNNER || fail "the container failed after its tracer was killed: $(cat "$dir/err")"
	cmp -s "$p" "$SR_WORK/at-kill.json" || fail "the profile changed after the tracer died"
	jq -e .syscalls "$p" >/dev/null || fail "the last checkpoint is not valid JSON"
	"$SR_BIN" status | grep -q "^$id	" && fail "status lists a killed tracer"
	log "ok: kill -9 keeps the last checkpoint"
	assert_no_leftovers killed
}
scenario "kill -9 of the tracer keeps the last checkpoint and leaves nothing attached" killed_tracer

# 3. mode:log and errno:.
mode_errno() {
	p=$SR_WORK/log.json
	dir=$SR_WORK/modelog
	bundle "$dir" "of:$p;mode:log" "" -- true
	run_container runc "$dir" || fail "mode:log container failed: $(cat "$dir/err")"
	jq -e '.defaultAction == "SCMP_ACT_LOG" and (has("defaultErrnoRet") | not)' "$p" >/dev/null ||
		fail "mode:log wrote $(jq -c 'del(.syscalls)' "$p")"
	d=$SR_WORK/log-enforced
	enforce runc "$p" "$d" -- mkdir /tmp/logged-$$ || fail "an unrecorded syscall failed under a mode:log profile"
	rmdir "$tmp/logged-$$"
	p=$SR_WORK/eperm.json
	dir=$SR_WORK/errno
	bundle "$dir" "of:$p;errno:EPERM" "" -- true
	run_container runc "$dir" || fail "errno: container failed: $(cat "$dir/err")"
	jq -e '.defaultAction == "SCMP_ACT_ERRNO" and .defaultErrnoRet == 1' "$p" >/dev/null ||
		fail "errno:EPERM wrote $(jq -c 'del(.syscalls)' "$p")"
	d=$SR_WORK/eperm-enforced
	enforce runc "$p" "$d" -- mkdir /tmp/eperm-$$ && fail "mkdir passed a profile without it"
	grep -q "Operation not permitted" "$d/err" "$d/out" || fail "the denial was not EPERM: $(cat "$d/out" "$d/err")"
	log "ok: mode:log and errno:EPERM"
}
scenario "mode:log and errno:EPERM" mode_errno

# 4. A full disk, then a removed directory, at checkpoint time.
full_disk() {
	mnt=$SR_WORK/small
	mkdir -p "$mnt"
	mount -t tmpfs -o size=256k tmpfs "$mnt"
	trap 'umount -l "$mnt" 2>/dev/null' EXIT
	mkdir "$mnt/out"
	p=$mnt/out/full.json
	start_staged full "$p" ";flush:1"
	dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null || true
	cp "$p" "$SR_WORK/before-full.json"
	flag go
	wait_for 10 grep -q "container \`$id\`: checkpoint failed.*No space left on device" "$SR_SYSLOG" ||
		fail "no logged checkpoint failure on a full disk: $(grep seccomp-recorder "$SR_SYSLOG" | tail -3)"
	cmp -s "$p" "$SR_WORK/before-full.json" || fail "the previous checkpoint changed on a full disk"
	[[ -z $(find "$mnt/out" -name '.*.tmp') ]] || fail "a temporary file was left on the full disk"
	# Then the directory is removed (and the disk has room again): still
	# failing, logged, retried; once the directory is made anew, written there.
	rm -rf "$mnt/out"
	rm -f "$mnt/filler"
	wait_for 10 grep -q "container \`$id\`: checkpoint failed.*No such file or directory" "$SR_SYSLOG" ||
		fail "no logged failure for the removed directory: $(grep seccomp-recorder "$SR_SYSLOG" | tail -3)"
	mkdir "$mnt/out"
	wait_for 10 has_syscall "$p" rmdir || fail "the checkpoint was not retried into the re-made directory"
	has_syscall "$p" sync || fail "the retried checkpoint lost what was seen before"
	flag end
	wait $SR_RUNNER || fail "the container failed: $(cat "$dir/err")"
	log "ok: full disk and removed directory keep what was seen"
}
scenario "a full disk and a removed directory at checkpoint time keep what was seen" full_disk

scenario "nothing of ours stays loaded" assert_no_leftovers
