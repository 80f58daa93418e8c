/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* fuzz-common.h: giving a fuzz input to xencore as a file it can open. */
#ifndef XENCORE_FUZZ_COMMON_H
#define XENCORE_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/* Guests larger than this go no further than opening in the whole-dump harnesses. */
#define FUZZ_MAX_PFN	(UINT64_C(1) << 16)

/*
 * xencore opens files by path: the input goes into a memfd, reached as
 * /proc/self/fd/N (a regular file to fstat), rewritten for each input.
 */
static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("xencore-fuzz", 0);
		if (fd < 0)
			return NULL;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		return NULL;
	return path;
}

#endif /* XENCORE_FUZZ_COMMON_H */
