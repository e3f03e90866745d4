/* SPDX-License-Identifier: Apache-2.0 */
#ifndef ANNOTATION_H
#define ANNOTATION_H

#include "error.h"

#define ANNOTATION_KEY "io.containers.trace-syscall"

/* io.containers.trace-syscall = KEY:VALUE[;KEY:VALUE]... */
struct annotation {
	char *output; /* of: absolute path of the profile to write (required) */
	char *input;  /* if: absolute path of a baseline profile, or NULL */
};

int annotation_parse(const char *value, struct annotation *out, hook_error_t *err);
void annotation_free(struct annotation *a);

/* Shared with the command line: absolute, no `.`/`..` components, no
 * trailing slash, printable, shorter than PATH_MAX. `what` names the value
 * in the message. */
int annotation_check_path(const char *path, const char *what, hook_error_t *err);

#endif /* ANNOTATION_H */
