#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# vmcoreinfo-mutate.sh: VMCOREINFO is guest data.  Take the pagetypes
# guest's own text and, for each line in turn, delete it or replace its
# value with garbage (zz), a huge number, a negative number or 8 KiB of
# digits; give each to info (with and without symbols), filter -d 31 (a
# native kdump export: memmap, pgd_list) and dmesg.  Every run must end
# with exit 0, 1 or 2 (no signal, no sanitizer abort), write nothing to
# stderr but `xencore: ` lines (no sanitizer report), at most 10 and each
# shorter than 512 bytes (a mangled value is not echoed), and leave
# nothing beside OUT.  check reads no VMCOREINFO: it runs once, on the dump.
. "${srcdir:-.}/tests/common.sh"

[ -x "$MKXCCORE" ] || { echo "ERROR: $MKXCCORE not built"; exit 99; }
"$MKXCCORE" --scenario pagetypes --vmlinux "$T/pt.vmlinux" --system-map "$T/pt.map" \
	"$T/pt.xc" >/dev/null || { echo "ERROR: generator failed"; exit 99; }
DUMP=$T/pt.xc
MAP=$T/pt.map

# The text, where info says the kernel keeps it.
addr=$("$XENCORE" info --system-map "$MAP" "$DUMP" 2>/dev/null |
	sed -n 's/^vmcoreinfo: *kernel \(0x[0-9a-f]*\)$/\1/p')
[ -n "$addr" ] || { echo "ERROR: info names no VMCOREINFO address"; exit 99; }
"$XENCORE" read --format=raw -n 4096 --system-map "$MAP" "$DUMP" "$addr" |
	tr -d '\000' >"$T/vi" || { echo "ERROR: cannot read VMCOREINFO"; exit 99; }
nlines=$(wc -l <"$T/vi")
[ "$nlines" -ge 40 ] && grep -q '^OFFSET(page.mapping)=' "$T/vi" ||
	{ echo "ERROR: VMCOREINFO of $nlines lines"; cat "$T/vi"; exit 99; }
LONG=$(head -c 8192 /dev/zero | tr '\000' 7)

# run WHAT OUTDIR ARGS...: one xencore run, judged; prints FAIL lines only.
run() {
	what=$1 outdir=$2
	shift 2
	"$XENCORE" "$@" >/dev/null 2>"$outdir/../err"
	rc=$?
	why=
	[ "$rc" -le 2 ] || why="exit $rc"
	if grep -v -q '^xencore: ' "$outdir/../err"; then
		why="${why:+$why, }stderr not xencore's"
	elif [ "$(wc -l <"$outdir/../err")" -gt 10 ] || grep -q '.\{512\}' "$outdir/../err"; then
		why="${why:+$why, }more than 10 lines or a line of 512 bytes on stderr"
	fi
	extra=$(cd "$outdir" && ls -A | grep -v '^o\.kdump$')
	[ -z "$extra" ] || why="${why:+$why, }left beside OUT: $extra"
	rm -f "$outdir/o.kdump"
	[ -z "$why" ] && return 0
	echo "FAIL: $what: $why"
	grep -v '^xencore: ' "$outdir/../err" | head -5 | sed 's/^/    /'
}

# mutant LINE MODE: the text with line LINE deleted or its value replaced.
mutant() {
	case $2 in
	delete) sed "$1d" "$T/vi" ;;
	*) awk -v n="$1" -v v="$3" 'NR == n { print substr($0, 1, index($0, "=")) v; next } { print }' \
		"$T/vi" ;;
	esac
}

# worker K N: the lines i with i % N == K, every mode; one result line each.
worker() {
	w=$T/w$1
	mkdir -p "$w/out"
	i=1
	while [ "$i" -le "$nlines" ]; do
		if [ $((i % $2)) -eq "$1" ]; then
			key=$(sed -n "${i}s/=.*//p" "$T/vi")
			for mode in delete zz huge negative long; do
				case $mode in
				zz) val=zz ;;
				huge) val=18446744073709551616 ;;
				negative) val=-1 ;;
				long) val=$LONG ;;
				*) val= ;;
				esac
				mutant "$i" "$mode" "$val" >"$w/vi"
				m="$key $mode"
				{
					run "$m: info" "$w/out" info --vmcoreinfo "$w/vi" "$DUMP"
					run "$m: info --system-map" "$w/out" info --system-map "$MAP" \
						--vmcoreinfo "$w/vi" "$DUMP"
					run "$m: filter" "$w/out" filter -d 31 --threads 1 --no-progress --compress=none \
						--system-map "$MAP" --vmcoreinfo "$w/vi" -o "$w/out/o.kdump" "$DUMP"
					run "$m: dmesg" "$w/out" dmesg --vmcoreinfo "$w/vi" "$DUMP"
				} >"$w/result"
				if [ -s "$w/result" ]; then
					cat "$w/result"
				else
					echo "ok: $m"
				fi
			done
		fi
		i=$((i + 1))
	done
}

# The text as read: every command succeeds on it.
mkdir -p "$T/base/out"
ok=true
"$XENCORE" info --vmcoreinfo "$T/vi" "$DUMP" >/dev/null 2>&1 || ok=false
"$XENCORE" filter -d 31 --threads 1 --no-progress --compress=none --system-map "$MAP" --vmcoreinfo "$T/vi" \
	-o "$T/base/out/o.kdump" "$DUMP" >/dev/null 2>&1 || ok=false
"$XENCORE" dmesg --vmcoreinfo "$T/vi" "$DUMP" >/dev/null 2>&1 || ok=false
if $ok; then pass "the unchanged text: info, filter -d 31 and dmesg succeed"; else fail "the unchanged text"; fi
"$XENCORE" check --system-map "$MAP" "$DUMP" >/dev/null 2>"$T/err"
rc=$?
if [ "$rc" -le 1 ] && ! grep -v -q '^xencore: ' "$T/err"; then
	pass "check --system-map: exit $rc"
else
	fail "check --system-map: exit $rc"
	head -5 "$T/err"
fi

jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1
[ "$jobs" -le 8 ] || jobs=8
k=0
while [ "$k" -lt "$jobs" ]; do
	worker "$k" "$jobs" >"$T/results.$k" &
	k=$((k + 1))
done
wait
cat "$T"/results.* >"$T/results"
mutants=$(grep -c '^ok: ' "$T/results")
grep -v '^ok: ' "$T/results" | head -60
bad=$(grep -c '^FAIL: ' "$T/results")
expected=$((nlines * 5))
if [ "$bad" -eq 0 ] && [ "$mutants" -eq "$expected" ]; then
	pass "$expected mutants of $nlines lines: every run exits 0-2, a short stderr of xencore lines, nothing left beside OUT"
else
	fail "$bad failed runs; $mutants of $expected mutants clean"
fi
finish
