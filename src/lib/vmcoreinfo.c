// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * vmcoreinfo.c: the guest kernel's VMCOREINFO text.
 *
 * Linux keeps "KEY=VALUE\n" lines for dump tools in a buffer of its own
 * (kernel/crash_core.c: vmcoreinfo_data, filled by the VMCOREINFO_*
 * macros of include/linux/crash_core.h, at most VMCOREINFO_BYTES = 4096
 * bytes, vmcoreinfo_size of them used).  Since Linux 4.15 vmcoreinfo_data
 * is a pointer to a page; before, it was the array itself.  makedumpfile
 * -g writes the same lines to a file and -i reads them back.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dump-priv.h"
#include "error.h"
#include "le.h"
#include "vmcoreinfo-priv.h"

/* VMCOREINFO_BYTES in the kernel: one page. */
#define KERNEL_MAX	4096u
/* A file (makedumpfile -g adds its own lines): anything bigger is not one. */
#define FILE_MAX	(1u << 20)

struct vi_entry {
	const char *key, *value;
};

struct xencore_vmcoreinfo {
	char *text;		/* the lines, each cut at '=' and '\n' */
	char *raw;		/* the text as it was, up to the first NUL */
	size_t raw_len;
	struct vi_entry *entries;
	size_t nr;
	uint64_t address;
	bool has_pfn;
	uint64_t pfn;		/* the page it was found on by a scan */
};

void xencore_vmcoreinfo_destroy(struct xencore_vmcoreinfo *vi)
{
	if (!vi)
		return;
	free(vi->text);
	free(vi->raw);
	free(vi->entries);
	free(vi);
}

struct xencore_error *xencore_vmcoreinfo_parse(const char *text, size_t len,
					       struct xencore_vmcoreinfo **ret)
{
	*ret = NULL;
	if (len > FILE_MAX)
		return xc_error(XENCORE_ERROR_FORMAT,
				"VMCOREINFO of %zu bytes: more than %u is not one", len, FILE_MAX);
	/* The kernel's buffer is zero-filled after the text: stop at a NUL. */
	const char *nul = memchr(text, '\0', len);
	if (nul)
		len = (size_t)(nul - text);
	struct xencore_vmcoreinfo *vi = calloc(1, sizeof(*vi));
	if (!vi)
		return &xencore_enomem;
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	vi->text = malloc(len + 1);
	vi->raw = malloc(len + 1);
	vi->entries = malloc(lines * sizeof(*vi->entries));
	if (!vi->text || !vi->raw || !vi->entries) {
		xencore_vmcoreinfo_destroy(vi);
		return &xencore_enomem;
	}
	memcpy(vi->text, text, len);
	vi->text[len] = '\0';
	memcpy(vi->raw, text, len);
	vi->raw[len] = '\0';
	vi->raw_len = len;
	char *p = vi->text;
	size_t line = 0;
	while (*p) {
		line++;
		char *end = strchr(p, '\n');
		if (end)
			*end = '\0';
		if (*p) {
			char *eq = strchr(p, '=');
			if (!eq || eq == p) {
				struct xencore_error *err = xc_error(
					XENCORE_ERROR_FORMAT,
					"VMCOREINFO line %zu is not KEY=VALUE: \"%.40s\"", line, p);
				xencore_vmcoreinfo_destroy(vi);
				return err;
			}
			*eq = '\0';
			vi->entries[vi->nr++] = (struct vi_entry){ p, eq + 1 };
		}
		if (!end)
			break;
		p = end + 1;
	}
	if (!vi->nr) {
		xencore_vmcoreinfo_destroy(vi);
		return xc_error(XENCORE_ERROR_FORMAT, "VMCOREINFO is empty");
	}
	*ret = vi;
	return NULL;
}

