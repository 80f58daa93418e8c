/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kernel.h: the guest kernel's image as mkxccore models it: its symbols
 * (struct ksym), the builds (struct kabi) and what kernel.c gives the
 * other parts.
 */
#ifndef MKXCCORE_KERNEL_H
#define MKXCCORE_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"

/* The kernels' releases: init_uts_ns, and the first line of the log. */
#define UTS_RELEASE		"6.1.0-xencore"
#define UTS_VERSION		"#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)"
#define UTS_RELEASE_PT32	"6.1.0-xencore-686-pae"

/* vmlinux section header indices; a symbol's section is one of the first four. */
enum ksec {
	KSEC_NONE,
	KSEC_TEXT,
	KSEC_RODATA,
	KSEC_DATA,
	KSEC_BSS,
	KSEC_SYMTAB,
	KSEC_STRTAB,
	KSEC_SHSTRTAB,
	KSEC_NUM,
};

/* What a kernel symbol holds, in the dump (run time) and in the vmlinux (link time). */
enum kval {
	KV_NONE,		/* code or a marker: the page keeps its own contents */
	KV_PGT,			/* a page-table page (gen_struct_page, vmlinux_pgt) */
	KV_BANNER,
	KV_UTS,
	KV_JIFFIES,
	KV_SHINFO_PTR,
	KV_STRADDLE,
	KV_P2M_ADDR,
	KV_P2M_SIZE,
	KV_MAX_P2M_PFN,
	KV_P2M_MISSING,
	KV_START_INFO_PTR,
	KV_ZERO,		/* zero at link time and at run time */
	/* pagetypes only */
	KV_VMCOREINFO_DATA,	/* kernel/crash_core.c: the page holding the text */
	KV_VMCOREINFO_SIZE,	/* its length */
	KV_VMEMMAP_BASE,	/* arch/x86/kernel/head64.c */
	KV_MEM_SECTION,		/* mm/sparse.c (SPARSEMEM_EXTREME): the roots array */
	KV_MEM_SECTION_ARRAY,	/* mm/sparse.c (SPARSEMEM_STATIC): the array (gen_pt_page()) */
	KV_PGD_LIST,		/* arch/x86/mm/fault.c: LIST_HEAD(pgd_list), the processes' pgds */
	/* pagetypes' kernel log (kernel/printk/printk.c); see pk_build() */
	KV_PK_PRB,		/* prb: &printk_rb_static at link time, &printk_rb_dynamic */
	KV_PK_RB_STATIC,	/* printk_rb_static: modelled as zeros */
	KV_PK_RB_DYNAMIC,	/* printk_rb_dynamic: the ring in use */
	KV_PK_CLEAR_LATCHED,	/* 6.1 clear_seq (struct latched_seq): zeros, never cleared */
	KV_PK_LOG_BUF,		/* 5.4 log_buf: &__log_buf at link time, the memblock buffer */
	KV_PK_LOG_BUF_LEN,	/* 5.4 log_buf_len */
	KV_PK_LOG_VAR,		/* 5.4 log_first_seq, ..., clear_idx (by name) */
	KV_PK_LOG_STATIC,	/* 5.4 __log_buf: unused once log_buf_len= moved the log */
};

struct ksym {
	const char *name;
	uint32_t off;		/* from KERNEL_TEXT_VA */
	uint32_t size;
	uint8_t sec;		/* enum ksec */
	uint8_t type;		/* STT_* */
	uint8_t bind;		/* STB_* */
	uint8_t val;		/* enum kval */
	const char *file;	/* a local symbol follows this STT_FILE symbol */
};

#define PG(i)			((uint32_t)(i) * PAGE_SIZE)

/* A kernel build: its symbols, where its image is linked, who it says it is. */
struct kabi {
	const struct ksym *syms;
	size_t n;
	uint64_t va;		/* the image's first page: KERNEL_TEXT_VA or KERNEL_TEXT_VA32 */
	uint64_t va_base;	/* va - physical load address: __START_KERNEL_map or PAGE_OFFSET */
	bool is32;
	const char *banner;	/* linux_banner, and --bad-banner's (same length) */
	const char *banner_bad;
	const char *release;	/* init_uts_ns.name: release, version, machine */
	const char *version;
	const char *machine;
	uint32_t uts_name;	/* offset of the name in init_uts_ns: 5.4 has a kref first */
	uint32_t bss_end;	/* _end, from va */
};

/* ---- kernel.c ---- */

const struct kabi *kabi_of(bool is32);
const struct kabi *kabi_pt(bool is32, bool vmemmap, bool k612, int printk);
bool kernel_objects_page(const struct model *m, const struct kabi *ka, uint32_t i,
			 bool bad_banner, uint8_t *pg);
int write_system_map(const struct model *m, FILE *f);
int write_expect_symbols(const struct model *m, FILE *f);
int write_vmlinux(int fd, bool bad_banner, const struct kabi *ka);

#endif /* MKXCCORE_KERNEL_H */
