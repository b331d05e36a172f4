"""echo [-neE] TEXT...: print the arguments (bash's builtin). `> FILE` is the shell's redirection."""

from __future__ import annotations

from klpsh.tools import ToolContext, tool

_SIMPLE = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
           "t": "\t", "v": "\v", "\\": "\\"}
# \xHH, \uHHHH, \UHHHHHHHH: how many hex digits each takes at most
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}
_HEX = "0123456789abcdefABCDEF"
MAX_UNICODE = 0x10FFFF


class _Stop(Exception):
    """\\c: produce no further output."""


def _hex_run(text: str, i: int, limit: int) -> str:
    j = i
    while j < len(text) and j - i < limit and text[j] in _HEX:
        j += 1
    return text[i:j]


def expand_escapes(text: str) -> tuple[str, bool]:
    """bash's echo -e: the text with backslash escapes done, and whether \\c cut it short.
    An unknown escape, or a lone backslash at the end, stays as written; a code point no
    character has is written back as its escape (as bash does outside a UTF-8 locale)."""
    out: list[str] = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        e = text[i + 1]
        i += 2
        if e in _SIMPLE:
            out.append(_SIMPLE[e])
        elif e == "c":
            return "".join(out), True
        elif e == "0":
            digits = ""
            while i < n and len(digits) < 3 and text[i] in "01234567":
                digits += text[i]
                i += 1
            out.append(chr(int(digits or "0", 8) & 0xFF))
        elif e in _HEX_DIGITS:
            digits = _hex_run(text, i, _HEX_DIGITS[e])
            if not digits:
                out.append("\\" + e)
                continue
            i += len(digits)
            code = int(digits, 16)
            if e == "x":
                out.append(chr(code))
            elif code > MAX_UNICODE or 0xD800 <= code <= 0xDFFF:
                out.append(f"\\u{code:04X}" if e == "u" else f"\\U{code:08X}")
            else:
                out.append(chr(code))
        else:
            out.append("\\" + e)
    return "".join(out), False


@tool("echo", "echo [-neE] TEXT... [> FILE]", "print TEXT, or write it to a /sys or /proc file")
def echo(ctx: ToolContext, args: list[str]) -> int:
    flags = {"n": False, "e": False}  # -n: no newline; -e/-E: (don't) interpret backslashes
    while args and len(args[0]) > 1 and args[0][0] == "-" and not args[0][1:].strip("neE"):  # -[neE]+
        for c in args[0][1:]:
            flags["n" if c == "n" else "e"] = c != "E"
        args = args[1:]
    text = " ".join(args)
    newline = not flags["n"]
    if flags["e"]:
        text, stopped = expand_escapes(text)
        newline = newline and not stopped
    ctx.out(text + "\n" if newline else text)
    return 0
