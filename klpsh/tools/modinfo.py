"""modinfo: show the .modinfo fields of a module file, worded and laid out like kmod's.

`modinfo FILE.ko` or `modinfo NAME` prints `filename:` (the absolute path) and then
every `key=value` string of the module's .modinfo section in the order the file has
them, each key padded to 16 columns; `parm`/`parmtype` pairs are merged into one
`parm:` line per parameter (`name:description (type)`), printed last, in kmod's order
(most recently first-seen parameter first). Reading the file needs no kernel.
Options as kmod: -F FIELD, -a, -d, -l, -p, -n, -0, -m.
"""

from __future__ import annotations

import stat
import struct
from pathlib import Path

from kernel.errno import Errno, strerror
from kernel.record import record
from klpsh.tools import ToolContext, tool

PROG = "modinfo"
KMOD_EXTENSIONS = (".ko",)
_EHDR64 = struct.Struct("<16sHHIQQQIHHHHHH")
_SHDR64 = struct.Struct("<IIQQQQIIQQ")
_EHDR32 = struct.Struct("<16sHHIIIIIHHHHHH")
_SHDR32 = struct.Struct("<IIIIIIIIII")

_FIELD_OPTIONS = {"a": "author", "d": "description", "l": "license", "p": "parm", "n": "filename"}
_LONG_OPTIONS = {"author": "a", "description": "d", "license": "l", "parameters": "p",
                 "filename": "n", "null": "0", "modname": "m", "field": "F", "help": "h"}
USAGE = f"""Usage:
\t{PROG} [options] <modulename|filename> [args]
Options:
\t-a, --author                Print only 'author'
\t-d, --description           Print only 'description'
\t-l, --license               Print only 'license'
\t-p, --parameters            Print only 'parm'
\t-n, --filename              Print only 'filename'
\t-0, --null                  Use \\0 instead of \\n
\t-m, --modname               Handle argument as module name instead of alias or filename
\t-F, --field=FIELD           Print only provided FIELD
\t-h, --help                  Show this help
"""


class ModinfoError(Exception):
    """Reading a module's .modinfo failed with errno ERR."""

    def __init__(self, err: int) -> None:
        super().__init__(err)
        self.err = err


def read_modinfo(raw: bytes) -> list[tuple[str, str]]:
    """(key, value) pairs of the .modinfo strings of ELF image RAW, in file order.

    Raises ModinfoError with the errno kmod 30 reports (checked against its modinfo):
    EINVAL for a file of 16 bytes or less and for broken headers, ENOEXEC for a file
    that is not ELF, ENOENT when there is no .modinfo section.
    """
    if len(raw) <= 16:
        raise ModinfoError(Errno.EINVAL)
    if raw[:4] != b"\x7fELF":
        raise ModinfoError(Errno.ENOEXEC)
    cls, data = raw[4], raw[5]
    if cls not in (1, 2) or data not in (1, 2):
        raise ModinfoError(Errno.EINVAL)
    endian = "<" if data == 1 else ">"
    ehdr, shdr = (_EHDR64, _SHDR64) if cls == 2 else (_EHDR32, _SHDR32)
    ehdr, shdr = struct.Struct(endian + ehdr.format[1:]), struct.Struct(endian + shdr.format[1:])
    if len(raw) <= ehdr.size:
        raise ModinfoError(Errno.EINVAL)
    fields = ehdr.unpack_from(raw)
    shoff, shentsize, shnum, shstrndx = fields[6], fields[11], fields[12], fields[13]
    if shentsize != shdr.size or shoff + shnum * shdr.size > len(raw):
        raise ModinfoError(Errno.EINVAL)

    def section(idx: int) -> tuple[int, int, int] | None:
        """(name offset, file offset, size) of section IDX, None if it is out of bounds."""
        if idx == 0 or idx >= shnum:
            return None
        h = shdr.unpack_from(raw, shoff + idx * shdr.size)
        name, offset, size = h[0], h[4], h[5]
        return None if offset + size > len(raw) else (name, offset, size)

    strs = section(shstrndx)
    if strs is None or strs[2] == 0 or raw[strs[1] + strs[2] - 1] != 0:
        raise ModinfoError(Errno.EINVAL)
    names = raw[strs[1]:strs[1] + strs[2]]
    for idx in range(1, shnum):
        sec = section(idx)
        if sec is None or sec[0] >= len(names):
            continue
        if names[sec[0]:names.index(b"\0", sec[0])] == b".modinfo":
            body = raw[sec[1]:sec[1] + sec[2]]
            break
    else:
        raise ModinfoError(Errno.ENOENT)
    pairs = []
    for s in body.split(b"\0"):
        if not s:
            continue
        key, _, value = s.decode("utf-8", "replace").partition("=")
        pairs.append((key, value))
    return pairs


