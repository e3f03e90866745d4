// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cleanup.h"
#include "profile/arg_rules.h"
#include "util/log.h"
#include <linux/types.h>

#include "profile/syscall_names.h"
#include "recorder.h"
#include "trace/instance.h"
#include "trace/tracer.h"

/* How often the tracer looks at the live count at most, and at least once
 * the container's init is gone (its other processes usually follow within
 * milliseconds). */
#define TRACER_POLL_MS	     250
#define TRACER_POLL_AFTER_MS 5

struct tracer {
	struct instance_slot slot;
	__u8 reported[RECORDER_NR_ARCHES][RECORDER_MAX_SYSCALLS]; /* tracer_for_each_new() */
	int init_pidfd;
	pid_t init_pid;
	bool init_gone;
	bool last; /* nobody else used the shared programs when we let go */
};

static __s64 live_count(const struct tracer *t)
{
	return __atomic_load_n(&t->slot.data->nr_live, __ATOMIC_SEQ_CST);
}

/* If init died between the runtime writing the state and our registering
 * it, no exit will be seen for it: account for it here. */
static void tracer_settle_init(struct tracer *t)
{
	struct pollfd pfd = { .fd = t->init_pidfd, .events = POLLIN };

	if (poll(&pfd, 1, 0) == 1 && instance_forget_task(&t->slot, t->init_pid)) {
		__atomic_fetch_sub(&t->slot.data->nr_live, 1, __ATOMIC_SEQ_CST);
		log_warn("container init %d exited before tracing started", t->init_pid);
	}
}

/* The BPF side looks for a traced container's PID namespace among the first
 * RECORDER_MAX_PIDNS_LEVEL levels of a new process's (a walk the verifier
 * unrolls, on every first load). Deeper containers still record all their
 * own processes, only not the ones entering from outside. */
static void warn_deep_pidns(pid_t init_pid)
{
	char path[64], line[256];
	int level = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", init_pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "NSpid:", 6) != 0)
			continue;
		for (char *save, *p = strtok_r(line + 6, " \t\n", &save); p;
		     p = strtok_r(NULL, " \t\n", &save))
			level++;
		break;
	}
	fclose(f);
	if (level >= RECORDER_MAX_PIDNS_LEVEL)
		log_warn("container init %d is %d PID namespaces deep: processes entering the "
			 "container later (runc exec) are not recorded beyond %d levels",
			 init_pid, level, RECORDER_MAX_PIDNS_LEVEL - 1);
}

/* The inode of the container's PID namespace, or 0 when it is ours (the
 * host's): then a process entering the container looks like any other. */
static int container_pidns(pid_t init_pid, __u32 *inum, hook_error_t *err)
{
	char path[64];
	struct stat ct, self;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", init_pid);
	if (stat(path, &ct) < 0)
		return hook_make_error(err, errno, "cannot stat `%s`", path);
	if (stat("/proc/self/ns/pid", &self) < 0)
		return hook_make_error(err, errno, "cannot stat `/proc/self/ns/pid`");
	*inum = ct.st_ino == self.st_ino ? 0 : (__u32)ct.st_ino;
	if (*inum)
		warn_deep_pidns(init_pid);
	return 0;
}

