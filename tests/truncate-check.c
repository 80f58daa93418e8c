// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * truncate-check.c: a dump cut short at every section boundary (and one
 * byte either side) and at RANDOM pseudo-random offsets still gives back
 * every page it holds whole, byte for byte, and refuses the pages it does
 * not.  A page is held whole when its bytes and its table entry (the
 * .xen_p2m / .xen_pfn record, or the legacy index's) are before the cut
 * and the headers before them are too.
 *
 *     truncate-check DUMP RANDOM SEED TMPDIR
 *
 * Prints one line per failure and a summary; exits 1 on any failure.
 */
#include <config.h>

#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dump-priv.h"
#include "page-index.h"
#include "xencore.h"

static int failures;

#define FAIL(...)                                                              \
	do {                                                                   \
		fprintf(stderr, "FAIL: " __VA_ARGS__);                         \
		fputc('\n', stderr);                                           \
		failures++;                                                    \
	} while (0)

/* The original's layout: where each page and its entry are, and what must precede them. */
struct layout {
	uint64_t size;		/* the original file's */
	uint64_t headers_end;	/* ELF: section headers and .note.Xen; legacy: the index */
	uint64_t cuts[64];	/* section starts and ends */
	size_t nr_cuts;
};

static void cut_at(struct layout *l, uint64_t off)
{
	if (l->nr_cuts < sizeof(l->cuts) / sizeof(l->cuts[0]) && off && off < l->size)
		l->cuts[l->nr_cuts++] = off;
}

/* Section boundaries and the headers' end, read with libelf (the legacy header by hand). */
static int read_layout(const char *path, struct layout *l)
{
	memset(l, 0, sizeof(*l));
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	l->size = (uint64_t)lseek(fd, 0, SEEK_END);
	unsigned char head[24];
	if (pread(fd, head, sizeof(head), 0) != (ssize_t)sizeof(head)) {
		close(fd);
		return -1;
	}
	if (memcmp(head, ELFMAG, SELFMAG)) {
		/* legacy: u32 magic, nr_vcpus, nr_pages, ctxt, index, pages */
		uint32_t v[6];
		memcpy(v, head, sizeof(v));
		l->headers_end = v[5];	/* up to the pages: header, contexts, index */
		for (int i = 3; i < 6; i++)
			cut_at(l, v[i]);
		close(fd);
		return 0;
	}
	elf_version(EV_CURRENT);
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	GElf_Ehdr eh;
	size_t shstrndx;
	if (!elf || !gelf_getehdr(elf, &eh) || elf_getshdrstrndx(elf, &shstrndx) < 0) {
		elf_end(elf);
		close(fd);
		return -1;
	}
	l->headers_end = eh.e_shoff + (uint64_t)eh.e_shnum * eh.e_shentsize;
	cut_at(l, eh.e_shoff);
	cut_at(l, l->headers_end);
	Elf_Scn *scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			continue;
		const char *name = elf_strptr(elf, shstrndx, sh.sh_name);
		cut_at(l, sh.sh_offset);
		cut_at(l, sh.sh_offset + sh.sh_size);
		if (name && !strcmp(name, ".note.Xen") && sh.sh_offset + sh.sh_size > l->headers_end)
			l->headers_end = sh.sh_offset + sh.sh_size;
	}
	elf_end(elf);
	close(fd);
	return 0;
}

