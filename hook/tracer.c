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
#include "log.h"
#include <linux/types.h>

#include "recorder.h"
#include "syscall_names.h"
#include "tracer.h"
#include "recorder.skel.h"

/* How often the tracer looks at the live count even without a notice. */
#define TRACER_POLL_MS 250

struct tracer {
	struct recorder_bpf *skel;
	__u8 reported[RECORDER_NR_ARCHES][RECORDER_MAX_SYSCALLS]; /* tracer_for_each_new() */
	struct ring_buffer *events;
	int init_pidfd;
	pid_t init_pid;
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char buf[512];

	if (level == LIBBPF_DEBUG && !log_verbose())
		return 0;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_debug("libbpf: %s", buf);
	return 0;
}

static int on_event(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	/* The notice only wakes us up; the live count says whether to stop. */
	return 0;
}

static __s64 live_count(const struct tracer *t)
{
	return __atomic_load_n(&t->skel->bss->nr_live, __ATOMIC_SEQ_CST);
}

static int bpf_error(hook_error_t *err, int ret, const char *what)
{
	int e = ret < 0 ? -ret : (errno ? errno : EINVAL);

	if (e == EPERM || e == EACCES)
		return hook_make_error(err, e, "%s (needs root: CAP_BPF and CAP_PERFMON)", what);
	return hook_make_error(err, e, "%s", what);
}

/* If init died between the runtime writing the state and our attach, no
 * exit notice will come for it: account for it here. */
static void tracer_settle_init(struct tracer *t)
{
	struct pollfd pfd = { .fd = t->init_pidfd, .events = POLLIN };
	__u32 key = (__u32)t->init_pid;

	if (poll(&pfd, 1, 0) == 1 &&
	    bpf_map_delete_elem(bpf_map__fd(t->skel->maps.traced_tgids), &key) == 0) {
		__atomic_fetch_sub(&t->skel->bss->nr_live, 1, __ATOMIC_SEQ_CST);
		log_warn("container init %d exited before tracing started", t->init_pid);
	}
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
	return 0;
}

