/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmcoreinfo-priv.h: typed VMCOREINFO lookups for memmap.c. */
#ifndef XENCORE_VMCOREINFO_PRIV_H
#define XENCORE_VMCOREINFO_PRIV_H

#include <stdint.h>

#include "xencore.h"

/* How the kernel prints a value (include/linux/crash_core.h). */
enum vi_kind {
	VI_HEX,		/* SYMBOL(x)=%lx, KERNELOFFSET=%lx */
	VI_DEC,		/* SIZE/OFFSET/LENGTH(x)=%lu, PAGESIZE=%ld */
	VI_NUMBER,	/* NUMBER(x)=%ld (signed), or 0x-prefixed hex */
};

enum { VI_MISSING, VI_FOUND, VI_BAD };

/* Looks key up and parses its value as kind: VI_MISSING, VI_FOUND or VI_BAD. */
int vi_lookup(const struct xencore_vmcoreinfo *vi, const char *key, enum vi_kind kind,
	      int64_t *ret);

#endif /* XENCORE_VMCOREINFO_PRIV_H */
