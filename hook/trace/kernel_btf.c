// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/btf.h>

#include "cleanup.h"
#include "trace/kernel_btf.h"
#include "util/log.h"
#include "util/safe_file.h"

/* Which members of a kernel struct or union to keep. */
#define KEEP_NONE (-1) /* none: only its size matters (behind a pointer) */
#define KEEP_ALL  0    /* all (an anonymous type such as atomic_t's) */
/* > 0: the local type of that id lists them */

struct trim {
	const struct btf *local, *kern;
	struct btf *out;
	__u32 n;     /* kernel types, ids 1..n-1 */
	__u8 *need;  /* kernel id: emitted */
	int *keep;   /* kernel id of a struct/union: KEEP_* or a local id */
	__u32 *ref;  /* kernel id of a pointer: the pointee kept, 0 for void */
	__u32 *new_id;
};

static bool is_composite(const struct btf_type *t)
{
	return btf_is_struct(t) || btf_is_union(t);
}

/* The local type of the same name and kind as kernel composite `t`. */
static int local_match(const struct trim *tr, const struct btf_type *t)
{
	const char *name = btf__name_by_offset(tr->kern, t->name_off);
	int id;

	if (!name || !*name)
		return -1;
	id = btf__find_by_name_kind(tr->local, name, btf_kind(t));
	return id > 0 ? id : -1;
}

static bool local_has_member(const struct trim *tr, int local_id, const char *name)
{
	const struct btf_type *lt = btf__type_by_id(tr->local, (__u32)local_id);
	const struct btf_member *m = btf_members(lt);

	for (int i = 0; i < btf_vlen(lt); i++, m++)
		if (strcmp(btf__name_by_offset(tr->local, m->name_off), name) == 0)
			return true;
	return false;
}

static bool member_kept(const struct trim *tr, const struct btf_member *m, int keep)
{
	const char *name = btf__name_by_offset(tr->kern, m->name_off);

	if (keep == KEEP_ALL)
		return true;
	if (keep == KEEP_NONE)
		return false;
	/* Anonymous members hold named ones (randomized layouts put most of
	 * task_struct in one): keep them, filtered the same way. */
	return !*name || local_has_member(tr, keep, name);
}

static void mark(struct trim *tr, __u32 id, int keep);

static void mark_composite(struct trim *tr, __u32 id, const struct btf_type *t, int keep)
{
	const struct btf_member *m = btf_members(t);

	tr->keep[id] = keep;
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(tr->kern, m->name_off);

		if (member_kept(tr, m, keep))
			mark(tr, m->type, *name ? KEEP_ALL : keep);
	}
}

/* Skips typedefs and modifiers. */
static __u32 resolve(const struct trim *tr, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(tr->kern, id);

	while (id && (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t))) {
		id = t->type;
		t = btf__type_by_id(tr->kern, id);
	}
	return id;
}

static void mark(struct trim *tr, __u32 id, int keep)
{
	const struct btf_type *t;

	if (id == 0 || id >= tr->n || tr->need[id])
		return;
	tr->need[id] = 1;
	t = btf__type_by_id(tr->kern, id);
	if (is_composite(t)) {
		int local = local_match(tr, t);

		/* A named type keeps what our declaration of it reads, and
		 * nothing if we declare none (only its size matters). */
		if (local > 0)
			keep = local;
		else if (btf__name_by_offset(tr->kern, t->name_off)[0])
			keep = KEEP_NONE;
		mark_composite(tr, id, t, keep);
	} else if (btf_is_ptr(t)) {
		/* Pointers are all alike to CO-RE; only a named struct behind
		 * one is needed, for reads that follow it. */
		__u32 to = resolve(tr, t->type);
		const struct btf_type *tt = btf__type_by_id(tr->kern, to);

		tr->ref[id] = to && is_composite(tt) && tt->name_off ? to : 0;
		if (tr->ref[id])
			mark(tr, to, KEEP_NONE);
	} else if (btf_is_array(t)) {
		mark(tr, btf_array(t)->type, keep);
		mark(tr, btf_array(t)->index_type, KEEP_ALL);
	} else if (btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t)) {
		mark(tr, t->type, keep);
	}
}

static int emit(struct trim *tr, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(tr->kern, id);
	const char *name = btf__name_by_offset(tr->kern, t->name_off);
	int ret = -EINVAL;

	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		ret = btf__add_int(tr->out, name, (size_t)t->size, btf_int_encoding(t));
		break;
	case BTF_KIND_FLOAT:
		ret = btf__add_float(tr->out, name, (size_t)t->size);
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		/* Values are never read; the size is what matters. */
		ret = btf__add_enum(tr->out, *name ? name : NULL, t->size);
		break;
	case BTF_KIND_FWD:
		ret = btf__add_fwd(tr->out, name,
				   btf_kflag(t) ? BTF_FWD_UNION : BTF_FWD_STRUCT);
		break;
	case BTF_KIND_PTR:
		ret = btf__add_ptr(tr->out, (int)tr->ref[id]);
		break;
	case BTF_KIND_ARRAY:
		ret = btf__add_array(tr->out, (int)btf_array(t)->index_type,
				     (int)btf_array(t)->type, (__u32)btf_array(t)->nelems);
		break;
	case BTF_KIND_TYPEDEF:
		ret = btf__add_typedef(tr->out, name, (int)t->type);
		break;
	case BTF_KIND_CONST:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		/* CO-RE looks through modifiers: keep a plain alias. */
		ret = btf__add_typedef(tr->out, "__sr_modifier", (int)t->type);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_members(t);

		ret = btf_is_struct(t) ? btf__add_struct(tr->out, *name ? name : NULL, t->size)
				       : btf__add_union(tr->out, *name ? name : NULL, t->size);
		for (int i = 0; ret > 0 && i < btf_vlen(t); i++, m++) {
			int r;

			if (!member_kept(tr, m, tr->keep[id]))
				continue;
			r = btf__add_field(tr->out, btf__name_by_offset(tr->kern, m->name_off),
					   (int)m->type, btf_member_bit_offset(t, (__u32)i),
					   btf_member_bitfield_size(t, (__u32)i));
			if (r < 0)
				ret = r;
		}
		break;
	}
	default:
		break;
	}
	if (ret > 0)
		tr->new_id[id] = (__u32)ret;
	return ret < 0 ? ret : 0;
}

