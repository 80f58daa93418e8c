#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# damaged.sh: every checked-in fixture cut short at each section boundary
# (and a byte either side) and at 200 pseudo-random offsets: every page the
# cut file holds whole reads back byte for byte, no other page reads, a cut
# with a whole page is never refused (tests/truncate-check.c).  Then the
# commands on some of those cuts: info, p2m, check and filter exit 0, 1 or
# 2 with clean stderr, filter's output of a damaged dump exits 1 and says
# it is damaged.  Then a guest whose max_pfn leaves dumped pages out: check
# counts them (dropped) and never says consistent.  CI runs this under ASan
# and UBSan too.
. "${srcdir:-.}/tests/common.sh"

CHECK="$top_builddir/tests/truncate-check"
[ -x "$CHECK" ] || { echo "ERROR: $CHECK not built"; exit 99; }
seed=1
for f in $GOOD_FIXTURES; do
	seed=$((seed + 1))
	if msg=$("$CHECK" "$FIXTURES/$f.xc" 200 $seed "$T" 2>&1); then
		pass "$(echo "$msg" | tail -1)"
	else
		fail "$f"
		echo "$msg" | head -10
	fi
done

# The commands on cuts of good-linear (default layout) and good-xenorder
# (pages before the table and names): exit status and stderr only.
for f in good-linear good-xenorder good-hvm-shinfo good-legacy; do
	size=$(wc -c <"$FIXTURES/$f.xc")
	for frac in 3 17 40 71 93 99; do
		len=$((size * frac / 100))
		head -c $len "$FIXTURES/$f.xc" >"$T/cut.xc"
		for cmd in info "p2m --format=runs" check "filter -d 1 -o $T/cut.out"; do
			rm -f "$T/cut.out"
			# shellcheck disable=SC2086 # cmd is words
			"$XENCORE" $cmd "$T/cut.xc" >"$T/out" 2>"$T/err"
			rc=$?
			if [ $rc -gt 2 ] || grep -qv "^xencore: " "$T/err"; then
				fail "$f cut at $len: $cmd: exit $rc"
				head -3 "$T/err"
			elif [ "${cmd%% *}" = filter ] && [ $rc = 1 ] &&
			     ! "$XENCORE" info "$T/cut.out" 2>/dev/null | grep -q '^damaged: *yes$'; then
				fail "$f cut at $len: filter's output does not say it is damaged"
			else
				checks=$((checks + 1))
			fi
			if [ "${cmd%% *}" = filter ] && [ $rc = 2 ] && [ -e "$T/cut.out" ]; then
				fail "$f cut at $len: a refused filter left $T/cut.out"
			fi
		done
	done
	pass "$f: info, p2m, check and filter on 6 cuts"
done
# A cut that leaves pages: filter writes them, exits 1, and its output says what was lost.
size=$(wc -c <"$FIXTURES/good-linear.xc")
head -c $((size / 2)) "$FIXTURES/good-linear.xc" >"$T/half.xc"
"$XENCORE" filter -d 1 -o "$T/half.kdump" "$T/half.xc" >/dev/null 2>"$T/err"
rc=$?
pages=$("$XENCORE" info "$T/half.xc" 2>/dev/null | sed -n 's/^nr_pages: *//p')
if [ $rc = 1 ] && "$XENCORE" info "$T/half.kdump" 2>/dev/null >"$T/out" &&
   grep -q '^damaged: *yes$' "$T/out" && grep -q "^damage: *the file is cut short at $((size / 2)) bytes" "$T/out" &&
   grep -q "^nr_pages: *$pages$" "$T/out"; then
	pass "filter of half of good-linear: exit 1, $pages pages, the output says damaged"
else
	fail "filter of half of good-linear: exit $rc"
	cat "$T/err" "$T/out" | head -5
fi
"$XENCORE" check "$T/half.xc" >"$T/out" 2>/dev/null
rc=$?
missing=$(sed -n 's/^  missing: *\([0-9]*\) pfns$/\1/p' "$T/out")
total=$("$XENCORE" info "$FIXTURES/good-linear.xc" | sed -n 's/^nr_pages: *//p')
if [ $rc = 1 ] && [ "$missing" = $((total - pages)) ]; then
	pass "check of half of good-linear: exit 1, $missing pages missing ($total - $pages)"
else
	fail "check of half of good-linear: exit $rc, missing '$missing', want $((total - pages))"
fi
# max_pfn 0x1000 in arch_shared_info (testdata/README: @3088 of
# .xen_shared_info): the pages above it are dumped but no source takes them.
cp "$FIXTURES/good-linear.xc" "$T/short.xc"
off=$(($(readelf -SW "$T/short.xc" | sed -n 's/.*\.xen_shared_info *PROGBITS *[0-9a-f]* \([0-9a-f]*\).*/\1/p' | sed 's/^/0x/') + 3088))
printf '\000\020\000\000\000\000\000\000' | dd of="$T/short.xc" bs=1 seek=$off conv=notrunc 2>/dev/null
"$XENCORE" check "$T/short.xc" >"$T/out" 2>/dev/null
rc=$?
dropped=$(sed -n 's/^  dropped: *\([0-9]*\) pfns$/\1/p' "$T/out")
above=0
"$XENCORE" p2m --source=dump --format=runs "$FIXTURES/good-linear.xc" >"$T/runs"
while read -r pfn mfn n; do
	[ "$mfn" = invalid ] && continue
	end=$((pfn + n))
	[ $end -le 4096 ] && continue
	[ $((pfn)) -ge 4096 ] && above=$((above + n)) || above=$((above + end - 4096))
done <"$T/runs"
if [ $rc = 1 ] && grep -q '^result: *findings$' "$T/out" && [ "$dropped" = "$above" ] && [ "$above" -gt 0 ]; then
	pass "max_pfn 0x1000: check exits 1, $dropped dumped pages dropped by every source"
else
	fail "max_pfn 0x1000: check exit $rc, dropped '$dropped', want $above"
	head -14 "$T/out"
fi
finish
