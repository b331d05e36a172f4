"""The userspace tools' behaviour and wording (kmod, coreutils, bash), against a fake kernel."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_kernel import FakeKernel, FakeModule, fake_image

from kernel.errno import Errno
from klpsh.tools import REGISTRY, ShellExit, ToolContext, load_tools
from klpsh.tools.kmod import O_NONBLOCK, O_TRUNC, mod_strerror, modname_normalize, path_to_modname
from klpsh.tools.sleep import parse_interval

load_tools()


class Run:
    """Call a tool by name with a fake kernel; stdout and stderr kept apart."""

    def __init__(self, tmp_path: Path) -> None:
        self.k = FakeKernel()
        self.stdout = ""
        self.stderr = ""
        self.ctx = ToolContext(self.k, self._out, self._err, cwd=tmp_path,  # type: ignore[arg-type]
                               modules_dir=tmp_path / "modules")

    def _out(self, text: str) -> None:
        self.stdout += text

    def _err(self, text: str) -> None:
        self.stderr += text

    def __call__(self, line: str) -> int:
        self.stdout = self.stderr = ""
        name, *args = line.split()
        return REGISTRY[name].func(self.ctx, args)


@pytest.fixture
def run(tmp_path: Path) -> Run:
    mods = tmp_path / "modules"
    mods.mkdir()
    for name in ("livepatch-callbacks-mod", "livepatch-callbacks-demo"):
        (mods / f"{name}.ko").write_bytes(fake_image(name.replace("-", "_")))
    (tmp_path / "local-mod.ko").write_bytes(fake_image("local_mod"))
    (tmp_path / "garbage.ko").write_bytes(b"not an elf")
    (tmp_path / "adir.ko").mkdir()
    return Run(tmp_path)


# --- kmod helpers -----------------------------------------------------------------------------

@pytest.mark.parametrize("err,text", [
    (Errno.ENOEXEC, "Invalid module format"), (Errno.ENOENT, "Unknown symbol in module"),
    (Errno.ESRCH, "Module has wrong symbol version"), (Errno.EINVAL, "Invalid parameters"),
    (Errno.ENODEV, "No such device"), (Errno.EEXIST, "File exists"),
    (Errno.EBUSY, "Device or resource busy"), (Errno.EPERM, "Operation not permitted"),
])
def test_mod_strerror(err: Errno, text: str) -> None:
    assert mod_strerror(err) == text
    assert mod_strerror(-err) == text


def test_module_names() -> None:
    assert modname_normalize("livepatch-callbacks-mod") == "livepatch_callbacks_mod"
    assert path_to_modname("samples/livepatch/livepatch-callbacks-mod.ko") == "livepatch_callbacks_mod"
    assert path_to_modname("/x/a-b.ko.xz") == "a_b"


# --- insmod -----------------------------------------------------------------------------------

def test_insmod_bundled_sample_with_params(run: Run) -> None:
    assert run("insmod samples/livepatch/livepatch-callbacks-demo.ko pre_patch_ret=-19 x=1") == 0
    assert run.stdout == run.stderr == ""
    assert run.k.calls[-1] == ("init_module", fake_image("livepatch_callbacks_demo"),
                               "pre_patch_ret=-19 x=1", "insmod")


def test_insmod_host_file(run: Run) -> None:
    assert run("insmod local-mod.ko") == 0
    assert "local_mod" in run.k.modules


def test_insmod_missing_file(run: Run) -> None:
    assert run("insmod nothere.ko") == 1
    assert run.stderr == "insmod: ERROR: could not load module nothere.ko: No such file or directory\n"
    assert run("insmod samples/livepatch/nothere.ko") == 1
    assert run.stderr == ("insmod: ERROR: could not load module samples/livepatch/nothere.ko: "
                          "No such file or directory\n")


def test_insmod_directory(run: Run) -> None:
    assert run("insmod adir.ko") == 1
    assert run.stderr == "insmod: ERROR: could not insert module adir.ko: Is a directory\n"


def test_insmod_bad_format(run: Run) -> None:
    assert run("insmod garbage.ko") == 1
    assert run.stderr == "insmod: ERROR: could not insert module garbage.ko: Invalid module format\n"


@pytest.mark.parametrize("err,reason", [
    (Errno.ENOENT, "Unknown symbol in module"), (Errno.EINVAL, "Invalid parameters"),
    (Errno.ENODEV, "No such device"), (Errno.ESRCH, "Module has wrong symbol version"),
    (Errno.EBUSY, "Device or resource busy"),
])
def test_insmod_kernel_errors(run: Run, err: Errno, reason: str) -> None:
    run.k.init_errors["livepatch_callbacks_demo"] = err
    assert run("insmod samples/livepatch/livepatch-callbacks-demo.ko") == 1
    assert run.stderr == ("insmod: ERROR: could not insert module "
                          f"samples/livepatch/livepatch-callbacks-demo.ko: {reason}\n")


def test_insmod_twice_file_exists(run: Run) -> None:
    run("insmod local-mod.ko")
    assert run("insmod local-mod.ko") == 1
    assert run.stderr == "insmod: ERROR: could not insert module local-mod.ko: File exists\n"


def test_insmod_usage_errors(run: Run) -> None:
    assert run("insmod") == 1
    assert run.stderr == "insmod: ERROR: missing filename.\n"
    assert run("insmod -") == 1
    assert run.stderr == "insmod: ERROR: this tool does not support loading from stdin!\n"
    assert run("insmod -x local-mod.ko") == 1
    assert run.stderr == "insmod: invalid option -- 'x'\n"
    assert run("insmod --bogus local-mod.ko") == 1
    assert run.stderr == "insmod: unrecognized option '--bogus'\n"
    assert run("insmod -h") == 0 and "Usage:" in run.stdout


# --- rmmod ------------------------------------------------------------------------------------

def test_rmmod_by_name_and_by_file(run: Run) -> None:
    run("insmod samples/livepatch/livepatch-callbacks-mod.ko")
    assert run("rmmod samples/livepatch/livepatch-callbacks-mod.ko") == 0
    assert run.stdout == run.stderr == ""
    assert run.k.calls[-1] == ("delete_module", "livepatch_callbacks_mod", O_NONBLOCK, "rmmod")
    run("insmod local-mod.ko")
    assert run("rmmod local-mod") == 0
    assert "local_mod" not in run.k.modules


def test_rmmod_not_loaded(run: Run) -> None:
    assert run("rmmod livepatch_callbacks_mod") == 1
    assert run.stderr == "rmmod: ERROR: Module livepatch_callbacks_mod is not currently loaded\n"
    assert run("rmmod samples/livepatch/livepatch-callbacks-mod.ko") == 1
    assert run.stderr == "rmmod: ERROR: Module livepatch_callbacks_mod is not currently loaded\n"
    assert not [c for c in run.k.calls if c[0] == "delete_module"]


def test_rmmod_in_use_by_holders(run: Run) -> None:
    run.k.modules["base"] = FakeModule("base", refcnt=2, holders=["user_b", "user_a"])
    assert run("rmmod base") == 1
    assert run.stderr == "rmmod: ERROR: Module base is in use by: user_a user_b\n"


def test_rmmod_in_use_refcnt(run: Run) -> None:
    run.k.modules["livepatch_callbacks_demo"] = FakeModule("livepatch_callbacks_demo", refcnt=1)
    assert run("rmmod livepatch_callbacks_demo") == 1
    assert run.stderr == "rmmod: ERROR: Module livepatch_callbacks_demo is in use\n"


def test_rmmod_force_skips_checks(run: Run) -> None:
    run.k.modules["busy"] = FakeModule("busy", refcnt=1)
    assert run("rmmod -f busy") == 0
    assert run.k.calls[-1] == ("delete_module", "busy", O_NONBLOCK | O_TRUNC, "rmmod")


def test_rmmod_builtin(run: Run) -> None:
    run.k.fs.files["/sys/module/printk"] = None  # a built-in module: a directory, no initstate
    assert run("rmmod printk") == 1
    assert run.stderr == "rmmod: ERROR: Module printk is builtin.\n"


@pytest.mark.parametrize("err,text", [
    (Errno.EBUSY, "Device or resource busy"), (Errno.EAGAIN, "Resource temporarily unavailable"),
    (Errno.EPERM, "Operation not permitted"),
])
def test_rmmod_syscall_error_uses_arg(run: Run, err: Errno, text: str) -> None:
    run("insmod samples/livepatch/livepatch-callbacks-mod.ko")
    run.k.delete_errors["livepatch_callbacks_mod"] = err
    assert run("rmmod samples/livepatch/livepatch-callbacks-mod.ko") == 1
    assert run.stderr == ("rmmod: ERROR: could not remove module "
                          f"samples/livepatch/livepatch-callbacks-mod.ko: {text}\n")


def test_rmmod_several_and_missing_name(run: Run) -> None:
    run("insmod local-mod.ko")
    assert run("rmmod nope local_mod") == 1
    assert run.stderr == "rmmod: ERROR: Module nope is not currently loaded\n"
    assert "local_mod" not in run.k.modules
    assert run("rmmod") == 1
    assert run.stderr == "rmmod: ERROR: missing module name.\n"


# --- modprobe ---------------------------------------------------------------------------------

def test_modprobe_loads_by_name_either_spelling(run: Run) -> None:
    assert run("modprobe livepatch-callbacks-demo pre_patch_ret=0") == 0
    assert run.k.calls[-1] == ("init_module", fake_image("livepatch_callbacks_demo"),
                               "pre_patch_ret=0", "modprobe")
    assert run("modprobe local_mod") == 0
    assert "local_mod" in run.k.modules


def test_modprobe_not_found(run: Run) -> None:
    assert run("modprobe nosuch") == 1
    assert run.stderr == "modprobe: FATAL: Module nosuch not found in directory /lib/modules/4.19.0-klpsh\n"


def test_modprobe_already_loaded_is_silent(run: Run) -> None:
    run("modprobe livepatch_callbacks_mod")
    calls = len(run.k.calls)
    assert run("modprobe livepatch_callbacks_mod") == 0
    assert run.stdout == run.stderr == ""
    assert len(run.k.calls) == calls
    assert run("modprobe --first-time livepatch_callbacks_mod") == 1
    assert run.stderr == "modprobe: ERROR: could not insert 'livepatch_callbacks_mod': Module already in kernel\n"


@pytest.mark.parametrize("err,reason", [
    (Errno.ENODEV, "No such device"),
    (Errno.ENOENT, "Unknown symbol in module, or unknown parameter (see dmesg)"),
    (Errno.EINVAL, "Invalid argument"), (Errno.ENOEXEC, "Exec format error"),
])
def test_modprobe_insert_errors(run: Run, err: Errno, reason: str) -> None:
    run.k.init_errors["livepatch_callbacks_demo"] = err
    assert run("modprobe livepatch-callbacks-demo") == 1
    assert run.stderr == f"modprobe: ERROR: could not insert 'livepatch_callbacks_demo': {reason}\n"


def test_modprobe_remove(run: Run) -> None:
    run("modprobe livepatch_callbacks_mod")
    assert run("modprobe -r livepatch-callbacks-mod") == 0
    assert run.k.calls[-1] == ("delete_module", "livepatch_callbacks_mod", O_NONBLOCK, "modprobe")
    assert run("modprobe -r livepatch_callbacks_mod") == 0  # not loaded: nothing to do
    assert run.stderr == ""
    assert run("modprobe -r nosuch") == 1
    assert run.stderr == "modprobe: FATAL: Module nosuch not found.\n"
    run.k.modules["livepatch_callbacks_demo"] = FakeModule("livepatch_callbacks_demo", refcnt=1)
    assert run("modprobe -r livepatch_callbacks_demo") == 1
    assert run.stderr == "modprobe: FATAL: Module livepatch_callbacks_demo is in use.\n"


def test_modprobe_remove_syscall_error(run: Run) -> None:
    run("modprobe livepatch_callbacks_mod")
    run.k.delete_errors["livepatch_callbacks_mod"] = Errno.EBUSY
    assert run("modprobe -r livepatch_callbacks_mod") == 1
    assert run.stderr == "modprobe: ERROR: could not remove 'livepatch_callbacks_mod': Device or resource busy\n"


def test_modprobe_missing_name(run: Run) -> None:
    assert run("modprobe") == 1
    assert run.stderr == "modprobe: ERROR: missing parameters. See -h.\n"


# --- lsmod ------------------------------------------------------------------------------------

def test_lsmod(run: Run) -> None:
    run.k.modules["a_long_module_name_x"] = FakeModule("a_long_module_name_x", core_size=123)
    run.k.modules["base"] = FakeModule("base", refcnt=2, holders=["u1", "u2"], core_size=16384)
    assert run("lsmod") == 0
    assert run.stdout == (
        "Module                  Size  Used by\n"
        "base                   16384  2 u1,u2\n"
        "a_long_module_name_x      123  0\n")
    assert run("lsmod -x") == 1


# --- dmesg ------------------------------------------------------------------------------------

def test_dmesg_show_and_clear(run: Run) -> None:
    run.k.now = 34_475_708_123
    run.k.log("livepatch_callbacks_mod: livepatch_callbacks_mod_init")
    assert run("dmesg") == 0
    assert run.stdout == "[   34.475708] livepatch_callbacks_mod: livepatch_callbacks_mod_init\n"
    assert run("dmesg -c") == 0 and run.stdout.count("\n") == 1
    assert run("dmesg") == 0 and run.stdout == ""
    run.k.log("x")
    assert run("dmesg -C") == 0 and run.stdout == ""
    assert run("dmesg") == 0 and run.stdout == ""


def test_dmesg_bad_option(run: Run) -> None:
    assert run("dmesg -z") == 1
    assert run.stderr == "dmesg: invalid option -- 'z'\nTry 'dmesg --help' for more information.\n"


# --- echo / cat / ls --------------------------------------------------------------------------

def test_echo(run: Run) -> None:
    assert run("echo -19") == 0 and run.stdout == "-19\n"
    assert run("echo -n 1") == 0 and run.stdout == "1"
    assert run("echo a   b") == 0 and run.stdout == "a b\n"
    assert run("echo -e a\\tb") == 0 and run.stdout == "a\tb\n"
    assert run("echo -x") == 0 and run.stdout == "-x\n"


def test_cat(run: Run) -> None:
    run("insmod local-mod.ko sleep_secs=5")
    assert run("cat /sys/module/local_mod/parameters/sleep_secs") == 0
    assert run.stdout == "5\n"


@pytest.mark.parametrize("setup,path,msg", [
    (None, "/sys/nothere", "No such file or directory"),
    ("mode", "/proc/version", "Permission denied"),
    (None, "/sys/module", "Is a directory"),
])
def test_cat_errors(run: Run, setup: str | None, path: str, msg: str) -> None:
    if setup == "mode":
        run.k.fs.modes[path] = 0o200
    assert run(f"cat {path}") == 1
    assert run.stderr == f"cat: {path}: {msg}\n"


def test_cat_several_files_goes_on_after_error(run: Run) -> None:
    assert run("cat /nope /proc/version") == 1
    assert run.stderr == "cat: /nope: No such file or directory\n"
    assert run.stdout == "Linux version 4.19.0-klpsh\n"


def test_ls(run: Run) -> None:
    run("insmod local-mod.ko")
    assert run("ls /sys/module/local_mod") == 0
    assert run.stdout == "holders\ninitstate\nparameters\nrefcnt\n"
    assert run("ls /sys/module/local_mod/refcnt") == 0
    assert run.stdout == "/sys/module/local_mod/refcnt\n"
    assert run("ls") == 0 and run.stdout == "proc\nsys\n"


def test_ls_errors_and_several(run: Run) -> None:
    assert run("ls /sys/nothere") == 2
    assert run.stderr == "ls: cannot access '/sys/nothere': No such file or directory\n"
    assert run("ls /proc/version /sys /nope") == 2
    assert run.stderr == "ls: cannot access '/nope': No such file or directory\n"
    assert run.stdout == "/proc/version\n\n/sys:\nmodule\n"


# --- sleep ------------------------------------------------------------------------------------

@pytest.mark.parametrize("arg,ns", [
    ("6", 6_000_000_000), ("0.5", 500_000_000), ("1.000001", 1_000_001_000), ("2m", 120_000_000_000),
    ("1e-3", 1_000_000), ("0", 0), (".25s", 250_000_000),
])
def test_sleep(run: Run, arg: str, ns: int) -> None:
    assert run(f"sleep {arg}") == 0
    assert run.k.now == ns


def test_sleep_sums_arguments(run: Run) -> None:
    assert run("sleep 1 0.5") == 0 and run.k.now == 1_500_000_000


@pytest.mark.parametrize("arg", ["abc", "1x", "", "nan", "1/2", "1e", "0x", "1ss", "0x1p"])
def test_sleep_invalid(run: Run, arg: str) -> None:
    assert parse_interval(arg) is None
    if arg:
        assert run(f"sleep {arg}") == 1
        assert run.stderr == f"sleep: invalid time interval '{arg}'\nTry 'sleep --help' for more information.\n"
        assert run.k.now == 0


@pytest.mark.parametrize("arg,seconds", [
    ("0x10", 16), ("1e3", 1000), ("inf", float("inf")), ("INFINITY", float("inf")), ("1e99999", float("inf")),
    (" 2", 2), ("+3", 3), ("0x1p3", 8), (".5", 0.5), ("5.", 5), ("1.5e2s", 150), ("1d", 86400), ("-0", 0),
    ("1e-99999", 0), ("9" * 5000, float("inf")), ("1e" + "9" * 5000, float("inf")),
])
def test_sleep_takes_what_strtod_takes(arg: str, seconds: float) -> None:
    assert parse_interval(arg) == seconds


def test_sleep_rejects_a_blank_after_the_number_and_negatives() -> None:
    assert parse_interval("1 ") is None and parse_interval("-inf") is None and parse_interval("-1") is None


def test_sleep_options_and_negative_numbers(run: Run) -> None:
    assert run("sleep -1") == 1
    assert run.stderr == "sleep: invalid option -- '1'\nTry 'sleep --help' for more information.\n"
    assert run("sleep 1 -0.5") == 1 and run.k.now == 0
    assert run("sleep --help") == 0 and run.stdout.startswith("Usage: sleep NUMBER[SUFFIX]...\n")
    assert run("sleep --version") == 0 and run.stdout == "sleep (GNU coreutils) 8.30\n"


def test_sleep_for_ever_is_bounded(run: Run) -> None:
    assert run("sleep inf") == 1
    assert run.stderr == "klpsh: sleep: stopped after 300 s of machine time\n"


def test_sleep_missing_operand(run: Run) -> None:
    assert run("sleep") == 1
    assert run.stderr == "sleep: missing operand\nTry 'sleep --help' for more information.\n"


# --- echo -------------------------------------------------------------------------------------

@pytest.mark.parametrize("arg,text", [
    ("a\\tb", "a\tb\n"), ("\\", "\\\n"), ("x\\", "x\\\n"), ("\\q", "\\q\n"),
    ("\\x41\\x4a1", "AJ1\n"), ("\\x", "\\x\n"), ("\\0101\\0", "A\0\n"), ("\\u00e9", "\u00e9\n"),
    ("\\U0001F600", "\U0001F600\n"), ("\\U7fffffff", "\\U7FFFFFFF\n"), ("\\ud800", "\\uD800\n"),
    ("ab\\cde", "ab"), ("\\e[0m", "\x1b[0m\n"),
])
def test_echo_e_escapes_as_bash(run: Run, arg: str, text: str) -> None:
    assert run(f"echo -e {arg}") == 0
    assert run.stdout == text


# --- ps, help, exit ---------------------------------------------------------------------------

def test_ps(run: Run) -> None:
    assert run("ps") == 0
    assert run.stdout == ("  PID S PATCH COMMAND\n"
                          "    1 S    -1 systemd\n"
                          "   42 I     0 kworker/0:1\n")


def test_help_lists_every_command(run: Run) -> None:
    assert run("help") == 0
    for name in ("insmod", "rmmod", "modprobe", "lsmod", "dmesg", "echo", "cat", "ls", "sleep",
                 "ps", "help", "exit"):
        assert any(line.split()[0] == name for line in run.stdout.splitlines() if line), name
    assert run("help insmod") == 0 and run.stdout.startswith("insmod FILE")
    assert run("help nope") == 1 and run.stderr == "help: no help topics match 'nope'.\n"


@pytest.mark.parametrize("args,code", [("", 0), ("3", 3), ("256", 0), ("-1", 255)])
def test_exit(run: Run, args: str, code: int) -> None:
    with pytest.raises(ShellExit) as e:
        run(f"exit {args}")
    assert e.value.code == code


def test_exit_bad_argument(run: Run) -> None:
    with pytest.raises(ShellExit) as e:
        run("exit abc")
    assert e.value.code == 2
    assert run.stderr == "bash: exit: abc: numeric argument required\n"


def test_the_tool_table_names_every_tool_by_the_module_that_registers_it():
    from klpsh.tools import TOOL_MODULES, Tools
    registered = {n: s for n, s in REGISTRY.items() if s.func.__module__.startswith("klpsh.tools.")}
    assert {n: s.func.__module__ for n, s in registered.items()} == {
        n: f"klpsh.tools.{m}" for n, m in TOOL_MODULES.items()}
    tools = Tools()
    assert set(tools) == set(TOOL_MODULES) and len(tools) == len(TOOL_MODULES)
    assert tools["grep"] is REGISTRY["grep"] and tools.get("frobnicate") is None


def test_a_tool_the_table_misses_is_still_found():
    """A tool of a module TOOL_MODULES does not name (a table behind the tools) is found
    among all the tool modules, at the cost of importing them (a fresh process: none yet)."""
    import subprocess
    import sys
    code = ("import sys; from klpsh import tools; "
            "tools.TOOL_MODULES = {n: m for n, m in tools.TOOL_MODULES.items() if m != 'filters'}; "
            "t = tools.Tools(); assert 'klpsh.tools.filters' not in sys.modules; "
            "print(t['wc'].name, t.get('frobnicate'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=Path(__file__).resolve().parent.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["wc", "None"]


def test_host_paths_are_made_once_per_name_and_the_cache_is_bounded(tmp_path, monkeypatch) -> None:
    import klpsh.tools as tools
    kept: dict = {}
    monkeypatch.setattr(tools, "_HOST_PATHS", kept)
    monkeypatch.setattr(tools, "_HOST_PATHS_MAX", 2)
    a = tools.host_path(tmp_path, "samples//livepatch/x.ko/")
    assert a == Path(tmp_path, "samples//livepatch/x.ko/") and tools.host_path(tmp_path, "samples//livepatch/x.ko/") is a
    assert tools.host_path(tmp_path, "/abs/y.ko") == Path("/abs/y.ko")
    tools.host_path(tmp_path, "z")                  # a third name: the cache starts afresh
    assert list(kept) == [(tmp_path, "z")]


def test_host_exists_is_false_for_names_the_host_refuses(tmp_path) -> None:
    from klpsh.tools import host_exists
    (tmp_path / "f").write_text("")
    assert host_exists(tmp_path / "f") and host_exists(tmp_path)
    assert not host_exists(tmp_path / "missing") and not host_exists(tmp_path / "f" / "below")
    assert not host_exists(tmp_path / ("x" * 5000)) and not host_exists(Path(str(tmp_path) + "/a\0b"))
