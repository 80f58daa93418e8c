// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * fuzz-symbols.c: a symbol file as input: parsed as a System.map and as a
 * vmlinux, then looked up by name and by address.
 */
#define _GNU_SOURCE 1
#include "fuzz-common.h"
#include "xencore.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(struct xencore_symbols *syms)
{
	uint64_t off;
	const struct xencore_symbol *s = xencore_symbol_lookup(syms, "linux_banner");
	(void)xencore_symbol_at(syms, s ? s->address + 1 : 0xffffffff81000010u, &off);
	(void)xencore_symbol_at(syms, 0, &off);
	unsigned char buf[64];
	xencore_error_destroy(xencore_symbols_read_image(syms, 0xffffffff81030040u,
							 buf, sizeof(buf)));
	xencore_symbols_destroy(syms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file(data, size);
	if (!path)
		return 0;
	struct xencore_symbols *syms;
	struct xencore_error *err = xencore_symbols_from_system_map(path, &syms);
	if (err)
		xencore_error_destroy(err);
	else
		exercise(syms);
	err = xencore_symbols_from_vmlinux(path, &syms);
	if (err)
		xencore_error_destroy(err);
	else
		exercise(syms);
	return 0;
}
