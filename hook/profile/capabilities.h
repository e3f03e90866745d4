/* SPDX-License-Identifier: Apache-2.0 */
/* Capability files (annotation key `caps:`): which capabilities a
 * container's processes exercised, what it was granted, and the difference.
 *
 *   {
 *     "used": ["CAP_CHOWN"],
 *     "granted": ["CAP_CHOWN", "CAP_KILL", ...],   (when known)
 *     "unused": ["CAP_KILL", ...],                 (granted, not used)
 *     "suggestion": "--cap-drop=all --cap-add=CAP_CHOWN"
 *   }
 *
 * "unused" and "suggestion" are derived: read back, they are checked for
 * form only and recomputed on write. */
#ifndef CAPABILITIES_H
#define CAPABILITIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Capability numbers are bits of a 64-bit mask (CAP_LAST_CAP is 40 today). */
#define CAPS_MAX 64

struct caps_record {
	uint64_t used;
	uint64_t granted;
	bool granted_known;
};

/* `CAP_CHOWN` for 0; NULL for a number no kernel has named yet. */
const char *caps_name(unsigned cap);
/* The number of `CAP_CHOWN` (case as in the kernel's headers), or -1. */
int caps_value(const char *name);

/* A capability file; refuses unknown keys and capability names. */
int caps_parse(const char *text, size_t len, const char *what, struct caps_record *out,
	       hook_error_t *err);
/* For files that may be either kind (`check`): 1 with *out filled if `text`
 * is a capability file (an object with `used`), -1 if it is one with an
 * error in it, 0 if it is something else (left to the profile reader). */
int caps_parse_if_caps(const char *text, size_t len, const char *what, struct caps_record *out,
		       hook_error_t *err);
/* Pretty-printed, with a final newline; names in capability order. */
int caps_format(const struct caps_record *rec, char **out, size_t *len, hook_error_t *err);
/* `--cap-drop=all --cap-add=CAP_A,CAP_B` (just `--cap-drop=all` when none
 * was used): the podman/docker options that grant exactly `used`. */
char *caps_suggestion(uint64_t used);
/* Accumulation: `into` gains what `from` used and was granted. */
void caps_merge(struct caps_record *into, const struct caps_record *from);
/* Capabilities `p` uses that `base` does not: 0 means `p` is a subset. */
uint64_t caps_excess(const struct caps_record *base, const struct caps_record *p);
/* Comma-separated names of the bits of `mask`, for messages. */
char *caps_list(uint64_t mask);

/* The capabilities an OCI bundle's config.json grants its process: the union
 * of process.capabilities' bounding, effective and permitted sets. Returns
 * 1 with *granted set, 0 if the config says nothing about capabilities.
 * Names this build does not know are skipped with a warning. */
int caps_from_config(const char *text, size_t len, const char *what, uint64_t *granted,
		     hook_error_t *err);

#endif /* CAPABILITIES_H */
