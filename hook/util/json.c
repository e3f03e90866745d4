// SPDX-License-Identifier: Apache-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "cleanup.h"
#include "util/json.h"

/* json_value is yajl_val under another name, kept opaque to callers. */
#define Y(v) ((yajl_val)(v))

/* Refuses what yajl would accept but we cannot use safely: nesting deeper
 * than JSON_MAX_DEPTH, and "\u0000", which yajl_tree would silently turn
 * into a truncated C string. */
static int json_prescan(const char *text, const char *what, hook_error_t *err)
{
	bool in_string = false;
	int depth = 0;

	for (const char *p = text; *p; p++) {
		if (in_string) {
			if (*p == '\\') {
				if (p[1] == 'u' && strncmp(p + 2, "0000", 4) == 0)
					return hook_make_error(
						err, 0,
						"%s: strings must not contain NUL (\\u0000)", what);
				if (p[1])
					p++;
			} else if (*p == '"') {
				in_string = false;
			}
			continue;
		}
		if (*p == '"') {
			in_string = true;
		} else if (*p == '[' || *p == '{') {
			if (++depth > JSON_MAX_DEPTH)
				return hook_make_error(err, 0,
						       "%s: JSON nested deeper than %d levels",
						       what, JSON_MAX_DEPTH);
		} else if (*p == ']' || *p == '}') {
			depth--;
		}
	}
	return 0;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorting the keys keeps this O(n log n) on hostile input with many keys. */
static bool object_has_duplicates(yajl_val v, const char **dup)
{
	if (YAJL_IS_OBJECT(v)) {
		size_t n = v->u.object.len;
		cleanup_free const char **keys = NULL;

		if (n > 1) {
			keys = xmalloc(n * sizeof(*keys));
			memcpy(keys, v->u.object.keys, n * sizeof(*keys));
			qsort(keys, n, sizeof(*keys), cmp_key);
			for (size_t i = 1; i < n; i++) {
				if (strcmp(keys[i - 1], keys[i]) == 0) {
					*dup = keys[i];
					return true;
				}
			}
		}
		for (size_t i = 0; i < n; i++)
			if (object_has_duplicates(v->u.object.values[i], dup))
				return true;
	} else if (YAJL_IS_ARRAY(v)) {
		for (size_t i = 0; i < v->u.array.len; i++)
			if (object_has_duplicates(v->u.array.values[i], dup))
				return true;
	}
	return false;
}

int json_parse(const char *text, const char *what, json_value **out, hook_error_t *err)
{
	char errbuf[1024];
	const char *dup = NULL;
	yajl_val tree;
	int ret;

	ret = json_prescan(text, what, err);
	if (ret < 0)
		return ret;

	errbuf[0] = '\0';
	tree = yajl_tree_parse(text, errbuf, sizeof(errbuf));
	if (!tree) {
		/* yajl's message spans lines and quotes the input; keep its
		 * first line only, which says what is wrong. */
		errbuf[strcspn(errbuf, "\n")] = '\0';
		return hook_make_error(err, 0, "%s: invalid JSON: %s", what,
				       errbuf[0] ? errbuf : "parse error");
	}
	if (object_has_duplicates(tree, &dup)) {
		ret = hook_make_error(err, 0, "%s: duplicate key `%s`", what, dup);
		yajl_tree_free(tree);
		return ret;
	}
	*out = (json_value *)tree;
	return 0;
}

void json_free(json_value *v)
{
	if (v)
		yajl_tree_free(Y(v));
}

enum json_type json_type_of(const json_value *v)
{
	switch (Y(v)->type) {
	case yajl_t_string:
		return JSON_STRING;
	case yajl_t_number:
		return JSON_NUMBER;
	case yajl_t_object:
		return JSON_OBJECT;
	case yajl_t_array:
		return JSON_ARRAY;
	case yajl_t_true:
		return JSON_TRUE;
	case yajl_t_false:
		return JSON_FALSE;
	default:
		return JSON_NULL;
	}
}

const char *json_type_name(enum json_type t)
{
	static const char *const names[] = {
		[JSON_STRING] = "a string", [JSON_NUMBER] = "a number", [JSON_OBJECT] = "an object",
		[JSON_ARRAY] = "an array",  [JSON_TRUE] = "true",	[JSON_FALSE] = "false",
		[JSON_NULL] = "null",
	};
	return names[t];
}

const char *json_string(const json_value *v)
{
	return v && YAJL_IS_STRING(Y(v)) ? Y(v)->u.string : NULL;
}

const char *json_number_text(const json_value *v)
{
	return v && YAJL_IS_NUMBER(Y(v)) ? Y(v)->u.number.r : NULL;
}

size_t json_object_len(const json_value *v)
{
	return YAJL_IS_OBJECT(Y(v)) ? Y(v)->u.object.len : 0;
}

const char *json_object_key(const json_value *v, size_t i)
{
	return Y(v)->u.object.keys[i];
}

json_value *json_object_value(const json_value *v, size_t i)
{
	return (json_value *)Y(v)->u.object.values[i];
}

json_value *json_object_get(const json_value *v, const char *key)
{
	size_t n = json_object_len(v);

	for (size_t i = 0; i < n; i++)
		if (strcmp(Y(v)->u.object.keys[i], key) == 0)
			return (json_value *)Y(v)->u.object.values[i];
	return NULL;
}

size_t json_array_len(const json_value *v)
{
	return YAJL_IS_ARRAY(Y(v)) ? Y(v)->u.array.len : 0;
}

json_value *json_array_at(const json_value *v, size_t i)
{
	return (json_value *)Y(v)->u.array.values[i];
}

int json_get_uint64(const json_value *v, uint64_t *out)
{
	const char *s = json_number_text(v);
	unsigned long long n;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	for (const char *p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno == ERANGE || *end)
		return -1;
	*out = n;
	return 0;
}

struct json_writer {
	yajl_gen gen;
	yajl_gen_status status; /* first failure, sticky */
};

static struct json_writer *writer_new(bool pretty)
{
	struct json_writer *w = xzalloc(sizeof(*w));

	w->gen = yajl_gen_alloc(NULL);
	if (!w->gen)
		oom();
	yajl_gen_config(w->gen, yajl_gen_beautify, pretty);
	yajl_gen_config(w->gen, yajl_gen_validate_utf8, 1);
	yajl_gen_config(w->gen, yajl_gen_indent_string, "  ");
	w->status = yajl_gen_status_ok;
	return w;
}

struct json_writer *json_writer_new(void)
{
	return writer_new(true);
}

struct json_writer *json_writer_new_compact(void)
{
	return writer_new(false);
}

void json_writer_free(struct json_writer *w)
{
	if (!w)
		return;
	yajl_gen_free(w->gen);
	free(w);
}

static void json_w_check(struct json_writer *w, yajl_gen_status st)
{
	if (st != yajl_gen_status_ok && w->status == yajl_gen_status_ok)
		w->status = st;
}

void json_w_object_open(struct json_writer *w)
{
	json_w_check(w, yajl_gen_map_open(w->gen));
}

void json_w_object_close(struct json_writer *w)
{
	json_w_check(w, yajl_gen_map_close(w->gen));
}

void json_w_array_open(struct json_writer *w)
{
	json_w_check(w, yajl_gen_array_open(w->gen));
}

void json_w_array_close(struct json_writer *w)
{
	json_w_check(w, yajl_gen_array_close(w->gen));
}

void json_w_string(struct json_writer *w, const char *s)
{
	json_w_check(w, yajl_gen_string(w->gen, (const unsigned char *)s, strlen(s)));
}

void json_w_uint64(struct json_writer *w, uint64_t v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%" PRIu64, v);

	/* yajl_gen_integer takes a signed long long; write the digits. */
	json_w_check(w, yajl_gen_number(w->gen, buf, (size_t)n));
}

void json_w_bool(struct json_writer *w, bool v)
{
	json_w_check(w, yajl_gen_bool(w->gen, v));
}

void json_w_null(struct json_writer *w)
{
	json_w_check(w, yajl_gen_null(w->gen));
}

void json_w_value(struct json_writer *w, const json_value *v)
{
	const char *num;
	size_t i, n;

	switch (json_type_of(v)) {
	case JSON_STRING:
		json_w_string(w, json_string(v));
		break;
	case JSON_NUMBER:
		/* As it was written: a copy never changes a number's text. */
		num = json_number_text(v);
		json_w_check(w, yajl_gen_number(w->gen, num, strlen(num)));
		break;
	case JSON_OBJECT:
		json_w_object_open(w);
		for (i = 0, n = json_object_len(v); i < n; i++) {
			json_w_string(w, json_object_key(v, i));
			json_w_value(w, json_object_value(v, i));
		}
		json_w_object_close(w);
		break;
	case JSON_ARRAY:
		json_w_array_open(w);
		for (i = 0, n = json_array_len(v); i < n; i++)
			json_w_value(w, json_array_at(v, i));
		json_w_array_close(w);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		json_w_bool(w, json_type_of(v) == JSON_TRUE);
		break;
	case JSON_NULL:
		json_w_null(w);
		break;
	}
}

void json_w_kv_string(struct json_writer *w, const char *key, const char *value)
{
	json_w_string(w, key);
	json_w_string(w, value);
}

void json_w_kv_uint64(struct json_writer *w, const char *key, uint64_t value)
{
	json_w_string(w, key);
	json_w_uint64(w, value);
}

void json_w_kv_strings(struct json_writer *w, const char *key, char *const *v, size_t n)
{
	json_w_string(w, key);
	json_w_array_open(w);
	for (size_t i = 0; i < n; i++)
		json_w_string(w, v[i]);
	json_w_array_close(w);
}

static const char *yajl_gen_status_text(yajl_gen_status st)
{
	switch (st) {
	case yajl_gen_keys_must_be_strings:
		return "keys must be strings";
	case yajl_max_depth_exceeded:
		return "maximum depth exceeded";
	case yajl_gen_in_error_state:
		return "generator in error state";
	case yajl_gen_generation_complete:
		return "document already complete";
	case yajl_gen_invalid_number:
		return "invalid number";
	case yajl_gen_no_buf:
		return "no buffer";
	case yajl_gen_invalid_string:
		return "string is not valid UTF-8";
	default:
		return "unknown generator error";
	}
}

/* yajl's beautifier writes an empty array as "[", two newlines, indent,
 * "]"; print it as "[]" (and "{}"). Raw newlines never occur inside JSON
 * strings, so the pattern cannot match string content. */
static size_t compact_empty(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = in[i];

		if ((c == '[' || c == '{') && i + 2 < n && in[i + 1] == '\n' && in[i + 2] == '\n') {
			size_t j = i + 3;

			while (j < n && in[j] == ' ')
				j++;
			if (j < n && in[j] == (c == '[' ? ']' : '}')) {
				out[o++] = (char)c;
				out[o++] = (char)in[j];
				i = j;
				continue;
			}
		}
		out[o++] = (char)c;
	}
	return o;
}

int json_writer_finish(struct json_writer *w, char **out, size_t *len, hook_error_t *err)
{
	const unsigned char *buf;
	size_t n;
	char *copy;

	if (w->status != yajl_gen_status_ok)
		return hook_make_error(err, 0, "cannot generate JSON: %s",
				       yajl_gen_status_text(w->status));
	if (yajl_gen_get_buf(w->gen, &buf, &n) != yajl_gen_status_ok)
		return hook_make_error(err, 0, "cannot generate JSON: no output buffer");
	copy = xmalloc(n + 2);
	n = compact_empty(buf, n, copy);
	/* yajl's beautifier already ends with a newline; make sure of it. */
	if (n == 0 || copy[n - 1] != '\n')
		copy[n++] = '\n';
	copy[n] = '\0';
	*out = copy;
	*len = n;
	return 0;
}
