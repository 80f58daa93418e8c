#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# native.sh: the native export held against independent readers, on the
# generator's pagetypes guests (--whole-memmap: every page of struct pages
# dumped, as xl dump-core does) with their two user processes on pgd_list:
#   - the generator's own truth: the page tables it says a native export
#     rewrites (--expect-pagetables) and the native vmcore it writes itself
#     (--native-vmcore), page for page;
#   - drgn opens both outputs with no setting and reads kernel-image,
#     direct-map, vmalloc and vmemmap addresses as xencore reads them from
#     the original dump;
#   - libkdumpfile reads the same addresses, and its registers from the
#     NT_PRSTATUS notes are the vcpu contexts' (read here from the dump's
#     bytes);
#   - makedumpfile -d 31 refilters both outputs and keeps the pfns
#     xencore's -d 31 keeps; crash --osrelease prints the guest's release;
#   - xencore reads its outputs back (p2m, check, user addresses through a
#     process's tables) and gets the original back from them (xc_core).
# A 32-bit PAE guest gets the same where the tools can read it (drgn 0.0.22
# has no i386 support; Debian's amd64 makedumpfile and crash read x86_64
# dumps only).  Then damaged input: page tables that loop, VMCOREINFO that
# is cut short or another build's.
. "${srcdir:-.}/tests/common.sh"

PY=/usr/bin/python3
READ="$PY $(cd "$srcdir/tests" && pwd)/native-read.py"
KDUMPCHK="$top_builddir/tests/test-kdumpfile"
MAKEDUMPFILE=$(command -v makedumpfile || echo /usr/sbin/makedumpfile)
O="$T/native"
mkdir -p "$O"

have_py=0
"$PY" -c 'import drgn, kdumpfile' 2>/dev/null && have_py=1
[ $have_py = 1 ] || echo "python3-drgn or python3-libkdumpfile missing: their checks are skipped"

json_field() {
	sed -n "s/.*\"$1\": \"*\([^\",]*\)\"*,*$/\1/p" "$2"
}

# hexof DUMP ADDR [OPTION...]: xencore's 64 bytes at ADDR of DUMP, as hex.
hexof() {
	dump=$1 addr=$2
	shift 2
	"$XENCORE" read --format=raw -n 64 "$@" "$dump" "$addr" 2>/dev/null | od -An -v -tx1 | tr -d ' \n'
}

# mdf_refiltered DIR: xencore reads makedumpfile's refilter of its kdump
# file ($DIR/m31): the pages that are left, each as xencore's own file has
# it, the p2m it saved, the guest's kernel log.
mdf_refiltered() {
	kept=$(awk '{ n += $2 } END { print n }' "$1/pfns.have")
	"$XENCORE" info "$1/m31" >"$1/m31.info" 2>/dev/null
	"$XENCORE" p2m --source=saved --format=runs "$1/m31" >"$1/m31.p2m" 2>/dev/null
	"$XENCORE" p2m --source=saved --format=runs "$1/n.kdump" >"$1/n.p2m" 2>/dev/null
	ok=1
	grep -q "^nr_pages: *$kept\$" "$1/m31.info" && cmp -s "$1/m31.p2m" "$1/n.p2m" || ok=0
	# the first pfn of every kept run reads as it does in xencore's file
	while read -r pfn _; do
		a=$("$XENCORE" read --phys --format=raw -n 4096 "$1/m31" $((pfn * 4096)) 2>/dev/null | cksum)
		b=$("$XENCORE" read --phys --format=raw -n 4096 "$1/n.kdump" $((pfn * 4096)) 2>/dev/null | cksum)
		[ "$a" = "$b" ] || ok=0
	done <"$1/pfns.have"
	if [ $ok = 1 ]; then
		pass "$name: xencore reads makedumpfile's -d 31 refilter: $kept pages, the saved p2m, every kept run's first page"
	else
		fail "$name: xencore reading makedumpfile's refilter"
		head -3 "$1/m31.info"
	fi
}

