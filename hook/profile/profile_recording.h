/* SPDX-License-Identifier: Apache-2.0 */
/* What a recording saw, and how it becomes rules of a profile. */
#ifndef PROFILE_RECORDING_H
#define PROFILE_RECORDING_H

#include <stddef.h>
#include <stdint.h>

#include "profile/profile.h"
#include "util/strv.h"

/* Mark the rules of what the workload did not make itself but needs: what
 * the kernel and the C library call without the program asking, and what
 * the container runtime calls after installing the filter (hook only). */
#define PROFILE_IMPLICIT_COMMENT                                                         \
	"added by seccomp-recorder: the kernel and the C library make these without the " \
	"program asking (a restarted sleep, a signal handler's return, a thread's exit, "  \
	"the vDSO's clock calls falling back to syscalls)"
#define PROFILE_RUNTIME_COMMENT                                                      \
	"added by seccomp-recorder: runc 1.1-1.5 and crun 1.8-1.27 make these after " \
	"installing the filter, before the workload's exec"

/* Marks the rules that allow one recorded value of a syscall's argument. */
#define PROFILE_RECORDED_ARG_COMMENT "recorded by seccomp-recorder: argument value"

/* One value a syscall's first argument took (annotation key args:), allowed
 * by a rule comparing argument 0 with `op`: SCMP_CMP_EQ (== value) or
 * SCMP_CMP_MASKED_EQ ((arg & value) == value_two). */
struct profile_arg_value {
	char *name;
	const char *op; /* a string constant */
	uint64_t value, value_two;
};

/* What a recording saw: architecture names (SCMP_ARCH_*) and syscall names;
 * for the syscalls in `arg_names`, the argument values seen instead of an
 * outright allow. */
struct profile_recording {
	struct strv arches;
	struct strv names;
	struct strv arg_names;
	struct profile_arg_value *args;
	size_t n_args;
	/* Not seen but needed (hook/trace/workload.c): each set goes to a
	 * rule of its own, PROFILE_IMPLICIT_COMMENT or PROFILE_RUNTIME_COMMENT,
	 * unless the workload's rule or an input rule names it already. */
	struct strv implicit_names;
	struct strv runtime_names;
	/* runtime_names are exactly what was observed (calibrate): their rule
	 * gets all of them, before the workload's rule gets its names. */
	bool runtime_first;
};
void profile_recording_add_arg(struct profile_recording *rec, const char *name, const char *op,
			       uint64_t value, uint64_t value_two);
void profile_recording_free(struct profile_recording *rec);

/* Turns `p` (an input profile, or a zeroed struct for none) into the output
 * profile: default action SCMP_ACT_ERRNO, input rules kept, recorded names
 * that no rule mentions allowed in the rule marked PROFILE_RECORDED_COMMENT;
 * recorded argument values get a rule each (PROFILE_RECORDED_ARG_COMMENT)
 * unless an allow covers them or a rule other than such allows names the
 * syscall (the input decides then, as for names). */
void profile_add_recording(struct profile *p, const struct profile_recording *rec);

/* At most this many recorded argument values per syscall: beyond, the
 * syscall is allowed outright, so that a profile that accumulates them can
 * never outgrow what seccomp-recorder reads back (PROFILE_MAX_SIZE). */
#define PROFILE_MAX_ARG_VALUES 256

/* Replaces our argument rules of each syscall that has more than `max` of
 * them with an outright allow in the recorded rule; adds those syscalls'
 * names to `widened`. */
void profile_bound_arg_rules(struct profile *p, size_t max, struct strv *widened);

#endif /* PROFILE_RECORDING_H */
