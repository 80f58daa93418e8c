/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* memmap-priv.h: what memmap.c gives the rest of the library beyond the public API. */
#ifndef XENCORE_MEMMAP_PRIV_H
#define XENCORE_MEMMAP_PRIV_H

#include <stdint.h>

#include "xencore.h"

/*
 * The pfn whose struct page is at kernel address page (below max_pfn):
 * arithmetic for the vmemmap and FLATMEM, a search of the present
 * sections (bounded) for classic SPARSEMEM.  An error when it names none.
 */
struct xencore_error *memmap_pfn_of_page(struct xencore_memmap *mm, uint64_t page,
					 uint64_t max_pfn, uint64_t *pfn_ret);

#endif /* XENCORE_MEMMAP_PRIV_H */
