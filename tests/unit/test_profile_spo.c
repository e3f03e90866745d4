// SPDX-License-Identifier: Apache-2.0
/* profile_spo: the YAML scalar quoting (escapes, UTF-8), object names, the
 * target options, one whole object against golden text, what is dropped,
 * how includes/excludes and archMap resolve for a target, and every refusal
 * (one line naming the field, nothing returned). Profiles are written with '
 * for " to stay readable. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"
#include "profile/profile_spo.h"
#include "profile_test.h"
#include "tap.h"

static char *quote(const char *s, int *ret)
{
	hook_error_t err = NULL;
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	*ret = spo_yaml_quote(f, s, &err);
	fclose(f);
	if (*ret < 0) {
		free(buf);
		buf = hook_error_string(err);
		hook_error_release(&err);
	}
	return buf;
}

static void test_quote(void)
{
	static const char *const cases[][2] = {
		{ "read", "\"read\"" },
		{ "", "\"\"" },
		{ "a\"b\\c", "\"a\\\"b\\\\c\"" },
		{ "x\ny\tz", "\"x\\ny\\tz\"" },
		{ "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"" },
		{ "caf\xc3\xa9", "\"caf\\u00e9\"" },
		{ "\xc2\x85", "\"\\u0085\"" },
		{ "\xf0\x9f\x98\x80", "\"\\U0001f600\"" },
		{ "# not: a comment - [x] {y} &z *w !t %u @v `s`", "\"# not: a comment - [x] {y} &z *w !t %u @v `s`\"" },
		{ "yes", "\"yes\"" },
	};
	static const char *const invalid[] = { "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
					      "a\xff" };
	int ret;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = quote(cases[i][0], &ret);

		is_str(got, cases[i][1], "quotes case %zu", i);
		free(got);
	}
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		char *msg = quote(invalid[i], &ret);

		refused_with(ret, msg, "not valid UTF-8", "invalid UTF-8");
	}
}

static void test_names(void)
{
	static const char *const good[] = { "web", "a", "0", "a.b-c", "my-app.v2", "1-2.3" };
	static const char *const bad[] = { "",	"Web", "-a", "a-",  "a..b",
					   ".a", "a.", "a_b", "a/b", "a b" };
	char long_name[SPO_NAME_MAX + 2];
	hook_error_t err = NULL;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ok(spo_check_name(good[i], &err) == 0, "name `%s` accepted", good[i]);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = spo_check_name(bad[i], &err);

		refused_with(ret, ret < 0 ? hook_error_string(err) : NULL, "Kubernetes object name",
			     bad[i]);
		hook_error_release(&err);
	}
	memset(long_name, 'a', sizeof(long_name));
	long_name[SPO_NAME_MAX] = '\0';
	ok(spo_check_name(long_name, &err) == 0, "a name of 253 characters is accepted");
	long_name[SPO_NAME_MAX] = 'a';
	long_name[SPO_NAME_MAX + 1] = '\0';
	ok(spo_check_name(long_name, &err) < 0, "a name of 254 characters is refused");
	hook_error_release(&err);
	ok(spo_check_api("v1", &err) == 0 && spo_check_api("v1beta1", &err) == 0,
	   "--api v1 and v1beta1");
	ok(spo_check_api("v2", &err) < 0, "--api v2 refused");
	hook_error_release(&err);
}

static void test_target_options(void)
{
	struct strv caps = { 0 };
	hook_error_t err = NULL;
	unsigned maj = 0, min = 0;

	ok(spo_parse_caps("CAP_CHOWN,sys_admin,Cap_Net_Raw,chown", &caps, &err) == 0 &&
		   caps.n == 3 && strcmp(caps.v[1], "CAP_SYS_ADMIN") == 0,
	   "--caps normalises names and drops repeats");
	strv_free(&caps);
	ok(spo_parse_caps("none", &caps, &err) == 0 && caps.n == 0, "--caps none is empty");
	ok(spo_parse_caps("CAP_FOO", &caps, &err) < 0, "--caps CAP_FOO refused");
	hook_error_release(&err);
	ok(spo_parse_caps(",", &caps, &err) < 0, "--caps , refused");
	hook_error_release(&err);
	strv_free(&caps);
	ok(spo_parse_kernel("6.1", &maj, &min, &err) == 0 && maj == 6 && min == 1, "--kernel 6.1");
	ok(spo_parse_kernel("5.10.0", &maj, &min, &err) == 0 && maj == 5 && min == 10,
	   "--kernel 5.10.0");
	static const char *const bad[] = { "6", "6.", ".1", "6.1-rc1", "a.b", "6.1.", "123456.1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ok(spo_parse_kernel(bad[i], &maj, &min, &err) < 0, "--kernel `%s` refused", bad[i]);
		hook_error_release(&err);
	}
	is_str(spo_scmp_arch("amd64"), "SCMP_ARCH_X86_64", "amd64");
	ok(spo_scmp_arch("x86_64") == NULL, "x86_64 is not a Go name");
}

/* The YAML of `json` for `o`, or NULL with *msg set. */
static char *export(const char *json, const struct spo_options *o, char **msg, int *ret)
{
	struct profile p;
	hook_error_t err = NULL;
	char *out = NULL;
	size_t len;

	parse_or_die(json, &p);
	*msg = NULL;
	*ret = profile_spo_yaml(&p, o, &out, &len, &err);
	profile_free(&p);
	if (*ret < 0) {
		*msg = hook_error_string(err);
		hook_error_release(&err);
		return NULL;
	}
	if (strlen(out) != len)
		printf("# length mismatch\n");
	return out;
}

