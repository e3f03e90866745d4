#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tests/bench/run.sh [--quick]: every figure of docs/PERFORMANCE.md, measured
# side by side in one run and printed as one table. Not a test: it judges
# nothing (CI runs --quick only so that it cannot rot). Needs root, runc, a
# built tree (SR_BUILD, default build/) and, for its row, bpftrace.
#  - hook latency: exec of `seccomp-recorder hook` with a prestart state until
#    it returns armed: as the first tracer (loads the programs) and while
#    another container is traced (joins them); median and p90;
#  - `runc run` of busybox `true` without and with the hook (medians);
#  - ns per getppid for a host process outside any traced container (fastest
#    of ROUNDS rounds of CALLS calls): no BPF; the empty-program floors
#    (bpf/floor.bpf.c) on each attach point, and raw_tp doing only a hash
#    lookup or only an array read (the candidate early exits); ours with 1, 8, 32 and 64
#    containers traced at once; a bpftrace one-liner with the same job
#    (count one process's syscalls); and the same loop inside a container;
#  - memory: the tracers' peak RSS, and the kernel memory of our maps, fixed
#    and per container.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${SR_BUILD:-$src/build}" && pwd)
if [[ ${1:-} == --quick ]]; then
	mode=quick runs=3 calls=200000 rounds=1 pairs=1 counts="1 8" tries=1
else
	mode=full runs=21 calls=2000000 rounds=3 pairs=3 counts="1 8 32 64" tries=5
fi
bench=$build/tests/syscall_bench
floor=$build/tests/floor
for f in "$bench" "$floor" "$build/seccomp-recorder"; do
	[[ -x $f ]] || { echo "run.sh: $f is missing; build first (bash tests/build.sh build)" >&2; exit 1; }
done
[[ $(id -u) == 0 ]] || { echo "run.sh: needs root (BPF and runc)" >&2; exit 1; }
export SR_BIN=$build/seccomp-recorder
export SR_WORK=$(mktemp -d /tmp/sr-bench.XXXXXX)
source "$src/tests/integration/lib.sh"
NR_getppid=110
trap 'stop_all; cleanup_containers; rm -rf "$SR_WORK"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m}'; }
p90() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.9+0.5); if(i<1)i=1; printf "%.1f", a[i]}'; }
row() { printf '%-46s %12s %8s %13s %8s\n' "$@"; }
# On one CPU, the last: migrations are the largest source of noise here.
cpu=$(($(nproc) - 1))
cost() { taskset -c "$cpu" "$bench" $NR_getppid "$calls" "$rounds"; }
extra() { awk -v a="$1" -v b="$base" 'BEGIN {printf "%.1f", a - b}'; }
ratio() { awk -v a="$1" -v f="$2" 'BEGIN {if (f > 0) printf "%.2f", a / f; else print "-"}'; }
ours_loaded() { bpftool prog show 2>/dev/null | grep -Eq 'name (sr_sys_enter|sr_task_newtask|sr_cap_capable|sr_cap_kprobe)'; }
# Kernel memory of our maps (bytes, as the kernel accounts it).
map_bytes() { bpftool -j map show 2>/dev/null | jq '[.[] | select(.name | test("^sr_")) | .bytes_memlock] | add // 0'; }

# ---- hook latency ----
# A shell that waits, then execs, stands in for a container's init (the
# hook is done long before that exec); the poststop call waits for the tracer.
hook_once() { # TAG: one armed hook; prints ms from exec to return
	local init state t0 t1
	sh -c 'sleep 0.2; exec sleep 0' &
	init=$!
	state=$(printf '{"ociVersion":"1.0.2","id":"bench-%s-%s","status":"creating","pid":%s,"annotations":{"io.containers.trace-syscall":"of:%s/lat.json"}}' $$ "$1" $init "$SR_WORK")
	printf '%s' "$state" >"$SR_WORK/state.json"
	# No subshell or pipe around the hook: on this VM a fork costs ms.
	t0=${EPOCHREALTIME/./}
	"$SR_BIN" "${SR_HOOK_ARGS[@]}" <"$SR_WORK/state.json"
	t1=${EPOCHREALTIME/./}
	wait $init 2>/dev/null || true
	printf '%s' "${state/creating/stopped}" | "$SR_BIN" "${SR_HOOK_ARGS[@]}" 2>/dev/null
	awk -v d=$((t1 - t0)) 'BEGIN {print d / 1000}'
}
cold=() warm=()
for i in $(seq "$runs"); do
	wait_for 5 eval '! ours_loaded' || true
	cold+=("$(hook_once "cold-$i")")
