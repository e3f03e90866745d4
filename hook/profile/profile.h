/* SPDX-License-Identifier: Apache-2.0 */
/* The seccomp profile JSON of containers/common and moby: reading keeps every
 * field of the schema (and whether it was present or null), writing emits
 * them back in a fixed order, so unchanged input round-trips as JSON. */
#ifndef PROFILE_H
#define PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"
#include "util/strv.h"

/* Profiles we read are bounded, as everything users can hand us. */
#define PROFILE_MAX_SIZE (4 * 1024 * 1024)
/* ENOSYS: programs probing for a syscall fall back instead of failing. */
#define PROFILE_DEFAULT_ERRNO 38
/* Marks the rule that holds what we recorded, so later runs extend it. */
#define PROFILE_RECORDED_COMMENT "recorded by seccomp-recorder"

/* Field presence: a bit set means the key was there (maybe as null). */
enum {
	PF_DEFAULT_ERRNO = 1 << 0,
	PF_ARCHITECTURES = 1 << 1,
	PF_ARCH_MAP = 1 << 2,
	PF_FLAGS = 1 << 3,
	PF_LISTENER_PATH = 1 << 4,
	PF_LISTENER_METADATA = 1 << 5,
	PF_SYSCALLS = 1 << 6,
	PF_DEFAULT_ERRNO_NAME = 1 << 7, /* containers/common: "defaultErrno" */

	RF_NAMES = 1 << 0,
	RF_NAME = 1 << 1,
	RF_ERRNO = 1 << 2,
	RF_ARGS = 1 << 3,
	RF_COMMENT = 1 << 4,
	RF_INCLUDES = 1 << 5,
	RF_EXCLUDES = 1 << 6,
	RF_ERRNO_NAME = 1 << 7, /* containers/common: "errno" */

	FF_CAPS = 1 << 0,
	FF_ARCHES = 1 << 1,
	FF_MIN_KERNEL = 1 << 2,

	AF_VALUE_TWO = 1 << 0,
	AF_INDEX = 1 << 1, /* read-side only: index and value are required */
	AF_VALUE = 1 << 2,

	MF_SUB_ARCHES = 1 << 0,
};

struct profile_filter {
	unsigned present, nulls;
	struct strv caps, arches;
	char *min_kernel;
};

struct profile_arg {
	unsigned present, nulls;
	uint64_t index, value, value_two;
	char *op;
};

struct profile_rule {
	unsigned present, nulls;
	struct strv names;
	char *name;
	char *action;
	uint64_t errno_ret;
	char *errno_name;
	struct profile_arg *args;
	size_t n_args;
	char *comment;
	struct profile_filter includes, excludes;
};

struct profile_arch_map {
	unsigned present, nulls;
	char *architecture;
	struct strv sub_arches;
};

struct profile {
	unsigned present, nulls;
	char *default_action;
	uint64_t default_errno_ret;
	char *default_errno_name;
	struct strv architectures;
	struct profile_arch_map *arch_map;
	size_t n_arch_map;
	struct strv flags;
	char *listener_path;
	char *listener_metadata;
	struct profile_rule *rules;
	size_t n_rules;
};

/* `what` (usually the file name) prefixes every message. */
int profile_parse(const char *text, size_t len, const char *what, struct profile *out,
		  hook_error_t *err);
int profile_serialize(const struct profile *p, char **out, size_t *len, hook_error_t *err);
void profile_free(struct profile *p);
void profile_rule_free(struct profile_rule *r);

/* The JSON of `r` with only the members whose RF_* bits are in `fields`,
 * and its action if `with_action`: equal keys mean equal rules in those
 * respects. The caller frees it. */
char *profile_rule_key(const struct profile_rule *r, unsigned fields, bool with_action);

/* Rules that are conditions on arguments, capabilities, architectures or
 * kernel version rather than plain name lists. */
#define RF_CONDITIONS (RF_ARGS | RF_INCLUDES | RF_EXCLUDES)

/* SCMP_ACT_ALLOW and SCMP_ACT_LOG let a syscall run. */
bool profile_action_allows(const char *action);
/* ERRNO, KILL*, TRAP stop it; TRACE and NOTIFY leave it to another process. */
bool profile_action_denies(const char *action);
/* A member that was there and not null (any struct with present/nulls). */
#define PROFILE_HAS(obj, bit) (((obj)->present & (bit)) && !((obj)->nulls & (bit)))

/* The filter's minKernel if it names one, else NULL. */
const char *profile_filter_min_kernel(const struct profile_filter *f);
/* Non-empty as a condition: caps, arches or minKernel given. */
bool profile_filter_set(const struct profile_filter *f);
/* No argument comparisons and no includes/excludes: applies everywhere. */
bool profile_rule_unconditional(const struct profile_rule *r);
/* True if the rule names `name` (in `names` or `name`). */
bool profile_rule_names(const struct profile_rule *r, const char *name);
/* A deep copy. */
void profile_rule_copy(struct profile_rule *dst, const struct profile_rule *src);

/* True if some rule of `p` names syscall `name`, whatever its action. */
bool profile_names_syscall(const struct profile *p, const char *name);

#endif /* PROFILE_H */
