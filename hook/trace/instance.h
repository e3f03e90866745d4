/* SPDX-License-Identifier: Apache-2.0 */
/* The one BPF instance that serves every traced container on the host, and
 * the registry of who uses which of its slots.
 *
 * The first tracer loads and attaches the programs; later ones find them
 * through the registry and hold descriptors to the same links and maps.
 * Nothing is pinned: the kernel keeps the instance as long as one tracer
 * holds it and detaches it when the last one exits, however it exits. Each
 * container has its own map in a slot of an array of maps; a finished
 * container's map stays there, parked, for the next one (see
 * instance_release()). The registry, under RUNDIR_PATH/tracing-ABI, has one
 * file per used slot,
 * locked (flock) by its tracer for its whole life; a slot whose file nobody
 * holds lost its tracer (SIGKILL), and the next tracer to register or
 * unregister clears what it left in the maps. */
#ifndef INSTANCE_H
#define INSTANCE_H

#include <stdbool.h>
#include <sys/types.h>
#include <linux/types.h>

#include "recorder.h"
#include "util/error.h"

/* The shared programs' links: the capability program is on the cap_capable
 * tracepoint (6.14+), or a kprobe on cap_capable() before that; none if
 * neither can be attached. Names are in instance.c. */
enum instance_link {
	INSTANCE_LINK_SYS_ENTER,
	INSTANCE_LINK_TASK_NEWTASK,
	INSTANCE_LINK_PROCESS_EXEC,
	INSTANCE_LINK_PROCESS_EXIT,
	INSTANCE_LINK_CAPS,
	INSTANCE_NR_LINKS
};

/* The shared maps (bpf/recorder.bpf.c, bpf/recorder_common.bpf.h). */
enum instance_map {
	INSTANCE_MAP_TASKS,
	INSTANCE_MAP_PIDNS,
	INSTANCE_MAP_CONTAINERS,
	INSTANCE_MAP_MAYBE,
	INSTANCE_MAP_ARGS,
	INSTANCE_NR_MAPS
};

struct instance_slot {
	int links[INSTANCE_NR_LINKS]; /* our references to the shared programs */
	int maps[INSTANCE_NR_MAPS];
	int map_fd;  /* this container's own map */
	int slot_fd; /* its registry file, locked while we live */
	__u32 slot, gen;
	__u32 map_id; /* the id of map_fd */
	bool reused;  /* map_fd was a parked map, already in the slot */
	/* After instance_unregister(): the slot's file is still held, and its
	 * map still in the slot, until instance_release() parks it. */
	bool slot_kept;
	__u32 pidns;			 /* inode of its PID namespace; 0 if the host's */
	__u32 args_wanted;		 /* RECORDER_ARG_* bits (args:) */
	bool caps_checked_only;		 /* the capability link is the kprobe */
	struct recorder_container *data; /* the map's value, mapped */
	__u64 *maybe;			 /* sr_maybe, mapped: counted with sr_tasks */
	bool registered;
};

/* Joins the shared instance (loading it if nobody runs it), takes a slot
 * and publishes `init_pid` as the container's first process, in
 * `pidns_inum` (0 for the host's). From then on the container is traced. */
int instance_register(pid_t init_pid, __u32 pidns_inum, __u32 args_wanted,
		      struct instance_slot *s, hook_error_t *err);

/* Stops tracing the container; the recorded data stays readable until
 * instance_close(). *last tells whether no other tracer used the instance
 * any more (so it goes once we close). When the container's processes are
 * all gone, nothing needs stopping: the slot and its map stay ours, and
 * leave no trace in the kernel until instance_release() hands them on. */
int instance_unregister(struct instance_slot *s, bool *last, hook_error_t *err);

/* After the recorded data has been read: parks the slot's map, emptied,
 * for the next container to reuse, and frees the slot. Why: adding a map to
 * (or removing one from) the array of maps makes the kernel wait for an RCU
 * grace period (maybe_wait_bpf_programs(), 5-30 ms here), which a reused
 * map never does. */
void instance_release(struct instance_slot *s);

/* Takes `pid` out of the traced processes (it exited before it could be
 * seen to); true if it was there. */
bool instance_forget_task(struct instance_slot *s, pid_t pid);

/* Calls `fn` for every argument value recorded for the container (args:). */
typedef void (*instance_arg_fn)(void *ctx, __u32 kind, __u64 value);
void instance_for_each_arg(const struct instance_slot *s, instance_arg_fn fn, void *ctx);
/* Deletes them: once they are written, or never needed again. */
void instance_forget_args(const struct instance_slot *s);

/* Whether the instance records capability checks. */
bool instance_records_caps(const struct instance_slot *s);
/* ... and whether it sees them made, not whether they succeeded (the
 * kprobe used before Linux 6.14). */
bool instance_caps_checked_only(const struct instance_slot *s);

/* Drops our descriptors and mapping; never changes the registry (the
 * hook's copy after the tracer split off). */
void instance_close(struct instance_slot *s);

#endif /* INSTANCE_H */
