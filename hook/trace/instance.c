// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "caps_kprobe.skel.h"
#include "cleanup.h"
#include "profile/arg_rules.h"
#include "profile/syscall_names.h"
#include "recorder.skel.h"
#include "trace/instance.h"
#include "trace/kernel_btf.h"
#include "trace/rundir.h"
#include "util/log.h"
#include "util/safe_file.h"

#ifndef RECORDER_ABI
#error "RECORDER_ABI (a hash of the BPF program and its types) must be defined by the build"
#endif

/* Registry, per build of the BPF side: a tracer only ever joins an instance
 * whose maps have the layout it was built for. */
#define REGISTRY_DIR "tracing-" RECORDER_ABI
#define REGISTRY_LOCK "lock"
#define REGISTRY_INSTANCE "instance"
#define REGISTRY_GEN "generation"
#define REGISTRY_LOCK_TIMEOUT_MS 30000

/* Program and map names as the kernel reports them (15 characters at most):
 * what the skeleton is searched for, and what the IDs in the registry must
 * still name. */
static const char *const link_prog_names[INSTANCE_NR_LINKS] = {
	[INSTANCE_LINK_SYS_ENTER] = "sr_sys_enter",
	[INSTANCE_LINK_TASK_NEWTASK] = "sr_task_newtask",
	[INSTANCE_LINK_PROCESS_EXEC] = "sr_process_exec",
	[INSTANCE_LINK_PROCESS_EXIT] = "sr_process_exit",
	[INSTANCE_LINK_CAPS] = "sr_cap_capable",
};
static const char *const map_names[INSTANCE_NR_MAPS] = {
	[INSTANCE_MAP_TASKS] = "sr_tasks",	   [INSTANCE_MAP_PIDNS] = "sr_pidns",
	[INSTANCE_MAP_CONTAINERS] = "sr_containers", [INSTANCE_MAP_MAYBE] = "sr_maybe",
	[INSTANCE_MAP_ARGS] = "sr_args",
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

static int bpf_error(hook_error_t *err, int ret, const char *what)
{
	int e = ret < 0 ? -ret : (errno ? errno : EINVAL);

	if (e == EPERM || e == EACCES)
		return hook_make_error(err, e, "%s (needs root: CAP_BPF and CAP_PERFMON)", what);
	return hook_make_error(err, e, "%s", what);
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static void close_shared(struct instance_slot *s)
{
	for (int i = 0; i < INSTANCE_NR_LINKS; i++)
		close_fd(&s->links[i]);
	for (int i = 0; i < INSTANCE_NR_MAPS; i++)
		close_fd(&s->maps[i]);
}

/* ---- the registry directory ---- */

static int registry_open(hook_error_t *err)
{
	cleanup_close int rundirfd = rundir_open(err);

	if (rundirfd < 0)
		return rundirfd;
	return safe_private_dir(RUNDIR_PATH "/" REGISTRY_DIR, 0700, 0077, err);
}

/* Every change to the registry and the shared maps' ownership happens under
 * this lock; holders only ever do a few map operations (or one load). */
static int registry_lock(int dirfd, hook_error_t *err)
{
	cleanup_close int fd = -1;
	int ret;

	fd = openat(dirfd, REGISTRY_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return hook_make_error(err, errno, "cannot open `%s/%s/%s`", RUNDIR_PATH,
				       REGISTRY_DIR, REGISTRY_LOCK);
	ret = safe_lock_timed(fd, LOCK_EX, REGISTRY_LOCK_TIMEOUT_MS);
	if (ret < 0)
		return hook_make_error(err, errno, "cannot lock `%s/%s/%s`", RUNDIR_PATH,
				       REGISTRY_DIR, REGISTRY_LOCK);
	if (ret == 0)
		return hook_make_error(err, 0, "`%s/%s/%s` has been locked by another tracer for %d s",
				       RUNDIR_PATH, REGISTRY_DIR, REGISTRY_LOCK,
				       REGISTRY_LOCK_TIMEOUT_MS / 1000);
	return steal_fd(&fd);
}

/* ---- finding or loading the shared instance ---- */

static bool prog_named(__u32 prog_id, const char *name)
{
	struct bpf_prog_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(prog_id);
	bool ok;

	if (fd < 0)
		return false;
	ok = bpf_obj_get_info_by_fd(fd, &info, &len) == 0 && strcmp(info.name, name) == 0;
	close(fd);
	return ok;
}

static int link_by_id(__u32 id, const char *prog_name)
{
	struct bpf_link_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_link_get_fd_by_id(id);

	if (fd < 0)
		return -1;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0 || !prog_named(info.prog_id, prog_name)) {
		close(fd);
		return -1;
	}
	return fd;
}

static int map_by_id(__u32 id, const char *name)
{
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);
	int fd = bpf_map_get_fd_by_id(id);

	if (fd < 0)
		return -1;
	if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0 || strcmp(info.name, name) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static __u32 obj_id(int fd)
{
	/* bpf_link_info, bpf_prog_info and bpf_map_info all start with the
	 * object's type and id; the kernel fills in what fits in `len`. */
	struct bpf_map_info info = { 0 };
	__u32 len = sizeof(info);

	return bpf_obj_get_info_by_fd(fd, &info, &len) == 0 ? info.id : 0;
}

/* The registry's instance file: "links ID... maps ID...\n", an ID of 0 for
 * a capability link that could not be attached. */
static bool parse_ids(const char **p, const char *word, __u32 *ids, int n)
{
	size_t len = strlen(word);

	while (**p == ' ')
		(*p)++;
	if (strncmp(*p, word, len) != 0)
		return false;
	*p += len;
	for (int i = 0; i < n; i++) {
		unsigned long v;
		char *end;

		errno = 0;
		v = strtoul(*p, &end, 10);
		if (end == *p || errno || v > UINT32_MAX)
			return false;
		ids[i] = (__u32)v;
		*p = end;
	}
	return true;
}

/* Takes references to the instance the registry names, if it is still
 * whole. A tracer that held it alone may have died since: then some or all
 * of it is gone, and the caller loads a new one. */
static bool instance_find(int dirfd, struct instance_slot *s)
{
	__u32 links[INSTANCE_NR_LINKS], maps[INSTANCE_NR_MAPS];
	cleanup_close int fd = -1;
	const char *p;
	char buf[256];
	ssize_t n;

	fd = openat(dirfd, REGISTRY_INSTANCE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = buf;
	if (!parse_ids(&p, "links", links, INSTANCE_NR_LINKS) ||
	    !parse_ids(&p, "maps", maps, INSTANCE_NR_MAPS))
		return false;
	for (int i = 0; i < INSTANCE_NR_LINKS; i++) {
		if (i == INSTANCE_LINK_CAPS && links[i] == 0)
			continue; /* capability checks are not recorded */
		s->links[i] = link_by_id(links[i], link_prog_names[i]);
		if (s->links[i] < 0 && i == INSTANCE_LINK_CAPS) {
			s->links[i] = link_by_id(links[i], "sr_cap_kprobe");
			s->caps_checked_only = s->links[i] >= 0;
		}
		if (s->links[i] < 0)
			goto gone;
	}
	for (int i = 0; i < INSTANCE_NR_MAPS; i++) {
		s->maps[i] = map_by_id(maps[i], map_names[i]);
		if (s->maps[i] < 0)
			goto gone;
	}
	return true;
gone:
	close_shared(s);
	return false;
}

static int registry_write_instance(int dirfd, const struct instance_slot *s, hook_error_t *err)
{
	char buf[256];
	int len;

	len = snprintf(buf, sizeof(buf), "links");
	for (int i = 0; i < INSTANCE_NR_LINKS; i++)
		len += snprintf(buf + len, sizeof(buf) - (size_t)len, " %u",
				s->links[i] >= 0 ? obj_id(s->links[i]) : 0);
	len += snprintf(buf + len, sizeof(buf) - (size_t)len, " maps");
	for (int i = 0; i < INSTANCE_NR_MAPS; i++)
		len += snprintf(buf + len, sizeof(buf) - (size_t)len, " %u", obj_id(s->maps[i]));
	len += snprintf(buf + len, sizeof(buf) - (size_t)len, "\n");
	return safe_file_replace(dirfd, REGISTRY_INSTANCE, buf, (size_t)len, 0600, 0,
				 RUNDIR_PATH "/" REGISTRY_DIR "/" REGISTRY_INSTANCE, err);
}

static int dup_fd(int fd, int *out, hook_error_t *err)
{
	*out = fcntl(fd, F_DUPFD_CLOEXEC, 3);
	if (*out < 0)
		return hook_make_error(err, errno, "cannot duplicate a BPF descriptor");
	return 0;
}

/* Opens the object, with the trimmed kernel BTF when there is one (see
 * kernel_btf.h): without it libbpf parses the whole kernel BTF, which
 * costs more than everything else a hook does. */
static struct recorder_bpf *open_object(int dirfd, char *btf_path, size_t size)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts);
	const char *dir = RUNDIR_PATH "/" REGISTRY_DIR;
	hook_error_t err = NULL;
	struct recorder_bpf *skel;

	if (!kernel_btf_cached(dirfd, dir, btf_path, size)) {
		/* Once per boot: the program's own BTF says what to keep. */
		skel = recorder_bpf__open();
		if (!skel)
			return NULL;
		if (kernel_btf_trim(dirfd, dir, bpf_object__btf(skel->obj), btf_path, size, &err) <
		    0) {
			log_error_release(LOG_DEBUG, &err);
			*btf_path = '\0';
			return skel;
		}
		recorder_bpf__destroy(skel);
	}
	opts.btf_custom_path = btf_path;
	return recorder_bpf__open_opts(&opts);
}

/* Before Linux 6.14 there is no capability:cap_capable tracepoint: then a
 * kprobe, in an object of its own (loaded only here), with its maps pointed
 * at the instance's. */
static int attach_caps_kprobe(struct instance_slot *s, hook_error_t *err)
{
	struct caps_kprobe_bpf *skel = caps_kprobe_bpf__open();
	int ret;

	if (!skel)
		return bpf_error(err, -errno, "cannot open the capability BPF object");
	for (int i = 0; i < INSTANCE_NR_MAPS; i++) {
		struct bpf_map *map = bpf_object__find_map_by_name(skel->obj, map_names[i]);

		if (map && (ret = bpf_map__reuse_fd(map, s->maps[i])) < 0) {
			ret = bpf_error(err, ret,
					"cannot share the maps with the capability BPF object");
			goto out;
		}
	}
	ret = caps_kprobe_bpf__load(skel);
	if (ret < 0) {
		ret = bpf_error(err, ret, "cannot load the BPF program for cap_capable()");
		goto out;
	}
	ret = caps_kprobe_bpf__attach(skel);
	if (ret < 0) {
		ret = bpf_error(err, ret, "cannot attach a kprobe to cap_capable()");
		goto out;
	}
	ret = dup_fd(bpf_link__fd(skel->links.sr_cap_kprobe), &s->links[INSTANCE_LINK_CAPS], err);
	s->caps_checked_only = ret == 0;
out:
	caps_kprobe_bpf__destroy(skel);
	return ret;
}

/* Capability checks are recorded if either way works; if neither does, the
 * instance records syscalls only, and `caps:` says so. The tests ask for
 * the fallback with SECCOMP_RECORDER_CAPS_KPROBE=1. */
static void attach_caps(struct recorder_bpf *skel, struct instance_slot *s)
{
	const char *force = getenv("SECCOMP_RECORDER_CAPS_KPROBE");
	hook_error_t err = NULL;
	struct bpf_link *link = NULL;

	if (!force || strcmp(force, "1") != 0) {
		link = bpf_program__attach_raw_tracepoint(skel->progs.sr_cap_capable,
							  "cap_capable");
		if (link) {
			if (dup_fd(bpf_link__fd(link), &s->links[INSTANCE_LINK_CAPS], &err) < 0)
				log_error_release(LOG_WARNING, &err);
			bpf_link__destroy(link);
			return;
		}
		log_debug("no capability:cap_capable tracepoint (%s); trying a kprobe on "
			  "cap_capable()",
			  strerror(errno));
	}
	if (attach_caps_kprobe(s, &err) < 0) {
		hook_error_wrap(&err, "capability checks will not be recorded");
		log_error_release(LOG_WARNING, &err);
	}
}

bool instance_records_caps(const struct instance_slot *s)
{
	return s->links[INSTANCE_LINK_CAPS] >= 0;
}

bool instance_caps_checked_only(const struct instance_slot *s)
{
	return s->caps_checked_only;
}

static long native_nr(const char *name)
{
	const char *arch = syscall_slot_arch(RECORDER_ARCH_NATIVE);
	int nr = arch ? syscall_resolve(arch, name) : -1;

	return nr >= 0 ? nr : -1;
}

/* The native numbers of the syscalls the program looks at by number (those
 * args: knows; seccomp and prctl, which install filters), from libseccomp's
 * tables, so that it needs no per-architecture list of its own. */
static void set_syscall_numbers(struct recorder_bpf *skel)
{
	for (unsigned k = 0; k < RECORDER_NR_ARG_KINDS; k++)
		skel->rodata->sr_arg_nr[k] = native_nr(arg_rule_name(k));
	skel->rodata->sr_nr_seccomp = native_nr("seccomp");
	skel->rodata->sr_nr_prctl = native_nr("prctl");
}

/* Opens and loads the object: with the trimmed kernel BTF when it is
 * there, and if that fails with the kernel's own, so that a bad cached
 * copy never stops us. */
static struct recorder_bpf *object_load(int dirfd, hook_error_t *err)
{
	char btf_path[256] = "";
	struct recorder_bpf *skel;
	int ret;

	for (int attempt = 0;; attempt++) {
		skel = attempt == 0 ? open_object(dirfd, btf_path, sizeof(btf_path))
				    : recorder_bpf__open();
		if (!skel) {
			bpf_error(err, -errno, "cannot open the BPF object");
			return NULL;
		}
		set_syscall_numbers(skel);
		ret = recorder_bpf__load(skel);
		if (ret == 0)
			return skel;
		recorder_bpf__destroy(skel);
		if (attempt > 0 || !*btf_path) {
			bpf_error(err, ret, "cannot load the BPF program into the kernel");
			return NULL;
		}
		log_warn("cannot load the BPF program with `%s`; trying the kernel's own BTF",
			 btf_path);
		unlinkat(dirfd, strrchr(btf_path, '/') + 1, 0);
	}
}

/* Attaches every program but the capability one (attach_caps()) and keeps
 * a descriptor to each link and map: libbpf's own go with its object. */
static int take_links_and_maps(struct recorder_bpf *skel, struct instance_slot *s,
			       hook_error_t *err)
{
	for (int i = 0; i < INSTANCE_NR_LINKS; i++) {
		struct bpf_program *prog;
		struct bpf_link *link;
		int ret;

		if (i == INSTANCE_LINK_CAPS)
			continue;
		prog = bpf_object__find_program_by_name(skel->obj, link_prog_names[i]);
		link = prog ? bpf_program__attach(prog) : NULL;
		if (!link)
			return bpf_error(err, -errno, "cannot attach the BPF program to its tracepoints");
		ret = dup_fd(bpf_link__fd(link), &s->links[i], err);
		bpf_link__destroy(link);
		if (ret < 0)
			return ret;
	}
	for (int i = 0; i < INSTANCE_NR_MAPS; i++) {
		struct bpf_map *map = bpf_object__find_map_by_name(skel->obj, map_names[i]);

		if (!map)
			return hook_make_error(err, 0, "the BPF object has no map %s", map_names[i]);
		if (dup_fd(bpf_map__fd(map), &s->maps[i], err) < 0)
			return -1;
	}
	return 0;
}

/* Loads and attaches a new instance; we keep descriptors to its links and
 * maps and let the rest of libbpf's object go. */
static int instance_load(int dirfd, struct instance_slot *s, hook_error_t *err)
{
	struct recorder_bpf *skel;
	int ret;

	libbpf_set_print(libbpf_print);
	skel = object_load(dirfd, err);
	if (!skel)
		return -1;
	ret = take_links_and_maps(skel, s, err);
	if (ret == 0) {
		attach_caps(skel, s);
		ret = registry_write_instance(dirfd, s, err);
	}
	/* Closing libbpf's descriptors detaches nothing while we hold ours. */
	recorder_bpf__destroy(skel);
	if (ret < 0)
		close_shared(s);
	return ret;
}

/* ---- slots ---- */

static void slot_name(char *buf, size_t size, __u32 slot)
{
	snprintf(buf, size, "slot-%u", slot);
}

static void maybe_count(const struct instance_slot *s, __u32 tgid, int delta)
{
	__atomic_fetch_add(&s->maybe[tgid & (RECORDER_MAYBE_BUCKETS - 1)], (__u64)(__s64)delta,
			   __ATOMIC_SEQ_CST);
}

/* Deletes the entries of `map_fd` (u32 keys, values starting with a
 * struct recorder_owner) that belong to `owner`. Keys are gathered first:
 * deleting the current key while walking would restart the walk. With
 * `s`, the map is sr_tasks, whose deletions sr_maybe counts. */
static void sweep_owner(int map_fd, size_t value_size, const struct recorder_owner *owner,
			const struct instance_slot *s)
{
	cleanup_free __u32 *keys = NULL;
	cleanup_free void *value = xzalloc(value_size);
	size_t n = 0, cap = 0;
	__u32 key = 0, next;
	bool have = false;

	while (bpf_map_get_next_key(map_fd, have ? &key : NULL, &next) == 0) {
		struct recorder_owner o;

		key = next;
		have = true;
		if (bpf_map_lookup_elem(map_fd, &key, value) < 0)
			continue;
		memcpy(&o, value, sizeof(o));
		if (o.slot != owner->slot || o.gen != owner->gen)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			keys = xrealloc(keys, cap * sizeof(*keys));
		}
		keys[n++] = key;
	}
	for (size_t i = 0; i < n; i++)
		if (bpf_map_delete_elem(map_fd, &keys[i]) == 0 && s)
			maybe_count(s, keys[i], -1);
}

