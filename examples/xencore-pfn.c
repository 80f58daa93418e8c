// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * xencore-pfn.c: a first program against libxencore.  It opens a dump,
 * prints what the library says of it, and the first bytes of one page,
 * named by its pseudo-physical frame number (pfn).
 *
 * Build it against an installed libxencore:
 *
 *   cc -o xencore-pfn xencore-pfn.c $(pkg-config --cflags --libs xencore)
 *
 * Usage: xencore-pfn DUMP [PFN [LEN]]   (PFN 0 and LEN 16 by default)
 * Exit status: 0 read, 1 the page is not in the dump, 2 any other error.
 * tests/example.sh builds it against the installed tree and compares its
 * output with `xencore info` and `xencore read --phys`.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <xencore.h>

/* Warnings about the dump (a damaged file, say) arrive here, one a line. */
static void warn(void *arg, const char *message)
{
	fprintf(stderr, "%s: warning: %s\n", (const char *)arg, message);
}

static int usage(void)
{
	fprintf(stderr, "Usage: xencore-pfn DUMP [PFN [LEN]]\n");
	return 2;
}

/* A whole number in C notation (0x1f, 31), or false. */
static int parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	errno = 0;
	*ret = strtoull(s, &end, 0);
	return *s && *s != '-' && !*end && !errno;
}

int main(int argc, char **argv)
{
	struct xencore_dump *dump;
	struct xencore_error *err;
	const struct xencore_dump_info *info;
	const char *path;
	unsigned char *page;
	uint64_t pfn = 0, len = 16;
	int status = 0;

	if (argc < 2 || argc > 4)
		return usage();
	path = argv[1];
	if ((argc > 2 && !parse_u64(argv[2], &pfn)) || (argc > 3 && !parse_u64(argv[3], &len)))
		return usage();

	/* Every call that can fail returns an error object, NULL on success. */
	err = xencore_dump_open(path, warn, (void *)path, &dump);
	if (err) {
		fprintf(stderr, "%s: %s\n", path, err->message);
		xencore_error_destroy(err);
		return 2;
	}

	info = xencore_dump_info(dump);
	printf("libxencore:  %s\n", xencore_version());
	printf("format:      %s\n", info->format);
	printf("guest_bits:  %u\n", info->guest_bits);
	printf("xen_version: %s\n", info->xen_version ? info->xen_version : "unknown");
	printf("nr_pages:    %" PRIu64 "\n", info->nr_pages);
	printf("page_size:   %" PRIu64 "\n", info->page_size);
	if (info->has_shared_info)
		printf("max_pfn:     0x%" PRIx64 "\n", info->max_pfn);

	if (len > info->page_size)
		len = info->page_size;
	page = malloc(info->page_size);
	if (!page) {
		fprintf(stderr, "%s: out of memory\n", path);
		xencore_dump_destroy(dump);
		return 2;
	}
	err = xencore_read_pfn(dump, pfn, page);
	if (err) {
		fprintf(stderr, "%s: %s\n", path, err->message);
		status = err->code == XENCORE_ERROR_NOT_PRESENT ? 1 : 2;
		xencore_error_destroy(err);
	} else {
		printf("pfn 0x%" PRIx64 ":", pfn);
		for (uint64_t i = 0; i < len; i++)
			printf(" %02x", page[i]);
		printf("\n");
	}

	free(page);
	xencore_dump_destroy(dump);
	return status;
}
