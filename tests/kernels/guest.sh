#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The kernel matrix's scenarios, run inside each QEMU guest by guest-init:
# a part of the integration suite, with its library (tests/integration/
# lib.sh) and, where a file runs unchanged on any kernel and architecture
# with runc alone, that file itself. One TAP line per scenario on the
# console; run.sh on the host reads them. Expectations are those of the
# integration files named in each scenario.
set -euo pipefail
export SR_SOURCE=/sr
export SR_BIN=/sr/seccomp-recorder
export SR_ROOTFS_CACHE=/tmp/sr
export SR_WORK=$SR_ROOTFS_CACHE/guest
export SR_SOCKETS=/sr/sockets
# Emulated (two guests at once on 2 cores, arm64 slower still): a container
# took over 5 s to start in CI, lib.sh's bound for start_running.
export SR_WAIT_SCALE=6
mkdir -p "$SR_WORK"
source /sr/tests/integration/lib.sh
eval "lib_$(declare -f scenario)"
# sr_only=NAME,... on the kernel command line (guest-init's environment)
# runs only the scenarios whose function, or first argument, is named.
scenario() {
	[[ -z ${sr_only:-} || ,$sr_only, == *,"$2",* || ,$sr_only, == *,"${3:-}",* ]] || return 0
	lib_scenario "$@"
}
# guest-init's busybox syslogd (lib.sh's start_syslog would refuse: /dev/log exists).
SR_SYSLOG=/var/log/messages

case $(uname -m) in
x86_64) native=SCMP_ARCH_X86_64 mkdir_call=mkdir rmdir_call=rmdir ;;
# The generic syscall table has no mkdir or rmdir: busybox uses the *at calls.
aarch64) native=SCMP_ARCH_AARCH64 mkdir_call=mkdirat rmdir_call=unlinkat ;;
*) fail "no expectations for $(uname -m)" ;;
esac
kver=$(uname -r)
kver_num() { # MAJOR.MINOR as one comparable number
	local v=${kver%%-*}
	IFS=. read -r ma mi _ <<<"$v"
	echo $((ma * 1000 + mi))
}
log "kernel $kver on $(uname -m), native architecture $native"
require_privileges

# test_roundtrip_runc.sh, with the profile in the hook's default directory
# (no --allow-dir) and the native architecture of this guest.
roundtrip() {
	SR_HOOK_ARGS=(hook)
	mkdir -p /var/lib/seccomp-recorder
	p=/var/lib/seccomp-recorder/p.json
	record runc "$p" "" -- ls /
	log "profile: $(jq -c '[.syscalls[0].names[]]' "$p")"
	# What ls does itself (execve and exit_group are in the rules the
	# recorder adds: the runtime's and the implicit one).
	for s in getdents64 openat newfstatat write close; do
		has_syscall "$p" "$s" || fail "$s missing from the ls profile: $(jq -c '[.syscalls[0].names[]]' "$p")"
	done
	[[ $(jq -r .defaultAction "$p") == SCMP_ACT_ERRNO ]] || fail "defaultAction is not SCMP_ACT_ERRNO"
	[[ $(jq -r .defaultErrnoRet "$p") == 38 ]] || fail "defaultErrnoRet is not 38"
	[[ $(jq -c .architectures "$p") == "[\"$native\"]" ]] || fail "architectures: $(jq -c .architectures "$p")"
	grep -q bin "$p.out" || fail "ls / printed no bin: $(cat "$p.out")"
	for nnp in true false; do
		d=$SR_WORK/enforce-$nnp
		bundle "$d" - "$p" -- ls /
		bundle_edit "$d" --argjson nnp $nnp '.process.noNewPrivileges = $nnp'
		run_container runc "$d" || fail "ls / under the recorded profile failed (noNewPrivileges=$nnp): $(cat "$d/err")"
		diff -u "$p.out" "$d/out" || fail "output differs under enforcement (noNewPrivileges=$nnp)"
	done
	log "ok: $(jq '[.syscalls[0].names[]] | length' "$p") syscalls recorded, enforced with noNewPrivileges true and false"
}
scenario "record ls / under runc into the default directory, enforce it (noNewPrivileges true, false)" roundtrip

from_file() { source "/sr/tests/integration/$1"; }
scenario "an unrecorded syscall is blocked under the profile (test_blocked.sh)" from_file test_blocked.sh
scenario "syscalls in nested PID and mount namespaces are recorded (test_nested.sh)" from_file test_nested.sh

