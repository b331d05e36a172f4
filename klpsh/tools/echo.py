"""echo [-neE] TEXT...: print the arguments (bash's builtin). `> FILE` is the shell's redirection."""

from __future__ import annotations

import codecs
import re

from klpsh.tools import ToolContext, tool

_OPTION = re.compile(r"-[neE]+")


@tool("echo", "echo [-neE] TEXT... [> FILE]", "print TEXT, or write it to a /sys or /proc file")
def echo(ctx: ToolContext, args: list[str]) -> int:
    flags = {"n": False, "e": False}  # -n: no newline; -e/-E: (don't) interpret backslashes
    while args and _OPTION.fullmatch(args[0]):
        for c in args[0][1:]:
            flags["n" if c == "n" else "e"] = c != "E"
        args = args[1:]
    text = " ".join(args)
    if flags["e"]:
        text = codecs.decode(text.encode("latin-1", "backslashreplace"), "unicode_escape")
    ctx.out(text if flags["n"] else text + "\n")
    return 0
