// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* Records which system calls one container's processes make.
 *
 * A process belongs to the container if it is the container's init (put in
 * traced_tgids by user space before attaching) or was created by a process
 * that belongs to it: membership is inherited at creation, so processes in
 * PID or mount namespaces the container makes below its own count, and
 * nothing from outside does, also when the container shares the host's PID
 * namespace. Processes that enter the container later (runc exec) are
 * recognised when they are created in its PID namespace, if it has its own.
 * The seen-set is a fixed array of flags: no per-syscall events, nothing to
 * overflow. */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "recorder.h"

#define CLONE_THREAD 0x00010000
/* arch/x86/include/asm/thread_info.h */
#define TS_COMPAT 0x0002
/* arch/arm64/include/asm/thread_info.h: TIF_32BIT is bit 22 */
#define ARM64_TIF_32BIT (1UL << 22)

/* Inode number of the container's PID namespace; 0 when it shares the
 * host's, where a process entering it cannot be told from the host's. */
const volatile __u32 targ_pidns_inum = 0;

/* Set only by the exec handler. */
__u32 workload_started;
/* Thread groups of the container alive now. */
__s64 nr_live;
/* Processes of the container we could not track (traced_tgids full). */
__u64 untracked;
/* Syscall numbers beyond RECORDER_MAX_SYSCALLS (not real syscalls). */
__u64 out_of_range;
/* One flag per syscall and architecture slot. Plain byte stores are atomic,
 * so concurrent CPUs never lose each other's updates. */
__u8 seen[RECORDER_NR_ARCHES][RECORDER_MAX_SYSCALLS];

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RECORDER_MAX_TASKS);
	__type(key, __u32);
	__type(value, __u8);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} traced_tgids SEC(".maps");

/* Lifecycle notices only (a thread group of the container ended). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

static __always_inline int syscall_slot(long *nr)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

#if defined(__TARGET_ARCH_x86)
	if (BPF_CORE_READ(task, thread_info.status) & TS_COMPAT)
		return RECORDER_ARCH_COMPAT;
	if (*nr & RECORDER_X32_SYSCALL_BIT) {
		*nr &= ~(long)RECORDER_X32_SYSCALL_BIT;
		return RECORDER_ARCH_X32;
	}
#elif defined(__TARGET_ARCH_arm64)
	if (BPF_CORE_READ(task, thread_info.flags) & ARM64_TIF_32BIT)
		return RECORDER_ARCH_COMPAT;
#endif
	return RECORDER_ARCH_NATIVE;
}

SEC("raw_tp/sys_enter")
int raw_tp__sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u8 *state;
	__u32 tgid;
	long nr;
	int slot;

	if (!workload_started)
		return 0;
	tgid = bpf_get_current_pid_tgid() >> 32;
	state = bpf_map_lookup_elem(&traced_tgids, &tgid);
	if (!state || *state != RECORDER_TASK_ACTIVE)
		return 0;

	nr = (long)ctx->args[1];
	slot = syscall_slot(&nr);
	if (nr < 0 || nr >= RECORDER_MAX_SYSCALLS) {
		__sync_fetch_and_add(&out_of_range, 1);
		return 0;
	}
	/* Read first: most syscalls are already known, and a store would
	 * bounce the cache line between CPUs. */
	if (!seen[slot][nr])
		seen[slot][nr] = 1;
	return 0;
}

/* True if `task` lives in the container's PID namespace or one below it. */
static __always_inline bool in_container_pidns(struct task_struct *task)
{
	struct pid *pid = task->thread_pid;
	unsigned int level = BPF_CORE_READ(pid, level);
	__u64 numbers = (__u64)pid + bpf_core_field_offset(struct pid, numbers);
	__u32 upid_size = bpf_core_type_size(struct upid);

	for (int i = 1; i < RECORDER_MAX_PIDNS_LEVEL; i++) {
		struct pid_namespace *ns = NULL;

		if (i > level)
			break;
		bpf_probe_read_kernel(
			&ns, sizeof(ns),
			(void *)(numbers + i * upid_size + bpf_core_field_offset(struct upid, ns)));
		if (ns && BPF_CORE_READ(ns, ns.inum) == targ_pidns_inum)
			return true;
	}
	return false;
}

static __always_inline void track(__u32 tgid, __u8 state)
{
	if (bpf_map_update_elem(&traced_tgids, &tgid, &state, BPF_NOEXIST) == 0)
		__sync_fetch_and_add(&nr_live, 1);
	else
		__sync_fetch_and_add(&untracked, 1);
}

/* task_newtask fires in the creating task before the child can run, so a
 * child is tracked before it could exit (sched_process_fork comes later). */
SEC("tp_btf/task_newtask")
int BPF_PROG(tp_btf__task_newtask, struct task_struct *task, __u64 clone_flags)
{
	__u32 parent = bpf_get_current_pid_tgid() >> 32;
	__u8 *state;

	if (clone_flags & CLONE_THREAD)
		return 0;
	state = bpf_map_lookup_elem(&traced_tgids, &parent);
	if (state) {
		track(task->tgid, *state);
		return 0;
	}
	/* Created outside, inside the container's PID namespace: runc exec
	 * and friends, which setns() and then fork. */
	if (targ_pidns_inum && in_container_pidns(task))
		track(task->tgid, RECORDER_TASK_PENDING);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(tp_btf__sched_process_exec, struct task_struct *task)
{
	__u32 tgid = task->tgid;
	__u8 *state;

	state = bpf_map_lookup_elem(&traced_tgids, &tgid);
	if (!state)
		return 0;
	if (*state == RECORDER_TASK_PENDING)
		*state = RECORDER_TASK_ACTIVE;
	if (!workload_started)
		workload_started = 1;
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(tp_btf__sched_process_exit, struct task_struct *task)
{
	struct recorder_event *e;
	__u32 tgid = task->tgid;

	if (!bpf_map_lookup_elem(&traced_tgids, &tgid))
		return 0;
	/* do_exit() drops signal->live before this tracepoint: zero means the
	 * last thread of the group is leaving. */
	if (task->signal->live.counter != 0)
		return 0;
	if (bpf_map_delete_elem(&traced_tgids, &tgid) != 0)
		return 0;
	__sync_fetch_and_add(&nr_live, -1);

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0; /* user space also polls nr_live */
	e->type = RECORDER_EVENT_PROCESS_EXIT;
	e->tgid = tgid;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
