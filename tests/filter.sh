#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
# filter.sh: `xencore filter` round trips on every fixture kind (reopen, same
# info, p2m, check and reads), libkdumpfile cross-reads of both outputs,
# zero-page accounting, a full file-size limit, SIGINT, refusing to write
# over the input, and bad arguments.
. "${srcdir:-.}/tests/common.sh"

KDUMPCHK="$top_builddir/tests/test-kdumpfile"
O="$T/filtered"
mkdir -p "$O"

# json_field NAME FILE: a number from filter --json output.
json_field() {
	sed -n "s/.*\"$1\": \([0-9.]*\).*/\1/p" "$2"
}

# The info lines that describe the guest, which filtering must not change.
guest_info() {
	"$XENCORE" info $2 "$1" | grep -E '^(guest_type|auto_translated|guest_bits|xen_version|nr_vcpus|vcpus|nr_vcpu_contexts|page_size|has_shared_info|max_pfn|frame_list_list|p2m_cr3|p2m_root_mfn|p2m_vaddr|p2m_generation|p2m_update_in_progress|vcpu0_cr3|vcpu0_cr3_mfn):'
}

# dump_pages DUMP: its pages that have a pfn (an HVM dump's table may end in
# records with pfn ~0 and no page; a legacy dump records no pfns at all).
dump_pages() {
	"$XENCORE" p2m --format=runs --source=dump "$1" 2>/dev/null |
		awk '$2 ~ /^0x/ { n += $3 } END { print n + 0 }' >"$T/np"
	if [ "$(cat "$T/np")" = 0 ]; then
		"$XENCORE" info "$1" | sed -n 's/^nr_pages: *//p'
	else
		cat "$T/np"
	fi
}

for f in $GOOD_FIXTURES; do
	in="$FIXTURES/$f.xc"
	p2m_args=$(fixture_p2m_args "$f")
	# A legacy dump's xc_core output has a .xen_p2m and no shared_info, so
	# its auto p2m is that table: compare the kernel's list on both sides.
	case $f in
	good-legacy*) cmp_source="--source=kernel" ;;
	*) cmp_source="" ;;
	esac
	"$XENCORE" p2m --format=runs $cmp_source $p2m_args "$in" >"$T/p2m.in" 2>/dev/null
	"$XENCORE" check $p2m_args "$in" >/dev/null 2>&1
	check_in=$?
	guest_info "$in" "$p2m_args" >"$T/info.in"
	for fmt in kdump elf xc_core; do
		for level in 0 1; do
			out="$O/$f.$fmt.$level"
			if ! "$XENCORE" filter -d $level --output-format=$fmt --verify --json \
				$p2m_args -o "$out" "$in" >"$T/json" 2>"$T/err"; then
				fail "$f $fmt -d $level: filter failed: $(cat "$T/err")"
				continue
			fi
			read=$(json_field pages_read "$T/json")
			kept=$(json_field pages_kept "$T/json")
			zero=$(json_field pages_zero "$T/json")
			verified=$(json_field verified "$T/json")
			nr_pages=$(dump_pages "$in")
			# In a kdump file zero pages stay readable (one shared page),
			# in an ELF core as the zero tail of a load.
			listed=$kept
			[ $fmt = xc_core ] || listed=$((kept + zero))
			# Every page is accounted for, and --verify compared every
			# page the output holds.
			if [ "$read" = "$nr_pages" ] && [ $((kept + zero)) = "$read" ] &&
			   [ "$verified" = "$listed" ] && { [ $level = 1 ] || [ "$zero" = 0 ]; }; then
				pass "$f $fmt -d $level: $read pages, $kept kept, $zero zero, $verified verified"
			else
				fail "$f $fmt -d $level: read $read (dump has $nr_pages) kept $kept zero $zero verified $verified"
			fi
			# Reopened, the guest is the same guest.
			if guest_info "$out" "$p2m_args" | cmp -s - "$T/info.in"; then
				pass "$f $fmt -d $level: info"
			else
				fail "$f $fmt -d $level: info differs"
				guest_info "$out" "$p2m_args" | diff "$T/info.in" - | head -5
			fi
			# The same p2m (a dropped zero page leaves .xen_p2m: not for
			# xc_core at -d 1, whose table then lacks it by design).
			if [ $fmt != xc_core ] || [ $level = 0 ] || [ "$zero" = 0 ]; then
				"$XENCORE" p2m --format=runs $cmp_source $p2m_args "$out" >"$T/p2m.out" 2>/dev/null
				if cmp -s "$T/p2m.in" "$T/p2m.out"; then
					pass "$f $fmt -d $level: same p2m"
				else
					fail "$f $fmt -d $level: p2m differs"
				fi
				"$XENCORE" check $p2m_args "$out" >/dev/null 2>&1
				rc=$?
				[ $rc = $check_in ] && pass "$f $fmt -d $level: check exits $rc" ||
					fail "$f $fmt -d $level: check exits $rc, on the dump $check_in"
			fi
			# libkdumpfile reads OUT (not 32-bit PV xc_core: it crashes on those).
			case $f-$fmt in
			good-pae-xc_core | good-legacy-pae-xc_core) continue ;;
			esac
			if "$KDUMPCHK" --filtered "$in" "$out" "$listed" >"$T/kd" 2>&1; then
				pass "$f $fmt -d $level: libkdumpfile: $(cat "$T/kd")"
			else
				fail "$f $fmt -d $level: libkdumpfile: $(cat "$T/kd")"
			fi
			# What xc_core left out is exactly the zero pages counted
			# (test-kdumpfile finds them through the dump's own table,
			# which a legacy dump does not have).
			case $fmt-$f in
			xc_core-good-legacy*) ;;
			xc_core-*)
				grep -q ", $zero zero pages left out" "$T/kd" &&
					pass "$f $fmt -d $level: left out the $zero zero pages" ||
					fail "$f $fmt -d $level: zero pages: $(cat "$T/kd"), json $zero" ;;
			esac
		done
	done