done
# With an anchor container traced, every hook joins the loaded programs.
anchor_init() { sh -c 'sleep 0.1; exec sleep 600' & anchor=$!; }
anchor_init
anchor_state=$(printf '{"ociVersion":"1.0.2","id":"bench-anchor-%s","status":"creating","pid":%s,"annotations":{"io.containers.trace-syscall":"of:%s/anchor.json"}}' $$ $anchor "$SR_WORK")
printf '%s' "$anchor_state" | "$SR_BIN" "${SR_HOOK_ARGS[@]}"
for i in $(seq "$runs"); do warm+=("$(hook_once "warm-$i")"); done
kill $anchor
wait $anchor 2>/dev/null || true
printf '%s' "${anchor_state/creating/stopped}" | "$SR_BIN" "${SR_HOOK_ARGS[@]}" 2>/dev/null

# ---- container start ----
# Interleaved pairs (without, with) under runc and crun: the medians, and
# the median and p90 of each pair's difference (what the hook costs one
# container, the last traced one: the worst case).
bundle "$SR_WORK/plain" - "" -- true
bundle "$SR_WORK/hooked" "of:$SR_WORK/hooked.json" "" -- true
elapsed_ms() { # COMMAND...: ms of one run of COMMAND, whatever its status
	local t0 t1
	t0=${EPOCHREALTIME/./}
	"$@" >/dev/null 2>&1 </dev/null || true
	t1=${EPOCHREALTIME/./}
	awk -v d=$((t1 - t0)) 'BEGIN {print d / 1000}'
}
start_ms() { # RUNTIME KIND ID: ms of one `RUNTIME run` of that bundle
	elapsed_ms run_container "$1" "$SR_WORK/$2" "$3"
}
declare -A starts_plain starts_hooked starts_diff
for rt in runc crun; do
	command -v "$rt" >/dev/null || continue
	p=() h=() d=()
	for i in $(seq "$runs"); do
		a=$(start_ms "$rt" plain "bench-plain-$rt-$$-$i")
		b=$(start_ms "$rt" hooked "bench-hooked-$rt-$$-$i")
		p+=("$a") h+=("$b") d+=("$(awk -v a="$a" -v b="$b" 'BEGIN {print b - a}')")
	done
	starts_plain[$rt]=$(printf '%s\n' "${p[@]}" | median)
	starts_hooked[$rt]=$(printf '%s\n' "${h[@]}" | median)
	starts_diff[$rt]="$(printf '%s\n' "${d[@]}" | median)/$(printf '%s\n' "${d[@]}" | p90)"
done
# The runtime wrapper on an untraced container (what Docker and containerd
# users pay on every container): interleaved pairs of `runc run` of the
# plain bundle, direct and through `seccomp-recorder runtime`; and of a bare
# pass-through (`--version`), the exec it adds to every other runtime call.
wd=() vd=()
for i in $(seq "$runs"); do
	a=$(start_ms runc plain "bench-wplain-$$-$i")
	b=$(elapsed_ms "$SR_BIN" runtime --runtime "$(command -v runc)" -- \
		run --bundle "$SR_WORK/plain" "bench-wrapped-$$-$i")
	wd+=("$(awk -v a="$a" -v b="$b" 'BEGIN {print b - a}')")
	a=$(elapsed_ms runc --version)
	b=$(elapsed_ms "$SR_BIN" runtime -- --version)
	vd+=("$(awk -v a="$a" -v b="$b" 'BEGIN {print b - a}')")
