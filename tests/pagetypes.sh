#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# pagetypes.sh: filter -d 2, 4, 8, 16 and 31 from the guest kernel's own
# VMCOREINFO and struct pages, on the generator's `pagetypes` guests
# (SPARSEMEM_VMEMMAP, classic SPARSEMEM_EXTREME, 32-bit PAE SPARSEMEM):
# exactly the pfns the generator's --expect-types file implies are kept, in
# both output formats, with the per-class counts; info shows what was found;
# and, when makedumpfile is installed, its own -d result on a native vmcore
# of the same guest pages is the same set of pfns.
. "${srcdir:-.}/tests/common.sh"

O="$T/pt"
mkdir -p "$O"
MAKEDUMPFILE=$(command -v makedumpfile || echo /usr/sbin/makedumpfile)
KDUMPCHK="$top_builddir/tests/test-kdumpfile"

# json_field NAME FILE: a number from filter --json output.
json_field() {
	sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" "$2"
}

# merge: "START COUNT" lines (decimal, any order) -> sorted, adjacent runs joined.
merge() {
	sort -n | {
		s=-1 n=0
		while read -r a c; do
			if [ "$s" -ge 0 ] && [ "$a" -eq $((s + n)) ]; then
				n=$((n + c))
			else
				[ "$s" -ge 0 ] && echo "$s $n"
				s=$a n=$c
			fi
		done
		[ "$s" -ge 0 ] && echo "$s $n"
	}
}

# dropped CLASS LEVEL: whether makedumpfile's level drops a page of CLASS.
dropped() {
	case $1 in
	cache) [ $(($2 & 6)) -ne 0 ] ;;
	cache_private) [ $(($2 & 4)) -ne 0 ] ;;
	user) [ $(($2 & 8)) -ne 0 ] ;;
	free) [ $(($2 & 16)) -ne 0 ] ;;
	hwpoison | offline | absent) true ;;
	*) false ;;
	esac
}

# expected TYPES LEVEL FORMAT: the pfn runs the output must hold.  A kdump
# file keeps its zero pages in its page table (they share one stored page);
# an xc_core file leaves them out.
expected() {
	while read -r pfn n class zero; do
		dropped "$class" "$2" && continue
		[ "$zero" = zero ] && [ $(($2 & 1)) -ne 0 ] && [ "$3" = xc_core ] && continue
		echo "$((pfn)) $n"
	done <"$1" | merge
}

# class_count TYPES CLASS LEVEL: pages the level drops as CLASS.
class_count() {
	t=0
	while read -r pfn n class zero; do
		[ "$class" = "$2" ] && dropped "$class" "$3" && t=$((t + n))
	done <"$1"
	echo $t
}

# zero_count TYPES LEVEL: zero pages left out as zero pages (not by class).
zero_count() {
	t=0
	[ $(($2 & 1)) -eq 0 ] && { echo 0; return; }
	while read -r pfn n class zero; do
		[ "$zero" = zero ] && ! dropped "$class" "$2" && t=$((t + n))
	done <"$1"
	echo $t
}

# held OUT: the pfn runs a filtered dump holds (its own page table).
held() {
	"$XENCORE" p2m --source=dump --format=runs "$1" |
		while read -r pfn mfn n; do
			case $mfn in 0x*) echo "$((pfn)) $n" ;; esac
		done | merge
}

