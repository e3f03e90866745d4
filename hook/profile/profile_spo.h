/* SPDX-License-Identifier: Apache-2.0 */
/* A profile as a Security Profiles Operator `SeccompProfile` object (YAML).
 *
 * The CRD (security-profiles-operator.x-k8s.io v1 and v1beta1, the same
 * spec) carries defaultAction, architectures, flags, listenerPath,
 * listenerMetadata and syscalls[] with names, action, errnoRet and args. What
 * a profile says beyond that is either dropped because dropping it changes
 * nothing an engine does, resolved exactly for a target the user states, or
 * refused (one line, naming the field):
 * - dropped: comments (emitted as YAML comments), empty includes/excludes,
 *   rules naming no syscall, null members, defaultErrnoRet when it equals
 *   what engines use without it (EPERM) or the default action ignores it,
 *   `errno`/`defaultErrno` names that agree with their numbers;
 * - resolved: `errno`/`defaultErrno` names alone become numbers; `name`
 *   becomes `names`; includes/excludes on capabilities, architectures and
 *   kernel versions are evaluated as containers/common and moby do for a
 *   container with the bounding set `caps` on architecture `arch` under kernel
 *   `kernel`, and the rule is kept unconditionally or left out; archMap
 *   becomes `architectures` for `arch` -- each only when the user gave that
 *   part of the target;
 * - refused: everything else the CRD cannot say (any other defaultErrnoRet
 *   unless `default_eperm`, values outside its enums, patterns and integer
 *   ranges, conditions without the target part they need). */
#ifndef PROFILE_SPO_H
#define PROFILE_SPO_H

#include <stdbool.h>
#include <stdio.h>

#include "profile/profile.h"
#include "util/error.h"
#include "util/strv.h"

#define SPO_GROUP "security-profiles-operator.x-k8s.io"
/* Kubernetes object names (DNS-1123 subdomain) are at most this long. */
#define SPO_NAME_MAX 253

/* The containers an exported profile is for, as far as the user said. */
struct spo_target {
	bool caps_set;
	struct strv caps; /* bounding set, CAP_* names */
	const char *arch; /* GOARCH (amd64, arm64, ...), or NULL */
	bool kernel_set;
	unsigned kernel_major, kernel_minor;
	bool default_eperm; /* accept EPERM for syscalls outside the profile */
};

struct spo_options {
	const char *name;
	const char *api; /* "v1" or "v1beta1" */
	struct spo_target target;
};

/* `name` as a Kubernetes object name: lowercase DNS-1123 subdomain. */
int spo_check_name(const char *name, hook_error_t *err);
/* `api` is "v1" or "v1beta1". */
int spo_check_api(const char *api, hook_error_t *err);
/* A comma-separated capability list (CAP_ prefix optional, any case), or
 * "none"; adds the CAP_* names to `out`. */
int spo_parse_caps(const char *list, struct strv *out, hook_error_t *err);
/* "MAJOR.MINOR" (a third component is accepted and ignored). */
int spo_parse_kernel(const char *s, unsigned *major, unsigned *minor, hook_error_t *err);
/* The SCMP_ARCH_* of a GOARCH name, NULL if we know none. */
const char *spo_scmp_arch(const char *go_arch);

/* `s` as a YAML double-quoted scalar: JSON-style escapes, anything outside
 * printable ASCII escaped; fails on invalid UTF-8. */
int spo_yaml_quote(FILE *f, const char *s, hook_error_t *err);

/* The object, in a new buffer with a final newline. On failure nothing is
 * returned and *err names the field and value at fault. */
int profile_spo_yaml(const struct profile *p, const struct spo_options *o, char **out,
		     size_t *len, hook_error_t *err);

#endif /* PROFILE_SPO_H */
