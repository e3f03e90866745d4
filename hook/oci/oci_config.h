/* SPDX-License-Identifier: Apache-2.0 */
/* A bundle's config.json as the runtime wrapper edits it: our hooks added
 * to a traced container, everything else written back as it was. */
#ifndef OCI_CONFIG_H
#define OCI_CONFIG_H

#include <stddef.h>

#include "util/error.h"
#include "util/json.h"

/* Engines write a few KiB; user data (environment, annotations) can make
 * it bigger, but not this big. */
#define OCI_CONFIG_MAX (4 * 1024 * 1024)

/* One entry of the runtime-spec's `hooks` lists. */
struct oci_config_hook {
	const char *path;
	char *const *args; /* argv, args[0] included */
	size_t n_args;
};

/* The text of `root` (a parsed config.json) with `hook` appended to
 * hooks.prestart and hooks.poststop (after the hooks already there, which
 * stay: Docker puts its own prestart hook in; not twice if an equal hook is
 * there) and, if `annotation` is not NULL, annotation ANNOTATION_KEY set to
 * it. `what` names the document in messages. */
int oci_config_add_hooks(const json_value *root, const struct oci_config_hook *hook,
			 const char *annotation, const char *what, char **out, size_t *len,
			 hook_error_t *err);

#endif /* OCI_CONFIG_H */
