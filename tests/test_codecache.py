"""klpsh.codecache: klpsh's modules read from one file of compiled code, each checked against
its source, and the file written again when a run imported one the usual way."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest

from klpsh import codecache
from klpsh.codecache import BundleFinder, _Loader

PKG = "kcfake"
SOURCES = {
    "__init__.py": "",
    "alpha.py": "VALUE = 1\n\n\ndef where():\n    return __file__\n",
    "sub/__init__.py": "NAME = 'sub'\n",
    "sub/beta.py": "from kcfake.alpha import VALUE\n\nDOUBLE = VALUE * 2\n",
}
MODULES = (f"{PKG}.alpha", f"{PKG}.sub", f"{PKG}.sub.beta")


def _checkout(root: Path, sources: dict[str, str] = SOURCES) -> Path:
    for name, text in sources.items():
        path = root / PKG / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


@pytest.fixture
def isolated(monkeypatch, tmp_path):
    """A bytecode cache in TMP_PATH, the fake package importable from a checkout there, and
    sys.modules / sys.meta_path as they were afterwards."""
    monkeypatch.setattr(sys, "pycache_prefix", str(tmp_path / "pycache"))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    root = _checkout(tmp_path / "checkout")
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setattr(sys, "meta_path", list(sys.meta_path))
    yield root
    _forget()


def _forget() -> None:
    for name in [n for n in sys.modules if n == PKG or n.startswith(PKG + ".")]:
        del sys.modules[name]
    sys.path_importer_cache.clear()


def _finder(root: Path) -> BundleFinder:
    finder = BundleFinder(codecache.bundle_path(str(root / PKG)), str(root), frozenset({PKG}))
    sys.meta_path.insert(0, finder)
    return finder


def _first_run(root: Path) -> BundleFinder:
    """A run that imports the package the usual way and writes the file at its end; its
    modules and finder are gone afterwards."""
    finder = _finder(root)
    _import_all()
    assert finder.update()
    _forget()
    sys.meta_path.remove(finder)
    return finder


def _import_all() -> dict[str, object]:
    __import__(f"{PKG}.sub.beta")
    return {name: sys.modules[name] for name in MODULES}


def _served(mods: dict[str, object]) -> set[str]:
    return {name for name, m in mods.items() if isinstance(m.__spec__.loader, _Loader)}


def test_a_run_writes_the_file_and_the_next_reads_from_it(isolated):
    first = _finder(isolated)
    assert first.index == {}                        # no file yet
    mods = _import_all()
    assert _served(mods) == set()
    assert first.update()                           # at exit: written from the .pyc files
    _forget()
    sys.meta_path.remove(first)
    second = _finder(isolated)
    assert set(second.index) == set(MODULES)
    mods = _import_all()
    assert _served(mods) == set(MODULES)
    beta = mods[f"{PKG}.sub.beta"]
    assert beta.DOUBLE == 2 and mods[f"{PKG}.sub"].NAME == "sub"
    alpha = mods[f"{PKG}.alpha"]
    assert alpha.where() == str(isolated / PKG / "alpha.py") == alpha.__file__
    assert alpha.__cached__ and os.path.exists(alpha.__cached__)
    assert "def where" in inspect.getsource(alpha)  # the source is still the file's
    assert mods[f"{PKG}.sub"].__path__ == [str(isolated / PKG / "sub")]
    assert not second.update()                      # nothing imported the usual way: no write


def test_a_changed_source_is_imported_from_itself_and_the_file_follows(isolated):
    _first_run(isolated)
    alpha = isolated / PKG / "alpha.py"
    alpha.write_text("VALUE = 21\n\n\ndef where():\n    return __file__\n")   # another size
    st = alpha.stat()
    os.utime(alpha, ns=(st.st_atime_ns, st.st_mtime_ns + 2_000_000_000))
    second = _finder(isolated)
    mods = _import_all()
    assert mods[f"{PKG}.sub.beta"].DOUBLE == 42
    assert _served(mods) == {f"{PKG}.sub", f"{PKG}.sub.beta"}
    assert second.update()
    _forget()
    sys.meta_path.remove(second)
    third = _finder(isolated)
    mods = _import_all()
    assert _served(mods) == set(MODULES) and mods[f"{PKG}.sub.beta"].DOUBLE == 42
    assert third.index[f"{PKG}.alpha"][3] == alpha.stat().st_size


def test_another_checkouts_modules_are_not_served(isolated, tmp_path):
    _first_run(isolated)
    other = _checkout(tmp_path / "other", dict(SOURCES, **{"alpha.py": "VALUE = 5\n"}))
    sys.path.insert(0, str(other))                  # this one's package is found first
    # the file of the first checkout, in front of a package that is the other's
    finder = BundleFinder(codecache.bundle_path(str(isolated / PKG)), str(isolated), frozenset({PKG}))
    sys.meta_path.insert(0, finder)
    mods = _import_all()
    assert _served(mods) == set()
    assert mods[f"{PKG}.sub.beta"].DOUBLE == 10
    assert not finder.update()                      # the other checkout's are not this file's


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "index"])
def test_a_damaged_file_only_means_the_usual_imports(isolated, damage):
    first = _first_run(isolated)
    path = Path(first.path)
    data = path.read_bytes()
    path.write_bytes({"empty": b"", "truncated": data[: len(data) // 2],
                      "garbage": os.urandom(len(data)),
                      "index": data[:40] + bytes(200) + data[240:]}[damage])
    second = _finder(isolated)
    mods = _import_all()
    assert mods[f"{PKG}.sub.beta"].DOUBLE == 2
    if damage != "truncated":                       # (a cut file still serves what it holds whole)
        assert _served(mods) == set()
    second.update()                                 # written whole again
    _forget()
    sys.meta_path.remove(second)
    third = _finder(isolated)
    assert _served(_import_all()) == set(MODULES)


def test_the_command_reads_its_modules_from_the_file(tmp_path):
    """Two starts as the console script makes them: the first writes the file at exit, the
    second imports klpsh's modules from it; none where no bytecode may be written."""
    cache = tmp_path / "cache"
    env = dict(os.environ, XDG_CACHE_HOME=str(cache), PYTHONDONTWRITEBYTECODE="1")
    env.pop("PYTHONPYCACHEPREFIX", None)
    env.pop("KLPSH_NO_BYTECODE_CACHE", None)
    code = ("import sys\n"
            "from klpsh import entry\n"
            "entry.bytecode_cache()\n"
            "from klpsh.codecache import install, _Loader\n"
            "print(install() is not None)\n"
            "import klpsh.shell\n"
            "print(isinstance(sys.modules['klpsh.shell'].__spec__.loader, _Loader))\n")
    run = lambda e: subprocess.run([sys.executable, "-c", code], env=e, capture_output=True,
                                   text=True, timeout=120, cwd=tmp_path).stdout.split()
    assert run(env) == ["True", "False"]
    assert list(cache.rglob(codecache.NAME))
    assert run(env) == ["True", "True"]
    assert run(dict(env, KLPSH_NO_BYTECODE_CACHE="1")) == ["False", "False"]