static const char golden_in[] =
	"{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':1,"
	"'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86','SCMP_ARCH_X86_64'],"
	"'flags':['SECCOMP_FILTER_FLAG_LOG'],"
	"'listenerPath':'/var/run/security-profiles-operator/agent.sock',"
	"'listenerMetadata':'k=\\'v\\'\\n',"
	"'syscalls':[{'names':['read','write','read'],'action':'SCMP_ACT_ALLOW',"
	"'comment':'recorded by seccomp-recorder','includes':{},'excludes':{},'args':null},"
	"{'name':'socket','action':'SCMP_ACT_ALLOW','args':[{'index':0,'value':1,'op':'SCMP_CMP_EQ'},"
	"{'index':1,'value':524288,'valueTwo':524288,'op':'SCMP_CMP_MASKED_EQ'}]},"
	"{'names':['ptrace'],'action':'SCMP_ACT_ERRNO','errno':'EPERM'},"
	"{'names':['bpf'],'action':'SCMP_ACT_ERRNO','errnoRet':38,'errno':'ENOSYS'}]}";

static const char golden_out[] = "---\n"
				 "apiVersion: security-profiles-operator.x-k8s.io/v1beta1\n"
				 "kind: SeccompProfile\n"
				 "metadata:\n"
				 "  name: \"web.v1\"\n"
				 "spec:\n"
				 "  defaultAction: \"SCMP_ACT_ERRNO\"\n"
				 "  architectures:\n"
				 "    - \"SCMP_ARCH_X86_64\"\n"
				 "    - \"SCMP_ARCH_X86\"\n"
				 "  flags:\n"
				 "    - \"SECCOMP_FILTER_FLAG_LOG\"\n"
				 "  listenerPath: \"/var/run/security-profiles-operator/agent.sock\"\n"
				 "  listenerMetadata: \"k=\\\"v\\\"\\n\"\n"
				 "  syscalls:\n"
				 "    # recorded by seccomp-recorder\n"
				 "    - action: \"SCMP_ACT_ALLOW\"\n"
				 "      names:\n"
				 "        - \"read\"\n"
				 "        - \"write\"\n"
				 "    - action: \"SCMP_ACT_ALLOW\"\n"
				 "      args:\n"
				 "        - index: 0\n"
				 "          value: 1\n"
				 "          op: \"SCMP_CMP_EQ\"\n"
				 "        - index: 1\n"
				 "          value: 524288\n"
				 "          valueTwo: 524288\n"
				 "          op: \"SCMP_CMP_MASKED_EQ\"\n"
				 "      names:\n"
				 "        - \"socket\"\n"
				 "    - action: \"SCMP_ACT_ERRNO\"\n"
				 "      errnoRet: 1\n"
				 "      names:\n"
				 "        - \"ptrace\"\n"
				 "    - action: \"SCMP_ACT_ERRNO\"\n"
				 "      errnoRet: 38\n"
				 "      names:\n"
				 "        - \"bpf\"\n";