def modname_of(path: Path) -> str:
    """The module name of a file: its basename up to the first '.', '-' read as '_'."""
    return path.name.split(".", 1)[0].replace("-", "_")


@record
class _Options:
    field: str | None = None
    sep: str = "\n"
    modname: bool = False


def _parm_lines(pairs: list[tuple[str, str]]) -> list[tuple[str, str | None, str | None]]:
    """Merge parm/parmtype into (name, description, type), newest first as kmod lists them.

    Strings without a ':' are skipped (kmod reports them and goes on).
    """
    params: dict[str, list[str | None]] = {}
    for key, value in pairs:
        if key not in ("parm", "parmtype"):
            continue
        name, colon, rest = value.partition(":")
        if not colon:
            continue
        entry = params.setdefault(name, [None, None])
        entry[0 if key == "parm" else 1] = rest
    return [(name, d, t) for name, (d, t) in reversed(params.items())]


def _show(ctx: ToolContext, path: Path, opts: _Options) -> int:
    """modinfo_do(): print one module file; 0 or 1."""
    sep = opts.sep
    if opts.field == "filename":
        ctx.out(f"{path}{sep}")
        return 0
    if opts.field is None:
        ctx.out(f"{'filename:':<16}{path}{sep}")
    try:
        pairs = read_modinfo(path.read_bytes())
    except ModinfoError as e:
        ctx.err(f"{PROG}: ERROR: could not get modinfo from '{modname_of(path)}': "
                f"{strerror(e.err)}\n")
        return 1
    except OSError as e:
        ctx.err(f"{PROG}: ERROR: could not get modinfo from '{modname_of(path)}': "
                f"{strerror(e.errno or Errno.EIO)}\n")
        return 1
    if ("depends", "") in pairs:
        deps = ",".join(depends(path, [path.parent, ctx.modules_dir, ctx.cwd]))
        pairs = [(k, deps if k == "depends" else v) for k, v in pairs]
    for key, value in pairs:
        if key in ("parm", "parmtype") and opts.field in (None, "parm"):
            if ":" not in value:
                ctx.err(f"{PROG}: ERROR: Found invalid \"{key}={value}\": missing ':'\n")
    params = _parm_lines(pairs)
    if opts.field == "parm":
        for name, desc, typ in params:
            if desc is None:
                ctx.out(f"{name}: ({typ}){sep}")
            elif typ is not None:
                ctx.out(f"{name}:{desc} ({typ}){sep}")
            else:
                ctx.out(f"{name}:{desc}{sep}")
        return 0
    for key, value in pairs:
        if opts.field is not None:
            if key == opts.field:
                ctx.out(f"{value}{sep}")
            continue
        if key in ("parm", "parmtype"):
            continue
        if sep == "\0":
            ctx.out(f"{key}={value}{sep}")
        else:
            ctx.out(f"{key + ':':<16}{value}{sep}")
    if opts.field is None:
        for name, desc, typ in params:
            if desc is None:
                ctx.out(f"{'parm:':<16}{name}:{typ}{sep}")
            elif typ is not None:
                ctx.out(f"{'parm:':<16}{name}:{desc} ({typ}){sep}")
            else:
                ctx.out(f"{'parm:':<16}{name}:{desc}{sep}")
    return 0


def _symbols(path: Path) -> tuple[str, set[str], set[str]]:
    """(module name, undefined symbols, exported symbols) of module file PATH."""
    from elftools.elf.elffile import ELFFile  # only modinfo of a module that needs symbols pays

    with open(path, "rb") as f:
        elf = ELFFile(f)
        symtab = elf.get_section_by_name(".symtab")
        undef: set[str] = set()
        exports: set[str] = set()
        for sym in symtab.iter_symbols() if symtab is not None else ():
            if not sym.name:
                continue
            if sym["st_shndx"] == "SHN_UNDEF":
                undef.add(sym.name)
            elif sym.name.startswith("__ksymtab_") and sym["st_info"]["type"] == "STT_OBJECT":
                exports.add(sym.name[len("__ksymtab_"):])
    return modname_of(path).replace("-", "_"), undef, exports


