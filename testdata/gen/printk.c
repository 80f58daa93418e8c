// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * printk.c: --scenario pagetypes: the guest's kernel log (Linux 6.1's
 * lockless ring or 5.4's log_buf) and the vcpus' kernel stacks,
 * --expect-dmesg and --expect-stack.
 *
 * Sources: Linux 6.1 kernel/printk/printk_ringbuffer.{c,h} (the lockless
 * ring: data_alloc(), get_next_lpos(), data_push_tail(), desc_reserve(),
 * desc_push_tail()), kernel/printk/printk.c (setup_log_buf(), the caller
 * id, log_buf_vmcoreinfo_setup()); Linux 5.4 kernel/printk/printk.c
 * (struct printk_log, log_store(), log_make_free_space(), msg_used_size());
 * makedumpfile 1.7.2 printk.c (dump_lockless_dmesg(), dump_record()) and
 * makedumpfile.c (dump_dmesg(), dump_log_entry()).  testdata/README, "The
 * kernel log and the stacks", says what is built.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libelf.h>

#include "kernel.h"
#include "model.h"
#include "pagetypes.h"
#include "util.h"

#define PK_DESC_BITS		7u	/* 128 descriptors */
#define PK_DESCS		(1u << PK_DESC_BITS)
#define PK_TEXT_BITS		13u	/* 8 KiB of text data */
#define PK_TEXT_SIZE		(1u << PK_TEXT_BITS)
#define PK_LOGBUF_SIZE		8192u	/* log_buf_len (5.4 layout) */
#define PK_LOGBUF_STATIC	4096u	/* __LOG_BUF_LEN: CONFIG_LOG_BUF_SHIFT 12 */
#define PK_LOG_HDR		20u	/* struct printk_log: __packed __aligned(4) on x86 */
#define PK_LOG_ALIGN		4u	/* CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS */
#define PK_INFO_SIZE		88u	/* struct printk_info, 64-bit and i386 alike */
#define PK_MAX_MSGS		512u
#define PK_POOL_SIZE		65536u
#define PK_MAX_WORDS		128u	/* stack words a vcpu */
#define PK_SUBSYS_LEN		16u
#define PK_DEVICE_LEN		48u
/* setup_log_buf()'s memblock allocations (block 0, kernel-class pattern pages) */
#define PK_DESCS_PFN		0x33fdULL	/* the descriptors, 1 page */
#define PK_INFOS_PFN		0x33faULL	/* the infos, 3 pages (11264 bytes) */
#define PK_INFOS_PAGES		3u
/* printk.h / printk.c record flags */
#define LOG_NEWLINE		2u
#define LOG_CONT		8u
/* printk_ringbuffer.h descriptor states */
#define DESC_RESERVED		0u
#define DESC_COMMITTED		1u
#define DESC_FINALIZED		2u
#define DESC_REUSABLE		3u
#define PK_NO_LPOS		0x3ULL	/* data-less record */
#define PK_CALLER_CPU(c)	(0x80000000u | (c))
/* the variables, as offsets in the image */
#define PK_OFF_PRB		(PG(KP_VARS2) + 0x100)	/* prb; or log_buf, log_buf_len */
#define PK_OFF_RB_STATIC	(PG(KP_VARS2) + 0x140)
#define PK_OFF_RB_DYNAMIC	(PG(KP_BSS) + 0xe00)
#define PK_OFF_CLEAR_SEQ	(PG(KP_BSS) + 0xe80)
#define PK_OFF_LOG_VARS		(PG(KP_BSS) + 0xe00)	/* 5.4's seqs and idxs */
#define PK_OFF_LOG_STATIC	PG(KP_BSS + 1)		/* __log_buf */

enum { PKM_LINE, PKM_CONT_FIRST, PKM_CONT_MORE, PKM_EMPTY, PKM_RESERVED };

/* One printk() as the guest made it. */
struct pk_msg {
	uint8_t kind, level, facility;
	uint32_t caller;
	uint64_t ts;
	const char *text;
	uint16_t len;
	const char *subsys, *device;	/* dev_printk(): 6.1 dev_info, 5.4 dict */
};

/* A record a reader should print (--expect-dmesg). */
struct pk_rec {
	uint64_t seq, ts;
	uint8_t level, facility, flags;
	uint32_t caller;
	const char *text;
	uint16_t len;
	bool lost;		/* a --bad kind leaves it unreadable */
};

struct pk_model {
	uint32_t w;		/* the guest's word */
	uint64_t wmask;		/* unsigned long */
	char pool[PK_POOL_SIZE];
	size_t pool_len;
	struct pk_msg msg[PK_MAX_MSGS];
	size_t nmsg;
	uint64_t ts;		/* the clock while messages are made */
	/* lockless */
	uint8_t text[PK_TEXT_SIZE];
	uint8_t descs[PK_DESCS * 24];
	uint8_t infos[PK_DESCS * PK_INFO_SIZE];
	uint64_t head_id, tail_id, last_final, head_lpos, tail_lpos;
	uint32_t size_bits;
	uint64_t wrapped_block;	/* the seq of a readable record stored wrapped, or ~0 */
	bool wrapped;		/* the ring has wrapped as the README says */
	/* log_buf */
	uint8_t lbuf[PK_LOGBUF_SIZE];
	uint32_t buf_len, first_idx, next_idx, clear_idx;
	uint64_t first_seq, next_seq, clear_seq;
	/* what a reader outputs */
	struct pk_rec rec[PK_MAX_MSGS];
	size_t nrec;
	/* the stacks */
	uint64_t top[NR_VCPUS], rsp[NR_VCPUS], rbp[NR_VCPUS];
	uint64_t word[NR_VCPUS][PK_MAX_WORDS];
	bool fp_slot[NR_VCPUS][PK_MAX_WORDS];	/* a return-address slot of the chain */
	uint32_t nwords[NR_VCPUS];
};

static uint64_t pk_direct(const struct model *m, uint64_t pfn)
{
	return (m->pae ? PAGE_OFFSET32 : PAGE_OFFSET_BASE) + (pfn << PAGE_SHIFT);
}

static void __attribute__((format(printf, 6, 7)))
pk_add(struct pk_model *p, uint8_t kind, uint8_t level, uint8_t facility, uint32_t caller,
       const char *fmt, ...)
{
	struct pk_msg *g;
	va_list ap;
	int n;

	if (p->nmsg >= PK_MAX_MSGS || p->pool_len + 512 > PK_POOL_SIZE)
		return;
	g = &p->msg[p->nmsg++];
	va_start(ap, fmt);
	n = vsnprintf(p->pool + p->pool_len, 512, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= 512)
		n = 0;
	g->kind = kind;
	g->level = level;
	g->facility = facility;
	g->caller = caller;
	g->text = p->pool + p->pool_len;
	g->len = (uint16_t)n;
	g->subsys = g->device = NULL;
	g->ts = p->ts;
	p->pool_len += (size_t)n + 1;
}

