// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/* Records which system calls the processes of traced containers make. One
 * loaded instance of this object serves every container traced on the host
 * (hook/trace/instance.c shares it), so what a process of no interest pays does
 * not grow with the number of traced containers: one array slot (sr_maybe,
 * a count of traced processes per tgid bucket), and a hash lookup more only
 * when its bucket also holds a traced process.
 *
 * A process belongs to a container if it is the container's init (put in
 * sr_tasks by user space) or was created by a process that belongs to it:
 * membership is inherited at creation, so processes in PID or mount
 * namespaces the container makes below its own count, and nothing from
 * outside does, also when the container shares the host's PID namespace.
 * Processes that enter the container later (runc exec) are recognised when
 * they are created in its PID namespace (sr_pidns), if it has its own.
 * Each container's seen-set is a fixed array of flags in its own map: no
 * per-syscall events, nothing to overflow. */
#include "vmlinux_min.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "recorder.h"

#define CLONE_THREAD 0x00010000
/* arch/x86/include/asm/thread_info.h */
#define TS_COMPAT 0x0002

#include "recorder_common.bpf.h"

/* Values of the first argument of the syscalls containers asked for
 * (args:), by container, syscall and value. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RECORDER_MAX_ARG_VALUES);
	__type(key, struct recorder_arg_key);
	__type(value, __u8);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sr_args SEC(".maps");

/* PID namespaces of traced containers that have their own, by inode. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RECORDER_MAX_CONTAINERS);
	__type(key, __u32);
	__type(value, struct recorder_owner);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sr_pidns SEC(".maps");

/* The ABI the current syscall came through (RECORDER_ARCH_*), and its
 * number as an index of that slot's seen-set. `regs`: the syscall's saved
 * user registers. */
static __always_inline int syscall_slot(struct pt_regs *regs, long *nr)
{
#if defined(__TARGET_ARCH_x86)
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();

	/* Set by the 32-bit entry points (int 0x80, sysenter, compat
	 * syscall) for the duration of that syscall: what in_ia32_syscall()
	 * reads. */
	if (BPF_CORE_READ(task, thread_info.status) & TS_COMPAT)
		return RECORDER_ARCH_COMPAT;
	if (*nr & RECORDER_X32_SYSCALL_BIT) {
		*nr &= ~(long)RECORDER_X32_SYSCALL_BIT;
		return RECORDER_ARCH_X32;
	}
#elif defined(__TARGET_ARCH_arm64)
	/* An AArch32 task (CONFIG_COMPAT) enters the kernel with
	 * PSR_MODE32_BIT in its saved pstate: what compat_user_mode() reads,
	 * and what sends its svc to the compat syscall table. A UAPI bit,
	 * where the thread flag TIF_32BIT's number is the kernel's own. */
	if (BPF_CORE_READ(regs, pstate) & RECORDER_ARM64_PSR_MODE32) {
		/* One unsigned test on the offset, not two on nr: clang
		 * then reuses them on paths a 6.1 verifier cannot rule
		 * out, with bounds that contradict each other ("R2 invalid
		 * mem access 'scalar'" at the seen-set store). */
		unsigned long priv = (unsigned long)*nr - RECORDER_ARM_PRIVATE_BASE;

		if (priv < RECORDER_ARM_PRIVATE_N)
			*nr = RECORDER_ARM_PRIVATE_INDEX + (long)priv;
		else if (*nr >= RECORDER_ARM_PRIVATE_INDEX)
			*nr = RECORDER_MAX_SYSCALLS; /* out of range, counted */
		return RECORDER_ARCH_COMPAT;
	}
#endif
	return RECORDER_ARCH_NATIVE;
}

/* The native numbers of the syscalls args: knows, by RECORDER_ARG_* kind
 * (-1: none here). User space sets them before load from libseccomp's
 * tables (hook/trace/instance.c), the same names hook/profile/arg_rules.c
 * writes rules for. */
const volatile long sr_arg_nr[RECORDER_NR_ARG_KINDS] = { -1, -1, -1, -1 };
/* The native numbers of seccomp(2) and prctl(2), set likewise. */
const volatile long sr_nr_seccomp = -1;
const volatile long sr_nr_prctl = -1;

#define SECCOMP_SET_MODE_FILTER 1
#define PR_SET_SECCOMP		22
#define SECCOMP_MODE_FILTER	2