done
wrapper_run="$(printf '%s\n' "${wd[@]}" | median)/$(printf '%s\n' "${wd[@]}" | p90)"
wrapper_pass="$(printf '%s\n' "${vd[@]}" | median)/$(printf '%s\n' "${vd[@]}" | p90)"
# What a CI suite pays: containers back to back, without the hook, then with.
loop_n=$([[ $mode == full ]] && echo 50 || echo 5)
loop_s() { # KIND
	local t0 t1
	t0=${EPOCHREALTIME/./}
	for i in $(seq "$loop_n"); do
		runc run --bundle "$SR_WORK/$1" "bench-loop-$1-$$-$i" >/dev/null 2>&1 </dev/null || true
	done
	t1=${EPOCHREALTIME/./}
	awk -v d=$((t1 - t0)) 'BEGIN {printf "%.2f", d / 1000000}'
}
loop_plain=$(loop_s plain)
loop_hooked=$(loop_s hooked)

# ---- per-syscall cost ----
# Each BPF row is measured right after its own no-BPF base (this VM drifts
# by tens of ns over minutes), as the median over PAIRS (base, with) of the
# difference; and, with kernel.bpf_stats_enabled for a separate run, the
# program's own run time per invocation ("prog ns"), which noise hardly
# touches: extra = dispatch (what the floor's extra is, less its body) + body.
prog_stats() { # REGEX: total run_time_ns and run_cnt of programs so named
	bpftool -j prog show 2>/dev/null | jq -r --arg re "$1" \
		'[.[] | select(.name // "" | test($re))] | "\(map(.run_time_ns // 0) | add // 0) \(map(.run_cnt // 0) | add // 0)"'
}
body_ns() { # REGEX: ns per run of those programs while the loop runs
	local t0 c0 t1 c1
	sysctl -qw kernel.bpf_stats_enabled=1
	read -r t0 c0 < <(prog_stats "$1")
	taskset -c "$cpu" "$bench" $NR_getppid "$calls" 1 >/dev/null
	read -r t1 c1 < <(prog_stats "$1")
	sysctl -qw kernel.bpf_stats_enabled=0
	awk -v t=$((t1 - t0)) -v c=$((c1 - c0)) 'BEGIN {if (c > 0) printf "%.1f", t / c; else print "-"}'
}
# measure LABEL PROG-REGEX ATTACH DETACH: PAIRS of (base, with) rounds;
# sets with_ns, extra_ns and body (prog ns; "-" without a regex).
measure() {
	local i b a diffs=() withs=()
	for i in $(seq "$pairs"); do
		b=$(cost)
		"$3" || { with_ns=n/a extra_ns=n/a body=-; return; }
		a=$(cost)
		[[ $i == 1 && -n $2 ]] && body=$(body_ns "$2")
		"$4"
		withs+=("$a")
		diffs+=("$(awk -v a="$a" -v b="$b" 'BEGIN {print a - b}')")
	done
	[[ -n $2 ]] || body=-
	with_ns=$(printf '%s\n' "${withs[@]}" | median)
	extra_ns=$(printf '%s\n' "${diffs[@]}" | median)
}
floor_kind=
floor_on() {
	local out
	coproc FLOOR { "$floor" "$floor_kind" 2>&1; }
	read -r -u "${FLOOR[0]}" out || true
	[[ $out == attached ]] || { floor_off; return 1; }
}
floor_off() {
	eval "exec ${FLOOR[1]}>&-"
	wait "$FLOOR_PID" 2>/dev/null || true
}
pids=()
start_containers() { # N: N traced containers running `sleep 600`
	local i dir id
	for i in $(seq $((${#pids[@]} + 1)) "$1"); do
		dir=$SR_WORK/ct-$i
		id="sr-bench-$$-$i"
		SR_CONTAINERS+=("$id") # here, not in a $(...) subshell
		bundle "$dir" "of:$SR_WORK/p-$i.json" "" -- sleep 600
		start_running "$dir" "$id"
		pids+=("$SR_RUNNER")
	done
}
stop_all() {
	local id
	for id in "${SR_CONTAINERS[@]}"; do runc kill "$id" KILL >/dev/null 2>&1 || true; done
	for id in "${pids[@]}"; do wait "$id" 2>/dev/null || true; done
	pids=()
	cleanup_containers
	SR_CONTAINERS=()
	wait_for 5 eval '! ours_loaded' || true
}
tracer_kib() { # FIELD: largest FIELD (VmRSS, VmHWM) among our tracers, in KiB
	local t
	for t in $(pgrep -f 'seccomp-recorder hook'); do
		awk -v f="$1:" '$1 == f {print $2}' "/proc/$t/status" 2>/dev/null
	done | sort -n | tail -1
}
bt_on() {
	command -v bpftrace >/dev/null || return 1
	sleep 600 &
	bt_target=$!
	bpftrace -e "tracepoint:raw_syscalls:sys_enter /pid == $bt_target/ { @[args->id] = count(); }" \
		>"$SR_WORK/bpftrace.out" 2>&1 &
	bt_pid=$!
	wait_for 30 grep -q Attaching "$SR_WORK/bpftrace.out" && sleep 1
}
bt_off() {
	# bpftrace leaves on SIGINT (printing its maps); a SIGTERM it can miss
	# while it is still setting up.
	kill -INT "$bt_pid" 2>/dev/null || true
	kill "$bt_target" 2>/dev/null || true
	wait_for 10 eval '! kill -0 "$bt_pid" 2>/dev/null' || kill -KILL "$bt_pid" 2>/dev/null || true
	wait "$bt_pid" "$bt_target" 2>/dev/null || true
}

grep -q tracefs /proc/mounts || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
base=$(cost)
declare -A r_with r_extra r_body
# Floors: programs named floor_raw_tp, floor_tp_btf, ... (15 characters).
for k in raw_tp tp_btf tracepoint lookup array; do
	floor_kind=$k
	re=
	case $k in
	raw_tp) re='^floor_raw_tp$' ;;
	tp_btf) re='^floor_tp_btf$' ;;
	tracepoint) re='^floor_tracepoin' ;;
	lookup) re='^floor_raw_tp_lo' ;;
	array) re='^floor_raw_tp_ar' ;;
	esac
	measure "$k" "$re" floor_on floor_off
	r_with[$k]=$with_ns r_extra[$k]=$extra_ns r_body[$k]=$body
