// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kdump-kvread.c: libkdumpfile as an independent reader of guest kernel
 * virtual memory in an xc_core dump: prints LEN bytes at kernel virtual
 * address ADDR as lower-case hex on one line (like `xxd -p -c 0`).
 *
 * Usage: kdump-kvread DUMP ADDR LEN [ROOT]
 *   ROOT is the L4 root page table to translate with instead of vcpu0's
 *   cr3: an MFN (0x2000c9d), MACHPHYS:0xADDR (its machine address) or
 *   KPHYS:0xADDR (its guest-physical address, e.g. the init_top_pgt
 *   symbol - 0xffffffff80000000; libkdumpfile's own p2m turns it into a
 *   machine address).
 * Exit: 0 bytes printed; 1 libkdumpfile cannot read them (why on stderr);
 *       77 libkdumpfile cannot be set up for DUMP at all; 99 usage error.
 *
 * How libkdumpfile 0.5.1 does it (src/kdumpfile/elfdump.c, vtop.c,
 * src/addrxlat/x86_64.c): an ELF xc_core with .xen_p2m is opened as
 * "xc_core_elf" with xen.xlat non-auto, .xen_prstatus gives cpu.N.reg.cr3
 * (ctrlreg[3]), and setting addrxlat.ostype to "linux" builds the x86_64
 * Linux translation: the page-table root is the register "cr3" (a machine
 * address, the PTEs hold MFNs), the kernel-text mapping at
 * __START_KERNEL_map is probed from that table, and pfn <-> mfn use
 * .xen_p2m.  0.5.1 has no attribute for addrxlat options (no
 * "addrxlat.opts.pre"), so ROOT is given by overriding cpu.0.reg.cr3 before
 * the translation is set up.
 *
 * The KPHYS: form needs three libaddrxlat calls.  libkdumpfile.pc lists
 * libaddrxlat only in Requires.private, so the link line below does not
 * name it; the calls are looked up with dlsym() in the libaddrxlat that
 * libkdumpfile has loaded (glibc 2.34+ has dlsym in libc).
 *
 * Build: gcc -std=c11 -Wall -Wextra -o kdump-kvread tests/kdump-kvread.c \
 *        $(pkg-config --cflags --libs libkdumpfile)
 */
#define _GNU_SOURCE 1	/* open, close, RTLD_DEFAULT under -std=c11 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROG "kdump-kvread"
#define PAGE_SHIFT 12
#define MAX_LEN (1u << 20)	/* a test reads a symbol, not the whole guest */

enum { EXIT_READ = 1, EXIT_SKIP = 77, EXIT_USAGE = 99 };

static bool parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*ret = strtoull(s, &end, 0);
	return errno == 0 && *end == '\0';
}

/* Opens path in a new libkdumpfile context; NULL (message printed) on failure. */
static kdump_ctx_t *open_dump(const char *path, int *fd_ret)
{
	kdump_ctx_t *ctx;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
		return NULL;
	}
	ctx = kdump_new();
	if (!ctx) {
		fprintf(stderr, PROG ": %s: kdump_new failed\n", path);
		close(fd);
		return NULL;
	}
	if (kdump_open_fd(ctx, fd) != KDUMP_OK) {
		fprintf(stderr, PROG ": %s: libkdumpfile cannot open it: %s\n", path,
			kdump_get_err(ctx));
		kdump_free(ctx);
		close(fd);
		return NULL;
	}
	*fd_ret = fd;
	return ctx;
}

/* Sets up Linux address translation (the step that reads cpu.0.reg.cr3). */
static bool set_linux(kdump_ctx_t *ctx, const char *path)
{
	if (kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux") != KDUMP_OK) {
		fprintf(stderr, PROG ": %s: libkdumpfile: setting %s: %s\n", path,
			KDUMP_ATTR_OSTYPE, kdump_get_err(ctx));
		return false;
	}
	return true;
}

/* The libaddrxlat calls the KPHYS: form needs (see the top of the file). */
struct addrxlat_calls {
	addrxlat_status (*fulladdr_conv)(addrxlat_fulladdr_t *, addrxlat_addrspace_t,
					 addrxlat_ctx_t *, addrxlat_sys_t *);
	const char *(*ctx_get_err)(const addrxlat_ctx_t *);
	unsigned long (*ctx_decref)(addrxlat_ctx_t *);
	unsigned long (*sys_decref)(addrxlat_sys_t *);
};

static bool find_addrxlat(struct addrxlat_calls *ax)
{
	/* POSIX's way to store a dlsym() result in a function pointer. */
	*(void **)&ax->fulladdr_conv = dlsym(RTLD_DEFAULT, "addrxlat_fulladdr_conv");
	*(void **)&ax->ctx_get_err = dlsym(RTLD_DEFAULT, "addrxlat_ctx_get_err");
	*(void **)&ax->ctx_decref = dlsym(RTLD_DEFAULT, "addrxlat_ctx_decref");
	*(void **)&ax->sys_decref = dlsym(RTLD_DEFAULT, "addrxlat_sys_decref");
	return ax->fulladdr_conv && ax->ctx_get_err && ax->ctx_decref && ax->sys_decref;
}