# variant NAME MODEL RELEASE GENERATOR-ARGS...
variant() {
	name=$1 model=$2 release=$3
	shift 3
	d="$O/$name"
	mkdir -p "$d"
	if ! "$MKXCCORE" "$@" --vmlinux "$d/vmlinux" --system-map "$d/System.map" \
		--expect-types "$d/types" "$d/dump.xc" >"$d/gen.log" 2>&1; then
		fail "$name: generator ($*)"
		cat "$d/gen.log"
		return
	fi
	"$XENCORE" info --vmlinux "$d/vmlinux" "$d/dump.xc" >"$d/info" 2>"$d/info.err"
	if grep -q "^memmap_model: *$model\$" "$d/info" &&
		grep -q '^vmcoreinfo: *kernel 0x' "$d/info" &&
		grep -q "^vmcoreinfo_osrelease: *$release\$" "$d/info" &&
		grep -q '^page_types: *cache cache_private user free hwpoison offline$' "$d/info"; then
		pass "$name: info finds the VMCOREINFO and a $model memmap"
	else
		fail "$name: info"
		cat "$d/info" "$d/info.err"
	fi
	# Pages kept because their struct page is not in the dump.
	nomemmap=$(awk '$3 == "nomemmap" { n += $2 } END { print n + 0 }' "$d/types")
	[ "$nomemmap" -gt 0 ] || fail "$name: the guest has no pfn without a struct page"
	for level in 1 2 4 8 16 31; do
		for fmt in kdump xc_core; do
			out="$d/d$level.$fmt"
			if ! "$XENCORE" filter -d $level --output-format=$fmt --vmlinux "$d/vmlinux" \
				--json --verify -o "$out" "$d/dump.xc" >"$out.json" 2>"$out.err"; then
				fail "$name -d $level $fmt: filter failed"
				cat "$out.err"
				continue
			fi
			expected "$d/types" $level $fmt >"$out.want"
			held "$out" >"$out.have"
			if cmp -s "$out.want" "$out.have"; then
				pass "$name -d $level $fmt: exactly the expected pfns kept ($(awk '{ n += $2 } END { print n }' "$out.have") pages)"
			else
				fail "$name -d $level $fmt: kept pfns differ (want < > have)"
				diff "$out.want" "$out.have" | head -10
			fi
			ok=1
			for c in cache cache_private user free hwpoison offline; do
				want=$(class_count "$d/types" $c $level)
				have=$(json_field pages_$c "$out.json")
				[ "$want" = "$have" ] || { ok=0; echo "pages_$c: want $want, have $have"; }
			done
			want=$(zero_count "$d/types" $level)
			have=$(json_field pages_zero "$out.json")
			[ "$want" = "$have" ] || { ok=0; echo "pages_zero: want $want, have $have"; }
			have=$(json_field pages_no_memmap "$out.json")
			[ "$nomemmap" = "$have" ] || { ok=0; echo "pages_no_memmap: want $nomemmap, have $have"; }
			read_=$(json_field pages_read "$out.json")
			sum=$(($(json_field pages_kept "$out.json") + $(json_field pages_zero "$out.json") + $(json_field pages_excluded "$out.json")))
			[ "$read_" = "$sum" ] || { ok=0; echo "read $read_ != kept + zero + excluded $sum"; }
			if [ $ok = 1 ]; then
				pass "$name -d $level $fmt: counts per class"
			else
				fail "$name -d $level $fmt: counts per class"
			fi
		done
		if "$XENCORE" info "$d/d$level.kdump" | grep -q "^dump_level: *$level\$"; then
			pass "$name -d $level: info on the kdump file shows the level"
		else
			fail "$name -d $level: info on the kdump file shows the level"
		fi
	done
	# Filtered again (makedumpfile's refiltering): the -d 16 kdump file at
	# -d 1 records level 17 (its free pages stay out) and says so, with the
	# same pfns in it and the same first bitmap (the guest's pages, the
	# free ones too), as libkdumpfile reads them.
	"$XENCORE" filter -d 1 --json -o "$d/d16-1.kdump" "$d/d16.kdump" >"$d/d16-1.json" 2>"$d/d16-1.err"
	"$KDUMPCHK" --ram-pfns "$d/d16.kdump" >"$d/d16.ram"
	"$KDUMPCHK" --ram-pfns "$d/d16-1.kdump" >"$d/d16-1.ram"
	ram=$(awk '{ n += $2 } END { print n }' "$d/d16.ram")
	if [ "$(json_field dump_level_recorded "$d/d16-1.json")" = 17 ] &&
		"$XENCORE" info "$d/d16-1.kdump" | grep -q '^dump_level: *17$' &&
		grep -q "^xencore: $d/d16.kdump: dump level 1 is recorded as 17: the input was filtered at level 16\$" \
			"$d/d16-1.err" &&
		[ "$(held "$d/d16-1.kdump")" = "$(held "$d/d16.kdump")" ] &&
		[ "$ram" -gt "$(awk '{ n += $2 } END { print n }' "$d/d16.kdump.have")" ] &&
		cmp -s "$d/d16.ram" "$d/d16-1.ram"; then
		pass "$name: -d 16 filtered again at -d 1 records level 17, the same pfns, the same $ram pages in its first bitmap"
	else
		fail "$name: -d 16 filtered again at -d 1: $(cat "$d/d16-1.err")"
	fi
	# The same text from a file and no symbols (as makedumpfile -i): the
	# memmap through mem_section alone gives the same pages.
	at=$(sed -n 's/^vmcoreinfo: *kernel //p' "$d/info")
	"$XENCORE" read --vmlinux "$d/vmlinux" --format=raw -n 4096 "$d/dump.xc" "$at" |
		tr -d '\000' >"$d/vmcoreinfo"
	"$XENCORE" filter -d 31 --output-format=xc_core --vmcoreinfo "$d/vmcoreinfo" \
		-o "$d/vi.xc" "$d/dump.xc" >/dev/null 2>&1
	if [ "$(held "$d/vi.xc")" = "$(cat "$d/d31.xc_core.have")" ]; then
		pass "$name: --vmcoreinfo FILE without symbols gives the same -d 31 output"
	else
		fail "$name: --vmcoreinfo FILE without symbols gives the same -d 31 output"
	fi
	# crash reads the -d 31 kdump file's header as makedumpfile's (Debian's
	# amd64 crash reads x86_64 dumps only).
	if command -v crash >/dev/null 2>&1 && [ "${name%-pae}" = "$name" ]; then
		n=$(awk '{ n += $2 } END { print n }' "$d/d31.kdump.have")
		crash -d 7 "$d/d31.kdump" </dev/null >"$d/crash" 2>&1
		if grep -q '^compressed kdump' "$d/crash" && grep -q "total_valid_pages: $n\$" "$d/crash" &&
			grep -q 'dump_level: 31 (0x1f) (DUMP_EXCLUDE_ZERO|DUMP_EXCLUDE_CACHE|DUMP_EXCLUDE_CACHE_PRI|DUMP_EXCLUDE_USER_DATA|DUMP_EXCLUDE_FREE)' "$d/crash"; then
			pass "$name: crash reads the -d 31 kdump file: $n valid pages, dump level 31"
		else
			fail "$name: crash on the -d 31 kdump file: $(grep -i -m3 'kdump\|error\|valid' "$d/crash")"
		fi
	fi
	# A System.map finds the same (no vmlinux needed).
	"$XENCORE" filter -d 31 --output-format=xc_core --system-map "$d/System.map" \
		-o "$d/map.xc" "$d/dump.xc" >/dev/null 2>&1
	if [ "$(held "$d/map.xc")" = "$(cat "$d/d31.xc_core.have")" ]; then
		pass "$name: --system-map gives the same -d 31 output"
	else
		fail "$name: --system-map gives the same -d 31 output"
	fi
	if grep -q "warning: $nomemmap pages have no readable struct page in the guest's memmap and are kept" \
		"$d/d31.kdump.err"; then
		pass "$name: a warning counts the $nomemmap pages without a struct page"
	else
		fail "$name: no warning for the pages without a struct page: $(cat "$d/d31.kdump.err")"
	fi
	# makedumpfile picks its architecture at build time: Debian's amd64
	# build reads x86_64 vmcores only.
	case $name in *-pae) ;; *) native "$name" "$@" ;; esac
}