/* Walks sr_args for the entries of container `gen`; with `fn`, calls it for
 * each, without, deletes them (keys gathered first, as in sweep_owner()). */
static void args_walk(int args_fd, __u32 gen, instance_arg_fn fn, void *ctx)
{
	cleanup_free struct recorder_arg_key *keys = NULL;
	struct recorder_arg_key key, next;
	size_t n = 0, cap = 0;
	bool have = false;

	if (args_fd < 0)
		return;
	while (bpf_map_get_next_key(args_fd, have ? &key : NULL, &next) == 0) {
		key = next;
		have = true;
		if (key.gen != gen)
			continue;
		if (fn) {
			fn(ctx, key.kind, key.value);
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			keys = xrealloc(keys, cap * sizeof(*keys));
		}
		keys[n++] = key;
	}
	for (size_t i = 0; i < n; i++)
		bpf_map_delete_elem(args_fd, &keys[i]);
}

void instance_for_each_arg(const struct instance_slot *s, instance_arg_fn fn, void *ctx)
{
	args_walk(s->maps[INSTANCE_MAP_ARGS], s->gen, fn, ctx);
}

void instance_forget_args(const struct instance_slot *s)
{
	args_walk(s->maps[INSTANCE_MAP_ARGS], s->gen, NULL, NULL);
}

