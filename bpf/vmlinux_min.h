/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* The few kernel types recorder.bpf.c reads, declared by hand instead of a
 * vmlinux.h dumped from the build host (which would tie the build to that
 * kernel). Records carry the kernel's names because CO-RE matches types by
 * name; every field is read through CO-RE relocations, so offsets come from
 * the running kernel's BTF at load time, not from these declarations. */
#ifndef VMLINUX_MIN_H
#define VMLINUX_MIN_H
/* As a generated vmlinux.h does: libbpf's bpf_tracing.h then names the
 * kernel's pt_regs fields (di, not the UAPI's rdi). */
#define __VMLINUX_H__

typedef unsigned char __u8;
typedef short unsigned int __u16;
typedef unsigned int __u32;
typedef long long unsigned int __u64;
typedef signed char __s8;
typedef short int __s16;
typedef int __s32;
typedef long long int __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;
typedef _Bool bool;
typedef int pid_t;

enum {
	false = 0,
	true = 1,
};

/* UAPI values libbpf's headers rely on (include/uapi/linux/bpf.h). */
enum bpf_map_type {
	BPF_MAP_TYPE_HASH = 1,
	BPF_MAP_TYPE_ARRAY = 2,
	BPF_MAP_TYPE_ARRAY_OF_MAPS = 12,
	BPF_MAP_TYPE_TASK_STORAGE = 29,
};

enum {
	BPF_ANY = 0,
	BPF_NOEXIST = 1,
	BPF_EXIST = 2,
};

enum {
	BPF_F_NO_PREALLOC = 1,
	BPF_F_MMAPABLE = 1024,
};

struct bpf_raw_tracepoint_args {
	__u64 args[0];
};

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
#endif

typedef struct {
	int counter;
} atomic_t;

struct signal_struct {
	atomic_t live; /* threads of the group still alive */
};

struct thread_info {
	__u32 status; /* x86: TS_COMPAT during a 32-bit syscall */
};

struct ns_common {
	unsigned int inum;
};

struct pid_namespace {
	struct ns_common ns;
};

struct upid {
	int nr;
	struct pid_namespace *ns;
};

struct pid {
	unsigned int level;	/* depth of the task's own PID namespace */
	struct upid numbers[1]; /* one per level, 0 being the initial namespace */
};

struct bpf_local_storage;
struct nsproxy;
struct cred;

struct task_struct {
	struct thread_info thread_info;
	struct bpf_local_storage *bpf_storage;
	struct nsproxy *nsproxy;
	const struct cred *cred;
	pid_t pid;
	pid_t tgid;
	struct signal_struct *signal;
	struct pid *thread_pid;
};

struct linux_binprm;

/* Saved registers: the first system call argument as the entry code saved
 * it, and a kernel function's first and third arguments (kprobes); on
 * arm64 also the processor state, whose PSR_MODE32_BIT marks AArch32. */
#if defined(__TARGET_ARCH_x86)
struct pt_regs {
	unsigned long dx;
	unsigned long si;
	unsigned long di;
};
#elif defined(__TARGET_ARCH_arm64)
struct pt_regs {
	unsigned long regs[31]; /* the kernel's are in an anonymous union */
	unsigned long sp;
	unsigned long pc;
	unsigned long pstate;
	unsigned long orig_x0;
};
/* What libbpf's PT_REGS_PARMn() read on arm64: pt_regs begins with it. */
struct user_pt_regs {
	__u64 regs[31];
	__u64 sp;
	__u64 pc;
	__u64 pstate;
};
#else
struct pt_regs;
#endif

#ifndef BPF_NO_PRESERVE_ACCESS_INDEX
#pragma clang attribute pop
#endif

#endif /* VMLINUX_MIN_H */
