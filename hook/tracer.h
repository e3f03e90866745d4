/* SPDX-License-Identifier: Apache-2.0 */
/* Loading, arming and reading the BPF recorder for one container. */
#ifndef TRACER_H
#define TRACER_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "error.h"
#include "profile.h"

struct tracer;

/* Loads the program, marks `init_pid` as the container's first process and
 * attaches; on return every syscall of the workload will be seen. */
int tracer_start(pid_t init_pid, struct tracer **out, hook_error_t *err);

/* Returns 0 once the container's last process is gone, 1 if *stop was set
 * (by a signal) first, 2 once `timeout_ms` have passed (never if negative). */
int tracer_wait(struct tracer *t, volatile sig_atomic_t *stop, int timeout_ms, hook_error_t *err);

/* Calls `fn` for every (architecture, syscall name) seen since the previous
 * call (the first call: since the start). Returns how many pairs were seen
 * in all. No allocation that outlives the call: safe to run for weeks. */
typedef void (*tracer_seen_fn)(void *ctx, const char *arch, const char *name);
size_t tracer_for_each_new(struct tracer *t, tracer_seen_fn fn, void *ctx);

/* True once the workload's first exec happened (recording has begun). */
bool tracer_started(const struct tracer *t);

/* Processes of the container (thread groups) alive now. */
long long tracer_live_processes(const struct tracer *t);

/* Stops recording; the seen-set stays readable. The kernel frees detached
 * programs only after an RCU grace period, so detaching before writing the
 * profile lets the two overlap. */
void tracer_detach(struct tracer *t);

/* What was seen so far, as architecture and syscall names. */
int tracer_collect(struct tracer *t, struct profile_recording *rec, hook_error_t *err);

/* Detaches and frees; NULL is fine. */
void tracer_destroy(struct tracer *t);

/* Same, and returns only once the kernel has freed our programs. */
void tracer_destroy_sync(struct tracer *t);

#endif /* TRACER_H */
