/*
 * Version, status names and the thread-local last-error record.
 *
 * The error record is a fixed thread-local buffer: setting it never allocates, so
 * hp__fail can report HP_ENOMEM itself. Messages longer than the buffer are cut.
 */
#include "internal/common.h"

#include <stdarg.h>
#include <stdio.h>

uint32_t hp_version(void) { return (uint32_t)HP_VERSION_NUMBER; }

#define HP_STR2_(x) #x
#define HP_STR_(x) HP_STR2_(x)
const char *hp_version_string(void) {
    return HP_STR_(HP_VERSION_MAJOR) "." HP_STR_(HP_VERSION_MINOR) "." HP_STR_(HP_VERSION_PATCH);
}

const char *hp_status_name(int status) {
    switch (status) {
#define HP_NAME_CASE_(name, value, message) \
    case value: return #name;
        HP_STATUS_TABLE(HP_NAME_CASE_)
#undef HP_NAME_CASE_
    default: return "HP_EUNKNOWN";
    }
}

const char *hp_strerror(int status) {
    switch (status) {
#define HP_MESSAGE_CASE_(name, value, message) \
    case value: return message;
        HP_STATUS_TABLE(HP_MESSAGE_CASE_)
#undef HP_MESSAGE_CASE_
    default: return "unknown status";
    }
}

enum { HP_ERROR_MESSAGE_CAP = 512 };

static _Thread_local struct {
    hp_status status;
    char message[HP_ERROR_MESSAGE_CAP];
} last_error;

hp_status hp__fail(hp_status status, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(last_error.message, sizeof last_error.message, fmt, ap);
    va_end(ap);
    if (n < 0) last_error.message[0] = '\0';
    last_error.status = status;
    return status;
}

const char *hp_last_error_message(void) { return last_error.message; }

hp_status hp_last_error_status(void) { return last_error.status; }

void hp_clear_error(void) {
    last_error.status = HP_OK;
    last_error.message[0] = '\0';
}
