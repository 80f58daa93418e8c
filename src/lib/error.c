// SPDX-License-Identifier: LGPL-2.1-or-later
/* error.c: the library's error objects (drgn-style: NULL means success). */
#include <config.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

struct xencore_error xencore_enomem = {
	.code = XENCORE_ERROR_NOMEM,
	.errnum = ENOMEM,
	.message = (char *)"out of memory",
};

static struct xencore_error *error_vnew(enum xencore_error_code code, int errnum,
					const char *fmt, va_list ap)
{
	struct xencore_error *err = malloc(sizeof(*err));
	if (!err)
		return &xencore_enomem;
	if (vasprintf(&err->message, fmt, ap) < 0) {
		free(err);
		return &xencore_enomem;
	}
	err->code = code;
	err->errnum = errnum;
	err->where = XENCORE_WHERE_NONE;
	err->at = 0;
	return err;
}

struct xencore_error *xc_error_at(struct xencore_error *err, enum xencore_error_where where,
				  uint64_t at)
{
	if (err && err != &xencore_enomem) {
		err->where = where;
		err->at = at;
	}
	return err;
}

struct xencore_error *xc_error(enum xencore_error_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct xencore_error *err = error_vnew(code, 0, fmt, ap);
	va_end(ap);
	return err;
}

/* "<what>: strerror(errnum)" with code, errnum kept. */
static struct xencore_error *error_os_vnew(enum xencore_error_code code, int errnum,
					   const char *fmt, va_list ap)
{
	char *what;
	if (vasprintf(&what, fmt, ap) < 0)
		return &xencore_enomem;
	struct xencore_error *err = xc_error(code, "%s: %s", what, strerror(errnum));
	free(what);
	if (err != &xencore_enomem)
		err->errnum = errnum;
	return err;
}

struct xencore_error *xc_error_os(int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct xencore_error *err = error_os_vnew(XENCORE_ERROR_OS, errnum, fmt, ap);
	va_end(ap);
	return err;
}

struct xencore_error *xc_error_output(int errnum, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct xencore_error *err = error_os_vnew(XENCORE_ERROR_OUTPUT, errnum, fmt, ap);
	va_end(ap);
	return err;
}

struct xencore_error *xc_error_prefix(struct xencore_error *err, const char *fmt, ...)
{
	if (!err || err == &xencore_enomem)
		return err;
	char *prefix, *joined;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&prefix, fmt, ap);
	va_end(ap);
	if (n < 0)
		return err;	/* keep the original message rather than lose it */
	if (asprintf(&joined, "%s: %s", prefix, err->message) >= 0) {
		free(err->message);
		err->message = joined;
	}
	free(prefix);
	return err;
}

void xencore_error_destroy(struct xencore_error *err)
{
	if (!err || err == &xencore_enomem)
		return;
	free(err->message);
	free(err);
}
