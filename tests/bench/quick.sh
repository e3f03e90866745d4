#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# tests/bench/quick.sh [N]: the figures quoted in docs/PERFORMANCE.md, as
# medians over N runs (default 21). Not a test: it judges nothing.
#  - hook latency: exec of `seccomp-recorder hook` with a prestart state until
#    it returns with tracing armed;
#  - `runc run` of busybox `true` with and without the hook;
#  - tracer peak RSS (reported by the tracer itself);
#  - syscalls in the recorded profiles of busybox `true` and `ls /`.
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
n=${1:-21}
bin=${SR_BIN:-$src/build/seccomp-recorder}
work=$(mktemp -d /tmp/sr-bench.XXXXXX)
# The rootfs and bundle helpers the integration tests use.
export SR_BIN=$bin SR_WORK=$work
source "$src/tests/integration/lib.sh"
trap 'cleanup_containers; rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.2f", m}'; }
p90() { sort -n | awk '{a[NR]=$1} END {i=int(NR*0.9+0.5); if(i<1)i=1; printf "%.2f", a[i]}'; }
now_us() { echo "${EPOCHREALTIME/./}"; }

# Hook latency: a shell that waits, then execs, stands in for the container's
# init (the hook is done long before its exec).
for i in $(seq "$n"); do
	sh -c 'sleep 0.3; exec sleep 0' &
	init=$!
	state=$(printf '{"ociVersion":"1.0.2","id":"bench-%s-%s","status":"creating","pid":%s,"annotations":{"io.containers.trace-syscall":"of:%s/lat.json"}}' $$ "$i" $init "$work")
	t0=$(now_us)
	printf '%s' "$state" | "$bin" hook
	t1=$(now_us)
	echo $(((t1 - t0))) >>"$work/lat"
	wait $init 2>/dev/null || true
	printf '%s' "${state/creating/stopped}" | "$bin" hook 2>/dev/null
done
lat_med=$(awk '{print $1/1000}' "$work/lat" | median)
lat_p90=$(awk '{print $1/1000}' "$work/lat" | p90)

# runc run true, with and without the hook, interleaved.
bundle "$work/plain" - "" -- true
bundle "$work/hooked" "of:$work/hooked/p.json" "" -- true
for i in $(seq "$n"); do
	for kind in plain hooked; do
		t0=$(now_us)
		runc run --bundle "$work/$kind" "bench-$kind-$$-$i" >/dev/null 2>&1 </dev/null
		t1=$(now_us)
		echo $(((t1 - t0))) >>"$work/run-$kind"
	done
done
plain_med=$(awk '{print $1/1000}' "$work/run-plain" | median)
hooked_med=$(awk '{print $1/1000}' "$work/run-hooked" | median)
true_count=$(jq '[.syscalls[] | select(.action=="SCMP_ACT_ALLOW") | .names[]] | length' "$work/hooked/p.json")

# ls / profile, and the tracer's own peak RSS from its log line (stderr of
# the poststop stage carries it when run by hand).
bundle "$work/ls" "of:$work/ls/p.json" "" -- ls /
runc run --bundle "$work/ls" "bench-ls-$$" >/dev/null 2>&1 </dev/null
ls_count=$(jq '[.syscalls[] | select(.action=="SCMP_ACT_ALLOW") | .names[]] | length' "$work/ls/p.json")
sh -c 'sleep 0.3; exec sleep 0' &
init=$!
state=$(printf '{"ociVersion":"1.0.2","id":"bench-rss-%s","status":"creating","pid":%s,"annotations":{"io.containers.trace-syscall":"of:%s/rss.json"}}' $$ $init "$work")
printf '%s' "$state" | "$bin" hook 2>/dev/null
wait $init 2>/dev/null || true
rss=$(printf '%s' "${state/creating/stopped}" | "$bin" hook 2>&1 | grep -o 'peak RSS [0-9]* KiB' || echo "peak RSS ? KiB")

printf '%-44s %s\n' "hook latency, exec to armed return (ms)" "median $lat_med, p90 $lat_p90 (n=$n)"
printf '%-44s %s\n' "runc run true without hook (ms)" "median $plain_med (n=$n)"
printf '%-44s %s\n' "runc run true with hook (ms)" "median $hooked_med (n=$n)"
printf '%-44s %s\n' "tracer" "$rss"
printf '%-44s %s\n' "syscalls in profile: busybox true" "$true_count"
printf '%-44s %s\n' "syscalls in profile: busybox ls /" "$ls_count"
