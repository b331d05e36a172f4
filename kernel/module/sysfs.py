"""/sys/module/<name>: initstate, refcnt, holders, taint, coresize and parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kernel.abi import Module as CModule
from kernel.errno import Errno, KernelError
from kernel.fs import Attr, Dir
from kernel.fs.sysfs import module_kobject_add, module_kobject_del
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


def kobject_add_internal(k: "Kernel", kobj: int, name: str, frames: tuple[str, ...]) -> None:
    """The checks of kobject_add_internal() that klpsh's sysfs can fail: a kobject needs a
    name (WARN, -EINVAL). FRAMES: the host functions that called it, innermost first."""
    if not name:
        from kernel.api.kobject import WARN_EMPTY_NAME
        k.warn_at(WARN_EMPTY_NAME,
                  f"kobject: ({k.fmt_ptr(kobj)}): attempted to be registered with empty name!",
                  frames)
        raise KernelError(Errno.EINVAL)


def mod_sysfs_setup(k: "Kernel", mod: "Module") -> None:
    # mod_sysfs_init(): kobject_init_and_add(&mod->mkobj.kobj, ..., "%s", mod->name)
    kobject_add_internal(k, mod.struct_addr + CModule.mkobj.offset, mod.name,
                         ("kobject_init_and_add", "mod_sysfs_setup", "load_module",
                          "__do_sys_finit_module"))
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
    this = mod.image.find_sec(".gnu.linkonce.this_module")
    if this is not None and this.sh_size >= CModule.mkobj.offset + CModule.mkobj.size:
        module_kobject_add(k, mod.struct_addr + CModule.mkobj.offset, mod.struct_addr, mod.name, d)


def mod_sysfs_teardown(k: "Kernel", mod: "Module") -> None:
    if mod.struct_addr:
        module_kobject_del(k, mod.struct_addr + CModule.mkobj.offset)
    k.vfs.root.mkdir("sys/module").remove(mod.name)
