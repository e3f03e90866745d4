# Profiles that start under every runtime version (the strict matrix): `ls /`
# recorded with mode:kill under each runtime, with noNewPrivileges true and
# false, then started under each runtime with each setting: every start must
# succeed with the recorded output. The runtimes: Debian's runc 1.1.5 and
# crun 1.8.1, and where ../shared/runtimes is beside the project runc 1.2.9,
# 1.3.6, 1.4.3 and crun 1.27.1 (installed into the build tree, not the
# system). Also the implicit set: a process stopped and continued, and a
# signal handler that first runs after recording, under the recorded profile.
require_privileges
require_crun

# name kind path: kind is how to run it (crun needs the v2 cgroup mount
# hidden, TESTBED.md).
runtimes=("runc-$(runc --version | sed -n 's/^runc version //p') runc $(command -v runc)"
	"crun-$(crun --version | sed -n 's/^crun version //p') crun $(command -v crun)")
shared=$SR_SOURCE/../shared/runtimes
if [[ -d $shared ]]; then
	for v in 1.2.9 1.3.6 1.4.3; do
		p=$(bash "$shared/runc-new" "$v" "$SR_ROOTFS_CACHE/runtimes/runc-$v" 2>"$SR_WORK/install.err") ||
			fail "cannot install runc $v: $(cat "$SR_WORK/install.err")"
		runtimes+=("runc-$v runc $p")
	done
	p=$(bash "$shared/crun-new" "$SR_ROOTFS_CACHE/runtimes/crun-1.27.1" 2>"$SR_WORK/install.err") ||
		fail "cannot install crun 1.27.1: $(cat "$SR_WORK/install.err")"
	runtimes+=("crun-1.27.1 crun $p")
else
	log "no $shared: the matrix covers Debian's runc and crun only"
fi
log "runtimes: $(printf '%s\n' "${runtimes[@]}" | cut -d' ' -f1 | tr '\n' ' ')"

# run_with KIND PATH DIR: runs the bundle DIR under that runtime binary.
run_with() {
	local kind=$1 path=$2 dir=$3 id
	id=$(new_id)
	case $kind in
	runc) timeout 60 "$path" run --bundle "$dir" "$id" >"$dir/out" 2>"$dir/err" </dev/null ;;
	crun)
		timeout 60 unshare -m --propagation private sh -c \
			'umount /sys/fs/cgroup/unified 2>/dev/null; exec "$0" "$@"' "$path" \
			run --bundle "$dir" "$id" >"$dir/out" 2>"$dir/err" </dev/null
		;;
	esac
}

nnp_edit() { bundle_edit "$1" --argjson n "$2" '.process.noNewPrivileges = $n'; }

