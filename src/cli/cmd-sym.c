// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-sym.c: `xencore sym`: a symbol's address, or an address's symbol. */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "json.h"
#include "kernel.h"

static const char sym_usage[] =
	"Usage: xencore sym (--vmlinux F | --system-map F) [--json] DUMP NAME|ADDR\n"
	"Print the address of symbol NAME[+OFF] (`0xADDRESS`), or the symbol that\n"
	"names address ADDR (`name+0xOFFSET`).\n"
	"\n"
	"  --vmlinux F      symbols from the guest kernel's ELF symbol table\n"
	"  --system-map F   symbols from an nm-format System.map\n"
	"  --force          do not warn when the vmlinux does not match the dump\n"
	"  --json           print {name, address, offset, size, type}\n"
	"  -h, --help       show this help\n";

int cmd_sym(int argc, char **argv)
{
	static const struct option opts[] = {
		KERNEL_LONG_OPTIONS,
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kernel_opts o = { 0 };
	bool json = false;
	struct cli_opts co = { "sym", sym_usage, opts, NULL, &o, argc, argv };
	int c, status;
	while ((c = cli_getopt(&co, &status)) > 0) {
		switch (c) {
		case 'j':
			json = true;
			break;
		}
	}
	if (c < 0)
		return status;
	if (argc - optind != 2)
		return cli_usage_error("sym", "expected DUMP and NAME|ADDR");
	if (!o.vmlinux && !o.system_map)
		return cli_usage_error("sym", "needs --vmlinux or --system-map");
	const char *path = cli_dump_name(argv[optind]), *what = argv[optind + 1];

	struct kernel k;
	int rc = kernel_open(&k, argv[optind], &o);
	if (rc)
		return rc;
	/* The dump is opened for the banner check: symbols must fit the dump. */
	if ((rc = kernel_open_as(&k, &o, false))) {
		kernel_close(&k);
		return rc;
	}
	/* NAME[+OFF] gives an address; an address gives the symbol naming it. */
	uint64_t addr, off = 0;
	const struct xencore_symbol *sym;
	if ((rc = kernel_resolve(&k, "sym", what, &addr, &sym))) {
		kernel_close(&k);
		return rc;
	}
	bool by_name = sym != NULL;
	if (by_name) {
		off = addr - sym->address;
	} else {
		sym = xencore_symbol_at(k.syms, addr, &off);
		if (!sym) {
			cli_message(path, "no symbol names 0x%" PRIx64, addr);
			kernel_close(&k);
			return EXIT_ERROR;
		}
	}
	if (json) {
		struct json j;
		json_init(&j, stdout, true);
		json_object_begin(&j);
		json_key(&j, "name");
		json_string(&j, sym->name);
		json_key(&j, "address");
		json_hex(&j, addr);
		json_key(&j, "symbol_address");
		json_hex(&j, sym->address);
		json_key(&j, "offset");
		json_hex(&j, off);
		json_key(&j, "size");
		json_uint(&j, sym->size);
		json_key(&j, "type");
		char type[2] = { sym->type, '\0' };
		json_string(&j, type);
		json_object_end(&j);
		json_finish(&j);
	} else if (by_name) {
		printf("0x%" PRIx64 "\n", addr);
	} else {
		printf("%s+0x%" PRIx64 "\n", sym->name, off);
	}
	kernel_close(&k);
	return cli_finish_output(EXIT_OK);
}
