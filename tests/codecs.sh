#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# codecs.sh: `xencore filter --compress=zlib|lzo|snappy|zstd` and
# --compress-level, on good-linear.xc and the generator's pagetypes guest:
# --verify, the header's status names the codec, xencore reads the pfns
# back as the input has them, libkdumpfile reads every page bit for bit,
# makedumpfile -d 31 refilters the native export with each codec it was
# built with (makedumpfile -v) and keeps what it keeps from an uncompressed
# one; then bad usage.
. "${srcdir:-.}/tests/common.sh"

KDUMPCHK="$top_builddir/tests/test-kdumpfile"
MAKEDUMPFILE=$(command -v makedumpfile || echo /usr/sbin/makedumpfile)
O="$T/codecs"
mkdir -p "$O"

# status FILE: the disk_dump_header's status (64-bit layout, offset 424).
status() {
	od -An -tu4 -j 424 -N 4 "$1" | tr -d ' '
}

# sample DUMP: the first and last pfn of each dumped run.
sample() {
	"$XENCORE" p2m --format=runs --source=dump "$1" 2>/dev/null | awk '$2 ~ /^0x/ { print $1, $3 }' |
		while read -r first count; do
			printf '%s 0x%x\n' "$first" $((first + count - 1))
		done
}

# phys DUMP PFN...: xencore's bytes of those pfns, as hex.
phys() {
	dump=$1
	shift
	for pfn in "$@"; do
		"$XENCORE" read --phys --format=raw -n 4096 "$dump" "$(printf '0x%x' $((pfn * 4096)))" 2>&1 |
			od -An -v -tx1 | md5sum
	done
}

mdf_has() {	# CODEC: makedumpfile -v says it was built with it
	[ "$1" = zlib ] || "$MAKEDUMPFILE" -v 2>/dev/null | grep -q "^$1[[:space:]]*enabled"
}

"$MKXCCORE" --scenario pagetypes --whole-memmap --vmlinux "$O/vmlinux" "$O/pt.xc" >"$O/gen" 2>&1 ||
	fail "generator: $(cat "$O/gen")"

for src in good-linear pagetypes; do
	case $src in
	good-linear) in="$FIXTURES/good-linear.xc" vm="" ;;
	pagetypes) in="$O/pt.xc" vm="--vmlinux $O/vmlinux" ;;
	esac
	pfns=$(sample "$in")
	phys "$in" $pfns >"$O/$src.want"
	# The uncompressed native export, which each codec's must equal.
	"$XENCORE" filter --compress=none --no-progress $vm -o "$O/$src.none" "$in" >/dev/null 2>&1 ||
		fail "$src: filter --compress=none"
	phys "$O/$src.none" $pfns >"$O/$src.none.phys"
	if [ $src = pagetypes ] && [ -x "$MAKEDUMPFILE" ]; then
		"$MAKEDUMPFILE" -d 31 "$O/$src.none" "$O/$src.none.m31" >/dev/null 2>&1 &&
			"$KDUMPCHK" --pfns "$O/$src.none.m31" >"$O/$src.m31.want" ||
			fail "$src: makedumpfile -d 31 of the uncompressed export"
	fi
	size_none=$(wc -c <"$O/$src.none")
	for spec in zlib zlib:9 lzo snappy zstd zstd:3 zstd:19; do
		codec=${spec%:*} level=${spec#*:}
		what="$src $spec"
		if [ "$level" = "$spec" ]; then level= largs=; else largs="--compress-level $level"; fi
		case $codec in
		zlib) flag=1 ;;
		lzo) flag=2 ;;
		snappy) flag=4 ;;
		zstd) flag=32 ;;
		esac
		# The guest's bytes as dumped: every page equal to the input's.
		r="$O/$src.$codec$level.raw"
		if ! "$XENCORE" filter --raw-pagetables --compress=$codec $largs --verify --json --no-progress \
			-o "$r" "$in" >"$O/json" 2>"$O/err"; then
			fail "$what: filter --raw-pagetables: $(cat "$O/err")"
			continue
		fi
		kept=$(($(json_value pages_kept "$O/json") + $(json_value pages_zero "$O/json")))
		want_level=${level:-1}
		case $codec in lzo | snappy) want_level= ;; esac
		if [ "$(json_value compression "$O/json")" = $codec ] &&
		   [ "$(json_value compression_level "$O/json")" = "$want_level" ] &&
		   [ "$(json_value verified "$O/json")" = "$kept" ] && [ "$(status "$r")" = $flag ]; then
			pass "$what: --verify $kept pages, json compression $codec${want_level:+ level $want_level}, status $flag"
		else
			fail "$what: json $(tr -d '\n' <"$O/json"), status $(status "$r")"
		fi
		if "$KDUMPCHK" --filtered "$in" "$r" "$kept" >"$O/kd" 2>&1; then
			pass "$what: libkdumpfile: $(cat "$O/kd")"
		else
			fail "$what: libkdumpfile: $(cat "$O/kd")"
		fi
		phys "$r" $pfns >"$O/have"
		same "$what: xencore read --phys of $(echo $pfns | wc -w) pfns equals the input's" "$O/$src.want" "$O/have"

		# The native export: the same pages as the uncompressed one, smaller.
		n="$O/$src.$codec$level"
		if ! "$XENCORE" filter --compress=$codec $largs --verify --no-progress $vm \
			-o "$n" "$in" >/dev/null 2>"$O/err"; then
			fail "$what: filter: $(cat "$O/err")"
			continue
		fi
		phys "$n" $pfns >"$O/have"
		same "$what: native export reads as the uncompressed one" "$O/$src.none.phys" "$O/have"
		[ "$(wc -c <"$n")" -lt "$size_none" ] && pass "$what: $(wc -c <"$n") bytes, uncompressed $size_none" ||
			fail "$what: $(wc -c <"$n") bytes, uncompressed $size_none"
		[ $src = pagetypes ] && [ -x "$MAKEDUMPFILE" ] || continue
		if ! mdf_has $codec; then
			echo "makedumpfile was built without $codec: its check is skipped"
			continue
		fi
		rm -f "$O/m31"
		if "$MAKEDUMPFILE" -d 31 "$n" "$O/m31" >"$O/mdf" 2>&1; then
			"$KDUMPCHK" --pfns "$O/m31" >"$O/pfns"
			same "$what: makedumpfile -d 31 reads it, keeps what it keeps of the uncompressed export" \
				"$O/$src.m31.want" "$O/pfns"
		else
			fail "$what: makedumpfile -d 31: $(tail -3 "$O/mdf")"
		fi
	done
