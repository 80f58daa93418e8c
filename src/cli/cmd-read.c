// SPDX-License-Identifier: LGPL-2.1-or-later
/* cmd-read.c: `xencore read`: guest memory by address or symbol. */
#include <config.h>

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hexdump.h"
#include "json.h"
#include "kernel.h"

static const char read_usage[] =
	"Usage: xencore read [--vmlinux F | --system-map F] [--phys | --machine]\n"
	"                    [--vcpu N | --cr3 V | --kernel-root] [-n LEN]\n"
	"                    [--format=FMT] DUMP ADDR|SYMBOL[+OFF]\n"
	"Read guest memory.  ADDR is 0x-prefixed or bare hex (or decimal with no\n"
	"hex digits); SYMBOL needs --vmlinux or --system-map.\n"
	"\n"
	"  --vmlinux F      symbols from the guest kernel's ELF symbol table\n"
	"  --system-map F   symbols from an nm-format System.map\n"
	"  --force          do not warn when the vmlinux does not match the dump\n"
	"  --phys           ADDR is pseudo-physical (through the p2m)\n"
	"  --machine        ADDR is a machine address\n"
	"                   (default: kernel virtual, through the guest's tables)\n"
	"  --vcpu N         page-table root: vcpu N's cr3 (default: the first vcpu)\n"
	"  --cr3 V          page-table root: this cr3 value\n"
	"  --kernel-root    page-table root: the init_top_pgt/swapper_pg_dir symbol\n"
	"  -n, --length LEN bytes to read (default: the symbol's size, else 64;\n"
	"                   string: at most 4096; uN: one value)\n"
	"  --format=FMT     hex     address, 16 bytes, ASCII, symbol+offset (default)\n"
	"                   string  the bytes up to a NUL\n"
	"                   u8 u16 u32 u64  `ADDRESS: 0xVALUE` per value\n"
	"                   raw     the bytes, to stdout\n"
	"                   json    {address, space, length, symbol, bytes (hex)}\n"
	"  -h, --help       show this help\n";

/* A user's -n, not the dump's: still bounded, since the bytes are buffered. */
#define MAX_READ (UINT64_C(256) << 20)
#define STRING_MAX 4096

enum format { F_HEX, F_STRING, F_U8, F_U16, F_U32, F_U64, F_RAW, F_JSON };

static const struct {
	const char *name;
	enum format format;
} formats[] = {
	{ "hex", F_HEX }, { "string", F_STRING }, { "u8", F_U8 }, { "u16", F_U16 },
	{ "u32", F_U32 }, { "u64", F_U64 }, { "raw", F_RAW }, { "json", F_JSON },
};

static unsigned int unit_of(enum format f)
{
	switch (f) {
	case F_U8: return 1;
	case F_U16: return 2;
	case F_U32: return 4;
	case F_U64: return 8;
	default: return 1;
	}
}

static const char *space_name(enum xencore_addr_space s)
{
	return s == XENCORE_PHYS ? "phys" : s == XENCORE_MACHINE ? "machine" : "kvaddr";
}

static void print_values(uint64_t addr, const unsigned char *buf, size_t len,
			 unsigned int unit, int digits)
{
	for (size_t i = 0; i + unit <= len; i += unit) {
		uint64_t v = 0;
		for (unsigned int b = 0; b < unit; b++)	/* the guest is little endian */
			v |= (uint64_t)buf[i + b] << (8 * b);
		printf("%0*" PRIx64 ": 0x%0*" PRIx64 "\n", digits, addr + i, (int)(2 * unit), v);
	}
}

static void print_json(uint64_t addr, enum xencore_addr_space space,
		       const unsigned char *buf, size_t len,
		       const struct xencore_symbols *syms)
{
	struct json j;
	json_init(&j, stdout, true);
	json_object_begin(&j);
	json_key(&j, "address");
	json_hex(&j, addr);
	json_key(&j, "space");
	json_string(&j, space_name(space));
	json_key(&j, "length");
	json_uint(&j, len);
	json_key(&j, "symbol");
	uint64_t off;
	const struct xencore_symbol *sym = syms && space == XENCORE_KVADDR
						   ? xencore_symbol_at(syms, addr, &off) : NULL;
	if (sym) {
		char name[1100];
		snprintf(name, sizeof(name), "%s+0x%" PRIx64, sym->name, off);
		json_string(&j, name);
	} else {
		json_null(&j);
	}
	json_key(&j, "bytes");
	char *hex = malloc(2 * len + 1);
	if (hex) {
		for (size_t i = 0; i < len; i++)
			snprintf(hex + 2 * i, 3, "%02x", buf[i]);
		hex[2 * len] = '\0';
		json_string(&j, hex);
		free(hex);
	} else {
		json_null(&j);
	}
	json_object_end(&j);
	json_finish(&j);
}

