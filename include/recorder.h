/* SPDX-License-Identifier: (Apache-2.0 OR GPL-2.0) */
/* Types and sizes shared by the BPF program and user space. No includes:
 * this header is compiled both against vmlinux_min.h and against libc. */
#ifndef RECORDER_H
#define RECORDER_H

/* Syscall numbers are recorded below this bound, per architecture slot.
 * x86_64, i386, x32 (without its marker bit), aarch64 and arm all stay well
 * below it. */
#define RECORDER_MAX_SYSCALLS 1024

/* Architecture slots: the native ABI, the 32-bit compat ABI (i386 on
 * x86_64, arm on aarch64) and x32 (x86_64 only). */
#define RECORDER_ARCH_NATIVE 0
#define RECORDER_ARCH_COMPAT 1
#define RECORDER_ARCH_X32    2
#define RECORDER_NR_ARCHES   3

/* One BPF instance serves every traced container; these bound it.
 * Containers traced at once (slots of sr_containers): */
#define RECORDER_MAX_CONTAINERS 1024
/* Live processes (thread groups) of all traced containers together. The
 * hash's bucket array (16 bytes each) is allocated up front: */
#define RECORDER_MAX_TASKS 32768

/* Buckets of sr_maybe: how many traced processes have a tgid equal to the
 * bucket modulo this. A power of two. Counters are 64-bit: array maps lay
 * elements out 8 bytes apart, which is what user space sees through mmap. */
#define RECORDER_MAYBE_BUCKETS 32768

/* Capability numbers recorded (one flag each); the kernel has 41 today. */
#define RECORDER_MAX_CAPS 64

/* Syscalls whose first argument can be recorded (annotation key args:), as
 * bits of recorder_container.args_wanted; only on the native ABI. */
#define RECORDER_ARG_SOCKET	 0 /* the domain (AF_*) */
#define RECORDER_ARG_SOCKETPAIR	 1 /* the domain */
#define RECORDER_ARG_PERSONALITY 2 /* the persona */
#define RECORDER_ARG_CLONE	 3 /* the namespace flags (CLONE_NEW*) */
#define RECORDER_NR_ARG_KINDS	 4
/* CLONE_NEWTIME, NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET. */
#define RECORDER_CLONE_NS_FLAGS 0x7e020080ULL
/* Distinct (container, syscall, value) triples all containers together. */
#define RECORDER_MAX_ARG_VALUES 4096

/* x86's marker for x32 system calls (arch/x86/include/uapi/asm/unistd.h). */
#define RECORDER_X32_SYSCALL_BIT 0x40000000

/* AArch32's ARM-private syscalls (breakpoint, cacheflush, usr26, usr32,
 * set_tls, get_tls) are numbered from 0x0f0000 (__ARM_NR_COMPAT_BASE in
 * arch/arm64/include/asm/unistd.h): the compat slot records the first
 * RECORDER_ARM_PRIVATE_N of them at its last indices, from
 * RECORDER_ARM_PRIVATE_INDEX on (AArch32's ordinary numbers stay below
 * 500). */
#define RECORDER_ARM_PRIVATE_BASE  0x0f0000
#define RECORDER_ARM_PRIVATE_N	   16
#define RECORDER_ARM_PRIVATE_INDEX (RECORDER_MAX_SYSCALLS - RECORDER_ARM_PRIVATE_N)
/* arm64's PSR_MODE32_BIT (arch/arm64/include/uapi/asm/ptrace.h): set in the
 * saved pstate of a task that entered the kernel from AArch32. */
#define RECORDER_ARM64_PSR_MODE32 0x10

/* Task states. A process that entered the container from outside (runc
 * exec) is pending until its own exec: before that it is the runtime. */
#define RECORDER_TASK_ACTIVE  1
#define RECORDER_TASK_PENDING 2

/* PID namespaces nest at most 32 deep (MAX_PID_NS_LEVEL). A process entering a
 * container from outside is recognised if the container's namespace is among
 * the first levels below the host's: each level is one more unrolled
 * iteration for the verifier at every first load (hook/trace/tracer.c warns). */
#define RECORDER_MAX_PIDNS_LEVEL 8

/* Which container a traced process (sr_tasks, by tgid) or a container's PID
 * namespace (sr_pidns, by inode) belongs to. `gen` numbers the containers
 * of one instance (never 0): a slot, or a slot's map, reused by a later
 * container has another one, so leftovers of an earlier owner never count
 * for the new one. */
struct recorder_owner {
	__u32 slot;
	__u32 gen;
};

struct recorder_task {
	struct recorder_owner owner;
	__u32 state; /* RECORDER_TASK_* */
};

/* Everything recorded for one container: the single value of its own
 * array map, which the tracer maps into its memory. */
struct recorder_container {
	__u32 gen;		/* the container's; 0 while the map is parked for reuse */
	__u32 workload_started; /* set by the exec handler */
	__s64 nr_live;		/* thread groups of the container alive now */
	__u64 untracked;	/* processes not tracked: sr_tasks was full */
	__u64 out_of_range;	/* syscall numbers beyond RECORDER_MAX_SYSCALLS */
	/* One flag per capability the workload exercised successfully. */
	__u8 caps[RECORDER_MAX_CAPS];
	__u32 args_wanted;   /* RECORDER_ARG_* bits, set before publishing */
	__u32 args_reserved;
	__u64 args_dropped;  /* values not recorded: sr_args was full */
	/* One flag per syscall and architecture slot. Plain byte stores are
	 * atomic, so concurrent CPUs never lose each other's updates. */
	__u8 seen[RECORDER_NR_ARCHES][RECORDER_MAX_SYSCALLS];
	/* Before the workload starts: the thread that installed a seccomp
	 * filter (the runtime's, when the container has one), and what that
	 * thread did after it, native ABI only. */
	__u32 filter_tid;
	__u32 filter_reserved;
	__u8 runtime_seen[RECORDER_MAX_SYSCALLS];
};

/* A value seen as a syscall's first argument (sr_args, by key). */
struct recorder_arg_key {
	__u32 gen; /* the container's, as in recorder_owner */
	__u32 kind; /* RECORDER_ARG_* */
	__u64 value;
};

#endif /* RECORDER_H */