/* Takes a container out of the shared maps: first its slot (if its map,
 * `map_id`, is still the one there), which stops all recording for it at
 * once, then what still points at it. A live tracer's argument values stay
 * until it has written them (`sweep_args` false); a dead one's go. */
static void slot_unpublish(const struct instance_slot *s, const struct recorder_owner *owner,
			   __u32 map_id, bool sweep_tasks, bool sweep_args)
{
	__u32 id = 0;

	if (bpf_map_lookup_elem(s->maps[INSTANCE_MAP_CONTAINERS], &owner->slot, &id) == 0 && id == map_id)
		bpf_map_delete_elem(s->maps[INSTANCE_MAP_CONTAINERS], &owner->slot);
	sweep_owner(s->maps[INSTANCE_MAP_PIDNS], sizeof(struct recorder_owner), owner, NULL);
	if (sweep_tasks)
		sweep_owner(s->maps[INSTANCE_MAP_TASKS], sizeof(struct recorder_task), owner, s);
	if (sweep_args)
		args_walk(s->maps[INSTANCE_MAP_ARGS], owner->gen, NULL, NULL);
}

/* Clears the slots whose tracer is gone: nobody holds their file's lock.
 * Returns how many slots stay (held, or whose file we could not open), or
 * -1 if the registry could not be read. */
