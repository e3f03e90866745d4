/* SPDX-License-Identifier: Apache-2.0 */
/* Docker 20.10 puts neither annotations nor labels into config.json; its own
 * record of the container, config.v2.json in the directory of the file it
 * bind-mounts at /etc/hostname, already holds the labels when the runtime
 * is asked to create the container. */
#ifndef DOCKER_LABELS_H
#define DOCKER_LABELS_H

#include "util/error.h"
#include "util/json.h"

/* Docker writes a few KiB; labels and environment are the user's. */
#define DOCKER_CONFIG_MAX (4 * 1024 * 1024)

/* The trace annotation that container `id`'s Docker labels carry (chosen as
 * annotation_select() chooses among annotations), for the bundle `bundle`
 * with config.json `config`. Only a bundle that is Docker's is looked at:
 * containerd's `moby` namespace directory named after the container, whose
 * /etc/hostname comes from Docker's `containers/ID/` directory, whose
 * config.v2.json (root's regular file, no symlink, bounded) names the same
 * ID. *key and *value are new strings, NULL if there is no such label or
 * the bundle is not Docker's. Fails on a Docker record it cannot read. */
int docker_label_select(const json_value *config, const char *bundle, const char *id,
			char **key, char **value, hook_error_t *err);

#endif /* DOCKER_LABELS_H */