done

# xg_core.c's own layout: an xc_core copy of good-linear is byte for byte the
# fixture the generator lays out exactly as Xen does (--xen-order).
"$XENCORE" filter --output-format=xc_core -o "$T/xen.xc" "$FIXTURES/good-linear.xc" >/dev/null 2>&1
cmp -s "$T/xen.xc" "$FIXTURES/good-xenorder.xc" && pass "xc_core output = Xen's layout (good-xenorder.xc)" ||
	fail "xc_core output differs from good-xenorder.xc: $(cmp "$T/xen.xc" "$FIXTURES/good-xenorder.xc")"

# crash recognises both outputs before it needs a namelist (crash -d 7 prints
# what it parsed): its xendump reader and its compressed-kdump reader.
if command -v crash >/dev/null 2>&1; then
	crash -d 7 "$T/xen.xc" </dev/null >"$T/crash" 2>&1
	grep -q 'flags: .*XC_CORE_ELF' "$T/crash" && grep -q 'xch_nr_pages: 299 ' "$T/crash" &&
		pass "crash reads the xc_core output as a xendump of 299 pages" ||
		fail "crash on the xc_core output: $(grep -i -m3 'flags\|error' "$T/crash")"
	crash -d 7 "$O/good-linear.kdump.1" </dev/null >"$T/crash" 2>&1
	grep -q '^compressed kdump' "$T/crash" && grep -q 'total_valid_pages: 299$' "$T/crash" &&
		grep -q 'dump_level: 1 ' "$T/crash" &&
		pass "crash reads the kdump output: 299 valid pages, dump level 1" ||
		fail "crash on the kdump output: $(grep -i -m3 'kdump\|error' "$T/crash")"
else
	echo "crash not installed: its checks are skipped"
fi

# Symbolized reads through the filtered files equal the dump's.
for f in good-linear good-pae good-legacy; do
	in="$FIXTURES/$f.xc"
	case $f in
	good-pae) vm="$FIXTURES/good-pae.vmlinux" ;;
	*) vm="$FIXTURES/good-linear.vmlinux" ;;
	esac
	for sym in linux_banner jiffies init_uts_ns xencore_straddle; do
		"$XENCORE" read --vmlinux "$vm" --format=hex "$in" $sym >"$T/r.in" 2>&1
		for fmt in kdump xc_core; do
			"$XENCORE" read --vmlinux "$vm" --format=hex "$O/$f.$fmt.1" $sym >"$T/r.out" 2>&1
			cmp -s "$T/r.in" "$T/r.out" && pass "$f $fmt: read $sym" ||
				fail "$f $fmt: read $sym differs: $(head -2 "$T/r.out")"
		done
	done
