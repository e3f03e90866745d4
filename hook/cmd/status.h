/* SPDX-License-Identifier: Apache-2.0 */
/* `seccomp-recorder status`: the tracers running now. */
#ifndef STATUS_H
#define STATUS_H

#include <stdbool.h>

/* Prints one line per live tracer (from /run/seccomp-recorder) with the
 * columns CONTAINER, TRACER-PID, SYSCALLS, TRACING-SINCE, LAST-CHECKPOINT
 * and OUTPUT, separated by tabs; with `header`, a first line naming them.
 * Returns the exit status. */
int status_run(bool header);

#endif /* STATUS_H */