# variant NAME BITS GENERATOR-ARGS...
variant() {
	name=$1 bits=$2
	shift 2
	d="$O/$name"
	mkdir -p "$d"
	if ! "$MKXCCORE" "$@" --whole-memmap --vmlinux "$d/vmlinux" --system-map "$d/map" \
		--expect-pagetables "$d/tables" --native-vmcore "$d/vmcore" "$d/dump.xc" >"$d/gen" 2>&1; then
		fail "$name: generator: $(cat "$d/gen")"
		return
	fi
	vm="--vmlinux $d/vmlinux"
	release=$("$XENCORE" info $vm "$d/dump.xc" | sed -n 's/^kernel_release: *//p')
	banner=$(awk '$3 == "linux_banner" { print "0x" $1 }' "$d/map")
	p2m_vaddr=$("$XENCORE" info "$d/dump.xc" | sed -n 's/^p2m_vaddr: *//p')
	if [ "$bits" = 64 ]; then
		dmap=0xffff888003f21000 user=0x400000
	else
		dmap=0xc3f21000 user=0x08048000
	fi

	# The exports, checked page by page against the dump as they are written.
	for fmt in kdump elf; do
		if ! "$XENCORE" filter -d 0 --output-format=$fmt $vm --json --verify \
			-o "$d/n.$fmt" "$d/dump.xc" >"$d/n.$fmt.json" 2>"$d/n.$fmt.err"; then
			fail "$name $fmt: filter: $(cat "$d/n.$fmt.err")"
			return
		fi
	done
	j="$d/n.kdump.json"
	tables=$(grep -vc '^clear' "$d/tables")
	cleared=$(grep -c '^clear' "$d/tables")
	have_cleared=$(($(json_field entries_cleared_xen "$j") + $(json_field entries_cleared_unmapped "$j")))
	if [ "$(json_field page_tables "$j")" = "$tables" ] && [ "$have_cleared" = "$cleared" ] &&
		[ "$(json_field pgd_list "$j")" = 2 ] && [ "$(json_field vmcoreinfo "$j")" = true ] &&
		[ "$(json_field utsname_release "$j")" = "$release" ] && [ ! -s "$d/n.kdump.err" ]; then
		pass "$name: $tables page tables (2 pgds on pgd_list), $cleared entries cleared, VMCOREINFO and release $release, as the generator says"
	else
		fail "$name: json $(tr -d '\n' <"$j"); want $tables tables, $cleared cleared; $(cat "$d/n.kdump.err")"
	fi

	# Page for page what the generator's native vmcore holds, from both
	# formats (the kdump file through xencore's own kdump -> ELF).
	"$XENCORE" filter --output-format=elf -o "$d/k2e.elf" "$d/n.kdump" >/dev/null 2>&1
	for f in n.elf k2e.elf; do
		if [ $have_py = 0 ]; then break; fi
		$READ pages "$d/$f" "$d/vmcore" >"$d/pages"
		n=$(awk '{ print $2 }' "$d/pages")
		if grep -q "common $n differ 0 " "$d/pages"; then
			pass "$name $f: its $n pages are the native vmcore's"
		else
			fail "$name $f: $(cat "$d/pages")"
		fi
	done
	# A native export made xc_core again is the dump's own xc_core copy.
	"$XENCORE" filter -d 0 --output-format=xc_core $vm -o "$d/direct.xc" "$d/dump.xc" >/dev/null 2>&1
	"$XENCORE" filter --output-format=xc_core -o "$d/back.xc" "$d/n.kdump" >"$d/back.out" 2>&1
	same "$name: the native kdump file made xc_core again is the dump's xc_core" "$d/direct.xc" "$d/back.xc"

	# xencore reads its native outputs as it reads the dump.
	"$XENCORE" p2m --format=runs "$d/dump.xc" >"$d/p2m.in"
	# check finds in the kdump file what it finds in the dump's own xc_core
	# copy at -d 0 (both leave out the poisoned and offline pages), in the
	# ELF core what it finds in the dump: as makedumpfile -E does, an ELF
	# core keeps short runs of left-out pages (here those four) as data.
	"$XENCORE" check "$d/direct.xc" >"$d/check.kdump" 2>&1
	echo $? >"$d/check.kdump.rc"
	"$XENCORE" check "$d/dump.xc" >"$d/check.elf" 2>&1
	echo $? >"$d/check.elf.rc"
	hexof "$d/dump.xc" "$user" --vcpu 1 >"$d/user.in"
	"$XENCORE" vtop --vcpu 1 "$d/dump.xc" "$user" | grep '^pfn:' >"$d/vtop.in"
	for fmt in kdump elf; do
		f="$d/n.$fmt"
		"$XENCORE" p2m --format=runs --source=saved "$f" >"$d/p2m.out" 2>&1
		same "$name $fmt: the saved p2m is the dump's" "$d/p2m.in" "$d/p2m.out"
		"$XENCORE" check "$f" >"$d/check.out" 2>&1
		rc=$?
		sed -i 's/saved //' "$d/check.out"	# the source a file adds
		if [ $rc = "$(cat "$d/check.$fmt.rc")" ] && cmp -s "$d/check.$fmt" "$d/check.out"; then
			pass "$name $fmt: check exits $rc and finds what it finds in the $([ $fmt = kdump ] && echo 'xc_core copy' || echo dump)"
		else
			fail "$name $fmt: check exits $rc"
			diff "$d/check.$fmt" "$d/check.out" | head -5
		fi
		"$XENCORE" info "$f" | grep -q '^native: *yes$' && pass "$name $fmt: info says native" ||
			fail "$name $fmt: info: $("$XENCORE" info "$f" 2>&1 | grep -i native)"
		hexof "$f" "$user" --vcpu 1 >"$d/user.out"
		[ -s "$d/user.in" ] && same "$name $fmt: user address $user through vcpu 1's process" \
			"$d/user.in" "$d/user.out"
		"$XENCORE" vtop --vcpu 1 "$f" "$user" | grep '^pfn:' >"$d/vtop.out"
		same "$name $fmt: vtop of $user gives the dump's pfn" "$d/vtop.in" "$d/vtop.out"
	done

	[ $have_py = 1 ] || return
	# The registers, from NT_PRSTATUS as libkdumpfile reads them, and the
	# cr3s (NT_PRSTATUS has none) in xencore's CPUS note as pfns' addresses.
	$READ contexts "$d/dump.xc" >"$d/ctx"
	$READ roots "$d/dump.xc" >"$d/roots"
	for fmt in kdump elf; do
		$READ regs "$d/n.$fmt" >"$d/regs" 2>&1
		same "$name $fmt: libkdumpfile's registers are the vcpu contexts' ($(wc -l <"$d/ctx") values)" \
			"$d/ctx" "$d/regs"
		$READ cpus "$d/n.$fmt" >"$d/cpus" 2>&1
		same "$name $fmt: the vcpus' cr3s are pseudo-physical ($(tr '\n' ' ' <"$d/roots"))" \
			"$d/roots" "$d/cpus"
	done

	# Addresses: kernel image, direct map, vmalloc (the p2m list), and the
	# vmemmap where there is one; the -d 31 outputs too.
	addrs="$banner $dmap $p2m_vaddr"
	[ "$name" = vmemmap ] && addrs="$addrs 0xffffea0000020000"
	: >"$d/want"
	for a in $addrs; do
		echo "$a $(hexof "$d/dump.xc" "$a")" >>"$d/want"
	done
	"$XENCORE" filter -d 31 $vm -o "$d/d31.kdump" "$d/dump.xc" >/dev/null 2>&1
	"$XENCORE" filter -d 31 --output-format=elf $vm -o "$d/d31.elf" "$d/dump.xc" >/dev/null 2>&1
	args=
	for a in $addrs; do args="$args $a:64"; done
	for f in n.kdump n.elf d31.kdump d31.elf; do
		if [ "$bits" = 64 ]; then
			$READ drgn "$d/$f" $args >"$d/drgn" 2>&1
			same "$name $f: drgn reads the image, direct map, vmalloc$([ "$name" = vmemmap ] && echo ' and vmemmap') as xencore reads the dump" \
				"$d/want" "$d/drgn"
		fi
		case $name-$f in
		pae-*.kdump)	# libkdumpfile 0.5.1 cannot translate an i386 diskdump's
				# kernel addresses (an infinite recursion on the root)
			continue ;;
		esac
		$READ kdumpfile "$d/$f" --ostype kv $args >"$d/kdf" 2>&1
		same "$name $f: libkdumpfile (addrxlat.ostype linux) reads them alike" "$d/want" "$d/kdf"
	done
	# Without addrxlat.ostype libkdumpfile 0.5.1 sets up no translation of
	# its own (vtop.c, addrxlat/x86_64.c get_virt_bits(): no OS type, no
	# paging mode): the machine frames (a pfn's, here) and an ELF core's
	# loads are all it reads then.
	pa=$(printf '0x%x' $((0x3f21 << 12)))
	echo "$pa $(hexof "$d/dump.xc" "$pa" --phys)" >"$d/want.pa"
	for f in n.kdump n.elf; do
		$READ kdumpfile "$d/$f" mach "$pa:64" >"$d/kdf" 2>&1
		same "$name $f: libkdumpfile reads pfn 0x3f21 as a machine frame, no OS type set" \
			"$d/want.pa" "$d/kdf"
	done
	echo "$banner $(hexof "$d/dump.xc" "$banner")" >"$d/want.img"
	$READ kdumpfile "$d/n.elf" kv "$banner:64" >"$d/kdf" 2>&1
	same "$name n.elf: libkdumpfile reads the kernel image through its load, no OS type set" \
		"$d/want.img" "$d/kdf"
	$READ release "$d/n.kdump" >"$d/rel" 2>&1
	[ "$(cat "$d/rel")" = "$release" ] && pass "$name: libkdumpfile's linux.uts.release is $release" ||
		fail "$name: libkdumpfile's release: $(cat "$d/rel")"

	[ "$bits" = 64 ] || return
	# makedumpfile refilters both outputs at -d 31 and keeps what xencore keeps.
	if [ -x "$MAKEDUMPFILE" ]; then
		"$KDUMPCHK" --pfns "$d/d31.kdump" >"$d/pfns.want"
		for f in n.kdump n.elf; do
			rm -f "$d/m31"
			if "$MAKEDUMPFILE" -d 31 "$d/$f" "$d/m31" >"$d/mdf" 2>&1; then
				"$KDUMPCHK" --pfns "$d/m31" >"$d/pfns.have"
				same "$name $f: makedumpfile -d 31 keeps the $(awk '{ n += $2 } END { print n }' "$d/pfns.want") pages xencore -d 31 keeps" \
					"$d/pfns.want" "$d/pfns.have"
				[ $f = n.kdump ] && mdf_refiltered "$d"
			else
				fail "$name $f: makedumpfile -d 31: $(tail -3 "$d/mdf")"
			fi
		done
	else
		echo "makedumpfile not installed: its checks are skipped"
	fi
	if command -v crash >/dev/null 2>&1; then
		for f in n.kdump n.elf; do
			r=$(crash --osrelease "$d/$f" 2>&1)
			[ "$r" = "$release" ] && pass "$name $f: crash --osrelease prints $release" ||
				fail "$name $f: crash --osrelease: $r"
		done
	else
		echo "crash not installed: its checks are skipped"
	fi
}

