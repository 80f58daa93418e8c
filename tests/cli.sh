#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# cli.sh: --help, --version, usage errors, and the man page covering every
# option that --help lists.
. "${srcdir:-.}/tests/common.sh"

MAN="$srcdir/man/xencore.1"

check_rc() {	# NAME WANT CMD...
	name=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then pass "$name: exit $rc"; else fail "$name: exit $rc, want $want"; fi
}

check_rc "--help" 0 "$XENCORE" --help
grep -q '^Usage: xencore COMMAND' "$T/out" && pass "--help on stdout" || fail "--help text"
check_rc "--version" 0 "$XENCORE" --version
grep -Eq '^xencore [0-9]+\.[0-9]+\.[0-9]+$' "$T/out" && pass "--version text" || fail "--version text: $(cat "$T/out")"
check_rc "no command" 2 "$XENCORE"
check_rc "unknown command" 2 "$XENCORE" frobnicate
grep -q "^xencore: unknown command 'frobnicate'" "$T/err" && pass "unknown command message" || fail "unknown command message"
check_rc "unknown option" 2 "$XENCORE" info --bogus "$FIXTURES/good-linear.xc"
check_rc "bad --source" 2 "$XENCORE" p2m --source=tree "$FIXTURES/good-linear.xc"
check_rc "bad --format" 2 "$XENCORE" p2m --format=csv "$FIXTURES/good-linear.xc"
check_rc "missing option value" 2 "$XENCORE" read "$FIXTURES/good-linear.xc" -n
grep -q "^xencore: read: option '-n' needs a value" "$T/err" && pass "missing value message" || fail "missing value message: $(cat "$T/err")"
check_rc "two roots" 2 "$XENCORE" read --vcpu 0 --cr3 0x1000 "$FIXTURES/good-linear.xc" 0x1000
grep -q "^xencore: --vcpu, --cr3 and --kernel-root choose the root: give one" "$T/err" &&
	pass "two roots message" || fail "two roots message: $(cat "$T/err")"
check_rc "--vmlinux and --system-map" 2 "$XENCORE" sym --vmlinux "$FIXTURES/good-linear.vmlinux" \
	--system-map "$FIXTURES/good-linear.System.map" "$FIXTURES/good-linear.xc" linux_banner
grep -q "^xencore: give --vmlinux or --system-map, not both" "$T/err" &&
	pass "two symbol files message" || fail "two symbol files message: $(cat "$T/err")"
check_rc "check --help" 0 "$XENCORE" check --help
check_rc "read --help" 0 "$XENCORE" read --help
check_rc "two dumps" 2 "$XENCORE" info "$FIXTURES/good-linear.xc" "$FIXTURES/good-odd.xc"
check_rc "info --help" 0 "$XENCORE" info --help
check_rc "p2m --help" 0 "$XENCORE" p2m --help

# Every long option and every option value --help names is in the man page.
for cmd in "" info p2m read vtop sym check filter; do
	"$XENCORE" $cmd --help
done >"$T/help"
for opt in $(grep -Eo -- '--[a-z][a-z-]*' "$T/help" | sort -u); do
	mopt=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
	if grep -q -- "$mopt" "$MAN" || grep -q -- "$opt" "$MAN"; then
		pass "man page has $opt"
	else
		fail "man page lacks $opt"
	fi
done
for word in auto linear dump pairs runs json "EXIT STATUS"; do
	grep -q "$word" "$MAN" && pass "man page has $word" || fail "man page lacks $word"
done
finish
