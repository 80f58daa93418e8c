// SPDX-License-Identifier: LGPL-2.1-or-later
/* symbols.c: kernel symbols from a vmlinux symbol table or a System.map. */
#include <config.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "xencore.h"

/* An allocated section of the vmlinux: where its bytes are in the file. */
struct image_section {
	uint64_t addr, size, offset;
};

struct xencore_symbols {
	struct xencore_symbol *syms;	/* sorted by address, best name first */
	size_t nr, cap;
	const struct xencore_symbol **by_name;	/* sorted by name */
	char **names;			/* owned name strings, one block each */
	size_t nr_names, cap_names;
	char *name_block;		/* current block and its free space */
	size_t block_left;

	int fd;				/* the vmlinux, for read_image; else -1 */
	uint64_t file_size;
	struct image_section *sections;
	size_t nr_sections;
};

/* A limit on symbols: a distribution vmlinux has ~200k; refuse absurd files. */
#define MAX_SYMBOLS	(1u << 24)
#define NAME_BLOCK	(64 * 1024)
#define MAX_NAME	1024

static struct xencore_symbols *symbols_new(void)
{
	struct xencore_symbols *s = calloc(1, sizeof(*s));
	if (s)
		s->fd = -1;
	return s;
}

void xencore_symbols_destroy(struct xencore_symbols *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_names; i++)
		free(s->names[i]);
	free(s->names);
	free(s->syms);
	free(s->by_name);
	free(s->sections);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

/* Copies name into the string blocks; names stay put once stored. */
static const char *store_name(struct xencore_symbols *s, const char *name,
			      size_t len)
{
	if (len + 1 > s->block_left) {
		if (s->nr_names == s->cap_names) {
			size_t cap = s->cap_names ? 2 * s->cap_names : 16;
			char **names = realloc(s->names, cap * sizeof(*names));
			if (!names)
				return NULL;
			s->names = names;
			s->cap_names = cap;
		}
		size_t size = len + 1 > NAME_BLOCK ? len + 1 : NAME_BLOCK;
		s->name_block = malloc(size);
		if (!s->name_block)
			return NULL;
		s->names[s->nr_names++] = s->name_block;
		s->block_left = size;
	}
	char *p = s->name_block;
	memcpy(p, name, len);
	p[len] = '\0';
	s->name_block += len + 1;
	s->block_left -= len + 1;
	return p;
}

static struct xencore_error *add_symbol(struct xencore_symbols *s,
					const char *name, size_t len,
					uint64_t address, uint64_t size, char type)
{
	if (s->nr >= MAX_SYMBOLS)
		return xc_error(XENCORE_ERROR_FORMAT, "more than %u symbols",
				MAX_SYMBOLS);
	if (s->nr == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		struct xencore_symbol *syms = realloc(s->syms, cap * sizeof(*syms));
		if (!syms)
			return &xencore_enomem;
		s->syms = syms;
		s->cap = cap;
	}
	const char *stored = store_name(s, name, len);
	if (!stored)
		return &xencore_enomem;
	s->syms[s->nr++] = (struct xencore_symbol){
		.name = stored, .address = address, .size = size, .type = type,
	};
	return NULL;
}

/* Lower rank names an address better: global, then sized, then by name. */
static int rank(const struct xencore_symbol *x)
{
	return (islower((unsigned char)x->type) ? 2 : 0) + (x->size ? 0 : 1);
}

static int cmp_address(const void *a, const void *b)
{
	const struct xencore_symbol *x = a, *y = b;
	if (x->address != y->address)
		return x->address < y->address ? -1 : 1;
	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	return strcmp(x->name, y->name);
}

static int cmp_name(const void *a, const void *b)
{
	const struct xencore_symbol *x = *(const struct xencore_symbol *const *)a;
	const struct xencore_symbol *y = *(const struct xencore_symbol *const *)b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	/* Same name (local statics): the global one, then the lowest address. */
	if (rank(x) != rank(y))
		return rank(x) - rank(y);
	return x->address < y->address ? -1 : x->address > y->address;
}

static struct xencore_error *symbols_finish(struct xencore_symbols *s)
{
	if (!s->nr)
		return xc_error(XENCORE_ERROR_FORMAT, "no symbols");
	qsort(s->syms, s->nr, sizeof(*s->syms), cmp_address);
	s->by_name = malloc(s->nr * sizeof(*s->by_name));
	if (!s->by_name)
		return &xencore_enomem;
	for (size_t i = 0; i < s->nr; i++)
		s->by_name[i] = &s->syms[i];
	qsort(s->by_name, s->nr, sizeof(*s->by_name), cmp_name);
	return NULL;
}

