// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "cleanup.h"
#include "profile/profile_merge.h"

/* Higher lets more run; equal ranks are told apart by name. */
static int action_rank(const char *action)
{
	static const char *const order[] = {
		"SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL",
		"SCMP_ACT_TRAP",	 "SCMP_ACT_ERRNO",	 "SCMP_ACT_TRACE",
		"SCMP_ACT_NOTIFY",	 "SCMP_ACT_LOG",	 "SCMP_ACT_ALLOW",
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (strcmp(action, order[i]) == 0)
			return (int)i;
	return -1;
}

static int cmp_nullable(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Orders inputs so the first is the one whose scalars the union keeps:
 * most permissive default, then lowest errno (absent last), then the
 * smallest defaultErrno text; what remains equal does not matter. */
static int representative_cmp(const struct profile *a, const struct profile *b)
{
	int d = action_rank(b->default_action) - action_rank(a->default_action);

	if (d)
		return d;
	d = strcmp(a->default_action, b->default_action);
	if (d)
		return d;
	if (PROFILE_HAS(a, PF_DEFAULT_ERRNO) != PROFILE_HAS(b, PF_DEFAULT_ERRNO))
		return PROFILE_HAS(a, PF_DEFAULT_ERRNO) ? -1 : 1;
	if (PROFILE_HAS(a, PF_DEFAULT_ERRNO) && a->default_errno_ret != b->default_errno_ret)
		return a->default_errno_ret < b->default_errno_ret ? -1 : 1;
	return cmp_nullable(PROFILE_HAS(a, PF_DEFAULT_ERRNO_NAME) ? a->default_errno_name : NULL,
			    PROFILE_HAS(b, PF_DEFAULT_ERRNO_NAME) ? b->default_errno_name : NULL);
}


static int merge_listener(struct profile *out, const struct profile *in, unsigned bit, char **slot,
			  const char *value, const char *key, hook_error_t *err)
{
	if (!PROFILE_HAS(in, bit))
		return 0;
	if (*slot && strcmp(*slot, value) != 0)
		return hook_make_error(err, 0, "inputs disagree on `%s` (`%s` and `%s`)", key,
				       *slot, value);
	if (!*slot)
		*slot = xstrdup(value);
	out->present |= bit;
	return 0;
}

static struct profile_arch_map *arch_map_entry(struct profile *p, const char *arch)
{
	struct profile_arch_map *m;

	for (size_t i = 0; i < p->n_arch_map; i++)
		if (strcmp(p->arch_map[i].architecture, arch) == 0)
			return &p->arch_map[i];
	p->arch_map = xrealloc(p->arch_map, (p->n_arch_map + 1) * sizeof(*p->arch_map));
	m = &p->arch_map[p->n_arch_map++];
	memset(m, 0, sizeof(*m));
	m->architecture = xstrdup(arch);
	return m;
}

/* Whether the archMap enables `arch` on this machine already. */
static bool arch_map_covers(const struct profile *p, const char *arch, const char *native_arch)
{
	if (strcmp(arch, native_arch) == 0)
		return true;
	for (size_t i = 0; i < p->n_arch_map; i++)
		if (strcmp(p->arch_map[i].architecture, native_arch) == 0)
			return strv_contains(&p->arch_map[i].sub_arches, arch);
	return false;
}

static int cmp_arch_map(const void *a, const void *b)
{
	return strcmp(((const struct profile_arch_map *)a)->architecture,
		      ((const struct profile_arch_map *)b)->architecture);
}

static void merge_arches(struct profile *out, const struct profile *in, size_t n,
			 const char *native_arch)
{
	for (size_t i = 0; i < n; i++) {
		if (PROFILE_HAS(&in[i], PF_ARCHITECTURES)) {
			out->present |= PF_ARCHITECTURES;
			strv_union(&out->architectures, &in[i].architectures);
		}
		if (!PROFILE_HAS(&in[i], PF_ARCH_MAP))
			continue;
		out->present |= PF_ARCH_MAP;
		for (size_t j = 0; j < in[i].n_arch_map; j++) {
			const struct profile_arch_map *src = &in[i].arch_map[j];
			struct profile_arch_map *m = arch_map_entry(out, src->architecture);

			if (src->present & MF_SUB_ARCHES)
				m->present |= MF_SUB_ARCHES;
			strv_union(&m->sub_arches, &src->sub_arches);
		}
	}
	/* Engines refuse `architectures` beside `archMap`: the map keeps
	 * what the list allowed, as sub-architectures of the native entry. */
	if ((out->present & PF_ARCH_MAP) && (out->present & PF_ARCHITECTURES)) {
		for (size_t i = 0; i < out->architectures.n; i++) {
			const char *a = out->architectures.v[i];
			struct profile_arch_map *m;

			if (arch_map_covers(out, a, native_arch))
				continue;
			m = arch_map_entry(out, native_arch);
			m->present |= MF_SUB_ARCHES;
			strv_union(&m->sub_arches, &(struct strv){ .v = (char **)&a, .n = 1 });
		}
		strv_free(&out->architectures);
		out->present &= ~(unsigned)PF_ARCHITECTURES;
	}
	if (out->n_arch_map > 1)
		qsort(out->arch_map, out->n_arch_map, sizeof(*out->arch_map), cmp_arch_map);
}

struct rule_group {
	char *key;
	struct profile_rule rule;
};

static int cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct rule_group *)a)->key, ((const struct rule_group *)b)->key);
}

