// SPDX-License-Identifier: LGPL-2.1-or-later
/* hexdump.c: crash `rd` / `hexdump -C` style lines for `xencore read`. */
#include <config.h>

#include <inttypes.h>

#include "hexdump.h"

void hexdump(FILE *out, uint64_t addr, const unsigned char *buf, size_t len,
	     const struct xencore_symbols *syms, int digits)
{
	for (size_t line = 0; line < len; line += 16) {
		size_t n = len - line < 16 ? len - line : 16;
		fprintf(out, "%0*" PRIx64 ": ", digits, addr + line);
		for (size_t i = 0; i < 16; i++) {
			if (i == 8)
				fputc(' ', out);
			if (i < n)
				fprintf(out, " %02x", buf[line + i]);
			else
				fputs("   ", out);
		}
		fputs("  |", out);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = buf[line + i];
			fputc(c >= 0x20 && c < 0x7f ? c : '.', out);
		}
		fputc('|', out);
		uint64_t off;
		const struct xencore_symbol *sym =
			syms ? xencore_symbol_at(syms, addr + line, &off) : NULL;
		if (sym)
			fprintf(out, "%*s  %s+0x%" PRIx64, (int)(16 - n), "", sym->name, off);
		fputc('\n', out);
	}
}
