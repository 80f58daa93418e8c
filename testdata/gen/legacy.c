// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * legacy.c: --legacy, the pre-ELF xc_core format of old xc_core.c (before
 * Xen commit e3ce7ff90f, 2007), which crash's xendump.c reads.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>
#endif
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1	/* ftruncate when built standalone */
#endif

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model.h"
#include "util.h"

/* arch-x86/xen.h with xen-x86_32.h: struct vcpu_guest_context, 32-bit, 2800 bytes. */
#define VGC32_SIZE		2800u
#define LEGACY_HDR_SIZE		24u	/* old xenctrl.h struct xc_core_header: six u32 */

/*
 * The legacy dump's layout: contexts of the toolstack's native size (a
 * 32-bit toolstack's 2800 bytes for a PAE guest with 4-byte entries, else
 * 5168) and index entries of m->legacy bytes.
 */
static uint32_t legacy_ctxt_size(const struct model *m)
{
	return m->pae && m->legacy == 4 ? VGC32_SIZE : VGC_SIZE;
}

static uint64_t legacy_pages_offset(const struct model *m, uint32_t entsz)
{
	uint64_t index = LEGACY_HDR_SIZE + (uint64_t)NR_VCPUS * legacy_ctxt_size(m);

	/* xc_core.c: round_pgup(header + contexts + nr_pages * sizeof(index entry)) */
	return align_up(index + m->nr_pages * entsz, PAGE_SIZE);
}

/*
 * Writes the pre-ELF dump of old xc_core.c (before Xen commit e3ce7ff90f,
 * 2007; crash's xendump.c reads it): six u32 (magic, nr_vcpus, nr_pages,
 * ctxt_offset, index_offset, pages_offset), the vcpu contexts, the MFNs of
 * all the domain's pages in its page-list order (xc_get_pfn_list(): not pfn
 * order; here a PRNG order), zero padding to a page, then the pages in
 * index order.  No shared_info and no pfns: a reader walks the kernel's
 * page tables from cr3 by MFN and finds the p2m through kernel symbols.
 */
