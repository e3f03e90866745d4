// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <linux/types.h>

#include "profile/syscall_names.h"
#include "recorder.h"
#include "trace/calibration.h"
#include "trace/workload.h"

/* What runc and crun do between installing the container's seccomp filter
 * and the workload's exec, on the thread that holds the filter (both install
 * it without TSYNC, on the thread that later calls execve). runc 1.1.5 and
 * crun 1.8.1 were measured here with strace over 50 starts per runtime,
 * noNewPrivileges setting and run/create+start path, and cross-checked with
 * SCMP_ACT_LOG over 1,440 starts; runc 1.2.9, 1.3.6, 1.4.3 and crun 1.27.1
 * from their sources and measured builds (docs/workload-boundary.md, which
 * gives the versions and settings each one is for). The union is added
 * whichever runtime recorded, so that the profile starts the container
 * under any of them. */
static const char *const runtime_syscalls[] = {
	/* runc 1.1+: exec fifo, closing inherited fds, user and capability
	 * setup (noNewPrivileges false), path lookup of args[0], exec */
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
	/* runc 1.2+: the exec fifo reopened through procfs (statx for the
	 * mount id: denied, the start fails on 5.8+ kernels; openat2, or the
	 * readlinkat walk it falls back to), closing fds with close_range, and
	 * Go 1.21+'s exec restoring RLIMIT_NOFILE (prlimit64). crun 1.14.1+
	 * closes fds with close_range too: denied with KILL_PROCESS the start
	 * dies silently. */
	"close_range",
	"openat2",
	"prlimit64",
	"readlinkat",
	"statx",
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
	"sched_yield",
	"sigaltstack",
	"tgkill",
};

/* What the kernel and the C library call on a program's behalf, at moments
 * a recording rarely sees; none grants anything (the engines' default
 * profiles allow them all). */
static const char *const implicit_syscalls[] = {
	/* A stopped or frozen task resumes an interrupted sleep through it
	 * (SIGSTOP/SIGCONT, a debugger, a freezer). */
	"restart_syscall",
	/* The return from every signal handler, first run in production. */
	"rt_sigreturn",
	/* A thread that ends on its own; the last one ends the process. */
	"exit",
	"exit_group",
	/* The vDSO's clock calls fall back to the syscall where the
	 * clocksource has no vDSO mode (some VMs, after a clocksource change). */
	"clock_getres",
	"clock_gettime",
	"getcpu",
	"gettimeofday",
	"time",
};

static void add_native(struct strv *to, const char *const *names, size_t n)
{
	const char *arch = syscall_slot_arch(RECORDER_ARCH_NATIVE);

	for (size_t i = 0; i < n; i++)
		if (syscall_resolve(arch, names[i]) >= 0)
			strv_add(to, names[i]);
}

void workload_add_runtime_syscalls(struct profile_recording *rec)
{
	struct strv calibrated = { 0 };

	add_native(&rec->runtime_names, runtime_syscalls,
		   sizeof(runtime_syscalls) / sizeof(runtime_syscalls[0]));
	/* What `calibrate` measured for the runtimes of this host. */
	calibration_add_stored(&calibrated);
	add_native(&rec->runtime_names, (const char *const *)calibrated.v, calibrated.n);
	strv_free(&calibrated);
}

bool workload_runtime_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(runtime_syscalls) / sizeof(runtime_syscalls[0]); i++)
		if (strcmp(runtime_syscalls[i], name) == 0)
			return true;
	for (size_t i = 0; i < sizeof(implicit_syscalls) / sizeof(implicit_syscalls[0]); i++)
		if (strcmp(implicit_syscalls[i], name) == 0)
			return true;
	return false;
}

void workload_add_implicit_syscalls(struct profile_recording *rec)
{
	add_native(&rec->implicit_names, implicit_syscalls,
		   sizeof(implicit_syscalls) / sizeof(implicit_syscalls[0]));
}