static int write_prefix(const char *from, const char *to, uint64_t len)
{
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	char buf[65536];
	int rc = in < 0 || out < 0 ? -1 : 0;
	for (uint64_t off = 0; !rc && off < len;) {
		size_t n = len - off < sizeof(buf) ? (size_t)(len - off) : sizeof(buf);
		if (pread(in, buf, n, (off_t)off) != (ssize_t)n || write(out, buf, n) != (ssize_t)n)
			rc = -1;
		off += n;
	}
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

static void ignore(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* Checks one cut of the original (opened as orig, every record indexed). */
static void check_cut(struct xencore_dump *orig, const struct layout *l, const char *path,
		      const char *tmp, uint64_t len, uint64_t *whole_total)
{
	if (write_prefix(path, tmp, len)) {
		FAIL("%s: cannot write %" PRIu64 " bytes to %s", path, len, tmp);
		return;
	}
	const struct page_index *ix = &orig->index;
	const uint64_t psize = orig->info.page_size;
	/* Pages whole in the cut, with their entries, and the headers before them. */
	uint64_t whole = 0;
	for (size_t r = 0; r < ix->nr; r++)
		for (uint64_t k = 0; k < ix->runs[r].count; k++) {
			uint64_t page = ix->runs[r].page + k;
			if (len >= l->headers_end &&
			    orig->pages_offset + (page + 1) * psize <= len &&
			    ix->offset + (page + 1) * ix->entry_size <= len)
				whole++;
		}
	*whole_total += whole;
	struct xencore_dump *cut;
	struct xencore_error *err = xencore_dump_open(tmp, ignore, NULL, &cut);
	if (err) {
		if (whole)
			FAIL("%s cut at %" PRIu64 ": refused (%s) though %" PRIu64 " pages are whole",
			     path, len, err->message, whole);
		xencore_error_destroy(err);
		return;
	}
	if (!xencore_dump_info(cut)->damaged)
		FAIL("%s cut at %" PRIu64 " of %" PRIu64 ": not called damaged", path, len, l->size);
	if ((err = xencore_dump_index_all(cut))) {
		FAIL("%s cut at %" PRIu64 ": indexing: %s", path, len, err->message);
		xencore_error_destroy(err);
	}
	unsigned char *a = malloc(psize), *b = malloc(psize);
	uint64_t got = 0;
	for (size_t r = 0; a && b && r < ix->nr; r++)
		for (uint64_t k = 0; k < ix->runs[r].count; k++) {
			uint64_t page = ix->runs[r].page + k, mfn = ix->runs[r].mfn + k;
			bool is_whole = orig->pages_offset + (page + 1) * psize <= len &&
					ix->offset + (page + 1) * ix->entry_size <= len;
			struct xencore_error *e1 = xencore_read_mfn(orig, mfn, a);
			struct xencore_error *e2 = xencore_read_mfn(cut, mfn, b);
			if (e1)
				FAIL("%s: the original's mfn 0x%" PRIx64 " is unreadable", path, mfn);
			else if (is_whole && e2)
				FAIL("%s cut at %" PRIu64 ": whole page %" PRIu64 " (mfn 0x%" PRIx64 "): %s",
				     path, len, page, mfn, e2->message);
			else if (!is_whole && !e2)
				FAIL("%s cut at %" PRIu64 ": page %" PRIu64 " (mfn 0x%" PRIx64
				     ") is not whole, yet it reads", path, len, page, mfn);
			else if (!e2 && memcmp(a, b, psize))
				FAIL("%s cut at %" PRIu64 ": page %" PRIu64 " (mfn 0x%" PRIx64 ") differs",
				     path, len, page, mfn);
			got += !e2;
			xencore_error_destroy(e1);
			xencore_error_destroy(e2);
		}
	if (got != whole)
		FAIL("%s cut at %" PRIu64 ": %" PRIu64 " pages read, %" PRIu64 " whole", path, len,
		     got, whole);
	free(a);
	free(b);
	xencore_dump_destroy(cut);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: truncate-check DUMP RANDOM SEED TMPDIR\n");
		return 99;
	}
	const char *path = argv[1];
	unsigned long nr_random = strtoul(argv[2], NULL, 0);
	uint64_t seed = strtoull(argv[3], NULL, 0);
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s/cut.xc", argv[4]);

	struct layout l;
	struct xencore_dump *orig;
	struct xencore_error *err;
	if (read_layout(path, &l) || (err = xencore_dump_open(path, ignore, NULL, &orig))) {
		fprintf(stderr, "truncate-check: cannot read %s\n", path);
		return 99;
	}
	if ((err = xencore_dump_index_all(orig))) {
		fprintf(stderr, "truncate-check: %s: %s\n", path, err->message);
		return 99;
	}
	uint64_t cuts = 0, whole = 0;
	for (size_t i = 0; i < l.nr_cuts; i++)
		for (int d = -1; d <= 1; d++) {
			uint64_t len = l.cuts[i] + (uint64_t)(int64_t)d;
			if (len && len < l.size) {
				check_cut(orig, &l, path, tmp, len, &whole);
				cuts++;
			}
		}
	for (unsigned long i = 0; i < nr_random; i++) {
		/* splitmix64: the same offsets every run */
		uint64_t z = (seed += UINT64_C(0x9e3779b97f4a7c15));
		z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
		z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
		z ^= z >> 31;
		check_cut(orig, &l, path, tmp, 1 + z % (l.size - 1), &whole);
		cuts++;
	}
	unlink(tmp);
	xencore_dump_destroy(orig);
	printf("%s: %" PRIu64 " cuts, %" PRIu64 " whole pages read back, %d failures\n", path, cuts,
	       whole, failures);
	return failures ? 1 : 0;
}