static int slots_reap(int dirfd, const struct instance_slot *s)
{
	int left = 0;
	struct dirent *de;
	DIR *dir;

	dir = safe_dir_walk(dirfd);
	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		struct recorder_owner owner;
		cleanup_close int fd = -1;
		__u32 map_id;
		char buf[64];
		ssize_t n;

		if (sscanf(de->d_name, "slot-%u", &owner.slot) != 1)
			continue;
		fd = openat(dirfd, de->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0) {
			left++; /* its tracer lives */
			continue;
		}
		n = read(fd, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = '\0';
		if (sscanf(buf, "gen %u map %u", &owner.gen, &map_id) == 2 &&
		    owner.slot < RECORDER_MAX_CONTAINERS) {
			log_info("slot %u: its tracer is gone; clearing what it left", owner.slot);
			/* Its processes may live on: the map goes, not parked. */
			slot_unpublish(s, &owner, map_id, true, true);
		}
		unlinkat(dirfd, de->d_name, 0);
	}
	closedir(dir);
	return left;
}

static size_t maybe_size(void)
{
	return RECORDER_MAYBE_BUCKETS * sizeof(__u64);
}

/* sr_maybe, mapped: user space counts what it adds to and removes from
 * sr_tasks, as the programs do, with the same atomic adds. */
