// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "profile/capabilities.h"
#include "util/json.h"
#include "util/log.h"

/* include/uapi/linux/capability.h, by number. */
static const char *const cap_names[] = {
	"CAP_CHOWN",		"CAP_DAC_OVERRIDE",	 "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
	"CAP_FSETID",		"CAP_KILL",		 "CAP_SETGID",		"CAP_SETUID",
	"CAP_SETPCAP",		"CAP_LINUX_IMMUTABLE",	 "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",	"CAP_NET_RAW",		 "CAP_IPC_LOCK",	"CAP_IPC_OWNER",
	"CAP_SYS_MODULE",	"CAP_SYS_RAWIO",	 "CAP_SYS_CHROOT",	"CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",	"CAP_SYS_ADMIN",	 "CAP_SYS_BOOT",	"CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",	"CAP_SYS_TIME",		 "CAP_SYS_TTY_CONFIG",	"CAP_MKNOD",
	"CAP_LEASE",		"CAP_AUDIT_WRITE",	 "CAP_AUDIT_CONTROL",	"CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",	"CAP_MAC_ADMIN",	 "CAP_SYSLOG",		"CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",	"CAP_AUDIT_READ",	 "CAP_PERFMON",		"CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};
#define NR_CAP_NAMES (sizeof(cap_names) / sizeof(cap_names[0]))

const char *caps_name(unsigned cap)
{
	return cap < NR_CAP_NAMES ? cap_names[cap] : NULL;
}

int caps_value(const char *name)
{
	for (size_t i = 0; i < NR_CAP_NAMES; i++)
		if (strcmp(name, cap_names[i]) == 0)
			return (int)i;
	return -1;
}

static const char *const caps_keys[] = { "used", "granted", "unused", "suggestion" };

/* A JSON array of capability names into a mask; `key` for messages. */
static int parse_set(const json_value *v, const char *what, const char *key, uint64_t *mask,
		     hook_error_t *err)
{
	*mask = 0;
	if (json_type_of(v) != JSON_ARRAY)
		return hook_make_error(err, 0, "%s: `%s` must be an array of capability names",
				       what, key);
	for (size_t i = 0; i < json_array_len(v); i++) {
		const json_value *e = json_array_at(v, i);
		int cap;

		if (json_type_of(e) != JSON_STRING)
			return hook_make_error(err, 0, "%s: `%s` must hold strings, not %s", what,
					       key, json_type_name(json_type_of(e)));
		cap = caps_value(json_string(e));
		if (cap < 0)
			return hook_make_error(err, 0, "%s: `%s`: unknown capability `%s`", what,
					       key, json_string(e));
		*mask |= 1ULL << cap;
	}
	return 0;
}

/* A NUL-free JSON document whose root is an object; `not_object` says what
 * it should have been. */
static int parse_object(const char *text, size_t len, const char *what, const char *not_object,
			json_value **root, hook_error_t *err)
{
	int ret;

	if (strlen(text) != len)
		return hook_make_error(err, 0, "%s: contains a NUL byte", what);
	ret = json_parse(text, what, root, err);
	if (ret < 0)
		return ret;
	if (json_type_of(*root) != JSON_OBJECT)
		return hook_make_error(err, 0, "%s: %s", what, not_object);
	return 0;
}

static int parse_record(const json_value *root, const char *what, struct caps_record *out,
			hook_error_t *err)
{
	struct caps_record rec = { 0 };
	const json_value *v;
	uint64_t unused;
	int ret;

	for (size_t i = 0; i < json_object_len(root); i++) {
		const char *key = json_object_key(root, i);
		size_t k;

		for (k = 0; k < sizeof(caps_keys) / sizeof(caps_keys[0]); k++)
			if (strcmp(key, caps_keys[k]) == 0)
				break;
		if (k == sizeof(caps_keys) / sizeof(caps_keys[0]))
			return hook_make_error(err, 0,
					       "%s: unknown key `%s` in a capability file (known: "
					       "used, granted, unused, suggestion)",
					       what, key);
	}
	v = json_object_get(root, "used");
	if (!v)
		return hook_make_error(err, 0, "%s: a capability file needs `used`", what);
	ret = parse_set(v, what, "used", &rec.used, err);
	if (ret < 0)
		return ret;
	v = json_object_get(root, "granted");
	if (v) {
		ret = parse_set(v, what, "granted", &rec.granted, err);
		if (ret < 0)
			return ret;
		rec.granted_known = true;
	}
	v = json_object_get(root, "unused");
	if (v && (ret = parse_set(v, what, "unused", &unused, err)) < 0)
		return ret;
	v = json_object_get(root, "suggestion");
	if (v && json_type_of(v) != JSON_STRING)
		return hook_make_error(err, 0, "%s: `suggestion` must be a string", what);
	*out = rec;
	return 0;
}

int caps_parse(const char *text, size_t len, const char *what, struct caps_record *out,
	       hook_error_t *err)
{
	cleanup_json json_value *root = NULL;
	int ret;

	ret = parse_object(text, len, what, "a capability file is a JSON object", &root, err);
	if (ret < 0)
		return ret;
	return parse_record(root, what, out, err);
}

int caps_parse_if_caps(const char *text, size_t len, const char *what, struct caps_record *out,
		       hook_error_t *err)
{
	cleanup_json json_value *root = NULL;
	hook_error_t not_json = NULL;

	/* Not JSON, or not an object with `used`: not ours to judge. */
	if (parse_object(text, len, what, "not a JSON object", &root, &not_json) < 0) {
		hook_error_release(&not_json);
		return 0;
	}
	if (!json_object_get(root, "used"))
		return 0;
	return parse_record(root, what, out, err) < 0 ? -1 : 1;
}

static void write_set(struct json_writer *w, const char *key, uint64_t mask)
{
	const char *names[CAPS_MAX];
	size_t n = 0;

	for (unsigned cap = 0; cap < CAPS_MAX; cap++)
		if ((mask & (1ULL << cap)) && caps_name(cap))
			names[n++] = caps_name(cap);
	json_w_kv_strings(w, key, (char *const *)names, n);
}

char *caps_list(uint64_t mask)
{
	char *out = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&out, &size);
	bool first = true;

	if (!f)
		abort();
	for (unsigned cap = 0; cap < CAPS_MAX; cap++) {
		if (!(mask & (1ULL << cap)))
			continue;
		if (caps_name(cap))
			fprintf(f, "%s%s", first ? "" : ",", caps_name(cap));
		else
			fprintf(f, "%s%u", first ? "" : ",", cap);
		first = false;
	}
	if (fclose(f) != 0)
		abort();
	return out;
}

