# SPDX-License-Identifier: Apache-2.0
# Helpers for integration tests against real runc and crun (see TESTBED.md).
# Each test runs in its own work directory; containers get unique ids.

set -euo pipefail

SR_BIN=${SR_BIN:?}
SR_WORK=${SR_WORK:?}
SR_SKIP=77
# Every bounded wait (start_running, wait_for) is this many times longer:
# the kernel matrix's guests run under QEMU's emulation.
SR_WAIT_SCALE=${SR_WAIT_SCALE:-1}
SR_FAILED=0
SR_CONTAINERS=()
# The tests' files live in the build tree: the hooks they set up allow it
# (--allow-dir). With SR_ALLOW_DIR set empty the hook's default applies
# (/var/lib/seccomp-recorder).
SR_ALLOW_DIR=${SR_ALLOW_DIR-${SR_ROOTFS_CACHE:-$SR_WORK}}
SR_HOOK_ARGS=(hook)
if [[ -n $SR_ALLOW_DIR ]]; then SR_HOOK_ARGS+=(--allow-dir "$SR_ALLOW_DIR"); fi

log() { printf '# %s\n' "$*"; }
# In a scenario (see below) fail's line is a TAP diagnostic, "# FAIL: ...";
# it goes to stderr, so that it shows also from within $(...).
fail() {
	if [[ -n $SR_SCENARIO_STATE ]]; then
		printf '# FAIL: %s\n' "$*" >&2
		: >>"$SR_SCENARIO_STATE/failed"
	else
		printf 'FAIL: %s\n' "$*" >&2
	fi
	exit 1
}
skip() {
	if [[ ${SECCOMP_RECORDER_REQUIRE_BPF:-0} == 1 ]]; then
		fail "cannot run, and SECCOMP_RECORDER_REQUIRE_BPF=1 forbids skipping: $*"
	fi
	if [[ -n $SR_SCENARIO_STATE ]]; then
		printf '%s\n' "$*" >"$SR_SCENARIO_STATE/skip"
	else
		printf 'SKIP: %s\n' "$*"
	fi
	exit $SR_SKIP
}

# ---- scenarios: one TAP line each ----
# scenario DESCRIPTION FUNCTION [ARGS...]: runs FUNCTION in a subshell, so
# that a fail, a skip or a command failing under set -e ends this scenario
# only, then prints "ok N - DESCRIPTION", "not ok N - DESCRIPTION" (after
# fail's "# FAIL: ..." line) or "ok N - DESCRIPTION # SKIP REASON". What
# FUNCTION sets (variables, SR_HOOK_ARGS, an EXIT trap for its own helpers)
# ends with it; the containers it made are deleted when it ends. Setup that
# scenarios share stays at the top of the file, outside them. run.sh calls
# scenarios_done after the file: the plan "1..N", and exit status 1 if a
# scenario failed, 77 if all of them skipped. A file without scenarios is
# one implicit scenario: its first fail ends it, as always.
SR_SCENARIO_STATE=
SR_SCENARIOS=0
SR_SCENARIOS_FAILED=0
SR_SCENARIOS_SKIPPED=0
scenario() {
	# The locals' names are not the tests' (dynamic scope: FUNCTION sees them).
	local sr_desc=$1 sr_fn=$2 sr_state sr_ids=0 sr_rc sr_id
	shift 2
	[[ -z $SR_SCENARIO_STATE ]] || fail "scenario '$sr_desc' started inside another scenario"
	SR_SCENARIOS=$((SR_SCENARIOS + 1))
	sr_state=$SR_WORK/.scenario-$SR_SCENARIOS
	rm -rf "$sr_state"
	mkdir -p "$sr_state"
	if [[ -e $SR_WORK/.container-ids ]]; then sr_ids=$(wc -l <"$SR_WORK/.container-ids"); fi
	log "scenario $SR_SCENARIOS: $sr_desc"
	# Not `( ... ) || sr_rc=$?`: bash would ignore set -e inside.
	set +e
	(
		set -e
		SR_SCENARIO_STATE=$sr_state
		"$sr_fn" "$@"
	)
	sr_rc=$?
	set -e
	for sr_id in $(tail -n +$((sr_ids + 1)) "$SR_WORK/.container-ids" 2>/dev/null); do
		runc delete -f "$sr_id" >/dev/null 2>&1 || true
	done
	if ((sr_rc == 0)); then
		printf 'ok %d - %s\n' "$SR_SCENARIOS" "$sr_desc"
	elif ((sr_rc == SR_SKIP)) && [[ -e $sr_state/skip ]]; then
		SR_SCENARIOS_SKIPPED=$((SR_SCENARIOS_SKIPPED + 1))
		printf 'ok %d - %s # SKIP %s\n' "$SR_SCENARIOS" "$sr_desc" "$(head -1 "$sr_state/skip")"
	else
		SR_SCENARIOS_FAILED=$((SR_SCENARIOS_FAILED + 1))
		[[ -e $sr_state/failed ]] || printf '# FAIL: the scenario ended with exit status %d\n' "$sr_rc" >&2
		printf 'not ok %d - %s\n' "$SR_SCENARIOS" "$sr_desc"
	fi
	rm -rf "$sr_state"
}

