"""Pygments lexers for klpsh: the command language, dmesg lines, and whole transcripts.

They are ordinary Pygments lexers, registered as plugins (`pygmentize -l klpsh script.klp`,
`-l klpsh-dmesg`, `-l klpsh-transcript`), and the REPL highlights with them. `KlpshStyle` is the
matching Pygments style; `LEVEL_CLASSES` names the classes the REPL adds for printk levels.
"""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, include, using
from pygments.style import Style
from pygments.token import (Comment, Error, Generic, Keyword, Name, Number, Operator, String,
                            Text, Token, Whitespace)

__all__ = ["KlpshLexer", "DmesgLexer", "TranscriptLexer", "KlpshStyle", "LEVEL_CLASSES"]

# Words that make a kernel line worth noticing (failures, refusals, splats).
_TROUBLE = (r"\b(ERROR|error|failed|fails|refusing|BUG|Oops|WARNING|Unknown symbol|unknown parameter"
            r"|invalid|not found|unresolvable|Call Trace|soft lockup|cut here|tainting kernel"
            r"|likely not compiled)\b")

# printk levels (0 emerg .. 7 debug) -> the class the REPL adds to a whole console line.
LEVEL_CLASSES = ("level.emerg", "level.alert", "level.crit", "level.err",
                 "level.warn", "level.notice", "level.info", "level.debug")


class KlpshLexer(RegexLexer):
    """The klpsh command line: a command, options, `name=value` parameters, paths, `> FILE`."""

    name = "klpsh"
    aliases = ["klpsh"]
    filenames = ["*.klp"]

    tokens = {
        "root": [
            (r"\n", Whitespace),
            (r"[ \t]+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r"(?:[^\s#>'\"]|'[^'\n]*'?|\"(?:\\.|[^\"\\\n])*\"?)+", Keyword, "args"),
            (r">>?", Operator, "args"),
        ],
        "args": [
            (r"\n", Whitespace, "#pop"),
            (r"[ \t]+", Whitespace),
            (r"#.*?$", Comment.Single),
            (r">>?", Operator),
            (r"-{1,2}[A-Za-z][\w-]*(?=[\s=]|$)", Name.Attribute),
            (r"([A-Za-z_][\w.-]*)(=)", bygroups(Name.Variable, Operator), "value"),
            (r"/(?:sys|proc)(?:/[^\s>'\"]*)?", Name.Constant),
            (r"[^\s>'\"]+\.(?:ko|c)(?=\s|$)", String.Other),
            (r"-?\d+(?:\.\d+)?[smhd]?(?=\s|$)", Number),
            include("quoted"),
            (r"[^\s>'\"]+", Text),
        ],
        "value": [
            include("quoted"),
            (r"-?(?:0x[0-9a-fA-F]+|\d+)(?=\s|$)", Number, "#pop"),
            (r"[^\s'\"]+", String, "#pop"),
            (r"", Text, "#pop"),
        ],
        "quoted": [
            (r"'[^'\n]*'?", String.Single),
            (r'"(?:\\.|[^"\\\n])*"?', String.Double),
        ],
    }


class DmesgLexer(RegexLexer):
    """Kernel log lines as dmesg and the console print them: `[ 12.345678] prefix: message`.

    A raw `<N>` level prefix (as `/dev/kmsg` and `dmesg -r` show) is recognised too.
    """

    name = "klpsh dmesg"
    aliases = ["klpsh-dmesg"]  # Pygments' own KernelLogLexer answers to "dmesg" and "kmsg"
    filenames = ["*.dmesg"]

    tokens = {
        "root": [
            (r"\n", Whitespace),
            (r"^[ \t]+", Whitespace),
            (r"<[0-7]>", Generic.Prompt),
            (r"\[\s*\d+\.\d+\]", Comment.Special, "prefix"),
            (r"", Text, "message"),
        ],
        "prefix": [
            (r"[ \t]+", Whitespace),
            (r"(livepatch)(:)(?=\s)", bygroups(Keyword.Namespace, Operator), "message"),
            (r"([\w.-]+)(:)(?=\s)", bygroups(Name.Namespace, Operator), "message"),
            (r"", Text, "message"),
        ],
        "message": [
            (r"\n", Whitespace, "#pop:2"),
            (_TROUBLE, Generic.Error),
            (r"'[^'\n]*'", String.Single),
            (r"\[MODULE_STATE_\w+\]", Name.Constant),
            (r"\[<[0-9a-f]+>\]", Comment.Special),
            (r"\b[\w.]+\+0x[0-9a-f]+/0x[0-9a-f]+\b", Name.Function),
            (r"\[[\w-]+\]", Name.Namespace),
            (r"->", Operator),
            (r"\b(?:0x)?[0-9a-f]{8,16}\b", Number.Hex),
            (r"-?\b\d+\b", Number),
            (r"[^\n'\[\-\d\w]+|[\w]+|.", Text),
        ],
    }


class TranscriptLexer(RegexLexer):
    """A klpsh transcript (batch output, callbacks.txt examples): `% command`, kernel lines,
    tool output."""

    name = "klpsh transcript"
    aliases = ["klpsh-transcript"]
    filenames = ["*.transcript"]

    tokens = {
        "root": [
            (r"^([ \t]*)(%)([ \t]?)(.*\n?)",
             bygroups(Whitespace, Generic.Prompt, Whitespace, using(KlpshLexer))),
            (r"^[ \t]*(?=<[0-7]>|\[\s*\d+\.\d+\])[^\n]*\n?", using(DmesgLexer)),
            (r"^[ \t]*#[^\n]*\n?", Comment.Single),
            (r"^[^\n]*\b(?:ERROR|error|No such|cannot|not found|invalid)\b[^\n]*\n?", Generic.Error),
            # Every rule consumes something: an empty match at the end would never finish.
            (r"[^\n]+\n?|\n", Generic.Output),
        ],
    }


class KlpshStyle(Style):
    """Colours for the lexers above on a dark or light terminal (16-colour safe)."""

    styles = {
        Token: "",
        Comment: "italic #808080",
        Comment.Special: "#5f87af",
        Keyword: "bold #5fafff",
        Keyword.Namespace: "bold #d787ff",
        Name.Attribute: "#d7af5f",
        Name.Variable: "#87d7d7",
        Name.Constant: "#87af87",
        Name.Namespace: "#af87ff",
        Name.Function: "#87afd7",
        Number: "#d7875f",
        Operator: "#afafaf",
        String: "#87d787",
        String.Other: "#87d787 underline",
        Generic.Prompt: "bold #808080",
        Generic.Output: "",
        Generic.Error: "bold #ff5f5f",
        Error: "bg:#ff5f5f #000000",
    }
