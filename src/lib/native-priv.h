/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* native-priv.h: what a native export hands the writers and the filter. */
#ifndef XENCORE_NATIVE_PRIV_H
#define XENCORE_NATIVE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pgtable-canon.h"
#include "xencore.h"

struct xencore_native {
	struct xencore_dump *dump;
	struct xencore_native_info info;
	/* The tables to rewrite (empty for HVM and for an input rewritten already). */
	struct pt_set set;
	/* The guest's VMCOREINFO text for the output, or NULL. */
	char *vmcoreinfo;
	size_t vmcoreinfo_len;
};

#endif /* XENCORE_NATIVE_PRIV_H */
