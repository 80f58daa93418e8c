// SPDX-License-Identifier: LGPL-2.1-or-later
/* xc-core-legacy.c: the pre-ELF xc_core format (Xen before 3.1's ELF dumps). */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"

/*
 * Xen's tools/libxc/xc_core.c before commit e3ce7ff90f (2007), as crash's
 * xendump.c reads it: struct xc_core_header is six u32 (magic, nr_vcpus,
 * nr_pages, ctxt_offset, index_offset, pages_offset); then nr_vcpus
 * vcpu_guest_context records in the toolstack's native layout; then an
 * index of nr_pages MFNs as the toolstack's unsigned long (4 or 8 bytes),
 * in the domain's page-list order, not pfn order; then the pages, from the
 * first page boundary after the index.  No pfns, no shared_info: the p2m
 * comes from the guest kernel.
 */
#define LEGACY_HEADER_SIZE	24
#define XC_CORE_MAGIC		0xF00FEBEDu	/* xenctrl.h */
#define XC_CORE_MAGIC_HVM	0xF00FEBEEu
#define PAGE			4096u
#define MAX_VCPUS		4096
/* vcpu_guest_context: 2800 bytes for 32-bit guests, 5168 for 64-bit. */
#define CONTEXT_32		2800u
#define CONTEXT_64		5168u
#define CONTEXT_MAX		8192u

static bool legacy_probe(const unsigned char *head, size_t len)
{
	if (len < LEGACY_HEADER_SIZE)
		return false;
	uint32_t magic = le32(head);
	return magic == XC_CORE_MAGIC || magic == XC_CORE_MAGIC_HVM;
}

static uint64_t round_page(uint64_t x)
{
	return (x + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

static struct xencore_error *legacy_open(struct xencore_dump *dump)
{
	unsigned char h[LEGACY_HEADER_SIZE];
	struct xencore_error *err = xc_pread(dump, h, sizeof(h), 0, "legacy xc_core header");
	if (err)
		return err;
	struct xencore_dump_info *info = &dump->info;
	uint32_t magic = le32(h);
	uint64_t nr_vcpus = le32(h + 4), nr_pages = le32(h + 8);
	uint64_t ctxt = le32(h + 12), index = le32(h + 16), pages = le32(h + 20);

	if (ctxt < LEGACY_HEADER_SIZE || index < ctxt || pages < index)
		return xc_error(XENCORE_ERROR_FORMAT,
				"legacy xc_core header offsets out of order (contexts 0x%" PRIx64 ", index 0x%" PRIx64 ", pages 0x%" PRIx64 ")",
				ctxt, index, pages);
	if (pages % PAGE)
		return xc_error(XENCORE_ERROR_FORMAT,
				"legacy xc_core pages at 0x%" PRIx64 " are not page aligned", pages);
	/* A dump cut short keeps the pages it holds whole: the header and index come first. */
	uint64_t present = pages < dump->file_size ? (dump->file_size - pages) / PAGE : 0;
	if (present > nr_pages)
		present = nr_pages;
	if (nr_pages && !present)
		return xc_error(XENCORE_ERROR_FORMAT,
				"legacy xc_core: the file ends at %" PRIu64 " bytes, before its %" PRIu64
				" pages at offset 0x%" PRIx64 ": none can be read", dump->file_size,
				nr_pages, pages);
	if (!nr_vcpus || nr_vcpus > MAX_VCPUS)
		return xc_error(XENCORE_ERROR_FORMAT,
				"legacy xc_core header says %" PRIu64 " vcpus", nr_vcpus);
	uint64_t ctx_size = (index - ctxt) / nr_vcpus;
	if ((index - ctxt) % nr_vcpus || ctx_size < CONTEXT_32 || ctx_size > CONTEXT_MAX)
		return xc_error(XENCORE_ERROR_FORMAT,
				"legacy xc_core: %" PRIu64 " bytes for %" PRIu64 " vcpu contexts is not a context array",
				index - ctxt, nr_vcpus);

	/*
	 * The index entry is the toolstack's unsigned long: the one whose size
	 * puts the pages on the first page boundary after the index.  When both
	 * would (a small index), the context size tells the toolstack's width.
	 */
	bool fits8 = round_page(index + nr_pages * 8) == pages;
	bool fits4 = round_page(index + nr_pages * 4) == pages;
	unsigned int esize;
	if (fits8 && fits4)
		esize = ctx_size >= CONTEXT_64 ? 8 : 4;
	else if (fits8 || fits4)
		esize = fits8 ? 8 : 4;
	else
		return xc_error(XENCORE_ERROR_FORMAT,
				"legacy xc_core: the index at 0x%" PRIx64 " for %" PRIu64 " pages does not end where the pages start (0x%" PRIx64 ")",
				index, nr_pages, pages);

	info->format = "xc_core_legacy";
	info->hvm = magic == XC_CORE_MAGIC_HVM;
	info->guest_bits = ctx_size >= CONTEXT_64 ? 64 : 32;
	info->nr_vcpus = nr_vcpus;
	info->nr_pages = nr_pages;
	info->page_size = PAGE;
	dump->pages_offset = pages;

	dump->contexts = malloc((size_t)(index - ctxt));
	if (!dump->contexts)
		return &xencore_enomem;
	dump->context_size = (size_t)ctx_size;
	info->nr_contexts = nr_vcpus;
	if ((err = xc_pread(dump, dump->contexts, (size_t)(index - ctxt), ctxt,
			    "legacy vcpu contexts")))
		return err;
	page_index_set_table(&dump->index, xc_read_table, dump, "legacy page index",
			     index, nr_pages, PAGE_TABLE_MFN, esize);
	if (present < nr_pages) {
		xc_damage(dump, "the file is cut short at %" PRIu64 " bytes: it holds %" PRIu64
			  " of its %" PRIu64 " pages whole", dump->file_size, present, nr_pages);
		page_index_set_present(&dump->index, present);
		info->nr_pages = present;
	}
	return NULL;
}

static void legacy_close(struct xencore_dump *dump)
{
	(void)dump;
}

const struct format_ops xc_core_legacy_ops = {
	.name = "xc_core_legacy",
	.probe = legacy_probe,
	.open = legacy_open,
	.close = legacy_close,
	.read_pages = xc_read_file_pages,
};