# types612 DIR: from the struct pages of the first 0x400 pfns, read from
# the dump, "slab PFN" for a 6.12 slab (page_type PGTY_slab, 0xf5 in its
# top byte) with page.mapping odd (struct slab's count of a cpu's partial
# slabs there), "hugetlb PFN" for a hugetlb head (PGTY_hugetlb, 0xf4).
types612() {
	base=$(sed -n 's/^memmap_base: *//p' "$1/info")
	"$XENCORE" read --vmlinux "$1/vmlinux" --format=raw -n $((0x400 * 64)) "$1/dump.xc" "$base" |
		od -An -v -tx8 -w64 | awk '{
			map = substr($4, 16, 1); type = substr($7, 9, 2)
			if (type == "f5" && index("13579bdf", map)) print "slab", NR - 1
			if (type == "f4") print "hugetlb", NR - 1
		}'
}

# mdf172 RUNS TYPES: what makedumpfile 1.7.2 keeps where xencore keeps RUNS
# at a level dropping user data: not the odd slabs (1.7.2's isAnon() takes
# them for anonymous pages; 1.7.3 added the slab test), but the hugetlb
# heads (it knows HUGETLB_PAGE_DTOR, not 6.10's page type).
mdf172() {
	awk 'NR == FNR { t[$2] = $1; next }
	     { for (p = $1; p < $1 + $2; p++) if (t[p] != "slab") print p, 1 }
	     END { for (p in t) if (t[p] == "hugetlb") print p, 1 }' "$2" "$1" | merge
}

