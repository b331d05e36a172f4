"""Random command sequences over the callback modules, checked against the rules of callbacks.txt.

A hypothesis state machine types insmod/rmmod of livepatch-callbacks-{demo,mod,busymod}, enable and
disable writes, pre_patch_ret writes and sleeps into the batch shell. Every callback line the demo
module prints is parsed from the kernel log and held to the document's rules:

* an unpatch callback runs only if its patch callback ran: post_unpatch only for an object whose
  pre_patch succeeded, at most once per such pre_patch; pre_unpatch only after a post_patch;
* nothing but a post_unpatch follows a failed enable, and an object whose pre_patch failed gets no
  other callback until a pre_patch succeeds;
* callbacks are symmetric: a module object that is not loaded, and every object once the patch is
  disabled (or gone) and no transition runs, has had as many unpatch as patch callbacks;
* a module object's callbacks run only while it is loaded, the livepatch enabled, show the module
  state of the moment (COMING while loading, GOING while unloading, also when a bad parameter
  unwinds a load, LIVE otherwise), and run before its init / after its exit;

and the machine's bookkeeping is checked each step: the demo module's refcnt is 1 exactly while it
is enabled or in transition, the target modules are never pinned, the sysfs files agree with the
kernel, every task's patch_state is -1 outside a transition, and no command prints a Python
traceback, an internal error or a kernel WARNING/Oops.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

REPO = Path(__file__).resolve().parent.parent
DEMO, MOD, BUSY = "livepatch_callbacks_demo", "livepatch_callbacks_mod", "livepatch_callbacks_busymod"
FILES = {DEMO: "livepatch-callbacks-demo", MOD: "livepatch-callbacks-mod", BUSY: "livepatch-callbacks-busymod"}
OBJECTS = ("vmlinux", MOD, BUSY)
ENABLED = f"/sys/kernel/livepatch/{DEMO}/enabled"
TRANSITION = f"/sys/kernel/livepatch/{DEMO}/transition"
PRE_PATCH_RET = f"/sys/module/{DEMO}/parameters/pre_patch_ret"

KERNEL_LINE = re.compile(r"^\[ *\d+\.\d{6}\] (.*)$")
CALLBACK = re.compile(rf"^{DEMO}: (pre_patch|post_patch|pre_unpatch|post_unpatch)_callback: "
                      r"(vmlinux|(\S+) -> \[MODULE_STATE_(\w+)\] .*)$")
PRE_PATCH_FAILED = re.compile(r"^livepatch: pre-patch callback failed for object '(\S+)'$")
APPLYING = re.compile(rf"^livepatch: applying patch '{DEMO}' to loading module '(\S+)'$")
REVERTING = re.compile(rf"^livepatch: reverting patch '{DEMO}' on unloading module '(\S+)'$")
BAD = ("Traceback", "internal error", "WARNING:", "BUG:", "Oops", "Call Trace")


@dataclass
class ObjHistory:
    """What callbacks.txt lets us know about one object: counts and the pairing state."""

    pre_ok: int = 0          # successful pre_patch callbacks
    post_patch: int = 0
    pre_unpatch: int = 0
    post_unpatch: int = 0
    armed: bool = False      # a successful pre_patch awaits its post_unpatch
    failed: bool = False     # the last pre_patch failed

    def balanced(self) -> bool:
        return (self.pre_ok, self.post_patch) == (self.post_unpatch, self.pre_unpatch) and not self.armed


class CallbackRules(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        from kernel.machine import Kernel
        from klpsh.shell import Shell

        self.k = Kernel.boot(clock_mode="virtual", elf_cache=_elf_cache())
        self.out: list[str] = []
        self.shell = Shell(self.k, self.out.append, cwd=REPO)
        self.loaded: set[str] = set()     # the modules the tools' results say are loaded
        self.hist = {obj: ObjHistory() for obj in OBJECTS}

    def teardown(self) -> None:
        """The sequence is over: power the machine off (a thousand sequences would otherwise
        keep a thousand machines' memory)."""
        self.k.shutdown()

    # --- driving the shell ---------------------------------------------------------------
    def run(self, line: str) -> tuple[list[str], list[str]]:
        """Type LINE; (kernel line texts, tool output lines) it printed, in order."""
        lp = self.k.livepatch
        self.active_before = lp.transition_patch is not None or any(p.enabled for p in lp.patches)
        start = len(self.out)
        self.shell.run_line(line)
        printed = self.out[start:]
        assert printed and printed[0] == f"% {line}"
        for text in printed[1:]:
            assert not any(b in text for b in BAD), f"{line!r} printed {text!r}"
        kernel = [m[1] for m in map(KERNEL_LINE.match, printed[1:]) if m]
        tools = [t for t in printed[1:] if not KERNEL_LINE.match(t)]
        self.feed(line, kernel)
        return kernel, tools

    def feed(self, command: str, lines: list[str]) -> None:
        """Hold every callback line of one command to the rules."""
        words = command.split()
        loading = FILES_TO_NAME.get(words[1]) if words[0] == "insmod" else None
        unloading = FILES_TO_NAME.get(words[1], words[1]) if words[0] == "rmmod" else None
        after_failed_enable = False
        last_pre: str | None = None
        for i, text in enumerate(lines):
            if loading and text.startswith(f"{loading}: `") and " invalid for parameter " in text:
                unloading = loading      # a bad parameter: the loader unwinds the coming module
                continue
            m = PRE_PATCH_FAILED.match(text)
            if m:
                assert m[1] == last_pre, f"the failure follows {m[1]}'s pre_patch"
                h = self.hist[m[1]]
                h.pre_ok -= 1
                h.armed, h.failed = False, True
                continue
            if text == f"livepatch: failed to enable patch '{DEMO}'":
                after_failed_enable = True
                continue
            m = APPLYING.match(text)
            if m:
                assert m[1] == loading and not any(t.startswith(f"{m[1]}: ") for t in lines[:i]), \
                    "a module is patched while it loads, before its init runs"
                continue
            m = REVERTING.match(text)
            if m:
                assert m[1] == unloading and any(
                    t.startswith(f"{m[1]}: ") and (t.endswith("_exit") or " invalid for parameter " in t)
                    for t in lines[:i]), "a module is reverted while it unloads, after its exit ran"
                continue
            m = CALLBACK.match(text)
            if not m:
                continue
            cb, obj, state = m[1], m[3] or "vmlinux", m[4]
            h = self.hist[obj]
            if obj != "vmlinux":
                assert obj in self.loaded or obj in (loading, unloading), f"{cb} for {obj}, not loaded"
                want = "GOING" if obj == unloading else "COMING" if obj == loading else "LIVE"
                assert state == want, f"{text!r} during {command!r}"
                assert obj not in (loading, unloading) or self.active_before, \
                    "a target's (un)loading runs callbacks only while the livepatch is enabled"
            assert not after_failed_enable or cb == "post_unpatch", "a failed enable only unwinds"
            assert not h.failed or cb == "pre_patch", f"{cb} for {obj} after its pre_patch failed"
            if cb == "pre_patch":
                assert not h.armed, f"second pre_patch for {obj} before its post_unpatch"
                h.pre_ok += 1
                h.armed, h.failed = True, False
                last_pre = obj
            elif cb == "post_patch":
                assert h.armed, f"post_patch for {obj} without a pre_patch"
                h.post_patch += 1
            elif cb == "pre_unpatch":
                assert h.pre_unpatch < h.post_patch, f"pre_unpatch for {obj} without a post_patch"
                h.pre_unpatch += 1
            else:
                assert h.armed, f"post_unpatch for {obj} without a successful pre_patch"
                h.post_unpatch += 1
                h.armed = False

    def read(self, path: str) -> str | None:
        kernel, tools = self.run(f"cat {path}")
        assert not kernel
        if tools and tools[0].startswith("cat: "):
            return None
        return "\n".join(tools)

    # --- the user's commands -------------------------------------------------------------
    def insmod(self, name: str, args: str = "") -> None:
        line = f"insmod samples/livepatch/{FILES[name]}.ko" + (f" {args}" if args else "")
        kernel, tools = self.run(line)
        error = f"insmod: ERROR: could not insert module samples/livepatch/{FILES[name]}.ko: "
        if name in self.loaded:
            assert tools == [error + "File exists"] and not kernel
            return
        failed_pre = any(PRE_PATCH_FAILED.match(t) for t in kernel)
        if failed_pre:
            assert tools == [error + "No such device"], "the callback's -ENODEV reaches insmod"
        elif "=abc" in args:
            assert tools == [error + "Invalid parameters"]
        else:
            assert tools == [], tools
            self.loaded.add(name)

    @initialize(order=st.permutations([DEMO, MOD, BUSY]), count=st.integers(1, 3),
                secs=st.sampled_from([0, 1, 3]))
    def boot_with_modules(self, order: list[str], count: int, secs: int) -> None:
        """Start from a few modules loaded, in any order (the document's tests do both)."""
        for name in order[:count]:
            self.insmod(name, f"sleep_secs={secs}" if name == BUSY else "")

    @precondition(lambda self: DEMO in self.loaded)
    @rule(value=st.sampled_from(["0", "1"]))
    def write_enabled(self, value: str) -> None:
        before = self.read(ENABLED) if DEMO in self.loaded else None
        in_transition = before is not None and self.read(TRANSITION) == "1"
        kernel, tools = self.run(f"echo {value} > {ENABLED}")
        if before is None:
            assert tools == [f"bash: {ENABLED}: No such file or directory"]
        elif before == value:
            assert tools == ["bash: echo: write error: Invalid argument"] and not kernel
        elif in_transition:
            assert tools == [] and "reversing transition" in kernel[0]
        elif any(PRE_PATCH_FAILED.match(t) for t in kernel):
            assert tools == ["bash: echo: write error: No such device"]
        else:
            assert tools == [], tools

    @rule(secs=st.sampled_from(["0.5", "1", "2", "4"]))
    def sleep(self, secs: str) -> None:
        self.run(f"sleep {secs}")

    @rule(load=st.sampled_from([(DEMO, ""), (DEMO, "pre_patch_ret=0"), (DEMO, "pre_patch_ret=-19"),
                                (MOD, ""), (BUSY, "sleep_secs=0"), (BUSY, "sleep_secs=1"),
                                (BUSY, "sleep_secs=3"), (BUSY, "sleep_secs=abc")]))
    def insmod_module(self, load: tuple[str, str]) -> None:
        self.insmod(*load)

    @precondition(lambda self: bool(self.loaded))
    @rule(data=st.data(), by_file=st.booleans())
    def rmmod_loaded(self, data: st.DataObject, by_file: bool) -> None:
        self.rmmod(data.draw(st.sampled_from(sorted(self.loaded))), by_file)

    @rule(name=st.sampled_from([DEMO, MOD, BUSY]), by_file=st.booleans())
    def rmmod(self, name: str, by_file: bool) -> None:
        pinned = name == DEMO and name in self.loaded and self.read(f"/sys/module/{DEMO}/refcnt") != "0"
        kernel, tools = self.run(f"rmmod samples/livepatch/{FILES[name]}.ko" if by_file else f"rmmod {name}")
        if name not in self.loaded:
            assert tools == [f"rmmod: ERROR: Module {name} is not currently loaded"] and not kernel
        elif pinned:
            assert tools == [f"rmmod: ERROR: Module {name} is in use"] and not kernel
        else:
            assert tools == [], tools
            self.loaded.discard(name)
            if name == DEMO:
                assert all(h.balanced() for h in self.hist.values()), self.hist

    @rule(value=st.sampled_from(["0", "-19"]))
    def write_pre_patch_ret(self, value: str) -> None:
        kernel, tools = self.run(f"echo {value} > {PRE_PATCH_RET}")
        assert not kernel
        if DEMO in self.loaded:
            assert tools == [] and self.read(PRE_PATCH_RET) == value
        else:
            assert tools == [f"bash: {PRE_PATCH_RET}: No such file or directory"]

    # --- what must hold after every step ---------------------------------------------------
    @invariant()
    def modules_match_the_tools(self) -> None:
        assert set(self.k.modules) == self.loaded

    @invariant()
    def refcounts(self) -> None:
        k = self.k
        for name in self.loaded - {DEMO}:
            assert k.fs.read(f"/sys/module/{name}/refcnt") == "0\n", f"{name} is pinned"
        if DEMO in self.loaded:
            active = k.fs.read(ENABLED) == "1\n" or k.fs.read(TRANSITION) == "1\n"
            assert k.fs.read(f"/sys/module/{DEMO}/refcnt") == ("1\n" if active else "0\n")

    @invariant()
    def sysfs_agrees_with_the_kernel(self) -> None:
        k, lp = self.k, self.k.livepatch
        patches = [p for p in lp.patches if p.name == DEMO]
        assert k.fs.exists(f"/sys/kernel/livepatch/{DEMO}") == (DEMO in self.loaded) == bool(patches)
        if patches:
            patch = patches[0]
            assert k.fs.read(ENABLED) == f"{int(patch.enabled)}\n"
            assert k.fs.read(TRANSITION) == f"{int(patch is lp.transition_patch)}\n"
        for t in k.sched.all_tasks():
            if lp.transition_patch is None:
                assert t.patch_state == -1 and not t.patch_pending, t
            else:
                assert t.patch_state in (0, 1), t

    @invariant()
    def callbacks_symmetric_when_unpatched(self) -> None:
        quiet = self.k.livepatch.transition_patch is None and not any(
            p.enabled for p in self.k.livepatch.patches)
        for obj, h in self.hist.items():
            if quiet or (obj != "vmlinux" and obj not in self.loaded):
                assert h.balanced(), (obj, h)


FILES_TO_NAME = {f"samples/livepatch/{f}.ko": name for name, f in FILES.items()}


@functools.lru_cache(maxsize=1)
def _elf_cache() -> object:
    """One parse of each .ko for all examples (the loader caches by content hash)."""
    from kernel.module.elf import ElfCache
    return ElfCache()
