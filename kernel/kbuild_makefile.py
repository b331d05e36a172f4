"""Read a module directory's Kbuild or Makefile the way the kernel's build reads it.

Kbuild includes the module's Makefile with KERNELRELEASE set, so the `ifneq ($(KERNELRELEASE),)`
half of a classic out-of-tree Makefile applies, and then looks at obj-m, NAME-objs / NAME-y /
NAME-m, ccflags-y, EXTRA_CFLAGS, subdir-ccflags-y, CFLAGS_obj.o and CFLAGS_REMOVE_obj.o.

This is a small evaluator of the GNU make language, enough for those files: logical lines with
backslash continuation, comments, the assignment flavours (=, :=, ::=, +=, ?=, override, export),
ifeq/ifneq/ifdef/ifndef/else/endif, include/-include, define...endef (skipped), rules and their
recipes (skipped), $(VAR), ${VAR}, $(VAR:a=b), and the text functions (subst, patsubst, strip,
filter, filter-out, sort, word(s), firstword, lastword, dir, notdir, suffix, basename,
addprefix, addsuffix, join, wildcard, abspath, realpath, if, or, and, foreach, call, origin,
value, info, warning, error).  $(shell ...) answers `uname -r`, `uname -m` and `pwd` and is empty
otherwise: a module's Makefile never runs programs here.
"""

from __future__ import annotations

import glob
import os
import re
from pathlib import Path

from kernel.record import field, record

__all__ = ["MakeError", "Makefile", "ModuleSpec", "KbuildDir", "read_kbuild_dir"]


class MakeError(Exception):
    """The file cannot be read as make would; str() is make's own wording."""


@record
class _Var:
    value: str
    recursive: bool      # '=' (expanded at each use) or ':=' (expanded once)
    origin: str = "file"


_ASSIGN = re.compile(r"^(?P<mods>(?:(?:override|export|private)\s+)*)(?P<name>[^\s:#=+?!]+)\s*"
                     r"(?P<op>::=|:=|\+=|\?=|!=|=)(?P<value>.*)$")
_FUNCS_NEED_RAW = {"if", "or", "and", "foreach", "call", "value", "origin", "flavor"}


