// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * test-kdumpfile.c: libkdumpfile as an independent reader: it must see the
 * fixture as xc_core_elf and return the same bytes as xencore for every
 * dumped page, read by pfn and by mfn.
 *
 * Usage: test-kdumpfile DUMP...   Exit 0 pass, 1 fail, 99 harness error.
 *
 * test-kdumpfile --filtered IN OUT KEPT: OUT is what `xencore filter` made
 * of IN.  libkdumpfile must open OUT (as diskdump, elf or xc_core_elf) and,
 * for every page OUT's own pfn -> mfn table lists, return by pfn the bytes
 * xencore reads from IN by that mfn (and by mfn too, for xc_core); exactly
 * KEPT pages are compared.  A native export's page tables hold pfns where
 * IN's hold mfns: there libkdumpfile must return what xencore reads from
 * OUT, and those pages are counted ("N page tables differ from IN").
 * Pages of IN that OUT left out must be zero pages (only -d 1 exists).  It
 * prints how many it left out and how many zero pages OUT still holds.
 *
 * test-kdumpfile --pfns FILE, --ram-pfns FILE: see print_pfns().
 */
#include <config.h>

#include <fcntl.h>
#include <inttypes.h>
#include <libkdumpfile/kdumpfile.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xencore.h"

#define PAGE 4096

static int failures;

static bool kdump_page(kdump_ctx_t *ctx, kdump_addrspace_t as, uint64_t frame,
		       unsigned char *buf)
{
	size_t len = PAGE;
	kdump_status st = kdump_read(ctx, as, frame * PAGE, buf, &len);
	return st == KDUMP_OK && len == PAGE;
}

/* One page by pfn (or by mfn) through both readers: the bytes must agree. */
static void compare(const char *path, struct xencore_dump *dump,
		    kdump_ctx_t *ctx, bool by_mfn, uint64_t frame,
		    unsigned char *a, unsigned char *b)
{
	const char *what = by_mfn ? "mfn" : "pfn";
	struct xencore_error *err = by_mfn ? xencore_read_mfn(dump, frame, a)
					   : xencore_read_pfn(dump, frame, a);
	if (err) {
		fprintf(stderr, "%s: xencore: %s\n", path, err->message);
		xencore_error_destroy(err);
		failures++;
		return;
	}
	if (!kdump_page(ctx, by_mfn ? KDUMP_MACHPHYSADDR : KDUMP_KPHYSADDR, frame, b) ||
	    memcmp(a, b, PAGE)) {
		fprintf(stderr, "%s: %s 0x%" PRIx64 ": libkdumpfile %s\n", path, what,
			frame, kdump_get_err(ctx) ? kdump_get_err(ctx) : "returns other bytes");
		failures++;
	}
}