# native NAME GENERATOR-ARGS...: makedumpfile, an independent classifier,
# on a native (non-PV) vmcore of the same guest pages, the same VMCOREINFO
# and page tables holding pfns: its kdump file must hold the pfns xencore's
# does at every level.  --non-mmap: makedumpfile 1.7.2's mmap path reads the
# next segment's page for a page a segment lacks the bytes of (the guest's
# undumped memmap page), classing 64 pfns from another page's struct pages.
# On the 6.12 guest, at -d 8, makedumpfile 1.7.2 differs by the pages
# types612 finds and only those (mdf172).
native() {
	name=$1
	shift
	d="$O/$name"
	if [ ! -x "$MAKEDUMPFILE" ]; then
		echo "skip: $name: makedumpfile is not installed: no cross-check"
		return
	fi
	"$MKXCCORE" "$@" --native-vmcore "$d/native.vmcore" "$d/native.xc" >/dev/null 2>&1 ||
		{ fail "$name: generator --native-vmcore"; return; }
	for level in 0 1 2 4 8 16 31; do
		rm -f "$d/mdf$level"
		if ! "$MAKEDUMPFILE" --non-mmap -c -d $level "$d/native.vmcore" "$d/mdf$level" \
			>"$d/mdf$level.log" 2>&1; then
			fail "$name: makedumpfile -d $level failed"
			tail -3 "$d/mdf$level.log"
			continue
		fi
		[ -e "$d/d$level.kdump" ] || "$XENCORE" filter -d $level --vmlinux "$d/vmlinux" \
			-o "$d/d$level.kdump" "$d/dump.xc" >/dev/null 2>&1
		"$KDUMPCHK" --pfns "$d/mdf$level" | merge >"$d/mdf$level.pfns"
		"$KDUMPCHK" --pfns "$d/d$level.kdump" | merge >"$d/x$level.pfns"
		if [ "$name" = pagetypes-612 ] && [ $((level & 8)) -ne 0 ]; then
			types612 "$d" >"$d/types612"
			ns=$(grep -c '^slab' "$d/types612") nh=$(grep -c '^hugetlb' "$d/types612")
			mdf172 "$d/x$level.pfns" "$d/types612" >"$d/x$level.mdf172"
			if [ "$ns" -gt 0 ] && [ "$nh" -gt 0 ] && [ -s "$d/mdf$level.pfns" ] &&
				cmp -s "$d/mdf$level.pfns" "$d/x$level.mdf172"; then
				pass "$name -d $level: makedumpfile 1.7.2 keeps the same pfns but drops the $ns slab pages with an odd page.mapping and keeps the $nh hugetlb head"
			else
				fail "$name -d $level: makedumpfile (<) and xencore as 1.7.2 would be (>) differ"
				diff "$d/mdf$level.pfns" "$d/x$level.mdf172" | head -10
			fi
			continue
		fi
		if [ -s "$d/mdf$level.pfns" ] && cmp -s "$d/mdf$level.pfns" "$d/x$level.pfns"; then
			pass "$name -d $level: makedumpfile keeps the same pfns ($(awk '{ n += $2 } END { print n }' "$d/x$level.pfns") pages)"
		else
			fail "$name -d $level: makedumpfile (<) and xencore (>) keep other pfns"
			diff "$d/mdf$level.pfns" "$d/x$level.pfns" | head -10
		fi
	done
}

