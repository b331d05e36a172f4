"""The Pygments lexers: what they pick out, that they keep every character and never give up."""

from __future__ import annotations

import random

import pytest
from pygments.token import Comment, Error, Generic, Keyword, Name, Number, Operator, String

from klpsh.highlight import DmesgLexer, KlpshLexer, KlpshStyle, TranscriptLexer

LEXERS = (KlpshLexer, DmesgLexer, TranscriptLexer)


def tokens(lexer: type, text: str) -> list[tuple[object, str]]:
    return [(t, v) for t, v in lexer(stripnl=False).get_tokens(text) if v.strip()]


def test_command_line() -> None:
    got = tokens(KlpshLexer, "insmod samples/livepatch/livepatch-callbacks-demo.ko pre_patch_ret=-19  # why\n")
    assert got == [(Keyword, "insmod"), (String.Other, "samples/livepatch/livepatch-callbacks-demo.ko"),
                   (Name.Variable, "pre_patch_ret"), (Operator, "="), (Number, "-19"),
                   (Comment.Single, "# why")]
    got = tokens(KlpshLexer, "echo -n 0 > /sys/kernel/livepatch/p/enabled\n")
    assert got == [(Keyword, "echo"), (Name.Attribute, "-n"), (Number, "0"), (Operator, ">"),
                   (Name.Constant, "/sys/kernel/livepatch/p/enabled")]
    assert tokens(KlpshLexer, "echo 'a > b'\n")[1] == (String.Single, "'a > b'")


def test_dmesg_line() -> None:
    got = tokens(DmesgLexer, "[   36.503719] livepatch: enabling patch 'livepatch_callbacks_demo'\n")
    assert got[:3] == [(Comment.Special, "[   36.503719]"), (Keyword.Namespace, "livepatch"), (Operator, ":")]
    assert got[-1] == (String.Single, "'livepatch_callbacks_demo'")
    got = dict((v, t) for t, v in tokens(DmesgLexer, "[ 1.000000] livepatch_callbacks_demo: pre_patch_callback: "
                                             "livepatch_callbacks_mod -> [MODULE_STATE_COMING] Full formed\n"))
    assert got["livepatch_callbacks_demo"] is Name.Namespace
    assert got["[MODULE_STATE_COMING]"] is Name.Constant and got["->"] is Operator
    assert (Generic.Error, "failed") in tokens(DmesgLexer, "[ 2.0] livepatch: pre-patch callback failed for object 'vmlinux'\n")
    stack = tokens(DmesgLexer, "[<0>] busymod_work_func+0x2e/0x50 [livepatch_callbacks_busymod]\n")
    assert stack == [(Comment.Special, "[<0>]"), (Name.Function, "busymod_work_func+0x2e/0x50"),
                     (Name.Namespace, "[livepatch_callbacks_busymod]")]
    assert tokens(DmesgLexer, "<3>[ 1.0] x: y\n")[0] == (Generic.Prompt, "<3>")


def test_transcript_delegates_by_line_kind() -> None:
    got = tokens(TranscriptLexer, "% rmmod x\n[ 1.0] livepatch: hi\nrmmod: ERROR: Module x is in use\nok\n")
    assert got[0] == (Generic.Prompt, "%") and got[1] == (Keyword, "rmmod")
    assert (Keyword.Namespace, "livepatch") in got
    assert (Generic.Error, "rmmod: ERROR: Module x is in use\n") in got
    assert got[-1] == (Generic.Output, "ok\n")


@pytest.mark.parametrize("lexer", LEXERS, ids=lambda lx: lx.__name__)
def test_every_character_kept_and_no_error_tokens(lexer: type) -> None:
    rng = random.Random(19)
    alphabet = "ab %[]<>0123456789.:'\"#=-/\n\t\\_x"
    for _ in range(1500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) + "\n"
        toks = list(lexer(stripnl=False).get_tokens(text))
        assert "".join(v for _, v in toks) == text
        assert not any(t is Error for t, _ in toks), text


def test_style_covers_the_tokens_the_lexers_emit() -> None:
    for token in (Keyword, Keyword.Namespace, Name.Namespace, Generic.Error, Comment.Special, String):
        assert KlpshStyle.style_for_token(token)["color"]


def test_registered_as_pygments_plugins() -> None:
    """`pygmentize -l klpsh` etc. work once klpsh is installed (entry points in pyproject)."""
    from importlib.metadata import entry_points

    from pygments.lexers import get_lexer_by_name
    from pygments.styles import get_style_by_name

    assert {"klpsh", "klpsh-dmesg", "klpsh-transcript"} <= {ep.name for ep in entry_points(group="pygments.lexers")}
    assert isinstance(get_lexer_by_name("klpsh"), KlpshLexer)
    assert isinstance(get_lexer_by_name("klpsh-dmesg"), DmesgLexer)
    assert isinstance(get_lexer_by_name("klpsh-transcript"), TranscriptLexer)
    assert get_style_by_name("klpsh") is KlpshStyle
