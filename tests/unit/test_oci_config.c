// SPDX-License-Identifier: Apache-2.0
/* The runtime wrapper's edit of config.json: our hooks after the engine's,
 * never twice, everything else as it was. */
#define _GNU_SOURCE
#include <string.h>

#include "oci/oci_config.h"
#include "tap.h"

static char *const hook_args[] = { "seccomp-recorder", "hook", "--allow-dir", "/var/lib/sr" };
static const struct oci_config_hook hook = { "/usr/libexec/sr", hook_args, 4 };

/* The edited document, re-parsed; or NULL with *msg set. */
static json_value *edit(const char *doc, const char *annotation, char **msg)
{
	json_value *in = NULL, *out = NULL;
	hook_error_t err = NULL;
	char *text = NULL;
	size_t len;

	*msg = NULL;
	if (json_parse(doc, "test", &in, &err) < 0 ||
	    oci_config_add_hooks(in, &hook, annotation, "`config.json`", &text, &len, &err) < 0 ||
	    json_parse(text, "edited", &out, &err) < 0) {
		*msg = strdup(err->msg);
		hook_error_release(&err);
	}
	json_free(in);
	free(text);
	return out;
}

static const char *path_at(const json_value *root, const char *stage, size_t i)
{
	const json_value *hooks = json_object_get(root, "hooks");
	const json_value *list = hooks ? json_object_get(hooks, stage) : NULL;
	const json_value *h = list && i < json_array_len(list) ? json_array_at(list, i) : NULL;

	return h ? json_string(json_object_get(h, "path")) : NULL;
}

static size_t stage_len(const json_value *root, const char *stage)
{
	const json_value *list = json_object_get(json_object_get(root, "hooks"), stage);

	return list ? json_array_len(list) : 0;
}

static void refuses(const char *doc, const char *needle, const char *why)
{
	char *msg;
	json_value *out = edit(doc, NULL, &msg);

	refused_with(out ? 0 : -1, msg, needle, why);
	json_free(out);
}

int main(void)
{
	json_value *v;
	char *msg;

	v = edit("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"oomScoreAdj\":-1000,"
		 "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1048576,\"soft\":1e3}]},"
		 "\"x\":[true,false,null,0.5,18446744073709551615]}",
		 NULL, &msg);
	ok(v != NULL, "a config without hooks");
	is_str(path_at(v, "prestart", 0), "/usr/libexec/sr", "  ours at prestart");
	is_str(path_at(v, "poststop", 0), "/usr/libexec/sr", "  and at poststop");
	{
		const json_value *args = json_object_get(json_array_at(
			json_object_get(json_object_get(v, "hooks"), "prestart"), 0), "args");

		ok(json_array_len(args) == 4 && strcmp(json_string(json_array_at(args, 3)),
						       "/var/lib/sr") == 0,
		   "  with its arguments");
	}
	{
		const json_value *p = json_object_get(v, "process");
		const json_value *rl = json_array_at(json_object_get(p, "rlimits"), 0);
		const json_value *x = json_object_get(v, "x");

		is_str(json_number_text(json_object_get(p, "oomScoreAdj")), "-1000",
		       "  negative numbers as they were");
		is_str(json_number_text(json_object_get(rl, "soft")), "1e3",
		       "  a number's text is not rewritten");
		is_str(json_number_text(json_array_at(x, 4)), "18446744073709551615",
		       "  nor is a 64-bit one");
		ok(json_type_of(json_array_at(x, 0)) == JSON_TRUE &&
			   json_type_of(json_array_at(x, 1)) == JSON_FALSE &&
			   json_type_of(json_array_at(x, 2)) == JSON_NULL,
		   "  booleans and null kept");
		ok(json_object_get(v, "annotations") == NULL, "  no annotation unless asked");
	}
	json_free(v);

	/* Docker's own prestart hook stays first; other stages stay. */
	v = edit("{\"hooks\":{\"prestart\":[{\"path\":\"/proc/1/exe\",\"args\":[\"libnetwork-"
		 "setkey\"]}],\"createRuntime\":[{\"path\":\"/nri\"}]}}",
		 NULL, &msg);
	is_str(path_at(v, "prestart", 0), "/proc/1/exe", "Docker's prestart hook stays first");
	is_str(path_at(v, "prestart", 1), "/usr/libexec/sr", "  ours after it");
	is_str(path_at(v, "createRuntime", 0), "/nri", "  createRuntime kept");
	ok(stage_len(v, "createRuntime") == 1, "  and not added to");
	json_free(v);

	/* Already ours (hooks.d and the wrapper both): not twice. */
	v = edit("{\"hooks\":{\"prestart\":[{\"path\":\"/usr/libexec/sr\",\"args\":"
		 "[\"seccomp-recorder\",\"hook\",\"--allow-dir\",\"/var/lib/sr\"]}],"
		 "\"poststop\":null}}",
		 NULL, &msg);
	ok(stage_len(v, "prestart") == 1, "an equal hook is not added twice");
	ok(stage_len(v, "poststop") == 1, "  a null stage becomes ours");
	json_free(v);
	v = edit("{\"hooks\":{\"prestart\":[{\"path\":\"/usr/libexec/sr\",\"args\":"
		 "[\"seccomp-recorder\",\"hook\"]}]}}",
		 NULL, &msg);
	ok(stage_len(v, "prestart") == 2, "the same binary with other arguments is another hook");
	json_free(v);

	/* Docker 20.10's label becomes the annotation the hook reads. */
	v = edit("{\"annotations\":{\"a\":\"b\",\"io.containers.trace-syscall\":\"old\"}}",
		 "of:/var/lib/sr/p.json", &msg);
	is_str(json_string(json_object_get(json_object_get(v, "annotations"),
					   "io.containers.trace-syscall")),
	       "of:/var/lib/sr/p.json", "the annotation set from a label");
	is_str(json_string(json_object_get(json_object_get(v, "annotations"), "a")), "b",
	       "  others kept");
	json_free(v);
	v = edit("{}", "of:/x.json", &msg);
	ok(json_object_get(json_object_get(v, "annotations"), "io.containers.trace-syscall"),
	   "  annotations made when there were none");
	json_free(v);

	refuses("[]", "expected a JSON object", "a config that is an array");
	refuses("{\"hooks\":[]}", "`hooks` must be an object", "hooks as an array");
	refuses("{\"hooks\":{\"prestart\":{}}}", "`hooks.prestart` must be an array",
		"a stage as an object");
	refuses("{\"hooks\":{\"poststop\":[1]}}", "`hooks.poststop[0]` must be an object",
		"a hook as a number");
	refuses("{\"annotations\":\"x\"}", "`annotations` must be an object",
		"annotations as a string");
	return tap_done();
}