# scenarios_done: the plan, and the file's exit status (none without scenarios).
scenarios_done() {
	((SR_SCENARIOS > 0)) || return 0
	printf '1..%d\n' "$SR_SCENARIOS"
	if ((SR_SCENARIOS_FAILED > 0)); then
		log "$SR_SCENARIOS_FAILED of $SR_SCENARIOS scenarios failed"
		exit 1
	fi
	((SR_SCENARIOS_SKIPPED < SR_SCENARIOS)) || exit $SR_SKIP
	exit 0
}

require_privileges() {
	[[ $(id -u) == 0 ]] || skip "needs root"
	[[ -r /sys/kernel/btf/vmlinux ]] || skip "needs kernel BTF (/sys/kernel/btf/vmlinux)"
	command -v runc >/dev/null || skip "needs runc"
	command -v jq >/dev/null || skip "needs jq"
	[[ -x /bin/busybox ]] || skip "needs busybox-static"
}

require_crun() {
	command -v crun >/dev/null || skip "needs crun"
}

# A busybox rootfs, shared by all tests of one build (built once).
rootfs() {
	local dir=${SR_ROOTFS_CACHE:-$SR_WORK}/rootfs
	if [[ ! -x $dir/bin/busybox ]]; then
		mkdir -p "$dir.tmp/bin" "$dir.tmp"/{proc,dev,sys,tmp,etc,root}
		cp /bin/busybox "$dir.tmp/bin/busybox"
		local a
		for a in $("$dir.tmp/bin/busybox" --list); do
			[[ $a == busybox ]] || ln -sf busybox "$dir.tmp/bin/$a"
		done
		echo 'root:x:0:0:root:/root:/bin/sh' >"$dir.tmp/etc/passwd"
		chmod 1777 "$dir.tmp/tmp"
		rm -rf "$dir"
		mv "$dir.tmp" "$dir"
	fi
	printf '%s\n' "$dir"
}

# bundle DIR ANNOTATION|- SECCOMP_PROFILE|"" -- ARGS...
# A runc bundle whose config runs ARGS with our hook at prestart and poststop
# and the given annotation value (which may be empty); "-" means no hook.
bundle() {
	local dir=$1 annotation=$2 profile=$3
	shift 3
	[[ $1 == -- ]] && shift
	mkdir -p "$dir"
	local args
	args=$(printf '%s\n' "$@" | jq -R . | jq -s .)
	(cd "$dir" && rm -f config.json && runc spec)
	local filter='
		.root.path = $rootfs | .root.readonly = false
		| .process.terminal = false | .process.args = $args
		| .hooks = {
			prestart: [{path: $bin, args: $hargs}],
			poststop: [{path: $bin, args: $hargs}]}'
	if [[ $annotation == - ]]; then
		filter+=' | del(.hooks)'
	else
		filter+=' | .annotations["io.containers.trace-syscall"] = $ann'
	fi
	if [[ -n $profile ]]; then
		filter+=' | .linux.seccomp = $profile[0]'
	fi
	local prof_json='[]'
	[[ -n $profile ]] && prof_json=$(jq -s . "$profile")
	local hargs
	hargs=$(printf '%s\n' seccomp-recorder "${SR_HOOK_ARGS[@]}" | jq -R . | jq -s .)
	jq --arg rootfs "$(rootfs)" --argjson args "$args" --arg bin "$SR_BIN" --argjson hargs "$hargs" \
		--arg ann "$annotation" --argjson profile "$prof_json" "$filter" \
		"$dir/config.json" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
}

# bundle_edit DIR [JQ-OPTIONS...] FILTER: edits a bundle's config with jq.
bundle_edit() {
	local dir=$1
	shift
	jq "$@" "$dir/config.json" >"$dir/config.json.new"
	mv "$dir/config.json.new" "$dir/config.json"
}