done
floor_extra=${r_extra[raw_tp]}
# Early-exit candidates (bpf/floor.bpf.c): prog ns only, fastest of TRIES.
declare -A cand
for k in raw_tp array pidtgid tgid storage nostorage nsproxy; do
	floor_kind=$k
	case $k in
	raw_tp) re='^floor_raw_tp$' ;;
	array) re='^floor_raw_tp_ar' ;;
	*) re="^cand_$k\$" ;;
	esac
	cand[$k]=-
	floor_on || continue
	cand[$k]=$(for i in $(seq "$tries"); do body_ns "$re"; echo; done | sort -n | head -1)
	floor_off
done
first=${counts%% *}
for n in $counts; do
	ours_on() { start_containers "$n"; }
	ours_off() {
		if [[ $n == "$first" ]]; then mem_first=$(map_bytes); fi
		mem_last=$(map_bytes)
		rss=$(tracer_kib VmRSS)
		hwm=$(tracer_kib VmHWM)
		stop_all
	}
	measure "ours-$n" '^sr_sys_enter$' ours_on ours_off
	r_with[ours-$n]=$with_ns r_extra[ours-$n]=$extra_ns r_body[ours-$n]=$body
	last=$n
done
measure bpftrace '' bt_on bt_off
r_with[bpftrace]=$with_ns r_extra[bpftrace]=$extra_ns r_body[bpftrace]=-
# Inside a traced container: the whole path, recording included.
install -m 0755 "$bench" "$(rootfs)/bin/syscall_bench"
d=$SR_WORK/inside
bundle "$d" "of:$SR_WORK/inside.json" "" -- /bin/syscall_bench $NR_getppid "$calls" "$rounds"
base=$(cost)
run_container runc "$d" || true
inside=$(cat "$d/out")

# ---- the table ----
first=${counts%% *}
per_ct=$(awk -v a="$mem_last" -v b="$mem_first" -v n=$((last - first)) 'BEGIN {if (n > 0) printf "%.1f", (a - b) / n / 1024; else print "-"}')
fixed=$(awk -v b="$mem_first" -v p="$per_ct" -v n="$first" 'BEGIN {printf "%.0f", b / 1024 - p * n}')
echo "seccomp-recorder benchmark ($mode): kernel $(uname -r), $(nproc) CPUs; $runs runs;" \
	"getppid on CPU $cpu: fastest of $rounds round(s) of $calls calls; extra: median of $pairs" \
	"(base, with) pair(s); x floor: extra / the floor's extra (in parentheses: from prog ns)"
