// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * no-tmpfile.c: an LD_PRELOAD shim for the tests: open(2) with O_TMPFILE
 * fails as on a filesystem without it (EOPNOTSUPP, or the errno number in
 * $NO_TMPFILE_ERRNO: EISDIR is what kernels before 3.11 say), so that
 * filter's fallback to a named temporary file is tested anywhere.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>

typedef int open_fn(const char *, int, ...);

static int shim(const char *name, const char *path, int flags, va_list ap)
{
	mode_t mode = 0;
	if (flags & (O_CREAT | __O_TMPFILE))
		mode = va_arg(ap, mode_t);
	if ((flags & O_TMPFILE) == O_TMPFILE) {
		const char *e = getenv("NO_TMPFILE_ERRNO");
		errno = e && atoi(e) > 0 ? atoi(e) : EOPNOTSUPP;
		return -1;
	}
	open_fn *real = (open_fn *)dlsym(RTLD_NEXT, name);
	if (!real) {
		errno = ENOSYS;
		return -1;
	}
	return real(path, flags, mode);
}

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);

int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int r = shim("open", path, flags, ap);
	va_end(ap);
	return r;
}

int open64(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	int r = shim("open64", path, flags, ap);
	va_end(ap);
	return r;
}
