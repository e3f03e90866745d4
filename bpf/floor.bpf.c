// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* Benchmark floors, not part of the hook: programs on sys_enter that do
 * nothing (per attach type), one that only does a hash lookup by tgid, and
 * one that only reads an array slot by tgid (the two early exits a process
 * of no interest could pay in a shared-program design). The harness
 * (tests/bench/run.sh) attaches one at a time. */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

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

char LICENSE[] SEC("license") = "Dual BSD/GPL";