variant pagetypes sparsemem-vmemmap 6.1.0-xencore --scenario pagetypes
variant pagetypes-sparse sparsemem-extreme 6.1.0-xencore --scenario pagetypes --memmap=sparse
variant pagetypes-612 sparsemem-vmemmap 6.12.0-xencore --scenario pagetypes --kernel 6.12

# Damaged VMCOREINFO (from a file, as makedumpfile -i takes it): the real
# text of the sparse guest with one line changed.  Each is one line on
# stderr and exit 2 at -d 31, never a guess.
d="$O/pagetypes-sparse"
at=$(sed -n 's/^vmcoreinfo: *kernel //p' "$d/info")
"$XENCORE" read --vmlinux "$d/vmlinux" --format=raw -n 4096 "$d/dump.xc" "$at" |
	tr -d '\000' >"$O/vi"
if grep -q '^SIZE(page)=64$' "$O/vi"; then
	pass "the kernel's VMCOREINFO reads back as text ($(wc -l <"$O/vi") lines)"
else
	fail "the kernel's VMCOREINFO reads back as text"
fi
# vi_bad NAME SED-SCRIPT MESSAGE-PATTERN
vi_bad() {
	sed "$2" "$O/vi" >"$O/vi-bad"
	"$XENCORE" filter -d 31 --vmcoreinfo "$O/vi-bad" -o "$O/bad.out" "$d/dump.xc" \
		>"$O/out" 2>"$O/err"
	rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <"$O/err")" = 1 ] && [ ! -e "$O/bad.out" ] &&
		grep -Eq "^xencore: $d/dump.xc: $3\$" "$O/err"; then
		pass "VMCOREINFO $1: $(cat "$O/err")"
	else
		fail "VMCOREINFO $1: exit $rc: $(cat "$O/err")"
	fi
	rm -f "$O/bad.out"
}
vi_bad "struct page too small" 's/^SIZE(page)=64$/SIZE(page)=8/' \
	'VMCOREINFO: SIZE\(page\)=8 is not a struct page size \(32 to 256\)'
vi_bad "offset outside struct page" 's/^OFFSET(page.private)=40$/OFFSET(page.private)=60/' \
	'VMCOREINFO: the offset of page.private \(60\) is outside its struct page \(64 bytes\)'
vi_bad "compound order past the first tail" 's/^OFFSET(page.compound_order)=17$/OFFSET(page.compound_order)=64/' \
	'VMCOREINFO: the offset of page.compound_order \(128\) is outside its struct page \(64 bytes\)'
vi_bad "flag bit past the word" 's/^NUMBER(PG_lru)=4$/NUMBER(PG_lru)=64/' \
	'VMCOREINFO: NUMBER\(PG_lru\)=64 is not a bit of page.flags'
vi_bad "negative flag bit" 's/^NUMBER(PG_private)=13$/NUMBER(PG_private)=-1/' \
	'VMCOREINFO: NUMBER\(PG_private\)=-1 is not a bit of page.flags'
vi_bad "section size" 's/^NUMBER(SECTION_SIZE_BITS)=24$/NUMBER(SECTION_SIZE_BITS)=12/' \
	'VMCOREINFO: SECTION_SIZE_BITS 12 and MAX_PHYSMEM_BITS 46 are not a sparse memory layout'
vi_bad "mem_section size" 's/^SIZE(mem_section)=16$/SIZE(mem_section)=5000/' \
	'VMCOREINFO: SIZE\(mem_section\)=5000 with section_mem_map at 0 is not a struct mem_section'
vi_bad "page size" 's/^PAGESIZE=4096$/PAGESIZE=65536/' 'VMCOREINFO: PAGESIZE=65536, not 4096'
vi_bad "release" 's/^OSRELEASE=.*/OSRELEASE=unknown/' 'VMCOREINFO: OSRELEASE is not a kernel release'
vi_bad "symbol not hex" 's/^SYMBOL(mem_section)=.*/SYMBOL(mem_section)=zzz/' \
	'VMCOREINFO: SYMBOL\(mem_section\) is not a number'
vi_bad "no memory model" '/^SYMBOL(mem_section)=/d' \
	'VMCOREINFO names no memory model: no SYMBOL\(mem_section\), SYMBOL\(mem_map\) or vmemmap_base'