static int check_dump(const char *path)
{
	struct xencore_dump *dump;
	struct xencore_error *err = xencore_dump_open(path, NULL, NULL, &dump);
	if (err) {
		fprintf(stderr, "%s: xencore: %s\n", path, err->message);
		xencore_error_destroy(err);
		return 99;
	}
	struct xencore_p2m *p2m;
	err = xencore_p2m_create(dump, XENCORE_P2M_DUMP, &p2m);
	if (err) {
		fprintf(stderr, "%s: xencore p2m: %s\n", path, err->message);
		xencore_error_destroy(err);
		xencore_dump_destroy(dump);
		return 99;
	}

	int fd = open(path, O_RDONLY);
	kdump_ctx_t *ctx = kdump_new();
	if (fd < 0 || !ctx) {
		perror(path);
		return 99;
	}
	if (kdump_open_fd(ctx, fd) != KDUMP_OK) {
		fprintf(stderr, "%s: libkdumpfile cannot open it: %s\n", path,
			kdump_get_err(ctx));
		failures++;
		goto out;
	}
	const char *format = NULL;
	if (kdump_get_string_attr(ctx, KDUMP_ATTR_FILE_FORMAT, &format) != KDUMP_OK ||
	    strcmp(format, "xc_core_elf")) {
		fprintf(stderr, "%s: libkdumpfile format is %s, want xc_core_elf\n",
			path, format ? format : "(none)");
		failures++;
	}

	unsigned char a[PAGE], b[PAGE];
	size_t nr, pages = 0, absent = 0;
	const struct xencore_p2m_run *runs = xencore_p2m_runs(p2m, &nr);
	for (size_t r = 0; r < nr; r++) {
		const struct xencore_p2m_run *run = &runs[r];
		if (run->kind != XENCORE_RUN_MAPPED) {
			/* libkdumpfile must not find a page xencore says is absent. */
			if (kdump_page(ctx, KDUMP_KPHYSADDR, run->pfn, b)) {
				fprintf(stderr, "%s: libkdumpfile reads pfn 0x%" PRIx64 " that is not in .xen_p2m\n",
					path, run->pfn);
				failures++;
			}
			absent++;
			continue;
		}
		for (uint64_t i = 0; i < run->count; i++, pages++) {
			compare(path, dump, ctx, false, run->pfn + i, a, b);
			compare(path, dump, ctx, true, run->mfn + i, a, b);
		}
	}
	/* Every dumped page; HVM dumps may end in ~0 records with no page. */
	if (!pages || pages > xencore_dump_info(dump)->nr_pages ||
	    (!xencore_dump_info(dump)->hvm && pages != xencore_dump_info(dump)->nr_pages)) {
		fprintf(stderr, "%s: compared %zu pages, the dump has %" PRIu64 "\n",
			path, pages, xencore_dump_info(dump)->nr_pages);
		failures++;
	}
	printf("%s: %zu pages equal by pfn and by mfn, %zu absent runs checked\n",
	       path, pages, absent);
out:
	kdump_free(ctx);
	close(fd);
	xencore_p2m_destroy(p2m);
	xencore_dump_destroy(dump);
	return 0;
}