static void test_golden(void)
{
	struct spo_options o = { .name = "web.v1", .api = "v1beta1" };
	char *msg, *got;
	int ret;

	got = export(golden_in, &o, &msg, &ret);
	is_str(got, golden_out, "the whole object, v1beta1");
	if (msg)
		printf("# %s\n", msg);
	free(got);
	free(msg);
	o.api = "v1";
	got = export("{'defaultAction':'SCMP_ACT_KILL_PROCESS','defaultErrnoRet':38}", &o, &msg,
		     &ret);
	is_str(got,
	       "---\napiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\n"
	       "metadata:\n  name: \"web.v1\"\nspec:\n  defaultAction: \"SCMP_ACT_KILL_PROCESS\"\n",
	       "defaultErrnoRet dropped where the default action ignores it; no empty lists");
	free(got);
	free(msg);
}

#define WITH_RULE(rule) "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[" rule "]}"

/* Whether `rule` survives for the target: 1 kept, 0 left out, -1 refused. */
static int kept(const char *rule, const struct spo_target *t)
{
	struct spo_options o = { .name = "x", .api = "v1", .target = *t };
	char *msg, *json = NULL, *got;
	int ret, r;

	if (asprintf(&json, "{'defaultAction':'SCMP_ACT_ERRNO','syscalls':[%s]}", rule) < 0)
		abort();
	got = export(json, &o, &msg, &ret);
	r = got ? strstr(got, "syscalls:") != NULL : -1;
	free(json);
	free(got);
	free(msg);
	return r;
}

static void test_conditions(void)
{
	struct spo_target none = { 0 };
	struct spo_target t = { .caps_set = true, .arch = "amd64", .kernel_set = true,
				.kernel_major = 6, .kernel_minor = 1 };

	strv_add(&t.caps, "CAP_SYS_ADMIN");
	strv_add(&t.caps, "CAP_CHOWN");
#define R(cond) "{'names':['bpf'],'action':'SCMP_ACT_ALLOW'," cond "}"
	ok(kept(R("'includes':{'caps':['CAP_SYS_ADMIN']}"), &t) == 1, "includes.caps held");
	ok(kept(R("'includes':{'caps':['CAP_SYS_ADMIN','CAP_BPF']}"), &t) == 0,
	   "includes.caps needs all of them");
	ok(kept(R("'excludes':{'caps':['CAP_BPF','CAP_CHOWN']}"), &t) == 0,
	   "excludes.caps: one of them is enough to leave the rule out");
	ok(kept(R("'excludes':{'caps':['CAP_BPF']}"), &t) == 1, "excludes.caps not hit");
	ok(kept(R("'includes':{'arches':['arm64','amd64']}"), &t) == 1, "includes.arches held");
	ok(kept(R("'includes':{'arches':['arm64']}"), &t) == 0, "includes.arches not held");
	ok(kept(R("'excludes':{'arches':['amd64']}"), &t) == 0, "excludes.arches hit");
	ok(kept(R("'includes':{'minKernel':'6.1'}"), &t) == 1, "includes.minKernel 6.1 on 6.1");
	ok(kept(R("'includes':{'minKernel':'6.2'}"), &t) == 0, "includes.minKernel 6.2 on 6.1");
	ok(kept(R("'includes':{'minKernel':'5.19'}"), &t) == 1, "includes.minKernel 5.19 on 6.1");
	ok(kept(R("'excludes':{'minKernel':'6.2'}"), &t) == 1, "excludes.minKernel 6.2 on 6.1");
	ok(kept(R("'excludes':{'minKernel':'4.8'}"), &t) == 0, "excludes.minKernel 4.8 on 6.1");
	ok(kept(R("'includes':{'caps':['CAP_SYS_ADMIN'],'arches':['arm64']}"), &t) == 0,
	   "includes: every condition must hold");
	ok(kept(R("'includes':{},'excludes':{'caps':[],'arches':[]}"), &none) == 1,
	   "empty includes/excludes need no target");
	ok(kept(R("'includes':{'caps':['CAP_SYS_ADMIN']}"), &none) == -1 &&
		   kept(R("'excludes':{'arches':['amd64']}"), &none) == -1 &&
		   kept(R("'includes':{'minKernel':'4.8'}"), &none) == -1,
	   "conditions without the target part they need are refused");
#undef R
	strv_free(&t.caps);
}

