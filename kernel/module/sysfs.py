"""/sys/module/<name>: initstate, refcnt, holders, taint, coresize and parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.fs import Attr, Dir
from kernel.module.main import module_flags_taint

if TYPE_CHECKING:
    from kernel.machine import Kernel
    from kernel.module.main import Module
    from kernel.module.params import ModuleParam

_INITSTATE = {"LIVE": "live", "COMING": "coming", "GOING": "going", "UNFORMED": "unformed"}


def module_sysfs_init(k: "Kernel") -> None:
    k.vfs.root.mkdir("sys/module")
    k.vfs.root.mkdir("sys/kernel")


def _param_attr(k: "Kernel", mod: "Module", p: "ModuleParam") -> Attr:
    def store(text: str) -> None:
        p.set(k, text)
    mode = p.perm & 0o777
    return Attr(mode, lambda: p.get(k), store if mode & 0o222 else None)


def mod_sysfs_setup(k: "Kernel", mod: "Module") -> None:
    d = Dir({
        "initstate": Attr(0o444, lambda: _INITSTATE[mod.state.name] + "\n"),
        "refcnt": Attr(0o444, lambda: f"{mod.refcnt}\n"),
        "coresize": Attr(0o444, lambda: f"{mod.core_size}\n"),
        "taint": Attr(0o444, lambda: module_flags_taint(mod.taints) + "\n"),
        "holders": Dir(dynamic=lambda: {u: Dir() for u in mod.holders}),
    })
    visible = [p for p in mod.params if p.perm]
    if visible:
        d.children["parameters"] = Dir({p.name: _param_attr(k, mod, p) for p in visible})
    k.vfs.root.mkdir("sys/module").children[mod.name] = d


def mod_sysfs_teardown(k: "Kernel", mod: "Module") -> None:
    k.vfs.root.mkdir("sys/module").remove(mod.name)
