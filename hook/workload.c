// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdlib.h>
#include <linux/types.h>

#include "recorder.h"
#include "syscall_names.h"
#include "workload.h"

/* What runc 1.1 and crun 1.8 do between installing the container's seccomp
 * filter and the workload's exec, measured with strace over 20+ starts of
 * each runtime with noNewPrivileges true and false (docs/workload-boundary.md
 * has the method and per-runtime lists). The filter is installed with TSYNC,
 * so it also covers the Go runtime threads of `runc init`; their scheduler
 * and GC syscalls can come at any moment and are listed as a group. The
 * union is added whichever runtime recorded, so that the profile starts the
 * container under either. */
static const char *const runtime_syscalls[] = {
	/* runc: finalizeNamespace, exec fifo, closing fds, user setup, exec */
	"capget", "capset", "chdir", "close", "execve", "faccessat2", "fcntl", "fstat", "fstatfs",
	"getcwd", "getdents64", "getpid", "getppid", "newfstatat", "openat", "prctl", "read",
	"setgid", "setgroups", "setuid", "unlinkat", "write",
	/* crun: capabilities, user, sync with the parent, exec */
	"pselect6", "rt_sigaction", "rt_sigprocmask", "setresgid", "setresuid",
	/* Go runtime threads of runc init (scheduler, GC, signals, new threads) */
	"clone", "epoll_ctl", "epoll_pwait", "exit", "futex", "gettid", "madvise", "mmap",
	"munmap", "nanosleep", "rt_sigreturn", "sched_yield", "sigaltstack", "tgkill",
};

void workload_add_runtime_syscalls(struct profile_recording *rec)
{
	const char *arch = syscall_slot_arch(RECORDER_ARCH_NATIVE);

	for (size_t i = 0; i < sizeof(runtime_syscalls) / sizeof(runtime_syscalls[0]); i++)
		if (syscall_resolve(arch, runtime_syscalls[i]) >= 0)
			profile_strv_add(&rec->names, runtime_syscalls[i]);
}