# Ids are also written down in a file: tests call this as id=$(new_id), in
# a subshell whose changes to SR_CONTAINERS would be lost.
new_id() {
	local id="sr-test-$$-$RANDOM"
	SR_CONTAINERS+=("$id")
	printf '%s\n' "$id" >>"$SR_WORK/.container-ids"
	printf '%s\n' "$id"
}

# run_container RUNTIME BUNDLE [ID]: runs to completion; stdout/stderr of the
# container go to BUNDLE/out and BUNDLE/err; returns the container's status.
run_container() {
	local runtime=$1 dir=$2 id=${3:-$(new_id)}
	local rc=0
	case $runtime in
	runc) timeout 120 runc run --bundle "$dir" "$id" >"$dir/out" 2>"$dir/err" </dev/null || rc=$? ;;
	crun)
		timeout 120 unshare -m --propagation private sh -c \
			'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun "$@"' crun \
			run --bundle "$dir" "$id" >"$dir/out" 2>"$dir/err" </dev/null || rc=$?
		;;
	*) fail "unknown runtime $runtime" ;;
	esac
	return $rc
}

# start_running BUNDLE ID: starts the container with runc in the background
# (its pid in SR_RUNNER) and returns once it runs, i.e. prestart is over.
start_running() {
	local dir=$1 id=$2 i
	runc run --bundle "$dir" "$id" >"$dir/out" 2>"$dir/err" </dev/null &
	SR_RUNNER=$!
	for i in $(seq 1 $((250 * SR_WAIT_SCALE))); do
		[[ $(runc state "$id" 2>/dev/null | jq -r .status) == running ]] && return 0
		sleep 0.02
	done
	fail "container $id did not start: $(cat "$dir/err")"
}

# Records ARGS under RUNTIME into PROFILE (with optional input), checks the
# container succeeded and the profile is complete when the runtime returns.
record() {
	local runtime=$1 profile=$2 input=$3
	shift 3
	[[ $1 == -- ]] && shift
	local dir
	dir=$(mktemp -d "$SR_WORK/rec.XXXXXX")
	SR_LAST_REC=$dir
	local ann="of:$profile"
	[[ -n $input ]] && ann+=";if:$input"
	bundle "$dir" "$ann" "" -- "$@"
	run_container "$runtime" "$dir" || fail "recording run of '$*' under $runtime failed: $(cat "$dir/err")"
	[[ -s $profile ]] || fail "no profile at $profile right after $runtime returned"
	jq -e .syscalls "$profile" >/dev/null || fail "profile $profile is not valid JSON"
	cp "$dir/out" "$profile.out"
}

# The lock file by which root's writers of DIR serialise (safe_file.c).
dir_lock_file() {
	mkdir -p -m 0700 /run/seccomp-recorder/locks
	printf '/run/seccomp-recorder/locks/%s-%x.lock\n' "$(stat -c %D "$1")" "$(stat -c %i "$1")"
}

# expect_refused ANNOTATION NEEDLE: runc refuses to start a container with
# this annotation, the hook said NEEDLE in one line, and the workload (which
# would touch $SR_WORK/mnt/started) never ran. The hook's line is left in
# SR_REFUSAL.
expect_refused() {
	local ann=$1 needle=$2 dir id
	mkdir -p "$SR_WORK/mnt"
	dir=$(mktemp -d "$SR_WORK/b.XXXXXX")
	bundle "$dir" "$ann" "" -- touch /mnt/started
	bundle_edit "$dir" --arg m "$SR_WORK/mnt" '.mounts += [{destination: "/mnt", type: "bind", source: $m, options: ["rbind"]}]'
	id=$(new_id)
	if run_container runc "$dir" "$id"; then
		fail "container started with annotation '$ann'"
	fi
	[[ ! -e $SR_WORK/mnt/started ]] || fail "the workload ran with annotation '$ann'"
	grep -q "seccomp-recorder: error: .*$needle" "$dir/err" ||
		fail "expected '$needle' for '$ann', runc said: $(cat "$dir/err")"
	SR_REFUSAL=$(grep -o 'seccomp-recorder: error: [^"]*' "$dir/err" | head -1)
	log "refused '$ann': $SR_REFUSAL"
	runc delete -f "$id" >/dev/null 2>&1 || true
}

# Runs ARGS under RUNTIME with PROFILE enforced; output in BUNDLE/out.
enforce() {
	local runtime=$1 profile=$2 dir=$3
	shift 3
	[[ $1 == -- ]] && shift
	bundle "$dir" - "$profile" -- "$@"
	run_container "$runtime" "$dir"
}