class Makefile:
    """Variables of a make program after reading one or more files into it."""

    def __init__(self, variables: dict[str, str] | None = None, *, release: str = "",
                 machine: str = "x86_64", curdir: Path | None = None) -> None:
        self.vars: dict[str, _Var] = {}
        self.release = release
        self.machine = machine
        self.curdir = curdir or Path.cwd()
        self.messages: list[str] = []          # $(info) / $(warning) output, in order
        self._depth = 0
        for name, value in (variables or {}).items():
            self.vars[name] = _Var(value, False, "command line")

    # --- variables -----------------------------------------------------------------
    def get(self, name: str) -> str:
        """$(NAME), expanded."""
        var = self.vars.get(name)
        if var is None:
            env = os.environ.get(name) if name in ("HOME", "USER") else None
            return env or ""
        if not var.recursive:
            return var.value
        self._depth += 1
        try:
            if self._depth > 64:
                raise MakeError(f"*** Recursive variable '{name}' references itself (eventually).  Stop.")
            return self.expand(var.value)
        finally:
            self._depth -= 1

    def words(self, name: str) -> list[str]:
        return self.get(name).split()

    def defined(self, name: str) -> bool:
        var = self.vars.get(name)
        return var is not None and var.value != ""

    def assign(self, name: str, op: str, value: str, override: bool = False) -> None:
        old = self.vars.get(name)
        if old is not None and old.origin == "command line" and not override:
            return
        origin = "override" if override else "file"
        if op == "=":
            self.vars[name] = _Var(value, True, origin)
        elif op in (":=", "::="):
            self.vars[name] = _Var(self.expand(value), False, origin)
        elif op == "?=":
            if old is None:
                self.vars[name] = _Var(value, True, origin)
        elif op == "+=":
            if old is None:
                self.vars[name] = _Var(value, True, origin)
            elif old.recursive:
                old.value = f"{old.value} {value}" if old.value else value
            else:
                add = self.expand(value)
                old.value = f"{old.value} {add}" if old.value else add
        elif op == "!=":
            self.vars[name] = _Var(self._shell(self.expand(value)), False, origin)

    # --- expansion -----------------------------------------------------------------
    def expand(self, text: str) -> str:
        out: list[str] = []
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c != "$":
                j = text.find("$", i)
                j = n if j < 0 else j
                out.append(text[i:j])
                i = j
                continue
            if i + 1 >= n:
                break
            nxt = text[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
            elif nxt in "({":
                close = ")" if nxt == "(" else "}"
                end = _matching(text, i + 1, nxt, close)
                if end < 0:
                    raise MakeError("*** unterminated variable reference.  Stop.")
                out.append(self._reference(text[i + 2:end]))
                i = end + 1
            else:
                out.append(self.get(nxt))
                i += 2
        return "".join(out)

    def _reference(self, body: str) -> str:
        m = re.match(r"([a-z-]+)[ \t]", body)
        if m and m.group(1) in _FUNCTIONS:
            return self._function(m.group(1), body[m.end():])
        name = self.expand(body)
        if ":" in name and "=" in name.split(":", 1)[1]:
            var, _, subst = name.partition(":")
            frm, _, to = subst.partition("=")
            if "%" not in frm:
                frm, to = "%" + frm, "%" + to
            return " ".join(_patsubst(frm, to, w) for w in self.get(var).split())
        return self.get(name)

    def _function(self, fname: str, argtext: str) -> str:
        raw = _split_args(argtext)
        if fname in _FUNCS_NEED_RAW:
            return getattr(self, f"_fn_{fname}")(raw)
        return _FUNCTIONS[fname](self, [self.expand(a) for a in raw])

    def _fn_if(self, raw: list[str]) -> str:
        cond = self.expand(raw[0]).strip() if raw else ""
        if cond:
            return self.expand(raw[1]) if len(raw) > 1 else ""
        return self.expand(",".join(raw[2:])) if len(raw) > 2 else ""

    def _fn_or(self, raw: list[str]) -> str:
        for a in raw:
            v = self.expand(a).strip()
            if v:
                return v
        return ""

    def _fn_and(self, raw: list[str]) -> str:
        v = ""
        for a in raw:
            v = self.expand(a).strip()
            if not v:
                return ""
        return v

    def _fn_foreach(self, raw: list[str]) -> str:
        if len(raw) < 3:
            raise MakeError("*** insufficient number of arguments (2) to function 'foreach'.  Stop.")
        var = self.expand(raw[0]).strip()
        saved = self.vars.get(var)
        out = []
        try:
            for w in self.expand(raw[1]).split():
                self.vars[var] = _Var(w, False)
                out.append(self.expand(",".join(raw[2:])))
        finally:
            if saved is None:
                self.vars.pop(var, None)
            else:
                self.vars[var] = saved
        return " ".join(o for o in out if o)

    def _fn_call(self, raw: list[str]) -> str:
        name = self.expand(raw[0]).strip()
        args = [self.expand(a) for a in raw[1:]]
        saved = {str(k): self.vars.get(str(k)) for k in range(len(args) + 10)}
        try:
            self.vars["0"] = _Var(name, False)
            for k in range(1, len(args) + 10):
                self.vars[str(k)] = _Var(args[k - 1] if k <= len(args) else "", False)
            var = self.vars.get(name)
            return self.expand(var.value) if var is not None else ""
        finally:
            for k, v in saved.items():
                if v is None:
                    self.vars.pop(k, None)
                else:
                    self.vars[k] = v

    def _fn_value(self, raw: list[str]) -> str:
        var = self.vars.get(self.expand(raw[0]).strip())
        return var.value if var is not None else ""

    def _fn_origin(self, raw: list[str]) -> str:
        var = self.vars.get(self.expand(raw[0]).strip())
        return "undefined" if var is None else var.origin

    def _fn_flavor(self, raw: list[str]) -> str:
        var = self.vars.get(self.expand(raw[0]).strip())
        return "undefined" if var is None else ("recursive" if var.recursive else "simple")

    def _shell(self, command: str) -> str:
        """The few commands a Kbuild Makefile asks the shell for; nothing is executed."""
        words = command.split()
        if words == ["uname", "-r"]:
            return self.release
        if words == ["uname", "-m"]:
            return self.machine
        if words == ["pwd"]:
            return str(self.curdir)
        return ""

    # --- reading files -------------------------------------------------------------
    def read(self, path: Path) -> None:
        path = Path(path)
        try:
            text = path.read_text(errors="replace")
        except OSError as exc:
            raise MakeError(f"{path}: {exc.strerror}") from exc
        self.read_text(text, str(path))

    def read_text(self, text: str, filename: str) -> None:
        lines = _logical_lines(text)
        # a stack of (this branch taken, some branch already taken, parent active)
        conds: list[list[bool]] = []
        in_rule = False
        define_depth = 0
        for lineno, line in lines:
            active = all(c[0] for c in conds)
            if define_depth:
                if re.match(r"^\s*endef\b", line):
                    define_depth -= 1
                elif re.match(r"^\s*(?:override\s+|export\s+)?define\b", line):
                    define_depth += 1
                continue
            if line.startswith("\t") and in_rule:
                continue                                   # a recipe line
            stripped = _strip_comment(line).strip()
            if not stripped:
                continue
            word = stripped.split(None, 1)[0]
            rest = stripped[len(word):].strip()
            if word in ("ifeq", "ifneq", "ifdef", "ifndef"):
                taken = active and self._condition(word, rest, filename, lineno)
                conds.append([taken, taken, active])
                continue
            if word == "else":
                if not conds:
                    raise MakeError(f"{filename}:{lineno}: *** extraneous 'else'.  Stop.")
                top = conds[-1]
                parent = top[2]
                if rest:
                    w2 = rest.split(None, 1)[0]
                    if w2 not in ("ifeq", "ifneq", "ifdef", "ifndef"):
                        raise MakeError(f"{filename}:{lineno}: *** extraneous text after 'else' directive.  Stop.")
                    taken = parent and not top[1] and self._condition(w2, rest[len(w2):].strip(),
                                                                      filename, lineno)
                else:
                    taken = parent and not top[1]
                top[0] = taken
                top[1] = top[1] or taken
                continue
            if word == "endif":
                if not conds:
                    raise MakeError(f"{filename}:{lineno}: *** extraneous 'endif'.  Stop.")
                conds.pop()
                continue
            if word in ("define",) or (word in ("override", "export") and rest.startswith("define")):
                define_depth = 1
                continue
            if not active:
                continue
            if word in ("include", "-include", "sinclude"):
                for inc in self.expand(rest).split():
                    p = Path(inc)
                    if not p.is_absolute():
                        p = Path(filename).parent / p
                    if p.is_file():
                        self.read(p)
                    elif word == "include":
                        raise MakeError(f"{filename}:{lineno}: {inc}: No such file or directory")
                in_rule = False
                continue
            if word in ("export", "unexport") and not _ASSIGN.match(stripped):
                continue
            if word == "vpath":
                continue
            m = _ASSIGN.match(stripped)
            if m and not _is_rule(stripped, m):
                mods = m.group("mods").split()
                name = self.expand(m.group("name"))
                value = m.group("value").lstrip()
                self.assign(name, m.group("op"), value, override="override" in mods)
                in_rule = False
                continue
            expanded = self.expand(stripped)
            if ":" in expanded:
                in_rule = True                              # a rule: its recipe follows
                continue
            if expanded.strip():
                raise MakeError(f"{filename}:{lineno}: *** missing separator.  Stop.")
        if conds:
            raise MakeError(f"{filename}:{len(text.splitlines())}: *** missing 'endif'.  Stop.")

    def _condition(self, word: str, rest: str, filename: str, lineno: int) -> bool:
        if word in ("ifdef", "ifndef"):
            name = self.expand(rest).strip()
            return self.defined(name) == (word == "ifdef")
        args = _cond_args(rest)
        if args is None:
            raise MakeError(f"{filename}:{lineno}: *** invalid syntax in conditional.  Stop.")
        a, b = (self.expand(x) for x in args)
        if rest.startswith("("):
            a, b = a.strip(), b.strip()
        return (a == b) == (word == "ifeq")


def _matching(text: str, start: int, open_: str, close: str) -> int:
    depth = 0
    for j in range(start, len(text)):
        if text[j] == open_:
            depth += 1
        elif text[j] == close:
            depth -= 1
            if depth == 0:
                return j
    return -1


def _split_args(text: str) -> list[str]:
    """Split a function's arguments at top-level commas."""
    args, depth, cur = [], 0, []
    for ch in text:
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if ch == "," and depth == 0:
            args.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    args.append("".join(cur))
    return args


def _cond_args(rest: str) -> tuple[str, str] | None:
    rest = rest.strip()
    if rest.startswith("("):
        end = _matching(rest, 0, "(", ")")
        if end < 0:
            return None
        parts = _split_args(rest[1:end])
        if len(parts) != 2:
            return None
        return parts[0], parts[1]
    m = re.match(r"""^(["'])(.*?)\1\s+(["'])(.*?)\3\s*$""", rest)
    if m:
        return m.group(2), m.group(4)
    return None


def _strip_comment(line: str) -> str:
    out = []
    i = 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line) and line[i + 1] == "#":
            out.append("#")
            i += 2
            continue
        if ch == "#":
            break
        out.append(ch)
        i += 1
    return "".join(out)