static int maybe_map(struct instance_slot *s, hook_error_t *err)
{
	void *p = mmap(NULL, maybe_size(), PROT_READ | PROT_WRITE, MAP_SHARED, s->maps[INSTANCE_MAP_MAYBE], 0);

	if (p == MAP_FAILED)
		return hook_make_error(err, errno, "cannot map the BPF map sr_maybe");
	s->maybe = p;
	return 0;
}

bool instance_forget_task(struct instance_slot *s, pid_t pid)
{
	__u32 key = (__u32)pid;

	if (bpf_map_delete_elem(s->maps[INSTANCE_MAP_TASKS], &key) < 0)
		return false;
	maybe_count(s, key, -1);
	return true;
}

static size_t data_size(void)
{
	size_t page = (size_t)getpagesize();

	return (sizeof(struct recorder_container) + page - 1) & ~(page - 1);
}

/* The next container's generation: a counter in the registry, under its
 * lock, never 0. */
static int next_gen(int dirfd, __u32 *gen, hook_error_t *err)
{
	cleanup_close int fd = -1;
	char buf[16] = { 0 };
	ssize_t n;
	int len;

	fd = openat(dirfd, REGISTRY_GEN, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return hook_make_error(err, errno, "cannot open `%s/%s/%s`", RUNDIR_PATH,
				       REGISTRY_DIR, REGISTRY_GEN);
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0 || sscanf(buf, "%u", gen) != 1)
		*gen = 0;
	if (++*gen == 0)
		*gen = 1;
	len = snprintf(buf, sizeof(buf), "%u\n", *gen);
	if (pwrite(fd, buf, (size_t)len, 0) != len || ftruncate(fd, len) < 0)
		return hook_make_error(err, errno, "cannot write `%s/%s/%s`", RUNDIR_PATH,
				       REGISTRY_DIR, REGISTRY_GEN);
	return 0;
}

