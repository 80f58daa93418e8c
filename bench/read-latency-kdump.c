// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * read-latency-kdump.c: the libkdumpfile side of bench/read-latency: one
 * fresh process that opens an xc_core dump, sets up Linux address
 * translation and reads LEN bytes at kernel virtual address ADDR, the work
 * `xencore read --vmlinux F DUMP linux_banner` does.  The bytes go to stdout
 * as they are (the script compares them with `xencore read --format=raw`).
 *
 * Usage: read-latency-kdump DUMP ADDR LEN
 *   ADDR is what `xencore sym` prints (0x-prefixed hex), 0 < LEN <= 1 MiB.
 * Exit: 0 bytes written; 1 libkdumpfile failed (why on stderr); 2 usage.
 *
 * As in tests/kdump-kvread.c: libkdumpfile 0.5.1 opens an ELF xc_core as
 * "xc_core_elf", and setting addrxlat.ostype to "linux" builds the x86_64
 * translation from vcpu0's cr3 (a machine address; the PTEs hold MFNs) and
 * .xen_p2m.
 *
 * Build: gcc -std=c11 -O2 -o read-latency-kdump bench/read-latency-kdump.c \
 *        $(pkg-config --cflags --libs libkdumpfile)
 */
#define _GNU_SOURCE 1	/* open, close under -std=c11 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG "read-latency-kdump"
#define MAX_LEN (1u << 20)

enum { EXIT_READ = 1, EXIT_USAGE = 2 };

static bool parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*ret = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

int main(int argc, char **argv)
{
	const char *path;
	uint64_t addr, len;
	unsigned char *buf;
	size_t got;
	kdump_ctx_t *ctx;
	int fd, rc = EXIT_READ;

	if (argc != 4 || !parse_u64(argv[2], &addr) || !parse_u64(argv[3], &len) ||
	    len == 0 || len > MAX_LEN) {
		fprintf(stderr, "Usage: " PROG " DUMP ADDR LEN   (0 < LEN <= %u)\n", MAX_LEN);
		return EXIT_USAGE;
	}
	path = argv[1];
	buf = malloc(len);
	if (!buf) {
		fprintf(stderr, PROG ": out of memory\n");
		return EXIT_READ;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		free(buf);
		return EXIT_READ;
	}
	ctx = kdump_new();
	if (!ctx) {
		fprintf(stderr, PROG ": %s: kdump_new failed\n", path);
		goto out_fd;
	}
	if (kdump_open_fd(ctx, fd) != KDUMP_OK) {
		fprintf(stderr, PROG ": %s: kdump_open_fd: %s\n", path, kdump_get_err(ctx));
		goto out;
	}
	if (kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux") != KDUMP_OK) {
		fprintf(stderr, PROG ": %s: setting %s: %s\n", path, KDUMP_ATTR_OSTYPE,
			kdump_get_err(ctx));
		goto out;
	}
	got = len;
	if (kdump_read(ctx, KDUMP_KVADDR, addr, buf, &got) != KDUMP_OK) {
		fprintf(stderr, PROG ": %s: kdump_read of %" PRIu64 " bytes at KVADDR 0x%" PRIx64
			" (%zu read): %s\n", path, len, addr, got, kdump_get_err(ctx));
		goto out;
	}
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr, PROG ": write error\n");
		goto out;
	}
	rc = 0;
out:
	kdump_free(ctx);
out_fd:
	close(fd);
	free(buf);
	return rc;
}