struct xencore_error *xencore_vmcoreinfo_from_file(const char *path,
						   struct xencore_vmcoreinfo **ret)
{
	*ret = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xc_error_os(errno, "cannot open %s", path);
	struct stat st;
	struct xencore_error *err = NULL;
	char *buf = NULL;
	if (fstat(fd, &st) < 0) {
		err = xc_error_os(errno, "cannot stat %s", path);
	} else if (!S_ISREG(st.st_mode) || st.st_size <= 0 || st.st_size > FILE_MAX) {
		err = xc_error(XENCORE_ERROR_FORMAT,
			       "%s: not a VMCOREINFO file (a regular file of 1 to %u bytes)", path,
			       FILE_MAX);
	} else if (!(buf = malloc((size_t)st.st_size))) {
		err = &xencore_enomem;
	} else {
		size_t done = 0, want = (size_t)st.st_size;
		while (!err && done < want) {
			ssize_t n = read(fd, buf + done, want - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				err = xc_error_os(errno, "cannot read %s", path);
			else if (n == 0)
				want = done;	/* shrank under us: take what is there */
			else
				done += (size_t)n;
		}
		if (!err && (err = xencore_vmcoreinfo_parse(buf, done, ret)))
			err = xc_error_prefix(err, "%s", path);
	}
	free(buf);
	close(fd);
	return err;
}

/* A pointer-sized value at addr. */
static struct xencore_error *read_word(struct xencore_as *as, uint64_t addr,
				       unsigned int word, uint64_t *ret)
{
	unsigned char b[8];
	size_t done;
	struct xencore_error *err = xencore_as_read(as, XENCORE_KVADDR, addr, b, word, &done);
	if (!err)
		*ret = word == 8 ? le64(b) : le32(b);
	return err;
}

static const char prefix[] = "OSRELEASE=";

struct xencore_error *xencore_vmcoreinfo_read(struct xencore_as *as,
					      const struct xencore_symbols *syms,
					      unsigned int word,
					      struct xencore_vmcoreinfo **ret)
{
	*ret = NULL;
	if (word != 8 && word != 4)
		return xc_error(XENCORE_ERROR_INVALID_ARGUMENT, "word size %u", word);
	if (!syms)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"reading VMCOREINFO needs the kernel's symbols (--vmlinux or --system-map)");
	const struct xencore_symbol *data = xencore_symbol_lookup(syms, "vmcoreinfo_data");
	const struct xencore_symbol *size = xencore_symbol_lookup(syms, "vmcoreinfo_size");
	if (!data || !size)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
				"the kernel has no %s symbol: no VMCOREINFO in its memory (a kernel without CONFIG_CRASH_CORE?); give it with --vmcoreinfo",
				data ? "vmcoreinfo_size" : "vmcoreinfo_data");
	uint64_t len, text_at;
	struct xencore_error *err = read_word(as, size->address, word, &len);
	if (err)
		return xc_error_prefix(err, "reading vmcoreinfo_size");
	if (len == 0 || len > KERNEL_MAX)
		return xc_error(XENCORE_ERROR_FORMAT,
				"vmcoreinfo_size is %" PRIu64 ": not a VMCOREINFO size (1 to %u)", len,
				KERNEL_MAX);
	/* Before 4.15 the symbol is the buffer: it starts with OSRELEASE=. */
	char head[sizeof(prefix) - 1];
	size_t done;
	err = xencore_as_read(as, XENCORE_KVADDR, data->address, head, sizeof(head), &done);
	if (!err && !memcmp(head, prefix, sizeof(head))) {
		text_at = data->address;
	} else {
		xencore_error_destroy(err);
		if ((err = read_word(as, data->address, word, &text_at)))
			return xc_error_prefix(err, "reading vmcoreinfo_data");
		if (!text_at)
			return xc_error(XENCORE_ERROR_NOT_AVAILABLE,
					"vmcoreinfo_data is NULL: the kernel never filled in its VMCOREINFO");
	}
	char *buf = malloc((size_t)len);
	if (!buf)
		return &xencore_enomem;
	err = xencore_as_read(as, XENCORE_KVADDR, text_at, buf, (size_t)len, &done);
	if (err) {
		free(buf);
		return xc_error_prefix(err, "reading VMCOREINFO at 0x%" PRIx64, text_at);
	}
	err = xencore_vmcoreinfo_parse(buf, (size_t)len, ret);
	free(buf);
	if (err)
		return xc_error_prefix(err, "the kernel's VMCOREINFO at 0x%" PRIx64, text_at);
	(*ret)->address = text_at;
	return NULL;
}

const char *xencore_vmcoreinfo_get(const struct xencore_vmcoreinfo *vi, const char *key)
{
	for (size_t i = 0; i < vi->nr; i++)
		if (!strcmp(vi->entries[i].key, key))
			return vi->entries[i].value;
	return NULL;
}

size_t xencore_vmcoreinfo_count(const struct xencore_vmcoreinfo *vi)
{
	return vi->nr;
}

void xencore_vmcoreinfo_entry(const struct xencore_vmcoreinfo *vi, size_t i,
			      const char **key_ret, const char **value_ret)
{
	*key_ret = i < vi->nr ? vi->entries[i].key : NULL;
	*value_ret = i < vi->nr ? vi->entries[i].value : NULL;
}

uint64_t xencore_vmcoreinfo_address(const struct xencore_vmcoreinfo *vi)
{
	return vi->address;
}

const char *xencore_vmcoreinfo_text(const struct xencore_vmcoreinfo *vi, size_t *len_ret)
{
	*len_ret = vi->raw_len;
	return vi->raw;
}

bool xencore_vmcoreinfo_pfn(const struct xencore_vmcoreinfo *vi, uint64_t *pfn_ret)
{
	if (vi->has_pfn)
		*pfn_ret = vi->pfn;
	return vi->has_pfn;
}

/* Pages read at once by the scan, and their size. */
#define SCAN_BATCH	64
#define SCAN_PAGE	4096u

/*
 * Whether the page p may hold the kernel's VMCOREINFO: "OSRELEASE=" at its
 * start (crash_save_vmcoreinfo_init() writes it first into a zeroed page),
 * a NUL within the page, and only text before it.
 */