/* Maps the container's map into our memory, emptied, with what the
 * programs read from the start; its generation is set at publishing. */
static int container_map_attach(struct instance_slot *s, hook_error_t *err)
{
	void *p = mmap(NULL, data_size(), PROT_READ | PROT_WRITE, MAP_SHARED, s->map_fd, 0);

	if (p == MAP_FAILED)
		return hook_make_error(err, errno, "cannot map the container's BPF map");
	s->data = p;
	s->map_id = obj_id(s->map_fd);
	memset(s->data, 0, sizeof(*s->data));
	s->data->args_wanted = s->args_wanted;
	return 0;
}

static int container_map_create(struct instance_slot *s, hook_error_t *err)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = BPF_F_MMAPABLE);

	s->map_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "sr_container", sizeof(__u32),
				   sizeof(struct recorder_container), 1, &opts);
	if (s->map_fd < 0)
		return bpf_error(err, -errno, "cannot create the container's BPF map");
	return container_map_attach(s, err);
}

/* The map parked in the slot by the container before, if it is one (gen
 * 0: a live container's, whose tracer lost its registry file, is not).
 * Returns 1 if reused, 0 if the slot is not free after all. */
static int container_map_reuse(struct instance_slot *s, __u32 id, hook_error_t *err)
{
	struct recorder_container head;
	__u32 zero = 0;
	int fd = map_by_id(id, "sr_container");

	if (fd < 0)
		return 0;
	if (bpf_map_lookup_elem(fd, &zero, &head) < 0 || head.gen != 0) {
		close(fd);
		return 0;
	}
	s->map_fd = fd;
	s->reused = true;
	return container_map_attach(s, err) < 0 ? -1 : 1;
}

/* A slot nobody holds (registry file) with, in the array of maps, nothing
 * or a parked map; its map is made or reused. */
static int slot_claim(int dirfd, struct instance_slot *s, hook_error_t *err)
{
	for (__u32 slot = 0; slot < RECORDER_MAX_CONTAINERS; slot++) {
		char name[32], buf[48];
		__u32 id;
		int fd, len, ret;

		slot_name(name, sizeof(name), slot);
		fd = openat(dirfd, name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno == EEXIST)
			continue;
		if (fd < 0)
			return hook_make_error(err, errno, "cannot create `%s/%s/%s`", RUNDIR_PATH,
					       REGISTRY_DIR, name);
		s->slot = slot;
		s->slot_fd = fd;
		if (bpf_map_lookup_elem(s->maps[INSTANCE_MAP_CONTAINERS], &slot, &id) == 0)
			ret = container_map_reuse(s, id, err);
		else
			ret = container_map_create(s, err) < 0 ? -1 : 1;
		if (ret == 1) {
			len = snprintf(buf, sizeof(buf), "gen %u map %u\n", s->gen, s->map_id);
			if (flock(fd, LOCK_EX | LOCK_NB) == 0 && write(fd, buf, (size_t)len) == len)
				return 0;
			ret = hook_make_error(err, errno, "cannot take `%s/%s/%s`", RUNDIR_PATH,
					      REGISTRY_DIR, name);
		}
		unlinkat(dirfd, name, 0);
		close_fd(&s->slot_fd);
		if (ret < 0)
			return -1;
	}
	return hook_make_error(err, 0, "%d containers are traced already; no slot is free",
			       RECORDER_MAX_CONTAINERS);
}

/* How long we wait for a map put into a slot by map_insert() to show. */
#define MAP_INSERT_TIMEOUT_MS 5000

static bool slot_shows(const struct instance_slot *s)
{
	__u32 id = 0;

	return bpf_map_lookup_elem(s->maps[INSTANCE_MAP_CONTAINERS], &s->slot, &id) == 0 &&
	       id == s->map_id;
}

