# One BPF instance serves every traced container. A tracer killed with
# SIGKILL loses its slot to the next hook, and the container that gets the
# slot next never sees what the dead one's processes go on doing; when the
# last tracer is killed, the kernel detaches everything at once. These,
# and a damaged BTF cache, are scenarios of their own.
require_privileges
loop=${SR_SYSCALL_LOOP_STATIC:?}
cp "$loop" "$(rootfs)/bin/syscall_loop"
NR_getcpu=309

programs() { bpftool prog show 2>/dev/null | grep -Ec 'name (sr_sys_enter|sr_task_newtask|sr_process_exe|sr_process_exi|sr_cap_capable|sr_cap_kprobe)' || true; }
# Links (attachments) of our programs.
links() {
	local ids
	ids=$(bpftool -j prog show 2>/dev/null | jq -c '[.[] | select(.name // "" | test("^sr_(sys_enter|task_newtask|process_exe|process_exi|cap_capable|cap_kprobe)$")) | .id]')
	bpftool -j link show 2>/dev/null | jq --argjson ids "${ids:-[]}" '[.[] | select(.prog_id as $p | $ids | index($p))] | length'
}
slots() { compgen -G "$reg/slot-*" | wc -l; }
slept() { has_syscall "$1" nanosleep || has_syscall "$1" clock_nanosleep; }
tracer_of() { "$SR_BIN" status | awk -F '\t' -v id="$1" '$1 == id {print $2}'; }

[[ $(programs) == 0 ]] || fail "programs of ours are loaded before the test"
# Five programs where the kernel has the capability:cap_capable tracepoint.
nprogs=4
bpftool btf dump file /sys/kernel/btf/vmlinux >"$SR_WORK/vmlinux.btf.txt"
grep -q "'btf_trace_cap_capable'" "$SR_WORK/vmlinux.btf.txt" && nprogs=5
declare -A ids runners
start() { # NAME ARGS...: a traced runc container, running in the background
	local name=$1 id
	shift
	id=$(new_id)
	ids[$name]=$id
	bundle "$SR_WORK/$name" "of:$SR_WORK/$name.json" "" -- "$@"
	start_running "$SR_WORK/$name" "$id"
	runners[$name]=$SR_RUNNER
}
finish() { # NAME: waits for the container's runtime
	wait "${runners[$1]}" || fail "container $1 failed: $(cat "$SR_WORK/$1/err")"
}
# registry: the shared instance's registry (in reg), the one changed last:
# called right after a container of ours started or ended.
registry() {
	reg=$(ls -td /run/seccomp-recorder/tracing-*/ | head -1)
	reg=${reg%/}
}