done

# kdump files say how they were made; the saved p2m is the guest's.
"$XENCORE" info "$O/good-linear.kdump.1" >"$T/i" 2>&1
grep -q '^dump_level: *1$' "$T/i" && grep -q '^format: *kdump$' "$T/i" &&
	grep -q '^p2m_sources: *linear dump saved$' "$T/i" && pass "kdump info: format, dump_level, sources" ||
	fail "kdump info: $(cat "$T/i")"
"$XENCORE" p2m --format=runs --source=saved "$O/good-linear.kdump.1" >"$T/p.saved" 2>&1
"$XENCORE" p2m --format=runs "$FIXTURES/good-linear.xc" >"$T/p.lin" 2>&1
cmp -s "$T/p.saved" "$T/p.lin" && pass "saved p2m = the dump's linear list" || fail "saved p2m differs"
# A legacy dump's kdump file keeps the kernel's list it was named with.
"$XENCORE" p2m --format=runs "$O/good-legacy.kdump.1" >"$T/p.saved" 2>&1
"$XENCORE" p2m --format=runs --source=kernel --vmlinux "$FIXTURES/good-linear.vmlinux" \
	"$FIXTURES/good-legacy.xc" >"$T/p.kern" 2>&1
cmp -s "$T/p.saved" "$T/p.kern" && pass "legacy kdump: auto p2m is the saved kernel list" ||
	fail "legacy kdump: saved p2m differs"

# A kdump file filtered again: to xc_core it is Xen's layout again, to kdump
# the same file (its time is its header's, the first dump's mtime, not the
# kdump file's: a copy made later filters the same).
"$XENCORE" filter --output-format=xc_core -o "$T/again.xc" "$O/good-linear.kdump.0" >/dev/null 2>&1
cmp -s "$T/again.xc" "$FIXTURES/good-xenorder.xc" && pass "kdump -> xc_core = good-xenorder.xc" ||
	fail "kdump -> xc_core differs"
cp "$O/good-linear.kdump.0" "$T/k0"
touch -d '2001-02-03 04:05:06' "$T/k0"
"$XENCORE" filter -o "$T/k0.again" "$T/k0" >/dev/null 2>&1
cmp -s "$T/k0" "$T/k0.again" && pass "kdump -> kdump: the same file" || fail "kdump -> kdump differs"

# Zero pages: a guest with a realistic mix (mkxccore --content mixed: about
# a third zero pages, 256 MiB).  -d 1 to xc_core leaves out exactly the zero
# pages: every page left out is zero, none kept is, and the counts match;
# to kdump every page reads back (zero ones through the shared page) and
# the file is smaller than at -d 0.
"$MKXCCORE" --scenario big --max-pfn 0x10000 --content mixed "$T/mixed.xc" >/dev/null 2>&1 ||
	fail "mkxccore --content mixed"
for fmt in xc_core kdump; do
	"$XENCORE" filter -d 1 --json --output-format=$fmt -o "$T/mixed.$fmt" "$T/mixed.xc" >"$T/json" 2>&1
	zero=$(json_field pages_zero "$T/json")
	kept=$(json_field pages_kept "$T/json")
	listed=$kept
	[ $fmt = kdump ] && listed=65536
	"$KDUMPCHK" --filtered "$T/mixed.xc" "$T/mixed.$fmt" "$listed" >"$T/kd" 2>&1
	rc=$?
	if [ $fmt = xc_core ]; then
		want=", $zero zero pages left out, 0 zero pages in it"
	else
		want=", 0 zero pages left out, $zero zero pages in it"
	fi
	if [ $rc = 0 ] && [ "$zero" -gt 20000 ] && [ $((kept + zero)) = 65536 ] && grep -q "$want" "$T/kd"; then
		pass "zero pages, $fmt: $zero of 65536: $(cat "$T/kd")"
	else
		fail "zero pages, $fmt: json kept $kept zero $zero; $(cat "$T/kd")"
	fi
