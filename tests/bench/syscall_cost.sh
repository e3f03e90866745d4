#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tests/bench/syscall_cost.sh [CALLS] [COUNTS]: what the sys_enter program
# costs a process of no interest, in ns per getppid, fastest of 3 rounds of
# CALLS calls (default 2000000), on the host:
#   - no BPF program;
#   - the floors (bpf/floor.bpf.c): an empty program as raw_tp, tp_btf and
#     classic tracepoint, and a raw_tp doing one hash lookup;
#   - ours, with N containers traced at once, for N in COUNTS
#     (default "1 8 32 64"): each runs `sleep` under the hook;
#   - bpftrace counting one pid's syscalls, if bpftrace is installed;
# and inside one traced container. Also the tracers' RSS and the kernel
# memory of our maps per container. Not a test: it judges nothing.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${SR_BUILD:-$src/build}
calls=${1:-2000000}
counts=${2:-1 8 32 64}
bench=$build/tests/syscall_bench
floor=$build/tests/floor
export SR_BIN=${SR_BIN:-$build/seccomp-recorder}
export SR_WORK=$(mktemp -d /tmp/sr-cost.XXXXXX)
source "$src/tests/integration/lib.sh"
trap 'stop_all; cleanup_containers; rm -rf "$SR_WORK"' EXIT
NR_getppid=110

row() { printf '%-34s %10s %10s %8s\n' "$@"; }
cost() { "$bench" $NR_getppid "$calls" 3; }
base=$(cost)
extra() { awk -v a="$1" -v b="$base" 'BEGIN {printf "%.1f", a - b}'; }
ratio() { awk -v a="$1" -v f="$2" 'BEGIN {if (f > 0) printf "%.2f", a / f; else print "-"}'; }

with_floor() { # KIND: ns/call with that floor attached
	local out
	coproc FLOOR { "$floor" "$1" 2>&1; }
	read -r -u "${FLOOR[0]}" out || true
	if [[ $out != attached ]]; then
		eval "exec ${FLOOR[1]}>&-"
		wait "$FLOOR_PID" 2>/dev/null || true
		echo "n/a"
		return
	fi
	cost
	eval "exec ${FLOOR[1]}>&-"
	wait "$FLOOR_PID" 2>/dev/null || true
}

pids=()
start_containers() { # N: N traced containers running `sleep 600`
	local i dir id
	for i in $(seq 1 "$1"); do
		dir=$SR_WORK/ct-$i
		id="sr-cost-$$-$i"
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
}

grep -q tracefs /proc/mounts || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
echo "getppid, ns/call (fastest of 3 rounds of $calls), on $(nproc) CPUs, kernel $(uname -r)"
row "host process, with ..." "ns/call" "extra" "x floor"
row "no BPF" "$base" "0" "-"
floor_raw=$(with_floor raw_tp)
floor_extra=$(extra "$floor_raw")
row "empty raw_tp (the floor)" "$floor_raw" "$floor_extra" "1.00"
for k in tp_btf tracepoint lookup; do
	v=$(with_floor "$k")
	[[ $v == n/a ]] && { row "empty $k" n/a n/a n/a; continue; }
	row "$( [[ $k == lookup ]] && echo "raw_tp + one hash lookup" || echo "empty $k")" "$v" "$(extra "$v")" "$(ratio "$(extra "$v")" "$floor_extra")"
done
for n in $counts; do
	start_containers "$n"
	v=$(cost)
	row "ours, $n containers traced" "$v" "$(extra "$v")" "$(ratio "$(extra "$v")" "$floor_extra")"
	if [[ $n == "${counts%% *}" ]]; then
		install -m 0755 "$bench" "$(rootfs)/bin/syscall_bench"
		d=$SR_WORK/inside
		bundle "$d" "of:$SR_WORK/inside.json" "" -- /bin/syscall_bench $NR_getppid "$calls" 3
		run_container runc "$d" >/dev/null || true
		inside=$(cat "$d/out")
		tracers=$(pgrep -f 'seccomp-recorder hook' | head -64)
		rss=$(for t in $tracers; do awk '/^VmRSS:/ {print $2}' "/proc/$t/status"; done | sort -n | tail -1)
		maps=$(bpftool map show 2>/dev/null | awk '/name (traced_tgids|events|recorder_|\.bss|\.rodata)/ {getline; for (i = 1; i <= NF; i++) if ($i == "memlock") {s += $(i + 1)}} END {print s + 0}')
	fi
	stop_all
done
if command -v bpftrace >/dev/null; then
	sleep 600 &
	target=$!
	bpftrace -e "tracepoint:raw_syscalls:sys_enter /pid == $target/ { @[args->id] = count(); }" >/dev/null 2>&1 &
	bt=$!
	sleep 5
	v=$(cost)
	row "bpftrace, one pid filtered" "$v" "$(extra "$v")" "$(ratio "$(extra "$v")" "$floor_extra")"
	kill "$bt" "$target" 2>/dev/null || true
	wait "$bt" "$target" 2>/dev/null || true
else
	row "bpftrace (not installed)" - - -
fi
row "inside a traced container" "$inside" "$(extra "$inside")" "-"
echo "tracer RSS per container: ${rss:-?} KiB; kernel memory of one tracer's maps: $((${maps:-0} / 1024)) KiB (memlock)"