# has_syscall PROFILE NAME: an allow rule names NAME, other than the rules
# the recorder adds for what the workload did not make itself (the implicit
# and runtime rules, "added by seccomp-recorder: ..."): the workload made it,
# or an input allowed it.
has_syscall() {
	jq -e --arg s "$2" '[.syscalls[] | select(.action == "SCMP_ACT_ALLOW")
		| select((.comment // "") | startswith("added by seccomp-recorder:") | not)
		| (.names // []) + [.name // empty]] | add // [] | index($s) != null' "$1" >/dev/null
}

# Nothing of ours may outlive a finished container. After a tracer was
# killed outright (argument "killed"), its slot's registry file may stay
# until the next tracer reaps it, but nobody may hold it.
assert_no_leftovers() {
	local i f
	for i in $(seq 1 50); do
		pgrep -f 'seccomp-recorder hook' >/dev/null || break
		sleep 0.1
	done
	if pgrep -af 'seccomp-recorder hook'; then fail "a tracer process is still running"; fi
	# A tracer that died outright leaves its programs to the kernel, which
	# frees them after an RCU grace period.
	ours() { bpftool prog show 2>/dev/null | grep -Eq 'name (sr_sys_enter|sr_task_newtask|sr_process_exe|sr_process_exi|sr_cap_capable|sr_cap_kprobe)'; }
	command -v bpftool >/dev/null || fail "bpftool is needed to check for leftover BPF programs"
	if ! wait_for 5 eval '! ours'; then
		bpftool prog show
		fail "a BPF program of ours is still loaded"
	fi
	# The registry of the shared instance keeps no slot once all is over.
	for f in /run/seccomp-recorder/tracing-*/slot-*; do
		[[ -e $f ]] || continue
		[[ ${1:-} == killed ]] && flock -n "$f" true && continue
		ls -l /run/seccomp-recorder/tracing-*/
		fail "a slot of the shared BPF instance is still registered: $f"
	done
}

cleanup_containers() {
	local id
	for id in "${SR_CONTAINERS[@]}" $(cat "$SR_WORK/.container-ids" 2>/dev/null); do
		runc delete -f "$id" >/dev/null 2>&1 || true
	done
}
trap cleanup_containers EXIT

# ---- podman (see TESTBED.md: offline, cgroupfs, both --ulimit flags) ----

require_podman() {
	command -v podman >/dev/null || skip "needs podman"
}

# Storage shared by all tests of one build, so images are imported once.
# Podman refuses a runroot longer than 50 characters (its sockets live
# there), so that part goes under /run, named after the storage path.
SR_PODMAN_STATE=${SR_ROOTFS_CACHE:-$SR_WORK}/podman
SR_PODMAN_RUNROOT=/run/sr-podman-$(printf '%s' "$SR_PODMAN_STATE" | sha256sum | cut -c1-16)
SR_PODMAN_ULIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)

# pod ARGS...: podman with the test storage, in the foreground, bounded.
pod() {
	timeout 180 podman --root "$SR_PODMAN_STATE/root" --runroot "$SR_PODMAN_RUNROOT" \
		--storage-driver overlay --cgroup-manager cgroupfs --events-backend file "$@"
}

# The project's hooks.d entry, pointing at the binary under test.
podman_hooks_dir() {
	local dir=$SR_WORK/hooks.d
	mkdir -p "$dir"
	local hargs
	hargs=$(printf '%s\n' seccomp-recorder "${SR_HOOK_ARGS[@]}" | jq -R . | jq -s .)
	sed "s|@HOOK_INSTALL_DIR@/seccomp-recorder|$SR_BIN|" \
		"$SR_SOURCE/oci-hooks.d/seccomp-recorder.json.in" |
		jq --argjson a "$hargs" '.hook.args = $a' >"$dir/seccomp-recorder.json"
	printf '%s\n' "$dir"
}

# podman_runtime runc|crun: what to pass to --runtime (crun needs the
# cgroup v2 mount hidden, see TESTBED.md).
podman_runtime() {
	case $1 in
	runc) command -v runc ;;
	crun)
		local w=$SR_WORK/crun-wrapper
		cat >"$w" <<'EOS'
#!/bin/sh
exec unshare -m --propagation private sh -c 'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun "$@"' crun "$@"
EOS
		chmod +x "$w"
		printf '%s\n' "$w"
		;;
	*) fail "unknown runtime $1" ;;
	esac
}