static int check_filtered(const char *in_path, const char *out_path, uint64_t kept)
{
	struct xencore_dump *in, *out;
	struct xencore_p2m *out_p2m, *in_p2m = NULL;
	struct xencore_error *err = xencore_dump_open(in_path, NULL, NULL, &in);
	if (!err && (err = xencore_dump_open(out_path, NULL, NULL, &out)))
		xencore_dump_destroy(in);
	if (err) {
		fprintf(stderr, "xencore: %s\n", err->message);
		return 99;
	}
	if ((err = xencore_p2m_create(out, XENCORE_P2M_DUMP, &out_p2m))) {
		fprintf(stderr, "%s: xencore p2m: %s\n", out_path, err->message);
		return 99;
	}
	/* IN's own table, to find the pages OUT left out (none for legacy). */
	if ((err = xencore_p2m_create(in, XENCORE_P2M_DUMP, &in_p2m))) {
		xencore_error_destroy(err);
		in_p2m = NULL;
	}
	int fd = open(out_path, O_RDONLY);
	kdump_ctx_t *ctx = kdump_new();
	if (fd < 0 || !ctx || kdump_open_fd(ctx, fd) != KDUMP_OK) {
		fprintf(stderr, "%s: libkdumpfile cannot open it: %s\n", out_path,
			ctx ? kdump_get_err(ctx) : "no memory");
		return 1;
	}
	const char *format = NULL;
	kdump_get_string_attr(ctx, KDUMP_ATTR_FILE_FORMAT, &format);
	bool diskdump = format && !strcmp(format, "diskdump");
	bool elf = format && !strcmp(format, "elf");
	bool native = xencore_dump_info(out)->native;
	if (!format || (!diskdump && !elf && strcmp(format, "xc_core_elf"))) {
		fprintf(stderr, "%s: libkdumpfile format is %s\n", out_path, format ? format : "(none)");
		return 1;
	}
	unsigned char a[PAGE], b[PAGE];
	static const unsigned char zero[PAGE];
	uint64_t pages = 0, dropped = 0, kept_zero = 0, tables = 0;
	size_t nr;
	const struct xencore_p2m_run *runs = xencore_p2m_runs(out_p2m, &nr);
	for (size_t r = 0; r < nr; r++) {
		if (runs[r].kind != XENCORE_RUN_MAPPED)
			continue;
		for (uint64_t i = 0; i < runs[r].count; i++, pages++) {
			uint64_t pfn = runs[r].pfn + i, mfn = runs[r].mfn + i;
			if ((err = xencore_read_mfn(in, mfn, a))) {
				fprintf(stderr, "%s: %s\n", in_path, err->message);
				xencore_error_destroy(err);
				failures++;
				continue;
			}
			kept_zero += !memcmp(a, zero, PAGE);
			/* A native export's page tables: what xencore reads from OUT. */
			if (native && (err = xencore_read_pfn(out, pfn, b))) {
				fprintf(stderr, "%s: %s\n", out_path, err->message);
				xencore_error_destroy(err);
				failures++;
				continue;
			}
			if (native && memcmp(a, b, PAGE)) {
				tables++;
				memcpy(a, b, PAGE);
			}
			/*
			 * A diskdump's frames are libkdumpfile's machine addresses,
			 * and so are an ELF core's physical ones (libkdumpfile 0.5.1
			 * reads KPHYSADDR only with addrxlat.ostype set).
			 */
			if (!kdump_page(ctx, diskdump || elf ? KDUMP_MACHPHYSADDR : KDUMP_KPHYSADDR, pfn, b) ||
			    memcmp(a, b, PAGE)) {
				fprintf(stderr, "%s: pfn 0x%" PRIx64 ": libkdumpfile %s\n", out_path, pfn,
					kdump_get_err(ctx) ? kdump_get_err(ctx) : "returns other bytes");
				failures++;
			}
			if (!diskdump && !elf &&
			    (!kdump_page(ctx, KDUMP_MACHPHYSADDR, mfn, b) || memcmp(a, b, PAGE))) {
				fprintf(stderr, "%s: mfn 0x%" PRIx64 ": libkdumpfile %s\n", out_path, mfn,
					kdump_get_err(ctx) ? kdump_get_err(ctx) : "returns other bytes");
				failures++;
			}
		}
	}
	if (pages != kept) {
		fprintf(stderr, "%s: its table lists %" PRIu64 " pages, the filter said %" PRIu64 " kept\n",
			out_path, pages, kept);
		failures++;
	}
	/* Every page of IN that OUT lacks must be a zero page. */
	if (in_p2m) {
		runs = xencore_p2m_runs(in_p2m, &nr);
		for (size_t r = 0; r < nr; r++) {
			if (runs[r].kind != XENCORE_RUN_MAPPED)
				continue;
			for (uint64_t i = 0; i < runs[r].count; i++) {
				const struct xencore_p2m_run *o = xencore_p2m_find(out_p2m, runs[r].pfn + i);
				if (o && o->kind == XENCORE_RUN_MAPPED)
					continue;
				dropped++;
				if ((err = xencore_read_pfn(in, runs[r].pfn + i, a)) || memcmp(a, zero, PAGE)) {
					fprintf(stderr, "%s: pfn 0x%" PRIx64 " was left out but is not a zero page\n",
						out_path, runs[r].pfn + i);
					xencore_error_destroy(err);
					failures++;
				}
			}
		}
	}
	printf("%s: %" PRIu64 " pages equal through libkdumpfile (%s), %" PRIu64 " zero pages left out, %" PRIu64 " zero pages in it, %" PRIu64 " page tables differ from IN\n",
	       out_path, pages, format, dropped, kept_zero, tables);
	kdump_free(ctx);
	close(fd);
	xencore_p2m_destroy(out_p2m);
	xencore_p2m_destroy(in_p2m);
	xencore_dump_destroy(out);
	xencore_dump_destroy(in);
	return failures ? 1 : 0;
}

/*
 * test-kdumpfile --pfns FILE: the pfns a kdump-compressed file holds (its
 * page bitmap, as libkdumpfile reads it), as "START COUNT" runs in decimal:
 * to compare makedumpfile's own output with xencore's.
 */