variant vmemmap 64 --scenario pagetypes
variant sparse 64 --scenario pagetypes --memmap=sparse
variant pae 32 --scenario pagetypes-pae

# Without symbols: the VMCOREINFO is found by a scan of the pages, and its
# SYMBOL(init_uts_ns) and init_top_pgt give the utsname and the kernel's
# root (pgd_list needs the symbols: its tables are the running process's
# only).
d="$O/vmemmap"
release=$("$XENCORE" info --vmlinux "$d/vmlinux" "$d/dump.xc" | sed -n 's/^kernel_release: *//p')
"$XENCORE" info "$d/dump.xc" >"$d/info.nosym"
grep -q '^vmcoreinfo: *scan pfn 0x3f21$' "$d/info.nosym" && pass "no symbols: info finds the VMCOREINFO by a scan, at pfn 0x3f21" ||
	fail "no symbols: info: $(grep vmcoreinfo "$d/info.nosym")"
"$XENCORE" filter -d 0 --json -o "$d/nosym.kdump" "$d/dump.xc" >"$d/nosym.json" 2>"$d/nosym.err"
if [ "$(json_field vmcoreinfo "$d/nosym.json")" = true ] &&
	[ "$(json_field utsname_release "$d/nosym.json")" = "$release" ] &&
	[ "$(json_field pgd_list "$d/nosym.json")" = 0 ] && [ ! -s "$d/nosym.err" ]; then
	pass "no symbols: the kdump file has the scanned VMCOREINFO and release $release"