# Four containers at once: one set of programs, four slots.
four_containers() {
	start a /bin/syscall_loop $NR_getcpu 15
	registry
	for n in b c d; do start $n sh -c 'sleep 8'; done
	[[ $(programs) == "$nprogs" ]] || fail "4 containers traced: $(programs) programs loaded, expected $nprogs (one instance)"
	[[ $(slots) == 4 ]] || fail "4 containers traced: $(slots) slots registered"
	[[ -f $reg/slot-0 ]] || fail "the first container did not get slot 0"
	gen_a=$(cat "$reg/slot-0")
	log "ok: 4 containers, one instance ($nprogs programs), 4 slots"

	# a's tracer dies outright while a goes on calling getcpu.
	pid=$(tracer_of "${ids[a]}")
	[[ -n $pid ]] || fail "no tracer for container a"
	kill -KILL "$pid"
	sleep 0.2
	[[ $(programs) == "$nprogs" ]] || fail "the others' programs went with a's tracer"
	[[ -f $reg/slot-0 ]] || fail "a's slot file vanished before anyone reaped it"

	# The next hook reaps a's slot and takes it.
	start e sh -c 'sleep 1'
	[[ -f $reg/slot-0 && $(cat "$reg/slot-0") != "$gen_a" ]] ||
		fail "the next container did not take over a's reaped slot"
	[[ $(slots) == 4 ]] || fail "after reaping: $(slots) slots, expected 4 (b, c, d, e)"
	finish e
	has_syscall "$SR_WORK/e.json" getcpu && fail "the dead tracer's container leaked into its slot's next owner"
	slept "$SR_WORK/e.json" || fail "e's profile lacks its sleep"
	log "ok: a's slot reaped and reused; e saw none of a's getcpu"
	# The per-tgid-bucket counts in front of sr_tasks (added and removed by the
	# programs and by user space alike) must add up to its entries.
	# The two maps are read one after the other: a process exiting in between
	# shows as a difference once, not on a second reading.
	agree() {
		tasks=$(bpftool -j map dump name sr_tasks | jq length)
		# bpftool prints the counters as little-endian hex bytes.
		counted=$(bpftool -j map dump name sr_maybe | jq '
			def hex: ltrimstr("0x") | explode | map(if . >= 97 then . - 87 elif . >= 65 then . - 55 else . - 48 end) | reduce .[] as $d (0; . * 16 + $d);
			[.[] | .value | if type == "array" then (reverse | reduce .[] as $b (0; . * 256 + ($b | hex))) else . end] | add')
		[[ $tasks == "$counted" ]]
	}
	agree || agree || fail "sr_maybe counts $counted traced processes, sr_tasks holds $tasks"
	((tasks >= 3)) || fail "only $tasks traced processes with b, c and d running"
	log "ok: sr_maybe agrees with sr_tasks ($tasks processes)"

	for n in b c d; do finish $n; done
	for n in b c d; do slept "$SR_WORK/$n.json" || fail "$n's profile lacks its sleep"; done
	runc kill "${ids[a]}" KILL 2>/dev/null || true
	wait "${runners[a]}" 2>/dev/null || true
	assert_no_leftovers
	log "ok: all done, nothing attached, no slot left"
}
scenario "four containers share one instance; a SIGKILLed tracer's slot is reaped and reused, nothing leaks" four_containers

# The last tracer killed: the kernel frees the programs as its descriptors
# close, and the next hook starts a new instance over the stale registry.
last_tracer_killed() {
	start f sh -c 'sleep 10'
	registry
	pid=$(tracer_of "${ids[f]}")
	kill -KILL "$pid"
	none_loaded() { [[ $(programs) == 0 ]]; }
	wait_for 5 none_loaded || fail "the last tracer was killed, but $(programs) programs stay loaded"
	[[ $(slots) == 1 ]] || fail "f's slot should wait for the next tracer to reap it"
	record runc "$SR_WORK/g.json" "" -- /bin/syscall_loop $NR_getcpu 0
	has_syscall "$SR_WORK/g.json" getcpu || fail "g, on a new instance, lacks its getcpu"
	# g's tracer was the last: when the runtime returns nothing of ours is
	# attached, and the kernel frees the programs after its grace period
	# without anyone waiting for it.
	[[ $(links) == 0 ]] || fail "runc returned with $(links) links of ours still attached"
	wait_for 2 none_loaded || fail "$(programs) programs of ours still loaded 2 s after runc returned"
	runc kill "${ids[f]}" KILL 2>/dev/null || true
	wait "${runners[f]}" 2>/dev/null || true
	assert_no_leftovers
	log "ok: last tracer killed: programs gone at once; the next hook reloaded and reaped"
}
scenario "the last tracer killed: programs gone at once; the next hook reloads and reaps" last_tracer_killed

# The trimmed kernel BTF cached for this boot is what later loads use; a
# damaged copy must not stop tracing: the kernel's own BTF is used instead.
damaged_btf() {
	# A load of this build caches it (any will do: this one's own).
	record runc "$SR_WORK/h0.json" "" -- true
	registry
	btf=$(compgen -G "$reg/vmlinux-*.btf" | head -1)
	[[ -n $btf ]] || fail "no trimmed kernel BTF cached in $reg"
	size=$(stat -c %s "$btf")
	((size < 8192)) || fail "the trimmed kernel BTF is $size bytes; it should hold only the types read"
	printf 'not BTF at all' >"$btf"
	record runc "$SR_WORK/h.json" "" -- /bin/syscall_loop $NR_getcpu 0
	has_syscall "$SR_WORK/h.json" getcpu || fail "with a damaged BTF cache, h lacks its getcpu"
	[[ $(head -c 14 "$btf" 2>/dev/null) != "not BTF at all" ]] || fail "the damaged BTF cache was left in place"
	assert_no_leftovers
	log "ok: a damaged BTF cache falls back to the kernel's BTF"
}
scenario "a damaged BTF cache falls back to the kernel's BTF" damaged_btf

# A finished container's map stays in its slot, emptied, for the next one:
# the next container in the slot gets the same map (no RCU wait to publish
# it) and nothing of what the previous one recorded.
parked_map_reused() {
	start anchor sh -c 'sleep 20'
	registry
	bundle "$SR_WORK/p1" "of:$SR_WORK/p1.json" "" -- sh -c "/bin/syscall_loop $NR_getcpu 0; sleep 1"
	start_running "$SR_WORK/p1" "$(new_id)"
	map1=$(awk '{print $4}' "$reg/slot-1")
	wait "$SR_RUNNER" || fail "p1 failed: $(cat "$SR_WORK/p1/err")"
	has_syscall "$SR_WORK/p1.json" getcpu || fail "p1 lacks its getcpu"
	[[ ! -e $reg/slot-1 ]] || fail "p1's slot is still held after its runtime returned"
	bundle "$SR_WORK/p2" "of:$SR_WORK/p2.json" "" -- sh -c 'sleep 1'
	start_running "$SR_WORK/p2" "$(new_id)"
	map2=$(awk '{print $4}' "$reg/slot-1")
	wait "$SR_RUNNER" || fail "p2 failed: $(cat "$SR_WORK/p2/err")"
	[[ -n $map1 && $map1 == "$map2" ]] || fail "p2 got map ${map2:-none} in slot 1, not p1's parked map $map1"
	if has_syscall "$SR_WORK/p2.json" getcpu; then fail "p2's profile has p1's getcpu"; fi
	slept "$SR_WORK/p2.json" || fail "p2 lacks its own sleep"
	runc kill "${ids[anchor]}" KILL 2>/dev/null || true
	wait "${runners[anchor]}" 2>/dev/null || true
	assert_no_leftovers
}
scenario "a finished container's map is parked and reused by the next one, empty" parked_map_reused
