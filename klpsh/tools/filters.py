"""The filters a pipe feeds: head, tail, grep, wc (coreutils and GNU grep wording and output).

Each reads the files it is given (of the machine's /sys and /proc, `-` for stdin) or else its
stdin, the output of the command before it in the pipe (`dmesg | grep -i livepatch | tail -n 3`).
"""

from __future__ import annotations

import re
from typing import Callable

from klpsh.tools import ToolContext, parse_options, tool

DEFAULT_LINES = 10
_OBSOLETE_COUNT = re.compile(r"^-(\d+)$")       # `head -5`, `tail -3`


def _lines(text: str) -> list[str]:
    """TEXT as lines, each with its newline (the last may lack one)."""
    return text.splitlines(keepends=True)


def _count(ctx: ToolContext, prog: str, value: str, what: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        ctx.errln(f"{prog}: invalid number of {what}: ‘{value}’")
        return None


def _obsolete(args: list[str]) -> list[str]:
    """`-N` as `-n N` (the obsolete form people still type)."""
    out: list[str] = []
    for i, a in enumerate(args):
        m = _OBSOLETE_COUNT.match(a)
        takes_value = i > 0 and args[i - 1] in ("-n", "-c", "--lines", "--bytes")
        out.append(f"-n{m.group(1)}" if m and not takes_value else a)
    return out


def _head_tail(ctx: ToolContext, prog: str, args: list[str],
               take: Callable[[str, int, bool, bool], str]) -> int:
    parsed = parse_options(ctx, prog, _obsolete(args), "n:c:qvf",
                           ("lines=", "bytes=", "quiet", "silent", "verbose", "follow"), hint=True)
    if parsed is None:
        return 1
    opts, files = parsed
    n, by_bytes, header = DEFAULT_LINES, False, len(files) > 1
    plus = False
    for o, v in opts:
        if o in ("-n", "--lines", "-c", "--bytes"):
            by_bytes = o in ("-c", "--bytes")
            plus = v.startswith("+")
            got = _count(ctx, prog, v.lstrip("+"), "bytes" if by_bytes else "lines")
            if got is None:
                return 1
            n = got
        elif o in ("-q", "--quiet", "--silent"):
            header = False
        elif o in ("-v", "--verbose"):
            header = True
    if prog == "head" and n >= 0 and files and "-" not in files:
        inputs, status = _head_inputs(ctx, files, n, by_bytes)
    else:
        inputs, status = ctx.inputs(prog, files)
    for i, (name, text) in enumerate(inputs):
        if header:
            ctx.out(("\n" if i else "") + f"==> {name} <==\n")
        ctx.out(take(text, n, by_bytes, plus))
    return status


HEAD_BUFSIZ = 8192      # coreutils head reads BUFSIZ at a time (-c N: at most N)


def _head_inputs(ctx: ToolContext, files: list[str], n: int, by_bytes: bool) -> tuple[list[tuple[str, str]], int]:
    """What head reads of each file: read(2) after read(2) until it has N bytes or lines,
    then it closes the file (a device that never ends is read no further)."""
    from kernel.errno import KernelError, strerror
    from kernel.fs.syscalls import StreamStopped
    read_stream = getattr(ctx.kernel.fs, "read_stream", None)
    if read_stream is None:
        return ctx.inputs("head", files)
    got: list[tuple[str, str]] = []
    status = 0
    for name in files:
        parts: list[str] = []
        have = 0
        stream = read_stream(name, comm="head", chunk=min(n, HEAD_BUFSIZ) if by_bytes else HEAD_BUFSIZ)
        try:
            for data in stream:
                text = data.decode("latin-1")
                parts.append(text)
                have += len(text) if by_bytes else text.count("\n")
                if have >= n:
                    break
        except KernelError as e:
            ctx.errln(f"head: {name}: {strerror(e.errno)}")
            status = 1
            continue
        except StreamStopped as e:
            ctx.errln(e.end.message("head", name))
            status = 1
        finally:
            stream.close()
        got.append((name, "".join(parts)))
    return got, status


def _head(text: str, n: int, by_bytes: bool, _plus: bool) -> str:
    if by_bytes:
        return text[:n] if n >= 0 else text[:n]
    lines = _lines(text)
    return "".join(lines[:n] if n >= 0 else lines[:len(lines) + n])


def _tail(text: str, n: int, by_bytes: bool, plus: bool) -> str:
    n = abs(n)
    if by_bytes:
        return text[max(n - 1, 0):] if plus else (text[-n:] if n else "")
    lines = _lines(text)
    return "".join(lines[max(n - 1, 0):] if plus else (lines[-n:] if n else []))


@tool("head", "head [-n N] [-c N] [FILE...]", "the first lines of a file or of a pipe (10 by default)")
def head(ctx: ToolContext, args: list[str]) -> int:
    return _head_tail(ctx, "head", args, _head)


@tool("tail", "tail [-n [+]N] [-c N] [FILE...]", "the last lines of a file or of a pipe (10 by default)")
def tail(ctx: ToolContext, args: list[str]) -> int:
    return _head_tail(ctx, "tail", args, _tail)


# --- grep ---------------------------------------------------------------------------------
_POSIX_CLASSES = {"alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z",
                  "lower": "a-z", "space": r" \t\n\r\f\v", "blank": r" \t", "punct": r"!-/:-@\[-`{-~",
                  "xdigit": "0-9A-Fa-f", "word": r"\w", "print": r" -~", "graph": r"!-~",
                  "cntrl": r"\x00-\x1f\x7f"}
_BRE_ESCAPES = {"(": "(", ")": ")", "{": "{", "}": "}", "|": "|", "+": "+", "?": "?"}


def _bracket(pat: str, i: int) -> tuple[str, int]:
    """A bracket expression starting at PAT[i] == '[' as a Python class; the index after it."""
    j = i + 1
    out = "["
    if j < len(pat) and pat[j] == "^":
        out += "^"
        j += 1
    if j < len(pat) and pat[j] == "]":
        out += r"\]"
        j += 1
    while j < len(pat) and pat[j] != "]":
        if pat.startswith("[:", j):
            end = pat.find(":]", j + 2)
            if end < 0:
                raise re.error("unterminated character class")
            name = pat[j + 2:end]
            if name not in _POSIX_CLASSES:
                raise re.error("invalid character class")
            out += _POSIX_CLASSES[name]
            j = end + 2
            continue
        c = pat[j]
        out += "\\" + c if c in "\\[" else c
        j += 1
    if j >= len(pat):
        raise re.error("Unmatched [, [^, [:, [., or [=")
    return out + "]", j + 1


def posix_regex(pat: str, extended: bool) -> str:
    """A POSIX basic (or, EXTENDED, extended) regular expression as Python's re syntax."""
    out: list[str] = []
    i = 0
    at_start = True            # where a BRE's `*` is a literal
    while i < len(pat):
        c = pat[i]
        if c == "\\" and i + 1 < len(pat):
            d = pat[i + 1]
            if d in "<>":
                out.append(r"\b")
            elif not extended and d in _BRE_ESCAPES:
                out.append(_BRE_ESCAPES[d])
            elif d in "wWsSbB":
                out.append("\\" + d)
            else:
                out.append(re.escape(d))
            at_start = d in "(|" and not extended
            i += 2
            continue
        if c == "[":
            cls, i = _bracket(pat, i)
            out.append(cls)
            at_start = False
            continue
        if not extended and c in "(){}|+?":
            out.append("\\" + c)
        elif c == "*" and at_start:
            out.append(r"\*")
        elif extended and c == "{" and not re.match(r"\{\d*(,\d*)?\}", pat[i:]):
            out.append(r"\{")
        else:
            out.append(c)
        at_start = (extended and c in "(|") or (c == "^" and at_start)
        i += 1
    return "".join(out)


@tool("grep", "grep [-cEFilnvwx] PATTERN [FILE...]", "print lines that match PATTERN (of files or a pipe)")
def grep(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "grep", args, "cEFGilLnvwxqshHe:o",
                           ("count", "extended-regexp", "fixed-strings", "ignore-case",
                            "files-with-matches", "files-without-match", "line-number",
                            "invert-match", "word-regexp", "line-regexp", "quiet", "silent",
                            "no-messages", "no-filename", "with-filename", "regexp=", "only-matching"))
    if parsed is None:
        ctx.errln("Usage: grep [OPTION]... PATTERNS [FILE]...")
        ctx.errln("Try 'grep --help' for more information.")
        return 2
    opts, rest = parsed
    flags = {o for o, _ in opts}
    patterns = [v for o, v in opts if o in ("-e", "--regexp")]
    if not patterns:
        if not rest:
            ctx.errln("Usage: grep [OPTION]... PATTERNS [FILE]...")
            ctx.errln("Try 'grep --help' for more information.")
            return 2
        patterns, rest = [rest[0]], rest[1:]
    patterns = [p for pat in patterns for p in pat.split("\n")]
    fixed = bool(flags & {"-F", "--fixed-strings"})
    extended = bool(flags & {"-E", "--extended-regexp"})
    try:
        parts = [re.escape(p) if fixed else posix_regex(p, extended) for p in patterns]
        body = "|".join(f"(?:{p})" for p in parts)
        if flags & {"-x", "--line-regexp"}:
            body = f"^(?:{body})$"
        elif flags & {"-w", "--word-regexp"}:
            body = rf"(?<!\w)(?:{body})(?!\w)"
        rx = re.compile(body, re.IGNORECASE if flags & {"-i", "--ignore-case"} else 0)
    except re.error as e:
        ctx.errln(f"grep: {str(e)[:1].upper() + str(e)[1:]}")
        return 2
    inputs, status = ctx.inputs("grep", rest)
    if flags & {"-s", "--no-messages"}:
        pass
    invert = bool(flags & {"-v", "--invert-match"})
    named = (len(rest) > 1 or "-H" in flags or "--with-filename" in flags) and not \
        flags & {"-h", "--no-filename"}
    quiet = bool(flags & {"-q", "--quiet", "--silent"})
    found = False
    for name, text in inputs:
        hits = 0
        for n, line in enumerate(text.splitlines(), 1):
            m = rx.search(line)
            if bool(m) == invert:
                continue
            hits += 1
            found = True
            if quiet or flags & {"-c", "--count", "-l", "--files-with-matches", "-L",
                                 "--files-without-match"}:
                continue
            prefix = (f"{name}:" if named else "") + (f"{n}:" if flags & {"-n", "--line-number"} else "")
            if flags & {"-o", "--only-matching"} and not invert:
                for mm in rx.finditer(line):
                    if mm.group(0):
                        ctx.outln(prefix + mm.group(0))
            else:
                ctx.outln(prefix + line)
        if quiet:
            continue
        if flags & {"-l", "--files-with-matches"}:
            if hits:
                ctx.outln(name)
        elif flags & {"-L", "--files-without-match"}:
            if not hits:
                ctx.outln(name)
        elif flags & {"-c", "--count"}:
            ctx.outln((f"{name}:" if named else "") + str(hits))
    if status and not (quiet and found):
        return 2
    return 0 if found else 1


# --- wc -----------------------------------------------------------------------------------
_WC_FIELDS = (("-l", "--lines"), ("-w", "--words"), ("-m", "--chars"), ("-c", "--bytes"))


@tool("wc", "wc [-lwmc] [FILE...]", "count the lines, words and bytes of files or of a pipe")
def wc(ctx: ToolContext, args: list[str]) -> int:
    parsed = parse_options(ctx, "wc", args, "lwmcL", ("lines", "words", "chars", "bytes"), hint=True)
    if parsed is None:
        return 1
    opts, files = parsed
    asked = {o for o, _ in opts}
    fields = [f for f in _WC_FIELDS if asked & set(f)] or [_WC_FIELDS[0], _WC_FIELDS[1], _WC_FIELDS[3]]
    inputs, status = ctx.inputs("wc", files)
    rows: list[tuple[list[int], str]] = []
    for name, text in inputs:
        counts = {"-l": text.count("\n"), "-w": len(text.split()), "-m": len(text),
                  "-c": len(text.encode())}
        rows.append(([counts[f[0]] for f in fields], name if files else ""))
    if len(rows) > 1:
        rows.append(([sum(r[0][i] for r in rows) for i in range(len(fields))], "total"))
    # coreutils: one number alone is not padded; from stdin the columns are 7 wide, from
    # files as wide as the largest count
    if len(fields) == 1 and len(inputs) == 1:
        width = 1
    elif not files:
        width = 7
    else:
        width = max((len(str(c)) for r in rows for c in r[0]), default=1)
    for counts, name in rows:
        line = " ".join(f"{c:>{width}}" for c in counts)
        ctx.outln(f"{line} {name}" if name else line)
    return status
