#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# sources.sh: every p2m source against the generator's truth on guests made
# for it (a stale tree that disagrees with the list in 3 known pfns; identity
# and foreign entries), and what `check` finds there.
. "${srcdir:-.}/tests/common.sh"

[ -x "$MKXCCORE" ] || { echo "ERROR: $MKXCCORE not built"; exit 99; }
"$MKXCCORE" --scenario good-odd --disagree --expect "$T/d.list" --expect-tree "$T/d.tree" \
	"$T/d.xc" >/dev/null || { echo "ERROR: generator failed"; exit 99; }
"$MKXCCORE" --scenario good-linear --special-entries --expect "$T/s.list" \
	"$T/s.xc" >/dev/null || { echo "ERROR: generator failed"; exit 99; }

same() {	# NAME EXPECTED-FILE XENCORE-ARGS...
	name=$1 want=$2
	shift 2
	if "$XENCORE" "$@" >"$T/out" 2>/dev/null && cmp -s "$T/out" "$want"; then
		pass "$name"
	else
		fail "$name"
		diff "$want" "$T/out" | head -10
	fi
}
same "stale tree: the list as the generator built it" "$T/d.list" p2m --source=linear --format=runs "$T/d.xc"
same "stale tree: the tree as the generator built it" "$T/d.tree" p2m --source=tree --format=runs "$T/d.xc"
same "identity and foreign entries decoded" "$T/s.list" p2m --format=runs "$T/s.xc"

# check finds exactly the three pfns where the tree is stale, with values.
"$XENCORE" check "$T/d.xc" >"$T/out" 2>/dev/null
rc=$?
grep '^disagree 0x' "$T/out" >"$T/got"
# The truth: pfns where the list and the tree differ, from the two files.
perl -e '
	sub load { my %m; open my $f, "<", $_[0] or die;
		while (<$f>) { my ($p, $w, @r) = split; $p = hex $p;
			my $n = $r[-1]; my $v = $w =~ /^0x/ ? hex $w : undef;
			for my $i (0 .. $n - 1) { $m{$p + $i} = defined $v ? sprintf("0x%x", $v + $i) : $w } }
		return \%m }
	my ($l, $t) = (load($ARGV[0]), load($ARGV[1]));
	for my $p (sort { $a <=> $b } keys %$l) {
		printf "0x%x %s %s\n", $p, $l->{$p}, $t->{$p} if $l->{$p} ne $t->{$p} }' \
	"$T/d.list" "$T/d.tree" >"$T/want"
if [ $rc -eq 1 ] && [ "$(wc -l <"$T/want")" -eq 3 ] &&
   [ "$(awk '{ sub(":", "", $2); print $2, $4, $6 }' "$T/got")" = "$(cat "$T/want")" ]; then
	pass "check: exit 1, the 3 stale pfns with each source's value"
else
	fail "check on the stale tree: exit $rc"
	cat "$T/out" "$T/want"
fi
grep -q '^  generation:         odd' "$T/out" && pass "check: odd generation reported" ||
	fail "check: odd generation not reported"
"$XENCORE" check --json "$T/d.xc" 2>/dev/null | grep -q '"disagree": 3' &&
	pass "check --json: 3 disagreements" || fail "check --json totals"
if "$XENCORE" check "$T/s.xc" >"$T/out" 2>&1; then
	pass "check: identity and foreign pfns are not findings"
else
	fail "check on special entries: $(cat "$T/out")"
fi
"$XENCORE" p2m --format=pairs "$T/s.xc" >"$T/pairs" 2>/dev/null
if grep -q '^0xa0 identity$' "$T/pairs" && grep -q '^0x41264 foreign 0x1e80000$' "$T/pairs"; then
	pass "pairs show identity and foreign 0xMFN"
else
	fail "pairs for identity/foreign entries"
fi
finish