/* The update map_insert() leaves to a grandchild, which reports a failure
 * as an errno on `report`. Only the two maps and `report` stay open: a link
 * held here would keep the programs attached after the last tracer let go,
 * and a runtime's pipe would keep runc waiting for EOF. */
static void __attribute__((noreturn)) map_insert_child(const struct instance_slot *s, int report)
{
	int outer = fcntl(s->maps[INSTANCE_MAP_CONTAINERS], F_DUPFD_CLOEXEC, 1000);
	int inner = fcntl(s->map_fd, F_DUPFD_CLOEXEC, 1000);
	int out = fcntl(report, F_DUPFD_CLOEXEC, 1000);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC), e = EBADF;

	if (outer >= 0 && inner >= 0 && out >= 0 && null >= 0 && dup2(null, 0) == 0 &&
	    dup2(null, 1) == 1 && dup2(null, 2) == 2) {
		syscall(SYS_close_range, 3U, 999U, 0U);
		syscall(SYS_close_range, (unsigned)out + 1U, ~0U, 0U);
		if (bpf_map_update_elem(outer, &s->slot, &inner, BPF_ANY) == 0)
			_exit(0);
		e = errno;
	}
	if (write(out, &e, sizeof(e)) < 0)
		_exit(1);
	_exit(1);
}

/* Puts the container's map into its slot and returns once the programs see
 * it. The kernel swaps the map in at once but then waits, inside the same
 * syscall, for an RCU grace period (maybe_wait_bpf_programs(): 5-30 ms
 * here) that only matters to whoever used the slot's old map, and there
 * was none: a grandchild of ours, nobody's to wait for, makes the call and
 * sits that out alone. */
static int map_insert(struct instance_slot *s, hook_error_t *err)
{
	struct timespec pause = { 0, 20 * 1000 };
	cleanup_close int rd = -1;
	int pipefd[2], e = 0, waited;
	ssize_t n;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0)
		return hook_make_error(err, errno, "cannot create a pipe");
	rd = pipefd[0];
	pid = fork();
	if (pid == 0) {
		if (fork() == 0)
			map_insert_child(s, pipefd[1]);
		_exit(0);
	}
	close(pipefd[1]);
	if (pid < 0)
		return hook_make_error(err, errno, "cannot fork to publish the container's BPF map");
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	for (waited = 0; waited < MAP_INSERT_TIMEOUT_MS * 50; waited++) {
		if (slot_shows(s))
			return 0;
		n = read(rd, &e, sizeof(e));
		if (n == 0 && slot_shows(s))
			return 0;
		if (n == 0 || n == (ssize_t)sizeof(e)) {
			errno = e ? e : EIO;
			return bpf_error(err, -errno, "cannot publish the container's BPF map");
		}
		nanosleep(&pause, NULL);
	}
	return hook_make_error(err, 0, "the container's BPF map did not show in its slot within %d ms",
			       MAP_INSERT_TIMEOUT_MS);
}

/* Makes the container visible to the programs: its map in the slot first
 * (a parked one is there already), then its generation, so that a process
 * created by init in the meantime is already counted. */
static int slot_publish(struct instance_slot *s, pid_t init_pid, hook_error_t *err)
{
	struct recorder_task task = { .owner = { s->slot, s->gen }, .state = RECORDER_TASK_ACTIVE };
	__u32 key = (__u32)init_pid;

	__atomic_store_n(&s->data->nr_live, 1, __ATOMIC_SEQ_CST);
	if (!s->reused && map_insert(s, err) < 0)
		return -1;
	__atomic_store_n(&s->data->gen, s->gen, __ATOMIC_SEQ_CST);
	if (s->pidns && bpf_map_update_elem(s->maps[INSTANCE_MAP_PIDNS], &s->pidns, &task.owner, BPF_NOEXIST) < 0) {
		if (errno != EEXIST)
			return bpf_error(err, -errno, "cannot register the container's PID namespace");
		/* A pod sharing one PID namespace: processes entering it
		 * count for the container traced first. */
		log_warn("PID namespace %u is already traced for another container; processes "
			 "entering it later are counted there",
			 s->pidns);
	}
	maybe_count(s, key, 1);
	if (bpf_map_update_elem(s->maps[INSTANCE_MAP_TASKS], &key, &task, BPF_NOEXIST) < 0) {
		maybe_count(s, key, -1);
		if (errno == EEXIST)
			return hook_make_error(err, 0, "process %d is already being traced",
					       init_pid);
		return bpf_error(err, -errno, "cannot register the container's init process");
	}
	return 0;
}

static void slot_init(struct instance_slot *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < INSTANCE_NR_LINKS; i++)
		s->links[i] = -1;
	for (int i = 0; i < INSTANCE_NR_MAPS; i++)
		s->maps[i] = -1;
	s->map_fd = s->slot_fd = -1;
}