/* The last message came from a device (dev_printk()). */
static void pk_dev(struct pk_model *p, const char *subsys, const char *device)
{
	p->msg[p->nmsg - 1].subsys = subsys;
	p->msg[p->nmsg - 1].device = device;
}

/* Advances the clock by base..base+spread ns. */
static void pk_tick(struct pk_model *p, uint64_t *rng, uint64_t base, uint64_t spread)
{
	p->ts += base + (spread ? prng_next(rng) % spread : 0);
}

#define PK_KHUNGTASKD		35u
#define PK_PANIC_REASON		"hung_task: blocked tasks"

/*
 * What the guest printed, oldest first: boot (most of which the ring has
 * lost), a day of running, a hung task and the panic it causes.
 */
static void pk_messages(struct pk_model *p)
{
	static const char *const units[] = {
		"systemd-journald.service - Journal Service",
		"cron.service - Regular background program processing daemon",
		"ssh.service - OpenBSD Secure Shell server",
		"systemd-tmpfiles-clean.service - Cleanup of Temporary Directories",
		"apt-daily.service - Daily apt download activities",
		"logrotate.service - Rotate log files",
	};
	uint64_t rng = 0x646d657367ULL;	/* "dmesg" */
	const uint32_t c0 = PK_CALLER_CPU(0), c1 = PK_CALLER_CPU(1);

	p->ts = 0;
	/* boot: time 0 until the clock runs */
	pk_add(p, PKM_LINE, 5, 0, c0, "Linux version %s (builder@xencore.invalid) (gcc "
	       "(Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) %s",
	       p->w == 8 ? UTS_RELEASE : UTS_RELEASE_PT32, UTS_VERSION);
	pk_add(p, PKM_LINE, 6, 0, c0, "Command line: root=/dev/xvda1 ro console=hvc0 "
	       "log_buf_len=8k");
	pk_add(p, PKM_LINE, 6, 0, c0, "Released 0 page(s)");
	pk_add(p, PKM_LINE, 6, 0, c0, "BIOS-provided physical RAM map:");
	pk_add(p, PKM_LINE, 6, 0, c0, "Xen: [mem 0x0000000000000000-0x000000000009ffff] usable");
	pk_add(p, PKM_LINE, 6, 0, c0, "Xen: [mem 0x00000000000a0000-0x00000000000fffff] reserved");
	pk_add(p, PKM_LINE, 6, 0, c0, "Xen: [mem 0x0000000000100000-0x0000000003ffffff] usable");
	pk_add(p, PKM_LINE, 6, 0, c0, "NX (Execute Disable) protection: active");
	pk_add(p, PKM_LINE, 6, 0, c0, "Hypervisor detected: Xen PV");
	pk_add(p, PKM_LINE, 6, 0, c0, "log_buf_len: 8192 bytes");
	pk_add(p, PKM_LINE, 6, 0, c0, "early log buf free: 3036(74%%)");
	for (unsigned i = 0; i < 24; i++)
		pk_add(p, PKM_LINE, 6, 0, c0, "PM: hibernation: Registered nosave memory: "
		       "[mem 0x%08x-0x%08x]", 0x1100000u + i * 0x40000u,
		       0x1100000u + i * 0x40000u + 0x3ffffu);
	pk_add(p, PKM_LINE, 6, 0, c0, "Booting kernel on Xen");
	pk_add(p, PKM_LINE, 6, 0, c0, "Xen version: 4.17.3 (preserve-AD)");
	pk_add(p, PKM_LINE, 6, 0, c0, "setup_percpu: NR_CPUS:8192 nr_cpumask_bits:2 "
	       "nr_cpu_ids:2 nr_node_ids:1");
	pk_add(p, PKM_LINE, 6, 0, c0, "rcu: Hierarchical RCU implementation.");
	pk_add(p, PKM_LINE, 6, 0, c0, "rcu: \tRCU restricting CPUs from NR_CPUS=8192 to "
	       "nr_cpu_ids=2.");
	pk_add(p, PKM_LINE, 6, 0, c0, "Using NULL legacy PIC");
	pk_add(p, PKM_LINE, 6, 0, c0, "xen:events: Using FIFO-based ABI");
	/* the clock runs */
	for (unsigned i = 0; i < 30; i++) {
		static const char *const boot[] = {
			"clocksource: xen: mask: 0xffffffffffffffff max_cycles: 0x1cd42e4dffb",
			"Memory: 48116K/65536K available (12288K kernel code)",
			"devtmpfs: initialized",
			"NET: Registered PF_NETLINK/PF_ROUTE protocol family",
			"xen:grant_table: Grant tables using version 1 layout",
			"Grant table initialized",
			"PCI: setting up Xen PCI frontend stub",
			"xen:balloon: Initialising balloon driver",
			"clocksource: Switched to clocksource xen",
			"NET: Registered PF_INET protocol family",
			"Freeing initrd memory: 9560K",
			"Initialise system trusted keyrings",
			"xen_netfront: Initialising Xen virtual ethernet driver",
			"blkfront: xvda: flush diskcache: enabled; persistent grants: enabled",
			" xvda: xvda1",
			"EXT4-fs (xvda1): mounted filesystem with ordered data mode.",
			"Freeing unused kernel image (initmem) memory: 2756K",
			"Run /sbin/init as init process",
			"systemd[1]: systemd 252.22-1~deb12u1 running in system mode",
			"systemd[1]: Hostname set to <xencore-guest>.",
		};
		pk_tick(p, &rng, 1000000, 20000000);
		pk_add(p, PKM_LINE, i % 5 == 4 ? 5 : 6, boot[i % 20][0] == 's' ? 3 : 0,
		       boot[i % 20][0] == 's' ? 1 : c0, "%s", boot[i % 20]);
	}
	/* running: a day of ordinary messages, the special ones among them */
	for (unsigned i = 0; i < 96; i++) {
		unsigned u = (unsigned)(prng_next(&rng) % 6), pid = 1200 + 37 * i % 900;

		pk_tick(p, &rng, 200000000000ULL, 600000000000ULL);
		switch (i % 12) {
		case 0:
			pk_add(p, PKM_LINE, 6, 3, 1, "systemd[1]: Started %s.", units[u]);
			break;
		case 1:
			pk_add(p, PKM_LINE, 5, 0, PK_CALLER_CPU(i % 2), "audit: type=1334 "
			       "audit(1706%06u.%03u:%u): prog-id=%u op=LOAD", 700000 + i * 997,
			       i * 7 % 1000, 200 + i, 40 + i);
			break;
		case 2:
			pk_add(p, PKM_LINE, 6, 0, pid, "loop%u: detected capacity change "
			       "from 0 to %u", i % 8, 8 * (i + 11));
			break;
		case 3:
			pk_add(p, PKM_LINE, 4, 0, c1, "hrtimer: interrupt took %u ns",
			       1500 + 31 * i);
			break;
		case 4:
			pk_add(p, PKM_LINE, 6, 0, pid, "vbd vbd-51728: %u xenbus_dev_probe "
			       "on device/vbd/51728", 19 + i % 3);
			pk_dev(p, "xen", "+xen:vbd-51728");
			break;
		case 5:
			pk_add(p, PKM_LINE, 7, 0, pid, "xen_netfront: eth0: rx ring "
			       "refill %u", 64 + i);
			break;
		case 6:
			pk_add(p, PKM_LINE, 4, 1, pid, "logger: fixture marker %u", i);
			break;
		case 7:
			pk_add(p, PKM_LINE, 6, 0, pid, "EXT4-fs (xvdb): mounted filesystem "
			       "%08x r/w. Quota mode: none.", 0x1f2e3d4cu + i);
			break;
		case 8:
			pk_add(p, PKM_LINE, 3, 0, c0, "xen:balloon: reserve_additional_memory: "
			       "add_memory() failed: %d", -17);
			break;
		case 9:
			pk_add(p, PKM_LINE, 6, 0, c1, "perf: interrupt took too long "
			       "(%u > %u), lowering kernel.perf_event_max_sample_rate to %u",
			       2500 + i, 2500, 79750 - 25 * i);
			break;
		case 10:
			pk_add(p, PKM_LINE, 6, 3, 1, "systemd[1]: Found device "
			       "dev-disk-by\\x2duuid-%04x.device.", 0x1f2e + i);
			break;
		default:
			pk_add(p, PKM_LINE, 5, 0, pid, "TCP: request_sock_TCP: Possible SYN "
			       "flooding on port 22. Sending cookies.");
			break;
		}
		if (i == 60) {
			pk_tick(p, &rng, 1000000, 0);
			pk_add(p, PKM_LINE, 3, 3, 1, "systemd[1]: \x1b[0;1;31mFailed\x1b[0m to "
			       "start fixture\x01.service\x7f - control bytes.");
			pk_add(p, PKM_LINE, 6, 0, c1, "smpboot: Booting Node 0 Processor 1 APIC 0x1");
			pk_tick(p, &rng, 1000000, 0);
			pk_add(p, PKM_CONT_FIRST, 6, 0, c1, ".... node  #0, CPUs:      ");
			pk_add(p, PKM_CONT_MORE, 6, 0, c1, "#1");
			pk_tick(p, &rng, 1000000, 0);
			pk_add(p, PKM_EMPTY, 6, 0, c1, "%s", "");
			pk_add(p, PKM_LINE, 6, 0, c1, "smp: Brought up 1 node, 2 CPUs");
		}
		if (i == 72) {
			pk_add(p, PKM_LINE, 3, 0, c1, "rcu: INFO: rcu_sched detected stalls "
			       "on CPUs/tasks:");
			pk_add(p, PKM_LINE, 3, 0, c1, "rcu: \t1-...!: (0 ticks this GP) "
			       "idle=3c4/0/0x1 fqs=0");
			pk_add(p, PKM_LINE, 1, 0, c1, "BUG: unable to handle page fault for "
			       "address: ffffc90000a4b000");
			pk_add(p, PKM_LINE, 1, 0, c1, "#PF: supervisor read access in kernel mode");
			pk_add(p, PKM_LINE, 4, 0, c1, "Code: 48 89 e5 41 57 41 56 41 55\n"
			       "RSP: e02b:ffffc90000a4be08 EFLAGS: 00010246\n"
			       "RAX: 0000000000000000 RBX: ffff888000124000");
			pk_add(p, PKM_LINE, 2, 0, c0, "thermal thermal_zone0: critical "
			       "temperature reached (105 C), shutting down");
			pk_dev(p, "thermal", "+thermal:thermal_zone0");
		}
	}
	/* khungtaskd finds a blocked task and panics (kernel/hung_task.c) */
	pk_tick(p, &rng, 120000000000ULL, 0);
	pk_add(p, PKM_LINE, 3, 0, PK_KHUNGTASKD, "INFO: task kworker/u4:2:87 blocked "
	       "for more than 120 seconds.");
	pk_add(p, PKM_LINE, 3, 0, PK_KHUNGTASKD, "      Not tainted %s #1",
	       p->w == 8 ? UTS_RELEASE : UTS_RELEASE_PT32);
	pk_add(p, PKM_LINE, 3, 0, PK_KHUNGTASKD, "\"echo 0 > /proc/sys/kernel/"
	       "hung_task_timeout_secs\" disables this message.");
	pk_tick(p, &rng, 150000, 0);
	pk_add(p, PKM_LINE, 0, 0, PK_KHUNGTASKD, "Kernel panic - not syncing: %s",
	       PK_PANIC_REASON);
	pk_add(p, PKM_LINE, 4, 0, PK_KHUNGTASKD, "CPU: 0 PID: %u Comm: khungtaskd "
	       "Not tainted %s #1", PK_KHUNGTASKD, p->w == 8 ? UTS_RELEASE : UTS_RELEASE_PT32);
	pk_add(p, PKM_LINE, 4, 0, PK_KHUNGTASKD, "Call Trace:");
	pk_add(p, PKM_LINE, 4, 0, PK_KHUNGTASKD, " <TASK>");
	pk_add(p, PKM_LINE, 4, 0, PK_KHUNGTASKD, " dump_stack_lvl+0x44/0x5c");
	pk_add(p, PKM_LINE, 4, 0, PK_KHUNGTASKD, " panic+0x118/0x2d6");
	pk_add(p, PKM_LINE, 4, 0, PK_KHUNGTASKD, " watchdog+0x2c7/0x310");
	pk_add(p, PKM_LINE, 4, 0, PK_KHUNGTASKD, " kthread+0xd7/0x100");
	pk_add(p, PKM_LINE, 4, 0, PK_KHUNGTASKD, " ret_from_fork+0x1f/0x30");
	pk_add(p, PKM_LINE, 4, 0, PK_KHUNGTASKD, " </TASK>");
	pk_tick(p, &rng, 2000000, 0);
	pk_add(p, PKM_LINE, 0, 0, PK_KHUNGTASKD, "Kernel Offset: disabled");
	pk_add(p, PKM_LINE, 0, 0, PK_KHUNGTASKD, "---[ end Kernel panic - not syncing: "
	       "%s ]---", PK_PANIC_REASON);
	/* CPU 1 was in the middle of a printk(): reserved, never committed */
	pk_tick(p, &rng, 30000, 0);
	pk_add(p, PKM_RESERVED, 4, 0, c1, "hrtimer: interrupt took 1732 ns");
}