static __always_inline int arg_kind(long nr)
{
#pragma unroll
	for (int k = 0; k < RECORDER_NR_ARG_KINDS; k++)
		if (nr == sr_arg_nr[k])
			return k;
	return -1;
}

static __always_inline __u64 syscall_arg0(struct bpf_raw_tracepoint_args *ctx)
{
	return PT_REGS_PARM1_CORE_SYSCALL((struct pt_regs *)ctx->args[0]);
}

/* Only for the few syscalls a container asked for, so never on the path of
 * a process of no interest. */
static __always_inline void record_arg(struct recorder_container *c, long nr,
				       struct bpf_raw_tracepoint_args *ctx)
{
	struct recorder_arg_key key = { .gen = c->gen };
	int kind = arg_kind(nr);
	__u8 one = 1;

	if (kind < 0 || !(c->args_wanted & (1U << kind)))
		return;
	key.kind = kind;
	key.value = syscall_arg0(ctx);
	if (kind == RECORDER_ARG_CLONE)
		key.value &= RECORDER_CLONE_NS_FLAGS;
	else
		key.value &= 0xffffffffULL; /* int and unsigned int arguments */
	if (bpf_map_lookup_elem(&sr_args, &key))
		return;
	if (bpf_map_update_elem(&sr_args, &key, &one, BPF_NOEXIST) != 0 &&
	    !bpf_map_lookup_elem(&sr_args, &key))
		__sync_fetch_and_add(&c->args_dropped, 1);
}

/* Before the workload starts, only the runtime runs in the container. The
 * thread that installs a seccomp filter (the container's, if it has one)
 * is remembered, and what it does after, up to the workload's exec, is
 * the runtime's post-filter set: observed, not assumed. */
static __always_inline void runtime_syscall(struct recorder_container *c, long nr,
					    struct bpf_raw_tracepoint_args *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct pt_regs *regs = (struct pt_regs *)ctx->args[0];

	if (syscall_slot(regs, &nr) != RECORDER_ARCH_NATIVE || nr < 0 ||
	    nr >= RECORDER_MAX_SYSCALLS)
		return;
	if (c->filter_tid == tid) {
		if (!c->runtime_seen[nr])
			c->runtime_seen[nr] = 1;
		return;
	}
	/* libseccomp probes for flags with a NULL program: not an install. */
	if (((nr == sr_nr_seccomp && PT_REGS_PARM1_CORE_SYSCALL(regs) == SECCOMP_SET_MODE_FILTER) ||
	     (nr == sr_nr_prctl && PT_REGS_PARM1_CORE_SYSCALL(regs) == PR_SET_SECCOMP &&
	      PT_REGS_PARM2_CORE_SYSCALL(regs) == SECCOMP_MODE_FILTER)) &&
	    PT_REGS_PARM3_CORE_SYSCALL(regs) != 0)
		c->filter_tid = tid;
}

SEC("raw_tp/sys_enter")
int sr_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	struct recorder_container *c;
	long nr;
	int slot;

	/* All a process of no interest pays is one array slot, unless it
	 * shares its bucket with a traced one: then one hash lookup more. */
	c = current_member();
	if (!c)
		return 0;

	nr = (long)ctx->args[1];
	if (!c->workload_started) {
		runtime_syscall(c, nr, ctx);
		return 0;
	}
	slot = syscall_slot((struct pt_regs *)ctx->args[0], &nr);
	if (nr < 0 || nr >= RECORDER_MAX_SYSCALLS) {
		__sync_fetch_and_add(&c->out_of_range, 1);
		return 0;
	}
	/* Read first: most syscalls are already known, and a store would
	 * bounce the cache line between CPUs. */
	if (!c->seen[slot][nr])
		c->seen[slot][nr] = 1;
	if (c->args_wanted && slot == RECORDER_ARCH_NATIVE)
		record_arg(c, nr, ctx);
	return 0;
}

/* Capability checks, where the kernel has the tracepoint (Linux 6.14+).
 * Arguments: cred, target user namespace, the namespace the capability was
 * found in, the capability, the result (0: granted). Where it is missing,
 * this program stays unattached and caps_kprobe.bpf.c does the same job
 * (hook/trace/instance.c). */
