/* SPDX-License-Identifier: Apache-2.0 */
/* The command line an engine gives an OCI runtime (runc's and crun's), read
 * as far as the runtime wrapper needs it. Nothing here is changed: the
 * runtime gets these arguments as they are. */
#ifndef RUNTIME_ARGS_H
#define RUNTIME_ARGS_H

#include <stdbool.h>

struct runtime_args {
	const char *command; /* the subcommand (`create`, `run`, `delete`...), or NULL */
	const char *bundle;  /* create/run: --bundle/-b, or NULL: the working directory */
	const char *config;  /* create/run: crun's --config/-f, or NULL: config.json */
	const char *id;	     /* create/run: the container id, or NULL */
	const char *log;     /* global --log, or NULL */
	bool log_json;	     /* global --log-format json */
};

/* Fills `out` from argv[0..argc) (the runtime's arguments, without the
 * runtime's name). Never fails: what it does not know it passes over. */
void runtime_args_parse(int argc, char *const argv[], struct runtime_args *out);

/* True for the subcommands that make a container from a bundle. */
bool runtime_args_creates(const struct runtime_args *a);

#endif /* RUNTIME_ARGS_H */