static uint64_t pk_id_mask(const struct pk_model *p)
{
	return p->wmask >> 2;	/* DESC_ID_MASK: the state takes the top two bits */
}

/* The message's dev_info / dict: "SUBSYSTEM=..\0DEVICE=..". */
static size_t pk_dict(const struct pk_msg *g, char *out, size_t size)
{
	int n;

	if (!g->subsys)
		return 0;
	n = snprintf(out, size, "SUBSYSTEM=%s%cDEVICE=%s", g->subsys, 0, g->device);
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/* Linux 6.1's lockless ring after every message of pk_messages(). */
static void pk_build_lockless(struct pk_model *p)
{
	const uint64_t M = p->wmask, IDM = pk_id_mask(p), size = PK_TEXT_SIZE;
	const uint32_t w = p->w, dsz = 3 * w;
	struct lrec {
		uint64_t id, begin, next, seq;
		uint8_t state;
		size_t msg;	/* first message */
		char text[512];
		uint16_t len;
		uint8_t flags;
	} *r = calloc(PK_MAX_MSGS, sizeof(*r));
	size_t n = 0, tailrec = 0;	/* records; the first whose data may still be live */
	uint64_t desc0 = (0 - (uint64_t)(PK_DESCS + 1)) & IDM;	/* DESC0_ID() */

	if (!r)
		return;
	p->size_bits = PK_TEXT_BITS;
	p->wrapped_block = UINT64_MAX;
	p->head_id = p->tail_id = desc0;
	p->head_lpos = p->tail_lpos = (0 - size) & M;	/* BLK0_LPOS() */
	for (size_t i = 0; i < p->nmsg; i++) {
		const struct pk_msg *g = &p->msg[i];
		struct lrec *x = &r[n];
		uint64_t id = (p->head_id + 1) & IDM, sz;

		if (g->kind == PKM_CONT_MORE)
			continue;	/* joined to its first fragment below */
		x->msg = i;
		memcpy(x->text, g->text, g->len);
		x->len = g->len;
		x->flags = g->kind == PKM_CONT_FIRST ? LOG_CONT : LOG_NEWLINE;
		for (size_t j = i + 1; g->kind == PKM_CONT_FIRST && j < p->nmsg &&
		     p->msg[j].kind == PKM_CONT_MORE; j++) {
			memcpy(x->text + x->len, p->msg[j].text, p->msg[j].len);
			x->len = (uint16_t)(x->len + p->msg[j].len);
		}
		if (g->kind == PKM_EMPTY)
			x->flags = LOG_NEWLINE;
		/* desc_reserve(): the slot of id - count is the tail's: push it */
		if (((id - PK_DESCS) & IDM) == p->tail_id) {
			if (n >= PK_DESCS) {
				struct lrec *t = &r[n - PK_DESCS];

				t->state = DESC_REUSABLE;
				/* data_push_tail(desc.next): blocks up to it */
				while (!(t->next & 1) && tailrec < n &&
				       ((t->next - p->tail_lpos) & M) - 1 < size) {
					if (!(r[tailrec].begin & 1) &&
					    r[tailrec].begin == p->tail_lpos) {
						r[tailrec].state = DESC_REUSABLE;
						p->tail_lpos = r[tailrec].next;
					}
					tailrec++;
				}
			}
			p->tail_id = (p->tail_id + 1) & IDM;
		}
		p->head_id = id;
		x->id = id;
		x->seq = n;	/* desc_reserve(): the index, then + count a reuse */
		x->state = g->kind == PKM_RESERVED ? DESC_RESERVED : DESC_FINALIZED;
		if (g->kind == PKM_EMPTY) {
			x->begin = x->next = PK_NO_LPOS;
			x->len = 0;
		} else {
			uint64_t begin = p->head_lpos, next, lpos;

			sz = ((uint64_t)x->len + w + w - 1) / w * w;	/* to_blk_size() */
			next = (begin + sz) & M;
			if (begin >> PK_TEXT_BITS != next >> PK_TEXT_BITS)	/* get_next_lpos() */
				next = ((next & ~(size - 1)) + sz) & M;
			/* data_push_tail(next - size) */
			lpos = (next - size) & M;
			while (((lpos - p->tail_lpos) & M) - 1 < size && tailrec < n) {
				if (!(r[tailrec].begin & 1) && r[tailrec].begin == p->tail_lpos) {
					r[tailrec].state = DESC_REUSABLE;
					p->tail_lpos = r[tailrec].next;
				}
				tailrec++;
			}
			x->begin = begin;
			x->next = next;
			p->head_lpos = next;
			/* the block: its id, then the text (at index 0 when it wraps) */
			{
				uint64_t at = begin & (size - 1);

				put_word(p->text, (size_t)at, id, w);
				if (begin >> PK_TEXT_BITS != next >> PK_TEXT_BITS) {
					at = 0;
					put_word(p->text, 0, id, w);
				}
				memcpy(p->text + at + w, x->text, x->len);
			}
		}
		n++;
	}
	/* the descriptors and infos of the ring's slots: the newest record of each */
	for (size_t k = n > PK_DESCS ? n - PK_DESCS : 0; k < n; k++) {
		const struct lrec *x = &r[k];
		const struct pk_msg *g = &p->msg[x->msg];
		uint32_t slot = (uint32_t)(x->id & (PK_DESCS - 1));
		uint8_t *d = p->descs + slot * dsz, *f = p->infos + slot * PK_INFO_SIZE;

		put_word(d, 0, x->id | (uint64_t)x->state << (8 * w - 2), w);
		put_word(d, w, x->begin, w);
		put_word(d, 2 * w, x->next, w);
		memset(f, 0, PK_INFO_SIZE);
		put_le64(f, 0, x->seq);
		put_le64(f, 8, g->ts);
		put_le16(f, 16, x->len);
		f[18] = g->facility;
		f[19] = (uint8_t)(x->flags | g->level << 5);
		put_le32(f, 20, g->caller);
		if (g->subsys) {
			put_str(f, 24, PK_SUBSYS_LEN, g->subsys);
			put_str(f, 24 + PK_SUBSYS_LEN, PK_DEVICE_LEN, g->device);
		}
		if ((x->state == DESC_FINALIZED || x->state == DESC_COMMITTED) && x->len &&
		    x->begin >> PK_TEXT_BITS != x->next >> PK_TEXT_BITS)
			p->wrapped_block = x->seq;
		if ((x->state == DESC_FINALIZED || x->state == DESC_COMMITTED) && x->len &&
		    p->nrec < PK_MAX_MSGS) {
			struct pk_rec *o = &p->rec[p->nrec++];
			char *t = p->pool + p->pool_len;

			memcpy(t, x->text, x->len);
			p->pool_len += x->len + 1u;
			*o = (struct pk_rec){ x->seq, g->ts, g->level, g->facility, x->flags,
					      g->caller, t, x->len, false };
		}
	}
	p->last_final = n >= 2 ? r[n - 2].id : desc0;
	p->wrapped = p->tail_id != desc0 && p->tail_lpos != ((0 - size) & M) &&
		     p->wrapped_block != UINT64_MAX;
	free(r);
}

/* Linux 5.4's log_buf after every message (log_store(), one record a fragment). */
static void pk_build_logbuf(struct pk_model *p)
{
	const uint32_t len = PK_LOGBUF_SIZE;
	struct { uint32_t idx; size_t msg; uint8_t flags; } *r = calloc(PK_MAX_MSGS, sizeof(*r));
	size_t n = 0;

	if (!r)
		return;
	p->buf_len = len;
	for (size_t i = 0; i < p->nmsg; i++) {
		const struct pk_msg *g = &p->msg[i];
		char dict[128];
		uint32_t dlen, size, pad;
		uint8_t *h;

		if (g->kind == PKM_EMPTY || g->kind == PKM_RESERVED)
			continue;
		dlen = (uint32_t)pk_dict(g, dict, sizeof(dict));
		size = PK_LOG_HDR + g->len + dlen;	/* msg_used_size() */
		pad = (0 - size) & (PK_LOG_ALIGN - 1);
		size += pad;
		/* log_make_free_space(): drop the oldest until it fits */
		for (;;) {
			/* logbuf_has_space(size, false) */
			uint32_t free_ = p->next_idx > p->first_idx ?
				(len - p->next_idx > p->first_idx ? len - p->next_idx :
				 p->first_idx) : p->first_idx - p->next_idx;

			if (p->first_seq >= p->next_seq || free_ >= size + PK_LOG_HDR)
				break;
			/* log_next() */
			h = p->lbuf + p->first_idx;
			if (!(h[8] | h[9]))	/* the wrap marker */
				p->first_idx = (uint32_t)(p->lbuf[8] | p->lbuf[9] << 8);
			else
				p->first_idx += (uint32_t)(h[8] | h[9] << 8);
			p->first_seq++;
		}
		if (p->clear_seq < p->first_seq) {
			p->clear_seq = p->first_seq;
			p->clear_idx = p->first_idx;
		}
		if (p->next_idx + size + PK_LOG_HDR > len) {
			memset(p->lbuf + p->next_idx, 0, PK_LOG_HDR);	/* the wrap marker */
			p->next_idx = 0;
		}
		h = p->lbuf + p->next_idx;
		memset(h, 0, size);
		put_le64(h, 0, g->ts);
		put_le16(h, 8, (uint16_t)size);
		put_le16(h, 10, g->len);
		put_le16(h, 12, (uint16_t)dlen);
		h[14] = g->facility;
		r[n].flags = g->kind == PKM_CONT_MORE ? LOG_CONT :
			     g->kind == PKM_CONT_FIRST ? 0 : LOG_NEWLINE;
		h[15] = (uint8_t)(r[n].flags | g->level << 5);
		put_le32(h, 16, g->caller);	/* CONFIG_PRINTK_CALLER */
		memcpy(h + PK_LOG_HDR, g->text, g->len);
		memcpy(h + PK_LOG_HDR + g->len, dict, dlen);
		r[n].idx = p->next_idx;
		r[n].msg = i;
		n++;
		p->next_idx += size;
		p->next_seq++;
	}
	p->wrapped = p->first_seq > 0 && p->first_idx > p->next_idx;
	for (uint64_t s = p->first_seq; s < p->next_seq && p->nrec < PK_MAX_MSGS; s++) {
		const struct pk_msg *g = &p->msg[r[s].msg];

		p->rec[p->nrec++] = (struct pk_rec){ s, g->ts, g->level, g->facility, r[s].flags,
						     g->caller, g->text, g->len, false };
	}
	free(r);
}

/* A stack word: what lies between rsp and kernel_sp. */
enum { SW_INT, SW_PTR, SW_STALE, SW_FRAME, SW_END };
struct sw {
	uint8_t kind;
	const char *sym;	/* SW_STALE, SW_FRAME: the function returned into */
	uint64_t v;		/* SW_INT: the value; SW_PTR: a pfn << 12 | offset; else the offset */
};

/*
 * From rsp up.  vcpu 0: rcu_sched's kthread asleep in __schedule() (rip),
 * vcpu 1: the idle loop in default_idle() (rip).  SW_FRAME is a frame
 * record: the saved frame pointer (the next SW_FRAME's slot, 0 for the
 * last) and the return address.  What follows the last frame up to
 * kernel_sp is the task's pt_regs, zeros.
 */
static const struct sw pk_stack0[] = {
	{ SW_INT, NULL, 0 }, { SW_PTR, NULL, 0x104000 | 0x2c0 }, { SW_INT, NULL, 1 },
	{ SW_PTR, NULL, 0x104000 | 0x2c0 }, { SW_STALE, "try_to_wake_up", 0x1c6 },
	{ SW_INT, NULL, 0 },
	{ SW_FRAME, "schedule", 0x5d },
	{ SW_PTR, NULL, 0x110000 | 0x80 }, { SW_INT, NULL, 0x2 },
	{ SW_FRAME, "schedule_timeout", 0x11c },
	{ SW_INT, NULL, 0xfa }, { SW_PTR, NULL, 0x110000 | 0xc0 },
	{ SW_STALE, "panic", 0x1a8 }, { SW_INT, NULL, 0x100000fa },
	{ SW_FRAME, "rcu_gp_fqs_loop", 0x10e },
	{ SW_INT, NULL, 0x3 }, { SW_PTR, NULL, 0x118000 | 0x40 },
	{ SW_FRAME, "rcu_gp_kthread", 0x1b2 },
	{ SW_PTR, NULL, 0x104000 | 0x2c0 }, { SW_INT, NULL, 0 },
	{ SW_STALE, "dump_stack_lvl", 0x44 },
	{ SW_FRAME, "kthread", 0xd7 },
	{ SW_PTR, NULL, 0x120000 | 0x40 }, { SW_INT, NULL, 0 },
	{ SW_FRAME, "ret_from_fork", 0x1f },
	{ SW_END, NULL, 21 },	/* struct pt_regs (64-bit: 21 words) */
};
static const struct sw pk_stack1[] = {
	{ SW_INT, NULL, 0 }, { SW_PTR, NULL, 0x104000 | 0x6c0 }, { SW_INT, NULL, 1 },
	{ SW_FRAME, "arch_cpu_idle", 0x9 },
	{ SW_FRAME, "default_idle_call", 0x2c },
	{ SW_INT, NULL, 0x1 }, { SW_PTR, NULL, 0x118000 | 0x100 },
	{ SW_STALE, "try_to_wake_up", 0x2a1 },
	{ SW_FRAME, "do_idle", 0x1e1 },
	{ SW_STALE, "schedule", 0x3a }, { SW_INT, NULL, 0x2 },
	{ SW_PTR, NULL, 0x104000 | 0x6c0 },
	{ SW_FRAME, "cpu_startup_entry", 0x14 },
	{ SW_INT, NULL, 0xef },
	{ SW_FRAME, "cpu_bringup_and_idle", 0xa2 },
	{ SW_FRAME, "asm_cpu_bringup_and_idle", 0x5 },
	{ SW_END, NULL, 8 },
};

static const struct ksym *pk_find_sym(const struct kabi *ka, const char *name)
{
	for (size_t k = 0; k < ka->n; k++)
		if (!strcmp(ka->syms[k].name, name))
			return &ka->syms[k];
	return NULL;
}

static int pk_build_stacks(const struct model *m, struct pk_model *p)
{
	const struct kabi *ka = m->ka;
	const uint32_t w = p->w;

	for (unsigned v = 0; v < NR_VCPUS; v++) {
		const struct sw *s = v ? pk_stack1 : pk_stack0;
		uint32_t n = 0, slot[2 * PK_MAX_WORDS], nf = 0, fi = 0;
		uint64_t top = ka->va + (uint64_t)(KP_STACK0 + 2 * v) * PAGE_SIZE, bottom;

		size_t e = 0;

		for (; s[e].kind != SW_END; e++)	/* count the words */
			n += s[e].kind == SW_FRAME ? 2 : 1;
		n += (uint32_t)s[e].v;	/* and the zeros up to kernel_sp */
		if (n > PK_MAX_WORDS)
			return fail("internal: stack model too long");
		bottom = top - (uint64_t)n * w;
		p->top[v] = top;
		p->rsp[v] = bottom;
		p->nwords[v] = n;
		/* the frame records' slots */
		for (uint32_t i = 0, at = 0; s[i].kind != SW_END; i++) {
			if (s[i].kind == SW_FRAME)
				slot[nf++] = at;
			at += s[i].kind == SW_FRAME ? 2 : 1;
		}
		p->rbp[v] = bottom + (uint64_t)slot[0] * w;
		for (uint32_t i = 0, at = 0; s[i].kind != SW_END; i++) {
			const struct ksym *f = s[i].sym ? pk_find_sym(ka, s[i].sym) : NULL;

			if (s[i].sym && (!f || s[i].v >= f->size))
				return fail("internal: stack model names %s+0x%" PRIx64, s[i].sym,
					    s[i].v);
			switch (s[i].kind) {
			case SW_INT:
				p->word[v][at++] = s[i].v;
				break;
			case SW_PTR:
				p->word[v][at++] = pk_direct(m, s[i].v >> PAGE_SHIFT) +
						   (s[i].v & (PAGE_SIZE - 1));
				break;
			case SW_STALE:
				p->word[v][at++] = ka->va + f->off + s[i].v;
				break;
			default:	/* SW_FRAME */
				fi++;
				p->word[v][at] = fi < nf ? bottom + (uint64_t)slot[fi] * w : 0;
				p->word[v][at + 1] = ka->va + f->off + s[i].v;
				p->fp_slot[v][at + 1] = true;
				at += 2;
				break;
			}
		}
	}
	return 0;
}

/* Builds the guest's kernel log and stacks (build_model()). */
int pk_build(struct model *m)
{
	struct pk_model *p = calloc(1, sizeof(*p));

	if (!p)
		return fail("out of memory");
	m->pk = p;
	p->w = m->pae ? 4 : 8;
	p->wmask = m->pae ? UINT32_MAX : UINT64_MAX;
	pk_messages(p);
	if (m->printk == PRINTK_LOCKLESS)
		pk_build_lockless(p);
	else
		pk_build_logbuf(p);
	if (p->nrec < 100 || !p->wrapped)
		return fail("internal: the kernel log has %zu readable records and has%s wrapped",
			    p->nrec, p->wrapped ? "" : " not");
	switch (m->bad) {
	case BAD_PRINTK_SIZE_HUGE:	/* nothing can be read */
		p->size_bits = 40;
		for (size_t i = 0; i < p->nrec; i++)
			p->rec[i].lost = true;
		break;
	case BAD_PRINTK_IDS_FAR:	/* readers read the count ending at head: all */
		p->tail_id = (p->head_id - 0x100000) & pk_id_mask(p);
		break;
	case BAD_PRINTK_LPOS_OUTSIDE: {
		/* the 40th readable record: next three ring sizes after begin */
		const struct pk_rec *x = &p->rec[40];
		uint32_t slot = PK_DESCS;

		for (uint32_t s = 0; s < PK_DESCS; s++)
			if (get_le64(p->infos, s * PK_INFO_SIZE) == x->seq)
				slot = s;
		if (slot == PK_DESCS)
			return fail("internal: printk-lpos-outside found no record");
		put_word(p->descs, slot * 3 * p->w + 2 * p->w,
			 get_word(p->descs, slot * 3 * p->w + p->w, p->w) + 3 * PK_TEXT_SIZE,
			 p->w);
		p->rec[40].lost = true;
		break;
	}
	case BAD_LOG_BUF_LEN_HUGE:
		p->buf_len = 0x80000000u;
		for (size_t i = 0; i < p->nrec; i++)
			p->rec[i].lost = true;
		break;
	case BAD_LOG_BUF_LOOP: {
		/*
		 * The sixth record after the wrap gets len 0, a wrap marker:
		 * the walk goes back to index 0 and round again, never reaching
		 * log_next_idx.  Readable: the records before it.
		 */
		uint32_t idx = p->first_idx, k = 0, wrapped = 0;

		for (size_t i = 0; i < p->nrec; i++) {
			uint16_t l = (uint16_t)(p->lbuf[idx + 8] | p->lbuf[idx + 9] << 8);

			if (!l) {
				idx = 0;
				wrapped = 1;
				l = (uint16_t)(p->lbuf[8] | p->lbuf[9] << 8);
			}
			if (wrapped && k++ == 5) {
				put_le16(p->lbuf, idx + 8, 0);
				for (size_t j = i; j < p->nrec; j++)
					p->rec[j].lost = true;
				break;
			}
			idx += l;
		}
		if (!wrapped)
			return fail("internal: log-buf-loop needs a wrapped log_buf");
		break;
	}
	default:
		break;
	}
	return pk_build_stacks(m, p);
}

/* Where vcpu v's stack pointer and frame pointer are (the vcpu contexts). */
uint64_t pk_vcpu_rsp(const struct model *m, unsigned v)
{
	return m->pk->rsp[v];
}

uint64_t pk_vcpu_rbp(const struct model *m, unsigned v)
{
	return m->pk->rbp[v];
}

/* The printk_ringbuffer printk_rb_dynamic at run time. */
void pk_prb_bytes(const struct model *m, uint8_t *out)
{
	const struct pk_model *p = m->pk;
	const uint32_t w = p->w;

	put_le32(out, 0, PK_DESC_BITS);			/* desc_ring.count_bits */
	put_word(out, w, pk_direct(m, PK_DESCS_PFN), w);	/* .descs */
	put_word(out, 2 * w, pk_direct(m, PK_INFOS_PFN), w);	/* .infos */
	put_word(out, 3 * w, p->head_id, w);
	put_word(out, 4 * w, p->tail_id, w);
	put_word(out, 5 * w, p->last_final, w);
	put_le32(out, 6 * w, p->size_bits);			/* text_data_ring.size_bits */
	put_word(out, 7 * w, pk_direct(m, PK_TEXT_PFN), w);	/* .data */
	put_word(out, 8 * w, p->head_lpos, w);
	put_word(out, 9 * w, p->tail_lpos, w);
	put_word(out, 10 * w, 0, w);				/* fail */
}

/* log_buf_len at run time. */
uint32_t pk_log_buf_len(const struct model *m)
{
	return m->pk->buf_len;
}

/* 5.4's log_* variables at run time, by name. */
uint64_t pk_log_var(const struct model *m, const char *name)
{
	const struct pk_model *p = m->pk;

	return !strcmp(name, "log_first_seq") ? p->first_seq :
	       !strcmp(name, "log_next_seq") ? p->next_seq :
	       !strcmp(name, "clear_seq") ? p->clear_seq :
	       !strcmp(name, "log_first_idx") ? p->first_idx :
	       !strcmp(name, "log_next_idx") ? p->next_idx : p->clear_idx;
}

/* Fills pg when pfn is one of the log's memblock pages; false otherwise. */
bool pk_page(const struct model *m, uint64_t pfn, uint8_t *pg)
{
	const struct pk_model *p = m->pk;

	if (!p || pfn < PK_INFOS_PFN || pfn >= PK_TEXT_PFN + 2)
		return false;
	memset(pg, 0, PAGE_SIZE);
	if (pfn >= PK_TEXT_PFN)
		memcpy(pg, (m->printk == PRINTK_LOCKLESS ? p->text : p->lbuf) +
			   (pfn - PK_TEXT_PFN) * PAGE_SIZE, PAGE_SIZE);
	else if (m->printk != PRINTK_LOCKLESS)
		return false;	/* log_buf has no descriptors: the pages keep their pattern */
	else if (pfn == PK_DESCS_PFN)
		memcpy(pg, p->descs, PK_DESCS * 3 * p->w);
	else {
		size_t off = (pfn - PK_INFOS_PFN) * PAGE_SIZE, n = sizeof(p->infos) - off;

		memcpy(pg, p->infos + off, n < PAGE_SIZE ? n : PAGE_SIZE);
	}
	return true;
}

/* The vcpus' stack pages: the data-page pattern, the stack's words at the top. */
bool pk_stack_page(const struct model *m, uint64_t pfn, uint64_t mfn, uint8_t *pg)
{
	const struct pk_model *p = m->pk;

	for (unsigned v = 0; p && v < NR_VCPUS; v++) {
		uint64_t top_pfn = KERNEL_TEXT_PFN + KP_STACK0 + 2 * v;

		if (pfn != top_pfn - 1)
			continue;
		gen_data_page(pfn, mfn, pg);
		for (uint32_t i = 0; i < p->nwords[v]; i++)
			put_word(pg, (size_t)(p->rsp[v] - m->ka->va - PG(KP_STACK0 + 2 * v - 1)) +
				 i * p->w, p->word[v][i], p->w);
		return true;
	}
	return false;
}

/* JSON string contents: \n \t \" \\, other bytes below 0x20 and 0x7f as \u00XX. */
static void pk_json_text(FILE *f, const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)t[i];

		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
}

