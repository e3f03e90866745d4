# The Debian package: `cpack -G DEB` builds it; installed, podman finds the
# hook without --hooks-dir and records a container; it takes over the
# annotation from Debian's oci-seccomp-bpf-hook (diverting its hooks.d entry)
# and gives it back when removed. Installs and removes packages: meant for
# CI machines; refuses to touch a seccomp-recorder package installed by hand.
require_privileges
require_podman
command -v cpack >/dev/null && command -v dpkg-divert >/dev/null || skip "needs cpack and dpkg"
build=${SR_BUILD_DIR:?}
if dpkg-query -W -f='${Status}' seccomp-recorder 2>/dev/null | grep -q "install ok installed"; then
	skip "a seccomp-recorder package is already installed here; not replacing it"
fi
old_entry=/usr/share/containers/oci/hooks.d/oci-seccomp-bpf-hook.json
diverted=$old_entry.disabled-by-seccomp-recorder
have_old=0
dpkg-query -W -f='${Status}' oci-seccomp-bpf-hook 2>/dev/null | grep -q "install ok installed" && have_old=1
if [[ ${SECCOMP_RECORDER_REQUIRE_BPF:-0} == 1 ]] && ((!have_old)); then
	fail "oci-seccomp-bpf-hook is not installed (tests/deps.sh installs it for this test)"
fi
remove_ours() { dpkg --purge seccomp-recorder >/dev/null 2>&1 || true; }
trap 'remove_ours; cleanup_containers' EXIT

# What happens without the diversion: both entries match the annotation,
# podman runs the old hook first (hooks run in file-name order), and on a
# host without kernel headers it holds the container, then fails it.
podman_image sr-busybox "$(rootfs)"
if ((have_old)); then
	both=$SR_WORK/both.d
	mkdir -p "$both"
	cp "$old_entry" "$(podman_hooks_dir)/seccomp-recorder.json" "$both/"
	rc=0
	pod --hooks-dir "$both" --runtime "$(podman_runtime runc)" run --rm --network none \
		"${SR_PODMAN_ULIMITS[@]}" --annotation "io.containers.trace-syscall=of:$SR_WORK/both.json" \
		localhost/sr-busybox true >/dev/null 2>"$SR_WORK/both.err" || rc=$?
	if ((rc == 0)); then
		log "note: oci-seccomp-bpf-hook works on this host; both hooks would record the container"
	else
		log "with both hooks active the container fails: $(tail -c 200 "$SR_WORK/both.err")"
	fi
fi

(cd "$SR_WORK" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$SR_WORK/pkg" >cpack.log 2>&1) ||
	fail "cpack failed: $(tail -5 "$SR_WORK/cpack.log")"
deb=$(ls "$SR_WORK"/pkg/seccomp-recorder_*.deb)
dpkg-deb -c "$deb" >"$SR_WORK/contents"
for f in ./usr/libexec/oci/hooks.d/seccomp-recorder \
	./usr/share/containers/oci/hooks.d/seccomp-recorder.json \
	./usr/share/man/man1/seccomp-recorder.1; do
	grep -q " $f\(.gz\)\?$" "$SR_WORK/contents" || fail "the package lacks $f: $(cat "$SR_WORK/contents")"
done
for rt in runc crun; do
	grep -q " ./usr/bin/seccomp-recorder-$rt -> /usr/libexec/oci/hooks.d/seccomp-recorder$" \
		"$SR_WORK/contents" || fail "the package lacks the seccomp-recorder-$rt link"
done
deps=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libelf1 libseccomp2; do
	grep -q "$lib" <<<"$deps" || fail "the package does not depend on $lib: $deps"
done
# libbpf and yajl are linked in (SECCOMP_RECORDER_STATIC_LIBS).
grep -Eq 'libbpf|libyajl' <<<"$deps" && fail "the package depends on a library linked in statically: $deps"
log "built $(basename "$deb"): depends on $(dpkg-deb -f "$deb" Depends)"

dpkg -i "$deb" >"$SR_WORK/dpkg.log" 2>&1 || fail "dpkg -i failed: $(cat "$SR_WORK/dpkg.log")"
if ((have_old)); then
	[[ ! -e $old_entry && -e $diverted ]] || fail "oci-seccomp-bpf-hook's entry was not diverted"
fi
man -w seccomp-recorder >/dev/null 2>&1 || [[ -e /usr/share/man/man1/seccomp-recorder.1.gz ]] ||
	fail "the man page is not installed"

# The shipped default: the hook writes only inside /var/lib/seccomp-recorder,
# which the package creates root-owned and 0755.
[[ $(stat -c '%U %a %F' /var/lib/seccomp-recorder 2>&1) == "root 755 directory" ]] ||
	fail "the package did not create /var/lib/seccomp-recorder root-owned 0755: $(stat -c '%U %a %F' /var/lib/seccomp-recorder 2>&1)"
outside=$SR_WORK/outside.json
pod --runtime "$(podman_runtime runc)" run --rm --network none "${SR_PODMAN_ULIMITS[@]}" \
	--annotation "io.containers.trace-syscall=of:$outside" localhost/sr-busybox true \
	>/dev/null 2>"$SR_WORK/outside.err" && fail "the installed hook let a container write outside /var/lib/seccomp-recorder"
grep -q "is outside the directories the hook may write (/var/lib/seccomp-recorder); see --allow-dir" "$SR_WORK/outside.err" ||
	fail "unclear refusal: $(cat "$SR_WORK/outside.err")"
[[ ! -e $outside ]] || fail "the refused output was created"
log "ok: the installed hook refuses an output outside /var/lib/seccomp-recorder"

# podman with its default hooks directories (no --hooks-dir).
out=/var/lib/seccomp-recorder/it-package-$$.json
trap 'rm -f "$out"; remove_ours; cleanup_containers' EXIT
pod --runtime "$(podman_runtime runc)" run --rm --network none "${SR_PODMAN_ULIMITS[@]}" \
	--annotation "io.containers.trace-syscall=of:$out" localhost/sr-busybox ls / \
	>"$SR_WORK/run.out" 2>"$SR_WORK/run.err" || fail "the installed hook failed the container: $(cat "$SR_WORK/run.err")"
[[ -s $out ]] || fail "the installed hook wrote no profile"
jq -e '.syscalls[0].comment == "recorded by seccomp-recorder"' "$out" >/dev/null ||
	fail "the profile was not written by seccomp-recorder: $(head -c 300 "$out")"
log "ok: installed package records a podman container without --hooks-dir"

rm -f "$out"
remove_ours
[[ ! -e /usr/libexec/oci/hooks.d/seccomp-recorder ]] || fail "removing the package left the hook behind"
if ((have_old)); then
	[[ -e $old_entry && ! -e $diverted ]] || fail "removing the package did not give oci-seccomp-bpf-hook its entry back"
fi
dpkg-divert --list | grep -q seccomp-recorder && fail "a diversion of ours outlived the package"
log "ok: removal restores oci-seccomp-bpf-hook's hooks.d entry"
assert_no_leftovers
