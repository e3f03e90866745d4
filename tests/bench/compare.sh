#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tests/bench/compare.sh OLD_BINARY NEW_BINARY [ROUNDS]: two builds of
# seccomp-recorder side by side, interleaved round by round so that a
# machine's drift and load hit both alike. Not a test: it prints, judges
# nothing. Needs root, runc, busybox-static and jq.
#  - hook latency as the first tracer (loads the programs) and joining (an
#    anchor container of each build is traced meanwhile): median/p90 ms;
#  - `runc run` of busybox `true` with each build's hook, minus the same
#    run without a hook, in triples: median/p90 ms.
# The two builds must differ in their BPF ABI (recorder.h or the BPF
# source) to keep separate instances; otherwise the first-tracer rows
# measure whichever loaded first.
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: $0 OLD_BINARY NEW_BINARY [ROUNDS]" >&2; exit 2; }
declare -A bin=([old]=$(realpath "$1") [new]=$(realpath "$2"))
rounds=${3:-21}
work=$(mktemp -d /tmp/sr-compare.XXXXXX)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs
mkdir -p "$rootfs/bin" "$rootfs"/{proc,dev,sys,tmp,etc}
cp /bin/busybox "$rootfs/bin/busybox"
for a in sh true sleep; do ln -s busybox "$rootfs/bin/$a"; done

median() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
p90() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.9+0.5); if(i<1)i=1; printf "%.1f", a[i]}'; }
stats() { printf '%s/%s' "$(median <"$1")" "$(p90 <"$1")"; }
state() { # ID PID OUT
	printf '{"ociVersion":"1.0.2","id":"%s","status":"creating","pid":%s,"annotations":{"io.containers.trace-syscall":"of:%s"}}' "$1" "$2" "$3"
}
hook_ms() { # BUILD TAG: one armed hook, ms from exec to return
	local init st t0 t1
	sh -c 'sleep 0.2; exec sleep 0' &
	init=$!
	st=$(state "cmp-$1-$2-$$" $init "$work/$1.json")
	printf '%s' "$st" >"$work/state.json"
	t0=${EPOCHREALTIME/./}
	"${bin[$1]}" hook --allow-dir "$work" <"$work/state.json" 2>/dev/null
	t1=${EPOCHREALTIME/./}
	wait $init || true
	printf '%s' "${st/creating/stopped}" | "${bin[$1]}" hook --allow-dir "$work" 2>/dev/null
	awk -v d=$((t1 - t0)) 'BEGIN {print d / 1000}'
}
bundle() { # DIR [BINARY]: runc bundle running true, with that build's hook
	mkdir -p "$1"
	(cd "$1" && runc spec)
	local f='.root.path = $r | .root.readonly = false | .process.terminal = false | .process.args = ["true"]'
	[[ -n ${2:-} ]] && f+=' | .annotations["io.containers.trace-syscall"] = "of:\($d)/run.json"
		| .hooks = {prestart: [{path: $b, args: ["seccomp-recorder", "hook", "--allow-dir", $d]}],
			poststop: [{path: $b, args: ["seccomp-recorder", "hook", "--allow-dir", $d]}]}'
	jq --arg r "$rootfs" --arg b "${2:-}" --arg d "$work" "$f" "$1/config.json" >"$1/c"
	mv "$1/c" "$1/config.json"
}
run_ms() { # BUNDLE ID
	local t0 t1
	t0=${EPOCHREALTIME/./}
	runc run --bundle "$1" "$2" >/dev/null 2>&1 </dev/null || true
	t1=${EPOCHREALTIME/./}
	awk -v d=$((t1 - t0)) 'BEGIN {print d / 1000}'
}

for i in $(seq "$rounds"); do
	for b in old new; do sleep 0.3; hook_ms $b "cold$i" >>"$work/cold.$b"; done
done
declare -A anchor anchor_state
for b in old new; do
	sh -c 'sleep 0.1; exec sleep 600' &
	anchor[$b]=$!
	anchor_state[$b]=$(state "cmp-anchor-$b-$$" "${anchor[$b]}" "$work/anchor-$b.json")
	printf '%s' "${anchor_state[$b]}" | "${bin[$b]}" hook --allow-dir "$work" 2>/dev/null
done
for i in $(seq "$rounds"); do
	for b in old new; do hook_ms $b "warm$i" >>"$work/warm.$b"; done
done
for b in old new; do
	kill "${anchor[$b]}"
	wait "${anchor[$b]}" 2>/dev/null || true
	printf '%s' "${anchor_state[$b]/creating/stopped}" | "${bin[$b]}" hook --allow-dir "$work" 2>/dev/null
done
bundle "$work/plain"
for b in old new; do bundle "$work/b-$b" "${bin[$b]}"; done
for i in $(seq "$rounds"); do
	p=$(run_ms "$work/plain" "cmp-plain-$$-$i")
	for b in old new; do
		h=$(run_ms "$work/b-$b" "cmp-$b-$$-$i")
		awk -v a="$p" -v b="$h" 'BEGIN {print b - a}' >>"$work/pair.$b"
	done
done
printf '%-44s %14s %14s\n' "ms (median/p90), $rounds rounds" old new
printf '%-44s %14s %14s\n' "hook latency, first tracer" "$(stats "$work/cold.old")" "$(stats "$work/cold.new")"
printf '%-44s %14s %14s\n' "hook latency, joining" "$(stats "$work/warm.old")" "$(stats "$work/warm.new")"
printf '%-44s %14s %14s\n' "runc run true, extra over no hook" "$(stats "$work/pair.old")" "$(stats "$work/pair.new")"
