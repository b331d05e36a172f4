"""Start-up: the bytecode cache the command keeps when the environment forbids writing
bytecode beside the sources, and which modules each mode imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, needs_kernel

SCRIPT = "cat /proc/cmdline\n"


def _run(env: dict[str, str], *args: str, stdin: str = SCRIPT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "klpsh", *args], input=stdin, text=True,
                          capture_output=True, env=env, cwd=ROOT, timeout=120)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPYCACHEPREFIX", "KLPSH_NO_BYTECODE_CACHE")}
    env.update(PYTHONDONTWRITEBYTECODE="1", XDG_CACHE_HOME=str(tmp_path / "cache"), **extra)
    return env


def _cached(tmp_path: Path) -> set[str]:
    root = tmp_path / "cache" / "klpsh" / "pycache"
    return {p.name.split(".")[0] for p in root.rglob("*.pyc")} if root.exists() else set()


@needs_kernel
def test_without_bytecode_writes_the_command_caches_it_under_the_user_cache(tmp_path):
    env = _env(tmp_path)
    first = _run(env)
    assert first.returncode == 0, first.stderr
    assert "% cat /proc/cmdline" in first.stdout
    cached = _cached(tmp_path)
    assert {"machine", "cpu", "sched", "shell"} <= cached      # the kernel and shell modules
    again = _run(env)
    assert again.returncode == 0 and again.stdout == first.stdout


@needs_kernel
def test_the_cache_can_be_refused(tmp_path):
    out = _run(_env(tmp_path, KLPSH_NO_BYTECODE_CACHE="1"))
    assert out.returncode == 0, out.stderr
    assert _cached(tmp_path) == set()


def test_bytecode_cache_leaves_a_set_up_place_alone(monkeypatch, tmp_path):
    from klpsh import cli
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "theirs"))
    assert cli.bytecode_cache({"XDG_CACHE_HOME": str(tmp_path)}) is None
    assert sys.pycache_prefix == str(tmp_path / "theirs")
    monkeypatch.setattr(sys, "pycache_prefix", None)
    monkeypatch.setattr(sys, "dont_write_bytecode", False)       # bytecode goes beside the sources
    assert cli.bytecode_cache({"XDG_CACHE_HOME": str(tmp_path)}) is None
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert cli.bytecode_cache({"XDG_CACHE_HOME": "relative/dir"}) is None
    assert cli.bytecode_cache({"XDG_CACHE_HOME": str(tmp_path)}) == str(tmp_path / "klpsh" / "pycache")
    assert sys.pycache_prefix == str(tmp_path / "klpsh" / "pycache") and not sys.dont_write_bytecode


def test_main_with_arguments_changes_no_interpreter_setting(monkeypatch, capsys):
    from klpsh import cli
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setattr(sys, "pycache_prefix", None)
    assert cli.main(["--help"]) == 0
    assert sys.pycache_prefix is None and sys.dont_write_bytecode


def test_kapi_counts_parameters_as_inspect_does():
    """kernel.api.nparams() (read from the code object, for start-up time) agrees with
    inspect.signature() on every exported function."""
    import inspect

    from kernel.api import all_apis, nparams
    apis = all_apis()
    assert len(apis) > 200
    assert [a.name for a in apis.values()
            if nparams(a.func) != len(inspect.signature(a.func).parameters)] == []


# Run in a child: one mode of the command, then print the modules it imported, one a line.
_MODULES_PROBE = r"""
import contextlib, io, sys
from klpsh.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    rc = main(sys.argv[1:])
print(rc)
print("\n".join(sorted(sys.modules)))
"""

# Never needed before a batch or replay run's first output: the REPL and its UI libraries, the
# drawing of timelines, the build system, the fuzzers.
_UI_AND_TOOLING = ("prompt_toolkit", "pygments", "klpsh.repl", "klpsh.completer", "klpsh.highlight",
                   "klpsh.toolbar", "klpsh.timeline", "kernel.kbuild", "kernel.kbuild_makefile",
                   "kernel.klp_convert", "kernel.modpost", "fuzz", "pexpect", "hypothesis")


def _imported(tmp_path: Path, *args: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", _MODULES_PROBE, *args], capture_output=True,
                         text=True, cwd=ROOT, timeout=120, env=_env(tmp_path, KLPSH_NO_BYTECODE_CACHE="1"))
    assert out.returncode == 0, out.stderr
    rc, *names = out.stdout.splitlines()
    assert rc == "0"
    return set(names)


def _heavy(names: set[str]) -> list[str]:
    return sorted(n for n in names if n.split(".")[0] in _UI_AND_TOOLING or n in _UI_AND_TOOLING
                  or any(n.startswith(h + ".") for h in _UI_AND_TOOLING))


@needs_kernel
def test_a_batch_run_imports_no_ui_and_only_the_tools_it_runs(tmp_path):
    script = tmp_path / "first.klp"
    script.write_text(SCRIPT)
    names = _imported(tmp_path, str(script))
    assert {"kernel.machine", "klpsh.shell", "klpsh.tools.cat"} <= names   # the probe saw the run
    assert _heavy(names) == []
    assert sorted(n for n in names if n.startswith("klpsh.tools.")) == ["klpsh.tools.cat"]


@needs_kernel
def test_a_batch_run_that_loads_no_module_leaves_the_livepatch_core_and_params_unimported(tmp_path):
    """A boot has the Livepatch state (kernel/livepatch/__init__.py) alone: the patch life cycle,
    transitions, patching and module parameters come with a first livepatch or module load."""
    script = tmp_path / "first.klp"
    script.write_text(SCRIPT)
    names = _imported(tmp_path, str(script))
    assert {"kernel.machine", "kernel.livepatch", "klpsh.tools.cat"} <= names   # booted, ran
    lazy = {"kernel.livepatch.core", "kernel.livepatch.transition", "kernel.livepatch.patch",
            "kernel.module.params"}
    assert names & lazy == set()


@needs_kernel
def test_a_replay_imports_no_ui(tmp_path):
    names = _imported(tmp_path, "replay", str(ROOT / "transcripts" / "callbacks-test-1.txt"))
    assert {"kernel.machine", "klpsh.transcript", "kernel.livepatch.core"} <= names
    assert _heavy(names) == []
    # the boot's own /proc entries need procfs, not the proc_fs.h and seq_file.h api modules
    assert "kernel.api.proc_fs" not in names and "kernel.api.seq_file" not in names


def test_the_export_table_is_what_the_kapi_registrations_say():
    """kernel/api/exports.py (what a boot links against) lists every @kapi function once, with
    its module, parameter count and variadic flag; `python -m kernel.api --check` agrees."""
    from kernel.api import Impl, declared_apis, export_rows, exported_apis
    rows = export_rows()
    declared = declared_apis()
    assert len({row[0] for row in rows}) == len(rows)
    assert {row[0]: row for row in rows} == {
        a.name: (a.name, a.module, a.nargs, a.variadic) for a in declared.values()}, \
        "kernel/api/exports.py is behind the @kapi registrations: run python -m kernel.api"
    table = exported_apis()
    assert [a.name for a in table] == [row[0] for row in rows]
    assert all(a.func is declared[a.name].func for a in table)
    assert Impl("kfree", "slab") == table[[a.name for a in table].index("kfree")].call
    assert export_rows("printk printk 1 variadic\nkfree slab 1\n") == [
        ("printk", "printk", 1, True), ("kfree", "slab", 1, False)]
    check = subprocess.run([sys.executable, "-m", "kernel.api", "--check"], capture_output=True,
                           text=True, cwd=ROOT, timeout=60)
    assert check.returncode == 0, check.stdout


def test_the_table_writer_keeps_the_slots_of_a_conflicted_table():
    """python -m kernel.api reads the names of the table as text, both sides of a merge
    conflict (and the earlier tuple format) included, each at its first place."""
    from kernel.api.__main__ import _ROW
    text = ("TABLE = \"\"\"\\\nkmalloc slab 2\n<<<<<<< HEAD\nprintk printk 1 variadic\n=======\n"
            "    ('kfree', 'slab', 1, False),\nprintk printk 1 variadic\n>>>>>>> theirs\n\"\"\"\n")
    names = [m.group(1) or m.group(2) for m in map(_ROW.match, text.splitlines()) if m]
    assert list(dict.fromkeys(names)) == ["kmalloc", "printk", "kfree"]


@needs_kernel
def test_a_boot_imports_only_the_api_modules_its_code_calls(tmp_path):
    code = ("import sys; from kernel.machine import Kernel; k = Kernel.boot(); "
            "print(k.fs.read('/proc/cmdline').strip()); k.shutdown(); "
            "print(sorted(m for m in sys.modules if m.startswith('kernel.api.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         timeout=120, env=_env(tmp_path, KLPSH_NO_BYTECODE_CACHE="1"))
    assert out.returncode == 0, out.stderr
    cmdline, modules = out.stdout.splitlines()
    assert cmdline.startswith("BOOT_IMAGE=")
    loaded = eval(modules)  # noqa: S307 - a list of module names printed by the child
    assert "kernel.api.exports" in loaded and "kernel.api.livepatch" not in loaded
    assert len(loaded) < 15, loaded


def test_the_repl_module_imports_no_tool_before_its_first_prompt(tmp_path):
    """Importing the REPL (what its first prompt needs) loads no klpsh tool module: each is
    imported when its command first runs (modinfo's reader when completion first needs it)."""
    code = "import sys, klpsh.repl; print(sorted(m for m in sys.modules if m.startswith('klpsh.tools.')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         timeout=120, env=_env(tmp_path, KLPSH_NO_BYTECODE_CACHE="1"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