static void test_arch_map(void)
{
	static const char in[] =
		"{'defaultAction':'SCMP_ACT_ERRNO','archMap':[{'architecture':'SCMP_ARCH_AARCH64',"
		"'subArchitectures':['SCMP_ARCH_ARM']},{'architecture':'SCMP_ARCH_X86_64',"
		"'subArchitectures':['SCMP_ARCH_X86','SCMP_ARCH_X32']}]}";
	struct spo_options o = { .name = "x", .api = "v1", .target.arch = "amd64" };
	char *msg, *got;
	int ret;

	got = export(in, &o, &msg, &ret);
	ok(got && strstr(got, "  architectures:\n    - \"SCMP_ARCH_X86_64\"\n    - "
				"\"SCMP_ARCH_X86\"\n    - \"SCMP_ARCH_X32\"\n"),
	   "archMap resolved for amd64");
	free(got);
	o.target.arch = "riscv64";
	got = export(in, &o, &msg, &ret);
	ok(got && !strstr(got, "architectures"), "no archMap entry: no architectures (native)");
	free(got);
	o.target.arch = NULL;
	got = export(in, &o, &msg, &ret);
	refused_with(ret, msg, "`archMap`", "archMap without --arch");
	free(got);
}

static void refusal(const char *json, const struct spo_target *t, const char *needle,
		    const char *why)
{
	struct spo_options o = { .name = "x", .api = "v1" };
	char *msg, *got;
	int ret;

	if (t)
		o.target = *t;
	got = export(json, &o, &msg, &ret);
	ok(got == NULL, "nothing returned when refusing %s", why);
	free(got);
	refused_with(ret, msg, needle, why);
}

static void test_refusals(void)
{
	struct spo_target eperm = { .default_eperm = true };
	struct spo_options o = { .name = "x", .api = "v1" };
	char *msg, *got;
	int ret;

	refusal("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38}", NULL,
		"`defaultErrnoRet` 38 (ENOSYS)", "defaultErrnoRet 38");
	refusal("{'defaultAction':'SCMP_ACT_TRACE','defaultErrno':'ENOSYS'}", NULL,
		"`defaultErrnoRet` 38", "defaultErrno ENOSYS alone");
	got = export("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38}",
		     &(struct spo_options){ .name = "x", .api = "v1", .target = eperm }, &msg, &ret);
	ok(got && !strstr(got, "38"), "--default-eperm drops defaultErrnoRet 38");
	free(got);
	got = export("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':1,'defaultErrno':'EPERM'}",
		     &o, &msg, &ret);
	ok(got != NULL, "defaultErrnoRet 1 (EPERM, the engines' default) is dropped");
	free(got);
	refusal("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':1,'defaultErrno':'ENOSYS'}",
		&eperm, "says 38, the number 1", "a name that disagrees with its number");
	refusal("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrno':'ENOPE'}", &eperm,
		"`ENOPE` is not an errno name", "an unknown errno name");
	refusal("{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86_64'],"
		"'archMap':[{'architecture':'SCMP_ARCH_X86_64','subArchitectures':[]}]}",
		&(struct spo_target){ .arch = "amd64" }, "both `architectures` and `archMap`",
		"architectures with archMap");
	refusal("{'defaultAction':'SCMP_ACT_ERRNO','flags':['SECCOMP_FILTER_FLAG_NEW_LISTENER']}",
		NULL, "`SECCOMP_FILTER_FLAG_NEW_LISTENER`", "a flag outside the enum");
	refusal("{'defaultAction':'SCMP_ACT_ERRNO','listenerPath':'/run/agent.sock'}", NULL,
		"`listenerPath` `/run/agent.sock`", "a listenerPath outside the pattern");
	refusal("{'defaultAction':'SCMP_ACT_ERRNO','listenerPath':"
		"'/var/run/security-profiles-operator/a/b'}",
		NULL, "`listenerPath`", "a listenerPath in a subdirectory");
	refusal(WITH_RULE("{'names':['read'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,"
			  "'value':18446744073709551615,'op':'SCMP_CMP_EQ'}]}"),
		NULL, "`args[0]` has a number beyond", "a value beyond int64");
	refusal(WITH_RULE("{'names':['read'],'name':'write','action':'SCMP_ACT_ALLOW'}"), NULL,
		"both `name` and `names`", "name with names");
	refusal(WITH_RULE("{'names':['bpf'],'action':'SCMP_ACT_ALLOW','includes':{'caps':"
			  "['CAP_BPF']}}"),
		NULL, "`syscalls[0]` (`bpf`) has `includes.caps`", "includes.caps without --caps");
	refusal(WITH_RULE("{'names':['bpf'],'action':'SCMP_ACT_ALLOW','excludes':{'minKernel':"
			  "'4.x'}}"),
		&(struct spo_target){ .kernel_set = true, .kernel_major = 6 }, "`4.x` is not a version",
		"a minKernel that is no version");
	got = export(WITH_RULE("{'names':['read'],'action':'SCMP_ACT_ALLOW','args':["
			       "{'index':0,'value':1,'op':'SCMP_CMP_EQ'},{'index':1,'value':1,'op':'SCMP_CMP_EQ'},"
			       "{'index':2,'value':1,'op':'SCMP_CMP_EQ'},{'index':3,'value':1,'op':'SCMP_CMP_EQ'},"
			       "{'index':4,'value':1,'op':'SCMP_CMP_EQ'},{'index':5,'value':1,'op':'SCMP_CMP_EQ'},"
			       "{'index':5,'value':2,'op':'SCMP_CMP_EQ'}]}"),
		     &o, &msg, &ret);
	refused_with(ret, msg, "at most 6", "seven args");
	free(got);
	got = export("{'defaultAction':'SCMP_ACT_ERRNO'}",
		     &(struct spo_options){ .name = "Bad", .api = "v1" }, &msg, &ret);
	refused_with(ret, msg, "`Bad`", "a bad name passed to the library");
	free(got);
}

