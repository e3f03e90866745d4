/* SPDX-License-Identifier: Apache-2.0 */
/* OCI hook mode: prestart arms a tracer, poststop waits for its profile. */
#ifndef HOOK_H
#define HOOK_H

#include <stdbool.h>

#include "oci/annotation.h"
#include "profile/output.h"
#include "util/error.h"

/* Poststop waits this long for the tracer to write its profile. */
#define HOOK_POSTSTOP_TIMEOUT_MS 10000

struct hook_options {
	struct output_allowed allowed; /* --allow-dir, --allow-read */
	int poststop_timeout_ms;
	bool runtime_observed_only; /* --runtime-syscalls observed */
};

/* What prestart checks of the annotation's files before it traces (allowed
 * directories, kinds, an `if:` baseline that parses), without tracing:
 * for the runtime wrapper, which can refuse a container before it exists. */
int hook_annotation_check(const struct annotation *ann, const char *bundle,
			  const struct hook_options *opts, hook_error_t *err);

/* Reads the OCI state from stdin and acts on its status. */
int hook_run(const struct hook_options *opts, hook_error_t *err);

#endif /* HOOK_H */
