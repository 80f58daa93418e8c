// SPDX-License-Identifier: LGPL-2.1-or-later
/* p2m-kernel.c: the p2m as the guest kernel sees it (xen_p2m_addr). */
#include <config.h>

#include <inttypes.h>
#include <stdlib.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "p2m-priv.h"
#include "x86.h"

#define PAGE		4096
#define MAX_WARNINGS	16
/* Without shared_info to bound it, a list longer than 16 TiB is not a guest's. */
#define MAX_KERNEL_PFNS	(UINT64_C(1) << 32)

static struct xencore_error *read_word(struct xencore_as *as,
				       const struct xencore_symbols *syms,
				       const char *name, unsigned int word,
				       uint64_t *ret)
{
	const struct xencore_symbol *sym = xencore_symbol_lookup(syms, name);
	if (!sym)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"no %s symbol: not a Xen PV kernel's symbols?", name);
	unsigned char buf[8];
	size_t done;
	struct xencore_error *err = xencore_as_read(as, XENCORE_KVADDR, sym->address,
						    buf, word, &done);
	if (err)
		return xc_error_prefix(err, "%s", name);
	*ret = word == 8 ? le64(buf) : le32(buf);
	return NULL;
}

struct xencore_error *xencore_p2m_from_kernel(struct xencore_dump *dump,
					      struct xencore_as *as,
					      const struct xencore_symbols *syms,
					      struct xencore_p2m **ret)
{
	*ret = NULL;
	const struct xencore_dump_info *info = &dump->info;
	unsigned int word = info->guest_bits / 8;
	uint64_t addr, size;
	struct xencore_error *err;
	if ((err = read_word(as, syms, "xen_p2m_addr", word, &addr)) ||
	    (err = read_word(as, syms, "xen_p2m_size", word, &size)))
		return err;
	uint64_t max = info->has_shared_info ? info->max_pfn : size;
	if (max > MAX_KERNEL_PFNS)
		return xc_error(XENCORE_ERROR_FORMAT,
				"the kernel's p2m list has 0x%" PRIx64 " entries, more than any guest",
				max);
	uint64_t n = size < max ? size : max;
	if (n > (UINT64_MAX - addr) / word)
		return xc_error(XENCORE_ERROR_FORMAT,
				"the kernel's p2m list at 0x%" PRIx64 " wraps around the address space",
				addr);
	/* Guest data: refuse an impossible range at once, not page by page. */
	uint64_t last = n ? addr + n * word - 1 : addr;
	bool ok = word == 8 ? x86_64_canonical(addr) && x86_64_canonical(last) &&
				      (addr >> 47) == (last >> 47)
			    : last <= UINT32_MAX;
	if (!ok)
		return xc_error(XENCORE_ERROR_FORMAT,
				"the kernel's p2m list 0x%" PRIx64 "-0x%" PRIx64 " is not a kernel address range",
				addr, last);

	struct run_builder b;
	run_builder_init(&b);
	unsigned char *page = malloc(PAGE);
	if (!page)
		return &xencore_enomem;
	unsigned int warnings = 0;
	uint64_t pfn = 0;
	/* Page by page: each page of the list may sit in another frame. */
	while (!err && pfn < n) {
		uint64_t va = addr + pfn * word;
		uint64_t k = (PAGE - (va & (PAGE - 1))) / word;
		if (k > n - pfn)
			k = n - pfn;
		size_t done;
		err = xencore_as_read(as, XENCORE_KVADDR, va, page, (size_t)(k * word), &done);
		if (err && err->code != XENCORE_ERROR_NOMEM) {
			if (warnings++ < MAX_WARNINGS)
				xc_warn(dump, "kernel p2m list: pfns 0x%" PRIx64 "-0x%" PRIx64 " unknown: %s",
					pfn, pfn + k - 1, err->message);
			xencore_error_destroy(err);
			err = run_builder_add(&b, XENCORE_RUN_UNKNOWN, pfn, 0, k);
		} else if (!err) {
			err = run_builder_scan(&b, pfn, page, (size_t)k, word);
		}
		pfn += k;
	}
	free(page);
	if (!err && warnings > MAX_WARNINGS)
		xc_warn(dump, "kernel p2m list: %u more unknown ranges not listed",
			warnings - MAX_WARNINGS);
	if (!err && n < max) {
		xc_warn(dump, "kernel p2m list: xen_p2m_size 0x%" PRIx64 " is short of max_pfn 0x%" PRIx64 "; pfns 0x%" PRIx64 "-0x%" PRIx64 " unknown",
			size, max, n, max - 1);
		err = run_builder_add(&b, XENCORE_RUN_UNKNOWN, n, 0, max - n);
	}
	if (err) {
		run_builder_deinit(&b);
		return err;
	}
	return p2m_from_builder(dump, &b, XENCORE_P2M_KERNEL, ret);
}