char *caps_suggestion(uint64_t used)
{
	cleanup_free char *list = caps_list(used);
	char *s;

	if (!used)
		return xstrdup("--cap-drop=all");
	xasprintf(&s, "--cap-drop=all --cap-add=%s", list);
	return s;
}

int caps_format(const struct caps_record *rec, char **out, size_t *len, hook_error_t *err)
{
	cleanup_json_writer struct json_writer *w = json_writer_new();
	cleanup_free char *suggestion = caps_suggestion(rec->used);

	json_w_object_open(w);
	write_set(w, "used", rec->used);
	if (rec->granted_known) {
		write_set(w, "granted", rec->granted);
		write_set(w, "unused", rec->granted & ~rec->used);
	}
	json_w_kv_string(w, "suggestion", suggestion);
	json_w_object_close(w);
	return json_writer_finish(w, out, len, err);
}

void caps_merge(struct caps_record *into, const struct caps_record *from)
{
	into->used |= from->used;
	if (from->granted_known) {
		into->granted |= from->granted;
		into->granted_known = true;
	}
}

uint64_t caps_excess(const struct caps_record *base, const struct caps_record *p)
{
	return p->used & ~base->used;
}

static int config_set(const json_value *caps, const char *what, const char *set,
		      uint64_t *granted, hook_error_t *err)
{
	const json_value *v = json_object_get(caps, set);

	if (!v || json_type_of(v) == JSON_NULL)
		return 0;
	if (json_type_of(v) != JSON_ARRAY)
		return hook_make_error(err, 0, "%s: process.capabilities.%s is not an array", what,
				       set);
	for (size_t i = 0; i < json_array_len(v); i++) {
		const json_value *e = json_array_at(v, i);
		int cap;

		if (json_type_of(e) != JSON_STRING)
			return hook_make_error(err, 0,
					       "%s: process.capabilities.%s holds a non-string",
					       what, set);
		cap = caps_value(json_string(e));
		if (cap < 0) {
			log_warn("%s: process.capabilities.%s: capability `%.64s` is unknown to "
				 "this build; left out of `granted`",
				 what, set, json_string(e));
			continue;
		}
		*granted |= 1ULL << cap;
	}
	return 0;
}

int caps_from_config(const char *text, size_t len, const char *what, uint64_t *granted,
		     hook_error_t *err)
{
	static const char *const sets[] = { "bounding", "effective", "permitted" };
	cleanup_json json_value *root = NULL;
	const json_value *process, *caps;
	int ret;

	*granted = 0;
	ret = parse_object(text, len, what, "not a JSON object", &root, err);
	if (ret < 0)
		return ret;
	process = json_object_get(root, "process");
	if (!process || json_type_of(process) != JSON_OBJECT)
		return 0;
	caps = json_object_get(process, "capabilities");
	if (!caps || json_type_of(caps) != JSON_OBJECT)
		return 0;
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		ret = config_set(caps, what, sets[i], granted, err);
		if (ret < 0)
			return ret;
	}
	return 1;
}