vi_bad "buddy value not a page type" \
	's/^NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=.*/NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=5/' \
	'VMCOREINFO: NUMBER\(PAGE_BUDDY_MAPCOUNT_VALUE\)=5 is not a page type \(a 32-bit value at most -128\)'
vi_bad "slab value past 32 bits" \
	's/^NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)=.*/&\nNUMBER(PAGE_SLAB_MAPCOUNT_VALUE)=4294967296/' \
	'VMCOREINFO: NUMBER\(PAGE_SLAB_MAPCOUNT_VALUE\)=4294967296 is not a page type \(a 32-bit value at most -128\)'
vi_bad "no buddy value" '/^NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=/d' \
	'VMCOREINFO lacks what dump level 31 needs: NUMBER\(PAGE_BUDDY_MAPCOUNT_VALUE\)'
vi_bad "number overflow" 's/^SIZE(page)=64$/SIZE(page)=99999999999999999999/' \
	'VMCOREINFO: SIZE\(page\) is not a number'
# A 6.12 kernel's slabs are a page type only: without _mapcount's offset
# -d 8 cannot tell them from user pages and refuses; -d 31 names the
# field once (free pages need it too).
d612="$O/pagetypes-612"
at=$(sed -n 's/^vmcoreinfo: *kernel //p' "$d612/info")
"$XENCORE" read --vmlinux "$d612/vmlinux" --format=raw -n 4096 "$d612/dump.xc" "$at" |
	tr -d '\000' | sed '/^OFFSET(page._mapcount)=/d' >"$O/vi612-bad"
for level in 8 31; do
	"$XENCORE" filter -d $level --vmcoreinfo "$O/vi612-bad" -o "$O/bad.out" "$d612/dump.xc" \
		>/dev/null 2>"$O/err"
	rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <"$O/err")" = 1 ] && [ ! -e "$O/bad.out" ] &&
		grep -q "^xencore: $d612/dump.xc: VMCOREINFO lacks what dump level $level needs: OFFSET(page._mapcount)\$" \
			"$O/err"; then
		pass "6.12 VMCOREINFO without _mapcount at -d $level: $(cat "$O/err")"
	else
		fail "6.12 VMCOREINFO without _mapcount at -d $level: exit $rc: $(cat "$O/err")"
	fi
	rm -f "$O/bad.out"
done
# A page type as 6.10 and 6.11 write them, a cleared bit of _mapcount:
# NUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)=-513 (~0x200, 6.1's PG_table) makes
# the 64 page-table pages 0x140-0x17f (_mapcount -513) hugetlb, so -d 8
# drops them as well as the user pages; -d 4 is unchanged.
sed 's/^NUMBER(PAGE_OFFLINE_MAPCOUNT_VALUE)=.*/&\nNUMBER(PAGE_HUGETLB_MAPCOUNT_VALUE)=-513/' \
	"$O/vi" >"$O/vi-610"
for level in 4 8; do
	"$XENCORE" filter -d $level --output-format=xc_core --vmcoreinfo "$O/vi-610" \
		-o "$O/610-$level.xc" "$d/dump.xc" >/dev/null 2>&1
	held "$O/610-$level.xc" >"$O/610-$level.have"
	if [ $level = 4 ]; then
		cp "$d/d4.xc_core.have" "$O/610-$level.want"
	else
		awk '{ for (p = $1; p < $1 + $2; p++) if (p < 320 || p >= 384) print p, 1 }' \
			"$d/d8.xc_core.have" | merge >"$O/610-$level.want"
	fi
	if cmp -s "$O/610-$level.want" "$O/610-$level.have"; then
		pass "a 6.10-style hugetlb page type (a cleared _mapcount bit) at -d $level: $(awk '{ n += $2 } END { print n }' "$O/610-$level.have") pages kept"
	else
		fail "a 6.10-style hugetlb page type at -d $level (want < > have)"
		diff "$O/610-$level.want" "$O/610-$level.have" | head -5
	fi