static void test_action_guard(void)
{
	struct spo_options o = { .name = "x", .api = "v1" };
	struct profile p;
	hook_error_t err = NULL;
	char *out = NULL;
	size_t len;
	int ret;

	/* The reader refuses unknown actions; the conversion checks anyway. */
	parse_or_die(WITH_RULE("{'names':['read'],'action':'SCMP_ACT_ALLOW'}"), &p);
	free(p.rules[0].action);
	p.rules[0].action = strdup("SCMP_ACT_USER_NOTIF");
	ret = profile_spo_yaml(&p, &o, &out, &len, &err);
	refused_with(ret, ret < 0 ? hook_error_string(err) : NULL, "`SCMP_ACT_USER_NOTIF`",
		     "an action outside the enum");
	hook_error_release(&err);
	profile_free(&p);
	/* The reader takes only architectures libseccomp 2.5 knows, all in the
	 * CRD's enum; a newer libseccomp knows more. */
	parse_or_die("{'defaultAction':'SCMP_ACT_ERRNO','architectures':['SCMP_ARCH_X86']}", &p);
	free(p.architectures.v[0]);
	p.architectures.v[0] = strdup("SCMP_ARCH_LOONGARCH64");
	ret = profile_spo_yaml(&p, &o, &out, &len, &err);
	refused_with(ret, ret < 0 ? hook_error_string(err) : NULL, "`SCMP_ARCH_LOONGARCH64`",
		     "an architecture outside the enum");
	hook_error_release(&err);
	profile_free(&p);
	/* Nor does it take comparisons libseccomp lacks. */
	parse_or_die(WITH_RULE("{'names':['read'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,"
			       "'value':1,'op':'SCMP_CMP_EQ'}]}"), &p);
	free(p.rules[0].args[0].op);
	p.rules[0].args[0].op = strdup("SCMP_CMP_BITS");
	ret = profile_spo_yaml(&p, &o, &out, &len, &err);
	refused_with(ret, ret < 0 ? hook_error_string(err) : NULL, "`args[0].op` `SCMP_CMP_BITS`",
		     "an op outside the enum");
	hook_error_release(&err);
	profile_free(&p);
	/* The reader bounds errnoRet to 4095; the CRD's int32 is checked anyway. */
	parse_or_die(WITH_RULE("{'names':['read'],'action':'SCMP_ACT_ERRNO','errnoRet':1}"), &p);
	p.rules[0].errno_ret = 4294967296ULL;
	ret = profile_spo_yaml(&p, &o, &out, &len, &err);
	refused_with(ret, ret < 0 ? hook_error_string(err) : NULL, "`errnoRet` 4294967296 is beyond the CRD's int32",
		     "errnoRet beyond int32");
	hook_error_release(&err);
	profile_free(&p);
}

int main(void)
{
	test_quote();
	test_names();
	test_target_options();
	test_golden();
	test_conditions();
	test_arch_map();
	test_refusals();
	test_action_guard();
	return tap_done();
}