else
	fail "no symbols: $(tr -d '\n' <"$d/nosym.json"); $(cat "$d/nosym.err")"
fi
# The ELF core's kernel image load comes from SYMBOL(_stext) and the
# kernel's tables: drgn reads the top page table through it.
"$XENCORE" filter -d 0 --output-format=elf -o "$d/nosym.elf" "$d/dump.xc" >/dev/null 2>&1
if [ $have_py = 1 ]; then
	banner=$(awk '$3 == "linux_banner" { print "0x" $1 }' "$d/map")
	echo "$banner $(hexof "$d/dump.xc" "$banner")" >"$d/want"
	for f in nosym.kdump nosym.elf; do
		$READ drgn "$d/$f" "$banner:64" >"$d/drgn" 2>&1
		same "no symbols: drgn reads linux_banner from $f" "$d/want" "$d/drgn"
	done
fi

# Damaged input.  Page tables that loop (an L3 entry naming the root: the
# p2m list's walk meets it first) or hold one table at two levels (the
# kernel's L2 naming itself as its L1): one line, exit 2, no output;
# --raw-pagetables still copies the dump.
for kind in l4-loop pt-self; do
	"$MKXCCORE" --scenario good-linear --bad $kind "$O/bad-$kind.xc" >/dev/null 2>&1
	"$XENCORE" filter -o "$O/bad.out" "$O/bad-$kind.xc" >/dev/null 2>"$O/err"
	rc=$?
	case $kind in
	l4-loop) want="page-table loop in the p2m mapping: mfn 0x2000c9d is used as L4 and L2 table (a native export rewrites the page tables through the guest's p2m; --raw-pagetables writes them as dumped)" ;;
	*) want="page table mfn 0x[0-9a-f]* is an L2 table and an L1 table (entry 8 of table mfn 0x[0-9a-f]*): a page table at two levels or a cycle" ;;
	esac
	if [ $rc = 2 ] && [ ! -e "$O/bad.out" ] && [ "$(grep -c . "$O/err")" = 1 ] &&
		grep -q "^xencore: $O/bad-$kind.xc: $want\$" "$O/err"; then
		pass "--bad $kind: $(cat "$O/err")"
	else
		fail "--bad $kind: exit $rc: $(cat "$O/err")"
	fi
	"$XENCORE" filter --raw-pagetables -o "$O/raw.kdump" "$O/bad-$kind.xc" >/dev/null 2>&1 &&
		pass "--bad $kind: --raw-pagetables writes it" || fail "--bad $kind: --raw-pagetables"
	rm -f "$O/bad.out" "$O/raw.kdump"
