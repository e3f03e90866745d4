// SPDX-License-Identifier: Apache-2.0
/* Capability files: names, parsing, formatting, merging, subset checks and
 * what a bundle's config.json grants. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "profile/capabilities.h"
#include "tap.h"

#define BIT(c) (1ULL << (c))

static void names(void)
{
	is_str(caps_name(0), "CAP_CHOWN", "0 is CAP_CHOWN");
	is_str(caps_name(21), "CAP_SYS_ADMIN", "21 is CAP_SYS_ADMIN");
	is_str(caps_name(40), "CAP_CHECKPOINT_RESTORE", "40 is CAP_CHECKPOINT_RESTORE");
	ok(caps_name(41) == NULL && caps_name(63) == NULL, "no names past the last one");
	ok(caps_value("CAP_NET_RAW") == 13, "CAP_NET_RAW is 13");
	ok(caps_value("cap_net_raw") == -1 && caps_value("NET_RAW") == -1 && caps_value("") == -1,
	   "names are exact");
	for (unsigned c = 0; caps_name(c); c++)
		if (caps_value(caps_name(c)) != (int)c)
			ok(0, "round trip of %u", c);
}

static char *format(const struct caps_record *r)
{
	hook_error_t err = NULL;
	char *text = NULL;
	size_t len;

	if (caps_format(r, &text, &len, &err) < 0) {
		printf("#   error: %s\n", err->msg);
		hook_error_release(&err);
		return NULL;
	}
	ok(len == strlen(text) && text[len - 1] == '\n', "formatted text ends in a newline");
	return text;
}

static void round_trip(void)
{
	struct caps_record r = { .used = BIT(0) | BIT(5), .granted = BIT(0) | BIT(5) | BIT(13),
				 .granted_known = true },
			   back = { 0 };
	hook_error_t err = NULL;
	char *text = format(&r);

	ok(text && strstr(text, "\"unused\": [\n    \"CAP_NET_RAW\"\n  ]"),
	   "unused is granted minus used");
	ok(text && strstr(text, "\"suggestion\": \"--cap-drop=all --cap-add=CAP_CHOWN,CAP_KILL\""),
	   "the suggestion adds exactly what was used");
	ok(text && caps_parse(text, strlen(text), "t", &back, &err) == 0, "reads its own output");
	ok(back.used == r.used && back.granted == r.granted && back.granted_known,
	   "  and gets the same sets back");
	free(text);

	r = (struct caps_record){ 0 };
	text = format(&r);
	ok(text && !strstr(text, "granted") && strstr(text, "\"suggestion\": \"--cap-drop=all\""),
	   "nothing used, grant unknown: no granted/unused, drop all");
	free(text);
}

static void parse_refuses(const char *text, const char *needle)
{
	struct caps_record r;
	hook_error_t err = NULL;
	int ret = caps_parse(text, strlen(text), "f", &r, &err);
	char *msg = err ? strdup(err->msg) : NULL;

	hook_error_release(&err);
	refused_with(ret, msg, needle, text);
}

static void refusals(void)
{
	struct caps_record r;
	hook_error_t err = NULL;

	parse_refuses("[]", "is a JSON object");
	parse_refuses("{}", "needs `used`");
	parse_refuses("{\"used\": \"CAP_CHOWN\"}", "must be an array");
	parse_refuses("{\"used\": [1]}", "must hold strings");
	parse_refuses("{\"used\": [\"CAP_FLY\"]}", "unknown capability `CAP_FLY`");
	parse_refuses("{\"used\": [], \"granted\": [\"chown\"]}", "unknown capability `chown`");
	parse_refuses("{\"used\": [], \"extra\": 1}", "unknown key `extra`");
	parse_refuses("{\"used\": [], \"suggestion\": 3}", "`suggestion` must be a string");
	parse_refuses("{\"used\": [], \"used\": []}", "used");
	parse_refuses("{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", "unknown key `defaultAction`");
	parse_refuses("{\"used\": [", "f");
	ok(caps_parse("{\"used\":[]}\0x", 13, "nul", &r, &err) < 0, "refuses a NUL byte");
	hook_error_release(&err);
}

/* `check` reads files of either kind. */
static void either_kind(void)
{
	const char *caps = "{\"used\": [\"CAP_KILL\"]}", *bad = "{\"used\": [\"CAP_FLY\"]}";
	const char *profile = "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}", *junk = "{\"used\": ";
	struct caps_record r = { 0 };
	hook_error_t err = NULL;

	ok(caps_parse_if_caps(caps, strlen(caps), "c", &r, &err) == 1 && r.used == BIT(5),
	   "an object with `used` is a capability file");
	ok(caps_parse_if_caps(profile, strlen(profile), "p", &r, &err) == 0 && !err,
	   "a profile is left to the profile reader, without an error");
	ok(caps_parse_if_caps(junk, strlen(junk), "j", &r, &err) == 0 && !err,
	   "so is text that is not JSON");
	ok(caps_parse_if_caps(bad, strlen(bad), "b", &r, &err) == -1 && err &&
		   strstr(err->msg, "CAP_FLY"),
	   "a capability file with an unknown name is refused");
	hook_error_release(&err);
}

