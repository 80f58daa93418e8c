// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * kernel.c: the guest kernel: its image's symbols and the variables they
 * name, as the dump holds them (run time) and as its vmlinux does (link
 * time), and the files that describe it: --vmlinux, --system-map,
 * --expect-symbols.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libelf.h>

#include "kernel.h"
#include "model.h"
#include "pagetypes.h"
#include "util.h"

/* ---- the kernel image: symbols and the variables they name ---- */

/* Values Linux would hold (Debian 6.1 config: HZ 250). */
#define LINUX_BANNER \
	"Linux version 6.1.0-xencore (builder@xencore.invalid) (gcc (Debian 12.2.0-14) " \
	"12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian " \
	"6.1.76-1 (2024-02-01)\n"
/* --bad-banner: another build of the same length, so no symbol moves. */
#define LINUX_BANNER_BAD \
	"Linux version 6.1.0-xencore (builder@xencore.invalid) (gcc (Debian 12.2.0-14) " \
	"12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #2 SMP PREEMPT_DYNAMIC Debian " \
	"6.1.77-1 (2024-02-01)\n"
/* good-pae's 32-bit kernel: same length as its --bad-banner twin. */
#define LINUX_BANNER32 \
	"Linux version 5.4.0-xencore-686-pae (builder@xencore.invalid) (gcc version 8.3.0 " \
	"(Debian 8.3.0-6)) #1 SMP Debian 5.4.0-1 (2020-01-01)\n"
#define LINUX_BANNER32_BAD \
	"Linux version 5.4.0-xencore-686-pae (builder@xencore.invalid) (gcc version 8.3.0 " \
	"(Debian 8.3.0-6)) #2 SMP Debian 5.4.0-2 (2020-01-01)\n"
_Static_assert(sizeof(LINUX_BANNER32) == sizeof(LINUX_BANNER32_BAD),
	       "--bad-banner must not move a symbol");
#define UTS_RELEASE32		"5.4.0-xencore-686-pae"
#define UTS_VERSION32		"#1 SMP Debian 5.4.0-1 (2020-01-01)"
/* 5.4 struct uts_namespace, 32-bit: kref 4, name 390 (+2), user_ns, ucounts, ns_common 12. */
#define UTS32_SIZE		416u
/* 32-bit fixmap, below Xen's range (reserve_top_address() lowers FIXADDR_TOP); invented. */
#define SHARED_INFO_FIXMAP32	0xf57fd000ULL
/* sizeof(struct shared_info), 32-bit: arch_shared_info ends at 2316 + 28. */
#define DUMMY_SHINFO_SIZE32	2344u
/*
 * pagetypes-pae's kernel: a 6.1 686-pae build (32-bit PV left Linux in 5.9,
 * so no 6.1 kernel really boots as one; see testdata/README).  6.1 struct
 * uts_namespace, 32-bit: name 390 (+2), user_ns, ucounts, ns_common 16:
 * 416 bytes like 5.4's, the name at 0.
 */
#define LINUX_BANNER_PT32 \
	"Linux version 6.1.0-xencore-686-pae (builder@xencore.invalid) (gcc (Debian " \
	"12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC " \
	"Debian 6.1.76-1 (2024-02-01)\n"
#define LINUX_BANNER_PT32_BAD \
	"Linux version 6.1.0-xencore-686-pae (builder@xencore.invalid) (gcc (Debian " \
	"12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #2 SMP PREEMPT_DYNAMIC " \
	"Debian 6.1.77-1 (2024-02-01)\n"
_Static_assert(sizeof(LINUX_BANNER_PT32) == sizeof(LINUX_BANNER_PT32_BAD),
	       "--bad-banner must not move a symbol");
/*
 * pagetypes --kernel 6.12: a Debian 13 style build, its banner as long as
 * good-linear's so that no symbol moves.
 */
#define LINUX_BANNER_612 \
	"Linux version 6.12.0-xencore (build@xencore.invalid) (gcc (Debian 14.2.0-19) " \
	"14.2.0, GNU ld (GNU Binutils for Debian) 2.44) #1 SMP PREEMPT_DYNAMIC Debian " \
	"6.12.57-1 (2025-11-05)\n"
#define LINUX_BANNER_612_BAD \
	"Linux version 6.12.0-xencore (build@xencore.invalid) (gcc (Debian 14.2.0-19) " \
	"14.2.0, GNU ld (GNU Binutils for Debian) 2.44) #2 SMP PREEMPT_DYNAMIC Debian " \
	"6.12.58-1 (2025-11-05)\n"
#define UTS_RELEASE_612		"6.12.0-xencore"
#define UTS_VERSION_612		"#1 SMP PREEMPT_DYNAMIC Debian 6.12.57-1 (2025-11-05)"
#define JIFFIES_RUNTIME		0x1000456789ULL
#define INITIAL_JIFFIES		0xfffedb08ULL	/* jiffies.h: (u32)(-300 * HZ), HZ 250 */
/* 64 recognizable bytes, 32 on each side of the MFN split. */
#define STRADDLE_BYTES \
	"xencore_straddle first half....|xencore_straddle second half...|"
_Static_assert(sizeof(STRADDLE_BYTES) == 64 + 1, "xencore_straddle is 64 bytes");
_Static_assert(sizeof(LINUX_BANNER) == sizeof(LINUX_BANNER_BAD),
	       "--bad-banner must not move a symbol");
_Static_assert(sizeof(LINUX_BANNER_612) == sizeof(LINUX_BANNER) &&
	       sizeof(LINUX_BANNER_612_BAD) == sizeof(LINUX_BANNER),
	       "--kernel 6.12 must not move a symbol");
/*
 * HYPERVISOR_shared_info after boot: fix_to_virt(FIX_PARAVIRT_BOOTMAP)
 * (enlighten_pv.c).  The fixmap index depends on the config; this one is
 * invented, below FIXADDR_TOP 0xffffffffff7ff000.  Not mapped here.
 */
#define SHARED_INFO_FIXMAP	0xffffffffff57f000ULL

/*
 * Linux 6.1 struct uts_namespace (utsname.h): new_utsname (6 x 65, padded
 * to 392), user_ns, ucounts, ns_common (24).
 */
#define UTS_SIZE		432u
#define UTS_FIELD		65u	/* __NEW_UTS_LEN + 1 */
/* sizeof(struct shared_info), 64-bit: arch_shared_info ends at 3088 + 48. */
#define DUMMY_SHINFO_SIZE	3136u
#define DUMMY_SHINFO_OFF	(PG(KP_BSS) + 0x40)

/*
 * The symbols, in .symtab order: locals first (Linux static symbols, each
 * after its STT_FILE), then globals by address.  Text symbols hold no bytes
 * of their own here: text pages keep the data-page pattern.
 */