row "measure" "value" "extra" "x floor" "prog ns"
row "hook latency, first tracer (ms, median/p90)" "$(printf '%s\n' "${cold[@]}" | median)/$(printf '%s\n' "${cold[@]}" | p90)" "" "" ""
row "hook latency, joining (ms, median/p90)" "$(printf '%s\n' "${warm[@]}" | median)/$(printf '%s\n' "${warm[@]}" | p90)" "" "" ""
for rt in runc crun; do
	[[ -n ${starts_plain[$rt]:-} ]] || continue
	row "$rt run true, no hook (ms, median)" "${starts_plain[$rt]}" "" "" ""
	row "$rt run true, with hook (ms, median)" "${starts_hooked[$rt]}" "" "" ""
	row "  the hook's cost per pair (ms, median/p90)" "${starts_diff[$rt]}" "" "" ""
done
row "wrapper, untraced runc run: extra ms (median/p90)" "$wrapper_run" "" "" ""
row "wrapper, pass-through call: extra ms (median/p90)" "$wrapper_pass" "" "" ""
row "$loop_n runc run true back to back (s, no hook/hook)" "$loop_plain/$loop_hooked" "$(awk -v a="$loop_hooked" -v b="$loop_plain" -v n="$loop_n" 'BEGIN {printf "%.1f ms", (a - b) * 1000 / n}')" "" ""
row "host getppid (ns/call), no BPF" "$base" "0.0" "-" ""
floor_body=${r_body[raw_tp]}
bpf_row() { # LABEL KEY: a row for one BPF configuration
	local k=$2 x=- xs=
	[[ ${r_extra[$k]} == n/a ]] && { row "$1" n/a - - -; return; }
	x=$(ratio "${r_extra[$k]}" "$floor_extra")
	# The same ratio with the bodies from bpf_stats and the floor's dispatch.
	if [[ ${r_body[$k]} != - && $floor_body != - ]]; then
		xs=$(awk -v f="$floor_extra" -v fb="$floor_body" -v b="${r_body[$k]}" \
			'BEGIN {if (f > 0) printf " (%.2f)", (f - fb + b) / f}')
	fi
	row "$1" "${r_with[$k]}" "${r_extra[$k]}" "$x$xs" "${r_body[$k]}"
}
bpf_row "  + empty raw_tp (the floor)" raw_tp
bpf_row "  + empty tp_btf" tp_btf
bpf_row "  + empty classic tracepoint" tracepoint
bpf_row "  + raw_tp doing one hash lookup" lookup
bpf_row "  + raw_tp reading one array slot" array
for n in $counts; do bpf_row "  + ours, $n container(s) traced" "ours-$n"; done
bpf_row "  + bpftrace one-liner (one pid)" bpftrace
row "getppid inside a traced container (ns/call)" "$inside" "$(extra "$inside")" "-" ""
row "tracer RSS, largest of $last (KiB, now/peak)" "$rss/$hwm" "" "" ""
row "kernel memory of our maps, fixed (KiB)" "$fixed" "" "" ""
row "kernel memory of our maps, per container (KiB)" "$per_ct" "" "" ""
# Early exits: prog ns only, fastest of TRIES (the same table, last column).
row "early exit of a host process, prog ns (best of $tries):" "" "" "" ""
row "  empty raw_tp (the floor)" "" "" "" "${cand[raw_tp]}"
row "  array slot by tgid bucket (ours)" "" "" "" "${cand[array]}"
row "  bpf_get_current_pid_tgid() only" "" "" "" "${cand[pidtgid]}"
row "  current->tgid through a BTF pointer" "" "" "" "${cand[tgid]}"
row "  task local storage lookup (5.11+)" "" "" "" "${cand[storage]}"
row "  current->bpf_storage NULL, then lookup" "" "" "" "${cand[nostorage]}"
row "  current->nsproxy compared to a constant" "" "" "" "${cand[nsproxy]}"