done
"$XENCORE" filter -d 0 -o "$T/mixed.kdump0" "$T/mixed.xc" >/dev/null 2>&1
s0=$(wc -c <"$T/mixed.kdump0")
s1=$(wc -c <"$T/mixed.kdump")
[ "$s1" -lt "$s0" ] && pass "kdump -d 1 ($s1 bytes) < -d 0 ($s0 bytes)" || fail "kdump -d 1 $s1, -d 0 $s0 bytes"
rm -f "$T"/mixed.*

# The output does not depend on the number of threads.
in="$FIXTURES/good-odd.xc"
"$XENCORE" filter -d 1 --threads 1 -o "$T/t1" "$in" >/dev/null 2>&1
"$XENCORE" filter -d 1 --threads 3 -o "$T/t3" "$in" >/dev/null 2>&1
cmp -s "$T/t1" "$T/t3" && pass "threads 1 and 3: identical files" || fail "threads change the output"
# Compression: zlib makes it smaller, none stores every page raw.
"$XENCORE" filter --compress=none -o "$T/raw" "$in" >/dev/null 2>&1
s1=$(wc -c <"$T/t1")
s2=$(wc -c <"$T/raw")
[ "$s1" -lt "$s2" ] && pass "zlib $s1 < none $s2 bytes" || fail "zlib $s1, none $s2 bytes"
"$KDUMPCHK" --filtered "$in" "$T/raw" "$(dump_pages "$in")" >/dev/null 2>&1 &&
	pass "uncompressed kdump reads back" || fail "uncompressed kdump"

# A write that fails (a file size limit here, a full disk below) is one
# line naming OUT with the system's reason, exit 2, and nothing is left;
# whatever write fails, libelf's included.  SIGXFSZ is ignored as the brief
# for a shell has it (xencore ignores it too).  Warnings are another cause:
# only the lines that are not warnings are counted.
mkdir "$T/small"
# write_error WHAT WANT CMD...: runs CMD (an xencore filter -o $T/small/out);
# it must fail with exit 2 and one error line "xencore: $T/small/out: ...WANT".
write_error() {
	what=$1
	want=$2
	shift 2
	"$@" >/dev/null 2>"$T/err"
	rc=$?
	grep -v ': warning: ' "$T/err" >"$T/errline"
	line=$(cat "$T/errline")
	if [ $rc = 2 ] && [ "$(wc -l <"$T/errline")" = 1 ] &&
	   case $line in "xencore: $T/small/out: "*"$want"*) true ;; *) false ;; esac &&
	   [ -z "$(ls -A "$T/small")" ]; then
		pass "$what: exit 2, nothing left, $line"
	else
		fail "$what: exit $rc, left $(ls -A "$T/small"), $(cat "$T/err")"
	fi
}
for fmt in kdump elf xc_core; do
	write_error "file size limit, $fmt" "File too large" \
		sh -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' sh \
		"$XENCORE" filter --output-format=$fmt -o "$T/small/out" "$FIXTURES/good-linear.xc"
done
write_error "file size limit, uncompressed" "File too large" \
	sh -c 'trap "" XFSZ; ulimit -f 64; exec "$@"' sh \
	"$XENCORE" filter --compress=none -o "$T/small/out" "$FIXTURES/good-linear.xc"
# Limits to the byte: the ELF headers libelf writes (an ELF core's come
# first, an xc_core file's last) fail too, and errno is not lost in libelf.
if command -v python3 >/dev/null 2>&1; then
	for fmt in kdump elf xc_core; do
		"$XENCORE" filter --output-format=$fmt -o "$T/full.$fmt" "$FIXTURES/good-linear.xc" \
			>/dev/null 2>&1 || fail "filter to $fmt"
		size=$(wc -c <"$T/full.$fmt")
		rm -f "$T/full.$fmt"
		for limit in 0 100 4096 $((size / 2)) $((size - 4097)) $((size - 1)); do
			write_error "file size limit of $limit bytes, $fmt ($size bytes)" "File too large" \
				python3 -c 'import resource, signal, subprocess, sys
def limit():
	signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
	n = int(sys.argv[1])
	resource.setrlimit(resource.RLIMIT_FSIZE, (n, n))
