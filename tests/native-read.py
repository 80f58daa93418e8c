# SPDX-License-Identifier: LGPL-2.1-or-later
# native-read.py: the independent readers tests/native.sh holds xencore's
# native exports against (run with Debian's /usr/bin/python3, which has
# python3-drgn and python3-libkdumpfile):
#
#   pages A B                 ELF cores A and B: pages each holds, and those
#                             both hold that differ ("pages NA NB common N
#                             differ N [pfns]"), from their PT_LOADs alone
#   drgn FILE ADDR:LEN...     drgn opens FILE with no setting and reads each
#                             kernel virtual address: "ADDR HEX" or "ADDR ERR"
#   kdumpfile FILE [--ostype] SPACE ADDR:LEN...
#                             libkdumpfile reads each address of SPACE (kv,
#                             kphys or mach), addrxlat.ostype set to linux
#                             only with --ostype: "ADDR HEX" or "ADDR ERR MSG"
#   regs FILE                 libkdumpfile's registers of each cpu (from the
#                             file's NT_PRSTATUS notes): "cpu N REG 0xVALUE"
#   contexts XC               the same registers as the xc_core dump's
#                             vcpu_guest_context records hold them (Xen's
#                             public/arch-x86/xen-x86_64.h, xen-x86_32.h,
#                             read here from the section bytes)
#   release FILE              linux.uts.release as libkdumpfile reads it
#   cpus FILE                 the cr3s of xencore's CPUS note in a kdump or
#                             ELF file: "cpu N cr3 0xADDR user_cr3 0xADDR"
#   roots XC                  the same from the dump: each vcpu's ctrlreg[3]
#                             (and 64-bit ctrlreg[1]) as a pfn's address,
#                             through the dump's own .xen_p2m
import struct
import sys

PAGE = 4096


def elf_loads(path):
    f = open(path, 'rb')
    h = f.read(64)
    if h[4] == 2:
        phoff, = struct.unpack_from('<Q', h, 32)
        phentsize, phnum = struct.unpack_from('<HH', h, 54)
    else:
        phoff, = struct.unpack_from('<I', h, 28)
        phentsize, phnum = struct.unpack_from('<HH', h, 42)
    loads = []
    for i in range(phnum):
        f.seek(phoff + i * phentsize)
        p = f.read(phentsize)
        if h[4] == 2:
            typ, _, off, va, pa, filesz, memsz, _ = struct.unpack('<IIQQQQQQ', p)
        else:
            typ, off, va, pa, filesz, memsz, _, _ = struct.unpack('<IIIIIIII', p)
        if typ == 1:
            loads.append((pa, filesz, memsz, off))
    return f, loads


