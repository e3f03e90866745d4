/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* The maps and lookups that every program recording for a container needs:
 * shared by recorder.bpf.c and caps_kprobe.bpf.c, whose maps user space
 * points at the same kernel objects (hook/trace/instance.c). */
#ifndef RECORDER_COMMON_BPF_H
#define RECORDER_COMMON_BPF_H

/* Traced processes (thread groups), by tgid. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RECORDER_MAX_TASKS);
	__type(key, __u32);
	__type(value, struct recorder_task);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} sr_tasks SEC(".maps");

/* Per tgid bucket, how many traced processes fall in it: an array slot is a
 * few instructions where a hash lookup is a hashed walk, so a process of no
 * interest (almost always alone in an empty bucket) stops here. Counted up
 * when an entry enters sr_tasks and down when one leaves it, by whoever
 * inserted or deleted it (user space through its mapping of this map). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RECORDER_MAYBE_BUCKETS);
	__type(key, __u32);
	__type(value, __u64);
	__uint(map_flags, BPF_F_MMAPABLE);
} sr_maybe SEC(".maps");

static __always_inline void maybe_count(__u32 tgid, int delta)
{
	__u32 bucket = tgid & (RECORDER_MAYBE_BUCKETS - 1);
	__u64 *n = bpf_map_lookup_elem(&sr_maybe, &bucket);

	if (n)
		__sync_fetch_and_add(n, (__s64)delta);
}

/* One map per traced container, created by its tracer, which maps it into
 * its memory: memory is spent per container, not per slot. */
struct sr_container_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	/* Sizes, not types: the struct is only ever used through pointers,
	 * so clang's BTF has no definition of it to take the size from. */
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct recorder_container));
	__uint(map_flags, BPF_F_MMAPABLE);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, RECORDER_MAX_CONTAINERS);
	__type(key, __u32);
	__array(values, struct sr_container_map);
} sr_containers SEC(".maps");

/* The container `owner` names, if it is still the one in its slot. */
static __always_inline struct recorder_container *owner_container(const struct recorder_owner *owner)
{
	struct recorder_container *c;
	__u32 slot = owner->slot, zero = 0;
	void *map;

	map = bpf_map_lookup_elem(&sr_containers, &slot);
	if (!map)
		return NULL;
	c = bpf_map_lookup_elem(map, &zero);
	if (!c || c->gen != owner->gen)
		return NULL;
	return c;
}

/* The container the current process belongs to (tracked, past its own
 * exec if it entered from outside), started or not, or NULL. What a process
 * of no interest pays: one array slot. */
static __always_inline struct recorder_container *current_member(void)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 bucket = tgid & (RECORDER_MAYBE_BUCKETS - 1);
	struct recorder_task *task;
	__u64 *maybe;

	maybe = bpf_map_lookup_elem(&sr_maybe, &bucket);
	if (!maybe || !*maybe)
		return NULL;
	task = bpf_map_lookup_elem(&sr_tasks, &tgid);
	if (!task || task->state != RECORDER_TASK_ACTIVE)
		return NULL;
	return owner_container(&task->owner);
}

/* ... only once its workload has started. */
static __always_inline struct recorder_container *current_container(void)
{
	struct recorder_container *c = current_member();

	return c && c->workload_started ? c : NULL;
}

/* A capability check for `cred` on `cap` that returned `ret`: counted when
 * it succeeded, for an active member of a started container, on the
 * process's own credentials (not a check on another task's or a file
 * opener's behalf). */
static __always_inline void cap_checked(__u64 cred, long cap, int ret)
{
	struct recorder_container *c;
	struct task_struct *task;
	__u32 idx;

	if (ret != 0 || cap < 0 || cap >= RECORDER_MAX_CAPS)
		return;
	c = current_container();
	if (!c)
		return;
	task = (struct task_struct *)bpf_get_current_task();
	if ((__u64)BPF_CORE_READ(task, cred) != cred)
		return;
	/* Checked again, on the very register used as the index: the verifier of
	 * Linux 6.1 and older does not carry the first check over to the
	 * sign-extended copy clang indexes with ("value -2147483648 makes
	 * map_value pointer be out of bounds"), and the barrier keeps clang
	 * from folding this check into the first. */
	idx = (__u32)cap;
	barrier_var(idx);
	if (idx >= RECORDER_MAX_CAPS)
		return;
	if (!c->caps[idx])
		c->caps[idx] = 1;
}

#endif /* RECORDER_COMMON_BPF_H */
