// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cleanup.h"
#include "profile/syscall_names.h"
#include "trace/calibration.h"
#include "util/json.h"
#include "util/log.h"
#include "util/safe_file.h"

#define CALIBRATION_MARKER "seccompRecorderCalibration"

static int string_member(const json_value *root, const char *key, const char *what, char **out,
			 hook_error_t *err)
{
	const json_value *v = json_object_get(root, key);

	if (!v || json_type_of(v) != JSON_STRING)
		return hook_make_error(err, 0, "%s: `%s` must be a string", what, key);
	*out = xstrdup(json_string(v));
	return 0;
}

static int parse_syscalls(const json_value *root, const char *what, struct strv *out,
			  hook_error_t *err)
{
	const json_value *v = json_object_get(root, "syscalls");

	if (!v || json_type_of(v) != JSON_ARRAY)
		return hook_make_error(err, 0, "%s: `syscalls` must be an array of names", what);
	if (json_array_len(v) > CALIBRATION_MAX_NAMES)
		return hook_make_error(err, 0, "%s: more than %d syscalls", what,
				       CALIBRATION_MAX_NAMES);
	for (size_t i = 0; i < json_array_len(v); i++) {
		const json_value *n = json_array_at(v, i);

		if (json_type_of(n) != JSON_STRING || !syscall_name_known(json_string(n)))
			return hook_make_error(err, 0, "%s: `syscalls` holds something that is not a "
						       "syscall name",
					       what);
		strv_add(out, json_string(n));
	}
	strv_sort_unique(out);
	return 0;
}

int calibration_parse(const char *text, size_t len, const char *what, struct calibration *out,
		      hook_error_t *err)
{
	cleanup_json json_value *root = NULL;
	const json_value *marker, *starts;
	uint64_t n = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	if (strlen(text) != len)
		return hook_make_error(err, 0, "%s: contains a NUL byte", what);
	ret = json_parse(text, what, &root, err);
	if (ret < 0)
		return ret;
	marker = json_object_get(root, CALIBRATION_MARKER);
	if (json_type_of(root) != JSON_OBJECT || !marker || json_get_uint64(marker, &n) < 0 ||
	    n != 1)
		return hook_make_error(err, 0, "%s: not a calibration (no `%s`: 1)", what,
				       CALIBRATION_MARKER);
	starts = json_object_get(root, "starts");
	if (!starts || json_get_uint64(starts, &n) < 0)
		return hook_make_error(err, 0, "%s: `starts` must be a number", what);
	out->starts = (unsigned long)n;
	if (string_member(root, "runtime", what, &out->runtime, err) < 0 ||
	    string_member(root, "version", what, &out->version, err) < 0 ||
	    string_member(root, "measured", what, &out->measured, err) < 0 ||
	    parse_syscalls(root, what, &out->syscalls, err) < 0) {
		calibration_free(out);
		return -1;
	}
	return 0;
}

/* "runc version 1.2.9" -> "runc-version-1.2.9.json": letters, digits, `.`,
 * `-`, `+` and `_` kept, anything else a `-`. */
static char *file_name(const char *version)
{
	char *name = NULL;

	xasprintf(&name, "%.100s.json", version);
	for (char *p = name; p < name + strlen(name) - strlen(".json"); p++)
		if (!isalnum((unsigned char)*p) && !strchr(".-+_", *p))
			*p = '-';
	return name;
}

int calibration_store(const struct calibration *c, char **path, hook_error_t *err)
{
	cleanup_json_writer struct json_writer *jw = json_writer_new();
	cleanup_free char *name = file_name(c->version), *text = NULL;
	cleanup_close int dirfd = -1;
	size_t len;

	*path = NULL;
	if (mkdir(OUTPUT_DEFAULT_DIR, 0755) < 0 && errno != EEXIST)
		return hook_make_error(err, errno, "cannot create `%s`", OUTPUT_DEFAULT_DIR);
	dirfd = safe_private_dir(CALIBRATION_DIR, 0700, 0077, err);
	if (dirfd < 0)
		return -1;
	json_w_object_open(jw);
	json_w_kv_uint64(jw, CALIBRATION_MARKER, 1);
	json_w_kv_string(jw, "runtime", c->runtime);
	json_w_kv_string(jw, "version", c->version);
	json_w_kv_string(jw, "measured", c->measured);
	json_w_kv_uint64(jw, "starts", c->starts);
	json_w_kv_strings(jw, "syscalls", c->syscalls.v, c->syscalls.n);
	json_w_object_close(jw);
	if (json_writer_finish(jw, &text, &len, err) < 0)
		return -1;
	xasprintf(path, "%s/%s", CALIBRATION_DIR, name);
	return safe_file_replace(dirfd, name, text, len, 0600, SAFE_REPLACE_DURABLE, *path, err);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the stored files, sorted; at most CALIBRATION_MAX_FILES. */
static int stored_files(int dirfd, struct strv *names)
{
	DIR *dir = safe_dir_walk(dirfd);
	struct dirent *de;

	if (!dir)
		return -1;
	while ((de = readdir(dir))) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.' || n < 6 || strcmp(de->d_name + n - 5, ".json") != 0)
			continue;
		if (names->n == CALIBRATION_MAX_FILES) {
			log_warn("more than %d calibrations in `%s`; the rest are not used",
				 CALIBRATION_MAX_FILES, CALIBRATION_DIR);
			break;
		}
		strv_add(names, de->d_name);
	}
	closedir(dir);
	if (names->n > 0)
		qsort(names->v, names->n, sizeof(*names->v), cmp_name);
	return 0;
}

int calibration_for_each(calibration_fn fn, void *ctx)
{
	cleanup_close int dirfd = -1;
	struct strv files = { 0 };
	struct stat st;
	int used = 0;

	/* Only root's own directory, never one anybody else could fill. */
	dirfd = safe_open_dir(AT_FDCWD, CALIBRATION_DIR, false);
	if (dirfd < 0)
		return 0;
	if (fstat(dirfd, &st) < 0 || st.st_uid != 0 || (st.st_mode & 0022)) {
		log_warn("`%s` is not root's alone; its calibrations are not used", CALIBRATION_DIR);
		return 0;
	}
	if (stored_files(dirfd, &files) < 0) {
		strv_free(&files);
		return 0;
	}
	for (size_t i = 0; i < files.n; i++) {
		cleanup_free char *path = NULL, *text = NULL;
		struct calibration c;
		hook_error_t err = NULL;
		size_t len = 0;

		xasprintf(&path, "%s/%s", CALIBRATION_DIR, files.v[i]);
		if (safe_file_read_at(dirfd, files.v[i], path, CALIBRATION_MAX_SIZE, &text, &len,
				      &err) < 0 ||
		    !text || calibration_parse(text, len, path, &c, &err) < 0) {
			if (err)
				log_error_release(LOG_WARNING, &err);
			continue;
		}
		fn(ctx, path, &c);
		calibration_free(&c);
		used++;
	}
	strv_free(&files);
	return used;
}

static void add_names(void *ctx, const char *file, const struct calibration *c)
{
	struct strv *names = ctx;

	(void)file;
	for (size_t i = 0; i < c->syscalls.n; i++)
		strv_add(names, c->syscalls.v[i]);
}

void calibration_add_stored(struct strv *names)
{
	calibration_for_each(add_names, names);
}

void calibration_free(struct calibration *c)
{
	free(c->runtime);
	free(c->version);
	free(c->measured);
	strv_free(&c->syscalls);
	memset(c, 0, sizeof(*c));
}