def elf_pages(path):
    f, loads = elf_loads(path)
    pages = {}
    for pa, filesz, memsz, off in loads:
        for k in range(memsz // PAGE):
            if k * PAGE < filesz:
                f.seek(off + k * PAGE)
                pages[pa // PAGE + k] = f.read(PAGE)
            else:
                pages[pa // PAGE + k] = bytes(PAGE)
    return pages


def cmd_pages(a, b):
    pa, pb = elf_pages(a), elf_pages(b)
    common = sorted(set(pa) & set(pb))
    differ = [hex(p) for p in common if pa[p] != pb[p]]
    print('pages', len(pa), len(pb), 'common', len(common), 'differ', len(differ),
          ' '.join(differ[:10]))


def addr_len(arg):
    a, n = arg.split(':')
    return int(a, 0), int(n, 0)


def cmd_drgn(path, args):
    import drgn
    prog = drgn.Program()
    prog.set_core_dump(path)
    for arg in args:
        a, n = addr_len(arg)
        try:
            print(hex(a), prog.read(a, n).hex())
        except Exception as e:
            print(hex(a), 'ERR', str(e).replace('\n', ' '))


def cmd_kdumpfile(path, args):
    import kdumpfile
    k = kdumpfile.kdumpfile(path)
    if args[0] == '--ostype':
        k.attr['addrxlat.ostype'] = 'linux'
        args = args[1:]
    space = {'kv': kdumpfile.KDUMP_KVADDR, 'kphys': kdumpfile.KDUMP_KPHYSADDR,
             'mach': kdumpfile.KDUMP_MACHPHYSADDR}[args[0]]
    for arg in args[1:]:
        a, n = addr_len(arg)
        try:
            print(hex(a), bytes(k.read(space, a, n)).hex())
        except Exception as e:
            print(hex(a), 'ERR', str(e).replace('\n', ' '))


REGS64 = ['rip', 'rsp', 'rbp', 'rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'r8', 'r15', 'rflags',
          'cs', 'ss']
REGS32 = ['eip', 'esp', 'ebp', 'eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'eflags', 'cs', 'ss']


def cmd_regs(path):
    import kdumpfile
    k = kdumpfile.kdumpfile(path)
    bits = 64 if k.attr['arch.name'] == 'x86_64' else 32
    for cpu in range(k.attr['cpu.number']):
        for r in REGS64 if bits == 64 else REGS32:
            print('cpu', cpu, r, hex(k.attr['cpu.%d.reg.%s' % (cpu, r)]))


def sections(path):
    f = open(path, 'rb')
    h = f.read(64)
    shoff, = struct.unpack_from('<Q', h, 40)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', h, 58)
    shdrs = []
    for i in range(shnum):
        f.seek(shoff + i * shentsize)
        shdrs.append(struct.unpack('<IIQQQQIIQQ', f.read(64)))
    strtab = shdrs[shstrndx]
    f.seek(strtab[4])
    names = f.read(strtab[5])
    out = {}
    for sh in shdrs:
        name = names[sh[0]:names.index(b'\0', sh[0])].decode()
        out[name] = sh
    return f, h, out


def cmd_contexts(path):
    f, h, secs = sections(path)
    sh = secs['.xen_prstatus']
    entsize = sh[9]
    f.seek(sh[4])
    data = f.read(sh[5])
    bits = 32 if struct.unpack_from('<H', h, 18)[0] == 3 else 64
    for cpu in range(len(data) // entsize):
        c = data[cpu * entsize:(cpu + 1) * entsize]
        if bits == 64:
            # user_regs at 520: r15 r14 r13 r12 rbp rbx r11 r10 r9 r8 rax rcx
            # rdx rsi rdi, error_code/entry_vector, rip 128, cs 136,
            # rflags 144, rsp 152, ss 160.
            u = 520
            q = lambda o: struct.unpack_from('<Q', c, u + o)[0]
            v = {'r15': q(0), 'rbp': q(32), 'rbx': q(40), 'r8': q(72), 'rax': q(80),
                 'rcx': q(88), 'rdx': q(96), 'rsi': q(104), 'rdi': q(112), 'rip': q(128),
                 'cs': q(136) & 0xffff, 'rflags': q(144), 'rsp': q(152), 'ss': q(160) & 0xffff}
            order = REGS64
        else:
            # user_regs at 516: ebx ecx edx esi edi ebp eax, error_code and
            # entry_vector (u16), eip 32, cs 36, eflags 40, esp 44, ss 48.
            u = 516
            d = lambda o: struct.unpack_from('<I', c, u + o)[0]
            v = {'ebx': d(0), 'ecx': d(4), 'edx': d(8), 'esi': d(12), 'edi': d(16),
                 'ebp': d(20), 'eax': d(24), 'eip': d(32), 'cs': d(36) & 0xffff,
                 'eflags': d(40), 'esp': d(44), 'ss': d(48) & 0xffff}
            order = REGS32
        for r in order:
            print('cpu', cpu, r, hex(v[r]))


def note_area(path):
    f = open(path, 'rb')
    head = f.read(4096)
    if head[:8] == b'KDUMP   ':
        sub = f.read(104)
        i686 = head[272:277] == b'i686\0' and struct.unpack_from('<I', head, 416)[0] == 4096
        if i686:
            off, = struct.unpack_from('<Q', sub, 32)
            size, = struct.unpack_from('<I', sub, 40)
        else:
            off, size = struct.unpack_from('<QQ', sub, 48)
    else:
        if head[4] == 2:
            phoff, = struct.unpack_from('<Q', head, 32)
            phentsize, = struct.unpack_from('<H', head, 54)
            typ, _, off, _, _, size, _, _ = struct.unpack_from('<IIQQQQQQ', head, phoff)
        else:
            phoff, = struct.unpack_from('<I', head, 28)
            typ, off, _, _, size, _, _, _ = struct.unpack_from('<IIIIIIII', head, phoff)
    f.seek(off)
    return f.read(size)


def notes(data):
    at = 0
    while at + 12 <= len(data):
        namesz, descsz, typ = struct.unpack_from('<III', data, at)
        name = data[at + 12:at + 12 + namesz].rstrip(b'\0')
        desc = at + 12 + (namesz + 3) // 4 * 4
        yield name, typ, data[desc:desc + descsz]
        at = desc + (descsz + 3) // 4 * 4


def cmd_cpus(path):
    for name, typ, desc in notes(note_area(path)):
        if name == b'XENCORE' and typ == 0x58430009:
            for cpu in range(len(desc) // 40):
                _, _, cr3, _, ucr3 = struct.unpack_from('<QQQQQ', desc, cpu * 40)
                print('cpu', cpu, 'cr3', hex(cr3), 'user_cr3', hex(ucr3))


def cmd_roots(path):
    f, h, secs = sections(path)
    sh = secs['.xen_p2m']
    f.seek(sh[4])
    table = f.read(sh[5])
    pfn_of = {}
    for i in range(len(table) // 16):
        pfn, mfn = struct.unpack_from('<QQ', table, 16 * i)
        pfn_of[mfn] = pfn
    sh = secs['.xen_prstatus']
    f.seek(sh[4])
    data = f.read(sh[5])
    bits = 32 if struct.unpack_from('<H', h, 18)[0] == 3 else 64
    phys = lambda mfn: hex(pfn_of[mfn] << 12) if mfn in pfn_of else '0x0'
    for cpu in range(len(data) // sh[9]):
        c = data[cpu * sh[9]:(cpu + 1) * sh[9]]
        if bits == 64:
            cr1, = struct.unpack_from('<Q', c, 4992)
            cr3, = struct.unpack_from('<Q', c, 5008)
            print('cpu', cpu, 'cr3', phys(cr3 >> 12), 'user_cr3', phys(cr1 >> 12) if cr1 else '0x0')
        else:
            # xen-x86_32.h xen_cr3_to_pfn(): the high frame bits folded low
            cr3, = struct.unpack_from('<I', c, 2728)
            print('cpu', cpu, 'cr3', phys(((cr3 >> 12) | (cr3 << 20)) & 0xffffffff), 'user_cr3 0x0')


def cmd_release(path):
    import kdumpfile
    k = kdumpfile.kdumpfile(path)
    print(k.attr['linux.uts.release'])


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == 'pages':
        cmd_pages(*args)
    elif cmd == 'drgn':
        cmd_drgn(args[0], args[1:])
    elif cmd == 'kdumpfile':
        cmd_kdumpfile(args[0], args[1:])
    elif cmd == 'regs':
        cmd_regs(args[0])
    elif cmd == 'contexts':
        cmd_contexts(args[0])
    elif cmd == 'release':
        cmd_release(args[0])
    elif cmd == 'cpus':
        cmd_cpus(args[0])
    elif cmd == 'roots':
        cmd_roots(args[0])
    else:
        sys.exit('native-read.py: unknown command ' + cmd)


main()
