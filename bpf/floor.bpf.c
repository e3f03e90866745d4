// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* Benchmark floors, not part of the hook: programs on sys_enter that do
 * nothing (per attach type), one that only does a hash lookup by tgid, and
 * one that only reads an array slot by tgid (the two early exits a process
 * of no interest could pay in a shared-program design), and further
 * candidate early exits (cand_*). The harness (tests/bench/run.sh) attaches
 * one at a time. */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u8);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} floor_tgids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u32);
} floor_buckets SEC(".maps");

SEC("raw_tp/sys_enter")
int floor_raw_tp(void *ctx)
{
	return 0;
}

SEC("tp_btf/sys_enter")
int floor_tp_btf(void *ctx)
{
	return 0;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int floor_tracepoint(void *ctx)
{
	return 0;
}

SEC("raw_tp/sys_enter")
int floor_raw_tp_lookup(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	return bpf_map_lookup_elem(&floor_tgids, &tgid) ? 1 : 0;
}

SEC("raw_tp/sys_enter")
int floor_raw_tp_array(void *ctx)
{
	__u32 idx = (bpf_get_current_pid_tgid() >> 32) & 0xffff;
	__u32 *n = bpf_map_lookup_elem(&floor_buckets, &idx);

	return n && *n ? 1 : 0;
}

/* Candidate early exits, timed by the harness with kernel.bpf_stats_enabled
 * only (their wall-clock differences are below this VM's noise): what does
 * a process of no interest pay for each way of telling it apart? */
SEC("raw_tp/sys_enter")
int cand_pidtgid(void *ctx)
{
	return bpf_get_current_pid_tgid() >> 32 == 1;
}

SEC("raw_tp/sys_enter")
int cand_tgid(void *ctx)
{
	return bpf_get_current_task_btf()->tgid == 1;
}

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} floor_marks SEC(".maps");

/* A mark in task local storage (5.11+)... */
SEC("raw_tp/sys_enter")
int cand_storage(void *ctx)
{
	__u64 *m = bpf_task_storage_get(&floor_marks, bpf_get_current_task_btf(), 0, 0);

	return m && *m ? 1 : 0;
}

/* ...behind a test of the task's storage pointer, which a task that has
 * none pays almost nothing for. */
SEC("raw_tp/sys_enter")
int cand_nostorage(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 *m;

	if (!task->bpf_storage)
		return 0;
	m = bpf_task_storage_get(&floor_marks, task, 0, 0);
	return m && *m ? 1 : 0;
}

/* Host processes share the initial namespaces' nsproxy; a container's never
 * do. The address would be set before load; any value costs the same. */
const volatile __u64 cand_host_nsproxy = 1;

SEC("raw_tp/sys_enter")
int cand_nsproxy(void *ctx)
{
	return (__u64)bpf_get_current_task_btf()->nsproxy == cand_host_nsproxy;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
