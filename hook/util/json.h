/* SPDX-License-Identifier: Apache-2.0 */
/* The only place that knows yajl: a read-only tree for parsing and a writer
 * with a sticky error for generation, so the JSON library can be swapped. */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* Deeper documents are refused before parsing: none of our inputs nests more
 * than a few levels, and yajl frees trees recursively. */
#define JSON_MAX_DEPTH 64

typedef struct json_value json_value;

enum json_type {
	JSON_STRING,
	JSON_NUMBER,
	JSON_OBJECT,
	JSON_ARRAY,
	JSON_TRUE,
	JSON_FALSE,
	JSON_NULL,
};

/* `text` must be NUL-terminated; `what` names the document in messages. */
int json_parse(const char *text, const char *what, json_value **out, hook_error_t *err);
void json_free(json_value *v);
static inline void cleanup_json_freep(json_value **v)
{
	json_free(*v);
}
#define cleanup_json __attribute__((cleanup(cleanup_json_freep)))

enum json_type json_type_of(const json_value *v);
const char *json_type_name(enum json_type t);
const char *json_string(const json_value *v);
const char *json_number_text(const json_value *v);
size_t json_object_len(const json_value *v);
const char *json_object_key(const json_value *v, size_t i);
json_value *json_object_value(const json_value *v, size_t i);
/* NULL when absent; objects are checked for duplicate keys by json_parse. */
json_value *json_object_get(const json_value *v, const char *key);
size_t json_array_len(const json_value *v);
json_value *json_array_at(const json_value *v, size_t i);

/* Strict unsigned integer: digits only, no sign, no fraction, no exponent. */
int json_get_uint64(const json_value *v, uint64_t *out);

struct json_writer;
/* Pretty-printed (profiles), or on one line (log records); never NULL. */
struct json_writer *json_writer_new(void);
struct json_writer *json_writer_new_compact(void);
void json_writer_free(struct json_writer *w);
static inline void cleanup_json_writerp(struct json_writer **w)
{
	json_writer_free(*w);
}
#define cleanup_json_writer __attribute__((cleanup(cleanup_json_writerp)))

void json_w_object_open(struct json_writer *w);
void json_w_object_close(struct json_writer *w);
void json_w_array_open(struct json_writer *w);
void json_w_array_close(struct json_writer *w);
void json_w_string(struct json_writer *w, const char *s);
void json_w_uint64(struct json_writer *w, uint64_t v);
void json_w_bool(struct json_writer *w, bool v);
void json_w_null(struct json_writer *w);
/* A copy of a parsed value (bounded in depth by json_parse). */
void json_w_value(struct json_writer *w, const json_value *v);
/* Key and value in one call, for object members. */
void json_w_kv_string(struct json_writer *w, const char *key, const char *value);
void json_w_kv_uint64(struct json_writer *w, const char *key, uint64_t value);
void json_w_kv_strings(struct json_writer *w, const char *key, char *const *v, size_t n);

/* The document, NUL-terminated and with a final newline, in a new buffer;
 * fails if any earlier call failed. */
int json_writer_finish(struct json_writer *w, char **out, size_t *len, hook_error_t *err);

#endif /* JSON_H */