int tracer_start(pid_t init_pid, struct tracer **out, hook_error_t *err)
{
	struct tracer *t = xzalloc(sizeof(*t));
	__u32 key = (__u32)init_pid;
	__u8 active = RECORDER_TASK_ACTIVE;
	__u32 pidns = 0;
	int ret;

	t->init_pidfd = -1;
	t->init_pid = init_pid;
	libbpf_set_print(libbpf_print);

	t->init_pidfd = (int)syscall(SYS_pidfd_open, init_pid, 0);
	if (t->init_pidfd < 0) {
		ret = hook_make_error(err, errno, "container init process %d", init_pid);
		goto fail;
	}
	ret = container_pidns(init_pid, &pidns, err);
	if (ret < 0)
		goto fail;
	t->skel = recorder_bpf__open();
	if (!t->skel) {
		ret = bpf_error(err, -errno, "cannot open the BPF object");
		goto fail;
	}
	t->skel->rodata->targ_pidns_inum = pidns;
	ret = recorder_bpf__load(t->skel);
	if (ret < 0) {
		ret = bpf_error(err, ret, "cannot load the BPF program into the kernel");
		goto fail;
	}
	ret = bpf_map_update_elem(bpf_map__fd(t->skel->maps.traced_tgids), &key, &active,
				  BPF_NOEXIST);
	if (ret < 0) {
		ret = bpf_error(err, -errno, "cannot register the container's init process");
		goto fail;
	}
	t->skel->bss->nr_live = 1;
	ret = recorder_bpf__attach(t->skel);
	if (ret < 0) {
		ret = bpf_error(err, ret, "cannot attach the BPF program to its tracepoints");
		goto fail;
	}
	t->events = ring_buffer__new(bpf_map__fd(t->skel->maps.events), on_event, t, NULL);
	if (!t->events) {
		ret = bpf_error(err, -errno, "cannot set up the BPF ring buffer");
		goto fail;
	}
	tracer_settle_init(t);
	*out = t;
	return 0;
fail:
	tracer_destroy(t);
	return ret;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

int tracer_wait(struct tracer *t, volatile sig_atomic_t *stop, int timeout_ms, hook_error_t *err)
{
	long long deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : -1;

	while (live_count(t) > 0) {
		long long left = TRACER_POLL_MS;
		int ret;

		if (*stop)
			return 1;
		if (deadline >= 0) {
			left = deadline - now_ms();
			if (left <= 0)
				return 2;
			if (left > TRACER_POLL_MS)
				left = TRACER_POLL_MS;
		}
		ret = ring_buffer__poll(t->events, (int)left);
		if (ret < 0 && ret != -EINTR)
			return hook_make_error(err, -ret, "cannot poll the BPF ring buffer");
	}
	return 0;
}

size_t tracer_for_each_new(struct tracer *t, tracer_seen_fn fn, void *ctx)
{
	const struct recorder_bpf__bss *bss = t->skel->bss;
	size_t total = 0;

	for (int slot = 0; slot < RECORDER_NR_ARCHES; slot++) {
		for (int nr = 0; nr < RECORDER_MAX_SYSCALLS; nr++) {
			char *name;

			if (!__atomic_load_n(&bss->seen[slot][nr], __ATOMIC_RELAXED))
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
	return __atomic_load_n(&t->skel->bss->workload_started, __ATOMIC_SEQ_CST) != 0;
}

long long tracer_live_processes(const struct tracer *t)
{
	return (long long)live_count(t);
}

void tracer_detach(struct tracer *t)
{
	recorder_bpf__detach(t->skel);
}

int tracer_collect(struct tracer *t, struct profile_recording *rec, hook_error_t *err)
{
	const struct recorder_bpf__bss *bss = t->skel->bss;

	/* Before the workload's exec nothing is recorded: writing now would
	 * replace a good profile with an empty one. */
	if (!tracer_started(t))
		return hook_make_error(err, 0,
				       "the container never started its workload (no exec "
				       "seen); profile not written");
	profile_strv_add(&rec->arches, syscall_slot_arch(RECORDER_ARCH_NATIVE));
	for (int slot = 0; slot < RECORDER_NR_ARCHES; slot++) {
		bool any = false;

		for (int nr = 0; nr < RECORDER_MAX_SYSCALLS; nr++) {
			cleanup_free char *name = NULL;

			if (!__atomic_load_n(&bss->seen[slot][nr], __ATOMIC_RELAXED))
				continue;
			any = true;
			name = syscall_slot_name(slot, nr);
			if (!name) {
				log_warn("syscall %d on %s has no name in libseccomp; left out", nr,
					 syscall_slot_arch(slot));
				continue;
			}
			profile_strv_add(&rec->names, name);
		}
		if (any && slot != RECORDER_ARCH_NATIVE && syscall_slot_arch(slot))
			profile_strv_add(&rec->arches, syscall_slot_arch(slot));
	}
	if (bss->untracked)
		log_warn("%llu processes of the container were not traced (more than %d alive at "
			 "once)",
			 (unsigned long long)bss->untracked, RECORDER_MAX_TASKS);
	profile_strv_sort_unique(&rec->names);
	return 0;
}

/* The kernel frees a detached program after an RCU grace period; wait for
 * that (bounded), so that when we report completion nothing of ours is
 * left in the kernel. */
static void wait_programs_gone(const __u32 *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (int tries = 0; ids[i] && tries < 2000; tries++) {
			int fd = bpf_prog_get_fd_by_id(ids[i]);

			if (fd < 0)
				break;
			close(fd);
			usleep(1000);
		}
	}
}

void tracer_destroy_sync(struct tracer *t)
{
	struct bpf_program *prog;
	__u32 ids[8] = { 0 };
	size_t n = 0;

	if (!t)
		return;
	bpf_object__for_each_program (prog, t->skel->obj) {
		struct bpf_prog_info info = { 0 };
		__u32 len = sizeof(info);

		if (n < sizeof(ids) / sizeof(ids[0]) &&
		    bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len) == 0)
			ids[n++] = info.id;
	}
	tracer_destroy(t);
	wait_programs_gone(ids, n);
}

void tracer_destroy(struct tracer *t)
{
	if (!t)
		return;
	ring_buffer__free(t->events);
	recorder_bpf__destroy(t->skel);
	if (t->init_pidfd >= 0)
		close(t->init_pidfd);
	free(t);
}
