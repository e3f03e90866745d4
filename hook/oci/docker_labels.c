// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "oci/annotation_select.h"
#include "oci/docker_labels.h"
#include "util/safe_file.h"

/* The last component of `path` (no trailing slash) is `name`. */
static bool last_component_is(const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');

	return slash && strcmp(slash + 1, name) == 0;
}

/* `dir/NAME`: component `up` levels above the end of `path` is `name`. */
static bool component_is(const char *path, unsigned up, const char *name)
{
	cleanup_free char *copy = xstrdup(path);
	char *end;

	while (up--) {
		end = strrchr(copy, '/');
		if (!end || end == copy)
			return false;
		*end = '\0';
	}
	return last_component_is(copy, name);
}

/* The source of the /etc/hostname bind mount, or NULL. */
static const char *hostname_source(const json_value *config)
{
	const json_value *mounts = json_object_get(config, "mounts");
	size_t i;

	if (!mounts || json_type_of(mounts) != JSON_ARRAY)
		return NULL;
	for (i = 0; i < json_array_len(mounts); i++) {
		const json_value *m = json_array_at(mounts, i);
		const json_value *dst, *src;

		if (json_type_of(m) != JSON_OBJECT)
			continue;
		dst = json_object_get(m, "destination");
		src = json_object_get(m, "source");
		if (dst && src && json_type_of(dst) == JSON_STRING &&
		    json_type_of(src) == JSON_STRING &&
		    strcmp(json_string(dst), "/etc/hostname") == 0)
			return json_string(src);
	}
	return NULL;
}

/* Reads Docker's record of the container in `dir`: root's regular file. */
static int read_record(const char *dir, char **text, hook_error_t *err)
{
	cleanup_close int dirfd = -1, fd = -1;
	cleanup_free char *path = NULL;
	struct stat st;
	size_t len;

	xasprintf(&path, "%s/config.v2.json", dir);
	/* The directory is dockerd's choice (its data root may sit behind a
	 * symlink); the file in it holds what users wrote. */
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return hook_make_error(err, errno, "cannot open Docker's container directory `%s`",
				       dir);
	fd = safe_file_open_read(dirfd, "config.v2.json", path, err);
	if (fd == -ENOENT)
		return hook_make_error(err, ENOENT, "cannot read Docker's `%s`", path);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return hook_make_error(err, errno, "cannot stat Docker's `%s`", path);
	if (st.st_uid != geteuid())
		return hook_make_error(err, 0, "Docker's `%s` is owned by uid %u, not by us", path,
				       (unsigned)st.st_uid);
	return safe_file_read_fd(fd, path, DOCKER_CONFIG_MAX, text, &len, err);
}

static int record_labels(const char *dir, const char *id, char **key, char **value,
			 hook_error_t *err)
{
	cleanup_free char *text = NULL;
	cleanup_json json_value *root = NULL;
	const json_value *rid, *cfg;
	const char *k, *v;

	if (read_record(dir, &text, err) < 0 ||
	    json_parse(text, "Docker's config.v2.json", &root, err) < 0)
		return -1;
	rid = json_object_get(root, "ID");
	if (!rid || json_type_of(rid) != JSON_STRING || strcmp(json_string(rid), id) != 0)
		return hook_make_error(err, 0, "Docker's `%s/config.v2.json` is not container `%s`'s",
				       dir, id);
	cfg = json_object_get(root, "Config");
	if (!cfg || json_type_of(cfg) != JSON_OBJECT)
		return 0;
	if (annotation_select(json_object_get(cfg, "Labels"), "Docker's config.v2.json labels",
			      &k, &v, err) < 0)
		return -1;
	if (v) {
		*key = xstrdup(k);
		*value = xstrdup(v);
	}
	return 0;
}

int docker_label_select(const json_value *config, const char *bundle, const char *id,
			char **key, char **value, hook_error_t *err)
{
	cleanup_free char *dir = NULL;
	const char *src;

	*key = *value = NULL;
	/* containerd's shim names the bundle NAMESPACE/ID; Docker's is moby. */
	if (!last_component_is(bundle, id) || !component_is(bundle, 1, "moby"))
		return 0;
	src = hostname_source(config);
	if (!src || safe_path_check(src, "Docker's /etc/hostname source", err) < 0) {
		hook_error_release(err);
		return 0;
	}
	if (!last_component_is(src, "hostname") || !component_is(src, 1, id) ||
	    !component_is(src, 2, "containers"))
		return 0;
	dir = xstrdup(src);
	*strrchr(dir, '/') = '\0';
	return record_labels(dir, id, key, value, err);
}