static bool looks_like_vmcoreinfo(const unsigned char *p, size_t *len_ret)
{
	if (memcmp(p, prefix, sizeof(prefix) - 1))
		return false;
	const unsigned char *nul = memchr(p, '\0', SCAN_PAGE);
	if (!nul)
		return false;
	for (const unsigned char *c = p; c < nul; c++)
		if ((*c < 0x20 || *c > 0x7e) && *c != '\n')
			return false;
	*len_ret = (size_t)(nul - p);
	return true;
}

struct xencore_error *xencore_vmcoreinfo_scan(struct xencore_dump *dump,
					      struct xencore_vmcoreinfo **ret)
{
	*ret = NULL;
	struct xencore_error *err = page_index_complete(&dump->index);
	if (err)
		return err;
	const struct page_index *ix = &dump->index;
	unsigned char *buf = malloc((size_t)SCAN_BATCH * SCAN_PAGE);
	if (!buf)
		return &xencore_enomem;
	/* In file order (the dump's page order), a batch of pages at a time. */
	for (size_t r = 0; r < ix->nr; r++) {
		const struct page_run *run = &ix->runs[r];
		for (uint64_t k = 0; k < run->count; k += SCAN_BATCH) {
			size_t n = run->count - k < SCAN_BATCH ? (size_t)(run->count - k) : SCAN_BATCH;
			if ((err = xc_read_pages(dump, run->page + k, n, buf))) {
				err = xc_error_prefix(err, "reading pfn 0x%" PRIx64, run->pfn + k);
				goto out;
			}
			for (size_t i = 0; i < n; i++) {
				size_t len;
				const unsigned char *p = buf + i * SCAN_PAGE;
				if (!looks_like_vmcoreinfo(p, &len))
					continue;
				struct xencore_vmcoreinfo *vi;
				struct xencore_error *e = xencore_vmcoreinfo_parse((const char *)p, len, &vi);
				if (e) {
					xencore_error_destroy(e);
					continue;	/* text that only starts like it */
				}
				vi->has_pfn = !ix->no_pfn;
				vi->pfn = run->pfn + k + i;
				*ret = vi;
				goto out;
			}
		}
	}
	err = xc_error(XENCORE_ERROR_NOT_AVAILABLE,
		       "no page of the dump holds one (a page starting with OSRELEASE=); give --vmlinux, --system-map or --vmcoreinfo");
out:
	free(buf);
	return err;
}

/* ---- typed lookups for memmap.c ---- */

static int digit(char c, unsigned int base)
{
	int d = c >= '0' && c <= '9' ? c - '0'
		: c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
	return d < (int)base ? d : -1;
}

/* All of s as a number in base (no sign, no spaces); false if not one. */
static bool parse_unsigned(const char *s, unsigned int base, uint64_t *ret)
{
	if (base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!*s)
		return false;
	uint64_t v = 0;
	for (; *s; s++) {
		int d = digit(*s, base);
		if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / base)
			return false;
		v = v * base + (uint64_t)d;
	}
	*ret = v;
	return true;
}

int vi_lookup(const struct xencore_vmcoreinfo *vi, const char *key, enum vi_kind kind,
	      int64_t *ret)
{
	const char *v = xencore_vmcoreinfo_get(vi, key);
	if (!v)
		return VI_MISSING;
	uint64_t u;
	bool ok;
	switch (kind) {
	case VI_HEX:	/* SYMBOL(), KERNELOFFSET: %lx */
		ok = parse_unsigned(v, 16, &u);
		break;
	case VI_DEC:	/* SIZE(), OFFSET(), LENGTH(), PAGESIZE: %lu */
		ok = parse_unsigned(v, 10, &u) && u <= INT64_MAX;
		break;
	default:	/* NUMBER(): %ld, or 0x... on some architectures */
		if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) {
			ok = parse_unsigned(v, 16, &u);
		} else if (v[0] == '-') {
			ok = parse_unsigned(v + 1, 10, &u) && u <= (uint64_t)INT64_MAX + 1;
			u = 0 - u;
		} else {
			ok = parse_unsigned(v, 10, &u) && u <= INT64_MAX;
		}
		break;
	}
	if (!ok)
		return VI_BAD;
	*ret = (int64_t)u;
	return VI_FOUND;
}

struct xencore_error *xencore_vmcoreinfo_from_dump(struct xencore_dump *dump,
						   struct xencore_vmcoreinfo **ret)
{
	*ret = NULL;
	if (!dump->vmcoreinfo)
		return xc_error(XENCORE_ERROR_NOT_AVAILABLE, "the dump carries no VMCOREINFO note");
	struct xencore_error *err =
		xencore_vmcoreinfo_parse(dump->vmcoreinfo, dump->vmcoreinfo_size, ret);
	return err ? xc_error_prefix(err, "the dump's VMCOREINFO note") : NULL;
}