done
# The kernel's vmcoreinfo_data and vmcoreinfo_size damaged in the dump
# itself (the 8-byte pointer to the text is unique in the file; the size
# follows it in .bss): one line, exit 2.
at=$(grep -obUaP '\x00\x10\xf2\x03\x80\x88\xff\xff' "$d/dump.xc" | head -1 | cut -d: -f1)
# kvar_bad NAME OFFSET-FROM-POINTER HEX-BYTES MESSAGE-PATTERN
kvar_bad() {
	cp "$d/dump.xc" "$O/kvar.xc"
	printf "$3" | dd of="$O/kvar.xc" bs=1 seek=$((at + $2)) conv=notrunc 2>/dev/null
	"$XENCORE" filter -d 31 --vmlinux "$d/vmlinux" -o "$O/bad.out" "$O/kvar.xc" >/dev/null 2>"$O/err"
	rc=$?
	if [ $rc = 2 ] && [ "$(wc -l <"$O/err")" = 1 ] && [ ! -e "$O/bad.out" ] &&
		grep -Eq "^xencore: $O/kvar.xc: $4\$" "$O/err"; then
		pass "kernel variables: $1: $(cat "$O/err")"
	else
		fail "kernel variables: $1: exit $rc: $(cat "$O/err")"
	fi
	rm -f "$O/bad.out"
}
if [ -n "$at" ]; then
	kvar_bad "vmcoreinfo_data NULL" 0 '\0\0\0\0\0\0\0\0' \
		'vmcoreinfo_data is NULL: the kernel never filled in its VMCOREINFO'
	kvar_bad "vmcoreinfo_data unmapped" 0 '\0\0\0\0\0\311\377\377' \
		'reading VMCOREINFO at 0xffffc90000000000: .*'
	kvar_bad "vmcoreinfo_size 0" 8 '\0\0' 'vmcoreinfo_size is 0: not a VMCOREINFO size \(1 to 4096\)'
	kvar_bad "vmcoreinfo_size 5000" 8 '\210\023' \
		'vmcoreinfo_size is 5000: not a VMCOREINFO size \(1 to 4096\)'
else
	fail "kernel variables: vmcoreinfo_data's pointer not found in the dump"
fi
# --vmcoreinfo files that cannot be one.
: >"$O/vi-empty"
head -c 2000000 /dev/zero | tr '\0' 'A' >"$O/vi-huge"
for f in vi-empty vi-huge; do
	"$XENCORE" filter -d 31 --vmcoreinfo "$O/$f" -o "$O/bad.out" "$d/dump.xc" >/dev/null 2>"$O/err"
	rc=$?
	if [ $rc = 2 ] && [ ! -e "$O/bad.out" ] &&
		grep -q "^xencore: $O/$f: not a VMCOREINFO file (a regular file of 1 to 1048576 bytes)\$" "$O/err"; then
		pass "--vmcoreinfo $f: $(cat "$O/err")"
	else
		fail "--vmcoreinfo $f: exit $rc: $(cat "$O/err")"
	fi
done
# A VMCOREINFO of another build of the kernel: its _stext and KERNELOFFSET
# disagree with the symbols: warnings (the classes still come from it).
sed 's/^SYMBOL(_stext)=.*/SYMBOL(_stext)=ffffffff82000000/; s/^KERNELOFFSET=0$/KERNELOFFSET=1000000/' \
	"$O/vi" >"$O/vi-other"
"$XENCORE" filter -d 31 --vmlinux "$d/vmlinux" --vmcoreinfo "$O/vi-other" -o "$O/other.kdump" \
	"$d/dump.xc" >/dev/null 2>"$O/err"
rc=$?
if [ $rc = 0 ] &&
	grep -q "warning: VMCOREINFO says the kernel was relocated by 0x1000000 (KERNELOFFSET)" "$O/err" &&
	grep -q "warning: VMCOREINFO's _stext is 0xffffffff82000000, the symbols' 0xffffffff81000000: they are not this kernel's" "$O/err"; then
	pass "VMCOREINFO of another kernel build: warnings for _stext and KERNELOFFSET"
else
	fail "VMCOREINFO of another kernel build: exit $rc: $(cat "$O/err")"
