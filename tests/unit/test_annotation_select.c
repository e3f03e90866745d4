// SPDX-License-Identifier: Apache-2.0
/* Which trace annotation applies: the OCI annotations CRI-O and containerd
 * give a pod's sandbox and its containers (shapes from their sources). */
#define _GNU_SOURCE
#include <string.h>

#include "oci/annotation_select.h"
#include "tap.h"

static char selected_key[128];

/* The value annotation_select picks from `doc`'s object, or "(none)", or
 * "error: MESSAGE"; in a static buffer. */
static const char *pick(const char *doc)
{
	static char out[512];
	json_value *v = NULL;
	hook_error_t err = NULL;
	const char *key, *value;

	selected_key[0] = '\0';
	if (json_parse(doc, "test", &v, &err) < 0) {
		snprintf(out, sizeof(out), "parse error: %s", err->msg);
		hook_error_release(&err);
		return out;
	}
	if (annotation_select(v, "OCI state", &key, &value, &err) < 0) {
		snprintf(out, sizeof(out), "error: %s", err->msg);
		hook_error_release(&err);
	} else if (value) {
		snprintf(out, sizeof(out), "%s", value);
		snprintf(selected_key, sizeof(selected_key), "%s", key);
	} else {
		snprintf(out, sizeof(out), "(none)");
	}
	json_free(v);
	return out;
}

#define POD "\"io.containers.trace-syscall\":\"of:/pod.json\""

int main(void)
{
	is_str(pick("{" POD "}"), "of:/pod.json", "podman: the plain key");
	is_str(selected_key, "io.containers.trace-syscall", "  from the plain key");
	is_str(pick("{}"), "(none)", "no annotation: not traced");
	is_str(pick("null"), "(none)", "null annotations: not traced");

	/* Sandboxes are never traced, whatever they carry. */
	is_str(pick("{" POD ",\"io.kubernetes.cri-o.ContainerType\":\"sandbox\","
		    "\"io.kubernetes.cri-o.ContainerName\":\"k8s_POD_web_default_0a1b_0\"}"),
	       "(none)", "CRI-O sandbox: not traced");
	is_str(pick("{" POD ",\"io.kubernetes.cri.container-type\":\"sandbox\"}"), "(none)",
	       "containerd sandbox: not traced");
	is_str(pick("{" POD ",\"io.kubernetes.cri.container-type\":\"container\"}"),
	       "of:/pod.json", "containerd application container: traced");

	/* Per-container keys win over the pod-wide one. */
	is_str(pick("{" POD ",\"io.containers.trace-syscall/app\":\"of:/app.json\","
		    "\"io.containers.trace-syscall/side\":\"of:/side.json\","
		    "\"io.kubernetes.cri.container-type\":\"container\","
		    "\"io.kubernetes.cri.container-name\":\"app\"}"),
	       "of:/app.json", "containerd: the container's own key");
	is_str(selected_key, "io.containers.trace-syscall/app", "  named in messages");
	is_str(pick("{" POD ",\"io.containers.trace-syscall/app\":\"of:/app.json\","
		    "\"io.kubernetes.cri.container-name\":\"db\"}"),
	       "of:/pod.json", "containerd: another container's key does not apply");
	is_str(pick("{\"io.containers.trace-syscall/app\":\"of:/app.json\","
		    "\"io.kubernetes.cri.container-name\":\"db\"}"),
	       "(none)", "only another container's key: not traced");
	is_str(pick("{\"io.containers.trace-syscall/side\":\"of:/side.json\","
		    "\"io.kubernetes.cri-o.ContainerType\":\"container\","
		    "\"io.kubernetes.cri-o.ContainerName\":\"k8s_side_web_default_0a1b_2\"}"),
	       "of:/side.json", "CRI-O: the name inside k8s_NAME_POD_NS_UID_N");
	is_str(pick("{\"io.containers.trace-syscall/side\":\"of:/side.json\","
		    "\"io.kubernetes.container.name\":\"side\","
		    "\"io.kubernetes.cri-o.ContainerName\":\"k8s_other_web_default_0a1b_2\"}"),
	       "of:/side.json", "CRI-O: kubelet's container-name label first");
	/* Names that are no Kubernetes name never build a key. */
	is_str(pick("{" POD ",\"io.containers.trace-syscall/a/b\":\"of:/x.json\","
		    "\"io.kubernetes.cri.container-name\":\"a/b\"}"),
	       "of:/pod.json", "a name with a slash is ignored");
	is_str(pick("{" POD ",\"io.kubernetes.cri.container-name\":\"Upper\"}"), "of:/pod.json",
	       "an upper-case name is ignored");

	/* Malformed documents are errors, not silence. */
	ok(strstr(pick("[]"), "must be an object") != NULL, "annotations as an array");
	ok(strstr(pick("{\"io.containers.trace-syscall\":1}"), "must be a string") != NULL,
	   "the key with a number");
	ok(strstr(pick("{\"io.kubernetes.cri.container-name\":\"app\","
		       "\"io.containers.trace-syscall/app\":[]}"),
		  "`io.containers.trace-syscall/app` must be a string") != NULL,
	   "the container's key with an array");
	ok(strstr(pick("{\"io.kubernetes.cri-o.ContainerType\":{}}"), "must be a string") != NULL,
	   "the container type with an object");

	return tap_done();
}
