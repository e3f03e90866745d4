/* SPDX-License-Identifier: Apache-2.0 */
#ifndef OCI_STATE_H
#define OCI_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util/error.h"

/* The state arrives on stdin with user-set annotations in it: bounded. */
#define HOOK_STATE_MAX (1024 * 1024)
/* Container ids end up in file names under the state directory. */
#define OCI_ID_MAX 200

/* The runtime-spec state (config.md, "State"), as runc and crun send it. */
struct oci_state {
	char *oci_version;
	char *id;
	char *status;		/* creating, created, running, stopped */
	pid_t pid;		/* 0 when absent, allowed only for `stopped` */
	char *bundle;		/* NULL when absent */
	/* The trace annotation that applies (oci/annotation_select.h), or NULL */
	char *trace_annotation;
	char *trace_key; /* ... and its key */
};

/* Reads at most HOOK_STATE_MAX bytes from fd into a NUL-terminated buffer. */
int oci_state_read(int fd, char **buf, size_t *len, hook_error_t *err);
int oci_state_parse(const char *text, size_t len, struct oci_state *st, hook_error_t *err);
void oci_state_free(struct oci_state *st);
bool oci_state_is_stopped(const struct oci_state *st);

#endif /* OCI_STATE_H */
