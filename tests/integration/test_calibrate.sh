# seccomp-recorder calibrate: measures what each runtime does after
# installing the filter (crun 1.27.1's close_range, runc 1.2+'s statx and
# openat2, nothing beyond the built-in set for Debian's runtimes), stores it
# for the hook, and the next recording allows what it stored. Also the
# boundary observed while recording under podman's default profile against
# what calibrate measured for that runtime. The stored calibrations of the
# host are put back as they were.
require_privileges
require_crun
store=/var/lib/seccomp-recorder/runtimes
saved=$SR_WORK/saved-runtimes
rm -rf "$saved"
[[ -d $store ]] && cp -a "$store" "$saved"
restore_store() {
	rm -rf "$store"
	if [[ -d $saved ]]; then cp -a "$saved" "$store"; fi
	cleanup_containers
}
trap restore_store EXIT
rm -rf "$store"

# calibrate [ARGS...] > $SR_WORK/cal.out
calibrate() {
	"$SR_BIN" calibrate --repeat 3 "$@" >"$SR_WORK/cal.out" 2>"$SR_WORK/cal.err" ||
		fail "calibrate $* failed: $(cat "$SR_WORK/cal.err") $(cat "$SR_WORK/cal.out")"
}
stored_for() { # VERSION-PREFIX: the stored calibration's file
	grep -l "\"version\": \"$1" "$store"/*.json 2>/dev/null | head -1
}
stored_has() { # FILE NAME
	jq -e --arg n "$2" '.syscalls | index($n) != null' "$1" >/dev/null
}

debian() {
	calibrate
	local n
	n=$(grep -c "beyond the built-in set (0): none" "$SR_WORK/cal.out") || true
	((n == 2)) || fail "Debian's runc and crun need something beyond the built-in set: $(cat "$SR_WORK/cal.out")"
	stored_has "$(stored_for "runc version 1.1.5")" execve || fail "runc 1.1.5: no execve stored: $(ls "$store")"
	stored_has "$(stored_for "crun version 1.8.1")" setresuid || fail "crun 1.8.1: no setresuid stored"
	[[ $(stat -c '%U %a' "$store") == "root 700" ]] || fail "the store is not root's alone: $(stat -c '%U %a' "$store")"
	"$SR_BIN" calibrate --show | grep -q "^runc version 1.1.5" || fail "--show does not list runc 1.1.5"
	log "ok: $(grep -c '^[a-z]* version' "$SR_WORK/cal.out") runtimes, nothing beyond the built-in set"
}
scenario "Debian's runc and crun: measured and stored, nothing beyond the built-in set" debian

newer() {
	local shared=$SR_SOURCE/../shared/runtimes args=() v f
	[[ -d $shared ]] || { log "no $shared: newer runtimes not measured"; return 0; }
	for v in 1.2.9 1.3.6 1.4.3; do
		args+=(--runtime "$(bash "$shared/runc-new" "$v" "$SR_ROOTFS_CACHE/runtimes/runc-$v")")
	done
	args+=(--runtime "$(bash "$shared/crun-new" "$SR_ROOTFS_CACHE/runtimes/crun-1.27.1")")
	calibrate "${args[@]}"
	for v in 1.2.9 1.3.6 1.4.3; do
		f=$(stored_for "runc version $v")
		[[ -n $f ]] || fail "runc $v: nothing stored"
		stored_has "$f" statx && stored_has "$f" openat2 ||
			fail "runc $v: statx or openat2 not found: $(jq -c .syscalls "$f")"
	done
	f=$(stored_for "crun version 1.27.1")
	stored_has "$f" close_range || fail "crun 1.27.1: close_range not found: $(jq -c .syscalls "$f")"
	log "ok: runc 1.2.9, 1.3.6, 1.4.3: statx and openat2; crun 1.27.1: close_range"
}
scenario "runc 1.2.9, 1.3.6, 1.4.3 and crun 1.27.1: statx, openat2 and close_range found" newer

# A runtime that needs something nobody built in: the next recording allows
# it. mlock2 stands for it (busybox ls never makes it).
used_by_hook() {
	local f p=$SR_WORK/after-cal.json
	[[ -n $(ls "$store"/*.json 2>/dev/null) ]] || calibrate --runtime "$(command -v runc)"
	f=$(ls "$store"/*.json | head -1)
	jq '.syscalls += ["mlock2"] | .syscalls |= sort' "$f" >"$f.new" && mv "$f.new" "$f"
	record runc "$p" "" -- ls /
	jq -e '[.syscalls[] | select(.comment | test("runc 1.1-1.5")) | .names[]] | index("mlock2") != null' "$p" >/dev/null ||
		fail "the stored calibration was not used: $(jq -c '[.syscalls[] | {comment: .comment[0:30], names}]' "$p")"
	# A file that is not a calibration is left out, with a warning.
	echo '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": []}' >"$store/forged.json"
	record runc "$p" "" -- ls /
	log "ok: the next hook allows what calibrate stored"
}
scenario "the next recording allows what calibrate stored" used_by_hook

# The hook refuses to write where calibrations live, whatever --allow-dir.
refuses_store() {
	SR_HOOK_ARGS=(hook --allow-dir /var/lib/seccomp-recorder)
	expect_refused "of:$store/x.json" "own directory"
	expect_refused "of:/var/lib/seccomp-recorder//runtimes/x.json" "empty component"
	[[ ! -e $store/x.json ]] || fail "the hook wrote into the calibration store"
	log "ok: $SR_REFUSAL"
}
scenario "no annotation may write into the calibration store" refuses_store

# Under podman's default profile the runtime's filter install is visible:
# what the hook observes is what calibrate measured for that runtime (but
# for the Go runtime's timing-dependent calls on runc's thread).
observed() {
	require_podman
	podman_image sr-busybox "$(rootfs)"
	local rt out f extra
	SR_HOOK_ARGS+=(--runtime-syscalls observed)
	for rt in runc crun; do
		out=$SR_WORK/podman-$rt.json
		podman_run "$rt" --annotation "io.containers.trace-syscall=of:$out" localhost/sr-busybox ls / \
			>/dev/null 2>"$out.err" || fail "$rt: podman run failed: $(cat "$out.err")"
		f=$(stored_for "$rt version")
		[[ -n $f ]] || calibrate --runtime "$(command -v "$rt")"
		f=$(stored_for "$rt version")
		extra=$(jq -r --slurpfile cal "$f" '[.syscalls[] | select(.comment | test("runc 1.1-1.5")) | .names[]]
			- $cal[0].syscalls - ["futex", "rt_sigreturn", "tgkill", "nanosleep", "sched_yield", "mmap",
				"munmap", "madvise", "sigaltstack", "clone", "gettid", "rt_sigprocmask"] | join(" ")' "$out")
		[[ -z $extra ]] || fail "$rt: observed under podman's profile but not calibrated: $extra"
		jq -e '[.syscalls[] | select(.comment | test("runc 1.1-1.5")) | .names[]] | index("execve") != null' "$out" >/dev/null ||
			fail "$rt: nothing observed after podman's filter: $(jq -c '[.syscalls[] | {comment: .comment[0:30], names}]' "$out")"
		log "ok: $rt under podman's default profile: observed $(jq -c '[.syscalls[] | select(.comment | test("runc 1.1-1.5")) | .names[]]' "$out")"
	done
}
scenario "under podman's default profile the observed boundary is within what calibrate measured" observed