# The limit is for the child only: its stderr (a file here) is not cut.
r = subprocess.run(sys.argv[2:], preexec_fn=limit, stderr=subprocess.PIPE)
sys.stderr.buffer.write(r.stderr)
sys.exit(r.returncode)' "$limit" \
				"$XENCORE" filter --output-format=$fmt -o "$T/small/out" "$FIXTURES/good-linear.xc"
		done
	done
else
	echo "skip: no python3 to set a file size limit to the byte"
fi
# A full disk: a 64 KiB tmpfs (root only, where mount works).
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k xencore-test "$T/small" 2>/dev/null; then
	for fmt in kdump elf xc_core; do
		write_error "full disk, $fmt" "No space left on device" \
			"$XENCORE" filter --output-format=$fmt -o "$T/small/out" "$FIXTURES/good-linear.xc"
	done
	umount "$T/small"
else
	echo "skip: a full disk needs root and mount (a 64 KiB tmpfs)"
fi

# SIGINT mid-run: exit 2, nothing left.  Compressing the 262144 pages of a
# 1 GiB guest takes seconds (the file is sparse: ~2 MB on disk).  The
# output has no name while it is written: the run is known to be copying
# when --progress has said so.
"$MKXCCORE" --scenario big --max-pfn 262144 "$T/big.xc" >/dev/null 2>&1 || fail "mkxccore big"
# copying PID ERR: waits (at most 10 s) until the filter PID has written a
# progress line to ERR.
copying() {
	i=0
	while ! grep -q 'Copying data' "$2" 2>/dev/null && [ $i -lt 1000 ] &&
	      kill -0 "$1" 2>/dev/null; do
		sleep 0.01
		i=$((i + 1))
	done
}
mkdir "$T/int"
# (A new file for each run: the shell truncates it only once the run started.)
"$XENCORE" filter --threads 1 --verify --progress -o "$T/int/out" "$T/big.xc" >/dev/null 2>"$T/int.err" &
pid=$!
copying $pid "$T/int.err"
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
if [ $rc = 2 ] && [ -z "$(ls -A "$T/int")" ] && grep -q "interrupted" "$T/int.err"; then
	pass "SIGINT: exit 2, nothing left"
elif [ $rc = 0 ]; then
	echo "SIGINT came too late to test (the run had finished)"
else
	fail "SIGINT: exit $rc, left $(ls -A "$T/int"), $(cat "$T/int.err")"
fi

# SIGKILL mid-run, which no handler sees: nothing left either, where the
# filesystem has O_TMPFILE (the output is unnamed until it is complete;
# python3 asks the filesystem, else /proc/PID/fd showing the unnamed file
# open, "DIR/#INODE (deleted)", says so).  Without it a named temporary
# file is the fallback, and SIGKILL leaves that by design.
mkdir "$T/kill"
tmpfile=unknown
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import os, sys; os.close(os.open(sys.argv[1], os.O_TMPFILE | os.O_WRONLY, 0o600))' \
		"$T/kill" 2>/dev/null && tmpfile=yes || tmpfile=no
fi
for fmt in kdump elf xc_core; do
	"$XENCORE" filter --threads 1 --output-format=$fmt --progress -o "$T/kill/out" "$T/big.xc" \
		>/dev/null 2>"$T/kill.$fmt.err" &
	pid=$!
	copying $pid "$T/kill.$fmt.err"
	unnamed=$(ls -l /proc/$pid/fd 2>/dev/null | grep -c -- "-> $T/kill/#.* (deleted)$")
	kill -KILL $pid 2>/dev/null
	wait $pid
	rc=$?
	if [ $rc = 0 ]; then
		echo "SIGKILL, $fmt: came too late to test (the run had finished)"
	elif [ $tmpfile = no ] || { [ $tmpfile = unknown ] && [ "$unnamed" = 0 ]; }; then
		echo "skip: SIGKILL, $fmt: $T/kill has no O_TMPFILE: the fallback's temporary file is left"
	elif [ $rc = 137 ] && [ -z "$(ls -A "$T/kill")" ] && [ "$unnamed" -ge 1 ]; then
		pass "SIGKILL while copying, $fmt: nothing left"
	else
		fail "SIGKILL, $fmt: exit $rc, left $(ls -A "$T/kill"), unnamed files open: $unnamed"
	fi
	rm -f "$T/kill/out"
done