done

# The kernel's VMCOREINFO cut mid-line in its memory (vmcoreinfo_size 100),
# or another build's (--vmcoreinfo with another _stext): a warning, a
# native file without VMCOREINFO, which drgn then refuses to take for a
# Linux kernel's.
d="$O/vmemmap"
at=$(grep -obUaP '\x00\x10\xf2\x03\x80\x88\xff\xff' "$d/dump.xc" | head -1 | cut -d: -f1)
cp "$d/dump.xc" "$O/cut.xc"
printf 'd\000' | dd of="$O/cut.xc" bs=1 seek=$((at + 8)) conv=notrunc 2>/dev/null
"$XENCORE" filter -d 0 --vmlinux "$d/vmlinux" --json -o "$O/cut.kdump" "$O/cut.xc" >"$O/cut.json" 2>"$O/err"
rc=$?
if [ $rc = 0 ] && [ "$(json_field vmcoreinfo "$O/cut.json")" = false ] && [ "$(grep -c . "$O/err")" = 1 ] &&
	grep -q "^xencore: $O/cut.xc: warning: the output has no VMCOREINFO, which drgn, crash and makedumpfile need: the kernel's VMCOREINFO at 0xffff888003f21000: VMCOREINFO line 4 is not KEY=VALUE: \"OFFSET(uts_namespace.name\"\$" "$O/err"; then
	pass "VMCOREINFO cut short: $(cat "$O/err")"
else
	fail "VMCOREINFO cut short: exit $rc: $(cat "$O/err")"
fi
"$XENCORE" read --vmlinux "$d/vmlinux" --format=raw -n 4096 "$d/dump.xc" 0xffff888003f21000 |
	tr -d '\000' | sed 's/^SYMBOL(_stext)=.*/SYMBOL(_stext)=ffffffff82000000/' >"$O/vi-other"
"$XENCORE" filter -d 0 --vmlinux "$d/vmlinux" --vmcoreinfo "$O/vi-other" --json \
	-o "$O/other.kdump" "$d/dump.xc" >"$O/other.json" 2>"$O/err"
rc=$?
if [ $rc = 0 ] && [ "$(json_field vmcoreinfo "$O/other.json")" = false ] &&
	grep -q "warning: the output has no VMCOREINFO, which drgn, crash and makedumpfile need: the VMCOREINFO's _stext 0xffffffff82000000 is not the symbols' 0xffffffff81000000\$" "$O/err"; then
	pass "another build's VMCOREINFO: not carried, with a warning"
else
	fail "another build's VMCOREINFO: exit $rc: $(cat "$O/err")"
fi
if [ $have_py = 1 ]; then
	$READ drgn "$O/other.kdump" 0xffffffff81000000:8 >"$O/drgn" 2>&1
	grep -q 'linux.vmcoreinfo.raw is not set' "$O/drgn" &&
		pass "drgn refuses a native file without VMCOREINFO" || fail "drgn: $(cat "$O/drgn")"
fi
finish
