/* SPDX-License-Identifier: Apache-2.0 */
/* OCI hook mode: prestart arms a tracer, poststop waits for its profile. */
#ifndef HOOK_H
#define HOOK_H

#include <stdbool.h>

#include "profile/output.h"
#include "util/error.h"

/* Poststop waits this long for the tracer to write its profile. */
#define HOOK_POSTSTOP_TIMEOUT_MS 10000

struct hook_options {
	struct output_allowed allowed; /* --allow-dir, --allow-read */
	int poststop_timeout_ms;
	bool runtime_observed_only; /* --runtime-syscalls observed */
};

/* Reads the OCI state from stdin and acts on its status. */
int hook_run(const struct hook_options *opts, hook_error_t *err);

#endif /* HOOK_H */
