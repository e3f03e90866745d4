/* SPDX-License-Identifier: Apache-2.0 */
/* Tracing one container: registering it with the shared BPF instance
 * (instance.h), waiting for it to end, and reading what it did. */
#ifndef TRACER_H
#define TRACER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/types.h>

#include "profile/profile_recording.h"
#include "util/error.h"

struct tracer;

/* Registers `init_pid` as the first process of a new traced container
 * (loading and attaching the programs if no other tracer runs them); on
 * return every syscall of the workload will be seen. */
int tracer_start(pid_t init_pid, __u32 args_wanted, struct tracer **out, hook_error_t *err);

enum tracer_wait_end {
	TRACER_ALL_GONE,  /* the container's last process is gone */
	TRACER_STOPPED,	  /* *stop was set (by a signal) first */
	TRACER_TIMED_OUT, /* `timeout_ms` passed (never if negative) */
};
enum tracer_wait_end tracer_wait(struct tracer *t, volatile sig_atomic_t *stop, int timeout_ms);

/* Calls `fn` for every (architecture, syscall name) seen since the previous
 * call (the first call: since the start). Returns how many pairs were seen
 * in all. No allocation that outlives the call: safe to run for weeks. */
typedef void (*tracer_seen_fn)(void *ctx, const char *arch, const char *name);
size_t tracer_for_each_new(struct tracer *t, tracer_seen_fn fn, void *ctx);

/* True once the workload's first exec happened (recording has begun). */
bool tracer_started(const struct tracer *t);

/* Processes of the container (thread groups) alive now. */
long long tracer_live_processes(const struct tracer *t);

/* Stops recording (the container's processes are gone, or are no longer
 * counted); the seen-set stays readable, and the slot ours until
 * tracer_destroy_sync() hands it on. */
void tracer_detach(struct tracer *t);

/* What was seen so far, as architecture and syscall names. */
int tracer_collect(struct tracer *t, struct profile_recording *rec, hook_error_t *err);

/* Whether capability checks are recorded (see instance_records_caps()). */
bool tracer_records_caps(const struct tracer *t);
/* ... seen when made, not only when they succeed (see instance.h). */
bool tracer_caps_checked_only(const struct tracer *t);
/* The capabilities the workload exercised so far, as a mask of bits. */
uint64_t tracer_collect_caps(const struct tracer *t);
/* Frees our copy of the tracer without unregistering (the hook's copy once
 * the detached tracer has its own); NULL is fine. */
void tracer_destroy(struct tracer *t);

/* Detaches, forgets the argument values recorded (they are written by now),
 * parks the slot's map for the next container and frees: when no other
 * tracer uses the programs, their links are gone on return, and the kernel
 * frees the programs shortly after by itself. */
void tracer_destroy_sync(struct tracer *t);

#endif /* TRACER_H */