int cmd_read(int argc, char **argv)
{
	static const struct option opts[] = {
		KERNEL_LONG_OPTIONS,
		ROOT_LONG_OPTIONS,
		{ "phys", no_argument, NULL, 'p' },
		{ "machine", no_argument, NULL, 'm' },
		{ "length", required_argument, NULL, 'n' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct kernel_opts o = { 0 };
	enum xencore_addr_space space = XENCORE_KVADDR;
	enum format format = F_HEX;
	uint64_t length = 0;
	bool have_length = false;
	struct cli_opts co = { "read", read_usage, opts, "n:", &o, argc, argv };
	int c, status;
	while ((c = cli_getopt(&co, &status)) > 0) {
		switch (c) {
		case 'p':
			space = XENCORE_PHYS;
			break;
		case 'm':
			space = XENCORE_MACHINE;
			break;
		case 'n':
			if (!parse_u64(optarg, &length) || !length || length > MAX_READ)
				return cli_usage_error("read", "-n wants a length from 1 to %" PRIu64 ", not '%s'",
						       MAX_READ, optarg);
			have_length = true;
			break;
		case 'f': {
			size_t i;
			for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
				if (!strcmp(optarg, formats[i].name))
					break;
			if (i == sizeof(formats) / sizeof(formats[0]))
				return cli_usage_error("read", "unknown format '%s'", optarg);
			format = formats[i].format;
			break;
		}
		}
	}
	if (c < 0)
		return status;
	if (argc - optind != 2)
		return cli_usage_error("read", "expected DUMP and ADDR|SYMBOL");
	const char *path = cli_dump_name(argv[optind]), *what = argv[optind + 1];

	struct kernel k;
	int rc = kernel_open(&k, argv[optind], &o);
	if (rc)
		return rc;
	uint64_t addr;
	const struct xencore_symbol *sym;
	if ((rc = kernel_resolve(&k, "read", what, &addr, &sym)) ||
	    (rc = kernel_open_as(&k, &o, space != XENCORE_KVADDR))) {
		kernel_close(&k);
		return rc;
	}

	unsigned int unit = unit_of(format);
	if (!have_length) {
		if (format == F_STRING)
			length = STRING_MAX;
		else if (format >= F_U8 && format <= F_U64)
			length = unit;
		else if (sym && sym->size && addr == sym->address && sym->size <= MAX_READ)
			length = sym->size;
		else
			length = 64;
	}
	unsigned char *buf = malloc((size_t)length);
	if (!buf) {
		kernel_close(&k);
		cli_message(NULL, "out of memory");
		return EXIT_ERROR;
	}
	size_t got;
	struct xencore_error *err;
	if (format == F_STRING)
		err = xencore_as_read_string(k.as, space, addr, buf, (size_t)length, &got);
	else
		err = xencore_as_read(k.as, space, addr, buf, (size_t)length, &got);
	if (err) {
		free(buf);
		kernel_close(&k);
		return cli_fail(path, err);
	}
	const struct xencore_symbols *syms = space == XENCORE_KVADDR ? k.syms : NULL;
	/* crash's widths: a 32-bit guest's virtual addresses take 8 digits. */
	int digits = space == XENCORE_KVADDR && xencore_dump_info(k.dump)->guest_bits == 32
			     ? 8 : 16;
	switch (format) {
	case F_HEX:
		hexdump(stdout, addr, buf, got, syms, digits);
		break;
	case F_STRING:
		fwrite(buf, 1, got, stdout);
		if (!got || buf[got - 1] != '\n')
			putchar('\n');
		break;
	case F_RAW:
		fwrite(buf, 1, got, stdout);
		break;
	case F_JSON:
		print_json(addr, space, buf, got, k.syms);
		break;
	default:
		print_values(addr, buf, got, unit, digits);
		break;
	}
	free(buf);
	kernel_close(&k);
	return cli_finish_output(EXIT_OK);
}