static void merge_and_subset(void)
{
	struct caps_record a = { .used = BIT(0), .granted = BIT(0) | BIT(1), .granted_known = true };
	struct caps_record b = { .used = BIT(5) };
	struct caps_record base = { .used = BIT(0) | BIT(5) };

	caps_merge(&a, &b);
	ok(a.used == (BIT(0) | BIT(5)) && a.granted == (BIT(0) | BIT(1)) && a.granted_known,
	   "merge: union of used, an unknown grant leaves the known one");
	b.granted = BIT(7);
	b.granted_known = true;
	caps_merge(&a, &b);
	ok(a.granted == (BIT(0) | BIT(1) | BIT(7)), "merge: union of grants");
	ok(caps_excess(&base, &a) == 0, "a file within the base has no excess");
	base.used = BIT(0);
	ok(caps_excess(&base, &a) == BIT(5), "CAP_KILL is the excess over a CAP_CHOWN base");
	{
		char *l = caps_list(BIT(0) | BIT(21) | BIT(63));

		is_str(l, "CAP_CHOWN,CAP_SYS_ADMIN,63", "lists names, numbers for unnamed bits");
		free(l);
	}
}

static void config(void)
{
	const char *cfg = "{\"process\": {\"capabilities\": {"
			  "\"bounding\": [\"CAP_CHOWN\", \"CAP_KILL\"],"
			  "\"effective\": [\"CAP_CHOWN\"], \"permitted\": [\"CAP_NET_RAW\"],"
			  "\"inheritable\": [\"CAP_SYS_ADMIN\"], \"ambient\": [\"CAP_SYS_TIME\"]}}}";
	hook_error_t err = NULL;
	uint64_t g = 0;

	ok(caps_from_config(cfg, strlen(cfg), "c", &g, &err) == 1, "reads a config's capabilities");
	ok(g == (BIT(0) | BIT(5) | BIT(13)), "  granted: bounding, effective and permitted");
	cfg = "{\"process\": {\"capabilities\": {\"bounding\": [\"CAP_NEW_IN_2030\", \"CAP_KILL\"]}}}";
	ok(caps_from_config(cfg, strlen(cfg), "c", &g, &err) == 1 && g == BIT(5),
	   "skips names this build does not know");
	cfg = "{\"process\": {\"args\": [\"sh\"]}}";
	ok(caps_from_config(cfg, strlen(cfg), "c", &g, &err) == 0, "no capabilities: unknown");
	cfg = "{\"process\": {\"capabilities\": {}}}";
	ok(caps_from_config(cfg, strlen(cfg), "c", &g, &err) == 1 && g == 0,
	   "empty capabilities: none granted");
	cfg = "{\"process\": {\"capabilities\": {\"bounding\": \"CAP_KILL\"}}}";
	ok(caps_from_config(cfg, strlen(cfg), "c", &g, &err) < 0, "refuses a set that is not an array");
	hook_error_release(&err);
	cfg = "{\"process\": ";
	ok(caps_from_config(cfg, strlen(cfg), "c", &g, &err) < 0, "refuses broken JSON");
	hook_error_release(&err);
}

int main(void)
{
	names();
	round_trip();
	refusals();
	either_kind();
	merge_and_subset();
	config();
	return tap_done();
}