# Exit status 2 means no output: the summary is written and flushed before
# the output is put in place, and a standard output that fails (a full
# disk: /dev/full) discards it, with one line that says so.  An OUT that
# existed keeps its old bytes.
if [ -c /dev/full ]; then
	mkdir "$T/full"
	for args in "--output-format=kdump" "--output-format=elf" "--output-format=xc_core" \
		"--output-format=kdump --json" "--output-format=xc_core --verify"; do
		# shellcheck disable=SC2086 # $args: several options
		"$XENCORE" filter $args -o "$T/full/out" "$FIXTURES/good-linear.xc" >/dev/full 2>"$T/err"
		rc=$?
		grep -v ': warning: ' "$T/err" >"$T/errline"
		if [ $rc = 2 ] && [ -z "$(ls -A "$T/full")" ] &&
		   [ "$(cat "$T/errline")" = "xencore: standard output: cannot write the summary, so $T/full/out is not written: No space left on device" ]; then
			pass "stdout full, $args: exit 2, no output, $(cat "$T/errline")"
		else
			fail "stdout full, $args: exit $rc, left $(ls -A "$T/full"), $(cat "$T/err")"
		fi
	done
	echo old >"$T/full/out"
	"$XENCORE" filter --output-format=xc_core -o "$T/full/out" "$FIXTURES/good-linear.xc" \
		>/dev/full 2>/dev/null
	rc=$?
	[ $rc = 2 ] && [ "$(cat "$T/full/out")" = old ] && [ "$(ls -A "$T/full")" = out ] &&
		pass "stdout full: an existing OUT is unchanged" ||
		fail "stdout full: exit $rc, an existing OUT became $(head -c 20 "$T/full/out"), $(ls -A "$T/full")"
else
	echo "skip: no /dev/full"
fi

# Progress only when asked (stderr is not a terminal here), --json fields.
"$XENCORE" filter --progress -o "$T/p.kdump" "$FIXTURES/good-linear.xc" >/dev/null 2>"$T/err"
grep -q 'Copying data: \[100.0 %\]' "$T/err" && pass "--progress: $(tr '\r' '\n' <"$T/err" | tail -1)" ||
	fail "--progress: $(cat "$T/err")"
"$XENCORE" filter -o "$T/p.kdump" "$FIXTURES/good-linear.xc" >"$T/out" 2>"$T/err"
# good-linear's kernel has no VMCOREINFO: one warning says so, nothing else.
[ "$(cat "$T/err")" = "xencore: $FIXTURES/good-linear.xc: warning: the output has no VMCOREINFO, which drgn, crash and makedumpfile need: no page of the dump holds one (a page starting with OSRELEASE=); give --vmlinux, --system-map or --vmcoreinfo" ] &&
	grep -q "^$T/p.kdump: 299 pages: 299 kept, 0 zero, 0 excluded; .*; native: 9 page tables rewritten, 15 entries cleared, no VMCOREINFO$" "$T/out" &&
	pass "no progress unless asked; summary line" || fail "summary: $(cat "$T/out" "$T/err")"
"$XENCORE" filter --json -o "$T/p.kdump" "$FIXTURES/good-linear.xc" >"$T/out" 2>&1
for k in output output_format compression dump_level threads pages_read pages_kept pages_zero \
	pages_excluded bytes_in bytes_out ratio seconds verified; do
	grep -q "^  \"$k\": " "$T/out" || fail "--json lacks $k"
done
[ "$(json_field bytes_out "$T/out")" = "$(wc -c <"$T/p.kdump")" ] &&
	[ "$(json_field bytes_in "$T/out")" = "$(wc -c <"$FIXTURES/good-linear.xc")" ] &&
	pass "--json: bytes in and out are the file sizes" || fail "--json: $(cat "$T/out")"

# Never over the input: the same name, a symlink, a hard link.
cp "$FIXTURES/good-linear.xc" "$T/in.xc"
sum=$(cksum <"$T/in.xc")
ln -s "$T/in.xc" "$T/sym.xc"
ln "$T/in.xc" "$T/hard.xc"
for o in "$T/in.xc" "$T/sym.xc" "$T/hard.xc"; do
	"$XENCORE" filter -o "$o" "$T/in.xc" >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc = 2 ] && [ "$(cksum <"$T/in.xc")" = "$sum" ] && grep -q "refusing to write over it" "$T/err"; then
		pass "refuses to write over the input ($(basename "$o"))"
	else
		fail "output $o: exit $rc, $(cat "$T/err")"
	fi
