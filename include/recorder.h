/* SPDX-License-Identifier: (Apache-2.0 OR GPL-2.0) */
/* Types and sizes shared by the BPF program and user space. No includes:
 * this header is compiled both against vmlinux_min.h and against libc. */
#ifndef RECORDER_H
#define RECORDER_H

/* Syscall numbers are recorded below this bound, per architecture slot.
 * x86_64, i386 and x32 (without its marker bit) all stay well below it. */
#define RECORDER_MAX_SYSCALLS 1024

/* Architecture slots: the native ABI, the 32-bit compat ABI (i386 on
 * x86_64, arm on aarch64) and x32 (x86_64 only). */
#define RECORDER_ARCH_NATIVE 0
#define RECORDER_ARCH_COMPAT 1
#define RECORDER_ARCH_X32    2
#define RECORDER_NR_ARCHES   3

/* Upper bound on live processes (thread groups) tracked per container. */
#define RECORDER_MAX_TASKS 65536

/* x86's marker for x32 system calls (arch/x86/include/uapi/asm/unistd.h). */
#define RECORDER_X32_SYSCALL_BIT 0x40000000

/* Values in traced_tgids. A process that entered the container from outside
 * (runc exec) is pending until its own exec: before that it is the runtime. */
#define RECORDER_TASK_ACTIVE  1
#define RECORDER_TASK_PENDING 2

/* PID namespaces nest at most 32 deep (MAX_PID_NS_LEVEL); we look this far. */
#define RECORDER_MAX_PIDNS_LEVEL 32

enum recorder_event_type {
	RECORDER_EVENT_PROCESS_EXIT = 1,
};

struct recorder_event {
	__u32 type;
	__u32 tgid;
};

#endif /* RECORDER_H */