/* Emitted types still name kernel ids; turn them into ours. */
static int remap(const struct trim *tr, __u32 *id)
{
	if (*id == 0)
		return 0;
	if (*id >= tr->n || !tr->new_id[*id])
		return -ENOENT;
	*id = tr->new_id[*id];
	return 0;
}

static int remap_all(struct trim *tr)
{
	__u32 cnt = btf__type_cnt(tr->out);

	for (__u32 id = 1; id < cnt; id++) {
		/* The types are ours to rewrite: btf__add_*() made them. */
		struct btf_type *t = (struct btf_type *)btf__type_by_id(tr->out, id);
		struct btf_member *m;
		int ret = 0;

		switch (btf_kind(t)) {
		case BTF_KIND_PTR:
		case BTF_KIND_TYPEDEF:
			ret = remap(tr, &t->type);
			break;
		case BTF_KIND_ARRAY:
			ret = remap(tr, &btf_array(t)->type);
			if (ret == 0)
				ret = remap(tr, &btf_array(t)->index_type);
			break;
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			m = btf_members(t);
			for (int i = 0; ret == 0 && i < btf_vlen(t); i++, m++)
				ret = remap(tr, &m->type);
			break;
		default:
			break;
		}
		if (ret < 0)
			return ret;
	}
	return 0;
}

static struct btf *trim_btf(const struct btf *local, const struct btf *kern)
{
	struct trim tr = { .local = local, .kern = kern, .n = btf__type_cnt(kern) };
	struct btf *out = NULL;
	int ret = 0;

	tr.need = xzalloc(tr.n);
	tr.keep = xzalloc(tr.n * sizeof(*tr.keep));
	tr.ref = xzalloc(tr.n * sizeof(*tr.ref));
	tr.new_id = xzalloc(tr.n * sizeof(*tr.new_id));
	tr.out = btf__new_empty();
	if (!tr.out)
		goto out;
	/* Roots: every struct and union we declare that the kernel has. */
	for (__u32 id = 1; id < btf__type_cnt(local); id++) {
		const struct btf_type *lt = btf__type_by_id(local, id);
		const char *name = btf__name_by_offset(local, lt->name_off);
		int kid;

		if (!is_composite(lt) || !*name)
			continue;
		kid = btf__find_by_name_kind(kern, name, btf_kind(lt));
		if (kid > 0)
			mark(&tr, (__u32)kid, (int)id);
	}
	for (__u32 id = 1; id < tr.n && ret == 0; id++)
		if (tr.need[id])
			ret = emit(&tr, id);
	if (ret == 0)
		ret = remap_all(&tr);
	if (ret == 0) {
		out = tr.out;
		tr.out = NULL;
	}
out:
	btf__free(tr.out);
	free(tr.need);
	free(tr.keep);
	free(tr.ref);
	free(tr.new_id);
	return out;
}

static int boot_id(char *buf, size_t size)
{
	cleanup_close int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return *buf && !strchr(buf, '/') ? 0 : -1;
}

static int write_btf(int dirfd, const char *name, const struct btf *btf, hook_error_t *err)
{
	const void *data;
	__u32 size;

	data = btf__raw_data(btf, &size);
	if (!data)
		return hook_make_error(err, errno, "cannot serialize the trimmed kernel BTF");
	return safe_file_replace(dirfd, name, data, size, 0600, 0, name, err);
}

/* The cache file's name for this boot: a kernel's BTF cannot change before
 * the next one. */
static int cache_name(char *name, size_t size, hook_error_t *err)
{
	char id[64];

	if (boot_id(id, sizeof(id)) < 0)
		return hook_make_error(err, errno, "cannot read the boot id");
	snprintf(name, size, "vmlinux-%s.btf", id);
	return 0;
}

bool kernel_btf_cached(int dirfd, const char *dir, char *path, size_t size)
{
	char name[96];
	struct stat st;
	hook_error_t err = NULL;

	if (cache_name(name, sizeof(name), &err) < 0) {
		hook_error_release(&err);
		return false;
	}
	snprintf(path, size, "%s/%s", dir, name);
	return fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

int kernel_btf_trim(int dirfd, const char *dir, const struct btf *local, char *path, size_t size,
		    hook_error_t *err)
{
	struct btf *kern, *trimmed;
	char name[96];
	int ret;

	ret = cache_name(name, sizeof(name), err);
	if (ret < 0)
		return ret;
	snprintf(path, size, "%s/%s", dir, name);
	kern = btf__load_vmlinux_btf();
	if (!kern)
		return hook_make_error(err, errno, "cannot read the kernel's BTF");
	trimmed = trim_btf(local, kern);
	btf__free(kern);
	if (!trimmed)
		return hook_make_error(err, EINVAL, "cannot trim the kernel's BTF");
	ret = write_btf(dirfd, name, trimmed, err);
	log_debug("trimmed kernel BTF: %u types", btf__type_cnt(trimmed));
	btf__free(trimmed);
	return ret;
}