done
# An existing other file is replaced whole.
echo old >"$T/exists"
"$XENCORE" filter -o "$T/exists" "$T/in.xc" >/dev/null 2>&1 &&
	"$XENCORE" info "$T/exists" >/dev/null 2>&1 && pass "replaces an existing output" ||
	fail "replacing an existing output"
# Output in a directory that does not exist, or a directory.
"$XENCORE" filter -o "$T/nodir/out" "$T/in.xc" >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q "cannot create a temporary file" "$T/err" && pass "missing directory: exit 2" ||
	fail "missing directory: $(cat "$T/err")"
"$XENCORE" filter -o "$T" "$T/in.xc" >/dev/null 2>"$T/err"
[ $? = 2 ] && grep -q "is a directory" "$T/err" && pass "directory output: exit 2" ||
	fail "directory output: $(cat "$T/err")"

# Bad arguments: one line, exit 2, no output.
bad() {
	filter_refused "$T" "$@"
}
bad "level 32" "is not 0 to 31" -d 32 -o "$T/bad.out" "$T/in.xc"
bad "level 2 without symbols" "read the guest kernel's page types: give --vmlinux" -d 2 -o "$T/bad.out" "$T/in.xc"
bad "level 31 without symbols" "read the guest kernel's page types: give --vmlinux" -d 31 -o "$T/bad.out" "$T/in.xc"
bad "level 31, kernel without VMCOREINFO" "the kernel has no vmcoreinfo_data symbol" -d 31 \
	--vmlinux "$FIXTURES/good-linear.vmlinux" -o "$T/bad.out" "$FIXTURES/good-linear.xc"
printf 'OSRELEASE=6.1.0\nPAGESIZE=4096\nSIZE(page)=64\nOFFSET(page.flags)=0\nSYMBOL(mem_map)=ffffffff82000000\n' >"$T/vi"
bad "level 16, VMCOREINFO without buddy values" "VMCOREINFO lacks what dump level 16 needs: OFFSET(page._mapcount), OFFSET(page.private), NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)" \
	-d 16 --vmcoreinfo "$T/vi" -o "$T/bad.out" "$FIXTURES/good-linear.xc"
bad "level 2, VMCOREINFO without flag bits" "lacks what dump level 2 needs: OFFSET(page.mapping), NUMBER(PG_lru), NUMBER(PG_private), NUMBER(PG_swapcache)" \
	-d 2 --vmcoreinfo "$T/vi" -o "$T/bad.out" "$FIXTURES/good-linear.xc"
printf 'OSRELEASE=6.1.0\nnot a line\n' >"$T/vi"
bad "VMCOREINFO file, bad line" "VMCOREINFO line 2 is not KEY=VALUE" -d 31 --vmcoreinfo "$T/vi" \
	-o "$T/bad.out" "$FIXTURES/good-linear.xc"
bad "VMCOREINFO file missing" "cannot open" -d 31 --vmcoreinfo "$T/none" -o "$T/bad.out" \
	"$FIXTURES/good-linear.xc"
bad "level text" "is not 0 to 31" -d many -o "$T/bad.out" "$T/in.xc"
bad "threads 0" "is not 1 to 256" --threads 0 -o "$T/bad.out" "$T/in.xc"
bad "format" "unknown output format 'vmcore' (kdump, elf or xc_core)" --output-format=vmcore -o "$T/bad.out" "$T/in.xc"
bad "ELF with raw page tables" "an ELF core is always a native export" --output-format=elf --raw-pagetables \
	-o "$T/bad.out" "$T/in.xc"
bad "compression" "unknown compression" --compress=lz4 -o "$T/bad.out" "$T/in.xc"
bad "no -o" "no output file" "$T/in.xc"
bad "two dumps" "expected one DUMP" -o "$T/bad.out" "$T/in.xc" "$T/in.xc"
bad "missing dump" "cannot open" -o "$T/bad.out" "$T/none.xc"
bad "legacy without symbols" "needs the guest's p2m" -o "$T/bad.out" "$FIXTURES/good-legacy.xc"
finish