static void slot_release_file(int dirfd, struct instance_slot *s)
{
	char name[32];

	if (s->slot_fd < 0)
		return;
	slot_name(name, sizeof(name), s->slot);
	unlinkat(dirfd, name, 0);
	close_fd(&s->slot_fd);
}

int instance_register(pid_t init_pid, __u32 pidns_inum, __u32 args_wanted,
		      struct instance_slot *s, hook_error_t *err)
{
	cleanup_close int dirfd = -1, lockfd = -1;
	int ret;

	slot_init(s);
	s->pidns = pidns_inum;
	s->args_wanted = args_wanted;
	dirfd = ret = registry_open(err);
	if (ret < 0)
		goto fail;
	lockfd = ret = registry_lock(dirfd, err);
	if (ret < 0)
		goto fail;
	if (!instance_find(dirfd, s)) {
		ret = instance_load(dirfd, s, err);
		if (ret < 0)
			goto fail;
	}
	ret = maybe_map(s, err);
	if (ret < 0)
		goto fail;
	slots_reap(dirfd, s);
	ret = next_gen(dirfd, &s->gen, err);
	if (ret < 0)
		goto fail;
	ret = slot_claim(dirfd, s, err);
	if (ret < 0)
		goto fail;
	ret = slot_publish(s, init_pid, err);
	if (ret < 0) {
		struct recorder_owner owner = { s->slot, s->gen };

		slot_unpublish(s, &owner, s->map_id, true, true);
		slot_release_file(dirfd, s);
		goto fail;
	}
	s->registered = true;
	return 0;
fail:
	instance_close(s);
	return ret;
}

int instance_unregister(struct instance_slot *s, bool *last, hook_error_t *err)
{
	cleanup_close int dirfd = -1, lockfd = -1;
	struct recorder_owner owner = { s->slot, s->gen };
	int ret, others;

	*last = false;
	if (!s->registered)
		return 0;
	s->registered = false;
	dirfd = ret = registry_open(err);
	if (ret < 0)
		goto fallback;
	lockfd = ret = registry_lock(dirfd, err);
	if (ret < 0)
		goto fallback;
	if (__atomic_load_n(&s->data->nr_live, __ATOMIC_SEQ_CST) != 0) {
		/* Processes live on (stopped early): the map leaves the slot,
		 * which stops all recording for them at once. */
		slot_unpublish(s, &owner, s->map_id, true, false);
		slot_release_file(dirfd, s);
	} else {
		sweep_owner(s->maps[INSTANCE_MAP_PIDNS], sizeof(struct recorder_owner), &owner, NULL);
		s->slot_kept = true;
	}
	/* No other slot: nobody else uses the instance, it goes with our
	 * descriptors, and the next tracer must not look for it. In doubt
	 * (an unreadable registry), not the last: a second instance costs
	 * less than a registry that no longer names the one others use. */
	others = slots_reap(dirfd, s) - (s->slot_kept ? 1 : 0);
	*last = others == 0;
	if (*last)
		unlinkat(dirfd, REGISTRY_INSTANCE, 0);
	return 0;
fallback:
	/* Without the registry, at least stop recording; the slot's file is
	 * reaped by the next tracer once ours is closed. */
	slot_unpublish(s, &owner, s->map_id, false, false);
	return ret;
}

void instance_release(struct instance_slot *s)
{
	cleanup_close int dirfd = -1, lockfd = -1;
	hook_error_t err = NULL;

	if (!s->slot_kept)
		return;
	s->slot_kept = false;
	dirfd = registry_open(&err);
	if (dirfd >= 0)
		lockfd = registry_lock(dirfd, &err);
	if (lockfd < 0) {
		/* Our file, unlocked once we close it, gets the slot reaped
		 * by the next tracer (its map taken out, not parked). */
		log_error_release(LOG_WARNING, &err);
		return;
	}
	__atomic_store_n(&s->data->gen, 0, __ATOMIC_SEQ_CST);
	slot_release_file(dirfd, s);
	/* Others may have gone since we unregistered: if nobody is left,
	 * nobody may join what goes with our descriptors. */
	if (slots_reap(dirfd, s) == 0)
		unlinkat(dirfd, REGISTRY_INSTANCE, 0);
}

void instance_close(struct instance_slot *s)
{
	if (s->data)
		munmap(s->data, data_size());
	s->data = NULL;
	if (s->maybe)
		munmap(s->maybe, maybe_size());
	s->maybe = NULL;
	close_shared(s);
	close_fd(&s->map_fd);
	close_fd(&s->slot_fd);
}
