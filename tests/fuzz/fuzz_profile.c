// SPDX-License-Identifier: Apache-2.0
/* Parses a profile; when it is accepted, checks that writing it and reading
 * that back gives the same bytes (round trip), that merging a recording
 * works, that the union of the profile with itself is its normal form and
 * normalising that again changes nothing, runs the subset comparison, and
 * exports it as a SeccompProfile object (for no target and a full one): a
 * refusal is one line, an object has no NUL and ends in a newline. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "profile/profile.h"
#include "profile/profile_recording.h"
#include "profile/profile_compare.h"
#include "profile/profile_merge.h"
#include "profile/profile_spo.h"

static char *serialize(const struct profile *p)
{
	hook_error_t err = NULL;
	char *out;
	size_t len;

	if (profile_serialize(p, &out, &len, &err) < 0) {
		/* only invalid UTF-8 in strings can make yajl refuse */
		hook_error_release(&err);
		return NULL;
	}
	return out;
}

static char *merged_text(const struct profile *in, size_t n, struct profile *keep)
{
	struct profile m = { 0 };
	hook_error_t err = NULL;
	char *out;

	if (profile_merge(in, n, "SCMP_ARCH_X86_64", &m, &err) < 0)
		abort(); /* inputs that agree with themselves cannot conflict */
	out = serialize(&m);
	if (keep)
		*keep = m;
	else
		profile_free(&m);
	return out;
}

static void check_merge_and_compare(const struct profile *p)
{
	const struct compare_host host = { "SCMP_ARCH_X86_64", "amd64", 6, 1 };
	struct profile two[2] = { *p, *p }, norm = { 0 };
	struct profile_excess e;
	char *one, *self, *again;

	one = merged_text(p, 1, &norm);
	self = merged_text(two, 2, NULL);
	again = merged_text(&norm, 1, NULL);
	if (!one || !self || !again || strcmp(one, self) != 0 || strcmp(one, again) != 0)
		abort();
	profile_excess(p, &norm, &host, &e);
	profile_excess_free(&e);
	profile_excess(&norm, p, &host, &e);
	profile_excess_free(&e);
	profile_free(&norm);
	free(one);
	free(self);
	free(again);
}

static void check_export(const struct profile *p, const struct spo_target *t)
{
	const struct spo_options o = { .name = "fuzz", .api = "v1", .target = *t };
	hook_error_t err = NULL;
	char *out = NULL;
	size_t len = 0;

	if (profile_spo_yaml(p, &o, &out, &len, &err) < 0) {
		if (!err || strchr(err->msg, '\n') || out)
			abort();
		hook_error_release(&err);
		return;
	}
	if (len == 0 || strlen(out) != len || out[len - 1] != '\n')
		abort();
	free(out);
}

static void check_exports(const struct profile *p)
{
	struct spo_target none = { 0 }, full = { .caps_set = true, .arch = "amd64",
						  .kernel_set = true, .kernel_major = 6,
						  .kernel_minor = 1, .default_eperm = true };

	strv_add(&full.caps, "CAP_SYS_ADMIN");
	check_export(p, &none);
	check_export(p, &full);
	strv_free(&full.caps);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct profile p = { 0 }, q = { 0 };
	struct profile_recording rec = { 0 };
	hook_error_t err = NULL;
	char *text, *once, *twice;

	if (size > 1 << 20)
		return 0;
	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	if (profile_parse(text, size, "fuzz", &p, &err) < 0) {
		if (!err || strchr(err->msg, '\n'))
			abort();
		hook_error_release(&err);
		free(text);
		return 0;
	}
	check_exports(&p);
	once = serialize(&p);
	if (once) {
		check_merge_and_compare(&p);
		if (profile_parse(once, strlen(once), "fuzz", &q, &err) < 0)
			abort(); /* we wrote something we cannot read */
		twice = serialize(&q);
		if (!twice || strcmp(once, twice) != 0)
			abort();
		free(twice);

		strv_add(&rec.arches, "SCMP_ARCH_X86_64");
		strv_add(&rec.names, "read");
		strv_add(&rec.names, "write");
		profile_add_recording(&q, &rec);
		free(serialize(&q));
		profile_free(&q);
		strv_free(&rec.arches);
		strv_free(&rec.names);
		free(once);
	}
	profile_free(&p);
	free(text);
	return 0;
}
