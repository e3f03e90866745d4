/* SPDX-License-Identifier: Apache-2.0 */
/* `seccomp-recorder record`: trace a command and all its descendants, with no
 * container, into a profile. */
#ifndef RECORD_H
#define RECORD_H

#include <stdbool.h>

/* Our own failure, as env(1) and timeout(1) report theirs. */
#define RECORD_EXIT_FAILURE 125
/* The command could not be run: found but not executable, or not found. */
#define RECORD_EXIT_CANNOT_EXEC 126
#define RECORD_EXIT_NOT_FOUND	127

struct record_options {
	const char *output; /* absolute */
	const char *input;  /* absolute, or NULL */
	char **argv;	    /* the command, NULL-terminated */
	bool no_wait;	    /* stop when the command exits, not its last descendant */
	unsigned args;	    /* --args: RECORDER_ARG_* bits */
	const char *default_action; /* --mode: as the annotation's mode:, or NULL */
};

/* Runs the command traced and writes the profile however it ended. Returns
 * the command's exit status (128+N if killed by signal N), or one of the
 * RECORD_EXIT_* codes, having printed why. */
int record_run(const struct record_options *opts);

#endif /* RECORD_H */