matrix() {
	local rec_rt rec_kind rec_path nnp prof dir rt kind path run_nnp rc starts=0 failed=()
	for r in "${runtimes[@]}"; do
		read -r rec_rt rec_kind rec_path <<<"$r"
		for nnp in true false; do
			prof=$SR_WORK/$rec_rt-$nnp.json
			dir=$SR_WORK/rec-$rec_rt-$nnp
			bundle "$dir" "of:$prof;mode:kill" "" -- ls /
			nnp_edit "$dir" "$nnp"
			run_with "$rec_kind" "$rec_path" "$dir" ||
				fail "recording under $rec_rt (noNewPrivileges $nnp) failed: $(cat "$dir/err")"
			[[ $(jq -r .defaultAction "$prof") == SCMP_ACT_KILL_PROCESS ]] ||
				fail "mode:kill wrote defaultAction $(jq -r .defaultAction "$prof")"
			cp "$dir/out" "$prof.out"
		done
	done
	for r in "${runtimes[@]}"; do
		read -r rec_rt rec_kind rec_path <<<"$r"
		for nnp in true false; do
			prof=$SR_WORK/$rec_rt-$nnp.json
			for e in "${runtimes[@]}"; do
				read -r rt kind path <<<"$e"
				for run_nnp in true false; do
					dir=$SR_WORK/run-$rec_rt-$nnp-$rt-$run_nnp
					bundle "$dir" - "$prof" -- ls /
					nnp_edit "$dir" "$run_nnp"
					starts=$((starts + 1))
					rc=0
					run_with "$kind" "$path" "$dir" || rc=$?
					if ((rc != 0)); then
						failed+=("recorded under $rec_rt ($nnp), run under $rt ($run_nnp): exit $rc, $(head -c 200 "$dir/err")")
					elif ! cmp -s "$dir/out" "$prof.out"; then
						failed+=("recorded under $rec_rt ($nnp), run under $rt ($run_nnp): other output")
					fi
					rm -rf "$dir"
				done
			done
		done
	done
	((${#failed[@]} == 0)) || fail "${#failed[@]} of $starts starts failed under defaultAction SCMP_ACT_KILL_PROCESS: $(printf '%s; ' "${failed[@]}")"
	log "ok: $starts starts, every recording under every runtime and setting, with the recorded output"
}
scenario "a profile recorded under any runtime starts the container under every runtime, killing on anything else" matrix

# The runtime's syscalls sit in a rule of their own, the workload's first.
visible() {
	local prof=$SR_WORK/${runtimes[0]%% *}-true.json
	[[ -s $prof ]] || fail "no recording from the matrix"
	jq -e '.syscalls[0].comment == "recorded by seccomp-recorder"' "$prof" >/dev/null ||
		fail "the workload's rule is not first: $(jq -c '[.syscalls[].comment]' "$prof")"
	jq -e '[.syscalls[] | select(.comment | test("runc 1.1-1.5 and crun 1.8")) | .names[]] | index("statx") != null' "$prof" >/dev/null ||
		fail "no runtime rule with statx: $(jq -c '[.syscalls[] | {comment, names}]' "$prof")"
	jq -e '[.syscalls[] | select(.comment | test("kernel and the C library")) | .names[]] | index("restart_syscall") != null' "$prof" >/dev/null ||
		fail "no implicit rule with restart_syscall"
	jq -e '[.syscalls[].names[]] | length == (unique | length)' "$prof" >/dev/null ||
		fail "a syscall is named by two rules"
	log "ok: $(jq -c '[.syscalls[] | {c: .comment[0:40], n: (.names | length)}]' "$prof")"
}
scenario "the runtime's and the implicit syscalls are in rules of their own, each named once" visible

# A sleeping process stopped and continued resumes through restart_syscall;
# a signal handler first run under the profile returns through rt_sigreturn.
implicit() {
	local rt prof prof_kill dir
	for rt in runc crun; do
		prof=$SR_WORK/implicit-$rt.json
		record "$rt" "$prof" "" -- sh -c 'sleep 0.5 & p=$!; sleep 0.1; kill -0 $p; wait $p; trap "echo term" TERM; kill -0 $$; echo end'
		prof_kill=$SR_WORK/implicit-$rt-kill.json
		jq '.defaultAction = "SCMP_ACT_KILL_PROCESS" | del(.defaultErrnoRet)' "$prof" >"$prof_kill"
		dir=$SR_WORK/implicit-run-$rt
		enforce "$rt" "$prof_kill" "$dir" -- sh -c 'sleep 0.5 & p=$!; sleep 0.1; kill -STOP $p; sleep 0.1; kill -CONT $p; wait $p; echo "sleep: $?"; trap "echo term" TERM; kill -TERM $$; echo end' ||
			fail "$rt: the workload died under its profile: $(cat "$dir/err") $(cat "$dir/out")"
		grep -q "sleep: 0" "$dir/out" || fail "$rt: the stopped and continued sleep failed: $(cat "$dir/out")"
		grep -q "^term$" "$dir/out" && grep -q "^end$" "$dir/out" ||
			fail "$rt: the signal handler did not run and return: $(cat "$dir/out")"
	done
	log "ok: SIGSTOP/SIGCONT of a sleeping process and a first SIGTERM handler under the recorded profile, runc and crun"
}
scenario "a process stopped and continued, and a signal handler first run after recording, under the recorded profile" implicit
