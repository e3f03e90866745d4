// SPDX-License-Identifier: Apache-2.0
/* A profile as a Security Profiles Operator SeccompProfile object in YAML.
 * What is dropped, resolved or refused, and why, is in profile_spo.h. The
 * YAML is written by hand (no run-time dependency beyond DESIGN.md's): every
 * string is a double-quoted scalar whose escapes are a subset common to YAML
 * 1.1 and 1.2, so any YAML parser reads back exactly the strings we had. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "profile/capabilities.h"
#include "profile/profile_spo.h"

/* The CRD's enums (v1 and v1beta1 have the same ones). */
static const char *const crd_actions[] = {
	"SCMP_ACT_KILL",  "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD",
	"SCMP_ACT_TRAP",  "SCMP_ACT_ERRNO",	   "SCMP_ACT_TRACE",
	"SCMP_ACT_ALLOW", "SCMP_ACT_LOG",	   "SCMP_ACT_NOTIFY",
	NULL,
};
static const char *const crd_arches[] = {
	"SCMP_ARCH_NATIVE",  "SCMP_ARCH_X86",	      "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",
	"SCMP_ARCH_ARM",     "SCMP_ARCH_AARCH64",     "SCMP_ARCH_MIPS",	    "SCMP_ARCH_MIPS64",
	"SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",    "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32",
	"SCMP_ARCH_PPC",     "SCMP_ARCH_PPC64",	      "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",
	"SCMP_ARCH_S390X",   "SCMP_ARCH_PARISC",      "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",
	NULL,
};
static const char *const crd_flags[] = {
	"SECCOMP_FILTER_FLAG_TSYNC",
	"SECCOMP_FILTER_FLAG_LOG",
	"SECCOMP_FILTER_FLAG_SPEC_ALLOW",
	"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
	NULL,
};
static const char *const crd_ops[] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",	    "SCMP_CMP_EQ",
	"SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ", NULL,
};
/* listenerPath must match ^/var/run/security-profiles-operator/[a-zA-Z0-9_\-\.]+$ */
#define CRD_LISTENER_DIR "/var/run/security-profiles-operator/"
/* errnoRet and args[].index are int32, args[].value(Two) int64, all >= 0. */
#define CRD_INT32_MAX 2147483647ULL
#define CRD_INT64_MAX 9223372036854775807ULL
#define CRD_MAX_ARGS  6
/* What runc, crun, containers/common and moby use when no errno is given. */
#define ENGINE_DEFAULT_ERRNO 1 /* EPERM */

static bool in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/* ---- arguments: name, API version, target ---- */

static bool dns_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* Kubernetes' IsDNS1123Subdomain: [a-z0-9]([-a-z0-9]*[a-z0-9])? labels
 * joined by dots, at most 253 characters. */
int spo_check_name(const char *name, hook_error_t *err)
{
	size_t n = strlen(name);

	if (n == 0 || n > SPO_NAME_MAX)
		goto bad;
	for (size_t i = 0; i < n; i++) {
		bool edge = i == 0 || i == n - 1 || name[i - 1] == '.' || name[i + 1] == '.';

		if (dns_label_char(name[i]))
			continue;
		if (edge || (name[i] != '-' && name[i] != '.'))
			goto bad;
	}
	return 0;
bad:
	return hook_make_error(err, 0,
			       "--spo `%.300s` is not a Kubernetes object name (lowercase letters, "
			       "digits, `-` and `.`, starting and ending with a letter or digit, "
			       "at most %d characters)",
			       name, SPO_NAME_MAX);
}

int spo_check_api(const char *api, hook_error_t *err)
{
	if (strcmp(api, "v1") == 0 || strcmp(api, "v1beta1") == 0)
		return 0;
	return hook_make_error(err, 0, "--api must be `v1` or `v1beta1`, not `%.100s`", api);
}

