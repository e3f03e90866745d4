// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"
#include "profile/profile_recording.h"
#include "profile_test.h"
#include "tap.h"

static char *slurp(const char *name, size_t *len)
{
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", TEST_DATA, name);
	f = fopen(path, "r");
	if (!f) {
		printf("# cannot open %s\n", path);
		exit(1);
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int parse_text(const char *text, struct profile *p, char **msg)
{
	hook_error_t err = NULL;
	int ret = profile_parse(text, strlen(text), "p.json", p, &err);

	*msg = NULL;
	if (ret < 0) {
		*msg = strdup(err->msg);
		hook_error_release(&err);
	}
	return ret;
}

static void recording(struct profile_recording *rec, const char *arches, const char *names)
{
	char *copy = strdup(arches), *tok, *save;

	memset(rec, 0, sizeof(*rec));
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		strv_add(&rec->arches, tok);
	free(copy);
	copy = strdup(names);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		strv_add(&rec->names, tok);
	free(copy);
}

static void recording_free(struct profile_recording *rec)
{
	strv_free(&rec->arches);
	strv_free(&rec->names);
}

/* Applies a recording to `input` (a fixture name or NULL) and returns the bytes. */
static char *apply(const char *input, const char *arches, const char *names)
{
	struct profile p = { 0 };
	struct profile_recording rec;
	char *msg, *out;

	if (input) {
		size_t len;
		char *text = slurp(input, &len);

		if (parse_text(text, &p, &msg) < 0) {
			printf("# %s\n", msg);
			exit(1);
		}
		free(text);
	}
	recording(&rec, arches, names);
	profile_add_recording(&p, &rec);
	out = serialize(&p);
	recording_free(&rec);
	profile_free(&p);
	return out;
}

static void refuses(const char *text, const char *needle, const char *why)
{
	struct profile p = { 0 };
	char *msg;
	int ret = parse_text(text, &p, &msg);

	refused_with(ret, msg, needle, why);
	profile_free(&p);
}

#define HDR "{\"defaultAction\":\"SCMP_ACT_ERRNO\","

/* Argument rules: `values` like "socket=1,socket=2" for names in `arg_names`. */
static void arg_recording(struct profile_recording *rec, const char *names, const char *arg_names,
			  const char *values)
{
	char *copy = strdup(arg_names), *tok, *save;

	recording(rec, "SCMP_ARCH_X86_64", names);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		strv_add(&rec->arg_names, tok);
	free(copy);
	copy = strdup(values);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		*eq = '\0';
		profile_recording_add_arg(rec, tok, "SCMP_CMP_EQ", strtoull(eq + 1, NULL, 0), 0);
	}
	free(copy);
}

static char *apply_args(struct profile *p, const char *names, const char *arg_names,
			const char *values)
{
	struct profile_recording rec;

	arg_recording(&rec, names, arg_names, values);
	profile_add_recording(p, &rec);
	profile_recording_free(&rec);
	return serialize(p);
}

/* Values of `name`'s rules that compare argument 0, as "1,2"; "*" for an
 * outright allow. */
static char *arg_summary(const struct profile *p, const char *name)
{
	static char buf[256];

	buf[0] = '\0';
	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		if (!profile_rule_names(r, name))
			continue;
		if (r->n_args == 0)
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s*", *buf ? "," : "");
		else
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%llu",
				 *buf ? "," : "", (unsigned long long)r->args[0].value);
	}
	return buf;
}