/* The letter nm(1) would print for an ELF symbol. */
static char nm_type(Elf *elf, const GElf_Sym *sym)
{
	char c = '?';
	if (sym->st_shndx == SHN_ABS) {
		c = 'A';
	} else if (sym->st_shndx == SHN_COMMON) {
		c = 'C';
	} else {
		Elf_Scn *scn = elf_getscn(elf, sym->st_shndx);
		GElf_Shdr sh;
		if (scn && gelf_getshdr(scn, &sh)) {
			if (sh.sh_flags & SHF_EXECINSTR)
				c = 'T';
			else if (sh.sh_type == SHT_NOBITS)
				c = 'B';
			else if (sh.sh_flags & SHF_WRITE)
				c = 'D';
			else if (sh.sh_flags & SHF_ALLOC)
				c = 'R';
			else
				c = 'N';
		}
	}
	if (GELF_ST_BIND(sym->st_info) == STB_WEAK)
		return GELF_ST_TYPE(sym->st_info) == STT_OBJECT ? 'V' : 'W';
	if (GELF_ST_BIND(sym->st_info) == STB_LOCAL)
		return (char)tolower((unsigned char)c);
	return c;
}

static struct xencore_error *elf_fail(const char *what)
{
	return xc_error(XENCORE_ERROR_FORMAT, "%s: %s", what, elf_errmsg(-1));
}

static struct xencore_error *load_elf(struct xencore_symbols *s, Elf *elf)
{
	GElf_Ehdr eh;
	if (!gelf_getehdr(elf, &eh))
		return elf_fail("cannot read ELF header");
	/* x86-64 kernels are ELF64 EM_X86_64; 32-bit PAE kernels ELF32 EM_386. */
	if (!(eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_machine == EM_X86_64) &&
	    !(eh.e_ident[EI_CLASS] == ELFCLASS32 && eh.e_machine == EM_386))
		return xc_error(XENCORE_ERROR_FORMAT,
				"not an x86 kernel image (ELF class %u, machine %u)",
				eh.e_ident[EI_CLASS], (unsigned)eh.e_machine);

	Elf_Scn *scn = NULL, *symtab = NULL;
	GElf_Shdr symsh = { 0 };
	size_t nsec = 0;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			return elf_fail("cannot read a section header");
		if (sh.sh_type == SHT_SYMTAB && !symtab) {
			symtab = scn;
			symsh = sh;
		}
		if ((sh.sh_flags & SHF_ALLOC) && sh.sh_type != SHT_NOBITS && sh.sh_size)
			nsec++;
	}
	if (!symtab)
		return xc_error(XENCORE_ERROR_FORMAT,
				"no symbol table (.symtab): a stripped vmlinux? use --system-map");

	/* Allocated sections, for reading the image's own bytes. */
	s->sections = calloc(nsec ? nsec : 1, sizeof(*s->sections));
	if (!s->sections)
		return &xencore_enomem;
	scn = NULL;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		if (!gelf_getshdr(scn, &sh))
			return elf_fail("cannot read a section header");
		if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_type == SHT_NOBITS || !sh.sh_size ||
		    s->nr_sections == nsec)
			continue;
		if (sh.sh_offset > s->file_size || sh.sh_size > s->file_size - sh.sh_offset)
			continue;	/* not in the file: never read from it */
		s->sections[s->nr_sections++] = (struct image_section){
			.addr = sh.sh_addr, .size = sh.sh_size, .offset = sh.sh_offset,
		};
	}

	Elf_Data *data = elf_getdata(symtab, NULL);
	if (!data)
		return elf_fail("cannot read the symbol table");
	size_t count = symsh.sh_entsize ? symsh.sh_size / symsh.sh_entsize : 0;
	for (size_t i = 1; i < count; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, (int)i, &sym))
			return elf_fail("cannot read a symbol");
		int type = GELF_ST_TYPE(sym.st_info);
		if (sym.st_shndx == SHN_UNDEF || type == STT_SECTION || type == STT_FILE)
			continue;
		const char *name = elf_strptr(elf, symsh.sh_link, sym.st_name);
		if (!name || !*name)
			continue;
		size_t len = strnlen(name, MAX_NAME);
		struct xencore_error *err = add_symbol(s, name, len, sym.st_value,
						       sym.st_size, nm_type(elf, &sym));
		if (err)
			return err;
	}
	return symbols_finish(s);
}

struct xencore_error *xencore_symbols_from_vmlinux(const char *path,
						   struct xencore_symbols **ret)
{
	*ret = NULL;
	struct xencore_symbols *s = symbols_new();
	if (!s)
		return &xencore_enomem;
	struct xencore_error *err = NULL;
	Elf *elf = NULL;
	struct stat st;
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0) {
		err = xc_error_os(errno, "cannot open %s", path);
		goto out;
	}
	if (fstat(s->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err = xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "%s: not a regular file", path);
		goto out;
	}
	s->file_size = (uint64_t)st.st_size;
	unsigned char magic[SELFMAG];
	if (pread(s->fd, magic, SELFMAG, 0) != SELFMAG || memcmp(magic, ELFMAG, SELFMAG)) {
		err = xc_error(XENCORE_ERROR_FORMAT, "%s: not an ELF file (a vmlinux is)", path);
		goto out;
	}
	if (elf_version(EV_CURRENT) == EV_NONE) {
		err = elf_fail("libelf is out of date");
		goto out;
	}
	elf = elf_begin(s->fd, ELF_C_READ, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF) {
		err = xc_error_prefix(elf_fail("cannot read ELF headers"), "%s", path);
		goto out;
	}
	err = load_elf(s, elf);
	if (err)
		err = xc_error_prefix(err, "%s", path);