# test_caps.sh's runtime_caps under runc, by whatever way this kernel offers:
# the capability:cap_capable tracepoint from 6.14, the kprobe on
# cap_capable() before. Which one was attached is read from bpftool while
# the container runs, and said in a "# capability path:" line.
defaults='["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FSETID","CAP_FOWNER","CAP_MKNOD","CAP_NET_RAW",
 "CAP_SETGID","CAP_SETUID","CAP_SETFCAP","CAP_SETPCAP","CAP_NET_BIND_SERVICE","CAP_SYS_CHROOT",
 "CAP_KILL","CAP_AUDIT_WRITE"]'
grant() { bundle_edit "$1" --argjson c "$2" '.process.capabilities = {bounding: $c, effective: $c, permitted: $c}'; }
caps() {
	c=$SR_WORK/chown.caps.json r=$SR_WORK/read.caps.json
	d=$SR_WORK/caps-chown
	id=$(new_id)
	bundle "$d" "of:$SR_WORK/chown.json;caps:$c" "" -- \
		sh -c 'touch /tmp/caps-rec && chown 1000:1000 /tmp/caps-rec && sleep 2 && echo chowned'
	grant "$d" "$defaults"
	start_running "$d" "$id"
	progs=$(bpftool prog show | grep -o 'name sr_[a-z_]*' | tr '\n' ' ')
	log "programs while the container runs: $progs"
	if grep -q 'name sr_cap_capable' <<<"$progs"; then path=tracepoint
	elif grep -q 'name sr_cap_kprobe' <<<"$progs"; then path=kprobe
	else path=none; fi
	log "capability path: $path"
	if (($(kver_num) >= 6014)); then want=tracepoint; else want=kprobe; fi
	[[ $path == "$want" ]] ||
		fail "capability checks through '$path' on $kver, expected the $want; syslog: $(grep seccomp-recorder "$SR_SYSLOG" | tail -5)"
	wait "$SR_RUNNER" || fail "chown container failed: $(cat "$d/err")"
	jq -e '.used | index("CAP_CHOWN")' "$c" >/dev/null || fail "CAP_CHOWN not recorded: $(cat "$c")"
	jq -e '.granted | length == 14' "$c" >/dev/null || fail "granted is not the 14 defaults: $(cat "$c")"
	if [[ $path == kprobe ]]; then
		# The kprobe sees checks made, not their results: still only CAP_CHOWN here.
		jq -e '.used == ["CAP_CHOWN"]' "$c" >/dev/null || fail "the kprobe fallback recorded $(cat "$c")"
	fi
	d=$SR_WORK/caps-read
	bundle "$d" "of:$SR_WORK/read.json;caps:$r" "" -- sh -c 'cat /etc/passwd >/dev/null && ls / >/dev/null && echo read'
	grant "$d" "$defaults"
	read_id=$(new_id)
	run_container runc "$d" "$read_id" || fail "reading container failed: $(cat "$d/err")"
	[[ $(jq -c .used "$r") == '[]' ]] || fail "a container that only reads used $(jq -c .used "$r")"
	jq -e '.suggestion == "--cap-drop=all"' "$r" >/dev/null || fail "wrong suggestion: $(cat "$r")"
	# Exactly the recorded capabilities suffice, one fewer fails.
	d=$SR_WORK/caps-exact
	bundle "$d" - "" -- sh -c 'touch /tmp/caps-x && chown 1000:1000 /tmp/caps-x && echo chowned'
	grant "$d" "$(jq -c .used "$c")"
	run_container runc "$d" || fail "chown failed with the recorded capabilities: $(cat "$d/err")"
	d=$SR_WORK/caps-fewer
	bundle "$d" - "" -- sh -c 'touch /tmp/caps-y && chown 1000:1000 /tmp/caps-y && echo chowned'
	grant "$d" "$(jq -c '.used - ["CAP_CHOWN"]' "$c")"
	run_container runc "$d" && fail "chown worked without CAP_CHOWN"
	grep -qi 'not permitted' "$d/err" "$d/out" || fail "no EPERM without CAP_CHOWN: $(cat "$d/err")"
	wait_for 5 grep -q "container \`$id\`: capabilities: run it with --cap-drop=all --cap-add=CAP_CHOWN" "$SR_SYSLOG" ||
		fail "no suggestion in syslog: $(grep seccomp-recorder "$SR_SYSLOG" | tail -5)"
	log "ok: CAP_CHOWN through the $path, reading none, the recorded set suffices, one fewer fails"
}
scenario "capability file (caps:) through the path this kernel has: chown records CAP_CHOWN, reading none" caps