/* Rules equal but for their names become one group: `name` joins `names`. */
static void group_rules(const struct profile *in, size_t n, struct rule_group **out, size_t *n_out)
{
	struct rule_group *g = NULL;
	size_t ng = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < in[i].n_rules; j++) {
			const struct profile_rule *r = &in[i].rules[j];
			char *key = profile_rule_key(r, ~(unsigned)(RF_NAMES | RF_NAME), true);
			struct rule_group *hit = NULL;

			for (size_t k = 0; k < ng && !hit; k++)
				if (strcmp(g[k].key, key) == 0)
					hit = &g[k];
			if (hit) {
				free(key);
			} else {
				g = xrealloc(g, (ng + 1) * sizeof(*g));
				hit = &g[ng++];
				hit->key = key;
				profile_rule_copy(&hit->rule, r);
				strv_free(&hit->rule.names);
				free(hit->rule.name);
				hit->rule.name = NULL;
				hit->rule.present =
					(hit->rule.present & ~(unsigned)RF_NAME) | RF_NAMES;
				hit->rule.nulls &= ~(unsigned)(RF_NAMES | RF_NAME);
			}
			strv_union(&hit->rule.names, &r->names);
			if (r->name)
				strv_union(&hit->rule.names,
					   &(struct strv){ .v = (char **)&r->name, .n = 1 });
		}
	}
	if (ng > 1)
		qsort(g, ng, sizeof(*g), cmp_group);
	*out = g;
	*n_out = ng;
}

/* A rule with no conditions at all overrides, in the engine, every rule
 * with conditions for the same syscall. */
static bool plain_deny(const struct profile *p, const char *name)
{
	for (size_t i = 0; i < p->n_rules; i++)
		if (profile_rule_names(&p->rules[i], name) &&
		    !profile_action_allows(p->rules[i].action) &&
		    profile_rule_unconditional(&p->rules[i]))
			return true;
	return false;
}

/* Input `p` lets `name` run whatever the conditions. */
static bool allows_everywhere(const struct profile *p, const char *name)
{
	bool plain_allow = false, named_otherwise = false;

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct profile_rule *r = &p->rules[i];

		if (!profile_rule_names(r, name))
			continue;
		if (!profile_action_allows(r->action))
			named_otherwise = true;
		else if (profile_rule_unconditional(r))
			plain_allow = true;
	}
	if (plain_allow)
		return !plain_deny(p, name);
	return profile_action_allows(p->default_action) && !named_otherwise;
}

/* Input `p` lets `name` run under some conditions at least. */
static bool allows_somewhere(const struct profile *p, const char *name)
{
	if (plain_deny(p, name))
		return false;
	if (profile_action_allows(p->default_action))
		return true;
	for (size_t i = 0; i < p->n_rules; i++)
		if (profile_rule_names(&p->rules[i], name) &&
		    profile_action_allows(p->rules[i].action))
			return true;
	return false;
}

