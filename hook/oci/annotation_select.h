/* SPDX-License-Identifier: Apache-2.0 */
/* Which trace annotation applies to a container, from its OCI annotations:
 * what Kubernetes engines put there decides it. */
#ifndef ANNOTATION_SELECT_H
#define ANNOTATION_SELECT_H

#include "util/error.h"
#include "util/json.h"

/* The per-container form of ANNOTATION_KEY: ANNOTATION_KEY "/" NAME. */
#define ANNOTATION_KEY_PREFIX "io.containers.trace-syscall/"

/* Kubernetes container names are DNS-1123 labels. */
#define ANNOTATION_CONTAINER_NAME_MAX 63

/* Picks the value that applies from `annotations` (a JSON object, or NULL):
 * - none for a pod's sandbox (pause) container (CRI-O's
 *   io.kubernetes.cri-o.ContainerType or containerd's
 *   io.kubernetes.cri.container-type `sandbox`): pod annotations reach it
 *   too, and it exits last, so its profile would replace the application's;
 * - ANNOTATION_KEY "/" NAME when the container's Kubernetes name is NAME;
 * - else ANNOTATION_KEY.
 * *value borrows from `annotations` (NULL: not traced); *key names the key
 * it came from. `what` names the document in messages. Fails only for a
 * malformed document (annotations not an object, a value not a string). */
int annotation_select(const json_value *annotations, const char *what, const char **key,
		      const char **value, hook_error_t *err);

#endif /* ANNOTATION_SELECT_H */