int spo_parse_caps(const char *list, struct strv *out, hook_error_t *err)
{
	cleanup_free char *copy = xstrdup(list);
	char *save = NULL;

	if (strcmp(list, "none") == 0)
		return 0;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		cleanup_free char *name = NULL;

		xasprintf(&name, "%s%s", strncasecmp(tok, "CAP_", 4) == 0 ? "" : "CAP_", tok);
		for (char *c = name; *c; c++)
			*c = (char)toupper((unsigned char)*c);
		if (caps_value(name) < 0)
			return hook_make_error(err, 0, "--caps: `%.100s` is not a capability", tok);
		if (!strv_contains(out, name))
			strv_add(out, name);
	}
	if (out->n == 0)
		return hook_make_error(err, 0, "--caps: empty list (say `none` for no capabilities)");
	return 0;
}

/* A decimal number of at most 5 digits at *s, moving *s past it. */
static bool parse_unsigned(const char **s, unsigned *out)
{
	unsigned v = 0;
	int n = 0;

	for (; isdigit((unsigned char)**s) && n < 6; (*s)++, n++)
		v = v * 10 + (unsigned)(**s - '0');
	*out = v;
	return n > 0 && n < 6;
}

/* Strict MAJOR.MINOR[.PATCH...] as engines read minKernel. */
static bool parse_version(const char *s, unsigned *major, unsigned *minor)
{
	unsigned patch;

	if (!parse_unsigned(&s, major) || *s++ != '.' || !parse_unsigned(&s, minor))
		return false;
	while (*s == '.') {
		s++;
		if (!parse_unsigned(&s, &patch))
			return false;
	}
	return *s == '\0';
}

int spo_parse_kernel(const char *s, unsigned *major, unsigned *minor, hook_error_t *err)
{
	if (!parse_version(s, major, minor))
		return hook_make_error(err, 0, "--kernel `%.100s` is not a version like 6.1", s);
	return 0;
}