fi
# Values that are no hex number (a sign, a space): said so, not wrapped
# round into an offset or an address.
for v in -1 " 1000000" +1000000 0x1000000; do
	sed "s/^KERNELOFFSET=0\$/KERNELOFFSET=$v/; s/^SYMBOL(_stext)=.*/SYMBOL(_stext)=-1/" "$O/vi" >"$O/vi-sign"
	"$XENCORE" filter -d 31 --vmlinux "$d/vmlinux" --vmcoreinfo "$O/vi-sign" -o "$O/sign.kdump" \
		"$d/dump.xc" >/dev/null 2>"$O/err"
	rc=$?
	rm -f "$O/sign.kdump"
	if [ $rc = 0 ] &&
		grep -q "warning: VMCOREINFO's KERNELOFFSET is not a hex number" "$O/err" &&
		! grep -q "relocated by\|_stext is" "$O/err"; then
		pass "KERNELOFFSET='$v', SYMBOL(_stext)=-1: not a hex number, no offset made of it"
	else
		fail "KERNELOFFSET='$v': exit $rc: $(cat "$O/err")"
	fi
done
# mem_section somewhere unmapped: no struct page is readable; every page
# is kept, and a warning says how many.
sed 's/^SYMBOL(mem_section)=.*/SYMBOL(mem_section)=ffffc90000000000/' "$O/vi" >"$O/vi-bad"
"$XENCORE" filter -d 31 --vmcoreinfo "$O/vi-bad" --json -o "$O/unmapped.kdump" "$d/dump.xc" \
	>"$O/out" 2>"$O/err"
rc=$?
n=$(json_field pages_read "$O/out")
if [ $rc = 0 ] && [ "$(json_field pages_no_memmap "$O/out")" = "$n" ] &&
	[ "$(json_field pages_excluded "$O/out")" = 0 ] &&
	grep -q "warning: $n pages have no readable struct page" "$O/err"; then
	pass "mem_section unmapped: all $n pages kept, with a warning"
else
	fail "mem_section unmapped: exit $rc: $(cat "$O/err") $(cat "$O/out")"
fi
# At -d 1 a kernel whose VMCOREINFO cannot be used is a warning, not an
# error: only poisoned and offline pages depend on it.
"$XENCORE" filter -d 1 --vmcoreinfo "$O/vi-bad" -o "$O/d1.kdump" "$d/dump.xc" >/dev/null 2>"$O/err"
rc=$?
sed 's/^SIZE(page)=64$/SIZE(page)=8/' "$O/vi" >"$O/vi-bad"
"$XENCORE" filter -d 1 --vmcoreinfo "$O/vi-bad" -o "$O/d1.kdump" "$d/dump.xc" >/dev/null 2>"$O/err"
if [ $? = 0 ] && [ $rc = 0 ] &&
	grep -q "warning: the guest's page types are not read (VMCOREINFO: SIZE(page)=8 is not a struct page size (32 to 256)); poisoned and offline pages are kept" "$O/err"; then
	pass "-d 1 with an unusable VMCOREINFO: a warning"
else
	fail "-d 1 with an unusable VMCOREINFO: $(cat "$O/err")"
fi
# Two blocks of the layout (--max-pfn, as bench/pagetypes uses it at 4 GiB):
# the memmap's second block (more sections, another vmemmap table).
d="$O/pagetypes-2"
mkdir -p "$d"
if "$MKXCCORE" --scenario pagetypes --max-pfn 0x8000 --vmlinux "$d/vmlinux" \
	--expect-types "$d/types" "$d/dump.xc" >/dev/null 2>&1 &&
	"$XENCORE" filter -d 31 --output-format=xc_core --vmlinux "$d/vmlinux" \
		-o "$d/out.xc" "$d/dump.xc" >/dev/null 2>&1; then
	expected "$d/types" 31 xc_core >"$d/want"
	held "$d/out.xc" >"$d/have"
	if cmp -s "$d/want" "$d/have"; then
		pass "pagetypes --max-pfn 0x8000 -d 31: exactly the expected pfns kept ($(awk '{ n += $2 } END { print n }' "$d/have") pages)"
	else
		fail "pagetypes --max-pfn 0x8000 -d 31: kept pfns differ"
	fi
else
	fail "pagetypes --max-pfn 0x8000: generator or filter failed"
fi
if "$MKXCCORE" --scenario pagetypes-pae "$T/probe.xc" >/dev/null 2>&1; then
	variant pagetypes-pae sparsemem 6.1.0-xencore-686-pae --scenario pagetypes-pae
fi

finish
