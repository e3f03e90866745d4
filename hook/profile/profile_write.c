// SPDX-License-Identifier: Apache-2.0
/* Writing a seccomp profile in a fixed member order, so that the same model
 * gives the same bytes and unchanged input round-trips as JSON. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "profile/profile.h"
#include "util/json.h"

static void write_strv(struct json_writer *jw, const char *key, const struct strv *sv)
{
	json_w_kv_strings(jw, key, sv->v, sv->n);
}

static void write_null(struct json_writer *jw, const char *key)
{
	json_w_string(jw, key);
	json_w_null(jw);
}

/* Writes a member present in the input: as null if it was null, else with
 * the callback. The helpers below keep the bit tests in one place. */
#define WRITE_FIELD(jw, obj, bit, key, stmt)         \
	do {                                         \
		if ((obj)->present & (bit)) {        \
			if ((obj)->nulls & (bit))    \
				write_null(jw, key); \
			else {                       \
				stmt;                \
			}                            \
		}                                    \
	} while (0)

static void write_filter(struct json_writer *jw, const struct profile_filter *f)
{
	json_w_object_open(jw);
	WRITE_FIELD(jw, f, FF_CAPS, "caps", write_strv(jw, "caps", &f->caps));
	WRITE_FIELD(jw, f, FF_ARCHES, "arches", write_strv(jw, "arches", &f->arches));
	WRITE_FIELD(jw, f, FF_MIN_KERNEL, "minKernel",
		    json_w_kv_string(jw, "minKernel", f->min_kernel));
	json_w_object_close(jw);
}

static void write_args(struct json_writer *jw, const struct profile_rule *r)
{
	json_w_string(jw, "args");
	json_w_array_open(jw);
	for (size_t i = 0; i < r->n_args; i++) {
		const struct profile_arg *a = &r->args[i];

		json_w_object_open(jw);
		json_w_kv_uint64(jw, "index", a->index);
		json_w_kv_uint64(jw, "value", a->value);
		WRITE_FIELD(jw, a, AF_VALUE_TWO, "valueTwo",
			    json_w_kv_uint64(jw, "valueTwo", a->value_two));
		json_w_kv_string(jw, "op", a->op);
		json_w_object_close(jw);
	}
	json_w_array_close(jw);
}

static void write_rule(struct json_writer *jw, const struct profile_rule *r)
{
	json_w_object_open(jw);
	WRITE_FIELD(jw, r, RF_NAMES, "names", write_strv(jw, "names", &r->names));
	WRITE_FIELD(jw, r, RF_NAME, "name", json_w_kv_string(jw, "name", r->name));
	json_w_kv_string(jw, "action", r->action);
	WRITE_FIELD(jw, r, RF_ERRNO, "errnoRet", json_w_kv_uint64(jw, "errnoRet", r->errno_ret));
	WRITE_FIELD(jw, r, RF_ERRNO_NAME, "errno", json_w_kv_string(jw, "errno", r->errno_name));
	WRITE_FIELD(jw, r, RF_ARGS, "args", write_args(jw, r));
	WRITE_FIELD(jw, r, RF_COMMENT, "comment", json_w_kv_string(jw, "comment", r->comment));
	WRITE_FIELD(jw, r, RF_INCLUDES, "includes",
		    (json_w_string(jw, "includes"), write_filter(jw, &r->includes)));
	WRITE_FIELD(jw, r, RF_EXCLUDES, "excludes",
		    (json_w_string(jw, "excludes"), write_filter(jw, &r->excludes)));
	json_w_object_close(jw);
}

static void write_arch_map(struct json_writer *jw, const struct profile *p)
{
	json_w_string(jw, "archMap");
	json_w_array_open(jw);
	for (size_t i = 0; i < p->n_arch_map; i++) {
		const struct profile_arch_map *m = &p->arch_map[i];

		json_w_object_open(jw);
		json_w_kv_string(jw, "architecture", m->architecture);
		WRITE_FIELD(jw, m, MF_SUB_ARCHES, "subArchitectures",
			    write_strv(jw, "subArchitectures", &m->sub_arches));
		json_w_object_close(jw);
	}
	json_w_array_close(jw);
}

int profile_serialize(const struct profile *p, char **out, size_t *len, hook_error_t *err)
{
	cleanup_json_writer struct json_writer *jw = json_writer_new();

	if (!jw)
		return hook_make_error(err, 0, "cannot allocate the JSON generator");
	json_w_object_open(jw);
	json_w_kv_string(jw, "defaultAction", p->default_action);
	WRITE_FIELD(jw, p, PF_DEFAULT_ERRNO, "defaultErrnoRet",
		    json_w_kv_uint64(jw, "defaultErrnoRet", p->default_errno_ret));
	WRITE_FIELD(jw, p, PF_DEFAULT_ERRNO_NAME, "defaultErrno",
		    json_w_kv_string(jw, "defaultErrno", p->default_errno_name));
	WRITE_FIELD(jw, p, PF_ARCHITECTURES, "architectures",
		    write_strv(jw, "architectures", &p->architectures));
	WRITE_FIELD(jw, p, PF_ARCH_MAP, "archMap", write_arch_map(jw, p));
	WRITE_FIELD(jw, p, PF_FLAGS, "flags", write_strv(jw, "flags", &p->flags));
	WRITE_FIELD(jw, p, PF_LISTENER_PATH, "listenerPath",
		    json_w_kv_string(jw, "listenerPath", p->listener_path));
	WRITE_FIELD(jw, p, PF_LISTENER_METADATA, "listenerMetadata",
		    json_w_kv_string(jw, "listenerMetadata", p->listener_metadata));
	WRITE_FIELD(jw, p, PF_SYSCALLS, "syscalls", ({
			    json_w_string(jw, "syscalls");
			    json_w_array_open(jw);
			    for (size_t i = 0; i < p->n_rules; i++)
				    write_rule(jw, &p->rules[i]);
			    json_w_array_close(jw);
		    }));
	json_w_object_close(jw);
	return json_writer_finish(jw, out, len, err);
}

char *profile_rule_key(const struct profile_rule *r, unsigned fields, bool with_action)
{
	cleanup_json_writer struct json_writer *jw = json_writer_new();
	struct profile_rule copy = *r;
	hook_error_t err = NULL;
	char *out = NULL;
	size_t len;

	copy.present &= fields;
	if (!with_action)
		copy.action = (char *)"";
	if (!jw)
		abort(); /* allocation failure, as in xmalloc() */
	write_rule(jw, &copy);
	/* Every string came from a parsed profile, so generation cannot fail
	 * but by running out of memory. */
	if (json_writer_finish(jw, &out, &len, &err) < 0)
		abort();
	return out;
}