const char *spo_scmp_arch(const char *go_arch)
{
	/* containers/common's goArchToSeccompArchMap. */
	static const char *const map[][2] = {
		{ "386", "SCMP_ARCH_X86" },	      { "amd64", "SCMP_ARCH_X86_64" },
		{ "amd64p32", "SCMP_ARCH_X32" },     { "arm", "SCMP_ARCH_ARM" },
		{ "arm64", "SCMP_ARCH_AARCH64" },    { "mips", "SCMP_ARCH_MIPS" },
		{ "mips64", "SCMP_ARCH_MIPS64" },    { "mips64le", "SCMP_ARCH_MIPSEL64" },
		{ "mips64p32", "SCMP_ARCH_MIPS64N32" }, { "mips64p32le", "SCMP_ARCH_MIPSEL64N32" },
		{ "mipsle", "SCMP_ARCH_MIPSEL" },    { "ppc", "SCMP_ARCH_PPC" },
		{ "ppc64", "SCMP_ARCH_PPC64" },	      { "ppc64le", "SCMP_ARCH_PPC64LE" },
		{ "riscv64", "SCMP_ARCH_RISCV64" },  { "s390", "SCMP_ARCH_S390" },
		{ "s390x", "SCMP_ARCH_S390X" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(go_arch, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* ---- YAML scalars ---- */

/* One code point from UTF-8 at *s (advanced past it); -1 if malformed,
 * overlong, a surrogate or beyond U+10FFFF. */
static long utf8_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	int n = p[0] >= 0xf0 ? 3 : p[0] >= 0xe0 ? 2 : 1;
	static const long min[] = { 0, 0x80, 0x800, 0x10000 };
	long cp;

	if (p[0] < 0x80) {
		*s = p + 1;
		return p[0];
	}
	if (p[0] < 0xc2 || p[0] > 0xf4)
		return -1;
	cp = p[0] & (0x3f >> n);
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if (cp < min[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*s = p + n + 1;
	return cp;
}

int spo_yaml_quote(FILE *f, const char *s, hook_error_t *err)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		long cp = utf8_next(&p);

		/* The bytes themselves stay out of the message: they are not text. */
		if (cp < 0)
			return hook_make_error(err, 0, "a string is not valid UTF-8 (byte %zu)",
					       (size_t)(p - (const unsigned char *)s));
		if (cp == '"' || cp == '\\')
			fprintf(f, "\\%c", (int)cp);
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\t')
			fputs("\\t", f);
		else if (cp >= 0x20 && cp < 0x7f)
			fputc((int)cp, f);
		else if (cp <= 0xffff)
			fprintf(f, "\\u%04lx", cp);
		else
			fprintf(f, "\\U%08lx", cp);
	}
	fputc('"', f);
	return 0;
}

/* A YAML comment line: printable ASCII only, the rest as \u escapes. */
static void yaml_comment(FILE *f, const char *indent, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;

	fprintf(f, "%s# ", indent);
	while (*p) {
		long cp = utf8_next(&p);

		if (cp < 0)
			cp = *p++;
		if (cp >= 0x20 && cp < 0x7f)
			fputc((int)cp, f);
		else
			fprintf(f, "\\u%04lx", cp);
	}
	fputc('\n', f);
}

/* ---- errno numbers ---- */

/* glibc's name for the errno value, so `EPERM` is 1; -1 if none. */
static long errno_by_name(const char *name)
{
	for (int e = 1; e < 4096; e++) {
		const char *n = strerrorname_np(e);

		if (n && strcmp(n, name) == 0)
			return e;
	}
	return -1;
}

/* The errno a number field and a name field (containers/common) say
 * together, into *val (*have false if neither is there). */
static int errno_of(bool has_num, uint64_t num, const char *name, const char *where,
		    bool *have, uint64_t *val, hook_error_t *err)
{
	long byname = name ? errno_by_name(name) : 0;

	*have = has_num || name;
	*val = has_num ? num : (uint64_t)byname;
	if (name && byname < 0)
		return hook_make_error(err, 0, "%s: `%.100s` is not an errno name", where, name);
	if (name && has_num && num != (uint64_t)byname)
		return hook_make_error(err, 0, "%s: the name `%s` says %ld, the number %" PRIu64,
				       where, name, byname, num);
	if (*have && *val > CRD_INT32_MAX)
		return hook_make_error(err, 0, "%s %" PRIu64 " is beyond the CRD's int32", where,
				       *val);
	return 0;
}

static bool action_uses_errno(const char *action)
{
	return strcmp(action, "SCMP_ACT_ERRNO") == 0 || strcmp(action, "SCMP_ACT_TRACE") == 0;
}

/* The CRD has no defaultErrnoRet: without it engines use EPERM. */
static int check_default_errno(const struct profile *p, const struct spo_target *t,
			       hook_error_t *err)
{
	bool have;
	uint64_t v;
	int ret;

	ret = errno_of(PROFILE_HAS(p, PF_DEFAULT_ERRNO), p->default_errno_ret,
		       PROFILE_HAS(p, PF_DEFAULT_ERRNO_NAME) ? p->default_errno_name : NULL,
		       "`defaultErrnoRet`", &have, &v, err);
	if (ret < 0 || !have || v == ENGINE_DEFAULT_ERRNO || t->default_eperm ||
	    !action_uses_errno(p->default_action))
		return ret;
	return hook_make_error(err, 0,
			       "`defaultErrnoRet` %" PRIu64 " (%s): the SeccompProfile CRD has no "
			       "such field, and without it syscalls outside the profile fail with "
			       "EPERM; record with `errno:EPERM`, or pass --default-eperm to accept "
			       "that",
			       v, strerrorname_np((int)v) ? strerrorname_np((int)v) : "?");
}

/* ---- includes/excludes, evaluated for the target ---- */

static int need_target(const char *where, const char *key, const char *field,
		       const char *option, hook_error_t *err)
{
	return hook_make_error(err, 0,
			       "%s has `%s.%s`, a condition the SeccompProfile CRD cannot express; "
			       "give %s (the target containers') to resolve it",
			       where, key, field, option);
}

/* `any`: whether one of f's capabilities is in the bounding set (excludes);
 * else whether all are (includes). */
static bool caps_hold(const struct profile_filter *f, const struct spo_target *t, bool any)
{
	for (size_t i = 0; i < f->caps.n; i++)
		if (strv_contains(&t->caps, f->caps.v[i]) == any)
			return any;
	return !any;
}

/* Like containers/common and moby: includes hold if all their conditions
 * do (`any` false), excludes hit if any of theirs does (`any` true). */
static int filter_eval(const struct profile_filter *f, bool any, const char *where,
		       const char *key, const struct spo_target *t, bool *result, hook_error_t *err)
{
	const char *mk = profile_filter_min_kernel(f);
	bool vals[3];
	unsigned maj, min;
	int n = 0;

	if (f->arches.n > 0) {
		if (!t->arch)
			return need_target(where, key, "arches", "--arch", err);
		vals[n++] = strv_contains(&f->arches, t->arch);
	}
	if (f->caps.n > 0) {
		if (!t->caps_set)
			return need_target(where, key, "caps", "--caps", err);
		vals[n++] = caps_hold(f, t, any);
	}
	if (mk) {
		if (!t->kernel_set)
			return need_target(where, key, "minKernel", "--kernel", err);
		if (!parse_version(mk, &maj, &min))
			return hook_make_error(err, 0, "%s: `%s.minKernel` `%.100s` is not a version",
					       where, key, mk);
		vals[n++] = t->kernel_major > maj || (t->kernel_major == maj && t->kernel_minor >= min);
	}
	*result = !any;
	for (int i = 0; i < n; i++)
		if (vals[i] == any)
			*result = any;
	return 0;
}

/* Whether an engine would use rule `r` for the target. */
static int rule_applies(const struct profile_rule *r, const char *where,
			const struct spo_target *t, bool *applies, hook_error_t *err)
{
	bool inc = true, exc = false;

	if (PROFILE_HAS(r, RF_INCLUDES) &&
	    filter_eval(&r->includes, false, where, "includes", t, &inc, err) < 0)
		return -1;
	if (PROFILE_HAS(r, RF_EXCLUDES) &&
	    filter_eval(&r->excludes, true, where, "excludes", t, &exc, err) < 0)
		return -1;
	*applies = inc && !exc;
	return 0;
}

/* ---- emitting ---- */

static int emit_strings(FILE *f, const char *indent, const struct strv *sv, const char *what,
			hook_error_t *err)
{
	for (size_t i = 0; i < sv->n; i++) {
		fprintf(f, "%s- ", indent);
		if (spo_yaml_quote(f, sv->v[i], err) < 0)
			return hook_error_wrap(err, "%s", what);
		fputc('\n', f);
	}
	return 0;
}

/* Each member of `sv` once, in order, into `out`; every one in `allowed`
 * (if given) or a refusal naming `field`. */
static int unique_checked(const struct strv *sv, const char *const *allowed, const char *field,
			  struct strv *out, hook_error_t *err)
{
	for (size_t i = 0; i < sv->n; i++) {
		if (allowed && !in_list(allowed, sv->v[i]))
			return hook_make_error(err, 0,
					       "%s: `%.100s` is not a value the SeccompProfile CRD "
					       "allows",
					       field, sv->v[i]);
		if (!strv_contains(out, sv->v[i]))
			strv_add(out, sv->v[i]);
	}
	return 0;
}

static int emit_args(FILE *f, const struct profile_rule *r, const char *where, hook_error_t *err)
{
	if (r->n_args > CRD_MAX_ARGS)
		return hook_make_error(err, 0, "%s: %zu `args`, the CRD allows at most %d", where,
				       r->n_args, CRD_MAX_ARGS);
	fputs("      args:\n", f);
	for (size_t i = 0; i < r->n_args; i++) {
		const struct profile_arg *a = &r->args[i];
		bool two = PROFILE_HAS(a, AF_VALUE_TWO);

		if (!a->op || !in_list(crd_ops, a->op))
			return hook_make_error(err, 0, "%s: `args[%zu].op` `%.100s` is not a value "
					       "the SeccompProfile CRD allows", where, i,
					       a->op ? a->op : "(none)");
		if (a->index > CRD_INT32_MAX || a->value > CRD_INT64_MAX ||
		    (two && a->value_two > CRD_INT64_MAX))
			return hook_make_error(err, 0, "%s: `args[%zu]` has a number beyond the "
					       "CRD's int32 index or int64 values", where, i);
		fprintf(f, "        - index: %" PRIu64 "\n", a->index);
		if (PROFILE_HAS(a, AF_VALUE))
			fprintf(f, "          value: %" PRIu64 "\n", a->value);
		if (two)
			fprintf(f, "          valueTwo: %" PRIu64 "\n", a->value_two);
		fprintf(f, "          op: \"%s\"\n", a->op);
	}
	return 0;
}

/* The rule's syscalls (`name` or `names`, each once) into `names`. */
static int rule_names(const struct profile_rule *r, const char *where, struct strv *names,
		      hook_error_t *err)
{
	bool has_names = PROFILE_HAS(r, RF_NAMES) && r->names.n > 0;
	bool has_name = PROFILE_HAS(r, RF_NAME) && r->name && r->name[0];

	if (has_names && has_name)
		return hook_make_error(err, 0, "%s has both `name` and `names`, which engines refuse",
				       where);
	if (has_name)
		strv_add(names, r->name);
	return unique_checked(&r->names, NULL, where, names, err);
}

static int emit_rule(FILE *f, const struct profile_rule *r, const char *where,
		     const struct strv *names, hook_error_t *err)
{
	cleanup_free char *field = NULL;
	bool has_errno;
	uint64_t errno_ret;

	if (!r->action || !in_list(crd_actions, r->action))
		return hook_make_error(err, 0, "%s: `action` `%.100s` is not a value the "
				       "SeccompProfile CRD allows", where,
				       r->action ? r->action : "(none)");
	xasprintf(&field, "%s: `errnoRet`", where);
	if (errno_of(PROFILE_HAS(r, RF_ERRNO), r->errno_ret,
		     PROFILE_HAS(r, RF_ERRNO_NAME) ? r->errno_name : NULL, field, &has_errno,
		     &errno_ret, err) < 0)
		return -1;
	if (PROFILE_HAS(r, RF_COMMENT) && r->comment[0])
		yaml_comment(f, "    ", r->comment);
	fprintf(f, "    - action: \"%s\"\n", r->action);
	if (has_errno)
		fprintf(f, "      errnoRet: %" PRIu64 "\n", errno_ret);
	if (PROFILE_HAS(r, RF_ARGS) && r->n_args > 0 && emit_args(f, r, where, err) < 0)
		return -1;
	fputs("      names:\n", f);
	return emit_strings(f, "        ", names, where, err);
}

/* One rule, if it names a syscall and applies to the target. */
static int convert_rule(FILE *f, const struct profile_rule *r, size_t i,
			const struct spo_target *t, bool *first, hook_error_t *err)
{
	struct strv names = { 0 };
	cleanup_free char *where = NULL;
	bool applies = false;
	int ret;

	xasprintf(&where, "`syscalls[%zu]`", i);
	ret = rule_names(r, where, &names, err);
	if (ret == 0 && names.n > 0) {
		free(where);
		xasprintf(&where, "`syscalls[%zu]` (`%.100s`)", i, names.v[0]);
		ret = rule_applies(r, where, t, &applies, err);
	}
	if (ret == 0 && applies) {
		if (*first)
			fputs("  syscalls:\n", f);
		*first = false;
		ret = emit_rule(f, r, where, &names, err);
	}
	strv_free(&names);
	return ret;
}

/* `architectures`, or the archMap entry of the target's architecture as
 * containers/common resolves it (the two together are refused by engines). */
static int emit_arches(FILE *f, const struct profile *p, const struct spo_target *t,
		       hook_error_t *err)
{
	bool has_list = PROFILE_HAS(p, PF_ARCHITECTURES) && p->architectures.n > 0;
	bool has_map = PROFILE_HAS(p, PF_ARCH_MAP) && p->n_arch_map > 0;
	const char *native = t->arch ? spo_scmp_arch(t->arch) : NULL;
	struct strv all = { 0 }, out = { 0 };
	int ret = 0;

	if (has_list && has_map)
		return hook_make_error(err, 0, "both `architectures` and `archMap`, which engines "
				       "refuse");
	if (has_map && !t->arch)
		return hook_make_error(err, 0, "`archMap` depends on the node's architecture, and "
				       "the SeccompProfile CRD has no such field; give --arch to "
				       "resolve it");
	if (has_list)
		strv_copy(&all, &p->architectures);
	for (size_t i = 0; has_map && i < p->n_arch_map; i++) {
		const struct profile_arch_map *m = &p->arch_map[i];

		if (!native || !m->architecture || strcmp(m->architecture, native) != 0)
			continue;
		strv_add(&all, m->architecture);
		for (size_t j = 0; PROFILE_HAS(m, MF_SUB_ARCHES) && j < m->sub_arches.n; j++)
			strv_add(&all, m->sub_arches.v[j]);
	}
	ret = unique_checked(&all, crd_arches, "`architectures`", &out, err);
	if (ret == 0 && out.n > 0) {
		fputs("  architectures:\n", f);
		ret = emit_strings(f, "    ", &out, "`architectures`", err);
	}
	strv_free(&all);
	strv_free(&out);
	return ret;
}

static int emit_flags_listener(FILE *f, const struct profile *p, hook_error_t *err)
{
	struct strv flags = { 0 };
	int ret = 0;

	if (PROFILE_HAS(p, PF_FLAGS))
		ret = unique_checked(&p->flags, crd_flags, "`flags`", &flags, err);
	if (ret == 0 && flags.n > 0) {
		fputs("  flags:\n", f);
		ret = emit_strings(f, "    ", &flags, "`flags`", err);
	}
	strv_free(&flags);
	if (ret == 0 && PROFILE_HAS(p, PF_LISTENER_PATH)) {
		const char *rest = p->listener_path + strlen(CRD_LISTENER_DIR);

		if (strncmp(p->listener_path, CRD_LISTENER_DIR, strlen(CRD_LISTENER_DIR)) != 0 ||
		    !*rest || strspn(rest, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					   "0123456789_-.") != strlen(rest))
			return hook_make_error(err, 0, "`listenerPath` `%.200s`: the SeccompProfile "
					       "CRD takes only a file directly in %s",
					       p->listener_path, CRD_LISTENER_DIR);
		fprintf(f, "  listenerPath: \"%s\"\n", p->listener_path);
	}
	if (ret == 0 && PROFILE_HAS(p, PF_LISTENER_METADATA)) {
		fputs("  listenerMetadata: ", f);
		ret = spo_yaml_quote(f, p->listener_metadata, err);
		if (ret < 0)
			hook_error_wrap(err, "`listenerMetadata`");
		fputc('\n', f);
	}
	return ret;
}

static int emit_object(FILE *f, const struct profile *p, const struct spo_options *o,
		       hook_error_t *err)
{
	bool first = true;

	if (spo_check_name(o->name, err) < 0 || spo_check_api(o->api, err) < 0)
		return -1;
	if (!p->default_action || !in_list(crd_actions, p->default_action))
		return hook_make_error(err, 0, "`defaultAction` `%.100s` is not a value the "
				       "SeccompProfile CRD allows",
				       p->default_action ? p->default_action : "(none)");
	if (check_default_errno(p, &o->target, err) < 0)
		return -1;
	fprintf(f, "---\napiVersion: %s/%s\nkind: SeccompProfile\nmetadata:\n  name: \"%s\"\n",
		SPO_GROUP, o->api, o->name);
	fprintf(f, "spec:\n  defaultAction: \"%s\"\n", p->default_action);
	if (emit_arches(f, p, &o->target, err) < 0 || emit_flags_listener(f, p, err) < 0)
		return -1;
	for (size_t i = 0; PROFILE_HAS(p, PF_SYSCALLS) && i < p->n_rules; i++)
		if (convert_rule(f, &p->rules[i], i, &o->target, &first, err) < 0)
			return -1;
	return 0;
}

int profile_spo_yaml(const struct profile *p, const struct spo_options *o, char **out,
		     size_t *len, hook_error_t *err)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	int ret;

	if (!f)
		return hook_make_error(err, errno, "cannot allocate the YAML");
	ret = emit_object(f, p, o, err);
	if (fclose(f) != 0 && ret == 0)
		ret = hook_make_error(err, errno, "cannot write the YAML");
	if (ret < 0) {
		free(buf);
		return ret;
	}
	*out = buf;
	*len = n;
	return 0;
}