static void arg_rules(void)
{
	struct profile p = { 0 }, q = { 0 };
	char *a, *b, *msg;

	free(apply_args(&p, "read,socket", "socket", "socket=2,socket=1"));
	is_str(arg_summary(&p, "socket"), "1,2", "argument values become sorted rules");
	is_str(arg_summary(&p, "read"), "*", "other names stay outright");
	free(apply_args(&p, "socket", "socket", "socket=10,socket=1"));
	is_str(arg_summary(&p, "socket"), "1,2,10", "a later run adds only new values");
	a = serialize(&p);
	free(apply_args(&q, "read,socket", "socket", "socket=10"));
	b = apply_args(&q, "socket", "socket", "socket=1,socket=2");
	is_str(b, a, "the same values in another order give the same bytes");
	free(a);
	free(b);
	profile_free(&q);
	memset(&q, 0, sizeof(q));
	b = serialize(&p);
	ok(parse_text(b, &q, &msg) == 0, "the result reads back");
	free(msg);
	free(b);
	profile_free(&q);

	/* a run without args: allows outright, replacing our rules */
	free(apply_args(&p, "socket", "", ""));
	is_str(arg_summary(&p, "socket"), "*", "a run without values allows outright");
	free(apply_args(&p, "socket", "socket", "socket=17"));
	is_str(arg_summary(&p, "socket"), "*", "an outright allow covers later values");
	profile_free(&p);

	/* an input that denies the syscall keeps the last word */
	ok(parse_text("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":"
		      "[\"socket\"],\"action\":\"SCMP_ACT_ERRNO\"}]}",
		      &p, &msg) == 0,
	   "parses a baseline denying socket");
	free(apply_args(&p, "socket", "socket", "socket=1"));
	is_str(arg_summary(&p, "socket"), "*", "a baseline's deny stays alone");
	ok(strcmp(p.rules[0].action, "SCMP_ACT_ERRNO") == 0 && p.n_rules == 1, "  unchanged");
	profile_free(&p);

	/* our rule for two names, as `merge` joins them */
	ok(parse_text("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":"
		      "[\"socket\",\"socketpair\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{"
		      "\"index\":0,\"value\":1,\"valueTwo\":0,\"op\":\"SCMP_CMP_EQ\"}],"
		      "\"comment\":\"" PROFILE_RECORDED_ARG_COMMENT "\"}]}",
		      &p, &msg) == 0,
	   "parses a merged argument rule");
	free(apply_args(&p, "socket", "", ""));
	is_str(arg_summary(&p, "socket"), "*", "a run without values frees socket from it");
	is_str(arg_summary(&p, "socketpair"), "1", "  and leaves socketpair's value");
	profile_free(&p);

	/* an input's own identical conditional allow covers the value */
	ok(parse_text("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":[{\"names\":"
		      "[\"socket\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
		      "\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		      &p, &msg) == 0,
	   "parses a baseline allowing AF_UNIX sockets");
	free(apply_args(&p, "socket", "socket", "socket=1,socket=2"));
	is_str(arg_summary(&p, "socket"), "1,2", "only the value it lacked is added");
	profile_free(&p);

	/* the bound: past `max` values a syscall is allowed outright */
	{
		struct strv widened = { 0 };

		free(apply_args(&p, "read,socket,personality", "socket,personality",
				"socket=1,socket=2,socket=3,personality=8"));
		profile_bound_arg_rules(&p, 3, &widened);
		ok(widened.n == 0, "3 values are within a bound of 3");
		free(apply_args(&p, "socket", "socket", "socket=4"));
		profile_bound_arg_rules(&p, 3, &widened);
		ok(widened.n == 1 && strcmp(widened.v[0], "socket") == 0,
		   "a 4th value is past the bound of 3");
		is_str(arg_summary(&p, "socket"), "*", "  and socket is allowed outright");
		is_str(arg_summary(&p, "personality"), "8", "  while personality keeps its value");
		ok(profile_names_syscall(&p, "read"), "  and read stays");
		strv_free(&widened);
		profile_free(&p);
	}
}

int main(void)
{
	struct profile p = { 0 };
	char *text, *out, *msg, *golden, *again;
	size_t len;

	arg_rules();

	/* round trip of every schema field, byte for byte */
	text = slurp("full-schema.json", &len);
	ok(parse_text(text, &p, &msg) == 0, "parses the full-schema fixture");
	if (msg)
		printf("#   %s\n", msg);
	out = serialize(&p);
	is_str(out, text, "writes it back byte for byte");
	ok(p.n_rules == 4 && p.rules[1].args[1].value == UINT64_MAX,
	   "keeps a 64-bit argument value exactly");
	free(out);
	profile_free(&p);
	free(text);

	/* no input: ENOSYS, arches seen, sorted names */
	out = apply(NULL, "SCMP_ARCH_X86_64,SCMP_ARCH_X86",
		    "write,read,openat,getdents64,close,exit_group,read");
	golden = slurp("recorded-none.golden.json", &len);
	is_str(out, golden, "recording without input matches the golden file");
	again = apply(NULL, "SCMP_ARCH_X86_64,SCMP_ARCH_X86",
		      "exit_group,close,getdents64,openat,read,write");
	is_str(again, out, "output is byte-identical whatever order syscalls came in");
	free(again);
	free(out);
	free(golden);

	/* input keeps its rules; blocked stays blocked */
	out = apply("blocks-mkdir.json", "SCMP_ARCH_X86_64",
		    "write,mkdir,close,exit_group,mkdirat");
	golden = slurp("recorded-blocks-mkdir.golden.json", &len);
	is_str(out, golden, "input rules kept, mkdir stays blocked, default becomes ERRNO");
	free(golden);

	/* idempotent: feeding the output back with the same recording */
	{
		struct profile q = { 0 };
		struct profile_recording rec;
		char *second;

		ok(parse_text(out, &q, &msg) == 0, "reads its own output");
		recording(&rec, "SCMP_ARCH_X86_64", "write,mkdir,close,exit_group,mkdirat");
		profile_add_recording(&q, &rec);
		second = serialize(&q);
		is_str(second, out, "applying the same recording again changes nothing");
		free(second);
		recording_free(&rec);

		/* accumulation extends our marked rule, keeping it sorted */
		recording(&rec, "SCMP_ARCH_X86_64", "brk,read");
		profile_add_recording(&q, &rec);
		ok(q.n_rules == 2 && q.rules[1].names.n == 5 &&
			   strcmp(q.rules[1].names.v[0], "brk") == 0 &&
			   strcmp(q.rules[1].names.v[3], "read") == 0,
		   "a later recording extends the recorded rule in sorted order");
		recording_free(&rec);
		profile_free(&q);
	}
	free(out);

	/* an input with archMap gets no `architectures` (containers/common
	 * refuses both), and keeps its errno */
	out = apply("full-schema.json", "SCMP_ARCH_X86_64,SCMP_ARCH_X86", "read,futex");
	ok(out && !strstr(out, "\"architectures\"") && strstr(out, "\"defaultErrnoRet\": 1,"),
	   "archMap input: no architectures added, its defaultErrnoRet kept");
	ok(out && strstr(out, "\"futex\"") && strstr(out, "\"cachestat\""),
	   "new name added, known ones left where they were");
	free(out);

	/* recorded name already named by a conditional input rule is not added */
	out = apply("full-schema.json", "SCMP_ARCH_X86_64", "personality");
	ok(out && !strstr(out, PROFILE_RECORDED_COMMENT),
	   "a syscall named by a conditional input rule keeps that rule only");
	free(out);

	/* refusals */
	refuses("", "invalid JSON", "empty input");
	refuses("nonsense", "invalid JSON", "garbage");
	refuses("[]", "expected an object", "an array");
	refuses("{}", "missing required field `defaultAction`", "no defaultAction");
	refuses("{\"defaultAction\":\"SCMP_ACT_NOPE\"}", "unknown action `SCMP_ACT_NOPE`",
		"unknown default action");
	refuses(HDR "\"bogus\":1}", "`bogus` is not a field", "unknown top-level field");
	refuses(HDR "\"defaultErrnoRet\":-1}", "integer from 0 to 4095", "negative errno");
	refuses(HDR "\"defaultErrnoRet\":70000}", "integer from 0 to 4095", "errno too large");
	refuses(HDR "\"architectures\":[\"SCMP_ARCH_Z80\"]}", "unknown architecture",
		"unknown architecture");
	refuses(HDR "\"architectures\":\"SCMP_ARCH_X86_64\"}", "must be an array",
		"architectures not an array");
	refuses(HDR "\"syscalls\":{}}", "must be an array", "syscalls not an array");
	refuses(HDR "\"syscalls\":[{\"names\":[\"read\"]}]}", "has no `action`",
		"rule without action");
	refuses(HDR "\"syscalls\":[{\"action\":\"SCMP_ACT_ALLOW\"}]}", "names no syscall",
		"rule without names");
	refuses(HDR "\"syscalls\":[{\"names\":[\"opne\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		"unknown syscall `opne`", "unknown syscall name");
	refuses(HDR "\"syscalls\":[{\"names\":[\"../etc\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		"not a syscall name", "malformed syscall name");
	refuses(HDR "\"syscalls\":[{\"names\":[3],\"action\":\"SCMP_ACT_ALLOW\"}]}", "only strings",
		"number as name");
	refuses(HDR "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"x\":1}]}",
		"`syscalls[0].x` is not a field", "unknown rule field, with its location");
	refuses(HDR "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		    "\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		"integer from 0 to 5", "argument index out of range");
	refuses(HDR
		"\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		"\"args\":[{\"index\":0,\"value\":18446744073709551616,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		"integer from 0 to", "argument value beyond 64 bits");
	refuses(HDR "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		    "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_XX\"}]}]}",
		"unknown comparison", "unknown comparison");
	refuses(HDR "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		    "\"args\":[{\"index\":0,\"op\":\"SCMP_CMP_EQ\"}]}]}",
		"needs `index`, `value` and `op`", "argument without value");
	refuses(HDR "\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		    "\"includes\":{\"kernel\":\"4\"}}]}",
		"`syscalls[0].includes.kernel` is not a field", "unknown includes field");
	refuses(HDR "\"flags\":[\"TSYNC\"]}", "unknown flag", "unknown flag");
	refuses(HDR
		"\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":{}}]}",
		"`syscalls[0].args` must be an array",
		"args not an array (found by fuzzing: leaked)");
	refuses(HDR "\"syscalls\":[{\"names\":[\"re\\nad\"],\"action\":\"SCMP_ACT_ALLOW\"}]}",
		"re\\x0aad", "a newline in user input, escaped in the one-line message");
	refuses(HDR "\"archMap\":[{\"subArchitectures\":[]}]}", "has no `architecture`",
		"archMap entry without architecture");
	refuses("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultAction\":\"SCMP_ACT_ALLOW\"}",
		"duplicate key", "duplicate key");
	return tap_done();
}
