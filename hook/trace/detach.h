/* SPDX-License-Identifier: Apache-2.0 */
#ifndef DETACH_H
#define DETACH_H

#include "util/error.h"

/* Splits off the tracer as a daemon: its own session, stdio on /dev/null
 * (runc waits for EOF on the hook's stdout and stderr), outside the cgroups
 * of whoever ran the hook. Returns 0 in the tracer, 1 in the caller once the
 * tracer runs, negative on failure. */
int detach_tracer(hook_error_t *err);

#endif /* DETACH_H */
