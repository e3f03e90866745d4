// SPDX-License-Identifier: Apache-2.0
/* Docker 20.10's labels, read from its config.v2.json only for a bundle
 * that is Docker's: the layout dockerd and containerd make, rebuilt in a
 * scratch directory, and what a forged or damaged one gets. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci/docker_labels.h"
#include "tap.h"

#define ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static char top[] = "/tmp/sr-docker-labels.XXXXXX";
static char bundle[256], record_dir[256], record[300];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		exit(2);
	}
}

static void layout(void)
{
	char path[1024];

	if (!mkdtemp(top))
		exit(2);
	snprintf(bundle, sizeof(bundle), "%s/exec/io.containerd.runtime.v2.task/moby/%s", top, ID);
	snprintf(record_dir, sizeof(record_dir), "%s/data/containers/%s", top, ID);
	snprintf(record, sizeof(record), "%s/config.v2.json", record_dir);
	snprintf(path, sizeof(path), "mkdir -p %s %s", bundle, record_dir);
	if (system(path) != 0)
		exit(2);
	snprintf(path, sizeof(path), "%s/hostname", record_dir);
	write_file(path, "x\n");
}

/* The label selected for a config whose /etc/hostname comes from `source`,
 * with bundle `b` and id `id`: the value, "(none)" or "error: MESSAGE". */
static const char *select_label(const char *source, const char *b, const char *id)
{
	static char out[512];
	char *doc = NULL, *key = NULL, *value = NULL;
	json_value *config = NULL;
	hook_error_t err = NULL;

	if (asprintf(&doc,
		     "{\"mounts\":[{\"destination\":\"/proc\",\"source\":\"proc\"},"
		     "{\"destination\":\"/etc/hostname\",\"type\":\"bind\",\"source\":\"%s\"}]}",
		     source) < 0 ||
	    json_parse(doc, "config.json", &config, &err) < 0)
		exit(2);
	if (docker_label_select(config, b, id, &key, &value, &err) < 0) {
		snprintf(out, sizeof(out), "error: %s", err->msg);
		hook_error_release(&err);
	} else {
		snprintf(out, sizeof(out), "%s", value ? value : "(none)");
	}
	free(key);
	free(value);
	free(doc);
	json_free(config);
	return out;
}

static const char *select_default(void)
{
	char source[600];

	snprintf(source, sizeof(source), "%s/hostname", record_dir);
	return select_label(source, bundle, ID);
}

int main(void)
{
	char source[600], other[600];

	layout();
	snprintf(source, sizeof(source), "%s/hostname", record_dir);

	write_file(record, "{\"ID\":\"" ID "\",\"Name\":\"/web\",\"Config\":{\"Labels\":"
			   "{\"io.containers.trace-syscall\":\"of:/var/lib/sr/web.json\",\"x\":\"y\"}}}");
	is_str(select_default(), "of:/var/lib/sr/web.json", "Docker's layout: the label");

	write_file(record, "{\"ID\":\"" ID "\",\"Config\":{\"Labels\":{\"x\":\"y\"}}}");
	is_str(select_default(), "(none)", "no such label: not traced");
	write_file(record, "{\"ID\":\"" ID "\",\"Config\":{\"Labels\":null}}");
	is_str(select_default(), "(none)", "null labels: not traced");

	/* Not Docker's bundle: nothing is read. */
	write_file(record, "{\"ID\":\"" ID "\",\"Config\":{\"Labels\":"
			   "{\"io.containers.trace-syscall\":\"of:/x.json\"}}}");
	snprintf(other, sizeof(other), "%s/exec/io.containerd.runtime.v2.task/k8s.io/%s", top, ID);
	is_str(select_label(source, other, ID), "(none)", "containerd's k8s.io namespace: not looked at");
	is_str(select_label(source, bundle, "another"), "(none)",
	       "a bundle not named after the container: not looked at");
	is_str(select_label("/etc/hostname", bundle, ID), "(none)",
	       "/etc/hostname from elsewhere: not looked at");
	snprintf(other, sizeof(other), "%s/data/volumes/%s/hostname", top, ID);
	is_str(select_label(other, bundle, ID), "(none)", "not from a containers/ directory");
	is_str(select_label("relative/hostname", bundle, ID), "(none)", "a relative source");

	/* Docker's bundle, but a record that does not hold. */
	write_file(record, "{\"ID\":\"feedface\",\"Config\":{\"Labels\":"
			   "{\"io.containers.trace-syscall\":\"of:/x.json\"}}}");
	ok(strstr(select_default(), "is not container") != NULL, "a record of another id: refused");
	write_file(record, "{\"ID\":");
	ok(strstr(select_default(), "invalid JSON") != NULL, "a damaged record: refused");
	write_file(record, "{\"ID\":\"" ID "\",\"Config\":{\"Labels\":"
			   "{\"io.containers.trace-syscall\":7}}}");
	ok(strstr(select_default(), "must be a string") != NULL, "a label that is no string");
	unlink(record);
	ok(strstr(select_default(), "cannot read") != NULL, "a missing record: refused");
	{
		char target[600];

		snprintf(target, sizeof(target), "%s/elsewhere.json", top);
		write_file(target, "{\"ID\":\"" ID "\"}");
		if (symlink(target, record) != 0)
			exit(2);
		ok(strstr(select_default(), "error:") != NULL, "a symlinked record: refused");
		printf("#   %s\n", select_default());
		unlink(record);
	}
	{
		FILE *f = fopen(record, "w");

		fprintf(f, "{\"ID\":\"" ID "\",\"pad\":\"");
		for (int i = 0; i < DOCKER_CONFIG_MAX / 64 + 1; i++)
			fputs("0123456789012345678901234567890123456789012345678901234567890123", f);
		fputs("\"}", f);
		fclose(f);
		ok(strstr(select_default(), "error:") != NULL, "a record over the bound: refused");
		printf("#   %s\n", select_default());
	}
	{
		char cmd[600];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
		if (system(cmd) != 0)
			return 2;
	}
	return tap_done();
}