def depends(path: Path, dirs: list[Path]) -> list[str]:
    """What modpost writes into `depends=` and depmod into modules.dep: the modules (among the
    .ko files of DIRS) exporting a symbol that PATH leaves undefined, in name order."""
    try:
        me, undef, _ = _symbols(path)
    except Exception:  # noqa: BLE001 - not an ELF file pyelftools can read: no dependencies
        return []
    if not undef:
        return []
    found: set[str] = set()
    seen: set[Path] = set()
    for d in dirs:
        for other in sorted(d.glob("*.ko")) if d.is_dir() else ():
            key = other.resolve()
            if key in seen or key == path.resolve():
                continue
            seen.add(key)
            try:
                name, _, exports = _symbols(other)
            except Exception:  # noqa: BLE001
                continue
            if name != me and undef & exports:
                found.add(name)
    return sorted(found)


def _parse_args(ctx: ToolContext, args: list[str]) -> tuple[_Options, list[str]] | int:
    """getopt_long over kmod's options; an exit status when nothing is left to do."""
    opts = _Options()
    names: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            names.extend(args[i:])
            break
        if arg.startswith("--"):
            long, eq, val = arg[2:].partition("=")
            matches = [o for o in _LONG_OPTIONS if o.startswith(long)] if long else []
            if long in _LONG_OPTIONS:
                matches = [long]
            if len(matches) != 1:
                what = "ambiguous" if matches else "unrecognized"
                ctx.err(f"{PROG}: {what} option '{arg}'\n")
                return 1
            letter = _LONG_OPTIONS[matches[0]]
            if letter == "F":
                if not eq:
                    if i >= len(args):
                        ctx.err(f"{PROG}: option '--field' requires an argument\n")
                        return 1
                    val = args[i]
                    i += 1
                opts.field = val
                continue
            if eq:
                ctx.err(f"{PROG}: option '--{matches[0]}' doesn't allow an argument\n")
                return 1
            letters = letter
        elif arg.startswith("-") and arg != "-":
            letters = arg[1:]
        else:
            names.append(arg)
            continue
        for pos, c in enumerate(letters):
            if c in _FIELD_OPTIONS:
                opts.field = _FIELD_OPTIONS[c]
            elif c == "0":
                opts.sep = "\0"
            elif c == "m":
                opts.modname = True
            elif c == "h":
                ctx.out(USAGE)
                return 0
            elif c == "F":
                rest = letters[pos + 1:]
                if not rest:
                    if i >= len(args):
                        ctx.err(f"{PROG}: option requires an argument -- 'F'\n")
                        return 1
                    rest = args[i]
                    i += 1
                opts.field = rest
                break
            else:
                ctx.err(f"{PROG}: invalid option -- '{c}'\n")
                return 1
    if not names:
        ctx.err(f"{PROG}: ERROR: missing module or filename.\n")
        return 1
    return opts, names


def _is_module_filename(path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and path.name.endswith(KMOD_EXTENSIONS)


@tool("modinfo", "modinfo [-F field] [-0] [-adlpnm] FILE|NAME...",
      "show information about a kernel module")
def modinfo(ctx: ToolContext, args: list[str]) -> int:
    """The modinfo command: 0 if every module was shown, 1 otherwise."""
    parsed = _parse_args(ctx, args)
    if isinstance(parsed, int):
        return parsed
    opts, names = parsed
    status = 0
    for name in names:
        if opts.modname:
            found = ctx.find_module_file(name)
            if found is None:
                ctx.err(f"{PROG}: ERROR: Module name {name} not found.\n")
                status = 1
                continue
            status |= _show(ctx, found.absolute(), opts)
            continue
        path = ctx.resolve_path(name)
        if _is_module_filename(path):
            status |= _show(ctx, path.absolute(), opts)
            continue
        found = None
        if "/" not in name and not name.endswith(KMOD_EXTENSIONS):
            found = ctx.find_module_file(name)
        if found is None:
            ctx.err(f"{PROG}: ERROR: Module {name} not found.\n")
            status = 1
            continue
        status |= _show(ctx, found.absolute(), opts)
    return status
