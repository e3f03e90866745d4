/* SPDX-License-Identifier: Apache-2.0 */
#ifndef ANNOTATION_H
#define ANNOTATION_H

#include <stdbool.h>

#include "util/error.h"

#define ANNOTATION_KEY "io.containers.trace-syscall"

/* io.containers.trace-syscall = KEY:VALUE[;KEY:VALUE]... */
/* Learn mode: checkpoints no more often than this, and not above a day. */
#define ANNOTATION_FLUSH_MIN 1
#define ANNOTATION_FLUSH_MAX (24 * 3600)

struct annotation {
	char *output;	  /* of: absolute path of the profile to write (required) */
	char *input;	  /* if: absolute path of a baseline profile, or NULL */
	unsigned flush_s; /* flush: checkpoint interval in seconds, 0 for none */
	/* mode:log: SCMP_ACT_LOG (complain mode), mode:kill:
	 * SCMP_ACT_KILL_PROCESS (a violation is loud); NULL: the default */
	const char *default_action;
	int errno_ret;	  /* errno:NAME: defaultErrnoRet, -1 if not given */
	char *errno_name; /* ... and its name, as given */
	char *caps;	  /* caps: absolute path of the capability file, or NULL */
	unsigned args;	  /* args: RECORDER_ARG_* bits */
	unsigned seen;	  /* keys given, to refuse duplicates */
};

int annotation_parse(const char *value, struct annotation *out, hook_error_t *err);

/* A comma-separated list of syscalls args: knows into RECORDER_ARG_* bits
 * (shared with `record --args`); `what` names the value in messages. */
int annotation_parse_args(const char *list, const char *what, unsigned *out, hook_error_t *err);

/* The defaultAction of a mode (`log`, `kill`, or `errno`: NULL, the
 * default), shared with `record --mode`; `what` names the value. */
int annotation_parse_mode(const char *val, const char *what, const char **action,
			  hook_error_t *err);

/* The errno number of a name like `EPERM`, or -1. */
int annotation_errno_value(const char *name);
void annotation_free(struct annotation *a);


#endif /* ANNOTATION_H */