def _logical_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    buf: list[str] = []
    first = 0
    for no, raw in enumerate(text.splitlines(), 1):
        if not buf:
            first = no
        if raw.endswith("\\") and not raw.endswith("\\\\"):
            buf.append(raw[:-1].rstrip() if buf else raw[:-1])
            continue
        buf.append(raw.lstrip() if buf else raw)
        out.append((first, " ".join(buf) if len(buf) > 1 else buf[0]))
        buf = []
    if buf:
        out.append((first, " ".join(buf)))
    return out


def _is_rule(line: str, m: re.Match[str]) -> bool:
    """`target: VAR=value` is a target-specific assignment (a rule line), not a variable."""
    name = m.group("name")
    return ":" in name or (m.group("op") == "=" and ":" in line[:m.start("op")].rstrip(":"))


def _patsubst(pattern: str, replacement: str, word: str) -> str:
    if "%" not in pattern:
        return replacement if word == pattern else word
    pre, _, post = pattern.partition("%")
    if word.startswith(pre) and word.endswith(post) and len(word) >= len(pre) + len(post):
        stem = word[len(pre):len(word) - len(post)]
        return replacement.replace("%", stem, 1) if "%" in replacement else replacement
    return word


def _match(pattern: str, word: str) -> bool:
    if "%" not in pattern:
        return pattern == word
    pre, _, post = pattern.partition("%")
    return word.startswith(pre) and word.endswith(post) and len(word) >= len(pre) + len(post)