static int print_pfns(const char *path)
{
	int fd = open(path, O_RDONLY);
	kdump_ctx_t *ctx = kdump_new();
	kdump_attr_t attr;
	attr.type = KDUMP_BITMAP;
	if (fd < 0 || !ctx || kdump_open_fd(ctx, fd) != KDUMP_OK ||
	    kdump_get_typed_attr(ctx, KDUMP_ATTR_FILE_PAGEMAP, &attr) != KDUMP_OK) {
		fprintf(stderr, "%s: libkdumpfile cannot read its page bitmap: %s\n", path,
			ctx ? kdump_get_err(ctx) : "no memory");
		return 99;
	}
	kdump_addr_t pfn = 0;
	while (kdump_bmp_find_set(attr.val.bitmap, &pfn) == KDUMP_OK) {
		kdump_addr_t end = pfn;
		if (kdump_bmp_find_clear(attr.val.bitmap, &end) != KDUMP_OK)
			return 99;
		printf("%" PRIu64 " %" PRIu64 "\n", (uint64_t)pfn, (uint64_t)(end - pfn));
		pfn = end;
	}
	kdump_free(ctx);
	close(fd);
	return 0;
}

/*
 * test-kdumpfile --ram-pfns FILE: the pfns of a kdump-compressed file's
 * first bitmap (the pages the machine had), read straight from the file
 * as makedumpfile's diskdump_mod.h lays it out: the header's block_size
 * (428), sub_hdr_size (432, in blocks), the sub-header's max_mapnr_64
 * (one block in, at 96); the bitmap follows the sub-header.  An i686
 * file in the 32-bit layout has them at 416, 420 and 72.  Runs as --pfns
 * prints them.  (libkdumpfile 0.5.1's memory.pagemap leaks.)
 */
static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int print_ram_pfns(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char h[464], sh[104];
	if (!f || fread(h, 1, sizeof(h), f) != sizeof(h)) {
		fprintf(stderr, "%s: cannot read its header\n", path);
		return 99;
	}
	/* utsname.machine: 12 + 4 * 65 */
	bool i686 = !memcmp(h + 272, "i686", 5) && get32(h + 416) == 4096;
	uint32_t block = get32(h + (i686 ? 416 : 428)), sub = get32(h + (i686 ? 420 : 432));
	unsigned int mapnr_at = i686 ? 72 : 96;
	uint64_t mapnr = 0;
	if (block != 4096 || fseek(f, block, SEEK_SET) || fread(sh, 1, sizeof(sh), f) != sizeof(sh) ||
	    fseek(f, (long)(1 + (uint64_t)sub) * block, SEEK_SET)) {
		fprintf(stderr, "%s: cannot read its sub-header\n", path);
		return 99;
	}
	for (int i = 7; i >= 0; i--)
		mapnr = mapnr << 8 | sh[mapnr_at + i];
	uint64_t start = 0;
	bool in = false;
	for (uint64_t pfn = 0; pfn < mapnr; pfn += 8) {
		int c = fgetc(f);
		if (c == EOF) {
			fprintf(stderr, "%s: its first bitmap is cut short\n", path);
			return 99;
		}
		for (uint64_t b = 0; b < 8 && pfn + b < mapnr; b++) {
			bool set = c >> b & 1;
			if (set && !in)
				start = pfn + b;
			else if (!set && in)
				printf("%" PRIu64 " %" PRIu64 "\n", start, pfn + b - start);
			in = set;
		}
	}
	if (in)
		printf("%" PRIu64 " %" PRIu64 "\n", start, mapnr - start);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "--filtered"))
		return check_filtered(argv[2], argv[3], strtoull(argv[4], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "--pfns"))
		return print_pfns(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "--ram-pfns"))
		return print_ram_pfns(argv[2]);
	if (argc < 2) {
		fprintf(stderr, "usage: test-kdumpfile DUMP...\n");
		return 99;
	}
	for (int i = 1; i < argc; i++) {
		int rc = check_dump(argv[i]);
		if (rc)
			return rc;
	}
	return failures ? 1 : 0;
}