/* --expect-dmesg: one JSON object a record a reader outputs, oldest first. */
int write_expect_dmesg(const struct model *m, FILE *f)
{
	const struct pk_model *p = m->pk;

	for (size_t i = 0; i < p->nrec; i++) {
		const struct pk_rec *x = &p->rec[i];

		if (x->lost)
			continue;
		fprintf(f, "{\"seq\": %" PRIu64 ", \"ts_nsec\": %" PRIu64 ", \"level\": %u, "
			"\"facility\": %u, \"flags\": %u, \"caller_id\": %u, \"text\": \"",
			x->seq, x->ts, x->level, x->facility, x->flags, x->caller);
		pk_json_text(f, x->text, x->len);
		fputs("\"}\n", f);
	}
	return ferror(f) ? -1 : 0;
}

/* NAME+0xOFF of a text address: the sized function holding it, else the symbol below. */
static void pk_sym_name(const struct kabi *ka, uint64_t va, char *out, size_t size)
{
	const struct ksym *best = NULL;

	for (size_t k = 0; k < ka->n; k++) {
		const struct ksym *s = &ka->syms[k];
		uint64_t a = ka->va + s->off;

		if (s->sec == KSEC_TEXT && s->type == STT_FUNC && s->size && va >= a &&
		    va < a + s->size) {
			best = s;
			break;
		}
		if (a <= va && (!best || s->off > best->off))
			best = s;
	}
	if (best)
		snprintf(out, size, "%s+0x%" PRIx64, best->name, va - ka->va - best->off);
	else
		snprintf(out, size, "0x%" PRIx64, va);
}