SEC("raw_tp/cap_capable")
int sr_cap_capable(struct bpf_raw_tracepoint_args *ctx)
{
	cap_checked(ctx->args[0], (long)ctx->args[3], (int)ctx->args[4]);
	return 0;
}

/* The traced container whose PID namespace `task` lives in, directly or
 * below, if any. */
static __always_inline struct recorder_owner *pidns_owner(struct task_struct *task)
{
	struct pid *pid = BPF_CORE_READ(task, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	__u64 numbers = (__u64)pid + bpf_core_field_offset(struct pid, numbers);
	__u32 upid_size = bpf_core_type_size(struct upid);

	/* Level 0 is the host's namespace, never a container's own. */
	for (int i = 1; i < RECORDER_MAX_PIDNS_LEVEL; i++) {
		struct pid_namespace *ns = NULL;
		struct recorder_owner *owner;
		__u32 inum;

		if (i > level)
			break;
		bpf_probe_read_kernel(
			&ns, sizeof(ns),
			(void *)(numbers + i * upid_size + bpf_core_field_offset(struct upid, ns)));
		if (!ns)
			continue;
		inum = BPF_CORE_READ(ns, ns.inum);
		owner = bpf_map_lookup_elem(&sr_pidns, &inum);
		if (owner)
			return owner;
	}
	return NULL;
}

static __always_inline void track(__u32 tgid, const struct recorder_owner *owner, __u32 state)
{
	struct recorder_task task = { .owner = *owner, .state = state };
	struct recorder_container *c = owner_container(owner);

	if (!c)
		return; /* its tracer has let go of it */
	/* Counted first: the process must not slip through the filter. */
	maybe_count(tgid, 1);
	if (bpf_map_update_elem(&sr_tasks, &tgid, &task, BPF_NOEXIST) == 0) {
		__sync_fetch_and_add(&c->nr_live, 1);
	} else {
		maybe_count(tgid, -1);
		__sync_fetch_and_add(&c->untracked, 1);
	}
}

/* All programs are raw tracepoints: with no BTF-typed attach point, libbpf
 * needs no kernel BTF beyond the trimmed copy of the types read here
 * (hook/trace/kernel_btf.c), which is what keeps loading fast.
 *
 * task_newtask fires in the creating task before the child can run, so a
 * child is tracked before it could exit (sched_process_fork comes later).
 * Arguments: the new task, the clone flags. */
SEC("raw_tp/task_newtask")
int sr_task_newtask(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	__u64 clone_flags = ctx->args[1];
	__u32 parent = bpf_get_current_pid_tgid() >> 32;
	struct recorder_owner *owner;
	struct recorder_task *p;

	if (clone_flags & CLONE_THREAD)
		return 0;
	p = bpf_map_lookup_elem(&sr_tasks, &parent);
	if (p) {
		track(BPF_CORE_READ(task, tgid), &p->owner, p->state);
		return 0;
	}
	/* Created outside, inside a traced container's PID namespace: runc
	 * exec and friends, which setns() and then fork. */
	owner = pidns_owner(task);
	if (owner)
		track(BPF_CORE_READ(task, tgid), owner, RECORDER_TASK_PENDING);
	return 0;
}

/* Runs in the task that has just exec'ed. */
SEC("raw_tp/sched_process_exec")
int sr_process_exec(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct recorder_container *c;
	struct recorder_task *t;

	t = bpf_map_lookup_elem(&sr_tasks, &tgid);
	if (!t)
		return 0;
	if (t->state == RECORDER_TASK_PENDING)
		t->state = RECORDER_TASK_ACTIVE;
	c = owner_container(&t->owner);
	if (c && !c->workload_started)
		c->workload_started = 1;
	return 0;
}

/* Runs in the exiting task; arguments: the task. */
SEC("raw_tp/sched_process_exit")
int sr_process_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->args[0];
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct recorder_container *c;
	struct recorder_owner owner;
	struct recorder_task *t;

	t = bpf_map_lookup_elem(&sr_tasks, &tgid);
	if (!t)
		return 0;
	/* do_exit() drops signal->live before this tracepoint: zero means the
	 * last thread of the group is leaving. */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	owner = t->owner;
	if (bpf_map_delete_elem(&sr_tasks, &tgid) != 0)
		return 0;
	maybe_count(tgid, -1);
	c = owner_container(&owner);
	if (c)
		__sync_fetch_and_add(&c->nr_live, -1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
