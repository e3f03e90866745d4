# A profile shipped with its image (issue 15, part 4): podman 4.3 runs an
# image under the profile in its label io.containers.seccomp.profile when
# given --seccomp-policy=image. The flow: record the workload under podman,
# gate it with `check --subset-of` against the engine's default profile
# (/usr/share/containers/seccomp.json), put it into the label with `podman
# import --change "LABEL key=JSON"`, run with --seccomp-policy=image: the workload
# runs, a syscall it never made (chown's fchownat) is blocked, and the same
# chown works under podman's default policy (so the label is what blocked
# it). A profile broader than the default fails the gate. Each step is a
# scenario of its own; the recording is shared setup.
require_privileges
require_crun
require_podman
engine_default=/usr/share/containers/seccomp.json
[[ -s $engine_default ]] || skip "no engine default profile at $engine_default"
podman_image sr-busybox "$(rootfs)"
label=io.containers.seccomp.profile
image=localhost/sr-image-profile
workload=(sh -c 'ls /; cat /etc/passwd; echo done')
prof=$SR_WORK/image.json
podman_run runc --annotation "io.containers.trace-syscall=of:$prof" localhost/sr-busybox \
	"${workload[@]}" >"$prof.out" 2>"$prof.err" || fail "recording run failed: $(cat "$prof.err")"
[[ -s $prof ]] || fail "no profile when podman run --rm returned"

gate() {
	"$SR_BIN" check --subset-of "$engine_default" "$prof" >"$SR_WORK/gate.out" ||
		fail "the recorded profile is broader than podman's default: $(cat "$SR_WORK/gate.out")"
	# A profile allowing what the default forbids does not pass.
	jq '.syscalls[0].names += ["kexec_load"]' "$prof" >"$SR_WORK/broad.json"
	rc=0
	"$SR_BIN" check --subset-of "$engine_default" "$SR_WORK/broad.json" >"$SR_WORK/gate.out" || rc=$?
	[[ $rc == 1 ]] || fail "a profile allowing kexec_load passed the gate (exit $rc)"
	grep -q 'allows `kexec_load`' "$SR_WORK/gate.out" || fail "the gate did not name kexec_load: $(cat "$SR_WORK/gate.out")"
}
scenario "the recorded profile passes check --subset-of the engine's default; a broader one fails" gate

# podman 4.3's import --change takes what follows `LABEL key=` literally
# (measured: quotes, spaces, $ and backslashes kept as they are; escaping
# them would put the backslashes into the label), so the JSON goes in as is,
# on one line.
label_value() { jq -c . "$1"; }

labelled() {
	"$SR_BIN" check --subset-of "$engine_default" "$prof" >/dev/null || fail "not gated"
	pod rmi -f "$image" >/dev/null 2>&1 || true
	tar -C "$(rootfs)" -c . |
		pod import --change "LABEL $label=$(label_value "$prof")" - "$image" >/dev/null ||
		fail "cannot import the image with the label"
	pod image inspect --format "{{index .Labels \"$label\"}}" "$image" >"$SR_WORK/label.json"
	cmp -s <(jq -S . "$prof") <(jq -S . "$SR_WORK/label.json") ||
		fail "the label is not the profile: $(head -c 300 "$SR_WORK/label.json")"
}
scenario "the gated profile goes into the image label io.containers.seccomp.profile unchanged" labelled

image_policy() {
	pod image exists "$image" || fail "no labelled image (previous scenario)"
	for rt in runc crun; do
		rc=0
		podman_run $rt --seccomp-policy=image "$image" "${workload[@]}" >"$SR_WORK/img-$rt.out" \
			2>"$SR_WORK/img-$rt.err" || rc=$?
		[[ $rc == 0 ]] || fail "$rt: exit $rc under the image's profile: $(cat "$SR_WORK/img-$rt.err")"
		diff -u "$prof.out" "$SR_WORK/img-$rt.out" || fail "$rt: output differs under the image's profile"
		# chown was never recorded: the image's profile blocks it ...
		podman_run $rt --seccomp-policy=image "$image" chown 1:1 /tmp >/dev/null 2>"$SR_WORK/chown.err" &&
			fail "$rt: chown ran under the image's profile"
		grep -qi 'not implemented\|function not\|operation not permitted' "$SR_WORK/chown.err" ||
			log "$rt: chown said: $(cat "$SR_WORK/chown.err")"
		# ... while podman's default policy (label ignored) lets it run.
		podman_run $rt "$image" chown 1:1 /tmp >/dev/null 2>"$SR_WORK/chown.err" ||
			fail "$rt: chown fails under the default policy too: $(cat "$SR_WORK/chown.err")"
		log "ok: $rt: the workload runs under the image's profile, chown is blocked there only"
	done
}
scenario "--seccomp-policy=image: the workload runs, chown is blocked, and runs under the default policy (runc, crun)" image_policy
