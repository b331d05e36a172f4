"""Random shell input: command lines built from the tools' names, odd words (quotes,
escapes, NUL and control bytes, invalid UTF-8 as batch mode decodes it, huge and odd
numbers, options), paths of /sys and /proc files, redirections into them and pipes. Each
line must get the shell's or the tool's own answer, never an internal error."""

from __future__ import annotations

import random
from pathlib import Path

from fuzz.common import Findings, Hang, deadline, shell_bugs

REPO = Path(__file__).resolve().parent.parent
PER_BOOT = 300
SAMPLES = ("livepatch-callbacks-demo", "livepatch-callbacks-mod", "livepatch-callbacks-busymod",
           "livepatch-sample", "livepatch-shadow-mod", "livepatch-shadow-fix1")
WORDS = ("", "-", "--", "-e", "-n", "-E", "-f", "-r", "-a", "-l", "-c", "-v", "-i", "-s", "--help",
         "-n 3", "0", "1", "-1", "2", "1e9", "1e99999", "inf", "nan", "0x10", "-0", "1.5s", "2m",
         "99999999999999999999999999", "9" * 400, "'", '"', "\\", "\\\\", "'\\''", '"$x"', "$", "`",
         "\\x41", "\\U7fffffff", "\\c", "\\0101", "%s%n%p", "\x00", "\x01\x02", "\x7f", "\ufffd",
         "\udcff", "é", "\u202e", "\t", "a b", ">", ">>", "|", "||", "&", ";", "&&", "#", "*", "?",
         "~", "..", "/", "//", "/sys", "/proc", "/dev/null", "/dev/zero", "nowhere.ko", "x" * 5000,
         "sleep_secs=1", "sleep_secs=-1", "pre_patch_ret=-19", "pre_patch_ret=99999999999",
         "a=b", "=", "==", "raise")
COMMANDS = ("cat", "clear", "dmesg", "echo", "grep", "head", "help", "insmod", "ls", "lsmod",
            "modinfo", "modprobe", "ps", "rmmod", "sleep", "tail", "uname", "wc", "irq", "nosuch", "")


def _paths(sh: object) -> list[str]:
    """Files and directories under /sys and /proc the machine has now."""
    from kernel.errno import KernelError
    k = sh.kernel   # type: ignore[attr-defined]
    out: list[str] = []

    def walk(path: str, depth: int) -> None:
        try:
            names = k.fs.listdir(path)
        except KernelError:
            return
        for name in names:
            p = f"{path}/{name}"
            out.append(p)
            if depth and k.fs.isdir(p):
                walk(p, depth - 1)
    walk("/sys", 4)
    walk("/proc", 1)
    return out


def _word(rng: random.Random, paths: list[str]) -> str:
    c = rng.randrange(10)
    if c < 4:
        return rng.choice(WORDS)
    if c < 6:
        return rng.choice(paths)
    if c == 6:
        return f"samples/livepatch/{rng.choice(SAMPLES)}.ko"
    if c == 7:
        return rng.choice(SAMPLES).replace("-", "_")
    if c == 8:
        return rng.randbytes(rng.randrange(1, 12)).decode("utf-8", "replace")
    return str(rng.choice((rng.getrandbits(64), -rng.getrandbits(70), f"{rng.random()}e{rng.randrange(-400, 400)}")))


def _line(rng: random.Random, paths: list[str]) -> str:
    if rng.random() < 0.05:
        return rng.randbytes(rng.randrange(60)).decode("utf-8", "replace")
    words = [rng.choice(COMMANDS)] + [_word(rng, paths) for _ in range(rng.randrange(5))]
    line = " ".join(words)
    c = rng.random()
    if c < 0.25:
        line += f" > {rng.choice(paths)}"
    elif c < 0.3:
        line += f" >> {rng.choice(paths)}"
    elif c < 0.4:
        line += f" | {rng.choice(('grep', 'head', 'tail', 'wc', 'cat'))} {_word(rng, paths)}"
    return line


def _boot(elf_cache: object = None) -> object:
    from kernel.machine import Kernel
    from klpsh.shell import Shell
    k = Kernel.boot(elf_cache=elf_cache)   # type: ignore[arg-type]
    out: list[str] = []
    sh = Shell(k, out.append, cwd=REPO)
    sh.fuzz_out = out   # type: ignore[attr-defined]
    return sh


def fuzz_shell_input(seed: int, count: int, findings: Findings, elf_cache: object = None) -> None:
    """COUNT random command lines into the batch shell."""
    rng = random.Random(seed)
    sh = _boot(elf_cache)
    paths = _paths(sh)
    since = 0
    for i in range(count):
        line = _line(rng, paths)
        out = sh.fuzz_out   # type: ignore[attr-defined]
        start = len(out)
        findings.cases += 1
        fresh = since >= PER_BOOT
        since += 1
        try:
            with deadline():
                sh.run_line(line)   # type: ignore[attr-defined]
            findings.note("ran")
        except Hang:
            findings.hang(repr(line))
            fresh = True
        except Exception as e:  # noqa: BLE001 - what the fuzzer is looking for
            findings.internal_error(f"{line!r}: {type(e).__name__}: {e}")
            fresh = True
        for bad in shell_bugs(out[start:]):
            findings.internal_error(f"{line!r}: {bad}")
        if sh.exit_status is not None:   # type: ignore[attr-defined]
            fresh = True
        if since % 50 == 0:
            paths = _paths(sh)
        if fresh:
            try:
                sh.kernel.shutdown()   # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001
                pass
            sh, since = _boot(elf_cache), 0
            paths = _paths(sh)
    sh.kernel.shutdown()   # type: ignore[attr-defined]