def _fn_error(mk: Makefile, a: list[str]) -> str:
    raise MakeError(f"*** {','.join(a)}.  Stop.")


def _fn_wildcard(mk: Makefile, a: list[str]) -> str:
    out = []
    for pat in " ".join(a).split():
        base = pat if os.path.isabs(pat) else str(mk.curdir / pat)
        hits = sorted(glob.glob(base))
        prefix = "" if os.path.isabs(pat) else str(mk.curdir) + os.sep
        out += [h[len(prefix):] if prefix and h.startswith(prefix) else h for h in hits]
    return " ".join(out)


def _word(a: list[str]) -> str:
    try:
        n = int(a[0].strip())
    except ValueError:
        raise MakeError("*** non-numeric first argument to 'word' function.  Stop.") from None
    ws = a[1].split() if len(a) > 1 else []
    return ws[n - 1] if 0 < n <= len(ws) else ""


_FUNCTIONS = {
    "subst": lambda mk, a: a[2].replace(a[0], a[1]) if len(a) >= 3 else "",
    "patsubst": lambda mk, a: " ".join(_patsubst(a[0].strip(), a[1].strip(), w) for w in a[2].split())
    if len(a) >= 3 else "",
    "strip": lambda mk, a: " ".join(",".join(a).split()),
    "findstring": lambda mk, a: a[0] if len(a) > 1 and a[0] in a[1] else "",
    "filter": lambda mk, a: " ".join(w for w in a[1].split() if any(_match(p, w) for p in a[0].split()))
    if len(a) > 1 else "",
    "filter-out": lambda mk, a: " ".join(w for w in a[1].split()
                                         if not any(_match(p, w) for p in a[0].split())) if len(a) > 1 else "",
    "sort": lambda mk, a: " ".join(sorted(set(",".join(a).split()))),
    "word": lambda mk, a: _word(a),
    "words": lambda mk, a: str(len(",".join(a).split())),
    "firstword": lambda mk, a: (",".join(a).split() or [""])[0],
    "lastword": lambda mk, a: (",".join(a).split() or [""])[-1],
    "dir": lambda mk, a: " ".join((os.path.dirname(w) or ".") + "/" for w in ",".join(a).split()),
    "notdir": lambda mk, a: " ".join(os.path.basename(w) for w in ",".join(a).split()),
    "suffix": lambda mk, a: " ".join(os.path.splitext(w)[1] for w in ",".join(a).split()
                                     if os.path.splitext(w)[1]),
    "basename": lambda mk, a: " ".join(os.path.splitext(w)[0] for w in ",".join(a).split()),
    "addprefix": lambda mk, a: " ".join(a[0] + w for w in a[1].split()) if len(a) > 1 else "",
    "addsuffix": lambda mk, a: " ".join(w + a[0] for w in a[1].split()) if len(a) > 1 else "",
    "join": lambda mk, a: " ".join(x + y for x, y in zip(a[0].split(), a[1].split())) if len(a) > 1 else "",
    "wildcard": _fn_wildcard,
    "abspath": lambda mk, a: " ".join(os.path.normpath(os.path.join(mk.curdir, w))
                                      for w in ",".join(a).split()),
    "realpath": lambda mk, a: " ".join(os.path.realpath(os.path.join(mk.curdir, w))
                                       for w in ",".join(a).split()
                                       if os.path.exists(os.path.join(mk.curdir, w))),
    "shell": lambda mk, a: mk._shell(",".join(a)),
    "info": lambda mk, a: (mk.messages.append(",".join(a)), "")[1],
    "warning": lambda mk, a: (mk.messages.append(f"warning: {','.join(a)}"), "")[1],
    "error": _fn_error,
    "if": None, "or": None, "and": None, "foreach": None, "call": None, "value": None,
    "origin": None, "flavor": None,
}


