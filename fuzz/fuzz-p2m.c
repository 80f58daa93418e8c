// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-p2m.c: the guest's own p2m structures are the input, on a fixed
 * template dump ($XENCORE_FUZZ_TEMPLATE, a 64-bit fixture such as
 * testdata/good-linear.xc).  At start the harness walks the template's page
 * tables from p2m_cr3 (every present entry, four levels) and its 3-level
 * tree, and notes where those pages lie in the file.  Each input is a list
 * of patches {u8 page, u16 offset, u8 length, bytes} to those pages: every
 * p2m source is built on the patched dump and cross-checked, then the
 * pages are put back.  Headers stay valid, so the executions go to the
 * walkers, not to the parsers (fuzz-open covers those).
 */
#define _GNU_SOURCE 1
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "fuzz-common.h"
#include "xencore.h"

#define PAGE 4096
#define MAX_PAGES 1024

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];
static unsigned char *image;	/* the template file */
static size_t image_size;
static uint64_t offsets[MAX_PAGES];	/* file offsets of the structural pages */
static size_t nr_pages;

/* Where the page with these bytes is in the file (pages are page aligned). */
static void add_page(const unsigned char *bytes)
{
	for (size_t off = 0; off + PAGE <= image_size && nr_pages < MAX_PAGES; off += PAGE) {
		if (memcmp(image + off, bytes, PAGE))
			continue;
		for (size_t i = 0; i < nr_pages; i++)
			if (offsets[i] == off)
				return;
		offsets[nr_pages++] = off;
		return;
	}
}

/* Every table and leaf page reachable from mfn in `levels` levels (a BFS). */
static void collect(struct xencore_dump *dump, uint64_t root, int levels, unsigned int word)
{
	uint64_t queue[MAX_PAGES];
	int depth[MAX_PAGES];
	size_t head = 0, tail = 0;
	unsigned char page[PAGE];
	queue[tail] = root;
	depth[tail++] = levels;
	while (head < tail) {
		uint64_t mfn = queue[head];
		int d = depth[head++];
		struct xencore_error *err = xencore_read_mfn(dump, mfn, page);
		if (err) {
			xencore_error_destroy(err);
			continue;
		}
		add_page(page);
		if (d <= 1)
			continue;
		for (size_t i = 0; i < PAGE / word && tail < MAX_PAGES; i++) {
			uint64_t e = 0;
			memcpy(&e, page + i * word, word);
			uint64_t next = word == 8 ? (e & 0x000ffffffffff000ull) >> 12 : e;
			if (word == 8 && !(e & 1))
				continue;
			bool dumped = false;
			if (next && e != ~0ull)
				xencore_error_destroy(xencore_has_mfn(dump, next, &dumped));
			if (!dumped)
				continue;
			queue[tail] = next;
			depth[tail++] = d - 1;
		}
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *template = getenv("XENCORE_FUZZ_TEMPLATE");
	if (!template)
		template = "testdata/good-linear.xc";
	FILE *f = fopen(template, "rb");
	if (!f) {
		perror(template);
		abort();
	}
	struct stat st;
	if (fstat(fileno(f), &st) < 0 || !(image = malloc((size_t)st.st_size)) ||
	    fread(image, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		abort();
	fclose(f);
	image_size = (size_t)st.st_size;
	fd = memfd_create("xencore-fuzz-p2m", 0);
	if (fd < 0 || pwrite(fd, image, image_size, 0) != (ssize_t)image_size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);

	struct xencore_dump *dump;
	struct xencore_error *err = xencore_dump_open(path, NULL, NULL, &dump);
	if (err) {
		fprintf(stderr, "%s: %s\n", template, err->message);
		abort();
	}
	const struct xencore_dump_info *info = xencore_dump_info(dump);
	if (info->guest_bits != 64 || !info->has_linear_p2m) {
		fprintf(stderr, "%s: the template must be a 64-bit guest with a linear p2m\n", template);
		abort();
	}
	collect(dump, info->p2m_root_mfn, 5, 8);	/* 4 table levels and the p2m pages */
	if (info->has_tree_p2m)
		collect(dump, info->frame_list_list, 3, 8);
	xencore_dump_destroy(dump);
	fprintf(stderr, "fuzz-p2m: %zu structural pages in %s\n", nr_pages, template);
	return nr_pages ? 0 : (abort(), 0);
}

static void drop(struct xencore_error *err)
{
	xencore_error_destroy(err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool touched[MAX_PAGES] = { false };
	unsigned char page[PAGE];
	/* Patch: which page, where, how long, then the bytes. */
	for (size_t at = 0; at + 4 <= size;) {
		size_t which = data[at] % nr_pages;
		size_t off = (size_t)(data[at + 1] | data[at + 2] << 8) % PAGE;
		size_t len = data[at + 3];
		at += 4;
		if (len > size - at)
			len = size - at;
		if (len > PAGE - off)
			len = PAGE - off;
		memcpy(page, image + offsets[which], PAGE);
		if (touched[which] && pread(fd, page, PAGE, (off_t)offsets[which]) != PAGE)
			abort();
		memcpy(page + off, data + at, len);
		if (pwrite(fd, page, PAGE, (off_t)offsets[which]) != PAGE)
			abort();
		touched[which] = true;
		at += len;
	}

	struct xencore_dump *dump;
	struct xencore_error *err = xencore_dump_open(path, NULL, NULL, &dump);
	if (!err) {
		struct xencore_p2m *p2m[3];
		size_t n = 0;
		const enum xencore_p2m_source src[] = {
			XENCORE_P2M_LINEAR, XENCORE_P2M_TREE, XENCORE_P2M_DUMP,
		};
		drop(xencore_linear_p2m_check(dump));
		for (size_t i = 0; i < 3; i++) {
			err = xencore_p2m_create(dump, src[i], &p2m[n]);
			if (err)
				drop(err);
			else
				n++;
		}
		struct xencore_check *chk;
		err = xencore_check_create(dump, p2m, n, &chk);
		if (err)
			drop(err);
		else
			xencore_check_destroy(chk);
		if (n) {
			uint64_t pfn;
			(void)xencore_p2m_mfn_to_pfn(p2m[0], 0x2000000, &pfn);
		}
		for (size_t i = 0; i < n; i++)
			xencore_p2m_destroy(p2m[i]);
		xencore_dump_destroy(dump);
	} else {
		drop(err);
	}
	/* Put the template back. */
	for (size_t i = 0; i < nr_pages; i++)
		if (touched[i] && pwrite(fd, image + offsets[i], PAGE, (off_t)offsets[i]) != PAGE)
			abort();
	return 0;
}