/* --expect-stack: every text address in [rsp, kernel_sp), per vcpu. */
int write_expect_stack(const struct model *m, FILE *f)
{
	const struct pk_model *p = m->pk;
	const struct kabi *ka = m->ka;
	const struct ksym *et = pk_find_sym(ka, "_etext");
	char name[128];

	for (unsigned v = 0; v < NR_VCPUS; v++) {
		uint64_t rip = ka->va + VCPU_RIP_OFF(v);

		pk_sym_name(ka, rip, name, sizeof(name));
		fprintf(f, "vcpu %u rsp 0x%" PRIx64 " rbp 0x%" PRIx64 " top 0x%" PRIx64
			" rip 0x%" PRIx64 " %s\n", v, p->rsp[v], p->rbp[v], p->top[v], rip, name);
		for (uint32_t i = 0; i < p->nwords[v]; i++) {
			uint64_t x = p->word[v][i];

			if (x < ka->va || x >= ka->va + et->off)
				continue;
			pk_sym_name(ka, x, name, sizeof(name));
			fprintf(f, "vcpu %u 0x%" PRIx64 " 0x%" PRIx64 " %s %s\n", v,
				p->rsp[v] + (uint64_t)i * p->w, x, name, p->fp_slot[v][i] ? "fp" : "-");
		}
	}
	return ferror(f) ? -1 : 0;
}

