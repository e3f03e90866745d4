// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdlib.h>
#include <linux/types.h>

#include "profile/syscall_names.h"
#include "recorder.h"
#include "trace/workload.h"

/* What runc 1.1 and crun 1.8 do between installing the container's seccomp
 * filter and the workload's exec, on the thread that holds the filter (both
 * install it without TSYNC, on the thread that later calls execve), measured
 * with strace over 50 starts per runtime, noNewPrivileges setting and
 * run/create+start path, and cross-checked with SCMP_ACT_LOG over 1,440
 * starts (docs/workload-boundary.md). The union is added whichever runtime
 * recorded, so that the profile starts the container under either. */
static const char *const runtime_syscalls[] = {
	/* runc: exec fifo, closing inherited fds, user and capability setup
	 * (noNewPrivileges false), path lookup of args[0], exec */
	"capget",
	"capset",
	"chdir",
	"close",
	"epoll_ctl",
	"execve",
	"faccessat2",
	"fcntl",
	"fstat",
	"fstatfs",
	"getcwd",
	"getdents64",
	"getpid",
	"getppid",
	"newfstatat",
	"openat",
	"prctl",
	"read",
	"setgid",
	"setgroups",
	"setuid",
	"write",
	/* crun: capabilities and user (noNewPrivileges false), exec fifo wait
	 * under create+start, exec */
	"pselect6",
	"rt_sigaction",
	"rt_sigprocmask",
	"setresgid",
	"setresuid",
	/* Go's runtime on runc's filtered thread: futex and rt_sigreturn (the
	 * preemption signal) were seen and deny-tested (init aborts or dies
	 * with SIGSEGV); the rest is what that thread may call when it has to
	 * sleep, yield, grow the heap or start a thread, none of which a
	 * timing change should be able to turn into a failed start. */
	"clone",
	"futex",
	"gettid",
	"madvise",
	"mmap",
	"munmap",
	"nanosleep",
	"rt_sigreturn",
	"sched_yield",
	"sigaltstack",
	"tgkill",
};

void workload_add_runtime_syscalls(struct profile_recording *rec)
{
	const char *arch = syscall_slot_arch(RECORDER_ARCH_NATIVE);

	for (size_t i = 0; i < sizeof(runtime_syscalls) / sizeof(runtime_syscalls[0]); i++)
		if (syscall_resolve(arch, runtime_syscalls[i]) >= 0)
			strv_add(&rec->names, runtime_syscalls[i]);
}
