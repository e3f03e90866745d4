/* SPDX-License-Identifier: Apache-2.0 */
/* `seccomp-recorder calibrate`: measures what this host's runtimes do after
 * installing a container's seccomp filter, and stores it for the hook. */
#ifndef CALIBRATE_H
#define CALIBRATE_H

#include <stddef.h>

/* Starts per runtime, noNewPrivileges setting and path (run, create+start)
 * unless --repeat says otherwise: Go's runtime (runc) makes some calls on
 * the filtered thread only now and then. */
#define CALIBRATE_REPEAT 10

struct calibrate_options {
	char **runtimes; /* --runtime, or none: the runc and crun found */
	size_t n_runtimes;
	unsigned repeat;
};

/* Measures and stores every runtime; returns the exit status. */
int calibrate_run(const struct calibrate_options *opts);

/* Prints what is stored; returns the exit status. */
int calibrate_show(void);

#endif /* CALIBRATE_H */