/*
 * log_buf_vmcoreinfo_setup()'s lines, which crash_save_vmcoreinfo_init()
 * writes after OFFSET(list_head.prev) (and the unmodelled zone, free_area
 * and vmap_area lines): Linux 6.1 printk.c for the lockless ring, 5.4's
 * for log_buf (with CONFIG_PRINTK_CALLER).
 */
void pk_vmcoreinfo(const struct model *m, struct text *t)
{
	const struct kabi *ka = m->ka;
	const unsigned w = m->pae ? 4 : 8;

	if (m->printk == PRINTK_LOGBUF) {
		text_add(t,
			 "SYMBOL(log_buf)=%" PRIx64 "\n"
			 "SYMBOL(log_buf_len)=%" PRIx64 "\n"
			 "SYMBOL(log_first_idx)=%" PRIx64 "\n"
			 "SYMBOL(clear_idx)=%" PRIx64 "\n"
			 "SYMBOL(log_next_idx)=%" PRIx64 "\n"
			 "SIZE(printk_log)=20\n"
			 "OFFSET(printk_log.ts_nsec)=0\n"
			 "OFFSET(printk_log.len)=8\n"
			 "OFFSET(printk_log.text_len)=10\n"
			 "OFFSET(printk_log.dict_len)=12\n"
			 "OFFSET(printk_log.caller_id)=16\n",
			 ka->va + PG(KP_VARS2) + 0x100, ka->va + PG(KP_VARS2) + 0x100 + w,
			 ka->va + PG(KP_BSS) + 0xe18, ka->va + PG(KP_BSS) + 0xe20,
			 ka->va + PG(KP_BSS) + 0xe1c);
		return;
	}
	if (m->printk != PRINTK_LOCKLESS)
		return;
	text_add(t,
		 "SYMBOL(prb)=%" PRIx64 "\n"
		 "SYMBOL(printk_rb_static)=%" PRIx64 "\n"
		 "SYMBOL(clear_seq)=%" PRIx64 "\n"
		 "SIZE(printk_ringbuffer)=%u\n"
		 "OFFSET(printk_ringbuffer.desc_ring)=0\n"
		 "OFFSET(printk_ringbuffer.text_data_ring)=%u\n"
		 "OFFSET(printk_ringbuffer.fail)=%u\n"
		 "SIZE(prb_desc_ring)=%u\n"
		 "OFFSET(prb_desc_ring.count_bits)=0\n"
		 "OFFSET(prb_desc_ring.descs)=%u\n"
		 "OFFSET(prb_desc_ring.infos)=%u\n"
		 "OFFSET(prb_desc_ring.head_id)=%u\n"
		 "OFFSET(prb_desc_ring.tail_id)=%u\n"
		 "SIZE(prb_desc)=%u\n"
		 "OFFSET(prb_desc.state_var)=0\n"
		 "OFFSET(prb_desc.text_blk_lpos)=%u\n"
		 "SIZE(prb_data_blk_lpos)=%u\n"
		 "OFFSET(prb_data_blk_lpos.begin)=0\n"
		 "OFFSET(prb_data_blk_lpos.next)=%u\n",
		 ka->va + PG(KP_VARS2) + 0x100, ka->va + PG(KP_VARS2) + 0x140,
		 ka->va + PG(KP_BSS) + 0xe80, 11 * w, 6 * w, 10 * w, 6 * w, w, 2 * w, 3 * w,
		 4 * w, 3 * w, w, 2 * w, w);
	text_add(t,
		 "SIZE(printk_info)=88\n"
		 "OFFSET(printk_info.seq)=0\n"
		 "OFFSET(printk_info.ts_nsec)=8\n"
		 "OFFSET(printk_info.text_len)=16\n"
		 "OFFSET(printk_info.caller_id)=20\n"
		 "OFFSET(printk_info.dev_info)=24\n"
		 "SIZE(dev_printk_info)=64\n"
		 "OFFSET(dev_printk_info.subsystem)=0\n"
		 "LENGTH(printk_info_subsystem)=16\n"
		 "OFFSET(dev_printk_info.device)=16\n"
		 "LENGTH(printk_info_device)=48\n"
		 "SIZE(prb_data_ring)=%u\n"
		 "OFFSET(prb_data_ring.size_bits)=0\n"
		 "OFFSET(prb_data_ring.data)=%u\n"
		 "OFFSET(prb_data_ring.head_lpos)=%u\n"
		 "OFFSET(prb_data_ring.tail_lpos)=%u\n"
		 "SIZE(atomic_long_t)=%u\n"
		 "OFFSET(atomic_long_t.counter)=0\n"
		 /* { seqcount_latch_t latch; u64 val[2]; }: i386 aligns u64 to 4 */
		 "SIZE(latched_seq)=%u\n"
		 "OFFSET(latched_seq.val)=%u\n",
		 4 * w, w, 2 * w, 3 * w, w, w == 8 ? 24 : 20, w == 8 ? 8 : 4);
}