# podman_image NAME DIR: imports rootfs DIR as localhost/NAME unless present.
podman_image() {
	local name=$1 dir=$2
	pod image exists "localhost/$name" && return 0
	tar -C "$dir" -c . | pod import - "localhost/$name" >/dev/null ||
		fail "cannot import $dir as localhost/$name"
}

# podman_run RUNTIME [PODMAN-RUN-OPTIONS...] IMAGE ARGS...: a throwaway
# container with our hooks; output is the caller's.
podman_run() {
	local runtime
	runtime=$(podman_runtime "$1")
	shift
	pod --hooks-dir "$(podman_hooks_dir)" --runtime "$runtime" run --rm --network none \
		"${SR_PODMAN_ULIMITS[@]}" "$@"
}

# The Debian mirror apt uses here (tests never name one themselves).
apt_mirror() {
	local m
	m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
	[[ -n $m ]] || m=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
	printf '%s\n' "$m"
}

# A minimal Debian 12 rootfs with python3, built once per build tree.
debian_rootfs() {
	local dir=${SR_DEBIAN_ROOTFS:-${SR_ROOTFS_CACHE:-$SR_WORK}/debian} mirror
	if [[ ! -x $dir/usr/bin/python3 ]]; then
		command -v debootstrap >/dev/null || skip "needs debootstrap"
		mirror=$(apt_mirror)
		[[ -n $mirror ]] || skip "no Debian mirror in the apt sources"
		rm -rf "$dir.tmp"
		mkdir -p "$(dirname "$dir")"
		debootstrap --variant=minbase --include=python3 bookworm "$dir.tmp" "$mirror" \
			>"$SR_WORK/debootstrap.log" 2>&1 ||
			fail "debootstrap failed: $(tail -5 "$SR_WORK/debootstrap.log")"
		rm -rf "$dir"
		mv "$dir.tmp" "$dir"
	fi
	printf '%s\n' "$dir"
}

# start_syslog: a busybox syslogd on /dev/log for this test, its messages in
# SR_SYSLOG; stopped (and /dev/log removed) when the test exits.
start_syslog() {
	[[ -e /dev/log ]] && skip "/dev/log already exists; not replacing the host's syslog"
	SR_SYSLOG=$SR_WORK/messages
	busybox syslogd -n -O "$SR_SYSLOG" &
	SR_SYSLOGD=$!
	trap 'stop_syslog; cleanup_containers' EXIT
	local i
	for i in $(seq 1 50); do [[ -S /dev/log ]] && break; sleep 0.05; done
	[[ -S /dev/log ]] || fail "busybox syslogd did not create /dev/log"
}

stop_syslog() {
	rm -f /dev/log
	kill "$SR_SYSLOGD" 2>/dev/null || true
	wait "$SR_SYSLOGD" 2>/dev/null || true
}

# wait_for SECONDS COMMAND...: polls COMMAND every 0.1 s; fails the test if
# it never succeeds.
wait_for() {
	local limit=$1 i
	shift
	for i in $(seq 1 $((limit * 10 * SR_WAIT_SCALE))); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# ---- learn mode: containers that wait for flags (test_learn.sh and the
# kernel matrix's guest.sh) ----
# flag NAME: lets a staged container go on (a file in the rootfs's /tmp).
flag() { touch "$(rootfs)/tmp/$1-$$"; }
# A container that makes sync, waits for flag go, makes mkdir/rmdir, waits
# for flag end.
SR_STAGED=(sh -c "sync; while [ ! -e /tmp/go-$$ ]; do sleep 0.1; done; mkdir /tmp/d-$$; rmdir /tmp/d-$$; while [ ! -e /tmp/end-$$ ]; do sleep 0.1; done")
# start_staged NAME PROFILE EXTRA-ANNOTATION: runs the staged container in
# the background with a fresh id (in $id and $dir), until prestart is over
# and a first checkpoint (with sync) is written.
start_staged() {
	rm -f "$(rootfs)/tmp/go-$$" "$(rootfs)/tmp/end-$$"
	dir=$SR_WORK/$1
	id=$(new_id)
	bundle "$dir" "of:$2$3" "" -- "${SR_STAGED[@]}"
	start_running "$dir" "$id"
	wait_for 10 has_syscall "$2" sync || fail "$1: no checkpoint with sync while the container runs"
}

# The pid of the detached tracer of the container being traced (one at a time).
tracer_pid() {
	pgrep -f 'seccomp-recorder hook' | head -1
}