done

bad() {
	filter_refused "$O" "$@"
}
in="$FIXTURES/good-linear.xc"
bad "unknown codec" "unknown compression 'lz4'" --compress=lz4 -o "$O/bad.out" "$in"
bad "zlib level 0" "zlib compression level '0' is not 1 to 9" --compress-level 0 -o "$O/bad.out" "$in"
bad "zlib level 10" "zlib compression level '10' is not 1 to 9" --compress-level 10 -o "$O/bad.out" "$in"
bad "zstd level 20" "zstd compression level '20' is not 1 to 19" --compress=zstd --compress-level 20 -o "$O/bad.out" "$in"
bad "zstd level x" "zstd compression level 'x' is not 1 to 19" --compress=zstd --compress-level x -o "$O/bad.out" "$in"
bad "lzo level" "lzo compression has no levels" --compress=lzo --compress-level 1 -o "$O/bad.out" "$in"
bad "snappy level" "snappy compression has no levels" --compress-level 1 --compress=snappy -o "$O/bad.out" "$in"
bad "none level" "nothing is compressed" --compress=none --compress-level 1 -o "$O/bad.out" "$in"
bad "xc_core codec" "--compress=zstd: kdump output only" --output-format=xc_core --compress=zstd -o "$O/bad.out" "$in"
bad "elf level" "--compress-level: kdump output only" --output-format=elf --compress-level 3 -o "$O/bad.out" "$in"
# Pages that look random are stored raw without a try: the generator's
# mixed contents (20% PRNG pages, 45% text and objects, 35% zero; 256 MiB,
# the smallest it makes).  Each codec must leave the PRNG pages raw, untried,
# and keep every page bit for bit; zlib must still shrink the rest.
"$MKXCCORE" --scenario big --max-pfn 0x10000 --content mixed "$O/mixed.xc" >"$O/gen" 2>&1 ||
	fail "generator (mixed): $(cat "$O/gen")"
for codec in zlib zstd; do
	r="$O/mixed.$codec"
	if ! "$XENCORE" filter -d 1 --raw-pagetables --compress=$codec --json --no-progress \
		-o "$r" "$O/mixed.xc" >"$O/json" 2>"$O/err"; then
		fail "mixed $codec: $(cat "$O/err")"
		continue
	fi
	read_=$(json_value pages_read "$O/json") kept=$(json_value pages_kept "$O/json")
	raw=$(json_value pages_stored_raw "$O/json") untried=$(json_value pages_untried "$O/json")
	# 20% of 65536 pfns: 13107 expected, the generator's hash gives 13195.
	if [ "$read_" = 65536 ] && [ "$untried" -gt 12500 ] && [ "$untried" -lt 14000 ] &&
	   [ "$untried" -le "$raw" ] && [ "$raw" -lt $((kept / 2)) ]; then
		pass "mixed $codec: $untried of $kept kept pages untried, $raw stored raw"
	else
		fail "mixed $codec: read $read_ kept $kept raw $raw untried $untried"
	fi
	listed=$((kept + $(json_value pages_zero "$O/json")))
	if "$KDUMPCHK" --filtered "$O/mixed.xc" "$r" "$listed" >"$O/kd" 2>&1; then
		pass "mixed $codec: libkdumpfile: $(cat "$O/kd")"
	else
		fail "mixed $codec: libkdumpfile: $(cat "$O/kd")"
	fi
	rm -f "$r"
done
rm -f "$O/mixed.xc"

finish