# test_args.sh's recorded and enforced rules, runc only.
arg_rules() {
	jq -c --arg n "$2" '[.syscalls[] | select((.names // []) | index($n)) | select(.args) | .args[0].value] | sort' "$1"
}
args() {
	cp "$SR_SOCKETS" "$(rootfs)/bin/sockets"
	p=$SR_WORK/socks.json
	d=$SR_WORK/args-rec
	bundle "$d" "of:$p;args:socket,socketpair,personality,clone" "" -- sh -c 'sockets unix inet pair-unix persona && true'
	run_container runc "$d" || fail "recording run failed: $(cat "$d/err") $(cat "$d/out")"
	[[ $(arg_rules "$p" socket) == '[1,2]' ]] || fail "socket rules are $(arg_rules "$p" socket): $(jq -c .syscalls "$p")"
	[[ $(arg_rules "$p" socketpair) == '[1]' ]] || fail "socketpair rules: $(arg_rules "$p" socketpair)"
	[[ $(arg_rules "$p" personality) == '[4294967295]' ]] || fail "personality rules: $(arg_rules "$p" personality)"
	jq -e '[.syscalls[] | select((.names // []) | index("clone")) | .args[0]] == [{"index":0,"value":2114060416,"valueTwo":0,"op":"SCMP_CMP_MASKED_EQ"}]' "$p" >/dev/null ||
		fail "clone rule: $(jq -c '[.syscalls[] | select((.names // []) | index("clone"))]' "$p")"
	d=$SR_WORK/args-enforce
	enforce runc "$p" "$d" -- sh -c 'sockets unix inet pair-unix persona && true' ||
		fail "the workload failed under its profile: $(cat "$d/out" "$d/err")"
	d=$SR_WORK/args-packet
	bundle "$d" - "$p" -- sockets unix packet
	bundle_edit "$d" '.process.capabilities |= with_entries(.value += ["CAP_NET_RAW"])'
	run_container runc "$d" && fail "AF_PACKET was allowed"
	{ grep -q "^unix ok" "$d/out" && grep -q "^packet ENOSYS" "$d/out"; } ||
		fail "expected AF_UNIX ok and AF_PACKET denied: $(cat "$d/out" "$d/err")"
	log "ok: socket [1,2], socketpair [1], personality, clone; AF_PACKET denied under the profile"
}
scenario "argument rules (args:): recorded, the workload runs under them, AF_PACKET denied" args

# test_learn.sh's checkpoints and kill -9, with this architecture's names.
SR_HOOK_ARGS+=(--allow-read /sr/tests/data)
# kill -9 first: the next tracer reaps the killed one's slot (lib.sh's
# assert_no_leftovers killed allows it until then).
killed_tracer() {
	p=$SR_WORK/killed.json
	start_staged killed "$p" ";flush:1"
	kill -9 "$(tracer_pid)"
	cp "$p" "$SR_WORK/at-kill.json"
	flag go
	flag end
	wait "$SR_RUNNER" || fail "the container failed after its tracer was killed: $(cat "$dir/err")"
	cmp -s "$p" "$SR_WORK/at-kill.json" || fail "the profile changed after the tracer died"
	jq -e .syscalls "$p" >/dev/null || fail "the last checkpoint is not valid JSON"
	assert_no_leftovers killed
}
scenario "learn mode: kill -9 of the tracer keeps the last checkpoint and leaves nothing attached" killed_tracer

checkpoints() {
	p=$SR_WORK/learn.json
	start_staged learn "$p" ";if:/sr/tests/data/blocks-mkdir.json;flush:1"
	"$SR_BIN" status >"$SR_WORK/status" || fail "status failed"
	grep -q "^$id	" "$SR_WORK/status" || fail "status does not show the tracer: $(cat "$SR_WORK/status")"
	flag go
	wait_for 10 grep -q "syscall \`$mkdir_call\` ($native) is not allowed by the baseline" "$SR_SYSLOG" ||
		fail "no syslog alert for $mkdir_call: $(grep seccomp-recorder "$SR_SYSLOG" | tail -5)"
	wait_for 10 has_syscall "$p" "$rmdir_call" || fail "the checkpoint after the flag lacks $rmdir_call"
	runc state "$id" >/dev/null 2>&1 || fail "the container had ended before the checkpoint was seen"
	flag end
	wait "$SR_RUNNER" || fail "the container failed: $(cat "$dir/err")"
	has_syscall "$p" "$mkdir_call" && fail "$mkdir_call became allowed although the baseline blocks it"
	log "ok: checkpoints while running, status, the alert for $mkdir_call"
}
scenario "learn mode (flush:1): checkpoints while the container runs, status, an alert per new syscall" checkpoints
scenario "nothing of ours stays loaded (bpftool prog show, within 5 s)" assert_no_leftovers
scenarios_done