static const struct ksym ksyms[] = {
	/* kernel/sched/core.c; vcpu0's rip is inside it */
	{ "__schedule", 0x1c100, 0x9a0, KSEC_TEXT, STT_FUNC, STB_LOCAL, KV_NONE, "core.c" },
	/* arch/x86/xen/p2m.c: static, __read_mostly; a direct-map address */
	{ "p2m_missing", PG(KP_VARS2) + 0x58, 8, KSEC_DATA, STT_OBJECT, STB_LOCAL, KV_P2M_MISSING,
	  "p2m.c" },

	{ "_text", 0, 0, KSEC_TEXT, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "_stext", 0, 0, KSEC_TEXT, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "startup_xen", PG(1), 0x50, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },
	{ "hypercall_page", PG(2), PAGE_SIZE, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },
	/* vcpu1's rip is inside it */
	{ "default_idle", 0x2f1a0, 0x20, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },
	{ "_etext", PG(KP_TEXT_END), 0, KSEC_TEXT, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "linux_banner", PG(KP_RODATA) + 0x40, sizeof(LINUX_BANNER), KSEC_RODATA, STT_OBJECT,
	  STB_GLOBAL, KV_BANNER, NULL },
	{ "_sdata", PG(KP_ROOT), 0, KSEC_DATA, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "init_top_pgt", PG(KP_ROOT), PAGE_SIZE, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_PGT, NULL },
	{ "level3_kernel_pgt", PG(KP_KL3), PAGE_SIZE, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_PGT,
	  NULL },
	{ "level2_kernel_pgt", PG(KP_KL2), PAGE_SIZE, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_PGT,
	  NULL },
	{ "init_uts_ns", PG(KP_VARS), UTS_SIZE, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_UTS, NULL },
	/* vmlinux.lds.S: jiffies = jiffies_64; __cacheline_aligned_in_smp */
	{ "jiffies", PG(KP_VARS) + 0x200, 8, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_JIFFIES, NULL },
	{ "jiffies_64", PG(KP_VARS) + 0x200, 8, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_JIFFIES,
	  NULL },
	{ "HYPERVISOR_shared_info", PG(KP_VARS) + 0x240, 8, KSEC_DATA, STT_OBJECT, STB_GLOBAL,
	  KV_SHINFO_PTR, NULL },
	{ "xencore_straddle", STRADDLE_OFF, 64, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_STRADDLE,
	  NULL },
	{ "xen_p2m_addr", PG(KP_VARS2) + 0x40, 8, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_P2M_ADDR,
	  NULL },
	{ "xen_p2m_size", PG(KP_VARS2) + 0x48, 8, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_P2M_SIZE,
	  NULL },
	{ "xen_max_p2m_pfn", PG(KP_VARS2) + 0x50, 8, KSEC_DATA, STT_OBJECT, STB_GLOBAL,
	  KV_MAX_P2M_PFN, NULL },
	{ "_edata", PG(KP_BSS), 0, KSEC_DATA, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "__bss_start", PG(KP_BSS), 0, KSEC_BSS, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "xen_start_info", PG(KP_BSS), 8, KSEC_BSS, STT_OBJECT, STB_GLOBAL, KV_START_INFO_PTR,
	  NULL },
	{ "xen_dummy_shared_info", DUMMY_SHINFO_OFF, DUMMY_SHINFO_SIZE, KSEC_BSS, STT_OBJECT,
	  STB_GLOBAL, KV_ZERO, NULL },
	{ "__bss_stop", PG(KP_END), 0, KSEC_BSS, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "_end", PG(KP_END), 0, KSEC_BSS, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
};

#define NKSYMS (sizeof(ksyms) / sizeof(ksyms[0]))

/*
 * good-pae's kernel: a 32-bit PAE Linux 5.4 (32-bit PV support left Linux
 * in 5.9), the same image layout at 0xc1000000; pointers and unsigned long
 * are 4 bytes, jiffies is the low half of jiffies_64, the root table is
 * swapper_pg_dir (init_top_pgt and the level3/level2 tables are 64-bit
 * only), init_uts_ns starts with its kref (5.4 utsname.h).
 */
static const struct ksym ksyms32[] = {
	{ "__schedule", 0x1c100, 0x9a0, KSEC_TEXT, STT_FUNC, STB_LOCAL, KV_NONE, "core.c" },
	{ "p2m_missing", PG(KP_VARS2) + 0x4c, 4, KSEC_DATA, STT_OBJECT, STB_LOCAL, KV_P2M_MISSING,
	  "p2m.c" },

	{ "_text", 0, 0, KSEC_TEXT, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "_stext", 0, 0, KSEC_TEXT, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "startup_xen", PG(1), 0x50, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },
	{ "hypercall_page", PG(2), PAGE_SIZE, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },
	{ "default_idle", 0x2f1a0, 0x20, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },
	{ "_etext", PG(KP_TEXT_END), 0, KSEC_TEXT, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "linux_banner", PG(KP_RODATA) + 0x40, sizeof(LINUX_BANNER32), KSEC_RODATA, STT_OBJECT,
	  STB_GLOBAL, KV_BANNER, NULL },
	{ "_sdata", PG(KP_ROOT), 0, KSEC_DATA, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "swapper_pg_dir", PG(KP_ROOT), PAGE_SIZE, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_PGT,
	  NULL },
	{ "init_uts_ns", PG(KP_VARS), UTS32_SIZE, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_UTS, NULL },
	{ "jiffies", PG(KP_VARS) + 0x200, 4, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_JIFFIES, NULL },
	{ "jiffies_64", PG(KP_VARS) + 0x200, 8, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_JIFFIES,
	  NULL },
	{ "HYPERVISOR_shared_info", PG(KP_VARS) + 0x240, 4, KSEC_DATA, STT_OBJECT, STB_GLOBAL,
	  KV_SHINFO_PTR, NULL },
	{ "xencore_straddle", STRADDLE_OFF, 64, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_STRADDLE,
	  NULL },
	{ "xen_p2m_addr", PG(KP_VARS2) + 0x40, 4, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_P2M_ADDR,
	  NULL },
	{ "xen_p2m_size", PG(KP_VARS2) + 0x44, 4, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_P2M_SIZE,
	  NULL },
	{ "xen_max_p2m_pfn", PG(KP_VARS2) + 0x48, 4, KSEC_DATA, STT_OBJECT, STB_GLOBAL,
	  KV_MAX_P2M_PFN, NULL },
	{ "_edata", PG(KP_BSS), 0, KSEC_DATA, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "__bss_start", PG(KP_BSS), 0, KSEC_BSS, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "xen_start_info", PG(KP_BSS), 4, KSEC_BSS, STT_OBJECT, STB_GLOBAL, KV_START_INFO_PTR,
	  NULL },
	{ "xen_dummy_shared_info", DUMMY_SHINFO_OFF, DUMMY_SHINFO_SIZE32, KSEC_BSS, STT_OBJECT,
	  STB_GLOBAL, KV_ZERO, NULL },
	{ "__bss_stop", PG(KP_END), 0, KSEC_BSS, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
	{ "_end", PG(KP_END), 0, KSEC_BSS, STT_NOTYPE, STB_GLOBAL, KV_NONE, NULL },
};

#define NKSYMS32 (sizeof(ksyms32) / sizeof(ksyms32[0]))

/*
 * pagetypes' kernel: good-linear's symbols and these, which the page-type
 * filter reads (kernel/crash_core.c vmcoreinfo_data and vmcoreinfo_size,
 * mm/sparse.c mem_section: uninitialized, so .bss; head64.c vmemmap_base
 * is initialized, in .data; mm/hugetlb.c free_huge_page, the hugetlb
 * destructor older kernels named in VMCOREINFO; arch/x86/mm/fault.c
 * pgd_list, a LIST_HEAD in .data).  vmemmap_base is left out with
 * --memmap=sparse.  In address order.
 */
static const struct ksym ksyms_pt_extra[] = {
	{ "ret_from_fork", 0x4000, 0x30, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* arch/x86/entry/entry_64.S */
	{ "asm_cpu_bringup_and_idle", 0x4100, 0x10, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* arch/x86/xen/xen-head.S */
	{ "kthread", 0x8200, 0x100, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/kthread.c */
	{ "panic", 0xa400, 0x2e0, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/panic.c */
	{ "watchdog", 0xb000, 0x310, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/hung_task.c (static there) */
	{ "rcu_gp_fqs_loop", 0xc800, 0x360, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/rcu/tree.c (static there) */
	{ "rcu_gp_kthread", 0xd000, 0x220, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/rcu/tree.c (static there) */
	{ "dump_stack_lvl", 0xe000, 0x60, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* lib/dump_stack.c */
	{ "schedule", 0x1cb00, 0x90, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/sched/core.c */
	{ "schedule_timeout", 0x1d200, 0x140, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/time/timer.c */
	{ "try_to_wake_up", 0x1d800, 0x2f0, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/sched/core.c */
	{ "free_huge_page", 0x20400, 0x1f0, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },
	{ "do_idle", 0x2e800, 0x230, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/sched/idle.c */
	{ "cpu_startup_entry", 0x2ec00, 0x20, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/sched/idle.c */
	{ "cpu_bringup_and_idle", 0x2ed00, 0xb0, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* arch/x86/xen/smp_pv.c */
	{ "arch_cpu_idle", 0x2f200, 0x10, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* arch/x86/kernel/process.c */
	{ "default_idle_call", 0x2f300, 0x40, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/sched/idle.c */
	{ "vmemmap_base", PG(KP_VARS) + 0x280, 8, KSEC_DATA, STT_OBJECT, STB_GLOBAL,
	  KV_VMEMMAP_BASE, NULL },
	{ "pgd_list", PGD_LIST_OFF, 16, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_PGD_LIST, NULL },
	{ "prb", PG(KP_VARS2) + 0x100, 8, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_PK_PRB, NULL },
	{ "vmcoreinfo_data", PG(KP_BSS) + 0xd00, 8, KSEC_BSS, STT_OBJECT, STB_GLOBAL,
	  KV_VMCOREINFO_DATA, NULL },
	{ "vmcoreinfo_size", PG(KP_BSS) + 0xd08, 8, KSEC_BSS, STT_OBJECT, STB_GLOBAL,
	  KV_VMCOREINFO_SIZE, NULL },
	{ "mem_section", PG(KP_BSS) + 0xd10, 8, KSEC_BSS, STT_OBJECT, STB_GLOBAL,
	  KV_MEM_SECTION, NULL },
};

#define NKSYMS_PT_EXTRA (sizeof(ksyms_pt_extra) / sizeof(ksyms_pt_extra[0]))

/*
 * pagetypes-pae's kernel (6.1 686-pae): good-pae's symbols and these, 4-byte
 * words; mem_section is the SPARSEMEM_STATIC array itself (mm/sparse.c:
 * struct mem_section mem_section[NR_SECTION_ROOTS][SECTIONS_PER_ROOT],
 * SECTIONS_PER_ROOT 1, uninitialized: .bss), NR_SECTION_ROOTS = 2^(36-24)
 * entries of 8 bytes, 32 KiB at the end of .bss; _end follows it.
 * pgd_list is two 4-byte pointers.
 */
static const struct ksym ksyms_pt_extra32[] = {
	{ "ret_from_fork", 0x4000, 0x30, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* arch/x86/entry/entry_64.S */
	{ "asm_cpu_bringup_and_idle", 0x4100, 0x10, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* arch/x86/xen/xen-head.S */
	{ "kthread", 0x8200, 0x100, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/kthread.c */
	{ "panic", 0xa400, 0x2e0, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/panic.c */
	{ "watchdog", 0xb000, 0x310, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/hung_task.c (static there) */
	{ "rcu_gp_fqs_loop", 0xc800, 0x360, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/rcu/tree.c (static there) */
	{ "rcu_gp_kthread", 0xd000, 0x220, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/rcu/tree.c (static there) */
	{ "dump_stack_lvl", 0xe000, 0x60, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* lib/dump_stack.c */
	{ "schedule", 0x1cb00, 0x90, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/sched/core.c */
	{ "schedule_timeout", 0x1d200, 0x140, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/time/timer.c */
	{ "try_to_wake_up", 0x1d800, 0x2f0, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/sched/core.c */
	{ "free_huge_page", 0x20400, 0x1f0, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },
	{ "do_idle", 0x2e800, 0x230, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/sched/idle.c */
	{ "cpu_startup_entry", 0x2ec00, 0x20, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/sched/idle.c */
	{ "cpu_bringup_and_idle", 0x2ed00, 0xb0, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* arch/x86/xen/smp_pv.c */
	{ "arch_cpu_idle", 0x2f200, 0x10, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* arch/x86/kernel/process.c */
	{ "default_idle_call", 0x2f300, 0x40, KSEC_TEXT, STT_FUNC, STB_GLOBAL, KV_NONE, NULL },	/* kernel/sched/idle.c */
	{ "pgd_list", PGD_LIST_OFF, 8, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_PGD_LIST, NULL },
	{ "prb", PG(KP_VARS2) + 0x100, 4, KSEC_DATA, STT_OBJECT, STB_GLOBAL, KV_PK_PRB, NULL },
	{ "vmcoreinfo_data", PG(KP_BSS) + 0xd00, 4, KSEC_BSS, STT_OBJECT, STB_GLOBAL,
	  KV_VMCOREINFO_DATA, NULL },
	{ "vmcoreinfo_size", PG(KP_BSS) + 0xd04, 4, KSEC_BSS, STT_OBJECT, STB_GLOBAL,
	  KV_VMCOREINFO_SIZE, NULL },
	{ "mem_section", PG(KP_END), PG(PT32_MEM_SECTION_PAGES), KSEC_BSS, STT_OBJECT,
	  STB_GLOBAL, KV_MEM_SECTION_ARRAY, NULL },
};

#define NKSYMS_PT_EXTRA32 (sizeof(ksyms_pt_extra32) / sizeof(ksyms_pt_extra32[0]))

/*
 * pagetypes' kernel log variables, kernel/printk/printk.c's statics (local
 * symbols after STT_FILE printk.c): 6.1's lockless ring (printk_rb_static
 * is initialized, .data; printk_rb_dynamic and clear_seq .bss), or 5.4's
 * log_buf (log_buf and log_buf_len initialized, .data; the rest .bss).
 * kabi_pt() keeps the kind's own.  In address order per kind.
 */
static const struct ksym ksyms_pk_locals[] = {
	{ "log_buf", PG(KP_VARS2) + 0x100, 8, KSEC_DATA, STT_OBJECT, STB_LOCAL, KV_PK_LOG_BUF,
	  "printk.c" },
	{ "log_buf_len", PG(KP_VARS2) + 0x108, 4, KSEC_DATA, STT_OBJECT, STB_LOCAL,
	  KV_PK_LOG_BUF_LEN, "printk.c" },
	{ "printk_rb_static", PG(KP_VARS2) + 0x140, 88, KSEC_DATA, STT_OBJECT, STB_LOCAL,
	  KV_PK_RB_STATIC, "printk.c" },
	{ "printk_rb_dynamic", PG(KP_BSS) + 0xe00, 88, KSEC_BSS, STT_OBJECT, STB_LOCAL,
	  KV_PK_RB_DYNAMIC, "printk.c" },
	{ "clear_seq", PG(KP_BSS) + 0xe80, 24, KSEC_BSS, STT_OBJECT, STB_LOCAL,
	  KV_PK_CLEAR_LATCHED, "printk.c" },
	{ "log_first_seq", PG(KP_BSS) + 0xe00, 8, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "log_next_seq", PG(KP_BSS) + 0xe08, 8, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "clear_seq", PG(KP_BSS) + 0xe10, 8, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "log_first_idx", PG(KP_BSS) + 0xe18, 4, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "log_next_idx", PG(KP_BSS) + 0xe1c, 4, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "clear_idx", PG(KP_BSS) + 0xe20, 4, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "__log_buf", PG(KP_BSS + 1), 4096, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_STATIC,
	  "printk.c" },
};
static const struct ksym ksyms_pk_locals32[] = {
	{ "log_buf", PG(KP_VARS2) + 0x100, 4, KSEC_DATA, STT_OBJECT, STB_LOCAL, KV_PK_LOG_BUF,
	  "printk.c" },
	{ "log_buf_len", PG(KP_VARS2) + 0x104, 4, KSEC_DATA, STT_OBJECT, STB_LOCAL,
	  KV_PK_LOG_BUF_LEN, "printk.c" },
	{ "printk_rb_static", PG(KP_VARS2) + 0x140, 44, KSEC_DATA, STT_OBJECT, STB_LOCAL,
	  KV_PK_RB_STATIC, "printk.c" },
	{ "printk_rb_dynamic", PG(KP_BSS) + 0xe00, 44, KSEC_BSS, STT_OBJECT, STB_LOCAL,
	  KV_PK_RB_DYNAMIC, "printk.c" },
	{ "clear_seq", PG(KP_BSS) + 0xe80, 20, KSEC_BSS, STT_OBJECT, STB_LOCAL,
	  KV_PK_CLEAR_LATCHED, "printk.c" },
	{ "log_first_seq", PG(KP_BSS) + 0xe00, 8, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "log_next_seq", PG(KP_BSS) + 0xe08, 8, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "clear_seq", PG(KP_BSS) + 0xe10, 8, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "log_first_idx", PG(KP_BSS) + 0xe18, 4, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "log_next_idx", PG(KP_BSS) + 0xe1c, 4, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "clear_idx", PG(KP_BSS) + 0xe20, 4, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_VAR,
	  "printk.c" },
	{ "__log_buf", PG(KP_BSS + 1), 4096, KSEC_BSS, STT_OBJECT, STB_LOCAL, KV_PK_LOG_STATIC,
	  "printk.c" },
};
#define NKSYMS_PK_LOCALS (sizeof(ksyms_pk_locals) / sizeof(ksyms_pk_locals[0]))
_Static_assert(sizeof(ksyms_pk_locals32) == sizeof(ksyms_pk_locals), "one local each");
#define NKSYMS_MAX (NKSYMS + NKSYMS_PT_EXTRA + NKSYMS_PK_LOCALS)	/* index arrays are sized so */
_Static_assert(NKSYMS32 + NKSYMS_PT_EXTRA32 <= NKSYMS + NKSYMS_PT_EXTRA,
	       "index arrays are sized NKSYMS_MAX");

/* Whether a kernel with this kind of log has the symbol s. */
static bool pk_sym_kept(const struct ksym *s, int printk)
{
	switch (s->val) {
	case KV_PK_PRB:
	case KV_PK_RB_STATIC:
	case KV_PK_RB_DYNAMIC:
	case KV_PK_CLEAR_LATCHED:
		return printk == PRINTK_LOCKLESS;
	case KV_PK_LOG_BUF:
	case KV_PK_LOG_BUF_LEN:
	case KV_PK_LOG_VAR:
	case KV_PK_LOG_STATIC:
		return printk == PRINTK_LOGBUF;
	default:
		return true;
	}
}

static const struct kabi kabi64 = {
	ksyms, NKSYMS, KERNEL_TEXT_VA, START_KERNEL_MAP, false, LINUX_BANNER, LINUX_BANNER_BAD,
	UTS_RELEASE, UTS_VERSION, "x86_64", 0, PG(KP_END),
};
static const struct kabi kabi32 = {
	ksyms32, NKSYMS32, KERNEL_TEXT_VA32, PAGE_OFFSET32, true, LINUX_BANNER32,
	LINUX_BANNER32_BAD, UTS_RELEASE32, UTS_VERSION32, "i686", 4, PG(KP_END),
};

const struct kabi *kabi_of(bool is32)
{
	return is32 ? &kabi32 : &kabi64;
}

/*
 * pagetypes' kernels: good-linear's (with or without vmemmap_base) or, for
 * pagetypes-pae, good-pae's made a 6.1 686-pae build whose .bss ends with
 * mem_section.  The base kernel's symbols in .symtab order (its locals,
 * then the globals by address) with the extras merged in; at an address
 * both have, the base kernel's symbols come first.  k612: the same image
 * called a 6.12 build (banner and utsname).
 */
const struct kabi *kabi_pt(bool is32, bool vmemmap, bool k612, int printk)
{
	static struct kabi ka612[2][PRINTK_KINDS];
	static struct ksym syms[2][2][PRINTK_KINDS][NKSYMS_MAX];
	static struct kabi ka[2][2][PRINTK_KINDS];
	const struct kabi *base = kabi_of(is32);
	const struct ksym *extra = is32 ? ksyms_pt_extra32 : ksyms_pt_extra;
	const struct ksym *locals = is32 ? ksyms_pk_locals32 : ksyms_pk_locals;
	size_t nextra = is32 ? NKSYMS_PT_EXTRA32 : NKSYMS_PT_EXTRA;
	struct ksym *out = syms[is32][vmemmap][printk];
	struct kabi *k_ = &ka[is32][vmemmap][printk];
	size_t n = 0, e = 0;
	bool locals_done = false;

	for (size_t k = 0; k < base->n; k++) {
		struct ksym s = base->syms[k];

		if (is32 && s.val == KV_BANNER)
			s.size = sizeof(LINUX_BANNER_PT32);
		if (is32 && s.off == PG(KP_END))	/* __bss_stop, _end: after mem_section */
			s.off += PG(PT32_MEM_SECTION_PAGES);
		/* printk.c's locals after the base kernel's, before the globals */
		for (size_t l = 0; !locals_done && s.bind == STB_GLOBAL && l < NKSYMS_PK_LOCALS;
		     l++)
			if (pk_sym_kept(&locals[l], printk))
				out[n++] = locals[l];
		locals_done = locals_done || s.bind == STB_GLOBAL;
		while (s.bind == STB_GLOBAL && e < nextra && extra[e].off < s.off) {
			if ((vmemmap || extra[e].val != KV_VMEMMAP_BASE) &&
			    pk_sym_kept(&extra[e], printk))
				out[n++] = extra[e];
			e++;
		}
		out[n++] = s;
	}
	for (; e < nextra; e++)
		if ((vmemmap || extra[e].val != KV_VMEMMAP_BASE) && pk_sym_kept(&extra[e], printk))
			out[n++] = extra[e];
	*k_ = *base;
	k_->syms = out;
	k_->n = n;
	if (is32) {
		k_->banner = LINUX_BANNER_PT32;
		k_->banner_bad = LINUX_BANNER_PT32_BAD;
		k_->release = UTS_RELEASE_PT32;
		k_->version = UTS_VERSION;
		k_->uts_name = 0;	/* 6.1: no kref */
		k_->bss_end = PG(KP_END + PT32_MEM_SECTION_PAGES);
	}
	if (k612 && !is32) {
		ka612[vmemmap][printk] = *k_;
		ka612[vmemmap][printk].banner = LINUX_BANNER_612;
		ka612[vmemmap][printk].banner_bad = LINUX_BANNER_612_BAD;
		ka612[vmemmap][printk].release = UTS_RELEASE_612;
		ka612[vmemmap][printk].version = UTS_VERSION_612;
		return &ka612[vmemmap][printk];
	}
	return k_;
}

/* Section bounds, as offsets from KERNEL_TEXT_VA. */
static const uint32_t ksec_start[] = {
	[KSEC_TEXT] = 0, [KSEC_RODATA] = PG(KP_RODATA), [KSEC_DATA] = PG(KP_ROOT),
	[KSEC_BSS] = PG(KP_BSS),
};
static const uint32_t ksec_end[] = {
	[KSEC_TEXT] = PG(KP_TEXT_END), [KSEC_RODATA] = PG(KP_ROOT), [KSEC_DATA] = PG(KP_BSS),
	[KSEC_BSS] = 0,		/* the kernel's bss_end */
};

static bool ksym_has_bytes(const struct ksym *s)
{
	return s->val != KV_NONE && s->val != KV_PGT && s->val != KV_MEM_SECTION_ARRAY &&
	       s->val != KV_PK_LOG_STATIC;
}

/*
 * The bytes of object s: at run time (the dump; m is the guest) or at link
 * time (the vmlinux; m is NULL).  out holds s->size bytes.
 */
static void ksym_bytes(const struct model *m, const struct kabi *ka, const struct ksym *s,
		       bool bad_banner, uint8_t *out)
{
	bool rt = m != NULL;
	/* The direct map: __va() of a kernel built as ka (memblock memory). */
	uint64_t direct = ka->is32 ? PAGE_OFFSET32 : PAGE_OFFSET_BASE;
	uint64_t v = 0;

	memset(out, 0, s->size);
	switch ((enum kval)s->val) {
	case KV_BANNER:
		memcpy(out, bad_banner && !rt ? ka->banner_bad : ka->banner, s->size);
		return;
	case KV_UTS:
		if (ka->uts_name)	/* 5.4: struct kref first, KREF_INIT(2) */
			put_le32(out, 0, 2);
		/* init/version.c: UTS_SYSNAME, UTS_NODENAME "(none)" until sethostname. */
		put_str(out, ka->uts_name + 0 * UTS_FIELD, UTS_FIELD, "Linux");
		put_str(out, ka->uts_name + 1 * UTS_FIELD, UTS_FIELD, rt ? "xencore-guest" : "(none)");
		put_str(out, ka->uts_name + 2 * UTS_FIELD, UTS_FIELD, ka->release);
		put_str(out, ka->uts_name + 3 * UTS_FIELD, UTS_FIELD, ka->version);
		put_str(out, ka->uts_name + 4 * UTS_FIELD, UTS_FIELD, ka->machine);
		put_str(out, ka->uts_name + 5 * UTS_FIELD, UTS_FIELD, "(none)");
		return;
	case KV_STRADDLE:
		memcpy(out, STRADDLE_BYTES, s->size);
		return;
	case KV_JIFFIES:
		v = rt ? JIFFIES_RUNTIME : INITIAL_JIFFIES;
		break;
	case KV_SHINFO_PTR:	/* enlighten.c: = &xen_dummy_shared_info until set up */
		v = rt ? (ka->is32 ? SHARED_INFO_FIXMAP32 : SHARED_INFO_FIXMAP)
		       : ka->va + DUMMY_SHINFO_OFF;
		break;
	case KV_P2M_ADDR:	/* the list's real address, whatever shared_info says */
		v = rt && m->linear ? m->p2m_vaddr : 0;
		break;
	case KV_P2M_SIZE:
	case KV_MAX_P2M_PFN:	/* HVM: auto-translated, no p2m of its own */
		v = rt && !m->hvm ? m->max_pfn : 0;
		break;
	case KV_P2M_MISSING:	/* memblock memory: a direct-map address */
		v = rt && !m->hvm ? direct + (sp_pfn(m, m->missing_sp) << PAGE_SHIFT) : 0;
		break;
	case KV_START_INFO_PTR:	/* mmu_pv.c revectors it to __va(__pa(xen_start_info)) */
		v = rt && !m->hvm ?
			direct + ((uint64_t)(KERNEL_TEXT_PFN + m->kp_xen) << PAGE_SHIFT) : 0;
		break;
	case KV_VMCOREINFO_DATA:	/* get_zeroed_page(): a direct-map address */
		v = rt ? direct + (PT_VMCOREINFO_PFN << PAGE_SHIFT) : 0;
		break;
	case KV_VMCOREINFO_SIZE:	/* the text's length, without a NUL */
		v = rt ? pt_vmcoreinfo(m, NULL, 0, false) : 0;
		break;
	case KV_VMEMMAP_BASE:	/* __VMEMMAP_BASE_L4 at link time too */
		v = VMEMMAP_BASE;
		break;
	case KV_MEM_SECTION:	/* sparse_init(): memblock_alloc() of the roots array */
		v = rt ? direct + (PT_ROOTS_PFN << PAGE_SHIFT) : 0;
		break;
	case KV_PGD_LIST:	/* LIST_HEAD(): itself at link time; the pgds' page.lru */
		pgd_list_words(m, ka, out);
		return;
	case KV_PK_PRB:		/* setup_log_buf(): prb = &printk_rb_dynamic */
		v = ka->va + PG(rt ? KP_BSS : KP_VARS2) + (rt ? 0xe00 : 0x140);
		break;
	case KV_PK_RB_DYNAMIC:
		if (rt)
			pk_prb_bytes(m, out);
		return;
	case KV_PK_LOG_BUF:	/* setup_log_buf(): log_buf = the memblock buffer */
		v = rt ? direct + (PK_TEXT_PFN << PAGE_SHIFT) : ka->va + PG(KP_BSS + 1);
		break;
	case KV_PK_LOG_BUF_LEN:
		v = rt ? pk_log_buf_len(m) : 4096;	/* __LOG_BUF_LEN */
		break;
	case KV_PK_LOG_VAR:
		v = rt ? pk_log_var(m, s->name) : 0;
		break;
	case KV_PK_RB_STATIC:
	case KV_PK_CLEAR_LATCHED:
	case KV_PK_LOG_STATIC:
		return;
	case KV_NONE:
	case KV_PGT:
	case KV_ZERO:
	case KV_MEM_SECTION_ARRAY:
		return;
	}
	/* Little-endian, as wide as the object: jiffies is the low half of jiffies_64. */
	for (uint32_t b = 0; b < s->size && b < 8; b++)
		out[b] = (uint8_t)(v >> (8 * b));
}

/*
 * Fills image page i with the objects that lie in it (zeros elsewhere).
 * Returns false, leaving pg alone, when no object does.
 */
bool kernel_objects_page(const struct model *m, const struct kabi *ka, uint32_t i,
			 bool bad_banner, uint8_t *pg)
{
	uint8_t buf[PAGE_SIZE];
	bool any = false;

	for (size_t k = 0; k < ka->n; k++) {
		const struct ksym *s = &ka->syms[k];
		uint32_t lo = s->off > PG(i) ? s->off : PG(i);
		uint32_t hi = s->off + s->size < PG(i + 1) ? s->off + s->size : PG(i + 1);

		if (!ksym_has_bytes(s) || lo >= hi)
			continue;
		if (!any)
			memset(pg, 0, PAGE_SIZE);
		any = true;
		ksym_bytes(m, ka, s, bad_banner, buf);
		memcpy(pg + (lo - PG(i)), buf + (lo - s->off), hi - lo);
	}
	return any;
}

/* ---- --vmlinux, --system-map, --expect-symbols ---- */

/*
 * The link-time contents of the kernel's page tables (head_64.S), which
 * hold physical addresses: xen_setup_kernel_pagetable() converts them to
 * MFNs at boot and grafts Xen's L2 into level2_kernel_pgt, so the dump's
 * copies differ.  Only the entries on the kernel-image path are modelled.
 */
static void vmlinux_pgt(const struct kabi *ka, uint32_t i, uint8_t *pg)
{
	uint64_t phys_base = KERNEL_TEXT_VA - START_KERNEL_MAP;

	memset(pg, 0, PAGE_SIZE);
	/*
	 * 32-bit: swapper_pg_dir is __PAGE_ALIGNED_BSS in head_32.S, zero at
	 * link time (here it is laid out in .data: all zeros), and the pmd
	 * page beside it is brk memory.
	 */
	if (ka->is32)
		return;
	switch (i) {
	case KP_ROOT:	/* init_top_pgt[511] = level3_kernel_pgt | _PAGE_TABLE_NOENC */
		put_le64(pg, 8 * 511, (phys_base + PG(KP_KL3)) | 0x67);
		break;
	case KP_KL3:	/* level3_kernel_pgt[510] = level2_kernel_pgt | _KERNPG_TABLE_NOENC */
		put_le64(pg, 8 * 510, (phys_base + PG(KP_KL2)) | 0x63);
		break;
	case KP_KL2:	/* PMDS(0, __PAGE_KERNEL_LARGE_EXEC, KERNEL_IMAGE_SIZE / PMD_SIZE), 1 GiB */
		for (uint64_t j = 0; j < ENTRIES; j++)
			put_le64(pg, 8 * j, (j << 21) | 0x1e3);
		break;
	default:
		break;
	}
}

/* Sorted index of the symbols by (address, name), the order of `nm -n`. */
static void ksyms_by_address(const struct kabi *ka, size_t *idx)
{
	for (size_t i = 0; i < ka->n; i++)
		idx[i] = i;
	for (size_t i = 1; i < ka->n; i++)	/* insertion sort: 27 entries */
		for (size_t j = i; j > 0; j--) {
			const struct ksym *a = &ka->syms[idx[j - 1]], *b = &ka->syms[idx[j]];
			size_t t;

			if (a->off < b->off || (a->off == b->off && strcmp(a->name, b->name) <= 0))
				break;
			t = idx[j - 1];
			idx[j - 1] = idx[j];
			idx[j] = t;
		}
}

/* nm's letter: T/R/D/B by section, lower case for a local symbol. */
static char ksym_letter(const struct ksym *s)
{
	static const char letter[] = {
		[KSEC_TEXT] = 'T', [KSEC_RODATA] = 'R', [KSEC_DATA] = 'D', [KSEC_BSS] = 'B',
	};
	char c = letter[s->sec];

	return s->bind == STB_LOCAL ? (char)(c - 'A' + 'a') : c;
}

/* System.map as scripts/mksysmap makes it: `nm -n vmlinux`, one symbol a line. */
int write_system_map(const struct model *m, FILE *f)
{
	const struct kabi *ka = m->ka;
	size_t idx[NKSYMS_MAX];

	ksyms_by_address(ka, idx);
	for (size_t i = 0; i < ka->n; i++) {
		const struct ksym *s = &ka->syms[idx[i]];

		/* nm prints addresses 8 hex digits wide for ELFCLASS32 */
		fprintf(f, ka->is32 ? "%08" PRIx64 " %c %s\n" : "%016" PRIx64 " %c %s\n",
			ka->va + s->off, ksym_letter(s), s->name);
	}
	return ferror(f) ? -1 : 0;
}

/*
 * --expect-symbols: "name 0xaddress size" per symbol in System.map order,
 * plus the bytes the dump holds there as lower-case hex for objects of at
 * most 512 bytes that have contents of their own.
 */
int write_expect_symbols(const struct model *m, FILE *f)
{
	const struct kabi *ka = m->ka;
	size_t idx[NKSYMS_MAX];
	uint8_t buf[PAGE_SIZE];

	ksyms_by_address(ka, idx);
	for (size_t i = 0; i < ka->n; i++) {
		const struct ksym *s = &ka->syms[idx[i]];

		fprintf(f, "%s 0x%" PRIx64 " %u", s->name, ka->va + s->off, s->size);
		if (ksym_has_bytes(s) && s->size <= 512) {
			ksym_bytes(m, ka, s, false, buf);
			fputc(' ', f);
			for (uint32_t b = 0; b < s->size; b++)
				fprintf(f, "%02x", buf[b]);
		}
		fputc('\n', f);
	}
	return ferror(f) ? -1 : 0;
}

/* Elf64_Sym: st_name u32, st_info u8, st_other u8, st_shndx u16, st_value, st_size. */
#define SYM_SIZE 24u
/* Elf32_Sym: st_name u32, st_value u32, st_size u32, st_info u8, st_other u8, st_shndx u16. */
#define SYM32_SIZE 16u

static void put_sym(uint8_t *b, size_t *n, bool is32, uint32_t name, uint8_t info,
		    uint16_t shndx, uint64_t value, uint64_t size)
{
	uint8_t *e = b + *n * (is32 ? SYM32_SIZE : SYM_SIZE);

	put_le32(e, 0, name);
	if (is32) {
		put_le32(e, 4, (uint32_t)value);
		put_le32(e, 8, (uint32_t)size);
		e[12] = info;
		e[13] = STV_DEFAULT;
		put_le16(e, 14, shndx);
	} else {
		e[4] = info;
		e[5] = STV_DEFAULT;
		put_le16(e, 6, shndx);
		put_le64(e, 8, value);
		put_le64(e, 16, size);
	}
	(*n)++;
}

/*
 * A symbol-only vmlinux: ELF64 ET_EXEC EM_X86_64 with .text (SHT_NOBITS:
 * addresses and size only, like a debuginfo file), .rodata and .data with
 * their link-time contents, .bss, .symtab, .strtab, .shstrtab; one PT_LOAD
 * per alloc part (text, rodata, data+bss), p_paddr = p_vaddr -
 * __START_KERNEL_map as in a real vmlinux.  Written with ELF_F_LAYOUT.
 */
static int write_vmlinux32(int fd, const struct kabi *ka, const uint8_t *rodata,
			   const uint8_t *data, const uint8_t *symtab, const char *strtab,
			   const char *shstrtab, const uint32_t *shname, const uint64_t *off,
			   const uint64_t *size, size_t first_global);

int write_vmlinux(int fd, bool bad_banner, const struct kabi *ka)
{
	enum { NDATA = KP_BSS - KP_ROOT, NSYM_MAX = 4 + 2 * NKSYMS_MAX + 1 };
	static const char *const secname[KSEC_NUM] = {
		[KSEC_TEXT] = ".text", [KSEC_RODATA] = ".rodata", [KSEC_DATA] = ".data",
		[KSEC_BSS] = ".bss", [KSEC_SYMTAB] = ".symtab", [KSEC_STRTAB] = ".strtab",
		[KSEC_SHSTRTAB] = ".shstrtab",
	};
	uint8_t rodata[PAGE_SIZE], *data = calloc(NDATA, PAGE_SIZE);
	uint8_t symtab[NSYM_MAX * SYM_SIZE];
	char strtab[2048], shstrtab[128];
	uint32_t strlen_ = 1, shlen = 1, shname[KSEC_NUM] = { 0 };
	size_t nsym = 0, first_global = 0;
	const char *file = NULL;
	uint64_t off[KSEC_NUM] = { 0 }, size[KSEC_NUM] = { 0 }, shoff;
	Elf *elf = NULL;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	int ret = -1;

	if (!data)
		return fail("out of memory");
	memset(strtab, 0, sizeof(strtab));
	memset(shstrtab, 0, sizeof(shstrtab));
	memset(symtab, 0, sizeof(symtab));

	/* Contents at link time: m == NULL in kernel_objects_page(). */
	kernel_objects_page(NULL, ka, KP_RODATA, bad_banner, rodata);
	for (uint32_t i = KP_ROOT; i < KP_BSS; i++) {
		uint8_t *pg = data + PG(i - KP_ROOT);

		if (i == KP_ROOT || i == KP_KL3 || i == KP_KL2)
			vmlinux_pgt(ka, i, pg);
		else if (!kernel_objects_page(NULL, ka, i, bad_banner, pg))
			memset(pg, 0, PAGE_SIZE);
	}

	/* .symtab: null, section symbols, FILE + local, then the globals. */
	put_sym(symtab, &nsym, ka->is32, 0, 0, SHN_UNDEF, 0, 0);
	for (unsigned sec = KSEC_TEXT; sec <= KSEC_BSS; sec++)
		put_sym(symtab, &nsym, ka->is32, 0, ELF64_ST_INFO(STB_LOCAL, STT_SECTION),
			(uint16_t)sec, ka->va + ksec_start[sec], 0);
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1)
			first_global = nsym;
		for (size_t k = 0; k < ka->n; k++) {
			const struct ksym *s = &ka->syms[k];

			if ((s->bind == STB_LOCAL) != (pass == 0))
				continue;
			if (s->file && (!file || strcmp(file, s->file))) {
				file = s->file;
				put_sym(symtab, &nsym, ka->is32, strtab_add(strtab, &strlen_, file),
					ELF64_ST_INFO(STB_LOCAL, STT_FILE), SHN_ABS, 0, 0);
			}
			put_sym(symtab, &nsym, ka->is32, strtab_add(strtab, &strlen_, s->name),
				ELF64_ST_INFO(s->bind, s->type), s->sec, ka->va + s->off,
				s->size);
		}
	}
	for (unsigned sec = KSEC_TEXT; sec < KSEC_NUM; sec++)
		shname[sec] = strtab_add(shstrtab, &shlen, secname[sec]);

	/* File layout: headers, then page-aligned .rodata and .data, then the tables. */
	for (unsigned sec = KSEC_TEXT; sec <= KSEC_BSS; sec++)
		size[sec] = (sec == KSEC_BSS ? ka->bss_end : ksec_end[sec]) - ksec_start[sec];
	off[KSEC_TEXT] = PAGE_SIZE;	/* SHT_NOBITS: no bytes in the file */
	off[KSEC_RODATA] = PAGE_SIZE;
	off[KSEC_DATA] = off[KSEC_RODATA] + size[KSEC_RODATA];
	off[KSEC_BSS] = off[KSEC_DATA] + size[KSEC_DATA];
	off[KSEC_SYMTAB] = off[KSEC_BSS];
	size[KSEC_SYMTAB] = nsym * (ka->is32 ? SYM32_SIZE : SYM_SIZE);
	off[KSEC_STRTAB] = off[KSEC_SYMTAB] + size[KSEC_SYMTAB];
	size[KSEC_STRTAB] = strlen_;
	off[KSEC_SHSTRTAB] = off[KSEC_STRTAB] + size[KSEC_STRTAB];
	size[KSEC_SHSTRTAB] = shlen;
	shoff = align_up(off[KSEC_SHSTRTAB] + size[KSEC_SHSTRTAB], 8);
	if (ka->is32) {
		ret = write_vmlinux32(fd, ka, rodata, data, symtab, strtab, shstrtab, shname, off,
				      size, first_global);
		free(data);
		return ret;
	}

	elf = elf_begin(fd, ELF_C_WRITE, NULL);
	if (!elf) {
		fail_elf("elf_begin");
		goto out;
	}
	if (!elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT) || !(eh = elf64_newehdr(elf)) ||
	    !(ph = elf64_newphdr(elf, 3))) {
		fail_elf("elf64_newehdr");
		goto out;
	}
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_SYSV;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = KERNEL_TEXT_VA - START_KERNEL_MAP;	/* vmlinux: physical startup_64 */
	eh->e_phoff = sizeof(Elf64_Ehdr);
	eh->e_shoff = shoff;
	eh->e_flags = 0;
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = 3;
	eh->e_shentsize = sizeof(Elf64_Shdr);
	eh->e_shstrndx = KSEC_SHSTRTAB;

	/* text (no file bytes), rodata, data + bss */
	for (unsigned p = 0; p < 3; p++) {
		unsigned sec = p == 0 ? KSEC_TEXT : p == 1 ? KSEC_RODATA : KSEC_DATA;

		ph[p].p_type = PT_LOAD;
		ph[p].p_flags = p == 0 ? PF_R | PF_X : p == 1 ? PF_R : PF_R | PF_W;
		ph[p].p_offset = off[sec];
		ph[p].p_vaddr = KERNEL_TEXT_VA + ksec_start[sec];
		ph[p].p_paddr = ph[p].p_vaddr - START_KERNEL_MAP;
		ph[p].p_filesz = p == 0 ? 0 : size[sec];
		ph[p].p_memsz = p == 2 ? size[KSEC_DATA] + size[KSEC_BSS] : size[sec];
		ph[p].p_align = PAGE_SIZE;
	}
	elf_flagphdr(elf, ELF_C_SET, ELF_F_DIRTY);

	for (unsigned sec = KSEC_TEXT; sec < KSEC_NUM; sec++) {
		Elf_Scn *scn = elf_newscn(elf);
		Elf64_Shdr *sh;
		const void *buf = NULL;
		bool alloc = sec <= KSEC_BSS;

		if (!scn || !(sh = elf64_getshdr(scn))) {
			fail_elf("elf_newscn");
			goto out;
		}
		sh->sh_name = shname[sec];
		sh->sh_type = sec == KSEC_TEXT || sec == KSEC_BSS ? SHT_NOBITS :
			      sec == KSEC_SYMTAB ? SHT_SYMTAB :
			      sec >= KSEC_STRTAB ? SHT_STRTAB : SHT_PROGBITS;
		sh->sh_flags = !alloc ? 0 : sec == KSEC_TEXT ? SHF_ALLOC | SHF_EXECINSTR :
			       sec == KSEC_RODATA ? SHF_ALLOC : SHF_ALLOC | SHF_WRITE;
		sh->sh_addr = alloc ? KERNEL_TEXT_VA + ksec_start[sec] : 0;
		sh->sh_offset = off[sec];
		sh->sh_size = size[sec];
		sh->sh_link = sec == KSEC_SYMTAB ? KSEC_STRTAB : 0;
		sh->sh_info = sec == KSEC_SYMTAB ? (Elf64_Word)first_global : 0;
		sh->sh_addralign = alloc ? PAGE_SIZE : sec == KSEC_SYMTAB ? 8 : 1;
		sh->sh_entsize = sec == KSEC_SYMTAB ? SYM_SIZE : 0;
		buf = sec == KSEC_RODATA ? (const void *)rodata : sec == KSEC_DATA ? (const void *)data :
		      sec == KSEC_SYMTAB ? (const void *)symtab : sec == KSEC_STRTAB ? (const void *)strtab :
		      sec == KSEC_SHSTRTAB ? (const void *)shstrtab : NULL;
		if (buf) {
			Elf_Data *d = elf_newdata(scn);

			if (!d) {
				fail_elf("elf_newdata");
				goto out;
			}
			/* Bytes already in file order: no libelf conversion. */
			d->d_buf = (void *)buf;
			d->d_type = ELF_T_BYTE;
			d->d_size = size[sec];
			d->d_off = 0;
			d->d_align = 1;
			d->d_version = EV_CURRENT;
		}
	}
	if (elf_update(elf, ELF_C_WRITE) < 0) {
		fail_elf("elf_update");
		goto out;
	}
	ret = 0;
out:
	elf_end(elf);
	free(data);
	return ret;
}

/*
 * good-pae's vmlinux: the same sections and segments as write_vmlinux()
 * makes, as ELF32 EM_386; p_paddr = p_vaddr - PAGE_OFFSET (0xc0000000),
 * e_entry the physical startup_32.
 */
static int write_vmlinux32(int fd, const struct kabi *ka, const uint8_t *rodata,
			   const uint8_t *data, const uint8_t *symtab, const char *strtab,
			   const char *shstrtab, const uint32_t *shname, const uint64_t *off,
			   const uint64_t *size, size_t first_global)
{
	uint64_t shoff = align_up(off[KSEC_SHSTRTAB] + size[KSEC_SHSTRTAB], 4);
	Elf *elf = elf_begin(fd, ELF_C_WRITE, NULL);
	Elf32_Ehdr *eh;
	Elf32_Phdr *ph;
	int ret = -1;

	if (!elf)
		return fail_elf("elf_begin");
	if (!elf_flagelf(elf, ELF_C_SET, ELF_F_LAYOUT) || !(eh = elf32_newehdr(elf)) ||
	    !(ph = elf32_newphdr(elf, 3))) {
		fail_elf("elf32_newehdr");
		goto out;
	}
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_SYSV;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_version = EV_CURRENT;
	eh->e_entry = (Elf32_Addr)(ka->va - ka->va_base);	/* physical startup_32 */
	eh->e_phoff = sizeof(Elf32_Ehdr);
	eh->e_shoff = (Elf32_Off)shoff;
	eh->e_flags = 0;
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_phnum = 3;
	eh->e_shentsize = sizeof(Elf32_Shdr);
	eh->e_shstrndx = KSEC_SHSTRTAB;

	for (unsigned p = 0; p < 3; p++) {
		unsigned sec = p == 0 ? KSEC_TEXT : p == 1 ? KSEC_RODATA : KSEC_DATA;

		ph[p].p_type = PT_LOAD;
		ph[p].p_flags = p == 0 ? PF_R | PF_X : p == 1 ? PF_R : PF_R | PF_W;
		ph[p].p_offset = (Elf32_Off)off[sec];
		ph[p].p_vaddr = (Elf32_Addr)(ka->va + ksec_start[sec]);
		ph[p].p_paddr = (Elf32_Addr)(ph[p].p_vaddr - ka->va_base);
		ph[p].p_filesz = (Elf32_Word)(p == 0 ? 0 : size[sec]);
		ph[p].p_memsz = (Elf32_Word)(p == 2 ? size[KSEC_DATA] + size[KSEC_BSS] : size[sec]);
		ph[p].p_align = PAGE_SIZE;
	}
	elf_flagphdr(elf, ELF_C_SET, ELF_F_DIRTY);

	for (unsigned sec = KSEC_TEXT; sec < KSEC_NUM; sec++) {
		Elf_Scn *scn = elf_newscn(elf);
		Elf32_Shdr *sh;
		const void *buf = NULL;
		bool alloc = sec <= KSEC_BSS;

		if (!scn || !(sh = elf32_getshdr(scn))) {
			fail_elf("elf_newscn");
			goto out;
		}
		sh->sh_name = shname[sec];
		sh->sh_type = sec == KSEC_TEXT || sec == KSEC_BSS ? SHT_NOBITS :
			      sec == KSEC_SYMTAB ? SHT_SYMTAB :
			      sec >= KSEC_STRTAB ? SHT_STRTAB : SHT_PROGBITS;
		sh->sh_flags = !alloc ? 0 : sec == KSEC_TEXT ? SHF_ALLOC | SHF_EXECINSTR :
			       sec == KSEC_RODATA ? SHF_ALLOC : SHF_ALLOC | SHF_WRITE;
		sh->sh_addr = alloc ? (Elf32_Addr)(ka->va + ksec_start[sec]) : 0;
		sh->sh_offset = (Elf32_Off)off[sec];
		sh->sh_size = (Elf32_Word)size[sec];
		sh->sh_link = sec == KSEC_SYMTAB ? KSEC_STRTAB : 0;
		sh->sh_info = sec == KSEC_SYMTAB ? (Elf32_Word)first_global : 0;
		sh->sh_addralign = alloc ? PAGE_SIZE : sec == KSEC_SYMTAB ? 4 : 1;
		sh->sh_entsize = sec == KSEC_SYMTAB ? SYM32_SIZE : 0;
		buf = sec == KSEC_RODATA ? (const void *)rodata : sec == KSEC_DATA ? (const void *)data :
		      sec == KSEC_SYMTAB ? (const void *)symtab : sec == KSEC_STRTAB ? (const void *)strtab :
		      sec == KSEC_SHSTRTAB ? (const void *)shstrtab : NULL;
		if (buf) {
			Elf_Data *d = elf_newdata(scn);

			if (!d) {
				fail_elf("elf_newdata");
				goto out;
			}
			d->d_buf = (void *)buf;
			d->d_type = ELF_T_BYTE;
			d->d_size = size[sec];
			d->d_off = 0;
			d->d_align = 1;
			d->d_version = EV_CURRENT;
		}
	}
	if (elf_update(elf, ELF_C_WRITE) < 0) {
		fail_elf("elf_update");
		goto out;
	}
	ret = 0;
out:
	elf_end(elf);
	return ret;
}
