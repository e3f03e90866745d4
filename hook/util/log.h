/* SPDX-License-Identifier: Apache-2.0 */
#ifndef LOG_H
#define LOG_H

#include <stdbool.h>
#include <syslog.h>

#include "util/error.h"

/* Messages go to syslog (tag `seccomp-recorder`) when /dev/log exists and to
 * stderr while `foreground` is set; a detached tracer turns stderr off. */
void log_init(bool foreground, bool verbose);
void log_set_foreground(bool foreground);
bool log_verbose(void);

void log_msg(int priority, const char *fmt, ...) HOOK_PRINTF(2, 3);
#define log_error(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_WARNING, __VA_ARGS__)
#define log_info(...)  log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Logs err (with its errno text) at `priority` and releases it. */
void log_error_release(int priority, hook_error_t *err);

#endif /* LOG_H */