int write_legacy(const struct model *m, int fd, const char *path)
{
	uint32_t isz = m->legacy, csz = legacy_ctxt_size(m);
	uint64_t index_off = LEGACY_HDR_SIZE + (uint64_t)NR_VCPUS * csz;
	/* legacy-pages-unaligned: the pages really start off a page boundary. */
	uint64_t pages_off = m->bad == BAD_LEGACY_PAGES_UNALIGNED ?
		unaligned_after(index_off + m->nr_pages * isz) : legacy_pages_offset(m, isz);
	uint64_t n = m->nr_pages;
	uint64_t rng = m->seed ^ 0x4c4547414359ULL;	/* own stream: "LEGACY" */
	uint8_t *head = calloc(1, pages_off), *tab = malloc(n ? n * 16 : 1);
	uint8_t *prs = malloc(NR_VCPUS * VGC_SIZE);
	uint32_t nr_field = (uint32_t)n, ctxt_field = LEGACY_HDR_SIZE, vcpus_field = NR_VCPUS;
	uint32_t index_field = (uint32_t)index_off, pages_field = (uint32_t)pages_off;
	int ret = -1;

	if (!head || !tab || !prs) {
		fail("out of memory");
		goto out;
	}
	/*
	 * Offsets must say the entry size: exactly one of 4 and 8 fits them.
	 * tiny's index is too small for that; there a reader goes by the
	 * context size (5168 bytes: a 64-bit toolstack, 8-byte entries), so
	 * the entry size must be the one the contexts say.
	 */
	if ((legacy_pages_offset(m, 4) == legacy_pages_offset(m, 8) &&
	     (isz == 8) != (csz == VGC_SIZE)) || pages_off > UINT32_MAX)
		goto internal;
	memcpy(tab, m->p2m, n * 16);
	for (uint64_t k = n; k > 1; k--) {
		uint64_t j = prng_next(&rng) % k;
		uint8_t t[16];

		memcpy(t, tab + 16 * (k - 1), 16);
		memcpy(tab + 16 * (k - 1), tab + 16 * j, 16);
		memcpy(tab + 16 * j, t, 16);
	}
	if (m->bad == BAD_CTXT_OFFSET)	/* far past the end of the file */
		ctxt_field = 0x7ffff000;
	if (m->bad == BAD_INDEX_SIZE)	/* the index would run past the end of the file */
		nr_field = 0x01000000;
	if (m->bad == BAD_LEGACY_NR_PAGES)	/* one page more than the file holds */
		nr_field = (uint32_t)n + 1;
	if (m->bad == BAD_LEGACY_ZERO_VCPUS)
		vcpus_field = 0;
	if (m->bad == BAD_LEGACY_TOO_MANY_VCPUS)
		vcpus_field = XEN_MAX_VCPUS + 1;
	if (m->bad == BAD_LEGACY_CTXT_ARRAY)	/* two contexts' bytes shared by three vcpus */
		vcpus_field = NR_VCPUS + 1;
	if (m->bad == BAD_LEGACY_INDEX_PAST_END) {
		/* 1 MiB past the end of the file; the pages follow it, as they would. */
		uint64_t end = align_up(pages_off + n * PAGE_SIZE, PAGE_SIZE) + 0x100000;

		index_field = (uint32_t)end;
		pages_field = (uint32_t)align_up(end + n * isz, PAGE_SIZE);
	}
	put_le32(head, 0, m->bad == BAD_MAGIC ? 0x12345678u : (uint32_t)XC_CORE_MAGIC);
	put_le32(head, 4, vcpus_field);
	put_le32(head, 8, nr_field);
	put_le32(head, 12, ctxt_field);
	put_le32(head, 16, index_field);
	put_le32(head, 20, pages_field);
	build_prstatus(m, prs);
	for (unsigned v = 0; v < NR_VCPUS; v++)
		memcpy(head + LEGACY_HDR_SIZE + v * csz, prs + v * VGC_SIZE, csz);
	for (uint64_t k = 0; k < n; k++) {
		uint64_t mfn = 0;
		/* p2m-duplicate-mfn: the last index entry names the first one's frame. */
		uint64_t at = m->bad == BAD_P2M_DUP_MFN && k == n - 1 ? 0 : k;

		for (int b = 7; b >= 0; b--)
			mfn = mfn << 8 | tab[16 * at + 8 + b];
		if (isz == 8)
			put_le64(head, index_off + 8 * k, mfn);
		else
			put_le32(head, index_off + 4 * k, (uint32_t)mfn);
	}
	if (pwrite_all(fd, head, pages_off, 0, path) || write_pages_of(m, tab, fd, pages_off, path))
		goto out;
	if (m->bad == BAD_TRUNCATE_PAGES &&
	    ftruncate(fd, (off_t)(pages_off + n / 2 * PAGE_SIZE + PAGE_SIZE / 2)) != 0) {
		fail("%s: truncate: %s", path, strerror(errno));
		goto out;
	}
	if (m->bad == BAD_PAGES_OFFSET) {	/* 1 MiB past the end of the file */
		struct stat st;
		uint8_t v[4];

		if (fstat(fd, &st) != 0) {
			fail("%s: stat: %s", path, strerror(errno));
			goto out;
		}
		put_le32(v, 0, (uint32_t)(align_up((uint64_t)st.st_size, PAGE_SIZE) + 0x100000));
		if (pwrite_all(fd, v, 4, 20, path))
			goto out;
	}
	ret = 0;
	goto out;
internal:
	fail("legacy offsets do not tell 4- from 8-byte index entries, and the context size "
	     "says %u-byte ones", csz == VGC_SIZE ? 8u : 4u);
out:
	free(head);
	free(tab);
	free(prs);
	return ret;
}