static bool any_input(const struct profile *in, size_t n, const char *name,
		      bool (*pred)(const struct profile *, const char *))
{
	for (size_t i = 0; i < n; i++)
		if (pred(&in[i], name))
			return true;
	return false;
}

/* No rule denies what some input allows: a deny with no conditions (which
 * would override the allowing input's conditional rules) gives way to any
 * input that allows the syscall at all; a conditional deny to an input that
 * allows it everywhere. A syscall dropped from a deny rule falls to the
 * default action, so a denial may change its errno. An unconditional allow
 * names each syscall once (in the first such rule). */
static void prune_groups(const struct profile *in, size_t n, struct rule_group *g, size_t *ng)
{
	size_t out = 0;

	for (size_t k = 0; k < *ng; k++) {
		struct profile_rule *r = &g[k].rule;
		bool plain_allow =
			profile_action_allows(r->action) && profile_rule_unconditional(r);
		bool had_names = r->names.n > 0;

		for (size_t i = 0; i < r->names.n;) {
			const char *name = r->names.v[i];
			bool drop = false;

			if (!profile_action_allows(r->action)) {
				drop = any_input(in, n, name,
						 profile_rule_unconditional(r) ? allows_somewhere
									       : allows_everywhere);
			} else if (plain_allow) {
				for (size_t e = 0; e < out && !drop; e++)
					drop = profile_action_allows(g[e].rule.action) &&
					       profile_rule_unconditional(&g[e].rule) &&
					       strv_contains(&g[e].rule.names, name);
			}
			if (drop)
				strv_remove_at(&r->names, i);
			else
				i++;
		}
		if (had_names && r->names.n == 0) {
			free(g[k].key);
			profile_rule_free(r);
			continue;
		}
		g[out++] = g[k];
	}
	*ng = out;
}

int profile_merge(const struct profile *in, size_t n, const char *native_arch, struct profile *out,
		  hook_error_t *err)
{
	const struct profile *rep = &in[0];
	struct rule_group *g = NULL;
	struct profile p = { 0 };
	size_t ng = 0;
	int ret = 0;

	for (size_t i = 1; i < n; i++)
		if (representative_cmp(&in[i], rep) < 0)
			rep = &in[i];
	p.default_action = xstrdup(rep->default_action);
	if (PROFILE_HAS(rep, PF_DEFAULT_ERRNO)) {
		p.present |= PF_DEFAULT_ERRNO;
		p.default_errno_ret = rep->default_errno_ret;
	}
	if (PROFILE_HAS(rep, PF_DEFAULT_ERRNO_NAME)) {
		p.present |= PF_DEFAULT_ERRNO_NAME;
		p.default_errno_name = xstrdup(rep->default_errno_name);
	}
	for (size_t i = 0; i < n && ret == 0; i++) {
		ret = merge_listener(&p, &in[i], PF_LISTENER_PATH, &p.listener_path,
				     in[i].listener_path, "listenerPath", err);
		if (ret == 0)
			ret = merge_listener(&p, &in[i], PF_LISTENER_METADATA, &p.listener_metadata,
					     in[i].listener_metadata, "listenerMetadata", err);
		if (PROFILE_HAS(&in[i], PF_FLAGS)) {
			p.present |= PF_FLAGS;
			strv_union(&p.flags, &in[i].flags);
		}
	}
	if (ret < 0) {
		profile_free(&p);
		return ret;
	}
	merge_arches(&p, in, n, native_arch);

	group_rules(in, n, &g, &ng);
	prune_groups(in, n, g, &ng);
	p.present |= PF_SYSCALLS;
	p.rules = ng ? xmalloc(ng * sizeof(*p.rules)) : NULL;
	for (size_t k = 0; k < ng; k++) {
		p.rules[k] = g[k].rule;
		free(g[k].key);
	}
	p.n_rules = ng;
	free(g);
	*out = p;
	return 0;
}