out:
	elf_end(elf);
	if (err) {
		xencore_symbols_destroy(s);
		return err;
	}
	*ret = s;
	return NULL;
}

/* "ffffffff81000000 T _text" (nm -n); a trailing "\t[module]" is allowed. */
static struct xencore_error *parse_map_line(struct xencore_symbols *s,
					    const char *line)
{
	char *end;
	errno = 0;
	uint64_t address = strtoull(line, &end, 16);
	if (end == line || errno || *end != ' ')
		return xc_error(XENCORE_ERROR_FORMAT, "not 'ADDRESS TYPE NAME'");
	const char *p = end + 1;
	char type = *p;
	if (!isalpha((unsigned char)type) || p[1] != ' ')
		return xc_error(XENCORE_ERROR_FORMAT, "not 'ADDRESS TYPE NAME'");
	p += 2;
	size_t len = strcspn(p, " \t\r\n");
	if (!len || len > MAX_NAME)
		return xc_error(XENCORE_ERROR_FORMAT, "bad symbol name");
	return add_symbol(s, p, len, address, 0, type);
}

struct xencore_error *xencore_symbols_from_system_map(const char *path,
						      struct xencore_symbols **ret)
{
	*ret = NULL;
	FILE *f = fopen(path, "re");
	if (!f)
		return xc_error_os(errno, "cannot open %s", path);
	struct xencore_symbols *s = symbols_new();
	if (!s) {
		fclose(f);
		return &xencore_enomem;
	}
	struct xencore_error *err = NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	uint64_t lineno = 0;
	while (!err && (n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n == 0 || line[0] == '\n')
			continue;
		err = parse_map_line(s, line);
		if (err)
			err = xc_error_prefix(err, "%s: line %" PRIu64, path, lineno);
	}
	if (!err && ferror(f))
		err = xc_error_os(errno, "cannot read %s", path);
	free(line);
	fclose(f);
	if (!err) {
		err = symbols_finish(s);
		if (err)
			err = xc_error_prefix(err, "%s", path);
	}
	if (err) {
		xencore_symbols_destroy(s);
		return err;
	}
	*ret = s;
	return NULL;
}

const struct xencore_symbol *xencore_symbol_lookup(const struct xencore_symbols *s,
						   const char *name)
{
	size_t lo = 0, hi = s->nr;
	while (lo < hi) {	/* the first entry not below name */
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(s->by_name[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->nr && !strcmp(s->by_name[lo]->name, name))
		return s->by_name[lo];
	return NULL;
}

const struct xencore_symbol *xencore_symbol_at(const struct xencore_symbols *s,
					       uint64_t address,
					       uint64_t *offset_ret)
{
	/* The last symbol whose address is <= address. */
	size_t lo = 0, hi = s->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->syms[mid].address <= address)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	size_t i = lo - 1;
	/* Several symbols at that address: the sort put the best name first. */
	while (i > 0 && s->syms[i - 1].address == s->syms[i].address)
		i--;
	const struct xencore_symbol *best = &s->syms[i];
	/*
	 * Past the end of the last symbol nothing names the address (crash says
	 * "symbol not found" there too): the last sized symbol bounds the image.
	 */
	const struct xencore_symbol *last = &s->syms[s->nr - 1];
	if (address - last->address >= (last->size ? last->size : 1) &&
	    lo == s->nr)
		return NULL;
	*offset_ret = address - best->address;
	return best;
}

struct xencore_error *xencore_symbols_read_image(const struct xencore_symbols *s,
						 uint64_t address, void *buf,
						 size_t len)
{
	for (size_t i = 0; i < s->nr_sections; i++) {
		const struct image_section *sec = &s->sections[i];
		if (address < sec->addr || address - sec->addr > sec->size ||
		    len > sec->size - (address - sec->addr))
			continue;
		ssize_t n = pread(s->fd, buf, len,
				  (off_t)(sec->offset + (address - sec->addr)));
		if (n < 0)
			return xc_error_os(errno, "cannot read the vmlinux");
		if ((size_t)n != len)
			return xc_error(XENCORE_ERROR_FORMAT, "the vmlinux is truncated");
		return NULL;
	}
	return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
			"the symbol file holds no bytes at 0x%" PRIx64, address);
}
