/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hexdump.h: crash `rd` / `hexdump -C` style lines for `xencore read`. */
#ifndef XENCORE_HEXDUMP_H
#define XENCORE_HEXDUMP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "xencore.h"

/*
 * One line per 16 bytes: "ADDRESS:  16 hex bytes  |ASCII|" and, when syms
 * names the line's first address, "  name+0xoff".  syms may be NULL.
 * ADDRESS has `digits` hex digits (crash: 16 for 64-bit guests, 8 for 32).
 */
void hexdump(FILE *out, uint64_t addr, const unsigned char *buf, size_t len,
	     const struct xencore_symbols *syms, int digits);

#endif /* XENCORE_HEXDUMP_H */