/*
 * Guest-physical kphys to a machine address through libkdumpfile's own
 * p2m (.xen_p2m), in a throw-away context.  Returns 0, EXIT_READ or
 * EXIT_SKIP.
 */
static int kphys_to_machine(const char *path, uint64_t kphys, uint64_t *ret)
{
	struct addrxlat_calls ax;
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *axsys;
	addrxlat_fulladdr_t fa = { .addr = kphys, .as = ADDRXLAT_KPHYSADDR };
	int fd, rc = 0;
	kdump_ctx_t *ctx;

	if (!find_addrxlat(&ax)) {
		fprintf(stderr, PROG ": libaddrxlat calls not found: %s\n", dlerror());
		return EXIT_SKIP;
	}
	ctx = open_dump(path, &fd);
	if (!ctx)
		return EXIT_SKIP;
	if (!set_linux(ctx, path) || kdump_get_addrxlat(ctx, &axctx, &axsys) != KDUMP_OK) {
		rc = EXIT_SKIP;
	} else {
		if (ax.fulladdr_conv(&fa, ADDRXLAT_MACHPHYSADDR, axctx, axsys) != ADDRXLAT_OK) {
			fprintf(stderr, PROG ": %s: libkdumpfile cannot translate KPHYS:0x%" PRIx64
				" to a machine address: %s\n", path, kphys, ax.ctx_get_err(axctx));
			rc = EXIT_READ;
		} else {
			*ret = fa.addr;
		}
		ax.sys_decref(axsys);
		ax.ctx_decref(axctx);
	}
	kdump_free(ctx);
	close(fd);
	return rc;
}

/* ROOT as a machine address: MFN, MACHPHYS:ADDR or KPHYS:ADDR.  0, or an exit status. */
static int parse_root(const char *path, const char *arg, uint64_t *ret)
{
	uint64_t v;

	if (!strncmp(arg, "MACHPHYS:", 9) && parse_u64(arg + 9, &v)) {
		*ret = v;
		return 0;
	}
	if (!strncmp(arg, "KPHYS:", 6) && parse_u64(arg + 6, &v))
		return kphys_to_machine(path, v, ret);
	if (parse_u64(arg, &v) && v < (UINT64_C(1) << (64 - PAGE_SHIFT))) {
		*ret = v << PAGE_SHIFT;
		return 0;
	}
	fprintf(stderr, PROG ": bad ROOT '%s' (want MFN, MACHPHYS:ADDR or KPHYS:ADDR)\n", arg);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const char *path;
	uint64_t addr, len, root = 0;
	unsigned char *buf;
	size_t got;
	kdump_ctx_t *ctx;
	int fd, rc = 0;

	if (argc < 4 || argc > 5 || !parse_u64(argv[2], &addr) || !parse_u64(argv[3], &len) ||
	    len == 0 || len > MAX_LEN) {
		fprintf(stderr, "Usage: " PROG " DUMP ADDR LEN [ROOT]   (0 < LEN <= %u)\n", MAX_LEN);
		return EXIT_USAGE;
	}
	path = argv[1];
	if (argc == 5 && (rc = parse_root(path, argv[4], &root)) != 0)
		return rc;

	ctx = open_dump(path, &fd);
	if (!ctx)
		return EXIT_SKIP;
	/* Before the translation is set up: it takes the root from here. */
	if (argc == 5 && kdump_set_number_attr(ctx, "cpu.0.reg.cr3", root) != KDUMP_OK) {
		fprintf(stderr, PROG ": %s: libkdumpfile: setting cpu.0.reg.cr3: %s\n", path,
			kdump_get_err(ctx));
		rc = EXIT_SKIP;
		goto out;
	}
	if (!set_linux(ctx, path)) {
		rc = EXIT_SKIP;
		goto out;
	}

	buf = malloc(len);
	if (!buf) {
		fprintf(stderr, PROG ": out of memory\n");
		rc = EXIT_SKIP;
		goto out;
	}
	got = len;
	if (kdump_read(ctx, KDUMP_KVADDR, addr, buf, &got) != KDUMP_OK) {
		fprintf(stderr, PROG ": %s: libkdumpfile cannot read %" PRIu64
			" bytes at KVADDR 0x%" PRIx64 " (%zu read): %s\n",
			path, len, addr, got, kdump_get_err(ctx));
		rc = EXIT_READ;
	} else {
		for (size_t i = 0; i < len; i++)
			printf("%02x", buf[i]);
		putchar('\n');
		if (fflush(stdout) != 0)
			rc = EXIT_READ;
	}
	free(buf);
out:
	kdump_free(ctx);
	close(fd);
	return rc;
}