# --- what Kbuild takes from the file ----------------------------------------------------

@record
class ModuleSpec:
    """One module a Kbuild file names: its .ko name and the objects linked into it."""

    name: str                      # as in obj-m, without .o (hello-1)
    objects: list[str]             # object paths relative to the directory (start.o, sub/x.o)
    composite: bool


@record
class KbuildDir:
    """What Kbuild reads from one module directory."""

    directory: Path
    kbuild_file: Path
    modules: list[ModuleSpec] = field(default_factory=list)
    ccflags: list[str] = field(default_factory=list)         # ccflags-y + EXTRA_CFLAGS + subdir-ccflags-y
    obj_cflags: dict[str, list[str]] = field(default_factory=dict)    # CFLAGS_x.o
    obj_cflags_remove: dict[str, list[str]] = field(default_factory=dict)
    subdirs: list["KbuildDir"] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def kbuild_file(directory: Path) -> Path | None:
    """Kbuild if the directory has one, else Makefile (as scripts/Makefile.build picks)."""
    for name in ("Kbuild", "Makefile"):
        p = directory / name
        if p.is_file():
            return p
    return None


def read_kbuild_dir(directory: Path, *, release: str, config: dict[str, str],
                    variables: dict[str, str] | None = None,
                    inherited_ccflags: list[str] | None = None) -> KbuildDir:
    """Evaluate DIRECTORY's Kbuild/Makefile as `make -C KDIR M=DIRECTORY modules` would."""
    directory = Path(directory).resolve()
    path = kbuild_file(directory)
    if path is None:
        raise MakeError(f"make: *** No rule to make target 'modules'.  Stop.\n"
                        f"klpsh build: no Kbuild or Makefile in {directory}")
    base = {
        **config,
        "KERNELRELEASE": release, "KERNELVERSION": release.split("-")[0],
        "VERSION": release.split(".")[0], "PATCHLEVEL": release.split(".")[1] if "." in release else "",
        "src": str(directory), "obj": str(directory), "M": str(directory),
        "KBUILD_EXTMOD": str(directory), "PWD": str(directory), "CURDIR": str(directory),
        "srctree": ".", "objtree": ".", "ARCH": "x86", "SRCARCH": "x86", "SUBARCH": "x86",
        "CC": "gcc", "LD": "ld", "MAKE": "make", "KBUILD_VERBOSE": "0", "quiet": "quiet_",
    }
    base.update(variables or {})
    mk = Makefile(base, release=release, curdir=directory)
    for name in list(base):
        if name in config:
            mk.vars[name].origin = "file"       # CONFIG_* come from auto.conf, not the command line
    mk.read(path)
    var = mk.vars.get("CFLAGS")
    if var is not None and var.origin != "command line" and mk.get("CFLAGS") \
            and not mk.defined("KBUILD_NOPEDANTIC"):
        raise MakeError(f'scripts/Makefile.build:50: *** CFLAGS was changed in "{path}". '
                        "Fix it to use ccflags-y.  Stop.")
    result = KbuildDir(directory, path, messages=list(mk.messages))
    subdir_ccflags = (inherited_ccflags or []) + mk.words("subdir-ccflags-y")
    result.ccflags = subdir_ccflags + mk.words("ccflags-y") + mk.words("EXTRA_CFLAGS") \
        + mk.words("cppflags-y") + mk.words("EXTRA_CPPFLAGS")
    obj_y = set(mk.words("obj-y"))
    seen: set[str] = set()
    for entry in mk.words("obj-m"):
        if entry in obj_y or entry in seen:
            continue
        seen.add(entry)
        if entry.endswith("/"):
            sub = directory / entry.rstrip("/")
            result.subdirs.append(read_kbuild_dir(sub, release=release, config=config,
                                                  variables=variables, inherited_ccflags=subdir_ccflags))
            continue
        if not entry.endswith(".o"):
            continue
        stem = entry[:-2]
        parts = mk.words(f"{stem}-objs") + mk.words(f"{stem}-y") + mk.words(f"{stem}-m")
        if parts:
            result.modules.append(ModuleSpec(stem, list(dict.fromkeys(parts)), True))
        else:
            result.modules.append(ModuleSpec(stem, [entry], False))
    objs = {o for m in result.modules for o in m.objects} | {f"{m.name}.o" for m in result.modules}
    for obj in objs:
        base_obj = os.path.basename(obj)
        flags = mk.words(f"CFLAGS_{base_obj}")
        if flags:
            result.obj_cflags[obj] = flags
        remove = mk.words(f"CFLAGS_REMOVE_{base_obj}")
        if remove:
            result.obj_cflags_remove[obj] = remove
    return result