int tracer_start(pid_t init_pid, __u32 args_wanted, struct tracer **out, hook_error_t *err)
{
	struct tracer *t = xzalloc(sizeof(*t));
	__u32 pidns = 0;
	int ret;

	t->init_pid = init_pid;
	t->init_pidfd = (int)syscall(SYS_pidfd_open, init_pid, 0);
	if (t->init_pidfd < 0) {
		ret = hook_make_error(err, errno, "container init process %d", init_pid);
		free(t);
		return ret;
	}
	ret = container_pidns(init_pid, &pidns, err);
	if (ret == 0)
		ret = instance_register(init_pid, pidns, args_wanted, &t->slot, err);
	if (ret < 0) {
		close(t->init_pidfd);
		free(t);
		return ret;
	}
	tracer_settle_init(t);
	*out = t;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Sleeps up to `ms`, waking early when the container's init exits. */
static void tracer_nap(struct tracer *t, long long ms)
{
	struct pollfd pfd = { .fd = t->init_pidfd, .events = POLLIN };

	if (t->init_gone) {
		poll(NULL, 0, (int)ms);
		return;
	}
	if (poll(&pfd, 1, (int)ms) == 1)
		t->init_gone = true;
}

enum tracer_wait_end tracer_wait(struct tracer *t, volatile sig_atomic_t *stop, int timeout_ms)
{
	long long deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : -1;
	long long interval = TRACER_POLL_AFTER_MS;

	while (live_count(t) > 0) {
		long long left = t->init_gone ? interval : TRACER_POLL_MS;

		if (*stop)
			return TRACER_STOPPED;
		if (deadline >= 0) {
			long long until = deadline - now_ms();

			if (until <= 0)
				return TRACER_TIMED_OUT;
			if (left > until)
				left = until;
		}
		tracer_nap(t, left);
		/* Processes outliving init (daemons of `record`): back off. */
		if (t->init_gone && interval < TRACER_POLL_MS)
			interval *= 2;
	}
	return TRACER_ALL_GONE;
}

size_t tracer_for_each_new(struct tracer *t, tracer_seen_fn fn, void *ctx)
{
	const struct recorder_container *c = t->slot.data;
	size_t total = 0;

	for (int slot = 0; slot < RECORDER_NR_ARCHES; slot++) {
		for (int nr = 0; nr < RECORDER_MAX_SYSCALLS; nr++) {
			char *name;

			if (!__atomic_load_n(&c->seen[slot][nr], __ATOMIC_RELAXED))
				continue;
			total++;
			if (t->reported[slot][nr])
				continue;
			t->reported[slot][nr] = 1;
			name = syscall_slot_name(slot, nr);
			if (name && syscall_slot_arch(slot))
				fn(ctx, syscall_slot_arch(slot), name);
			free(name);
		}
	}
	return total;
}

bool tracer_started(const struct tracer *t)
{
	return __atomic_load_n(&t->slot.data->workload_started, __ATOMIC_SEQ_CST) != 0;
}

long long tracer_live_processes(const struct tracer *t)
{
	return (long long)live_count(t);
}

void tracer_detach(struct tracer *t)
{
	hook_error_t err = NULL;

	if (!t->slot.registered)
		return; /* already: keep what the first call learnt */
	if (instance_unregister(&t->slot, &t->last, &err) < 0)
		log_error_release(LOG_WARNING, &err);
}

static void add_arg(void *ctx, __u32 kind, __u64 value)
{
	struct profile_recording *rec = ctx;

	const char *name = arg_rule_name(kind);

	if (!name || !strv_contains(&rec->arg_names, name))
		return;
	if (kind == RECORDER_ARG_CLONE)
		profile_recording_add_arg(rec, name, arg_rule_op(kind), RECORDER_CLONE_NS_FLAGS,
					  value);
	else
		profile_recording_add_arg(rec, name, arg_rule_op(kind), value, 0);
}

/* The values seen for the syscalls args: named, in place of an outright
 * allow; but where some value may be missing (the map was full, or the
 * syscall came through another ABI, whose arguments are not read), the
 * syscall stays allowed outright. */
static void collect_args(struct tracer *t, struct profile_recording *rec)
{
	const struct recorder_container *c = t->slot.data;
	bool partial = __atomic_load_n(&c->args_dropped, __ATOMIC_RELAXED) != 0;

	if (!t->slot.args_wanted)
		return;
	if (partial)
		log_warn("%llu argument values were not recorded (more than %d at once on this "
			 "host); the syscalls of args: stay allowed outright",
			 (unsigned long long)c->args_dropped, RECORDER_MAX_ARG_VALUES);
	for (unsigned kind = 0; kind < RECORDER_NR_ARG_KINDS && !partial; kind++) {
		const char *name = arg_rule_name(kind);
		int nr = syscall_slot_index(RECORDER_ARCH_NATIVE, name);
		bool other_abi = false;

		if (!(t->slot.args_wanted & (1U << kind)) || nr < 0 || nr >= RECORDER_MAX_SYSCALLS ||
		    !__atomic_load_n(&c->seen[RECORDER_ARCH_NATIVE][nr], __ATOMIC_RELAXED))
			continue;
		for (int slot = 1; slot < RECORDER_NR_ARCHES; slot++) {
			int n = syscall_slot_index(slot, name);

			if (n >= 0 && n < RECORDER_MAX_SYSCALLS &&
			    __atomic_load_n(&c->seen[slot][n], __ATOMIC_RELAXED))
				other_abi = true;
		}
		if (other_abi) {
			log_warn("`%s` was also called through another ABI, whose arguments are not "
				 "recorded; it stays allowed outright",
				 name);
			continue;
		}
		strv_add(&rec->arg_names, name);
	}
	if (rec->arg_names.n)
		instance_for_each_arg(&t->slot, add_arg, rec);
}

/* What the thread that installed a seccomp filter did after it, before the
 * workload's exec: the runtime's post-filter syscalls, where the container
 * has a filter of its own while it is recorded. */
static void collect_runtime(const struct recorder_container *c, struct profile_recording *rec)
{
	for (int nr = 0; nr < RECORDER_MAX_SYSCALLS; nr++) {
		cleanup_free char *name = NULL;

		if (!__atomic_load_n(&c->runtime_seen[nr], __ATOMIC_RELAXED))
			continue;
		name = syscall_slot_name(RECORDER_ARCH_NATIVE, nr);
		if (name)
			strv_add(&rec->runtime_names, name);
	}
	if (rec->runtime_names.n > 0)
		log_debug("thread %u installed a seccomp filter; after it: %zu syscalls",
			  c->filter_tid, rec->runtime_names.n);
}

int tracer_collect(struct tracer *t, struct profile_recording *rec, hook_error_t *err)
{
	const struct recorder_container *c = t->slot.data;

	/* Before the workload's exec nothing is recorded: writing now would
	 * replace a good profile with an empty one. */
	if (!tracer_started(t))
		return hook_make_error(err, 0,
				       "the container never started its workload (no exec "
				       "seen); profile not written");
	strv_add(&rec->arches, syscall_slot_arch(RECORDER_ARCH_NATIVE));
	for (int slot = 0; slot < RECORDER_NR_ARCHES; slot++) {
		bool any = false;

		for (int nr = 0; nr < RECORDER_MAX_SYSCALLS; nr++) {
			cleanup_free char *name = NULL;

			if (!__atomic_load_n(&c->seen[slot][nr], __ATOMIC_RELAXED))
				continue;
			any = true;
			name = syscall_slot_name(slot, nr);
			if (!name) {
				log_warn("syscall %d on %s has no name in libseccomp; left out", nr,
					 syscall_slot_arch(slot));
				continue;
			}
			strv_add(&rec->names, name);
		}
		if (any && slot != RECORDER_ARCH_NATIVE && syscall_slot_arch(slot))
			strv_add(&rec->arches, syscall_slot_arch(slot));
	}
	collect_args(t, rec);
	collect_runtime(c, rec);
	if (c->untracked)
		log_warn("%llu processes of the container were not traced (more than %d traced "
			 "processes alive at once on this host)",
			 (unsigned long long)c->untracked, RECORDER_MAX_TASKS);
	strv_sort_unique(&rec->names);
	return 0;
}

bool tracer_records_caps(const struct tracer *t)
{
	return instance_records_caps(&t->slot);
}

bool tracer_caps_checked_only(const struct tracer *t)
{
	return instance_caps_checked_only(&t->slot);
}

uint64_t tracer_collect_caps(const struct tracer *t)
{
	const struct recorder_container *c = t->slot.data;
	uint64_t used = 0;

	for (int cap = 0; cap < RECORDER_MAX_CAPS; cap++)
		if (__atomic_load_n(&c->caps[cap], __ATOMIC_RELAXED))
			used |= 1ULL << cap;
	return used;
}

void tracer_destroy_sync(struct tracer *t)
{
	if (!t)
		return;
	tracer_detach(t);
	/* Written by now (the last user of the maps frees them anyway). */
	if (!t->last)
		instance_forget_args(&t->slot);
	instance_release(&t->slot);
	/* Closing the last descriptor of a link detaches it at once; the kernel
	 * frees the program itself after an RCU Tasks Trace grace period (the
	 * syscall tracepoints are faultable), 150-300 ms that nobody needs to
	 * wait for: a detached program runs for nobody. */
	tracer_destroy(t);
}

void tracer_destroy(struct tracer *t)
{
	if (!t)
		return;
	instance_close(&t->slot);
	if (t->init_pidfd >= 0)
		close(t->init_pidfd);
	free(t);
}
